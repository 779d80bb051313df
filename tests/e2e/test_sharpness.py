"""The Sharpness page: both batch sizes train over seeds, and the page shows every seed's sharpness and the verdict."""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import expect

TRAIN_TIMEOUT = 120_000  # ms; four short runs on two workers, each measured after it trains


def test_two_seeds_per_batch_size_fill_the_table_draw_the_stability_edge_and_decide_the_claim(app):
    # SGD on the regression line (an MLP: a linear model's Hessian is the same at every weight): both batch sizes
    # head for the noise floor, and the page decides the claim or says why it cannot.
    app.open("Sharpness?sharp_dataset=linear&sharp_model_linear=mlp&sharp_optimizer=sgd&sharp_learning_rate=0.05"
             "&sharp_epochs=10"
             "&sharp_small_batch=16&sharp_large_batch=128&sharp_seeds=2&sharp_seed=31")
    expect(app.page.get_by_text("4 runs: each batch size with seeds 31–32")).to_be_visible()
    app.page.get_by_role("button", name="Train all and measure", exact=True).click()
    expect(app.page.get_by_test_id("stProgress")).to_contain_text("4 of 4 runs done", timeout=TRAIN_TIMEOUT)
    app.wait_until_idle()
    table = app.page.get_by_test_id("stDataFrame").locator("table[role='grid']")
    expect(table).to_have_attribute("aria-rowcount", "5")  # a header and four runs
    assert table.get_attribute("aria-rowcount") == "5"
    charts = app.page.get_by_test_id("stVegaLiteChart")
    expect(charts.filter(has_text="stability edge 40")).to_have_count(1)  # 2/η at η = 0.05
    assert charts.filter(has_text="Sharpness: top Hessian eigenvalue").count() == 2  # per seed; gap against it
    claim = app.page.get_by_test_id("stMarkdownContainer").filter(has_text="Large batch → sharper minimum").filter(
        has_text="Measured:")
    expect(claim).to_contain_text("over 2 seeds")
    verdict = app.page.get_by_test_id("stAlert").filter(
        has_text=re.compile("^(The seeds' claim showed up|The seeds' claim did not show up|These runs do not decide)"))
    expect(verdict).to_have_count(1)
    app.check_fits()
    app.screenshot()
