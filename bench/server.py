"""Starting the real app: `streamlit run app.py` on a free localhost port with its own data folder
and run store, never the network; waiting for it to answer; stopping it and its workers.

Shared by the load test (bench/load_sessions.py) and the browser tests (tests/e2e/conftest.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90.0  # s: the server imports torch and starts its training workers


@dataclass
class Server:
    """A running `streamlit run app.py`: its process, port, folder and log."""

    process: subprocess.Popen[bytes]
    port: int
    workdir: Path  # holds its data folder and run store
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def db(self) -> Path:
        return self.workdir / "runs.sqlite"

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"the Streamlit server has exited (code {self.process.returncode}); "
                               f"the end of {self.log}:\n{self.log.read_text()[-3000:]}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workdir: Path, log: Path | None = None, environ: dict[str, str] | None = None) -> Server:
    """The app on a free port, its datasets and run store in `workdir` (MNIST-1D copied from ./data
    when it was generated there, to save the seconds that takes); returns once /_stcore/health says ok."""
    data = workdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    cached = APP_ROOT / "data" / "mnist1d.npz"
    if cached.exists() and not (data / cached.name).exists():
        shutil.copy(cached, data / cached.name)
    port = free_port()
    log = log or workdir / "server.log"
    env = {**os.environ, **(environ or {}),
           "BATCHLAB_DATA_DIR": str(data),
           "BATCHLAB_DB": str(workdir / "runs.sqlite"),
           "BATCHLAB_CIFAR10_URL": "http://127.0.0.1:9/cifar-10-python.tar.gz",  # a closed port: never the network
           "BATCHLAB_DOWNLOAD_TIMEOUT": "3"}
    command = [sys.executable, "-m", "streamlit", "run", "app.py",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--global.developmentMode", "false"]
    with open(log, "w") as out:
        process = subprocess.Popen(command, cwd=APP_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # its own process group: stop_server stops only it
    server = Server(process, port, workdir, log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.read().decode() == "ok":
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)  # the port opens once the server has imported the app's packages
    stop_server(server)
    raise RuntimeError(f"streamlit did not answer within {START_TIMEOUT:.0f} s:\n{log.read_text()[-3000:]}")


def stop_server(server: Server) -> None:
    """SIGTERM (Streamlit then closes the job pool, which stops its workers); SIGKILL the group if stuck."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
