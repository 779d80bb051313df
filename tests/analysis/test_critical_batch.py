import dataclasses
import math

import pytest

from core.analysis.critical_batch import (
    BatchPoint,
    ScalingFit,
    best_per_batch,
    fit_critical_batch,
    leave_one_out,
    perfect_scaling,
    regime,
    steps_to_target,
)
from core.training.config import TrainConfig
from core.training.engine import train
from pages.ui.texts import CORE

BATCH_SIZES = [16, 32, 64, 128, 256, 512, 1024, 2048]


def history(val_losses: list[float], val_accs: list[float] | None = None, steps_per_epoch: int = 10) -> list[dict]:
    """Per-epoch rows as core.engine writes them; only step and the validation metrics matter here."""
    val_accs = val_accs or [math.nan] * len(val_losses)
    return [{"epoch": e, "step": e * steps_per_epoch, "samples": e * steps_per_epoch * 8, "time_s": 0.1 * e,
             "lr": 0.1, "train_loss": loss, "val_loss": loss, "train_acc": acc, "val_acc": acc,
             "train_loss_running": loss, "train_acc_running": acc}
            for e, (loss, acc) in enumerate(zip(val_losses, val_accs, strict=True), start=1)]


def model_points(noise: tuple[float, ...] | None = None) -> list[BatchPoint]:
    """S = 1000·(1 + 256/B) at B = 16 … 2048, each optionally multiplied by a noise factor."""
    noise = noise or (1.0,) * len(BATCH_SIZES)
    return [BatchPoint(b, round(1000 * (1 + 256 / b) * k), 0.1) for b, k in zip(BATCH_SIZES, noise, strict=True)]


# steps_to_target

def test_a_loss_target_is_met_at_the_first_epoch_at_or_below_it():
    assert steps_to_target(history([0.9, 0.5, 0.3, 0.2, 0.3]), target=0.3) == 30


def test_an_accuracy_target_is_met_at_the_first_epoch_at_or_above_it():
    rows = history([2.0, 1.0, 0.5, 0.4], val_accs=[0.3, 0.7, 0.9, 0.95])
    assert steps_to_target(rows, target=0.9, metric="val_acc") == 30


def test_a_target_never_reached_gives_none():
    assert steps_to_target(history([0.9, 0.5, 0.3]), target=0.1) is None
    assert steps_to_target([], target=0.1) is None


def test_a_nan_or_infinite_value_never_counts_as_reaching_the_target():
    rows = history([0.9, math.nan, -math.inf, 0.05], steps_per_epoch=7)
    assert steps_to_target(rows, target=0.1) == 28


def test_a_metric_that_is_neither_a_loss_nor_an_accuracy_is_refused():
    with pytest.raises(ValueError, match="_loss"):
        steps_to_target(history([0.5]), target=0.1, metric="lr")


# best_per_batch

def test_best_per_batch_picks_the_learning_rate_with_the_fewest_steps():
    runs = [(32, 0.1, history([0.9, 0.5, 0.05])),  # 30 steps
            (32, 0.4, history([0.5, 0.05])),  # 20 steps
            (32, 1.0, history([math.nan]))]  # diverged
    assert best_per_batch(runs, target=0.1) == [BatchPoint(32, 20, 0.4)]


def test_best_per_batch_breaks_ties_by_the_smaller_learning_rate():
    runs = [(64, 0.8, history([0.5, 0.05])), (64, 0.2, history([0.5, 0.05])), (64, 0.4, history([0.5, 0.05]))]
    assert best_per_batch(runs, target=0.1) == [BatchPoint(64, 20, 0.2)]


def test_best_per_batch_reports_none_for_a_batch_size_that_never_reaches_the_target_and_sorts_by_batch_size():
    runs = [(128, 0.1, history([0.9, 0.5])), (16, 0.1, history([0.05])), (128, 0.4, history([0.4, 0.3]))]
    assert best_per_batch(runs, target=0.1) == [BatchPoint(16, 10, 0.1), BatchPoint(128, None, None)]


# fit_critical_batch

def test_the_fit_recovers_s_min_and_b_crit_exactly_from_points_on_the_model():
    fit = fit_critical_batch(model_points())
    assert fit.s_min == pytest.approx(1000, rel=1e-6)
    assert fit.b_crit == pytest.approx(256, rel=1e-6)
    assert fit.points == 8


def test_the_fit_stays_within_five_percent_when_the_steps_are_noisy():
    fit = fit_critical_batch(model_points(noise=(1.03, 0.97, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97)))
    assert fit.s_min == pytest.approx(1000, rel=0.05)
    assert fit.b_crit == pytest.approx(256, rel=0.05)


def test_the_fit_ignores_batch_sizes_that_never_reached_the_target():
    fit = fit_critical_batch([BatchPoint(8, None, None), *model_points()])
    assert fit.points == 8
    assert fit.b_crit == pytest.approx(256, rel=1e-6)


def test_the_fit_needs_at_least_two_batch_sizes():
    assert fit_critical_batch([BatchPoint(64, 5000, 0.1)]) is None
    assert fit_critical_batch([BatchPoint(64, 5000, 0.1), BatchPoint(128, None, None)]) is None


def test_the_fit_gives_none_when_the_steps_grow_with_the_batch_size():
    points = [BatchPoint(16, 100, 0.1), BatchPoint(32, 200, 0.1), BatchPoint(64, 400, 0.1)]
    assert fit_critical_batch(points) is None


def test_the_fit_gives_none_when_the_steps_fall_faster_than_one_over_b():
    points = [BatchPoint(16, 1600, 0.1), BatchPoint(32, 400, 0.1), BatchPoint(64, 100, 0.1)]
    assert fit_critical_batch(points) is None


def test_the_fitted_curve_needs_twice_s_min_at_the_critical_batch_size():
    fit = ScalingFit(s_min=1000, b_crit=256, points=8)
    assert fit.steps(256) == 2000
    assert fit.steps(16) == 17000
    assert fit.steps(2048) == 1125


# perfect_scaling

def test_perfect_scaling_halves_the_steps_per_doubling_from_the_smallest_batch_that_reached_the_target():
    points = [BatchPoint(8, None, None), BatchPoint(16, 17000, 0.1), BatchPoint(32, 9000, 0.1),
              BatchPoint(64, 5000, 0.1)]
    assert perfect_scaling(points) == [(8, 34000), (16, 17000), (32, 8500), (64, 4250)]


def test_perfect_scaling_is_empty_when_nothing_reached_the_target():
    assert perfect_scaling([BatchPoint(16, None, None)]) == []


# regime

def test_regime_boundaries_are_a_third_of_and_three_times_the_critical_batch_size():
    fit = ScalingFit(s_min=1000, b_crit=300, points=8)
    assert str(regime(fit, 99)) == "perfect scaling"
    assert str(regime(fit, 100)) == "diminishing returns"
    assert str(regime(fit, 300)) == "diminishing returns"
    assert str(regime(fit, 900)) == "diminishing returns"
    assert str(regime(fit, 901)) == "maximal data parallelism"


def test_a_regime_reads_in_korean_too():
    fit = ScalingFit(s_min=1000, b_crit=300, points=8)
    korean = [regime(fit, b).render(lambda message: CORE.get(message.key)) for b in (99, 300, 901)]
    assert korean == ["완벽한 스케일링", "수확 체감", "최대 데이터 병렬성"]


# end to end

def test_on_real_linear_regression_a_bigger_batch_needs_no_more_steps_to_reach_the_target():
    base = TrainConfig(dataset="linear", model="linear", optimizer="sgd", epochs=30, val_fraction=0.2, device="cpu")
    runs = []
    for batch_size in (8, 32, 128):
        for learning_rate in (0.05, 0.2):
            result = train(dataclasses.replace(base, batch_size=batch_size, learning_rate=learning_rate))
            runs.append((batch_size, learning_rate, result.rows))
    points = best_per_batch(runs, target=0.1)  # the noise variance is 0.09
    steps = {p.batch_size: p.steps for p in points}
    assert None not in steps.values()
    assert steps[8] >= steps[32] >= steps[128]


def test_points_on_the_model_give_the_same_critical_batch_whichever_one_is_left_out():
    exact = ScalingFit(s_min=100.0, b_crit=64.0, points=5)
    points = [BatchPoint(b, round(exact.steps(b)), 0.1) for b in (8, 16, 64, 256, 1024)]
    low, high = leave_one_out(points)
    assert low == pytest.approx(64, rel=0.02) and high == pytest.approx(64, rel=0.02)


def test_the_leave_one_out_spread_shows_how_much_one_point_moves_the_fit():
    points = [BatchPoint(8, 1000, 0.1), BatchPoint(32, 300, 0.1), BatchPoint(128, 150, 0.1), BatchPoint(512, 60, 0.1)]
    low, high = leave_one_out(points)
    assert low < fit_critical_batch(points).b_crit < high
    assert leave_one_out(points[:2]) is None  # two points: no spread to speak of
