"""Exercise checks: learners fill in a blank, run a check, get friendly feedback.

An exercise cell in a notebook looks like this::

    from balancing_act.checks import ____
    from balancing_act.exercises.lesson01 import ex

    biggest_partner = ____          # learner replaces ____
    ex.q1.check(biggest_partner)    # last line: shows the verdict

``ex.q1.hint()`` shows the next hint (``Hint 1 of 3``, then ``2 of 3``...),
``ex.q1.hint(2)`` a given level, and ``ex.q1.solution()`` the reference code.

Outcomes
--------
A check *returns* one of three outcome values (it never raises):

* :class:`Correct` ``(message)``
* :class:`Incorrect` ``(reason)`` - says what is wrong, without giving the answer
* :class:`NotAttempted` ``(message)`` - the value is still ``____`` or ``None``

:meth:`Question.check` wraps the outcome in a :class:`Feedback` object whose
plain-text ``repr`` (``Correct: ...``, ``Incorrect: ...``,
``Not attempted: ...``) and HTML form (with ✓ / ✗) are deterministic, so
stored notebook outputs compare exactly.  Call it as the last line of a cell.

Long answers and echoes
-----------------------
A text answer longer than :data:`MAX_ANSWER_CHARS` characters (10,000, some
1,500 words) is refused before any check looks at it, with a message stating
its length and the limit.  A check that quotes a learner's value uses
:func:`echo`, which keeps at most :data:`MAX_ECHO_CHARS` characters, and no
message a check shows is longer than :data:`MAX_MESSAGE_CHARS` characters.

No learner value can make a check show a traceback: if the check function
raises while looking at the value (an object whose ``__eq__`` raises, a
DataFrame subclass whose methods fail...), the outcome is an
:class:`Incorrect` saying what kind of value was expected.  Each outcome is
recorded in the progress store as item ``check:<name>``.

Writing an exercise module
--------------------------
Expected answers are computed lazily by a function, from the course data, the
first time a learner checks an answer (importing the module reads nothing)::

    # src/balancing_act/exercises/lesson01.py
    \"\"\"Checks for the lesson 1 exercises.\"\"\"

    from balancing_act.checks import (
        ExerciseSet, Question, chart_encodes, chart_marks,
        expect_chart, expect_equal, expect_frame, expect_number,
    )
    from balancing_act.data import load


    def _russia():
        trade = load("china_customs_trade")
        return trade[trade["partner"] == "Russia"]


    ex = ExerciseSet(lesson=1, questions=[
        Question(
            "q1",
            expect_equal(lambda: int(_russia().loc[_russia()["total_usd_bn"].idxmax(), "year"]),
                         describe="the year with the largest China-Russia trade"),
            hints=["Look at the 'total_usd_bn' column.", "idxmax() gives the row label.",
                   "Use .loc[row, 'year']."],
            solution="best_year = int(russia.loc[russia['total_usd_bn'].idxmax(), 'year'])",
        ),
        Question(
            "q2",
            expect_number(lambda: _russia()["total_usd_bn"].sum(), tol=0.05, unit="billion USD",
                          describe="the total trade over all years"),
            hints=["Add up one column."],
            solution="total = russia['total_usd_bn'].sum()",
        ),
        Question(
            "q3",
            expect_frame(lambda: _russia().query("year >= 2020")[["year", "total_usd_bn"]],
                         columns=["year", "total_usd_bn"], sort=["year"],
                         describe="the rows from 2020 on"),
            solution="recent = russia.query('year >= 2020')[['year', 'total_usd_bn']]",
        ),
        Question(
            "q4",
            expect_chart(lambda spec: "bar" in chart_marks(spec)
                         and chart_encodes(spec, "x", field="year"),
                         describe="a bar chart with year on the x axis"),
            solution="chart = alt.Chart(russia).mark_bar().encode(x='year:O', y='total_usd_bn')",
        ),
    ])

Builders return *check functions* (value -> outcome); any function with that
signature works too, and may return ``Correct``/``Incorrect``/``NotAttempted``
directly.  In the solution notebook, a ``solution-only`` cell can assert that
the reference answers pass: ``assert ex.q1.evaluate(best_year).correct``
(:meth:`Question.evaluate` checks without recording).
"""

from __future__ import annotations

import decimal
import keyword
import math
import numbers
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final, Literal

import numpy as np
import pandas as pd

from balancing_act.progress import ProgressStore, default_store
from balancing_act.safe_text import (
    escape,
    render_inline,
    safe_repr,
    truncate,
    type_name,
)

__all__ = [
    "Blank",
    "CheckOutcome",
    "Correct",
    "MAX_ANSWER_CHARS",
    "MAX_ECHO_CHARS",
    "MAX_MESSAGE_CHARS",
    "ExerciseSet",
    "Feedback",
    "Hint",
    "Incorrect",
    "NotAttempted",
    "Question",
    "Slip",
    "Solution",
    "____",
    "chart_encodes",
    "chart_encodings",
    "chart_mark_and_axes",
    "chart_marks",
    "chart_parts",
    "echo",
    "expect",
    "expect_chart",
    "expect_equal",
    "expect_frame",
    "expect_chart_data",
    "expect_number",
    "year_slips",
]

#: Message shown when a value is still the placeholder.
NOT_ATTEMPTED_MESSAGE: Final = "Replace ____ with your answer, then run the cell again."
_MAX_SCAN: Final = 10_000

#: Longest text answer a check reads, in characters; a longer one is refused unread.
MAX_ANSWER_CHARS: Final = 10_000

#: Longest quotation of a learner's value inside a check message (see :func:`echo`).
MAX_ECHO_CHARS: Final = 60

#: Longest message a check shows; a longer one is cut, ending with an ellipsis.
MAX_MESSAGE_CHARS: Final = 1_000


def echo(value: object) -> str:
    """Quote a learner's value in a check message: its repr, at most :data:`MAX_ECHO_CHARS` long.

    Every check module quotes learner values through this, so a ten-megabyte
    answer never turns into a ten-megabyte message.
    """
    return safe_repr(value, MAX_ECHO_CHARS)


def _too_long(value: object) -> CheckOutcome | None:
    """An :class:`Incorrect` for a text answer over :data:`MAX_ANSWER_CHARS`, else ``None``."""
    if not isinstance(value, str):
        return None
    size = str.__len__(value)
    if size <= MAX_ANSWER_CHARS:
        return None
    return Incorrect(
        f"Your answer is {size:,} characters long; the limit is {MAX_ANSWER_CHARS:,} characters. "
        "Shorten it and run the cell again."
    )


# ------------------------------------------------------------- placeholder
class Blank:
    """The type of the ``____`` placeholder that learners replace."""

    _instance: ClassVar[Blank | None] = None

    def __new__(cls) -> Blank:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def _absorb(self, *_: object) -> Blank:
        """Arithmetic with a placeholder gives the placeholder back.

        So ``total = ____ * 2`` or ``count += ____`` run without an error and
        the check then reports that the exercise is not attempted yet.
        """
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = _absorb
    __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _absorb
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = _absorb
    __neg__ = __pos__ = __abs__ = _absorb


#: Placeholder for exercise cells: ``answer = ____``.
____: Final = Blank()


def _is_blank(value: object) -> bool:
    """True for ``____`` (also one created before a module reload) or ``None``."""
    if value is None or value is ____:
        return True
    cls = type(value)
    return cls.__name__ == "Blank" and cls.__module__ == __name__


def _contains_blank(value: object) -> bool:
    """True if ``value`` is a blank or a plain list/tuple/dict holding one."""
    if _is_blank(value):
        return value is not None
    cls = type(value)
    if cls in (list, tuple, set, frozenset) and len(value) <= _MAX_SCAN:  # type: ignore[arg-type]
        return any(_is_blank(item) and item is not None for item in value)  # type: ignore[attr-defined]
    if cls is dict and len(value) <= _MAX_SCAN:  # type: ignore[arg-type]
        return any(_is_blank(v) and v is not None for v in (*value.keys(), *value.values()))  # type: ignore[attr-defined]
    return False


# ---------------------------------------------------------------- outcomes
@dataclass(frozen=True)
class CheckOutcome:
    """Base class of the three outcomes a check returns."""

    status: ClassVar[Literal["correct", "incorrect", "not_attempted"]]
    label: ClassVar[str]
    symbol: ClassVar[str]

    @property
    def text(self) -> str:
        """The message or reason."""
        raise NotImplementedError

    @property
    def correct(self) -> bool:
        """Whether the answer was right."""
        return self.status == "correct"

    def __str__(self) -> str:
        return f"{self.label}: {self.text}"


@dataclass(frozen=True)
class Correct(CheckOutcome):
    """The answer is right."""

    message: str = "Well done."
    status: ClassVar[Literal["correct"]] = "correct"
    label: ClassVar[str] = "Correct"
    symbol: ClassVar[str] = "✓"

    @property
    def text(self) -> str:
        return self.message


@dataclass(frozen=True)
class Incorrect(CheckOutcome):
    """The answer is wrong; ``reason`` says how, without giving it away."""

    reason: str
    status: ClassVar[Literal["incorrect"]] = "incorrect"
    label: ClassVar[str] = "Incorrect"
    symbol: ClassVar[str] = "✗"

    @property
    def text(self) -> str:
        return self.reason


@dataclass(frozen=True)
class NotAttempted(CheckOutcome):
    """The learner has not replaced the placeholder yet."""

    message: str = NOT_ATTEMPTED_MESSAGE
    status: ClassVar[Literal["not_attempted"]] = "not_attempted"
    label: ClassVar[str] = "Not attempted"
    symbol: ClassVar[str] = "…"

    @property
    def text(self) -> str:
        return self.message


Checker = Callable[[Any], CheckOutcome]

_OUTCOMES: Final[dict[str, Callable[[str], CheckOutcome]]] = {
    "correct": Correct,
    "incorrect": Incorrect,
    "not_attempted": NotAttempted,
}


def _bounded(outcome: CheckOutcome) -> CheckOutcome:
    """``outcome`` with its text cut to :data:`MAX_MESSAGE_CHARS` characters."""
    text = outcome.text
    if len(text) <= MAX_MESSAGE_CHARS:
        return outcome
    return _OUTCOMES[outcome.status](truncate(text, MAX_MESSAGE_CHARS))


# ---------------------------------------------------------- display objects
@dataclass(frozen=True)
class Feedback:
    """What :meth:`Question.check` returns: an outcome, ready to display."""

    question: str
    outcome: CheckOutcome

    @property
    def correct(self) -> bool:
        """Whether the answer was right."""
        return self.outcome.correct

    def __repr__(self) -> str:
        return str(self.outcome)

    def _repr_html_(self) -> str:
        out = self.outcome
        return (
            f'<div role="status"><strong>{escape(out.symbol)} {escape(out.label)}:</strong> '
            f"{render_inline(out.text)}</div>"
        )


@dataclass(frozen=True)
class Hint:
    """A hint, or a note that there is none; displays as text."""

    text: str
    level: int = 0
    total: int = 0

    @property
    def heading(self) -> str:
        """``Hint 1 of 3`` (or ``Hint`` when there is no numbered hint)."""
        return f"Hint {self.level} of {self.total}" if self.level else "Hint"

    def __repr__(self) -> str:
        return f"{self.heading}: {self.text}"

    def _repr_html_(self) -> str:
        return f"<div><strong>{escape(self.heading)}:</strong> {render_inline(self.text)}</div>"


@dataclass(frozen=True)
class Solution:
    """Reference code for a question, shown as a code block."""

    question: str
    code: str

    def __repr__(self) -> str:
        if not self.code:
            return f"No solution is available for {self.question}."
        return f"Solution for {self.question}:\n{self.code}"

    def _repr_markdown_(self) -> str:
        if not self.code:
            return escape(repr(self))
        fence = "```"
        while fence in self.code:
            fence += "`"
        return f"Solution for {escape(self.question)}:\n\n{fence}python\n{self.code}\n{fence}\n"


# ---------------------------------------------------------------- question
class CheckSetupError(RuntimeError):
    """The reference answer could not be computed (a course problem)."""


class Question:
    """One checkable exercise.

    Parameters
    ----------
    name:
        Identifier used as attribute name in an :class:`ExerciseSet` and in
        the progress record ``check:<name>``.
    checker:
        Pure function ``value -> CheckOutcome`` (see the ``expect_*``
        builders).  It may raise: the exception becomes an :class:`Incorrect`.
    lesson:
        Lesson number; an :class:`ExerciseSet` fills it in when omitted.
    hints:
        Hints from gentle to explicit.
    solution:
        Reference code shown by :meth:`solution` (kept as ``solution_code``).
    expected:
        What kind of value is expected, e.g. ``"a pandas DataFrame"``; used when
        the checker fails on a value.  Defaults to ``checker.expected``.
    store:
        Progress store; default :func:`balancing_act.progress.default_store`
        at check time.  ``record=False`` records nothing.
    """

    def __init__(
        self,
        name: str,
        checker: Checker,
        *,
        lesson: int | None = None,
        hints: Sequence[str] = (),
        solution: str = "",
        expected: str | None = None,
        store: ProgressStore | None = None,
        record: bool = True,
        skills: Sequence[str] = (),
        item: str | None = None,
    ) -> None:
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ValueError(f"question name {name!r} must be a valid Python identifier")
        if not callable(checker):
            raise TypeError(f"checker for {name!r} must be callable")
        self.name = name
        self.lesson = lesson
        self._check = checker
        self.hints: list[str] = [str(h) for h in hints]
        self.solution_code = str(solution).strip("\n")
        self.expected = expected or str(getattr(checker, "expected", "") or "a different kind of value")
        self.store = store
        self.record = record
        #: Skills (ids from docs/skills.md, e.g. ``"pandas.filter"``) this question assesses.
        self.skills: tuple[str, ...] = tuple(str(skill) for skill in skills)
        #: The progress item it records under; ``check:<name>`` unless given.
        self.item = item or f"check:{name}"
        self._hints_shown = 0

    # -- grading
    def evaluate(self, value: object) -> CheckOutcome:
        """Check ``value`` without recording it; never raises."""
        try:
            blank = value is None or _contains_blank(value)
        except Exception:  # len() or iteration may fail on odd objects
            blank = False
        if blank:
            return NotAttempted()
        refused = _too_long(value)
        if refused is not None:
            return refused
        try:
            outcome = self._check(value)
        except CheckSetupError as exc:
            warnings.warn(f"Check {self.name!r}: {exc}", stacklevel=2)
            return Incorrect(
                "The expected answer could not be computed, so this check cannot run. "
                "This is a problem with the course files, not with your answer."
            )
        except Exception:  # learner objects may fail in any way
            return Incorrect(
                f"Your answer could not be checked: expected {self.expected}, "
                f"but got a value of type {type_name(value)} that could not be read."
            )
        if isinstance(outcome, CheckOutcome):
            try:
                return _bounded(outcome)
            except Exception:  # an outcome subclass without a readable text or status
                pass
        return Incorrect("This check gave no verdict; please tell your instructor.")

    def check(self, value: object) -> Feedback:
        """Check ``value``, record the outcome, and return a :class:`Feedback`."""
        outcome = self.evaluate(value)
        if self.record:
            self._record(value, outcome)
        return Feedback(self.name, outcome)

    def _record(self, value: object, outcome: CheckOutcome) -> None:
        try:
            store = self.store if self.store is not None else default_store()
            lesson = self.lesson if type(self.lesson) is int else 0
            store.record(lesson, self.item, "check", outcome.status, safe_repr(value))
        except Exception as exc:  # recording never breaks a check
            warnings.warn(f"Could not record the check: {exc}", stacklevel=3)

    # -- help
    def hint(self, level: int | None = None) -> Hint:
        """Return the next hint, or hint number ``level`` (1-based)."""
        total = len(self.hints)
        if total == 0:
            return Hint("There are no hints for this question.")
        if level is None:
            self._hints_shown = min(self._hints_shown + 1, total)
            chosen = self._hints_shown
        elif type(level) is int and 1 <= level <= total:
            chosen = level
            self._hints_shown = max(self._hints_shown, level)
        else:
            return Hint(f"Choose a hint level from 1 to {total}, e.g. hint(1).")
        text = self.hints[chosen - 1]
        if level is None and chosen == total and total > 1:
            text = f"{text} (This is the last hint; solution() shows the answer.)"
        return Hint(text, chosen, total)

    def solution(self) -> Solution:
        """Return the reference solution as a displayable code block."""
        return Solution(self.name, self.solution_code)

    def __repr__(self) -> str:
        return f"Question({self.name!r}, lesson={self.lesson!r})"


class ExerciseSet:
    """The questions of one lesson, reachable as attributes: ``ex.q1.check(x)``."""

    def __init__(
        self,
        lesson: int,
        questions: Iterable[Question] | Mapping[str, Question],
        *,
        store: ProgressStore | None = None,
        skills: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        if type(lesson) is not int:
            raise TypeError(f"lesson must be an int, not {type(lesson).__name__}")
        items = list(questions.values()) if isinstance(questions, Mapping) else list(questions)
        self.lesson = lesson
        self._questions: dict[str, Question] = {}
        for question in items:
            if not isinstance(question, Question):
                raise TypeError(f"expected Question objects, got {type(question).__name__}")
            if question.name in self._questions:
                raise ValueError(f"two questions are named {question.name!r}")
            if question.name in dir(type(self)):
                raise ValueError(f"question name {question.name!r} clashes with an ExerciseSet attribute")
            if question.lesson is None:
                question.lesson = lesson
            elif question.lesson != lesson:
                raise ValueError(f"question {question.name!r} belongs to lesson {question.lesson}, not {lesson}")
            if question.store is None and store is not None:
                question.store = store
            self._questions[question.name] = question
        for name, assessed in (skills or {}).items():
            if name not in self._questions:
                raise ValueError(f"skills name question {name!r}, which lesson {lesson} does not have")
            self._questions[name].skills = tuple(str(skill) for skill in assessed)

    def __getattr__(self, name: str) -> Question:
        questions = self.__dict__.get("_questions", {})
        if name in questions:
            return questions[name]
        known = ", ".join(questions) or "none"
        raise AttributeError(f"lesson {self.__dict__.get('lesson')} has no question {name!r} (questions: {known})")

    def __getitem__(self, name: str) -> Question:
        return self._questions[name]

    def __iter__(self) -> Iterator[Question]:
        return iter(self._questions.values())

    def __len__(self) -> int:
        return len(self._questions)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self._questions})

    @property
    def names(self) -> list[str]:
        """Question names, in order."""
        return list(self._questions)

    def __repr__(self) -> str:
        return f"Lesson {self.lesson} exercises: {', '.join(self._questions) or 'none'}"


# ------------------------------------------------------------------ builders
class _Reference:
    """A lazily computed, cached expected value."""

    def __init__(self, compute: Callable[[], Any]) -> None:
        self._compute = compute
        self._done = False
        self._value: Any = None

    def get(self) -> Any:
        if not self._done:
            try:
                self._value = self._compute()
            except Exception as exc:  # reported as a setup problem
                raise CheckSetupError(f"computing the expected answer failed: {type(exc).__name__}: {exc}") from exc
            self._done = True
        return self._value


class _Check:
    """A check function built by an ``expect_*`` helper."""

    def __init__(self, func: Checker, expected: str) -> None:
        self._func = func
        self.expected = expected
        #: What kind of check it is ("number", "chart_data"...), and what it is configured with,
        #: so tests can try the common slips on every shipped check.
        self.kind = "other"
        self.reference: _Reference | None = None
        self.slips: tuple[Slip, ...] = ()
        self.unit = ""
        self.describe = expected

    def __call__(self, value: Any) -> CheckOutcome:
        return self._func(value)

    def __repr__(self) -> str:
        return f"<check expecting {self.expected}>"


def _verdict(result: object, describe: str, success: str) -> CheckOutcome:
    """Turn a predicate result (bool, str reason, outcome) into an outcome."""
    if isinstance(result, CheckOutcome):
        return result
    if isinstance(result, str):
        return Incorrect(result) if result else Correct(success)
    if result is True or (isinstance(result, np.bool_) and bool(result)):
        return Correct(success)
    return Incorrect(f"Not yet: expected {describe}.")


def _is_real(value: object) -> bool:
    """A real number that is not a bool (numpy numbers included)."""
    return isinstance(value, (numbers.Real, decimal.Decimal)) and not isinstance(value, (bool, np.bool_))


def _kind(value: object) -> str:
    """A learner-friendly name for the kind of ``value``."""
    if isinstance(value, (bool, np.bool_)):
        return "True/False"
    if _is_real(value):
        return "a number"
    if isinstance(value, str):
        return "text (a str)"
    if isinstance(value, pd.DataFrame):
        return "a table (pandas DataFrame)"
    if isinstance(value, pd.Series):
        return "a column (pandas Series)"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (set, frozenset)):
        return "a set"
    if isinstance(value, dict):
        return "a dict"
    return f"a value of type {type_name(value)}"


def expect(
    predicate: Callable[[Any], bool | str | CheckOutcome],
    describe: str,
    *,
    expected: str = "a value",
    success: str = "Well done.",
) -> Checker:
    """Build a check from a predicate on the learner's value.

    The predicate returns ``True`` (correct), ``False`` (incorrect with
    "Not yet: expected <describe>."), a non-empty string (incorrect with that
    reason) or an outcome.
    """

    def run(value: Any) -> CheckOutcome:
        return _verdict(predicate(value), describe, success)

    return _Check(run, expected)


def expect_equal(
    expected_fn: Callable[[], Any],
    describe: str,
    *,
    success: str = "Well done.",
) -> Checker:
    """Build a check that the value equals ``expected_fn()``.

    ``expected_fn`` runs once, at the first check.  Numbers are compared with
    a tiny relative tolerance, text exactly (with a note when only case or
    spaces differ), lists/tuples/dicts/sets element by element, Series and
    DataFrames by values.  ``describe`` names the answer for messages:
    ``"the year with the largest trade value"``.
    """
    reference = _Reference(expected_fn)

    def run(value: Any) -> CheckOutcome:
        target = reference.get()
        problem = _difference(value, target, describe, depth=0)
        return Incorrect(problem) if problem else Correct(success)

    check = _Check(run, describe)
    check.reference, check.kind, check.describe = reference, "equal", describe
    return check


def _difference(value: Any, target: Any, describe: str, depth: int) -> str:
    """Why ``value`` differs from ``target`` (empty string when equal)."""
    wrong_kind = f"Expected {describe} as {_kind(target)}, but your answer is {_kind(value)}."
    if isinstance(target, pd.DataFrame):
        return _frame_difference(value, target, None, None, describe, rtol=1e-9)
    if isinstance(target, pd.Series):
        if not isinstance(value, pd.Series):
            return wrong_kind
        if len(value) != len(target):
            return f"Expected {describe} with {len(target)} values; yours has {len(value)}."
        if not _columns_match(value.reset_index(drop=True), target.reset_index(drop=True), 1e-9):
            return f"Not quite: the values of {describe} differ."
        return ""
    if isinstance(target, (bool, np.bool_)):
        if not isinstance(value, (bool, np.bool_)):
            return wrong_kind
        return "" if bool(value) == bool(target) else f"Not quite: that is not {describe}."
    if _is_real(target):
        if not _is_real(value):
            return wrong_kind
        got, want = float(value), float(target)
        if math.isnan(want) and math.isnan(got):
            return ""
        if math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12):
            return ""
        return f"Not quite: that is not {describe}."
    if isinstance(target, str):
        if not isinstance(value, str):
            return wrong_kind
        text = str.__str__(value)
        if text == target:
            return ""
        if " ".join(text.split()).casefold() == " ".join(target.split()).casefold():
            return f"Almost: check capital letters and spaces in {describe}."
        return f"Not quite: that is not {describe}."
    if isinstance(target, (list, tuple)):
        if not isinstance(value, (list, tuple)):
            return wrong_kind
        if len(value) != len(target):
            return f"Expected {describe} with {len(target)} items; yours has {len(value)}."
        for position, (got, want) in enumerate(zip(value, target, strict=True)):
            if _difference(got, want, "that item", depth + 1):
                return f"Not quite: item {position + 1} of {describe} is not right."
        return ""
    if isinstance(target, (set, frozenset)):
        if not isinstance(value, (set, frozenset, list, tuple)):
            return wrong_kind
        mine = set(value)
        if mine == target:
            return ""
        missing, extra = len(target - mine), len(mine - target)
        return f"Not quite: {missing} expected item(s) are missing and {extra} are not expected."
    if isinstance(target, dict):
        if not isinstance(value, dict):
            return wrong_kind
        if set(value) != set(target):
            return f"Not quite: the keys of {describe} are not right."
        for key in target:
            if _difference(value[key], target[key], "that entry", depth + 1):
                return f"Not quite: the entry {safe_repr(key, 40)} is not right."
        return ""
    if type(value) is not type(target):
        return wrong_kind
    same = value == target
    if same is True or (isinstance(same, np.bool_) and bool(same)):
        return ""
    return f"Not quite: that is not {describe}."


@dataclass(frozen=True)
class Slip:
    """A common wrong answer a check recognises and names.

    ``value()`` computes the wrong answer from the course data (lazily, at the
    first check; ``None`` when the slip does not apply); ``message`` says what
    the learner's value is and what the question asks instead (a callable is
    called at check time, for messages that name a year found in the data).
    """

    name: str
    value: Callable[[], Any]
    message: str | Callable[[], str]

    def text(self) -> str:
        """The message, computed when it is a callable."""
        return self.message() if callable(self.message) else self.message


def year_slips(
    value_for_year: Callable[[int], Any],
    year: int,
    years: Callable[[], Iterable[int]],
    *,
    what: str = "figure",
) -> list[Slip]:
    """Slips for the neighbouring years in the data: the value of the year before and after ``year``.

    ``years()`` lists the years the data hold (read lazily); ``value_for_year(y)``
    computes the answer for year ``y``.  The message names the year the
    learner's value belongs to: "that is the 2023 figure; the question asks for 2024."
    """

    def neighbour(step: int) -> int | None:
        known = sorted({int(y) for y in years()})
        around = [y for y in known if (y < year if step < 0 else y > year)]
        if not around:
            return None
        return max(around) if step < 0 else min(around)

    def slip(step: int, label: str) -> Slip:
        def value() -> Any:
            other = neighbour(step)
            return None if other is None else value_for_year(other)

        return Slip(
            f"wrong year ({label})",
            value,
            lambda: f"that is the {neighbour(step)} {what}; the question asks for {year}.",
        )

    return [slip(-1, "year before"), slip(1, "year after")]


def _number_or_none(value: Any) -> float | None:
    """``value`` as a finite float, or ``None``."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        return None
    return number if math.isfinite(number) else None


def expect_number(
    expected_fn: Callable[[], Any],
    tol: float = 0.0,
    unit: str = "",
    *,
    rel_tol: float = 0.0,
    decimals: int | None = None,
    slips: Iterable[Slip] = (),
    describe: str = "the number",
    success: str = "Well done.",
) -> Checker:
    """Build a check that the value is a number close to ``expected_fn()``.

    ``tol`` is an absolute allowance in the answer's unit; ``rel_tol`` one in
    proportion to the answer (``0.005`` = 0.5 %), for answers whose size makes
    a fixed allowance meaningless: 0.001 on a share of 0.035 % lets answers
    3 % off pass.  ``decimals`` is the precision the question states ("to one
    decimal place": ``decimals=1``; "a whole number": ``0``): any answer that
    rounds like the right one is accepted (19 for 18.97 with ``decimals=0``).
    The largest of the three applies.  ``rel_tol=0.005`` accepts any answer
    rounded to 3 significant figures, and the message for a wrong answer says
    how many figures are enough.

    A wrong number is compared with the common slips before it is called too
    high or too low: each of ``slips`` (see :class:`Slip`, :func:`year_slips`),
    then, for a percentage (``unit="%"``), the same share as a fraction (0.19
    for 19), and the right number with the wrong sign.  A matching slip gets
    its own message.  ``success`` is the message for a right answer: one
    sentence saying what the number shows.

    Tells the learner what to do when they give a one-value Series or a string
    instead of a number.
    """
    for name, allowance in (("tol", tol), ("rel_tol", rel_tol)):
        if not (isinstance(allowance, (int, float)) and math.isfinite(allowance) and allowance >= 0):
            raise ValueError(f"{name} must be a finite number >= 0")
    if rel_tol >= 1:
        raise ValueError("rel_tol must be below 1 (it is a fraction of the answer: 0.005 is 0.5%)")
    if decimals is not None and (type(decimals) is not int or not 0 <= decimals <= 10):
        raise ValueError(f"decimals must be a whole number from 0 to 10; got {decimals!r}")
    reference = _Reference(expected_fn)
    suffix = f" {unit}" if unit else ""
    rounding = 0.5 * 10.0 ** -decimals if decimals is not None else 0.0
    allowed = _allowed_error(tol, rel_tol, suffix, decimals)
    known_slips = tuple(slips)
    percent = unit.strip() == "%"

    def allowance_for(target: float) -> float:
        return max(tol, rel_tol * abs(target), rounding) + 1e-9 * max(1.0, abs(target))

    def slip_message(got: float, target: float) -> str:
        allowance = allowance_for(target)
        for slip in known_slips:
            other = _number_or_none(slip.value())
            if other is None or abs(other - target) <= allowance:
                continue  # not applicable, or not told apart from the right answer
            if abs(got - other) <= max(allowance, 0.005 * abs(other)):
                return f"Not quite: {slip.text()}"
        if percent and target and abs(got - target / 100) <= max(allowance / 100, 0.005 * abs(target / 100)):
            return (
                "Not quite: that looks like a fraction (a share out of 1); the question asks for a "
                "percentage. Multiply by 100."
            )
        if target and abs(got + target) <= allowance:
            return "Not quite: the size is right but the sign is not; check which value you take from which."
        return ""

    def run(value: Any) -> CheckOutcome:
        target = float(reference.get())
        if isinstance(value, (pd.Series, pd.DataFrame, np.ndarray)):
            size = int(value.size)
            if size == 1:
                return Incorrect(
                    f"Expected {describe} as a single number, but you have a {type_name(value)} "
                    "holding one value; take the number out with .item()."
                )
            return Incorrect(f"Expected {describe} as a single number, but you have {_kind(value)} with {size} values.")
        if isinstance(value, str):
            return Incorrect(f"Expected {describe} as a number, but your answer is text; remove the quotes.")
        if not _is_real(value):
            return Incorrect(f"Expected {describe} as a number, but your answer is {_kind(value)}.")
        try:
            got = float(value)
        except (OverflowError, ValueError, ArithmeticError):
            return Incorrect(f"Expected {describe} as an ordinary number; yours cannot be read as one.")
        if not math.isfinite(got):
            return Incorrect(f"Expected {describe} as a finite number; yours is {got}.")
        if abs(got - target) <= allowance_for(target):
            return Correct(success)
        named = slip_message(got, target)
        if named:
            return Incorrect(named)
        direction = "too high" if got > target else "too low"
        return Incorrect(f"Not quite: your value for {describe} is {direction} (allowed error: {allowed}).")

    check = _Check(run, f"{describe} as a number{suffix and ' in' + suffix}")
    check.reference = reference
    check.slips = known_slips
    check.unit = unit
    check.describe = describe
    check.kind = "number"
    return check


def _allowed_error(tol: float, rel_tol: float, suffix: str, decimals: int | None = None) -> str:
    """How far off an answer may be, in words: ``0.01 bn`` or ``0.5% of the right value; ...``."""
    if decimals is not None:
        places = "a whole number" if decimals == 0 else f"{decimals} decimal place{'s' if decimals > 1 else ''}"
        return f"the answer rounded to {places} is enough"
    if not rel_tol:
        return f"{tol:g}{suffix}"
    # Rounding to s significant figures moves a number by at most 5 * 10**-s of it
    # (half a unit in the last figure, relative to a leading digit of at least 1).
    figures = max(1, math.ceil(1 - math.log10(2 * rel_tol) - 1e-9))
    relative = f"{rel_tol * 100:g}% of the right value; {figures} significant figures are enough"
    return f"{tol:g}{suffix} or {relative}" if tol else relative


def expect_frame(
    expected_fn: Callable[[], pd.DataFrame],
    columns: Sequence[str] | None = None,
    sort: bool | Sequence[str] | None = None,
    *,
    describe: str = "the table",
    rtol: float = 1e-6,
    success: str = "Well done.",
) -> Checker:
    """Build a check that the value is a DataFrame matching ``expected_fn()``.

    ``columns`` limits the comparison to those columns (the learner's frame
    may have others); without it the learner's frame must have exactly the
    expected columns, in any order.  ``sort`` makes row order irrelevant:
    ``True`` sorts by all compared columns, a list by those columns.  The index
    is ignored; numbers are compared with relative tolerance ``rtol``.  Shape
    problems are reported before values are compared, so a huge frame is
    rejected quickly.
    """
    reference = _Reference(expected_fn)

    def run(value: Any) -> CheckOutcome:
        target = reference.get()
        problem = _frame_difference(value, target, columns, sort, describe, rtol)
        return Incorrect(problem) if problem else Correct(success)

    check = _Check(run, f"{describe} as a pandas DataFrame")
    check.reference, check.kind, check.describe = reference, "frame", describe
    return check


def _frame_difference(
    value: Any,
    target: pd.DataFrame,
    columns: Sequence[str] | None,
    sort: bool | Sequence[str] | None,
    describe: str,
    rtol: float,
) -> str:
    """Why ``value`` does not match ``target`` (empty string when it does)."""
    if isinstance(value, pd.Series):
        return (
            f"Expected {describe} as a pandas DataFrame, but you have a single column "
            "(a Series); select columns with a list, e.g. df[['a', 'b']]."
        )
    if not isinstance(value, pd.DataFrame):
        return f"Expected {describe} as a pandas DataFrame, but your answer is {_kind(value)}."
    wanted = list(columns) if columns is not None else list(target.columns)
    have = list(value.columns)
    if len(set(have)) != len(have):
        return "Your table has two columns with the same name; rename or drop one."
    missing = [c for c in wanted if c not in have]
    if missing:
        return f"Your table is missing the column(s): {', '.join(map(repr, missing))}."
    if columns is None:
        extra = [c for c in have if c not in wanted]
        if extra:
            return f"Your table has column(s) that are not expected: {', '.join(map(echo, extra[:5]))}."
    rows, expected_rows = int(value.shape[0]), int(target.shape[0])
    if rows != expected_rows:
        return f"Expected {describe} with {expected_rows} rows; yours has {rows}."
    mine = value.loc[:, wanted].reset_index(drop=True)
    theirs = target.loc[:, wanted].reset_index(drop=True)
    if sort:
        by = wanted if sort is True else list(sort)
        try:
            mine = mine.sort_values(by, kind="mergesort").reset_index(drop=True)
        except (TypeError, ValueError, KeyError):
            return f"Your rows could not be sorted by {', '.join(map(repr, by))}; check the values in those columns."
        theirs = theirs.sort_values(by, kind="mergesort").reset_index(drop=True)
    for name in wanted:
        if not _columns_match(mine[name], theirs[name], rtol):
            return f"Not quite: the values in column {name!r} differ from the expected ones."
    return ""


def _columns_match(mine: pd.Series, theirs: pd.Series, rtol: float) -> bool:
    """Compare two aligned Series; numbers with tolerance, NaN equal to NaN."""
    if len(mine) != len(theirs):
        return False
    numeric = (
        pd.api.types.is_numeric_dtype(theirs.dtype)
        and not pd.api.types.is_bool_dtype(theirs.dtype)
        and pd.api.types.is_numeric_dtype(mine.dtype)
        and not pd.api.types.is_bool_dtype(mine.dtype)
    )
    if numeric:
        a = mine.to_numpy(dtype=float, na_value=np.nan)
        b = theirs.to_numpy(dtype=float, na_value=np.nan)
        return bool(np.isclose(a, b, rtol=rtol, atol=1e-12, equal_nan=True).all())
    a_obj = mine.astype(object).to_numpy()
    b_obj = theirs.astype(object).to_numpy()
    for left, right in zip(a_obj, b_obj, strict=True):
        if _both_missing(left, right):
            continue
        same = left == right
        if not (same is True or (isinstance(same, np.bool_) and bool(same))):
            return False
    return True


def _both_missing(left: object, right: object) -> bool:
    """True when both cells are missing values (None, NaN, NaT, pd.NA)."""
    try:
        return bool(pd.isna(left)) and bool(pd.isna(right))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


# -------------------------------------------------------------------- charts
def expect_chart(
    predicate: Callable[[dict[str, Any]], bool | str | CheckOutcome],
    describe: str,
    *,
    success: str = "Your chart looks right.",
) -> Checker:
    """Build a check on an Altair chart's Vega-Lite spec (``chart.to_dict()``).

    ``predicate(spec)`` returns ``True``, ``False``, a reason string or an
    outcome; if it raises (e.g. ``KeyError`` for a missing encoding) the chart
    is treated as not yet matching ``describe`` ("a bar chart with year on the
    x axis").  Use :func:`chart_marks`, :func:`chart_encodings` and
    :func:`chart_encodes` to write predicates.
    """

    def run(value: Any) -> CheckOutcome:
        spec = _spec_of(value, describe)
        if isinstance(spec, CheckOutcome):
            return spec
        try:
            result = predicate(spec)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            result = False
        return _verdict(result, describe, success)

    return _Check(run, f"{describe} (an Altair chart)")


def _spec_of(value: Any, describe: str) -> dict[str, Any] | CheckOutcome:
    """The Vega-Lite spec of an Altair chart, or an :class:`Incorrect` saying why there is none."""
    module = getattr(type(value), "__module__", "") or ""
    if not module.startswith("altair") or not callable(getattr(value, "to_dict", None)):
        return Incorrect(f"Expected {describe} as an Altair chart, but your answer is {_kind(value)}.")
    import altair as alt

    try:
        with alt.data_transformers.disable_max_rows():
            spec = value.to_dict()
    except Exception as exc:  # Altair validation errors vary
        first = truncate(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, 200)
        return Incorrect(f"Your chart is not complete yet; Altair reports: {first}")
    if not isinstance(spec, dict):
        return Incorrect(f"Expected {describe} as an Altair chart.")
    return spec


def _has_title(spec: Mapping[str, Any]) -> bool:
    for part in chart_parts(spec):
        title = part.get("title")
        text = title.get("text") if isinstance(title, Mapping) else title
        if isinstance(text, list):
            text = " ".join(str(t) for t in text)
        if isinstance(text, str) and text.strip():
            return True
    return False


def _has_tooltip(spec: Mapping[str, Any]) -> bool:
    return any(encoding.get("tooltip") for encoding in chart_encodings(spec))


def _shows(values: Iterable[Any]) -> str:
    """``2022`` or ``2022, 2023 and 2024`` (at most five values named)."""
    from balancing_act.chart_data import normalise

    shown = sorted({normalise(v) for v in values if normalise(v) is not None}, key=str)
    texts = [f"{v:g}" if isinstance(v, float) else str(v) for v in shown]
    if len(texts) > 5:
        return f"{', '.join(texts[:5])} and {len(texts) - 5} more"
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} and {texts[-1]}" if texts else "no value"


def _selection_difference(column: str, have: pd.Series, want: pd.Series) -> str:
    """How the values of ``column`` in the chart differ from the expected ones ("" when the same)."""
    from balancing_act.chart_data import normalise

    mine = {normalise(v) for v in have} - {None}
    theirs = {normalise(v) for v in want} - {None}
    if mine == theirs:
        return ""
    extra, missing = mine - theirs, theirs - mine
    if extra and not missing:
        return f"Your chart also shows {column} {_shows(extra)}; the question leaves that out."
    if missing and not extra:
        return f"Your chart leaves out {column} {_shows(missing)}; the question includes it."
    return f"Your chart shows {column} {_shows(mine)}; the question asks for {_shows(theirs)}."


def expect_chart_data(
    expected_fn: Callable[[], pd.DataFrame],
    mark: str | Iterable[str],
    channels: Mapping[str, str] | Sequence[Mapping[str, str]],
    describe: str,
    *,
    selected_on: Sequence[str] = (),
    slips: Iterable[Slip] = (),
    require_title: bool = False,
    require_tooltip: bool = False,
    extra: Callable[[Mapping[str, Any]], bool | str] | None = None,
    success: str = "Your chart looks right.",
) -> Checker:
    """Build a chart check that compares the data the chart draws with the expected data.

    ``expected_fn()`` gives the rows the chart should draw (computed lazily);
    ``mark`` the mark type(s) accepted; ``channels`` the field on each channel,
    e.g. ``{"x": "total_usd_bn", "y": "partner"}``; ``"count()"`` (or
    ``"sum(field)"``...) for a channel Altair aggregates.  The chart's data are
    read after its filters (see :mod:`balancing_act.chart_data`) and its rows on
    those channels compared with the expected rows on the same fields.  A list
    of such mappings accepts any of them (bars along x or along y).

    A chart of the right shape from the wrong data gets a message saying which
    data it shows: the values of each ``selected_on`` column (the columns the
    question selects rows by, e.g. ``["year"]``: "Your chart shows year 2022;
    the question asks for 2023"), a field on the wrong channel ("it shows
    exports_usd_bn on x"), or a :class:`Slip` whose ``value()`` is a data
    frame of a known wrong selection.  ``require_title`` and
    ``require_tooltip`` (asked from Lesson 4 on) ask for a chart title and a
    tooltip; ``extra(spec)`` adds a question's own condition (a reason string
    or ``True``).
    """
    from balancing_act import chart_data

    marks = {mark} if isinstance(mark, str) else set(mark)
    layouts_given = [channels] if isinstance(channels, Mapping) else list(channels)
    layouts: list[dict[str, tuple[str | None, str | None]]] = []
    for layout in layouts_given:
        parsed: dict[str, tuple[str | None, str | None]] = {}
        for channel, text in layout.items():
            found = re.fullmatch(r"\s*([a-z]+)\(\s*([^()]*?)\s*\)\s*", text)
            parsed[channel] = (found.group(2) or None, found.group(1)) if found else (text, None)
        layouts.append(parsed)
    reference = _Reference(expected_fn)
    known_slips = tuple(slips)
    mark_names = " or ".join(sorted(marks))

    def fits(encoding: Mapping[str, Any], layout: Mapping[str, tuple[str | None, str | None]]) -> bool:
        for channel, (field, aggregate) in layout.items():
            entry = encoding.get(channel)
            if not isinstance(entry, Mapping) or (entry.get("field"), entry.get("aggregate") or None) != (field, aggregate):
                return False
        return True

    def run(value: Any) -> CheckOutcome:
        spec = _spec_of(value, describe)
        if isinstance(spec, CheckOutcome):
            return spec
        target: pd.DataFrame = reference.get()
        if not marks & set(chart_marks(spec)):
            first = sorted(marks)[0]
            return Incorrect(f"Use a {mark_names} mark: alt.Chart(...).mark_{first}().")
        encodings = chart_encodings(spec)
        encoding = encodings[0] if encodings else {}
        wanted = next((layout for layout in layouts if fits(encoding, layout)), layouts[0])

        def expected_rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
            return chart_data.encoded_rows(frame, wanted)

        for channel, (field, aggregate) in wanted.items():
            entry = encoding.get(channel)
            if not isinstance(entry, Mapping):
                shown = f"{aggregate}()" if aggregate and not field else field
                return Incorrect(f"Put {shown} on the {channel} channel: .encode({channel}=...).")
            got_field, got_aggregate = entry.get("field"), entry.get("aggregate")
            if (got_field, got_aggregate or None) != (field, aggregate):
                shows = f"{got_aggregate}()" if got_aggregate and not got_field else got_field or "no field"
                asks = f"{aggregate}()" if aggregate and not field else field
                return Incorrect(f"Your chart shows {shows} on {channel}; the question asks for {asks}.")
        if extra is not None:
            verdict = extra(spec)
            if verdict is not True:
                return Incorrect(verdict if isinstance(verdict, str) and verdict else f"Not yet: expected {describe}.")
        try:
            frame, _ = chart_data.chart_frame(spec)
            mine = chart_data.encoded_rows(frame, wanted)
        except chart_data.UnreadableChart as exc:
            return Incorrect(str(exc))
        except KeyError as exc:
            return Incorrect(f"Your chart's data have no column {exc.args[0]!r}; check the table you pass to alt.Chart.")
        for column in selected_on:
            if column in frame.columns and column in target.columns:
                problem = _selection_difference(column, frame[column], target[column])
                if problem:
                    return Incorrect(problem)
        if mine != expected_rows(target):
            for slip in known_slips:
                other = slip.value()
                if isinstance(other, pd.DataFrame) and mine == expected_rows(other):
                    return Incorrect(f"Not quite: {slip.text()}")
            if len(mine) != len(expected_rows(target)):
                return Incorrect(
                    f"Your chart draws {len(mine)} marks; the question's data give {len(expected_rows(target))}. "
                    "Check which rows you kept."
                )
            return Incorrect(
                "Your chart has the right shape, but the values it draws differ from the question's data; "
                "check which rows and which column you plot."
            )
        if require_title and not _has_title(spec):
            return Incorrect('Give the chart a title that says what it shows: .properties(title="...").')
        if require_tooltip and not _has_tooltip(spec):
            return Incorrect('Add a tooltip, so a reader can hover for the values: .encode(..., tooltip=[...]).')
        return Correct(success)

    check = _Check(run, f"{describe} (an Altair chart)")
    check.reference = reference
    check.slips = known_slips
    check.describe = describe
    check.kind = "chart_data"
    check.mark = sorted(marks)[0]
    check.channels = [dict(layout) for layout in layouts_given]
    check.selected_on = tuple(selected_on)
    check.require_title = require_title
    check.require_tooltip = require_tooltip
    return check


_VIEW_KEYS = ("layer", "hconcat", "vconcat", "concat")


def chart_parts(spec: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every (sub)spec of a layered, concatenated or faceted spec, the top level first."""
    yield spec
    inner = spec.get("spec")
    if isinstance(inner, Mapping):
        yield from chart_parts(inner)
    for key in _VIEW_KEYS:
        children = spec.get(key)
        if isinstance(children, list):
            for child in children:
                if isinstance(child, Mapping):
                    yield from chart_parts(child)


def _views(spec: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every unit view (a part with a mark) of a spec."""
    return (part for part in chart_parts(spec) if "mark" in part)


def chart_mark_and_axes(
    mark: str,
    x: str,
    y: str,
    *,
    x_hint: str | None = None,
    y_hint: str | None = None,
) -> Callable[[Mapping[str, Any]], bool | str]:
    """A predicate for :func:`expect_chart`: a ``mark`` chart with field ``x`` on x and ``y`` on y.

    Each unmet condition returns the next step to take; ``x_hint`` and ``y_hint``
    replace the default advice for the axes.
    """

    def predicate(spec: Mapping[str, Any]) -> bool | str:
        if mark not in chart_marks(spec):
            return f"Use a {mark} mark: alt.Chart(...).mark_{mark}()."
        if not chart_encodes(spec, "x", field=x):
            return x_hint or f"Put {x} on the x axis."
        if not chart_encodes(spec, "y", field=y):
            return y_hint or f"Put {y} on the y axis."
        return True

    return predicate


def chart_marks(spec: Mapping[str, Any]) -> list[str]:
    """Mark types used in a Vega-Lite spec, e.g. ``["bar"]`` or ``["line", "point"]``."""
    marks = []
    for view in _views(spec):
        mark = view.get("mark")
        kind = mark.get("type") if isinstance(mark, Mapping) else mark
        if isinstance(kind, str):
            marks.append(kind)
    return marks


def chart_encodings(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``encoding`` mapping of every unit view (top-level encodings merged in)."""
    top = spec.get("encoding")
    shared: Mapping[str, Any] = top if isinstance(top, Mapping) else {}
    found: list[dict[str, Any]] = []
    for view in _views(spec):
        inner = view.get("encoding")
        own: Mapping[str, Any] = inner if isinstance(inner, Mapping) else {}
        found.append({**shared, **own})
    return found or ([dict(shared)] if shared else [])


def chart_encodes(
    spec: Mapping[str, Any],
    channel: str,
    *,
    field: str | None = None,
    type: str | None = None,
    aggregate: str | None = None,
) -> bool:
    """True if some view encodes ``channel`` (``"x"``, ``"color"``...) as asked.

    ``field``, ``type`` (``"quantitative"``, ``"ordinal"``, ``"nominal"``,
    ``"temporal"``) and ``aggregate`` (``"sum"``...) are compared when given.
    """
    for encoding in chart_encodings(spec):
        entry = encoding.get(channel)
        if not isinstance(entry, Mapping):
            continue
        if field is not None and entry.get("field") != field:
            continue
        if type is not None and entry.get("type") != type:
            continue
        if aggregate is not None and entry.get("aggregate") != aggregate:
            continue
        return True
    return False
