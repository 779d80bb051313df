"""The critical batch size, two ways: the gradient noise scale during training, and steps to a target."""

import math
from functools import partial

import pandas as pd
import streamlit as st

from core.analysis.critical_batch import (
    best_per_batch,
    chart_data,
    fit_critical_batch,
    leave_one_out,
    regime,
    steps_table,
)
from core.analysis.noise_scale import check_two_batches
from core.charts import noise_scale_chart, steps_to_target_chart
from core.experiments.presets import grid
from core.runs.tables import labeller
from core.settings import ConfigError
from core.training.data import DATASETS
from core.training.record import Status, epochs_in
from pages.ui.follow import any_active, follow
from pages.ui.i18n import say, t
from pages.ui.jobs_panel import draw_group
from pages.ui.page import page
from pages.ui.resources import job_pool
from pages.ui.run_view import status_text
from pages.ui.train_controls import config_controls
from pages.ui.widgets import bounds, choices

BATCH_CHOICES = [8, 16, 32, 64, 128, 256, 512, 1024, 2048]
LR_CHOICES = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]

view = page("pages/7_Critical_Batch.py", share=True)
pool = job_pool()
base, error = config_controls(prefix="cb_", hide=("batch_size", "learning_rate"))
if base is None:
    view.fail(error or "")
task = DATASETS[base.dataset].task

# ---------------------------------------------------------------- 1. noise scale during one run
st.header(t("cb.noise_header"))
st.write(t("cb.noise_intro"))
n1, n2 = st.columns(2)
noise_batch = n1.number_input(t("cb.noise_batch"), **bounds("batch_size"), value=64, key="cb_noise_batch",
                              bind="query-params")
noise_lr = n2.number_input(t("cb.noise_lr"), **bounds("learning_rate"), value=base.learning_rate, format="%g",
                           key="cb_noise_lr", bind="query-params")
try:
    noise_config = grid(base, [int(noise_batch)], [float(noise_lr)])[0]
    pool.limits.check(noise_config)
    check_two_batches(noise_config.batch_size, noise_config.n_train)
    measurable = True
except ConfigError as exc:
    st.error(say(exc), icon="🚫")
    measurable = False
if measurable and st.button(t("cb.noise_button"), type="primary", key="cb_noise_run"):
    st.session_state["cb_noise_job"] = pool.submit(noise_config, "noise_scale").key


def draw_noise(key: str) -> None:
    job = pool.view(key)
    if job is None:
        return
    st.progress(job.progress, text=t("cb.noise_progress", status=status_text(job.status), done=epochs_in(job.rows),
                                     epochs=job.config.epochs))
    if job.status == Status.FAILED:
        st.error(t("cb.noise_failed", message=say(job.message)), icon="🚫")
    rows = [r for r in job.rows if "b_simple" in r]
    if rows:
        last = rows[-1]["b_simple"]
        st.metric(t("cb.noise_metric"), "–" if not math.isfinite(last) or last <= 0 else f"{last:,.0f}",
                  help=t("cb.noise_metric_help"))
        st.altair_chart(noise_scale_chart(rows, text=say), key="cb_noise_chart")
        st.session_state["cb_noise_last"] = last


noise_key = st.session_state.get("cb_noise_job")
if noise_key:
    follow(pool, [noise_key], partial(draw_noise, noise_key))

# ---------------------------------------------------------------- 2. steps to target
st.header(t("cb.steps_header"))
st.write(t("cb.steps_intro"))
s1, s2 = st.columns(2)
batch_sizes = s1.multiselect(t("cb.batches"), BATCH_CHOICES, default=[16, 64, 256, 1024], key="cb_batches",
                             bind="query-params")
learning_rates = s2.multiselect(t("cb.lrs"), LR_CHOICES, default=[0.003, 0.01, 0.03], key="cb_lrs",
                                bind="query-params")
metrics = ["val_acc", "val_loss"] if task == "classification" else ["val_loss"]
c1, c2 = st.columns(2)
metric = c1.selectbox(t("cb.target_metric"), **choices({m: t(f"cb.metric.{m}") for m in metrics}), key="cb_metric")
target = c2.number_input(t("cb.target"), min_value=0.0, max_value=1.0 if metric == "val_acc" else None,
                         value=0.8 if metric == "val_acc" else 0.1, format="%g", key=f"cb_target_{metric}",
                         bind="query-params")
if not batch_sizes or not learning_rates:
    view.fail(t("cb.pick_grid"))
try:
    configs = grid(base, sorted(batch_sizes), sorted(learning_rates))
    pool.limits.check_grid(configs)
except ConfigError as exc:
    view.fail(say(exc))
st.caption(t("cb.runs_caption", runs=len(configs), epochs=base.epochs))
your_batch = st.number_input(t("cb.your_batch"), **bounds("batch_size"), value=512, step=1, key="cb_your_batch",
                             bind="query-params", help=t("cb.your_batch_help"))
if st.button(t("cb.run"), type="primary", key="cb_steps_run",
             disabled=any_active(pool, st.session_state.get("cb_steps_jobs", []))):
    st.session_state["cb_steps_jobs"] = [pool.submit(c).key for c in configs]


def draw_steps(keys: list[str]) -> None:
    views = [pool.view(k) for k in keys]
    label = labeller([v.config for v in views if v is not None], text=say)
    draw_group(pool, views, [label(v.config) if v is not None else "" for v in views])
    finished = [v for v in views if v is not None and not v.active and v.rows]
    if not finished:
        return
    points = best_per_batch([(v.config.batch_size, v.config.learning_rate, v.rows) for v in finished],
                            float(target), metric)
    fit = fit_critical_batch(points)
    headers = {"batch_size": t("cb.col.batch_size"), "steps": t("cb.col.steps"), "learning_rate": t("cb.col.best_lr"),
               "regime": t("cb.col.regime")}
    rows = [{**row, "steps": t("cb.not_reached") if row["steps"] is None else f"{row['steps']:,}",
             "learning_rate": "–" if row["learning_rate"] is None else f"{row['learning_rate']:g}",
             "regime": say(row["regime"]) if row["regime"] is not None else ""} for row in steps_table(points, fit)]
    table = pd.DataFrame(rows, columns=list(headers)).rename(columns=headers)
    if fit is None:
        table = table.drop(columns=headers["regime"])
    if all(p.steps is None for p in points):
        st.warning(t("cb.none_reached"), icon="⚠️")
        st.dataframe(table, hide_index=True, key="cb_steps_table")
        return
    st.altair_chart(steps_to_target_chart(*chart_data(points, fit), text=say), key="cb_steps_chart")
    if fit is None:
        st.info(t("cb.no_fit"), icon="ℹ️")
    else:
        st.metric(t("cb.fit_metric"), f"{fit.b_crit:,.0f}", help=t("cb.fit_metric_help", s_min=fit.s_min))
        spread = leave_one_out(points)
        where = (t("cb.spread", low=spread[0], high=spread[1]) if spread is not None else t("cb.no_spread"))
        st.markdown(t("cb.answer", batch=int(your_batch), ratio=your_batch / fit.b_crit, b_crit=fit.b_crit,
                      spread=where, regime=say(regime(fit, int(your_batch)))))
        noise = st.session_state.get("cb_noise_last")
        if noise and math.isfinite(noise) and noise > 0:
            st.write(t("cb.compare_noise", noise=noise, ratio=fit.b_crit / noise))
    st.dataframe(table, hide_index=True, key="cb_steps_table")


steps_keys = st.session_state.get("cb_steps_jobs")
if steps_keys:
    follow(pool, steps_keys, partial(draw_steps, steps_keys))
view.end()
