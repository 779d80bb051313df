"""Drawing one training job: progress, curves and the run's summary."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import pyarrow as pa
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from core.charts import curve_chart, step_loss_chart
from core.datasets import DATASETS
from core.engine import RunResult
from core.jobs import JobView
from pages.ui.i18n import current, say, t


def status_text(status: str) -> str:
    return t(f"status.{status}")


def progress_text(view: JobView) -> str:
    if view.status == "queued":
        return t("run.queued", position=view.queue_position)
    epochs = view.config.epochs
    if view.status == "running":
        if not view.rows:
            return t("run.starting")
        done = len(view.rows)
        elapsed = view.rows[-1]["time_s"]
        left = elapsed / done * (epochs - done)
        return t("run.progress", done=done, epochs=epochs, elapsed=f"{elapsed:.1f}", left=f"{left:.0f}")
    full, partial_steps = epochs_done(view.rows, view.config)
    if partial_steps:
        return t("run.ended_partial", status=status_text(view.status), epoch=full + 1, epochs=epochs)
    return t("run.ended", status=status_text(view.status), done=full, epochs=epochs)


def epochs_done(rows: list[dict], config) -> tuple[int, int]:
    """Whole epochs run, and the update steps of a last epoch cut short by Stop (0 if none).

    A stopped run keeps the epoch it was in as its last history row, with fewer steps."""
    if not rows:
        return 0, 0
    last = rows[-1]
    steps_into_last = last["step"] - (last["epoch"] - 1) * config.updates_per_epoch
    if steps_into_last < config.updates_per_epoch:
        return last["epoch"] - 1, steps_into_last
    return last["epoch"], 0


class SpecCache:
    """Finished chart specs shared by every session of the server, newest kept.

    Twenty students following one run ask for the same three charts every poll; a job's
    history only grows, so (job, language, chart, epochs and steps so far, status) names a
    chart exactly and each is built once (bench/load_sessions.py measured the server saturating without this).
    """

    def __init__(self, size: int = 96) -> None:  # a long run's step chart is about 100 kB in Arrow form
        self._specs: OrderedDict[tuple, dict] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple, build: Callable[[], dict]) -> dict:
        with self._lock:
            spec = self._specs.get(key)
            if spec is not None:
                self._specs.move_to_end(key)
                return spec
        spec = _with_arrow_datasets(build())  # outside the lock: two sessions may each build it once
        with self._lock:
            self._specs[key] = spec
            while len(self._specs) > self._size:
                self._specs.popitem(last=False)
        return spec


def _with_arrow_datasets(spec: dict) -> dict:
    """The spec with its inline datasets already in Arrow form, as st.vega_lite_chart sends them.

    Streamlit converts each dataset to Arrow bytes on every draw (a third of a cached chart's
    cost) unless it is bytes already; the datasets never reach the JSON spec either way.
    """
    datasets = {name: convert_anything_to_arrow_bytes(pa.Table.from_pylist(rows))
                for name, rows in spec.get("datasets", {}).items()}
    return {**spec, "datasets": datasets} if datasets else spec


SPECS = SpecCache()


def _chart(view: JobView, name: str, build: Callable[[], dict], chart_key: str) -> None:
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
    cols[2].metric(t("sum.device"), t("sum.device_unknown") if result.device == "unknown" else result.device)
    if classification:
        cols[3].metric(t("sum.test_acc"), _fmt(result.test_acc, "{:.1%}"))
    else:
        cols[3].metric(t("sum.test_loss"), _fmt(result.test_loss))


def draw_status_message(view: JobView) -> None:
    if view.status == "diverged":
        st.warning(t("run.diverged", message=say(view.message)), icon="⚠️")
    elif view.status == "early_stopped":
        st.info(say(view.message), icon="⏹️")
    elif view.status == "stopped":
        full, steps = epochs_done(view.rows, view.config)
        if steps:
            st.info(t("run.stopped_partial", epoch=full + 1, steps=steps, per_epoch=view.config.updates_per_epoch,
                      done=full), icon="⏹️")
        else:
            st.info(t("run.stopped", done=full), icon="⏹️")
    elif view.status == "failed":
        st.error(t("run.failed", message=say(view.message)), icon="🚫")
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
