"""The LR range test page: range tests for several batch sizes, overlaid, their legend in the order of
the batch sizes (it used to sort them as text: 16, 256, 512, 64)."""

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import expect

RANGE_TIMEOUT = 90_000  # ms; four 20-step range tests on two workers
LEGENDS = """() => Object.fromEntries(
    [...document.querySelectorAll("[data-testid='stVegaLiteChart'] svg g.role-legend")].map(g => [
        g.querySelector(".role-legend-title text")?.textContent,
        [...g.querySelectorAll(".role-legend-label text")].map(t => t.textContent)]))"""  # title -> labels


def test_four_batch_sizes_are_overlaid_with_their_legend_in_numeric_order(app):
    batches = "&".join(f"lr_batches={b}" for b in (512, 16, 256, 64))  # picked in no order
    app.open(f"LR_Range_Test?lr_dataset=digits&lr_model_digits=linear&lr_num_it=20&{batches}")
    app.click("Run range tests")
    expect(app.page.get_by_test_id("stProgress")).to_contain_text("4 of 4 runs done", timeout=RANGE_TIMEOUT)
    app.wait_until_idle()
    app.page.wait_for_function(f"Object.keys(({LEGENDS})()).length > 0")
    legends = app.page.evaluate(LEGENDS)
    assert legends["Range test"] == ["batch 16", "batch 64", "batch 256", "batch 512"]
    table = app.page.get_by_test_id("stDataFrame").locator("table[role='grid']")
    expect(table).to_have_attribute("aria-rowcount", "5")  # a header and a row per batch size
    app.screenshot()
