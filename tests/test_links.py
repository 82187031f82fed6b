"""Every relative link in every notebook and document resolves to a file inside the course.

JupyterLab serves the course root (README's open command), so a link that climbs above
that root, or names a file that is not there, does nothing when a learner clicks it.
Links are read from Markdown (``[text](target)``, ``![alt](target)``) and HTML
(``href=``/``src=``) in README.md, docs/, deploy/, and in every notebook's Markdown
cells and stored Markdown/HTML outputs. Links with a scheme (``https:``, ``mailto:``)
and pure in-page anchors (``#section``) are not files and are left to other tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
# src/exercise_sources/ holds templates written for exercises/ and solutions/, where the
# generated copies (checked here) carry the same links.
NOTEBOOK_FOLDERS = ("lessons", "exercises", "solutions")
DOC_GLOBS = ("README.md", "docs/**/*.md", "deploy/**/*.md", "binder/**/*.md")

_MARKDOWN_LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_CODE_SPAN = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def links_in(text: str) -> list[str]:
    """The link targets in Markdown or HTML ``text``, code spans and blocks excluded."""
    prose = _CODE_SPAN.sub("", text)
    return _MARKDOWN_LINK.findall(prose) + _HTML_LINK.findall(prose)


def is_relative_file_link(target: str) -> bool:
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc or target.startswith(("#", "/")) or not parts.path)


def resolve(source: Path, target: str) -> Path:
    return (source.parent / unquote(urlsplit(target).path)).resolve()


def _notebook_texts(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    texts = []
    for cell in cells:
        if cell["cell_type"] == "markdown":
            texts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            for mime in ("text/markdown", "text/html"):
                value = output.get("data", {}).get(mime)
                if value:
                    texts.append("".join(value) if isinstance(value, list) else value)
    return texts


def _documents() -> list[Path]:
    found = {p for pattern in DOC_GLOBS for p in ROOT.glob(pattern)}
    for folder in NOTEBOOK_FOLDERS:
        found.update(p for p in (ROOT / folder).glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return sorted(found)


DOCUMENTS = _documents()


def _texts(path: Path) -> list[str]:
    if path.suffix == ".ipynb":
        return _notebook_texts(path)
    return [path.read_text(encoding="utf-8")]


def test_link_parser_finds_markdown_and_html_links_but_not_code() -> None:
    text = (
        "See [the exercise](../exercises/01.ipynb#q1) and ![a chart](img/a%20b.png \"title\").\n"
        '<a href="guide.md">guide</a> `[not](a-link.md)`\n```\n[neither](x.md)\n```\n'
        "[web](https://example.org) [anchor](#top)"
    )
    found = links_in(text)
    assert found == ["../exercises/01.ipynb#q1", "img/a%20b.png", "https://example.org", "#top", "guide.md"]
    relative = [t for t in found if is_relative_file_link(t)]
    assert relative == ["../exercises/01.ipynb#q1", "img/a%20b.png", "guide.md"]
    assert resolve(ROOT / "lessons" / "x.ipynb", "img/a%20b.png") == ROOT / "lessons" / "img" / "a b.png"


def test_documents_are_found() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in DOCUMENTS}
    assert "README.md" in names
    assert any(n.startswith("lessons/") for n in names) and any(n.startswith("docs/") for n in names)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves_inside_the_course(path: Path) -> None:
    problems = []
    for text in _texts(path):
        for target in links_in(text):
            if not is_relative_file_link(target):
                continue
            where = resolve(path, target)
            if not where.is_relative_to(ROOT):
                problems.append(f"{target!r} points outside the course folder ({where})")
            elif not where.exists():
                problems.append(f"{target!r} names a file that does not exist ({where.relative_to(ROOT)})")
    assert not problems, f"{path.relative_to(ROOT)}:\n  " + "\n  ".join(problems)
