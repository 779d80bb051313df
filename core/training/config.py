"""The one configuration object of a training run, validated when it is made.

Every run of the app is described by a frozen `TrainConfig`. Its allowed values live
in `CONSTRAINTS` (one entry per field, as scikit-learn keeps them) and a bad value
raises `ConfigError` with a message that names the field, the allowed range and the
value given, e.g. "The 'learning_rate' parameter of TrainConfig must be a float in
the range (0, 1000]. Got 0.0 instead."
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

from core.messages import Message
from core.settings import ConfigError
from core.training.data import DATASETS, split_sizes
from core.training.devices import DEVICES

OPTIMIZERS = ("sgd", "momentum", "adam", "adamw")
ADAM_TYPE = ("adam", "adamw")
ADAM_DEFAULTS = (0.9, 0.999, 1e-8)  # torch's (beta1, beta2, eps)
SCHEDULES = ("constant", "cosine", "step")  # after the warm-up, if any
ADDED_LATER = ("beta1", "beta2", "eps", "schedule", "warmup_epochs", "warmup_start", "decay_every", "decay_factor")
"""Fields that came after the first stored and exported runs: a file without them means their defaults."""


@dataclass(frozen=True)
class Interval:
    """A numeric range; `closed` says which ends belong to it."""

    kind: type  # int or float
    low: float
    high: float
    closed: str = "both"  # "both", "left", "right" or "neither"

    def __contains__(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if self.kind is int and not isinstance(value, int):
            return False
        if isinstance(value, float) and math.isnan(value):
            return False
        above = value >= self.low if self.closed in ("both", "left") else value > self.low
        below = value <= self.high if self.closed in ("both", "right") else value < self.high
        return above and below

    def describe(self) -> Message:
        left = "[" if self.closed in ("both", "left") else "("
        right = "]" if self.closed in ("both", "right") else ")"
        kind = Message("config.an_int", "an int") if self.kind is int else Message("config.a_float", "a float")
        return Message("config.interval", "{kind} in the range {range}", kind=kind,
                       range=f"{left}{_number(self.low)}, {_number(self.high)}{right}")


@dataclass(frozen=True)
class Options:
    values: tuple

    def __contains__(self, value: Any) -> bool:
        return any(type(value) is type(v) and value == v for v in self.values)

    def describe(self) -> Message:
        return Message("config.options", "one of {values}", values=", ".join(repr(v) for v in self.values))


def _number(x: float) -> str:
    if x == math.inf:
        return "inf"
    return f"{x:g}"


CONSTRAINTS: dict[str, Interval | Options | None] = {
    "dataset": Options(tuple(DATASETS)),
    "model": Options(tuple(sorted({m for spec in DATASETS.values() for m in spec.models}))),
    "optimizer": Options(OPTIMIZERS),
    "learning_rate": Interval(float, 0, 1000, closed="right"),
    "batch_size": Interval(int, 1, 1_000_000),
    "epochs": Interval(int, 1, 10_000),
    "momentum": Interval(float, 0, 1, closed="left"),
    "beta1": Interval(float, 0, 1, closed="left"),
    "beta2": Interval(float, 0, 1, closed="left"),
    "eps": Interval(float, 0, 1, closed="right"),
    "schedule": Options(SCHEDULES),
    "warmup_epochs": Interval(float, 0, 10_000),
    "warmup_start": Interval(float, 0, 1),
    "decay_every": Interval(int, 1, 10_000),
    "decay_factor": Interval(float, 0, 1, closed="neither"),
    "weight_decay": Interval(float, 0, 1),
    "seed": Interval(int, 0, 2**31 - 1),
    "device": Options(DEVICES),
    "val_fraction": Interval(float, 0, 0.5),
    "early_stopping": Options((False, True)),
    "patience": Interval(int, 1, 10_000),
    "min_delta": Interval(float, 0, math.inf, closed="left"),
    "restore_best": Options((False, True)),
    "max_samples": Interval(int, 0, 10_000_000),
    "classes": None,  # a tuple of class indices; checked by _check_classes
}


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run. Two equal configs train identically on CPU."""

    dataset: str = "mnist1d"  # a name in core.training.data.DATASETS
    model: str = "cnn1d"  # one of the dataset's compatible models
    optimizer: str = "adam"  # "sgd", "momentum" (SGD with momentum), "adam" or "adamw"
    learning_rate: float = 0.01  # step size, (0, 1000]
    batch_size: int = 64  # examples per update step, 1..number of training samples
    epochs: int = 15  # passes over the training data, 1..10000
    momentum: float = 0.9  # [0, 1); used by the "momentum" optimizer only
    beta1: float = 0.9  # Adam's first-moment decay, [0, 1); adam and adamw only
    beta2: float = 0.999  # Adam's second-moment decay, [0, 1); adam and adamw only
    eps: float = 1e-8  # Adam's denominator term, (0, 1]; adam and adamw only
    schedule: str = "constant"  # the LR after the warm-up: "constant", "cosine" (to 0) or "step" (decay)
    warmup_epochs: float = 0.0  # linear warm-up over this many epochs (may be a fraction), [0, epochs]; 0 = none
    warmup_start: float = 0.0  # the warm-up's first LR, as a fraction of learning_rate, [0, 1]
    decay_every: int = 10  # "step": epochs between decays
    decay_factor: float = 0.1  # "step": the LR is multiplied by this at every decay, (0, 1)
    weight_decay: float = 0.0  # L2 penalty (decoupled for adamw), [0, 1]
    seed: int = 0  # initial weights and batch order, 0..2**31-1
    device: str = "auto"  # "auto" picks cuda, then mps, then cpu
    val_fraction: float = 0.2  # share of the training data held out for validation, [0, 0.5]
    early_stopping: bool = False  # stop when the validation loss stops improving
    patience: int = 3  # epochs without improvement before stopping
    min_delta: float = 0.0  # the smallest decrease of the validation loss that counts
    restore_best: bool = True  # after early stopping, go back to the best epoch's weights
    max_samples: int = 0  # cap on the training pool before the validation split; 0 = all
    classes: tuple[int, ...] = ()  # class subset (cifar10 only); () = all classes

    def __post_init__(self) -> None:
        # Accept 1 for 1.0 and lists for tuples, so equal configs hash equally.
        for f in dataclasses.fields(self):
            value, constraint = getattr(self, f.name), CONSTRAINTS[f.name]
            whole = isinstance(value, int) and not isinstance(value, bool)
            if isinstance(constraint, Interval) and constraint.kind is float and whole:
                object.__setattr__(self, f.name, float(value))
        if isinstance(self.classes, list):
            object.__setattr__(self, "classes", tuple(self.classes))
        self.validate()

    def validate(self) -> None:
        """Raise ConfigError naming the first field outside its allowed values."""
        for name, constraint in CONSTRAINTS.items():
            value = getattr(self, name)
            if constraint is not None and value not in constraint:
                raise ConfigError(Message(
                    "config.out_of_range",
                    "The {name!r} parameter of TrainConfig must be {allowed}. Got {value!r} instead.",
                    name=name, allowed=constraint.describe(), value=value))
        spec = DATASETS[self.dataset]
        if self.model not in spec.models:
            raise ConfigError(Message(
                "config.model_dataset",
                "The model {model!r} does not fit the dataset {dataset!r}; choose one of {models}.",
                model=self.model, dataset=self.dataset, models=", ".join(repr(m) for m in spec.models)))
        self._check_classes()
        if self.warmup_epochs > self.epochs:
            raise ConfigError(Message(
                "config.warmup_too_long",
                "The 'warmup_epochs' parameter of TrainConfig must be at most the {epochs} epochs of the run. "
                "Got {warmup_epochs:g} instead.", epochs=self.epochs, warmup_epochs=self.warmup_epochs))
        if self.early_stopping and self.val_fraction == 0:
            raise ConfigError(Message(
                "config.early_stopping_needs_val",
                "Early stopping watches the validation loss: set 'val_fraction' above 0 or turn 'early_stopping' off."))
        n_train, _, _ = split_sizes(self.dataset, self.val_fraction, self.max_samples, self.classes)
        if n_train < 1:
            raise ConfigError(Message(
                "config.no_training_samples",
                "No training samples are left: 'max_samples'={max_samples} with 'val_fraction'={val_fraction} "
                "holds everything out.", max_samples=self.max_samples, val_fraction=self.val_fraction))
        if self.batch_size > n_train:
            raise ConfigError(Message(
                "config.batch_too_large",
                "The 'batch_size' parameter of TrainConfig must be at most the {n_train} training samples of "
                "{dataset!r} (after holding out {val_fraction:.0%} for validation). Got {batch_size} instead.",
                n_train=n_train, dataset=self.dataset, val_fraction=self.val_fraction, batch_size=self.batch_size))

    def _check_classes(self) -> None:
        if not self.classes:
            return
        spec = DATASETS[self.dataset]
        if not spec.class_subsets:
            raise ConfigError(Message(
                "config.classes_cifar_only", "The 'classes' parameter applies to cifar10 only; leave it empty for "
                "{dataset!r}.", dataset=self.dataset))
        valid = all(isinstance(c, int) and not isinstance(c, bool) and 0 <= c < spec.num_classes for c in self.classes)
        if not valid or len(set(self.classes)) != len(self.classes) or len(self.classes) < 2:
            raise ConfigError(Message(
                "config.classes",
                "The 'classes' parameter of TrainConfig must be at least two distinct class indices in "
                "0..{last}. Got {classes!r} instead.", last=spec.num_classes - 1, classes=self.classes))

    @property
    def updates_per_epoch(self) -> int:
        """Update steps in one epoch: ceil(N / B), the last partial batch counting as one."""
        return updates_per_epoch(self.n_train, self.batch_size)

    @property
    def n_train(self) -> int:
        """Training samples: the pool after the sample cap and the class subset, less the validation share."""
        return split_sizes(self.dataset, self.val_fraction, self.max_samples, self.classes)[0]

    @property
    def n_val(self) -> int:
        return split_sizes(self.dataset, self.val_fraction, self.max_samples, self.classes)[1]

    def canonical(self) -> dict[str, Any]:
        """The fields that change the result; settings a run ignores are left out of the key.

        Adam's betas and eps, the schedule and the warm-up came after the first stored runs: at their
        defaults (a constant LR, Adam's own betas) they are left out too, so those runs keep their keys."""
        d = dataclasses.asdict(self)
        d["classes"] = list(self.classes)
        unused = set()
        if self.optimizer != "momentum":
            unused.add("momentum")
        if self.optimizer not in ADAM_TYPE or (self.beta1, self.beta2, self.eps) == ADAM_DEFAULTS:
            unused |= {"beta1", "beta2", "eps"}
        if self.schedule == "constant":
            unused.add("schedule")
        if self.schedule != "step":
            unused |= {"decay_every", "decay_factor"}
        if self.warmup_epochs == 0:
            unused |= {"warmup_epochs", "warmup_start"}
        if not self.early_stopping:
            unused |= {"patience", "min_delta", "restore_best"}
        return {name: value for name, value in d.items() if name not in unused}

    @property
    def key(self) -> str:
        """A stable 16-hex-digit hash of the canonical fields, for caching and storage."""
        text = json.dumps(self.canonical(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["classes"] = list(self.classes)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        unknown = set(d) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ConfigError(Message("config.unknown_fields", "Unknown TrainConfig field(s): {fields}.",
                                      fields=", ".join(sorted(unknown))))
        return cls(**d)


def updates_per_epoch(n_samples: int, batch_size: int) -> int:
    """ceil(N / B): every batch, the last partial one included, is one update step."""
    if n_samples < 1 or batch_size < 1:
        raise ConfigError(Message(
            "config.updates_per_epoch", "Need at least one sample and a batch size of at least 1; got N={n}, B={b}.",
            n=n_samples, b=batch_size))
    return -(-n_samples // batch_size)
