"""What the seed posts claimed, checked against what a sweep measured.

Each check looks at a sweep's summary table (core.sweep.summary_table) and says whether
the claim showed up on this data, with the numbers that decided it — or that it could
not be checked yet (runs missing or unfinished). The app shows these instead of
repeating the posts' claims as facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

NOISE_VARIANCE = 0.09  # seed 001's data: y = 3x + 0.3·noise


@dataclass(frozen=True)
class Finding:
    claim: str
    held: bool | None  # None: not measurable from these runs
    evidence: str

    def __post_init__(self) -> None:
        if self.held is not None:
            object.__setattr__(self, "held", bool(self.held))  # numpy's bools print oddly


def _final(summary: pd.DataFrame, column: str, **where) -> float | None:
    rows = summary
    for field, value in where.items():
        rows = rows[rows[field] == value]
    rows = rows[rows["status"].isin(["completed", "early_stopped"])]
    values = rows[column].dropna()
    return float(values.mean()) if len(values) else None


def _missing(claim: str) -> Finding:
    return Finding(claim, None, "Not all the runs this needs have finished.")


def seed001(summary: pd.DataFrame) -> list[Finding]:
    findings = []
    claim = "After 5 epochs, batch 16 (about 8× the update steps of batch 128) has the lower training loss."
    small, large = (_final(summary, "final_train_loss", epochs=5, batch_size=b) for b in (16, 128))
    if small is None or large is None:
        findings.append(_missing(claim))
    else:
        findings.append(Finding(claim, small < large, f"batch 16: {small:.4f}, batch 128: {large:.4f}"))
    claim = (f"After 20 epochs both batch sizes end near the same loss, the noise variance {NOISE_VARIANCE} "
             "(within 15%).")
    ends = [_final(summary, "final_train_loss", epochs=20, batch_size=b) for b in (16, 128)]
    if None in ends:
        findings.append(_missing(claim))
    else:
        near = all(abs(v - NOISE_VARIANCE) / NOISE_VARIANCE <= 0.15 for v in ends)
        findings.append(Finding(claim, near, f"batch 16: {ends[0]:.4f}, batch 128: {ends[1]:.4f}"))
    return findings


def seed000(summary: pd.DataFrame) -> list[Finding]:
    findings = []
    claim = "In the same number of epochs, batch 256's training loss falls less than batch 16's."
    pairs = [(lr, _final(summary, "final_train_loss", batch_size=16, learning_rate=lr),
              _final(summary, "final_train_loss", batch_size=256, learning_rate=lr)) for lr in (0.001, 0.01)]
    measured = [(lr, s, b) for lr, s, b in pairs if s is not None and b is not None]
    if not measured:
        findings.append(_missing(claim))
    else:
        held = all(b > s for _, s, b in measured)
        findings.append(Finding(claim, held, "; ".join(f"LR {lr:g}: batch 16 → {s:.3f}, batch 256 → {b:.3f}"
                                                      for lr, s, b in measured)))
    claim = "LR 0.01 is less stable than 0.001: it diverges or ends with a worse validation loss."
    worse = []
    for batch in (16, 64, 256):
        cells = summary[summary["batch_size"] == batch]
        fast, slow = cells[cells["learning_rate"] == 0.01], cells[cells["learning_rate"] == 0.001]
        if fast.empty or slow.empty:
            continue
        if (fast["status"] == "diverged").any():
            worse.append((batch, True, "diverged"))
        else:
            a, b = fast["best_val_loss"].mean(), slow["best_val_loss"].mean()
            worse.append((batch, a > b, f"{a:.3f} vs {b:.3f}"))
    if not worse:
        findings.append(_missing(claim))
    else:
        findings.append(Finding(claim, all(w for _, w, _ in worse),
                                "; ".join(f"batch {b}: LR 0.01 {text}" for b, _, text in worse)))
    return findings


def seed002_scaling(summary: pd.DataFrame) -> list[Finding]:
    claim = "Scaling the LR with the batch size keeps the results close (best validation losses within 10%)."
    done = summary[summary["status"].isin(["completed", "early_stopped"])].dropna(subset=["best_val_loss"])
    if len(done) < 2:
        return [_missing(claim)]
    low, high = done["best_val_loss"].min(), done["best_val_loss"].max()
    spread = (high - low) / low
    detail = ", ".join(f"B {b} / LR {lr:g}: {v:.3f}" for b, lr, v in
                       done[["batch_size", "learning_rate", "best_val_loss"]].itertuples(index=False))
    return [Finding(claim, spread <= 0.10, f"spread {spread:.0%} ({detail})")]


def seed002_lr(summary: pd.DataFrame) -> list[Finding]:
    claim = "Among LR ×¼ … ×4 one is clearly best; the largest ones are unstable."
    done = summary.dropna(subset=["best_val_loss"])
    if done.empty:
        return [_missing(claim)]
    best = done.loc[done["best_val_loss"].idxmin()]
    diverged = summary[summary["status"] == "diverged"]["learning_rate"].tolist()
    evidence = f"best LR {best['learning_rate']:g} (val loss {best['best_val_loss']:.3f})"
    evidence += f"; diverged: {', '.join(f'{lr:g}' for lr in diverged)}" if diverged else "; none diverged"
    return [Finding(claim, None, evidence + " — read the curves to judge stability.")]


def seed003(summary: pd.DataFrame) -> list[Finding]:
    claim = "Larger batches generalize worse: batch 256 ends with a higher best validation loss than batch 64."
    base = summary[summary["batch_size"] == 64]["learning_rate"].min() if (summary["batch_size"] == 64).any() else None
    small = _final(summary, "best_val_loss", batch_size=64)
    fixed = _final(summary, "best_val_loss", batch_size=256, learning_rate=base) if base is not None else None
    scaled = _final(summary, "best_val_loss", batch_size=256, learning_rate=base * 4) if base is not None else None
    if small is None or (fixed is None and scaled is None):
        return [_missing(claim)]
    parts = [f"batch 64: {small:.3f}"]
    held = []
    for name, value in (("batch 256, same LR", fixed), ("batch 256, LR ×4", scaled)):
        if value is not None:
            parts.append(f"{name}: {value:.3f}")
            held.append(value > small)
    return [Finding(claim, all(held), "; ".join(parts))]


CHECKS = {"seed000": seed000, "seed001": seed001, "seed002-lr": seed002_lr,
          "seed002-scaling": seed002_scaling, "seed003": seed003}


def check(preset: str, summary: pd.DataFrame) -> list[Finding]:
    return CHECKS[preset](summary) if preset in CHECKS and not summary.empty else []
