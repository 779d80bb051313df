"""Links a teacher shares: they name settings by stable ids (?sweep_preset=seed001), so a link made in
Korean opens the same settings in English and back, and a Korean link stays Korean page after page.

A Korean link used to lose its language at the first click in the menu (the page switch dropped the
?lang= the address brought), and a link naming a preset by its title opened the default grid in the
other language."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import expect

from core.experiments.presets import presets
from pages.ui.texts import CORE, TEXT

KOREAN = "한국어"
SEED_001 = presets()["seed001"].title


def korean(message) -> str:
    return message.render(lambda m: CORE.get(m.key))


def shared_link(app, language: str) -> str:
    """The link in the page's share panel (what a teacher copies or shows as a QR code)."""
    panel = app.page.get_by_test_id("stExpander").filter(has_text=TEXT["share.title"][language])
    panel.get_by_text(TEXT["share.title"][language]).click()
    code = panel.get_by_test_id("stCode")
    expect(code).to_be_visible()
    return code.inner_text().strip()


def in_language(link: str, language: str) -> str:
    """`link` with its ?lang= set to `language`, everything else as it was."""
    parts = urlsplit(link)
    query = {key: values for key, values in parse_qs(parts.query).items() if key != "lang"}
    query["lang"] = [language]
    return f"{parts.path.lstrip('/')}?{urlencode(query, doseq=True)}"


def test_a_link_made_in_korean_opens_the_same_preset_in_english_and_back(app):
    app.open(f"Sweep?lang={KOREAN}")
    app.choose("실험", korean(SEED_001))  # Experiment
    link = shared_link(app, "ko")
    assert parse_qs(urlsplit(link).query)["sweep_preset"] == ["seed001"]  # an id, not the Korean title
    assert parse_qs(urlsplit(link).query)["lang"] == [KOREAN]

    app.open(in_language(link, "English"))  # a fresh page load: a new session
    experiment = app.page.get_by_role("combobox", name="Experiment")
    expect(experiment).to_have_value(SEED_001.render())
    assert experiment.input_value() == SEED_001.render()
    assert app.page.get_by_test_id("stAlert").filter(has_text="not").count() == 0  # nothing refused

    english = shared_link(app, "en")
    app.open(in_language(english, KOREAN))
    expect(app.page.get_by_role("combobox", name="실험")).to_have_value(korean(SEED_001))
    app.screenshot()


def test_a_korean_link_stays_korean_through_the_menu_and_so_does_the_share_link(app):
    app.open(f"?lang={KOREAN}")
    for entry, title in (("학습", "학습"), ("비교", "비교"), ("그리드 실험", "그리드 실험")):  # Train, Compare, Sweep
        app.open_from_menu(entry)
        assert app.page.locator("[data-testid='stMain'] h1").first.inner_text() == title
    link = shared_link(app, "ko")
    assert parse_qs(urlsplit(link).query)["lang"] == [KOREAN]
    # The menu's own links name the language too: one opened in a new tab reads Korean.
    href = app.sidebar().get_by_role("link", name="학습", exact=True).get_attribute("href")
    assert re.search(r"[?&]lang=", href or ""), href
    app.screenshot()
