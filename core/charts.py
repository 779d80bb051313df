"""Altair chart builders for training curves (no Streamlit here; pages draw what these return)."""

from __future__ import annotations

import altair as alt
import pandas as pd

X_AXES = {
    "epoch": "Epoch",
    "step": "Update step",
    "samples": "Samples seen",
    "time_s": "Wall-clock time (s)",
}
SPLIT_COLORS = alt.Scale(domain=["train", "validation"], range=["#1f77b4", "#ff7f0e"])


def long_history(rows: list[dict] | pd.DataFrame, metric: str) -> pd.DataFrame:
    """Train and validation values of `metric` ("loss" or "acc") in long form, NaNs dropped."""
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=[*X_AXES, "split", "value"])
    parts = []
    for split, column in (("train", f"train_{metric}"), ("validation", f"val_{metric}")):
        part = df[[*X_AXES, column]].rename(columns={column: "value"})
        part["split"] = split
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    return out[pd.notna(out["value"]) & (out["value"].abs() != float("inf"))]


def curve_chart(rows: list[dict] | pd.DataFrame, metric: str = "loss", x: str = "epoch",
                x_max: float | None = None, title: str | None = None, log_y: bool = False) -> alt.Chart:
    """Train and validation curves of one metric; `x_max` fixes the x domain so live updates do not jump."""
    data = long_history(rows, metric)
    label = {"loss": "Loss", "acc": "Accuracy"}[metric]
    x_scale = alt.Scale(domain=[0, x_max]) if x_max else alt.Undefined
    y_scale = alt.Scale(type="log") if log_y else (alt.Scale(domain=[0, 1]) if metric == "acc" else alt.Undefined)
    base = alt.Chart(data).encode(
        x=alt.X(f"{x}:Q", title=X_AXES[x], scale=x_scale),
        y=alt.Y("value:Q", title=label, scale=y_scale),
        color=alt.Color("split:N", title=None, scale=SPLIT_COLORS, legend=alt.Legend(orient="top")),
        tooltip=[
            alt.Tooltip("split:N", title="Split"),
            alt.Tooltip("epoch:Q", title="Epoch"),
            alt.Tooltip("step:Q", title="Update step", format=","),
            alt.Tooltip("samples:Q", title="Samples seen", format=","),
            alt.Tooltip("time_s:Q", title="Time (s)", format=".2f"),
            alt.Tooltip("value:Q", title=label, format=".4f"),
        ],
    )
    chart = alt.layer(base.mark_line(), base.mark_point(size=30, filled=True))
    return chart.properties(title=title or f"{label} per epoch", height=280)


def step_loss_chart(step_losses: list[float], title: str = "Training loss of every update step") -> alt.Chart:
    """The raw per-step loss (noisy for small batches) with a 20-step moving average."""
    df = pd.DataFrame({"step": range(1, len(step_losses) + 1), "loss": step_losses})
    df = df[df["loss"].abs() != float("inf")].dropna()
    df["average"] = df["loss"].rolling(20, min_periods=1).mean()
    base = alt.Chart(df).encode(x=alt.X("step:Q", title="Update step"))
    raw = base.mark_line(opacity=0.35, color="#1f77b4").encode(
        y=alt.Y("loss:Q", title="Training loss"),
        tooltip=[alt.Tooltip("step:Q", title="Step"), alt.Tooltip("loss:Q", format=".4f", title="Loss")])
    smooth = base.mark_line(color="#d62728").encode(y="average:Q")
    return alt.layer(raw, smooth).properties(title=title, height=240)
