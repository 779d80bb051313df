"""The small-vs-large-batch verdict of the Sharpness page, from two runs' numbers (known answers)."""

import math

import pytest

from core.experiments.findings import Finding, Outcome
from core.experiments.sharp_vs_flat import LARGE_SHARPER, SHARPER_WORSE, RunSummary, preset_configs, verdict
from core.messages import Message
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.record import RunResult, Status
from pages.ui.texts import CORE


def korean(message: Message) -> str:
    return message.render(lambda m: CORE.get(m.key))


def summary(batch: int, sharpness: float | None, gap: float | None, best_val: float | None) -> RunSummary:
    return RunSummary(batch_size=batch, learning_rate=0.01, status=Status.COMPLETED, sharpness=sharpness,
                      stability_edge=None, final_train_loss=0.1, best_val_loss=best_val, gap=gap, test_acc=0.9)


def test_a_sharper_large_batch_with_the_larger_gap_confirms_both_links():
    result = verdict(summary(16, 7.9, 0.14, 0.35), summary(512, 27.6, 0.27, 0.44))
    assert (result.sharper.claim, held(result.sharper)) == (LARGE_SHARPER, True)
    assert str(result.sharper.evidence) == "sharpness 27.6 at batch 512 vs 7.9 at batch 16 (3.5×)"
    assert (result.worse.claim, held(result.worse)) == (SHARPER_WORSE, True)
    assert str(result.worse.evidence) == ("the sharper run (batch 512) has gap 0.2700 vs 0.1400 and best validation "
                                          "loss 0.4400 vs 0.3500 (batch 16)")
    assert result.held is True
    assert str(result.summary).startswith("The seeds' claim showed up on this data")


def test_a_flatter_large_batch_says_plainly_that_the_claim_did_not_show_up():
    result = verdict(summary(16, 30.0, 0.2, 0.5), summary(512, 10.0, 0.1, 0.6))
    assert held(result.sharper) is False
    assert held(result.worse) is True  # the sharper run is batch 16, and its gap is the larger
    assert result.held is False
    assert str(result.summary).startswith("The seeds' claim did not show up on this data: "
                                     "“Large batch → sharper minimum” did not hold here.")


def test_a_sharper_run_that_generalizes_as_well_or_better_breaks_the_second_link():
    result = verdict(summary(16, 5.0, 0.2, 0.5), summary(512, 20.0, 0.1, 0.4))
    assert (held(result.sharper), held(result.worse), result.held) == (True, False, False)
    assert "“Sharper → worse generalization” did not hold here" in str(result.summary)


def test_when_both_links_break_the_summary_names_both_claims():
    result = verdict(summary(16, 30.0, 0.1, 0.4), summary(512, 10.0, 0.2, 0.5))
    assert (held(result.sharper), held(result.worse), result.held) == (False, False, False)
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
    assert verdict(summary(16, 5.0, 0.2, 0.5), summary(512, 20.0, 0.1, 0.7)).worse.outcome == Outcome.HELD


def test_a_run_without_a_sharpness_leaves_the_claim_undecided():
    result = verdict(summary(16, 5.0, 0.2, 0.5), summary(512, None, None, None))
    assert (held(result.sharper), held(result.worse), result.held) == (None, None, None)
    assert str(result.sharper.evidence).startswith("No sharpness for batch 512")
    assert "cannot decide" in str(result.summary)


def test_runs_without_a_validation_split_cannot_judge_generalization():
    result = verdict(summary(16, 5.0, None, None), summary(512, 20.0, None, None))
    assert (held(result.sharper), held(result.worse), result.held) == (True, None, None)


def test_the_preset_trains_one_config_at_both_batch_sizes_and_rejects_a_swapped_pair():
    base = TrainConfig(dataset="digits", model="linear", epochs=2)
    small, large = preset_configs(base, 32, 256)
    assert (small.batch_size, large.batch_size) == (32, 256)
    assert small.epochs == large.epochs == 2 and small.learning_rate == large.learning_rate
    with pytest.raises(ConfigError, match=r"^The small batch \(256\) must be smaller than the large batch \(32\)\.$"):
        preset_configs(base, 256, 32)


# ---------------------------------------------------------------------- the page


@pytest.mark.parametrize("optimizer, momentum, edge", [("sgd", 0.9, 20.0), ("momentum", 0.9, 38.0),
                                                       ("adam", 0.9, None)])
def test_the_stability_edge_is_2_over_the_lr_for_gradient_steps_and_none_for_adam(optimizer, momentum, edge):
    config = TrainConfig(dataset="linear", model="linear", optimizer=optimizer, learning_rate=0.1, momentum=momentum)
    result = RunResult(config, Status.COMPLETED, rows=[{"epoch": 1, "step": 1, "samples": 1, "time_s": 0.1, "lr": 0.1,
                                                        "train_loss": 0.1, "val_loss": 0.2, "train_acc": math.nan,
                                                        "val_acc": math.nan}], best_epoch=1)
    found = RunSummary.of(result).stability_edge
    assert found == (None if edge is None else pytest.approx(edge))


def held(finding: Finding) -> bool | None:
    """The finding as the page's three words: held, not held, or not decided."""
    return {Outcome.HELD: True, Outcome.NOT_HELD: False}.get(finding.outcome)
