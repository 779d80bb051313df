"""The Sharpness page (AppTest): its preset trains both batch sizes and shows their sharpness and the verdict."""

import math

import pytest

from core.experiments.sharp_vs_flat import LARGE_SHARPER, SHARPER_WORSE
from core.messages import Message
from pages.ui.texts import CORE

PAGE = "pages/6_Sharpness.py"


def korean(message: Message) -> str:
    return message.render(lambda m: CORE.get(m.key))



def test_the_sharpness_page_runs_without_exception_with_its_defaults(open_page):
    at = open_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "Sharpness"
    assert at.number_input(key="sharp_small_batch").value == 16
    assert at.number_input(key="sharp_large_batch").value == 512
    assert at.number_input(key="sharp_seeds").value == 3
    assert any("batch 16: 200 updates per epoch" in c.value for c in at.caption)  # MNIST-1D: 3,200 training samples
    assert any(c.value == "6 runs: each batch size with seeds 0–2" for c in at.caption)


def train_tiny(at, optimizer: str, seeds: int, wait_for, progress_texts):
    """Both batch sizes of digits' linear model for 2 epochs, `seeds` seeds from 601, until every run is in."""
    at.selectbox(key="sharp_dataset").select("digits").run()
    at.selectbox(key="sharp_model_digits").select("linear")
    at.selectbox(key="sharp_optimizer").select(optimizer)
    at.number_input(key="sharp_learning_rate").set_value(0.1)
    at.number_input(key="sharp_epochs").set_value(2)
    at.number_input(key="sharp_small_batch").set_value(32)
    at.number_input(key="sharp_large_batch").set_value(256)
    at.number_input(key="sharp_seeds").set_value(seeds)
    at.number_input(key="sharp_seed").set_value(601).run()
    at.button(key="sharp_run").click().run()
    runs = 2 * seeds
    wait_for(at, lambda a: progress_texts(a)[:1] != [] and progress_texts(a)[0].startswith(f"{runs} of {runs}")
             and bool(a.dataframe), timeout=180)
    assert not at.exception
    return at.dataframe[0].value


def test_the_preset_trains_both_batch_sizes_over_seeds_and_decides_the_claim_on_them(
        open_page, wait_for, progress_texts):
    at = open_page(PAGE)
    table = train_tiny(at, "sgd", 2, wait_for, progress_texts)
    assert table["batch size"].tolist() == [32, 32, 256, 256]
    assert table["seed"].tolist() == [601, 602, 601, 602]
    assert table["status"].tolist() == ["Completed"] * 4
    assert table["at epoch"].tolist() == [2, 2, 2, 2]  # the weights each run ended with
    assert set(table["converged"]) <= {"yes", "no"}
    assert all(math.isfinite(v) and v > 0 for v in table["sharpness"])
    assert (table["val loss"] - table["train loss"]).tolist() == pytest.approx(table["generalization gap"].tolist())
    lines = [m.value for m in at.markdown]
    assert any(str(LARGE_SHARPER) in line and "*Measured:* batch 32: " in line and "over 2 seeds" in line
               for line in lines)
    assert any(str(SHARPER_WORSE) in line for line in lines)
    assert any(c.value.startswith("Decided because ") for c in at.caption)
    assert any(c.value.startswith("Stability edge 20: gradient descent at this learning rate diverges") for c in
               at.caption)  # SGD at LR 0.1: 2/η
    verdicts = [e.value for e in (*at.success, *at.warning, *at.info)]
    assert any(v.startswith(("The seeds' claim showed up", "The seeds' claim did not show up",
                             "These runs do not decide")) for v in verdicts)

    compare = open_page("pages/3_Compare.py")  # the runs are stored with their sharpness
    runs = compare.dataframe[0].value
    digits = runs["dataset"] == "Digits (8×8)"  # the table shows display names
    stored = runs[digits & runs["seed"].isin([601, 602]) & (runs["optimizer"] == "SGD")]
    assert sorted(stored["sharpness"].tolist()) == sorted(table["sharpness"].tolist())


def test_with_adam_the_page_says_why_it_draws_no_stability_edge_and_one_seed_decides_nothing(
        open_page, wait_for, progress_texts):
    at = open_page(PAGE)
    train_tiny(at, "adam", 1, wait_for, progress_texts)
    assert any(c.value.startswith("No stability edge is drawn for Adam: the 2/η bound is about steps") for c in
               at.caption)
    assert any(c.value.startswith("Decided because fewer than 2 seeds of an arm have a number") for c in at.caption)
    assert at.info[-1].value.startswith("These runs do not decide the seeds' claim")


def test_a_batch_larger_than_the_data_shows_an_error_not_a_traceback(open_page):
    at = open_page(PAGE)
    at.selectbox(key="sharp_dataset").select("linear").run()
    at.number_input(key="sharp_large_batch").set_value(5000).run()
    assert not at.exception
    assert "must be at most the 800 training samples of 'linear'" in at.error[0].value
    assert not [b for b in at.button if b.key == "sharp_run"]


def test_a_small_batch_not_below_the_large_one_shows_an_error(open_page):
    at = open_page(PAGE)
    at.number_input(key="sharp_small_batch").set_value(512).run()
    assert not at.exception
    assert at.error[0].value == "The small batch (512) must be smaller than the large batch (512)."


def test_the_sharpness_page_reads_in_korean(open_page):
    at = open_page(PAGE, "한국어")
    assert not at.exception
    assert at.title[0].value == "날카로운 최소점"
    assert at.header[0].value == "프리셋: 작은 배치와 큰 배치"
    assert at.number_input(key="sharp_small_batch").label == "작은 배치"
    assert at.selectbox(key="sharp_optimizer").label == "옵티마이저"
    assert at.button(key="sharp_run").label == "모두 학습하고 측정"
    assert any("배치 16: 에폭당 200스텝" in c.value for c in at.caption)


def test_a_swapped_pair_is_refused_with_cores_message_in_korean(open_page):
    at = open_page(PAGE, "한국어", sharp_small_batch=512)
    assert not at.exception
    assert at.error[0].value == "작은 배치(512)는 큰 배치(512)보다 작아야 합니다."


def test_a_batch_larger_than_the_data_is_refused_in_korean(open_page):
    at = open_page(PAGE, "한국어", sharp_dataset="linear", sharp_large_batch=5000)
    assert not at.exception
    assert "'linear'의 학습 샘플 800개" in at.error[0].value
    assert not [b for b in at.button if b.key == "sharp_run"]
