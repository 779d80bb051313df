"""Helpers for the import tests: a store's snapshot, and exported documents edited into bad ones."""

import pandas as pd

from core.runs.store import RunStore


def snapshot(store: RunStore) -> tuple[pd.DataFrame, str]:
    """Every run's summary and its full content."""
    runs = store.runs()
    return runs, store.export_json(runs["id"].tolist())


def assert_unchanged(store: RunStore, before: tuple[pd.DataFrame, str]) -> None:
    after = snapshot(store)
    assert len(after[0]) == len(before[0])
    pd.testing.assert_frame_equal(after[0], before[0])
    assert after[1] == before[1]


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
