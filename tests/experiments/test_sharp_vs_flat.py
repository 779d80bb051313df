"""The small-vs-large-batch verdict of the Sharpness page, decided over seeds (known answers)."""

import math

import pytest

from core.analysis.sharpness import final_sharpness
from core.experiments.findings import Outcome
from core.experiments.sharp_vs_flat import (
    LARGE_SHARPER,
    SHARPER_WORSE,
    RunSummary,
    preset_configs,
    verdict,
)
from core.messages import Message
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.engine import evaluate, train
from core.training.record import RunResult, Status
from pages.ui.texts import CORE


def korean(message: Message) -> str:
    return message.render(lambda m: CORE.get(m.key))


def run(batch: int, seed: int, sharpness: float | None, gap: float | None, status: Status = Status.COMPLETED,
        converged: bool | None = True, train_loss: float = 0.1) -> RunSummary:
    return RunSummary(batch_size=batch, learning_rate=0.01, seed=seed, status=status, sharpness=sharpness,
                      converged=converged, stability_edge=None, epoch=30, train_loss=train_loss,
                      val_loss=None if gap is None else train_loss + gap, gap=gap, test_acc=0.9)


def seeds(batch: int, sharpness: list[float], gaps: list[float], **kwargs) -> list[RunSummary]:
    return [run(batch, seed, s, g, **kwargs) for seed, (s, g) in enumerate(zip(sharpness, gaps, strict=True))]


SMALL = seeds(16, [5.0, 6.0, 7.0], [0.10, 0.12, 0.14])


def test_a_large_batch_sharper_and_with_a_larger_gap_on_every_seed_holds_both_links():
    result = verdict(SMALL + seeds(512, [25.0, 30.0, 35.0], [0.25, 0.27, 0.30]))
    assert (result.sharper.claim, result.sharper.outcome) == (LARGE_SHARPER, Outcome.HELD)
    assert str(result.sharper.evidence) == ("batch 16: 6 (5–7 over 3 seeds); batch 512: 30 (25–35 over 3 seeds); "
                                            "the large batch's mean is 5× the small batch's; training loss at batch "
                                            "16: 0.1 (0.1–0.1 over 3 seeds); training loss at batch 512: 0.1 "
                                            "(0.1–0.1 over 3 seeds)")
    assert (result.worse.claim, result.worse.outcome) == (SHARPER_WORSE, Outcome.HELD)
    assert str(result.worse.evidence) == ("gap at batch 16: 0.12 (0.1–0.14 over 3 seeds); gap at batch 512: 0.2733 "
                                          "(0.25–0.3 over 3 seeds)")
    assert result.held is True
    assert str(result.summary).startswith("The seeds' claim showed up on this data: over 3 seeds the large batch")


def test_overlapping_sharpness_leaves_both_links_undecided():
    result = verdict(SMALL + seeds(512, [6.5, 9.0, 12.0], [0.25, 0.27, 0.30]))
    assert (result.sharper.outcome, result.worse.outcome, result.held) == (Outcome.UNDECIDED, Outcome.UNDECIDED, None)
    assert str(result.sharper.why) == "the ranges overlap: the difference is inside the seed-to-seed spread"
    assert str(result.worse.why) == ("which batch size ends sharper is undecided, so there is no sharper one to "
                                     "judge")
    assert str(result.summary) == ("These runs do not decide the seeds' claim: “Large batch → sharper minimum” is "
                                   "undecided (the ranges overlap: the difference is inside the seed-to-seed "
                                   "spread).")


def test_separated_seeds_closer_than_the_tolerance_are_undecided():
    small = seeds(16, [10.0, 10.2, 10.4], [0.1, 0.1, 0.1])
    result = verdict(small + seeds(512, [10.8, 11.0, 11.2], [0.3, 0.3, 0.3]))
    assert result.sharper.outcome == Outcome.UNDECIDED  # 0.4 apart; the tolerance is 10% of 10.2
    assert str(result.sharper.why) == "the ranges are apart by 0.4, less than the tolerance 1.02"


def test_a_flatter_large_batch_says_plainly_that_the_claim_did_not_show_up():
    result = verdict(seeds(16, [25.0, 30.0, 35.0], [0.25, 0.27, 0.30]) + seeds(512, [5.0, 6.0, 7.0],
                                                                               [0.10, 0.12, 0.14]))
    assert result.sharper.outcome == Outcome.NOT_HELD
    assert result.worse.outcome == Outcome.HELD  # the sharper batch size is 16, and its gap is the larger
    assert result.held is False
    assert str(result.summary).startswith("The seeds' claim did not show up on this data: over 3 seeds, “Large "
                                          "batch → sharper minimum” did not hold here.")


def test_a_sharper_large_batch_with_the_smaller_gap_breaks_the_second_link():
    result = verdict(seeds(16, [5.0, 6.0, 7.0], [0.31, 0.37, 0.41]) + seeds(512, [25.0, 30.0, 35.0],
                                                                            [0.22, 0.25, 0.27]))
    assert (result.sharper.outcome, result.worse.outcome, result.held) == (Outcome.HELD, Outcome.NOT_HELD, False)
    assert "“Sharper → worse generalization” did not hold here" in str(result.summary)


def test_batch_sizes_that_ended_at_training_losses_more_than_twice_apart_are_not_compared():
    # seed 003's preset at 30 epochs: batch 512 made 210 updates to batch 16's 6,000
    small = [run(16, seed, s, g, train_loss=loss) for seed, (s, g, loss) in
             enumerate([(6.9, 0.41, 0.085), (5.3, 0.31, 0.061), (7.5, 0.37, 0.096)])]
    large = [run(512, seed, s, g, train_loss=loss) for seed, (s, g, loss) in
             enumerate([(26.4, 0.25, 0.263), (35.8, 0.27, 0.432), (33.7, 0.19, 0.328)])]
    result = verdict(small + large)
    assert (result.sharper.outcome, result.worse.outcome) == (Outcome.UNDECIDED, Outcome.UNDECIDED)
    assert str(result.sharper.why) == ("the batch sizes ended at different stages of training, at mean training "
                                       "losses 0.0807 and 0.341 (more than 2× apart), and sharpness and gap both "
                                       "change as the fit goes on: train until both reach a similar training loss")
    assert str(result.sharper.evidence).endswith("training loss at batch 16: 0.08067 (0.061–0.096 over 3 seeds); "
                                                 "training loss at batch 512: 0.341 (0.263–0.432 over 3 seeds)")


def test_batch_sizes_within_twice_each_others_training_loss_are_compared():
    large = [run(512, seed, s, 0.3, train_loss=0.19) for seed, s in enumerate([25.0, 30.0, 35.0])]
    assert verdict(SMALL + large).sharper.outcome == Outcome.HELD  # 0.19 is 1.9× the small batch's 0.1


def test_one_seed_per_batch_size_is_never_enough_to_decide():
    result = verdict([run(16, 0, 5.0, 0.1), run(512, 0, 30.0, 0.3)])
    assert result.sharper.outcome == Outcome.UNDECIDED
    assert str(result.sharper.why).startswith("fewer than 2 seeds of an arm have a number")


def test_a_diverged_seed_is_counted_and_the_others_still_decide():
    large = [*seeds(512, [25.0, 30.0], [0.25, 0.27]), run(512, 2, None, None, status=Status.DIVERGED)]
    result = verdict(SMALL + large)
    assert result.sharper.outcome == Outcome.HELD
    assert "batch 512: 27.5 (25–30 over 2 seeds), 1 of 3 seeds diverged" in str(result.sharper.evidence)


def test_an_unconverged_power_iteration_is_named_in_the_evidence():
    large = seeds(512, [25.0, 30.0, 35.0], [0.25, 0.27, 0.30])
    large[1] = run(512, 1, 30.0, 0.27, converged=False)
    result = verdict(SMALL + large)
    assert ("; the power iteration did not converge for B 512 seed 1 (its value is a lower estimate); "
            in str(result.sharper.evidence))


def test_runs_without_a_validation_split_cannot_judge_generalization():
    result = verdict(seeds(16, [5.0, 6.0], [None, None]) + seeds(512, [25.0, 30.0], [None, None]))
    assert (result.sharper.outcome, result.worse.outcome, result.held) == (Outcome.HELD, Outcome.MISSING, None)


def test_the_verdict_reads_in_korean_with_the_same_numbers():
    result = verdict(seeds(16, [25.0, 30.0, 35.0], [0.25, 0.27, 0.30]) + seeds(512, [5.0, 6.0, 7.0],
                                                                               [0.10, 0.12, 0.14]))
    assert korean(result.sharper.claim) == "큰 배치 → 더 날카로운 최소점"
    assert korean(result.sharper.evidence) == ("배치 16: 30 (시드 3개에서 25–35); 배치 512: 6 (시드 3개에서 5–7); "
                                               "큰 배치의 평균은 작은 배치의 0.2배; 배치 16의 학습 손실: 0.1 (시드 "
                                               "3개에서 0.1–0.1); 배치 512의 학습 손실: 0.1 (시드 3개에서 0.1–0.1)")
    assert korean(result.summary).startswith("이 데이터에서는 블로그 글의 주장이 나타나지 않았습니다: 시드 3개에서 “큰 "
                                             "배치 → 더 날카로운 최소점”이(가) 여기서는 성립하지 않았습니다.")


def test_the_preset_trains_one_config_at_both_batch_sizes_for_every_seed_and_rejects_a_swapped_pair():
    base = TrainConfig(dataset="digits", model="linear", epochs=2, seed=5)
    configs = preset_configs(base, 32, 256, seeds=3)
    assert [(c.batch_size, c.seed) for c in configs] == [(32, 5), (32, 6), (32, 7), (256, 5), (256, 6), (256, 7)]
    assert {(c.epochs, c.learning_rate) for c in configs} == {(2, base.learning_rate)}
    with pytest.raises(ConfigError, match=r"^The small batch \(256\) must be smaller than the large batch \(32\)\.$"):
        preset_configs(base, 256, 32)
    with pytest.raises(ConfigError, match=r"^The number of seeds must be between 1 and 5, got 6\.$"):
        preset_configs(base, 32, 256, seeds=6)


# ---------------------------------------------------------------------- one run's summary


def test_sharpness_and_gap_come_from_the_weights_the_run_ended_with():
    config = TrainConfig(dataset="digits", model="linear", optimizer="adam", learning_rate=0.3, batch_size=64,
                         epochs=6, seed=3)  # its best epoch is 4 of 6
    final = []

    def measure(model, data):
        train_loss = float(evaluate(model, data.x_train, data.y_train, "classification")[0])
        val_loss = float(evaluate(model, data.x_val, data.y_val, "classification")[0])
        final.append((final_sharpness(model, data).eigenvalue, train_loss, val_loss))

    result = train(config, on_end=measure)
    sharpness, train_loss, val_loss = final[0]
    result.sharpness, result.sharpness_converged = sharpness, True
    summary = RunSummary.of(result)
    assert (summary.epoch, result.best_epoch) == (6, 4)  # the last epoch, not the best one
    assert (summary.train_loss, summary.val_loss) == (pytest.approx(train_loss, rel=1e-6),
                                                      pytest.approx(val_loss, rel=1e-6))
    assert summary.gap == pytest.approx(val_loss - train_loss, rel=1e-5)
    assert summary.sharpness == sharpness


def test_a_run_whose_early_stopping_restored_the_best_weights_is_measured_at_the_best_epoch():
    config = TrainConfig(dataset="digits", model="linear", optimizer="adam", learning_rate=0.05, batch_size=64,
                         epochs=30, seed=3, early_stopping=True, patience=1)
    final = []
    result = train(config, on_end=lambda model, data: final.append(
        float(evaluate(model, data.x_val, data.y_val, "classification")[0])))
    assert result.status == Status.EARLY_STOPPED and result.best_epoch < result.epochs_run
    summary = RunSummary.of(result)
    assert summary.epoch == result.best_epoch
    assert summary.val_loss == pytest.approx(final[0], rel=1e-6)


@pytest.mark.parametrize("optimizer, momentum, edge", [("sgd", 0.9, 20.0), ("momentum", 0.9, 38.0),
                                                       ("adam", 0.9, None)])
def test_the_stability_edge_is_2_over_the_lr_for_gradient_steps_and_none_for_adam(optimizer, momentum, edge):
    config = TrainConfig(dataset="linear", model="linear", optimizer=optimizer, learning_rate=0.1, momentum=momentum)
    row = {"epoch": 1, "step": 1, "samples": 1, "time_s": 0.1, "lr": 0.1, "train_loss": 0.1, "val_loss": 0.2,
           "train_acc": math.nan, "val_acc": math.nan, "train_loss_running": 0.1, "train_acc_running": math.nan}
    found = RunSummary.of(RunResult(config, Status.COMPLETED, rows=[row], best_epoch=1)).stability_edge
    assert found == (None if edge is None else pytest.approx(edge))
