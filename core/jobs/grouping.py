"""When an executor trains queued runs as one group (`core.training.grouped.train_group`), and which.

Measured on this 2-core CPU (bench/bench_grouped.py: Adam, LR 0.001 and 0.01 × K/2 seeds, one torch
thread, as each of the app's workers has): K runs trained one after another take this many times as
long as the same K runs trained as one group (CPU_SPEEDUP, one table per dataset and model).

| dataset · model   | K  | batch 16 | batch 64 | batch 256 |
|-------------------|----|----------|----------|-----------|
| MNIST-1D · cnn1d  | 4  | 3.13×    | 1.61×    | 1.42×     |
|                   | 8  | 3.55×    | 1.98×    | 1.32×     |
|                   | 16 | 4.50×    | 1.84×    | 0.97×     |
| digits · cnn      | 4  | 1.98×    | 1.38×    | 1.02×     |
|                   | 8  | 2.34×    | 1.49×    | 0.96×     |
|                   | 16 | 2.50×    | 1.42×    | 1.17×     |
| digits · mlp      | 4  | 1.33×    | 1.56×    |           |
|                   | 8  | 2.12×    | 1.68×    |           |
| MNIST-1D · mlp    | 4  | 2.35×    | 1.95×    |           |
|                   | 8  | 3.43×    | 2.67×    |           |
| MNIST-1D · linear | 4  | 4.12×    | 2.77×    |           |
|                   | 8  | 7.03×    | 4.14×    |           |
| linear · linear   | 4  | 3.11×    | 3.20×    |           |
|                   | 8  | 6.74×    | 3.92×    |           |
| linear · mlp      | 4  | 1.81×    | 1.51×    |           |
|                   | 8  | 3.07×    | 1.72×    |           |

The MNIST-1D 1-D CNN's table is wall time over 3 epochs on a quiet machine, the median of 3
alternating pairs. The others were measured while other work kept the machine's load near 9, so
they are this process's CPU time (`--clock cpu`, which that load hardly moves: the 1-D CNN's K = 4
cell at batch 16 read 3.09× by it against 3.13× on the wall clock when quiet), over 2 epochs, the
median of 2 pairs; the small models only at K ≤ 8 and batch ≤ 64, so larger groups and batches of
theirs are not formed.

On the CPU the executor groups K runs when their dataset and model have a table and the cell for K
(the table's largest K at most K) and the batch size (the table's smallest batch at least it) gains
at least MIN_SPEEDUP, else the largest smaller K whose cell does. The margin is for the machines the
tables were not measured on and for the noise of a shared machine: the 1-D CNN groups at batch ≤ 64
with K ≥ 4, the 2-D CNN only at batch 16, the digits MLP at batch 16 only from K = 8. A dataset and
model without a table (digits' linear model, and CIFAR-10's, whose files are not here to measure
on), fewer than MIN_GROUP runs, or a batch above the table's train alone. On a GPU,
where one small run uses a sliver of the chip, any two runs are grouped (not measured on a GPU
yet: none was available to this work).

What is grouped: trainings ("train" jobs) queued with the same `group_key` (equal data, model,
batch size, epochs and optimizer family), in queue order. Other tasks (range tests, noise scale,
sharpness) train alone, as does every job when grouping is off (BATCHLAB_GROUPING=off).

When: a sweep queues its runs within milliseconds, and a class's students within seconds, so a
training that could group waits until none of its group has been queued for QUIET_S (at most
WINDOW_S after it was queued); a group that is already full goes at once. A lone training therefore
starts QUIET_S later than it would have. With several idle workers the runs are split over them
(each part still at least MIN_GROUP runs), so the cores are not left idle for one large group.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from core.jobs.job import Job
from core.training.config import TrainConfig
from core.training.devices import pick_device
from core.training.grouped import group_key

CPU_SPEEDUP: dict[tuple[str, str], dict[tuple[int, int], float]] = {
    ("mnist1d", "cnn1d"): {(4, 16): 3.13, (8, 16): 3.55, (16, 16): 4.50, (4, 64): 1.61, (8, 64): 1.98,
                           (16, 64): 1.84, (4, 256): 1.42, (8, 256): 1.32, (16, 256): 0.97},
    ("digits", "cnn"): {(4, 16): 1.98, (8, 16): 2.34, (16, 16): 2.50, (4, 64): 1.38, (8, 64): 1.49,
                        (16, 64): 1.42, (4, 256): 1.02, (8, 256): 0.96, (16, 256): 1.17},
    ("digits", "mlp"): {(4, 16): 1.33, (8, 16): 2.12, (4, 64): 1.56, (8, 64): 1.68},
    ("mnist1d", "mlp"): {(4, 16): 2.35, (8, 16): 3.43, (4, 64): 1.95, (8, 64): 2.67},
    ("mnist1d", "linear"): {(4, 16): 4.12, (8, 16): 7.03, (4, 64): 2.77, (8, 64): 4.14},
    ("linear", "linear"): {(4, 16): 3.11, (8, 16): 6.74, (4, 64): 3.20, (8, 64): 3.92},
    ("linear", "mlp"): {(4, 16): 1.81, (8, 16): 3.07, (4, 64): 1.51, (8, 64): 1.72},
}
"""(dataset, model) -> (K, batch size) -> one-after-another time / grouped time, measured (see above)."""
MIN_SPEEDUP = 1.5  # group on the CPU only where the table gains at least this much
MIN_GROUP = 4  # the tables say nothing about fewer runs on the CPU
MAX_GROUP = {"cpu": 16, "gpu": 64}  # the most runs in one group (on the CPU also at most its table's largest K)
QUIET_S = 0.1  # a groupable training waits until none of its group has been queued for this long
WINDOW_S = 1.0  # ... but no longer than this after it was queued


def cpu_speedup(dataset: str, model: str, k: int, batch_size: int) -> float | None:
    """The measured gain of K runs grouped at this batch size: the cell of the table's largest K at
    most `k` and smallest batch at least `batch_size`; None outside the table (no table for this
    dataset and model, fewer than 4 runs, or a batch above the table's)."""
    table = CPU_SPEEDUP.get((dataset, model), {})
    ks = [size for size, _ in table if size <= k]
    batches = [batch for _, batch in table if batch >= batch_size]
    if not ks or not batches:
        return None
    return table[max(ks), min(batches)]


def group_size(queued: int, config: TrainConfig, accelerated: bool, idle_workers: int = 1) -> int:
    """How many of `queued` runs that can share a group with `config` to train as the next group: 1
    means alone. The runs are split over the idle workers first (on the CPU each part keeps at least
    MIN_GROUP runs, and none more than its table's largest K), then a part is grouped if its table says
    it pays, or cut to the table's largest K that does (any part of two or more on a GPU)."""
    smallest = 2 if accelerated else MIN_GROUP
    table = CPU_SPEEDUP.get((config.dataset, config.model), {})
    largest = largest_group(config, accelerated)
    parts = max(1, min(idle_workers, queued // smallest))
    size = min(largest, math.ceil(queued / parts))
    if size < smallest:
        return 1
    if accelerated:
        return size
    rows = sorted({k for k, _ in table if k <= size}, reverse=True)
    for k in rows:  # size's own row first, then smaller groups
        gain = cpu_speedup(config.dataset, config.model, k, config.batch_size)
        if gain is not None and gain >= MIN_SPEEDUP:
            return size if k == rows[0] else k
    return 1


def largest_group(config: TrainConfig, accelerated: bool) -> int:
    """The most runs one group of this config's kind may hold: on the CPU its table's largest K (1 without one)."""
    if accelerated:
        return MAX_GROUP["gpu"]
    table = CPU_SPEEDUP.get((config.dataset, config.model), {})
    return min(MAX_GROUP["cpu"], max((k for k, _ in table), default=1))


def could_group(job: Job) -> bool:
    """Whether this job may ever train in a group: a training, where a full group of its kind pays."""
    if job.kind != "train":
        return False
    accelerated = _accelerated(job.config.device)
    if accelerated is None:
        return False
    return group_size(largest_group(job.config, accelerated), job.config, accelerated) > 1


def next_group(pending: Sequence[Job], idle_workers: int, now: float, enabled: bool = True) -> list[Job] | None:
    """The jobs the next idle worker should take, from the queue (`pending`, in order): the first job
    alone, or it with the queued jobs of its group; None to wait a moment for more of its group
    (see the module's docstring). `now` is time.time(), as the jobs' submitted_at."""
    if not pending:
        return None
    head = pending[0]
    if not enabled or not could_group(head):
        return [head]
    key = group_key(head.config)
    mates = [job for job in pending if job.kind == "train" and group_key(job.config) == key]
    accelerated = bool(_accelerated(head.config.device))
    full = len(mates) >= largest_group(head.config, accelerated)
    last_queued = max(job.submitted_at for job in mates)
    if not full and now - last_queued < QUIET_S and now - head.submitted_at < WINDOW_S:
        return None
    return mates[:group_size(len(mates), head.config, accelerated, idle_workers)]


def _accelerated(device: str) -> bool | None:
    """Whether a config's device ("auto", "cpu", "cuda", "mps") trains on an accelerator here; None
    for a device this machine lacks (the job trains alone, and fails with its own message)."""
    try:
        return pick_device(device).type != "cpu"
    except Exception:
        return None
