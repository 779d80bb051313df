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


def settings(configs) -> list[tuple]:
    """Each setting once, in order: a preset runs every one with the reference seeds."""
    return list(dict.fromkeys((c.batch_size, c.learning_rate) for c in configs))


def test_the_seed_presets_are_the_posts_experiments_each_setting_with_three_seeds():
    found = presets()
    for preset in found.values():
        by_setting = {}
        for c in preset.configs:
            by_setting.setdefault(group_key(c), []).append(c.seed)
        assert all(seeds == [0, 1, 2] for seeds in by_setting.values()), preset.name
    seed000 = found["seed000"].configs
    assert sorted(settings(seed000)) == [(16, 0.001), (16, 0.01), (64, 0.001), (64, 0.01), (256, 0.001), (256, 0.01)]
    assert {c.epochs for c in seed000} == {20} and {(c.model, c.optimizer) for c in seed000} == {("cnn", "adam")}
    seed001 = found["seed001"].configs
    assert list(dict.fromkeys((c.epochs, c.batch_size) for c in seed001)) == [(5, 16), (5, 128), (20, 16), (20, 128)]
    assert {(c.optimizer, c.learning_rate) for c in seed001} == {("sgd", 0.1)}
    assert settings(found["seed002-lr"].configs) == [(64, 0.0075), (64, 0.015), (64, 0.03), (64, 0.06), (64, 0.12)]
    assert settings(found["seed002-scaling"].configs) == [
        (32, 0.015), (64, 0.03), (128, 0.06), (256, 0.12), (64, 0.015), (128, 0.015), (256, 0.015)]
    assert sorted(settings(found["seed003"].configs)) == [(64, 0.03), (128, 0.03), (128, 0.06), (256, 0.03),
                                                          (256, 0.12)]
    signals = [c for name in ("seed002-lr", "seed002-scaling", "seed003") for c in found[name].configs]
    assert {(c.optimizer, c.momentum, c.epochs) for c in signals} == {("momentum", 0.9, 60)}


def test_repeats_differ_only_by_seed_and_share_a_group():
    a, b = with_seeds([TrainConfig()], [0, 1])
    assert (a.seed, b.seed) == (0, 1) and a.key != b.key
    assert group_key(a) == group_key(b)
    assert group_key(a) != group_key(dataclasses.replace(a, batch_size=32))
