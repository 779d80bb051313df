"""Following jobs on a page: redraw while any of them runs, draw once when none does."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import streamlit as st

from core.jobs import Executor

POLL_S = 1.5  # every live redraw costs the one server process CPU; 20 viewers at 0.5 s saturated it


def any_active(pool: Executor, keys: Iterable[str]) -> bool:
    """Whether any of the jobs is queued or running."""
    return any((view := pool.view(key)) is not None and view.active for key in keys)


def follow(pool: Executor, keys: Iterable[str], draw: Callable[[], None]) -> None:
    """Call `draw` now; while a job of `keys` is active, again every POLL_S seconds in a fragment.

    When the last job ends, the whole page reruns once, so buttons that depend on "running"
    (Run, Stop) come back in their idle state and the final results are drawn outside the fragment.
    """
    keys = tuple(keys)
    if any_active(pool, keys):
        _live(pool, keys, draw)
    else:
        draw()


@st.fragment(run_every=POLL_S)
def _live(pool: Executor, keys: tuple[str, ...], draw: Callable[[], None]) -> None:
    if not any_active(pool, keys):
        st.rerun()
    draw()
