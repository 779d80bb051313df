import pandas as pd

from core.charts import fit_y_range, vega_lite_spec, curve_chart


def table(curves: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame([{"label": label, "value": v} for label, values in curves.items() for v in values])


def test_one_run_far_above_the_others_is_cut_off_and_named():
    low, high, above = fit_y_range(table({"old": [2.0, 1.0], "linear": [25.0, 30.0], "sqrt": [2.2, 0.8]}))
    assert (low, round(high, 2), above) == (0.0, 2.42, ["linear"])


def test_runs_of_similar_height_keep_the_full_range():
    assert fit_y_range(table({"a": [2.0, 1.0], "b": [2.5, 0.9]})) is None


def test_a_diverged_run_is_left_out_of_the_range_even_when_close():
    low, high, above = fit_y_range(table({"a": [1.0, 0.5], "b": [4.0, 9.0]}), unstable={"b"})
    assert (low, round(high, 2), above) == (0.0, 1.1, ["b"])


def test_a_spec_drops_altairs_fixed_300_pixel_view_and_keeps_the_data():
    rows = [{"epoch": 1, "step": 10, "samples": 640, "time_s": 0.5, "train_loss": 1.0, "val_loss": 1.2,
             "train_acc": 0.5, "val_acc": 0.4}]
    spec = vega_lite_spec(curve_chart(rows, "loss"))
    assert "continuousWidth" not in spec.get("config", {}).get("view", {})
    assert [len(values) for values in spec["datasets"].values()] == [2]
