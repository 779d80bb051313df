"""A grid's runs trained as one vectorised model: K configs that differ only where a tensor can carry it.

A sweep trains many configs that share the dataset, the model, the batch size and the epochs and
differ in the learning rate, the seed and the optimizer's settings. For the app's small models an
update step is mostly per-op overhead, so K such runs are stacked into one model: their weights are
the rows of one (K, P) tensor, the forward pass computes all K at once (`stacked_forward`: each layer
with a leading run dimension, as `torch.func.vmap` over `functional_call` would, but with a 1-D
convolution as im2col + one batched matmul, about twice as fast here as the grouped convolution vmap
makes of it), one backward gives every run its own gradient (the loss is the sum of the runs' losses
and each depends on its own row only), and the optimizer is written out over the rows with every
per-run setting as a (K, 1) column. What each run keeps of its own:

- its initial weights and batch order, drawn exactly as the engine draws them for its seed
  (`torch.manual_seed(seed)` before `build_model`; its own generator for each epoch's permutation);
- its learning rate at every step (any schedule and warm-up, `lr_at`), momentum, Adam's betas and
  eps, weight decay, and adam vs adamw (L2 vs decoupled decay) or sgd vs momentum in one family;
- its history (the engine's rows, step losses, best epoch), early stopping with its own patience,
  min_delta and restore, Stop (`should_stop(index)`, before every batch), divergence and instability.

A run that ends (diverged, early-stopped, stopped, or done) is taken out of the stack at once: its
row leaves the weights, the optimizer state and the batch orders, so a diverged run's NaN weights
are never touched again and the others train on without it. Within the epoch in which a run
diverges it trains on with NaN weights, as it would alone; every operation keeps them in its own row.

Each run's history equals `core.training.engine.train(config)`'s within floating-point tolerance,
not bit for bit: the stacked convolutions and the per-run loss means sum in another order than the
solo kernels (about 1 ulp per forward pass). The optimizers are torch's fused CPU kernels' arithmetic
bit for bit (`sgd_step`, `adam_step`; tested), so only the forward and backward passes differ.
Measured (tests/training/test_grouped.py; MNIST-1D's 1-D CNN on 800 samples, 3 epochs, every
optimizer): losses typically within 2e-7 relative of the engine's, the worst run seen 1.2e-5
(plain SGD barely moving off ln 10, where a ReLU at its kink turns an ulp into a different step);
accuracies identical. The tests allow GROUP_RTOL and GROUP_ACC_ATOL. Training carries differences
on, and where it is chaotic they grow: Adam normalises each gradient entry, so an entry that is a
near-cancelling sum gets an update of up to ±lr from a difference in its last bits. Measured on the
full MNIST-1D (bench/bench_grouped.py, Adam at LR 0.001 and 0.01, 3 epochs): at batch 16 the LR 0.01
run of seed 1 separates after about ten steps (0.1 relative after 3 epochs); at batch 64 and 256
seeds 0-1 stayed within 2.4e-7 and, of seeds 0-7, LR 0.01 runs reached 2e-4 to 8e-3. Such a run is
as valid as the engine's, but not its copy: the engine itself repeats a history exactly only on the
same kernels.

One host sync per epoch for the whole group, as the engine has per run (a Stop adds one for the
runs it stops). A row's time_s and a run's wall_time are its share of the group's time: each
stretch of training is split evenly over the runs it trained, so the runs' wall times add up to
the group's, and a grouped run's samples/s is what it cost.

What cannot be grouped is in the key (`group_key`): every field that changes the data, the model,
the shape of a step or the number of steps (dataset, model, batch_size, epochs, device,
val_fraction, max_samples, classes) and the optimizer family (sgd/momentum vs adam/adamw: a
different update and state). Any TrainConfig field not named in VECTORISED_FIELDS is shared, so a
field added later is never merged by accident. A model `stacked_forward` cannot compute exactly is
refused when the group is built (`_check_vectorisable`): one with buffers (batch norm's running
statistics are not per-run parameters), with layers whose training and evaluation modes differ
(dropout), or with layers it has no stacked form of; none of the app's four models is such a model.
Probes, checkpoints and the engine's on_end(model, data) (its hooks for the analyses) are not
offered: those jobs train alone.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import math
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import torch
import torch.nn.functional as F
from torch import nn

from core.messages import Message
from core.training import engine
from core.training.config import TrainConfig, updates_per_epoch
from core.training.data import DataSplits, load_splits
from core.training.devices import describe, pick_device
from core.training.engine import EarlyStopping, evaluate, first_non_finite
from core.training.models import build_model
from core.training.record import HistoryRow, RunResult, Status
from core.training.schedules import is_constant, lr_at
from core.training.stability import instability

GROUP_RTOL = 1e-4  # a grouped run's losses against the engine's over 3 epochs (2e-7 typical, 1.2e-5 worst seen)
GROUP_ACC_ATOL = 0.005  # its accuracies (identical measured): at most this share of the samples told apart

VECTORISED_FIELDS = (
    "learning_rate", "seed", "momentum", "beta1", "beta2", "eps", "weight_decay",  # (K, 1) columns
    "schedule", "warmup_epochs", "warmup_start", "decay_every", "decay_factor",  # a per-run LR at every step
    "early_stopping", "patience", "min_delta", "restore_best",  # each run's own EarlyStopping, on the host
)
"""The fields runs of one group may differ in; the optimizer may differ within its family."""
SHARED_FIELDS = tuple(f.name for f in dataclasses.fields(TrainConfig)
                      if f.name not in VECTORISED_FIELDS and f.name != "optimizer")
"""Fields every run of a group has equal: they decide the data, the model, the batch shape and the step count."""
OPTIMIZER_FAMILIES = {"sgd": "sgd", "momentum": "sgd", "adam": "adam", "adamw": "adam"}
"""sgd is momentum 0 (the buffer is then the gradient, exactly); adamw is adam with its decay decoupled."""
PLAIN_LAYERS = (nn.Sequential, nn.Linear, nn.Conv1d, nn.Conv2d, nn.ReLU, nn.MaxPool2d, nn.Flatten, nn.Unflatten)
"""Layers with no state but their parameters and the same function in training and evaluation."""

GroupEpochCallback = Callable[[int, HistoryRow, list[float]], None]  # (the run's index in configs, row, step losses)
RunEndCallback = Callable[[int, RunResult], None]  # (the run's index in configs, its finished result)
GROUPED_MARK = " · grouped ×"
"""A grouped run's device reads e.g. "cpu · grouped ×8": its history is a valid training of its config
but not bit for bit the engine's (see the module's docstring), so the store says how it was trained."""


def grouped_device(device: str, k: int) -> str:
    """The device a run of a group of `k` records (the device alone for a group of one)."""
    return f"{device}{GROUPED_MARK}{k}" if k > 1 else device


def group_of(device: str) -> tuple[str, int]:
    """A recorded device split into the device and the size of the group it trained in (1: alone)."""
    base, mark, size = device.partition(GROUPED_MARK)
    return (base, int(size)) if mark and size.isdigit() else (device, 1)


def group_key(config: TrainConfig) -> str:
    """Equal for configs that can train in one group: a stable hash of the shared fields and the optimizer family."""
    values = {name: getattr(config, name) for name in SHARED_FIELDS}
    values["classes"] = list(config.classes)
    values["optimizer_family"] = OPTIMIZER_FAMILIES[config.optimizer]
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:16]


def can_group(configs: Sequence[TrainConfig]) -> bool:
    """Whether these configs can train as one group (one config always can)."""
    return bool(configs) and len({group_key(c) for c in configs}) == 1


def groups(configs: Sequence[TrainConfig], max_size: int | None = None) -> list[list[TrainConfig]]:
    """The configs split into groups that can each train together, in the order they first appear,
    each of at most `max_size` configs (None: no limit)."""
    if max_size is not None and max_size < 1:
        raise ValueError(f"max_size must be at least 1; got {max_size}.")
    by_key: dict[str, list[TrainConfig]] = {}
    for config in configs:
        by_key.setdefault(group_key(config), []).append(config)
    size = max_size or max(1, len(configs))
    return [members[i:i + size] for members in by_key.values() for i in range(0, len(members), size)]


@dataclass
class _Run:
    """One run of the group, on the host: what the engine keeps for it."""

    index: int  # its position in the configs given
    config: TrainConfig
    model: nn.Module  # its own module: built from its seed, then its final (or restored best) weights
    order: torch.Generator  # its batch order, seeded as the engine seeds it
    result: RunResult
    early: EarlyStopping
    clock: float = 0.0  # its share of the group's training time so far


class _Group:
    """The stacked runs and their optimizer, trained one epoch at a time."""

    def __init__(self, configs: Sequence[TrainConfig], data: DataSplits | None,
                 on_end: RunEndCallback | None = None) -> None:
        first = configs[0]
        self.on_end = on_end
        self.device = pick_device(first.device)
        if data is None:
            data = load_splits(first.dataset, first.val_fraction, first.max_samples, first.classes, self.device)
        self.data = data
        self.task = data.spec.task
        self.classification = self.task == "classification"
        self.outputs = len(first.classes) or data.spec.output_dim
        self.n_train, self.batch_size = len(data.x_train), first.batch_size
        self.steps_per_epoch = updates_per_epoch(self.n_train, self.batch_size)
        self.batch_sizes = torch.full((self.steps_per_epoch,), float(self.batch_size), device=self.device)
        self.batch_sizes[-1] = self.n_train - (self.steps_per_epoch - 1) * self.batch_size
        limit = engine.TRAIN_EVAL_SAMPLES
        self.x_fit, self.y_fit = data.x_train[:limit], data.y_train[:limit]
        self.family = OPTIMIZER_FAMILIES[first.optimizer]

        self.runs: list[_Run] = []
        for index, config in enumerate(configs):
            torch.manual_seed(config.seed)  # as engine.set_up: the same config starts from the same weights
            model = build_model(config.model, data.spec.input_shape, self.outputs).to(self.device)
            _check_vectorisable(model)
            order = torch.Generator(device=self.device).manual_seed(config.seed)
            result = RunResult(config, Status.COMPLETED, device=grouped_device(describe(self.device), len(configs)))
            self.runs.append(_Run(index, config, model, order, result, EarlyStopping(config)))
        self.template = copy.deepcopy(self.runs[0].model).to("meta")  # the architecture; weights come per call
        self.layout: list[tuple[str, torch.Size, int, int]] = []
        offset = 0
        for name, parameter in self.template.named_parameters():
            self.layout.append((name, parameter.shape, offset, offset + parameter.numel()))
            offset += parameter.numel()
        self.flat = torch.stack([torch.cat([p.detach().reshape(-1) for p in run.model.parameters()])
                                 for run in self.runs])  # (K, P): one row per run
        self.active: list[_Run] = list(self.runs)  # the runs still training, in the order of the stack's rows
        self.step = 0  # update steps so far, the same for every active run
        self.tables: dict[str, torch.Tensor] = {}  # per-run coefficients of each step of the epoch, (K, steps)
        self.epoch_state: dict[str, torch.Tensor] = {}  # the epoch's batch orders, step losses and correct counts
        self.mark = time.perf_counter()  # when the group's time was last split over its runs
        self._set_up_optimizer()
        self._bind()
        self.first_backward = True

    # ------------------------------------------------------------------ the stacked model

    def _views(self, flat: torch.Tensor) -> dict[str, torch.Tensor]:
        """Each parameter of every run of `flat`, as a (K, *shape) view into it."""
        return {name: flat[:, start:end].view(len(flat), *shape) for name, shape, start, end in self.layout}

    def _bind(self) -> None:
        """The parameters the training step differentiates: views into self.flat whose gradients
        accumulate straight into views of self.grad, so the optimizer sees one (K, P) gradient."""
        self.grad = torch.zeros_like(self.flat)
        self.params = self._views(self.flat)
        for parameter, gradient in zip(self.params.values(), self._views(self.grad).values(), strict=True):
            parameter.requires_grad_(True)
            parameter.grad = gradient

    def _losses(self, out: torch.Tensor, y: torch.Tensor, reduction: str) -> torch.Tensor:
        """Each run's loss, (K,): the engine's criterion per run, as its mean ("mean") or sum ("sum")."""
        k = len(out)
        if self.classification:
            per_sample = F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1), reduction="none")
        else:
            per_sample = F.mse_loss(out, y, reduction="none")
        per_run = per_sample.reshape(k, -1)
        return per_run.mean(1) if reduction == "mean" else per_run.sum(1)

    @torch.no_grad()
    def _evaluate(self, flat: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """engine.evaluate for every run of `flat` at once: mean loss and accuracy, (K,) each, no host sync.
        Chunks hold EVAL_CHUNK samples over all runs together, so the memory stays the engine's."""
        k = len(flat)
        nan = torch.full((k,), math.nan, device=self.device)
        if len(x) == 0:
            return nan, nan
        params = self._views(flat)
        chunk = max(1, engine.EVAL_CHUNK // k)
        loss_sum = torch.zeros(k, device=self.device)
        correct = torch.zeros(k, device=self.device)
        for start in range(0, len(x), chunk):
            x_chunk, y_chunk = x[start:start + chunk], y[start:start + chunk]
            out = stacked_forward(self.template, params, x_chunk.expand(k, *x_chunk.shape))
            targets = y_chunk.expand(k, *y_chunk.shape)
            loss_sum += self._losses(out, targets, "sum")
            if self.classification:
                correct += (out.argmax(-1) == targets).sum(1)
        accuracy = correct / len(x) if self.classification else nan
        return loss_sum / (len(x) if self.classification else y.numel()), accuracy

    # ------------------------------------------------------------------ the optimizer, written out over the rows

    def _column(self, values: Sequence[float]) -> torch.Tensor:
        """Per-run numbers (computed in double, as torch's fused kernels do) as a float32 (K, 1) column."""
        return torch.tensor(values, dtype=torch.float64).to(self.device, torch.float32).unsqueeze(1)

    def _set_up_optimizer(self) -> None:
        configs = [run.config for run in self.runs]
        self.state: dict[str, torch.Tensor] = {}
        self.columns: dict[str, torch.Tensor] = {}
        if self.family == "sgd":
            momenta = [c.momentum if c.optimizer == "momentum" else 0.0 for c in configs]
            self.momentum = any(m != 0 for m in momenta)
            self.columns["momentum"] = self._column(momenta)
            self.l2 = any(c.weight_decay != 0 for c in configs)
            self.columns["l2"] = self._column([c.weight_decay for c in configs])
            self.decoupled = False
        else:
            self.state["exp_avg"] = torch.zeros_like(self.flat)
            self.state["exp_avg_sq"] = torch.zeros_like(self.flat)
            self.columns["lerp"] = self._column([1 - c.beta1 for c in configs])
            self.columns["beta2"] = self._column([c.beta2 for c in configs])
            self.columns["square"] = self._column([1 - c.beta2 for c in configs])
            self.columns["eps"] = self._column([c.eps for c in configs])
            self.l2 = any(c.weight_decay != 0 and c.optimizer == "adam" for c in configs)
            self.columns["l2"] = self._column([c.weight_decay if c.optimizer == "adam" else 0.0 for c in configs])
            self.decoupled = any(c.weight_decay != 0 and c.optimizer == "adamw" for c in configs)

    def _epoch_tables(self) -> None:
        """Each active run's coefficients at every step of the coming epoch, (K, steps) float32:
        its LR (lr_at) and, for Adam, the bias-corrected step size and decay the fused kernel derives from it."""
        steps = range(self.step, self.step + self.steps_per_epoch)
        lrs = [[run.config.learning_rate] * len(steps) if is_constant(run.config)
               else [lr_at(run.config, s) for s in steps] for run in self.active]
        self.tables = {}
        if self.family == "sgd":
            self.tables["neg_lr"] = self._table([[-lr for lr in row] for row in lrs])
            return
        beta1 = [run.config.beta1 for run in self.active]
        beta2 = [run.config.beta2 for run in self.active]
        self.tables["neg_step_size"] = self._table([[-lr / (1 - b1 ** (s + 1)) for lr, s in zip(row, steps,
                                                                                              strict=True)]
                                                    for row, b1 in zip(lrs, beta1, strict=True)])
        self.tables["bias2_sqrt"] = self._table([[math.sqrt(1 - b2 ** (s + 1)) for s in steps] for b2 in beta2])
        if self.decoupled:
            decays = [run.config.weight_decay if run.config.optimizer == "adamw" else 0.0 for run in self.active]
            self.tables["decay"] = self._table([[1 - lr * wd for lr in row] for row, wd in zip(lrs, decays,
                                                                                               strict=True)])

    def _table(self, rows: list[list[float]]) -> torch.Tensor:
        return torch.tensor(rows, dtype=torch.float64).to(self.device, torch.float32)

    @torch.no_grad()
    def _update(self, i: int) -> None:
        """One optimizer step of every active run, as torch's fused SGD / Adam(W) does it per run."""
        columns, tables = self.columns, self.tables
        if self.family == "sgd":
            sgd_step(self.flat, self.grad, self.state, tables["neg_lr"][:, i:i + 1],
                     columns["momentum"] if self.momentum else None, columns["l2"] if self.l2 else None,
                     first=self.step + i == 0)
        else:
            adam_step(self.flat, self.grad, self.state, tables["neg_step_size"][:, i:i + 1], columns["lerp"],
                      columns["beta2"], columns["square"], tables["bias2_sqrt"][:, i:i + 1], columns["eps"],
                      columns["l2"] if self.l2 else None, tables["decay"][:, i:i + 1] if self.decoupled else None)

    # ------------------------------------------------------------------ removing runs from the stack

    def _keep(self, slots: list[int]) -> None:
        """Keep only these rows of the stack (the others' runs ended)."""
        if len(slots) == len(self.active):
            return
        index = torch.tensor(slots, dtype=torch.long, device=self.device)
        self.active = [self.active[s] for s in slots]
        if not slots:
            return
        self.flat = self.flat.index_select(0, index)
        for store in (self.state, self.columns, self.tables, self.epoch_state):
            for name, tensor in store.items():
                store[name] = tensor.index_select(0, index)
        self._bind()

    # ------------------------------------------------------------------ training

    def _train_step(self, i: int) -> None:
        idx = self.epoch_state["perm"][:, i * self.batch_size:(i + 1) * self.batch_size]
        x, y = self.data.x_train[idx], self.data.y_train[idx]
        self.grad.zero_()
        out = stacked_forward(self.template, self.params, x)
        losses = self._losses(out, y, "mean")
        if self.first_backward:  # the gradients are views into one (K, P) tensor, which autograd warns about once
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*gradient layout contract.*")
                losses.sum().backward()
            self.first_backward = False
        else:
            losses.sum().backward()
        self._update(i)
        with torch.no_grad():
            self.epoch_state["losses"][:, i] = losses
            if self.classification:
                self.epoch_state["correct"] += (out.argmax(-1) == y).sum(-1)

    def _measure(self, slots: list[int], done: int) -> list[list[float]]:
        """For these rows after `done` steps of the epoch: the step losses, then the running loss and
        accuracy, the training loss and accuracy and the validation loss and accuracy. One host sync."""
        whole = len(slots) == len(self.active)
        index = torch.tensor(slots, dtype=torch.long, device=self.device)
        flat = self.flat if whole else self.flat.index_select(0, index)
        losses = self.epoch_state["losses"] if whole else self.epoch_state["losses"].index_select(0, index)
        correct = self.epoch_state["correct"] if whole else self.epoch_state["correct"].index_select(0, index)
        losses = losses[:, :done]
        seen = min(done * self.batch_size, self.n_train)
        running = (losses * self.batch_sizes[:done]).sum(1) / seen
        numbers = [running, correct / seen, *self._evaluate(flat, self.x_fit, self.y_fit),
                   *self._evaluate(flat, self.data.x_val, self.data.y_val)]
        return torch.cat([losses, torch.stack(numbers, 1)], 1).tolist()

    def _load(self, run: _Run, slot: int) -> None:
        """Copy the run's current weights from the stack into its own module."""
        with torch.no_grad():
            for parameter, (_, shape, start, end) in zip(run.model.parameters(), self.layout, strict=True):
                parameter.copy_(self.flat[slot, start:end].view(shape))

    def _close_epoch(self, run: _Run, slot: int, epoch: int, done: int, values: list[float],
                     stopped: bool, on_epoch: GroupEpochCallback | None) -> bool:
        """The engine's end of an epoch for one run; whether the run has ended."""
        config, result = run.config, run.result
        if stopped:
            result.status = Status.STOPPED
        step_losses = values[:done]
        running_loss, running_acc, train_loss, train_acc, val_loss, val_acc = values[done:]
        steps, samples = self.step + done, (result.rows[-1]["samples"] + min(done * self.batch_size, self.n_train))
        row: HistoryRow = {
            "epoch": epoch, "step": steps, "samples": samples, "time_s": run.clock, "lr": lr_at(config, steps - 1),
            "train_loss": train_loss, "val_loss": val_loss,
            "train_acc": train_acc if self.classification else math.nan, "val_acc": val_acc,
            "train_loss_running": running_loss,
            "train_acc_running": running_acc if self.classification else math.nan,
        }
        first_bad = first_non_finite(step_losses)
        if first_bad is not None or not math.isfinite(running_loss) or not math.isfinite(train_loss) or (
                self.data.x_val.numel() and not math.isfinite(val_loss)):
            result.status = Status.DIVERGED
            bad_step = steps - done + (first_bad if first_bad is not None else done - 1) + 1
            result.message = Message("run.non_finite", "The loss became non-finite at update step {step} (epoch "
                                                       "{epoch}).", step=bad_step, epoch=epoch)  # the engine's
            step_losses = step_losses[:first_bad + 1] if first_bad is not None else step_losses
        result.rows.append(row)
        result.step_losses.extend(step_losses)
        if on_epoch is not None:
            on_epoch(run.index, row, step_losses)
        if result.status != Status.COMPLETED:
            if result.status != Status.DIVERGED:
                self._load(run, slot)
            return True
        if config.early_stopping and config.restore_best:
            self._load(run, slot)  # EarlyStopping keeps a copy of the module's weights when the epoch is the best
        stop_early = run.early.should_stop(row, run.model)
        result.best_epoch = run.early.best.epoch
        if stop_early:
            self._load(run, slot)  # the last weights, unless early stopping goes back to the best ones
            result.status = Status.EARLY_STOPPED
            result.message = run.early.stop(run.model, epoch)
            return True
        if epoch == config.epochs:
            self._load(run, slot)
            return True
        return False

    def _finish(self, run: _Run) -> None:
        """The engine's end of a run: instability, the final weights' validation and test metrics, wall time."""
        started = time.perf_counter()
        result, data = run.result, self.data
        if result.status in (Status.COMPLETED, Status.EARLY_STOPPED):
            why = instability(result.rows, self.outputs if self.classification else None)
            if why is not None:
                result.status, result.message = Status.UNSTABLE, why
        if result.status != Status.DIVERGED and result.rows:
            val_loss, _ = evaluate(run.model, data.x_val, data.y_val, self.task)
            test_loss, test_acc = evaluate(run.model, data.x_test, data.y_test, self.task)
            final_val, result.test_loss, test_acc_v = torch.stack([val_loss, test_loss, test_acc]).tolist()
            result.final_val_loss = final_val if math.isfinite(final_val) else None
            result.test_acc = test_acc_v if self.classification else None
        result.wall_time = run.clock + time.perf_counter() - started

    def _tick(self) -> None:
        """Split the time since the last tick evenly over the runs that trained in it."""
        now = time.perf_counter()
        if self.active:
            share = (now - self.mark) / len(self.active)
            for run in self.active:
                run.clock += share
        self.mark = now

    def _end(self, ended: list[int]) -> None:
        """Finish the runs of these rows, hand each to on_end, and take them out of the stack."""
        started = time.perf_counter()
        for slot in ended:
            self._finish(self.active[slot])
            if self.on_end is not None:
                self.on_end(self.active[slot].index, self.active[slot].result)
        self.mark += time.perf_counter() - started  # a run's final evaluation is its own time, not the group's
        self._keep([s for s in range(len(self.active)) if s not in set(ended)])

    def train(self, on_epoch: GroupEpochCallback | None, should_stop: Callable[[int], bool] | None) -> None:
        start = self._measure_start()
        for run, values in zip(self.runs, start, strict=True):
            train_loss, train_acc, val_loss, val_acc = values
            run.result.rows.append({
                "epoch": 0, "step": 0, "samples": 0, "time_s": 0.0, "lr": lr_at(run.config, 0),
                "train_loss": train_loss, "val_loss": val_loss,
                "train_acc": train_acc if self.classification else math.nan, "val_acc": val_acc,
                "train_loss_running": train_loss,
                "train_acc_running": train_acc if self.classification else math.nan,
            })
            if on_epoch is not None:
                on_epoch(run.index, run.result.rows[0], [])
        self.mark = time.perf_counter()
        epochs = self.runs[0].config.epochs
        for epoch in range(1, epochs + 1):
            if not self.active:
                break
            k = len(self.active)
            self.epoch_state = {
                "perm": torch.stack([torch.randperm(self.n_train, generator=run.order, device=self.device)
                                     for run in self.active]),
                "losses": torch.zeros(k, self.steps_per_epoch, device=self.device),
                "correct": torch.zeros(k, device=self.device),
            }
            self._epoch_tables()
            for i in range(self.steps_per_epoch):
                if should_stop is not None:
                    stopping = [s for s, run in enumerate(self.active) if should_stop(run.index)]
                    if stopping:
                        self._stop(stopping, epoch, i, on_epoch)
                        if not self.active:
                            break
                self._train_step(i)
            if not self.active:
                break
            slots = list(range(len(self.active)))
            measured = self._measure(slots, self.steps_per_epoch)
            self._tick()  # the epoch's time includes its measurements, as the engine's does
            ended = [slot for slot, values in zip(slots, measured, strict=True)
                     if self._close_epoch(self.active[slot], slot, epoch, self.steps_per_epoch, values, False,
                                          on_epoch)]
            self.step += self.steps_per_epoch
            self._end(ended)

    def _measure_start(self) -> list[list[float]]:
        """Epoch 0 of every run: training loss and accuracy, validation loss and accuracy, one sync."""
        numbers = [*self._evaluate(self.flat, self.x_fit, self.y_fit),
                   *self._evaluate(self.flat, self.data.x_val, self.data.y_val)]
        return torch.stack(numbers, 1).tolist()

    def _stop(self, slots: list[int], epoch: int, done: int, on_epoch: GroupEpochCallback | None) -> None:
        """Stop pressed for these rows before step `done` of the epoch: each keeps the part it trained."""
        if done == 0:  # before the epoch's first batch: the engine adds no row for it
            self._tick()
            for slot in slots:
                self.active[slot].result.status = Status.STOPPED
                self._load(self.active[slot], slot)
        else:
            measured = self._measure(slots, done)
            self._tick()
            for slot, values in zip(slots, measured, strict=True):
                self._close_epoch(self.active[slot], slot, epoch, done, values, True, on_epoch)
        self._end(slots)


# --------------------------------------------------------------------------- the optimizers, over rows

def sgd_step(flat: torch.Tensor, grad: torch.Tensor, state: dict[str, torch.Tensor], neg_lr: torch.Tensor,
             momentum: torch.Tensor | None, l2: torch.Tensor | None, first: bool) -> None:
    """torch's fused CPU SGD (dampening 0, no Nesterov) on every row of `flat` (K, P) at once: the per-run
    settings are (K, 1) float32 columns (-lr; momentum, 0 for plain SGD; weight decay), and `grad` may be
    overwritten. Its kernel is compiled with multiply-adds fused (one rounding), which addcmul
    reproduces: grad += wd·param and param += -lr·grad are each one fma; the momentum buffer is
    buffer·m + grad, rounded twice. Bit for bit, except that the kernel's scalar loop, which updates the
    last (numel mod 8) entries of each parameter tensor, fuses the momentum update too (1 ulp there)."""
    if l2 is not None:
        grad.addcmul_(flat, l2)
    if momentum is not None:
        if first:
            state["buffer"] = grad.clone()
        else:
            state["buffer"].mul_(momentum).add_(grad)
        grad = state["buffer"]
    flat.addcmul_(grad, neg_lr)


def adam_step(flat: torch.Tensor, grad: torch.Tensor, state: dict[str, torch.Tensor], neg_step_size: torch.Tensor,
              lerp: torch.Tensor, beta2: torch.Tensor, square: torch.Tensor, bias2_sqrt: torch.Tensor,
              eps: torch.Tensor, l2: torch.Tensor | None, decay: torch.Tensor | None) -> None:
    """torch's fused CPU Adam and AdamW on every row of `flat` (K, P) at once, bit for bit. Columns, (K, 1)
    float32: -lr / (1 - β1^t), 1 - β1, β2, 1 - β2, sqrt(1 - β2^t), eps; Adam's L2 weight decay (0 for an
    AdamW run) and AdamW's factor 1 - lr·wd (1 for an Adam run). As the kernel: grad += wd·param (fma),
    exp_avg.lerp_(grad, 1 - β1), exp_avg_sq = fma((1 - β2)·grad, grad, β2·exp_avg_sq), and
    param += (-step·exp_avg) / (sqrt(exp_avg_sq) / sqrt(1 - β2^t) + eps) with a correctly rounded square
    root (torch.sqrt on float32 is not; through float64 it is)."""
    if l2 is not None:
        grad.addcmul_(flat, l2)
    if decay is not None:
        flat.mul_(decay)
    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
    exp_avg.lerp_(grad, lerp)
    exp_avg_sq.mul_(beta2).addcmul_(grad * square, grad)
    denom = exp_avg_sq.double().sqrt().float().div_(bias2_sqrt).add_(eps)
    flat.add_((exp_avg * neg_step_size).div_(denom))


# --------------------------------------------------------------------------- the stacked forward pass

def stacked_forward(model: nn.Module, params: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """K copies of the Sequential `model` at once: params[name] is (K, *shape), x is (K, B, *input)
    and the output (K, B, outputs), each run's slice computed from its own weights and inputs only.

    The layers are written out with a leading run dimension (what vmap does, but chosen for these
    sizes): a 1-D convolution is im2col + one batched matmul in (K, B, length, channels) order (vmap
    makes it a grouped convolution, which oneDNN runs about 2x slower here), a linear layer one
    batched matmul, a 2-D convolution one grouped convolution, the rest reshapes."""
    channels_last = False  # a chain of 1-D convolutions stays in (K, B, length, channels) between them
    for name, layer in model.named_children():
        if isinstance(layer, nn.ReLU):
            x = torch.relu(x)
            continue
        if isinstance(layer, nn.Conv1d):
            if not channels_last:
                x, channels_last = x.transpose(2, 3), True
            x = _conv1d(layer, params[f"{name}.weight"], params[f"{name}.bias"], x)
            continue
        if channels_last:
            x, channels_last = x.transpose(2, 3), False
        if isinstance(layer, nn.Linear):
            flat = x.reshape(len(x), -1, x.shape[-1])
            out = torch.baddbmm(params[f"{name}.bias"].unsqueeze(1), flat, params[f"{name}.weight"].transpose(1, 2))
            x = out.view(*x.shape[:-1], out.shape[-1])
        elif isinstance(layer, nn.Conv2d):
            x = _conv2d(layer, params[f"{name}.weight"], params[f"{name}.bias"], x)
        elif isinstance(layer, nn.MaxPool2d):
            pooled = F.max_pool2d(x.reshape(-1, *x.shape[2:]), layer.kernel_size, layer.stride, layer.padding,
                                  layer.dilation, layer.ceil_mode)
            x = pooled.view(*x.shape[:2], *pooled.shape[1:])
        elif isinstance(layer, nn.Flatten):
            x = x.flatten(_run_dim(layer.start_dim), _run_dim(layer.end_dim))
        elif isinstance(layer, nn.Unflatten):
            x = x.unflatten(_run_dim(layer.dim), layer.unflattened_size)
        else:  # _check_vectorisable refused it before training started
            raise TypeError(f"No stacked form of {type(layer).__name__}.")
    return x.transpose(2, 3) if channels_last else x


def _run_dim(dim: int) -> int:
    """A layer's dimension (0: the batch) in the stacked tensor, whose dimension 0 is the run."""
    return dim + 1 if dim >= 0 else dim


def _conv1d(layer: nn.Conv1d, weight: torch.Tensor, bias: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """(K, B, L, C) -> (K, B, L', C'): the kernel's taps side by side (im2col), then one batched matmul."""
    k, batch, _, channels = x.shape
    (kernel,), (stride,) = layer.kernel_size, layer.stride
    (padding,) = cast(tuple[int], layer.padding)  # not "same" or "valid": _check_vectorisable refused those
    columns = _Im2col.apply(x, kernel, stride, padding)  # (K, B, L', taps·C)
    out_length = columns.shape[2]
    taps = weight.transpose(2, 3).reshape(k, -1, kernel * channels)  # (K, C', taps·C), in the columns' order
    out = torch.baddbmm(bias.unsqueeze(1), columns.view(k, batch * out_length, -1), taps.transpose(1, 2))
    return out.view(k, batch, out_length, -1)


class _Im2col(torch.autograd.Function):
    """(K, B, L, C) -> (K, B, L', taps·C): each output position's zero-padded window, tap by tap.
    Its backward adds each tap's gradient into one buffer (autograd's own, for a stack of slices,
    fills and copies a padded tensor per tap)."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, kernel: int, stride: int, padding: int) -> torch.Tensor:
        k, batch, length, channels = x.shape
        out_length = (length + 2 * padding - kernel) // stride + 1
        padded = F.pad(x, (0, 0, padding, padding))
        ctx.shape, ctx.geometry = x.shape, (kernel, stride, padding, out_length)
        windows = padded.unfold(2, kernel, stride).transpose(3, 4)  # a view: windows overlap when stride < kernel
        return windows.reshape(k, batch, out_length, kernel * channels).contiguous()

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor, None, None, None]:
        k, batch, length, channels = ctx.shape
        kernel, stride, padding, out_length = ctx.geometry
        padded = grad.new_zeros(k, batch, length + 2 * padding, channels)
        taps = grad.reshape(k, batch, out_length, kernel, channels)
        end = stride * (out_length - 1) + 1
        for tap in range(kernel):
            padded[:, :, tap:tap + end:stride].add_(taps[:, :, :, tap])
        return padded[:, :, padding:padding + length], None, None, None


def _conv2d(layer: nn.Conv2d, weight: torch.Tensor, bias: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """(K, B, C, H, W) -> (K, B, C', H', W'): the runs as the groups of one convolution (vmap's rule)."""
    k, batch = x.shape[:2]
    grouped = x.transpose(0, 1).reshape(batch, -1, *x.shape[3:])  # (B, K·C, H, W)
    out = F.conv2d(grouped, weight.reshape(-1, *weight.shape[2:]), bias.reshape(-1), layer.stride, layer.padding,
                   groups=k)
    return out.view(batch, k, -1, *out.shape[2:]).transpose(0, 1)


def _check_vectorisable(model: nn.Module) -> None:
    """Refuse a model stacked_forward cannot compute exactly: state beyond its parameters, layers that
    change between training and evaluation, or convolutions other than plain zero-padded ones."""
    odd = sorted({type(m).__name__ for m in model.modules() if not isinstance(m, PLAIN_LAYERS)})
    convolutions = [m for m in model.modules() if isinstance(m, nn.Conv1d | nn.Conv2d)]
    if any(c.groups != 1 or c.padding_mode != "zeros" or isinstance(c.padding, str) or c.bias is None
           or any(d != 1 for d in c.dilation) for c in convolutions):
        odd.append("a dilated, grouped, bias-free or non-zero-padded convolution")
    if any(m.bias is None for m in model.modules() if isinstance(m, nn.Linear)):
        odd.append("a bias-free linear layer")
    if odd or any(True for _ in model.buffers()) or not isinstance(model, nn.Sequential):
        raise ValueError(f"This model cannot train in a group ({', '.join(odd) or 'buffers, or not a Sequential'}): "
                         "train it alone.")


def train_group(configs: Sequence[TrainConfig], on_epoch: GroupEpochCallback | None = None,
                should_stop: Callable[[int], bool] | None = None, data: DataSplits | None = None,
                on_end: RunEndCallback | None = None) -> list[RunResult]:
    """Train configs that can share a group (`can_group`) as one vectorised model; one RunResult per
    config, in their order, each what `core.training.engine.train(config)` returns within floating-point
    tolerance (see the module's docstring).

    on_epoch(index, row, step_losses) is called after every epoch of each run (index: its position in
    `configs`), epoch 0 included; should_stop(index) is checked before every batch for each run still
    training, and a run it stops ends within one batch as "stopped", the others training on. on_end(index,
    result) is called as each run ends, while the others may train on. `data` (the shared splits) is
    loaded when not given. A run of a group of two or more records its device with GROUPED_MARK."""
    if not configs:
        return []
    if not can_group(configs):
        differing = sorted({name for name in SHARED_FIELDS if len({getattr(c, name) for c in configs}) > 1}
                           | ({"optimizer"} if len({OPTIMIZER_FAMILIES[c.optimizer] for c in configs}) > 1 else set()))
        raise ValueError(f"These configs cannot train as one group: they differ in {', '.join(differing)}.")
    group = _Group(configs, data, on_end)
    group.train(on_epoch, should_stop)
    return [run.result for run in group.runs]
