"""Stored runs side by side: filter, pick, overlay their curves, manage and export them."""

import streamlit as st

from core.charts import METRICS, X_AXES, overlay_chart, runs_table
from core.limits import Limits
from core.store import StoreError
from core.sweep import group_key, labeller
from pages.ui.i18n import say
from pages.ui.nav import sidebar_nav
from pages.ui.resources import run_store

MAX_PICK = 20  # curves beyond this are unreadable on one chart

st.set_page_config(page_title="Compare · Batch Lab", page_icon="📊", layout="wide")
sidebar_nav()
st.title("Compare (비교)")
st.write(
    "Every run trained here is kept: finished, stopped, diverged and early-stopped ones. Filter them, pick a few "
    "and overlay their curves — against epochs, update steps, samples seen or wall-clock time. "
    "Runs marked *reference* come with the app: the seed posts' experiments, trained in advance.")

store = run_store()
if store is None:
    st.stop()
runs = store.runs()

with st.expander("Import runs (JSON or CSV exported from Batch Lab)"):
    upload = st.file_uploader("Run file", type=["json", "csv"], key="compare_upload")
    if upload is not None and st.button("Import", key="compare_import"):
        try:
            data = upload.getvalue()
            cap = Limits.from_env().max_upload_mb
            if len(data) > cap * 1_000_000:
                raise StoreError(f"the file is {len(data) / 1e6:.1f} MB and this server imports at most {cap} MB "
                                 "(BATCHLAB_MAX_UPLOAD_MB).")
            ids = store.import_csv(data) if upload.name.lower().endswith(".csv") else store.import_json(data)
            st.success(f"Imported {len(ids)} run(s).", icon="✅")
            runs = store.runs()
        except StoreError as exc:
            st.error(f"Nothing was imported: {exc}", icon="🚫")

if runs.empty:
    st.info("No stored runs yet. Train one on the **Train** page or run a **Sweep**.", icon="ℹ️")
    st.stop()

st.subheader("Stored runs")
filters = st.columns(6)
shown = runs
for col, field, label in zip(filters, ["dataset", "model", "optimizer", "status", "batch_size", "learning_rate"],
                             ["Dataset", "Model", "Optimizer", "Status", "Batch size", "Learning rate"]):
    picked = col.multiselect(label, sorted(runs[field].unique().tolist()), key=f"filter_{field}")
    if picked:
        shown = shown[shown[field].isin(picked)]
tag = st.text_input("Name or tag contains", key="filter_text", placeholder="e.g. seed001 or reference")
if tag:
    needle = tag.lower()
    shown = shown[shown["name"].str.lower().str.contains(needle, regex=False)
                  | shown["tags"].str.lower().str.contains(needle, regex=False)]
columns = ["name", "tags", "status", "dataset", "model", "optimizer", "batch_size", "learning_rate", "epochs_run",
           "seed", "best_val_loss", "best_val_acc", "test_acc", "sharpness", "wall_time", "device"]
st.dataframe(shown[columns], hide_index=True, key="compare_runs", placeholder="",  # unknown values stay blank
             column_config={"sharpness": st.column_config.NumberColumn(
                 format="%.4g", help="Top eigenvalue of the training loss's Hessian at the final weights "
                                     "(measured on the Sharpness page; blank when not measured).")})
st.caption(f"{len(shown)} of {len(runs)} runs shown.")

names = dict(zip(runs["id"], runs["name"].where(runs["name"] != "", runs["id"])))
shown_ids = shown["id"].tolist()
# New filters pick the first few runs they show; otherwise keep the user's picks that are still shown.
signature = repr([st.session_state.get(f"filter_{f}") for f in
                  ("dataset", "model", "optimizer", "status", "batch_size", "learning_rate", "text")])
if st.session_state.get("compare_filters") != signature or "compare_pick" not in st.session_state:
    st.session_state["compare_filters"] = signature
    st.session_state["compare_pick"] = shown_ids[:4]
st.session_state["compare_pick"] = [i for i in st.session_state["compare_pick"] if i in shown_ids][:MAX_PICK]
picked_ids = st.multiselect(f"Runs to compare (up to {MAX_PICK})", shown_ids, key="compare_pick",
                            format_func=lambda i: names[i], max_selections=MAX_PICK)
if not picked_ids:
    st.info("Pick runs above to draw their curves.", icon="👆")
    st.stop()

stored = [s for s in (store.get(i) for i in picked_ids) if s is not None]
label = labeller([s.config for s in stored])

options = st.columns([2, 2, 1, 1, 2])
x = options[0].radio("x-axis", list(X_AXES), format_func=lambda axis: say(X_AXES[axis]), key="compare_x", horizontal=True)
metric = options[1].selectbox("Metric", list(METRICS), format_func=lambda name: say(METRICS[name]), index=1, key="compare_metric")
log_y = options[2].checkbox("Log y", key="compare_log")
bands = options[3].checkbox("Seeds as bands", value=True, key="compare_bands",
                            help="Runs that differ only by seed are drawn as their mean with a min–max band.")
smoothing = options[4].slider("Smoothing (EMA)", 0.0, 0.95, 0.0, 0.05, key="compare_smooth")

series = [({"run": s.id, "label": s.name or label(s.config), "batch_size": s.config.batch_size,
            "learning_rate": s.config.learning_rate, "group": group_key(s.config)}, s.result.rows) for s in stored]
table = runs_table(series, metric, smoothing)
if table["value"].notna().any():
    st.altair_chart(overlay_chart(table, metric, x, log_y, bands, text=say), key="compare_chart")
else:
    st.info(f"None of the picked runs has a {say(METRICS[metric]).lower()} (regression runs have no accuracy; "
            "runs without a validation split have no validation loss).", icon="ℹ️")

picked = runs[runs["id"].isin(picked_ids)]
down = st.columns(2)
down[0].download_button("Export CSV", store.export_csv(picked_ids), "batchlab-runs.csv", "text/csv",
                        key="compare_csv")
down[1].download_button("Export JSON", store.export_json(picked_ids), "batchlab-runs.json", "application/json",
                        key="compare_json")

with st.expander("Rename, tag or delete"):
    target = st.selectbox("Run", picked_ids, format_func=lambda i: names[i], key="manage_run")
    row = picked[picked["id"] == target].iloc[0]
    new_name = st.text_input("Name", value=row["name"], key=f"manage_name_{target}")
    new_tags = st.text_input("Tags (comma-separated)", value=row["tags"], key=f"manage_tags_{target}")
    if st.button("Save name and tags", key="manage_save"):
        store.rename(target, new_name.strip())
        store.set_tags(target, tuple(t.strip() for t in new_tags.split(",") if t.strip()))
        st.rerun()
    sure = st.checkbox(f"Yes, delete the {len(picked_ids)} picked run(s) for good", key="manage_sure")
    if st.button("Delete picked runs", key="manage_delete", disabled=not sure, type="primary"):
        deleted = store.delete(picked_ids)
        st.session_state.pop("compare_pick", None)
        st.session_state.pop("manage_sure", None)
        st.toast(f"Deleted {deleted} run(s).")
        st.rerun()
