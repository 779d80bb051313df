"""The server's settings: every BATCHLAB_* environment variable, read and checked here only.

Each is read when it is needed, not once at import, so a changed cap applies at once (and a
test can set one). A value that does not parse raises ConfigError naming the variable:

| variable                    | meaning                                              | default          |
|-----------------------------|------------------------------------------------------|------------------|
| BATCHLAB_DATA_DIR           | where datasets (and, by default, the run store) live | ./data           |
| BATCHLAB_DB                 | the run store's SQLite file                          | <data>/runs.sqlite |
| BATCHLAB_STORE_MAX_MB       | the largest the run store may grow (0: no cap)       | 0                |
| BATCHLAB_WORKERS            | training processes (the local pool) / local Ray CPUs | CPU cores        |
| BATCHLAB_WORKER_NICE        | how far below the web server the trainings run       | 10               |
| BATCHLAB_BACKEND            | "local" (worker processes) or "ray"                  | local            |
| BATCHLAB_GROUPING           | "auto" (train queued runs as groups where it pays)   | auto             |
|                             | or "off" (every run alone)                           |                  |
| BATCHLAB_RAY_ADDRESS        | the Ray cluster (auto, host:port, ray://host:port)   | a local instance |
| BATCHLAB_DOWNLOAD_TIMEOUT   | seconds before a dataset download gives up           | 10               |
| BATCHLAB_CIFAR10_URL        | a CIFAR-10 mirror                                    | Toronto's        |
| BATCHLAB_MAX_*              | the caps of core.training.limits.Limits              | see there        |
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path

from core.messages import Message, MessageError

APP_ROOT = Path(__file__).resolve().parent.parent
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
WORKER_NICE = 10  # trainings run below the web server's priority, so pages stay quick while every core trains
BACKENDS = ("local", "ray")


class ConfigError(MessageError, ValueError):
    """A configuration value outside its allowed values: a parameter of a run or an analysis, or a
    setting of the server. The message names the parameter or variable, what is allowed and what was given."""


def env_int(variable: str, default: int, minimum: int | None = None,
            environ: Mapping[str, str] = os.environ) -> int:
    """The whole number in `variable`, or `default` when it is unset."""
    text = environ.get(variable)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(Message("limits.not_whole", "{variable} must be a whole number; got {text!r}.",
                                  variable=variable, text=text)) from None
    if minimum is not None and value < minimum:
        if minimum == 1:
            raise ConfigError(Message("limits.below_one", "{variable} must be at least 1; got {text!r}.",
                                      variable=variable, text=text))
        raise ConfigError(Message("settings.below", "{variable} must be at least {minimum}; got {text!r}.",
                                  variable=variable, minimum=minimum, text=text))
    return value


def data_dir() -> Path:
    """Where datasets are kept: $BATCHLAB_DATA_DIR, else ./data beside the app."""
    return Path(os.environ.get("BATCHLAB_DATA_DIR", APP_ROOT / "data"))


def store_path() -> Path:
    """The run store: $BATCHLAB_DB, else runs.sqlite beside the datasets."""
    env = os.environ.get("BATCHLAB_DB")
    return Path(env) if env else data_dir() / "runs.sqlite"


def store_max_megabytes(environ: Mapping[str, str] = os.environ) -> int:
    """The run store's size cap in MiB, $BATCHLAB_STORE_MAX_MB; 0 (the default) for none but the disk's."""
    return env_int("BATCHLAB_STORE_MAX_MB", 0, minimum=0, environ=environ)


def workers(environ: Mapping[str, str] = os.environ) -> int:
    """How many trainings run at once on this machine: $BATCHLAB_WORKERS, else one per core."""
    return env_int("BATCHLAB_WORKERS", os.cpu_count() or 1, minimum=1, environ=environ)


def worker_nice(environ: Mapping[str, str] = os.environ) -> int:
    """How much the training processes' niceness is raised above the server's: $BATCHLAB_WORKER_NICE, else 10."""
    return env_int("BATCHLAB_WORKER_NICE", WORKER_NICE, environ=environ)


def backend(environ: Mapping[str, str] = os.environ) -> str:
    """Where trainings run: "local" (the worker processes) or "ray"."""
    name = environ.get("BATCHLAB_BACKEND", "local").strip().lower() or "local"
    if name not in BACKENDS:
        raise ConfigError(Message("ray.unknown_backend", "BATCHLAB_BACKEND={backend!r} is not a backend: use "
                                  "'local' or 'ray'.", backend=name))
    return name


def grouping(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the executors train queued runs that can share a group as one (core/jobs/grouping.py)."""
    value = environ.get("BATCHLAB_GROUPING", "auto").strip().lower() or "auto"
    if value not in ("auto", "off"):
        raise ConfigError(Message("settings.grouping", "BATCHLAB_GROUPING={value!r} is not a choice: use 'auto' "
                                  "or 'off'.", value=value))
    return value == "auto"


def ray_address(environ: Mapping[str, str] = os.environ) -> str | None:
    """The Ray cluster to join, or None for a local Ray instance."""
    return environ.get("BATCHLAB_RAY_ADDRESS") or None


def download_timeout() -> float:
    """Seconds a dataset download may wait for the network: $BATCHLAB_DOWNLOAD_TIMEOUT, else 10."""
    text = os.environ.get("BATCHLAB_DOWNLOAD_TIMEOUT", "10")
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise ConfigError(Message("settings.timeout", "BATCHLAB_DOWNLOAD_TIMEOUT must be a number of seconds above "
                                  "0; got {text!r}.", text=text))
    return seconds


def cifar10_url() -> str:
    """Where CIFAR-10 is downloaded from: $BATCHLAB_CIFAR10_URL, else its home at the University of Toronto."""
    return os.environ.get("BATCHLAB_CIFAR10_URL", CIFAR10_URL)
