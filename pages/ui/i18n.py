"""English and Korean: one table of user-visible strings, and the language selector.

`t("key", name=value)` returns the string in the session's language. The selector sits at
the top of the sidebar on every page; its value is kept for the session and in the link
(?lang=한국어). Korean terms follow the seed posts: 배치 크기, 학습률, 에폭, 스텝, 과적합, 일반화.
"""

from __future__ import annotations

import streamlit as st

from core.messages import Message, MessageError
from pages.ui.texts import CORE, TEXT

LANGUAGES = {"English": "en", "한국어": "ko"}  # the selector's labels (also the link's ?lang=) -> code
DEFAULT = "English"


def language_selector() -> str:
    """Draw the selector (once per page run) and return the chosen language code."""
    if "lang" not in st.query_params and st.session_state.get("lang") == language_label() != DEFAULT:
        # A page switch dropped the ?lang= a link brought (Streamlit 1.67 keeps a bound value across
        # pages only once the reader has clicked it): set it again, or the next page opens in English.
        st.session_state["lang"] = language_label()
    label = st.sidebar.segmented_control(
        "Language · 언어", list(LANGUAGES), default=DEFAULT, key="lang", bind="query-params",
        persist_state="session", selection_mode="single", required=True)
    st.session_state["language"] = LANGUAGES.get(label or DEFAULT, "en")  # what t() reads on this run
    return st.session_state["language"]


def current() -> str:
    """The session's language code, "en" or "ko"."""
    return st.session_state.get("language", "en")


def language_label() -> str:
    """The session's language as the selector and the link name it: "English" or "한국어"."""
    return next(label for label, code in LANGUAGES.items() if code == current())


def t(key: str, **values) -> str:
    """The string `key` in the session's language, with {placeholders} filled in."""
    return TEXT[key][current()].format(**values)


def _korean(message: Message) -> str | None:
    return CORE.get(message.key)


def say(what: Message | MessageError | str, language: str | None = None) -> str:
    """A message from core (or an error carrying one) in the session's language (or in `language`, for
    work done outside the script run, which has no session); plain text as it is."""
    if isinstance(what, MessageError):
        what = what.message
    if isinstance(what, Message):
        return what.render(_korean if (language or current()) == "ko" else None)
    return str(what)
