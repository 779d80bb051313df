"""Objects shared by every session of the server, made once per process."""

from __future__ import annotations

import streamlit as st

from core.jobs import JobPool
from core.reference import load_reference_runs
from core.store import RunStore, StoreError, default_store_path


@st.cache_resource(show_spinner="Opening the run store…")
def _run_store() -> tuple[RunStore | None, str]:
    """The run store, with the reference runs loaded on first start; or None and why not."""
    try:
        store = RunStore(default_store_path())
        load_reference_runs(store)
        return store, ""
    except StoreError as exc:
        return None, str(exc)


def run_store() -> RunStore | None:
    """The shared store, or None (with a warning on the page) when its file cannot be used."""
    store, problem = _run_store()
    if store is None:
        st.warning(f"Runs are not being saved: {problem}", icon="⚠️")
    return store


@st.cache_resource(show_spinner="Starting the training workers…")
def _job_pool() -> JobPool:
    return JobPool(store=_run_store()[0])


def job_pool() -> JobPool:
    """The server-wide pool of training worker processes (started warm, reused by all sessions)."""
    run_store()
    return _job_pool()
