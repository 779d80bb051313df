"""Batch Lab's tests, laid out like the code: training/, runs/, jobs/, analysis/, experiments/ test
core's packages on their own; pages/ drives every page with Streamlit's AppTest; e2e/ drives the
real app in a real browser. Shared fixtures are in conftest.py."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
PAGE_TIMEOUT = 60  # s; the first run starts the worker pool; imports of torch take seconds on 2 cores
LANGUAGES = ["English", "한국어"]
HANGUL = re.compile("[\uac00-\ud7a3]")  # a Korean syllable: a message that has one was translated
LONG_TEXT = "x" * 10_001  # one character more than the run store keeps in a name or a tag
