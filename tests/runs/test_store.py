import dataclasses
import json
import math
import sqlite3
import threading

import pandas as pd
import pytest

from core.messages import Message
from core.runs.ownership import Editor
from core.runs.store import APPLICATION_ID, RUN_COLUMNS, RunStore
from core.runs.stored import StoreError
from core.settings import store_path
from core.training.config import ADDED_LATER, TrainConfig
from core.training.engine import train
from core.training.record import HISTORY_COLUMNS, RunResult, history_row
from tests.runs.documents import with_cell

LINEAR = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1, batch_size=32, epochs=3)
DIGITS = TrainConfig(dataset="digits", model="mlp", epochs=2)
DIVERGING = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=100.0, batch_size=16,
                        epochs=3)


@pytest.fixture(scope="module")
def trained() -> dict[str, RunResult]:
    """Each tiny config trained once for the whole module."""
    return {"linear": train(LINEAR), "digits": train(DIGITS), "diverged": train(DIVERGING)}


def dump(result: RunResult) -> str:
    """The run as JSON text: NaN and inf compare equal to themselves, floats compare exactly."""
    return json.dumps(result.to_dict(), sort_keys=True)


def stopped_run() -> RunResult:
    """LINEAR stopped in its second epoch (25 updates make an epoch)."""
    calls = iter(range(1_000))
    return train(LINEAR, should_stop=lambda: next(calls) >= 30)


# ---------------------------------------------------------------------- round trips

@pytest.mark.parametrize("name", ["linear", "digits", "diverged"])
def test_a_saved_run_reads_back_identical(store, trained, name):
    run_id = store.save(trained[name], name="first try", tags=("demo", "batch"), source="reference")
    stored = store.get(run_id)
    assert len(run_id) == 12 and stored.id == run_id
    assert dump(stored.result) == dump(trained[name])
    assert (stored.name, stored.tags, stored.source) == ("first try", ("demo", "batch"), "reference")
    assert sorted(stored.versions) == ["numpy", "pandas", "python", "torch"]
    assert stored.key == trained[name].config.key and stored.reused_from is None


def test_a_diverged_runs_message_reads_back_as_a_message_so_it_can_be_translated(store, trained):
    stored = store.get(store.save(trained["diverged"])).result.message
    assert stored == trained["diverged"].message
    assert (stored.key, stored.values) == ("run.non_finite", {"step": 9, "epoch": 1})


def test_an_imported_message_whose_values_do_not_fit_the_korean_template_reads_in_english(store, trained):
    from pages.ui.texts import CORE

    run = dataclasses.replace(trained["linear"], message=Message("run.non_finite", "Loss broke.", when="late"))
    stored = store.get(store.save(run)).result.message
    assert stored.render(lambda message: CORE.get(message.key)) == "Loss broke."  # Korean needs {step}, {epoch}


def test_plain_text_in_the_message_column_stays_plain_text_even_if_it_looks_like_json(store, trained):
    for text in ("Imported from a lab notebook.", '{"key": "x"', '{"key": "k", "template": "{missing}", "values": {}}'):
        run = dataclasses.replace(trained["linear"], message=text)
        assert store.get(store.save(run)).result.message == text


def test_an_unknown_id_reads_as_none(store):
    assert store.get("000000000000") is None


def test_a_diverged_runs_nan_and_inf_survive_the_database_json_and_csv(store, trained):
    run_id = store.save(trained["diverged"])
    via_db = store.get(run_id).result
    fresh = RunStore(store.path.parent / "fresh.sqlite")
    via_json = fresh.get(fresh.import_json(store.export_json([run_id]))[0]).result
    via_csv = fresh.get(fresh.import_csv(store.export_csv([run_id]))[0]).result
    for result in (via_db, via_json):
        assert result.status == "diverged"
        assert result.step_losses[-1] == math.inf and len(result.step_losses) == 9
    for result in (via_db, via_json, via_csv):
        assert [math.isnan(result.rows[-1][c]) for c in ("train_loss", "val_loss", "train_acc", "val_acc")] == [
            True, True, True, True]


def test_a_json_export_imported_into_a_fresh_store_gives_identical_runs(store, trained):
    ids = [store.save(trained["digits"], name="digits", tags=("a",)), store.save(trained["diverged"], name="boom")]
    fresh = RunStore(store.path.parent / "fresh.sqlite")
    new_ids = fresh.import_json(store.export_json(ids))
    assert len(new_ids) == 2 and set(new_ids).isdisjoint(ids)
    for old_id, new_id in zip(ids, new_ids, strict=True):
        old, new = store.get(old_id), fresh.get(new_id)
        assert (new.name, new.tags, new.source, new.created_at, new.versions) == (
            old.name, old.tags, old.source, old.created_at, old.versions)
        assert dump(new.result) == dump(old.result)


def test_a_json_export_is_standard_json_without_nan_literals(store, trained):
    text = store.export_json([store.save(trained["diverged"])])
    json.loads(text, parse_constant=lambda token: pytest.fail(f"non-standard JSON token {token}"))
    assert '"Infinity"' in text and '"NaN"' in text


def test_a_csv_export_imported_gives_identical_rows_and_settings(store, trained):
    ids = [store.save(trained["digits"], name="digits, try 1"), store.save(trained["linear"], name="linear")]
    fresh = RunStore(store.path.parent / "fresh.sqlite")
    new_ids = fresh.import_csv(store.export_csv(ids).encode())
    for old_id, new_id in zip(ids, new_ids, strict=True):
        old, new = store.get(old_id).result, fresh.get(new_id).result
        assert json.dumps(new.rows) == json.dumps(old.rows)
        assert (new.config, new.status, new.best_epoch) == (old.config, old.status, old.best_epoch)
        assert (new.step_losses, new.test_loss, new.test_acc, new.final_val_loss) == ([], None, None, None)
    assert fresh.get(new_ids[0]).name == "digits, try 1"


def test_a_csv_export_has_one_line_per_epoch_with_every_setting(store, trained):
    run_id = store.save(trained["linear"], name="line")
    lines = store.export_csv([run_id]).splitlines()
    assert lines[0].startswith("run_id,name,status,sharpness,sharpness_converged,dataset,model,optimizer,"
                               "learning_rate,batch_size,epochs,")
    assert lines[0].endswith(",classes," + ",".join(HISTORY_COLUMNS))
    assert len(lines) == 5  # the header, epoch 0 and 3 epochs
    assert lines[1].startswith(f"{run_id},line,completed,,,linear,linear,sgd,0.1,32,3,0.9,0.9,0.999,1e-08,constant,"
                               "0.0,0.0,10,0.1,0.0,0,auto,0.2,false,")


def test_a_csv_file_written_before_schedules_existed_imports_with_a_constant_lr(store, trained):
    run_id = store.save(trained["linear"])
    header, *rows = [line.split(",") for line in store.export_csv([run_id]).splitlines()]
    later = [header.index(name) for name in ADDED_LATER]
    old = "\n".join(",".join(c for i, c in enumerate(line) if i not in later) for line in [header, *rows])
    imported = store.get(store.import_csv(old)[0])
    assert imported.config == trained["linear"].config
    assert imported.config.key == trained["linear"].config.key


def test_a_cifar10_class_subset_is_written_with_semicolons_and_read_back(store, fake_cifar10):
    config = TrainConfig(dataset="cifar10", model="linear", classes=(0, 1), max_samples=20, batch_size=5, epochs=1)
    run_id = store.save(train(config))
    text = store.export_csv([run_id])
    assert ",0;1," in text.splitlines()[1]
    assert store.get(store.import_csv(text)[0]).config.classes == (0, 1)


# ---------------------------------------------------------------------- sharpness (schema 2)

def with_sharpness(result: RunResult, value: float = 2.5) -> RunResult:
    return dataclasses.replace(result, sharpness=value)


def test_a_runs_sharpness_reads_back_and_is_listed(store, trained):
    measured = store.save(with_sharpness(trained["linear"], 2.535))
    unmeasured = store.save(trained["digits"])
    assert store.get(measured).result.sharpness == 2.535
    assert store.get(unmeasured).result.sharpness is None
    frame = store.runs().set_index("id")
    assert frame.loc[measured, "sharpness"] == 2.535 and math.isnan(frame.loc[unmeasured, "sharpness"])


def test_a_runs_sharpness_survives_json_and_csv(store, trained):
    ids = [store.save(with_sharpness(trained["linear"], 2.535)), store.save(trained["digits"])]
    fresh = RunStore(store.path.parent / "fresh.sqlite")
    via_json = [fresh.get(i).result.sharpness for i in fresh.import_json(store.export_json(ids))]
    via_csv = [fresh.get(i).result.sharpness for i in fresh.import_csv(store.export_csv(ids))]
    assert via_json == via_csv == [2.535, None]
    assert ",completed,2.535,,linear," in store.export_csv(ids[:1]).splitlines()[1]


def test_a_schema_1_json_export_without_sharpness_still_imports(store, trained):
    document = exported(store, trained)
    document["schema"] = 1
    for run in document["runs"]:
        del run["result"]["sharpness"]
    new_id = store.import_json(json.dumps(document))[0]
    assert store.get(new_id).result.sharpness is None
    assert dump(store.get(new_id).result) == dump(trained["linear"])


def test_a_csv_without_the_sharpness_columns_still_imports(store, trained):
    lines = store.export_csv([store.save(trained["linear"])]).splitlines()
    old_csv = "\n".join(line.replace(",,,linear,", ",linear,").replace(",sharpness,sharpness_converged,", ",")
                        for line in lines)
    assert "sharpness" not in old_csv
    result = store.get(store.import_csv(old_csv)[0]).result
    assert (result.sharpness, result.config) == (None, LINEAR)


# ---------------------------------------------------------------------- sharpness_converged (schema 4)

def with_converged(result: RunResult, value: float, converged: bool | None) -> RunResult:
    return dataclasses.replace(result, sharpness=value, sharpness_converged=converged)


def test_whether_a_runs_sharpness_converged_reads_back_and_is_listed(store, trained):
    converged = store.save(with_converged(trained["linear"], 2.535, True))
    not_converged = store.save(with_converged(trained["linear"], 2.4, False))
    unmeasured = store.save(trained["digits"])
    assert store.get(converged).result.sharpness_converged is True
    assert store.get(not_converged).result.sharpness_converged is False
    assert store.get(unmeasured).result.sharpness_converged is None
    frame = store.runs().set_index("id")
    assert frame.loc[converged, "sharpness_converged"] is True
    assert frame.loc[not_converged, "sharpness_converged"] is False
    assert frame.loc[unmeasured, "sharpness_converged"] is None
    with sqlite3.connect(store.path) as con:
        stored = dict(con.execute("SELECT id, sharpness_converged FROM runs").fetchall())
    con.close()
    assert stored == {converged: 1, not_converged: 0, unmeasured: None}


def test_whether_a_runs_sharpness_converged_survives_json_and_csv(store, trained):
    ids = [store.save(with_converged(trained["linear"], 2.535, True)),
           store.save(with_converged(trained["linear"], 2.4, False)), store.save(trained["digits"])]
    fresh = RunStore(store.path.parent / "fresh.sqlite")
    via_json = [fresh.get(i).result for i in fresh.import_json(store.export_json(ids))]
    via_csv = [fresh.get(i).result for i in fresh.import_csv(store.export_csv(ids))]
    for results in (via_json, via_csv):
        assert [(r.sharpness, r.sharpness_converged) for r in results] == [(2.535, True), (2.4, False), (None, None)]
    assert [run["result"]["sharpness_converged"] for run in json.loads(store.export_json(ids))["runs"]] == [
        True, False, None]
    assert [store.export_csv([i]).splitlines()[1].split(",")[2:5] for i in ids] == [
        ["completed", "2.535", "true"], ["completed", "2.4", "false"], ["completed", "", ""]]


def test_a_schema_3_json_export_without_sharpness_converged_imports_with_none(store, trained):
    document = json.loads(store.export_json([store.save(with_converged(trained["linear"], 2.535, True))]))
    assert document["schema"] == 7
    document["schema"] = 3
    for run in document["runs"]:
        del run["result"]["sharpness_converged"]
    result = store.get(store.import_json(json.dumps(document))[0]).result
    assert (result.sharpness, result.sharpness_converged) == (2.535, None)


def test_a_csv_without_the_sharpness_converged_column_imports_with_none(store, trained):
    header, *lines = [line.split(",") for line in
                      store.export_csv([store.save(with_converged(trained["linear"], 2.535, False))]).splitlines()]
    at = header.index("sharpness_converged")
    old_csv = "\n".join(",".join(c for i, c in enumerate(line) if i != at) for line in [header, *lines])
    assert "sharpness_converged" not in old_csv
    result = store.get(store.import_csv(old_csv)[0]).result
    assert (result.sharpness, result.sharpness_converged, result.config) == (2.535, None, LINEAR)


def test_a_csv_sharpness_converged_cell_reads_any_case_and_an_empty_cell_as_none(store, trained):
    text = store.export_csv([store.save(with_converged(trained["linear"], 2.535, True))])
    for cell, expected in (("TRUE", True), (" False ", False), ("", None)):
        imported = store.get(store.import_csv(with_cell(text, "sharpness_converged", cell))[0]).result
        assert imported.sharpness_converged is expected


def schema_6_file(path, runs_from: RunStore) -> None:
    """A schema-6 run store holding copies of `runs_from`'s runs and rooms: no lessons in rooms, no predictions."""
    runs_from.close()  # its write-ahead log folded into the file, which is then copied whole
    path.write_bytes(runs_from.path.read_bytes())
    with sqlite3.connect(path) as con:
        con.execute("DROP TABLE room_predictions")
        con.execute("ALTER TABLE rooms DROP COLUMN revealed_at")
        con.execute("ALTER TABLE rooms DROP COLUMN lesson")
        con.execute("PRAGMA user_version = 6")
    con.close()


def schema_5_file(path, runs_from: RunStore) -> None:
    """A schema-5 run store holding copies of `runs_from`'s runs: no owners, no rooms."""
    schema_6_file(path, runs_from)
    with sqlite3.connect(path) as con:
        con.execute("ALTER TABLE runs DROP COLUMN room")
        con.execute("ALTER TABLE runs DROP COLUMN owner")
        for table in ("room_entries", "room_members", "rooms"):
            con.execute(f"DROP TABLE {table}")
        con.execute("PRAGMA user_version = 5")
    con.close()


def schema_4_file(path, runs_from: RunStore) -> None:
    """A schema-4 run store holding copies of `runs_from`'s runs: no writer column, no run groups."""
    schema_5_file(path, runs_from)
    with sqlite3.connect(path) as con:
        con.execute("DROP INDEX runs_by_status")
        con.execute("ALTER TABLE runs DROP COLUMN writer")
        con.execute("DROP TABLE run_groups")
        con.execute("PRAGMA user_version = 4")
    con.close()


def schema_3_file(path, runs_from: RunStore) -> None:
    """A schema-3 run store holding copies of `runs_from`'s runs: the same file without sharpness_converged."""
    schema_4_file(path, runs_from)
    with sqlite3.connect(path) as con:
        con.execute("ALTER TABLE runs DROP COLUMN sharpness_converged")
        con.execute("PRAGMA user_version = 3")
    con.close()


def test_a_schema_6_file_is_migrated_to_7_keeping_its_rooms_members_entries_and_assignment(store, trained,
                                                                                            tmp_path):
    from core.classroom.lessons import lessons
    from core.classroom.rooms import Assignment, Rooms

    run_id = store.save(trained["linear"], owner="owner-a", room=None)
    rooms = Rooms(store)
    room, key = rooms.create("Period 3")
    mina = rooms.join(room.code, "Mina", "owner-a")
    rooms.record(mina, "train", LINEAR.key, LINEAR)
    rooms.assign(room.code, key, Assignment(LINEAR, (16, 32), (0.1,)))
    path = tmp_path / "schema6.sqlite"
    schema_6_file(path, store)
    with sqlite3.connect(path) as con:
        assert "lesson" not in [row[1] for row in con.execute("PRAGMA table_info(rooms)")]
    con.close()
    migrated = Rooms(RunStore(path))
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA user_version").fetchone() == (7,)
        assert con.execute("SELECT code, title, lesson, revealed_at FROM rooms").fetchall() == [
            (room.code, "Period 3", None, None)]
        assert con.execute("SELECT count(*) FROM room_predictions").fetchone() == (0,)
    con.close()
    assert migrated.get(room.code) == rooms.get(room.code) and migrated.is_teacher(room.code, key)
    assert [(m.nickname, m.owner) for m in migrated.members(room.code)] == [("Mina", "owner-a")]
    assert [(e.nickname, e.config) for e in migrated.entries(room.code)] == [("Mina", LINEAR)]
    assert migrated.assignment(room.code).batch_sizes == (16, 32) and migrated.lesson(room.code) is None
    assert dump(migrated.store.get(run_id).result) == dump(trained["linear"])
    lesson = lessons()["L1"]  # the new tables work on the migrated file
    migrated.assign_lesson(room.code, key, lesson)
    migrated.predict(migrated.member(room.code, "owner-a"), lesson, {"lower": "16", "updates": "more"})
    assert [(p.nickname, p.question, p.value) for p in migrated.predictions(room.code)] == [
        ("Mina", "lower", "16"), ("Mina", "updates", "more")]


def test_a_schema_5_file_is_migrated_to_7_with_runs_of_no_owner_that_anyone_may_change(store, trained, tmp_path):
    run_id = store.save(trained["linear"], name="old")
    path = tmp_path / "schema5.sqlite"
    schema_5_file(path, store)
    migrated = RunStore(path)
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA user_version").fetchone() == (7,)
        assert con.execute("SELECT owner, room FROM runs").fetchall() == [(None, None)]
        assert con.execute("SELECT count(*) FROM rooms").fetchone() == (0,)
    con.close()
    assert dump(migrated.get(run_id).result) == dump(trained["linear"])
    migrated.rename(run_id, "renamed by anyone", Editor("someone"))
    assert migrated.get(run_id).name == "renamed by anyone"


def test_a_schema_4_file_is_migrated_and_its_runs_read_back_unchanged(store, trained, tmp_path):
    run_id = store.save(trained["linear"], name="old", tags=("kept",))
    path = tmp_path / "schema4.sqlite"
    schema_4_file(path, store)
    migrated = RunStore(path)
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA user_version").fetchone() == (7,)
        assert con.execute("SELECT writer, owner FROM runs").fetchall() == [(None, None)]
        assert con.execute("SELECT count(*) FROM run_groups").fetchone() == (0,)
    con.close()
    assert dump(migrated.get(run_id).result) == dump(trained["linear"])
    assert (migrated.get(run_id).name, migrated.get(run_id).tags) == ("old", ("kept",))
    assert migrated.group_state([LINEAR]) is None


def test_a_schema_3_file_is_migrated_with_no_sharpness_converged(store, trained, tmp_path):
    measured = store.save(with_converged(trained["linear"], 2.535, True), name="measured")
    plain = store.save(trained["digits"])
    path = tmp_path / "schema3.sqlite"
    schema_3_file(path, store)
    with sqlite3.connect(path) as con:
        assert "sharpness_converged" not in [row[1] for row in con.execute("PRAGMA table_info(runs)")]
    con.close()
    migrated = RunStore(path)
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA user_version").fetchone() == (7,)
        assert con.execute("SELECT count(*) FROM runs WHERE sharpness_converged IS NULL").fetchone() == (2,)
    con.close()
    old = migrated.get(measured).result
    assert (old.sharpness, old.sharpness_converged) == (2.535, None)
    assert dump(old) == dump(with_converged(trained["linear"], 2.535, None))
    assert migrated.get(plain).result.sharpness_converged is None
    assert list(migrated.runs()["sharpness_converged"]) == [None, None]
    new_id = migrated.save(with_converged(trained["linear"], 2.4, False))
    assert RunStore(path).get(new_id).result.sharpness_converged is False  # opens again as schema 7


# The CREATE statements of schema 1, as Batch Lab wrote them before runs had a sharpness.
SCHEMA_1 = """
CREATE TABLE runs (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, tags TEXT NOT NULL, source TEXT NOT NULL, created_at REAL NOT NULL,
    versions TEXT NOT NULL, config TEXT NOT NULL, key TEXT NOT NULL, prefix_key TEXT NOT NULL,
    status TEXT NOT NULL, dataset TEXT NOT NULL, model TEXT NOT NULL, optimizer TEXT NOT NULL,
    batch_size INTEGER NOT NULL, learning_rate REAL NOT NULL, epochs INTEGER NOT NULL, seed INTEGER NOT NULL,
    epochs_run INTEGER NOT NULL, updates INTEGER NOT NULL, device TEXT NOT NULL, wall_time REAL NOT NULL,
    message TEXT NOT NULL, best_epoch INTEGER, best_val_loss REAL, best_val_acc REAL, final_val_loss REAL,
    test_loss REAL, test_acc REAL, step_losses BLOB NOT NULL
);
CREATE INDEX runs_by_key ON runs (key, created_at);
CREATE INDEX runs_by_prefix_key ON runs (prefix_key, created_at);
CREATE TABLE epochs (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL, step INTEGER NOT NULL, samples INTEGER NOT NULL, time_s REAL NOT NULL,
    lr REAL NOT NULL, train_loss REAL NOT NULL, val_loss REAL NOT NULL, train_acc REAL NOT NULL,
    val_acc REAL NOT NULL,
    PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;
"""


def schema_1_file(path, runs_from: RunStore) -> None:
    """A schema-1 run store holding copies of `runs_from`'s runs (all but their sharpness)."""
    with sqlite3.connect(path) as con:
        con.executescript(SCHEMA_1)
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute("PRAGMA user_version = 1")
        con.execute("ATTACH DATABASE ? AS current", (str(runs_from.path),))
        columns = ", ".join(row[1] for row in con.execute("PRAGMA main.table_info(runs)"))
        con.execute(f"INSERT INTO main.runs ({columns}) SELECT {columns} FROM current.runs")
        # Before schema 3 a row's train_loss and train_acc were the running means, and there was no epoch 0.
        con.execute("INSERT INTO main.epochs SELECT run_id, epoch, step, samples, time_s, lr, train_loss_running, "
                    "val_loss, train_acc_running, val_acc FROM current.epochs WHERE epoch > 0")
    con.close()


def as_schema_1_stored_it(result: RunResult) -> RunResult:
    """What a schema-1 or 2 store holds of `result`: no epoch 0, no evaluated training loss."""
    rows = [history_row({**r, "train_loss": math.nan, "train_acc": math.nan}) for r in result.rows if r["epoch"] > 0]
    return dataclasses.replace(result, rows=rows, sharpness=None)


def test_a_schema_1_file_is_migrated_in_place_keeping_its_runs_running_losses_and_no_sharpness(store, trained,
                                                                                                 tmp_path):
    ids = [store.save(trained["linear"], name="old"), store.save(trained["diverged"])]
    path = tmp_path / "old.sqlite"
    schema_1_file(path, store)
    migrated = RunStore(path)
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA user_version").fetchone() == (7,)
        assert "sharpness" in [row[1] for row in con.execute("PRAGMA table_info(runs)")]
        assert "sharpness_converged" in [row[1] for row in con.execute("PRAGMA table_info(runs)")]
        assert "train_loss_running" in [row[1] for row in con.execute("PRAGMA table_info(epochs)")]
    con.close()
    for run_id, name in zip(ids, ("linear", "diverged"), strict=True):
        old = migrated.get(run_id)
        assert (old.result.sharpness, old.result.sharpness_converged) == (None, None)
        assert dump(old.result) == dump(as_schema_1_stored_it(trained[name]))
    assert migrated.runs()["sharpness"].isna().all() and migrated.count() == 2
    new_id = migrated.save(with_sharpness(trained["linear"]))
    assert RunStore(path).get(new_id).result.sharpness == 2.5  # opens again as schema 7


def test_find_with_sharpness_skips_runs_whose_sharpness_was_not_measured(store, trained):
    measured = store.save(with_sharpness(trained["linear"]))
    newer = store.save(trained["linear"])
    assert store.find(LINEAR).id == newer
    assert store.find(LINEAR, with_sharpness=True).id == measured
    assert store.find(DIGITS, with_sharpness=True) is None


# ---------------------------------------------------------------------- concurrency

def test_eight_threads_saving_five_runs_each_at_once_lose_nothing(store, trained):
    ids: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work() -> None:
        try:
            start.wait()
            ids.extend(store.save(trained["digits"], name="thread") for _ in range(5))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count() == 40 and len(set(ids)) == 40
    assert all(dump(store.get(i).result) == dump(trained["digits"]) for i in ids)


# ---------------------------------------------------------------------- malformed imports

def exported(store: RunStore, trained) -> dict:
    return json.loads(store.export_json([store.save(trained["linear"], name="good")]))


def mutate(document: dict, change) -> str:
    change(document["runs"][0])
    return json.dumps(document)


BAD_JSON = {
    "not JSON": (lambda doc: "this is not json", "This is not valid JSON: Expecting value at line 1, column 1."),
    "a wrong format marker": (lambda doc: json.dumps({**doc, "format": "other"}),
                              'This is not a Batch Lab runs file: it needs "format": "batchlab-runs".'),
    "a wrong schema": (lambda doc: json.dumps({**doc, "schema": 8}),
                       "This runs file was written by schema 8; this Batch Lab reads schemas 1, 2, 3, 4, 5, 6 and 7."),
    "a run missing rows": (lambda doc: mutate(doc, lambda run: run["result"].pop("rows")),
                           "run 1: 'result' lacks 'rows'."),
    "rows that are not a list": (lambda doc: mutate(doc, lambda run: run["result"].update(rows="many")),
                                 "run 1: 'rows' must be a list of epoch rows."),
    "a row with a string loss": (lambda doc: mutate(doc, lambda run: run["result"]["rows"][1].update(val_loss="low")),
                                 "run 1: row 2: 'val_loss' must be a number, got 'low'."),
    "an invalid config value": (
        lambda doc: mutate(doc, lambda run: run["result"]["config"].update(learning_rate=-1)),
        "run 1: The 'learning_rate' parameter of TrainConfig must be a float in the range (0, 1000]. "
        "Got -1.0 instead."),
    "an unknown status": (lambda doc: mutate(doc, lambda run: run["result"].update(status="great")),
                          "run 1: 'status' must be one of completed, stopped, diverged, early_stopped, unstable, "
                          "failed, interrupted, got 'great'."),
    "more step losses than steps": (
        lambda doc: mutate(doc, lambda run: run["result"]["step_losses"].append(1.0)),
        "run 1: 76 step losses but only 75 update steps in 'rows'."),
    "a sharpness that is not a number": (lambda doc: mutate(doc, lambda run: run["result"].update(sharpness="flat")),
                                         "run 1: 'sharpness' must be a number, got 'flat'."),
    "a sharpness that is not finite": (lambda doc: mutate(doc, lambda run: run["result"].update(sharpness="NaN")),
                                       "run 1: 'sharpness' must be a finite number or null, got 'NaN'."),
    "truncated JSON": (lambda doc: json.dumps(doc)[:200], None),
    "oversized text": (lambda doc: " " * (20_000_000 + 1),  # the default BATCHLAB_MAX_UPLOAD_MB
                       "The file is 20.0 MB and this server imports at most 20 MB (BATCHLAB_MAX_UPLOAD_MB)."),
}


@pytest.mark.parametrize("case", BAD_JSON)
def test_a_malformed_json_import_is_rejected_and_the_store_is_unchanged(store, trained, case):
    make, message = BAD_JSON[case]
    text = make(exported(store, trained))
    before = store.runs()
    with pytest.raises(StoreError) as error:
        store.import_json(text)
    if message is None:
        assert str(error.value).startswith("This is not valid JSON: ")
    else:
        assert str(error.value) == message
    assert store.count() == 1
    pd.testing.assert_frame_equal(store.runs(), before)


def test_an_import_with_one_bad_run_among_good_ones_writes_nothing(store, trained):
    document = exported(store, trained)
    good = document["runs"][0]
    bad = json.loads(json.dumps(good))
    bad["result"]["rows"][1]["epoch"] = 2
    document["runs"] = [good, bad, good]
    with pytest.raises(StoreError, match=r"^run 2: row 2: 'epoch' must be 1 \(epochs count 0 or 1, then 1 up\), "
                                         r"got 2\.$"):
        store.import_json(json.dumps(document))
    assert store.count() == 1


BAD_CSV = {
    "a missing column": (lambda text: text.replace(",val_acc", ""),
                         "The CSV header lacks the column(s) val_acc; export a run to see the expected columns."),
    "a loss that is not a number": (lambda text: text[:text.rindex(",")] + ",high\n",
                                    "CSV line 5: 'train_acc_running' must be a number, got 'high'."),
    "two settings for one run": (lambda text: text[:text.rindex(",0.1,32,")] + ",0.2,32," +
                                 text[text.rindex(",0.1,32,") + 8:], None),
    "a sharpness that is not a number": (lambda text: text.replace(",completed,,", ",completed,flat,"),
                                         "CSV line 2: 'sharpness' must be a number, got 'flat'."),
    "a bad setting": (lambda text: text.replace(",0.1,32,", ",0.1,0,"),
                      "run '{id}': The 'batch_size' parameter of TrainConfig must be an int in the range "
                      "[1, 1e+06]. Got 0 instead."),
}


@pytest.mark.parametrize("case", BAD_CSV)
def test_a_malformed_csv_import_is_rejected_and_the_store_is_unchanged(store, trained, case):
    make, message = BAD_CSV[case]
    run_id = store.save(trained["linear"])
    text = make(store.export_csv([run_id]))
    with pytest.raises(StoreError) as error:
        store.import_csv(text)
    if message is None:
        assert str(error.value) == (f"CSV line 5: run '{run_id}' has 'learning_rate' '0.2' here but '0.1' on "
                                    f"line 2; a run has one value.")
    else:
        assert str(error.value) == message.format(id=run_id)
    assert store.count() == 1


# ---------------------------------------------------------------------- the database file

def test_a_file_that_is_not_an_sqlite_database_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "runs.sqlite"
    path.write_bytes(b"these are my lecture notes, not a database\n" * 100)
    with pytest.raises(StoreError) as error:
        RunStore(path)
    assert str(error.value) == (f"{path} is not a Batch Lab run store (it is not a readable SQLite database); "
                                f"choose another file.")


def test_a_database_of_a_newer_schema_is_refused_naming_both_versions(tmp_path):
    path = tmp_path / "runs.sqlite"
    RunStore(path)
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA user_version = 8")
    with pytest.raises(StoreError) as error:
        RunStore(path)
    assert str(error.value) == f"The run store {path} was written by schema 8; this Batch Lab reads schema 7."


def test_another_programs_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(StoreError, match="is an SQLite database of another program, not a Batch Lab run store"):
        RunStore(path)


def test_a_missing_folder_is_created_and_an_existing_store_opens_again(tmp_path, trained):
    path = tmp_path / "deep" / "er" / "runs.sqlite"
    run_id = RunStore(path).save(trained["linear"])
    assert RunStore(path).get(run_id).id == run_id


def test_the_default_path_is_batchlab_db_else_runs_sqlite_in_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("BATCHLAB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BATCHLAB_DB", raising=False)
    assert store_path() == tmp_path / "runs.sqlite"
    monkeypatch.setenv("BATCHLAB_DB", str(tmp_path / "elsewhere.db"))
    assert store_path() == tmp_path / "elsewhere.db"


# ---------------------------------------------------------------------- listing and editing

def test_an_empty_store_lists_no_runs_with_every_column(store):
    frame = store.runs()
    assert len(frame) == 0 and store.count() == 0
    assert list(frame.columns) == RUN_COLUMNS == [
        "id", "name", "tags", "source", "status", "dataset", "model", "optimizer", "batch_size", "learning_rate",
        "epochs", "epochs_run", "seed", "updates", "best_val_loss", "best_val_acc", "test_loss", "test_acc",
        "sharpness", "sharpness_converged", "wall_time", "device", "created_at", "key", "owner", "room"]


def test_runs_lists_the_newest_first_with_their_summary(store, trained):
    first = store.save(trained["digits"], name="digits")
    second = store.save(trained["linear"], name="linear", tags=("seed 001", "sgd"))
    frame = store.runs()
    assert list(frame["id"]) == [second, first]
    row = frame.iloc[0]
    assert (row["name"], row["tags"], row["status"], row["dataset"], row["optimizer"]) == (
        "linear", "seed 001, sgd", "completed", "linear", "sgd")
    assert (row["batch_size"], row["learning_rate"], row["epochs"], row["epochs_run"], row["updates"]) == (
        32, 0.1, 3, 3, 75)
    best = trained["linear"].best_row
    assert row["best_val_loss"] == best["val_loss"] and math.isnan(row["best_val_acc"])
    assert math.isnan(row["test_acc"]) and row["test_loss"] == trained["linear"].test_loss
    assert frame.iloc[1]["best_val_acc"] == trained["digits"].best_row["val_acc"]


def test_rename_set_tags_and_delete_show_in_runs(store, trained):
    a, b, c = (store.save(trained["linear"]) for _ in range(3))
    store.rename(a, "renamed")
    store.set_tags(b, (" fast ", "fast", "", "keep"))
    assert store.get(a).name == "renamed" and store.get(b).tags == ("fast", "keep")
    assert store.delete([c, "000000000000"]) == 1
    frame = store.runs().set_index("id")
    assert list(frame.index) == [b, a]
    assert (frame.loc[a, "name"], frame.loc[b, "tags"]) == ("renamed", "fast, keep")
    with sqlite3.connect(store.path) as con:
        assert con.execute("SELECT count(*) FROM epochs WHERE run_id = ?", (c,)).fetchone() == (0,)


def test_editing_an_unknown_run_or_a_tag_with_a_comma_names_the_problem(store, trained):
    run_id = store.save(trained["linear"])
    with pytest.raises(StoreError, match=r"^No stored run has the id 'nope'\.$"):
        store.rename("nope", "x")
    with pytest.raises(StoreError, match=r"^The tags: a tag cannot contain a comma, got 'a,b'\.$"):
        store.set_tags(run_id, ("a,b",))
    with pytest.raises(StoreError, match=r"^No stored run has the id 'nope'\.$"):
        store.export_json([run_id, "nope"])


# ---------------------------------------------------------------------- reuse

def test_find_returns_the_newest_reusable_run_and_ignores_stopped_runs(store, trained):
    stopped = stopped_run()
    assert (stopped.status, stopped.epochs_run) == ("stopped", 2)
    store.save(stopped)
    assert store.find(LINEAR) is None
    store.save(trained["linear"], name="older")
    newest = store.save(trained["linear"], name="newer")
    store.save(stopped)
    assert store.find(LINEAR).id == newest
    assert store.find(DIGITS) is None
    diverged = store.save(trained["diverged"])
    assert store.find(DIVERGING).id == diverged


def test_find_prefix_gives_exactly_what_training_the_shorter_run_gives(store):
    long_id = store.save(train(dataclasses.replace(DIGITS, epochs=6)))
    short_config = dataclasses.replace(DIGITS, epochs=3)
    direct = train(short_config)
    found = store.find_prefix(short_config)
    assert (found.reused_from, found.config, found.result.status) == (long_id, short_config, "completed")
    without_time = [json.dumps({k: v for k, v in r.items() if k != "time_s"}) for r in found.result.rows]
    assert without_time == [json.dumps({k: v for k, v in r.items() if k != "time_s"}) for r in direct.rows]
    assert found.result.step_losses == direct.step_losses
    assert found.result.best_epoch == direct.best_epoch
    assert (found.result.test_loss, found.result.test_acc, found.result.final_val_loss) == (None, None, None)
    assert found.result.wall_time == found.result.rows[-1]["time_s"]
    assert str(found.result.message) == (f"Taken from the first 3 epochs of stored run {long_id} (trained for 6 "
                                         "epochs): no need to train it again.")
    assert store.get(long_id).result.epochs_run == 6  # the stored run itself is untouched


def test_find_prefix_is_none_with_early_stopping_or_without_a_longer_completed_run(store, trained):
    store.save(train(dataclasses.replace(LINEAR, epochs=6)))
    store.save(stopped_run())
    assert store.find_prefix(dataclasses.replace(LINEAR, epochs=2, early_stopping=True)) is None
    assert store.find_prefix(dataclasses.replace(LINEAR, epochs=6)) is None
    assert store.find_prefix(dataclasses.replace(LINEAR, epochs=7)) is None
    assert store.find_prefix(dataclasses.replace(LINEAR, epochs=2, seed=1)) is None
    assert store.find_prefix(dataclasses.replace(LINEAR, epochs=2)).result.epochs_run == 2


def test_find_prefix_never_answers_a_cosine_run_whose_decay_depends_on_its_last_epoch(store):
    cosine = dataclasses.replace(LINEAR, epochs=6, schedule="cosine")
    store.save(train(cosine))
    assert store.find_prefix(dataclasses.replace(cosine, epochs=3)) is None
    step = dataclasses.replace(LINEAR, epochs=6, schedule="step", decay_every=2)  # counted from the start: fine
    store.save(train(step))
    assert store.find_prefix(dataclasses.replace(step, epochs=3)).result.epochs_run == 3


def test_a_run_whose_warm_up_is_longer_than_one_epoch_is_saved_and_its_prefix_found(store):
    warm = dataclasses.replace(LINEAR, epochs=6, warmup_epochs=2.5, warmup_start=0.1)
    run_id = store.save(train(warm))
    assert store.get(run_id).config == warm
    assert store.find_prefix(dataclasses.replace(warm, epochs=3)).reused_from == run_id
