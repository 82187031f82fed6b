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


def _share():
    table = implications.indicator_dashboard(indicators=["russia_share"])
    return table.set_index("year")["value"]


def test_share_change_accepts_one_decimal_and_names_the_slips() -> None:
    share = _share()
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
