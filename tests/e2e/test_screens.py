"""Every page, in both languages, on a laptop (1400×1000) and on a projector (1920×1080 at 125 %
zoom): nothing cut off, nothing wider than the page, and a screenshot of each in tests/artifacts/e2e/
(test_every_page_fits_the_screen_with_nothing_cut_off-<language>-<screen>-<page>.png).

"Cut off" is read from the page as the browser laid it out (App.check_fits): a text box or a
widget's value whose text is wider than its box (a select box showing "1-D CNN (MNIST-1D pa"), a
chart label Vega-Lite shortened with "…", a chart or table that runs past the right edge of the
page's column. The Sweep page is also checked with its preset's charts drawn (answered from the
reference runs).
"""

from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import expect

from pages.ui.i18n import LANGUAGES
from pages.ui.nav import PAGES
from pages.ui.texts import TEXT


def checked_and_photographed(app, what: str) -> Path:
    app.check_fits(what)
    return app.screenshot(what)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("app", ["laptop", "projector"], indirect=True)
@pytest.mark.parametrize("language", list(LANGUAGES), ids=list(LANGUAGES.values()))
def test_every_page_fits_the_screen_with_nothing_cut_off(app, language):
    code = LANGUAGES[language]
    app.open(f"?lang={language}")
    shots = []
    for path, entry, _, prefix in PAGES:
        if path != "app.py":
            app.open_from_menu(TEXT[entry][code])
        shots.append(checked_and_photographed(app, prefix))
        if prefix == "sweep":  # with the default preset's grid, heatmap and curves drawn
            app.page.get_by_role("button", name=TEXT["sweep.run"][code], exact=True).click()
            expect(app.page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
            app.wait_until_idle()
            shots.append(checked_and_photographed(app, f"{prefix}-charts"))
    assert len(shots) == len(PAGES) + 1 and all(shot.stat().st_size > 0 for shot in shots)  # every page walked
