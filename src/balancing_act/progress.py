"""A learner's progress, kept in one local JSON file.

Quizzes (:mod:`balancing_act.quiz`) and exercise checks
(:mod:`balancing_act.checks`) record every graded answer here, so a learner can
see how far they got and an instructor can collect an export.

Where the file lives
--------------------
``$BALANCING_ACT_PROGRESS`` if that environment variable names a file;
otherwise ``progress.json`` in the user data folder, which on Linux is
``~/.local/share/balancing-act/progress.json`` (or ``$XDG_DATA_HOME/...``).
The variable is read each time :func:`default_store` or :func:`default_path`
is called, never at import time.

File format (version 1)
-----------------------
::

    {
      "format": "balancing-act-progress",
      "version": 1,
      "learner": "ada",
      "records": [
        {"lesson": 1, "item": "quiz:lesson01:q3", "kind": "quiz",
         "outcome": "correct", "response": "'Russia'",
         "time": "2025-01-31T09:15:02Z"}
      ]
    }

``kind`` is ``"quiz"``, ``"check"`` or ``"visit"``; ``outcome`` is
``"correct"``, ``"incorrect"`` or ``"not_attempted"`` (visits use
``"not_attempted"``).  ``response`` is a short description of the learner's
answer, at most 200 characters.

Safety rules
------------
* Every write takes an exclusive lock on a sidecar file
  (``progress.json.lock``), re-reads the file, appends, and replaces the file
  atomically (temporary file in the same folder, ``fsync``, ``os.replace``).
  Two kernels writing at the same time therefore lose nothing.  Where
  ``fcntl`` is missing, ``msvcrt`` locking is used; with neither, writes go
  ahead unlocked (still atomic).
* A file that is not valid JSON, or that belongs to something else (wrong
  ``"format"``), is never deleted: it is moved aside to
  ``progress.json.bak-<UTC timestamp>`` and a fresh file is started, with a
  :class:`ProgressWarning` that says where the old file went.
* A file written by a newer version of the course (``"version"`` above 1) is
  left untouched; records go to a sibling file ``progress.v1.json`` instead,
  with a warning.
* If the file cannot be written at all (read-only folder, full disk), the
  learner gets a warning, never an exception; the records stay in memory and
  are written by the next successful attempt.

Example::

    from balancing_act.progress import default_store, show_progress

    store = default_store()
    store.record(1, "quiz:lesson01:q1", "quiz", "correct", response="'Russia'")
    show_progress()          # one line per lesson
    store.export("ada.csv")  # file for the instructor
"""

from __future__ import annotations

import contextlib
import csv
import getpass
import json
import os
import tempfile
import time as _time
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

import pandas as pd

from balancing_act.safe_text import escape, safe_repr, truncate

try:  # POSIX
    import fcntl as _fcntl
except ImportError:  # pragma: no cover - Windows
    _fcntl = None  # type: ignore[assignment]

try:  # Windows
    import msvcrt as _msvcrt  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    _msvcrt = None  # type: ignore[assignment,unused-ignore]

__all__ = [
    "ENV_VAR",
    "FORMAT",
    "KINDS",
    "OUTCOMES",
    "VERSION",
    "ProgressReport",
    "ProgressStore",
    "ProgressWarning",
    "Record",
    "default_path",
    "default_store",
    "mark_visited",
    "show_progress",
]

#: Value of the ``"format"`` key that identifies a progress file.
FORMAT: Final = "balancing-act-progress"
#: Format version written by this module.
VERSION: Final = 1
#: Environment variable that overrides the progress file location.
ENV_VAR: Final = "BALANCING_ACT_PROGRESS"
#: Allowed record kinds.
KINDS: Final = ("quiz", "check", "visit")
#: Allowed record outcomes.
OUTCOMES: Final = ("correct", "incorrect", "not_attempted")
#: Longest ``response`` text kept in a record.
RESPONSE_LIMIT: Final = 200

Kind = Literal["quiz", "check", "visit"]
OutcomeName = Literal["correct", "incorrect", "not_attempted"]

_APP_NAME = "balancing-act"
_FILE_NAME = "progress.json"
_DEFAULT_LOCK_TIMEOUT = 10.0
_LOCK_POLL = 0.01
_SUMMARY_COLUMNS = ["lesson", "items_attempted", "items_correct", "last_activity"]
_EXPORT_COLUMNS = ["learner", "lesson", "item", "kind", "outcome", "response", "time"]


class ProgressWarning(UserWarning):
    """Warning about the progress file: moved aside, not writable, or newer."""


def _utc_now() -> str:
    """Current UTC time as ISO 8601 with a ``Z`` suffix, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Record:
    """One entry of the progress file."""

    lesson: int
    item: str
    kind: str
    outcome: str
    response: str
    time: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of this record."""
        return {
            "lesson": self.lesson,
            "item": self.item,
            "kind": self.kind,
            "outcome": self.outcome,
            "response": self.response,
            "time": self.time,
        }

    @classmethod
    def from_dict(cls, data: object) -> Record | None:
        """Parse a stored record; return ``None`` if it is not a valid record."""
        if not isinstance(data, dict):
            return None
        lesson = data.get("lesson")
        fields = [data.get(key) for key in ("item", "kind", "outcome", "response", "time")]
        if type(lesson) is not int or not all(isinstance(f, str) for f in fields):
            return None
        item, kind, outcome, response, when = fields
        if kind not in KINDS or outcome not in OUTCOMES:
            return None
        return cls(lesson, str(item), str(kind), str(outcome), str(response), str(when))


def default_path() -> Path:
    """Return the progress file path, reading :data:`ENV_VAR` now."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    return _user_data_dir() / _FILE_NAME


def _user_data_dir() -> Path:
    """The per-user data folder for the course."""
    try:
        import platformdirs  # installed with JupyterLab (via jupyter_core)
    except ImportError:  # pragma: no cover - fallback when platformdirs is absent
        base = os.environ.get("XDG_DATA_HOME", "").strip()
        root = Path(base) if base else Path.home() / ".local" / "share"
        return root / _APP_NAME
    return Path(platformdirs.user_data_dir(_APP_NAME, appauthor=False))


_STORES: dict[Path, ProgressStore] = {}


def default_store() -> ProgressStore:
    """Return the shared store for :func:`default_path` (resolved on each call)."""
    path = default_path()
    key = path.absolute()
    store = _STORES.get(key)
    if store is None:
        store = ProgressStore(path)
        _STORES[key] = store
    return store


class _Document:
    """The parsed content of a progress file (raw records kept verbatim)."""

    def __init__(self, learner: str | None, raw_records: list[Any], extra: dict[str, Any]) -> None:
        self.learner = learner
        self.raw_records = raw_records
        self.extra = extra

    @classmethod
    def empty(cls) -> _Document:
        """A document with no records and no learner."""
        return cls(None, [], {})

    def to_json(self) -> dict[str, Any]:
        """The JSON object to store, with unknown top-level keys preserved."""
        data = dict(self.extra)
        data.update(
            {
                "format": FORMAT,
                "version": VERSION,
                "learner": self.learner or "",
                "records": self.raw_records,
            }
        )
        return data

    def records(self) -> list[Record]:
        """Valid records, in file order (invalid ones are skipped, not dropped)."""
        parsed = (Record.from_dict(item) for item in self.raw_records)
        return [record for record in parsed if record is not None]


class _NewerVersionError(Exception):
    """The file was written by a newer release; it must be left untouched."""

    def __init__(self, version: object) -> None:
        super().__init__(version)
        self.version = version


class _UnreadableError(Exception):
    """The file exists but is not a usable progress file."""


class ProgressStore:
    """Records of one learner's answers, stored in a JSON file.

    Parameters
    ----------
    path:
        The progress file.  ``None`` means :func:`default_path` at the time the
        store is created.
    learner:
        Learner name written to the file.  ``None`` keeps the name already in
        the file, or uses the login name for a new file.
    lock_timeout:
        Seconds to wait for another process to release the lock before giving
        up on this write (the records are then kept for the next write).

    Creating a store reads and writes nothing.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        learner: str | None = None,
        lock_timeout: float = _DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        self._path = Path(path).expanduser() if path is not None else default_path()
        self._learner = learner
        self._lock_timeout = float(lock_timeout)
        self._pending: list[Record] = []
        self._warned_newer = False

    # ------------------------------------------------------------------ paths
    @property
    def path(self) -> Path:
        """The progress file this store reads and writes."""
        return self._path

    @property
    def fallback_path(self) -> Path:
        """Sibling file used when :attr:`path` was written by a newer version."""
        return self._path.with_name(f"{self._path.stem}.v{VERSION}{self._path.suffix or '.json'}")

    @property
    def pending(self) -> tuple[Record, ...]:
        """Records not yet written because the last write failed."""
        return tuple(self._pending)

    # ---------------------------------------------------------------- writing
    def record(
        self,
        lesson: int,
        item: str,
        kind: Kind | str,
        outcome: OutcomeName | str,
        response: object = "",
        *,
        when: str | None = None,
    ) -> Record:
        """Add one record and save it; never raises on a file problem.

        ``response`` may be any object: strings are stored as given, other
        values as a short safe description; both are cut to 200 characters.
        ``kind`` and ``outcome`` must be among :data:`KINDS` and
        :data:`OUTCOMES` (a :class:`ValueError` signals a programming error).
        """
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}; got {outcome!r}")
        if type(lesson) is not int:
            raise ValueError(f"lesson must be an int; got {lesson!r}")
        text = response if isinstance(response, str) else safe_repr(response, RESPONSE_LIMIT)
        entry = Record(
            lesson=lesson,
            item=str(item),
            kind=str(kind),
            outcome=str(outcome),
            response=truncate(str(text), RESPONSE_LIMIT),
            time=when or _utc_now(),
        )
        self._pending.append(entry)
        self.flush()
        return entry

    def flush(self) -> bool:
        """Write pending records; return ``True`` when nothing is left pending."""
        if not self._pending:
            return True
        try:
            self._update(self._append_pending)
        except Exception as exc:  # learners must never see a traceback
            self._warn(
                f"Could not save your progress to {self._path} ({type(exc).__name__}: {exc}). "
                "Your answers in this session are kept in memory and will be saved "
                "when the file can be written again."
            )
            return False
        return True

    def set_learner(self, name: str) -> None:
        """Set the learner name stored in the file (shown in exports); never raises."""
        self._learner = str(name).strip()
        try:
            self._update(self._append_pending)
        except Exception as exc:  # learners must never see a traceback
            self._warn(f"Could not save the learner name to {self._path} ({exc}).")

    def _append_pending(self, doc: _Document) -> None:
        """Merge step run under the lock: add pending records to ``doc``."""
        if self._learner is not None:
            doc.learner = self._learner
        elif not doc.learner:
            doc.learner = _login_name()
        doc.raw_records.extend(record.to_dict() for record in self._pending)

    def _update(self, change: Callable[[_Document], None]) -> None:
        """Lock, re-read, apply ``change(doc)``, write atomically, clear pending.

        The file is re-read while the lock is held, so records written by
        another process since our last read are kept.
        """
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(self._path, self._lock_timeout):
            try:
                doc = self._read(self._path, repair=True)
            except _NewerVersionError as newer:
                newer_version: object = newer.version
            else:
                change(doc)
                _atomic_write(self._path, doc.to_json())
                self._pending.clear()
                return
        target = self.fallback_path
        if not self._warned_newer:
            self._warned_newer = True
            self._warn(
                f"{self._path} was written by a newer version of balancing-act "
                f"(format version {newer_version}); it was left untouched. "
                f"Progress from this version is saved to {target} instead. "
                "Upgrade the package to keep a single file."
            )
        with _locked(target, self._lock_timeout):
            try:
                doc = self._read(target, repair=True)
            except _NewerVersionError as newer:
                raise OSError(f"{target} also has a newer format version ({newer.version})") from None
            change(doc)
            _atomic_write(target, doc.to_json())
        self._pending.clear()

    # ---------------------------------------------------------------- reading
    def _read(self, path: Path, *, repair: bool) -> _Document:
        """Read ``path``; move an unusable file aside when ``repair`` is set."""
        try:
            raw = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return _Document.empty()
        try:
            return _parse(raw)
        except _UnreadableError as problem:
            if not repair:
                return _Document.empty()
            backup = _backup_name(path)
            os.replace(path, backup)
            self._warn(
                f"Your progress file {path} could not be used ({problem}). It was moved to "
                f"{backup} (nothing was deleted) and a new progress file was started."
            )
            return _Document.empty()

    def _load(self) -> tuple[_Document, Path]:
        """Read without changing anything on disk (for :meth:`records`)."""
        try:
            return self._read(self._path, repair=False), self._path
        except _NewerVersionError:
            pass
        try:
            return self._read(self.fallback_path, repair=False), self.fallback_path
        except _NewerVersionError:
            return _Document.empty(), self.fallback_path

    def records(self) -> list[Record]:
        """All valid records: those on disk plus any not yet written."""
        try:
            doc, _ = self._load()
            stored = doc.records()
        except OSError as exc:
            self._warn(f"Could not read your progress from {self._path} ({exc}).")
            stored = []
        return stored + list(self._pending)

    @property
    def learner(self) -> str:
        """The learner name: the one set on this store, else the file's, else login."""
        if self._learner is not None:
            return self._learner
        try:
            doc, _ = self._load()
        except OSError:
            doc = _Document.empty()
        return doc.learner or _login_name()

    # --------------------------------------------------------------- reports
    def summary(self) -> pd.DataFrame:
        """One row per lesson: items attempted, items correct, last activity.

        An item counts as attempted once it has a correct or incorrect record
        (quiz questions and checks; visits only update the last activity) and
        as correct once any of its records is correct.
        """
        rows: dict[int, dict[str, Any]] = {}
        attempted: dict[int, set[str]] = {}
        correct: dict[int, set[str]] = {}
        for rec in self.records():
            row = rows.setdefault(rec.lesson, {"lesson": rec.lesson, "last_activity": rec.time})
            row["last_activity"] = max(row["last_activity"], rec.time)
            if rec.kind == "visit" or rec.outcome == "not_attempted":
                continue
            attempted.setdefault(rec.lesson, set()).add(rec.item)
            if rec.outcome == "correct":
                correct.setdefault(rec.lesson, set()).add(rec.item)
        table = [
            {
                "lesson": lesson,
                "items_attempted": len(attempted.get(lesson, ())),
                "items_correct": len(correct.get(lesson, ())),
                "last_activity": rows[lesson]["last_activity"],
            }
            for lesson in sorted(rows)
        ]
        frame = pd.DataFrame(table, columns=_SUMMARY_COLUMNS)
        return frame.astype({"lesson": "int64", "items_attempted": "int64", "items_correct": "int64"})

    def export(self, path: str | os.PathLike[str]) -> Path:
        """Write every record, with the learner name, to a file for an instructor.

        A ``.json`` path gets a JSON document in the progress format; any other
        suffix gets CSV with columns ``learner, lesson, item, kind, outcome,
        response, time``.  Returns the path written.  Unlike recording, a
        failure here raises ``OSError``: the caller asked for this file.
        """
        out = Path(path).expanduser()
        learner = self.learner
        records = self.records()
        if out.suffix.lower() == ".json":
            doc = _Document(learner, [r.to_dict() for r in records], {})
            _atomic_write(out, doc.to_json())
            return out
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(_EXPORT_COLUMNS)
            for rec in records:
                writer.writerow(
                    [learner, rec.lesson, rec.item, rec.kind, rec.outcome, rec.response, rec.time]
                )
        return out

    def _warn(self, message: str) -> None:
        """Emit a :class:`ProgressWarning`."""
        warnings.warn(message, ProgressWarning, stacklevel=3)

    def __repr__(self) -> str:
        return f"ProgressStore({str(self._path)!r})"


def _login_name() -> str:
    """The operating system login name, or an empty string."""
    try:
        return getpass.getuser()
    except Exception:  # no user database, odd environments
        return ""


def _parse(raw: bytes) -> _Document:
    """Parse file bytes; raise :class:`_UnreadableError` or :class:`_NewerVersionError`."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _UnreadableError(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _UnreadableError(f"it is not a balancing-act progress file (no \"format\": \"{FORMAT}\")")
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise _UnreadableError(f"unknown format version {version!r}")
    if version > VERSION:
        raise _NewerVersionError(version)
    records = data.get("records", [])
    if not isinstance(records, list):
        raise _UnreadableError("\"records\" is not a list")
    learner = data.get("learner")
    extra = {k: v for k, v in data.items() if k not in ("format", "version", "learner", "records")}
    return _Document(learner if isinstance(learner, str) else None, records, extra)


def _backup_name(path: Path) -> Path:
    """A backup path ``<name>.bak-<UTC timestamp>`` that does not exist yet."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.bak-{stamp}")
    counter = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak-{stamp}-{counter}")
        counter += 1
    return candidate


def _atomic_write(path: Path, data: Mapping[str, Any]) -> None:
    """Write JSON to ``path`` via a synced temporary file and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Flush a directory entry to disk where the platform allows it."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock`` for the duration of the block.

    Raises ``TimeoutError`` if the lock is not free within ``timeout`` seconds.
    Without ``fcntl`` or ``msvcrt`` the block runs unlocked.
    """
    if _fcntl is None and _msvcrt is None:
        yield
        return
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, lock_path, timeout)
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


def _acquire(fd: int, lock_path: Path, timeout: float) -> None:
    """Poll for an exclusive lock on ``fd`` until ``timeout`` expires."""
    deadline = _time.monotonic() + max(0.0, timeout)
    while True:
        try:
            if _fcntl is not None:
                _fcntl.flock(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
            else:  # pragma: no cover - Windows only
                os.lseek(fd, 0, os.SEEK_SET)
                _msvcrt.locking(fd, _msvcrt.LK_NBLCK, 1)
            return
        except (BlockingIOError, PermissionError, OSError):
            if _time.monotonic() >= deadline:
                raise TimeoutError(f"another program holds {lock_path}") from None
            _time.sleep(_LOCK_POLL)


def _release(fd: int) -> None:
    """Release the lock taken by :func:`_acquire`."""
    with contextlib.suppress(OSError):
        if _fcntl is not None:
            _fcntl.flock(fd, _fcntl.LOCK_UN)
        else:  # pragma: no cover - Windows only
            os.lseek(fd, 0, os.SEEK_SET)
            _msvcrt.locking(fd, _msvcrt.LK_UNLCK, 1)


@dataclass(frozen=True)
class ProgressReport:
    """A display-friendly progress summary with deterministic text output."""

    table: pd.DataFrame
    learner: str
    path: Path

    def lines(self) -> list[str]:
        """One sentence per lesson, or a single line when nothing is recorded."""
        if self.table.empty:
            return ["No progress recorded yet."]
        out = []
        for row in self.table.itertuples(index=False):
            out.append(
                f"Lesson {row.lesson}: {row.items_attempted} attempted, "
                f"{row.items_correct} correct (last activity {row.last_activity})"
            )
        return out

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def _repr_markdown_(self) -> str:
        return "\n".join(f"- {escape(line)}" for line in self.lines())


def show_progress(store: ProgressStore | None = None) -> ProgressReport:
    """Return a summary of the learner's progress, ready to display in a cell."""
    active = store if store is not None else default_store()
    return ProgressReport(active.summary(), active.learner, active.path)


def mark_visited(lesson: int, item: str = "lesson", store: ProgressStore | None = None) -> None:
    """Record that the learner opened a lesson (kind ``"visit"``); never raises."""
    active = store if store is not None else default_store()
    try:
        active.record(lesson, f"visit:{item}", "visit", "not_attempted")
    except ValueError as exc:
        warnings.warn(f"Could not record the visit: {exc}", ProgressWarning, stacklevel=2)

