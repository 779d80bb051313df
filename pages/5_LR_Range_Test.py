"""The LR range test (fastai's lr_find), run for several batch sizes and overlaid."""

import dataclasses

import pandas as pd
import streamlit as st

from core.charts import SUGGESTION_NAMES, range_test_chart
from core.config import ConfigError
from core.sweep import progress
from pages.ui.follow import follow
from pages.ui.i18n import say, t
from pages.ui.nav import sidebar_nav
from pages.ui.resources import job_pool
from pages.ui.train_controls import config_controls

BATCH_CHOICES = [8, 16, 32, 64, 128, 256, 512, 1024]

sidebar_nav("pages/5_LR_Range_Test.py")
st.title(t("range.title"))
st.write(t("range.intro"))

pool = job_pool()
base, error = config_controls(prefix="lr_", hide=("batch_size", "learning_rate", "epochs"))
if error:
    st.error(error, icon="🚫")
    st.stop()

c1, c2, c3 = st.columns(3)
start_lr = c1.number_input(t("range.start_lr"), min_value=1e-10, max_value=1.0, value=1e-7, format="%g",
                           key="lr_start", help=t("range.start_lr_help"))
end_lr = c2.number_input(t("range.end_lr"), min_value=1e-6, max_value=1000.0, value=10.0, format="%g",
                         key="lr_end", help=t("range.end_lr_help"))
num_it = c3.number_input(t("range.num_it"), min_value=10, max_value=1000, value=100, step=10, key="lr_num_it",
                         help=t("range.num_it_help"))
batch_sizes = st.multiselect(t("range.batch_sizes"), BATCH_CHOICES, default=[16, 64, 256], key="lr_batches",
                             help=t("range.batch_sizes_help"))
if start_lr >= end_lr:
    st.error(t("range.start_above_end", start=f"{start_lr:g}", end=f"{end_lr:g}"), icon="🚫")
    st.stop()
if not batch_sizes:
    st.info(t("range.pick_batch"), icon="👆")
    st.stop()
try:
    configs = [dataclasses.replace(base, batch_size=b) for b in sorted(batch_sizes)]
    pool.limits.check_grid(configs)
except ConfigError as exc:
    st.error(say(exc), icon="🚫")
    st.stop()
params = {"start_lr": float(start_lr), "end_lr": float(end_lr), "num_it": int(num_it)}

if st.button(t("range.run"), type="primary", key="lr_run"):
    # batch size -> job key; the labels are made when drawn, in the language of that moment
    st.session_state["lr_jobs"] = {c.batch_size: pool.submit(c, "range_test", params).key for c in configs}


def draw(jobs: dict[int, str]) -> None:
    views = {batch: pool.view(key) for batch, key in jobs.items()}
    state = progress(list(views.values()), pool.workers)
    st.progress(state.fraction, text=t("range.progress", done=state.done, total=state.total))
    for view in views.values():
        if view is not None and view.status == "failed":
            st.error(t("range.failed", message=say(view.message)), icon="🚫")
    done = [(t("range.label", batch=batch), v.output) for batch, v in views.items() if v is not None and v.output]
    if not done:
        return
    st.altair_chart(range_test_chart(done, text=say), key="lr_chart")
    names = {name: say(message) for name, message in SUGGESTION_NAMES.items()}
    rows = []
    for label, test in done:
        row = {t("range.col_test"): label, t("range.col_batches"): len(test["lrs"]),
               t("range.col_stopped"): test["stopped_early"]}
        row.update({names[name]: test["suggestions"].get(name) for name in SUGGESTION_NAMES})
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="lr_table",
                 column_config={name: st.column_config.NumberColumn(format="%.2e", help=t("range.col_suggestion_help"))
                                for name in names.values()})
    st.caption(t("range.suggestions"))


jobs = st.session_state.get("lr_jobs")
if jobs:
    follow(pool, jobs.values(), lambda: draw(jobs))
