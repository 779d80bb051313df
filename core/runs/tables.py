"""Tables of runs: what the pages show and the charts draw, from live jobs and stored runs alike.

Every function takes runs as anything with a config, a status and rows (a `Run`: a job's view
or a stored run), so that a sweep in progress and the runs on the Compare page are summarised
by the same code, with the best epoch by the engine's rule (core.training.record.best_epoch).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Protocol

import numpy as np
import pandas as pd

from core.analysis.scaling import noise_temperature
from core.analysis.smoothing import DebiasedEMA
from core.charts import X_AXES
from core.messages import Message, Text
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.record import BLEW_UP, HISTORY_COLUMNS, HistoryRow, Status, best_epoch, epochs_in


class Run(Protocol):
    """What a table needs of a run: core.jobs.JobView and core.runs.StoredRun both have it."""

    @property
    def id(self) -> str: ...

    @property
    def config(self) -> TrainConfig: ...

    @property
    def status(self) -> Status: ...

    @property
    def rows(self) -> Sequence[HistoryRow]: ...

    @property
    def wall_time(self) -> float | None: ...


# --------------------------------------------------------------------------- naming runs

def group_key(config: TrainConfig) -> str:
    """Runs with the same group differ only in their seed: repeats of one setting."""
    return dataclasses.replace(config, seed=0).key


def run_label(config: TrainConfig, with_epochs: bool = False, with_seed: bool = False, text: Text = str) -> str:
    label = text(Message("label.run", "B {batch} · LR {lr:g}", batch=config.batch_size, lr=config.learning_rate))
    if with_epochs:
        label += " · " + text(Message("label.epochs", "{epochs} ep", epochs=config.epochs))
    if with_seed:
        label += " · " + text(Message("label.seed", "seed {seed}", seed=config.seed))
    return label


def labeller(configs: Sequence[TrainConfig], text: Text = str) -> Callable[[TrainConfig], str]:
    """A labelling function naming only what varies among `configs`."""
    vary_epochs = len({c.epochs for c in configs}) > 1
    vary_seed = len({c.seed for c in configs}) > 1
    return lambda c: run_label(c, vary_epochs, vary_seed, text)


# --------------------------------------------------------------------------- choosing stored runs

def filter_runs(runs: pd.DataFrame, picked: Mapping[str, Collection[object]], text: str = "") -> pd.DataFrame:
    """The rows of a store's run table (RunStore.runs) that have one of the picked values in every
    column with a pick, and whose name or tags contain `text` (case aside)."""
    shown = runs
    for column, values in picked.items():
        if values:
            shown = shown[shown[column].isin(list(values))]
    if text:
        needle = text.lower()
        shown = shown[shown["name"].str.lower().str.contains(needle, regex=False)
                      | shown["tags"].str.lower().str.contains(needle, regex=False)]
    return shown


# --------------------------------------------------------------------------- one row per run

SUMMARY_COLUMNS = ["run", "label", "status", "batch_size", "learning_rate", "epochs", "seed", "epochs_run",
                   "updates", "best_val_loss", "best_val_acc", "final_train_loss", "wall_time", "temperature"]


def summary_table(runs: Sequence[Run], text: Text = str, labels: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per run: its settings, status and the validation metrics of its best epoch.

    `labels` names the runs (by default what varies among them, see `labeller`)."""
    label = labeller([r.config for r in runs], text)
    rows = []
    for i, run in enumerate(runs):
        best = best_epoch(run.rows, run.status, run.config)
        best_row = next((r for r in run.rows if r["epoch"] == best), None)
        last = run.rows[-1] if run.rows else None
        rows.append({
            "run": run.id, "label": labels[i] if labels is not None else label(run.config), "status": run.status,
            "batch_size": run.config.batch_size, "learning_rate": run.config.learning_rate,
            "epochs": run.config.epochs, "seed": run.config.seed, "epochs_run": epochs_in(run.rows),
            "updates": last["step"] if last else 0,
            "best_val_loss": best_row["val_loss"] if best_row else None,
            "best_val_acc": best_row["val_acc"] if best_row else None,
            "final_train_loss": last["train_loss"] if last else None,
            "wall_time": run.wall_time, "temperature": noise_temperature(run.config),
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


GRID_FIELDS = ("batch_size", "learning_rate", "epochs")  # the settings a grid chart lays out, in their order


def grid_axes(configs: Sequence[TrainConfig]) -> tuple[str, str]:
    """The two settings a grid of runs varies, as (rows, columns) of its charts: batch × LR for most
    grids, batch × epochs for seed 001's. Runs that differ in anything else than these and the seed
    would share a cell, so such a grid is refused (ConfigError naming the settings)."""
    differ = [name for name in configs[0].canonical() if name != "seed"
              and len({json.dumps(c.canonical().get(name)) for c in configs}) > 1] if configs else []
    if any(name not in GRID_FIELDS for name in differ) or len(differ) > 2:
        raise ConfigError(Message("grid.too_many_axes", "These runs differ in {fields}; a grid chart lays out "
                                  "two of batch size, learning rate and epochs.", fields=", ".join(differ)))
    axes = [name for name in GRID_FIELDS if name in differ]
    axes += [name for name in GRID_FIELDS if name not in axes][:2 - len(axes)]
    rows, columns = sorted(axes, key=GRID_FIELDS.index)
    return rows, columns


def cell_table(summary: pd.DataFrame, metric: str, rows: str = "batch_size",
               columns: str = "learning_rate") -> pd.DataFrame:
    """The heatmap's cells: per (rows, columns) value, the mean best metric over the runs there (repeats
    of one setting, by grid_axes), how many of them diverged and how many were unstable (they
    stay in the mean: the cell says how many did not train)."""
    grouped = summary.groupby([rows, columns], as_index=False)
    return grouped.agg(value=(metric, "mean"), runs=("run", "count"),
                       diverged=("status", lambda s: int((s == Status.DIVERGED).sum())),
                       unstable=("status", lambda s: int((s == Status.UNSTABLE).sum()))).rename(
        columns={"value": metric})


def lrs_at_the_edge(cells: pd.DataFrame, metric: str, higher_is_better: bool) -> list[tuple[int, float]]:
    """The batch sizes (with three or more learning rates tried) whose best learning rate, by the mean
    best metric of cell_table's cells, is the smallest or the largest tried: the tuning playbook's "bad
    search-space boundary", where the optimum may lie beyond the grid. Cells where every run diverged
    have no metric and cannot be best."""
    found = []
    trained = cells.dropna(subset=[metric])
    for batch in sorted(set(trained["batch_size"])):
        tried = sorted(cells.loc[cells["batch_size"] == batch, "learning_rate"])
        group = trained[trained["batch_size"] == batch].sort_values(metric, ascending=not higher_is_better)
        best = float(group["learning_rate"].iloc[0])
        if len(tried) >= 3 and best in (tried[0], tried[-1]):
            found.append((int(batch), best))
    return found


# --------------------------------------------------------------------------- one row per epoch

def stacked_histories(runs: Sequence[Run]) -> tuple[list[Run], pd.DataFrame, np.ndarray]:
    """The runs that have epochs, their histories in one frame (HISTORY_COLUMNS), and each row's run (an
    index into the first). Built at once: a frame per run cost 3 ms each, 94 ms for a class board of 30."""
    shown = [run for run in runs if run.rows]
    rows = pd.DataFrame.from_records([row for run in shown for row in run.rows], columns=HISTORY_COLUMNS)
    return shown, rows, np.repeat(np.arange(len(shown)), [len(run.rows) for run in shown])


def per_row(values: Sequence[object], owner: np.ndarray) -> np.ndarray:
    """A value per run, repeated for each of its rows in stacked_histories' frame."""
    each = np.empty(len(values), dtype=object)  # filled one by one: a tuple stays one value
    for index, value in enumerate(values):
        each[index] = value
    return each[owner]


def curves_table(runs: Sequence[Run], text: Text = str) -> pd.DataFrame:
    """Train and validation loss per epoch of every run, long form, for the small multiples."""
    label = labeller([r.config for r in runs], text)
    shown, history, owner = stacked_histories(runs)
    parts = []
    for split, column in (("train", "train_loss"), ("validation", "val_loss")):
        part = history[["epoch", "step", "samples"]].copy()
        part["value"] = history[column].where(history[column].abs() < float("inf"))
        part["split"], part["run"] = split, per_row([run.id for run in shown], owner)
        part["label"] = per_row([label(run.config) for run in shown], owner)
        part["batch_size"] = per_row([run.config.batch_size for run in shown], owner).astype(int)
        part["learning_rate"] = per_row([run.config.learning_rate for run in shown], owner).astype(float)
        part["epochs"] = per_row([run.config.epochs for run in shown], owner).astype(int)
        parts.append(part)
    # each run's train rows, then its validation rows, as drawn
    order = np.argsort(np.concatenate([owner * 2, owner * 2 + 1]), kind="stable")
    columns = ["epoch", "step", "samples", "value", "split", "run", "label", "batch_size", "learning_rate", "epochs"]
    if not shown:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True).iloc[order].reset_index(drop=True)[columns]


def ema(values: pd.Series, smoothing: float) -> pd.Series:
    """TensorBoard's smoothing: the debiased EMA (β = smoothing) of the values, gaps left as gaps."""
    if smoothing <= 0:
        return values
    average = DebiasedEMA(smoothing)
    return pd.Series([v if pd.isna(v) else average.add(v) for v in values], index=values.index)


def runs_table(runs: Sequence[Run], metric: str, labels: Sequence[str] | None = None,
               smoothing: float = 0.0, text: Text = str) -> pd.DataFrame:
    """Long table of one metric ("gap" is val − train loss) for an overlay: one row per (run, epoch).

    Runs with the same group (`group_key`) differ only by seed, and are drawn as mean ± spread."""
    label = labeller([r.config for r in runs], text)
    names = [labels[i] if labels is not None else label(run.config) for i, run in enumerate(runs) if run.rows]
    columns = [*X_AXES, "value", "run", "label", "batch_size", "learning_rate", "group"]
    shown, history, owner = stacked_histories(runs)
    if not shown:
        return pd.DataFrame(columns=columns)
    value = (history["val_loss"] - history["train_loss"] if metric == "gap" else history[metric]).astype(float)
    value = value.where(value.abs() != float("inf"))
    if smoothing > 0:  # each run's own average
        value = value.groupby(owner).transform(lambda part: ema(part, smoothing))
    table = history[list(X_AXES)].copy()
    table["value"] = value
    table["run"], table["label"] = per_row([run.id for run in shown], owner), per_row(names, owner)
    table["batch_size"] = per_row([run.config.batch_size for run in shown], owner).astype(int)
    table["learning_rate"] = per_row([run.config.learning_rate for run in shown], owner).astype(float)
    table["group"] = per_row([group_key(run.config) for run in shown], owner)
    return table[columns]


def loss_metric(runs: Sequence[Run]) -> str:
    """The loss to compare runs on: the validation loss, unless no run has one (no validation set)."""
    measured = any(not pd.isna(row["val_loss"]) for run in runs for row in run.rows)
    return "val_loss" if measured else "train_loss"


def blew_up(runs: Sequence[Run], labels: Sequence[str]) -> set[str]:
    """The labels of the runs that diverged or failed: fit_y_range leaves them out of the range."""
    return {label for run, label in zip(runs, labels, strict=True) if run.status in BLEW_UP}


def fit_y_range(table: pd.DataFrame, unstable: Collection[str] = frozenset()) -> tuple[float, float, list[str]] | None:
    """A y range that fits the stable runs of a runs_table, and the labels of the runs above it.

    None when no run squashes the others. A run is stable when its label is not in `unstable`
    (diverged or failed) and its largest value is within 10× of the smallest run's largest value
    (a run still blowing up is not marked diverged until its loss leaves the numbers). The range
    is only narrowed when some run goes more than 1.5× above the highest stable point.
    """
    values = table.dropna(subset=["value"])
    if values.empty:
        return None
    highs, lows = values.groupby("label")["value"].max(), values.groupby("label")["value"].min()
    stable = highs[[label not in unstable for label in highs.index]]
    if not stable.empty and stable.min() > 0:
        stable = stable[stable <= 10 * stable.min()]
    if stable.empty:
        return None
    top = float(stable.max())
    if top <= 0 or highs.max() <= 1.5 * top:
        return None
    top *= 1.1  # a margin above the highest stable point
    return min(0.0, float(lows[stable.index].min())), top, [str(label) for label, high in highs.items() if high > top]


