import re
import string
from pathlib import Path

import pytest

from pages.ui.texts import TEXT
from streamlit.testing.v1 import AppTest

from tests.test_pages import ROOT, open_page

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
    assert at.header[0].value == "네 가지 용어"
    assert at.metric[0].label == "에폭당 업데이트"


def test_the_glossary_lists_the_seed_posts_terms_in_both_languages():
    at = open_page("pages/8_Glossary.py")
    terms = " ".join(at.dataframe[0].value.iloc[:, 0])
    for korean in ("배치 크기", "학습률", "에폭", "스텝", "과적합", "일반화"):
        assert korean in terms
