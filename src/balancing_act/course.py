"""The course catalogue: lessons, launch links, and a map of the learner's progress.

The catalogue lives in ``course.json`` next to this module: one entry per lesson with
its number, title, notebook, estimated minutes, status and the article section to read
first, and the one citation of the article the course discusses (with its section
headings). The README's course map, the launch badges, the progress map and every
citation of the article are checked against it.

The repository address is written once, as ``"repository"`` in ``course.json``; the
Binder links and the nbgitpuller links for a class JupyterHub are both built from it.
The ``"hub"`` section holds the placeholder hub address and the branch the links pull.
For instructors, ``python -m balancing_act.course links --hub https://hub.example.edu``
prints one nbgitpuller link per lesson.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module, resources
from importlib.util import find_spec
from urllib.parse import quote, urlencode, urlsplit

import altair as alt
import pandas as pd

from balancing_act import charts, json_input
from balancing_act.progress import ProgressStore, default_store
from balancing_act.quiz import QuizBankError, load_bank

__all__ = [
    "BINDER",
    "Article",
    "CourseError",
    "GIT_HOST",
    "Lesson",
    "article",
    "binder_badge",
    "binder_url",
    "course_map",
    "course_map_chart",
    "hub_links",
    "lessons",
    "main",
    "nbgitpuller_path",
    "nbgitpuller_url",
    "repository_url",
    "where_to_resume",
]

BINDER = "https://mybinder.org/v2/gh"
#: Where ``course.json``'s ``"repository"`` (``owner/name``) is hosted; Binder's ``gh`` provider says the same.
GIT_HOST = "https://github.com"
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
    #: Minutes for the lesson's exercise notebook, stated apart (computed by balancing_act.timing).
    exercise_minutes: int = 0
    #: Minutes of the parts marked *(optional)*, stated apart (computed by balancing_act.timing).
    optional_minutes: int = 0

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


def repository_url() -> str:
    """The git address of the course, built from ``course.json``'s ``"repository"``."""
    return f"{GIT_HOST}/{_catalogue()['repository']}"


def _hub_setting(key: str) -> str:
    return str(_catalogue()["hub"][key])


def _folder_name(repo: str) -> str:
    """The folder nbgitpuller clones ``repo`` into: its last path segment, without ``.git``."""
    name = re.split(r"[/:]", repo.rstrip("/"))[-1]
    name = name[:-4] if name.endswith(".git") else name
    if name in ("", ".", ".."):
        raise ValueError(
            f"Cannot name a folder after the repository address {repo!r}: it has no last path segment. "
            "Give the full address of a git repository, e.g. https://github.com/owner/name, or pass targetpath."
        )
    return name


def _lesson_notebook(notebook: str | None) -> str:
    names = [lesson.notebook for lesson in lessons(available_only=True)]
    target = notebook or names[0]
    if target not in names:
        raise ValueError(f"No available lesson has the notebook {target!r}. Use one of: {', '.join(names)}.")
    return target


def _hub_base(hub_url: str | None) -> str:
    """The hub address without a trailing slash; a clear error for anything but http(s)://host[/prefix]."""
    url = (hub_url if hub_url is not None else _hub_setting("url")).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(
            f"The hub address must look like https://hub.example.edu (optionally with a path prefix), "
            f"with no query or fragment; got {url!r}. Use the address students open to log in to your JupyterHub."
        )
    return url.rstrip("/")


def nbgitpuller_path(
    notebook: str | None = None,
    *,
    repo: str | None = None,
    branch: str | None = None,
    targetpath: str | None = None,
) -> str:
    """The single-user-server part of an nbgitpuller link: ``git-pull?repo=...&urlpath=...``.

    Opening it on a user's server clones (or updates) ``repo`` into ``targetpath`` (default: the
    repository's folder name) in the user's home, then opens ``lessons/<notebook>`` in JupyterLab.
    ``repo`` defaults to :func:`repository_url`, ``branch`` to ``course.json``'s hub branch.
    It is what ``c.Spawner.default_url`` (or z2jh's ``singleuser.defaultUrl``) takes, after a ``/``.
    """
    source = repo if repo is not None else repository_url()
    folder = targetpath if targetpath is not None else _folder_name(source)
    query = urlencode(
        [
            ("repo", source),
            ("branch", branch if branch is not None else _hub_setting("branch")),
            ("targetpath", folder),
            ("urlpath", f"lab/tree/{folder}/lessons/{_lesson_notebook(notebook)}"),
        ],
        quote_via=quote,
        safe="",
    )
    return f"git-pull?{query}"


def nbgitpuller_url(
    hub_url: str | None = None,
    notebook: str | None = None,
    *,
    repo: str | None = None,
    branch: str | None = None,
    targetpath: str | None = None,
) -> str:
    """An nbgitpuller link for a JupyterHub: log in, pull the course, open ``lessons/<notebook>``.

    ``hub_url`` defaults to the placeholder in ``course.json``; the other arguments are those of
    :func:`nbgitpuller_path`. The link goes through ``/hub/user-redirect/``, so one link works for
    every student: the hub sends each to their own server.
    """
    path = nbgitpuller_path(notebook, repo=repo, branch=branch, targetpath=targetpath)
    return f"{_hub_base(hub_url)}/hub/user-redirect/{path}"


def hub_links(hub_url: str | None = None, *, repo: str | None = None, branch: str | None = None) -> pd.DataFrame:
    """One row per available lesson: number, title, minutes and its nbgitpuller link."""
    rows = [
        {
            "lesson": lesson.number,
            "title": lesson.title,
            "minutes": lesson.minutes,
            "link": nbgitpuller_url(hub_url, lesson.notebook, repo=repo, branch=branch),
        }
        for lesson in lessons(available_only=True)
    ]
    return pd.DataFrame(rows, columns=["lesson", "title", "minutes", "link"])


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


def course_map(store: ProgressStore | None = None, *, hub_url: str | None = None) -> pd.DataFrame:
    """One row per lesson: title, minutes, status, graded items, items answered correctly.

    ``progress`` is the share of a lesson's graded items answered correctly (percent);
    ``state`` is ``not started``, ``in progress``, ``done`` or ``in preparation``.
    With ``hub_url`` (a class JupyterHub's address) a ``hub_link`` column gives each available
    lesson's nbgitpuller link (empty for lessons in preparation).
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
        if hub_url is not None:
            rows[-1]["hub_link"] = nbgitpuller_url(hub_url, lesson.notebook) if lesson.available else ""
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m balancing_act.course",
        description="Course catalogue tools for instructors.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    links = commands.add_parser("links", help="print one nbgitpuller link per lesson for a JupyterHub")
    links.add_argument("--hub", default=None, help=f"the hub's address (default: {_hub_setting('url')})")
    links.add_argument("--branch", default=None, help=f"the branch to pull (default: {_hub_setting('branch')})")
    links.add_argument("--repo", default=None, help=f"the git repository (default: {repository_url()})")
    links.add_argument("--markdown", action="store_true", help="print a Markdown table instead of plain lines")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``links``: print the nbgitpuller link of every available lesson."""
    args = _parser().parse_args(argv)
    try:
        table = hub_links(args.hub, repo=args.repo, branch=args.branch)
    except ValueError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if args.markdown:
        print("| # | Lesson | Time | Link for your hub |")
        print("|---|--------|------|-------------------|")
        for row in table.itertuples():
            print(f"| {row.lesson} | {row.title} | {row.minutes} min | [open on the hub]({row.link}) |")
    else:
        for row in table.itertuples():
            print(f"Lesson {row.lesson}: {row.title} ({row.minutes} min)\n  {row.link}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
