"""The executor trains queued runs as one group where the measured crossover says it pays, and only there.

The choice (core/jobs/grouping.py) is tested on its own with literal expectations from the table;
the local pool is then tested end to end: a sweep grouped, a run stopped inside a group, a group's
worker killed, and grouping off.
"""

import dataclasses
import os
import signal
import time

import pytest

from core.jobs import LocalExecutor
from core.jobs.grouping import CPU_SPEEDUP, MIN_SPEEDUP, QUIET_S, WINDOW_S, cpu_speedup, group_size, next_group
from core.jobs.job import Job
from core.settings import ConfigError, grouping
from core.training.config import TrainConfig
from core.training.engine import train
from core.training.grouped import GROUP_RTOL, group_of

SMALL = TrainConfig(dataset="mnist1d", model="cnn1d", batch_size=16, epochs=2, max_samples=400, device="cpu")
LONG = dataclasses.replace(SMALL, epochs=400)


def queued(config: TrainConfig, at: float, kind: str = "train") -> Job:
    return Job(f"job{at}-{config.key[:6]}", config, kind, submitted_at=at)


def sweep(base: TrainConfig, k: int) -> list[TrainConfig]:
    return [dataclasses.replace(base, learning_rate=0.01 / (i + 1), seed=i) for i in range(k)]


# ---------------------------------------------------------------------- the choice, from the table

CNN1D = TrainConfig(dataset="mnist1d", model="cnn1d", device="cpu")


def at(config: TrainConfig, batch_size: int) -> TrainConfig:
    return dataclasses.replace(config, batch_size=batch_size)


@pytest.mark.parametrize(("model", "k", "batch_size"),
                         [(model, k, b) for model, table in sorted(CPU_SPEEDUP.items()) for k, b in sorted(table)])
def test_the_choice_on_the_cpu_follows_every_cell_of_the_measured_tables(model, k, batch_size):
    config = TrainConfig(dataset=model[0], model=model[1], batch_size=batch_size, device="cpu")
    table = CPU_SPEEDUP[model]
    paying = [j for j, b in table if b == batch_size and j <= k and table[j, b] >= MIN_SPEEDUP]
    assert group_size(k, config, accelerated=False) == max(paying, default=1)  # the largest group that pays


def test_the_1d_cnn_groups_at_batch_64_or_below_with_four_runs_or_more_and_never_at_batch_256():
    assert [group_size(k, at(CNN1D, 16), False) for k in (1, 2, 3, 4, 5, 8, 12, 16, 40)] == [
        1, 1, 1, 4, 5, 8, 12, 16, 16]
    assert [group_size(8, at(CNN1D, batch), False) for batch in (8, 16, 32, 64, 65, 128, 256, 512)] == [
        8, 8, 8, 8, 1, 1, 1, 1]


def test_a_size_between_the_tables_rows_reads_the_row_below_and_a_batch_the_column_above():
    assert cpu_speedup("mnist1d", "cnn1d", 5, 16) == 3.13 and cpu_speedup("mnist1d", "cnn1d", 15, 64) == 1.98
    assert cpu_speedup("mnist1d", "cnn1d", 8, 17) == 1.98
    assert cpu_speedup("mnist1d", "cnn1d", 3, 16) is None and cpu_speedup("mnist1d", "cnn1d", 8, 257) is None


def test_each_dataset_and_model_is_grouped_by_its_own_table():
    cnn = TrainConfig(dataset="digits", model="cnn", device="cpu")
    assert [group_size(6, at(cnn, batch), False) for batch in (16, 64, 256)] == [6, 1, 1]  # seed 000's grid
    mlp = TrainConfig(dataset="digits", model="mlp", device="cpu")
    assert [group_size(k, at(mlp, 16), False) for k in (4, 7, 8, 16)] == [1, 1, 8, 8]  # K = 4 gains 1.33x only
    assert group_size(16, at(mlp, 64), False) == 8  # never more runs than its table measured


def test_a_dataset_and_model_never_measured_train_alone_on_the_cpu():
    cifar = TrainConfig(dataset="cifar10", model="cnn", classes=(0, 1), batch_size=16, device="cpu")
    assert cpu_speedup("cifar10", "cnn", 8, 16) is None
    assert group_size(16, cifar, accelerated=False) == 1
    assert group_size(16, TrainConfig(dataset="digits", model="linear", batch_size=16), accelerated=False) == 1
    assert group_size(16, cifar, accelerated=True) == 16


def test_runs_are_split_over_idle_workers_while_each_part_keeps_four_runs():
    config = at(CNN1D, 16)
    assert group_size(9, config, False, idle_workers=2) == 5  # 5 + 4
    assert group_size(7, config, False, idle_workers=2) == 7  # 3 + 4 would leave a part too small to gain
    assert group_size(32, config, False, idle_workers=2) == 16
    assert group_size(30, config, False, idle_workers=8) == 5  # 6 parts of 5


def test_on_a_gpu_any_two_runs_are_grouped_at_any_batch_size():
    assert group_size(1, at(CNN1D, 512), accelerated=True) == 1
    assert group_size(2, at(CNN1D, 512), accelerated=True) == 2
    assert group_size(100, at(CNN1D, 16), accelerated=True) == 64


def test_a_groupable_training_waits_until_its_group_has_been_quiet_for_a_moment():
    jobs = [queued(c, at=100.0 + i * 0.01) for i, c in enumerate(sweep(SMALL, 5))]
    assert next_group(jobs, 1, now=jobs[-1].submitted_at + QUIET_S / 2) is None
    assert next_group(jobs, 1, now=jobs[-1].submitted_at + QUIET_S * 1.01) == jobs


def test_a_group_that_keeps_growing_still_goes_within_the_window():
    jobs = [queued(c, at=100.0 + i * WINDOW_S / 15) for i, c in enumerate(sweep(SMALL, 15))]  # one every 0.07 s
    assert next_group(jobs, 1, now=100.0 + WINDOW_S - 0.01) is None
    assert next_group(jobs, 1, now=100.0 + WINDOW_S) == jobs


def test_a_full_group_goes_at_once():
    jobs = [queued(c, at=100.0) for c in sweep(SMALL, 16)]
    assert next_group(jobs, 1, now=100.0) == jobs


def test_a_run_that_cannot_gain_from_a_group_starts_at_once_and_alone():
    big_batch = [queued(c, at=100.0) for c in sweep(dataclasses.replace(SMALL, batch_size=256), 8)]
    assert next_group(big_batch, 1, now=100.0) == big_batch[:1]
    sharpness = [queued(c, at=100.0, kind="sharpness") for c in sweep(SMALL, 8)]
    assert next_group(sharpness, 1, now=100.0) == sharpness[:1]
    lone = queued(SMALL, at=100.0)
    assert next_group([lone], 1, now=100.0) is None  # a lone run that could group waits a moment
    assert next_group([lone], 1, now=100.0 + QUIET_S * 1.01) == [lone]


def test_grouping_off_sends_every_run_alone():
    jobs = [queued(c, at=100.0) for c in sweep(SMALL, 8)]
    assert next_group(jobs, 1, now=200.0, enabled=False) == jobs[:1]


def test_only_runs_of_the_heads_group_join_it_and_the_others_keep_their_place():
    other = sweep(dataclasses.replace(SMALL, epochs=3), 2)  # another number of epochs: another group
    configs = sweep(SMALL, 4)
    jobs = [queued(c, at=100.0) for c in (configs[0], other[0], configs[1], configs[2], other[1], configs[3])]
    assert next_group(jobs, 1, now=200.0) == [jobs[0], jobs[2], jobs[3], jobs[5]]
    assert next_group([jobs[1], jobs[4]], 1, now=200.0) == [jobs[1]]  # two of a group: alone


def test_the_grouping_setting_reads_auto_or_off_and_refuses_anything_else():
    assert grouping({}) is True and grouping({"BATCHLAB_GROUPING": "auto"}) is True
    assert grouping({"BATCHLAB_GROUPING": " OFF "}) is False
    with pytest.raises(ConfigError, match="BATCHLAB_GROUPING='sometimes' is not a choice"):
        grouping({"BATCHLAB_GROUPING": "sometimes"})


# ---------------------------------------------------------------------- the local pool, end to end

@pytest.fixture(scope="module")
def pool():
    pool = LocalExecutor(workers=2, grouping=True)
    yield pool
    pool.close()


@pytest.fixture(autouse=True)
def patient_window(request, monkeypatch):
    """For the pool's tests, a quiet window no busy machine can cut short: a loaded CI machine took longer
    than 0.1 s between one test's submits, and the runs it queued later formed groups of their own."""
    if "pool" in request.fixturenames:
        monkeypatch.setattr("core.jobs.grouping.QUIET_S", 2.0)
        monkeypatch.setattr("core.jobs.grouping.WINDOW_S", 5.0)


def test_a_sweep_of_eight_small_batch_runs_trains_as_two_groups_of_four_each_run_its_engines(pool):
    configs = sweep(SMALL, 8)
    groups_before = pool.groups_started
    jobs = [pool.submit(c) for c in configs]
    assert all(job.wait(120) for job in jobs)
    assert pool.groups_started - groups_before == 2
    assert [job.status for job in jobs] == ["completed"] * 8
    assert [job.result.device for job in jobs] == ["cpu · grouped ×4"] * 8
    for job, config in zip(jobs[::5], configs[::5], strict=True):  # one run of each group
        alone = train(config)
        assert [r["epoch"] for r in job.rows] == [0, 1, 2]
        assert job.result.rows[-1]["val_loss"] == pytest.approx(alone.rows[-1]["val_loss"], rel=GROUP_RTOL)
        assert group_of(job.result.device) == (alone.device, 4)


def test_a_sweep_at_batch_256_trains_every_run_alone(pool):
    configs = sweep(dataclasses.replace(SMALL, batch_size=256), 4)
    groups_before = pool.groups_started
    jobs = [pool.submit(c) for c in configs]
    assert all(job.wait(120) for job in jobs)
    assert pool.groups_started == groups_before
    assert [job.result.device for job in jobs] == ["cpu"] * 4


def test_stop_of_one_run_in_a_group_ends_it_at_once_and_the_others_train_on(pool, wait_for_rows):
    jobs = [pool.submit(c) for c in sweep(LONG, 4)]
    try:
        wait_for_rows(jobs[1], 2)
        assert len({job.worker_pid for job in jobs}) == 1  # one worker trains all four
        pool.cancel(jobs[1].key)
        assert jobs[1].wait(30)
        assert jobs[1].status == "stopped" and len(jobs[1].result.rows) >= 2
        time.sleep(0.5)
        assert [job.status for job in (jobs[0], jobs[2], jobs[3])] == ["running"] * 3
    finally:
        for job in jobs:
            pool.cancel(job.key)
        assert all(job.wait(30) for job in jobs)
    assert [job.status for job in jobs] == ["stopped"] * 4


def test_a_dead_group_worker_fails_every_run_it_trained_keeping_their_epochs(pool, wait_for_rows):
    jobs = [pool.submit(c) for c in sweep(dataclasses.replace(LONG, epochs=399), 4)]
    wait_for_rows(jobs[0], 2)
    os.kill(jobs[0].worker_pid, signal.SIGKILL)
    assert all(job.wait(30) for job in jobs)
    assert [job.status for job in jobs] == ["failed"] * 4
    assert all("worker process training this run died" in str(job.message) and job.rows for job in jobs)


def test_with_grouping_off_a_sweep_that_could_group_trains_every_run_alone(pool):
    pool.grouping = False
    try:
        groups_before, started_before = pool.groups_started, pool.trainings_started
        jobs = [pool.submit(c) for c in sweep(dataclasses.replace(SMALL, epochs=1), 4)]
        assert all(job.wait(120) for job in jobs)
        assert pool.groups_started == groups_before and pool.trainings_started == started_before + 4
        assert [job.result.device for job in jobs] == ["cpu"] * 4
    finally:
        pool.grouping = True
