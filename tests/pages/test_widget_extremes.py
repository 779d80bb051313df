"""Every input widget of every page at and beyond its extremes (0, negative, 1e12, NaN, typed-in
text): each gives a usable value or a clear message naming the setting, in English and in Korean,
never a traceback. The widgets are found from AppTest's element tree, page by page, not listed by hand.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.errors import AppTestError

from core.runs.ownership import owner_id
from core.runs.store import RunStore
from core.settings import store_path
from core.training.config import TrainConfig
from core.training.engine import train
from tests import HANGUL, LANGUAGES, LONG_TEXT, PAGES

WALK_SECRET = "widget-walk-owner-secret"
WALKED_PAGES = ["app.py", *PAGES]
OPENED_AT = {"pages/9_Lessons.py": {"lesson": "L7"}}  # the lesson with a typed-in prediction: its epoch marker
INPUT_KINDS = ("number_input", "slider", "text_input", "multiselect")
TYPED = ["nan", "-1", "0", "abc", "1e400", "1e12", "2.5"]  # what a user can type where a widget takes text


def messages(at: AppTest) -> dict[str, list[str]]:
    return {"error": [e.value for e in at.error], "warning": [w.value for w in at.warning],
            "info": [i.value for i in at.info]}


def widget(at: AppTest, kind: str, key: str | None) -> Any:
    return next((w for w in at.get(kind) if w.key == key), None)


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def unique(values: list) -> list:
    out: list = []
    for v in values:
        if not any(same(v, u) for u in out):
            out.append(v)
    return out


def option_values(w) -> list:
    """A multiselect's options as values, found back from their labels through the widget's format_func."""
    label = w.format_func
    known = {str(label(v)): v for v in w.value}
    found = []
    for text in w.options:
        candidates = [known[text]] if text in known else []
        for parse in (int, float, str):
            with contextlib.suppress(ValueError):
                candidates.append(parse(text))
        for value in candidates:
            try:
                if str(label(value)) == text:
                    found.append(value)
                    break
            except (KeyError, TypeError, ValueError, IndexError):
                continue
    return found


def extremes(w) -> list:
    """The values the walk gives widget `w`: its bounds, just beyond them, 0, -1, 1e12 and the non-numbers."""
    if w.type == "number_input":
        whole = isinstance(w.value, int)
        step = w.proto.step or 1
        values = []
        if w.min is not None:
            values += [w.min, w.min - step]
        if w.max is not None:
            values += [w.max, w.max + step]
        if whole:
            # NaN and inf are left out for whole-number inputs: a browser cannot send them, and AppTest
            # hands them to Streamlit's own int() before the page runs. Links bring them in: see below.
            return unique([int(v) for v in values] + [0, -1, 10**12])
        return unique([float(v) for v in values] + [0.0, -1.0, 1e12, math.nan, math.inf, -math.inf])
    if w.type == "slider":
        return unique([w.min, w.max, w.min - w.step, w.max + w.step, 0.0, -1.0, 1e12, math.nan])
    if w.type == "text_input":
        return ["nan", "-1", "0", "abc", "1e400", "", LONG_TEXT]
    if w.proto.accept_new_options:  # a multiselect that takes typed-in values
        return [[], *([text] for text in TYPED)]
    return [[], option_values(w)]


def spellings(value) -> set[str]:
    """How a message may write `value` ("1e12" typed in may come back as 1000000000000)."""
    if isinstance(value, (list, tuple)):
        return set().union(*(spellings(v) for v in value)) if value else set()
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return {value} if value else set()
        return {value} | spellings(number)
    out = {str(value), repr(value)}
    if isinstance(value, (int, float)) and math.isfinite(value):
        out |= {f"{value:,}", f"{value:g}"}
        if float(value).is_integer():
            out |= {str(int(value)), f"{int(value):,}"}
    return out


def setting_names(at: AppTest) -> set[str]:
    """How a message may name a setting of the page: an input's label (singular too) or a TrainConfig field."""
    labels = {getattr(w, "label", "").lower() for kind in INPUT_KINDS for w in at.get(kind) if w.key != "lang"}
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    return {label.rstrip("s") for label in labels} | {field.replace("_", " ") for field in fields}


def names_the_problem(text: str, settings: set[str], value) -> bool:
    """The message names a setting (by its label or its field) or the value the widget delivered."""
    lowered = text.lower().replace("_", " ")
    return any(name in lowered for name in settings) or any(s in text for s in spellings(value))


def enable_every_widget(at: AppTest, optimizer: str = "momentum") -> None:
    """Turn on early stopping, a warm-up and step decay, and pick `optimizer`, so that no setting is greyed
    out but those of the other optimizers (momentum's or Adam's)."""
    for box in at.checkbox:
        if box.key and box.key.endswith("early_stopping") and not box.value:
            box.check()
    for choice in at.selectbox:
        if choice.key and choice.key.endswith("optimizer"):  # every optimizer list is core.config.OPTIMIZERS
            choice.select(optimizer)
        if choice.key and choice.key.endswith("schedule"):
            choice.select("step")
    for number in at.number_input:
        if number.key and number.key.endswith("warmup_epochs") and not number.value:
            number.set_value(1.0)
    at.run()


def walk(open_page: Callable[..., AppTest], page: str, lang: str) -> tuple[list[str], list[str]]:
    """Give every input widget of `page` each of its extremes; return (what was walked, what went wrong).

    On Compare the session's newest run is its own, so the walk reaches the name and tags of a run it may edit."""
    if page == "pages/3_Compare.py":
        RunStore(store_path()).save(train(TrainConfig(dataset="linear", model="linear", epochs=1)),
                                    owner=owner_id(WALK_SECRET))
        at = open_page(page, lang, _owner_secret=WALK_SECRET)
    else:
        at = open_page(page, lang, params=OPENED_AT.get(page))
    assert not at.exception, at.exception
    enable_every_widget(at)
    assert not at.exception, at.exception
    baseline = messages(at)
    buttons = {b.key for b in at.button}
    settings = setting_names(at)
    found = [(kind, w.key) for kind in INPUT_KINDS for w in at.get(kind) if w.key != "lang"]
    walked: list[str] = []
    failures = [f"{page}: a {kind} without a key, so the walk cannot reach it" for kind, key in found if not key]
    found = [(kind, key) for kind, key in found if key]
    found.sort(key=lambda widget: str(widget[1]).startswith("filter_"))  # last: a filter changes what the rest shows
    for kind, key in found:
        w = widget(at, kind, key)
        if w is not None and w.disabled:  # Adam's settings, greyed out for the momentum optimizer
            enable_every_widget(at, optimizer="adam")
            w = widget(at, kind, key)
        if w is None or w.disabled:
            failures.append(f"{page}: {key} is {'gone' if w is None else 'disabled'} before the walk reached it")
            continue
        original = w.value
        for value in extremes(w):
            where = f"{page} [{lang}] {key} = {value!r:.40}"
            try:
                widget(at, kind, key).set_value(value)
            except AppTestError:  # the widget itself refuses it, as a browser would
                walked.append(f"{where}: refused by the widget")
                continue
            at.run()
            if at.exception:
                failures.append(f"{where}: exception {at.exception[0].value[:200]}")
                at = open_page(page, lang)  # a fresh session for the rest of the walk
                enable_every_widget(at)
                break
            now = widget(at, kind, key)
            if now is None:
                failures.append(f"{where}: the widget vanished")
                break
            shown = messages(at)
            said = shown["error"] + shown["warning"]
            new = [text for text in said if text not in baseline["error"] + baseline["warning"]]
            failures += [f"{where}: an empty or traceback message {text!r:.200}" for text in said
                         if not text.strip() or "Traceback" in text]
            failures += [f"{where}: {text!r:.200} names neither the setting nor the value" for text in new
                         if not names_the_problem(text, settings, now.value)]
            failures += [f"{where}: {text!r:.200} is not in Korean" for text in new
                         if lang == "한국어" and not HANGUL.search(text)]
            stopped = buttons - {b.key for b in at.button}
            if stopped and not any(text.strip() for text in said + shown["info"]):
                failures.append(f"{where}: {sorted(map(str, stopped))} vanished without a message")
            walked.append(f"{where}: the widget delivered {now.value!r:.40}"
                          + "".join(f"; said {text!r:.80}" for text in new))
        w = widget(at, kind, key)
        if w is not None:
            w.set_value(original)
            at.run()
    return walked, failures


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", WALKED_PAGES)
def test_every_input_widget_at_and_beyond_its_extremes_gives_a_usable_value_or_a_clear_message(page, lang, open_page):
    walked, failures = walk(open_page, page, lang)
    assert failures == []
    if page == "pages/8_Glossary.py":
        assert walked == []  # the glossary has no inputs; a new one should be walked too
    elif page == "pages/9_Lessons.py":
        assert len(walked) >= 4  # the epoch marker (a slider); the other predictions are choices and ticks
    else:
        assert len(walked) >= 10
    # where a value can be unusable for training (the Class page's fields are read only when a form is sent)
    if page not in ("pages/3_Compare.py", "pages/8_Glossary.py", "pages/9_Lessons.py", "pages/10_Class.py"):
        assert any("; said " in step for step in walked)


def test_the_walk_reaches_the_widgets_of_the_shared_config_controls_and_each_pages_own(open_page):
    """A guard for the walk itself: it finds widgets drawn by train_controls and by the page."""
    at = open_page("pages/7_Critical_Batch.py")
    enable_every_widget(at)
    keys = {w.key for kind in INPUT_KINDS for w in at.get(kind)}
    assert {"cb_epochs", "cb_momentum", "cb_patience", "cb_min_delta", "cb_val_fraction",
            "cb_noise_batch", "cb_noise_lr", "cb_batches", "cb_lrs", "cb_target_val_acc"} <= keys
    greyed = {w.key for kind in INPUT_KINDS for w in at.get(kind) if w.disabled}
    assert greyed == {"cb_beta1", "cb_beta2", "cb_eps"}  # Adam's, with the momentum optimizer picked
    enable_every_widget(at, optimizer="adam")
    assert {w.key for kind in INPUT_KINDS for w in at.get(kind) if w.disabled} == {"cb_momentum"}


def test_a_typed_in_batch_size_that_is_not_whole_is_named_as_such(open_page):
    at = open_page("pages/2_Sweep.py")
    at.multiselect(key="sweep_batches").set_value([16, "2.5"]).run()
    assert not at.exception
    assert at.error[0].value == "Batch sizes: '2.5' is not a whole number."
    at.multiselect(key="sweep_batches").set_value([16, "1e3"]).run()  # a whole number, written with an exponent
    assert not at.error and "**4 runs**" in at.markdown[1].value  # 2 batch sizes x 2 learning rates


def test_a_typed_in_learning_rate_of_1e400_is_not_a_number_in_korean_either(open_page):
    at = open_page("pages/2_Sweep.py", "한국어")
    at.multiselect(key="sweep_lrs").set_value([0.01, "1e400"]).run()
    assert not at.exception
    assert at.error[0].value == "학습률: '1e400'은(는) 숫자가 아닙니다."


def test_the_critical_batch_accuracy_target_cannot_go_above_one(open_page):
    at = open_page("pages/7_Critical_Batch.py")
    target = at.number_input(key="cb_target_val_acc")
    assert (target.min, target.max) == (0.0, 1.0)
    target.set_value(1e12).run()
    assert at.number_input(key="cb_target_val_acc").value == 0.8  # refused: an accuracy is at most 1


