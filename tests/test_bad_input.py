"""Bad input everywhere: every input widget at and beyond its extremes, malformed link values and
malformed imports. Each shows a clear message (in English and in Korean), never a traceback, and a
rejected import leaves the run store exactly as it was.

The widgets are found from AppTest's element tree, page by page, not listed by hand.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.errors import AppTestError

from core.config import TrainConfig
from core.engine import RunResult
from core.messages import Message
from core.store import MAX_IMPORT_BYTES, RunStore, StoreError, default_store_path
from pages.ui.texts import CORE

from tests.test_pages import ROOT, TIMEOUT

PAGES = ["app.py", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))]
LANGUAGES = ["English", "한국어"]
HANGUL = re.compile("[\uac00-\ud7a3]")
INPUT_KINDS = ("number_input", "slider", "text_input", "multiselect")
TYPED = ["nan", "-1", "0", "abc", "1e400", "1e12", "2.5"]  # what a user can type where a widget takes text
LONG_TEXT = "x" * 10_001  # one character more than the run store keeps in a name or a tag


def open_page(page: str, lang: str | None = "English", params: dict | None = None) -> AppTest:
    """A new session on `page` (app.py is the home page); `params` are the link's query parameters."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if lang:
        at.session_state["lang"] = lang
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "app.py":
        at.switch_page(page).run()
    return at


def messages(at: AppTest) -> dict[str, list[str]]:
    return {"error": [e.value for e in at.error], "warning": [w.value for w in at.warning],
            "info": [i.value for i in at.info]}


def widget(at: AppTest, kind: str, key: str):
    return next((w for w in at.get(kind) if w.key == key), None)


# ---------------------------------------------------------------------- every widget at its extremes

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
            try:
                candidates.append(parse(text))
            except ValueError:
                pass
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
    labels = {w.label.lower() for kind in INPUT_KINDS for w in at.get(kind) if w.key != "lang"}
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    return {label.rstrip("s") for label in labels} | {field.replace("_", " ") for field in fields}


def names_the_problem(text: str, settings: set[str], value) -> bool:
    """The message names a setting (by its label or its field) or the value the widget delivered."""
    lowered = text.lower().replace("_", " ")
    return any(name in lowered for name in settings) or any(s in text for s in spellings(value))


def enable_every_widget(at: AppTest) -> None:
    """Turn on early stopping and pick the momentum optimizer, so that no setting is greyed out."""
    for box in at.checkbox:
        if box.key and box.key.endswith("early_stopping") and not box.value:
            box.check()
    for box in at.selectbox:
        if box.key and box.key.endswith("optimizer"):  # every optimizer list is core.config.OPTIMIZERS
            box.select("momentum")
    at.run()


def walk(page: str, lang: str) -> tuple[list[str], list[str]]:
    """Give every input widget of `page` each of its extremes; return (what was walked, what went wrong)."""
    at = open_page(page, lang)
    assert not at.exception, at.exception
    enable_every_widget(at)
    assert not at.exception, at.exception
    baseline = messages(at)
    buttons = {b.key for b in at.button}
    settings = setting_names(at)
    found = [(kind, w.key) for kind in INPUT_KINDS for w in at.get(kind) if w.key != "lang"]
    walked: list[str] = []
    failures = [f"{page}: a {kind} without a key, so the walk cannot reach it" for kind, key in found if not key]
    for kind, key in found:
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
                failures.append(f"{where}: {sorted(stopped)} vanished without a message")
            walked.append(f"{where}: the widget delivered {now.value!r:.40}"
                          + "".join(f"; said {text!r:.80}" for text in new))
        w = widget(at, kind, key)
        if w is not None:
            w.set_value(original)
            at.run()
    return walked, failures


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_input_widget_at_and_beyond_its_extremes_gives_a_usable_value_or_a_clear_message(page, lang):
    walked, failures = walk(page, lang)
    assert failures == []
    if page == "pages/8_Glossary.py":
        assert walked == []  # the glossary has no inputs; a new one should be walked too
    else:
        assert len(walked) >= 10
    if page not in ("pages/3_Compare.py", "pages/8_Glossary.py"):  # where a value can be unusable for training
        assert any("; said " in step for step in walked)


def test_the_walk_reaches_the_widgets_of_the_shared_config_controls_and_each_pages_own():
    """A guard for the walk itself: it finds widgets drawn by train_controls and by the page."""
    at = open_page("pages/7_Critical_Batch.py")
    enable_every_widget(at)
    keys = {w.key for kind in INPUT_KINDS for w in at.get(kind)}
    assert {"cb_epochs", "cb_momentum", "cb_patience", "cb_min_delta", "cb_val_fraction",
            "cb_noise_batch", "cb_noise_lr", "cb_batches", "cb_lrs", "cb_target_val_acc"} <= keys
    assert not any(w.disabled for kind in INPUT_KINDS for w in at.get(kind))


def test_a_typed_in_batch_size_that_is_not_whole_is_named_as_such():
    at = open_page("pages/2_Sweep.py")
    at.multiselect(key="sweep_batches").set_value([16, "2.5"]).run()
    assert not at.exception
    assert at.error[0].value == "Batch sizes: '2.5' is not a whole number."
    at.multiselect(key="sweep_batches").set_value([16, "1e3"]).run()  # a whole number, written with an exponent
    assert not at.error and "**4 runs**" in at.markdown[1].value  # 2 batch sizes x 2 learning rates


def test_a_typed_in_learning_rate_of_1e400_is_not_a_number_in_korean_either():
    at = open_page("pages/2_Sweep.py", "한국어")
    at.multiselect(key="sweep_lrs").set_value([0.01, "1e400"]).run()
    assert not at.exception
    assert at.error[0].value == "학습률: '1e400'은(는) 숫자가 아닙니다."


def test_the_critical_batch_accuracy_target_cannot_go_above_one():
    at = open_page("pages/7_Critical_Batch.py")
    target = at.number_input(key="cb_target_val_acc")
    assert (target.min, target.max) == (0.0, 1.0)
    target.set_value(1e12).run()
    assert at.number_input(key="cb_target_val_acc").value == 0.8  # refused: an accuracy is at most 1


# ---------------------------------------------------------------------- malformed links

LINKS = [
    # the home page: its calculator and the language selector are in the link
    ("app.py", {"calc_n": "abc"}, "calc_n=abc"),
    ("app.py", {"calc_b": "nan"}, "calc_b=nan"),
    ("app.py", {"calc_e": "-1"}, "calc_e=-1"),
    ("app.py", {"calc_n": "0"}, "calc_n=0"),
    ("app.py", {"calc_b": "1e12"}, "A batch of 1000000000000 is larger than the 2000 samples"),
    ("app.py", {"calc_b": ["32", "64"]}, "calc_b=32,64"),
    ("app.py", {"lang": "Klingon"}, "lang=Klingon"),
    ("app.py", {"utm_source": "mail"}, "utm_source (not a setting of this page)"),
    # Train
    ("pages/1_Train.py", {"batch_size": "nan"}, "batch_size=nan"),
    ("pages/1_Train.py", {"batch_size": "0"}, "batch_size=0"),
    ("pages/1_Train.py", {"batch_size": "-1"}, "batch_size=-1"),
    ("pages/1_Train.py", {"batch_size": "2.5"}, "batch_size=2.5"),
    ("pages/1_Train.py", {"batch_size": "1e12"},
     "The 'batch_size' parameter of TrainConfig must be an int in the range [1, 1e+06]. Got 1000000000000 instead."),
    ("pages/1_Train.py", {"batch_size": ["32", "64"]}, "batch_size=32,64"),
    ("pages/1_Train.py", {"learning_rate": "0"}, "learning_rate=0"),
    ("pages/1_Train.py", {"learning_rate": "-0.1"}, "learning_rate=-0.1"),
    ("pages/1_Train.py", {"learning_rate": "inf"}, "learning_rate=inf"),
    ("pages/1_Train.py", {"learning_rate": "1e400"}, "learning_rate=1e400"),
    ("pages/1_Train.py", {"learning_rate": "1e12"}, "learning_rate=1e12"),
    ("pages/1_Train.py", {"epochs": "0"}, "epochs=0"),
    ("pages/1_Train.py", {"epochs": "1e12"}, "epochs=1e12"),
    ("pages/1_Train.py", {"epochs": "nan"}, "epochs=nan"),
    ("pages/1_Train.py", {"seed": "-1"}, "seed=-1"),
    ("pages/1_Train.py", {"seed": "abc"}, "seed=abc"),
    ("pages/1_Train.py", {"val_fraction": "0.9"}, "val_fraction=0.9"),
    ("pages/1_Train.py", {"val_fraction": "nan"}, "val_fraction=nan"),
    ("pages/1_Train.py", {"momentum": "1"}, "momentum=1"),
    ("pages/1_Train.py", {"weight_decay": "-1"}, "weight_decay=-1"),
    ("pages/1_Train.py", {"max_samples_mnist1d": "1e12"},
     "The 'max_samples' parameter of TrainConfig must be an int in the range [0, 1e+07]. Got 1000000000000 instead."),
    ("pages/1_Train.py", {"max_samples_mnist1d": "99999999999999999999"}, "max_samples_mnist1d=99999999999999999999"),
    ("pages/1_Train.py", {"optimizer": "rmsprop"}, "optimizer=rmsprop"),
    ("pages/1_Train.py", {"model_mnist1d": "resnet"}, "model_mnist1d=resnet"),
    ("pages/1_Train.py", {"device": "tpu"}, "device=tpu"),
    ("pages/1_Train.py", {"early_stopping": "maybe"}, "early_stopping=maybe"),
    ("pages/1_Train.py", {"dataset": "CIFAR-10", "classes": ["0", "99"]}, "classes=0,99"),
    ("pages/1_Train.py", {"batchsize": "32"}, "batchsize (not a setting of this page)"),
    # Sweep
    ("pages/2_Sweep.py", {"sweep_repeats": "1e9"}, "sweep_repeats=1e9"),
    ("pages/2_Sweep.py", {"sweep_repeats": "0"}, "sweep_repeats=0"),
    ("pages/2_Sweep.py", {"sweep_preset": "seed999"}, "sweep_preset=seed999"),
    ("pages/2_Sweep.py", {"sweep_epochs": "-1"}, "sweep_epochs=-1"),
    ("pages/2_Sweep.py", {"sweep_batches": "abc"}, "Batch sizes: 'abc' is not a number."),
    ("pages/2_Sweep.py", {"sweep_batches": "0"}, "Batch sizes must be positive; got '0'."),
    ("pages/2_Sweep.py", {"sweep_batches": "2.5"}, "Batch sizes: '2.5' is not a whole number."),
    ("pages/2_Sweep.py", {"sweep_batches": "1e12"},
     "The 'batch_size' parameter of TrainConfig must be an int in the range [1, 1e+06]. Got 1000000000000 instead."),
    ("pages/2_Sweep.py", {"sweep_lrs": "nan"}, "Learning rates: 'nan' is not a number."),
    ("pages/2_Sweep.py", {"sweep_lrs": "1e400"}, "Learning rates: '1e400' is not a number."),
    ("pages/2_Sweep.py", {"sweep_lrs": ["0.1", "-1"]}, "Learning rates must be positive; got '-1'."),
    ("pages/2_Sweep.py", {"sweep_grid": "4x4"}, "sweep_grid (not a setting of this page)"),
    # Calculator
    ("pages/4_Calculator.py", {"scale_new_batch": "0"}, "scale_new_batch=0"),
    ("pages/4_Calculator.py", {"scale_new_batch": ["1", "2"]}, "scale_new_batch=1,2"),
    ("pages/4_Calculator.py", {"scale_old_lr": "nan"}, "scale_old_lr=nan"),
    ("pages/4_Calculator.py", {"scale_old_lr": "-1"}, "scale_old_lr=-1"),
    ("pages/4_Calculator.py", {"scale_old_batch": "1e12"},
     "The 'old_batch' (1000000000000) is larger than the 3200 training samples"),
    ("pages/4_Calculator.py", {"scale_n": "abc"}, "scale_n=abc"),
    ("pages/4_Calculator.py", {"scale_epochs": "1e12"}, "scale_epochs=1e12"),
    ("pages/4_Calculator.py", {"scale_verify_epochs": "1e12"}, "scale_verify_epochs=1e12"),
    ("pages/4_Calculator.py", {"scale_optimizer": "rmsprop"}, "scale_optimizer=rmsprop"),
    ("pages/4_Calculator.py", {"scale_dataset": "imagenet"}, "scale_dataset=imagenet"),
    ("pages/4_Calculator.py", {"k": "4"}, "k (not a setting of this page)"),
]


@pytest.mark.parametrize("page, params, named", LINKS, ids=[f"{p}-{v}" for p, v, _ in LINKS])
def test_a_malformed_link_value_gives_a_notice_that_names_it_and_no_exception(page, params, named):
    at = open_page(page, lang=None, params=params)
    assert not at.exception
    notices = messages(at)["warning"] + messages(at)["error"]
    assert any(named in text for text in notices), notices


@pytest.mark.parametrize("page, params, named", [
    ("app.py", {"calc_b": "nan"}, "이 링크의 일부 값이 이 페이지에 맞지 않아 그대로 쓰지 않았습니다: calc_b=nan."),
    ("pages/1_Train.py", {"epochs": "-5", "bogus": "1"},
     "이 링크의 일부 값이 이 페이지에 맞지 않아 그대로 쓰지 않았습니다: epochs=-5, bogus (이 페이지의 설정이 아님)."),
    ("pages/1_Train.py", {"batch_size": "1e12"},
     "TrainConfig의 'batch_size' 값은 [1, 1e+06] 범위의 정수여야 합니다. 입력된 값: 1000000000000."),
    ("pages/2_Sweep.py", {"sweep_batches": "abc"}, "배치 크기: 'abc'은(는) 숫자가 아닙니다."),
    ("pages/4_Calculator.py", {"scale_old_lr": "0"}, "이 링크의 일부 값이 이 페이지에 맞지 않아 그대로 쓰지 않았습니다: scale_old_lr=0."),
])
def test_a_malformed_link_value_gives_its_notice_in_korean(page, params, named):
    at = open_page(page, lang="한국어", params=params)
    assert not at.exception
    assert named in messages(at)["warning"] + messages(at)["error"]


def test_a_link_whose_language_is_repeated_is_named_and_the_first_one_is_used():
    at = open_page("app.py", lang=None, params={"lang": ["한국어", "English"]})
    assert not at.exception
    assert at.warning[0].value == "이 링크의 일부 값이 이 페이지에 맞지 않아 그대로 쓰지 않았습니다: lang=한국어,English."


def test_a_valid_link_gives_no_notice_on_any_of_the_linked_pages():
    """The other side of the notices above: a link that fits says nothing."""
    for page, params in [("app.py", {"calc_n": "320", "calc_b": "32", "lang": "English"}),
                         ("pages/1_Train.py", {"batch_size": "128", "learning_rate": "0.05", "epochs": "3"}),
                         ("pages/2_Sweep.py", {"sweep_repeats": "2", "sweep_lrs": ["0.01", "0.1"]}),
                         ("pages/4_Calculator.py", {"scale_old_lr": "0.2", "scale_new_batch": "512"})]:
        at = open_page(page, lang=None, params=params)
        assert not at.exception and not at.warning and not at.error, (page, messages(at))
    at = open_page("app.py", lang=None, params={"calc_n": "320", "calc_b": "32"})
    assert {m.label: m.value for m in at.metric}["Updates per epoch"] == "10"


@pytest.mark.parametrize("run", ["not-a-run", "x" * 5000, "../../etc/passwd", "' OR 1=1 --", "%00", "🧪",
                                 ["a", "b"]])
def test_a_link_to_a_run_that_is_not_there_says_so(run):
    at = open_page("pages/1_Train.py", lang=None, params={"run": run})
    assert not at.exception
    assert at.info[0].value.startswith("The run in this link is not on the server any more")


def test_a_link_to_a_run_that_is_not_there_says_so_in_korean():
    at = open_page("pages/1_Train.py", lang="한국어", params={"run": "0123456789abcdef"})
    assert not at.exception
    assert HANGUL.search(at.info[0].value) and "0123456789abcdef" not in at.info[0].value


# ---------------------------------------------------------------------- malformed imports, in the store

def tiny_result() -> RunResult:
    """Two epochs of linear regression, written by hand (no training needed): 25 updates per epoch."""
    config = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1, batch_size=32,
                         epochs=2)
    rows = [{"epoch": e, "step": 25 * e, "samples": 800 * e, "time_s": 0.1 * e, "lr": 0.1, "train_loss": 1.0 / e,
             "val_loss": 1.1 / e, "train_acc": math.nan, "val_acc": math.nan} for e in (1, 2)]
    return RunResult(config=config, status="completed", rows=rows, step_losses=[0.5] * 50, wall_time=0.2,
                     best_epoch=2)


@pytest.fixture
def store(tmp_path) -> RunStore:
    store = RunStore(tmp_path / "runs.sqlite")
    store.save(tiny_result(), name="good", tags=("kept",))
    return store


def snapshot(store: RunStore) -> tuple[pd.DataFrame, str]:
    """Every run's summary and its full content."""
    runs = store.runs()
    return runs, store.export_json(runs["id"].tolist())


def assert_unchanged(store: RunStore, before: tuple[pd.DataFrame, str]) -> None:
    after = snapshot(store)
    assert len(after[0]) == len(before[0])
    pd.testing.assert_frame_equal(after[0], before[0])
    assert after[1] == before[1]


def korean(error: StoreError) -> str:
    """The message as the app shows it in Korean; fails if a part of it has no Korean."""
    def keys(message) -> list[str]:
        if not isinstance(message, Message):
            return []
        return [message.key, *(k for v in message.values.values() for k in keys(v))]

    assert [key for key in keys(error.message) if key not in CORE] == []
    return error.message.render(lambda message: CORE.get(message.key))


def exported(store: RunStore) -> dict:
    return json.loads(store.export_json(store.runs()["id"].tolist()))


def change(edit):
    """A JSON document with its first run edited by `edit(run)`."""
    def make(document: dict) -> str:
        document = copy.deepcopy(document)
        edit(document["runs"][0])
        return json.dumps(document)
    return make


def config(**values):
    return change(lambda run: run["result"]["config"].update(values))


def row(number: int, **values):
    return change(lambda run: run["result"]["rows"][number - 1].update(values))


HUGE = 10**400
SHOWN_HUGE = "1" + "0" * 56 + "..."  # how a message shows a value too long to print

BAD_JSON = {
    "an empty file": (lambda doc: b"", "This is not valid JSON: Expecting value at line 1, column 1."),
    "binary garbage": (lambda doc: bytes(range(256)), "The file is not UTF-8 text (byte 128 cannot be read)."),
    "NUL bytes": (lambda doc: b"\x00\x00\x00", "This is not valid JSON: Expecting value at line 1, column 1."),
    "truncated JSON": (lambda doc: json.dumps(doc)[:-7].encode(), "This is not valid JSON: "),
    "a CSV file given as JSON": (lambda doc: "run_id,name\nabc,x\n", "This is not valid JSON: "),
    "a wrong format marker": (lambda doc: json.dumps({**doc, "format": "batchlab-run"}),
                              'This is not a Batch Lab runs file: it needs "format": "batchlab-runs".'),
    "no format marker": (lambda doc: json.dumps(doc["runs"]),
                         'This is not a Batch Lab runs file: it needs "format": "batchlab-runs".'),
    "a schema of NaN": (lambda doc: json.dumps({**doc, "schema": math.nan}),
                        "This runs file was written by schema nan; this Batch Lab reads schemas 1 and 2."),
    "runs that are not a list": (lambda doc: json.dumps({**doc, "runs": "all"}), "'runs' must be a list of runs."),
    "too many runs": (lambda doc: json.dumps({**doc, "runs": doc["runs"] * 1001}),
                      "The file holds 1001 runs; at most 1000 are imported at once."),
    "an oversized file": (lambda doc: " " * (MAX_IMPORT_BYTES + 1),
                          "The file is 20,000,001 bytes; at most 20,000,000 are imported."),
    "a number of 5000 digits": (lambda doc: '{"format": "batchlab-runs", "schema": 2, "runs": [' + "9" * 5000 + "]}",
                                "This JSON holds a number with more than 4,300 digits; a Batch Lab runs file has "
                                "none."),
    "nesting 100,000 deep": (lambda doc: "[" * 100_000 + "]" * 100_000,
                             "This JSON is nested too deeply to be a Batch Lab runs file."),
    "a NaN learning rate": (config(learning_rate=math.nan),
                            "run 1: The 'learning_rate' parameter of TrainConfig must be a float in the range "
                            "(0, 1000]. Got nan instead."),
    "a negative batch size": (config(batch_size=-32), "run 1: The 'batch_size' parameter of TrainConfig must be an "
                                                      "int in the range [1, 1e+06]. Got -32 instead."),
    "a zero learning rate": (config(learning_rate=0), "run 1: The 'learning_rate' parameter of TrainConfig must be "
                                                      "a float in the range (0, 1000]. Got 0.0 instead."),
    "a huge number of epochs": (config(epochs=10**12), "run 1: The 'epochs' parameter of TrainConfig must be an int "
                                                        "in the range [1, 10000]. Got 1000000000000 instead."),
    "an infinite batch size": (config(batch_size=math.inf), "run 1: The 'batch_size' parameter of TrainConfig must "
                                                            "be an int in the range [1, 1e+06]. Got inf instead."),
    "a seed written as text": (config(seed="0"), "run 1: The 'seed' parameter of TrainConfig must be an int in the "
                                                 "range [0, 2.14748e+09]. Got '0' instead."),
    "a whole-number batch size written as a float": (
        config(batch_size=32.0), "run 1: The 'batch_size' parameter of TrainConfig must be an int in the range "
                                 "[1, 1e+06]. Got 32.0 instead."),
    "classes that are a number": (config(classes=5), "run 1: The 'classes' parameter applies to cifar10 only; "
                                                     "leave it empty for 'linear'."),
    "an unknown setting": (config(warmup=5), "run 1: Unknown TrainConfig field(s): warmup."),
    "settings that are a list": (change(lambda run: run["result"].update(config=[1, 2])),
                                 "run 1: 'config' must be an object of settings."),
    "a NaN time in a row": (row(1, time_s=math.nan),
                            "run 1: row 1: 'time_s' must be a finite number of at least 0, got nan."),
    "a negative loss in a row": (row(2, val_loss=-1), "run 1: row 2: 'val_loss' cannot be negative, got -1.0."),
    "an accuracy of 1e12 in a row": (row(1, train_acc=1e12), "run 1: row 1: 'train_acc' must be from 0 to 1 (or "
                                                             "NaN where none was measured), got 1000000000000.0."),
    "a huge step in a row": (row(1, step=10**30), "run 1: row 1: 'step' must be in 0..9223372036854775807, got "
                                                  "1000000000000000000000000000000."),
    "a negative sample count in a row": (row(1, samples=-800),
                                         "run 1: row 1: 'samples' must be in 0..9223372036854775807, got -800."),
    "an epoch number written as text": (row(1, epoch="1"), "run 1: row 1: 'epoch' must be an integer, got '1'."),
    "a loss that is a list": (row(1, train_loss=[1.0]), "run 1: row 1: 'train_loss' must be a number, got [1.0]."),
    "rows that are not objects": (change(lambda run: run["result"].update(rows=[1, 2])),
                                  "run 1: 'rows' must be a list of epoch rows."),
    "a step loss beyond the largest float": (change(lambda run: run["result"]["step_losses"].__setitem__(0, HUGE)),
                                             f"run 1: step loss 1 must be a number of at most 1.8e308, got "
                                             f"{SHOWN_HUGE}."),
    "a test accuracy beyond the largest float": (change(lambda run: run["result"].update(test_acc=HUGE)),
                                                 f"run 1: 'test_acc' must be a number of at most 1.8e308, got "
                                                 f"{SHOWN_HUGE}."),
    "a sharpness beyond the largest float": (change(lambda run: run["result"].update(sharpness=HUGE)),
                                             f"run 1: 'sharpness' must be a number of at most 1.8e308, got "
                                             f"{SHOWN_HUGE}."),
    "a creation time of NaN": (change(lambda run: run.update(created_at="NaN")),
                               "run 1: 'created_at' must be a finite time, got nan."),
    "a negative wall time": (change(lambda run: run["result"].update(wall_time=-1)),
                             "run 1: 'wall_time' must be a finite number of seconds, got -1.0."),
    "a best epoch past the rows": (change(lambda run: run["result"].update(best_epoch=99)),
                                   "run 1: 'best_epoch' must be in 1..2, got 99."),
    "a name that is a number": (change(lambda run: run.update(name=5)), "run 1: 'name' must be text, got 5."),
    "a name too long": (change(lambda run: run.update(name=LONG_TEXT)),
                        "run 1: 'name' is 10,001 characters long; at most 10,000 are allowed."),
    "tags that are text": (change(lambda run: run.update(tags="a,b")),
                           "run 1: 'tags' must be a list of at most 100 tags."),
    "an unknown source": (change(lambda run: run.update(source="admin")),
                          "run 1: 'source' must be 'user' or 'reference', got 'admin'."),
}


@pytest.mark.parametrize("case", BAD_JSON)
def test_a_malformed_json_import_names_the_problem_in_both_languages_and_changes_nothing(store, case):
    make, expected = BAD_JSON[case]
    text = make(exported(store))
    before = snapshot(store)
    with pytest.raises(StoreError) as error:
        store.import_json(text)
    if expected.endswith(": "):  # where a cut-off document fails depends on its length
        assert str(error.value).startswith(expected)
    else:
        assert str(error.value) == expected
    assert_unchanged(store, before)
    in_korean = korean(error.value)
    assert HANGUL.search(in_korean) and in_korean != str(error.value)


def csv_lines(store: RunStore) -> tuple[str, list[str]]:
    header, *lines = store.export_csv(store.runs()["id"].tolist()).splitlines()
    return header, lines


def with_cell(text: str, column: str, value: str, lines: int | None = None) -> str:
    """CSV `text` with `column` set to `value` on every line (or on the first `lines` lines)."""
    header, *rows = text.splitlines()
    at = header.split(",").index(column)
    edited = []
    for number, line in enumerate(rows):
        parts = line.split(",")
        if lines is None or number < lines:
            parts[at] = value
        edited.append(",".join(parts))
    return "\n".join([header, *edited]) + "\n"


def cells(store: RunStore, column: str, value: str) -> str:
    """The store's CSV export with `column` set to `value` on every line."""
    return with_cell(store.export_csv(store.runs()["id"].tolist()), column, value)


def truncated_mid_row(store: RunStore) -> str:
    header, lines = csv_lines(store)
    return "\n".join([header, lines[0], ",".join(lines[1].split(",")[:13])])  # cut after 13 of 30 cells


def many_runs(store: RunStore) -> str:
    header, lines = csv_lines(store)
    first = lines[0].split(",", 1)[1]
    return "\n".join([header, *(f"run{i},{first}" for i in range(1001))]) + "\n"


BAD_CSV = {
    "an empty file": (lambda store: b"", "The CSV file is empty; it needs a header line."),
    "blank lines only": (lambda store: "\n\n\n", "The CSV file is empty; it needs a header line."),
    "binary garbage": (lambda store: bytes(range(256)), "The file is not UTF-8 text (byte 128 cannot be read)."),
    "a file cut mid-row": (truncated_mid_row, "CSV line 3 has 13 cells; the header has 30."),
    "a file cut mid-header": (lambda store: csv_lines(store)[0][:40],
                              "The CSV header lacks the column(s) batch_size, classes, device, early_stopping, epoch "
                              "and 20 more; export a run to see the expected columns."),
    "an unterminated quote": (lambda store: cells(store, "name", "good") + '"abc,',
                              "CSV line 4 has 1 cells; the header has 30."),
    "a JSON file given as CSV": (lambda store: store.export_json(store.runs()["id"].tolist())[:200],
                                 None),
    "a cell of 200,000 characters": (lambda store: cells(store, "name", "x" * 200_000),
                                     "This is not a readable CSV file: field larger than field limit (131072) "
                                     "(line 2)."),
    "too many runs": (many_runs, "The file holds more than 1000 runs; at most 1000 are imported at once."),
    "a NaN learning rate": (lambda store: cells(store, "learning_rate", "nan"),
                            "run '{id}': The 'learning_rate' parameter of TrainConfig must be a float in the range "
                            "(0, 1000]. Got nan instead."),
    "a negative batch size": (lambda store: cells(store, "batch_size", "-32"),
                              "run '{id}': The 'batch_size' parameter of TrainConfig must be an int in the range "
                              "[1, 1e+06]. Got -32 instead."),
    "a batch size of 1e12": (lambda store: cells(store, "batch_size", "1e12"),
                             "CSV line 2: 'batch_size' must be an integer, got '1e12'."),
    "a batch size of 20 digits": (lambda store: cells(store, "batch_size", "9" * 20),
                                  "run '{id}': The 'batch_size' parameter of TrainConfig must be an int in the range "
                                  "[1, 1e+06]. Got 99999999999999999999 instead."),
    "zero epochs": (lambda store: cells(store, "epochs", "0"),
                    "run '{id}': The 'epochs' parameter of TrainConfig must be an int in the range [1, 10000]. "
                    "Got 0 instead."),
    "a yes-or-no setting that is neither": (lambda store: cells(store, "early_stopping", "maybe"),
                                            "CSV line 2: 'early_stopping' must be true or false, got 'maybe'."),
    "classes that are not numbers": (lambda store: cells(store, "classes", "1;cat"),
                                     "CSV line 2: 'classes' must be integers separated by ';', got '1;cat'."),
    "a NaN learning rate in the history": (lambda store: cells(store, "lr", "nan"),
                                           "run '{id}': row 1: 'lr' must be a finite number of at least 0, got nan."),
    "a negative time in the history": (lambda store: cells(store, "time_s", "-1"),
                                       "run '{id}': row 1: 'time_s' must be a finite number of at least 0, got -1.0."),
    "a negative loss in the history": (lambda store: cells(store, "train_loss", "-0.5"),
                                       "run '{id}': row 1: 'train_loss' cannot be negative, got -0.5."),
    "an accuracy of 2 in the history": (lambda store: cells(store, "val_acc", "2"),
                                        "run '{id}': row 1: 'val_acc' must be from 0 to 1 (or NaN where none was "
                                        "measured), got 2.0."),
    "a step of 5000 digits": (lambda store: cells(store, "step", "9" * 5000),
                              "CSV line 2: 'step' must be an integer, got '" + "9" * 56 + "...."),
    "a step of -5": (lambda store: cells(store, "step", "-5"),
                     "run '{id}': row 1: 'step' must be in 0..9223372036854775807, got -5."),
    "a time that is text": (lambda store: cells(store, "time_s", "soon"),
                            "CSV line 2: 'time_s' must be a number, got 'soon'."),
    "a sharpness of NaN": (lambda store: cells(store, "sharpness", "nan"),
                           "run '{id}': 'sharpness' must be a finite number or null, got nan."),
    "an unknown status": (lambda store: cells(store, "status", "great"),
                          "run '{id}': 'status' must be one of completed, stopped, diverged, early_stopped, got "
                          "'great'."),
}


@pytest.mark.parametrize("case", BAD_CSV)
def test_a_malformed_csv_import_names_the_problem_in_both_languages_and_changes_nothing(store, case):
    make, expected = BAD_CSV[case]
    text = make(store)
    before = snapshot(store)
    with pytest.raises(StoreError) as error:
        store.import_csv(text)
    if expected is None:
        assert str(error.value).startswith("The CSV header lacks the column(s) ")
    else:
        assert str(error.value) == expected.format(id=store.runs()["id"][0])
    assert_unchanged(store, before)
    in_korean = korean(error.value)
    assert HANGUL.search(in_korean) and in_korean != str(error.value)


def test_the_good_exports_the_malformed_cases_start_from_do_import(store):
    """The cases above fail for the fault put in, not for a fault in the file they start from."""
    document, text = exported(store), cells(store, "name", "good")
    assert len(store.import_json(json.dumps(document))) == 1
    assert len(store.import_csv(text)) == 1
    assert store.count() == 3


# ---------------------------------------------------------------------- malformed imports, on the Compare page

@pytest.fixture(scope="module")
def compare_pages() -> dict[str, AppTest]:
    """One Compare page per language, reused: a rejected import changes nothing on it."""
    return {}


def compare_page(pages: dict[str, AppTest], lang: str) -> AppTest:
    if lang not in pages:
        pages[lang] = open_page("pages/3_Compare.py", lang)
    return pages[lang]


def app_store() -> RunStore:
    return RunStore(default_store_path())  # the file the app's shared store uses (conftest's data folder)


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    kind = "text/csv" if name.endswith(".csv") else "application/json"
    at.file_uploader(key="compare_upload").set_value((name, data, kind)).run()
    at.button(key="compare_import").click().run()
    return at


def app_export(kind: str) -> str:
    store = app_store()
    ids = store.runs()["id"].tolist()[:1]
    return store.export_json(ids) if kind == "json" else store.export_csv(ids)


UPLOADS = {
    "truncated JSON": ("runs.json", lambda: app_export("json")[:-50].encode(), "This is not valid JSON: "),
    "truncated CSV": ("runs.csv", lambda: app_export("csv")[:-30].encode(), "CSV line "),
    "an empty JSON file": ("runs.json", lambda: b"", "This is not valid JSON: Expecting value at line 1, column 1."),
    "an empty CSV file": ("runs.csv", lambda: b"", "The CSV file is empty; it needs a header line."),
    "binary garbage": ("runs.json", lambda: bytes(range(255, -1, -1)),
                       "The file is not UTF-8 text (byte 0 cannot be read)."),
    "a wrong format marker": ("runs.json", lambda: app_export("json").replace('"batchlab-runs"', '"other"').encode(),
                              'This is not a Batch Lab runs file: it needs "format": "batchlab-runs".'),
    "a NaN setting": ("runs.json", lambda: re.sub(r'"learning_rate": [^,]+', '"learning_rate": NaN', app_export("json"),
                                                  count=1).encode(),
                      "run 1: The 'learning_rate' parameter of TrainConfig must be a float in the range (0, 1000]. "
                      "Got nan instead."),
    "a negative loss": ("runs.csv", lambda: with_cell(app_export("csv"), "train_loss", "-0.5", lines=1).encode(),
                        "run '{id}': row 1: 'train_loss' cannot be negative, got -0.5."),
    "a number of 5000 digits": ("runs.json", lambda: ('{"format": "batchlab-runs", "schema": ' + "9" * 5000
                                                      + ', "runs": []}').encode(),
                                "This JSON holds a number with more than 4,300 digits; a Batch Lab runs file has "
                                "none."),
}


@pytest.mark.parametrize("case", UPLOADS)
def test_the_compare_page_rejects_a_malformed_upload_with_a_message_and_keeps_the_store(compare_pages, case):
    name, make, expected = UPLOADS[case]
    data = make()
    for lang in LANGUAGES:
        at = compare_page(compare_pages, lang)
        before = snapshot(app_store())
        shown = len(at.dataframe[0].value)
        upload(at, name, data)
        assert not at.exception
        assert not at.success
        if lang == "English":
            first = app_store().runs()["id"][0]  # the run app_export() wrote
            assert at.error[0].value.startswith("Nothing was imported: " + expected.format(id=first))
        else:
            assert at.error[0].value.startswith("아무것도 가져오지 않았습니다: ") and HANGUL.search(at.error[0].value[16:])
        assert len(at.dataframe[0].value) == shown
        assert_unchanged(app_store(), before)


def test_the_compare_page_refuses_an_upload_over_the_servers_cap_before_reading_it(compare_pages, monkeypatch):
    monkeypatch.setenv("BATCHLAB_MAX_UPLOAD_MB", "1")
    data = b"{" + b" " * 1_499_999  # 1.5 MB, and not even JSON: it is never parsed
    for lang, expected in [("English", "Nothing was imported: the file is 1.5 MB and this server imports at most "
                                       "1 MB (BATCHLAB_MAX_UPLOAD_MB)."),
                           ("한국어", "아무것도 가져오지 않았습니다: 파일이 1.5 MB인데 이 서버는 최대 1 MB까지 가져옵니다 "
                                    "(BATCHLAB_MAX_UPLOAD_MB).")]:
        at = compare_page(compare_pages, lang)
        before = snapshot(app_store())
        upload(at, "runs.json", data)
        assert not at.exception
        assert at.error[0].value == expected
        assert_unchanged(app_store(), before)


@pytest.mark.parametrize("field, text, expected", [
    ("name", LONG_TEXT, "Could not save: The name is 10,001 characters long; at most 10,000 are allowed."),
    ("tags", ",".join(f"tag{i}" for i in range(101)), "Could not save: The tags must be a list of at most 100 tags."),
])
def test_renaming_or_tagging_a_run_with_bad_text_says_why_and_keeps_the_store(compare_pages, field, text, expected):
    at = compare_page(compare_pages, "English")
    target = at.selectbox(key="manage_run").value
    box = next(w for w in at.text_input if w.key == f"manage_{field}_{target}")
    original = box.value
    before = snapshot(app_store())
    box.set_value(text)
    at.run()
    at.button(key="manage_save").click().run()
    assert not at.exception
    assert at.error[0].value == expected
    next(w for w in at.text_input if w.key == f"manage_{field}_{target}").set_value(original)
    at.run()
    assert_unchanged(app_store(), before)
