"""Sweep a tiny grid or a seed post's preset, and compare stored runs on the Compare page."""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import expect

SWEEP_TIMEOUT = 90_000  # ms; six two-epoch runs on two workers


def test_a_tiny_custom_sweep_ends_with_a_heatmap_of_every_cell(app):
    app.open("Sweep")
    expect(app.page.get_by_role("combobox", name="Experiment")).to_have_value("Custom grid")
    sidebar = app.sidebar()
    app.choose(re.compile("^Dataset"), "Digits (8×8)", within=sidebar)
    app.choose(re.compile("^Model"), re.compile("^Linear"), within=sidebar)
    app.set_number(re.compile("^Epochs"), 2, within=sidebar)
    # The default grid: batch {16, 64, 256} x LR {0.001, 0.01}.
    expect(app.page.get_by_text(re.compile(r"6 runs on Digits"))).to_be_visible()

    app.page.get_by_role("button", name="Run sweep", exact=True).click()
    # The runs go to the workers; the page polls them and redraws itself once all have ended.
    # While it runs the page shows two progress bars: the sweep's and the current run's.
    sweep_progress = app.page.get_by_test_id("stProgress").filter(has_text="runs done")
    expect(sweep_progress).to_contain_text("6 of 6 runs done", timeout=SWEEP_TIMEOUT)
    expect(app.page.get_by_test_id("stMain").get_by_role("button", name="Stop", exact=True)).to_be_disabled()
    app.wait_until_idle()
    heading = app.page.get_by_role("heading", name="Best val accuracy over batch size × learning rate")
    expect(heading).to_be_visible()
    expect(app.page.get_by_role("heading", name=re.compile("^Loss curves"))).to_be_visible()
    charts = app.page.get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(4)  # small multiples, the heatmap, the isolation plot, the noise temperature
    assert charts.count() == 4
    for chart in charts.all():
        expect(chart.locator("svg")).to_be_visible()
    expect(charts.nth(2)).to_contain_text("Learning rate")  # the isolation plot's axis
    expect(charts.nth(3)).to_contain_text("Noise temperature η/B")
    # The same curves against update steps: the toggle redraws the small multiples.
    toggle = app.page.get_by_test_id("stButtonGroup").filter(has_text="Samples seen")
    app.after_rerun(lambda: toggle.get_by_text("Update step", exact=True).click())
    expect(charts.first).to_contain_text("Update step")
    app.check_fits()
    table = app.page.get_by_test_id("stDataFrame").locator("table[role='grid']")
    expect(table).to_have_attribute("aria-rowcount", "7")  # a header and one row per run
    assert table.get_attribute("aria-rowcount") == "7"
    app.screenshot()


def test_the_seed_001_preset_is_answered_from_the_reference_runs(app):
    app.open("Sweep")
    app.choose("Experiment", re.compile("^Seed 001"))
    expect(app.page.get_by_test_id("stAlert").filter(has_text="What the post saw")).to_be_visible()

    app.page.get_by_role("button", name="Run sweep", exact=True).click()
    # Stored runs answer at once: no training, the results are drawn on the next run of the page.
    # 4 settings × the 3 reference seeds.
    expect(app.page.get_by_test_id("stProgress").filter(has_text="runs done")).to_contain_text("12 of 12 runs done")
    app.wait_until_idle()
    expect(app.page.get_by_role("heading", name="The post's claims, measured here")).to_be_visible()
    assert app.page.get_by_role("heading", name="The post's claims, measured here").count() == 1
    expect(app.page.get_by_role("heading", name="Best val loss over batch size × epochs trained")).to_be_visible()
    expect(app.page.get_by_test_id("stVegaLiteChart")).to_have_count(2)
    app.check_fits()  # the legend tells the 5- from the 20-epoch runs
    app.screenshot()


def test_two_reference_runs_are_overlaid_against_update_steps_on_compare(app):
    app.open("Compare")
    expect(app.page.get_by_text(re.compile(r"\d+ of \d+ runs shown"))).to_be_visible()
    # The longest dataset name as a filter chip (six filters in one row left it only its "×").
    dataset = app.page.get_by_test_id("stMultiSelect").filter(has_text="Dataset")
    dataset.get_by_role("combobox").click()
    app.after_rerun(lambda: app.page.get_by_role("option", name="Linear regression (y = 3x + noise)").click())
    dataset.get_by_role("combobox").press("Escape")
    expect(dataset.locator("[data-tag]")).to_have_text(["Linear regression (y = 3x + noise)"])
    picker = app.page.get_by_test_id("stMultiSelect").filter(has_text="Runs to compare")
    app.after_rerun(lambda: picker.get_by_role("button", name="Clear all").click())
    expect(app.page.get_by_text("Pick runs above to draw their curves.")).to_be_visible()

    box = picker.get_by_role("combobox")
    for name in ("seed001: B 16 · LR 0.1 · 20 ep · seed 0", "seed001: B 128 · LR 0.1 · 20 ep · seed 0"):
        box.scroll_into_view_if_needed()  # as in App.choose: a click that scrolls closes the list again
        box.click()
        box.fill(name)  # typing filters the long list of stored runs
        app.after_rerun(lambda name=name: app.page.get_by_role("option", name=name, exact=True).click())
        box.press("Escape")
    expect(picker.get_by_role("group", name="Selected values").locator("[data-tag]")).to_have_count(2)

    chart = app.page.get_by_test_id("stVegaLiteChart")
    expect(chart.locator("svg")).to_contain_text("Epoch")
    x_axis = app.page.get_by_test_id("stRadio").filter(has_text="x-axis")
    app.after_rerun(lambda: x_axis.get_by_text("Update step", exact=True).click())
    expect(x_axis.get_by_role("radio", name="Update step")).to_be_checked()
    expect(chart.locator("svg")).to_contain_text("Update step")
    assert "Update step" in chart.locator("svg").first.text_content()
    expect(chart.locator("svg")).to_contain_text("seed001: B 128 · LR 0.1 · 20 ep")  # whole, in the legend
    app.check_fits()  # the chips, the Name column, the legend
    app.screenshot()
