"""Tests for the "Your turn" questions of Lesson 5 (balancing_act.practice.lesson05)."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from balancing_act.checks import ____
from balancing_act.data import load
from balancing_act.practice import PRACTICE_ITEM_PREFIX
from balancing_act.practice.lesson05 import practice
from balancing_act.progress import ENV_VAR
from balancing_act.topics import military


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "progress.json"))


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return military.events_table(load("military_events"))


@pytest.fixture(scope="module")
def milex() -> pd.DataFrame:
    return load("sipri_military_expenditure")


def _spending(milex: pd.DataFrame, country: str, column: str = "constant_2023_usd_bn") -> pd.Series:
    return milex[milex["country"] == country].set_index("year")[column]


def test_every_question_is_unanswered_at_first_and_complete() -> None:
    assert practice.lesson == 5 and len(practice) >= 3
    for question in practice:
        assert repr(question.check(____)).startswith("Not attempted:")
        assert question.hints and question.solution_code and question.skills
        assert question.item.startswith(PRACTICE_ITEM_PREFIX)


def test_recent_share_names_the_count_the_complement_and_the_wrong_year(events: pd.DataFrame) -> None:
    recent = events["year"] >= 2019
    share = 100 * recent.sum() / len(events)
    q = practice.recent_share
    assert q.evaluate(round(share, 1)).correct
    count = q.evaluate(int(recent.sum()))
    assert not count.correct and "number of events" in count.text
    before = q.evaluate(100 - share)
    assert not before.correct and "before 2019" in before.text
    a_year_early = q.evaluate(100 * (events["year"] >= 2018).sum() / len(events))
    assert not a_year_early.correct and "2018" in a_year_early.text
    assert "fraction" in q.evaluate(share / 100).text


def test_china_symbolic_share_and_the_all_events_slip(events: pd.DataFrame) -> None:
    with_china = events[events["participants"].str.contains("China")]
    share = 100 * (with_china["reference"] == "symbolic").mean()
    q = practice.china_symbolic
    assert q.evaluate(share).correct and q.evaluate(round(share, 1)).correct
    assert not q.evaluate(share + 0.2).correct
    everyone = 100 * (events["reference"] == "symbolic").mean()
    assert abs(everyone - share) > 0.1  # the slip is a different number
    outcome = q.evaluate(everyone)
    assert not outcome.correct and "all events" in outcome.text
    outcome = q.evaluate(share / 100)
    assert not outcome.correct and "fraction" in outcome.text


def test_russia_growth_and_its_slips(milex: pd.DataFrame) -> None:
    russia = _spending(milex, "Russia")
    growth = 100 * (russia[2024] / russia[2014] - 1)
    q = practice.russia_growth
    assert q.evaluate(growth).correct and q.evaluate(round(growth)).correct
    assert not q.evaluate(growth + 1).correct
    outcome = q.evaluate(100 * (russia[2023] / russia[2014] - 1))
    assert not outcome.correct and "2023" in outcome.text
    current = _spending(milex, "Russia", "current_usd_bn")
    outcome = q.evaluate(100 * (current[2024] / current[2014] - 1))
    assert not outcome.correct and "current" in outcome.text
    china = _spending(milex, "China")
    outcome = q.evaluate(100 * (china[2024] / china[2014] - 1))
    assert not outcome.correct and "China" in outcome.text


def _burden(frame: pd.DataFrame, *, title: bool = True, tooltip: bool = True, y: str = "share_of_gdp_pct") -> alt.Chart:
    extra = {"tooltip": ["country", y]} if tooltip else {}
    chart = alt.Chart(frame).mark_bar().encode(x="country:N", y=f"{y}:Q", **extra)
    return chart.properties(title="Military spending as a share of GDP, 2024") if title else chart


def test_burden_chart_right_and_wrong(milex: pd.DataFrame) -> None:
    right = milex[(milex["year"] == 2024) & (milex["country"] != "World")]
    q = practice.burden_chart
    assert q.evaluate(_burden(right)).correct
    outcome = q.evaluate(_burden(milex[(milex["year"] == 2023) & (milex["country"] != "World")]))
    assert not outcome.correct and "2023" in outcome.text
    outcome = q.evaluate(_burden(right, title=False))
    assert not outcome.correct and "title" in outcome.text
    outcome = q.evaluate(_burden(right, tooltip=False))
    assert not outcome.correct and "tooltip" in outcome.text
    outcome = q.evaluate(_burden(right, y="constant_2023_usd_bn"))
    assert not outcome.correct and "constant_2023_usd_bn" in outcome.text


def test_finish_per_year_chart_styles_a_learners_chart(events: pd.DataFrame) -> None:
    per_year = events.groupby(["year", "family"]).size().reset_index(name="events")
    per_year.attrs = dict(events.attrs)
    bars = alt.Chart(per_year).mark_bar().encode(x="year:O", y="events:Q", color="family:N")
    spec = military.finish_per_year_chart(bars, per_year).to_dict()
    busiest = int(per_year.groupby("year")["events"].sum().idxmax())
    assert f"The busiest year is {busiest}" in spec["description"]
    assert spec["title"]["subtitle"] == [events.attrs["source"]]
    with pytest.raises(Exception, match="family"):
        military.finish_per_year_chart(bars, per_year.drop(columns="family"))
