"""Malformed uploads on the Compare page: a message in the page's language, never a traceback, and
the app's run store unchanged; the server's upload cap; names and tags the store refuses."""

import re
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from core.runs.ownership import owner_id
from core.runs.store import RunStore
from core.settings import store_path
from core.training.config import TrainConfig
from core.training.engine import train
from tests import HANGUL, LANGUAGES, LONG_TEXT
from tests.runs.documents import assert_unchanged, snapshot, with_cell

SECRET = "compare-uploads-owner-secret"  # the sessions' owner secret: the newest run is theirs to rename


@pytest.fixture(scope="module")
def compare_page(open_page) -> Callable[[str], AppTest]:
    """The Compare page in a language, one session per language reused: a rejected import changes nothing on
    it. Its newest stored run (the first one picked) is the session's own, so it may rename and tag it."""
    pages: dict[str, AppTest] = {}
    app_store().save(train(TrainConfig(dataset="linear", model="linear", epochs=1)), owner=owner_id(SECRET))

    def in_language(language: str) -> AppTest:
        if language not in pages:
            pages[language] = open_page("pages/3_Compare.py", language, _owner_secret=SECRET)
        return pages[language]

    return in_language


def app_store() -> RunStore:
    return RunStore(store_path())  # the file the app's shared store uses (conftest's data folder)


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
def test_the_compare_page_rejects_a_malformed_upload_with_a_message_and_keeps_the_store(compare_page, case):
    name, make, expected = UPLOADS[case]
    data = make()
    for lang in LANGUAGES:
        at = compare_page(lang)
        before = snapshot(app_store())
        shown = len(at.dataframe[0].value)
        upload(at, name, data)
        assert not at.exception
        assert not at.success
        if lang == "English":
            first = app_store().runs()["id"][0]  # the run app_export() wrote
            assert at.error[0].value.startswith("Nothing was imported: " + expected.format(id=first))
        else:
            said = at.error[0].value
            assert said.startswith("아무것도 가져오지 않았습니다: ") and HANGUL.search(said[16:])
        assert len(at.dataframe[0].value) == shown
        assert_unchanged(app_store(), before)


def test_the_compare_page_refuses_an_upload_over_the_servers_cap_before_reading_it(compare_page, monkeypatch):
    monkeypatch.setenv("BATCHLAB_MAX_UPLOAD_MB", "1")
    data = b"{" + b" " * 1_499_999  # 1.5 MB, and not even JSON: it is never parsed
    for lang, expected in [("English", "Nothing was imported: The file is 1.5 MB and this server imports at most "
                                       "1 MB (BATCHLAB_MAX_UPLOAD_MB)."),
                           ("한국어", "아무것도 가져오지 않았습니다: 파일이 1.5 MB인데 이 서버는 최대 1 MB까지 "
                                   "가져옵니다 "
                                    "(BATCHLAB_MAX_UPLOAD_MB).")]:
        at = compare_page(lang)
        before = snapshot(app_store())
        upload(at, "runs.json", data)
        assert not at.exception
        assert at.error[0].value == expected
        assert_unchanged(app_store(), before)


@pytest.mark.parametrize("field, text, expected", [
    ("name", LONG_TEXT, "Could not save: The name is 10,001 characters long; at most 10,000 are allowed."),
    ("tags", ",".join(f"tag{i}" for i in range(101)), "Could not save: The tags must be a list of at most 100 tags."),
])
def test_renaming_or_tagging_a_run_with_bad_text_says_why_and_keeps_the_store(compare_page, field, text, expected):
    at = compare_page("English")
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
