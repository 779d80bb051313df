"""Every page runs, and its main action works end to end on a tiny config (AppTest)."""

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
TIMEOUT = 60  # the first run starts the worker pool; imports of torch take seconds on 2 cores


def open_page(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    if page:
        at.switch_page(page).run()
    return at


def progress_texts(at: AppTest) -> list[str]:
    return [p.proto.text for p in at.get("progress")]


def run_until_done(at: AppTest, timeout: float = 120) -> AppTest:
    """AppTest does not fire run_every fragments, so rerun until the job panel is final."""
    deadline = time.time() + timeout
    while any(t.startswith(("Epoch", "Starting", "Queued")) for t in progress_texts(at)):
        assert time.time() < deadline, progress_texts(at)
        time.sleep(0.3)
        at.run()
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_home_page_runs_and_computes_steps_per_epoch():
    at = open_page()
    assert not at.exception
    at.number_input(key="calc_n").set_value(320)
    at.number_input(key="calc_b").set_value(32)
    at.number_input(key="calc_e").set_value(10).run()
    assert metrics(at)["Updates per epoch"] == "10"
    assert metrics(at)["Updates in total"] == "100"


def test_the_home_calculator_explains_a_batch_larger_than_the_data():
    at = open_page()
    at.number_input(key="calc_b").set_value(5000).run()
    assert not at.exception
    assert "larger than the 2000 samples" in at.error[0].value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(page):
    at = open_page(page)
    assert not at.exception


def test_the_train_page_trains_a_tiny_config_and_shows_the_chart_and_summary():
    at = open_page("pages/1_Train.py")
    at.selectbox(key="dataset").select("digits").run()
    at.selectbox(key="model_digits").select("mlp")
    at.number_input(key="epochs").set_value(2)
    at.number_input(key="seed").set_value(101).run()
    assert "updates per epoch" in at.markdown[1].value
    at.button(key="train").click().run()
    run_until_done(at)
    assert not at.exception
    summary = metrics(at)
    assert summary["Status"] == "Completed"
    assert summary["Epochs"] == "2 / 2"
    assert summary["Update steps"] == str(2 * 18)  # 1150 samples / batch 64 -> 18 per epoch
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 2


def test_training_the_same_settings_again_shows_the_stored_run():
    at = open_page("pages/1_Train.py")
    at.selectbox(key="dataset").select("digits").run()
    at.number_input(key="epochs").set_value(2)
    at.number_input(key="seed").set_value(102).run()
    at.button(key="train").click().run()
    run_until_done(at)
    again = open_page("pages/1_Train.py")  # a second session with the same settings
    again.selectbox(key="dataset").select("digits").run()
    again.number_input(key="epochs").set_value(2)
    again.number_input(key="seed").set_value(102).run()
    assert metrics(again)["Status"] == "Completed"  # shown at once, before pressing Train
    again.button(key="train").click().run()
    assert "trained already" in again.info[0].value


def test_stop_keeps_the_partial_run():
    at = open_page("pages/1_Train.py")
    at.number_input(key="batch_size").set_value(16)
    at.number_input(key="epochs").set_value(500)
    at.number_input(key="seed").set_value(103).run()
    at.button(key="train").click().run()
    deadline = time.time() + 60
    while not any(t.startswith("Epoch") for t in progress_texts(at)):
        assert time.time() < deadline
        time.sleep(0.3)
        at.run()
    at.button(key="stop").click().run()
    run_until_done(at)
    assert metrics(at)["Status"] == "Stopped"
    assert "what was trained is kept" in at.info[0].value


def test_an_invalid_input_shows_a_clear_message_not_a_traceback():
    at = open_page("pages/1_Train.py")
    at.selectbox(key="dataset").select("linear").run()
    at.number_input(key="batch_size").set_value(5000).run()
    assert not at.exception
    assert "must be at most the 800 training samples of 'linear'" in at.error[0].value
    assert len(at.button) == 0  # no Train button for settings that cannot train


def test_an_unavailable_dataset_shows_a_clear_message():
    at = open_page("pages/1_Train.py")
    at.selectbox(key="dataset").select("cifar10").run()
    at.button(key="train").click().run()
    run_until_done(at)
    assert not at.exception
    assert "CIFAR-10 is not in" in at.error[0].value


def test_a_reloaded_page_finds_its_run_again_through_the_link():
    at = open_page("pages/1_Train.py")
    at.selectbox(key="dataset").select("digits").run()
    at.number_input(key="epochs").set_value(2)
    at.number_input(key="seed").set_value(104).run()
    at.button(key="train").click().run()
    run_until_done(at)
    key = at.query_params["run"][0] if isinstance(at.query_params["run"], list) else at.query_params["run"]
    reloaded = AppTest.from_file(str(ROOT / "pages/1_Train.py"), default_timeout=TIMEOUT)
    reloaded.query_params["run"] = key
    reloaded.run()
    assert not reloaded.exception
    assert reloaded.selectbox(key="dataset").value == "digits"
    assert reloaded.number_input(key="seed").value == 104
    assert metrics(reloaded)["Status"] == "Completed"


def test_a_link_to_an_unknown_run_shows_a_notice():
    at = AppTest.from_file(str(ROOT / "pages/1_Train.py"), default_timeout=TIMEOUT)
    at.query_params["run"] = "not-a-run"
    at.run()
    assert not at.exception
    assert "not on the server any more" in at.info[0].value
