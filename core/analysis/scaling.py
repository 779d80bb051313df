"""The learning-rate scaling rules for a change of batch size, and the step arithmetic around them.

k = new batch size / old batch size.
- linear rule (Goyal et al. 2017): LR × k, with a gradual warm-up from the old LR (their 5 of 90 epochs;
  here the same share of the run, at most 5 epochs);
- square-root rule (Krizhevsky 2014; Hoffer et al. 2017): LR × √k;
- for Adam-type optimizers, the SDE-derived square-root rule of Malladi et al. 2022:
  LR × √k, 1 − β₁ → k(1 − β₁), 1 − β₂ → k(1 − β₂), ε → ε / √k.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from core.messages import Message
from core.settings import ConfigError
from core.training.config import ADAM_DEFAULTS, ADAM_TYPE, TrainConfig, updates_per_epoch
from core.training.schedules import warmup_step_count

WARMUP_EPOCHS, GOYAL_EPOCHS = 5, 90  # Goyal et al.: ramp from the old LR to the new one over 5 of 90 epochs
BETA1_SHORT = 2.0  # steps: below this, Adam's scaled first moment barely averages at all
RUN_NAMES = {  # verification_configs' names, as the app shows them
    "old setting": Message("calc.run_old", "old setting"),
    "linear rule": Message("calc.run_linear", "linear rule, no warm-up"),
    "linear rule + warm-up": Message("calc.run_linear_warmup", "linear rule + warm-up"),
    "square-root rule": Message("calc.run_sqrt", "square-root rule"),
    "Malladi rule": Message("calc.run_malladi", "square-root rule, β and ε scaled (Malladi)"),
    "Malladi rule + warm-up": Message("calc.run_malladi_warmup", "Malladi rule + warm-up"),
    "unscaled LR": Message("calc.run_unscaled", "unscaled LR"),
}


def warmup_epochs_for(epochs: int) -> float:
    """A warm-up that fits a run of `epochs`: Goyal's share of it (5/90), at most their 5 epochs."""
    return min(WARMUP_EPOCHS, epochs * WARMUP_EPOCHS / GOYAL_EPOCHS)


@dataclass(frozen=True)
class AdamScaling:
    """Malladi et al.'s square-root rule for Adam: None for a β that would leave [0, 1)."""

    beta1: float | None
    beta2: float | None
    eps: float


@dataclass(frozen=True)
class ScalingPlan:
    old_batch: int
    old_lr: float
    new_batch: int
    optimizer: str
    n_samples: int
    epochs: int

    @property
    def k(self) -> float:
        return self.new_batch / self.old_batch

    @property
    def linear_lr(self) -> float:
        return self.old_lr * self.new_batch / self.old_batch

    @property
    def sqrt_lr(self) -> float:
        return self.old_lr * math.sqrt(self.k)

    @property
    def square_root_rule(self) -> bool:
        """Whether the recommended rule is the square-root one: for Adam-type optimizers (Malladi et al.);
        the linear rule for SGD and momentum (Goyal et al.)."""
        return self.optimizer in ADAM_TYPE

    @property
    def recommended_lr(self) -> float:
        """The one learning rate this plan recommends for its optimizer; the warm-up and the advice use it."""
        return self.sqrt_lr if self.square_root_rule else self.linear_lr

    @property
    def updates_per_epoch_old(self) -> int:
        return updates_per_epoch(self.n_samples, self.old_batch)

    @property
    def updates_per_epoch_new(self) -> int:
        return updates_per_epoch(self.n_samples, self.new_batch)

    @property
    def total_updates_old(self) -> int:
        return self.updates_per_epoch_old * self.epochs

    @property
    def total_updates_new(self) -> int:
        return self.updates_per_epoch_new * self.epochs

    @property
    def epochs_for_same_updates(self) -> int:
        """Epochs at the new batch size that make at least as many updates as before."""
        return -(-self.total_updates_old // self.updates_per_epoch_new)

    @property
    def warmup_epochs(self) -> float:
        return warmup_epochs_for(self.epochs)

    @property
    def warmup_steps(self) -> int | None:
        """Goyal's gradual warm-up to the recommended LR: only needed when the LR goes up."""
        if self.recommended_lr <= self.old_lr:
            return None
        return warmup_step_count(self.warmup_epochs, self.updates_per_epoch_new)

    @property
    def warmup_increment(self) -> float | None:
        steps = self.warmup_steps
        return (self.recommended_lr - self.old_lr) / steps if steps else None

    def adam(self, beta1: float = ADAM_DEFAULTS[0], beta2: float = ADAM_DEFAULTS[1],
             eps: float = ADAM_DEFAULTS[2]) -> AdamScaling | None:
        if self.optimizer not in ADAM_TYPE:
            return None

        def scaled(beta: float) -> float | None:
            value = 1 - self.k * (1 - beta)
            return value if 0 <= value < 1 else None

        return AdamScaling(scaled(beta1), scaled(beta2), eps / math.sqrt(self.k))

    def short_momentum(self, beta1: float = 0.9) -> bool:
        """Whether Malladi's rule leaves Adam's first moment averaging fewer than BETA1_SHORT steps
        (1 / (1 − β₁): 10 at β₁ = 0.9, 1.25 at the 0.2 that 64 → 512 gives): the SDE argument
        assumes many small steps, so so few averaged gradients put the rule outside its ground."""
        scaled = self.adam(beta1)
        return scaled is not None and (scaled.beta1 is None or 1 / (1 - scaled.beta1) < BETA1_SHORT)

    @property
    def more_epochs(self) -> tuple[int, int]:
        """Seed 002's advice when accuracy drops slightly after the change: about 10–20% more epochs."""
        return math.ceil(self.epochs * 1.1), math.ceil(self.epochs * 1.2)

    def verification_configs(self, base: TrainConfig) -> dict[str, TrainConfig]:
        """The runs that test the rules, all for base.epochs (a scaling rule keeps the epochs): the old
        setting; at the new batch size, each rule's LR, and the recommended rule with the warm-up the
        page prescribes (fitted to base.epochs); and the unscaled LR, the control arm that shows what
        the rule itself changed. For Adam the square-root arm is Malladi's, β and ε scaled too (a β the
        rule would push out of [0, 1) keeps its value: the arm's config shows it).

        The names are keys of RUN_NAMES (their display names)."""
        old = dataclasses.replace(base, batch_size=self.old_batch, learning_rate=self.old_lr)
        new = dataclasses.replace(base, batch_size=self.new_batch)
        linear = dataclasses.replace(new, learning_rate=self.linear_lr)
        sqrt = dataclasses.replace(new, learning_rate=self.sqrt_lr)
        adam = self.adam(base.beta1, base.beta2, base.eps)
        if adam is not None:
            sqrt = dataclasses.replace(sqrt, beta1=base.beta1 if adam.beta1 is None else adam.beta1,
                                       beta2=base.beta2 if adam.beta2 is None else adam.beta2, eps=adam.eps)
        recommended = sqrt if self.square_root_rule else linear
        configs = {"old setting": old, "linear rule": linear}
        if recommended.learning_rate > self.old_lr:
            warmed = dataclasses.replace(recommended, warmup_epochs=warmup_epochs_for(base.epochs),
                                         warmup_start=self.old_lr / recommended.learning_rate)
            configs["Malladi rule + warm-up" if self.square_root_rule else "linear rule + warm-up"] = warmed
        configs["Malladi rule" if adam is not None else "square-root rule"] = sqrt
        configs["unscaled LR"] = dataclasses.replace(new, learning_rate=self.old_lr)
        return configs


def noise_temperature(config: TrainConfig) -> float:
    """Smith & Le's (2018) noise temperature of SGD, η/B, or η/(B(1 − m)) with heavy-ball momentum m:
    the scale of the noise in the steps. Runs at one temperature take equally noisy steps, which is why
    the linear rule (η ∝ B) keeps results alike, until the batch is too large for it. For Adam the
    same ratio is drawn, but the theory is SGD's."""
    momentum = config.momentum if config.optimizer == "momentum" else 0.0
    return config.learning_rate / (config.batch_size * (1 - momentum))


def plan(old_batch: int, old_lr: float, new_batch: int, optimizer: str = "sgd", n_samples: int = 50_000,
         epochs: int = 10) -> ScalingPlan:
    """A checked scaling plan; bad input raises ConfigError naming the value and the range."""
    for name, value in (("old_batch", old_batch), ("new_batch", new_batch), ("n_samples", n_samples),
                        ("epochs", epochs)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(Message("calc.not_whole", "The {name!r} must be a whole number of at least 1. "
                                      "Got {value!r} instead.", name=name, value=value))
    if isinstance(old_lr, bool) or not isinstance(old_lr, (int, float)) or not math.isfinite(old_lr) or old_lr <= 0:
        raise ConfigError(Message("calc.not_positive", "The 'old_lr' must be a positive number. Got {value!r} instead.",
                                  value=old_lr))
    for name, value in (("old_batch", old_batch), ("new_batch", new_batch)):
        if value > n_samples:
            raise ConfigError(Message("calc.batch_above_samples", "The {name!r} ({value}) is larger than the "
                                      "{n_samples} training samples; a batch can hold at most all of them.",
                                      name=name, value=value, n_samples=n_samples))
    return ScalingPlan(old_batch, float(old_lr), new_batch, optimizer, n_samples, epochs)
