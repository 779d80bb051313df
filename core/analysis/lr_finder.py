"""The learning-rate range test (fastai's `lr_find`): which learning rates are worth trying?

Train a config's model for up to `num_it` batches while the learning rate grows exponentially
from `start_lr` to `end_lr`, recording each batch's loss. The loss first barely moves (the LR is
too small), then falls, then blows up (the LR is too large). The test stops once the smoothed
loss passes 4× its minimum, restores the initial weights, and suggests learning rates from the
curve the way fastai does (fastai/callback/schedule.py): `valley`, `steep` and `minimum`.

Being cheap (one short pass, no validation), it is run once per batch size to see how the usable
LR range moves with the batch size.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from core.analysis.smoothing import DebiasedEMA
from core.messages import Message
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.data import DataSplits
from core.training.engine import Setup, loss_function, set_up

SUGGESTIONS = ("valley", "steep", "minimum")  # fastai's, in its order
MIN_VALLEY_POINTS = 5  # a valley needs a descent, a floor and a rise; fewer points cannot show one


@dataclass
class RangeTest:
    """What one range test measured: one entry per batch actually run, and the suggested LRs."""

    config: TrainConfig  # the run whose model, data, optimizer and batch size were used; its LR is ignored
    lrs: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)  # raw loss of each batch
    smoothed: list[float] = field(default_factory=list)  # debiased EMA of `losses` (fastai's AvgSmoothLoss)
    suggestions: dict[str, float] = field(default_factory=dict)  # "valley", "steep", "minimum" when computable
    stopped_early: bool = False  # the smoothed loss passed stop_factor × its minimum (or went non-finite)
    at_edge: list[str] = field(default_factory=list)  # suggestions found at an end of the analysed range

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data, so the result can cross a process boundary."""
        return {
            "config": self.config.to_dict(),
            "lrs": list(self.lrs), "losses": list(self.losses), "smoothed": list(self.smoothed),
            "suggestions": dict(self.suggestions), "stopped_early": self.stopped_early, "at_edge": list(self.at_edge),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RangeTest:
        return cls(config=TrainConfig.from_dict(d["config"]),
                   lrs=[float(v) for v in d["lrs"]], losses=[float(v) for v in d["losses"]],
                   smoothed=[float(v) for v in d["smoothed"]],
                   suggestions={k: float(v) for k, v in d["suggestions"].items()},
                   stopped_early=bool(d["stopped_early"]), at_edge=[str(n) for n in d.get("at_edge", [])])


# --------------------------------------------------------------------------- schedule and smoothing

def exponential_lr(i: int, start_lr: float, end_lr: float, num_it: int) -> float:
    """The LR of batch i (0-based): start_lr at i = 0 and exactly end_lr at i = num_it - 1."""
    if num_it < 2:
        return start_lr
    if i == num_it - 1:
        return end_lr  # exact, not start·ratio^1 rounded
    return start_lr * (end_lr / start_lr) ** (i / (num_it - 1))


def _batch_indices(n: int, batch_size: int, generator: torch.Generator,
                   device: torch.device) -> Iterator[torch.Tensor]:
    """The engine's batch order: one randperm per epoch, the last partial batch included, forever."""
    while True:
        perm = torch.randperm(n, generator=generator, device=device)
        for start in range(0, n, batch_size):
            yield perm[start:start + batch_size]


# --------------------------------------------------------------------------- the test

def check_range(start_lr: float, end_lr: float, num_it: int) -> None:
    """ConfigError (a ValueError) unless 0 < start_lr < end_lr and num_it >= 1: what a test can sweep."""
    if not (math.isfinite(start_lr) and start_lr > 0):
        raise ConfigError(Message("lr_finder.start_not_positive", "The start LR must be a number above 0; got "
                                  "{start_lr}.", start_lr=start_lr))
    if not (math.isfinite(end_lr) and start_lr < end_lr):
        raise ConfigError(Message("lr_finder.bad_range", "The start LR ({start_lr:g}) must be below the end LR "
                                  "({end_lr:g}).", start_lr=start_lr, end_lr=end_lr))
    if num_it < 1:
        raise ConfigError(Message("lr_finder.bad_num_it", "num_it must be at least 1; got {num_it}.", num_it=num_it))


def lr_range_test(config: TrainConfig, *, start_lr: float = 1e-7, end_lr: float = 10.0, num_it: int = 100,
                  beta: float = 0.98, stop_factor: float = 4.0, data: DataSplits | None = None,
                  should_stop: Callable[[], bool] | None = None, model: nn.Module | None = None) -> RangeTest:
    """Run the range test on `config` (its learning_rate is ignored) and suggest learning rates.

    The model is built as core.engine.train builds it, unless `model` is given; either way its
    initial weights are restored at the end, so a given model comes back unchanged. A given
    model must already be on the config's device. should_stop() is checked before every batch.
    """
    check_range(start_lr, end_lr, num_it)
    setup = set_up(config, data, model)
    model = setup.model
    initial_state = copy.deepcopy(model.state_dict())
    was_training = model.training
    result = RangeTest(config)
    try:
        _run(setup, config, result, start_lr, end_lr, num_it, beta, stop_factor, should_stop)
    finally:
        model.load_state_dict(initial_state)
        model.train(was_training)
        model.zero_grad(set_to_none=True)
    result.suggestions, result.at_edge = suggest(result.lrs, result.smoothed, num_it)
    return result


def _run(setup: Setup, config: TrainConfig, result: RangeTest, start_lr: float, end_lr: float, num_it: int,
         beta: float, stop_factor: float, should_stop: Callable[[], bool] | None) -> None:
    """The training loop of the test; fills result.lrs, losses, smoothed and stopped_early."""
    model, data, optimizer = setup.model, setup.data, setup.optimizer
    criterion = loss_function(data.spec.task)
    order = torch.Generator(device=setup.device).manual_seed(config.seed)
    batches = _batch_indices(len(data.x_train), config.batch_size, order, setup.device)
    smoother, best = DebiasedEMA(beta), math.inf
    model.train()
    for i in range(num_it):
        if should_stop is not None and should_stop():
            return
        lr = exponential_lr(i, start_lr, end_lr, num_it)
        for group in optimizer.param_groups:
            group["lr"] = lr
        idx = next(batches)
        loss = criterion(model(data.x_train[idx]), data.y_train[idx])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        raw = loss.item()  # one sync per batch: the stop rule needs the loss now
        smooth = smoother.add(raw)
        result.lrs.append(lr)
        result.losses.append(raw)
        result.smoothed.append(smooth)
        best = min(best, smooth)
        if not math.isfinite(smooth) or smooth > stop_factor * best:
            result.stopped_early = i < num_it - 1
            return


# --------------------------------------------------------------------------- suggestions

def suggestions_table(tests: Sequence[tuple[str, RangeTest]]) -> pd.DataFrame:
    """One row per range test: its label, the batches it ran, whether the loss blew up, each suggestion,
    and the suggestions that sit at an end of the analysed range."""
    return pd.DataFrame([{"test": label, "batches": len(test.lrs), "stopped_early": test.stopped_early,
                          **{name: test.suggestions.get(name) for name in SUGGESTIONS},
                          "at_edge": list(test.at_edge)} for label, test in tests],
                        columns=["test", "batches", "stopped_early", *SUGGESTIONS, "at_edge"])


def suggest(lrs: list[float], smoothed: list[float], num_it: int) -> tuple[dict[str, float], list[str]]:
    """fastai's suggestions from a recorded curve (a key is missing when too few points remain), and
    the names of those found at an end of the analysed range.

    As fastai does, the first num_it // 10 points (the LR is still too small to matter) and the
    last 5 (the blow-up that stopped the test) are dropped, and the curve is cut at its first
    non-finite loss. A suggestion at an end of what is left is no more than a bound: the curve
    may go on falling beyond it, and a wider range of LRs would tell.
    """
    lrs_arr = np.asarray(lrs[num_it // 10:-5], dtype=float)
    loss_arr = np.asarray(smoothed[num_it // 10:-5], dtype=float)
    bad = np.flatnonzero(~np.isfinite(loss_arr))
    if len(bad):
        lrs_arr, loss_arr = lrs_arr[:bad[0]], loss_arr[:bad[0]]
    found: dict[str, float | None] = {
        "valley": valley(lrs_arr, loss_arr),
        "steep": steep(lrs_arr, loss_arr),
        "minimum": minimum(lrs_arr, loss_arr),
    }
    suggestions = {name: lr for name, lr in found.items() if lr is not None}
    if not len(lrs_arr):
        return suggestions, []
    first, last = float(lrs_arr[0]), float(lrs_arr[-1])
    ends = {"valley": (first, last), "minimum": (first, last),
            "steep": (first, float(lrs_arr[-2]) if len(lrs_arr) > 1 else last)}  # steep names a segment's left end
    on_curve = {name: lr * 10 if name == "minimum" else lr for name, lr in suggestions.items()}  # minimum is lr / 10
    at_edge = [name for name, lr in on_curve.items() if any(math.isclose(lr, end) for end in ends[name])]
    return suggestions, at_edge


def valley(lrs: np.ndarray, losses: np.ndarray) -> float | None:
    """The LR part-way down the longest valley: fastai's default, usually a safe but fast LR.

    The longest decreasing subsequence of the loss (O(n²) dynamic programming) marks the valley;
    the suggestion lies about half-way along it (a third plus a sixth of its length, as fastai).
    """
    n = len(losses)
    if n < MIN_VALLEY_POINTS:
        return None
    longest = [1] * n  # longest decreasing subsequence ending at i
    for i in range(1, n):
        for j in range(i):
            if losses[i] < losses[j] and longest[i] < longest[j] + 1:
                longest[i] = longest[j] + 1
    end = int(np.argmax(longest))  # the first of the longest, as fastai's strict update keeps
    if longest[end] < 2:
        return None  # the loss never falls: there is no valley
    start = end - longest[end]  # fastai's start; its length end - start equals the run's point count
    sections = (end - start) / 3
    idx = max(start + int(sections) + int(sections / 2), 0)
    return float(lrs[idx])


def steep(lrs: np.ndarray, losses: np.ndarray) -> float | None:
    """The LR where the loss falls fastest per decade of LR, as fastai finds it: the left end of the
    steepest segment, argmin of the forward difference (l[i+1] - l[i]) / (log lr[i+1] - log lr[i])."""
    if len(losses) < 2:
        return None
    slope = np.diff(losses) / np.diff(np.log(lrs))
    return float(lrs[int(np.argmin(slope))])


def minimum(lrs: np.ndarray, losses: np.ndarray) -> float | None:
    """A tenth of the LR at the lowest loss: there the LR is already nearly too large."""
    if len(losses) < 1:
        return None
    return float(lrs[int(np.argmin(losses))]) / 10
