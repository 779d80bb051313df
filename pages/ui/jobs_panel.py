"""The panel of a group of jobs: one progress bar, and one error per failed job, naming it."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.jobs import Executor
from core.jobs.job import JobView, group_progress
from core.training.record import Status
from pages.ui.i18n import say, t


def draw_group(pool: Executor, views: Sequence[JobView | None], names: Sequence[str]) -> None:
    """Where the group stands (done, running, queued, time left) and why each failed job failed.

    `names` says which job is which (a run label, a rule's name, "batch 64"), one per view."""
    state = group_progress(views, pool.workers)
    finished = state.done == state.total
    left = "" if state.seconds_left is None or finished else t("group.left", seconds=f"{state.seconds_left:.0f}")
    st.progress(state.fraction, text=t("group.progress", done=state.done, total=state.total, running=state.running,
                                       queued=state.queued, left=left))
    for view, name in zip(views, names, strict=True):
        if view is not None and view.status == Status.FAILED:
            st.error(t("group.failed", name=name, message=say(view.message)), icon="🚫")
