"""The sidebar every page shows: the language selector and the menu (Streamlit's own lists home as "app")."""

from __future__ import annotations

import streamlit as st

from pages.ui.i18n import language_selector, t

PAGES = [
    ("app.py", "nav.home", "🏠"),
    ("pages/1_Train.py", "nav.train", "📉"),
    ("pages/2_Sweep.py", "nav.sweep", "🔲"),
    ("pages/3_Compare.py", "nav.compare", "📊"),
    ("pages/4_Calculator.py", "nav.calculator", "🧮"),
    ("pages/5_LR_Range_Test.py", "nav.range_test", "🔎"),
    ("pages/6_Sharpness.py", "nav.sharpness", "⛰️"),
    ("pages/7_Critical_Batch.py", "nav.critical_batch", "📐"),
    ("pages/8_Glossary.py", "nav.glossary", "📖"),
]


def sidebar_nav(page: str) -> None:
    """Set up the page (`page` is its path in PAGES): language selector, tab title in that language, menu."""
    language_selector()
    key, icon = next((key, icon) for path, key, icon in PAGES if path == page)
    title = "Batch Lab" if page == "app.py" else f"{t(key)} · Batch Lab"
    st.set_page_config(page_title=title, page_icon=icon if page != "app.py" else "🧪", layout="wide")
    with st.sidebar:
        for path, key, icon in PAGES:
            st.page_link(path, label=t(key), icon=icon)
        st.divider()
