"""The training loop: a validated config in, a run (status + tidy history) out.

Fast on small data, the way airbench is: the whole dataset sits in tensors on the
device and each epoch indexes batches from one random permutation (no DataLoader).
Losses are summed on the device and cross to the host once per epoch, in one
`.tolist()` call, instead of an `.item()` sync after every step.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from core.messages import Message
from core.training.config import TrainConfig, updates_per_epoch
from core.training.data import DataSplits, load_splits
from core.training.devices import describe, pick_device
from core.training.models import build_model
from core.training.record import BestEpoch, HistoryRow, RunResult, Status, counted_min_delta
from core.training.schedules import is_constant, lr_at
from core.training.stability import instability

EVAL_CHUNK = 4096  # samples per forward pass when evaluating
TRAIN_EVAL_SAMPLES = 4096  # the training loss is evaluated on at most this many training samples (a fixed subset)

EpochCallback = Callable[[HistoryRow, list[float]], None]
Probe = Callable[[nn.Module, DataSplits], dict[str, float]]  # extra numbers for an epoch's row
Checkpoint = Callable[[int, nn.Module, DataSplits], None]  # a look at the weights after an update step


def make_optimizer(config: TrainConfig, params: Iterable[nn.Parameter], fused: bool = False) -> torch.optim.Optimizer:
    """The config's optimizer. fused=True updates all parameters in one kernel instead of
    several per tensor: for the app's small models that per-op overhead is a large share of a step."""
    lr, wd = lr_at(config, 0), config.weight_decay
    options: dict[str, Any] = {"fused": True} if fused else {}
    if config.optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=wd, **options)
    if config.optimizer == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=config.momentum, weight_decay=wd, **options)
    adam = torch.optim.Adam if config.optimizer == "adam" else torch.optim.AdamW
    return adam(params, lr=lr, betas=(config.beta1, config.beta2), eps=config.eps, weight_decay=wd, **options)


def loss_function(task: str) -> Callable[..., torch.Tensor]:
    """Cross-entropy for classification, mean squared error for regression (a `reduction=` may be given)."""
    return F.cross_entropy if task == "classification" else F.mse_loss


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, task: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean loss and accuracy over (x, y) as 0-d device tensors; no host sync.

    Losses are summed and divided by N, so the result does not depend on the chunk size.
    Accuracy is NaN for regression; both are NaN for an empty set.
    """
    if len(x) == 0:
        nan = torch.tensor(math.nan, device=x.device)
        return nan, nan
    was_training = model.training
    model.eval()
    loss_sum = torch.zeros((), device=x.device)
    correct = torch.zeros((), device=x.device)
    for start in range(0, len(x), EVAL_CHUNK):
        out = model(x[start:start + EVAL_CHUNK])
        target = y[start:start + EVAL_CHUNK]
        loss_sum += loss_function(task)(out, target, reduction="sum")
        if task == "classification":
            correct += (out.argmax(1) == target).sum()
    model.train(was_training)
    accuracy = correct / len(x) if task == "classification" else torch.tensor(math.nan, device=x.device)
    return loss_sum / (len(x) if task == "classification" else y.numel()), accuracy


@dataclass
class Setup:
    """What a run trains with: its device, data, freshly initialised model and optimizer."""

    device: torch.device
    data: DataSplits
    model: nn.Module
    optimizer: torch.optim.Optimizer


def set_up(config: TrainConfig, data: DataSplits | None = None, model: nn.Module | None = None) -> Setup:
    """The run's device, data, model (seeded, so the same config starts from the same weights) and
    optimizer. The LR range test sets up the same way, so its model is the one training would start from."""
    device = pick_device(config.device)
    if data is None:
        data = load_splits(config.dataset, config.val_fraction, config.max_samples, config.classes, device)
    torch.manual_seed(config.seed)
    if model is None:
        outputs = len(config.classes) or data.spec.output_dim
        model = build_model(config.model, data.spec.input_shape, outputs).to(device)
    optimizer = make_optimizer(config, model.parameters(), fused=device.type in ("cpu", "cuda"))
    return Setup(device, data, model, optimizer)


class EarlyStopping:
    """Stop after `patience` epochs without a new best validation loss (BestEpoch's rule), keeping
    the best epoch's weights to restore when asked. Without early stopping it only tracks the best epoch."""

    def __init__(self, config: TrainConfig) -> None:
        self.enabled, self.patience, self.restore = config.early_stopping, config.patience, config.restore_best
        self.best = BestEpoch(counted_min_delta(config))
        self.epochs_without_gain = 0
        self.best_state: dict[str, torch.Tensor] | None = None

    def should_stop(self, row: HistoryRow, model: nn.Module) -> bool:
        if self.best.offer(row):
            self.epochs_without_gain = 0
            if self.enabled and self.restore:
                self.best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        elif math.isfinite(row["val_loss"]):
            self.epochs_without_gain += 1
        return self.enabled and self.epochs_without_gain >= self.patience

    def stop(self, model: nn.Module, epoch: int) -> Message:
        """Go back to the best weights if they were kept; the message says what happened."""
        if self.best_state is None:
            return Message("run.early_stopped", "No improvement of the validation loss for {patience} epochs; "
                           "stopped after epoch {epoch}.", patience=self.patience, epoch=epoch)
        model.load_state_dict(self.best_state)
        return Message("run.early_stopped_restored", "No improvement of the validation loss for {patience} epochs; "
                       "stopped after epoch {epoch} and restored the weights of epoch {best}.",
                       patience=self.patience, epoch=epoch, best=self.best.epoch)


def first_non_finite(values: Iterable[float]) -> int | None:
    """The index of the first NaN or infinite value, or None."""
    return next((i for i, v in enumerate(values) if not math.isfinite(v)), None)


def train(config: TrainConfig, on_epoch: EpochCallback | None = None,
          should_stop: Callable[[], bool] | None = None, data: DataSplits | None = None,
          probe: Probe | None = None, on_end: Callable[[nn.Module, DataSplits], None] | None = None,
          checkpoints: Collection[int] = (), on_checkpoint: Checkpoint | None = None) -> RunResult:
    """Train `config` and return the run.

    on_epoch(row, step_losses) is called after every epoch with that epoch's history row
    and the training loss of each of its update steps. should_stop() is checked before
    every batch; when it turns true the run ends within one batch as "stopped", keeping
    what was trained. The first non-finite loss ends the run as "diverged"; a run that stays
    finite but spikes, collapses to chance or ends no better than it began is "unstable"
    (core.training.stability says which rule fired).

    Analyses hook in without touching the loop: probe(model, data) runs after every
    epoch's measurements and its dict is added to that epoch's row (extra keys are kept in
    `rows` but not in `history`); on_end(model, data) sees the final weights (the best
    ones, if early stopping restored them); on_checkpoint(step, model, data) runs right after
    each update step listed in `checkpoints` (its time, like a probe's, is not training time).
    """
    setup = set_up(config, data)
    device, data, model, optimizer = setup.device, setup.data, setup.model, setup.optimizer
    task = data.spec.task
    criterion = loss_function(task)
    classification = task == "classification"
    n_train, batch_size = len(data.x_train), config.batch_size
    steps_per_epoch = updates_per_epoch(n_train, batch_size)
    # Sizes of the batches of an epoch: all B, except a smaller last one.
    batch_sizes = torch.full((steps_per_epoch,), float(batch_size), device=device)
    batch_sizes[-1] = n_train - (steps_per_epoch - 1) * batch_size
    order = torch.Generator(device=device).manual_seed(config.seed)
    scheduled = not is_constant(config)  # a constant LR is never touched: those runs train exactly as before
    # The training split is shuffled once (load_splits), so its first samples are a fixed random subset.
    x_fit, y_fit = data.x_train[:TRAIN_EVAL_SAMPLES], data.y_train[:TRAIN_EVAL_SAMPLES]

    def measured_at_these_weights() -> list[torch.Tensor]:
        """Training loss and accuracy on the fixed subset, validation loss and accuracy: the same weights."""
        return [*evaluate(model, x_fit, y_fit, task), *evaluate(model, data.x_val, data.y_val, task)]

    result = RunResult(config, Status.COMPLETED, device=describe(device))
    train_loss0, train_acc0, val_loss0, val_acc0 = torch.stack(measured_at_these_weights()).tolist()
    result.rows.append({  # before any update: every chart's starting point, and the stability rules' reference
        "epoch": 0, "step": 0, "samples": 0, "time_s": 0.0, "lr": lr_at(config, 0),
        "train_loss": train_loss0, "val_loss": val_loss0,
        "train_acc": train_acc0 if classification else math.nan, "val_acc": val_acc0,
        "train_loss_running": train_loss0, "train_acc_running": train_acc0 if classification else math.nan,
    })  # no batch has been averaged yet: the running curve starts where the evaluated one does
    if on_epoch is not None:
        on_epoch(result.rows[0], [])
    early = EarlyStopping(config)
    step = samples = 0
    start = time.perf_counter()
    for epoch in range(1, config.epochs + 1):
        model.train()
        perm = torch.randperm(n_train, generator=order, device=device)
        losses = torch.zeros(steps_per_epoch, device=device)  # stays on the device until the epoch ends
        correct = torch.zeros((), device=device)
        done = 0
        for i in range(steps_per_epoch):
            if should_stop is not None and should_stop():
                result.status = Status.STOPPED
                break
            if scheduled:
                for group in optimizer.param_groups:
                    group["lr"] = lr_at(config, step + i)
            idx = perm[i * batch_size:(i + 1) * batch_size]
            x, y = data.x_train[idx], data.y_train[idx]
            out = model(x)
            loss = criterion(out, y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses[i] = loss.detach()
            if classification:
                correct += (out.argmax(1) == y).sum()
            done += 1
            if on_checkpoint is not None and step + done in checkpoints:
                measuring = time.perf_counter()
                on_checkpoint(step + done, model, data)
                start += time.perf_counter() - measuring
        if done == 0:
            break
        seen = min(done * batch_size, n_train)
        running_loss = (losses[:done] * batch_sizes[:done]).sum() / seen  # at the weights of each step, as Keras
        # The one host sync of the epoch: every number it measured crosses together.
        measured = torch.cat([losses[:done], torch.stack([running_loss, correct / seen,
                                                          *measured_at_these_weights()])]).tolist()
        step_losses = measured[:done]
        running_loss_v, running_acc_v, train_loss_v, train_acc_v, val_loss_v, val_acc_v = measured[done:]
        step, samples = step + done, samples + seen
        row: HistoryRow = {
            "epoch": epoch, "step": step, "samples": samples,
            "time_s": time.perf_counter() - start, "lr": optimizer.param_groups[0]["lr"],
            "train_loss": train_loss_v, "val_loss": val_loss_v,
            "train_acc": train_acc_v if classification else math.nan, "val_acc": val_acc_v,
            "train_loss_running": running_loss_v,
            "train_acc_running": running_acc_v if classification else math.nan,
        }
        if probe is not None and math.isfinite(running_loss_v):
            probe_start = time.perf_counter()
            row.update(probe(model, data))  # type: ignore[typeddict-item]  # the probe's own columns
            start += time.perf_counter() - probe_start  # measuring is not training: keep it out of the times
        first_bad = first_non_finite(step_losses)
        if first_bad is not None or not math.isfinite(running_loss_v) or not math.isfinite(train_loss_v) or (
                data.x_val.numel() and not math.isfinite(val_loss_v)):
            result.status = Status.DIVERGED
            bad_step = step - done + (first_bad if first_bad is not None else done - 1) + 1
            result.message = Message("run.non_finite", "The loss became non-finite at update step {step} (epoch "
                                                       "{epoch}).",
                                     step=bad_step, epoch=epoch)
            step_losses = step_losses[:first_bad + 1] if first_bad is not None else step_losses
        result.rows.append(row)
        result.step_losses.extend(step_losses)
        if on_epoch is not None:
            on_epoch(row, step_losses)
        if result.status != Status.COMPLETED:
            break
        stop_early = early.should_stop(row, model)
        result.best_epoch = early.best.epoch
        if stop_early:
            result.status = Status.EARLY_STOPPED
            result.message = early.stop(model, epoch)
            break

    if result.status in (Status.COMPLETED, Status.EARLY_STOPPED):
        why = instability(result.rows, (len(config.classes) or data.spec.output_dim) if classification else None)
        if why is not None:
            result.status, result.message = Status.UNSTABLE, why
    if result.status != Status.DIVERGED and result.rows:
        val_loss, _ = evaluate(model, data.x_val, data.y_val, task)
        test_loss, test_acc = evaluate(model, data.x_test, data.y_test, task)
        final_val, result.test_loss, test_acc_v = torch.stack([val_loss, test_loss, test_acc]).tolist()
        result.final_val_loss = final_val if math.isfinite(final_val) else None
        result.test_acc = test_acc_v if classification else None
    result.wall_time = time.perf_counter() - start
    if on_end is not None and result.status != Status.DIVERGED and result.rows:
        on_end(model, data)
    return result
