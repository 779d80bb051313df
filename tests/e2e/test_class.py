"""A class on the Class page, with two people: a teacher and a student, each in a browser context of their own
(their own cookies, so their own owner secret), once in English and once in Korean.

The teacher opens a room; the student joins it through the student link; the teacher assigns a locked grid
with its cells handed out; the student trains the cell the sidebar hands them, and a link tampered with is
refused; both see the run on the class board; the teacher gives the room a lesson, the student predicts, the
teacher reveals the result and the student's board shows it; the teacher downloads the class report.

Every label is looked up by its key in the app's own tables (pages/ui/texts/, core's messages), in the
language of the run. The grid is one cell of a linear model on the digits for two epochs: seconds to train.
"""

from __future__ import annotations

import csv
import io
import re
import string
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import Locator, expect

from core.classroom.board import cell_text
from core.classroom.lessons import lessons
from core.classroom.report import COLUMNS, HEADINGS, PREDICTION
from core.classroom.rooms import CODE_ALPHABET, CODE_LENGTH, Assignment, Member, RoomError, Rooms
from core.messages import Message
from core.training.config import TrainConfig
from core.training.data import DATASETS
from core.training.record import STATUS_NAMES, Status
from pages.ui.i18n import LANGUAGES
from pages.ui.texts import CORE, TEXT

if TYPE_CHECKING:
    from tests.e2e.conftest import App

TRAINING_TIMEOUT = 60_000  # ms; a tiny run takes seconds, but the workers may still be importing torch
BOARD_TIMEOUT = 20_000  # ms; the board redraws itself every 3 s for everyone in the room
SELECTOR = "Language · 언어"  # the language selector's label, the same in both languages
DATASET, MODEL, EPOCHS, LR = "digits", "linear", 2, 0.01  # the assignment's fixed settings
TAMPERED_BATCH = 128  # a batch size outside the grid
LESSON = lessons()["L1"]  # answered by the shipped reference runs: nothing to train
CASES = [  # (the language, the grid's one batch size, the student's nickname): another cell per language
    pytest.param("English", 16, "Ada", id="English"),
    pytest.param("한국어", 256, "민지", id="Korean"),
]


# ---------------------------------------------------------------------------------------- the app's words

def words(lang: str, key: str, **values: object) -> str:
    """TEXT[key] in `lang` ("en" or "ko") as the page shows it: filled in, Markdown's bold marks gone."""
    return TEXT[key][lang].format(**values).replace("**", "")


def like(lang: str, key: str, **values: object) -> re.Pattern[str]:
    """TEXT[key] as a pattern: the placeholders given filled in, any other matching what the page put there."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(TEXT[key][lang]):
        parts.append(re.escape(literal.replace("**", "")))
        if field is not None:
            parts.append(re.escape(str(values[field])) if field in values else ".+?")
    return re.compile("".join(parts))


def say(lang: str, message: Message | str) -> str:
    """A message of core in `lang`, as the app renders it (pages/ui/i18n.say); plain text as it is."""
    if isinstance(message, str):
        return message
    return message.render((lambda m: CORE.get(m.key)) if lang == "ko" else None)


def label(lang: str, key: str) -> re.Pattern[str]:
    """A widget's label: its accessible name starts with the text (a help icon may follow)."""
    return re.compile("^" + re.escape(words(lang, key)))


def exactly(text: str) -> re.Pattern[str]:
    return re.compile(f"^{re.escape(text)}$")


class OneRoom(Rooms):
    """Rooms without a store, holding one room's assignment: what the server's lock says about settings."""

    def __init__(self, assignment: Assignment) -> None:  # no store: only the assignment is looked up
        self._assignment = assignment

    def assignment(self, code: str) -> Assignment | None:
        return self._assignment


def lock_message(lang: str, code: str, batch: int, tried: TrainConfig) -> str:
    """The server's refusal of `tried` in room `code` whose locked grid is `batch` × LR, in `lang`."""
    assignment = Assignment(TrainConfig(dataset=DATASET, model=MODEL, epochs=EPOCHS), (batch,), (LR,))
    with pytest.raises(RoomError) as refused:
        OneRoom(assignment).check_allowed(Member(code, "someone", "owner", 0.0), tried)
    return say(lang, refused.value.message)


# ---------------------------------------------------------------------------------------- moves

def main(app: App) -> Locator:
    return app.page.get_by_test_id("stMain")


def expander(app: App, title: str) -> Locator:
    """The expander `title` in the main area, opened (a click on its summary when it is closed)."""
    found = main(app).get_by_test_id("stExpander").filter(
        has=app.page.locator("summary").get_by_text(title, exact=True))
    expect(found).to_have_count(1)
    if found.locator("details[open]").count() == 0:
        found.locator("summary").click()
    expect(found.locator("details[open]")).to_have_count(1)
    return found


def keep_only(app: App, within: Locator, name: str, value: str) -> None:
    """Remove every chosen value of the multiselect `name` but `value` (each removal reruns the page)."""
    box = within.get_by_test_id("stMultiSelect").filter(has=app.page.get_by_role("combobox", name=name, exact=True))
    while True:
        chosen = box.locator("[data-tag]").evaluate_all("tags => tags.map(tag => tag.getAttribute('aria-label'))")
        others = [each for each in chosen if each != value]
        if not others:
            break
        app.after_rerun(lambda other=others[0]: box.get_by_role("button", name=f"Remove {other}", exact=True).click())
    assert chosen == [value], (name, chosen)


def pick_language(app: App, language: str) -> None:
    option = app.sidebar().get_by_role("radiogroup", name=SELECTOR).get_by_role("radio", name=language, exact=True)
    app.after_rerun(option.click)
    expect(option).to_be_checked()


def open_by_link(app: App, link: Locator, title: str) -> None:
    """Follow a link of the app in the same session and wait for the page titled `title`."""
    link.click()
    expect(main(app).locator("h1").first).to_have_text(title)
    app.wait_until_idle()


def path_of(url: str) -> str:
    """A link's path and query, as App.open takes them."""
    parts = urlsplit(url)
    return parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else "")


def with_language(url: str, language: str) -> str:
    """The link with ?lang= set to `language` (as a Korean student would pick it)."""
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return parts.path.lstrip("/") + "?" + urlencode({**query, "lang": language})


def download(app: App, button: str) -> str:
    """Press the download button `button`; the downloaded file's text. The file is made when the button
    is pressed (the room as it stands then), which a loaded machine may take a while to do."""
    with app.page.expect_download(timeout=90_000) as started:
        main(app).get_by_role("button", name=button, exact=True).click()
    return Path(started.value.path()).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------- the class

@pytest.mark.parametrize(("language", "batch", "nickname"), CASES)
def test_a_teacher_and_a_student_run_a_class_room_from_the_join_to_the_report(
        people, language: str, batch: int, nickname: str) -> None:
    lang = LANGUAGES[language]
    teacher, student = people("teacher", "student")
    links_without_language: list[str] = []  # asserted at the end, so that the rest of the class still runs

    def check_language(what: str, url: str | None) -> None:
        if lang != "en" and parse_qs(urlsplit(url or "").query).get("lang") != [language]:
            links_without_language.append(f"{what}: {url}")

    # ---- 1. The teacher opens a room: its code, the student link and the teacher link, shown once.
    teacher.open("Class" if lang == "en" else f"Class?lang={language}")
    expect(main(teacher).locator("h1").first).to_have_text(words(lang, "class.title"))
    title = f"e2e {language}"
    start = main(teacher).get_by_test_id("stForm").filter(has_text=words(lang, "class.start"))
    start.get_by_label(words(lang, "class.title_field")).fill(title)
    teacher.click(words(lang, "class.start_button"), within=start)
    codes = main(teacher).get_by_test_id("stCode").locator("code")
    expect(codes).to_have_count(2)
    student_link, teacher_link = codes.nth(0).inner_text().strip(), codes.nth(1).inner_text().strip()
    code = parse_qs(urlsplit(student_link).query)["room"][0]
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET), student_link
    assert urlsplit(student_link).path == "/Class", student_link
    teacher_query = parse_qs(urlsplit(teacher_link).query)
    assert teacher_query["room"] == [code] and teacher_query["teacher"][0], teacher_link
    teacher_key = teacher_query["teacher"][0]
    check_language("the student link", student_link)
    check_language("the teacher link", teacher_link)
    expect(main(teacher).get_by_test_id("stAlert").filter(has_text=words(lang, "class.created", code=code))
           ).to_have_count(1)
    expect(main(teacher).get_by_role("heading", name=code, exact=True)).to_be_visible()
    expect(main(teacher).get_by_test_id("stAlert").filter(has_text=words(lang, "class.key_once"))).to_have_count(1)
    room_header = words(lang, "class.room_header", room=f"{code} · {title}")
    expect(main(teacher).get_by_role("heading", name=room_header)).to_be_visible()
    expect(main(teacher).get_by_text(words(lang, "class.members", n=0), exact=True)).to_be_visible()
    teacher.screenshot("room-opened")

    # ---- 2. The student opens the student link, gives a nickname and joins.
    student.open(path_of(student_link))
    if lang != "en" and "lang=" not in student_link:  # the link named no language: the student picks it
        pick_language(student, language)
    join = main(student).get_by_test_id("stForm").filter(has_text=words(lang, "class.join"))
    expect(join.get_by_label(words(lang, "class.code"))).to_have_value(code)
    join.get_by_label(words(lang, "class.nickname")).fill(nickname)
    student.click(words(lang, "class.join_button"), within=join)
    expect(main(student).get_by_role("heading", name=room_header)).to_be_visible()
    expect(main(student).get_by_text(words(lang, "class.you_are", nickname=nickname), exact=True)).to_be_visible()
    expect(main(student).get_by_text(words(lang, "class.board_empty"), exact=True)).to_be_visible()
    expect(student.sidebar().get_by_text(words(lang, "class.badge", code=code, nickname=nickname), exact=True)
           ).to_be_visible()

    # ---- 3. The teacher assigns a locked grid of one cell, handed out; the page drawn again counts the student.
    assignment = expander(teacher, words(lang, "class.assignment"))
    teacher.choose(label(lang, "ctl.dataset"), say(lang, DATASETS[DATASET].title), within=assignment)
    expect(main(teacher).get_by_text(words(lang, "class.members", n=1), exact=True)).to_be_visible()
    assert main(teacher).get_by_text(teacher_key).count() == 0  # the teacher link was shown once
    teacher.choose(label(lang, "ctl.model"), exactly(words(lang, f"name.model.{MODEL}")), within=assignment)
    teacher.set_number(label(lang, "ctl.epochs"), EPOCHS, within=assignment)
    keep_only(teacher, assignment, words(lang, "sweep.batch_sizes"), str(batch))
    keep_only(teacher, assignment, words(lang, "sweep.learning_rates"), f"{LR:g}")
    for toggle in ("class.lock", "class.hand_out"):  # both on, as they open
        expect(assignment.get_by_role("switch", name=words(lang, toggle), exact=True)).to_be_checked()
    teacher.click(words(lang, "class.assign"), within=assignment)
    expect(main(teacher).get_by_test_id("stExpander").filter(has_text=words(
        lang, "class.assignment_now", cells=1, batches=batch, lrs=f"{LR:g}", locked=words(lang, "class.locked")))
    ).to_have_count(1)
    expect(main(teacher).get_by_role("heading", name=words(lang, "class.grid"))).to_be_visible(timeout=BOARD_TIMEOUT)

    # ---- 4. The student's sidebar hands out the cell; its link opens it on Train, and it trains.
    expect(main(student).get_by_role("heading", name=words(lang, "class.grid"))).to_be_visible(timeout=BOARD_TIMEOUT)
    student.open_from_menu(words(lang, "nav.class"))  # the whole page drawn again: its sidebar too
    badge = student.sidebar()
    expect(badge.get_by_text(words(lang, "class.badge_cell", batch=batch, lr=f"{LR:g}"), exact=True)).to_be_visible()
    expect(badge.get_by_text(words(lang, "class.badge_locked"), exact=True)).to_be_visible()
    cell_link = badge.get_by_role("link", name=words(lang, "class.badge_train"), exact=True)
    cell_href = cell_link.get_attribute("href")
    check_language("the sidebar's link to the handed-out cell", cell_href)
    open_by_link(student, cell_link, words(lang, "train.title"))
    sidebar = student.sidebar()
    expect(sidebar.get_by_role("combobox", name=label(lang, "ctl.dataset"))).to_have_value(
        say(lang, DATASETS[DATASET].title))
    expect(sidebar.get_by_label(label(lang, "ctl.batch_size"))).to_have_value(str(batch))
    expect(sidebar.get_by_label(label(lang, "ctl.epochs"))).to_have_value(str(EPOCHS))
    student.click(words(lang, "train.button"), within=main(student))
    completed = say(lang, STATUS_NAMES[Status.COMPLETED])
    expect(student.metric(words(lang, "sum.status"))).to_have_text(completed, timeout=TRAINING_TIMEOUT)
    student.wait_until_idle()
    expect(student.metric(words(lang, "sum.epochs"))).to_have_text(f"{EPOCHS} / {EPOCHS}")
    student.screenshot("trained")

    # ---- 5. The same link with a batch size outside the grid (a new tab: the same browser, still in the room).
    assert cell_href is not None
    tampered = parse_qs(urlsplit(cell_href).query)
    tampered["batch_size"] = [str(TAMPERED_BATCH)]
    student.open(with_language(f"Train?{urlencode(tampered, doseq=True)}", language))
    expect(student.sidebar().get_by_label(label(lang, "ctl.batch_size"))).to_have_value(str(TAMPERED_BATCH))
    expect(student.sidebar().get_by_text(words(lang, "class.badge", code=code, nickname=nickname), exact=True)
           ).to_be_visible()
    student.click(words(lang, "train.button"), within=main(student))
    tried = TrainConfig(dataset=DATASET, model=MODEL, epochs=EPOCHS, batch_size=TAMPERED_BATCH, learning_rate=LR)
    refusal = main(student).get_by_test_id("stAlert").filter(has_text=lock_message(lang, code, batch, tried))
    expect(refusal).to_have_count(1)
    assert student.metric(words(lang, "sum.status")).count() == 0  # nothing trained
    assert main(student).get_by_test_id("stProgress").count() == 0
    assert "run=" not in student.page.url
    student.screenshot("refused")

    # ---- 6. Both see the one run on the board: the grid's cell filled, the caption counting it.
    cell = cell_text({"students": 1, "runs": 1, "n": 1, "mean": 0.0, "low": 0.0, "high": 0.0, "diverged": 0,
                      "unstable": 0, "training": 0}, lambda m: say(lang, m)).splitlines()[1]
    caption = like(lang, "class.board_caption", runs=1, students=1)
    student.open_from_menu(words(lang, "nav.class"))
    for person in (student, teacher):
        expect(main(person).get_by_text(caption)).to_be_visible(timeout=BOARD_TIMEOUT)
        expect(main(person).get_by_test_id("stVegaLiteChart").locator("svg").filter(has_text=cell)
               ).to_have_count(1, timeout=BOARD_TIMEOUT)
    expect(main(teacher).get_by_test_id("stVegaLiteChart").locator("svg").filter(has_text=nickname)).to_have_count(
        0)  # named by setting, not by student, unless asked

    # ---- 7. A lesson: the teacher gives it, the student predicts from the board's link, the teacher reveals.
    lesson_title = say(lang, LESSON.title)
    controls = expander(teacher, words(lang, "class.lesson"))
    teacher.choose(label(lang, "lessons.pick"), words(lang, "lessons.numbered", id=LESSON.id, title=lesson_title),
                   within=controls)
    teacher.click(words(lang, "class.lesson_assign"), within=controls)
    lesson_header = words(lang, "class.lesson_header", id=LESSON.id, title=lesson_title)
    expect(main(teacher).get_by_role("heading", name=lesson_header)).to_be_visible(timeout=BOARD_TIMEOUT)
    expect(main(teacher).get_by_text(words(lang, "class.predictions_sent", n=0), exact=True)).to_be_visible()

    expect(main(student).get_by_text(words(lang, "class.predict_first", n=0), exact=True)).to_be_visible(
        timeout=BOARD_TIMEOUT)
    to_lesson = main(student).get_by_role("link", name=words(lang, "class.open_lesson", id=LESSON.id), exact=True)
    check_language("the board's link to the lesson", to_lesson.get_attribute("href"))
    open_by_link(student, to_lesson, words(lang, "lessons.title"))
    expect(main(student).get_by_role("combobox", name=words(lang, "lessons.pick"))).to_have_value(
        words(lang, "lessons.numbered", id=LESSON.id, title=lesson_title))
    expect(main(student).get_by_text(words(lang, "lessons.room_sends", code=code), exact=True)).to_be_visible()
    for question in LESSON.questions:
        group = main(student).get_by_role("radiogroup", name=say(lang, question.prompt))
        answer = say(lang, question.options[0].name)
        student.after_rerun(lambda group=group, answer=answer: group.get_by_text(answer, exact=True).click())
    student.click(words(lang, "lessons.run"), within=main(student))
    waiting = main(student).get_by_text(words(lang, "lessons.room_waiting", code=code), exact=True)
    expect(waiting).to_be_visible()

    expect(main(teacher).get_by_text(words(lang, "class.predictions_sent", n=1), exact=True)).to_be_visible(
        timeout=BOARD_TIMEOUT)
    expect(main(teacher).get_by_text(words(lang, "class.not_revealed"), exact=True)).to_be_visible()
    teacher.screenshot("predicted")
    controls = expander(teacher, words(lang, "class.lesson"))
    teacher.click(words(lang, "class.reveal"), within=controls)
    honesty = words(lang, "lessons.honesty")
    expect(main(teacher).get_by_text(honesty, exact=True)).to_be_visible(timeout=BOARD_TIMEOUT)

    # The student's Lessons page, waiting, shows the result once revealed; so does their board.
    expect(main(student).get_by_text(honesty, exact=True)).to_be_visible(timeout=BOARD_TIMEOUT)
    expect(waiting).to_have_count(0)
    student.wait_until_idle()
    student.open_from_menu(words(lang, "nav.class"))
    expect(main(student).get_by_text(honesty, exact=True)).to_be_visible(timeout=BOARD_TIMEOUT)
    expect(main(student).get_by_text(like(lang, "class.runs_show")).first).to_be_visible()
    expect(main(student).get_by_text(words(lang, "class.predictions_sent", n=1), exact=True)).to_be_visible()
    student.screenshot("revealed")

    # ---- 8. The teacher downloads the class report: the student's run and prediction, in CSV and HTML.
    teacher.wait_until_idle()
    rows = list(csv.reader(io.StringIO(download(teacher, words(lang, "class.report_csv")))))
    assert rows[0] == COLUMNS, rows[0]
    lines = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    trained = [line for line in lines if line["kind"] == "train"]
    assert len(trained) == 1, lines  # the refused settings are not in it
    run = trained[0]
    assert (run["nickname"], run["dataset"], run["model"], run["batch_size"], run["learning_rate"], run["epochs"],
            run["status"], run["epochs_run"]) == (nickname, DATASET, MODEL, str(batch), f"{LR:g}", str(EPOCHS),
                                                  completed, str(EPOCHS)), run
    assert run["best_val_loss"] and run["best_val_acc"] and run["final_train_loss"], run
    predicted = [line for line in lines if line["kind"] == PREDICTION]
    assert {(line["nickname"], line["lesson"], line["question"]) for line in predicted} == {
        (nickname, LESSON.id, question.id) for question in LESSON.questions}, predicted
    assert all(line["runs_show"] and line["match"] for line in predicted), predicted
    page = download(teacher, words(lang, "class.report_html"))
    assert page.lstrip().lower().startswith("<!doctype html"), page[:200]
    for shown in (code, title, nickname, say(lang, HEADINGS["nickname"]), "<svg"):
        assert shown in page, shown
    assert "<script" not in page.lower() and not re.search(r"(src|href)=[\"']?https?:", page)  # opens offline
    teacher.screenshot("report")

    assert not links_without_language, "links that drop the page's language (?lang=):\n" + "\n".join(
        links_without_language)
