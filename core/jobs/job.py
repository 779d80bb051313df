"""A job: one task (a training, a range test, ...) for one config, as an executor keeps it.

Several sessions asking for the same task share one job, found by its key (`job_key`). Pages
never touch a Job; they draw JobViews, consistent copies taken under the executor's lock.
"""

from __future__ import annotations

import hashlib
import json
import math
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from core.messages import Message
from core.training.config import TrainConfig
from core.training.record import ACTIVE, REUSABLE, HistoryRow, RunResult, Status, epochs_in

STOPPED_BEFORE_START = Message("jobs.stopped_before_start", "Stopped before it started.")


def job_key(config: TrainConfig, kind: str = "train", params: dict[str, Any] | None = None) -> str:
    """A training is keyed by its config; other tasks by their kind, config and parameters."""
    if kind == "train":
        return config.key
    digest = hashlib.sha256(json.dumps(params or {}, sort_keys=True).encode()).hexdigest()[:8]
    return f"{kind}-{config.key}-{digest}"


@dataclass(eq=False)  # a job is one thing that happens: equal only to itself
class Job:
    id: str
    config: TrainConfig
    kind: str = "train"  # a key of core.jobs.tasks.TASKS
    params: dict[str, Any] = field(default_factory=dict)  # the task's parameters beyond the config
    status: Status = Status.QUEUED  # queued, running, then a RunResult's status or failed
    rows: list[HistoryRow] = field(default_factory=list)  # per-epoch history as it arrives
    step_losses: list[float] = field(default_factory=list)
    result: RunResult | None = None  # a training's result
    output: dict[str, Any] | None = None  # another task's result, as plain data
    message: Message | str = ""
    cancel_requested: bool = False
    submitted_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    worker_pid: int | None = None  # the process training it, once started
    owner: str | None = None  # the owner id of whoever asked for it first (core/runs/ownership.py)
    room: str | None = None  # the classroom room it was asked for in
    run_id: str | None = None  # its id in the run store, once saved (or when it came from there)
    saved_rows: int = 0  # how many of `rows` and `step_losses` are in the store (saved while it trains)
    saved_steps: int = 0
    saved_at: float = -math.inf  # time.monotonic() of the last write while it trained
    save_error: str | None = None  # why a write while it trained failed (it is kept in memory meanwhile)
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def key(self) -> str:
        return job_key(self.config, self.kind, self.params)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has ended; False if `timeout` passed first."""
        return self.done.wait(timeout)


@dataclass(frozen=True)
class JobView:
    """A consistent copy of a job's state for drawing, taken under the executor's lock."""

    id: str
    config: TrainConfig
    status: Status
    rows: list[HistoryRow]
    step_losses: list[float]
    result: RunResult | None
    message: Message | str
    queue_position: int  # 1 = next to start; 0 when not queued
    submitted_at: float
    started_at: float | None
    kind: str = "train"
    output: dict[str, Any] | None = None

    @classmethod
    def of(cls, job: Job, queue_position: int) -> JobView:
        return cls(job.id, job.config, job.status, list(job.rows), list(job.step_losses), job.result, job.message,
                   queue_position, job.submitted_at, job.started_at, job.kind, job.output)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def progress(self) -> float:
        """The share of the epochs run; a finished run is complete even if it stopped early on its own."""
        if self.status in REUSABLE:
            return 1.0
        return min(1.0, epochs_in(self.rows) / self.config.epochs)

    @property
    def finishing(self) -> bool:
        """Every epoch reported but the job still running: it is measuring the final weights (the
        sharpness task) or handing its result over."""
        return self.active and epochs_in(self.rows) == self.config.epochs

    @property
    def wall_time(self) -> float | None:
        """Seconds the finished training took; None while it runs or when it has no result."""
        return self.result.wall_time if self.result is not None else None


@dataclass(frozen=True)
class GroupProgress:
    """Where a group of jobs (a sweep, a calculator check, a range test per batch size) stands."""

    total: int
    done: int
    running: int
    queued: int
    failed: int
    seconds_left: float | None  # None until one run has finished

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


def group_progress(views: Sequence[JobView | None], workers: int) -> GroupProgress:
    """Where a group stands, from the views of its jobs (None = unknown to the executor)."""
    known = [v for v in views if v is not None]
    done = [v for v in known if not v.active]
    durations = [seconds for v in done if (seconds := v.wall_time)]
    remaining = len(views) - len(done)
    left = statistics.mean(durations) * remaining / max(1, workers) if durations else None
    return GroupProgress(total=len(views), done=len(done),
                         running=sum(v.status == Status.RUNNING for v in known),
                         queued=sum(v.status == Status.QUEUED for v in known),
                         failed=sum(v.status == Status.FAILED for v in known),
                         seconds_left=left if remaining else 0.0)
