"""Run a grid of batch sizes × learning rates (or one of the seeds' experiments) and compare the curves."""

import math
from functools import partial

import pandas as pd
import streamlit as st

from core.charts import heatmap, small_multiples
from core.config import ConfigError
from core.datasets import DATASETS
from core.findings import check
from core.sweep import cell_table, curves_table, grid, presets, progress, summary_table, with_seeds
from pages.ui.follow import any_active, follow
from pages.ui.i18n import say, t
from pages.ui.links import link_values, warn_about_rejected
from pages.ui.names import dataset_title, model_title, optimizer_title
from pages.ui.nav import sidebar_nav
from pages.ui.resources import job_pool
from pages.ui.run_view import draw_job, status_text
from pages.ui.train_controls import config_controls

BATCH_CHOICES = [8, 16, 32, 64, 128, 256, 512, 1024]
LR_CHOICES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]

link = link_values()  # before the language selector, so that a ?lang= it refuses is named too
sidebar_nav("pages/2_Sweep.py")
st.title(t("sweep.title"))
st.write(t("sweep.intro"))

pool = job_pool()
PRESETS = presets()
# The names are made now, in this run's language: a format_func that called t() later (AppTest calls it
# outside the script run) would answer in English while the options are Korean.
EXPERIMENTS = {"custom": t("sweep.custom"), **{name: say(preset.title) for name, preset in PRESETS.items()}}
choice = st.selectbox(t("sweep.experiment"), list(EXPERIMENTS), key="sweep_preset", bind="query-params",
                      format_func=EXPERIMENTS.__getitem__)
repeats = st.number_input(t("sweep.repeats"), min_value=1, max_value=5, value=1, step=1,
                          key="sweep_repeats", bind="query-params", help=t("sweep.repeats_help"))


def parse_numbers(values, kind, name: str) -> list:
    """Multiselect values (typed-in ones arrive as text) as numbers, or a message naming the bad one.

    "1e3" is a whole number too; "nan", "inf" and "1e400" (inf) are not numbers a sweep can use."""
    numbers = []
    for v in values:
        try:
            number = float(v)
        except (TypeError, ValueError, OverflowError):
            raise ConfigError(t("sweep.not_a_number", name=name, value=repr(v))) from None
        if not math.isfinite(number):
            raise ConfigError(t("sweep.not_a_number", name=name, value=repr(v)))
        if kind is int:
            if not number.is_integer():
                raise ConfigError(t("sweep.not_whole", name=name, value=repr(v)))
            number = int(number)
        if number <= 0:
            raise ConfigError(t("sweep.not_positive", name=name, value=repr(v)))
        numbers.append(number)
    return sorted(set(numbers))


try:
    if choice == "custom":
        base, error = config_controls(prefix="sweep_", hide=("batch_size", "learning_rate"))
        if error:
            raise ConfigError(error)
        col1, col2 = st.columns(2)
        batch_sizes = parse_numbers(col1.multiselect(
            t("sweep.batch_sizes"), BATCH_CHOICES, default=[16, 64, 256], key="sweep_batches",
            accept_new_options=True, bind="query-params"), int, t("sweep.batch_sizes"))
        learning_rates = parse_numbers(col2.multiselect(
            t("sweep.learning_rates"), LR_CHOICES, default=[0.001, 0.01], key="sweep_lrs",
            accept_new_options=True, bind="query-params"), float, t("sweep.learning_rates"))
        if not batch_sizes or not learning_rates:
            raise ConfigError(t("sweep.pick_one"))
        configs = grid(base, batch_sizes, learning_rates, range(base.seed, base.seed + repeats))
    else:
        preset = PRESETS[choice]
        st.info(t("sweep.post_saw", description=say(preset.description)), icon="📝")
        configs = with_seeds(list(preset.configs), range(repeats))
except ConfigError as exc:
    warn_about_rejected(link)
    st.error(say(exc), icon="🚫")
    st.stop()
warn_about_rejected(link)

try:
    pool.limits.check_grid(configs)
except ConfigError as exc:
    st.error(say(exc), icon="🚫")
    st.stop()

first = configs[0]
st.markdown(t("sweep.runs", runs=len(configs), dataset=dataset_title(first.dataset), model=model_title(first.model),
              optimizer=optimizer_title(first.optimizer), epochs=max(c.epochs for c in configs)))

keys = st.session_state.get("sweep_keys", [])
buttons = st.container(horizontal=True)  # as wide as their words, in either language
if buttons.button(t("sweep.run"), type="primary", key="sweep_run", disabled=any_active(pool, keys)):
    st.session_state["sweep_keys"] = keys = [pool.submit(c).key for c in configs]


def stop_sweep() -> None:
    for key in st.session_state.get("sweep_keys", []):
        pool.cancel(key)


buttons.button(t("sweep.stop"), key="sweep_stop", disabled=not any_active(pool, keys), on_click=stop_sweep,
                help=t("sweep.stop_help"))


VERDICT = {True: ("✅", "sweep.verdict_held"), False: ("❌", "sweep.verdict_not_held"),
           None: ("ℹ️", "sweep.verdict_open")}


def draw_findings(summary) -> None:
    findings = check(choice, summary)
    if not findings:
        return
    st.subheader(t("sweep.claims"))
    for finding in findings:
        icon, verdict = VERDICT[finding.held]
        st.markdown(t("sweep.finding", icon=icon, verdict=t(verdict), claim=say(finding.claim),
                      evidence=say(finding.evidence)))


# The "All runs" table: which summary columns it shows, and how their numbers read ("–" where none).
COLUMNS = ("label", "status", "batch_size", "learning_rate", "epochs", "seed", "epochs_run", "updates",
           "best_val_loss", "best_val_acc", "final_train_loss", "wall_time")
FORMATS = {"learning_rate": "{:g}", "best_val_loss": "{:.4f}", "best_val_acc": "{:.1%}",
           "final_train_loss": "{:.4f}", "wall_time": "{:.1f}"}


def runs_table(summary: pd.DataFrame, classification: bool):
    """Every run of the sweep, headed in the session's language; regression has no accuracy column."""
    columns = [c for c in COLUMNS if classification or c != "best_val_acc"]
    table = summary[columns].copy()
    table["status"] = table["status"].map(status_text)
    names = {c: t(f"sweep.col_{c}") for c in columns}
    table = table.rename(columns=names)
    return table.style.format(na_rep="–").format({names[c]: f for c, f in FORMATS.items() if c in names},
                                                 na_rep="–")


def draw_results(views) -> None:
    summary = summary_table(views, text=say)
    draw_findings(summary)
    classification = DATASETS[views[0].config.dataset].task == "classification"
    metric, title = ("best_val_acc", "sweep.heatmap_acc") if classification else ("best_val_loss", "sweep.heatmap_loss")
    st.subheader(t("sweep.curves"))
    st.altair_chart(small_multiples(curves_table(views, text=say), text=say), key="sweep_multiples", width="content")
    st.subheader(t(title))
    st.altair_chart(heatmap(cell_table(summary, metric), metric, higher_is_better=classification, text=say),
                    key="sweep_heatmap")
    st.subheader(t("sweep.all_runs"))
    st.dataframe(runs_table(summary, classification), hide_index=True, key="sweep_table")


def show(keys: list[str]) -> None:
    views = [pool.view(k) for k in keys]
    known = [v for v in views if v is not None]
    state = progress(views, pool.workers)
    finished = state.done == state.total
    left = "" if state.seconds_left is None or finished else t("sweep.left", seconds=f"{state.seconds_left:.0f}")
    st.progress(state.fraction, text=t("sweep.progress", done=state.done, total=state.total, running=state.running,
                                       queued=state.queued, left=left))
    if state.failed:
        failed = next(v for v in known if v.status == "failed")
        st.error(t("sweep.failed", count=state.failed, message=say(failed.message)))
    running = [v for v in known if v.status == "running"]
    if running:
        st.caption(t("sweep.now_training", batch=running[0].config.batch_size,
                     lr=f"{running[0].config.learning_rate:g}"))
        draw_job(running[0], "sweep_live")
    if any(v.rows for v in known):
        draw_results([v for v in known if v.rows])


if not keys:
    st.info(t("sweep.press"), icon="▶️")
elif all(pool.view(k) is None for k in keys):
    st.info(t("sweep.gone"))
else:
    follow(pool, keys, partial(show, keys))
