"""Objects shared by every session of the server, made once per process."""

from __future__ import annotations

import streamlit as st

from core.jobs import JobPool
from core.ray_executor import BackendUnavailable, executor_from_env
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
def _job_pool() -> tuple[JobPool, str]:
    """The executor BATCHLAB_BACKEND asks for (local by default); the local pool, and why, if Ray fails."""
    store = _run_store()[0]
    try:
        return executor_from_env(store=store), ""
    except BackendUnavailable as exc:
        return JobPool(store=store), str(exc)


def job_pool() -> JobPool:
    """The server-wide executor: a warm pool of worker processes, or a Ray cluster when configured."""
    run_store()
    pool, problem = _job_pool()
    if problem:
        st.warning(f"{problem} Training runs on this server's own worker processes instead.", icon="⚠️")
    return pool
