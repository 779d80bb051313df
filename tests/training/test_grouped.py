"""The grouped trainer: K configs trained as one vectorised model give what the engine gives each alone.

Equal means: the same statuses, messages, epochs, steps, samples, learning rates and best epochs,
and losses within a relative GROUP_RTOL (accuracies within GROUP_ACC_ATOL) of the engine's: the
stacked kernels sum in another order than the solo ones (2e-7 relative typical over these 3 epochs,
1.2e-5 the worst run seen). The optimizer steps themselves are torch's fused ones bit for bit.

The grids keep Adam at learning rates of 0.003 and below where a run's epochs are compared: at 0.01,
seed 1 is chaotic on some machines (on an AMD EPYC the first forward pass's 1e-7 grew to 4e-6 by epoch 2
and 3e-3 by epoch 3, which moved its best epoch), so that run would test the processor, not the grouping.
"""

import dataclasses
import math
import time
from collections.abc import Callable

import pytest
import torch
from torch import nn

from core.training.config import TrainConfig
from core.training.data import load_splits
from core.training.engine import train
from core.training.grouped import (
    GROUP_ACC_ATOL,
    GROUP_RTOL,
    SHARED_FIELDS,
    VECTORISED_FIELDS,
    _check_vectorisable,
    adam_step,
    can_group,
    group_key,
    group_of,
    grouped_device,
    groups,
    sgd_step,
    train_group,
)
from core.training.record import HISTORY_COLUMNS, RunResult

# 800 training and 200 validation signals, batch 64: 13 update steps per epoch.
BASE = TrainConfig(dataset="mnist1d", model="cnn1d", batch_size=64, epochs=3, max_samples=1000)
LOSSES = ("train_loss", "val_loss", "train_loss_running")
ACCURACIES = ("train_acc", "val_acc", "train_acc_running")
EXACT = ("epoch", "step", "samples", "lr")


@pytest.fixture(scope="module")
def data():
    return load_splits("mnist1d", 0.2, max_samples=1000)


def close(a: float | None, b: float | None, rtol: float = GROUP_RTOL, atol: float = 0.0) -> bool:
    if a is None or b is None:
        return a is b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == pytest.approx(b, rel=rtol, abs=atol)


def assert_same_run(grouped: RunResult, alone: RunResult) -> None:
    """The grouped run is the engine's run within the stated tolerance."""
    assert (grouped.config, grouped.status, str(grouped.message)) == (alone.config, alone.status, str(alone.message))
    assert grouped.best_epoch == alone.best_epoch
    assert len(grouped.rows) == len(alone.rows)
    for mine, theirs in zip(grouped.rows, alone.rows, strict=True):
        assert set(mine) == set(theirs) == set(HISTORY_COLUMNS)
        assert [mine[c] for c in EXACT] == [theirs[c] for c in EXACT]  # type: ignore[literal-required]
        for column in LOSSES:
            assert close(mine[column], theirs[column]), (column, mine, theirs)  # type: ignore[literal-required]
        for column in ACCURACIES:
            assert close(mine[column], theirs[column], 0, GROUP_ACC_ATOL), (column, mine, theirs)  # type: ignore[literal-required]
    assert len(grouped.step_losses) == len(alone.step_losses)
    assert all(close(a, b) for a, b in zip(grouped.step_losses, alone.step_losses, strict=True))
    assert close(grouped.final_val_loss, alone.final_val_loss) and close(grouped.test_loss, alone.test_loss)
    assert close(grouped.test_acc, alone.test_acc, 0, GROUP_ACC_ATOL)
    assert group_of(grouped.device)[0] == alone.device


def grid_of(optimizer: str, learning_rates: tuple[float, float], **settings) -> list[TrainConfig]:
    """2 learning rates × 2 seeds."""
    base = dataclasses.replace(BASE, optimizer=optimizer, **settings)
    return [dataclasses.replace(base, learning_rate=lr, seed=seed) for lr in learning_rates for seed in (0, 1)]


GRIDS = {
    "sgd": grid_of("sgd", (0.1, 0.03)),
    "momentum": grid_of("momentum", (0.03, 0.01)),
    "adam": grid_of("adam", (0.003, 0.001)),  # at 0.01 seed 1 is chaotic: see the module's docstring
    "adamw": grid_of("adamw", (0.01, 0.003), weight_decay=0.01),
    "sgd and momentum mixed": [  # one family: momentum 0 is plain SGD; each run its own decay and schedule
        dataclasses.replace(BASE, optimizer="sgd", learning_rate=0.1, weight_decay=1e-3),
        dataclasses.replace(BASE, optimizer="momentum", learning_rate=0.03, momentum=0.5, seed=1),
        dataclasses.replace(BASE, optimizer="momentum", learning_rate=0.05, schedule="cosine", warmup_epochs=0.5,
                            warmup_start=0.1, seed=2),
        dataclasses.replace(BASE, optimizer="momentum", learning_rate=0.05, schedule="step", decay_every=1,
                            decay_factor=0.5, weight_decay=1e-2, seed=3),
    ],
    "adam and adamw mixed": [  # L2 and decoupled decay side by side, each run its own betas, eps and schedule
        dataclasses.replace(BASE, optimizer="adam", learning_rate=0.01, weight_decay=1e-3),
        dataclasses.replace(BASE, optimizer="adamw", learning_rate=0.003, weight_decay=0.05, seed=1),
        dataclasses.replace(BASE, optimizer="adam", learning_rate=0.005, beta1=0.8, beta2=0.99, eps=1e-6, seed=2),
        dataclasses.replace(BASE, optimizer="adamw", learning_rate=0.01, schedule="cosine", warmup_epochs=1.0,
                            seed=3),
    ],
}


@pytest.mark.parametrize("name", GRIDS)
def test_a_grid_trained_as_one_group_reproduces_every_runs_engine_history(name, data):
    configs = GRIDS[name]
    assert can_group(configs)
    seen = {}  # index -> [(row, step losses)]
    start = time.perf_counter()
    grouped = train_group(configs, on_epoch=lambda i, row, steps: seen.setdefault(i, []).append((row, steps)),
                          data=data)
    elapsed = time.perf_counter() - start
    for index, (mine, config) in enumerate(zip(grouped, configs, strict=True)):
        assert mine.status == "completed"
        assert_same_run(mine, train(config, data=data))
        assert [row for row, _ in seen[index]] == mine.rows  # every run reports every epoch, epoch 0 first
        assert [loss for _, steps in seen[index] for loss in steps] == mine.step_losses
        assert [r["time_s"] for r in mine.rows] == sorted(r["time_s"] for r in mine.rows)
    assert sum(r.wall_time for r in grouped) <= elapsed  # each run's share of the group's time


@pytest.mark.parametrize("dataset, model, settings", [
    ("digits", "cnn", {"max_samples": 400}),  # 2-D convolutions and max pooling
    ("digits", "mlp", {}),
    ("mnist1d", "linear", {"max_samples": 1000}),
    ("linear", "linear", {"optimizer": "sgd", "learning_rate": 0.1}),  # regression: no accuracy
    ("linear", "mlp", {"val_fraction": 0.0}),  # no validation set
])
def test_every_model_of_the_app_trains_in_a_group_as_it_does_alone(dataset, model, settings):
    base = TrainConfig(dataset=dataset, model=model, batch_size=32, epochs=2, **settings)
    configs = [dataclasses.replace(base, seed=seed) for seed in (0, 1)]
    for mine, config in zip(train_group(configs), configs, strict=True):
        assert_same_run(mine, train(config))


def test_a_run_that_diverges_inside_a_group_is_flagged_and_the_others_finish_as_they_would_alone(data):
    configs = [dataclasses.replace(BASE, optimizer="sgd", learning_rate=lr, seed=seed)
               for lr, seed in ((0.05, 0), (5.0, 0), (0.05, 1))]  # LR 5 turns non-finite in epoch 2
    grouped = train_group(configs, data=data)
    diverged = grouped[1]
    assert diverged.status == "diverged"
    assert [r["epoch"] for r in diverged.rows] == [0, 1, 2]  # its history is kept, up to the epoch it diverged in
    assert not math.isfinite(diverged.step_losses[-1]) and all(math.isfinite(v) for v in diverged.step_losses[:-1])
    assert diverged.test_loss is None and diverged.final_val_loss is None
    for mine, config in zip(grouped, configs, strict=True):
        assert_same_run(mine, train(config, data=data))
    assert all(r.status == "completed" and math.isfinite(r.test_loss or math.nan) for r in grouped[::2])


def stop_after(batches: int) -> Callable[[], bool]:
    """A Stop that is pressed once `batches` batches have been asked about."""
    calls = [0]

    def should_stop() -> bool:
        calls[0] += 1
        return calls[0] > batches

    return should_stop


@pytest.mark.parametrize("batches", [20, 13])  # in the middle of epoch 2; before epoch 2's first batch
def test_stop_of_one_run_in_a_group_stops_only_it_and_keeps_what_it_trained(batches, data):
    configs = grid_of("adam", (0.003, 0.001))
    stop = stop_after(batches)
    grouped = train_group(configs, should_stop=lambda index: index == 2 and stop(), data=data)
    stopped = grouped[2]
    assert stopped.status == "stopped" and stopped.updates == batches
    assert stopped.rows[-1]["epoch"] == (2 if batches == 20 else 1)
    assert_same_run(stopped, train(configs[2], should_stop=stop_after(batches), data=data))
    for index in (0, 1, 3):
        assert grouped[index].status == "completed"
        assert_same_run(grouped[index], train(configs[index], data=data))


def test_each_run_is_handed_over_as_it_ends_while_the_others_train_on(data):
    configs = grid_of("adam", (0.01, 0.003))
    ended: list[tuple[int, str, int]] = []  # (index, status, epochs the slowest other run had reported)
    epochs_seen = dict.fromkeys(range(4), 0)

    def on_epoch(index, row, steps):
        epochs_seen[index] = row["epoch"]

    stop = stop_after(20)
    grouped = train_group(configs, on_epoch=on_epoch, should_stop=lambda index: index == 1 and stop(),
                          on_end=lambda index, result: ended.append((index, result.status, epochs_seen[0])),
                          data=data)
    assert ended[0] == (1, "stopped", 1)  # stopped in epoch 2, handed over before the others ended epoch 2
    assert sorted(index for index, _, _ in ended) == [0, 1, 2, 3]
    assert [r.device for r in grouped] == ["cpu · grouped ×4"] * 4


def test_a_grouped_runs_device_says_how_big_its_group_was():
    assert grouped_device("cpu", 8) == "cpu · grouped ×8"
    assert grouped_device("cpu", 1) == "cpu"
    assert group_of("cuda (NVIDIA H200) · grouped ×16") == ("cuda (NVIDIA H200)", 16)
    assert group_of("cpu") == ("cpu", 1)
    assert group_of("unknown") == ("unknown", 1)


def test_stop_of_every_run_ends_the_group_within_one_batch(data):
    configs = grid_of("sgd", (0.1, 0.03))
    grouped = train_group(configs, should_stop=lambda index: True, data=data)
    assert [(r.status, r.updates, len(r.rows)) for r in grouped] == [("stopped", 0, 1)] * 4
    assert all(r.test_loss is not None for r in grouped)


def test_early_stopping_is_each_runs_own(data):
    # min_delta=10: no epoch after the first counts as an improvement, so patience 1 stops after epoch 2
    early = dataclasses.replace(BASE, epochs=4, early_stopping=True, patience=1, min_delta=10.0, learning_rate=0.003)
    configs = [early,
               dataclasses.replace(early, restore_best=False, seed=1),
               dataclasses.replace(early, patience=2, seed=2),
               dataclasses.replace(BASE, epochs=4, seed=3, learning_rate=0.003)]
    grouped = train_group(configs, data=data)
    assert [r.status for r in grouped] == ["early_stopped", "early_stopped", "early_stopped", "completed"]
    assert [r.epochs_run for r in grouped] == [2, 2, 3, 4]
    assert "restored the weights of epoch 1" in str(grouped[0].message)
    assert grouped[0].final_val_loss == pytest.approx(grouped[0].rows[1]["val_loss"], rel=GROUP_RTOL)
    for mine, config in zip(grouped, configs, strict=True):
        assert_same_run(mine, train(config, data=data))


# A field that cannot be vectorised, and a value that differs from BASE's.
NOT_VECTORISABLE = {
    "dataset": {"dataset": "digits", "model": "cnn", "max_samples": 0},  # other data (and so another model)
    "model": {"model": "mlp"},  # another architecture
    "batch_size": {"batch_size": 32},  # another batch shape and number of steps
    "epochs": {"epochs": 4},  # another number of steps (and another cosine schedule)
    "optimizer family": {"optimizer": "sgd"},  # another update and optimizer state
    "device": {"device": "cpu"},  # "auto" may be another device
    "val_fraction": {"val_fraction": 0.1},  # another split
    "max_samples": {"max_samples": 900},  # another training set
}
VECTORISABLE = {
    "learning_rate": 0.02, "seed": 7, "momentum": 0.5, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6,
    "weight_decay": 0.1, "schedule": "cosine", "warmup_epochs": 1.0, "warmup_start": 0.5, "decay_every": 2,
    "decay_factor": 0.5, "early_stopping": True, "patience": 5, "min_delta": 0.1, "restore_best": False,
}


@pytest.mark.parametrize("field", NOT_VECTORISABLE)
def test_grouping_never_merges_configs_that_differ_in_a_field_that_cannot_be_vectorised(field):
    other = dataclasses.replace(BASE, **NOT_VECTORISABLE[field])
    assert group_key(other) != group_key(BASE)
    assert not can_group([BASE, other])
    assert groups([BASE, other, BASE]) == [[BASE, BASE], [other]]
    with pytest.raises(ValueError, match="cannot train as one group"):
        train_group([BASE, other])


def test_cifar_class_subsets_are_another_dataset_for_grouping():
    a = TrainConfig(dataset="cifar10", model="cnn", classes=(0, 1))
    assert group_key(a) != group_key(dataclasses.replace(a, classes=(0, 1, 2)))


@pytest.mark.parametrize("field", VECTORISABLE)
def test_configs_that_differ_only_in_a_vectorised_field_share_a_group(field):
    other = dataclasses.replace(BASE, **{field: VECTORISABLE[field]})
    assert group_key(other) == group_key(BASE)
    assert groups([BASE, other]) == [[BASE, other]]


def test_every_config_field_is_either_shared_by_a_group_or_carried_per_run():
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    assert set(SHARED_FIELDS) == {"dataset", "model", "batch_size", "epochs", "device", "val_fraction",
                                  "max_samples", "classes"}  # a new field is shared until someone vectorises it
    assert set(SHARED_FIELDS) | set(VECTORISED_FIELDS) | {"optimizer"} == fields
    assert group_key(dataclasses.replace(BASE, optimizer="adamw")) == group_key(BASE)
    assert group_key(dataclasses.replace(BASE, optimizer="momentum")) == group_key(
        dataclasses.replace(BASE, optimizer="sgd"))


def test_groups_keep_the_order_configs_came_in_and_respect_a_size_limit():
    configs = [dataclasses.replace(BASE, seed=s) for s in range(5)]
    other = dataclasses.replace(BASE, batch_size=32)
    assert groups([configs[0], other, *configs[1:]], max_size=2) == [configs[0:2], configs[2:4], configs[4:], [other]]
    assert groups([]) == []


def column(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64).float().unsqueeze(1)


SGD_ROWS = [{"lr": 0.1}, {"lr": 0.05, "weight_decay": 1e-3}, {"lr": 0.03, "momentum": 0.9, "weight_decay": 1e-2}]
ADAM_ROWS = [("adam", {"lr": 0.01}), ("adam", {"lr": 0.003, "weight_decay": 1e-3, "betas": (0.8, 0.99)}),
             ("adamw", {"lr": 0.01, "weight_decay": 0.05, "eps": 1e-6})]


def fused_rows(make, start: torch.Tensor, gradients: list[torch.Tensor], rows) -> torch.Tensor:
    """Each row trained alone by torch's fused optimizer (the engine's), from the same start and gradients."""
    out = []
    for k, options in enumerate(rows):
        parameter = nn.Parameter(start[k].clone())
        optimizer = make(options, parameter)
        for gradient in gradients:
            parameter.grad = gradient[k].clone()
            optimizer.step()
        out.append(parameter.detach())
    return torch.stack(out)


def test_the_stacked_sgd_step_is_torchs_fused_sgd_bit_for_bit():
    torch.manual_seed(0)  # 1024 entries: the kernel's scalar loop for a tensor's last (numel mod 8) is not reached
    start, gradients = torch.randn(3, 1024), [torch.randn(3, 1024) * 0.1 for _ in range(20)]
    flat, state = start.clone(), {}
    for step, gradient in enumerate(gradients):
        sgd_step(flat, gradient.clone(), state, column([-r["lr"] for r in SGD_ROWS]),
                 column([r.get("momentum", 0.0) for r in SGD_ROWS]),
                 column([r.get("weight_decay", 0.0) for r in SGD_ROWS]), first=step == 0)
    expected = fused_rows(lambda o, p: torch.optim.SGD([p], fused=True, **o), start, gradients, SGD_ROWS)
    assert torch.equal(flat, expected)


def test_the_stacked_adam_step_is_torchs_fused_adam_and_adamw_bit_for_bit():
    torch.manual_seed(0)  # 1001 entries: the kernel's scalar loop for the last one computes the same
    start, gradients = torch.randn(3, 1001), [torch.randn(3, 1001) * 0.1 for _ in range(20)]
    flat = start.clone()
    state = {"exp_avg": torch.zeros_like(flat), "exp_avg_sq": torch.zeros_like(flat)}
    rows = [{"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, **o} for _, o in ADAM_ROWS]
    adamw = [name == "adamw" for name, _ in ADAM_ROWS]
    l2 = column([0.0 if w else r["weight_decay"] for r, w in zip(rows, adamw, strict=True)])
    decay = column([1 - r["lr"] * r["weight_decay"] if w else 1.0 for r, w in zip(rows, adamw, strict=True)])
    for t, gradient in enumerate(gradients, 1):
        adam_step(flat, gradient.clone(), state, column([-r["lr"] / (1 - r["betas"][0] ** t) for r in rows]),
                  column([1 - r["betas"][0] for r in rows]), column([r["betas"][1] for r in rows]),
                  column([1 - r["betas"][1] for r in rows]), column([math.sqrt(1 - r["betas"][1] ** t) for r in rows]),
                  column([r["eps"] for r in rows]), l2, decay)

    def fused(options, parameter):
        make = torch.optim.AdamW if options.pop("adamw") else torch.optim.Adam
        return make([parameter], fused=True, **options)

    expected = fused_rows(fused, start, gradients, [{**o, "adamw": w} for (_, o), w in zip(ADAM_ROWS, adamw,
                                                                                             strict=True)])
    assert torch.equal(flat, expected)


def test_a_model_with_state_beyond_its_parameters_is_refused():
    with pytest.raises(ValueError, match="cannot train in a group"):
        _check_vectorisable(nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4)))
    with pytest.raises(ValueError, match="cannot train in a group"):
        _check_vectorisable(nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5)))
    with pytest.raises(ValueError, match="cannot train in a group"):
        _check_vectorisable(nn.Sequential(nn.Conv1d(1, 2, 3, dilation=2)))
    torch.manual_seed(0)
    _check_vectorisable(nn.Sequential(nn.Conv1d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4, 2)))
