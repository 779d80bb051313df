"""Runs saved while they train, interrupted runs, groups that resume, and what a damaged or full file does.

Real processes and real files throughout: a writer that is gone is a process that has exited, a damaged
store is a file with overwritten pages, a full store is one at its size cap.
"""

import dataclasses
import json
import multiprocessing as mp
import os
import signal
import sqlite3
import time

import pytest

from core.runs.store import RunStore, group_id
from core.runs.stored import StoreError
from core.training.config import TrainConfig
from core.training.engine import train
from core.training.record import RunResult, Status, best_epoch

LINEAR = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1, batch_size=32, epochs=4)


@pytest.fixture(scope="module")
def finished() -> RunResult:
    return train(LINEAR)


def so_far(result: RunResult, rows: int) -> RunResult:
    """The run as a server holds it after `rows` history rows (epoch 0 first) have arrived."""
    kept = result.rows[:rows]
    return RunResult(config=result.config, status=Status.RUNNING, rows=kept,
                     step_losses=result.step_losses[:kept[-1]["step"]], device="unknown",
                     wall_time=kept[-1]["time_s"], best_epoch=best_epoch(kept, Status.COMPLETED, result.config))


def dump(result: RunResult) -> str:
    """The run as JSON text: NaN compares equal to itself, floats compare exactly."""
    return json.dumps(result.to_dict(), sort_keys=True)


def same_rows(a: list, b: list) -> bool:
    return json.dumps(a) == json.dumps(b)


def exited_process_writer() -> str:
    """The writer mark of a process that has ended (a server that was killed)."""
    process = mp.get_context("fork").Process(target=time.sleep, args=(0,))
    process.start()
    process.join()
    return f"{os.uname().nodename}:{process.pid}:1"


def set_writer(store: RunStore, run_id: str, writer: str) -> None:
    with sqlite3.connect(store.path) as con:
        con.execute("UPDATE runs SET writer = ? WHERE id = ?", (writer, run_id))
    con.close()


# ---------------------------------------------------------------------- saved while it trains

def test_a_run_saved_while_it_trains_shows_as_running_with_its_epochs_so_far(store, finished):
    run_id = store.begin(so_far(finished, 2))
    stored = store.get(run_id)
    assert stored.status == Status.RUNNING and [r["epoch"] for r in stored.rows] == [0, 1]
    assert stored.result.step_losses == finished.step_losses[:finished.rows[1]["step"]]
    row = store.runs().iloc[0]
    assert (row["status"], row["epochs_run"], row["updates"]) == ("running", 1, 25)


def test_appended_epochs_and_step_losses_follow_the_ones_saved_before(store, finished):
    run_id = store.begin(so_far(finished, 2))
    store.append(run_id, so_far(finished, 4), saved_rows=2, saved_steps=25)
    stored = store.get(run_id).result
    assert [r["epoch"] for r in stored.rows] == [0, 1, 2, 3]
    assert same_rows(stored.rows, finished.rows[:4]) and stored.step_losses == finished.step_losses[:75]
    assert store.runs().iloc[0]["epochs_run"] == 3


def test_completing_a_running_run_stores_exactly_what_saving_it_whole_would(store, finished):
    run_id = store.begin(so_far(finished, 2))
    store.rename(run_id, "watched live")
    store.complete(run_id, finished)
    stored = store.get(run_id)
    assert dump(stored.result) == dump(store.get(store.save(finished)).result)
    assert stored.name == "watched live" and store.count() == 2
    assert store.find(LINEAR).id in {run_id, store.runs().iloc[0]["id"]}


def test_a_running_run_deleted_meanwhile_is_saved_again_when_it_ends(store, finished):
    run_id = store.begin(so_far(finished, 2))
    store.delete([run_id])
    store.complete(run_id, finished)
    assert dump(store.get(run_id).result) == dump(finished)


def test_appending_to_a_run_that_is_no_longer_running_is_refused(store, finished):
    run_id = store.begin(so_far(finished, 2))
    store.complete(run_id, finished)
    with pytest.raises(StoreError, match=f"Stored run {run_id} is not training any more."):
        store.append(run_id, so_far(finished, 3), saved_rows=2, saved_steps=25)


def test_a_running_run_is_never_reused_as_if_it_were_finished(store, finished):
    store.begin(so_far(finished, 3))
    assert store.find(LINEAR) is None and store.find_prefix(dataclasses.replace(LINEAR, epochs=1)) is None


# ---------------------------------------------------------------------- interrupted

def test_a_run_whose_writer_has_exited_becomes_interrupted_with_its_epochs_when_the_store_opens(store, finished):
    run_id = store.begin(so_far(finished, 3))
    set_writer(store, run_id, exited_process_writer())
    reopened = RunStore(store.path)
    assert reopened.interrupted == [run_id]
    stored = reopened.get(run_id)
    assert stored.status == Status.INTERRUPTED and [r["epoch"] for r in stored.rows] == [0, 1, 2]
    assert str(stored.result.message) == ("The server stopped while this run was training; the 2 epochs it had "
                                          "saved are kept. Train again to run it to the end.")
    assert reopened.find(LINEAR) is None  # so a new request trains it again


def test_a_run_this_live_process_is_writing_stays_running_when_the_store_opens_again(store, finished):
    run_id = store.begin(so_far(finished, 3))
    assert RunStore(store.path).interrupted == []
    assert store.get(run_id).status == Status.RUNNING


def test_a_run_written_from_another_host_name_is_interrupted(store, finished):
    run_id = store.begin(so_far(finished, 3))
    set_writer(store, run_id, f"not-{os.uname().nodename}:{os.getpid()}:1")  # a WAL file is used from one host
    assert store.mark_interrupted() == [run_id]


def test_an_interrupted_run_exports_and_imports_as_interrupted(store, finished):
    run_id = store.begin(so_far(finished, 3))
    set_writer(store, run_id, exited_process_writer())
    store.mark_interrupted()
    copy = store.get(store.import_json(store.export_json([run_id]))[0])
    assert copy.status == Status.INTERRUPTED and same_rows(copy.rows, finished.rows[:3])


def test_a_run_exported_while_it_trains_leaves_as_interrupted(store, finished):
    run_id = store.begin(so_far(finished, 3))
    document = json.loads(store.export_json([run_id]))
    assert document["runs"][0]["result"]["status"] == "interrupted"
    assert store.get(store.import_csv(store.export_csv([run_id]))[0]).status == Status.INTERRUPTED


# ---------------------------------------------------------------------- groups

def test_a_group_that_was_never_submitted_has_no_state(store):
    assert store.group_state([LINEAR]) is None


def test_a_group_counts_its_finished_and_interrupted_settings_in_any_order(store, finished):
    other = dataclasses.replace(LINEAR, learning_rate=0.05)
    third = dataclasses.replace(LINEAR, learning_rate=0.02)
    store.record_group("sweep", [LINEAR, other, third])
    assert group_id([third.key, LINEAR.key, other.key]) == group_id([LINEAR.key, other.key, third.key])
    store.save(finished)
    interrupted = store.begin(so_far(train(other), 2))
    set_writer(store, interrupted, exited_process_writer())
    store.mark_interrupted()
    state = store.group_state([third, other, LINEAR])
    assert (state.total, state.finished, state.interrupted, state.unfinished) == (3, 1, 1, 2)


# ---------------------------------------------------------------------- a damaged or full file

def damage(path) -> None:
    """Overwrite the pages after the first with garbage, as a failing disk or a stray write would."""
    with sqlite3.connect(path) as con:
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with open(path, "r+b") as file:
        file.seek(page_size)
        file.write(b"\xde\xad\xbe\xef" * (page_size // 2))


def test_a_damaged_store_is_kept_aside_and_a_fresh_one_started_with_a_message(store, finished):
    for _ in range(5):
        store.save(finished)
    store.close()  # as a stopped server leaves the file: its write-ahead log folded in
    damage(store.path)
    damaged_bytes = store.path.read_bytes()
    fresh = RunStore(store.path)
    aside = [p for p in store.path.parent.iterdir() if p.name.startswith("runs.sqlite.damaged-")]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged_bytes  # kept as it was, never overwritten
    assert fresh.count() == 0 and fresh.integrity() == "ok"
    assert str(fresh.recovered).startswith(f"The run store {store.path} was damaged (")
    assert str(fresh.recovered).endswith(f"It was kept as {aside[0]} and a fresh, empty store was started.")


def test_a_sound_store_opens_with_nothing_recovered(store, finished):
    store.save(finished)
    assert RunStore(store.path).recovered is None and store.integrity() == "ok"


def test_a_store_at_its_size_cap_refuses_the_write_and_stays_sound(tmp_path, finished):
    capped = RunStore(tmp_path / "runs.sqlite", max_megabytes=1)
    big = dataclasses.replace(finished, step_losses=finished.step_losses * 800)  # 640 kB of step losses
    big = dataclasses.replace(big, rows=[{**r, "step": r["step"] * 800} for r in big.rows])
    capped.save(big)
    with pytest.raises(StoreError, match=r"The run store .* is full \(the disk, or its cap of BATCHLAB_STORE_MAX_MB\)"):
        capped.save(big)
    assert capped.count() == 1 and capped.integrity() == "ok"
    assert capped.get(capped.runs().iloc[0]["id"]).result.step_losses == big.step_losses


# ---------------------------------------------------------------------- many processes at once

def save_runs(path: str, result: dict, count: int, done, pause: float) -> None:
    """A process saving `count` copies of a run, telling `done` each id once its save has returned."""
    store = RunStore(path)
    run = RunResult.from_dict(result)
    for _ in range(count):
        done.put(store.save(run))
        time.sleep(pause)


def test_eight_processes_saving_at_once_with_one_killed_leave_a_sound_store_with_every_committed_run(
        tmp_path, finished):
    path = str(tmp_path / "runs.sqlite")
    RunStore(path)
    context = mp.get_context("fork")  # the savers use only SQLite and numpy: no need to import torch again
    done = context.Queue()
    savers = [context.Process(target=save_runs, args=(path, finished.to_dict(), 20, done, 0.05))
              for i in range(8)]
    for process in savers:
        process.start()
    committed = [done.get(timeout=120) for _ in range(3)]  # the processes are saving
    os.kill(savers[0].pid, signal.SIGKILL)
    for process in savers:
        process.join(timeout=120)
    while not done.empty():
        committed.append(done.get(timeout=5))
    store = RunStore(path)
    assert store.integrity() == "ok"
    stored = set(store.runs()["id"])
    assert set(committed) <= stored and len(stored) >= 7 * 20
    assert savers[0].exitcode == -signal.SIGKILL
