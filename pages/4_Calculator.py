"""The learning-rate scaling calculator: new LR for a new batch size, and a button that checks it by training."""


import pandas as pd
import streamlit as st

from core.charts import fit_y_range, overlay_chart, runs_table
from core.config import OPTIMIZERS, ConfigError, TrainConfig
from core.datasets import DATASETS
from core.scaling import RUN_NAMES, WARMUP_EPOCHS, plan
from core.sweep import group_key, progress
from pages.ui.follow import follow
from pages.ui.i18n import say, t
from pages.ui.links import link_values, warn_about_rejected
from pages.ui.names import dataset_title, dataset_titles, model_titles, optimizer_titles
from pages.ui.nav import sidebar_nav
from pages.ui.resources import job_pool
from pages.ui.run_view import status_text

EXAMPLES = {  # seed 002's worked examples
    "paper_to_small": {"scale_old_batch": 1024, "scale_old_lr": 16.0, "scale_new_batch": 64, "scale_optimizer": "sgd",
                       "scale_n": 100_000},
    "adamw_double": {"scale_old_batch": 64, "scale_old_lr": 2e-5, "scale_new_batch": 128, "scale_optimizer": "adamw",
                     "scale_n": 10_000},
}
Y_AXES = {"fit": "calc.y_fit", "full": "calc.y_full", "log": "calc.y_log"}  # the Verify chart's y-axis choices

link = link_values()  # before the language selector, so that a ?lang= it refuses is named too
sidebar_nav("pages/4_Calculator.py")
st.title(t("calc.title"))
st.write(t("calc.intro"))

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
old_batch = c1.number_input(t("calc.old_batch"), min_value=1, step=1, key="scale_old_batch", bind="query-params")
old_lr = c2.number_input(t("calc.old_lr"), min_value=1e-8, step=0.01, format="%g", key="scale_old_lr",
                         bind="query-params")
new_batch = c3.number_input(t("calc.new_batch"), min_value=1, step=1, key="scale_new_batch", bind="query-params")
c4, c5, c6 = st.columns(3)
optimizer = c4.selectbox(t("ctl.optimizer"), OPTIMIZERS, format_func=optimizer_titles().__getitem__,
                         key="scale_optimizer", bind="query-params")
n_samples = c5.number_input(t("calc.n"), min_value=1, step=100, key="scale_n", bind="query-params")
epochs = c6.number_input(t("ctl.epochs"), min_value=1, max_value=10_000, step=1, key="scale_epochs",
                         bind="query-params")

try:
    p = plan(int(old_batch), float(old_lr), int(new_batch), optimizer, int(n_samples), int(epochs))
except ConfigError as exc:
    st.error(say(exc), icon="🚫")
    st.stop()

st.header(f"k = {p.new_batch} / {p.old_batch} = {p.k:g}")
rules = st.columns(2)
with rules[0]:
    st.subheader(t("calc.linear"))
    st.latex(rf"\eta_{{new}} = \eta_{{old}} \cdot \frac{{B_{{new}}}}{{B_{{old}}}} = {p.old_lr:g} \cdot "
             rf"\frac{{{p.new_batch}}}{{{p.old_batch}}} = \mathbf{{{p.linear_lr:.6g}}}")
    st.caption(t("calc.linear_note"))
with rules[1]:
    st.subheader(t("calc.sqrt"))
    st.latex(rf"\eta_{{new}} = \eta_{{old}} \cdot \sqrt{{k}} = {p.old_lr:g} \cdot \sqrt{{{p.k:g}}} = "
             rf"\mathbf{{{p.sqrt_lr:.6g}}}")
    st.caption(t("calc.sqrt_note"))

adam = p.adam()
if adam is not None:
    st.subheader(t("calc.adam"))
    beta = lambda v: t("calc.adam_no_beta") if v is None else f"{v:.6g}"  # noqa: E731
    st.latex(r"\eta \to \sqrt{k}\,\eta,\quad 1-\beta_1 \to k(1-\beta_1),\quad 1-\beta_2 \to k(1-\beta_2),"
             r"\quad \epsilon \to \epsilon/\sqrt{k}")
    st.markdown(t("calc.adam_values", lr=p.sqrt_lr, beta1=beta(adam.beta1), beta2=beta(adam.beta2), eps=adam.eps))
    st.caption(t("calc.adam_note"))

st.subheader(t("calc.warmup"))
if p.warmup_steps:
    st.latex(rf"\eta_t = {p.old_lr:g} + t \cdot {p.warmup_increment:.3g},\quad t = 0 \ldots {p.warmup_steps}")
    st.caption(t("calc.warmup_note", epochs=WARMUP_EPOCHS, steps=p.warmup_steps, batch=p.new_batch))
else:
    st.caption(t("calc.no_warmup_same" if p.linear_lr == p.old_lr else "calc.no_warmup_lower"))

st.subheader(t("calc.updates"))
old_column, new_column = t("calc.batch_column", batch=p.old_batch), t("calc.batch_column", batch=p.new_batch)
if new_column == old_column:  # the same batch size: two columns still, not one
    new_column += " "
st.table(pd.DataFrame({
    "": [t("calc.per_epoch"), t("calc.in_one_epoch") if p.epochs == 1 else t("calc.in_epochs", epochs=p.epochs)],
    old_column: [f"{p.updates_per_epoch_old:,}", f"{p.total_updates_old:,}"],
    new_column: [f"{p.updates_per_epoch_new:,}", f"{p.total_updates_new:,}"],
}).set_index(""))
st.markdown(t("calc.same_updates_one" if p.epochs_for_same_updates == 1 else "calc.same_updates",
              epochs=p.epochs_for_same_updates, batch=p.new_batch, old_total=p.total_updates_old,
              per_epoch=p.updates_per_epoch_new))

more_low, more_high = p.more_epochs
st.info(t("calc.advice", low=more_low, high=more_high, epochs=p.epochs, lower=p.linear_lr * 0.8, lr=p.linear_lr),
        icon="💡")

st.header(t("calc.verify_header"))
st.write(t("calc.verify_intro"))
v1, v2, v3 = st.columns(3)
dataset = v1.selectbox(t("ctl.dataset"), list(DATASETS), index=list(DATASETS).index("mnist1d"),
                       format_func=dataset_titles().__getitem__, key="scale_dataset", bind="query-params")
models = DATASETS[dataset].models
model = v2.selectbox(t("ctl.model"), models, format_func=model_titles().__getitem__, key=f"scale_model_{dataset}",
                     bind="query-params")
verify_epochs = v3.number_input(t("calc.verify_epochs"), min_value=1, max_value=200, key="scale_verify_epochs",
                                bind="query-params")
pool = job_pool()
warn_about_rejected(link)
try:
    base = TrainConfig(dataset=dataset, model=model, optimizer=optimizer, epochs=int(verify_epochs), batch_size=1)
    configs = p.verification_configs(base)
    pool.limits.check_grid(list(configs.values()))
except ConfigError as exc:
    st.error(t("calc.cannot_verify", dataset=dataset_title(dataset), error=say(exc)), icon="🚫")
    st.stop()

if st.button(t("calc.verify"), type="primary", key="scale_verify"):
    st.session_state["scale_jobs"] = {name: pool.submit(c).key for name, c in configs.items()}


def draw_verification(jobs: dict[str, str]) -> None:
    views = {name: pool.view(key) for name, key in jobs.items()}
    state = progress(list(views.values()), pool.workers)
    st.progress(state.fraction, text=t("calc.progress", done=state.done, total=state.total))
    failed = [v for v in views.values() if v is not None and v.status == "failed"]
    if failed:
        st.error(t("run.failed", message=say(failed[0].message)), icon="🚫")
    ready = {name: v for name, v in views.items() if v is not None and v.rows}
    if not ready:
        return
    names = {name: say(RUN_NAMES[name]) if name in RUN_NAMES else name for name in ready}
    labels = {name: f"{names[name]} (B {v.config.batch_size}, LR {v.config.learning_rate:.4g})"
              for name, v in ready.items()}
    series = [({"run": v.config.key, "label": labels[name], "batch_size": v.config.batch_size,
                "learning_rate": v.config.learning_rate, "group": group_key(v.config)}, v.rows)
              for name, v in ready.items()]
    metric = "val_loss" if any(r["val_loss"] == r["val_loss"] for _, rows in series for r in rows) else "train_loss"
    table = runs_table(series, metric)
    axis_names = {axis: t(key) for axis, key in Y_AXES.items()}  # made now: see pages/ui/names.py
    y_axis = st.segmented_control(t("calc.y_axis"), list(Y_AXES), format_func=axis_names.get, default="fit",
                                  required=True, key="scale_y", help=t("calc.y_axis_help"))
    unstable = {labels[name] for name, v in ready.items() if v.status in ("diverged", "failed")}
    ceiling = fit_y_range(table, unstable) if y_axis == "fit" else None
    if ceiling:
        low, top, above = ceiling
        runs = ", ".join(f"‘{label}’" for label in above)
        st.caption(t("calc.y_clipped_one" if len(above) == 1 else "calc.y_clipped", top=top, runs=runs))
    chart = overlay_chart(table, metric, x="samples", log_y=y_axis == "log",
                          y_domain=ceiling[:2] if ceiling else None, text=say)
    st.altair_chart(chart, key="scale_chart")
    summary = []
    for name, v in ready.items():
        last, finite = v.rows[-1], [r for r in v.rows if r["val_loss"] == r["val_loss"]]
        best = min(finite, key=lambda r: r["val_loss"]) if finite else None
        summary.append({t("calc.col_run"): names[name], t("calc.col_batch"): v.config.batch_size,
                        t("calc.col_lr"): v.config.learning_rate, t("calc.col_status"): status_text(v.status),
                        t("calc.col_updates"): last["step"], t("calc.col_train_loss"): last["train_loss"],
                        t("calc.col_val_loss"): best["val_loss"] if best else None,
                        t("calc.col_val_acc"): best["val_acc"] if best else None})
    st.dataframe(pd.DataFrame(summary), hide_index=True, key="scale_table")


jobs = st.session_state.get("scale_jobs")
if jobs:
    follow(pool, jobs.values(), lambda: draw_verification(jobs))
