"""Steps to a target against batch size, and the critical batch size (Shallue et al., 2019,
"Measuring the Effects of Data Parallelism on Neural Network Training"; McCandlish et al., 2018,
"An Empirical Model of Large-Batch Training").

For each batch size B, with the learning rate tuned per batch size, count the update steps
S(B) a run needs to reach a target validation loss (or accuracy). On log-log axes S first
falls as 1/B (perfect scaling: twice the batch, half the steps), then flattens (diminishing
returns), then stops falling (maximal data parallelism). McCandlish et al. model the curve as

    S(B) = S_min · (1 + B_crit / B),    equivalently    E(B) = S·B = E_min · (1 + B / B_crit),

where S_min is the fewest steps any batch size can need, E_min = S_min·B_crit the fewest examples,
and B_crit, the critical batch size, is where the bend is: at B = B_crit a run needs twice S_min.

The protocol, as the papers measure it:
- every run has the same budget in update steps (not in epochs: at equal epochs the large
  batches, which need the most examples, are the first to run out) and is evaluated at step
  resolution (core.analysis.steps_to_target);
- the learning rate is tuned per batch size: the smallest batch on the grid given, every other on
  three values centred on the rule's prediction from the smallest batch's best LR (linear for SGD,
  square root for Adam), and a best LR at the edge of its grid widens the grid once;
- a batch size that never reaches the target is censored (S > budget): shown, listed, not fitted;
- the fit says when it cannot be trusted, and gives an interval (a bootstrap over seeds or residuals).
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.analysis.scaling import plan as scaling_plan
from core.analysis.steps_to_target import Ending, TargetRun, check_target, epochs_for
from core.messages import Message
from core.settings import ConfigError
from core.training.config import CONSTRAINTS, Interval, TrainConfig

# Our convention for the regimes: below B_crit/3 the 1/B term is more than 3/4 of S, above
# 3·B_crit S_min is more than 3/4 of S.
REGIME_FACTOR = 3.0
CENTRED_GRID = (0.5, 1.0, 2.0)  # the grid around the rule's prediction, as factors of it
MIN_REACHED = 3  # batch sizes that reached the target, for a fit of two parameters to be checked at all
# Every point within this share of the perfect-scaling line (S·B the same at every batch size) means the bend
# was not observed: twice the evaluation's own resolution (evaluations ~10% apart).
ON_THE_LINE = 0.25
BOOTSTRAP_DRAWS = 400
# Percentiles of the bootstrap: a nominal 95% interval, which covered the true B_crit of a synthetic problem
# (8 batch sizes, 10% noise) in about 88% of 200 trials, with one seed or three: a bootstrap of a few seeds
# or residuals understates the spread, so the nominal level is above what it delivers.
INTERVAL = (2.5, 97.5)
MAX_SEEDS = 5


# --------------------------------------------------------------------------- the experiment

@dataclass(frozen=True)
class Experiment:
    """What a steps-to-target experiment trains: `base` at each batch size and seed, towards one target."""

    base: TrainConfig
    batch_sizes: tuple[int, ...]
    learning_rates: tuple[float, ...]  # the smallest batch size's grid
    seeds: int
    metric: str
    target: float
    budget: int  # update steps per run

    def __post_init__(self) -> None:
        check_target(self.metric, self.target, self.budget)
        if len(set(self.batch_sizes)) < 2:
            raise ConfigError(Message("critical.few_batches", "Pick at least two batch sizes (three or more for a "
                                      "fit), got {count}.", count=len(set(self.batch_sizes))))
        if len(set(self.learning_rates)) < 3:
            raise ConfigError(Message("critical.few_lrs", "Pick at least three learning rates for the smallest batch "
                                      "size, so its best one can be told from the edges of the grid; got {count}.",
                                      count=len(set(self.learning_rates))))
        if not 1 <= self.seeds <= MAX_SEEDS:
            raise ConfigError(Message("critical.seeds", "The number of seeds must be between 1 and {most}, got "
                                      "{seeds}.", most=MAX_SEEDS, seeds=self.seeds))
        object.__setattr__(self, "batch_sizes", tuple(sorted(set(self.batch_sizes))))
        object.__setattr__(self, "learning_rates", tuple(sorted(set(self.learning_rates))))
        most = CONSTRAINTS["epochs"]
        if isinstance(most, Interval) and self.most_epochs > most.high:
            raise ConfigError(self.budget_message(int(most.high)))

    @property
    def most_epochs(self) -> int:
        """The epochs the budget takes at the largest batch size, which has the fewest updates per epoch."""
        largest = dataclasses.replace(self.base, batch_size=self.batch_sizes[-1])
        return math.ceil(self.budget / largest.updates_per_epoch)  # as epochs_for, without a config to refuse

    def budget_message(self, cap: int) -> Message:
        """Why the budget is too large for `cap` epochs per run, in steps, which is what the user set."""
        largest = dataclasses.replace(self.base, batch_size=self.batch_sizes[-1])
        return Message("critical.budget_epochs", "A budget of {budget:,} update steps takes {epochs:,} epochs at "
                       "batch {batch} ({per_epoch} updates per epoch), and a run may have at most {cap:,}: pick a "
                       "smaller budget or a smaller largest batch.", budget=self.budget, epochs=self.most_epochs,
                       batch=largest.batch_size, per_epoch=largest.updates_per_epoch, cap=cap)

    @property
    def smallest(self) -> int:
        return self.batch_sizes[0]

    def configs(self, batch_size: int, learning_rate: float) -> list[TrainConfig]:
        """One run per seed of this setting, with epochs enough for the budget."""
        setting = dataclasses.replace(self.base, batch_size=batch_size, learning_rate=learning_rate)
        return [epochs_for(dataclasses.replace(setting, seed=self.base.seed + i), self.budget)
                for i in range(self.seeds)]

    def most_configs(self) -> list[TrainConfig]:
        """A config for every run the experiment may ask for at most (every grid widened once), each
        with its batch size's epochs: what the server's caps are checked against before it starts."""
        values = {b: (len(self.learning_rates) if b == self.smallest else len(CENTRED_GRID)) + 1
                  for b in self.batch_sizes}
        return [config for b in self.batch_sizes for _ in range(values[b])
                for config in self.configs(b, self.learning_rates[0])]

    def centred_grid(self, batch_size: int, best_small: float) -> tuple[float, ...]:
        """The grid at a larger batch: CENTRED_GRID around the rule's LR for it, from the smallest batch's best."""
        centre = scaling_plan(self.smallest, best_small, batch_size, self.base.optimizer,
                              n_samples=max(batch_size, self.base.n_train)).recommended_lr
        return tuple(centre * f for f in CENTRED_GRID)


@dataclass(frozen=True)
class Tuning:
    """Where the LR search at one batch size stands."""

    batch_size: int
    grid: tuple[float, ...]  # the learning rates tried or to try, a widened one included
    complete: bool  # every run of the grid has finished and no widening is due
    best: float | None  # the LR with the fewest steps (median over seeds); None if none reached the target
    steps: dict[float, tuple[int | None, ...]]  # per finished LR, each seed's steps (None: did not reach)
    widened: bool
    at_edge: bool  # the best LR is still at an edge of the grid after widening once


def median_steps(steps: Sequence[float | None]) -> float:
    """The median over seeds, a seed that did not reach the target counting as more than any number of steps."""
    return statistics.median([math.inf if s is None else float(s) for s in steps]) if steps else math.inf


def _tune(experiment: Experiment, batch_size: int, grid: tuple[float, ...],
          done: dict[tuple[int, float], list[TargetRun]]) -> Tuning:
    """The search at one batch size over `grid`, widened once (by the grid's own step) when its best
    LR is at an edge. Where no LR reached the target it widens towards the side that failed less: down
    when a run diverged (the rule's LR overshot what the batch can take), else up (too slow for the budget)."""
    grid = tuple(grid_value(lr) for lr in grid)
    ratio = (grid[-1] / grid[0]) ** (1 / (len(grid) - 1))
    widened = False
    while True:
        finished = {lr: done[(batch_size, lr)] for lr in grid
                    if len(done.get((batch_size, lr), [])) == experiment.seeds}
        steps = {lr: tuple(r.steps for r in runs) for lr, runs in finished.items()}
        if len(steps) < len(grid):
            return Tuning(batch_size, grid, False, None, steps, widened, False)
        medians = {lr: median_steps(s) for lr, s in steps.items()}
        best = min(grid, key=lambda lr: (medians[lr], lr))  # ties: the smaller, more cautious LR
        if math.isfinite(medians[best]):
            edge, down = best in (grid[0], grid[-1]), best == grid[0]
        else:
            edge, down = True, any(r.ending == Ending.DIVERGED for runs in finished.values() for r in runs)
        wider = (grid[0] / ratio, *grid) if down else (*grid, grid[-1] * ratio)
        found = best if math.isfinite(medians[best]) else None
        if not edge or widened or not all(_allowed(lr) for lr in wider):
            return Tuning(batch_size, grid, True, found, steps, widened, edge and found is not None)
        grid, widened = tuple(grid_value(lr) for lr in wider), True


def _allowed(lr: float) -> bool:
    """Whether a TrainConfig accepts this learning rate (a widened grid stops at the bounds)."""
    bounds = CONSTRAINTS["learning_rate"]
    return isinstance(bounds, Interval) and bounds.low < lr <= bounds.high


def tunings(experiment: Experiment, runs: Sequence[TargetRun]) -> list[Tuning]:
    """The LR search at every batch size, as far as the finished `runs` take it: the smallest batch
    first, then every other one on the grid centred on the smallest batch's best LR (or on the
    smallest batch's grid, if it reached the target at no LR)."""
    done: dict[tuple[int, float], list[TargetRun]] = {}
    for run in runs:
        if run.ending != Ending.STOPPED:
            key = (run.config.batch_size, grid_value(run.config.learning_rate))
            done.setdefault(key, []).append(run)
    first = _tune(experiment, experiment.smallest, experiment.learning_rates, done)
    found = [first]
    if not first.complete:
        return found
    for batch in experiment.batch_sizes[1:]:
        grid = (experiment.centred_grid(batch, first.best) if first.best is not None
                else experiment.learning_rates)
        found.append(_tune(experiment, batch, tuple(lr for lr in grid if _allowed(lr)) or grid, done))
    return found


def grid_value(lr: float) -> float:
    """A learning rate rounded to 6 significant digits, so a computed grid value and the config's match."""
    return float(f"{lr:.6g}")


def wanted(experiment: Experiment, runs: Sequence[TargetRun]) -> list[TrainConfig]:
    """Every run the experiment wants now, given the finished `runs`: the caller submits those it has
    not yet (a job pool answers a repeated request with the same job), until the list stops growing."""
    configs = []
    for tuning in tunings(experiment, runs):
        for lr in tuning.grid:
            configs += experiment.configs(tuning.batch_size, lr)
    return configs


# --------------------------------------------------------------------------- the points

@dataclass(frozen=True)
class BatchPoint:
    """One batch size's result: its best LR's steps to the target, per seed and as their median."""

    batch_size: int
    learning_rate: float | None  # the best LR; None if no LR reached the target
    seed_steps: tuple[float | None, ...]  # at the best LR (None: that seed did not reach the target)
    budget: int
    at_edge: bool = False  # the best LR sits at an edge of its grid, even after widening

    @property
    def steps(self) -> float | None:
        """The median over seeds; None when it did not reach the target (censored: S > budget)."""
        median = median_steps(self.seed_steps)
        return median if math.isfinite(median) else None

    @property
    def censored(self) -> bool:
        return self.steps is None


def points(experiment: Experiment, runs: Sequence[TargetRun]) -> list[BatchPoint]:
    """One point per batch size whose LR search is complete, in batch-size order."""
    return [_point(experiment, t) for t in tunings(experiment, runs) if t.complete]


def _point(experiment: Experiment, tuning: Tuning) -> BatchPoint:
    seed_steps = tuning.steps[tuning.best] if tuning.best is not None else ()
    return BatchPoint(tuning.batch_size, tuning.best, seed_steps, experiment.budget, tuning.at_edge)


# --------------------------------------------------------------------------- the fit

@dataclass(frozen=True)
class ScalingFit:
    """The fitted S(B) = S_min · (1 + B_crit / B)."""

    s_min: float
    b_crit: float
    points: int  # how many batch sizes the fit used

    def steps(self, batch_size: float) -> float:
        """The steps the model predicts at this batch size."""
        return self.s_min * (1 + self.b_crit / batch_size)

    @property
    def e_min(self) -> float:
        """The fewest examples any batch size needs: S_min · B_crit."""
        return self.s_min * self.b_crit


def fit_critical_batch(points: Sequence[tuple[int, float]]) -> ScalingFit | None:
    """Fit S_min and B_crit to (batch size, steps) pairs, or None if they cannot be fitted.

    S = S_min + S_min·B_crit/B is linear in 1/B: S = a + b·(1/B) with a = S_min and
    b = S_min·B_crit. The fit is least squares on relative errors, (a + b/B − S)/S, i.e.
    weights 1/S²: S spans orders of magnitude across batch sizes, and plain least squares
    would let the small batches' large step counts decide everything and ignore the flat
    large-batch end, which is exactly where S_min shows.

    None with fewer than 2 distinct batch sizes, or when the best fit has a <= 0 or b < 0:
    the data then do not follow the model (S does not fall towards a positive floor as B
    grows), and no clamped S_min or B_crit would describe them honestly.
    """
    if len({b for b, _ in points}) < 2:
        return None
    steps = np.array([s for _, s in points], dtype=float)
    inverse_batch = 1.0 / np.array([b for b, _ in points], dtype=float)
    # Dividing each row by S turns the weighted problem into an ordinary one with target 1.
    design = np.column_stack([np.ones_like(steps), inverse_batch]) / steps[:, None]
    (a, b), *_ = np.linalg.lstsq(design, np.ones_like(steps), rcond=None)
    if a <= 0 or b < 0:
        return None
    return ScalingFit(s_min=float(a), b_crit=float(b / a), points=len(points))


@dataclass(frozen=True)
class CriticalBatch:
    """The fit, whether it can be trusted (and why not), and its bootstrap intervals."""

    fit: ScalingFit | None
    why_not: Message | None  # None: determined
    s_min_interval: tuple[float, float] | None = None
    b_crit_interval: tuple[float, float] | None = None
    draws: int = 0  # bootstrap draws whose refit succeeded

    @property
    def determined(self) -> bool:
        return self.fit is not None and self.why_not is None


def critical_batch(found: Sequence[BatchPoint], n_train: int, seed: int = 0) -> CriticalBatch:
    """Fit the reached points and check the fit against what it can and cannot say.

    The fit takes every seed that reached the target at a batch size that did (a censored point, or a
    censored seed, is a lower bound and stays out), so three seeds weigh three times one; its interval
    resamples each batch size's seeds (or, with one seed each, the fit's relative residuals)."""
    reached = [(p.batch_size, float(p.steps)) for p in found if p.steps is not None]
    if len(reached) < MIN_REACHED:
        return CriticalBatch(None, Message("critical.too_few", "Only {reached} of the {tested} batch sizes reached "
                                           "the target; a fit needs {needed}.", reached=len(reached),
                                           tested=len(found), needed=MIN_REACHED))
    observed = _observations(found)
    fit = fit_critical_batch([o for seeds in observed for o in seeds])
    if fit is None:
        return CriticalBatch(None, Message("critical.no_floor", "The steps do not fall towards a floor as the batch "
                                           "grows, so S = S_min (1 + B_crit / B) does not describe them."))
    (b0, s0), sizes = reached[0], [b for b, _ in reached]
    fits = _bootstrap(observed, fit, seed)
    result = CriticalBatch(fit, None, *_intervals(fits), draws=len(fits))
    if all(s * b <= (1 + ON_THE_LINE) * s0 * b0 for b, s in reached):
        why = Message("critical.no_bend", "The bend was not observed in this range: every batch size reached the "
                      "target in about 1/B of the smallest one's steps (perfect scaling). Try larger batches or a "
                      "harder target.")
    elif fit.s_min < 1:
        why = Message("critical.s_min_below_one", "The fitted S_min is {s_min:.2g} steps, below one update step.",
                      s_min=fit.s_min)
    elif fit.b_crit > n_train:
        why = Message("critical.above_n", "The fitted B_crit ({b_crit:,.0f}) is above the {n:,} training samples.",
                      b_crit=fit.b_crit, n=n_train)
    elif not sizes[0] <= fit.b_crit <= sizes[-1]:
        why = Message("critical.outside", "The fitted B_crit ({b_crit:,.0f}) lies outside the batch sizes that "
                      "reached the target ({low}–{high}), where nothing measured pins it down.",
                      b_crit=fit.b_crit, low=sizes[0], high=sizes[-1])
    else:
        return result
    return dataclasses.replace(result, why_not=why)


def _observations(found: Sequence[BatchPoint]) -> list[list[tuple[int, float]]]:
    """Per reached batch size, its seeds that reached the target, as (batch size, steps)."""
    return [[(p.batch_size, float(s)) for s in p.seed_steps if s is not None] for p in found if p.steps is not None]


def _resampled(observed: Sequence[Sequence[tuple[int, float]]], fit: ScalingFit,
               rng: np.random.Generator) -> list[tuple[int, float]]:
    """One bootstrap draw: each batch size's seeds resampled with replacement when every batch size has
    several, else the fit's relative residuals resampled onto its curve.

    A batch size's n seeds are resampled as log steps about their mean, spread by √(n/(n−1)): plain
    resampling of three values understates their variance by a third (without it, the nominal 90%
    interval covered the true B_crit of a synthetic problem 80% of the time; with it, 86%)."""
    if all(len(seeds) >= 2 for seeds in observed):
        draw = []
        for seeds in observed:
            logs = np.log([s for _, s in seeds])
            centre, spread = logs.mean(), math.sqrt(len(logs) / (len(logs) - 1))
            picked = logs[rng.integers(len(logs), size=len(logs))]
            draw += [(seeds[0][0], float(math.exp(centre + spread * (x - centre)))) for x in picked]
        return draw
    flat = [o for seeds in observed for o in seeds]
    # The fit's two parameters took two degrees of freedom out of the residuals: spread them back.
    residuals = np.array([math.log(s / fit.steps(b)) for b, s in flat]) * math.sqrt(len(flat) / (len(flat) - 2))
    picked = rng.choice(residuals, size=len(flat))
    return [(b, fit.steps(b) * math.exp(r)) for (b, _), r in zip(flat, picked, strict=True)]


def _bootstrap(observed: Sequence[Sequence[tuple[int, float]]], fit: ScalingFit, seed: int) -> list[ScalingFit]:
    rng = np.random.default_rng(seed)
    fits = (fit_critical_batch(_resampled(observed, fit, rng)) for _ in range(BOOTSTRAP_DRAWS))
    return [f for f in fits if f is not None]


def _intervals(fits: Sequence[ScalingFit]) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
    """Bootstrap intervals (INTERVAL) of S_min and B_crit; None when fewer than half the draws could be refitted."""
    if len(fits) < BOOTSTRAP_DRAWS / 2:
        return None, None
    s_min = np.percentile([f.s_min for f in fits], INTERVAL)
    b_crit = np.percentile([f.b_crit for f in fits], INTERVAL)
    return (float(s_min[0]), float(s_min[1])), (float(b_crit[0]), float(b_crit[1]))


# --------------------------------------------------------------------------- reading the answer

def regime(fit: ScalingFit, batch_size: int) -> Message:
    """Where a batch size sits on the fitted curve, by our convention (not the papers'):

    - "perfect scaling" below B_crit/3, where the 1/B term is more than 3/4 of the steps, so
      doubling B still cuts the steps by more than 37% (halving would be 50%);
    - "maximal data parallelism" above 3·B_crit, where S_min is more than 3/4 of the steps,
      so doubling B saves less than 12.5% of them;
    - "diminishing returns" in between, boundaries included.

    A Message, so the page can show it in the user's language; str() gives the English words.
    """
    if batch_size < fit.b_crit / REGIME_FACTOR:
        return Message("critical.perfect_scaling", "perfect scaling")
    if batch_size > REGIME_FACTOR * fit.b_crit:
        return Message("critical.maximal_parallelism", "maximal data parallelism")
    return Message("critical.diminishing_returns", "diminishing returns")


def effective_batch(batch_size: int, n_train: int) -> float:
    """The i.i.d. batch size whose gradient is as noisy as a batch of B drawn without replacement from
    N samples: B (N − 1)/(N − B). Its variance is smaller by (N − B)/(N − 1); above N/4 by a third or more."""
    return math.inf if batch_size >= n_train else batch_size * (n_train - 1) / (n_train - batch_size)


def less_noisy(batch_sizes: Sequence[int], n_train: int) -> list[tuple[int, float]]:
    """The batch sizes above N/4, with their effective batch size: noticeably less noisy than B suggests."""
    return [(b, effective_batch(b, n_train)) for b in batch_sizes if b > n_train / 4]


def chart_data(found: Sequence[BatchPoint], fit: ScalingFit | None) -> dict[str, list[dict[str, Any]]]:
    """What the steps and examples charts draw: every point (reached, or censored at its budget as a
    lower bound), the fitted curve and the perfect-scaling line at the batch sizes tested, and the
    fitted trade-off between examples E = S·B and steps S over a wider range of batch sizes."""
    rows = [{"batch_size": p.batch_size, "steps": p.steps if p.steps is not None else p.budget,
             "examples": (p.steps if p.steps is not None else p.budget) * p.batch_size,
             "learning_rate": p.learning_rate, "censored": p.censored} for p in found]
    sizes = [p.batch_size for p in found]
    reached = [(p.batch_size, p.steps) for p in found if p.steps is not None]
    perfect = []
    if reached:
        b0, s0 = reached[0]
        perfect = [{"batch_size": b, "steps": s0 * b0 / b} for b in sizes]
    curve, trade_off = [], []
    if fit is not None:
        curve = [{"batch_size": b, "steps": fit.steps(b)} for b in sizes]
        span = np.geomspace(min(sizes) / 4, max(sizes) * 4, 60)
        trade_off = [{"batch_size": float(b), "steps": fit.steps(b), "examples": fit.steps(b) * b} for b in span]
    return {"points": rows, "curve": curve, "perfect": perfect, "trade_off": trade_off}


def steps_table(experiment: Experiment, runs: Sequence[TargetRun],
                result: CriticalBatch | None) -> list[dict[str, Any]]:
    """One row per batch size whose LR search is complete: the steps to the target (None: censored),
    each seed's, the best LR, the grid searched, whether the best is at its edge, and the regime on the
    fit when the fit is determined."""
    fit = result.fit if result is not None and result.determined else None
    rows = []
    for tuning in tunings(experiment, runs):
        if not tuning.complete:
            continue
        found = _point(experiment, tuning)
        rows.append({"batch_size": tuning.batch_size, "steps": found.steps, "seed_steps": found.seed_steps,
                     "learning_rate": tuning.best, "grid": tuning.grid, "at_edge": tuning.at_edge,
                     "regime": regime(fit, tuning.batch_size) if fit is not None and found.steps else None})
    return rows


def target_curves(experiment: Experiment, runs: Sequence[TargetRun]) -> list[dict[str, Any]]:
    """The metric as each seed of each batch size's best LR was evaluated on its way to the target,
    against update steps and samples seen: S(B) and E(B) are where these curves cross the target."""
    best = {t.batch_size: t.best for t in tunings(experiment, runs) if t.complete and t.best is not None}
    return [{"batch_size": run.config.batch_size, "seed": run.config.seed, "step": step,
             "samples": step * run.config.batch_size, "value": value}
            for run in runs if best.get(run.config.batch_size) == grid_value(run.config.learning_rate)
            for step, value in run.evaluations]
