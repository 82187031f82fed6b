"""Drive one notebook in a real JupyterLab page with Playwright (sync API).

Everything that depends on JupyterLab's DOM is in this module, so a change of
JupyterLab version means checking the selectors here and nowhere else. They were
written against JupyterLab 4.6 and ipywidgets 8.1:

- a notebook cell is ``.jp-Notebook .jp-Cell``; a code cell also has ``.jp-CodeCell``;
  its prompt ``.jp-InputPrompt`` reads ``[ ]:``, ``[*]:`` or ``[12]:``;
- the kernel activity indicator in the notebook toolbar is
  ``.jp-Notebook-ExecutionIndicator[data-status=...]`` (``initializing``, ``busy``,
  ``idle``...), and the kernel name is the toolbar item ``[data-jp-item-name=kernelName]``;
- menu entries are ``li.lm-Menu-item[data-command=...]`` (``editmenu:clear-all``,
  ``runmenu:run-all``, ``apputils:change-theme``);
- every output is a ``.jp-OutputArea-output``; stderr and error outputs carry
  ``data-mime-type="application/vnd.jupyter.stderr"``;
- Vega-Lite charts are drawn by vega-embed into ``.vega-embed`` (a ``canvas`` with the
  default renderer), whose ``[role=graphics-document]`` carries the chart's
  ``description`` as ``aria-label``;
- ipywidgets views are ``.jupyter-widgets`` (``.widget-dropdown``, ``.widget-radio-box``...).
"""

from __future__ import annotations

import importlib.resources
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import Locator, Page
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # collection still works; conftest skips (or fails on CI)
    PlaywrightError = PlaywrightTimeout = Exception  # type: ignore[assignment,misc]
    Locator = Page = Any  # type: ignore[assignment,misc]

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build" / "e2e"
SCREENSHOTS = BUILD / "screenshots"

VEGA_LITE_MIME = re.compile(r"^application/vnd\.vegalite\.v\d+\+json$")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
STDERR_SELECTOR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
INDICATOR = ".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator"

# How long to wait for a Run All to show its first queued cell before it is
# considered dropped and issued again.
RUN_ALL_START_TIMEOUT_MS = 8_000
RUN_ALL_ATTEMPTS = 3
# Upper bound for a whole notebook to run; generous, the lessons take seconds.
RUN_ALL_FINISH_TIMEOUT_MS = 300_000
LOAD_TIMEOUT_MS = 120_000


def discover(folder: str) -> list[str]:
    """Notebook paths like ``lessons/00_start_here.ipynb`` in the repository, sorted."""
    return sorted(f"{folder}/{p.name}" for p in (REPO / folder).glob("*.ipynb"))


@dataclass
class StoredNotebook:
    """What the saved .ipynb file says, read before the page is opened."""

    path: Path
    cells: list[dict[str, Any]]

    @classmethod
    def read(cls, path: Path) -> StoredNotebook:
        return cls(path, json.loads(path.read_text(encoding="utf-8"))["cells"])

    @property
    def code_cells(self) -> list[dict[str, Any]]:
        return [c for c in self.cells if c["cell_type"] == "code"]

    def source(self, cell: dict[str, Any]) -> str:
        src = cell.get("source", "")
        return "".join(src) if isinstance(src, list) else str(src)

    def outputs_with_mime(self, pattern: re.Pattern[str] | str) -> int:
        """How many stored outputs carry a MIME type matching ``pattern``."""
        count = 0
        for cell in self.code_cells:
            for output in cell.get("outputs", []):
                for mime in output.get("data", {}):
                    if (pattern.match(mime) if isinstance(pattern, re.Pattern) else mime == pattern):
                        count += 1
                        break
        return count

    def cell_indices(self, *, tag: str | None = None, source_pattern: str | None = None) -> list[int]:
        """Indices (among all cells) of code cells with ``tag`` and/or matching source."""
        found = []
        for index, cell in enumerate(self.cells):
            if cell["cell_type"] != "code":
                continue
            if tag is not None and tag not in cell.get("metadata", {}).get("tags", []):
                continue
            if source_pattern is not None and not re.search(source_pattern, self.source(cell)):
                continue
            found.append(index)
        return found


@dataclass
class RunReport:
    """What happened during one Run All."""

    seconds: float
    attempts: int
    prompts: list[str]
    never_queued: list[int] = field(default_factory=list)


# Installed before Run All: marks each code cell whose prompt ever shows "[*]" and
# records the page time of the last prompt that turned into a number.
_WATCH_PROMPTS = """
() => {
  const nb = document.querySelector('.jp-NotebookPanel .jp-Notebook');
  const state = { start: null, lastDone: null, queued: new Set() };
  const scan = () => {
    const prompts = [...nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
    prompts.forEach((p, i) => {
      const text = p.textContent.trim();
      if (text === '[*]:') { state.queued.add(i); }
      else if (/^\\[\\d+\\]:$/.test(text) && state.queued.has(i)) {
        if (p.dataset.e2eDone !== text) { p.dataset.e2eDone = text; state.lastDone = performance.now(); }
      }
    });
  };
  if (window.__e2eObserver) { window.__e2eObserver.disconnect(); }
  window.__e2eObserver = new MutationObserver(scan);
  window.__e2eObserver.observe(nb, { subtree: true, childList: true, characterData: true });
  window.__e2eRun = state;
  scan();
}
"""

_PROMPTS = "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim())"


class NotebookPage:
    """One notebook open in a JupyterLab page (the only notebook open in it)."""

    def __init__(self, page: Page, base_url: str, token: str, rel_path: str, stored: StoredNotebook) -> None:
        self.page = page
        self.base_url = base_url
        self.token = token
        self.rel_path = rel_path
        self.stored = stored
        self.run_report: RunReport | None = None

    # ------------------------------------------------------------- opening
    def open(self, workspace: str) -> None:
        """Open the notebook and wait for its kernel to be idle.

        A page that already runs JupyterLab (the test server sets ``expose_app_in_browser``)
        opens it with the ``docmanager:open`` command, as File > Open would; otherwise the page
        loads JupyterLab at the notebook's URL in ``workspace``. Starting JupyterLab in a page
        takes about 7 s, opening a notebook in a running one well under a second.
        """
        if self.lab_running():
            self.page.evaluate(
                "async path => { await window.jupyterapp.commands.execute('docmanager:open',"
                " {path, factory: 'Notebook'}); return true; }",
                self.rel_path,
            )
        else:
            url = f"{self.base_url}/lab/workspaces/{workspace}/tree/{quote(self.rel_path)}?token={self.token}"
            self.page.goto(url, wait_until="domcontentloaded", timeout=LOAD_TIMEOUT_MS)
        expected = len(self.stored.cells)
        # windowingMode "none" (set by the test server's settings) puts every cell in the DOM.
        self.page.wait_for_function(
            """n => document.querySelectorAll('.jp-NotebookPanel').length === 1
                   && document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell').length === n""",
            arg=expected,
            timeout=LOAD_TIMEOUT_MS,
        )
        self.wait_kernel_ready()

    def lab_running(self) -> bool:
        """The page has JupyterLab loaded from this server, started and ready for commands."""
        if not self.page.url.startswith(f"{self.base_url}/lab"):
            return False
        return bool(self.page.evaluate("() => Boolean(window.jupyterapp && window.jupyterapp.shell)"))

    def close(self) -> None:
        """Close the notebook's panel without saving, and wait until no notebook panel is left.

        The panel is disposed, which closes it without the "save your changes?" dialog that
        File > Close asks after Run All changed every output; its dirty flag is cleared first,
        so the closed document is not left marked unsaved. Its kernel keeps running: the caller
        shuts it down through the server's API, which waits for the kernel to exit, off the
        test's time.
        """
        self.page.evaluate(
            """path => {
                 for (const widget of [...window.jupyterapp.shell.widgets('main')]) {
                   if (widget.context && widget.context.path === path) {
                     widget.context.model.dirty = false;
                     widget.dispose();
                   }
                 }
               }""",
            self.rel_path,
        )
        self.page.wait_for_function(
            "() => document.querySelectorAll('.jp-NotebookPanel').length === 0", timeout=30_000
        )

    def wait_kernel_ready(self) -> None:
        """A kernel is attached (toolbar names it) and the indicator says idle."""
        self.page.wait_for_function(
            """sel => {
                 const name = document.querySelector('.jp-NotebookPanel-toolbar [data-jp-item-name="kernelName"]');
                 const ind = document.querySelector(sel);
                 return name && !/No Kernel|Connecting|Starting/i.test(name.textContent)
                        && ind && ind.dataset.status === 'idle';
               }""",
            arg=INDICATOR,
            timeout=LOAD_TIMEOUT_MS,
        )

    # --------------------------------------------------------------- menus
    def menu_command(self, menu: str, command: str, text: str | None = None, submenu: str | None = None) -> None:
        """Click ``menu`` in the menu bar (and ``submenu``), then the item for ``command``."""
        self.page.keyboard.press("Escape")  # close anything left open
        self.page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{re.escape(menu)}$")).click()
        if submenu is not None:
            self.page.locator(".lm-Menu .lm-Menu-item", has_text=re.compile(rf"^{re.escape(submenu)}$")).first.click()
        item = self.page.locator(f'.lm-Menu li.lm-Menu-item[data-command="{command}"]:not(.lm-mod-disabled)')
        if text is not None:
            item = item.filter(has_text=re.compile(rf"^{re.escape(text)}"))
        item.first.click()

    # ----------------------------------------------------------- execution
    def clear_all_outputs(self) -> None:
        """Edit > Clear Outputs of All Cells; wait until no output and no count is left."""
        self.menu_command("Edit", "editmenu:clear-all")
        self.page.wait_for_function(
            f"""() => document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').length === 0
                   && ({_PROMPTS})().every(p => p === '[ ]:')""",
            timeout=30_000,
        )

    def run_all(self) -> RunReport:
        """Run > Run All Cells, retried if it is silently dropped; wait for the end."""
        self.page.evaluate(_WATCH_PROMPTS)
        attempts = 0
        while True:
            attempts += 1
            self.wait_kernel_ready()
            self.page.evaluate("() => { window.__e2eRun.start = performance.now(); }")
            self.menu_command("Run", "runmenu:run-all")
            try:
                self.page.wait_for_function(
                    "() => window.__e2eRun.queued.size > 0", timeout=RUN_ALL_START_TIMEOUT_MS, polling=50
                )
                break
            except PlaywrightTimeout:
                # Seen with JupyterLab: a Run All issued right when the kernel first
                # reports idle after page load can be lost. Nothing queued: issue it again.
                if attempts >= RUN_ALL_ATTEMPTS:
                    raise AssertionError(
                        f"{self.rel_path}: Run All queued no cell after {attempts} attempts "
                        f"(prompts: {self.prompts()})"
                    ) from None
        self.page.wait_for_function(
            f"""sel => {{
                 const ind = document.querySelector(sel);
                 return !({_PROMPTS})().includes('[*]:') && ind && ind.dataset.status === 'idle';
               }}""",
            arg=INDICATOR,
            timeout=RUN_ALL_FINISH_TIMEOUT_MS,
            polling=100,
        )
        state = self.page.evaluate(
            "() => ({start: window.__e2eRun.start, lastDone: window.__e2eRun.lastDone,"
            " queued: [...window.__e2eRun.queued]})"
        )
        prompts = self.prompts()
        never = [i for i in range(len(prompts)) if i not in set(state["queued"])]
        seconds = ((state["lastDone"] or state["start"]) - state["start"]) / 1000.0
        self.run_report = RunReport(round(seconds, 3), attempts, prompts, never)
        return self.run_report

    def prompts(self) -> list[str]:
        return list(self.page.evaluate(_PROMPTS))

    # ------------------------------------------------------------- outputs
    def cell(self, index: int) -> Locator:
        """The ``index``-th cell of the notebook (all cell types counted, as in the file)."""
        return self.page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)

    def error_outputs(self) -> list[str]:
        """Text of every stderr/error output, and of any output mentioning a traceback."""
        return list(
            self.page.evaluate(
                """sel => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
                     .filter(o => o.matches(sel) || /Traceback|Error displaying widget/.test(o.textContent))
                     .map(o => o.textContent.slice(0, 2000))""",
                STDERR_SELECTOR,
            )
        )

    def wait_charts_drawn(self, minimum: int, timeout_ms: int = 60_000) -> int:
        """Wait until at least ``minimum`` charts exist and every one has drawn; return the count."""
        try:
            self.page.wait_for_function(
                """n => { const all = [...document.querySelectorAll('.jp-Notebook .vega-embed')];
                          return all.length >= n && all.every(e => e.querySelector('svg, canvas')); }""",
                arg=minimum,
                timeout=timeout_ms,
            )
        except PlaywrightTimeout:
            pass  # the assertion below reports the numbers
        return int(
            self.page.evaluate(
                "() => [...document.querySelectorAll('.jp-Notebook .vega-embed')]"
                ".filter(e => e.querySelector('svg, canvas')).length"
            )
        )

    def undrawn_charts(self) -> int:
        return int(
            self.page.evaluate(
                "() => [...document.querySelectorAll('.jp-Notebook .vega-embed')]"
                ".filter(e => !e.querySelector('svg, canvas')).length"
            )
        )

    def wait_widgets_rendered(self, timeout_ms: int = 60_000) -> None:
        """Every cell that stored a widget view shows a live widget again."""
        indices = [
            i
            for i, c in enumerate(self.stored.cells)
            if c["cell_type"] == "code" and any(WIDGET_MIME in o.get("data", {}) for o in c.get("outputs", []))
        ]
        for index in indices:
            self.cell(index).locator(".jp-OutputArea-output .jupyter-widgets").first.wait_for(
                state="visible", timeout=timeout_ms
            )

    def output_text(self, index: int) -> str:
        return self.cell(index).locator(".jp-Cell-outputArea").inner_text()

    # --------------------------------------------------------------- theme
    def theme(self) -> str:
        return str(self.page.evaluate("() => document.body.dataset.jpThemeName"))

    def set_theme(self, name: str) -> None:
        """Settings > Theme > ``name``; wait until JupyterLab has applied it."""
        if self.theme() == name:
            return
        self.menu_command("Settings", "apputils:change-theme", text=name, submenu="Theme")
        self.page.wait_for_function(
            "name => document.body.dataset.jpThemeName === name", arg=name, timeout=30_000
        )
        # The theme's CSS variables must be in effect before colours are checked.
        self.page.wait_for_function(
            """() => { const v = getComputedStyle(document.body).getPropertyValue('--jp-layout-color0').trim();
                       return v.length > 0; }""",
            timeout=30_000,
        )

    # ------------------------------------------------------------- helpers
    def scroll_into_view(self, locator: Locator) -> None:
        try:
            locator.scroll_into_view_if_needed(timeout=5_000)
        except (PlaywrightTimeout, PlaywrightError):
            pass

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        first = self.page.locator(".jp-Notebook .vega-embed, .jp-Notebook .jupyter-widgets").first
        if first.count():
            self.scroll_into_view(first)
        self.page.screenshot(path=str(path))


@cache
def axe_source() -> str:
    """axe-core as bundled in the ``axe-playwright-python`` package (pinned in the test extra)."""
    return importlib.resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


@dataclass
class AxeReport:
    """Violations that count, and how many nodes the colour-contrast rule measured."""

    violations: list[dict[str, Any]]
    contrast_checked: int


# Scrolls the notebook a screenful at a time; at each stop, runs axe's colour-contrast
# rule on the included elements that are (partly) on screen. Returns the merged results.
_CONTRAST_SCAN = """
async ([scroller, include]) => {
  const box = document.querySelector(scroller);
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const merged = {violations: {}, checked: new Set(), stops: 0};
  const keep = results => {
    for (const v of results.violations) {
      const m = merged.violations[v.id] || (merged.violations[v.id] = {...v, nodes: []});
      const seen = new Set(m.nodes.map(n => JSON.stringify(n.target)));
      for (const n of v.nodes) { if (!seen.has(JSON.stringify(n.target))) m.nodes.push(n); }
    }
    for (const kind of ['passes', 'violations', 'incomplete']) {
      for (const rule of results[kind]) { for (const n of rule.nodes) merged.checked.add(JSON.stringify(n.target)); }
    }
  };
  const step = Math.max(200, Math.floor(box.clientHeight * 0.9));
  for (let y = 0; ; y += step) {
    box.scrollTop = y;
    await frame();
    const view = box.getBoundingClientRect();
    const onScreen = [...document.querySelectorAll(include)].filter(e => {
      const r = e.getBoundingClientRect();
      return r.bottom > view.top && r.top < view.bottom && r.height > 0;
    });
    if (onScreen.length) {
      merged.stops += 1;
      keep(await axe.run(onScreen, {runOnly: ['color-contrast']}));
    }
    if (y + box.clientHeight >= box.scrollHeight) break;
  }
  return {violations: Object.values(merged.violations), checked: merged.checked.size, stops: merged.stops};
}
"""
NOTEBOOK_SCROLLER = ".jp-NotebookPanel .jp-WindowedPanel-outer"
SCAN_HEIGHT = 6000  # pixels of window height during the colour-contrast scan


def axe_violations(
    page: Page,
    include: str,
    impacts: Iterable[str],
    known_upstream: Iterable[tuple[str, str, str]] = (),
    *,
    contrast_only: bool = False,
    scroller: str = NOTEBOOK_SCROLLER,
) -> AxeReport:
    """Run axe-core on the elements matching ``include``; violations of the given impacts.

    All rules run once (unless ``contrast_only``). axe measures colour contrast only
    for text that is on screen, and a notebook scrolls inside its panel, so the
    notebook is then scrolled through a screenful at a time and the colour-contrast
    rule runs at each stop on the elements in view.

    ``known_upstream`` holds ``(rule id, CSS selector, reason)``: nodes matching the
    selector are dropped from that one rule's result, and from nothing else.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    assert str(page.evaluate("() => window.axe.version")).startswith("4."), "axe-core did not load"
    # JupyterLab's <body> has overflow: hidden and, since the whole interface is
    # absolutely positioned, a height of 0. axe takes that as "every element is clipped
    # away" and then measures the colour contrast of nothing. Giving <body> the
    # window's height (it changes nothing on screen) lets axe see the content.
    page.evaluate(
        """() => { if (!document.getElementById('e2e-axe-body-height')) {
             const s = document.createElement('style'); s.id = 'e2e-axe-body-height';
             s.textContent = 'body { height: 100vh; }'; document.head.appendChild(s); } }"""
    )
    try:
        violations: list[dict[str, Any]] = []
        if not contrast_only:
            # every rule but colour contrast, which the scan below measures screen by screen
            full = page.evaluate(
                "([include]) => axe.run({include: [[include]]},"
                " {resultTypes: ['violations'], rules: {'color-contrast': {enabled: false}}})",
                [include],
            )
            violations = list(full["violations"])
        # A tall window puts more of the notebook on screen at each stop of the contrast scan, so
        # axe runs a few times per notebook instead of once per screenful.
        size = page.viewport_size
        if size:
            page.set_viewport_size({"width": size["width"], "height": SCAN_HEIGHT})
        try:
            scan = page.evaluate(_CONTRAST_SCAN, [scroller, include])
        finally:
            if size:
                page.set_viewport_size(size)
        violations += scan["violations"]
    finally:
        page.evaluate("() => document.getElementById('e2e-axe-body-height')?.remove()")

    wanted = set(impacts)
    known = list(known_upstream)
    failing = []
    for violation in violations:
        if violation.get("impact") not in wanted:
            continue
        selectors = [selector for rule, selector, _why in known if rule == violation["id"]]
        nodes = [n for n in violation["nodes"] if not (selectors and _matches(page, n["target"], selectors))]
        if nodes:
            failing.append({**violation, "nodes": nodes})
    return AxeReport(failing, int(scan["checked"]))


def _matches(page: Page, target: list[Any], selectors: list[str]) -> bool:
    if len(target) != 1:  # inside an iframe or a shadow root: not one of ours to excuse
        return False
    return bool(
        page.evaluate(
            "([target, selectors]) => { const el = document.querySelector(target);"
            " return !!el && selectors.some(s => el.matches(s)); }",
            [str(target[0]), selectors],
        )
    )


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Rule ids, impacts and target selectors, one block per rule."""
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"]][:8]
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(targets))
    return "\n".join(lines)


def wait_until(predicate: Any, timeout_s: float, interval_s: float = 0.1) -> Any:
    """Poll a Python-side condition (for files written by the kernel)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval_s)


def readme_command(marker: str) -> str:
    """The shell line after ``<!-- command:MARKER -->`` in README.md (as ``.ci/run`` reads the test command)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    _, found, rest = text.partition(f"<!-- command:{marker} -->")
    block = re.search(r"```(?:sh|bash)?\n(.+?)\n```", rest, flags=re.DOTALL) if found else None
    if block is None:
        raise AssertionError(f"README.md has no command after <!-- command:{marker} -->")
    return next(line.strip() for line in block.group(1).splitlines() if line.strip())
