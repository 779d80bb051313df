"""The worker pool with grouping against the same pool without it, on a sweep and on a classroom burst.

Two pools of the same size run side by side in one process (an idle pool costs nothing): one trains
every run alone (grouping=False), the other lets core/jobs/grouping.py choose. The two alternate,
the order flipping every repeat, and each repeat uses fresh seeds (a pool answers a config it has
seen from its book). Two workloads:

- **sweep**: seed 000's grid (batch {16, 64, 256} × LR {0.001, 0.01} × seeds 0-2, Adam, the 2-D CNN
  on digits), submitted at once as the Sweep page does. Reported: the time until every run ended.
- **burst**: a class of 30 students each pressing Train on their own cell of a 5 LR × 6 seed grid
  (MNIST-1D's 1-D CNN, Adam, batch 32), at random moments within 5 s (the same moments for both
  pools). Reported: the time until the last run ended, and a student's mean wait (press to result).

Each workload also reports the CPU time its pool's workers spent on it (Linux: /proc/<pid>/stat), which
other load on a shared machine hardly moves, where the wall times above swing with it.

Usage:

    python -m bench.bench_executor_grouping                      # both, 20 epochs (sweep) / 5 (burst), 2 repeats
    python -m bench.bench_executor_grouping --epochs 2 --burst-epochs 1 --repeats 1   # a smoke test
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import random
import statistics
import threading
import time

from core.experiments.presets import grid
from core.jobs import LocalExecutor
from core.jobs.job import Job
from core.training.config import TrainConfig
from core.training.grouped import group_of

BURST_STUDENTS = 30
BURST_SPREAD_S = 5.0  # the students press Train within this many seconds
BURST_LRS = (0.0003, 0.001, 0.003, 0.01, 0.03)


def sweep_configs(epochs: int, repeat: int) -> list[TrainConfig]:
    base = TrainConfig(dataset="digits", model="cnn", optimizer="adam", epochs=epochs)
    return grid(base, (16, 64, 256), (0.001, 0.01), seeds=[100 * repeat + s for s in range(3)])


def burst_configs(epochs: int, repeat: int) -> list[TrainConfig]:
    base = TrainConfig(dataset="mnist1d", model="cnn1d", optimizer="adam", batch_size=32, epochs=epochs)
    seeds = [100 * repeat + s for s in range(BURST_STUDENTS // len(BURST_LRS))]
    return [dataclasses.replace(base, learning_rate=lr, seed=seed) for seed in seeds for lr in BURST_LRS]


def workers_cpu_s(pool: LocalExecutor) -> float:
    """The CPU seconds (user + system) the pool's worker processes have used so far."""
    ticks = 0
    for pid in pool.worker_pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def run_sweep(pool: LocalExecutor, configs: list[TrainConfig]) -> dict[str, float]:
    start, cpu = time.time(), workers_cpu_s(pool)
    return _ended(pool, [pool.submit(c) for c in configs], start, cpu)


def run_burst(pool: LocalExecutor, configs: list[TrainConfig], moments: list[float]) -> dict[str, float]:
    """Each config submitted from its own thread at its moment (seconds after the start), as students would."""
    start, cpu = time.time(), workers_cpu_s(pool)
    jobs: list[Job] = []

    def student(i: int) -> None:
        time.sleep(max(0.0, start + moments[i] - time.time()))
        jobs.append(pool.submit(configs[i]))

    threads = [threading.Thread(target=student, args=(i,)) for i in range(len(configs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _ended(pool, jobs, start, cpu)


def _ended(pool: LocalExecutor, jobs: list[Job], start: float, cpu: float) -> dict[str, float]:
    """When the last job ended (s after `start`), a job's mean time from its request to its result, and
    how many of the jobs trained in a group (every job is its own request: the configs are distinct)."""
    for job in jobs:
        job.wait()
        assert job.status == "completed", (job.status, job.message)
    ends = [job.finished_at or math.inf for job in jobs]
    return {"makespan_s": max(ends) - start, "workers_cpu_s": workers_cpu_s(pool) - cpu,
            "mean_wait_s": statistics.mean(end - job.submitted_at for end, job in zip(ends, jobs, strict=True)),
            "grouped_runs": sum(job.result is not None and group_of(job.result.device)[1] > 1 for job in jobs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20, help="the sweep's epochs (seed 000: 20)")
    parser.add_argument("--burst-epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workloads", nargs="+", default=["sweep", "burst"], choices=["sweep", "burst"])
    args = parser.parse_args()
    alone, grouped = LocalExecutor(grouping=False), LocalExecutor(grouping=True)
    pools = {"alone": alone, "grouped": grouped}
    print(f"{alone.workers} workers × {alone.threads_per_worker} thread(s) each, {os.cpu_count()} cores")
    results: dict[str, dict[str, list[dict[str, float]]]] = {w: {"alone": [], "grouped": []} for w in args.workloads}
    try:
        for name, pool in pools.items():  # warm up: every worker has imported torch and loaded both datasets
            run_sweep(pool, [TrainConfig(dataset=d, model="linear", epochs=1, seed=s)
                             for d in ("digits", "mnist1d") for s in range(pool.workers)])
            print(f"warmed up {name}", flush=True)
        rng = random.Random(0)
        for r in range(args.repeats):
            order = ["alone", "grouped"] if r % 2 == 0 else ["grouped", "alone"]
            moments = sorted(rng.uniform(0, BURST_SPREAD_S) for _ in range(BURST_STUDENTS))
            for name in order:
                if "sweep" in args.workloads:
                    outcome = run_sweep(pools[name], sweep_configs(args.epochs, r + 1))
                    results["sweep"][name].append(outcome)
                    print(f"repeat {r + 1} sweep {name}: {outcome}", flush=True)
                if "burst" in args.workloads:
                    outcome = run_burst(pools[name], burst_configs(args.burst_epochs, r + 1), moments)
                    results["burst"][name].append(outcome)
                    print(f"repeat {r + 1} burst {name}: {outcome}", flush=True)
    finally:
        alone.close()
        grouped.close()
    summary = {}
    print("\n| workload | makespan alone s | grouped s | ratio | mean wait alone s | grouped s | ratio | "
          "workers' CPU alone s | grouped s | ratio | runs grouped |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for workload, by_pool in results.items():
        median = {name: {key: statistics.median(o[key] for o in outcomes) for key in outcomes[0]}
                  for name, outcomes in by_pool.items()}
        a, g = median["alone"], median["grouped"]
        ratios = {key: a[key] / g[key] for key in ("makespan_s", "mean_wait_s", "workers_cpu_s")}
        summary[workload] = {"alone": a, "grouped": g, "ratios": ratios}
        print(f"| {workload} | " + " | ".join(f"{a[key]:.1f} | {g[key]:.1f} | {ratios[key]:.2f}×" for key in ratios)
              + f" | {g['grouped_runs']:.0f} |")
    print(json.dumps({"epochs": args.epochs, "burst_epochs": args.burst_epochs, "repeats": args.repeats,
                      "results": summary}, indent=1))


if __name__ == "__main__":
    main()
