"""Datasets: one registry, one interface that returns tensors.

Every dataset is a `DatasetSpec` in `DATASETS`. `load_splits(...)` returns the training,
validation and test tensors on the chosen device; the model never sees a DataLoader.

- `linear`  seed 001's y = 3x + 0.3·noise, 1000 points in [0, 1] (regression)
- `mnist1d` MNIST-1D, generated offline with the `mnist1d` package (never its downloader)
- `digits`  scikit-learn's 8×8 handwritten digits (ships with the package)
- `cifar10` CIFAR-10 in torchvision's on-disk format; downloaded only when it is missing

The validation split is drawn with a fixed seed, so runs that differ only in their
training seed are judged on the same validation samples.
"""

from __future__ import annotations

import functools
import os
import pickle
import socket
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from core.messages import Message, MessageError
from core.settings import cifar10_url, data_dir, download_timeout

SPLIT_SEED = 20250402  # fixed: the split never depends on the training seed
CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a"
CIFAR10_FOLDER = "cifar-10-batches-py"
CIFAR10_FILES = (*(f"data_batch_{i}" for i in range(1, 6)), "test_batch")  # five training batches, then the test set
CIFAR10_MEAN = (0.4914, 0.4822, 0.4465)
CIFAR10_STD = (0.2470, 0.2435, 0.2616)


class DatasetUnavailableError(MessageError, RuntimeError):
    """The dataset cannot be loaded here (missing files, no network, corrupt data)."""


@dataclass(frozen=True)
class RawData:
    """A dataset as loaded, on the CPU: the training pool and the test set."""

    x_pool: torch.Tensor
    y_pool: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    title: Message  # its name, as the app shows it (in the reader's language)
    task: str  # "regression" or "classification"
    input_shape: tuple[int, ...]  # the shape of one sample
    num_classes: int  # 0 for regression
    models: tuple[str, ...]  # compatible models; the first is the default
    pool_size: int  # samples available for training + validation
    test_size: int
    load: Callable[[Path], RawData]
    class_subsets: bool = False  # whether a subset of classes may be chosen

    @property
    def output_dim(self) -> int:
        return self.num_classes if self.task == "classification" else 1


@dataclass(frozen=True)
class DataSplits:
    """Training, validation and test tensors, already on the training device."""

    spec: DatasetSpec
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor


# --------------------------------------------------------------------------- loaders

def _load_linear(_: Path) -> RawData:
    # Seed 001 exactly: torch.manual_seed(0); X = linspace(0, 1, 1000); y = 3X + 0.3·randn.
    g = torch.Generator().manual_seed(0)
    x = torch.linspace(0, 1, 1000).unsqueeze(1)
    y = 3 * x + 0.3 * torch.randn(x.shape, generator=g)
    g_test = torch.Generator().manual_seed(1)
    x_test = torch.rand(1000, 1, generator=g_test)
    y_test = 3 * x_test + 0.3 * torch.randn(x_test.shape, generator=g_test)
    return RawData(x, y, x_test, y_test)


def _load_mnist1d(root: Path) -> RawData:
    # Generating takes a few seconds, so the arrays are cached in the data folder.
    cache = root / "mnist1d.npz"
    if cache.exists():
        with np.load(cache) as f:
            arrays = {k: f[k] for k in ("x", "y", "x_test", "y_test")}
    else:
        from mnist1d.data import get_dataset_args, make_dataset

        d = make_dataset(get_dataset_args())
        arrays = {k: np.asarray(d[k]) for k in ("x", "y", "x_test", "y_test")}
        root.mkdir(parents=True, exist_ok=True)
        tmp = root / f"mnist1d.{os.getpid()}.npz"
        np.savez(tmp, **arrays)
        os.replace(tmp, cache)
    return RawData(
        torch.tensor(arrays["x"], dtype=torch.float32),
        torch.tensor(arrays["y"], dtype=torch.long),
        torch.tensor(arrays["x_test"], dtype=torch.float32),
        torch.tensor(arrays["y_test"], dtype=torch.long),
    )


def _load_digits(_: Path) -> RawData:
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    y = torch.tensor(digits.target, dtype=torch.long)
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(SPLIT_SEED))
    test, pool = perm[:DIGITS_TEST], perm[DIGITS_TEST:]
    return RawData(x[pool], y[pool], x[test], y[test])


DIGITS_TEST = 360  # a fixed 20% of the 1,797 digits is the test set


def _read_cifar_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        with open(path, "rb") as f:
            entry = pickle.load(f, encoding="latin1")
        data = np.asarray(entry["data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
        labels = np.asarray(entry.get("labels", entry.get("fine_labels")), dtype=np.int64)
    except (OSError, pickle.UnpicklingError, KeyError, ValueError, EOFError, TypeError) as exc:
        raise DatasetUnavailableError(Message(
            "data.cifar_corrupt", "The CIFAR-10 file {path} is unreadable or corrupt ({error}).",
            path=str(path), error=str(exc))) from exc
    if len(data) != len(labels):
        raise DatasetUnavailableError(Message(
            "data.cifar_mismatch", "The CIFAR-10 file {path} has {images} images but {labels} labels.",
            path=str(path), images=len(data), labels=len(labels)))
    return data, labels


def _download_cifar10(root: Path) -> None:
    """Fetch CIFAR-10 with torchvision, failing within seconds when there is no network."""
    from torchvision.datasets.utils import download_and_extract_archive

    timeout = download_timeout()
    url = cifar10_url()
    advice = Message("data.cifar_advice", "Put the extracted '{folder}' folder into {root}, or pick an offline "
                     "dataset (mnist1d, digits, linear).", folder=CIFAR10_FOLDER, root=str(root))
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=timeout):
            pass
    except (OSError, ValueError) as exc:
        raise DatasetUnavailableError(Message(
            "data.cifar_offline", "CIFAR-10 is not in {root} and cannot be downloaded ({error}). {advice}",
            root=str(root), error=str(exc), advice=advice)) from exc
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)  # torchvision's urlopen has no timeout of its own
    try:
        download_and_extract_archive(url, str(root), filename="cifar-10-python.tar.gz", md5=CIFAR10_MD5)
    except Exception as exc:  # network, disk or checksum: all end the same way for the user
        raise DatasetUnavailableError(Message("data.cifar_download_failed", "Downloading CIFAR-10 failed "
                                                                            "({error}). {advice}",
                                              error=str(exc), advice=advice)) from exc
    finally:
        socket.setdefaulttimeout(previous)


def cifar10_available(root: Path | None = None) -> bool:
    """Whether CIFAR-10's files are in the data folder (so nothing needs downloading)."""
    folder = (root or data_dir()) / CIFAR10_FOLDER
    return all((folder / name).exists() for name in CIFAR10_FILES)


def _load_cifar10(root: Path) -> RawData:
    files = [root / CIFAR10_FOLDER / name for name in CIFAR10_FILES]
    if not cifar10_available(root):
        _download_cifar10(root)
    train = [_read_cifar_batch(f) for f in files[:5]]
    x_test, y_test = _read_cifar_batch(files[5])
    x_pool = np.concatenate([x for x, _ in train])
    y_pool = np.concatenate([y for _, y in train])
    mean = torch.tensor(CIFAR10_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(CIFAR10_STD).view(1, 3, 1, 1)

    def normalise(x: np.ndarray) -> torch.Tensor:
        return (torch.tensor(x, dtype=torch.float32) / 255.0 - mean) / std

    return RawData(normalise(x_pool), torch.tensor(y_pool), normalise(x_test), torch.tensor(y_test))


# --------------------------------------------------------------------------- registry

DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec("linear", Message("dataset.linear", "Linear regression (y = 3x + noise)"), "regression", (1,), 0,
                    ("linear", "mlp"), 1000, 1000, _load_linear),
        DatasetSpec("mnist1d", Message("dataset.mnist1d", "MNIST-1D"), "classification", (40,), 10,
                    ("cnn1d", "mlp", "linear"), 4000, 1000, _load_mnist1d),
        DatasetSpec("digits", Message("dataset.digits", "Digits (8×8)"), "classification", (1, 8, 8), 10,
                    ("cnn", "mlp", "linear"), 1797 - DIGITS_TEST, DIGITS_TEST, _load_digits),
        DatasetSpec("cifar10", Message("dataset.cifar10", "CIFAR-10"), "classification", (3, 32, 32), 10,
                    ("cnn", "mlp", "linear"), 50000, 10000, _load_cifar10,
                    class_subsets=True),
    )
}


def split_sizes(dataset: str, val_fraction: float, max_samples: int = 0,
                classes: tuple[int, ...] = ()) -> tuple[int, int, int]:
    """(n_train, n_val, n_test) for these settings, known without loading the data."""
    spec = DATASETS[dataset]
    share = len(classes) / spec.num_classes if classes else 1.0
    pool, test = round(spec.pool_size * share), round(spec.test_size * share)
    if max_samples:
        pool, test = min(pool, max_samples), min(test, max_samples)
    n_val = round(pool * val_fraction)
    return pool - n_val, n_val, test


def load_raw(dataset: str) -> RawData:
    """The dataset as loaded from the data folder, cached per process (a worker loads each once)."""
    return _load_raw_cached(dataset, data_dir())


@functools.lru_cache(maxsize=4)
def _load_raw_cached(dataset: str, root: Path) -> RawData:
    return DATASETS[dataset].load(root)


def load_splits(dataset: str, val_fraction: float, max_samples: int = 0, classes: tuple[int, ...] = (),
                device: torch.device | str = "cpu") -> DataSplits:
    """Training / validation / test tensors on `device`, split with a fixed seed."""
    spec = DATASETS[dataset]
    raw = load_raw(dataset)
    x, y, x_test, y_test = raw.x_pool, raw.y_pool, raw.x_test, raw.y_test
    if classes:
        x, y = _keep_classes(x, y, classes)
        x_test, y_test = _keep_classes(x_test, y_test, classes)
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(SPLIT_SEED))
    x, y = x[perm], y[perm]
    if max_samples:
        x, y, x_test, y_test = x[:max_samples], y[:max_samples], x_test[:max_samples], y_test[:max_samples]
    expected = split_sizes(dataset, val_fraction, max_samples, classes)
    n_val = round(len(x) * val_fraction)
    found = (len(x) - n_val, n_val, len(x_test))
    if found != expected:
        raise DatasetUnavailableError(Message(
            "data.incomplete", "The {title} data on disk is incomplete: expected {train} training and {test} test "
            "samples for these settings, found {found_train} and {found_test}.", title=spec.title,
            train=expected[0] + expected[1], test=expected[2], found_train=len(x), found_test=len(x_test)))
    to = functools.partial(torch.Tensor.to, device=device)
    return DataSplits(spec, to(x[n_val:]), to(y[n_val:]), to(x[:n_val]), to(y[:n_val]), to(x_test), to(y_test))


def _keep_classes(x: torch.Tensor, y: torch.Tensor, classes: tuple[int, ...]) -> tuple[torch.Tensor, torch.Tensor]:
    """Keep the chosen classes and renumber them 0..k-1 in the order given."""
    mapping = torch.full((max(int(y.max()), max(classes)) + 1,), -1, dtype=torch.long)
    mapping[list(classes)] = torch.arange(len(classes))
    new_y = mapping[y]
    keep = new_y >= 0
    return x[keep], new_y[keep]
