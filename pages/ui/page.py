"""The opening and the end every page shares, so that every page handles its link the same way.

    view = page("pages/2_Sweep.py")   # link read, sidebar (language, menu), title, intro
    ...                               # the page's widgets and results
    view.end()                        # a notice, at the top, naming each link value it refused

`view.stop()` ends the page early, `view.fail(message)` shows an error first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from pages.ui.i18n import t
from pages.ui.links import link_values, warn_about_rejected
from pages.ui.nav import PAGES, sidebar_nav
from pages.ui.texts import TEXT


@dataclass
class Page:
    link: dict[str, list[str]]  # the link's parameters as they came in
    notices: DeltaGenerator  # a place at the top of the page for the link's notices
    ignore: tuple[str, ...]  # link parameters the page reads itself (no widget holds them)

    def end(self) -> None:
        """Name every link value a widget refused, and every parameter no widget of the page knows."""
        warn_about_rejected(self.link, self.notices, self.ignore)

    def stop(self) -> NoReturn:
        """End the page here: nothing more to draw (its notices are still shown)."""
        self.end()
        st.stop()

    def fail(self, message: str) -> NoReturn:
        """Show why the page cannot go on, and stop. Parameters of widgets not drawn yet are not named."""
        st.error(message, icon="🚫")
        warn_about_rejected(self.link, self.notices, self.ignore, unknown=False)
        st.stop()


def page(path: str, ignore: tuple[str, ...] = ("run",)) -> Page:
    """Open the page at `path` (its entry in PAGES): read the link before any widget (the language
    selector too, so a ?lang= it refuses is named), draw the sidebar, the title and the intro."""
    link = link_values()
    sidebar_nav(path)
    prefix = next(prefix for script, _, _, prefix in PAGES if script == path)
    notices = st.container()
    st.title(t(f"{prefix}.title"))
    if f"{prefix}.subtitle" in TEXT:
        st.subheader(t(f"{prefix}.subtitle"))
    st.write(t(f"{prefix}.intro"))
    return Page(link, notices, ignore)
