"""A run as the store keeps it: the result, plus its id, name, tags, origin and time.

Shared by the SQLite store (runs/store.py), the checks of untrusted documents (runs/checks.py)
and the file formats (runs/exchange.py), so none of them needs another.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.messages import Message, MessageError
from core.training.config import TrainConfig
from core.training.record import HistoryRow, RunResult, Status

SCHEMA_VERSION = 7  # of the store file and of its JSON exports; 2 added a run's sharpness, 3 the evaluated
# training loss and accuracy (train_loss, train_acc: the running means moved to *_running) and the epoch-0 row,
# 4 whether the sharpness's power iteration converged (sharpness_converged), 5 runs saved while they train
# (interrupted and failed runs are kept) and the groups of runs a sweep submits, 6 who made a run (owner,
# room) and the classroom's rooms (the JSON exports carry neither), 7 a room's lesson and the class's predictions
# (room tables only: an export of schema 7 reads as one of 6)
SOURCES = ("user", "reference")  # who made a run: someone using the app, or the shipped reference runs


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
    owner: str | None = None  # the owner id of whoever made it (core/runs/ownership.py); not exported
    room: str | None = None  # the classroom room it was made in; not exported

    @property
    def config(self) -> TrainConfig:
        return self.result.config

    @property
    def key(self) -> str:
        return self.config.key

    @property
    def status(self) -> Status:
        return self.result.status

    @property
    def rows(self) -> list[HistoryRow]:
        return self.result.rows

    @property
    def wall_time(self) -> float:
        return self.result.wall_time


def unknown_id(run_id: str) -> Message:
    return Message("store.unknown_id", "No stored run has the id {run!r}.", run=run_id)
