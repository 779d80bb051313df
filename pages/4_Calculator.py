"""The learning-rate scaling calculator: new LR for a new batch size, and a button that checks it by training."""

import pandas as pd
import streamlit as st

from core.charts import overlay_chart, runs_table
from core.config import OPTIMIZERS, ConfigError, TrainConfig
from core.datasets import DATASETS
from core.models import MODEL_TITLES
from core.scaling import WARMUP_EPOCHS, plan
from core.sweep import group_key, progress
from pages.ui.links import link_values, warn_about_rejected
from pages.ui.nav import sidebar_nav
from pages.ui.resources import job_pool
from pages.ui.train_controls import OPTIMIZER_TITLES

EXAMPLES = {  # seed 002's worked examples
    "paper_to_small": {"scale_old_batch": 1024, "scale_old_lr": 16.0, "scale_new_batch": 64, "scale_optimizer": "sgd",
                       "scale_n": 100_000},
    "adamw_double": {"scale_old_batch": 64, "scale_old_lr": 2e-5, "scale_new_batch": 128, "scale_optimizer": "adamw",
                     "scale_n": 10_000},
}

st.set_page_config(page_title="Scaling calculator · Batch Lab", page_icon="🧮", layout="wide")
sidebar_nav()
st.title("Scaling calculator (학습률 스케일링)")
st.write(
    "A paper trained with batch 1024 and you can only fit 64? Or you doubled the batch and wonder what to do "
    "with the learning rate? Enter the old setting and the new batch size: the calculator gives each rule's "
    "learning rate — and **Verify** trains them, so you see where a rule holds and where it breaks.")


link = link_values()
DEFAULTS = {"scale_old_batch": 64, "scale_old_lr": 0.1, "scale_new_batch": 256, "scale_optimizer": "sgd",
            "scale_n": 3200, "scale_epochs": 10, "scale_verify_epochs": 10}
for key, value in DEFAULTS.items():
    st.session_state.setdefault(key, value)


def load_example(name: str) -> None:
    st.session_state.update(EXAMPLES[name])


ex1, ex2 = st.columns(2)
ex1.button("Example: batch 1024, LR 16 → batch 64", on_click=load_example, args=("paper_to_small",),
           key="scale_example_1")
ex2.button("Example: batch 64, LR 2e-5 (AdamW) → batch 128", on_click=load_example, args=("adamw_double",),
           key="scale_example_2")

c1, c2, c3 = st.columns(3)
old_batch = c1.number_input("Old batch size", min_value=1, step=1, key="scale_old_batch", bind="query-params")
old_lr = c2.number_input("Old learning rate", min_value=1e-8, step=0.01, format="%g", key="scale_old_lr", bind="query-params")
new_batch = c3.number_input("New batch size", min_value=1, step=1, key="scale_new_batch", bind="query-params")
c4, c5, c6 = st.columns(3)
optimizer = c4.selectbox("Optimizer", OPTIMIZERS, format_func=OPTIMIZER_TITLES.get, key="scale_optimizer", bind="query-params")
n_samples = c5.number_input("Training samples N", min_value=1, step=100, key="scale_n", bind="query-params")
epochs = c6.number_input("Epochs", min_value=1, max_value=10_000, step=1, key="scale_epochs", bind="query-params")

try:
    p = plan(int(old_batch), float(old_lr), int(new_batch), optimizer, int(n_samples), int(epochs))
except ConfigError as exc:
    st.error(str(exc), icon="🚫")
    st.stop()

st.header(f"k = {p.new_batch} / {p.old_batch} = {p.k:g}")
rules = st.columns(2)
with rules[0]:
    st.subheader("Linear rule")
    st.latex(rf"\eta_{{new}} = \eta_{{old}} \cdot \frac{{B_{{new}}}}{{B_{{old}}}} = {p.old_lr:g} \cdot "
             rf"\frac{{{p.new_batch}}}{{{p.old_batch}}} = \mathbf{{{p.linear_lr:.6g}}}")
    st.caption("Goyal et al. 2017: k times larger batches average k times more gradients per step, so take k "
               "times larger steps. Held for ResNet-50 on ImageNet up to batch 8k, with warm-up.")
with rules[1]:
    st.subheader("Square-root rule")
    st.latex(rf"\eta_{{new}} = \eta_{{old}} \cdot \sqrt{{k}} = {p.old_lr:g} \cdot \sqrt{{{p.k:g}}} = "
             rf"\mathbf{{{p.sqrt_lr:.6g}}}")
    st.caption("Krizhevsky 2014; Hoffer et al. 2017: keeps the variance of the update the same, since a "
               "k times larger batch has √k times less gradient noise.")

adam = p.adam()
if adam is not None:
    st.subheader("Adam: the square-root rule with its β and ε (Malladi et al. 2022)")
    beta = lambda v: "no valid value: k is too large for this β" if v is None else f"{v:.6g}"  # noqa: E731
    st.latex(r"\eta \to \sqrt{k}\,\eta,\quad 1-\beta_1 \to k(1-\beta_1),\quad 1-\beta_2 \to k(1-\beta_2),"
             r"\quad \epsilon \to \epsilon/\sqrt{k}")
    st.markdown(f"From the defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8: **LR {p.sqrt_lr:.6g}**, "
                f"**β₁ {beta(adam.beta1)}**, **β₂ {beta(adam.beta2)}**, **ε {adam.eps:.3g}**.")
    st.caption("Derived from a stochastic differential equation that Adam follows; it keeps the training "
               "dynamics the same when the batch changes.")

st.subheader("Warm-up")
if p.warmup_steps:
    st.latex(rf"\eta_t = {p.old_lr:g} + t \cdot {p.warmup_increment:.3g},\quad t = 0 \ldots {p.warmup_steps}")
    st.caption(f"Goyal et al.: start at the old LR and add a constant each step, reaching the new LR after "
               f"{WARMUP_EPOCHS} epochs ({p.warmup_steps:,} updates at batch {p.new_batch}); a large LR from the "
               "first step can wreck the early, fast-changing phase of training.")
else:
    st.caption("The learning rate goes down, so no warm-up is needed.")

st.subheader("Update steps")
st.table(pd.DataFrame({
    "": ["updates per epoch", f"updates in {p.epochs} epochs"],
    f"batch {p.old_batch}": [f"{p.updates_per_epoch_old:,}", f"{p.total_updates_old:,}"],
    f"batch {p.new_batch}": [f"{p.updates_per_epoch_new:,}", f"{p.total_updates_new:,}"],
}).set_index(""))
epochs_word = "epoch" if p.epochs_for_same_updates == 1 else "epochs"
st.markdown(f"To make as many updates as before, train **{p.epochs_for_same_updates:,} {epochs_word}** at batch "
            f"{p.new_batch} (⌈{p.total_updates_old:,} / {p.updates_per_epoch_new:,}⌉).")

more_low, more_high = p.more_epochs
st.info(
    f"**Advice from seed 002 — a rule of thumb, not a law.** A rescaled run rarely matches exactly. If the "
    f"accuracy comes out slightly lower, train about 10–20% more epochs ({more_low}–{more_high} instead of "
    f"{p.epochs}, with early stopping). If it overfits, lower the learning rate a little (e.g. "
    f"{p.linear_lr * 0.8:.3g} instead of {p.linear_lr:.3g}).", icon="💡")

st.header("Verify it by training (검증)")
st.write("Trains the old setting, and the new batch size with the linear, square-root and unscaled LR, then "
         "overlays the curves against samples seen. The engine's Adam keeps β and ε at their defaults: "
         "only the learning-rate rules are tested.")
v1, v2, v3 = st.columns(3)
dataset = v1.selectbox("Dataset", list(DATASETS), index=list(DATASETS).index("mnist1d"),
                       format_func=lambda d: DATASETS[d].title, key="scale_dataset", bind="query-params")
model = v2.selectbox("Model", DATASETS[dataset].models, format_func=MODEL_TITLES.get, key=f"scale_model_{dataset}", bind="query-params")
verify_epochs = v3.number_input("Epochs to train", min_value=1, max_value=200, key="scale_verify_epochs", bind="query-params")
pool = job_pool()
warn_about_rejected(link)
try:
    base = TrainConfig(dataset=dataset, model=model, optimizer=optimizer, epochs=int(verify_epochs), batch_size=1)
    configs = p.verification_configs(base)
    pool.limits.check_grid(list(configs.values()))
except ConfigError as exc:
    st.error(f"These settings cannot be verified on {DATASETS[dataset].title}: {exc}", icon="🚫")
    st.stop()

if st.button("Verify", type="primary", key="scale_verify"):
    st.session_state["scale_jobs"] = {name: pool.submit(c).key for name, c in configs.items()}


def draw_verification(jobs: dict[str, str]) -> None:
    views = {name: pool.view(key) for name, key in jobs.items()}
    state = progress(list(views.values()), pool.workers)
    st.progress(state.fraction, text=f"{state.done} of {state.total} runs done")
    failed = [v for v in views.values() if v is not None and v.status == "failed"]
    if failed:
        st.error(f"Training failed: {failed[0].message}", icon="🚫")
    ready = {name: v for name, v in views.items() if v is not None and v.rows}
    if not ready:
        return
    series = [({"run": v.config.key, "label": f"{name} (B {v.config.batch_size}, LR {v.config.learning_rate:.4g})",
                "batch_size": v.config.batch_size, "learning_rate": v.config.learning_rate,
                "group": group_key(v.config)}, v.rows) for name, v in ready.items()]
    metric = "val_loss" if any(r["val_loss"] == r["val_loss"] for _, rows in series for r in rows) else "train_loss"
    st.altair_chart(overlay_chart(runs_table(series, metric), metric, x="samples"), key="scale_chart")
    table = []
    for name, v in ready.items():
        last, finite = v.rows[-1], [r for r in v.rows if r["val_loss"] == r["val_loss"]]
        best = min(finite, key=lambda r: r["val_loss"]) if finite else None
        table.append({"run": name, "batch size": v.config.batch_size, "LR": v.config.learning_rate,
                      "status": v.status, "updates": last["step"], "final train loss": last["train_loss"],
                      "best val loss": best["val_loss"] if best else None,
                      "best val accuracy": best["val_acc"] if best else None})
    st.dataframe(pd.DataFrame(table), hide_index=True, key="scale_table")


@st.fragment(run_every=1.0)
def live(jobs: dict[str, str]) -> None:
    if not any((v := pool.view(k)) is not None and v.active for k in jobs.values()):
        st.rerun()
    draw_verification(jobs)


jobs = st.session_state.get("scale_jobs")
if jobs:
    if any((v := pool.view(k)) is not None and v.active for k in jobs.values()):
        live(jobs)
    else:
        draw_verification(jobs)
