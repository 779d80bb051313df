"""The job book: the bookkeeping every executor shares, whatever runs its jobs.

Both executors (the local worker processes and the Ray backend) *have* a JobBook. It holds the
jobs by key and by id and the queue of jobs not yet started; it answers a request from a job
already queued, running or finished, or from the run store; it checks the server's limits,
applies what a worker reports, and forgets the oldest ended jobs.

A training is saved while it runs: its first epoch creates a "running" run in the store, new
epochs follow at most every SAVE_EVERY seconds (so thirty students' runs cost a few short
writes a second, and a killed server loses at most that much), and its end completes the
run. A training that ends without a result of its own (its worker died, it raised, it was
stopped from outside, the server closed) keeps the epochs it reported, with the reason.
Every method expects the caller to hold `lock`, except submit and view, which take it.
"""

from __future__ import annotations

import collections
import dataclasses
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from core.jobs.job import Job, JobView, job_key
from core.jobs.tasks import FROM_STORE, TRAININGS
from core.messages import Message
from core.runs.store import RunStore
from core.training.config import TrainConfig
from core.training.limits import Limits
from core.training.record import REUSABLE, RunResult, Status, best_epoch

SAVE_EVERY = 1.0  # s: a running training's new epochs reach the store at most this often


class JobBook:
    """Jobs by key and id, the pending queue, the store and the caps, behind one lock."""

    def __init__(self, on_queued: Callable[[], None], store: RunStore | None = None, limits: Limits | None = None,
                 keep_finished: int = 256) -> None:
        self.on_queued = on_queued  # called under the lock when a new job joins the queue
        self.store = store  # when set: ended runs are saved there, and stored runs answer requests
        self._limits = limits  # None: read from the environment each time, so a changed cap applies at once
        self.keep_finished = keep_finished
        self.lock = threading.RLock()
        self.jobs: dict[str, Job] = {}  # job key -> its latest job
        self.by_id: dict[str, Job] = {}
        self.pending: collections.deque[Job] = collections.deque()  # not started yet, in order

    @property
    def limits(self) -> Limits:
        """The caps every new training is checked against."""
        return self._limits or Limits.from_env()

    def submit(self, config: TrainConfig, kind: str = "train", params: dict[str, Any] | None = None,
               owner: str | None = None, room: str | None = None) -> Job:
        """The job for this task: the one queued, running or finished, a stored run, else a new one.

        A new one must fit the server's limits, else LimitExceeded (a ConfigError) says which. Its run is
        stored as made by `owner` (an owner id) in `room`: a shared job belongs to whoever asked first.
        """
        key = job_key(config, kind, params)
        with self.lock:
            job = self.jobs.get(key)
            if job is not None and (job.active or job.status in REUSABLE):
                return job
            stored = self._from_store(config, kind) if kind in FROM_STORE else None
            if stored is not None:
                return stored
            self.limits.check(config)
            job = Job(uuid.uuid4().hex[:12], config, kind, dict(params or {}), owner=owner, room=room)
            self._add(job)
            self.pending.append(job)
            self.on_queued()
            self._forget_old()
            return job

    def view(self, key: str) -> JobView | None:
        with self.lock:
            job = self.jobs.get(key)
            if job is None:
                return None
            return JobView.of(job, next((i + 1 for i, j in enumerate(self.pending) if j is job), 0))

    def get(self, key: str) -> Job | None:
        return self.jobs.get(key)

    def start(self, job: Job, worker_pid: int | None) -> None:
        """The job has left the queue for a worker."""
        if job in self.pending:
            self.pending.remove(job)
        job.status, job.started_at, job.worker_pid = Status.RUNNING, time.time(), worker_pid

    def finish(self, job: Job, status: Status, message: Message | str = "") -> None:
        if job in self.pending:
            self.pending.remove(job)
        job.status, job.finished_at = status, time.time()
        if message:
            job.message = message
        job.done.set()

    def handle(self, event: tuple[Any, ...]) -> None:
        """Apply what a worker reported: ("epoch", id, row, steps), ("done", id, output) or ("failed", id, why)."""
        kind, job_id, *payload = event
        job = self.by_id.get(job_id)
        if job is None or not job.active:
            return
        if kind == "epoch":
            row, steps = payload
            job.rows.append(row)
            job.step_losses.extend(steps)
            self.save_progress(job)
        elif kind == "done" and job.kind in TRAININGS:
            job.result = RunResult.from_dict(payload[0])
            job.rows, job.step_losses = job.result.rows, job.result.step_losses
            self.save(job)
            self.finish(job, job.result.status, job.result.message)
        elif kind == "done":
            job.output = payload[0]
            self.finish(job, Status.STOPPED if job.cancel_requested else Status.COMPLETED)
        elif kind == "failed":
            self.end_with_reported(job, Status.FAILED, payload[0])

    def end_with_reported(self, job: Job, status: Status, message: Message | str) -> None:
        """End a training that has no result of its own (stopped from outside its worker, its worker
        died, it raised, the server is closing), saving the epochs it reported under `status`."""
        if job.kind in TRAININGS and job.rows and job.result is None:
            job.result = self._so_far(job, status, message)
            self.save(job)
            message = job.result.message  # says so if it could not be saved
        self.finish(job, status, message)

    def interrupt_active(self) -> None:
        """The server is closing: every queued or running job ends, a training as "interrupted" with its epochs."""
        for job in self.active():
            self.end_with_reported(job, Status.INTERRUPTED, Message(
                "jobs.closed", "The server closed while this run was queued or training. Train again to run it."))

    def save_progress(self, job: Job, now: float | None = None) -> None:
        """Write a running training's epochs that are not in the store yet, if SAVE_EVERY has passed
        since the last write (the first epoch is written at once). A failed write is remembered and the
        run kept in memory; its end tries once more and says if it could not be saved."""
        if self.store is None or job.kind not in TRAININGS or job.save_error or len(job.rows) == job.saved_rows:
            return
        now = time.monotonic() if now is None else now
        if now - job.saved_at < SAVE_EVERY:
            return
        job.saved_at = now
        so_far = self._so_far(job, Status.RUNNING, "")
        try:
            if job.run_id is None:
                job.run_id = self.store.begin(so_far, owner=job.owner, room=job.room)
            else:
                self.store.append(job.run_id, so_far, job.saved_rows, job.saved_steps)
            job.saved_rows, job.saved_steps = len(job.rows), len(job.step_losses)
        except Exception as exc:  # a full disk: the training goes on, in memory
            job.save_error = str(exc)

    def save_due(self) -> None:
        """Write what every running training reported since its last write, where SAVE_EVERY has passed
        (an executor's listener calls this a few times a second)."""
        for job in self.active():
            self.save_progress(job)

    def save(self, job: Job) -> None:
        """Save an ended training: complete the run saved while it trained, else save it whole."""
        if self.store is None or job.result is None:
            return
        try:
            if job.run_id is not None and job.save_error is None:
                self.store.complete(job.run_id, job.result, job.owner, job.room)
            else:
                job.run_id = self.store.save(job.result, owner=job.owner, room=job.room)
        except Exception as exc:  # a full disk must not stop the server from serving the run
            job.run_id = None  # what was saved while it trained stays "running" until this server is gone
            if job.result.message:
                job.result.message = Message("jobs.not_saved", "{message} (This run could not be saved: {error})",
                                             message=job.result.message, error=str(exc))
            else:
                job.result.message = Message("jobs.not_saved_alone", "This run could not be saved: {error}",
                                             error=str(exc))

    def active(self) -> list[Job]:
        return [j for j in self.jobs.values() if j.active]

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _so_far(job: Job, status: Status, message: Message | str) -> RunResult:
        """The training as its reported epochs stand. They are whole epochs (a worker reports an epoch
        when it ends), so every one of them counts for the best epoch; the device is not known here."""
        return RunResult(config=job.config, status=status, rows=list(job.rows), step_losses=list(job.step_losses),
                         device="unknown", wall_time=job.rows[-1]["time_s"],
                         best_epoch=best_epoch(job.rows, Status.COMPLETED, job.config), message=message)

    def _add(self, job: Job) -> None:
        self.jobs[job.key] = job
        self.by_id[job.id] = job

    def _from_store(self, config: TrainConfig, kind: str = "train") -> Job | None:
        """A finished job made from the store's run of this config (or a longer one's first epochs).

        A sharpness request needs a run whose sharpness was measured at its own final weights,
        so a run without one, or a longer run's first epochs, does not answer it."""
        if self.store is None:
            return None
        if kind == "sharpness":
            stored = self.store.find(config, with_sharpness=True)
        else:
            stored = self.store.find(config) or self.store.find_prefix(config)
        if stored is None:
            return None
        result = dataclasses.replace(stored.result, config=config)
        job = Job(uuid.uuid4().hex[:12], config, kind, status=result.status, rows=result.rows,
                  step_losses=result.step_losses, result=result, message=result.message,
                  finished_at=time.time(), run_id=stored.id)
        job.done.set()
        self._add(job)
        return job

    def _forget_old(self) -> None:
        """Keep at most `keep_finished` ended jobs in memory, dropping the oldest first."""
        ended = [j for j in self.jobs.values() if not j.active]
        for job in sorted(ended, key=lambda j: j.finished_at or 0)[:max(0, len(ended) - self.keep_finished)]:
            del self.jobs[job.key]
            self.by_id.pop(job.id, None)


class AnsweredFromTheBook:
    """The part of the Executor protocol an executor answers from its JobBook alone: the caps, a
    new or shared job, a job's view and the queue. Each executor has a `book`; how its jobs run is its own."""

    book: JobBook

    @property
    def limits(self) -> Limits:
        return self.book.limits

    def submit(self, config: TrainConfig, kind: str = "train", params: dict[str, Any] | None = None,
               owner: str | None = None, room: str | None = None) -> Job:
        """The job for this task (JobBook.submit); the executor starts a new one when it can."""
        return self.book.submit(config, kind, params, owner, room)

    def view(self, key: str) -> JobView | None:
        return self.book.view(key)

    @property
    def queued(self) -> int:
        with self.book.lock:
            return len(self.book.pending)
