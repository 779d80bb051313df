"""The Lessons page in a real browser: predict, then Run unlocks, and the result is drawn over the prediction."""

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import expect

PREDICTION = [  # (the question, the answer picked): seed 001's lesson
    ("After 5 epochs, the lower training loss has…", "batch 16"),
    ("In those 5 epochs, how many update steps does batch 16 make compared with batch 128?", "batch 16 makes more"),
]


def test_a_lesson_unlocks_run_once_predicted_and_shows_the_result_over_the_prediction_and_its_honesty_box(app):
    app.open("Lessons?lesson=L1")
    main = app.page.get_by_test_id("stMain")
    run = main.get_by_role("button", name="Run", exact=True)
    expect(run).to_be_disabled()  # predict first
    for question, answer in PREDICTION:
        group = main.get_by_role("radiogroup", name=question)
        app.after_rerun(lambda group=group, answer=answer: group.get_by_text(answer, exact=True).click())
    expect(run).to_be_enabled()
    app.click("Run", within=main)  # answered by the shipped reference runs: no training
    expect(main.get_by_text("✅ You predicted batch 16; the runs show batch 16", exact=False)).to_be_visible()
    expect(main.get_by_text("the runs show batch 16 makes more: in 5 epochs batch 16 made 250 update steps",
                            exact=False)).to_be_visible()
    expect(main.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    assert main.get_by_test_id("stVegaLiteChart").count() >= 1  # the result, drawn over the prediction
    expect(main.get_by_test_id("stAlert").filter(has_text="The effect showed on this data.")).to_have_count(1)
    expect(main.get_by_role("button", name="Start this lesson again", exact=True)).to_be_visible()
    for question, _ in PREDICTION:  # the prediction stays, locked: it is what the result was compared with
        expect(main.get_by_role("radiogroup", name=question).get_by_role("radio").first).to_be_disabled()
    app.wait_until_idle()
    app.check_fits()
    app.screenshot()
