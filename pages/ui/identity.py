"""Who this browser is, on a server with no accounts: a random owner secret in a cookie.

The secret is made on a browser's first visit and kept in the cookie `batchlab_owner` (a year;
Streamlit reads cookies when a session starts, so a reload or a new tab knows it again). The
store only ever sees its hash, the owner id (core/runs/ownership.py), and no link the app offers
carries it. Without cookies (AppTest, a browser that refuses them) it lasts as long as the session.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from typing import Any

import streamlit as st

from core.classroom.rooms import RoomError
from core.jobs import Executor
from core.jobs.job import Job
from core.runs.ownership import SECRET_MIN_LENGTH, Editor, owner_id
from core.runs.stored import StoreError
from core.training.config import TrainConfig
from pages.ui.classroom import current_member, rooms
from pages.ui.i18n import say

COOKIE = "batchlab_owner"
_SECRET = re.compile(rf"^[A-Za-z0-9_-]{{{SECRET_MIN_LENGTH},64}}$")


def owner_secret() -> str:
    """This browser's secret: the session's, else the cookie's, else a new one (written to the cookie)."""
    secret = st.session_state.get("_owner_secret")
    cookie = st.context.cookies.get(COOKIE)
    if not isinstance(cookie, str) or not _SECRET.match(cookie):  # none, or not one of ours (AppTest has none)
        cookie = None
    if secret is None:
        secret = cookie or secrets.token_urlsafe(18)
        st.session_state["_owner_secret"] = secret
    if cookie != secret and not st.session_state.get("_owner_cookie_set"):
        st.session_state["_owner_cookie_set"] = True  # once per session: the cookie outlives the element
        st.html(f"<script>document.cookie = '{COOKIE}={secret}; path=/; max-age=31536000; SameSite=Lax';</script>",
                unsafe_allow_javascript=True)
    return secret


def me() -> str:
    """This browser's owner id: what its runs are stored under."""
    return owner_id(owner_secret())


def editor() -> Editor:
    """This browser as the store checks it: its runs, and the runs of the rooms whose teacher key it holds."""
    return Editor(me(), frozenset(st.session_state.get("_teaching", ())))


def submit_all(pool: Executor, configs: Iterable[TrainConfig], kind: str = "train",
               params: dict[str, Any] | None = None) -> list[Job]:
    """submit() each of these tasks, once all of them are allowed: a locked room refusing one of a sweep's
    settings trains none of them (not the ones before it)."""
    configs = list(configs)
    check_allowed(configs)
    return [submit(pool, config, kind, params) for config in configs]


def check_allowed(configs: Iterable[TrainConfig]) -> None:
    """A room whose assignment is locked refuses settings that are not one of its cells, whatever the link
    says: the page says so and stops."""
    member, found = current_member(me()), rooms()
    if member is None or found is None:
        return
    try:
        for config in configs:
            found.check_allowed(member, config)
    except RoomError as exc:
        st.error(say(exc), icon="🔒")
        st.stop()


def submit(pool: Executor, config: TrainConfig, kind: str = "train", params: dict[str, Any] | None = None) -> Job:
    """Ask the pool for this task as this browser: a run it trains is stored as this browser's, and in the
    room this session joined, where the request is recorded for the class board. A room whose assignment is
    locked refuses settings that are not one of its cells: the page says so and stops, nothing is trained."""
    check_allowed([config])
    owner = me()
    member = current_member(owner)
    found = rooms()
    job = pool.submit(config, kind, params, owner=owner, room=member.room if member else None)
    if member is not None and found is not None:
        try:
            found.record(member, kind, job.key, config)
        except (RoomError, StoreError) as exc:  # closed meanwhile, or a full store: the training goes on
            st.warning(say(exc), icon="🚪")
    return job
