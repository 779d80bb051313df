"""The seven lessons of the Lessons page (../shared/research/lessons.md), as data.

Each lesson has a question, the predictions the student makes before Run (core.classroom.predictions),
the runs it asks for, and `measure`: what those runs show, computed from them alone, with the honesty
rule that says whether the lesson's effect showed, did not show, or is undecided on this data. The
verdicts use the Sweep page's findings code (core.experiments.findings: decided over seeds, every seed
of one arm beyond every seed of the other) and, for sharpness, the Sharpness page's
(core.experiments.sharp_vs_flat); the steps to a target, the Critical batch page's fit
(core.analysis.critical_batch).

- L1 updates per epoch (seed 001's preset, shipped): the training loss after 5 epochs, batch 16 vs 128,
  their update steps and wall time, and both at about equal update steps.
- L2 a diverging LR (seed 000's preset, shipped): which cells of batch × LR diverged or became unstable in
  most of their seeds.
- L3 linear scaling (seed 002's scaling pairs and seed 003's fixed LR, shipped): batch 128 at LR ×½, ×1 and
  ×2 against batch 64.
- L4 when scaling breaks (a digits MLP, 24 runs trained live in seconds): each rule at batch 512 against
  batch 16, for SGD with momentum and for Adam.
- L5 critical batch size (seed 002's scaling pairs, shipped): the steps to 85% validation accuracy against
  the batch size, fitted as the Critical batch page fits them.
- L6 sharp minima (seed 003, shipped; a regression MLP with its sharpness, trained live): the gap, and
  which batch ends sharper.
- L7 epochs and early stopping (seed 002's base runs and seed 001's (5, 128), shipped): the best epoch, the
  rise after it, and where early stopping would stop.

Nothing here is typed in from a result: every number a lesson says is measured on the runs it is given.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

import numpy as np
import pandas as pd
from torch import nn

from core.analysis.critical_batch import BatchPoint, critical_batch
from core.analysis.scaling import plan
from core.charts import (
    LOSS,
    METRICS,
    AltairChart,
    prediction_cells_chart,
    prediction_curves_chart,
    prediction_shape_chart,
    sharpness_chart,
)
from core.classroom.predictions import Answer, Effect, Kind, Option, Question
from core.experiments.findings import (
    CLOSE,
    FEW_SEEDS,
    MIN_SEEDS,
    OVERLAP,
    Arm,
    Decision,
    Finding,
    Measured,
    Outcome,
    arm,
    batch_name,
    close_to,
    decide,
    finding,
    joined,
    missing,
    seed000,
    seed001,
    seed002_scaling,
    seed003,
)
from core.experiments.presets import REFERENCE_SEEDS, Preset, presets, with_seeds
from core.experiments.sharp_vs_flat import RunSummary, preset_configs, verdict
from core.messages import Message, Text
from core.runs.tables import Run, runs_table
from core.training.config import TrainConfig
from core.training.data import DATASETS, cifar10_available
from core.training.engine import EarlyStopping
from core.training.record import ACTIVE, HistoryRow, RunResult

Value = str | frozenset[str] | int  # a prediction: an option's id, a set of cells, or an epoch
Prediction = Mapping[str, Value]  # question id -> its prediction
SPREAD = ("findings.overlap", "findings.within_margin")  # the reasons "undecided" means: inside the spread


class LessonRun(Run, Protocol):
    """A finished run as a job view or a stored run holds it (a sharpness task's result carries its sharpness)."""

    @property
    def result(self) -> RunResult | None: ...


@dataclass(frozen=True)
class Request:
    """One run a lesson asks the job pool for: a training, or a training whose sharpness is then measured."""

    config: TrainConfig
    kind: str = "train"  # a task of core.jobs.tasks: "train" or "sharpness"
    shipped: bool = True  # the reference runs hold it (core/experiments/reference_runs.json); else trained live


CURVES, CELLS, SHAPE, SHARPNESS = "curves", "cells", "shape", "sharpness"


@dataclass(frozen=True)
class Panel:
    """One chart of a lesson's result, with the prediction marked on it (see `chart`)."""

    kind: str  # CURVES, CELLS, SHAPE or SHARPNESS
    title: Message
    table: pd.DataFrame | None = None  # CURVES: core.runs.tables.runs_table's long table, labelled by arm
    metric: Message | None = None  # CURVES: the y axis
    axes: tuple[str, ...] = ("epoch",)  # CURVES: the x axes the reader may switch between
    predicted: frozenset[str] = frozenset()  # CURVES: the arms' labels the student predicted
    rules: tuple[Mapping[str, Any], ...] = ()  # CURVES: vertical marks (x, x2 for a band, label, yours)
    rows: tuple[Mapping[str, Any], ...] = ()  # CELLS: the grid's cells; SHAPE and SHARPNESS: the points
    lines: tuple[Mapping[str, Any], ...] = ()  # SHAPE: the lines (batch_size, steps, line, yours)


def chart(panel: Panel, x: str = "epoch", text: Text = str) -> AltairChart:
    """The panel's chart, against `x` where it has curves."""
    if panel.kind == CURVES and panel.table is not None and panel.metric is not None:
        return prediction_curves_chart(panel.table, panel.metric, x=x if x in panel.axes else panel.axes[0],
                                       predicted=panel.predicted, rules=panel.rules, text=text)
    if panel.kind == CELLS:
        return prediction_cells_chart(panel.rows, text=text)
    if panel.kind == SHAPE:
        return prediction_shape_chart(panel.rows, panel.lines, text=text)
    return sharpness_chart(panel.rows, None, text=text)


@dataclass(frozen=True)
class LessonResult:
    """What a lesson's runs measured: an answer per question, the verdicts, the facts and the honesty box."""

    answers: tuple[Answer, ...]
    effect: Effect
    honesty: Message  # what the honesty box says: chosen by the effect, filled in with what was measured
    findings: tuple[Finding, ...] = ()  # the verdicts, decided over seeds (drawn as on the Sweep page)
    facts: tuple[Message, ...] = ()  # the numbers the answers rest on

    def answer(self, question: str) -> Answer:
        return next(a for a in self.answers if a.question == question)


@dataclass(frozen=True)
class Lesson:
    id: str  # "L1" … "L7": the page's ?lesson=
    title: Message
    question: Message
    questions: tuple[Question, ...]  # what the student predicts before Run
    requests: tuple[Request, ...]
    setup: Message  # what the runs are, in a line
    why: Message  # a prompt to think before the explanation
    explanation: Message
    measure: Callable[[Sequence[LessonRun]], LessonResult] = field(repr=False)
    panels: Callable[[Sequence[LessonRun], Prediction, Text], list[Panel]] = field(repr=False)

    @property
    def configs(self) -> list[TrainConfig]:
        return [r.config for r in self.requests]

    @property
    def live(self) -> list[TrainConfig]:
        """The configs no reference run answers: trained on this server when Run is pressed."""
        return [r.config for r in self.requests if not r.shipped]

    def complete(self, prediction: Prediction) -> bool:
        """Whether every question has a valid prediction: Run unlocks then."""
        return all(q.id in prediction and q.valid(prediction[q.id]) for q in self.questions)


# --------------------------------------------------------------------------- shared pieces

def finished(runs: Sequence[LessonRun]) -> list[LessonRun]:
    """The runs with epochs that are no longer queued or running."""
    return [r for r in runs if r.rows and r.status not in ACTIVE]


def of(runs: Sequence[LessonRun], configs: Sequence[TrainConfig]) -> list[LessonRun]:
    """The finished runs of these configs, in the configs' order."""
    by_key = {r.config.key: r for r in finished(runs)}
    return [by_key[c.key] for c in configs if c.key in by_key]


def measured(runs: Sequence[LessonRun], configs: Sequence[TrainConfig]) -> list[Measured]:
    return [Measured.of(r) for r in of(runs, configs)]


def inside_spread(decision: Decision | Finding) -> bool:
    """Undecided because the difference is inside the seed-to-seed spread (not for want of seeds or epochs)."""
    return decision.outcome == Outcome.UNDECIDED and decision.why is not None and decision.why.key in SPREAD


def effect_of(outcome: Outcome) -> Effect:
    return {Outcome.HELD: Effect.SHOWED, Outcome.NOT_HELD: Effect.NOT_SHOWN}.get(outcome, Effect.UNDECIDED)


def reason(decision: Decision | Finding) -> Message:
    """Why a decision came out as it did, or the numbers where no rule is named."""
    if decision.why is not None:
        return decision.why
    return decision.evidence if isinstance(decision, Finding) else OVERLAP


MISSING_RUNS = Message("lesson.missing", "Not every run this lesson needs has finished.")


def undecided(why: Message) -> Message:
    return Message("lesson.undecided", "These runs do not decide it: {why}.", why=why)


def because(answer: Message, why: Message) -> Message:
    return Message("lesson.because", "{answer} ({why})", answer=answer, why=why)


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else math.nan


def span(values: Sequence[int]) -> Message:
    """Whole numbers as "37" or as a range "37–38"."""
    low, high = min(values), max(values)
    if low == high:
        return Message("lesson.one_value", "{value:,}", value=low)
    return Message("lesson.range", "{low:,}–{high:,}", low=low, high=high)


def arm_label(config: TrainConfig, rule: Message | None = None) -> Message:
    if rule is None:
        return Message("lesson.arm", "batch {batch}, LR {lr:g}", batch=config.batch_size, lr=config.learning_rate)
    return Message("lesson.arm_rule", "batch {batch}, LR {lr:.3g} ({rule})", batch=config.batch_size,
                   lr=config.learning_rate, rule=rule)


def curves(title: Message, runs: Sequence[LessonRun], arms: Sequence[tuple[Message, Sequence[TrainConfig]]],
           metric: str, text: Text, predicted: Sequence[Message] = (), axes: tuple[str, ...] = ("epoch", "step",
                                                                                              "samples"),
           rules: Sequence[Mapping[str, Any]] = ()) -> Panel:
    """A CURVES panel of `metric`, one line per arm (its seeds as a mean with a band)."""
    picked: list[LessonRun] = []
    labels: list[str] = []
    for name, configs in arms:
        found = of(runs, configs)
        picked += found
        labels += [text(name)] * len(found)
    table = runs_table(picked, metric, labels=labels, text=text)
    return Panel(CURVES, title, table=table, metric=METRICS[metric], axes=axes,
                 predicted=frozenset(text(p) for p in predicted), rules=tuple(rules))


def choice_answer(question: str, fits: Sequence[str], open_: Sequence[str], shows: Message,
                  decided: bool = True) -> Answer:
    return Answer(question, decided, shows, fits=frozenset(fits), open=frozenset(open_))


# --------------------------------------------------------------------------- L1 · updates per epoch

L1_BATCHES = (16, 128)


def l1_measure(preset: Preset) -> Callable[[Sequence[LessonRun]], LessonResult]:
    def measure(runs: Sequence[LessonRun]) -> LessonResult:
        done = measured(runs, preset.configs)
        found = seed001(done)
        faster = found[0]
        short = {b: [m for m in done if m.epochs == 5 and m.batch_size == b] for b in L1_BATCHES}
        long = {b: [m for m in done if m.epochs == 20 and m.batch_size == b] for b in L1_BATCHES}
        if not all(short.values()):
            shows = reason(faster)
            return LessonResult((Answer("lower", False, shows), Answer("updates", False, shows)), Effect.UNDECIDED,
                                MISSING_RUNS, tuple(found))
        steps = {b: max(m.last["step"] for m in short[b]) for b in L1_BATCHES}
        ratio = steps[16] / steps[128]
        more = "more" if ratio > 1.1 else "fewer" if ratio < 1 / 1.1 else "same"
        name = {"more": L1_MORE, "same": L1_SAME, "fewer": L1_FEWER}[more]
        updates = choice_answer("updates", [more], [], Message(
            "lesson.l1_updates_shows", "{answer}: in 5 epochs batch 16 made {small:,} update steps, batch 128 "
            "{large:,} ({ratio:.1f}×)", answer=name, small=steps[16], large=steps[128], ratio=ratio))
        lower = {Outcome.HELD: "16", Outcome.NOT_HELD: "128"}.get(faster.outcome)
        if lower is None:
            answer = Answer("lower", False, reason(faster))
        else:
            answer = choice_answer("lower", [lower], [], because(L1_OPTIONS[lower], reason(faster)))
        seconds = {b: mean([r.wall_time or 0.0 for r in of(runs, [c for c in preset.configs
                                                                  if c.epochs == 5 and c.batch_size == b])])
                   for b in L1_BATCHES}
        facts = [updates.shows, Message("lesson.l1_seconds", "Per second: batch 16's 5 epochs took {small:.2f} s, "
                                        "batch 128's {large:.2f} s (mean over the seeds, on the machine that "
                                        "trained them).", small=seconds[16], large=seconds[128])]
        equal = l1_equal_steps(long)
        if equal is not None:
            facts.append(equal[1])
        effect = effect_of(faster.outcome)
        if effect == Effect.SHOWED:
            closes = equal[0] if equal is not None else Message("lesson.l1_steps_missing", "(The runs for a "
                                                                "comparison at equal update steps are missing.)")
            honesty = Message(
                "lesson.l1_showed", "The effect showed: after 5 epochs every seed of batch 16 ends below every seed "
                "of batch 128. The gain is per epoch, not per update: batch 16 made {ratio:.1f}× as many update "
                "steps. {closes} Per second the two are not alike either: batch 16's 5 epochs took {small:.2f} s, "
                "batch 128's {large:.2f} s. Switch the x-axis to update steps or to wall-clock time to see it.",
                ratio=ratio, closes=closes, small=seconds[16], large=seconds[128])
        elif effect == Effect.NOT_SHOWN:
            honesty = Message("lesson.l1_not_shown", "Not on these runs: after 5 epochs batch 128 ends below batch 16 "
                              "in every seed ({evidence}).", evidence=faster.evidence)
        else:
            honesty = undecided(reason(faster))
        return LessonResult((answer, updates), effect, honesty, tuple(found), tuple(facts))

    return measure


def l1_equal_steps(long: Mapping[int, Sequence[Measured]]) -> tuple[Message, Message] | None:
    """Batch 16 and batch 128 at about equal update steps: batch 128 after its 20 epochs, batch 16 at the
    first epoch that made at least as many. The honesty box's clause, and the fact with the numbers."""
    if not all(long.values()):
        return None
    steps = min(m.last["step"] for m in long[128])
    rows = [m.at_step(steps) for m in long[16]]
    if any(row is None for row in rows):
        return None
    epoch, small_steps = rows[0]["epoch"], rows[0]["step"]  # type: ignore[index]  # None was ruled out above
    arms = [arm(Message("lesson.l1_at_steps", "batch 16 at epoch {epoch} ({steps:,} steps)", epoch=epoch,
                        steps=small_steps), long[16], lambda m: row_loss(m.at_step(steps))),
            arm(Message("lesson.l1_at_end", "batch 128 after 20 epochs ({steps:,} steps)", steps=steps), long[128],
                lambda m: m.final_train_loss)]
    decision = decide(arms[0], arms[1])
    numbers = joined([a.describe() for a in arms])
    fact = Message("lesson.l1_equal_steps", "Training loss at about equal update steps: {arms}.", arms=numbers)
    if decision.outcome == Outcome.HELD:
        clause = Message("lesson.l1_steps_still", "Even at about equal update steps batch 16 is lower ({arms}).",
                         arms=numbers)
    elif decision.outcome == Outcome.NOT_HELD:
        clause = Message("lesson.l1_steps_reversed", "At about equal update steps batch 128 is the lower one "
                         "({arms}).", arms=numbers)
    else:
        clause = Message("lesson.l1_steps_close", "At about equal update steps the gap closes: {arms}, inside the "
                         "seeds' spread.", arms=numbers)
    return clause, fact


def row_loss(row: Mapping[str, Any] | None) -> float:
    return float(row["train_loss"]) if row is not None else math.nan


L1_OPTIONS = {"16": Message("lesson.l1_b16", "batch 16"), "128": Message("lesson.l1_b128", "batch 128")}
L1_MORE = Message("lesson.l1_more", "batch 16 makes more")
L1_SAME = Message("lesson.l1_same", "about as many")
L1_FEWER = Message("lesson.l1_fewer", "batch 16 makes fewer")


def l1_panels(preset: Preset) -> Callable[[Sequence[LessonRun], Prediction, Text], list[Panel]]:
    def panels(runs: Sequence[LessonRun], prediction: Prediction, text: Text) -> list[Panel]:
        arms = [(Message("lesson.arm_epochs", "batch {batch}, {epochs} epochs", batch=b, epochs=e),
                 [c for c in preset.configs if c.batch_size == b and c.epochs == e])
                for e in (5, 20) for b in L1_BATCHES]
        picked = prediction.get("lower")
        predicted = [name for name, configs in arms if configs and str(configs[0].batch_size) == picked
                     and configs[0].epochs == 5]
        return [curves(Message("lesson.l1_chart", "Training loss: seed 001's four settings, three seeds each"), runs,
                       arms, "train_loss", text, predicted, axes=("epoch", "step", "time_s"))]

    return panels


def l1(found: Mapping[str, Preset]) -> Lesson:
    preset = found["seed001"]
    small, large = (next(c for c in preset.configs if c.batch_size == b) for b in L1_BATCHES)
    return Lesson(
        "L1", Message("lesson.l1_title", "Updates per epoch"),
        Message("lesson.l1_question", "Seed 001 fits a line to y = 3x + noise with SGD at LR 0.1. After 5 epochs, "
                "which batch size has the lower training loss: 16 or 128?"),
        (Question("lower", Message("lesson.l1_q_lower", "After 5 epochs, the lower training loss has…"),
                  options=tuple(Option(k, v) for k, v in L1_OPTIONS.items())),
         Question("updates", Message("lesson.l1_q_updates", "In those 5 epochs, how many update steps does batch 16 "
                                     "make compared with batch 128?"),
                  options=(Option("more", L1_MORE), Option("same", L1_SAME), Option("fewer", L1_FEWER)))),
        tuple(Request(c) for c in preset.configs),
        Message("lesson.l1_setup", "Seed 001's preset: linear regression, SGD, LR 0.1, (epochs, batch) = (5, 16), "
                "(5, 128), (20, 16), (20, 128), three seeds each — {runs} runs shipped with the app.",
                runs=len(preset.configs)),
        Message("lesson.l1_why", "Why would the same 5 epochs leave one batch size behind? Count what each one does "
                "in an epoch before you open the explanation."),
        Message("lesson.l1_explain", "An epoch is one pass over the {n:,} training points, cut into batches; every "
                "batch is one update of the weights. Batch 16 cuts the pass into {small} batches, batch 128 into "
                "{large}, so in the same 5 epochs batch 16 moves the weights about {ratio:.0f}× as often. Each of its "
                "steps is noisier (an average over 16 points, not 128), but at LR 0.1 on this easy problem more "
                "steps win.\n\n"
                "So an epoch is not a unit of progress. Drawn against update steps the two batch sizes come much "
                "closer; drawn against wall-clock time, the large batch does more per second because each step "
                "handles more points at once. Which one is faster depends on what you count.", n=small.n_train,
                small=small.updates_per_epoch, large=large.updates_per_epoch,
                ratio=small.updates_per_epoch / large.updates_per_epoch),
        l1_measure(preset), l1_panels(preset))


# --------------------------------------------------------------------------- L2 · a diverging LR

L2_BATCHES, L2_LRS = (16, 64, 256), (0.001, 0.01)


def cell_id(batch: int, lr: float) -> str:
    return f"{batch}|{lr:g}"


def cell_name(batch: int, lr: float) -> Message:
    return Message("lesson.cell", "batch {batch}, LR {lr:g}", batch=batch, lr=lr)


@dataclass(frozen=True)
class Cell:
    batch_size: int
    learning_rate: float
    seeds: int
    failed: int  # seeds that diverged or became unstable
    roughness: float  # mean over the seeds that trained

    @property
    def id(self) -> str:
        return cell_id(self.batch_size, self.learning_rate)

    @property
    def most(self) -> bool:
        return self.failed * 2 > self.seeds


def l2_cells(done: Sequence[Measured]) -> list[Cell]:
    cells = []
    for b in L2_BATCHES:
        for lr in L2_LRS:
            runs = [m for m in done if m.batch_size == b and math.isclose(m.learning_rate, lr)]
            rough = [m.roughness for m in runs if m.trained and math.isfinite(m.roughness)]
            cells.append(Cell(b, lr, len(runs), sum(m.failed for m in runs), mean(rough)))
    return cells


def l2_measure(preset: Preset) -> Callable[[Sequence[LessonRun]], LessonResult]:
    def measure(runs: Sequence[LessonRun]) -> LessonResult:
        done = measured(runs, preset.configs)
        found = seed000(done)
        cells = l2_cells(done)
        facts = tuple(Message("lesson.l2_cell_fact", "{cell}: {failed} of {seeds} seeds diverged or unstable; "
                              "roughness {roughness:.3g}", cell=cell_name(c.batch_size, c.learning_rate),
                              failed=c.failed, seeds=c.seeds, roughness=c.roughness) for c in cells)
        question = L2_QUESTION
        failing = [c.id for c in cells if c.most]
        mixed = [c.id for c in cells if c.failed and not c.most]
        if any(c.seeds < MIN_SEEDS for c in cells):
            answer = Answer("diverge", False, Message("lesson.l2_few", "a cell has fewer than {n} seeds that ran",
                                                      n=MIN_SEEDS))
            return LessonResult((answer,), Effect.UNDECIDED, undecided(answer.shows), tuple(found), facts)
        if mixed:
            shows = Message("lesson.l2_mixed", "{cells} failed in some seeds but not in most", cells=question.
                            describe_set(mixed))
            answer = Answer("diverge", False, shows)
            effect = Effect.UNDECIDED
            honesty = undecided(shows)
        elif failing:
            answer = Answer("diverge", True, Message("lesson.l2_shows", "{cells} diverged or became unstable in most "
                                                     "seeds", cells=question.describe_set(failing)),
                            fits=frozenset(failing))
            effect = Effect.SHOWED
            honesty = Message("lesson.l2_showed", "Divergence showed: {cells} diverged or became unstable in most of "
                              "their seeds. “Too big” depends on the optimizer and the batch size: with SGD the same "
                              "LR may just be slow, and a larger batch takes a larger LR before it breaks.",
                              cells=question.describe_set(failing))
        else:
            runs_n = sum(c.seeds for c in cells)
            answer = Answer("diverge", True, Message("lesson.l2_shows_none", "none of the {runs} runs diverged or "
                                                     "became unstable", runs=runs_n))
            effect = Effect.NOT_SHOWN
            stable = next((f for f in found if f.claim.key == "findings.seed000_unstable"), None)
            honesty = Message(
                "lesson.l2_not_shown", "Nothing diverged here: all {runs} runs ({settings} settings × {seeds} seeds, "
                "Adam on {dataset}) trained to the end. “Too big” depends on the optimizer: Adam divides each step "
                "by its own running gradient size, so LR 0.01 was only rougher — seed 000's verdict on that, "
                "“less stable in some combinations”, came out {outcome}. With SGD, 0.01 may just be slow. To see "
                "where this model's loss does blow up, the LR range test raises the LR until it does.",
                runs=runs_n, settings=len(cells), seeds=max(c.seeds for c in cells),
                dataset=DATASETS[preset.configs[0].dataset].title,
                outcome=OUTCOME_WORDS[stable.outcome if stable is not None else Outcome.MISSING])
        return LessonResult((answer,), effect, honesty, tuple(found), facts)

    return measure


OUTCOME_WORDS = {Outcome.HELD: Message("lesson.outcome_held", "held"),
                 Outcome.NOT_HELD: Message("lesson.outcome_not_held", "not held"),
                 Outcome.UNDECIDED: Message("lesson.outcome_undecided", "undecided"),
                 Outcome.MISSING: Message("lesson.outcome_missing", "not decided yet")}
L2_QUESTION = Question("diverge", Message("lesson.l2_q", "Tick every setting whose runs will diverge or become "
                                          "unstable (or tick “none of them”)."), Kind.CELLS,
                       tuple(Option(cell_id(b, lr), cell_name(b, lr)) for b in L2_BATCHES for lr in L2_LRS))


def l2_panels(preset: Preset) -> Callable[[Sequence[LessonRun], Prediction, Text], list[Panel]]:
    def panels(runs: Sequence[LessonRun], prediction: Prediction, text: Text) -> list[Panel]:
        picked = prediction.get("diverge")
        chosen = picked if isinstance(picked, frozenset) else frozenset()
        rows = tuple({"batch_size": c.batch_size, "learning_rate": c.learning_rate, "failed": c.failed,
                      "seeds": c.seeds, "roughness": c.roughness, "yours": c.id in chosen}
                     for c in l2_cells(measured(runs, preset.configs)))
        arms = [(cell_name(b, lr), [c for c in preset.configs if c.batch_size == b and math.isclose(
                 c.learning_rate, lr)]) for b in L2_BATCHES for lr in L2_LRS]
        predicted = [cell_name(b, lr) for b in L2_BATCHES for lr in L2_LRS if cell_id(b, lr) in chosen]
        return [Panel(CELLS, Message("lesson.l2_cells_chart", "Seeds that diverged or became unstable, per setting "
                                     "(your prediction outlined)"), rows=rows),
                curves(Message("lesson.l2_chart", "Training loss of every setting (mean and range over 3 seeds)"),
                       runs, arms, "train_loss", text, predicted)]

    return panels


def l2(found: Mapping[str, Preset]) -> Lesson:
    preset = found["seed000"]
    dataset = DATASETS[preset.configs[0].dataset].title
    return Lesson(
        "L2", Message("lesson.l2_title", "A diverging learning rate"),
        Message("lesson.l2_question", "Seed 000 trains a small CNN with Adam at batch 16, 64 and 256 and LR 0.001 "
                "and 0.01, for 20 epochs. Which of these runs will diverge?"),
        # The shipped runs are digits': with CIFAR-10's files in the data folder seed 000 trains on it, live.
        (L2_QUESTION,), tuple(Request(c, shipped=c.dataset != "cifar10") for c in preset.configs),
        Message("lesson.l2_setup", "Seed 000's preset on {dataset}: batch {{16, 64, 256}} × LR {{0.001, 0.01}}, "
                "Adam, 20 epochs, three seeds each — {runs} runs shipped with the app.", dataset=dataset,
                runs=len(preset.configs)),
        Message("lesson.l2_why", "What would make a loss blow up instead of falling? Think about how far one step "
                "moves the weights, and what Adam does to that distance."),
        Message("lesson.l2_explain", "Gradient descent steps downhill by the learning rate times the gradient. Where "
                "the loss curves sharply, a step that is too long overshoots the valley and lands higher up the "
                "other side; the next gradient is larger, the next step longer, and the loss grows without bound: "
                "it diverges. A smaller batch adds noise to each step, so it reaches that point sooner.\n\n"
                "Adam divides each parameter's step by a running average of its gradient's size, so its steps stay "
                "near the learning rate whatever the gradient is: LR 0.01 gives rough curves more often than "
                "runaway ones. With plain SGD the same number means something else entirely."),
        l2_measure(preset), l2_panels(preset))


# --------------------------------------------------------------------------- L3 · linear scaling

L3_BASE = (64, 0.03)
L3_RULES = {"keep": 1.0, "double": 2.0, "halve": 0.5}  # batch 128's LR as a multiple of batch 64's


def l3_configs(found: Mapping[str, Preset]) -> tuple[list[TrainConfig], list[TrainConfig]]:
    """Seed 002's scaling pairs (its Sweep verdict), and every config the lesson trains (those and seed 003's
    batch 128 at the base LR: keeping the LR), each with the reference seeds."""
    scaling = list(found["seed002-scaling"].configs)
    keys = {c.key for c in scaling}
    kept = [c for c in found["seed003"].configs if c.batch_size == 128 and math.isclose(c.learning_rate, L3_BASE[1])
            and c.key not in keys]
    return scaling, scaling + kept


def l3_arms(configs: Sequence[TrainConfig]) -> dict[str, list[TrainConfig]]:
    batch, lr = L3_BASE
    arms = {"base": [c for c in configs if c.batch_size == batch and math.isclose(c.learning_rate, lr)]}
    for name, factor in L3_RULES.items():
        arms[name] = [c for c in configs if c.batch_size == 2 * batch and math.isclose(c.learning_rate, lr * factor)]
    return arms


L3_DONE = {"keep": Message("lesson.l3_kept", "kept"), "double": Message("lesson.l3_doubled", "doubled"),
           "halve": Message("lesson.l3_halved", "halved")}  # what was done to the LR: the arms' names
L3_OPTIONS = {"keep": Message("lesson.l3_keep", "keep it (0.03)"),
              "double": Message("lesson.l3_double", "double it (0.06)"),
              "halve": Message("lesson.l3_halve", "halve it (0.015)")}


def l3_measure(scaling: Sequence[TrainConfig], configs: Sequence[TrainConfig]
               ) -> Callable[[Sequence[LessonRun]], LessonResult]:
    def measure(runs: Sequence[LessonRun]) -> LessonResult:
        sweep = seed002_scaling(measured(runs, scaling))
        arm_configs = l3_arms(configs)
        done = {name: measured(runs, cs) for name, cs in arm_configs.items()}
        arms = {name: arm(arm_label(cs[0], L3_DONE.get(name)), done[name], lambda m: m.best_val_loss,
                          lambda m: m.val_still_improving) for name, cs in arm_configs.items() if cs}
        if len(arms) < len(arm_configs):
            return LessonResult((Answer("lr", False, MISSING_RUNS),), Effect.UNDECIDED, MISSING_RUNS, tuple(sweep))
        decisions = {name: close_to(arms[name], arms["base"]) for name in L3_RULES}
        claims = [finding(Message("lesson.l3_claim", "Batch 128 with the LR {rule}: its best validation loss within "
                                  "{close:.0%} of batch 64's, every seed", rule=L3_DONE[name], close=CLOSE),
                          decisions[name], [arms[name], arms["base"]]) for name in L3_RULES]
        fits = [n for n, d in decisions.items() if d.outcome == Outcome.HELD]
        open_ = [n for n, d in decisions.items() if d.outcome == Outcome.UNDECIDED]
        question = L3_QUESTION
        if fits:
            shows = Message("lesson.l3_shows", "{rules}: every seed's best validation loss within {close:.0%} of batch "
                            "64's", rules=question.describe_set(fits), close=CLOSE)
        elif open_:
            shows = Message("lesson.l3_shows_open", "no option clearly: {rules} inside the seeds' spread",
                            rules=question.describe_set(open_))
        else:
            shows = Message("lesson.l3_shows_none", "none of the three within {close:.0%} of batch 64's best "
                            "validation loss", close=CLOSE)
        answer = choice_answer("lr", fits, open_, shows, decided=bool(fits) or not open_)
        double = done["double"]
        failed = sum(m.failed for m in double)
        stable = failed * 2 <= len(double)
        if not stable:
            effect = Effect.NOT_SHOWN
            honesty = Message("lesson.l3_unstable", "The rule stops here: the doubled LR was unstable or diverged in "
                              "{failed} of {seeds} seeds. It is past the stability edge, where a larger step no "
                              "longer follows the valley; linear scaling only holds below it.", failed=failed,
                              seeds=len(double))
        elif decisions["double"].outcome == Outcome.HELD and decisions["keep"].outcome != Outcome.HELD:
            effect = Effect.SHOWED
            honesty = Message(
                "lesson.l3_showed", "The rule showed: doubling the LR with the batch kept every seed's best "
                "validation loss within {close:.0%} of batch 64's, and it trained stably ({failed} of {seeds} seeds "
                "unstable). Keeping the LR: {keep}; halving it: {halve}. This holds only below the stability edge: "
                "past it a doubled LR spikes and the rule stops. Seed 002's verdict on its pairs up to batch 256 "
                "is above.", close=CLOSE, failed=failed, seeds=len(double),
                keep=CLOSENESS[decisions["keep"].outcome], halve=CLOSENESS[decisions["halve"].outcome])
        elif decisions["keep"].outcome == Outcome.HELD:
            effect = Effect.NOT_SHOWN
            honesty = Message("lesson.l3_keep_held", "Not on these runs: keeping the LR also stayed within {close:.0%} "
                              "of batch 64 in every seed, so this step did not need the rule ({arms}).", close=CLOSE,
                              arms=arms["keep"].describe())
        elif decisions["double"].outcome == Outcome.NOT_HELD:
            effect = Effect.NOT_SHOWN
            honesty = Message("lesson.l3_not_shown", "Not on these runs: the doubled LR ended more than {close:.0%} "
                              "from batch 64 in every seed ({arms}).", close=CLOSE, arms=arms["double"].describe())
        else:
            effect = Effect.UNDECIDED
            honesty = undecided(reason(decisions["double"]))
        return LessonResult((answer,), effect, honesty, (*claims, *sweep))

    return measure


CLOSENESS = {Outcome.HELD: Message("lesson.close_held", "within the band in every seed"),
             Outcome.NOT_HELD: Message("lesson.close_not_held", "outside it in every seed"),
             Outcome.UNDECIDED: Message("lesson.close_undecided", "inside the seeds' spread, neither in nor out"),
             Outcome.MISSING: Message("lesson.close_missing", "not measured")}
L3_QUESTION = Question("lr", Message("lesson.l3_q", "Batch 64 → 128: what should the learning rate do to keep "
                                     "training like batch 64's?"),
                       options=tuple(Option(k, v) for k, v in L3_OPTIONS.items()))


def l3_panels(configs: Sequence[TrainConfig]) -> Callable[[Sequence[LessonRun], Prediction, Text], list[Panel]]:
    def panels(runs: Sequence[LessonRun], prediction: Prediction, text: Text) -> list[Panel]:
        arm_configs = l3_arms(configs)
        arms = [(arm_label(cs[0], L3_DONE.get(name)), cs) for name, cs in arm_configs.items() if cs]
        picked = prediction.get("lr")
        predicted = [arm_label(arm_configs[str(picked)][0], L3_DONE[str(picked)])] \
            if picked in L3_OPTIONS and arm_configs[str(picked)] else []
        return [curves(Message("lesson.l3_chart", "Validation loss: batch 64 at LR 0.03, and batch 128 at each LR "
                               "(mean and range over 3 seeds)"), runs, arms, "val_loss", text, predicted)]

    return panels


def l3(found: Mapping[str, Preset]) -> Lesson:
    scaling, configs = l3_configs(found)
    return Lesson(
        "L3", Message("lesson.l3_title", "Linear scaling"),
        Message("lesson.l3_question", "A 1-D CNN on MNIST-1D trains well at batch 64 with LR 0.03 (SGD with momentum, "
                "60 epochs). You double the batch to 128. What should the learning rate do so that training goes "
                "as it did at batch 64?"),
        (L3_QUESTION,), tuple(Request(c) for c in configs),
        Message("lesson.l3_setup", "Seed 002's linear-scaling pairs (batch 32 to 256, LR scaled, and the unscaled "
                "controls) and seed 003's batch 128 at the unchanged LR, three seeds each — {runs} runs shipped "
                "with the app.", runs=len(configs)),
        Message("lesson.l3_why", "A batch twice as large averages twice as many gradients, so each step is less "
                "noisy — and there are half as many steps in an epoch. What would make up for having half the "
                "steps?"),
        Message("lesson.l3_explain", "In one epoch batch 128 makes half the updates of batch 64. If each update moves "
                "the weights twice as far — twice the learning rate — one step of batch 128 does roughly what two "
                "steps of batch 64 did, and the curves per epoch line up: the linear scaling rule (Goyal et al. "
                "2017). The noise temperature η/B stays the same, so the runs are alike in how noisy their path "
                "is too.\n\nKeeping the LR gives half the progress per epoch; halving it a quarter. The rule is "
                "an approximation of small steps: once the doubled LR is past what the loss surface can take, it "
                "spikes instead, and the rule stops there."),
        l3_measure(scaling, configs), l3_panels(configs))


# --------------------------------------------------------------------------- L4 · when scaling breaks

# 18 epochs: Goyal's warm-up (5 of 90 epochs) is then exactly one epoch, and the 24 runs stay near 20 s of CPU.
L4_BASE = TrainConfig(dataset="digits", model="mlp", batch_size=16, epochs=18)
L4_NEW_BATCH = 512
L4_OPTIMIZERS = {"momentum": 0.01, "adam": 0.001}  # each optimizer's LR at batch 16
L4_RULES = {"linear": Message("lesson.rule_linear", "linear: LR × 32"),
            "warmup": Message("lesson.rule_warmup", "linear with a warm-up"),
            "sqrt": Message("lesson.rule_sqrt", "square root: LR × √32")}
L4_OPTIMIZER_NAMES = {"momentum": Message("lesson.opt_momentum", "SGD with momentum"),
                      "adam": Message("lesson.opt_adam", "Adam")}


def l4_arms(optimizer: str) -> dict[str, TrainConfig]:
    """Batch 16 at the optimizer's LR, and batch 512 by each rule (core.analysis.scaling's arithmetic): linear,
    linear with Goyal's warm-up from the old LR, and the square-root rule (for Adam Malladi's, β₂ and ε scaled)."""
    lr = L4_OPTIMIZERS[optimizer]
    base = dataclasses.replace(L4_BASE, optimizer=optimizer, learning_rate=lr)
    rules = plan(base.batch_size, lr, L4_NEW_BATCH, optimizer, n_samples=base.n_train, epochs=base.epochs)
    checked = rules.verification_configs(base)
    linear = checked["linear rule"]
    warmup = dataclasses.replace(linear, warmup_epochs=rules.warmup_epochs, warmup_start=lr / linear.learning_rate)
    return {"base": checked["old setting"], "linear": linear, "warmup": warmup,
            "sqrt": checked["Malladi rule" if "Malladi rule" in checked else "square-root rule"]}


def l4_requests() -> tuple[Request, ...]:
    return tuple(Request(c, shipped=False) for optimizer in L4_OPTIMIZERS
                 for c in with_seeds(l4_arms(optimizer).values(), REFERENCE_SEEDS))


def l4_decisions(runs: Sequence[LessonRun], optimizer: str
                 ) -> tuple[dict[str, Arm], dict[str, Decision], dict[str, list[Measured]]]:
    """Each rule's best validation loss against batch 16's, in the same epochs (a budget: no run is judged on
    whether it was still improving)."""
    configs = l4_arms(optimizer)
    done = {name: measured(runs, with_seeds([c], REFERENCE_SEEDS)) for name, c in configs.items()}
    arms = {name: arm(arm_label(configs[name], L4_RULES.get(name)), done[name], lambda m: m.best_val_loss)
            for name in configs}
    return arms, {name: close_to(arms[name], arms["base"]) for name in L4_RULES}, done


def l4_measure(runs: Sequence[LessonRun]) -> LessonResult:
    answers, claims, broke, details, averages = [], [], {}, [], []
    for optimizer, question in zip(L4_OPTIMIZERS, L4_QUESTIONS, strict=True):
        arms, decisions, done = l4_decisions(runs, optimizer)
        name = L4_OPTIMIZER_NAMES[optimizer]
        claims += [finding(Message("lesson.l4_claim", "{optimizer}, batch 512, {rule}: best validation loss within "
                                   "{close:.0%} of batch 16's, every seed", optimizer=name, rule=L4_RULES[rule],
                                   close=CLOSE), decisions[rule], [arms[rule], arms["base"]]) for rule in L4_RULES]
        fits = [r for r, d in decisions.items() if d.outcome == Outcome.HELD]
        open_ = [r for r, d in decisions.items() if d.outcome == Outcome.UNDECIDED]
        if fits:
            shows = Message("lesson.l4_shows", "{rules}: every seed's best validation loss within {close:.0%} of "
                            "batch 16's", rules=question.describe_set(fits), close=CLOSE)
        elif open_:
            shows = Message("lesson.l4_shows_open", "no rule clearly: {rules} inside the seeds' spread around that "
                            "band", rules=question.describe_set(open_))
        else:
            shows = Message("lesson.l4_shows_none", "none of the rules: every one ended more than {close:.0%} from "
                            "batch 16 in every seed", close=CLOSE)
        answers.append(choice_answer(optimizer, fits, open_, shows, decided=bool(fits) or not open_))
        linear_failed = sum(m.failed for m in done["linear"])
        if linear_failed * 2 > len(done["linear"]):
            broke[optimizer] = Outcome.HELD
        else:
            broke[optimizer] = {Outcome.NOT_HELD: Outcome.HELD, Outcome.HELD: Outcome.NOT_HELD}.get(
                decisions["linear"].outcome, Outcome.UNDECIDED)
        trained = [r for r in L4_RULES if arms[r].values]
        if trained and arms["base"].values:
            nearest = min(trained, key=lambda r: abs(arms[r].mean - arms["base"].mean))
            averages.append(Message("lesson.l4_nearest", "{optimizer}: on average the nearest to batch 16 was {rule} "
                                    "({mean:.4g} against {base:.4g}) — a mean, not a verdict", optimizer=name,
                                    rule=L4_RULES[nearest], mean=arms[nearest].mean, base=arms["base"].mean))
        words = {rule: CLOSENESS[d.outcome] for rule, d in decisions.items()}
        details.append(Message("lesson.l4_detail", "{optimizer}: linear {linear}; with a warm-up {warmup}; square "
                               "root {sqrt}", optimizer=name, **words))
    base = l4_arms("momentum")
    large = base["linear"]
    where = Message("lesson.l4_where", "{n:,} training digits, where batch 512 is {share:.0%} of the data and makes "
                    "{steps:,} updates in {epochs} epochs to batch 16's {small:,}", n=large.n_train,
                    share=L4_NEW_BATCH / large.n_train, steps=large.updates_per_epoch * large.epochs,
                    epochs=large.epochs, small=base["base"].updates_per_epoch * large.epochs)
    facts = (*details, *averages, where)
    broken = [L4_OPTIMIZER_NAMES[o] for o, b in broke.items() if b == Outcome.HELD]
    if broken:
        effect = Effect.SHOWED
        honesty = Message("lesson.l4_showed", "Linear scaling broke at ×32 for {optimizers}: the linear rule without "
                          "a warm-up ended more than {close:.0%} from batch 16, or failed to train. Each rule, as "
                          "measured — {details}. Goyal et al. scaled to batch 8k on ImageNet with a warm-up; this is "
                          "{where}. On data this small every rule may lag.",
                          optimizers=joined(broken), close=CLOSE, details=joined(list(details)), where=where)
    elif all(b == Outcome.NOT_HELD for b in broke.values()):
        effect = Effect.NOT_SHOWN
        honesty = Message("lesson.l4_not_shown", "Linear scaling did not break here: at ×32 the linear rule stayed "
                          "within {close:.0%} of batch 16 for both optimizers — {details}. This is {where}; on a "
                          "harder problem or a larger jump it may not.", close=CLOSE, details=joined(list(details)),
                          where=where)
    else:
        effect = Effect.UNDECIDED
        straddled = [L4_OPTIMIZER_NAMES[o] for o, b in broke.items() if b == Outcome.UNDECIDED]
        honesty = Message("lesson.l4_undecided", "These runs do not decide whether linear scaling broke for "
                          "{optimizers}: there the linear rule's seeds straddle the {close:.0%} band. Each rule, as "
                          "measured — {details}. This is {where}.", optimizers=joined(straddled), close=CLOSE,
                          details=joined(list(details)), where=where)
    return LessonResult(tuple(answers), effect, honesty, tuple(claims), facts)


L4_QUESTIONS = tuple(Question(optimizer, Message("lesson.l4_q", "{optimizer}: which rule at batch 512 ends closest to "
                                                 "batch 16?", optimizer=L4_OPTIMIZER_NAMES[optimizer]),
                              options=tuple(Option(k, v) for k, v in L4_RULES.items()))
                     for optimizer in L4_OPTIMIZERS)


def l4_panels(runs: Sequence[LessonRun], prediction: Prediction, text: Text) -> list[Panel]:
    found = []
    for optimizer in L4_OPTIMIZERS:
        configs = l4_arms(optimizer)
        arms = [(arm_label(c, L4_RULES.get(name)), with_seeds([c], REFERENCE_SEEDS)) for name, c in configs.items()]
        picked = prediction.get(optimizer)
        predicted = [arm_label(configs[str(picked)], L4_RULES[str(picked)])] if picked in L4_RULES else []
        found.append(curves(Message("lesson.l4_chart", "{optimizer}: validation loss at batch 16 and at batch 512 by "
                                    "each rule (3 seeds)", optimizer=L4_OPTIMIZER_NAMES[optimizer]), runs, arms,
                            "val_loss", text, predicted))
    return found


def l4() -> Lesson:
    requests = l4_requests()
    return Lesson(
        "L4", Message("lesson.l4_title", "When scaling breaks"),
        Message("lesson.l4_question", "Batch 16 → 512 is 32× the batch. Does 32× the learning rate still work? Three "
                "rules: linear (LR × 32), linear with a warm-up (start at the old LR and climb to LR × 32), and the "
                "square root (LR × √32 ≈ 5.7). For SGD with momentum and for Adam, which one ends closest to "
                "batch 16?"),
        L4_QUESTIONS, requests,
        Message("lesson.l4_setup", "An MLP on the digits, {epochs} epochs, three seeds: batch 16 and batch 512 by each "
                "rule, for both optimizers — {runs} runs trained live on this server (seconds on two cores; once "
                "trained, every later Run is answered at once).", runs=len(requests), epochs=L4_BASE.epochs),
        Message("lesson.l4_why", "Why would the rule that worked for 64 → 128 stop working for 16 → 512? Think "
                "about the first steps, when the weights are random, and about what a batch of half the data can "
                "still average away."),
        Message("lesson.l4_explain", "The linear rule assumes many small steps, so that one step of the large batch "
                "does what k small steps did. At k = 32 that stops being true: the first large steps, taken where "
                "the loss surface is steepest, can overshoot. Goyal et al. start at the old LR and climb to the new "
                "one over the first epochs — the warm-up — and so trained ImageNet at batch 8k.\n\nAdam already "
                "divides its step by the gradient's size, and the noise it reacts to shrinks like √B, so theory "
                "says its LR should grow like √k (Malladi et al. 2022, who also scale β and ε). And every rule ends "
                "where the batch stops being a sample: at {large} of {n:,} digits the batch is {share:.0%} of the "
                "whole set.", large=L4_NEW_BATCH, n=L4_BASE.n_train, share=L4_NEW_BATCH / L4_BASE.n_train),
        l4_measure, l4_panels)


# --------------------------------------------------------------------------- L5 · critical batch size

L5_TARGET = 0.85  # validation accuracy: every scaled run of seed 002 reaches it, none in its first epochs
L5_MIN_EPOCHS = 10  # counted at epoch ends, S is known to within 1/epoch: at most 10% from here on


def l5_configs(preset: Preset) -> tuple[list[TrainConfig], list[TrainConfig]]:
    """Seed 002's scaled arms (the LR scaled linearly with the batch) and its unscaled controls."""
    base_lr, smallest = min(c.learning_rate for c in preset.configs), min(c.batch_size for c in preset.configs)
    scaled = [c for c in preset.configs if math.isclose(c.learning_rate, base_lr * c.batch_size / smallest)]
    fixed = [c for c in preset.configs if c not in scaled]
    return scaled, fixed


@dataclass(frozen=True)
class Reach:
    """One batch size's seeds on their way to the target: each seed's steps and epoch (None: never reached)."""

    batch_size: int
    learning_rate: float
    steps: tuple[int | None, ...]
    epochs: tuple[int | None, ...]
    budget: int  # the steps every seed made

    @property
    def point(self) -> BatchPoint:
        return BatchPoint(self.batch_size, self.learning_rate, tuple(map(float_or_none, self.steps)), self.budget)


def float_or_none(value: int | None) -> float | None:
    return None if value is None else float(value)


def reaches(done: Sequence[Measured], configs: Sequence[TrainConfig]) -> list[Reach]:
    found = []
    for batch in sorted({c.batch_size for c in configs}):
        runs = [m for m in done if m.batch_size == batch]
        if not runs:
            continue
        rows = [next((r for r in m.rows if r["epoch"] > 0 and r["val_acc"] >= L5_TARGET), None) for m in runs]
        found.append(Reach(batch, runs[0].learning_rate, tuple(r["step"] if r else None for r in rows),
                           tuple(r["epoch"] if r else None for r in rows), min(m.last["step"] for m in runs)))
    return found


def steps_text(reach: Reach) -> Message:
    hit = [s for s in reach.steps if s is not None]
    if not hit:
        return Message("lesson.l5_not_reached", "batch {batch}: not reached in {budget:,} steps",
                       batch=reach.batch_size, budget=reach.budget)
    text = Message("lesson.l5_steps", "batch {batch}: {steps} steps", batch=reach.batch_size, steps=span(hit))
    if len(hit) < len(reach.steps):
        text = Message("lesson.l5_some", "{text} ({missed} of {seeds} seeds never reached it)", text=text,
                       missed=len(reach.steps) - len(hit), seeds=len(reach.steps))
    return text


L5_SHAPES = {"line": Message("lesson.l5_line", "they keep halving: a straight line"),
             "bend": Message("lesson.l5_bend", "they halve at first, then level off: a bend, then flat"),
             "u": Message("lesson.l5_u", "they fall, then rise again: a U")}
L5_QUESTION = Question("shape", Message("lesson.l5_q", "Doubling the batch from 32 to 256 (the LR scaled with it): how "
                                        "do the update steps to {target:.0%} validation accuracy change?",
                                        target=L5_TARGET), options=tuple(Option(k, v) for k, v in L5_SHAPES.items()))


def l5_measure(preset: Preset) -> Callable[[Sequence[LessonRun]], LessonResult]:
    scaled, fixed = l5_configs(preset)

    def measure(runs: Sequence[LessonRun]) -> LessonResult:
        found = reaches(measured(runs, scaled), scaled)
        controls = reaches(measured(runs, fixed), fixed)
        reached = [r for r in found if any(s is not None for s in r.steps)]
        n_train = scaled[0].n_train
        fit = critical_batch([r.point for r in found], n_train)
        low, high = (found[0].batch_size, found[-1].batch_size) if found else (0, 0)
        epochs = [e for r in reached for e in r.epochs if e is not None]
        resolution = 1 / min(epochs) if epochs else math.nan
        seeds = max((len(r.steps) for r in found), default=0)
        measured_what = Message(
            "lesson.l5_measured", "What was measured: seed 002's scaling runs, batch {low}–{high} with the LR scaled "
            "linearly from batch {low}'s (not retuned per batch, as Shallue et al. do), {seeds} seeds, the steps "
            "counted at epoch ends (each known to within one epoch: {resolution:.0%} at most here). Not measured "
            "here: batches beyond {high}, and the gradient noise scale B_simple. The noise scale grows as the loss "
            "falls (McCandlish et al.), so a harder target moves the bend to larger batches; the Critical batch "
            "page measures S(B) step by step, with the LR tuned per batch, up to batch 1024.", low=low, high=high,
            seeds=seeds, resolution=resolution)
        facts: list[Message] = [Message("lesson.l5_points", "Steps to {target:.0%} validation accuracy, LR scaled: "
                                        "{points}.", target=L5_TARGET, points=joined([steps_text(r) for r in found]))]
        if controls:
            facts.append(Message("lesson.l5_controls", "At the unscaled LR {lr:g}: {points}.",
                                 lr=controls[0].learning_rate, points=joined([steps_text(r) for r in controls])))
        rise = l5_rise(reached)
        claim = Message("lesson.l5_claim", "The steps to {target:.0%} validation accuracy bend away from perfect "
                        "scaling: S = S_min (1 + B_crit / B) fits with B_crit inside the batch sizes tested",
                        target=L5_TARGET)
        evidence = joined([steps_text(r) for r in found]) if found else Message("lesson.l5_none", "no runs")
        if fit.determined and fit.fit is not None:
            facts.append(Message("lesson.l5_fit", "Fitted: B_crit ≈ {b_crit:,.0f}, S_min ≈ {s_min:,.0f} steps.",
                                 b_crit=fit.fit.b_crit, s_min=fit.fit.s_min))
        if len(found) < 3 or seeds < MIN_SEEDS:
            shape, why = None, Message("lesson.l5_few", "fewer than 3 batch sizes or {n} seeds", n=MIN_SEEDS)
        elif not math.isfinite(resolution) or resolution > 1 / L5_MIN_EPOCHS:
            shape, why = None, Message("lesson.l5_coarse", "a batch size reached the target within its first {epochs} "
                                       "epochs, where counting at epoch ends is coarser than 10%",
                                       epochs=L5_MIN_EPOCHS)
        elif rise is not None and rise.outcome == Outcome.HELD:
            shape, why = "u", rise.why
        elif fit.why_not is not None and fit.why_not.key == "critical.no_bend":
            shape, why = "line", fit.why_not
        elif fit.determined:
            shape, why = "bend", Message("lesson.l5_bent", "the fit bends inside the batch sizes tested")
        elif fit.why_not is not None:
            shape, why = None, Message("lesson.l5_refused", "the fit says: “{why}”", why=fit.why_not)
        else:
            shape, why = None, Message("lesson.l5_no_fit", "no fit")
        outcome = {"bend": Outcome.HELD, "line": Outcome.NOT_HELD}.get(shape or "", Outcome.UNDECIDED)
        verdict_ = Finding(claim, outcome, evidence, why)
        if shape is None:
            answer = Answer("shape", False, why)
            effect = Effect.UNDECIDED
            honesty = Message("lesson.l5_undecided", "These runs do not decide the shape: {why}. {measured}", why=why,
                              measured=measured_what)
        else:
            answer = choice_answer("shape", [shape], [], because(L5_SHAPES[shape], why))
            if shape == "line":
                effect = Effect.NOT_SHOWN
                honesty = Message("lesson.l5_not_shown", "No bend here: from batch {low} to {high} every doubling "
                                  "about halved the steps to the target ({points}). {measured}", low=low, high=high,
                                  points=evidence, measured=measured_what)
            elif shape == "u":
                effect = Effect.SHOWED
                honesty = Message("lesson.l5_u_showed", "The steps stopped falling: batch {high} needed more steps "
                                  "than the batch before it, in every seed. With the LR scaled rather than tuned, "
                                  "a large batch's LR can overshoot; tuned per batch, S(B) levels off instead. "
                                  "{measured}",
                                  high=reached[-1].batch_size, measured=measured_what)
            else:
                effect = Effect.SHOWED
                honesty = Message("lesson.l5_showed", "A bend showed: the steps stopped halving inside batch "
                                  "{low}–{high}. {measured}", low=low, high=high, measured=measured_what)
        return LessonResult((answer,), effect, honesty, (verdict_,), tuple(facts))

    return measure


def l5_rise(reached: Sequence[Reach]) -> Decision | None:
    """Whether the largest batch needed more steps than the one before it, over their seeds."""
    if len(reached) < 2:
        return None
    before, last = (Arm(batch_name(r.batch_size), tuple(float(s) for s in r.steps if s is not None))
                    for r in reached[-2:])
    return decide(before, last)


def l5_panels(preset: Preset) -> Callable[[Sequence[LessonRun], Prediction, Text], list[Panel]]:
    scaled, _ = l5_configs(preset)

    def panels(runs: Sequence[LessonRun], prediction: Prediction, text: Text) -> list[Panel]:
        found = reaches(measured(runs, scaled), scaled)
        rows = tuple({"batch_size": r.batch_size, "steps": s, "seed": i} for r in found
                     for i, s in enumerate(r.steps) if s is not None)
        medians = [(r.batch_size, statistics.median(hit)) for r in found
                   if (hit := [s for s in r.steps if s is not None])]
        lines: list[dict[str, Any]] = []
        measured_name = text(Message("lesson.l5_median", "measured (median over seeds)"))
        perfect_name = text(Message("lesson.l5_perfect", "perfect scaling: half the steps per doubling"))
        lines += [{"batch_size": b, "steps": s, "line": measured_name, "kind": "measured"} for b, s in medians]
        picked = prediction.get("shape")
        if medians:
            b0, s0 = medians[0]
            lines += [{"batch_size": b, "steps": s0 * b0 / b, "line": perfect_name, "kind": "perfect"}
                      for b, _ in medians]
            if isinstance(picked, str) and picked in L5_SHAPES:
                yours = text(Message("lesson.l5_yours", "your prediction (its shape, from batch {batch}'s point)",
                                     batch=b0))
                lines += [{"batch_size": b, "steps": s, "line": yours, "kind": "yours"}
                          for b, s in sketch(picked, b0, s0, medians[-1][0])]
        return [Panel(SHAPE, Message("lesson.l5_chart", "Update steps to {target:.0%} validation accuracy against the "
                                     "batch size (log–log)", target=L5_TARGET), rows=rows, lines=tuple(lines))]

    return panels


def sketch(shape: str, b0: float, s0: float, b1: float, points: int = 16) -> list[tuple[float, float]]:
    """The predicted shape drawn from the smallest batch's point (b0, s0) to batch b1: a line of slope −1
    on log–log axes; McCandlish's S_min (1 + B_crit / B) with its bend in the middle of the range; or a fall
    to the middle and a rise back. A picture of the prediction, not of anything measured."""
    sizes = [float(b) for b in np.geomspace(b0, b1, points)]
    middle = math.sqrt(b0 * b1)
    if shape == "line":
        return [(b, s0 * b0 / b) for b in sizes]
    if shape == "bend":
        s_min = s0 / (1 + middle / b0)
        return [(b, s_min * (1 + middle / b)) for b in sizes]
    return [(b, s0 * b0 / b if b <= middle else s0 * b0 / middle * b / middle) for b in sizes]


def l5(found: Mapping[str, Preset]) -> Lesson:
    preset = found["seed002-scaling"]
    return Lesson(
        "L5", Message("lesson.l5_title", "Critical batch size"),
        Message("lesson.l5_question", "Twice the batch, half the steps? With the learning rate scaled along, "
                "doubling the batch can halve the update steps a run needs — for a while. From batch 32 to 256, "
                "what shape do the steps to {target:.0%} validation accuracy make?", target=L5_TARGET),
        (L5_QUESTION,), tuple(Request(c) for c in preset.configs),
        Message("lesson.l5_setup", "Seed 002's linear-scaling pairs on MNIST-1D: batch 32, 64, 128 and 256 with the "
                "LR scaled (and the same batches at the unscaled LR), 60 epochs, three seeds each — {runs} runs "
                "shipped with the app; the steps to the target are read off their epochs.", runs=len(preset.configs)),
        Message("lesson.l5_why", "A batch averages its gradients. When does averaging more of them stop helping? "
                "Think of a batch so large that its gradient barely changes if you add more samples."),
        Message("lesson.l5_explain", "While the gradient noise dominates, a batch twice as large gives a gradient "
                "twice as precise, and with the LR scaled one step does what two did: half the steps (perfect "
                "scaling). Once the batch's gradient is about as good as the true one, a larger batch adds "
                "precision nobody needs, and the steps stop falling: diminishing returns, then a floor, S_min "
                "(Shallue et al. 2019). McCandlish et al. (2018) model it as S = S_min (1 + B_crit / B); the bend "
                "sits near the critical batch size B_crit, which the gradient noise scale B_simple estimates.\n\n"
                "The bend moves: the noise scale grows as the loss falls, so a harder target puts it at larger "
                "batches."),
        l5_measure(preset), l5_panels(preset))


# --------------------------------------------------------------------------- L6 · sharp minima

L6_SHARP_BASE = TrainConfig(dataset="linear", model="mlp", optimizer="adam", learning_rate=0.01, epochs=30)
L6_SMALL, L6_LARGE = 16, 256
L6_OPTIONS = {"small": Message("lesson.l6_small", "the small batch"),
              "large": Message("lesson.l6_large", "the large batch"),
              "same": Message("lesson.l6_same", "no clear difference")}


def l6_sharp_configs() -> list[TrainConfig]:
    return preset_configs(L6_SHARP_BASE, L6_SMALL, L6_LARGE, len(REFERENCE_SEEDS))


def l6_gap_arms(preset: Preset) -> dict[str, list[TrainConfig]]:
    """Seed 003's batch 64 at its LR and batch 256 with the LR scaled ×4: the arms of its verdict."""
    small_lr = min(c.learning_rate for c in preset.configs if c.batch_size == 64)
    return {"small": [c for c in preset.configs if c.batch_size == 64 and math.isclose(c.learning_rate, small_lr)],
            "large": [c for c in preset.configs if c.batch_size == 256 and math.isclose(c.learning_rate, 4 * small_lr)]}


def tri(decided: Finding, held: str, opposite: str) -> tuple[str | None, Message]:
    """A verdict as one of the options: `held`, `opposite`, "same" (the difference inside the spread), or None."""
    if decided.outcome == Outcome.HELD:
        return held, reason(decided)
    if decided.outcome == Outcome.NOT_HELD:
        return opposite, reason(decided)
    if inside_spread(decided):
        return "same", reason(decided)
    return None, reason(decided)


def l6_measure(preset: Preset) -> Callable[[Sequence[LessonRun]], LessonResult]:
    sharp_configs = l6_sharp_configs()

    def measure(runs: Sequence[LessonRun]) -> LessonResult:
        generalization = seed003(measured(runs, preset.configs))
        gap = generalization[0] if generalization else missing(SEED003_CLAIM)
        results = [r.result for r in of(runs, sharp_configs) if r.result is not None]
        sharp = verdict([RunSummary.of(r) for r in results])
        sharper, sharper_why = tri(sharp.sharper, "large", "small")
        better, better_why = tri(gap, "small", "large")
        answers = []
        for question, value, why in ((L6_QUESTIONS[0], sharper, sharper_why), (L6_QUESTIONS[1], better, better_why)):
            if value is None:
                answers.append(Answer(question.id, False, why))
            else:
                answers.append(choice_answer(question.id, [value], [], because(L6_OPTIONS[value], why)))
        parts = [(sharper, "large"), (better, "small")]
        if all(value == expected for value, expected in parts):
            effect = Effect.SHOWED
        elif any(value is not None and value != expected for value, expected in parts):
            effect = Effect.NOT_SHOWN
        else:
            effect = Effect.UNDECIDED
        losses = [Arm(Message("lesson.l6_loss_arm", "training loss at {batch}", batch=batch_name(b)),
                      tuple(x for r in results if r.config.batch_size == b and (x := final_train_loss(r)) is not None))
                  for b in (L6_SMALL, L6_LARGE)]
        measured_what = Message(
            "lesson.l6_measured", "What was measured: the sharpness (the top Hessian eigenvalue) of a small MLP on the "
            "regression line, batch {small} vs {large}, Adam, 30 epochs, {seeds} seeds — there both batch sizes end "
            "near the noise floor ({losses}), so neither looks sharper just for being less trained, which is what "
            "the classifiers here do at equal epochs; and the generalization gap on seed 003's MNIST-1D runs, batch "
            "64 vs 256 with the LR scaled ×4, at the best epoch, at an equal training loss and at equal update "
            "steps.", small=L6_SMALL, large=L6_LARGE, seeds=len(REFERENCE_SEEDS),
            losses=joined([a.describe() for a in losses]))
        contested = Message(
            "lesson.l6_contested", "The claim is contested: Shallue et al. found no loss of quality at large batches "
            "once the learning rate was tuned; Hoffer et al. traced the gap to fewer updates, not to the batch; "
            "Dinh et al. showed that sharpness changes under reparametrizations that leave the function the same. "
            "No gap is a legitimate result.")
        words = Message("lesson.l6_words", "sharper: {sharper}; generalizes better: {better}",
                        sharper=answers[0].shows, better=answers[1].shows)
        if effect == Effect.SHOWED:
            honesty = Message("lesson.l6_showed", "The claim showed on these runs — {words}. {contested} {measured}",
                              words=words, contested=contested, measured=measured_what)
        elif effect == Effect.NOT_SHOWN:
            honesty = Message("lesson.l6_not_shown", "The claim did not show in full on these runs — {words}. "
                              "{contested} {measured}", words=words, contested=contested, measured=measured_what)
        else:
            honesty = Message("lesson.l6_undecided", "These runs do not decide the claim — {words}. {contested} "
                              "{measured}", words=words, contested=contested, measured=measured_what)
        return LessonResult(tuple(answers), effect, honesty, (sharp.sharper, sharp.worse, gap))

    return measure


def final_train_loss(result: RunResult) -> float | None:
    row = result.final_weights_row
    return row["train_loss"] if row is not None and math.isfinite(row["train_loss"]) else None


SEED003_CLAIM = Message("lesson.l6_gap_claim", "Larger batches generalize worse (seed 003)")
L6_QUESTIONS = (
    Question("sharper", Message("lesson.l6_q_sharper", "At equal epochs, which ends in the sharper minimum?"),
             options=tuple(Option(k, v) for k, v in L6_OPTIONS.items())),
    Question("better", Message("lesson.l6_q_better", "At equal epochs, which generalizes better (a smaller gap between "
                               "validation and training loss)?"),
             options=tuple(Option(k, v) for k, v in L6_OPTIONS.items())))


def l6_panels(preset: Preset) -> Callable[[Sequence[LessonRun], Prediction, Text], list[Panel]]:
    sharp_configs = l6_sharp_configs()

    def panels(runs: Sequence[LessonRun], prediction: Prediction, text: Text) -> list[Panel]:
        gap_arms = l6_gap_arms(preset)
        arms = [(arm_label(cs[0]), cs) for cs in gap_arms.values() if cs]
        picked = prediction.get("better")
        predicted = [arm_label(gap_arms[str(picked)][0])] if picked in gap_arms and gap_arms[str(picked)] else []
        points = tuple({"batch_size": r.result.config.batch_size, "seed": r.result.config.seed,
                        "sharpness": r.result.sharpness} for r in of(runs, sharp_configs) if r.result is not None)
        title = Message("lesson.l6_sharp_chart", "The regression MLP: every seed's sharpness at the end, batch {small} "
                        "vs {large}", small=L6_SMALL, large=L6_LARGE)
        sharper = prediction.get("sharper")
        if isinstance(sharper, str) and sharper in L6_OPTIONS:
            title = Message("lesson.l6_sharp_yours", "{title} — your prediction: {sharper}", title=title,
                            sharper=L6_OPTIONS[sharper])
        return [curves(Message("lesson.l6_chart", "Seed 003: the generalization gap (validation − training loss) of "
                               "batch 64 and batch 256 (3 seeds)"), runs, arms, "gap", text, predicted),
                Panel(SHARPNESS, title, rows=points)]

    return panels


def l6(found: Mapping[str, Preset]) -> Lesson:
    preset = found["seed003"]
    sharp = l6_sharp_configs()
    return Lesson(
        "L6", Message("lesson.l6_title", "Sharp minima"),
        Message("lesson.l6_question", "Keskar et al. (2017) reported that large batches end in sharp minima — where "
                "the loss rises steeply around the weights — and generalize worse. Small batch vs large batch at the "
                "same number of epochs: which ends sharper, and which generalizes better?"),
        L6_QUESTIONS, (*(Request(c) for c in preset.configs), *(Request(c, "sharpness", shipped=False) for c in sharp)),
        Message("lesson.l6_setup", "Seed 003's preset (batch 64 / 128 / 256, LR scaled or fixed, MNIST-1D, three "
                "seeds: {shipped} runs shipped with the app) for the gap, and {live} runs of a small MLP on the "
                "regression line, batch {small} vs {large}, trained live with their sharpness measured (seconds).",
                shipped=len(preset.configs), live=len(sharp), small=L6_SMALL, large=L6_LARGE),
        Message("lesson.l6_why", "What could make a minimum found by a small batch flatter? Picture a noisy step: "
                "where can it stay, and where does it get kicked out of?"),
        Message("lesson.l6_explain", "A small batch's steps are noisy. In a narrow, sharp valley that noise kicks "
                "the weights out again; only wide, flat valleys hold them. A large batch's steps are calm and can "
                "settle in a sharp valley. A flat minimum is thought to generalize better because the test loss, "
                "shifted a little from the training loss, stays low around it.\n\nBut at equal epochs the large "
                "batch also makes far fewer updates, and a less-trained network looks sharper and generalizes "
                "differently for that reason alone — so the comparison only means something when both have "
                "trained about as far."),
        l6_measure(preset), l6_panels(preset))


# --------------------------------------------------------------------------- L7 · epochs and early stopping

L7_PATIENCE = 10
L7_RISE = 0.05  # a validation loss more than 5% above its best has risen again


def l7_configs(found: Mapping[str, Preset]) -> tuple[list[TrainConfig], list[TrainConfig]]:
    """Seed 002's base runs (MNIST-1D, batch 64, LR 0.03, 60 epochs) and seed 001's batch 128 for 5 epochs."""
    lr = found["seed002-lr"].configs
    base = sorted({c.learning_rate for c in lr})[len({c.learning_rate for c in lr}) // 2]
    main = [c for c in lr if math.isclose(c.learning_rate, base)]
    short = [c for c in found["seed001"].configs if c.epochs == 5 and c.batch_size == 128]
    return main, short


def early_stop(rows: Sequence[HistoryRow], config: TrainConfig, patience: int) -> tuple[int, int | None]:
    """Where early stopping with `patience` would have stopped this history, and the epoch it would restore.

    The engine's own rule (core.training.engine.EarlyStopping), fed the recorded epochs: up to its stop an
    early-stopped run trains exactly these epochs (same config, same seed), so this is what it would do."""
    rule = EarlyStopping(dataclasses.replace(config, early_stopping=True, patience=patience, restore_best=False))
    for row in rows:
        if rule.should_stop(row, nn.Module()):  # no weights to keep: restore_best is off
            return int(row["epoch"]), rule.best.epoch
    return int(rows[-1]["epoch"]), rule.best.epoch


def tolerance(epochs: int) -> int:
    """How far from the seeds' best epochs a predicted epoch still counts: a tenth of the run, at least 2."""
    return max(2, round(epochs / 10))


def l7_measure(found: Mapping[str, Preset]) -> Callable[[Sequence[LessonRun]], LessonResult]:
    main_configs, short_configs = l7_configs(found)

    def measure(runs: Sequence[LessonRun]) -> LessonResult:
        main = [m for m in measured(runs, main_configs) if m.trained and m.best_epoch is not None]
        short = measured(runs, short_configs)
        underfit = l7_underfit(short)
        if len(main) < MIN_SEEDS:
            return LessonResult((Answer("epoch", False, FEW_SEEDS),), Effect.UNDECIDED, undecided(FEW_SEEDS))
        epochs = main[0].epochs
        bests = [int(m.best_epoch or 0) for m in main]
        slack = tolerance(epochs)
        answer = Answer("epoch", True, Message(
            "lesson.l7_shows", "the lowest validation loss at epoch {best} (each seed's best epoch; a prediction "
            "within {slack} epochs of it counts)", best=span(bests), slack=slack),
            epochs=(max(1, min(bests) - slack), min(epochs, max(bests) + slack)))
        rises = Arm(Message("lesson.l7_rise_arm", "the validation loss at the last epoch, % above its best"),
                    tuple(100 * (m.last["val_loss"] / m.best_val_loss - 1) for m in main))
        if rises.low > 100 * L7_RISE:
            decision = Decision(Outcome.HELD, Message("lesson.l7_rose", "every seed ends more than {rise:.0%} above "
                                                      "its best", rise=L7_RISE))
        elif rises.high <= 100 * L7_RISE:
            decision = Decision(Outcome.NOT_HELD, Message("lesson.l7_flat", "no seed ends more than {rise:.0%} above "
                                                          "its best", rise=L7_RISE))
        else:
            decision = Decision(Outcome.UNDECIDED, OVERLAP)
        claim = finding(Message("lesson.l7_claim", "After its best epoch the validation loss rises again (a U): every "
                                "seed ends more than {rise:.0%} above its best", rise=L7_RISE), decision, [rises])
        config_of = {c.seed: c for c in main_configs}
        stops = [early_stop(m.rows, config_of[m.seed], L7_PATIENCE) for m in main]
        early = Message("lesson.l7_early", "With patience {patience}, early stopping would have stopped after epoch "
                        "{stop} and restored epoch {restored}, leaving {left} of the {epochs} epochs untrained — the "
                        "engine's rule applied to these runs' own validation losses (up to its stop, an early-stopped "
                        "run trains exactly these epochs).", patience=L7_PATIENCE, stop=span([s for s, _ in stops]),
                        restored=span([b or 0 for _, b in stops]), left=span([epochs - s for s, _ in stops]),
                        epochs=epochs)
        facts = [early] + ([underfit] if underfit is not None else [])
        tail = underfit if underfit is not None else Message("lesson.l7_short_missing", "(Seed 001's short runs, "
                                                             "the underfitting case, are missing here.)")
        if decision.outcome == Outcome.HELD:
            effect = Effect.SHOWED
            honesty = Message("lesson.l7_showed", "The U showed: every seed's validation loss rose more than "
                              "{rise:.0%} after its best epoch ({rises}). Training on past epoch {last_best} only fit "
                              "the training set better. {underfit}", rise=L7_RISE, rises=claim.evidence,
                              last_best=max(bests), underfit=tail)
        elif decision.outcome == Outcome.NOT_HELD:
            effect = Effect.NOT_SHOWN
            honesty = Message("lesson.l7_not_shown", "Not on these runs: the validation loss did not rise after its "
                              "best epoch ({rises}). When it never rises, the model is still underfitting: train "
                              "longer. {underfit}", rises=claim.evidence, underfit=tail)
        else:
            effect = Effect.UNDECIDED
            honesty = undecided(claim.evidence)
        return LessonResult((answer,), effect, honesty, (claim,), tuple(facts))

    return measure


def l7_underfit(short: Sequence[Measured]) -> Message | None:
    """Seed 001's line after 5 epochs at batch 128: is its best epoch its last, and was it still falling?"""
    if not short:
        return None
    last = sum(m.val_still_improving for m in short)
    falling = sum(m.train_still_falling for m in short)
    return Message("lesson.l7_underfit", "Seed 001's line at batch 128, stopped after 5 epochs: its best epoch was its "
                   "last in {last} of {seeds} seeds and its training loss still falling in {falling} — stopped that "
                   "early, it underfits. A line fitted to y = 3x + noise can only underfit: it has too few parameters "
                   "to learn the noise.", last=last, seeds=len(short), falling=falling)


def l7_panels(found: Mapping[str, Preset]) -> Callable[[Sequence[LessonRun], Prediction, Text], list[Panel]]:
    main_configs, short_configs = l7_configs(found)

    def panels(runs: Sequence[LessonRun], prediction: Prediction, text: Text) -> list[Panel]:
        main = [m for m in measured(runs, main_configs) if m.best_epoch is not None]
        rules: list[dict[str, Any]] = []
        picked = prediction.get("epoch")
        if main:
            bests = [int(m.best_epoch or 0) for m in main]
            rules.append({"x": min(bests), "x2": max(bests), "yours": False,
                          "label": text(Message("lesson.l7_best_band", "best epoch (seeds): {best}",
                                                best=span(bests)))})
            config_of = {c.seed: c for c in main_configs}
            stops = [early_stop(m.rows, config_of[m.seed], L7_PATIENCE)[0] for m in main]
            rules.append({"x": max(stops), "yours": False, "label": text(Message(
                "lesson.l7_stop_rule", "early stopping (patience {patience}) stops: {stop}", patience=L7_PATIENCE,
                stop=span(stops)))})
        if isinstance(picked, int):
            rules.append({"x": picked, "yours": True,
                          "label": text(Message("lesson.l7_your_rule", "your prediction: epoch {epoch}",
                                                epoch=picked))})
        config = main_configs[0]
        val = Message("lesson.l7_val", "{arm}: validation", arm=arm_label(config))
        train = Message("lesson.l7_train", "{arm}: training", arm=arm_label(config))
        val_panel = curves(Message("lesson.l7_chart", "MNIST-1D, batch 64, LR 0.03: training and validation loss "
                                   "(mean and range over 3 seeds)"), runs, [(val, main_configs)], "val_loss", text,
                           axes=("epoch",), rules=rules)
        train_panel = curves(val_panel.title, runs, [(train, main_configs)], "train_loss", text, axes=("epoch",))
        table = pd.concat([t for t in (val_panel.table, train_panel.table) if t is not None], ignore_index=True)
        both = dataclasses.replace(val_panel, table=table, metric=LOSS)
        short = curves(Message("lesson.l7_short_chart", "Seed 001's line at batch 128 for 5 epochs: validation loss "
                               "(3 seeds)"), runs, [(arm_label(short_configs[0]), short_configs)], "val_loss", text,
                       axes=("epoch",)) if short_configs else None
        return [both] + ([short] if short is not None else [])

    return panels


def l7(found: Mapping[str, Preset]) -> Lesson:
    main, short = l7_configs(found)
    epochs = main[0].epochs
    return Lesson(
        "L7", Message("lesson.l7_title", "Epochs and early stopping"),
        Message("lesson.l7_question", "A 1-D CNN trains on MNIST-1D for {epochs} epochs (batch 64, LR 0.03, SGD with "
                "momentum). The training loss falls all the way. When is the model best on data it has never "
                "seen?", epochs=epochs),
        (Question("epoch", Message("lesson.l7_q", "Drag the marker to the epoch with the lowest validation loss."),
                  Kind.EPOCH, last=epochs),),
        tuple(Request(c) for c in (*main, *short)),
        Message("lesson.l7_setup", "Seed 002's base runs on MNIST-1D ({epochs} epochs, three seeds) and seed 001's "
                "line at batch 128 for 5 epochs (three seeds) — {runs} runs shipped with the app. Early stopping is "
                "applied to their recorded validation losses with the engine's own rule.", epochs=epochs,
                runs=len(main) + len(short)),
        Message("lesson.l7_why", "The training loss keeps falling. Why would the loss on unseen data stop following "
                "it — and what would you want training to do once it has?"),
        Message("lesson.l7_explain", "Early on, everything the network learns is about the signals' shapes, and both "
                "losses fall. Later it starts to learn the training samples themselves — their noise, their quirks "
                "— which helps on them and not on new samples: the validation loss stops falling and rises again, a "
                "U. That is overfitting.\n\nEarly stopping watches the validation loss and stops when it has not "
                "improved for `patience` epochs, then restores the weights of the best epoch (Keras' EarlyStopping). "
                "A model too simple for its data never reaches the rising side: its validation loss only falls, and "
                "stopping early only leaves it underfit."),
        l7_measure(found), l7_panels(found))


# --------------------------------------------------------------------------- the seven

def lessons() -> dict[str, Lesson]:
    """The seven lessons by id, in teaching order. Seed 000's lesson follows its preset's dataset
    (CIFAR-10 when its files are here, else digits: only the digits runs are shipped)."""
    return dict(_lessons(cifar10_available()))


@cache
def _lessons(cifar10: bool) -> dict[str, Lesson]:
    """Made once per dataset choice (presets()'s): the Class and Lessons pages ask on every run."""
    found = presets()
    made = [l1(found), l2(found), l3(found), l4(), l5(found), l6(found), l7(found)]
    return {lesson.id: lesson for lesson in made}
