import math

import pytest
import torch

from core.training import engine
from core.training.config import TrainConfig
from core.training.data import load_splits
from core.training.devices import DeviceUnavailableError, pick_device
from core.training.engine import evaluate, set_up, train
from core.training.record import HISTORY_COLUMNS

TINY = {
    "linear": TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1, batch_size=32,
                          epochs=4),
    "mnist1d": TrainConfig(dataset="mnist1d", model="cnn1d", batch_size=64, epochs=3, max_samples=1000),
    "digits": TrainConfig(dataset="digits", model="mlp", batch_size=32, epochs=3),
}


@pytest.mark.parametrize("name", TINY)
def test_the_loss_falls_on_every_offline_dataset(name):
    result = train(TINY[name])
    history = result.history
    assert result.status == "completed"
    assert list(history.columns) == HISTORY_COLUMNS
    assert history["train_loss"].iloc[-1] < history["train_loss"].iloc[0]
    assert history["val_loss"].iloc[-1] < history["val_loss"].iloc[0]


def test_the_loss_falls_on_cifar10(fake_cifar10):
    config = TrainConfig(dataset="cifar10", model="cnn", classes=(0, 1), max_samples=20, batch_size=5,
                         epochs=4, learning_rate=0.01)
    history = train(config).history
    assert history["train_loss"].iloc[-1] < history["train_loss"].iloc[0]


def test_the_same_config_and_seed_give_the_identical_history():
    a, b = train(TINY["mnist1d"]), train(TINY["mnist1d"])
    drop = ["time_s"]
    assert a.history.drop(columns=drop).equals(b.history.drop(columns=drop))
    assert a.step_losses == b.step_losses
    c = train(TrainConfig(**{**TINY["mnist1d"].to_dict(), "seed": 1}))
    assert c.step_losses != a.step_losses


def test_every_row_counts_updates_and_samples_including_the_partial_last_batch():
    # 800 training samples with batch 128: 6 full batches + one of 32 = 7 updates per epoch
    result = train(TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1,
                               batch_size=128, epochs=3))
    assert [r["step"] for r in result.rows] == [0, 7, 14, 21]  # epoch 0: before any update
    assert [r["samples"] for r in result.rows] == [0, 800, 1600, 2400]
    assert len(result.step_losses) == 21
    assert result.updates == 21 and result.samples_seen == 2400


def test_the_running_train_loss_of_an_epoch_is_the_sample_weighted_mean_of_its_steps():
    result = train(TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1,
                               batch_size=128, epochs=1))
    sizes = [128] * 6 + [32]
    expected = sum(s * loss for s, loss in zip(sizes, result.step_losses, strict=True)) / 800
    assert result.rows[1]["train_loss_running"] == pytest.approx(expected, rel=1e-5)


def test_the_evaluated_training_loss_equals_evaluate_on_the_final_weights():
    final = []
    result = train(TINY["digits"], on_end=lambda model, data: final.append(
        evaluate(model, data.x_train, data.y_train, "classification")))
    loss, acc = (float(v) for v in final[0])
    assert (result.rows[-1]["train_loss"], result.rows[-1]["train_acc"]) == (pytest.approx(loss, rel=1e-6),
                                                                             pytest.approx(acc))
    assert result.rows[-1]["train_loss"] != result.rows[-1]["train_loss_running"]


def test_a_large_training_set_is_evaluated_on_a_fixed_subset_of_it(monkeypatch):
    monkeypatch.setattr(engine, "TRAIN_EVAL_SAMPLES", 100)
    final = []
    result = train(TINY["linear"], on_end=lambda model, data: final.append(
        float(evaluate(model, data.x_train[:100], data.y_train[:100], "regression")[0])))
    assert result.rows[-1]["train_loss"] == pytest.approx(final[0], rel=1e-6)


def test_epoch_0_is_the_model_before_any_update():
    config = TINY["digits"]
    setup = set_up(config)
    loss, acc = (float(v) for v in evaluate(setup.model, setup.data.x_val, setup.data.y_val, "classification"))
    start = train(config).rows[0]
    assert (start["epoch"], start["step"], start["samples"], start["time_s"]) == (0, 0, 0, 0.0)
    assert (start["val_loss"], start["val_acc"]) == (pytest.approx(loss, rel=1e-6), pytest.approx(acc))
    assert start["train_loss_running"] == start["train_loss"]  # no batch averaged yet: both curves start here


def test_epoch_0_is_never_the_best_epoch_even_when_training_made_the_validation_loss_worse():
    result = train(TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=2.4,
                               batch_size=800, epochs=3))  # past 2/λ: the loss grows from the first step
    assert result.rows[1]["val_loss"] > result.rows[0]["val_loss"]
    assert result.best_epoch == 1


def test_a_diverging_learning_rate_is_flagged_and_its_history_kept():
    result = train(TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=100.0,
                               batch_size=16, epochs=5))
    assert result.status == "diverged"
    assert [r["epoch"] for r in result.rows] == [0, 1]
    assert not math.isfinite(result.step_losses[-1])
    assert all(math.isfinite(v) for v in result.step_losses[:-1])
    assert str(result.message) == f"The loss became non-finite at update step {len(result.step_losses)} (epoch 1)."


def test_early_stopping_stops_after_patience_epochs_and_restores_the_best_weights():
    # min_delta=10 means no epoch after the first counts as an improvement
    config = TrainConfig(dataset="digits", model="mlp", epochs=10, early_stopping=True, patience=2, min_delta=10.0)
    result = train(config)
    assert result.status == "early_stopped"
    assert result.epochs_run == 3 and result.best_epoch == 1
    assert result.final_val_loss == pytest.approx(result.rows[1]["val_loss"], rel=1e-6)
    assert "restored the weights of epoch 1" in str(result.message)


def test_early_stopping_without_restore_keeps_the_last_weights():
    config = TrainConfig(dataset="digits", model="mlp", epochs=10, early_stopping=True, patience=2,
                         min_delta=10.0, restore_best=False)
    result = train(config)
    assert result.final_val_loss == pytest.approx(result.rows[-1]["val_loss"], rel=1e-6)


def test_should_stop_ends_the_run_within_one_batch_and_keeps_what_was_trained():
    calls = []

    def should_stop():
        calls.append(1)
        return len(calls) > 30  # allow 30 batches

    config = TrainConfig(dataset="mnist1d", model="mlp", batch_size=64, epochs=50)  # 50 updates per epoch
    result = train(config, should_stop=should_stop)
    assert result.status == "stopped"
    assert result.updates == 30 and len(result.step_losses) == 30
    assert result.rows[-1]["samples"] == 30 * 64
    assert result.test_loss is not None


def test_on_epoch_receives_every_row_and_its_step_losses():
    seen = []
    result = train(TINY["linear"], on_epoch=lambda row, steps: seen.append((row, steps)))
    assert [row for row, _ in seen] == result.rows
    assert [loss for _, steps in seen for loss in steps] == result.step_losses


def test_evaluation_does_not_depend_on_the_chunk_size(monkeypatch):
    data = load_splits("digits", 0.2)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 10))
    whole = [float(v) for v in evaluate(model, data.x_val, data.y_val, "classification")]
    monkeypatch.setattr(engine, "EVAL_CHUNK", 7)
    chunked = [float(v) for v in evaluate(model, data.x_val, data.y_val, "classification")]
    assert chunked == pytest.approx(whole, rel=1e-5)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", "adamw"])
def test_every_optimizer_trains(optimizer):
    config = TrainConfig(dataset="digits", model="linear", optimizer=optimizer, learning_rate=0.01, epochs=2,
                         weight_decay=1e-4)
    history = train(config).history
    assert history["val_loss"].iloc[-1] < history["val_loss"].iloc[0]


def test_auto_picks_the_cpu_when_there_is_no_gpu():
    if torch.cuda.is_available() or torch.backends.mps.is_available():
        pytest.skip("this machine has a GPU")
    assert pick_device("auto").type == "cpu"
    with pytest.raises(DeviceUnavailableError, match="no CUDA GPU is available"):
        pick_device("cuda")


# Seed 001: SGD, LR 0.1, (epochs, batch) in (5,16), (5,128), (20,16), (20,128) on all 1,000 points.
def seed001(epochs: int, batch_size: int):
    return train(TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1,
                             batch_size=batch_size, epochs=epochs, val_fraction=0.0))


def test_seed_001_after_20_epochs_at_batch_16_the_train_mse_is_near_the_noise_variance():
    final = seed001(20, 16).rows[-1]["train_loss"]
    assert abs(final - 0.09) / 0.09 < 0.15


def test_seed_001_batch_16_makes_more_updates_and_gets_lower_after_5_epochs_than_batch_128():
    small, large = seed001(5, 16), seed001(5, 128)
    assert (small.updates, large.updates) == (5 * 63, 5 * 8)
    assert small.rows[-1]["train_loss"] < large.rows[-1]["train_loss"]
    longer = seed001(20, 128)
    assert longer.rows[-1]["train_loss"] < large.rows[-1]["train_loss"]


def test_a_probe_adds_its_measurements_to_every_epochs_row_and_on_end_sees_the_final_model():
    seen = []
    result = train(TINY["linear"], probe=lambda model, data: {"weight": model[1].weight.item()},
                   on_end=lambda model, data: seen.append(model[1].weight.item()))
    assert [set(r) - set(HISTORY_COLUMNS) for r in result.rows] == [set()] + [{"weight"}] * 4  # not at epoch 0
    assert seen == [result.rows[-1]["weight"]]
    assert list(result.history.columns) == HISTORY_COLUMNS
