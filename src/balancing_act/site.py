"""The course outside JupyterLab: a website, slides and printable worksheets, built offline.

``python -m balancing_act.site`` (from the course folder) writes

- ``build/site/``: a Sphinx site (myst-nb reads the notebooks with their stored outputs,
  nothing is executed; sphinx-book-theme, whose assets ship in the package) with the
  course map, every lesson, the exercises (without solutions), the glossary, further
  reading, the instructor guide, the answer key and a data-sources page made from
  ``data/datapackage.json``;
- ``build/slides/NN_name-slides.html``: one reveal.js deck per lesson for instructors (reveal.js,
  pinned in ``REVEAL_VERSION``, installed from npm into ``build/node`` by the README's site
  command and copied into the decks' folder);
- ``build/worksheets/NN_name-worksheet.html``: one print-ready worksheet per lesson
  (the questions, the lesson's first charts as SVG, room to answer).

The site serves everything it uses itself. Charts are drawn with Vega, Vega-Lite and
vega-embed from one bundle made by vl-convert-python (pinned in the ``site`` extra; it
ships those libraries), written once to ``build/vendor/`` and copied into the site.
Quizzes are graded in the page by ``course.js`` from the bank data; widgets that need a
kernel show what they do and a Binder link for the lesson.

Only the ``build/`` folder is written.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import re
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from balancing_act import course
from balancing_act.safe_text import render_inline

__all__ = ["REVEAL_VERSION", "SiteError", "SiteReport", "build", "copy_reveal", "main", "reveal_package"]

VEGA_LITE_MIME = "application/vnd.vegalite.v5+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: Vega-Lite version of the bundle: the major.minor Altair 5.5 writes ($schema v5.20.1).
VL_VERSION = "5.20"
#: reveal.js, from the npm registry (MIT licence), for the slide decks; the README's site command installs it.
REVEAL_VERSION = "6.0.2"
#: reveal.js's theme: no web fonts (its white and black themes embed them, several of the others load them from Google).
REVEAL_THEME = "serif"
#: What the decks use from the reveal.js package, relative to its folder (its licence travels with it).
REVEAL_FILES = ("dist/reveal.js", "dist/reset.css", "dist/reveal.css", f"dist/theme/{REVEAL_THEME}.css", "LICENSE")
REVEAL_INSTALL = f"npm install -s --prefix build/node --no-audit --no-fund reveal.js@{REVEAL_VERSION}"
DOCS = ("glossary.md", "further-reading.md", "instructor-guide.md", "answer-key.md")
_ASSETS = Path(__file__).parent / "site_assets"
_LINK = re.compile(r"(\]\()(<?)([^)\s>]+)(>?)(\s+\"[^\"]*\")?(\))")


class SiteError(RuntimeError):
    """The site cannot be built; the message says what is missing and what to do."""


@dataclass
class SiteReport:
    site: Path
    seconds: float
    pages: int
    slides: list[Path] = field(default_factory=list)
    worksheets: list[Path] = field(default_factory=list)

    def size(self) -> tuple[int, int]:
        """Bytes and number of files under ``build/site``."""
        files = [p for p in self.site.rglob("*") if p.is_file()]
        return sum(p.stat().st_size for p in files), len(files)


# ----------------------------------------------------------------- catalogue
def _lessons(catalogue: Path | None) -> tuple[str, list[course.Lesson]]:
    if catalogue is None:
        return course._catalogue()["title"], course.lessons(available_only=True)
    data = json.loads(catalogue.read_text(encoding="utf-8"))
    lessons = [course.Lesson(**entry) for entry in data["lessons"]]
    return str(data["title"]), [lesson for lesson in lessons if lesson.available]


def _github(rel: str) -> str:
    return f"https://github.com/{course._catalogue()['repository']}/blob/main/{rel}"


# ------------------------------------------------------------ notebook text
def _rewrite_links(text: str, rel_dir: str, documents: set[str], *, prefix: str | None = None) -> str:
    """Keep links to pages of the site; point links to other course files at the repository.

    With ``prefix``, a link to a page of the site becomes ``prefix + page.html`` (for pages
    outside the Sphinx tree, such as the slides).
    """

    def fix(match: re.Match[str]) -> str:
        target = match.group(3)
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#", target):
            return match.group(0)
        path, _, fragment = target.partition("#")
        parts: list[str] = []
        for piece in f"{rel_dir}/{path}".split("/"):
            if piece in ("", "."):
                continue
            if piece == "..":
                if parts:
                    parts.pop()
            else:
                parts.append(piece)
        resolved = "/".join(parts)
        if resolved in documents:
            if prefix is None:
                return match.group(0)
            page = prefix + str(Path(resolved).with_suffix(".html")) + (f"#{fragment}" if fragment else "")
            return f"{match.group(1)}{page}{match.group(6)}"
        url = _github(resolved) + (f"#{fragment}" if fragment else "")
        return f"{match.group(1)}{url}{match.group(6)}"

    return _LINK.sub(fix, text)


def _chart_html(spec: dict[str, Any], number: int) -> str:
    description = str(spec.get("description", "Chart"))
    payload = json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")
    return (
        f'<figure class="ba-chart" tabindex="0"><div class="ba-vega" id="ba-chart-{number}" role="img" '
        f'aria-label="{html.escape(description)}"></div>'
        f'<script type="application/json" class="ba-spec">{payload}</script>'
        f"<figcaption>{html.escape(description)}</figcaption></figure>"
    )


def _kernel_box(kind: str, what: str, binder: str) -> str:
    return (
        f'<div class="ba-kernel-box" role="note"><p><strong>{html.escape(kind)}</strong>: {html.escape(what)}</p>'
        f"<p>This needs Python running behind the page. Open this lesson in JupyterLab (see the start page) or "
        f'<a href="{html.escape(binder)}">open this lesson on Binder</a> to use it.</p></div>'
    )


def quiz_html(bank_id: str) -> str:
    """A quiz as HTML that ``course.js`` grades in the page, with every answer behind a reveal as well."""
    from balancing_act.quiz import load_bank

    bank = load_bank(bank_id)
    parts = [f'<section class="ba-quiz" aria-label="Quiz: {html.escape(bank.title)}"><h3>{html.escape(bank.title)}</h3>']
    for number, q in enumerate(bank.questions, start=1):
        name = f"{bank.id}-{number}"
        prompt = render_inline(q.prompt)
        parts.append(f'<fieldset class="ba-q" data-type="{q.type}"')
        if q.type == "numeric":
            parts.append(f' data-answer="{q.answer}" data-tolerance="{q.tolerance}"')
        if q.type == "truefalse":
            parts.append(f' data-answer="{str(q.answer).lower()}"')
        parts.append(f'><legend>{number}. {prompt}</legend>')
        if q.type in ("single", "multiple"):
            kind = "radio" if q.type == "single" else "checkbox"
            for k, option in enumerate(q.options):
                parts.append(
                    f'<label><input type="{kind}" name="{name}" value="{k}" data-correct="{str(option.correct).lower()}"'
                    f' data-feedback="{html.escape(option.feedback or "")}"> {render_inline(option.text)}</label>'
                )
        elif q.type == "truefalse":
            for value in ("true", "false"):
                parts.append(f'<label><input type="radio" name="{name}" value="{value}"> {value.capitalize()}</label>')
        else:
            unit = html.escape(q.unit or "")
            parts.append(f'<label>Your answer <input type="text" inputmode="decimal" name="{name}"> {unit}</label>')
        right = _answer_text(q)
        parts.append(
            f'<p><button type="button" class="ba-check">Check answer</button></p>'
            f'<p class="ba-feedback" role="status" aria-live="polite"></p>'
            f"<details><summary>Show the answer</summary><p>{right}</p></details></fieldset>"
        )
    parts.append("</section>")
    return "".join(parts)


def _answer_text(q: Any) -> str:
    if q.type in ("single", "multiple"):
        answer = "; ".join(render_inline(o.text) for o in q.options if o.correct)
    elif q.type == "truefalse":
        answer = "True" if q.answer else "False"
    else:
        answer = f"{q.answer} {html.escape(q.unit or '')} (within {q.tolerance})"
    why = q.explanation or q.feedback_correct or ""
    return f"{answer}. {html.escape(why)}" if why else answer


def claim_html(claim_id: str, binder: str) -> str:
    from balancing_act.claims import load_claim

    claim = load_claim(claim_id)
    evidence = "".join(f"<li>{html.escape(e)}</li>" for e in claim.evidence)
    voices = "".join(
        f'<li><strong>{html.escape(p.actor)}</strong>: {html.escape(p.summary)} '
        f'(<a href="{html.escape(p.source_url)}">{html.escape(p.source_label)}</a>)</li>'
        for p in claim.perspectives
    )
    verdicts = ", ".join(html.escape(v) for v in claim.verdicts)
    return (
        f'<section class="ba-claim" aria-label="Claim to judge"><p><strong>Claim</strong> (article section '
        f"“{html.escape(claim.article_section)}”, in our words): {html.escape(claim.claim)}</p>"
        f"<p><strong>Evidence to weigh</strong></p><ul>{evidence}</ul><p>{html.escape(claim.question)}</p>"
        f"<p>Choose one verdict ({verdicts}) and write your reason down before you open the perspectives. "
        f'In JupyterLab or on <a href="{html.escape(binder)}">Binder</a> your verdict is saved.</p>'
        f"<details><summary>Compare with other perspectives</summary><ul>{voices}</ul>"
        f"<p>{html.escape(claim.discussion)}</p></details></section>"
    )


def _text(output: dict[str, Any], mime: str) -> str:
    value = output.get("data", {}).get(mime, "")
    return "".join(value) if isinstance(value, list) else str(value)


def site_notebook(nb: dict[str, Any], lesson: course.Lesson | None, rel_dir: str, documents: set[str]) -> dict[str, Any]:
    """A copy of a stored notebook made for the website: charts for vega-embed, widgets as boxes or quizzes."""
    out = copy.deepcopy(nb)
    out.get("metadata", {}).pop("widgets", None)
    binder = course.binder_url(lesson.notebook) if lesson else course.binder_url()
    charts = 0
    for cell in out["cells"]:
        source = "".join(cell.get("source", ""))
        if cell["cell_type"] == "markdown":
            cell["source"] = _rewrite_links(source, rel_dir, documents)
            continue
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            if VEGA_LITE_MIME in data:
                charts += 1
                output["data"] = {"text/html": _chart_html(data[VEGA_LITE_MIME], charts)}
            elif WIDGET_MIME in data:
                plain = _text(output, "text/plain")
                quiz = re.search(r"show_quiz\(\s*[\"'](lesson\d+)[\"']", source)
                claim = re.search(r"[\"'](lesson\d+)[\"']", source) if "claim" in source.lower() else None
                if quiz or plain.startswith("Quiz"):
                    bank = quiz.group(1) if quiz else (lesson.bank_id if lesson else "")
                    output["data"] = {"text/html": quiz_html(bank)}
                elif claim or plain.startswith(("Claim", "ClaimReview")):
                    ident = claim.group(1) if claim else (lesson.bank_id if lesson else "")
                    output["data"] = {"text/html": claim_html(ident, binder)}
                else:
                    what = plain.split(": ", 1)[1] if plain.startswith("Interactive explorer: ") else plain
                    what = what.replace("Run this cell in JupyterLab (or open the lesson on Binder) to use it.", "")
                    output["data"] = {"text/html": _kernel_box("Interactive explorer", what.strip(), binder)}
            output.get("metadata", {}).pop(WIDGET_MIME, None)
    return out


# --------------------------------------------------------------- data page
def data_sources_page(root: Path) -> str:
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    lines = [
        "# Data sources",
        "",
        f"Every figure in the course comes from `data/` (the [descriptor]({_github('data/datapackage.json')}), a "
        "Frictionless Data Package). Each source is graded: *primary* (the body that produced the figure), "
        "*report* (a news or agency report of it), *reference* (a reference work) or *copy* (a copy of an original, "
        "named).",
        "",
    ]
    for resource in package["resources"]:
        lines += [f"## {resource['title']}", "", f"`{resource['name']}` ({resource['path']}). {resource.get('description', '')}", ""]
        for caveat in resource.get("caveats", []) or []:
            lines.append(f"- *Caveat:* {caveat}")
        lines += ["", "| Source | Organisation | Date | Grade |", "|---|---|---|---|"]
        for source in resource.get("sources", []):
            title = str(source.get("title", source.get("id", ""))).replace("|", "/")
            link = str(source.get("path", ""))
            shown = f"[{title}]({link})" if link.startswith("http") else title
            grade = str(source.get("grade", ""))
            if grade == "copy" and isinstance(source.get("original"), dict):
                grade += f" (of {source['original'].get('publisher', '')})"
            org = str(source.get("organisation", "")).replace("|", "/")
            lines.append(f"| {shown} | {org} | {source.get('date', '')} | {grade} |")
        lines.append("")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------- index
def index_page(title: str, lessons: Sequence[course.Lesson], exercises: Sequence[str], extras: Sequence[str]) -> str:
    rows = [
        "| # | Lesson | Time | Slides | Worksheet | Online | You will be able to |",
        "|---|---|---|---|---|---|---|",
    ]
    for lesson in lessons:
        stem = Path(lesson.notebook).stem
        rows.append(
            f"| {lesson.number} | [{lesson.title}](lessons/{lesson.notebook}) | {lesson.minutes} min | "
            f'<a href="slides/{stem}-slides.html">slides</a> | <a href="worksheets/{stem}-worksheet.html">worksheet</a> | '
            f"[Binder]({course.binder_url(lesson.notebook)}) | {lesson.summary} |"
        )
    toc_lessons = "\n".join(f"lessons/{Path(lesson.notebook).stem}" for lesson in lessons)
    toc_exercises = "\n".join(f"exercises/{Path(name).stem}" for name in exercises)
    toc_extras = "\n".join(extras)
    return f"""# {title}

An open course that takes one opinion article, "Beijing Balancing Act" by Rupesh Kumar Singh (News Next, 2025),
and tests its argument against public data. This website shows every lesson with its charts, tables and quizzes
as they were last run. Charts are interactive; quizzes check your answers in the page. The explorers and the
exercise checks need Python: open a lesson on Binder (no installation) or install the course
([instructions]({_github('README.md')})).

Article: {course.article().citation}

## Course map

{chr(10).join(rows)}

Instructors: the [instructor guide](docs/instructor-guide.md) has timings and discussion prompts; each lesson
has <a href="slides/index.html">slides</a> and a printable <a href="worksheets/index.html">worksheet</a>.

```{{toctree}}
:maxdepth: 1
:caption: Lessons

{toc_lessons}
```

```{{toctree}}
:maxdepth: 1
:caption: Exercises

{toc_exercises}
```

```{{toctree}}
:maxdepth: 1
:caption: Resources

{toc_extras}
```
"""


CONF = '''
project = {title!r}
author = "The Beijing Balancing Act course contributors"
extensions = ["myst_nb"]
nb_execution_mode = "off"
nb_ipywidgets_js = {{}}
myst_heading_anchors = 4
myst_enable_extensions = []
html_theme = "sphinx_book_theme"
html_title = "Beijing Balancing Act"
html_static_path = ["_static"]
html_css_files = ["ba/course.css"]
html_js_files = ["ba/vega-bundle.js", "ba/course.js"]
html_theme_options = {{
    "repository_url": {repo!r},
    "use_repository_button": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "show_toc_level": 2,
}}
html_show_sourcelink = False
html_copy_source = False
suppress_warnings = ["myst.header", "myst.xref_missing", "mystnb.unknown_mime_type", "toc.not_included"]
exclude_patterns = ["_build"]
'''


# ------------------------------------------------------------------ vendor
def vega_bundle(folder: Path) -> Path:
    """Vega, Vega-Lite and vega-embed as one script (from vl-convert-python), made once per version."""
    try:
        import vl_convert
    except ImportError:
        raise SiteError(
            'The site needs vl-convert-python for its chart libraries. Install the site extra: pip install -e ".[site]"'
        ) from None
    version = getattr(vl_convert, "__version__", "unknown")
    target = folder / f"vega-bundle-vlc{version}-vl{VL_VERSION}-scoped.js"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        js = vl_convert.javascript_bundle(vl_version=VL_VERSION)
        # The bundle declares top-level names (``_``, ``n``...): a function scope keeps them
        # from colliding with the theme's scripts; it still sets window.vegaEmbed.
        partial = target.with_suffix(".partial")
        partial.write_text(f"(function () {{\n{js}\n}})();\n", encoding="utf-8")
        partial.replace(target)
    return target


def reveal_package(folder: Path) -> Path:
    """The reveal.js package installed by npm in ``folder`` (``node_modules/reveal.js``), checked for its pinned version."""
    package = folder / "node_modules" / "reveal.js"
    try:
        found = json.loads((package / "package.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        found = None
    if found != REVEAL_VERSION:
        state = f"reveal.js {found} is installed" if found else "reveal.js is not installed"
        raise SiteError(
            f"The slides need reveal.js {REVEAL_VERSION} from npm in {folder}; {state}. "
            f"Install it from the course folder with: {REVEAL_INSTALL} (the README's site command does this)."
        )
    absent = [name for name in REVEAL_FILES if not (package / name).is_file()]
    if absent:
        raise SiteError(f"The reveal.js package in {package} lacks {absent}; reinstall it with: {REVEAL_INSTALL}")
    return package


def copy_reveal(package: Path, target: Path) -> None:
    """Copy the reveal.js files the decks load (and its licence) into ``target``, keeping their layout under dist/."""
    for name in REVEAL_FILES:
        destination = target / name.removeprefix("dist/")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(package / name, destination)


# ----------------------------------------------------------------- slides
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


def _output_html(output: dict[str, Any], charts: list[dict[str, Any]]) -> str:
    data = output.get("data", {})
    if VEGA_LITE_MIME in data:
        charts.append(data[VEGA_LITE_MIME])
        return _chart_html(data[VEGA_LITE_MIME], len(charts))
    if "text/html" in data:
        return f'<div class="ba-output">{_text(output, "text/html")}</div>'
    if output.get("output_type") == "stream":
        text = "".join(output.get("text", ""))
        return f"<pre>{html.escape(text)}</pre>"
    if "text/plain" in data and WIDGET_MIME not in data:
        return f"<pre>{html.escape(_text(output, 'text/plain'))}</pre>"
    if WIDGET_MIME in data:
        return f'<p class="ba-kernel-note">{html.escape(_text(output, "text/plain"))}</p>'
    return ""


def _page(title: str, body: str, css: str | Sequence[str], scripts: Sequence[str] = (), lang: str = "en") -> str:
    tags = "".join(f'<script src="{s}"></script>' for s in scripts)
    sheets = "".join(f'<link rel="stylesheet" href="{c}">' for c in ([css] if isinstance(css, str) else css))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
        f"{sheets}</head><body>{body}{tags}</body></html>\n"
    )


def slides_html(nb: dict[str, Any], title: str, documents: set[str] | None = None, *, summary: str = "", lesson_page: str = "") -> str:
    """A reveal.js deck: a title slide with the article's citation, then one slide per section of the lesson.

    Each section (a heading of level 1 to 3) keeps its text, code, tables and charts; a slide
    longer than the screen scrolls. The charts are drawn by the bundled vega-embed.
    """
    md = _markdown()
    slides: list[list[str]] = []
    charts: list[dict[str, Any]] = []
    for cell in nb["cells"]:
        source = "".join(cell.get("source", ""))
        if cell["cell_type"] == "markdown":
            if re.match(r"^#{1,3} ", source) or not slides:
                slides.append([])
            slides[-1].append(md.render(_rewrite_links(source, "lessons", documents or set(), prefix="../")))
        elif cell["cell_type"] == "code" and slides:
            if source.strip():
                slides[-1].append(f'<pre class="ba-code" tabindex="0"><code>{html.escape(source)}</code></pre>')
            for output in cell.get("outputs", []):
                slides[-1].append(_output_html(output, charts))
    link = f'<p><a href="{html.escape(lesson_page)}">Read the whole lesson</a></p>' if lesson_page else ""
    opening = (
        f'<section class="ba-slide ba-title-slide" aria-label="Title slide"><h1>{html.escape(title)}</h1>'
        + (f"<p>You will be able to {html.escape(summary)}.</p>" if summary else "")
        + f'<p class="ba-cite">The article: {html.escape(course.article().citation)}</p>{link}</section>'
    )
    sections = "".join(
        f'<section class="ba-slide" tabindex="0" aria-label="Section {i} of {len(slides)}">{"".join(parts)}</section>'
        for i, parts in enumerate(slides, start=1)
    )
    body = f'<main class="ba-deck" aria-label="{html.escape(title)} (slides)"><div class="reveal"><div class="slides">{opening}{sections}</div></div></main>'
    reveal = f"assets/reveal-{REVEAL_VERSION}"
    return _page(
        f"{title} (slides)",
        body,
        [f"{reveal}/reset.css", f"{reveal}/reveal.css", f"{reveal}/theme/{REVEAL_THEME}.css", "assets/course.css"],
        [f"{reveal}/reveal.js", "assets/vega-bundle.js", "assets/course.js"],
    )


def worksheet_html(nb: dict[str, Any], lesson: course.Lesson, *, key_charts: int = 2) -> str:
    """A print-ready worksheet: the lesson's aims, its first charts as SVG, its questions with room to answer."""
    import vl_convert

    from balancing_act.claims import ClaimError, load_claim
    from balancing_act.quiz import QuizBankError, load_bank

    specs = [
        o["data"][VEGA_LITE_MIME]
        for cell in nb["cells"]
        for o in cell.get("outputs", [])
        if VEGA_LITE_MIME in o.get("data", {})
    ][:key_charts]
    figures = []
    for spec in specs:
        svg = vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION)
        svg = re.sub(r"^<\?xml[^>]*>", "", svg)
        description = html.escape(str(spec.get("description", "")))
        figures.append(f'<figure class="ws-chart" role="img" aria-label="{description}">{svg}<figcaption>{description}</figcaption></figure>')
    questions: list[str] = []
    try:
        bank = load_bank(lesson.bank_id)
    except QuizBankError:
        bank = None
    lines = '<div class="ws-lines" aria-hidden="true"></div>'
    if bank is not None:
        for number, q in enumerate(bank.questions, start=1):
            item = f"<li><p>{render_inline(q.prompt)}</p>"
            if q.type in ("single", "multiple"):
                hint = "Tick one." if q.type == "single" else "Tick all that apply."
                item += f"<p class='ws-hint'>{hint}</p><ul class='ws-options'>" + "".join(
                    f"<li>{render_inline(o.text)}</li>" for o in q.options
                ) + "</ul>"
            elif q.type == "truefalse":
                item += "<ul class='ws-options'><li>True</li><li>False</li></ul><p class='ws-hint'>Why?</p>" + lines
            else:
                item += f"<p class='ws-answer'>Answer: ______________ {html.escape(q.unit or '')}</p><p class='ws-hint'>How you worked it out:</p>" + lines
            questions.append(item + "</li>")
    claim_part = ""
    try:
        claim = load_claim(lesson.bank_id)
        claim_part = (
            f"<h2>Judge the claim</h2><p><strong>Claim</strong> (in our words): {html.escape(claim.claim)}</p>"
            f"<p>{html.escape(claim.question)}</p><p class='ws-hint'>Circle one: {' / '.join(html.escape(v) for v in claim.verdicts)}</p>"
            f"<p class='ws-hint'>Your reason, with the evidence:</p>{lines}{lines}"
        )
    except ClaimError:
        pass
    body = (
        f"<main class='worksheet'><h1>Lesson {lesson.number}: {html.escape(lesson.title)} (worksheet)</h1>"
        f"<p>Name: ______________________ &nbsp; Date: ____________</p>"
        f"<p><strong>You will be able to</strong> {html.escape(lesson.summary)}.</p>"
        f"<p>Read first: the article's section “{html.escape(lesson.read_first)}”. {html.escape(course.article().citation)}</p>"
        + (f"<h2>Key charts</h2>{''.join(figures)}" if figures else "")
        + (f"<h2>Questions</h2><ol class='ws-questions'>{''.join(questions)}</ol>" if questions else "")
        + claim_part
        + f"<h2>Notes</h2>{lines}{lines}</main>"
    )
    return _page(f"Lesson {lesson.number} worksheet", body, "assets/course.css")


def _listing(title: str, links: Sequence[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>' for text, href in links)
    return _page(title, f"<main><h1>{html.escape(title)}</h1><ul>{items}</ul><p><a href='../index.html'>Back to the course</a></p></main>", "assets/course.css")


# ------------------------------------------------------------------- build
def build(
    root: Path | None = None,
    out: Path | None = None,
    *,
    catalogue: Path | None = None,
    vendor: Path | None = None,
    node: Path | None = None,
    quiet: bool = True,
) -> SiteReport:
    """Build the site, slides and worksheets from the stored notebooks under ``root`` into ``out``.

    ``catalogue`` is a ``course.json`` to use instead of the package's; ``vendor`` the folder
    that keeps the chart-library bundle between builds (default ``out/vendor``); ``node`` the
    npm prefix holding reveal.js (default ``root/build/node``, where the README's command puts it).
    """
    started = time.perf_counter()
    root = (root or Path.cwd()).resolve()
    out = (out or root / "build").resolve()
    reveal = reveal_package((node or root / "build" / "node").resolve())
    try:
        from sphinx.cmd.build import build_main
    except ImportError:
        raise SiteError('The site needs Sphinx and myst-nb. Install the site extra: pip install -e ".[site]"') from None
    title, lessons = _lessons(catalogue)
    missing = [lesson.notebook for lesson in lessons if not (root / "lessons" / lesson.notebook).is_file()]
    if missing:
        raise SiteError(f"course catalogue lists lessons with no notebook in {root / 'lessons'}: {missing}. Add them or mark them not available.")
    exercises = [lesson.notebook for lesson in lessons if (root / "exercises" / lesson.notebook).is_file()]
    docs = [name for name in DOCS if (root / "docs" / name).is_file()]
    documents = {f"lessons/{lesson.notebook}" for lesson in lessons} | {f"exercises/{n}" for n in exercises}
    documents |= {f"docs/{n}" for n in docs} | {"data-sources.md"}

    src = out / "site-source"
    shutil.rmtree(src, ignore_errors=True)
    (src / "_static" / "ba").mkdir(parents=True)
    for folder, names in (("lessons", [lesson.notebook for lesson in lessons]), ("exercises", exercises)):
        (src / folder).mkdir()
        by_name = {lesson.notebook: lesson for lesson in lessons}
        for name in names:
            nb = json.loads((root / folder / name).read_text(encoding="utf-8"))
            page = site_notebook(nb, by_name.get(name), folder, documents)
            (src / folder / name).write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")
    (src / "docs").mkdir()
    for name in docs:
        text = (root / "docs" / name).read_text(encoding="utf-8")
        (src / "docs" / name).write_text(_rewrite_links(text, "docs", documents), encoding="utf-8")
    (src / "data-sources.md").write_text(data_sources_page(root), encoding="utf-8")
    extras = [f"docs/{Path(n).stem}" for n in docs] + ["data-sources"]
    (src / "index.md").write_text(index_page(title, lessons, exercises, extras), encoding="utf-8")
    repo = f"https://github.com/{course._catalogue()['repository']}"
    (src / "conf.py").write_text(CONF.format(title=title, repo=repo), encoding="utf-8")
    bundle = vega_bundle(vendor or out / "vendor")
    for target in (src / "_static" / "ba",):
        shutil.copy(bundle, target / "vega-bundle.js")
        for asset in ("course.js", "course.css"):
            shutil.copy(_ASSETS / asset, target / asset)

    site = out / "site"
    shutil.rmtree(site, ignore_errors=True)
    args = ["-b", "html", "-q", "-j", "2", "-d", str(out / "site-doctrees"), str(src), str(site)]
    if quiet:
        args.insert(0, "-Q")
    status = build_main(args)
    if status != 0 or not (site / "index.html").is_file():
        raise SiteError(f"sphinx-build failed (status {status}); run it without -Q to see why: sphinx-build {' '.join(args[1:])}")

    slides_dir, sheets_dir = out / "slides", out / "worksheets"
    report = SiteReport(site=site, seconds=0.0, pages=len(list(site.rglob("*.html"))))
    for folder in (slides_dir, sheets_dir):
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "assets").mkdir(parents=True)
        shutil.copy(_ASSETS / "course.css", folder / "assets" / "course.css")
    shutil.copy(bundle, slides_dir / "assets" / "vega-bundle.js")
    shutil.copy(_ASSETS / "course.js", slides_dir / "assets" / "course.js")
    copy_reveal(reveal, slides_dir / "assets" / f"reveal-{REVEAL_VERSION}")
    for lesson in lessons:
        nb = json.loads((root / "lessons" / lesson.notebook).read_text(encoding="utf-8"))
        stem = Path(lesson.notebook).stem
        deck = slides_dir / f"{stem}-slides.html"
        text = slides_html(
            nb, f"Lesson {lesson.number}: {lesson.title}", documents, summary=lesson.summary, lesson_page=f"../lessons/{stem}.html"
        )
        deck.write_text(text, encoding="utf-8")
        sheet = sheets_dir / f"{stem}-worksheet.html"
        sheet.write_text(worksheet_html(nb, lesson), encoding="utf-8")
        report.slides.append(deck)
        report.worksheets.append(sheet)
    links = [(f"Lesson {lesson.number}: {lesson.title}", f"{Path(lesson.notebook).stem}") for lesson in lessons]
    (slides_dir / "index.html").write_text(_listing("Slides", [(t, f"{s}-slides.html") for t, s in links]), encoding="utf-8")
    (sheets_dir / "index.html").write_text(_listing("Worksheets", [(t, f"{s}-worksheet.html") for t, s in links]), encoding="utf-8")
    for folder in (slides_dir, sheets_dir):
        shutil.copytree(folder, site / folder.name)
    report.pages = len(list(site.rglob("*.html")))
    report.seconds = time.perf_counter() - started
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m balancing_act.site", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="course folder (default: current folder)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: ROOT/build)")
    parser.add_argument("--catalogue", type=Path, default=None, help="a course.json to use instead of the package's")
    parser.add_argument("--node", type=Path, default=None, help="npm prefix holding reveal.js (default: ROOT/build/node)")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's messages")
    args = parser.parse_args(argv)
    try:
        report = build(args.root, args.out, catalogue=args.catalogue, node=args.node, quiet=not args.verbose)
    except SiteError as exc:
        print(f"site: {exc}", file=sys.stderr)
        return 1
    size, files = report.size()
    print(
        f"site: {report.site / 'index.html'} ({report.pages} pages, {files} files, {size / 1e6:.1f} MB) "
        f"with {len(report.slides)} slide decks and {len(report.worksheets)} worksheets in {report.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
