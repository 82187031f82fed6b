"""Tests for balancing_act.checks, with a small fake exercise set."""

from __future__ import annotations

import re
import sys
import textwrap
import time
import types
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balancing_act import checks
from balancing_act.checks import (
    NOT_ATTEMPTED_MESSAGE,
    Blank,
    CheckOutcome,
    Correct,
    ExerciseSet,
    Feedback,
    Incorrect,
    NotAttempted,
    Question,
    ____,
    chart_encodes,
    chart_encodings,
    chart_marks,
    expect,
    expect_chart,
    expect_equal,
    expect_frame,
    expect_number,
)
from balancing_act.progress import ENV_VAR, ProgressStore

TRADE = pd.DataFrame(
    {
        "year": [2019, 2020, 2021, 2022],
        "partner": ["A", "B", "A", "B"],
        "value": [10.0, 12.5, 11.0, 20.25],
    }
)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "default-progress.json"))


def _best_year() -> int:
    frame: Any = TRADE
    return int(frame.loc[frame["value"].idxmax(), "year"])


def make_set(store: ProgressStore | None = None) -> ExerciseSet:
    """A fake lesson exercise module built only from the public API."""
    return ExerciseSet(
        lesson=7,
        questions=[
            Question(
                "q1",
                expect_equal(_best_year, "the year with the largest value"),
                hints=["Look at the value column.", "idxmax() gives a row label.", "Use .loc[row, 'year']."],
                solution="best = int(trade.loc[trade['value'].idxmax(), 'year'])",
            ),
            Question(
                "q2",
                expect_number(lambda: TRADE["value"].sum(), tol=0.01, unit="bn", describe="the total value"),
                hints=["Add up one column."],
                solution="total = trade['value'].sum()",
            ),
            Question(
                "q3",
                expect_frame(
                    lambda: TRADE[TRADE["year"] >= 2021][["year", "value"]],
                    columns=["year", "value"],
                    sort=["year"],
                    describe="the rows from 2021 on",
                ),
            ),
            Question(
                "q4",
                expect_chart(
                    lambda spec: "bar" in chart_marks(spec) and chart_encodes(spec, "x", field="year"),
                    "a bar chart with year on the x axis",
                ),
            ),
            Question("q5", expect_equal(lambda: ["A", "B"], "the partners, in order")),
            Question("q6", expect_equal(lambda: "North", "the direction")),
        ],
        store=store,
    )


@pytest.fixture()
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "progress.json")


@pytest.fixture()
def ex(store: ProgressStore) -> ExerciseSet:
    return make_set(store)


# -------------------------------------------------------------- placeholder
def test_blank_is_a_singleton_placeholder() -> None:
    assert Blank() is ____ and repr(____) == "____"
    assert ____ * 2 is ____ and 3 + ____ is ____ and -____ is ____
    count = 1
    count += ____  # type: ignore[operator]
    assert count is ____


@pytest.mark.parametrize("value", [____, None, [____, 1], (1, ____), {"a": ____}, ____ / 2])
def test_placeholders_are_not_attempted(ex: ExerciseSet, value: object) -> None:
    feedback = ex.q1.check(value)
    assert feedback.outcome == NotAttempted()
    assert repr(feedback) == f"Not attempted: {NOT_ATTEMPTED_MESSAGE}"
    assert NOT_ATTEMPTED_MESSAGE == "Replace ____ with your answer, then run the cell again."


# ----------------------------------------------------------------- outcomes
def test_feedback_display_is_deterministic_and_escaped() -> None:
    right = Feedback("q1", Correct("Well done."))
    assert repr(right) == "Correct: Well done."
    assert right._repr_html_() == '<div role="status"><strong>✓ Correct:</strong> Well done.</div>'
    wrong = Feedback("q1", Incorrect("<script>alert(1)</script> is **not** it"))
    assert repr(wrong) == "Incorrect: <script>alert(1)</script> is **not** it"
    html = wrong._repr_html_()
    assert "<script" not in html and "&lt;script&gt;" in html and "<strong>not</strong>" in html
    assert "✗ Incorrect:" in html
    assert not wrong.correct and right.correct


def test_outcome_types() -> None:
    assert Correct().status == "correct" and Incorrect("x").status == "incorrect"
    assert NotAttempted().status == "not_attempted"
    assert str(Incorrect("too low")) == "Incorrect: too low"
    assert all(isinstance(o, CheckOutcome) for o in (Correct(), Incorrect("r"), NotAttempted()))


# ----------------------------------------------------------------- builders
def test_expect_equal(ex: ExerciseSet) -> None:
    assert repr(ex.q1.check(2022)) == "Correct: Well done."
    assert ex.q1.check(np.int64(2022)).correct and ex.q1.check(2022.0).correct
    assert repr(ex.q1.check(2021)) == "Incorrect: Not quite: that is not the year with the largest value."
    assert "as a number, but your answer is text (a str)" in repr(ex.q1.check("2022"))
    assert "True/False" in repr(ex.q1.check(True))
    assert ex.q5.check(["A", "B"]).correct and ex.q5.check(("A", "B")).correct
    assert "item 2" in repr(ex.q5.check(["A", "C"]))
    assert "with 2 items; yours has 1" in repr(ex.q5.check(["A"]))
    assert "capital letters and spaces" in repr(ex.q6.check("  north "))


def test_expect_equal_containers_and_frames() -> None:
    for expected, good, bad in [
        ({"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}, {"a": 1, "b": [2, 1]}),
        ({1, 2}, [2, 1], {1}),
        (pd.Series([1.0, 2.0]), pd.Series([1.0, 2.0], index=[5, 6]), pd.Series([1.0, 3.0])),
        (TRADE, TRADE.copy(), TRADE.iloc[::-1]),
        (float("nan"), float("nan"), 1.0),
        (np.datetime64("2024-01-01"), np.datetime64("2024-01-01"), np.datetime64("2024-01-02")),
    ]:
        question = Question("q", expect_equal(lambda e=expected: e, "the value"), record=False)
        assert question.evaluate(good).correct, expected
        assert question.evaluate(bad).status == "incorrect", expected


def test_expect_number(ex: ExerciseSet) -> None:
    assert ex.q2.check(53.75).correct and ex.q2.check(53.755).correct
    assert repr(ex.q2.check(50)) == "Incorrect: Not quite: your value for the total value is too low (allowed error: 0.01 bn)."
    assert "too high" in repr(ex.q2.check(60))
    assert ".item()" in repr(ex.q2.check(pd.Series([53.75])))
    assert "with 4 values" in repr(ex.q2.check(TRADE["value"]))
    assert "remove the quotes" in repr(ex.q2.check("53.75"))
    assert "finite number" in repr(ex.q2.check(float("inf")))
    assert "ordinary number" in repr(ex.q2.check(10**400))
    with pytest.raises(ValueError):
        expect_number(lambda: 1, tol=-1)


def test_expect_frame(ex: ExerciseSet) -> None:
    answer = TRADE[TRADE["year"] >= 2021]
    assert ex.q3.check(answer).correct  # extra columns allowed when columns= is given
    assert ex.q3.check(answer.iloc[::-1][["value", "year"]]).correct  # order does not matter
    assert "missing the column(s): 'value'" in repr(ex.q3.check(answer[["year"]]))
    assert "with 2 rows; yours has 4" in repr(ex.q3.check(TRADE))
    assert "single column" in repr(ex.q3.check(answer["year"]))
    changed = answer.assign(value=[11.0, 99.0])
    assert "values in column 'value' differ" in repr(ex.q3.check(changed))
    assert "pandas DataFrame, but your answer is a list" in repr(ex.q3.check([1, 2]))


def test_expect_frame_exact_columns_and_sorting() -> None:
    expected = pd.DataFrame({"k": ["b", "a"], "v": [2, 1]})
    strict = Question("q", expect_frame(lambda: expected), record=False)
    assert strict.evaluate(expected.copy()).correct
    assert "not expected: 'extra'" in strict.evaluate(expected.assign(extra=1)).text
    assert strict.evaluate(expected.iloc[::-1]).status == "incorrect"
    loose = Question("q", expect_frame(lambda: expected, sort=True), record=False)
    assert loose.evaluate(expected.iloc[::-1]).correct
    mixed = pd.DataFrame({"k": [{"a": 1}, {"b": 2}], "v": [1, 2]})
    assert "could not be sorted" in loose.evaluate(mixed).text
    dupes = pd.DataFrame([[1, 2]], columns=["k", "k"])
    assert "same name" in loose.evaluate(dupes).text


def test_huge_frame_is_rejected_quickly(ex: ExerciseSet) -> None:
    huge = pd.DataFrame({"year": np.zeros(10_000_000, dtype="int64"), "value": np.zeros(10_000_000)})
    start = time.perf_counter()
    feedback = ex.q3.check(huge)
    assert time.perf_counter() - start < 2.0
    assert repr(feedback) == "Incorrect: Expected the rows from 2021 on with 2 rows; yours has 10000000."


def test_expect_chart(ex: ExerciseSet) -> None:
    bars = alt.Chart(TRADE).mark_bar().encode(x="year:O", y="value:Q")
    assert repr(ex.q4.check(bars)) == "Correct: Your chart looks right."
    line = alt.Chart(TRADE).mark_line().encode(x="year:O", y="value:Q")
    assert repr(ex.q4.check(line)) == "Incorrect: Not yet: expected a bar chart with year on the x axis."
    assert "as an Altair chart" in repr(ex.q4.check(TRADE))
    assert ex.q4.check(alt.Chart(TRADE).mark_bar()).outcome.status == "incorrect"


def test_chart_helpers_on_layered_spec() -> None:
    base = alt.Chart(TRADE).encode(x=alt.X("year:O"), y=alt.Y("sum(value):Q"))
    spec = alt.layer(base.mark_line(), base.mark_point(color="black")).to_dict()
    assert chart_marks(spec) == ["line", "point"]
    assert chart_encodes(spec, "y", field="value", type="quantitative", aggregate="sum")
    assert not chart_encodes(spec, "color")
    assert len(chart_encodings(spec)) == 2


def test_chart_predicate_errors_and_big_data() -> None:
    question = Question(
        "c",
        expect_chart(lambda spec: spec["encoding"]["color"]["field"] == "partner", "bars coloured by partner"),
        record=False,
    )
    assert question.evaluate(alt.Chart(TRADE).mark_bar().encode(x="year:O")).text == (
        "Not yet: expected bars coloured by partner."
    )
    big = pd.DataFrame({"year": np.arange(6000), "partner": "A"})
    assert question.evaluate(alt.Chart(big).mark_bar().encode(x="year:O", color="partner")).correct
    reason = Question("r", expect_chart(lambda spec: "use bars", "bars"), record=False)
    assert reason.evaluate(alt.Chart(TRADE).mark_line()).text == "use bars"


def test_expect_generic_predicate() -> None:
    question = Question("g", expect(lambda v: v > 3, "a number above 3", expected="a number"), record=False)
    assert question.evaluate(5).correct
    assert question.evaluate(1).text == "Not yet: expected a number above 3."
    assert "expected a number" in question.evaluate(object()).text


# ---------------------------------------------------------- robustness
class ExplodingFrame(pd.DataFrame):
    """A DataFrame subclass whose methods raise."""

    @property
    def _constructor(self) -> type:
        return ExplodingFrame

    def reset_index(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    def __getitem__(self, key: Any) -> Any:
        raise RuntimeError("boom")

    @property
    def loc(self) -> Any:  # type: ignore[override]
        raise RuntimeError("boom")


class EqRaises:
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("boom")

    __hash__ = object.__hash__


def test_learner_objects_that_raise_become_incorrect(ex: ExerciseSet) -> None:
    frame = ExplodingFrame(TRADE[TRADE["year"] >= 2021][["year", "value"]])
    feedback = ex.q3.check(frame)
    assert feedback.outcome.status == "incorrect"
    assert "expected the rows from 2021 on as a pandas DataFrame" in repr(feedback)
    assert "ExplodingFrame" in repr(feedback)
    weird = Question("w", expect_equal(lambda: EqRaises(), "the object"), record=False)
    assert weird.evaluate(EqRaises()).status == "incorrect"


def test_checker_failures_and_bad_verdicts() -> None:
    def crash(value: object) -> CheckOutcome:
        raise ZeroDivisionError

    crashing = Question("c", crash, expected="a whole number", record=False)
    assert crashing.evaluate(5).text == (
        "Your answer could not be checked: expected a whole number, but got a value of type int that could not be read."
    )
    vague = Question("v", lambda value: True, record=False)  # type: ignore[arg-type,return-value]
    assert "no verdict" in vague.evaluate(1).text


def test_expected_value_is_lazy_and_cached() -> None:
    calls: list[int] = []

    def expensive() -> int:
        calls.append(1)
        return 42

    question = Question("q", expect_equal(expensive, "the answer"), record=False)
    assert calls == []
    question.evaluate(1)
    question.evaluate(42)
    assert calls == [1]


def test_broken_reference_is_reported_as_course_problem() -> None:
    def missing() -> int:
        raise FileNotFoundError("data/trade.csv")

    question = Question("q", expect_number(missing, tol=0), record=False)
    with pytest.warns(UserWarning, match="FileNotFoundError"):
        outcome = question.evaluate(3)
    assert outcome.status == "incorrect" and "not with your answer" in outcome.text


# -------------------------------------------------------------- recording
def test_checks_are_recorded(ex: ExerciseSet, store: ProgressStore) -> None:
    ex.q1.check(____)
    ex.q1.check(2021)
    ex.q1.check(2022)
    records = store.records()
    assert [(r.lesson, r.item, r.kind, r.outcome) for r in records] == [
        (7, "check:q1", "check", "not_attempted"),
        (7, "check:q1", "check", "incorrect"),
        (7, "check:q1", "check", "correct"),
    ]
    assert records[1].response == "2021"


def test_default_store_used_when_none_given(tmp_path: Path) -> None:
    make_set().q1.check(2022)
    assert (tmp_path / "default-progress.json").exists()
    Question("q", expect_equal(lambda: 1, "one"), record=False).check(1)


# ------------------------------------------------------------ hints etc.
def test_hints_progress_and_levels(ex: ExerciseSet) -> None:
    assert repr(ex.q1.hint()) == "Hint 1 of 3: Look at the value column."
    assert repr(ex.q1.hint()) == "Hint 2 of 3: idxmax() gives a row label."
    last = ex.q1.hint()
    assert repr(last).startswith("Hint 3 of 3: Use .loc[row, 'year'].")
    assert "last hint" in repr(last)
    assert repr(ex.q1.hint()).startswith("Hint 3 of 3")
    assert repr(ex.q1.hint(1)) == "Hint 1 of 3: Look at the value column."
    for bad in (0, 4, "2", 2.0, True):
        assert repr(ex.q1.hint(bad)) == "Hint: Choose a hint level from 1 to 3, e.g. hint(1)."  # type: ignore[arg-type]
    assert repr(ex.q3.hint()) == "Hint: There are no hints for this question."
    assert ex.q2.hint()._repr_html_() == "<div><strong>Hint 1 of 1:</strong> Add up one column.</div>"


def test_solution_display(ex: ExerciseSet) -> None:
    shown = ex.q2.solution()
    assert repr(shown) == "Solution for q2:\ntotal = trade['value'].sum()"
    assert shown._repr_markdown_() == "Solution for q2:\n\n```python\ntotal = trade['value'].sum()\n```\n"
    assert repr(ex.q3.solution()) == "No solution is available for q3."
    fenced = Question("f", expect(bool, "x"), solution="s = '```'", record=False).solution()
    assert "````python" in fenced._repr_markdown_()


# ------------------------------------------------------------ exercise set
def test_exercise_set_access(ex: ExerciseSet) -> None:
    assert ex.names == ["q1", "q2", "q3", "q4", "q5", "q6"] and len(ex) == 6
    assert ex["q2"] is ex.q2 and next(iter(ex)).name == "q1"
    assert ex.q1.lesson == 7 and "q1" in dir(ex)
    assert repr(ex) == "Lesson 7 exercises: q1, q2, q3, q4, q5, q6"
    with pytest.raises(AttributeError, match=r"no question 'q9' \(questions: q1, q2"):
        _ = ex.q9


def test_exercise_set_rejects_author_mistakes() -> None:
    check = expect_equal(lambda: 1, "one")
    with pytest.raises(ValueError, match="two questions"):
        ExerciseSet(1, [Question("a", check), Question("a", check)])
    with pytest.raises(ValueError, match="lesson 2"):
        ExerciseSet(1, [Question("a", check, lesson=2)])
    with pytest.raises(ValueError, match="clashes"):
        ExerciseSet(1, [Question("names", check)])
    with pytest.raises(ValueError, match="identifier"):
        Question("not valid", check)
    mapping = ExerciseSet(1, {"x": Question("x", check)})
    assert mapping.x.lesson == 1


# ------------------------------------------------------- documented example
def test_module_docstring_example_runs(monkeypatch: pytest.MonkeyPatch, store: ProgressStore) -> None:
    """The exercise module shown in the checks docstring works as written."""
    doc = checks.__doc__ or ""
    block = doc.split("# src/balancing_act/exercises/lesson01.py", 1)[1]
    block = block.split("\n\nBuilders return", 1)[0]
    code = textwrap.dedent(block).replace('\\"\\"\\"', '"""')
    fake_data = types.ModuleType("balancing_act.data")
    table = pd.DataFrame(
        {
            "year": [2019, 2020, 2021, 2019, 2020, 2021],
            "partner": ["Russia"] * 3 + ["North Korea"] * 3,
            "total_usd_bn": [1.0, 3.0, 2.0, 0.1, 0.2, 0.3],
        }
    )
    fake_data.load = lambda name: table.copy()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "balancing_act.data", fake_data)
    namespace: dict[str, Any] = {}
    exec(compile(code, "lesson01_example", "exec"), namespace)
    example = namespace["ex"]
    for question in example:
        question.store = store
    russia = table[table["partner"] == "Russia"]
    assert example.q1.check(2020).correct
    assert example.q2.check(6.0).correct
    assert example.q3.check(russia.query("year >= 2020")[["year", "total_usd_bn"]]).correct
    assert example.q4.check(alt.Chart(russia).mark_bar().encode(x="year:O", y="total_usd_bn")).correct
    assert re.match(r"Lesson 1 exercises: q1, q2, q3, q4$", repr(example))


# ------------------------------------------------------------ properties
class Hostile:
    def _boom(self, *args: object, **kwargs: object) -> Any:
        raise RuntimeError("hostile")

    __eq__ = __ne__ = __lt__ = __gt__ = __hash__ = _boom  # type: ignore[assignment]
    __float__ = __int__ = __index__ = __len__ = __iter__ = __bool__ = _boom  # type: ignore[assignment]
    __repr__ = __str__ = __format__ = __getattr__ = _boom  # type: ignore[assignment]


class HostileList(list):  # type: ignore[type-arg]
    def __iter__(self) -> Any:
        raise RuntimeError("hostile")

    def __len__(self) -> int:
        raise RuntimeError("hostile")


class HostileFloat(float):
    def __float__(self) -> float:
        raise RuntimeError("hostile")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("hostile")

    __hash__ = float.__hash__


frames = st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=6).map(
    lambda xs: pd.DataFrame({"year": list(range(len(xs))), "value": xs})
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.binary(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.complex_numbers(allow_nan=True),
    frames,
    st.sampled_from(
        [____, pd.NA, pd.NaT, np.array([1.0, np.nan]), pd.Series([2022]), TRADE, TRADE.iloc[:0], "x" * 100_000]
    ),
    st.builds(Hostile),
    st.builds(HostileList, st.just([1])),
    st.builds(HostileFloat, st.floats(allow_nan=True)),
    st.builds(ExplodingFrame, st.just({"year": [2021, 2022], "value": [11.0, 20.25]})),
)
learner_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
    ),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None, database=None)
@given(value=learner_values)
def test_no_learner_value_makes_a_check_raise(value: object) -> None:
    exercise_set = make_set()
    for question in exercise_set:
        outcome = question.evaluate(value)
        assert isinstance(outcome, CheckOutcome)
        feedback = Feedback(question.name, outcome)
        assert isinstance(repr(feedback), str) and isinstance(feedback._repr_html_(), str)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=learner_values)
def test_recorded_checks_never_raise(value: object, store: ProgressStore) -> None:
    feedback = make_set(store).q3.check(value)
    assert isinstance(feedback, Feedback)
    assert len(store.records()[-1].response) <= 200


def test_chart_mark_and_axes_gives_the_next_step() -> None:
    from balancing_act.checks import chart_mark_and_axes

    predicate = chart_mark_and_axes("line", "year", "bcm", y_hint="Put the volume (bcm) on the y axis.")
    frame = pd.DataFrame({"year": [2020, 2021], "bcm": [4.1, 10.39]})
    assert predicate(alt.Chart(frame).mark_bar().encode(x="year", y="bcm").to_dict()) == "Use a line mark: alt.Chart(...).mark_line()."
    assert predicate(alt.Chart(frame).mark_line().encode(x="bcm", y="year").to_dict()) == "Put year on the x axis."
    assert predicate(alt.Chart(frame).mark_line().encode(x="year", y="year").to_dict()) == "Put the volume (bcm) on the y axis."
    layered = alt.layer(alt.Chart(frame).mark_line().encode(x="year", y="bcm"), alt.Chart(frame).mark_point())
    assert predicate(layered.to_dict()) is True


def test_chart_parts_walks_every_nested_spec() -> None:
    from balancing_act.checks import chart_parts

    frame = pd.DataFrame({"a": [1]})
    spec = alt.vconcat(alt.layer(alt.Chart(frame).mark_line(), alt.Chart(frame).mark_bar()), alt.Chart(frame).mark_point()).to_dict()
    parts = list(chart_parts(spec))
    assert parts[0] is spec
    assert [p.get("mark", {}).get("type") if isinstance(p.get("mark"), dict) else p.get("mark") for p in parts if "mark" in p] == ["line", "bar", "point"]


# ------------------------------------------------- long answers and echoes
def test_text_longer_than_the_limit_is_refused_before_checking() -> None:
    seen: list[object] = []

    def predicate(value: object) -> bool:
        seen.append(value)
        return True

    question = Question("q", expect(predicate, "some text"), record=False)
    assert question.evaluate("x" * checks.MAX_ANSWER_CHARS).correct
    outcome = question.evaluate("x" * (checks.MAX_ANSWER_CHARS + 1))
    assert outcome.status == "incorrect" and len(seen) == 1
    assert f"{checks.MAX_ANSWER_CHARS + 1:,} characters" in outcome.text
    assert f"limit is {checks.MAX_ANSWER_CHARS:,}" in outcome.text


def test_every_check_message_is_bounded() -> None:
    """Whatever a check module puts in a message, what the learner sees stays short."""
    question = Question("q", expect(lambda value: f"Not {value}.", "text"), record=False)
    outcome = question.evaluate("y" * checks.MAX_ANSWER_CHARS)
    assert outcome.status == "incorrect" and len(outcome.text) == checks.MAX_MESSAGE_CHARS
    assert outcome.text.startswith("Not yyy") and outcome.text.endswith("…")


def test_echo_quotes_a_learner_value_briefly() -> None:
    assert checks.echo("Russia") == "'Russia'"
    shown = checks.echo("z" * 1_000_000)
    assert len(shown) == checks.MAX_ECHO_CHARS and shown.startswith("'zzz") and shown.endswith("…")


def test_long_column_names_are_not_echoed_in_full() -> None:
    question = Question("q", expect_frame(lambda: TRADE, describe="the table"), record=False)
    answer = TRADE.assign(**{"w" * 100_000: 1})
    outcome = question.evaluate(answer)
    assert "not expected" in outcome.text and len(outcome.text) < 300


def test_an_outcome_without_text_is_no_verdict() -> None:
    question = Question("q", lambda value: CheckOutcome(), record=False)
    outcome = question.evaluate(1)
    assert outcome.status == "incorrect" and "gave no verdict" in outcome.text


def test_expect_number_with_a_relative_allowance() -> None:
    question = Question("q", expect_number(lambda: 0.035389, rel_tol=0.005, unit="%", describe="the share"), record=False)
    assert question.evaluate(0.0354).correct and question.evaluate(0.03539).correct
    wrong = question.evaluate(0.035389 * 1.028)
    assert repr(Feedback("q", wrong)) == (
        "Incorrect: Not quite: your value for the share is too high "
        "(allowed error: 0.5% of the right value; 3 significant figures are enough)."
    )
    assert question.evaluate(0.035).status == "incorrect"  # 2 figures are 1 % off
    # Rounding to the figures the message names is always accepted, whatever the leading digit.
    for target in (0.0100049, 0.0999, 123.456, -9.87654):
        check = Question("q", expect_number(lambda t=target: t, rel_tol=0.005), record=False)
        assert check.evaluate(float(f"{target:.3g}")).correct, target
    both = Question("q", expect_number(lambda: 1000.0, tol=2, rel_tol=0.001, unit="bn"), record=False)
    assert both.evaluate(1001.9).correct and not both.evaluate(1002.1).correct
    assert "allowed error: 2 bn or 0.1% of the right value; 4 significant figures" in both.evaluate(990).text
    for bad in ({"rel_tol": -0.1}, {"rel_tol": 1.0}, {"rel_tol": float("nan")}):
        with pytest.raises(ValueError):
            expect_number(lambda: 1, **bad)
