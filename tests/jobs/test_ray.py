"""The Ray backend behaves as the local worker pool: same histories, progress, Stop and failures.

One local Ray instance (2 CPUs, no dashboard, 100 MB object store) serves the module. It is
started from a thread that ends at once, as a Streamlit script thread would (research §2).
"""

import dataclasses
import os
import re
import signal
import sys
import threading
import time

import pytest
import torch

from core.experiments.presets import grid
from core.jobs import BackendUnavailable, RayExecutor, executor_from_env
from core.jobs.ray import connect
from core.runs.store import RunStore
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.engine import train
from core.training.grouped import GROUP_RTOL

ray = pytest.importorskip("ray")  # core.jobs imports Ray only when a Ray executor starts

pytestmark = pytest.mark.timeout(120)  # a hung Ray call fails the test instead of the whole run

LONG = TrainConfig(dataset="digits", model="mlp", batch_size=8, epochs=500)  # about a minute


@pytest.fixture(scope="module")
def executor():
    made: dict = {}

    def start() -> None:  # a short-lived thread, like a Streamlit script run
        try:
            connect("local", num_cpus=2, object_store_mb=100)
            made["executor"] = RayExecutor()
        except BaseException as exc:
            made["error"] = exc

    starter = threading.Thread(target=start)
    starter.start()
    starter.join()
    if "error" in made:
        raise made["error"]
    assert not starter.is_alive()
    yield made["executor"]
    made["executor"].close()
    ray.shutdown()


def without_time(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "time_s"} for row in rows]


def assert_same_rows(rows: list[dict], expected: list[dict]) -> None:
    """The same epochs with the same fields, every value within 1e-6 relative (time_s aside).

    Row by row and field by field: pytest.approx does not compare lists of dicts (pytest 9 refuses them)."""
    assert len(rows) == len(expected)
    for row, want in zip(without_time(rows), without_time(expected), strict=True):
        assert row.keys() == want.keys()
        for name, value in want.items():
            assert row[name] == pytest.approx(value, rel=1e-6, nan_ok=True), (row["epoch"], name)


def test_ray_started_from_a_short_lived_thread_still_runs_jobs_after_that_thread_ended(executor):
    time.sleep(0.5)  # time for a parent-death signal to have killed the instance, were it the trap
    job = executor.submit(TrainConfig(dataset="digits", model="mlp", epochs=1, seed=30))
    assert job.wait(60), job.status
    assert job.status == "completed"
    assert executor.workers == 2


def test_a_2x2_grid_on_ray_gives_the_same_histories_as_the_engine(executor):
    configs = grid(TrainConfig(dataset="digits", model="mlp", epochs=3), (32, 128), (0.01, 0.1), seeds=[31])
    jobs = [executor.submit(c) for c in configs]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as in the Ray task
    try:
        expected = [train(c) for c in configs]
    finally:
        torch.set_num_threads(threads)
    for job, local in zip(jobs, expected, strict=True):
        assert job.wait(60) and job.status == "completed", job.message
        assert_same_rows(job.result.rows, local.rows)
        assert job.result.step_losses == pytest.approx(local.step_losses, rel=1e-6)
        assert executor.view(job.key).rows == job.result.rows


def test_progress_arrives_epoch_by_epoch_while_a_run_trains(executor, wait_for_rows):
    config = dataclasses.replace(LONG, seed=32)
    job = executor.submit(config)
    try:
        wait_for_rows(job, 2)  # epoch 0 and the first epoch
        first = executor.view(job.key)
        wait_for_rows(job, len(first.rows) + 1)
        later = executor.view(job.key)
        assert first.status == later.status == "running"
        assert [r["epoch"] for r in later.rows] == list(range(len(later.rows)))
        assert 0 < first.progress < later.progress < 1
        assert executor.running >= 1 and job.worker_pid is not None
    finally:
        executor.cancel(job.key)
        job.wait(30)


def test_cancel_stops_a_running_task_and_keeps_its_partial_history(executor, wait_for_rows):
    job = executor.submit(LONG)
    wait_for_rows(job, 1)
    asked = time.time()
    executor.cancel(LONG.key)
    assert job.wait(30)
    assert time.time() - asked < executor.stop_grace_s  # the task stopped by itself, cooperatively
    assert job.status == "stopped"
    assert 1 <= len(job.result.rows) < LONG.epochs and job.result.step_losses
    resubmitted = executor.submit(LONG)  # a stopped run is trained afresh when asked again
    assert resubmitted is not job
    executor.cancel(LONG.key)
    assert resubmitted.wait(30) and resubmitted.status == "stopped"


def test_a_task_that_does_not_stop_by_itself_is_cancelled_by_ray_and_its_epochs_are_saved(
        executor, tmp_path, wait_for_rows):
    store = RunStore(tmp_path / "runs.sqlite")
    deaf = RayExecutor(store=store, stop_grace_s=0.5, stop_poll_s=3600)  # its tasks never hear the cooperative Stop
    try:
        job = deaf.submit(dataclasses.replace(LONG, seed=38))
        wait_for_rows(job, 2)
        deaf.cancel(job.key)
        assert job.wait(30)
        assert job.status == "stopped" and "so Ray ended it" in str(job.message)
        assert len(job.rows) >= 2
        saved = store.get(job.run_id).result
        assert (saved.status, saved.rows, saved.step_losses) == ("stopped", job.rows, job.step_losses)
        assert saved.best_epoch is not None and str(saved.message) == str(job.message)
    finally:
        deaf.close()


def test_a_queued_job_cancelled_before_it_starts_never_runs(executor, wait_for_rows):
    busy = [executor.submit(dataclasses.replace(LONG, seed=s)) for s in (33, 34)]
    for job in busy:  # both CPUs taken
        wait_for_rows(job, 1)
    waiting = executor.submit(TrainConfig(dataset="digits", model="mlp", epochs=2, seed=35))
    try:
        assert executor.view(waiting.key).queue_position == 1 and executor.queued == 1
        executor.cancel(waiting.key)
        assert waiting.status == "stopped" and waiting.rows == []
        time.sleep(1)
        assert waiting.worker_pid is None  # it never started
    finally:
        for job in busy:
            executor.cancel(job.key)
        assert all(job.wait(30) for job in busy)


GROUPABLE = TrainConfig(dataset="mnist1d", model="cnn1d", batch_size=16, epochs=2, max_samples=400, device="cpu")


def test_four_small_batch_runs_train_as_one_ray_task_each_with_its_own_result(executor, monkeypatch):
    monkeypatch.setattr("core.jobs.grouping.QUIET_S", 2.0)  # a loaded machine must not split the four
    configs = [dataclasses.replace(GROUPABLE, seed=s) for s in (40, 41, 42, 43)]
    before = executor.groups_started
    jobs = [executor.submit(c) for c in configs]
    assert all(job.wait(60) for job in jobs)
    assert executor.groups_started == before + 1
    assert [(job.status, job.result.device, len(job.rows)) for job in jobs] == [
        ("completed", "cpu · grouped ×4", 3)] * 4
    assert len({job.worker_pid for job in jobs}) == 1
    alone = train(configs[0])
    assert jobs[0].result.rows[-1]["val_loss"] == pytest.approx(alone.rows[-1]["val_loss"], rel=GROUP_RTOL)


def test_stop_of_one_run_in_a_ray_group_ends_only_it(executor, wait_for_rows, monkeypatch):
    monkeypatch.setattr("core.jobs.grouping.QUIET_S", 2.0)
    jobs = [executor.submit(dataclasses.replace(GROUPABLE, epochs=400, seed=s)) for s in (44, 45, 46, 47)]
    try:
        wait_for_rows(jobs[1], 2)
        executor.cancel(jobs[1].key)
        assert jobs[1].wait(30) and jobs[1].status == "stopped"
        time.sleep(executor.stop_grace_s + 1)  # past the grace a lone task would have been cancelled in
        assert [job.status for job in (jobs[0], jobs[2], jobs[3])] == ["running"] * 3
    finally:
        for job in jobs:
            executor.cancel(job.key)
        assert all(job.wait(30) for job in jobs)
    assert [job.status for job in jobs] == ["stopped"] * 4
    assert all(len(job.rows) >= 2 for job in jobs)


def test_a_task_that_raises_marks_its_run_failed_with_the_message(executor):
    # CIFAR-10 is not in the test data folder and its URL points at a closed port
    job = executor.submit(TrainConfig(dataset="cifar10", model="cnn", classes=(0, 1)))
    assert job.wait(60)
    assert job.status == "failed"
    assert "CIFAR-10 is not in" in str(job.message)
    assert job.message.key == "data.cifar_offline"  # a Message, so the page can say it in Korean


def test_a_crashed_ray_worker_marks_its_run_failed_and_keeps_its_epochs(executor, wait_for_rows):
    config = dataclasses.replace(LONG, seed=36)
    job = executor.submit(config)
    wait_for_rows(job, 1)
    os.kill(job.worker_pid, signal.SIGKILL)
    assert job.wait(30)
    assert job.status == "failed"
    assert "Ray worker training this run died" in str(job.message) and "Train again" in str(job.message)
    assert len(job.rows) >= 1


def test_ended_runs_are_saved_and_stored_runs_answer_without_training(executor, tmp_path, monkeypatch):
    store = RunStore(tmp_path / "runs.sqlite")
    monkeypatch.setattr(executor.book, "store", store)
    config = TrainConfig(dataset="digits", model="mlp", epochs=2, seed=37)
    job = executor.submit(config)
    assert job.wait(60) and job.run_id is not None
    restarted = RayExecutor(store=store)  # a restarted server
    try:
        again = restarted.submit(config)
        assert again.status == "completed" and again.run_id == job.run_id and again.rows == job.rows
        assert restarted.trainings_started == 0
    finally:
        restarted.close()


def test_the_backend_is_chosen_by_the_environment(monkeypatch):
    monkeypatch.setattr("core.jobs.LocalExecutor", lambda store, worker_nice: ("local pool", store, worker_nice))
    monkeypatch.setattr("core.jobs.RayExecutor", lambda address, store: ("ray", address, store))
    assert executor_from_env(environ={}) == ("local pool", None, 10)
    assert executor_from_env("store", environ={"BATCHLAB_BACKEND": "local", "BATCHLAB_WORKER_NICE": "0"}) == (
        "local pool", "store", 0)
    assert executor_from_env(environ={"BATCHLAB_BACKEND": "ray"}) == ("ray", None, None)
    assert executor_from_env(environ={"BATCHLAB_BACKEND": "Ray", "BATCHLAB_RAY_ADDRESS": "ray://head:10001"}) \
        == ("ray", "ray://head:10001", None)
    with pytest.raises(ConfigError, match="BATCHLAB_BACKEND='dask' is not a backend"):
        executor_from_env(environ={"BATCHLAB_BACKEND": "dask"})


def test_a_missing_ray_is_reported_with_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    with pytest.raises(BackendUnavailable, match=re.escape("Ray is not installed: pip install -r "
                                                           "requirements-ray.txt")):
        RayExecutor()


def test_a_cluster_that_does_not_answer_is_reported_within_seconds(monkeypatch):
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    started = time.time()
    with pytest.raises(BackendUnavailable, match=re.escape("No Ray cluster answers at 127.0.0.1:9")):
        connect("127.0.0.1:9")
    assert time.time() - started < 6
