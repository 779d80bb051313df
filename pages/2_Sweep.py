"""Run a grid of batch sizes × learning rates (or one of the seeds' experiments) and compare the curves."""

from contextlib import suppress
from functools import partial

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from core.charts import (
    GRID_AXES,
    has_iso_temperature_lines,
    heatmap,
    isolation_chart,
    small_multiples,
    temperature_chart,
)
from core.experiments.findings import check
from core.experiments.presets import BATCH_SIZES, LEARNING_RATES, grid, grid_values, presets
from core.jobs.job import JobView
from core.runs.stored import StoreError
from core.runs.tables import cell_table, curves_table, grid_axes, labeller, lrs_at_the_edge, summary_table
from core.settings import ConfigError
from core.training.data import DATASETS
from core.training.record import Status
from pages.ui.findings import draw_finding
from pages.ui.follow import any_active, follow
from pages.ui.i18n import current, say, t
from pages.ui.identity import submit_all
from pages.ui.jobs_panel import draw_group
from pages.ui.links import choice
from pages.ui.names import dataset_title, model_title, optimizer_title
from pages.ui.page import page
from pages.ui.resources import job_pool, shared_store
from pages.ui.run_view import draw_job, status_text
from pages.ui.train_controls import BATCH_CHOICES, LR_CHOICES, config_controls
from pages.ui.x_axis import x_axis_toggle

# The "All runs" table: which summary columns it shows, and how their numbers read ("–" where none).
COLUMNS = ("label", "status", "batch_size", "learning_rate", "epochs", "seed", "epochs_run", "updates",
           "best_val_loss", "best_val_acc", "final_train_loss", "wall_time")
FORMATS = {"learning_rate": "{:g}", "best_val_loss": "{:.4f}", "best_val_acc": "{:.1%}",
           "final_train_loss": "{:.4f}", "wall_time": "{:.1f}"}

view = page("pages/2_Sweep.py", share=True)
pool = job_pool()
PRESETS = presets()
experiments = {"custom": t("sweep.custom"), **{name: say(preset.title) for name, preset in PRESETS.items()}}
picked = choice(st.selectbox, t("sweep.experiment"), experiments, "sweep_preset")
try:
    if picked == "custom":
        repeats = st.number_input(t("sweep.repeats"), min_value=1, max_value=5, value=1, step=1,
                                  key="sweep_repeats", bind="query-params", help=t("sweep.repeats_help"))
        base, error = config_controls(prefix="sweep_", hide=("batch_size", "learning_rate"))
        if base is None:
            view.fail(error or "")
        col1, col2 = st.columns(2)
        batch_sizes = grid_values(col1.multiselect(
            t("sweep.batch_sizes"), BATCH_CHOICES, default=[16, 64, 256], key="sweep_batches",
            accept_new_options=True, bind="query-params"), int, BATCH_SIZES)
        learning_rates = grid_values(col2.multiselect(
            t("sweep.learning_rates"), LR_CHOICES, default=[0.001, 0.01], key="sweep_lrs",
            accept_new_options=True, bind="query-params"), float, LEARNING_RATES)
        if not batch_sizes or not learning_rates:
            view.fail(t("sweep.pick_one"))
        configs = grid(base, map(int, batch_sizes), learning_rates, range(base.seed, base.seed + repeats))
    else:
        preset = PRESETS[picked]
        st.info(t("sweep.post_saw", description=say(preset.description)), icon="📝")
        configs = list(preset.configs)  # each setting with the reference seeds, so its claims are decided over them
    pool.limits.check_grid(configs)
    grid_axes(configs)  # a grid its charts can lay out, or the page says why not
except ConfigError as exc:
    view.fail(say(exc))

first = configs[0]
st.markdown(t("sweep.runs", runs=len(configs), dataset=dataset_title(first.dataset), model=model_title(first.model),
              optimizer=optimizer_title(first.optimizer), epochs=max(c.epochs for c in configs)))

keys = st.session_state.get("sweep_keys", [])
store = shared_store()
# A sweep submitted before (by anyone) that did not finish, e.g. cut off by a server restart: offer to finish it.
earlier = store.group_state(configs) if store is not None and not keys else None
unfinished = earlier is not None and earlier.unfinished > 0 and not any_active(pool, [c.key for c in configs])
if unfinished and earlier is not None:
    st.warning(t("sweep.unfinished", finished=earlier.finished, total=earlier.total,
                 interrupted=earlier.interrupted), icon="⏯️")
buttons = st.container(horizontal=True)  # as wide as their words, in either language
if buttons.button(t("sweep.finish" if unfinished else "sweep.run"), type="primary", key="sweep_run",
                  disabled=any_active(pool, keys)):
    st.session_state["sweep_keys"] = keys = [job.key for job in submit_all(pool, configs)]
    if store is not None:
        with suppress(StoreError):  # a full store: the sweep trains all the same
            store.record_group("sweep", configs)


def stop_sweep() -> None:
    for key in st.session_state.get("sweep_keys", []):
        pool.cancel(key)


buttons.button(t("sweep.stop"), key="sweep_stop", disabled=not any_active(pool, keys), on_click=stop_sweep,
               help=t("sweep.stop_help"))


def draw_findings(views: list[JobView]) -> None:
    findings = check(picked, views)
    if findings:
        st.subheader(t("sweep.claims"))
        st.caption(t("sweep.claims_rule"))
    for finding in findings:
        draw_finding(finding)


def runs_table(summary: pd.DataFrame, classification: bool) -> Styler:
    """Every run of the sweep, headed in the session's language; regression has no accuracy column."""
    columns = [c for c in COLUMNS if classification or c != "best_val_acc"]
    names = {c: t(f"sweep.col_{c}") for c in columns}
    table = summary[columns].assign(status=summary["status"].map(status_text)).rename(columns=names)
    return table.style.format(na_rep="–").format({names[c]: f for c, f in FORMATS.items() if c in names},
                                                 na_rep="–")


def axis_name(field: str) -> str:
    """A grid axis as a heading names it: "batch size" in English, "배치 크기" in Korean."""
    name = say(GRID_AXES[field])
    return name.lower() if current() == "en" else name


def draw_results(views: list[JobView]) -> None:
    """The shown sweep's results, laid out by the settings its own runs vary (not the widgets')."""
    rows, columns = grid_axes([v.config for v in views])
    summary = summary_table(views, text=say)
    draw_findings(views)
    classification = DATASETS[views[0].config.dataset].task == "classification"
    metric, title = ("best_val_acc", "sweep.heatmap_acc") if classification else ("best_val_loss", "sweep.heatmap_loss")
    axes = {"rows": axis_name(rows), "columns": axis_name(columns)}
    st.subheader(t("sweep.curves", **axes))
    x = x_axis_toggle("sweep_x")
    st.altair_chart(small_multiples(curves_table(views, text=say), rows, columns, x=x, text=say),
                    key="sweep_multiples", width="content")
    st.subheader(t(title, **axes))
    cells = cell_table(summary, metric, rows, columns)
    st.altair_chart(heatmap(cells, metric, higher_is_better=classification, rows=rows, columns=columns, text=say),
                    key="sweep_heatmap")
    if (rows, columns) == ("batch_size", "learning_rate"):
        if has_iso_temperature_lines(cells):
            st.caption(t("sweep.diagonals"))
        draw_playbook(summary, cells, metric, classification)
    st.subheader(t("sweep.all_runs"))
    st.dataframe(runs_table(summary, classification), hide_index=True, key="sweep_table")


def draw_playbook(summary: pd.DataFrame, cells: pd.DataFrame, metric: str, classification: bool) -> None:
    """The tuning playbook's plots of a batch × LR grid: the isolation plot, and the noise temperature."""
    st.subheader(t("sweep.isolation"))
    st.altair_chart(isolation_chart(cells, metric, text=say), key="sweep_isolation")
    st.caption(t("sweep.isolation_caption"))
    edges = lrs_at_the_edge(cells, metric, higher_is_better=classification)
    if edges:
        st.warning(t("sweep.lr_at_edge", cells=", ".join(t("sweep.edge_cell", batch=b, lr=f"{lr:g}")
                                                         for b, lr in edges)), icon="⚠️")
    st.subheader(t("sweep.temperature"))
    st.altair_chart(temperature_chart(summary, metric, text=say), key="sweep_temperature")
    st.caption(t("sweep.temperature_caption"))


def show(keys: list[str]) -> None:
    views = [pool.view(k) for k in keys]
    known = [v for v in views if v is not None]
    label = labeller([v.config for v in known], text=say)
    draw_group(pool, views, [label(v.config) if v is not None else "" for v in views])
    running = [v for v in known if v.status == Status.RUNNING]
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
view.end()
