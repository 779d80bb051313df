"""Steps to a target against batch size, and the critical batch size (Shallue et al., 2019,
"Measuring the Effects of Data Parallelism on Neural Network Training"; McCandlish et al., 2018,
"An Empirical Model of Large-Batch Training").

For each batch size B, with the learning rate tuned per batch size, count the update steps
S(B) a run needs to reach a target validation loss (or accuracy). On log-log axes S first
falls as 1/B (perfect scaling: twice the batch, half the steps), then flattens (diminishing
returns), then stops falling (maximal data parallelism). McCandlish et al. model the curve as

    S(B) = S_min · (1 + B_crit / B),

where S_min is the fewest steps any batch size can need and B_crit, the critical batch size,
is where the bend is: at B = B_crit a run needs twice S_min.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.messages import Message
from core.settings import ConfigError

# Our convention for the regimes: below B_crit/3 the 1/B term is more than 3/4 of S, above
# 3·B_crit S_min is more than 3/4 of S.
REGIME_FACTOR = 3.0


def _reached(value: float | None, target: float, metric: str) -> bool:
    """Whether one measured value meets the target; NaN, ±inf and missing values never do."""
    if value is None or not math.isfinite(value):
        return False
    return value <= target if metric.endswith("_loss") else value >= target


def steps_to_target(rows: Sequence[Mapping[str, Any]], target: float, metric: str = "val_loss") -> int | None:
    """The update step at which a run's history first meets the target, or None if it never does.

    Losses meet it from below (value <= target), accuracies (metrics ending in "_acc") from
    above (value >= target). The history has one row per epoch, so the answer is the step
    count at the end of the first epoch that met it: an upper bound, with a resolution of one
    epoch's worth of steps.
    """
    if not (metric.endswith("_loss") or metric.endswith("_acc")):
        raise ConfigError(Message("critical.metric", "metric must end in '_loss' or '_acc' (got {metric!r}).",
                                  metric=metric))
    return next((int(row["step"]) for row in rows if _reached(row.get(metric), target, metric)), None)


@dataclass(frozen=True)
class BatchPoint:
    """One batch size's best run: the fewest steps to the target, and the learning rate that took them."""

    batch_size: int
    steps: int | None  # None if no learning rate reached the target
    learning_rate: float | None  # the best learning rate, None if none reached the target


def best_per_batch(runs: Sequence[tuple[int, float, Sequence[Mapping[str, Any]]]], target: float,
                   metric: str = "val_loss") -> list[BatchPoint]:
    """Per batch size, the learning rate that reaches the target in the fewest steps, sorted by batch size.

    Tuning the learning rate per batch size is what makes S(B) a property of the batch size and
    not of one arbitrary learning rate. runs holds (batch_size, learning_rate, rows) for every
    run of a grid; ties go to the smaller learning rate, the more cautious choice.
    """
    best: dict[int, tuple[int, float] | None] = {}
    for batch_size, learning_rate, rows in runs:
        steps = steps_to_target(rows, target, metric)
        current = best.get(batch_size)
        if steps is not None and (current is None or (steps, learning_rate) < current):
            best[batch_size] = (steps, learning_rate)
        else:
            best.setdefault(batch_size, None)
    return [BatchPoint(b, *(best[b] or (None, None))) for b in sorted(best)]


@dataclass(frozen=True)
class ScalingFit:
    """The fitted S(B) = S_min · (1 + B_crit / B)."""

    s_min: float
    b_crit: float
    points: int  # how many batch sizes the fit used

    def steps(self, batch_size: float) -> float:
        """The steps the model predicts at this batch size."""
        return self.s_min * (1 + self.b_crit / batch_size)


def _reached_points(points: list[BatchPoint]) -> list[BatchPoint]:
    return [p for p in points if p.steps is not None]


def fit_critical_batch(points: list[BatchPoint]) -> ScalingFit | None:
    """Fit S_min and B_crit to the points that reached the target, or None if they cannot be fitted.

    S = S_min + S_min·B_crit/B is linear in 1/B: S = a + b·(1/B) with a = S_min and
    b = S_min·B_crit. The fit is least squares on relative errors, (a + b/B − S)/S, i.e.
    weights 1/S²: S spans orders of magnitude across batch sizes, and plain least squares
    would let the small batches' large step counts decide everything and ignore the flat
    large-batch end, which is exactly where S_min shows.

    None with fewer than 2 distinct batch sizes, or when the best fit has a <= 0 or b < 0:
    the data then do not follow the model (S does not fall towards a positive floor as B
    grows), and no clamped S_min or B_crit would describe them honestly.
    """
    used = _reached_points(points)
    if len({p.batch_size for p in used}) < 2:
        return None
    steps = np.array([p.steps for p in used], dtype=float)
    inverse_batch = 1.0 / np.array([p.batch_size for p in used], dtype=float)
    # Dividing each row by S turns the weighted problem into an ordinary one with target 1.
    design = np.column_stack([np.ones_like(steps), inverse_batch]) / steps[:, None]
    (a, b), *_ = np.linalg.lstsq(design, np.ones_like(steps), rcond=None)
    if a <= 0 or b < 0:
        return None
    return ScalingFit(s_min=float(a), b_crit=float(b / a), points=len(used))


def leave_one_out(points: list[BatchPoint]) -> tuple[float, float] | None:
    """The range of B_crit over the fits that leave one reached batch size out: how much the answer
    rests on any single point (a jackknife spread, not a confidence interval). None with fewer than
    three reached points, or when a refit fails (the rest do not follow the model)."""
    used = _reached_points(points)
    if len(used) < 3:
        return None
    fits = [fit_critical_batch([p for p in used if p is not left]) for left in used]
    values = [f.b_crit for f in fits if f is not None]
    if len(values) < len(used):
        return None
    return min(values), max(values)


def perfect_scaling(points: list[BatchPoint]) -> list[tuple[int, float]]:
    """The perfect-scaling line S(B) = S(B0)·B0/B at each point's batch size, B0 the smallest
    batch size that reached the target: what the steps would be if doubling B always halved them.
    Empty if no point reached the target."""
    reached = [(p.batch_size, p.steps) for p in points if p.steps is not None]
    if not reached:
        return []
    start_batch, start_steps = min(reached)
    return [(p.batch_size, start_steps * start_batch / p.batch_size) for p in points]


def regime(fit: ScalingFit, batch_size: int) -> Message:
    """Where a batch size sits on the fitted curve, by our convention (not the papers'):

    - "perfect scaling" below B_crit/3, where the 1/B term is more than 3/4 of the steps, so
      doubling B still cuts the steps by more than 37% (halving would be 50%);
    - "maximal data parallelism" above 3·B_crit, where S_min is more than 3/4 of the steps,
      so doubling B saves less than 12.5% of them;
    - "diminishing returns" in between, boundaries included.

    A Message, so the page can show it in the user's language; str() gives the English words.
    """
    if batch_size < fit.b_crit / REGIME_FACTOR:
        return Message("critical.perfect_scaling", "perfect scaling")
    if batch_size > REGIME_FACTOR * fit.b_crit:
        return Message("critical.maximal_parallelism", "maximal data parallelism")
    return Message("critical.diminishing_returns", "diminishing returns")


def chart_data(points: list[BatchPoint],
               fit: ScalingFit | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """What the steps-to-target chart draws: the points that reached the target, the fitted curve and
    the perfect-scaling line, each at the batch sizes tested (the curve is empty without a fit)."""
    reached = [dataclasses.asdict(p) for p in _reached_points(points)]
    sizes = sorted({p.batch_size for p in points})
    curve = [] if fit is None else [{"batch_size": b, "steps": fit.steps(b)} for b in sizes]
    perfect = [{"batch_size": b, "steps": steps} for b, steps in perfect_scaling(points)]
    return reached, curve, perfect


def steps_table(points: list[BatchPoint], fit: ScalingFit | None) -> list[dict[str, Any]]:
    """One row per batch size: the steps to the target, the best LR, and its regime on the fit (None
    where there is no fit or the target was not reached)."""
    return [{"batch_size": p.batch_size, "steps": p.steps, "learning_rate": p.learning_rate,
             "regime": regime(fit, p.batch_size) if fit is not None and p.steps is not None else None}
            for p in points]
