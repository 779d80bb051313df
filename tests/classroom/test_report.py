"""The class report: a CSV line per entry, and one self-contained HTML page with the board's chart as SVG."""

import csv
import io
import re
import time

import pytest

from core.classroom.report import COLUMNS, report_csv, report_html
from core.classroom.rooms import RoomError, Rooms
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
    room, _ = rooms.create("Period <3>")
    mina, joon = rooms.join(room.code, "<b>Mina</b>", ALICE), rooms.join(room.code, "Joon", BOB)
    results = {config.key: train(config) for config in (SMALL, LARGE)}
    for result in results.values():
        store.save(result)
    rooms.record(mina, "train", SMALL.key, SMALL)
    rooms.record(joon, "train", LARGE.key, LARGE)
    rooms.record(mina, "train", UNTRAINED.key, UNTRAINED)
    return rooms, room, results, lambda entry: store.find(entry.config)


def test_the_csv_has_a_line_per_entry_with_its_settings_status_and_results(room):
    rooms, room, results, look_up = room
    lines = list(csv.reader(io.StringIO(report_csv(rooms, room.code, look_up))))
    assert lines[0] == ["nickname", "kind", "dataset", "model", "optimizer", "batch_size", "learning_rate", "epochs",
                        "seed", "status", "epochs_run", "best_val_loss", "best_val_acc", "final_train_loss",
                        "asked_at"] == COLUMNS
    asked = [time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e.created_at)) for e in rooms.entries(room.code)]

    def trained(config):
        last = results[config.key].rows[-1]  # one epoch: the best epoch is the last
        return ["completed", "1", f"{last['val_loss']:.4f}", f"{last['val_acc']:.4f}", f"{last['train_loss']:.4f}"]

    assert lines[1:] == [
        ["<b>Mina</b>", "train", "digits", "linear", "adam", "32", "0.01", "1", "0", *trained(SMALL), asked[0]],
        ["Joon", "train", "digits", "linear", "adam", "256", "0.01", "1", "0", *trained(LARGE), asked[1]],
        ["<b>Mina</b>", "train", "digits", "linear", "adam", "128", "0.01", "1", "7", "not trained yet", "", "", "",
         "", asked[2]],
    ]


def test_the_html_page_is_self_contained_escapes_what_users_typed_and_draws_the_board_as_svg(room):
    rooms, room, _, look_up = room
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
