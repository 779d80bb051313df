"""The training loop: a validated config in, a run (status + tidy history) out.

Fast on small data, the way airbench is: the whole dataset sits in tensors on the
device and each epoch indexes batches from one random permutation (no DataLoader).
Losses are summed on the device and cross to the host once per epoch, in one
`.tolist()` call, instead of an `.item()` sync after every step.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from core.config import TrainConfig, updates_per_epoch
from core.datasets import DataSplits, load_splits
from core.devices import describe, pick_device
from core import messages
from core.messages import Message
from core.models import build_model

HISTORY_COLUMNS = ["epoch", "step", "samples", "time_s", "lr",
                   "train_loss", "val_loss", "train_acc", "val_acc"]
STATUSES = ("completed", "stopped", "diverged", "early_stopped")
EVAL_CHUNK = 4096  # samples per forward pass when evaluating

EpochCallback = Callable[[dict, list], None]


@dataclass
class RunResult:
    """What a training run measured. `rows` is the per-epoch history, one dict per epoch."""

    config: TrainConfig
    status: str  # one of STATUSES
    rows: list[dict] = field(default_factory=list)
    step_losses: list[float] = field(default_factory=list)  # training loss of every update step
    device: str = "cpu"
    wall_time: float = 0.0  # seconds spent training and evaluating
    best_epoch: int | None = None  # the epoch with the lowest validation loss
    final_val_loss: float | None = None  # of the weights the run ends with (the best ones if restored)
    test_loss: float | None = None
    test_acc: float | None = None
    message: Message | str = ""  # why the run ended as it did (diverged, early stopped, reused)
    sharpness: float | None = None  # top Hessian eigenvalue of the training loss at the final weights, if measured

    @property
    def history(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=HISTORY_COLUMNS)

    @property
    def epochs_run(self) -> int:
        return len(self.rows)

    @property
    def updates(self) -> int:
        return self.rows[-1]["step"] if self.rows else 0

    @property
    def samples_seen(self) -> int:
        return self.rows[-1]["samples"] if self.rows else 0

    @property
    def samples_per_second(self) -> float:
        return self.samples_seen / self.wall_time if self.wall_time > 0 else 0.0

    @property
    def best_row(self) -> dict | None:
        if self.best_epoch is None:
            return None
        return next(r for r in self.rows if r["epoch"] == self.best_epoch)

    def to_dict(self) -> dict[str, Any]:
        d = {name: getattr(self, name) for name in self.__dataclass_fields__}
        d["config"] = self.config.to_dict()
        if isinstance(self.message, Message):  # a worker's result keeps it translatable
            d["message"] = self.message.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "RunResult":
        message = d.get("message", "")
        if isinstance(message, dict):
            message = messages.from_dict(message)
        return cls(**{**d, "config": TrainConfig.from_dict(d["config"]), "message": message})


def best_epoch(rows: list[dict], status: str, min_delta: float = 0.0) -> int | None:
    """The engine's rule: the first epoch whose finite val_loss beats the best so far by more than
    min_delta. A stopped or diverged run's last epoch never took part."""
    considered = rows[:-1] if status in ("stopped", "diverged") else rows
    best_val, best = math.inf, None
    for row in considered:
        if math.isfinite(row["val_loss"]) and row["val_loss"] < best_val - min_delta:
            best_val, best = row["val_loss"], row["epoch"]
    return best


def make_optimizer(config: TrainConfig, params, fused: bool = False) -> torch.optim.Optimizer:
    """The config's optimizer. fused=True updates all parameters in one kernel instead of
    several per tensor: for the app's small models that per-op overhead is a large share of a step."""
    lr, wd = config.learning_rate, config.weight_decay
    options = {"fused": True} if fused else {}
    if config.optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=wd, **options)
    if config.optimizer == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=config.momentum, weight_decay=wd, **options)
    if config.optimizer == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd, **options)
    return torch.optim.AdamW(params, lr=lr, weight_decay=wd, **options)


def loss_function(task: str) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
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


def train(config: TrainConfig, on_epoch: EpochCallback | None = None,
          should_stop: Callable[[], bool] | None = None, data: DataSplits | None = None,
          probe: Callable[[nn.Module, DataSplits], dict] | None = None,
          on_end: Callable[[nn.Module, DataSplits], None] | None = None) -> RunResult:
    """Train `config` and return the run.

    on_epoch(row, step_losses) is called after every epoch with that epoch's history row
    and the training loss of each of its update steps. should_stop() is checked before
    every batch; when it turns true the run ends within one batch as "stopped", keeping
    what was trained. The first non-finite loss ends the run as "diverged".

    Analyses hook in without touching the loop: probe(model, data) runs after every
    epoch's measurements and its dict is added to that epoch's row (extra keys are kept in
    `rows` but not in `history`); on_end(model, data) sees the final weights (the best
    ones, if early stopping restored them).
    """
    device = pick_device(config.device)
    if data is None:
        data = load_splits(config.dataset, config.val_fraction, config.max_samples, config.classes, device)
    task = data.spec.task
    criterion = loss_function(task)
    classification = task == "classification"
    n_train, batch_size = len(data.x_train), config.batch_size
    steps_per_epoch = updates_per_epoch(n_train, batch_size)
    # Sizes of the batches of an epoch: all B, except a smaller last one.
    batch_sizes = torch.full((steps_per_epoch,), float(batch_size), device=device)
    batch_sizes[-1] = n_train - (steps_per_epoch - 1) * batch_size

    torch.manual_seed(config.seed)
    outputs = len(config.classes) or data.spec.output_dim
    model = build_model(config.model, data.spec.input_shape, outputs).to(device)
    optimizer = make_optimizer(config, model.parameters(), fused=device.type in ("cpu", "cuda"))
    order = torch.Generator(device=device).manual_seed(config.seed)

    result = RunResult(config, "completed", device=describe(device))
    min_delta = config.min_delta if config.early_stopping else 0.0
    best_val, best_state, epochs_without_gain = math.inf, None, 0
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
                result.status = "stopped"
                break
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
        if done == 0:
            break
        seen = min(done * batch_size, n_train)
        train_loss = (losses[:done] * batch_sizes[:done]).sum() / seen
        val_loss, val_acc = evaluate(model, data.x_val, data.y_val, task)
        # The one host sync of the epoch: every number it measured crosses together.
        measured = torch.cat([losses[:done], torch.stack([train_loss, correct / seen, val_loss, val_acc])]).tolist()
        step_losses, (train_loss_v, train_acc_v, val_loss_v, val_acc_v) = measured[:done], measured[done:]
        step, samples = step + done, samples + seen
        row = {
            "epoch": epoch, "step": step, "samples": samples,
            "time_s": time.perf_counter() - start, "lr": optimizer.param_groups[0]["lr"],
            "train_loss": train_loss_v, "val_loss": val_loss_v,
            "train_acc": train_acc_v if classification else math.nan, "val_acc": val_acc_v,
        }
        if probe is not None and math.isfinite(train_loss_v):
            probe_start = time.perf_counter()
            row.update(probe(model, data))
            start += time.perf_counter() - probe_start  # measuring is not training: keep it out of the times
        first_bad = next((j for j, v in enumerate(step_losses) if not math.isfinite(v)), None)
        if first_bad is not None or not math.isfinite(train_loss_v) or (
                data.x_val.numel() and not math.isfinite(val_loss_v)):
            result.status = "diverged"
            bad_step = step - done + (first_bad if first_bad is not None else done - 1) + 1
            result.message = Message("run.non_finite", "The loss became non-finite at update step {step} (epoch {epoch}).",
                                     step=bad_step, epoch=epoch)
            step_losses = step_losses[:first_bad + 1] if first_bad is not None else step_losses
        result.rows.append(row)
        result.step_losses.extend(step_losses)
        if on_epoch is not None:
            on_epoch(row, step_losses)
        if result.status != "completed":
            break
        if math.isfinite(val_loss_v):
            if val_loss_v < best_val - min_delta:
                best_val, result.best_epoch, epochs_without_gain = val_loss_v, epoch, 0
                if config.early_stopping and config.restore_best:
                    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            else:
                epochs_without_gain += 1
            if config.early_stopping and epochs_without_gain >= config.patience:
                result.status = "early_stopped"
                if best_state is not None:
                    model.load_state_dict(best_state)
                    result.message = Message(
                        "run.early_stopped_restored", "No improvement of the validation loss for {patience} epochs; "
                        "stopped after epoch {epoch} and restored the weights of epoch {best}.",
                        patience=config.patience, epoch=epoch, best=result.best_epoch)
                else:
                    result.message = Message(
                        "run.early_stopped", "No improvement of the validation loss for {patience} epochs; "
                        "stopped after epoch {epoch}.", patience=config.patience, epoch=epoch)
                break

    if result.status != "diverged" and result.rows:
        val_loss, _ = evaluate(model, data.x_val, data.y_val, task)
        test_loss, test_acc = evaluate(model, data.x_test, data.y_test, task)
        final_val, result.test_loss, test_acc_v = torch.stack([val_loss, test_loss, test_acc]).tolist()
        result.final_val_loss = final_val if math.isfinite(final_val) else None
        result.test_acc = test_acc_v if classification else None
    result.wall_time = time.perf_counter() - start
    if on_end is not None and result.status != "diverged" and result.rows:
        on_end(model, data)
    return result
