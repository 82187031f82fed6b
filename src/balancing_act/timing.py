"""Each lesson's time, computed from its notebook rather than guessed.

A lesson's minutes are its reading time plus an allowance for each thing a
learner does or looks at:

* reading: the words of the markdown cells (the header table excluded) at
  :data:`WORDS_PER_MINUTE`;
* each chart and each table in the stored outputs, each explorer (a cell tagged
  ``explorer``), each "Your turn" cell (a code cell tagged ``practice``), each
  question of the lesson's quiz bank and the claim activity (a cell tagged
  ``claim``): the minutes in :data:`ALLOWANCES`.

The sum is rounded up to a multiple of 5.  An exercise notebook
(``exercises/NN_*.ipynb``) gets its own time: its reading plus
:data:`EXERCISE_QUESTION_MINUTES` per checked question.

``python -m balancing_act.timing`` prints the table; ``--write`` puts the
minutes into ``course.json`` (``minutes``, ``exercise_minutes``), into the
"**Time**" row of each lesson's header cell (and nothing else in the
notebook) and into the README's course map.  A test recomputes them and fails
when a stated time no longer matches.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

__all__ = [
    "ALLOWANCES",
    "EXERCISE_QUESTION_MINUTES",
    "LESSON_LIMIT_MINUTES",
    "WORDS_PER_MINUTE",
    "LessonTime",
    "exercise_minutes",
    "lesson_time",
    "main",
]

#: Reading speed for course text full of figures and sources (slower than prose, 200-250).
WORDS_PER_MINUTE: Final = 150
#: Minutes allowed for each kind of item.
ALLOWANCES: Final[Mapping[str, float]] = {
    "chart": 2.0,
    "table": 1.0,
    "explorer": 4.0,
    "practice": 4.0,
    "quiz question": 1.5,
    "claim": 8.0,
}
#: Minutes per checked question of an exercise notebook.
EXERCISE_QUESTION_MINUTES: Final = 6.0
#: A lesson above this is split, or marks parts optional.
LESSON_LIMIT_MINUTES: Final = 60

_ROUND_TO: Final = 5
_CHART_TYPES: Final = ("application/vnd.vegalite.v5+json", "application/vnd.vega.v5+json")
_TIME_ROW: Final = re.compile(r"^\| \*\*Time\*\* \|[^\n]*\|$", re.MULTILINE)
_QUIZ_CALL: Final = re.compile(r"show_quiz\(\s*[\"'](lesson\d\d)[\"']")


@dataclass(frozen=True)
class LessonTime:
    """The parts of a lesson's time and their total."""

    words: int
    counts: Mapping[str, int]

    @property
    def reading_minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE

    @property
    def raw_minutes(self) -> float:
        return self.reading_minutes + sum(ALLOWANCES[kind] * n for kind, n in self.counts.items())

    @property
    def minutes(self) -> int:
        return _round_up(self.raw_minutes)


def _round_up(minutes: float) -> int:
    return max(_ROUND_TO, _ROUND_TO * math.ceil(minutes / _ROUND_TO - 1e-9))


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _tags(cell: Mapping[str, Any]) -> list[str]:
    return list((cell.get("metadata") or {}).get("tags") or [])


def _words(text: str) -> int:
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets are not read
    text = re.sub(r"<[^>]+>", " ", text)
    return len(re.findall(r"[\w'’-]+", text))


def _read(path: Path) -> dict[str, Any]:
    notebook: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return notebook


def lesson_time(path: Path, quiz_questions: int | None = None) -> LessonTime:
    """The time of the lesson notebook at ``path``; ``quiz_questions`` defaults to its bank's size."""
    cells = _read(path).get("cells", [])
    words = sum(_words(_source(c)) for c in cells[1:] if c.get("cell_type") == "markdown")
    counts = {kind: 0 for kind in ALLOWANCES}
    bank: str | None = None
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        tags = _tags(cell)
        counts["explorer"] += "explorer" in tags
        counts["practice"] += "practice" in tags
        counts["claim"] += "claim" in tags
        found = _QUIZ_CALL.search(_source(cell))
        bank = found.group(1) if found else bank
        if "explorer" in tags:
            continue  # an explorer's chart or table is part of its allowance
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            if any(kind in data for kind in _CHART_TYPES):
                counts["chart"] += 1
            elif "<table" in "".join(data.get("text/html", "")):
                counts["table"] += 1
    if quiz_questions is None:
        quiz_questions = 0
        if bank is not None:
            from balancing_act.quiz import load_bank

            quiz_questions = len(load_bank(bank).questions)
    counts["quiz question"] = quiz_questions
    return LessonTime(words, counts)


def exercise_minutes(path: Path) -> int:
    """The time of the exercise notebook at ``path``: reading plus each checked question."""
    cells = _read(path).get("cells", [])
    words = sum(_words(_source(c)) for c in cells if c.get("cell_type") == "markdown")
    questions = sum(
        len(re.findall(r"\.check\(", _source(c))) for c in cells if c.get("cell_type") == "code"
    )
    return _round_up(words / WORDS_PER_MINUTE + EXERCISE_QUESTION_MINUTES * questions)


# --------------------------------------------------------------- the course
def _exercise_for(root: Path, notebook: str) -> Path | None:
    candidate = root / "exercises" / notebook
    return candidate if candidate.is_file() else None


def computed(root: Path) -> list[dict[str, Any]]:
    """For each lesson of ``course.json``: number, notebook, minutes, exercise minutes, parts."""
    catalogue = json.loads((root / "src" / "balancing_act" / "course.json").read_text(encoding="utf-8"))
    rows = []
    for entry in catalogue["lessons"]:
        path = root / "lessons" / entry["notebook"]
        if not path.is_file():
            continue
        time = lesson_time(path)
        exercise = _exercise_for(root, entry["notebook"])
        rows.append(
            {
                "number": entry["number"],
                "notebook": entry["notebook"],
                "minutes": time.minutes,
                "exercise_minutes": exercise_minutes(exercise) if exercise else 0,
                "time": time,
            }
        )
    return rows


def time_row(minutes: int, exercise: int) -> str:
    """The header row: ``| **Time** | about 55 minutes (the exercise: about 30 minutes more) |``."""
    extra = f" (the exercise: about {exercise} minutes more)" if exercise else ""
    return f"| **Time** | about {minutes} minutes{extra} |"


def _map_cell(minutes: int, exercise: int) -> str:
    return f"{minutes} min" + (f" + {exercise} min exercise" if exercise else "")


def write(root: Path) -> list[str]:
    """Write the computed times into course.json, the lesson headers and the README; return what changed."""
    rows = computed(root)
    by_number = {row["number"]: row for row in rows}
    changed: list[str] = []
    course_path = root / "src" / "balancing_act" / "course.json"
    text = course_path.read_text(encoding="utf-8")
    catalogue = json.loads(text)
    for entry in catalogue["lessons"]:
        row = by_number.get(entry["number"])
        if row is not None:
            entry["minutes"] = row["minutes"]
            entry["exercise_minutes"] = row["exercise_minutes"]
    new = json.dumps(catalogue, indent=1, ensure_ascii=False) + "\n"
    if new != text:
        course_path.write_text(new, encoding="utf-8")
        changed.append(str(course_path.relative_to(root)))
    for row in rows:
        path = root / "lessons" / row["notebook"]
        raw = path.read_text(encoding="utf-8")
        notebook = json.loads(raw)
        header = notebook["cells"][0]
        source = _source(header)
        replaced = _TIME_ROW.sub(time_row(row["minutes"], row["exercise_minutes"]), source, count=1)
        if replaced != source:
            lines = replaced.splitlines(keepends=True)
            header["source"] = lines
            path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            changed.append(str(path.relative_to(root)))
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        found = re.match(r"^\| (\d+) \| (\[[^\]]*\]\(lessons/[^)]*\)) \| [^|]* \|", line)
        if found and int(found.group(1)) in by_number:
            row = by_number[int(found.group(1))]
            cell = _map_cell(row["minutes"], row["exercise_minutes"])
            lines[index] = line[: found.start()] + f"| {found.group(1)} | {found.group(2)} | {cell} |" + line[found.end() :]
    new = "".join(lines)
    if new != text:
        readme.write_text(new, encoding="utf-8")
        changed.append("README.md")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m balancing_act.timing", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: current folder)")
    parser.add_argument("--write", action="store_true", help="write the times into course.json, the headers and the README")
    args = parser.parse_args(argv)
    rows = computed(args.root)
    print(f"Reading at {WORDS_PER_MINUTE} words a minute; allowances (minutes): "
          + ", ".join(f"{kind} {value:g}" for kind, value in ALLOWANCES.items())
          + f"; exercise question {EXERCISE_QUESTION_MINUTES:g}.")
    for row in rows:
        time: LessonTime = row["time"]
        parts = ", ".join(f"{n} {kind}" for kind, n in time.counts.items() if n)
        flag = f"  OVER {LESSON_LIMIT_MINUTES}" if row["minutes"] > LESSON_LIMIT_MINUTES else ""
        print(f"Lesson {row['number']}: {row['minutes']} min (reading {time.words} words = {time.reading_minutes:.0f} min; "
              f"{parts}); exercise {row['exercise_minutes']} min{flag}")
    if args.write:
        for name in write(args.root):
            print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
