"""An embedded SQLite store of finished runs: save, find again, reuse, export and import.

The app runs on a shared classroom server where every Streamlit session has its own
thread, so each operation opens its own connection (WAL journal, a busy timeout and
short `BEGIN IMMEDIATE` write transactions): several sessions saving at once lose nothing.

A run's settings and summary metrics are columns (for listing and filtering), its
per-epoch history is a table and its per-step losses are one BLOB of little-endian
float64, so everything reads back bit for bit. Imports are checked completely before
anything is written, and are written in one transaction: a bad file changes nothing.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import os
import platform
import sqlite3
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pandas as pd
import torch

from core.config import TrainConfig
from core.datasets import data_dir
from core.engine import HISTORY_COLUMNS, STATUSES, RunResult, best_epoch
from core.messages import Message, MessageError, as_text, from_text

SCHEMA_VERSION = 2  # 2 added runs.sharpness; files of schema 1 are migrated when opened
READABLE_SCHEMAS = (1, 2)  # JSON exports this Batch Lab imports (schema 1 has no sharpness)
APPLICATION_ID = 0x42614C62  # "BaLb" in the SQLite header: marks a Batch Lab run store
REUSABLE = ("completed", "early_stopped", "diverged")
SOURCES = ("user", "reference")
FORMAT = "batchlab-runs"

MAX_IMPORT_BYTES = 20_000_000
MAX_IMPORT_RUNS = 1000
MAX_ROWS = 10_000  # epoch rows per run (TrainConfig allows at most 10,000 epochs)
MAX_STEP_LOSSES = 2_000_000
MAX_TEXT = 10_000  # characters of a name, tag, message, device or version string
MAX_TAGS = 100

INT_COLUMNS = ("epoch", "step", "samples")
FLOAT_COLUMNS = tuple(c for c in HISTORY_COLUMNS if c not in INT_COLUMNS)
CONFIG_FIELDS = tuple(f.name for f in dataclasses.fields(TrainConfig))
CSV_COLUMNS = ("run_id", "name", "status", "sharpness", *CONFIG_FIELDS, *HISTORY_COLUMNS)
OPTIONAL_CSV_COLUMNS = ("sharpness",)  # absent from files of schema 1
RUN_COLUMNS = ["id", "name", "tags", "source", "status", "dataset", "model", "optimizer", "batch_size",
               "learning_rate", "epochs", "epochs_run", "seed", "updates", "best_val_loss", "best_val_acc",
               "test_loss", "test_acc", "sharpness", "wall_time", "device", "created_at", "key"]
_NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}

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
    sharpness REAL                -- top Hessian eigenvalue of the training loss at the end (NULL: not measured)
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
    PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;
"""


# The statements that take a file from schema k to k + 1, run in the transaction that opens it.
_MIGRATIONS = {1: ("ALTER TABLE runs ADD COLUMN sharpness REAL",)}


class StoreError(MessageError, RuntimeError):
    """An unusable database file, a malformed or oversized import, or an unknown run id.

    The message is meant for the user: it names the file, run, row or field that is wrong."""


@dataclass(frozen=True)
class StoredRun:
    """A saved run with what the store adds to it: id, name, tags, origin and time."""

    id: str
    name: str
    tags: tuple[str, ...]
    source: str  # "user" or "reference"
    created_at: float  # seconds since the epoch
    versions: dict[str, str]  # python, torch, numpy and pandas versions at save time
    result: RunResult
    reused_from: str | None = None  # set by find_prefix: the id of the longer stored run

    @property
    def config(self) -> TrainConfig:
        return self.result.config

    @property
    def key(self) -> str:
        return self.config.key


def default_store_path() -> Path:
    """$BATCHLAB_DB, else runs.sqlite beside the datasets."""
    env = os.environ.get("BATCHLAB_DB")
    return Path(env) if env else data_dir() / "runs.sqlite"


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
        run = _check_run({"name": name, "tags": tags, "source": source, "created_at": time.time(),
                          "versions": library_versions(), "result": _with_text_message(result)},
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
            row = con.execute("SELECT id FROM runs WHERE prefix_key = ? AND status = 'completed' AND epochs > ? "
                              "ORDER BY created_at DESC, rowid DESC LIMIT 1",
                              (_prefix_key(config), config.epochs)).fetchone()
            stored = self._load(con, row[0]) if row else None
        if stored is None or len(stored.result.rows) < config.epochs:
            return None
        n, full = config.epochs, stored.result
        rows = [dict(r) for r in full.rows[:n]]
        result = RunResult(
            config=config, status="completed", rows=rows, step_losses=full.step_losses[:rows[-1]["step"]],
            device=full.device, wall_time=rows[-1]["time_s"], best_epoch=best_epoch(rows, "completed"),
            final_val_loss=None, test_loss=None, test_acc=None,
            message=_prefix_message(n, stored.id, len(full.rows)))
        return dataclasses.replace(stored, result=result, reused_from=stored.id)

    def _load(self, con: sqlite3.Connection, run_id: str) -> StoredRun | None:
        record = con.execute("SELECT name, tags, source, created_at, versions, config, status, device, wall_time, "
                             "message, best_epoch, final_val_loss, test_loss, test_acc, sharpness, step_losses "
                             "FROM runs WHERE id = ?", (run_id,)).fetchone()
        if record is None:
            return None
        (name, tags, source, created_at, versions, config, status, device, wall_time,
         message, best_epoch, final_val_loss, test_loss, test_acc, sharpness, blob) = record
        epochs = con.execute(f"SELECT {', '.join(HISTORY_COLUMNS)} FROM epochs WHERE run_id = ? ORDER BY epoch",
                             (run_id,)).fetchall()
        try:
            train_config = TrainConfig.from_dict(json.loads(config))
        except ValueError as e:
            raise StoreError(Message("store.unreadable_settings", "Stored run {run} has settings this Batch Lab "
                                     "cannot read: {error}", run=run_id, error=_reason(e))) from e
        result = RunResult(
            config=train_config, status=status,
            rows=[dict(zip(HISTORY_COLUMNS, map(_from_sql, r))) for r in epochs],
            step_losses=np.frombuffer(blob, dtype="<f8").tolist(), device=device, wall_time=_from_sql(wall_time),
            best_epoch=best_epoch, final_val_loss=_from_sql(final_val_loss), test_loss=_from_sql(test_loss),
            test_acc=_from_sql(test_acc), message=from_text(message), sharpness=sharpness)
        return StoredRun(run_id, name, tuple(json.loads(tags)), source, _from_sql(created_at), json.loads(versions),
                         result)

    # ------------------------------------------------------------------ edit

    def rename(self, run_id: str, name: str) -> None:
        name = _check_text(name, Message("store.the_name", "The name"))
        self._update(run_id, "name", name)

    def set_tags(self, run_id: str, tags: tuple[str, ...]) -> None:
        self._update(run_id, "tags", json.dumps(list(_check_tags(tags, Message("store.the_tags", "The tags")))))

    def _update(self, run_id: str, column: str, value: Any) -> None:
        with self._transaction(write=True) as con:
            if con.execute(f"UPDATE runs SET {column} = ? WHERE id = ?", (value, run_id)).rowcount == 0:
                raise StoreError(_unknown_id(run_id))

    def delete(self, run_ids: list[str]) -> int:
        """Delete runs and their history; returns how many existed."""
        with self._transaction(write=True) as con:
            return sum(con.execute("DELETE FROM runs WHERE id = ?", (i,)).rowcount for i in run_ids)

    # ------------------------------------------------------------------ export and import

    def _load_all(self, run_ids: list[str]) -> list[StoredRun]:
        with self._transaction(write=False) as con:
            runs = [self._load(con, i) for i in run_ids]
        missing = [i for i, run in zip(run_ids, runs) if run is None]
        if missing:
            raise StoreError(_unknown_id(missing[0]))
        return runs

    def export_json(self, run_ids: list[str]) -> str:
        """Everything import_json needs; NaN and ±inf are written as "NaN", "Infinity", "-Infinity"."""
        runs = [{"id": run.id, "name": run.name, "tags": list(run.tags), "source": run.source,
                 "created_at": run.created_at, "versions": run.versions, "result": _with_text_message(run.result)}
                for run in self._load_all(run_ids)]
        document = {"format": FORMAT, "schema": SCHEMA_VERSION, "runs": runs}
        return json.dumps(_encode_nonfinite(document), allow_nan=False)

    def import_json(self, text: str | bytes) -> list[str]:
        """Add the runs of an export_json document; all or nothing. Returns the new ids."""
        document = _parse_json(_decode(text))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise StoreError(Message("store.not_runs_file", 'This is not a Batch Lab runs file: it needs '
                                     '"format": "{format}".', format=FORMAT))
        schema = document.get("schema")
        if schema not in READABLE_SCHEMAS or isinstance(schema, bool):
            raise StoreError(Message("store.json_schema", "This runs file was written by schema {schema!r}; this "
                                     "Batch Lab reads schemas {schemas} and {last}.", schema=schema,
                                     schemas=", ".join(map(str, READABLE_SCHEMAS[:-1])), last=READABLE_SCHEMAS[-1]))
        runs = document.get("runs")
        if not isinstance(runs, list):
            raise StoreError(Message("store.runs_not_list", "'runs' must be a list of runs."))
        if len(runs) > MAX_IMPORT_RUNS:
            raise StoreError(Message("store.too_many_runs", "The file holds {runs} runs; at most {cap} are imported "
                                     "at once.", runs=len(runs), cap=MAX_IMPORT_RUNS))
        return self._insert_all([_check_run(run, Message("store.run_number", "run {number}", number=i))
                                 for i, run in enumerate(runs, 1)])

    def export_csv(self, run_ids: list[str]) -> str:
        """One line per epoch per run: run id, name, status, every setting, then the history.
        A run without epochs (stopped before its first) has no lines."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for run in self._load_all(run_ids):
            settings = [_csv_cell(v) for v in run.config.to_dict().values()]
            sharpness = "" if run.result.sharpness is None else _csv_cell(run.result.sharpness)
            for row in run.result.rows:
                writer.writerow([run.id, run.name, run.result.status, sharpness, *settings,
                                 *(_csv_cell(row[c]) for c in HISTORY_COLUMNS)])
        return out.getvalue()

    def import_csv(self, text: str | bytes) -> list[str]:
        """Add the runs of an export_csv file; all or nothing. Returns the new ids.

        CSV has no per-step losses, test metrics, device or tags: they come back empty or None;
        best_epoch is worked out from the rows as training does. A file without the sharpness
        column (schema 1) imports with sharpness None, as does an empty cell."""
        reader = csv.reader(io.StringIO(_decode(text), newline=""))
        try:
            lines = list(reader)
        except csv.Error as e:
            raise StoreError(Message("store.bad_csv", "This is not a readable CSV file: {error} (line {line}).",
                                     error=str(e), line=reader.line_num)) from e
        if not lines or not any(lines[0]):
            raise StoreError(Message("store.empty_csv", "The CSV file is empty; it needs a header line."))
        header = lines[0]
        missing = set(CSV_COLUMNS) - set(OPTIONAL_CSV_COLUMNS) - set(header)
        unknown = set(header) - set(CSV_COLUMNS)
        if missing or unknown or len(header) != len(set(header)):
            problem = (Message("store.header_lacks", "lacks the column(s) {columns}", columns=_few(sorted(missing)))
                       if missing else
                       Message("store.header_unknown", "has unknown column(s) {columns}", columns=_few(sorted(unknown)))
                       if unknown else Message("store.header_repeats", "repeats a column"))
            raise StoreError(Message("store.bad_header", "The CSV header {problem}; export a run to see the "
                                     "expected columns.", problem=problem))
        groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
        for number, cells in enumerate(lines[1:], 2):
            if not any(cells):
                continue
            if len(cells) != len(header):
                raise StoreError(Message("store.csv_cells", "CSV line {number} has {cells} cells; the header has "
                                         "{header}.", number=number, cells=len(cells), header=len(header)))
            line = dict(zip(header, cells))
            groups.setdefault(line["run_id"], []).append((number, line))
            if len(groups) > MAX_IMPORT_RUNS:
                raise StoreError(Message("store.csv_too_many_runs", "The file holds more than {cap} runs; at most "
                                         "{cap} are imported at once.", cap=MAX_IMPORT_RUNS))
        return self._insert_all([_run_from_csv(run_id, lines) for run_id, lines in groups.items()])

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


def _with_text_message(result: RunResult) -> dict[str, Any]:
    """The result as a dict whose message is text, as files and the checks want it: a Message as
    its JSON (read back by from_text on import, so it still translates), plain text as it is."""
    return {**result.to_dict(), "message": as_text(result.message)}


def _prefix_message(n: int, run_id: str, trained: int) -> Message:
    if n == 1:
        return Message("store.prefix_reuse_one", "Taken from the first epoch of stored run {run} (trained for "
                       "{trained} epochs): no need to train it again.", run=run_id, trained=trained)
    return Message("store.prefix_reuse", "Taken from the first {n} epochs of stored run {run} (trained for "
                   "{trained} epochs): no need to train it again.", n=n, run=run_id, trained=trained)


def _insert(con: sqlite3.Connection, run: StoredRun) -> None:
    result, config = run.result, run.config
    best = result.best_row or {}
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
    }
    con.execute(f"INSERT INTO runs ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                [_to_sql(v) for v in values.values()])
    con.executemany(f"INSERT INTO epochs (run_id, {', '.join(HISTORY_COLUMNS)}) "
                    f"VALUES (?{', ?' * len(HISTORY_COLUMNS)})",
                    [(run.id, *(_to_sql(row[c]) for c in HISTORY_COLUMNS)) for row in result.rows])


# ---------------------------------------------------------------------- checking imports

def _decode(text: str | bytes) -> str:
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_IMPORT_BYTES:
        raise StoreError(Message("store.file_too_big", "The file is {size:,} bytes; at most {cap:,} are imported.",
                                 size=size, cap=MAX_IMPORT_BYTES))
    if isinstance(text, str):
        return text
    try:
        return text.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise StoreError(Message("store.not_utf8", "The file is not UTF-8 text (byte {byte} cannot be read).",
                                 byte=e.start)) from e


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise StoreError(Message("store.bad_json", "This is not valid JSON: {error} at line {line}, column "
                                 "{column}.", error=e.msg, line=e.lineno, column=e.colno)) from e
    except RecursionError as e:
        raise StoreError(Message("store.json_too_deep", "This JSON is nested too deeply to be a Batch Lab runs "
                                 "file.")) from e
    except ValueError as e:  # an integer of more digits than Python converts (sys.get_int_max_str_digits())
        raise StoreError(Message("store.json_long_number", "This JSON holds a number with more than {digits:,} "
                                 "digits; a Batch Lab runs file has none.",
                                 digits=sys.get_int_max_str_digits())) from e


def _encode_nonfinite(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return "NaN" if obj != obj else ("Infinity" if obj > 0 else "-Infinity")
    if isinstance(obj, dict):
        return {k: _encode_nonfinite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_encode_nonfinite(v) for v in obj]
    return obj


# `what` and `where` name the file, run, row or field a message is about: a Message (so the app
# translates it with the sentence), built by the helpers below or by the callers.
Where = Message


def _field(where: Where, name: str) -> Message:
    """`where` narrowed to one field: run 1: 'created_at'."""
    return Message("store.field", "{where}: {field!r}", where=where, field=name)


def _unknown_id(run_id: str) -> Message:
    return Message("store.unknown_id", "No stored run has the id {run!r}.", run=run_id)


def _reason(error: Exception) -> Message | str:
    """An exception's text, kept as a Message (translatable) where it carries one."""
    return error.message if isinstance(error, MessageError) else str(error)


def _check_float(value: Any, what: Where) -> float:
    if isinstance(value, str) and value in _NONFINITE:
        return _NONFINITE[value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StoreError(Message("store.not_number", "{what} must be a number, got {value}.",
                                 what=what, value=_show(value)))
    try:
        return float(value)
    except OverflowError:  # an integer beyond the largest float, about 1.8e308
        raise StoreError(Message("store.number_too_large", "{what} must be a number of at most 1.8e308, got "
                                 "{value}.", what=what, value=_show(value))) from None


def _check_int(value: Any, what: Where, low: int = 0, high: int = 2**63 - 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise StoreError(Message("store.not_integer", "{what} must be an integer, got {value}.",
                                 what=what, value=_show(value)))
    if not low <= value <= high:
        raise StoreError(Message("store.out_of_range", "{what} must be in {low}..{high}, got {value}.",
                                 what=what, low=low, high=high, value=value))
    return value


def _check_text(value: Any, what: Where) -> str:
    if not isinstance(value, str):
        raise StoreError(Message("store.not_text", "{what} must be text, got {value}.", what=what, value=_show(value)))
    if len(value) > MAX_TEXT:
        raise StoreError(Message("store.too_long", "{what} is {length:,} characters long; at most {cap:,} are "
                                 "allowed.", what=what, length=len(value), cap=MAX_TEXT))
    return value


def _check_tags(tags: Any, what: Where) -> tuple[str, ...]:
    """Tags are shown comma-joined, so a tag may not hold a comma; blanks and repeats are dropped."""
    if not isinstance(tags, (list, tuple)) or len(tags) > MAX_TAGS:
        raise StoreError(Message("store.tags_not_list", "{what} must be a list of at most {cap} tags.",
                                 what=what, cap=MAX_TAGS))
    clean: list[str] = []
    for tag in tags:
        tag = _check_text(tag, Message("store.a_tag", "{what}: a tag", what=what)).strip()
        if "," in tag:
            raise StoreError(Message("store.tag_comma", "{what}: a tag cannot contain a comma, got {tag!r}.",
                                     what=what, tag=tag))
        if tag and tag not in clean:
            clean.append(tag)
    return tuple(clean)


def _few(names: list[str]) -> Message | str:
    if len(names) <= 5:
        return ", ".join(names)
    return Message("store.few", "{names} and {more} more", names=", ".join(names[:5]), more=len(names) - 5)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_run(run: Any, where: Where) -> StoredRun:
    """A StoredRun with a fresh id from an exported run, or StoreError naming what is wrong."""
    if not isinstance(run, dict):
        raise StoreError(Message("store.run_not_object", "{where} must be an object with 'name', 'tags', 'source', "
                                 "'created_at', 'versions' and 'result'.", where=where))
    _check_keys(run, {"name", "tags", "source", "created_at", "versions", "result"}, {"id"}, where)
    if run["source"] not in SOURCES:
        raise StoreError(Message("store.source", "{where}: 'source' must be 'user' or 'reference', got {value}.",
                                 where=where, value=_show(run["source"])))
    created_at = _check_float(run["created_at"], _field(where, "created_at"))
    if not math.isfinite(created_at):
        raise StoreError(Message("store.created_at", "{where}: 'created_at' must be a finite time, got {value}.",
                                 where=where, value=created_at))
    versions = run["versions"]
    if not isinstance(versions, dict) or len(versions) > MAX_TAGS:
        raise StoreError(Message("store.versions", "{where}: 'versions' must be an object of library versions.",
                                 where=where))
    for library, version in versions.items():
        _check_text(version, Message("store.version_of", "{where}: the version of {library!r}",
                                     where=where, library=library))
    return StoredRun(id=uuid.uuid4().hex[:12], name=_check_text(run["name"], _field(where, "name")),
                     tags=_check_tags(run["tags"], _field(where, "tags")), source=run["source"],
                     created_at=created_at, versions=dict(versions), result=_check_result(run["result"], where))


def _check_keys(d: dict, required: set[str], optional: set[str], where: Where) -> None:
    missing, unknown = required - set(d), set(d) - required - optional
    if missing:
        raise StoreError(Message("store.lacks", "{where} lacks {fields}.", where=where,
                                 fields=", ".join(repr(k) for k in sorted(missing))))
    if unknown:
        raise StoreError(Message("store.unknown_fields", "{where} has unknown field(s) {fields}.", where=where,
                                 fields=", ".join(repr(k) for k in sorted(map(str, unknown)))))


def _check_result(result: Any, where: Where) -> RunResult:
    if not isinstance(result, dict):
        raise StoreError(Message("store.result_not_object", "{where}: 'result' must be an object.", where=where))
    optional = {"sharpness"}  # absent from exports of schema 1
    _check_keys(result, set(RunResult.__dataclass_fields__) - optional, optional, _field(where, "result"))
    if not isinstance(result["config"], dict):
        raise StoreError(Message("store.config_not_object", "{where}: 'config' must be an object of settings.",
                                 where=where))
    try:
        config = TrainConfig.from_dict(result["config"])
    except (ValueError, TypeError) as e:  # ConfigError is a ValueError and names the field
        raise StoreError(Message("store.at", "{where}: {error}", where=where, error=_reason(e))) from e
    status = result["status"]
    if status not in STATUSES:
        raise StoreError(Message("store.status", "{where}: 'status' must be one of {statuses}, got {value}.",
                                 where=where, statuses=", ".join(STATUSES), value=_show(status)))
    rows = _check_rows(result["rows"], config, where)
    losses = result["step_losses"]
    if not isinstance(losses, list):
        raise StoreError(Message("store.losses_not_list", "{where}: 'step_losses' must be a list of numbers.",
                                 where=where))
    if len(losses) > MAX_STEP_LOSSES:
        raise StoreError(Message("store.too_many_losses", "{where}: {count:,} step losses; at most {cap:,} are "
                                 "allowed.", where=where, count=len(losses), cap=MAX_STEP_LOSSES))
    steps = rows[-1]["step"] if rows else 0
    if len(losses) > steps:
        raise StoreError(Message("store.losses_past_steps", "{where}: {count} step losses but only {steps} update "
                                 "steps in 'rows'.", where=where, count=len(losses), steps=steps))
    if not all(type(v) is float for v in losses):
        losses = [_check_float(v, Message("store.step_loss", "{where}: step loss {number}", where=where, number=i))
                  for i, v in enumerate(losses, 1)]
    best_epoch = result["best_epoch"]
    if best_epoch is not None:
        _check_int(best_epoch, _field(where, "best_epoch"), 1, len(rows))
    wall_time = _check_float(result["wall_time"], _field(where, "wall_time"))
    if not (math.isfinite(wall_time) and wall_time >= 0):
        raise StoreError(Message("store.wall_time", "{where}: 'wall_time' must be a finite number of seconds, got "
                                 "{value}.", where=where, value=wall_time))
    metrics = {name: None if result[name] is None else _check_float(result[name], _field(where, name))
               for name in ("final_val_loss", "test_loss", "test_acc")}
    return RunResult(config=config, status=status, rows=rows, step_losses=list(losses),
                     device=_check_text(result["device"], _field(where, "device")), wall_time=wall_time,
                     best_epoch=best_epoch, message=from_text(_check_text(result["message"], _field(where, "message"))),
                     sharpness=_check_sharpness(result.get("sharpness"), where), **metrics)


def _check_sharpness(value: Any, where: Where) -> float | None:
    """None (not measured) or a finite number: an eigenvalue is never NaN or infinite."""
    if value is None:
        return None
    sharpness = _check_float(value, _field(where, "sharpness"))
    if not math.isfinite(sharpness):
        raise StoreError(Message("store.sharpness", "{where}: 'sharpness' must be a finite number or null, got "
                                 "{value}.", where=where, value=_show(value)))
    return sharpness


def _check_rows(rows: Any, config: TrainConfig, where: Where) -> list[dict]:
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise StoreError(Message("store.rows_not_list", "{where}: 'rows' must be a list of epoch rows.", where=where))
    if len(rows) > min(MAX_ROWS, config.epochs):
        raise StoreError(Message("store.too_many_rows", "{where}: {rows} epoch rows but the settings train {epochs} "
                                 "epochs.", where=where, rows=len(rows), epochs=config.epochs))
    checked = []
    for number, row in enumerate(rows, 1):
        what = Message("store.row", "{where}: row {number}", where=where, number=number)
        _check_keys(row, set(HISTORY_COLUMNS), set(), what)
        clean = {c: _check_int(row[c], _field(what, c)) if c in INT_COLUMNS else
                 _check_float(row[c], _field(what, c)) for c in HISTORY_COLUMNS}
        _check_row_values(clean, what)
        if clean["epoch"] != number:
            raise StoreError(Message("store.epoch_number", "{where}: 'epoch' must be {number} (epochs count 1, 2, "
                                     "3, ...), got {epoch}.", where=what, number=number, epoch=clean["epoch"]))
        checked.append(clean)
    return checked


def _check_row_values(row: dict, what: Where) -> None:
    """What training can write: a time and an LR of at least 0, losses never below 0 (NaN or inf
    after a divergence), accuracies from 0 to 1 (NaN where none was measured)."""
    for column in ("time_s", "lr"):
        if not (math.isfinite(row[column]) and row[column] >= 0):
            raise StoreError(Message("store.row_not_finite", "{what}: {field!r} must be a finite number of at "
                                     "least 0, got {value}.", what=what, field=column, value=row[column]))
    for column in ("train_loss", "val_loss"):
        if row[column] < 0:
            raise StoreError(Message("store.row_negative_loss", "{what}: {field!r} cannot be negative, got "
                                     "{value}.", what=what, field=column, value=row[column]))
    for column in ("train_acc", "val_acc"):
        if not (math.isnan(row[column]) or 0 <= row[column] <= 1):
            raise StoreError(Message("store.row_accuracy", "{what}: {field!r} must be from 0 to 1 (or NaN where "
                                     "none was measured), got {value}.", what=what, field=column,
                                     value=row[column]))


# ---------------------------------------------------------------------- CSV cells

def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return repr(value) if isinstance(value, float) else str(value)


def _parse_cell(text: str, kind: Any, what: Where) -> Any:
    """A CSV cell as the type of `kind` (an example value)."""
    try:
        if isinstance(kind, bool):
            if text.strip().lower() not in ("true", "false"):
                raise ValueError
            return text.strip().lower() == "true"
        if isinstance(kind, int):
            return int(text)
        if isinstance(kind, float):
            return float(text)
        if isinstance(kind, tuple):
            return [int(v) for v in text.split(";")] if text.strip() else []
    except ValueError:
        kinds = {bool: Message("store.kind_bool", "true or false"), int: Message("store.kind_int", "an integer"),
                 float: Message("store.kind_float", "a number"),
                 tuple: Message("store.kind_ints", "integers separated by ';'")}
        raise StoreError(Message("store.bad_cell", "{what} must be {kind}, got {value}.",
                                 what=what, kind=kinds[type(kind)], value=_show(text))) from None
    return text


def _run_from_csv(run_id: str, lines: list[tuple[int, dict[str, str]]]) -> StoredRun:
    where = Message("store.run_id", "run {run!r}", run=run_id)
    first_number, first = lines[0]
    settings_columns = ("name", "status", *CONFIG_FIELDS, *(c for c in OPTIONAL_CSV_COLUMNS if c in first))
    for number, line in lines[1:]:
        changed = next((c for c in settings_columns if line[c] != first[c]), None)
        if changed:
            raise StoreError(Message("store.csv_two_values", "CSV line {number}: {where} has {field!r} {here} here "
                                     "but {there} on line {first}; a run has one value.", number=number,
                                     where=where, field=changed, here=_show(line[changed]),
                                     there=_show(first[changed]), first=first_number))
    if len(lines) > MAX_ROWS:
        raise StoreError(Message("store.csv_too_many_rows", "{where}: {rows} epoch rows; at most {cap:,} are "
                                 "allowed.", where=where, rows=len(lines), cap=MAX_ROWS))

    def cell_of(number: int, column: str) -> Message:
        return Message("store.csv_field", "CSV line {number}: {field!r}", number=number, field=column)

    defaults = TrainConfig.__dataclass_fields__
    config = {f: _parse_cell(first[f], defaults[f].default, cell_of(first_number, f)) for f in CONFIG_FIELDS}
    rows = [{c: _parse_cell(line[c], 0 if c in INT_COLUMNS else 0.0, cell_of(number, c))
             for c in HISTORY_COLUMNS} for number, line in lines]
    cell = first.get("sharpness", "").strip()  # empty, or no such column (schema 1): not measured
    sharpness = _parse_cell(cell, 0.0, cell_of(first_number, "sharpness")) if cell else None
    result = {"config": config, "status": first["status"], "rows": rows, "step_losses": [], "device": "",
              "wall_time": 0.0, "best_epoch": None, "final_val_loss": None, "test_loss": None, "test_acc": None,
              "message": "", "sharpness": sharpness}
    checked = _check_result(result, where)
    min_delta = checked.config.min_delta if checked.config.early_stopping else 0.0
    checked.best_epoch = best_epoch(checked.rows, checked.status, min_delta)
    if checked.rows and math.isfinite(checked.rows[-1]["time_s"]) and checked.rows[-1]["time_s"] >= 0:
        checked.wall_time = checked.rows[-1]["time_s"]
    return StoredRun(id=uuid.uuid4().hex[:12], name=_check_text(first["name"], _field(where, "name")), tags=(),
                     source="user", created_at=time.time(), versions={}, result=checked)
