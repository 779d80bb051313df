"""Every user-visible string in English and Korean, one module per page.

`TEXT` maps a key to {"en": ..., "ko": ...}; the keys of a page start with its name
("sweep.", "compare." ...). `CORE` gives the Korean of core's messages (core.messages),
whose English lives beside the code that says them: core_messages.KOREAN for the shared
ones, and a page module's optional CORE dict for the core modules only that page shows. tests/test_i18n.py checks that
every key has both languages with the same {placeholders}, and that every message core
can say has its Korean here.
"""

from pages.ui.texts import (
    calculator,
    classroom,
    common,
    compare,
    core_messages,
    critical_batch,
    lessons,
    range_test,
    sharpness,
    sweep,
)

_MODULES = (common, sweep, compare, calculator, range_test, sharpness, critical_batch, lessons, classroom)


def _merge(tables) -> dict:
    merged: dict = {}
    for module, table in tables:
        clash = merged.keys() & table.keys()
        if clash:
            raise KeyError(f"{module.__name__} repeats the keys {sorted(clash)}")
        merged.update(table)
    return merged


TEXT: dict[str, dict[str, str]] = _merge((m, m.TEXT) for m in _MODULES)
CORE: dict[str, str] = _merge([(core_messages, core_messages.KOREAN),
                               *((m, m.CORE) for m in _MODULES if hasattr(m, "CORE"))])
