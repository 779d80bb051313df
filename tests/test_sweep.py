import dataclasses

import pandas as pd
import pytest

from core.config import ConfigError, TrainConfig
from core.jobs import JobPool, JobView
from core.sweep import cell_table, curves_table, grid, group_key, presets, progress, summary_table, with_seeds


def view(config: TrainConfig, status: str, rows: list[dict]) -> JobView:
    return JobView("id", config, status, rows, [], None, "", 0, 0.0, None)


def row(epoch: int, train_loss: float, val_loss: float, val_acc: float = 0.5) -> dict:
    return {"epoch": epoch, "step": epoch * 10, "samples": epoch * 100, "time_s": epoch * 0.1, "lr": 0.1,
            "train_loss": train_loss, "val_loss": val_loss, "train_acc": 0.5, "val_acc": val_acc}


def test_a_grid_is_every_batch_size_times_every_learning_rate_times_every_seed():
    configs = grid(TrainConfig(), [16, 64], [0.001, 0.01, 0.1], seeds=[0, 1])
    assert len(configs) == 12
    assert {(c.batch_size, c.learning_rate, c.seed) for c in configs} == {
        (b, lr, s) for b in (16, 64) for lr in (0.001, 0.01, 0.1) for s in (0, 1)}
    assert all(c.dataset == "mnist1d" and c.epochs == 15 for c in configs)


def test_a_grid_cell_larger_than_the_data_is_rejected_with_the_reason():
    base = TrainConfig(dataset="linear", model="linear")
    with pytest.raises(ConfigError, match="at most the 800 training samples"):
        grid(base, [16, 1024], [0.1])


def test_the_seed_presets_are_the_posts_experiments():
    found = presets()
    seed000 = found["seed000"].configs
    assert sorted((c.batch_size, c.learning_rate) for c in seed000) == [
        (16, 0.001), (16, 0.01), (64, 0.001), (64, 0.01), (256, 0.001), (256, 0.01)]
    assert {c.epochs for c in seed000} == {20} and {c.model for c in seed000} == {"cnn"}
    seed001 = found["seed001"].configs
    assert [(c.epochs, c.batch_size) for c in seed001] == [(5, 16), (5, 128), (20, 16), (20, 128)]
    assert {(c.optimizer, c.learning_rate) for c in seed001} == {("sgd", 0.1)}
    assert [c.learning_rate for c in found["seed002-lr"].configs] == [0.025, 0.05, 0.1, 0.2, 0.4]
    assert [(c.batch_size, c.learning_rate) for c in found["seed002-scaling"].configs] == [
        (32, 0.05), (64, 0.1), (128, 0.2), (256, 0.4)]
    assert sorted((c.batch_size, c.learning_rate) for c in found["seed003"].configs) == [
        (64, 0.1), (128, 0.1), (128, 0.2), (256, 0.1), (256, 0.4)]


def test_repeats_differ_only_by_seed_and_share_a_group():
    a, b = with_seeds([TrainConfig()], [0, 1])
    assert (a.seed, b.seed) == (0, 1) and a.key != b.key
    assert group_key(a) == group_key(b)
    assert group_key(a) != group_key(dataclasses.replace(a, batch_size=32))


def test_the_summary_takes_the_best_epoch_and_the_heatmap_marks_diverged_cells():
    calm = TrainConfig(batch_size=16, learning_rate=0.001)
    wild = TrainConfig(batch_size=16, learning_rate=0.01)
    views = [view(calm, "completed", [row(1, 1.0, 0.9, 0.6), row(2, 0.5, 0.4, 0.8), row(3, 0.4, 0.6, 0.7)]),
             view(wild, "diverged", [row(1, float("nan"), float("nan"))])]
    summary = summary_table(views)
    assert summary.loc[0, ["best_val_loss", "best_val_acc", "updates", "epochs_run"]].tolist() == [0.4, 0.8, 30, 3]
    assert pd.isna(summary.loc[1, "best_val_loss"])
    cells = cell_table(summary, "best_val_acc")
    assert cells[["batch_size", "learning_rate", "diverged"]].values.tolist() == [[16, 0.001, False], [16, 0.01, True]]
    long = curves_table(views)
    assert len(long) == 2 * 3 + 2 * 1
    assert long["value"].isna().sum() == 2  # the diverged run's NaNs stay NaN, never a fake value


def test_progress_counts_the_runs_and_estimates_the_time_left():
    from core.engine import RunResult

    config = TrainConfig()
    done = JobView("a", config, "completed", [row(1, 1, 1)], [], RunResult(config, "completed", wall_time=10.0), "", 0,
                   0.0, 0.0)
    running = view(config, "running", [])
    queued = view(config, "queued", [])
    state = progress([done, running, queued, None], workers=2)
    assert (state.total, state.done, state.running, state.queued) == (4, 1, 1, 1)
    assert state.seconds_left == 15.0  # 3 runs left × 10 s ÷ 2 workers
    assert state.fraction == 0.25


def test_the_job_pool_is_an_executor():
    for method in ("submit", "view", "cancel"):
        assert callable(getattr(JobPool, method))
