"""The sidebar every page shows: the language selector and the menu (Streamlit's own lists home as "app")."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from pages.ui.i18n import DEFAULT, language_label, language_selector, t

PAGES = [  # (script, its menu entry, its icon, the prefix of its texts: <prefix>.title, <prefix>.intro, ...)
    ("app.py", "nav.home", "🏠", "home"),
    ("pages/9_Lessons.py", "nav.lessons", "🎓", "lessons"),
    ("pages/1_Train.py", "nav.train", "📉", "train"),
    ("pages/2_Sweep.py", "nav.sweep", "🔲", "sweep"),
    ("pages/3_Compare.py", "nav.compare", "📊", "compare"),
    ("pages/4_Calculator.py", "nav.calculator", "🧮", "calc"),
    ("pages/5_LR_Range_Test.py", "nav.range_test", "🔎", "range"),
    ("pages/6_Sharpness.py", "nav.sharpness", "⛰️", "sharp"),
    ("pages/7_Critical_Batch.py", "nav.critical_batch", "📐", "cb"),
    ("pages/8_Glossary.py", "nav.glossary", "📖", "glossary"),
    ("pages/10_Class.py", "nav.class", "🏫", "class"),
]


NEXT = {  # every page ends with the next step of the path through the app: page -> the page after it
    "pages/1_Train.py": "pages/2_Sweep.py",
    "pages/2_Sweep.py": "pages/3_Compare.py",
    "pages/3_Compare.py": "pages/4_Calculator.py",
    "pages/4_Calculator.py": "pages/5_LR_Range_Test.py",
    "pages/5_LR_Range_Test.py": "pages/7_Critical_Batch.py",
    "pages/7_Critical_Batch.py": "pages/6_Sharpness.py",
    "pages/6_Sharpness.py": "pages/8_Glossary.py",
    "pages/8_Glossary.py": "app.py",
    "pages/9_Lessons.py": "pages/2_Sweep.py",  # off the path: a class comes to it from the menu or a link
    "pages/10_Class.py": "pages/1_Train.py",  # off the path too: a room's students train on the other pages
}
TEACHING_ORDER = ("seed001", "seed002-lr", "seed000", "seed002-scaling", "seed003")  # the presets, for a class


def in_language(params: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
    """A link's query with the session's language: opened in a new tab (a new session), it reads the same."""
    return {**params, "lang": language_label()} if language_label() != DEFAULT else params


def link(path: str, label: str, icon: str, where: DeltaGenerator | None = None, **params: str | list[str]) -> None:
    """A link to a page of the app (with `params` in its query) in the session's language."""
    (where or st).page_link(path, label=label, icon=icon, query_params=in_language(params) or None)


def draw_next(page: str) -> None:
    """The page's last line: where to go next, and why."""
    target = NEXT.get(page)
    if target is None:
        return
    icon = next(icon for path, _, icon, _ in PAGES if path == target)
    st.divider()
    link(target, t(f"next.{page.removeprefix('pages/').removesuffix('.py').lower()}"), icon)


def sidebar_nav(page: str) -> None:
    """Set up the page (`page` is its path in PAGES): language selector, tab title in that language, menu."""
    language_selector()
    key, icon = next((key, icon) for path, key, icon, _ in PAGES if path == page)
    title = "Batch Lab" if page == "app.py" else f"{t(key)} · Batch Lab"
    st.set_page_config(page_title=title, page_icon=icon if page != "app.py" else "🧪", layout="wide")
    with st.sidebar:
        for path, key, icon, _ in PAGES:
            link(path, t(key), icon)
        st.divider()
