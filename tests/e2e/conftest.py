"""End-to-end tests: the course notebooks in a real JupyterLab, in headless Chromium.

One JupyterLab server and one browser serve each test process (under ``-n``, the root
conftest.py splits the browser tests into units by chapter, each run by one worker with its
own server and browser, and each notebook's tests stay in one unit). The server works on a
copy of lessons/, exercises/, solutions/ and data/ in a temporary folder (Run All and
autosave never touch the repository), with its own HOME, Jupyter config, runtime,
data, settings and workspaces folders, token authentication on, and a settings
override that puts every notebook cell in the DOM and turns off news and update
checks. The notebooks are opened one after another in one JupyterLab page (JupyterLab
starts once, not once per notebook); each is opened, cleared and run once, shared by the
tests that need it, then closed and its kernel shut down before the next one opens.

The browser may talk to 127.0.0.1/localhost only: every other request (WebSockets included)
fails at once at a refusing proxy and is recorded, and the tests assert the record is empty.

Needs Debian's ``chromium`` at /usr/bin/chromium and the ``playwright`` Python package
(no Playwright browser download). Without them the tests are skipped, unless the
environment variable ``CI`` is set, in which case they fail.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from lab_driver import BUILD, REPO, SCREENSHOTS, NotebookPage, StoredNotebook
from tests.refusing_proxy import leaves_the_machine, refusing_proxy

CHROMIUM = Path("/usr/bin/chromium")
COURSE_FOLDERS = ("lessons", "exercises", "solutions", "data")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Defaults layered under the (empty) user settings of the test server.
SETTING_OVERRIDES = {
    # Attach every cell to the DOM, so selectors see the whole notebook.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    # No request to the Jupyter news feed or the release check.
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # Start in the light theme whatever the system prefers (the dark one is tested on purpose).
    "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Light", "adaptive-theme": False},
}
INSTALL_HINT = "install Debian's chromium package to run the browser tests (apt-get install chromium)"


# ------------------------------------------------------------ requirements
def _missing_requirement() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found: {INSTALL_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'the playwright Python package is missing: pip install -e ".[test]"'
    return None


@pytest.fixture(scope="session", autouse=True)
def _browser_requirements() -> None:
    """Skip the browser tests when Chromium or Playwright is missing; fail on CI."""
    problem = _missing_requirement()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the browser tests cannot run: {problem}", pytrace=False)
    pytest.skip(problem)


def _this_run() -> str:
    """The same for every worker of one pytest run (pytest-xdist's run id), different for the next run."""
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid-{os.getpid()}"


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold a lock on ``folder`` (the browser units of one run may share build/e2e)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def _fresh_screenshots(_browser_requirements: None) -> None:
    """Screenshots of an earlier run must not pass for this run's (those of this run's other worker stay)."""
    with _locked(BUILD):
        marker = SCREENSHOTS / ".run"
        if not marker.is_file() or marker.read_text(encoding="utf-8") != _this_run():
            shutil.rmtree(SCREENSHOTS, ignore_errors=True)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            marker.write_text(_this_run(), encoding="utf-8")


# ---------------------------------------------------------------- timings
@dataclass
class Timings:
    run_all_s: dict[str, float] = field(default_factory=dict)
    run_all_attempts: dict[str, int] = field(default_factory=dict)
    page_ready_s: dict[str, float] = field(default_factory=dict)
    explorer_update_s: dict[str, list[float]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "run_all_seconds": self.run_all_s,
            "run_all_attempts": self.run_all_attempts,
            "page_open_to_kernel_idle_seconds": self.page_ready_s,
            "explorer_update_seconds": {
                name: {"samples": samples, "median": statistics.median(samples)}
                for name, samples in self.explorer_update_s.items()
                if samples
            },
        }


TIMINGS = Timings()


@pytest.fixture(scope="session")
def timings() -> Timings:
    return TIMINGS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not (TIMINGS.run_all_s or TIMINGS.explorer_update_s):
        return
    write = terminalreporter.write_line
    terminalreporter.section("e2e timings (measured, not asserted)")
    write(f"{'notebook':<40} {'open -> idle kernel (s)':>24} {'Run All -> last cell (s)':>25} {'attempts':>9}")
    for name, seconds in sorted(TIMINGS.run_all_s.items()):
        ready = TIMINGS.page_ready_s.get(name, float("nan"))
        write(f"{name:<40} {ready:>24.2f} {seconds:>25.2f} {TIMINGS.run_all_attempts.get(name, 1):>9}")
    for name, samples in sorted(TIMINGS.explorer_update_s.items()):
        shown = ", ".join(f"{s:.3f}" for s in samples)
        write(
            f"{name:<40} explorer change -> chart: median {statistics.median(samples):.3f} s "
            f"over {len(samples)} changes ({shown})"
        )
    write(f"written: {BUILD / 'timings.json'}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the timings where the benchmark reads them (in the process that measured them: an xdist worker).

    The browser units of one run add to one file; a new run starts it afresh.
    """
    if not (TIMINGS.run_all_s or TIMINGS.explorer_update_s):
        return
    target = BUILD / "timings.json"
    with _locked(BUILD):
        try:
            earlier = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            earlier = {}
        mine = TIMINGS.as_json()
        if earlier.get("run") == _this_run():
            for key, values in mine.items():
                mine[key] = {**earlier.get(key, {}), **values}
        target.write_text(json.dumps({"run": _this_run(), **mine}, indent=2) + "\n", encoding="utf-8")


# ------------------------------------------------------------------ server
@dataclass
class LabServer:
    base_url: str
    token: str
    root: Path
    progress_file: Path
    log_file: Path

    def api(self, path: str, method: str = "GET", body: Any = None) -> Any:
        request = urllib.request.Request(
            f"{self.base_url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
            data=None if body is None else json.dumps(body).encode(),
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _clear_stored_outputs(folder: Path) -> None:
    """Take the stored outputs (and saved widget state) out of every notebook copied to ``folder``.

    Each notebook is cleared before its Run All anyway (stored outputs must not pass for fresh
    ones); a page that first draws every stored chart and widget only to clear them took seconds
    longer to open. What the saved files hold is read from the repository (``saved_notebook``).
    """
    for path in folder.rglob("*.ipynb"):
        document = json.loads(path.read_text(encoding="utf-8"))
        for cell in document.get("cells", []):
            if cell.get("cell_type") == "code":
                cell["outputs"], cell["execution_count"] = [], None
        document.get("metadata", {}).pop("widgets", None)
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def saved_notebook(server: LabServer, rel_path: str) -> StoredNotebook:
    """The notebook as saved in the repository (the server's copy has no outputs); a notebook that a
    test wrote into the server's folder is read from there."""
    saved = REPO / rel_path
    return StoredNotebook.read(saved if saved.is_file() else server.root / rel_path)


@pytest.fixture(scope="session")
def lab_server(_browser_requirements: None, _fresh_screenshots: None) -> Iterator[LabServer]:
    top = Path(tempfile.mkdtemp(prefix="balancing-act-e2e-"))
    course = top / "course"
    for name in COURSE_FOLDERS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, course / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    _clear_stored_outputs(course)
    home, config, data, runtime = top / "home", top / "jupyter-config", top / "jupyter-data", top / "runtime"
    settings, workspaces = top / "user-settings", top / "workspaces"
    for folder in (home, config, data, runtime, settings, workspaces):
        folder.mkdir(parents=True, exist_ok=True)
    # JupyterLab 4.6 (jupyterlab_server) layers <config dir>/labconfig/default_setting_overrides.json
    # under the user settings; JUPYTERLAB_SETTINGS_DIR points the user settings at an empty folder.
    _write_json(config / "labconfig" / "default_setting_overrides.json", SETTING_OVERRIDES)
    # The kernel is this interpreter (the one with the course package installed), whatever
    # other "python3" kernel specs the machine or the environment has: with
    # JUPYTER_PREFER_ENV_PATH=0 (below) this data dir is searched first.
    _write_json(
        data / "kernels" / "python3" / "kernel.json",
        {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "metadata": {"debugger": True},
        },
    )
    progress_file = top / "progress" / "progress.json"
    progress_file.parent.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER", "IPYTHON")) and key not in {"PYTHONSTARTUP"}
    }
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTER_DATA_DIR=str(data),
        JUPYTER_RUNTIME_DIR=str(runtime),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(workspaces),
        IPYTHONDIR=str(home / ".ipython"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        JUPYTER_PREFER_ENV_PATH="0",
        BALANCING_ACT_PROGRESS=str(progress_file),
        BALANCING_ACT_DATA=str(course / "data"),
    )
    token = secrets.token_hex(24)
    port = _free_port()
    log_file = top / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={course}",
        f"--LabApp.workspaces_dir={workspaces}",
        f"--LabApp.user_settings_dir={settings}",
        "--ServerApp.allow_remote_access=False",
        # window.jupyterapp, so one page can open the next notebook (docmanager:open) and
        # close the last without a dialog: JupyterLab starts in a page once, not per notebook.
        "--LabApp.expose_app_in_browser=True",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    with log_file.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, env=env, cwd=course, stdout=log, stderr=subprocess.STDOUT)
    server = LabServer(f"http://127.0.0.1:{port}", token, course, progress_file, log_file)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {process.returncode}:\n{server.log_tail()}", pytrace=False)
            try:
                server.api("/api/status")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within 90 s:\n{server.log_tail()}", pytrace=False)
                time.sleep(0.25)
        # The settings override must be in effect, and the kernel must be this Python.
        tracker = server.api("/lab/api/settings/@jupyterlab/notebook-extension:tracker")
        assert tracker["schema"]["properties"]["windowingMode"]["default"] == "none", (
            "the settings override (windowingMode none) was not applied; JupyterLab may read "
            "overrides from a different place in this version"
        )
        specs = server.api("/api/kernelspecs")
        argv = specs["kernelspecs"]["python3"]["spec"]["argv"]
        assert Path(argv[0]) == Path(sys.executable), f"kernel python3 runs {argv[0]}, not {sys.executable}"
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(top, ignore_errors=True)


# ----------------------------------------------------------------- browser
@dataclass
class Browser:
    context: Any
    blocked: list[str]


@pytest.fixture(scope="session")
def playwright_instance(_browser_requirements: None) -> Iterator[Any]:
    """One Playwright driver per test process (the sync API allows only one per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@contextmanager
def local_only_browser(playwright: Any, **options: Any) -> Iterator[Browser]:
    """Debian's Chromium in a new profile; every request for another host fails at once and is recorded.

    The refusal is Chromium's own (see tests/refusing_proxy.py): nothing sits between the pages
    and the server, so the kernel's messages reach the page as they would a learner's browser.
    """
    profile = Path(tempfile.mkdtemp(prefix="balancing-act-chromium-"))
    blocked: list[str] = []

    def watch(page: Any) -> None:
        page.on("websocket", lambda ws: blocked.append(f"WEBSOCKET {ws.url}") if leaves_the_machine(ws.url) else None)

    with refusing_proxy() as proxy:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=[*BROWSER_ARGS, *proxy],
            viewport={"width": 1400, "height": 1600},
            color_scheme="light",
            service_workers="block",
            **options,
        )
        context.set_default_timeout(60_000)
        context.on("request", lambda r: blocked.append(f"{r.method} {r.url}") if leaves_the_machine(r.url) else None)
        context.on("page", watch)
        for page in context.pages:
            watch(page)
        try:
            yield Browser(context, blocked)
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def new_browser(playwright_instance: Any) -> Callable[..., Any]:
    """``with new_browser() as b:`` a browser of its own, with the same network rules."""
    return lambda **options: local_only_browser(playwright_instance, **options)


@pytest.fixture(scope="session")
def browser(lab_server: LabServer, playwright_instance: Any) -> Iterator[Browser]:
    with local_only_browser(playwright_instance) as shared:
        yield shared


# ---------------------------------------------------------------- notebooks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Group the browser tests by notebook, so each notebook is opened and run once.

    Tests without a notebook parameter come first; then, notebook by notebook, the
    tests in file order (test_1 run all, test_2 interactions, test_3 accessibility).
    Other tests keep their places in front of these.
    """
    here = Path(__file__).parent
    ours = [i for i in items if Path(str(i.path)).parent == here]
    if not ours:
        return
    order = {item: n for n, item in enumerate(items)}

    def key(item: pytest.Item) -> tuple[int, str, int]:
        callspec = getattr(item, "callspec", None)
        rel_path = callspec.params.get("rel_path") if callspec is not None else None
        if rel_path is None:
            return (0, "", order[item])
        return (1, str(rel_path), order[item])

    others = [i for i in items if i not in set(ours)]
    items[:] = others + sorted(ours, key=key)


@pytest.fixture(scope="session")
def notebook(lab_server: LabServer, browser: Browser, timings: Timings) -> Iterator[Callable[[str], NotebookPage]]:
    """``notebook("lessons/x.ipynb")``: that notebook opened, cleared and run.

    The notebook stays open for the tests that follow and is closed, and its kernel shut
    down, when another notebook is asked for: one notebook at a time keeps the machine
    responsive. All notebooks open in the same JupyterLab page; after a notebook fails to
    open or run, that page is closed and the next notebook starts in a fresh page (and a
    fresh workspace), so one failure cannot spoil the notebooks after it.
    """
    current: dict[str, NotebookPage] = {}
    failed: dict[str, str] = {}
    shutdowns: list[threading.Thread] = []
    pages: list[Any] = []  # the shared page, once opened

    def shut_down_kernel(rel_path: str) -> None:
        try:
            for session in lab_server.api("/api/sessions"):
                if session.get("path") == rel_path:
                    lab_server.api(f"/api/sessions/{session['id']}", method="DELETE")
        except Exception:
            pass

    def shared_page() -> Any:
        if not pages:
            pages.append(browser.context.new_page())
        return pages[0]

    def discard_page() -> None:
        if pages:
            try:
                pages.pop().close()
            except Exception:
                pass

    def shut_down_later(rel_path: str) -> None:
        # The server waits for the kernel to exit (about a second): not on the test's time.
        thread = threading.Thread(target=shut_down_kernel, args=(rel_path,), daemon=True)
        thread.start()
        shutdowns.append(thread)

    def close(rel_path: str) -> None:
        nb = current.pop(rel_path)
        try:
            nb.close()
        except Exception:
            discard_page()  # a page that cannot close a notebook is not reused
        shut_down_later(rel_path)

    def get(rel_path: str) -> NotebookPage:
        if rel_path in failed:
            pytest.fail(f"{rel_path} could not be opened and run earlier: {failed[rel_path]}", pytrace=False)
        if rel_path not in current:
            for other in list(current):
                close(other)
            stored = saved_notebook(lab_server, rel_path)
            nb = NotebookPage(shared_page(), lab_server.base_url, lab_server.token, rel_path, stored)
            try:
                started = time.perf_counter()
                nb.open(workspace=f"e2e-{len(failed) + 1}")
                opened_after = time.perf_counter() - started
                nb.clear_all_outputs()
                assert nb.page.locator(".jp-Notebook .vega-embed").count() == 0, "charts left after clearing"
                report = nb.run_all()
            except Exception as exc:
                failed[rel_path] = f"{type(exc).__name__}: {exc}"
                try:
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    nb.page.screenshot(path=str(SCREENSHOTS / f"FAILED-{rel_path.replace('/', '-')}.png"))
                except Exception:
                    pass
                discard_page()
                shut_down_later(rel_path)
                raise
            if rel_path.split("/")[0] in COURSE_FOLDERS:
                timings.run_all_s[rel_path] = report.seconds
                timings.run_all_attempts[rel_path] = report.attempts
                timings.page_ready_s[rel_path] = round(opened_after, 2)
            current[rel_path] = nb
        return current[rel_path]

    yield get
    for rel_path in list(current):
        close(rel_path)
    discard_page()
    for thread in shutdowns:
        thread.join(timeout=30)
