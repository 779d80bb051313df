"""Grids of runs: building them, the seeds' experiments as presets, and following their progress.

A sweep is just a list of configs handed to an executor: anything with
`submit(config)`, `view(key)` and `cancel(key)`, such as `core.jobs.JobPool`, whose
worker processes train as many runs at once as there are cores. Another backend (a Ray
cluster, say) only has to offer the same three methods; the pages never know which runs.
"""

from __future__ import annotations

import dataclasses
import itertools
import statistics
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from core.config import TrainConfig
from core.datasets import CIFAR10_FOLDER, data_dir
from core.jobs import JobView
from core.messages import Message, Text


class Executor(Protocol):
    def submit(self, config: TrainConfig): ...
    def view(self, key: str) -> JobView | None: ...
    def cancel(self, key: str) -> None: ...


def grid(base: TrainConfig, batch_sizes, learning_rates, seeds=None) -> list[TrainConfig]:
    """Every batch size × learning rate × seed, the other settings taken from `base`."""
    seeds = tuple(seeds) if seeds else (base.seed,)
    return [dataclasses.replace(base, batch_size=int(b), learning_rate=float(lr), seed=int(s))
            for b, lr, s in itertools.product(batch_sizes, learning_rates, seeds)]


def with_seeds(configs: list[TrainConfig], seeds) -> list[TrainConfig]:
    return [dataclasses.replace(c, seed=int(s)) for c in configs for s in seeds]


@dataclass(frozen=True)
class Preset:
    name: str
    title: Message
    description: Message  # what the seed claimed, so the page can put it next to what was measured
    configs: tuple[TrainConfig, ...]


def cifar10_available() -> bool:
    folder = data_dir() / CIFAR10_FOLDER
    return all((folder / f).exists() for f in [*(f"data_batch_{i}" for i in range(1, 6)), "test_batch"])


def presets() -> dict[str, Preset]:
    """The seed blog posts' experiments. Seed 000 uses CIFAR-10 when its files are here, else digits."""
    images = (TrainConfig(dataset="cifar10", model="cnn", classes=(0, 1, 2)) if cifar10_available()
              else TrainConfig(dataset="digits", model="cnn"))
    seed000 = dataclasses.replace(images, optimizer="adam", epochs=20)
    linear = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1)
    signals = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="sgd", learning_rate=0.1, batch_size=64,
                          epochs=15)
    base_lr = signals.learning_rate
    found = [
        Preset("seed000", Message("preset.seed000_title",
                                  "Seed 000 · batch {{16, 64, 256}} × LR {{0.001, 0.01}}, 20 epochs ({dataset})",
                                  dataset=seed000.dataset),
               Message("preset.seed000_saw",
                       "Small batches gave noisier but good curves; batch 256 was smooth but its loss fell less in "
                       "the same number of epochs; LR 0.01 was unstable in some combinations where 0.001 was calm."),
               tuple(grid(seed000, (16, 64, 256), (0.001, 0.01)))),
        Preset("seed001", Message("preset.seed001_title",
                                  "Seed 001 · linear regression, SGD LR 0.1, (epochs, batch) = (5|20, 16|128)"),
               Message("preset.seed001_saw",
                       "Batch 16 makes 8× more updates per epoch and its loss falls faster; after enough epochs "
                       "every combination ends near the same loss (the noise variance, 0.09)."),
               tuple(dataclasses.replace(linear, epochs=e, batch_size=b) for e, b in
                     [(5, 16), (5, 128), (20, 16), (20, 128)])),
        Preset("seed002-lr", Message("preset.seed002_lr_title",
                                     "Seed 002 · LR ×¼, ×½, ×1, ×2, ×4 around 0.1 at batch 64, 15 epochs (MNIST-1D)"),
               Message("preset.seed002_lr_saw",
                       "Fix the epochs and the batch size, try the learning rate at ×1, ×2, ×4, ×½, ×¼ and pick "
                       "from the loss curves."),
               tuple(dataclasses.replace(signals, learning_rate=base_lr * f) for f in (0.25, 0.5, 1, 2, 4))),
        Preset("seed002-scaling", Message("preset.seed002_scaling_title",
                                          "Seed 002 · linear-scaling pairs: batch ×k with LR ×k (MNIST-1D)"),
               Message("preset.seed002_scaling_saw",
                       "Scaling the learning rate with the batch size (new LR = old LR × new B / old B) should keep "
                       "the curves close when drawn against samples seen — but not exactly the same."),
               tuple(dataclasses.replace(signals, batch_size=64 * k // 2, learning_rate=base_lr * k / 2)
                     for k in (1, 2, 4, 8))),
        Preset("seed003", Message("preset.seed003_title",
                                  "Seed 003 · batch 64 / 128 / 256 with the LR scaled linearly vs kept fixed "
                                  "(MNIST-1D)"),
               Message("preset.seed003_saw",
                       "Large batches may converge to sharper minima and generalize worse; watch the validation "
                       "loss."),
               tuple(dict.fromkeys(
                   [dataclasses.replace(signals, batch_size=b, learning_rate=base_lr * b / 64) for b in (64, 128, 256)]
                   + [dataclasses.replace(signals, batch_size=b) for b in (64, 128, 256)]))),
    ]
    return {p.name: p for p in found}


@dataclass(frozen=True)
class SweepProgress:
    total: int
    done: int
    running: int
    queued: int
    failed: int
    seconds_left: float | None  # None until one run has finished

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


def progress(views: list[JobView | None], workers: int) -> SweepProgress:
    """Where a sweep stands, from the views of its jobs (None = unknown to the executor)."""
    known = [v for v in views if v is not None]
    done = [v for v in known if not v.active]
    durations = [v.result.wall_time for v in done if v.result is not None and v.result.wall_time > 0]
    remaining = len(views) - len(done)
    left = statistics.mean(durations) * remaining / max(1, workers) if durations else None
    return SweepProgress(total=len(views), done=len(done),
                         running=sum(v.status == "running" for v in known),
                         queued=sum(v.status == "queued" for v in known),
                         failed=sum(v.status == "failed" for v in known),
                         seconds_left=left if remaining else 0.0)


def group_key(config: TrainConfig) -> str:
    """Runs with the same group differ only in their seed: repeats of one setting."""
    return dataclasses.replace(config, seed=0).key


def run_label(config: TrainConfig, with_epochs: bool = False, with_seed: bool = False, text: Text = str) -> str:
    label = f"B {config.batch_size} · LR {config.learning_rate:g}"
    if with_epochs:
        label += " · " + text(Message("label.epochs", "{epochs} ep", epochs=config.epochs))
    if with_seed:
        label += " · " + text(Message("label.seed", "seed {seed}", seed=config.seed))
    return label


def labeller(configs: list[TrainConfig], text: Text = str):
    """A labelling function naming only what varies among `configs`."""
    vary_epochs = len({c.epochs for c in configs}) > 1
    vary_seed = len({c.seed for c in configs}) > 1
    return lambda c: run_label(c, vary_epochs, vary_seed, text)


def summary_table(views: list[JobView], text: Text = str) -> pd.DataFrame:
    """One row per run of a sweep: its settings, status and best validation metrics."""
    label = labeller([v.config for v in views], text)
    rows = []
    for v in views:
        history = pd.DataFrame(v.rows)
        finite = history[history["val_loss"].abs() < float("inf")] if not history.empty else history
        best = finite.loc[finite["val_loss"].idxmin()] if not finite.empty and finite["val_loss"].notna().any() else None
        rows.append({
            "run": v.config.key, "label": label(v.config), "status": v.status,
            "batch_size": v.config.batch_size, "learning_rate": v.config.learning_rate,
            "epochs": v.config.epochs, "seed": v.config.seed, "epochs_run": len(v.rows),
            "updates": int(history["step"].iloc[-1]) if not history.empty else 0,
            "best_val_loss": None if best is None else float(best["val_loss"]),
            "best_val_acc": None if best is None else float(best["val_acc"]),
            "final_train_loss": None if history.empty else float(history["train_loss"].iloc[-1]),
            "wall_time": v.result.wall_time if v.result is not None else None,
        })
    return pd.DataFrame(rows)


def cell_table(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The heatmap's cells: per batch size × learning rate, the mean best metric and whether any run diverged."""
    grouped = summary.groupby(["batch_size", "learning_rate"], as_index=False)
    return grouped.agg(value=(metric, "mean"), runs=("run", "count"),
                       diverged=("status", lambda s: bool((s == "diverged").any()))).rename(columns={"value": metric})


def curves_table(views: list[JobView], text: Text = str) -> pd.DataFrame:
    """Train and validation loss per epoch of every run, long form, for the small multiples."""
    label = labeller([v.config for v in views], text)
    parts = []
    for v in views:
        history = pd.DataFrame(v.rows)
        if history.empty:
            continue
        for split, column in (("train", "train_loss"), ("validation", "val_loss")):
            part = history[["epoch"]].copy()
            part["value"] = history[column].where(history[column].abs() < float("inf"))
            part["split"], part["run"], part["label"] = split, v.config.key, label(v.config)
            part["batch_size"], part["learning_rate"] = v.config.batch_size, v.config.learning_rate
            parts.append(part)
    columns = ["epoch", "value", "split", "run", "label", "batch_size", "learning_rate"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
