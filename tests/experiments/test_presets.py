import dataclasses

import pytest

from core.experiments.presets import grid, presets, with_seeds
from core.runs.tables import group_key
from core.settings import ConfigError
from core.training.config import TrainConfig


def test_a_grid_is_every_batch_size_times_every_learning_rate_times_every_seed():
    configs = grid(TrainConfig(), [16, 64], [0.001, 0.01, 0.1], seeds=[0, 1])
    assert len(configs) == 12
    assert {(c.batch_size, c.learning_rate, c.seed) for c in configs} == {
        (b, lr, s) for b in (16, 64) for lr in (0.001, 0.01, 0.1) for s in (0, 1)}
    assert all(c.dataset == "mnist1d" and c.epochs == 15 for c in configs)


def test_a_grid_cell_larger_than_the_data_is_rejected_with_the_reason():
    base = TrainConfig(dataset="linear", model="linear")
    with pytest.raises(ConfigError, match="at most the 800 training samples"):
        grid(base, [16, 1024], [0.1])


def test_the_seed_presets_are_the_posts_experiments():
    found = presets()
    seed000 = found["seed000"].configs
    assert sorted((c.batch_size, c.learning_rate) for c in seed000) == [
        (16, 0.001), (16, 0.01), (64, 0.001), (64, 0.01), (256, 0.001), (256, 0.01)]
    assert {c.epochs for c in seed000} == {20} and {c.model for c in seed000} == {"cnn"}
    seed001 = found["seed001"].configs
    assert [(c.epochs, c.batch_size) for c in seed001] == [(5, 16), (5, 128), (20, 16), (20, 128)]
    assert {(c.optimizer, c.learning_rate) for c in seed001} == {("sgd", 0.1)}
    assert [c.learning_rate for c in found["seed002-lr"].configs] == [0.025, 0.05, 0.1, 0.2, 0.4]
    assert [(c.batch_size, c.learning_rate) for c in found["seed002-scaling"].configs] == [
        (32, 0.05), (64, 0.1), (128, 0.2), (256, 0.4)]
    assert sorted((c.batch_size, c.learning_rate) for c in found["seed003"].configs) == [
        (64, 0.1), (128, 0.1), (128, 0.2), (256, 0.1), (256, 0.4)]


def test_repeats_differ_only_by_seed_and_share_a_group():
    a, b = with_seeds([TrainConfig()], [0, 1])
    assert (a.seed, b.seed) == (0, 1) and a.key != b.key
    assert group_key(a) == group_key(b)
    assert group_key(a) != group_key(dataclasses.replace(a, batch_size=32))
