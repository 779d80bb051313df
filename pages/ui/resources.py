"""Objects shared by every session of the server, made once per process."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from core.experiments.reference import load_reference_runs
from core.jobs import BackendUnavailable, Executor, LocalExecutor, executor_from_env
from core.messages import Message
from core.runs.store import RunStore
from core.runs.stored import StoreError
from core.settings import WORKER_NICE, ConfigError, store_path
from pages.ui.i18n import say, t

T = TypeVar("T")
_made: set[str] = set()  # the resources made in this process: no spinner for them any more


def _made_once(name: str, label: str, make: Callable[[], T]) -> T:
    """`make()` under a spinner the first time (opening the store, starting workers take seconds). A spinner
    starts a timer thread on every call, two per page run on every page, for something made long ago."""
    if name in _made:
        return make()
    with st.spinner(label):
        made = make()
    _made.add(name)
    return made


@st.cache_resource(show_spinner=False)
def _run_store() -> tuple[RunStore | None, Message | str]:
    """The run store, with the reference runs loaded on first start; or None and why not."""
    try:
        store = RunStore(store_path())
        load_reference_runs(store)
        return store, ""
    except (StoreError, ConfigError) as exc:  # ConfigError: a BATCHLAB_STORE_MAX_MB that does not parse
        return None, exc.message


def shared_store() -> RunStore | None:
    """The shared store without a word on the page (run_store or job_pool has said what needs saying)."""
    return _run_store()[0]


def run_store() -> RunStore | None:
    """The shared store, or None (with a warning on the page) when its file cannot be used."""
    store, problem = _made_once("store", t("res.opening_store"), _run_store)
    if store is None:
        st.warning(t("res.not_saved", problem=say(problem)), icon="⚠️")
    elif store.recovered is not None and not st.session_state.get("store_recovered_seen"):
        st.session_state["store_recovered_seen"] = True  # said once per session, on the page it opened with
        st.warning(say(store.recovered), icon="⚠️")
    return store


@st.cache_resource(show_spinner=False)
def _job_pool() -> tuple[Executor, Message | str]:
    """The executor BATCHLAB_BACKEND asks for (local by default); the local pool, and why, if Ray fails."""
    store = _run_store()[0]
    try:
        return executor_from_env(store=store), ""
    except (BackendUnavailable, ConfigError) as exc:  # e.g. a bad BATCHLAB_WORKER_NICE: say so, train anyway
        return LocalExecutor(store=store, worker_nice=WORKER_NICE), exc.message


def job_pool() -> Executor:
    """The server-wide executor: a warm pool of worker processes, or a Ray cluster when configured."""
    run_store()
    pool, problem = _made_once("pool", t("res.starting_workers"), _job_pool)
    if problem:
        st.warning(t("res.local_instead", problem=say(problem)), icon="⚠️")
    return pool
