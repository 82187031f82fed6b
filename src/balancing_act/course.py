"""The course catalogue: lessons, launch links, and a map of the learner's progress.

The catalogue lives in ``course.json`` next to this module: one entry per lesson with
its number, title, notebook, estimated minutes, status and the article section to read
first, and the one citation of the article the course discusses (with its section
headings). The README's course map, the launch badges, the progress map and every
citation of the article are checked against it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module, resources
from importlib.util import find_spec
from urllib.parse import quote

import altair as alt
import pandas as pd

from balancing_act import charts, json_input
from balancing_act.progress import ProgressStore, default_store
from balancing_act.quiz import QuizBankError, load_bank

__all__ = [
    "BINDER",
    "Article",
    "CourseError",
    "Lesson",
    "article",
    "binder_badge",
    "binder_url",
    "course_map",
    "course_map_chart",
    "lessons",
    "where_to_resume",
]

BINDER = "https://mybinder.org/v2/gh"
_BADGE = "https://mybinder.org/badge_logo.svg"


class CourseError(ValueError):
    """The course catalogue ``course.json`` cannot be read."""


@dataclass(frozen=True)
class Lesson:
    number: int
    title: str
    notebook: str
    minutes: int
    status: str
    summary: str
    read_first: str = ""

    @property
    def available(self) -> bool:
        return self.status == "available"

    @property
    def bank_id(self) -> str:
        return f"lesson{self.number:02d}"


@lru_cache(maxsize=1)
def _catalogue() -> dict:
    text = (resources.files("balancing_act") / "course.json").read_text(encoding="utf-8")
    try:
        catalogue: dict = json_input.loads(text)
    except json.JSONDecodeError as exc:
        raise CourseError(
            f"course.json: not valid JSON ({exc}). Fix the syntax, or restore the file from the course repository."
        ) from None
    return catalogue


@dataclass(frozen=True)
class Article:
    """The article the course discusses, as cited everywhere in the course."""

    author: str
    title: str
    outlet: str
    year: str
    date: str
    url: str
    accessed: str
    citation: str
    sections: tuple[str, ...]


def article() -> Article:
    """The article's citation and its section headings, from the one entry in ``course.json``."""
    entry = _catalogue()["article"]
    fields = {name: entry[name] for name in Article.__dataclass_fields__ if name != "sections"}
    return Article(**fields, sections=tuple(entry["sections"]))


def lessons(*, available_only: bool = False) -> list[Lesson]:
    """Every lesson in the catalogue, in order."""
    out = [Lesson(**entry) for entry in _catalogue()["lessons"]]
    return [lesson for lesson in out if lesson.available] if available_only else out


def binder_url(notebook: str | None = None, *, ref: str = "HEAD") -> str:
    """The Binder launch address that opens ``lessons/<notebook>`` (or Lesson 0) in JupyterLab."""
    target = notebook or lessons()[0].notebook
    path = quote(f"lab/tree/lessons/{target}", safe="")
    return f"{BINDER}/{_catalogue()['repository']}/{ref}?urlpath={path}"


def binder_badge(notebook: str | None = None) -> str:
    """A Markdown launch badge for a lesson (or the course)."""
    return f"[![Launch on Binder]({_BADGE})]({binder_url(notebook)})"


def _items(lesson: Lesson) -> int:
    """How many graded items a lesson has: quiz questions plus exercise questions."""
    count = 0
    try:
        count += len(load_bank(lesson.bank_id).questions)
    except QuizBankError:
        pass
    module = f"balancing_act.exercises.lesson{lesson.number:02d}"
    if find_spec(module) is not None:
        count += len(import_module(module).ex.names)
    return count


def course_map(store: ProgressStore | None = None) -> pd.DataFrame:
    """One row per lesson: title, minutes, status, graded items, items answered correctly.

    ``progress`` is the share of a lesson's graded items answered correctly (percent);
    ``state`` is ``not started``, ``in progress``, ``done`` or ``in preparation``.
    """
    store = store if store is not None else default_store()
    done = store.summary().set_index("lesson")["items_correct"] if store.records() else pd.Series(dtype="int64")
    visited = {r.lesson for r in store.records()}
    rows = []
    for lesson in lessons():
        items = _items(lesson) if lesson.available else 0
        correct = int(done.get(lesson.number, 0))
        if not lesson.available:
            state = "in preparation"
        elif items and correct >= items:
            state = "done"
        elif correct or lesson.number in visited:
            state = "in progress"
        else:
            state = "not started"
        rows.append(
            {
                "lesson": lesson.number,
                "title": lesson.title,
                "minutes": lesson.minutes,
                "items": items,
                "correct": min(correct, items),
                "progress": round(100 * min(correct, items) / items, 1) if items else 0.0,
                "state": state,
            }
        )
    frame = pd.DataFrame(rows)
    frame.attrs["source"] = "Source: your progress file (show_progress() says where it is)"
    return frame


def where_to_resume(frame: pd.DataFrame) -> str:
    """A sentence saying which lesson to open next."""
    for row in frame.itertuples():
        if row.state in ("in progress", "not started"):
            verb = "Continue with" if row.state == "in progress" else "Start"
            return f"{verb} Lesson {row.lesson}: {row.title} ({row.correct} of {row.items} items done)."
    if (frame["state"] == "done").any():
        return "You have finished every available lesson. Well done; new lessons are in preparation."
    return "Start Lesson 0."


def course_map_chart(frame: pd.DataFrame) -> alt.Chart:
    """Bars of progress per lesson (percent of graded items correct), coloured by state."""
    data = frame.copy()
    data["label"] = data["lesson"].astype(str) + ". " + data["title"]
    states = ["done", "in progress", "not started", "in preparation"]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("progress:Q", title="Graded items answered correctly (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("state:N", title="State", sort=states, scale=alt.Scale(domain=states)),
            tooltip=[
                alt.Tooltip("label:N", title="Lesson"),
                alt.Tooltip("state:N", title="State"),
                alt.Tooltip("correct:Q", title="Items correct"),
                alt.Tooltip("items:Q", title="Graded items"),
                alt.Tooltip("minutes:Q", title="Minutes"),
            ],
        )
    )
    parts = [f"Lesson {r.lesson} {r.state}, {r.progress:.0f}%" for r in data.itertuples()]
    description = "Bar chart of your progress per lesson, in percent of graded items answered correctly. " + "; ".join(parts) + "."
    return charts.finish(chart, "Course map: your progress", str(frame.attrs["source"]), description, height=220)
