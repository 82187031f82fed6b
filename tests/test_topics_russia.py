"""Lesson 2 topic module: tables, chart specs and the dependence explorer, on small frames."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import traitlets

from balancing_act import charts
from balancing_act.charts import ChartInputError
from balancing_act.data import load
from balancing_act.topics import russia

DATA = Path(__file__).resolve().parents[1] / "data"


def _frame(rows: list[dict], source: str = "Source: Example") -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if "year" in frame.columns:
        frame["year"] = frame["year"].astype("Int64")
    frame.attrs["source"] = source
    return frame


def _trade() -> pd.DataFrame:
    return _frame(
        [
            {"year": 2014, "partner": "World", "total_usd_bn": 4000.0, "exports_usd_bn": 2200.0, "imports_usd_bn": 1800.0, "note": None},
            {"year": 2015, "partner": "World", "total_usd_bn": None, "exports_usd_bn": 2100.0, "imports_usd_bn": 1600.0, "note": "Sources disagree."},
            {"year": 2016, "partner": "World", "total_usd_bn": 5000.0, "exports_usd_bn": None, "imports_usd_bn": None, "note": None},
            {"year": 2014, "partner": "Russia", "total_usd_bn": 100.0, "exports_usd_bn": 60.0, "imports_usd_bn": 40.0, "note": None},
            {"year": 2015, "partner": "Russia", "total_usd_bn": 80.0, "exports_usd_bn": 30.0, "imports_usd_bn": 50.0, "note": "Caution."},
            {"year": 2016, "partner": "Russia", "total_usd_bn": 150.0, "exports_usd_bn": 70.0, "imports_usd_bn": 80.0, "note": None},
            {"year": 2023, "partner": "Russia", "total_usd_bn": 240.0, "exports_usd_bn": 111.0, "imports_usd_bn": 129.0, "note": None},
            {"year": 2016, "partner": "North Korea", "total_usd_bn": 5.0, "exports_usd_bn": None, "imports_usd_bn": None, "note": None},
        ],
        "Source: China customs",
    )


def _dependence() -> pd.DataFrame:
    return _frame(
        [
            {"year": 2014, "country": "Russia", "reporter": "Russian customs (FTS)", "trade_with_china_usd_bn": None, "china_share_pct": 10.0, "note": "Looking back."},
            {"year": 2016, "country": "Russia", "reporter": "Russian customs (FTS)", "trade_with_china_usd_bn": 153.0, "china_share_pct": 30.0, "note": "Stated."},
            {"year": 2023, "country": "Russia", "reporter": "Russian customs (FTS)", "trade_with_china_usd_bn": None, "china_share_pct": None, "note": "Total only."},
            {"year": 2016, "country": "North Korea", "reporter": "KOTRA", "trade_with_china_usd_bn": 6.0, "china_share_pct": 92.0, "note": None},
        ],
        "Source: Russian customs",
    )


def _crude() -> pd.DataFrame:
    return _frame(
        [
            {"year": 2014, "supplier": "Russia", "million_tonnes": 30.0, "rank": 3, "note": "Third."},
            {"year": 2015, "supplier": "Russia", "million_tonnes": None, "rank": 1, "note": "Tonnes not found."},
            {"year": 2016, "supplier": "Russia", "million_tonnes": 50.0, "rank": 1, "note": None},
            {"year": 2017, "supplier": "Russia", "million_tonnes": 60.0, "rank": None, "note": None},
            {"year": 2016, "supplier": "Saudi Arabia", "million_tonnes": 45.0, "rank": 2, "note": None},
            {"year": 2017, "supplier": "Saudi Arabia", "million_tonnes": 65.0, "rank": 1, "note": None},
            {"year": 2016, "supplier": "World", "million_tonnes": 400.0, "rank": None, "note": None},
        ],
        "Source: China customs crude",
    ).astype({"rank": "Int64"})


def _gas() -> pd.DataFrame:
    return _frame(
        [
            {"year": 2019, "bcm": None, "note": "Began in December."},
            {"year": 2020, "bcm": 4.0, "note": None},
            {"year": 2021, "bcm": 19.0, "note": None},
            {"year": 2022, "bcm": 38.0, "note": None},
        ],
        "Source: Gazprom",
    )


def _statements() -> pd.DataFrame:
    return _frame(
        [
            {"year": 2022, "share_pct": 30.0, "statement_by": "Official A (Minister)", "note": "About 30%; approximate"},
            {"year": 2023, "share_pct": None, "statement_by": "Official B (Minister)", "note": "'about half'"},
            {"year": 2023, "share_pct": 80.0, "statement_by": "Official C (President)", "note": "'more than 80%' (lower bound)"},
            {"year": 2023, "share_pct": 95.0, "statement_by": "Official D (Deputy PM)", "note": "said 95%"},
            {"year": 2025, "share_pct": 90.0, "statement_by": "Official E (Deputy PM)", "note": "range 90-95%; 90 = lower end of range"},
        ],
        "Source: statements",
    )


def _payments() -> pd.DataFrame:
    return _frame(
        [
            {"period": "2022 start", "currency": "CNY", "share_pct": 0.5, "note": "start"},
            {"period": "2022 start", "currency": "RUB", "share_pct": 12.0, "note": None},
            {"period": "2023-03", "currency": "CNY", "share_pct": 18.0, "note": None},
        ],
        "Source: central bank",
    )


def _cars() -> pd.DataFrame:
    return _frame(
        [
            {"year": 2014, "measure": "value", "value": 6.0, "unit": "billion US dollars", "reporter": "China customs (GACC)", "description": "Cars", "note": None},
            {"year": 2016, "measure": "value", "value": 7.0, "unit": "billion US dollars", "reporter": "China customs (GACC)", "description": "Cars", "note": None},
            {"year": 2016, "measure": "units", "value": 500000.0, "unit": "vehicles", "reporter": "CPCA", "description": "Cars", "note": None},
        ],
        "Source: car counts",
    )


def _tooltip_fields(encoding: dict) -> set[str]:
    return {t["field"] for t in encoding.get("tooltip", []) if "field" in t}


# ------------------------------------------------------------------ trade
def test_russia_trade_adds_the_balance_and_sorts_by_year() -> None:
    out = russia.russia_trade(_trade())
    assert out["year"].tolist() == [2014, 2015, 2016, 2023]
    assert out.loc[out["year"] == 2015, "balance_usd_bn"].item() == -20.0
    assert out.loc[out["year"] == 2015, "note"].item() == "Caution."
    assert out.attrs["source"] == "Source: China customs"


def test_russia_trade_without_russia_rows_says_what_to_pass() -> None:
    trade = _trade()
    with pytest.raises(ChartInputError, match="no rows with partner 'Russia'.*china_customs_trade"):
        russia.russia_trade(trade[trade["partner"] != "Russia"])
    with pytest.raises(ChartInputError, match=r"missing \['exports_usd_bn'"):
        russia.russia_trade(trade.drop(columns=["exports_usd_bn"]))


def test_mirror_check_compares_both_customs_services() -> None:
    out = russia.mirror_check(_trade(), _dependence())
    assert out["year"].tolist() == [2016]
    row = out.iloc[0]
    assert (row["china_customs_usd_bn"], row["russia_customs_usd_bn"]) == (150.0, 153.0)
    assert row["difference_usd_bn"] == pytest.approx(3.0)
    assert row["difference_pct"] == pytest.approx(2.0)
    assert "Russian customs" in out.attrs["source"] and "China customs" in out.attrs["source"]


# ------------------------------------------------------------- dependence
def test_dependence_both_ways_computes_shares_and_explains_gaps() -> None:
    table = russia.dependence_both_ways(_trade(), _dependence()).set_index("year")
    assert list(table.index) == [2014, 2015, 2016, 2023]
    assert table.loc[2014, "russia_in_china_pct"] == pytest.approx(2.5)
    assert table.loc[2014, "china_in_russia_pct"] == 10.0
    assert table.loc[2014, "times"] == pytest.approx(4.0)
    assert table.loc[2014, "russia_side_note"] == "Looking back."
    assert table.loc[2016, "times"] == pytest.approx(10.0)
    # 2015: world total missing (with the data note) and no Russian figure
    assert math.isnan(table.loc[2015, "russia_in_china_pct"])
    assert "world in 2015 is not in the data (data note: Sources disagree.)" in table.loc[2015, "china_side_gap"]
    assert table.loc[2015, "russia_side_gap"] == "No figure from Russia's customs service for 2015 was found."
    # 2023: no world row at all; a Russian row without a share
    assert "cannot be computed" in table.loc[2023, "china_side_gap"]
    assert table.loc[2023, "russia_side_gap"].startswith("Russia's customs service gave no share of China for 2023. Total only.")
    assert russia.years_with_both_sides(table.reset_index()) == [2014, 2016]


def test_after_2021_a_missing_russian_figure_points_to_the_publication_halt() -> None:
    dependence = _dependence()
    dependence = dependence[dependence["year"] != 2023]
    table = russia.dependence_both_ways(_trade(), dependence).set_index("year")
    assert "stopped publishing detailed trade data in spring 2022" in table.loc[2023, "russia_side_gap"]


def test_dependence_long_has_two_rows_per_year_with_both() -> None:
    long = russia.dependence_long(russia.dependence_both_ways(_trade(), _dependence()))
    assert long["year"].tolist() == [2014, 2014, 2016, 2016]
    assert set(long["perspective"]) == {russia.CHINA_SIDE, russia.RUSSIA_SIDE}
    assert long.loc[long["perspective"] == russia.RUSSIA_SIDE, "note"].tolist() == ["Looking back.", "Stated."]


def test_dependence_chart_spec() -> None:
    spec = russia.dependence_chart(russia.dependence_both_ways(_trade(), _dependence())).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["title"]["text"] == "Who needs whom? Each side's share of the other's trade"
    assert spec["title"]["subtitle"] == ["Source: China customs", "Source: Russian customs"]  # one line per dataset
    assert spec["encoding"]["xOffset"]["field"] == "perspective"
    assert spec["encoding"]["y"]["title"] == "Share of total goods trade (%)"
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 100]
    assert {"year", "perspective", "share_pct", "reporter", "note"} <= _tooltip_fields(spec["encoding"])
    assert "2014: China 10.0% of Russia's trade, Russia 2.5% of China's (4.0 times)" in spec["description"]
    assert spec["config"]["range"]["category"] == list(charts.PALETTE)
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 4


def test_dependence_chart_refuses_a_table_without_both_shares() -> None:
    table = russia.dependence_both_ways(_trade(), _dependence())
    table["china_in_russia_pct"] = float("nan")
    with pytest.raises(ChartInputError, match="no year in the table has both shares"):
        russia.dependence_chart(table)
    with pytest.raises(ChartInputError, match="needs a pandas DataFrame, got list"):
        russia.dependence_chart([1, 2])  # type: ignore[arg-type]


def test_dependence_year_chart_spec_and_bad_year() -> None:
    table = russia.dependence_both_ways(_trade(), _dependence())
    spec = russia.dependence_year_chart(table, 2016).to_dict()
    assert spec["title"]["text"] == "Who needs whom? 2016"
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert "China's share of Russia's goods trade 30.0%" in spec["description"]
    assert "the first is 10.0 times the second" in spec["description"]
    with pytest.raises(ChartInputError, match=r"year 2015 does not have both shares; choose one of \[2014, 2016\]"):
        russia.dependence_year_chart(table, 2015)


# ------------------------------------------------------------------ crude
def test_crude_suppliers_shares_and_segments() -> None:
    out = russia.crude_suppliers(_crude())
    assert "World" not in set(out["supplier"])
    mine = out[out["supplier"] == "Russia"].set_index("year")
    assert list(mine.index) == [2014, 2016, 2017]  # 2015 has no tonnage
    assert mine.loc[2016, "share_of_china_pct"] == pytest.approx(12.5)
    assert math.isnan(mine.loc[2017, "share_of_china_pct"])
    assert mine["segment"].tolist() == [1, 2, 2]  # a gap in 2015 starts a new line


def test_russia_crude_keeps_rows_without_tonnage() -> None:
    out = russia.russia_crude(_crude()).set_index("year")
    assert list(out.index) == [2014, 2015, 2016, 2017]
    assert math.isnan(out.loc[2015, "million_tonnes"]) and out.loc[2015, "rank"] == 1
    with pytest.raises(ChartInputError, match="no rows with supplier 'Russia'"):
        crude = _crude()
        russia.russia_crude(crude[crude["supplier"] != "Russia"])


def test_crude_chart_spec_highlights_russia_and_keeps_gaps() -> None:
    spec = russia.crude_chart(russia.crude_suppliers(_crude())).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "point"]
    line = spec["layer"][0]["encoding"]
    assert line["detail"]["field"] == "line"
    assert line["strokeWidth"]["condition"]["value"] == 4
    assert "Russia" in line["strokeWidth"]["condition"]["test"]
    for layer in spec["layer"]:
        encoding = layer["encoding"]
        assert encoding["x"]["scale"]["domain"] == [2014, 2015, 2016, 2017]
        assert encoding["color"]["sort"][0] == "Russia"
        assert encoding["y"]["title"] == "Crude oil imported by China (million tonnes)"
        assert {"year", "supplier", "million_tonnes", "rank", "share_of_china_pct"} <= _tooltip_fields(encoding)
    assert "Russia: 30.0 in 2014, rank 3; 60.0 in 2017." in spec["description"]
    assert "In 2017: Saudi Arabia 65.0; Russia 60.0." in spec["description"]
    assert spec["title"]["subtitle"] == ["Source: China customs crude"]


def test_crude_chart_with_unknown_highlight_lists_suppliers() -> None:
    with pytest.raises(ChartInputError, match=r"highlight='Iran' is not a supplier in the frame; choose one of \['Russia', 'Saudi Arabia'\]"):
        russia.crude_chart(russia.crude_suppliers(_crude()), highlight="Iran")


# -------------------------------------------------------------------- gas
def test_power_of_siberia_table_and_chart() -> None:
    table = russia.power_of_siberia_table(_gas())
    assert table.loc[table["year"] == 2021, "pct_of_contract"].item() == pytest.approx(50.0)
    spec = russia.power_of_siberia_chart(table).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "rule", "text"]
    assert all(layer["encoding"].get("tooltip") for layer in spec["layer"])
    assert spec["layer"][0]["encoding"]["y"]["title"] == "Gas delivered (billion cubic metres)"
    assert "2020 4.00; 2021 19.00; 2022 38.00" in spec["description"]
    assert "contract volume of 38 bcm a year; 2022 is at 100% of it. No annual figure for 2019." in spec["description"]


def test_the_contract_constant_matches_the_data_package() -> None:
    from balancing_act.data import describe

    assert f"{russia.CONTRACT_BCM:g} bcm a year" in describe("power_of_siberia").description


def test_power_of_siberia_refuses_a_bad_contract_volume() -> None:
    with pytest.raises(ChartInputError, match="contract_bcm must be a positive number, not -5"):
        russia.power_of_siberia_table(_gas(), contract_bcm=-5)
    with pytest.raises(ChartInputError, match="contract_bcm must be a positive number, not 0"):
        russia.power_of_siberia_chart(russia.power_of_siberia_table(_gas()), contract_bcm=0)


# ---------------------------------------------------------------- payments
def test_settlement_table_classifies_each_statement() -> None:
    table = russia.settlement_table(_statements())
    assert table["kind"].tolist() == [
        "About (approximate)",
        "In words only, no number",
        "At least (a lower bound)",
        "As stated",
        "At least (a lower bound)",
    ]
    assert table["order"].tolist() == [1, 1, 2, 3, 1]
    assert table["period"].isna().all()  # a frame without periods keeps the column, empty


def test_settlement_table_carries_the_period_described() -> None:
    statements = _statements()
    statements["period"] = ["2022", "2023 to date", "2023 to date", "2023 to date", "2025 to date"]
    table = russia.settlement_table(statements)
    assert table.columns[:3].tolist() == ["year", "period", "share_pct"]
    assert table["period"].tolist() == statements["period"].tolist()


def test_settlement_chart_spec() -> None:
    spec = russia.settlement_chart(russia.settlement_table(_statements())).to_dict()
    assert spec["mark"]["type"] == "point"
    assert spec["encoding"]["shape"]["field"] == "kind"
    assert spec["encoding"]["y"]["title"] == "Share settled in roubles and yuan (%)"
    assert spec["encoding"]["x"]["title"] == "Year the statement describes"
    assert {"statement_by", "share_pct", "kind", "note"} <= _tooltip_fields(spec["encoding"])
    assert "2023 Official C 80 (lower bound)" in spec["description"]
    assert "1 statement(s) gave words only and are not drawn." in spec["description"]
    assert spec["encoding"]["xOffset"]["field"] == "slot"
    # one merged legend: same field, title and domain on both channels
    assert spec["encoding"]["color"]["scale"]["domain"] == spec["encoding"]["shape"]["scale"]["domain"]
    assert spec["encoding"]["color"]["title"] == spec["encoding"]["shape"]["title"] == "The number is"
    rows = next(iter(spec["datasets"].values()))
    assert [(r["year"], r["slot"]) for r in rows] == [(2022, 1), (2023, 1), (2023, 2), (2025, 1)]


def test_payment_shares_keeps_file_order_and_names_currencies() -> None:
    out = russia.payment_shares(_payments(), "CNY")
    assert out["period"].tolist() == ["2022 start", "2023-03"]
    assert out["share_pct"].tolist() == [0.5, 18.0]
    with pytest.raises(ChartInputError, match=r"currency 'GBP' is not in the data; choose one of \['CNY', 'RUB'\]"):
        russia.payment_shares(_payments(), "GBP")


# -------------------------------------------------------------------- cars
def test_car_exports_stay_within_one_reporter() -> None:
    out = russia.car_exports(_cars())
    assert out["year"].tolist() == [2014, 2016] and out["value"].tolist() == [6.0, 7.0]
    assert out.attrs["reporter"] == "China customs (GACC)"
    with pytest.raises(ChartInputError, match=r"'CPCA' gives no 'value' figures; it gives \['units'\]"):
        russia.car_exports(_cars(), reporter="CPCA", measure="value")
    with pytest.raises(ChartInputError, match=r"reporter 'Ministry' is not in the data; choose one of"):
        russia.car_exports(_cars(), reporter="Ministry")


def test_car_share_of_exports_divides_two_china_customs_figures() -> None:
    out = russia.car_share_of_exports(_cars(), _trade()).set_index("year")
    assert out.loc[2014, "cars_share_pct"] == pytest.approx(10.0)
    assert out.loc[2016, "cars_share_pct"] == pytest.approx(10.0)


# ---------------------------------------------------------------- explorer
def _explorer(**kwargs) -> russia.DependenceExplorer:
    return russia.DependenceExplorer(_trade(), _dependence(), crude=_crude(), gas=_gas(), **kwargs)


def test_explorer_offers_only_years_with_both_shares_and_starts_at_the_latest() -> None:
    explorer = _explorer()
    assert explorer._year_control.options == (2014, 2016)
    assert explorer._year_control.description == "Year"
    assert explorer.year == 2016
    assert repr(explorer) == "DependenceExplorer(year=2016)"
    assert explorer.summary.startswith(
        "2016: China accounted for 30.0% of Russia's goods trade (Russia's customs service), while Russia accounted "
        "for 3.00% of China's (China's customs): 10.0 times as large."
    )
    assert "Crude oil: Russia sold China 50.00 million tonnes, 12.5% of China's crude imports, rank 1" in explorer.summary
    assert "Power of Siberia had not started deliveries (its data start in 2019)." in explorer.summary


def test_explorer_explains_every_year_left_out() -> None:
    gaps = _explorer().gaps
    assert [line[:4] for line in gaps] == ["2015", "2023"]
    assert "China's side:" in gaps[0] and "Russia's side:" in gaps[0]
    assert "Total only." in gaps[1]
    html = _explorer()._gaps.value
    assert html.startswith("<details><summary>Why are other years not offered?</summary>")
    assert "Russia&#x27;s side" in html  # escaped


def test_moving_the_year_control_updates_summary_and_chart() -> None:
    explorer = _explorer()
    before = explorer.chart.to_dict()
    explorer._year_control.value = 2014
    assert explorer.year == 2014
    assert explorer.summary.startswith("2014: China accounted for 10.0% of Russia's goods trade")
    assert "rank 3 among its suppliers" in explorer.summary
    assert "Note on the Russian figure: Looking back." in explorer.summary
    spec = explorer.chart.to_dict()
    assert spec != before and spec["title"]["text"] == "Who needs whom? 2014"
    shown = explorer._output.outputs[0]["data"]
    assert shown["application/vnd.vegalite.v5+json"]["title"]["text"] == "Who needs whom? 2014"
    assert explorer._summary.value.startswith("<p>2014: China accounted")
    assert "&#x27;" in explorer._summary.value  # apostrophes are escaped


def test_explorer_refuses_years_without_both_shares() -> None:
    explorer = _explorer(year=2014)
    with pytest.raises(traitlets.TraitError, match=r"year 2015 is not offered; choose one of \[2014, 2016\]"):
        explorer.year = 2015
    assert explorer.year == 2014


def test_explorer_without_energy_frames_and_without_any_overlap() -> None:
    plain = russia.DependenceExplorer(_trade(), _dependence(), year=2014)
    assert "Crude oil" not in plain.summary and "Gas" not in plain.summary
    dependence = _dependence()
    dependence["china_share_pct"] = float("nan")
    with pytest.raises(ChartInputError, match="no year has both"):
        russia.DependenceExplorer(_trade(), dependence)


# ------------------------------------------------------------ trade on the scale of GDP
@pytest.fixture
def real_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALANCING_ACT_DATA", str(DATA))


def _gdp(rows: list[tuple[int, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["year", "economy", "gdp_usd_bn"])
    frame.attrs["source"] = "Source: Example GDP"
    return frame


def _flows(rows: list[tuple[int, str, float | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["year", "partner", "total_usd_bn"])
    frame.attrs["source"] = "Source: Example customs"
    return frame


def test_trade_share_of_gdp_uses_only_years_with_all_three_figures() -> None:
    trade = _flows([(2020, "Russia", 100.0), (2021, "Russia", 150.0), (2022, "Russia", None), (2021, "World", 5000.0)])
    gdp = _gdp([(2020, "China", 10000.0), (2020, "Russia", 1000.0), (2021, "China", 12000.0), (2022, "China", 13000.0), (2022, "Russia", 2000.0)])
    table = russia.trade_share_of_gdp(trade, gdp)
    assert list(table["year"]) == [2020]  # 2021 lacks Russia's GDP, 2022 lacks the trade figure
    row = table.iloc[0]
    assert (row["pct_of_china_gdp"], row["pct_of_russia_gdp"], row["times"]) == (1.0, 10.0, 10.0)
    assert table.attrs["source"] == "Source: Example customs | Source: Example GDP"


def test_trade_share_of_gdp_and_its_chart_refuse_what_they_cannot_use() -> None:
    with pytest.raises(ChartInputError, match="no year has both"):
        russia.trade_share_of_gdp(_flows([(2020, "Russia", 100.0)]), _gdp([(2021, "China", 1.0), (2021, "Russia", 1.0)]))
    with pytest.raises(ChartInputError, match="missing"):
        russia.gdp_share_chart(pd.DataFrame({"year": [2020]}))


def test_gdp_share_chart_cites_both_sources_and_states_the_ends(real_data: None) -> None:
    table = russia.trade_share_of_gdp()
    spec = russia.gdp_share_chart(table).to_dict()
    assert len(spec["title"]["subtitle"]) == 2 and all(s.startswith("Source:") for s in spec["title"]["subtitle"])
    assert "of Russia's GDP 4.6% in 2014 and 11.9% in 2023" in spec["description"]


def test_figures_quoted_in_lesson_2_on_gdp(real_data: None) -> None:
    table = russia.trade_share_of_gdp().set_index("year")
    assert (table.index.min(), table.index.max()) == (2014, 2023)  # 2013 has no China-Russia total
    assert (round(table.loc[2014, "pct_of_russia_gdp"], 1), round(table.loc[2014, "pct_of_china_gdp"], 1)) == (4.6, 0.9)
    assert (round(table.loc[2023, "pct_of_russia_gdp"], 1), round(table.loc[2023, "pct_of_china_gdp"], 1)) == (11.9, 1.3)
    assert 8.5 <= table.loc[2023, "times"] < 9  # "almost nine times"
    gdp = load("world_bank_gdp")
    rus = gdp[gdp["economy"] == "Russia"].set_index("year")["gdp_usd_bn"]
    assert rus[2015] < rus[2014]  # "Russia's GDP in dollars fell that year too"


# ------------------------------------------------------------- partner rank
def _ranks(rows: list[tuple[int, str, int, str, str, str]]) -> pd.DataFrame:
    """Rows (year, period, rank, rank_kind, basis, lessons_use), each stated by its own speaker."""
    return _frame(
        [
            {
                "year": year, "period": period, "rank": rank, "rank_kind": kind, "basis": basis,
                "stated_by": f"Speaker {i}", "stated_on": f"{year + 1}-01-15", "lessons_use": use, "note": f"note {i}",
            }
            for i, (year, period, rank, kind, basis, use) in enumerate(rows)
        ],
        "Source: Example statements",
    )


def test_partner_rank_keeps_one_full_year_row_per_year_for_the_lessons() -> None:
    ranks = _ranks(
        [
            (2023, "full year", 4, "exact", "countries", "yes"),
            (2019, "full year", 12, "exact", "not stated", "yes"),
            (2023, "January-June", 5, "top", "countries", "no"),
            (2023, "full year", 6, "exact", "countries and territories", "no"),
            (2025, "full year", 5, "top", "not stated", "yes"),
        ]
    )
    table = russia.partner_rank(ranks)
    assert table["year"].tolist() == [2019, 2023, 2025]  # sorted; the partial year and the unchosen 2023 row are left out
    assert table["place"].tolist() == ["12", "4", "top 5"]
    assert table["stated_by"].tolist() == ["Speaker 1", "Speaker 0", "Speaker 4"]
    assert table.attrs["source"] == "Source: Example statements"
    assert russia.partner_rank(ranks, basis="countries")["year"].tolist() == [2023]


def test_partner_rank_refuses_what_it_cannot_show() -> None:
    two = _ranks([(2023, "full year", 4, "exact", "countries", "yes"), (2023, "full year", 6, "exact", "not stated", "yes")])
    with pytest.raises(ChartInputError, match=r"more than one row is marked for the lessons in \[2023\]"):
        russia.partner_rank(two)
    partial = _ranks([(2023, "January-June", 5, "top", "countries", "yes")])
    with pytest.raises(ChartInputError, match=r"describes 'January-June', not a full year.*Mark it lessons_use 'no'"):
        russia.partner_rank(partial)
    one = _ranks([(2023, "full year", 4, "exact", "countries", "yes")])
    with pytest.raises(ChartInputError, match=r"basis 'blocs' is not known; choose one of \['countries'"):
        russia.partner_rank(one, basis="blocs")
    with pytest.raises(ChartInputError, match=r"no row for the lessons has basis 'not stated'; the rows have \['countries'\]"):
        russia.partner_rank(one, basis="not stated")
    with pytest.raises(ChartInputError, match="missing"):
        russia.partner_rank(pd.DataFrame({"year": [2023]}))


def test_partner_rank_on_the_course_data_shows_every_full_year_stated(real_data: None) -> None:
    ranks = load("russia_trade_partner_rank")
    table = russia.partner_rank()
    full = ranks[ranks["period"] == "full year"]
    assert table["year"].tolist() == sorted(set(full["year"].astype(int)))
    assert set(table["basis"]) <= set(russia.RANK_BASES)
    # each row is the dataset's own lessons row for that year, unchanged
    chosen = ranks[ranks["lessons_use"] == "yes"].set_index("year")
    for row in table.itertuples():
        assert (row.rank, row.stated_by, row.basis) == (chosen.loc[row.year, "rank"], chosen.loc[row.year, "stated_by"], chosen.loc[row.year, "basis"])
