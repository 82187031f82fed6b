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

Switching tracking off
----------------------
``BALANCING_ACT_PROGRESS=off`` (any letter case, surrounding spaces ignored)
switches tracking off: nothing is read or written, no warning is given, and
answers are kept in memory for the session only, so :func:`show_progress`
still works (it says that tracking is off).  An *empty* value counts as unset
and means the default file: switching off loses answers when the kernel stops,
so it has to be asked for by name.  Such a store has ``path`` ``None`` and
``tracking`` ``False``.  Only the environment variable is special;
``ProgressStore("off")`` is a file called ``off``.

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
answer, at most 200 characters.  Text is stored as valid Unicode: a lone
surrogate (half of a character pair, which a browser text box can produce)
becomes U+FFFD.

Safety rules
------------
* Every write takes an exclusive lock on a sidecar file
  (``progress.json.lock``), re-reads the file, appends, and replaces the file
  atomically (temporary file ``.progress.json.saving-<random>.tmp`` in the same
  folder, ``fsync``, ``os.replace``).  Two kernels, or several threads sharing
  one store, writing at the same time therefore lose nothing.  Where ``fcntl``
  is missing, ``msvcrt`` locking is used; with neither, writes go ahead
  unlocked (still atomic).  Temporary files left by a write that crashed are
  removed by the next write.
* Only a regular file is read or replaced.  If the path names a device (such
  as ``/dev/null``), a named pipe, a folder or a socket, it is never opened for
  writing, renamed or replaced: one :class:`ProgressWarning` says so and what
  to do, and the session's answers are kept in memory.  The same holds for a
  folder that belongs to another user, and for a read-only file: one whose
  owner write permission is off (``chmod u-w``; this is honoured even for
  root, who could otherwise replace anything) or that the operating system
  says the learner may not write (``os.access``).  Each write checks again, so
  once the problem is fixed the kept answers are saved.
* A symbolic link is followed and kept: the file it points to is replaced (in
  that file's folder), so a progress file kept in a synced folder stays linked.
  An existing file keeps its permission bits; a new file is created ``0600``.
* A file larger than :data:`SIZE_CAP` bytes (4 MiB, more than 20 times the
  file of a learner who answers everything in the course five times, see the
  constant) is not read:
  it is moved aside like an unusable file, with a warning that gives its size,
  the cap and where it went.
* A file that is not valid JSON, is nested too deeply to parse, or belongs to
  something else (wrong ``"format"``), is never deleted: it is moved aside to
  ``progress.json.bak-<UTC timestamp>`` and a fresh file is started, with a
  :class:`ProgressWarning` that says where the old file went.
* Every record is encoded on its own.  One that cannot be stored as strict JSON
  in UTF-8 (a NaN or infinite number, a lone surrogate) is repaired (numbers
  become ``null``, surrogates U+FFFD) or, if it still cannot be encoded,
  dropped alone; a warning names it.  It never stops the other records being
  saved.
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
import math
import os
import stat
import tempfile
import threading
import time as _time
import warnings
from collections.abc import Callable, Iterator
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
    "OFF",
    "OUTCOMES",
    "SIZE_CAP",
    "VERSION",
    "ProgressReport",
    "ProgressStore",
    "ProgressWarning",
    "Record",
    "default_path",
    "default_store",
    "mark_visited",
    "show_progress",
    "storable_text",
]

#: Value of the ``"format"`` key that identifies a progress file.
FORMAT: Final = "balancing-act-progress"
#: Format version written by this module.
VERSION: Final = 1
#: Environment variable that overrides the progress file location.
ENV_VAR: Final = "BALANCING_ACT_PROGRESS"
#: Value of :data:`ENV_VAR` (any letter case) that switches tracking off.
OFF: Final = "off"
#: Allowed record kinds.
KINDS: Final = ("quiz", "check", "visit")
#: Allowed record outcomes.
OUTCOMES: Final = ("correct", "incorrect", "not_attempted")
#: Longest ``response`` text kept in a record.
RESPONSE_LIMIT: Final = 200
#: Largest progress file read, in bytes (4 MiB).  A learner who answers every
#: quiz question and exercise check of the course five times, each time with a
#: 200-character response, and opens every lesson twenty times writes about
#: 190 KB (``tests/test_progress_hardening.py`` builds that file), so the cap
#: leaves a margin of more than 20 times.  A larger file is moved aside, not read.
SIZE_CAP: Final = 4 * 1024 * 1024

Kind = Literal["quiz", "check", "visit"]
OutcomeName = Literal["correct", "incorrect", "not_attempted"]

_APP_NAME = "balancing-act"
_FILE_NAME = "progress.json"
_DEFAULT_LOCK_TIMEOUT = 10.0
_LOCK_POLL = 0.01
_READ_CHUNK = 1 << 20
_TMP_MARK = "saving-"
_TMP_SUFFIX = ".tmp"
# Without any locking module a leftover temporary file may belong to a write in
# progress elsewhere, so only files older than this (seconds) are removed.
_UNLOCKED_LEFTOVER_AGE = 600.0
_SUMMARY_COLUMNS = ["lesson", "items_attempted", "items_correct", "last_activity"]
_EXPORT_COLUMNS = ["learner", "lesson", "item", "kind", "outcome", "response", "time"]
_WHAT_TO_DO = (
    f"To keep your answers, set {ENV_VAR} to a file in a folder you own "
    f"(for example {ENV_VAR}=~/balancing-act-progress.json), or set {ENV_VAR}=off "
    "to switch off tracking."
)


class ProgressWarning(UserWarning):
    """Warning about the progress file: moved aside, not writable, or newer."""


def _utc_now() -> str:
    """Current UTC time as ISO 8601 with a ``Z`` suffix, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def storable_text(text: str) -> str:
    """Return ``text`` as valid Unicode that strict UTF-8 can encode.

    A surrogate pair split into two code points is joined into its character;
    a lone surrogate becomes U+FFFD.  Other text is returned unchanged.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


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
        item, kind, outcome, response, when = (storable_text(str(f)) for f in fields)
        if kind not in KINDS or outcome not in OUTCOMES:
            return None
        return cls(lesson, item, kind, outcome, response, when)


def default_path() -> Path | None:
    """Return the progress file path, reading :data:`ENV_VAR` now.

    ``None`` means tracking is switched off (``BALANCING_ACT_PROGRESS=off``).
    An empty value counts as unset.
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override.lower() == OFF:
        return None
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


_STORES: dict[Path | None, ProgressStore] = {}
_STORES_LOCK = threading.Lock()


def default_store() -> ProgressStore:
    """Return the shared store for :func:`default_path` (resolved on each call)."""
    path = default_path()
    key = path.absolute() if path is not None else None
    with _STORES_LOCK:
        store = _STORES.get(key)
        if store is None:
            store = ProgressStore(path)  # None: tracking is off, as default_path() said
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


class _TooLargeError(Exception):
    """The file is larger than :data:`SIZE_CAP`; it was not read."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class _RefusedError(Exception):
    """The path must not be read or replaced; ``key`` identifies the problem for warn-once."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


class ProgressStore:
    """Records of one learner's answers, stored in a JSON file.

    Parameters
    ----------
    path:
        The progress file.  ``None`` means :func:`default_path` at the time the
        store is created; when that says tracking is off
        (``BALANCING_ACT_PROGRESS=off``) the store keeps records in memory only.
    learner:
        Learner name written to the file.  ``None`` keeps the name already in
        the file, or uses the login name for a new file.
    lock_timeout:
        Seconds to wait for another process to release the lock before giving
        up on this write (the records are then kept for the next write).

    Creating a store reads and writes nothing.  One store may be shared by
    several threads.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        learner: str | None = None,
        lock_timeout: float = _DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        self._path = Path(path).expanduser() if path is not None else default_path()
        self._learner = storable_text(learner) if learner is not None else None
        self._lock_timeout = float(lock_timeout)
        self._lock = threading.RLock()
        self._pending: list[Record] = []
        self._session: list[Record] = []  # kept on purpose in memory: tracking is off
        self._warned_newer = False
        self._warned: set[str] = set()

    # ------------------------------------------------------------------ paths
    @property
    def path(self) -> Path | None:
        """The progress file this store reads and writes; ``None`` when tracking is off."""
        return self._path

    @property
    def tracking(self) -> bool:
        """``False`` when tracking is switched off and records live in memory only."""
        return self._path is not None

    @property
    def fallback_path(self) -> Path | None:
        """Sibling file used when :attr:`path` was written by a newer version."""
        return _fallback(self._path) if self._path is not None else None

    @property
    def pending(self) -> tuple[Record, ...]:
        """Records not yet written because the last write failed."""
        with self._lock:
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
            item=storable_text(str(item)),
            kind=str(kind),
            outcome=str(outcome),
            response=truncate(storable_text(str(text)), RESPONSE_LIMIT),
            time=storable_text(when or _utc_now()),
        )
        with self._lock:
            if self._path is None:
                self._session.append(entry)
                return entry
            self._pending.append(entry)
            self.flush()
        return entry

    def flush(self) -> bool:
        """Write pending records; return ``True`` when nothing is left pending."""
        with self._lock:
            if not self._pending:
                return True
            return self._save(self._path, "Could not save your progress")

    def set_learner(self, name: str) -> None:
        """Set the learner name stored in the file (shown in exports); never raises."""
        with self._lock:
            self._learner = storable_text(str(name)).strip()
            if self._path is not None:
                self._save(self._path, "Could not save the learner name")

    def _save(self, path: Path | None, what: str) -> bool:
        """Run :meth:`_update` and turn every failure into one warning; caller holds the lock."""
        if path is None:  # tracking is off: nothing to write
            return True
        try:
            self._update(path, self._append_pending)
        except _RefusedError as refused:
            self._warn_once(refused.key, refused.message)
            return False
        except Exception as exc:  # learners must never see a traceback
            self._warn(
                f"{what} to {path} ({type(exc).__name__}: {exc}). "
                "Your answers in this session are kept in memory and will be saved "
                "when the file can be written again."
            )
            return False
        return True

    def _append_pending(self, doc: _Document) -> None:
        """Merge step run under the lock: add pending records to ``doc``."""
        if self._learner is not None:
            doc.learner = self._learner
        elif not doc.learner:
            doc.learner = _login_name()
        doc.raw_records.extend(record.to_dict() for record in self._pending)

    def _update(self, path: Path, change: Callable[[_Document], None]) -> None:
        """Lock, re-read, apply ``change(doc)``, write atomically, clear pending.

        The file is re-read while the lock is held, so records written by
        another process since our last read are kept.  Caller holds the
        thread lock.
        """
        target = _writable_target(path)
        with _locked(target, self._lock_timeout):
            _remove_leftovers(target)
            try:
                doc = self._read(target, repair=True, follow=False)
            except _NewerVersionError as newer:
                newer_version: object = newer.version
            else:
                change(doc)
                self._write(target, doc)
                self._pending.clear()
                return
        fallback = _fallback(path)
        if not self._warned_newer:
            self._warned_newer = True
            self._warn(
                f"{path} was written by a newer version of balancing-act "
                f"(format version {newer_version}); it was left untouched. "
                f"Progress from this version is saved to {fallback} instead. "
                "Upgrade the package to keep a single file."
            )
        target = _writable_target(fallback)
        with _locked(target, self._lock_timeout):
            _remove_leftovers(target)
            try:
                doc = self._read(target, repair=True, follow=False)
            except _NewerVersionError as newer:
                raise OSError(f"{target} also has a newer format version ({newer.version})") from None
            change(doc)
            self._write(target, doc)
        self._pending.clear()

    def _write(self, target: Path, doc: _Document) -> None:
        """Encode ``doc`` record by record, warn about repaired or dropped ones, write."""
        payload, problems = _serialise(doc)
        if problems:
            self._warn(
                f"Some entries in your progress file {target} could not be saved as they were: "
                + "; ".join(problems)
                + ". The other records are saved as usual."
            )
        _atomic_write(target, payload)

    # ---------------------------------------------------------------- reading
    def _read(self, path: Path, *, repair: bool, follow: bool = True) -> _Document:
        """Read ``path``; move an unusable file aside when ``repair`` is set.

        Raises :class:`_RefusedError` for a path that is not a regular file.
        """
        try:
            raw = _read_capped(path, follow=follow)
        except (FileNotFoundError, NotADirectoryError):
            return _Document.empty()
        except _TooLargeError as big:
            if not repair:
                self._warn_once(
                    f"large:{path}",
                    f"Your progress file {path} is {big.size:,} bytes, more than the limit of "
                    f"{SIZE_CAP:,} bytes, so it was not read. It will be moved aside (not deleted) "
                    "when your next answer is saved.",
                )
                return _Document.empty()
            backup = _move_aside(path)
            self._warn(
                f"Your progress file {path} is {big.size:,} bytes, more than the limit of "
                f"{SIZE_CAP:,} bytes (balancing_act.progress.SIZE_CAP), so it was not read. "
                f"It was moved to {backup} (nothing was deleted) and a new progress file was started."
            )
            return _Document.empty()
        try:
            return _parse(raw)
        except _UnreadableError as problem:
            if not repair:
                return _Document.empty()
            backup = _move_aside(path)
            self._warn(
                f"Your progress file {path} could not be used ({problem}). It was moved to "
                f"{backup} (nothing was deleted) and a new progress file was started."
            )
            return _Document.empty()

    def _load(self, path: Path) -> _Document:
        """Read without changing anything on disk (for :meth:`records`)."""
        try:
            try:
                return self._read(path, repair=False)
            except _NewerVersionError:
                pass
            try:
                return self._read(_fallback(path), repair=False)
            except _NewerVersionError:
                return _Document.empty()
        except _RefusedError as refused:
            self._warn_once(refused.key, refused.message)
            return _Document.empty()

    def records(self) -> list[Record]:
        """All valid records: those on disk plus any not yet written."""
        with self._lock:
            if self._path is None:
                return list(self._session)
            try:
                stored = self._load(self._path).records()
            except OSError as exc:
                self._warn_once(f"read:{self._path}", f"Could not read your progress from {self._path} ({exc}).")
                stored = []
            return stored + list(self._pending)

    @property
    def learner(self) -> str:
        """The learner name: the one set on this store, else the file's, else login."""
        if self._learner is not None:
            return self._learner
        if self._path is None:
            return _login_name()
        with self._lock:
            try:
                doc = self._load(self._path)
            except OSError:
                doc = _Document.empty()
        return storable_text(doc.learner) if doc.learner else _login_name()

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
            _atomic_write(_follow_link(out), _serialise(doc)[0])
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

    def _note(self) -> str:
        """A line for :func:`show_progress` when answers are not on disk."""
        if self._path is None:
            return (
                f"Progress tracking is off ({ENV_VAR}={OFF}): answers from this session "
                "are not saved to a file."
            )
        waiting = len(self.pending)
        if waiting:
            return (
                f"{waiting} answer{'s' if waiting != 1 else ''} from this session "
                f"{'are' if waiting != 1 else 'is'} not saved to the progress file yet "
                "(a warning said why); they are kept in memory until it can be written."
            )
        return ""

    def _warn(self, message: str) -> None:
        """Emit a :class:`ProgressWarning`."""
        warnings.warn(message, ProgressWarning, stacklevel=3)

    def _warn_once(self, key: str, message: str) -> None:
        """Emit a :class:`ProgressWarning` the first time ``key`` comes up for this store."""
        if key in self._warned:
            return
        self._warned.add(key)
        warnings.warn(message, ProgressWarning, stacklevel=4)

    def __repr__(self) -> str:
        return f"ProgressStore({str(self._path)!r})" if self._path is not None else "ProgressStore(off)"


def _fallback(path: Path) -> Path:
    """The sibling file ``<stem>.v1<suffix>`` used when ``path`` is from a newer version."""
    return path.with_name(f"{path.stem}.v{VERSION}{path.suffix or '.json'}")


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
    except RecursionError:
        raise _UnreadableError("it is nested too deeply to be a progress file") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _UnreadableError(f"it is not a balancing-act progress file (no \"format\": \"{FORMAT}\")")
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise _UnreadableError(f"unknown format version {safe_repr(version, 40)}")
    if version > VERSION:
        raise _NewerVersionError(version)
    records = data.get("records", [])
    if not isinstance(records, list):
        raise _UnreadableError("\"records\" is not a list")
    learner = data.get("learner")
    extra = {k: v for k, v in data.items() if k not in ("format", "version", "learner", "records")}
    return _Document(learner if isinstance(learner, str) else None, records, extra)


# ------------------------------------------------------------------ encoding
def _encode(value: object) -> str | None:
    """Strict JSON (no NaN) that strict UTF-8 can encode, or ``None``."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
        text.encode("utf-8")
    except (ValueError, TypeError, RecursionError):  # UnicodeEncodeError is a ValueError
        return None
    return text


def _repaired(value: object) -> object:
    """``value`` with lone surrogates replaced and NaN or infinite numbers set to ``None``."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_repaired(item) for item in value]
    if isinstance(value, dict):
        return {storable_text(str(key)): _repaired(item) for key, item in value.items()}
    return value


def _encode_or_repair(value: object) -> tuple[str | None, bool]:
    """Encode ``value``, repairing it if needed: ``(text or None, repaired?)``."""
    text = _encode(value)
    if text is not None:
        return text, False
    try:
        return _encode(_repaired(value)), True
    except RecursionError:
        return None, True


def _label(index: int, raw: object) -> str:
    """A short name for record number ``index`` (0-based) in a warning."""
    item = raw.get("item") if isinstance(raw, dict) else None
    if isinstance(item, str):
        return f"record {index + 1} ({safe_repr(storable_text(item), 60)})"
    return f"record {index + 1}"


def _serialise(doc: _Document) -> tuple[bytes, list[str]]:
    """The file bytes for ``doc`` and a list of repaired or dropped entries.

    Each record and each top-level key is encoded on its own, so one that
    cannot be stored never blocks the others.
    """
    problems: list[str] = []
    head: list[str] = []
    top: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "learner": storable_text(doc.learner or ""),
    }
    top.update((key, value) for key, value in doc.extra.items() if key not in top and key != "records")
    for key, value in top.items():
        name, _ = _encode_or_repair(key)
        text, fixed = _encode_or_repair(value)
        if name is None or text is None:
            problems.append(f"top-level key {safe_repr(storable_text(key), 60)} could not be encoded and was dropped")
            continue
        if fixed:
            problems.append(f"top-level key {safe_repr(storable_text(key), 60)} was repaired")
        head.append(f" {name}: {text},")
    whole = _encode(doc.raw_records)  # the usual case: one fast call for every record
    if whole is not None:
        document = "{\n" + "\n".join(head) + '\n "records": ' + whole + "\n}\n"
        return document.encode("utf-8"), problems
    lines: list[str] = []
    for index, raw in enumerate(doc.raw_records):
        text, fixed = _encode_or_repair(raw)
        if text is None:
            problems.append(f"{_label(index, raw)} could not be encoded and was dropped")
            continue
        if fixed:
            problems.append(
                f"{_label(index, raw)} was repaired (lone surrogate characters became U+FFFD, "
                "NaN or infinite numbers became null)"
            )
        lines.append("  " + text)
    body = ",\n".join(lines)
    records = ' "records": [\n' + body + "\n ]" if lines else ' "records": []'
    document = "{\n" + "\n".join(head) + "\n" + records + "\n}\n"
    return document.encode("utf-8"), problems


# ---------------------------------------------------------------- file access
def _describe(mode: int) -> str:
    """What kind of file system entry ``mode`` is, for a message."""
    kinds = (
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link that does not resolve (a loop)"),
    )
    for test, name in kinds:
        if test(mode):
            return name
    return "not a regular file"


def _not_regular(path: Path, mode: int) -> _RefusedError:
    """The refusal for a path that is not a regular file (named by where a link leads)."""
    path = Path(os.path.realpath(path))
    return _RefusedError(
        f"special:{path}",
        f"The progress file {path} is {_describe(mode)}, not a regular file, so the course "
        "will not read, rename or replace it. Your answers in this session are kept in memory "
        f"only and are lost when the kernel stops. {_WHAT_TO_DO}",
    )


def _follow_link(path: Path) -> Path:
    """``path``, or the file it points to when it is a symbolic link."""
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return Path(os.path.realpath(path))
    except FileNotFoundError:
        pass
    return path


def _read_only(path: Path, info: os.stat_result) -> bool:
    """Whether the learner asked for ``path`` not to be written.

    The owner write bit is checked directly, because root passes every
    ``os.access`` test; ``os.access`` covers files owned by someone else.
    """
    if not info.st_mode & stat.S_IWUSR:
        return True
    effective = os.access in os.supports_effective_ids
    return not os.access(path, os.W_OK, effective_ids=effective)


def _writable_target(path: Path) -> Path:
    """The regular file to replace for ``path`` (a symlink is followed).

    Raises :class:`_RefusedError` when the path is not a regular file, its
    folder belongs to another user, or the file is read-only; ``OSError`` when
    the folder cannot be made.  Creates the folder when the file is new.
    """
    target = _follow_link(path)
    try:
        info: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise _not_regular(target, info.st_mode)
    folder = target.parent
    if info is None:
        folder.mkdir(parents=True, exist_ok=True)
    folder_info = os.stat(folder)
    if not stat.S_ISDIR(folder_info.st_mode):
        raise NotADirectoryError(f"{folder} is not a folder")
    if hasattr(os, "geteuid") and folder_info.st_uid != os.geteuid():
        raise _RefusedError(
            f"owner:{folder}",
            f"The folder {folder} of your progress file belongs to another user, so the course "
            "will not create or replace files in it. Your answers in this session are kept in "
            f"memory only and are lost when the kernel stops. {_WHAT_TO_DO}",
        )
    if info is not None and _read_only(target, info):
        raise _RefusedError(
            f"readonly:{target}",
            f"Your progress file {target} is read-only, so it was left unchanged. Your answers "
            "in this session are kept in memory and are saved as soon as the file is writable "
            f"again (chmod u+w {target}). {_WHAT_TO_DO}",
        )
    return target


def _read_capped(path: Path, *, follow: bool) -> bytes:
    """Read a regular file of at most :data:`SIZE_CAP` bytes.

    The path is checked before it is opened, and opened without blocking
    (a named pipe cannot hang the kernel) and, unless ``follow``, without
    following a symbolic link.  Raises :class:`_RefusedError` for anything
    but a regular file and :class:`_TooLargeError` for a file over the cap.
    """
    info = os.stat(path) if follow else os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(path, info.st_mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # swapped since the check
            raise _not_regular(path, opened.st_mode)
        if opened.st_size > SIZE_CAP:
            raise _TooLargeError(opened.st_size)
        chunks: list[bytes] = []
        remaining = SIZE_CAP + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, _READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        if remaining <= 0:  # grew past the cap while being read
            raise _TooLargeError(SIZE_CAP + 1)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _backup_name(path: Path) -> Path:
    """A backup path ``<name>.bak-<UTC timestamp>`` that does not exist yet."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.bak-{stamp}")
    counter = 1
    while candidate.exists() or candidate.is_symlink():
        candidate = path.with_name(f"{path.name}.bak-{stamp}-{counter}")
        counter += 1
    return candidate


def _move_aside(path: Path) -> Path:
    """Rename the regular file ``path`` to a fresh backup name and return it."""
    backup = _backup_name(path)
    os.replace(path, backup)
    return backup


def _remove_leftovers(target: Path) -> None:
    """Delete ``.<name>.*.tmp`` files that a crashed write left next to ``target``.

    Called with the lock held, when no other writer can be half-way through.
    Without a locking module only files older than ten minutes are removed.
    """
    prefix = f".{target.name}."
    locked = _fcntl is not None or _msvcrt is not None
    oldest = _time.time() - _UNLOCKED_LEFTOVER_AGE
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and entry.name.endswith(_TMP_SUFFIX)):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and (locked or info.st_mtime <= oldest):
                    os.unlink(entry.path)


def _atomic_write(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` via a synced temporary file and ``os.replace``.

    An existing file keeps its permission bits (and, when root writes, its
    owner); a new one is created ``0600``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        old: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        old = None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{_TMP_MARK}", suffix=_TMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if old is not None and stat.S_ISREG(old.st_mode):
                _copy_mode(handle.fileno(), old)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(path.parent)


def _copy_mode(fd: int, old: os.stat_result) -> None:
    """Give the open file ``fd`` the permission bits (and for root the owner) of ``old``."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(old.st_mode) & 0o777)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and hasattr(os, "fchown"):
        with contextlib.suppress(OSError):
            os.fchown(fd, old.st_uid, old.st_gid)


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

    Raises ``TimeoutError`` if the lock is not free within ``timeout`` seconds,
    ``OSError`` if the lock file is not a regular file.
    Without ``fcntl`` or ``msvcrt`` the block runs unlocked.
    """
    if _fcntl is None and _msvcrt is None:
        yield
        return
    lock_path = path.with_name(path.name + ".lock")
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(lock_path, flags | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"the lock file {lock_path} is not a regular file; remove it")
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
    path: Path | None
    #: A closing line when answers are not on disk (tracking off, or not saved yet).
    note: str = ""

    def lines(self) -> list[str]:
        """One sentence per lesson, or a single line when nothing is recorded."""
        out = []
        if self.table.empty:
            out.append("No progress recorded yet.")
        for row in self.table.itertuples(index=False):
            out.append(
                f"Lesson {row.lesson}: {row.items_attempted} attempted, "
                f"{row.items_correct} correct (last activity {row.last_activity})"
            )
        if self.note:
            out.append(self.note)
        return out

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def _repr_markdown_(self) -> str:
        return "\n".join(f"- {escape(line)}" for line in self.lines())


def show_progress(store: ProgressStore | None = None) -> ProgressReport:
    """Return a summary of the learner's progress, ready to display in a cell."""
    active = store if store is not None else default_store()
    return ProgressReport(active.summary(), active.learner, active.path, active._note())


def mark_visited(lesson: int, item: str = "lesson", store: ProgressStore | None = None) -> None:
    """Record that the learner opened a lesson (kind ``"visit"``); never raises."""
    active = store if store is not None else default_store()
    try:
        active.record(lesson, f"visit:{item}", "visit", "not_attempted")
    except ValueError as exc:
        warnings.warn(f"Could not record the visit: {exc}", ProgressWarning, stacklevel=2)

