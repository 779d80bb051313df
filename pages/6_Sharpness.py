"""Flat vs sharp minima: train a small and a large batch, measure how sharp each ends, check seed 003's claim."""

import math
from functools import partial

import pandas as pd
import streamlit as st

from core.analysis.sharpness import SHARPNESS_SAMPLES
from core.charts import overlay_chart
from core.experiments.findings import Outcome
from core.experiments.sharp_vs_flat import DEFAULTS, RunSummary, preset_configs, verdict
from core.runs.tables import runs_table
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.data import DATASETS
from pages.ui.follow import follow
from pages.ui.i18n import say, t
from pages.ui.jobs_panel import draw_group
from pages.ui.links import choice
from pages.ui.names import dataset_titles, model_titles, optimizer_titles
from pages.ui.page import page
from pages.ui.resources import job_pool
from pages.ui.run_view import status_text
from pages.ui.widgets import bounds

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
c4, c5, c6, c7, c8 = st.columns(5)
learning_rate = c4.number_input(t("ctl.learning_rate"), **bounds("learning_rate"), step=0.001, format="%g",
                                key="sharp_learning_rate", bind="query-params", help=t("ctl.learning_rate_help"))
epochs = c5.number_input(t("ctl.epochs"), **bounds("epochs"), step=1, key="sharp_epochs", bind="query-params",
                         help=t("ctl.epochs_help"))
small_batch = c6.number_input(t("sharp.small_batch"), **bounds("batch_size"), step=1, key="sharp_small_batch",
                              bind="query-params")
large_batch = c7.number_input(t("sharp.large_batch"), **bounds("batch_size"), step=1, key="sharp_large_batch",
                              bind="query-params")
seed = c8.number_input(t("ctl.seed"), **bounds("seed"), step=1, key="sharp_seed", bind="query-params",
                       help=t("ctl.seed_help"))

pool = job_pool()
try:
    base = TrainConfig(dataset=dataset, model=model, optimizer=optimizer, learning_rate=float(learning_rate),
                       epochs=int(epochs), seed=int(seed), batch_size=int(small_batch))
    small, large = preset_configs(base, int(small_batch), int(large_batch))
    pool.limits.check_grid([small, large])
except ConfigError as exc:
    view.fail(say(exc))
st.caption(" · ".join(t("sharp.steps", batch=c.batch_size, per_epoch=c.updates_per_epoch,
                        total=c.updates_per_epoch * c.epochs, epochs=c.epochs) for c in (small, large)))

if st.button(t("sharp.run"), type="primary", key="sharp_run"):
    st.session_state["sharp_jobs"] = {"small": pool.submit(small, kind="sharpness").key,
                                      "large": pool.submit(large, kind="sharpness").key}


def number(value: float | None) -> float:
    """None as NaN, which the table shows as a blank."""
    return math.nan if value is None else value


def draw_results(jobs: dict[str, str]) -> None:
    views = {name: pool.view(key) for name, key in jobs.items()}
    draw_group(pool, list(views.values()), [t("group.batch", batch=c.batch_size) for c in (small, large)])
    for v in views.values():
        if v is not None and v.finishing:
            st.caption(t("sharp.measuring", batch=v.config.batch_size))
    ready = [v for v in views.values() if v is not None and v.rows]
    if ready:
        labels = [f"B {v.config.batch_size}" for v in ready]
        tabs = st.tabs([t("sharp.tab_val_loss"), t("sharp.tab_gap"), t("sharp.tab_train_loss")])
        for tab, metric in zip(tabs, ("val_loss", "gap", "train_loss"), strict=True):
            with tab:
                st.altair_chart(overlay_chart(runs_table(ready, metric, labels=labels), metric, text=say),
                                key=f"sharp_chart_{metric}")
    results = {name: v.result for name, v in views.items() if v is not None and v.result is not None}
    if len(results) < 2:
        return
    summaries = {name: RunSummary.of(result) for name, result in results.items()}
    sharpness, gap, test_acc, edge = (t("sharp.col_sharpness"), t("sharp.col_gap"), t("sharp.col_test_acc"),
                                      t("sharp.col_edge"))
    run_names = {"small": t("sharp.small_run"), "large": t("sharp.large_run")}
    st.dataframe(pd.DataFrame([{
        t("sharp.col_run"): run_names[name], t("sharp.col_batch_size"): s.batch_size,
        t("sharp.col_lr"): s.learning_rate, t("sharp.col_status"): status_text(s.status),
        sharpness: number(s.sharpness), edge: number(s.stability_edge),
        t("sharp.col_final_train_loss"): number(s.final_train_loss),
        t("sharp.col_best_val_loss"): number(s.best_val_loss), gap: number(s.gap),
        test_acc: number(s.test_acc)} for name, s in summaries.items()]),
        hide_index=True, placeholder="", key="sharp_table",
        column_config={sharpness: st.column_config.NumberColumn(format="%.4g", help=t("sharp.col_sharpness_help")),
                       edge: st.column_config.NumberColumn(format="%.4g", help=t("sharp.col_edge_help")),
                       gap: st.column_config.NumberColumn(format="%.4f", help=t("sharp.col_gap_help")),
                       test_acc: st.column_config.NumberColumn(format="percent")})
    result = verdict(summaries["small"], summaries["large"])
    st.subheader(t("sharp.claim"))
    words = {Outcome.HELD: ("✅", t("sharp.held")), Outcome.NOT_HELD: ("❌", t("sharp.not_held")),
             Outcome.UNDECIDED: ("⚖️", t("sharp.undecided")), Outcome.MISSING: ("ℹ️", t("sharp.undecided"))}
    for finding in (result.sharper, result.worse):
        icon, word = words[finding.outcome]
        st.markdown(t("sharp.finding", icon=icon, claim=say(finding.claim), word=word,
                      evidence=say(finding.evidence)))
    show = {True: st.success, False: st.warning, None: st.info}[result.held]
    show(say(result.summary))
    st.caption(t("sharp.caveat"))


jobs = st.session_state.get("sharp_jobs")
if jobs:
    follow(pool, jobs.values(), partial(draw_results, jobs))
view.end()
