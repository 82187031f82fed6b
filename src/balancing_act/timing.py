"""Each lesson's time, computed from its notebook rather than guessed.

A lesson's minutes are its reading time plus an allowance for each thing a
learner does or looks at:

* reading: the words of the markdown cells (the header table excluded) at
  :data:`WORDS_PER_MINUTE`;
* each chart and each table in the stored outputs, each explorer (a cell tagged
  ``explorer``), each "Your turn" cell (a code cell tagged ``practice``), each
  question of the lesson's quiz bank and the claim activity (a cell tagged
  ``claim``): the minutes in :data:`ALLOWANCES`.

The sum is rounded up to a multiple of 5.  A part whose heading ends in
``*(optional)*`` (a markdown cell starting ``#``, ``##`` or ``###``; the part
runs to the next heading of the same or a higher level) is priced apart: the
stated time is the core, and the optional parts are stated as minutes more.
A lesson's core stays within :data:`LESSON_LIMIT_MINUTES`, and it has at least
one "Your turn" cell per :data:`PRACTICE_EVERY_MINUTES` of its core.  An exercise notebook
(``exercises/NN_*.ipynb``) gets its own time: its reading plus
:data:`EXERCISE_QUESTION_MINUTES` per checked question.

``python -m balancing_act.timing`` prints the table; ``--write`` puts the
minutes into ``course.json`` (``minutes``, ``optional_minutes``, ``exercise_minutes``), into the
"**Time**" row of each lesson's header cell (and nothing else in the
notebook), into the README's course map and, between the marker comments
``<!-- timings:lessonNN -->`` and ``<!-- /timings -->`` of
``docs/instructor-guide.md``, each lesson's per-section table
(:func:`section_times`, :func:`timing_table`).  A test recomputes them and fails
when a stated time no longer matches.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

__all__ = [
    "ALLOWANCES",
    "EXERCISE_QUESTION_MINUTES",
    "LESSON_LIMIT_MINUTES",
    "PRACTICE_EVERY_MINUTES",
    "WORDS_PER_MINUTE",
    "LessonTime",
    "SectionTime",
    "exercise_minutes",
    "lesson_time",
    "main",
    "section_times",
    "timing_table",
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
#: At least one "Your turn" cell in the core for each of these minutes of the core.
PRACTICE_EVERY_MINUTES: Final = 15

_ROUND_TO: Final = 5
_CHART_TYPES: Final = ("application/vnd.vegalite.v5+json", "application/vnd.vega.v5+json")
_TIME_ROW: Final = re.compile(r"^\| \*\*Time\*\* \|[^\n]*\|$", re.MULTILINE)
_QUIZ_CALL: Final = re.compile(r"show_quiz\(\s*[\"'](lesson\d\d)[\"']")
_HEADING: Final = re.compile(r"^(#{1,3}) +(.*)")
_OPTIONAL: Final = re.compile(r"\*\(optional\)\*\s*$")
_GUIDE: Final = Path("docs") / "instructor-guide.md"
_GUIDE_TABLE: Final = re.compile(r"(<!-- timings:lesson(\d\d) -->\n)(.*?)(<!-- /timings -->)", re.DOTALL)


@dataclass(frozen=True)
class LessonTime:
    """The parts of a lesson's time and their total: its core, and its optional parts apart."""

    words: int
    counts: Mapping[str, int]
    optional_words: int = 0
    optional_counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def reading_minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE

    @property
    def raw_minutes(self) -> float:
        return _priced(self.words, self.counts)

    @property
    def minutes(self) -> int:
        """The core's minutes: the lesson without its optional parts."""
        return _round_up(self.raw_minutes)

    @property
    def optional_minutes(self) -> int:
        """The optional parts' minutes, 0 when there are none."""
        if not self.optional_words and not any(self.optional_counts.values()):
            return 0
        return _round_up(_priced(self.optional_words, self.optional_counts))

    @property
    def practice_needed(self) -> int:
        """"Your turn" cells the core needs: one per :data:`PRACTICE_EVERY_MINUTES` of it."""
        return math.ceil(self.minutes / PRACTICE_EVERY_MINUTES)


def _priced(words: int, counts: Mapping[str, int]) -> float:
    return words / WORDS_PER_MINUTE + sum(ALLOWANCES[kind] * n for kind, n in counts.items())


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


def _optional_flags(cells: Sequence[Mapping[str, Any]]) -> list[bool]:
    """For each cell, whether it lies in a part whose heading is marked *(optional)*."""
    flags: list[bool] = []
    level_open: int | None = None  # the level of the open optional heading
    for cell in cells:
        found = _HEADING.match(_source(cell).lstrip()) if cell.get("cell_type") == "markdown" else None
        if found:
            level = len(found.group(1))
            if level_open is not None and level <= level_open:
                level_open = None
            if level_open is None and _OPTIONAL.search(found.group(2).splitlines()[0] if found.group(2) else ""):
                level_open = level
        flags.append(level_open is not None)
    return flags


@dataclass(frozen=True)
class _CellCount:
    """What one cell adds to a lesson's time."""

    optional: bool
    words: int
    counts: Mapping[str, int]
    bank: str | None


def _cell_counts(cells: Sequence[Mapping[str, Any]]) -> list[_CellCount]:
    """Each cell's words, counted items, part (core or optional) and the quiz bank it shows, if any."""
    optional = _optional_flags(cells)
    found: list[_CellCount] = []
    for index, cell in enumerate(cells):
        counts = dict.fromkeys(ALLOWANCES, 0)
        words, bank = 0, None
        if cell.get("cell_type") == "markdown":
            words = _words(_source(cell)) if index else 0
        elif cell.get("cell_type") == "code":
            tags = _tags(cell)
            counts["explorer"] += "explorer" in tags
            counts["practice"] += "practice" in tags
            counts["claim"] += "claim" in tags
            quiz = _QUIZ_CALL.search(_source(cell))
            bank = quiz.group(1) if quiz else None
            if "explorer" not in tags:  # an explorer's chart or table is part of its allowance
                for output in cell.get("outputs", []):
                    data = output.get("data") or {}
                    if any(kind in data for kind in _CHART_TYPES):
                        counts["chart"] += 1
                    elif "<table" in "".join(data.get("text/html", "")):
                        counts["table"] += 1
        found.append(_CellCount(optional[index], words, counts, bank))
    return found


def _bank_size(bank: str | None, quiz_questions: int | None) -> int:
    if quiz_questions is not None:
        return quiz_questions
    if bank is None:
        return 0
    from balancing_act.quiz import load_bank

    return len(load_bank(bank).questions)


def lesson_time(path: Path, quiz_questions: int | None = None) -> LessonTime:
    """The time of the lesson notebook at ``path``; ``quiz_questions`` defaults to its bank's size."""
    words = {False: 0, True: 0}
    tallies = {part: dict.fromkeys(ALLOWANCES, 0) for part in (False, True)}
    bank: str | None = None
    for cell in _cell_counts(_read(path).get("cells", [])):
        words[cell.optional] += cell.words
        for kind, n in cell.counts.items():
            tallies[cell.optional][kind] += n
        bank = cell.bank or bank
    tallies[False]["quiz question"] = _bank_size(bank, quiz_questions)
    extra = {kind: n for kind, n in tallies[True].items() if n}
    return LessonTime(words[False], tallies[False], words[True], extra)


@dataclass(frozen=True)
class SectionTime:
    """The minutes of one numbered section (a ``##`` heading) of a lesson, unrounded.

    ``minutes`` is what the section adds to the lesson's core, ``optional_minutes``
    what its parts marked *(optional)* add (all of it when ``optional``, the
    section's own heading being marked).  What comes before the first ``##``
    heading (the header's concept boxes) is a section titled ``Introduction``.
    The lesson's quiz questions count in the section that shows the quiz, in the
    core, as :func:`lesson_time` counts them.
    """

    title: str
    minutes: float
    optional_minutes: float
    optional: bool


def section_times(path: Path, quiz_questions: int | None = None) -> list[SectionTime]:
    """Each ``##`` section of the lesson at ``path`` with its minutes, priced as :func:`lesson_time` prices them."""
    cells = _read(path).get("cells", [])
    counted = _cell_counts(cells)
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] = {"title": "Introduction", "optional": False, "cells": []}
    for cell, count in zip(cells, counted):
        heading = _HEADING.match(_source(cell).lstrip()) if cell.get("cell_type") == "markdown" else None
        if heading and len(heading.group(1)) == 2:
            sections.append(current)
            first_line = heading.group(2).splitlines()[0] if heading.group(2) else ""
            title = _OPTIONAL.sub("", first_line).strip()
            current = {"title": title, "optional": bool(_OPTIONAL.search(first_line)), "cells": []}
        current["cells"].append(count)
    sections.append(current)
    bank = next((c.bank for c in reversed(counted) if c.bank), None)
    questions = _bank_size(bank, quiz_questions)
    found = []
    for section in sections:
        parts = {False: 0.0, True: 0.0}
        for count in section["cells"]:
            parts[count.optional] += _priced(count.words, count.counts)
            if count.bank:
                parts[False] += ALLOWANCES["quiz question"] * questions
        if section["cells"] and (section["title"] != "Introduction" or parts[False] or parts[True]):
            found.append(SectionTime(section["title"], parts[False], parts[True], section["optional"]))
    return found


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
    rows = []
    for entry in _catalogue(root):
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
                "optional_minutes": time.optional_minutes,
                "exercise_minutes": exercise_minutes(exercise) if exercise else 0,
                "time": time,
            }
        )
    return rows


def time_row(minutes: int, exercise: int, optional: int = 0) -> str:
    """The header row, e.g. ``| **Time** | about 55 minutes (parts marked optional: about 15 minutes more;
    the exercise: about 30 minutes more) |``."""
    extras = []
    if optional:
        extras.append(f"parts marked *(optional)*: about {optional} minutes more")
    if exercise:
        extras.append(f"the exercise: about {exercise} minutes more")
    extra = f" ({'; '.join(extras)})" if extras else ""
    return f"| **Time** | about {minutes} minutes{extra} |"


def _tenths(minutes: float) -> str:
    return f"{minutes:.1f}" if minutes else ""


def timing_table(path: Path, quiz_questions: int | None = None) -> str:
    """The lesson's per-section timing table (markdown), as written into the instructor guide.

    One row per ``##`` section with its core and optional minutes to a tenth, then
    the lesson's stated minutes (the sums rounded up to a multiple of 5).
    """
    time = lesson_time(path, quiz_questions)
    sections = section_times(path, quiz_questions)
    lines = ["| Section | Core minutes | Optional minutes |", "|---|---|---|"]
    for section in sections:
        title = section.title.replace("|", "\\|") + (" *(optional)*" if section.optional else "")
        lines.append(f"| {title} | {_tenths(section.minutes)} | {_tenths(section.optional_minutes)} |")
    core = sum(section.minutes for section in sections)
    extra = sum(section.optional_minutes for section in sections)
    lines.append(
        f"| **Stated** (sums rounded up to {_ROUND_TO}) | **{time.minutes}** ({core:.1f}) | "
        + (f"**{time.optional_minutes}** ({extra:.1f}) |" if time.optional_minutes else "none |")
    )
    return "\n".join(lines) + "\n"


def guide_with_timings(text: str, root: Path) -> str:
    """``text`` (the instructor guide) with each ``<!-- timings:lessonNN -->`` block holding that lesson's table."""
    notebooks = {row["number"]: root / "lessons" / row["notebook"] for row in _catalogue(root)}

    def table(found: re.Match[str]) -> str:
        path = notebooks.get(int(found.group(2)))
        if path is None or not path.is_file():
            raise ValueError(
                f"{_GUIDE}: a timing table names lesson {found.group(2)}, which has no notebook in course.json; "
                "remove its <!-- timings:... --> block or add the lesson"
            )
        return found.group(1) + timing_table(path) + found.group(4)

    return _GUIDE_TABLE.sub(table, text)


def _catalogue(root: Path) -> list[dict[str, Any]]:
    lessons: list[dict[str, Any]] = json.loads(
        (root / "src" / "balancing_act" / "course.json").read_text(encoding="utf-8")
    )["lessons"]
    return lessons


def _map_cell(minutes: int, exercise: int, optional: int = 0) -> str:
    return (
        f"{minutes} min"
        + (f" (+ {optional} optional)" if optional else "")
        + (f" + {exercise} min exercise" if exercise else "")
    )


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
            entry["optional_minutes"] = row["optional_minutes"]
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
        replaced = _TIME_ROW.sub(time_row(row["minutes"], row["exercise_minutes"], row["optional_minutes"]), source, count=1)
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
            cell = _map_cell(row["minutes"], row["exercise_minutes"], row["optional_minutes"])
            lines[index] = line[: found.start()] + f"| {found.group(1)} | {found.group(2)} | {cell} |" + line[found.end() :]
    new = "".join(lines)
    if new != text:
        readme.write_text(new, encoding="utf-8")
        changed.append("README.md")
    guide = root / _GUIDE
    if guide.is_file():
        text = guide.read_text(encoding="utf-8")
        new = guide_with_timings(text, root)
        if new != text:
            guide.write_text(new, encoding="utf-8")
            changed.append(str(_GUIDE))
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m balancing_act.timing", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: current folder)")
    parser.add_argument("--write", action="store_true", help="write the times into course.json, the headers, the README and the instructor guide's tables")
    args = parser.parse_args(argv)
    rows = computed(args.root)
    print(f"Reading at {WORDS_PER_MINUTE} words a minute; allowances (minutes): "
          + ", ".join(f"{kind} {value:g}" for kind, value in ALLOWANCES.items())
          + f"; exercise question {EXERCISE_QUESTION_MINUTES:g}.")
    for row in rows:
        time: LessonTime = row["time"]
        parts = ", ".join(f"{n} {kind}" for kind, n in time.counts.items() if n)
        flags = []
        if row["minutes"] > LESSON_LIMIT_MINUTES:
            flags.append(f"CORE OVER {LESSON_LIMIT_MINUTES}")
        practice = time.counts.get("practice", 0)
        if row["number"] >= 1 and practice < time.practice_needed:  # Lesson 0 is the tour, not a lesson
            flags.append(f"PRACTICE {practice} < {time.practice_needed}")
        optional = f" + {row['optional_minutes']} min optional" if row["optional_minutes"] else ""
        print(f"Lesson {row['number']}: {row['minutes']} min{optional} (core reading {time.words} words = "
              f"{time.reading_minutes:.0f} min; {parts}); exercise {row['exercise_minutes']} min"
              + ("  " + ", ".join(flags) if flags else ""))
    if args.write:
        try:
            written = write(args.root)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for name in written:
            print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
