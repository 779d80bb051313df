"""The learning rate of every update step: an optional linear warm-up, then constant, cosine or step decay.

A pure function of the config and the step, so the engine sets it before each update and a chart
can draw the schedule of any run without training it. Goyal et al.'s gradual warm-up is
`warmup_epochs=5, warmup_start=1/k`: from the old LR to k times it, then constant.
"""

from __future__ import annotations

import math

from core.training.config import TrainConfig


def warmup_step_count(warmup_epochs: float, updates_per_epoch: int) -> int:
    """Update steps of a warm-up of `warmup_epochs` (a fraction of an epoch is fine): rounded, and at
    least one step when there is a warm-up at all."""
    return max(1, round(warmup_epochs * updates_per_epoch)) if warmup_epochs > 0 else 0


def warmup_steps(config: TrainConfig) -> int:
    """Update steps of the config's warm-up."""
    return warmup_step_count(config.warmup_epochs, config.updates_per_epoch)


def lr_at(config: TrainConfig, step: int) -> float:
    """The LR of update `step` (0 = the first update of the run).

    Warm-up: from warmup_start × LR at step 0, linearly, reaching the LR at the end of the warm-up.
    After it: "constant" keeps the LR; "cosine" follows half a cosine from the LR towards 0 at the end
    of the last epoch; "step" multiplies the LR by decay_factor every decay_every epochs (counted from
    the start of the run)."""
    base, warm = config.learning_rate, warmup_steps(config)
    if step < warm:
        return base * (config.warmup_start + (1 - config.warmup_start) * step / warm)
    if config.schedule == "cosine":
        span = config.epochs * config.updates_per_epoch - warm
        return base * 0.5 * (1 + math.cos(math.pi * (step - warm) / span)) if span > 0 else base
    if config.schedule == "step":
        return base * config.decay_factor ** (step // config.updates_per_epoch // config.decay_every)
    return base


def is_constant(config: TrainConfig) -> bool:
    """Whether every step trains at the config's learning_rate (no warm-up, no decay)."""
    return config.schedule == "constant" and warmup_steps(config) == 0
