"""Tests for balancing_act.quiz: bank validation, pure grading, the widget."""

from __future__ import annotations

import copy
import decimal
import fractions
import importlib.resources
import json
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balancing_act.checks import ____
from balancing_act.progress import ENV_VAR, ProgressStore
from balancing_act.quiz import (
    Bank,
    Outcome,
    Quiz,
    QuizBankError,
    available_banks,
    grade,
    load_bank,
    show_quiz,
    validate_bank,
)

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Recording without an explicit store goes to a temporary file."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "default-progress.json"))


def bank_data(bank_id: str = "lesson01") -> dict[str, Any]:
    """A valid bank with one question of each type."""
    return {
        "id": bank_id,
        "lesson": 1,
        "title": "Check your understanding",
        "questions": [
            {
                "id": "q1",
                "type": "single",
                "prompt": "Which is **larger**?",
                "options": [
                    {"text": "Alpha", "correct": True, "feedback": "Alpha is larger."},
                    {"text": "Beta", "correct": False, "feedback": "Compare again."},
                    {"text": "Gamma", "correct": False},
                ],
                "explanation": "Alpha has the longest bar.",
                "source": {"label": "Table 1", "url": "https://example.org/table1"},
                "hint": "Look at the bars.",
            },
            {
                "id": "q2",
                "type": "multiple",
                "prompt": "Pick the even numbers.",
                "options": [
                    {"text": "2", "correct": True},
                    {"text": "3", "correct": False, "feedback": "3 is odd."},
                    {"text": "4", "correct": True},
                ],
                "feedback_incorrect": "Even numbers divide by two.",
            },
            {"id": "q3", "type": "truefalse", "prompt": "Water is wet.", "answer": True},
            {
                "id": "q4",
                "type": "numeric",
                "prompt": "How much?",
                "answer": 12.5,
                "tolerance": 0.5,
                "unit": "billion USD",
                "feedback_correct": "Well read.",
                "feedback_incorrect": "Read the axis again.",
            },
        ],
    }


@pytest.fixture()
def bank() -> Bank:
    return validate_bank(bank_data(), "lesson01.json")


def write_bank(folder: Path, data: object, name: str = "lesson01.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# ------------------------------------------------------------------ loading
def test_shipped_banks_are_valid() -> None:
    ids = available_banks()
    assert {"lesson00", "lesson01"} <= set(ids)
    for bank_id in ids:
        loaded = load_bank(bank_id)
        assert loaded.id == bank_id and loaded.questions


def test_shipped_banks_match_the_json_schema_file() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    root = importlib.resources.files("balancing_act")
    schema = json.loads(root.joinpath("schemas", "quiz_bank.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for bank_id in available_banks():
        data = json.loads(root.joinpath("quizzes", f"{bank_id}.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)


def test_load_by_path(tmp_path: Path) -> None:
    path = write_bank(tmp_path, bank_data())
    for ref in (path, str(path)):
        loaded = load_bank(ref)
        assert loaded.id == "lesson01" and loaded.lesson == 1 and len(loaded.questions) == 4
    q4 = loaded.question("q4")
    assert (q4.answer, q4.tolerance, q4.unit) == (12.5, 0.5, "billion USD")
    assert loaded.question("q3").answer is True


def test_unknown_bank_lists_available_ones() -> None:
    with pytest.raises(QuizBankError, match=r"no quiz bank 'nope'; available banks: .*lesson01"):
        load_bank("nope")
    with pytest.raises(QuizBankError):
        load_bank("../secrets")


def _problems(data: object, filename: str = "lesson01.json") -> list[str]:
    with pytest.raises(QuizBankError) as info:
        validate_bank(data, filename)
    return info.value.problems


def test_missing_tolerance_message_names_file_question_and_fix() -> None:
    data = bank_data()
    data["questions"] = [{"id": "q3", "type": "numeric", "prompt": "How many?", "answer": 1}]
    assert _problems(data) == [
        "lesson01.json, question 'q3': numeric question needs 'tolerance' (a number >= 0); add it."
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["questions"][0].update(type="choice"), "question 'q1': 'type' must be one of single, multiple"),
        (lambda d: d["questions"][0].update(promt="x"), "question 'q1': single question has an unknown field 'promt'; did you mean 'prompt'?"),
        (lambda d: d["questions"][0]["options"][1].update(correct=True), "question 'q1': single question needs exactly one option"),
        (lambda d: d["questions"][1]["options"][0].update(correct="yes"), "question 'q2': 'option 1 correct' must be true or false"),
        (lambda d: d["questions"][2].update(answer="yes"), "question 'q3': 'answer' must be true or false, not text"),
        (lambda d: d["questions"][2].pop("answer"), "question 'q3': truefalse question needs 'answer' (true or false); add it."),
        (lambda d: d["questions"][3].update(tolerance=-1), "question 'q4': 'tolerance' must be a number >= 0; got -1."),
        (lambda d: d["questions"][3].update(options=[]), "question 'q4': numeric question must not have 'options'; remove it."),
        (lambda d: d["questions"][1].update(options=[{"text": "a", "correct": True}]), "question 'q2': 'options' needs at least 2 items; it has 1."),
        (lambda d: d["questions"][1]["options"][2].update(text="2"), "question 'q2': option text '2' appears more than once"),
        (lambda d: d["questions"][1].update(id="q1"), "question 'q1': the id is used by another question too"),
        (lambda d: d["questions"][0]["source"].update(url="javascript:alert(1)"), "question 'q1': 'source url' must be an http:// or https:// address"),
        (lambda d: d["questions"][0].update(prompt=""), "question 'q1': 'prompt' must not be empty"),
        (lambda d: d.update(lesson="one"), "lesson01.json: 'lesson' must be the lesson number"),
        (lambda d: d.update(id="lesson02"), "lesson01.json: the bank 'id' is 'lesson02' but the file is named lesson01.json"),
        (lambda d: d.pop("questions"), "lesson01.json: the bank needs 'questions'"),
    ],
)
def test_validation_messages(change: Any, expected: str) -> None:
    data = copy.deepcopy(bank_data())
    change(data)
    problems = _problems(data)
    assert any(expected in line for line in problems), problems
    assert all(line.startswith("lesson01.json") for line in problems)


def test_question_without_id_is_named_by_position() -> None:
    data = bank_data()
    del data["questions"][1]["id"]
    assert any(line.startswith("lesson01.json, question #2: ") for line in _problems(data))


def test_syntax_errors_duplicates_and_nan_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "lesson01.json"
    bad.write_text('{"id": "lesson01",', encoding="utf-8")
    with pytest.raises(QuizBankError, match=r"lesson01.json: not valid JSON \(line 1"):
        load_bank(bad)
    bad.write_text('{"id": "lesson01", "questions": [{"id": "q1", "answer": 1, "answer": 2}]}', encoding="utf-8")
    with pytest.raises(QuizBankError, match=r"question 'q1': the key 'answer' appears twice"):
        load_bank(bad)
    bad.write_text('{"id": NaN}', encoding="utf-8")
    with pytest.raises(QuizBankError, match="NaN is not allowed"):
        load_bank(bad)
    with pytest.raises(QuizBankError, match="cannot read"):
        load_bank(tmp_path / "missing.json")


def test_not_an_object() -> None:
    assert _problems([1, 2]) != []


# ------------------------------------------------------------------ grading
def test_grade_single(bank: Bank) -> None:
    q1 = bank.question("q1")
    right = grade(q1, 0)
    assert right.correct and right.headline == "Correct."
    assert right.details == ("Alpha is larger.", "Alpha has the longest bar.")
    assert grade(q1, "alpha").correct
    wrong = grade(q1, "Beta")
    assert wrong.status == "incorrect" and wrong.details == ("Compare again.",)
    assert grade(q1, np.int64(0)).correct
    assert grade(q1, None).headline == "Pick one option."
    assert grade(q1, 7).headline.startswith("Pick one of the listed options")
    assert grade(q1, True).headline == "Pick one option."
    assert grade(q1, ____).status == "invalid"


def test_grade_multiple(bank: Bank) -> None:
    q2 = bank.question("q2")
    assert grade(q2, [0, 2]).correct
    assert grade(q2, {"2", "4"}).correct
    partial = grade(q2, [0, 1])
    assert partial.status == "incorrect"
    assert partial.details == (
        "You picked 1 of the 2 right options.",
        "1 of your picks is not right.",
        "3 is odd.",
        "Even numbers divide by two.",
    )
    assert grade(q2, []).headline == "Select at least one option."
    assert grade(q2, 0).status == "incorrect"
    assert grade(q2, [0, "nope"]).status == "invalid"


def test_grade_truefalse(bank: Bank) -> None:
    q3 = bank.question("q3")
    assert grade(q3, True).correct and grade(q3, np.bool_(True)).correct and grade(q3, "true").correct
    assert grade(q3, False).status == "incorrect"
    assert grade(q3, 1).headline == "Pick True or False."


def test_grade_numeric(bank: Bank) -> None:
    q4 = bank.question("q4")
    assert grade(q4, 12.5).correct and grade(q4, 13).correct and grade(q4, "12.1").correct
    assert grade(q4, decimal.Decimal("12.0")).correct and grade(q4, fractions.Fraction(25, 2)).correct
    wrong = grade(q4, 14)
    assert wrong.status == "incorrect" and wrong.details == ("Read the axis again.",)
    assert grade(q4, 13.0000000001).correct  # float noise at the edge of the tolerance
    for bad, message in [
        (None, "Enter a number."),
        ("twelve", "Enter a number (digits, with a dot for decimals)."),
        (float("nan"), "Enter a finite number."),
        (float("inf"), "Enter a finite number."),
        (True, "Enter a number, not True or False."),
        (10**400, "That number is too large; enter a smaller number."),
        ("9" * 100_000, "Enter a number."),
        ([12.5], "Enter a number."),
    ]:
        outcome = grade(q4, bad)
        assert (outcome.status, outcome.headline) == ("invalid", message)
        assert outcome.progress_outcome == "not_attempted"


def test_outcome_text() -> None:
    outcome = Outcome("incorrect", "Not quite.", ("Use **bold** here.",))
    assert outcome.text == "✗ Not quite.\nUse bold here."


# ---------------------------------------------------- hostile learner input
class Hostile:
    """An object whose every protocol method raises."""

    def _boom(self, *args: object, **kwargs: object) -> Any:
        raise RuntimeError("hostile")

    __eq__ = __ne__ = __lt__ = __gt__ = __hash__ = _boom  # type: ignore[assignment]
    __float__ = __int__ = __index__ = __len__ = __iter__ = __bool__ = _boom  # type: ignore[assignment]
    __repr__ = __str__ = __format__ = _boom  # type: ignore[assignment]


class HostileStr(str):
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("hostile")

    __hash__ = str.__hash__

    def strip(self, *args: object) -> str:  # type: ignore[override]
        raise RuntimeError("hostile")


class HostileInt(int):
    def __index__(self) -> int:
        raise RuntimeError("hostile")

    def __float__(self) -> float:
        raise RuntimeError("hostile")


class HostileList(list):  # type: ignore[type-arg]
    def __iter__(self) -> Any:
        raise RuntimeError("hostile")

    def __len__(self) -> int:
        raise RuntimeError("hostile")


class HostileClass:
    @property  # type: ignore[misc]
    def __class__(self) -> type:  # type: ignore[override]
        raise RuntimeError("hostile")


HOSTILE = [Hostile(), HostileStr("Alpha"), HostileInt(0), HostileList([0])]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**320),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.complex_numbers(allow_nan=True),
    st.text(),
    st.binary(),
    st.sampled_from(
        [
            ____,
            "9" * 200_000,
            "Alpha",
            "true",
            np.int64(2),
            np.float64("nan"),
            np.bool_(False),
            np.array([1, 2]),
            np.array(3.0),
            pd.NA,
            pd.NaT,
            pd.Series([1.0]),
            pd.DataFrame({"a": [1, 2]}),
        ]
    ),
    # Built lazily: hypothesis must be able to describe the strategy itself.
    st.builds(Hostile),
    st.builds(HostileStr, st.just("Alpha")),
    st.builds(HostileInt, st.integers(-2, 5)),
    st.builds(HostileList, st.just([0])),
)
learner_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
        st.frozensets(st.integers(-3, 5), max_size=4),
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None, database=None)
@given(value=learner_values)
def test_grade_never_raises(value: object) -> None:
    bank = validate_bank(bank_data(), "lesson01.json")
    for question in bank.questions:
        outcome = grade(question, value)
        assert isinstance(outcome, Outcome)
        assert outcome.status in ("correct", "incorrect", "invalid")
        assert isinstance(outcome.response, str) and len(outcome.response) <= 200


def test_hostile_objects_are_invalid_or_graded(bank: Bank) -> None:
    # HostileClass even breaks isinstance(), so it is kept out of strategies.
    for value in [*HOSTILE, HostileClass()]:
        for question in bank.questions:
            assert grade(question, value).status in ("incorrect", "invalid", "correct")


# ------------------------------------------------------------------ widget
def _walk(widget: widgets.Widget) -> list[widgets.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found.extend(_walk(child))
    return found


def test_widget_construction_does_not_touch_progress(tmp_path: Path, bank: Bank) -> None:
    path = tmp_path / "p" / "progress.json"
    quiz = Quiz(bank, ProgressStore(path))
    assert isinstance(quiz, widgets.VBox)
    assert quiz.score_label.value == "Score: 0 / 4"
    assert repr(quiz) == "Quiz 'lesson01': Check your understanding (4 questions)"
    assert not path.exists()


def test_widget_grades_scores_and_records(tmp_path: Path, bank: Bank) -> None:
    store = ProgressStore(tmp_path / "progress.json")
    quiz = Quiz(bank, store)
    single, multiple, truefalse, numeric = quiz.views

    single.check_button.click()
    assert "Pick one option." in single.feedback.value

    single.control.value = 1
    single.check_button.click()
    assert "✗ Not quite." in single.feedback.value and "Compare again." in single.feedback.value
    assert quiz.score_label.value == "Score: 0 / 4"

    single.control.value = 0  # retry
    single.check_button.click()
    html = single.feedback.value
    assert "✓ Correct." in html and "Alpha has the longest bar." in html
    assert 'href="https://example.org/table1"' in html and "Table 1" in html
    assert quiz.score_label.value == "Score: 1 / 4"

    for box in multiple.control:  # shown in the learner's order: pick by text
        box.value = box.description in {"2", "4"}
    multiple.check_button.click()
    truefalse.control.value = 0  # "True"
    truefalse.check_button.click()
    numeric.control.value = 12.9
    numeric.check_button.click()
    assert "Well read." in numeric.feedback.value
    assert quiz.score == (4, 4) and quiz.score_label.value == "Score: 4 / 4"

    numeric.control.value = 99.0
    numeric.check_button.click()
    assert quiz.score_label.value == "Score: 3 / 4"

    records = store.records()
    assert [(r.item, r.outcome) for r in records] == [
        ("quiz:lesson01:q1", "not_attempted"),
        ("quiz:lesson01:q1", "incorrect"),
        ("quiz:lesson01:q1", "correct"),
        ("quiz:lesson01:q2", "correct"),
        ("quiz:lesson01:q3", "correct"),
        ("quiz:lesson01:q4", "correct"),
        ("quiz:lesson01:q4", "incorrect"),
    ]
    assert all(r.kind == "quiz" and r.lesson == 1 for r in records)
    assert records[2].response == "'Alpha'" and records[3].response == "['2', '4']"


def test_widget_hint_toggles(bank: Bank) -> None:
    view = Quiz(bank, record=False).views[0]
    assert view.hint_button is not None and view.hint_text is not None
    assert view.hint_text.layout.display == "none"
    view.hint_button.click()
    assert view.hint_text.layout.display is None and view.hint_button.description == "Hide hint"
    view.hint_button.click()
    assert view.hint_text.layout.display == "none"


def test_record_false_and_default_store(tmp_path: Path, bank: Bank) -> None:
    quiz = Quiz(bank, record=False)
    quiz.views[0].control.value = 0
    quiz.views[0].check_button.click()
    assert not (tmp_path / "default-progress.json").exists()
    quiz = show_quiz(bank)
    quiz.views[0].control.value = 0
    quiz.views[0].check_button.click()
    assert (tmp_path / "default-progress.json").exists()


def test_show_quiz_by_id_and_path(tmp_path: Path) -> None:
    assert show_quiz("lesson01", record=False).bank.id == "lesson01"
    path = write_bank(tmp_path, bank_data())
    assert len(show_quiz(path, record=False).views) == 4


def test_every_control_is_labelled(bank: Bank) -> None:
    for item in _walk(Quiz(bank, record=False)):
        if isinstance(item, widgets.Button):
            assert item.description and item.tooltip
        if isinstance(item, (widgets.RadioButtons, widgets.FloatText, widgets.Checkbox)):
            assert item.description
        if isinstance(item, widgets.Checkbox):
            assert item.description_allow_html is False


def test_markup_from_bank_is_escaped(tmp_path: Path) -> None:
    data = bank_data()
    data["title"] = SCRIPT
    q1 = data["questions"][0]
    q1["prompt"] = f"**Careful** {SCRIPT}"
    q1["hint"] = SCRIPT
    q1["explanation"] = SCRIPT
    q1["options"][0]["feedback"] = SCRIPT
    q1["options"][0]["text"] = f"Alpha {SCRIPT}"
    q1["source"] = {"label": SCRIPT, "url": 'https://example.org/"onmouseover="alert(1)'}
    data["questions"][3]["feedback_correct"] = SCRIPT
    quiz = Quiz(validate_bank(data, "lesson01.json"), record=False)
    quiz.views[0].control.value = 0
    quiz.views[0].check_button.click()
    quiz.views[3].control.value = 12.5
    quiz.views[3].check_button.click()
    html_values = [w.value for w in _walk(quiz) if isinstance(w, widgets.HTML)]
    joined = "\n".join(html_values)
    assert "<script" not in joined and "<img" not in joined
    assert '"onmouseover' not in joined
    assert "&lt;script&gt;" in joined
    assert "<strong>Careful</strong>" in joined
    # Option labels are plain text widgets (never HTML), shown literally.
    assert dict((value, label) for label, value in quiz.views[0].control.options)[0] == f"Alpha {SCRIPT}"


def test_click_handler_never_raises(bank: Bank, monkeypatch: pytest.MonkeyPatch) -> None:
    quiz = Quiz(bank, record=False)
    view = quiz.views[0]

    def broken() -> object:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(view, "response", broken)
    view.check_button.click()
    assert "Something went wrong" in view.feedback.value


@settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.floats(allow_nan=True, allow_infinity=True))
def test_numeric_widget_accepts_any_float(value: float) -> None:
    bank = validate_bank(bank_data(), "lesson01.json")
    view = Quiz(bank, record=False).views[3]
    try:
        view.control.value = value
    except Exception:  # the widget itself may reject a value
        return
    view.check_button.click()
    assert view.last_outcome is not None


# ------------------------------------------------------------ deep nesting
def _nested(depth: int) -> list[Any]:
    """A list inside a list ... ``depth`` levels deep, built without recursion."""
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_deeply_nested_bank_file_is_a_bank_error(tmp_path: Path) -> None:
    """A bracket typed a hundred thousand times is a broken bank, not a RecursionError."""
    bad = tmp_path / "lesson01.json"
    bad.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(QuizBankError) as info:
        load_bank(bad)
    message = str(info.value)
    assert message.startswith("lesson01.json: not valid JSON (line 1, column ")
    assert "nested more than" in message and len(message) < 400
    # Deep nesting inside an otherwise valid bank: the line of the bracket that goes too deep.
    data = bank_data()
    data["questions"][0]["hint"] = "HINT"
    text = json.dumps(data, indent=1).replace('"HINT"', "\n" + "[" * 5_000 + "]" * 5_000)
    bad.write_text(text, encoding="utf-8")
    line = text[: text.index("[" * 200)].count("\n") + 1
    with pytest.raises(QuizBankError, match=rf"^lesson01\.json: not valid JSON \(line {line}, column \d+: .*nested more than"):
        load_bank(bad)


def test_deeply_nested_parsed_bank_is_a_bank_error() -> None:
    data = bank_data()
    data["questions"][0]["hint"] = _nested(100_000)
    problems = _problems(data)
    assert len(problems) == 1 and problems[0].startswith("lesson01.json, question 'q1': ")
    assert "nested more than" in problems[0] and "'hint'" in problems[0]


# ------------------------------------------------------------ option order
def test_options_are_shuffled_per_learner_and_stable_across_reopenings(tmp_path: Path, bank: Bank) -> None:
    store = ProgressStore(tmp_path / "progress.json")
    first = [view.order for view in Quiz(bank, store).views]
    again = [view.order for view in Quiz(bank, ProgressStore(tmp_path / "progress.json")).views]
    assert first == again  # reopening the lesson shows the same order
    seeds = [f"learner{n}" for n in range(30)]
    orders = {tuple(Quiz(bank, store, seed=seed).views[0].order) for seed in seeds}
    assert len(orders) > 1  # learners see different orders
    for view in Quiz(bank, store).views:
        assert sorted(view.order) == list(range(len(view.order)))


def test_grading_follows_the_option_not_its_position(tmp_path: Path, bank: Bank) -> None:
    for seed in ("a", "b", "c", "d", "e", "f"):
        quiz = Quiz(bank, ProgressStore(tmp_path / f"{seed}.json"), seed=seed)
        single = quiz.views[0]
        right = next(i for i, option in enumerate(single.question.options) if option.correct)
        labels = dict((value, label) for label, value in single.control.options)
        single.control.value = right
        single.check_button.click()
        assert "✓ Correct." in single.feedback.value, labels[right]
        multiple = quiz.views[1]
        for box in multiple.control:
            box.value = box.description in {"2", "4"}
        assert multiple.check().correct


def test_true_false_keeps_true_first(tmp_path: Path, bank: Bank) -> None:
    truefalse = Quiz(bank, ProgressStore(tmp_path / "p.json"), seed="x").views[2]
    assert [label for label, _ in truefalse.control.options] == ["True", "False"]


def test_the_seed_is_the_learner_id_beside_the_progress_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from balancing_act.classroom import learner_id_of
    from balancing_act.quiz import learner_seed

    store = ProgressStore(tmp_path / "progress.json")
    assert learner_seed(store) == learner_id_of(store) != ""
    monkeypatch.setenv("BALANCING_ACT_PROGRESS", "off")
    assert learner_seed(ProgressStore(None)) == ""  # no file to keep an id in: one order for all


def test_no_position_holds_the_right_answer_in_more_than_40_percent_of_single_choice_questions() -> None:
    from collections import Counter

    from balancing_act.quiz import available_banks

    positions: Counter[int] = Counter()
    for bank_id in available_banks():
        for question in load_bank(bank_id).questions:
            if question.type == "single":
                positions[next(i for i, option in enumerate(question.options) if option.correct)] += 1
    total = sum(positions.values())
    assert total >= 10, f"only {total} single-choice questions found"
    worst, count = positions.most_common(1)[0]
    assert count <= 0.4 * total, (
        f"option {worst + 1} is the right answer in {count} of {total} single-choice questions "
        f"({100 * count / total:.0f}%; at most 40%); move the right answer elsewhere in some of them"
    )
