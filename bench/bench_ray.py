"""A grid's wall time on the Ray backend against the local worker pool.

Both train the same grid with one torch thread per run and as many runs at once as
there are cores: the pool in its worker processes, Ray as one task per run on a local
instance with that many CPUs. Both are warmed up first (workers started, torch imported,
the dataset loaded), then the two alternate (pool, Ray, pool, Ray, …) so other load on
the machine hits both; each repeat uses a fresh seed, so nothing is answered from memory.
Needs `pip install -r requirements-ray.txt`. Usage:

    python -m bench.bench_ray                # batch {16, 64, 256} × LR {0.001, 0.01}, MNIST-1D, 5 epochs
    python -m bench.bench_ray --repeats 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from core.experiments.presets import grid
from core.jobs import Executor, LocalExecutor, RayExecutor
from core.jobs.ray import connect
from core.training.config import TrainConfig


def timed(executor: Executor, configs: list[TrainConfig]) -> tuple[float, float]:
    """The grid's wall time, and the runs' own training time summed (the engine's wall_time)."""
    start = time.perf_counter()
    jobs = [executor.submit(c) for c in configs]
    for job in jobs:
        job.wait()
        assert job.status == "completed", job.message
    return time.perf_counter() - start, sum(job.result.wall_time if job.result else 0.0 for job in jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    base = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="adam", epochs=args.epochs)
    warm_up = [TrainConfig(dataset="mnist1d", model="cnn1d", epochs=1, seed=s) for s in range(cores)]
    started = time.perf_counter()
    connect("local", num_cpus=cores, object_store_mb=100)
    ray_start = time.perf_counter() - started
    pool, on_ray = LocalExecutor(), RayExecutor()  # no store: every run really trains
    try:
        first_ray = timed(on_ray, warm_up)[0]  # starts Ray's workers: torch import and data load
        timed(pool, warm_up)
        pool_times, ray_times = [], []
        for r in range(args.repeats):
            configs = grid(base, (16, 64, 256), (0.001, 0.01), seeds=[100 + r])
            pool_times.append(timed(pool, configs))
            ray_times.append(timed(on_ray, configs))
        local, ray = (statistics.median(t for t, _ in times) for times in (pool_times, ray_times))
        print(f"{cores} cores; grid of 6 runs, MNIST-1D 1-D CNN, Adam, {args.epochs} epochs; "
              f"median of {args.repeats}, alternating")
        for name, median, times in ((f"local pool ({pool.workers} × 1 thread)", local, pool_times),
                                    (f"Ray, local instance ({on_ray.workers} CPUs)", ray, ray_times)):
            print(f"{name:32} {median:6.2f} s   grids {[round(t, 2) for t, _ in times]}, "
                  f"runs' own time summed {[round(e, 1) for _, e in times]}")
        print(f"Ray / local pool: {ray / local:.2f}×")
        print(f"(once: starting the Ray instance {ray_start:.1f} s; first {cores} runs on Ray incl. worker start "
              f"{first_ray:.1f} s)")
    finally:
        on_ray.close()
        pool.close()


if __name__ == "__main__":
    main()
