"""The critical batch size, two ways: the gradient noise scale during training, and steps to a target."""

import math
from functools import partial

import pandas as pd
import streamlit as st

from core.analysis.critical_batch import (
    MAX_SEEDS,
    Experiment,
    chart_data,
    critical_batch,
    less_noisy,
    points,
    regime,
    steps_table,
    target_curves,
    wanted,
)
from core.analysis.noise_scale import check_two_batches, noise_up_to
from core.analysis.steps_to_target import TargetRun
from core.charts import examples_against_steps_chart, noise_scale_chart, steps_to_target_chart, target_curves_chart
from core.experiments.presets import grid
from core.jobs.job import JobView
from core.settings import ConfigError
from core.training.config import ADAM_TYPE
from core.training.data import DATASETS
from core.training.record import Status, epochs_in
from pages.ui.follow import any_active, follow
from pages.ui.i18n import say, t
from pages.ui.identity import submit
from pages.ui.jobs_panel import draw_group
from pages.ui.page import page
from pages.ui.resources import job_pool
from pages.ui.run_view import status_text
from pages.ui.train_controls import config_controls
from pages.ui.widgets import bounds, choices
from pages.ui.x_axis import x_axis_toggle

BATCH_CHOICES = [8, 16, 32, 64, 128, 256, 512, 1024, 2048]
LR_CHOICES = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]

view = page("pages/7_Critical_Batch.py", share=True)
pool = job_pool()
base, error = config_controls(prefix="cb_", hide=("batch_size", "learning_rate"))
if base is None:
    view.fail(error or "")
task = DATASETS[base.dataset].task

# ---------------------------------------------------------------- 1. noise scale during one run
st.header(t("cb.noise_header"))
st.write(t("cb.noise_intro"))
n1, n2 = st.columns(2)
noise_batch = n1.number_input(t("cb.noise_batch"), **bounds("batch_size"), value=64, key="cb_noise_batch",
                              bind="query-params")
noise_lr = n2.number_input(t("cb.noise_lr"), **bounds("learning_rate"), value=base.learning_rate, format="%g",
                           key="cb_noise_lr", bind="query-params")
try:
    noise_config = grid(base, [int(noise_batch)], [float(noise_lr)])[0]
    pool.limits.check(noise_config)
    check_two_batches(noise_config.batch_size, noise_config.n_train)
    measurable = True
except ConfigError as exc:
    st.error(say(exc), icon="🚫")
    measurable = False
if measurable and st.button(t("cb.noise_button"), type="primary", key="cb_noise_run"):
    st.session_state["cb_noise_job"] = submit(pool, noise_config, "noise_scale").key


def draw_noise(key: str) -> None:
    job = pool.view(key)
    if job is None:
        return
    st.progress(job.progress, text=t("cb.noise_progress", status=status_text(job.status), done=epochs_in(job.rows),
                                     epochs=job.config.epochs))
    if job.status == Status.FAILED:
        st.error(t("cb.noise_failed", message=say(job.message)), icon="🚫")
    rows = [r for r in job.rows if "b_simple" in r]
    if rows:
        last = rows[-1]
        value = last["b_simple"]
        st.metric(t("cb.noise_metric"), "–" if not math.isfinite(value) or value <= 0 else f"{value:,.0f}",
                  help=t("cb.noise_metric_help"))
        st.caption(t("cb.noise_interval", low=last["b_simple_low"], high=last["b_simple_high"])
                   if math.isfinite(last["b_simple_high"]) else t("cb.noise_open_interval", low=last["b_simple_low"]))
        st.altair_chart(noise_scale_chart(rows, text=say), key="cb_noise_chart")


noise_key = st.session_state.get("cb_noise_job")
if noise_key:
    follow(pool, [noise_key], partial(draw_noise, noise_key))

# ---------------------------------------------------------------- 2. steps to target
st.header(t("cb.steps_header"))
st.write(t("cb.steps_intro"))
s1, s2 = st.columns(2)
batch_sizes = s1.multiselect(t("cb.batches"), BATCH_CHOICES, default=[16, 64, 256, 1024], key="cb_batches",
                             bind="query-params")
learning_rates = s2.multiselect(t("cb.lrs"), LR_CHOICES, default=[0.003, 0.01, 0.03], key="cb_lrs",
                                bind="query-params", help=t("cb.lrs_help"))
metrics = ["val_acc", "val_loss"] if task == "classification" else ["val_loss"]
c1, c2, c3, c4 = st.columns(4)
metric = c1.selectbox(t("cb.target_metric"), **choices({m: t(f"cb.metric.{m}") for m in metrics}), key="cb_metric")
target = c2.number_input(t("cb.target"), min_value=0.0, max_value=1.0 if metric == "val_acc" else None,
                         value=0.8 if metric == "val_acc" else 0.1, format="%g", key=f"cb_target_{metric}",
                         bind="query-params")
budget = c3.number_input(t("cb.budget"), min_value=10, max_value=100_000, value=2000, step=100, key="cb_budget",
                         bind="query-params", help=t("cb.budget_help"))
seeds = c4.number_input(t("cb.seeds"), min_value=1, max_value=MAX_SEEDS, value=2, step=1, key="cb_seeds",
                        bind="query-params", help=t("cb.seeds_help"))
try:
    experiment = Experiment(base, tuple(int(b) for b in batch_sizes), tuple(float(lr) for lr in learning_rates),
                            int(seeds), metric, float(target), int(budget))
    if experiment.most_epochs > pool.limits.max_epochs:
        view.fail(say(experiment.budget_message(pool.limits.max_epochs)))
    pool.limits.check_grid(experiment.most_configs())
except ConfigError as exc:
    view.fail(say(exc))
small, large = (experiment.configs(b, experiment.learning_rates[0])[0] for b in (experiment.smallest,
                                                                                experiment.batch_sizes[-1]))
st.caption(t("cb.runs_caption", runs=len(experiment.most_configs()), budget=experiment.budget, small=small.batch_size,
             small_epochs=small.epochs, large=large.batch_size, large_epochs=large.epochs))
for batch, effective in less_noisy(experiment.batch_sizes, base.n_train):
    st.caption(t("cb.less_noisy", batch=batch, n=base.n_train, effective=effective))
your_batch = st.number_input(t("cb.your_batch"), **bounds("batch_size"), value=512, step=1, key="cb_your_batch",
                             bind="query-params", help=t("cb.your_batch_help"))

def params_of(exp: Experiment) -> dict[str, object]:
    return {"metric": exp.metric, "target": exp.target, "budget": exp.budget}


def finished(views: list[JobView | None]) -> list[TargetRun]:
    return [TargetRun.from_dict(v.output) for v in views if v is not None and not v.active and v.output]


def plan_more(exp: Experiment, keys: list[str]) -> None:
    """Submit the runs the experiment wants now that it has not asked for yet (none after a failure)."""
    views = [pool.view(k) for k in keys]
    if any(v is not None and v.status == Status.FAILED for v in views):
        return
    for config in wanted(exp, finished(views)):
        key = submit(pool, config, "steps_to_target", params_of(exp)).key
        if key not in keys:
            keys.append(key)


if st.button(t("cb.run"), type="primary", key="cb_steps_run",
             disabled=any_active(pool, st.session_state.get("cb_steps_jobs", []))):
    st.session_state["cb_experiment"], st.session_state["cb_steps_jobs"] = experiment, []


def steps_cell(steps: float | None, budget: int) -> str:
    return t("cb.not_reached", budget=budget) if steps is None else f"{steps:,.0f}"


def draw_steps(exp: Experiment, keys: list[str]) -> None:
    views = [pool.view(k) for k in keys]
    draw_group(pool, views, [t("cb.run_name", batch=v.config.batch_size, lr=v.config.learning_rate,
                                seed=v.config.seed) if v is not None else "" for v in views])
    runs = finished(views)
    found = points(exp, runs)
    if not found:
        return
    done = not any_active(pool, keys) and len(found) == len(exp.batch_sizes)
    result = critical_batch(found, exp.base.n_train, seed=exp.base.seed) if done else None
    fit = result.fit if result is not None and result.determined else None
    data = chart_data(found, fit)
    interval = result.b_crit_interval if result is not None and fit is not None else None
    st.altair_chart(steps_to_target_chart(data, fit.b_crit if fit else None, interval, text=say),
                    key="cb_steps_chart")
    st.altair_chart(examples_against_steps_chart(data, (fit.s_min, fit.e_min) if fit else None, text=say),
                    key="cb_examples_chart")
    censored = [p.batch_size for p in found if p.censored]
    if censored:
        st.caption(t("cb.censored", batches=", ".join(map(str, censored)), budget=exp.budget))
    st.caption(t("cb.examples_caption"))
    curves = target_curves(exp, runs)
    if curves:
        x = x_axis_toggle("cb_x", ("step", "samples"))
        st.altair_chart(target_curves_chart(curves, x, exp.metric, exp.target, text=say), key="cb_curves_chart")
        st.caption(t("cb.curves_caption"))
    if result is None:
        st.caption(t("cb.partial", done=len(found), total=len(exp.batch_sizes)))
    elif fit is not None:
        st.markdown(t("cb.answer", batch=int(your_batch), ratio=your_batch / fit.b_crit, b_crit=fit.b_crit,
                      interval=interval_text(interval), s_min=fit.s_min,
                      s_min_interval=interval_text(result.s_min_interval), e_min=fit.e_min,
                      regime=say(regime(fit, int(your_batch)))))
        draw_noise_comparison(exp, fit.b_crit)
    elif result.why_not is not None:
        st.warning(t("cb.not_determined", why=say(result.why_not)), icon="⚠️")
    rows = steps_table(exp, runs, result)
    headers = {"batch_size": t("cb.col.batch_size"), "steps": t("cb.col.steps"), "seed_steps": t("cb.col.seeds"),
               "learning_rate": t("cb.col.best_lr"), "grid": t("cb.col.grid"), "at_edge": t("cb.col.edge"),
               "regime": t("cb.col.regime")}
    table = pd.DataFrame([{
        **row, "steps": steps_cell(row["steps"], exp.budget),
        "seed_steps": " · ".join("–" if s is None else f"{s:,}" for s in row["seed_steps"]),
        "learning_rate": "–" if row["learning_rate"] is None else f"{row['learning_rate']:.3g}",
        "grid": ", ".join(f"{lr:.3g}" for lr in row["grid"]), "at_edge": t("cb.edge_yes") if row["at_edge"] else "",
        "regime": say(row["regime"]) if row["regime"] is not None else ""} for row in rows],
        columns=list(headers)).rename(columns=headers)
    st.dataframe(table, hide_index=True, key="cb_steps_table")
    edges = [row["batch_size"] for row in rows if row["at_edge"]]
    if edges:
        st.warning(t("cb.at_edge", batches=", ".join(map(str, edges))), icon="⚠️")


def interval_text(interval: tuple[float, float] | None) -> str:
    return t("cb.interval", low=interval[0], high=interval[1]) if interval else t("cb.no_interval")


def draw_noise_comparison(exp: Experiment, b_crit: float) -> None:
    """B_crit beside the noise scale measured above, averaged up to the target, when that run trained the
    same data, model and optimizer (McCandlish et al.: B_crit ≈ B_noise, which B_simple approximates)."""
    key = st.session_state.get("cb_noise_job")
    job = pool.view(key) if key else None
    if job is None or job.active or not job.rows:
        return
    if any(getattr(job.config, f) != getattr(exp.base, f) for f in ("dataset", "model", "optimizer")):
        st.caption(t("cb.noise_other_setup"))
        return
    noise, epochs, reached_target = noise_up_to(job.rows, exp.metric, exp.target)
    if not math.isfinite(noise) or noise <= 0:
        return
    st.write(t("cb.compare_noise" if reached_target else "cb.compare_noise_unreached", noise=noise, epochs=epochs,
               ratio=b_crit / noise))
    if exp.base.optimizer in ADAM_TYPE:
        st.caption(t("cb.compare_adam"))


steps_experiment = st.session_state.get("cb_experiment")
steps_keys = st.session_state.get("cb_steps_jobs")
if isinstance(steps_experiment, Experiment) and isinstance(steps_keys, list):
    plan_more(steps_experiment, steps_keys)
    follow(pool, steps_keys, partial(draw_steps, steps_experiment, steps_keys))
view.end()
