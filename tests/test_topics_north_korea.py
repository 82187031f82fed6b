"""Lesson 3 topic module: derived tables, chart specs and the timeline explorer, on small frames."""

from __future__ import annotations

import html

import pandas as pd
import pytest
import traitlets

from balancing_act import charts
from balancing_act.charts import ChartInputError
from balancing_act.data import DataError, describe, load
from balancing_act.live.chart import prepare
from balancing_act.topics import north_korea as nk


# ------------------------------------------------------------------ fixtures
def _trade() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "year": pd.array([2018, 2019, 2020, 2021, 2022, 2019], dtype="Int64"),
            "partner": ["North Korea"] * 5 + ["Russia"],
            "total_usd_bn": [2.4, 2.8, 0.5, 0.3, None, 110.0],
            "exports_usd_bn": [None] * 6,
            "imports_usd_bn": [None] * 6,
            "source_id": ["a"] * 6,
            "note": [None, None, "Border closed.", None, None, None],
        }
    )
    frame.attrs["source"] = "Source: Example Customs"
    return frame


def _dependence() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "year": pd.array([2019, 2020, 2021, 2022, 2019], dtype="Int64"),
            "country": ["North Korea"] * 4 + ["Russia"],
            "reporter": ["KOTRA"] * 4 + ["Russian customs (FTS)"],
            "total_trade_usd_bn": [3.2, 0.9, 0.7, 1.6, None],
            "trade_with_china_usd_bn": [3.1, 0.9, 0.8, 1.5, 108.0],
            "china_share_pct": [95.0, 88.0, 96.0, 97.0, 15.0],
            "source_id": ["k"] * 5,
            "note": ["Includes crude oil.", None, None, None, None],
        }
    )
    frame.attrs["source"] = "Source: Example Agency"
    return frame


def _votes() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "date": ["2017-12-22", "2006-10-14", "2022-05-26", "2024-03-28"],
            "document": ["S/RES/2397 (2017)", "S/RES/1718 (2006)", "US draft", "US draft"],
            "outcome": ["adopted", "adopted", "vetoed", "vetoed"],
            "in_favour": [15, 15, 13, 13],
            "against": [0, 0, 2, 1],
            "abstentions": [0, 0, 0, 1],
            "china_vote": ["yes", "yes", "no", "abstain"],
            "russia_vote": ["yes", "yes", "no", "no"],
            "summary": ["Cut oil.", "First sanctions.", "New sanctions.", "Panel renewal."],
            "source_id": ["u"] * 4,
        }
    )
    frame.attrs["source"] = "Source: Example UN"
    return frame


def _events() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "date": ["1961-07-11", "2006-10-14", "2020-01-31", "2024-06-19", "2024-10-18"],
            "event": ["Treaty signed", "Resolution 1718", "Border shut", "Russia treaty", "Troops sent"],
            "category": ["treaty", "sanctions", "border", "treaty", "military"],
            "summary": ["s1", "s2", "s3", "s4", "s5"],
            "source_id": ["e"] * 5,
        }
    )
    frame.attrs["source"] = "Source: Example Events"
    return frame


def _wide() -> pd.DataFrame:
    return nk.trade_two_sources(_trade(), _dependence())


def _timeline() -> pd.DataFrame:
    return nk.timeline_events(_events(), _votes())


# -------------------------------------------------------------------- tables
def test_trade_two_sources_lines_up_both_records_and_keeps_gaps_missing() -> None:
    wide = _wide()
    assert list(wide["year"]) == [2018, 2019, 2020, 2021, 2022]
    row = wide.set_index("year").loc[2019]
    assert row["china_customs_usd_bn"] == pytest.approx(2.8)
    assert row["kotra_usd_bn"] == pytest.approx(3.1)
    assert row["gap_usd_bn"] == pytest.approx(0.3)
    assert row["kotra_china_share_pct"] == pytest.approx(95.0)
    assert row["kotra_note"] == "Includes crude oil."
    # 2018 has no KOTRA figure and 2022 no customs figure: the gap stays missing, never zero
    assert wide.set_index("year")[["gap_usd_bn"]].loc[[2018, 2022]].isna().all().all()
    assert "Example Customs" in wide.attrs["source"] and "Example Agency" in wide.attrs["source"]
    assert wide.attrs["chart_source"].startswith("Source:")


def test_trade_two_sources_ignores_other_partners_and_reporters() -> None:
    wide = _wide()
    assert wide["china_customs_usd_bn"].max() < 100  # the Russia row is not North Korea's
    assert wide["kotra_usd_bn"].max() < 100


def test_trade_two_sources_without_north_korea_rows_says_what_to_pass() -> None:
    trade = _trade()
    trade = trade[trade["partner"] == "Russia"]
    dependence = _dependence()
    dependence = dependence[dependence["country"] == "Russia"]
    with pytest.raises(DataError, match="no North Korea rows found"):
        nk.trade_two_sources(trade, dependence)


def test_trade_two_sources_rejects_a_frame_without_the_columns() -> None:
    with pytest.raises(ChartInputError, match=r"needs the columns .*missing \['partner'"):
        nk.trade_two_sources(pd.DataFrame({"year": [2020]}), _dependence())


def test_trade_long_has_one_row_per_figure() -> None:
    long = nk.trade_long(_wide())
    assert set(long["reporter"]) == {nk.CUSTOMS, nk.KOTRA}
    assert len(long) == 4 + 4  # four customs years with a figure, four KOTRA years
    assert long["note"].map(type).eq(str).all()


def test_change_from_expresses_each_year_as_percent_of_base() -> None:
    change = nk.change_from(_wide(), 2019)
    by_year = change.set_index("year")["pct_of_base"]
    assert by_year[2019] == pytest.approx(100.0)
    assert by_year[2021] == pytest.approx(100 * 0.3 / 2.8)
    assert 2022 not in by_year.index  # no customs figure that year
    assert change.attrs["base_year"] == 2019


def test_change_from_unknown_base_year_names_the_choices() -> None:
    with pytest.raises(DataError, match=r"base year 2016; choose one of \[2018, 2019, 2020, 2021\]"):
        nk.change_from(_wide(), 2016)


def test_unsc_votes_labels_sorts_and_tallies() -> None:
    table = nk.unsc_votes(_votes())
    assert list(table["label"]) == ["1718 (2006)", "2397 (2017)", "Draft (2022)", "Draft (2024)"]
    assert list(table["tally"]) == ["15-0-0", "15-0-0", "13-2-0", "13-1-1"]
    assert list(table["year"]) == [2006, 2017, 2022, 2024]


def test_vote_pattern_groups_by_outcome_and_votes() -> None:
    pattern = nk.vote_pattern(_votes())
    rows = [tuple(r) for r in pattern[["outcome", "china_vote", "russia_vote", "votes", "first", "last"]].itertuples(index=False)]
    assert rows == [
        ("adopted", "yes", "yes", 2, 2006, 2017),
        ("vetoed", "no", "no", 1, 2022, 2022),
        ("vetoed", "abstain", "no", 1, 2024, 2024),
    ]


def test_unsc_votes_rejects_a_frame_without_vote_columns() -> None:
    with pytest.raises(ChartInputError, match="unsc_votes"):
        nk.unsc_votes(pd.DataFrame({"date": ["2020-01-01"]}))


def test_timeline_events_replaces_sanctions_rows_by_the_votes() -> None:
    events = _timeline()
    assert set(events["category"]) == {"treaty", "unsc", "border", "military"}
    unsc = events[events["category"] == "unsc"]
    assert len(unsc) == 4  # every vote once; the 1718 'sanctions' event is not doubled
    assert "Draft (2024): vetoed 13-1-1; China abstain, Russia no" in set(unsc["event"])
    assert list(events["date"]) == sorted(events["date"])
    assert events["category_label"].notna().all()


def test_timeline_events_keeps_a_sanctions_event_with_no_matching_vote() -> None:
    events = _events()
    events.loc[len(events)] = ["2016-02-10", "National sanctions", "sanctions", "s6", "e"]
    timeline = nk.timeline_events(events, _votes())
    row = timeline[timeline["event"] == "National sanctions"].iloc[0]
    assert row["category"] == "unsc"


def test_timeline_events_unknown_category_is_named() -> None:
    events = _events()
    events.loc[0, "category"] = "party"
    with pytest.raises(DataError, match=r"unknown event categories \['party'\]"):
        nk.timeline_events(events, _votes())


# -------------------------------------------------------------------- charts
def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _all_tooltips_present(spec: dict) -> None:
    for layer in _layers(spec):
        assert layer["encoding"].get("tooltip"), f"layer with mark {layer['mark']} has no tooltip"


def test_two_sources_chart_spec() -> None:
    spec = nk.two_sources_chart(_wide()).to_dict()
    assert spec["title"]["text"] == "China-North Korea trade, 2018-2022: two records of the same flow"
    assert spec["title"]["subtitle"][-1].startswith("Source:")
    assert spec["config"]["range"]["category"] == list(charts.PALETTE)
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in _layers(spec)]
    assert marks == ["rect", "text", "line"]
    line = _layers(spec)[2]["encoding"]
    assert line["color"]["legend"] == line["strokeDash"]["legend"]  # one merged legend
    assert line["y"]["title"] == "Goods trade, billion US dollars (current)"
    assert "sort" not in line["color"] and "sort" not in line["strokeDash"]  # a sort would split the legend
    _all_tooltips_present(spec)
    description = spec["description"]
    assert "lowest 0.30 in 2021" in description
    assert "the gap (KOTRA minus China's customs) ranges from 0.30 billion in 2019 to 0.50 billion in 2021" in description
    band = spec["datasets"][_layers(spec)[0]["data"]["name"]]
    assert [row["year"] for row in band] == [2020, 2021]


def test_two_sources_chart_rejects_a_wrong_frame() -> None:
    with pytest.raises(ChartInputError, match="two_sources_chart"):
        nk.two_sources_chart(pd.DataFrame({"year": [2020]}))
    with pytest.raises(ChartInputError, match="needs a pandas DataFrame, got list"):
        nk.two_sources_chart([1, 2])  # type: ignore[arg-type]


def test_china_share_chart_spec() -> None:
    spec = nk.china_share_chart(_wide()).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 100]
    assert spec["encoding"]["y"]["title"] == "China's share of North Korea's recorded trade (%)"
    assert {t["field"] for t in spec["encoding"]["tooltip"]} == {"year", "kotra_china_share_pct"}
    assert "Lowest 88.0% in 2020; highest 97.0% in 2022" in spec["description"]
    assert spec["title"]["subtitle"][-1].startswith("Source:")


def test_china_share_chart_without_shares_says_so() -> None:
    wide = _wide()
    wide["kotra_china_share_pct"] = float("nan")
    with pytest.raises(ChartInputError, match="no year has a KOTRA share"):
        nk.china_share_chart(wide)


def test_unsc_votes_chart_spec() -> None:
    spec = nk.unsc_votes_chart(nk.unsc_votes(_votes())).to_dict()
    cells, letters = _layers(spec)
    assert cells["mark"]["type"] == "rect" and letters["mark"]["type"] == "text"
    assert cells["encoding"]["x"]["sort"] == ["1718 (2006)", "2397 (2017)", "Draft (2022)", "Draft (2024)"]
    colour = cells["encoding"]["color"]["scale"]
    assert colour["domain"] == ["yes", "abstain", "no"]
    assert set(colour["range"]) <= set(charts.PALETTE)
    _all_tooltips_present(spec)
    assert "4 Security Council texts" in spec["description"]
    assert "China and Russia voted yes on 2 of them" in spec["description"]
    assert "Draft (2024) vetoed 13-1-1, China abstain, Russia no" in spec["description"]


def test_timeline_chart_spec_filters_categories_and_years() -> None:
    spec = nk.timeline_chart(_wide(), _timeline(), categories=["border", "military"], start=2019, end=2024).to_dict()
    rules, trade, markers = _layers(spec)
    assert rules["mark"]["type"] == "rule" and trade["mark"]["type"] == "line" and markers["mark"]["type"] == "point"
    _all_tooltips_present(spec)
    shown = spec["datasets"][rules["data"]["name"]]
    assert [row["event"] for row in shown] == ["Border shut", "Troops sent"]
    line = spec["datasets"][trade["data"]["name"]]
    assert [row["year"] for row in line] == [2019, 2020, 2021]  # customs only, within the years
    assert markers["encoding"]["color"]["scale"]["range"] == list(charts.PALETTE)
    assert "2 events shown: Border 1, Troops and military 1." in spec["description"]
    assert trade["encoding"]["y"]["title"] == "China-North Korea trade, billion US dollars"


def test_timeline_chart_can_add_kotra_and_show_years_without_trade() -> None:
    spec = nk.timeline_chart(_wide(), _timeline(), start=2018, end=2022, show_kotra=True).to_dict()
    trade = _layers(spec)[1]
    assert {row["reporter"] for row in spec["datasets"][trade["data"]["name"]]} == {nk.CUSTOMS, nk.KOTRA}
    early = nk.timeline_chart(_wide(), _timeline(), start=1961, end=2006).to_dict()
    assert "No trade figures for these years" in early["description"]
    assert [layer["mark"]["type"] for layer in early["layer"]] == ["rule", "point"]
    assert "Treaty 1" in early["description"]


def test_timeline_chart_bad_arguments_are_explained() -> None:
    with pytest.raises(ChartInputError, match=r"unknown categories \['weather'\]"):
        nk.timeline_chart(_wide(), _timeline(), categories=["weather"], start=2018, end=2020)
    with pytest.raises(ChartInputError, match="start 2022 is after end 2018; swap them"):
        nk.timeline_chart(_wide(), _timeline(), start=2022, end=2018)


# ------------------------------------------------------------------ explorer
def _explorer(**kwargs: object) -> nk.TimelineExplorer:
    return nk.TimelineExplorer(_wide(), _timeline(), **kwargs)


def test_explorer_starts_with_every_category_and_the_trade_years() -> None:
    explorer = _explorer()
    assert explorer.categories == ("unsc", "border", "treaty", "military")
    assert explorer.years == (2018, 2024)
    assert explorer._year_control.min == 1961 and explorer._year_control.max == 2024
    assert explorer.summary.startswith("Timeline 2018 to 2024.")
    shown = explorer._output.outputs[0]["data"]
    assert "application/vnd.vegalite.v5+json" in shown


def test_moving_the_controls_updates_summary_and_chart() -> None:
    explorer = _explorer()
    before = explorer.chart.to_dict()
    explorer._category_control.value = ("border",)
    assert explorer.categories == ("border",)
    assert "1 events shown: Border 1." in explorer.summary
    explorer._year_control.value = (1961, 2010)
    assert explorer.years == (1961, 2010)
    assert "No trade figures for these years" in explorer.summary
    assert "No events shown." in explorer.summary
    explorer._category_control.value = ()
    assert "Choose one or more kinds of event" in explorer.summary
    explorer._year_control.value = (2019, 2022)
    explorer._kotra_control.value = True
    assert explorer.show_kotra is True
    assert "KOTRA's series is shown dashed." in explorer.summary
    after = explorer.chart.to_dict()
    assert after != before
    assert after["title"]["text"] == "China-North Korea trade and events, 2019-2022"


def test_every_control_redraws_the_timeline_in_place() -> None:
    """The years are chart params (the date axis reads them), so no control rebuilds the page's chart."""
    explorer = _explorer()
    assert explorer._output.embeds == 1
    explorer._year_control.value = (2019, 2022)
    assert explorer._output.update["signals"]["ba_start"] == 2019 and explorer._output.update["signals"]["ba_end"] == 2022
    explorer._category_control.value = ("border",)
    explorer._kotra_control.value = True
    assert (explorer._output.embeds, explorer._output.updates) == (1, 3)
    spec = explorer.chart.to_dict()
    assert {"name": "ba_start", "value": 2019} in spec["params"] and {"name": "ba_end", "value": 2022} in spec["params"]
    domain = _layers(spec)[0]["encoding"]["x"]["scale"]["domain"]
    assert domain == [{"expr": "datetime(ba_start, 0, 1)"}, {"expr": "datetime(ba_end, 11, 31)"}]


def test_the_explorer_draws_what_timeline_chart_draws_after_every_change() -> None:
    """After its first charts the explorer refills their rows instead of rebuilding: the page gets the same chart."""
    explorer = _explorer()
    states = [
        {"years": (2019, 2022)},
        {"categories": ("border",)},
        {"show_kotra": True},
        {"years": (1961, 2010)},  # no trade figure: the chart without the trade line
        {"categories": ()},
        {"years": (1961, 2008), "categories": ("treaty", "unsc")},
        {"years": (2018, 2024), "show_kotra": False},
    ]
    for state in states:
        for name, value in state.items():
            setattr(explorer, name, value)
        expected = prepare(charts.fitted_spec(explorer.chart))
        assert prepare(explorer._output.current) == expected, state
    assert len(explorer._templates) == 2, "one chart built with the trade line and one without, then refilled"


def test_invalid_state_is_refused_with_the_choices() -> None:
    explorer = _explorer()
    with pytest.raises(traitlets.TraitError, match=r"categories \['summit'\] are not offered; choose from"):
        explorer.categories = ("summit",)  # no summit in the small events frame
    with pytest.raises(traitlets.TraitError, match=r"years \(1950, 2000\) fall outside the range offered, 1961 to 2024"):
        explorer.years = (1950, 2000)
    with pytest.raises(traitlets.TraitError, match="the first year is after the last; swap them"):
        explorer.years = (2020, 2019)


def test_categories_are_kept_in_legend_order() -> None:
    explorer = _explorer(categories=["military", "border"])
    assert explorer.categories == ("border", "military")
    assert explorer._category_control.value == ("border", "military")


def test_controls_are_labelled_summary_is_escaped_and_repr_is_short() -> None:
    explorer = _explorer(years=(2019, 2021))
    assert explorer._category_control.description == "Events"
    assert explorer._year_control.description == "Years"
    assert "KOTRA" in explorer._kotra_control.description
    assert explorer._summary.value.startswith("<p>") and "<script" not in explorer._summary.value
    assert repr(explorer) == "TimelineExplorer(years=2019-2021, categories=4 of 4, show_kotra=False)"


def test_summary_html_is_the_escaped_summary() -> None:
    explorer = _explorer()
    assert explorer._summary.value == f"<p>{html.escape(explorer.summary)}</p>"


def test_figures_quoted_in_lesson_3_on_the_bank_of_korea_estimates() -> None:
    bok = load("dprk_bok_estimates").set_index("year")
    assert (bok.loc[2020, "real_gdp_growth_pct"], bok.loc[2023, "real_gdp_growth_pct"], bok.loc[2024, "real_gdp_growth_pct"]) == (-4.5, 3.1, 3.7)
    # 2024 is the highest growth in the table since 2016 (the release's own comparison).
    assert bok.loc[2017:2023, "real_gdp_growth_pct"].max() < bok.loc[2024, "real_gdp_growth_pct"]
    # The border closure the lesson ties to 2020 is in the course's own event list.
    events = load("dprk_events")
    assert events["date"].str.startswith("2020-01").any()
    # Every figure comes from a report of a Bank of Korea release, dated.
    assert all(s["grade"] == "report" and "Bank of Korea" in s["reporting_body"] for s in describe("dprk_bok_estimates").sources)
