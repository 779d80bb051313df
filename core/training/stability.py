"""When a run that stayed finite still failed to train: the rules that mark it unstable.

A non-finite loss is only the loudest way to fail. Adam at LR 0.1 on MNIST-1D stays finite and
collapses to chance accuracy (0.111); a large LR can throw the loss far above where it had got to
and leave it there for a while; a run can end no better than it began. Each rule reads the
evaluated training loss and accuracy of the history (epoch 0 is the start) and says which one
fired, with its numbers, so the page can show why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from core.messages import Message
from core.training.record import HistoryRow

SPIKE_FACTOR = 2.0  # a spike: the loss above this multiple of its best so far ...
SPIKE_MARGIN = 0.1  # ... and above the best so far by this share of the starting loss (small losses are noisy)
CHANCE_SLACK = 1.25  # at chance: an accuracy at most this multiple of 1 / classes
LEARNED_SHARE = 0.25  # it had learned: an accuracy this share of the way from chance to 1


def instability(rows: Sequence[HistoryRow], classes: int | None) -> Message | None:
    """Why a run that stayed finite is unstable, or None. `classes` is None for regression.

    In the order checked: the loss ended no lower than at epoch 0; the accuracy fell back to chance
    after having learned; an epoch's loss spiked above SPIKE_FACTOR × its best so far (and above it
    by SPIKE_MARGIN × the starting loss)."""
    measured = [r for r in rows if math.isfinite(r["train_loss"])]
    if len(measured) < 2 or measured[0]["epoch"] != 0:
        return None  # no starting point (a run stored before epoch 0 was measured) or no epoch yet
    start, last = measured[0], measured[-1]
    if last["train_loss"] >= start["train_loss"]:
        return Message("unstable.no_better", "The training loss ended at {end:.4g}, no lower than the {start:.4g} "
                       "it started at: this learning rate did not train.", end=last["train_loss"],
                       start=start["train_loss"])
    if classes:
        chance = 1 / classes
        accuracies = [r["train_acc"] for r in measured[1:]]
        best = max(accuracies)
        if accuracies[-1] <= CHANCE_SLACK * chance and best >= chance + LEARNED_SHARE * (1 - chance):
            return Message("unstable.chance", "The training accuracy fell back to {end:.1%}, chance for {classes} "
                           "classes, after reaching {best:.1%}.", end=accuracies[-1], classes=classes, best=best)
    lowest = start["train_loss"]
    margin = SPIKE_MARGIN * start["train_loss"]
    for row in measured[1:]:
        loss = row["train_loss"]
        if loss > SPIKE_FACTOR * lowest and loss > lowest + margin:
            return Message("unstable.spike", "At epoch {epoch} the training loss jumped to {loss:.4g}, more than "
                           "{factor:g}× its best so far ({best:.4g}).", epoch=row["epoch"], loss=loss,
                           factor=SPIKE_FACTOR, best=lowest)
        lowest = min(lowest, loss)
    return None
