"""One run towards a target: evaluated at step resolution, ended at the target or the budget."""

import itertools
import math

import pytest

from core.analysis.steps_to_target import Ending, TargetRun, evaluation_steps, reached, run_to_target
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.engine import train

DIGITS = TrainConfig(dataset="digits", model="linear", optimizer="adam", learning_rate=0.01, batch_size=64, seed=2)


def test_evaluations_come_every_step_at_first_then_about_ten_percent_apart_and_end_at_the_budget():
    steps = evaluation_steps(1000)
    assert steps[:12] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert steps[-1] == 1000
    assert all(b - a <= max(1, 0.1 * a) + 1 for a, b in itertools.pairwise(steps))
    assert 20 <= len(steps) <= 70


def test_a_loss_is_reached_from_below_an_accuracy_from_above_and_nan_never():
    assert reached(0.3, 0.3, "val_loss") and not reached(0.31, 0.3, "val_loss")
    assert reached(0.8, 0.8, "val_acc") and not reached(0.79, 0.8, "val_acc")
    assert not reached(math.nan, 0.3, "val_loss") and not reached(-math.inf, 0.3, "val_loss")


def test_a_run_ends_at_the_first_evaluation_that_meets_the_target():
    run = run_to_target(DIGITS, "val_acc", 0.8, budget=400)
    assert run.ending == Ending.REACHED
    evaluated = [s for s, _ in run.evaluations]
    assert evaluated == [s for s in evaluation_steps(400) if s <= run.steps]  # nothing after it
    assert run.evaluations[-1][1] >= 0.8 and all(v < 0.8 for _, v in run.evaluations[:-1])
    assert run.config.epochs == 23  # 400 steps at 18 per epoch on digits' 1,150 training samples


def test_the_steps_are_those_of_a_normal_training_run_evaluated_at_the_same_point():
    run = run_to_target(DIGITS, "val_acc", 0.8, budget=400)
    epochs = math.ceil(run.steps / DIGITS.updates_per_epoch)
    rows = train(TrainConfig(**{**DIGITS.to_dict(), "epochs": epochs})).rows
    first_epoch_reached = next(r for r in rows if r["val_acc"] >= 0.8)
    assert run.steps <= first_epoch_reached["step"]  # step resolution: never later than the epoch's end


def test_a_target_not_met_within_the_budget_is_censored_at_the_budget():
    run = run_to_target(DIGITS, "val_loss", 0.0, budget=30)
    assert (run.ending, run.steps, run.evaluations[-1][0]) == (Ending.CENSORED, None, 30)


def test_a_stopped_run_is_neither_reached_nor_censored():
    run = run_to_target(DIGITS, "val_loss", 0.0, budget=300, should_stop=lambda: True)
    assert (run.ending, run.steps, run.evaluations) == (Ending.STOPPED, None, [])


def test_a_diverging_run_is_diverged_not_censored():
    wild = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=50.0, batch_size=800)
    assert run_to_target(wild, "val_loss", 0.1, budget=40).ending == Ending.DIVERGED


def test_a_run_crosses_a_process_pipe_as_plain_data():
    run = run_to_target(DIGITS, "val_acc", 0.8, budget=400)
    assert TargetRun.from_dict(run.to_dict()) == run


@pytest.mark.parametrize("metric, target, budget, message", [
    ("train_loss", 0.1, 10, "The target metric must be one of val_loss, val_acc, got 'train_loss'."),
    ("val_acc", 1.2, 10, "The target must be a number from 0 (1 at most for an accuracy), got 1.2."),
    ("val_loss", 0.1, 0, "The step budget must be at least 1 update step, got 0."),
])
def test_a_target_or_budget_that_cannot_be_used_is_refused_by_name(metric, target, budget, message):
    with pytest.raises(ConfigError) as error:
        run_to_target(DIGITS, metric, target, budget)
    assert str(error.value) == message


def test_looking_at_the_weights_after_some_steps_does_not_change_the_training():
    config = TrainConfig(**{**DIGITS.to_dict(), "epochs": 2})
    looked = []
    with_looks = train(config, checkpoints={1, 7, 30}, on_checkpoint=lambda step, model, data: looked.append(step))
    plain = train(config)
    assert looked == [1, 7, 30]
    assert [r["val_loss"] for r in with_looks.rows] == [r["val_loss"] for r in plain.rows]
    assert with_looks.step_losses == plain.step_losses
