"""Training jobs on a Ray cluster, behind the same surface as the local worker pool.

Chosen by configuration (`core.jobs.executor_from_env`): BATCHLAB_BACKEND=ray runs jobs
on the Ray cluster at BATCHLAB_RAY_ADDRESS (`auto`, `host:port`, `ray://host:port`), or on
a local Ray instance when that is unset. The pages only see the Executor protocol
(`submit`, `view`, `cancel`, `workers`, ...), so they never know which runs.

- One Ray Core task per run (num_cpus=1, one torch thread) runs the app's own task
  (`core.jobs.tasks.TASKS`: the engine, range test, noise scale, sharpness), or one task per
  group of queued trainings that can train as one vectorised model (core/jobs/grouping.py
  decides, as for the local pool); each run of a group still reports its own epochs and result.
- Tasks report to one small progress actor (the "board"): a "started" note and every
  epoch, fire-and-forget. A pump thread here drains the board at least five times a
  second and collects each task as it ends, into the same `Job` objects the local pool
  keeps; the bookkeeping (sharing a config's job, answering from the store, saving
  ended runs, the server's limits) is the executor's JobBook, as locally. Ray gets at most one
  run per cluster CPU at a time; the rest wait here, in order, as in the local pool.
- Stop is cooperative first (the task asks the board at most every 0.2 s through
  `should_stop`), then `ray.cancel` after `stop_grace_s`, then a forced cancel. A group's task
  is cancelled only when every run still training in it was asked to stop.
- No retries (max_retries=0): a crashed worker or a lost node fails the run with a
  message, keeping the epochs it reported; the user trains it again.
- Ray is optional (requirements-ray.txt) and imported only here, lazily; when it is
  missing or the cluster does not answer within seconds, `BackendUnavailable` says so.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import functools
import os
import queue
import socket
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from core import settings
from core.jobs.book import AnsweredFromTheBook, JobBook
from core.jobs.grouping import next_group
from core.jobs.job import STOPPED_BEFORE_START, Job
from core.jobs.tasks import TASKS, train_group_task
from core.messages import Message, MessageError, reason
from core.runs.store import RunStore
from core.training.config import TrainConfig
from core.training.limits import Limits
from core.training.record import Status, epochs_in

APP_ROOT = str(settings.APP_ROOT)
CORE_DIR = os.path.join(APP_ROOT, "core")
POLL_S = 0.2  # how often the pump looks for progress and results, and a task for Stop
GROUP = "group"  # the kind of a task that trains a group of runs


class BackendUnavailable(MessageError, RuntimeError):
    """The configured backend cannot run jobs; the message says why and what to do."""


# --------------------------------------------------------------------------- connecting

_init_lock = threading.Lock()
_init_requests: queue.Queue = queue.Queue()
_init_thread: threading.Thread | None = None


def _init_loop() -> None:
    while True:
        fn, future = _init_requests.get()
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the caller waiting on the future
                future.set_exception(exc)


def _on_init_thread(fn: Callable[[], Any], timeout_s: float) -> Any:
    """Run `fn` on one daemon thread that lives as long as the process.

    Why: Ray starts a local instance's processes with PR_SET_PDEATHSIG, which Linux fires
    when the *thread* that started them exits. Streamlit runs every script run on a thread
    that exits afterwards, so a ray.init there kills the instance and every later Ray call
    hangs. On a thread that never exits, the instance lives as long as the server.
    """
    global _init_thread
    if _init_thread is None:
        _init_thread = threading.Thread(target=_init_loop, name="batchlab-ray-init", daemon=True)
        _init_thread.start()
    future: concurrent.futures.Future = concurrent.futures.Future()
    _init_requests.put((fn, future))
    return future.result(timeout_s)


def _import_ray() -> ModuleType:
    try:
        import ray
    except ImportError:
        raise BackendUnavailable(Message("ray.missing", "Ray is not installed: pip install -r "
                                                        "requirements-ray.txt")) from None
    return ray


def _is_local(address: str | None) -> bool:
    """Whether `address` asks for a local Ray instance (None, "" and "local" do)."""
    return address in (None, "", "local")


def _check_reachable(address: str, timeout_s: float) -> None:
    """Fail in seconds when nothing listens at host:port: ray.init would retry for minutes."""
    if address == "auto":
        return  # Ray finds the cluster itself, or says at once that there is none
    hostport = address.removeprefix("ray://")
    host, _, port = hostport.rpartition(":")
    if not host:
        host, port = hostport, "10001" if address.startswith("ray://") else "6379"
    try:
        socket.create_connection((host, int(port)), timeout=timeout_s).close()
    except (OSError, ValueError) as exc:
        raise BackendUnavailable(Message("ray.no_answer", "No Ray cluster answers at {address} ({error}). Start it, "
                                         "or fix BATCHLAB_RAY_ADDRESS.", address=address, error=str(exc))) from None


def connect(address: str | None = None, num_cpus: int | None = None, object_store_mb: int = 128,
            timeout_s: float = 30.0) -> None:
    """Make this process a Ray driver, once: of the cluster at `address`, or of a local instance.

    A local instance gets `num_cpus` CPUs, no dashboard and a bounded object store, and runs
    the app's code from this folder (see `_task_entry`). On a cluster, the `core` package is
    shipped with the job (runtime_env py_modules); the nodes need the app's requirements
    installed, and read their datasets from their own BATCHLAB_DATA_DIR.
    """
    ray = _import_ray()
    with _init_lock:  # concurrent ray.init calls are not safe
        if ray.is_initialized():
            return
        common: dict[str, Any] = {"namespace": "batchlab", "log_to_driver": False}
        if address is None or _is_local(address):
            # Ray runs its workers at nice 15 by default; they run at the local pool's nice instead
            # (bench/bench_ray.py compares the two). Set RAY_worker_niceness beforehand to choose otherwise.
            os.environ.setdefault("RAY_worker_niceness", str(settings.worker_nice()))
            start = functools.partial(
                ray.init, "local", num_cpus=num_cpus or settings.workers(),
                include_dashboard=False, object_store_memory=object_store_mb * 2**20, **common)
            where = Message("ray.local", "a local Ray instance")
        else:
            _check_reachable(address, min(timeout_s, 5.0))
            start = functools.partial(ray.init, address, runtime_env={"py_modules": [CORE_DIR]}, **common)
            where = Message("ray.cluster", "the Ray cluster at {address}", address=address)
        try:
            _on_init_thread(start, timeout_s)
        except concurrent.futures.TimeoutError:
            raise BackendUnavailable(Message("ray.timeout", "Could not reach {where} within {seconds:g} s.",
                                             where=where, seconds=timeout_s)) from None
        except Exception as exc:
            raise BackendUnavailable(Message("ray.start_failed", "Could not start or reach {where}: {reason}",
                                             where=where, reason=_with_root_cause(exc))) from exc


def _with_root_cause(exc: BaseException) -> str:
    """The error and its root cause, which says what to fix (e.g. a missing auth token)."""
    root = exc
    while root.__cause__ is not None:
        root = root.__cause__
    if root is exc:
        return str(exc)
    last_line = ([line for line in str(root).splitlines() if line.strip()] or [type(root).__name__])[-1]
    return f"{exc} ({last_line.strip()[:400]})"


# --------------------------------------------------------------------------- inside Ray

@functools.cache
def _board_class() -> type:
    """The progress board's class, defined here so it is pickled by value: the actor then
    starts without importing torch and the app (about 2 s and 200 MB less)."""

    class ProgressBoard:
        """Notes from running tasks, drained by the driver; and the runs asked to stop."""

        def __init__(self) -> None:
            self.events: list[tuple] = []
            self.stop: set[str] = set()

        def started(self, job_id: str, pid: int) -> None:
            self.events.append(("started", job_id, pid))

        def epoch(self, job_id: str, row: dict, steps: list) -> None:
            self.events.append(("epoch", job_id, row, steps))

        def ended(self, job_id: str, output: dict) -> None:  # a run of a group, while the others train on
            self.events.append(("done", job_id, output))

        def drain(self) -> list[tuple]:
            events, self.events = self.events, []
            return events

        def request_stop(self, job_id: str) -> None:
            self.stop.add(job_id)

        def should_stop(self, job_id: str) -> bool:
            return job_id in self.stop

        def stopping(self, job_ids: list[str]) -> list[bool]:
            return [job_id in self.stop for job_id in job_ids]

        def forget(self, job_id: str) -> None:
            self.stop.discard(job_id)

    return ProgressBoard


class _StopPoll:
    """`should_stop` for a task: the engine asks before every batch, the board is asked at
    most every `every_s`, so Stop costs one small round trip per 0.2 s, not one per batch."""

    def __init__(self, board: Any, job_id: str, every_s: float = POLL_S) -> None:
        self.board, self.job_id, self.every_s = board, job_id, every_s
        self.stopped, self.next_at = False, 0.0

    def __call__(self) -> bool:
        now = time.monotonic()
        if not self.stopped and now >= self.next_at:
            import ray

            self.stopped = ray.get(self.board.should_stop.remote(self.job_id), timeout=60)
            self.next_at = now + self.every_s
        return self.stopped


class _GroupStopPoll:
    """`should_stop(index)` for a group's task: one question to the board for all its runs, at most
    every `every_s`, however many runs ask before each batch."""

    def __init__(self, board: Any, job_ids: list[str], every_s: float = POLL_S) -> None:
        self.board, self.job_ids, self.every_s = board, job_ids, every_s
        self.stopped, self.next_at = [False] * len(job_ids), 0.0

    def __call__(self, index: int) -> bool:
        now = time.monotonic()
        if now >= self.next_at:
            import ray

            self.stopped = ray.get(self.board.stopping.remote(self.job_ids), timeout=60)
            self.next_at = now + self.every_s
        return self.stopped[index]


@functools.cache
def _task_entry(repo_root: str) -> Callable[..., tuple[str, Any]]:
    """The function Ray runs for a job, defined here so it is pickled by value: it finds the
    app's code in this folder when the worker has no other copy (a local instance started from
    any working directory), without shipping it. On a cluster the copy shipped with the job
    comes first on the path."""

    def run_batchlab_job(*args: Any) -> tuple[str, Any]:
        import sys

        if repo_root not in sys.path:
            sys.path.append(repo_root)
        from core.jobs.ray import _run_task

        return _run_task(*args)

    return run_batchlab_job


def _run_task(job_id: Any, kind: str, config: Any, params: dict[str, Any], board: Any,
              poll_s: float) -> tuple[str, Any]:
    """One job in a Ray worker, as `core.jobs.local._worker_main` runs it in a local worker; or, for
    kind GROUP, a group's (job_id and config are then lists) as `_run_group`."""
    import torch

    torch.set_num_threads(1)  # num_cpus=1 reserves a core; a reused worker keeps its old thread count
    if kind == GROUP:
        return _run_group(job_id, config, board, poll_s)
    board.started.remote(job_id, os.getpid())
    try:
        output = TASKS[kind](TrainConfig.from_dict(config), params,
                             lambda row, steps: board.epoch.remote(job_id, row, steps),
                             _StopPoll(board, job_id, poll_s))
        return "done", output
    except Exception as exc:  # the job's message; Ray's cancel (KeyboardInterrupt) passes through
        return "failed", reason(exc)


def _run_group(job_ids: list[str], configs: list[dict[str, Any]], board: Any, poll_s: float) -> tuple[str, Any]:
    """A group's runs trained as one model: each run's epochs and, as it ends, its result go to the
    board; the task returns every run's end as (job id, "done" or "failed", payload)."""
    for job_id in job_ids:
        board.started.remote(job_id, os.getpid())
    outcomes: dict[int, tuple[str, str, Any]] = {}

    def finished(index: int, result: dict[str, Any]) -> None:
        outcomes[index] = (job_ids[index], "done", result)
        board.ended.remote(job_ids[index], result)

    try:
        train_group_task([TrainConfig.from_dict(c) for c in configs],
                         lambda index, row, steps: board.epoch.remote(job_ids[index], row, steps),
                         _GroupStopPoll(board, job_ids, poll_s), finished)
    except Exception as exc:  # the runs that had not ended fail with why
        for index, job_id in enumerate(job_ids):
            outcomes.setdefault(index, (job_id, "failed", reason(exc)))
    return GROUP, [outcomes[index] for index in sorted(outcomes)]


# --------------------------------------------------------------------------- the executor

class RayExecutor(AnsweredFromTheBook):
    """Jobs as Ray tasks, with the same JobBook as the local pool (views, store, limits).

    The book's `pending` holds the jobs that have not started yet (handed to Ray or not), so
    queue positions read as in the local pool.
    """

    def __init__(self, address: str | None = None, store: RunStore | None = None, *,
                 num_cpus: int | None = None, object_store_mb: int = 128, connect_timeout_s: float = 30.0,
                 stop_grace_s: float = 3.0, stop_poll_s: float = POLL_S, keep_finished: int = 256,
                 limits: Limits | None = None, grouping: bool | None = None) -> None:
        connect(address, num_cpus, object_store_mb, connect_timeout_s)
        import ray

        self._ray = ray
        self.book = JobBook(self._wake_pump, store, limits, keep_finished)
        self.grouping = settings.grouping() if grouping is None else grouping  # train queued runs as groups
        self.trainings_started = 0  # how many jobs were handed to Ray, ever (a group's each count)
        self.groups_started = 0  # how many Ray tasks trained a group
        self._closed = False
        self.stop_grace_s = stop_grace_s  # after this, Ray cancels a run that did not stop by itself
        self.stop_poll_s = stop_poll_s  # how often a running task asks whether to stop
        # A runtime_env of the runs' own gives them workers of their own, which Ray keeps and
        # reuses warm (torch imported, data loaded); without one it also hands runs to its
        # prestarted cold workers, which made a grid 2-3x slower here (bench/bench_ray.py).
        self._task = ray.remote(_task_entry(APP_ROOT)).options(
            num_cpus=1, max_retries=0, runtime_env={"env_vars": {"OMP_NUM_THREADS": "1"}})
        self._refs: dict[str, Any] = {}  # task id (a job's id, or a group's first) -> its result, until collected
        self._members: dict[str, list[str]] = {}  # task id -> the ids of the jobs it trains
        self._task_of: dict[str, str] = {}  # job id -> its task's id
        self._stopping: dict[str, tuple[float, int]] = {}  # job id -> (Stop pressed at, steps taken)
        self._board = self._new_board(connect_timeout_s)
        self._workers, self._workers_at = self._count_cpus(), time.monotonic()
        self._wake = threading.Event()
        self._pump_thread = threading.Thread(target=self._pump, name="batchlab-ray-pump", daemon=True)
        self._pump_thread.start()
        atexit.register(self.close)

    # ------------------------------------------------------------------ the Executor protocol (and the book's part)

    @property
    def workers(self) -> int:
        """The cluster's CPUs: how many runs train at once."""
        return self._workers

    @property
    def running(self) -> int:
        with self.book.lock:
            return sum(j.status == Status.RUNNING for j in self.book.jobs.values())

    def cancel(self, key: str) -> None:
        """Stop the job: a queued one never starts; a running one is asked, then cancelled, then killed."""
        with self.book.lock:
            job = self.book.get(key)
            if job is None or not job.active:
                return
            job.cancel_requested = True
            self._stopping[job.id] = (time.monotonic(), 0)
            if job.status == Status.QUEUED:
                self.book.finish(job, Status.STOPPED, STOPPED_BEFORE_START)
        self._wake.set()

    def close(self) -> None:
        """Stop hearing from Ray, cancel every task of this executor and end its jobs.
        The Ray instance is left running: it is shared by the process."""
        with self.book.lock:
            if self._closed:
                return
            self._closed = True
            refs = list(self._refs.values())
            for job in self.book.active():
                self.book.end_with_reported(job, Status.INTERRUPTED, Message("ray.closed",
                                                                           "The Ray executor was closed."))
        self._wake.set()
        self._pump_thread.join(timeout=5)
        for ref in refs:
            self._try(self._ray.cancel, ref, force=True)
        self._try(self._ray.kill, self._board)

    # ------------------------------------------------------------------ internals

    def _wake_pump(self) -> None:
        self._wake.set()  # called by submit under the lock: the pump hands the job to Ray

    def _new_board(self, timeout_s: float = 30.0) -> Any:
        board: Any = self._ray.remote(_board_class()).options(num_cpus=0, max_restarts=0).remote()
        try:
            self._ray.get(board.drain.remote(), timeout=timeout_s)  # started and answering
        except Exception as exc:
            raise BackendUnavailable(Message("ray.actor", "Ray could not start Batch Lab's progress actor: {error}",
                                             error=str(exc))) from exc
        return board

    def _count_cpus(self) -> int:
        return max(1, int(self._ray.cluster_resources().get("CPU", 1)))

    def _pump(self) -> None:
        while not self._closed:
            try:
                self._idle()
                if self._closed:
                    return
                self._cycle()
            except Exception as exc:  # the cluster or the board is gone: fail the runs, never hang
                self._lose_all(Message("ray.lost", "Lost contact with Ray ({error}).",
                                       error=f"{type(exc).__name__}: {exc}"))

    def _idle(self) -> None:
        """Wait until a task ends, a job is submitted or cancelled, or POLL_S has passed."""
        with self.book.lock:
            refs = list(self._refs.values())
        if not self._wake.is_set():
            if refs:
                self._ray.wait(refs, num_returns=1, timeout=POLL_S)
            else:
                self._wake.wait(POLL_S)
        self._wake.clear()

    def _cycle(self) -> None:
        ray = self._ray
        events = ray.get(self._board.drain.remote(), timeout=30)
        with self.book.lock:
            for event in events:
                self._on_event(event)
            refs = list(self._refs.values())
            ready = ray.wait(refs, num_returns=len(refs), timeout=0)[0] if refs else []
            by_ref = {ref: task_id for task_id, ref in self._refs.items()}
            for ref in ready:
                task_id = by_ref[ref]
                del self._refs[task_id]
                jobs = []
                for job_id in self._members.pop(task_id):
                    del self._task_of[job_id]
                    self._stopping.pop(job_id, None)
                    self._board.forget.remote(job_id)
                    job = self.book.by_id.get(job_id)
                    if job is not None and job.active:
                        jobs.append(job)
                if jobs:
                    self._collect(jobs, ref)
            self._hand_over()  # after collecting, so a freed CPU gets its next run at once
            self._escalate_stops()
            self.book.save_due()
        if time.monotonic() - self._workers_at > 5:
            self._workers, self._workers_at = self._count_cpus(), time.monotonic()

    def _hand_over(self) -> None:
        """Give Ray the next jobs, alone or as groups (grouping.next_group), at most one task per cluster
        CPU at a time. A training that could group may wait a moment for more of its group.

        Why not all at once: with a backlog Ray starts extra, cold workers (torch not yet
        imported, no data loaded) and ends idle warm ones, which made a grid 2x slower here.
        """
        waiting = [j for j in self.book.pending if j.id not in self._task_of]
        while waiting and len(self._refs) < self._workers:
            jobs = next_group(waiting, self._workers - len(self._refs), time.time(), self.grouping)
            if jobs is None:
                return
            task_id = jobs[0].id
            if len(jobs) == 1:
                job = jobs[0]
                ref = self._task.remote(job.id, job.kind, job.config.to_dict(), job.params, self._board,
                                        self.stop_poll_s)
            else:
                ref = self._task.remote([j.id for j in jobs], GROUP, [j.config.to_dict() for j in jobs], {},
                                        self._board, self.stop_poll_s)
                self.groups_started += 1
            self._refs[task_id], self._members[task_id] = ref, [j.id for j in jobs]
            self._task_of.update((j.id, task_id) for j in jobs)
            self.trainings_started += len(jobs)
            waiting = [j for j in waiting if j.id not in self._task_of]

    def _on_event(self, event: tuple[Any, ...]) -> None:
        if event[0] != "started":
            self.book.handle(event)
            return
        _, job_id, pid = event
        job = self.book.by_id.get(job_id)
        if job is not None and job.status == Status.QUEUED:
            self.book.start(job, pid)

    def _collect(self, jobs: list[Job], ref: Any) -> None:
        """End the jobs (one, or a group's still active) as their task ended: done, stopped by force, or
        failed with why."""
        try:
            tag, payload = self._ray.get(ref, timeout=30)
        except Exception as exc:
            for job in jobs:
                self._lost(job, exc)
            return
        ends = payload if tag == GROUP else [(jobs[0].id, tag, payload)]
        for job_id, end, output in ends:
            self.book.handle((end, job_id, output))  # "done" or "failed", as from a local worker

    def _lost(self, job: Job, exc: Exception) -> None:
        """End a job whose task raised instead of returning: stopped by force, or failed with why."""
        ex = self._ray.exceptions
        epochs = epochs_in(job.rows)
        if isinstance(exc, ex.TaskCancelledError | ex.WorkerCrashedError) and job.cancel_requested:
            # a forced cancel shows up as either (research §1)
            self.book.end_with_reported(job, Status.STOPPED, Message(
                "ray.forced_stop", "Stopped: it did not stop by itself within {seconds:g} s, so Ray ended it; "
                "the {epochs} epochs it reported are kept.", seconds=self.stop_grace_s, epochs=epochs))
        elif isinstance(exc, ex.TaskCancelledError):
            self.book.end_with_reported(job, Status.FAILED, Message(
                "ray.cancelled_outside", "The Ray worker training this run was cancelled outside Batch Lab; the "
                "{epochs} epochs it reported are kept. Train again to retry.", epochs=epochs))
        elif isinstance(exc, ex.WorkerCrashedError):
            self.book.end_with_reported(job, Status.FAILED, Message(
                "ray.worker_died", "The Ray worker training this run died; the {epochs} epochs it reported are "
                "kept. Train again to retry.", epochs=epochs))
        elif isinstance(exc, ex.NodeDiedError):
            self.book.end_with_reported(job, Status.FAILED, Message(
                "ray.node_lost", "The Ray node training this run was lost; the {epochs} epochs it reported are kept. "
                "Train again to retry.", epochs=epochs))
        else:
            self.book.end_with_reported(job, Status.FAILED, Message(
                "ray.job_failed", "Ray could not run this job ({error}); the {epochs} epochs it reported are kept.",
                error=f"{type(exc).__name__}: {exc}", epochs=epochs))

    def _escalate_stops(self) -> None:
        """Ask the task to stop; after stop_grace_s cancel it; after twice that, kill its worker. A group's
        task is cancelled only when every run of it still active was asked to stop: the others train on."""
        now = time.monotonic()
        for job_id, (since, steps) in list(self._stopping.items()):
            task_id = self._task_of.get(job_id)
            if task_id is None:  # never handed to Ray, or already collected
                del self._stopping[job_id]
                continue
            ref = self._refs[task_id]
            members = [self.book.by_id.get(member) for member in self._members[task_id]]
            whole_task = all(m is None or not m.active or m.id in self._stopping for m in members)
            if steps == 0:
                self._board.request_stop.remote(job_id)
                if all(m is None or not m.active for m in members):  # cancelled while queued: must not start
                    self._ray.cancel(ref)
            elif whole_task and now - since >= steps * self.stop_grace_s:
                self._ray.cancel(ref, force=steps >= 2)
            else:
                continue
            self._stopping[job_id] = (since, steps + 1)

    def _lose_all(self, why: Message) -> None:
        """Fail every active job with `why` and start afresh with a new board."""
        with self.book.lock:
            for job in self.book.active():
                self.book.end_with_reported(job, Status.FAILED, Message(
                    "ray.lost_job", "{why} The {epochs} epochs it reported are kept; train again to retry, or use "
                    "the local workers.", why=why, epochs=epochs_in(job.rows)))
            refs, self._refs, self._stopping = list(self._refs.values()), {}, {}
            self._members, self._task_of = {}, {}
        for ref in refs:
            self._try(self._ray.cancel, ref, force=True)
        self._try(self._ray.kill, self._board)
        try:
            self._board = self._new_board(10)
        except BackendUnavailable:
            time.sleep(1)  # and try again on the next cycle's failure

    @staticmethod
    def _try(fn: Callable[..., object], *args: Any, **kwargs: Any) -> None:
        with contextlib.suppress(Exception):  # best effort while closing or recovering
            fn(*args, **kwargs)
