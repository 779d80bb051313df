"""The Sharpness page (AppTest) and the verdict it draws from its two runs (known answers)."""

import math

import pytest
from streamlit.testing.v1 import AppTest

from core.config import ConfigError, TrainConfig
from core.messages import Message
from core.sharpness_preset import LARGE_SHARPER, SHARPER_WORSE, RunSummary, preset_configs, verdict
from pages.ui.texts import CORE
from tests.test_pages import open_page, progress_texts, wait_for

PAGE = "pages/6_Sharpness.py"


def open_sharpness_page(language: str = "English", **widgets) -> AppTest:
    return open_page(PAGE, language, **widgets)


def korean(message: Message) -> str:
    return message.render(lambda m: CORE.get(m.key))



def summary(batch: int, sharpness: float | None, gap: float | None, best_val: float | None) -> RunSummary:
    return RunSummary(batch_size=batch, learning_rate=0.01, status="completed", sharpness=sharpness,
                      final_train_loss=0.1, best_val_loss=best_val, gap=gap, test_acc=0.9)


# ---------------------------------------------------------------------- the verdict

def test_a_sharper_large_batch_with_the_larger_gap_confirms_both_links():
    result = verdict(summary(16, 7.9, 0.14, 0.35), summary(512, 27.6, 0.27, 0.44))
    assert (result.sharper.claim, result.sharper.held) == (LARGE_SHARPER, True)
    assert str(result.sharper.evidence) == "sharpness 27.6 at batch 512 vs 7.9 at batch 16 (3.5×)"
    assert (result.worse.claim, result.worse.held) == (SHARPER_WORSE, True)
    assert str(result.worse.evidence) == ("the sharper run (batch 512) has gap 0.2700 vs 0.1400 and best validation "
                                          "loss 0.4400 vs 0.3500 (batch 16)")
    assert result.held is True
    assert str(result.summary).startswith("The seeds' claim showed up on this data")


def test_a_flatter_large_batch_says_plainly_that_the_claim_did_not_show_up():
    result = verdict(summary(16, 30.0, 0.2, 0.5), summary(512, 10.0, 0.1, 0.6))
    assert result.sharper.held is False
    assert result.worse.held is True  # the sharper run is batch 16, and its gap is the larger
    assert result.held is False
    assert str(result.summary).startswith("The seeds' claim did not show up on this data: "
                                     "“Large batch → sharper minimum” did not hold here.")


def test_a_sharper_run_that_generalizes_as_well_or_better_breaks_the_second_link():
    result = verdict(summary(16, 5.0, 0.2, 0.5), summary(512, 20.0, 0.1, 0.4))
    assert (result.sharper.held, result.worse.held, result.held) == (True, False, False)
    assert "“Sharper → worse generalization” did not hold here" in str(result.summary)


def test_when_both_links_break_the_summary_names_both_claims():
    result = verdict(summary(16, 30.0, 0.1, 0.4), summary(512, 10.0, 0.2, 0.5))
    assert (result.sharper.held, result.worse.held, result.held) == (False, False, False)
    assert str(result.summary).startswith("The seeds' claim did not show up on this data: “Large batch → sharper "
                                          "minimum” and “Sharper → worse generalization” did not hold here. ")


def test_the_verdict_reads_in_korean_with_the_same_numbers():
    result = verdict(summary(16, 30.0, 0.2, 0.5), summary(512, 10.0, 0.1, 0.6))
    assert korean(result.sharper.claim) == "큰 배치 → 더 날카로운 최소점"
    assert korean(result.sharper.evidence) == "배치 512의 날카로움 10 대 배치 16의 30 (0.33배)"
    assert korean(result.summary).startswith(
        "이 데이터에서는 블로그 글의 주장이 나타나지 않았습니다: “큰 배치 → 더 날카로운 최소점”이(가) 여기서는 "
        "성립하지 않았습니다.")
    assert korean(verdict(summary(16, 5.0, 0.2, 0.5), summary(512, 20.0, 0.1, 0.7)).worse.evidence) == (
        "더 날카로운 실행(배치 512)과 배치 16: 일반화 격차 0.1000 대 0.2000, 최저 검증 손실 0.7000 대 0.5000")
    undecided = verdict(summary(16, 5.0, 0.2, 0.5), summary(512, None, None, None))
    assert korean(undecided.sharper.evidence) == "배치 512의 날카로움이 없습니다(발산했거나 중지된 실행에는 없습니다)."


def test_a_larger_best_validation_loss_alone_counts_as_worse_generalization():
    assert verdict(summary(16, 5.0, 0.2, 0.5), summary(512, 20.0, 0.1, 0.7)).worse.held is True


def test_a_run_without_a_sharpness_leaves_the_claim_undecided():
    result = verdict(summary(16, 5.0, 0.2, 0.5), summary(512, None, None, None))
    assert (result.sharper.held, result.worse.held, result.held) == (None, None, None)
    assert str(result.sharper.evidence).startswith("No sharpness for batch 512")
    assert "cannot decide" in str(result.summary)


def test_runs_without_a_validation_split_cannot_judge_generalization():
    result = verdict(summary(16, 5.0, None, None), summary(512, 20.0, None, None))
    assert (result.sharper.held, result.worse.held, result.held) == (True, None, None)


def test_the_preset_trains_one_config_at_both_batch_sizes_and_rejects_a_swapped_pair():
    base = TrainConfig(dataset="digits", model="linear", epochs=2)
    small, large = preset_configs(base, 32, 256)
    assert (small.batch_size, large.batch_size) == (32, 256)
    assert small.epochs == large.epochs == 2 and small.learning_rate == large.learning_rate
    with pytest.raises(ConfigError, match=r"^The small batch \(256\) must be smaller than the large batch \(32\)\.$"):
        preset_configs(base, 256, 32)


# ---------------------------------------------------------------------- the page

def test_the_sharpness_page_runs_without_exception_with_its_defaults():
    at = open_sharpness_page()
    assert not at.exception
    assert at.title[0].value == "Sharpness"
    assert at.number_input(key="sharp_small_batch").value == 16
    assert at.number_input(key="sharp_large_batch").value == 512
    assert "batch 16: 200 updates per epoch" in at.caption[1].value  # MNIST-1D: 3,200 training samples


def test_the_preset_trains_both_batch_sizes_and_shows_their_sharpness_and_the_verdict():
    at = open_sharpness_page()
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
    stored = runs[(runs["dataset"] == "digits") & (runs["seed"] == 601)].sort_values("batch_size")
    assert stored["sharpness"].tolist() == table["sharpness"].tolist()


def test_a_batch_larger_than_the_data_shows_an_error_not_a_traceback():
    at = open_sharpness_page()
    at.selectbox(key="sharp_dataset").select("linear").run()
    at.number_input(key="sharp_large_batch").set_value(5000).run()
    assert not at.exception
    assert "must be at most the 800 training samples of 'linear'" in at.error[0].value
    assert not [b for b in at.button if b.key == "sharp_run"]


def test_a_small_batch_not_below_the_large_one_shows_an_error():
    at = open_sharpness_page()
    at.number_input(key="sharp_small_batch").set_value(512).run()
    assert not at.exception
    assert at.error[0].value == "The small batch (512) must be smaller than the large batch (512)."


def test_the_sharpness_page_reads_in_korean():
    at = open_sharpness_page("한국어")
    assert not at.exception
    assert at.title[0].value == "날카로운 최소점"
    assert at.header[0].value == "프리셋: 작은 배치와 큰 배치"
    assert at.number_input(key="sharp_small_batch").label == "작은 배치"
    assert at.selectbox(key="sharp_optimizer").label == "옵티마이저"
    assert at.button(key="sharp_run").label == "둘 다 학습하고 측정"
    assert "배치 16: 에폭당 200스텝" in at.caption[1].value


def test_a_swapped_pair_is_refused_with_cores_message_in_korean():
    at = open_sharpness_page("한국어", sharp_small_batch=512)
    assert not at.exception
    assert at.error[0].value == "작은 배치(512)는 큰 배치(512)보다 작아야 합니다."


def test_a_batch_larger_than_the_data_is_refused_in_korean():
    at = open_sharpness_page("한국어", sharp_dataset="linear", sharp_large_batch=5000)
    assert not at.exception
    assert "'linear'의 학습 샘플 800개" in at.error[0].value
    assert not [b for b in at.button if b.key == "sharp_run"]
