"""Objects shared by every session of the server, made once per process."""

from __future__ import annotations

import streamlit as st

from core.jobs import JobPool


@st.cache_resource(show_spinner="Starting the training workers…")
def job_pool() -> JobPool:
    """The server-wide pool of training worker processes (started warm, reused by all sessions)."""
    return JobPool()
