import pytest

from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.limits import LimitExceeded, Limits


def test_the_defaults_suit_a_small_shared_server():
    assert Limits() == Limits(max_epochs=500, max_train_samples=20_000, max_grid_runs=60, max_upload_mb=20)


def test_each_cap_can_be_set_by_an_environment_variable(monkeypatch):
    monkeypatch.setenv("BATCHLAB_MAX_EPOCHS", "2000")
    monkeypatch.setenv("BATCHLAB_MAX_GRID_RUNS", "8")
    assert Limits.from_env() == Limits(max_epochs=2000, max_grid_runs=8)


@pytest.mark.parametrize("text", ["many", "0", "-3", "1.5"])
def test_a_malformed_cap_is_named(monkeypatch, text):
    monkeypatch.setenv("BATCHLAB_MAX_EPOCHS", text)
    with pytest.raises(ConfigError, match="BATCHLAB_MAX_EPOCHS must be"):
        Limits.from_env()


@pytest.mark.parametrize("epochs, over", [(500, False), (501, True)])
def test_epochs_up_to_the_cap_are_accepted(epochs, over):
    config = TrainConfig(dataset="linear", model="linear", epochs=epochs)
    if over:
        with pytest.raises(LimitExceeded, match="at most 500 epochs per run"):
            Limits().check(config)
    else:
        Limits().check(config)


def test_the_full_cifar10_needs_a_sample_cap():
    full = TrainConfig(dataset="cifar10", model="cnn")
    with pytest.raises(LimitExceeded, match="at most 20,000 samples per run; these settings use 40,000"):
        Limits().check(full)
    Limits().check(TrainConfig(dataset="cifar10", model="cnn", classes=(0, 1, 2)))  # 12,000: fine


def test_a_grid_over_the_cap_is_refused_with_the_count():
    configs = [TrainConfig(seed=s) for s in range(61)]
    with pytest.raises(LimitExceeded, match="This asks for 61 runs; this server takes at most 60"):
        Limits().check_grid(configs)
