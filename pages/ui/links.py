"""Shareable links: widgets mirror their values in the URL (bind="query-params").

Streamlit drops a link value that does not fit its widget and uses the default; this
module notices that, so the page can say so instead of silently ignoring the link.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from pages.ui.i18n import t


def link_values() -> dict[str, list[str]]:
    """The link's parameters as they came in; call it before drawing any widget (the language selector too)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _fits(raw: list[str], value: Any) -> bool:
    values = value if isinstance(value, (list, tuple)) else [value]
    if len(raw) != len(values):
        return False
    for text, v in zip(raw, values, strict=True):
        if str(v) == text:
            continue
        try:
            if float(text) == float(v):
                continue
        except (TypeError, ValueError):
            pass
        return False
    return True


def _refused(key: str, raw: list[str], value: Any) -> bool:
    """Whether the widget `key` did not take the link's value as written.

    Streamlit drops a value that does not fit (the key leaves the URL). One it keeps may still have
    changed on the way in: ?batch_size=2.5 gives 2, and a repeated ?epochs=3&epochs=4 gives one of them.
    (A kept selectbox or multiselect value is written as its label, so only numbers are compared.)"""
    if key not in st.query_params:
        return not _fits(raw, value)
    if isinstance(value, (list, tuple)):
        return False
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return len(raw) > 1 or (number and not _fits(raw, value))


def warn_about_rejected(before: dict[str, list[str]], where: DeltaGenerator, ignore: tuple[str, ...] = ("run",),
                        unknown: bool = True) -> None:
    """After the widgets ran: name, in `where`, each link value that a widget refused, and (with
    `unknown`) each parameter that no widget of the page holds."""
    rejected = [f"{key}={','.join(raw)}" for key, raw in before.items()
                if key not in ignore and key in st.session_state and _refused(key, raw, st.session_state[key])]
    strangers = [key for key in before if key not in ignore and key not in st.session_state] if unknown else []
    if rejected or strangers:
        names = ", ".join(rejected + [t("link.unknown", name=key) for key in strangers])
        where.warning(t("link.rejected", names=names), icon="🔗")
