"""The class board: one curve per entry, named by setting or by student, names hidden on request; the
assignment's grid cell by cell; the class's predictions counted, and set beside the lesson's result."""

import dataclasses
import math

import pytest

from core.classroom.board import BoardRun, board_runs, board_table, grid_chart, grid_table, prediction_tally, signature
from core.classroom.lessons import LessonResult, lessons
from core.classroom.predictions import Answer, Effect, Match
from core.classroom.rooms import Assignment, Entry, RoomPrediction
from core.messages import Message
from core.training.config import TrainConfig
from core.training.engine import train
from core.training.record import Status, history_row
from pages.ui.texts import CORE


def korean(message) -> str:
    return message.render(lambda m: CORE.get(m.key))

SMALL = TrainConfig(dataset="digits", model="linear", epochs=2, batch_size=32)
LARGE = TrainConfig(dataset="digits", model="linear", epochs=2, batch_size=256)


def entry(nickname: str, config: TrainConfig) -> Entry:
    return Entry(nickname, "train", config.key, config, 0.0)


def test_the_board_draws_each_entry_that_has_epochs_and_names_curves_by_setting_or_by_student():
    results = {SMALL.key: train(SMALL), LARGE.key: train(LARGE)}

    class Found:  # what the board looks up: a run with an id, config, status and rows
        def __init__(self, config):
            result = results.get(config.key)
            self.id, self.config, self.status = config.key[:8], config, Status.COMPLETED
            self.rows, self.wall_time = (result.rows if result else []), 1.0

    entries = [entry("Mina", SMALL), entry("Joon", LARGE), entry("Mina", LARGE),
               entry("Sora", TrainConfig(dataset="digits", model="linear", epochs=2, batch_size=64))]
    runs = board_runs(entries, lambda e: Found(e.config))
    assert [r.nickname for r in runs] == ["Mina", "Joon", "Mina"]  # Sora's run has no epochs yet
    assert all("Mina" not in r.id and "Joon" not in r.id for r in runs)
    by_setting = board_table(runs, "val_loss")
    assert sorted(set(by_setting["label"])) == ["B 256 · LR 0.01", "B 32 · LR 0.01"]
    assert len(by_setting) == 3 * 3  # three curves of epochs 0, 1, 2
    by_student = board_table(runs, "val_loss", label_by="student")
    assert sorted(set(by_student["label"])) == ["Joon · B 256 · LR 0.01", "Mina · B 256 · LR 0.01",
                                                 "Mina · B 32 · LR 0.01"]
    hidden = board_table(runs, "val_loss", label_by="student", hide_names=True)
    assert sorted(set(hidden["label"])) == ["Student 1 · B 256 · LR 0.01", "Student 1 · B 32 · LR 0.01",
                                            "Student 2 · B 256 · LR 0.01"]
    assert not hidden.astype(str).apply(lambda c: c.str.contains("Mina|Joon")).any().any()


def test_the_signature_changes_when_a_run_gains_an_epoch_or_ends():
    result = train(SMALL)

    class Growing:
        id, config, wall_time = "r1", SMALL, 1.0

        def __init__(self, rows, status):
            self.rows, self.status = rows, status

    before = signature(board_runs([entry("Mina", SMALL)], lambda e: Growing(result.rows[:2], Status.RUNNING)))
    later = signature(board_runs([entry("Mina", SMALL)], lambda e: Growing(result.rows, Status.RUNNING)))
    done = signature(board_runs([entry("Mina", SMALL)], lambda e: Growing(result.rows, Status.COMPLETED)))
    assert len({before, later, done}) == 3


# ---------------------------------------------------------------------- the assignment's grid

GRID_BASE = TrainConfig(dataset="digits", model="linear", epochs=3, seed=0)
GRID = Assignment(GRID_BASE, (16, 64), (0.01, 0.1))


def made(nickname: str, run_id: str, batch: int, lr: float, val_acc: list[float], status=Status.COMPLETED,
         seed: int = 0, val_loss: list[float] | None = None, train_loss: list[float] | None = None) -> BoardRun:
    """A board run written by hand: epochs 0 … len(val_acc) − 1; the validation loss falls unless given, so the
    best epoch (by the engine's rule, on the validation loss) is the last one the rule looks at."""
    val_loss = val_loss or [2.0 - 0.5 * e for e in range(len(val_acc))]
    train_loss = train_loss or [2.0 - 0.5 * e for e in range(len(val_acc))]
    rows = [history_row({"epoch": e, "step": 10 * e, "samples": 100 * e, "time_s": 0.1 * e, "lr": lr,
                         "train_loss": train_loss[e], "val_loss": val_loss[e], "train_acc": 0.5, "val_acc": val_acc[e],
                         "train_loss_running": train_loss[e], "train_acc_running": 0.5}) for e in range(len(val_acc))]
    config = dataclasses.replace(GRID_BASE, batch_size=batch, learning_rate=lr, seed=seed)
    return BoardRun(nickname, f"0-{run_id}", config, status, rows, run_id=run_id)


def cell(grid, batch: int, lr: float) -> dict:
    found = grid.cells[(grid.cells["batch_size"] == batch) & (grid.cells["learning_rate"] == lr)]
    assert len(found) == 1
    return found.iloc[0].to_dict()


def test_a_grid_cell_counts_its_students_and_shows_the_mean_and_range_of_its_runs_best_accuracy():
    runs = [made("Mina", "r1", 16, 0.01, [0.1, 0.5, 0.80]), made("Joon", "r2", 16, 0.01, [0.1, 0.6, 0.90], seed=1),
            made("Ari", "r2", 16, 0.01, [0.1, 0.6, 0.90], seed=1),  # asked for Joon's settings: his run, once
            made("Sora", "r3", 16, 0.01, [0.1, 0.7, 0.85], seed=2),
            made("Mina", "r4", 64, 0.1, [0.1, 0.7, 0.3], val_loss=[2.0, 0.5, 1.5]),  # best at epoch 1: 0.7
            made("Bo", "r5", 32, 0.01, [0.1, 0.9, 0.99])]  # not a cell of the grid
    grid = grid_table(runs, GRID)
    assert (grid.metric, grid.higher_is_better) == ("best_val_acc", True)
    assert list(zip(grid.cells["batch_size"], grid.cells["learning_rate"], strict=True)) == [
        (16, 0.01), (16, 0.1), (64, 0.01), (64, 0.1)]
    full = cell(grid, 16, 0.01)
    assert (full["students"], full["runs"], full["n"], full["training"]) == (4, 3, 3, 0)
    assert full["mean"] == pytest.approx(0.85) and full["std"] == pytest.approx(0.05)
    assert (full["low"], full["high"]) == (0.80, 0.90)
    assert full["text"] == "0.85 (0.8–0.9)\n4 student(s) · n = 3"
    one = cell(grid, 64, 0.1)  # one run: its result, no spread
    assert (one["students"], one["n"], one["mean"], one["low"], one["high"]) == (1, 1, 0.7, 0.7, 0.7)
    assert math.isnan(one["std"]) and one["text"] == "0.7\n1 student(s) · n = 1"
    empty = cell(grid, 16, 0.1)
    assert (empty["students"], empty["runs"], empty["n"], empty["text"]) == (0, 0, 0, "") and math.isnan(empty["mean"])


def test_a_grid_cell_marks_diverged_and_unstable_runs_and_waits_for_those_still_training():
    runs = [made("Mina", "r1", 16, 0.1, [0.1, 0.2, math.nan], Status.DIVERGED, val_loss=[2.0, 1.5, math.inf]),
            made("Joon", "r2", 64, 0.1, [0.1, 0.8, 0.82], Status.UNSTABLE),
            made("Ari", "r3", 64, 0.1, [0.1, 0.6, 0.70], seed=1),
            made("Sora", "r4", 64, 0.01, [0.1, 0.5], Status.RUNNING),
            made("Bo", "r5", 64, 0.01, [0.1, 0.4, 0.6], seed=1),
            made("Eun", "r6", 16, 0.01, [0.1, 0.3], Status.DIVERGED, val_loss=[2.0, math.nan])]
    grid = grid_table(runs, GRID)
    diverged = cell(grid, 16, 0.1)  # its best epoch is epoch 1 (a diverged run's last epoch never counts)
    assert (diverged["runs"], diverged["n"], diverged["diverged"], diverged["mean"]) == (1, 1, 1, 0.2)
    assert diverged["text"] == "0.2\n1 student(s) · n = 1\n✗1/1"
    nothing = cell(grid, 16, 0.01)  # diverged at its first epoch: no result at all
    assert (nothing["runs"], nothing["n"], nothing["diverged"]) == (1, 0, 1) and math.isnan(nothing["mean"])
    assert nothing["text"] == "✗ diverged\n1 student(s) · n = 0\n✗1/1"
    shaky = cell(grid, 64, 0.1)  # an unstable run stays in the mean, marked (as on the Sweep page's heatmap)
    assert (shaky["runs"], shaky["unstable"], shaky["mean"]) == (2, 1, pytest.approx(0.76))
    assert shaky["text"] == "0.76 (0.7–0.82)\n2 student(s) · n = 2\n⚠1/2"
    training = cell(grid, 64, 0.01)  # the running run is counted as training, not in the result yet
    assert (training["students"], training["training"], training["runs"], training["mean"]) == (2, 1, 1, 0.6)
    assert training["text"] == "0.6\n2 student(s) · n = 1\n⏳1"


def test_a_regression_grid_shows_the_best_validation_loss_where_lower_is_better_and_draws_every_cell():
    base = TrainConfig(dataset="linear", model="linear", optimizer="sgd", epochs=2)
    runs = [BoardRun("Mina", "0-r1", dataclasses.replace(base, batch_size=16), Status.COMPLETED,
                     made("x", "r1", 16, 0.01, [math.nan] * 3, val_loss=[1.0, 0.4, 0.5]).rows, run_id="r1")]
    grid = grid_table(runs, Assignment(base, (16, 64), (0.01,)))
    assert (grid.metric, grid.higher_is_better) == ("best_val_loss", False)
    assert list(grid.cells["mean"].fillna(-1)) == [0.4, -1]
    chart = grid_chart(grid, text=str).to_dict()
    assert len(chart["layer"]) == 3 and chart["layer"][2]["mark"]["lineBreak"] == "\n"
    assert chart["layer"][1]["encoding"]["color"]["scale"] == {"scheme": "viridis", "reverse": True}
    assert [row["text"] for row in next(iter(chart["datasets"].values()))] == ["0.4\n1 student(s) · n = 1", ""]


def test_the_grid_reads_in_korean():
    grid = grid_table([made("Mina", "r1", 16, 0.01, [0.1, 0.5, 0.80])], GRID, text=korean)
    assert cell(grid, 16, 0.01)["text"] == "0.8\n학생 1명 · n = 1"


# ---------------------------------------------------------------------- the class's predictions

L1, L2, L7 = (lessons()[lid] for lid in ("L1", "L2", "L7"))


def said(nickname: str, lesson: str, question: str, value) -> RoomPrediction:
    return RoomPrediction(nickname, f"owner-{nickname}", lesson, question, value, 0.0)


CLASS_L1 = [said("Mina", "L1", "lower", "16"), said("Joon", "L1", "lower", "16"), said("Ari", "L1", "lower", "128"),
            said("Mina", "L1", "updates", "more"), said("Joon", "L1", "updates", "same"),
            said("Ari", "L1", "updates", "more"), said("Old", "L2", "diverge", frozenset())]


def counts(tally) -> list[tuple]:
    return [(o.option, o.name, o.count, o.students, o.match) for o in tally.options]


def test_the_predictions_are_counted_per_option_with_who_and_without_names_when_they_are_hidden():
    lower, updates = prediction_tally(L1, CLASS_L1)
    assert (lower.question, lower.prompt, lower.students) == ("lower", str(L1.questions[0].prompt), 3)
    assert counts(lower) == [("16", "batch 16", 2, ("Mina", "Joon"), None), ("128", "batch 128", 1, ("Ari",), None)]
    assert counts(updates) == [("more", "batch 16 makes more", 2, ("Mina", "Ari"), None),
                               ("same", "about as many", 1, ("Joon",), None), ("fewer", "batch 16 makes fewer", 0, (),
                                                                                None)]
    assert lower.shows is None and lower.matches is None  # not revealed: no result beside them
    hidden = prediction_tally(L1, CLASS_L1, hide_names=True)
    assert [o.count for o in hidden[0].options] == [2, 1] and all(o.students == () for t in hidden for o in t.options)


def result_of(*answers: Answer) -> LessonResult:
    return LessonResult(answers, Effect.SHOWED, Message("test.honesty", "It showed."))


def test_with_the_result_each_option_and_each_students_prediction_is_matched_missed_or_open():
    result = result_of(Answer("lower", True, Message("test.a", "batch 16"), fits=frozenset({"16"})),
                       Answer("updates", True, Message("test.b", "batch 16 makes more"), fits=frozenset({"more"}),
                              open=frozenset({"same"})))
    lower, updates = prediction_tally(L1, CLASS_L1, result)
    assert [(o.option, o.match) for o in lower.options] == [("16", Match.MATCHED), ("128", Match.MISSED)]
    assert lower.shows == "batch 16" and lower.matches == {Match.MATCHED: 2, Match.MISSED: 1, Match.OPEN: 0}
    assert [(o.option, o.match) for o in updates.options] == [
        ("more", Match.MATCHED), ("same", Match.OPEN), ("fewer", Match.MISSED)]
    assert updates.matches == {Match.MATCHED: 2, Match.MISSED: 0, Match.OPEN: 1}


def test_cells_are_counted_per_cell_ticked_with_none_of_them_and_epochs_per_epoch_predicted():
    class_l2 = [said("Mina", "L2", "diverge", frozenset({"16|0.01", "256|0.01"})),
                said("Joon", "L2", "diverge", frozenset({"256|0.01"})), said("Ari", "L2", "diverge", frozenset())]
    answer = Answer("diverge", True, Message("test.none", "none of the 18 runs"), fits=frozenset())
    (tally,) = prediction_tally(L2, class_l2, result_of(answer))
    ticked = {o.option: (o.count, o.match) for o in tally.options}
    assert ticked["16|0.01"] == (1, Match.MISSED) and ticked["256|0.01"] == (2, Match.MISSED)
    assert ticked["64|0.001"] == (0, Match.MISSED) and ticked["none"] == (1, Match.MATCHED)
    assert tally.options[-1].name == "none of them" and tally.matches[Match.MATCHED] == 1
    class_l7 = [said("Mina", "L7", "epoch", 40), said("Joon", "L7", "epoch", 12), said("Ari", "L7", "epoch", 40)]
    answer = Answer("epoch", True, Message("test.epochs", "epochs 31–44"), epochs=(31, 44))
    (tally,) = prediction_tally(L7, class_l7, result_of(answer))
    assert counts(tally) == [("12", "epoch 12", 1, ("Joon",), Match.MISSED),
                             ("40", "epoch 40", 2, ("Mina", "Ari"), Match.MATCHED)]
