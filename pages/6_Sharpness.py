"""Flat vs sharp minima: train a small and a large batch over seeds, measure how sharp each ends, check seed 003's
claim."""

import math
from functools import partial

import pandas as pd
import streamlit as st

from core.analysis.sharpness import SHARPNESS_SAMPLES
from core.charts import gap_against_sharpness_chart, overlay_chart, sharpness_chart
from core.experiments.sharp_vs_flat import (
    DEFAULTS,
    GAP_TOLERANCE,
    MAX_SEEDS,
    SAME_STAGE_RATIO,
    SHARPNESS_TOLERANCE,
    RunSummary,
    preset_configs,
    verdict,
)
from core.runs.tables import runs_table
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.data import DATASETS
from pages.ui.findings import draw_finding
from pages.ui.follow import follow
from pages.ui.i18n import say, t
from pages.ui.identity import submit_all
from pages.ui.jobs_panel import draw_group
from pages.ui.links import choice
from pages.ui.names import dataset_titles, model_titles, optimizer_titles
from pages.ui.page import page
from pages.ui.resources import job_pool
from pages.ui.run_view import status_text
from pages.ui.widgets import bounds
from pages.ui.x_axis import x_axis_toggle

view = page("pages/6_Sharpness.py", share=True)
st.caption(t("sharp.measured", samples=SHARPNESS_SAMPLES))

st.header(t("sharp.preset"))
st.write(t("sharp.preset_intro"))
for name, value in DEFAULTS.items():
    if name != "model":  # the model's widget is per dataset: set below
        st.session_state.setdefault(f"sharp_{name}", value)
c1, c2, c3 = st.columns(3)
dataset = choice(c1.selectbox, t("ctl.dataset"), dataset_titles(), "sharp_dataset")
models = DATASETS[dataset].models
st.session_state.setdefault(f"sharp_model_{dataset}", DEFAULTS["model"] if DEFAULTS["model"] in models else models[0])
model = choice(c2.selectbox, t("ctl.model"), {m: model_titles()[m] for m in models}, f"sharp_model_{dataset}")
optimizer = choice(c3.selectbox, t("ctl.optimizer"), optimizer_titles(), "sharp_optimizer")
c4, c5, c6 = st.columns(3)
small_batch = c4.number_input(t("sharp.small_batch"), **bounds("batch_size"), step=1, key="sharp_small_batch",
                              bind="query-params")
large_batch = c5.number_input(t("sharp.large_batch"), **bounds("batch_size"), step=1, key="sharp_large_batch",
                              bind="query-params")
learning_rate = c6.number_input(t("ctl.learning_rate"), **bounds("learning_rate"), step=0.001, format="%g",
                                key="sharp_learning_rate", bind="query-params", help=t("ctl.learning_rate_help"))
c7, c8, c9 = st.columns(3)
epochs = c7.number_input(t("ctl.epochs"), **bounds("epochs"), step=1, key="sharp_epochs", bind="query-params",
                         help=t("ctl.epochs_help"))
seeds = c8.number_input(t("sharp.seeds"), min_value=1, max_value=MAX_SEEDS, step=1, key="sharp_seeds",
                        bind="query-params", help=t("sharp.seeds_help"))
seed = c9.number_input(t("sharp.first_seed"), **bounds("seed"), step=1, key="sharp_seed", bind="query-params",
                       help=t("ctl.seed_help"))

pool = job_pool()
try:
    base = TrainConfig(dataset=dataset, model=model, optimizer=optimizer, learning_rate=float(learning_rate),
                       epochs=int(epochs), seed=int(seed), batch_size=int(small_batch))
    configs = preset_configs(base, int(small_batch), int(large_batch), int(seeds))
    pool.limits.check_grid(configs)
except ConfigError as exc:
    view.fail(say(exc))
small, large = configs[0], configs[-1]
st.caption(" · ".join(t("sharp.steps", batch=c.batch_size, per_epoch=c.updates_per_epoch,
                        total=c.updates_per_epoch * c.epochs, epochs=c.epochs) for c in (small, large)))
st.caption(t("sharp.runs", runs=len(configs), first=int(seed), last=int(seed) + int(seeds) - 1))

if st.button(t("sharp.run"), type="primary", key="sharp_run"):
    st.session_state["sharp_jobs"] = [job.key for job in submit_all(pool, configs, "sharpness")]


def number(value: float | None) -> float:
    """None as NaN, which the table shows as a blank."""
    return math.nan if value is None else value


def converged_text(converged: bool | None) -> str:
    return {True: t("sharp.converged_yes"), False: t("sharp.converged_no"), None: ""}[converged]


def draw_table(summaries: list[RunSummary]) -> None:
    sharpness, gap, test_acc = t("sharp.col_sharpness"), t("sharp.col_gap"), t("sharp.col_test_acc")
    converged, epoch = t("sharp.col_converged"), t("sharp.col_epoch")
    st.dataframe(pd.DataFrame([{
        t("sharp.col_batch_size"): s.batch_size, t("sharp.col_seed"): s.seed,
        t("sharp.col_status"): status_text(s.status), sharpness: number(s.sharpness),
        converged: converged_text(s.converged), epoch: s.epoch, t("sharp.col_train_loss"): number(s.train_loss),
        t("sharp.col_val_loss"): number(s.val_loss), gap: number(s.gap), test_acc: number(s.test_acc)}
        for s in summaries]),
        hide_index=True, placeholder="", key="sharp_table",
        column_config={sharpness: st.column_config.NumberColumn(format="%.4g", help=t("sharp.col_sharpness_help")),
                       converged: st.column_config.TextColumn(help=t("sharp.col_converged_help")),
                       epoch: st.column_config.NumberColumn(help=t("sharp.col_epoch_help")),
                       gap: st.column_config.NumberColumn(format="%.4f", help=t("sharp.col_gap_help")),
                       test_acc: st.column_config.NumberColumn(format="percent")})


def draw_sharpness(summaries: list[RunSummary]) -> None:
    edge = summaries[0].stability_edge  # one learning rate and optimizer for every run
    points = [{"batch_size": s.batch_size, "seed": s.seed, "sharpness": s.sharpness, "gap": s.gap}
              for s in summaries]
    left, right = st.columns(2)
    left.altair_chart(sharpness_chart(points, edge, text=say), key="sharp_chart_sharpness")
    right.altair_chart(gap_against_sharpness_chart(points, text=say), key="sharp_chart_gap_vs_sharpness")
    if edge is None:
        st.caption(t("sharp.no_edge_adam", optimizer=optimizer_titles()[optimizer]))
    else:
        sharpest = max((s.sharpness for s in summaries if s.sharpness is not None), default=None)
        if sharpest is not None:
            st.caption(t("sharp.edge_share", edge=edge, sharpest=sharpest, share=sharpest / edge))


def draw_results(keys: list[str]) -> None:
    views = [pool.view(key) for key in keys]
    draw_group(pool, views, [t("sharp.run_name", batch=c.batch_size, seed=c.seed) for c in configs])
    for v in views:
        if v is not None and v.finishing:
            st.caption(t("sharp.measuring", batch=v.config.batch_size, seed=v.config.seed))
    ready = [v for v in views if v is not None and v.rows]
    if ready:
        labels = [f"B {v.config.batch_size}" for v in ready]  # a batch size's seeds: one mean with a band
        x = x_axis_toggle("sharp_x")
        tabs = st.tabs([t("sharp.tab_val_loss"), t("sharp.tab_gap"), t("sharp.tab_train_loss")])
        for tab, metric in zip(tabs, ("val_loss", "gap", "train_loss"), strict=True):
            with tab:
                st.altair_chart(overlay_chart(runs_table(ready, metric, labels=labels), metric, x=x, text=say),
                                key=f"sharp_chart_{metric}")
    results = [v.result for v in views if v is not None and v.result is not None]
    if len(results) < len(keys):
        return
    summaries = [RunSummary.of(result) for result in results]
    draw_table(summaries)
    draw_sharpness(summaries)
    result = verdict(summaries)
    st.subheader(t("sharp.claim"))
    st.caption(t("sharp.claim_rule", sharpness=SHARPNESS_TOLERANCE, gap=GAP_TOLERANCE, ratio=SAME_STAGE_RATIO))
    for finding in (result.sharper, result.worse):
        draw_finding(finding)
    show = {True: st.success, False: st.warning, None: st.info}[result.held]
    show(say(result.summary))
    st.caption(t("sharp.caveat"))


jobs = st.session_state.get("sharp_jobs")
if isinstance(jobs, list) and jobs:
    follow(pool, jobs, partial(draw_results, jobs))
view.end()
