"""The README's open command, exactly as written, as a new student would run it.

The command is read from README.md (after ``<!-- command:open -->``, as ``.ci/run`` reads the
test command) and run with bash in a copy of the course owned by a normal user (``nobody``
when the tests run as root: the README command must not need ``--allow-root``). The copy's
``.venv`` is the environment built from binder/ (see ``fresh_env``), so the command's own
install step only has to add the course package; building a fresh environment from nothing is
what the test command itself does in CI.

The browser the server asks for is a recorder (``BROWSER``), so the test opens exactly what a
learner's browser would. Then, in headless Chromium: Lesson 0 is open, the file browser shows
the whole course (lessons, exercises, solutions, data), no "Jupyter news" prompt appears,
Lesson 1 opens from the file browser, and its exercise link opens the exercise. The server
listens on 127.0.0.1 only and refuses API calls without its token.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fresh_env import FreshCourse, learner_course
from lab_driver import BUILD, readme_command, wait_until

LESSON_1 = "lessons/01_chinas_position.ipynb"
EXERCISE_1 = "exercises/01_chinas_position.ipynb"
START_TIMEOUT_S = 900  # on a first run the command installs JupyterLab and the rest into .venv
LISTEN_TIMEOUT_S = 60  # from the printed URL to an open port
URL_IN_LOG = re.compile(r"(http://127\.0\.0\.1:(\d+)/lab\?token=([0-9a-f]+))")
NEWS_PROMPT = re.compile(r"official Jupyter news", re.IGNORECASE)
VISIBLE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


@pytest.fixture(scope="module")
def course() -> FreshCourse:
    return learner_course()


class OpenCommand:
    def __init__(self, course: FreshCourse) -> None:
        self.course = course
        self.log = course.home / "open-command.log"
        self.opened = course.home / "browser-opened.txt"
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.port = 0
        self.token = ""

    def start(self) -> None:
        recorder = self.course.home / "record-browser"
        recorder.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{self.opened}"\n', encoding="utf-8")
        recorder.chmod(0o755)
        if not self.course.user.is_me:
            os.chown(recorder, self.course.user.uid, self.course.user.gid)
        self.opened.unlink(missing_ok=True)
        env = self.course.env(BROWSER=f"{recorder} %s")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["bash", "-c", readme_command("open")], cwd=self.course.folder, env=env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **self.course.popen_user(),
            )
        found = wait_until(lambda: self._exited() or URL_IN_LOG.search(self.log_text()), START_TIMEOUT_S, 0.25)
        if not isinstance(found, re.Match):
            pytest.fail(f"the README's open command did not start JupyterLab:\n{self.log_text()[-4000:]}", pytrace=False)
        self.url, port, self.token = found.groups()
        self.port = int(port)
        # Jupyter Server prints its URL before its event loop binds the port (the bind is a loop
        # callback), so on a busy machine the first request can come too early: wait for the socket.
        if not wait_until(lambda: self._exited() or self._accepts(), LISTEN_TIMEOUT_S, 0.1) or self._exited():
            pytest.fail(f"JupyterLab printed {self.url} but did not listen on port {self.port}:\n"
                        f"{self.log_text()[-4000:]}", pytrace=False)

    def _accepts(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def _exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def log_text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def api(self, path: str, *, token: bool = True) -> Any:
        headers = {"Authorization": f"token {self.token}"} if token else {}
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # bash and the server it started: our own process group
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def opened(course: FreshCourse) -> Iterator[OpenCommand]:
    server = OpenCommand(course)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def test_server_listens_on_localhost_and_requires_its_token(opened: OpenCommand) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        opened.api("/api/status", token=False)
    assert refused.value.code == 403
    assert "started" in opened.api("/api/status")
    listening = subprocess.run(["ss", "-ltnH", f"sport = :{opened.port}"], capture_output=True, text=True, check=False)
    if listening.returncode == 0 and listening.stdout:
        addresses = {line.split()[3].rsplit(":", 1)[0] for line in listening.stdout.splitlines()}
        assert addresses <= {"127.0.0.1", "[::1]", "[::ffff:127.0.0.1]"}, addresses


def test_the_course_setting_switches_off_the_news_prompt(opened: OpenCommand) -> None:
    # Overrides become the schema's defaults; the learner's own settings (none here) would win.
    setting = opened.api("/lab/api/settings/@jupyterlab/apputils-extension:notification")
    defaults = {name: spec.get("default") for name, spec in setting["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false", defaults
    assert defaults["checkForUpdates"] is False, defaults


def entry(page: Any, name: str) -> Any:
    """The file browser's row for ``name`` (a row's text also holds its modification time)."""
    label = page.locator(".jp-DirListing-itemText", has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))
    return page.locator(".jp-DirListing-item").filter(has=label).first


def test_root_is_the_course_and_lesson_1_links_to_its_exercise(opened: OpenCommand, new_browser: Any) -> None:
    contents = opened.api("/api/contents")
    names = {item["name"] for item in contents["content"]}
    assert {"lessons", "exercises", "solutions", "data"} <= names, f"the server's root folder holds {sorted(names)}"

    asked = wait_until(lambda: opened.opened.exists() and opened.opened.read_text(encoding="utf-8").strip(), 30)
    assert asked, "the open command did not ask for a browser"
    first = asked.splitlines()[0]
    target = first if "://" in first else Path(first).as_uri()
    if target.startswith("file://"):
        redirect = Path(target.removeprefix("file://")).read_text(encoding="utf-8")
        assert "lab/tree/lessons/00_start_here.ipynb" in redirect, redirect[:500]

    shots = BUILD / "open-command"
    shots.mkdir(parents=True, exist_ok=True)
    with new_browser() as browser:
        page = browser.context.new_page()
        try:
            page.goto(target, wait_until="domcontentloaded")
            page.wait_for_url(re.compile(r"/lab/tree/lessons/00_start_here\.ipynb"), timeout=120_000)
            page.locator(f"{VISIBLE_PANEL} .jp-Notebook .jp-Cell").first.wait_for(timeout=120_000)

            listing = page.locator(".jp-DirListing-content .jp-DirListing-itemName")
            listing.first.wait_for(timeout=60_000)
            # Open Lesson 1 from the file browser, as a student would.
            page.locator(".jp-BreadCrumbs-home").click()
            entry(page, "lessons").dblclick()
            entry(page, "01_chinas_position.ipynb").dblclick()
            page.wait_for_url(re.compile(re.escape(f"/lab/tree/{LESSON_1}")), timeout=60_000)

            link = page.locator(f"{VISIBLE_PANEL} .jp-RenderedMarkdown a", has_text=EXERCISE_1).first
            scroller = page.locator(f"{VISIBLE_PANEL} .jp-WindowedPanel-outer").first
            deadline = time.monotonic() + 60
            while link.count() == 0 and time.monotonic() < deadline:
                scroller.evaluate("el => { el.scrollTop = el.scrollHeight; }")
                page.wait_for_timeout(250)
            assert link.count(), f"no link to {EXERCISE_1} in {LESSON_1}"
            link.scroll_into_view_if_needed()
            link.click()
            page.wait_for_url(re.compile(re.escape(f"/lab/tree/{EXERCISE_1}")), timeout=60_000)
            heading = page.locator(f"{VISIBLE_PANEL} .jp-RenderedMarkdown h1").first
            heading.wait_for(timeout=60_000)
            assert "xercise" in heading.inner_text(), heading.inner_text()
            page.screenshot(path=str(shots / "exercise-opened-from-lesson-1.png"))

            news = page.get_by_text(NEWS_PROMPT)
            assert news.count() == 0, "the 'Jupyter news' prompt is shown"
            assert browser.blocked == [], f"requests left 127.0.0.1: {browser.blocked}"
        except Exception:
            page.screenshot(path=str(shots / "FAILED.png"))
            raise
