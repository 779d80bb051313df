"""Switch the language: the selector at the top of the sidebar turns every page into Korean and back.

The choice is kept for the session while the user moves through the menu, and rides in the link
(?lang=한국어), so a link opens the app in Korean. Korean glyphs are boxes in the screenshots here
when no CJK font is installed; the checks read the page's text, not its pixels.
"""

import re
from urllib.parse import parse_qs, urlparse

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import expect

TRAINING_TIMEOUT = 60_000  # ms; a tiny run takes seconds, but the workers may still be importing torch
SELECTOR = "Language · 언어"  # the selector's label, the same in both languages
KOREAN = "한국어"


def language_in_link(app) -> str:
    """The language the page's link asks for: ?lang=..., or English when the link names none."""
    return parse_qs(urlparse(app.page.url).query).get("lang", ["English"])[0]


def pick_language(app, language: str) -> None:
    """Click `language` in the sidebar's selector and wait for the page to be drawn again."""
    option = app.sidebar().get_by_role("radiogroup", name=SELECTOR).get_by_role("radio", name=language, exact=True)
    app.after_rerun(option.click)
    expect(option).to_be_checked()


def title(app):
    return app.page.locator("[data-testid='stMain'] h1").first


def test_a_new_user_switches_to_korean_and_every_page_follows_until_english_is_chosen_again(app):
    app.open()
    expect(app.page.get_by_role("heading", name="Four words")).to_be_visible()
    assert language_in_link(app) == "English"

    # ---- Home in Korean: headings, menu and link.
    pick_language(app, KOREAN)
    expect(app.page.get_by_role("heading", name="네 가지 용어")).to_be_visible()
    assert app.page.get_by_role("heading", name="네 가지 용어").count() == 1
    assert app.page.get_by_role("heading", name="Four words").count() == 0
    expect(app.page).to_have_url(re.compile(r"[?&]lang="))
    assert language_in_link(app) == KOREAN
    sidebar = app.sidebar()
    for entry in ("홈", "학습", "비교", "용어집"):  # Home, Train, Compare, Glossary
        expect(sidebar.get_by_role("link", name=entry, exact=True)).to_be_visible()
    assert sidebar.get_by_role("link", name="Train", exact=True).count() == 0
    app.screenshot("home-ko")

    # ---- Train, reached through the Korean menu: Korean labels, a Korean run summary.
    app.open_from_menu("학습")
    assert title(app).inner_text() == "학습"
    assert app.page.title() == "학습 · Batch Lab"  # the browser tab too
    expect(app.page).to_have_url(re.compile(r"/Train\?(.*&)?lang="))
    assert language_in_link(app) == KOREAN  # the choice stays while the user moves on
    app.choose(re.compile("^데이터셋"), "손글씨 숫자 (8×8)", within=sidebar)  # Digits (8×8)
    app.choose(re.compile("^모델"), re.compile("^선형"), within=sidebar)  # Linear
    app.set_number(re.compile("^에폭"), 3, within=sidebar)  # Epochs
    steps = app.page.get_by_text(re.compile(r"학습 샘플 1,150개.*3에폭 동안 54스텝"))
    expect(steps).to_be_visible()
    assert steps.count() == 1

    app.click("학습")  # the Train button
    expect(app.metric("상태")).to_have_text("완료", timeout=TRAINING_TIMEOUT)  # Status: Completed
    app.wait_until_idle()
    assert app.metric("상태").inner_text() == "완료"
    expect(app.page.get_by_test_id("stProgress")).to_contain_text("완료 · 3에폭 중 3에폭")
    expect(app.metric("에폭")).to_have_text("3 / 3")  # Epochs
    expect(app.metric("업데이트 스텝")).to_have_text("54")  # Update steps: 1,150 / 64 -> 18 per epoch
    expect(app.page.get_by_role("tab", name="손실")).to_be_visible()  # the Loss tab
    expect(app.page.get_by_test_id("stVegaLiteChart").first.locator("svg")).to_contain_text("에폭별")  # per epoch
    assert app.page.get_by_text("Completed", exact=True).count() == 0
    app.screenshot("train-ko")

    # ---- Glossary and Compare, still in Korean.
    app.open_from_menu("용어집")
    assert title(app).inner_text() == "용어집"
    grid = app.page.get_by_test_id("stDataFrame").locator("table[role='grid']")
    expect(grid).to_contain_text("에폭 (Epoch)")  # Korean term first, the English one in brackets
    expect(grid).to_contain_text("학습 데이터 전체를 한 번 모두 학습하는 것.")
    assert "에폭 (Epoch)" in grid.inner_text()
    app.screenshot("glossary-ko")

    app.open_from_menu("비교")
    assert title(app).inner_text() == "비교"
    shown = app.page.get_by_text(re.compile(r"실행 \d+개 중 \d+개를 표시합니다"))
    expect(shown).to_be_visible()
    assert shown.count() == 1
    assert language_in_link(app) == KOREAN
    app.screenshot("compare-ko")

    # ---- Back to English, on the page the user is on and on the next one.
    pick_language(app, "English")
    expect(title(app)).to_have_text("Compare")
    assert title(app).inner_text() == "Compare"
    assert app.page.title() == "Compare · Batch Lab"
    expect(app.page.get_by_text(re.compile(r"\d+ of \d+ runs shown"))).to_be_visible()
    assert app.page.get_by_text(re.compile(r"실행 \d+개 중")).count() == 0
    assert language_in_link(app) == "English"
    app.open_from_menu("Glossary")
    expect(app.page.get_by_test_id("stDataFrame").locator("table[role='grid']")).to_contain_text("Epoch (에폭)")
    assert language_in_link(app) == "English"
    app.screenshot("glossary-en")


def test_a_link_with_lang_korean_opens_a_sub_page_in_korean_in_a_fresh_tab(app):
    app.open(f"Sweep?lang={KOREAN}")
    expect(title(app)).to_have_text("그리드 실험")  # Sweep
    assert title(app).inner_text() == "그리드 실험"
    selector = app.sidebar().get_by_role("radiogroup", name=SELECTOR)
    expect(selector.get_by_role("radio", name=KOREAN, exact=True)).to_be_checked()
    expect(app.page.get_by_role("combobox", name="실험")).to_be_visible()  # Experiment
    expect(app.sidebar().get_by_role("link", name="학습", exact=True)).to_be_visible()  # the menu too
    assert app.page.get_by_role("button", name="그리드 실험 실행", exact=True).count() == 1  # Run sweep
    assert language_in_link(app) == KOREAN
    app.screenshot()
