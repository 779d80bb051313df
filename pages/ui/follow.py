"""Following jobs on a page: redraw while any of them runs, draw once when none does."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable

import streamlit as st

from core.jobs import Executor

POLL_S = 1.5  # every live redraw costs the one server process CPU; 20 viewers at 0.5 s saturated it
SPREAD = 0.2  # each session redraws at its own period, within ±20 % of the page's


def own_period(seconds: float) -> float:
    """This session's period for a redraw every `seconds`, drawn once per session within ±SPREAD.

    A class that pressed Train together, or opened the board together, would otherwise redraw in step:
    thirty redraws at once every period, and whatever page run came then waited behind all of them
    (bench/load_sessions.py --mode room). Periods a little apart drift out of step within a few cycles."""
    factor = st.session_state.setdefault("_poll_factor", random.uniform(1 - SPREAD, 1 + SPREAD))
    return round(seconds * factor, 2)


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
        st.fragment(_live, run_every=own_period(POLL_S))(pool, keys, draw)
    else:
        draw()


def _live(pool: Executor, keys: tuple[str, ...], draw: Callable[[], None]) -> None:
    if not any_active(pool, keys):
        st.rerun()
    draw()
