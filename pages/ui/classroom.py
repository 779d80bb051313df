"""The room this browser is in, for every page: a student's trainings are recorded in it (pages/10_Class.py)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from core.classroom.board import BoardRun, board_runs
from core.classroom.lessons import Lesson, LessonResult
from core.classroom.predictions import Match
from core.classroom.rooms import Assignment, Entry, Member, RoomError, RoomLesson, RoomPrediction, Rooms
from core.jobs import Executor
from core.jobs.job import JobView, job_key
from core.runs.tables import Run
from core.training.config import TrainConfig
from pages.ui.chart_cache import SpecCache
from pages.ui.follow import own_period
from pages.ui.i18n import say, t
from pages.ui.nav import link
from pages.ui.resources import shared_store
from pages.ui.train_controls import widget_values

# A room's runs are gathered at most this often, whoever is watching its board: as often as the board
# redraws (pages/10_Class.py), since each new gathering of a room in training rebuilds its charts (some 100 ms).
BOARD_FRESH_S = 3.0
BADGE_POLL_S = 5.0  # the sidebar's room badge redraws this often on every page of a student in a room
MATCH_ICONS = {Match.MATCHED: "✅", Match.MISSED: "❌", Match.OPEN: "⚖️"}
BOARD_SPECS = SpecCache(size=64)  # a board's chart, built once for all its viewers (core/classroom/board.py)
_gathered: dict[str, tuple[float, list[BoardRun]]] = {}  # room -> (when, its runs), shared by every session
_states: dict[str, tuple[float, RoomState]] = {}  # room -> (when, its lesson, predictions and assignment)
_measured: dict[tuple[object, ...], LessonResult] = {}  # a lesson's runs as they stand -> what they measured
_gathering = threading.Lock()


@st.cache_resource(show_spinner=False)
def rooms() -> Rooms | None:
    """The server's rooms (in the run store's file); None when the store cannot be used."""
    store = shared_store()
    return Rooms(store) if store is not None else None


def current_member(owner: str) -> Member | None:
    """The membership of this session, or of this browser in a new session (a reload, a new tab: the owner
    is kept in a cookie), if its room is still open; a closed room is left, with a word."""
    code = st.session_state.get("_room")
    found = rooms()
    if found is None:
        return None
    if code is None:
        member = found.membership(owner)
        if member is not None:
            enter(member)
        return member
    try:
        found.open_room(code)
    except RoomError as exc:
        st.session_state.pop("_room", None)
        st.warning(say(exc), icon="🚪")
        return None
    member = found.member(code, owner)
    if member is None:  # left the room in another tab
        leave_session()
    return member


def asks_in_room(owner: str, key: str) -> bool:
    """Whether this session is in a room that has not yet had its ask for job `key` (a run another student
    started may still be asked for: it then counts on the board as theirs too)."""
    found, member = rooms(), current_member(owner)
    return found is not None and member is not None and not found.asked(member, key)


def enter(member: Member) -> None:
    st.session_state["_room"] = member.room


def leave(member: Member) -> None:
    """Leave the room for good: this browser's later sessions are not in it either."""
    found = rooms()
    if found is not None:
        found.leave(member)
    leave_session()


def leave_session() -> None:
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


def plain(text: str) -> str:
    """Text a student typed (a nickname), or a name, as Markdown shows it: literally, never as a link or markup."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~<>$:])", r"\\\1", text)


@dataclass(frozen=True)
class RoomState:
    lesson: RoomLesson | None
    predictions: list[RoomPrediction]  # for the room's lesson
    assignment: Assignment | None


def room_state(code: str) -> RoomState:
    """The room's lesson, the predictions sent for it and its assignment, gathered at most every BOARD_FRESH_S
    for all viewers (every board and every student's Lessons page waiting for the reveal ask)."""
    with _gathering:
        when, state = _states.get(code, (0.0, RoomState(None, [], None)))
        if time.monotonic() - when < BOARD_FRESH_S:
            return state
        found = rooms()
        if found is not None:
            lesson = found.lesson(code)
            state = RoomState(lesson, found.predictions(code, lesson.lesson) if lesson is not None else [],
                              found.assignment(code))
        _states[code] = (time.monotonic(), state)
        return state


def room_lesson(code: str) -> tuple[RoomLesson | None, list[RoomPrediction]]:
    """The room's lesson and the predictions sent for it (room_state's)."""
    state = room_state(code)
    return state.lesson, state.predictions


def forget(code: str) -> None:
    """Gather the room's board afresh on its next draw: something in it changed (a prediction sent, the
    result revealed, a lesson or an assignment given, the board cleared)."""
    with _gathering:
        _gathered.pop(code, None)
        _states.pop(code, None)


def lesson_views(pool: Executor, lesson: Lesson, owner: str | None = None) -> list[JobView] | None:
    """The lesson's runs as the job pool has them; a run it no longer holds is asked for again as `owner`'s
    when an owner is given (a stored run answers at once), else None (not all there)."""
    views = []
    for request in lesson.requests:
        view = pool.view(job_key(request.config, request.kind))
        if view is None and owner is not None:
            view = pool.view(pool.submit(request.config, request.kind, owner=owner).key)
        if view is None:
            return None
        views.append(view)
    return views


def lesson_result(lesson: Lesson, views: list[JobView] | None) -> LessonResult | None:
    """What the lesson's runs measured, once every one of them has finished (else None); measured once per
    state of its runs for every viewer."""
    if views is None or any(view.active for view in views):
        return None
    key = (lesson.id, tuple((view.id, str(view.status), len(view.rows)) for view in views))
    with _gathering:
        found = _measured.get(key)
    if found is None:
        found = lesson.measure(views)
        with _gathering:
            _measured[key] = found
            while len(_measured) > 32:
                _measured.pop(next(iter(_measured)))
    return found


def draw_room_badge(owner: str) -> None:
    """In the sidebar of every page: the room this session is in, and the cell handed to it (with a link
    that opens it on the Train page), redrawn every BADGE_POLL_S: a cell the teacher hands out while a
    student sits on a page shows up there."""
    if current_member(owner) is not None:
        with st.sidebar:
            st.fragment(_badge, run_every=own_period(BADGE_POLL_S))(owner)


def _badge(owner: str) -> None:
    member = current_member(owner)
    found = rooms()
    if member is None or found is None:
        return
    box = st.container(border=True)
    box.markdown(t("class.badge", code=member.room, nickname=member.nickname))
    assignment = room_state(member.room).assignment
    if assignment is not None and assignment.locked:
        box.caption(t("class.badge_locked"))
    cell = found.cell_of(member, assignment)
    if cell is not None:
        box.markdown(t("class.badge_cell", batch=cell.batch_size, lr=f"{cell.learning_rate:g}"))
        link("pages/1_Train.py", t("class.badge_train"), "📉", box, **train_link(cell))


def train_link(config: TrainConfig) -> dict[str, str | list[str]]:
    """The Train page's link values for these settings: the dataset and model, and every setting that is
    not the default (the other widgets open at their defaults), written as the widgets read them."""
    defaults = widget_values(TrainConfig(dataset=config.dataset, model=config.model))
    return {key: link_text(value) for key, value in widget_values(config).items()
            if key in ("dataset", f"model_{config.dataset}") or value != defaults.get(key)}


def link_text(value: object) -> str | list[str]:
    """A widget's value as a link holds it: a checkbox as true / false, a multiselect as its ids."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)
