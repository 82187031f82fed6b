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
