"""End-to-end tests: the real app in a real browser (Chromium driven by Playwright).

One Streamlit server and one browser serve the whole session; every test gets a fresh tab
(a new Streamlit session), `app`, or several people, `people("teacher", "student")`: a tab
each in a browser context of its own (its own cookies, so its own owner secret). The server
runs on a free localhost port with its own empty run store and data folder in a temporary
directory, so it starts with the shipped reference runs only and never touches ./data;
CIFAR-10's URL points at a closed local port (no network).

Every test fails on an exception box in the app or an error in the browser console (in any of
its tabs), and leaves a screenshot in tests/artifacts/e2e/ (git-ignored).

Without the `playwright` package or a Chromium at /usr/bin/chromium (or $BATCHLAB_E2E_CHROMIUM)
these tests are skipped, with the reason, so `pytest` still passes on such a machine.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bench.server import Server, start_server, stop_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "e2e"
CHROMIUM = Path(os.environ.get("BATCHLAB_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class Screen:
    """A browser window: its size in CSS pixels and its zoom (device pixels per CSS pixel)."""

    width: int
    height: int
    zoom: float = 1.0


# A laptop, and a 1920×1080 projector at 125 % zoom (a larger font for the back row): the page is
# laid out in 1536×864 CSS pixels and drawn into 1920×1080 device pixels.
SCREENS = {"laptop": Screen(1400, 1000), "projector": Screen(1536, 864, zoom=1.25)}

APP = "[data-testid='stApp']"
# Streamlit marks its root element with the connection and the script state (checked on 1.67).
CONNECTED_AND_IDLE = f"{APP}[data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']"
# A page loaded at a sub-path (/Train) makes the frontend probe /Train/_stcore/health and
# /Train/_stcore/host-config first; those 404s are expected, and only those.
SUB_PATH_PROBE = re.compile(r"^/.+/_stcore/(health|host-config)$")


def missing_browser() -> str | None:
    """Why the end-to-end tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install playwright)"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set BATCHLAB_E2E_CHROMIUM)"
    return None


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """`streamlit run app.py` on a free port with a fresh store and data folder; stopped at the end."""
    if problem := missing_browser():
        pytest.skip(problem)
    workdir = Path(tempfile.mkdtemp(prefix="batchlab-e2e-"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):  # this session's pictures only, none left from an earlier one
        old.unlink()
    running = start_server(workdir, log=ARTIFACTS / "server.log")
    try:
        yield running
    finally:
        stop_server(running)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (a new tab per test)."""
    if problem := missing_browser():
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class BrowserErrors:
    """Console errors and uncaught page errors, less the expected sub-path probe 404s."""

    def __init__(self, page) -> None:
        self.console: list[tuple[str, str]] = []  # (text, url of the resource it names)
        self.uncaught: list[str] = []
        self.expected_404s: set[str] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.uncaught.append(str(error)))
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            self.console.append((message.text, message.location.get("url", "")))

    def _response(self, response) -> None:
        if response.status == 404 and SUB_PATH_PROBE.match(urlparse(response.url).path):
            self.expected_404s.add(response.url)

    def unexpected(self) -> list[str]:
        errors = [f"uncaught: {text}" for text in self.uncaught]
        for text, url in self.console:
            if text.startswith("Failed to load resource: the server responded with a status of 404") \
                    and url in self.expected_404s:
                continue
            errors.append(f"console: {text} ({url})" if url else f"console: {text}")
        return errors


# The app's script-run id as its React component last rendered it (React internals, checked on
# Streamlit 1.67 / React 18: the stApp element's fiber leads up to the App component, whose state
# holds scriptRunId and scriptRunState). null where that chain is not found.
_RENDERED_RUN_ID = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const fiberKey = app && Object.keys(app).find(key => key.startsWith("__reactFiber$"));
    for (let fiber = fiberKey ? app[fiberKey] : null; fiber; fiber = fiber.return) {
        const state = fiber.stateNode && fiber.stateNode.state;
        if (state && "scriptRunId" in state && "scriptRunState" in state)
            return state.scriptRunState === 'notRunning' ? state.scriptRunId : null;
    }
    return null;
}"""
# What the reader cannot read whole: leaf elements (and inputs) whose text is wider than their
# clipping box, chart labels Vega-Lite shortened with "…", charts and tables past the column's edge.
_READ_CUT = """() => {
  const column = document.querySelector("[data-testid='stMainBlockContainer']").getBoundingClientRect();
  const cut = [];
  for (const el of document.querySelectorAll("[data-testid='stMain'] *, [data-testid='stSidebarContent'] *")) {
    if (el.children.length || el.closest("[data-testid='stVegaLiteChart'], [data-testid='stDataFrame']")) continue;
    const text = (el.tagName === "INPUT" ? el.value : el.textContent).trim();
    if (!text) continue;
    const clipped = el.tagName === "INPUT" || getComputedStyle(el).overflowX !== "visible";
    if (clipped && el.scrollWidth > el.clientWidth + 1) cut.push(text.slice(0, 80));
  }
  for (const label of document.querySelectorAll("[data-testid='stVegaLiteChart'] svg text"))
    if (label.textContent.endsWith("…")) cut.push(label.textContent);
  const wider = [...document.querySelectorAll(
      "[data-testid='stMain'] [data-testid='stVegaLiteChart'], [data-testid='stMain'] [data-testid='stDataFrame']")]
      .filter(e => e.getBoundingClientRect().right > column.right + 1).map(e => e.dataset.testid);
  const main = document.querySelector("[data-testid='stMain']");
  return {cut, wider, scrolls_sideways: main.scrollWidth > main.clientWidth + 1};
}"""
_WATCH_SCRIPT_RUN = f"""() => {{
    const app = document.querySelector("[data-testid='stApp']");
    window.__e2eRunSeen = false;
    if (window.__e2eObserver) window.__e2eObserver.disconnect();
    window.__e2eObserver = new MutationObserver(records => {{
        if (app.dataset.testScriptState === 'running' || records.some(r => r.oldValue === 'running'))
            window.__e2eRunSeen = true;
    }});
    window.__e2eObserver.observe(app, {{attributes: true, attributeOldValue: true,
                                       attributeFilter: ['data-test-script-state']}});
    window.__e2eRenderedRunId = {_RENDERED_RUN_ID};
    return window.__e2eRenderedRunId();
}}"""
_RUN_SEEN_AND_ENDED = """before => {
    if (document.querySelector("[data-testid='stApp']").dataset.testScriptState !== 'notRunning') return false;
    if (window.__e2eRunSeen === true) return true;
    const now = window.__e2eRenderedRunId();
    return before !== null && now !== null && now !== before;
}"""


class App:
    """A browser tab on the app, with the few moves a user makes."""

    def __init__(self, page, base_url: str, name: str, screen: Screen) -> None:
        self.page, self.base_url, self.name, self.screen = page, base_url, name, screen
        self.errors = BrowserErrors(page)
        self.shots = 0

    # -------------------------------------------------------------- waiting
    def wait_until_idle(self) -> None:
        """Connected, no script run in progress, no loading skeletons, no exception box."""
        from playwright.sync_api import expect

        self.page.locator(CONNECTED_AND_IDLE).wait_for()
        expect(self.page.get_by_test_id("stSkeleton")).to_have_count(0)
        self.check_no_exception()

    def after_rerun(self, action) -> None:
        """Do `action` (a widget change that reruns the script) and wait until that run has ended.

        Right after a click the app may still say notRunning (the rerun request is on its way), so
        watch the state attribute change to running and back instead of reading it once. When the
        browser is short of CPU (two cores shared with the server and its workers) the frontend can
        take in a whole quick run, start and end, before it renders once: the attribute then never
        reads running. So a run also counts as seen and ended when the App component has rendered
        a new script-run id with the state notRunning.
        """
        before = self.page.evaluate(_WATCH_SCRIPT_RUN)
        action()
        self.page.wait_for_function(_RUN_SEEN_AND_ENDED, arg=before)
        self.wait_until_idle()

    def check_no_exception(self) -> None:
        exceptions = self.page.get_by_test_id("stException")
        if exceptions.count():
            raise AssertionError(f"the app shows an exception: {exceptions.first.inner_text()[:2000]}")

    # -------------------------------------------------------------- moving around
    def open(self, path: str = "") -> None:
        self.page.goto(f"{self.base_url}/{path}")
        # Every page starts with its title: until it is there the first script run has not drawn
        # anything, and the app can look idle before that run has even started.
        self.page.locator("[data-testid='stMain'] h1").first.wait_for()
        self.wait_until_idle()

    def sidebar(self):
        return self.page.get_by_test_id("stSidebar")

    def open_from_menu(self, label: str) -> None:
        """Click the menu entry `label` in the sidebar and wait for that page's title.

        Every page's title is its menu entry, in either language, except the home page's
        ("Batch Lab 🧪"). The whole title must match: "학습" (Train) is a part of
        "학습률 스케일링 계산기" (Scaling calculator).
        """
        from playwright.sync_api import expect

        # The link's name is the entry alone (its icon is not part of it): match it exactly. A
        # regex with \b would not do, as the browser's \b knows only ASCII word characters.
        self.sidebar().get_by_role("link", name=label, exact=True).click()
        title = re.compile(r"^Batch Lab\b") if label in ("Home", "홈") else label
        expect(self.page.locator("[data-testid='stMain'] h1").first).to_have_text(title)
        self.wait_until_idle()

    # -------------------------------------------------------------- widgets, by their visible labels
    def choose(self, label: str | re.Pattern, option: str | re.Pattern, within=None) -> None:
        """Open the select box labelled `label` and click `option`."""
        from playwright.sync_api import expect

        box = (within or self.page).get_by_role("combobox", name=label)
        shown = box.input_value()
        if option.search(shown) if isinstance(option, re.Pattern) else shown == option:
            return  # already chosen: no rerun to wait for
        # Scroll first: a list opened by a click that scrolls the page closes again on that scroll.
        box.scroll_into_view_if_needed()
        for attempt in range(3):  # a rerun that redraws the widget can close a list just opened: click again
            box.click()
            try:
                expect(box).to_have_attribute("aria-expanded", "true", timeout=5_000)
                break
            except AssertionError:
                if attempt == 2:
                    raise
                self.wait_until_idle()
        # The list of options is drawn in a layer of its own, outside the widget.
        self.after_rerun(lambda: self.page.get_by_role("option", name=option).click())

    def set_number(self, label: str | re.Pattern, value: float | int, within=None) -> None:
        """Type `value` into the number box labelled `label` and press Enter."""
        box = (within or self.page).get_by_label(label)
        if box.input_value() == str(value):
            return
        box.fill(str(value))
        self.after_rerun(lambda: box.press("Enter"))

    def click(self, name: str, within=None) -> None:
        """Press the button `name` and wait for the run it starts."""
        self.after_rerun(lambda: (within or self.page).get_by_role("button", name=name, exact=True).click())

    def metric(self, label: str):
        """The value of the st.metric labelled `label`."""
        return self.page.get_by_test_id("stMetric").filter(
            has=self.page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
        ).get_by_test_id("stMetricValue")

    # -------------------------------------------------------------- evidence
    def check_fits(self, what: str = "") -> None:
        """Nothing on the page is cut off and nothing runs past the page's column (see _READ_CUT)."""
        found = self.page.evaluate(_READ_CUT)
        assert found == {"cut": [], "wider": [], "scrolls_sideways": False}, (what, found)

    def screenshot(self, label: str = "") -> Path:
        """The whole page (main area and sidebar), as a PNG in tests/artifacts/e2e/."""
        self.shots += 1
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{self.name}-{label}" if label else self.name).strip("-")
        path = ARTIFACTS / f"{name}.png"
        # The main area scrolls inside the window: make the window as tall as the content for the picture.
        height = self.page.evaluate("""() => Math.max(...["stMain", "stSidebarContent"].map(id =>
            document.querySelector(`[data-testid='${id}']`)?.scrollHeight || 0))""")
        self.page.set_viewport_size({"width": self.screen.width,
                                     "height": min(max(height, self.screen.height), 8000)})
        # Charts lay themselves out again for the new size; two animation frames later they are drawn.
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size({"width": self.screen.width, "height": self.screen.height})
        return path


class People:
    """Browser tabs on the one server, each in a browser context of its own: its own cookies, so its own
    owner secret (pages/ui/identity.py), as if each were a different person on a different computer."""

    def __init__(self, request, browser, server: Server) -> None:
        self.request, self.browser, self.server = request, browser, server
        self.apps: list[App] = []
        self._contexts: list = []

    def __call__(self, *who: str, screen: str = "laptop") -> tuple[App, ...]:
        """A new person (a new context and tab, a new Streamlit session) for each name in `who`."""
        return tuple(self.open(name, screen) for name in who)

    def open(self, who: str = "", screen: str = "laptop") -> App:
        from playwright.sync_api import expect

        self.server.check_alive()
        size = SCREENS[screen]
        context = self.browser.new_context(viewport={"width": size.width, "height": size.height},
                                           device_scale_factor=size.zoom)
        self._contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)  # ms; a first page load imports torch-backed modules on 2 cores
        expect.set_options(timeout=30_000)
        name = f"{self.request.node.name}-{who}" if who else self.request.node.name
        app = App(page, self.server.url, name, size)
        self.apps.append(app)
        return app

    def check(self) -> None:
        """Every tab: no exception box, no unexpected error in its browser console."""
        for app in self.apps:
            app.check_no_exception()
            errors = app.errors.unexpected()
            assert not errors, f"errors in the browser ({app.name}):\n" + "\n".join(errors)

    def close(self) -> None:
        """Photograph every tab that has no picture yet, or all of them when the test failed; close them."""
        failed = getattr(self.request.node, "call_failed", False)
        for app in self.apps:
            if app.shots == 0 or failed:
                # a screenshot is evidence, not a check: never hide the real failure
                with contextlib.suppress(Exception):
                    app.screenshot("failed" if failed else "")
        for context in self._contexts:
            context.close()


@pytest.fixture
def people(request, browser, server) -> Iterator[People]:
    """Several people on the running app, each in a browser context of their own (own cookies, own
    Streamlit session): `teacher, student = people("teacher", "student")`. Checked and photographed at
    the end, as `app` is."""
    found = People(request, browser, server)
    try:
        yield found
    finally:
        found.close()


@pytest.fixture
def app(request, people):
    """A new tab (a new Streamlit session) on the running app; checked and photographed at the end.

    On a laptop's screen, or on the SCREENS entry a test names (parametrize "app" with indirect=True)."""
    return people.open(screen=getattr(request, "param", "laptop"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a test's own checks passed: fail it on an exception box or a browser console error."""
    item.call_failed = True  # until the test and these checks have passed: the page fixture photographs it
    result = yield
    people = item.funcargs.get("people")
    if isinstance(people, People):  # every tab the test opened, through `app` or `people`
        people.check()
    item.call_failed = False
    return result
