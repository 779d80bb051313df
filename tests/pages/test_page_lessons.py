"""The Lessons page (AppTest): every lesson opens with Run locked until a prediction is made, and runs end to end
on its reference runs (the scaling-rule and sharpness lessons on tiny live configs), showing the prediction beside
the result, the charts, the verdicts and the honesty box — in English and in Korean. In a room doing the lesson,
the prediction goes to the class board and the result waits for the teacher's reveal."""

import dataclasses
import time
from urllib.parse import parse_qs

import pyarrow
import pytest

from core.classroom import lessons as module
from core.classroom.rooms import Assignment, Rooms
from core.experiments.findings import MIN_SEEDS
from core.experiments.presets import REFERENCE_SEEDS
from core.runs.ownership import owner_id
from core.runs.store import RunStore
from core.settings import store_path
from core.training.config import TrainConfig
from pages.ui.classroom import forget
from pages.ui.nav import PAGES
from tests import HANGUL

PAGE = "pages/9_Lessons.py"
PREDICTIONS: dict[str, dict] = {  # a prediction for each lesson: option ids, ticked cells, or an epoch
    "L1": {"lower": "16", "updates": "more"},
    "L2": {"diverge": ["16|0.01"]},
    "L3": {"lr": "double"},
    "L4": {"momentum": "linear", "adam": "sqrt"},
    "L5": {"shape": "bend"},
    "L6": {"sharper": "large", "better": "small"},
    "L7": {"epoch": 40},
}
HONESTY = ("**The effect showed on this data.**", "**The effect did not show on this data.**",
           "**These runs do not decide it.**")


@pytest.fixture
def tiny_live(monkeypatch):
    """The two lessons that train live, on an epoch or three and two seeds (the fewest a verdict is decided on):
    the same page, the same rules, seconds of training. (L4's warm-up is then 1/18 of its one epoch.)"""
    monkeypatch.setattr(module, "L4_BASE", dataclasses.replace(module.L4_BASE, epochs=1))
    monkeypatch.setattr(module, "L6_SHARP_BASE", dataclasses.replace(module.L6_SHARP_BASE, epochs=3))
    monkeypatch.setattr(module, "REFERENCE_SEEDS", REFERENCE_SEEDS[:MIN_SEEDS])
    module._lessons.cache_clear()  # the lessons are made once: made again from these, and after the test as shipped
    yield
    module._lessons.cache_clear()


@pytest.fixture(scope="module")
def shared(open_page):
    """One session for the tests that each run a different lesson (opening a page costs two script runs)."""
    return open_page(PAGE)


def predict(at, lesson: str, prediction: dict) -> None:
    """Make the prediction, then run the page once (the widgets' values reach it together)."""
    for question, value in prediction.items():
        if isinstance(value, list):
            for cell in value:
                at.checkbox(key=f"lesson_{lesson}_{question}_{cell}").check()
        elif isinstance(value, int):
            at.slider(key=f"lesson_{lesson}_{question}").set_value(value)
            at.checkbox(key=f"lesson_{lesson}_{question}_lock").check()
        else:
            at.radio(key=f"lesson_{lesson}_{question}").set_value(value)
    at.run()


def honesty_box(at) -> str | None:
    return next((box.value for box in (*at.success, *at.warning, *at.info) if box.value.startswith("**")), None)


def run_lesson(at, lesson: str, wait_for, timeout: float = 120):
    predict(at, lesson, PREDICTIONS[lesson])
    assert not at.button(key="lesson_run").disabled
    at.button(key="lesson_run").click().run()
    return wait_for(at, lambda a: honesty_box(a) is not None, timeout=timeout)


def trained(lesson: module.Lesson, timeout: float) -> None:
    """Wait until the store holds every run the lesson trains live (without running the page meanwhile)."""
    store = RunStore(store_path())
    deadline = time.time() + timeout
    while not all(store.find(r.config, with_sharpness=r.kind == "sharpness") for r in lesson.requests
                  if not r.shipped):
        assert time.time() < deadline, f"{lesson.id}'s runs did not finish within {timeout} s"
        time.sleep(0.5)


def compared(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(("✅ You predicted", "❌ You predicted",
                                                                  "⚖️ You predicted"))]


def test_every_lesson_opens_with_its_question_and_run_locked_until_a_prediction(open_page):
    at = open_page(PAGE, params={"lesson": "L5"})
    assert not at.exception and at.title[0].value == "Lessons"
    assert at.header[0].value == "Critical batch size"
    for lesson in module.lessons():
        at.selectbox(key="lesson").select(lesson).run()
        assert not at.exception, lesson
        assert at.header[0].value == str(module.lessons()[lesson].title)
        assert at.button(key="lesson_run").disabled, lesson
        assert at.query_params["lesson"] in (lesson, [lesson])  # the link names the lesson by its id


def shows_the_result_over_the_prediction(at, lesson: str, effect: int) -> None:
    assert not at.exception
    assert len(compared(at)) == len(PREDICTIONS[lesson])
    assert at.get("vega_lite_chart")
    assert any("*Measured:*" in m.value for m in at.markdown)  # the verdicts, drawn as on the Sweep page
    box = honesty_box(at)
    assert box is not None and box.startswith(HONESTY[effect])
    assert any(e.label == "The explanation" for e in at.expander)
    assert at.radio or at.checkbox  # the prediction stays on the page, locked
    assert all(w.disabled for w in (*at.radio, *at.checkbox, *at.slider) if w.key and w.key.startswith("lesson_"))


@pytest.mark.parametrize("lesson, effect", [("L2", 1), ("L3", 0), ("L5", 1), ("L7", 0)])
def test_a_lesson_runs_on_its_reference_runs_and_shows_the_result_over_the_prediction(
        lesson, effect, shared, wait_for):
    shared.selectbox(key="lesson").select(lesson).run()
    started = time.time()
    run_lesson(shared, lesson, wait_for, timeout=30)
    assert time.time() - started < 30  # answered by the shipped runs: no training
    shows_the_result_over_the_prediction(shared, lesson, effect)


def test_the_first_lesson_says_what_the_reference_runs_show_and_where_to_explore_next(open_page, wait_for):
    at = run_lesson(open_page(PAGE, params={"lesson": "L1"}), "L1", wait_for, timeout=30)
    shows_the_result_over_the_prediction(at, "L1", 0)
    assert compared(at) == [
        "✅ You predicted batch 16; the runs show batch 16 (every seed of one arm is on the claimed side of every seed "
        "of the other).",
        "✅ You predicted batch 16 makes more; the runs show batch 16 makes more: in 5 epochs batch 16 made 250 update "
        "steps, batch 128 35 (7.1×)."]
    chart = at.get("vega_lite_chart")[0]
    arms = {arm for d in chart.proto.datasets
            for arm in pyarrow.ipc.open_stream(d.data.data).read_all().column("arm").to_pylist()}
    assert arms == {"batch 16, 5 epochs ← your prediction", "batch 128, 5 epochs", "batch 16, 20 epochs",
                    "batch 128, 20 epochs"}  # the prediction marked on the result
    at.segmented_control(key="lesson_L1_x").set_value("time_s").run()  # the same runs against wall-clock time
    assert not at.exception
    explore = next(link for link in at.get("page_link") if link.label.startswith("Explore:"))
    assert parse_qs(explore.proto.query_string) == {"sweep_preset": ["seed001"]}


def test_every_explore_link_opens_its_page_with_no_notice(open_page):
    """The links' settings are ones the target pages take (a refused value would be named in a notice)."""
    for path, params in pages_explored():
        target = open_page(path, params=params)
        assert not target.exception and not target.warning and not target.error, (path, params)


def pages_explored() -> list[tuple[str, dict[str, str]]]:
    """The page's own table of explore links, read from its source (the page is a script, not a module)."""
    import ast

    from tests import ROOT

    tree = ast.parse((ROOT / PAGE).read_text())
    table = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                 and getattr(node.targets[0], "id", "") == "EXPLORE")
    return [tuple(v) for v in ast.literal_eval(table).values()]


def test_the_explore_links_go_to_pages_of_the_menu():
    assert {path for path, _ in pages_explored()} <= {path for path, *_ in PAGES}


@pytest.mark.parametrize("lesson", ["L4", "L6"])
def test_the_live_lessons_train_a_tiny_config_and_show_the_result_verdicts_and_honesty_box(
        lesson, tiny_live, shared, wait_for):
    at = shared
    at.selectbox(key="lesson").select(lesson).run()
    live = module.lessons()[lesson]
    assert (len(live.live), len(live.requests)) == {"L4": (16, 16), "L6": (4, 19)}[lesson]  # two seeds
    assert any(c.value.startswith(f"{len(live.live)} of this lesson's {len(live.requests)} runs train here")
               for c in at.caption)
    predict(at, lesson, PREDICTIONS[lesson])
    at.button(key="lesson_run").click().run()
    trained(live, timeout=150)  # waited for in the store: a rerun every half second would take the workers' CPU
    wait_for(at, lambda a: honesty_box(a) is not None, timeout=30)
    assert not at.exception
    assert len(compared(at)) == 2
    assert len(at.get("vega_lite_chart")) == 2
    assert any("*Measured:*" in m.value for m in at.markdown)
    assert honesty_box(at).startswith(HONESTY)


def test_ticking_settings_and_none_of_them_together_keeps_run_locked_and_says_why(open_page):
    at = open_page(PAGE, params={"lesson": "L2"})
    at.checkbox(key="lesson_L2_diverge_16|0.01").check().run()
    at.checkbox(key="lesson_L2_diverge_none").check().run()
    assert at.warning[0].value == "You ticked settings and “None of them”: keep one or the other."
    assert at.button(key="lesson_run").disabled
    at.checkbox(key="lesson_L2_diverge_16|0.01").uncheck().run()
    assert not at.button(key="lesson_run").disabled  # "none of them" alone is a prediction


def test_the_epoch_marker_counts_as_a_prediction_only_once_it_is_locked_in(open_page):
    at = open_page(PAGE, params={"lesson": "L7"})
    at.slider(key="lesson_L7_epoch").set_value(40).run()
    assert at.button(key="lesson_run").disabled
    at.checkbox(key="lesson_L7_epoch_lock").check().run()
    assert not at.button(key="lesson_run").disabled


def test_a_prediction_is_kept_while_another_lesson_is_open_and_a_lesson_can_be_started_again(open_page, wait_for):
    at = open_page(PAGE, params={"lesson": "L1"})
    predict(at, "L1", PREDICTIONS["L1"])
    at.selectbox(key="lesson").select("L3").run()
    at.selectbox(key="lesson").select("L1").run()
    assert at.radio(key="lesson_L1_lower").value == "16" and not at.button(key="lesson_run").disabled
    assert any(m.value == "✏️ L1 · Updates per epoch" for m in at.sidebar.markdown)  # predicted, not yet run
    at.button(key="lesson_run").click().run()
    wait_for(at, lambda a: honesty_box(a) is not None)
    assert any(m.value == "✅ L1 · Updates per epoch" for m in at.sidebar.markdown)
    at.button(key="lesson_again").click().run()
    assert at.radio(key="lesson_L1_lower").value is None and at.button(key="lesson_run").disabled
    assert honesty_box(at) is None


def test_a_link_to_a_lesson_that_does_not_exist_is_named_and_the_first_lesson_opens(open_page):
    at = open_page(PAGE, params={"lesson": "L9"})
    assert not at.exception
    assert "lesson=L9" in at.warning[0].value
    assert at.header[0].value == "Updates per epoch"


def test_a_lesson_reads_in_korean_from_the_question_to_the_honesty_box(open_page, wait_for):
    at = open_page(PAGE, "한국어", params={"lesson": "L2"})
    assert at.title[0].value == "수업" and at.header[0].value == "발산하는 학습률"
    assert at.button(key="lesson_run").label == "실행"
    at.checkbox(key="lesson_L2_diverge_none").check().run()
    at.button(key="lesson_run").click().run()
    wait_for(at, lambda a: honesty_box(a) is not None)
    assert not at.exception
    assert any(m.value == "✅ 예측: 하나도 없음. 실행 결과: 실행 18개 중 발산하거나 불안정해진 것은 하나도 없습니다."
               for m in at.markdown)
    box = honesty_box(at)
    assert box.startswith("**이 데이터에서는 효과가 나타나지 않았습니다.** 여기서는 아무것도 발산하지 않았습니다")
    assert "'성립'" in box  # seed 000's verdict, in Korean
    assert HANGUL.search(next(e for e in at.expander if e.label == "설명").markdown[0].value)


def test_in_a_room_doing_the_lesson_the_prediction_goes_to_the_board_and_the_result_waits_for_the_reveal(open_page):
    rooms = Rooms(RunStore(store_path()))
    room, key = rooms.create()
    rooms.assign_lesson(room.code, key, module.lessons()["L2"])
    secret = "sora-secret-0123456789abcdef"
    rooms.join(room.code, "Sora", owner_id(secret))
    at = open_page(PAGE, "한국어", params={"lesson": "L2"}, _room=room.code, _owner_secret=secret)
    assert f"방 {room.code}에서 이 수업을 하고 있습니다." in " ".join(c.value for c in at.caption)
    at.checkbox(key="lesson_L2_diverge_16|0.01").check().run()
    at.button(key="lesson_run").click().run()
    assert not at.exception and honesty_box(at) is None  # no result before the teacher reveals it
    waiting = f"내 예측이 방 {room.code}의 보드에 올라갔습니다. 교사가 결과를 공개하기를 기다리는 중입니다…"
    assert at.info[-1].value == waiting
    assert [(p.nickname, p.value) for p in rooms.predictions(room.code)] == [("Sora", frozenset({"16|0.01"}))]

    rooms.clear(room.code, key)  # the teacher starts the board afresh: her page asks for a prediction again
    forget(room.code)  # as the Class page does after each of the teacher's actions (else: within BOARD_FRESH_S)
    at.run()
    assert at.info[0].value == f"교사가 방 {room.code}의 보드를 비웠습니다. 다시 예측하세요."
    assert not at.checkbox(key="lesson_L2_diverge_16|0.01").value and at.button(key="lesson_run").disabled
    at.checkbox(key="lesson_L2_diverge_none").check().run()
    at.button(key="lesson_run").click().run()
    assert at.info[-1].value == waiting
    assert [(p.nickname, p.value) for p in rooms.predictions(room.code)] == [("Sora", frozenset())]

    rooms.reveal(room.code, key)
    forget(room.code)
    at.run()
    assert not at.exception and not [i for i in at.info if i.value == waiting]
    assert any(m.value == "✅ 예측: 하나도 없음. 실행 결과: 실행 18개 중 발산하거나 불안정해진 것은 하나도 없습니다."
               for m in at.markdown)
    assert f"교사가 방 {room.code}에서 이 수업의 결과를 공개했습니다." in " ".join(c.value for c in at.caption)
    assert rooms.entries(room.code) == []  # the lesson's runs are not drawn on the class board


def test_a_locked_room_refuses_a_lesson_its_teacher_did_not_give_it(open_page):
    rooms = Rooms(RunStore(store_path()))
    room, key = rooms.create()
    rooms.assign(room.code, key, Assignment(TrainConfig(dataset="digits", model="linear", epochs=1), (16,), (0.01,)))
    secret = "joon-secret-0123456789abcdef"
    rooms.join(room.code, "Joon", owner_id(secret))
    at = open_page(PAGE, params={"lesson": "L7"}, _room=room.code, _owner_secret=secret)
    predict(at, "L7", PREDICTIONS["L7"])
    at.button(key="lesson_run").click().run()
    assert at.error[0].value == (f"Room {room.code}'s assignment is locked: its students run only its cells and the "
                                 f"lesson their teacher gave the room, so lesson L7's runs were not started.")
    assert not at.exception and honesty_box(at) is None
