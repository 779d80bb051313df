"""The run files people exchange: JSON (everything) and CSV (one line per epoch), out and in.

An import is read completely and checked (runs/checks.py) before the store writes any of it, so a
bad file changes nothing. Its size is capped by the server's Limits.max_upload_mb
(BATCHLAB_MAX_UPLOAD_MB), the one upload cap the app has.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import sys
import time
import uuid
from typing import Any

from core.messages import Message
from core.runs.checks import (
    MAX_ROWS,
    check_result,
    check_run,
    check_text,
    few,
    field_of,
    show,
    with_text_message,
)
from core.runs.stored import SCHEMA_VERSION, StoredRun, StoreError
from core.training.config import ADDED_LATER, TrainConfig
from core.training.limits import Limits
from core.training.record import HISTORY_COLUMNS, INT_COLUMNS, RUNNING_COLUMNS, best_epoch, history_values

FORMAT = "batchlab-runs"
READABLE_SCHEMAS = (1, 2, 3, 4, 5, 6, 7)  # JSON exports this Batch Lab imports (1 has no sharpness, 1-2 running losses
# only, 1-3 no sharpness_converged)
MAX_IMPORT_RUNS = 1000
CONFIG_FIELDS = tuple(f.name for f in dataclasses.fields(TrainConfig))
CSV_COLUMNS = ("run_id", "name", "status", "sharpness", "sharpness_converged", *CONFIG_FIELDS, *HISTORY_COLUMNS)
OPTIONAL_CSV_COLUMNS = ("sharpness", "sharpness_converged", *ADDED_LATER, *RUNNING_COLUMNS)  # absent from older files


# ---------------------------------------------------------------------- JSON

def to_json(runs: list[StoredRun]) -> str:
    """Everything runs_from_json needs; NaN and ±inf are written as "NaN", "Infinity", "-Infinity"."""
    document = {"format": FORMAT, "schema": SCHEMA_VERSION, "runs": [
        {"id": run.id, "name": run.name, "tags": list(run.tags), "source": run.source, "created_at": run.created_at,
         "versions": run.versions, "result": with_text_message(run.result)} for run in runs]}
    return json.dumps(encode_nonfinite(document), allow_nan=False)


def runs_from_json(text: str | bytes) -> list[StoredRun]:
    """The runs of a to_json document, each checked and with a fresh id; StoreError names what is wrong."""
    document = parse_json(decode(text))
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
    return [check_run(run, Message("store.run_number", "run {number}", number=i)) for i, run in enumerate(runs, 1)]


# ---------------------------------------------------------------------- CSV

def to_csv(runs: list[StoredRun]) -> str:
    """One line per epoch per run: run id, name, status, every setting, then the history.
    A run without epochs (stopped before its first) has no lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for run in runs:
        settings = [csv_cell(v) for v in run.config.to_dict().values()]
        sharpness = "" if run.result.sharpness is None else csv_cell(run.result.sharpness)
        converged = "" if run.result.sharpness_converged is None else csv_cell(run.result.sharpness_converged)
        for row in run.result.rows:
            writer.writerow([run.id, run.name, run.result.status, sharpness, converged, *settings,
                             *map(csv_cell, history_values(row))])
    return out.getvalue()


def runs_from_csv(text: str | bytes) -> list[StoredRun]:
    """The runs of a to_csv file, checked, each with a fresh id.

    CSV has no per-step losses, test metrics, device or tags: they come back empty or None;
    best_epoch is worked out from the rows as training does. A file without the sharpness
    column (schema 1) imports with sharpness None, as does an empty cell, and one without the
    sharpness_converged column (schemas 1-3) with sharpness_converged None; one without a setting
    added later (Adam's betas, the schedule) imports with its default."""
    reader = csv.reader(io.StringIO(decode(text), newline=""))
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
        problem = (Message("store.header_lacks", "lacks the column(s) {columns}", columns=few(sorted(missing)))
                   if missing else
                   Message("store.header_unknown", "has unknown column(s) {columns}", columns=few(sorted(unknown)))
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
        line = dict(zip(header, cells, strict=True))
        groups.setdefault(line["run_id"], []).append((number, line))
        if len(groups) > MAX_IMPORT_RUNS:
            raise StoreError(Message("store.csv_too_many_runs", "The file holds more than {cap} runs; at most "
                                     "{cap} are imported at once.", cap=MAX_IMPORT_RUNS))
    return [run_from_csv(run_id, lines) for run_id, lines in groups.items()]



def decode(text: str | bytes) -> str:
    """The file as text, if it is within the upload cap and UTF-8."""
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    limits = Limits.from_env()
    if size > limits.max_upload_bytes:
        raise StoreError(Message("store.file_too_big", "The file is {size:.1f} MB and this server imports at most "
                                 "{cap} MB (BATCHLAB_MAX_UPLOAD_MB).", size=size / 1e6, cap=limits.max_upload_mb))
    if isinstance(text, str):
        return text
    try:
        return text.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise StoreError(Message("store.not_utf8", "The file is not UTF-8 text (byte {byte} cannot be read).",
                                 byte=e.start)) from e


def parse_json(text: str) -> Any:
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


def encode_nonfinite(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return "NaN" if obj != obj else ("Infinity" if obj > 0 else "-Infinity")
    if isinstance(obj, dict):
        return {k: encode_nonfinite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [encode_nonfinite(v) for v in obj]
    return obj



# ---------------------------------------------------------------------- CSV cells

def csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return repr(value) if isinstance(value, float) else str(value)


def parse_cell(text: str, kind: Any, what: Message) -> Any:
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
                                 what=what, kind=kinds[type(kind)], value=show(text))) from None
    return text


def run_from_csv(run_id: str, lines: list[tuple[int, dict[str, str]]]) -> StoredRun:
    where = Message("store.run_id", "run {run!r}", run=run_id)
    first_number, first = lines[0]
    settings_columns = ("name", "status",
                        *(c for c in (*CONFIG_FIELDS, "sharpness", "sharpness_converged") if c in first))
    for number, line in lines[1:]:
        changed = next((c for c in settings_columns if line[c] != first[c]), None)
        if changed:
            raise StoreError(Message("store.csv_two_values", "CSV line {number}: {where} has {field!r} {here} here "
                                     "but {there} on line {first}; a run has one value.", number=number,
                                     where=where, field=changed, here=show(line[changed]),
                                     there=show(first[changed]), first=first_number))
    if len(lines) > MAX_ROWS:
        raise StoreError(Message("store.csv_too_many_rows", "{where}: {rows} epoch rows; at most {cap:,} are "
                                 "allowed.", where=where, rows=len(lines), cap=MAX_ROWS))

    def cell_of(number: int, column: str) -> Message:
        return Message("store.csv_field", "CSV line {number}: {field!r}", number=number, field=column)

    defaults = TrainConfig.__dataclass_fields__
    config = {f: parse_cell(first[f], defaults[f].default, cell_of(first_number, f)) for f in CONFIG_FIELDS
              if f in first}  # a field added later takes its default
    rows = [{c: parse_cell(line[c], 0 if c in INT_COLUMNS else 0.0, cell_of(number, c))
             for c in HISTORY_COLUMNS if c in line} for number, line in lines]  # checks.check_rows upgrades old
    cell = first.get("sharpness", "").strip()  # empty, or no such column (schema 1): not measured
    sharpness = parse_cell(cell, 0.0, cell_of(first_number, "sharpness")) if cell else None
    cell = first.get("sharpness_converged", "").strip()  # empty, or no such column (schemas 1-3): unknown
    converged = parse_cell(cell, False, cell_of(first_number, "sharpness_converged")) if cell else None
    result = {"config": config, "status": first["status"], "rows": rows, "step_losses": [], "device": "",
              "wall_time": 0.0, "best_epoch": None, "final_val_loss": None, "test_loss": None, "test_acc": None,
              "message": "", "sharpness": sharpness,
              "sharpness_converged": converged}
    checked = check_result(result, where)
    checked.best_epoch = best_epoch(checked.rows, checked.status, checked.config)
    if checked.rows and math.isfinite(checked.rows[-1]["time_s"]) and checked.rows[-1]["time_s"] >= 0:
        checked.wall_time = checked.rows[-1]["time_s"]
    return StoredRun(id=uuid.uuid4().hex[:12], name=check_text(first["name"], field_of(where, "name")), tags=(),
                     source="user", created_at=time.time(), versions={}, result=checked)
