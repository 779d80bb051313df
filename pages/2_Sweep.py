"""Run a grid of batch sizes × learning rates (or one of the seeds' experiments) and compare the curves."""

import streamlit as st

from core.charts import heatmap, small_multiples
from core.config import ConfigError
from core.datasets import DATASETS
from core.findings import check
from core.sweep import cell_table, curves_table, grid, presets, progress, summary_table, with_seeds
from pages.ui.links import link_values, warn_about_rejected
from pages.ui.nav import sidebar_nav
from pages.ui.resources import job_pool
from pages.ui.run_view import draw_job
from pages.ui.train_controls import config_controls

BATCH_CHOICES = [8, 16, 32, 64, 128, 256, 512, 1024]
LR_CHOICES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]

st.set_page_config(page_title="Sweep · Batch Lab", page_icon="🧮", layout="wide")
sidebar_nav()
st.title("Sweep (그리드 실험)")
st.write(
    "Train every combination of batch sizes and learning rates — or one of the seed posts' experiments — "
    "and see them side by side. Runs go to the workers two at a time on a 2-core server; runs already in "
    "the store are reused, not trained again.")

pool = job_pool()
link = link_values()
PRESETS = presets()
choice = st.selectbox("Experiment", ["custom", *PRESETS], key="sweep_preset", bind="query-params",
                      format_func=lambda name: "Custom grid" if name == "custom" else PRESETS[name].title)
repeats = st.number_input("Repeats (seeds per setting)", min_value=1, max_value=5, value=1, step=1,
                          key="sweep_repeats", bind="query-params", help="Several seeds per setting are drawn as mean ± spread.")


def parse_numbers(values, kind, name: str) -> list:
    """Multiselect values (typed-in ones arrive as text) as numbers, or a message naming the bad one."""
    numbers = []
    for v in values:
        try:
            number = kind(v)
        except (TypeError, ValueError):
            raise ConfigError(f"{name}: {v!r} is not a number.") from None
        if number <= 0:
            raise ConfigError(f"{name} must be positive; got {v!r}.")
        numbers.append(number)
    return sorted(set(numbers))


try:
    if choice == "custom":
        base, error = config_controls(prefix="sweep_", hide=("batch_size", "learning_rate"))
        if error:
            raise ConfigError(error)
        col1, col2 = st.columns(2)
        batch_sizes = parse_numbers(col1.multiselect(
            "Batch sizes (배치 크기)", BATCH_CHOICES, default=[16, 64, 256], key="sweep_batches",
            accept_new_options=True, bind="query-params"), int, "Batch sizes")
        learning_rates = parse_numbers(col2.multiselect(
            "Learning rates (학습률)", LR_CHOICES, default=[0.001, 0.01], key="sweep_lrs",
            accept_new_options=True, bind="query-params"), float, "Learning rates")
        if not batch_sizes or not learning_rates:
            raise ConfigError("Pick at least one batch size and one learning rate.")
        configs = grid(base, batch_sizes, learning_rates, range(base.seed, base.seed + repeats))
    else:
        preset = PRESETS[choice]
        st.info(f"**What the post saw:** {preset.description}", icon="📝")
        configs = with_seeds(list(preset.configs), range(repeats))
except ConfigError as exc:
    warn_about_rejected(link)
    st.error(str(exc), icon="🚫")
    st.stop()
warn_about_rejected(link)

try:
    pool.limits.check_grid(configs)
except ConfigError as exc:
    st.error(str(exc), icon="🚫")
    st.stop()

first = configs[0]
st.markdown(f"**{len(configs)} runs** on {DATASETS[first.dataset].title} with the {first.model} model, "
            f"{first.optimizer}, {max(c.epochs for c in configs)} epochs at most.")



def running(keys: list[str]) -> bool:
    return any((v := pool.view(k)) is not None and v.active for k in keys)


keys = st.session_state.get("sweep_keys", [])
run_col, stop_col = st.columns([1, 6])
if run_col.button("Run sweep", type="primary", key="sweep_run", disabled=running(keys)):
    st.session_state["sweep_keys"] = keys = [pool.submit(c).key for c in configs]


def stop_sweep() -> None:
    for key in st.session_state.get("sweep_keys", []):
        pool.cancel(key)


stop_col.button("Stop", key="sweep_stop", disabled=not running(keys), on_click=stop_sweep,
                help="Stops the running and queued runs; finished runs are kept.")


VERDICT = {True: ("✅", "Showed up here"), False: ("❌", "Did not show up on this data"),
           None: ("ℹ️", "Not decided by these runs")}


def draw_findings(summary) -> None:
    findings = check(choice, summary)
    if not findings:
        return
    st.subheader("The post's claims, measured here")
    for finding in findings:
        icon, verdict = VERDICT[finding.held]
        st.markdown(f"{icon} **{verdict}:** {finding.claim}  \n*Measured:* {finding.evidence}")


def draw_results(views) -> None:
    summary = summary_table(views)
    draw_findings(summary)
    classification = DATASETS[views[0].config.dataset].task == "classification"
    metric, title = ("best_val_acc", "Best val accuracy") if classification else ("best_val_loss", "Best val loss")
    st.subheader("Loss curves: rows = batch size, columns = learning rate")
    st.altair_chart(small_multiples(curves_table(views)), key="sweep_multiples", width="content")
    st.subheader(f"{title} over batch size × learning rate")
    st.altair_chart(heatmap(cell_table(summary, metric), metric, higher_is_better=classification),
                    key="sweep_heatmap")
    st.subheader("All runs")
    st.dataframe(summary.drop(columns=["run"]), hide_index=True, key="sweep_table")


@st.fragment(run_every=1.0)
def live() -> None:
    keys = st.session_state.get("sweep_keys", [])
    if not running(keys):
        st.rerun()
    show([pool.view(k) for k in keys])


def show(views) -> None:
    known = [v for v in views if v is not None]
    state = progress(views, pool.workers)
    left = "" if state.seconds_left is None else f", about {state.seconds_left:.0f} s left"
    st.progress(state.fraction, text=f"{state.done} of {state.total} runs done · {state.running} running, "
                                     f"{state.queued} queued{left}")
    if state.failed:
        st.error(f"{state.failed} run(s) failed: {next(v.message for v in known if v.status == 'failed')}")
    running = [v for v in known if v.status == "running"]
    if running:
        st.caption(f"Now training: B {running[0].config.batch_size}, LR {running[0].config.learning_rate:g}")
        draw_job(running[0], "sweep_live")
    if any(v.rows for v in known):
        draw_results([v for v in known if v.rows])


if keys:
    views = [pool.view(k) for k in keys]
    if running(keys):
        live()
    elif any(v is not None for v in views):
        show(views)
    else:
        st.info("This sweep's runs are no longer on the server; press **Run sweep** to get them again.")
else:
    st.info("Press **Run sweep** to train these runs.", icon="▶️")
