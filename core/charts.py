"""Chart builders for training curves (no Streamlit here; pages draw what these return).

Every title, axis label and legend entry is a core Message; a builder's `text` argument turns
them into strings (the app passes its translator, str gives English).
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

import altair as alt
import pandas as pd
from altair.utils.schemapi import UndefinedType

from core.messages import Message, Text

X_AXES = {
    "epoch": Message("chart.epoch", "Epoch"),
    "step": Message("chart.step", "Update step"),
    "samples": Message("chart.samples", "Samples seen"),
    "time_s": Message("chart.time", "Wall-clock time (s)"),
}
SPLITS = {"train": Message("chart.train", "train"), "validation": Message("chart.validation", "validation")}
RUNNING = Message("chart.train_running", "train, running mean")  # the live chart's third line
LOSS, ACCURACY = Message("chart.loss", "Loss"), Message("chart.accuracy", "Accuracy")
SPLIT_COLOR_RANGE = ["#1f77b4", "#ff7f0e"]
RUNNING_COLOR = "#9ecae1"  # a pale train blue: the same loss, measured while the weights moved
# A chart's height is its plot's: Streamlit's default ("fit") takes title, legend and axes out
# of it, which left a 280 px chart with a plot 70 px tall. The width still fits the page.
FIT_WIDTH = {"type": "fit-x", "contains": "padding"}
alt.data_transformers.disable_max_rows()  # 20 runs of 500 epochs pass Altair's 5,000-row guard
LEARNING_RATE = Message("chart.learning_rate", "Learning rate")
BATCH_SIZE = Message("chart.batch_size", "Batch size")
GRID_AXES = {"batch_size": BATCH_SIZE, "learning_rate": LEARNING_RATE,  # the settings a grid chart can lay out
             "epochs": Message("chart.epochs_trained", "Epochs trained")}
GRID_WIDTH = 760  # px the small multiples' panels share: the grid fits a laptop's page column, legend included
BEST = {"best_val_acc": Message("chart.best_val_acc", "Best val accuracy"),
        "best_val_loss": Message("chart.best_val_loss", "Best val loss")}
METRICS = {
    "train_loss": Message("chart.train_loss", "Training loss"),
    "val_loss": Message("chart.val_loss", "Validation loss"),
    "train_acc": Message("chart.train_acc", "Training accuracy"),
    "train_loss_running": Message("chart.train_loss_running", "Training loss, running mean over the epoch"),
    "val_acc": Message("chart.val_acc", "Validation accuracy"),
    "gap": Message("chart.gap", "Generalization gap (val − train loss)"),
}


# --------------------------------------------------------------------------- one run, live
# These two are plain Vega-Lite dicts, not Altair: they are redrawn for every viewer of a live
# run, and Altair's object model costs 15-20 ms a chart where a dict costs well under one
# (py-spy on bench/load_sessions.py). tests/test_charts.py checks them against the schema.

Spec = dict[str, Any]  # a Vega-Lite specification
AltairChart = alt.Chart | alt.LayerChart | alt.FacetChart
Rows = Sequence[Mapping[str, Any]]  # history rows (core.training.record.HistoryRow) or rows like them


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def curve_chart(rows: Rows, metric: str = "loss", x: str = "epoch", x_max: float | None = None,
                log_y: bool = False, text: Text = str) -> Spec:
    """Train and validation curves of one metric, and the training metric's running mean over each epoch
    (what Keras prints: it lags the weights by half an epoch); `x_max` fixes the x domain so live updates
    do not jump."""
    label = text({"loss": LOSS, "acc": ACCURACY}[metric])
    splits = {text(SPLITS["train"]): f"train_{metric}", text(SPLITS["validation"]): f"val_{metric}",
              text(RUNNING): f"train_{metric}_running"}
    values = [{**{axis: row[axis] for axis in X_AXES}, "split": split, "value": row[column]}
              for split, column in splits.items() for row in rows if _finite(row.get(column))]
    x_axis = {"format": "~s", "tickMinStep": 1} if x != "time_s" else {"format": ".1f"}
    x_encoding: Spec = {"field": x, "type": "quantitative", "title": text(X_AXES[x]), "axis": x_axis}
    if x_max:
        x_encoding["scale"] = {"domain": [0, x_max]}
    y_encoding: Spec = {"field": "value", "type": "quantitative", "title": label}
    if log_y:
        y_encoding["scale"] = {"type": "log"}
    elif metric == "acc":
        y_encoding["scale"] = {"domain": [0, 1]}
    tooltip = [{"field": "split", "type": "nominal", "title": text(Message("chart.split", "Split"))},
               {"field": "epoch", "type": "quantitative", "title": text(X_AXES["epoch"])},
               {"field": "step", "type": "quantitative", "title": text(X_AXES["step"]), "format": ","},
               {"field": "samples", "type": "quantitative", "title": text(X_AXES["samples"]), "format": ","},
               {"field": "time_s", "type": "quantitative", "title": text(X_AXES["time_s"]), "format": ".2f"},
               {"field": "value", "type": "quantitative", "title": label, "format": ".4f"}]
    return {
        "title": text(Message("chart.per_epoch", "{label} per epoch", label=label)), "height": 220,
        "autosize": FIT_WIDTH,
        "datasets": {"history": values}, "data": {"name": "history"},
        "encoding": {
            "x": x_encoding, "y": y_encoding, "tooltip": tooltip,
            "color": {"field": "split", "type": "nominal", "title": " ", "legend": {"orient": "top"},  # no title
                      "scale": {"domain": list(splits), "range": [*SPLIT_COLOR_RANGE, RUNNING_COLOR]}},
            "strokeDash": {"condition": {"test": f"datum.split === {json.dumps(text(RUNNING))}", "value": [4, 3]},
                           "value": [1, 0]},
        },
        "layer": [{"mark": {"type": "line"}}, {"mark": {"type": "point", "size": 30, "filled": True}}],
    }


def step_loss_chart(step_losses: Sequence[float], text: Text = str, window: int = 20, max_points: int = 4000) -> Spec:
    """The raw per-step loss (noisy for small batches) with a `window`-step moving average.

    The average takes every step; a long run draws every k-th step, so that at most about
    `max_points` reach the browser (300 epochs of 200 steps would be 60,000)."""
    finite = [(step, loss) for step, loss in enumerate(step_losses, 1) if _finite(loss)]
    values, total = [], 0.0
    for i, (step, loss) in enumerate(finite):
        total += loss - (finite[i - window][1] if i >= window else 0.0)
        values.append({"step": step, "loss": loss, "average": total / min(i + 1, window)})
    every = -(-len(values) // max_points)
    if every > 1:
        values = values[::every] + ([values[-1]] if (len(values) - 1) % every else [])
    step_title = text(X_AXES["step"])
    return {
        "title": text(Message("chart.every_step", "Training loss of every update step")), "height": 220,
        "autosize": FIT_WIDTH,
        "datasets": {"steps": values}, "data": {"name": "steps"},
        "encoding": {"x": {"field": "step", "type": "quantitative", "title": step_title}},
        "layer": [
            {"mark": {"type": "line", "opacity": 0.35, "color": "#1f77b4"},
             "encoding": {"y": {"field": "loss", "type": "quantitative", "title": text(METRICS["train_loss"])},
                          "tooltip": [{"field": "step", "type": "quantitative", "title": step_title},
                                      {"field": "loss", "type": "quantitative", "title": text(LOSS),
                                       "format": ".4f"}]}},
            {"mark": {"type": "line", "color": "#d62728"},
             "encoding": {"y": {"field": "average", "type": "quantitative"}}},
        ],
    }


def lr_schedule_chart(lrs: Sequence[float], text: Text = str, max_points: int = 2000) -> Spec:
    """The learning rate of every update step of a scheduled run (warm-up, cosine or step decay),
    from core.training.schedules.lr_at; at most about `max_points` steps are drawn."""
    every = max(1, -(-len(lrs) // max_points))
    values = [{"step": step, "lr": lr} for step, lr in enumerate(lrs, 1)][::every]
    if lrs and values[-1]["step"] != len(lrs):
        values.append({"step": len(lrs), "lr": lrs[-1]})
    step_title, lr_title = text(X_AXES["step"]), text(LEARNING_RATE)
    return {
        "title": text(Message("chart.lr_schedule", "Learning rate of every update step")), "height": 160,
        "autosize": FIT_WIDTH,
        "datasets": {"schedule": values}, "data": {"name": "schedule"},
        "encoding": {
            "x": {"field": "step", "type": "quantitative", "title": step_title},
            "y": {"field": "lr", "type": "quantitative", "title": lr_title},
            "tooltip": [{"field": "step", "type": "quantitative", "title": step_title},
                        {"field": "lr", "type": "quantitative", "title": lr_title, "format": ".4g"}]},
        "layer": [{"mark": {"type": "line", "color": "#2ca02c", "interpolate": "step-after"}}],
    }


# --------------------------------------------------------------------------- many runs

def _lr_label(lr: float) -> str:
    return f"LR {lr:g}"


CATEGORY10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
              "#17becf"]  # strong colours: Streamlit's own palette has near-white ones (#83c9ff, #d5dae5, ...)


def overlay_chart(table: pd.DataFrame, metric: str, x: str = "epoch", log_y: bool = False,
                  bands: bool = True, y_domain: tuple[float, float] | None = None,
                  text: Text = str) -> AltairChart:
    """Curves of many runs: colour = learning rate, dash = batch size, a point shape per run.

    Runs that differ only by seed (same `group`) are drawn as their mean with a min–max band.
    Clicking a run in the "Run" legend highlights it; the others fade. `y_domain` fixes the
    y axis (values outside are drawn at its edge), e.g. from core.runs.tables.fit_y_range.
    """
    df = table.dropna(subset=["value"]).copy()
    if log_y:
        df = df[df["value"] > 0]
    df["lr"] = df["learning_rate"].map(_lr_label)
    df["batch"] = df["batch_size"].map(lambda b: f"B {b}")
    runs_per_group = df.groupby("group")["run"].transform("nunique")
    repeated = df[runs_per_group > 1] if bands else df.iloc[0:0]
    single = df[runs_per_group <= 1] if bands else df
    lines = single.assign(low=single["value"], high=single["value"], runs=1)
    if not repeated.empty:
        keys = ["group", "label", "lr", "batch", "learning_rate", "batch_size", "epoch"]
        stats = repeated.groupby(keys, as_index=False).agg(
            **{col: (col, "mean") for col in X_AXES if col != "epoch"},
            value=("value", "mean"), low=("value", "min"), high=("value", "max"), runs=("run", "nunique"))
        lines = pd.concat([lines, stats], ignore_index=True)
    pick = alt.selection_point(fields=["label"], bind="legend", name="pick")
    x_enc = alt.X(f"{x}:Q", title=text(X_AXES[x]))
    y_title = text(METRICS[metric])
    y_scale: alt.Scale | UndefinedType
    if y_domain is not None:
        y_scale = alt.Scale(type="log" if log_y else "linear", domain=list(y_domain), clamp=True)
    else:
        y_scale = alt.Scale(type="log") if log_y else alt.Undefined
    faded = alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(0.12))
    # Legends never cut a label (Vega's default stops at 160 px): "B 16 · LR 0.1 · 5 ep" and "· 20 ep"
    # must stay apart; they sit under the plot, where long labels have the page's width.
    legend = alt.Legend(labelLimit=0, orient="bottom", columns=2)
    base = alt.Chart().encode(x=x_enc, color=alt.Color("lr:N", title=text(LEARNING_RATE),
                                                       sort=alt.SortField("learning_rate"),
                                                       scale=alt.Scale(range=CATEGORY10), legend=legend))
    # fillOpacity, not opacity: Vega-Lite gives the legend swatches the first layer's opacity.
    band = base.mark_area(fillOpacity=0.18).encode(
        y=alt.Y("low:Q", scale=y_scale, title=y_title), y2="high:Q", detail="label:N",
    ).transform_filter("datum.runs > 1")
    curves = base.mark_line(point=alt.OverlayMarkDef(size=30, filled=True)).encode(
        y=alt.Y("value:Q", scale=y_scale, title=y_title),
        strokeDash=alt.StrokeDash("batch:N", title=text(BATCH_SIZE), legend=legend),
        shape=alt.Shape("label:N", title=text(Message("chart.run_pick", "Run (click to highlight)")),
                        legend=alt.Legend(labelLimit=0, orient="bottom", columns=1)),
        detail="label:N", opacity=faded,
        tooltip=[alt.Tooltip("label:N", title=text(Message("chart.run", "Run"))),
                 alt.Tooltip("runs:Q", title=text(Message("chart.seeds", "Seeds"))),
                 alt.Tooltip(f"{x}:Q", title=text(X_AXES[x])),
                 alt.Tooltip("value:Q", title=y_title, format=".4f"),
                 alt.Tooltip("low:Q", title=text(Message("chart.seed_min", "Min over seeds")), format=".4f"),
                 alt.Tooltip("high:Q", title=text(Message("chart.seed_max", "Max over seeds")), format=".4f")],
    ).add_params(pick)
    return alt.layer(band, curves, data=lines).properties(height=320, autosize=FIT_WIDTH)


def small_multiples(table: pd.DataFrame, rows: str = "batch_size", columns: str = "learning_rate",
                    x: str = "epoch", text: Text = str) -> AltairChart:
    """Train and validation loss per epoch, one panel per (rows, columns) value: the two settings the
    grid varies (core.runs.tables.grid_axes), so a panel only ever holds repeats of one setting.

    `table` is core.runs.tables.curves_table's: its "split" column holds "train" and "validation".
    The panels share GRID_WIDTH, so a wide grid narrows its panels instead of running off the page."""
    df = table.dropna(subset=["value"]).copy()
    df["split"] = df["split"].map(lambda split: text(SPLITS[split]))
    panels = max(1, table[columns].nunique())
    width = int(min(200, max(110, GRID_WIDTH / panels - 12)))
    return alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=12)).encode(
        x=alt.X(f"{x}:Q", title=text(X_AXES[x]), axis=alt.Axis(format="~s", labelOverlap=True)),
        y=alt.Y("value:Q", title=text(LOSS)),
        color=alt.Color("split:N", scale=alt.Scale(domain=[text(m) for m in SPLITS.values()],
                                                   range=SPLIT_COLOR_RANGE), title=None,
                        legend=alt.Legend(orient="top")),
        detail="run:N",
        tooltip=["label:N", "split:N", "epoch:Q", "step:Q", "samples:Q", alt.Tooltip("value:Q", format=".4f")],
    ).properties(width=width, height=130).facet(
        row=alt.Row(f"{rows}:O", title=text(GRID_AXES[rows])),
        column=alt.Column(f"{columns}:O", title=text(GRID_AXES[columns])),
    ).properties(usermeta={
        "embedOptions": {"renderer": "svg"},  # its panels and titles readable in the page
        # The panels it has: another set of panels is another spec, so the page draws a new view for it
        # instead of patching the new data into the old view's panels (which left runs in wrong panels).
        "panels": sorted({f"{r}|{c}" for r, c in zip(df[rows], df[columns], strict=True)}), "x": x,
    })


def heatmap(summary: pd.DataFrame, value: str, higher_is_better: bool, rows: str = "batch_size",
            columns: str = "learning_rate", text: Text = str) -> AltairChart:
    """Best validation metric over the grid's two settings (rows × columns); a cell where a run diverged
    says so, and one where a run was unstable shows its value marked ⚠ with the count.

    `value` is a column of core.runs.tables.cell_table: "best_val_acc" or "best_val_loss"."""
    df = summary.copy()
    diverged_text, unstable_text = (text(Message("chart.diverged", "diverged")),
                                    text(Message("chart.unstable", "unstable")))

    def label(v: float, runs: int, diverged: int, unstable: int) -> str:
        if diverged == runs:
            return f"✗ {diverged_text}"
        shown = "–" if pd.isna(v) else f"{v:.3g}"
        marks = ([f"✗{diverged}/{runs}"] if diverged else []) + ([f"⚠{unstable}/{runs}"] if unstable else [])
        return " ".join([shown, *marks])

    df["text"] = [label(*cell) for cell in zip(df[value], df["runs"], df["diverged"], df["unstable"], strict=True)]
    df["failed"] = (df["diverged"] + df["unstable"]) > 0
    title = text(BEST[value])
    base = alt.Chart().encode(
        x=alt.X(f"{columns}:O", title=text(GRID_AXES[columns])),
        y=alt.Y(f"{rows}:O", title=text(GRID_AXES[rows]), sort="descending"))
    cells = base.mark_rect().encode(
        color=alt.Color(f"{value}:Q", title=title,
                        scale=alt.Scale(scheme="viridis", reverse=not higher_is_better)),
        tooltip=[alt.Tooltip(f"{rows}:O", title=text(GRID_AXES[rows])),
                 alt.Tooltip(f"{columns}:O", title=text(GRID_AXES[columns])),
                 alt.Tooltip(f"{value}:Q", title=title, format=".4f"),
                 alt.Tooltip("runs:Q", title=text(Message("chart.runs", "Runs"))),
                 alt.Tooltip("diverged:Q", title=diverged_text), alt.Tooltip("unstable:Q", title=unstable_text)])
    labels = base.mark_text(fontSize=13).encode(
        text="text:N", color=alt.condition("datum.failed", alt.value("#d62728"), alt.value("white")))
    layers: list[AltairChart] = [cells, labels]
    diagonals = _iso_temperature_lines(df, text) if (rows, columns) == ("batch_size", "learning_rate") else None
    if diagonals is not None:
        layers.insert(1, diagonals)
    return alt.layer(*layers, data=df).properties(height=max(160, 60 * df[rows].nunique()))


def _shared_temperatures(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The cells with their η/B (to 4 digits), and which of them share it with another cell."""
    df = cells.assign(temperature=(cells["learning_rate"] / cells["batch_size"]).map(lambda v: float(f"{v:.4g}")))
    return df, df.groupby("temperature")["temperature"].transform("size") >= 2


def has_iso_temperature_lines(cells: pd.DataFrame) -> bool:
    """Whether the heatmap of these batch × LR cells draws a diagonal: two cells share an η/B."""
    return bool(_shared_temperatures(cells)[1].any())


def _iso_temperature_lines(cells: pd.DataFrame, text: Text) -> alt.Chart | None:
    """Lines through the heatmap's cells of equal η/B (the linear rule's diagonals), where two or more share
    one; None where no two do."""
    df, shared = _shared_temperatures(cells)
    if not shared.any():
        return None
    title = text(Message("chart.temperature", "Noise temperature η/B"))
    return alt.Chart(df[shared]).mark_line(color="white", strokeDash=[3, 3], opacity=0.7).encode(
        x="learning_rate:O", y=alt.Y("batch_size:O", sort="descending"), detail="temperature:N",
        order="batch_size:Q", tooltip=[alt.Tooltip("temperature:Q", title=title, format=".3g")])


# --------------------------------------------------------------------------- scaling lab

SUGGESTION_NAMES = {"valley": Message("chart.valley", "valley"),
                    "steep": Message("chart.steep", "steepest descent"),
                    "minimum": Message("chart.minimum", "minimum / 10")}


class RangeCurve(Protocol):
    """What a range-test chart draws of a test (core.analysis.lr_finder.RangeTest has it)."""

    lrs: list[float]
    losses: list[float]
    smoothed: list[float]
    suggestions: dict[str, float]


def range_test_chart(tests: Sequence[tuple[str, RangeCurve]], text: Text = str) -> AltairChart:
    """Smoothed loss against the learning rate (log x) for several range tests, suggestions marked.

    `tests` holds (label, range test) pairs, e.g. one per batch size.
    """
    curves, marks = [], []
    for label, test in tests:
        for lr, loss, smooth in zip(test.lrs, test.losses, test.smoothed, strict=True):
            curves.append({"test": label, "lr": lr, "loss": loss, "smoothed": smooth})
        lrs = test.lrs
        for name, lr in test.suggestions.items():
            nearest = min(range(len(lrs)), key=lambda i: abs(math.log(lrs[i]) - math.log(lr)))
            marks.append({"test": label, "lr": lr, "smoothed": test.smoothed[nearest],
                          "suggestion": text(SUGGESTION_NAMES[name]) if name in SUGGESTION_NAMES else name})
    df = pd.DataFrame(curves, columns=["test", "lr", "loss", "smoothed"])
    df = df[df["smoothed"].abs() < float("inf")].dropna()
    low, high = range_test_y_range(df)
    pad = 0.05 * (high - low) or 0.05 * abs(high) or 0.1
    order = [label for label, _ in tests]  # as given (by batch size), not as text sorts ("16", "256", "64")
    decades = [10.0 ** e for e in range(math.floor(math.log10(df["lr"].min())),
                                         math.ceil(math.log10(df["lr"].max())) + 1)] if not df.empty else []
    lr_title, smooth_title = text(LEARNING_RATE), text(Message("chart.smoothed_loss", "Smoothed training loss"))
    test_title = text(Message("chart.range_test", "Range test"))
    suggestion_title = text(Message("chart.suggestion", "Suggestion"))
    x = alt.X("lr:Q", title=text(Message("chart.lr_log", "Learning rate (log scale)")), scale=alt.Scale(type="log"),
              axis=alt.Axis(values=decades, format=".0e"))
    y = alt.Y("smoothed:Q", title=smooth_title,
              scale=alt.Scale(domain=[low - pad, high + pad], clamp=True, zero=False))
    # One colour encoding for every layer: a layer with legend=None would hide the shared legend.
    color = alt.Color("test:N", title=test_title, sort=order, scale=alt.Scale(domain=order, range=CATEGORY10),
                      legend=alt.Legend(symbolOpacity=1))  # not the faint raw line's opacity
    raw = alt.Chart(df).mark_line(strokeWidth=1, opacity=0.25).encode(
        x=x, y=alt.Y("loss:Q", title=smooth_title, scale=alt.Scale(domain=[low - pad, high + pad], clamp=True,
                                                                   zero=False)), color=color)
    line = alt.Chart(df).mark_line().encode(
        x=x, y=y, color=color,
        tooltip=[alt.Tooltip("test:N", title=test_title), alt.Tooltip("lr:Q", title=lr_title, format=".2e"),
                 alt.Tooltip("smoothed:Q", title=smooth_title, format=".4f"),
                 alt.Tooltip("loss:Q", title=text(Message("chart.raw_loss", "raw loss")), format=".4f")])
    points = alt.Chart(pd.DataFrame(marks, columns=["test", "lr", "smoothed", "suggestion"])).mark_point(
        size=120, filled=True).encode(
        x=x, y=y, color=color, shape=alt.Shape("suggestion:N", title=suggestion_title),
        tooltip=[alt.Tooltip("test:N", title=test_title), alt.Tooltip("suggestion:N", title=suggestion_title),
                 alt.Tooltip("lr:Q", title=lr_title, format=".2e")])
    return alt.layer(raw, line, points).properties(height=320, autosize=FIT_WIDTH)


def range_test_y_range(curves: pd.DataFrame) -> tuple[float, float]:
    """The y range that shows the part of range tests that matters: from the lowest smoothed loss to a
    quarter above the highest starting loss, each test's start being the median of its first tenth
    (so neither one noisy first batch nor the explosion that ends a test squashes the falling part)."""
    if curves.empty:
        return 0.0, 1.0
    starts = [float(part["smoothed"].head(max(1, len(part) // 10)).median())
              for _, part in curves.groupby("test", sort=False)]
    low = float(curves["smoothed"].min())
    return low, max(low, min(float(curves["smoothed"].max()), 1.25 * max(starts)))


def noise_scale_chart(rows: Rows, text: Text = str) -> AltairChart:
    """B_simple after every epoch (log y), with the interval from that epoch's own draws as a band
    (an open-ended interval is drawn up to the chart's top)."""
    df = pd.DataFrame([{"epoch": r["epoch"], "b_simple": r.get("b_simple"), "low": r.get("b_simple_low"),
                        "high": r.get("b_simple_high")} for r in rows], columns=["epoch", "b_simple", "low", "high"])
    df = df[df["b_simple"] > 0] if not df.empty else df
    finite = df["high"].replace(math.inf, math.nan)
    top = float(max(finite.max(), df["b_simple"].max()) * 2) if not df.empty else 1.0
    df = df.assign(high=df["high"].clip(upper=top), low=df["low"].clip(lower=df["b_simple"].min() / 4))
    title = text(Message("chart.b_simple", "Gradient noise scale B_simple (log)"))
    x = alt.X("epoch:Q", title=text(X_AXES["epoch"]), axis=alt.Axis(tickMinStep=1))
    y = alt.Y("b_simple:Q", title=title, scale=alt.Scale(type="log"))
    band = alt.Chart(df).mark_area(opacity=0.2, color="#1f77b4").encode(
        x=x, y=alt.Y("low:Q", title=title, scale=alt.Scale(type="log")), y2="high:Q")
    line = alt.Chart(df).mark_line(point=True).encode(
        x=x, y=y, tooltip=[alt.Tooltip("epoch:Q", title=text(X_AXES["epoch"])),
                           alt.Tooltip("b_simple:Q", title="B_simple", format=",.1f"),
                           alt.Tooltip("low:Q", title=text(Message("chart.interval_low", "interval from")),
                                       format=",.1f"),
                           alt.Tooltip("high:Q", title=text(Message("chart.interval_high", "to")), format=",.1f")])
    title_text = text(Message("chart.noise_title", "Gradient noise scale B_simple during training, with the 95% "
                                                   "interval from each epoch's draws"))
    return alt.layer(band, line).properties(height=260, title=title_text, autosize=FIT_WIDTH)


def steps_to_target_chart(data: Mapping[str, Rows], b_crit: float | None = None,
                          b_crit_interval: tuple[float, float] | None = None, text: Text = str) -> AltairChart:
    """Steps to reach the target against batch size, log-log: every batch size's point (filled where it
    reached the target; an open triangle pointing up at its budget where it did not, a lower bound),
    the perfect-scaling line, the fitted S = S_min (1 + B_crit / B), and B_crit with its interval.

    data: critical_batch.chart_data's "points", "curve" and "perfect"."""
    x = alt.X("batch_size:Q", title=text(Message("chart.batch_log", "Batch size (log)")),
              scale=alt.Scale(type="log", base=2))
    steps_title = text(Message("chart.steps_to_target", "Update steps to reach the target (log)"))
    y = alt.Y("steps:Q", title=steps_title, scale=alt.Scale(type="log"))
    kinds = {False: text(Message("chart.reached", "reached the target")),
             True: text(Message("chart.censored", "not reached within the budget (at least this many)"))}
    points = pd.DataFrame(data["points"], columns=["batch_size", "steps", "learning_rate", "censored"])
    points["kind"] = points["censored"].map(kinds)
    legend = alt.Legend(orient="bottom", labelLimit=0, columns=1)
    marks = alt.Chart(points).mark_point(size=110, strokeWidth=2).encode(
        x=x, y=y, shape=alt.Shape("kind:N", title=None, legend=legend, scale=alt.Scale(
            domain=list(kinds.values()), range=["circle", "triangle-up"])),
        fill=alt.condition("datum.censored", alt.value("transparent"), alt.value("#1f77b4")),
        color=alt.value("#1f77b4"),
        tooltip=[alt.Tooltip("batch_size:Q", title=text(BATCH_SIZE)),
                 alt.Tooltip("steps:Q", title=text(X_AXES["step"]), format=",.0f"),
                 alt.Tooltip("learning_rate:Q", title=text(Message("chart.best_lr", "best LR")), format="g")])
    layers: list[AltairChart] = [marks]
    lines = [(text(Message("chart.perfect", "perfect scaling (steps ∝ 1/B)")), "#7f7f7f", [4, 4], data["perfect"]),
             (text(Message("chart.fit", "fit S = S_min (1 + B_crit / B)")), "#d62728", [], data["curve"])]
    drawn = [line for line in lines if line[3]]
    colours = alt.Scale(domain=[name for name, *_ in drawn], range=[colour for _, colour, *_ in drawn])
    for name, _, dash, rows in drawn:
        layers.append(alt.Chart(pd.DataFrame(rows).assign(line=name)).mark_line(strokeDash=dash).encode(
            x=x, y=y, color=alt.Color("line:N", title=None, legend=legend, scale=colours)))
    if b_crit is not None:
        layers += _b_crit_marks(b_crit, b_crit_interval, "batch_size", text)
    return alt.layer(*layers).properties(height=320, autosize=FIT_WIDTH)


def _b_crit_marks(b_crit: float, interval: tuple[float, float] | None, field: str, text: Text) -> list[AltairChart]:
    """A vertical rule at B_crit (or at E_min, `field`) and a band over its interval."""
    label = text(Message("chart.b_crit", "B_crit {b_crit:,.0f}", b_crit=b_crit))
    marks: list[AltairChart] = []
    if interval is not None:
        band = pd.DataFrame([{"low": interval[0], "high": interval[1]}])
        marks.append(alt.Chart(band).mark_rect(opacity=0.12, color="#d62728").encode(
            x=alt.X("low:Q", scale=alt.Scale(type="log", base=2)), x2="high:Q"))
    rule = pd.DataFrame([{field: b_crit, "label": label}])
    marks += [alt.Chart(rule).mark_rule(color="#d62728", strokeDash=[2, 2]).encode(x=f"{field}:Q"),
              alt.Chart(rule).mark_text(align="left", dx=4, y=8, color="#d62728").encode(x=f"{field}:Q",
                                                                                       text="label:N")]
    return marks


def examples_against_steps_chart(data: Mapping[str, Rows], fit: tuple[float, float] | None = None,
                                 text: Text = str) -> AltairChart:
    """The trade-off a practitioner pays for: examples E = S·B against steps S, log-log, each batch size
    a point (censored ones as lower bounds), and the fitted hyperbola (S/S_min − 1)(E/E_min − 1) = 1,
    which runs from the fewest steps (S_min, at a huge batch) to the fewest examples (E_min, at a tiny one).
    `fit` (S_min, E_min) draws both as dashed lines; B_crit = E_min / S_min.

    data: critical_batch.chart_data's "points" and "trade_off"."""
    steps_title = text(Message("chart.steps_log", "Update steps S (log)"))
    examples_title = text(Message("chart.examples_log", "Training examples E = S·B (log)"))
    x = alt.X("steps:Q", title=steps_title, scale=alt.Scale(type="log"))
    y = alt.Y("examples:Q", title=examples_title, scale=alt.Scale(type="log"))
    points = pd.DataFrame(data["points"], columns=["batch_size", "steps", "examples", "censored"])
    points["label"] = points["batch_size"].map(lambda b: f"B {b}")
    marks = alt.Chart(points).mark_point(size=110, strokeWidth=2, color="#1f77b4").encode(
        x=x, y=y, shape=alt.condition("datum.censored", alt.value("triangle-up"), alt.value("circle")),
        fill=alt.condition("datum.censored", alt.value("transparent"), alt.value("#1f77b4")),
        tooltip=[alt.Tooltip("batch_size:Q", title=text(BATCH_SIZE)),
                 alt.Tooltip("steps:Q", title=steps_title, format=",.0f"),
                 alt.Tooltip("examples:Q", title=examples_title, format=",.0f")])
    labels = alt.Chart(points).mark_text(align="left", dx=8, dy=-8, color="#1f77b4").encode(x=x, y=y, text="label:N")
    layers: list[AltairChart] = [marks, labels]
    if data["trade_off"]:
        curve = pd.DataFrame(data["trade_off"]).assign(
            line=text(Message("chart.trade_off", "fit: (S/S_min − 1)(E/E_min − 1) = 1")))
        layers.insert(0, alt.Chart(curve).mark_line(color="#d62728").encode(
            x=x, y=y, order="batch_size:Q", color=alt.Color("line:N", title=None, scale=alt.Scale(range=["#d62728"]),
                                                            legend=alt.Legend(orient="bottom", labelLimit=0))))
    if fit is not None:
        s_min, e_min = fit
        floors = pd.DataFrame([{"steps": s_min, "examples": e_min,
                                "s_label": text(Message("chart.s_min", "S_min {s_min:,.0f}", s_min=s_min)),
                                "e_label": text(Message("chart.e_min", "E_min {e_min:,.0f}", e_min=e_min))}])
        floor = alt.Chart(floors)
        layers += [floor.mark_rule(color="#d62728", strokeDash=[2, 2]).encode(x="steps:Q"),
                   floor.mark_rule(color="#d62728", strokeDash=[2, 2]).encode(y="examples:Q"),
                   floor.mark_text(align="left", dx=4, y=8, color="#d62728").encode(x="steps:Q", text="s_label:N"),
                   floor.mark_text(align="right", dy=-6, x="width", color="#d62728").encode(y="examples:Q",
                                                                                           text="e_label:N")]
    return alt.layer(*layers).properties(height=320, autosize=FIT_WIDTH)


def sharpness_chart(points: Rows, edge: float | None, text: Text = str) -> AltairChart:
    """Each seed's sharpness per batch size, with the mean of each batch size as a tick, and the
    stability edge as a rule where gradient descent has one (`edge`: 2/η or (2 + 2β)/η; None for Adam).

    points: batch_size, seed, sharpness. The y axis is logarithmic when every value is positive, so a
    five-fold difference and an edge far above both stay readable."""
    df = pd.DataFrame(points, columns=["batch_size", "seed", "sharpness"]).dropna(subset=["sharpness"])
    df["batch"] = df["batch_size"].map(lambda b: f"B {b}")
    log = bool(len(df)) and bool((df["sharpness"] > 0).all()) and (edge is None or edge > 0)
    title = text(Message("chart.sharpness", "Sharpness: top Hessian eigenvalue"))
    y = alt.Y("sharpness:Q", title=title, scale=alt.Scale(type="log") if log else alt.Scale(zero=False))
    x = alt.X("batch:N", title=text(BATCH_SIZE), sort=alt.SortField("batch_size"), axis=alt.Axis(labelAngle=0))
    seeds = alt.Chart(df).mark_circle(size=90, opacity=0.8).encode(
        x=x, y=y, color=alt.Color("batch:N", legend=None, sort=alt.SortField("batch_size"),
                                  scale=alt.Scale(range=CATEGORY10)),
        tooltip=[alt.Tooltip("batch_size:Q", title=text(BATCH_SIZE)),
                 alt.Tooltip("seed:Q", title=text(Message("chart.seed", "Seed"))),
                 alt.Tooltip("sharpness:Q", title=title, format=".4g")])
    means = alt.Chart(df).mark_tick(size=36, thickness=2, color="#333").encode(
        x=x, y=alt.Y("mean(sharpness):Q", title=title), tooltip=[
            alt.Tooltip("mean(sharpness):Q", title=text(Message("chart.mean_over_seeds", "Mean over seeds")),
                        format=".4g")])
    layers: list[AltairChart] = [seeds, means]
    if edge is not None:
        label = text(Message("chart.stability_edge", "stability edge {edge:.4g}: gradient descent diverges above it",
                             edge=edge))
        rule = alt.Chart(pd.DataFrame([{"sharpness": edge, "label": label}]))
        layers += [rule.mark_rule(color="#d62728", strokeDash=[6, 4]).encode(y="sharpness:Q"),
                   rule.mark_text(align="left", dx=4, dy=-7, color="#d62728").encode(
                       y="sharpness:Q", x=alt.value(0), text="label:N")]
    return alt.layer(*layers).properties(height=300, autosize=FIT_WIDTH)


def gap_against_sharpness_chart(points: Rows, text: Text = str) -> AltairChart:
    """Each run's generalization gap against its sharpness, both at the weights it ended with: the
    second link of the claim (sharper → worse) as a picture, one colour per batch size.

    points: batch_size, seed, sharpness, gap."""
    df = pd.DataFrame(points, columns=["batch_size", "seed", "sharpness", "gap"]).dropna()
    df["batch"] = df["batch_size"].map(lambda b: f"B {b}")
    sharpness, gap = (text(Message("chart.sharpness", "Sharpness: top Hessian eigenvalue")), text(METRICS["gap"]))
    log = bool(len(df)) and bool((df["sharpness"] > 0).all())
    return alt.Chart(df).mark_circle(size=90, opacity=0.8).encode(
        x=alt.X("sharpness:Q", title=sharpness, scale=alt.Scale(type="log") if log else alt.Scale(zero=False)),
        y=alt.Y("gap:Q", title=gap, scale=alt.Scale(zero=False)),
        color=alt.Color("batch:N", title=text(BATCH_SIZE), sort=alt.SortField("batch_size"),
                        scale=alt.Scale(range=CATEGORY10), legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("batch_size:Q", title=text(BATCH_SIZE)),
                 alt.Tooltip("seed:Q", title=text(Message("chart.seed", "Seed"))),
                 alt.Tooltip("sharpness:Q", title=sharpness, format=".4g"),
                 alt.Tooltip("gap:Q", title=gap, format=".4f")],
    ).properties(height=300, autosize=FIT_WIDTH)


def isolation_chart(cells: pd.DataFrame, value: str, text: Text = str) -> AltairChart:
    """The tuning playbook's isolation plot: for each batch size, the best validation metric against the
    learning rate (log x), its mean over the seeds; a learning rate where a seed diverged or was unstable
    is marked with a red cross, and one where every seed diverged sits on the axis as a cross alone.

    cells: core.runs.tables.cell_table's (batch_size × learning_rate), `value` its metric column."""
    df = cells.copy()
    df["batch"] = df["batch_size"].map(lambda b: f"B {b}")
    df["failed"] = (df["diverged"] + df["unstable"]) > 0
    title, lr_title = text(BEST[value]), text(LEARNING_RATE)
    x = alt.X("learning_rate:Q", title=lr_title, scale=alt.Scale(type="log"))
    colour = alt.Color("batch:N", title=text(BATCH_SIZE), sort=alt.SortField("batch_size"),
                       scale=alt.Scale(range=CATEGORY10), legend=alt.Legend(orient="bottom"))
    tooltip = [alt.Tooltip("batch_size:Q", title=text(BATCH_SIZE)), alt.Tooltip("learning_rate:Q", title=lr_title),
               alt.Tooltip(f"{value}:Q", title=title, format=".4f"),
               alt.Tooltip("runs:Q", title=text(Message("chart.runs", "Runs"))),
               alt.Tooltip("diverged:Q", title=text(Message("chart.diverged", "diverged"))),
               alt.Tooltip("unstable:Q", title=text(Message("chart.unstable", "unstable")))]
    trained = df.dropna(subset=[value])
    lines = alt.Chart(trained).mark_line(point=alt.OverlayMarkDef(size=60, filled=True)).encode(
        x=x, y=alt.Y(f"{value}:Q", title=title, scale=alt.Scale(zero=False)), color=colour, detail="batch:N",
        tooltip=tooltip)
    floor = trained[value].min() if len(trained) else 0.0
    failed = df[df["failed"]].assign(**{value: df.loc[df["failed"], value].fillna(floor)})
    crosses = alt.Chart(failed).mark_point(shape="cross", size=140, color="#d62728", strokeWidth=2).encode(
        x=x, y=alt.Y(f"{value}:Q"), tooltip=tooltip)
    return alt.layer(lines, crosses).properties(height=300, autosize=FIT_WIDTH)


def temperature_chart(summary: pd.DataFrame, value: str, text: Text = str) -> AltairChart:
    """Every run's best validation metric against its noise temperature η/B (η/(B(1 − m)) with momentum),
    log x, one colour per batch size: runs scaled by the linear rule share a temperature, so where the
    rule works their points fall on one curve, and where it breaks the large batch leaves it.

    summary: core.runs.tables.summary_table's, `value` a best-metric column."""
    df = summary.dropna(subset=[value]).copy()
    df["batch"] = df["batch_size"].map(lambda b: f"B {b}")
    title = text(Message("chart.temperature", "Noise temperature η/B"))
    return alt.Chart(df).mark_point(size=70, filled=True, opacity=0.85).encode(
        x=alt.X("temperature:Q", title=title, scale=alt.Scale(type="log")),
        y=alt.Y(f"{value}:Q", title=text(BEST[value]), scale=alt.Scale(zero=False)),
        color=alt.Color("batch:N", title=text(BATCH_SIZE), sort=alt.SortField("batch_size"),
                        scale=alt.Scale(range=CATEGORY10), legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("label:N", title=text(Message("chart.run", "Run"))),
                 alt.Tooltip("temperature:Q", title=title, format=".3g"),
                 alt.Tooltip(f"{value}:Q", title=text(BEST[value]), format=".4f")],
    ).properties(height=300, autosize=FIT_WIDTH)


def target_curves_chart(rows: Rows, x: str, metric: str, target: float, text: Text = str) -> AltairChart:
    """Each batch size's best-LR runs on their way to the target (one line per seed), against update
    steps or samples seen (log x), with the target as a line: where a curve crosses it is S(B) or E(B).

    rows: core.analysis.critical_batch.target_curves'."""
    df = pd.DataFrame(rows, columns=["batch_size", "seed", "step", "samples", "value"])
    df["batch"] = df["batch_size"].map(lambda b: f"B {b}")
    df["run"] = df["batch"] + " · " + df["seed"].astype(str)
    title = text(METRICS[metric])
    lines = alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=16)).encode(
        x=alt.X(f"{x}:Q", title=text(X_AXES[x]), scale=alt.Scale(type="log")),
        y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=False)),
        color=alt.Color("batch:N", title=text(BATCH_SIZE), sort=alt.SortField("batch_size"),
                        scale=alt.Scale(range=CATEGORY10), legend=alt.Legend(orient="bottom")),
        detail="run:N",
        tooltip=[alt.Tooltip("batch_size:Q", title=text(BATCH_SIZE)), alt.Tooltip("seed:Q"),
                 alt.Tooltip("step:Q", title=text(X_AXES["step"]), format=","),
                 alt.Tooltip("samples:Q", title=text(X_AXES["samples"]), format=","),
                 alt.Tooltip("value:Q", title=title, format=".4f")])
    goal = alt.Chart(pd.DataFrame([{"value": target}])).mark_rule(color="#d62728", strokeDash=[4, 4]).encode(
        y="value:Q")
    return alt.layer(lines, goal).properties(height=280, autosize=FIT_WIDTH)


# --------------------------------------------------------------------------- the Lessons page: results over predictions

YOURS_COLOR = "#ff7f0e"  # the student's prediction, on every lesson chart
YOUR_PREDICTION = Message("chart.your_prediction", "your prediction")


def prediction_curves_chart(table: pd.DataFrame, metric: Message, x: str = "epoch", predicted: Collection[str] = (),
                            rules: Sequence[Mapping[str, Any]] = (), text: Text = str) -> AltairChart:
    """A lesson's arms against `x`, each one's seeds as their mean with a min–max band; the arms the student
    predicted (their labels in `predicted`) drawn thick and named so in the legend; `rules` are vertical
    marks: {"x", "label", "yours"}, or a band from "x" to "x2", the student's own in orange.

    table: core.runs.tables.runs_table's, one label per arm."""
    df = table.dropna(subset=["value"])
    lines = df.groupby(["label", "epoch"], as_index=False, sort=False).agg(
        **{col: (col, "mean") for col in X_AXES if col != "epoch"},
        value=("value", "mean"), low=("value", "min"), high=("value", "max"), runs=("run", "nunique"))
    lines["yours"] = lines["label"].isin(list(predicted))
    mine = text(YOUR_PREDICTION)
    lines["arm"] = [f"{label} ← {mine}" if yours else label for label, yours in zip(lines["label"], lines["yours"],
                                                                                     strict=True)]
    order = list(dict.fromkeys(lines["arm"]))
    colour = alt.Color("arm:N", title=None, sort=order, scale=alt.Scale(range=CATEGORY10),
                       legend=alt.Legend(orient="bottom", columns=1, labelLimit=0))
    x_enc, y_title = alt.X(f"{x}:Q", title=text(X_AXES[x])), text(metric)
    base = alt.Chart(lines).encode(x=x_enc, color=colour)
    band = base.mark_area(fillOpacity=0.15).encode(y=alt.Y("low:Q", title=y_title), y2="high:Q", detail="arm:N")
    curve = base.mark_line(point=alt.OverlayMarkDef(size=20, filled=True)).encode(
        y=alt.Y("value:Q", title=y_title), detail="arm:N",
        strokeWidth=alt.when(alt.datum.yours).then(alt.value(4.5)).otherwise(alt.value(1.8)),
        tooltip=[alt.Tooltip("arm:N", title=text(Message("chart.run", "Run"))),
                 alt.Tooltip("runs:Q", title=text(Message("chart.seeds", "Seeds"))),
                 alt.Tooltip(f"{x}:Q", title=text(X_AXES[x]), format=",.4~f"),
                 alt.Tooltip("value:Q", title=y_title, format=".4f"),
                 alt.Tooltip("low:Q", title=text(Message("chart.seed_min", "Min over seeds")), format=".4f"),
                 alt.Tooltip("high:Q", title=text(Message("chart.seed_max", "Max over seeds")), format=".4f")])
    layers: list[AltairChart] = [band, curve]
    if rules:
        marks = pd.DataFrame([{"x": r["x"], "x2": r.get("x2", r["x"]), "label": r["label"], "yours": bool(r["yours"]),
                               "ty": 6 + 15 * i} for i, r in enumerate(rules)])
        ink = alt.when(alt.datum.yours).then(alt.value(YOURS_COLOR)).otherwise(alt.value("#555"))
        spans = alt.Chart(marks).transform_filter("datum.x2 > datum.x")
        points = alt.Chart(marks).transform_filter("datum.x2 <= datum.x")
        layers += [spans.mark_rect(opacity=0.12, color="#555").encode(x="x:Q", x2="x2:Q"),
                   points.mark_rule(strokeWidth=2.5, strokeDash=[6, 3]).encode(x="x:Q", color=ink),
                   alt.Chart(marks).mark_text(align="left", dx=5, baseline="top", fontWeight="bold").encode(
                       x="x:Q", y=alt.Y("ty:Q", scale=None), text="label:N", color=ink)]
    return alt.layer(*layers).properties(height=320, autosize=FIT_WIDTH)


def prediction_cells_chart(cells: Rows, text: Text = str) -> AltairChart:
    """A batch × LR grid: each cell's share of seeds that diverged or became unstable (its colour and its
    count), the cells the student predicted outlined in orange.

    cells: batch_size, learning_rate, failed, seeds, yours."""
    df = pd.DataFrame(cells, columns=["batch_size", "learning_rate", "failed", "seeds", "yours"])
    df["batch"] = df["batch_size"].map(lambda b: f"B {b}")
    df["lr"] = df["learning_rate"].map(_lr_label)
    df["share"] = df["failed"] / df["seeds"].where(df["seeds"] > 0)
    mine = text(YOUR_PREDICTION)
    df["text"] = [text(Message("chart.failed_of", "{failed} of {seeds} failed", failed=f, seeds=s))
                  + (f"\n★ {mine}" if yours else "") for f, s, yours in zip(df["failed"], df["seeds"], df["yours"],
                                                                            strict=True)]
    base = alt.Chart(df).encode(
        x=alt.X("lr:N", title=text(LEARNING_RATE), sort=alt.SortField("learning_rate"),
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("batch:N", title=text(BATCH_SIZE), sort=alt.SortField("batch_size")))
    share_title = text(Message("chart.failed_share", "Seeds that diverged or became unstable"))
    fill = base.mark_rect().encode(
        color=alt.Color("share:Q", title=share_title, scale=alt.Scale(domain=[0, 1], range=["#e8f4ea", "#d62728"]),
                        legend=alt.Legend(orient="bottom", format="%")),
        tooltip=[alt.Tooltip("batch_size:Q", title=text(BATCH_SIZE)),
                 alt.Tooltip("learning_rate:Q", title=text(LEARNING_RATE)),
                 alt.Tooltip("failed:Q", title=share_title), alt.Tooltip("seeds:Q", title=text(Message(
                     "chart.seeds", "Seeds")))])
    outline = base.transform_filter("datum.yours").mark_rect(fillOpacity=0, stroke=YOURS_COLOR, strokeWidth=5)
    words = base.mark_text(fontSize=13, lineBreak="\n").encode(text="text:N")
    return alt.layer(fill, outline, words).properties(height=240, autosize=FIT_WIDTH)


SHAPE_DASHES = {"measured": [1, 0], "perfect": [2, 3], "yours": [8, 4]}


def prediction_shape_chart(points: Rows, lines: Rows, text: Text = str) -> AltairChart:
    """Steps to a target against the batch size, log–log: every seed's point, and `lines` (batch_size, steps,
    line: its name, kind: "measured", "perfect" or "yours") — the measured median, the perfect-scaling line,
    and the shape the student predicted, dashed in orange."""
    dots = pd.DataFrame(points, columns=["batch_size", "steps", "seed"])
    drawn = pd.DataFrame(lines, columns=["batch_size", "steps", "line", "kind"])
    x = alt.X("batch_size:Q", title=text(BATCH_SIZE), scale=alt.Scale(type="log"))
    steps = text(Message("chart.steps_to_target", "Update steps to reach the target (log)"))
    y = alt.Y("steps:Q", title=steps, scale=alt.Scale(type="log"))
    names = list(dict.fromkeys(drawn["line"]))
    kinds = dict(zip(drawn["line"], drawn["kind"], strict=False))
    colours = [YOURS_COLOR if kinds[n] == "yours" else "#7f7f7f" if kinds[n] == "perfect" else "#1f77b4"
               for n in names]
    curve = alt.Chart(drawn).mark_line().encode(
        x=x, y=y, color=alt.Color("line:N", title=None, sort=names, scale=alt.Scale(domain=names, range=colours),
                                  legend=alt.Legend(orient="bottom", columns=1, labelLimit=0)),
        strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(domain=list(SHAPE_DASHES),
                                                             range=list(SHAPE_DASHES.values())), legend=None),
        strokeWidth=alt.when(alt.datum.kind == "yours").then(alt.value(3)).otherwise(alt.value(2)))
    seeds = alt.Chart(dots).mark_circle(size=70, opacity=0.75, color="#1f77b4").encode(
        x=x, y=y, tooltip=[alt.Tooltip("batch_size:Q", title=text(BATCH_SIZE)),
                           alt.Tooltip("seed:Q", title=text(Message("chart.seed", "Seed"))),
                           alt.Tooltip("steps:Q", title=steps, format=",")])
    return alt.layer(curve, seeds).properties(height=320, autosize=FIT_WIDTH)
