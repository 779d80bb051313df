"""Malformed imports straight into the store: each is refused with a message naming the file's run,
row and field, in English and in Korean, and leaves the store exactly as it was."""

import copy
import json
import math

import pytest

from core.messages import Message
from core.runs.store import RunStore
from core.runs.stored import StoreError
from pages.ui.texts import CORE
from tests import HANGUL, LONG_TEXT
from tests.runs.documents import assert_unchanged, snapshot, with_cell


@pytest.fixture
def store(store, tiny_result) -> RunStore:
    """The fresh store, holding one good run."""
    store.save(tiny_result, name="good", tags=("kept",))
    return store


def korean(error: StoreError) -> str:
    """The message as the app shows it in Korean; fails if a part of it has no Korean."""
    def keys(message) -> list[str]:
        if not isinstance(message, Message):
            return []
        return [message.key, *(k for v in message.values.values() for k in keys(v))]

    assert isinstance(error.message, Message)
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
                        "This runs file was written by schema nan; this Batch Lab reads schemas 1, 2, 3, 4, 5, 6 "
                        "and 7."),
    "runs that are not a list": (lambda doc: json.dumps({**doc, "runs": "all"}), "'runs' must be a list of runs."),
    "too many runs": (lambda doc: json.dumps({**doc, "runs": doc["runs"] * 1001}),
                      "The file holds 1001 runs; at most 1000 are imported at once."),
    "an oversized file": (lambda doc: " " * (20_000_000 + 1),  # the default cap, BATCHLAB_MAX_UPLOAD_MB=20
                          "The file is 20.0 MB and this server imports at most 20 MB (BATCHLAB_MAX_UPLOAD_MB)."),
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
    "a sharpness_converged that is a number": (
        change(lambda run: run["result"].update(sharpness=2.5, sharpness_converged=1)),
        "run 1: 'sharpness_converged' must be true, false or null, got 1."),
    "a sharpness_converged that is text": (
        change(lambda run: run["result"].update(sharpness=2.5, sharpness_converged="true")),
        "run 1: 'sharpness_converged' must be true, false or null, got 'true'."),
    "a sharpness_converged without a sharpness": (
        change(lambda run: run["result"].update(sharpness=None, sharpness_converged=False)),
        "run 1: 'sharpness_converged' must be null when 'sharpness' is null (nothing was measured), got False."),
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


def cells(store: RunStore, column: str, value: str) -> str:
    """The store's CSV export with `column` set to `value` on every line."""
    return with_cell(store.export_csv(store.runs()["id"].tolist()), column, value)


def truncated_mid_row(store: RunStore) -> str:
    header, lines = csv_lines(store)
    return "\n".join([header, lines[0], ",".join(lines[1].split(",")[:13])])  # cut after 13 of 41 cells


def many_runs(store: RunStore) -> str:
    header, lines = csv_lines(store)
    first = lines[0].split(",", 1)[1]
    return "\n".join([header, *(f"run{i},{first}" for i in range(1001))]) + "\n"


BAD_CSV = {
    "an empty file": (lambda store: b"", "The CSV file is empty; it needs a header line."),
    "blank lines only": (lambda store: "\n\n\n", "The CSV file is empty; it needs a header line."),
    "binary garbage": (lambda store: bytes(range(256)), "The file is not UTF-8 text (byte 128 cannot be read)."),
    "a file cut mid-row": (truncated_mid_row, "CSV line 3 has 13 cells; the header has 41."),
    "a file cut mid-header": (lambda store: csv_lines(store)[0][:40],
                              "The CSV header lacks the column(s) batch_size, classes, dataset, device, "
                              "early_stopping and 21 more; export a run to see the expected columns."),
    "an unterminated quote": (lambda store: cells(store, "name", "good") + '"abc,',
                              "CSV line 4 has 1 cells; the header has 41."),
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
    "a sharpness_converged that is neither true nor false": (
        lambda store: with_cell(cells(store, "sharpness", "2.5"), "sharpness_converged", "yes"),
        "CSV line 2: 'sharpness_converged' must be true or false, got 'yes'."),
    "a sharpness_converged without a sharpness": (
        lambda store: cells(store, "sharpness_converged", "true"),
        "run '{id}': 'sharpness_converged' must be null when 'sharpness' is null (nothing was measured), got True."),
    "two sharpness_converged values for one run": (
        lambda store: with_cell(cells(store, "sharpness", "2.5"), "sharpness_converged", "true", lines=1),
        "CSV line 3: run '{id}' has 'sharpness_converged' '' here but 'true' on line 2; a run has one value."),
    "an unknown status": (lambda store: cells(store, "status", "great"),
                          "run '{id}': 'status' must be one of completed, stopped, diverged, early_stopped, unstable, "
                          "failed, interrupted, got 'great'."),
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




def test_the_upload_cap_is_the_servers_setting_a_raised_cap_takes_a_larger_file(store, monkeypatch):
    document = json.dumps(exported(store)) + " " * 25_000_000  # a valid export, 25 MB with trailing blanks
    with pytest.raises(StoreError, match=r"The file is 25.0 MB and this server imports at most 20 MB"):
        store.import_json(document)
    monkeypatch.setenv("BATCHLAB_MAX_UPLOAD_MB", "30")
    assert len(store.import_json(document)) == 1
    assert len(store.runs()) == 2
