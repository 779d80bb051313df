"""Train one configuration live and watch its curves move, epoch by epoch."""

import streamlit as st

from core.jobs import REUSABLE
from pages.ui.follow import follow
from pages.ui.i18n import t
from pages.ui.links import link_values, warn_about_rejected
from pages.ui.nav import sidebar_nav
from pages.ui.resources import job_pool
from pages.ui.run_view import draw_job
from pages.ui.train_controls import config_controls, show_config, steps_caption

link = link_values()  # before the language selector, so that a ?lang= it refuses is named too
sidebar_nav("pages/1_Train.py")
st.title(t("train.title"))
st.write(t("train.intro"))

pool = job_pool()
# A reloaded page (a new session) finds its run again through the link: ?run=<config key>.
linked_key = st.query_params.get("run")
if linked_key and "train_key" not in st.session_state:
    st.session_state["train_key"] = linked_key
    linked = pool.view(linked_key)
    if linked is not None:
        show_config(linked.config, overwrite=True)
    else:
        st.info(t("train.link_gone"), icon="ℹ️")
config, error = config_controls()
warn_about_rejected(link)
if error:
    st.error(error, icon="🚫")
    st.stop()
st.markdown(steps_caption(config))

view = pool.view(config.key)
if st.button(t("train.button"), type="primary", key="train", disabled=view is not None and view.active):
    reused = view is not None and view.status in REUSABLE
    pool.submit(config)
    st.session_state["train_key"] = st.query_params["run"] = config.key
    if reused:
        st.info(t("train.reused"), icon="♻️")
    view = pool.view(config.key)


def draw_live(key: str) -> None:
    """The run panel with a Stop button, redrawn by follow() while the run is queued or running."""
    current = pool.view(key)
    if current is None:  # forgotten by the pool since (it keeps the latest few hundred jobs)
        return
    if current.active:
        st.button(t("train.stop"), key="stop", on_click=pool.cancel, args=(key,), help=t("train.stop_help"))
    draw_job(current, "train")


shown_key = config.key if view is not None else st.session_state.get("train_key")
shown = pool.view(shown_key) if shown_key else None
if shown is None:
    st.info(t("train.press"), icon="▶️")
else:
    if shown_key != config.key:
        st.caption(t("train.changed"))
    follow(pool, [shown_key], lambda: draw_live(shown_key))
