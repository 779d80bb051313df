"""Checks of untrusted run documents: an import, or a result about to be saved.

Everything a file can hold is checked before anything is written: types, ranges, lengths and
the consistency of a run's rows with its settings. A problem raises StoreError naming the file's
run, row and field (`where`), in a Message the app translates with the sentence around it.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from typing import Any

from core.messages import Message, as_text, from_text, reason
from core.runs.stored import SOURCES, StoredRun, StoreError
from core.training.config import TrainConfig
from core.training.record import (
    HISTORY_COLUMNS,
    INT_COLUMNS,
    RUNNING_COLUMNS,
    SAVED_STATUSES,
    HistoryRow,
    RunResult,
    epochs_in,
    from_running_mean,
    history_row,
)

MAX_ROWS = 10_000  # epoch rows per run (TrainConfig allows at most 10,000 epochs)
MAX_STEP_LOSSES = 2_000_000
MAX_TEXT = 10_000  # characters of a name, tag, message, device or version string
MAX_TAGS = 100
NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}  # how JSON exports write them


def with_text_message(result: RunResult) -> dict[str, Any]:
    """The result as a dict whose message is text, as files and the checks want it: a Message as
    its JSON (read back by from_text on import, so it still translates), plain text as it is."""
    return {**result.to_dict(), "message": as_text(result.message)}




def field_of(where: Message, name: str) -> Message:
    """`where` narrowed to one field: run 1: 'created_at'."""
    return Message("store.field", "{where}: {field!r}", where=where, field=name)


def check_float(value: Any, what: Message) -> float:
    if isinstance(value, str) and value in NONFINITE:
        return NONFINITE[value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StoreError(Message("store.not_number", "{what} must be a number, got {value}.",
                                 what=what, value=show(value)))
    try:
        return float(value)
    except OverflowError:  # an integer beyond the largest float, about 1.8e308
        raise StoreError(Message("store.number_too_large", "{what} must be a number of at most 1.8e308, got "
                                 "{value}.", what=what, value=show(value))) from None


def check_int(value: Any, what: Message, low: int = 0, high: int = 2**63 - 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise StoreError(Message("store.not_integer", "{what} must be an integer, got {value}.",
                                 what=what, value=show(value)))
    if not low <= value <= high:
        raise StoreError(Message("store.out_of_range", "{what} must be in {low}..{high}, got {value}.",
                                 what=what, low=low, high=high, value=value))
    return value


def check_text(value: Any, what: Message) -> str:
    if not isinstance(value, str):
        raise StoreError(Message("store.not_text", "{what} must be text, got {value}.", what=what, value=show(value)))
    if len(value) > MAX_TEXT:
        raise StoreError(Message("store.too_long", "{what} is {length:,} characters long; at most {cap:,} are "
                                 "allowed.", what=what, length=len(value), cap=MAX_TEXT))
    return value


def check_tags(tags: Any, what: Message) -> tuple[str, ...]:
    """Tags are shown comma-joined, so a tag may not hold a comma; blanks and repeats are dropped."""
    if not isinstance(tags, (list, tuple)) or len(tags) > MAX_TAGS:
        raise StoreError(Message("store.tags_not_list", "{what} must be a list of at most {cap} tags.",
                                 what=what, cap=MAX_TAGS))
    clean: list[str] = []
    for tag in tags:
        tag = check_text(tag, Message("store.a_tag", "{what}: a tag", what=what)).strip()
        if "," in tag:
            raise StoreError(Message("store.tag_comma", "{what}: a tag cannot contain a comma, got {tag!r}.",
                                     what=what, tag=tag))
        if tag and tag not in clean:
            clean.append(tag)
    return tuple(clean)


def tags_from_text(text: str) -> tuple[str, ...]:
    """Tags as a person types them: comma-separated, blanks around them dropped (check_tags does the rest)."""
    return tuple(tag.strip() for tag in text.split(",") if tag.strip())


def few(names: list[str]) -> Message | str:
    if len(names) <= 5:
        return ", ".join(names)
    return Message("store.few", "{names} and {more} more", names=", ".join(names[:5]), more=len(names) - 5)


def show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_run(run: Any, where: Message) -> StoredRun:
    """A StoredRun with a fresh id from an exported run, or StoreError naming what is wrong."""
    if not isinstance(run, dict):
        raise StoreError(Message("store.run_not_object", "{where} must be an object with 'name', 'tags', 'source', "
                                 "'created_at', 'versions' and 'result'.", where=where))
    check_keys(run, {"name", "tags", "source", "created_at", "versions", "result"}, {"id"}, where)
    if run["source"] not in SOURCES:
        raise StoreError(Message("store.source", "{where}: 'source' must be 'user' or 'reference', got {value}.",
                                 where=where, value=show(run["source"])))
    created_at = check_float(run["created_at"], field_of(where, "created_at"))
    if not math.isfinite(created_at):
        raise StoreError(Message("store.created_at", "{where}: 'created_at' must be a finite time, got {value}.",
                                 where=where, value=created_at))
    versions = run["versions"]
    if not isinstance(versions, dict) or len(versions) > MAX_TAGS:
        raise StoreError(Message("store.versions", "{where}: 'versions' must be an object of library versions.",
                                 where=where))
    for library, version in versions.items():
        check_text(version, Message("store.version_of", "{where}: the version of {library!r}",
                                     where=where, library=library))
    return StoredRun(id=uuid.uuid4().hex[:12], name=check_text(run["name"], field_of(where, "name")),
                     tags=check_tags(run["tags"], field_of(where, "tags")), source=run["source"],
                     created_at=created_at, versions=dict(versions), result=check_result(run["result"], where))


def check_keys(d: dict, required: set[str], optional: set[str], where: Message) -> None:
    missing, unknown = required - set(d), set(d) - required - optional
    if missing:
        raise StoreError(Message("store.lacks", "{where} lacks {fields}.", where=where,
                                 fields=", ".join(repr(k) for k in sorted(missing))))
    if unknown:
        raise StoreError(Message("store.unknown_fields", "{where} has unknown field(s) {fields}.", where=where,
                                 fields=", ".join(repr(k) for k in sorted(map(str, unknown)))))


def check_result(result: Any, where: Message) -> RunResult:
    if not isinstance(result, dict):
        raise StoreError(Message("store.result_not_object", "{where}: 'result' must be an object.", where=where))
    optional = {"sharpness", "sharpness_converged"}  # absent from exports of schema 1, and of 1-3
    check_keys(result, set(RunResult.__dataclass_fields__) - optional, optional, field_of(where, "result"))
    if not isinstance(result["config"], dict):
        raise StoreError(Message("store.config_not_object", "{where}: 'config' must be an object of settings.",
                                 where=where))
    try:
        config = TrainConfig.from_dict(result["config"])
    except (ValueError, TypeError) as e:  # ConfigError is a ValueError and names the field
        raise StoreError(Message("store.at", "{where}: {error}", where=where, error=reason(e))) from e
    status = result["status"]
    if status not in SAVED_STATUSES:
        raise StoreError(Message("store.status", "{where}: 'status' must be one of {statuses}, got {value}.",
                                 where=where, statuses=", ".join(SAVED_STATUSES), value=show(status)))
    rows = check_rows(result["rows"], config, where)
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
        losses = [check_float(v, Message("store.step_loss", "{where}: step loss {number}", where=where, number=i))
                  for i, v in enumerate(losses, 1)]
    best_epoch = result["best_epoch"]
    if best_epoch is not None:
        check_int(best_epoch, field_of(where, "best_epoch"), 1, epochs_in(rows))
    wall_time = check_float(result["wall_time"], field_of(where, "wall_time"))
    if not (math.isfinite(wall_time) and wall_time >= 0):
        raise StoreError(Message("store.wall_time", "{where}: 'wall_time' must be a finite number of seconds, got "
                                 "{value}.", where=where, value=wall_time))
    metrics = {name: None if result[name] is None else check_float(result[name], field_of(where, name))
               for name in ("final_val_loss", "test_loss", "test_acc")}
    sharpness = check_sharpness(result.get("sharpness"), where)
    converged = check_sharpness_converged(result.get("sharpness_converged"), sharpness, where)
    return RunResult(config=config, status=status, rows=rows, step_losses=list(losses),
                     device=check_text(result["device"], field_of(where, "device")), wall_time=wall_time,
                     best_epoch=best_epoch,
                     message=from_text(check_text(result["message"], field_of(where, "message"))),
                     sharpness=sharpness, sharpness_converged=converged, **metrics)


def check_sharpness(value: Any, where: Message) -> float | None:
    """None (not measured) or a finite number: an eigenvalue is never NaN or infinite."""
    if value is None:
        return None
    sharpness = check_float(value, field_of(where, "sharpness"))
    if not math.isfinite(sharpness):
        raise StoreError(Message("store.sharpness", "{where}: 'sharpness' must be a finite number or null, got "
                                 "{value}.", where=where, value=show(value)))
    return sharpness


def check_sharpness_converged(value: Any, sharpness: float | None, where: Message) -> bool | None:
    """None (not measured, or written before schema 4) or a JSON boolean; None when the sharpness is."""
    if value is not None and not isinstance(value, bool):
        raise StoreError(Message("store.sharpness_converged", "{where}: 'sharpness_converged' must be true, false "
                                 "or null, got {value}.", where=where, value=show(value)))
    if value is not None and sharpness is None:
        raise StoreError(Message("store.converged_without_sharpness", "{where}: 'sharpness_converged' must be null "
                                 "when 'sharpness' is null (nothing was measured), got {value}.",
                                 where=where, value=show(value)))
    return value


def check_rows(rows: Any, config: TrainConfig, where: Message) -> list[HistoryRow]:
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise StoreError(Message("store.rows_not_list", "{where}: 'rows' must be a list of epoch rows.", where=where))
    if len(rows) > min(MAX_ROWS, config.epochs + 1):
        raise StoreError(Message("store.too_many_rows", "{where}: {rows} epoch rows but the settings train {epochs} "
                                 "epochs.", where=where, rows=len(rows), epochs=config.epochs))
    checked: list[HistoryRow] = []
    first = 0 if rows and rows[0].get("epoch") == 0 else 1  # runs stored before epoch 0 was measured start at 1
    for number, row in enumerate(rows, 1):
        what = Message("store.row", "{where}: row {number}", where=where, number=number)
        check_keys(row, set(HISTORY_COLUMNS) - set(RUNNING_COLUMNS), set(RUNNING_COLUMNS), what)
        if not set(RUNNING_COLUMNS) <= set(row):
            row = from_running_mean(row)  # written before the training loss was evaluated
        clean = {c: check_int(row[c], field_of(what, c)) if c in INT_COLUMNS else
                 check_float(row[c], field_of(what, c)) for c in HISTORY_COLUMNS}
        check_row_values(clean, what)
        if clean["epoch"] != number - 1 + first:
            raise StoreError(Message("store.epoch_number", "{where}: 'epoch' must be {number} (epochs count 0 or 1, "
                                     "then 1 up), got {epoch}.", where=what, number=number - 1 + first,
                                     epoch=clean["epoch"]))
        checked.append(history_row(clean))
    return checked


def check_row_values(row: Mapping[str, float], what: Message) -> None:
    """What training can write: a time and an LR of at least 0, losses never below 0 (NaN or inf
    after a divergence), accuracies from 0 to 1 (NaN where none was measured)."""
    for column in ("time_s", "lr"):
        if not (math.isfinite(row[column]) and row[column] >= 0):
            raise StoreError(Message("store.row_not_finite", "{what}: {field!r} must be a finite number of at "
                                     "least 0, got {value}.", what=what, field=column, value=row[column]))
    for column in ("train_loss", "val_loss", "train_loss_running"):
        if row[column] < 0:
            raise StoreError(Message("store.row_negative_loss", "{what}: {field!r} cannot be negative, got "
                                     "{value}.", what=what, field=column, value=row[column]))
    for column in ("train_acc", "val_acc", "train_acc_running"):
        if not (math.isnan(row[column]) or 0 <= row[column] <= 1):
            raise StoreError(Message("store.row_accuracy", "{what}: {field!r} must be from 0 to 1 (or NaN where "
                                     "none was measured), got {value}.", what=what, field=column,
                                     value=row[column]))


