"""Known answers for the seed posts' claims, decided on synthetic runs whose numbers are chosen."""

import math

import pytest

from core.experiments.findings import Arm, Outcome, check, decide, least_squares_train_loss
from core.jobs.job import JobView
from core.training.config import TrainConfig
from core.training.engine import train
from core.training.record import HistoryRow, Status, history_row

LINEAR = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1)
SIGNALS = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="momentum", learning_rate=0.03, epochs=4)


def rows(train: list[float], val: list[float] | None = None, steps_per_epoch: int = 10) -> list[HistoryRow]:
    """Epoch 0, 1, ... with these evaluated training and validation losses."""
    val = val or train
    return [history_row({"epoch": e, "step": e * steps_per_epoch, "samples": e * 100, "time_s": 0.1 * e, "lr": 0.1,
                         "train_loss": t, "val_loss": v, "train_acc": math.nan, "val_acc": math.nan,
                         "train_loss_running": t, "train_acc_running": math.nan})
            for e, (t, v) in enumerate(zip(train, val, strict=True))]


def run(config: TrainConfig, history: list[HistoryRow], status: str = "completed", **settings) -> JobView:
    config = TrainConfig(**{**config.to_dict(), "epochs": len(history) - 1, **settings})
    return JobView(f"{config.key}", config, Status(status), history, [], None, "", 0, 0.0, None)


def ending_at(final: float, start: float = 2.0) -> list[float]:
    """A training loss that falls from `start` and has settled at `final` (no longer falling)."""
    return [start, (start + final) / 2, final * 1.001, final]


# --------------------------------------------------------------------------- the rule

def test_separated_seeds_hold_overlapping_seeds_are_undecided_and_reversed_seeds_do_not_hold():
    low, high = Arm("a", (0.10, 0.11, 0.12)), Arm("b", (0.20, 0.21, 0.22))
    assert decide(low, high).outcome == Outcome.HELD
    assert decide(high, low).outcome == Outcome.NOT_HELD
    assert decide(low, Arm("c", (0.115, 0.2, 0.3))).outcome == Outcome.UNDECIDED  # 0.115 < 0.12: inside the spread


def test_ranges_apart_by_less_than_the_margin_are_undecided_and_by_more_decide_either_way():
    low, high = Arm("a", (0.10, 0.11, 0.12)), Arm("b", (0.20, 0.21, 0.22))  # 0.08 apart
    within = decide(low, high, margin=0.1)
    assert (within.outcome, str(within.why)) == (Outcome.UNDECIDED, "the ranges are apart by 0.08, less than the "
                                                                     "tolerance 0.1")
    assert decide(high, low, margin=0.1).outcome == Outcome.UNDECIDED
    assert (decide(low, high, margin=0.05).outcome, decide(high, low, margin=0.05).outcome) == (
        Outcome.HELD, Outcome.NOT_HELD)


def test_one_seed_per_arm_is_never_enough_to_decide():
    assert str(decide(Arm("a", (0.1,)), Arm("b", (0.9,))).why) == (
        "fewer than 2 seeds of an arm have a number: no spread to judge the difference against")


def test_runs_still_improving_leave_a_claim_about_their_end_undecided():
    decision = decide(Arm("a", (0.1, 0.11), improving=1), Arm("b", (0.5, 0.6)), ends=True)
    assert (decision.outcome, str(decision.why)) == (
        Outcome.UNDECIDED, "some runs were still improving at their last epoch: train longer")


# --------------------------------------------------------------------------- seed 001

def test_seed_001s_anchor_is_the_least_squares_optimum_of_its_training_split():
    assert least_squares_train_loss() == pytest.approx(0.0988, abs=5e-5)


def test_seed_001_holds_when_every_seed_of_both_batches_ends_within_5_percent_of_the_optimum():
    optimum = least_squares_train_loss()
    views = []
    for seed in range(3):
        for batch, epochs, final in ((16, 5, 0.12), (128, 5, 0.30), (16, 20, optimum * 1.01),
                                     (128, 20, optimum * 1.04)):
            history = rows(ending_at(final, start=2.0) + [final] * (epochs - 3))
            views.append(run(LINEAR, history, batch_size=batch, seed=seed))
    faster, same_end = check("seed001", views)
    assert faster.outcome == Outcome.HELD
    assert str(faster.evidence) == ("batch 16: 0.12 (0.12–0.12 over 3 seeds); "
                                    "batch 128: 0.3 (0.3–0.3 over 3 seeds)")
    assert same_end.outcome == Outcome.HELD


def test_seed_001_does_not_hold_when_batch_128_settles_far_above_the_optimum():
    optimum = least_squares_train_loss()
    views = []
    for seed in range(3):
        for batch, epochs, final in ((16, 5, 0.12), (128, 5, 0.30), (16, 20, optimum), (128, 20, 0.14 + seed / 100)):
            views.append(run(LINEAR, rows(ending_at(final) + [final] * (epochs - 3)), batch_size=batch, seed=seed))
    _, same_end = check("seed001", views)
    assert same_end.outcome == Outcome.NOT_HELD


def test_a_claim_with_missing_runs_is_not_decided():
    faster, _ = check("seed001", [run(LINEAR, rows(ending_at(0.1) + [0.1] * 2), batch_size=16)])
    assert faster.outcome == Outcome.MISSING and str(faster.evidence) == "Not all the runs this needs have finished."


# --------------------------------------------------------------------------- seed 000

def test_seed_000s_lr_0_01_is_less_stable_in_some_combinations_when_its_loss_climbs_back():
    images = TrainConfig(dataset="digits", model="cnn", optimizer="adam")
    calm, wobbly = [2.3, 1.0, 0.5, 0.3, 0.2], [2.3, 0.6, 0.9, 0.4, 0.7]
    views = [run(images, rows(calm if (lr == 0.01 and batch == 64) or lr == 0.001 else wobbly), batch_size=batch,
                 learning_rate=lr, seed=seed)
             for batch in (16, 64, 256) for lr in (0.001, 0.01) for seed in range(3)]
    _, unstable = check("seed000", views)
    assert unstable.outcome == Outcome.HELD  # at batch 16 and 256; not at 64, as "in some combinations" allows
    assert "batch 16, LR 0.01: 0.3158 (0.3158–0.3158 over 3 seeds)" in str(unstable.evidence)  # rose 0.6, fell 1.9


def test_a_diverged_seed_is_counted_in_its_arm_not_averaged():
    images = TrainConfig(dataset="digits", model="cnn", optimizer="adam")
    views = [run(images, rows([2.3, 0.5, 0.3]), batch_size=16, learning_rate=0.001, seed=s) for s in range(3)]
    views += [run(images, rows([2.3, 0.5, 0.4]), batch_size=16, learning_rate=0.01, seed=s) for s in range(2)]
    views += [run(images, rows([2.3, math.nan]), "diverged", batch_size=16, learning_rate=0.01, seed=2)]
    _, unstable = check("seed000", views)
    assert "batch 16, LR 0.01: 0 (0–0 over 2 seeds), 1 of 3 seeds diverged" in str(unstable.evidence)


# --------------------------------------------------------------------------- seed 002

def lr_runs(best_val: dict[float, float], failed: tuple[float, ...] = (), improving: bool = False) -> list[JobView]:
    views = []
    for lr, best in best_val.items():
        for seed in range(3):
            val = [2.3, best + 0.05, best + 0.01 * seed] + ([best + 0.02] if not improving else [best - 0.01])
            status = "unstable" if lr in failed else "completed"
            views.append(run(SIGNALS, rows([2.3, 1.0, 0.5, 0.4], val), status, learning_rate=lr, seed=seed))
    return views


def test_seed_002s_best_lr_inside_the_grid_and_clear_of_its_neighbours_holds():
    best, unstable = check("seed002-lr", lr_runs({0.0075: 0.9, 0.015: 0.6, 0.03: 0.3, 0.06: 0.5, 0.12: 0.8},
                                                 failed=(0.12,)))
    assert best.outcome == Outcome.HELD
    assert unstable.outcome == Outcome.HELD and "3 of the 6 runs at ×2 and ×4 diverged or were unstable" in str(
        unstable.why)


def test_seed_002s_best_lr_at_the_edge_of_the_grid_does_not_hold():
    best, unstable = check("seed002-lr", lr_runs({0.0075: 0.9, 0.015: 0.7, 0.03: 0.5, 0.06: 0.4, 0.12: 0.3}))
    assert best.outcome == Outcome.NOT_HELD
    assert str(best.why) == "the best, LR 0.12, is at the edge of the grid: the optimum may lie beyond it"
    assert unstable.outcome == Outcome.UNDECIDED  # no run failed and the curves are equally smooth


def test_an_unstable_seed_keeps_its_numbers_in_its_arm_and_is_counted():
    best, unstable = check("seed002-lr", lr_runs({0.0075: 0.9, 0.015: 0.6, 0.03: 0.5, 0.06: 0.3, 0.12: 0.8},
                                                 failed=(0.06, 0.12)))
    assert best.outcome == Outcome.HELD  # LR 0.06 spiked but its best epoch was the best of all
    assert "LR 0.06: 0.31 (0.3–0.32 over 3 seeds), 3 of 3 seeds unstable" in str(best.evidence)
    assert unstable.outcome == Outcome.HELD


def test_seed_002s_best_lr_still_improving_at_its_last_epoch_is_undecided():
    best, _ = check("seed002-lr", lr_runs({0.0075: 0.9, 0.015: 0.6, 0.03: 0.3, 0.06: 0.5, 0.12: 0.8}, improving=True))
    assert (best.outcome, str(best.why)) == (Outcome.UNDECIDED, "some runs were still improving at their last "
                                                                "epoch: train longer")


def test_seed_002s_scaling_needs_the_scaled_runs_close_and_the_unscaled_control_behind():
    views = []
    for seed in range(3):
        for batch, lr, best in ((32, 0.015, 0.30), (64, 0.03, 0.31), (128, 0.06, 0.32), (256, 0.12, 0.31),
                                (64, 0.015, 0.40), (128, 0.015, 0.55), (256, 0.015, 0.70)):
            val = [2.3, best + 0.1, best + 0.001 * seed, best + 0.02]
            views.append(run(SIGNALS, rows([2.3, 1.0, 0.5, 0.4], val), batch_size=batch, learning_rate=lr, seed=seed))
    (scaling,) = check("seed002-scaling", views)
    assert scaling.outcome == Outcome.HELD
    assert "batch 256, LR unscaled: 0.701" in str(scaling.evidence)


def test_seed_002s_scaling_is_undecided_when_the_unscaled_control_does_as_well():
    views = []
    for seed in range(3):
        for batch, lr in ((32, 0.015), (64, 0.03), (64, 0.015)):
            best = 0.3 + 0.01 * seed
            views.append(run(SIGNALS, rows([2.3, 1.0, 0.5, 0.4], [2.3, 0.5, best, best + 0.02]), batch_size=batch,
                             learning_rate=lr, seed=seed))
    (scaling,) = check("seed002-scaling", views)
    assert scaling.outcome == Outcome.UNDECIDED  # the scaling cannot be credited


# --------------------------------------------------------------------------- seed 003

def test_seed_003_compares_the_gap_at_the_best_epoch_at_equal_training_loss_and_at_equal_steps():
    views = []
    for seed in range(3):
        jitter = 0.001 * seed
        views.append(run(SIGNALS, rows([2.3, 0.8, 0.4, 0.3], [2.3, 0.85 + jitter, 0.5 + jitter, 0.55], 40),
                         batch_size=64, learning_rate=0.03, seed=seed))
        views.append(run(SIGNALS, rows([2.3, 0.9, 0.5, 0.4], [2.3, 1.2 + jitter, 0.9 + jitter, 1.0], 10),
                         batch_size=256, learning_rate=0.12, seed=seed))
    (finding,) = check("seed003", views)
    assert finding.outcome == Outcome.HELD
    evidence = str(finding.evidence)
    assert "gap of batch 64 at the best epoch: 0.101 (0.1–0.102 over 3 seeds)" in evidence
    assert "at training loss 0.4" in evidence and "at 30 update steps" in evidence


def test_a_custom_grid_has_no_claims_to_check():
    assert check("custom", [run(LINEAR, rows([1.0, 0.5]))]) == []


def test_a_claim_and_its_measurements_read_in_korean_with_the_same_numbers():
    from pages.ui.texts import CORE

    decision_runs = [run(LINEAR, rows(ending_at(0.1 + s / 1000) + [0.1] * 2), batch_size=16, seed=s)
                     for s in range(2)]
    decision_runs += [run(LINEAR, rows(ending_at(0.3 + s / 1000) + [0.3] * 2), batch_size=128, seed=s)
                      for s in range(2)]
    faster, _ = check("seed001", decision_runs)
    korean = lambda message: CORE.get(message.key)  # noqa: E731
    assert faster.evidence.render(korean) == "배치 16: 0.1 (시드 2개에서 0.1–0.1); 배치 128: 0.3 (시드 2개에서 0.3–0.3)"


def test_the_findings_are_decided_on_the_engines_own_runs():
    """An end-to-end check on tiny real runs: the machinery reads what the engine writes."""
    views = [train(TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1, batch_size=b,
                               epochs=5, seed=s)) for b in (16, 128) for s in range(2)]
    faster, _ = check("seed001", [JobView(str(i), r.config, r.status, r.rows, [], r, "", 0, 0.0, None)
                                  for i, r in enumerate(views)])
    assert faster.outcome == Outcome.HELD  # 8× the updates: every seed of batch 16 ends lower
