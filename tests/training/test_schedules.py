import math

import pytest
import torch

from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.engine import make_optimizer, train
from core.training.schedules import is_constant, lr_at, warmup_steps


def linear(**options) -> TrainConfig:
    # 800 training samples at batch 100: 8 updates per epoch
    return TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1, batch_size=100,
                       **options)


def test_a_constant_schedule_gives_the_learning_rate_at_every_step():
    config = linear(epochs=3)
    assert is_constant(config)
    assert [lr_at(config, s) for s in (0, 7, 8, 23)] == [0.1, 0.1, 0.1, 0.1]


def test_a_warmup_of_two_epochs_climbs_linearly_from_its_start_to_the_learning_rate():
    config = linear(epochs=4, warmup_epochs=2, warmup_start=0.25)
    assert warmup_steps(config) == 16
    assert lr_at(config, 0) == pytest.approx(0.025)
    assert lr_at(config, 8) == pytest.approx(0.0625)  # half way: 0.025 + (0.1 - 0.025) * 8/16
    assert lr_at(config, 15) == pytest.approx(0.1 * (0.25 + 0.75 * 15 / 16))
    assert lr_at(config, 16) == lr_at(config, 31) == 0.1
    assert not is_constant(config)


def test_a_warmup_may_last_a_fraction_of_an_epoch():
    config = linear(epochs=2, warmup_epochs=0.5)
    assert warmup_steps(config) == 4
    assert [lr_at(config, s) for s in range(5)] == pytest.approx([0.0, 0.025, 0.05, 0.075, 0.1])


def test_cosine_falls_from_the_learning_rate_to_zero_over_the_steps_after_the_warmup():
    config = linear(epochs=3, schedule="cosine", warmup_epochs=1)  # 8 warm-up steps, then 16 cosine steps
    assert lr_at(config, 8) == 0.1
    assert lr_at(config, 16) == pytest.approx(0.05)  # half way down
    assert lr_at(config, 20) == pytest.approx(0.05 * (1 + math.cos(math.pi * 12 / 16)))
    assert lr_at(config, 24) == pytest.approx(0.0)


def test_step_decay_multiplies_the_learning_rate_every_decay_every_epochs():
    config = linear(epochs=6, schedule="step", decay_every=2, decay_factor=0.5)
    assert [lr_at(config, epoch * 8) for epoch in range(6)] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025, 0.025])


def test_a_warmup_longer_than_the_run_is_refused_with_the_number_of_epochs():
    with pytest.raises(ConfigError, match=r"at most the 3 epochs of the run\. Got 4 instead"):
        linear(epochs=3, warmup_epochs=4)


@pytest.mark.parametrize("field, value", [("schedule", "linear"), ("warmup_epochs", -1), ("warmup_start", 1.5),
                                          ("decay_every", 0), ("decay_factor", 1.0), ("beta1", 1.0),
                                          ("beta2", -0.1), ("eps", 0.0)])
def test_an_invalid_schedule_or_adam_setting_names_its_field(field, value):
    with pytest.raises(ConfigError, match=f"'{field}'"):
        TrainConfig(**{field: value})


def test_the_schedule_and_adams_settings_are_in_the_key_only_when_the_run_uses_them():
    plain = TrainConfig(optimizer="sgd")
    assert set(plain.canonical()) == set(TrainConfig(optimizer="sgd", decay_every=3, warmup_start=0.5,
                                                     beta1=0.5).canonical())
    assert not {"schedule", "warmup_epochs", "warmup_start", "decay_every", "decay_factor", "beta1", "beta2",
                "eps"} & set(plain.canonical())
    assert TrainConfig(optimizer="sgd", beta1=0.5).key == plain.key  # SGD has no betas
    assert TrainConfig(optimizer="adam", beta1=0.5).key != TrainConfig(optimizer="adam").key
    assert "warmup_start" in TrainConfig(warmup_epochs=1).canonical()
    assert "decay_factor" not in TrainConfig(schedule="cosine").canonical()
    assert {"schedule", "decay_every", "decay_factor"} <= set(TrainConfig(schedule="step").canonical())


def test_the_engine_trains_at_the_scheduled_rate_and_the_history_shows_each_epochs_last_lr():
    config = linear(epochs=3, warmup_epochs=1, warmup_start=0.5, schedule="step", decay_every=2, decay_factor=0.1)
    result = train(config)
    assert [row["lr"] for row in result.rows] == pytest.approx([0.05, 0.1 * (0.5 + 0.5 * 7 / 8), 0.1, 0.01])
    assert len(result.step_losses) == 24


def test_a_warmup_that_starts_at_the_full_rate_trains_exactly_like_a_constant_lr():
    constant = train(linear(epochs=2)).rows
    warmed = train(linear(epochs=2, warmup_epochs=1, warmup_start=1.0)).rows
    assert [r["train_loss"] for r in warmed] == [r["train_loss"] for r in constant]


def test_adams_betas_and_eps_reach_the_optimizer():
    config = TrainConfig(optimizer="adamw", beta1=0.8, beta2=0.99, eps=1e-6)
    group = make_optimizer(config, [torch.nn.Parameter(torch.zeros(1))]).param_groups[0]
    assert (group["betas"], group["eps"]) == ((0.8, 0.99), 1e-6)
