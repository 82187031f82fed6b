"""Each numeric question states the precision it wants, and its check accepts an answer given to that precision.

The text of a question is read where the learner reads it: the "## Question N" (or "### Question N") cell of
``exercises/NN_*.ipynb`` for ``ex.qN``, and the markdown cell just above a "Your turn"
cell (tagged ``practice``) of ``lessons/NN_*.ipynb`` for ``practice.<name>``.  A
question whose answer is a count or a year (a whole number checked exactly) needs no
statement; any other names its precision ("one decimal", "to two decimals", "a whole
number", "nearest whole percent", "significant figures").
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

from balancing_act.checks import Question
from balancing_act.progress import ENV_VAR

REPO = Path(__file__).resolve().parents[1]
WORDS = {"one": 1, "two": 2, "three": 3}
PRECISION = re.compile(
    r"(?P<places>one|two|three|\d)\s+decimals?(?:\s+places?)?|(?P<whole>whole\s+(?:number|percent|percentage\s+point|year)s?|nearest\s+whole)"
    r"|(?P<figures>(?:two|three|\d)\s+significant\s+figures)",
    re.IGNORECASE,
)


def _text(cell: dict) -> str:
    return "".join(cell.get("source", ""))


def _numeric_questions() -> list[tuple[str, str, Question]]:
    """(key, the text the learner reads, the question) for every number check of exercises and practice."""
    found = []
    for path in sorted((REPO / "exercises").glob("0[1-8]_*.ipynb")):
        lesson = path.name[:2]
        module = importlib.import_module(f"balancing_act.exercises.lesson{lesson}")
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts = {}
        for cell in cells:
            heading = re.search(r"^#{2,3} Question (\d+)", _text(cell), re.MULTILINE) if cell["cell_type"] == "markdown" else None
            if heading:
                texts[f"q{heading.group(1)}"] = _text(cell)
        for question in module.ex:
            if getattr(question._check, "kind", "") == "number":
                found.append((f"exercise {lesson} {question.name}", texts.get(question.name, ""), question))
    for path in sorted((REPO / "lessons").glob("0[1-8]_*.ipynb")):
        lesson = path.name[:2]
        module = importlib.import_module(f"balancing_act.practice.lesson{lesson}")
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts = {}
        for index, cell in enumerate(cells):
            called = re.search(r"practice\.(\w+)\.check\(", _text(cell)) if cell["cell_type"] == "code" else None
            if called and "practice" in (cell["metadata"].get("tags") or []):
                before = [c for c in cells[:index] if c["cell_type"] == "markdown"]
                texts[called.group(1)] = _text(before[-1]) if before else ""
        for question in module.practice:
            if getattr(question._check, "kind", "") == "number":
                found.append((f"lesson {lesson} practice.{question.name}", texts.get(question.name, ""), question))
    return found


QUESTIONS = _numeric_questions()


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "progress.json"))


def test_there_are_numeric_questions_with_their_texts() -> None:
    assert len(QUESTIONS) >= 20
    missing = [key for key, text, _ in QUESTIONS if not text.strip()]
    assert not missing, f"no question text found for: {missing}"


@pytest.mark.parametrize(("key", "text", "question"), QUESTIONS, ids=[key for key, _, _ in QUESTIONS])
def test_the_question_states_its_precision_and_the_check_accepts_it(key: str, text: str, question: Question) -> None:
    target = float(question._check.reference.get())
    stated = PRECISION.search(text)
    if stated is None:
        exact_count = target.is_integer() and question.evaluate(target + 0.4).correct is False
        assert exact_count, (
            f"{key}: the answer is {target:g}, but the question does not say how precisely to give it; "
            "add 'give one decimal' (or the like) to its text and decimals=... to its check"
        )
        return
    if stated.group("places"):
        places = stated.group("places").lower()
        decimals = WORDS.get(places, None) if not places.isdigit() else int(places)
        answer = round(target, decimals)
    elif stated.group("whole"):
        answer = float(round(target))
    else:
        figures = WORDS.get(stated.group("figures").split()[0].lower()) or int(stated.group("figures").split()[0])
        answer = float(f"{target:.{figures}g}")
    outcome = question.evaluate(answer)
    assert outcome.correct, (
        f"{key}: the question asks for {stated.group(0)!r}; the answer {target:g} given that way is {answer:g}, "
        f"and the check says: {outcome.text}"
    )
