"""The class board: every run a room asked for, on one overlay, labelled by setting or by student; the
assignment's grid filling cell by cell; and the class's predictions for the room's lesson.

The board is built from the room's entries (core/classroom/rooms.py): each entry's run is its live
job while it trains, else the stored run of its settings. Thirty students watching one board ask for
the same chart, so `signature` names what the board shows exactly and the page builds it once.

The grid (`grid_table`) is the Sweep page's heatmap for a class: a cell's result is each run's best
validation metric (core.runs.tables.summary_table: the engine's best-epoch rule), averaged as the Sweep
page's cells are (core.runs.tables.cell_table, which counts the diverged and unstable runs by their
status), with the spread over the runs and how many students trained it. The predictions
(`prediction_tally`) are counted per option, and once the teacher reveals the result, set beside the
lesson's measured answer (core.classroom.predictions.compare).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from core.charts import BEST, GRID_AXES, AltairChart
from core.classroom.lessons import Lesson, LessonResult, Value
from core.classroom.predictions import NONE_OF_THEM, Answer, Kind, Match, Question, compare
from core.classroom.rooms import Assignment, Entry, RoomPrediction
from core.messages import Message, Text
from core.runs.tables import Run, cell_table, group_key, run_label, runs_table, summary_table
from core.training.config import TrainConfig
from core.training.data import DATASETS
from core.training.record import ACTIVE, HistoryRow, Status

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
    run_id: str = ""  # the run's own id: students who asked for the same settings share one run


def board_runs(entries: Sequence[Entry], look_up: Callable[[Entry], Run | None]) -> list[BoardRun]:
    """The runs of the entries that have one yet (a queued job has no epochs; a forgotten one no run)."""
    runs = []
    for number, entry in enumerate(entries):
        run = look_up(entry)
        if run is not None and run.rows:  # its id names the entry, not the student (names may be hidden)
            runs.append(BoardRun(entry.nickname, f"{number}-{run.id}", run.config, Status(run.status),
                                 list(run.rows), run_id=run.id))
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


# --------------------------------------------------------------------------- the assignment's grid

GRID_COLUMNS = ["batch_size", "learning_rate", "students", "training", "runs", "n", "mean", "std", "low", "high",
                "diverged", "unstable", "text"]
DIVERGED = Message("chart.diverged", "diverged")


@dataclass(frozen=True)
class GridBoard:
    """The assignment's batch × LR cells as the class filled them (GRID_COLUMNS, one row per cell).

    `students` asked for a cell's settings (any seed), `training` of its runs are still queued or training,
    `runs` have ended and `n` of them have a result; mean, std (over n ≥ 2), low and high are of those results;
    `diverged` and `unstable` count the ended runs by their status. Students who asked for the same settings
    share one run, which counts once."""

    metric: str  # "best_val_acc" for a classifier, else "best_val_loss"
    higher_is_better: bool
    cells: pd.DataFrame


def grid_metric(assignment: Assignment) -> str:
    """The result a grid cell shows, as the Sweep page's heatmap: the best validation accuracy of a classifier,
    else the best validation loss."""
    return "best_val_acc" if DATASETS[assignment.base.dataset].task == "classification" else "best_val_loss"


def grid_table(runs: Sequence[BoardRun], assignment: Assignment, text: Text = str) -> GridBoard:
    """The grid board of `runs` (the room's board runs) over the assignment's cells."""
    metric = grid_metric(assignment)
    classification = metric == "best_val_acc"
    cells = {group_key(cell): (cell.batch_size, cell.learning_rate) for cell in assignment.cells}
    students: dict[tuple[int, float], set[str]] = {where: set() for where in cells.values()}
    distinct: dict[str, BoardRun] = {}
    for run in runs:
        where = cells.get(group_key(run.config))
        if where is not None:
            students[where].add(run.nickname)
            distinct.setdefault(run.run_id or run.id, run)
    training = Counter(cells[group_key(r.config)] for r in distinct.values() if r.status in ACTIVE)
    summary = summary_table([r for r in distinct.values() if r.status not in ACTIVE], text=text)
    summary[metric] = summary[metric].astype(float)
    ended: dict[tuple[int, float], dict[Hashable, Any]] = {}
    if len(summary):
        spread = pd.DataFrame(summary.groupby(["batch_size", "learning_rate"], as_index=False)[metric].agg(
            n="count", std="std", low="min", high="max"))
        for found in (cell_table(summary, metric), spread):
            for record in found.to_dict("records"):
                ended.setdefault((int(record["batch_size"]), float(record["learning_rate"])), {}).update(record)
    lines = []
    for where in dict.fromkeys(cells.values()):
        done = ended.get(where, {})
        n = int(done.get("n", 0))
        line: dict[str, Any] = {
            "batch_size": where[0], "learning_rate": where[1], "students": len(students[where]),
            "training": training[where], "runs": int(done.get("runs", 0)), "n": n,
            "mean": float(done[metric]) if n else math.nan, "std": float(done["std"]) if n >= 2 else math.nan,
            "low": float(done["low"]) if n else math.nan, "high": float(done["high"]) if n else math.nan,
            "diverged": int(done.get("diverged", 0)), "unstable": int(done.get("unstable", 0))}
        line["text"] = cell_text(line, text)
        lines.append(line)
    return GridBoard(metric, classification, pd.DataFrame(lines, columns=GRID_COLUMNS))


def cell_text(cell: Mapping[str, Any], text: Text = str) -> str:
    """What a grid cell says, a line each: the mean result and its range over the runs (none for one run);
    how many students and results; the diverged (✗), unstable (⚠) and still training (⏳) runs."""
    students, runs, n = int(cell["students"]), int(cell["runs"]), int(cell["n"])
    if students == 0:
        return ""
    if n:
        first = f"{cell['mean']:.3g}" + (f" ({cell['low']:.3g}–{cell['high']:.3g})" if n >= 2 else "")
    elif runs and cell["diverged"] == runs:
        first = f"✗ {text(DIVERGED)}"
    else:
        first = "–"
    second = text(Message("grid.counts", "{students} student(s) · n = {n}", students=students, n=n))
    marks = ([f"✗{int(cell['diverged'])}/{runs}"] if cell["diverged"] else []) + (
        [f"⚠{int(cell['unstable'])}/{runs}"] if cell["unstable"] else []) + (
        [f"⏳{int(cell['training'])}"] if cell["training"] else [])
    return "\n".join([first, second, *([" ".join(marks)] if marks else [])])


def grid_chart(grid: GridBoard, text: Text = str) -> AltairChart:
    """The grid board as a heatmap: every cell of the assignment (grey until a run in it ends), coloured by
    its mean result, with cell_text written in it."""
    means = grid.cells["mean"]
    low, high = means.min(), means.max()
    where = (means - low) / (high - low) if high > low else means * 0 + 0.5  # 0 … 1 along the colour scale
    df = grid.cells.assign(failed=(grid.cells["diverged"] + grid.cells["unstable"]) > 0, empty=grid.cells["n"] == 0,
                           light=(where > 0.6) if grid.higher_is_better else (where < 0.4))  # viridis' yellow end
    title = text(BEST[grid.metric])
    rows, columns = text(GRID_AXES["batch_size"]), text(GRID_AXES["learning_rate"])
    base = alt.Chart().encode(x=alt.X("learning_rate:O", title=columns),
                              y=alt.Y("batch_size:O", title=rows, sort="descending"))
    tooltip = [alt.Tooltip("batch_size:O", title=rows), alt.Tooltip("learning_rate:O", title=columns),
               alt.Tooltip("students:Q", title=text(Message("grid.students", "Students"))),
               alt.Tooltip("n:Q", title=text(Message("grid.results", "Runs with a result"))),
               alt.Tooltip("mean:Q", title=title, format=".4f"),
               alt.Tooltip("std:Q", title=text(Message("grid.std", "Standard deviation")), format=".4f"),
               alt.Tooltip("low:Q", title=text(Message("grid.low", "Lowest")), format=".4f"),
               alt.Tooltip("high:Q", title=text(Message("grid.high", "Highest")), format=".4f"),
               alt.Tooltip("diverged:Q", title=text(DIVERGED)),
               alt.Tooltip("unstable:Q", title=text(Message("chart.unstable", "unstable"))),
               alt.Tooltip("training:Q", title=text(Message("grid.training", "Still training")))]
    background = base.mark_rect(color="#eeeeee", stroke="white").encode(tooltip=tooltip)
    colored = base.mark_rect(stroke="white").encode(
        color=alt.Color("mean:Q", title=title, scale=alt.Scale(scheme="viridis", reverse=not grid.higher_is_better)),
        tooltip=tooltip).transform_filter("datum.n > 0")
    labels = base.mark_text(fontSize=13, lineBreak="\n").encode(
        text="text:N", color=alt.when("datum.failed").then(alt.value("#d62728")).when("datum.empty").then(
            alt.value("#555555")).when("datum.light").then(alt.value("#222222")).otherwise(alt.value("white")))
    return alt.layer(background, colored, labels, data=df).properties(
        height=max(200, 90 * df["batch_size"].nunique()))


# --------------------------------------------------------------------------- the class's predictions

@dataclass(frozen=True)
class OptionCount:
    """How many students predicted one option (for a CELLS question: ticked that cell; "none": ticked none;
    for an EPOCH question, one epoch predicted), who (no names when they are hidden), and, once the result
    is there, whether the runs show it."""

    option: str
    name: str
    count: int
    students: tuple[str, ...]
    match: Match | None = None


@dataclass(frozen=True)
class QuestionTally:
    question: str
    prompt: str
    students: int  # how many sent a prediction for it
    options: tuple[OptionCount, ...]
    shows: str | None = None  # with the result: what the runs show, in words
    matches: Mapping[Match, int] | None = None  # with the result: how many students' predictions matched, ...


def prediction_tally(lesson: Lesson, predictions: Sequence[RoomPrediction], result: LessonResult | None = None,
                     hide_names: bool = False, text: Text = str) -> list[QuestionTally]:
    """The class's predictions for the lesson, a tally per question: every option with how many chose it and
    who; with `result` (the lesson's measurement, shown once the teacher reveals it), whether each option fits
    the runs' answer and how many students' predictions matched, missed or were left open."""
    tallies = []
    for question in lesson.questions:
        said = [(p.nickname, p.value) for p in predictions if p.lesson == lesson.id and p.question == question.id
                and question.valid(p.value)]
        answer = result.answer(question.id) if result is not None else None
        counts = []
        for option, name, chose in _options(question, [value for _, value in said], text):
            who = tuple(nickname for nickname, value in said if chose(value))
            match = _option_match(question, option, answer) if answer is not None else None
            counts.append(OptionCount(option, name, len(who), () if hide_names else who, match))
        matches = None
        if answer is not None:
            found = [compare(question, value, answer).match for _, value in said]
            matches = {m: found.count(m) for m in Match}
        tallies.append(QuestionTally(question.id, text(question.prompt), len(said), tuple(counts),
                                     text(answer.shows) if answer is not None else None, matches))
    return tallies


Chooses = Callable[[Value], bool]  # whether a prediction chose an option


def _options(question: Question, values: Sequence[Value], text: Text) -> list[tuple[str, str, Chooses]]:
    """A question's options as the tally lists them: (id, name, whether a prediction chose it)."""
    if question.kind == Kind.EPOCH:
        epochs = sorted({v for v in values if isinstance(v, int)})
        return [(str(e), text(question.describe(e)), _is(e)) for e in epochs]
    if question.kind == Kind.CHOICE:
        return [(o.id, text(o.name), _is(o.id)) for o in question.options]
    return [*((o.id, text(o.name), _ticked(o.id)) for o in question.options),
            ("none", text(NONE_OF_THEM), _is(frozenset()))]


def _is(option: Value) -> Chooses:
    return lambda value: value == option


def _ticked(cell: str) -> Chooses:
    return lambda value: isinstance(value, frozenset) and cell in value


def _option_match(question: Question, option: str, answer: Answer) -> Match:
    """Whether the runs show an option: a choice or an epoch as compare judges it; a ticked cell when it is one
    of the cells the runs show (none of them: when they show none)."""
    if question.kind == Kind.CHOICE:
        return compare(question, option, answer).match
    if question.kind == Kind.EPOCH:
        return compare(question, int(option), answer).match
    if not answer.decided:
        return Match.OPEN
    if option == "none":
        return Match.MATCHED if not answer.fits else Match.MISSED
    return Match.MATCHED if option in answer.fits else Match.MISSED
