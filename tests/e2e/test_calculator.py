"""The scaling calculator: a worked example in one click, and Verify trains the rules' learning rates."""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import expect

VERIFY_TIMEOUT = 90_000  # ms; four two-epoch runs on two workers


def test_the_worked_example_scales_lr_16_at_batch_1024_to_lr_1_at_batch_64(app):
    app.open("Calculator")
    app.click("Example: batch 1024, LR 16 → batch 64")
    expect(app.page.get_by_label("Old batch size")).to_have_value("1024")
    expect(app.page.get_by_label("New batch size")).to_have_value("64")
    expect(app.page.get_by_role("heading", name="k = 64 / 1024 = 0.0625")).to_be_visible()
    assert app.page.get_by_role("heading", name="k = 64 / 1024 = 0.0625").count() == 1
    # The linear rule's formula ends in its result, in bold: 16 · 64 / 1024 = 1.
    linear = app.page.get_by_test_id("stColumn").filter(has=app.page.get_by_role("heading", name="Linear rule"))
    expect(linear.locator(".katex-mathml annotation")).to_contain_text(r"= \mathbf{1}")
    assert r"= \mathbf{1}" in linear.locator(".katex-mathml annotation").first.text_content()
    app.screenshot()


def test_verify_trains_the_old_setting_and_three_rules_into_a_four_row_table(app):
    app.open("Calculator")
    app.click("Example: batch 1024, LR 16 → batch 64")
    app.choose("Dataset", "Digits (8×8)")
    app.choose("Model", re.compile("^Linear"))
    app.set_number("Epochs to train", 2)

    app.page.get_by_role("button", name="Verify", exact=True).click()
    # The four runs train in the workers; the page polls them and redraws itself once all have ended.
    expect(app.page.get_by_test_id("stProgress")).to_contain_text("4 of 4 runs done", timeout=VERIFY_TIMEOUT)
    app.wait_until_idle()
    table = app.page.get_by_test_id("stDataFrame").locator("table[role='grid']")
    expect(table).to_have_attribute("aria-rowcount", "5")  # a header and four runs
    assert table.get_attribute("aria-rowcount") == "5"
    for run in ("old setting", "linear rule", "square-root rule", "unscaled LR"):
        expect(table).to_contain_text(run)
    expect(app.page.get_by_test_id("stVegaLiteChart").locator("svg")).to_contain_text("Samples seen")
    app.screenshot()
