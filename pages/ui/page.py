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

from core.runs.ownership import owner_id
from pages.ui.classroom import draw_room_badge
from pages.ui.i18n import t
from pages.ui.identity import owner_secret
from pages.ui.links import drop_undrawn_choices, link_values, start_run, warn_about_rejected
from pages.ui.nav import PAGES, draw_next, sidebar_nav
from pages.ui.share import draw_share
from pages.ui.texts import TEXT


@dataclass
class Page:
    link: dict[str, list[str]]  # the link's parameters as they came in
    notices: DeltaGenerator  # a place at the top of the page for the link's notices
    ignore: tuple[str, ...]  # link parameters the page reads itself (no widget holds them)
    opened: bool  # the first run of this page in the session: the link is the one someone shared
    path: str
    share: DeltaGenerator | None  # where the page's link and QR code go, on the pages a teacher shares

    def end(self) -> None:
        """On opening: name every link value a widget refused, and every parameter no widget of the page
        knows. Afterwards the link is the app's own (it follows the widgets), so there is nothing to name."""
        drop_undrawn_choices()
        if self.opened:
            warn_about_rejected(self.link, self.notices, self.ignore)
        if self.share is not None:
            draw_share(self.share, self.path)
        draw_next(self.path)

    def stop(self) -> NoReturn:
        """End the page here: nothing more to draw (its notices are still shown)."""
        self.end()
        st.stop()

    def fail(self, message: str) -> NoReturn:
        """Show why the page cannot go on, and stop. Parameters of widgets not drawn yet are not named."""
        st.error(message, icon="🚫")
        if self.opened:
            warn_about_rejected(self.link, self.notices, self.ignore, unknown=False)
        st.stop()


def page(path: str, ignore: tuple[str, ...] = ("run",), share: bool = False) -> Page:
    """Open the page at `path` (its entry in PAGES): read the link before any widget (the language
    selector too, so a ?lang= it refuses is named), draw the sidebar, the title and the intro; with
    `share`, a place under the intro for the link with the page's settings and its QR code."""
    link = link_values()
    start_run()
    owner = owner_id(owner_secret())  # this browser's secret, written to its cookie on the first page it opens
    opened_pages = st.session_state.setdefault("_pages_opened", set())
    opened = path not in opened_pages
    opened_pages.add(path)
    sidebar_nav(path)
    draw_room_badge(owner)  # the room this session is in, and its handed-out cell
    prefix = next(prefix for script, _, _, prefix in PAGES if script == path)
    notices = st.container()
    st.title(t(f"{prefix}.title"))
    if f"{prefix}.subtitle" in TEXT:
        st.subheader(t(f"{prefix}.subtitle"))
    st.write(t(f"{prefix}.intro"))
    return Page(link, notices, ignore, opened, path, st.container() if share else None)
