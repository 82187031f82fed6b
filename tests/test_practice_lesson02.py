"""The "Your turn" questions of Lesson 2 (balancing_act.practice.lesson02), and Lesson 1's GDP question."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from balancing_act.checks import ____
from balancing_act.data import load
from balancing_act.practice import PRACTICE_ITEM_PREFIX
from balancing_act.practice.lesson01 import practice as practice01
from balancing_act.practice.lesson02 import practice
from balancing_act.progress import ENV_VAR


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "progress.json"))


def _russia() -> pd.DataFrame:
    trade = load("china_customs_trade")
    return trade[trade["partner"] == "Russia"].set_index("year")


def test_every_question_has_hints_a_solution_skills_and_starts_unattempted() -> None:
    assert practice.lesson == 2 and len(practice) >= 3
    for question in practice:
        assert question.hints and question.solution_code and question.skills
        assert question.item.startswith(PRACTICE_ITEM_PREFIX)
        assert repr(question.check(____)).startswith("Not attempted:")


def test_growth_is_measured_against_the_earlier_year() -> None:
    total = _russia()["total_usd_bn"]
    growth = 100 * (total[2022] - total[2021]) / total[2021]
    q = practice.trade_growth
    assert q.evaluate(round(growth, 1)).correct
    outcome = q.evaluate(growth / 100)
    assert not outcome.correct and "fraction" in outcome.text
    outcome = q.evaluate(100 * (total[2022] - total[2021]) / total[2022])
    assert not outcome.correct and "earlier" in outcome.text
    outcome = q.evaluate(100 * total[2022] / total[2021])
    assert not outcome.correct and "minus 100" in outcome.text
    assert not q.evaluate(growth + 0.3).correct


def test_imports_share_names_exports_and_the_wrong_year() -> None:
    rows = _russia()
    share = 100 * rows.loc[2024, "imports_usd_bn"] / rows.loc[2024, "total_usd_bn"]
    q = practice.imports_share
    assert q.evaluate(round(share, 1)).correct
    outcome = q.evaluate(100 * rows.loc[2024, "exports_usd_bn"] / rows.loc[2024, "total_usd_bn"])
    assert not outcome.correct and "exports" in outcome.text
    outcome = q.evaluate(100 * rows.loc[2023, "imports_usd_bn"] / rows.loc[2023, "total_usd_bn"])
    assert not outcome.correct and "2023" in outcome.text and "2024" in outcome.text


def _crude() -> pd.DataFrame:
    return load("china_crude_imports")


def _suppliers(year: int) -> pd.DataFrame:
    crude = _crude()
    return crude[(crude["year"] == year) & (crude["supplier"] != "World")]


def _crude_bars(frame: pd.DataFrame, tooltip: bool = True) -> alt.Chart:
    extra = {"tooltip": ["supplier", "million_tonnes"]} if tooltip else {}
    return alt.Chart(frame).mark_bar().encode(x="million_tonnes:Q", y=alt.Y("supplier:N", sort="-x"), **extra)


def test_the_crude_chart_solution_is_correct() -> None:
    outcome = practice.crude_bars.evaluate(_crude_bars(_suppliers(2024)))
    assert outcome.correct and outcome.text.endswith(".") and "Russia" in outcome.text


@pytest.mark.parametrize(
    ("chart", "words"),
    [
        (lambda: _crude_bars(_suppliers(2023)), ["2023", "2024"]),
        (lambda: _crude_bars(_crude()[_crude()["year"] == 2024]), ["World"]),
        (lambda: _crude_bars(_suppliers(2024), tooltip=False), ["tooltip"]),
    ],
)
def test_a_wrong_crude_chart_gets_a_message_naming_what_it_shows(chart, words: list[str]) -> None:
    outcome = practice.crude_bars.evaluate(chart())
    assert not outcome.correct
    for word in words:
        assert word in outcome.text


def test_lesson1_gdp_share_names_the_wrong_economy_and_year() -> None:
    trade = load("china_customs_trade").set_index(["partner", "year"])["total_usd_bn"]
    gdp = load("world_bank_gdp").set_index(["economy", "year"])["gdp_usd_bn"]
    share = 100 * trade["Russia", 2022] / gdp["Russia", 2022]
    q = practice01.russia_gdp_share
    assert q.evaluate(round(share, 1)).correct
    outcome = q.evaluate(100 * trade["Russia", 2022] / gdp["China", 2022])
    assert not outcome.correct and "China's GDP" in outcome.text
    outcome = q.evaluate(100 * trade["Russia", 2021] / gdp["Russia", 2021])
    assert not outcome.correct and "2021" in outcome.text and "2022" in outcome.text


def test_the_lower_bound_count_is_exact_and_names_the_wrong_counts() -> None:
    statements = load("settlement_statements")
    from balancing_act.topics import russia

    kinds = russia.settlement_table(statements)["kind"]
    lower = int((kinds == "At least (a lower bound)").sum())
    q = practice.lower_bounds
    assert q.evaluate(lower).correct and "floor" in q.evaluate(lower).text
    assert not q.evaluate(lower + 1).correct and not q.evaluate(lower - 0.5).correct
    outcome = q.evaluate(len(statements))
    assert not outcome.correct and "every statement" in outcome.text
    outcome = q.evaluate(int(statements["share_pct"].notna().sum()))
    assert not outcome.correct and "gives a number" in outcome.text
    outcome = q.evaluate(int((kinds != "At least (a lower bound)").sum()))
    assert not outcome.correct and "not lower bounds" in outcome.text
