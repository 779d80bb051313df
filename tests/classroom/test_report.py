"""The class report: a CSV line per entry, and one self-contained HTML page with the board's chart as SVG."""

import csv
import io
import re
import time

import pytest

from core.classroom.lessons import LessonResult, lessons
from core.classroom.predictions import Answer, Effect
from core.classroom.report import COLUMNS, report_csv, report_html
from core.classroom.rooms import RoomError, Rooms
from core.messages import Message
from core.runs.ownership import owner_id
from core.training.config import TrainConfig
from core.training.engine import train

ALICE, BOB = owner_id("alice-secret-0123456789"), owner_id("bob-secret-0123456789ab")
SMALL = TrainConfig(dataset="digits", model="linear", epochs=1, batch_size=32)
LARGE = TrainConfig(dataset="digits", model="linear", epochs=1, batch_size=256)
UNTRAINED = TrainConfig(dataset="digits", model="linear", epochs=1, batch_size=128, seed=7)


@pytest.fixture
def room(store):
    """A room where <b>Mina</b> trained SMALL and asked for UNTRAINED, and Joon trained LARGE."""
    rooms = Rooms(store)
    room, key = rooms.create("Period <3>")
    mina, joon = rooms.join(room.code, "<b>Mina</b>", ALICE), rooms.join(room.code, "Joon", BOB)
    results = {config.key: train(config) for config in (SMALL, LARGE)}
    for result in results.values():
        store.save(result)
    rooms.record(mina, "train", SMALL.key, SMALL)
    rooms.record(joon, "train", LARGE.key, LARGE)
    rooms.record(mina, "train", UNTRAINED.key, UNTRAINED)
    return rooms, room, results, lambda entry: store.find(entry.config), key


def test_the_csv_has_a_line_per_entry_with_its_settings_status_and_results(room):
    rooms, room, results, look_up, _ = room
    lines = list(csv.reader(io.StringIO(report_csv(rooms, room.code, look_up))))
    assert lines[0] == ["nickname", "kind", "dataset", "model", "optimizer", "batch_size", "learning_rate", "epochs",
                        "seed", "status", "epochs_run", "best_val_loss", "best_val_acc", "final_train_loss",
                        "asked_at", "lesson", "question", "prediction", "runs_show", "match"] == COLUMNS
    asked = [time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e.created_at)) for e in rooms.entries(room.code)]

    def trained(config):
        last = results[config.key].rows[-1]  # one epoch: the best epoch is the last
        return ["Completed", "1", f"{last['val_loss']:.4f}", f"{last['val_acc']:.4f}", f"{last['train_loss']:.4f}"]

    no_prediction = [""] * 5
    assert lines[1:] == [
        ["<b>Mina</b>", "train", "digits", "linear", "adam", "32", "0.01", "1", "0", *trained(SMALL), asked[0],
         *no_prediction],
        ["Joon", "train", "digits", "linear", "adam", "256", "0.01", "1", "0", *trained(LARGE), asked[1],
         *no_prediction],
        ["<b>Mina</b>", "train", "digits", "linear", "adam", "128", "0.01", "1", "7", "not trained yet", "", "", "",
         "", asked[2], *no_prediction],
    ]


def test_the_html_page_is_self_contained_escapes_what_users_typed_and_draws_the_board_as_svg(room):
    rooms, room, _, look_up, _ = room
    page = report_html(rooms, room.code, look_up)
    assert page.startswith("<!DOCTYPE html>") and f"Class report: room {room.code}" in page
    assert "Period &lt;3&gt;" in page and "Period <3>" not in page
    assert "&lt;b&gt;Mina&lt;/b&gt;" in page and "<b>Mina</b>" not in page
    assert page.count("<svg") == 1 and page.count("<polyline") == 2  # the two trained runs' curves
    assert "&lt;b&gt;Mina&lt;/b&gt; · B 32 · LR 0.01" in page  # the legend names the curves by student
    assert re.findall(r"https?://[^\"'\s]*", page) == ["http://www.w3.org/2000/svg"]  # no CDN, no link
    assert "<script" not in page and "src=" not in page
    assert page.count("<tr>") == 1 + 3 and "not trained yet" in page


def test_a_room_nobody_trained_in_yet_still_has_a_report_and_an_unknown_room_none(store):
    rooms = Rooms(store)
    room, _ = rooms.create()
    assert report_csv(rooms, room.code, lambda e: None) == ",".join(COLUMNS) + "\n"
    assert "Nobody in this room has trained a run yet." in report_html(rooms, room.code, lambda e: None)
    with pytest.raises(RoomError, match="There is no room 'QQQQ'"):
        report_csv(rooms, "QQQQ", lambda e: None)


L1 = lessons()["L1"]
L1_RESULT = LessonResult(
    (Answer("lower", True, Message("test.lower", "batch 16"), fits=frozenset({"16"})),
     Answer("updates", False, Message("test.updates", "not decided"))), Effect.SHOWED, Message("test.box", "Showed."))


@pytest.fixture
def predicted(room):
    """The room of `room`, doing lesson L1: <b>Mina</b> predicted batch 16 and more updates, Joon batch 128."""
    rooms, found, _, look_up, key = room
    rooms.assign_lesson(found.code, key, L1)
    rooms.predict(rooms.member(found.code, ALICE), L1, {"lower": "16", "updates": "more"})
    rooms.predict(rooms.member(found.code, BOB), L1, {"lower": "128", "updates": "fewer"})
    return rooms, found, look_up


def test_the_csv_has_a_line_per_prediction_matched_or_missed_against_the_runs_answer(predicted):
    rooms, room, look_up = predicted
    lines = list(csv.DictReader(io.StringIO(report_csv(rooms, room.code, look_up, results=lambda lesson: L1_RESULT))))
    said = [{c: line[c] for c in ("nickname", "kind", "lesson", "question", "prediction", "runs_show", "match")}
            for line in lines if line["kind"] == "prediction"]
    assert said == [
        {"nickname": "<b>Mina</b>", "kind": "prediction", "lesson": "L1", "question": "lower",
         "prediction": "batch 16", "runs_show": "batch 16", "match": "matched"},
        {"nickname": "<b>Mina</b>", "kind": "prediction", "lesson": "L1", "question": "updates",
         "prediction": "batch 16 makes more", "runs_show": "not decided", "match": "open"},
        {"nickname": "Joon", "kind": "prediction", "lesson": "L1", "question": "lower", "prediction": "batch 128",
         "runs_show": "batch 16", "match": "missed"},
        {"nickname": "Joon", "kind": "prediction", "lesson": "L1", "question": "updates",
         "prediction": "batch 16 makes fewer", "runs_show": "not decided", "match": "open"}]
    assert all(line["dataset"] == "" and line["asked_at"] for line in lines if line["kind"] == "prediction")
    unmeasured = list(csv.DictReader(io.StringIO(report_csv(rooms, room.code, look_up))))  # runs not all in yet
    assert [(line["prediction"], line["match"]) for line in unmeasured if line["kind"] == "prediction"] == [
        ("batch 16", ""), ("batch 16 makes more", ""), ("batch 128", ""), ("batch 16 makes fewer", "")]


def test_the_html_page_has_the_predictions_table_with_names_escaped(predicted):
    rooms, room, look_up = predicted
    page = report_html(rooms, room.code, look_up, results=lambda lesson: L1_RESULT)
    assert "<h2>Predictions</h2>" in page
    predictions = page.split("<h2>Predictions</h2>")[1]
    assert predictions.count("<tr>") == 1 + 4
    assert "<td>&lt;b&gt;Mina&lt;/b&gt;</td><td>L1</td>" in predictions and "<b>Mina</b>" not in page
    assert predictions.count("✅ matched") == 1 and predictions.count("❌ missed") == 1
    assert predictions.count("⚖️ open") == 2
    assert f"{L1.questions[0].prompt} (lower)" in predictions
    assert "<h2>Predictions</h2>" not in report_html(Rooms(rooms.store), rooms.create()[0].code, look_up)
