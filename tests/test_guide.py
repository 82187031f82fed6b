"""The instructor guide and the generated answer key cover every lesson that exists."""

from __future__ import annotations

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
