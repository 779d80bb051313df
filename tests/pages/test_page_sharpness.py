"""The Sharpness page (AppTest): its preset trains both batch sizes and shows their sharpness and the verdict."""

import math

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
    assert any("batch 16: 200 updates per epoch" in c.value for c in at.caption)  # MNIST-1D: 3,200 training samples


def test_the_preset_trains_both_batch_sizes_and_shows_their_sharpness_and_the_verdict(
        open_page, wait_for, progress_texts):
    at = open_page(PAGE)
    at.selectbox(key="sharp_dataset").select("digits").run()
    at.selectbox(key="sharp_model_digits").select("linear")
    at.number_input(key="sharp_epochs").set_value(2)
    at.number_input(key="sharp_small_batch").set_value(32)
    at.number_input(key="sharp_large_batch").set_value(256)
    at.number_input(key="sharp_seed").set_value(601).run()
    at.button(key="sharp_run").click().run()
    wait_for(at, lambda a: progress_texts(a)[:1] != [] and progress_texts(a)[0].startswith("2 of 2")
             and bool(a.dataframe), timeout=180)
    assert not at.exception
    table = at.dataframe[0].value
    assert table["batch size"].tolist() == [32, 256]
    assert table["status"].tolist() == ["Completed", "Completed"]
    assert all(math.isfinite(v) and v > 0 for v in table["sharpness"])
    gaps = table["best val loss"] - table["generalization gap"]  # = the training loss at the best epoch
    assert all(math.isfinite(v) and v > 0 for v in gaps)
    lines = [m.value for m in at.markdown]
    assert any(str(LARGE_SHARPER) in line and "*Measured:* sharpness" in line for line in lines)
    assert any(str(SHARPER_WORSE) in line for line in lines)
    verdicts = [e.value for e in (*at.success, *at.warning, *at.info)]
    assert any(v.startswith(("The seeds' claim showed up", "The seeds' claim did not show up")) for v in verdicts)

    compare = open_page("pages/3_Compare.py")  # the runs are stored with their sharpness
    runs = compare.dataframe[0].value
    digits = runs["dataset"] == "Digits (8×8)"  # the table shows display names
    stored = runs[digits & (runs["seed"] == 601)].sort_values("batch_size")
    assert stored["sharpness"].tolist() == table["sharpness"].tolist()


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
    assert at.button(key="sharp_run").label == "둘 다 학습하고 측정"
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
