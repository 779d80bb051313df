import ast
import pickle
import re
import string

import pytest
from streamlit.testing.v1 import AppTest

from core.messages import Message
from core.settings import ConfigError
from core.training.config import TrainConfig
from pages.ui.texts import CORE, TEXT
from tests import ROOT

USED = sorted({key for path in [ROOT / "app.py", *ROOT.glob("pages/**/*.py")]
               for key in re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]*[a-z_])["']""", path.read_text())})


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_string_has_english_and_korean_with_the_same_placeholders(key):
    assert set(TEXT[key]) == {"en", "ko"}
    assert TEXT[key]["en"].strip() and TEXT[key]["ko"].strip()
    assert placeholders(TEXT[key]["en"]) == placeholders(TEXT[key]["ko"])


def test_every_key_the_pages_use_is_in_the_table():
    assert [key for key in USED if key not in TEXT] == []
    assert len(USED) > 50


def test_a_link_with_lang_opens_the_app_in_korean():
    # AppTest's switch_page does not carry a bound query parameter to the next page (a browser does,
    # checked by hand and in tests/e2e), so this opens the home page itself.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "한국어"
    at.run()
    assert not at.exception
    assert [h.value for h in at.header][:2] == ["여기서 시작하세요", "네 가지 용어"]
    assert at.metric[0].label == "에폭당 업데이트"


def test_the_glossary_lists_the_seed_posts_terms_in_both_languages(open_page):
    at = open_page("pages/8_Glossary.py")
    terms = " ".join(at.dataframe[0].value.iloc[:, 0])
    for korean in ("배치 크기", "학습률", "에폭", "스텝", "과적합", "일반화"):
        assert korean in terms


def core_messages() -> dict[str, str]:
    """Every Message(key, template, ...) written in core/, read from the source: key -> English template."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Message" and path.stem != "messages":
                key, template = node.args[:2]
                key_text = key.value if isinstance(key, ast.Constant) else None
                template_text = template.value if isinstance(template, ast.Constant) else None
                assert isinstance(key_text, str) and isinstance(template_text, str), (
                    f"{path.name}:{node.lineno}: a Message needs a literal key and template (not an f-string)")
                assert found.setdefault(key_text, template_text) == template_text, (
                    f"{path.name}:{node.lineno}: the key {key_text!r} is used with two templates")
    return found


CORE_MESSAGES = core_messages()


def test_core_says_many_things_and_every_one_has_korean_with_the_same_placeholders():
    assert len(CORE_MESSAGES) > 30
    assert sorted(set(CORE_MESSAGES) - set(CORE)) == []
    assert sorted(set(CORE) - set(CORE_MESSAGES)) == []  # no stale translations
    for key, english in CORE_MESSAGES.items():
        assert placeholders(CORE[key]) == placeholders(english), key


def test_a_config_error_reads_in_korean_with_its_words_translated_too():
    with pytest.raises(ConfigError) as caught:
        TrainConfig(learning_rate=0.0)
    english = "The 'learning_rate' parameter of TrainConfig must be a float in the range (0, 1000]. Got 0.0 instead."
    assert str(caught.value) == english
    korean = caught.value.message.render(lambda message: CORE.get(message.key))
    assert korean == "TrainConfig의 'learning_rate' 값은 (0, 1000] 범위의 실수여야 합니다. 입력된 값: 0.0."


def test_a_message_survives_pickling_and_the_error_carrying_it_too():
    error = ConfigError(Message("config.updates_per_epoch", "N={n}, B={b}", n=0, b=Message("config.an_int", "an int")))
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.message, str(copy)) == (ConfigError, error.message, "N=0, B=an int")


def test_every_dataset_model_optimizer_and_cifar_class_has_a_display_name_in_both_languages():
    from core.training.config import OPTIMIZERS
    from core.training.data import DATASETS
    from core.training.models import MODELS
    from pages.ui.names import CIFAR10_CLASSES

    names = ([f"name.model.{m}" for m in MODELS]
             + [f"name.optimizer.{o}" for o in OPTIMIZERS] + [f"name.cifar10.{c}" for c in CIFAR10_CLASSES])
    assert [key for key in names if key not in TEXT] == []
    assert [d for d, spec in DATASETS.items() if spec.title.key not in CORE] == []  # core names its datasets
