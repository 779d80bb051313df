"""A job's view and a group's progress."""

from core.jobs import LocalExecutor, RayExecutor
from core.jobs.job import JobView, group_progress, job_key
from core.training.config import TrainConfig
from core.training.record import HistoryRow, RunResult, Status, history_row


def view(config: TrainConfig, status: str, rows: list[HistoryRow], result: RunResult | None = None) -> JobView:
    return JobView("id", config, Status(status), rows, [], result, "", 0, 0.0, None)


def row(epoch: int) -> HistoryRow:
    return history_row({"epoch": epoch, "step": epoch * 10, "samples": epoch * 100, "time_s": epoch * 0.1, "lr": 0.1,
            "train_loss": 1.0, "val_loss": 1.0, "train_acc": 0.5, "val_acc": 0.5,
            "train_loss_running": 1.0, "train_acc_running": 0.5})


def test_progress_counts_the_runs_and_estimates_the_time_left():
    config = TrainConfig()
    done = view(config, "completed", [row(1)], RunResult(config, Status.COMPLETED, wall_time=10.0))
    running = view(config, "running", [])
    queued = view(config, "queued", [])
    state = group_progress([done, running, queued, None], workers=2)
    assert (state.total, state.done, state.running, state.queued) == (4, 1, 1, 1)
    assert state.seconds_left == 15.0  # 3 runs left × 10 s ÷ 2 workers
    assert state.fraction == 0.25


def test_a_training_is_keyed_by_its_config_and_another_task_by_its_kind_and_parameters_too():
    config = TrainConfig()
    assert job_key(config) == config.key
    assert job_key(config, "range_test", {"num_it": 50}) != job_key(config, "range_test", {"num_it": 100})
    assert job_key(config, "range_test", {"num_it": 50}).startswith(f"range_test-{config.key}-")


def test_both_executors_offer_what_the_pages_use():
    """The Executor protocol, at run time; the type check verifies it fully (executor_from_env returns either)."""
    for executor in (LocalExecutor, RayExecutor):
        for name in ("submit", "view", "cancel", "close", "limits"):
            assert hasattr(executor, name), (executor.__name__, name)
