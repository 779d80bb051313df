"""A minimal Streamlit client over the websocket protocol, for load tests (no browser).

What a browser tab does, reduced to what the server sees (checked against Streamlit 1.67's
`streamlit/web/server/starlette/starlette_websocket.py` and `runtime/app_session.py`):

- It opens `ws://HOST:PORT/_stcore/stream` with the subprotocol "streamlit". The second and
  third subprotocol entries (XSRF token, session id to resume) are optional. The XSRF check
  only applies to a connection with an `Origin` header (browsers always send one); this
  client sends none, so it works with the server's default XSRF and CORS settings.
- The session starts with the first `BackMsg.rerun_script` (a `ClientState`: query string,
  page script hash or page name, widget states). The server answers with `ForwardMsg`s:
  `new_session`, `navigation` (every page's script hash and the one that runs; in 1.67
  `new_session.app_pages` holds only a placeholder for the page asked for by name), deltas
  (elements, and widgets with their ids), `page_info_changed` (the URL's new query string),
  `auto_rerun` (a fragment's `run_every`) and finally `script_finished`.
- A widget is operated by sending its state, keyed by the widget id from its delta; a button
  press is `WidgetState(id, trigger_value=True)`. Widgets left out keep their server-side value.
  A form is submitted as the browser does it: its widgets' states (text: `string_value`, a whole
  number: `int_value`, a multiselect: `string_array_value` of the options as shown) sent with a
  trigger of its submit button, which has no key; it is found by its `form_id`.
- A fragment with `run_every` is polled as the browser does it: after `auto_rerun`, a rerun
  with `ClientState.fragment_id` and `is_auto_rerun` every `interval` seconds; a full rerun
  (a `new_session` without fragments) cancels every such timer, `stop_auto_rerun` some.

`StreamlitSession.rerun()` sends one rerun and reads until that run has ended; its time from
sending to `script_finished` is the page's (or fragment's) server-side run time as this
client sees it. One request is in flight per session at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

FINISHED = {value: name for name, value in ForwardMsg.ScriptFinishedStatus.items()}
# A run has ended with one of these; FINISHED_EARLY_FOR_RERUN means another run follows.
TERMINAL = {"FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY", "FINISHED_WITH_COMPILE_ERROR"}
_WIDGET_ID = re.compile(r"^\$\$ID-[0-9a-f]+-(.*)$")


class ProtocolError(RuntimeError):
    """The server closed the connection, sent something unexpected, or did not finish in time."""


def widget_key(widget_id: str) -> str | None:
    """The user key inside a widget id ("$$ID-<hash>-<key>"), or None for an unkeyed widget."""
    match = _WIDGET_ID.match(widget_id)
    return match.group(1) if match and match.group(1) != "None" else None


def trigger(widget_id: str) -> WidgetState:
    """The widget state of a pressed button."""
    return WidgetState(id=widget_id, trigger_value=True)


def text_value(widget_id: str, text: str) -> WidgetState:
    """The widget state of a text input holding `text`."""
    return WidgetState(id=widget_id, string_value=text)


def int_value(widget_id: str, value: int) -> WidgetState:
    """The widget state of an integer number input."""
    return WidgetState(id=widget_id, int_value=value)


def picked(widget_id: str, options: Sequence[str]) -> WidgetState:
    """The widget state of a multiselect with these options picked (as the widget formats them)."""
    state = WidgetState(id=widget_id)
    state.string_array_value.data.extend(options)
    return state


@dataclass
class RunRecord:
    """One rerun as the client saw it."""

    kind: str  # "page" (a full script run) or "fragment"
    wall_start: float  # time.time() when the request was sent
    seconds: float = float("nan")  # send -> script_finished
    status: str = ""  # the script_finished status that ended it
    became_full: bool = False  # a fragment run whose st.rerun() turned it into a full run
    messages: int = 0
    bytes: int = 0

    @property
    def wall_end(self) -> float:
        return self.wall_start + self.seconds


@dataclass
class PageView:
    """What the latest runs drew, as far as a load test needs it."""

    widgets: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (widget id, element type)
    disabled: dict[str, bool] = field(default_factory=dict)  # button key -> disabled
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (ERROR/WARNING/INFO/SUCCESS, body)
    exceptions: list[str] = field(default_factory=list)
    progress: int | None = None  # 0..100, the latest st.progress value
    metrics: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    charts: int = 0
    auto_reruns: dict[str, float] = field(default_factory=dict)  # fragment id -> interval (s)
    texts: list[str] = field(default_factory=list)  # the code blocks' text (a link shown to copy)
    links: list[tuple[str, str]] = field(default_factory=list)  # page links: (page, query string)
    submitters: dict[str, str] = field(default_factory=dict)  # form id -> its submit button's widget id

    def start_run(self) -> None:
        """Forget what the previous run drew (a fragment run redraws only the fragment)."""
        self.texts.clear()
        self.links.clear()
        self.alerts.clear()
        self.exceptions.clear()
        self.progress = None
        self.metrics.clear()
        self.charts = 0

    def start_full_run(self) -> None:
        self.start_run()
        self.widgets.clear()
        self.disabled.clear()
        self.submitters.clear()
        self.auto_reruns.clear()  # as the browser does on a full rerun


class StreamlitSession:
    """One browser tab's worth of protocol: connect, rerun pages and fragments, press buttons."""

    def __init__(self, base_ws_url: str, name: str = "") -> None:
        self.url = base_ws_url.rstrip("/") + "/_stcore/stream"
        self.name = name
        self.ws: ClientConnection | None = None
        self.pages: dict[str, str] = {}  # url pathname (e.g. "Train", "" for the home page) -> script hash
        self.page_script_hash = ""  # the page the latest full run ran
        self.query_string = ""  # the URL's query string, as the browser would keep it
        self.view = PageView()
        self.records: list[RunRecord] = []
        self.problems: list[str] = []  # exception boxes, error and warning alerts, compile errors

    async def connect(self, timeout: float = 30.0) -> None:
        self.ws = await asyncio.wait_for(
            connect(self.url, subprotocols=[Subprotocol("streamlit")], max_size=None, open_timeout=timeout,
                    compression=None, ping_interval=None),  # a browser sends no pings either
            timeout)

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(TimeoutError, websockets.WebSocketException, OSError):
                await asyncio.wait_for(self.ws.close(), 5)
            self.ws = None

    async def rerun(self, page_script_hash: str = "", page_name: str = "", query_string: str | None = None,
                    widget_states: Sequence[WidgetState] = (), fragment_id: str | None = None,
                    timeout: float = 60.0) -> RunRecord:
        """Send one rerun and read until it has ended; returns its record (also kept in .records)."""
        if query_string is not None:
            self.query_string = query_string
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = page_script_hash
        state.page_name = page_name
        state.widget_states.widgets.extend(widget_states)
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        if self.ws is None:
            raise ProtocolError(f"{self.name}: not connected")
        ws = self.ws
        record = RunRecord("fragment" if fragment_id else "page", time.time())
        self.view.start_run()
        start = time.perf_counter()
        await ws.send(msg.SerializeToString())
        deadline = start + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise ProtocolError(f"{self.name}: no script_finished within {timeout:.0f} s")
            try:
                data = await asyncio.wait_for(ws.recv(), left)
            except TimeoutError:
                raise ProtocolError(f"{self.name}: no script_finished within {timeout:.0f} s") from None
            except websockets.ConnectionClosed as exc:
                raise ProtocolError(f"{self.name}: the server closed the connection ({exc})") from exc
            record.messages += 1
            record.bytes += len(data)
            fm = ForwardMsg()
            fm.ParseFromString(data)
            status = self._handle(fm, record)
            if status in TERMINAL:
                if status == "FINISHED_WITH_COMPILE_ERROR":
                    self.problems.append("the script did not compile")
                record.seconds = time.perf_counter() - start
                record.status = status
                self.records.append(record)
                return record

    def _handle(self, fm: ForwardMsg, record: RunRecord) -> str | None:
        kind = fm.WhichOneof("type")
        if kind == "navigation":
            # The page list and the page that runs. (new_session.app_pages, which the brief of older
            # versions used, holds only a placeholder for the requested page name in 1.67.)
            for page in fm.navigation.app_pages:
                self.pages[page.url_pathname] = page.page_script_hash
            self.page_script_hash = fm.navigation.page_script_hash
        elif kind == "new_session":
            if not fm.metadata.run.fragment_ids:
                if record.kind == "fragment":
                    record.became_full = True
                self.view.start_full_run()
        elif kind == "delta":
            delta = fm.delta
            if delta.WhichOneof("type") == "new_element":
                self._element(delta.new_element)
        elif kind == "page_info_changed":
            self.query_string = fm.page_info_changed.query_string
        elif kind == "auto_rerun":
            self.view.auto_reruns[fm.auto_rerun.fragment_id] = fm.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for fragment_id in fm.stop_auto_rerun.fragment_ids:
                self.view.auto_reruns.pop(fragment_id, None)
        elif kind == "session_event" and fm.session_event.WhichOneof("type") == "script_compilation_exception":
            self.problems.append(f"compile error: {fm.session_event.script_compilation_exception.message}")
        elif kind == "script_finished":
            return FINISHED.get(fm.script_finished, str(fm.script_finished))
        return None

    def _element(self, element) -> None:
        etype = element.WhichOneof("type")
        if etype is None:
            return
        proto = getattr(element, etype)
        if etype == "alert":
            level = Alert.Format.Name(proto.format)
            self.view.alerts.append((level, proto.body))
            if level in ("ERROR", "WARNING"):
                self.problems.append(f"{level.lower()} alert: {proto.body}")
        elif etype == "exception":
            self.view.exceptions.append(f"{proto.type}: {proto.message}")
            self.problems.append(f"exception box: {proto.type}: {proto.message}")
        elif etype == "progress":
            self.view.progress = proto.value
        elif etype == "metric":
            self.view.metrics.append((proto.label, proto.body))
        elif etype in ("vega_lite_chart", "arrow_vega_lite_chart"):
            self.view.charts += 1
        elif etype == "code":
            self.view.texts.append(proto.code_text)
        elif etype == "page_link":
            self.view.links.append((proto.page, proto.query_string))
        elif etype == "button" and proto.is_form_submitter:
            self.view.submitters[proto.form_id] = proto.id
        widget_id = getattr(proto, "id", "") if hasattr(proto, "id") else ""
        if widget_id:
            key = widget_key(widget_id)
            if key is not None:
                self.view.widgets[key] = (widget_id, etype)
                if etype == "button":
                    self.view.disabled[key] = proto.disabled
