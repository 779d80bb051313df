"""Rooms: codes to read aloud, a teacher key kept only as a hash, unique nicknames, entries, closing."""

import dataclasses
import sqlite3

import pytest

from core.classroom.lessons import lessons
from core.classroom.rooms import CODE_ALPHABET, Assignment, RoomError, RoomLesson, Rooms, key_hash, normal_code
from core.runs.ownership import owner_id
from core.training.config import TrainConfig

ALICE, BOB = owner_id("alice-secret-0123456789"), owner_id("bob-secret-0123456789ab")
TINY = TrainConfig(dataset="digits", model="linear", epochs=1)


@pytest.fixture
def rooms(store) -> Rooms:
    return Rooms(store)


def test_a_new_room_has_a_four_character_code_without_look_alikes_and_a_key_stored_only_as_a_hash(rooms, store):
    room, key = rooms.create("Period 3")
    assert len(room.code) == 4 and set(room.code) <= set(CODE_ALPHABET) and not set(room.code) & set("0O1IL2Z5S8B")
    assert room.title == "Period 3" and room.is_open()
    with sqlite3.connect(store.path) as con:
        stored = con.execute("SELECT teacher_key FROM rooms").fetchone()[0]
    con.close()
    assert stored == key_hash(key) and key not in stored
    assert rooms.is_teacher(room.code, key) and not rooms.is_teacher(room.code, key + "x")
    assert not rooms.is_teacher(room.code, None) and not rooms.is_teacher(room.code, "")


def test_a_code_is_read_in_any_case_and_with_spaces(rooms):
    room, _ = rooms.create()
    spoken = " ".join(room.code.lower())
    assert normal_code(spoken) == room.code and rooms.get(spoken) == room


def test_students_join_with_unique_nicknames_and_a_reload_keeps_their_place(rooms):
    room, _ = rooms.create()
    rooms.join(room.code, "  Mina ", ALICE)
    with pytest.raises(RoomError, match=f"Someone in room {room.code} is already called 'Mina'"):
        rooms.join(room.code, "Mina", BOB)
    rooms.join(room.code, "Mina", ALICE)  # the same person again: fine
    rooms.join(room.code, "Joon", BOB)
    rooms.join(room.code, "Mina K", ALICE)  # a new nickname for the same person replaces the old one, in place
    assert [(m.nickname, m.owner) for m in rooms.members(room.code)] == [("Mina K", ALICE), ("Joon", BOB)]
    assert rooms.member(room.code, ALICE).nickname == "Mina K"


@pytest.mark.parametrize("nickname, message", [
    ("   ", "Choose a nickname to join the room."),
    ("x" * 25, "A nickname has at most 24 characters; 'xxxxxxxxxxxxxxxxxxxxxxxxx' has 25."),
    ("a\x00b", "A nickname cannot hold control characters."),
])
def test_an_unusable_nickname_is_refused_with_why(rooms, nickname, message):
    room, _ = rooms.create()
    with pytest.raises(RoomError) as error:
        rooms.join(room.code, nickname, ALICE)
    assert str(error.value) == message and rooms.members(room.code) == []


def test_an_unknown_code_is_refused(rooms):
    with pytest.raises(RoomError, match=r"There is no room 'QQQQ'\. Check the code with your teacher\."):
        rooms.join("qqqq", "Mina", ALICE)


def test_entries_list_what_each_member_asked_for_once_oldest_first(rooms):
    room, _ = rooms.create()
    mina, joon = rooms.join(room.code, "Mina", ALICE), rooms.join(room.code, "Joon", BOB)
    other = TrainConfig(dataset="digits", model="linear", epochs=1, batch_size=128)
    rooms.record(mina, "train", TINY.key, TINY)
    rooms.record(joon, "train", TINY.key, TINY)
    rooms.record(mina, "train", other.key, other)
    rooms.record(mina, "train", TINY.key, TINY)  # pressed Train again: still one entry
    assert [(e.nickname, e.config.batch_size) for e in rooms.entries(room.code)] == [
        ("Mina", TINY.batch_size), ("Joon", TINY.batch_size), ("Mina", 128)]


def test_only_the_teacher_closes_a_room_and_then_nobody_joins_or_trains_in_it(rooms):
    room, key = rooms.create()
    mina = rooms.join(room.code, "Mina", ALICE)
    with pytest.raises(RoomError, match=f"Only the teacher of room {room.code}, with the teacher link"):
        rooms.close(room.code, "a guess")
    assert rooms.get(room.code).is_open()
    rooms.close(room.code, key)
    assert not rooms.get(room.code).is_open()
    with pytest.raises(RoomError, match=f"Room {room.code} is closed."):
        rooms.join(room.code, "Joon", BOB)
    with pytest.raises(RoomError, match=f"Room {room.code} is closed."):
        rooms.record(mina, "train", TINY.key, TINY)


def test_a_room_nobody_used_for_its_idle_time_is_closed(store):
    room, _ = Rooms(store, idle_close_s=60).create()
    assert room.is_open(now=room.active_at + 59) and not room.is_open(now=room.active_at + 61)


def test_a_locked_assignment_allows_exactly_its_cells_and_hands_them_out_in_joining_order(rooms):
    room, key = rooms.create()
    base = TrainConfig(dataset="digits", model="linear", epochs=1, seed=3)
    members = [rooms.join(room.code, name, owner_id(f"{name}-secret-0123456789")) for name in ("A", "B", "C")]
    with pytest.raises(RoomError, match="Only the teacher of room"):
        rooms.assign(room.code, "a guess", Assignment(base, (16, 64), (0.01,)))
    rooms.assign(room.code, key, Assignment(base, (16, 64), (0.01,)))
    assert [(c.batch_size, c.learning_rate, c.seed) for c in rooms.assignment(room.code).cells] == [
        (16, 0.01, 3), (64, 0.01, 3)]
    assert [rooms.cell_of(m).batch_size for m in members] == [16, 64, 16]  # round robin
    rooms.join(room.code, "A again", members[0].owner)  # joining again keeps one's place
    assert rooms.cell_of(rooms.member(room.code, members[0].owner)).batch_size == 16
    rooms.check_allowed(members[1], rooms.assignment(room.code).cells[1])
    tampered = dataclasses.replace(rooms.assignment(room.code).cells[1], batch_size=32)
    with pytest.raises(RoomError) as error:
        rooms.check_allowed(members[1], tampered)
    assert str(error.value) == (f"Room {room.code}'s assignment is locked: train one of its cells (batch sizes "
                                f"16, 64; learning rates 0.01; every other setting as the teacher set it). These "
                                f"settings are not one of them, so nothing was trained.")
    rooms.assign(room.code, key, Assignment(base, (16, 64), (0.01,), locked=False, hand_out=False))
    rooms.check_allowed(members[1], tampered)  # unlocked: anything goes
    assert rooms.cell_of(members[1]) is None
    rooms.assign(room.code, key, None)
    assert rooms.assignment(room.code) is None


# ---------------------------------------------------------------------- a lesson in the room

L1 = lessons()["L1"]  # two choices: which batch ends lower ("16", "128"), which makes more updates
L1_PREDICTION = {"lower": "16", "updates": "more"}


def test_a_prediction_for_the_rooms_lesson_is_recorded_and_sent_again_it_replaces_the_one_before(rooms):
    room, key = rooms.create()
    mina, joon = rooms.join(room.code, "Mina", ALICE), rooms.join(room.code, "Joon", BOB)
    rooms.assign_lesson(room.code, key, L1)
    assert rooms.lesson(room.code) == RoomLesson("L1", None)
    rooms.predict(mina, L1, L1_PREDICTION)
    rooms.predict(joon, L1, {"lower": "128", "updates": "same"})
    rooms.predict(mina, L1, {"lower": "128", "updates": "more"})  # she changed her mind before the reveal
    assert [(p.nickname, p.question, p.value) for p in rooms.predictions(room.code, "L1")] == [
        ("Joon", "lower", "128"), ("Joon", "updates", "same"), ("Mina", "lower", "128"), ("Mina", "updates", "more")]
    assert rooms.predictions(room.code, "L2") == []


def test_a_set_of_cells_and_an_epoch_read_back_as_the_values_they_were(rooms):
    room, key = rooms.create()
    mina = rooms.join(room.code, "Mina", ALICE)
    for lesson, prediction in ((lessons()["L2"], {"diverge": frozenset({"16|0.01", "256|0.01"})}),
                               (lessons()["L2"], {"diverge": frozenset()}), (lessons()["L7"], {"epoch": 40})):
        rooms.assign_lesson(room.code, key, lesson)
        rooms.predict(mina, lesson, prediction)
        assert {p.question: p.value for p in rooms.predictions(room.code, lesson.id)} == prediction


@pytest.mark.parametrize("case, message", [
    ("another lesson", "Room {code} is not doing lesson L1, so your prediction was not sent to its board."),
    ("incomplete", "Answer every question of lesson L1 before you send your prediction."),
    ("revealed", "The teacher of room {code} has already revealed lesson L1's result: predictions are closed."),
])
def test_a_prediction_is_refused_for_another_lesson_when_incomplete_or_after_the_reveal(rooms, case, message):
    room, key = rooms.create()
    mina = rooms.join(room.code, "Mina", ALICE)
    rooms.assign_lesson(room.code, key, lessons()["L2"] if case == "another lesson" else L1)
    if case == "revealed":
        rooms.reveal(room.code, key)
    with pytest.raises(RoomError) as error:
        rooms.predict(mina, L1, {"lower": "16"} if case == "incomplete" else L1_PREDICTION)
    assert str(error.value) == message.format(code=room.code) and rooms.predictions(room.code) == []


@pytest.mark.parametrize("key", [None, "", "a guessed key"])
def test_reveal_is_refused_without_the_teacher_key_and_nothing_changes(rooms, key):
    room, right = rooms.create()
    rooms.assign_lesson(room.code, right, L1)
    mina = rooms.join(room.code, "Mina", ALICE)
    rooms.predict(mina, L1, L1_PREDICTION)
    with pytest.raises(RoomError) as error:
        rooms.reveal(room.code, key)
    assert str(error.value) == f"Only the teacher of room {room.code}, with the teacher link, can do that."
    assert rooms.lesson(room.code) == RoomLesson("L1", None)
    rooms.predict(mina, L1, L1_PREDICTION)  # still open for predictions
    rooms.reveal(room.code, right)
    assert rooms.lesson(room.code).revealed


def test_only_the_teacher_gives_the_room_a_lesson_and_a_room_without_one_has_nothing_to_reveal(rooms):
    room, key = rooms.create()
    with pytest.raises(RoomError, match="Only the teacher of room"):
        rooms.assign_lesson(room.code, "a guess", L1)
    with pytest.raises(RoomError) as error:
        rooms.reveal(room.code, key)
    assert str(error.value) == f"Room {room.code} has no lesson to reveal: give it one first."
    rooms.assign_lesson(room.code, key, L1)
    rooms.reveal(room.code, key)
    rooms.assign_lesson(room.code, key, L1)  # the same lesson again: still revealed
    assert rooms.lesson(room.code).revealed
    rooms.assign_lesson(room.code, key, lessons()["L7"])  # another lesson starts unrevealed
    assert rooms.lesson(room.code) == RoomLesson("L7", None)
    rooms.assign_lesson(room.code, key, None)
    assert rooms.lesson(room.code) is None


def test_clearing_the_board_is_refused_without_the_key_and_with_it_removes_entries_and_predictions_not_runs(
        rooms, store, tiny_result):
    room, key = rooms.create()
    mina, joon = rooms.join(room.code, "Mina", ALICE), rooms.join(room.code, "Joon", BOB)
    store.save(tiny_result, owner=ALICE, room=room.code)
    rooms.record(mina, "train", TINY.key, TINY)
    rooms.record(joon, "train", TINY.key, TINY)
    rooms.record(mina, "train", TINY.key, TINY)  # asked twice: one entry
    rooms.assign_lesson(room.code, key, L1)
    rooms.predict(mina, L1, L1_PREDICTION)
    rooms.reveal(room.code, key)
    for wrong in (None, "a guess"):
        with pytest.raises(RoomError, match=f"Only the teacher of room {room.code}, with the teacher link"):
            rooms.clear(room.code, wrong)
    assert (len(rooms.entries(room.code)), len(rooms.predictions(room.code))) == (2, 2)
    assert rooms.clear(room.code, key) == (2, 1)  # two entries, one student's prediction for L1
    assert rooms.entries(room.code) == [] and rooms.predictions(room.code) == []
    assert rooms.lesson(room.code) == RoomLesson("L1", None)  # the lesson stays, to be predicted afresh
    assert [m.nickname for m in rooms.members(room.code)] == ["Mina", "Joon"]
    assert store.count() == 1 and store.runs().iloc[0]["room"] == room.code  # the run is still the room's


def test_a_locked_room_runs_only_the_lesson_its_teacher_gave_it(rooms):
    room, key = rooms.create()
    mina = rooms.join(room.code, "Mina", ALICE)
    rooms.check_lesson(mina, L1)  # no assignment: any lesson
    rooms.assign(room.code, key, Assignment(TINY, (16, 64), (0.01,)))
    with pytest.raises(RoomError) as error:
        rooms.check_lesson(mina, L1)
    assert str(error.value) == (f"Room {room.code}'s assignment is locked: its students run only its cells and the "
                                f"lesson their teacher gave the room, so lesson L1's runs were not started.")
    rooms.assign_lesson(room.code, key, L1)
    rooms.check_lesson(mina, L1)
    with pytest.raises(RoomError):
        rooms.check_lesson(mina, lessons()["L7"])


def test_students_joining_in_the_same_instant_still_get_distinct_cells_in_the_order_they_joined(rooms, monkeypatch):
    room, key = rooms.create()
    rooms.assign(room.code, key, Assignment(TINY, (16, 32, 64), (0.01,)))
    monkeypatch.setattr("core.classroom.rooms.time.time", lambda: 1_000_000.0)  # one clock tick for everyone
    members = [rooms.join(room.code, name, owner_id(f"{name}-secret-0123456789")) for name in ("A", "B", "C")]
    assert [m.joined_at for m in members] == sorted({m.joined_at for m in members})
    assert [rooms.cell_of(m).batch_size for m in members] == [16, 32, 64]


def test_a_student_is_found_again_by_owner_in_the_open_room_they_joined_last_until_they_leave(rooms):
    first, second = rooms.create()[0], rooms.create()[0]
    assert rooms.membership(ALICE) is None
    rooms.join(first.code, "Mina", ALICE)
    rooms.join(second.code, "Mina", ALICE)
    rooms.join(first.code, "Joon", BOB)
    assert (rooms.membership(ALICE).room, rooms.membership(ALICE).nickname) == (second.code, "Mina")
    rooms.leave(rooms.membership(ALICE))
    assert rooms.membership(ALICE).room == first.code  # still in the first room
    assert [m.nickname for m in rooms.members(second.code)] == []


def test_a_closed_room_is_no_ones_room_any_more(rooms):
    room, key = rooms.create()
    rooms.join(room.code, "Mina", ALICE)
    rooms.close(room.code, key)
    assert rooms.membership(ALICE) is None


def test_asked_tells_whether_this_member_has_asked_for_a_job_in_the_room(rooms):
    room, _ = rooms.create()
    mina, joon = rooms.join(room.code, "Mina", ALICE), rooms.join(room.code, "Joon", BOB)
    rooms.record(mina, "train", TINY.key, TINY)
    assert rooms.asked(mina, TINY.key) and not rooms.asked(joon, TINY.key)
