"""A lesson's prediction and what the runs measured: the questions a student answers before the run,
the runs' own answer to each, and whether the two agree.

Predict first, then look (White & Gunstone 1992; Crouch et al. 2004; Miller et al. 2013): each
lesson asks one or two quick questions, and Run stays locked until every one has an answer. Three
kinds of question:

- CHOICE: one option of a few (batch 16 or batch 128; keep, double or halve the LR);
- CELLS: any number of cells of a grid (which runs diverge), or none of them;
- EPOCH: one epoch (where the validation loss is lowest).

The runs answer each question with an `Answer`: the options that fit what was measured (one or
more), the options the runs leave open (their difference is inside the seed-to-seed spread), or no
answer at all when the runs cannot decide. `compare` sets a prediction beside it: matched, missed,
or open — "you predicted X; the runs show Y".
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from core.messages import Message


class Kind(StrEnum):
    CHOICE = "choice"
    CELLS = "cells"
    EPOCH = "epoch"


class Effect(StrEnum):
    """What the honesty box says about the lesson's effect on the runs measured."""

    SHOWED = "showed"  # the effect the lesson is about is there, beyond the seed-to-seed spread
    NOT_SHOWN = "not shown"  # the runs show the opposite, or nothing at all
    UNDECIDED = "undecided"  # the runs cannot tell (inside the spread, too few seeds, still improving)


class Match(StrEnum):
    MATCHED = "matched"
    MISSED = "missed"
    OPEN = "open"  # the runs do not decide the question, or leave this option open


@dataclass(frozen=True)
class Option:
    id: str
    name: Message


NONE_OF_THEM = Message("lesson.none_of_them", "none of them")


@dataclass(frozen=True)
class Question:
    """One thing the student predicts: `options` for CHOICE and CELLS, an epoch in 1 … `last` for EPOCH."""

    id: str
    prompt: Message
    kind: Kind = Kind.CHOICE
    options: tuple[Option, ...] = ()
    last: int = 0  # EPOCH: the last epoch the runs train

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)

    def valid(self, value: object) -> bool:
        """Whether `value` is a prediction of this question (a CELLS prediction may be empty: none of them)."""
        ids = {o.id for o in self.options}
        if self.kind == Kind.CHOICE:
            return isinstance(value, str) and value in ids
        if self.kind == Kind.CELLS:
            return isinstance(value, frozenset) and value <= ids
        return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= self.last

    def describe(self, value: str | frozenset[str] | int) -> Message:
        """A prediction (or an answer's value) in words."""
        if self.kind == Kind.EPOCH:
            return Message("lesson.epoch", "epoch {epoch}", epoch=value)
        if isinstance(value, str):
            return self.option(value).name
        if isinstance(value, frozenset):
            return self.describe_set(value)
        raise TypeError(f"{value!r} is not a prediction of {self.id}")

    def describe_set(self, ids: Collection[str]) -> Message:
        """Options in the question's own order, joined by commas; none of them when empty."""
        names = [o.name for o in self.options if o.id in ids]
        if not names:
            return NONE_OF_THEM
        together = names[-1]
        for name in reversed(names[:-1]):
            together = Message("lesson.and", "{first}, {rest}", first=name, rest=together)
        return together


def cells_prediction(picked: Collection[str], none: bool) -> frozenset[str] | None:
    """A CELLS prediction from the cells ticked and the "none of them" box: None (no prediction yet)
    when neither, or when both say something (cells ticked and none of them)."""
    if none == bool(picked):
        return None
    return frozenset(picked)


@dataclass(frozen=True)
class Answer:
    """What the runs measured for one question.

    CHOICE: `fits` holds the options the runs show (every seed), `open` those they leave inside the
    spread. CELLS: `fits` is the set of cells the runs show (a prediction matches only that set).
    EPOCH: `epochs` is the range of epochs that fits (the seeds' best epochs and a tolerance).
    `decided` is False when the runs cannot answer at all; `shows` says the answer in words, with why.
    """

    question: str
    decided: bool
    shows: Message
    fits: frozenset[str] = frozenset()
    open: frozenset[str] = frozenset()
    epochs: tuple[int, int] | None = None


@dataclass(frozen=True)
class Comparison:
    match: Match
    text: Message


def compare(question: Question, predicted: str | frozenset[str] | int, answer: Answer) -> Comparison:
    """The student's prediction beside the runs' answer: matched, missed or open, in one sentence."""
    said = question.describe(predicted)
    if not answer.decided:
        return Comparison(Match.OPEN, Message("lesson.compare_open", "You predicted {predicted}; the runs do not "
                                              "decide it: {shows}.", predicted=said, shows=answer.shows))
    if question.kind == Kind.EPOCH:
        low, high = answer.epochs or (0, -1)
        matched = isinstance(predicted, int) and low <= predicted <= high
        open_option = False
    elif question.kind == Kind.CELLS:
        matched, open_option = predicted == answer.fits, False
    else:
        matched, open_option = predicted in answer.fits, predicted in answer.open
    if matched:
        return Comparison(Match.MATCHED, Message("lesson.compare_matched", "You predicted {predicted}; the runs show "
                                                 "{shows}.", predicted=said, shows=answer.shows))
    if open_option:
        return Comparison(Match.OPEN, Message("lesson.compare_inside", "You predicted {predicted}; the runs show "
                                              "{shows}, and leave yours inside the seed-to-seed spread.",
                                              predicted=said, shows=answer.shows))
    return Comparison(Match.MISSED, Message("lesson.compare_missed", "You predicted {predicted}; the runs show "
                                            "{shows}.", predicted=said, shows=answer.shows))
