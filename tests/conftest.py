"""Shared fixtures. No test touches the network: CIFAR-10's URL points at a closed local port.

- data folders: `fake_cifar10` (a tiny CIFAR-10 in its real on-disk format), `empty_data_dir`;
- runs: `store` (a fresh, empty run store), `tiny_config` and `tiny_result` (a hand-written run),
  `wait_for_rows` (until a job has reported n epochs);
- pages (Streamlit's AppTest): `open_page`, `wait_for`, `run_until_done`, `progress_texts`, `metrics`.
"""

import math
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.jobs.job import Job
from core.runs.store import RunStore
from core.training.config import TrainConfig
from core.training.record import RunResult, Status
from tests import PAGE_TIMEOUT, ROOT

# Set before any worker process starts, so workers inherit them too (core reads its settings when
# it needs them, never at import).
os.environ["BATCHLAB_DATA_DIR"] = tempfile.mkdtemp(prefix="batchlab-data-")
os.environ["BATCHLAB_CIFAR10_URL"] = "http://127.0.0.1:9/cifar-10-python.tar.gz"
os.environ["BATCHLAB_DOWNLOAD_TIMEOUT"] = "3"



# ---------------------------------------------------------------------- data

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


# ---------------------------------------------------------------------- runs

TINY_CONFIG = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1, batch_size=32,
                          epochs=2)


def make_tiny_result() -> RunResult:
    """Two epochs of linear regression, written by hand (no training needed): 25 updates per epoch."""
    rows = [{"epoch": e, "step": 25 * e, "samples": 800 * e, "time_s": 0.1 * e, "lr": 0.1, "train_loss": 1.0 / e,
             "val_loss": 1.1 / e, "train_acc": math.nan, "val_acc": math.nan, "train_loss_running": 1.0 / e,
             "train_acc_running": math.nan} for e in (1, 2)]
    return RunResult(config=TINY_CONFIG, status=Status.COMPLETED, rows=rows,  # type: ignore[arg-type]
                     step_losses=[0.5] * 50, wall_time=0.2, best_epoch=2)


@pytest.fixture
def tiny_config() -> TrainConfig:
    """Linear regression, batch 32, 2 epochs: trains in well under a second."""
    return TINY_CONFIG


@pytest.fixture
def tiny_result() -> RunResult:
    return make_tiny_result()


@pytest.fixture
def store(tmp_path) -> RunStore:
    """A fresh, empty run store in this test's own folder (a test module may fill it, overriding this)."""
    return RunStore(tmp_path / "runs.sqlite")


def _wait_for_rows(job: Job, n: int, timeout: float = 60) -> None:
    """Wait until a running job has reported `n` epochs."""
    deadline = time.time() + timeout
    while len(job.rows) < n:
        assert time.time() < deadline, f"no {n} epochs within {timeout} s (status {job.status})"
        time.sleep(0.05)


@pytest.fixture(scope="session")
def wait_for_rows() -> Callable[..., None]:
    return _wait_for_rows


# ---------------------------------------------------------------------- pages

def _open_page(page: str | None = None, language: str | None = "English", params: dict | None = None,
               **widgets) -> AppTest:
    """A new session on `page` (None or "app.py": the home page), in `language` (None: the link's
    or the default), with the link's query `params` and `widgets` (key=value) set before its first run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=PAGE_TIMEOUT)
    if language:
        at.session_state["lang"] = language
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    for key, value in widgets.items():
        at.session_state[key] = value
    if page and page != "app.py":
        at.switch_page(page).run()
    return at


def _progress_texts(at: AppTest) -> list[str]:
    return [p.proto.text for p in at.get("progress")]


def _wait_for(at: AppTest, done: Callable[[AppTest], bool], timeout: float = 150) -> AppTest:
    """Rerun until done(at): AppTest does not fire run_every fragments."""
    deadline = time.time() + timeout
    while not done(at):
        assert time.time() < deadline, _progress_texts(at)
        time.sleep(0.5)
        at.run()
    return at


def _run_until_done(at: AppTest, timeout: float = 120) -> AppTest:
    """Rerun until the job panel is final: no progress text says it is queued, starting or running."""
    return _wait_for(at, lambda a: not any(t.startswith(("Epoch", "Starting", "Queued"))
                                           for t in _progress_texts(a)), timeout)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture(scope="session")
def open_page() -> Callable[..., AppTest]:
    return _open_page


@pytest.fixture(scope="session")
def wait_for() -> Callable[..., AppTest]:
    return _wait_for


@pytest.fixture(scope="session")
def progress_texts() -> Callable[[AppTest], list[str]]:
    return _progress_texts


@pytest.fixture(scope="session")
def run_until_done() -> Callable[..., AppTest]:
    return _run_until_done


@pytest.fixture(scope="session")
def metrics() -> Callable[[AppTest], dict[str, str]]:
    return _metrics
