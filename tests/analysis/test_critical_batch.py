"""Steps to a target, the LR search per batch size, and the critical-batch fit (known answers)."""

import dataclasses
import math
from typing import Any

import numpy as np
import pytest

from core.analysis.critical_batch import (
    BatchPoint,
    Experiment,
    ScalingFit,
    chart_data,
    critical_batch,
    effective_batch,
    fit_critical_batch,
    less_noisy,
    points,
    regime,
    target_curves,
    tunings,
    wanted,
)
from core.analysis.steps_to_target import Ending, TargetRun
from core.settings import ConfigError
from core.training.config import TrainConfig
from pages.ui.texts import CORE

BATCH_SIZES = [16, 32, 64, 128, 256, 512, 1024, 2048]
BASE = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="sgd", seed=0)


def model_steps(batch: int, s_min: float = 1000, b_crit: float = 256) -> float:
    return s_min * (1 + b_crit / batch)


def point(batch: int, *seed_steps: float | None, budget: int = 100_000) -> BatchPoint:
    return BatchPoint(batch, 0.1, tuple(seed_steps), budget)


# --------------------------------------------------------------------------- the fit

def test_the_fit_recovers_s_min_and_b_crit_exactly_from_points_on_the_model():
    fit = fit_critical_batch([(b, model_steps(b)) for b in BATCH_SIZES])
    assert (fit.s_min, fit.b_crit, fit.points) == (pytest.approx(1000, rel=1e-9), pytest.approx(256, rel=1e-9), 8)


def test_the_fit_gives_none_when_the_steps_grow_with_the_batch_size_or_fall_faster_than_one_over_b():
    assert fit_critical_batch([(16, 100), (32, 200), (64, 400)]) is None
    assert fit_critical_batch([(16, 1600), (32, 400), (64, 100)]) is None
    assert fit_critical_batch([(64, 5000)]) is None


def test_the_fitted_curve_needs_twice_s_min_at_the_critical_batch_size():
    fit = ScalingFit(s_min=1000, b_crit=256, points=8)
    assert (fit.steps(256), fit.steps(16), fit.steps(2048), fit.e_min) == (2000, 17000, 1125, 256_000)


def test_noise_free_points_give_the_model_and_an_interval_around_it():
    result = critical_batch([point(b, model_steps(b)) for b in BATCH_SIZES], n_train=50_000)
    assert result.determined and result.why_not is None
    assert (result.fit.s_min, result.fit.b_crit) == (pytest.approx(1000, rel=1e-6), pytest.approx(256, rel=1e-6))
    low, high = result.b_crit_interval
    assert low == pytest.approx(256, rel=1e-6) and high == pytest.approx(256, rel=1e-6)


def test_ten_percent_noise_over_three_seeds_recovers_the_model_and_its_interval_covers_it_most_of_the_time():
    covered = 0
    for trial in range(50):
        rng = np.random.default_rng(trial)
        found = [point(b, *(model_steps(b) * rng.lognormal(0, 0.1) for _ in range(3))) for b in BATCH_SIZES]
        result = critical_batch(found, n_train=50_000, seed=trial)
        assert result.determined and result.draws == 400
        assert result.fit.b_crit == pytest.approx(256, rel=0.3)
        assert result.fit.s_min == pytest.approx(1000, rel=0.15)
        low, high = result.b_crit_interval
        covered += low <= 256 <= high
    assert covered >= 40, covered  # a nominal 95% interval that delivers about 88% (see INTERVAL)


def test_one_seed_per_batch_size_bootstraps_the_residuals_instead():
    rng = np.random.default_rng(3)
    found = [point(b, model_steps(b) * rng.lognormal(0, 0.1)) for b in BATCH_SIZES]
    result = critical_batch(found, n_train=50_000)
    low, high = result.b_crit_interval
    assert low < result.fit.b_crit < high and low < 256 < high


def test_censored_batch_sizes_never_enter_the_fit():
    found = [point(b, model_steps(b)) for b in BATCH_SIZES]
    with_censored = [*found, BatchPoint(4096, None, (None, None), 3000), BatchPoint(8, 0.1, (None,), 3000)]
    assert critical_batch(with_censored, n_train=50_000).fit == critical_batch(found, n_train=50_000).fit


@pytest.mark.parametrize("found, why", [
    ([point(16, 17000), point(64, 5000), BatchPoint(256, None, (None,), 3000)],
     "Only 2 of the 3 batch sizes reached the target; a fit needs 3."),
    ([point(16, 100), point(32, 200), point(64, 400)],
     "The steps do not fall towards a floor as the batch grows, so S = S_min (1 + B_crit / B) does not describe "
     "them."),
    ([point(16, 1600), point(32, 810), point(64, 400), point(128, 205)],
     "The bend was not observed in this range: every batch size reached the target in about 1/B of the smallest "
     "one's steps (perfect scaling). Try larger batches or a harder target."),
    ([point(b, model_steps(b, s_min=0.5, b_crit=256)) for b in (16, 64, 256, 1024)],
     "The fitted S_min is 0.5 steps, below one update step."),
    ([point(b, model_steps(b, b_crit=3000)) for b in (16, 256, 1024, 2048)],
     "The fitted B_crit (3,000) is above the 2,500 training samples."),
    ([point(b, model_steps(b, b_crit=8)) for b in (64, 128, 256)],
     "The fitted B_crit (8) lies outside the batch sizes that reached the target (64–256), where nothing "
     "measured pins it down."),
])
def test_a_fit_that_cannot_be_trusted_is_not_determined_and_says_why(found, why):
    result = critical_batch(found, n_train=2500)
    assert not result.determined
    assert str(result.why_not) == why


# --------------------------------------------------------------------------- the experiment's runs

def experiment(**changes) -> Experiment:
    settings: dict[str, Any] = {"base": BASE, "batch_sizes": (16, 64, 256), "learning_rates": (0.01, 0.03, 0.1),
                                "seeds": 2, "metric": "val_acc", "target": 0.8, "budget": 2000} | changes
    return Experiment(**settings)


def simulate(exp: Experiment, best_lr_at_16: float, noise: float = 0.0, rule: str = "linear") -> list[TargetRun]:
    """Run the whole experiment on a synthetic problem: S(B) = 100 (1 + 256/B) at the best LR (which
    scales from `best_lr_at_16` by `rule`), more steps the further the LR is from it, censored at the budget."""
    rng = np.random.default_rng(0)
    runs: dict[str, TargetRun] = {}
    while True:
        new = [c for c in wanted(exp, list(runs.values())) if c.key not in runs]
        if not new:
            return list(runs.values())
        for config in new:
            k = config.batch_size / 16
            best = best_lr_at_16 * (k if rule == "linear" else math.sqrt(k))
            steps = model_steps(config.batch_size, s_min=100) * (1 + abs(math.log2(config.learning_rate / best)))
            steps *= rng.lognormal(0, noise) if noise else 1.0
            reached = steps <= exp.budget
            runs[config.key] = TargetRun(config, exp.metric, exp.target, exp.budget,
                                         Ending.REACHED if reached else Ending.CENSORED,
                                         round(steps) if reached else None)


def test_the_smallest_batch_runs_its_grid_first_and_every_seed_of_it():
    first = wanted(experiment(), [])
    assert sorted((c.batch_size, c.learning_rate, c.seed) for c in first) == [
        (16, 0.01, 0), (16, 0.01, 1), (16, 0.03, 0), (16, 0.03, 1), (16, 0.1, 0), (16, 0.1, 1)]
    assert {c.epochs for c in first} == {10}  # 2,000 steps at 200 per epoch on MNIST-1D's 3,200 samples


def test_larger_batches_search_three_lrs_centred_on_the_linear_rule_for_sgd():
    exp = experiment(batch_sizes=(16, 64, 256, 1024), budget=20_000)
    found = {t.batch_size: t for t in tunings(exp, simulate(exp, best_lr_at_16=0.03))}
    assert found[16].best == 0.03 and not found[16].widened
    assert found[64].grid == (0.06, 0.12, 0.24)  # 0.03 × 64/16 = 0.12, halved and doubled
    assert [found[b].best for b in (64, 256, 1024)] == [0.12, 0.48, 1.92]
    assert not any(t.at_edge for t in found.values())


def test_adam_centres_its_grids_on_the_square_root_rule():
    exp = experiment(base=dataclasses.replace(BASE, optimizer="adam"), budget=20_000)
    found = {t.batch_size: t for t in tunings(exp, simulate(exp, best_lr_at_16=0.01, rule="sqrt"))}
    assert found[64].grid == (0.01, 0.02, 0.04)  # 0.01 × √4 = 0.02
    assert found[256].best == 0.04


def test_a_best_lr_at_the_edge_of_its_grid_widens_it_once_and_is_flagged_if_it_stays_there():
    exp = experiment(budget=20_000)
    found = {t.batch_size: t for t in tunings(exp, simulate(exp, best_lr_at_16=1.0))}
    assert found[16].widened and found[16].grid == (0.01, 0.03, 0.1, 0.316228)  # one more step of the grid
    assert (found[16].best, found[16].at_edge) == (0.316228, True)  # the optimum 1.0 is further still


def test_a_best_lr_inside_the_widened_grid_is_not_flagged():
    exp = experiment(budget=20_000)
    found = {t.batch_size: t for t in tunings(exp, simulate(exp, best_lr_at_16=0.25))}
    assert (found[16].widened, found[16].best, found[16].at_edge) == (True, 0.316228, True)
    found = {t.batch_size: t for t in tunings(exp, simulate(exp, best_lr_at_16=0.12))}
    assert (found[16].widened, found[16].best, found[16].at_edge) == (True, 0.1, False)


def test_the_whole_experiment_recovers_the_critical_batch_of_a_synthetic_problem_with_noise():
    exp = experiment(batch_sizes=(16, 32, 64, 128, 256, 512, 1024, 2048), seeds=3, budget=20_000)
    found = points(exp, simulate(exp, best_lr_at_16=0.03, noise=0.1))
    assert [p.batch_size for p in found] == [16, 32, 64, 128, 256, 512, 1024, 2048]
    result = critical_batch(found, n_train=50_000)
    assert result.determined
    assert result.fit.b_crit == pytest.approx(256, rel=0.3)  # each point is the best of three noisy LRs: a little low
    assert result.b_crit_interval[0] < result.fit.b_crit < result.b_crit_interval[1]


def test_a_batch_size_that_never_reaches_the_target_within_the_budget_is_a_censored_point():
    exp = experiment(batch_sizes=(16, 64, 256), budget=1000)  # S(16) = 1,700 > 1,000
    found = points(exp, simulate(exp, best_lr_at_16=0.03))
    assert [(p.batch_size, p.censored) for p in found] == [(16, True), (64, False), (256, False)]
    data = chart_data(found, critical_batch(found, n_train=50_000).fit)
    assert data["points"][0] == {"batch_size": 16, "steps": 1000, "examples": 16_000, "learning_rate": None,
                                 "censored": True}


def test_an_experiment_refuses_settings_it_cannot_decide_anything_from():
    with pytest.raises(ConfigError, match="at least two batch sizes"):
        experiment(batch_sizes=(64,))
    with pytest.raises(ConfigError, match="at least three learning rates"):
        experiment(learning_rates=(0.01, 0.1))
    with pytest.raises(ConfigError, match="between 1 and 5, got 6"):
        experiment(seeds=6)
    with pytest.raises(ConfigError, match="The target must be a number from 0"):
        experiment(target=1.5)
    with pytest.raises(ConfigError) as error:
        experiment(batch_sizes=(16, 2048), budget=30_000)  # MNIST-1D: 2 updates per epoch at batch 2048
    assert str(error.value) == ("A budget of 30,000 update steps takes 15,000 epochs at batch 2048 (2 updates per "
                                "epoch), and a run may have at most 10,000: pick a smaller budget or a smaller "
                                "largest batch.")


# --------------------------------------------------------------------------- reading the answer

def test_regime_boundaries_are_a_third_of_and_three_times_the_critical_batch_size():
    fit = ScalingFit(s_min=1000, b_crit=300, points=8)
    assert [str(regime(fit, b)) for b in (99, 100, 300, 900, 901)] == [
        "perfect scaling", "diminishing returns", "diminishing returns", "diminishing returns",
        "maximal data parallelism"]


def test_a_regime_reads_in_korean_too():
    fit = ScalingFit(s_min=1000, b_crit=300, points=8)
    korean = [regime(fit, b).render(lambda message: CORE.get(message.key)) for b in (99, 300, 901)]
    assert korean == ["완벽한 스케일링", "수확 체감", "최대 데이터 병렬성"]


def test_a_batch_above_a_quarter_of_the_data_is_less_noisy_than_its_size_says():
    assert effective_batch(1024, 3200) == pytest.approx(1024 * 3199 / 2176)  # 1,505
    assert less_noisy([16, 512, 1024], 3200) == [(1024, pytest.approx(1505.4, abs=0.1))]
    assert math.isinf(effective_batch(3200, 3200))


def test_the_curves_to_the_target_are_those_of_each_batch_sizes_best_lr_against_steps_and_samples():
    exp = experiment(budget=20_000)
    runs = simulate(exp, best_lr_at_16=0.03)
    for run in runs:
        run.evaluations = [(1, 0.1), (run.steps or exp.budget, 0.9)]
    curves = target_curves(exp, runs)
    assert {(c["batch_size"], c["seed"]) for c in curves} == {(b, s) for b in (16, 64, 256) for s in (0, 1)}
    at_64 = [c for c in curves if c["batch_size"] == 64 and c["seed"] == 0]
    assert at_64 == [{"batch_size": 64, "seed": 0, "step": 1, "samples": 64, "value": 0.1},
                     {"batch_size": 64, "seed": 0, "step": 500, "samples": 32_000, "value": 0.9}]
