"""Every lesson names its concepts, the glossary defines each, and the further reading holds scholarship.

A lesson names its concepts in its opening ("**Concepts used:**" or a "| **Concepts** |" row) and in
concept boxes (a quoted cell starting "> **Concept: ...**" or "> **Concepts in this lesson**"). Each
named concept must have an entry in docs/glossary.md, and each lesson's section of
docs/further-reading.md must list at least two scholarly works (a book or a journal article, with its
author, year, title and publisher or journal).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from balancing_act import course

ROOT = Path(__file__).resolve().parents[1]
LESSONS = [lesson for lesson in course.lessons(available_only=True) if 1 <= lesson.number <= 8]
MIN_SCHOLARLY = 2

_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_LIST_LINE = re.compile(r"^(?:\*\*Concepts used:\*\*|\| \*\*Concepts\*\* \|)(.+?)\|?$")
_BOX_HEADER = re.compile(r"^>\s*\*\*Concept: ([^*]+?)\.?\*\*")
_BOX_START = re.compile(r"^>\s*\*\*Concepts in this lesson\.?\*\*")
_BOX_TERM = re.compile(r"^>\s*\*\*([^*]+?)\.\*\*")
_ITALIC_TERM = re.compile(r"(?<![*\w])\*([A-Z][^*]+?)\*:")

#: A journal article: quoted title, then the journal in italics and, soon after, the year.
_ARTICLE = re.compile(r"\"(?P<title>[^\"]{10,})\",?\s*\*(?P<venue>[^*]+)\*[^;]{0,40}?\b(?P<year>(?:19|20)\d{2})\b")
#: A book: title in italics, then (publisher, year) with a recognisable publisher.
_BOOK = re.compile(
    r"\*(?P<title>[^*]{10,})\*\s*\((?P<venue>[^)]*?\b(?:Press|Brown|Random House|Routledge|Palgrave|Springer)\b[^)]*?)"
    r"(?P<year>(?:19|20)\d{2})[^)]*\)"
)
_AUTHOR = re.compile(r"(?:^|: )(?P<author>[A-ZÀ-ÖØ-Þ][\w.'-]+(?:(?:\s+|,\s+)(?:[A-ZÀ-ÖØ-Þ][\w.'-]+|and|de|van))+)[,]?\s*$")
#: Magazines of opinion: worth reading, but not the scholarly journals the reading list must hold.
MAGAZINES = ("Foreign Affairs", "Foreign Policy", "The National Interest")


def _markdown(notebook: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown")


def concepts_named(markdown: str) -> list[str]:
    """The concepts a lesson names in its concept list and its concept boxes."""
    names: list[str] = []
    in_box = False
    for line in markdown.splitlines():
        line = line.rstrip()
        listed = _LIST_LINE.match(line)
        if listed:
            text = re.sub(r"\([^)]*\)", "", _LINK.sub(r"\1", listed.group(1)))
            names += [item.strip(" .") for item in text.split(";") if item.strip(" .|")]
            continue
        header = _BOX_HEADER.match(line)
        if header:
            names.append(header.group(1).strip())
            continue
        if _BOX_START.match(line):
            in_box = True
            names += [m.group(1) for m in _ITALIC_TERM.finditer(line)]
            continue
        if in_box and line.startswith(">"):
            term = _BOX_TERM.match(line)
            if term:
                names.append(term.group(1).strip())
            names += [m.group(1) for m in _ITALIC_TERM.finditer(line)]
        else:
            in_box = False
    return names


def glossary_terms(glossary: str) -> set[str]:
    return {_norm(re.sub(r"\([^)]*\)", "", h)) for h in re.findall(r"^## (.+)$", glossary, flags=re.MULTILINE)}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("weaponized", "weaponised"))


def _singular(text: str) -> str:
    return re.sub(r"(?<=[a-z])s\b", "", text)


def is_defined(concept: str, terms: set[str]) -> bool:
    """A concept is defined when a glossary heading names it, or begins with it, or when each of its
    parts ("alliance, alignment and strategic partnership") is defined."""
    name = _norm(concept)
    for candidate in (name, _singular(name)):
        if candidate in terms or any(t.startswith(candidate + " ") for t in terms):
            return True
    parts = [p for p in re.split(r",\s*|\s+and\s+", name) if p]
    return len(parts) > 1 and all(is_defined(p, terms) for p in parts)


def reading_sections(text: str) -> dict[int, list[str]]:
    """The bullets of docs/further-reading.md, one string per bullet, by lesson number."""
    sections: dict[int, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        heading = re.match(r"^## Lesson (\d+) ", line)
        if heading:
            current = sections.setdefault(int(heading.group(1)), [])
        elif line.startswith("## "):
            current = None
        elif current is not None and line.startswith("- "):
            current.append(line[2:].strip())
        elif current is not None and line.startswith("  ") and current:
            current[-1] += " " + line.strip()
    return sections


def scholarly_work(bullet: str) -> dict[str, str] | None:
    """Author, title, venue (journal or publisher) and year of a book or journal article, or None."""
    match = _ARTICLE.search(bullet) or _BOOK.search(bullet)
    if not match or match.group("venue").strip() in MAGAZINES:
        return None
    author = _AUTHOR.search(bullet[: match.start()].rstrip())
    if not author:
        return None
    return {"author": author.group("author"), "title": match.group("title"), "venue": match.group("venue").strip(" ,("), "year": match.group("year")}


# ------------------------------------------------------------------ the parsers, on small samples


def test_concepts_are_read_from_lists_and_boxes() -> None:
    sample = (
        "**Concepts used:** alliance and strategic partnership; [hedging](../docs/glossary.md#hedging) (box in section 2).\n"
        "> **Concept: buffer state.** A buffer is ...\n"
        "> **Concepts in this lesson.** *Costly signals*: a signal ...\n"
        "> **Entrapment and abandonment.** Snyder ...\n"
        "Plain text with **bold** is not a concept."
    )
    assert concepts_named(sample) == ["alliance and strategic partnership", "hedging", "buffer state", "Costly signals", "Entrapment and abandonment"]


def test_a_concept_without_a_glossary_entry_is_caught() -> None:
    terms = glossary_terms("## Alliance\n\n## Strategic partnership\n\n## Costly signal\n\n## Air defence identification zone (ADIZ)\n")
    assert is_defined("alliance and strategic partnership", terms)
    assert is_defined("Costly signals", terms)
    assert is_defined("air defence identification zone", terms)
    assert not is_defined("alliance and hedging", terms)
    assert not is_defined("balance of threat", terms)


def test_scholarly_works_are_told_from_other_reading() -> None:
    article = 'Glenn H. Snyder, "The Security Dilemma in Alliance Politics", *World Politics* 36(4), 1984, 461-495'
    book = "Albert O. Hirschman, *National Power and the Structure of Foreign Trade* (University of California Press, 1945)"
    news = "TASS, 21 March 2024: the Kremlin on payment problems with Chinese banks: <https://tass.com/politics/1763175>"
    no_author = '"The Security Dilemma in Alliance Politics", *World Politics* 36(4), 1984'
    assert scholarly_work(article) == {"author": "Glenn H. Snyder", "title": "The Security Dilemma in Alliance Politics", "venue": "World Politics", "year": "1984"}
    assert scholarly_work(book) == {
        "author": "Albert O. Hirschman",
        "title": "National Power and the Structure of Foreign Trade",
        "venue": "University of California Press",
        "year": "1945",
    }
    magazine = 'A. Kendall-Taylor and R. Fontaine, "The Axis of Upheaval", *Foreign Affairs*, May/June 2024'
    several = 'Shawn Davies, Therése Pettersson and Magnus Öberg, "Organized violence 1989-2022", *Journal of Peace Research* 60(4), 2023'
    assert scholarly_work(news) is None and scholarly_work(no_author) is None and scholarly_work(magazine) is None
    assert scholarly_work(several)["author"] == "Shawn Davies, Therése Pettersson and Magnus Öberg"
    sections = reading_sections(f"## Lesson 9 · Test\n\n- {article}\n- {news}\n\n## Lesson 10 · Next\n\n- {book}\n  continued\n")
    assert [sum(scholarly_work(b) is not None for b in bullets) for bullets in sections.values()] == [1, 1]


# ------------------------------------------------------------------ the course itself


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.notebook)
def test_each_lesson_names_concepts_the_glossary_defines(lesson: course.Lesson) -> None:
    concepts = concepts_named(_markdown(ROOT / "lessons" / lesson.notebook))
    assert concepts, f"{lesson.notebook}: no concepts named (add a '**Concepts used:**' line or a concept box)"
    terms = glossary_terms((ROOT / "docs" / "glossary.md").read_text(encoding="utf-8"))
    undefined = [c for c in concepts if not is_defined(c, terms)]
    assert not undefined, f"{lesson.notebook}: no glossary entry for {undefined}; add one to docs/glossary.md"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.notebook)
def test_each_lesson_has_two_scholarly_readings(lesson: course.Lesson) -> None:
    sections = reading_sections((ROOT / "docs" / "further-reading.md").read_text(encoding="utf-8"))
    works = [w for w in map(scholarly_work, sections.get(lesson.number, [])) if w]
    assert len(works) >= MIN_SCHOLARLY, (
        f"Lesson {lesson.number}: {len(works)} scholarly work(s) in docs/further-reading.md, at least {MIN_SCHOLARLY} needed "
        "(author, \"title\", *journal* volume, year; or author, *title* (publisher, year))"
    )
