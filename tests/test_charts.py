"""Chart builders: the spec they produce carries title, source, description, tooltips and palette."""

from __future__ import annotations

import subprocess
import sys

import altair as alt
import pandas as pd
import pytest

from balancing_act import charts
from balancing_act.charts import ChartInputError


def _trade() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "year": pd.array([2020, 2021, 2022], dtype="Int64"),
            "total_usd_bn": [10.0, 30.5, 20.0],
            "exports_usd_bn": [4.0, 10.0, 8.0],
            "imports_usd_bn": [6.0, 20.5, 12.0],
        }
    )
    frame.attrs["source"] = "Source: Example Customs"
    return frame


def _partners() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "partner": ["United States", "Russia", "North Korea"],
            "total_usd_bn": [100.0, 40.0, 2.0],
            "share_pct": [10.0, 4.0, 0.2],
        }
    )
    frame.attrs["source"] = "Source: Example Customs"
    return frame


def _spec(chart: alt.Chart) -> dict:
    return chart.to_dict()


def test_trade_over_time_spec() -> None:
    spec = _spec(charts.trade_over_time(_trade(), partner="Russia"))
    assert spec["$schema"].endswith("/v5.json") or "/v5." in spec["$schema"]
    assert spec["title"]["text"] == "China's goods trade with Russia, 2020-2022"
    assert spec["title"]["subtitle"] == ["Source: Example Customs"]
    assert "Total trade peaks at 30.5 billion in 2021" in spec["description"]
    assert spec["encoding"]["y"]["title"] == "Billion US dollars (current)"
    assert {t["field"] for t in spec["encoding"]["tooltip"]} == {"year", "series", "usd_bn"}
    assert spec["config"]["range"]["category"] == list(charts.PALETTE)
    data = next(iter(spec["datasets"].values()))
    assert len(data) == 9  # three years x three series, long form


def test_missing_values_are_dropped_not_drawn_as_zero() -> None:
    frame = _trade()
    frame.loc[0, "exports_usd_bn"] = None
    spec = _spec(charts.trade_over_time(frame, partner="Russia"))
    data = next(iter(spec["datasets"].values()))
    assert len(data) == 8
    assert all(row["usd_bn"] is not None for row in data)


def test_a_missing_year_stays_on_the_axis_and_breaks_the_line() -> None:
    frame = pd.concat([_trade(), _trade().assign(year=pd.array([2024, 2025, 2026], dtype="Int64"))], ignore_index=True)
    frame = frame[frame["year"] != 2024].copy()
    frame.loc[frame["year"] == 2022, ["total_usd_bn", "exports_usd_bn", "imports_usd_bn"]] = None
    frame.attrs["source"] = "Source: Example Customs"
    spec = _spec(charts.trade_over_time(frame, partner="Russia"))
    assert spec["encoding"]["x"]["scale"]["domain"] == list(range(2020, 2027))
    rows = next(iter(spec["datasets"].values()))
    totals = {r["year"]: r["line"] for r in rows if r["series"] == "Total trade"}
    assert totals[2020] == totals[2021] != totals[2025] == totals[2026]  # no line across 2022-2024
    assert spec["encoding"]["detail"]["field"] == "line"
    assert "No figure for 2022, 2023, 2024." in spec["description"]


def test_partner_bars_spec() -> None:
    spec = _spec(charts.partner_bars(_partners(), year=2024))
    rows = next(iter(spec["datasets"].values()))
    assert [r["partner"] for r in rows] == ["United States", "Russia", "North Korea"]
    assert {r["partner"]: r["group"] for r in rows}["Russia"] == "Russia and North Korea"
    assert "share_pct" in {t["field"] for t in spec["encoding"]["tooltip"]}
    assert spec["encoding"]["y"]["sort"] == "-x"
    assert spec["description"].startswith("Bar chart of China's trade with 3 partners in 2024")
    assert "United States 100.0; Russia 40.0; North Korea 2.0" in spec["description"]


def test_partner_bars_without_shares_has_no_share_tooltip() -> None:
    frame = _partners()
    frame["share_pct"] = float("nan")
    spec = _spec(charts.partner_bars(frame, year=2025))
    assert "share_pct" not in {t["field"] for t in spec["encoding"]["tooltip"]}


def test_partner_bars_all_missing_says_so() -> None:
    frame = _partners()
    frame["total_usd_bn"] = float("nan")
    with pytest.raises(ChartInputError, match=r"no partner has a 'total_usd_bn' figure for 2025"):
        charts.partner_bars(frame, year=2025)


def test_asymmetry_chart() -> None:
    frame = pd.DataFrame(
        {
            "partner": ["Russia", "Russia"],
            "perspective": ["Russia's share of China's trade", "China's share of Russia's trade"],
            "share_pct": [4.0, 30.0],
        }
    )
    spec = _spec(charts.asymmetry_chart(frame, source="Source: X"))
    assert spec["encoding"]["row"]["field"] == "partner"
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert "China's share of Russia's trade 30.0%" in spec["description"]


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ([1, 2], r"trade_over_time\(\) needs a pandas DataFrame, got list"),
        (pd.DataFrame({"x": [1]}), r"needs the columns \['year'\]; missing \['year'\]"),
        (pd.DataFrame({"year": []}), r"needs at least one of|empty frame"),
        (pd.DataFrame({"year": [2020], "total_usd_bn": [1.0]}), r"carries no source and none was given"),
    ],
)
def test_bad_input_messages(frame: object, message: str) -> None:
    with pytest.raises(ChartInputError, match=message):
        charts.trade_over_time(frame, partner="Russia")  # type: ignore[arg-type]


def test_mimebundle_is_vegalite_v5_with_text_alternative() -> None:
    chart = charts.trade_over_time(_trade(), partner="Russia")
    bundle = charts.mimebundle(chart)
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "text/plain"}
    assert bundle["text/plain"].startswith("Line chart of China's goods trade with Russia")


def test_builders_do_not_change_global_altair_settings() -> None:
    renderer, theme = alt.renderers.active, alt.theme.active
    charts.trade_over_time(_trade(), partner="Russia")
    charts.partner_bars(_partners(), year=2024)
    assert (alt.renderers.active, alt.theme.active) == (renderer, theme)


def test_series_lines_share_one_domain_for_colour_and_dash() -> None:
    data = pd.DataFrame({"year": [2020, 2021, 2020], "who": ["B", "B", "A"], "v": [1.0, 2.0, 3.0]})
    spec = charts.series_lines(
        data, x=alt.X("year:O"), y=alt.Y("v:Q"), series="who", order=["A", "B"], tooltip=[alt.Tooltip("v:Q")], legend_on_top=True
    ).to_dict()
    enc = spec["encoding"]
    assert enc["color"]["scale"]["domain"] == enc["strokeDash"]["scale"]["domain"] == ["A", "B"]
    assert enc["color"]["legend"] == {"orient": "top"} and "legend" not in enc["strokeDash"]
    assert spec["mark"] == {"type": "line", "point": True}


def test_series_ends_gives_first_and_last_row_in_order_and_skips_absent_series() -> None:
    data = pd.DataFrame({"year": [2021, 2019, 2020, 2020], "who": ["B", "B", "B", "A"], "v": [3, 1, 2, 9]})
    ends = charts.series_ends(data, "who", ["A", "B", "C"])
    assert [(name, int(first["v"]), int(last["v"])) for name, first, last in ends] == [("A", 9, 9), ("B", 1, 3)]


def test_described_leaves_anything_but_a_chart_alone() -> None:
    from balancing_act.checks import ____

    before = type(____)
    assert charts.described(____) is ____ and type(____) is before
    assert charts.described(None) is None


# ------------------------------------------------ descriptions derived for learners' charts
def _shown(chart: alt.TopLevelMixin) -> tuple[str, dict]:
    """What a notebook stores for a chart passed through described(): its plain text and its spec."""
    with alt.renderers.enable("mimetype"):
        bundle, _meta = charts.described(chart)._repr_mimebundle_()
    return bundle["text/plain"], bundle["application/vnd.vegalite.v5+json"]


def test_a_learners_chart_without_a_description_gets_one_from_its_mark_fields_and_data() -> None:
    """Without it GitHub and nbviewer show Altair's renderer message, or a bare 'no description'."""
    chart = alt.Chart(_partners()).mark_bar().encode(x="total_usd_bn:Q", y="partner:N")
    plain, spec = _shown(chart)
    assert plain == spec["description"], "the SVG's ARIA label and the plain text must say the same"
    assert plain == "Bar chart of total usd bn by partner: lowest 2 (North Korea), highest 100 (United States)."
    assert "renderer" not in plain and "no description" not in plain


def test_a_derived_description_uses_the_axis_titles_and_the_chart_title() -> None:
    chart = alt.Chart(_trade()).mark_line().encode(
        x=alt.X("year:O", title="Year"), y=alt.Y("total_usd_bn:Q", title="Trade, US$ billion")
    ).properties(title=alt.TitleParams("Trade peaked in 2021", subtitle=["Source: Example Customs"]))
    plain, _spec = _shown(chart)
    assert plain.startswith("Line chart of Trade, US$ billion by Year, titled “Trade peaked in 2021”: ")
    assert "lowest 10 (2020), highest 30.5 (2021)" in plain


def test_a_derived_description_counts_records_per_category_and_names_missing_values() -> None:
    votes = pd.DataFrame({"vote": ["abstain", "yes", "abstain", "no", "abstain", "no"]})
    plain, _spec = _shown(alt.Chart(votes).mark_bar().encode(x="count():Q", y="vote:N"))
    assert plain == "Bar chart of count of records by vote: abstain 3, no 2, yes 1."
    gaps = pd.DataFrame({"year": [2014, 2015, 2016, 2017], "tonnes": [33.1, None, 52.5, None]})
    plain, _spec = _shown(alt.Chart(gaps).mark_line().encode(x="year:O", y="tonnes:Q"))
    assert plain.endswith("lowest 33.1 (2014), highest 52.5 (2016); no value for 2015, 2017.")


def test_a_derived_description_gives_no_range_when_the_chart_filters_its_data() -> None:
    """The inline data are not what the chart draws after a filter, so their range would mislead."""
    chart = alt.Chart(_partners()).mark_bar().encode(x="share_pct:Q", y="partner:N").transform_filter(
        alt.datum.share_pct < 5
    )
    plain, _spec = _shown(chart)
    assert plain == "Bar chart of share pct by partner."


def test_a_derived_description_of_a_timeline_and_of_a_layered_chart() -> None:
    events = pd.DataFrame({"date": ["2022-06-28", "2024-05-01", "2023-01-09"], "actor": ["US", "EU", "US"]})
    plain, _spec = _shown(alt.Chart(events).mark_point().encode(x="date:T", y="actor:N", color="actor:N"))
    assert plain == "Scatter plot of actor over date: 3 marks from 2022-06-28 to 2024-05-01; US 2, EU 1."
    base = alt.Chart(_trade()).encode(x="year:O", y="total_usd_bn:Q")
    plain, spec = _shown(base.mark_line() + base.mark_point())
    assert plain == spec["description"] == "Line chart of total usd bn by year: lowest 10 (2020), highest 30.5 (2021)."


def test_a_description_the_author_gave_is_kept() -> None:
    chart = alt.Chart(_partners()).mark_bar().encode(x="total_usd_bn:Q", y="partner:N").properties(description="Mine.")
    assert _shown(chart)[0] == "Mine."
    assert charts.mimebundle(chart)["text/plain"] == "Mine."
    bare = alt.Chart(_partners()).mark_bar().encode(x="total_usd_bn:Q", y="partner:N")
    bundle = charts.mimebundle(bare)
    assert bundle["text/plain"] == bundle["application/vnd.vegalite.v5+json"]["description"] != ""


def _finished_the_long_way(chart: alt.Chart, title: str, source: str, description: str, width: int, height: int) -> dict:
    """What finish() gave when it was written with Altair's copying methods."""
    return (
        chart.properties(
            title=alt.TitleParams(text=title, subtitle=[source], anchor="start"),
            description=description,
            width=width,
            height=height,
        )
        .configure_range(category=list(charts.PALETTE))
        .configure_title(fontSize=15, subtitleFontSize=11)
        .configure_axis(labelFontSize=11, titleFontSize=12)
        .configure_legend(labelFontSize=11, titleFontSize=12)
        .to_dict()
    )


@pytest.mark.parametrize("kind", ["single", "layer", "configured"])
def test_finish_gives_what_altairs_copying_methods_give_and_leaves_its_input_alone(kind: str) -> None:
    frame = pd.DataFrame({"year": [2021, 2022, 2023], "value": [1.0, 2.5, 2.0]})
    line = alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q", tooltip=["year:O", "value:Q"])
    chart = {"single": line, "layer": alt.layer(line, line.mark_point()), "configured": line.configure_view(stroke=None)}[kind]
    before = chart.to_dict()
    made = charts.finish(chart, "A title", "Source: a test", "A description.", width=420, height=210)
    assert made.to_dict() == _finished_the_long_way(chart, "A title", "Source: a test", "A description.", 420, 210)
    assert chart.to_dict() == before, "finish() changed the chart it was given"


def test_importing_the_chart_stack_compiles_no_grammar() -> None:
    """Every kernel imports altair (and with it jsonschema's format checkers) before its first cell.

    jsonschema 4.24 and later import rfc3987-syntax, which compiles an Earley grammar at import
    (about 1.5 s on 2 cores, in every kernel and every Jupyter server); pyproject keeps jsonschema
    below 4.24. A fresh process shows whether that module comes in.
    """
    probe = "import sys, altair, jsonschema; from balancing_act import charts; print(sorted(m for m in sys.modules if m.split('.')[0] in ('rfc3987_syntax', 'lark')))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", f"importing altair also imported {result.stdout.strip()}"
