"""A grid trained as vectorised groups vs one run after another through the engine, timed in one process.

For every cell K × batch size: K configs (MNIST-1D, the 1-D CNN, Adam, seed 000's LRs 0.001 and
0.01, K/2 seeds each) trained one after another with `core.training.engine.train`, and the same K as
one group with `core.training.grouped.train_group`, on the same tensors, one torch thread (as each of
the app's workers has on 2 cores). The two alternate, and the order flips every repeat (solo first,
then group first), so a burst of other work on the machine hits both; the ratio reported is the
median solo time over the median group time. Each cell also says how far the group's histories are
from the engine's (the largest relative difference of any evaluated loss in any row). Usage:

    python -m bench.bench_grouped                    # K {4, 8, 16} × batch {16, 64, 256}, 3 epochs, 3 repeats
    python -m bench.bench_grouped --epochs 1 --repeats 1 --sizes 4 --batches 16   # a smoke test
    python -m bench.bench_grouped --json crossover.json                           # also write the table
    python -m bench.bench_grouped --dataset digits --model cnn                    # another model's crossover
    python -m bench.bench_grouped --clock cpu        # CPU time, on a machine that other work shares
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import platform
import statistics
import time

import torch

from core.training.config import TrainConfig
from core.training.data import DataSplits, load_splits
from core.training.engine import train
from core.training.grouped import train_group
from core.training.record import RunResult

LEARNING_RATES = (0.001, 0.01)  # seed 000's


def configs_for(k: int, batch_size: int, epochs: int, dataset: str = "mnist1d",
                model: str = "cnn1d") -> list[TrainConfig]:
    base = TrainConfig(dataset=dataset, model=model, optimizer="adam", batch_size=batch_size, epochs=epochs)
    return [dataclasses.replace(base, learning_rate=lr, seed=seed) for seed in range(k // 2) for lr in LEARNING_RATES]


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = CLOCKS["wall"]  # --clock cpu: this process's CPU time, which other load on a shared machine hardly moves


def solo(configs: list[TrainConfig], data: DataSplits) -> tuple[float, list[RunResult]]:
    start = clock()
    results = [train(config, data=data) for config in configs]
    return clock() - start, results


def grouped(configs: list[TrainConfig], data: DataSplits) -> tuple[float, list[RunResult]]:
    start = clock()
    results = train_group(configs, data=data)
    return clock() - start, results


def largest_difference(a: list[RunResult], b: list[RunResult]) -> float:
    """The largest relative difference of an evaluated loss between matching runs (inf if a status differs)."""
    worst = 0.0
    for x, y in zip(a, b, strict=True):
        if x.status != y.status or len(x.rows) != len(y.rows):
            return math.inf
        for row_x, row_y in zip(x.rows, y.rows, strict=True):
            for column in ("train_loss", "val_loss"):
                mine, theirs = row_x[column], row_y[column]
                worst = max(worst, abs(mine - theirs) / abs(theirs))
    return worst


def cell(k: int, batch_size: int, epochs: int, repeats: int, data: DataSplits, dataset: str = "mnist1d",
         model: str = "cnn1d") -> dict[str, float]:
    configs = configs_for(k, batch_size, epochs, dataset, model)
    solo_times, group_times = [], []
    difference = 0.0
    for r in range(repeats):
        order = (solo, grouped) if r % 2 == 0 else (grouped, solo)
        (first_time, first), (second_time, second) = (run(configs, data) for run in order)
        solo_time, alone, group_time, together = ((first_time, first, second_time, second) if r % 2 == 0
                                                  else (second_time, second, first_time, first))
        solo_times.append(solo_time)
        group_times.append(group_time)
        difference = max(difference, largest_difference(together, alone))
    solo_s, group_s = statistics.median(solo_times), statistics.median(group_times)
    row = {"k": k, "batch_size": batch_size, "solo_s": round(solo_s, 3), "group_s": round(group_s, 3),
           "ratio": round(solo_s / group_s, 3), "largest_relative_difference": difference}
    print(f"| {k:>2} | {batch_size:>5} | {solo_s:>8.2f} | {group_s:>8.2f} | {solo_s / group_s:>5.2f}× | "
          f"{difference:>9.1e} |", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3, help="A/B pairs per cell; the median is reported")
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 8, 16], help="K: configs per group (even)")
    parser.add_argument("--batches", type=int, nargs="+", default=[16, 64, 256])
    parser.add_argument("--threads", type=int, default=1, help="torch threads (the app's workers use 1 on 2 cores)")
    parser.add_argument("--dataset", default="mnist1d")
    parser.add_argument("--model", default="cnn1d")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                        help="cpu: time this process's CPU time (one thread), for a machine other work shares")
    parser.add_argument("--json", help="also write the table to this file")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    torch.set_num_threads(args.threads)
    data = load_splits(args.dataset, TrainConfig().val_fraction)
    warm_up = configs_for(2, 64, 1, args.dataset, args.model)
    train_group(warm_up, data=data)  # warm-up: allocator, kernels, both paths
    train(warm_up[0], data=data)
    print(f"torch {torch.__version__}, {platform.processor() or platform.machine()}, "
          f"{torch.get_num_threads()} thread(s), Python {platform.python_version()}; {args.dataset} {args.model}, "
          f"Adam, LR {' / '.join(map(str, LEARNING_RATES))} × K/2 seeds, {args.epochs} epochs, "
          f"median of {args.repeats} alternating pairs, {args.clock} clock\n")
    print("|  K | batch |  solo s  | group s  | ratio  | max Δloss |\n|---:|---:|---:|---:|---:|---:|")
    started = time.perf_counter()
    table = [cell(k, b, args.epochs, args.repeats, data, args.dataset, args.model)
             for b in args.batches for k in args.sizes]
    print(f"\n{time.perf_counter() - started:.0f} s in all. Ratio = solo time / group time (above 1: the group is "
          "faster).")
    for b in args.batches:
        ratios = {row["k"]: row["ratio"] for row in table if row["batch_size"] == b}
        print(f"batch {b:>3}: " + ", ".join(f"K={k} {ratio:.2f}×" for k, ratio in ratios.items()))
    document = {"setting": {"dataset": args.dataset, "model": args.model, "optimizer": "adam", "epochs": args.epochs,
                            "threads": torch.get_num_threads(), "repeats": args.repeats, "torch": torch.__version__,
                            "clock": args.clock},
                "cells": table}
    text = json.dumps(document, indent=1)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
