"""The seven lessons (core.classroom.lessons): what each one measures on the shipped reference runs, the honesty
rule on runs made by hand (the effect showed, did not show, is undecided), and predictions set beside answers."""

import dataclasses
import math
from dataclasses import dataclass

import pytest

from core.classroom import lessons as module
from core.classroom.lessons import chart, early_stop, l4_arms, lessons
from core.classroom.predictions import (
    Answer,
    Effect,
    Kind,
    Match,
    Option,
    Question,
    cells_prediction,
    compare,
)
from core.experiments.findings import Outcome
from core.experiments.presets import REFERENCE_SEEDS, presets, with_seeds
from core.experiments.reference import REFERENCE_FILE
from core.messages import Message
from core.runs.exchange import runs_from_json
from core.training.config import TrainConfig
from core.training.record import RunResult, Status

LESSONS = lessons()


@pytest.fixture(scope="module")
def reference():
    return runs_from_json(REFERENCE_FILE.read_text())


@dataclass
class Made:
    """A run written by hand, as a job view holds it."""

    result: RunResult
    id: str = "made"

    @property
    def config(self):
        return self.result.config

    @property
    def status(self):
        return self.result.status

    @property
    def rows(self):
        return self.result.rows

    @property
    def wall_time(self):
        return self.result.wall_time


def made(config: TrainConfig, train: list[float], val: list[float] | None = None,
         val_acc: list[float] | None = None, status: Status = Status.COMPLETED, sharpness: float | None = None) -> Made:
    """A run of `config` whose epoch e (0 = before training) has training loss train[e]."""
    val = val or [x + 0.01 for x in train]
    accs = val_acc or [math.nan] * len(train)
    rows = [{"epoch": e, "step": e * config.updates_per_epoch, "samples": e * config.n_train, "time_s": 0.1 * e,
             "lr": config.learning_rate, "train_loss": t, "val_loss": v, "train_acc": math.nan, "val_acc": a,
             "train_loss_running": t, "train_acc_running": math.nan}
            for e, (t, v, a) in enumerate(zip(train, val, accs, strict=True))]
    return Made(RunResult(config=config, status=status, rows=rows, wall_time=0.1 * (len(rows) - 1),  # type: ignore
                          sharpness=sharpness, sharpness_converged=True if sharpness is not None else None))


def seeds(config: TrainConfig) -> list[TrainConfig]:
    return with_seeds([config], REFERENCE_SEEDS)


# --------------------------------------------------------------------------- the seven, as data

def test_there_are_seven_lessons_in_teaching_order_each_with_its_questions_and_runs():
    assert list(LESSONS) == ["L1", "L2", "L3", "L4", "L5", "L6", "L7"]
    assert [len(lesson.questions) for lesson in LESSONS.values()] == [2, 1, 1, 2, 1, 2, 1]
    assert [len(lesson.requests) for lesson in LESSONS.values()] == [12, 18, 24, 24, 21, 21, 6]


def test_only_the_scaling_rules_and_the_sharpness_runs_train_live_and_the_rest_are_in_the_shipped_file(reference):
    shipped = {run.config.key for run in reference}
    for lesson in LESSONS.values():
        assert all(r.config.key in shipped for r in lesson.requests if r.shipped), lesson.id
    assert {lid: len(lesson.live) for lid, lesson in LESSONS.items() if lesson.live} == {"L4": 24, "L6": 6}
    assert {r.kind for r in LESSONS["L6"].requests if not r.shipped} == {"sharpness"}


def test_the_scaling_rules_at_batch_512_are_the_calculators_and_warm_up_for_one_of_the_18_epochs():
    momentum, adam = l4_arms("momentum"), l4_arms("adam")
    assert [momentum[r].learning_rate for r in ("base", "linear", "warmup", "sqrt")] == pytest.approx(
        [0.01, 0.32, 0.32, 0.01 * math.sqrt(32)])
    assert (momentum["warmup"].warmup_epochs, momentum["warmup"].warmup_start) == (1.0, 1 / 32)
    assert adam["sqrt"].learning_rate == pytest.approx(0.001 * math.sqrt(32))
    assert adam["sqrt"].beta2 == pytest.approx(1 - 32 * 0.001)  # Malladi: 1 − β₂ scaled by k; β₁ would leave [0, 1)
    assert adam["sqrt"].beta1 == 0.9


def test_every_lesson_draws_its_charts_from_the_reference_runs(reference):
    for lesson in LESSONS.values():
        prediction = {q.id: (q.options[0].id if q.kind == Kind.CHOICE else frozenset() if q.kind == Kind.CELLS
                             else 30) for q in lesson.questions}
        for panel in lesson.panels(reference, prediction, str):
            assert chart(panel, "epoch").to_dict()["layer"], (lesson.id, panel.title)


# --------------------------------------------------------------------------- what the reference runs show

def test_lesson_1_on_the_reference_runs_batch_16_is_lower_after_5_epochs_with_seven_times_the_updates(reference):
    result = LESSONS["L1"].measure(reference)
    assert result.effect == Effect.SHOWED
    assert result.answer("lower").fits == {"16"} and result.answer("updates").fits == {"more"}
    assert str(result.answer("updates").shows) == ("batch 16 makes more: in 5 epochs batch 16 made 250 update steps, "
                                                   "batch 128 35 (7.1×)")
    assert "At about equal update steps the gap closes: batch 16 at epoch 3 (150 steps)" in str(result.honesty)
    assert [f.outcome for f in result.findings] == [Outcome.HELD, Outcome.UNDECIDED]  # the Sweep's verdicts


def test_lesson_2_on_the_reference_runs_nothing_diverges_and_the_honesty_box_says_so(reference):
    result = LESSONS["L2"].measure(reference)
    assert result.effect == Effect.NOT_SHOWN
    answer = result.answer("diverge")
    assert answer.decided and answer.fits == frozenset()
    assert str(answer.shows) == "none of the 18 runs diverged or became unstable"
    assert str(result.honesty).startswith("Nothing diverged here: all 18 runs (6 settings × 3 seeds, Adam on Digits")
    assert "came out held" in str(result.honesty)  # seed 000's "less stable in some combinations"
    assert [f.outcome for f in result.findings] == [Outcome.HELD, Outcome.HELD]


def test_lesson_3_on_the_reference_runs_only_the_doubled_lr_stays_within_ten_percent_of_batch_64(reference):
    result = LESSONS["L3"].measure(reference)
    assert result.effect == Effect.SHOWED
    answer = result.answer("lr")
    assert (answer.fits, answer.open) == ({"double"}, {"keep"})
    assert [f.outcome for f in result.findings] == [Outcome.UNDECIDED, Outcome.HELD, Outcome.NOT_HELD, Outcome.HELD]
    assert "(0 of 3 seeds unstable)" in str(result.honesty)


def test_lesson_5_on_the_reference_runs_every_doubling_halves_the_steps_so_no_bend_shows(reference):
    result = LESSONS["L5"].measure(reference)
    assert result.effect == Effect.NOT_SHOWN and result.answer("shape").fits == {"line"}
    assert str(result.facts[0]) == ("Steps to 85% validation accuracy, LR scaled: batch 32: 2,000–2,200 steps; batch "
                                    "64: 850–1,150 steps; batch 128: 500–550 steps; batch 256: 247–312 steps.")
    assert str(result.facts[1]) == ("At the unscaled LR 0.015: batch 64: 1,450–1,900 steps; batch 128: not reached in "
                                    "1,500 steps; batch 256: not reached in 780 steps.")
    assert "each known to within one epoch: 6% at most here" in str(result.honesty)
    assert result.findings[0].outcome == Outcome.NOT_HELD


def test_lesson_6_on_seed_003_finds_no_clear_gap_and_on_made_sharpness_runs_the_large_batch_sharper(reference):
    small, large = module.l6_sharp_configs()[:3], module.l6_sharp_configs()[3:]
    sharp = [made(c, [1.0, 0.2, 0.1], sharpness=s) for c, s in zip(small, (45.0, 47.0, 50.0), strict=True)]
    sharp += [made(c, [1.0, 0.3, 0.1], sharpness=s) for c, s in zip(large, (60.0, 62.0, 65.0), strict=True)]
    result = LESSONS["L6"].measure([*reference, *sharp])
    assert result.answer("sharper").fits == {"large"}
    assert result.answer("better").fits == {"same"}  # seed 003: the gaps overlap (inside the seeds' spread)
    assert result.effect == Effect.NOT_SHOWN  # no gap is a legitimate result, and the honesty box says the claim
    assert "No gap is a legitimate result." in str(result.honesty)
    assert [f.outcome for f in result.findings] == [Outcome.HELD, Outcome.UNDECIDED, Outcome.UNDECIDED]


def test_lesson_6_without_its_sharpness_runs_leaves_the_sharper_question_open(reference):
    result = LESSONS["L6"].measure(reference)
    assert not result.answer("sharper").decided and result.effect == Effect.NOT_SHOWN


def test_lesson_7_on_the_reference_runs_the_validation_loss_makes_a_u_and_early_stopping_stops_after_it(reference):
    result = LESSONS["L7"].measure(reference)
    assert result.effect == Effect.SHOWED
    assert result.answer("epoch").epochs == (31, 44)  # best epochs 37–38, and 6 epochs either side
    assert str(result.facts[0]).startswith("With patience 10, early stopping would have stopped after epoch 35–48 "
                                           "and restored epoch 25–38, leaving 12–25 of the 60 epochs untrained")
    assert "its best epoch was its last in 3 of 3 seeds" in str(result.facts[1])  # seed 001's line underfits


# --------------------------------------------------------------------------- the honesty rule, on runs made by hand

def seed001_runs(small_losses: list[float], large_losses: list[float]) -> list[Made]:
    """Seed 001's 5-epoch runs ending at these training losses (batch 16, then batch 128), and its 20-epoch runs."""
    preset = presets()["seed001"].configs
    runs = []
    for batch, ends in ((16, small_losses), (128, large_losses)):
        for config, end in zip([c for c in preset if c.epochs == 5 and c.batch_size == batch], ends, strict=True):
            runs.append(made(config, [1.0, 0.6, 0.4, 0.3, 0.2, end]))
        for config in (c for c in preset if c.epochs == 20 and c.batch_size == batch):
            runs.append(made(config, [1.0] + [0.1] * 20))
    return runs


@pytest.mark.parametrize("small, large, effect, lower", [
    ([0.10, 0.11, 0.12], [0.20, 0.21, 0.22], Effect.SHOWED, {"16"}),
    ([0.20, 0.21, 0.22], [0.10, 0.11, 0.12], Effect.NOT_SHOWN, {"128"}),
    ([0.10, 0.15, 0.20], [0.12, 0.16, 0.22], Effect.UNDECIDED, set()),
])
def test_lesson_1s_honesty_box_follows_the_verdict_over_the_seeds(small, large, effect, lower):
    result = LESSONS["L1"].measure(seed001_runs(small, large))
    assert result.effect == effect
    assert result.answer("lower").fits == lower and result.answer("lower").decided == bool(lower)


def seed000_runs(failed: dict[tuple[int, float], int]) -> list[Made]:
    """Seed 000's grid, every run falling smoothly; in the cells of `failed`, that many seeds diverged."""
    runs, count = [], dict.fromkeys(failed, 0)
    for config in presets()["seed000"].configs:
        cell = (config.batch_size, config.learning_rate)
        if count.get(cell, math.inf) < failed.get(cell, 0):
            count[cell] += 1
            runs.append(made(config, [2.3, 1.0, math.inf], val=[2.3, 1.0, math.inf], status=Status.DIVERGED))
        else:
            runs.append(made(config, [2.3, 1.0, 0.5, 0.3]))
    return runs


def test_lesson_2_shows_divergence_when_most_seeds_of_a_cell_diverge_and_only_that_cell_matches():
    result = LESSONS["L2"].measure(seed000_runs({(16, 0.01): 3}))
    assert result.effect == Effect.SHOWED and result.answer("diverge").fits == {"16|0.01"}
    question = LESSONS["L2"].questions[0]
    assert compare(question, frozenset({"16|0.01"}), result.answer("diverge")).match == Match.MATCHED
    assert compare(question, frozenset({"16|0.01", "64|0.01"}), result.answer("diverge")).match == Match.MISSED


def test_lesson_2_is_undecided_when_a_cell_fails_in_one_seed_of_three_and_not_shown_when_none_fails():
    assert LESSONS["L2"].measure(seed000_runs({(16, 0.01): 1})).effect == Effect.UNDECIDED
    assert not LESSONS["L2"].measure(seed000_runs({(16, 0.01): 1})).answer("diverge").decided
    assert LESSONS["L2"].measure(seed000_runs({})).effect == Effect.NOT_SHOWN


def l4_runs(linear_val: dict[str, list[float]], linear_status: Status = Status.COMPLETED) -> list[Made]:
    """Both optimizers' arms: batch 16 at best validation loss 0.20–0.22, warm-up and square root far behind,
    and the linear rule at `linear_val` (per optimizer, one best value per seed)."""
    runs = []
    for optimizer in ("momentum", "adam"):
        for name, config in l4_arms(optimizer).items():
            bests = {"base": [0.20, 0.21, 0.22], "warmup": [0.40, 0.41, 0.42], "sqrt": [0.50, 0.51, 0.52],
                     "linear": linear_val[optimizer]}[name]
            for seeded, best in zip(seeds(config), bests, strict=True):
                status = linear_status if name == "linear" and optimizer == "momentum" else Status.COMPLETED
                runs.append(made(seeded, [2.3, 1.0, 0.5], val=[2.3, best, best + 0.01], status=status))
    return runs


def test_lesson_4_shows_the_break_when_the_linear_rule_lags_batch_16_in_every_seed():
    result = LESSONS["L4"].measure(l4_runs({"momentum": [0.40, 0.41, 0.42], "adam": [0.21, 0.21, 0.21]}))
    assert result.effect == Effect.SHOWED
    assert str(result.honesty).startswith("Linear scaling broke at ×32 for SGD with momentum:")
    assert result.answer("momentum").decided and result.answer("momentum").fits == frozenset()
    assert result.answer("adam").fits == {"linear"}


def test_lesson_4_shows_the_break_when_the_linear_rule_becomes_unstable():
    result = LESSONS["L4"].measure(l4_runs({"momentum": [0.21, 0.21, 0.21], "adam": [0.21, 0.21, 0.21]},
                                           Status.UNSTABLE))
    assert result.effect == Effect.SHOWED


def test_lesson_4_says_the_rule_did_not_break_when_it_holds_for_both_and_is_undecided_when_it_straddles():
    held = LESSONS["L4"].measure(l4_runs({"momentum": [0.21, 0.21, 0.21], "adam": [0.20, 0.21, 0.22]}))
    assert held.effect == Effect.NOT_SHOWN
    straddles = LESSONS["L4"].measure(l4_runs({"momentum": [0.21, 0.25, 0.30], "adam": [0.20, 0.21, 0.22]}))
    assert straddles.effect == Effect.UNDECIDED
    assert str(straddles.honesty).startswith("These runs do not decide whether linear scaling broke for SGD with "
                                             "momentum:")
    assert straddles.answer("momentum").open == {"linear"}


def seed002_runs(reach: dict[int, int]) -> list[Made]:
    """Seed 002's scaling runs, each seed of batch B reaching 85% validation accuracy at epoch reach[B] + seed
    (the unscaled controls never reach it)."""
    runs = []
    for config in presets()["seed002-scaling"].configs:
        scaled = math.isclose(config.learning_rate, 0.015 * config.batch_size / 32)
        at = reach[config.batch_size] + config.seed if scaled else 61
        acc = [0.5 if e < at else 0.9 for e in range(61)]
        runs.append(made(config, [1.0] * 61, val_acc=acc))
    return runs


def test_lesson_5_finds_a_straight_line_a_bend_or_a_u_from_the_steps_to_the_target():
    line = LESSONS["L5"].measure(seed002_runs({32: 20, 64: 20, 128: 20, 256: 20}))
    assert (line.answer("shape").fits, line.effect) == ({"line"}, Effect.NOT_SHOWN)
    bend = LESSONS["L5"].measure(seed002_runs({32: 20, 64: 24, 128: 32, 256: 50}))
    assert (bend.answer("shape").fits, bend.effect) == ({"bend"}, Effect.SHOWED)
    assert str(bend.facts[-1]) == "Fitted: B_crit ≈ 116, S_min ≈ 445 steps."
    rise = LESSONS["L5"].measure(seed002_runs({32: 20, 64: 20, 128: 20, 256: 55}))
    assert (rise.answer("shape").fits, rise.effect) == ({"u"}, Effect.SHOWED)


def test_lesson_5_does_not_decide_when_a_target_is_met_in_the_first_epochs():
    coarse = LESSONS["L5"].measure(seed002_runs({32: 3, 64: 20, 128: 20, 256: 20}))
    assert coarse.effect == Effect.UNDECIDED and not coarse.answer("shape").decided


def l7_runs(rises: list[float]) -> list[Made]:
    """Seed 002's base runs, each seed's validation loss falling to 0.3 at epoch 30 and ending `rise` above it."""
    main, short = module.l7_configs(presets())
    runs = []
    for config, rise in zip(main, rises, strict=True):
        val = [2.0 - 1.7 * min(e, 30) / 30 + 0.3 * rise * max(0, e - 30) / 30 for e in range(61)]
        runs.append(made(config, [1.0] * 61, val=val))
    return runs + [made(c, [1.0, 0.8, 0.6, 0.5, 0.4, 0.3]) for c in short]


@pytest.mark.parametrize("rises, effect", [([0.10, 0.20, 0.30], Effect.SHOWED), ([0.0, 0.01, 0.02], Effect.NOT_SHOWN),
                                           ([0.02, 0.20, 0.30], Effect.UNDECIDED)])
def test_lesson_7s_honesty_box_says_whether_the_validation_loss_rose_more_than_five_percent_after_its_best(
        rises, effect):
    result = LESSONS["L7"].measure(l7_runs(rises))
    assert result.effect == effect
    assert result.answer("epoch").epochs == (24, 36)  # every best at epoch 30 (a flat end keeps the first), ± 6


def test_early_stopping_on_a_recorded_history_stops_as_the_engine_would():
    config = TrainConfig(dataset="linear", model="linear", epochs=12)
    rows = made(config, [1.0] * 13, val=[2.0, 1.0, 0.9, 0.8, 0.85, 0.9, 0.95, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5]).rows
    assert early_stop(rows, config, patience=3) == (6, 3)  # no new best after epoch 3 for 3 epochs
    assert early_stop(rows, config, patience=20) == (12, 3)  # never stops: the last epoch, its best still 3


# --------------------------------------------------------------------------- predictions beside answers

QUESTION = Question("q", Message("lesson.l1_q_lower", "After 5 epochs, the lower training loss has…"),
                    options=(Option("a", Message("lesson.l1_b16", "batch 16")),
                             Option("b", Message("lesson.l1_b128", "batch 128"))))


def test_a_choice_matches_when_the_runs_show_it_misses_when_they_show_another_and_is_open_inside_the_spread():
    shown = Answer("q", True, Message("lesson.l1_b16", "batch 16"), fits=frozenset({"a"}))
    assert compare(QUESTION, "a", shown).match == Match.MATCHED
    assert str(compare(QUESTION, "a", shown).text) == "You predicted batch 16; the runs show batch 16."
    assert compare(QUESTION, "b", shown).match == Match.MISSED
    inside = dataclasses.replace(shown, open=frozenset({"b"}))
    assert compare(QUESTION, "b", inside).match == Match.OPEN
    undecided = Answer("q", False, Message("lesson.l5_none", "no runs"))
    assert compare(QUESTION, "a", undecided).match == Match.OPEN
    assert str(compare(QUESTION, "a", undecided).text) == "You predicted batch 16; the runs do not decide it: no runs."


def test_a_set_of_cells_matches_only_the_exact_set_and_none_of_them_is_a_prediction_too():
    question = LESSONS["L2"].questions[0]
    nothing = Answer("diverge", True, Message("lesson.l5_none", "no runs"), fits=frozenset())
    assert compare(question, frozenset(), nothing).match == Match.MATCHED
    assert str(question.describe(frozenset())) == "none of them"
    assert str(question.describe(frozenset({"64|0.01", "16|0.01"}))) == "batch 16, LR 0.01, batch 64, LR 0.01"
    assert compare(question, frozenset({"16|0.01"}), nothing).match == Match.MISSED


def test_ticking_cells_and_none_of_them_together_or_nothing_at_all_is_not_yet_a_prediction():
    assert cells_prediction(["16|0.01"], none=True) is None
    assert cells_prediction([], none=False) is None
    assert cells_prediction([], none=True) == frozenset()
    assert cells_prediction(["16|0.01", "64|0.01"], none=False) == {"16|0.01", "64|0.01"}


def test_an_epoch_matches_inside_the_answers_range_and_misses_outside_it():
    question = LESSONS["L7"].questions[0]
    answer = Answer("epoch", True, Message("lesson.l5_none", "no runs"), epochs=(31, 44))
    assert [compare(question, e, answer).match for e in (30, 31, 44, 45)] == [
        Match.MISSED, Match.MATCHED, Match.MATCHED, Match.MISSED]
    assert question.valid(60) and not question.valid(61) and not question.valid(0) and not question.valid(True)


def test_run_unlocks_only_when_every_question_has_a_valid_prediction():
    lesson = LESSONS["L4"]
    assert not lesson.complete({})
    assert not lesson.complete({"momentum": "linear"})
    assert not lesson.complete({"momentum": "linear", "adam": "cubic"})
    assert lesson.complete({"momentum": "linear", "adam": "sqrt"})
