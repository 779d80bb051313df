"""Resource caps for a shared server, in one place.

A class of thirty on a 2-core server must not be able to queue an hour of training by
accident. Every cap has a default that keeps such a server responsive and an environment
variable to change it (e.g. BATCHLAB_MAX_EPOCHS=2000 on a workstation).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from core.messages import Message
from core.settings import ConfigError, env_int
from core.training.config import TrainConfig


class LimitExceeded(ConfigError):
    """A request over one of the server's caps; the message names the cap and how to change it."""


@dataclass(frozen=True)
class Limits:
    max_epochs: int = 500  # per run
    max_train_samples: int = 20_000  # training samples per run (the full CIFAR-10 needs a sample cap)
    max_grid_runs: int = 60  # runs in one sweep, calculator check or critical-batch grid
    max_upload_mb: int = 20  # size of an imported run file (the store refuses larger ones)

    @classmethod
    def from_env(cls) -> Limits:
        """The caps, each from BATCHLAB_<NAME> (e.g. BATCHLAB_MAX_EPOCHS) where set."""
        defaults = cls()
        return cls(**{f.name: env_int(f"BATCHLAB_{f.name.upper()}", getattr(defaults, f.name), minimum=1)
                      for f in fields(cls)})

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1_000_000

    def check(self, config: TrainConfig) -> None:
        """Raise LimitExceeded when one run would be too large for this server."""
        if config.epochs > self.max_epochs:
            raise LimitExceeded(Message(
                "limits.epochs", "This server trains at most {cap} epochs per run (you asked for {epochs}). "
                "The person running it can raise BATCHLAB_MAX_EPOCHS.", cap=self.max_epochs, epochs=config.epochs))
        if config.n_train > self.max_train_samples:
            raise LimitExceeded(Message(
                "limits.samples", "This server trains on at most {cap:,} samples per run; these settings use "
                "{n_train:,}. Set a sample cap under More settings (or pick fewer classes). "
                "The person running it can raise BATCHLAB_MAX_TRAIN_SAMPLES.",
                cap=self.max_train_samples, n_train=config.n_train))

    def check_grid(self, configs: list[TrainConfig]) -> None:
        if len(configs) > self.max_grid_runs:
            raise LimitExceeded(Message(
                "limits.grid", "This asks for {runs} runs; this server takes at most {cap} at once. "
                "Pick fewer batch sizes, learning rates or repeats (BATCHLAB_MAX_GRID_RUNS raises the cap).",
                runs=len(configs), cap=self.max_grid_runs))
        for config in configs:
            self.check(config)
