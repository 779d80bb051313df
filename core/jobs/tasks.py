"""What a worker can be asked to do: the one module of the executors that knows the analyses.

Each task takes a config, its parameters, a `report(row, step_losses)` callback for every epoch
and a `should_stop()` check, and returns plain data (a RunResult's dict, or the analysis's), so
that its result crosses a process pipe or a Ray object store unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from torch import nn

from core.analysis.lr_finder import lr_range_test
from core.analysis.noise_scale import train_with_noise_scale
from core.analysis.sharpness import SharpnessResult, final_sharpness
from core.analysis.steps_to_target import run_to_target
from core.training.config import TrainConfig
from core.training.data import DataSplits
from core.training.engine import EpochCallback, train
from core.training.grouped import GroupEpochCallback, train_group

Task = Callable[[TrainConfig, dict[str, Any], EpochCallback, Callable[[], bool]], dict[str, Any]]


def train_task(config: TrainConfig, params: dict[str, Any], report: EpochCallback,
               should_stop: Callable[[], bool]) -> dict[str, Any]:
    return train(config, on_epoch=report, should_stop=should_stop).to_dict()


def range_test_task(config: TrainConfig, params: dict[str, Any], report: EpochCallback,
                    should_stop: Callable[[], bool]) -> dict[str, Any]:
    return lr_range_test(config, should_stop=should_stop, **params).to_dict()


def noise_scale_task(config: TrainConfig, params: dict[str, Any], report: EpochCallback,
                     should_stop: Callable[[], bool]) -> dict[str, Any]:
    return train_with_noise_scale(config, report=report, should_stop=should_stop).to_dict()


def sharpness_task(config: TrainConfig, params: dict[str, Any], report: EpochCallback,
                   should_stop: Callable[[], bool]) -> dict[str, Any]:
    """Train, then measure the top Hessian eigenvalue of the training loss at the final weights, and
    whether its power iteration converged (both None if stopped first, or if it is not finite)."""
    measured: list[SharpnessResult] = []

    def measure(model: nn.Module, data: DataSplits) -> None:
        if should_stop():  # Stop means now: a stopped run keeps no sharpness
            return
        value = final_sharpness(model, data)
        if math.isfinite(value.eigenvalue):
            measured.append(value)

    result = train(config, on_epoch=report, should_stop=should_stop, on_end=measure)
    if measured:
        result.sharpness, result.sharpness_converged = measured[0].eigenvalue, measured[0].converged
    return result.to_dict()


def steps_to_target_task(config: TrainConfig, params: dict[str, Any], report: EpochCallback,
                         should_stop: Callable[[], bool]) -> dict[str, Any]:
    """Train until the validation metric meets the target or the step budget is spent (params: metric,
    target, budget)."""
    return run_to_target(config, params["metric"], float(params["target"]), int(params["budget"]),
                         should_stop=should_stop, report=report).to_dict()


def train_group_task(configs: list[TrainConfig], report: GroupEpochCallback, should_stop: Callable[[int], bool],
                     ended: Callable[[int, dict[str, Any]], None]) -> None:
    """Train configs that share a group (core/jobs/grouping.py chose them) as one vectorised model:
    every run reports its epochs and its result (`ended(index, RunResult dict)`) as the "train" task does,
    each as soon as it ends."""
    train_group(configs, on_epoch=report, should_stop=should_stop,
                on_end=lambda index, result: ended(index, result.to_dict()))


TASKS: dict[str, Task] = {"train": train_task, "range_test": range_test_task, "noise_scale": noise_scale_task,
                          "sharpness": sharpness_task, "steps_to_target": steps_to_target_task}
TRAININGS = ("train", "noise_scale", "sharpness")  # tasks whose result is a RunResult, saved to the store
FROM_STORE = ("train", "sharpness")  # tasks a stored run can answer without training
