"""The Class page: a teacher opens a room, a student joins from the link and trains, the board shows it; the
assignment's grid fills; a lesson's predictions are counted and its result revealed; the board is cleared."""

import pyarrow

from core.classroom.rooms import Assignment, Rooms
from core.runs.ownership import owner_id
from core.runs.store import RunStore
from core.settings import store_path
from core.training.config import TrainConfig
from pages.ui.classroom import forget, train_link


def open_room(open_page, title="Period 3", language="English"):
    teacher = open_page("pages/10_Class.py", language)
    teacher.text_input(key="class_title").set_value(title)
    teacher.button[1].click().run()  # the "Open a room" form's submit button
    assert not teacher.exception
    code = teacher.markdown[[m.value.startswith("# ") for m in teacher.markdown].index(True)].value[2:]
    links = [c.value for c in teacher.code]
    return teacher, code, links


def test_a_teacher_opens_a_room_and_gets_its_code_a_student_link_and_a_teacher_link_once(open_page):
    teacher, code, (student_link, teacher_link) = open_room(open_page)
    assert len(code) == 4 and f"Room {code} is open" in teacher.success[0].value
    assert student_link.endswith(f"?room={code}") and "teacher=" not in student_link
    assert f"?room={code}&teacher=" in teacher_link
    assert "shown only now" in teacher.warning[0].value
    teacher.run()  # the next run: the key is not shown again, the room is
    assert not any("teacher=" in c.value for c in teacher.code)
    assert teacher.header[0].value == f"Room {code} · Period 3"
    assert teacher.toggle(key="class_projector") is not None and teacher.button(key="class_close") is not None


def test_a_korean_teachers_room_links_open_the_class_page_in_korean(open_page):
    teacher, code, (student_link, teacher_link) = open_room(open_page, language="한국어")
    assert student_link.endswith(f"?room={code}&lang=%ED%95%9C%EA%B5%AD%EC%96%B4")  # lang=한국어
    assert f"?room={code}&teacher=" in teacher_link and teacher_link.endswith("&lang=%ED%95%9C%EA%B5%AD%EC%96%B4")
    student = open_page("pages/10_Class.py", language=None, params={"room": code, "lang": "한국어"})
    assert student.text_input(key="class_code").value == code and student.title[0].value == teacher.title[0].value


def test_a_student_joins_from_the_link_trains_on_the_train_page_and_the_board_shows_the_run(
        open_page, run_until_done):
    _, code, _ = open_room(open_page)
    student = open_page("pages/10_Class.py", params={"room": code})
    assert student.text_input(key="class_code").value == code
    student.text_input(key="class_nickname").set_value("Mina")
    student.button[0].click().run()
    assert not student.exception
    assert "You are in this room as **Mina**." in student.caption[0].value
    assert "Nobody in this room has trained a run yet" in student.info[0].value

    student.switch_page("pages/1_Train.py").run()
    student.selectbox(key="dataset").select("digits").run()
    student.selectbox(key="model_digits").select("linear")
    student.number_input(key="epochs").set_value(1)
    student.number_input(key="seed").set_value(5150).run()
    student.button(key="train").click().run()
    run_until_done(student)
    stored = RunStore(store_path()).runs().iloc[0]
    assert stored["seed"] == 5150 and stored["room"] == code  # the run is the room's (its teacher may tidy it)

    forget(code)  # the board gathers the room's runs afresh every BOARD_FRESH_S: now, for the test
    board = open_page("pages/10_Class.py", _room=code, _owner_secret=student.session_state["_owner_secret"])
    assert not board.exception
    chart = board.get("vega_lite_chart")[0].proto
    assert "B 64 · LR 0.01" in chart.SerializeToString().decode("utf-8", "replace")  # its data, in Arrow form
    assert b"Mina" not in chart.SerializeToString()  # curves named by setting by default
    assert "1 run(s) from 1 student(s)" in board.caption[-1].value
    board.radio(key="class_label_by").set_value("student").run()
    assert b"Mina" in board.get("vega_lite_chart")[0].proto.SerializeToString()


def test_a_nickname_taken_in_the_room_is_refused_with_a_message(open_page):
    _, code, _ = open_room(open_page)
    for expected in (None, f"Someone in room {code} is already called 'Joon'; choose another nickname."):
        student = open_page("pages/10_Class.py", params={"room": code})
        student.text_input(key="class_nickname").set_value("Joon")
        student.button[0].click().run()
        assert not student.exception
        assert (student.error[0].value if expected else None) == expected


def test_a_wrong_teacher_key_is_refused_and_gives_no_teacher_controls(open_page):
    _, code, _ = open_room(open_page)
    impostor = open_page("pages/10_Class.py", params={"room": code, "teacher": "a-guessed-key"})
    assert not impostor.exception
    assert impostor.error[0].value == f"This teacher link's key is not room {code}'s; you are not its teacher."
    assert not [b for b in impostor.button if b.key == "class_close"]
    assert Rooms(RunStore(store_path())).get(code).is_open()


def test_the_teacher_link_opened_in_a_new_session_makes_it_the_teacher_and_closing_ends_the_room(open_page):
    _, code, (_, teacher_link) = open_room(open_page)
    key = teacher_link.split("teacher=")[1]
    again = open_page("pages/10_Class.py", params={"room": code, "teacher": key})
    assert not again.error and again.header[0].value.startswith(f"Room {code}")
    again.button(key="class_close").click().run()
    assert not again.exception and not Rooms(RunStore(store_path())).get(code).is_open()
    student = open_page("pages/10_Class.py", params={"room": code})
    student.text_input(key="class_nickname").set_value("Late")
    student.button[0].click().run()
    assert student.error[0].value == f"Room {code} is closed."


def test_only_the_teacher_gets_the_class_report_downloads(open_page):
    teacher, code, _ = open_room(open_page)
    teacher.run()
    assert not teacher.exception
    buttons = teacher.get("download_button")
    assert [b.proto.label for b in buttons] == ["Class report (CSV)", "Class report (HTML page)"]
    assert all(any(k in b.proto.id for k in ("class_report_csv", "class_report_html")) for b in buttons)
    student = open_page("pages/10_Class.py", params={"room": code})
    student.text_input(key="class_nickname").set_value("Mina")
    student.button[0].click().run()
    assert not student.exception and "You are in this room as **Mina**." in student.caption[0].value
    assert student.get("download_button") == []


def test_a_locked_assignment_is_enforced_on_the_server_even_from_a_tampered_link(open_page, run_until_done):
    teacher, code, _ = open_room(open_page)
    teacher.selectbox(key="class_dataset").select("digits").run()
    teacher.selectbox(key="class_model_digits").select("linear")
    teacher.number_input(key="class_epochs").set_value(1)
    teacher.number_input(key="class_seed").set_value(777)
    teacher.multiselect(key="class_batches").set_value([32, 64])
    teacher.multiselect(key="class_lrs").set_value([0.05]).run()
    teacher.button(key="class_assign").click().run()
    assert not teacher.exception
    assert "Now assigned: **2 cells**" in teacher.markdown[[("Now assigned" in m.value) for m in teacher.markdown]
                                                           .index(True)].value

    student = open_page("pages/10_Class.py", params={"room": code})
    student.text_input(key="class_nickname").set_value("Ari")
    student.button[0].click().run()
    assert "Your cell: **B 32 · LR 0.05**" in " ".join(m.value for m in student.sidebar.markdown)
    before = RunStore(store_path()).count()
    student.switch_page("pages/1_Train.py").run()  # settings as a link someone edited: batch 128 is not a cell
    student.selectbox(key="dataset").select("digits").run()
    student.selectbox(key="model_digits").select("linear")
    for key, value in {"epochs": 1, "seed": 777, "batch_size": 128, "learning_rate": 0.05}.items():
        student.number_input(key=key).set_value(value)
    student.run()
    student.button(key="train").click().run()
    assert not student.exception
    assert f"Room {code}'s assignment is locked" in student.error[0].value
    assert RunStore(store_path()).count() == before  # nothing was trained
    student.number_input(key="batch_size").set_value(32).run()
    student.button(key="train").click().run()
    run_until_done(student)
    assert not student.error and RunStore(store_path()).runs().iloc[0]["batch_size"] == 32

    forget(code)  # the board gathers the room's runs afresh every BOARD_FRESH_S: now, for the test
    teacher.run()  # the grid board: Ari's cell filled, the other one still empty
    assert not teacher.exception and "The assignment's grid" in [h.value for h in teacher.subheader]
    cells = grid_cells(teacher)
    assert [(c["batch_size"], c["students"], c["n"]) for c in cells] == [(32, 1, 1), (64, 0, 0)]
    assert cells[0]["text"] == f"{cells[0]['mean']:.3g}\n1 student(s) · n = 1" and cells[1]["text"] == ""


def grid_cells(at) -> list[dict]:
    """The grid board's cells, as its chart's data holds them."""
    chart = next(c for c in at.get("vega_lite_chart") if '"lineBreak"' in c.proto.spec)  # its cells' text
    table = pyarrow.ipc.open_stream(chart.proto.datasets[0].data.data).read_all()
    return table.to_pylist()


def lesson_lines(at) -> list[str]:
    """The board's lines about the room's lesson: each question's counts and what the runs show."""
    return [m.value for m in at.markdown if m.value.startswith(("**After 5 epochs", "**In those 5", "**The runs show",
                                                                 "**실행 결과"))]


def joined(open_page, code: str, nickname: str, language: str = "English", **pages):
    """A student who joined room `code` as `nickname`, in a session of their own (their own owner secret)."""
    secret = f"{nickname.lower()}-secret-0123456789abcdef"
    Rooms(RunStore(store_path())).join(code, nickname, owner_id(secret))
    return open_page(pages.pop("page", "pages/10_Class.py"), language, _room=code, _owner_secret=secret, **pages)


def test_a_teacher_gives_the_room_a_lesson_a_student_predicts_the_board_counts_it_and_reveal_shows_the_result(
        open_page, wait_for):
    teacher, code, _ = open_room(open_page)
    teacher.run()
    teacher.selectbox(key="class_lesson_pick").select("L1").run()
    teacher.button(key="class_lesson_assign").click().run()
    assert not teacher.exception
    assert "Now: **L1 · Updates per epoch**, result not revealed yet." in [m.value for m in teacher.markdown]
    assert lesson_lines(teacher)[0] == "**After 5 epochs, the lower training loss has…**\n\n- batch 16: **0**\n" \
                                       "- batch 128: **0**"

    mina = joined(open_page, code, "Mina", page="pages/9_Lessons.py", params={"lesson": "L1"})
    assert "Room " + code + " is doing this lesson" in " ".join(c.value for c in mina.caption)
    mina.radio(key="lesson_L1_lower").set_value("16")
    mina.radio(key="lesson_L1_updates").set_value("more").run()
    mina.button(key="lesson_run").click().run()
    assert not mina.exception
    assert mina.info[-1].value == f"Your prediction is on room {code}'s board. Waiting for the teacher to reveal " \
                                  f"the result…"
    assert not [box for box in mina.success if box.value.startswith("**The effect")]  # no result before the reveal
    joon = joined(open_page, code, "Joon")  # has not predicted: sees how many have, not what
    assert joon.info[0].value == "1 student(s) have sent a prediction. Make yours on the Lessons page to see the " \
                                 "class's."
    assert lesson_lines(joon) == []

    teacher.run()
    assert lesson_lines(teacher)[0].endswith("- batch 16: **1** · Mina\n- batch 128: **0**")
    teacher.toggle(key="class_hide_names").set_value(True).run()
    assert lesson_lines(teacher)[0].endswith("- batch 16: **1**\n- batch 128: **0**")  # the projector hides names
    impostor = open_page("pages/10_Class.py", params={"room": code, "teacher": "a-guessed-key"})
    assert not [b for b in impostor.button if b.key == "class_reveal"]  # a wrong key: no teacher controls

    teacher.button(key="class_reveal").click().run()
    assert not teacher.exception
    lines = lesson_lines(teacher)
    assert lines[0].endswith("- ✅ batch 16: **1**\n- ❌ batch 128: **0**")
    assert lines[1] == ("**The runs show:** batch 16 (every seed of one arm is on the claimed side of every seed of "
                        "the other). Predictions: ✅ 1 matched · ❌ 0 missed · ⚖️ 0 open.")
    assert any(box.value.startswith("**The effect showed on this data.**") for box in teacher.success)
    assert teacher.button(key="class_reveal").disabled

    mina.run()  # her Lessons page now shows the result over her prediction
    assert not mina.exception and not [i for i in mina.info if "Waiting for the teacher" in i.value]
    assert any(m.value.startswith("✅ You predicted batch 16; the runs show batch 16") for m in mina.markdown)
    assert any(box.value.startswith("**The effect showed on this data.**") for box in mina.success)


def test_clearing_the_rooms_runs_asks_first_and_then_empties_the_board_keeping_the_runs(open_page, tiny_result):
    teacher, code, _ = open_room(open_page, language="한국어")
    rooms = Rooms(RunStore(store_path()))
    mina = rooms.join(code, "Mina", owner_id("mina-secret-0123456789abcdef"))
    rooms.record(mina, "train", tiny_result.config.key, tiny_result.config)
    before = RunStore(store_path()).count()
    teacher.run()
    teacher.button(key="class_clear").click().run()
    assert not teacher.exception
    assert teacher.warning[0].value.startswith(f"방 {code}의 보드를 비울까요? 실행 1개와 예측 0개가")
    assert "실행 자체는 저장소에 남습니다" in teacher.warning[0].value
    teacher.button(key="class_clear_no").click().run()  # cancelled: nothing changes
    assert not [w for w in teacher.warning if "비울까요" in w.value] and len(rooms.entries(code)) == 1
    teacher.button(key="class_clear").click().run()
    teacher.button(key="class_clear_yes").click().run()
    assert not teacher.exception
    assert teacher.success[0].value == ("보드를 비웠습니다. 실행 1개와 예측 0개를 보드에서 뺐습니다. "
                                        "실행은 저장소에 남아 있습니다.")
    assert rooms.entries(code) == [] and RunStore(store_path()).count() == before
    assert any(i.value.startswith("이 방에서 아직 아무도 실행을 학습하지 않았습니다") for i in teacher.info)
    student = joined(open_page, code, "Mina")  # a student has no such button
    assert not [b for b in student.button if b.key in ("class_clear", "class_reveal", "class_lesson_assign")]


def test_a_student_who_reloads_the_page_is_in_the_room_again_and_its_lock_still_applies(open_page):
    _, code, (_, teacher_link) = open_room(open_page)
    cells = Assignment(TrainConfig(dataset="digits", model="linear", epochs=1), (32,), (0.05,), locked=True,
                       hand_out=True)
    Rooms(RunStore(store_path())).assign(code, teacher_link.split("teacher=")[1], cells)
    secret = "ari-secret-0123456789abcdef"
    Rooms(RunStore(store_path())).join(code, "Ari", owner_id(secret))
    before = RunStore(store_path()).count()
    reloaded = open_page("pages/1_Train.py", _owner_secret=secret)  # a new session: only the cookie is the same
    assert f"🏫 Room **{code}** · **Ari**" in " ".join(m.value for m in reloaded.sidebar.markdown)
    reloaded.selectbox(key="dataset").select("digits").run()
    reloaded.selectbox(key="model_digits").select("linear")
    reloaded.number_input(key="batch_size").set_value(128).run()
    reloaded.button(key="train").click().run()
    assert f"Room {code}'s assignment is locked" in reloaded.error[0].value
    assert RunStore(store_path()).count() == before

    reloaded.switch_page("pages/10_Class.py").run()
    reloaded.button(key="class_leave").click().run()
    again = open_page("pages/1_Train.py", _owner_secret=secret)  # left for good: not in the room after a reload
    assert not [m for m in again.sidebar.markdown if code in m.value]


def test_a_student_whose_cell_another_student_started_may_still_press_train_and_is_on_the_board(open_page):
    _, code, _ = open_room(open_page)
    long_run = {"dataset": "digits", "model_digits": "linear", "epochs": 200, "seed": 4141}
    first = joined(open_page, code, "Mina", page="pages/1_Train.py", params=long_run)
    first.button(key="train").click().run().run()
    assert not first.exception and first.button(key="train").disabled  # training, and Mina's
    second = joined(open_page, code, "Joon", page="pages/1_Train.py", params=long_run)
    assert not second.button(key="train").disabled  # the run is training, but not yet Joon's
    second.button(key="train").click().run().run()
    assert not second.exception
    assert second.button(key="train").disabled  # now it is: pressing again would add nothing
    assert [e.nickname for e in Rooms(RunStore(store_path())).entries(code)] == ["Mina", "Joon"]
    second.button(key="stop").click().run()


def test_a_handed_out_cell_with_early_stopping_and_cifar_classes_opens_on_the_train_page_as_that_cell(open_page):
    """The badge's link carries every setting the teacher set, checkboxes and class lists too (a setting
    left out would open at its default: not the cell, so a locked room would refuse it)."""
    cell = TrainConfig(dataset="cifar10", model="cnn", classes=(1, 7), early_stopping=True, patience=2,
                       restore_best=False, epochs=4, batch_size=32, learning_rate=0.003)
    link = train_link(cell)
    assert link["early_stopping"] == "true" and link["restore_best"] == "false" and link["classes"] == ["1", "7"]
    train = open_page("pages/1_Train.py", params=link)
    assert not train.exception and not train.warning, [w.value for w in train.warning]
    assert train.checkbox(key="early_stopping").value is True and train.checkbox(key="restore_best").value is False
    assert train.multiselect(key="classes").value == [1, 7]
    assert [train.number_input(key=k).value for k in ("patience", "epochs", "batch_size", "learning_rate")] == [
        2, 4, 32, 0.003]


def test_a_sweep_in_a_locked_room_with_one_setting_outside_its_cells_trains_none_of_them(open_page):
    _, code, (_, teacher_link) = open_room(open_page)
    cell = TrainConfig(dataset="digits", model="linear", epochs=1, seed=31)
    Rooms(RunStore(store_path())).assign(code, teacher_link.split("teacher=")[1],
                                         Assignment(cell, (32,), (0.05,), locked=True, hand_out=False))
    before = RunStore(store_path()).count()
    sweep = joined(open_page, code, "Ari", page="pages/2_Sweep.py", params={
        "sweep_preset": "custom", "sweep_dataset": "digits", "sweep_model_digits": "linear", "sweep_epochs": "1",
        "sweep_seed": "31", "sweep_batches": ["32", "64"], "sweep_lrs": "0.05"})
    assert not sweep.exception and not sweep.warning, [w.value for w in sweep.warning]
    sweep.button(key="sweep_run").click().run()
    assert not sweep.exception
    assert f"Room {code}'s assignment is locked" in sweep.error[0].value
    assert "sweep_keys" not in sweep.session_state and RunStore(store_path()).count() == before
    assert Rooms(RunStore(store_path())).entries(code) == []  # batch 32 alone would have been allowed
