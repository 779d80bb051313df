"""Shared fixtures. No test touches the network: CIFAR-10's URL points at a closed local port."""

import os
import pickle
import tempfile
from pathlib import Path

import numpy as np
import pytest

# Set before any worker process starts, so workers inherit them too.
os.environ["BATCHLAB_DATA_DIR"] = tempfile.mkdtemp(prefix="batchlab-data-")
os.environ["BATCHLAB_CIFAR10_URL"] = "http://127.0.0.1:9/cifar-10-python.tar.gz"
os.environ["BATCHLAB_DOWNLOAD_TIMEOUT"] = "3"


def write_fake_cifar10(root: Path, per_batch: int = 30, test: int = 100) -> Path:
    """A tiny CIFAR-10 in torchvision's on-disk format: pickled dicts of uint8 rows and labels."""
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)

    def dump(name: str, n: int, offset: int) -> None:
        labels = [(offset + i) % 10 for i in range(n)]
        data = rng.integers(0, 256, size=(n, 3072), dtype=np.uint8)
        # Make the classes learnable: each class brightens its own band of pixels.
        for i, label in enumerate(labels):
            data[i, label * 300:(label + 1) * 300] = 255
        with open(folder / name, "wb") as f:
            pickle.dump({"batch_label": name, "labels": labels, "data": data, "filenames": []}, f)

    for i in range(1, 6):
        dump(f"data_batch_{i}", per_batch, i)
    dump("test_batch", test, 0)
    with open(folder / "batches.meta", "wb") as f:
        pickle.dump({"label_names": ["airplane", "automobile", "bird", "cat", "deer",
                                     "dog", "frog", "horse", "ship", "truck"]}, f)
    return folder


@pytest.fixture
def fake_cifar10(tmp_path, monkeypatch) -> Path:
    """A data folder holding a tiny fake CIFAR-10, used by this process's loaders."""
    write_fake_cifar10(tmp_path)
    monkeypatch.setenv("BATCHLAB_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def empty_data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BATCHLAB_DATA_DIR", str(tmp_path))
    return tmp_path
