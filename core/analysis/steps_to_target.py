"""One run of a steps-to-target experiment: train until the validation metric meets a target, or a
step budget is spent, looking at it after every few update steps.

Shallue et al. (2019) count S(B), the update steps to a target, with step resolution and a budget
in steps. Counted at epoch ends, S is only known to within an epoch's worth of steps — at a small
batch size that is hundreds of steps, and a target met in the first epoch at every batch size puts
every point on the perfect-scaling line. Here the metric is evaluated on the validation set at
geometrically spaced steps (1, 2, 3, … then about 10% apart), so S is known to within 10% at any
batch size, with a few dozen evaluations per run, and the run ends as soon as it meets the target.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from torch import nn

from core.messages import Message
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.data import DataSplits
from core.training.engine import EpochCallback, evaluate, train
from core.training.record import Status

EVAL_RATIO = 1.1  # consecutive evaluations are at most this far apart in steps (and at least one step)
METRICS = ("val_loss", "val_acc")


class Ending(StrEnum):
    """How a run towards a target ended."""

    REACHED = "reached"  # the metric met the target at `steps`
    CENSORED = "censored"  # the budget was spent first: S is more than the budget (a lower bound)
    DIVERGED = "diverged"  # the loss became non-finite before the target was met
    STOPPED = "stopped"  # stopped from outside before either


def evaluation_steps(budget: int, ratio: float = EVAL_RATIO) -> list[int]:
    """The update steps after which the metric is evaluated: every step while steps are few, then
    steps about `ratio` apart, and always the budget itself, the last step a run may make."""
    steps, step = [], 1
    while step < budget:
        steps.append(step)
        step = max(step + 1, math.floor(step * ratio))
    return [*steps, budget]


def reached(value: float, target: float, metric: str) -> bool:
    """Whether one measured value meets the target: a loss from below, an accuracy from above.
    NaN and ±inf never do."""
    if not math.isfinite(value):
        return False
    return value <= target if metric.endswith("_loss") else value >= target


def epochs_for(config: TrainConfig, budget: int) -> TrainConfig:
    """`config` with just enough epochs to make `budget` update steps."""
    return dataclasses.replace(config, epochs=math.ceil(budget / config.updates_per_epoch))


def check_target(metric: str, target: float, budget: int) -> None:
    """ConfigError naming the setting when the target or the budget cannot be used."""
    if metric not in METRICS:
        raise ConfigError(Message("target.metric", "The target metric must be one of {metrics}, got {metric!r}.",
                                  metrics=", ".join(METRICS), metric=metric))
    if not math.isfinite(target) or target < 0 or (metric == "val_acc" and target > 1):
        raise ConfigError(Message("target.value", "The target must be a number from 0 (1 at most for an "
                                  "accuracy), got {target}.", target=target))
    if budget < 1:
        raise ConfigError(Message("target.budget", "The step budget must be at least 1 update step, got {budget}.",
                                  budget=budget))


@dataclass
class TargetRun:
    """One run towards the target: how it ended, its steps to the target, and every evaluation."""

    config: TrainConfig  # epochs cover the budget (epochs_for)
    metric: str
    target: float
    budget: int  # update steps the run was allowed
    ending: Ending = Ending.STOPPED
    steps: int | None = None  # the first evaluated step at which the metric met the target
    evaluations: list[tuple[int, float]] = field(default_factory=list)  # (step, metric) as measured

    def to_dict(self) -> dict[str, Any]:
        return {"config": self.config.to_dict(), "metric": self.metric, "target": self.target, "budget": self.budget,
                "ending": str(self.ending), "steps": self.steps, "evaluations": [list(e) for e in self.evaluations]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TargetRun:
        return cls(TrainConfig.from_dict(d["config"]), d["metric"], float(d["target"]), int(d["budget"]),
                   Ending(d["ending"]), d["steps"], [(int(s), float(v)) for s, v in d["evaluations"]])


def run_to_target(config: TrainConfig, metric: str, target: float, budget: int,
                  should_stop: Callable[[], bool] | None = None, report: EpochCallback | None = None) -> TargetRun:
    """Train `config` (its epochs replaced by the budget's) until `metric` meets `target` on the
    validation set or `budget` update steps are made, evaluating at evaluation_steps(budget)."""
    check_target(metric, target, budget)
    run = TargetRun(epochs_for(config, budget), metric, target, budget)
    checkpoints = set(evaluation_steps(budget))

    def look(step: int, model: nn.Module, data: DataSplits) -> None:
        loss, accuracy = evaluate(model, data.x_val, data.y_val, data.spec.task)
        value = float(loss if metric == "val_loss" else accuracy)  # a host sync, at a few dozen steps only
        run.evaluations.append((step, value))
        if run.steps is None and reached(value, target, metric):
            run.steps = step

    def done() -> bool:
        spent = bool(run.evaluations) and run.evaluations[-1][0] >= budget
        return run.steps is not None or spent or (should_stop is not None and should_stop())

    result = train(run.config, on_epoch=report, should_stop=done, checkpoints=checkpoints, on_checkpoint=look)
    if run.steps is not None:
        run.ending = Ending.REACHED
    elif result.status == Status.DIVERGED:
        run.ending = Ending.DIVERGED
    elif run.evaluations and run.evaluations[-1][0] >= budget:
        run.ending = Ending.CENSORED
    return run
