"""Every page opens from the sidebar menu and draws without an error."""

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import expect

MENU = [  # (the menu entry, the path the page gets)
    ("Home", ""),
    ("Lessons", "Lessons"),
    ("Train", "Train"),
    ("Sweep", "Sweep"),
    ("Compare", "Compare"),
    ("Scaling calculator", "Calculator"),
    ("LR range test", "LR_Range_Test"),
    ("Sharpness", "Sharpness"),
    ("Critical batch size", "Critical_Batch"),
    ("Glossary", "Glossary"),
    ("Class", "Class"),
]


def test_the_sidebar_menu_lists_every_page(app):
    app.open()
    links = app.sidebar().get_by_test_id("stPageLink-NavLink")
    expect(links).to_have_count(len(MENU))
    assert links.count() == len(MENU)
    for (label, _), link in zip(MENU, links.all(), strict=True):
        expect(link).to_contain_text(label)


@pytest.mark.parametrize("label, path", MENU, ids=[path or "Home" for _, path in MENU])
def test_a_page_opens_from_the_sidebar_menu(app, label, path):
    app.open("Sweep" if label == "Home" else "")  # start somewhere else, so the click really goes there
    app.open_from_menu(label)
    page_url = app.page.url.split("?")[0]  # a page writes its settings into the link (?optimizer=adam...)
    assert page_url.rstrip("/") == f"{app.base_url}/{path}".rstrip("/")
    app.screenshot()
