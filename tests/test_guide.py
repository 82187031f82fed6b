"""The instructor guide and the generated answer key cover every lesson that exists."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

from balancing_act import course, guide
from balancing_act.quiz import load_bank

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")


def _section(number: int) -> str:
    start = GUIDE.index(f"## Lesson {number} ·")
    end = GUIDE.find("\n## ", start + 1)
    return GUIDE[start:] if end == -1 else GUIDE[start:end]


@pytest.mark.parametrize("lesson", course.lessons(available_only=True), ids=lambda lesson: lesson.notebook)
def test_guide_covers_lesson(lesson: course.Lesson) -> None:
    assert f"## Lesson {lesson.number} · {lesson.title}" in GUIDE
    section = _section(lesson.number)
    for part in ("**Objectives:**", "**50 minutes:**", "**90 minutes:**", "**Discussion prompts**", "Listen for", "**Common misconceptions**"):
        assert part in section, f"Lesson {lesson.number} section lacks {part}"


def test_guide_has_the_general_parts() -> None:
    for heading in ("## How to use the exercises and solutions", "## Adapting for different levels", "## Before the class"):
        assert heading in GUIDE


def test_answer_key_is_in_sync_with_the_banks() -> None:
    committed = (ROOT / "docs" / "answer-key.md").read_text(encoding="utf-8")
    assert committed == guide.answer_key_markdown(), "run: python -m balancing_act.guide"


def test_answer_key_lists_every_question() -> None:
    key = guide.answer_key_markdown()
    for lesson in course.lessons(available_only=True):
        for question in load_bank(lesson.bank_id).questions:
            assert f"id `{question.id}`" in key


#: The kinds of block a 90-minute plan is made of.
BLOCK_KINDS = {
    "lecture", "walk-through", "close reading", "debate", "preparation", "jigsaw", "case comparison", "lab",
    "prediction", "practice", "explorer", "discussion", "selection", "workshop", "peer review", "exercise", "quiz",
    "claim",
}
PLAN_ROW = re.compile(r"^\| (\d+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$")


def _plan(number: int) -> list[tuple[int, str, str, str, str]]:
    """The rows of a lesson's 90-minute plan table: minutes, kind, instructor, students, uses."""
    section = _section(number)
    start = section.index("**90 minutes:**")
    end = section.find("\n**", start + 1)
    rows = []
    for line in section[start:end].splitlines():
        found = PLAN_ROW.match(line.strip())
        if found:
            minutes, *cells = found.groups()
            rows.append((int(minutes), *(cell.strip() for cell in cells)))
    return rows


def _numbered_sections(notebook: str) -> set[int]:
    cells = json.loads((ROOT / "lessons" / notebook).read_text(encoding="utf-8"))["cells"]
    found = set()
    for cell in cells:
        heading = re.match(r"## (\d+)\. ", "".join(cell["source"])) if cell["cell_type"] == "markdown" else None
        if heading:
            found.add(int(heading.group(1)))
    return found


PLANNED = [lesson for lesson in course.lessons(available_only=True) if lesson.number >= 1]


@pytest.mark.parametrize("lesson", PLANNED, ids=lambda lesson: lesson.notebook)
def test_each_90_minute_plan_adds_up_to_90_and_uses_what_the_lesson_has(lesson: course.Lesson) -> None:
    rows = _plan(lesson.number)
    assert rows, f"Lesson {lesson.number}: its 90-minute plan has no table of blocks"
    assert sum(row[0] for row in rows) == 90, f"Lesson {lesson.number}: the blocks add up to {sum(r[0] for r in rows)}"
    sections = _numbered_sections(lesson.notebook)
    questions = {question.name for question in importlib.import_module(f"balancing_act.exercises.lesson{lesson.number:02d}").ex}
    for minutes, kind, instructor, students, uses in rows:
        assert kind in BLOCK_KINDS, f"Lesson {lesson.number}: unknown block kind {kind!r}; use one of {sorted(BLOCK_KINDS)}"
        assert instructor and students, f"Lesson {lesson.number}: a {kind} block says what the instructor does and students produce"
        named = re.findall(r"§(\d+)", uses)
        asked = set(re.findall(r"\bq\d+\b", uses))
        assert named or asked, f"Lesson {lesson.number}: the {kind} block names no lesson section or exercise question"
        missing = sorted({int(n) for n in named} - sections)
        assert not missing, f"Lesson {lesson.number}: the plan uses section(s) {missing}, which the lesson does not have"
        unknown = sorted(asked - questions)
        assert not unknown, f"Lesson {lesson.number}: the plan uses exercise question(s) {unknown}, which do not exist"


def test_the_90_minute_plans_differ_in_kind() -> None:
    sequences = {lesson.number: tuple(row[1] for row in _plan(lesson.number)) for lesson in PLANNED}
    assert len(sequences) >= 2
    same = [(a, b) for a in sequences for b in sequences if a < b and sequences[a] == sequences[b]]
    assert not same, f"lessons with the same sequence of blocks in their 90-minute plans: {same}"
    kinds = {kind for sequence in sequences.values() for kind in sequence}
    for needed in ("lecture", "close reading", "debate"):
        assert needed in kinds, f"no 90-minute plan has a {needed} block"
    assert "debate" in sequences.get(3, ()), "Lesson 3's plan is a structured debate"


def test_the_guide_counts_each_lessons_perspectives_as_its_claim_file_has_them() -> None:
    import json
    import re

    words = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
    text = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    sections = re.split(r"^## Lesson (\d) ", text, flags=re.MULTILINE)
    checked = 0
    for number, body in zip(sections[1::2], sections[2::2]):
        claim = ROOT / "src" / "balancing_act" / "claims" / f"lesson{int(number):02d}.json"
        if not claim.is_file():
            continue
        have = len(json.loads(claim.read_text(encoding="utf-8"))["perspectives"])
        for word in re.findall(r"\b(\w+)\s+perspectives\b", body):
            if word.lower() in words:
                checked += 1
                assert words[word.lower()] == have, f"guide, Lesson {number}: says {word} perspectives; the claim file has {have}"
    assert checked >= 4
