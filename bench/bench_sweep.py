"""A grid's wall time on the worker pool against the same runs one after another.

The sequential baseline trains each run through the engine in this process with all
cores as torch threads (the best a single loop can do); the pool trains them in as many
worker processes as cores, one thread each. Both orders alternate (sequential, pool,
sequential, pool) so other load on the machine hits both. Usage:

    python -m bench.bench_sweep            # batch {16, 64, 256} × LR {0.001, 0.01}, MNIST-1D, 10 epochs
    python -m bench.bench_sweep --epochs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import torch

from core.experiments.presets import grid
from core.jobs import LocalExecutor
from core.training.config import TrainConfig
from core.training.engine import train


def sequential(configs: list[TrainConfig]) -> float:
    start = time.perf_counter()
    for config in configs:
        train(config)
    return time.perf_counter() - start


def pooled(pool: LocalExecutor, configs: list[TrainConfig]) -> float:
    start = time.perf_counter()
    jobs = [pool.submit(c) for c in configs]
    for job in jobs:
        job.wait()
        assert job.status == "completed", job.message
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    torch.set_num_threads(cores)
    base = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="adam", epochs=args.epochs)
    pool = LocalExecutor()  # no store: every run really trains
    try:
        pooled(pool, [TrainConfig(dataset="digits", model="linear", epochs=1, seed=s) for s in range(pool.workers)])
        train(TrainConfig(dataset="mnist1d", model="cnn1d", epochs=1))  # warm both sides up
        seq_times, pool_times = [], []
        for r in range(args.repeats):
            configs = grid(base, (16, 64, 256), (0.001, 0.01), seeds=[100 + r])  # fresh keys every repeat
            seq_times.append(sequential(configs))
            pool_times.append(pooled(pool, configs))
        seq, par = statistics.median(seq_times), statistics.median(pool_times)
        print(f"{cores} cores, torch {torch.__version__}; grid of 6 runs, MNIST-1D 1-D CNN, {args.epochs} epochs")
        print(f"one after another ({cores} threads): {seq:6.1f} s")
        print(f"worker pool ({pool.workers} × {pool.threads_per_worker} thread): {par:6.1f} s")
        print(f"pool speed-up: {seq / par:.2f}×")
    finally:
        pool.close()


if __name__ == "__main__":
    main()
