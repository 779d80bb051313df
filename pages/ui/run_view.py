"""Drawing one training job: progress, curves and the run's summary."""

from __future__ import annotations

import math
import time

import streamlit as st

from core.charts import curve_chart, step_loss_chart
from core.datasets import DATASETS
from core.engine import RunResult
from core.jobs import JobView

STATUS_TEXT = {
    "queued": "Queued",
    "running": "Training",
    "completed": "Completed",
    "stopped": "Stopped",
    "diverged": "Diverged",
    "early_stopped": "Early-stopped",
    "failed": "Failed",
}


def progress_text(view: JobView) -> str:
    if view.status == "queued":
        return f"Queued: number {view.queue_position} in line for a free worker."
    epochs = view.config.epochs
    if view.status == "running":
        if not view.rows:
            return "Starting: loading the data and building the model…"
        done = len(view.rows)
        elapsed = view.rows[-1]["time_s"]
        left = elapsed / done * (epochs - done)
        return f"Epoch {done} of {epochs} · {elapsed:.1f} s so far, about {left:.0f} s left"
    return f"{STATUS_TEXT[view.status]} after {len(view.rows)} of {epochs} epochs"


def draw_curves(view: JobView, chart_key: str) -> None:
    classification = DATASETS[view.config.dataset].task == "classification"
    loss_tab, acc_tab, step_tab = st.tabs(["Loss", "Accuracy", "Every step"])
    with loss_tab:
        st.altair_chart(curve_chart(view.rows, "loss", x_max=view.config.epochs), key=f"{chart_key}_loss")
    with acc_tab:
        if classification:
            st.altair_chart(curve_chart(view.rows, "acc", x_max=view.config.epochs), key=f"{chart_key}_acc")
        else:
            st.caption("Regression has no accuracy: its loss is the mean squared error.")
    with step_tab:
        if view.step_losses:
            st.altair_chart(step_loss_chart(view.step_losses), key=f"{chart_key}_steps")
        st.caption("Small batches give noisy per-step losses; the red line is a 20-step moving average.")


def _fmt(value: float | None, pattern: str = "{:.4f}") -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else pattern.format(value)


def draw_summary(result: RunResult) -> None:
    classification = DATASETS[result.config.dataset].task == "classification"
    best = result.best_row
    cols = st.columns(4)
    cols[0].metric("Status", STATUS_TEXT[result.status])
    if classification:
        cols[1].metric("Best val accuracy", _fmt(best and best["val_acc"], "{:.1%}"),
                       help="Validation accuracy at the epoch with the lowest validation loss.")
    else:
        cols[1].metric("Best val loss (MSE)", _fmt(best and best["val_loss"]))
    cols[2].metric("Epochs", f"{result.epochs_run} / {result.config.epochs}")
    cols[3].metric("Update steps", f"{result.updates:,}")
    cols = st.columns(4)
    cols[0].metric("Wall time", f"{result.wall_time:.2f} s")
    cols[1].metric("Samples / s", f"{result.samples_per_second:,.0f}")
    cols[2].metric("Device", result.device)
    if classification:
        cols[3].metric("Test accuracy", _fmt(result.test_acc, "{:.1%}"))
    else:
        cols[3].metric("Test loss (MSE)", _fmt(result.test_loss))


def draw_status_message(view: JobView) -> None:
    if view.status == "diverged":
        st.warning(f"**Diverged.** {view.message} The learning rate is too large for this batch size; "
                   "the history up to that point is kept.", icon="⚠️")
    elif view.status == "early_stopped":
        st.info(view.message, icon="⏹️")
    elif view.status == "stopped":
        st.info(f"Stopped by request after {len(view.rows)} epochs; what was trained is kept below.", icon="⏹️")
    elif view.status == "failed":
        st.error(f"Training failed: {view.message}", icon="🚫")
    elif view.message:  # e.g. a run answered from the first epochs of a longer stored run
        st.info(view.message, icon="♻️")


def draw_job(view: JobView, chart_key: str) -> None:
    """The whole job panel; call it again (e.g. from a polling fragment) to refresh it."""
    st.progress(view.progress, text=progress_text(view))
    draw_status_message(view)
    if view.rows:
        draw_curves(view, chart_key)
    if view.result is not None:
        draw_summary(view.result)
    elif view.active and view.started_at:
        st.caption(f"Running for {time.time() - view.started_at:.0f} s.")
