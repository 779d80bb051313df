"""Flat vs sharp minima: train a small and a large batch, measure how sharp each ends, check seed 003's claim."""

import math

import pandas as pd
import streamlit as st

from core.charts import overlay_chart, runs_table
from core.config import OPTIMIZERS, ConfigError, TrainConfig
from core.datasets import DATASETS
from core.jobs import SHARPNESS_SAMPLES
from core.sharpness_preset import DEFAULTS, RunSummary, preset_configs, verdict
from core.sweep import group_key, progress
from pages.ui.follow import follow
from pages.ui.i18n import say, t
from pages.ui.names import dataset_titles, model_titles, optimizer_titles
from pages.ui.nav import sidebar_nav
from pages.ui.resources import job_pool
from pages.ui.run_view import status_text

sidebar_nav("pages/6_Sharpness.py")
st.title(t("sharp.title"))
st.write(t("sharp.intro"))
st.caption(t("sharp.measured", samples=SHARPNESS_SAMPLES))

st.header(t("sharp.preset"))
st.write(t("sharp.preset_intro"))
for name, value in DEFAULTS.items():
    if name != "model":  # the model's widget is per dataset: set below
        st.session_state.setdefault(f"sharp_{name}", value)
c1, c2, c3 = st.columns(3)
dataset = c1.selectbox(t("ctl.dataset"), list(DATASETS), format_func=dataset_titles().__getitem__,
                       key="sharp_dataset")
models = DATASETS[dataset].models
st.session_state.setdefault(f"sharp_model_{dataset}", DEFAULTS["model"] if DEFAULTS["model"] in models else models[0])
model = c2.selectbox(t("ctl.model"), models, format_func=model_titles().__getitem__, key=f"sharp_model_{dataset}")
optimizer = c3.selectbox(t("ctl.optimizer"), OPTIMIZERS, format_func=optimizer_titles().__getitem__,
                         key="sharp_optimizer")  # lookups made now: AppTest calls format_func outside the run
c4, c5, c6, c7, c8 = st.columns(5)
learning_rate = c4.number_input(t("ctl.learning_rate"), min_value=1e-8, max_value=1000.0, step=0.001, format="%g",
                                key="sharp_learning_rate", help=t("ctl.learning_rate_help"))
epochs = c5.number_input(t("ctl.epochs"), min_value=1, max_value=500, step=1, key="sharp_epochs",
                         help=t("ctl.epochs_help"))
small_batch = c6.number_input(t("sharp.small_batch"), min_value=1, step=1, key="sharp_small_batch")
large_batch = c7.number_input(t("sharp.large_batch"), min_value=1, step=1, key="sharp_large_batch")
seed = c8.number_input(t("ctl.seed"), min_value=0, max_value=2**31 - 1, step=1, key="sharp_seed",
                       help=t("ctl.seed_help"))

pool = job_pool()
try:
    base = TrainConfig(dataset=dataset, model=model, optimizer=optimizer, learning_rate=float(learning_rate),
                       epochs=int(epochs), seed=int(seed), batch_size=1)
    small, large = preset_configs(base, int(small_batch), int(large_batch))
    pool.limits.check_grid([small, large])
except ConfigError as exc:
    st.error(say(exc), icon="🚫")
    st.stop()
st.caption(" · ".join(t("sharp.steps", batch=c.batch_size, per_epoch=c.updates_per_epoch,
                        total=c.updates_per_epoch * c.epochs, epochs=c.epochs) for c in (small, large)))

if st.button(t("sharp.run"), type="primary", key="sharp_run"):
    st.session_state["sharp_jobs"] = {"small": pool.submit(small, kind="sharpness").key,
                                      "large": pool.submit(large, kind="sharpness").key}


def _number(value: float | None) -> float:
    return math.nan if value is None else value


def draw_results(jobs: dict[str, str]) -> None:
    views = {name: pool.view(key) for name, key in jobs.items()}
    state = progress(list(views.values()), pool.workers)
    st.progress(state.fraction, text=t("sharp.progress", done=state.done, total=state.total))
    for v in views.values():
        if v is not None and v.status == "failed":
            st.error(t("sharp.failed", batch=v.config.batch_size, message=say(v.message)), icon="🚫")
        elif v is not None and v.active and v.rows and len(v.rows) == v.config.epochs:
            st.caption(t("sharp.measuring", batch=v.config.batch_size))
    ready = {name: v for name, v in views.items() if v is not None and v.rows}
    if ready:
        series = [({"run": v.config.key, "label": f"B {v.config.batch_size}", "batch_size": v.config.batch_size,
                    "learning_rate": v.config.learning_rate, "group": group_key(v.config)}, v.rows)
                  for v in ready.values()]
        tabs = st.tabs([t("sharp.tab_val_loss"), t("sharp.tab_gap"), t("sharp.tab_train_loss")])
        for tab, metric in zip(tabs, ("val_loss", "gap", "train_loss")):
            with tab:
                st.altair_chart(overlay_chart(runs_table(series, metric), metric, text=say),
                                key=f"sharp_chart_{metric}")
    results = {name: v.result for name, v in views.items() if v is not None and v.result is not None}
    if len(results) < 2:
        return
    summaries = {name: RunSummary.of(result) for name, result in results.items()}
    sharpness, gap, test_acc = t("sharp.col_sharpness"), t("sharp.col_gap"), t("sharp.col_test_acc")
    run_names = {"small": t("sharp.small_run"), "large": t("sharp.large_run")}
    st.dataframe(pd.DataFrame([{
        t("sharp.col_run"): run_names[name], t("sharp.col_batch_size"): s.batch_size,
        t("sharp.col_lr"): s.learning_rate, t("sharp.col_status"): status_text(s.status),
        sharpness: _number(s.sharpness), t("sharp.col_final_train_loss"): _number(s.final_train_loss),
        t("sharp.col_best_val_loss"): _number(s.best_val_loss), gap: _number(s.gap),
        test_acc: _number(s.test_acc)} for name, s in summaries.items()]),
        hide_index=True, placeholder="", key="sharp_table",
        column_config={sharpness: st.column_config.NumberColumn(format="%.4g", help=t("sharp.col_sharpness_help")),
                       gap: st.column_config.NumberColumn(format="%.4f", help=t("sharp.col_gap_help")),
                       test_acc: st.column_config.NumberColumn(format="percent")})
    result = verdict(summaries["small"], summaries["large"])
    st.subheader(t("sharp.claim"))
    words = {True: ("✅", t("sharp.held")), False: ("❌", t("sharp.not_held")), None: ("ℹ️", t("sharp.undecided"))}
    for finding in (result.sharper, result.worse):
        icon, word = words[finding.held]
        st.markdown(t("sharp.finding", icon=icon, claim=say(finding.claim), word=word,
                      evidence=say(finding.evidence)))
    show = {True: st.success, False: st.warning, None: st.info}[result.held]
    show(say(result.summary))
    st.caption(t("sharp.caveat"))


jobs = st.session_state.get("sharp_jobs")
if jobs:
    follow(pool, jobs.values(), lambda: draw_results(jobs))
