"""Lesson 8 topic module: the indicator table, its charts, the guide, the rubric and the explorer.

Most tests use small frames, so they check the logic without depending on the course data;
a few run on the real data to pin the figures the lesson text relies on.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import traitlets

from balancing_act import charts
from balancing_act.charts import ChartInputError
from balancing_act.topics import implications as im

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture()
def real_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALANCING_ACT_DATA", str(DATA))


def _frame(rows: list[dict], source: str = "Source: test") -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame.attrs["source"] = source
    return frame


def _frames() -> dict[str, pd.DataFrame]:
    """Small versions of the seven datasets the indicators read."""
    trade = _frame(
        [
            {"year": 2020, "partner": "World", "total_usd_bn": 1000.0},
            {"year": 2020, "partner": "Russia", "total_usd_bn": 20.0},
            {"year": 2021, "partner": "Russia", "total_usd_bn": 30.0},
            {"year": 2022, "partner": "World", "total_usd_bn": 1200.0},
            {"year": 2022, "partner": "Russia", "total_usd_bn": 60.0},
            {"year": 2022, "partner": "North Korea", "total_usd_bn": 1.0},
        ]
    )
    crude = _frame(
        [
            {"year": 2020, "supplier": "Russia", "rank": 2},
            {"year": 2021, "supplier": "Russia", "rank": None},
            {"year": 2022, "supplier": "Russia", "rank": 1},
            {"year": 2022, "supplier": "Saudi Arabia", "rank": 2},
        ]
    )
    gas = _frame([{"year": 2019, "bcm": None}, {"year": 2020, "bcm": 4.0}, {"year": 2021, "bcm": 10.0}])
    sanctions = _frame(
        [
            {"date": "2022-06-28", "actor": "United States"},
            {"date": "2022-06-29", "actor": "China"},
            {"date": "2024-05-01", "actor": "European Union"},
            {"date": "2024-06-01", "actor": "Japan"},
        ]
    )
    votes = _frame(
        [
            {"date": "2022-03-02", "china_vote": "abstain"},
            {"date": "2022-04-07", "china_vote": "no"},
            {"date": "2023-02-23", "china_vote": "abstain"},
        ]
    )
    events = _frame(
        [
            {"date": "2005-08-18", "type": "land_exercise", "participants": "China; Russia"},
            {"date": "2012-04-22", "type": "naval_exercise", "participants": "China; Russia"},
            {"date": "2014-05-20", "type": "naval_exercise", "participants": "China; Russia"},
            {"date": "2014-07-01", "type": "air_patrol", "participants": "China; Russia; Iran"},
            {"date": "2014-08-01", "type": "parade", "participants": "China; Russia"},
            {"date": "2014-09-01", "type": "naval_exercise", "participants": "Russia; North Korea"},
        ]
    )
    dependence = _frame(
        [
            {"year": 2018, "country": "North Korea", "reporter": "KOTRA", "china_share_pct": 95.8},
            {"year": 2019, "country": "North Korea", "reporter": "KOTRA", "china_share_pct": 95.4},
            {"year": 2016, "country": "North Korea", "reporter": "ITC Trade Map", "china_share_pct": 91.5},
            {"year": 2018, "country": "Russia", "reporter": "Russian customs (FTS)", "china_share_pct": 15.7},
        ]
    )
    return {
        "china_customs_trade": trade,
        "china_crude_imports": crude,
        "power_of_siberia": gas,
        "sanctions_measures": sanctions,
        "unga_ukraine_votes": votes,
        "military_events": events,
        "partner_dependence": dependence,
    }


def _values(table: pd.DataFrame, key: str) -> dict[int, float]:
    part = table[table["indicator"] == im.INDICATORS[key].label]
    return dict(zip(part["year"], part["value"]))


# ---------------------------------------------------------------- the table
def test_dashboard_is_tidy_and_computes_each_indicator() -> None:
    table = im.indicator_dashboard(_frames())
    assert list(table.columns) == list(im.COLUMNS)
    assert table["year"].dtype.kind == "i" and table["value"].dtype.kind == "f"
    assert _values(table, "russia_trade") == {2020: 20.0, 2021: 30.0, 2022: 60.0}
    assert _values(table, "russia_share") == {2020: 2.0, 2022: 5.0}  # 2021 has no world total: left out
    assert _values(table, "crude_rank") == {2020: 2.0, 2022: 1.0}  # a missing rank is not guessed
    assert _values(table, "pipeline_gas") == {2020: 4.0, 2021: 10.0}
    assert _values(table, "sanctions") == {2022: 1.0, 2023: 0.0, 2024: 2.0}  # China's responses not counted
    assert _values(table, "unga_abstain") == {2022: 50.0, 2023: 100.0}
    # from 2012 on; joint (both China and Russia), and exercises or patrols only
    assert _values(table, "joint_drills") == {2012: 1.0, 2013: 0.0, 2014: 2.0}
    assert _values(table, "nk_dependence") == {2018: 95.8, 2019: 95.4}
    units = dict(zip(table["indicator"], table["unit"]))
    assert units[im.INDICATORS["crude_rank"].label].startswith("rank")
    assert set(table["dataset"]) == {ind.dataset for ind in im.INDICATORS.values()}
    assert table.attrs["keys"] == list(im.INDICATORS)
    assert table.attrs["source"].startswith("Source: China's customs, Gazprom")


def test_dashboard_selects_indicators_and_names_a_bad_key() -> None:
    table = im.indicator_dashboard(_frames(), indicators=["sanctions", "russia_trade"])
    assert list(dict.fromkeys(table["indicator"])) == [im.INDICATORS["sanctions"].label, im.INDICATORS["russia_trade"].label]
    assert table.attrs["source"] == "Source: Western governments and China's customs, as reported (see data/datapackage.json)"
    with pytest.raises(im.IndicatorError, match=r"unknown indicator 'gdp'\. Choose from \['russia_trade'"):
        im.indicator_dashboard(_frames(), indicators=["gdp"])


def test_dashboard_names_a_frame_without_the_needed_columns() -> None:
    frames = _frames()
    frames["power_of_siberia"] = _frame([{"year": 2020, "gas": 4.0}])
    with pytest.raises(ChartInputError, match=r"indicator_dashboard \(power_of_siberia\)\(\) needs the columns \['year', 'bcm'\]"):
        im.indicator_dashboard(frames, indicators=["pipeline_gas"])


def test_real_dashboard_pins_the_figures_the_lesson_uses(real_data: None) -> None:
    table = im.indicator_dashboard()
    assert len(table.attrs["keys"]) == 8 and not table["value"].isna().any()
    summary = im.indicator_summary(table).set_index("indicator")
    peaks = summary["peak_year"]
    assert sum(2023 <= peaks[ind.label] <= 2025 for ind in im.INDICATORS.values()) == 7  # "most rows" in the lesson
    assert _values(table, "sanctions") == {2022: 1.0, 2023: 4.0, 2024: 7.0, 2025: 6.0}  # quoted in the claim
    assert [y for y, r in _values(table, "crude_rank").items() if r == 1] == [2016, 2017, 2018, 2023, 2024]
    assert summary.loc[im.INDICATORS["crude_rank"].label, "peak"] == 1.0


# ---------------------------------------------------------------- summaries
def test_summary_gives_first_latest_and_peak_with_rank_reversed() -> None:
    table = im.indicator_dashboard(_frames())
    summary = im.indicator_summary(table).set_index("indicator")
    trade = summary.loc[im.INDICATORS["russia_trade"].label]
    assert (trade["years"], trade["figures"], trade["first"], trade["latest"], trade["peak"], trade["peak_year"]) == (
        "2020-2022", 3, 20.0, 60.0, 60.0, 2022
    )
    rank = summary.loc[im.INDICATORS["crude_rank"].label]
    assert (rank["peak"], rank["peak_year"]) == (1.0, 2022)


def test_guide_and_markdown_cover_every_indicator() -> None:
    guide = im.indicator_guide()
    assert list(guide["key"]) == list(im.INDICATORS)
    assert guide[["measures", "holds_if", "strains_if", "change_my_mind"]].map(len).min().min() > 20
    text = im.guide_markdown(["sanctions"])
    assert text.count("\n") == 2 and "`sanctions_measures`" in text and "| **Western sanctions on Chinese firms" in text
    with pytest.raises(im.IndicatorError, match="unknown indicator 'x'"):
        im.indicator_guide(["x"])


def test_rubric_has_six_criteria_and_three_levels() -> None:
    assert len(im.RUBRIC) == 6 and all(len(levels) == len(im.RUBRIC_LEVELS) == 3 for levels in im.RUBRIC.values())
    text = im.rubric_markdown()
    assert text.splitlines()[0] == "| Criterion | Beginning | Developing | Secure |"
    assert len(text.splitlines()) == 8 and "Limits of the data" in text


def test_commitments_lists_treaties_and_statements_in_date_order() -> None:
    events = _frame(
        [
            {"date": "2024-06-19", "name": "B", "participants": "Russia; North Korea", "type": "treaty", "combat_commitment": "yes"},
            {"date": "2001-07-16", "name": "A", "participants": "China; Russia", "type": "treaty", "combat_commitment": "no"},
            {"date": "2010-01-01", "name": "X", "participants": "China; Russia", "type": "naval_exercise", "combat_commitment": "no"},
        ]
    )
    out = im.commitments(events)
    assert list(out["name"]) == ["A", "B"] and list(out.columns) == ["date", "name", "participants", "type", "combat_commitment"]
    with pytest.raises(ChartInputError, match="commitments"):
        im.commitments(events.drop(columns=["combat_commitment"]))


# ------------------------------------------------------------------- charts
def test_dashboard_chart_has_one_panel_per_indicator_with_its_unit() -> None:
    table = im.indicator_dashboard(_frames())
    spec = im.dashboard_chart(table).to_dict()
    panels = spec["concat"]
    assert len(panels) == 8 and spec["columns"] == 2
    assert spec["resolve"]["scale"]["y"] == "independent"
    # every panel's x axis reads the shared year range from the chart's params
    assert spec["params"] == [{"name": "ba_first", "value": 2012}, {"name": "ba_last", "value": 2024}]
    assert spec["title"]["text"].startswith("Indicators to watch") and spec["title"]["subtitle"] == [table.attrs["source"]]
    for panel, ind in zip(panels, im.INDICATORS.values()):
        assert panel["title"]["text"] == ind.label
        assert panel["encoding"]["y"]["title"] == ind.unit
        assert panel["encoding"]["x"]["scale"]["domain"] == [{"expr": "ba_first"}, {"expr": "ba_last"}]
        assert {t["field"] for t in panel["encoding"]["tooltip"]} == set(im.COLUMNS)
    rank = panels[2]["encoding"]["y"]
    assert rank["scale"]["reverse"] is True and rank["axis"]["values"] == [1, 2, 3]
    assert panels[4]["encoding"]["y"]["scale"]["zero"] is True  # a count starts at zero
    assert "China-Russia goods trade (billion US$): 2020 20.0, 2022 60.0" in spec["description"]
    assert spec["config"]["range"]["category"][0] == "#0072B2"


def test_dashboard_chart_rejects_bad_input_with_the_fix() -> None:
    table = im.indicator_dashboard(_frames())
    with pytest.raises(ChartInputError, match=r"needs the columns \['indicator', 'year', 'value', 'unit', 'dataset'\]; missing \['unit'\]"):
        im.dashboard_chart(table.drop(columns=["unit"]))
    with pytest.raises(ChartInputError, match="must hold numbers"):
        im.dashboard_chart(table.assign(value="high"))
    with pytest.raises(ChartInputError, match="every value is missing"):
        im.dashboard_chart(table.assign(value=float("nan")))
    with pytest.raises(ChartInputError, match="columns must be a whole number of 1 or more, not 0"):
        im.dashboard_chart(table, columns=0)
    bare = table.copy()
    bare.attrs = {}
    with pytest.raises(ChartInputError, match="carries no source"):
        im.dashboard_chart(bare)
    assert im.dashboard_chart(bare, source="Source: mine").to_dict()["title"]["subtitle"] == ["Source: mine"]


def test_coverage_chart_scales_each_row_and_reports_gaps() -> None:
    table = im.indicator_dashboard(_frames())
    chart = im.coverage_chart(table)
    spec = chart.to_dict()
    assert spec["mark"]["type"] == "rect"
    assert spec["encoding"]["y"]["sort"] == [ind.label for ind in im.INDICATORS.values()]
    assert spec["encoding"]["color"]["scale"]["domain"] == [0, 1]
    assert {t["field"] for t in spec["encoding"]["tooltip"]} >= {"indicator", "year", "shown", "dataset"}
    data = chart.data.set_index(["indicator", "year"])["level"]
    assert data[(im.INDICATORS["russia_trade"].label, 2022)] == 1.0 and data[(im.INDICATORS["russia_trade"].label, 2020)] == 0.0
    assert data[(im.INDICATORS["crude_rank"].label, 2022)] == 1.0  # rank 1 is the best place
    assert "Russia's share of China's goods trade: 2020-2022, highest 5.00 % of China's total in 2022, no figure for 2021" in spec["description"]
    assert spec["title"]["subtitle"][-1].startswith("Source:")
    with pytest.raises(ChartInputError, match="coverage_chart"):
        im.coverage_chart(pd.DataFrame())


# ----------------------------------------------------------------- explorer
def test_explorer_starts_with_the_default_pick_and_prompts() -> None:
    explorer = im.IndicatorExplorer(im.indicator_dashboard(_frames()))
    assert explorer.indicators == im.DEFAULT_PICK
    assert explorer._control.value == im.DEFAULT_PICK
    lines = explorer.summary.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("China-Russia goods trade: 20.0 in 2020, 60.0 in 2022 (billion US$; 3 figures). What would change my mind?")
    assert "<b>What would change my mind?</b>" in explorer._summary.value
    shown = [o["data"]["text/plain"] for o in explorer._output.outputs]
    labels = [im.INDICATORS[k].label for k in explorer._offered if k in im.DEFAULT_PICK]
    assert len(shown) == 4 and all(text.startswith(f"Line chart. {label} (") for text, label in zip(shown, labels))
    assert repr(explorer) == "IndicatorExplorer(indicators=('russia_trade', 'sanctions', 'unga_abstain', 'nk_dependence'))"


def test_moving_the_control_updates_summary_and_chart() -> None:
    explorer = im.IndicatorExplorer(im.indicator_dashboard(_frames()), indicators=["russia_trade"])
    assert explorer.chart.to_dict()["columns"] == 1
    explorer._control.value = ("crude_rank", "pipeline_gas")
    assert explorer.indicators == ("crude_rank", "pipeline_gas")
    assert explorer.summary.startswith("Russia's rank among China's crude oil suppliers: 2 in 2020, 1 in 2022")
    assert [p["title"]["text"] for p in explorer.chart.to_dict()["concat"]] == [
        im.INDICATORS["crude_rank"].label,
        im.INDICATORS["pipeline_gas"].label,
    ]
    explorer._control.value = ()
    assert explorer.chart is None and explorer._output.outputs == ()
    assert explorer.summary.startswith("No indicator chosen")


@pytest.mark.parametrize(
    "pick", [("russia_trade",), ("crude_rank", "pipeline_gas"), ("sanctions", "russia_share", "joint_drills"), tuple(im.INDICATORS)]
)
def test_the_explorer_shows_the_panels_dashboard_chart_draws(pick: tuple[str, ...]) -> None:
    """The page shows the chosen panels over the years dashboard_chart() gives them, each panel as
    the dashboard draws it (its rows, marks, scales and title), on its own with its source line."""
    table = im.indicator_dashboard(_frames())
    explorer = im.IndicatorExplorer(table, indicators=pick)
    labels = [im.INDICATORS[k].label for k in pick]
    shown = table[table["indicator"].isin(labels)]
    shown.attrs["source"] = im._source_line([im.INDICATORS[k].dataset for k in pick])
    expected = im.dashboard_chart(shown, columns=2 if len(pick) > 1 else 1).to_dict()
    assert explorer.chart.to_dict() == expected
    years = {p["name"]: p["value"] for p in expected["params"]}
    panels = explorer._output.current
    assert len(panels) == len(expected["concat"]) and explorer._output.columns == expected["columns"]
    for panel, drawn in zip(panels, expected["concat"]):
        assert {p["name"]: p["value"] for p in panel["params"]} == years, "a panel's years are not the dashboard's"
        rows = (drawn.get("data") or expected["data"])["name"]  # Altair lifts a lone panel's data to the top
        assert panel["datasets"][panel["data"]["name"]] == expected["datasets"][rows]
        assert (panel["mark"], panel["encoding"], panel["width"], panel["height"]) == (drawn["mark"], drawn["encoding"], drawn["width"], drawn["height"])
        label = drawn["title"]["text"]
        dataset = next(k for k, ind in im.INDICATORS.items() if ind.label == label)
        text = panel["title"]["text"]  # a long label wraps to the panel's width
        assert " ".join(text if isinstance(text, list) else [text]) == label
        assert " ".join(panel["title"]["subtitle"]) == im._source_line([im.INDICATORS[dataset].dataset])
        assert panel["description"].startswith(f"Line chart. {label} (")
    assert explorer._output.description == expected["description"]


def test_a_choice_shows_panels_drawn_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new choice shows and hides panels embedded at the start: nothing is built or embedded again."""
    table = im.indicator_dashboard(_frames())
    explorer = im.IndicatorExplorer(table, indicators=["russia_trade"])
    built: list[str] = []
    for name in ("_panel", "_panel_spec", "_dashboard"):
        real = getattr(im, name)
        monkeypatch.setattr(im, name, lambda *a, _real=real, _name=name, **k: built.append(_name) or _real(*a, **k))
    for pick in [("russia_trade", "sanctions"), ("crude_rank",), tuple(im.INDICATORS), ()]:
        explorer.indicators = pick
    assert built == [] and explorer._output.embeds == 1
    assert explorer._output.shown == [] and explorer._output.outputs == ()
    explorer.indicators = ("sanctions", "russia_trade")
    assert explorer._output.shown == sorted([explorer._offered.index("russia_trade"), explorer._offered.index("sanctions")])
    assert explorer.chart is not None and built == ["_dashboard"], "the whole chart is made when asked for"


def test_explorer_refuses_unknown_indicators_and_escapes_text() -> None:
    explorer = im.IndicatorExplorer(im.indicator_dashboard(_frames(), indicators=["russia_trade", "sanctions"]))
    assert explorer.indicators == ("russia_trade", "sanctions")  # only offered defaults
    with pytest.raises(traitlets.TraitError, match=r"indicator 'crude_rank' is not offered; choose from \['russia_trade', 'sanctions'\]"):
        explorer.indicators = ("crude_rank",)
    assert explorer._control.description == "Indicators"
    assert "<script" not in explorer._summary.value and "&#x27;" in explorer._summary.value


def test_explorer_needs_course_indicators() -> None:
    odd = _frame([{"indicator": "Something else", "year": 2020, "value": 1.0, "unit": "u", "dataset": "d"}])
    with pytest.raises(ChartInputError, match="holds none of the course indicators"):
        im.IndicatorExplorer(odd)
