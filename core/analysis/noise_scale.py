"""The gradient noise scale B_simple = tr(Σ)/|G|² (McCandlish et al., 2018, "An Empirical Model
of Large-Batch Training").

Σ is the covariance of per-example gradients and G the full-batch gradient. B_simple is
roughly the batch size beyond which a bigger batch stops buying a proportionally bigger
step: below it the gradient is mostly noise, above it mostly signal.

Neither quantity is measured directly. The paper's trick (Appendix A.1): a batch gradient's
squared norm has expectation E|G_B|² = |G|² + tr(Σ)/B, so squared norms at two batch sizes
give unbiased estimates of both. Here the two sizes come from k micro-batches of size B at
the same weights: the small batch is each micro-batch (B), the big one their union (kB).

The micro-batches are drawn without replacement from the N training samples, which shrinks
a batch's variance by the finite-population factor (N − B)/(N − 1). `measure` records N so the
estimates correct for it; without that, |𝒢|² is low by tr(Σ)/(N − 1), and B_simple is inflated
by a factor 1/(1 − B_simple/(N − 1)), which matters once B_simple approaches N.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from core.analysis.smoothing import DebiasedEMA
from core.messages import Message
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.data import DataSplits
from core.training.engine import EpochCallback, Probe, loss_function, train
from core.training.record import RunResult

LossFn = Callable[[Tensor, Tensor], Tensor]


@dataclass(frozen=True)
class NoiseSample:
    """One measurement at one set of weights: squared gradient norms at two batch sizes.

    population=None uses the paper's formulas (batches drawn i.i.d. / from an infinite pool);
    a population N corrects for batches drawn without replacement from N samples.
    """

    g_small_sq: float  # mean squared norm of the small-batch gradients
    g_big_sq: float  # squared norm of the big-batch gradient
    b_small: int
    b_big: int
    population: int | None = None

    @property
    def _noise(self) -> float:
        """(|G_small|² − |G_big|²)/(1/B_small − 1/B_big): tr(Σ), or N/(N−1)·tr(Σ) without replacement."""
        return (self.g_small_sq - self.g_big_sq) / (1 / self.b_small - 1 / self.b_big)

    @property
    def gradient_sq(self) -> float:
        """Unbiased estimate of |G|², the squared norm of the full-batch gradient (|𝒢|²)."""
        paper = (self.b_big * self.g_big_sq - self.b_small * self.g_small_sq) / (self.b_big - self.b_small)
        return paper if self.population is None else paper + self._noise / self.population

    @property
    def trace_sigma(self) -> float:
        """Unbiased estimate of tr(Σ), the per-example gradient variance summed over parameters (𝒮)."""
        n = self.population
        return self._noise if n is None else self._noise * (n - 1) / n


def measure(model: nn.Module, loss_fn: LossFn, x: Tensor, y: Tensor, batch_size: int, k: int,
            generator: torch.Generator) -> NoiseSample:
    """Gradients of k disjoint random micro-batches at the current weights, as a NoiseSample.

    loss_fn must return the mean loss over a batch. The gradients are taken in the model's
    current mode, i.e. as training sees them; no optimizer runs, the weights stay as they are
    and no .grad is left behind.
    """
    n = len(x)
    if k < 2:
        raise ConfigError(Message("noise.k_below_two",
                                  "Two batch sizes are needed, so k must be at least 2 (got k={k}).", k=k))
    if batch_size < 1:
        raise ConfigError(Message("noise.batch_below_one", "batch_size must be at least 1 (got {batch_size}).",
                                  batch_size=batch_size))
    if k * batch_size > n:
        raise ConfigError(Message("noise.too_few_samples",
                                  "k={k} micro-batches of batch_size={batch_size} need {needed} distinct "
                                  "samples, but there are only {n}.", k=k, batch_size=batch_size,
                                  needed=k * batch_size, n=n))
    params = [p for p in model.parameters() if p.requires_grad]
    order = torch.randperm(n, generator=generator, device=generator.device)[:k * batch_size].to(x.device)
    grads = torch.stack([_flat_gradient(model, loss_fn, x[idx], y[idx], params)
                         for idx in order.view(k, batch_size)]).double()
    g_small_sq, g_big_sq = torch.stack([(grads ** 2).sum(1).mean(), grads.mean(0).pow(2).sum()]).tolist()
    return NoiseSample(g_small_sq, g_big_sq, batch_size, k * batch_size, population=n)


def _flat_gradient(model: nn.Module, loss_fn: LossFn, x: Tensor, y: Tensor, params: Sequence[Tensor]) -> Tensor:
    with torch.enable_grad():
        grads = torch.autograd.grad(loss_fn(model(x), y), params, allow_unused=True, materialize_grads=True)
    return torch.cat([g.reshape(-1) for g in grads])


class NoiseScaleTracker:
    """EMA of both estimates (β default 0.99, debiased like Adam's); B_simple = EMA(𝒮)/EMA(|𝒢|²),
    the ratio of the smoothed estimates, because the ratio of raw estimates is biased.

    Each raw estimate is unbiased but very noisy (|𝒢|² can even come out negative), and
    E[a/b] ≠ E[a]/E[b]; averaging first, then dividing, keeps the bias small.
    """

    def __init__(self, beta: float = 0.99) -> None:
        if not 0 <= beta < 1:
            raise ConfigError(Message("noise.beta", "beta must be in [0, 1) (got {beta}).", beta=beta))
        self.beta = beta
        self._gradient_sq = DebiasedEMA(beta)
        self._trace_sigma = DebiasedEMA(beta)

    @property
    def updates(self) -> int:
        return self._gradient_sq.count

    def update(self, sample: NoiseSample) -> float:
        """Fold in one measurement; returns the current B_simple estimate."""
        self._gradient_sq.add(sample.gradient_sq)
        self._trace_sigma.add(sample.trace_sigma)
        return self.b_simple

    @property
    def gradient_sq(self) -> float:
        """The smoothed |G|² estimate (NaN before the first update)."""
        return self._gradient_sq.value

    @property
    def trace_sigma(self) -> float:
        """The smoothed tr(Σ) estimate (NaN before the first update)."""
        return self._trace_sigma.value

    @property
    def b_simple(self) -> float:
        """EMA(𝒮)/EMA(|𝒢|²); NaN before the first update or while EMA(|𝒢|²) <= 0."""
        if not self.updates or self._gradient_sq.raw <= 0:
            return math.nan
        return self.trace_sigma / self.gradient_sq


def check_two_batches(batch_size: int, n_train: int) -> None:
    """Raise a ConfigError unless `n_train` samples hold two disjoint batches of `batch_size`:
    the least a noise-scale measurement needs (pages check a config with it before submitting)."""
    if n_train // batch_size < 2:
        raise ConfigError(Message(
            "noise.two_batches",
            "Measuring the noise scale needs two batches of {batch_size} at once, but there are only "
            "{n_train} training samples; choose a batch size of at most {most}.",
            batch_size=batch_size, n_train=n_train, most=n_train // 2))


def noise_probe(config: TrainConfig, n_train: int, draws: int = 8, k: int = 4, beta: float = 0.9) -> Probe:
    """A probe for core.engine.train: after every epoch, `draws` measurements at the current weights.

    Each measurement takes k micro-batches of the run's batch size. The estimates are folded into
    an EMA (β = 0.9 here: with `draws` per epoch that averages over about the last epoch or two, so
    the curve follows training) and the epoch's row gets b_simple, gradient_sq and trace_sigma.
    """
    check_two_batches(config.batch_size, n_train)
    k = min(k, n_train // config.batch_size)
    tracker = NoiseScaleTracker(beta)
    generator = torch.Generator().manual_seed(config.seed + 1)  # never disturbs the training's batch order

    def probe(model: nn.Module, data: DataSplits) -> dict[str, float]:
        loss_fn = loss_function(data.spec.task)
        for _ in range(draws):
            tracker.update(measure(model, loss_fn, data.x_train, data.y_train, config.batch_size, k, generator))
        return {"b_simple": tracker.b_simple, "gradient_sq": tracker.gradient_sq,
                "trace_sigma": tracker.trace_sigma}

    return probe


def train_with_noise_scale(config: TrainConfig, report: EpochCallback | None = None,
                           should_stop: Callable[[], bool] | None = None) -> RunResult:
    """Train `config`, measuring the gradient noise scale B_simple after every epoch (in the rows)."""
    return train(config, on_epoch=report, should_stop=should_stop, probe=noise_probe(config, config.n_train))
