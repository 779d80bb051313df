"""The critical batch size, two ways: the gradient noise scale during training, and steps to a target."""

import dataclasses
import math

import pandas as pd
import streamlit as st

from core.charts import noise_scale_chart, steps_to_target_chart
from core.config import ConfigError
from core.critical_batch import best_per_batch, fit_critical_batch, perfect_scaling, regime
from core.datasets import DATASETS
from core.noise_scale import check_two_batches
from core.sweep import grid, progress
from pages.ui.follow import any_active, follow
from pages.ui.i18n import say, t
from pages.ui.nav import sidebar_nav
from pages.ui.resources import job_pool
from pages.ui.run_view import status_text
from pages.ui.train_controls import config_controls

BATCH_CHOICES = [8, 16, 32, 64, 128, 256, 512, 1024, 2048]
LR_CHOICES = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]

sidebar_nav("pages/7_Critical_Batch.py")
st.title(t("cb.title"))
st.write(t("cb.intro"))

pool = job_pool()
base, error = config_controls(prefix="cb_", hide=("batch_size", "learning_rate"))
if error:
    st.error(error, icon="🚫")
    st.stop()
task = DATASETS[base.dataset].task

# ---------------------------------------------------------------- 1. noise scale during one run
st.header(t("cb.noise_header"))
st.write(t("cb.noise_intro"))
n1, n2 = st.columns(2)
noise_batch = n1.number_input(t("cb.noise_batch"), min_value=1, value=64, key="cb_noise_batch")
noise_lr = n2.number_input(t("cb.noise_lr"), min_value=1e-8, max_value=1000.0, value=base.learning_rate,
                           format="%g", key="cb_noise_lr")
try:
    noise_config = grid(base, [int(noise_batch)], [float(noise_lr)])[0]
    pool.limits.check(noise_config)
    check_two_batches(noise_config.batch_size, noise_config.n_train)
except ConfigError as exc:
    st.error(say(exc), icon="🚫")
    noise_config = None
if noise_config is not None and st.button(t("cb.noise_button"), type="primary", key="cb_noise_run"):
    st.session_state["cb_noise_job"] = pool.submit(noise_config, "noise_scale").key


def draw_noise(key: str) -> None:
    view = pool.view(key)
    if view is None:
        return
    st.progress(view.progress, text=t("cb.noise_progress", status=status_text(view.status), done=len(view.rows),
                                      epochs=view.config.epochs))
    if view.status == "failed":
        st.error(t("cb.noise_failed", message=say(view.message)), icon="🚫")
    rows = [r for r in view.rows if "b_simple" in r]
    if rows:
        last = rows[-1]["b_simple"]
        st.metric(t("cb.noise_metric"), "–" if not math.isfinite(last) or last <= 0 else f"{last:,.0f}",
                  help=t("cb.noise_metric_help"))
        st.altair_chart(noise_scale_chart(rows, text=say), key="cb_noise_chart")
        st.session_state["cb_noise_last"] = last


noise_key = st.session_state.get("cb_noise_job")
if noise_key:
    follow(pool, [noise_key], lambda: draw_noise(noise_key))

# ---------------------------------------------------------------- 2. steps to target
st.header(t("cb.steps_header"))
st.write(t("cb.steps_intro"))
s1, s2 = st.columns(2)
batch_sizes = s1.multiselect(t("cb.batches"), BATCH_CHOICES, default=[16, 64, 256, 1024], key="cb_batches")
learning_rates = s2.multiselect(t("cb.lrs"), LR_CHOICES, default=[0.003, 0.01, 0.03], key="cb_lrs")
metrics = ["val_acc", "val_loss"] if task == "classification" else ["val_loss"]
c1, c2 = st.columns(2)
metric = c1.selectbox(t("cb.target_metric"), metrics, key="cb_metric",
                      format_func={m: t(f"cb.metric.{m}") for m in metrics}.get)  # a dict: AppTest calls it too
target = c2.number_input(t("cb.target"), min_value=0.0, max_value=1.0 if metric == "val_acc" else None,
                         value=0.8 if metric == "val_acc" else 0.1, format="%g", key=f"cb_target_{metric}")
if not batch_sizes or not learning_rates:
    st.error(t("cb.pick_grid"), icon="🚫")
    st.stop()
try:
    configs = grid(base, sorted(batch_sizes), sorted(learning_rates))
    pool.limits.check_grid(configs)
except ConfigError as exc:
    st.error(say(exc), icon="🚫")
    st.stop()
st.caption(t("cb.runs_caption", runs=len(configs), epochs=base.epochs))
if st.button(t("cb.run"), type="primary", key="cb_steps_run",
             disabled=any_active(pool, st.session_state.get("cb_steps_jobs", []))):
    st.session_state["cb_steps_jobs"] = [pool.submit(c).key for c in configs]


def draw_steps(keys: list[str]) -> None:
    views = [pool.view(k) for k in keys]
    state = progress(views, pool.workers)
    if state.seconds_left is None:
        text = t("cb.steps_progress", done=state.done, total=state.total)
    else:
        text = t("cb.steps_progress_left", done=state.done, total=state.total, seconds=state.seconds_left)
    st.progress(state.fraction, text=text)
    finished = [v for v in views if v is not None and not v.active and v.rows]
    if not finished:
        return
    points = best_per_batch([(v.config.batch_size, v.config.learning_rate, v.rows) for v in finished],
                            float(target), metric)
    reached = [p for p in points if p.steps is not None]
    table = pd.DataFrame([{t("cb.col.batch_size"): p.batch_size, t("cb.col.steps"): p.steps,
                           t("cb.col.best_lr"): p.learning_rate} for p in points])
    if not reached:
        st.warning(t("cb.none_reached"), icon="⚠️")
        st.dataframe(table, hide_index=True, key="cb_steps_table")
        return
    fit = fit_critical_batch(points)
    sizes = sorted({p.batch_size for p in points})
    curve = [] if fit is None else [{"batch_size": b, "steps": fit.steps(b)} for b in sizes]
    perfect = [{"batch_size": b, "steps": s} for b, s in perfect_scaling(points)]
    st.altair_chart(steps_to_target_chart([dataclasses.asdict(p) for p in reached], curve, perfect, text=say),
                    key="cb_steps_chart")
    if fit is None:
        st.info(t("cb.no_fit"), icon="ℹ️")
    else:
        table[t("cb.col.regime")] = [say(regime(fit, p.batch_size)) if p.steps is not None else "" for p in points]
        st.metric(t("cb.fit_metric"), f"{fit.b_crit:,.0f}", help=t("cb.fit_metric_help", s_min=fit.s_min))
        noise = st.session_state.get("cb_noise_last")
        if noise and math.isfinite(noise) and noise > 0:
            st.write(t("cb.compare_noise", noise=noise, ratio=fit.b_crit / noise))
    st.dataframe(table, hide_index=True, key="cb_steps_table")


steps_keys = st.session_state.get("cb_steps_jobs")
if steps_keys:
    follow(pool, steps_keys, lambda: draw_steps(steps_keys))
