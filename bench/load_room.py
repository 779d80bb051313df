"""Room mode of the load bench (`python -m bench.load_sessions --mode room`): one class in one room.

Over Streamlit's websocket protocol, as bench/load_sessions.py does (no browser), on its own server:

1. A teacher session opens the Class page, fills the "class_start" form and submits it; the room's code
   and the teacher key are read from the teacher link the page shows once. The teacher then sets the
   assignment on the same page (the "class_batches" and "class_lrs" multiselects, the "class_epochs"
   number input, the lock and hand-out toggles left on, the "class_assign" button): a locked, handed-out
   3 batch sizes x 3 learning rates grid on the default config with --epochs epochs. The bench checks
   in `Rooms` (the same SQLite file) that this is the assignment the room got.
2. --sessions students (30) open the Class page at once and join with the "class_join" form (code and
   a unique nickname). Each then reads its handed-out cell from the badge in the sidebar: the link to the
   Train page, which must be `train_link(cell)` of the cell `Rooms.cell_of` hands it (round robin in
   joining order, so with 9 cells and 30 students three or four share each cell). A probe member joins
   last (it takes no student's cell) and keeps the Train page open with its default settings.
3. Idle: the teacher's Class page (the room, its empty grid) and the probe's Train page are timed,
   --idle-runs full reruns each, before anything trains.
4. Load: every student opens the Train page with its cell's link, all press Train together (the
   button with key "train"), then go back to the Class page and follow the class board (a fragment
   with run_every=3 s) until every cell's run has ended in the store; the teacher's Class page and the
   probe's Train page rerun every --probe-interval s meanwhile. A page run is "under load" while every
   worker trains (as in crowd mode). Then both are timed idle again.

It reports errors (exception boxes, error and warning alerts: a locked room's refusal too; the
teacher link's one-off "keep the key" warning excepted), cells with no stored run (lost), cells
trained more than once, runs nobody asked for, students whose training is not recorded in the room
(room_entries), the run times idle and under load with their ratio (goal <= 1.5x), and CPU time.
Exit status 1 on errors, lost runs or a cell trained twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from bench.load_sessions import (
    PAGE,
    RATIO_GOAL,
    CpuSnapshot,
    _stored,
    at_full_pool,
    cpu_line,
    ended_at,
    first_presses,
    fmt,
    gather_within,
    median,
    open_session,
    p90,
    print_goals,
    probe,
    row,
    runs_by_key,
    server_tracebacks,
    settle,
    stored_runs,
    timed_reruns,
)
from bench.server import Server
from bench.streamlit_client import (
    ProtocolError,
    RunRecord,
    StreamlitSession,
    int_value,
    picked,
    text_value,
    trigger,
)
from core.classroom.rooms import Assignment, Rooms
from core.runs.store import RunStore
from core.training.config import TrainConfig
from pages.ui.classroom import train_link
from pages.ui.texts import TEXT

CLASS_PAGE = "Class"  # pages/10_Class.py's URL path
ROOM_TITLE = "Load bench"
BATCH_SIZES = (16, 64, 256)
LEARNING_RATES = (0.001, 0.01, 0.1)
PROBE_NICKNAME = "probe"
_TEACHER_LINK = re.compile(r"[?&]room=([A-Za-z0-9]+)&teacher=([A-Za-z0-9_-]+)")
_KEY_ONCE = TEXT["class.key_once"]["en"]
# A cell at LR 0.1 may not train (Adam): its run's page says so, as it should, and that is no error.
_RUN_VERDICTS = tuple(TEXT[key]["en"].split("{message}")[0] for key in ("run.unstable", "run.diverged"))


# ------------------------------------------------------------------------------------ pure pieces

def teacher_link(texts: Iterable[str]) -> tuple[str, str] | None:
    """The room code and teacher key in the teacher link among the page's code blocks, or None."""
    for text in texts:
        found = _TEACHER_LINK.search(text)
        if found:
            return found.group(1), found.group(2)
    return None


def cell_query(cell: TrainConfig) -> str:
    """The query string of the Train page link that opens this cell (the badge's link)."""
    return urlencode(train_link(cell), doseq=True)


def badge_query(links: Iterable[tuple[str, str]]) -> str | None:
    """The query string of the room badge's link: the last link to the Train page that carries settings
    (the sidebar's menu links to it with none), or None."""
    found = [query for page, query in links if page.strip("/").split("/")[-1] == PAGE and query]
    return found[-1] if found else None


def same_query(a: str, b: str) -> bool:
    """Whether two query strings hold the same parameters, whatever their order."""
    return parse_qs(a) == parse_qs(b)


def nickname(i: int) -> str:
    return f"student-{i:02d}"


def room_assignment(epochs: int) -> Assignment:
    """The grid the teacher assigns: locked and handed out, on the default config with `epochs` epochs."""
    return Assignment(TrainConfig(epochs=epochs), BATCH_SIZES, LEARNING_RATES, locked=True, hand_out=True)


def unexpected(problems: Iterable[str]) -> list[str]:
    """The problems a session saw, less the warnings meant to show: the teacher link's "shown only once",
    and an unstable or diverged run's verdict."""
    return [p for p in problems if _KEY_ONCE not in p and not any(verdict in p for verdict in _RUN_VERDICTS)]


@dataclass(frozen=True)
class RoomTally:
    """What the store says after the class trained."""

    lost: list[str]  # cells a student trained with no stored run
    duplicated: dict[str, int]  # cells with more than one stored run
    others: list[str]  # stored runs of configs no student was handed
    unrecorded: list[str]  # students with no entry of their cell in the room


def tally(cells: dict[str, str], stored_keys: Iterable[str], entries: Iterable[tuple[str, str]],
          ignore: Iterable[str] = ()) -> RoomTally:
    """`cells`: nickname -> the key of the cell handed to them; `stored_keys`: one per stored run;
    `entries`: the room's (nickname, key) entries; `ignore`: keys trained by the bench itself."""
    counts: dict[str, int] = {}
    for key in stored_keys:
        counts[key] = counts.get(key, 0) + 1
    wanted, skipped, recorded = set(cells.values()), set(ignore), set(entries)
    return RoomTally(lost=sorted(wanted - counts.keys()),
                     duplicated={k: n for k, n in sorted(counts.items()) if n > 1},
                     others=sorted(k for k in counts if k not in wanted and k not in skipped),
                     unrecorded=sorted(nick for nick, key in cells.items() if (nick, key) not in recorded))


def probe_query(grid: Assignment) -> str:
    """The probe's Train page: the default settings, or another seed when they are one of the grid's cells."""
    return "seed=1" if TrainConfig().key in {c.key for c in grid.cells} else ""


def ratio(load: list[float], idle: list[float]) -> float:
    """Median under load over median idle (nan when either is empty)."""
    return median(load) / median(idle) if load and idle else math.nan


# ------------------------------------------------------------------------------------ sessions

@dataclass
class Student:
    name: str
    session: StreamlitSession | None = None
    cell: TrainConfig | None = None
    query: str = ""  # the badge link's query string
    join: RunRecord | None = None
    pressed_at: float | None = None
    linked: bool = False  # the URL got ?run=<the cell's key>: the page acted on the press
    board_runs: list[RunRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def switch(session: StreamlitSession, page: str, query: str, run_timeout: float) -> RunRecord:
    """Go to another page of the app in the same session (what the sidebar's page links do)."""
    record = await session.rerun(page_script_hash=session.pages[page], query_string=query, timeout=run_timeout)
    if session.page_script_hash != session.pages[page]:
        raise ProtocolError(f"{session.name}: asked for the {page} page, the server ran {session.page_script_hash}")
    return record


async def submit_form(session: StreamlitSession, form: str, texts: dict[str, str], run_timeout: float) -> RunRecord:
    """Fill the form's text inputs (by key) and press its submit button."""
    view = session.view
    missing = [key for key in texts if key not in view.widgets] + ([] if form in view.submitters else [form])
    if missing:
        raise ProtocolError(f"{session.name}: no {', '.join(missing)} on the page")
    states = [text_value(view.widgets[key][0], text) for key, text in texts.items()]
    return await session.rerun(page_script_hash=session.page_script_hash,
                               widget_states=[*states, trigger(view.submitters[form])], timeout=run_timeout)


async def open_room(server: Server, args, rooms: Rooms, errors: list[str]) -> tuple[StreamlitSession, str, str]:
    """The teacher's session: a room opened with the form, its assignment set on the page."""
    teacher = await open_session(server.ws, "teacher", "", args.run_timeout, page=CLASS_PAGE)
    await submit_form(teacher, "class_start", {"class_title": ROOM_TITLE}, args.run_timeout)
    found = teacher_link(teacher.view.texts)
    if found is None:
        raise ProtocolError("teacher: the Class page showed no teacher link after the room was opened")
    teacher.problems[:] = unexpected(teacher.problems)
    code, key = found
    wanted = room_assignment(args.epochs)
    widgets = teacher.view.widgets
    needed = ("class_batches", "class_lrs", "class_epochs", "class_assign")
    if any(k not in widgets for k in needed):
        raise ProtocolError(f"teacher: no {[k for k in needed if k not in widgets]} on the Class page")
    await teacher.rerun(page_script_hash=teacher.page_script_hash, widget_states=[
        picked(widgets["class_batches"][0], [str(b) for b in wanted.batch_sizes]),
        picked(widgets["class_lrs"][0], [str(lr) for lr in wanted.learning_rates]),
        int_value(widgets["class_epochs"][0], args.epochs),
        trigger(widgets["class_assign"][0])], timeout=args.run_timeout)
    got = rooms.assignment(code)
    if got is None or {c.key for c in got.cells} != {c.key for c in wanted.cells} or not (got.locked and got.hand_out):
        errors.append(f"teacher: the page set the assignment {got.to_json() if got else None}, not "
                      f"{wanted.to_json()}; set through Rooms instead")
        rooms.assign(code, key, wanted)
    return teacher, code, key


async def join_room(student: Student, server: Server, code: str, rooms: Rooms, run_timeout: float) -> None:
    """Open the Class page, join with the form, and read the handed-out cell from the badge."""
    try:
        student.session = s = await open_session(server.ws, student.name, "", run_timeout, page=CLASS_PAGE)
        student.join = await submit_form(s, "class_join", {"class_code": code, "class_nickname": student.name},
                                         run_timeout)
        member = next((m for m in rooms.members(code) if m.nickname == student.name), None)
        if member is None:
            raise ProtocolError(f"{student.name}: not a member of room {code} after joining")
        student.cell = rooms.cell_of(member)
        if student.cell is None:
            raise ProtocolError(f"{student.name}: no cell handed out")
        badge = badge_query(s.view.links)
        student.query = cell_query(student.cell)  # what the badge should link to; used when it does not
        if badge is None:
            student.errors.append(f"{student.name}: no Train link in the room badge")
        elif not same_query(badge, student.query):
            student.errors.append(f"{student.name}: the badge links to ?{badge}, its cell is ?{student.query}")
        else:
            student.query = badge
    except (TimeoutError, ProtocolError, OSError) as exc:
        student.errors.append(f"{student.name}: {type(exc).__name__}: {exc}")


async def train_and_follow(student: Student, ready: asyncio.Barrier, pressed: asyncio.Barrier, done: asyncio.Event,
                           run_timeout: float) -> None:
    """Open the Train page with the cell's link; press Train with everyone; follow the class board until done."""
    s = student.session
    try:
        try:
            try:
                if s is None or student.cell is None:
                    raise ProtocolError(f"{student.name}: did not join")
                await switch(s, PAGE, student.query, run_timeout)
            finally:
                await ready.wait()  # every student has the Train page open (or failed to)
            assert s is not None and student.cell is not None
            button = s.view.widgets.get("train")
            if button is None:
                raise ProtocolError(f"{student.name}: no Train button")
            student.pressed_at = time.time()
            await s.rerun(page_script_hash=s.page_script_hash, widget_states=[trigger(button[0])],
                          timeout=run_timeout)
            student.linked = f"run={student.cell.key}" in s.query_string
        finally:
            await pressed.wait()  # every student has pressed (or failed to)
        await switch(s, CLASS_PAGE, "", run_timeout)
        while not done.is_set():
            if not s.view.auto_reruns:
                raise ProtocolError(f"{student.name}: the class board is not live")
            fragment_id, interval = next(iter(s.view.auto_reruns.items()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), interval)
            if done.is_set():
                break
            student.board_runs.append(await s.rerun(page_script_hash=s.page_script_hash, fragment_id=fragment_id,
                                                    timeout=run_timeout))
        await s.rerun(page_script_hash=s.page_script_hash, timeout=run_timeout)  # the board as it ends
    except (TimeoutError, ProtocolError, OSError) as exc:
        student.errors.append(f"{student.name}: {type(exc).__name__}: {exc}")
    except Exception as exc:
        student.errors.append(f"{student.name}: unexpected {type(exc).__name__}: {exc}")


async def watch_cells(server: Server, rooms: Rooms, code: str, cells: set[str], pressed: asyncio.Barrier,
                      done: asyncio.Event, budget: float) -> bool:
    """Once every student has pressed Train, set `done` when every cell the room's entries asked for has its
    run ended in the store (or the budget is spent); whether they all did."""
    deadline = time.monotonic() + budget
    try:
        await asyncio.wait_for(pressed.wait(), budget)
        keys = {e.key for e in rooms.entries(code)} & cells  # a press the page refused trains nothing
        while time.monotonic() < deadline:
            if all(_stored(server.db, key) is not None for key in keys):
                return True
            await asyncio.sleep(1.0)
        return False
    except TimeoutError:
        return False
    finally:
        done.set()


# ------------------------------------------------------------------------------------ the run

async def run_room(args, server: Server) -> int:
    workers = int(os.environ.get("BATCHLAB_WORKERS", os.cpu_count() or 1))
    errors: list[str] = []
    rooms = Rooms(RunStore(server.db))
    print(f"server: {server.url} (pid {server.process.pid}), store {server.db}, {workers} training workers")

    # ---- the room and its assignment, through the Class page
    teacher, code, _key = await open_room(server, args, rooms, errors)
    grid = room_assignment(args.epochs)
    print(f"room {code}: {len(grid.batch_sizes)} batch sizes x {len(grid.learning_rates)} LRs "
          f"({len(grid.cells)} cells, {args.epochs} epochs), locked, handed out")

    # ---- the students join at once, then the probe member
    students = [Student(nickname(i)) for i in range(args.sessions)]
    await asyncio.gather(*(join_room(s, server, code, rooms, args.run_timeout) for s in students))
    joins = [s.join for s in students if s.join is not None]
    print(f"{len(joins)} of {len(students)} students joined at once: "
          f"median {fmt(median([r.seconds for r in joins]))} s")
    probe_member = Student(PROBE_NICKNAME)
    await join_room(probe_member, server, code, rooms, args.run_timeout)
    if probe_member.session is None:
        raise RuntimeError(f"the probe could not join: {probe_member.errors}")
    train_probe = probe_member.session
    await switch(train_probe, PAGE, probe_query(grid), args.run_timeout)  # settings nobody trains

    # ---- idle: the teacher's Class page and the Train page, nothing trained yet
    await timed_reruns(teacher, 2, args.run_timeout)
    await timed_reruns(train_probe, 2, args.run_timeout)
    settled = await settle(server.process.pid, 60)
    before = CpuSnapshot.take(server.process.pid)
    idle_class = await timed_reruns(teacher, args.idle_runs, args.run_timeout)
    idle_train = await timed_reruns(train_probe, args.idle_runs, args.run_timeout)
    idle_cpu = CpuSnapshot.take(server.process.pid).since(before)
    print(f"idle (after {settled:.0f} s for the workers to start): Class page (teacher) median "
          f"{fmt(median([r.seconds for r in idle_class]))} s, "
          f"Train page {fmt(median([r.seconds for r in idle_train]))} s")

    # ---- load: every student trains its cell, then all follow the board
    joined = [s for s in students if s.cell is not None]
    keys = {s.cell.key for s in joined if s.cell is not None}
    ready, pressed = asyncio.Barrier(len(students) + 1), asyncio.Barrier(len(students) + 1)
    done, stop = asyncio.Event(), asyncio.Event()
    tasks = [asyncio.create_task(train_and_follow(s, ready, pressed, done, args.run_timeout)) for s in students]
    await asyncio.wait_for(ready.wait(), args.run_timeout + 30)
    cpu_go = CpuSnapshot.take(server.process.pid)
    marks = {teacher.name: len(teacher.records), train_probe.name: len(train_probe.records)}
    probe_errors: list[str] = []
    probes = [asyncio.create_task(probe(p, stop, args.probe_interval, args.run_timeout, probe_errors))
              for p in (teacher, train_probe)]
    watcher = asyncio.create_task(watch_cells(server, rooms, code, keys, pressed, done, args.budget))
    await gather_within(tasks, args.budget + args.run_timeout + 30, errors)
    if not await watcher:
        errors.append(f"not every cell's run had ended within --budget {args.budget:g} s")
    stop.set()
    await asyncio.gather(*probes, return_exceptions=True)
    load_cpu = CpuSnapshot.take(server.process.pid).since(cpu_go)
    loaded_class = teacher.records[marks[teacher.name]:]
    loaded_train = train_probe.records[marks[train_probe.name]:]
    for s in students:
        if s.session:
            await s.session.close()

    # ---- idle again
    before = CpuSnapshot.take(server.process.pid)
    after_class = await timed_reruns(teacher, args.idle_runs, args.run_timeout)
    after_train = await timed_reruns(train_probe, args.idle_runs, args.run_timeout)
    after_cpu = CpuSnapshot.take(server.process.pid).since(before)
    for session in (teacher, train_probe):
        errors.extend(session.problems)
        await session.close()

    # ---- what the store and the room say
    by_key = runs_by_key(stored_runs(server.db))
    asked = {s.name: s.cell.key for s in joined if s.cell is not None and s.pressed_at is not None}
    entries = [(e.nickname, e.key) for e in rooms.entries(code)]
    found = tally(asked, [k for k, runs in by_key.items() for _ in runs], entries)
    for s in (*students, probe_member):
        errors.extend(s.errors)
        if s.session is not None and s is not probe_member:
            errors.extend(s.session.problems)
    errors.extend(probe_errors)
    errors.extend(server_tracebacks(server))
    if len(joined) < len(students):
        errors.append(f"{len(students) - len(joined)} student(s) did not join")
    if found.others:
        errors.append(f"{len(found.others)} stored run(s) of configs no student was handed")
    if found.unrecorded:
        errors.append(f"{len(found.unrecorded)} student(s) whose training is not in the room's entries: "
                      f"{', '.join(found.unrecorded)}")

    submitted = first_presses((s.cell.key, s.pressed_at) for s in joined if s.cell is not None)
    finished = {k: ended_at(v[0]) for k, v in by_key.items() if k in keys}

    def loaded(records: list[RunRecord]) -> list[float]:
        return [r.seconds for r in records if at_full_pool(r, submitted, finished, workers)]

    board = [r for s in students for r in s.board_runs]
    board_full = [r for r in board if at_full_pool(r, submitted, finished, workers)]
    window = (min(r.wall_start for r in board_full), max(r.wall_end for r in board_full)) if board_full else None

    # ---- report
    idle_class_s, idle_train_s = [r.seconds for r in idle_class], [r.seconds for r in idle_train]
    load_class_s, load_train_s = loaded(loaded_class), loaded(loaded_train)
    ratio_class, ratio_train = ratio(load_class_s, idle_class_s), ratio(load_train_s, idle_train_s)
    print()
    print(f"Room load test: room {code}, {len(students)} students on a {len(grid.cells)}-cell grid "
          f"(MNIST-1D, 1-D CNN, Adam, batch {'/'.join(map(str, grid.batch_sizes))} x LR "
          f"{'/'.join(f'{lr:g}' for lr in grid.learning_rates)}, {args.epochs} epochs), locked and handed out; "
          f"all follow the class board; the teacher's Class page and a Train page rerun every "
          f"{args.probe_interval:g} s")
    print(f"  errors                                   {len(errors)}")
    print(f"  cells trained by students                {len(keys)} (of {len(grid.cells)}); runs stored "
          f"{sum(len(by_key.get(k, [])) for k in keys)}, {len(found.others)} others")
    print(f"  lost runs (a cell with no stored run)    {len(found.lost)}")
    print(f"  cells trained more than once             {len(found.duplicated)}")
    print(f"  students' trainings in the room entries  {len(asked) - len(found.unrecorded)} of {len(asked)} "
          f"pressed")
    print(f"  presses the page acted on (?run= link)   {sum(s.linked for s in students)} of {len(asked)} "
          f"(a press on a cell a classmate's run already trains meets a disabled button)")
    if window:
        print(f"  all {workers} workers training               {window[1] - window[0]:.1f} s of the load phase")
    print()
    print(f"  {'run time (s, send -> script_finished)':<54} {'runs':>5} {'median':>8} {'p90':>8} {'max':>8}")
    print(row("Class page (teacher), idle", idle_class_s))
    print(row(f"Class page (teacher), {workers} trainings + {len(students)} students", load_class_s))
    print(row("Class page (teacher), idle again", [r.seconds for r in after_class]))
    print(row("Train page (room member, defaults), idle", idle_train_s))
    print(row("Train page, under load", load_train_s))
    print(row("Train page, idle again", [r.seconds for r in after_train]))
    print(row(f"{len(students)} students joining at once", [r.seconds for r in joins]))
    print(row("students' class board fragment runs under load", loaded(board)))
    print(row("students' class board fragment runs, all", [r.seconds for r in board]))
    print()
    print("  CPU time")
    print(f"    idle:       {cpu_line(idle_cpu)}")
    print(f"    load:       {cpu_line(load_cpu)}")
    print(f"    idle again: {cpu_line(after_cpu)}")
    # the students' runs after opening, joining and opening the Train page (before the load's CPU count)
    served = (len(loaded_class) + len(loaded_train)
              + sum(max(0, len(s.session.records) - 3) for s in students if s.session))
    idle_served = len(idle_class) + len(idle_train)
    print(f"    server CPU s per run: idle {idle_cpu['server'] / idle_served:.3f}; load "
          f"{load_cpu['server'] / max(1, served):.3f} ({served} runs served: pages, presses, board fragments)")
    print(f"  load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    again_class = ratio(load_class_s, [r.seconds for r in after_class])  # the board full, idle
    p90_class = p90(load_class_s) / p90(idle_class_s) if load_class_s and idle_class_s else math.nan
    p90_train = p90(load_train_s) / p90(idle_train_s) if load_train_s and idle_train_s else math.nan
    goals = [
        ("zero errors", not errors),
        ("zero lost runs", not found.lost),
        ("every cell trained once", not found.duplicated),
        (f"page run with every worker training and {len(students)} students on the board <= {RATIO_GOAL}x idle: "
         f"Class page {fmt(ratio_class, '{:.2f}')}x (p90 {fmt(p90_class, '{:.2f}')}x; against its idle run "
         f"with the finished board {fmt(again_class, '{:.2f}')}x), "
         f"Train page {fmt(ratio_train, '{:.2f}')}x (p90 {fmt(p90_train, '{:.2f}')}x)",
         ratio_class <= RATIO_GOAL and ratio_train <= RATIO_GOAL),
    ]
    print_goals(goals, errors)
    if found.duplicated:
        print(f"\ncells trained more than once: {found.duplicated}")
    return 1 if errors or found.lost or found.duplicated else 0
