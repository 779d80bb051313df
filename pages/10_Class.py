"""A class in one room: the teacher opens a room, students join with its code, and the board shows what
the class trained, live, to everyone in the room: the assignment's grid filling cell by cell, the class's
predictions for the room's lesson (and, once the teacher reveals it, the result beside them), and every run."""

from functools import partial
from urllib.parse import urlencode

import streamlit as st

from core.charts import BEST, METRICS, X_AXES, overlay_chart
from core.classroom.board import BoardRun, board_table, grid_chart, grid_metric, grid_table, prediction_tally, signature
from core.classroom.lessons import Lesson, LessonResult, lessons
from core.classroom.predictions import Effect
from core.classroom.report import report_csv, report_html
from core.classroom.rooms import Assignment, Entry, Member, Room, RoomError, Rooms, normal_code
from core.experiments.presets import BATCH_SIZES, LEARNING_RATES, grid_values
from core.runs.tables import Run, loss_metric
from core.settings import ConfigError
from pages.ui.classroom import (
    BOARD_SPECS,
    MATCH_ICONS,
    current_member,
    enter,
    forget,
    leave,
    lesson_result,
    lesson_views,
    plain,
    room_lesson,
    room_runs,
    room_state,
    rooms,
)
from pages.ui.follow import own_period
from pages.ui.i18n import current, say, t
from pages.ui.identity import me
from pages.ui.nav import in_language, link
from pages.ui.page import page
from pages.ui.resources import job_pool, shared_store
from pages.ui.share import page_link, qr_png
from pages.ui.train_controls import BATCH_CHOICES, LR_CHOICES, config_controls
from pages.ui.widgets import choices

BOARD_POLL_S = 3.0  # the board redraws this often for everyone in the room (each session ±20 %: own_period)
HONESTY = {Effect.SHOWED: st.success, Effect.NOT_SHOWN: st.warning, Effect.UNDECIDED: st.info}  # as on Lessons

view = page("pages/10_Class.py", ignore=("run", "room", "teacher"))
pool = job_pool()
found = rooms()
if found is None:  # run_store() said why
    view.stop()
all_rooms: Rooms = found
owner = me()
LESSONS = lessons()


def key_of(code: str) -> str | None:
    """The teacher key this session holds for the room (Rooms checks it against the stored hash)."""
    return st.session_state.get("_teacher_keys", {}).get(code)


def link_to(code: str, teacher_key: str | None = None) -> str:
    """The student link of a room (its code) or, with the key, the teacher's; in the page's language."""
    params = in_language({"room": code, **({"teacher": teacher_key} if teacher_key else {})})
    return page_link("pages/10_Class.py").split("?")[0] + "?" + urlencode(params)


def draw_new_room(room: Room, teacher_key: str) -> None:
    st.success(t("class.created", code=room.code), icon="🏫")
    st.markdown(f"# {room.code}")
    cols = st.columns(2)
    cols[0].caption(t("class.student_link"))
    cols[0].code(link_to(room.code), language=None, wrap_lines=True)
    picture = qr_png(link_to(room.code))
    if picture is not None:
        cols[0].image(picture, width=220)
    cols[1].caption(t("class.teacher_link"))
    cols[1].code(link_to(room.code, teacher_key), language=None, wrap_lines=True)
    cols[1].warning(t("class.key_once"), icon="🔑")


def draw_lobby() -> None:
    """Not in a room: join one with its code, or open one as a teacher."""
    join, start = st.columns(2)
    with join.form("class_join"):
        st.subheader(t("class.join"))
        code = st.text_input(t("class.code"), value=st.query_params.get("room", ""), key="class_code", max_chars=12)
        nickname = st.text_input(t("class.nickname"), key="class_nickname", max_chars=40)
        if st.form_submit_button(t("class.join_button"), type="primary"):
            try:
                enter(all_rooms.join(code, nickname, owner))
                st.rerun()
            except RoomError as exc:
                st.error(say(exc), icon="🚫")
    with start.form("class_start"):
        st.subheader(t("class.start"))
        title = st.text_input(t("class.title_field"), key="class_title", max_chars=80)
        if st.form_submit_button(t("class.start_button")):
            room, teacher_key = all_rooms.create(title)
            st.session_state.setdefault("_teaching", set()).add(room.code)
            st.session_state["_new_room"] = (room.code, teacher_key)
            st.rerun()


STORE = shared_store()


def look_up(entry: Entry) -> Run | None:
    """An entry's run: its job while the pool has it, else the stored run of its settings."""
    live = pool.view(entry.key)
    if live is not None:
        return live
    return STORE.find(entry.config) if STORE is not None else None


@st.fragment(run_every=own_period(BOARD_POLL_S))
def draw_board(code: str, hide_names: bool, member: Member | None, teaching: bool) -> None:
    """The room's lesson, the assignment's grid and every run the room asked for, on one overlay; each built
    once per change for every viewer."""
    runs = room_runs(code, look_up)
    draw_lesson_board(code, hide_names, member, teaching)
    assignment = room_state(code).assignment
    if assignment is not None:
        draw_grid(code, assignment, runs)
    if not runs:
        st.info(t("class.board_empty"), icon="📋")
        return
    options = st.columns(3)
    label_by = options[0].radio(t("class.label_by"), **choices({"setting": t("class.by_setting"),
                                                                "student": t("class.by_student")}),
                                key="class_label_by", horizontal=True)
    x = options[1].radio(t("compare.x_axis"), **choices({axis: say(name) for axis, name in X_AXES.items()}),
                         key="class_x", horizontal=True)
    metric = loss_metric(runs)
    key = (code, current(), label_by, x, hide_names, signature(runs))
    spec = BOARD_SPECS.get(key, lambda: overlay_chart(board_table(runs, metric, label_by, hide_names, text=say), metric,
                                                x, text=say).to_dict(validate=False))  # see draw_grid
    st.vega_lite_chart(spec, key="class_board")
    st.caption(t("class.board_caption", runs=len(runs), students=len({r.nickname for r in runs}),
                 metric=say(METRICS[metric])))


def draw_grid(code: str, assignment: Assignment, runs: list[BoardRun]) -> None:
    """The assignment's batch × LR grid, filling cell by cell as the students' runs end."""
    st.subheader(t("class.grid"))
    key = (code, current(), "grid", assignment.to_json(), signature(runs))
    # Not checked against Vega-Lite's schema on each build (tests/classroom/test_board.py, tests/test_charts.py do):
    # validation took 55 of the grid's 125 ms, rebuilt whenever a student's run reports an epoch.
    spec = BOARD_SPECS.get(key, lambda: grid_chart(grid_table(runs, assignment, text=say),
                                                   text=say).to_dict(validate=False))
    st.vega_lite_chart(spec, key="class_grid")
    st.caption(t("class.grid_caption", metric=say(BEST[grid_metric(assignment)])))


def draw_lesson_board(code: str, hide_names: bool, member: Member | None, teaching: bool) -> None:
    """The room's lesson: the class's predictions, counted per option (a student sees them once they have
    sent theirs); after the teacher's reveal, what the runs show beside them and the honesty box."""
    now, predictions = room_lesson(code)
    lesson = LESSONS.get(now.lesson) if now is not None else None
    if now is None or lesson is None:
        return
    st.subheader(t("class.lesson_header", id=lesson.id, title=say(lesson.title)))
    st.markdown(say(lesson.question))
    students = len({p.owner for p in predictions})
    if not teaching and member is not None and not now.revealed and member.owner not in {p.owner for p in predictions}:
        st.info(t("class.predict_first", n=students), icon="✏️")
        link("pages/9_Lessons.py", t("class.open_lesson", id=lesson.id), "🎓", None, lesson=lesson.id)
        return
    result: LessonResult | None = None
    if now.revealed:
        try:  # the teacher's board asks again for a run the pool has let go (a stored run answers at once)
            result = lesson_result(lesson, lesson_views(pool, lesson, owner if teaching else None))
        except ConfigError as exc:
            st.error(say(exc), icon="🚫")
    st.caption(t("class.predictions_sent", n=students))
    for tally in prediction_tally(lesson, predictions, result, hide_names, text=say):
        lines = []
        for option in tally.options:
            icon = f"{MATCH_ICONS[option.match]} " if option.match is not None else ""
            who = f" · {', '.join(plain(name) for name in option.students)}" if option.students else ""
            lines.append(f"- {icon}{option.name}: **{option.count}**{who}")
        st.markdown(f"**{tally.prompt}**\n\n" + "\n".join(lines))
        if tally.shows is not None and tally.matches is not None:
            st.markdown(t("class.runs_show", shows=tally.shows, **{str(m): n for m, n in tally.matches.items()}))
    if not now.revealed:
        st.caption(t("class.not_revealed"))
    elif result is None:
        st.info(t("class.result_pending"), icon="⏳")
    else:
        with st.container(border=True):
            st.markdown(f"**{t('lessons.honesty')}**")
            HONESTY[result.effect](f"{t(f'lessons.honesty_{result.effect.name.lower()}')} "
                                        f"{say(result.honesty)}", icon="🔍")


def measured(lesson: Lesson) -> LessonResult | None:
    """The lesson's measurement for the teacher's report, once its runs are all in (else None)."""
    try:
        return lesson_result(lesson, lesson_views(pool, lesson, owner))
    except ConfigError:  # a live run over the server's caps: the report leaves its predictions unmatched
        return None


def draw_report(room: Room) -> None:
    """The class report's downloads: for the room's teacher only, checked against the stored key. Each is
    made when it is clicked (Streamlit calls `data` then, outside the script run): the board may have
    changed since this page last ran in full, and the report is the room as it stands."""
    if not all_rooms.is_teacher(room.code, key_of(room.code)):
        return
    text = partial(say, language=current())  # the click's thread has no session to read the language from

    def csv() -> str:
        return report_csv(all_rooms, room.code, look_up, text=text, results=measured, known=LESSONS)

    def html() -> str:
        return report_html(all_rooms, room.code, look_up, text=text, results=measured, known=LESSONS)

    down = st.columns(2)
    down[0].download_button(t("class.report_csv"), csv, f"batchlab-class-{room.code}.csv", "text/csv",
                            key="class_report_csv", help=t("class.report_help"))
    down[1].download_button(t("class.report_html"), html, f"batchlab-class-{room.code}.html", "text/html",
                            key="class_report_html", help=t("class.report_help"))


def draw_lesson_controls(room: Room) -> None:
    """The teacher's lesson: give the room one of the lessons (students' predictions are then recorded and
    counted on the board), reveal its result, or take it away."""
    now = all_rooms.lesson(room.code)
    lesson = LESSONS.get(now.lesson) if now is not None else None
    key = key_of(room.code)
    with st.expander(t("class.lesson"), icon="🎓", expanded=now is None):
        if now is not None and lesson is not None:
            state = t("class.revealed" if now.revealed else "class.unrevealed")
            st.markdown(t("class.lesson_now", id=lesson.id, title=say(lesson.title), state=state))
        picked = st.selectbox(t("lessons.pick"), key="class_lesson_pick", **choices(
            {lid: t("lessons.numbered", id=lid, title=say(each.title)) for lid, each in LESSONS.items()}))
        buttons = st.columns(3)
        try:
            if buttons[0].button(t("class.lesson_assign"), key="class_lesson_assign"):
                pool.limits.check_grid(LESSONS[picked].live)
                all_rooms.assign_lesson(room.code, key, LESSONS[picked])
                forget(room.code)
                lesson_views(pool, LESSONS[picked], owner)  # its live runs start now, to be ready for the reveal
                st.rerun()
            if now is not None and buttons[1].button(t("class.reveal"), key="class_reveal", type="primary",
                                                     disabled=now.revealed, help=t("class.reveal_help")):
                all_rooms.reveal(room.code, key)
                forget(room.code)
                st.rerun()
            if now is not None and buttons[2].button(t("class.lesson_remove"), key="class_lesson_remove"):
                all_rooms.assign_lesson(room.code, key, None)
                forget(room.code)
                st.rerun()
        except (RoomError, ConfigError) as exc:
            st.error(say(exc), icon="🚫")


def draw_clear(room: Room) -> None:
    """Clear the room's runs from its board (and its predictions), once the teacher confirms; the runs stay."""
    if st.session_state.get("_confirm_clear") != room.code:
        return
    entries = len(all_rooms.entries(room.code))
    predicted = len({(p.owner, p.lesson) for p in all_rooms.predictions(room.code)})
    st.warning(t("class.clear_confirm", code=room.code, entries=entries, predictions=predicted), icon="🧹")
    yes, no = st.columns(2)
    if yes.button(t("class.clear_yes"), key="class_clear_yes", type="primary"):
        st.session_state.pop("_confirm_clear", None)
        try:
            cleared = all_rooms.clear(room.code, key_of(room.code))
        except RoomError as exc:
            st.error(say(exc), icon="🚫")
        else:
            forget(room.code)
            st.session_state["_cleared"] = cleared
            st.rerun()
    if no.button(t("class.clear_no"), key="class_clear_no"):
        st.session_state.pop("_confirm_clear", None)
        st.rerun()


def draw_assignment(room: Room) -> None:
    """The teacher's assignment: a batch × LR grid, every other setting as set here; locked, students in the
    room train only its cells; handed out, each student gets a cell in the order they joined."""
    now = all_rooms.assignment(room.code)
    with st.expander(t("class.assignment"), icon="📝", expanded=now is None):
        if now is not None:
            st.markdown(t("class.assignment_now", cells=len(now.cells), batches=", ".join(map(str, now.batch_sizes)),
                          lrs=", ".join(f"{lr:g}" for lr in now.learning_rates),
                          locked=t("class.locked" if now.locked else "class.unlocked")))
        base, error = config_controls(st.container(), prefix="class_", hide=("batch_size", "learning_rate"))
        cols = st.columns(2)
        batch_sizes = cols[0].multiselect(t("sweep.batch_sizes"), BATCH_CHOICES, default=[16, 64, 256],
                                          key="class_batches", accept_new_options=True)
        learning_rates = cols[1].multiselect(t("sweep.learning_rates"), LR_CHOICES, default=[0.001, 0.01],
                                             key="class_lrs", accept_new_options=True)
        locked = st.toggle(t("class.lock"), value=True, key="class_lock", help=t("class.lock_help"))
        hand_out = st.toggle(t("class.hand_out"), value=True, key="class_hand_out", help=t("class.hand_out_help"))
        buttons = st.columns(2)
        key = key_of(room.code)
        if buttons[0].button(t("class.assign"), key="class_assign", type="primary",
                             disabled=base is None or not batch_sizes or not learning_rates):
            assert base is not None
            try:  # typed-in values are checked as the Sweep page checks them
                assignment = Assignment(base, tuple(int(b) for b in grid_values(batch_sizes, int, BATCH_SIZES)),
                                        tuple(grid_values(learning_rates, float, LEARNING_RATES)), locked, hand_out)
                pool.limits.check_grid(assignment.cells)
                all_rooms.assign(room.code, key, assignment)
                forget(room.code)
                st.rerun()
            except (ConfigError, RoomError) as exc:
                st.error(say(exc), icon="🚫")
        if error:
            st.error(error, icon="🚫")
        if now is not None and buttons[1].button(t("class.unassign"), key="class_unassign"):
            all_rooms.assign(room.code, key, None)
            forget(room.code)
            st.rerun()


def draw_room(room: Room, member: Member | None, teaching: bool) -> None:
    title = f"{room.code} · {room.title}" if room.title else room.code
    st.header(t("class.room_header", room=title))
    if member is not None:
        st.caption(t("class.you_are", nickname=member.nickname))
    hide_names = False
    if teaching:
        controls = st.columns(4)
        projector = controls[0].toggle(t("class.projector"), key="class_projector", help=t("class.projector_help"))
        hide_names = controls[1].toggle(t("class.hide_names"), key="class_hide_names")
        if controls[2].button(t("class.clear"), key="class_clear", help=t("class.clear_help")):
            st.session_state["_confirm_clear"] = room.code
        if controls[3].button(t("class.close"), key="class_close"):
            try:
                all_rooms.close(room.code, key_of(room.code))
                st.rerun()
            except RoomError as exc:
                st.error(say(exc), icon="🚫")
        if projector:  # big type for the back row
            st.html("<style>.stMainBlockContainer, .stMainBlockContainer p, .stMainBlockContainer li "
                    "{ font-size: 1.5rem; }</style>")
        cleared = st.session_state.pop("_cleared", None)
        if cleared is not None:
            st.success(t("class.cleared", entries=cleared[0], predictions=cleared[1]), icon="🧹")
        draw_clear(room)
        st.caption(t("class.members", n=len(all_rooms.members(room.code))))
        draw_report(room)
        draw_assignment(room)
        draw_lesson_controls(room)
    draw_board(room.code, hide_names, member, teaching)
    if member is not None and st.button(t("class.leave"), key="class_leave"):
        leave(member)
        st.rerun()


# A teacher link: its key makes this session the room's teacher (the key is checked against its hash).
link_code, link_key = normal_code(st.query_params.get("room", "")), st.query_params.get("teacher")
if link_code and link_key:
    if all_rooms.is_teacher(link_code, link_key):
        st.session_state.setdefault("_teaching", set()).add(link_code)
        st.session_state.setdefault("_teacher_keys", {})[link_code] = link_key
    else:
        st.error(t("class.wrong_key", code=link_code), icon="🔑")

new_room = st.session_state.pop("_new_room", None)
if new_room is not None:
    code, teacher_key = new_room
    st.session_state.setdefault("_teacher_keys", {})[code] = teacher_key
    draw_new_room(all_rooms.open_room(code), teacher_key)

member = current_member(owner)
teaching = [c for c in st.session_state.get("_teaching", ()) if (r := all_rooms.get(c)) is not None and r.is_open()]
shown_code = member.room if member is not None else (teaching[0] if teaching else None)
if shown_code is None:
    draw_lobby()
else:
    draw_room(all_rooms.open_room(shown_code), member, shown_code in teaching)
view.end()
