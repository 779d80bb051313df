"""The LR range test (fastai's lr_find), run for several batch sizes and overlaid."""

import dataclasses
from functools import partial

import streamlit as st

from core.analysis.lr_finder import RangeTest, check_range, suggestions_table
from core.charts import SUGGESTION_NAMES, range_test_chart
from core.settings import ConfigError
from pages.ui.follow import follow
from pages.ui.i18n import say, t
from pages.ui.identity import submit_all
from pages.ui.jobs_panel import draw_group
from pages.ui.page import page
from pages.ui.resources import job_pool
from pages.ui.train_controls import BATCH_CHOICES, config_controls

view = page("pages/5_LR_Range_Test.py", share=True)
pool = job_pool()
base, error = config_controls(prefix="lr_", hide=("batch_size", "learning_rate", "epochs"))
if base is None:
    view.fail(error or "")

c1, c2, c3 = st.columns(3)
start_lr = c1.number_input(t("range.start_lr"), min_value=1e-10, max_value=1.0, value=1e-7, format="%g",
                           key="lr_start", bind="query-params", help=t("range.start_lr_help"))
end_lr = c2.number_input(t("range.end_lr"), min_value=1e-6, max_value=1000.0, value=10.0, format="%g",
                         key="lr_end", bind="query-params", help=t("range.end_lr_help"))
num_it = c3.number_input(t("range.num_it"), min_value=10, max_value=1000, value=100, step=10, key="lr_num_it",
                         bind="query-params", help=t("range.num_it_help"))
batch_sizes = st.multiselect(t("range.batch_sizes"), BATCH_CHOICES, default=[16, 64, 256], key="lr_batches",
                             bind="query-params", help=t("range.batch_sizes_help"))
if not batch_sizes:
    st.info(t("range.pick_batch"), icon="👆")
    view.stop()
try:
    check_range(float(start_lr), float(end_lr), int(num_it))
    configs = [dataclasses.replace(base, batch_size=b) for b in sorted(batch_sizes)]
    pool.limits.check_grid(configs)
except ConfigError as exc:
    view.fail(say(exc))
params = {"start_lr": float(start_lr), "end_lr": float(end_lr), "num_it": int(num_it)}

if st.button(t("range.run"), type="primary", key="lr_run"):
    # batch size -> job key; the labels are made when drawn, in the language of that moment
    submitted = submit_all(pool, configs, "range_test", params)
    st.session_state["lr_jobs"] = {job.config.batch_size: job.key for job in submitted}


def draw(jobs: dict[int, str]) -> None:
    views = {batch: pool.view(key) for batch, key in jobs.items()}
    draw_group(pool, list(views.values()), [t("group.batch", batch=batch) for batch in views])
    done = [(t("group.batch", batch=batch), RangeTest.from_dict(v.output))
            for batch, v in views.items() if v is not None and v.output]
    if not done:
        return
    st.altair_chart(range_test_chart(done, text=say), key="lr_chart")
    names = {name: say(message) for name, message in SUGGESTION_NAMES.items()}
    headers = {"test": t("range.col_test"), "batches": t("range.col_batches"), "stopped_early": t("range.col_stopped"),
               "at_edge": t("range.col_at_edge"), **names}
    table = suggestions_table(done)
    table["at_edge"] = table["at_edge"].map(lambda edge: ", ".join(names[name] for name in edge))
    st.dataframe(table.rename(columns=headers), hide_index=True, key="lr_table",
                 column_config={**{name: st.column_config.NumberColumn(format="%.2e",
                                                                        help=t("range.col_suggestion_help"))
                                   for name in names.values()},
                                t("range.col_at_edge"): st.column_config.TextColumn(help=t("range.col_at_edge_help"))})
    for label, test in done:
        if test.at_edge:
            st.warning(t("range.at_edge", test=label, names=", ".join(names[name] for name in test.at_edge)),
                       icon="↔️")
    st.markdown(t("range.suggestions"))


jobs = st.session_state.get("lr_jobs")
if jobs:
    follow(pool, jobs.values(), partial(draw, jobs))
view.end()
