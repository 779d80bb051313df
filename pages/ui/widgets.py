"""Widget helpers: option lists with display names, and number bounds taken from the config's constraints."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeVar

from core.training.config import CONSTRAINTS, Interval

Option = TypeVar("Option")


def choices(names: Mapping[Option, str]) -> dict[str, Any]:
    """selectbox / multiselect / radio arguments that show each option by its display name.

    The names are made during the script run, in the session's language, and looked up from a
    dict: a format_func that translated when called would answer in English under AppTest, which
    calls it outside the run, where the session's language is unknown."""
    return {"options": list(names), "format_func": dict(names).__getitem__}


def bounds(field: str) -> dict[str, Any]:
    """number_input's min_value and max_value for a TrainConfig field: the closed ends of its allowed
    range (an open end, like the learning rate's 0, is left to the config's own message)."""
    constraint = CONSTRAINTS[field]
    if not isinstance(constraint, Interval):
        raise TypeError(f"{field!r} is not a number")
    found: dict[str, Any] = {}
    if constraint.closed in ("both", "left") and math.isfinite(constraint.low):
        found["min_value"] = constraint.kind(constraint.low)
    if constraint.closed in ("both", "right") and math.isfinite(constraint.high):
        found["max_value"] = constraint.kind(constraint.high)
    return found
