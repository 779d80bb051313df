"""Guided lessons: a question, a prediction before Run, the runs, the result over the prediction, why, and an
honesty box that says what the runs could and could not show (core.classroom.lessons holds the lessons)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.classroom.lessons import CURVES, Lesson, LessonRun, Prediction, Value, chart, lessons
from core.classroom.predictions import Effect, Kind, Match, Question, cells_prediction, compare
from core.classroom.rooms import Member, RoomError, RoomLesson
from core.jobs.job import JobView
from core.runs.tables import run_label
from core.settings import ConfigError
from core.training.record import Status
from pages.ui.classroom import current_member, forget, room_lesson, rooms
from pages.ui.findings import draw_finding
from pages.ui.follow import any_active, follow
from pages.ui.i18n import say, t
from pages.ui.identity import me, submit
from pages.ui.jobs_panel import draw_group
from pages.ui.links import choice
from pages.ui.nav import PAGES, link
from pages.ui.page import page
from pages.ui.resources import job_pool
from pages.ui.x_axis import x_axis_toggle

PREDICTIONS = "lessons_predictions"  # lesson id -> {question id: the prediction}, kept when another lesson is open
JOBS = "lessons_jobs"  # lesson id -> the keys of its runs' jobs, once Run was pressed
SEEN = "lessons_seen"  # the lessons whose result this session has shown
SENT = "lessons_sent"  # (room, lesson id): the predictions this session sent to its room's board
REVEAL_POLL_S = 3.0  # a student waiting for the teacher's reveal looks this often
MATCH_ICONS = {Match.MATCHED: "✅", Match.MISSED: "❌", Match.OPEN: "⚖️"}
HONESTY = {Effect.SHOWED: st.success, Effect.NOT_SHOWN: st.warning, Effect.UNDECIDED: st.info}
EXPLORE = {  # where each lesson's experiment can be taken further, with the link's settings
    "L1": ("pages/2_Sweep.py", {"sweep_preset": "seed001"}),
    "L2": ("pages/5_LR_Range_Test.py", {}),
    "L3": ("pages/2_Sweep.py", {"sweep_preset": "seed002-scaling"}),
    "L4": ("pages/4_Calculator.py", {"scale_old_batch": "16", "scale_old_lr": "0.01", "scale_new_batch": "512",
                                     "scale_optimizer": "momentum", "scale_dataset": "digits"}),
    "L5": ("pages/7_Critical_Batch.py", {}),
    "L6": ("pages/6_Sharpness.py", {"sharp_dataset": "linear", "sharp_model_linear": "mlp", "sharp_optimizer": "adam",
                                    "sharp_learning_rate": "0.01", "sharp_epochs": "30", "sharp_small_batch": "16",
                                    "sharp_large_batch": "256"}),
    "L7": ("pages/1_Train.py", {"dataset": "mnist1d", "optimizer": "momentum", "learning_rate": "0.03",
                                "batch_size": "64", "epochs": "60"}),
}

view = page("pages/9_Lessons.py", share=True)
progress = st.sidebar.container()  # filled at the end, when this run knows what was predicted and seen
pool = job_pool()
LESSONS = lessons()
predictions: dict[str, dict[str, Value]] = st.session_state.setdefault(PREDICTIONS, {})
jobs: dict[str, list[str]] = st.session_state.setdefault(JOBS, {})
seen: set[str] = st.session_state.setdefault(SEEN, set())
sent: set[tuple[str, str]] = st.session_state.setdefault(SENT, set())
owner = me()
member = current_member(owner)  # in a room, a prediction for the lesson its teacher gave it goes to its board

picked = choice(st.selectbox, t("lessons.pick"),
                {lid: t("lessons.numbered", id=lid, title=say(lesson.title)) for lid, lesson in LESSONS.items()},
                "lesson")
lesson = LESSONS[picked]


def start_again() -> None:
    """Forget this lesson's prediction and runs (the runs stay on the server), so it can be done afresh."""
    jobs.pop(lesson.id, None)
    predictions.pop(lesson.id, None)
    seen.discard(lesson.id)
    for room_and_lesson in [s for s in sent if s[1] == lesson.id]:
        sent.discard(room_and_lesson)
    for key in [k for k in st.session_state if str(k).startswith(f"lesson_{lesson.id}_")]:
        del st.session_state[key]


def in_room(member: Member | None) -> RoomLesson | None:
    """The room's lesson, when this session is in a room doing this lesson."""
    now = room_lesson(member.room)[0] if member is not None else None
    return now if now is not None and now.lesson == lesson.id else None


def sent_mine(member: Member) -> bool:
    """Whether the room's board holds this member's prediction for the lesson."""
    return any(p.owner == member.owner for p in room_lesson(member.room)[1])


room_now = in_room(member)
if member is not None and room_now is not None and not room_now.revealed and jobs.get(lesson.id):
    if not sent_mine(member) and (member.room, lesson.id) in sent:  # the teacher cleared the board: predict again
        start_again()
        st.info(t("lessons.room_cleared", code=member.room), icon="🧹")
    elif not sent_mine(member):  # Run was pressed (here, or before the teacher gave the room this lesson)
        try:
            rooms_now = rooms()
            assert rooms_now is not None  # a member has a room, so a store
            rooms_now.predict(member, lesson, predictions.get(lesson.id, {}))
            sent.add((member.room, lesson.id))
            forget(member.room)
        except RoomError as exc:
            st.error(say(exc), icon="🚫")
saved = predictions.setdefault(lesson.id, {})
keys = jobs.get(lesson.id, [])
locked = bool(keys)  # after Run the prediction stays as it was: the result is compared with it

st.header(say(lesson.title))
st.caption(say(lesson.setup))
st.subheader(t("lessons.question"))
st.markdown(say(lesson.question))
st.subheader(t("lessons.predict"))
st.caption(t("lessons.predict_caption"))


def widget_key(question: Question, part: str = "") -> str:
    return f"lesson_{lesson.id}_{question.id}{'_' + part if part else ''}"


def ask(question: Question) -> Value | None:
    """Draw the question's widget (seeded with the saved prediction) and return the prediction, or None."""
    before = saved.get(question.id)
    if question.kind == Kind.CHOICE:
        key = widget_key(question)
        if key not in st.session_state and isinstance(before, str):
            st.session_state[key] = before
        names = {o.id: say(o.name) for o in question.options}
        # index=None: nothing chosen until the student chooses (a value the session holds wins over it)
        return st.radio(say(question.prompt), list(names), index=None, format_func=names.__getitem__, key=key,
                        disabled=locked)
    if question.kind == Kind.CELLS:
        st.markdown(say(question.prompt))
        boxes = st.columns(2)
        ticked = []
        for i, option in enumerate(question.options):
            key = widget_key(question, option.id)
            if key not in st.session_state and isinstance(before, frozenset):
                st.session_state[key] = option.id in before
            if boxes[i % 2].checkbox(say(option.name), key=key, disabled=locked):
                ticked.append(option.id)
        none_key = widget_key(question, "none")
        if none_key not in st.session_state and isinstance(before, frozenset):
            st.session_state[none_key] = not before
        none = st.checkbox(t("lessons.none_box"), key=none_key, disabled=locked)
        if none and ticked:
            st.warning(t("lessons.both"), icon="✋")
        return cells_prediction(ticked, none)
    key, lock_key = widget_key(question), widget_key(question, "lock")
    if key not in st.session_state and isinstance(before, int):
        st.session_state[key], st.session_state[lock_key] = before, True
    st.markdown(say(question.prompt))
    epoch = st.slider(t("lessons.epoch_marker"), min_value=1, max_value=question.last, step=1, key=key,
                      disabled=locked)
    return int(epoch) if st.checkbox(t("lessons.epoch_lock"), key=lock_key, disabled=locked) else None


for question in lesson.questions:
    value = ask(question)
    if not locked:
        if value is None or not question.valid(value):
            saved.pop(question.id, None)
        else:
            saved[question.id] = value
ready = lesson.complete(saved)
live = lesson.live
st.caption(t("lessons.live", live=len(live), runs=len(lesson.requests)) if live else t("lessons.shipped"))


def run(lesson: Lesson, member: Member | None) -> list[str]:
    """Ask the pool for the lesson's runs; their job keys. Alone, as every page asks; in a room, as the
    room's, but not drawn on its board (the board shows the lesson's predictions instead), and refused by
    a locked assignment unless it is the lesson the teacher gave the room."""
    found = rooms()
    if member is None or found is None:
        return [submit(pool, r.config, r.kind).key for r in lesson.requests]
    found.check_lesson(member, lesson)
    return [pool.submit(r.config, r.kind, owner=owner, room=member.room).key for r in lesson.requests]


if member is not None and room_now is not None:
    st.caption(t("lessons.room_revealed" if room_now.revealed else "lessons.room_sends", code=member.room))
buttons = st.container(horizontal=True)
if not locked:
    if buttons.button(t("lessons.run"), type="primary", key="lesson_run", disabled=not ready,
                      help=None if ready else t("lessons.run_help")):
        try:
            pool.limits.check_grid(live)
            jobs[lesson.id] = run(lesson, member)
        except (ConfigError, RoomError) as exc:
            view.fail(say(exc))
        st.rerun()
else:
    st.caption(t("lessons.locked"))
    buttons.button(t("lessons.again"), key="lesson_again", on_click=start_again,
                   disabled=any_active(pool, keys))


def draw_result(views: list[JobView]) -> None:
    """The runs' answers beside the prediction, the charts, the facts, the verdicts, why, the explanation and
    the honesty box."""
    prediction: Prediction = saved
    runs: list[LessonRun] = list(views)
    result = lesson.measure(runs)
    st.subheader(t("lessons.result"))
    for question in lesson.questions:
        if question.id in prediction:
            comparison = compare(question, prediction[question.id], result.answer(question.id))
            st.markdown(f"{MATCH_ICONS[comparison.match]} {say(comparison.text)}")
    panels = lesson.panels(runs, prediction, say)
    switchable = next((p.axes for p in panels if p.kind == CURVES and len(p.axes) > 1), None)
    x = x_axis_toggle(f"lesson_{lesson.id}_x", switchable) if switchable else "epoch"
    for i, panel in enumerate(panels):
        st.markdown(f"**{say(panel.title)}**")
        st.altair_chart(chart(panel, x, text=say), key=f"lesson_{lesson.id}_chart_{i}")
    if result.facts:
        st.markdown(f"**{t('lessons.measured')}**")
        st.markdown("\n".join(f"- {say(fact)}" for fact in result.facts))
    if result.findings:
        st.subheader(t("lessons.verdicts"))
        st.caption(t("sweep.claims_rule"))
        for found in result.findings:
            draw_finding(found)
    st.subheader(t("lessons.why"))
    st.info(say(lesson.why), icon="🤔")
    with st.expander(t("lessons.explanation"), icon="💡"):
        st.markdown(say(lesson.explanation))
    with st.container(border=True):
        st.markdown(f"**{t('lessons.honesty')}**")
        HONESTY[result.effect](f"{t(f'lessons.honesty_{result.effect.name.lower()}')} {say(result.honesty)}",
                               icon="🔍")
    target, params = EXPLORE[lesson.id]
    icon = next(icon for path, _, icon, _ in PAGES if path == target)
    link(target, t(f"lessons.explore_{lesson.id.lower()}"), icon, None, **params)
    seen.add(lesson.id)


def run_name(job: JobView) -> str:
    return run_label(job.config, with_epochs=True, with_seed=True, text=say)


def show(keys: list[str]) -> None:
    views = [pool.view(key) for key in keys]
    known = [v for v in views if v is not None]
    if len(known) < len(views):
        st.info(t("lessons.gone"), icon="🔁")
        return
    if any(v.active for v in known):
        draw_group(pool, views, [run_name(v) for v in known])
        st.caption(t("lessons.waiting"))
        return
    if any(v.status == Status.FAILED for v in known):
        draw_group(pool, views, [run_name(v) for v in known])
    draw_result(known)


@st.fragment(run_every=REVEAL_POLL_S)
def wait_for_reveal(member: Member) -> None:
    """Before the teacher reveals the result: say so, and look again every few seconds (the whole page
    reruns once the result is revealed, the lesson taken away or the board cleared)."""
    now = in_room(member)
    if now is None or now.revealed or not sent_mine(member):
        st.rerun(scope="app")
    st.info(t("lessons.room_waiting", code=member.room), icon="⏳")


if locked:
    if member is not None and room_now is not None and not room_now.revealed:
        if sent_mine(member):
            wait_for_reveal(member)
    else:
        follow(pool, keys, partial(show, keys))

with progress:
    st.caption(t("lessons.progress"))
    for lid, each in LESSONS.items():
        state = ("done" if lid in seen else "predicted" if each.complete(predictions.get(lid, {})) else "open")
        st.markdown(t(f"lessons.progress_{state}", id=lid, title=say(each.title)))
    st.caption(t("lessons.progress_help"))
view.end()
