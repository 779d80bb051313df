"""Train one configuration live and watch its curves move, epoch by epoch."""

from functools import partial

import streamlit as st

from core.training.record import REUSABLE
from pages.ui.classroom import asks_in_room
from pages.ui.follow import follow
from pages.ui.i18n import t
from pages.ui.identity import me, submit
from pages.ui.page import page
from pages.ui.resources import job_pool
from pages.ui.run_view import draw_job
from pages.ui.train_controls import config_controls, show_config, steps_caption

view = page("pages/1_Train.py", ignore=("run",), share=True)  # ?run= is read here, not by a widget
pool = job_pool()
# A reloaded page (a new session) finds its run again through the link: ?run=<config key>.
linked_key = st.query_params.get("run")
if linked_key and "train_key" not in st.session_state:
    st.session_state["train_key"] = linked_key
    linked = pool.view(linked_key)
    if linked is not None:
        show_config(linked.config)
    else:
        st.info(t("train.link_gone"), icon="ℹ️")
config, error = config_controls()
if config is None:
    view.fail(error or "")
st.markdown(steps_caption(config))

job = pool.view(config.key)
# A run already training is not started twice; in a room, a student whose cell someone else started
# may still press Train: the run is then theirs on the class board too.
if st.button(t("train.button"), type="primary", key="train",
             disabled=job is not None and job.active and not asks_in_room(me(), config.key)):
    reused = job is not None and job.status in REUSABLE
    submit(pool, config)
    st.session_state["train_key"] = st.query_params["run"] = config.key
    if reused:
        st.info(t("train.reused"), icon="♻️")
    job = pool.view(config.key)


def draw_live(key: str) -> None:
    """The run panel with a Stop button, redrawn by follow() while the run is queued or running."""
    current = pool.view(key)
    if current is None:  # forgotten by the pool since (it keeps the latest few hundred jobs)
        return
    if current.active:
        st.button(t("train.stop"), key="stop", on_click=pool.cancel, args=(key,), help=t("train.stop_help"))
    draw_job(current, "train")


shown_key = config.key if job is not None else st.session_state.get("train_key")
if shown_key is None or pool.view(shown_key) is None:
    st.info(t("train.press"), icon="▶️")
else:
    if shown_key != config.key:
        st.caption(t("train.changed"))
    follow(pool, [shown_key], partial(draw_live, shown_key))
view.end()
