"""What the seed posts claimed, decided over seeds against what a sweep measured.

Every check gathers the runs of each arm of a claim (the settings it compares, one run per seed),
and answers held, not held or undecided, with the numbers it decided on: each arm's mean, its
range over the seeds, and how many seeds diverged or were unstable (counted, never averaged in).

The one decision rule (`decide`): a claim that arm A ends below arm B holds when every seed of A is
below every seed of B, is not held when every seed of B is below every seed of A, and is undecided
when the two ranges overlap (the difference is inside the seed-to-seed spread), when an arm has
fewer than two seeds with a number (no spread to judge against), or when a claim about where runs
end is judged on runs still improving at their last epoch ("train longer"). A claim about one
arm against a known value (seed 001's end loss) uses its range the same way.

An unstable seed keeps its numbers in its arm (it trained to the end, and a spike does not undo the
best epoch before it) and is counted as unstable; a diverged seed has no usable number and is counted
as diverged.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import torch

from core.messages import Message
from core.runs.tables import Run
from core.training.data import load_splits
from core.training.record import RAN_TO_THE_END, HistoryRow, Status, best_epoch

MIN_SEEDS = 2  # an arm needs this many seeds that trained before a difference can be told from noise
END_TOLERANCE = 0.05  # seed 001: "near the optimum" is within 5% above the least-squares training loss
CLOSE = 0.10  # seed 002: scaled runs are "close" when their mean best validation losses are within 10%
STILL_FALLING = 0.01  # a training loss that fell by more than 1% over the last epoch is still improving


class Outcome(StrEnum):
    HELD = "held"
    NOT_HELD = "not held"
    UNDECIDED = "undecided"
    MISSING = "missing"  # the runs this claim needs have not all finished


# --------------------------------------------------------------------------- what one run measured

@dataclass(frozen=True)
class Measured:
    """The numbers of one run that the claims are decided on (evaluated training loss, never the running one)."""

    batch_size: int
    learning_rate: float
    epochs: int
    seed: int
    trained: bool  # ran every epoch (completed, early stopped or unstable): its numbers are measured
    diverged: bool
    unstable: bool
    rows: tuple[HistoryRow, ...]
    best_epoch: int | None

    @classmethod
    def of(cls, run: Run) -> Measured:
        config = run.config
        return cls(config.batch_size, config.learning_rate, config.epochs, config.seed,
                   run.status in RAN_TO_THE_END or run.status == Status.UNSTABLE, run.status == Status.DIVERGED,
                   run.status == Status.UNSTABLE, tuple(run.rows), best_epoch(run.rows, run.status, config))

    @property
    def failed(self) -> bool:
        return self.diverged or self.unstable

    @property
    def last(self) -> HistoryRow:
        return self.rows[-1]

    @property
    def final_train_loss(self) -> float:
        return self.last["train_loss"]

    @property
    def best(self) -> HistoryRow | None:
        return next((r for r in self.rows if r["epoch"] == self.best_epoch), None)

    @property
    def best_val_loss(self) -> float:
        best = self.best
        return best["val_loss"] if best else math.nan

    @property
    def gap_at_best(self) -> float:
        """Validation minus (evaluated) training loss at the best epoch: the same weights."""
        best = self.best
        return best["val_loss"] - best["train_loss"] if best else math.nan

    @property
    def val_still_improving(self) -> bool:
        """The best validation loss came at the last epoch: more epochs might have lowered it further."""
        return self.best_epoch is not None and self.best_epoch == self.last["epoch"]

    @property
    def train_still_falling(self) -> bool:
        if len(self.rows) < 3:
            return True
        before, now = self.rows[-2]["train_loss"], self.rows[-1]["train_loss"]
        return before - now > STILL_FALLING * now

    @property
    def roughness(self) -> float:
        """How much the training loss climbed back, in total, as a share of its fall: 0 for a curve
        that only falls. Epoch 0 is the start; a spike or a wobble adds its rise."""
        losses = [r["train_loss"] for r in self.rows if math.isfinite(r["train_loss"])]
        fall = losses[0] - min(losses) if losses else 0.0
        rises = sum(max(0.0, b - a) for a, b in itertools.pairwise(losses))
        return rises / fall if fall > 0 else math.inf

    def at_train_loss(self, level: float) -> HistoryRow | None:
        """The first epoch whose training loss is at or below `level`."""
        return next((r for r in self.rows if r["epoch"] > 0 and r["train_loss"] <= level), None)

    def at_step(self, step: int) -> HistoryRow | None:
        """The first epoch that had made at least `step` updates."""
        return next((r for r in self.rows if r["step"] >= step), None)


# --------------------------------------------------------------------------- arms and the decision

@dataclass(frozen=True)
class Arm:
    """One side of a comparison: a name, the value of each seed with a number, and the seeds that failed."""

    name: Message
    values: tuple[float, ...]
    diverged: int = 0  # seeds without a number: they diverged
    unstable: int = 0  # seeds among `values` that were unstable
    improving: int = 0  # seeds still improving at their last epoch (counted by the claims about ends)

    @property
    def mean(self) -> float:
        return sum(self.values) / len(self.values) if self.values else math.nan

    @property
    def low(self) -> float:
        return min(self.values) if self.values else math.nan

    @property
    def high(self) -> float:
        return max(self.values) if self.values else math.nan

    @property
    def seeds(self) -> int:
        return len(self.values) + self.diverged

    def describe(self) -> Message:
        if not self.values:
            text = Message("findings.arm_none", "{name}: no seed trained", name=self.name)
        elif len(self.values) == 1:
            text = Message("findings.arm_one", "{name}: {mean:.4g} (1 seed)", name=self.name, mean=self.mean)
        else:
            text = Message("findings.arm", "{name}: {mean:.4g} ({low:.4g}–{high:.4g} over {n} seeds)",
                           name=self.name, mean=self.mean, low=self.low, high=self.high, n=len(self.values))
        if self.diverged:
            text = Message("findings.arm_diverged", "{arm}, {count} of {seeds} seeds diverged", arm=text,
                           count=self.diverged, seeds=self.seeds)
        if self.unstable:
            text = Message("findings.arm_unstable", "{arm}, {count} of {seeds} seeds unstable", arm=text,
                           count=self.unstable, seeds=self.seeds)
        return text


def arm(name: Message, runs: Sequence[Measured], value: Callable[[Measured], float],
        improving: Callable[[Measured], bool] | None = None) -> Arm:
    measured = [r for r in runs if r.trained and math.isfinite(value(r))]
    return Arm(name, tuple(value(r) for r in measured), diverged=sum(r.diverged for r in runs),
               unstable=sum(r.unstable for r in measured),
               improving=sum(improving(r) for r in measured) if improving else 0)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    why: Message


SEPARATED = Message("findings.separated", "every seed of one arm is on the claimed side of every seed of the other")
OPPOSITE = Message("findings.opposite", "every seed is on the other side: the data show the opposite")
OVERLAP = Message("findings.overlap", "the ranges overlap: the difference is inside the seed-to-seed spread")
FEW_SEEDS = Message("findings.few_seeds", "fewer than {n} seeds of an arm have a number: no spread to judge "
                    "the difference against", n=MIN_SEEDS)
TRAIN_LONGER = Message("findings.train_longer", "some runs were still improving at their last epoch: train longer")


def decide(lower: Arm, higher: Arm, ends: bool = False, margin: float = 0.0) -> Decision:
    """Whether `lower` ends below `higher`, over their seeds (the module's rule). `ends`: the claim is
    about where runs end, so runs still improving make it undecided. `margin`: how far apart the two
    ranges must be to count, for a measurement whose own error the seeds do not show."""
    if len(lower.values) < MIN_SEEDS or len(higher.values) < MIN_SEEDS:
        return Decision(Outcome.UNDECIDED, FEW_SEEDS)
    if ends and (lower.improving or higher.improving):
        return Decision(Outcome.UNDECIDED, TRAIN_LONGER)
    for apart, outcome, why in ((higher.low - lower.high, Outcome.HELD, SEPARATED),
                                (lower.low - higher.high, Outcome.NOT_HELD, OPPOSITE)):
        if apart > margin:
            return Decision(outcome, why)
        if apart > 0:
            return Decision(Outcome.UNDECIDED, Message("findings.within_margin", "the ranges are apart by {apart:.3g}, "
                                                       "less than the tolerance {margin:.3g}", apart=apart,
                                                       margin=margin))
    return Decision(Outcome.UNDECIDED, OVERLAP)


def first_of(decisions: Sequence[Decision], *outcomes: Outcome) -> Decision:
    """The first part with the first of `outcomes` found, else the first part."""
    for outcome in outcomes:
        found = next((d for d in decisions if d.outcome == outcome), None)
        if found is not None:
            return found
    return decisions[0]


def all_of(decisions: Sequence[Decision]) -> Decision:
    """A claim made of parts: held when every part held, not held when one was not, else undecided."""
    return first_of(decisions, Outcome.NOT_HELD, Outcome.UNDECIDED)


def some_of(decisions: Sequence[Decision]) -> Decision:
    """A claim "in some combinations": held when one part held, not held when every part was not."""
    return first_of(decisions, Outcome.HELD, Outcome.UNDECIDED)


@dataclass(frozen=True)
class Finding:
    claim: Message
    outcome: Outcome
    evidence: Message  # the numbers decided on
    why: Message | None = None  # the rule that decided it
    arms: tuple[Arm, ...] = field(default=())


def finding(claim: Message, decision: Decision, arms: Sequence[Arm], extra: Sequence[Message] = ()) -> Finding:
    return Finding(claim, decision.outcome, joined([a.describe() for a in arms] + list(extra)), decision.why,
                   tuple(arms))


def missing(claim: Message) -> Finding:
    return Finding(claim, Outcome.MISSING, Message("findings.missing", "Not all the runs this needs have finished."))


def joined(parts: Sequence[Message]) -> Message:
    """Measurements one after another, separated by semicolons (in either language)."""
    together = parts[-1]
    for part in reversed(parts[:-1]):
        together = Message("findings.list", "{first}; {rest}", first=part, rest=together)
    return together


def select(runs: Sequence[Measured], **where: float) -> list[Measured]:
    """The runs with these settings (a learning rate matches within rounding: 0.015 × 4 is 0.06)."""
    return [r for r in runs if all(math.isclose(getattr(r, name), value) for name, value in where.items())]


def batch_name(batch: int) -> Message:
    return Message("findings.batch", "batch {batch}", batch=batch)


def lr_name(lr: float) -> Message:
    return Message("findings.lr", "LR {lr:g}", lr=lr)


# --------------------------------------------------------------------------- seed 001

def least_squares_train_loss(val_fraction: float = 0.2) -> float:
    """The lowest training MSE any line reaches on seed 001's training split: ordinary least squares.
    A run "near the same loss" is judged against this, not against the noise variance (0.09)."""
    data = load_splits("linear", val_fraction)
    x, y = data.x_train.reshape(-1).double(), data.y_train.reshape(-1).double()
    design = torch.stack([x, torch.ones_like(x)], dim=1)
    solution = torch.linalg.lstsq(design, y.unsqueeze(1)).solution
    return float(((design @ solution).squeeze(1) - y).pow(2).mean())


def seed001(runs: Sequence[Measured]) -> list[Finding]:
    findings = []
    claim = Message("findings.seed001_faster",
                    "After 5 epochs, batch 16 (about 8× the update steps of batch 128) has the lower training loss.")
    small, large = (select(runs, epochs=5, batch_size=b) for b in (16, 128))
    if not small or not large:
        findings.append(missing(claim))
    else:
        arms = [arm(batch_name(b), r, lambda m: m.final_train_loss) for b, r in ((16, small), (128, large))]
        findings.append(finding(claim, decide(arms[0], arms[1]), arms))
    optimum = least_squares_train_loss()
    claim = Message("findings.seed001_same_end",
                    "After 20 epochs both batch sizes end near the same loss: the least-squares optimum of the "
                    "training points, {optimum:.4f} (within {tolerance:.0%} above it).", optimum=optimum,
                    tolerance=END_TOLERANCE)
    small, large = (select(runs, epochs=20, batch_size=b) for b in (16, 128))
    if not small or not large:
        findings.append(missing(claim))
    else:
        arms = [arm(batch_name(b), r, lambda m: m.final_train_loss, lambda m: m.train_still_falling)
                for b, r in ((16, small), (128, large))]
        findings.append(finding(claim, all_of([near(a, optimum) for a in arms]), arms))
    return findings


def near(measured: Arm, optimum: float) -> Decision:
    """Whether every seed ends within END_TOLERANCE above `optimum`; a seed still falling may yet get there."""
    if len(measured.values) < MIN_SEEDS:
        return Decision(Outcome.UNDECIDED, FEW_SEEDS)
    ceiling = optimum * (1 + END_TOLERANCE)
    if measured.high <= ceiling:
        return Decision(Outcome.HELD, Message("findings.within", "every seed ends within {tolerance:.0%} of the "
                                              "optimum", tolerance=END_TOLERANCE))
    if measured.low > ceiling and not measured.improving:
        return Decision(Outcome.NOT_HELD, Message("findings.above", "every seed ends more than {tolerance:.0%} above "
                                                  "the optimum, and has stopped falling", tolerance=END_TOLERANCE))
    return Decision(Outcome.UNDECIDED, TRAIN_LONGER if measured.improving else OVERLAP)


# --------------------------------------------------------------------------- seed 000

def seed000(runs: Sequence[Measured]) -> list[Finding]:
    findings = []
    claim = Message("findings.seed000_falls_less",
                    "In the same number of epochs, batch 256's training loss falls less than batch 16's.")
    parts, arms = [], []
    for lr in (0.001, 0.01):
        small, large = select(runs, batch_size=16, learning_rate=lr), select(runs, batch_size=256, learning_rate=lr)
        if small and large:
            pair = [arm(Message("findings.at_lr", "{batch}, {lr}", batch=batch_name(b), lr=lr_name(lr)), r,
                        lambda m: m.final_train_loss) for b, r in ((16, small), (256, large))]
            parts.append(decide(pair[0], pair[1]))
            arms += pair
    findings.append(finding(claim, all_of(parts), arms) if parts else missing(claim))
    claim = Message("findings.seed000_unstable",
                    "LR 0.01 is less stable than 0.001 in some combinations: its training loss climbs back more "
                    "(roughness: the total rise of the loss over the epochs, as a share of its fall), or its runs "
                    "diverge or become unstable.")
    parts, arms = [], []
    for batch in (16, 64, 256):
        calm, fast = select(runs, batch_size=batch, learning_rate=0.001), select(runs, batch_size=batch,
                                                                                 learning_rate=0.01)
        if not calm or not fast:
            continue
        pair = [arm(Message("findings.at_lr", "{batch}, {lr}", batch=batch_name(batch), lr=lr_name(lr)), r,
                    lambda m: m.roughness) for lr, r in ((0.001, calm), (0.01, fast))]
        failed_fast, failed_calm = sum(r.failed for r in fast), sum(r.failed for r in calm)
        if failed_fast > failed_calm and failed_fast * 2 > len(fast):  # most of LR 0.01's seeds did not train
            parts.append(Decision(Outcome.HELD, Message("findings.mostly_failed", "most seeds of LR 0.01 diverged or "
                                                        "were unstable")))
        else:
            parts.append(decide(pair[0], pair[1]))
        arms += pair
    findings.append(finding(claim, some_of(parts), arms) if parts else missing(claim))
    return findings


# --------------------------------------------------------------------------- seed 002

def seed002_lr(runs: Sequence[Measured]) -> list[Finding]:
    lrs = sorted({r.learning_rate for r in runs})
    claim_best = Message("findings.seed002_lr_best", "Among LR ×¼ … ×4 one is clearly best (lowest best validation "
                         "loss, inside the grid rather than at its edge).")
    claim_unstable = Message("findings.seed002_lr_unstable", "The largest learning rates are unstable.")
    if len(lrs) < 3:
        return [missing(claim_best), missing(claim_unstable)]
    arms = [arm(lr_name(lr), select(runs, learning_rate=lr), lambda m: m.best_val_loss,
                lambda m: m.val_still_improving) for lr in lrs]
    usable = [a for a in arms if a.values]
    best = min(usable, key=lambda a: a.mean) if usable else None
    if best is None:
        decision = Decision(Outcome.NOT_HELD, Message("findings.none_trained", "no learning rate trained"))
    else:
        i = arms.index(best)
        if i in (0, len(arms) - 1):
            decision = Decision(Outcome.NOT_HELD, Message("findings.at_edge", "the best, {lr}, is at the edge of the "
                                                          "grid: the optimum may lie beyond it", lr=best.name))
        else:
            neighbours = [a for a in (arms[i - 1], arms[i + 1]) if a.values]
            decision = all_of([decide(best, a, ends=True) for a in neighbours]) if neighbours else Decision(
                Outcome.HELD, Message("findings.neighbours_failed", "its neighbours did not train"))
    findings = [finding(claim_best, decision, arms)]
    large = [r for r in runs if r.learning_rate >= 2 * lrs[len(lrs) // 2]]
    small = [r for r in runs if r.learning_rate <= lrs[len(lrs) // 2]]
    failed_large, failed_small = sum(r.failed for r in large), sum(r.failed for r in small)
    rough = [arm(Message("findings.lrs_up_to", "LR ≤ ×1"), small, lambda m: m.roughness),
             arm(Message("findings.lrs_from", "LR ≥ ×2"), large, lambda m: m.roughness)]
    if failed_large > failed_small:
        unstable = Decision(Outcome.HELD, Message("findings.large_failed", "{failed} of the {runs} runs at ×2 and ×4 "
                                                  "diverged or were unstable", failed=failed_large, runs=len(large)))
    else:
        unstable = decide(rough[0], rough[1])
        if unstable.outcome == Outcome.HELD:
            unstable = Decision(Outcome.HELD, Message("findings.rougher", "the largest LRs' training loss climbs back "
                                                      "more, though no run diverged"))
    findings.append(finding(claim_unstable, unstable, rough))
    return findings


def seed002_scaling(runs: Sequence[Measured]) -> list[Finding]:
    claim = Message("findings.seed002_scaling",
                    "Scaling the LR with the batch size keeps the best validation loss close to the base run's "
                    "(within {close:.0%}), where the same batch at the unscaled LR falls behind.", close=CLOSE)
    if not runs:
        return [missing(claim)]
    # The base run is the smallest batch at the smallest LR; the unscaled controls keep that LR.
    base_lr, batches = min(r.learning_rate for r in runs), sorted({r.batch_size for r in runs})
    base_lr_at = {b: base_lr * b / batches[0] for b in batches}  # the scaled LR of each batch
    if len(batches) < 2 or not select(runs, batch_size=batches[0], learning_rate=base_lr):
        return [missing(claim)]

    def name(batch: int, scaled: bool) -> Message:
        if scaled:
            return Message("findings.scaled", "{batch}, LR scaled", batch=batch_name(batch))
        return Message("findings.unscaled", "{batch}, LR unscaled", batch=batch_name(batch))

    scaled = {b: arm(name(b, True), select(runs, batch_size=b, learning_rate=base_lr_at[b]), lambda m: m.best_val_loss,
                     lambda m: m.val_still_improving) for b in batches}
    reference = scaled[batches[0]]
    parts, arms = [], [reference]
    for b in batches[1:]:
        arms.append(scaled[b])
        parts.append(close_to(scaled[b], reference))
        control = select(runs, batch_size=b, learning_rate=base_lr)
        if control:
            arms.append(arm(name(b, False), control, lambda m: m.best_val_loss, lambda m: m.val_still_improving))
    controls = [a for a in arms if a.name.key == "findings.unscaled"]
    if not parts or not controls:
        return [missing(claim)]
    # The control is judged at the largest batch, where the unscaled LR is furthest from the rule's, in the
    # same epochs (a budget, not an end: the unscaled run still improving is how it falls behind).
    parts.append(decide(scaled[batches[-1]], controls[-1]))
    return [finding(claim, all_of(parts), arms)]


def close_to(measured: Arm, reference: Arm) -> Decision:
    """Whether `measured` ends within CLOSE of `reference` over the seeds of both."""
    if len(measured.values) < MIN_SEEDS or len(reference.values) < MIN_SEEDS:
        return Decision(Outcome.UNDECIDED, FEW_SEEDS)
    if measured.improving or reference.improving:
        return Decision(Outcome.UNDECIDED, TRAIN_LONGER)
    low, high = reference.low * (1 - CLOSE), reference.high * (1 + CLOSE)
    if low <= measured.low and measured.high <= high:
        return Decision(Outcome.HELD, Message("findings.close", "every seed within {close:.0%} of the base run's "
                                              "range", close=CLOSE))
    if measured.low > high or measured.high < low:
        return Decision(Outcome.NOT_HELD, Message("findings.not_close", "every seed more than {close:.0%} from the "
                                                  "base run's range", close=CLOSE))
    return Decision(Outcome.UNDECIDED, OVERLAP)


# --------------------------------------------------------------------------- seed 003

def seed003(runs: Sequence[Measured]) -> list[Finding]:
    claim = Message("findings.seed003",
                    "Larger batches generalize worse: batch 256 (LR scaled ×4) has a larger generalization gap than "
                    "batch 64, at the best epoch, at an equal training loss and at an equal number of update steps.")
    small_lr = min((r.learning_rate for r in runs if r.batch_size == 64), default=None)
    if small_lr is None:
        return [missing(claim)]
    small = select(runs, batch_size=64, learning_rate=small_lr)
    large = select(runs, batch_size=256, learning_rate=small_lr * 4)
    if not small or not large:
        return [missing(claim)]
    trained = [r for r in small + large if r.trained]
    level = max((min(x["train_loss"] for x in r.rows) for r in trained), default=math.nan)  # a loss all reached
    steps = min((r.last["step"] for r in trained), default=0)  # a step count all made

    def gap(row: HistoryRow | None) -> float:
        return row["val_loss"] - row["train_loss"] if row else math.nan

    views = [
        (Message("findings.at_best", "at the best epoch"), lambda m: m.gap_at_best, True),
        (Message("findings.at_loss", "at training loss {level:.3g}", level=level),
         lambda m: gap(m.at_train_loss(level)), False),
        (Message("findings.at_steps", "at {steps} update steps", steps=steps), lambda m: gap(m.at_step(steps)), False),
    ]
    parts, arms = [], []
    for where, value, ends in views:
        pair = [arm(Message("findings.gap_of", "gap of {batch} {where}", batch=batch_name(b), where=where), r, value,
                    lambda m: m.val_still_improving) for b, r in ((64, small), (256, large))]
        parts.append(decide(pair[0], pair[1], ends=ends))
        arms += pair
    return [finding(claim, all_of(parts), arms)]


CHECKS: dict[str, Callable[[Sequence[Measured]], list[Finding]]] = {
    "seed000": seed000, "seed001": seed001, "seed002-lr": seed002_lr, "seed002-scaling": seed002_scaling,
    "seed003": seed003}


def check(preset: str, runs: Sequence[Run]) -> list[Finding]:
    """The preset's claims decided on `runs` (unfinished ones are left out: their claims say so)."""
    if preset not in CHECKS or not runs:
        return []
    return CHECKS[preset]([Measured.of(r) for r in runs if r.rows and r.status not in ("queued", "running")])
