"""The skills path (docs/skills.md) matches what the exercises and practice cells assess."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

import balancing_act.exercises
import balancing_act.practice

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\|[^|]*\| `([a-z_]+\.[a-z_]+)` \|(.*)\|\s*$")
ROLES = {"I", "P", "A"}


def read_table(text: str) -> dict[str, dict[int, set[str]]]:
    """{skill id: {lesson: roles}} from the markdown table of docs/skills.md."""
    table: dict[str, dict[int, set[str]]] = {}
    for line in text.splitlines():
        found = ROW.match(line)
        if not found:
            continue
        cells = [cell.strip() for cell in found.group(2).split("|")]
        roles = {lesson: set(cell.split()) for lesson, cell in enumerate(cells)}
        unknown = {r for rs in roles.values() for r in rs} - ROLES
        if unknown:
            raise ValueError(f"docs/skills.md, {found.group(1)}: unknown marks {sorted(unknown)}; use I, P and A")
        table[found.group(1)] = roles
    return table


def assessed_by_questions() -> dict[str, set[int]]:
    """{skill id: lessons whose exercise or practice questions assess it}."""
    found: dict[str, set[int]] = {}
    for package, attribute in ((balancing_act.exercises, "ex"), (balancing_act.practice, "practice")):
        for info in pkgutil.iter_modules(package.__path__):
            if re.fullmatch(r"lesson\d\d", info.name):
                for question in getattr(importlib.import_module(f"{package.__name__}.{info.name}"), attribute):
                    for skill in question.skills:
                        found.setdefault(skill, set()).add(question.lesson)
    return found


def tagged_cells() -> dict[str, dict[int, set[str]]]:
    """{skill id: {lesson: roles}} from lesson cells tagged skill:<id> (with worked / practice)."""
    found: dict[str, dict[int, set[str]]] = {}
    for path in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")):
        lesson = int(path.name[:2])
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            tags = (cell.get("metadata") or {}).get("tags") or []
            roles = {"I"} if "worked" in tags else set()
            roles |= {"A"} if "practice" in tags else set()
            for tag in tags:
                if tag.startswith("skill:"):
                    found.setdefault(tag.removeprefix("skill:"), {}).setdefault(lesson, set()).update(roles or {"P"})
    return found


TABLE = read_table((ROOT / "docs" / "skills.md").read_text(encoding="utf-8"))


def test_the_table_lists_the_skills_the_course_promises() -> None:
    promised = {
        "pandas.select", "pandas.filter", "pandas.sort", "pandas.share", "pandas.merge", "pandas.group",
        "pandas.reshape", "altair.marks", "altair.encoding", "altair.tooltip", "altair.layer", "altair.facet",
        "altair.title", "evidence.reporters", "evidence.base_year", "evidence.missing_years",
        "evidence.statement", "evidence.correlation",
    }
    assert promised <= set(TABLE)
    assert all(len(roles) == 9 for roles in TABLE.values()), "every row needs a column for lessons 0-8"


def _combined() -> dict[str, dict[int, set[str]]]:
    combined = {skill: {lesson: set(roles) for lesson, roles in lessons.items()} for skill, lessons in TABLE.items()}
    for skill, lessons in assessed_by_questions().items():
        for lesson in lessons:
            combined.setdefault(skill, {}).setdefault(lesson, set()).add("A")
    for skill, lessons in tagged_cells().items():
        for lesson, roles in lessons.items():
            combined.setdefault(skill, {}).setdefault(lesson, set()).update(roles)
    return combined


def test_every_skill_a_question_or_cell_names_is_in_the_table() -> None:
    unknown = (set(assessed_by_questions()) | set(tagged_cells())) - set(TABLE)
    assert not unknown, f"skills not in docs/skills.md: {sorted(unknown)}"


def test_the_table_marks_every_assessment_the_questions_make() -> None:
    missing = [
        f"{skill} in lesson {lesson}"
        for skill, lessons in assessed_by_questions().items()
        for lesson in sorted(lessons)
        if "A" not in TABLE.get(skill, {}).get(lesson, set())
    ]
    assert not missing, f"mark these A in docs/skills.md: {', '.join(missing)}"


@pytest.mark.parametrize("skill", sorted(TABLE))
def test_nothing_is_assessed_before_it_is_introduced(skill: str) -> None:
    lessons = _combined()[skill]
    introduced = [lesson for lesson, roles in lessons.items() if "I" in roles]
    assessed = [lesson for lesson, roles in lessons.items() if "A" in roles or "P" in roles]
    assert introduced, f"{skill} is never introduced"
    early = [lesson for lesson in assessed if lesson < min(introduced)]
    assert not early, f"{skill} is practised or assessed in lesson(s) {early} before it is introduced (lesson {min(introduced)})"


@pytest.mark.parametrize("skill", sorted(TABLE))
def test_every_introduced_skill_is_practised(skill: str) -> None:
    lessons = _combined()[skill]
    first = min(lesson for lesson, roles in lessons.items() if "I" in roles)
    later = [lesson for lesson, roles in lessons.items() if lesson >= first and roles & {"P", "A"}]
    assert later, f"{skill} is introduced in lesson {first} and never practised"


def test_the_reader_rejects_unknown_marks() -> None:
    with pytest.raises(ValueError, match="unknown marks"):
        read_table("| x | `pandas.select` | X | | | | | | | | |")
