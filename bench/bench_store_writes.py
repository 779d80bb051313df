"""What saving a run while it trains costs the store, against saving it once at the end, in one process.

A: `RunStore.save` of a finished run (one transaction), as before runs were saved while they trained.
B: the same run as the job book writes it now: `begin` with its first epoch, one `append` per write
   (every epoch here, the worst case: the book writes at most every SAVE_EVERY = 1 s), then `complete`.
Both write into the same file, alternating A/B, so a burst of other work on the machine hits both; the
figures are medians. A write is also timed while 8 processes write at once, as 30 students' runs do.

    python -m bench.bench_store_writes            # a 100-epoch run of 45 steps an epoch, 9 pairs
    python -m bench.bench_store_writes --quick
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import tempfile
import time
from pathlib import Path

from core.runs.store import RunStore
from core.training.config import TrainConfig
from core.training.record import RunResult, Status, best_epoch


def so_far(result: RunResult, rows: int) -> RunResult:
    kept = result.rows[:rows]
    return RunResult(config=result.config, status=Status.RUNNING, rows=kept,
                     step_losses=result.step_losses[:kept[-1]["step"]], device="unknown",
                     wall_time=kept[-1]["time_s"], best_epoch=best_epoch(kept, Status.COMPLETED, result.config))


def saved_at_the_end(store: RunStore, result: RunResult) -> float:
    start = time.perf_counter()
    store.save(result)
    return time.perf_counter() - start


def saved_while_training(store: RunStore, result: RunResult) -> tuple[float, list[float]]:
    """Seconds for the whole run, and for each append."""
    start = time.perf_counter()
    run_id = store.begin(so_far(result, 1))
    appends = []
    for n in range(2, len(result.rows) + 1):
        t = time.perf_counter()
        store.append(run_id, so_far(result, n), n - 1, result.rows[n - 2]["step"])
        appends.append(time.perf_counter() - t)
    store.complete(run_id, result)
    return time.perf_counter() - start, appends


def append_under_contention(path: str, result: dict, start, out) -> None:
    store = RunStore(path)
    run = RunResult.from_dict(result)
    start.wait()  # every writer ready: they write at once
    out.put(saved_while_training(store, run)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 20-epoch run, 3 pairs")
    args = parser.parse_args()
    epochs, pairs = (20, 3) if args.quick else (100, 9)
    from core.training.engine import train

    result = train(TrainConfig(dataset="digits", model="mlp", batch_size=32, epochs=epochs))
    with tempfile.TemporaryDirectory() as folder:
        store = RunStore(Path(folder) / "runs.sqlite")
        ends, whiles, appends = [], [], []
        for _ in range(pairs):
            ends.append(saved_at_the_end(store, result))
            seconds, each = saved_while_training(store, result)
            whiles.append(seconds)
            appends.extend(each)
        print(f"{epochs}-epoch run ({result.updates} steps), {pairs} pairs, medians:")
        print(f"  A. saved once at the end:            {statistics.median(ends) * 1e3:7.2f} ms")
        print(f"  B. begin + {epochs - 1} appends + complete: {statistics.median(whiles) * 1e3:7.2f} ms "
              f"({statistics.median(whiles) / statistics.median(ends):.1f}× A)")
        print(f"     one append (an epoch's write):    {statistics.median(appends) * 1e3:7.2f} ms "
              f"(p90 {statistics.quantiles(appends, n=10)[-1] * 1e3:.2f} ms)")

        context = mp.get_context("spawn")
        out, start = context.Queue(), context.Barrier(8)
        writers = [context.Process(target=append_under_contention,
                                   args=(str(store.path), result.to_dict(), start, out)) for _ in range(8)]
        for process in writers:
            process.start()
        contended = [seconds for _ in writers for seconds in out.get(timeout=600)]
        for process in writers:
            process.join()
        print(f"     with 8 processes writing at once: {statistics.median(contended) * 1e3:7.2f} ms "
              f"(p90 {statistics.quantiles(contended, n=10)[-1] * 1e3:.2f} ms)")
        print(f"  integrity_check: {store.integrity()}")


if __name__ == "__main__":
    main()
