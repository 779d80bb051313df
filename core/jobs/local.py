"""The local executor: server-wide jobs run in a warm pool of worker processes.

Why processes: trainings in threads of the Streamlit server made every page run 4.2×
slower here (the GIL and torch's thread pool fight the script threads); two training
processes cost 1.45×. So the server only keeps the books (a JobBook) and the workers train.

- Workers are started with "spawn" (safe with torch, unlike fork), once, and reused.
- Each worker slot has shared-memory cancel flags, one per run it trains, read before every
  batch, so Stop ends a training within one batch without any message round trip.
- Queued trainings that can share a group (core/jobs/grouping.py decides, from the measured
  crossover) go to one worker together, which trains them as one vectorised model
  (core/training/grouped.py); each run still reports its own epochs, result and Stop.
- A listener thread in the server receives per-epoch progress and results over a
  queue, hands queued jobs to idle workers, and notices a worker that died: its job
  is saved as failed with a message, keeping the epochs that arrived, and the slot is
  given a fresh process.
- Workers end with their server: a worker checks before every batch that the process
  that started it is still its parent, and one whose server is gone (killed, crashed)
  stops within a batch and exits, so a restarted server starts on idle cores. (Not
  PR_SET_PDEATHSIG: it fires when the parent *thread* ends, and the pool is started
  from a Streamlit script thread that ends after every rerun.)
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import multiprocessing as mp
import os
import queue
import sys
import threading
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from core import settings
from core.jobs.book import AnsweredFromTheBook, JobBook
from core.jobs.grouping import MAX_GROUP, QUIET_S, next_group
from core.jobs.job import STOPPED_BEFORE_START, Job
from core.jobs.tasks import TASKS, train_group_task
from core.messages import Message, reason
from core.runs.store import RunStore
from core.training.config import TrainConfig
from core.training.limits import Limits
from core.training.record import HistoryRow, Status, epochs_in

_spawn_lock = threading.Lock()
SLOT_RUNS = max(MAX_GROUP.values())  # cancel flags per worker: one per run of the largest group
GROUP = "group"  # the task a worker is sent for a group of trainings


@contextlib.contextmanager
def _spawnable() -> Iterator[None]:
    """Make a spawned child import `core`, and nothing of the page that started it.

    A spawned child re-runs the parent's __main__ module, and while Streamlit runs a
    page script, __main__ *is* that page: the worker would run the page. So __main__
    is a bare module while the child starts.
    """
    with _spawn_lock:
        saved_main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if saved_main is not None:
                sys.modules["__main__"] = saved_main


def _worker_main(slot: int, tasks: Connection, events: Any, cancel_flags: Any, threads: int, nice: int = 0) -> None:
    """A worker process: run the tasks it is sent, report every epoch, until told to stop."""
    import torch

    if nice:
        with contextlib.suppress(OSError):  # a negative increment needs privileges: train at the server's priority
            os.nice(nice)
    torch.set_num_threads(threads)
    server = os.getppid()

    def should_stop(run: int = 0) -> bool:
        return cancel_flags[slot * SLOT_RUNS + run] != 0 or os.getppid() != server  # Stop, or the server is gone

    while True:
        try:
            task = tasks.recv()  # the pipe closes when the server dies: an idle worker ends here
        except (EOFError, OSError):
            return
        if task is None:
            return
        if task[0] == GROUP:
            outcome = _train_group(task[1], task[2], events, should_stop)
        else:
            job_id, kind, config, params = task
            outcome = _run_task(job_id, kind, config, params, events, should_stop)
        if os.getppid() != server:
            os._exit(0)  # nobody to report to; exiting normally would wait on the queue's unread data
        for event in outcome:
            events.put(event)


def _run_task(job_id: str, kind: str, config: dict[str, Any], params: dict[str, Any], events: Any,
              should_stop: Any) -> list[tuple[Any, ...]]:
    """One job: its epochs are reported as they end; its end is returned, to be reported."""

    def report(row: HistoryRow, steps: list[float]) -> None:
        events.put(("epoch", job_id, row, steps))

    try:
        return [("done", job_id, TASKS[kind](TrainConfig.from_dict(config), params, report, should_stop))]
    except Exception as exc:  # reported to the user as the job's message
        return [("failed", job_id, reason(exc))]


def _train_group(job_ids: list[str], configs: list[dict[str, Any]], events: Any,
                 should_stop: Any) -> list[tuple[Any, ...]]:
    """Trainings as one group: each run's epochs and result are reported as they come; what is
    returned fails the runs that had not ended when the group raised."""
    ended: set[int] = set()

    def finished(index: int, result: dict[str, Any]) -> None:
        ended.add(index)
        events.put(("done", job_ids[index], result))

    try:
        train_group_task([TrainConfig.from_dict(c) for c in configs],
                         lambda index, row, steps: events.put(("epoch", job_ids[index], row, steps)),
                         should_stop, finished)
        return []
    except Exception as exc:
        return [("failed", job_id, reason(exc)) for i, job_id in enumerate(job_ids) if i not in ended]


@dataclass
class _Slot:
    process: mp.process.BaseProcess
    tasks: Connection  # the sending end of this worker's task pipe
    jobs: list[Job] = dataclasses.field(default_factory=list)  # what it trains: one job, or a group's

    @property
    def active(self) -> list[Job]:
        return [job for job in self.jobs if job.active]

    @property
    def idle(self) -> bool:
        return not self.active and self.process.is_alive()


class LocalExecutor(AnsweredFromTheBook):
    """A fixed number of worker processes training jobs, shared by every session of the server."""

    def __init__(self, workers: int | None = None, threads_per_worker: int | None = None,
                 keep_finished: int = 256, store: RunStore | None = None, limits: Limits | None = None,
                 worker_nice: int | None = None, grouping: bool | None = None) -> None:
        cores = os.cpu_count() or 1
        self.workers = workers or settings.workers()
        self.threads_per_worker = threads_per_worker or max(1, cores // self.workers)
        # Trainings run below the web server's priority (their niceness raised by worker_nice), so
        # pages stay quick while every core trains; they lose nothing when the server is idle.
        self.worker_nice = settings.worker_nice() if worker_nice is None else worker_nice
        self.grouping = settings.grouping() if grouping is None else grouping  # train queued runs as groups
        self.book = JobBook(self._dispatch, store, limits, keep_finished)
        self.trainings_started = 0  # how many jobs the workers were given, ever (a group's each count)
        self.groups_started = 0  # how many of those were handed over as groups
        self._closed = False
        self._ctx = mp.get_context("spawn")
        self._events = self._ctx.Queue()
        self._cancel = self._ctx.RawArray("b", self.workers * SLOT_RUNS)
        self._slots = [self._start_worker(i) for i in range(self.workers)]
        self._listener = threading.Thread(target=self._listen, name="batchlab-jobs", daemon=True)
        self._listener.start()
        atexit.register(self.close)

    # ------------------------------------------------------------------ the Executor protocol (and the book's part)

    def cancel(self, key: str) -> None:
        """Stop the job: a queued one never starts, a running one ends within one batch."""
        with self.book.lock:
            job = self.book.get(key)
            if job is None or not job.active:
                return
            if job.status == Status.QUEUED:
                self.book.finish(job, Status.STOPPED, STOPPED_BEFORE_START)
                return
            slot, run = next((i, s.jobs.index(job)) for i, s in enumerate(self._slots) if job in s.jobs)
            job.cancel_requested = True
            self._cancel[slot * SLOT_RUNS + run] = 1

    @property
    def running(self) -> int:
        with self.book.lock:
            return sum(len(s.active) for s in self._slots)

    @property
    def worker_pids(self) -> list[int]:
        """The worker processes' ids (a benchmark reads their CPU time)."""
        return [slot.process.pid for slot in self._slots if slot.process.pid is not None]

    def close(self) -> None:
        with self.book.lock:
            if self._closed:
                return
            self._closed = True
            training = [bool(slot.active) for slot in self._slots]
            self.book.interrupt_active()
            for slot in self._slots:
                with contextlib.suppress(OSError):
                    slot.tasks.send(None)
        for slot, busy in zip(self._slots, training, strict=True):
            if not busy:  # nothing to finish: a worker still importing torch would take its time to read None
                slot.process.terminate()
            slot.process.join(timeout=2)
            if slot.process.is_alive():
                slot.process.terminate()
        self._listener.join(timeout=2)

    # ------------------------------------------------------------------ the workers

    def _start_worker(self, index: int) -> _Slot:
        receive, send = self._ctx.Pipe(duplex=False)
        process = self._ctx.Process(
            target=_worker_main, name=f"batchlab-worker-{index}", daemon=True,
            args=(index, receive, self._events, self._cancel, self.threads_per_worker, self.worker_nice))
        with _spawnable():
            process.start()
        receive.close()
        return _Slot(process, send)

    def _dispatch(self) -> None:
        """Hand queued jobs to idle workers, alone or as groups (under the book's lock). A training that
        could group may wait a moment for more of its group (grouping.next_group); the listener comes back."""
        idle = [index for index, slot in enumerate(self._slots) if slot.idle]
        for position, index in enumerate(idle):
            jobs = next_group(self.book.pending, len(idle) - position, time.time(), self.grouping)
            if jobs is None:
                return
            slot = self._slots[index]
            self._cancel[index * SLOT_RUNS:(index + 1) * SLOT_RUNS] = bytes(SLOT_RUNS)
            slot.jobs = jobs
            for job in jobs:
                self.book.start(job, slot.process.pid)
            self.trainings_started += len(jobs)
            if len(jobs) == 1:
                job = jobs[0]
                slot.tasks.send((job.id, job.kind, job.config.to_dict(), job.params))
            else:
                self.groups_started += 1
                slot.tasks.send((GROUP, [job.id for job in jobs], [job.config.to_dict() for job in jobs]))

    def _listen(self) -> None:
        while not self._closed:
            waiting = bool(self.book.pending) and any(slot.idle for slot in self._slots)  # a group forming
            try:
                event = self._events.get(timeout=QUIET_S / 2 if waiting else 0.25)
            except queue.Empty:
                event = None
            except (EOFError, OSError):
                return
            with self.book.lock:
                if event is not None:
                    self.book.handle(event)
                self._replace_dead_workers()
                self._dispatch()
                self.book.save_due()

    def _replace_dead_workers(self) -> None:
        if self._closed:
            return
        for index, slot in enumerate(self._slots):
            if slot.process.is_alive():
                continue
            for job in slot.active:
                self.book.end_with_reported(job, Status.FAILED, Message(
                    "jobs.worker_died", "The worker process training this run died (exit code {code}); the {epochs} "
                    "epochs it reported are kept. Train again to retry.",
                    code=slot.process.exitcode, epochs=epochs_in(job.rows)))
            self._slots[index] = self._start_worker(index)
