"""The run store: finished runs in one embedded SQLite file; save, find again, reuse, edit.

The app runs on a shared classroom server where every Streamlit session has its own
thread, so each operation opens its own connection (WAL journal, a busy timeout and
short `BEGIN IMMEDIATE` write transactions): several sessions saving at once lose nothing.

A run's settings and summary metrics are columns (for listing and filtering), its
per-epoch history is a table and its per-step losses are one BLOB of little-endian
float64, so everything reads back bit for bit. What a run is lives in runs/stored.py,
the checks of what is written in runs/checks.py, the exchange files in runs/exchange.py.
"""

from __future__ import annotations

import dataclasses
import json
import platform
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from core.messages import Message, as_text, from_text, reason
from core.runs import exchange
from core.runs.checks import check_run, check_tags, check_text, with_text_message
from core.runs.stored import SCHEMA_VERSION, StoredRun, StoreError, unknown_id
from core.training.config import TrainConfig
from core.training.record import HISTORY_COLUMNS, REUSABLE, RunResult, Status, best_epoch, history_row, history_values

APPLICATION_ID = 0x42614C62  # "BaLb" in the SQLite header: marks a Batch Lab run store
RUN_COLUMNS = ["id", "name", "tags", "source", "status", "dataset", "model", "optimizer", "batch_size",
               "learning_rate", "epochs", "epochs_run", "seed", "updates", "best_val_loss", "best_val_acc",
               "test_loss", "test_acc", "sharpness", "sharpness_converged", "wall_time", "device", "created_at",
               "key"]

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
    sharpness_converged INTEGER   -- 1 or 0: whether its power iteration converged (NULL: not measured, or stored
                                  -- before schema 4)
);
CREATE INDEX IF NOT EXISTS runs_by_key ON runs (key, created_at);
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
"""


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
}


@cache
def library_versions() -> dict[str, str]:
    return {"python": platform.python_version(), "torch": str(torch.__version__),
            "numpy": np.__version__, "pandas": pd.__version__}


class RunStore:
    """Runs in one SQLite file. Holds only the path, so one instance may serve every thread."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(Message("store.no_folder", "Cannot create the folder of the run store {path}: {error}.",
                                     path=str(self.path), error=e.strerror)) from e
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")  # two processes creating the same new file: one initialises it
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id == 0 and version == 0 and tables == 0:
                for statement in filter(str.strip, _SCHEMA.split(";")):
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

    # ------------------------------------------------------------------ connections

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection in autocommit mode; SQLite errors become StoreError messages."""
        con = None
        try:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            con.execute("PRAGMA busy_timeout = 30000")
            con.execute("PRAGMA foreign_keys = ON")
            yield con
        except sqlite3.DatabaseError as e:
            if "not a database" in str(e) or "malformed" in str(e):
                raise StoreError(Message("store.not_a_database", "{path} is not a Batch Lab run store (it is not "
                                         "a readable SQLite database); choose another file.",
                                         path=str(self.path))) from e
            raise StoreError(Message("store.unusable", "The run store {path} could not be used: {error}.",
                                     path=str(self.path), error=str(e))) from e
        finally:
            if con is not None:
                con.close()

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

    def save(self, result: RunResult, *, name: str = "", tags: tuple[str, ...] = (), source: str = "user") -> str:
        """Store a run; returns its new id."""
        run = check_run({"name": name, "tags": tags, "source": source, "created_at": time.time(),
                          "versions": library_versions(), "result": with_text_message(result)},
                         Message("store.the_run", "the run"))
        with self._transaction(write=True) as con:
            _insert(con, run)
        return run.id

    def get(self, run_id: str) -> StoredRun | None:
        with self._transaction(write=False) as con:
            return self._load(con, run_id)

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

        Without early stopping nothing in an epoch depends on the total epoch count, so those
        epochs are exactly what training `config` would give (test metrics excepted: unknown).
        Settings compare by `key`, i.e. fields the run ignores (momentum for Adam) may differ.
        """
        if config.early_stopping:
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
                             "sharpness_converged, step_losses FROM runs WHERE id = ?", (run_id,)).fetchone()
        if record is None:
            return None
        (name, tags, source, created_at, versions, config, status, device, wall_time,
         message, best, final_val_loss, test_loss, test_acc, sharpness, converged, blob) = record
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
                         result)

    # ------------------------------------------------------------------ edit

    def rename(self, run_id: str, name: str) -> None:
        name = check_text(name, Message("store.the_name", "The name"))
        self._update(run_id, "name", name)

    def set_tags(self, run_id: str, tags: tuple[str, ...]) -> None:
        self._update(run_id, "tags", json.dumps(list(check_tags(tags, Message("store.the_tags", "The tags")))))

    def _update(self, run_id: str, column: str, value: Any) -> None:
        with self._transaction(write=True) as con:
            if con.execute(f"UPDATE runs SET {column} = ? WHERE id = ?", (value, run_id)).rowcount == 0:
                raise StoreError(unknown_id(run_id))

    def delete(self, run_ids: list[str]) -> int:
        """Delete runs and their history; returns how many existed."""
        with self._transaction(write=True) as con:
            return sum(con.execute("DELETE FROM runs WHERE id = ?", (i,)).rowcount for i in run_ids)

    # ------------------------------------------------------------------ export and import

    def _load_all(self, run_ids: list[str]) -> list[StoredRun]:
        with self._transaction(write=False) as con:
            runs = [self._load(con, i) for i in run_ids]
        found = [run for run in runs if run is not None]
        if len(found) < len(run_ids):
            raise StoreError(unknown_id(next(i for i, run in zip(run_ids, runs, strict=True) if run is None)))
        return found

    def export_json(self, run_ids: list[str]) -> str:
        """The runs as a JSON document (runs/exchange.py) that import_json reads back bit for bit."""
        return exchange.to_json(self._load_all(run_ids))

    def import_json(self, text: str | bytes) -> list[str]:
        """Add the runs of an export_json document; all or nothing. Returns the new ids."""
        return self._insert_all(exchange.runs_from_json(text))

    def export_csv(self, run_ids: list[str]) -> str:
        """One line per epoch per run (runs/exchange.py)."""
        return exchange.to_csv(self._load_all(run_ids))

    def import_csv(self, text: str | bytes) -> list[str]:
        """Add the runs of an export_csv file; all or nothing. Returns the new ids."""
        return self._insert_all(exchange.runs_from_csv(text))

    def _insert_all(self, runs: list[StoredRun]) -> list[str]:
        with self._transaction(write=True) as con:
            for run in runs:
                _insert(con, run)
        return [run.id for run in runs]



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
    return dataclasses.replace(config, epochs=1).key


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


def _insert(con: sqlite3.Connection, run: StoredRun) -> None:
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
    }
    con.execute(f"INSERT INTO runs ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                [_to_sql(v) for v in values.values()])
    con.executemany(f"INSERT INTO epochs (run_id, {', '.join(HISTORY_COLUMNS)}) "
                    f"VALUES (?{', ?' * len(HISTORY_COLUMNS)})",
                    [(run.id, *map(_to_sql, history_values(row))) for row in result.rows])


