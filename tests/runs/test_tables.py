"""Tables of runs, the same for live jobs and stored runs: summaries with the best epoch by the
engine's rule, heatmap cells, long curves, labels and the y-range fit."""

import math

import pandas as pd
import pytest

from core.experiments.presets import presets, with_seeds
from core.jobs.job import JobView
from core.runs.tables import (
    cell_table,
    curves_table,
    fit_y_range,
    grid_axes,
    group_key,
    labeller,
    loss_metric,
    lrs_at_the_edge,
    runs_table,
    summary_table,
)
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.record import HistoryRow, Status, history_row


def view(config: TrainConfig, status: str, rows: list[HistoryRow], key: str = "id") -> JobView:
    return JobView(key, config, Status(status), rows, [], None, "", 0, 0.0, None)


def row(epoch: int, train_loss: float, val_loss: float, val_acc: float = 0.5) -> HistoryRow:
    return history_row({"epoch": epoch, "step": epoch * 10, "samples": epoch * 100, "time_s": epoch * 0.1, "lr": 0.1,
            "train_loss": train_loss, "val_loss": val_loss, "train_acc": 0.5, "val_acc": val_acc,
            "train_loss_running": train_loss, "train_acc_running": 0.5})


def test_the_summary_takes_the_best_epoch_and_the_heatmap_marks_diverged_cells():
    calm = TrainConfig(batch_size=16, learning_rate=0.001)
    wild = TrainConfig(batch_size=16, learning_rate=0.01)
    views = [view(calm, "completed", [row(1, 1.0, 0.9, 0.6), row(2, 0.5, 0.4, 0.8), row(3, 0.4, 0.6, 0.7)]),
             view(wild, "diverged", [row(1, float("nan"), float("nan"))])]
    summary = summary_table(views)
    assert summary.loc[0, ["best_val_loss", "best_val_acc", "updates", "epochs_run"]].tolist() == [0.4, 0.8, 30, 3]
    assert pd.isna(summary.loc[1, "best_val_loss"])
    cells = cell_table(summary, "best_val_acc")
    assert cells[["batch_size", "learning_rate", "diverged", "unstable"]].values.tolist() == [[16, 0.001, 0, 0],
                                                                                             [16, 0.01, 1, 0]]
    long = curves_table(views)
    assert len(long) == 2 * 3 + 2 * 1
    assert long["value"].isna().sum() == 2  # the diverged run's NaNs stay NaN, never a fake value



def test_a_stopped_runs_partial_last_epoch_is_not_its_best_in_the_summary():
    """The engine's rule, as Train and Compare show it: Stop cut the last epoch short."""
    stopped = view(TrainConfig(), "stopped", [row(1, 1.0, 0.9), row(2, 0.9, 0.3)])
    assert summary_table([stopped]).loc[0, "best_val_loss"] == 0.9


def test_an_early_stopped_runs_best_epoch_honours_its_min_delta():
    config = TrainConfig(early_stopping=True, min_delta=0.1, patience=2)
    run = view(config, "early_stopped", [row(1, 1.0, 1.0), row(2, 0.9, 0.95), row(3, 0.8, 0.92)])
    assert summary_table([run]).loc[0, "best_val_loss"] == 1.0


def test_labels_name_only_what_varies():
    configs = [TrainConfig(batch_size=16, epochs=5), TrainConfig(batch_size=16, epochs=20)]
    label = labeller(configs)
    assert [label(c) for c in configs] == ["B 16 · LR 0.01 · 5 ep", "B 16 · LR 0.01 · 20 ep"]


def test_the_overlay_table_has_one_row_per_run_and_epoch_and_the_gap_is_val_minus_train():
    runs = [view(TrainConfig(seed=0), "completed", [row(1, 1.0, 1.5), row(2, 0.5, 0.75)], key="a"),
            view(TrainConfig(seed=1), "completed", [row(1, 2.0, 2.5)], key="b")]
    table = runs_table(runs, "gap", labels=["first", "second"])
    assert table[["run", "label", "epoch", "value"]].values.tolist() == [
        ["a", "first", 1, 0.5], ["a", "first", 2, 0.25], ["b", "second", 1, 0.5]]
    assert table["group"].nunique() == 1  # they differ only by seed: drawn as one band


def test_the_loss_to_compare_is_the_validation_loss_unless_no_run_measured_one():
    with_val = view(TrainConfig(), "completed", [row(1, 1.0, 0.9)])
    without = view(TrainConfig(), "completed", [row(1, 1.0, math.nan)])
    assert loss_metric([with_val, without]) == "val_loss"
    assert loss_metric([without]) == "train_loss"


def y_table(curves: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame([{"label": label, "value": v} for label, values in curves.items() for v in values])


def test_one_run_far_above_the_others_is_cut_off_and_named():
    low, high, above = fit_y_range(y_table({"old": [2.0, 1.0], "linear": [25.0, 30.0], "sqrt": [2.2, 0.8]}))
    assert (low, round(high, 2), above) == (0.0, 2.42, ["linear"])


def test_runs_of_similar_height_keep_the_full_range():
    assert fit_y_range(y_table({"a": [2.0, 1.0], "b": [2.5, 0.9]})) is None


def test_a_diverged_run_is_left_out_of_the_range_even_when_close():
    low, high, above = fit_y_range(y_table({"a": [1.0, 0.5], "b": [4.0, 9.0]}), unstable={"b"})
    assert (low, round(high, 2), above) == (0.0, 1.1, ["b"])


def test_a_grid_lays_out_the_two_settings_it_varies_and_seed_001s_are_batch_and_epochs():
    presets_axes = {name: grid_axes(list(preset.configs)) for name, preset in presets().items()}
    assert presets_axes == {"seed000": ("batch_size", "learning_rate"), "seed001": ("batch_size", "epochs"),
                            "seed002-lr": ("batch_size", "learning_rate"),
                            "seed002-scaling": ("batch_size", "learning_rate"),
                            "seed003": ("batch_size", "learning_rate")}


def test_no_cell_of_a_presets_grid_mixes_runs_that_differ_in_more_than_the_seed():
    for name, preset in presets().items():
        configs = with_seeds(preset.configs, range(2))
        rows, columns = grid_axes(configs)
        cells: dict[tuple, set[str]] = {}
        for config in configs:
            cells.setdefault((getattr(config, rows), getattr(config, columns)), set()).add(group_key(config))
        assert all(len(groups) == 1 for groups in cells.values()), name


def test_seed_001s_cells_keep_the_5_and_20_epoch_runs_apart():
    """At batch 128 the heatmap showed 0.195, the mean of 0.2958 (5 epochs) and 0.0945 (20): no run's number."""
    short, long = (TrainConfig(dataset="linear", model="linear", batch_size=128, epochs=e) for e in (5, 20))
    runs = [view(short, "completed", [row(1, 0.3, 0.2958)], key="a"),
            view(long, "completed", [row(1, 0.1, 0.0945)], key="b")]
    rows, columns = grid_axes([short, long])
    cells = cell_table(summary_table(runs), "best_val_loss", rows, columns)
    assert cells[["batch_size", "epochs", "best_val_loss"]].values.tolist() == [[128, 5, 0.2958],
                                                                                [128, 20, 0.0945]]


def test_runs_that_differ_in_a_third_setting_cannot_share_a_grid_chart():
    configs = [TrainConfig(batch_size=16), TrainConfig(batch_size=32, learning_rate=0.1),
               TrainConfig(optimizer="sgd")]
    with pytest.raises(ConfigError, match="differ in optimizer, learning_rate, batch_size"):
        grid_axes(configs)


def cells(best: dict[tuple[int, float], float | None]) -> pd.DataFrame:
    return pd.DataFrame([{"batch_size": b, "learning_rate": lr, "best_val_loss": v, "runs": 1,
                          "diverged": int(v is None), "unstable": 0} for (b, lr), v in best.items()])


def test_a_batch_sizes_best_lr_at_the_smallest_or_largest_lr_tried_is_at_the_edge_of_the_grid():
    grid = cells({(16, 0.01): 0.5, (16, 0.03): 0.4, (16, 0.1): 0.45,  # inside
                  (64, 0.01): 0.6, (64, 0.03): 0.5, (64, 0.1): 0.3,  # the largest is best
                  (256, 0.01): 0.9, (256, 0.03): 0.8, (256, 0.1): None})  # 0.1 diverged: 0.03 is best, inside
    assert lrs_at_the_edge(grid, "best_val_loss", higher_is_better=False) == [(64, 0.1)]
    assert lrs_at_the_edge(grid.assign(best_val_loss=-grid["best_val_loss"]), "best_val_loss",
                           higher_is_better=True) == [(64, 0.1)]


def test_two_learning_rates_have_no_inside_so_no_edge_is_flagged():
    assert lrs_at_the_edge(cells({(16, 0.01): 0.5, (16, 0.1): 0.4}), "best_val_loss", False) == []


def test_the_summary_gives_every_run_its_noise_temperature():
    momentum = TrainConfig(dataset="linear", model="linear", optimizer="momentum", learning_rate=0.1,
                           batch_size=32, momentum=0.9)
    summary = summary_table([view(momentum, "completed", [row(1, 0.5, 0.6)])])
    assert summary.loc[0, "temperature"] == pytest.approx(0.1 / (32 * 0.1))
