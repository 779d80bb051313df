"""Drawing one training job: progress, curves and the run's summary."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from core.charts import curve_chart, lr_schedule_chart, step_loss_chart
from core.jobs.job import JobView
from core.messages import Message
from core.training.data import DATASETS
from core.training.grouped import group_of
from core.training.record import STATUS_NAMES, RunResult, Status, epochs_done, epochs_in
from core.training.schedules import is_constant, lr_at
from pages.ui.chart_cache import SpecCache
from pages.ui.i18n import current, say, t


def status_text(status: str) -> str:
    return say(STATUS_NAMES[Status(status)])


def progress_text(view: JobView) -> str:
    if view.status == Status.QUEUED:
        return t("run.queued", position=view.queue_position)
    epochs = view.config.epochs
    if view.status == Status.RUNNING:
        done = epochs_in(view.rows)
        if not done:
            return t("run.starting")
        elapsed = view.rows[-1]["time_s"]
        left = elapsed / done * (epochs - done)
        return t("run.progress", done=done, epochs=epochs, elapsed=f"{elapsed:.1f}", left=f"{left:.0f}")
    full, partial_steps = epochs_done(view.rows, view.config)
    if partial_steps:
        return t("run.ended_partial", status=status_text(view.status), epoch=full + 1, epochs=epochs)
    return t("run.ended", status=status_text(view.status), done=full, epochs=epochs)


SPECS = SpecCache()  # shared by every session of the server


def _chart(view: JobView, name: str, build: Callable[[], dict[str, Any]], chart_key: str) -> None:
    key = (view.id, current(), name, len(view.rows), len(view.step_losses), view.status)
    st.vega_lite_chart(SPECS.get(key, build), key=f"{chart_key}_{name}")


def draw_curves(view: JobView, chart_key: str) -> None:
    classification = DATASETS[view.config.dataset].task == "classification"
    epochs = view.config.epochs
    loss_tab, acc_tab, step_tab = st.tabs([t("run.tab_loss"), t("run.tab_acc"), t("run.tab_steps")])
    with loss_tab:
        _chart(view, "loss", lambda: curve_chart(view.rows, "loss", x_max=epochs, text=say), chart_key)
    with acc_tab:
        if classification:
            _chart(view, "acc", lambda: curve_chart(view.rows, "acc", x_max=epochs, text=say), chart_key)
        else:
            st.caption(t("run.no_accuracy"))
    with step_tab:
        if view.step_losses:
            _chart(view, "steps", lambda: step_loss_chart(view.step_losses, text=say), chart_key)
        st.caption(t("run.steps_caption"))
        if not is_constant(view.config):  # the schedule it trains with, known before it runs
            total = view.config.epochs * view.config.updates_per_epoch
            _chart(view, "schedule", lambda: lr_schedule_chart([lr_at(view.config, s) for s in range(total)],
                                                               text=say), chart_key)


def _fmt(value: float | None, pattern: str = "{:.4f}") -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else pattern.format(value)


def draw_summary(result: RunResult) -> None:
    classification = DATASETS[result.config.dataset].task == "classification"
    best = result.best_row
    cols = st.columns(4)
    cols[0].metric(t("sum.status"), status_text(result.status))
    if classification:
        cols[1].metric(t("sum.best_val_acc"), _fmt(best and best["val_acc"], "{:.1%}"),
                       help=t("sum.best_val_acc_help"))
    else:
        cols[1].metric(t("sum.best_val_loss"), _fmt(best and best["val_loss"]))
    cols[2].metric(t("sum.epochs"), f"{epochs_done(result.rows, result.config)[0]} / {result.config.epochs}",
                   help=t("sum.epochs_help"))
    cols[3].metric(t("sum.updates"), f"{result.updates:,}")
    cols = st.columns(4)
    cols[0].metric(t("sum.wall_time"), f"{result.wall_time:.2f} s")
    cols[1].metric(t("sum.samples_per_s"), f"{result.samples_per_second:,.0f}")
    device, group = group_of(result.device)
    if device == "unknown":
        cols[2].metric(t("sum.device"), t("sum.device_unknown"))
    elif group > 1:
        cols[2].metric(t("sum.device"), t("sum.device_grouped", device=device, k=group),
                       help=t("sum.device_grouped_help", others=group - 1))
    else:
        cols[2].metric(t("sum.device"), device)
    if classification:
        cols[3].metric(t("sum.test_acc"), _fmt(result.test_acc, "{:.1%}"))
    else:
        cols[3].metric(t("sum.test_loss"), _fmt(result.test_loss))


def not_saved(message: Message | str) -> bool:
    """Whether the message says the run could not be saved (a full disk, a store at its cap)."""
    return isinstance(message, Message) and message.key.startswith("jobs.not_saved")


def draw_status_message(view: JobView) -> None:
    if view.status == Status.DIVERGED:
        st.warning(t("run.diverged", message=say(view.message)), icon="⚠️")
    elif view.status == Status.UNSTABLE:
        st.warning(t("run.unstable", message=say(view.message)), icon="⚠️")
    elif view.status == Status.EARLY_STOPPED:
        st.info(say(view.message), icon="⏹️")
    elif view.status == Status.STOPPED:
        full, steps = epochs_done(view.rows, view.config)
        if steps:
            st.info(t("run.stopped_partial", epoch=full + 1, steps=steps, per_epoch=view.config.updates_per_epoch,
                      done=full), icon="⏹️")
        else:
            st.info(t("run.stopped", done=full), icon="⏹️")
    elif view.status == Status.FAILED:
        st.error(t("run.failed", message=say(view.message)), icon="🚫")
    elif view.status == Status.INTERRUPTED or not_saved(view.message):
        st.warning(say(view.message), icon="⚠️")
    elif view.message:  # e.g. a run answered from the first epochs of a longer stored run
        st.info(say(view.message), icon="♻️")


def draw_job(view: JobView, chart_key: str) -> None:
    """The whole job panel; call it again (e.g. from a polling fragment) to refresh it."""
    st.progress(view.progress, text=progress_text(view))
    draw_status_message(view)
    if view.rows:
        draw_curves(view, chart_key)
    if view.result is not None:
        draw_summary(view.result)
    elif view.active and view.started_at:
        st.caption(t("run.running_for", seconds=f"{time.time() - view.started_at:.0f}"))
