"""Shareable links: widgets mirror their values in the URL, so a link opens a page with its settings.

Numbers, checkboxes and the language use Streamlit's bind="query-params". A choice between
named options (a dataset, an optimizer, a preset) goes through `choice()` instead: Streamlit
would write the option's *label* into the link, which differs by language ("Adam" here, a Korean
name there), so such a link would not open in the other language. `choice()` writes the option's
stable id (?optimizer=adam, ?sweep_preset=seed001) and reads ids, or a display name in the
page's language (as older links hold).

Streamlit drops a link value that does not fit its widget and uses the default; this module
notices that, so the page can say so (at its top, see pages/ui/page.py) instead of silently
ignoring the link.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from pages.ui.i18n import t
from pages.ui.widgets import choices

_READ = "_links_read"  # choice() keys whose link value this session has read
_REFUSED = "_links_refused"  # choice() key -> the link's text it could not use
_CHOICES = "_links_choices"  # the keys choice() handles (the generic check leaves them alone)
_DRAWN = "_links_drawn"  # the choice() keys drawn in this script run


def link_values() -> dict[str, list[str]]:
    """The link's parameters as they came in; call it before drawing any widget (the language selector too)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def choice(draw: Callable[..., Any], label: str, names: Mapping[Any, str], key: str, *, multiple: bool = False,
           **kwargs: Any) -> Any:
    """Draw a selectbox / radio (or, with `multiple`, a multiselect) of `names` (option -> display
    name), its value mirrored in the link by the options' ids (a display name is read too)."""
    session = st.session_state
    session.setdefault(_CHOICES, set()).add(key)
    session.setdefault(_DRAWN, set()).add(key)
    read = session.setdefault(_READ, set())
    if key not in read:
        read.add(key)
        raw = st.query_params.get_all(key)
        if raw:
            known = {name: option for option, name in names.items()}
            known.update({str(option): option for option in names})
            values = [known.get(text) for text in raw]
            if None in values or (not multiple and len(values) > 1):
                session.setdefault(_REFUSED, {})[key] = raw
            else:
                session[key] = values if multiple else values[0]
    value = draw(label, **choices(names), key=key, **kwargs)
    st.query_params[key] = [str(v) for v in value] if multiple else str(value)
    return value


def start_run() -> None:
    """A new script run of a page: no choice drawn yet."""
    st.session_state[_DRAWN] = set()


def drop_undrawn_choices() -> None:
    """Take the link values of choices this run did not draw (a custom grid's dataset, once a preset is
    picked) out of the link, so that it holds only what the page shows."""
    session = st.session_state
    for key in session.get(_CHOICES, set()) - session.get(_DRAWN, set()):
        if key in st.query_params:
            del st.query_params[key]


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
    """Whether the bound widget `key` did not take the link's value as written.

    Streamlit drops a value that does not fit (the key leaves the URL). One it keeps may still have
    changed on the way in: ?batch_size=2.5 gives 2, and a repeated ?epochs=3&epochs=4 gives one of them.
    (A kept multiselect value is written as its label, so only numbers are compared.)"""
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
    session = st.session_state
    by_choice, refused_choices = session.get(_CHOICES, set()), session.get(_REFUSED, {})
    rejected = [f"{key}={','.join(raw)}" for key, raw in before.items()
                if key not in ignore and key in session and (
                    refused_choices.get(key) == raw if key in by_choice else _refused(key, raw, session[key]))]
    strangers = [key for key in before if key not in ignore and key not in session] if unknown else []
    if rejected or strangers:
        names = ", ".join(rejected + [t("link.unknown", name=key) for key in strangers])
        where.warning(t("link.rejected", names=names), icon="🔗")
