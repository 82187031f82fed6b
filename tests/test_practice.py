"""Tests for balancing_act.practice and the worked example practice.lesson01."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from balancing_act.checks import ____, ExerciseSet, Question, expect_equal
from balancing_act.data import load
from balancing_act.practice import PRACTICE_ITEM_PREFIX, PracticeSet
from balancing_act.practice.lesson01 import practice
from balancing_act.progress import ENV_VAR, ProgressStore


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "progress.json"))


def _trade() -> pd.DataFrame:
    return load("china_customs_trade")


def _share(year: int) -> float:
    rows = _trade()
    rows = rows[rows["year"] == year].set_index("partner")["total_usd_bn"]
    return float(100 * rows["Russia"] / rows["World"])


def _partners(year: int) -> pd.DataFrame:
    trade = _trade()
    return trade[(trade["year"] == year) & (trade["partner"] != "World")]


def test_a_practice_set_is_an_exercise_set_recording_practice_items(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "own.json")
    own = PracticeSet(4, [Question("first", expect_equal(lambda: 3, "three"))], store=store)
    assert isinstance(own, ExerciseSet) and own.names == ["first"]
    assert own.first.check(3).correct
    records = json.loads((tmp_path / "own.json").read_text())["records"]
    assert [(r["lesson"], r["item"], r["outcome"]) for r in records] == [(4, f"{PRACTICE_ITEM_PREFIX}first", "correct")]
    assert repr(own) == "Lesson 4 practice: first"


def test_an_explicit_item_name_is_kept() -> None:
    question = Question("q", expect_equal(lambda: 1, "one"), item="practice:custom")
    PracticeSet(2, [question])
    assert question.item == "practice:custom"


def test_unanswered_practice_says_not_attempted() -> None:
    for question in practice:
        assert repr(question.check(____)).startswith("Not attempted:")


def test_every_practice_question_has_hints_a_solution_and_skills() -> None:
    assert practice.lesson == 1 and len(practice) >= 2
    for question in practice:
        assert question.hints and question.solution_code and question.skills
        assert question.item.startswith(PRACTICE_ITEM_PREFIX)


def test_share_precision_and_slips() -> None:
    share = _share(2024)
    q = practice.russia_share
    assert q.evaluate(share).correct
    assert q.evaluate(round(share, 1)).correct  # the question asks for one decimal
    outcome = q.evaluate(share / 100)
    assert not outcome.correct and "fraction" in outcome.text and "100" in outcome.text
    outcome = q.evaluate(_share(2023))
    assert not outcome.correct and "2023" in outcome.text and "2024" in outcome.text
    outcome = q.evaluate(-share)
    assert not outcome.correct and "sign" in outcome.text
    assert not q.evaluate(share + 0.2).correct


def test_share_names_exports_for_the_total() -> None:
    rows = _trade()
    rows = rows[rows["year"] == 2024].set_index("partner")
    exports_share = 100 * rows.loc["Russia", "exports_usd_bn"] / rows.loc["World", "total_usd_bn"]
    outcome = practice.russia_share.evaluate(float(exports_share))
    assert not outcome.correct and "exports" in outcome.text


def _bars(frame: pd.DataFrame, x: str = "total_usd_bn", tooltip: bool = True) -> alt.Chart:
    extra = {"tooltip": ["partner", x]} if tooltip else {}
    return alt.Chart(frame).mark_bar().encode(x=f"{x}:Q", y=alt.Y("partner:N", sort="-x"), **extra)


def test_the_solution_chart_is_correct_and_says_what_it_shows() -> None:
    outcome = practice.partner_bars.evaluate(_bars(_partners(2024)))
    assert outcome.correct and outcome.text.endswith(".") and "Russia" in outcome.text


def test_a_chart_filtered_by_altair_is_read_after_its_filters() -> None:
    chart = _bars(_trade()).transform_filter(alt.datum.year == 2024).transform_filter("datum.partner !== 'World'")
    assert practice.partner_bars.evaluate(chart).correct


@pytest.mark.parametrize(
    ("chart", "words"),
    [
        (lambda: _bars(_partners(2023)), ["2023", "2024"]),
        (lambda: _bars(_partners(2024), x="exports_usd_bn"), ["exports_usd_bn"]),
        (lambda: _bars(_trade()[_trade()["year"] == 2024]), ["World"]),
        (lambda: _bars(_partners(2024), tooltip=False), ["tooltip"]),
        (lambda: alt.Chart(_partners(2024)).mark_line().encode(x="total_usd_bn:Q", y="partner:N"), ["bar"]),
    ],
)
def test_a_wrong_chart_gets_a_message_naming_what_it_shows(chart, words: list[str]) -> None:
    outcome = practice.partner_bars.evaluate(chart())
    assert not outcome.correct
    for word in words:
        assert word in outcome.text


def test_from_lesson_4_a_practice_chart_must_ask_for_a_title_and_a_tooltip() -> None:
    from balancing_act.checks import expect_chart_data

    def chart(**flags: bool) -> Question:
        return Question("bars", expect_chart_data(lambda: _partners(2024), "bar", {"x": "total_usd_bn", "y": "partner"}, "bars", **flags))

    PracticeSet(3, [chart()])  # before Lesson 4 they are optional
    with pytest.raises(ValueError, match="require_title=True, require_tooltip=True"):
        PracticeSet(4, [chart(require_tooltip=True)])
    strict = PracticeSet(4, [chart(require_title=True, require_tooltip=True)])
    untitled = _bars(_partners(2024))
    assert "title" in strict.bars.evaluate(untitled).text
    assert strict.bars.evaluate(untitled.properties(title="China's 2024 partners")).correct


def _nk_shares(year: int) -> tuple[float, float]:
    """(China's share of North Korea's trade from KOTRA, North Korea's share of China's from China's customs)."""
    trade = _trade()
    rows = trade[trade["year"] == year].set_index("partner")["total_usd_bn"]
    dependence = load("partner_dependence")
    kotra = dependence[(dependence["country"] == "North Korea") & (dependence["year"] == year)]["china_share_pct"]
    return float(kotra.dropna().iloc[0]), float(100 * rows["North Korea"] / rows["World"])


def test_the_north_korea_ratio_takes_three_figures_and_names_the_rounded_table() -> None:
    theirs, ours = _nk_shares(2024)
    ratio = theirs / ours
    q = practice.nk_ratio
    assert q.evaluate(ratio).correct and q.evaluate(float(f"{ratio:.3g}")).correct
    assert "thousands" in q.evaluate(ratio).text
    assert not q.evaluate(ratio * 1.02).correct
    outcome = q.evaluate(round(theirs, 2) / round(ours, 2))  # the shares as the lesson's table shows them
    assert not outcome.correct and "rounds" in outcome.text
    outcome = q.evaluate(ours / theirs)
    assert not outcome.correct and "upside down" in outcome.text
    earlier_theirs, earlier_ours = _nk_shares(2023)
    outcome = q.evaluate(earlier_theirs / earlier_ours)
    assert not outcome.correct and "2023" in outcome.text and "2024" in outcome.text
