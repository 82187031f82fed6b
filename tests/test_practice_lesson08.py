"""The "Your turn" questions of Lesson 8: right answers are Correct, the common slips get their own message."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pytest

from balancing_act.practice.lesson08 import practice
from balancing_act.progress import ENV_VAR
from balancing_act.topics import implications


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "progress.json"))


def _series(key: str):
    """One indicator of the dashboard, indexed by year."""
    table = implications.indicator_dashboard(indicators=[key])
    return table.set_index("year")["value"]


def test_share_change_accepts_one_decimal_and_names_the_slips() -> None:
    share = _series("russia_share")
    question = practice.share_change
    right = share[2024] - share[2021]
    assert question.evaluate(round(right, 1)).correct
    backwards = question.evaluate(round(-right, 1))
    assert not backwards.correct and "2021 minus 2024" in str(backwards)
    earlier = question.evaluate(round(share[2023] - share[2021], 1))
    assert not earlier.correct and "2023" in str(earlier)


def test_drills_chart_compares_the_data_drawn() -> None:
    table = implications.indicator_dashboard()
    drills = table[table["indicator"] == implications.INDICATORS["joint_drills"].label]
    question = practice.drills_bars
    right = (
        alt.Chart(drills).mark_bar().encode(x="year:O", y="value:Q", tooltip=["year", "value"]).properties(title="Drills")
    )
    assert question.evaluate(right).correct
    other = table[table["indicator"] == implications.INDICATORS["sanctions"].label]
    wrong = alt.Chart(other).mark_bar().encode(x="year:O", y="value:Q", tooltip=["year", "value"]).properties(title="Drills")
    assert not question.evaluate(wrong).correct
    no_tooltip = alt.Chart(drills).mark_bar().encode(x="year:O", y="value:Q").properties(title="Drills")
    assert not question.evaluate(no_tooltip).correct


def test_trade_growth_accepts_one_decimal_and_names_the_ratio_and_the_year() -> None:
    trade = _series("russia_trade")
    question = practice.trade_growth
    right = 100 * (trade[2023] / trade[2021] - 1)
    assert question.evaluate(round(right, 1)).correct
    ratio = question.evaluate(round(100 * trade[2023] / trade[2021], 1))
    assert not ratio.correct and "subtract one" in str(ratio)
    fraction = question.evaluate(round(right / 100, 3))
    assert not fraction.correct and "fraction" in str(fraction)
    year_before = question.evaluate(round(100 * (trade[2022] / trade[2021] - 1), 1))
    assert not year_before.correct and "2022" in str(year_before)


def test_trade_peak_is_not_the_latest_value() -> None:
    trade = _series("russia_trade")
    question = practice.trade_peak
    assert question.evaluate(round(trade.max(), 1)).correct
    latest = question.evaluate(round(trade[trade.index.max()], 1))
    assert trade.idxmax() != trade.index.max()
    assert not latest.correct and "latest year's value" in str(latest)
    lowest = question.evaluate(round(trade.min(), 1))
    assert not lowest.correct and "lowest value" in str(lowest)
