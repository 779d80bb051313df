"""Malformed and unknown link parameters on every page: each is named in a notice, in the page's
language, and the page opens with its default there; a valid link gives no notice."""

import pytest
from streamlit.testing.v1 import AppTest

from tests import HANGUL


def notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning] + [e.value for e in at.error]


LINKS = [
    # the home page: its calculator and the language selector are in the link
    ("app.py", {"calc_n": "abc"}, "calc_n=abc"),
    ("app.py", {"calc_b": "nan"}, "calc_b=nan"),
    ("app.py", {"calc_e": "-1"}, "calc_e=-1"),
    ("app.py", {"calc_n": "0"}, "calc_n=0"),
    ("app.py", {"calc_b": "1e12"}, "calc_b=1e12"),  # above the batch size's own range
    ("app.py", {"calc_b": ["32", "64"]}, "calc_b=32,64"),
    ("app.py", {"lang": "Klingon"}, "lang=Klingon"),
    ("app.py", {"utm_source": "mail"}, "utm_source (not a setting of this page)"),
    # Train
    ("pages/1_Train.py", {"batch_size": "nan"}, "batch_size=nan"),
    ("pages/1_Train.py", {"batch_size": "0"}, "batch_size=0"),
    ("pages/1_Train.py", {"batch_size": "-1"}, "batch_size=-1"),
    ("pages/1_Train.py", {"batch_size": "2.5"}, "batch_size=2.5"),
    ("pages/1_Train.py", {"batch_size": "1e12"}, "batch_size=1e12"),
    ("pages/1_Train.py", {"batch_size": ["32", "64"]}, "batch_size=32,64"),
    ("pages/1_Train.py", {"learning_rate": "0"},
     "The 'learning_rate' parameter of TrainConfig must be a float in the range (0, 1000]. Got 0.0 instead."),
    ("pages/1_Train.py", {"learning_rate": "-0.1"},
     "The 'learning_rate' parameter of TrainConfig must be a float in the range (0, 1000]. Got -0.1 instead."),
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
    ("pages/1_Train.py", {"momentum": "1"},
     "The 'momentum' parameter of TrainConfig must be a float in the range [0, 1). Got 1.0 instead."),
    ("pages/1_Train.py", {"weight_decay": "-1"}, "weight_decay=-1"),
    ("pages/1_Train.py", {"max_samples_mnist1d": "1e12"}, "max_samples_mnist1d=1e12"),
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
    ("pages/4_Calculator.py", {"scale_old_lr": "-1"}, "The 'old_lr' must be a positive number. Got -1.0 instead."),
    ("pages/4_Calculator.py", {"scale_old_batch": "1e12"}, "scale_old_batch=1e12"),
    ("pages/4_Calculator.py", {"scale_n": "abc"}, "scale_n=abc"),
    ("pages/4_Calculator.py", {"scale_epochs": "1e12"}, "scale_epochs=1e12"),
    ("pages/4_Calculator.py", {"scale_verify_epochs": "1e12"}, "scale_verify_epochs=1e12"),
    ("pages/4_Calculator.py", {"scale_optimizer": "rmsprop"}, "scale_optimizer=rmsprop"),
    ("pages/4_Calculator.py", {"scale_dataset": "imagenet"}, "scale_dataset=imagenet"),
    ("pages/4_Calculator.py", {"k": "4"}, "k (not a setting of this page)"),
]


@pytest.mark.parametrize("page, params, named", LINKS, ids=[f"{p}-{v}" for p, v, _ in LINKS])
def test_a_malformed_link_value_gives_a_notice_that_names_it_and_no_exception(page, params, named, open_page):
    at = open_page(page, language=None, params=params)
    assert not at.exception
    said = notices(at)
    assert any(named in text for text in said), said


@pytest.mark.parametrize("page, params, named", [
    ("app.py", {"calc_b": "nan"}, "이 링크의 일부 값이 이 페이지에 맞지 않아 그대로 쓰지 않았습니다: calc_b=nan."),
    ("pages/1_Train.py", {"epochs": "-5", "bogus": "1"},
     "이 링크의 일부 값이 이 페이지에 맞지 않아 그대로 쓰지 않았습니다: epochs=-5, bogus (이 페이지의 설정이 아님)."),
    ("pages/1_Train.py", {"learning_rate": "-0.1"},
     "TrainConfig의 'learning_rate' 값은 (0, 1000] 범위의 실수여야 합니다. 입력된 값: -0.1."),
    ("pages/2_Sweep.py", {"sweep_batches": "abc"}, "배치 크기: 'abc'은(는) 숫자가 아닙니다."),
    ("pages/4_Calculator.py", {"scale_old_lr": "0"}, "이 링크의 일부 값이 이 페이지에 맞지 않아 그대로 쓰지 "
                                                     "않았습니다: scale_old_lr=0."),
])
def test_a_malformed_link_value_gives_its_notice_in_korean(page, params, named, open_page):
    at = open_page(page, language="한국어", params=params)
    assert not at.exception
    assert named in notices(at)


def test_a_link_whose_language_is_repeated_is_named_and_the_first_one_is_used(open_page):
    at = open_page("app.py", language=None, params={"lang": ["한국어", "English"]})
    assert not at.exception
    assert at.warning[0].value == ("이 링크의 일부 값이 이 페이지에 맞지 않아 그대로 쓰지 않았습니다: "
                                   "lang=한국어,English.")


def test_a_valid_link_gives_no_notice_on_any_of_the_linked_pages(open_page):
    """The other side of the notices above: a link that fits says nothing."""
    for page, params in [("app.py", {"calc_n": "320", "calc_b": "32", "lang": "English"}),
                         ("pages/1_Train.py", {"batch_size": "128", "learning_rate": "0.05", "epochs": "3"}),
                         ("pages/2_Sweep.py", {"sweep_repeats": "2", "sweep_lrs": ["0.01", "0.1"]}),
                         ("pages/4_Calculator.py", {"scale_old_lr": "0.2", "scale_new_batch": "512"})]:
        at = open_page(page, language=None, params=params)
        assert not at.exception and not at.warning and not at.error, (page, notices(at))
    at = open_page("app.py", language=None, params={"calc_n": "320", "calc_b": "32"})
    assert {m.label: m.value for m in at.metric}["Updates per epoch"] == "10"


def test_a_link_value_at_a_widgets_minimum_or_a_checkbox_turned_off_opens_as_written(open_page):
    """Streamlit drops a link value equal to the widget's own default: each opens at the config's."""
    at = open_page("pages/1_Train.py", language=None,
                   params={"epochs": "1", "batch_size": "1", "seed": "0", "restore_best": "false"})
    assert not at.exception and not at.warning, notices(at)
    assert [at.number_input(key=k).value for k in ("epochs", "batch_size", "seed")] == [1, 1, 0]
    assert at.checkbox(key="restore_best").value is False
    plain = open_page("pages/1_Train.py", language=None)
    assert [plain.number_input(key=k).value for k in ("epochs", "batch_size", "seed")] == [15, 64, 0]
    assert plain.checkbox(key="restore_best").value is True


@pytest.mark.parametrize("run", ["not-a-run", "x" * 5000, "../../etc/passwd", "' OR 1=1 --", "%00", "🧪",
                                 ["a", "b"]])
def test_a_link_to_a_run_that_is_not_there_says_so(run, open_page):
    at = open_page("pages/1_Train.py", language=None, params={"run": run})
    assert not at.exception
    assert at.info[0].value.startswith("The run in this link is not on the server any more")


def test_a_link_to_a_run_that_is_not_there_says_so_in_korean(open_page):
    at = open_page("pages/1_Train.py", language="한국어", params={"run": "0123456789abcdef"})
    assert not at.exception
    assert HANGUL.search(at.info[0].value) and "0123456789abcdef" not in at.info[0].value




@pytest.mark.parametrize("language", ["English", "한국어"])
def test_a_link_carries_ids_so_it_opens_the_same_settings_in_either_language(open_page, language):
    at = open_page("pages/2_Sweep.py", language=language, params={"sweep_preset": "seed001"})
    assert not at.exception and not at.warning
    assert at.selectbox(key="sweep_preset").value == "seed001"
    assert at.query_params["sweep_preset"] == "seed001"  # the id, never the preset's title in this language
    custom = open_page("pages/2_Sweep.py", language=language, params={"sweep_repeats": "2"})
    assert not custom.warning and custom.number_input(key="sweep_repeats").value == 2
    train = open_page("pages/1_Train.py", language=language, params={"optimizer": "momentum", "dataset": "digits"})
    assert not train.warning
    assert (train.selectbox(key="optimizer").value, train.selectbox(key="dataset").value) == ("momentum", "digits")


def test_choosing_an_option_writes_its_id_into_the_link(open_page):
    at = open_page("pages/1_Train.py", language="한국어")
    at.selectbox(key="optimizer").select("sgd").run()
    assert at.query_params["optimizer"] == "sgd"
    at.selectbox(key="dataset").select("cifar10").run()  # its classes are a choice of named options too
    assert at.query_params["dataset"] == "cifar10" and at.query_params["classes"] == ["0", "1", "2"]


def test_a_display_name_from_an_older_link_still_opens_its_option(open_page):
    at = open_page("pages/4_Calculator.py", language=None, params={"scale_optimizer": "Adam"})
    assert not at.warning and at.selectbox(key="scale_optimizer").value == "adam"


def test_a_shared_page_offers_its_link_with_the_settings_and_a_qr_code(open_page):
    at = open_page("pages/2_Sweep.py", params={"sweep_preset": "seed003"})
    share = next(e for e in at.expander if e.label == "Share these settings with the class")
    link = share.code[0].value
    assert link.startswith("pages/2_Sweep.py?") and "sweep_preset=seed003" in link
    assert len(share.get("image")) == 1  # the QR code of the same link
