"""The run store: finished runs in one embedded SQLite file; save, find again, reuse, edit.

The app runs on a shared classroom server where every Streamlit session has its own
thread, so each operation opens its own connection (WAL journal, a busy timeout and
short `BEGIN IMMEDIATE` write transactions): several sessions saving at once lose nothing.

A run's settings and summary metrics are columns (for listing and filtering), its
per-epoch history is a table and its per-step losses are one BLOB of little-endian
float64, so everything reads back bit for bit. What a run is lives in runs/stored.py,
the checks of what is written in runs/checks.py, the exchange files in runs/exchange.py.

Durability. A training is saved while it runs (`begin`, then `append` as epochs arrive, then
`complete`), under the status "running" and the name of the process writing it; when a store
is opened, a run whose writer is gone becomes "interrupted", keeping every epoch it saved.
The journal is WAL with `synchronous = NORMAL`: a killed process (kill -9, Ctrl-C, a crashed
server) loses no committed transaction, and the file stays consistent; only a power cut or an
operating-system crash may lose the last transactions before it (never the file). On opening,
`PRAGMA quick_check` reads the whole file: a damaged store is renamed aside, never overwritten,
and a fresh one started (`recovered` says so). BATCHLAB_STORE_MAX_MB caps the file's size: a
write past it (or a full disk) fails with a StoreError and leaves the file as it was.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from core import settings
from core.messages import Message, as_text, from_text, reason
from core.runs import exchange
from core.runs.checks import check_run, check_tags, check_text, with_text_message
from core.runs.ownership import Editor, refusal
from core.runs.stored import SCHEMA_VERSION, StoredRun, StoreError, unknown_id
from core.training.config import TrainConfig
from core.training.record import (
    HISTORY_COLUMNS,
    REUSABLE,
    HistoryRow,
    RunResult,
    Status,
    best_epoch,
    history_row,
    history_values,
)

APPLICATION_ID = 0x42614C62  # "BaLb" in the SQLite header: marks a Batch Lab run store
SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file
IDLE_CONNECTIONS = 8  # open connections a store keeps for the next caller (one per thread at a time)
DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")  # the error names of a damaged file (not a busy or full one)
RUN_COLUMNS = ["id", "name", "tags", "source", "status", "dataset", "model", "optimizer", "batch_size",
               "learning_rate", "epochs", "epochs_run", "seed", "updates", "best_val_loss", "best_val_acc",
               "test_loss", "test_acc", "sharpness", "sharpness_converged", "wall_time", "device", "created_at",
               "key", "owner", "room"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    tags TEXT NOT NULL,           -- JSON list of strings
    source TEXT NOT NULL,
    created_at REAL NOT NULL,
    versions TEXT NOT NULL,       -- JSON object: library versions at save time
    config TEXT NOT NULL,         -- JSON of TrainConfig.to_dict()
    key TEXT NOT NULL,
    prefix_key TEXT NOT NULL,     -- the key with epochs=1: runs differing only in epochs share it
    status TEXT NOT NULL,
    dataset TEXT NOT NULL,
    model TEXT NOT NULL,
    optimizer TEXT NOT NULL,
    batch_size INTEGER NOT NULL,
    learning_rate REAL NOT NULL,
    epochs INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    epochs_run INTEGER NOT NULL,
    updates INTEGER NOT NULL,
    device TEXT NOT NULL,
    wall_time REAL NOT NULL,
    message TEXT NOT NULL,
    best_epoch INTEGER,
    best_val_loss REAL,
    best_val_acc REAL,
    final_val_loss REAL,
    test_loss REAL,
    test_acc REAL,
    step_losses BLOB NOT NULL,    -- little-endian float64
    sharpness REAL,               -- top Hessian eigenvalue of the training loss at the end (NULL: not measured)
    sharpness_converged INTEGER,  -- 1 or 0: whether its power iteration converged (NULL: not measured or stored
                                  -- before schema 4) [no commas in these comments: DROP COLUMN trips on them]
    writer TEXT,                  -- while it trains: the process saving its epochs as host:pid:start-time
    owner TEXT,                   -- the owner id of whoever made it (core/runs/ownership.py) or NULL
    room TEXT                     -- the classroom room it was made in or NULL
);
CREATE INDEX IF NOT EXISTS runs_by_key ON runs (key, created_at);
CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status);
CREATE INDEX IF NOT EXISTS runs_by_prefix_key ON runs (prefix_key, created_at);
CREATE TABLE IF NOT EXISTS epochs (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    step INTEGER NOT NULL,
    samples INTEGER NOT NULL,
    time_s REAL NOT NULL,
    lr REAL NOT NULL,
    train_loss REAL NOT NULL,
    val_loss REAL NOT NULL,
    train_acc REAL NOT NULL,
    val_acc REAL NOT NULL,
    train_loss_running REAL NOT NULL,
    train_acc_running REAL NOT NULL,
    PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS run_groups (
    id TEXT PRIMARY KEY,          -- group_id(): a digest of the sorted config keys
    kind TEXT NOT NULL,           -- the page that submitted it: "sweep"
    created_at REAL NOT NULL,
    keys TEXT NOT NULL            -- JSON list of the config keys, in the order submitted
);
"""  # and the room tables of _ROOMS and _LESSONS_IN_ROOMS
_ROOMS = (  # schema 6: classroom rooms (core/classroom/rooms.py), their members and what they asked to train
    "CREATE TABLE IF NOT EXISTS rooms (code TEXT PRIMARY KEY, title TEXT NOT NULL, teacher_key TEXT NOT NULL, "
    "created_at REAL NOT NULL, active_at REAL NOT NULL, idle_close_s REAL NOT NULL, closed_at REAL, "
    "assignment TEXT)",  # the teacher's assignment as JSON (core/classroom/rooms.py), NULL for none
    "CREATE TABLE IF NOT EXISTS room_members (room TEXT NOT NULL REFERENCES rooms (code) ON DELETE CASCADE, "
    "nickname TEXT NOT NULL, owner TEXT NOT NULL, joined_at REAL NOT NULL, PRIMARY KEY (room, nickname), "
    "UNIQUE (room, owner))",
    "CREATE TABLE IF NOT EXISTS room_entries (room TEXT NOT NULL REFERENCES rooms (code) ON DELETE CASCADE, "
    "nickname TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, config TEXT NOT NULL, created_at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS room_entries_by_room ON room_entries (room, created_at)",
)
_LESSONS_IN_ROOMS = (  # schema 7: a lesson a room's teacher assigns and reveals and the class's predictions
    "ALTER TABLE rooms ADD COLUMN lesson TEXT",  # the id of the lesson the room is doing (core/classroom/lessons.py)
    "ALTER TABLE rooms ADD COLUMN revealed_at REAL",  # when its teacher revealed the lesson's result or NULL
    "CREATE TABLE IF NOT EXISTS room_predictions (room TEXT NOT NULL REFERENCES rooms (code) ON DELETE CASCADE, "
    "owner TEXT NOT NULL, nickname TEXT NOT NULL, lesson TEXT NOT NULL, question TEXT NOT NULL, "
    "value TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (room, owner, lesson, question))",  # value: JSON
)
_GROUPS_AND_WRITERS = (  # schema 5: a run saved while it trains, and the groups (sweeps) submitted
    "ALTER TABLE runs ADD COLUMN writer TEXT",
    "CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status)",
    "CREATE TABLE IF NOT EXISTS run_groups (id TEXT PRIMARY KEY, kind TEXT NOT NULL, created_at REAL NOT NULL, "
    "keys TEXT NOT NULL)",
)


# The statements that take a file from schema k to k + 1, run in the transaction that opens it.
_MIGRATIONS = {
    1: ("ALTER TABLE runs ADD COLUMN sharpness REAL",),
    2: (  # the stored train_loss and train_acc were running means (record.from_running_mean)
        "ALTER TABLE epochs ADD COLUMN train_loss_running REAL NOT NULL DEFAULT 'nan'",
        "ALTER TABLE epochs ADD COLUMN train_acc_running REAL NOT NULL DEFAULT 'nan'",
        "UPDATE epochs SET train_loss_running = train_loss, train_acc_running = train_acc, train_loss = 'nan', "
        "train_acc = 'nan'",
    ),
    3: ("ALTER TABLE runs ADD COLUMN sharpness_converged INTEGER",),  # NULL for the runs stored before
    4: _GROUPS_AND_WRITERS,
    5: ("ALTER TABLE runs ADD COLUMN owner TEXT", "ALTER TABLE runs ADD COLUMN room TEXT", *_ROOMS),
    6: _LESSONS_IN_ROOMS,
}


@cache
def library_versions() -> dict[str, str]:
    return {"python": platform.python_version(), "torch": str(torch.__version__),
            "numpy": np.__version__, "pandas": pd.__version__}


class RunStore:
    """Runs in one SQLite file. Holds only the path, so one instance may serve every thread."""

    def __init__(self, path: str | Path, max_megabytes: int | None = None):
        self.path = Path(path)
        self.max_megabytes = settings.store_max_megabytes() if max_megabytes is None else max_megabytes
        self.recovered: Message | None = None  # set when a damaged file was kept aside and a fresh store started
        self._idle: list[sqlite3.Connection] = []  # connections kept for reuse (_connect)
        self._idle_lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(Message("store.no_folder", "Cannot create the folder of the run store {path}: {error}.",
                                     path=str(self.path), error=e.strerror)) from e
        self._set_aside_if_damaged()
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")  # two processes creating the same new file: one initialises it
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id == 0 and version == 0 and tables == 0:
                for statement in [*filter(str.strip, _SCHEMA.split(";")), *_ROOMS, *_LESSONS_IN_ROOMS]:
                    con.execute(statement)
                con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif app_id == APPLICATION_ID and version in _MIGRATIONS:
                version = _migrate(con, version)
            con.execute("COMMIT")
            if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables > 0):
                raise StoreError(Message("store.other_program", "{path} is an SQLite database of another program, "
                                         "not a Batch Lab run store; choose another file.", path=str(self.path)))
            if app_id == APPLICATION_ID and version != SCHEMA_VERSION:
                raise StoreError(Message("store.newer_schema", "The run store {path} was written by schema "
                                         "{version}; this Batch Lab reads schema {schema}.",
                                         path=str(self.path), version=version, schema=SCHEMA_VERSION))
            con.execute("PRAGMA journal_mode = WAL")  # persistent: readers never block the writer
        self.interrupted = self.mark_interrupted()  # the runs a server that is gone left "running"

    def _set_aside_if_damaged(self) -> None:
        """Check an existing SQLite file (PRAGMA quick_check); rename a damaged one, with its -wal and -shm
        files, to <name>.damaged-<time>, so a fresh store starts and nothing is overwritten.

        A file that is not SQLite at all is left where it is (the open refuses it: it may be someone's notes)."""
        try:
            with open(self.path, "rb") as file:
                if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                    return
        except FileNotFoundError:
            return
        except OSError as e:
            raise StoreError(Message("store.unusable", "The run store {path} could not be used: {error}.",
                                     path=str(self.path), error=e.strerror)) from e
        try:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                problems = [row[0] for row in con.execute("PRAGMA quick_check(3)")]
            finally:
                con.close()
        except sqlite3.DatabaseError as e:
            if not _is_damage(e):
                raise StoreError(Message("store.unusable", "The run store {path} could not be used: {error}.",
                                         path=str(self.path), error=str(e))) from e
            problems = [str(e)]
        if problems == ["ok"]:
            return
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{self.path}{suffix}").exists():
                os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
        self.recovered = Message("store.damaged", "The run store {path} was damaged ({problem}). It was kept as "
                                 "{aside} and a fresh, empty store was started.", path=str(self.path),
                                 problem="; ".join(problems), aside=str(aside))

    # ------------------------------------------------------------------ connections

    def _open_connection(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA busy_timeout = 30000")
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA synchronous = NORMAL")  # with WAL: a killed process loses no commit (see above)
        if self.max_megabytes:
            page_size = con.execute("PRAGMA page_size").fetchone()[0]
            con.execute(f"PRAGMA max_page_count = {max(1, self.max_megabytes * 2**20 // page_size)}")
        return con

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in autocommit mode, for one thread at a time; SQLite errors become StoreError messages.

        Connections are kept for the next caller (up to IDLE_CONNECTIONS): opening one and reading the
        schema costs some 0.6 ms, sixty times a small query, and a page run asks the store a dozen times."""
        con, reusable = None, False
        try:
            with self._idle_lock:
                con = self._idle.pop() if self._idle else None
            if con is None:
                con = self._open_connection()
            yield con
            reusable = not con.in_transaction
        except sqlite3.DatabaseError as e:
            if _sqlite_error(e) == "SQLITE_FULL":
                raise StoreError(Message("store.full", "The run store {path} is full (the disk, or its cap of "
                                         "BATCHLAB_STORE_MAX_MB): {error}.", path=str(self.path),
                                         error=str(e))) from e
            if _is_damage(e):
                raise StoreError(Message("store.not_a_database", "{path} is not a Batch Lab run store (it is not "
                                         "a readable SQLite database); choose another file.",
                                         path=str(self.path))) from e
            raise StoreError(Message("store.unusable", "The run store {path} could not be used: {error}.",
                                     path=str(self.path), error=str(e))) from e
        finally:
            if con is not None:
                with self._idle_lock:
                    if reusable and len(self._idle) < IDLE_CONNECTIONS:
                        self._idle.append(con)
                        con = None
                if con is not None:
                    con.close()

    def close(self) -> None:
        """Close the connections kept for reuse (a later call opens new ones): the file is then as a stopped
        server leaves it, its write-ahead log checkpointed into it once the last connection closes."""
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for con in idle:
            con.close()

    def __getstate__(self) -> dict[str, object]:  # connections stay in the process that opened them
        return {key: value for key, value in self.__dict__.items() if key not in ("_idle", "_idle_lock")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._idle, self._idle_lock = [], threading.Lock()

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction: a consistent snapshot for reads, all-or-nothing for writes."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield con
            except BaseException:
                if con.in_transaction:  # SQLite rolls back by itself after some errors
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    # ------------------------------------------------------------------ save and read

    def save(self, result: RunResult, *, name: str = "", tags: tuple[str, ...] = (), source: str = "user",
             owner: str | None = None, room: str | None = None) -> str:
        """Store a run, as made by `owner` (an owner id) in `room`; returns its new id."""
        run = check_run({"name": name, "tags": tags, "source": source, "created_at": time.time(),
                          "versions": library_versions(), "result": with_text_message(result)},
                         Message("store.the_run", "the run"))
        with self._transaction(write=True) as con:
            _insert(con, dataclasses.replace(run, owner=owner, room=room))
        return run.id

    def get(self, run_id: str) -> StoredRun | None:
        with self._transaction(write=False) as con:
            return self._load(con, run_id)

    # ------------------------------------------------------------------ runs saved while they train

    def begin(self, so_far: RunResult, *, source: str = "user", owner: str | None = None,
              room: str | None = None) -> str:
        """Save a training that is still running, with its epochs so far, under the status "running";
        returns its id. `append` adds the epochs that follow, `complete` writes how it ended."""
        run = StoredRun(_new_id(), "", (), source, time.time(), library_versions(),
                        dataclasses.replace(so_far, status=Status.RUNNING), owner=owner, room=room)
        with self._transaction(write=True) as con:
            _insert(con, run, writer=_this_process())
        return run.id

    def append(self, run_id: str, so_far: RunResult, saved_rows: int, saved_steps: int) -> None:
        """Add the epochs and step losses of a running run past the first `saved_rows` and `saved_steps`
        (those already saved), and bring its summary up to date; one short write."""
        best: Mapping[str, object] = so_far.best_row or {}
        blob = np.asarray(so_far.step_losses[saved_steps:], dtype="<f8").tobytes()
        with self._transaction(write=True) as con:
            changed = con.execute(
                "UPDATE runs SET epochs_run = ?, updates = ?, wall_time = ?, best_epoch = ?, best_val_loss = ?, "
                "best_val_acc = ?, step_losses = CAST(step_losses || ? AS BLOB) WHERE id = ? AND status = ?",
                [_to_sql(v) for v in (so_far.epochs_run, so_far.updates, so_far.wall_time, so_far.best_epoch,
                                      best.get("val_loss"), best.get("val_acc"), blob, run_id, Status.RUNNING)])
            if changed.rowcount == 0:
                raise StoreError(Message("store.not_running", "Stored run {run} is not training any more.",
                                         run=run_id))
            _insert_rows(con, run_id, so_far.rows[saved_rows:])

    def complete(self, run_id: str, result: RunResult, owner: str | None = None, room: str | None = None) -> None:
        """Write how a run saved by `begin` ended: its status, summary, every epoch and step loss.

        Checked like any run; if the running run was deleted meanwhile, it is saved again under its id, as
        `owner`'s in `room` (whoever else was following the shared training keeps it)."""
        checked = check_run({"name": "", "tags": (), "source": "user", "created_at": time.time(),
                             "versions": library_versions(), "result": with_text_message(result)},
                            Message("store.the_run", "the run"))
        with self._transaction(write=True) as con:
            kept = con.execute("SELECT name, tags, source, created_at, owner, room FROM runs WHERE id = ?",
                               (run_id,)).fetchone()
            name, tags, source, created_at, owner, room = kept or ("", "[]", "user", checked.created_at, owner, room)
            con.execute("DELETE FROM runs WHERE id = ?", (run_id,))  # its epochs go with it (ON DELETE CASCADE)
            _insert(con, dataclasses.replace(checked, id=run_id, name=name, tags=tuple(json.loads(tags)),
                                             source=source, created_at=created_at, owner=owner, room=room))

    def mark_interrupted(self) -> list[str]:
        """Runs left "running" by a process that is gone (a server killed or restarted) become "interrupted",
        keeping every epoch they saved; returns their ids. Runs another live process is saving are left alone."""
        with self._connect() as con:
            running = con.execute("SELECT id, writer FROM runs WHERE status = ?", (Status.RUNNING,)).fetchall()
        gone = [run_id for run_id, writer in running if not _writer_alive(writer)]
        if not gone:
            return []
        with self._transaction(write=True) as con:
            for run_id in gone:
                epochs = con.execute("SELECT count(*) FROM epochs WHERE run_id = ? AND epoch > 0",
                                     (run_id,)).fetchone()[0]
                con.execute("UPDATE runs SET status = ?, writer = NULL, message = ? WHERE id = ? AND status = ?",
                            (Status.INTERRUPTED, as_text(interrupted_message(epochs)), run_id, Status.RUNNING))
        return gone

    # ------------------------------------------------------------------ groups of runs (a sweep)

    def record_group(self, kind: str, configs: list[TrainConfig]) -> str:
        """Remember that these configs were submitted together (a sweep), so that after a restart the
        page that sent them can find what is left to train; returns the group's id."""
        keys = [c.key for c in configs]
        group = group_id(keys)
        with self._transaction(write=True) as con:
            con.execute("INSERT OR REPLACE INTO run_groups (id, kind, created_at, keys) VALUES (?, ?, ?, ?)",
                        (group, kind, time.time(), json.dumps(keys)))
        return group

    def group_state(self, configs: list[TrainConfig]) -> GroupState | None:
        """How far the group of these configs got, if it was ever submitted (record_group); else None."""
        keys = [c.key for c in configs]
        marks = ", ".join("?" * len(REUSABLE))
        with self._transaction(write=False) as con:
            if con.execute("SELECT 1 FROM run_groups WHERE id = ?", (group_id(keys),)).fetchone() is None:
                return None
            finished = {key for key in keys if con.execute(
                f"SELECT 1 FROM runs WHERE key = ? AND status IN ({marks}) LIMIT 1", (key, *REUSABLE)).fetchone()}
            interrupted = {key for key in set(keys) - finished if con.execute(
                "SELECT 1 FROM runs WHERE key = ? AND status = ? LIMIT 1", (key, Status.INTERRUPTED)).fetchone()}
        return GroupState(total=len(set(keys)), finished=len(finished), interrupted=len(interrupted))

    def integrity(self) -> str:
        """PRAGMA integrity_check's verdict: "ok", or the problems found."""
        with self._connect() as con:
            return "; ".join(row[0] for row in con.execute("PRAGMA integrity_check"))

    def count(self) -> int:
        with self._connect() as con:
            return con.execute("SELECT count(*) FROM runs").fetchone()[0]

    def runs(self) -> pd.DataFrame:
        """One row per run, newest first, with the columns of RUN_COLUMNS."""
        with self._connect() as con:
            records = con.execute(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs "
                                  f"ORDER BY created_at DESC, rowid DESC").fetchall()
        frame = pd.DataFrame(records, columns=RUN_COLUMNS)
        frame["tags"] = [", ".join(json.loads(t)) for t in frame["tags"]]
        for column in ("learning_rate", "best_val_loss", "best_val_acc", "test_loss", "test_acc", "sharpness",
                       "wall_time", "created_at"):
            frame[column] = frame[column].map(_from_sql).astype(float)  # None (no value) becomes NaN
        at = RUN_COLUMNS.index("sharpness_converged")  # from the records: the frame has made 1, 0, NULL floats
        frame["sharpness_converged"] = pd.Series([_bool_from_sql(r[at]) for r in records], index=frame.index,
                                                 dtype=object)  # True, False or None
        return frame

    def find(self, config: TrainConfig, with_sharpness: bool = False) -> StoredRun | None:
        """The newest run of exactly these settings that can be shown instead of training again;
        with_sharpness: only one whose sharpness was measured."""
        marks = ", ".join("?" * len(REUSABLE))
        measured = " AND sharpness IS NOT NULL" if with_sharpness else ""
        with self._transaction(write=False) as con:
            row = con.execute(f"SELECT id FROM runs WHERE key = ? AND status IN ({marks}){measured} "
                              f"ORDER BY created_at DESC, rowid DESC LIMIT 1", (config.key, *REUSABLE)).fetchone()
            return self._load(con, row[0]) if row else None

    def find_prefix(self, config: TrainConfig) -> StoredRun | None:
        """The first `config.epochs` epochs of a longer completed run of the same settings.

        Without early stopping, and with a schedule that does not look at the last epoch (not cosine),
        nothing in an epoch depends on the total epoch count, so those epochs are exactly what training
        `config` would give (test metrics excepted: unknown).
        Settings compare by `key`, i.e. fields the run ignores (momentum for Adam) may differ.
        """
        if config.early_stopping or config.schedule == "cosine":  # a cosine decays towards the last epoch
            return None
        with self._transaction(write=False) as con:
            row = con.execute("SELECT id FROM runs WHERE prefix_key = ? AND status = ? AND epochs > ? "
                              "ORDER BY created_at DESC, rowid DESC LIMIT 1",
                              (_prefix_key(config), Status.COMPLETED, config.epochs)).fetchone()
            stored = self._load(con, row[0]) if row else None
        if stored is None or stored.result.epochs_run < config.epochs:
            return None
        n, full = config.epochs, stored.result
        rows = [r.copy() for r in full.rows if r["epoch"] <= n]
        result = RunResult(
            config=config, status=Status.COMPLETED, rows=rows, step_losses=full.step_losses[:rows[-1]["step"]],
            device=full.device, wall_time=rows[-1]["time_s"], best_epoch=best_epoch(rows, Status.COMPLETED, config),
            final_val_loss=None, test_loss=None, test_acc=None,
            message=_prefix_message(n, stored.id, full.epochs_run))
        return dataclasses.replace(stored, result=result, reused_from=stored.id)

    def _load(self, con: sqlite3.Connection, run_id: str) -> StoredRun | None:
        record = con.execute("SELECT name, tags, source, created_at, versions, config, status, device, wall_time, "
                             "message, best_epoch, final_val_loss, test_loss, test_acc, sharpness, "
                             "sharpness_converged, step_losses, owner, room FROM runs WHERE id = ?",
                             (run_id,)).fetchone()
        if record is None:
            return None
        (name, tags, source, created_at, versions, config, status, device, wall_time,
         message, best, final_val_loss, test_loss, test_acc, sharpness, converged, blob, owner, room) = record
        epochs = con.execute(f"SELECT {', '.join(HISTORY_COLUMNS)} FROM epochs WHERE run_id = ? ORDER BY epoch",
                             (run_id,)).fetchall()
        try:
            train_config = TrainConfig.from_dict(json.loads(config))
        except ValueError as e:
            raise StoreError(Message("store.unreadable_settings", "Stored run {run} has settings this Batch Lab "
                                     "cannot read: {error}", run=run_id, error=reason(e))) from e
        result = RunResult(
            config=train_config, status=status,
            rows=[history_row(dict(zip(HISTORY_COLUMNS, map(_from_sql, r), strict=True))) for r in epochs],
            step_losses=np.frombuffer(blob, dtype="<f8").tolist(), device=device, wall_time=_from_sql(wall_time),
            best_epoch=best, final_val_loss=_from_sql(final_val_loss), test_loss=_from_sql(test_loss),
            test_acc=_from_sql(test_acc), message=from_text(message), sharpness=sharpness,
            sharpness_converged=_bool_from_sql(converged))
        return StoredRun(run_id, name, tuple(json.loads(tags)), source, _from_sql(created_at), json.loads(versions),
                         result, owner=owner, room=room)

    # ------------------------------------------------------------------ edit

    def rename(self, run_id: str, name: str, editor: Editor | None = None) -> None:
        """Rename a run; StoreError says why if `editor` may not (core/runs/ownership.py)."""
        name = check_text(name, Message("store.the_name", "The name"))
        self._update(run_id, "name", name, editor)

    def set_tags(self, run_id: str, tags: tuple[str, ...], editor: Editor | None = None) -> None:
        tags_text = json.dumps(list(check_tags(tags, Message("store.the_tags", "The tags"))))
        self._update(run_id, "tags", tags_text, editor)

    def _update(self, run_id: str, column: str, value: Any, editor: Editor | None) -> None:
        with self._transaction(write=True) as con:
            _check_may_change(con, run_id, editor)
            con.execute(f"UPDATE runs SET {column} = ? WHERE id = ?", (value, run_id))

    def delete(self, run_ids: list[str], editor: Editor | None = None) -> int:
        """Delete runs and their history, all or none: StoreError names the first one `editor` may not
        delete. Returns how many existed."""
        with self._transaction(write=True) as con:
            for run_id in run_ids:
                _check_may_change(con, run_id, editor, missing_ok=True)
            return sum(con.execute("DELETE FROM runs WHERE id = ?", (i,)).rowcount for i in run_ids)

    # ------------------------------------------------------------------ export and import

    def _load_all(self, run_ids: list[str]) -> list[StoredRun]:
        with self._transaction(write=False) as con:
            runs = [self._load(con, i) for i in run_ids]
        found = [run for run in runs if run is not None]
        if len(found) < len(run_ids):
            raise StoreError(unknown_id(next(i for i, run in zip(run_ids, runs, strict=True) if run is None)))
        return found

    def _load_all_ended(self, run_ids: list[str]) -> list[StoredRun]:
        """The runs, a running one as it stands, exported as interrupted: the file will never see it end."""
        runs = self._load_all(run_ids)
        return [dataclasses.replace(run, result=dataclasses.replace(
            run.result, status=Status.INTERRUPTED, message=interrupted_message(run.result.epochs_run)))
                if run.status == Status.RUNNING else run for run in runs]

    def export_json(self, run_ids: list[str]) -> str:
        """The runs as a JSON document (runs/exchange.py) that import_json reads back bit for bit."""
        return exchange.to_json(self._load_all_ended(run_ids))

    def import_json(self, text: str | bytes, owner: str | None = None) -> list[str]:
        """Add the runs of an export_json document, as `owner`'s; all or nothing. Returns the new ids."""
        return self._insert_all(exchange.runs_from_json(text), owner)

    def export_csv(self, run_ids: list[str]) -> str:
        """One line per epoch per run (runs/exchange.py)."""
        return exchange.to_csv(self._load_all_ended(run_ids))

    def import_csv(self, text: str | bytes, owner: str | None = None) -> list[str]:
        """Add the runs of an export_csv file, as `owner`'s; all or nothing. Returns the new ids."""
        return self._insert_all(exchange.runs_from_csv(text), owner)

    def _insert_all(self, runs: list[StoredRun], owner: str | None) -> list[str]:
        with self._transaction(write=True) as con:
            for run in runs:
                _insert(con, dataclasses.replace(run, owner=owner))
        return [run.id for run in runs]

    # ------------------------------------------------------------------ for the packages above

    @contextmanager
    def transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction on the store's file, for the tables other packages keep in it (the classroom's
        rooms): SQLite errors become StoreError messages, a write is all or nothing."""
        with self._transaction(write) as con:
            yield con



@dataclass(frozen=True)
class GroupState:
    """How far a submitted group of runs got: distinct settings, those with a finished run, and those
    whose only runs were interrupted."""

    total: int
    finished: int
    interrupted: int

    @property
    def unfinished(self) -> int:
        return self.total - self.finished


def group_id(keys: list[str]) -> str:
    """The same id for the same set of settings, in whatever order they were submitted."""
    return hashlib.sha256(json.dumps(sorted(set(keys))).encode()).hexdigest()[:16]


def interrupted_message(epochs: int) -> Message:
    return Message("store.interrupted", "The server stopped while this run was training; the {epochs} epochs it "
                   "had saved are kept. Train again to run it to the end.", epochs=epochs)


# ---------------------------------------------------------------------- the processes writing

def _this_process() -> str:
    """Who is saving a running run: host, process id and the process's start time (a reused id differs)."""
    return f"{socket.gethostname()}:{os.getpid()}:{_started(os.getpid())}"


def _started(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), or "" where /proc does not say."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _writer_alive(writer: str | None) -> bool:
    """Whether the process that wrote a running run may still be training it.

    A WAL database is only ever used from one host, so a writer on another host name (a container
    restarted under a new name) is gone."""
    if not writer:
        return False
    host, pid_text, started = writer.rsplit(":", 2)
    if host != socket.gethostname():
        return False
    pid = int(pid_text)
    if started or os.path.exists("/proc/self/stat"):
        return _started(pid) == started
    try:
        os.kill(pid, 0)  # no /proc: is there a process with this id at all?
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sqlite_error(e: sqlite3.Error) -> str:
    return getattr(e, "sqlite_errorname", "")


def _is_damage(e: sqlite3.DatabaseError) -> bool:
    """A damaged or foreign file, as opposed to a busy, locked or full one."""
    name = _sqlite_error(e)
    if name:
        return name.startswith(DAMAGED)
    return "not a database" in str(e) or "malformed" in str(e)


def _check_may_change(con: sqlite3.Connection, run_id: str, editor: Editor | None, missing_ok: bool = False) -> None:
    found = con.execute("SELECT source, owner, room FROM runs WHERE id = ?", (run_id,)).fetchone()
    if found is None:
        if missing_ok:
            return
        raise StoreError(unknown_id(run_id))
    source, owner, room = found
    why = refusal(run_id, source, owner, room, editor)
    if why is not None:
        raise StoreError(why)


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


# ---------------------------------------------------------------------- writing rows

def _migrate(con: sqlite3.Connection, version: int) -> int:
    """Bring a file of an older schema up to date in place, inside the caller's transaction
    (so two processes opening it at once migrate it once); returns the new version."""
    while version in _MIGRATIONS:
        for statement in _MIGRATIONS[version]:
            con.execute(statement)
        version += 1
    con.execute(f"PRAGMA user_version = {version}")
    return version


def _prefix_key(config: TrainConfig) -> str:
    """The config's key with epochs=1, from its canonical fields: a config whose warm-up is longer than one
    epoch (valid for its own epoch count, not for one epoch) has one too. The same value as
    `dataclasses.replace(config, epochs=1).key` wherever that config is valid."""
    fields = {**config.canonical(), "epochs": 1}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]


def _to_sql(x: Any) -> Any:
    """SQLite stores NaN as NULL, which would read back as None: keep it as the text 'nan'."""
    return "nan" if isinstance(x, float) and x != x else x


def _from_sql(x: Any) -> Any:
    """The inverse of _to_sql, for numeric columns only."""
    return float(x) if isinstance(x, str) else x


def _bool_from_sql(x: Any) -> bool | None:
    """An INTEGER column of 1, 0 or NULL as True, False or None."""
    return None if x is None else bool(x)


def _prefix_message(n: int, run_id: str, trained: int) -> Message:
    if n == 1:
        return Message("store.prefix_reuse_one", "Taken from the first epoch of stored run {run} (trained for "
                       "{trained} epochs): no need to train it again.", run=run_id, trained=trained)
    return Message("store.prefix_reuse", "Taken from the first {n} epochs of stored run {run} (trained for "
                   "{trained} epochs): no need to train it again.", n=n, run=run_id, trained=trained)


def _insert(con: sqlite3.Connection, run: StoredRun, writer: str | None = None) -> None:
    result, config = run.result, run.config
    best: Mapping[str, object] = result.best_row or {}
    values = {
        "id": run.id, "name": run.name, "tags": json.dumps(list(run.tags)), "source": run.source,
        "created_at": run.created_at, "versions": json.dumps(run.versions), "config": json.dumps(config.to_dict()),
        "key": config.key, "prefix_key": _prefix_key(config), "status": result.status,
        "dataset": config.dataset, "model": config.model, "optimizer": config.optimizer,
        "batch_size": config.batch_size, "learning_rate": config.learning_rate, "epochs": config.epochs,
        "seed": config.seed, "epochs_run": result.epochs_run, "updates": result.updates, "device": result.device,
        "wall_time": result.wall_time, "message": as_text(result.message), "best_epoch": result.best_epoch,
        "best_val_loss": best.get("val_loss"), "best_val_acc": best.get("val_acc"),
        "final_val_loss": result.final_val_loss, "test_loss": result.test_loss, "test_acc": result.test_acc,
        "step_losses": np.asarray(result.step_losses, dtype="<f8").tobytes(), "sharpness": result.sharpness,
        "sharpness_converged": None if result.sharpness_converged is None else int(result.sharpness_converged),
        "writer": writer, "owner": run.owner, "room": run.room,
    }
    con.execute(f"INSERT INTO runs ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                [_to_sql(v) for v in values.values()])
    _insert_rows(con, run.id, result.rows)


def _insert_rows(con: sqlite3.Connection, run_id: str, rows: list[HistoryRow]) -> None:
    con.executemany(f"INSERT INTO epochs (run_id, {', '.join(HISTORY_COLUMNS)}) "
                    f"VALUES (?{', ?' * len(HISTORY_COLUMNS)})",
                    [(run_id, *map(_to_sql, history_values(row))) for row in rows])


