"""The seed posts' experiments as presets: the grids of runs each post trained, and grid building.

A sweep is a list of configs handed to an executor (core.jobs.Executor); a preset is such a
list, with the post's own words on what it saw, so the page can set them beside what was
measured (core.experiments.findings).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from core.messages import Message
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.data import DATASETS, cifar10_available


def grid(base: TrainConfig, batch_sizes: Iterable[int], learning_rates: Iterable[float],
         seeds: Iterable[int] | None = None) -> list[TrainConfig]:
    """Every batch size × learning rate × seed, the other settings taken from `base`."""
    chosen = tuple(seeds) if seeds is not None else ()
    return [dataclasses.replace(base, batch_size=int(b), learning_rate=float(lr), seed=int(s))
            for b, lr, s in itertools.product(batch_sizes, learning_rates, chosen or (base.seed,))]


def grid_values(values: Iterable[object], kind: type, what: Message) -> list[float]:
    """The numbers a grid axis was given (typed-in ones arrive as text), sorted, repeats dropped.

    `kind` int asks for whole numbers ("1e3" is one); every value must be a finite number above 0.
    ConfigError names `what` (e.g. "Batch sizes") and the value that is not usable."""
    numbers: list[float] = []
    for value in values:
        try:
            number = float(value)  # type: ignore[arg-type]  # whatever came, float() says whether it is a number
        except (TypeError, ValueError, OverflowError):
            number = math.nan
        if not math.isfinite(number):
            raise ConfigError(Message("grid.not_a_number", "{what}: {value!r} is not a number.", what=what,
                                      value=value))
        if kind is int and not number.is_integer():
            raise ConfigError(Message("grid.not_whole", "{what}: {value!r} is not a whole number.", what=what,
                                      value=value))
        if number <= 0:
            raise ConfigError(Message("grid.not_positive", "{what} must be positive; got {value!r}.", what=what,
                                      value=value))
        numbers.append(int(number) if kind is int else number)
    return sorted(set(numbers))


BATCH_SIZES = Message("grid.batch_sizes", "Batch sizes")
LEARNING_RATES = Message("grid.learning_rates", "Learning rates")


def with_seeds(configs: Iterable[TrainConfig], seeds: Iterable[int]) -> list[TrainConfig]:
    """Every config once per seed."""
    seeds = tuple(seeds)
    return [dataclasses.replace(c, seed=int(s)) for c in configs for s in seeds]


REFERENCE_SEEDS = (0, 1, 2)  # every preset runs each setting with these seeds: a claim is decided over them


@dataclass(frozen=True)
class Preset:
    name: str
    title: Message
    description: Message  # what the seed claimed, so the page can put it next to what was measured
    configs: tuple[TrainConfig, ...]  # every setting once per seed of REFERENCE_SEEDS


def presets() -> dict[str, Preset]:
    """The seed blog posts' experiments. Seed 000 uses CIFAR-10 when its files are here, else digits."""
    return dict(_presets(cifar10_available()))


@cache
def _presets(cifar10: bool) -> dict[str, Preset]:
    """Made once per dataset choice: every page run asks for them (some 160 validated configs, 4 ms)."""
    images = (TrainConfig(dataset="cifar10", model="cnn", classes=(0, 1, 2)) if cifar10
              else TrainConfig(dataset="digits", model="cnn"))
    seed000 = dataclasses.replace(images, optimizer="adam", epochs=20)
    linear = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1)
    # SGD with momentum 0.9 at LR 0.03 takes this CNN to about 92% validation accuracy in 60 epochs (its best
    # epoch near 40, not the last); at SGD LR 0.1 for 15 epochs, as before, every run stopped at 30-58%.
    signals = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="momentum", learning_rate=0.03, batch_size=64,
                          epochs=60)
    base_lr = signals.learning_rate
    found = [
        Preset("seed000", Message("preset.seed000_title",
                                  "Seed 000 · batch {{16, 64, 256}} × LR {{0.001, 0.01}}, 20 epochs, {dataset}",
                                  dataset=DATASETS[seed000.dataset].title),
               Message("preset.seed000_saw",
                       "Small batches gave noisier but good curves; batch 256 was smooth but its loss fell less in "
                       "the same number of epochs; LR 0.01 was unstable in some combinations where 0.001 was calm."),
               tuple(grid(seed000, (16, 64, 256), (0.001, 0.01), REFERENCE_SEEDS))),
        Preset("seed001", Message("preset.seed001_title",
                                  "Seed 001 · linear regression, SGD LR 0.1, (epochs, batch) = (5|20, 16|128)"),
               Message("preset.seed001_saw",
                       "Batch 16 makes 8× more updates per epoch and its loss falls faster; after enough epochs "
                       "every combination ends near the same loss (the noise variance, 0.09)."),
               tuple(with_seeds([dataclasses.replace(linear, epochs=e, batch_size=b) for e, b in
                                 [(5, 16), (5, 128), (20, 16), (20, 128)]], REFERENCE_SEEDS))),
        Preset("seed002-lr", Message("preset.seed002_lr_title",
                                     "Seed 002 · LR ×¼, ×½, ×1, ×2, ×4 around {lr:g} at batch 64, {epochs} epochs, "
                                     "SGD with momentum (MNIST-1D)", lr=base_lr, epochs=signals.epochs),
               Message("preset.seed002_lr_saw",
                       "Fix the epochs and the batch size, try the learning rate at ×1, ×2, ×4, ×½, ×¼ and pick "
                       "from the loss curves."),
               tuple(with_seeds([dataclasses.replace(signals, learning_rate=base_lr * f) for f in (0.25, 0.5, 1, 2, 4)],
                                REFERENCE_SEEDS))),
        Preset("seed002-scaling", Message("preset.seed002_scaling_title",
                                          "Seed 002 · linear-scaling pairs: batch ×k with LR ×k, and the same "
                                          "batches at the unscaled LR (MNIST-1D)"),
               Message("preset.seed002_scaling_saw",
                       "Scaling the learning rate with the batch size (new LR = old LR × new B / old B) should keep "
                       "the curves close when drawn against samples seen — but not exactly the same."),
               tuple(with_seeds(
                   [dataclasses.replace(signals, batch_size=32 * k, learning_rate=base_lr / 2 * k)
                    for k in (1, 2, 4, 8)]
                   + [dataclasses.replace(signals, batch_size=32 * k, learning_rate=base_lr / 2) for k in (2, 4, 8)],
                   REFERENCE_SEEDS))),
        Preset("seed003", Message("preset.seed003_title",
                                  "Seed 003 · batch 64 / 128 / 256 with the LR scaled linearly vs kept fixed "
                                  "(MNIST-1D)"),
               Message("preset.seed003_saw",
                       "Large batches may converge to sharper minima and generalize worse; watch the validation "
                       "loss."),
               tuple(with_seeds(dict.fromkeys(
                   [dataclasses.replace(signals, batch_size=b, learning_rate=base_lr * b / 64) for b in (64, 128, 256)]
                   + [dataclasses.replace(signals, batch_size=b) for b in (64, 128, 256)]), REFERENCE_SEEDS))),
    ]
    return {p.name: p for p in found}
