"""Sharing a page's settings with a class: its link, to copy, and a QR code to show on the projector."""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from pages.ui.i18n import DEFAULT, language_label, t


def page_link(path: str) -> str:
    """This page's address with the settings it shows now (the widgets write them into the link)."""
    params = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    if "lang" not in st.query_params and language_label() != DEFAULT:  # right after a page switch
        params.append(("lang", language_label()))
    query = urlencode(params)
    here = st.context.url  # the address the browser shows; None outside a browser (AppTest)
    if here:
        scheme, netloc, route, _, _ = urlsplit(here)
        return urlunsplit((scheme, netloc, route, query, ""))
    return f"{path}?{query}" if query else path


def qr_png(text: str) -> bytes | None:
    """A QR code for `text`, as a PNG large enough to scan from the back of a classroom; None for a
    link too long for any QR code (some 2,300 characters)."""
    try:
        code = segno.make(text, error="m")
    except segno.DataOverflowError:
        return None
    out = io.BytesIO()
    code.save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def draw_share(where: DeltaGenerator, path: str) -> None:
    """An expander with the link (st.code has a copy button) and its QR code."""
    link = page_link(path)
    with where.expander(t("share.title"), icon="🔗"):
        st.caption(t("share.copy"))
        st.code(link, language=None, wrap_lines=True)
        picture = qr_png(link)
        if picture is not None:
            st.image(picture, caption=t("share.qr"), width=220)
