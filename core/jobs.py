"""Server-wide training jobs, run in a warm pool of worker processes.

Why processes: trainings in threads of the Streamlit server made every page run 4.2×
slower here (the GIL and torch's thread pool fight the script threads); two training
processes cost 1.45×. So the server only keeps the books and the workers train.

- A job is keyed by its config's key: asking again for a queued, running or finished
  config returns the same job (several sessions share one training and one result).
  A stopped or failed job is trained afresh when asked for again.
- Workers are started with "spawn" (safe with torch, unlike fork), once, and reused.
- Each worker slot has one shared-memory cancel flag, read before every batch, so Stop
  ends a training within one batch without any message round trip.
- A listener thread in the server receives per-epoch progress and results over a
  queue, hands queued jobs to idle workers, and notices a worker that died: its job
  is marked failed with a message, keeping the epochs that arrived, and the slot is
  given a fresh process.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import dataclasses
import hashlib
import json
import math
import multiprocessing as mp
import os
import queue
import sys
import threading
import time
import types
import uuid
from pathlib import Path
from dataclasses import dataclass, field

from core.config import ConfigError, TrainConfig
from core.engine import RunResult, best_epoch
from core.messages import Message, MessageError
from core.limits import Limits
from core.store import RunStore

ACTIVE = ("queued", "running")
REUSABLE = ("completed", "early_stopped", "diverged")  # a new request gets this result at once
# "stopped" and "failed" jobs are kept for viewing, but a new request trains again.
# The sharpness is measured on at most the first this-many training samples (the split shuffles them, so
# a fixed random subset): all of linear's, digits' and MNIST-1D's training sets, one chunk of the
# Hessian-vector product, and a cap on CIFAR-10's 40,000, whose 50 products would otherwise take minutes
# on a 2-core CPU. Not lower: a subset's top eigenvalue is biased upwards (a flat MNIST-1D minimum
# measured 10.4 on 2,048 samples, 8.3 on all 3,200).
SHARPNESS_SAMPLES = 4096
REPO_ROOT = str(Path(__file__).resolve().parent.parent)
_spawn_lock = threading.Lock()


@contextlib.contextmanager
def _spawnable() -> None:
    """Make a spawned child import `core`, and nothing of the page that started it.

    A spawned child re-runs the parent's __main__ module, and while Streamlit runs a
    page script, __main__ *is* that page: the worker would run the page. So __main__
    is a bare module while the child starts, and the app's folder is on sys.path.
    """
    with _spawn_lock:
        saved_main, saved_path = sys.modules.get("__main__"), list(sys.path)
        sys.modules["__main__"] = types.ModuleType("__main__")
        if REPO_ROOT not in sys.path:
            sys.path.insert(0, REPO_ROOT)
        try:
            yield
        finally:
            sys.modules["__main__"] = saved_main
            sys.path[:] = saved_path


@dataclass
class Job:
    id: str
    config: TrainConfig
    kind: str = "train"  # a key of TASKS
    params: dict = field(default_factory=dict)  # the task's parameters beyond the config
    status: str = "queued"  # queued, running, then a RunResult status or "failed"
    rows: list[dict] = field(default_factory=list)  # per-epoch history as it arrives
    step_losses: list[float] = field(default_factory=list)
    result: RunResult | None = None  # a training's result
    output: dict | None = None  # another task's result, as plain data
    message: Message | str = ""
    cancel_requested: bool = False
    submitted_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    worker_pid: int | None = None  # the process training it, once started
    run_id: str | None = None  # its id in the run store, once saved (or when it came from there)
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
    """A consistent copy of a job's state for drawing, taken under the pool's lock."""

    id: str
    config: TrainConfig
    status: str
    rows: list[dict]
    step_losses: list[float]
    result: RunResult | None
    message: Message | str
    queue_position: int  # 1 = next to start; 0 when not queued
    submitted_at: float
    started_at: float | None
    kind: str = "train"
    output: dict | None = None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def progress(self) -> float:
        """The share of the epochs run; a finished run is complete even if it stopped early on its own."""
        if self.status in REUSABLE:
            return 1.0
        return min(1.0, len(self.rows) / self.config.epochs)


def _train_task(config: TrainConfig, params: dict, report, should_stop) -> dict:
    from core.engine import train

    return train(config, on_epoch=report, should_stop=should_stop).to_dict()


def _range_test_task(config: TrainConfig, params: dict, report, should_stop) -> dict:
    from core.lr_finder import lr_range_test

    return lr_range_test(config, should_stop=should_stop, **params).to_dict()


def _noise_scale_task(config: TrainConfig, params: dict, report, should_stop) -> dict:
    from core.noise_scale import train_with_noise_scale

    return train_with_noise_scale(config, report=report, should_stop=should_stop).to_dict()


def _sharpness_task(config: TrainConfig, params: dict, report, should_stop) -> dict:
    """Train, then measure the top Hessian eigenvalue of the training loss at the final weights."""
    from core.engine import loss_function, train
    from core.sharpness import hessian_top_eigenvalue

    measured: dict[str, float] = {}

    def measure(model, data) -> None:
        if should_stop():  # Stop means now: a stopped run keeps no sharpness
            return
        x, y = data.x_train[:SHARPNESS_SAMPLES], data.y_train[:SHARPNESS_SAMPLES]
        value = hessian_top_eigenvalue(model, loss_function(data.spec.task), x, y, iters=50, tol=1e-3)
        if math.isfinite(value):
            measured["sharpness"] = value

    result = train(config, on_epoch=report, should_stop=should_stop, on_end=measure)
    result.sharpness = measured.get("sharpness")
    return result.to_dict()


TASKS = {"train": _train_task, "range_test": _range_test_task,  # what a worker can be asked to do
         "noise_scale": _noise_scale_task, "sharpness": _sharpness_task}
TRAININGS = ("train", "noise_scale", "sharpness")  # tasks whose result is a RunResult, saved to the store
FROM_STORE = ("train", "sharpness")  # tasks a stored run can answer without training


def job_key(config: TrainConfig, kind: str = "train", params: dict | None = None) -> str:
    """A training is keyed by its config; other tasks by their kind, config and parameters."""
    if kind == "train":
        return config.key
    digest = hashlib.sha256(json.dumps(params or {}, sort_keys=True).encode()).hexdigest()[:8]
    return f"{kind}-{config.key}-{digest}"


WORKER_NICE = 10  # how much the training processes' niceness is raised, unless BATCHLAB_WORKER_NICE says otherwise


def worker_nice_from_env() -> int:
    """BATCHLAB_WORKER_NICE, or WORKER_NICE; ConfigError naming the variable when it is not a whole number."""
    text = os.environ.get("BATCHLAB_WORKER_NICE")
    if text is None:
        return WORKER_NICE
    try:
        return int(text)
    except ValueError:
        raise ConfigError(Message("limits.not_whole", "{variable} must be a whole number; got {text!r}.",
                                  variable="BATCHLAB_WORKER_NICE", text=text)) from None


STOPPED_BEFORE_START = Message("jobs.stopped_before_start", "Stopped before it started.")


def _worker_main(slot: int, tasks, events, cancel_flags, threads: int, nice: int = 0) -> None:
    """A worker process: run the tasks it is sent, report every epoch, until told to stop."""
    import torch

    if nice:
        try:
            os.nice(nice)
        except OSError:  # a negative increment needs privileges: train at the server's priority instead
            pass
    torch.set_num_threads(threads)
    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        job_id, kind, config_dict, params = task
        try:
            output = TASKS[kind](
                TrainConfig.from_dict(config_dict), params,
                report=lambda row, steps: events.put(("epoch", job_id, row, steps)),
                should_stop=lambda: cancel_flags[slot] != 0,
            )
            events.put(("done", job_id, output))
        except Exception as exc:  # reported to the user as the job's message
            events.put(("failed", job_id, exc.message if isinstance(exc, MessageError) else str(exc) or type(exc).__name__))


@dataclass
class _Slot:
    process: mp.process.BaseProcess
    tasks: object  # the sending end of this worker's task pipe
    job: Job | None = None


class JobPool:
    """A fixed number of worker processes training jobs, shared by every session of the server."""

    def __init__(self, workers: int | None = None, threads_per_worker: int | None = None,
                 keep_finished: int = 256, store: RunStore | None = None, limits: Limits | None = None,
                 worker_nice: int | None = None) -> None:
        cores = os.cpu_count() or 1
        self.workers = workers or int(os.environ.get("BATCHLAB_WORKERS", cores))
        self.threads_per_worker = threads_per_worker or max(1, cores // self.workers)
        # Trainings run below the web server's priority (their niceness raised by worker_nice), so
        # pages stay quick while every core trains; they lose nothing when the server is idle.
        self.worker_nice = worker_nice_from_env() if worker_nice is None else worker_nice
        self._init_books(keep_finished, store, limits)
        self._ctx = mp.get_context("spawn")
        self._events = self._ctx.Queue()
        self._cancel = self._ctx.RawArray("b", self.workers)
        self._slots = [self._start_worker(i) for i in range(self.workers)]
        self._listener = threading.Thread(target=self._listen, name="batchlab-jobs", daemon=True)
        self._listener.start()
        atexit.register(self.close)

    # ------------------------------------------------------------------ public

    def submit(self, config: TrainConfig, kind: str = "train", params: dict | None = None) -> Job:
        """The job for this task: the one queued, running or finished, a stored run, else a new one.

        A new one must fit the server's limits, else LimitExceeded (a ConfigError) says which.
        """
        key = job_key(config, kind, params)
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and (job.active or job.status in REUSABLE):
                return job
            stored = self._from_store(config, kind) if kind in FROM_STORE else None
            if stored is not None:
                return stored
            self.limits.check(config)
            job = Job(uuid.uuid4().hex[:12], config, kind, dict(params or {}))
            self._jobs[key] = job
            self._by_id[job.id] = job
            self._pending.append(job)
            self._dispatch()
            self._forget_old()
            return job

    @property
    def limits(self) -> Limits:
        """The caps every new training is checked against."""
        return self._limits or Limits.from_env()

    def get(self, key: str) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def view(self, key: str) -> JobView | None:
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                return None
            position = next((i + 1 for i, j in enumerate(self._pending) if j is job), 0)
            return JobView(job.id, job.config, job.status, list(job.rows), list(job.step_losses),
                           job.result, job.message, position, job.submitted_at, job.started_at,
                           job.kind, job.output)

    def cancel(self, key: str) -> None:
        """Stop the job: a queued one never starts, a running one ends within one batch."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or not job.active:
                return
            if job.status == "queued":
                self._pending.remove(job)
                self._finish(job, "stopped", STOPPED_BEFORE_START)
                return
            slot = next(i for i, s in enumerate(self._slots) if s.job is job)
            job.cancel_requested = True
            self._cancel[slot] = 1

    @property
    def running(self) -> int:
        with self._lock:
            return sum(s.job is not None for s in self._slots)

    @property
    def queued(self) -> int:
        with self._lock:
            return len(self._pending)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for slot in self._slots:
                try:
                    slot.tasks.send(None)
                except OSError:
                    pass
        for slot in self._slots:
            slot.process.join(timeout=2)
            if slot.process.is_alive():
                slot.process.terminate()
        self._listener.join(timeout=2)

    # ------------------------------------------------------------------ internals

    def _init_books(self, keep_finished: int, store: RunStore | None, limits: Limits | None) -> None:
        """The bookkeeping every executor shares: jobs by key and id, the queue, the store, the caps."""
        self._keep_finished = keep_finished
        self.store = store  # when set: ended runs are saved there, and stored runs answer requests
        self._limits = limits  # None: read from the environment each time, so a changed cap applies at once
        self._lock = threading.RLock()
        self._jobs: dict[str, Job] = {}  # job key -> its latest job
        self._by_id: dict[str, Job] = {}
        self._pending: collections.deque[Job] = collections.deque()
        self._slots: list[_Slot] = []
        self._closed = False
        self.trainings_started = 0  # how many trainings the workers were given, ever

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
        for index, slot in enumerate(self._slots):
            if not self._pending:
                return
            if slot.job is None and slot.process.is_alive():
                job = self._pending.popleft()
                self._cancel[index] = 0
                slot.job = job
                job.status, job.started_at, job.worker_pid = "running", time.time(), slot.process.pid
                self.trainings_started += 1
                slot.tasks.send((job.id, job.kind, job.config.to_dict(), job.params))

    def _finish(self, job: Job, status: str, message: Message | str = "") -> None:
        job.status, job.finished_at = status, time.time()
        if message:
            job.message = message
        for slot in self._slots:
            if slot.job is job:
                slot.job = None
        job.done.set()

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
        self._jobs[job.key] = job
        self._by_id[job.id] = job
        return job

    def _save(self, job: Job) -> None:
        if self.store is None or job.result is None:
            return
        try:
            job.run_id = self.store.save(job.result)
        except Exception as exc:  # a full disk must not stop the server from serving the run
            if job.result.message:
                job.result.message = Message("jobs.not_saved", "{message} (This run could not be saved: {error})",
                                             message=job.result.message, error=str(exc))
            else:
                job.result.message = Message("jobs.not_saved_alone", "This run could not be saved: {error}",
                                             error=str(exc))

    def _keep_reported(self, job: Job, message: Message) -> None:
        """End a training stopped from outside its worker as "stopped", saving the epochs it reported.

        They are whole epochs (a worker reports an epoch when it ends), so every one of them counts
        for the best epoch; the device is not known here."""
        if job.kind in TRAININGS and job.rows and job.result is None:
            job.result = RunResult(config=job.config, status="stopped", rows=list(job.rows),
                                   step_losses=list(job.step_losses), device="unknown",
                                   wall_time=job.rows[-1]["time_s"], best_epoch=best_epoch(job.rows, "completed"),
                                   message=message)
            self._save(job)
            message = job.result.message  # says so if it could not be saved
        self._finish(job, "stopped", message)

    def _forget_old(self) -> None:
        """Keep at most `keep_finished` ended jobs in memory, dropping the oldest first."""
        ended = [j for j in self._jobs.values() if not j.active]
        for job in sorted(ended, key=lambda j: j.finished_at or 0)[:max(0, len(ended) - self._keep_finished)]:
            del self._jobs[job.key]
            self._by_id.pop(job.id, None)

    def _listen(self) -> None:
        while not self._closed:
            try:
                message = self._events.get(timeout=0.25)
            except queue.Empty:
                message = None
            except (EOFError, OSError):
                return
            with self._lock:
                if message is not None:
                    self._handle(message)
                self._replace_dead_workers()
                self._dispatch()

    def _handle(self, message: tuple) -> None:
        kind, job_id, *payload = message
        job = self._by_id.get(job_id)
        if job is None or not job.active:
            return
        if kind == "epoch":
            row, steps = payload
            job.rows.append(row)
            job.step_losses.extend(steps)
        elif kind == "done" and job.kind in TRAININGS:
            job.result = RunResult.from_dict(payload[0])
            job.rows, job.step_losses = job.result.rows, job.result.step_losses
            self._save(job)
            self._finish(job, job.result.status, job.result.message)
        elif kind == "done":
            job.output = payload[0]
            self._finish(job, "stopped" if job.cancel_requested else "completed")
        elif kind == "failed":
            self._finish(job, "failed", payload[0])

    def _replace_dead_workers(self) -> None:
        if self._closed:
            return
        for index, slot in enumerate(self._slots):
            if slot.process.is_alive():
                continue
            if slot.job is not None:
                self._finish(slot.job, "failed", Message(
                    "jobs.worker_died", "The worker process training this run died (exit code {code}); the {epochs} "
                    "epochs it reported are kept. Train again to retry.",
                    code=slot.process.exitcode, epochs=len(slot.job.rows)))
            self._slots[index] = self._start_worker(index)
