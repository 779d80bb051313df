import math

from core.training.config import TrainConfig
from core.training.engine import train
from core.training.record import FAILED_TO_TRAIN, REUSABLE, HistoryRow, Status, history_row
from core.training.stability import instability


def history(losses: list[float], accuracies: list[float] | None = None) -> list[HistoryRow]:
    """Epoch 0, 1, 2, ... with these evaluated training losses (and accuracies)."""
    accuracies = accuracies or [math.nan] * len(losses)
    return [history_row({"epoch": e, "step": 10 * e, "samples": 100 * e, "time_s": 0.1 * e, "lr": 0.1,
                         "train_loss": loss, "val_loss": loss, "train_acc": acc, "val_acc": acc,
                         "train_loss_running": loss, "train_acc_running": acc})
            for e, (loss, acc) in enumerate(zip(losses, accuracies, strict=True))]


def test_a_loss_that_falls_steadily_is_stable():
    assert instability(history([2.3, 1.0, 0.5, 0.3, 0.2]), classes=10) is None


def test_a_run_that_ends_no_lower_than_it_started_did_not_train():
    found = instability(history([2.30, 2.31, 2.33, 2.32]), classes=10)
    assert str(found) == ("The training loss ended at 2.32, no lower than the 2.3 it started at: this learning rate "
                          "did not train.")


def test_an_accuracy_that_falls_back_to_chance_after_learning_is_a_collapse():
    found = instability(history([2.3, 1.2, 1.5, 2.2], [0.1, 0.6, 0.4, 0.11]), classes=10)
    assert str(found) == "The training accuracy fell back to 11.0%, chance for 10 classes, after reaching 60.0%."


def test_an_accuracy_that_never_left_chance_is_no_collapse_when_the_loss_still_fell():
    assert instability(history([2.3, 2.2, 2.1], [0.1, 0.11, 0.12]), classes=10) is None


def test_a_loss_that_jumps_past_twice_its_best_is_a_spike_and_the_message_names_the_epoch():
    found = instability(history([2.3, 0.5, 0.2, 0.9, 0.3]), classes=10)
    assert str(found) == "At epoch 3 the training loss jumped to 0.9, more than 2× its best so far (0.2)."


def test_a_small_loss_doubling_by_less_than_a_tenth_of_the_start_is_noise_not_a_spike():
    assert instability(history([2.3, 0.05, 0.01, 0.03, 0.02]), classes=10) is None  # 0.03 < 0.01 + 0.23


def test_a_history_without_epoch_0_is_not_judged():
    assert instability(history([2.3, 0.5, 5.0])[1:], classes=10) is None


def test_adam_at_lr_0_3_on_mnist1d_is_flagged_unstable_and_its_history_kept():
    result = train(TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="adam", learning_rate=0.3, epochs=4))
    assert result.status == Status.UNSTABLE
    assert str(result.message).startswith("The training loss ended at ")
    assert [r["epoch"] for r in result.rows] == [0, 1, 2, 3, 4]
    assert result.rows[-1]["train_loss"] >= result.rows[0]["train_loss"]
    assert result.test_acc is not None  # an unstable run is still measured at its end


def test_a_config_that_trains_is_not_flagged():
    result = train(TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="adam", learning_rate=0.003, epochs=4,
                               max_samples=1000))
    assert result.status == Status.COMPLETED


def test_an_unstable_run_is_reused_like_a_diverged_one_and_counts_as_failing_to_train():
    assert {Status.UNSTABLE, Status.DIVERGED} <= REUSABLE
    assert {Status.UNSTABLE, Status.DIVERGED} == FAILED_TO_TRAIN
