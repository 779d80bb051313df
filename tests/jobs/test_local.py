import dataclasses
import os
import signal
import threading
import time

import pytest

from core.jobs import LocalExecutor
from core.messages import Message
from core.settings import ConfigError
from core.training.config import TrainConfig

QUICK = TrainConfig(dataset="digits", model="mlp", epochs=3)
# 400 of MNIST-1D's samples: 20 updates an epoch, so its first epochs arrive within a second, and 500 epochs
# still outlast every test that stops it
LONG = TrainConfig(dataset="mnist1d", model="cnn1d", batch_size=16, epochs=500, max_samples=400)


@pytest.fixture(scope="module")
def pool():
    pool = LocalExecutor(workers=2)
    yield pool
    pool.close()


def test_two_sessions_asking_for_the_same_config_at_once_share_one_training(pool):
    config = TrainConfig(dataset="digits", model="mlp", epochs=3, seed=11)
    before = pool.trainings_started
    jobs, barrier = [], threading.Barrier(2)

    def session():
        barrier.wait()
        jobs.append(pool.submit(config))

    threads = [threading.Thread(target=session) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert jobs[0] is jobs[1]
    assert jobs[0].wait(120)
    assert jobs[0].status == "completed" and jobs[0].rows[-1]["epoch"] == 3
    assert pool.trainings_started == before + 1


def test_a_finished_config_is_answered_at_once_without_training_again(pool):
    job = pool.submit(QUICK)
    assert job.wait(120)
    before = pool.trainings_started
    again = pool.submit(QUICK)
    assert again is job and again.result is not None
    assert pool.trainings_started == before


def test_progress_arrives_epoch_by_epoch_and_the_result_matches_it(pool):
    job = pool.submit(TrainConfig(dataset="digits", model="mlp", epochs=4, seed=12))
    assert job.wait(120)
    assert [r["epoch"] for r in job.rows] == [0, 1, 2, 3, 4]
    assert job.result.rows == job.rows
    assert pool.view(job.key).progress == 1.0


def test_a_cancelled_job_keeps_its_partial_history(pool, wait_for_rows):
    job = pool.submit(LONG)
    wait_for_rows(job, 1)
    pool.cancel(LONG.key)
    assert job.wait(30)
    assert job.status == "stopped"
    assert 1 <= len(job.result.rows) < LONG.epochs
    assert job.result.step_losses
    resubmitted = pool.submit(LONG)  # a stopped run is trained afresh when asked again
    assert resubmitted is not job
    pool.cancel(LONG.key)
    assert resubmitted.wait(30)


def test_a_queued_job_cancelled_before_it_starts_is_stopped_with_no_history():
    pool = LocalExecutor(workers=1)
    try:
        first = pool.submit(LONG)
        deadline = time.monotonic() + 10
        while first.status == "queued" and time.monotonic() < deadline:  # a run that could group waits a moment
            time.sleep(0.02)
        second = pool.submit(TrainConfig(dataset="digits", model="mlp", epochs=2, seed=13))
        assert pool.view(second.key).queue_position == 1
        pool.cancel(second.key)
        assert second.status == "stopped" and second.rows == []
        pool.cancel(first.key)
        assert first.wait(60)
    finally:
        pool.close()


def test_a_job_that_raises_is_marked_failed_with_the_message(pool):
    # CIFAR-10 is not in the test data folder and its URL points at a closed port
    job = pool.submit(TrainConfig(dataset="cifar10", model="cnn", classes=(0, 1)))
    assert job.wait(60)
    assert job.status == "failed"
    assert "CIFAR-10 is not in" in str(job.message)
    assert isinstance(job.message, Message) and job.message.key == "data.cifar_offline"  # translatable


def test_a_diverged_runs_message_crosses_from_the_worker_as_a_message_the_app_can_translate(pool):
    job = pool.submit(TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=100.0,
                                  batch_size=16, epochs=3))
    assert job.wait(60) and job.status == "diverged"
    assert isinstance(job.message, Message) and job.message.key == "run.non_finite"
    assert isinstance(job.result.message, Message)


def test_a_worker_that_dies_marks_its_job_failed_and_is_replaced(pool, wait_for_rows):
    config = dataclasses.replace(LONG, epochs=400, seed=14)
    job = pool.submit(config)
    wait_for_rows(job, 1)
    os.kill(job.worker_pid, signal.SIGKILL)
    assert job.wait(30)
    assert job.status == "failed"
    assert "worker process training this run died" in str(job.message)
    assert len(job.rows) >= 1
    after = pool.submit(TrainConfig(dataset="digits", model="mlp", epochs=2, seed=15))
    assert after.wait(120) and after.status == "completed"


def test_ended_runs_are_saved_and_a_stored_run_answers_a_new_server_without_training(tmp_path, wait_for_rows):
    from core.runs.store import RunStore

    store = RunStore(tmp_path / "runs.sqlite")
    config = TrainConfig(dataset="digits", model="mlp", epochs=2, seed=21)
    first = LocalExecutor(workers=1, store=store)
    try:
        job = first.submit(config)
        assert job.wait(120) and job.run_id is not None
        stopped = first.submit(LONG)
        wait_for_rows(stopped, 1)
        first.cancel(LONG.key)
        assert stopped.wait(30)
    finally:
        first.close()
    assert set(store.runs()["status"]) == {"completed", "stopped"}  # the stopped run is kept too

    second = LocalExecutor(workers=1, store=store)  # a restarted server
    try:
        again = second.submit(config)
        assert again.status == "completed" and again.run_id == job.run_id
        assert again.rows == job.rows
        shorter = second.submit(dataclasses.replace(config, epochs=1))
        assert shorter.status == "completed" and shorter.rows[-1]["epoch"] == 1
        assert "Taken from the first epoch of stored run" in str(shorter.message)
        assert second.trainings_started == 0
    finally:
        second.close()


def test_an_lr_range_test_runs_in_a_worker_and_returns_its_curve(pool):
    config = TrainConfig(dataset="linear", model="linear", optimizer="sgd", batch_size=32, val_fraction=0.0)
    job = pool.submit(config, kind="range_test", params={"num_it": 50})
    assert job.key.startswith("range_test-") and job.key != config.key
    assert job.wait(120) and job.status == "completed"
    assert len(job.output["lrs"]) <= 50 and job.output["lrs"][0] == 1e-7
    assert pool.submit(config, kind="range_test", params={"num_it": 50}) is job  # same parameters: same job


def test_a_sharpness_job_measures_the_known_top_eigenvalue_saves_it_and_is_answered_from_the_store(tmp_path):
    import torch

    from core.analysis.sharpness import SHARPNESS_SAMPLES
    from core.runs.store import RunStore
    from core.training.data import load_splits

    config = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1, batch_size=32,
                         epochs=3, seed=31)
    # For mean((wx + b − y)²) the Hessian is 2·X̃ᵀX̃/N with X̃ = [x, 1], whatever the weights.
    x = load_splits(config.dataset, config.val_fraction).x_train[:SHARPNESS_SAMPLES]
    xt = torch.cat([x, torch.ones(len(x), 1)], dim=1).double()
    expected = 2 * torch.linalg.eigvalsh(xt.T @ xt / len(xt))[-1].item()
    assert expected == pytest.approx(2.535, abs=0.05)  # x uniform in [0, 1]: 2·λmax([[1/3, 1/2], [1/2, 1]])

    store = RunStore(tmp_path / "runs.sqlite")
    first = LocalExecutor(workers=1, store=store)
    try:
        plain = first.submit(config)  # saved without a sharpness ...
        assert plain.wait(120) and (plain.result.sharpness, plain.result.sharpness_converged) == (None, None)
        job = first.submit(config, kind="sharpness")  # ... so this one trains again, and measures
        assert job.key.startswith("sharpness-") and job is not plain
        assert job.wait(120) and job.status == "completed" and job.rows[-1]["epoch"] == 3
        assert job.result.sharpness == pytest.approx(expected, rel=0.01)
        assert job.result.sharpness_converged is True  # a 2x2 Hessian: power iteration converges in a few steps
        assert store.get(job.run_id).result.sharpness == job.result.sharpness
        assert store.get(job.run_id).result.sharpness_converged is True
        assert first.trainings_started == 2
    finally:
        first.close()

    second = LocalExecutor(workers=1, store=store)  # a restarted server
    try:
        again = second.submit(config, kind="sharpness")
        assert (again.status, again.run_id, again.result.sharpness) == ("completed", job.run_id, job.result.sharpness)
        assert again.result.sharpness_converged is True
        assert again.key == job.key and second.view(job.key).result.sharpness == job.result.sharpness
        assert second.submit(config).result is not None  # a plain request: the same training, stored
        assert second.trainings_started == 0
    finally:
        second.close()


def test_a_new_training_over_the_servers_caps_is_refused_with_the_reason():
    from core.training.limits import LimitExceeded, Limits

    pool = LocalExecutor(workers=1, limits=Limits(max_epochs=5))
    try:
        with pytest.raises(LimitExceeded, match="at most 5 epochs per run"):
            pool.submit(TrainConfig(dataset="digits", model="mlp", epochs=6))
        assert pool.trainings_started == 0 and pool.queued == 0
    finally:
        pool.close()


def test_a_worker_nice_that_is_not_a_whole_number_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("BATCHLAB_WORKER_NICE", "ten")
    with pytest.raises(ConfigError, match="BATCHLAB_WORKER_NICE must be a whole number; got 'ten'"):
        LocalExecutor(workers=1)
