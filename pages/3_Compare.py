"""Stored runs side by side: filter, pick, overlay their curves, manage and export them."""

import streamlit as st

from core.charts import METRICS, X_AXES, overlay_chart
from core.runs.checks import tags_from_text
from core.runs.ownership import refusal
from core.runs.stored import StoreError
from core.runs.tables import labeller, runs_table
from pages.ui.i18n import say, t
from pages.ui.identity import editor, me
from pages.ui.names import dataset_titles, model_titles, optimizer_titles
from pages.ui.page import page
from pages.ui.resources import run_store
from pages.ui.run_picker import filtered, picked_ids
from pages.ui.run_view import status_text
from pages.ui.widgets import choices

MAX_PICK = 20  # curves beyond this are unreadable on one chart
COLUMNS = ("name", "tags", "status", "dataset", "model", "optimizer", "batch_size", "learning_rate", "epochs_run",
           "seed", "best_val_loss", "best_val_acc", "test_acc", "sharpness", "wall_time", "device")

view = page("pages/3_Compare.py")
store = run_store()
if store is None:  # run_store() said why
    view.stop()
runs = store.runs()

with st.expander(t("compare.import")):
    upload = st.file_uploader(t("compare.file"), type=["json", "csv"], key="compare_upload")
    if upload is not None and st.button(t("compare.import_button"), key="compare_import"):
        try:  # the store checks everything, its size first (BATCHLAB_MAX_UPLOAD_MB)
            data = upload.getvalue()
            read = store.import_csv if upload.name.lower().endswith(".csv") else store.import_json
            ids = read(data, owner=me())  # the imported runs are the importer's
            st.success(t("compare.imported", n=len(ids)), icon="✅")
            runs = store.runs()
        except StoreError as exc:
            st.error(t("compare.not_imported", error=say(exc)), icon="🚫")

if runs.empty:
    st.info(t("compare.empty"), icon="ℹ️")
    view.stop()

st.subheader(t("compare.stored"))
shown = filtered(runs)
headers = {column: st.column_config.Column(t(f"compare.col.{column}")) for column in COLUMNS}
headers["name"] = st.column_config.TextColumn(t("compare.col.name"), width="large")  # "seed001: B 16 · LR 0.1 · 5 ep"
headers["sharpness"] = st.column_config.NumberColumn(t("compare.col.sharpness"), format="%.4g",
                                                     help=t("compare.sharpness_help"))
names_of = {"dataset": dataset_titles(), "model": model_titles(), "optimizer": optimizer_titles()}
st.dataframe(shown[list(COLUMNS)].assign(status=shown["status"].map(status_text),  # display names, never raw ids
                                         **{c: shown[c].map(names).fillna(shown[c]) for c, names in names_of.items()}),
             hide_index=True,
             key="compare_runs", placeholder="", column_config=headers)  # unknown values stay blank
st.caption(t("compare.shown", shown=len(shown), total=len(runs)))

names = dict(zip(runs["id"], runs["name"].where(runs["name"] != "", runs["id"]), strict=True))
picked = picked_ids(shown, names, MAX_PICK)
if not picked:
    st.info(t("compare.pick_some"), icon="👆")
    view.stop()

stored = [s for s in (store.get(i) for i in picked) if s is not None]
label = labeller([s.config for s in stored], text=say)

options = st.columns([3, 2, 2, 2])  # the two checkboxes share a column, wide enough for their labels
x = options[0].radio(t("compare.x_axis"), **choices({axis: say(name) for axis, name in X_AXES.items()}),
                     key="compare_x", horizontal=True)
metric = options[1].selectbox(t("compare.metric"), **choices({name: say(title) for name, title in METRICS.items()}),
                              index=1, key="compare_metric")
log_y = options[2].checkbox(t("compare.log_y"), key="compare_log")
bands = options[2].checkbox(t("compare.bands"), value=True, key="compare_bands", help=t("compare.bands_help"))
smoothing = options[3].slider(t("compare.smoothing"), 0.0, 0.95, 0.0, 0.05, key="compare_smooth",
                              help=t("compare.smoothing_help"))

table = runs_table(stored, metric, labels=[s.name or label(s.config) for s in stored], smoothing=smoothing)
if table["value"].notna().any():
    st.altair_chart(overlay_chart(table, metric, x, log_y, bands, text=say), key="compare_chart")
else:
    st.info(t("compare.no_metric", metric=say(METRICS[metric]).lower()), icon="ℹ️")

down = st.columns(2)
try:
    down[0].download_button(t("compare.export_csv"), store.export_csv(picked), "batchlab-runs.csv", "text/csv",
                            key="compare_csv")
    down[1].download_button(t("compare.export_json"), store.export_json(picked), "batchlab-runs.json",
                            "application/json", key="compare_json")
except StoreError as exc:  # a picked run deleted meanwhile by another session
    st.error(t("compare.not_exported", error=say(exc)), icon="🚫")

with st.expander(t("compare.manage")):
    who = editor()
    target = st.selectbox(t("compare.run"), **choices({i: names[i] for i in picked}), key="manage_run")
    row = runs[runs["id"] == target].iloc[0]
    not_yours = refusal(target, row["source"], row["owner"], row["room"], who)
    if not_yours is not None:  # the store refuses it too: this only saves a click
        st.info(say(not_yours), icon="🔒")
    new_name = st.text_input(t("compare.name"), value=row["name"], key=f"manage_name_{target}",
                             disabled=not_yours is not None)
    new_tags = st.text_input(t("compare.tags"), value=row["tags"], key=f"manage_tags_{target}",
                             disabled=not_yours is not None)
    if st.button(t("compare.save"), key="manage_save", disabled=not_yours is not None):
        try:
            store.rename(target, new_name.strip(), who)
            store.set_tags(target, tags_from_text(new_tags), who)
            st.rerun()
        except StoreError as exc:
            st.error(t("compare.not_saved", error=say(exc)), icon="🚫")
    sure = st.checkbox(t("compare.sure", n=len(picked)), key="manage_sure")
    if st.button(t("compare.delete"), key="manage_delete", disabled=not sure, type="primary"):
        try:
            deleted = store.delete(picked, who)  # all of them or none: it names a run that is not the user's
        except StoreError as exc:
            st.error(t("compare.not_deleted", error=say(exc)), icon="🚫")
        else:
            st.session_state.pop("compare_pick", None)
            st.session_state.pop("manage_sure", None)
            st.toast(t("compare.deleted", n=deleted))
            st.rerun()
view.end()
