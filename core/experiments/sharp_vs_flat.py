"""The Sharpness page's "small vs large batch" preset: its runs over seeds, their summary and a verdict.

Seed 003 repeats Keskar et al. (2017): a large batch ends in a sharper minimum, and a sharper
minimum generalizes worse. The preset trains one config at a small and at a large batch size, once
per seed, and decides each link of that claim with the findings' rule (core.experiments.findings:
held only when every seed of one arm is beyond every seed of the other, by more than a tolerance;
not held when the data show the opposite; undecided inside the spread, or when the two batch sizes
ended at different stages of training) — and says so plainly when the claim does not show up.

The sharpness, the training loss and the validation loss of a run are all measured at the same
weights, those the run ends with (RunResult.final_weights_row), so the gap that is set beside a
sharpness belongs to the minimum that sharpness describes.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

from core.analysis.sharpness import edge_of_stability
from core.experiments.findings import (
    MIN_SEEDS,
    Arm,
    Decision,
    Finding,
    Outcome,
    batch_name,
    decide,
    finding,
    missing,
)
from core.messages import Message
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.record import RunResult, Status

DEFAULTS = {  # train in a minute or two on a 2-core CPU, and both batch sizes reach a fair accuracy
    "dataset": "mnist1d", "model": "cnn1d", "optimizer": "adam", "learning_rate": 0.01, "epochs": 30,
    "small_batch": 16, "large_batch": 512, "seed": 0, "seeds": 3,
}
MAX_SEEDS = 5
GRADIENT_STEPS = ("sgd", "momentum")  # optimizers whose update is the gradient times the LR
# A sharper arm must exceed the flatter by more than this share of the flatter one's mean sharpness:
# the power iteration stops within 0.3% of the true eigenvalue, but three seeds understate the spread
# of a quantity that varies several-fold between runs, so a difference under 10% is not called one.
SHARPNESS_TOLERANCE = 0.10
GAP_TOLERANCE = 0.01  # the same for the generalization gap, in units of the loss
# The two batch sizes are compared only when their mean training losses (at the measured weights) are
# within this factor: sharpness and gap both change as the fit goes on (a cross-entropy loss's Hessian
# shrinks towards 0 with the loss), so a less-trained run looks sharper for that reason alone.
SAME_STAGE_RATIO = 2.0
LARGE_SHARPER = Message("sharp_preset.large_sharper", "Large batch → sharper minimum")
SHARPER_WORSE = Message("sharp_preset.sharper_worse", "Sharper → worse generalization")


def preset_configs(base: TrainConfig, small_batch: int, large_batch: int, seeds: int = 1) -> list[TrainConfig]:
    """`base` at the two batch sizes, for seeds base.seed … base.seed + seeds − 1 (small batch first);
    ConfigError (naming the problem) if they cannot be compared."""
    if small_batch >= large_batch:
        raise ConfigError(Message("sharp_preset.small_not_below_large",
                                  "The small batch ({small}) must be smaller than the large batch ({large}).",
                                  small=small_batch, large=large_batch))
    if not 1 <= seeds <= MAX_SEEDS:
        raise ConfigError(Message("sharp_preset.seeds", "The number of seeds must be between 1 and {most}, got "
                                  "{seeds}.", most=MAX_SEEDS, seeds=seeds))
    return [dataclasses.replace(base, batch_size=batch, seed=base.seed + i)
            for batch in (small_batch, large_batch) for i in range(seeds)]


@dataclass(frozen=True)
class RunSummary:
    """One run's row of the preset's table: every number measured at the weights the run ended with."""

    batch_size: int
    learning_rate: float
    seed: int
    status: Status
    sharpness: float | None  # top Hessian eigenvalue of the training loss
    converged: bool | None  # whether its power iteration converged; None: not recorded (stored before schema 4)
    stability_edge: float | None  # 2/η (SGD) or (2 + 2β)/η (momentum): GD diverges above it; None for Adam
    epoch: int | None  # the epoch of those weights: the last one, or the best one if early stopping restored it
    train_loss: float | None  # evaluated at those weights
    val_loss: float | None
    gap: float | None  # validation − training loss: how much worse unseen data does
    test_acc: float | None

    @classmethod
    def of(cls, result: RunResult) -> RunSummary:
        config, row = result.config, result.final_weights_row
        # The bound is about gradient steps; Adam rescales each parameter's step, so it has none.
        edge = (edge_of_stability(config.learning_rate, config.momentum if config.optimizer == "momentum" else 0.0)
                if config.optimizer in GRADIENT_STEPS else None)
        train, val = (_finite(row["train_loss"]), _finite(row["val_loss"])) if row else (None, None)
        return cls(config.batch_size, config.learning_rate, config.seed, result.status, result.sharpness,
                   result.sharpness_converged, edge, row["epoch"] if row else None, train, val,
                   val - train if train is not None and val is not None else None, result.test_acc)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class Verdict:
    sharper: Finding  # LARGE_SHARPER
    worse: Finding  # SHARPER_WORSE
    seeds: int  # per batch size

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
            return Message("sharp_preset.held", "The seeds' claim showed up on this data: over {seeds} seeds the "
                           "large batch ended sharper and generalized worse, both beyond the seed-to-seed spread. "
                           "This is one model on one small dataset, at equal epochs (so far fewer updates for the "
                           "large batch).", seeds=self.seeds)
        if self.held is None:
            open_link = next(f for f in (self.sharper, self.worse) if f.outcome not in (Outcome.HELD,))
            why = open_link.why or open_link.evidence
            return Message("sharp_preset.undecided", "These runs do not decide the seeds' claim: “{claim}” is "
                           "undecided ({why}).", claim=open_link.claim, why=why)
        broken = [f.claim for f in (self.sharper, self.worse) if f.outcome == Outcome.NOT_HELD]
        if len(broken) == 1:
            return Message("sharp_preset.not_held_one", "The seeds' claim did not show up on this data: over {seeds} "
                           "seeds, “{claim}” did not hold here. One small dataset is no proof either way; try other "
                           "settings.", seeds=self.seeds, claim=broken[0])
        return Message("sharp_preset.not_held_both", "The seeds' claim did not show up on this data: over {seeds} "
                       "seeds, “{first}” and “{second}” did not hold here. One small dataset is no proof either way; "
                       "try other settings.", seeds=self.seeds, first=broken[0], second=broken[1])


def verdict(runs: Sequence[RunSummary]) -> Verdict:
    """Both links of the claim, decided over the seeds of the smallest and the largest batch in `runs`."""
    batches = sorted({r.batch_size for r in runs})
    small = [r for r in runs if r.batch_size == batches[0]] if batches else []
    large = [r for r in runs if r.batch_size == batches[-1]] if len(batches) > 1 else []
    seeds = max(len(small), len(large))
    if not small or not large:
        return Verdict(missing(LARGE_SHARPER), missing(SHARPER_WORSE), seeds)
    losses = [_arm(Message("sharp_preset.loss_arm", "training loss at {batch}", batch=batch_name(runs[0].batch_size)),
                   runs, "train_loss") for runs in (small, large)]
    stage = _different_stage(*losses)
    sharper = _large_is_sharper(small, large, stage, losses)
    return Verdict(sharper, _sharper_is_worse(small, large, sharper.outcome, stage), seeds)


def _arm(name: Message, runs: Sequence[RunSummary], value: str) -> Arm:
    """The seeds of one batch size with `value` measured; a diverged seed has none and is counted."""
    measured = [r for r in runs if getattr(r, value) is not None]
    return Arm(name, tuple(getattr(r, value) for r in measured),
               diverged=sum(r.status == Status.DIVERGED for r in runs),
               unstable=sum(r.status == Status.UNSTABLE for r in measured))


def _different_stage(small: Arm, large: Arm) -> Decision | None:
    """Undecided when the batch sizes ended at training losses more than SAME_STAGE_RATIO apart (with
    too few seeds to decide anyway, the findings' rule says so instead)."""
    if min(len(small.values), len(large.values)) < MIN_SEEDS or min(small.mean, large.mean) <= 0:
        return None
    if max(small.mean, large.mean) <= SAME_STAGE_RATIO * min(small.mean, large.mean):
        return None
    return Decision(Outcome.UNDECIDED, Message(
        "sharp_preset.different_stage", "the batch sizes ended at different stages of training, at mean training "
        "losses {small:.3g} and {large:.3g} (more than {ratio:g}× apart), and sharpness and gap both change as the "
        "fit goes on: train until both reach a similar training loss", small=small.mean, large=large.mean,
        ratio=SAME_STAGE_RATIO))


def _large_is_sharper(small: Sequence[RunSummary], large: Sequence[RunSummary], stage: Decision | None,
                      losses: Sequence[Arm]) -> Finding:
    arms = [_arm(batch_name(runs[0].batch_size), runs, "sharpness") for runs in (small, large)]
    flatter = min((abs(a.mean) for a in arms if a.values), default=math.nan)
    margin = SHARPNESS_TOLERANCE * flatter if math.isfinite(flatter) else 0.0
    extra = []
    if all(a.values for a in arms) and arms[0].mean > 0:
        extra.append(Message("sharp_preset.ratio", "the large batch's mean is {ratio:.3g}× the small batch's",
                             ratio=arms[1].mean / arms[0].mean))
    unconverged = [r for r in (*small, *large) if r.converged is False]
    if unconverged:
        extra.append(Message("sharp_preset.unconverged", "the power iteration did not converge for {runs} (its "
                             "value is a lower estimate)",
                             runs=", ".join(f"B {r.batch_size} seed {r.seed}" for r in unconverged)))
    if any(r.sharpness is not None and r.sharpness < 0 for r in (*small, *large)):
        extra.append(Message("sharp_preset.negative", "a negative value means the strongest curvature bends down: "
                             "that run ended near a saddle, not a minimum"))
    extra += [loss.describe() for loss in losses]
    return finding(LARGE_SHARPER, stage or decide(arms[0], arms[1], margin=margin), arms, extra)


def _sharper_is_worse(small: Sequence[RunSummary], large: Sequence[RunSummary], sharper: Outcome,
                      stage: Decision | None) -> Finding:
    """The sharper batch size (as decided) has the larger generalization gap at the same weights."""
    arms = [_arm(Message("sharp_preset.gap_arm", "gap at {batch}", batch=batch_name(runs[0].batch_size)), runs, "gap")
            for runs in (small, large)]
    if not any(r.val_loss is not None for r in (*small, *large)):
        return Finding(SHARPER_WORSE, Outcome.MISSING, Message(
            "sharp_preset.needs_validation", "Needs a validation loss for both batch sizes (a validation share "
            "above 0)."))
    if stage is not None:
        decision = stage
    elif sharper == Outcome.HELD:
        decision = decide(arms[0], arms[1], margin=GAP_TOLERANCE)
    elif sharper == Outcome.NOT_HELD:  # the small batch ended sharper: its gap should then be the larger
        decision = decide(arms[1], arms[0], margin=GAP_TOLERANCE)
    else:
        decision = Decision(Outcome.UNDECIDED, Message("sharp_preset.no_sharper_run", "which batch size ends "
                                                       "sharper is undecided, so there is no sharper one to judge"))
    return finding(SHARPER_WORSE, decision, arms)
