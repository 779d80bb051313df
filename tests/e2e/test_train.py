"""The Train page as a new user uses it: pick settings in the sidebar, press Train, press Stop."""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import expect

TRAINING_TIMEOUT = 60_000  # ms; a tiny run takes seconds, but the workers may still be importing torch


def test_a_tiny_training_run_shows_its_curves_and_a_completed_summary(app):
    app.open("Train")
    sidebar = app.sidebar()
    app.choose(re.compile("^Dataset"), "Digits (8×8)", within=sidebar)
    app.choose(re.compile("^Model"), re.compile("^MLP"), within=sidebar)
    app.set_number(re.compile("^Epochs"), 2, within=sidebar)
    expect(app.page.get_by_text(re.compile(r"1,150 training samples .* in 2 epochs"))).to_be_visible()

    app.click("Train")
    # The run trains in a worker; the page polls it and redraws itself once it has ended.
    expect(app.metric("Status")).to_have_text("Completed", timeout=TRAINING_TIMEOUT)
    app.wait_until_idle()
    assert app.metric("Status").inner_text() == "Completed"
    expect(app.page.get_by_test_id("stProgress")).to_contain_text("Completed after 2 of 2 epochs")
    expect(app.metric("Epochs")).to_have_text("2 / 2")
    expect(app.metric("Update steps")).to_have_text("36")  # 1,150 samples / batch 64 -> 18 per epoch
    expect(app.page.get_by_role("tab", name="Loss")).to_be_visible()
    chart = app.page.get_by_test_id("stVegaLiteChart").first
    expect(chart.locator("svg")).to_contain_text("Loss per epoch")
    assert "run=" in app.page.url  # the link finds this run again
    app.screenshot()


def test_stop_ends_a_long_run_and_keeps_what_was_trained(app):
    app.open("Train")
    sidebar = app.sidebar()
    app.choose(re.compile("^Dataset"), "MNIST-1D", within=sidebar)
    app.set_number(re.compile("^Batch size"), 16, within=sidebar)
    app.set_number(re.compile("^Epochs"), 300, within=sidebar)

    app.page.get_by_role("button", name="Train", exact=True).click()
    # Wait until at least one epoch has been reported, so there is something to keep.
    expect(app.page.get_by_test_id("stProgress")).to_contain_text(
        re.compile(r"Epoch \d+ of 300"), timeout=TRAINING_TIMEOUT)
    app.screenshot("running")
    # Streamlit's own header shows a "Stop" (the script run) while the page polls: use the page's.
    app.page.get_by_test_id("stMain").get_by_role("button", name="Stop", exact=True).click()

    # The worker stops within one batch; the page then shows the partial run.
    expect(app.metric("Status")).to_have_text("Stopped", timeout=TRAINING_TIMEOUT)
    app.wait_until_idle()
    assert app.metric("Status").inner_text() == "Stopped"
    expect(app.page.get_by_test_id("stAlert").filter(has_text="Stopped by request")).to_contain_text(
        "what was trained is kept")
    expect(app.metric("Epochs")).to_have_text(re.compile(r"^\d+ / 300$"))
    assert app.metric("Epochs").inner_text() != "300 / 300"
    expect(app.page.get_by_test_id("stVegaLiteChart").first.locator("svg")).to_contain_text("Loss per epoch")
    app.screenshot("stopped")
