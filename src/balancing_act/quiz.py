"""Quizzes whose questions are data: JSON banks, a pure grader and a widget.

A lesson shows a quiz with one call::

    from balancing_act.quiz import show_quiz
    show_quiz("lesson01")

Bank files
----------
A bank is ``src/balancing_act/quizzes/<bank_id>.json`` and must match the JSON
schema ``src/balancing_act/schemas/quiz_bank.schema.json``::

    {
      "id": "lesson01",                 # equals the file name
      "lesson": 1,
      "title": "Check your understanding",
      "questions": [
        {"id": "q1", "type": "single",
         "prompt": "Which partner is **larger**?",
         "options": [
           {"text": "Russia", "correct": true, "feedback": "Yes."},
           {"text": "North Korea", "correct": false, "feedback": "Compare the bars."}
         ],
         "explanation": "...", "source": {"label": "...", "url": "https://..."},
         "hint": "Look at the 2023 column."},
        {"id": "q2", "type": "truefalse", "prompt": "...", "answer": true},
        {"id": "q3", "type": "numeric", "prompt": "...", "answer": 12.5,
         "tolerance": 0.5, "unit": "billion USD"},
        {"id": "q4", "type": "multiple", "prompt": "...", "options": [...]}
      ]
    }

Question types: ``single`` (exactly one option has ``"correct": true``),
``multiple`` (one or more correct options; the learner must pick exactly
those), ``truefalse`` (``answer`` is ``true`` or ``false``) and ``numeric``
(``answer`` and ``tolerance`` are numbers; ``unit`` is optional).  Optional
on every question: ``feedback_correct``, ``feedback_incorrect``,
``explanation`` (shown after a correct answer), ``source`` and ``hint``.

All text is plain text.  A prompt may use ``**bold**``; everything else,
including any HTML, is shown literally (escaped), never interpreted.

A broken bank raises :class:`QuizBankError`; each line of its message names
the file, the question and the problem, for example::

    lesson01.json, question 'q3': numeric question needs 'tolerance' (a number >= 0); add it.

Grading
-------
:func:`grade` is pure and total: for any response (``None``, wrong types,
``NaN``, objects whose methods raise) it returns an :class:`Outcome` instead
of raising.  Responses are an option index or option text (``single``), a
list/set of those (``multiple``), a bool or ``"true"``/``"false"``
(``truefalse``) or a number or numeric string (``numeric``).

The widget
----------
:class:`Quiz` is an ``ipywidgets.VBox``: one group per question (prompt,
answer control, "Check answer" button, feedback area, optional hint) and a
running "Score: 2 / 5" line.  Answers may be checked again at any time; the
score counts questions whose latest check was correct.  Each check is
recorded in the progress store (:mod:`balancing_act.progress`) as item
``quiz:<bank id>:<question id>``.
"""

from __future__ import annotations

import decimal
import difflib
import hashlib
import importlib.resources
import json
import math
import numbers
import operator
import os
import random
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final, Literal

import ipywidgets as widgets
import jsonschema
import numpy as np

from balancing_act.fallback import KernelFallback
from balancing_act import json_input
from balancing_act.progress import ProgressStore, default_store
from balancing_act.safe_text import escape, plain, render_inline, safe_repr

__all__ = [
    "Bank",
    "Option",
    "Outcome",
    "QuestionView",
    "Quiz",
    "QuizBankError",
    "QuizQuestion",
    "Source",
    "available_banks",
    "bank_problems",
    "grade",
    "load_bank",
    "show_quiz",
    "validate_bank",
]

QUESTION_TYPES: Final = ("single", "multiple", "truefalse", "numeric")
_BANK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_MAX_TEXT_RESPONSE = 1000
_MAX_SELECTION = 1000


# --------------------------------------------------------------------- model
@dataclass(frozen=True)
class Option:
    """One choice of a ``single`` or ``multiple`` question."""

    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class Source:
    """Where a figure in a question comes from."""

    label: str
    url: str


@dataclass(frozen=True)
class QuizQuestion:
    """One question of a bank (see the module docstring for the fields)."""

    id: str
    type: Literal["single", "multiple", "truefalse", "numeric"]
    prompt: str
    options: tuple[Option, ...] = ()
    answer: float | bool | None = None
    tolerance: float | None = None
    unit: str = ""
    feedback_correct: str = ""
    feedback_incorrect: str = ""
    explanation: str = ""
    source: Source | None = None
    hint: str = ""

    @property
    def choices(self) -> tuple[Option, ...]:
        """The options the learner picks from (``True``/``False`` for truefalse)."""
        if self.type == "truefalse":
            return (Option("True", self.answer is True), Option("False", self.answer is False))
        return self.options


@dataclass(frozen=True)
class Bank:
    """A validated quiz bank."""

    id: str
    lesson: int
    title: str
    questions: tuple[QuizQuestion, ...]
    filename: str = ""

    def question(self, question_id: str) -> QuizQuestion:
        """Return the question with ``question_id`` (``KeyError`` if absent)."""
        for item in self.questions:
            if item.id == question_id:
                return item
        raise KeyError(question_id)


class QuizBankError(ValueError):
    """A quiz bank file is missing, unreadable or does not follow the schema.

    ``problems`` lists one message per problem; each names the file, the
    question (where there is one) and what to change.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# ------------------------------------------------------------- validation
@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    """The bank JSON schema shipped with the package."""
    text = importlib.resources.files("balancing_act").joinpath(
        "schemas", "quiz_bank.schema.json"
    ).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _field_docs(part: str) -> dict[str, str]:
    """Descriptions of the fields of ``part`` (bank, question, option, source)."""
    schema = _schema()
    props = schema["properties"] if part == "bank" else schema["$defs"][part]["properties"]
    return {name: str(spec.get("description", "")) for name, spec in props.items()}


def _json_kind(value: object) -> str:
    """The JSON name of a Python value's type, for messages."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null" if value is None else type(value).__name__


class _Locator:
    """Turns a JSON path inside a bank into a readable place name."""

    def __init__(self, filename: str, data: object) -> None:
        self.filename = filename
        self.data = data

    def question(self, index: int) -> Mapping[str, Any] | None:
        """The raw question at ``index`` if it is an object."""
        if isinstance(self.data, dict):
            items = self.data.get("questions")
            if isinstance(items, list) and 0 <= index < len(items) and isinstance(items[index], dict):
                return items[index]
        return None

    def prefix(self, path: Sequence[Any]) -> str:
        """``file`` or ``file, question 'id'`` for the element at ``path``."""
        if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
            raw = self.question(path[1])
            qid = raw.get("id") if raw is not None else None
            if isinstance(qid, str) and qid:
                return f"{self.filename}, question {qid!r}"
            return f"{self.filename}, question #{path[1] + 1}"
        return self.filename

    @staticmethod
    def part(path: Sequence[Any]) -> str:
        """Which schema part the *object* at ``path`` is."""
        if not path:
            return "bank"
        if len(path) == 2 and path[0] == "questions":
            return "question"
        if len(path) == 4 and path[2] == "options":
            return "option"
        if len(path) == 3 and path[2] == "source":
            return "source"
        return "bank"

    @staticmethod
    def inner(path: Sequence[Any]) -> str:
        """The path below the question, e.g. ``option 2`` (empty at question level)."""
        rest = list(path[2:]) if len(path) >= 2 and path[0] == "questions" else list(path)
        words = []
        index = 0
        while index < len(rest):
            step = rest[index]
            if step == "options" and index + 1 < len(rest) and isinstance(rest[index + 1], int):
                words.append(f"option {rest[index + 1] + 1}")
                index += 2
                continue
            words.append(str(step))
            index += 1
        return " ".join(words)


def _owner(path: Sequence[Any], locator: _Locator) -> str:
    """Describe the object at ``path`` as the subject of a sentence."""
    part = _Locator.part(path)
    if part == "question":
        raw = locator.question(path[1])
        qtype = raw.get("type") if raw is not None else None
        return f"{qtype} question" if qtype in QUESTION_TYPES else "the question"
    if part == "option":
        return f"option {path[3] + 1}"
    if part == "source":
        return "'source'"
    return "the bank"


def _translate(error: jsonschema.ValidationError, locator: _Locator) -> list[str]:
    """Turn one jsonschema error into friendly problem lines."""
    path = list(error.absolute_path)
    where = locator.prefix(path)
    instance = error.instance
    kind = error.validator
    if kind == "required":
        owner = _owner(path, locator)
        docs = _field_docs(_Locator.part(path))
        out = []
        for name in error.validator_value:
            if isinstance(instance, dict) and name not in instance:
                doc = docs.get(name, "")
                if name == "answer":
                    raw = instance.get("type")
                    doc = "true or false" if raw == "truefalse" else "a number"
                detail = f" ({doc})" if doc else ""
                out.append(f"{where}: {owner} needs {name!r}{detail}; add it.")
        return out
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = list(error.schema.get("properties", {}))
        out = []
        for name in instance:
            if name in allowed:
                continue
            close = difflib.get_close_matches(str(name), allowed, n=1)
            advice = f"did you mean {close[0]!r}?" if close else "remove it."
            owner = _owner(path, locator)
            out.append(f"{where}: {owner} has an unknown field {name!r}; {advice}")
        return out
    if kind == "not" and isinstance(instance, dict):
        forbidden = _required_names(error.validator_value)
        owner = _owner(path, locator)
        return [
            f"{where}: {owner} must not have {name!r}; remove it."
            for name in forbidden
            if name in instance
        ]
    label = _Locator.inner(path) or "value"
    doc = str(error.schema.get("description", "")) if isinstance(error.schema, dict) else ""
    shown = safe_repr(instance, 60)
    if kind == "type":
        wanted = doc or f"of type {error.validator_value}"
        return [f"{where}: {label!r} must be {wanted}, not {_json_kind(instance)} ({shown}); fix it."]
    if kind == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return [f"{where}: {label!r} must be one of {choices}; got {shown}."]
    if kind in ("minimum", "pattern"):
        wanted = doc or f"{kind} {error.validator_value}"
        return [f"{where}: {label!r} must be {wanted}; got {shown}."]
    if kind == "minLength":
        return [f"{where}: {label!r} must not be empty; write some text."]
    if kind == "minItems":
        size = len(instance) if isinstance(instance, list) else 0
        return [f"{where}: {label!r} needs at least {error.validator_value} items; it has {size}."]
    return [f"{where}: {label!r}: {error.message}"]


def _required_names(schema: object) -> list[str]:
    """All names listed under ``required`` anywhere inside ``schema``."""
    names: list[str] = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "required" and isinstance(value, list):
                names.extend(str(v) for v in value)
            else:
                names.extend(_required_names(value))
    elif isinstance(schema, list):
        for value in schema:
            names.extend(_required_names(value))
    return names


def bank_problems(data: object, filename: str) -> list[str]:
    """Return every problem of a parsed bank as a message line (empty if valid).

    Structural problems come from the JSON schema; the rules a schema cannot
    express (unique ids, exactly one correct option for ``single``, finite
    numbers, id equal to the file name) are checked here as well.
    """
    locator = _Locator(filename, data)
    deep = json_input.too_deep(data)
    if deep is not None:
        # Checked first: the schema validator recurses and would fail on such data.
        name = deep[2] if deep[:1] == ("questions",) and len(deep) > 2 else deep[0] if deep else None
        label = f"{name!r}: " if isinstance(name, str) else ""
        return [f"{locator.prefix(deep)}: {label}{json_input.nesting_message()}."]
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    problems: list[str] = []
    for error in errors:
        problems.extend(line for line in _translate(error, locator) if line not in problems)
    if problems or not isinstance(data, dict):
        return problems or [f"{filename}: a bank must be a JSON object."]
    stem = filename[:-5] if filename.endswith(".json") else ""
    if stem and data["id"] != stem:
        problems.append(
            f"{filename}: the bank 'id' is {data['id']!r} but the file is named {filename}; "
            "make them the same."
        )
    seen: set[str] = set()
    for index, raw in enumerate(data["questions"]):
        where = locator.prefix(["questions", index])
        if raw["id"] in seen:
            problems.append(f"{where}: the id is used by another question too; make ids unique.")
        seen.add(raw["id"])
        problems.extend(f"{where}: {p}" for p in _question_rules(raw))
    return problems


def _question_rules(raw: Mapping[str, Any]) -> list[str]:
    """Rules beyond the schema for one (schema-valid) question."""
    out: list[str] = []
    kind = raw["type"]
    if kind in ("single", "multiple"):
        options = raw["options"]
        right = sum(1 for opt in options if opt["correct"])
        if kind == "single" and right != 1:
            out.append(f"single question needs exactly one option with \"correct\": true; it has {right}.")
        if kind == "multiple" and right < 1:
            out.append("multiple question needs at least one option with \"correct\": true.")
        labels = [plain(opt["text"]).strip() for opt in options]
        duplicates = sorted({label for label in labels if labels.count(label) > 1})
        for label in duplicates:
            out.append(f"option text {label!r} appears more than once; options must differ.")
    if kind == "numeric":
        for name in ("answer", "tolerance"):
            if not math.isfinite(float(raw[name])):
                out.append(f"{name!r} must be a finite number.")
    return out


def validate_bank(data: object, filename: str) -> Bank:
    """Check a parsed bank and return it as a :class:`Bank`.

    ``filename`` is used in messages and must be the file's base name (e.g.
    ``lesson01.json``); the bank id must equal it without ``.json``.  Raises
    :class:`QuizBankError` listing every problem.
    """
    problems = bank_problems(data, filename)
    if problems:
        raise QuizBankError(problems)
    if not isinstance(data, dict):  # pragma: no cover - bank_problems reports this
        raise QuizBankError([f"{filename}: a bank must be a JSON object."])
    return Bank(
        id=str(data["id"]),
        lesson=int(data["lesson"]),
        title=str(data["title"]),
        questions=tuple(_build_question(raw) for raw in data["questions"]),
        filename=filename,
    )


def _build_question(raw: Mapping[str, Any]) -> QuizQuestion:
    """Turn a schema-valid question object into a :class:`QuizQuestion`."""
    kind = raw["type"]
    answer: float | bool | None = None
    if kind == "truefalse":
        answer = bool(raw["answer"])
    elif kind == "numeric":
        answer = float(raw["answer"])
    source = raw.get("source")
    return QuizQuestion(
        id=str(raw["id"]),
        type=kind,
        prompt=str(raw["prompt"]),
        options=tuple(
            Option(str(o["text"]), bool(o["correct"]), str(o.get("feedback", "")))
            for o in raw.get("options", ())
        ),
        answer=answer,
        tolerance=float(raw["tolerance"]) if "tolerance" in raw else None,
        unit=str(raw.get("unit", "")),
        feedback_correct=str(raw.get("feedback_correct", "")),
        feedback_incorrect=str(raw.get("feedback_incorrect", "")),
        explanation=str(raw.get("explanation", "")),
        source=Source(str(source["label"]), str(source["url"])) if source else None,
        hint=str(raw.get("hint", "")),
    )


# ----------------------------------------------------------------- loading
def _bank_folder() -> Traversable:
    """The folder of banks shipped with the package."""
    return importlib.resources.files("balancing_act").joinpath("quizzes")


def available_banks() -> list[str]:
    """Ids of the banks shipped with the package, sorted."""
    folder = _bank_folder()
    if not folder.is_dir():
        return []
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


def _parse_json(text: str, filename: str) -> object:
    """Parse bank JSON, reporting syntax errors, NaN and duplicate keys."""
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        owner = next((v for k, v in items if k == "id" and isinstance(v, str)), None)
        for key, value in items:
            if key in result:
                place = f"{filename}, question {owner!r}" if owner else filename
                duplicates.append(f"{place}: the key {key!r} appears twice in one object; keep one.")
            result[key] = value
        return result

    def constant(name: str) -> float:
        raise ValueError(f"{name} is not allowed; write a finite number")

    try:
        data = json_input.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise QuizBankError(
            [f"{filename}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); fix the syntax."]
        ) from None
    except ValueError as exc:
        raise QuizBankError([f"{filename}: {exc}."]) from None
    if duplicates:
        raise QuizBankError(duplicates)
    return data


def load_bank(bank: str | os.PathLike[str]) -> Bank:
    """Load and validate a bank by id (``"lesson01"``) or by path to a JSON file.

    Raises :class:`QuizBankError` if the bank does not exist or is invalid.
    """
    if isinstance(bank, os.PathLike) or (
        isinstance(bank, str) and (bank.endswith(".json") or "/" in bank or os.sep in bank)
    ):
        path = Path(bank)
        filename = path.name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QuizBankError([f"{filename}: cannot read {path} ({exc.strerror or exc})."]) from None
    else:
        bank_id = str(bank)
        filename = f"{bank_id}.json"
        resource = _bank_folder().joinpath(filename)
        if not _BANK_ID.match(bank_id) or not resource.is_file():
            known = ", ".join(available_banks()) or "none"
            raise QuizBankError([f"{filename}: there is no quiz bank {bank_id!r}; available banks: {known}."])
        text = resource.read_text(encoding="utf-8")
    return validate_bank(_parse_json(text, filename), filename)


# ------------------------------------------------------------------ grading
@dataclass(frozen=True)
class Outcome:
    """The result of grading one response.

    ``status`` is ``"correct"``, ``"incorrect"`` or ``"invalid"`` (the
    response could not be read as an answer: nothing chosen, not a number...).
    ``headline`` is a short verdict ("Correct", "Not quite", "Pick one
    option") and ``details`` the feedback paragraphs (plain text, ``**bold**``
    allowed).  ``response`` describes what the learner answered.
    """

    status: Literal["correct", "incorrect", "invalid"]
    headline: str
    details: tuple[str, ...] = ()
    response: str = ""

    @property
    def correct(self) -> bool:
        """Whether the answer was right."""
        return self.status == "correct"

    @property
    def progress_outcome(self) -> Literal["correct", "incorrect", "not_attempted"]:
        """The outcome name used in the progress file."""
        if self.status == "invalid":
            return "not_attempted"
        return self.status

    @property
    def symbol(self) -> str:
        """``✓`` for correct, ``✗`` for incorrect, ``!`` for an unreadable answer."""
        return {"correct": "✓", "incorrect": "✗"}.get(self.status, "!")

    @property
    def text(self) -> str:
        """The whole outcome as plain text."""
        lines = [f"{self.symbol} {self.headline}"] + [plain(d) for d in self.details]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text


def _invalid(headline: str) -> Outcome:
    return Outcome("invalid", headline)


class _UnreadableError(Exception):
    """A response that cannot be interpreted; carries the learner message."""


def _is_placeholder(value: object) -> bool:
    """``None`` or the ``____`` placeholder from :mod:`balancing_act.checks`."""
    if value is None:
        return True
    return type(value).__name__ == "Blank" and type(value).__module__ == "balancing_act.checks"


def _choice_index(question: QuizQuestion, response: object) -> int:
    """Interpret ``response`` as one option; raise :class:`_UnreadableError`."""
    choices = question.choices
    if isinstance(response, (bool, np.bool_)):
        if question.type == "truefalse":
            return 0 if bool(response) else 1
        raise _UnreadableError("Pick one option.")
    if isinstance(response, Option):
        for index, option in enumerate(choices):
            if option == response:
                return index
        raise _UnreadableError("Pick one of the listed options.")
    if isinstance(response, numbers.Integral) and question.type != "truefalse":
        index = operator.index(response)
        if 0 <= index < len(choices):
            return index
        raise _UnreadableError(f"Pick one of the listed options (0 to {len(choices) - 1}).")
    if isinstance(response, str):
        text = str.__str__(response)
        if len(text) <= _MAX_TEXT_RESPONSE:
            wanted = plain(text).strip().casefold()
            for index, option in enumerate(choices):
                if plain(option.text).strip().casefold() == wanted:
                    return index
        raise _UnreadableError("Pick one of the listed options.")
    if question.type == "truefalse":
        raise _UnreadableError("Pick True or False.")
    raise _UnreadableError("Pick one option.")


def _selection(question: QuizQuestion, response: object) -> list[int]:
    """Interpret ``response`` as a set of options for a multiple question."""
    if isinstance(response, (list, tuple, set, frozenset)):
        if len(response) > _MAX_SELECTION:
            raise _UnreadableError("Pick options from the list.")
        items = list(response)
    else:
        items = [response]
    picked: list[int] = []
    for item in items:
        if _is_placeholder(item):
            raise _UnreadableError("Pick options from the list.")
        index = _choice_index(question, item)
        if index not in picked:
            picked.append(index)
    if not picked:
        raise _UnreadableError("Select at least one option.")
    return sorted(picked)


def _number(response: object) -> float:
    """Interpret ``response`` as a finite float; raise :class:`_UnreadableError`."""
    if isinstance(response, (bool, np.bool_)):
        raise _UnreadableError("Enter a number, not True or False.")
    if isinstance(response, (numbers.Real, decimal.Decimal)):
        try:
            value = float(response)
        except OverflowError:
            raise _UnreadableError("That number is too large; enter a smaller number.") from None
        except (TypeError, ValueError, ArithmeticError):
            raise _UnreadableError("Enter a number.") from None
    elif isinstance(response, str):
        text = str.__str__(response).strip().replace(" ", "")
        if not text or len(text) > 100:
            raise _UnreadableError("Enter a number.")
        try:
            value = float(text)
        except ValueError:
            raise _UnreadableError("Enter a number (digits, with a dot for decimals).") from None
    else:
        raise _UnreadableError("Enter a number.")
    if not math.isfinite(value):
        raise _UnreadableError("Enter a finite number.")
    return value


def grade(question: QuizQuestion, response: object) -> Outcome:
    """Grade ``response`` to ``question``; never raises.

    Returns an :class:`Outcome`: correct, incorrect (with the feedback that
    fits the answer) or invalid with a short instruction such as "Pick one
    option" or "Enter a number".
    """
    try:
        if _is_placeholder(response):
            return _invalid("Enter a number." if question.type == "numeric" else _empty_prompt(question))
        if question.type in ("single", "truefalse"):
            return _grade_choice(question, _choice_index(question, response))
        if question.type == "multiple":
            return _grade_multiple(question, _selection(question, response))
        if question.type == "numeric":
            return _grade_number(question, _number(response))
        return _invalid("This question cannot be graded.")
    except _UnreadableError as problem:
        return _invalid(str(problem))
    except Exception:  # a learner's object may fail in any way
        return _invalid("Your answer could not be read; please answer again.")


def _empty_prompt(question: QuizQuestion) -> str:
    if question.type == "truefalse":
        return "Pick True or False."
    if question.type == "multiple":
        return "Select at least one option."
    return "Pick one option."


def _right_details(question: QuizQuestion, chosen: Sequence[Option] = ()) -> tuple[str, ...]:
    feedback = [opt.feedback for opt in chosen if opt.feedback]
    return tuple(t for t in (*feedback, question.feedback_correct, question.explanation) if t)


def _grade_choice(question: QuizQuestion, index: int) -> Outcome:
    option = question.choices[index]
    shown = safe_repr(plain(option.text))
    if option.correct:
        return Outcome("correct", "Correct.", _right_details(question, [option]), shown)
    details = tuple(t for t in (option.feedback, question.feedback_incorrect) if t)
    return Outcome("incorrect", "Not quite.", details, shown)


def _grade_multiple(question: QuizQuestion, picked: list[int]) -> Outcome:
    options = question.options
    chosen = [options[i] for i in picked]
    shown = safe_repr([plain(o.text) for o in chosen])
    right = {i for i, o in enumerate(options) if o.correct}
    if set(picked) == right:
        return Outcome("correct", "Correct.", _right_details(question, chosen), shown)
    found = len(right & set(picked))
    wrong = [o for o in chosen if not o.correct]
    details = [f"You picked {found} of the {len(right)} right options."]
    if wrong:
        details.append(f"{len(wrong)} of your picks {'is' if len(wrong) == 1 else 'are'} not right.")
    details.extend(o.feedback for o in wrong if o.feedback)
    if question.feedback_incorrect:
        details.append(question.feedback_incorrect)
    return Outcome("incorrect", "Not quite.", tuple(details), shown)


def _grade_number(question: QuizQuestion, value: float) -> Outcome:
    answer = float(question.answer or 0.0)
    tolerance = float(question.tolerance or 0.0)
    slack = 1e-9 * max(1.0, abs(answer))
    shown = repr(value)
    if abs(value - answer) <= tolerance + slack:
        return Outcome("correct", "Correct.", _right_details(question), shown)
    details = (question.feedback_incorrect,) if question.feedback_incorrect else ()
    return Outcome("incorrect", "Not quite.", details, shown)


# ------------------------------------------------------------------ widgets
def _feedback_html(outcome: Outcome, question: QuizQuestion) -> str:
    """Escaped HTML for the feedback area of one question."""
    parts = [f"<p><strong>{escape(outcome.symbol)} {escape(outcome.headline)}</strong></p>"]
    parts.extend(f"<p>{render_inline(text)}</p>" for text in outcome.details)
    if question.source is not None and outcome.status != "invalid":
        src = question.source
        parts.append(
            f'<p>Source: <a href="{escape(src.url)}" target="_blank" '
            f'rel="noopener noreferrer">{escape(src.label)}</a></p>'
        )
    return f'<div role="status" aria-live="polite">{"".join(parts)}</div>'


class QuestionView(widgets.VBox):
    """The widgets of one quiz question: prompt, answer control, check, feedback."""

    def __init__(
        self,
        question: QuizQuestion,
        position: int,
        total: int,
        on_graded: Callable[[QuestionView, Outcome], None] | None = None,
        order: Sequence[int] | None = None,
    ) -> None:
        self.question = question
        self.position = position
        count = len(question.choices) if question.type != "numeric" else 0
        if order is None or sorted(order) != list(range(count)):
            order = list(range(count))
        #: The bank positions of the options, in the order they are shown.
        self.order: tuple[int, ...] = tuple(order)
        self.last_outcome: Outcome | None = None
        self._on_graded = on_graded
        heading = widgets.HTML(
            value=f"<strong>Question {position} of {total}</strong>",
        )
        self.prompt = widgets.HTML(value=f"<p>{render_inline(question.prompt)}</p>")
        self.control, answer_row = self._make_control(question, self.order)
        self.check_button = widgets.Button(
            description="Check answer",
            tooltip=f"Check your answer to question {position}",
            icon="check",
        )
        self.check_button.on_click(self._clicked)
        self.feedback = widgets.HTML(value="")
        children: list[widgets.Widget] = [heading, self.prompt, answer_row, self.check_button]
        self.hint_button: widgets.Button | None = None
        self.hint_text: widgets.HTML | None = None
        if question.hint:
            self.hint_button = widgets.Button(
                description="Show hint",
                tooltip=f"Show a hint for question {position}",
                icon="lightbulb-o",
            )
            self.hint_text = widgets.HTML(
                value=f"<p>Hint: {render_inline(question.hint)}</p>",
                layout=widgets.Layout(display="none"),
            )
            self.hint_button.on_click(self._toggle_hint)
            children[3] = widgets.HBox([self.check_button, self.hint_button])
            children.append(self.hint_text)
        children.append(self.feedback)
        super().__init__(
            children=children,
            layout=widgets.Layout(
                border="1px solid var(--jp-border-color2, #bbb)",
                padding="4px 8px",
                margin="0 0 8px 0",
            ),
        )

    @staticmethod
    def _make_control(question: QuizQuestion, order: Sequence[int]) -> tuple[Any, widgets.Widget]:
        """Build the answer control and the row that shows it, options in ``order``.

        Each radio option's value is its position in the bank, so grading goes by
        the option chosen, whatever order it was shown in.
        """
        style = {"description_width": "initial"}
        if question.type in ("single", "truefalse"):
            radio = widgets.RadioButtons(
                options=[(plain(question.choices[i].text), i) for i in order],
                value=None,
                description="Answer:",
                style=style,
                layout=widgets.Layout(width="auto"),
            )
            return radio, radio
        if question.type == "multiple":
            boxes = [
                widgets.Checkbox(value=False, description=plain(question.options[i].text), indent=False)
                for i in order
            ]
            group = widgets.VBox([widgets.Label("Select all that apply:"), *boxes])
            return boxes, group
        number = widgets.FloatText(value=0.0, description="Your answer:", style=style)
        if question.unit:
            return number, widgets.HBox([number, widgets.Label(question.unit)])
        return number, number

    def response(self) -> object:
        """The learner's current answer, in the form :func:`grade` accepts."""
        if isinstance(self.control, list):
            return sorted(self.order[shown] for shown, box in enumerate(self.control) if box.value)
        if self.question.type == "truefalse":
            return None if self.control.value is None else self.control.value == 0
        return self.control.value

    def __repr__(self) -> str:
        return f"Question {self.position}: {plain(self.question.prompt)}"

    def check(self) -> Outcome:
        """Grade the current answer, show feedback and return the outcome."""
        outcome = grade(self.question, self.response())
        self.last_outcome = outcome
        self.feedback.value = _feedback_html(outcome, self.question)
        if self._on_graded is not None:
            self._on_graded(self, outcome)
        return outcome

    def _clicked(self, _button: widgets.Button) -> None:
        try:
            self.check()
        except Exception:  # a click must never show a traceback
            self.feedback.value = (
                '<div role="status">! Something went wrong while checking; please try again.</div>'
            )

    def _toggle_hint(self, _button: widgets.Button) -> None:
        if self.hint_text is None or self.hint_button is None:
            return
        hidden = self.hint_text.layout.display == "none"
        self.hint_text.layout.display = None if hidden else "none"
        self.hint_button.description = "Hide hint" if hidden else "Show hint"


@dataclass
class _Recorder:
    """Sends graded answers to a progress store (resolved at first use)."""

    store: ProgressStore | None
    enabled: bool
    _resolved: ProgressStore | None = field(default=None, init=False)

    def __call__(self, lesson: int, item: str, outcome: Outcome) -> None:
        if not self.enabled:
            return
        try:
            if self._resolved is None:
                self._resolved = self.store if self.store is not None else default_store()
            self._resolved.record(lesson, item, "quiz", outcome.progress_outcome, outcome.response)
        except Exception as exc:  # recording must never break the quiz
            warnings.warn(f"Could not record the quiz answer: {exc}", stacklevel=2)


class Quiz(KernelFallback, widgets.VBox):
    """A quiz widget for one bank.

    ``bank`` is a :class:`Bank`, a bank id or a path to a bank file.  Graded
    answers are recorded in ``store`` (default: :func:`default_store`, looked
    up at the first answer); pass ``record=False`` to record nothing.
    """

    def __init__(
        self,
        bank: Bank | str | os.PathLike[str],
        store: ProgressStore | None = None,
        *,
        record: bool = True,
        seed: str | None = None,
    ) -> None:
        self.bank = bank if isinstance(bank, Bank) else load_bank(bank)
        self._recorder = _Recorder(store, record)
        #: What the option order is drawn from, with each question's id (see :func:`option_order`).
        self.seed = seed if seed is not None else learner_seed(store)
        total = len(self.bank.questions)
        self.views = [
            QuestionView(
                q,
                i,
                total,
                on_graded=self._graded,
                order=option_order(q, self.bank.id, self.seed),
            )
            for i, q in enumerate(self.bank.questions, start=1)
        ]
        title = widgets.HTML(value=f"<h3>{escape(self.bank.title)}</h3>")
        self.score_label = widgets.Label(value=self._score_text())
        super().__init__(children=[title, *self.views, self.score_label])

    def __repr__(self) -> str:
        # Short and stable: this is the text/plain output stored in notebooks.
        return f"Quiz {self.bank.id!r}: {self.bank.title} ({len(self.views)} questions)"

    def fallback_text(self) -> str:
        count = len(self.views)
        return (
            f"Quiz: {self.bank.title} ({count} question{'s' if count != 1 else ''}). "
            "Run this cell to start the quiz, in JupyterLab or on Binder."
        )

    @property
    def score(self) -> tuple[int, int]:
        """``(correct, total)``: questions whose latest check was correct."""
        right = sum(1 for v in self.views if v.last_outcome is not None and v.last_outcome.correct)
        return right, len(self.views)

    def _score_text(self) -> str:
        right, total = self.score
        return f"Score: {right} / {total}"

    def _graded(self, view: QuestionView, outcome: Outcome) -> None:
        self.score_label.value = self._score_text()
        self._recorder(self.bank.lesson, f"quiz:{self.bank.id}:{view.question.id}", outcome)


def show_quiz(
    bank: Bank | str | os.PathLike[str],
    store: ProgressStore | None = None,
    *,
    record: bool = True,
    seed: str | None = None,
) -> Quiz:
    """Return the quiz widget for ``bank`` (an id such as ``"lesson01"`` or a path)."""
    return Quiz(bank, store, record=record, seed=seed)


def option_order(question: QuizQuestion, bank_id: str, seed: str) -> list[int]:
    """The order a learner sees the options of ``question`` in: bank positions, shuffled.

    The shuffle is drawn from the learner's seed, the bank and the question id,
    so each learner gets their own order, the same every time they reopen the
    lesson, and a question keeps its order when others are added to the bank.
    True/false questions keep True before False; numeric ones have no options.
    """
    if question.type not in ("single", "multiple"):
        return list(range(len(question.choices) if question.type == "truefalse" else 0))
    digest = hashlib.sha256(f"{seed}\x1f{bank_id}\x1f{question.id}".encode()).digest()
    order = list(range(len(question.options)))
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
    return order


def learner_seed(store: ProgressStore | None = None) -> str:
    """The learner id kept beside the progress file (see :mod:`balancing_act.classroom`).

    With progress switched off there is no file to keep an id in, so the seed is
    empty: the options are still shuffled, the same way for everyone.
    """
    try:
        active = store if store is not None else default_store()
        if active.path is None:
            return ""
        from balancing_act.classroom import learner_id_of

        return learner_id_of(active)
    except Exception:  # the order must never break the quiz
        return ""
