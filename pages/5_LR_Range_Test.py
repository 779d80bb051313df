"""The LR range test (fastai's lr_find), run for several batch sizes and overlaid."""

import dataclasses

import pandas as pd
import streamlit as st

from core.charts import SUGGESTION_NAMES, range_test_chart
from core.config import ConfigError
from core.sweep import progress
from pages.ui.i18n import say
from pages.ui.nav import sidebar_nav
from pages.ui.resources import job_pool
from pages.ui.train_controls import config_controls

BATCH_CHOICES = [8, 16, 32, 64, 128, 256, 512, 1024]

st.set_page_config(page_title="LR range test · Batch Lab", page_icon="🔎", layout="wide")
sidebar_nav()
st.title("LR range test (학습률 범위 테스트)")
st.write(
    "Which learning rates are worth trying? Train for about 100 batches while the learning rate grows "
    "exponentially (1e-7 → 10 by default), and watch the smoothed loss: flat where the LR is too small, "
    "falling where it is useful, exploding where it is too large. The test stops once the loss passes 4× its "
    "minimum and puts the weights back. Run it for several batch sizes to see the best LR move with the batch.")

pool = job_pool()
base, error = config_controls(prefix="lr_", hide=("batch_size", "learning_rate", "epochs"))
if error:
    st.error(error, icon="🚫")
    st.stop()

c1, c2, c3 = st.columns(3)
start_lr = c1.number_input("Start LR", min_value=1e-10, max_value=1.0, value=1e-7, format="%g", key="lr_start")
end_lr = c2.number_input("End LR", min_value=1e-6, max_value=1000.0, value=10.0, format="%g", key="lr_end")
num_it = c3.number_input("Batches", min_value=10, max_value=1000, value=100, step=10, key="lr_num_it")
batch_sizes = st.multiselect("Batch sizes (배치 크기)", BATCH_CHOICES, default=[16, 64, 256], key="lr_batches")
if start_lr >= end_lr:
    st.error(f"The start LR ({start_lr:g}) must be below the end LR ({end_lr:g}).", icon="🚫")
    st.stop()
if not batch_sizes:
    st.info("Pick at least one batch size.", icon="👆")
    st.stop()
try:
    configs = [dataclasses.replace(base, batch_size=b) for b in sorted(batch_sizes)]
    pool.limits.check_grid(configs)
except ConfigError as exc:
    st.error(str(exc), icon="🚫")
    st.stop()
params = {"start_lr": float(start_lr), "end_lr": float(end_lr), "num_it": int(num_it)}

if st.button("Run range tests", type="primary", key="lr_run"):
    st.session_state["lr_jobs"] = {f"batch {c.batch_size}": pool.submit(c, "range_test", params).key
                                   for c in configs}


def draw(jobs: dict[str, str]) -> None:
    views = {label: pool.view(key) for label, key in jobs.items()}
    state = progress(list(views.values()), pool.workers)
    st.progress(state.fraction, text=f"{state.done} of {state.total} range tests done")
    for view in views.values():
        if view is not None and view.status == "failed":
            st.error(f"A range test failed: {view.message}", icon="🚫")
    done = [(label, v.output) for label, v in views.items() if v is not None and v.output]
    if not done:
        return
    st.altair_chart(range_test_chart(done, text=say), key="lr_chart")
    rows = []
    for label, test in done:
        row = {"range test": label, "batches run": len(test["lrs"]),
               "stopped at 4× the minimum": test["stopped_early"]}
        row.update({say(label): test["suggestions"].get(name) for name, label in SUGGESTION_NAMES.items()})
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="lr_table",
                 column_config={say(label): st.column_config.NumberColumn(format="%.2e") for label in
                                SUGGESTION_NAMES.values()})
    st.caption(
        "**valley**: fastai's default, two-thirds down the longest falling stretch of the curve; "
        "**steepest descent**: where the loss falls fastest per decade of LR; **minimum / 10**: a tenth of the LR "
        "at the lowest loss. They are starting points, not answers: the smoothing lags the curve, and the "
        "suggestions move between seeds. Try them on the Train page.")


@st.fragment(run_every=1.0)
def live(jobs: dict[str, str]) -> None:
    if not any((v := pool.view(k)) is not None and v.active for k in jobs.values()):
        st.rerun()
    draw(jobs)


jobs = st.session_state.get("lr_jobs")
if jobs:
    if any((v := pool.view(k)) is not None and v.active for k in jobs.values()):
        live(jobs)
    else:
        draw(jobs)
