"""The "Your turn" questions of Lessons 3 and 4: right answers are Correct with a sentence, common slips named."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from balancing_act.checks import ____
from balancing_act.data import load
from balancing_act.practice.lesson03 import practice as p3
from balancing_act.practice.lesson04 import practice as p4
from balancing_act.progress import ENV_VAR
from balancing_act.topics import north_korea as nk

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "progress.json"))


def _customs() -> pd.Series:
    return nk.trade_two_sources().set_index("year")["china_customs_usd_bn"]


def _gdp_share(year: int, column: str = "total_usd_bn") -> float:
    trade, gdp = load("china_customs_trade"), load("world_bank_gdp")
    russia = trade.loc[(trade["year"] == year) & (trade["partner"] == "Russia"), column].iloc[0]
    china = gdp.loc[(gdp["economy"] == "China") & (gdp["year"] == year), "gdp_usd_bn"].iloc[0]
    return float(100 * russia / china)


@pytest.mark.parametrize("practice", [p3, p4])
def test_every_question_is_unattempted_blank_and_has_hints_solution_skills(practice) -> None:
    assert len(practice) >= 3
    for question in practice:
        assert repr(question.check(____)).startswith("Not attempted:")
        assert len(question.hints) >= 2 and question.solution_code and question.skills


def test_closed_border_percentage_precision_and_slips() -> None:
    by_year = _customs()
    right = 100 * by_year[2021] / by_year[2019]
    assert p3.closed_border.evaluate(round(right, 1)).correct
    fraction = p3.closed_border.evaluate(right / 100)
    assert not fraction.correct and "fraction" in fraction.text
    wrong_year = p3.closed_border.evaluate(100 * by_year[2020] / by_year[2019])
    assert not wrong_year.correct and "2020" in wrong_year.text and "2021" in wrong_year.text
    assert not p3.closed_border.evaluate(right + 1).correct


def test_two_sources_gap_names_the_other_reporter() -> None:
    row = nk.trade_two_sources().set_index("year").loc[2024]
    right = row["kotra_usd_bn"] - row["china_customs_usd_bn"]
    assert p3.two_sources_gap.evaluate(round(float(right), 2)).correct
    kotra = p3.two_sources_gap.evaluate(float(row["kotra_usd_bn"]))
    assert not kotra.correct and "KOTRA" in kotra.text
    customs = p3.two_sources_gap.evaluate(float(row["china_customs_usd_bn"]))
    assert not customs.correct and "other reporter" in customs.text


def test_customs_line_reads_the_data_it_draws() -> None:
    wide = nk.trade_two_sources().dropna(subset=["china_customs_usd_bn"])
    right = alt.Chart(wide).mark_line().encode(x="year:O", y="china_customs_usd_bn:Q", tooltip=["year"])
    assert p3.customs_line.evaluate(right).correct
    kotra = alt.Chart(wide).mark_line().encode(x="year:O", y="kotra_usd_bn:Q", tooltip=["year"])
    outcome = p3.customs_line.evaluate(kotra)
    assert not outcome.correct and "kotra_usd_bn" in outcome.text
    short = alt.Chart(wide[wide["year"] >= 2020]).mark_line().encode(x="year:O", y="china_customs_usd_bn:Q", tooltip=["year"])
    assert not p3.customs_line.evaluate(short).correct


def test_russia_pct_gdp_slips() -> None:
    right = _gdp_share(2022)
    assert p4.russia_pct_gdp.evaluate(round(right, 1)).correct
    assert "2023" in p4.russia_pct_gdp.evaluate(_gdp_share(2023)).text
    exports = p4.russia_pct_gdp.evaluate(_gdp_share(2022, "exports_usd_bn"))
    assert not exports.correct and "exports" in exports.text
    assert "fraction" in p4.russia_pct_gdp.evaluate(right / 100).text


def test_times_russia_names_the_inverted_ratio() -> None:
    trade = load("china_customs_trade")
    rows = trade[trade["year"] == 2023].set_index("partner")["total_usd_bn"]
    right = (rows["United States"] + rows["European Union"]) / rows["Russia"]
    assert p4.times_russia.evaluate(round(float(right), 1)).correct
    inverted = p4.times_russia.evaluate(float(1 / right))
    assert not inverted.correct and "divided by" in inverted.text
    us_only = p4.times_russia.evaluate(float(rows["United States"] / rows["Russia"]))
    assert not us_only.correct and "European Union" in us_only.text


def _russian_tonnes(year: int) -> float:
    crude = load("china_crude_imports")
    return float(crude.loc[(crude["year"] == year) & (crude["supplier"] == "Russia"), "million_tonnes"].iloc[0])


def test_crude_growth_names_the_ratio_the_wrong_base_and_the_wrong_year() -> None:
    start, end = _russian_tonnes(2021), _russian_tonnes(2023)
    right = 100 * (end / start - 1)
    assert p4.crude_growth.evaluate(round(right, 1)).correct
    ratio = p4.crude_growth.evaluate(100 * end / start)
    assert not ratio.correct and "subtract 1" in ratio.text
    wrong_base = p4.crude_growth.evaluate(100 * (1 - start / end))
    assert not wrong_base.correct and "starting year" in wrong_base.text
    next_year = p4.crude_growth.evaluate(100 * (_russian_tonnes(2024) / start - 1))
    assert not next_year.correct and "2024" in next_year.text and "2023" in next_year.text
    assert "fraction" in p4.crude_growth.evaluate(right / 100).text


def test_gdp_bars_need_the_right_data_a_title_and_a_tooltip() -> None:
    from balancing_act.practice.lesson04 import _on_scale

    frame = _on_scale()
    base = alt.Chart(frame).mark_bar().encode(x="pct_of_china_gdp:Q", y="partner:N", tooltip=["partner"])
    assert p4.gdp_bars.evaluate(base.properties(title="Trade as % of China's GDP, 2023")).correct
    assert "title" in p4.gdp_bars.evaluate(base).text
    no_tip = alt.Chart(frame).mark_bar().encode(x="pct_of_china_gdp:Q", y="partner:N").properties(title="t")
    assert "tooltip" in p4.gdp_bars.evaluate(no_tip).text
    wrong = alt.Chart(frame).mark_bar().encode(x="total_usd_bn:Q", y="partner:N", tooltip=["partner"]).properties(title="t")
    outcome = p4.gdp_bars.evaluate(wrong)
    assert not outcome.correct and "total_usd_bn" in outcome.text


@pytest.mark.parametrize(("lesson", "practice"), [("03_north_korea", p3), ("04_interdependence", p4)])
def test_lesson_practice_cells_call_every_question_and_store_not_attempted(lesson: str, practice) -> None:
    cells = json.loads((ROOT / "lessons" / f"{lesson}.ipynb").read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "practice" in c["metadata"].get("tags", [])]
    called = {name for name in practice.names for c in tagged if f"practice.{name}.check(" in "".join(c["source"])}
    assert called == set(practice.names)
    for cell in tagged:
        assert "____" in "".join(cell["source"])
        shown = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", "")) for o in cell["outputs"])
        assert shown.startswith("Not attempted")
