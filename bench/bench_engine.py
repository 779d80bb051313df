"""Engine vs the textbook training loop, timed in one process.

The textbook loop is seed 001's: a DataLoader over a TensorDataset with shuffle=True
and `.item()` after every step (plus, where the config has a validation split, a
validation pass per epoch in the same style). The engine indexes batches from a
per-epoch permutation of tensors already in memory and syncs once per epoch.

Both train the same model with the same optimizer on the same tensors. Runs alternate
A/B and each pair is repeated, so a burst of other work on the machine hits both; the
figure reported is the median samples/s of each. Usage:

    python -m bench.bench_engine            # full: seed 001's four configs + the 3×2 MNIST-1D grid
    python -m bench.bench_engine --quick    # fewer epochs, for a smoke test
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import torch
from torch.utils.data import DataLoader, TensorDataset

from core.training.config import TrainConfig
from core.training.data import load_splits
from core.training.engine import loss_function, make_optimizer, train
from core.training.models import build_model


def textbook_train(config: TrainConfig, data) -> float:
    """Seed 001's loop. Returns the wall time in seconds."""
    torch.manual_seed(config.seed)
    model = build_model(config.model, data.spec.input_shape, data.spec.output_dim)
    optimizer = make_optimizer(config, model.parameters())
    criterion = loss_function(data.spec.task)
    loader = DataLoader(TensorDataset(data.x_train, data.y_train), batch_size=config.batch_size, shuffle=True)
    val_loader = DataLoader(TensorDataset(data.x_val, data.y_val), batch_size=config.batch_size)
    start = time.perf_counter()
    for _ in range(config.epochs):
        model.train()
        running_loss = 0.0
        for inputs, targets in loader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), targets)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
        if len(data.x_val):
            model.eval()
            val_loss = 0.0
            with torch.no_grad():
                for inputs, targets in val_loader:
                    val_loss += criterion(model(inputs), targets).item()
    return time.perf_counter() - start


def engine_train(config: TrainConfig, data) -> float:
    start = time.perf_counter()
    train(config, data=data)
    return time.perf_counter() - start


def compare(label: str, config: TrainConfig, repeats: int) -> tuple[float, float]:
    data = load_splits(config.dataset, config.val_fraction, config.max_samples, config.classes)
    samples = len(data.x_train) * config.epochs
    engine_train(config, data), textbook_train(config, data)  # warm-up: allocator, kernels
    engine_times, textbook_times = [], []
    for _ in range(repeats):  # alternate A/B so both see the same machine
        engine_times.append(engine_train(config, data))
        textbook_times.append(textbook_train(config, data))
    engine_rate = samples / statistics.median(engine_times)
    textbook_rate = samples / statistics.median(textbook_times)
    print(f"| {label:<34} | {textbook_rate:>11,.0f} | {engine_rate:>11,.0f} | {engine_rate / textbook_rate:>5.2f}× |",
          flush=True)
    return engine_rate, textbook_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 epochs and 1 repeat instead of 20 and 3")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (the app's workers use 1 on 2 cores)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    repeats, grid_epochs = (1, 5) if args.quick else (3, 20)
    print(f"torch {torch.__version__}, {platform.processor() or platform.machine()}, "
          f"{torch.get_num_threads()} thread(s), Python {platform.python_version()}; median of {repeats} A/B pairs")

    header = "| config                             | textbook /s | engine /s   | ratio  |\n|---|---:|---:|---:|"
    print("\n(a) seed 001: linear regression, SGD, LR 0.1, all 1,000 points\n" + header)
    seed001 = []
    for epochs, batch in [(5, 16), (5, 128), (20, 16), (20, 128)]:
        config = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1,
                             batch_size=batch, epochs=epochs, val_fraction=0.0)
        seed001.append(compare(f"epochs={epochs}, batch={batch}", config, repeats))

    print(f"\n(b) MNIST-1D, 1-D CNN, Adam, {grid_epochs} epochs, validation every epoch\n" + header)
    grid = []
    for batch in (16, 64, 256):
        for lr in (0.001, 0.01):
            config = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="adam", learning_rate=lr,
                                 batch_size=batch, epochs=grid_epochs)
            grid.append(compare(f"batch={batch}, lr={lr}", config, repeats))

    for name, rows in (("(a) seed 001", seed001), ("(b) MNIST-1D grid", grid)):
        engine_total = sum(1 / e for e, _ in rows)  # seconds per sample, summed: the grid's time
        textbook_total = sum(1 / t for _, t in rows)
        print(f"{name}: engine {textbook_total / engine_total:.2f}× the textbook loop over the whole set")


if __name__ == "__main__":
    main()
