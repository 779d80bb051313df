import math

import pytest

from core.analysis.scaling import RUN_NAMES, noise_temperature, plan
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.schedules import lr_at, warmup_steps


def test_seed_002s_first_example_batch_1024_lr_16_to_batch_64_gives_lr_1():
    assert plan(1024, 16.0, 64, n_samples=100_000).linear_lr == 1.0


def test_seed_002s_second_example_batch_64_lr_2e_5_to_batch_128_gives_4e_5():
    assert plan(64, 2e-5, 128, "adamw", n_samples=10_000).linear_lr == 4e-5


def test_the_square_root_rule_multiplies_by_root_k():
    p = plan(64, 0.1, 256, n_samples=10_000)
    assert p.k == 4.0
    assert p.sqrt_lr == pytest.approx(0.2)
    assert plan(256, 0.1, 64, n_samples=10_000).sqrt_lr == pytest.approx(0.05)


def test_malladis_adam_rule_scales_one_minus_beta_by_k_and_eps_by_one_over_root_k():
    adam = plan(64, 1e-3, 128, "adam", n_samples=10_000).adam(beta1=0.9, beta2=0.999, eps=1e-8)
    assert adam.beta1 == pytest.approx(0.8)
    assert adam.beta2 == pytest.approx(0.998)
    assert adam.eps == pytest.approx(1e-8 / math.sqrt(2))


def test_the_adam_rule_says_when_a_beta_would_leave_its_range():
    adam = plan(16, 1e-3, 256, "adam", n_samples=10_000).adam(beta1=0.9)  # k = 16: 1 - 16·0.1 < 0
    assert adam.beta1 is None and adam.beta2 == pytest.approx(0.984)


def test_the_adam_rule_is_for_adam_type_optimizers_only():
    assert plan(64, 0.1, 128, "sgd", n_samples=10_000).adam() is None


def test_updates_before_and_after_and_the_epochs_that_keep_them():
    p = plan(32, 0.1, 128, n_samples=320, epochs=10)
    assert (p.updates_per_epoch_old, p.updates_per_epoch_new) == (10, 3)
    assert (p.total_updates_old, p.total_updates_new) == (100, 30)
    assert p.epochs_for_same_updates == 34  # 34 × 3 = 102 >= 100


def test_goyals_warm_up_is_5_epochs_of_a_90_epoch_run_and_ramps_to_the_new_lr_only_when_it_rises():
    p = plan(256, 0.1, 1024, n_samples=10_240, epochs=90)
    assert (p.warmup_epochs, p.warmup_steps) == (5, 5 * 10)
    assert p.warmup_increment == pytest.approx((0.4 - 0.1) / 50)
    assert plan(1024, 0.4, 256, n_samples=10_240).warmup_steps is None


@pytest.mark.parametrize("epochs, warmup_epochs, steps", [(90, 5, 50), (180, 5, 50), (18, 1, 10), (10, 5 / 9, 6),
                                                          (1, 1 / 18, 1)])
def test_a_shorter_run_gets_goyals_share_of_it_as_warm_up_and_at_least_one_step(epochs, warmup_epochs, steps):
    p = plan(256, 0.1, 1024, n_samples=10_240, epochs=epochs)  # 10 updates per epoch at 1024
    assert p.warmup_epochs == pytest.approx(warmup_epochs)
    assert p.warmup_steps == steps


def test_seed_002s_advice_is_10_to_20_percent_more_epochs():
    assert plan(1024, 16.0, 64, n_samples=100_000, epochs=10).more_epochs == (11, 12)


@pytest.mark.parametrize("args, message", [
    ((0, 0.1, 64), "'old_batch' must be a whole number of at least 1. Got 0"),
    ((64, -0.1, 128), "'old_lr' must be a positive number. Got -0.1"),
    ((64, float("nan"), 128), "'old_lr' must be a positive number"),
    ((64, 0.1, -8), "'new_batch' must be a whole number of at least 1. Got -8"),
    ((64, 0.1, 5000), "'new_batch' (5000) is larger than the 1000 training samples"),
])
def test_bad_input_gets_a_message_that_names_it(args, message):
    with pytest.raises(ConfigError) as err:
        plan(*args, n_samples=1000)
    assert message in str(err.value)


def test_the_verification_runs_are_the_old_setting_each_rule_goyals_warm_up_and_the_unscaled_control():
    base = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="sgd", epochs=18)
    runs = plan(32, 0.05, 128, n_samples=3200).verification_configs(base)
    assert {name: (c.batch_size, c.learning_rate, c.warmup_epochs, c.warmup_start, c.epochs)
            for name, c in runs.items()} == {
        "old setting": (32, 0.05, 0, 0, 18), "linear rule": (128, 0.2, 0, 0, 18),
        "linear rule + warm-up": (128, 0.2, 1, 0.25, 18), "square-root rule": (128, 0.1, 0, 0, 18),
        "unscaled LR": (128, 0.05, 0, 0, 18)}
    assert set(runs) <= set(RUN_NAMES)


def test_the_warm_up_arm_starts_at_the_old_lr_and_reaches_the_linear_rule_after_its_steps():
    base = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="sgd", epochs=18)
    warmed = plan(32, 0.05, 128, n_samples=3200).verification_configs(base)["linear rule + warm-up"]
    steps = warmup_steps(warmed)  # 1 epoch of 3200 samples at batch 128
    assert steps == 25
    assert (lr_at(warmed, 0), lr_at(warmed, steps)) == (pytest.approx(0.05), 0.2)


def test_for_adam_the_square_root_arm_scales_beta_and_eps_as_malladi_and_the_warm_up_climbs_to_it():
    base = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="adam", epochs=9)
    runs = plan(64, 0.001, 256, "adam", n_samples=3200).verification_configs(base)
    assert list(runs) == ["old setting", "linear rule", "Malladi rule + warm-up", "Malladi rule", "unscaled LR"]
    malladi = runs["Malladi rule"]
    assert (malladi.learning_rate, malladi.beta1, malladi.beta2, malladi.eps) == pytest.approx(
        (0.002, 0.6, 0.996, 5e-9))
    warmed = runs["Malladi rule + warm-up"]
    assert (warmed.learning_rate, warmed.beta1, warmed.warmup_epochs, warmed.warmup_start) == pytest.approx(
        (0.002, 0.6, 0.5, 0.5))
    assert runs["linear rule"].beta1 == 0.9  # only Malladi's arms change Adam's betas


def test_a_beta_that_malladis_rule_would_push_out_of_range_keeps_its_value():
    base = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="adam", epochs=9)
    malladi = plan(16, 0.001, 256, "adam", n_samples=3200).verification_configs(base)["Malladi rule"]  # k = 16
    assert (malladi.beta1, malladi.beta2, malladi.eps) == pytest.approx((0.9, 0.984, 2.5e-9))


def test_no_warm_up_arm_when_the_batch_shrinks():
    base = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="sgd", epochs=9)
    assert "linear rule + warm-up" not in plan(256, 0.4, 64, n_samples=3200).verification_configs(base)


def test_one_learning_rate_is_recommended_per_optimizer_and_the_warm_up_climbs_to_it():
    sgd = plan(64, 0.001, 512, "sgd", n_samples=3200)
    adam = plan(64, 0.001, 512, "adam", n_samples=3200)
    assert (sgd.square_root_rule, sgd.recommended_lr) == (False, pytest.approx(0.008))
    assert (adam.square_root_rule, adam.recommended_lr) == (True, pytest.approx(0.001 * 8 ** 0.5))
    assert adam.warmup_increment == pytest.approx((0.001 * 8 ** 0.5 - 0.001) / adam.warmup_steps)


def test_malladis_rule_is_flagged_when_adams_first_moment_would_barely_average():
    assert plan(64, 0.001, 512, "adam", n_samples=3200).short_momentum()  # β₁ 0.9 -> 0.2: 1.25 gradients
    assert not plan(64, 0.001, 128, "adam", n_samples=3200).short_momentum()  # β₁ 0.8: 5 gradients
    assert not plan(64, 0.1, 512, "sgd", n_samples=3200).short_momentum()


@pytest.mark.parametrize("optimizer, temperature", [("sgd", 0.1 / 64), ("momentum", 0.1 / (64 * 0.1)),
                                                    ("adam", 0.1 / 64)])
def test_the_noise_temperature_is_lr_over_batch_and_momentum_divides_the_batch_by_1_minus_beta(
        optimizer, temperature):
    config = TrainConfig(dataset="linear", model="linear", optimizer=optimizer, learning_rate=0.1, batch_size=64,
                         momentum=0.9)
    assert noise_temperature(config) == pytest.approx(temperature)
