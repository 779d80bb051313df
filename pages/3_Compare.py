"""Stored runs side by side: filter, pick, overlay their curves, manage and export them."""

import streamlit as st

from core.charts import METRICS, X_AXES, overlay_chart, runs_table
from core.limits import Limits
from core.store import StoreError
from core.sweep import group_key, labeller
from pages.ui.i18n import say, t
from pages.ui.names import dataset_titles, model_titles, optimizer_titles
from pages.ui.nav import sidebar_nav
from pages.ui.resources import run_store
from pages.ui.run_view import status_text

MAX_PICK = 20  # curves beyond this are unreadable on one chart
FILTERS = ("dataset", "model", "optimizer", "status", "batch_size", "learning_rate")
COLUMNS = ("name", "tags", "status", "dataset", "model", "optimizer", "batch_size", "learning_rate", "epochs_run",
           "seed", "best_val_loss", "best_val_acc", "test_acc", "sharpness", "wall_time", "device")

sidebar_nav("pages/3_Compare.py")
st.title(t("compare.title"))
st.write(t("compare.intro"))

store = run_store()
if store is None:
    st.stop()
runs = store.runs()

with st.expander(t("compare.import")):
    upload = st.file_uploader(t("compare.file"), type=["json", "csv"], key="compare_upload")
    if upload is not None and st.button(t("compare.import_button"), key="compare_import"):
        data = upload.getvalue()
        cap = Limits.from_env().max_upload_mb
        if len(data) > cap * 1_000_000:
            st.error(t("compare.not_imported", error=t("compare.too_big", size=len(data) / 1e6, cap=cap)), icon="🚫")
        else:
            try:
                ids = store.import_csv(data) if upload.name.lower().endswith(".csv") else store.import_json(data)
                st.success(t("compare.imported", n=len(ids)), icon="✅")
                runs = store.runs()
            except StoreError as exc:
                st.error(t("compare.not_imported", error=say(exc)), icon="🚫")

if runs.empty:
    st.info(t("compare.empty"), icon="ℹ️")
    st.stop()

st.subheader(t("compare.stored"))
filters = st.columns(len(FILTERS))
shown = runs
# Every format_func below is a lookup made now, in this run's language: AppTest calls a format_func outside
# the script run, where say() and t() do not know the session's language.
DISPLAY_NAMES = {"status": {v: status_text(v) for v in runs["status"].unique()},
                 "dataset": dataset_titles(), "model": model_titles(), "optimizer": optimizer_titles()}
for col, field in zip(filters, FILTERS):
    values = sorted(runs[field].unique().tolist())
    names_of = DISPLAY_NAMES.get(field, {})
    picked = col.multiselect(t(f"compare.col.{field}"), values, key=f"filter_{field}",
                             format_func=lambda v, names_of=names_of: names_of.get(v, str(v)),
                             placeholder=t("compare.any"))
    if picked:
        shown = shown[shown[field].isin(picked)]
tag = st.text_input(t("compare.contains"), key="filter_text", placeholder=t("compare.contains_example"))
if tag:
    needle = tag.lower()
    shown = shown[shown["name"].str.lower().str.contains(needle, regex=False)
                  | shown["tags"].str.lower().str.contains(needle, regex=False)]
headers = {column: st.column_config.Column(t(f"compare.col.{column}")) for column in COLUMNS}
headers["sharpness"] = st.column_config.NumberColumn(t("compare.col.sharpness"), format="%.4g",
                                                     help=t("compare.sharpness_help"))
st.dataframe(shown[list(COLUMNS)].assign(status=shown["status"].map(status_text)), hide_index=True,
             key="compare_runs", placeholder="", column_config=headers)  # unknown values stay blank
st.caption(t("compare.shown", shown=len(shown), total=len(runs)))

names = dict(zip(runs["id"], runs["name"].where(runs["name"] != "", runs["id"])))
shown_ids = shown["id"].tolist()
# New filters pick the first few runs they show; otherwise keep the user's picks that are still shown.
signature = repr([st.session_state.get(f"filter_{f}") for f in (*FILTERS, "text")])
if st.session_state.get("compare_filters") != signature or "compare_pick" not in st.session_state:
    st.session_state["compare_filters"] = signature
    st.session_state["compare_pick"] = shown_ids[:4]
st.session_state["compare_pick"] = [i for i in st.session_state["compare_pick"] if i in shown_ids][:MAX_PICK]
picked_ids = st.multiselect(t("compare.pick", n=MAX_PICK), shown_ids, key="compare_pick",
                            format_func=lambda i: names[i], max_selections=MAX_PICK,
                            placeholder=t("compare.pick_placeholder"))
if not picked_ids:
    st.info(t("compare.pick_some"), icon="👆")
    st.stop()

stored = [s for s in (store.get(i) for i in picked_ids) if s is not None]
label = labeller([s.config for s in stored], text=say)

options = st.columns([3, 2, 2, 2])  # the two checkboxes share a column, wide enough for their labels
x = options[0].radio(t("compare.x_axis"), list(X_AXES),
                     format_func={axis: say(name) for axis, name in X_AXES.items()}.get, key="compare_x",
                     horizontal=True)
metric = options[1].selectbox(t("compare.metric"), list(METRICS),
                              format_func={name: say(title) for name, title in METRICS.items()}.get,
                              index=1, key="compare_metric")
log_y = options[2].checkbox(t("compare.log_y"), key="compare_log")
bands = options[2].checkbox(t("compare.bands"), value=True, key="compare_bands", help=t("compare.bands_help"))
smoothing = options[3].slider(t("compare.smoothing"), 0.0, 0.95, 0.0, 0.05, key="compare_smooth",
                              help=t("compare.smoothing_help"))

series = [({"run": s.id, "label": s.name or label(s.config), "batch_size": s.config.batch_size,
            "learning_rate": s.config.learning_rate, "group": group_key(s.config)}, s.result.rows) for s in stored]
table = runs_table(series, metric, smoothing)
if table["value"].notna().any():
    st.altair_chart(overlay_chart(table, metric, x, log_y, bands, text=say), key="compare_chart")
else:
    st.info(t("compare.no_metric", metric=say(METRICS[metric]).lower()), icon="ℹ️")

picked = runs[runs["id"].isin(picked_ids)]
down = st.columns(2)
try:
    down[0].download_button(t("compare.export_csv"), store.export_csv(picked_ids), "batchlab-runs.csv", "text/csv",
                            key="compare_csv")
    down[1].download_button(t("compare.export_json"), store.export_json(picked_ids), "batchlab-runs.json",
                            "application/json", key="compare_json")
except StoreError as exc:  # a picked run deleted meanwhile by another session
    st.error(t("compare.not_exported", error=say(exc)), icon="🚫")

with st.expander(t("compare.manage")):
    target = st.selectbox(t("compare.run"), picked_ids, format_func=lambda i: names[i], key="manage_run")
    row = picked[picked["id"] == target].iloc[0]
    new_name = st.text_input(t("compare.name"), value=row["name"], key=f"manage_name_{target}")
    new_tags = st.text_input(t("compare.tags"), value=row["tags"], key=f"manage_tags_{target}")
    if st.button(t("compare.save"), key="manage_save"):
        try:
            store.rename(target, new_name.strip())
            store.set_tags(target, tuple(tag.strip() for tag in new_tags.split(",") if tag.strip()))
            st.rerun()
        except StoreError as exc:
            st.error(t("compare.not_saved", error=say(exc)), icon="🚫")
    sure = st.checkbox(t("compare.sure", n=len(picked_ids)), key="manage_sure")
    if st.button(t("compare.delete"), key="manage_delete", disabled=not sure, type="primary"):
        deleted = store.delete(picked_ids)
        st.session_state.pop("compare_pick", None)
        st.session_state.pop("manage_sure", None)
        st.toast(t("compare.deleted", n=deleted))
        st.rerun()
