"""The local executor: server-wide jobs run in a warm pool of worker processes.

Why processes: trainings in threads of the Streamlit server made every page run 4.2×
slower here (the GIL and torch's thread pool fight the script threads); two training
processes cost 1.45×. So the server only keeps the books (a JobBook) and the workers train.

- Workers are started with "spawn" (safe with torch, unlike fork), once, and reused.
- Each worker slot has one shared-memory cancel flag, read before every batch, so Stop
  ends a training within one batch without any message round trip.
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
import multiprocessing as mp
import os
import queue
import sys
import threading
import types
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from core import settings
from core.jobs.book import AnsweredFromTheBook, JobBook
from core.jobs.job import STOPPED_BEFORE_START, Job
from core.jobs.tasks import TASKS
from core.messages import Message, reason
from core.runs.store import RunStore
from core.training.config import TrainConfig
from core.training.limits import Limits
from core.training.record import HistoryRow, Status, epochs_in

_spawn_lock = threading.Lock()


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

    def should_stop() -> bool:
        return cancel_flags[slot] != 0 or os.getppid() != server  # Stop pressed, or the server is gone

    while True:
        try:
            task = tasks.recv()  # the pipe closes when the server dies: an idle worker ends here
        except (EOFError, OSError):
            return
        if task is None:
            return
        job_id, kind, config_dict, params = task

        def report(row: HistoryRow, steps: list[float], job_id: str = job_id) -> None:
            events.put(("epoch", job_id, row, steps))

        try:
            output = TASKS[kind](TrainConfig.from_dict(config_dict), params, report, should_stop)
            event: tuple[Any, ...] = ("done", job_id, output)
        except Exception as exc:  # reported to the user as the job's message
            event = ("failed", job_id, reason(exc))
        if os.getppid() != server:
            os._exit(0)  # nobody to report to; exiting normally would wait on the queue's unread data
        events.put(event)


@dataclass
class _Slot:
    process: mp.process.BaseProcess
    tasks: Connection  # the sending end of this worker's task pipe
    job: Job | None = None

    @property
    def idle(self) -> bool:
        return (self.job is None or not self.job.active) and self.process.is_alive()


class LocalExecutor(AnsweredFromTheBook):
    """A fixed number of worker processes training jobs, shared by every session of the server."""

    def __init__(self, workers: int | None = None, threads_per_worker: int | None = None,
                 keep_finished: int = 256, store: RunStore | None = None, limits: Limits | None = None,
                 worker_nice: int | None = None) -> None:
        cores = os.cpu_count() or 1
        self.workers = workers or settings.workers()
        self.threads_per_worker = threads_per_worker or max(1, cores // self.workers)
        # Trainings run below the web server's priority (their niceness raised by worker_nice), so
        # pages stay quick while every core trains; they lose nothing when the server is idle.
        self.worker_nice = settings.worker_nice() if worker_nice is None else worker_nice
        self.book = JobBook(self._dispatch, store, limits, keep_finished)
        self.trainings_started = 0  # how many tasks the workers were given, ever
        self._closed = False
        self._ctx = mp.get_context("spawn")
        self._events = self._ctx.Queue()
        self._cancel = self._ctx.RawArray("b", self.workers)
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
            slot = next(i for i, s in enumerate(self._slots) if s.job is job)
            job.cancel_requested = True
            self._cancel[slot] = 1

    @property
    def running(self) -> int:
        with self.book.lock:
            return sum(s.job is not None and s.job.active for s in self._slots)

    def close(self) -> None:
        with self.book.lock:
            if self._closed:
                return
            self._closed = True
            self.book.interrupt_active()
            for slot in self._slots:
                with contextlib.suppress(OSError):
                    slot.tasks.send(None)
        for slot in self._slots:
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
        """Hand queued jobs to idle workers (under the book's lock)."""
        for index, slot in enumerate(self._slots):
            if not self.book.pending:
                return
            if slot.idle:
                job = self.book.pending[0]
                self._cancel[index] = 0
                slot.job = job
                self.book.start(job, slot.process.pid)
                self.trainings_started += 1
                slot.tasks.send((job.id, job.kind, job.config.to_dict(), job.params))

    def _listen(self) -> None:
        while not self._closed:
            try:
                event = self._events.get(timeout=0.25)
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
            if slot.job is not None and slot.job.active:
                self.book.end_with_reported(slot.job, Status.FAILED, Message(
                    "jobs.worker_died", "The worker process training this run died (exit code {code}); the {epochs} "
                    "epochs it reported are kept. Train again to retry.",
                    code=slot.process.exitcode, epochs=epochs_in(slot.job.rows)))
            self._slots[index] = self._start_worker(index)
