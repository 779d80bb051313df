import json
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from core.analysis.lr_finder import RangeTest, check_range, lr_range_test, minimum, steep, suggest, valley
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.data import load_splits
from core.training.models import build_model
from pages.ui.texts import CORE


def linear(batch_size: int = 64, seed: int = 0) -> TrainConfig:
    """Seed 001's linear regression: 1000 points, y = 3x + 0.3·noise. On the CPU, where the
    measured values below come from (a GPU draws other batch permutations)."""
    return TrainConfig(dataset="linear", model="linear", optimizer="sgd", batch_size=batch_size,
                       val_fraction=0.0, seed=seed, device="cpu")


def top_hessian_eigenvalue() -> float:
    """λ_H of the MSE of a linear model, 2·λ_max(X̃ᵀX̃/N) with X̃ = [x, 1]; it does not depend on the weights."""
    x = load_splits("linear", 0.0).x_train.double()
    design = torch.cat([x, torch.ones_like(x)], dim=1)
    return 2 * torch.linalg.eigvalsh(design.T @ design / len(design)).max().item()


# --------------------------------------------------------------------------- the schedule and the loss


def test_the_lrs_grow_exponentially_from_start_lr_to_exactly_end_lr():
    result = lr_range_test(linear(), start_lr=1e-6, end_lr=1e-2, num_it=50)
    assert not result.stopped_early and len(result.lrs) == 50
    assert result.lrs[0] == 1e-6 and result.lrs[-1] == 1e-2
    expected = [1e-6 * (1e-2 / 1e-6) ** (i / 49) for i in range(50)]
    assert result.lrs == pytest.approx(expected, rel=1e-12)
    ratios = np.array(result.lrs[1:]) / np.array(result.lrs[:-1])
    assert ratios == pytest.approx(np.full(49, 10 ** (4 / 49)), rel=1e-9)


def test_the_smoothed_loss_is_the_debiased_ema_of_the_raw_losses():
    beta = 0.9
    result = lr_range_test(linear(), end_lr=1e-2, num_it=10, beta=beta)
    l1, l2, l3 = result.losses[:3]
    assert result.smoothed[0] == pytest.approx(l1, rel=1e-12)
    assert result.smoothed[1] == pytest.approx((beta * l1 + l2) / (1 + beta), rel=1e-12)
    assert result.smoothed[2] == pytest.approx((beta**2 * l1 + beta * l2 + l3) / (1 + beta + beta**2), rel=1e-12)


def test_the_first_loss_is_that_of_the_engines_first_batch_on_the_given_model():
    # A perfect model, w = 3 and b = 0: the first batch's loss is the noise on the first batch
    # that core.engine.train would draw (a randperm seeded by config.seed).
    config, data = linear(batch_size=16, seed=5), load_splits("linear", 0.0)
    model = build_model("linear", (1,), 1)
    with torch.no_grad():
        model[1].weight.fill_(3.0)
        model[1].bias.fill_(0.0)
    result = lr_range_test(config, end_lr=1e-2, num_it=5, model=model)
    first = torch.randperm(1000, generator=torch.Generator().manual_seed(5))[:16]
    expected = F.mse_loss(3.0 * data.x_train[first], data.y_train[first]).item()
    assert result.losses[0] == expected


def test_more_batches_than_one_epoch_start_a_new_permutation():
    # 1000 samples at batch 128 are 8 batches an epoch; 20 batches need three permutations.
    result = lr_range_test(linear(batch_size=128), end_lr=1e-2, num_it=20)
    assert len(result.losses) == 20 and all(math.isfinite(v) for v in result.losses)


# --------------------------------------------------------------------------- stopping and restoring


def test_it_stops_once_the_smoothed_loss_exceeds_four_times_its_minimum():
    result = lr_range_test(linear())  # up to end_lr = 10, far past the edge of stability
    assert result.stopped_early and len(result.lrs) < 100
    assert result.smoothed[-1] > 4 * min(result.smoothed[:-1])
    assert all(s <= 4 * min(result.smoothed[:i + 1]) for i, s in enumerate(result.smoothed[:-1]))


def test_should_stop_ends_the_test_without_calling_it_divergence():
    asked = []

    def after_five_batches() -> bool:
        asked.append(True)
        return len(asked) > 5

    result = lr_range_test(linear(), should_stop=after_five_batches)
    assert len(result.lrs) == 5 and not result.stopped_early


def test_the_given_models_weights_are_restored_exactly():
    torch.manual_seed(0)
    model = build_model("linear", (1,), 1)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    result = lr_range_test(linear(), model=model)
    assert result.losses[-1] != result.losses[0]  # it did train
    after = model.state_dict()
    assert before.keys() == after.keys()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_two_calls_give_identical_lrs_and_losses():
    a, b = lr_range_test(linear(seed=3)), lr_range_test(linear(seed=3))
    assert a.lrs == b.lrs and a.losses == b.losses and a.smoothed == b.smoothed
    assert a.suggestions == b.suggestions
    assert lr_range_test(linear(seed=4)).losses != a.losses


# --------------------------------------------------------------------------- suggestions


def test_valley_lies_half_way_down_the_longest_decreasing_run():
    lrs = 10.0 ** np.arange(13)
    losses = np.array([9, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1, 5, 9], dtype=float)
    # longest decreasing run: 9, 8, ..., 1 (9 points) ending at index 10; fastai's start 10 - 9 = 1,
    # idx = 1 + int(9/3) + int(9/6) = 5
    assert valley(lrs, losses) == 1e5


def test_steep_is_where_the_loss_falls_fastest_per_decade_and_minimum_a_tenth_of_the_lowest():
    lrs = 10.0 ** np.arange(6)
    losses = np.array([5, 5, 4, 1, 0.5, 0.4])
    assert steep(lrs, losses) == 1e2  # forward differences 0, -1, -3, -0.5, -0.1: the segment from index 2
    assert minimum(lrs, losses) == 1e4


def test_steep_takes_fastais_forward_difference_not_a_central_one():
    lrs = 10.0 ** np.arange(6)
    losses = np.array([5, 4.9, 3, 2.9, 2.8, 0.5])
    # forward: -0.1, -1.9, -0.1, -0.1, -2.3 -> index 4; central differences (np.gradient) would say index 5
    assert steep(lrs, losses) == 1e4


def test_a_loss_still_falling_at_the_end_of_the_range_flags_minimum_and_steep_as_at_the_edge():
    lrs = [10.0 ** (i / 4) for i in range(20)]
    falling = [10.0 - 0.02 * i * i for i in range(20)]  # ever faster, to the last point analysed (index 14)
    suggestions, at_edge = suggest(lrs, falling, num_it=20)
    assert suggestions["minimum"] == pytest.approx(lrs[14] / 10)  # the lowest loss is the last one kept
    assert suggestions["steep"] == lrs[13]  # the last segment, 13 -> 14
    assert at_edge == ["steep", "minimum"]  # valley lies inside


def test_a_curve_with_a_floor_inside_the_range_has_no_suggestion_at_the_edge():
    lrs = [10.0 ** (i / 4) for i in range(20)]
    # flat, then falling fastest around index 6, lowest at 10, rising after: all inside 2..14
    curve = [2 - math.tanh((i - 6.5) / 1.5) + max(0, i - 10) ** 2 / 10 for i in range(20)]
    suggestions, at_edge = suggest(lrs, curve, num_it=20)
    assert suggestions["minimum"] == pytest.approx(lrs[10] / 10)
    assert suggestions["steep"] == lrs[6]  # the segment 6 -> 7, across the middle of the fall
    assert at_edge == []


def test_a_loss_that_never_falls_has_no_valley():
    assert valley(10.0 ** np.arange(8), np.arange(8, dtype=float)) is None


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("batch_size", [16, 64, 128])
def test_the_valley_lies_below_the_edge_of_stability_but_within_a_factor_of_100(seed, batch_size):
    # Gradient descent on this quadratic diverges above 2/λ_H ≈ 0.79. Measured (CPU): the valley
    # sits at 1.3-4.8% of 2/λ_H here; over 30 seeds × 5 batch sizes 3 of 150 fall just below 1%.
    edge = 2 / top_hessian_eigenvalue()
    assert edge == pytest.approx(0.789, abs=1e-3)
    result = lr_range_test(linear(batch_size, seed))
    assert edge / 100 < result.suggestions["valley"] < edge


def test_suggestions_are_floats_within_the_range_tested():
    result = lr_range_test(linear(), start_lr=1e-7, end_lr=10.0)
    assert set(result.suggestions) == {"valley", "steep", "minimum"}
    for lr in result.suggestions.values():
        assert type(lr) is float and 1e-7 <= lr <= 10.0


def test_a_too_short_test_gives_no_valley_instead_of_an_error():
    result = lr_range_test(linear(), num_it=8)
    assert len(result.lrs) == 8 and "valley" not in result.suggestions
    assert lr_range_test(linear(), should_stop=lambda: True).suggestions == {}


# --------------------------------------------------------------------------- several tests, plain data


def test_a_range_test_comes_back_the_same_through_its_plain_data():
    result = lr_range_test(linear(16), end_lr=1e-2, num_it=10)
    again = RangeTest.from_dict(result.to_dict())  # as it crosses from a worker to the page
    assert again == result


def test_a_range_test_round_trips_through_json():
    result = lr_range_test(linear())
    back = RangeTest.from_dict(json.loads(json.dumps(result.to_dict())))
    assert back == result


# --------------------------------------------------------------------------- errors, in either language


def test_a_start_lr_not_below_the_end_lr_is_a_config_error_that_reads_in_korean():
    with pytest.raises(ConfigError) as caught:
        lr_range_test(linear(), start_lr=0.5, end_lr=0.1)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == "The start LR (0.5) must be below the end LR (0.1)."
    korean = caught.value.message.render(lambda message: CORE.get(message.key))
    assert korean == "시작 학습률(0.5)은 끝 학습률(0.1)보다 작아야 합니다."


def test_a_start_lr_of_zero_is_refused_before_anything_trains():
    with pytest.raises(ConfigError, match=r"^The start LR must be a number above 0; got 0.0.$"):
        check_range(0.0, 1.0, 10)
