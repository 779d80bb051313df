"""Every page runs, and its main action works end to end on a tiny config (AppTest)."""

import json
import re
from urllib.parse import parse_qs

import pyarrow
import pytest
from streamlit.testing.v1 import AppTest

from tests import PAGE_TIMEOUT, PAGES, ROOT


def test_the_home_page_runs_and_computes_steps_per_epoch(open_page, metrics):
    at = open_page()
    assert not at.exception
    at.number_input(key="calc_n").set_value(320)
    at.number_input(key="calc_b").set_value(32)
    at.number_input(key="calc_e").set_value(10).run()
    assert metrics(at)["Updates per epoch"] == "10"
    assert metrics(at)["Updates in total"] == "100"


def test_the_home_calculator_explains_a_batch_larger_than_the_data(open_page):
    at = open_page()
    at.number_input(key="calc_b").set_value(5000).run()
    assert not at.exception
    assert "larger than the 2000 samples" in at.error[0].value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(page, open_page):
    at = open_page(page)
    assert not at.exception


def test_the_train_page_trains_a_tiny_config_and_shows_the_chart_and_summary(open_page, run_until_done, metrics):
    at = open_page("pages/1_Train.py")
    at.selectbox(key="dataset").select("digits").run()
    at.selectbox(key="model_digits").select("mlp")
    at.number_input(key="epochs").set_value(2)
    at.number_input(key="seed").set_value(101).run()
    assert "updates per epoch" in at.markdown[1].value
    at.button(key="train").click().run()
    run_until_done(at)
    assert not at.exception
    summary = metrics(at)
    assert summary["Status"] == "Completed"
    assert summary["Epochs"] == "2 / 2"
    assert summary["Update steps"] == str(2 * 18)  # 1150 samples / batch 64 -> 18 per epoch
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 2


def test_a_run_with_a_warm_up_and_step_decay_shows_its_schedule_step_by_step(open_page, run_until_done, metrics):
    at = open_page("pages/1_Train.py")
    at.selectbox(key="dataset").select("digits").run()
    at.selectbox(key="model_digits").select("mlp")
    at.number_input(key="epochs").set_value(2)
    at.number_input(key="warmup_epochs").set_value(0.5)
    at.selectbox(key="schedule").select("step").run()  # its decay settings open up
    at.number_input(key="decay_every").set_value(1)
    at.number_input(key="seed").set_value(103).run()
    at.button(key="train").click().run()
    run_until_done(at)
    assert not at.exception and metrics(at)["Status"] == "Completed"
    charts = at.get("vega_lite_chart")
    (schedule,) = [c for c in charts if json.loads(c.proto.spec).get("title") == "Learning rate of every update step"]
    table = pyarrow.ipc.open_stream(schedule.proto.datasets[0].data.data).read_all()  # the chart's data, as sent
    lrs = table.column("lr").to_pylist()
    assert len(lrs) == 36 and lrs[0] == pytest.approx(0.0) and max(lrs) == 0.01  # 9 warm-up steps from 0
    assert lrs[18:] == [pytest.approx(0.001)] * 18  # the second epoch, decayed by 0.1


def test_training_the_same_settings_again_shows_the_stored_run(open_page, run_until_done, metrics):
    at = open_page("pages/1_Train.py")
    at.selectbox(key="dataset").select("digits").run()
    at.number_input(key="epochs").set_value(2)
    at.number_input(key="seed").set_value(102).run()
    at.button(key="train").click().run()
    run_until_done(at)
    again = open_page("pages/1_Train.py")  # a second session with the same settings
    again.selectbox(key="dataset").select("digits").run()
    again.number_input(key="epochs").set_value(2)
    again.number_input(key="seed").set_value(102).run()
    assert metrics(again)["Status"] == "Completed"  # shown at once, before pressing Train
    again.button(key="train").click().run()
    assert "trained already" in again.info[0].value


def test_stop_keeps_the_partial_run(open_page, wait_for, run_until_done, progress_texts, metrics):
    at = open_page("pages/1_Train.py")
    at.number_input(key="batch_size").set_value(16)
    at.number_input(key="epochs").set_value(500)
    at.number_input(key="seed").set_value(103).run()
    at.button(key="train").click().run()
    wait_for(at, lambda a: any(t.startswith("Epoch") for t in progress_texts(a)), timeout=60)
    at.button(key="stop").click().run()
    run_until_done(at)
    assert metrics(at)["Status"] == "Stopped"
    assert "what was trained is kept" in at.info[0].value
    # 3,200 MNIST-1D training samples in batches of 16: 200 steps an epoch; Stop lands mid-epoch or between.
    assert re.match(r"Stopped by request (during epoch \d+, after \d+ of its 200 update steps|after \d+ epochs)",
                    at.info[0].value)


def test_an_invalid_input_shows_a_clear_message_not_a_traceback(open_page):
    at = open_page("pages/1_Train.py")
    at.selectbox(key="dataset").select("linear").run()
    at.number_input(key="batch_size").set_value(5000).run()
    assert not at.exception
    assert "must be at most the 800 training samples of 'linear'" in at.error[0].value
    assert len(at.button) == 0  # no Train button for settings that cannot train


def test_an_unavailable_dataset_shows_a_clear_message(open_page, run_until_done):
    at = open_page("pages/1_Train.py")
    at.selectbox(key="dataset").select("cifar10").run()
    at.button(key="train").click().run()
    run_until_done(at)
    assert not at.exception
    assert "CIFAR-10 is not in" in at.error[0].value


def test_a_reloaded_page_finds_its_run_again_through_the_link(open_page, run_until_done, metrics):
    at = open_page("pages/1_Train.py")
    at.selectbox(key="dataset").select("digits").run()
    at.number_input(key="epochs").set_value(2)
    at.number_input(key="seed").set_value(104).run()
    at.button(key="train").click().run()
    run_until_done(at)
    key = at.query_params["run"][0] if isinstance(at.query_params["run"], list) else at.query_params["run"]
    reloaded = AppTest.from_file(str(ROOT / "app.py"), default_timeout=PAGE_TIMEOUT)
    reloaded.query_params["run"] = key
    reloaded.run().switch_page("pages/1_Train.py").run()
    assert not reloaded.exception
    assert reloaded.selectbox(key="dataset").value == "digits"
    assert reloaded.number_input(key="seed").value == 104
    assert metrics(reloaded)["Status"] == "Completed"


def test_a_link_to_an_unknown_run_shows_a_notice():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=PAGE_TIMEOUT)
    at.query_params["run"] = "not-a-run"
    at.run().switch_page("pages/1_Train.py").run()
    assert not at.exception
    assert "not on the server any more" in at.info[0].value


def test_the_sweep_page_runs_a_tiny_2x2_grid_and_shows_the_small_multiples_and_heatmap(
        open_page, wait_for, progress_texts):
    at = open_page("pages/2_Sweep.py")
    at.selectbox(key="sweep_dataset").select("digits").run()
    at.selectbox(key="sweep_model_digits").select("linear")
    at.number_input(key="sweep_epochs").set_value(2)
    at.number_input(key="sweep_seed").set_value(201)
    at.multiselect(key="sweep_batches").set_value([32, 64])
    at.multiselect(key="sweep_lrs").set_value([0.01, 0.1]).run()
    assert "**4 runs**" in at.markdown[1].value
    at.button(key="sweep_run").click().run()
    wait_for(at, lambda a: "0 running, 0 queued" in progress_texts(a)[0], timeout=180)
    assert not at.exception
    assert "4 of 4 runs done" in progress_texts(at)[0]
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert any("facet" in spec for spec in specs)  # the small multiples
    assert any(layer.get("mark", {}).get("type") == "rect" for spec in specs for layer in spec.get("layer", []))
    assert any("Noise temperature" in json.dumps(spec, ensure_ascii=False) for spec in specs)
    assert len(specs) == 4  # small multiples, heatmap, isolation plot, noise temperature
    assert len(at.dataframe[0].value) == 4
    at.segmented_control(key="sweep_x").set_value("step").run()  # the same curves against update steps
    multiples = next(json.loads(c.proto.spec) for c in at.get("vega_lite_chart") if "facet" in c.proto.spec)
    assert multiples["spec"]["encoding"]["x"]["field"] == "step"


def test_a_sweep_that_did_not_finish_is_offered_again_from_its_link_and_finishing_it_trains_only_the_rest(
        open_page, wait_for, progress_texts):
    import dataclasses
    import sqlite3

    from core.experiments.presets import grid
    from core.runs.store import RunStore
    from core.settings import store_path
    from core.training.config import TrainConfig
    from core.training.engine import train

    # As a server killed mid-sweep leaves the store: the sweep recorded, its batch-32 run finished, its
    # batch-64 run saved while training by a process that is gone (so it opens as interrupted).
    configs = grid(TrainConfig(dataset="digits", model="linear", epochs=2, seed=208), [32, 64], [0.05], [208])
    store = RunStore(store_path())
    store.record_group("sweep", configs)
    store.save(train(configs[0]))
    cut = train(configs[1])
    running = store.begin(dataclasses.replace(cut, rows=cut.rows[:2], step_losses=cut.step_losses[:cut.rows[1]["step"]],
                                              best_epoch=1))
    with sqlite3.connect(store_path()) as con:
        con.execute("UPDATE runs SET writer = 'another-host:1:1' WHERE id = ?", (running,))
    con.close()
    store.mark_interrupted()

    def sweep_session():
        at = open_page("pages/2_Sweep.py")
        at.selectbox(key="sweep_dataset").select("digits").run()
        at.selectbox(key="sweep_model_digits").select("linear")
        at.number_input(key="sweep_epochs").set_value(2)
        at.number_input(key="sweep_seed").set_value(208)
        at.multiselect(key="sweep_batches").set_value([32, 64])
        return at.multiselect(key="sweep_lrs").set_value([0.05]).run()

    at = sweep_session()  # after the restart, from the same link
    assert not at.exception
    assert "did not finish: 1 of its 2 settings have a finished run (1 were interrupted" in at.warning[0].value
    assert at.button(key="sweep_run").label == "Finish the sweep"
    at.button(key="sweep_run").click().run()
    wait_for(at, lambda a: "0 running, 0 queued" in progress_texts(a)[0], timeout=180)
    assert "2 of 2 runs done" in progress_texts(at)[0]
    statuses = sorted(store.runs().query("seed == 208")["status"])
    assert statuses == ["completed", "completed", "interrupted"]  # the finished run reused, the other trained
    again = sweep_session()
    assert not again.warning and again.button(key="sweep_run").label == "Run sweep"  # not offered any more


def test_the_sweep_page_explains_a_grid_cell_larger_than_the_data(open_page):
    at = open_page("pages/2_Sweep.py")
    at.selectbox(key="sweep_dataset").select("linear").run()
    at.multiselect(key="sweep_batches").set_value([16, 1024]).run()
    assert not at.exception
    assert "at most the 800 training samples" in at.error[0].value


def test_the_sweep_page_rejects_a_typed_in_value_that_is_not_a_number(open_page):
    at = open_page("pages/2_Sweep.py")
    at.multiselect(key="sweep_lrs").set_value([0.01, "fast"]).run()
    assert not at.exception
    assert "'fast' is not a number" in at.error[0].value


def test_a_seed_preset_is_answered_from_the_reference_runs_without_training(open_page, progress_texts):
    at = open_page("pages/2_Sweep.py")
    at.selectbox(key="sweep_preset").select("seed001").run()
    at.button(key="sweep_run").click().run()
    assert not at.exception
    assert "12 of 12 runs done" in progress_texts(at)[0]  # 4 settings × the 3 reference seeds
    columns = at.dataframe[0].value.columns.tolist()
    assert columns[:3] == ["Run", "Status", "Batch size"] and "Best val accuracy" not in columns  # regression


def test_the_compare_page_overlays_stored_runs_and_switches_the_x_axis(open_page):
    at = open_page("pages/3_Compare.py")
    assert not at.exception
    at.text_input(key="filter_text").input("seed001").run()
    assert len(at.dataframe[0].value) == 12  # 4 settings × 3 seeds
    picked = at.multiselect(key="compare_pick").value
    assert len(picked) == 4  # the first four shown are picked to start with
    for axis in ("step", "samples", "time_s", "epoch"):
        at.radio(key="compare_x").set_value(axis).run()
        assert not at.exception
        spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
        assert spec["layer"][1]["encoding"]["x"]["field"] == axis
    at.selectbox(key="compare_metric").select("gap")
    at.slider(key="compare_smooth").set_value(0.5)
    at.checkbox(key="compare_log").check().run()
    assert not at.exception


def test_the_compare_page_rejects_a_malformed_import_and_keeps_the_store(open_page):
    at = open_page("pages/3_Compare.py")
    before = len(at.dataframe[0].value)
    truncated = b'{"format": "batchlab-runs", "runs": ['
    at.file_uploader(key="compare_upload").set_value(("runs.json", truncated, "application/json")).run()
    at.button(key="compare_import").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Nothing was imported:")
    assert len(at.dataframe[0].value) == before


def test_the_compare_page_imports_an_exported_run(open_page):
    at = open_page("pages/3_Compare.py")
    before = len(at.dataframe[0].value)
    from pages.ui.resources import run_store

    store = run_store()
    exported = store.export_json(store.runs()["id"].tolist()[:1])
    at.file_uploader(key="compare_upload").set_value(("runs.json", exported.encode(), "application/json")).run()
    at.button(key="compare_import").click().run()
    assert at.success[0].value == "Imported 1 run(s)."
    assert len(at.dataframe[0].value) == before + 1


def test_the_calculator_computes_seed_002s_example_exactly(open_page):
    at = open_page("pages/4_Calculator.py")
    at.button(key="scale_example_1").click().run()
    assert not at.exception
    linear = at.get("latex")[0].proto.body
    assert r"= \mathbf{1}" in linear
    at.button(key="scale_example_2").click().run()
    assert r"= \mathbf{4e-05}" in at.get("latex")[0].proto.body
    assert "Advice from seed 002" in at.info[0].value


def test_the_calculator_explains_a_new_batch_larger_than_the_data(open_page):
    at = open_page("pages/4_Calculator.py")
    at.number_input(key="scale_new_batch").set_value(5000).run()
    assert not at.exception
    assert "'new_batch' (5000) is larger than the 3200 training samples" in at.error[0].value


def test_verify_trains_the_old_setting_and_each_rule_end_to_end(open_page, wait_for, progress_texts):
    at = open_page("pages/4_Calculator.py")
    at.number_input(key="scale_old_batch").set_value(32)
    at.number_input(key="scale_new_batch").set_value(128)
    at.selectbox(key="scale_dataset").select("digits").run()
    at.selectbox(key="scale_model_digits").select("linear")
    at.number_input(key="scale_verify_epochs").set_value(2).run()
    at.button(key="scale_verify").click().run()
    wait_for(at, lambda a: progress_texts(a)[:1] != [] and progress_texts(a)[0].startswith("5 of 5"), timeout=120)
    assert not at.exception
    table = at.dataframe[0].value
    assert table["run"].tolist() == ["old setting", "linear rule, no warm-up", "linear rule + warm-up",
                                     "square-root rule", "unscaled LR"]
    assert table["LR"].tolist() == [0.1, 0.4, 0.4, 0.2, 0.1]
    assert table["warm-up epochs"].tolist() == ["0", "0", "0.111", "0", "0"]
    assert table["updates"].tolist() == [2 * 36, 2 * 9, 2 * 9, 2 * 9, 2 * 9]  # 1150 samples
    assert "The warm-up arm climbs from LR 0.1 to 0.4 over 0.111 of the 2 epochs: 1 of its 18 updates." in [
        c.value for c in at.caption]


def test_the_range_test_page_overlays_range_tests_for_two_batch_sizes(open_page, wait_for, progress_texts):
    at = open_page("pages/5_LR_Range_Test.py")
    at.selectbox(key="lr_dataset").select("linear").run()
    at.selectbox(key="lr_optimizer").select("sgd")
    at.multiselect(key="lr_batches").set_value([16, 128]).run()
    at.button(key="lr_run").click().run()
    wait_for(at, lambda a: progress_texts(a)[0].startswith("2 of 2"), timeout=120)
    assert not at.exception
    table = at.dataframe[0].value
    assert table["range test"].tolist() == ["batch 16", "batch 128"]
    assert table["stopped at 4× the minimum"].tolist() == [True, True]  # LR 10 diverges on this problem
    assert (table["valley"] < 0.79).all()  # below the edge of stability 2/λ_H of seed 001's data
    assert len(at.get("vega_lite_chart")) == 1


def test_a_range_that_ends_while_the_loss_still_falls_says_its_suggestions_are_at_the_edge(
        open_page, wait_for, progress_texts):
    at = open_page("pages/5_LR_Range_Test.py", lr_dataset="linear", lr_optimizer="sgd", lr_end=0.01)
    at.multiselect(key="lr_batches").set_value([64]).run()
    at.button(key="lr_run").click().run()
    wait_for(at, lambda a: progress_texts(a)[0].startswith("1 of 1"), timeout=120)
    assert not at.exception
    table = at.dataframe[0].value
    assert table["at the edge"].tolist() == ["minimum / 10"]  # LR 0.01 is still far below where it blows up
    assert at.warning[0].value.startswith("**batch 64**: minimum / 10 sit at an end of the learning rates analysed")


def test_the_range_test_page_rejects_a_start_above_the_end(open_page):
    at = open_page("pages/5_LR_Range_Test.py")
    at.number_input(key="lr_start").set_value(0.5)
    at.number_input(key="lr_end").set_value(0.1).run()
    assert not at.exception
    assert "must be below the end LR" in at.error[0].value


def test_the_critical_batch_page_measures_the_noise_scale_during_training(open_page, wait_for, progress_texts, metrics):
    at = open_page("pages/7_Critical_Batch.py")
    at.selectbox(key="cb_dataset").select("linear").run()
    at.selectbox(key="cb_optimizer").select("sgd")
    at.number_input(key="cb_epochs").set_value(3)
    at.number_input(key="cb_noise_batch").set_value(32)
    at.number_input(key="cb_noise_lr").set_value(0.1).run()
    at.button(key="cb_noise_run").click().run()
    wait_for(at, lambda a: any(m.label == "Gradient noise scale B_simple" for m in a.metric)
             and progress_texts(a)[0].startswith("Completed"))
    assert not at.exception
    estimate = float(metrics(at)["Gradient noise scale B_simple"].replace(",", ""))
    assert estimate > 0
    interval = next(c.value for c in at.caption if c.value.startswith("95% interval from this epoch's draws"))
    low = float(interval.split(": ")[1].split("–")[0].replace("from ", "").replace(",", "").rstrip(","))
    assert low <= estimate


def test_the_critical_batch_page_tunes_the_lr_per_batch_size_and_fits_steps_to_target(
        open_page, wait_for, progress_texts):
    at = open_page("pages/7_Critical_Batch.py", cb_dataset="digits", cb_model_digits="linear", cb_optimizer="adam",
                   cb_batches=[16, 64, 256], cb_lrs=[0.003, 0.01, 0.03], cb_target_val_acc=0.9, cb_budget=400,
                   cb_seeds=2)
    assert any(c.value.startswith("Up to 24 runs of at most 400 update steps each (6 epochs at batch 16, 80 at "
                                  "batch 256)") for c in at.caption)
    at.button(key="cb_steps_run").click().run()

    def finished(a) -> bool:
        texts = progress_texts(a)
        return bool(a.dataframe) and bool(texts) and texts[0].split()[0] == texts[0].split()[2] and not any(
            "have finished their learning-rate search" in c.value for c in a.caption)

    wait_for(at, finished, timeout=240)
    assert not at.exception
    table = at.dataframe[0].value
    assert table["batch size"].tolist() == [16, 64, 256]
    assert table["LRs searched"].iloc[0].startswith("0.003, 0.01, 0.03")  # the smallest batch's own grid first
    assert len(table["LRs searched"].iloc[1].split(", ")) >= 3  # three around the square-root rule's prediction
    assert "None" not in table.astype(str).to_numpy()
    assert len(at.get("vega_lite_chart")) == 3  # steps against batch size; examples against steps; the runs' curves
    at.segmented_control(key="cb_x").set_value("samples").run()
    curves = json.loads(at.get("vega_lite_chart")[2].proto.spec)
    assert curves["layer"][0]["encoding"]["x"]["field"] == "samples"
    said = " ".join(m.value for m in at.markdown) + " ".join(w.value for w in at.warning)
    assert "**B_crit ≈" in said or "B_crit is not determined here." in said


def test_the_train_page_explains_the_servers_epoch_cap(open_page):
    at = open_page("pages/1_Train.py")
    at.number_input(key="epochs").set_value(501).run()
    assert not at.exception
    assert "at most 500 epochs per run" in at.error[0].value


def test_the_sweep_page_explains_the_servers_grid_cap(monkeypatch, open_page):
    monkeypatch.setenv("BATCHLAB_MAX_GRID_RUNS", "3")
    at = open_page("pages/2_Sweep.py")
    assert not at.exception
    assert "This asks for 6 runs; this server takes at most 3" in at.error[0].value


def open_link(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=PAGE_TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run().switch_page(page).run()


def test_a_shared_link_opens_the_train_page_with_its_settings():
    at = open_link("pages/1_Train.py", {"dataset": "Digits (8×8)", "batch_size": "128", "learning_rate": "0.05"})
    assert not at.exception and not at.warning
    assert at.selectbox(key="dataset").value == "digits"
    assert (at.number_input(key="batch_size").value, at.number_input(key="learning_rate").value) == (128, 0.05)


@pytest.mark.parametrize("page, params, named", [
    ("pages/1_Train.py", {"batch_size": "abc"}, "batch_size=abc"),
    ("pages/1_Train.py", {"epochs": "-5"}, "epochs=-5"),
    ("pages/1_Train.py", {"learning_rate": "nan"}, "learning_rate=nan"),
    ("pages/1_Train.py", {"dataset": "imagenet"}, "dataset=imagenet"),
    ("pages/2_Sweep.py", {"sweep_repeats": "1e9"}, "sweep_repeats=1e9"),
    ("pages/4_Calculator.py", {"scale_new_batch": "0"}, "scale_new_batch=0"),
    ("pages/4_Calculator.py", {"scale_optimizer": "rmsprop"}, "scale_optimizer=rmsprop"),
])
def test_a_malformed_link_value_falls_back_to_the_default_with_a_notice(page, params, named):
    at = open_link(page, params)
    assert not at.exception
    assert named in at.warning[0].value


def test_the_calculator_recommends_one_lr_for_adam_and_builds_the_warm_up_and_advice_on_it(open_page):
    at = open_page("pages/4_Calculator.py", scale_old_batch=64, scale_old_lr=0.001, scale_new_batch=512,
                   scale_optimizer="adam", scale_n=3200)
    assert not at.exception
    assert at.success[0].value.startswith("**Recommended for Adam: LR 0.00282843** at batch 512")
    captions = " ".join(c.value for c in at.caption)
    assert "reaching the recommended LR 0.00282843 after 0.556 of the 10 epochs" in captions
    assert "(e.g. 0.00226 instead of 0.00283)" in at.info[0].value  # 0.8 x the recommended LR, not the linear one
    assert at.warning[0].value.startswith("β₁ falls to 0.2 at k = 8")
    assert any(c.value.startswith("Verify trains MNIST-1D: 3,200 training samples") for c in at.caption)


def test_home_sends_students_teachers_and_practitioners_somewhere_and_every_page_ends_with_a_next_step(open_page):
    at = open_page()
    numbered = [parse_qs(link.proto.query_string)["sweep_preset"][0] for link in at.get("page_link")
                if link.proto.query_string and link.label[:2] in ("1.", "2.", "3.", "4.", "5.")]
    presets_in_order = numbered
    assert presets_in_order == ["seed001", "seed002-lr", "seed000", "seed002-scaling", "seed003"]
    for page in PAGES:
        shown = open_page(page)
        assert any(link.label.startswith(("Next:", "Back to the start")) for link in shown.get("page_link")), page


def test_another_session_cannot_rename_tag_or_delete_a_run_it_did_not_make_and_is_told_why(
        open_page, run_until_done):
    from core.runs.store import RunStore
    from core.settings import store_path

    owner = open_page("pages/1_Train.py", dataset="digits", model_digits="linear", epochs=1, seed=4321)
    owner.button(key="train").click().run()
    run_until_done(owner)
    store = RunStore(store_path())
    run_id = store.runs().iloc[0]["id"]  # the newest run: the one just trained
    assert store.get(run_id).config.seed == 4321 and store.get(run_id).owner is not None

    other = open_page("pages/3_Compare.py")  # another browser: another owner secret
    assert other.selectbox(key="manage_run").value == run_id
    assert f"Run {run_id} belongs to someone else" in other.info[-1].value
    assert other.button(key="manage_save").disabled
    assert all(box.disabled for box in other.text_input if box.key.endswith(run_id))
    before = store.runs()
    other.checkbox(key="manage_sure").check().run()
    other.button(key="manage_delete").click().run()
    assert not other.exception
    assert other.error[0].value.startswith("Nothing was deleted: Run ")
    assert "belongs to someone else" in other.error[0].value or "reference run" in other.error[0].value
    assert store.runs()[["id", "name", "tags"]].equals(before[["id", "name", "tags"]])

    mine = open_page("pages/3_Compare.py", _owner_secret=owner.session_state["_owner_secret"])  # its owner, later
    assert mine.selectbox(key="manage_run").value == run_id and not mine.button(key="manage_save").disabled
    next(box for box in mine.text_input if box.key == f"manage_name_{run_id}").set_value("my digits run").run()
    mine.button(key="manage_save").click().run()
    assert store.get(run_id).name == "my digits run"
