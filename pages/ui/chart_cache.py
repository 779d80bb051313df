"""Chart specs built once and shared by every viewer of a live run."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pyarrow as pa

WAIT_S = 30.0  # how long a session waits for another's build of the same chart before building its own


class SpecCache:
    """Finished chart specs shared by every session of the server, newest kept.

    Twenty students following one run ask for the same three charts every poll; a job's
    history only grows, so (job, language, chart, epochs and steps so far, status) names a
    chart exactly and each is built once (bench/load_sessions.py measured the server saturating without this).
    """

    def __init__(self, size: int = 96) -> None:  # a long run's step chart is about 100 kB in Arrow form
        self._specs: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
        self._building: dict[tuple[Any, ...], threading.Event] = {}  # keys some session is building now
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The spec for `key`, built by `build` once: a session asking while another builds it waits for
        that build (at most WAIT_S; then, or if that build failed, it builds its own). Thirty students on
        one class board all asked at once whenever it changed, and each built the same chart
        (bench/load_sessions.py --mode room: 0.40 server CPU s per page run, 0.054 built once)."""
        with self._lock:
            spec = self._hit(key)
            if spec is not None:
                return spec
            building = self._building.get(key)
            mine = building is None
            if building is None:
                building = self._building[key] = threading.Event()
        if not mine:
            building.wait(WAIT_S)
            with self._lock:
                spec = self._hit(key)
            return spec if spec is not None else _with_arrow_datasets(build())
        try:
            spec = _with_arrow_datasets(build())
            with self._lock:
                self._specs[key] = spec
                while len(self._specs) > self._size:
                    self._specs.popitem(last=False)
            return spec
        finally:
            with self._lock:
                del self._building[key]
            building.set()

    def _hit(self, key: tuple[Any, ...]) -> dict[str, Any] | None:
        spec = self._specs.get(key)
        if spec is not None:
            self._specs.move_to_end(key)
        return spec


def _with_arrow_datasets(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with its inline datasets already in Arrow form, as st.vega_lite_chart sends them.

    Streamlit converts each dataset to Arrow bytes on every draw (a third of a cached chart's
    cost) unless it is bytes already; the datasets never reach the JSON spec either way.
    """
    datasets = {name: arrow_bytes(pa.Table.from_pylist(rows)) for name, rows in spec.get("datasets", {}).items()}
    return {**spec, "datasets": datasets} if datasets else spec


def arrow_bytes(table: pa.Table) -> bytes:
    """The table as an Arrow IPC stream, the form Streamlit sends a chart's data in."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()
