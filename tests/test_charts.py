"""The chart builders: the live charts' data, and every builder's spec valid Vega-Lite in both languages."""

import altair as alt
import pandas as pd

from core import charts
from core.analysis.critical_batch import BatchPoint, ScalingFit, chart_data
from core.analysis.lr_finder import RangeTest
from core.charts import curve_chart, step_loss_chart
from core.jobs.job import JobView
from core.messages import Message
from core.runs.tables import runs_table
from core.training.config import TrainConfig
from core.training.record import Status
from pages.ui.texts import CORE


def test_the_live_curve_keeps_finite_values_in_long_form_and_fixes_the_x_domain():
    rows = [{"epoch": 1, "step": 10, "samples": 640, "time_s": 0.5, "train_loss": 1.0, "val_loss": float("nan"),
             "train_acc": 0.5, "val_acc": 0.4}]
    spec = curve_chart(rows, "loss", x_max=15)
    assert spec["datasets"]["history"] == [
        {"epoch": 1, "step": 10, "samples": 640, "time_s": 0.5, "split": "train", "value": 1.0}]
    assert spec["encoding"]["x"]["scale"] == {"domain": [0, 15]}
    assert spec["title"] == "Loss per epoch"


def test_the_step_chart_averages_the_last_twenty_finite_steps():
    losses = [float(i) for i in range(1, 26)] + [float("inf")]
    values = step_loss_chart(losses)["datasets"]["steps"]
    assert len(values) == 25 and values[-1]["step"] == 25
    assert [v["average"] for v in values[:3]] == [1.0, 1.5, 2.0]
    assert values[-1]["average"] == sum(range(6, 26)) / 20  # steps 6..25


def test_a_long_run_draws_every_kth_step_and_keeps_its_last_while_averaging_all():
    values = step_loss_chart([1.0] * 9_999 + [2.0], max_points=4000)["datasets"]["steps"]
    assert [v["step"] for v in values[:3]] == [1, 4, 7] and values[-1]["step"] == 10_000
    assert len(values) == 3334 and values[-1]["average"] == (19 * 1.0 + 2.0) / 20


def test_the_live_curve_draws_the_running_training_loss_as_a_third_dashed_line():
    rows = [{"epoch": 0, "step": 0, "samples": 0, "time_s": 0.0, "train_loss": 2.0, "val_loss": 2.1,
             "train_loss_running": 2.0},
            {"epoch": 1, "step": 10, "samples": 640, "time_s": 0.5, "train_loss": 1.0, "val_loss": 1.2,
             "train_loss_running": 1.5}]
    spec = curve_chart(rows, "loss")
    running = [(v["epoch"], v["value"]) for v in spec["datasets"]["history"] if v["split"] == "train, running mean"]
    assert running == [(0, 2.0), (1, 1.5)]
    assert spec["encoding"]["color"]["scale"]["domain"] == ["train", "validation", "train, running mean"]
    assert spec["encoding"]["strokeDash"]["condition"] == {"test": 'datum.split === "train, running mean"',
                                                          "value": [4, 3]}


def test_the_schedule_chart_draws_every_steps_lr_and_thins_a_long_run_keeping_its_last_step():
    spec = charts.lr_schedule_chart([0.1, 0.2, 0.3, 0.3])
    assert spec["datasets"]["schedule"] == [{"step": 1, "lr": 0.1}, {"step": 2, "lr": 0.2}, {"step": 3, "lr": 0.3},
                                            {"step": 4, "lr": 0.3}]
    long = charts.lr_schedule_chart([0.1] * 4001, max_points=2000)["datasets"]["schedule"]
    assert [v["step"] for v in long[:2]] == [1, 4] and long[-1]["step"] == 4001


def test_a_heatmap_cell_says_how_many_of_its_runs_diverged_or_were_unstable():
    cells = pd.DataFrame({"batch_size": [16, 16, 64], "learning_rate": [0.1, 0.4, 0.1],
                          "best_val_loss": [0.5, float("nan"), 0.7], "runs": [3, 3, 3], "diverged": [0, 3, 1],
                          "unstable": [0, 0, 1]})
    data = charts.heatmap(cells, "best_val_loss", higher_is_better=False).to_dict()["datasets"]
    (rows,) = data.values()
    assert [(r["text"], r["failed"]) for r in rows] == [("0.5", False), ("✗ diverged", True),
                                                        ("0.7 ✗1/3 ⚠1/3", True)]


def test_every_chart_builder_makes_a_valid_vega_lite_spec_in_both_languages():
    """The live charts are plain dicts that nothing else checks against Vega-Lite's schema."""
    rows = [{"epoch": e, "step": 10 * e, "samples": 640 * e, "time_s": 0.5 * e, "lr": 0.1, "train_loss": 1 / e,
             "val_loss": 1.2 / e, "train_acc": 0.5, "val_acc": 0.4, "train_loss_running": 1.1 / e,
             "train_acc_running": 0.45} for e in (1, 2)]
    config = TrainConfig(batch_size=16, learning_rate=0.1)
    run = JobView("a", config, Status.COMPLETED, rows, [], None, "", 0, 0.0, None)
    runs = runs_table([run], "val_loss")
    curves = runs.assign(split="train")
    summary = pd.DataFrame({"batch_size": [16], "learning_rate": [0.1], "best_val_loss": [0.5], "runs": [1],
                            "diverged": [0], "unstable": [0]})
    test = RangeTest(TrainConfig(), lrs=[1e-3, 1e-2, 1e-1], losses=[2.0, 1.0, 3.0], smoothed=[2.0, 1.5, 2.5],
                     suggestions={"valley": 1e-2})
    found = [BatchPoint(16, 0.01, (17000.0,), 20000), BatchPoint(256, 0.04, (2000.0,), 20000),
             BatchPoint(1024, None, (None,), 20000)]
    steps = chart_data(found, ScalingFit(s_min=1000, b_crit=256, points=2))
    grid = pd.DataFrame({"batch_size": [16, 16, 32], "learning_rate": [0.1, 0.2, 0.2],
                         "best_val_loss": [0.5, None, 0.4], "runs": [1, 1, 1], "diverged": [0, 1, 0],
                         "unstable": [0, 0, 0]})
    points = [{"batch_size": 16, "seed": 0, "sharpness": 6.0, "gap": 0.3},
              {"batch_size": 512, "seed": 0, "sharpness": 30.0, "gap": 0.2}]
    for text in (str, korean):
        built = [charts.curve_chart(rows, "loss", x_max=5, text=text), charts.curve_chart(rows, "acc", text=text),
                 charts.step_loss_chart([1.0, 0.5, 0.25], text=text),
                 charts.lr_schedule_chart([0.05, 0.1, 0.1], text=text),
                 charts.overlay_chart(runs, "val_loss", y_domain=(0.0, 2.0), text=text),
                 charts.small_multiples(curves, text=text),
                 charts.heatmap(summary, "best_val_loss", higher_is_better=False, text=text),
                 charts.range_test_chart([("batch 16", test)], text=text),
                 charts.noise_scale_chart([{"epoch": 1, "b_simple": 50.0}], text=text),
                 charts.steps_to_target_chart(steps, 256.0, (200.0, 300.0), text=text),
                 charts.steps_to_target_chart(steps, text=text), charts.examples_against_steps_chart(steps, text=text),
                 charts.examples_against_steps_chart(steps, (1000.0, 256_000.0), text=text),
                 charts.sharpness_chart(points, 20.0, text=text), charts.sharpness_chart(points, None, text=text),
                 charts.gap_against_sharpness_chart(points, text=text),
                 charts.small_multiples(curves, x="samples", text=text),
                 charts.isolation_chart(grid, "best_val_loss", text=text),
                 charts.temperature_chart(summary.assign(temperature=[0.1 / 16], label=["a"]), "best_val_loss",
                                          text=text),
                 charts.target_curves_chart([{"batch_size": 16, "seed": 0, "step": 10, "samples": 160, "value": 0.5}],
                                            "samples", "val_acc", 0.8, text=text)]
        for chart in built:
            if isinstance(chart, dict):
                chart = alt.LayerChart.from_dict(chart, validate=True)  # raises on what the schema rejects
            chart.to_dict(validate=True)


def test_the_sharpness_chart_draws_the_stability_edge_only_where_gradient_descent_has_one():
    points = [{"batch_size": b, "seed": s, "sharpness": v} for b, s, v in ((16, 0, 6.0), (16, 1, 7.0), (512, 0, 30.0))]
    with_edge = charts.sharpness_chart(points, 38.0).to_dict()
    assert [layer["mark"]["type"] for layer in with_edge["layer"]] == ["circle", "tick", "rule", "text"]
    assert with_edge["layer"][0]["encoding"]["y"]["scale"] == {"type": "log"}  # every value positive
    adam = charts.sharpness_chart(points, None).to_dict()
    assert [layer["mark"]["type"] for layer in adam["layer"]] == ["circle", "tick"]
    saddle = charts.sharpness_chart([*points, {"batch_size": 512, "seed": 1, "sharpness": -2.0}], None).to_dict()
    assert saddle["layer"][0]["encoding"]["y"]["scale"] == {"zero": False}  # a negative value: no log axis


def test_the_heatmap_joins_the_cells_of_equal_noise_temperature():
    grid = pd.DataFrame({"batch_size": [16, 16, 32, 32], "learning_rate": [0.1, 0.2, 0.2, 0.4],
                         "best_val_loss": [0.5, 0.4, 0.45, 0.6], "runs": [1] * 4, "diverged": [0] * 4,
                         "unstable": [0] * 4})
    spec = charts.heatmap(grid, "best_val_loss", higher_is_better=False).to_dict()
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    assert line["encoding"]["detail"]["field"] == "temperature"
    joined = next(rows for rows in spec["datasets"].values() if "temperature" in rows[0])
    assert sorted(r["temperature"] for r in joined) == [0.00625, 0.00625, 0.0125, 0.0125]
    assert charts.has_iso_temperature_lines(grid)
    assert not charts.has_iso_temperature_lines(grid[grid["batch_size"] == 16])


def korean(message: Message) -> str:
    return message.render(lambda m: CORE.get(m.key))


def test_the_range_test_y_range_ignores_a_spiky_first_batch_and_the_explosion_that_ends_a_test():
    smoothed = [9.0] + [2.3] * 19 + [2.0, 1.5, 1.0, 0.8, 0.7, 0.9, 1.5, 4.0, 40.0, 400.0]
    curves = pd.DataFrame({"test": "batch 16", "smoothed": smoothed})
    assert charts.range_test_y_range(curves) == (0.7, 2.3 * 1.25)  # the start is the first tenth's median


def test_the_range_test_legend_keeps_the_batch_sizes_in_their_numeric_order():
    tests = [(f"batch {b}", RangeTest(TrainConfig(), lrs=[1e-3, 1e-2], losses=[2.0, 1.0], smoothed=[2.0, 1.5]))
             for b in (16, 64, 256, 512)]
    spec = charts.range_test_chart(tests).to_dict()
    colors = [layer["encoding"]["color"] for layer in spec["layer"]]
    assert all(c["scale"]["domain"] == ["batch 16", "batch 64", "batch 256", "batch 512"] for c in colors)
    # Vega-Lite merges the layers' colour legends into one; a layer with legend=None hid it (the lines
    # could not be told apart). Every layer asks for the legend, its symbols solid.
    assert [c.get("legend") for c in colors] == [{"symbolOpacity": 1}] * 3
