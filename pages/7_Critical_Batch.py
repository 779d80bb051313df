"""The critical batch size, two ways: the gradient noise scale during training, and steps to a target."""

import dataclasses
import math

import pandas as pd
import streamlit as st

from core.charts import noise_scale_chart, steps_to_target_chart
from core.config import ConfigError
from core.critical_batch import best_per_batch, fit_critical_batch, perfect_scaling, regime
from core.datasets import DATASETS
from core.sweep import grid, progress
from pages.ui.nav import sidebar_nav
from pages.ui.resources import job_pool
from pages.ui.run_view import status_text
from pages.ui.train_controls import config_controls

BATCH_CHOICES = [8, 16, 32, 64, 128, 256, 512, 1024, 2048]
LR_CHOICES = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]

st.set_page_config(page_title="Critical batch size · Batch Lab", page_icon="📐", layout="wide")
sidebar_nav()
st.title("Critical batch size (임계 배치 크기)")
st.write(
    "Up to a point, doubling the batch halves the update steps training needs; beyond it, a bigger batch buys "
    "little. That point is the **critical batch size**. Measure it two ways on the same data: the *gradient "
    "noise scale* B_simple = tr(Σ)/|G|² during one run (McCandlish et al. 2018), and the *steps needed to reach "
    "a target* for several batch sizes, each with its best learning rate (Shallue et al. 2019).")

pool = job_pool()
base, error = config_controls(prefix="cb_", hide=("batch_size", "learning_rate"))
if error:
    st.error(error, icon="🚫")
    st.stop()
task = DATASETS[base.dataset].task


def active(keys) -> bool:
    return any((v := pool.view(k)) is not None and v.active for k in keys)


# ---------------------------------------------------------------- 1. noise scale during one run
st.header("1 · Gradient noise scale during training")
st.write("Trains one run and, after every epoch, measures B_simple from 4 micro-batch gradients at the same "
         "weights (8 draws per epoch, smoothed). It is measured at this run's learning rate: a learning rate "
         "that is too large biases it low.")
n1, n2 = st.columns(2)
noise_batch = n1.number_input("Batch size", min_value=1, value=64, key="cb_noise_batch")
noise_lr = n2.number_input("Learning rate", min_value=1e-8, max_value=1000.0, value=base.learning_rate,
                           format="%g", key="cb_noise_lr")
try:
    noise_config = grid(base, [int(noise_batch)], [float(noise_lr)])[0]
    pool.limits.check(noise_config)
    if 2 * noise_config.batch_size > noise_config.n_train:
        raise ConfigError(f"Measuring the noise scale needs two batches at once: choose a batch size of at most "
                          f"{noise_config.n_train // 2} for the {noise_config.n_train} training samples.")
except ConfigError as exc:
    st.error(str(exc), icon="🚫")
    noise_config = None
if noise_config is not None and st.button("Train and measure", type="primary", key="cb_noise_run"):
    st.session_state["cb_noise_job"] = pool.submit(noise_config, "noise_scale").key


def draw_noise(key: str) -> None:
    view = pool.view(key)
    if view is None:
        return
    st.progress(view.progress, text=f"{status_text(view.status)}: {len(view.rows)} of {view.config.epochs} epochs")
    if view.status == "failed":
        st.error(f"Measuring failed: {view.message}", icon="🚫")
    rows = [r for r in view.rows if "b_simple" in r]
    if rows:
        last = rows[-1]["b_simple"]
        st.metric("Critical batch size ≈", "–" if not math.isfinite(last) or last <= 0 else f"{last:,.0f}",
                  help="B_simple after the last epoch. It usually grows as training goes on and the gradient "
                       "signal shrinks relative to its noise.")
        st.altair_chart(noise_scale_chart(rows), key="cb_noise_chart")
        st.session_state["cb_noise_last"] = last


@st.fragment(run_every=1.0)
def live_noise(key: str) -> None:
    if not active([key]):
        st.rerun()
    draw_noise(key)


noise_key = st.session_state.get("cb_noise_job")
if noise_key and active([noise_key]):
    live_noise(noise_key)
elif noise_key:
    draw_noise(noise_key)

# ---------------------------------------------------------------- 2. steps to target
st.header("2 · Steps to reach a target")
st.write("Trains every batch size with each learning rate below, takes for each batch size the learning rate "
         "that reaches the target in the fewest update steps, and fits S = S_min (1 + B_crit / B). "
         "Steps are counted at the end of the epoch that reached the target.")
s1, s2 = st.columns(2)
batch_sizes = s1.multiselect("Batch sizes", BATCH_CHOICES, default=[16, 64, 256, 1024], key="cb_batches")
learning_rates = s2.multiselect("Learning rates to try per batch size", LR_CHOICES, default=[0.003, 0.01, 0.03],
                                key="cb_lrs")
metrics = ["val_acc", "val_loss"] if task == "classification" else ["val_loss"]
t1, t2 = st.columns(2)
metric = t1.selectbox("Target metric", metrics, key="cb_metric",
                      format_func={"val_acc": "validation accuracy ≥", "val_loss": "validation loss ≤"}.get)
target = t2.number_input("Target", min_value=0.0, value=0.8 if metric == "val_acc" else 0.1, format="%g",
                         key=f"cb_target_{metric}")
try:
    if not batch_sizes or not learning_rates:
        raise ConfigError("Pick at least one batch size and one learning rate.")
    configs = grid(base, sorted(batch_sizes), sorted(learning_rates))
    pool.limits.check_grid(configs)
except ConfigError as exc:
    st.error(str(exc), icon="🚫")
    st.stop()
st.caption(f"{len(configs)} runs of {base.epochs} epochs; runs already in the store are reused.")
if st.button("Run", type="primary", key="cb_steps_run", disabled=active(st.session_state.get("cb_steps_jobs", []))):
    st.session_state["cb_steps_jobs"] = [pool.submit(c).key for c in configs]


def draw_steps(keys: list[str]) -> None:
    views = [pool.view(k) for k in keys]
    state = progress(views, pool.workers)
    left = "" if state.seconds_left is None else f", about {state.seconds_left:.0f} s left"
    st.progress(state.fraction, text=f"{state.done} of {state.total} runs done{left}")
    finished = [v for v in views if v is not None and not v.active and v.rows]
    if not finished:
        return
    points = best_per_batch([(v.config.batch_size, v.config.learning_rate, v.rows) for v in finished],
                            float(target), metric)
    reached = [p for p in points if p.steps is not None]
    table = pd.DataFrame([{"batch size": p.batch_size, "steps to target": p.steps, "best LR": p.learning_rate}
                          for p in points])
    if not reached:
        st.warning("No run reached the target: choose an easier target, more epochs or other learning rates.",
                   icon="⚠️")
        st.dataframe(table, hide_index=True, key="cb_steps_table")
        return
    fit = fit_critical_batch(points)
    sizes = sorted({p.batch_size for p in points})
    curve = [] if fit is None else [{"batch_size": b, "steps": fit.steps(b)} for b in sizes]
    perfect = [{"batch_size": b, "steps": s} for b, s in perfect_scaling(points)]
    st.altair_chart(steps_to_target_chart([dataclasses.asdict(p) for p in reached], curve, perfect), key="cb_steps_chart")
    if fit is None:
        st.info("The measured steps do not follow S = S_min (1 + B_crit / B) (too few points, or steps that grow "
                "with the batch size), so no critical batch size is fitted.", icon="ℹ️")
    else:
        table["regime"] = [regime(fit, p.batch_size) if p.steps is not None else "" for p in points]
        st.metric("Fitted critical batch size B_crit", f"{fit.b_crit:,.0f}",
                  help=f"S_min = {fit.s_min:,.0f} steps: the fewest steps any batch size could need.")
        noise = st.session_state.get("cb_noise_last")
        if noise and math.isfinite(noise) and noise > 0:
            st.write(f"The noise scale measured above ended at **{noise:,.0f}**; McCandlish et al. predict "
                     f"B_crit ≈ B_noise. Here the ratio is {fit.b_crit / noise:.2g}.")
    st.dataframe(table, hide_index=True, key="cb_steps_table")


@st.fragment(run_every=1.0)
def live_steps(keys: list[str]) -> None:
    if not active(keys):
        st.rerun()
    draw_steps(keys)


steps_keys = st.session_state.get("cb_steps_jobs")
if steps_keys and active(steps_keys):
    live_steps(steps_keys)
elif steps_keys:
    draw_steps(steps_keys)
