"""The class board: every run a room asked for, on one overlay, labelled by setting or by student.

The board is built from the room's entries (core/classroom/rooms.py): each entry's run is its live
job while it trains, else the stored run of its settings. Thirty students watching one board ask for
the same chart, so `signature` names what the board shows exactly and the page builds it once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from core.classroom.rooms import Entry
from core.messages import Message, Text
from core.runs.tables import Run, run_label, runs_table
from core.training.config import TrainConfig
from core.training.record import HistoryRow, Status

LABELS = ("setting", "student")


@dataclass(frozen=True)
class BoardRun:
    """An entry's run as the board draws it: who asked, and the run's settings, status and epochs so far."""

    nickname: str
    id: str
    config: TrainConfig
    status: Status
    rows: list[HistoryRow]
    wall_time: float | None = None


def board_runs(entries: Sequence[Entry], look_up: Callable[[Entry], Run | None]) -> list[BoardRun]:
    """The runs of the entries that have one yet (a queued job has no epochs; a forgotten one no run)."""
    runs = []
    for number, entry in enumerate(entries):
        run = look_up(entry)
        if run is not None and run.rows:  # its id names the entry, not the student (names may be hidden)
            runs.append(BoardRun(entry.nickname, f"{number}-{run.id}", run.config, Status(run.status),
                                 list(run.rows)))
    return runs


def student_names(runs: Sequence[BoardRun], hide: bool, text: Text = str) -> dict[str, str]:
    """Each nickname as the board shows it: itself, or "Student 1", "Student 2" ... in order of arrival."""
    order = list(dict.fromkeys(run.nickname for run in runs))
    if not hide:
        return {name: name for name in order}
    return {name: text(Message("board.student", "Student {number}", number=i)) for i, name in enumerate(order, 1)}


def board_table(runs: Sequence[BoardRun], metric: str, label_by: str = "setting", hide_names: bool = False,
                text: Text = str) -> pd.DataFrame:
    """The overlay's long table (core.runs.tables.runs_table): one curve per entry, labelled by its
    settings or by the student who asked for it (their nickname, or a number when names are hidden)."""
    if label_by not in LABELS:
        raise ValueError(f"label_by must be one of {LABELS}, got {label_by!r}")
    names = student_names(runs, hide_names, text)
    if label_by == "student":
        labels = [f"{names[run.nickname]} · {run_label(run.config, text=text)}" for run in runs]
    else:
        labels = [run_label(run.config, text=text) for run in runs]
    return runs_table(runs, metric, labels=labels, text=text)


def signature(runs: Sequence[BoardRun]) -> tuple[tuple[str, str, int, str], ...]:
    """What the board shows, exactly: who, which run, how many epochs so far and how it stands."""
    return tuple((run.nickname, run.id, len(run.rows), str(run.status)) for run in runs)
