"""The run record's rules: statuses, the best epoch, the epochs a stopped run finished."""

import math

import pytest

from core.training.config import TrainConfig
from core.training.record import ACTIVE, REUSABLE, BestEpoch, RunResult, Status, best_epoch, epochs_done

CONFIG = TrainConfig(dataset="linear", model="linear", batch_size=32, epochs=10)  # 800 samples: 25 steps an epoch


def row(epoch: int, step: int = 0, val_loss: float = math.nan) -> dict:
    return {"epoch": epoch, "step": step or 25 * epoch, "val_loss": val_loss}


def test_a_status_is_its_text_so_that_it_compares_stores_and_sends_as_one():
    assert Status.COMPLETED == "completed" and f"{Status.EARLY_STOPPED}" == "early_stopped"
    assert "diverged" in REUSABLE and "queued" in ACTIVE and "stopped" not in REUSABLE
    assert RunResult(CONFIG, "stopped").status is Status.STOPPED  # text from the store or a worker


def test_the_best_epoch_is_the_first_of_the_lowest_validation_losses():
    rows = [row(1, val_loss=0.9), row(2, val_loss=0.5), row(3, val_loss=0.5), row(4, val_loss=0.7)]
    assert best_epoch(rows, Status.COMPLETED) == 2


def test_an_improvement_must_beat_min_delta_when_early_stopping_uses_it():
    rows = [row(1, val_loss=1.0), row(2, val_loss=0.95), row(3, val_loss=0.91)]
    early = TrainConfig(dataset="linear", model="linear", early_stopping=True, min_delta=0.1)
    assert best_epoch(rows, Status.COMPLETED, early) == 1  # 0.95 and 0.91 are not 0.1 below 1.0
    later = TrainConfig(dataset="linear", model="linear", early_stopping=False, min_delta=0.1)
    assert best_epoch(rows, Status.COMPLETED, later) == 3  # without early stopping min_delta does not count


def test_a_stopped_or_diverged_runs_last_epoch_never_counts():
    rows = [row(1, val_loss=0.9), row(2, val_loss=0.1)]
    assert best_epoch(rows, Status.STOPPED) == 1
    assert best_epoch(rows, Status.DIVERGED) == 1
    assert best_epoch(rows, Status.EARLY_STOPPED) == 2


def test_non_finite_validation_losses_are_never_best():
    assert best_epoch([row(1, val_loss=math.nan), row(2, val_loss=math.inf)], Status.COMPLETED) is None


@pytest.mark.parametrize("losses, offers", [([1.0, 0.5, 0.6, 0.4], [True, True, False, True]),
                                            ([math.nan, 1.0, 1.0], [False, True, False])])
def test_the_best_epoch_fed_one_epoch_at_a_time_says_when_each_is_a_new_best(losses, offers):
    best = BestEpoch()
    assert [best.offer(row(i, val_loss=v)) for i, v in enumerate(losses, 1)] == offers


def test_a_run_that_finished_its_epochs_has_no_partial_epoch():
    assert CONFIG.updates_per_epoch == 25
    assert epochs_done([row(1, 25), row(2, 50)], CONFIG) == (2, 0)


def test_a_run_stopped_in_its_third_epoch_counts_two_whole_epochs_and_the_steps_of_the_third():
    assert epochs_done([row(1, 25), row(2, 50), row(3, 57)], CONFIG) == (2, 7)


def test_a_run_stopped_in_its_first_epoch_has_no_whole_epoch():
    assert epochs_done([row(1, 3)], CONFIG) == (0, 3)
    assert epochs_done([], CONFIG) == (0, 0)
