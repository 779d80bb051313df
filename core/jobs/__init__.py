"""Running jobs for every session of the server: the executor protocol and the two executors.

    job.py     a Job, the JobView pages draw, a group's progress
    book.py    the JobBook: the bookkeeping both executors share (sharing, the store, the caps)
    tasks.py   what a worker can run: training, range test, noise scale, sharpness
    local.py   LocalExecutor: a warm pool of worker processes on this machine (the default)
    ray.py     RayExecutor: one Ray task per job, on a cluster or a local Ray instance

The pages are typed against `Executor` and never know which one runs their jobs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Protocol

from core import settings
from core.jobs.job import Job, JobView
from core.jobs.local import LocalExecutor
from core.jobs.ray import BackendUnavailable, RayExecutor
from core.runs.store import RunStore
from core.training.config import TrainConfig
from core.training.limits import Limits

__all__ = ["BackendUnavailable", "Executor", "LocalExecutor", "RayExecutor", "executor_from_env"]


class Executor(Protocol):
    """What the pages use of an executor."""

    @property
    def limits(self) -> Limits: ...

    @property
    def workers(self) -> int: ...  # how many jobs run at once

    def submit(self, config: TrainConfig, kind: str = "train", params: dict[str, Any] | None = None,
               owner: str | None = None, room: str | None = None) -> Job: ...

    def view(self, key: str) -> JobView | None: ...

    def cancel(self, key: str) -> None: ...

    def close(self) -> None: ...


def executor_from_env(store: RunStore | None = None, environ: Mapping[str, str] = os.environ) -> Executor:
    """The executor the settings ask for: the local pool unless BATCHLAB_BACKEND=ray.

    Raises BackendUnavailable when Ray is asked for but missing or unreachable (and ConfigError
    for a setting that does not parse), so the page can say so and fall back to the local pool."""
    if settings.backend(environ) == "ray":
        return RayExecutor(settings.ray_address(environ), store=store)
    return LocalExecutor(store=store, worker_nice=settings.worker_nice(environ))
