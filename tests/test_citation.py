"""The article is cited the same way everywhere, from the one entry in course.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from balancing_act.course import article, lessons

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"


def _header(notebook: str) -> str:
    """The first markdown cell of a lesson: its header."""
    nb = json.loads((LESSONS / notebook).read_text(encoding="utf-8"))
    first = next(cell for cell in nb["cells"] if cell["cell_type"] == "markdown")
    return "".join(first["source"])


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _opening_paragraph() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    # title, Binder badge, then the opening paragraph
    return paragraphs[2]


def test_the_citation_names_author_title_outlet_date_address_and_access_date() -> None:
    a = article()
    for part in (a.author, f'"{a.title}"', a.outlet, a.year, a.date, a.url, f"accessed {a.accessed}"):
        assert part in a.citation, f"the citation lacks {part!r}: {a.citation}"
    assert a.url.startswith("https://")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", a.accessed)


def test_readme_opening_and_how_to_cite_carry_the_citation() -> None:
    citation = article().citation
    assert citation in _opening_paragraph()
    assert citation in _readme_section("How to cite")


def test_citation_cff_cites_the_course_and_the_article_as_in_course_json() -> None:
    a = article()
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "software"
    catalogue = json.loads((ROOT / "src" / "balancing_act" / "course.json").read_text(encoding="utf-8"))
    assert cff["title"] == catalogue["title"]
    [ref] = [r for r in cff["references"] if r.get("url") == a.url]
    assert ref["type"] in ("article", "newspaper-article")
    assert ref["title"] == a.title
    [author] = ref["authors"]
    assert f"{author['given-names']} {author['family-names']}" == a.author
    assert ref["publisher"]["name"] == a.outlet
    assert str(ref["year"]) == a.year
    assert str(ref["date-accessed"]) == a.accessed
    assert ref["notes"] == a.date


@pytest.mark.parametrize("lesson", lessons(), ids=lambda lesson: lesson.notebook)
def test_every_lesson_header_carries_the_citation_and_a_section_to_read_first(lesson) -> None:
    a = article()
    header = _header(lesson.notebook)
    assert a.citation in header, f"{lesson.notebook}: the header does not carry the article's citation"
    assert lesson.read_first in a.sections, f"{lesson.notebook}: {lesson.read_first!r} is not a heading of the article"
    row = re.search(r"^\| \*\*Read first\*\* \|(.*)\|$", header, flags=re.M)
    assert row, f"{lesson.notebook}: the header has no 'Read first' row"
    named = re.findall(r'"([^"]+)"', row.group(1))
    assert named == [lesson.read_first], f"{lesson.notebook}: 'Read first' names {named}, course.json says {lesson.read_first!r}"


def test_lesson_zero_is_the_start_and_lessons_follow_the_article_in_order() -> None:
    sections = article().sections
    order = [sections.index(lesson.read_first) for lesson in lessons() if lesson.number > 0]
    assert order == sorted(order) and len(set(order)) == len(order)


def test_claim_activities_name_a_section_of_the_article() -> None:
    sections = article().sections
    for path in sorted((ROOT / "src" / "balancing_act" / "claims").glob("*.json")):
        named = json.loads(path.read_text(encoding="utf-8"))["article_section"].split("; ")
        for section in named:
            assert section in sections, f"{path.name}: {section!r} is not a heading of the article"
