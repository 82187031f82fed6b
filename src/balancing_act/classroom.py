"""Hand-in files for learners and a class report for instructors.

On Binder a session is deleted when it sits idle, and with it the learner's
progress file.  So a learner hands in their progress as one file, from any
lesson::

    from balancing_act import hand_in
    hand_in("Ada Lovelace")     # or hand_in() for a pseudonymous id

and the instructor turns the collected files into one HTML page::

    python -m balancing_act.classroom report submissions/ --out report.html

Hand-in file (format version 1)
-------------------------------
A JSON object; ``progress`` is exactly the JSON form that
:meth:`balancing_act.progress.ProgressStore.export` writes::

    {
      "format": "balancing-act-hand-in",
      "version": 1,
      "course_version": "0.1.0",
      "learner": "Ada Lovelace",        # "" when the learner gave no name
      "learner_id": "3f9c2a1b",         # random, kept beside the progress file
      "exported_at": "2025-01-31T09:15:02Z",
      "progress": {"format": "balancing-act-progress", "version": 1,
                   "learner": "Ada Lovelace", "records": [...]}
    }

The report also reads a plain progress export (``store.export("x.json")``).

Which files the report uses
---------------------------
* Broken files (not JSON, cut short, wrong types), foreign files (no
  ``"format"`` of this course) and files of a newer format version are
  skipped with a message naming the file and the reason.
* A learner is the name they gave (letter case and spacing ignored) or, with
  no name, their ``learner_id``.  All files of one learner are combined: their
  records are merged and a record present in several files counts once.  A
  file that adds no record to the newer files of the same learner (a second
  copy, or an older export) is skipped as a duplicate, naming the file kept.
  So a learner who hands in twice, or whose Binder session was reset between
  two hand-ins, loses nothing and is counted once.

What the report counts
----------------------
For each quiz and exercise question: learners who attempted it (a graded
answer, correct or incorrect), the share of them right at their first try,
the share right at any try, and the most chosen wrong answer (each learner
counted once per answer).  Exercise questions nobody attempted are listed.
For each claim: the verdicts chosen (each learner's latest verdict) and the
reasons given.  The page names no learner unless ``--names mapping.csv`` is
given; learners are numbered instead.  Everything a learner typed is
HTML-escaped.  Charts are inline SVG rendered on this machine with
``vl-convert-python``; the page loads nothing from the network.
"""

from __future__ import annotations

import argparse
import ast
import csv
import glob
import hashlib
import json
import os
import re
import secrets
import sys
import tempfile
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from balancing_act import __version__
from balancing_act import progress as _progress
from balancing_act.progress import ProgressStore, Record, default_store
from balancing_act.safe_text import escape, plain

__all__ = [
    "FORMAT",
    "VERSION",
    "Catalogue",
    "ClaimInfo",
    "ClassReport",
    "CourseQuestion",
    "Learner",
    "Skip",
    "Submission",
    "SubmissionError",
    "build_report",
    "catalogue",
    "collect",
    "combine",
    "hand_in",
    "main",
    "read_names",
    "read_submission",
    "render_charts",
    "render_html",
    "shown_answer",
    "start_chart_engine",
    "write_hand_in",
]

#: Value of the ``"format"`` key that identifies a hand-in file.
FORMAT: Final = "balancing-act-hand-in"
#: Hand-in format version written (and the newest one read) by this module.
VERSION: Final = 1
#: Largest submission file the report reads, in bytes.
MAX_FILE_BYTES: Final = 20_000_000
#: The pin of the package that renders the charts.
CHART_PACKAGE: Final = "vl-convert-python==1.9.0.post1"

# Logins shared by every learner of a service: not a way to tell learners apart.
_SHARED_LOGINS: Final = frozenset({"", "jovyan", "root", "user", "ubuntu", "nobody", "admin"})
_ID_PATTERN: Final = re.compile(r"^[0-9a-f]{8,32}$")
_SLUG_LIMIT: Final = 40
_GRADED: Final = ("correct", "incorrect")


# ================================================================== hand-in
def _utc_now() -> datetime:
    return datetime.now(UTC)


def _slug(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens, at most 40 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:_SLUG_LIMIT].strip("-")


def _id_file(store: ProgressStore) -> Path | None:
    path: Path | None = store.path  # None where progress tracking is switched off
    return path.with_name(path.name + ".learner-id") if path is not None else None


def learner_id_of(store: ProgressStore) -> str:
    """A random id kept beside the progress file, so every hand-in of one file shares it.

    The quiz seeds its option order from it too, so a learner sees the same order
    each time they reopen a lesson.
    """
    path = _id_file(store)
    if path is None:  # no progress file, so nowhere to keep it: this hand-in gets its own id
        return secrets.token_hex(4)
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        text = ""
    if _ID_PATTERN.match(text):
        return text
    new = secrets.token_hex(4)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new + "\n", encoding="ascii")
    except OSError:
        pass  # the id still serves this hand-in; the next one gets a new id
    return new


def _given_name(name: str | None, store: ProgressStore) -> str:
    """The learner's name: the one passed, else the store's unless it is a shared login."""
    if name is not None:
        return " ".join(str(name).split())
    stored = " ".join(store.learner.split())
    return "" if stored.casefold() in _SHARED_LOGINS else stored


def _write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder (never half a file)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the instructor must be able to read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_hand_in(
    store: ProgressStore | None = None,
    folder: str | os.PathLike[str] | None = None,
    *,
    name: str | None = None,
) -> Path:
    """Write the hand-in file of ``store`` into ``folder`` and return its path.

    ``folder`` defaults to the current folder; ``name`` to the store's learner
    name (a shared login such as ``jovyan`` counts as no name, and the file is
    then named by the learner id).  Raises ``OSError`` when the file cannot be
    written; :func:`hand_in` is the learner-facing version that never raises.
    """
    active = store if store is not None else default_store()
    target = Path(folder).expanduser() if folder is not None else Path.cwd()
    if not target.is_dir():
        raise NotADirectoryError(f"{target} is not a folder")
    learner = _given_name(name, active)
    if name is not None and learner:
        active.set_learner(learner)
    learner_id = learner_id_of(active)
    now = _utc_now()
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    records = [record.to_dict() for record in active.records()]
    document = {
        "format": FORMAT,
        "version": VERSION,
        "course_version": __version__,
        "learner": learner,
        "learner_id": learner_id,
        "exported_at": stamp,
        "progress": {
            "format": _progress.FORMAT,
            "version": _progress.VERSION,
            "learner": learner,
            "records": records,
        },
    }
    who = _slug(learner) or f"id-{learner_id}"
    while True:
        path = target / f"balancing-act_{who}_{now.strftime('%Y%m%d-%H%M')}_{secrets.token_hex(3)}.json"
        if not path.exists():
            break
    _write_text(path, json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n")
    return path


def hand_in(
    name: str | None = None,
    folder: str | os.PathLike[str] | None = None,
    *,
    store: ProgressStore | None = None,
) -> Path | None:
    """Save your progress as one file to hand in, and say how to download it.

    ``name`` is how your instructor will know your file (for example your
    full name, or the id they gave you); without it the file carries a random
    id.  The file goes to ``folder``, by default the folder of the notebook you
    are in.  Returns the path written, or ``None`` if it could not be written
    (the message then says what to do; your progress is untouched).
    """
    try:
        path = write_hand_in(store, folder, name=name)
    except OSError as exc:
        where = Path(folder).expanduser() if folder is not None else Path.cwd()
        print(
            f"Could not save your hand-in file in {where} ({exc.strerror or exc}). "
            "Your progress is safe. Try another folder you can write to, "
            'for example hand_in(folder="~").'
        )
        return None
    document = json.loads(path.read_text(encoding="utf-8"))
    count = len(document["progress"]["records"])
    who = f" for {document['learner']}" if document["learner"] else f" (learner id {document['learner_id']})"
    lines = [
        f"Saved your progress{who}: {count} recorded answer{'s' if count != 1 else ''}.",
        f"File: {path.name}",
        f"Folder: {path.parent}",
        "To download it: in the JupyterLab file browser on the left, open that folder, "
        "right-click the file and choose Download. Then send the file to your instructor.",
    ]
    if count == 0:
        lines.insert(1, "It holds no answers yet: answer some quizzes or exercises, then hand in again.")
    if not document["learner"]:
        lines.append('Tip: hand_in("Your Name") puts your name in the file so your instructor knows it is yours.')
    print("\n".join(lines))
    return path


# ============================================================== submissions
class SubmissionError(Exception):
    """A file the report cannot use; ``kind`` says why (broken, foreign, newer...)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Skip:
    """A file the report did not use, and why."""

    path: Path
    kind: str
    message: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class Submission:
    """One readable hand-in (or plain progress export)."""

    path: Path
    learner: str
    learner_id: str
    exported_at: str
    records: tuple[Record, ...]
    ignored_records: int = 0

    @property
    def keys(self) -> tuple[str, ...]:
        """What identifies the learner: the name (case and spacing ignored) and the learner id."""
        keys = []
        if self.learner:
            keys.append("name:" + _name_key(self.learner))
        if self.learner_id:
            keys.append("id:" + self.learner_id.casefold())
        return tuple(keys)

    @property
    def sort_time(self) -> str:
        """When the file was made: its export time, else its latest record."""
        return self.exported_at or max((r.time for r in self.records), default="")


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise SubmissionError("broken", message)


def _progress_part(data: dict[str, Any], where: str) -> tuple[str, list[Any]]:
    """Validate a progress-format object; return its learner and raw records."""
    version = data.get("version")
    _expect(type(version) is int and version >= 1, f"{where}\"version\" must be a whole number >= 1, not {version!r}")
    if version > _progress.VERSION:
        raise SubmissionError(
            "newer format",
            f"{where}progress format version {version}; this version of balancing-act reads up to "
            f"{_progress.VERSION}. Upgrade balancing-act to read it.",
        )
    records = data.get("records", [])
    _expect(isinstance(records, list), f"{where}\"records\" must be a list, not {type(records).__name__}")
    learner = data.get("learner", "")
    _expect(isinstance(learner, str), f"{where}\"learner\" must be text, not {type(learner).__name__}")
    return learner, records


def read_submission(path: str | os.PathLike[str]) -> Submission:
    """Read one submission file; raise :class:`SubmissionError` saying why it cannot be used."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise SubmissionError("unreadable", "not a regular file")
        if size > MAX_FILE_BYTES:
            raise SubmissionError(
                "broken", f"{size:,} bytes is over the limit of {MAX_FILE_BYTES:,}; a hand-in is much smaller"
            )
        raw = file.read_bytes()
    except OSError as exc:
        raise SubmissionError("unreadable", exc.strerror or str(exc)) from None
    if not raw.strip():
        raise SubmissionError("broken", "the file is empty; ask the learner to hand in again")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SubmissionError("broken", "not UTF-8 text; it is not a hand-in file or it is damaged") from None
    except json.JSONDecodeError as exc:
        raise SubmissionError(
            "broken",
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "the file may be cut short or edited; ask the learner to hand in again",
        ) from None
    except (ValueError, RecursionError):
        raise SubmissionError("broken", "not valid JSON; ask the learner to hand in again") from None
    if not isinstance(data, dict):
        raise SubmissionError("foreign", f"not a balancing-act hand-in (a JSON {type(data).__name__}, not an object)")
    marker = data.get("format")
    if marker not in (FORMAT, _progress.FORMAT):
        shown = "no \"format\" key" if marker is None else f"\"format\" is {str(marker)[:60]!r}"
        raise SubmissionError("foreign", f"not a balancing-act hand-in ({shown})")
    if marker == _progress.FORMAT:
        learner, raw_records = _progress_part(data, "")
        learner_id, exported_at = "", ""
    else:
        version = data.get("version")
        _expect(type(version) is int and version >= 1, f"\"version\" must be a whole number >= 1, not {version!r}")
        if version > VERSION:
            raise SubmissionError(
                "newer format",
                f"hand-in format version {version}; this version of balancing-act reads up to {VERSION}. "
                "Upgrade balancing-act to read it.",
            )
        body = data.get("progress")
        if not isinstance(body, dict):
            raise SubmissionError("broken", f"\"progress\" must be an object, not {type(body).__name__}")
        inner_learner, raw_records = _progress_part(body, "in \"progress\": ")
        learner = data.get("learner", inner_learner)
        learner_id = data.get("learner_id", "")
        exported_at = data.get("exported_at", "")
        for key, value in (("learner", learner), ("learner_id", learner_id), ("exported_at", exported_at)):
            _expect(isinstance(value, str), f"\"{key}\" must be text, not {type(value).__name__}")
    learner = " ".join(learner.split())
    if not learner and not learner_id:
        learner_id = "file-" + hashlib.sha256(raw).hexdigest()[:12]
    parsed = [Record.from_dict(item) for item in raw_records]
    records = tuple(r for r in parsed if r is not None)
    return Submission(file, learner, learner_id, exported_at, records, len(parsed) - len(records))


def _expand(argument: str) -> tuple[list[Path], str | None]:
    """The files an argument names: a file, every ``*.json`` below a folder, or a glob."""
    try:
        return _expand_path(argument)
    except (OSError, RuntimeError) as exc:  # a name too long, an unknown ~user, an unreadable folder
        return [], f"{argument!r} cannot be read ({exc})"


def _expand_path(argument: str) -> tuple[list[Path], str | None]:
    path = Path(argument).expanduser()
    if path.is_dir():
        return sorted(p for p in path.rglob("*.json") if p.is_file()), None
    if path.exists():
        return [path], None
    if glob.has_magic(argument):
        found = sorted(Path(p) for p in glob.glob(os.path.expanduser(argument), recursive=True))
        files = [p for p in found if p.is_file()]
        if files:
            return files, None
        return [], f"no file matches {argument!r}"
    return [], f"{argument!r} does not exist; give hand-in files, folders of them or a pattern like 'hand-ins/*.json'"


def collect(arguments: Sequence[str]) -> tuple[list[Submission], list[Skip]]:
    """Read every file named by ``arguments``; return what was read and what was skipped."""
    submissions: list[Submission] = []
    skips: list[Skip] = []
    seen: set[Path] = set()
    for argument in arguments:
        files, problem = _expand(argument)
        if problem is not None:
            skips.append(Skip(Path(argument), "not found", problem))
        for file in files:
            key = file.resolve()
            if key in seen:
                continue
            seen.add(key)
            try:
                submissions.append(read_submission(file))
            except SubmissionError as error:
                skips.append(Skip(file, error.kind, error.message))
    return submissions, skips


@dataclass
class Learner:
    """One learner: the records of all their files, merged."""

    keys: tuple[str, ...]
    learner: str
    learner_id: str
    files: list[Path] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    label: str = ""


def _group(submissions: Sequence[Submission]) -> list[list[Submission]]:
    """Submissions that share a name or a learner id, transitively, form one group."""
    parent = list(range(len(submissions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, item in enumerate(submissions):
        for key in item.keys:
            if key in owner:
                parent[root(index)] = root(owner[key])
            else:
                owner[key] = index
    groups: dict[int, list[Submission]] = {}
    for index, item in enumerate(submissions):
        groups.setdefault(root(index), []).append(item)
    return list(groups.values())


def combine(submissions: Iterable[Submission]) -> tuple[list[Learner], list[Skip]]:
    """Group submissions by learner, merge their records, skip files that add nothing.

    Files with the same name (case and spacing ignored) or the same learner id
    belong to one learner.  Within one learner, files are taken newest first
    (export time, then file name); a file whose records are all in the files
    taken already is a duplicate.  Records are then ordered by time (ties keep
    file order), so a learner's first try is their earliest graded answer.
    """
    learners: list[Learner] = []
    skips: list[Skip] = []
    for items in _group(list(submissions)):
        items.sort(key=lambda s: (s.sort_time, str(s.path)), reverse=True)
        kept: list[Submission] = []
        known: set[tuple[Any, ...]] = set()
        for item in items:
            keys = {_record_key(r) for r in item.records}
            if kept and keys <= known:
                skips.append(
                    Skip(item.path, "duplicate", f"same learner as {kept[0].path}, and every answer in it is there too")
                )
                continue
            kept.append(item)
            known |= keys
        merged: dict[tuple[Any, ...], Record] = {}
        for item in reversed(kept):  # oldest first, so file order breaks time ties
            for record in item.records:
                merged.setdefault(_record_key(record), record)
        person = Learner(
            keys=tuple(sorted({key for item in items for key in item.keys})),
            learner=next((item.learner for item in items if item.learner), ""),
            learner_id=next((item.learner_id for item in items if item.learner_id), ""),
            files=[item.path for item in kept],
            records=sorted(merged.values(), key=lambda r: r.time),
        )
        learners.append(person)
    learners.sort(key=lambda p: hashlib.sha256("|".join(p.keys).encode("utf-8")).hexdigest())
    width = len(str(len(learners)))
    for number, person in enumerate(learners, start=1):
        person.label = f"Learner {number:0{width}d}"
    return learners, skips


def _record_key(record: Record) -> tuple[Any, ...]:
    return (record.lesson, record.item, record.kind, record.outcome, record.response, record.time)


# ================================================================ catalogue
@dataclass(frozen=True)
class CourseQuestion:
    """A gradable question of the course: a quiz question or an exercise check.

    ``item`` is the progress record's item (``quiz:<bank>:<id>`` or
    ``check:<name>``); with ``lesson`` it names the question uniquely.
    """

    lesson: int
    item: str
    kind: str  # "quiz" or "check"
    name: str
    prompt: str = ""
    number: int = 0  # position in the lesson's quiz (1, 2...); 0 for exercises

    @property
    def short(self) -> str:
        """A short label, ``Q3`` for the third quiz question, the name (``q3``) for an exercise."""
        return f"Q{self.number}" if self.kind == "quiz" else self.name


@dataclass(frozen=True)
class ClaimInfo:
    """A lesson's claim: its progress item (``claim:<id>``) and the verdicts a learner picks from."""

    lesson: int
    item: str
    verdicts: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """What the installed course asks: lessons (number, title), questions and claims, in course order."""

    lessons: tuple[tuple[int, str], ...]
    questions: tuple[CourseQuestion, ...]
    claims: tuple[ClaimInfo, ...]


def catalogue() -> Catalogue:
    """Every lesson, quiz question, exercise question and claim of the installed course."""
    from importlib import import_module
    from importlib.util import find_spec

    from balancing_act import course
    from balancing_act.claims import ClaimError, load_claim
    from balancing_act.quiz import QuizBankError, load_bank

    lessons: list[tuple[int, str]] = []
    questions: list[CourseQuestion] = []
    claims: list[ClaimInfo] = []
    for lesson in course.lessons(available_only=True):
        lessons.append((lesson.number, lesson.title))
        try:
            bank = load_bank(lesson.bank_id)
        except QuizBankError:
            bank = None
        if bank is not None:
            for number, q in enumerate(bank.questions, start=1):
                questions.append(
                    CourseQuestion(bank.lesson, f"quiz:{bank.id}:{q.id}", "quiz", q.id, plain(q.prompt), number)
                )
        module = f"balancing_act.exercises.lesson{lesson.number:02d}"
        if find_spec(module) is not None:
            ex = import_module(module).ex
            questions.extend(CourseQuestion(ex.lesson, f"check:{n}", "check", n) for n in ex.names)
        try:
            claim = load_claim(lesson.bank_id)
        except ClaimError:
            continue
        claims.append(ClaimInfo(claim.lesson, f"claim:{claim.id}", claim.verdicts))
    return Catalogue(tuple(lessons), tuple(questions), tuple(claims))


# =================================================================== report
@dataclass(frozen=True)
class QuestionStats:
    question: CourseQuestion
    attempted: int
    first_right: int
    ever_right: int
    wrong: tuple[tuple[str, int], ...]  # (answer shown, learners), most chosen first

    @property
    def first_share(self) -> float | None:
        return self.first_right / self.attempted if self.attempted else None

    @property
    def most_wrong(self) -> tuple[str, int] | None:
        return self.wrong[0] if self.wrong else None


@dataclass(frozen=True)
class ClaimStats:
    claim: ClaimInfo
    verdicts: tuple[tuple[str, int], ...]  # every verdict of the claim, then any other text
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class LearnerRow:
    label: str
    name: str
    lessons: int
    answered: int
    first_right: int
    last_activity: str
    files: int


@dataclass(frozen=True)
class ClassReport:
    """Everything the HTML page shows, as plain values."""

    catalogue: Catalogue
    questions: tuple[QuestionStats, ...]
    claims: tuple[ClaimStats, ...]
    learners: tuple[LearnerRow, ...]
    lesson_learners: dict[int, int]
    files_read: int
    skips: tuple[Skip, ...]
    unknown_items: int
    ignored_records: int
    named: bool
    generated_at: str

    def stats(self, lesson: int, item: str) -> QuestionStats:
        """The figures of one question (``KeyError`` if it is not in the course)."""
        for entry in self.questions:
            if entry.question.lesson == lesson and entry.question.item == item:
                return entry
        raise KeyError((lesson, item))

    def claim(self, lesson: int) -> ClaimStats:
        for entry in self.claims:
            if entry.claim.lesson == lesson:
                return entry
        raise KeyError(lesson)

    @property
    def never_attempted(self) -> list[CourseQuestion]:
        """Exercise questions that no learner attempted."""
        return [s.question for s in self.questions if s.question.kind == "check" and s.attempted == 0]


@lru_cache(maxsize=4096)
def shown_answer(response: str) -> str:
    """A recorded answer as a reader would say it: ``'Russia'`` -> ``Russia``, lists joined with +."""
    text = response.strip()
    if not text or text[0] not in "'\"[(":
        return response
    try:
        value = ast.literal_eval(text)
    except Exception:  # not a literal (or cut short): show it as recorded
        return response
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return " + ".join(value) if value else "(nothing)"
    return response


def _name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _mapped_name(person: Learner, names: Mapping[str, str]) -> str:
    for key in person.keys:
        bare = key.split(":", 1)[1]
        if bare in names:
            return names[bare]
    return ""


def _claim_verdict(response: str, verdicts: Sequence[str]) -> tuple[str, str]:
    """Split a claim record's ``"verdict: reason"`` response."""
    for verdict in sorted(verdicts, key=len, reverse=True):
        if response == verdict or response.startswith(verdict + ":"):
            return verdict, response[len(verdict) + 1 :].strip()
    return "(other)", response


def build_report(
    learners: Sequence[Learner],
    *,
    files_read: int,
    skips: Sequence[Skip] = (),
    names: Mapping[str, str] | None = None,
    course: Catalogue | None = None,
    ignored_records: int = 0,
) -> ClassReport:
    """Count, per question and claim, what the learners did.

    ``names`` maps a learner's name or learner id (see :func:`read_names`) to
    the name the report shows; without it the report shows only numbers.
    """
    cat = course if course is not None else catalogue()
    known = {(q.lesson, q.item): q for q in cat.questions}
    claim_info = {(c.lesson, c.item): c for c in cat.claims}
    attempts: dict[tuple[int, str], list[int]] = {key: [0, 0, 0] for key in known}
    wrong: dict[tuple[int, str], Counter[str]] = {key: Counter() for key in known}
    verdicts: dict[tuple[int, str], Counter[str]] = {key: Counter() for key in claim_info}
    reasons: dict[tuple[int, str], list[str]] = {key: [] for key in claim_info}
    lesson_learners: Counter[int] = Counter()
    rows: list[LearnerRow] = []
    unknown = 0
    for person in learners:
        firsts: dict[tuple[int, str], Record] = {}
        right: set[tuple[int, str]] = set()
        wrong_seen: set[tuple[int, str, str]] = set()
        latest_claim: dict[tuple[int, str], Record] = {}
        for record in person.records:
            key = (record.lesson, record.item)
            if key in claim_info:
                latest_claim[key] = record
                continue
            if record.kind == "visit" or record.outcome not in _GRADED:
                continue
            if key not in known:
                unknown += 1
                continue
            firsts.setdefault(key, record)
            if record.outcome == "correct":
                right.add(key)
            elif (*key, record.response) not in wrong_seen:
                wrong_seen.add((*key, record.response))
                wrong[key][shown_answer(record.response)] += 1
        for key, record in firsts.items():
            counts = attempts[key]
            counts[0] += 1
            counts[1] += record.outcome == "correct"
            counts[2] += key in right
        for key, record in latest_claim.items():
            verdict, reason = _claim_verdict(record.response, claim_info[key].verdicts)
            verdicts[key][verdict] += 1
            if reason:
                reasons[key].append(reason)
        for lesson in {r.lesson for r in person.records}:
            lesson_learners[lesson] += 1
        name = _mapped_name(person, names) if names else ""
        rows.append(
            LearnerRow(
                label=person.label,
                name=name,
                lessons=len({r.lesson for r in person.records}),
                answered=len(firsts),
                first_right=sum(1 for r in firsts.values() if r.outcome == "correct"),
                last_activity=max((r.time for r in person.records), default=""),
                files=len(person.files),
            )
        )
    question_stats = tuple(
        QuestionStats(
            q,
            *attempts[(q.lesson, q.item)],
            tuple(sorted(wrong[(q.lesson, q.item)].items(), key=lambda kv: (-kv[1], kv[0]))),
        )
        for q in cat.questions
    )
    claim_stats = []
    for info in cat.claims:
        counter = verdicts[(info.lesson, info.item)]
        ordered = [(v, counter.get(v, 0)) for v in info.verdicts]
        if counter.get("(other)"):
            ordered.append(("(other)", counter["(other)"]))
        claim_stats.append(ClaimStats(info, tuple(ordered), tuple(reasons[(info.lesson, info.item)])))
    return ClassReport(
        catalogue=cat,
        questions=question_stats,
        claims=tuple(claim_stats),
        learners=tuple(rows),
        lesson_learners=dict(lesson_learners),
        files_read=files_read,
        skips=tuple(skips),
        unknown_items=unknown,
        ignored_records=ignored_records,
        named=bool(names),
        generated_at=_utc_now().strftime("%Y-%m-%d %H:%M UTC"),
    )


# ==================================================================== charts
def _vl_version() -> str:
    import altair as alt

    match = re.match(r"v?(\d+)\.(\d+)", alt.SCHEMA_VERSION)
    return f"{match.group(1)}.{match.group(2)}" if match else ""


_XMLNS = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


def _to_svg(spec: dict[str, Any]) -> str:
    """Render a Vega-Lite spec to inline SVG on this machine (no network: no base URL allowed)."""
    import vl_convert

    version = _vl_version()
    if version not in vl_convert.get_vegalite_versions():
        version = ""
    svg = vl_convert.vegalite_to_svg(spec, vl_version=version or None, allowed_base_urls=[])
    # Inside HTML the SVG namespace is implied; dropping the declarations leaves no address in the page.
    return _XMLNS.sub("", svg, count=3)


# The charts are static SVG, so they carry no tooltips: the tables beside them hold every figure.
def _share_chart(stats: Sequence[QuestionStats], title: str, source: str) -> Any:
    import altair as alt
    import pandas as pd

    from balancing_act import charts

    rows = [
        {
            # Short labels: drawing text is most of the time a chart takes; the tables give the full names.
            "question": f"L{s.question.lesson} {s.question.short}",
            "share": round(100 * (s.first_share or 0.0), 1),
            "attempted": s.attempted,
        }
        for s in stats
        if s.attempted
    ]
    frame = pd.DataFrame(rows, columns=["question", "share", "attempted"])
    order = list(frame["question"])
    chart = (
        alt.Chart(frame)
        .mark_bar(color=charts.PALETTE[0])
        .encode(
            y=alt.Y("question:N", sort=order, title="Lesson and question"),
            x=alt.X("share:Q", title="Right at first try (% of learners who attempted)", scale=alt.Scale(domain=[0, 100])),
        )
    )
    weakest = sorted(rows, key=lambda r: r["share"])[:3]
    description = (
        f"Bar chart of the share of learners right at their first try, for {len(rows)} questions. "
        + "Lowest: " + "; ".join(f"{r['question']} {r['share']:.0f}%" for r in weakest) + "."
    )
    return charts.finish(chart, title, source, description, width=460, height=max(40, 16 * len(rows)))


def _claims_chart(claims: Sequence[ClaimStats], source: str) -> Any:
    import altair as alt
    import pandas as pd

    from balancing_act import charts

    rows = [
        {"claim": f"Lesson {c.claim.lesson}", "verdict": verdict, "learners": count, "order": index}
        for c in claims
        for index, (verdict, count) in enumerate(c.verdicts)
        if count
    ]
    frame = pd.DataFrame(rows, columns=["claim", "verdict", "learners", "order"])
    verdicts = list(dict.fromkeys(v for c in claims for v, _ in c.verdicts))
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("claim:N", title=None, sort=[f"Lesson {c.claim.lesson}" for c in claims]),
            x=alt.X("learners:Q", title="Learners (latest verdict of each)"),
            color=alt.Color("verdict:N", title="Verdict", sort=verdicts, scale=alt.Scale(domain=verdicts)),
            order=alt.Order("order:Q"),
        )
    )
    description = "Stacked bar chart of the verdicts learners chose on each lesson's claim. " + "; ".join(
        f"Lesson {c.claim.lesson}: " + ", ".join(f"{v} {n}" for v, n in c.verdicts if n) for c in claims
    ) + "."
    return charts.finish(chart, "Verdicts on each lesson's claim", source, description, width=460, height=max(40, 22 * len(claims)))


def start_chart_engine() -> threading.Thread | None:
    """Start the chart engine in the background (it takes a while), or return ``None`` without it.

    The conversion releases the interpreter lock, so the engine starts while
    the files are read and counted; the first chart then waits only for what
    is left of the start.
    """
    try:
        import vl_convert
    except ImportError:
        return None
    spec = {"mark": "point", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a", "type": "quantitative"}}}

    def warm() -> None:
        try:
            vl_convert.vegalite_to_svg(spec, vl_version=_vl_version() or None, allowed_base_urls=[])
        except Exception:  # the real conversion reports any problem
            pass

    thread = threading.Thread(target=warm, name="chart-engine", daemon=True)
    thread.start()
    return thread


def render_charts(report: ClassReport) -> tuple[list[str], str]:
    """The report's charts as inline SVG, and a note (empty when all went well)."""
    try:
        import vl_convert  # noqa: F401
    except ImportError:
        return [], (
            f"Charts are missing: they need the {CHART_PACKAGE.split('==')[0]} package "
            f"(pip install {CHART_PACKAGE}). The tables hold the same figures."
        )
    source = f"Source: {report.files_read} hand-in files, {len(report.learners)} learners"
    specs = []
    quiz = [s for s in report.questions if s.question.kind == "quiz"]
    checks = [s for s in report.questions if s.question.kind == "check"]
    if any(s.attempted for s in quiz):
        specs.append(_share_chart(quiz, "Quiz questions: right at first try", source))
    if any(s.attempted for s in checks):
        specs.append(_share_chart(checks, "Exercise questions: right at first try", source))
    if any(n for c in report.claims for _, n in c.verdicts):
        specs.append(_claims_chart(report.claims, source))
    try:
        return [_to_svg(chart.to_dict()) for chart in specs], ""
    except Exception as exc:  # a rendering failure must not cost the instructor the tables
        return [], f"Charts could not be drawn ({type(exc).__name__}: {exc}). The tables hold the same figures."


# ====================================================================== HTML
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;width:100%;font-size:.92rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef4f9}td.n{text-align:right;white-space:nowrap}
.low{background:#fbe3d6}.meta{color:#444}.note{background:#fff6db;padding:.5rem .8rem;border-left:4px solid #E69F00}
figure{margin:1rem 0;overflow-x:auto}nav a{margin-right:.8rem}
details{margin:.4rem 0 1rem}li{margin:.15rem 0}
@media print{nav{display:none}h2{break-before:auto}}
"""

#: A first-try share below this is highlighted in the tables.
LOW_SHARE: Final = 0.5


def _pct(part: int, whole: int) -> str:
    if not whole:
        return "—"
    return f"{round(100 * part / whole)}% ({part} of {whole})"


def _attrs(**values: object) -> str:
    return "".join(f' data-{k.replace("_", "-")}="{escape(str(v))}"' for k, v in values.items())


def _question_table(stats: Sequence[QuestionStats], heading: str, wrong_label: str) -> str:
    head = (
        f"<table><caption class='sr'>{escape(heading)}</caption><thead><tr><th>Question</th><th>Attempted</th>"
        f"<th>Right at first try</th><th>Right at any try</th><th>{escape(wrong_label)}</th></tr></thead><tbody>"
    )
    body = []
    for s in stats:
        q = s.question
        wrong_text, wrong_count = s.most_wrong or ("", 0)
        low = s.first_share is not None and s.first_share < LOW_SHARE
        title = f"{q.short} · {q.name}" if q.kind == "quiz" else q.name
        label = f"<strong>{escape(title)}</strong>" + (f"<br>{escape(q.prompt)}" if q.prompt else "")
        wrong_cell = f"{escape(wrong_text)} ({wrong_count})" if wrong_count else "—"
        body.append(
            f"<tr{_attrs(lesson=q.lesson, item=q.item, attempted=s.attempted, first_right=s.first_right, ever_right=s.ever_right, wrong=wrong_text, wrong_count=wrong_count)}>"
            f"<td>{label}</td><td class='n'>{s.attempted}</td>"
            f"<td class='n{' low' if low else ''}'>{_pct(s.first_right, s.attempted)}</td>"
            f"<td class='n'>{_pct(s.ever_right, s.attempted)}</td><td>{wrong_cell}</td></tr>"
        )
    return head + "".join(body) + "</tbody></table>"


def _claim_block(stats: ClaimStats) -> str:
    total = sum(n for _, n in stats.verdicts)
    rows = "".join(
        f"<tr{_attrs(claim=stats.claim.item, verdict=verdict, count=count)}><td>{escape(verdict)}</td>"
        f"<td class='n'>{_pct(count, total) if total else count}</td></tr>"
        for verdict, count in stats.verdicts
    )
    out = f"<table><thead><tr><th>Verdict</th><th>Learners</th></tr></thead><tbody>{rows}</tbody></table>"
    if stats.reasons:
        items = "".join(f"<li>{escape(reason)}</li>" for reason in stats.reasons)
        out += f"<details><summary>Reasons learners gave ({len(stats.reasons)})</summary><ul>{items}</ul></details>"
    return out


def _skip_summary(skips: Sequence[Skip]) -> str:
    if not skips:
        return "No file was skipped."
    kinds = Counter(s.kind for s in skips)
    parts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return f"{len(skips)} file{'s' if len(skips) != 1 else ''} skipped ({parts}); the command's messages name each file."


def render_html(report: ClassReport, *, charts: bool = True) -> str:
    """The whole report as one self-contained HTML page (no script, no outside address)."""
    cat = report.catalogue
    svgs, chart_note = render_charts(report) if charts else ([], "")
    learners = len(report.learners)
    privacy = (
        "Learners are shown with the names from the mapping file you gave."
        if report.named
        else "Learners are numbered, not named: pass --names mapping.csv to show names."
    )
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>Class report: Beijing Balancing Act</title>",
        f"<style>{_CSS}.sr{{position:absolute;left:-9999px}}</style></head><body><main>",
        "<h1>Class report: Beijing Balancing Act</h1>",
        f"<p class='meta'>Made {escape(report.generated_at)} from {report.files_read} hand-in file"
        f"{'s' if report.files_read != 1 else ''} of <strong data-learners='{learners}'>{learners} learner"
        f"{'s' if learners != 1 else ''}</strong>. {escape(_skip_summary(report.skips))} {escape(privacy)}</p>",
    ]
    notes = []
    if report.ignored_records:
        notes.append(f"{report.ignored_records} damaged records in the files were ignored.")
    if report.unknown_items:
        notes.append(f"{report.unknown_items} answers were to questions this version of the course does not have; they are not counted.")
    if notes:
        parts.append(f"<p class='note'>{' '.join(notes)}</p>")
    parts.append(
        "<p>How to read it: <em>attempted</em> counts learners with a graded answer; <em>right at first try</em> "
        "is the share of them whose first answer was right; the most chosen wrong answer counts each learner once. "
        f"First-try shares below {round(100 * LOW_SHARE)}% are shaded.</p>"
    )
    parts.append("<nav aria-label='Lessons'>" + "".join(f"<a href='#lesson-{n}'>Lesson {n}</a>" for n, _ in cat.lessons) + "<a href='#learners'>Learners</a></nav>")
    parts.append("<h2 id='overview'>Lessons at a glance</h2><table><thead><tr><th>Lesson</th><th>Learners with records</th>"
                 "<th>Quiz answers right at first try</th><th>Exercise answers right at first try</th>"
                 "<th>Exercise questions nobody attempted</th></tr></thead><tbody>")
    for number, title in cat.lessons:
        mine = [s for s in report.questions if s.question.lesson == number]
        quiz = [s for s in mine if s.question.kind == "quiz"]
        checks = [s for s in mine if s.question.kind == "check"]
        never = [s.question.name for s in checks if not s.attempted]
        parts.append(
            f"<tr><td><a href='#lesson-{number}'>{number}. {escape(title)}</a></td>"
            f"<td class='n'>{report.lesson_learners.get(number, 0)}</td>"
            f"<td class='n'>{_pct(sum(s.first_right for s in quiz), sum(s.attempted for s in quiz))}</td>"
            f"<td class='n'>{_pct(sum(s.first_right for s in checks), sum(s.attempted for s in checks))}</td>"
            f"<td>{escape(', '.join(never)) or '—'}</td></tr>"
        )
    parts.append("</tbody></table>")
    if svgs or chart_note:
        parts.append("<h2 id='charts'>Charts</h2>")
        if chart_note:
            parts.append(f"<p class='note'>{escape(chart_note)}</p>")
        parts.extend(f"<figure>{svg}</figure>" for svg in svgs)
    claims = {c.claim.lesson: c for c in report.claims}
    for number, title in cat.lessons:
        mine = [s for s in report.questions if s.question.lesson == number]
        quiz = [s for s in mine if s.question.kind == "quiz"]
        checks = [s for s in mine if s.question.kind == "check"]
        parts.append(f"<h2 id='lesson-{number}'>Lesson {number} · {escape(title)}</h2>")
        if quiz:
            parts.append("<h3>Quiz</h3>" + _question_table(quiz, f"Lesson {number} quiz", "Most chosen wrong answer (learners)"))
        if checks:
            parts.append("<h3>Exercises</h3>" + _question_table(checks, f"Lesson {number} exercises", "Most common wrong answer (learners)"))
            never = [s.question for s in checks if not s.attempted]
            if never:
                items = "".join(f"<li{_attrs(never=q.item, lesson=q.lesson)}>{escape(q.name)}</li>" for q in never)
                parts.append(f"<p>Nobody attempted these exercise questions:</p><ul>{items}</ul>")
        if number in claims:
            parts.append("<h3>Claim</h3>" + _claim_block(claims[number]))
    parts.append("<h2 id='learners'>Learners</h2><table><thead><tr><th>Learner</th>"
                 + ("<th>Name</th>" if report.named else "")
                 + "<th>Lessons with records</th><th>Questions answered</th><th>Right at first try</th>"
                 "<th>Last activity (UTC)</th><th>Files</th></tr></thead><tbody>")
    for row in report.learners:
        parts.append(
            f"<tr><td>{escape(row.label)}</td>" + (f"<td>{escape(row.name) or '—'}</td>" if report.named else "")
            + f"<td class='n'>{row.lessons}</td><td class='n'>{row.answered}</td>"
            f"<td class='n'>{_pct(row.first_right, row.answered)}</td><td>{escape(row.last_activity)}</td>"
            f"<td class='n'>{row.files}</td></tr>"
        )
    parts.append("</tbody></table>")
    parts.append(f"<p class='meta'>Made with balancing-act {escape(__version__)}.</p></main></body></html>\n")
    return "".join(parts)


# ======================================================================= CLI
def read_names(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a mapping CSV with columns ``learner`` (name or id in the hand-in) and ``name``.

    Raises ``ValueError`` with a message saying what is wrong.
    """
    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValueError(f"the mapping file {file} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"the mapping file {file} cannot be read ({exc})") from None
    reader = csv.DictReader(text.splitlines())
    columns = {c.strip().casefold(): c for c in (reader.fieldnames or [])}
    if "learner" not in columns or "name" not in columns:
        raise ValueError(
            f"the mapping file {file} needs a header row with the columns learner,name "
            f"(found: {', '.join(reader.fieldnames or []) or 'no header'}); "
            "each row gives the name or id in a hand-in file and the name to show"
        )
    mapping: dict[str, str] = {}
    for row in reader:
        key = _name_key(row.get(columns["learner"]) or "")
        shown = " ".join((row.get(columns["name"]) or "").split())
        if key and shown:
            mapping[key] = shown
    if not mapping:
        raise ValueError(f"the mapping file {file} has no row with both a learner and a name")
    return mapping


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m balancing_act.classroom",
        description="Turn learners' hand-in files into one class report (HTML).",
    )
    commands = parser.add_subparsers(dest="command", metavar="report", required=True)
    report = commands.add_parser(
        "report",
        help="write the class report",
        description="Read hand-in files (files, folders or patterns) and write one self-contained HTML report.",
    )
    report.add_argument("submissions", nargs="+", metavar="SUBMISSIONS", help="hand-in .json files, folders of them, or patterns")
    report.add_argument("--out", default="class-report.html", help="the HTML file to write (default: class-report.html)")
    report.add_argument("--names", metavar="MAPPING.csv", help="CSV with columns learner,name: show these names instead of numbers")
    report.add_argument("--no-charts", action="store_true", help="leave the charts out (faster)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 when at least one file was read)."""
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    out = Path(args.out).expanduser()
    if out.is_dir():
        print(f"error: --out {out} is a folder; give a file name such as {out / 'class-report.html'}", file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"error: the folder {out.parent} for --out does not exist; create it or choose another path", file=sys.stderr)
        return 2
    names = None
    if args.names:
        try:
            names = read_names(args.names)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if not args.no_charts:
        start_chart_engine()
    submissions, skips = collect(args.submissions)
    learners, duplicates = combine(submissions)
    skips += duplicates
    for skip in skips:
        print(skip, file=sys.stderr)
    used = len(submissions) - len(duplicates)
    if not learners:
        print(
            f"error: no hand-in file could be read ({len(skips)} skipped, see above). "
            "Pass the learners' .json hand-in files, or the folder that holds them.",
            file=sys.stderr,
        )
        return 1
    report = build_report(
        learners,
        files_read=used,
        skips=skips,
        names=names,
        ignored_records=sum(s.ignored_records for s in submissions),
    )
    page = render_html(report, charts=not args.no_charts)
    try:
        _write_text(out, page)
    except OSError as exc:
        print(f"error: could not write {out} ({exc.strerror or exc}); choose another --out", file=sys.stderr)
        return 2
    if names is not None:
        missing = sum(1 for row in report.learners if not row.name)
        if missing:
            print(f"note: {missing} learners are not in {args.names}; the report shows them by number only")
    print(f"Read {used} file{'s' if used != 1 else ''} from {len(learners)} learners; skipped {len(skips)}. Wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
