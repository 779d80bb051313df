"""Every user-visible string in English and Korean, one module per page.

`TEXT` maps a key to {"en": ..., "ko": ...}; the keys of a page start with its name
("sweep.", "compare." ...). `CORE` gives the Korean of core's messages (core.messages),
whose English lives beside the code that says them. tests/test_i18n.py checks that
every key has both languages with the same {placeholders}, and that every message core
can say has its Korean here.
"""

from pages.ui.texts import calculator, common, compare, core_messages, critical_batch, range_test, sharpness, sweep

_MODULES = (common, sweep, compare, calculator, range_test, sharpness, critical_batch)


def _merge() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for module in _MODULES:
        clash = merged.keys() & module.TEXT.keys()
        if clash:
            raise KeyError(f"{module.__name__} repeats the keys {sorted(clash)}")
        merged.update(module.TEXT)
    return merged


TEXT = _merge()
CORE = core_messages.KOREAN
