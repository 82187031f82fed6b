"""The shipped exercise and practice checks name the common slips and never call them correct.

Parametrized over every question of ``balancing_act.exercises.lessonNN`` and
``balancing_act.practice.lessonNN``: a fraction given for a percentage, the
value of a neighbouring year, and a chart of the right shape drawn from the
wrong data each get their own message.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

import balancing_act.exercises
import balancing_act.practice
from balancing_act.checks import Question
from balancing_act.practice import TITLE_AND_TOOLTIP_FROM
from balancing_act.progress import ENV_VAR


def _questions() -> list[tuple[str, Question]]:
    found = []
    for package, attribute in ((balancing_act.exercises, "ex"), (balancing_act.practice, "practice")):
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            if not re.fullmatch(r"lesson\d\d", info.name):
                continue
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for question in getattr(module, attribute):
                found.append((f"{package.__name__.rsplit('.', 1)[1]}.{info.name}.{question.name}", question))
    return found


QUESTIONS = _questions()
NUMBERS = [(key, q) for key, q in QUESTIONS if getattr(q._check, "kind", "") == "number"]
PERCENTS = [(key, q) for key, q in NUMBERS if q._check.unit.strip() == "%"]
ONE_YEAR = re.compile(r"\b(?:in|for) ((?:19|20)\d\d)\b(?!\s*-)")
DATED = [(key, q) for key, q in NUMBERS if ONE_YEAR.search(q._check.describe)]
CHARTS = [(key, q) for key, q in QUESTIONS if getattr(q._check, "kind", "") == "chart_data"]
ids = lambda items: [key for key, _ in items]  # noqa: E731


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "progress.json"))


def test_the_collections_are_not_empty() -> None:
    assert len(PERCENTS) >= 5 and len(DATED) >= 5 and len(CHARTS) >= 7


def test_every_chart_question_compares_the_data_it_draws() -> None:
    """A chart check that looks only at marks and field names passes a chart of the wrong data."""
    plain = [key for key, q in QUESTIONS if "chart" in q.expected.lower() and getattr(q._check, "kind", "") != "chart_data"]
    # Lesson 8's capstone chart is the learner's own choice of evidence: no data to compare with.
    assert plain == ["exercises.lesson08.q4"]


LATER_CHARTS = [(key, q) for key, q in CHARTS if int(key.split(".")[1][-2:]) >= TITLE_AND_TOOLTIP_FROM]


@pytest.mark.parametrize(("key", "question"), LATER_CHARTS, ids=ids(LATER_CHARTS))
def test_from_lesson_4_a_chart_question_asks_for_a_title_and_a_tooltip(key: str, question: Question) -> None:
    check = question._check
    assert check.require_title and check.require_tooltip, (
        f"{key}: from Lesson {TITLE_AND_TOOLTIP_FROM} on a chart question asks for a title and a tooltip; "
        "pass require_title=True, require_tooltip=True to expect_chart_data (and say so in the question)"
    )


def test_lesson_8s_capstone_chart_asks_for_a_title_and_a_tooltip() -> None:
    """The capstone chart is the learner's own evidence: its check cannot compare data, but still asks for both."""
    question = dict(QUESTIONS)["exercises.lesson08.q4"]
    bare = alt.Chart(pd.DataFrame({"year": [2023, 2024], "value": [1.0, 2.0]})).mark_line().encode(x="year:O", y="value:Q")
    assert not question.evaluate(bare).correct
    assert not question.evaluate(bare.properties(title="Trade").encode(y=alt.Y("value:Q", title="Trade (US$ bn)"))).correct


@pytest.mark.parametrize(("key", "question"), PERCENTS, ids=ids(PERCENTS))
def test_a_fraction_for_a_percent_is_named(key: str, question: Question) -> None:
    right = float(question._check.reference.get())
    assert question.evaluate(right).correct, key
    outcome = question.evaluate(right / 100)
    assert not outcome.correct and "fraction" in outcome.text and "percentage" in outcome.text, (key, outcome)


@pytest.mark.parametrize(("key", "question"), DATED, ids=ids(DATED))
def test_a_neighbouring_years_value_is_named(key: str, question: Question) -> None:
    year = ONE_YEAR.search(question._check.describe).group(1)
    slips = [slip for slip in question._check.slips if slip.name.startswith("wrong year")]
    assert len(slips) == 2, f"{key} names {year} but has no wrong-year slips"
    right = float(question._check.reference.get())
    tried = 0
    for slip in slips:
        other = slip.value()
        if other is None or pd.isna(other) or question.evaluate(float(other)).correct:
            continue  # no neighbouring year, or one with the same value to the stated precision
        outcome = question.evaluate(float(other))
        assert not outcome.correct, (key, other)
        named = re.findall(r"(?:19|20)\d\d", outcome.text)
        assert year in named and len(set(named)) == 2, (key, outcome.text)
        tried += 1
    assert tried, f"{key}: neither neighbouring year gives a different value ({right})"


def _field(name: str) -> str:
    return f"{name}:T" if name == "date" else name


def _chart(question: Question, frame: pd.DataFrame) -> alt.Chart:
    check = question._check
    layout = check.channels[0]
    encoding = {channel: _field(field) for channel, field in layout.items()}
    if check.require_tooltip:
        encoding["tooltip"] = [c for c in layout.values() if "(" not in c]
    mark = getattr(alt.Chart(frame), f"mark_{check.mark}")()
    chart = mark.encode(**encoding)
    return chart.properties(title="What the chart shows") if check.require_title else chart


@pytest.mark.parametrize(("key", "question"), CHARTS, ids=ids(CHARTS))
def test_a_chart_of_the_expected_data_is_correct(key: str, question: Question) -> None:
    outcome = question.evaluate(_chart(question, question._check.reference.get()))
    assert outcome.correct, (key, outcome)


def _quantity_channel(question: Question) -> str | None:
    frame = question._check.reference.get()
    for field in question._check.channels[0].values():
        if field in frame.columns and pd.api.types.is_float_dtype(frame[field]):
            return field
    return None


@pytest.mark.parametrize(("key", "question"), CHARTS, ids=ids(CHARTS))
def test_a_right_shaped_chart_of_the_wrong_data_gets_a_specific_message(key: str, question: Question) -> None:
    right = question._check.reference.get()
    field = _quantity_channel(question)
    if field is not None:
        wrong = right.assign(**{field: right[field] * 1.5 + 1})
    else:  # counted bars: one row more changes a count
        wrong = pd.concat([right, right.iloc[[0]]], ignore_index=True)
    outcome = question.evaluate(_chart(question, wrong))
    assert not outcome.correct, key
    assert not outcome.text.startswith("Not yet"), (key, outcome.text)
    assert "data" in outcome.text or "marks" in outcome.text, (key, outcome.text)


SELECTING = [(key, q) for key, q in CHARTS if q._check.selected_on]


@pytest.mark.parametrize(("key", "question"), SELECTING, ids=ids(SELECTING))
def test_a_chart_of_another_selection_says_which_data_it_shows(key: str, question: Question) -> None:
    right = question._check.reference.get()
    columns = [c for c in question._check.selected_on if c in right.columns and right[c].nunique() == 1]
    assert columns, f"{key}: selected_on names no column with a single value in the expected data"
    column = columns[0]
    value = right[column].iloc[0]
    other = value - 1 if isinstance(value, (int,)) or pd.api.types.is_integer_dtype(right[column]) else f"not {value}"
    outcome = question.evaluate(_chart(question, right.assign(**{column: other})))
    assert not outcome.correct
    assert f"shows {column} {other}" in outcome.text and str(value) in outcome.text, (key, outcome.text)


GRADED = [(key, q) for key, q in QUESTIONS if getattr(q._check, "kind", "") in ("number", "equal", "frame", "chart_data")]
DEFAULTS = {"Well done.", "Your chart looks right."}


@pytest.mark.parametrize(("key", "question"), GRADED, ids=ids(GRADED))
def test_a_correct_answer_says_in_one_sentence_what_it_shows(key: str, question: Question) -> None:
    right = question._check.reference.get()
    outcome = question.evaluate(_chart(question, right) if question._check.kind == "chart_data" else right)
    assert outcome.correct, (key, outcome)
    text = outcome.text
    assert text not in DEFAULTS, f"{key}: give success= one sentence saying what the answer shows"
    assert text.endswith(".") and not re.search(r"[.!?] [A-Z]", text), (key, text)
