"""The committed course notebooks: exercises and solutions in sync with their source, no solution leaks,
every lesson states objectives, time and key points."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from balancing_act import authoring

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "src" / "exercise_sources").glob("*.ipynb"))
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))


def test_there_are_sources_and_lessons() -> None:
    assert [p.name for p in SOURCES] == [p.name for p in sorted((ROOT / "exercises").glob("*.ipynb"))]
    assert [p.name for p in SOURCES] == [p.name for p in sorted((ROOT / "solutions").glob("*.ipynb"))]
    assert len(LESSONS) >= 2


def test_generated_notebooks_match_their_source() -> None:
    problems = authoring.check(ROOT / "src" / "exercise_sources", ROOT / "exercises", ROOT / "solutions")
    assert problems == [], "run: python -m balancing_act.authoring --execute --lessons"


def _solution_lines(source: Path) -> list[str]:
    """Every non-trivial line a solution adds: inside BEGIN/END blocks or on a '# SOLUTION' line."""
    lines: list[str] = []
    for cell in nbformat.read(source, as_version=4).cells:
        inside = False
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped in ("# BEGIN SOLUTION", "<!-- BEGIN SOLUTION -->"):
                inside = True
            elif stripped in ("# END SOLUTION", "<!-- END SOLUTION -->"):
                inside = False
            elif inside and stripped and not stripped.startswith("# PLACEHOLDER"):
                lines.append(stripped)
            elif stripped.endswith("# SOLUTION"):
                lines.append(stripped.removesuffix("# SOLUTION").split("=", 1)[1].strip())
    return lines


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_no_solution_text_in_the_exercise(source: Path) -> None:
    exercise = (ROOT / "exercises" / source.name).read_text(encoding="utf-8")
    leaked = [line for line in _solution_lines(source) if len(line) > 12 and json.dumps(line)[1:-1] in exercise]
    assert _solution_lines(source), "the source has no solution markers"
    assert leaked == []
    assert "solution-only" not in exercise


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_stored_outputs_say_not_attempted_and_correct(source: Path) -> None:
    def check_outputs(path: Path) -> list[str]:
        texts = []
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and re.search(r"\bex\.q\d+\.check\(", cell.source):
                texts += ["".join(o["data"]["text/plain"]) for o in cell.outputs if "data" in o]
        return texts

    exercise, solution = check_outputs(ROOT / "exercises" / source.name), check_outputs(ROOT / "solutions" / source.name)
    assert exercise and all(t.startswith("Not attempted:") for t in exercise)
    assert len(solution) == len(exercise) and all(t.startswith("Correct:") for t in solution)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_lesson_states_objectives_time_and_key_points(lesson: Path) -> None:
    text = "\n".join(c.source for c in nbformat.read(lesson, as_version=4).cells if c.cell_type == "markdown")
    assert "### Learning objectives" in text
    assert re.search(r"\*\*Time\*\* \| about \d+ minutes", text)
    assert "## Key points" in text
    assert "Prerequisites" in text


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_every_chart_in_a_lesson_has_title_description_and_source(lesson: Path) -> None:
    found = 0
    for cell in nbformat.read(lesson, as_version=4).cells:
        for output in cell.get("outputs", []):
            spec = output.get("data", {}).get("application/vnd.vegalite.v5+json")
            if spec is None:
                continue
            found += 1
            assert spec["title"]["text"] and spec["description"]
            # The source is the last subtitle item; a long one is wrapped over several lines.
            subtitle = spec["title"]["subtitle"]
            sources = [i for i, line in enumerate(subtitle) if line.startswith("Source:")]
            assert sources, subtitle
            assert "Source:" not in " ".join(subtitle[sources[-1] + 1 :]), subtitle
    assert found >= 1


def test_lesson_files_are_small() -> None:
    for path in [*LESSONS, *(ROOT / "exercises").glob("*.ipynb"), *(ROOT / "solutions").glob("*.ipynb")]:
        assert path.stat().st_size <= 300_000, f"{path.name} is {path.stat().st_size} bytes"
