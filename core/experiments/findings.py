"""What the seed posts claimed, checked against what a sweep measured.

Each check looks at a sweep's summary table (core.runs.tables.summary_table) and says whether
the claim showed up on this data, with the numbers that decided it — or that it could
not be checked yet (runs missing or unfinished). The app shows these instead of
repeating the posts' claims as facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.messages import Message
from core.training.record import RAN_TO_THE_END, Status

NOISE_VARIANCE = 0.09  # seed 001's data: y = 3x + 0.3·noise


@dataclass(frozen=True)
class Finding:
    claim: Message
    held: bool | None  # None: not measurable from these runs
    evidence: Message

    def __post_init__(self) -> None:
        if self.held is not None:
            object.__setattr__(self, "held", bool(self.held))  # numpy's bools print oddly


def _final(summary: pd.DataFrame, column: str, **where: object) -> float | None:
    rows = summary
    for field, value in where.items():
        rows = rows[rows[field] == value]
    rows = rows[rows["status"].isin(RAN_TO_THE_END)]
    values = rows[column].dropna()
    return float(values.mean()) if len(values) else None


def _missing(claim: Message) -> Finding:
    return Finding(claim, None, Message("findings.missing", "Not all the runs this needs have finished."))


def _joined(parts: list[Message]) -> Message:
    """Measurements one after another, separated by semicolons (in either language)."""
    joined = parts[-1]
    for part in reversed(parts[:-1]):
        joined = Message("findings.list", "{first}; {rest}", first=part, rest=joined)
    return joined


def seed001(summary: pd.DataFrame) -> list[Finding]:
    findings = []
    claim = Message("findings.seed001_faster",
                    "After 5 epochs, batch 16 (about 8× the update steps of batch 128) has the lower training loss.")
    small, large = (_final(summary, "final_train_loss", epochs=5, batch_size=b) for b in (16, 128))
    if small is None or large is None:
        findings.append(_missing(claim))
    else:
        findings.append(Finding(claim, small < large, Message(
            "findings.batch_16_128", "batch 16: {small:.4f}, batch 128: {large:.4f}", small=small, large=large)))
    claim = Message("findings.seed001_same_end",
                    "After 20 epochs both batch sizes end near the same loss, the noise variance {noise} "
                    "(within 15%).", noise=NOISE_VARIANCE)
    small, large = (_final(summary, "final_train_loss", epochs=20, batch_size=b) for b in (16, 128))
    if small is None or large is None:
        findings.append(_missing(claim))
    else:
        near = all(abs(v - NOISE_VARIANCE) / NOISE_VARIANCE <= 0.15 for v in (small, large))
        findings.append(Finding(claim, near, Message(
            "findings.batch_16_128", "batch 16: {small:.4f}, batch 128: {large:.4f}", small=small, large=large)))
    return findings


def seed000(summary: pd.DataFrame) -> list[Finding]:
    findings = []
    claim = Message("findings.seed000_falls_less",
                    "In the same number of epochs, batch 256's training loss falls less than batch 16's.")
    pairs = [(lr, _final(summary, "final_train_loss", batch_size=16, learning_rate=lr),
              _final(summary, "final_train_loss", batch_size=256, learning_rate=lr)) for lr in (0.001, 0.01)]
    measured = [(lr, s, b) for lr, s, b in pairs if s is not None and b is not None]
    if not measured:
        findings.append(_missing(claim))
    else:
        held = all(b > s for _, s, b in measured)
        findings.append(Finding(claim, held, _joined([
            Message("findings.seed000_losses", "LR {lr:g}: batch 16 → {small:.3f}, batch 256 → {large:.3f}",
                    lr=lr, small=s, large=b) for lr, s, b in measured])))
    claim = Message("findings.seed000_unstable",
                    "LR 0.01 is less stable than 0.001: it diverges or ends with a worse validation loss.")
    worse = []
    for batch in (16, 64, 256):
        cells = summary[summary["batch_size"] == batch]
        fast, slow = cells[cells["learning_rate"] == 0.01], cells[cells["learning_rate"] == 0.001]
        if fast.empty or slow.empty:
            continue
        if (fast["status"] == Status.DIVERGED).any():
            worse.append((True, Message("findings.seed000_diverged", "batch {batch}: LR 0.01 diverged",
                                        batch=batch)))
        else:
            a, b = float(fast["best_val_loss"].mean()), float(slow["best_val_loss"].mean())
            worse.append((a > b, Message("findings.seed000_val_losses",
                                         "batch {batch}: LR 0.01 {fast:.3f} vs {slow:.3f}", batch=batch, fast=a,
                                         slow=b)))
    if not worse:
        findings.append(_missing(claim))
    else:
        findings.append(Finding(claim, all(w for w, _ in worse), _joined([text for _, text in worse])))
    return findings


def seed002_scaling(summary: pd.DataFrame) -> list[Finding]:
    claim = Message("findings.seed002_scaling",
                    "Scaling the LR with the batch size keeps the results close (best validation losses within 10%).")
    done = summary[summary["status"].isin(RAN_TO_THE_END)].dropna(subset=["best_val_loss"])
    if len(done) < 2:
        return [_missing(claim)]
    low, high = done["best_val_loss"].min(), done["best_val_loss"].max()
    spread = float((high - low) / low)
    detail = ", ".join(f"B {b} / LR {lr:g}: {v:.3f}" for b, lr, v in  # symbols and numbers: the same in any language
                       done[["batch_size", "learning_rate", "best_val_loss"]].itertuples(index=False))
    return [Finding(claim, spread <= 0.10, Message("findings.seed002_spread", "spread {spread:.0%} ({detail})",
                                                   spread=spread, detail=detail))]


def seed002_lr(summary: pd.DataFrame) -> list[Finding]:
    claim = Message("findings.seed002_lr", "Among LR ×¼ … ×4 one is clearly best; the largest ones are unstable.")
    done = summary.dropna(subset=["best_val_loss"])
    if done.empty:
        return [_missing(claim)]
    best = done.iloc[int(done["best_val_loss"].to_numpy().argmin())]
    lr, loss = float(best["learning_rate"]), float(best["best_val_loss"])
    diverged = summary[summary["status"] == Status.DIVERGED]["learning_rate"].tolist()
    if diverged:
        evidence = Message("findings.seed002_lr_diverged",
                           "best LR {lr:g} (val loss {loss:.3f}); diverged: {diverged} — read the curves to judge "
                           "stability.", lr=lr, loss=loss, diverged=", ".join(f"{d:g}" for d in diverged))
    else:
        evidence = Message("findings.seed002_lr_none_diverged",
                           "best LR {lr:g} (val loss {loss:.3f}); none diverged — read the curves to judge stability.",
                           lr=lr, loss=loss)
    return [Finding(claim, None, evidence)]


def seed003(summary: pd.DataFrame) -> list[Finding]:
    claim = Message("findings.seed003",
                    "Larger batches generalize worse: batch 256 ends with a higher best validation loss than batch 64.")
    base = summary[summary["batch_size"] == 64]["learning_rate"].min() if (summary["batch_size"] == 64).any() else None
    small = _final(summary, "best_val_loss", batch_size=64)
    fixed = _final(summary, "best_val_loss", batch_size=256, learning_rate=base) if base is not None else None
    scaled = _final(summary, "best_val_loss", batch_size=256, learning_rate=base * 4) if base is not None else None
    if small is None or (fixed is None and scaled is None):
        return [_missing(claim)]
    parts = [Message("findings.seed003_small", "batch 64: {loss:.3f}", loss=small)]
    held = []
    if fixed is not None:
        parts.append(Message("findings.seed003_fixed", "batch 256, same LR: {loss:.3f}", loss=fixed))
        held.append(fixed > small)
    if scaled is not None:
        parts.append(Message("findings.seed003_scaled", "batch 256, LR ×4: {loss:.3f}", loss=scaled))
        held.append(scaled > small)
    return [Finding(claim, all(held), _joined(parts))]


CHECKS = {"seed000": seed000, "seed001": seed001, "seed002-lr": seed002_lr,
          "seed002-scaling": seed002_scaling, "seed003": seed003}


def check(preset: str, summary: pd.DataFrame) -> list[Finding]:
    return CHECKS[preset](summary) if preset in CHECKS and not summary.empty else []
