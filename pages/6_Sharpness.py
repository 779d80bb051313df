"""Flat vs sharp minima: train a small and a large batch, measure how sharp each ends, check seed 003's claim."""

import math

import pandas as pd
import streamlit as st

from core.charts import overlay_chart, runs_table
from core.config import OPTIMIZERS, ConfigError, TrainConfig
from core.datasets import DATASETS
from core.jobs import SHARPNESS_SAMPLES
from core.models import MODEL_TITLES
from core.sharpness_preset import DEFAULTS, RunSummary, preset_configs, verdict
from core.sweep import group_key, progress
from pages.ui.nav import sidebar_nav
from pages.ui.resources import job_pool
from pages.ui.train_controls import OPTIMIZER_TITLES

VERDICT_WORDS = {True: ("✅", "Held"), False: ("❌", "Did not hold"), None: ("ℹ️", "Not decided")}

st.set_page_config(page_title="Sharpness · Batch Lab", page_icon="⛰️", layout="wide")
sidebar_nav()
st.title("Sharpness (날카로운 최소점)")
st.write(
    "A minimum is *sharp* when the training loss rises steeply around it — its Hessian has a large top "
    "eigenvalue — and *flat* when it rises gently; Keskar et al. (2017) found that large-batch training ends in "
    "sharper minima that generalize worse, and seed 003 repeats the claim. Gradient descent with learning rate η "
    "cannot settle where the sharpness exceeds 2/η (the *edge of stability*, Cohen et al. 2021), so the learning "
    "rate and the noise of small batches both limit how sharp a minimum training can reach.")
st.caption(f"Measured here: the top eigenvalue of the Hessian of the mean training loss at the final weights, by "
           f"power iteration with Hessian-vector products (at most 50), on the training set — at most its first "
           f"{SHARPNESS_SAMPLES:,} samples, a fixed random subset.")

st.header("Preset: small vs large batch")
st.write("Trains the same settings at a small and a large batch size — same learning rate, same epochs — then "
         "measures both minima and checks the claim on the numbers.")
for name, value in DEFAULTS.items():
    if name != "model":  # the model's widget is per dataset: set below
        st.session_state.setdefault(f"sharp_{name}", value)
c1, c2, c3 = st.columns(3)
dataset = c1.selectbox("Dataset", list(DATASETS), format_func=lambda d: DATASETS[d].title, key="sharp_dataset")
models = DATASETS[dataset].models
st.session_state.setdefault(f"sharp_model_{dataset}", DEFAULTS["model"] if DEFAULTS["model"] in models else models[0])
model = c2.selectbox("Model", models, format_func=MODEL_TITLES.get, key=f"sharp_model_{dataset}")
optimizer = c3.selectbox("Optimizer", OPTIMIZERS, format_func=OPTIMIZER_TITLES.get, key="sharp_optimizer")
c4, c5, c6, c7, c8 = st.columns(5)
learning_rate = c4.number_input("Learning rate", min_value=1e-8, max_value=1000.0, step=0.001, format="%g",
                                key="sharp_learning_rate")
epochs = c5.number_input("Epochs", min_value=1, max_value=500, step=1, key="sharp_epochs")
small_batch = c6.number_input("Small batch", min_value=1, step=1, key="sharp_small_batch")
large_batch = c7.number_input("Large batch", min_value=1, step=1, key="sharp_large_batch")
seed = c8.number_input("Seed", min_value=0, max_value=2**31 - 1, step=1, key="sharp_seed")

pool = job_pool()
try:
    base = TrainConfig(dataset=dataset, model=model, optimizer=optimizer, learning_rate=float(learning_rate),
                       epochs=int(epochs), seed=int(seed), batch_size=1)
    small, large = preset_configs(base, int(small_batch), int(large_batch))
    pool.limits.check_grid([small, large])
except ConfigError as exc:
    st.error(str(exc), icon="🚫")
    st.stop()
st.caption(" · ".join(f"batch {c.batch_size}: {c.updates_per_epoch:,} updates per epoch, "
                      f"{c.updates_per_epoch * c.epochs:,} in {c.epochs} epochs" for c in (small, large)))

if st.button("Train both and measure", type="primary", key="sharp_run"):
    st.session_state["sharp_jobs"] = {"small": pool.submit(small, kind="sharpness").key,
                                      "large": pool.submit(large, kind="sharpness").key}


def _number(value: float | None) -> float:
    return math.nan if value is None else value


def draw_results(jobs: dict[str, str]) -> None:
    views = {name: pool.view(key) for name, key in jobs.items()}
    state = progress(list(views.values()), pool.workers)
    st.progress(state.fraction, text=f"{state.done} of {state.total} runs done")
    for v in views.values():
        if v is not None and v.status == "failed":
            st.error(f"Training batch {v.config.batch_size} failed: {v.message}", icon="🚫")
        elif v is not None and v.active and v.rows and len(v.rows) == v.config.epochs:
            st.caption(f"Batch {v.config.batch_size}: trained; measuring the sharpness…")
    ready = {name: v for name, v in views.items() if v is not None and v.rows}
    if ready:
        series = [({"run": v.config.key, "label": f"B {v.config.batch_size}", "batch_size": v.config.batch_size,
                    "learning_rate": v.config.learning_rate, "group": group_key(v.config)}, v.rows)
                  for v in ready.values()]
        tabs = st.tabs(["Validation loss", "Generalization gap (val − train)", "Training loss"])
        for tab, metric in zip(tabs, ("val_loss", "gap", "train_loss")):
            with tab:
                st.altair_chart(overlay_chart(runs_table(series, metric), metric), key=f"sharp_chart_{metric}")
    results = {name: v.result for name, v in views.items() if v is not None and v.result is not None}
    if len(results) < 2:
        return
    summaries = {name: RunSummary.of(result) for name, result in results.items()}
    st.dataframe(pd.DataFrame([{
        "run": f"{name} batch", "batch size": s.batch_size, "LR": s.learning_rate, "status": s.status,
        "sharpness": _number(s.sharpness), "final train loss": _number(s.final_train_loss),
        "best val loss": _number(s.best_val_loss), "generalization gap": _number(s.gap),
        "test accuracy": _number(s.test_acc)} for name, s in summaries.items()]),
        hide_index=True, placeholder="", key="sharp_table",
        column_config={"sharpness": st.column_config.NumberColumn(format="%.4g", help="Top Hessian eigenvalue"),
                       "generalization gap": st.column_config.NumberColumn(
                           format="%.4f", help="Validation − training loss at the epoch with the best "
                                               "validation loss"),
                       "test accuracy": st.column_config.NumberColumn(format="percent")})
    result = verdict(summaries["small"], summaries["large"])
    st.subheader("Seed 003's claim, measured here")
    for finding in (result.sharper, result.worse):
        icon, word = VERDICT_WORDS[finding.held]
        st.markdown(f"{icon} **{finding.claim}: {word}.** *Measured:* {finding.evidence}.")
    show = {True: st.success, False: st.warning, None: st.info}[result.held]
    show(result.summary)
    st.caption("Both runs train the same epochs, so the large batch makes far fewer updates: a higher validation "
               "loss can be under-training rather than a sharp minimum, and the gap is the cleaner sign.")


@st.fragment(run_every=1.0)
def live(jobs: dict[str, str]) -> None:
    if not any((v := pool.view(k)) is not None and v.active for k in jobs.values()):
        st.rerun()
    draw_results(jobs)


jobs = st.session_state.get("sharp_jobs")
if jobs:
    if any((v := pool.view(k)) is not None and v.active for k in jobs.values()):
        live(jobs)
    else:
        draw_results(jobs)
