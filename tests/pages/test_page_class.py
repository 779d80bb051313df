"""The Class page: a teacher opens a room, a student joins from the link and trains, the board shows it."""

from core.classroom.rooms import Rooms
from core.runs.store import RunStore
from core.settings import store_path


def open_room(open_page, title="Period 3"):
    teacher = open_page("pages/10_Class.py")
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
