import http.server
import threading
import time

import pytest
import torch

from core.training.data import DATASETS, DatasetUnavailableError, load_splits, split_sizes


@pytest.mark.parametrize("name, shape", [("linear", (1,)), ("mnist1d", (40,)), ("digits", (1, 8, 8))])
def test_offline_datasets_load_with_the_declared_shapes_and_sizes(name, shape):
    data = load_splits(name, 0.2)
    n_train, n_val, n_test = split_sizes(name, 0.2)
    assert tuple(data.x_train.shape) == (n_train, *shape)
    assert (len(data.x_val), len(data.x_test)) == (n_val, n_test)
    assert data.x_train.dtype == torch.float32
    assert DATASETS[name].input_shape == shape


def test_the_linear_dataset_is_seed_001s_data():
    torch.manual_seed(0)
    x = torch.linspace(0, 1, 1000).unsqueeze(1)
    y = 3 * x + 0.3 * torch.randn_like(x)
    data = load_splits("linear", 0.0)
    order = data.x_train[:, 0].argsort()
    assert torch.equal(data.x_train[order], x)
    assert torch.equal(data.y_train[order], y)


def test_the_validation_split_is_the_same_for_every_training_seed():
    a, b = load_splits("digits", 0.2), load_splits("digits", 0.2)
    assert torch.equal(a.x_val, b.x_val)


def test_a_sample_cap_limits_the_training_pool():
    data = load_splits("mnist1d", 0.25, max_samples=400)
    assert (len(data.x_train), len(data.x_val), len(data.x_test)) == (300, 100, 400)


def test_mnist1d_has_ten_balanced_classes():
    data = load_splits("mnist1d", 0.0)
    counts = torch.bincount(data.y_train, minlength=10)
    assert len(counts) == 10 and counts.min() > 350


def test_cifar10_reads_torchvisions_on_disk_format_with_a_class_subset(fake_cifar10):
    data = load_splits("cifar10", 0.25, max_samples=20, classes=(3, 1))
    assert tuple(data.x_train.shape) == (15, 3, 32, 32)
    assert (len(data.x_val), len(data.x_test)) == (5, 20)
    assert set(data.y_train.tolist()) | set(data.y_val.tolist()) == {0, 1}  # 3 -> 0, 1 -> 1
    assert -3 < float(data.x_train.min()) < float(data.x_train.max()) < 3  # normalised per channel


def test_missing_cifar10_offline_fails_within_seconds_with_a_clear_message(empty_data_dir):
    start = time.perf_counter()
    with pytest.raises(DatasetUnavailableError, match=r"CIFAR-10 is not in .* cannot be downloaded"):
        load_splits("cifar10", 0.2, classes=(0, 1))
    assert time.perf_counter() - start < 10


class _SilentHandler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):  # accept the connection, never answer
        time.sleep(30)


def test_a_download_server_that_never_answers_times_out(empty_data_dir, monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SilentHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("BATCHLAB_CIFAR10_URL", f"http://127.0.0.1:{server.server_port}/cifar.tar.gz")
    monkeypatch.setenv("BATCHLAB_DOWNLOAD_TIMEOUT", "1")
    start = time.perf_counter()
    try:
        with pytest.raises(DatasetUnavailableError, match="timed out"):
            load_splits("cifar10", 0.2, classes=(0, 1))
    finally:
        server.shutdown()
    assert time.perf_counter() - start < 10


def test_a_corrupt_cifar10_file_is_reported_by_name(fake_cifar10):
    (fake_cifar10 / "cifar-10-batches-py" / "data_batch_3").write_bytes(b"not a pickle")
    with pytest.raises(DatasetUnavailableError, match="data_batch_3 is unreadable or corrupt"):
        load_splits("cifar10", 0.2, max_samples=20, classes=(0, 1))


def test_incomplete_cifar10_files_are_reported(fake_cifar10):
    with pytest.raises(DatasetUnavailableError, match="incomplete"):
        load_splits("cifar10", 0.2, classes=(0, 1))  # expects 10,000 samples, the fake has 30
