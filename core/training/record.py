"""What a run is: its statuses, its history rows, its result, and the one rule for its best epoch.

The engine writes these, the job executors carry them, the run store keeps them and every table
and chart reads them; each rule about a run (which statuses are active or reusable, which epoch
was best, how many epochs a stopped run finished) is written here only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NotRequired, TypedDict, cast

import pandas as pd

from core import messages
from core.messages import Message
from core.training.config import TrainConfig


class Status(StrEnum):
    """Where a job or a run stands. A string, so it compares, hashes and stores as its value."""

    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"  # every epoch ran
    EARLY_STOPPED = "early_stopped"  # the validation loss stopped improving, as early stopping asked
    STOPPED = "stopped"  # Stop was pressed (or the job was stopped from outside)
    DIVERGED = "diverged"  # the loss became non-finite
    UNSTABLE = "unstable"  # stayed finite but failed to train: a spike, a collapse to chance (core.training.stability)
    FAILED = "failed"  # the job raised, or its worker died
    INTERRUPTED = "interrupted"  # the server stopped (killed, restarted) while it trained; its saved epochs kept


STATUS_NAMES = {
    Status.QUEUED: Message("status.queued", "Queued"), Status.RUNNING: Message("status.running", "Training"),
    Status.COMPLETED: Message("status.completed", "Completed"),
    Status.EARLY_STOPPED: Message("status.early_stopped", "Early-stopped"),
    Status.STOPPED: Message("status.stopped", "Stopped"), Status.DIVERGED: Message("status.diverged", "Diverged"),
    Status.UNSTABLE: Message("status.unstable", "Unstable"), Status.FAILED: Message("status.failed", "Failed"),
    Status.INTERRUPTED: Message("status.interrupted", "Interrupted"),
}
"""Each status as the app and its reports name it (a status is stored as its id, never as a name)."""

ACTIVE = frozenset({Status.QUEUED, Status.RUNNING})
REUSABLE = frozenset({Status.COMPLETED, Status.EARLY_STOPPED, Status.DIVERGED, Status.UNSTABLE})
"""A new request for the same settings gets a run that ended like this at once, instead of training again.
A stopped or failed run is kept for viewing, but asked for again it trains afresh."""
RAN_TO_THE_END = frozenset({Status.COMPLETED, Status.EARLY_STOPPED})
"""Runs that ended as their settings asked: the ones a claim about trained runs may be judged on."""
BLEW_UP = frozenset({Status.DIVERGED, Status.FAILED})
"""Runs whose numbers left the useful range: a chart's axes are fitted without them."""
RUN_STATUSES = (Status.COMPLETED, Status.STOPPED, Status.DIVERGED, Status.EARLY_STOPPED, Status.UNSTABLE)
"""How a training can end (a job may also end failed, with no result)."""
SAVED_STATUSES = (*RUN_STATUSES, Status.FAILED, Status.INTERRUPTED)
"""How a stored run can stand once no server is training it: a failed or interrupted run keeps the epochs it saved."""
FAILED_TO_TRAIN = frozenset({Status.DIVERGED, Status.UNSTABLE})
"""Runs whose settings did not train: a finding counts them per arm instead of averaging their numbers."""


class HistoryRow(TypedDict):
    """One epoch of a run, measured when the epoch ended; epoch 0 is the model before any update."""

    epoch: int  # 0 (before training), 1, 2, 3, ...
    step: int  # update steps so far
    samples: int  # training samples seen so far
    time_s: float  # seconds of training so far (measuring by a probe excluded)
    lr: float  # the learning rate of the epoch's last step
    train_loss: float  # at the epoch's end, at the validation numbers' weights, on <= 4096 training samples
    val_loss: float  # at the epoch's end; NaN without a validation set, inf or NaN after a divergence
    train_acc: float  # as train_loss; NaN for regression
    val_acc: float
    train_loss_running: float  # mean of the epoch's batch losses, at changing weights (Keras'); epoch 0: train_loss
    train_acc_running: float  # the same for accuracy; NaN for regression
    b_simple: NotRequired[float]  # the gradient noise scale, where a noise-scale probe measured it
    b_simple_low: NotRequired[float]  # its 95% interval from the epoch's own draws (high: inf when open-ended)
    b_simple_high: NotRequired[float]
    gradient_sq: NotRequired[float]
    trace_sigma: NotRequired[float]


HISTORY_COLUMNS = ["epoch", "step", "samples", "time_s", "lr", "train_loss", "val_loss", "train_acc", "val_acc",
                   "train_loss_running", "train_acc_running"]
INT_COLUMNS = ("epoch", "step", "samples")
RUNNING_COLUMNS = ("train_loss_running", "train_acc_running")  # absent from runs stored before schema 3


def history_values(row: HistoryRow) -> list[object]:
    """The row's values in HISTORY_COLUMNS order (for the store and the CSV file)."""
    columns: Mapping[str, object] = row
    return [columns[c] for c in HISTORY_COLUMNS]


def history_row(values: Mapping[str, Any]) -> HistoryRow:
    """A row from a checked mapping of HISTORY_COLUMNS (the store's table, an import)."""
    return cast(HistoryRow, {c: values[c] for c in HISTORY_COLUMNS})


@dataclass
class RunResult:
    """What a training run measured. `rows` is the per-epoch history, one dict per epoch."""

    config: TrainConfig
    status: Status
    rows: list[HistoryRow] = field(default_factory=list)
    step_losses: list[float] = field(default_factory=list)  # training loss of every update step
    device: str = "cpu"
    wall_time: float = 0.0  # seconds spent training and evaluating
    best_epoch: int | None = None  # the epoch with the lowest validation loss (see best_epoch below)
    final_val_loss: float | None = None  # of the weights the run ends with (the best ones if restored)
    test_loss: float | None = None
    test_acc: float | None = None
    message: Message | str = ""  # why the run ended as it did (diverged, early stopped, reused)
    sharpness: float | None = None  # top Hessian eigenvalue of the training loss at the final weights, if measured
    sharpness_converged: bool | None = None  # whether its power iteration converged; None: not measured or not kept

    def __post_init__(self) -> None:
        self.status = Status(self.status)  # a stored or sent status arrives as its text

    @property
    def history(self) -> pd.DataFrame:
        """The history as a table, for a notebook."""
        return pd.DataFrame(self.rows, columns=HISTORY_COLUMNS)

    @property
    def epochs_run(self) -> int:
        return epochs_in(self.rows)

    @property
    def updates(self) -> int:
        return self.rows[-1]["step"] if self.rows else 0

    @property
    def samples_seen(self) -> int:
        return self.rows[-1]["samples"] if self.rows else 0

    @property
    def samples_per_second(self) -> float:
        return self.samples_seen / self.wall_time if self.wall_time > 0 else 0.0

    @property
    def best_row(self) -> HistoryRow | None:
        if self.best_epoch is None:
            return None
        return next(r for r in self.rows if r["epoch"] == self.best_epoch)

    @property
    def final_weights_row(self) -> HistoryRow | None:
        """The row measured at the weights the run ended with: the best epoch's when early stopping
        restored them, else the last epoch's (an analysis of the final model, like the sharpness, pairs
        with this row's losses, not the best epoch's). A run flagged unstable after early stopping
        restored them too; one that ran every epoch before it was flagged did not stop early."""
        stopped_early = self.status == Status.EARLY_STOPPED or (
            self.status == Status.UNSTABLE and self.config.early_stopping and self.epochs_run < self.config.epochs)
        if stopped_early and self.config.restore_best and self.best_row is not None:
            return self.best_row
        return self.rows[-1] if self.rows else None

    def to_dict(self) -> dict[str, Any]:
        d = {name: getattr(self, name) for name in self.__dataclass_fields__}
        d["config"] = self.config.to_dict()
        d["status"] = str(self.status)
        if isinstance(self.message, Message):  # a worker's result keeps it translatable
            d["message"] = self.message.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunResult:
        message = d.get("message", "")
        if isinstance(message, dict):
            message = messages.from_dict(message)
        return cls(**{**d, "config": TrainConfig.from_dict(d["config"]), "message": message})


def epochs_in(rows: Sequence[HistoryRow]) -> int:
    """Epochs a history has rows for (a stopped run's last, cut short, counts), not counting epoch 0."""
    return rows[-1]["epoch"] if rows else 0


def from_running_mean(row: Mapping[str, Any]) -> dict[str, Any]:
    """A history row written before the training loss was evaluated: its train_loss and train_acc
    were the running means, so they move there and the evaluated ones are NaN (not measured)."""
    return {**row, "train_loss": math.nan, "train_acc": math.nan,
            "train_loss_running": row["train_loss"], "train_acc_running": row["train_acc"]}


# --------------------------------------------------------------------------- the best epoch

def counted_min_delta(config: TrainConfig) -> float:
    """The improvement that counts: the config's min_delta, which only early stopping uses."""
    return config.min_delta if config.early_stopping else 0.0


class BestEpoch:
    """The best-epoch rule, fed one epoch at a time: an epoch is the new best when its finite
    val_loss beats the best so far by more than min_delta (so the first of equal epochs wins)."""

    def __init__(self, min_delta: float = 0.0) -> None:
        self.min_delta = min_delta
        self.val_loss = math.inf
        self.epoch: int | None = None

    def offer(self, row: HistoryRow) -> bool:
        """Take the epoch's row; whether it is the new best. Epoch 0, before training, never is."""
        if row["epoch"] > 0 and math.isfinite(row["val_loss"]) and row["val_loss"] < self.val_loss - self.min_delta:
            self.val_loss, self.epoch = row["val_loss"], row["epoch"]
            return True
        return False


def best_epoch(rows: Sequence[HistoryRow], status: str, config: TrainConfig | None = None) -> int | None:
    """The run's best epoch by the engine's rule (BestEpoch, with the config's counted min_delta).

    A stopped or diverged run's last epoch never took part: Stop cuts it short, and a divergence
    ends the run before the engine compares it."""
    considered = rows[:-1] if status in (Status.STOPPED, Status.DIVERGED) else rows
    best = BestEpoch(counted_min_delta(config) if config is not None else 0.0)
    for row in considered:
        best.offer(row)
    return best.epoch


def epochs_done(rows: Sequence[HistoryRow], config: TrainConfig) -> tuple[int, int]:
    """Whole epochs run, and the update steps of a last epoch cut short by Stop (0 if none).

    A stopped run keeps the epoch it was in as its last history row, with fewer steps."""
    if not rows:
        return 0, 0
    last = rows[-1]
    steps_into_last = last["step"] - (last["epoch"] - 1) * config.updates_per_epoch
    if steps_into_last < config.updates_per_epoch:
        return last["epoch"] - 1, steps_into_last
    return last["epoch"], 0
