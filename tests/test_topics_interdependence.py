"""Lesson 4 topic module: scale tables, crude imports, the sanctions timeline and the what-if calculator."""

from __future__ import annotations

import pandas as pd
import pytest
import traitlets

from balancing_act import charts
from balancing_act.charts import ChartInputError
from balancing_act.data import DataError
from balancing_act.topics import interdependence as topic


def _trade() -> pd.DataFrame:
    rows = [
        (2023, "World", 1000.0),
        (2023, "United States", 100.0),
        (2023, "European Union", 120.0),
        (2023, "ASEAN", 150.0),
        (2023, "Japan", 50.0),
        (2023, "South Korea", 40.0),
        (2023, "Russia", 40.0),
        (2023, "North Korea", 2.0),
        (2024, "World", 1100.0),
        (2024, "United States", 110.0),
        (2024, "Russia", 44.0),
        (2025, "World", None),
        (2025, "European Union", 130.0),
        (2025, "Russia", 30.0),
        (2013, "Russia", 89.0),
    ]
    frame = pd.DataFrame(rows, columns=["year", "partner", "total_usd_bn"])
    frame["year"] = frame["year"].astype("Int64")
    frame.attrs["source"] = "Source: Example Customs"
    return frame


def _sanctions() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "date": ["2022-06-28", "2022-06-29", "2023-06-23", "2024-06-21", "2025-08-13"],
            "actor": ["United States", "China", "European Union", "Japan", "China"],
            "measure": ["Entity List", "Statement", "Package", "Export ban", "Countermeasures"],
            "target": ["Firms", "US", "Firms", "Firms", "Banks"],
            "summary": ["Listed firms.", "Objected.", "Listed firms.", "Banned exports.", "Barred two banks."],
            "source_id": ["a", "b", "c", "d", "e"],
        }
    )
    frame.attrs["source"] = "Source: Example Governments"
    return frame


def _crude() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "year": pd.array([2016, 2020, 2020, 2020, 2023, 2023, 2023], dtype="Int64"),
            "supplier": ["Russia", "Russia", "Saudi Arabia", "World", "Russia", "Saudi Arabia", "World"],
            "million_tonnes": [None, 80.0, 85.0, 500.0, 100.0, 90.0, 550.0],
            "rank": pd.array([1, 2, 1, None, 1, 2, None], dtype="Int64"),
            "source_id": ["x"] * 7,
            "note": ["Tonnes not found", None, None, None, None, None, None],
        }
    )
    frame.attrs["source"] = "Source: Example Customs"
    return frame


# ------------------------------------------------------------------- scale
def test_scale_table_groups_partners_by_the_sanctions_data() -> None:
    table = topic.scale_table(2023, _trade(), _sanctions())
    groups = dict(zip(table["partner"], table["group"], strict=True))
    assert groups["United States"] == groups["European Union"] == groups["Japan"] == topic.GROUP_LISTED
    assert groups["ASEAN"] == groups["South Korea"] == topic.GROUP_OTHER
    assert groups["Russia"] == groups["North Korea"] == topic.GROUP_ALIGNED
    assert list(table["partner"][:3]) == ["European Union", "United States", "Japan"]
    assert table.set_index("partner").loc["ASEAN", "share_pct"] == pytest.approx(15.0)
    assert "Example Customs" in table.attrs["source"] and "Example Governments" in table.attrs["source"]


def test_scale_table_without_world_total_has_no_shares_and_says_why() -> None:
    table = topic.scale_table(2025, _trade(), _sanctions())
    assert table["share_pct"].isna().all()
    assert "not in the data" in table.attrs["note"]
    assert "ASEAN" in table.attrs["missing"]


def test_scale_table_rejects_unknown_year_and_bad_input() -> None:
    with pytest.raises(DataError, match=r"No trade figures for 1999; the data cover \[2013, 2023, 2024, 2025\]"):
        topic.scale_table(1999, _trade(), _sanctions())
    with pytest.raises(DataError, match=r"lacks the columns \['actor'\]"):
        topic.scale_table(2023, _trade(), pd.DataFrame({"who": ["x"]}))
    with pytest.raises(DataError, match="expected a pandas DataFrame, got list"):
        topic.scale_table(2023, [1, 2], _sanctions())  # type: ignore[arg-type]


def test_group_totals_sums_and_compares_with_russia_and_north_korea() -> None:
    totals = topic.group_totals(topic.scale_table(2023, _trade(), _sanctions())).set_index("group")
    assert totals.loc[topic.GROUP_LISTED, "total_usd_bn"] == pytest.approx(270.0)
    assert totals.loc[topic.GROUP_LISTED, "times_russia_nk"] == pytest.approx(270.0 / 42.0)
    assert totals.loc[topic.GROUP_ALIGNED, "share_pct"] == pytest.approx(4.2)
    assert totals.loc[topic.GROUP_OTHER, "partners"] == "ASEAN, South Korea"
    with pytest.raises(DataError, match="the table is empty"):
        topic.group_totals(topic.scale_table(2023, _trade(), _sanctions()).iloc[0:0])


def test_scale_chart_spec() -> None:
    spec = topic.scale_chart(topic.scale_table(2023, _trade(), _sanctions()), year=2023).to_dict()
    assert spec["title"]["text"] == "Where China's trade is: groups of partners, 2023"
    assert spec["title"]["subtitle"] == ["Source: Example Customs", "Source: Example Governments"]
    bars, labels = spec["layer"]
    assert bars["mark"]["type"] == "bar" and labels["mark"]["type"] == "text"
    assert bars["encoding"]["x"]["field"] == "x0" and bars["encoding"]["x2"]["field"] == "x1"
    assert "billion US dollars" in bars["encoding"]["x"]["title"]
    for layer in (bars, labels):  # tooltips on every mark
        assert {t["field"] for t in layer["encoding"]["tooltip"]} == {"group", "partner", "total_usd_bn", "share_pct"}
    assert spec["config"]["range"]["category"] == list(charts.PALETTE)
    assert "270.0 billion, 27.0% of China's total" in spec["description"]
    assert "Russia and North Korea (Russia, North Korea) 42.0 billion" in spec["description"]
    rows = {r["partner"]: r for r in next(iter(spec["datasets"].values()))}
    # Segments are stacked largest first within each group, and only wide ones are named.
    assert (rows["European Union"]["x0"], rows["European Union"]["x1"]) == (0.0, 120.0)
    assert (rows["United States"]["x0"], rows["Japan"]["x1"]) == (120.0, 270.0)
    assert rows["European Union"]["label"] == "EU" and rows["North Korea"]["label"] == ""


def test_scale_chart_without_shares_and_bad_input() -> None:
    spec = topic.scale_chart(topic.scale_table(2025, _trade(), _sanctions()), year=2025).to_dict()
    assert "share_pct" not in {t["field"] for t in spec["layer"][0]["encoding"]["tooltip"]}
    assert "% of China's total" not in spec["description"]
    with pytest.raises(ChartInputError, match=r"needs the columns \['partner', 'group', 'total_usd_bn'\]"):
        topic.scale_chart(pd.DataFrame({"partner": ["A"]}), year=2023)
    with pytest.raises(ChartInputError, match="no partner has a trade figure for 2023"):
        topic.scale_chart(topic.scale_table(2023, _trade(), _sanctions()).assign(total_usd_bn=float("nan")), year=2023)


# ------------------------------------------------------------------- crude
def test_russia_crude_shares_only_where_the_total_exists() -> None:
    table = topic.russia_crude(_crude()).set_index("year")
    assert list(table.index) == [2016, 2020, 2023]
    assert table.loc[2020, "share_pct"] == pytest.approx(16.0)
    assert pd.isna(table.loc[2016, "million_tonnes"]) and pd.isna(table.loc[2016, "share_pct"])
    assert table.loc[2016, "rank"] == 1
    assert table.loc[2016, "note"] == "Tonnes not found"


def test_russia_crude_needs_russia_rows() -> None:
    with pytest.raises(DataError, match="no 'Russia' rows"):
        topic.russia_crude(_crude()[_crude()["supplier"] != "Russia"])


def test_crude_chart_spec_drops_missing_years_and_shows_rank_and_share() -> None:
    spec = topic.crude_chart(_crude()).to_dict()
    assert spec["title"]["text"] == "China's crude oil imports from Russia and Saudi Arabia, 2020-2023"
    assert spec["encoding"]["x"]["type"] == "quantitative"  # years without data keep their place on the axis
    assert spec["encoding"]["y"]["title"] == "Crude oil imports, million tonnes"
    data = next(iter(spec["datasets"].values()))
    assert len(data) == 4  # the 2016 Russia row has no tonnage and is not drawn as zero
    russia_2020 = next(r for r in data if r["supplier"] == "Russia" and r["year"] == 2020)
    assert russia_2020["rank"] == 2 and russia_2020["share_pct"] == pytest.approx(16.0)
    assert {t["field"] for t in spec["encoding"]["tooltip"]} == {"year", "supplier", "million_tonnes", "rank", "share_pct"}
    assert "Russia from 80.0 million tonnes in 2020 to 100.0 in 2023" in spec["description"]


def test_crude_chart_names_unknown_suppliers() -> None:
    with pytest.raises(ChartInputError, match=r"no rows for \['Iran'\]; choose suppliers from \['Russia', 'Saudi Arabia'\]"):
        topic.crude_chart(_crude(), suppliers=("Iran",))


# --------------------------------------------------------------- sanctions
def test_measures_by_actor_counts_per_year_in_actor_order() -> None:
    table = topic.measures_by_actor(_sanctions())
    assert list(table.index) == ["United States", "European Union", "Japan", "China"]
    assert list(table.columns) == ["2022", "2023", "2024", "2025", "total"]
    assert table.loc["China", "total"] == 2 and table.loc["China", "2025"] == 1


def test_sanctions_timeline_spec() -> None:
    spec = topic.sanctions_timeline(_sanctions()).to_dict()
    assert spec["mark"]["type"] == "point"
    assert spec["encoding"]["x"]["field"] == "date" and spec["encoding"]["x"]["type"] == "temporal"
    assert spec["encoding"]["y"]["field"] == "actor"
    assert spec["encoding"]["y"]["sort"] == ["United States", "European Union", "Japan", "China"]
    assert spec["encoding"]["shape"]["scale"]["range"] == ["circle", "diamond"]
    assert {t["field"] for t in spec["encoding"]["tooltip"]} == {"date", "actor", "measure", "target", "summary"}
    assert spec["title"]["subtitle"] == ["Source: Example Governments"]
    assert "5 recorded measures and responses from 2022-06-28 to 2025-08-13" in spec["description"]
    assert "China 2" in spec["description"]


def test_sanctions_timeline_needs_its_columns() -> None:
    with pytest.raises(ChartInputError, match="missing"):
        topic.sanctions_timeline(_sanctions().drop(columns="summary"))


# ------------------------------------------------------------------ what-if
def test_exposure_arithmetic() -> None:
    result = topic.exposure(2023, ["United States", "European Union"], 10, _trade())
    assert result.partners_usd_bn == pytest.approx(220.0)
    assert result.at_stake_usd_bn == pytest.approx(22.0)
    assert result.at_stake_pct_of_total == pytest.approx(2.2)
    assert result.times_russia == pytest.approx(0.55)
    text = result.summary()
    assert text.startswith("Hypothetical what-if, not a forecast.")
    assert "the United States and the European Union (220.0 bn US$)" in text
    assert "22.0 bn US$ of trade would be at stake = 2.20% of China's total trade that year" in text
    assert "0.55 times that" in text
    frame = result.frame()
    assert list(frame["usd_bn"]) == pytest.approx([220.0, 22.0, 40.0])
    assert frame.attrs["year"] == 2023 and frame.attrs["source"] == "Source: Example Customs"


def test_exposure_leaves_out_partners_without_a_figure_and_missing_world_total() -> None:
    result = topic.exposure(2025, ["European Union", "Japan"], 50, _trade())
    assert result.partners == ("European Union",) and result.missing == ("Japan",)
    assert result.at_stake_pct_of_total is None
    assert "not in the data, so no share can be given" in result.summary()
    assert "No 2025 figure for Japan, so left out." in result.summary()
    assert "share_pct" not in result.frame().columns


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((2023, [], 10), r"choose at least one partner"),
        ((2023, ["Russia"], 10), r"'Russia' is not one of the partners offered"),
        ((2023, ["Japan"], 150), r"disruption_pct must be a number from 0 to 100 .* got 150"),
        ((2023, ["Japan"], "10"), r"got '10'"),
        ((1990, ["Japan"], 10), r"no trade figures for 1990; the data cover"),
        ((2024, ["Japan"], 10), r"no 2024 figure for Japan\. Partners with a 2024 figure: \['United States'\]"),
    ],
)
def test_exposure_bad_input_names_the_value_and_the_fix(args: tuple, message: str) -> None:
    with pytest.raises(DataError, match=message):
        topic.exposure(*args, trade=_trade())


def test_exposure_accepts_a_single_partner_name() -> None:
    assert topic.exposure(2023, "Japan", 100, _trade()).at_stake_usd_bn == pytest.approx(50.0)


def test_exposure_chart_is_labelled_as_a_what_if() -> None:
    spec = topic.exposure_chart(topic.exposure(2023, ["Japan"], 20, _trade()).frame()).to_dict()
    assert spec["title"]["text"] == "What-if: trade at stake in 2023 (hypothetical, not a forecast)"
    assert spec["description"].startswith("Hypothetical what-if, not a forecast.")
    assert "What-if: 20% of it disrupted 10.0" in spec["description"]
    assert spec["encoding"]["x"]["title"] == "Billion US dollars (current)"  # the year is in the title
    assert {t["field"] for t in spec["encoding"]["tooltip"]} == {"item", "usd_bn", "share_pct"}


def test_exposure_bars_keep_the_frames_order_whatever_the_percentage() -> None:
    frames = [topic.exposure(2023, ["Japan"], pct, _trade()).frame() for pct in (10, 35)]
    specs = [topic.exposure_chart(frame).to_dict() for frame in frames]
    assert specs[0]["encoding"]["y"]["sort"] == specs[1]["encoding"]["y"]["sort"] == {"field": "position", "op": "min"}
    rows = next(iter(specs[1]["datasets"].values()))
    assert [(r["position"], r["item"]) for r in rows][:2] == [(0, "Trade with the chosen partners"), (1, "What-if: 35% of it disrupted")]


# ----------------------------------------------------------------- explorer
def test_explorer_starts_with_defaults_and_is_labelled() -> None:
    explorer = topic.SanctionsExposureExplorer(_trade())
    assert explorer._year_control.options == (2023, 2024, 2025)
    assert explorer.year == 2023
    assert explorer.partners == ("United States", "European Union", "Japan")
    assert explorer.disruption_pct == 10
    assert "not a forecast" in explorer._label.value
    assert explorer._year_control.description == "Year"
    assert explorer._partner_control.description == "Partners"
    assert explorer._share_control.description == "What-if share disrupted (%)"
    assert repr(explorer) == (
        "SanctionsExposureExplorer(year=2023, partners=['United States', 'European Union', 'Japan'], disruption_pct=10)"
    )
    assert "27.0 bn US$ of trade would be at stake = 2.70% of China's total" in explorer.summary


def test_moving_the_controls_updates_summary_and_chart() -> None:
    explorer = topic.SanctionsExposureExplorer(_trade())
    before = explorer.chart.to_dict()
    explorer._share_control.value = 50
    assert explorer.disruption_pct == 50
    assert "135.0 bn US$ of trade would be at stake" in explorer.summary
    explorer._partner_control.value = ("ASEAN",)
    assert explorer.partners == ("ASEAN",)
    assert "75.0 bn US$" in explorer.summary
    assert explorer.chart.to_dict() != before
    shown = explorer._output.outputs[0]["data"]
    assert "application/vnd.vegalite.v5+json" in shown
    assert shown["text/plain"].startswith("Hypothetical what-if")


def test_explorer_explains_empty_choices_and_missing_figures() -> None:
    explorer = topic.SanctionsExposureExplorer(_trade())
    explorer._partner_control.value = ()
    assert "Choose at least one partner" in explorer.summary
    assert explorer.chart is None and explorer._output.outputs == ()
    explorer._partner_control.value = ("Japan",)
    explorer._year_control.value = 2024
    assert explorer.result is None
    assert "no 2024 figure for Japan" in explorer.summary
    assert explorer.summary.startswith("Hypothetical what-if, not a forecast.")


def test_explorer_summary_is_escaped() -> None:
    explorer = topic.SanctionsExposureExplorer(_trade())
    assert "&lt;" not in explorer._summary.value  # nothing to escape in normal text
    explorer._show("a <b> & c")
    assert explorer._summary.value == "<p>a &lt;b&gt; &amp; c</p>"


def test_explorer_refuses_invalid_state_with_the_choices() -> None:
    explorer = topic.SanctionsExposureExplorer(_trade())
    with pytest.raises(traitlets.TraitError, match=r"year 2013 is not offered; choose one of \[2023, 2024, 2025\]"):
        explorer.year = 2013
    with pytest.raises(traitlets.TraitError, match=r"partner 'Russia' is not offered"):
        explorer.partners = ("Russia",)
    with pytest.raises(traitlets.TraitError, match=r"disruption_pct 101 is outside 0-100"):
        explorer.disruption_pct = 101
    with pytest.raises(ChartInputError, match="has no figures for any of"):
        topic.SanctionsExposureExplorer(_trade()[_trade()["partner"].isin(["World", "Russia"])])


def test_explorer_on_the_course_data() -> None:
    from balancing_act.data import load

    explorer = topic.SanctionsExposureExplorer(load("china_customs_trade"), year=2023)
    assert explorer.result is not None
    assert explorer.result.partners == ("United States", "European Union", "Japan")
    assert explorer.summary.startswith("Hypothetical what-if, not a forecast.")
