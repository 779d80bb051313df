"""Compare's filters and picks: which stored runs are shown, and which of them are drawn."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.runs.tables import filter_runs
from pages.ui.i18n import t
from pages.ui.names import dataset_titles, model_titles, optimizer_titles
from pages.ui.run_view import status_text
from pages.ui.widgets import choices

FILTERS = ("dataset", "model", "optimizer", "status", "batch_size", "learning_rate")


def filtered(runs: pd.DataFrame) -> pd.DataFrame:
    """A filter per column (display names in the session's language) and a name-or-tag search."""
    display = {"status": {v: status_text(v) for v in runs["status"].unique()},
               "dataset": dataset_titles(), "model": model_titles(), "optimizer": optimizer_titles()}
    picked = {}
    # Three filters a row: six in one row left each chip a few pixels ("×" in English, "선…" in Korean).
    columns = [col for _ in range(2) for col in st.columns(3)]
    for col, field in zip(columns, FILTERS, strict=True):
        values = sorted(runs[field].unique().tolist())
        names = display.get(field, {})
        picked[field] = col.multiselect(t(f"compare.col.{field}"), **choices({v: names.get(v, str(v)) for v in values}),
                                        key=f"filter_{field}", placeholder=t("compare.any"))
    text = st.text_input(t("compare.contains"), key="filter_text", placeholder=t("compare.contains_example"))
    return filter_runs(runs, picked, text)


def picked_ids(shown: pd.DataFrame, names: dict[str, str], most: int) -> list[str]:
    """The runs to draw: new filters pick the first few they show; otherwise the user's picks that are still shown."""
    shown_ids = shown["id"].tolist()
    signature = repr([st.session_state.get(f"filter_{f}") for f in (*FILTERS, "text")])
    if st.session_state.get("compare_filters") != signature or "compare_pick" not in st.session_state:
        st.session_state["compare_filters"] = signature
        st.session_state["compare_pick"] = shown_ids[:4]
    st.session_state["compare_pick"] = [i for i in st.session_state["compare_pick"] if i in shown_ids][:most]
    return st.multiselect(t("compare.pick", n=most), **choices({i: names[i] for i in shown_ids}), key="compare_pick",
                          max_selections=most, placeholder=t("compare.pick_placeholder"))
