"""The "Your turn" questions of Lesson 7: right answers are Correct, the common slips get their own message."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pytest

from balancing_act.checks import ____
from balancing_act.data import load
from balancing_act.practice.lesson07 import practice
from balancing_act.progress import ENV_VAR
from balancing_act.topics import overextension as ox


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "progress.json"))


def _share() -> float:
    trade = load("china_customs_trade")
    rows = trade[trade["year"] == 2023].set_index("partner")["total_usd_bn"]
    five = rows[["United States", "European Union", "Japan", "South Korea", "ASEAN"]].sum()
    return float(100 * five / (five + rows["Russia"] + rows["North Korea"]))


def test_five_markets_share_accepts_one_decimal_and_names_the_slips() -> None:
    question = practice.five_markets_share
    assert question.evaluate(round(_share(), 1)).correct
    assert question.evaluate(_share()).correct
    assert not question.evaluate(_share() / 100).correct
    other = question.evaluate(round(100 - _share(), 1))
    assert not other.correct and "share of Russia and North Korea" in str(other)
    assert "Not attempted" in str(question.evaluate(____))


def test_war_intensity_recognises_the_inverted_division() -> None:
    deaths = load("ucdp_conflict_fatalities").set_index("conflict")["fatalities_more_than"]
    right = 100 * deaths["Russia-Ukraine"] / deaths.max()
    assert right == pytest.approx(100 * ox.anchored_intensity())
    question = practice.war_intensity
    assert question.evaluate(round(right, 1)).correct
    wrong = question.evaluate(round(100 * deaths.max() / deaths["Russia-Ukraine"], 1))
    assert not wrong.correct and "divides Ethiopia's figure" in str(wrong)


def _instruments():
    params = ox.anchored_parameters()
    best = ox.best_balance(params)
    return ox.instrument_table(best.russia, best.north_korea, best.silence, best.gestures, params)


def test_instrument_bars_compare_the_data_drawn() -> None:
    question = practice.instrument_bars
    table = _instruments()
    right = (
        alt.Chart(table).mark_bar().encode(x="net:Q", y="instrument:N", tooltip=["instrument", "net"])
        .properties(title="Net result of each instrument")
    )
    assert question.evaluate(right).correct
    elsewhere = ox.instrument_table(0.9, 0.9, 0.0, 1.0, ox.anchored_parameters())
    wrong_data = (
        alt.Chart(elsewhere).mark_bar().encode(x="net:Q", y="instrument:N", tooltip=["instrument", "net"])
        .properties(title="Net result of each instrument")
    )
    assert not question.evaluate(wrong_data).correct
    untitled = alt.Chart(table).mark_bar().encode(x="net:Q", y="instrument:N", tooltip=["instrument", "net"])
    assert not question.evaluate(untitled).correct


def test_western_measures_2024_counts_from_the_list_and_names_the_slips() -> None:
    sanctions = load("sanctions_measures")
    in_year = sanctions["date"].str.startswith("2024")
    right = int((in_year & (sanctions["actor"] != "China")).sum())
    question = practice.western_measures_2024
    assert question.evaluate(right).correct
    everything = question.evaluate(int(in_year.sum()))
    assert not everything.correct and "China's answers included" in str(everything)
    year_before = int((sanctions["date"].str.startswith("2023") & (sanctions["actor"] != "China")).sum())
    wrong_year = question.evaluate(year_before)
    assert not wrong_year.correct and "2023" in str(wrong_year)
    assert "Not attempted" in str(question.evaluate(____))
