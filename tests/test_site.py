"""The website, slides and worksheets (balancing_act.site), built once per test session.

The build reads the stored notebooks (nothing is executed) into a temporary folder. The
browser part serves that folder on 127.0.0.1 and opens every page in Debian's headless
Chromium with every request that would leave the machine refused and recorded: every
chart must be drawn, every quiz graded in the page, no serious or critical axe-core
violation found. Without Chromium or Playwright the browser tests are skipped with a
message, unless the environment variable CI is set, in which case they fail.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import html
import html.parser
import importlib.resources
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from balancing_act import course, site
from balancing_act.quiz import load_bank
from tests.refusing_proxy import LOCAL_HOSTS, leaves_the_machine, refusing_proxy

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
LESSONS = course.lessons(available_only=True)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> site.SiteReport:
    out = tmp_path_factory.mktemp("site-build")
    return site.build(REPO, out, vendor=REPO / "build" / "vendor")


# ------------------------------------------------------------ static checks
class _Refs(html.parser.HTMLParser):
    """Every URL a page loads (script, stylesheet, image, frame...) and every link it offers, and its ids."""

    LOADS = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")}

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name, value in attrs:
            if value is None:
                continue
            if (tag, name) in self.LOADS and not (tag == "link" and values.get("rel") in ("canonical", "author")):
                self.loads.append(value)
            elif tag == "a" and name == "href":
                self.links.append(value)


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _Refs:
    refs = _Refs()
    refs.feed(path.read_text(encoding="utf-8"))
    return refs


def _off_site(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme in ("http", "https") or url.startswith("//")) and parts.hostname not in LOCAL_HOSTS


def _plain(path: Path) -> str:
    """A page's text with entities decoded and typographic apostrophes made plain."""
    return html.unescape(path.read_text(encoding="utf-8")).replace("\u2019", "'")


def _pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.parts)


def test_site_has_the_course_map_every_lesson_exercise_and_resource(built: site.SiteReport) -> None:
    index = _plain(built.site / "index.html")
    for lesson in LESSONS:
        stem = Path(lesson.notebook).stem
        assert (built.site / "lessons" / f"{stem}.html").is_file(), stem
        assert lesson.title in index
        assert f"{stem}-slides.html" in index and f"{stem}-worksheet.html" in index
        if (REPO / "exercises" / lesson.notebook).is_file():
            assert (built.site / "exercises" / f"{stem}.html").is_file()
    for page in ("docs/glossary.html", "docs/further-reading.html", "docs/instructor-guide.html", "data-sources.html"):
        assert (built.site / page).is_file(), page
    assert not list(built.site.rglob("solutions/*")), "the site must not publish the solutions"


def test_nothing_is_loaded_from_another_host(built: site.SiteReport) -> None:
    pages = _pages(built.site) + _pages(built.site.parent / "slides") + _pages(built.site.parent / "worksheets")
    off = [f"{p.relative_to(built.site.parent)}: {url}" for p in pages for url in _parse(p).loads if _off_site(url)]
    assert not off, "pages load from other hosts:\n" + "\n".join(off[:20])
    css = [p for p in built.site.rglob("*.css")]
    imports = [f"{p.name}: {line.strip()[:80]}" for p in css for line in p.read_text(encoding="utf-8", errors="replace").splitlines() if "@import" in line and "http" in line]
    assert not imports, imports


def test_every_internal_link_resolves(built: site.SiteReport) -> None:
    broken = []
    for page in _pages(built.site):
        for link in _parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("//", "mailto:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(built.site)} -> {link}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in _parse(target).ids:
                broken.append(f"{page.relative_to(built.site)} -> {link} (no such anchor)")
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:30])


def test_data_sources_page_lists_every_dataset_and_source_with_its_grade(built: site.SiteReport) -> None:
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    page = (built.site / "data-sources.html").read_text(encoding="utf-8")
    rows = page.count("<tr class=\"row-odd\">") + page.count("<tr class=\"row-even\">")
    sources = [s for r in package["resources"] for s in r["sources"]]
    headers = len(package["resources"])
    assert rows == len(sources) + headers
    for resource in package["resources"]:
        assert resource["name"] in page
    for grade in {s["grade"] for s in sources}:
        assert f"<td><p>{grade}" in page


def test_quizzes_and_widgets_become_pages_that_work_without_a_kernel(built: site.SiteReport) -> None:
    for lesson in LESSONS:
        stem = Path(lesson.notebook).stem
        page = (built.site / "lessons" / f"{stem}.html").read_text(encoding="utf-8")
        bank = load_bank(lesson.bank_id)
        assert page.count('class="ba-q"') == len(bank.questions), stem
        assert "jupyter-widgets" not in page and "widget-view+json" not in page
        nb = json.loads((REPO / "lessons" / lesson.notebook).read_text(encoding="utf-8"))
        widgets = sum("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))
        boxes = page.count('class="ba-kernel-box"') + page.count('class="ba-claim"') + page.count('class="ba-quiz"')
        assert boxes == widgets, f"{stem}: {widgets} widgets, {boxes} boxes"
        if 'class="ba-kernel-box"' in page:
            assert course.binder_url(lesson.notebook).replace("&", "&amp;") in page


def test_slides_and_worksheets_for_every_lesson(built: site.SiteReport) -> None:
    assert len(built.slides) == len(built.worksheets) == len(LESSONS)
    for deck, sheet, lesson in zip(built.slides, built.worksheets, LESSONS):
        assert "slides" in deck.name and "worksheet" in sheet.name
        text = sheet.read_text(encoding="utf-8")
        bank = load_bank(lesson.bank_id)
        assert text.count("<li><p>") == len(bank.questions)
        feedback = [o.feedback for q in bank.questions for o in q.options if o.correct and o.feedback]
        assert not any(f and f in text for f in feedback), "a worksheet must not print the answers"
        nb_charts = sum("application/vnd.vegalite.v5+json" in o.get("data", {}) for c in json.loads((REPO / "lessons" / lesson.notebook).read_text(encoding="utf-8"))["cells"] for o in c.get("outputs", []))
        assert text.count("<svg") >= min(nb_charts, 2)


def _sections(lesson: course.Lesson) -> int:
    """How many sections (headings of level 1 to 3 opening a markdown cell) a lesson has."""
    nb = json.loads((REPO / "lessons" / lesson.notebook).read_text(encoding="utf-8"))
    return sum(1 for c in nb["cells"] if c["cell_type"] == "markdown" and re.match(r"#{1,3} ", "".join(c["source"])))


def test_each_deck_is_reveal_js_served_with_the_site(built: site.SiteReport) -> None:
    """A title slide citing the article, then one slide per section; reveal.js and its licence come with the decks."""
    reveal = built.site / "slides" / "assets" / f"reveal-{site.REVEAL_VERSION}"
    for name in ("reveal.js", "reveal.css", "reset.css", f"theme/{site.REVEAL_THEME}.css", "LICENSE"):
        assert (reveal / name).is_file(), name
    assert "MIT" in (reveal / "reveal.js").read_text(encoding="utf-8")[:300]
    assert "Permission is hereby granted" in (reveal / "LICENSE").read_text(encoding="utf-8")
    citation = html.escape(course.article().citation)
    for deck, lesson in zip(built.slides, LESSONS):
        text = deck.read_text(encoding="utf-8")
        refs = _parse(deck)
        assert f"assets/reveal-{site.REVEAL_VERSION}/reveal.js" in refs.loads
        assert '<div class="reveal"><div class="slides">' in text
        title = text.split('<section class="ba-slide ba-title-slide"', 1)[1].split("</section>", 1)[0]
        assert citation in title and html.escape(lesson.title) in title
        assert text.count("<section ") == _sections(lesson) + 1, deck.name


def _readme_command(marker: str) -> str:
    block = (REPO / "README.md").read_text(encoding="utf-8").split(f"<!-- command:{marker} -->", 1)[1]
    found = re.search(r"```sh\n(.+?)\n```", block, flags=re.DOTALL)
    assert found, f"README.md has no command after <!-- command:{marker} -->"
    return found.group(1).strip()


def test_the_site_and_test_commands_install_the_reveal_js_the_build_expects() -> None:
    """One line each; npm installs into build/node, where the build looks, the version the build checks."""
    for marker in ("site", "test"):
        command = _readme_command(marker)
        assert "\n" not in command, f"the {marker} command must stay one line"
        npm = next(part.strip() for part in command.split("&&") if part.strip().startswith("npm install"))
        assert "--prefix build/node" in npm and f"reveal.js@{site.REVEAL_VERSION}" in npm.split(), (marker, npm)
    assert _readme_command("site").index("npm install") < _readme_command("site").index("balancing_act.site")


def test_without_reveal_js_the_build_says_which_command_installs_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "node"
    with pytest.raises(site.SiteError, match=re.escape(f"npm install -s --prefix build/node --no-audit --no-fund reveal.js@{site.REVEAL_VERSION}")):
        site.build(REPO, tmp_path / "out", node=empty)
    stale = empty / "node_modules" / "reveal.js"
    stale.mkdir(parents=True)
    (stale / "package.json").write_text('{"version": "4.0.0"}', encoding="utf-8")
    assert site.main(["--root", str(REPO), "--out", str(tmp_path / "out"), "--node", str(empty)]) == 1
    message = capsys.readouterr().err
    assert "reveal.js 4.0.0 is installed" in message and f"reveal.js@{site.REVEAL_VERSION}" in message
    assert "Traceback" not in message
    assert not (tmp_path / "out" / "site").exists()


def test_a_lesson_added_to_the_catalogue_appears_in_the_site(tmp_path: Path) -> None:
    root = tmp_path / "course"
    for folder in ("docs", "data"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "lessons").mkdir()
    shutil.copy(REPO / "lessons" / "00_start_here.ipynb", root / "lessons" / "00_start_here.ipynb")
    shutil.copy(REPO / "lessons" / "00_start_here.ipynb", root / "lessons" / "09_new_lesson.ipynb")
    catalogue = json.loads((importlib.resources.files("balancing_act") / "course.json").read_text(encoding="utf-8"))
    first = catalogue["lessons"][0]
    catalogue["lessons"] = [first, {**first, "number": 9, "title": "A lesson added later", "notebook": "09_new_lesson.ipynb", "summary": "see it appear"}]
    (tmp_path / "course.json").write_text(json.dumps(catalogue), encoding="utf-8")
    report = site.build(
        root, tmp_path / "out", catalogue=tmp_path / "course.json", vendor=REPO / "build" / "vendor", node=REPO / "build" / "node"
    )
    index = _plain(report.site / "index.html")
    assert "A lesson added later" in index and "lessons/09_new_lesson.html" in index
    assert (report.site / "lessons" / "09_new_lesson.html").is_file()
    assert [p.name for p in report.slides] == ["00_start_here-slides.html", "09_new_lesson-slides.html"]


def test_a_catalogue_naming_a_missing_notebook_gets_a_clear_message(tmp_path: Path) -> None:
    catalogue = json.loads((importlib.resources.files("balancing_act") / "course.json").read_text(encoding="utf-8"))
    catalogue["lessons"].append({**catalogue["lessons"][0], "number": 10, "notebook": "10_missing.ipynb"})
    (tmp_path / "course.json").write_text(json.dumps(catalogue), encoding="utf-8")
    with pytest.raises(site.SiteError, match="10_missing.ipynb"):
        site.build(REPO, tmp_path / "out", catalogue=tmp_path / "course.json")
    assert not (tmp_path / "out" / "site").exists()


# ---------------------------------------------------------------- browser
def _browser_problem() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found: install Debian's chromium package to run the site's browser test"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'the playwright Python package is missing: pip install -e ".[test]"'
    return None


def _need_browser() -> None:
    """Skip without Chromium and Playwright; under CI, fail instead: the browser tests must run there."""
    problem = _browser_problem()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the site's browser test cannot run: {problem}", pytrace=False)
        pytest.skip(problem)


@pytest.fixture(scope="session")
def served(built: site.SiteReport) -> Iterator[str]:
    _need_browser()

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built.site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _axe() -> str:
    return importlib.resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


_DRAWN = "() => [...document.querySelectorAll('.ba-vega')].every(e => e.dataset.drawn)"
_DRAWN_OK = "() => [...document.querySelectorAll('.ba-vega')].filter(e => e.dataset.drawn === 'true' && e.querySelector('svg')).length"
_REVEAL_READY = "() => window.Reveal !== undefined && Reveal.isReady()"
_SERIOUS = "r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => `${v.id} (${v.impact}) on ${v.nodes.length} node(s): ${v.nodes[0].target}`)"
# The two colour rules, contrast and links told apart from the text around them (link-in-text-block).
_COLOUR_RULES = "['color-contrast', 'link-in-text-block']"
# Every other axe rule, on the whole page.
_AXE = "() => axe.run(document, {resultTypes: ['violations'], rules: {'color-contrast': {enabled: false}, 'link-in-text-block': {enabled: false}}}).then(" + _SERIOUS + ")"
# The colour rules, sampled. axe's colour rules map the whole page before they measure anything
# (about 1 ms per element here, most of this test's time), and most of a page's text repeats a few
# looks: code tokens, table cells, paragraphs. So the page is reduced to one visible element for
# each look of text not yet measured on any page (tag, colour, fill, size, weight, shadow, underline,
# the colour of the text around it, and every background colour, image and opacity from the element
# up to the first opaque background), with what is inside it (for a link, the whole block it sits
# in), the elements it sits in and every positioned element; the rest of the flow is removed, and
# axe measures what is left. Text with the same look on the same backgrounds has the same contrast;
# overlap by a positioned element is still seen, overlap between two flow elements (which the
# layout here does not make) would not be. Run last on a page: it takes the page apart.
# test_the_contrast_sample_finds_one_faint_line_among_many_fine_ones shows it still finds faults.
_CONTRAST_SAMPLE = """(seen) => {
  const have = new Set(seen), reps = [], looks = [];
  const behind = el => {
    const out = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage !== 'none') out.push(s.backgroundImage);
      if (s.opacity !== '1') out.push('opacity ' + s.opacity);
      if (s.backgroundColor !== 'rgba(0, 0, 0, 0)') {
        out.push(s.backgroundColor);
        if (!s.backgroundColor.startsWith('rgba')) break;
      }
    }
    return out.join(' | ');
  };
  for (const el of document.body.querySelectorAll('*')) {
    const field = el.matches('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea');
    if (!field && ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const box = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (box.width <= 2 || box.height <= 2 || s.visibility !== 'visible') continue;
    const outer = el.parentElement ? getComputedStyle(el.parentElement).color : '';
    const look = [el.tagName, s.color, s.fill, s.fontSize, s.fontWeight, s.textShadow, s.textDecorationLine,
      s.borderBottomStyle, outer, behind(el)].join('; ');
    if (have.has(look)) continue;
    const link = el.closest('a');
    have.add(look); looks.push(look); reps.push(link && link.parentElement ? link.parentElement : el);
  }
  const around = new Set();
  for (const r of reps) for (let e = r; e; e = e.parentElement) around.add(e);
  const chosen = new Set(reps);
  const prune = el => {
    for (const c of [...el.children]) {
      if (chosen.has(c)) continue;
      if (around.has(c)) prune(c);
      else if (getComputedStyle(c).position === 'static') c.remove();
    }
  };
  if (reps.length && !chosen.has(document.body)) prune(document.body);
  return looks;
}"""
_CONTRAST = "() => axe.run(document, {runOnly: " + _COLOUR_RULES + ", resultTypes: ['violations']}).then(" + _SERIOUS + ")"
# Every rule with nothing sampled, for the decks: reveal.js shows one slide at a time, so axe maps
# little of the page and a full pass takes a fraction of a second.
_AXE_ALL = "() => axe.run(document, {resultTypes: ['violations']}).then(" + _SERIOUS + ")"


async def _visit_all(base: str, pages: list[str], refused: list[str], failures: list[str], tabs: int = 2) -> None:
    """Open every page (two tabs at a time): charts drawn, no script error, axe clean (colour rules sampled)."""
    from playwright.async_api import async_playwright

    queue: asyncio.Queue[str] = asyncio.Queue()
    for rel in pages:
        queue.put_nowait(rel)
    with refusing_proxy() as proxy:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", *proxy]
            )
            context = await browser.new_context()
            context.on("request", lambda r: refused.append(r.url) if leaves_the_machine(r.url) else None)
            axe = _axe()
            looks: set[str] = set()  # looks of text whose colours have been measured (see _CONTRAST_SAMPLE)

            async def tab() -> None:
                page = await context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                while not queue.empty():
                    rel = queue.get_nowait()
                    errors.clear()
                    response = await page.goto(f"{base}/{rel}", wait_until="load")
                    if response is None or not response.ok:
                        failures.append(f"{rel}: HTTP {response.status if response else 'no response'}")
                        continue
                    charts = await page.locator(".ba-vega").count()
                    if charts:
                        await page.wait_for_function(_DRAWN, timeout=20000)
                        drawn = await page.evaluate(_DRAWN_OK)
                        if drawn != charts:
                            failures.append(f"{rel}: {drawn} of {charts} charts drawn")
                    await page.add_script_tag(content=axe)
                    failures.extend(f"{rel}: axe {v}" for v in await page.evaluate(_AXE))
                    if errors:
                        failures.append(f"{rel}: script errors {errors[:2]}")
                    new_looks = await page.evaluate(_CONTRAST_SAMPLE, sorted(looks))
                    looks.update(new_looks)
                    if new_looks:
                        failures.extend(f"{rel}: axe {v}" for v in await page.evaluate(_CONTRAST))
                await page.close()

            await asyncio.gather(*(tab() for _ in range(tabs)))
            await browser.close()


def test_every_page_in_a_browser_offline(built: site.SiteReport, served: str) -> None:
    refused: list[str] = []
    failures: list[str] = []
    # The decks are opened, stepped through and scanned by test_every_deck_starts_reveal_js_offline.
    skip = {"genindex.html", "search.html"} | {p.name for p in built.slides}
    pages = [p.relative_to(built.site).as_posix() for p in _pages(built.site) if p.name not in skip]
    _in_own_thread(lambda: asyncio.run(_visit_all(served, pages, refused, failures)))
    assert not refused, f"requests left the machine: {refused[:10]}"
    assert not failures, "\n".join(failures[:40])


def test_the_contrast_sample_finds_one_faint_line_among_many_fine_ones() -> None:
    """The sampled colour rules (_CONTRAST_SAMPLE) still fail a page: grey text that passes on white
    but not on a pale box, one faint line among two hundred fine ones, and a link told from the text
    around it only by a colour close to it, on a page that shares its other looks with one measured before."""
    _need_browser()
    fine = "".join(f"<p>Line {i} of fine text, <code>code {i}</code>.</p>" for i in range(200))
    link = "<p style='color:#222'>Read <a href='#a' style='color:{};text-decoration:{}'>the note</a> first.</p>"
    first = f"<main><h1>Measured first</h1>{fine}<p style='color:#767676'>grey on white passes</p>{link.format('#0645ad', 'underline')}</main>"
    second = (
        f"<main><h1>Measured second</h1>{fine[:2000]}<div style='background:#eeeeee'><p style='color:#767676'>"
        f"grey on a pale box</p></div><ul><li>{fine[2000:]}<span style='color:#c8c8c8' id='faint'>faint</span></li></ul>"
        f"{link.format('#333', 'none')}</main>"
    )

    def run() -> list[list[str]]:
        from playwright.sync_api import sync_playwright

        found = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            seen: set[str] = set()
            for body in (first, second):
                page.set_content(f"<!doctype html><html lang='en'><head><title>t</title></head><body>{body}</body></html>")
                page.add_script_tag(content=_axe())
                seen.update(page.evaluate(_CONTRAST_SAMPLE, sorted(seen)))
                found.append(page.evaluate(_CONTRAST))
            browser.close()
        return found

    on_first, on_second = _in_own_thread(run)
    assert on_first == []
    assert sorted(v.split(":")[0] for v in on_second) == [
        "color-contrast (serious) on 2 node(s)", "link-in-text-block (serious) on 1 node(s)"], on_second


def test_the_refusing_proxy_records_and_fails_a_request_for_another_host(served: str) -> None:
    """The offline proof rests on refusing_proxy: a request for another host is recorded and never
    answered, while the site served from this machine still loads."""
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): reserved for documentation, never a real host.
    away = "http://192.0.2.1/pixel.png"

    def run() -> tuple[list[str], list[str], bool, str]:
        from playwright.sync_api import sync_playwright

        seen: list[str] = []
        failed: list[str] = []
        with sync_playwright() as pw, refusing_proxy() as proxy:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", *proxy])
            page = browser.new_page()
            page.on("request", lambda r: seen.append(r.url) if leaves_the_machine(r.url) else None)
            page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
            response = page.goto(f"{served}/index.html")
            home_ok = bool(response and response.ok)
            loaded = page.evaluate(
                "(src) => new Promise(done => { const i = new Image(); i.onload = () => done('loaded');"
                " i.onerror = () => done('refused'); i.src = src; })",
                away,
            )
            browser.close()
        return seen, failed, home_ok, loaded

    seen, failed, home_ok, loaded = _in_own_thread(run)
    assert home_ok, "the site on this machine should load through the bypass list"
    assert seen == [away]
    # Refused by the proxy at once, not left to time out on a network that happens to be absent.
    assert failed == [f"{away} net::ERR_PROXY_CONNECTION_FAILED"] and loaded == "refused"


def _in_own_thread(work: Any) -> Any:
    """Run ``work`` in a new thread: the browser tests of this process may hold Playwright's loop in this one."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def test_a_quiz_is_graded_in_the_page(served: str) -> None:
    """A right choice says so; a wrong number says which way it is wrong."""
    _in_own_thread(lambda: _grade_a_quiz(served))


def _grade_a_quiz(served: str) -> None:
    from playwright.sync_api import sync_playwright

    lesson = LESSONS[1]
    bank = load_bank(lesson.bank_id)
    single = next(i for i, q in enumerate(bank.questions) if q.type == "single")
    numeric = next(i for i, q in enumerate(bank.questions) if q.type == "numeric")
    right = next(k for k, o in enumerate(bank.questions[single].options) if o.correct)
    wrong = next(k for k, o in enumerate(bank.questions[single].options) if not o.correct)
    with sync_playwright() as pw, refusing_proxy() as proxy:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", *proxy])
        page = browser.new_page()
        page.goto(f"{served}/lessons/{Path(lesson.notebook).stem}.html")
        questions = page.locator(".ba-q")
        choice = questions.nth(single)
        choice.locator("input").nth(wrong).check()
        choice.locator(".ba-check").click()
        assert choice.locator(".ba-feedback").inner_text().startswith("Not quite")
        choice.locator("input").nth(right).check()
        choice.locator(".ba-check").click()
        assert choice.locator(".ba-feedback").inner_text().startswith("Correct")
        number = questions.nth(numeric)
        number.locator("input[type=text]").fill(str(float(bank.questions[numeric].answer or 0) * 10 + 5))
        number.locator(".ba-check").click()
        assert "too high" in number.locator(".ba-feedback").inner_text()
        number.locator("input[type=text]").fill("about four")
        number.locator(".ba-check").click()
        assert "Type a number" in number.locator(".ba-feedback").inner_text()
        browser.close()


def test_every_deck_starts_reveal_js_offline(built: site.SiteReport, served: str) -> None:
    """In the browser: reveal.js is ready with one slide per section plus the title, the keys step through it,
    every chart on every slide is drawn, the title slide and a slide with a chart have no serious axe
    violation, and printing shows every slide."""
    refused: list[str] = []
    failures: list[str] = []
    _in_own_thread(lambda: _step_through_decks(served, refused, failures))
    assert not refused, f"requests left the machine: {refused[:10]}"
    assert not failures, "\n".join(failures[:40])


def _step_through_decks(served: str, refused: list[str], failures: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw, refusing_proxy() as proxy:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", *proxy])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("request", lambda r: refused.append(r.url) if leaves_the_machine(r.url) else None)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        axe = _axe()
        scrolled: list[str] = []
        for lesson in LESSONS:
            name = f"{Path(lesson.notebook).stem}-slides.html"
            page.goto(f"{served}/slides/{name}")
            page.wait_for_function(_REVEAL_READY, timeout=20000)
            page.add_script_tag(content=axe)
            failures.extend(f"{name} title slide: axe {v}" for v in page.evaluate(_AXE_ALL))
            total = page.evaluate("() => Reveal.getTotalSlides()")
            if total != _sections(lesson) + 1 or page.locator(".reveal .slides > section").count() != total:
                failures.append(f"{name}: reveal.js has {total} slides for {_sections(lesson)} sections and a title")
            page.keyboard.press("ArrowRight")
            if page.evaluate("() => Reveal.getIndices().h") != 1:
                failures.append(f"{name}: the right arrow key does not go to the next slide")
            tallest = page.evaluate("() => Reveal.getSlides().findIndex(s => s.scrollHeight > s.clientHeight + 50)")
            if tallest >= 0:
                scrolled.append(name)
                page.evaluate(f"() => Reveal.slide({tallest})")
                page.keyboard.press("ArrowDown")
                if not page.evaluate("() => Reveal.getCurrentSlide().scrollTop > 0"):
                    failures.append(f"{name}: the down arrow key does not scroll slide {tallest + 1}, longer than the screen")
            if page.locator(".ba-vega").count():
                page.wait_for_function(_DRAWN, timeout=20000)
                drawn, charts = page.evaluate(_DRAWN_OK), page.locator(".ba-vega").count()
                if drawn != charts:
                    failures.append(f"{name}: {drawn} of {charts} charts drawn")
                first = page.evaluate("() => Reveal.getSlides().findIndex(s => s.querySelector('.ba-vega'))")
                page.evaluate(f"() => Reveal.slide({first})")
                failures.extend(f"{name} slide {first + 1}: axe {v}" for v in page.evaluate(_AXE_ALL))
            page.keyboard.press("End")
            if page.evaluate("() => Reveal.isLastSlide()") is not True:
                failures.append(f"{name}: the End key does not reach the last slide")
            if errors:
                failures.append(f"{name}: script errors {errors[:2]}")
                errors.clear()
        if not scrolled:
            failures.append("no deck has a slide longer than the screen near its start, so scrolling went untested")
        page.emulate_media(media="print")
        shown = page.evaluate("() => [...document.querySelectorAll('.reveal .slides > section')].filter(s => getComputedStyle(s).display !== 'none' && s.offsetHeight > 0).length")
        if shown != page.locator(".reveal .slides > section").count():
            failures.append(f"printing the last deck shows {shown} of its slides")
        browser.close()
