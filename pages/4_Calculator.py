"""The learning-rate scaling calculator: new LR for a new batch size, and a button that checks it by training."""

from functools import partial

import pandas as pd
import streamlit as st

from core.analysis.scaling import RUN_NAMES, plan
from core.charts import overlay_chart
from core.runs.tables import blew_up, fit_y_range, loss_metric, run_label, runs_table, summary_table
from core.settings import ConfigError
from core.training.config import TrainConfig
from core.training.data import DATASETS
from core.training.schedules import lr_at, warmup_steps
from pages.ui.follow import follow
from pages.ui.i18n import say, t
from pages.ui.identity import submit_all
from pages.ui.jobs_panel import draw_group
from pages.ui.links import choice
from pages.ui.names import dataset_title, dataset_titles, model_titles, optimizer_titles
from pages.ui.page import page
from pages.ui.resources import job_pool
from pages.ui.run_view import status_text
from pages.ui.widgets import bounds, choices

EXAMPLES = {  # seed 002's worked examples
    "paper_to_small": {"scale_old_batch": 1024, "scale_old_lr": 16.0, "scale_new_batch": 64, "scale_optimizer": "sgd",
                       "scale_n": 100_000},
    "adamw_double": {"scale_old_batch": 64, "scale_old_lr": 2e-5, "scale_new_batch": 128, "scale_optimizer": "adamw",
                     "scale_n": 10_000},
}
Y_AXES = {"fit": "calc.y_fit", "full": "calc.y_full", "log": "calc.y_log"}  # the Verify chart's y-axis choices

view = page("pages/4_Calculator.py", share=True)
DEFAULTS = {"scale_old_batch": 64, "scale_old_lr": 0.1, "scale_new_batch": 256, "scale_optimizer": "sgd",
            "scale_n": 3200, "scale_epochs": 10, "scale_verify_epochs": 10}
for key, value in DEFAULTS.items():
    st.session_state.setdefault(key, value)


def load_example(name: str) -> None:
    st.session_state.update(EXAMPLES[name])


ex1, ex2 = st.columns(2)
ex1.button(t("calc.example_paper"), on_click=load_example, args=("paper_to_small",), key="scale_example_1")
ex2.button(t("calc.example_adamw"), on_click=load_example, args=("adamw_double",), key="scale_example_2")

c1, c2, c3 = st.columns(3)
old_batch = c1.number_input(t("calc.old_batch"), **bounds("batch_size"), step=1, key="scale_old_batch",
                            bind="query-params")
old_lr = c2.number_input(t("calc.old_lr"), **bounds("learning_rate"), step=0.01, format="%g", key="scale_old_lr",
                         bind="query-params")
new_batch = c3.number_input(t("calc.new_batch"), **bounds("batch_size"), step=1, key="scale_new_batch",
                            bind="query-params")
c4, c5, c6 = st.columns(3)
optimizer = choice(c4.selectbox, t("ctl.optimizer"), optimizer_titles(), "scale_optimizer")
n_samples = c5.number_input(t("calc.n"), min_value=1, step=100, key="scale_n", bind="query-params")
epochs = c6.number_input(t("ctl.epochs"), **bounds("epochs"), step=1, key="scale_epochs", bind="query-params")

try:
    p = plan(int(old_batch), float(old_lr), int(new_batch), optimizer, int(n_samples), int(epochs))
except ConfigError as exc:
    view.fail(say(exc))

st.header(f"k = {p.new_batch} / {p.old_batch} = {p.k:g}")
st.success(t("calc.recommended_sqrt" if p.square_root_rule else "calc.recommended_linear", lr=p.recommended_lr,
             batch=p.new_batch, optimizer=optimizer_titles()[optimizer]), icon="👉")
st.caption(t("calc.symbols"))
rules = st.columns(2)
with rules[0]:
    st.subheader(t("calc.linear"))
    st.latex(rf"\eta' = \eta \cdot \frac{{B'}}{{B}} = {p.old_lr:g} \cdot "
             rf"\frac{{{p.new_batch}}}{{{p.old_batch}}} = \mathbf{{{p.linear_lr:.6g}}}")
    st.caption(t("calc.linear_note"))
with rules[1]:
    st.subheader(t("calc.sqrt"))
    st.latex(rf"\eta' = \eta \cdot \sqrt{{k}} = {p.old_lr:g} \cdot \sqrt{{{p.k:g}}} = "
             rf"\mathbf{{{p.sqrt_lr:.6g}}}")
    st.caption(t("calc.sqrt_note"))



def beta(value: float | None) -> str:
    return t("calc.adam_no_beta") if value is None else f"{value:.6g}"


adam = p.adam()
if adam is not None:
    st.subheader(t("calc.adam"))
    st.latex(r"\eta \to \sqrt{k}\,\eta,\quad 1-\beta_1 \to k(1-\beta_1),\quad 1-\beta_2 \to k(1-\beta_2),"
             r"\quad \epsilon \to \epsilon/\sqrt{k}")
    st.markdown(t("calc.adam_values", lr=p.sqrt_lr, beta1=beta(adam.beta1), beta2=beta(adam.beta2), eps=adam.eps))
    st.caption(t("calc.adam_note"))
    if p.short_momentum():
        st.warning(t("calc.beta1_short", beta1=beta(adam.beta1), k=p.k), icon="⚠️")

st.subheader(t("calc.warmup"))
if p.warmup_steps:
    st.latex(rf"\eta_t = {p.old_lr:g} + t \cdot {p.warmup_increment:.3g},\quad t = 0 \ldots {p.warmup_steps}")
    st.caption(t("calc.warmup_note", epochs=p.warmup_epochs, run_epochs=p.epochs, steps=p.warmup_steps,
                 batch=p.new_batch, lr=p.recommended_lr))
else:
    st.caption(t("calc.no_warmup_same" if p.recommended_lr == p.old_lr else "calc.no_warmup_lower"))

st.subheader(t("calc.updates"))
st.table(pd.DataFrame({
    "": [t("calc.per_epoch"), t("calc.in_one_epoch") if p.epochs == 1 else t("calc.in_epochs", epochs=p.epochs)],
    t("calc.before", batch=p.old_batch): [f"{p.updates_per_epoch_old:,}", f"{p.total_updates_old:,}"],
    t("calc.after", batch=p.new_batch): [f"{p.updates_per_epoch_new:,}", f"{p.total_updates_new:,}"],
}).set_index(""))
st.markdown(t("calc.same_updates_one" if p.epochs_for_same_updates == 1 else "calc.same_updates",
              epochs=p.epochs_for_same_updates, batch=p.new_batch, old_total=p.total_updates_old,
              per_epoch=p.updates_per_epoch_new))

more_low, more_high = p.more_epochs
st.info(t("calc.advice", low=more_low, high=more_high, epochs=p.epochs, lower=p.recommended_lr * 0.8,
          lr=p.recommended_lr), icon="💡")

st.header(t("calc.verify_header"))
st.write(t("calc.verify_intro"))
v1, v2, v3 = st.columns(3)
dataset = choice(v1.selectbox, t("ctl.dataset"), dataset_titles(), "scale_dataset",
                 index=list(DATASETS).index("mnist1d"))
model = choice(v2.selectbox, t("ctl.model"), {m: model_titles()[m] for m in DATASETS[dataset].models},
               f"scale_model_{dataset}")
verify_epochs = v3.number_input(t("calc.verify_epochs"), **bounds("epochs"), key="scale_verify_epochs",
                                bind="query-params")
pool = job_pool()
try:
    old = TrainConfig(dataset=dataset, model=model, optimizer=optimizer, epochs=int(verify_epochs),
                      batch_size=p.old_batch, learning_rate=p.old_lr)
    configs = p.verification_configs(old)
    pool.limits.check_grid(list(configs.values()))
except ConfigError as exc:
    view.fail(t("calc.cannot_verify", dataset=dataset_title(dataset), error=say(exc)))
trained = configs["old setting"]
st.caption(t("calc.verify_data", dataset=dataset_title(dataset), n=trained.n_train, old=trained.updates_per_epoch,
             new=configs["linear rule"].updates_per_epoch, old_batch=p.old_batch, new_batch=p.new_batch,
             typed=p.n_samples))
warmed = next((c for c in configs.values() if c.warmup_epochs), None)
if warmed is not None:
    st.caption(t("calc.verify_warmup", start=lr_at(warmed, 0), lr=warmed.learning_rate, epochs=warmed.warmup_epochs,
                 run_epochs=warmed.epochs, steps=warmup_steps(warmed),
                 total=warmed.epochs * warmed.updates_per_epoch))

if st.button(t("calc.verify"), type="primary", key="scale_verify"):
    submitted = submit_all(pool, configs.values())
    st.session_state["scale_jobs"] = {name: job.key for name, job in zip(configs, submitted, strict=True)}


def draw_verification(jobs: dict[str, str]) -> None:
    views = {name: pool.view(key) for name, key in jobs.items()}
    draw_group(pool, list(views.values()), [say(RUN_NAMES[name]) for name in views])
    ready = {name: v for name, v in views.items() if v is not None and v.rows}
    if not ready:
        return
    runs = list(ready.values())
    names = [say(RUN_NAMES[name]) for name in ready]
    labels = [f"{name} ({run_label(v.config, text=say)})" for name, v in zip(names, runs, strict=True)]
    table = runs_table(runs, loss_metric(runs), labels=labels)
    axis_names = {axis: t(key) for axis, key in Y_AXES.items()}
    y_axis = st.segmented_control(t("calc.y_axis"), **choices(axis_names), default="fit", required=True,
                                  key="scale_y", help=t("calc.y_axis_help"))
    ceiling = fit_y_range(table, blew_up(runs, labels)) if y_axis == "fit" else None
    if ceiling:
        _, top, above = ceiling
        shown = ", ".join(f"‘{label}’" for label in above)
        st.caption(t("calc.y_clipped_one" if len(above) == 1 else "calc.y_clipped", top=top, runs=shown))
    chart = overlay_chart(table, loss_metric(runs), x="samples", log_y=y_axis == "log",
                          y_domain=ceiling[:2] if ceiling else None, text=say)
    st.altair_chart(chart, key="scale_chart")
    summary = summary_table(runs, labels=names)
    summary["status"] = summary["status"].map(status_text)
    summary["warmup"] = [f"{v.config.warmup_epochs:.3g}" for v in runs]
    summary["betas"] = [f"{v.config.beta1:g}, {v.config.beta2:g}, {v.config.eps:.2g}" for v in runs]
    columns = {"label": "calc.col_run", "batch_size": "calc.col_batch", "learning_rate": "calc.col_lr",
               "warmup": "calc.col_warmup", **({"betas": "calc.col_betas"} if p.adam() is not None else {}),
               "status": "calc.col_status", "updates": "calc.col_updates", "final_train_loss": "calc.col_train_loss",
               "best_val_loss": "calc.col_val_loss", "best_val_acc": "calc.col_val_acc"}
    st.dataframe(summary[list(columns)].rename(columns={c: t(key) for c, key in columns.items()}),
                 hide_index=True, key="scale_table")


jobs = st.session_state.get("scale_jobs")
if jobs:
    follow(pool, jobs.values(), partial(draw_verification, jobs))
view.end()
