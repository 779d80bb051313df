"""Many sessions pressing Train at once, over Streamlit's websocket protocol (no browser).

A browser is no load generator on a small server (one Chromium page load costs about 1.3 s
of a 2-core machine's CPU), so this script speaks the protocol itself (bench/streamlit_client.py:
`BackMsg.rerun_script` out, `ForwardMsg`s in, on ws://127.0.0.1:PORT/_stcore/stream).

What it does, all on 127.0.0.1 and bounded in count and time:

It starts `python -m streamlit run app.py` on a free port (headless, no usage statistics, no
file watcher) with BATCHLAB_DATA_DIR and BATCHLAB_DB in a fresh temporary folder (the MNIST-1D
cache data/mnist1d.npz is copied there when it exists, so no one-off dataset generation is
timed), and waits for /_stcore/health. No server option is relaxed for the client: the XSRF
check applies only to a connection with an Origin header, and this client sends none, as any
non-browser client may (CORS and XSRF stay at their defaults). Then:

A. Idle: one session loads the Train page with default settings (no run shown), warms up,
   waits for the training workers to finish starting, and times --idle-runs full reruns.
   With --other-pages every other page gets a session of its own and --page-runs timed reruns.
B. Every worker training, no other session: one session per worker presses Train on a long
   run (--calib-epochs) and leaves it (a tab closed; the run goes on); the idle page is timed
   again, then one viewer's live panel (the fragment) back to back; then Stop ends both runs.
C. The crowd: --sessions sessions (20) load the Train page at once; half ask for the SAME
   config (MNIST-1D, 1-D CNN, Adam, batch 64, --epochs 10, seed 4242), half for DISTINCT ones
   (seeds 5000, 5001, ...). The settings travel as the page's URL query parameters (its
   widgets are bound to them: ?epochs=10&seed=4242). Then all press Train together (a
   `trigger_value` widget state for the button with key "train", its id taken from the
   page's delta) and follow their runs as a browser tab does: the live panel is a fragment
   with run_every=1.5 s, so the session reruns that fragment every 1.5 s (`--poll fragment`,
   the default; one request in flight per session), or with `--poll page` reruns the whole
   page every --page-interval s; until a full run shows the run ended (no live fragment, the
   progress bar at 100 %). Two probe sessions rerun the whole Train page once a second
   meanwhile (one with default settings: the same work as in A; one showing the shared
   run), and so does each other page's session (every --page-probe-interval s).
D. Idle again: the page showing the finished shared run, and the default page (drift).

Then it counts the runs in the store (core.store.RunStore on BATCHLAB_DB), stops the server
and prints: trainings executed (runs stored) against the expected 1 + distinct, lost and
duplicated configs, errors, and the run times (send -> script_finished: the page's
server-side run time as a client sees it; median, 90th percentile, max) idle and under load.
"Under load" is while at least as many trainings were unfinished as the pool has workers
(cores, or $BATCHLAB_WORKERS), i.e. with every worker training, judged from the presses and
the stored runs' times. It also prints the CPU time of the server process, its workers, this
client and every other process on the machine in each phase, and the server's CPU time per
run: a figure other load on the machine hardly changes, unlike wall time.

Errors are: exceptions in the client (connection lost, a rerun without script_finished within
--run-timeout), exception boxes and error or warning alerts in any delta, compile errors,
sessions that did not see their run end within --budget, runs that ended without a full
progress bar, runs stored that nobody asked for, and tracebacks in the server's output. Exit
status 1 when there are errors, lost runs (an expected config with no stored run) or a config
trained more than once; the page-time goal (<= 1.5 x idle) is reported, not enforced: it
depends on the machine and on what else runs there (--quiet-wait waits for a quiet machine).

Usage (a run takes 2-4 minutes on 2 cores):
    python -m bench.load_sessions                 # 20 sessions, 10 epochs, fragment polling
    python -m bench.load_sessions --other-pages   # and every other page, idle and under load
    python -m bench.load_sessions --poll page     # each session reruns the whole page every 1 s
    BATCHLAB_WORKER_NICE=0 python -m bench.load_sessions   # training at the server's priority (default 10)
    python -m bench.load_sessions --sessions 30 --epochs 20 --budget 240 --records runs.json
    python -m bench.load_sessions --mode room     # a class: 30 students in one room (bench/load_room.py)
    python -m bench.load_sessions --mode room --sessions 6 --epochs 3 --idle-runs 5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.server import Server, start_server, stop_server
from bench.streamlit_client import ProtocolError, RunRecord, StreamlitSession, trigger
from core.runs.store import RunStore
from core.settings import WORKER_NICE
from core.training.config import TrainConfig
from pages.ui.follow import POLL_S

SHARED_SEED = 4242
DISTINCT_SEED = 5000
CALIBRATION_SEED = 6000
PAGE = "Train"
RATIO_GOAL = 1.5
LIVE_PANEL_INTERVAL = POLL_S  # s: the live panel's run_every (the session follows what auto_rerun says)


# ------------------------------------------------------------------------------------ server

# ------------------------------------------------------------------------------ CPU accounting

def _ticks(stat_line: str) -> int:
    fields = stat_line.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (of the process itself)


def descendants(root_pid: int) -> set[int]:
    """The pids of every process below `root_pid` (the server's worker processes)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                parents[int(entry)] = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {root_pid}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def process_tree_cpu(root_pid: int) -> tuple[float, float]:
    """CPU seconds used so far by `root_pid` itself and by all its descendants (the workers)."""
    hz = os.sysconf("SC_CLK_TCK")
    parents, ticks = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            line = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(line.rsplit(")", 1)[1].split()[1])
        ticks[pid] = _ticks(line)

    def under_root(pid: int) -> bool:
        for _ in range(64):
            pid = parents.get(pid, 0)
            if pid == root_pid:
                return True
            if pid <= 1:
                return False
        return False

    own = ticks.get(root_pid, 0)
    children = sum(t for pid, t in ticks.items() if pid != root_pid and under_root(pid))
    return own / hz, children / hz


def machine_cpu() -> float:
    """Busy CPU seconds of the whole machine so far (all cores)."""
    hz = os.sysconf("SC_CLK_TCK")
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / hz


@dataclass
class CpuSnapshot:
    wall: float
    machine: float
    server: float
    workers: float
    client: float

    @classmethod
    def take(cls, server_pid: int) -> CpuSnapshot:
        server, workers = process_tree_cpu(server_pid)
        usage = os.times()
        return cls(time.monotonic(), machine_cpu(), server, workers, usage.user + usage.system)

    def since(self, before: CpuSnapshot) -> dict[str, float]:
        d = {k: getattr(self, k) - getattr(before, k) for k in ("wall", "machine", "server", "workers", "client")}
        d["others"] = max(0.0, d["machine"] - d["server"] - d["workers"] - d["client"])
        return d


# ------------------------------------------------------------------------------------ sessions

def query_for(config: TrainConfig) -> str:
    """The Train page's link for `config`: its widgets read these URL parameters (bind="query-params")."""
    default = TrainConfig()
    for name in ("dataset", "model", "optimizer", "device", "classes"):
        if getattr(config, name) != getattr(default, name):
            raise ValueError(f"this script sets numeric settings only; {name} must stay {getattr(default, name)!r}")
    parts = [f"{name}={getattr(config, name)}" for name in ("batch_size", "learning_rate", "epochs", "seed")
             if getattr(config, name) != getattr(default, name)]
    return "&".join(parts)


@dataclass
class Outcome:
    """One load session: what it asked for and what it saw."""

    name: str
    config: TrainConfig
    shared: bool
    session: StreamlitSession | None = None
    pressed_at: float | None = None  # time.time() when Train was sent
    ended_seen_at: float | None = None  # time.time() when a full run showed the run ended
    final_status: str = ""  # the summary's first metric (the run's status)
    progress: int | None = None
    linked: bool = False  # the URL got ?run=<key> (set when the page accepted this session's press)
    errors: list[str] = field(default_factory=list)

    @property
    def records(self) -> list[RunRecord]:
        return self.session.records if self.session else []


async def open_session(ws_url: str, name: str, query: str, run_timeout: float, page_hash: str = "",
                       page: str = PAGE) -> StreamlitSession:
    """A new session on the Train page (or the page at URL path `page`, or with script hash `page_hash`),
    loaded once."""
    session = StreamlitSession(ws_url, name)
    await session.connect()
    await session.rerun(page_script_hash=page_hash, page_name="" if page_hash else page, query_string=query,
                        timeout=run_timeout)
    wanted = page_hash or session.pages.get(page)
    if session.page_script_hash != wanted:
        raise ProtocolError(f"{name}: asked for page {wanted}, the server ran {session.page_script_hash}")
    return session


def run_ended(session: StreamlitSession) -> bool:
    """After a full run: the run is shown and no live fragment polls it any more."""
    view = session.view
    return not view.auto_reruns and view.progress is not None


async def poll_until_done(outcome: Outcome, mode: str, page_interval: float, deadline: float,
                          run_timeout: float) -> None:
    s = outcome.session
    if s is None:
        raise ProtocolError(f"{outcome.name}: no session to follow")
    page = s.pages[PAGE]
    last_sent = time.monotonic()
    while True:
        if run_ended(s):  # the latest run was a full one without the live fragment
            outcome.ended_seen_at = time.time()
            outcome.progress = s.view.progress
            outcome.linked = f"run={outcome.config.key}" in s.query_string
            outcome.final_status = s.view.metrics[0][1] if s.view.metrics else ""
            if s.view.progress != 100:
                outcome.errors.append(f"{outcome.name}: the run ended without a full progress bar "
                                      f"({s.view.progress} %, status {outcome.final_status or '?'})")
            return
        if mode == "fragment" and s.view.auto_reruns:
            fragment_id, interval = next(iter(s.view.auto_reruns.items()))
        else:
            fragment_id, interval = None, page_interval
        wait = last_sent + interval - time.monotonic()
        if time.monotonic() + max(0.0, wait) > deadline:
            outcome.errors.append(f"{outcome.name}: the run had not ended when the time budget ran out")
            return
        if wait > 0:
            await asyncio.sleep(wait)
        last_sent = time.monotonic()
        await s.rerun(page_script_hash=page, fragment_id=fragment_id, timeout=run_timeout)
        if not s.view.auto_reruns and s.view.progress is None:
            outcome.errors.append(f"{outcome.name}: the page shows no run after Train")
            return


async def load_session(outcome: Outcome, ws_url: str, ready: asyncio.Barrier, go: asyncio.Event,
                       args, deadline: float) -> None:
    try:
        try:
            outcome.session = await open_session(ws_url, outcome.name, query_for(outcome.config), args.run_timeout)
        finally:
            await ready.wait()  # everyone has loaded the page (or failed to)
        await go.wait()
        button = outcome.session.view.widgets.get("train")
        if button is None:
            raise ProtocolError(f"{outcome.name}: no widget with the key 'train' on the {PAGE} page")
        outcome.pressed_at = time.time()
        await outcome.session.rerun(page_script_hash=outcome.session.pages[PAGE], widget_states=[trigger(button[0])],
                                    timeout=args.run_timeout)
        await poll_until_done(outcome, args.poll, args.page_interval, deadline, args.run_timeout)
    except (TimeoutError, ProtocolError, OSError) as exc:
        outcome.errors.append(f"{outcome.name}: {type(exc).__name__}: {exc}")
    except Exception as exc:
        outcome.errors.append(f"{outcome.name}: unexpected {type(exc).__name__}: {exc}")


async def probe(session: StreamlitSession, stop: asyncio.Event, interval: float, run_timeout: float,
                errors: list[str]) -> None:
    """Rerun the whole page every `interval` s until `stop` (a user changing a setting, once a second)."""
    try:
        while not stop.is_set():
            started = time.monotonic()
            await session.rerun(page_script_hash=session.page_script_hash, timeout=run_timeout)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, interval - (time.monotonic() - started)))
    except (ProtocolError, OSError) as exc:
        errors.append(f"{session.name}: {type(exc).__name__}: {exc}")


async def gather_within(tasks: list[asyncio.Task], timeout: float, errors: list[str]) -> None:
    """Wait for the load phase's sessions; past `timeout`, cancel them and say so."""
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout)
    except TimeoutError:
        errors.append("the load phase overran its time budget")
        for task in tasks:
            task.cancel()


async def timed_reruns(session: StreamlitSession, n: int, run_timeout: float) -> list[RunRecord]:
    out = []
    for _ in range(n):
        out.append(await session.rerun(page_script_hash=session.page_script_hash, timeout=run_timeout))
    return out


# ------------------------------------------------------------------------------------ figures

def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def p90(values: list[float]) -> float:
    if not values:
        return math.nan
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def stored_runs(db: Path) -> list[dict]:
    """Every run the store holds that users made (not the shipped reference runs)."""
    RunStore(db)  # opens it as the app does: refuses a file that is not a Batch Lab run store
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        rows = con.execute("SELECT key, seed, epochs, status, created_at, wall_time FROM runs "
                           "WHERE source = 'user' ORDER BY created_at").fetchall()
    return [dict(zip(("key", "seed", "epochs", "status", "created_at", "wall_time"), r, strict=True)) for r in rows]


def runs_by_key(runs: list[dict]) -> dict[str, list[dict]]:
    """The stored runs grouped by config key (a key with two runs was trained twice)."""
    by_key: dict[str, list[dict]] = {}
    for r in runs:
        by_key.setdefault(r["key"], []).append(r)
    return by_key


def server_tracebacks(server: Server) -> list[str]:
    """An error for the tracebacks in the server's output, if any."""
    tracebacks = server.log.read_text(errors="replace").count("Traceback (most recent call last)")
    return [f"{tracebacks} traceback(s) in the server output ({server.log})"] if tracebacks else []


def ended_at(run: dict) -> float:
    """When a stored run ended: it is stored from its first epoch on (created_at) and trained for wall_time."""
    return run["created_at"] + run["wall_time"]


def unfinished_at(t: float, submitted: dict[str, float], finished: dict[str, float]) -> int:
    return sum(1 for key, s in submitted.items() if s <= t < finished.get(key, math.inf))


def at_full_pool(record: RunRecord, submitted: dict[str, float], finished: dict[str, float], workers: int) -> bool:
    """Whether every worker was training for the whole of this run (all trainings were submitted
    before the end, so the count of unfinished ones rises then falls: its minimum is at an end)."""
    return min(unfinished_at(record.wall_start, submitted, finished),
               unfinished_at(record.wall_end, submitted, finished)) >= workers


def first_presses(presses: Iterable[tuple[str, float | None]]) -> dict[str, float]:
    """Config key -> when Train was first pressed for it, from (key, press time or None) pairs."""
    submitted: dict[str, float] = {}
    for key, pressed_at in presses:
        if pressed_at is not None:
            submitted[key] = min(submitted.get(key, math.inf), pressed_at)
    return submitted


def print_goals(goals: list[tuple[str, bool]], errors: list[str]) -> None:
    """Each goal, met or not, then the errors (the first 40)."""
    for text, met in goals:
        print(f"  [{'met' if met else 'NOT met'}] {text}")
    if errors:
        print("\nerrors:")
        for e in errors[:40]:
            print(f"  - {e[:300]}")
        if len(errors) > 40:
            print(f"  … and {len(errors) - 40} more")


def fmt(x: float, pattern: str = "{:.3f}") -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else pattern.format(x)


def row(label: str, values: list[float]) -> str:
    most = max(values) if values else math.nan
    return f"  {label:<54} {len(values):>5} {fmt(median(values)):>8} {fmt(p90(values)):>8} {fmt(most):>8}"


# ------------------------------------------------------------------------------------ main

async def wait_for_progress(session: StreamlitSession, timeout: float, run_timeout: float) -> None:
    """Follow the live fragment until the first epoch has arrived (the training is surely running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not session.view.auto_reruns:
            raise ProtocolError(f"{session.name}: the run is not live (ended or never started)")
        if session.view.progress:
            return
        fragment_id, interval = next(iter(session.view.auto_reruns.items()))
        await asyncio.sleep(interval)
        await session.rerun(page_script_hash=session.pages[PAGE], fragment_id=fragment_id, timeout=run_timeout)
    raise ProtocolError(f"{session.name}: no epoch within {timeout:.0f} s")


async def trainings_only(server: Server, args, workers: int, probe_session: StreamlitSession, errors: list[str]):
    """Every worker training (long runs that no page polls), and the idle page timed meanwhile."""
    configs = [TrainConfig(epochs=args.calib_epochs, seed=CALIBRATION_SEED + i) for i in range(workers)]
    trainers = []
    for i, config in enumerate(configs):
        t = await open_session(server.ws, f"trainer-{i}", query_for(config), args.run_timeout)
        await t.rerun(page_script_hash=t.pages[PAGE], widget_states=[trigger(t.view.widgets["train"][0])],
                      timeout=args.run_timeout)
        trainers.append(t)
    for t in trainers:
        await wait_for_progress(t, 60, args.run_timeout)  # then it stops polling: a tab closed, the run goes on
    before = CpuSnapshot.take(server.process.pid)
    records = await timed_reruns(probe_session, args.idle_runs, args.run_timeout)
    cpu = CpuSnapshot.take(server.process.pid).since(before)
    # One viewer's live panel (progress, three Altair charts), rerun back to back while both train.
    viewer = trainers[0]
    fragment_id = next(iter(viewer.view.auto_reruns))
    before = CpuSnapshot.take(server.process.pid)
    fragments = []
    for _ in range(args.idle_runs):
        fragments.append(await viewer.rerun(page_script_hash=viewer.page_script_hash, fragment_id=fragment_id,
                                            timeout=args.run_timeout))
        if fragments[-1].became_full or not viewer.view.auto_reruns:
            errors.append("trainings-only phase: the run ended while its live panel was timed; raise --calib-epochs")
            break
    fragment_cpu = CpuSnapshot.take(server.process.pid).since(before)
    for t in trainers:  # Stop (the live panel's button) ends each within one batch; the runs are kept as "stopped"
        await t.rerun(page_script_hash=t.pages[PAGE], widget_states=[trigger(t.view.widgets["stop"][0])],
                      timeout=args.run_timeout)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(_stored(server.db, c.key) for c in configs):
        await asyncio.sleep(0.25)  # the listener saves a stopped run within a batch and a queue poll
    ends = {c.key: _stored(server.db, c.key) for c in configs}
    for c in configs:
        end = ends[c.key]
        if end is None:
            errors.append(f"trainings-only phase: the stopped run of seed {c.seed} was not stored within 30 s")
        elif end < records[-1].wall_end:
            errors.append(f"trainings-only phase: seed {c.seed} ended before the page runs did; "
                          f"raise --calib-epochs")
    for t in trainers:
        errors.extend(t.problems)
        await t.close()
    return records, cpu, configs, fragments, fragment_cpu


def _stored(db: Path, key: str) -> float | None:
    """When the first run of `key` that has ended ended (see ended_at), or None."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        found = con.execute("SELECT min(created_at + wall_time) FROM runs WHERE key = ? AND source = 'user' "
                            "AND status != 'running'", (key,)).fetchone()
    return found[0] if found else None


async def settle(server_pid: int, timeout: float) -> float:
    """Wait (at most `timeout` s) until the server and its workers use under 0.1 CPU s per s; the seconds waited."""
    start = time.monotonic()
    before = process_tree_cpu(server_pid)
    while time.monotonic() - start < timeout:
        await asyncio.sleep(1.0)
        now = process_tree_cpu(server_pid)
        if sum(now) - sum(before) < 0.1:
            break
        before = now
    return time.monotonic() - start


def wait_for_quiet_machine(max_wait: float, cores: float, window: float = 5.0) -> float:
    """Wait until processes other than this one use under `cores` CPUs over `window` s (at most
    `max_wait` s, checked before the server starts); returns what the others used last."""
    deadline = time.monotonic() + max_wait
    while True:
        before_machine, before_own = machine_cpu(), sum(os.times()[:2])
        time.sleep(window)  # sampling the machine's load; nothing to wait on
        others = (machine_cpu() - before_machine - (sum(os.times()[:2]) - before_own)) / window
        if others < cores or time.monotonic() + window > deadline:
            return others


def cpu_line(cpu: dict[str, float]) -> str:
    cores = os.cpu_count() or 1
    return (f"{cpu['wall']:.1f} s wall x {cores} cores = {cpu['wall'] * cores:.0f} CPU s: server process "
            f"{cpu['server']:.1f}, training workers {cpu['workers']:.1f}, this client {cpu['client']:.1f}, "
            f"everything else on the machine {cpu['others']:.1f}")


async def run(args, server: Server) -> int:
    workers = int(os.environ.get("BATCHLAB_WORKERS", os.cpu_count() or 1))
    errors: list[str] = []
    nice = os.environ.get("BATCHLAB_WORKER_NICE", WORKER_NICE)
    print(f"server: {server.url} (pid {server.process.pid}), store {server.db}, {workers} training workers "
          f"at nice {nice}")

    # ---- A. idle: the Train page with default settings, nothing training
    idle = await open_session(server.ws, "idle", "", args.run_timeout)
    await timed_reruns(idle, 3, args.run_timeout)  # warm-up: first imports, caches, the job pool
    settled = await settle(server.process.pid, 60)  # the workers import torch once started
    await timed_reruns(idle, 3, args.run_timeout)
    before = CpuSnapshot.take(server.process.pid)
    idle_empty = await timed_reruns(idle, args.idle_runs, args.run_timeout)
    idle_cpu = CpuSnapshot.take(server.process.pid).since(before)
    print(f"A. idle Train page (after {settled:.0f} s for the workers to start): median "
          f"{median([r.seconds for r in idle_empty]):.3f} s over {len(idle_empty)} runs")
    page_sessions: dict[str, StreamlitSession] = {}  # every other page: a session of its own
    page_idle: dict[str, list[RunRecord]] = {}
    if args.other_pages:
        for path, page_hash in idle.pages.items():
            if path == PAGE:
                continue
            name = path or "Home"
            page_sessions[name] = await open_session(server.ws, f"page-{name}", "", args.run_timeout, page_hash)
            await timed_reruns(page_sessions[name], 2, args.run_timeout)
            page_idle[name] = await timed_reruns(page_sessions[name], args.page_runs, args.run_timeout)
        print("A. idle, the other pages: " + ", ".join(
            f"{name} {median([r.seconds for r in recs]):.3f} s" for name, recs in page_idle.items()))

    # ---- B. every worker training, no other session
    calib_records, calib_cpu, calib_configs, fragments, fragment_cpu = [], None, [], [], None
    if not args.skip_trainings_only:
        calib_records, calib_cpu, calib_configs, fragments, fragment_cpu = await trainings_only(
            server, args, workers, idle, errors)
        print(f"B. Train page with {workers} trainings running: median "
              f"{median([r.seconds for r in calib_records]):.3f} s over {len(calib_records)} runs")

    shared = TrainConfig(epochs=args.epochs, seed=SHARED_SEED)
    n_shared = args.sessions // 2
    configs = [shared] * n_shared + [TrainConfig(epochs=args.epochs, seed=DISTINCT_SEED + i)
                                     for i in range(args.sessions - n_shared)]
    expected = {c.key for c in configs}
    store = RunStore(server.db)
    answered = [c.seed for c in {c.key: c for c in configs}.values() if store.find(c) or store.find_prefix(c)]
    if answered:
        raise RuntimeError(f"the store already answers seeds {answered}: they would not be trained")

    # ---- C. the crowd: every session presses Train at once, then follows its run
    outcomes = [Outcome(f"{'same' if i < n_shared else 'distinct'}-{i:02d}", c, i < n_shared)
                for i, c in enumerate(configs)]
    ready, go, stop = asyncio.Barrier(len(outcomes) + 1), asyncio.Event(), asyncio.Event()
    probe_errors: list[str] = []
    probe_empty = await open_session(server.ws, "probe-empty", "", args.run_timeout)
    probe_run = await open_session(server.ws, "probe-run", query_for(shared), args.run_timeout)
    deadline = time.monotonic() + args.budget
    tasks = [asyncio.create_task(load_session(o, server.ws, ready, go, args, deadline)) for o in outcomes]
    await asyncio.wait_for(ready.wait(), args.run_timeout + 30)
    opened = [o.records[0] for o in outcomes if o.records]
    print(f"C. {len(outcomes)} sessions opened the {PAGE} page at once: median "
          f"{median([r.seconds for r in opened]):.3f} s; all press Train now")
    cpu_go = CpuSnapshot.take(server.process.pid)
    go.set()
    probes = [asyncio.create_task(probe(p, stop, args.probe_interval, args.run_timeout, probe_errors))
              for p in (probe_empty, probe_run)]
    probes += [asyncio.create_task(probe(p, stop, args.page_probe_interval, args.run_timeout, probe_errors))
               for p in page_sessions.values()]
    page_marks = {name: len(p.records) for name, p in page_sessions.items()}  # runs before the load phase
    await gather_within(tasks, args.budget + args.run_timeout + 30, errors)
    stop.set()
    await asyncio.gather(*probes, return_exceptions=True)
    load_cpu = CpuSnapshot.take(server.process.pid).since(cpu_go)
    # The probes' runs of the load phase (the first opened the page; D's come after these).
    probe_load = {p.name: p.records[1:] for p in (probe_empty, probe_run)}
    for o in outcomes:
        if o.session:
            await o.session.close()

    # ---- D. idle again: the view of a finished run, and the empty page (drift)
    before = CpuSnapshot.take(server.process.pid)
    idle_run = await timed_reruns(probe_run, args.idle_runs, args.run_timeout)
    idle_run_cpu = CpuSnapshot.take(server.process.pid).since(before)
    idle_empty_after = await timed_reruns(idle, args.idle_runs, args.run_timeout)
    page_after = {name: await timed_reruns(p, args.page_runs, args.run_timeout) for name, p in page_sessions.items()}
    for s in (idle, probe_empty, probe_run, *page_sessions.values()):
        errors.extend(s.problems)
        await s.close()

    # ---- what the store says
    runs = stored_runs(server.db)
    calib_keys = {c.key for c in calib_configs}
    by_key = runs_by_key(runs)
    ours = [r for r in runs if r["key"] in expected]
    others = [r for r in runs if r["key"] not in expected and r["key"] not in calib_keys]
    lost = sorted(c.seed for c in {c.key: c for c in configs}.values() if c.key not in by_key)
    duplicated = {k: len(v) for k, v in by_key.items() if len(v) > 1}
    if others:
        errors.append(f"{len(others)} stored run(s) of configs nobody asked for")

    submitted = first_presses((o.config.key, o.pressed_at) for o in outcomes)
    finished = {k: ended_at(v[0]) for k, v in by_key.items() if k in expected}
    for o in outcomes:  # a run that was not stored: its end as a session saw it
        if o.config.key not in finished and o.ended_seen_at is not None:
            finished[o.config.key] = o.ended_seen_at

    for o in outcomes:
        errors.extend(o.errors)
        if o.session:
            errors.extend(o.session.problems)
    errors.extend(probe_errors)
    errors.extend(server_tracebacks(server))

    def loaded(records: list[RunRecord]) -> list[float]:
        return [r.seconds for r in records if at_full_pool(r, submitted, finished, workers)]

    load_records = [r for o in outcomes for r in o.records[1:]]  # after opening the page
    probe_empty_load = loaded(probe_load[probe_empty.name])
    probe_run_load = loaded(probe_load[probe_run.name])
    fragment_load = loaded([r for r in load_records if r.kind == "fragment" and not r.became_full])
    page_load = loaded([r for r in load_records if r.kind == "page" or r.became_full])
    full_pool = [r for r in load_records + probe_load[probe_empty.name]
                 if at_full_pool(r, submitted, finished, workers)]
    window = (min(r.wall_start for r in full_pool), max(r.wall_end for r in full_pool)) if full_pool else None
    served = (load_records + probe_load[probe_empty.name] + probe_load[probe_run.name]
              + [r for name, p in page_sessions.items()
                 for r in p.records[page_marks[name]:len(p.records) - len(page_after[name])]])
    polls = [r for r in load_records if r.kind == "fragment"]
    press_to_end = [o.ended_seen_at - o.pressed_at for o in outcomes if o.pressed_at and o.ended_seen_at]
    poll_rate = len(polls) / sum(press_to_end) if press_to_end else math.nan
    same_status = {o.final_status for o in outcomes if o.shared}

    # ---- report
    idle_empty_s = [r.seconds for r in idle_empty]
    idle_run_s = [r.seconds for r in idle_run]
    calib_s = [r.seconds for r in calib_records]
    ratio_calib = median(calib_s) / median(idle_empty_s)
    ratio_empty = median(probe_empty_load) / median(idle_empty_s)
    ratio_run = median(probe_run_load) / median(idle_run_s)
    print()
    print(f"Load test: {len(outcomes)} sessions ({n_shared} on one config, {len(outcomes) - n_shared} on distinct "
          f"ones; MNIST-1D, 1-D CNN, Adam, batch {shared.batch_size}, {args.epochs} epochs), "
          f"following their runs by {'the live fragment' if args.poll == 'fragment' else 'whole-page reruns'}, "
          f"+ 2 probe sessions rerunning the page every {args.probe_interval:g} s")
    print(f"  errors                                   {len(errors)}")
    print(f"  trainings executed (user runs stored)    {len(ours)} for these configs"
          + (f", + {sum(len(by_key.get(k, [])) for k in calib_keys)} stopped ones of phase B" if calib_keys else "")
          + f", {len(others)} others")
    print(f"  runs stored / expected                   {len(ours)} / {len(expected)}   lost: {len(lost)} {lost or ''}")
    print(f"  identical config trained                 {len(by_key.get(shared.key, []))} time(s); its "
          f"{n_shared} sessions saw status {sorted(same_status)}")
    print(f"  presses the page acted on (?run= link)   {sum(o.linked for o in outcomes if o.shared)} of {n_shared} "
          f"on the shared config, {sum(o.linked for o in outcomes if not o.shared)} of {len(outcomes) - n_shared} "
          f"distinct (a press that finds its config training meets a disabled button; the page shows that run)")
    print(f"  press -> end seen (s)                    median {fmt(median(press_to_end), '{:.1f}')}, "
          f"max {fmt(max(press_to_end) if press_to_end else math.nan, '{:.1f}')}")
    if window:
        print(f"  all {workers} workers training               {window[1] - window[0]:.1f} s of the load phase")
    print(f"  live-panel polls                         {len(polls)}: {fmt(poll_rate, '{:.2f}')} per session per s "
          f"(the page asks for {1 / LIVE_PANEL_INTERVAL:.2f})")
    print()
    print(f"  {'run time (s, send -> script_finished)':<54} {'runs':>5} {'median':>8} {'p90':>8} {'max':>8}")
    print(row("A. Train page, defaults, idle", idle_empty_s))
    if calib_records:
        print(row(f"B. Train page, defaults, {workers} trainings, no other session", calib_s))
    print(row(f"C. Train page, defaults, {workers} trainings + {len(outcomes)} sessions", probe_empty_load))
    print(row("C. Train page showing the shared run, under load", probe_run_load))
    print(row("C. both probes, the whole load phase", [r.seconds for recs in probe_load.values() for r in recs]))
    print(row(f"C. {len(outcomes)} sessions opening the page at once", [r.seconds for r in opened]))
    print(row("C. sessions' whole-page runs under load", page_load))
    print(row("C. sessions' live-panel fragment runs under load", fragment_load))
    if fragments:
        print(row(f"B. one viewer's live panel (fragment), {workers} trainings", [r.seconds for r in fragments]))
    print(row("D. Train page showing a finished run, idle", idle_run_s))
    print(row("D. Train page, defaults, idle again", [r.seconds for r in idle_empty_after]))
    if page_sessions:
        print()
        header = ("other pages (s)", "idle", "runs", "loaded", "runs", "ratio", "idle again")
        print("  {:<22} {:>7} {:>5} {:>7} {:>5} {:>6} {:>10}".format(*header))
        for name, p in page_sessions.items():
            idle_s = [r.seconds for r in page_idle[name]]
            load_s = loaded(p.records[page_marks[name]:len(p.records) - len(page_after[name])])
            print(f"  {name:<22} {fmt(median(idle_s)):>7} {len(idle_s):>5} {fmt(median(load_s)):>7} {len(load_s):>5} "
                  f"{fmt(median(load_s) / median(idle_s), '{:.1f}x'):>6} "
                  f"{fmt(median([r.seconds for r in page_after[name]])):>10}")
    print()
    print("  CPU time")
    print(f"    A. idle:         {cpu_line(idle_cpu)}")
    if calib_cpu:
        print(f"    B. trainings:    {cpu_line(calib_cpu)}")
    print(f"    D. finished run: {cpu_line(idle_run_cpu)}")
    costs = [("Train page, defaults (A)", idle_cpu, len(idle_empty)),
             ("Train page showing a finished run (D)", idle_run_cpu, len(idle_run))]
    if fragment_cpu:
        costs.insert(1, ("live panel fragment, one viewer (B)", fragment_cpu, len(fragments)))
    print("    server CPU s per run: " + "; ".join(f"{label} {cpu['server'] / n:.3f}" for label, cpu, n in costs))
    print(f"    C. sessions:     {cpu_line(load_cpu)}")
    if served:
        per_run = load_cpu["server"] / len(served)
        following = len(outcomes) / (LIVE_PANEL_INTERVAL if args.poll == "fragment" else args.page_interval)
        asked = following + 2 / args.probe_interval + len(page_sessions) / args.page_probe_interval
        print(f"    C. the server spent {per_run:.2f} CPU s per run it served ({len(served)} runs); the sessions and "
              f"probes ask for {asked:.0f} runs/s, i.e. {asked * per_run:.1f} CPU s per s of one Python process")
    print(f"  load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    goals = [
        ("zero errors", not errors),
        ("zero lost runs", not lost),
        ("identical configs trained once", not duplicated and len(by_key.get(shared.key, [])) == 1),
        *([(f"page run with every worker training <= {RATIO_GOAL}x idle, no other session (B/A): "
            f"{fmt(ratio_calib, '{:.2f}')}x", ratio_calib <= RATIO_GOAL)] if calib_records else []),
        (f"... and with {len(outcomes)} sessions following their runs (C/A: {fmt(ratio_empty, '{:.2f}')}x; "
         f"page showing a run, C/D: {fmt(ratio_run, '{:.2f}')}x)",
         ratio_empty <= RATIO_GOAL and ratio_run <= RATIO_GOAL),
    ]
    print_goals(goals, errors)
    if duplicated:
        print(f"\nconfigs trained more than once: {duplicated}")
    if args.records:
        dump = [{"session": s.name, "phase": phase, "kind": r.kind, "became_full": r.became_full,
                 "wall_start": r.wall_start, "seconds": r.seconds, "status": r.status, "messages": r.messages,
                 "bytes": r.bytes, "full_pool": at_full_pool(r, submitted, finished, workers) if phase == "C" else None}
                for phase, sessions in (("A/B/D", [idle]), ("C", [o.session for o in outcomes if o.session]
                                                             + [probe_empty, probe_run]))
                for s in sessions for r in s.records]
        events = {"submitted": submitted, "finished": finished, "workers": workers}
        Path(args.records).write_text(json.dumps({"runs": dump, "events": events}, indent=1))
        print(f"\nevery run's record: {args.records}")
    return 1 if errors or lost or duplicated else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("crowd", "room"), default="crowd",
                        help="crowd: sessions pressing Train on their own configs (phases A-D); room: a teacher "
                             "opens a room with a locked, handed-out batch x LR grid, students join it, each "
                             "trains its cell and follows the class board (bench/load_room.py)")
    parser.add_argument("--sessions", type=int, default=None,
                        help="concurrent sessions (crowd: 20, half share one config; room: 30 students)")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--poll", choices=("fragment", "page"), default="fragment",
                        help="how a session follows its run: the live fragment, as a browser does, "
                             "or whole-page reruns")
    parser.add_argument("--page-interval", type=float, default=1.0, help="s between whole-page reruns with --poll page")
    parser.add_argument("--probe-interval", type=float, default=1.0, help="s between the probes' page reruns")
    parser.add_argument("--other-pages", action="store_true",
                        help="also time every other page, idle and under load (a session each, rerun every "
                             "--page-probe-interval s during the load)")
    parser.add_argument("--page-runs", type=int, default=5, help="idle runs timed per other page")
    parser.add_argument("--page-probe-interval", type=float, default=2.0)
    parser.add_argument("--idle-runs", type=int, default=20, help="page runs timed in each idle phase (A, B, D)")
    parser.add_argument("--budget", type=float, default=300.0, help="s for all sessions to see their runs end")
    parser.add_argument("--run-timeout", type=float, default=60.0, help="s for one rerun to finish")
    parser.add_argument("--calib-epochs", type=int, default=300,
                        help="epochs of phase B's trainings (stopped once the page was timed; "
                             "long enough to outlast it)")
    parser.add_argument("--skip-trainings-only", action="store_true", help="leave out phase B")
    parser.add_argument("--quiet-wait", type=float, default=0.0,
                        help="first wait up to this many s for other processes to use under --quiet-cores CPUs")
    parser.add_argument("--quiet-cores", type=float, default=0.3)
    parser.add_argument("--records", metavar="FILE", help="write every run's timing to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server log, store)")
    args = parser.parse_args()
    if args.sessions is None:
        args.sessions = 30 if args.mode == "room" else 20
    if not 2 <= args.sessions <= 200 or not 1 <= args.epochs <= 500 or not 1 <= args.idle_runs <= 100:
        parser.error("--sessions 2..200, --epochs 1..500, --idle-runs 1..100")
    if args.quiet_wait > 0:
        others = wait_for_quiet_machine(args.quiet_wait, args.quiet_cores)
        print(f"other processes on this machine use {others:.2f} CPUs"
              + ("" if others < args.quiet_cores else
                 f" (still above {args.quiet_cores:g} after {args.quiet_wait:.0f} s: the figures will be noisy)"))
    workdir = Path(tempfile.mkdtemp(prefix="batchlab-load-"))
    server = None
    try:
        server = start_server(workdir)
        if args.mode == "room":
            from bench.load_room import run_room  # it builds on this module's helpers

            return asyncio.run(run_room(args, server))
        return asyncio.run(run(args, server))
    finally:
        if server is not None:
            stop_server(server)
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
