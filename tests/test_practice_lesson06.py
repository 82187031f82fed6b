"""Tests for the "Your turn" questions of Lesson 6 (balancing_act.practice.lesson06)."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from balancing_act.charts import ChartInputError
from balancing_act.checks import ____
from balancing_act.data import load
from balancing_act.practice import PRACTICE_ITEM_PREFIX
from balancing_act.practice.lesson06 import practice
from balancing_act.progress import ENV_VAR
from balancing_act.topics import diplomacy


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "progress.json"))


@pytest.fixture(scope="module")
def rollcalls() -> pd.DataFrame:
    frame = load("unga_roll_calls")
    return frame.assign(year=frame["date"].str[:4].astype(int))


def _same_pct(rollcalls: pd.DataFrame, column: str, year: int) -> float:
    both = rollcalls[rollcalls["year"] == year].dropna(subset=["china", column])
    return float(100 * (both["china"] == both[column]).mean())


def test_every_question_is_unanswered_at_first_and_complete() -> None:
    assert practice.lesson == 6 and len(practice) >= 3
    for question in practice:
        assert repr(question.check(____)).startswith("Not attempted:")
        assert question.hints and question.solution_code and question.skills
        assert question.item.startswith(PRACTICE_ITEM_PREFIX)


def test_yes_share_of_votes_cast_and_the_members_slip() -> None:
    first = load("unga_ukraine_votes").set_index("resolution").loc["A/RES/ES-11/1"]
    cast = first["in_favour"] + first["against"] + first["abstentions"]
    q = practice.yes_share
    assert q.evaluate(100 * first["in_favour"] / cast).correct
    assert q.evaluate(round(100 * first["in_favour"] / cast, 1)).correct
    outcome = q.evaluate(100 * first["in_favour"] / 193)
    assert not outcome.correct and "193" in outcome.text
    outcome = q.evaluate(first["in_favour"] / cast)
    assert not outcome.correct and "fraction" in outcome.text


def test_china_us_ukraine_leaves_out_missing_votes_and_names_the_wrong_denominator() -> None:
    unga = load("unga_ukraine_votes")
    recorded = unga["china_vote"].notna() & unga["us_vote"].notna()
    same = int((recorded & (unga["china_vote"] == unga["us_vote"])).sum())
    assert 0 < recorded.sum() < len(unga)  # some votes are missing, so the denominator matters
    q = practice.china_us_ukraine
    assert q.evaluate(round(100 * same / recorded.sum(), 1)).correct
    over_all = q.evaluate(100 * same / len(unga))
    assert not over_all.correct and "all the texts" in over_all.text
    count = q.evaluate(same)
    assert not count.correct and "number of texts" in count.text
    assert "fraction" in q.evaluate(same / recorded.sum()).text


def test_china_us_2018_and_its_slips(rollcalls: pd.DataFrame) -> None:
    q = practice.china_us_2018
    assert q.evaluate(_same_pct(rollcalls, "united_states", 2018)).correct
    outcome = q.evaluate(_same_pct(rollcalls, "united_states", 2019))
    assert not outcome.correct and "2019" in outcome.text
    outcome = q.evaluate(_same_pct(rollcalls, "russia", 2018))
    assert not outcome.correct and "Russia" in outcome.text


def _by_year(rollcalls: pd.DataFrame) -> pd.DataFrame:
    """The lesson's worked code, repeated: per year and partner, roll calls both voted on and same votes."""
    parts = []
    for partner, column in [("Russia", "russia"), ("North Korea", "north_korea")]:
        both = rollcalls.dropna(subset=["china", column])
        same = both["china"] == both[column]
        counts = same.groupby(both["year"]).agg(both_voted="size", same_vote="sum").reset_index()
        parts.append(counts.assign(partner=partner))
    out = pd.concat(parts, ignore_index=True)
    out["agreement_pct"] = 100 * out["same_vote"] / out["both_voted"]
    return out


def _line(frame: pd.DataFrame, *, title: bool = True) -> alt.Chart:
    chart = alt.Chart(frame).mark_line().encode(x="year:O", y="agreement_pct:Q", tooltip=["year", "agreement_pct"])
    return chart.properties(title="China and North Korea") if title else chart


def test_dprk_trend_chart_right_and_wrong(rollcalls: pd.DataFrame) -> None:
    by_year = _by_year(rollcalls)
    q = practice.dprk_trend
    assert q.evaluate(_line(by_year[by_year["partner"] == "North Korea"])).correct
    outcome = q.evaluate(_line(by_year[by_year["partner"] == "Russia"]))
    assert not outcome.correct and "Russia" in outcome.text
    outcome = q.evaluate(_line(by_year[by_year["partner"] == "North Korea"], title=False))
    assert not outcome.correct and "title" in outcome.text


def test_finish_totals_chart_describes_a_learners_chart() -> None:
    unga = load("unga_ukraine_votes")
    totals = unga.melt(
        id_vars=["resolution"], value_vars=["in_favour", "against", "abstentions"], var_name="outcome", value_name="states"
    )
    totals.attrs = dict(unga.attrs)
    bars = alt.Chart(totals).mark_bar().encode(y="resolution:N", x="states:Q", color="outcome:N")
    spec = diplomacy.finish_totals_chart(bars, totals).to_dict()
    first = unga.iloc[0]
    expected = f"{first['resolution']} {first['in_favour']} for, {first['against']} against, {first['abstentions']} abstaining"
    assert expected in spec["description"]
    assert spec["title"]["subtitle"] == [unga.attrs["source"]]
    with pytest.raises(ChartInputError, match="outcome 'present'"):
        diplomacy.finish_totals_chart(bars, totals.assign(outcome="present"))
