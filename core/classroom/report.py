"""The class report: what a room trained, for its teacher to keep, as a CSV and as one HTML page.

One line per entry (core/classroom/rooms.py): who asked, for what, and how its run stands (an entry
whose run is not there yet is "not trained yet"); then one line per prediction a student sent for a
lesson of the room: the question, the prediction, what the runs show and whether it matched, missed or
was left open (core.classroom.predictions.compare; empty while the lesson's runs are not all in). In
the CSV both are lines of one table (a prediction's kind is "prediction"). The HTML page is
self-contained, to open offline or mail: no script, no style sheet or font from elsewhere, and the
board's chart drawn as inline SVG from the board's table (core/classroom/board.py). Every string a
user typed is escaped.
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections.abc import Callable, Mapping
from html import escape

import pandas as pd

from core.charts import CATEGORY10, METRICS, X_AXES
from core.classroom.board import board_runs, board_table
from core.classroom.lessons import Lesson, LessonResult, lessons
from core.classroom.predictions import Match, compare
from core.classroom.rooms import Entry, RoomError, Rooms, normal_code
from core.messages import Message, Text
from core.runs.tables import Run, loss_metric
from core.training.record import STATUS_NAMES, best_epoch, epochs_done

ENTRY_COLUMNS = ["nickname", "kind", "dataset", "model", "optimizer", "batch_size", "learning_rate", "epochs", "seed",
                 "status", "epochs_run", "best_val_loss", "best_val_acc", "final_train_loss", "asked_at"]
PREDICTION_COLUMNS = ["lesson", "question", "prediction", "runs_show", "match"]
COLUMNS = [*ENTRY_COLUMNS, *PREDICTION_COLUMNS]  # the CSV's: a prediction's line leaves the run's columns empty
PREDICTION = "prediction"  # the kind of a prediction's line
NOT_TRAINED = Message("report.not_trained", "not trained yet")
HEADINGS = {  # the HTML table's column titles
    "nickname": Message("report.col.nickname", "Student"), "kind": Message("report.col.kind", "Task"),
    "dataset": Message("report.col.dataset", "Dataset"), "model": Message("report.col.model", "Model"),
    "optimizer": Message("report.col.optimizer", "Optimizer"),
    "batch_size": Message("report.col.batch_size", "Batch size"),
    "learning_rate": Message("report.col.learning_rate", "Learning rate"),
    "epochs": Message("report.col.epochs", "Epochs"), "seed": Message("report.col.seed", "Seed"),
    "status": Message("report.col.status", "Status"), "epochs_run": Message("report.col.epochs_run", "Epochs run"),
    "best_val_loss": Message("report.col.best_val_loss", "Best val loss"),
    "best_val_acc": Message("report.col.best_val_acc", "Best val accuracy"),
    "final_train_loss": Message("report.col.final_train_loss", "Final train loss"),
    "asked_at": Message("report.col.asked_at", "Asked at"),
    "lesson": Message("report.col.lesson", "Lesson"), "question": Message("report.col.question", "Question"),
    "prediction": Message("report.col.prediction", "Prediction"),
    "runs_show": Message("report.col.runs_show", "The runs show"), "match": Message("report.col.match", "Match"),
}
MATCHES = {Match.MATCHED: Message("report.matched", "✅ matched"), Match.MISSED: Message("report.missed", "❌ missed"),
           Match.OPEN: Message("report.open", "⚖️ open")}
Results = Callable[[Lesson], LessonResult | None]  # a lesson's measurement, or None while its runs are not all in
SVG_W, SVG_H, PAD_L, PAD_R, PAD_T, PAD_B = 720, 360, 64, 16, 16, 44  # the chart's size and margins, px
LEGEND_ROW = 20


def when(seconds: float) -> str:
    """A time as the report writes it: local, to the second."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def number(value: float | None) -> str:
    """A measurement as the report writes it: four decimals; empty when not measured (NaN) or none."""
    return "" if value is None or not math.isfinite(value) else f"{value:.4f}"


def report_line(entry: Entry, run: Run | None, text: Text = str) -> dict[str, str]:
    """One entry's line: its settings, and its run's status, epochs and results (empty before a run)."""
    config = entry.config
    line = {"nickname": entry.nickname, "kind": entry.kind, "dataset": config.dataset, "model": config.model,
            "optimizer": config.optimizer, "batch_size": str(config.batch_size),
            "learning_rate": f"{config.learning_rate:g}", "epochs": str(config.epochs), "seed": str(config.seed),
            "status": text(NOT_TRAINED), "epochs_run": "", "best_val_loss": "", "best_val_acc": "",
            "final_train_loss": "", "asked_at": when(entry.created_at)}
    if run is None:
        return line
    rows = list(run.rows)
    line["status"], line["epochs_run"] = text(STATUS_NAMES[run.status]), str(epochs_done(rows, run.config)[0])
    best = best_epoch(rows, run.status, run.config)
    best_row = next((r for r in rows if r["epoch"] == best), None) if best is not None else None
    if best_row is not None:
        line["best_val_loss"], line["best_val_acc"] = number(best_row["val_loss"]), number(best_row["val_acc"])
    if rows and rows[-1]["epoch"] > 0:
        line["final_train_loss"] = number(rows[-1]["train_loss"])
    return line


def prediction_lines(rooms: Rooms, code: str, results: Results, known: Mapping[str, Lesson] | None = None,
                     text: Text = str) -> list[dict[str, str]]:
    """A line per prediction sent in the room (every lesson's, oldest first): who, the lesson and question,
    the prediction in words, and, when `results` has the lesson's measurement, what the runs show and whether
    the prediction matched, missed or was left open."""
    known = lessons() if known is None else known
    measured: dict[str, LessonResult | None] = {}
    lines = []
    for said in rooms.predictions(code):
        lesson = known.get(said.lesson)
        question = next((q for q in lesson.questions if q.id == said.question), None) if lesson else None
        if lesson is None or question is None or not question.valid(said.value):
            continue  # a lesson or question this Batch Lab no longer has
        if lesson.id not in measured:
            measured[lesson.id] = results(lesson)
        result = measured[lesson.id]
        line = dict.fromkeys(COLUMNS, "")
        line.update(nickname=said.nickname, kind=PREDICTION, asked_at=when(said.created_at), lesson=lesson.id,
                    question=question.id, prediction=text(question.describe(said.value)),
                    prompt=text(question.prompt))  # the HTML table's question (the CSV keeps the id)
        if result is not None:
            answer = result.answer(question.id)
            line.update(runs_show=text(answer.shows), match=str(compare(question, said.value, answer).match))
        lines.append(line)
    return lines


def _room_and_runs(rooms: Rooms, code: str, look_up: Callable[[Entry], Run | None]
                   ) -> tuple[str, str, list[Entry], list[Run | None]]:
    room = rooms.get(code)
    if room is None:
        raise RoomError(Message("room.unknown", "There is no room {code!r}. Check the code with your teacher.",
                                code=normal_code(code)[:12]))
    entries = rooms.entries(room.code)
    return room.code, room.title, entries, [look_up(entry) for entry in entries]


def no_results(lesson: Lesson) -> LessonResult | None:
    return None


def report_csv(rooms: Rooms, code: str, look_up: Callable[[Entry], Run | None], text: Text = str,
               results: Results = no_results, known: Mapping[str, Lesson] | None = None) -> str:
    """The room's entries as CSV, one line each (COLUMNS), oldest first; then its predictions (prediction_lines)."""
    room_code, _, entries, runs = _room_and_runs(rooms, code, look_up)
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n", restval="", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(report_line(entry, run, text) for entry, run in zip(entries, runs, strict=True))
    writer.writerows(prediction_lines(rooms, room_code, results, known, text))
    return out.getvalue()


def report_html(rooms: Rooms, code: str, look_up: Callable[[Entry], Run | None], text: Text = str,
                now: float | None = None, results: Results = no_results,
                known: Mapping[str, Lesson] | None = None) -> str:
    """The room's report as one self-contained HTML page: its code and title, the date, the entries'
    table and the board's chart (curves named by student), as inline SVG; and the predictions' table."""
    room_code, title, entries, runs = _room_and_runs(rooms, code, look_up)
    found = {id(entry): run for entry, run in zip(entries, runs, strict=True)}  # each entry looked up once
    board = board_runs(entries, lambda entry: found[id(entry)])
    heading = text(Message("report.heading", "Class report: room {code}", code=room_code))
    date = text(Message("report.date", "Made {date}", date=when(time.time() if now is None else now)))
    head = "".join(f"<th>{escape(text(HEADINGS[c]))}</th>" for c in ENTRY_COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{escape(line[c])}</td>" for c in ENTRY_COLUMNS) + "</tr>\n"
                   for line in (report_line(e, r, text) for e, r in zip(entries, runs, strict=True)))
    predicted = predictions_html(prediction_lines(rooms, room_code, results, known, text), text)
    if board:
        metric = loss_metric(board)
        chart = svg_chart(board_table(board, metric, label_by="student", text=text), text(METRICS[metric]),
                          text(X_AXES["epoch"]))
    else:
        chart = f"<p>{escape(text(Message('report.no_runs', 'Nobody in this room has trained a run yet.')))}</p>"
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(heading)}</title>
<style>body {{ font-family: sans-serif; margin: 2em; }} table {{ border-collapse: collapse; font-size: 0.85em; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; }} th {{ background: #f3f3f3; }}</style>
</head><body>
<h1>{escape(heading)}</h1>
{f"<h2>{escape(title)}</h2>" if title else ""}
<p>{escape(date)} · {escape(text(Message("report.count", "{entries} entries", entries=len(entries))))}</p>
{chart}
<table><thead><tr>{head}</tr></thead><tbody>
{body}</tbody></table>
{predicted}
</body></html>
"""


def predictions_html(lines: list[dict[str, str]], text: Text = str) -> str:
    """The predictions' table of the HTML report (nothing when nobody sent one), every cell escaped."""
    if not lines:
        return ""
    columns = ["nickname", *PREDICTION_COLUMNS, "asked_at"]
    head = "".join(f"<th>{escape(text(HEADINGS[c]))}</th>" for c in columns)

    def cell(line: dict[str, str], column: str) -> str:
        if column == "match" and line["match"]:
            return escape(text(MATCHES[Match(line["match"])]))
        if column == "question":
            return escape(f"{line['prompt']} ({line['question']})")
        return escape(line[column])

    body = "".join("<tr>" + "".join(f"<td>{cell(line, c)}</td>" for c in columns) + "</tr>\n" for line in lines)
    heading = escape(text(Message("report.predictions", "Predictions")))
    return f"<h2>{heading}</h2>\n<table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>"


def _ticks(low: float, high: float, n: int = 5) -> list[float]:
    return [low + (high - low) * i / (n - 1) for i in range(n)]


def svg_chart(table: pd.DataFrame, y_title: str, x_title: str) -> str:
    """A line chart of a board table (one curve per label, value against epoch), with axes and a legend,
    as an inline <svg> element."""
    df = table.dropna(subset=["value"])
    labels = list(dict.fromkeys(table["label"]))
    x_max = max(float(df["epoch"].max()), 1.0) if not df.empty else 1.0
    y_low, y_high = (float(df["value"].min()), float(df["value"].max())) if not df.empty else (0.0, 1.0)
    if y_high - y_low < 1e-12:
        y_low, y_high = y_low - 0.5, y_high + 0.5
    plot_w, plot_h = SVG_W - PAD_L - PAD_R, SVG_H - PAD_T - PAD_B
    height = SVG_H + LEGEND_ROW * len(labels) + 8

    def px(x: float) -> float:
        return PAD_L + plot_w * x / x_max

    def py(y: float) -> float:
        return PAD_T + plot_h * (1 - (y - y_low) / (y_high - y_low))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{SVG_W}" height="{height}" '
             f'viewBox="0 0 {SVG_W} {height}" font-family="sans-serif" font-size="12">',
             f'<rect x="{PAD_L}" y="{PAD_T}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>']
    for y in _ticks(y_low, y_high):
        parts.append(f'<line x1="{PAD_L - 4}" y1="{py(y):.1f}" x2="{PAD_L + plot_w}" y2="{py(y):.1f}" '
                     f'stroke="#eee"/><text x="{PAD_L - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:.3g}</text>')
    step = max(1, math.ceil(x_max / 10))
    for x in range(0, int(x_max) + 1, step):
        parts.append(f'<line x1="{px(x):.1f}" y1="{PAD_T + plot_h}" x2="{px(x):.1f}" y2="{PAD_T + plot_h + 4}" '
                     f'stroke="#999"/><text x="{px(x):.1f}" y="{PAD_T + plot_h + 16}" text-anchor="middle">{x}</text>')
    parts.append(f'<text x="{PAD_L + plot_w / 2:.1f}" y="{PAD_T + plot_h + 34}" text-anchor="middle">'
                 f'{escape(x_title)}</text>')
    parts.append(f'<text transform="translate(14 {PAD_T + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle">'
                 f'{escape(y_title)}</text>')
    for i, label in enumerate(labels):
        color = CATEGORY10[i % len(CATEGORY10)]
        curve = df[df["label"] == label].sort_values("epoch")
        points = " ".join(f"{px(float(x)):.1f},{py(float(y)):.1f}" for x, y in zip(curve["epoch"], curve["value"],
                                                                                      strict=True))
        if points:
            parts.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"/>')
        legend_y = SVG_H + LEGEND_ROW * i + 4
        parts.append(f'<line x1="{PAD_L}" y1="{legend_y}" x2="{PAD_L + 24}" y2="{legend_y}" stroke="{color}" '
                     f'stroke-width="3"/><text x="{PAD_L + 30}" y="{legend_y + 4}">{escape(str(label))}</text>')
    parts.append("</svg>")
    return "\n".join(parts)

