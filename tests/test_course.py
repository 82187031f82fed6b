"""The course catalogue, launch links, the progress map, the glossary and further reading."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from balancing_act import course
from balancing_act.json_input import MAX_DEPTH
from balancing_act.progress import ProgressStore

ROOT = Path(__file__).resolve().parents[1]


def _markdown(notebook: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown")


def test_catalogue_matches_the_lessons_folder() -> None:
    numbers = [lesson.number for lesson in course.lessons()]
    assert numbers == list(range(len(numbers)))
    available = {lesson.notebook for lesson in course.lessons(available_only=True)}
    assert available == {p.name for p in (ROOT / "lessons").glob("*.ipynb")}


def test_readme_course_map_follows_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for lesson in course.lessons():
        row = next((line for line in readme.splitlines() if line.startswith(f"| {lesson.number} |")), None)
        assert row is not None, f"README has no course-map row for lesson {lesson.number}"
        assert lesson.title in row
        if lesson.available:
            assert f"lessons/{lesson.notebook}" in row and f"{lesson.minutes} min" in row
            assert course.binder_url(lesson.notebook) in row
        else:
            assert "in preparation" in row


def test_launch_links() -> None:
    url = course.binder_url("01_chinas_position.ipynb")
    assert re.fullmatch(r"https://mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/HEAD\?urlpath=lab%2Ftree%2Flessons%2F01_chinas_position\.ipynb", url)
    assert course.binder_url() == course.binder_url("00_start_here.ipynb")
    assert course.binder_badge().startswith("[![Launch on Binder](https://mybinder.org/badge_logo.svg)](")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert course.binder_badge() in readme


@pytest.mark.parametrize("lesson", course.lessons(available_only=True), ids=lambda lesson: lesson.notebook)
def test_every_lesson_header_has_its_launch_link(lesson: course.Lesson) -> None:
    first_cell = nbformat.read(ROOT / "lessons" / lesson.notebook, as_version=4).cells[0].source
    assert course.binder_url(lesson.notebook) in first_cell
    assert f"about {lesson.minutes} minutes" in first_cell


def test_course_map_states_and_resume(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.json")
    frame = course.course_map(store)
    assert list(frame["state"][:2]) == ["not started", "not started"]
    assert set(frame.loc[frame["lesson"] >= 2, "state"]) <= {"in preparation", "not started"}
    assert course.where_to_resume(frame).startswith("Start Lesson 0")

    items0 = int(frame.loc[0, "items"])
    assert items0 >= 2
    for i in range(items0):
        store.record(0, f"quiz:lesson00:item{i}", "quiz", "correct")
    store.record(1, "check:q1", "check", "incorrect")
    store.record(1, "check:q2", "check", "correct")
    frame = course.course_map(store)
    assert frame.loc[0, "state"] == "done" and frame.loc[0, "progress"] == 100.0
    assert frame.loc[1, "state"] == "in progress" and frame.loc[1, "correct"] == 1
    assert course.where_to_resume(frame).startswith("Continue with Lesson 1")
    spec = course.course_map_chart(frame).to_dict()
    assert spec["title"]["subtitle"] == [frame.attrs["source"]]
    assert "Lesson 0 done, 100%" in spec["description"]


def test_items_count_quiz_and_exercise_questions() -> None:
    lesson1 = course.lessons()[1]
    from balancing_act.exercises.lesson01 import ex
    from balancing_act.quiz import load_bank

    assert course._items(lesson1) == len(load_bank("lesson01").questions) + len(ex.names)


def _anchors(markdown: str) -> set[str]:
    slugs = set()
    for heading in re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        slugs.add(slug)
    return slugs


def test_glossary_links_from_lessons_resolve() -> None:
    glossary = _anchors((ROOT / "docs" / "glossary.md").read_text(encoding="utf-8"))
    reading = _anchors((ROOT / "docs" / "further-reading.md").read_text(encoding="utf-8"))
    links = 0
    for notebook in (ROOT / "lessons").glob("*.ipynb"):
        for target, anchor in re.findall(r"\.\./docs/(glossary|further-reading)\.md#([\w-]+)", _markdown(notebook)):
            links += 1
            assert anchor in (glossary if target == "glossary" else reading), f"{notebook.name}: #{anchor} not in {target}.md"
    assert links >= 3


def test_further_reading_covers_every_available_lesson() -> None:
    text = (ROOT / "docs" / "further-reading.md").read_text(encoding="utf-8")
    for lesson in course.lessons(available_only=True):
        assert f"## Lesson {lesson.number} · {lesson.title}" in text


def test_deeply_nested_catalogue_is_a_course_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "course.json").write_text('{"lessons": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    monkeypatch.setattr(course.resources, "files", lambda package: tmp_path)
    course._catalogue.cache_clear()
    try:
        column = 13 + MAX_DEPTH - 1  # the outer object is level 1; the brackets start at column 13
        with pytest.raises(course.CourseError, match=rf"^course\.json: not valid JSON \(.*nested more than {MAX_DEPTH} levels.*line 1 column {column} "):
            course.lessons()
    finally:
        course._catalogue.cache_clear()
