"""The Sharpness page's "small vs large batch" preset: its two runs, their summary and a verdict.

Seed 003 repeats Keskar et al. (2017): a large batch ends in a sharper minimum, and a sharper
minimum generalizes worse. The preset trains one config at a small and at a large batch size,
and this module says from the measured numbers whether each link of that claim showed up —
and says so plainly when it did not, instead of repeating the claim as a fact.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from core.analysis.sharpness import edge_of_stability
from core.experiments.findings import Finding, Outcome
from core.messages import Message
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.record import RunResult, Status

DEFAULTS = {  # train in seconds on a 2-core CPU, and both batch sizes reach a fair accuracy
    "dataset": "mnist1d", "model": "cnn1d", "optimizer": "adam", "learning_rate": 0.01, "epochs": 30,
    "small_batch": 16, "large_batch": 512, "seed": 0,
}
GRADIENT_STEPS = ("sgd", "momentum")  # optimizers whose update is the gradient times the LR
LARGE_SHARPER = Message("sharp_preset.large_sharper", "Large batch → sharper minimum")
SHARPER_WORSE = Message("sharp_preset.sharper_worse", "Sharper → worse generalization")


def preset_configs(base: TrainConfig, small_batch: int, large_batch: int) -> tuple[TrainConfig, TrainConfig]:
    """`base` at the two batch sizes; ConfigError (naming the problem) if they cannot be compared."""
    if small_batch >= large_batch:
        raise ConfigError(Message("sharp_preset.small_not_below_large",
                                  "The small batch ({small}) must be smaller than the large batch ({large}).",
                                  small=small_batch, large=large_batch))
    return dataclasses.replace(base, batch_size=small_batch), dataclasses.replace(base, batch_size=large_batch)


@dataclass(frozen=True)
class RunSummary:
    """One run's row of the preset's table."""

    batch_size: int
    learning_rate: float
    status: Status
    sharpness: float | None  # top Hessian eigenvalue of the training loss at the final weights
    stability_edge: float | None  # 2/η (SGD) or (2 + 2β)/η (momentum): GD diverges above it; None for Adam
    final_train_loss: float | None
    best_val_loss: float | None
    gap: float | None  # validation − training loss at the best epoch: how much worse unseen data does
    test_acc: float | None

    @classmethod
    def of(cls, result: RunResult) -> RunSummary:
        best, last = result.best_row, (result.rows[-1] if result.rows else None)
        # The bound is about gradient steps; Adam rescales each parameter's step, so it has none.
        config = result.config
        edge = (edge_of_stability(config.learning_rate, config.momentum if config.optimizer == "momentum" else 0.0)
                if config.optimizer in GRADIENT_STEPS else None)
        return cls(result.config.batch_size, result.config.learning_rate, result.status, result.sharpness, edge,
                   last["train_loss"] if last else None, best["val_loss"] if best else None,
                   best["val_loss"] - best["train_loss"] if best else None, result.test_acc)


@dataclass(frozen=True)
class Verdict:
    sharper: Finding  # LARGE_SHARPER; a Finding's claim and evidence are Messages here
    worse: Finding  # SHARPER_WORSE

    @property
    def held(self) -> bool | None:
        """Whether the whole claim showed up: True only if both links did; None if either is undecided."""
        outcomes = (self.sharper.outcome, self.worse.outcome)
        if Outcome.NOT_HELD in outcomes:
            return False
        return True if outcomes == (Outcome.HELD, Outcome.HELD) else None

    @property
    def summary(self) -> Message:
        if self.held:
            return Message("sharp_preset.held", "The seeds' claim showed up on this data: the large batch ended "
                           "sharper and generalized worse.")
        if self.held is None:
            return Message("sharp_preset.undecided", "These runs cannot decide the seeds' claim yet (a run is missing "
                           "a number it needs).")
        broken = [f.claim for f in (self.sharper, self.worse) if f.outcome == Outcome.NOT_HELD]
        if len(broken) == 1:
            return Message("sharp_preset.not_held_one", "The seeds' claim did not show up on this data: “{claim}” "
                           "did not hold here. One pair of runs on one small dataset is no proof either way; try "
                           "other seeds or settings.", claim=broken[0])
        return Message("sharp_preset.not_held_both", "The seeds' claim did not show up on this data: “{first}” and "
                       "“{second}” did not hold here. One pair of runs on one small dataset is no proof either way; "
                       "try other seeds or settings.", first=broken[0], second=broken[1])


def verdict(small: RunSummary, large: RunSummary) -> Verdict:
    """Check both links of the claim on the two runs, with the numbers that decided each."""
    return Verdict(_large_is_sharper(small, large), _sharper_is_worse(small, large))


def _large_is_sharper(small: RunSummary, large: RunSummary) -> Finding:
    if small.sharpness is None or large.sharpness is None:
        unmeasured = [r.batch_size for r in (small, large) if r.sharpness is None]
        if len(unmeasured) == 1:
            return Finding(LARGE_SHARPER, Outcome.MISSING, Message(
                "sharp_preset.no_sharpness_one", "No sharpness for batch {batch} (a run that diverged or was stopped "
                "has none).", batch=unmeasured[0]))
        return Finding(LARGE_SHARPER, Outcome.MISSING, Message(
            "sharp_preset.no_sharpness_both", "No sharpness for batch {small} and batch {large} (a run that diverged "
            "or was stopped has none).", small=unmeasured[0], large=unmeasured[1]))
    ratio = (Message("sharp_preset.ratio", " ({ratio:.2g}×)", ratio=large.sharpness / small.sharpness)
             if small.sharpness > 0 else "")
    return Finding(LARGE_SHARPER, _held(large.sharpness > small.sharpness), Message(
        "sharp_preset.sharper_evidence", "sharpness {large:.4g} at batch {large_batch} vs {small:.4g} at batch "
        "{small_batch}{ratio}", large=large.sharpness, large_batch=large.batch_size, small=small.sharpness,
        small_batch=small.batch_size, ratio=ratio))


def _sharper_is_worse(small: RunSummary, large: RunSummary) -> Finding:
    """The sharper run generalizes worse: a larger gap, or a higher best validation loss."""
    if small.sharpness is None or large.sharpness is None:
        return Finding(SHARPER_WORSE, Outcome.MISSING, Message("sharp_preset.needs_sharpness",
                                                    "Needs the sharpness of both runs."))
    if small.sharpness == large.sharpness:
        return Finding(SHARPER_WORSE, Outcome.UNDECIDED, Message("sharp_preset.equally_sharp",
                                                                 "Both runs are equally sharp."))
    sharp, flat = (large, small) if large.sharpness > small.sharpness else (small, large)
    if sharp.gap is None or flat.gap is None or sharp.best_val_loss is None or flat.best_val_loss is None:
        return Finding(SHARPER_WORSE, Outcome.MISSING, Message(
            "sharp_preset.needs_validation", "Needs a validation loss for both runs (a validation share above 0)."))
    held = sharp.gap > flat.gap or sharp.best_val_loss > flat.best_val_loss
    return Finding(SHARPER_WORSE, _held(held), Message(
        "sharp_preset.worse_evidence", "the sharper run (batch {sharp_batch}) has gap {sharp_gap:.4f} vs "
        "{flat_gap:.4f} and best validation loss {sharp_val:.4f} vs {flat_val:.4f} (batch {flat_batch})",
        sharp_batch=sharp.batch_size, sharp_gap=sharp.gap, flat_gap=flat.gap, sharp_val=sharp.best_val_loss,
        flat_val=flat.best_val_loss, flat_batch=flat.batch_size))


def _held(held: bool) -> Outcome:
    return Outcome.HELD if held else Outcome.NOT_HELD
