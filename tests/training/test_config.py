import dataclasses

import pytest

from core.settings import ConfigError
from core.training.config import CONSTRAINTS, TrainConfig, updates_per_epoch


def test_every_field_has_a_constraint():
    assert set(CONSTRAINTS) == {f.name for f in dataclasses.fields(TrainConfig)}


def test_the_default_config_is_valid():
    assert TrainConfig().dataset == "mnist1d"


@pytest.mark.parametrize("field, value", [
    ("dataset", "imagenet"),
    ("model", "resnet"),
    ("optimizer", "rmsprop"),
    ("learning_rate", 0.0),
    ("learning_rate", -0.1),
    ("learning_rate", float("nan")),
    ("learning_rate", 1e4),
    ("learning_rate", "0.1"),
    ("batch_size", 0),
    ("batch_size", 2.5),
    ("epochs", 0),
    ("epochs", True),
    ("momentum", 1.0),
    ("weight_decay", -1e-4),
    ("seed", -1),
    ("device", "tpu"),
    ("val_fraction", 0.6),
    ("early_stopping", "yes"),
    ("patience", 0),
    ("min_delta", -0.1),
    ("max_samples", -5),
])
def test_an_invalid_value_raises_an_error_that_names_the_field(field, value):
    with pytest.raises(ConfigError, match=f"'{field}'"):
        TrainConfig(**{field: value})


def test_the_error_message_names_the_range_and_the_value():
    with pytest.raises(ConfigError) as err:
        TrainConfig(learning_rate=0)
    assert str(err.value) == ("The 'learning_rate' parameter of TrainConfig must be a float in the range "
                              "(0, 1000]. Got 0.0 instead.")


@pytest.mark.parametrize("batch_size, ok", [(1, True), (800, True), (801, False)])
def test_batch_size_up_to_the_training_samples_is_accepted(batch_size, ok):
    # linear: 1000 points, 20% held out -> 800 training samples
    make = lambda: TrainConfig(dataset="linear", model="linear", batch_size=batch_size)  # noqa: E731
    if ok:
        assert make().n_train == 800
    else:
        with pytest.raises(ConfigError, match="at most the 800 training samples of 'linear'"):
            make()


def test_a_model_that_does_not_fit_the_dataset_is_rejected():
    with pytest.raises(ConfigError, match="does not fit the dataset 'linear'"):
        TrainConfig(dataset="linear", model="cnn")


def test_early_stopping_needs_a_validation_split():
    with pytest.raises(ConfigError, match="Early stopping watches the validation loss"):
        TrainConfig(early_stopping=True, val_fraction=0.0)


def test_a_class_subset_is_only_for_cifar10():
    with pytest.raises(ConfigError, match="applies to cifar10 only"):
        TrainConfig(classes=(0, 1))
    with pytest.raises(ConfigError, match=r"at least two distinct class indices in 0\.\.9"):
        TrainConfig(dataset="cifar10", model="cnn", classes=(3, 3))
    assert TrainConfig(dataset="cifar10", model="cnn", classes=[0, 1]).classes == (0, 1)


def test_the_key_is_stable_and_ignores_settings_the_run_does_not_use():
    assert TrainConfig(learning_rate=1).key == TrainConfig(learning_rate=1.0).key
    assert TrainConfig(momentum=0.5).key == TrainConfig(momentum=0.9).key  # adam ignores momentum
    assert TrainConfig(optimizer="momentum", momentum=0.5).key != TrainConfig(optimizer="momentum").key
    assert TrainConfig(patience=9).key == TrainConfig().key  # early stopping is off
    assert TrainConfig(seed=1).key != TrainConfig().key
    assert len(TrainConfig().key) == 16


def test_a_config_survives_a_round_trip_through_a_dict():
    config = TrainConfig(dataset="cifar10", model="cnn", classes=(2, 5), epochs=3)
    assert TrainConfig.from_dict(config.to_dict()) == config


def test_an_unknown_field_in_a_dict_is_named():
    with pytest.raises(ConfigError, match="Unknown TrainConfig field"):
        TrainConfig.from_dict({"lr": 0.1})


@pytest.mark.parametrize("n, b, per_epoch", [(320, 32, 10), (2000, 100, 20), (1000, 16, 63), (800, 128, 7),
                                             (5, 5, 1), (5, 6, 1)])
def test_updates_per_epoch_counts_the_last_partial_batch(n, b, per_epoch):
    assert updates_per_epoch(n, b) == per_epoch


def test_the_seeds_arithmetic_320_samples_batch_32_is_100_updates_in_10_epochs():
    assert updates_per_epoch(320, 32) * 10 == 100
