"""A class in one room: a short code to read aloud, a teacher key, nicknames, and what the class trained.

A teacher creates a room and gets its code (four characters with no look-alikes, e.g. KX4P) and a
teacher key, shown once: the store keeps only the key's hash. Students join with the code and a
nickname unique in the room; no accounts. While a student is in a room, every training they ask for
is recorded as an entry (room, nickname, settings): the class board draws the room's entries. A room
closes when its teacher closes it, or after `idle_close_s` with nothing asked in it.

The teacher may also give the room a lesson (core/classroom/lessons.py): each student's prediction on the
Lessons page is then recorded, the class board counts them, and the result shows, on the board and on every
student's page, once the teacher reveals it. Every teacher-only action (assign, a lesson, reveal, clear the
board, close) is checked here against the key's hash, and refused with a RoomError otherwise.

Rooms live in the run store's file (tables rooms, room_members, room_entries, room_predictions;
core/runs/store.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import unicodedata
from dataclasses import dataclass

from core.classroom.lessons import Lesson, Prediction, Value
from core.experiments.presets import grid
from core.messages import Message, MessageError
from core.runs.store import RunStore
from core.training.config import TrainConfig

CODE_ALPHABET = "ACDEFHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6 look-alikes
CODE_LENGTH = 4
IDLE_CLOSE_S = 4 * 3600.0  # a room nobody has used for four hours closes by itself
MAX_NICKNAME = 24
MAX_TITLE = 80


class RoomError(MessageError, ValueError):
    """An unknown or closed room, a nickname taken or unusable, a wrong teacher key: said to the user."""


@dataclass(frozen=True)
class Room:
    code: str
    title: str
    created_at: float
    active_at: float  # the last time someone joined or asked for a training in it
    idle_close_s: float
    closed_at: float | None  # when its teacher closed it

    def is_open(self, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return self.closed_at is None and now - self.active_at < self.idle_close_s


@dataclass(frozen=True)
class Assignment:
    """A batch × LR grid the teacher sets: every other setting fixed at `base`'s. Locked, students in the
    room may train only its cells (checked on the server, whatever a link says); handed out, each student
    gets one cell, round robin in the order they joined, so a 3 × 3 grid is trained by nine at once."""

    base: TrainConfig
    batch_sizes: tuple[int, ...]
    learning_rates: tuple[float, ...]
    locked: bool = True
    hand_out: bool = True

    @property
    def cells(self) -> list[TrainConfig]:
        return grid(self.base, self.batch_sizes, self.learning_rates, [self.base.seed])

    def allows(self, config: TrainConfig) -> bool:
        """Whether a locked assignment lets a student train these settings: exactly one of its cells."""
        return not self.locked or config.key in {cell.key for cell in self.cells}

    def cell_for(self, position: int) -> TrainConfig:
        """The cell handed to the student who joined `position`-th (0 first)."""
        cells = self.cells
        return cells[position % len(cells)]

    def to_json(self) -> str:
        return json.dumps({"base": self.base.to_dict(), "batch_sizes": list(self.batch_sizes),
                           "learning_rates": list(self.learning_rates), "locked": self.locked,
                           "hand_out": self.hand_out})

    @classmethod
    def from_json(cls, text: str) -> Assignment:
        d = json.loads(text)
        return cls(TrainConfig.from_dict(d["base"]), tuple(d["batch_sizes"]), tuple(d["learning_rates"]),
                   d["locked"], d["hand_out"])


@dataclass(frozen=True)
class Member:
    room: str
    nickname: str
    owner: str  # the member's owner id (core/runs/ownership.py)
    joined_at: float


@dataclass(frozen=True)
class Entry:
    """One training a member asked for in the room."""

    nickname: str
    kind: str  # a task of core.jobs.tasks: "train", "sharpness", ...
    key: str  # its job key: the board finds the job (live) or the stored run by it
    config: TrainConfig
    created_at: float


@dataclass(frozen=True)
class RoomLesson:
    """The lesson a room is doing, and when its teacher revealed the result (None: not yet)."""

    lesson: str  # its id: "L1" … "L7"
    revealed_at: float | None

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None


@dataclass(frozen=True)
class RoomPrediction:
    """One student's prediction for one question of the room's lesson."""

    nickname: str  # as the student was called when they sent it
    owner: str
    lesson: str
    question: str
    value: Value
    created_at: float


def prediction_json(value: Value) -> str:
    """A prediction as the store keeps it: an option's id, an epoch, or the sorted list of ticked cells."""
    return json.dumps(sorted(value) if isinstance(value, frozenset) else value)


def prediction_value(text: str) -> Value:
    value = json.loads(text)
    return frozenset(value) if isinstance(value, list) else value


def normal_code(text: str) -> str:
    """A code as typed or read aloud: case and spaces do not matter."""
    return "".join(text.split()).upper()


def key_hash(teacher_key: str) -> str:
    return hashlib.sha256(f"batchlab-teacher:{teacher_key}".encode()).hexdigest()


def check_nickname(text: str) -> str:
    """A nickname, trimmed: 1 to MAX_NICKNAME printable characters."""
    name = " ".join(str(text).split())
    if not name:
        raise RoomError(Message("room.nickname_empty", "Choose a nickname to join the room."))
    if len(name) > MAX_NICKNAME:
        raise RoomError(Message("room.nickname_long", "A nickname has at most {cap} characters; {name!r} has "
                                "{length}.", cap=MAX_NICKNAME, name=name[:40], length=len(name)))
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise RoomError(Message("room.nickname_control", "A nickname cannot hold control characters."))
    return name


class Rooms:
    """The rooms of one run store. Holds only the store, so one instance may serve every session."""

    def __init__(self, store: RunStore, idle_close_s: float = IDLE_CLOSE_S) -> None:
        self.store = store
        self.idle_close_s = idle_close_s

    def create(self, title: str = "") -> tuple[Room, str]:
        """A new open room and its teacher key (shown once; only its hash is kept)."""
        title = " ".join(str(title).split())[:MAX_TITLE]
        teacher_key = secrets.token_urlsafe(18)
        now = time.time()
        with self.store.transaction(write=True) as con:
            taken = {code for (code,) in con.execute("SELECT code FROM rooms")}
            code = self._new_code(taken)
            con.execute("INSERT INTO rooms (code, title, teacher_key, created_at, active_at, idle_close_s) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (code, title, key_hash(teacher_key), now, now, self.idle_close_s))
        return Room(code, title, now, now, self.idle_close_s, None), teacher_key

    @staticmethod
    def _new_code(taken: set[str]) -> str:
        for _ in range(1000):  # 24**4 = 331,776 codes: a free one turns up at once
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if code not in taken:
                return code
        raise RoomError(Message("room.no_code", "No free room code is left; close old rooms first."))

    def get(self, code: str) -> Room | None:
        with self.store.transaction(write=False) as con:
            found = con.execute("SELECT code, title, created_at, active_at, idle_close_s, closed_at FROM rooms "
                                "WHERE code = ?", (normal_code(code),)).fetchone()
        return Room(*found) if found else None

    def open_room(self, code: str) -> Room:
        """The room of this code if it is open; else RoomError saying it is unknown or closed."""
        room = self.get(code)
        if room is None:
            raise RoomError(Message("room.unknown", "There is no room {code!r}. Check the code with your teacher.",
                                    code=normal_code(code)[:12]))
        if not room.is_open():
            raise RoomError(Message("room.closed", "Room {code} is closed.", code=room.code))
        return room

    def is_teacher(self, code: str, teacher_key: str | None) -> bool:
        """Whether `teacher_key` is this room's (compared in constant time)."""
        if not teacher_key:
            return False
        with self.store.transaction(write=False) as con:
            found = con.execute("SELECT teacher_key FROM rooms WHERE code = ?", (normal_code(code),)).fetchone()
        return found is not None and hmac.compare_digest(found[0], key_hash(teacher_key))

    def join(self, code: str, nickname: str, owner: str) -> Member:
        """Join an open room; the same person joining again (a reload, a new tab) keeps their place, under
        the new nickname if it is free. A nickname another member has is refused."""
        room = self.open_room(code)
        nickname = check_nickname(nickname)
        now = time.time()
        with self.store.transaction(write=True) as con:
            holder = con.execute("SELECT owner FROM room_members WHERE room = ? AND nickname = ?",
                                 (room.code, nickname)).fetchone()
            if holder is not None and holder[0] != owner:
                raise RoomError(Message("room.nickname_taken", "Someone in room {code} is already called "
                                        "{nickname!r}; choose another nickname.", code=room.code, nickname=nickname))
            before = con.execute("SELECT joined_at FROM room_members WHERE room = ? AND owner = ?",
                                 (room.code, owner)).fetchone()
            if before:
                joined = before[0]  # joining again keeps one's place (and handed-out cell)
            else:  # stamped under the write lock, after every earlier join: the order cells are handed out in
                (latest,) = con.execute("SELECT MAX(joined_at) FROM room_members WHERE room = ?",
                                        (room.code,)).fetchone()
                joined = max(time.time(), (latest or 0.0) + 1e-6)
            con.execute("DELETE FROM room_members WHERE room = ? AND owner = ?", (room.code, owner))
            con.execute("INSERT INTO room_members (room, nickname, owner, joined_at) VALUES (?, ?, ?, ?)",
                        (room.code, nickname, owner, joined))
            con.execute("UPDATE rooms SET active_at = ? WHERE code = ?", (now, room.code))
        return Member(room.code, nickname, owner, joined)

    def member(self, code: str, owner: str) -> Member | None:
        with self.store.transaction(write=False) as con:
            found = con.execute("SELECT room, nickname, owner, joined_at FROM room_members WHERE room = ? AND "
                                "owner = ?", (normal_code(code), owner)).fetchone()
        return Member(*found) if found else None

    def membership(self, owner: str) -> Member | None:
        """The member `owner` is in the open room they joined last, if any: a reload or a new tab (a new
        session) is in the room again, its trainings recorded and its assignment's lock applied."""
        with self.store.transaction(write=False) as con:
            found = con.execute("SELECT m.room, m.nickname, m.owner, m.joined_at FROM room_members m JOIN rooms r "
                                "ON r.code = m.room WHERE m.owner = ? AND r.closed_at IS NULL AND "
                                "? - r.active_at < r.idle_close_s ORDER BY m.joined_at DESC LIMIT 1",
                                (owner, time.time())).fetchone()
        return Member(*found) if found else None

    def leave(self, member: Member) -> None:
        """The member leaves the room: their entries and predictions stay on its board, their handed-out
        cell goes to those who joined after them, and their nickname is free again."""
        with self.store.transaction(write=True) as con:
            con.execute("DELETE FROM room_members WHERE room = ? AND owner = ?", (member.room, member.owner))

    def members(self, code: str) -> list[Member]:
        with self.store.transaction(write=False) as con:
            found = con.execute("SELECT room, nickname, owner, joined_at FROM room_members WHERE room = ? "
                                "ORDER BY joined_at", (normal_code(code),)).fetchall()
        return [Member(*row) for row in found]

    def record(self, member: Member, kind: str, key: str, config: TrainConfig) -> None:
        """Note that this member asked for a training in their room (the board draws it)."""
        self.open_room(member.room)
        now = time.time()
        with self.store.transaction(write=True) as con:
            con.execute("INSERT INTO room_entries (room, nickname, kind, key, config, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (member.room, member.nickname, kind, key, json.dumps(config.to_dict()), now))
            con.execute("UPDATE rooms SET active_at = ? WHERE code = ?", (now, member.room))

    def asked(self, member: Member, key: str) -> bool:
        """Whether the member has asked for this job in their room (it is on the board as theirs)."""
        with self.store.transaction(write=False) as con:
            found = con.execute("SELECT 1 FROM room_entries WHERE room = ? AND nickname = ? AND key = ? LIMIT 1",
                                (member.room, member.nickname, key)).fetchone()
        return found is not None

    def entries(self, code: str) -> list[Entry]:
        """What the room's members asked for, oldest first; one entry per member and job (asked again: once)."""
        with self.store.transaction(write=False) as con:
            found = con.execute("SELECT nickname, kind, key, config, min(created_at) FROM room_entries "
                                "WHERE room = ? GROUP BY nickname, key ORDER BY min(created_at)",
                                (normal_code(code),)).fetchall()
        return [Entry(nickname, kind, key, TrainConfig.from_dict(json.loads(config)), created_at)
                for nickname, kind, key, config, created_at in found]

    def _check_teacher(self, code: str, teacher_key: str | None) -> None:
        if not self.is_teacher(code, teacher_key):
            raise RoomError(Message("room.not_teacher", "Only the teacher of room {code}, with the teacher link, "
                                    "can do that.", code=normal_code(code)[:12]))

    def assign(self, code: str, teacher_key: str | None, assignment: Assignment | None) -> None:
        """Set (or, with None, remove) the room's assignment; its teacher only."""
        self._check_teacher(code, teacher_key)
        with self.store.transaction(write=True) as con:
            con.execute("UPDATE rooms SET assignment = ?, active_at = ? WHERE code = ?",
                        (assignment.to_json() if assignment else None, time.time(), normal_code(code)))

    def assignment(self, code: str) -> Assignment | None:
        with self.store.transaction(write=False) as con:
            found = con.execute("SELECT assignment FROM rooms WHERE code = ?", (normal_code(code),)).fetchone()
        return Assignment.from_json(found[0]) if found and found[0] else None

    def check_allowed(self, member: Member, config: TrainConfig) -> None:
        """RoomError when the member's room has a locked assignment these settings are not a cell of."""
        assignment = self.assignment(member.room)
        if assignment is not None and not assignment.allows(config):
            raise RoomError(Message(
                "room.locked", "Room {code}'s assignment is locked: train one of its cells (batch sizes {batches}; "
                "learning rates {lrs}; every other setting as the teacher set it). These settings are not one of "
                "them, so nothing was trained.", code=member.room,
                batches=", ".join(map(str, assignment.batch_sizes)),
                lrs=", ".join(f"{lr:g}" for lr in assignment.learning_rates)))

    def cell_of(self, member: Member, assignment: Assignment | None = None) -> TrainConfig | None:
        """The cell handed to this member, when the room's assignment (read here unless given) hands cells out."""
        assignment = self.assignment(member.room) if assignment is None else assignment
        if assignment is None or not assignment.hand_out:
            return None
        order = [m.owner for m in self.members(member.room)]
        return assignment.cell_for(order.index(member.owner)) if member.owner in order else None

    # ------------------------------------------------------------------ a lesson in the room

    def assign_lesson(self, code: str, teacher_key: str | None, lesson: Lesson | None) -> None:
        """Give the room a lesson (or, with None, none); its teacher only. Another lesson than before starts
        unrevealed; the predictions of every lesson stay (they are kept per lesson)."""
        self._check_teacher(code, teacher_key)
        lesson_id = lesson.id if lesson is not None else None
        with self.store.transaction(write=True) as con:
            con.execute("UPDATE rooms SET revealed_at = CASE WHEN lesson IS ? THEN revealed_at END, lesson = ?, "
                        "active_at = ? WHERE code = ?", (lesson_id, lesson_id, time.time(), normal_code(code)))

    def lesson(self, code: str) -> RoomLesson | None:
        """The room's lesson, if its teacher gave it one."""
        with self.store.transaction(write=False) as con:
            found = con.execute("SELECT lesson, revealed_at FROM rooms WHERE code = ?", (normal_code(code),)).fetchone()
        return RoomLesson(*found) if found and found[0] else None

    def predict(self, member: Member, lesson: Lesson, prediction: Prediction) -> None:
        """Record the member's prediction for every question of the room's lesson (sent again before the reveal:
        it replaces the one before). Refused, with why, for another lesson, after the reveal, or incomplete."""
        self.open_room(member.room)
        now_lesson = self.lesson(member.room)
        if now_lesson is None or now_lesson.lesson != lesson.id:
            raise RoomError(Message("room.not_the_lesson", "Room {code} is not doing lesson {lesson}, so your "
                                    "prediction was not sent to its board.", code=member.room, lesson=lesson.id))
        if now_lesson.revealed:
            raise RoomError(Message("room.revealed", "The teacher of room {code} has already revealed lesson "
                                    "{lesson}'s result: predictions are closed.", code=member.room, lesson=lesson.id))
        if not lesson.complete(prediction):
            raise RoomError(Message("room.prediction_incomplete", "Answer every question of lesson {lesson} before "
                                    "you send your prediction.", lesson=lesson.id))
        now = time.time()
        with self.store.transaction(write=True) as con:
            con.execute("DELETE FROM room_predictions WHERE room = ? AND owner = ? AND lesson = ?",
                        (member.room, member.owner, lesson.id))
            con.executemany("INSERT INTO room_predictions (room, owner, nickname, lesson, question, value, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(member.room, member.owner, member.nickname, lesson.id, q.id,
                              prediction_json(prediction[q.id]), now) for q in lesson.questions])
            con.execute("UPDATE rooms SET active_at = ? WHERE code = ?", (now, member.room))

    def predictions(self, code: str, lesson: str | None = None) -> list[RoomPrediction]:
        """The room's predictions (of one lesson, or of all), in the order they were sent."""
        where, values = ("AND lesson = ?", (lesson,)) if lesson is not None else ("", ())
        with self.store.transaction(write=False) as con:
            found = con.execute(f"SELECT nickname, owner, lesson, question, value, created_at FROM room_predictions "
                                f"WHERE room = ? {where} ORDER BY created_at, rowid",
                                (normal_code(code), *values)).fetchall()
        return [RoomPrediction(nickname, owner, lesson_id, question, prediction_value(value), created_at)
                for nickname, owner, lesson_id, question, value, created_at in found]

    def reveal(self, code: str, teacher_key: str | None) -> None:
        """Show the room's lesson's result, on the board and on every student's Lessons page; its teacher only."""
        self._check_teacher(code, teacher_key)
        if self.lesson(code) is None:
            raise RoomError(Message("room.no_lesson", "Room {code} has no lesson to reveal: give it one first.",
                                    code=normal_code(code)[:12]))
        with self.store.transaction(write=True) as con:
            con.execute("UPDATE rooms SET revealed_at = ?, active_at = ? WHERE code = ? AND revealed_at IS NULL",
                        (time.time(), time.time(), normal_code(code)))

    def clear(self, code: str, teacher_key: str | None) -> tuple[int, int]:
        """Clear the room's board, its teacher only: every entry and every prediction goes (the lesson, if any,
        is unrevealed again); the runs stay in the store, their makers' and the room's as before. Returns how
        many entries and predictions (one per student and lesson) were removed."""
        self._check_teacher(code, teacher_key)
        with self.store.transaction(write=True) as con:
            entries = con.execute("SELECT count(*) FROM (SELECT DISTINCT nickname, key FROM room_entries "
                                  "WHERE room = ?)", (normal_code(code),)).fetchone()[0]
            predicted = con.execute("SELECT count(*) FROM (SELECT DISTINCT owner, lesson FROM room_predictions "
                                    "WHERE room = ?)", (normal_code(code),)).fetchone()[0]
            con.execute("DELETE FROM room_entries WHERE room = ?", (normal_code(code),))
            con.execute("DELETE FROM room_predictions WHERE room = ?", (normal_code(code),))
            con.execute("UPDATE rooms SET revealed_at = NULL, active_at = ? WHERE code = ?",
                        (time.time(), normal_code(code)))
        return entries, predicted

    def check_lesson(self, member: Member, lesson: Lesson) -> None:
        """RoomError when the member's room has a locked assignment and this lesson is not the room's: a locked
        room trains only the assignment's cells and the lesson its teacher gave it."""
        assignment = self.assignment(member.room)
        room_lesson = self.lesson(member.room)
        if assignment is not None and assignment.locked and (room_lesson is None or room_lesson.lesson != lesson.id):
            raise RoomError(Message("room.lesson_locked", "Room {code}'s assignment is locked: its students run only "
                                    "its cells and the lesson their teacher gave the room, so lesson {lesson}'s runs "
                                    "were not started.", code=member.room, lesson=lesson.id))

    def close(self, code: str, teacher_key: str | None) -> None:
        """Close the room (its teacher only): nobody can join it or train in it any more; its runs stay."""
        self._check_teacher(code, teacher_key)
        with self.store.transaction(write=True) as con:
            con.execute("UPDATE rooms SET closed_at = ? WHERE code = ?", (time.time(), normal_code(code)))
