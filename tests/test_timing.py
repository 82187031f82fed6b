"""Tests for balancing_act.timing: stated lesson times are the computed ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from balancing_act import course, timing

ROOT = Path(__file__).resolve().parents[1]


def _notebook(path: Path, cells: list[dict]) -> Path:
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


def _md(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(source: str = "", tags: list[str] | None = None, outputs: list[dict] | None = None) -> dict:
    return {"cell_type": "code", "metadata": {"tags": tags or []}, "source": source, "outputs": outputs or []}


def test_the_parts_are_counted_and_priced(tmp_path: Path) -> None:
    chart = {"output_type": "display_data", "data": {"application/vnd.vegalite.v5+json": {}, "text/plain": "x"}}
    table = {"output_type": "execute_result", "data": {"text/html": "<table></table>", "text/plain": "t"}}
    path = _notebook(
        tmp_path / "l.ipynb",
        [
            _md("# Header " + "skipped " * 500),
            _md("word " * 300),
            _code("x", outputs=[chart, table]),
            _code("e", tags=["explorer"], outputs=[chart]),
            _code("p", tags=["practice"]),
            _code("c", tags=["claim"]),
        ],
    )
    time = timing.lesson_time(path, quiz_questions=4)
    assert time.words == 300
    assert dict(time.counts) == {"chart": 1, "table": 1, "explorer": 1, "practice": 1, "quiz question": 4, "claim": 1}
    expected = 300 / timing.WORDS_PER_MINUTE + sum(
        timing.ALLOWANCES[k] * n for k, n in {"chart": 1, "table": 1, "explorer": 1, "practice": 1, "quiz question": 4, "claim": 1}.items()
    )
    assert time.raw_minutes == pytest.approx(expected)
    assert time.minutes % 5 == 0 and time.minutes >= expected > time.minutes - 5


def test_an_exercise_counts_its_checked_questions(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "e.ipynb", [_md("word " * 150), _code("ex.q1.check(a)"), _code("ex.q2.check(b)")])
    assert timing.exercise_minutes(path) == 15  # 1 minute reading + 2 x 6, rounded up to 5


def test_write_updates_only_the_time_row_course_json_and_the_course_map(tmp_path: Path) -> None:
    root = tmp_path / "course"
    for part in ("lessons", "exercises", "src/balancing_act"):
        (root / part).mkdir(parents=True)
    shutil.copy(ROOT / "src" / "balancing_act" / "course.json", root / "src" / "balancing_act" / "course.json")
    shutil.copy(ROOT / "README.md", root / "README.md")
    shutil.copy(ROOT / "lessons" / "01_chinas_position.ipynb", root / "lessons")
    before = json.loads((root / "lessons" / "01_chinas_position.ipynb").read_text(encoding="utf-8"))
    timing.write(root)
    after = json.loads((root / "lessons" / "01_chinas_position.ipynb").read_text(encoding="utf-8"))
    assert after["cells"][1:] == before["cells"][1:]
    time = timing.lesson_time(root / "lessons" / "01_chinas_position.ipynb")
    minutes = time.minutes
    assert timing.time_row(minutes, 0, time.optional_minutes) in "".join(after["cells"][0]["source"])
    entry = json.loads((root / "src" / "balancing_act" / "course.json").read_text(encoding="utf-8"))["lessons"][1]
    assert entry["minutes"] == minutes
    assert f"| {timing._map_cell(minutes, 0, time.optional_minutes)} |" in (root / "README.md").read_text(encoding="utf-8")


def test_the_stated_times_are_the_computed_ones() -> None:
    rows = {row["number"]: row for row in timing.computed(ROOT)}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stale = []
    for lesson in course.lessons():
        row = rows.get(lesson.number)
        if row is None:
            continue
        header = "".join(json.loads((ROOT / "lessons" / lesson.notebook).read_text(encoding="utf-8"))["cells"][0]["source"])
        if (lesson.minutes, lesson.exercise_minutes) != (row["minutes"], row["exercise_minutes"]):
            stale.append(f"course.json lesson {lesson.number}")
        if timing.time_row(row["minutes"], row["exercise_minutes"], row["optional_minutes"]) not in header:
            stale.append(f"lessons/{lesson.notebook} header")
        if f"| {timing._map_cell(row['minutes'], row['exercise_minutes'], row['optional_minutes'])} |" not in readme:
            stale.append(f"README course map, lesson {lesson.number}")
    assert not stale, f"stated times differ from the computed ones in: {', '.join(stale)}; run python -m balancing_act.timing --write"


def test_optional_parts_are_priced_apart_until_the_next_heading_of_their_level(tmp_path: Path) -> None:
    chart = {"output_type": "display_data", "data": {"application/vnd.vegalite.v5+json": {}, "text/plain": "x"}}
    path = _notebook(
        tmp_path / "l.ipynb",
        [
            _md("# Header"),
            _md("## 1. Core\n" + "word " * 149),  # 151 words with the heading's "1" and "Core"
            _code("p", tags=["practice"]),
            _md("## 2. Background *(optional)*\n" + "word " * 296),
            _code("x", outputs=[chart]),
            _md("### Inside the optional part\nstill optional"),
            _code("e", tags=["explorer"]),
            _md("## 3. Back in the core"),
            _code("y", outputs=[chart]),
            _md("### Aside *(optional)*"),
            _code("p2", tags=["practice"]),
            _md("# 4. A higher heading ends it"),
            _code("p3", tags=["practice"]),
        ],
    )
    time = timing.lesson_time(path, quiz_questions=2)
    assert time.counts["practice"] == 2 and time.counts["chart"] == 1 and time.counts["quiz question"] == 2
    assert dict(time.optional_counts) == {"chart": 1, "explorer": 1, "practice": 1}
    assert time.words == 151 + 5 + 6  # part 1, part 3's heading, the higher heading
    assert time.optional_words == 299 + 6 + 2  # part 2, its sub-heading cell, the aside
    assert time.optional_minutes == 15  # 307 words (2.05 min) + chart 2 + explorer 4 + practice 4, rounded up to 5
    assert timing.time_row(50, 30, 15) == (
        "| **Time** | about 50 minutes (parts marked *(optional)*: about 15 minutes more; the exercise: about 30 minutes more) |"
    )


def test_a_lesson_without_optional_parts_states_none() -> None:
    assert timing.time_row(40, 0) == "| **Time** | about 40 minutes |"
    assert timing._map_cell(40, 20) == "40 min + 20 min exercise"
    assert timing._map_cell(40, 20, 10) == "40 min (+ 10 optional) + 20 min exercise"


@pytest.mark.parametrize("lesson", [lesson for lesson in course.lessons() if lesson.number >= 1], ids=lambda lesson: f"lesson{lesson.number:02d}")
def test_each_lesson_core_fits_the_limit_with_practice_every_fifteen_minutes(lesson: course.Lesson) -> None:
    time = timing.lesson_time(ROOT / "lessons" / lesson.notebook)
    assert time.minutes <= timing.LESSON_LIMIT_MINUTES, (
        f"lessons/{lesson.notebook}: its core takes {time.minutes} minutes, over the limit of "
        f"{timing.LESSON_LIMIT_MINUTES}; mark parts *(optional)* in their headings or split the lesson"
    )
    practice = time.counts["practice"]
    assert practice >= max(2, time.practice_needed), (
        f"lessons/{lesson.notebook}: {practice} \"Your turn\" cells in a {time.minutes}-minute core; it needs at least "
        f"{max(2, time.practice_needed)} (one per {timing.PRACTICE_EVERY_MINUTES} minutes, and two at least)"
    )


def _sectioned(tmp_path: Path) -> Path:
    chart = {"output_type": "display_data", "data": {"application/vnd.vegalite.v5+json": {}, "text/plain": "x"}}
    table = {"output_type": "execute_result", "data": {"text/html": "<table></table>", "text/plain": "t"}}
    return _notebook(
        tmp_path / "sections.ipynb",
        [
            _md("# Lesson 9 · Header " + "skipped " * 300),
            _md("> **Concepts** " + "word " * 74),  # 75 words before the first section
            _md("## 1. The argument\n\n" + "word " * 147),  # 150 words
            _code("x", outputs=[chart]),
            _md("### Detail *(optional)*\n\n" + "word " * 73),  # 75 words, optional
            _code("y", outputs=[table]),
            _md("## 2. Explore *(optional)*\n\n" + "word " * 27),  # 30 words
            _code("e", tags=["explorer"], outputs=[chart]),
            _md("## 3. Check your understanding"),  # 4 words
            _code('show_quiz("lesson99")', tags=["quiz"]),
            _code("p", tags=["practice"]),
        ],
    )


def test_each_section_gets_its_minutes_and_the_sections_add_up_to_the_lesson(tmp_path: Path) -> None:
    path = _sectioned(tmp_path)
    sections = timing.section_times(path, quiz_questions=2)
    per_word = 1 / timing.WORDS_PER_MINUTE
    cost = timing.ALLOWANCES
    assert [(s.title, s.optional) for s in sections] == [
        ("Introduction", False),
        ("1. The argument", False),
        ("2. Explore", True),
        ("3. Check your understanding", False),
    ]
    intro, argument, explore, check = sections
    assert intro.minutes == pytest.approx(75 * per_word) and intro.optional_minutes == 0
    assert argument.minutes == pytest.approx(150 * per_word + cost["chart"])
    assert argument.optional_minutes == pytest.approx(75 * per_word + cost["table"])
    assert explore.minutes == 0 and explore.optional_minutes == pytest.approx(30 * per_word + cost["explorer"])
    assert check.minutes == pytest.approx(4 * per_word + 2 * cost["quiz question"] + cost["practice"])
    time = timing.lesson_time(path, quiz_questions=2)
    assert sum(s.minutes for s in sections) == pytest.approx(time.raw_minutes)
    assert timing._round_up(sum(s.minutes for s in sections)) == time.minutes
    assert timing._round_up(sum(s.optional_minutes for s in sections)) == time.optional_minutes


@pytest.mark.parametrize("lesson", course.lessons(available_only=True), ids=lambda lesson: lesson.notebook)
def test_the_sections_of_each_lesson_add_up_to_its_core_and_optional_minutes(lesson: course.Lesson) -> None:
    path = ROOT / "lessons" / lesson.notebook
    time = timing.lesson_time(path)
    sections = timing.section_times(path)
    core = sum(s.minutes for s in sections)
    extra = sum(s.optional_minutes for s in sections)
    assert timing._round_up(core) == time.minutes, f"{lesson.notebook}: sections give {core:.1f} core minutes"
    assert (timing._round_up(extra) if extra else 0) == time.optional_minutes
    shown = sum(round(s.minutes, 1) for s in sections)
    assert abs(shown - core) <= 0.05 * len(sections) + 1e-9  # the tenths shown in the guide add up, within rounding


def test_write_fills_the_guide_tables_between_their_markers_and_nothing_else(tmp_path: Path) -> None:
    root = tmp_path / "course"
    for part in ("lessons", "exercises", "src/balancing_act", "docs"):
        (root / part).mkdir(parents=True)
    shutil.copy(ROOT / "src" / "balancing_act" / "course.json", root / "src" / "balancing_act" / "course.json")
    shutil.copy(ROOT / "README.md", root / "README.md")
    shutil.copy(ROOT / "lessons" / "01_chinas_position.ipynb", root / "lessons")
    before = "# Guide\n\n## Lesson 1\n\n<!-- timings:lesson01 -->\n| stale | table |\n<!-- /timings -->\n\nAfter.\n"
    (root / "docs" / "instructor-guide.md").write_text(before, encoding="utf-8")
    changed = timing.write(root)
    after = (root / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    assert "docs/instructor-guide.md" in changed
    table = timing.timing_table(root / "lessons" / "01_chinas_position.ipynb")
    assert after == before.replace("| stale | table |\n", table)
    assert timing.write(root) == []  # a second run finds nothing stale


def test_a_guide_table_for_a_lesson_without_a_notebook_is_refused(tmp_path: Path) -> None:
    text = "<!-- timings:lesson42 -->\n<!-- /timings -->\n"
    with pytest.raises(ValueError, match="lesson 42, which has no notebook"):
        timing.guide_with_timings(text, ROOT)


def test_the_guide_timing_tables_are_the_computed_ones() -> None:
    guide = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    for lesson in course.lessons(available_only=True):
        assert f"<!-- timings:lesson{lesson.number:02d} -->" in guide, f"the guide has no timing table for Lesson {lesson.number}"
    assert guide == timing.guide_with_timings(guide, ROOT), "stale timing tables; run: python -m balancing_act.timing --write"


def test_the_command_names_a_guide_table_it_cannot_fill(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "course"
    for part in ("lessons", "exercises", "src/balancing_act", "docs"):
        (root / part).mkdir(parents=True)
    shutil.copy(ROOT / "src" / "balancing_act" / "course.json", root / "src" / "balancing_act" / "course.json")
    shutil.copy(ROOT / "README.md", root / "README.md")
    (root / "docs" / "instructor-guide.md").write_text("<!-- timings:lesson42 -->\n<!-- /timings -->\n", encoding="utf-8")
    assert timing.main(["--root", str(root), "--write"]) == 2
    assert "lesson 42, which has no notebook" in capsys.readouterr().err
