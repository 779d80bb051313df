"""The Critical batch page: the steps-to-target experiment tunes each batch size's LR, fits, and shows every point."""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import expect

EXPERIMENT_TIMEOUT = 180_000  # ms; about a dozen short runs on two workers, added stage by stage


def test_the_experiment_fills_every_batch_size_and_answers_with_an_interval_or_says_why_not(app):
    app.open("Critical_Batch?cb_dataset=digits&cb_model_digits=linear&cb_optimizer=adam&cb_batches=16"
             "&cb_batches=64&cb_batches=256&cb_lrs=0.003&cb_lrs=0.01&cb_lrs=0.03&cb_target_val_acc=0.9"
             "&cb_budget=400&cb_seeds=1")
    expect(app.page.get_by_text(re.compile("^Up to 12 runs of at most 400 update steps each"))).to_be_visible()
    app.page.get_by_role("button", name="Run", exact=True).click()
    table = app.page.get_by_test_id("stDataFrame").locator("table[role='grid']")
    expect(table).to_have_attribute("aria-rowcount", "4", timeout=EXPERIMENT_TIMEOUT)  # a header and three batches
    expect(app.page.get_by_text("have finished their learning-rate search")).to_have_count(0,
                                                                                           timeout=EXPERIMENT_TIMEOUT)
    app.wait_until_idle()
    assert table.get_attribute("aria-rowcount") == "4"
    charts = app.page.get_by_test_id("stVegaLiteChart")
    expect(charts.filter(has_text="Update steps to reach the target (log)")).to_have_count(1)
    expect(charts.filter(has_text="Training examples E = S·B (log)")).to_have_count(1)
    answer = app.page.get_by_text(re.compile(r"B_crit ≈ [\d,]+ \(95% bootstrap interval|B_crit is not determined"))
    expect(answer).to_have_count(1)
    app.check_fits()
    app.screenshot()
