import math
from dataclasses import dataclass

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.func import functional_call, grad, vmap

from core.analysis.noise_scale import NoiseSample, NoiseScale, measure, noise_up_to, train_with_noise_scale
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.engine import train
from pages.ui.texts import CORE


def exact_b_simple(per_example_grads: torch.Tensor) -> float:
    """B_simple from every per-example gradient (one per row): the ground truth the estimates aim at.

    tr(Σ) is the population covariance's trace, the mean of |g_i − G|², with G the mean row.
    """
    g = per_example_grads.double()
    mean = g.mean(0)
    trace_sigma = (g - mean).pow(2).sum(1).mean().item()
    gradient_sq = mean.pow(2).sum().item()
    return trace_sigma / gradient_sq if gradient_sq > 0 else math.inf


def regression_problem(n: int, seed: int = 0) -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    """y = Xw* + b* + noise, with the model at a fixed point away from the optimum (so |G| is not ~0)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=g)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.5 + 0.5 * torch.randn(n, 1, generator=g)
    model = nn.Linear(3, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.5, -1.0, 0.0]]))
        model.bias.zero_()
    return model, x, y


def per_example_gradients(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """One row per example: the gradient of that example's loss, flattened."""
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss(p, xi, yi):
        return F.mse_loss(functional_call(model, p, (xi[None],)), yi[None])

    grads = vmap(grad(loss), in_dims=(None, 0, 0))(params, x, y)
    return torch.cat([grads[k].reshape(len(x), -1) for k in params], dim=1).double()


@dataclass
class Truth:
    gradient_sq: float  # |G|²
    trace_sigma: float  # tr(Σ), population covariance
    b_simple: float


def truth(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> Truth:
    rows = per_example_gradients(model, x, y)
    mean = rows.mean(0)
    return Truth(mean.pow(2).sum().item(), (rows - mean).pow(2).sum(1).mean().item(), exact_b_simple(rows))


DRAWS = 4000


@pytest.fixture(scope="module")
def draws() -> tuple[Truth, list[NoiseSample]]:
    """4,000 seeded measurements (k=4 micro-batches of 16) at one set of weights, and the exact answer."""
    model, x, y = regression_problem(2000)
    generator = torch.Generator().manual_seed(0)
    return truth(model, x, y), [measure(model, F.mse_loss, x, y, 16, 4, generator) for _ in range(DRAWS)]


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def test_the_per_example_gradients_agree_with_the_full_batch_gradient():
    model, x, y = regression_problem(2000)
    full = torch.autograd.grad(F.mse_loss(model(x), y), list(model.parameters()))
    assert torch.allclose(per_example_gradients(model, x, y).mean(0).float(), torch.cat([g.reshape(-1) for g in full]),
                          atol=1e-5)


def test_the_ratio_of_the_averaged_estimates_is_within_4_percent_of_the_exact_b_simple(draws):
    exact, samples = draws
    ratio = mean([s.trace_sigma for s in samples]) / mean([s.gradient_sq for s in samples])
    assert ratio == pytest.approx(exact.b_simple, rel=0.04)


def test_the_gradient_norm_estimate_is_unbiased(draws):
    exact, samples = draws
    assert mean([s.gradient_sq for s in samples]) == pytest.approx(exact.gradient_sq, rel=0.03)


def test_the_trace_of_the_covariance_estimate_is_unbiased(draws):
    exact, samples = draws
    assert mean([s.trace_sigma for s in samples]) == pytest.approx(exact.trace_sigma, rel=0.05)


def test_the_estimators_recover_g_and_sigma_from_their_expected_values():
    # |G|² = 2, tr(Σ) = 8: E|G_4|² = 2 + 8/4 = 4 and E|G_16|² = 2 + 8/16 = 2.5.
    sample = NoiseSample(g_small_sq=4.0, g_big_sq=2.5, b_small=4, b_big=16)
    assert sample.gradient_sq == pytest.approx(2.0)
    assert sample.trace_sigma == pytest.approx(8.0)


def test_with_a_finite_population_the_estimators_recover_g_and_sigma_from_their_expected_values():
    # Without replacement from N = 33: E|G_B|² = |G|² + tr(Σ)·(N − B)/(B·(N − 1)).
    n, g_sq, s = 33, 2.0, 8.0

    def expected(b: int) -> float:
        return g_sq + s * (n - b) / (b * (n - 1))

    sample = NoiseSample(expected(4), expected(16), 4, 16, population=n)
    assert sample.gradient_sq == pytest.approx(g_sq)
    assert sample.trace_sigma == pytest.approx(s)


def test_when_the_micro_batches_cover_the_data_the_big_batch_is_the_full_gradient_and_both_estimates_are_unbiased():
    # N = k·B: the paper's i.i.d. formula would give |G|² low by tr(Σ)/(N − 1), here about 8%.
    model, x, y = regression_problem(64, seed=1)
    exact = truth(model, x, y)
    generator = torch.Generator().manual_seed(0)
    samples = [measure(model, F.mse_loss, x, y, 16, 4, generator) for _ in range(1500)]
    assert all(s.g_big_sq == pytest.approx(exact.gradient_sq, rel=1e-5) for s in samples)
    assert mean([s.gradient_sq for s in samples]) == pytest.approx(exact.gradient_sq, rel=0.02)
    assert mean([s.trace_sigma for s in samples]) == pytest.approx(exact.trace_sigma, rel=0.05)
    paper = mean([NoiseSample(s.g_small_sq, s.g_big_sq, s.b_small, s.b_big).gradient_sq for s in samples])
    assert paper == pytest.approx(exact.gradient_sq - exact.trace_sigma / 63, rel=0.02)


def test_measure_leaves_the_weights_and_grads_unchanged():
    model, x, y = regression_problem(200)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    measure(model, F.mse_loss, x, y, 16, 4, torch.Generator().manual_seed(0))
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert all(p.grad is None for p in model.parameters())


def test_measure_reports_the_batch_sizes_and_the_population():
    model, x, y = regression_problem(200)
    sample = measure(model, F.mse_loss, x, y, 16, 4, torch.Generator().manual_seed(0))
    assert (sample.b_small, sample.b_big, sample.population) == (16, 64, 200)


def test_the_same_generator_seed_gives_the_same_measurement():
    model, x, y = regression_problem(200)
    a = measure(model, F.mse_loss, x, y, 16, 4, torch.Generator().manual_seed(3))
    b = measure(model, F.mse_loss, x, y, 16, 4, torch.Generator().manual_seed(3))
    assert a == b


def test_more_samples_than_the_data_holds_is_a_clear_error():
    model, x, y = regression_problem(100)
    with pytest.raises(ValueError, match=r"k=4.*batch_size=32.*128.*100"):
        measure(model, F.mse_loss, x, y, 32, 4, torch.Generator())


def test_a_single_micro_batch_is_refused_because_two_batch_sizes_are_needed():
    model, x, y = regression_problem(100)
    with pytest.raises(ValueError, match="k must be at least 2"):
        measure(model, F.mse_loss, x, y, 16, 1, torch.Generator())


def test_the_exact_b_simple_is_the_trace_of_the_covariance_over_the_squared_mean():
    # Rows (1, 0) and (3, 0): G = (2, 0), |G|² = 4; deviations ±1, so tr(Σ) = 1; B_simple = 1/4.
    assert exact_b_simple(torch.tensor([[1.0, 0.0], [3.0, 0.0]])) == pytest.approx(0.25)


def test_training_with_the_noise_scale_adds_it_and_its_interval_to_every_epochs_row_after_epoch_0():
    config = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1, batch_size=32,
                         epochs=3)
    result = train_with_noise_scale(config)
    keys = {"b_simple", "b_simple_low", "b_simple_high", "gradient_sq", "trace_sigma"}
    assert [set(r) & keys for r in result.rows] == [set()] + [keys] * 3
    assert all(r["b_simple_low"] <= r["b_simple"] <= r["b_simple_high"] for r in result.rows[1:])
    plain = train(config)
    assert [r["train_loss"] for r in result.rows] == [r["train_loss"] for r in plain.rows]  # measuring is passive


def test_the_noise_scale_needs_two_batches_of_data_and_says_so_in_english_and_korean():
    config = TrainConfig(dataset="linear", model="linear", batch_size=500)  # 800 training samples
    with pytest.raises(ConfigError, match="choose a batch size of at most 400") as caught:
        train_with_noise_scale(config)
    korean = caught.value.message.render(lambda message: CORE.get(message.key))
    assert korean == ("노이즈 스케일을 재려면 크기 500인 배치 두 개가 한 번에 필요한데, 학습 샘플이 800개뿐입니다. "
                      "배치 크기를 400 이하로 고르세요.")


def test_eight_draws_give_an_interval_that_covers_the_exact_b_simple_about_nine_times_in_ten():
    model, x, y = regression_problem(2000)
    exact = truth(model, x, y).b_simple
    generator, rng = torch.Generator().manual_seed(0), np.random.default_rng(0)
    found = [NoiseScale.of([measure(model, F.mse_loss, x, y, 16, 4, generator) for _ in range(8)], rng)
             for _ in range(200)]
    covered = sum(f.low <= exact <= f.high for f in found)
    assert covered >= 170, covered  # a nominal 95% interval from eight draws
    assert mean([f.b_simple for f in found]) == pytest.approx(exact, rel=0.1)


def test_the_noise_scale_is_the_ratio_of_the_mean_estimates_and_nan_while_the_mean_gradient_is_not_positive():
    rng = np.random.default_rng(0)
    found = NoiseScale.of([NoiseSample(4.0, 2.5, 4, 16), NoiseSample(6.0, 3.0, 4, 16)], rng)  # |𝒢|² 2, 2; 𝒮 8, 16
    assert (found.b_simple, found.gradient_sq, found.trace_sigma, found.draws) == (6.0, 2.0, 12.0, 2)
    assert (found.low, found.high) == (4.0, 8.0)  # the resamples' ratios: 8/2, 12/2 or 16/2
    noisy = NoiseScale.of([NoiseSample(g_small_sq=4.0, g_big_sq=0.5, b_small=4, b_big=16)] * 3, rng)  # |𝒢|² < 0
    assert math.isnan(noisy.b_simple) and math.isinf(noisy.high)


def test_the_noise_scale_for_b_crit_is_the_mean_over_the_epochs_up_to_the_target():
    rows = [{"epoch": 0, "val_acc": 0.1}] + [{"epoch": e, "val_acc": acc, "b_simple": b}
                                              for e, (acc, b) in enumerate([(0.5, 10.0), (0.85, 20.0), (0.9, 60.0)], 1)]
    assert noise_up_to(rows, "val_acc", 0.8) == (15.0, 2, True)
    assert noise_up_to(rows, "val_acc", 0.95) == (30.0, 3, False)
