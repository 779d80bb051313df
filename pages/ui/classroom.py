"""The room this browser is in, for every page: a student's trainings are recorded in it (pages/10_Class.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import streamlit as st

from core.classroom.board import BoardRun, board_runs
from core.classroom.rooms import Entry, Member, RoomError, Rooms
from core.runs.tables import Run
from pages.ui.chart_cache import SpecCache
from pages.ui.i18n import say
from pages.ui.resources import shared_store

BOARD_FRESH_S = 1.5  # a room's runs are gathered at most this often, whoever is watching its board
BOARD_SPECS = SpecCache(size=64)  # a board's chart, built once for all its viewers (core/classroom/board.py)
_gathered: dict[str, tuple[float, list[BoardRun]]] = {}  # room -> (when, its runs), shared by every session
_gathering = threading.Lock()


@st.cache_resource(show_spinner=False)
def rooms() -> Rooms | None:
    """The server's rooms (in the run store's file); None when the store cannot be used."""
    store = shared_store()
    return Rooms(store) if store is not None else None


def current_member(owner: str) -> Member | None:
    """The membership this session joined, if its room is still open; a closed room is left, with a word."""
    code = st.session_state.get("_room")
    found = rooms()
    if code is None or found is None:
        return None
    try:
        found.open_room(code)
    except RoomError as exc:
        st.session_state.pop("_room", None)
        st.warning(say(exc), icon="🚪")
        return None
    return found.member(code, owner)


def enter(member: Member) -> None:
    st.session_state["_room"] = member.room


def leave() -> None:
    st.session_state.pop("_room", None)


def room_runs(code: str, look_up: Callable[[Entry], Run | None]) -> list[BoardRun]:
    """The room's runs for its board. Thirty students polling one board cost one gathering (the entries
    and each run's history) every BOARD_FRESH_S, not thirty."""
    with _gathering:
        when, runs = _gathered.get(code, (0.0, []))
        if time.monotonic() - when < BOARD_FRESH_S:
            return runs
        found = rooms()
        runs = board_runs(found.entries(code), look_up) if found is not None else []
        _gathered[code] = (time.monotonic(), runs)
        return runs
