"""A restart loses nothing: the real app (`streamlit run app.py`) killed with SIGKILL mid-sweep, then started
again on the same store. Spoken to over Streamlit's websocket protocol (bench/streamlit_client.py), as a
browser tab would, so no browser is needed.

Checked: no worker of the killed server is left running; the finished run is in the store; the run that was
training is kept as interrupted with its first epochs; the Sweep page, opened again from the same link, offers
to finish the sweep; and finishing it gives the histories an uninterrupted sweep gives (CPU runs are
deterministic: the same config trains to the same numbers, whatever happened before).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import torch

from bench.server import Server, start_server, stop_server
from bench.streamlit_client import StreamlitSession, trigger
from core.training.config import TrainConfig
from core.training.engine import train

FAST = TrainConfig(dataset="digits", model="mlp", batch_size=512, learning_rate=0.01, epochs=100)
SLOW = TrainConfig(dataset="digits", model="mlp", batch_size=8, learning_rate=0.01, epochs=100)  # 15 s or more
LINK = ("sweep_preset=custom&sweep_dataset=digits&sweep_model_digits=mlp&sweep_optimizer=adam&sweep_epochs=100"
        "&sweep_batches=8&sweep_batches=512&sweep_lrs=0.01")
WORKERS = 2


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (its training workers and multiprocessing's helpers), from /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for child in map(int, children):
            found |= {child} | descendants(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; init reaps it


def runs(db: Path) -> dict[tuple[int, str], tuple[str, list[int]]]:
    """(batch size, status) -> (run id, its stored epochs), read with plain SQLite."""
    with sqlite3.connect(db) as con:
        found = {}
        for run_id, batch, status in con.execute("SELECT id, batch_size, status FROM runs WHERE source = 'user'"):
            epochs = [e for (e,) in con.execute("SELECT epoch FROM epochs WHERE run_id = ? ORDER BY epoch",
                                                (run_id,))]
            found[(batch, status)] = (run_id, epochs)
    con.close()
    return found


def history(db: Path, run_id: str) -> tuple[str, bytes]:
    """A stored run's epochs (all but their wall-clock times) and its step losses, for exact comparison."""
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT epoch, step, samples, lr, train_loss, val_loss, train_acc, val_acc, "
                           "train_loss_running, train_acc_running FROM epochs WHERE run_id = ? ORDER BY epoch",
                           (run_id,)).fetchall()
        blob = con.execute("SELECT step_losses FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
    con.close()
    return json.dumps(rows), blob


def expected_history(config: TrainConfig) -> tuple[str, bytes]:
    """The same run trained here, uninterrupted, with a worker's thread count."""
    import numpy as np

    threads = torch.get_num_threads()
    torch.set_num_threads(max(1, (os.cpu_count() or 1) // WORKERS))
    try:
        result = train(config)
    finally:
        torch.set_num_threads(threads)
    rows = [(r["epoch"], r["step"], r["samples"], r["lr"], r["train_loss"], r["val_loss"], r["train_acc"],
             r["val_acc"], r["train_loss_running"], r["train_acc_running"]) for r in result.rows]
    return json.dumps(rows), np.asarray(result.step_losses, dtype="<f8").tobytes()


def in_own_loop(coroutine):
    """Run a coroutine to its end in a thread of its own: the browser tests' Playwright keeps an event loop
    running in this thread, where asyncio.run refuses to start another."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


async def open_sweep_and_press_run(server: Server) -> list[tuple[str, str]]:
    """Open the Sweep page from LINK in a new session and press its run button; the alerts the page showed first."""
    session = StreamlitSession(server.ws, "restart")
    await session.connect()
    try:
        await session.rerun(page_name="Sweep", query_string=LINK, timeout=120)
        alerts = list(session.view.alerts)
        button = session.view.widgets["sweep_run"][0]
        await session.rerun(page_script_hash=session.page_script_hash, widget_states=[trigger(button)], timeout=120)
    finally:
        await session.close()
    return alerts


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.1)


def test_a_sweep_killed_with_its_server_resumes_after_a_restart_with_the_same_histories(tmp_path):
    environ = {"BATCHLAB_WORKERS": str(WORKERS)}
    server = start_server(tmp_path, environ=environ)
    try:
        in_own_loop(open_sweep_and_press_run(server))
        wait_until(lambda: (512, "completed") in runs(server.db)
                   and len(runs(server.db).get((8, "running"), ("", []))[1]) >= 3,
                   240, "the batch-512 run has finished and the batch-8 run has saved two epochs")
        workers = descendants(server.process.pid)
        assert len(workers) >= WORKERS
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
    finally:
        stop_server(server)
    # Within a batch or two, long before the batch-8 run (100 epochs, seconds more) could have ended by itself.
    wait_until(lambda: not any(alive(pid) for pid in workers), 5, "the killed server's workers have ended")

    left = runs(server.db)
    assert set(left) == {(512, "completed"), (8, "running")}  # as the killed server left it
    interrupted_id, epochs = left[(8, "running")]
    assert epochs[:3] == [0, 1, 2] and len(epochs) < 60

    with ThreadPoolExecutor(1) as here:
        # The uninterrupted runs are trained here while the restarted server starts and trains the batch-8 run
        # again: that takes one worker, one core, and this training the other.
        expected = here.submit(lambda: [expected_history(config) for config in (FAST, SLOW)])
        server = start_server(tmp_path, environ=environ)  # the same folder: the same store
        try:
            alerts = in_own_loop(open_sweep_and_press_run(server))
            assert any(level == "WARNING" and "did not finish: 1 of its 2 settings have a finished run (1 were "
                       "interrupted" in body for level, body in alerts), alerts
            assert runs(server.db)[(8, "interrupted")][0] == interrupted_id  # marked when the store opened
            wait_until(lambda: (8, "completed") in runs(server.db), 300, "the batch-8 run has been trained again")
        finally:
            stop_server(server)
        expected_fast, expected_slow = expected.result()

    done = runs(server.db)
    assert set(done) == {(512, "completed"), (8, "completed"), (8, "interrupted")}
    assert history(server.db, done[(512, "completed")][0]) == expected_fast
    assert history(server.db, done[(8, "completed")][0]) == expected_slow
