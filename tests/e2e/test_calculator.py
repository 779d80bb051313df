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
    app.check_fits()  # Verify's legend names each run whole
    app.screenshot()


def test_a_link_for_adam_recommends_one_lr_and_the_warm_up_and_advice_use_it(app):
    app.open("Calculator?scale_old_batch=64&scale_old_lr=0.001&scale_new_batch=512&scale_optimizer=adam")
    recommended = app.page.get_by_test_id("stAlert").filter(has_text="Recommended for Adam")
    expect(recommended).to_contain_text("LR 0.00282843 at batch 512")  # 0.001 · √8, not 0.001 · 8
    # The warm-up climbs from the old LR by a constant per step and ends at the recommended LR.
    warmup = app.page.locator(".katex-mathml annotation").filter(has_text=r"\eta_t").first.text_content() or ""
    start, step, steps = re.search(r"\\eta_t = ([\d.e-]+) \+ t \\cdot ([\d.e-]+),.*\\ldots (\d+)", warmup).groups()
    assert float(start) + int(steps) * float(step) == pytest.approx(0.00282843, rel=0.01)
    expect(app.page.get_by_text(re.compile("reaching the recommended LR 0.00282843 after"))).to_be_visible()
    advice = app.page.get_by_test_id("stAlert").filter(has_text="Advice from seed 002")
    expect(advice).to_contain_text("0.00226 instead of 0.00283")  # 0.8 × the recommended LR
    assert "0.008" not in advice.inner_text()  # the linear rule's LR appears nowhere in the advice
    warning = app.page.get_by_test_id("stAlert").filter(has_text="β₁ falls to 0.2 at k = 8")
    expect(warning).to_be_visible()
    expect(app.page.get_by_text(re.compile(r"^Verify trains MNIST-1D: 3,200 training samples"))).to_be_visible()
    app.check_fits()
    app.screenshot()
