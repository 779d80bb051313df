"""The local pool saves a training while it runs, keeps what a dead worker reported, and never loses the
server when the store cannot be written. Real worker processes and a real store; nothing under test is mocked."""

import dataclasses
import os
import signal
import sqlite3
import time

import pytest

from core.jobs import LocalExecutor
from core.jobs.book import SAVE_EVERY
from core.runs.store import RunStore
from core.runs.stored import StoreError
from core.training.config import TrainConfig
from core.training.engine import train
from core.training.record import Status

QUICK = TrainConfig(dataset="digits", model="mlp", epochs=3, seed=31)
# 400 of the digits: 80 updates an epoch (hundredths of a second), so a test has its first epochs within a second, while
# 500 epochs outlast every test that stops it
SLOW = TrainConfig(dataset="digits", model="mlp", batch_size=4, epochs=500, max_samples=400, seed=32)


def stored_epochs(store: RunStore, run_id: str) -> list[int]:
    with sqlite3.connect(store.path) as con:
        epochs = [e for (e,) in con.execute("SELECT epoch FROM epochs WHERE run_id = ? ORDER BY epoch", (run_id,))]
    con.close()
    return epochs


def wait_until(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> RunStore:
    return RunStore(tmp_path_factory.mktemp("store") / "runs.sqlite")


@pytest.fixture(scope="module")
def pool(store):
    pool = LocalExecutor(workers=1, store=store)
    yield pool
    pool.close()


def test_a_training_is_in_the_store_as_running_with_its_epochs_before_it_ends(store, pool, wait_for_rows):
    job = pool.submit(SLOW)
    try:
        wait_for_rows(job, 4)
        # the listener writes what arrived at most SAVE_EVERY seconds later
        wait_until(lambda: len(stored_epochs(store, job.run_id)) >= 4, timeout=SAVE_EVERY + 0.5)
        stored = store.get(job.run_id)
        assert stored.status == Status.RUNNING and len(stored.rows) >= 4
        assert stored_epochs(store, job.run_id)[:4] == [0, 1, 2, 3]
        pool.cancel(SLOW.key)
        assert job.wait(30)
        assert store.get(job.run_id).status == Status.STOPPED  # the same run, ended
        assert list(store.runs()["id"]).count(job.run_id) == 1
    finally:
        pool.cancel(SLOW.key)


def test_a_finished_training_is_stored_once_under_the_id_it_had_while_running(store, pool):
    job = pool.submit(QUICK)
    assert job.wait(120) and job.status == Status.COMPLETED
    assert store.get(job.run_id).rows == job.result.rows
    assert store.find(QUICK).id == job.run_id and list(store.runs()["key"]).count(QUICK.key) == 1


def test_a_killed_worker_leaves_its_run_saved_as_failed_with_its_epochs_and_the_next_request_trains_it_again(
        store, pool, wait_for_rows):
    config = dataclasses.replace(SLOW, seed=34)
    try:
        job = pool.submit(config)
        wait_for_rows(job, 3)
        os.kill(job.worker_pid, signal.SIGKILL)
        assert job.wait(30) and job.status == Status.FAILED
        stored = store.get(job.run_id)
        assert stored.status == Status.FAILED and len(stored.rows) >= 3
        assert [r["epoch"] for r in stored.rows] == [r["epoch"] for r in job.rows]
        assert str(stored.result.message).startswith("The worker process training this run died (exit code -9)")
        again = pool.submit(config)
        assert again is not job
        wait_for_rows(again, 1)
        assert again.status == Status.RUNNING
    finally:
        pool.cancel(config.key)


def test_closing_the_pool_mid_training_keeps_the_run_as_interrupted(tmp_path, wait_for_rows):
    store = RunStore(tmp_path / "runs.sqlite")
    pool = LocalExecutor(workers=1, store=store)
    job = pool.submit(SLOW)
    wait_for_rows(job, 2)
    pool.close()
    stored = store.get(job.run_id)
    assert stored.status == Status.INTERRUPTED and len(stored.rows) >= 2
    assert str(stored.result.message) == "The server closed while this run was queued or training. Train again to " \
                                         "run it."
    assert store.find(SLOW) is None


def test_a_full_store_says_could_not_be_saved_and_the_server_keeps_training(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite", max_megabytes=1)
    # filled with runs of the settings the pool trains below, so that no gap is left their first write fits in
    quick = train(QUICK)
    first_epoch = dataclasses.replace(quick, rows=quick.rows[:1], step_losses=[], best_epoch=None)
    for run in (quick, first_epoch):  # fill the store to its cap, the last gaps with runs of one row
        with pytest.raises(StoreError, match="is full"):
            for _ in range(1000):
                store.save(run)
    before = store.count()
    pool = LocalExecutor(workers=1, store=store)
    try:
        job = pool.submit(dataclasses.replace(QUICK, seed=35))
        assert job.wait(120) and job.status == Status.COMPLETED and job.run_id is None
        assert "This run could not be saved: The run store" in str(job.message) and "is full" in str(job.message)
        other = pool.submit(dataclasses.replace(QUICK, seed=36))
        assert other.wait(120) and other.status == Status.COMPLETED and len(other.rows) == 4
        assert store.integrity() == "ok"
        assert store.count() == before
    finally:
        pool.close()
