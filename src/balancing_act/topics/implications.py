"""Lesson 8: implications for global politics, and a capstone.

The lesson asks two questions of the article's closing sections: is the world moving
from rigid alliances to flexible arrangements, and how would we know whether China's
balancing act is succeeding or failing? This module turns the second question into a
set of *indicators* that can be watched year by year, each built from a course dataset
through :func:`balancing_act.data.load`:

===========================  ========================  ==============================
indicator key                what it counts            dataset
===========================  ========================  ==============================
``russia_trade``             China-Russia goods trade  ``china_customs_trade``
``russia_share``             Russia's share of China's ``china_customs_trade``
                             goods trade
``crude_rank``               Russia's rank among       ``china_crude_imports``
                             China's crude suppliers
``pipeline_gas``             Power of Siberia gas      ``power_of_siberia``
``sanctions``                Western measures on       ``sanctions_measures``
                             Chinese firms per year
``unga_abstain``             China's abstentions on    ``unga_ukraine_votes``
                             UN votes about Ukraine
``joint_drills``             China-Russia exercises    ``military_events``
                             and patrols per year
``nk_dependence``            China's share of North    ``partner_dependence``
                             Korea's trade (KOTRA)
===========================  ========================  ==============================

:func:`indicator_dashboard` returns them as one tidy table (``indicator``, ``year``,
``value``, ``unit``, ``dataset``); :func:`dashboard_chart` draws one panel per indicator,
each with its own scale and unit; :func:`coverage_chart` shows all indicators on one
time line, to see when each peaked and where the data have gaps.
:class:`IndicatorExplorer` lets a learner pick indicators and shows, for each, a
"what would change my mind?" prompt.

For the capstone, :data:`RUBRIC` holds the assessment criteria and their levels, and
:func:`rubric_markdown` renders them; the exercise module checks a learner's evidence
table, chart and written judgement.

Every indicator is a reading of recorded figures, not a forecast, and two of them
(sanctions measures, joint exercises) count entries in lists compiled for the course
from official and press reports (the sanctions list says it is a selection, not a
complete register). Importing this module reads nothing and changes no
global setting.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import altair as alt
import ipywidgets as widgets
import pandas as pd
import traitlets

from balancing_act.fallback import KernelFallback
from balancing_act.live.chart import LivePanels
from balancing_act import charts
from balancing_act.charts import ChartInputError
from balancing_act.data import load

__all__ = [
    "COLUMNS",
    "DEFAULT_PICK",
    "DRILL_TYPES",
    "INDICATORS",
    "RUBRIC",
    "RUBRIC_LEVELS",
    "Indicator",
    "IndicatorError",
    "IndicatorExplorer",
    "commitments",
    "coverage_chart",
    "dashboard_chart",
    "guide_markdown",
    "indicator_dashboard",
    "indicator_guide",
    "indicator_summary",
    "rubric_markdown",
]

#: The columns of the tidy indicator table, in order.
COLUMNS: tuple[str, ...] = ("indicator", "year", "value", "unit", "dataset")

#: Types of ``military_events`` rows counted as joint exercises and patrols.
DRILL_TYPES: tuple[str, ...] = ("naval_exercise", "land_exercise", "air_patrol", "naval_patrol")

#: First year counted for joint exercises: the course list has entries every year from 2012,
#: when the Joint Sea naval exercises began; before that it holds only the 2005 exercise.
DRILLS_FROM = 2012

#: Short names of the original sources of each dataset, for one-line chart captions.
_SHORT_SOURCE: dict[str, str] = {
    "china_customs_trade": "China's customs",
    "china_crude_imports": "China's customs",
    "power_of_siberia": "Gazprom",
    "sanctions_measures": "Western governments",
    "unga_ukraine_votes": "UN records",
    "military_events": "defence ministries",
    "partner_dependence": "KOTRA",
}

#: The indicators the explorer shows first: a benefit, a cost, a diplomatic posture, an influence.
DEFAULT_PICK: tuple[str, ...] = ("russia_trade", "sanctions", "unga_abstain", "nk_dependence")


class IndicatorError(ValueError):
    """An indicator key or an input table is not one the module can use."""


# ----------------------------------------------------------------- indicators
Frames = Mapping[str, pd.DataFrame]


def _need(frames: Frames, name: str, columns: Sequence[str]) -> pd.DataFrame:
    """The frame of dataset ``name`` from ``frames`` (loaded if absent), with ``columns`` checked."""
    frame = frames[name] if name in frames else load(name)
    return charts.require_frame(frame, list(columns), f"indicator_dashboard ({name})")


def _series(years: pd.Series, values: pd.Series) -> pd.DataFrame:
    out = pd.DataFrame({"year": pd.Series(years).astype(int).to_numpy(), "value": pd.Series(values).astype(float).to_numpy()})
    return out.dropna(subset=["value"]).sort_values("year", ignore_index=True)


def _counts(years: pd.Series, first: int | None = None) -> pd.DataFrame:
    """Rows per year, with zero for years inside the covered range that have none."""
    years = pd.Series(years).astype(int)
    if years.empty:
        return pd.DataFrame({"year": pd.Series(dtype=int), "value": pd.Series(dtype=float)})
    start = int(years.min()) if first is None else first
    span = range(start, int(years.max()) + 1)
    counted = years.value_counts().reindex(span, fill_value=0)
    return _series(pd.Series(list(span)), counted.to_numpy())


def _russia_trade(frames: Frames) -> pd.DataFrame:
    trade = _need(frames, "china_customs_trade", ["year", "partner", "total_usd_bn"])
    russia = trade[trade["partner"] == "Russia"].dropna(subset=["total_usd_bn", "year"])
    return _series(russia["year"], russia["total_usd_bn"])


def _russia_share(frames: Frames) -> pd.DataFrame:
    trade = _need(frames, "china_customs_trade", ["year", "partner", "total_usd_bn"])
    totals = trade.dropna(subset=["total_usd_bn", "year"])
    russia = totals[totals["partner"] == "Russia"].set_index("year")["total_usd_bn"]
    world = totals[totals["partner"] == "World"].set_index("year")["total_usd_bn"]
    both = pd.concat({"russia": russia, "world": world}, axis=1).dropna()
    return _series(both.index.to_series(), 100 * both["russia"] / both["world"])


def _crude_rank(frames: Frames) -> pd.DataFrame:
    crude = _need(frames, "china_crude_imports", ["year", "supplier", "rank"])
    russia = crude[crude["supplier"] == "Russia"].dropna(subset=["rank", "year"])
    return _series(russia["year"], russia["rank"])


def _pipeline_gas(frames: Frames) -> pd.DataFrame:
    gas = _need(frames, "power_of_siberia", ["year", "bcm"]).dropna(subset=["bcm", "year"])
    return _series(gas["year"], gas["bcm"])


def _sanctions(frames: Frames) -> pd.DataFrame:
    measures = _need(frames, "sanctions_measures", ["date", "actor"])
    western = measures[measures["actor"] != "China"].dropna(subset=["date"])
    return _counts(western["date"].astype(str).str[:4])


def _unga_abstain(frames: Frames) -> pd.DataFrame:
    votes = _need(frames, "unga_ukraine_votes", ["date", "china_vote"]).dropna(subset=["date", "china_vote"])
    if votes.empty:
        return _series(pd.Series(dtype=int), pd.Series(dtype=float))
    year = votes["date"].astype(str).str[:4].astype(int)
    share = (votes["china_vote"] == "abstain").groupby(year).mean() * 100
    return _series(share.index.to_series(), share)


def _joint_drills(frames: Frames) -> pd.DataFrame:
    events = _need(frames, "military_events", ["date", "type", "participants"]).dropna(subset=["date", "type", "participants"])
    parties = events["participants"].astype(str).str.split(";").map(lambda names: {n.strip() for n in names})
    joint = events[parties.map(lambda names: {"China", "Russia"} <= names) & events["type"].isin(DRILL_TYPES)]
    years = joint["date"].astype(str).str[:4].astype(int)
    return _counts(years[years >= DRILLS_FROM], first=DRILLS_FROM if (years >= DRILLS_FROM).any() else None)


def _nk_dependence(frames: Frames) -> pd.DataFrame:
    dep = _need(frames, "partner_dependence", ["year", "country", "reporter", "china_share_pct"])
    kotra = dep[(dep["country"] == "North Korea") & (dep["reporter"] == "KOTRA")].dropna(subset=["china_share_pct", "year"])
    return _series(kotra["year"], kotra["china_share_pct"])


@dataclass(frozen=True)
class Indicator:
    """One thing to watch: what it is, where it comes from, and how to read it."""

    key: str
    label: str
    unit: str
    dataset: str
    measures: str
    holds_if: str
    strains_if: str
    change_my_mind: str
    decimals: int
    compute: Callable[[Frames], pd.DataFrame]

    def format(self, value: float) -> str:
        """``value`` with the indicator's number of decimals."""
        return f"{value:,.{self.decimals}f}"


#: Every indicator, in display order (key -> :class:`Indicator`).
INDICATORS: dict[str, Indicator] = {
    ind.key: ind
    for ind in (
        Indicator(
            "russia_trade",
            "China-Russia goods trade",
            "billion US$",
            "china_customs_trade",
            "How much business the partnership brings: the benefit side of the ledger.",
            "Trade stays large while China keeps its access to Western markets.",
            "Trade collapses under pressure (China drops Moscow), or keeps climbing while Chinese firms are punished for it.",
            "A fall could mean Beijing is keeping its distance, that sanctions bite, or simply that oil got cheaper. "
            "Which other indicator would you check before deciding which?",
            1,
            _russia_trade,
        ),
        Indicator(
            "russia_share",
            "Russia's share of China's goods trade",
            "% of China's total",
            "china_customs_trade",
            "China's exposure: how much of its own trade rests on Russia.",
            "The share stays small, so China's large stakes remain with its big market partners.",
            "The share climbs steadily, tying China's economy more closely to one sanctioned partner.",
            "If Russia's share rose to the level of one of China's largest partners, would you still call "
            "China's position flexible? At what share would you change your answer, and why there?",
            2,
            _russia_share,
        ),
        Indicator(
            "crude_rank",
            "Russia's rank among China's crude oil suppliers",
            "rank, 1 = largest supplier",
            "china_crude_imports",
            "The energy benefit: whether Russia is China's main source of crude oil.",
            "Russia supplies a lot, but China keeps other large suppliers, so it can switch if it must.",
            "China relies on Russia so heavily that losing this supply would hurt, or buys so much that its refiners are sanctioned.",
            "If Russia slipped behind Saudi Arabia again, would that show Chinese caution about sanctions, or only "
            "prices and refinery demand? What figures would you need to tell these apart?",
            0,
            _crude_rank,
        ),
        Indicator(
            "pipeline_gas",
            "Gas delivered through Power of Siberia",
            "billion cubic metres",
            "power_of_siberia",
            "A long-term, fixed link: a 30-year pipeline contract is a commitment, not a flexible arrangement.",
            "Deliveries run at the contract level and China still buys gas from many other sellers.",
            "China locks itself into more pipelines with one seller, or deliveries are disrupted.",
            "A new long-term gas contract with Russia would bind China for decades. Would that fit the "
            "article's 'flexible' China, or show Beijing binding itself after all?",
            2,
            _pipeline_gas,
        ),
        Indicator(
            "sanctions",
            "Western sanctions on Chinese firms (course list)",
            "measures per year",
            "sanctions_measures",
            "The cost side: how often Western governments punished Chinese firms over Russia's war.",
            "Measures hit small traders and shell firms, not China's big banks and companies.",
            "Measures grow in number and reach large banks, refiners or state firms.",
            "More listings each year suggest rising costs. If measures reached China's largest banks, would "
            "Beijing's balancing have failed, or would it show how carefully they had been kept out of Russian "
            "business? Remember the course list is a selection.",
            0,
            _sanctions,
        ),
        Indicator(
            "unga_abstain",
            "China's abstentions on UN votes about Ukraine",
            "% of recorded votes",
            "unga_ukraine_votes",
            "The diplomatic posture: abstaining is sitting on the fence, neither with Moscow nor against it.",
            "China keeps abstaining: it neither condemns Russia nor votes with it.",
            "China moves to a run of 'no' votes beside Russia, or of 'yes' votes beside Ukraine and the EU.",
            "Each year has only one to five votes, so one vote moves the share a lot. What pattern of votes "
            "over several years would convince you that China had picked a side?",
            0,
            _unga_abstain,
        ),
        Indicator(
            "joint_drills",
            "China-Russia exercises and patrols (course list)",
            "events per year",
            "military_events",
            "The military signal: how often the two armed forces train or patrol together.",
            "Drills stay frequent but without a joint command or a promise to fight for each other.",
            "Drills turn into standing joint commands or a defence commitment, or stop altogether.",
            "More drills make a louder signal, but are they closer to an alliance? What would you need to see, "
            "such as a joint command or a written promise of help, before you called it one?",
            0,
            _joint_drills,
        ),
        Indicator(
            "nk_dependence",
            "China's share of North Korea's trade (KOTRA)",
            "% of North Korea's trade",
            "partner_dependence",
            "Economic weight in Pyongyang: a possible source of influence over North Korea.",
            "China stays North Korea's dominant partner and keeps a say in its choices.",
            "North Korea turns to other partners, or acts against Beijing's wishes despite depending on it.",
            "China dominates North Korea's recorded trade, yet Pyongyang signed a defence treaty with Moscow in "
            "2024. Does a trade share measure influence? What evidence would show Beijing losing its sway?",
            1,
            _nk_dependence,
        ),
    )
}


def _keys(indicators: Sequence[str] | str | None, caller: str) -> list[str]:
    if indicators is None:
        return list(INDICATORS)
    if isinstance(indicators, str):
        indicators = [indicators]
    keys = list(indicators)
    unknown = [k for k in keys if k not in INDICATORS]
    if unknown:
        raise IndicatorError(
            f"{caller}(): unknown indicator {unknown[0]!r}. Choose from {list(INDICATORS)} "
            "(see implications.INDICATORS)."
        )
    return keys


def _source_line(datasets: Sequence[str]) -> str:
    names = list(dict.fromkeys(_SHORT_SOURCE.get(d, d) for d in datasets))
    if len(names) > 1:
        joined = ", ".join(names[:-1]) + " and " + names[-1]
    else:
        joined = names[0] if names else "course data"
    return f"Source: {joined}, as reported (see data/datapackage.json)"


def indicator_dashboard(
    frames: Mapping[str, pd.DataFrame] | None = None,
    indicators: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The indicators as one tidy table: ``indicator``, ``year``, ``value``, ``unit``, ``dataset``.

    ``indicators`` is a list of keys of :data:`INDICATORS` (all of them by default).
    ``frames`` maps dataset names to frames (tests pass small ones); any dataset not
    given is loaded with :func:`balancing_act.data.load`. Years without a figure are left
    out, never filled in; counts (sanctions measures, joint drills) are zero for a year
    inside the covered period that has no entry in the course list. ``attrs["source"]``
    names the original sources, ``attrs["keys"]`` the indicator keys in order.
    """
    keys = _keys(indicators, "indicator_dashboard")
    frames = {} if frames is None else frames
    parts = []
    for key in keys:
        ind = INDICATORS[key]
        series = ind.compute(frames)
        parts.append(series.assign(indicator=ind.label, unit=ind.unit, dataset=ind.dataset))
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(COLUMNS))
    table = table.loc[:, list(COLUMNS)]
    table["year"] = table["year"].astype(int)
    table["value"] = table["value"].astype(float)
    table.attrs["source"] = _source_line([INDICATORS[k].dataset for k in keys])
    table.attrs["keys"] = keys
    return table


def _by_label() -> dict[str, Indicator]:
    return {ind.label: ind for ind in INDICATORS.values()}


def _check_table(table: object, caller: str) -> pd.DataFrame:
    frame = charts.require_frame(table, list(COLUMNS), caller)
    if not pd.api.types.is_numeric_dtype(frame["value"]) or not pd.api.types.is_numeric_dtype(frame["year"]):
        raise ChartInputError(
            f"{caller}(): the 'year' and 'value' columns must hold numbers. Build the table with "
            "implications.indicator_dashboard(), or convert them with pd.to_numeric()."
        )
    return frame


def _ordered_labels(frame: pd.DataFrame) -> list[str]:
    present = list(dict.fromkeys(frame["indicator"]))
    known = [ind.label for ind in INDICATORS.values() if ind.label in present]
    return known + [label for label in present if label not in known]


def _fmt(label: str, value: float) -> str:
    ind = _by_label().get(label)
    if ind is not None:
        return ind.format(value)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def indicator_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: years covered, number of figures, first and latest value, and the peak.

    The peak is the highest value, or for a rank the best (lowest) place, with its
    first year.
    """
    frame = _check_table(table, "indicator_summary").dropna(subset=["value"])
    rows = []
    for label in _ordered_labels(frame):
        part = frame[frame["indicator"] == label].sort_values("year")
        if part.empty:
            continue
        is_rank = str(part["unit"].iloc[0]).lower().startswith("rank")
        top = part.loc[part["value"].idxmin() if is_rank else part["value"].idxmax()]
        rows.append(
            {
                "indicator": label,
                "unit": str(part["unit"].iloc[0]),
                "years": f"{int(part['year'].iloc[0])}-{int(part['year'].iloc[-1])}",
                "figures": len(part),
                "first": float(part["value"].iloc[0]),
                "latest": float(part["value"].iloc[-1]),
                "latest_year": int(part["year"].iloc[-1]),
                "peak": float(top["value"]),
                "peak_year": int(top["year"]),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["source"] = frame.attrs.get("source", "")
    return out


# ------------------------------------------------------------------- guides
def indicator_guide(indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """What each indicator measures, when the balancing act holds or strains, and the prompt to test it."""
    rows = [
        {
            "key": INDICATORS[k].key,
            "indicator": INDICATORS[k].label,
            "unit": INDICATORS[k].unit,
            "dataset": INDICATORS[k].dataset,
            "measures": INDICATORS[k].measures,
            "holds_if": INDICATORS[k].holds_if,
            "strains_if": INDICATORS[k].strains_if,
            "change_my_mind": INDICATORS[k].change_my_mind,
        }
        for k in _keys(indicators, "indicator_guide")
    ]
    return pd.DataFrame(rows)


def _cell(text: str) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def guide_markdown(indicators: Sequence[str] | None = None) -> str:
    """The indicator guide as a Markdown table (indicator, what it tells us, holds if, strains if)."""
    guide = indicator_guide(indicators)
    lines = [
        "| Indicator (unit; dataset) | What it tells us | The balancing act holds if... | ...and strains if |",
        "|---|---|---|---|",
    ]
    for row in guide.itertuples():
        lines.append(
            f"| **{_cell(row.indicator)}** ({_cell(row.unit)}; `{row.dataset}`) | {_cell(row.measures)} | "
            f"{_cell(row.holds_if)} | {_cell(row.strains_if)} |"
        )
    return "\n".join(lines)


# ------------------------------------------------------------------- charts
def _year_domain(frame: pd.DataFrame) -> list[int]:
    return [int(frame["year"].min()), int(frame["year"].max())]


#: The chart params holding the first and last year of every panel's x axis: the panels read the
#: shared range from them, so one panel's spec does not depend on which others are shown.
YEAR_PARAMS: tuple[str, str] = ("ba_first", "ba_last")


@dataclass(frozen=True)
class _Panel:
    chart: alt.Chart
    summary: str  # the indicator's first and latest values, for the chart's description


def _panel(part: pd.DataFrame) -> _Panel:
    """One indicator's panel (``part`` holds its rows only) and its first and latest values in words."""
    part = part.sort_values("year")[list(COLUMNS)].copy()
    part["year"] = part["year"].astype(int)
    label = str(part["indicator"].iloc[0])
    unit = str(part["unit"].iloc[0])
    if unit.lower().startswith("rank"):
        worst = max(3, int(math.ceil(part["value"].max())))
        y_scale = alt.Scale(reverse=True, domain=[1, worst])
        y_axis = alt.Axis(values=list(range(1, worst + 1)), format="d")
    else:
        y_scale = alt.Scale(zero=unit.endswith("per year"))
        y_axis = alt.Axis(tickMinStep=1) if unit.endswith("per year") else alt.Axis()
    first_year, last_year = (alt.ExprRef(name) for name in YEAR_PARAMS)
    chart = (
        # the rows as Altair would write them, converted once: a panel is reused from change to change
        alt.Chart(alt.InlineData(values=alt.utils.data.to_values(part)["values"]))
        .mark_line(point=True, color=charts.PALETTE[0])
        .encode(
            x=alt.X("year:Q", title=None, scale=alt.Scale(domain=[first_year, last_year]),
                    axis=alt.Axis(format="d", tickMinStep=1, labelAngle=0)),
            y=alt.Y("value:Q", title=unit, scale=y_scale, axis=y_axis),
            tooltip=[
                alt.Tooltip("indicator:N", title="Indicator"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("value:Q", title="Value", format=",.2f"),
                alt.Tooltip("unit:N", title="Unit"),
                alt.Tooltip("dataset:N", title="Dataset"),
            ],
        )
        .properties(title=alt.TitleParams(label, fontSize=12, anchor="start"), width=230, height=110)
    )
    first, last = part.iloc[0], part.iloc[-1]
    summary = (
        f"{label} ({unit}): {int(first['year'])} {_fmt(label, first['value'])}, "
        f"{int(last['year'])} {_fmt(label, last['value'])}"
    )
    return _Panel(chart, summary)


DASHBOARD_TITLE = "Indicators to watch: is China's balancing act holding?"


def _dashboard_description(panels: Sequence[_Panel], domain: Sequence[int]) -> str:
    return (
        f"Small multiples, one panel per indicator ({len(panels)} panels), each with its own vertical scale and unit, "
        f"years {domain[0]} to {domain[1]}. First and latest values: " + "; ".join(p.summary for p in panels) + "."
    )


def _panel_spec(panel: _Panel, cite: str, domain: Sequence[int]) -> dict[str, Any]:
    """One panel drawn on its own, as the explorer shows it: the dashboard's panel, the year params
    it reads, its own source line under its title and the course style."""
    chart = panel.chart.copy(deep=False)
    chart.params = [alt.param(name=name, value=year).param for name, year in zip(YEAR_PARAMS, domain)]
    label = chart.title.text
    styled = charts.finish(chart, label, cite, f"Line chart. {panel.summary}.", width=chart.width, height=chart.height, in_place=True)
    styled.title = alt.TitleParams(label, subtitle=[cite], anchor="start")
    styled.config.title = alt.TitleConfig(fontSize=12, subtitleFontSize=10)  # a panel's title, as in the dashboard
    return charts.fitted_spec(styled)


def _dashboard(panels: Sequence[_Panel], domain: list[int], columns: int, title: str | None, cite: str) -> alt.ConcatChart:
    """The panels side by side, ``columns`` to a row, over the years ``domain``, titled and described."""
    # what .resolve_scale(y="independent").add_params(...) give, without their deep copies of every panel
    chart = alt.concat(
        *(panel.chart for panel in panels),
        columns=columns,
        resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="independent")),
        params=[alt.param(name=name, value=year).param for name, year in zip(YEAR_PARAMS, domain)],
    )
    return charts.finish(
        chart,
        title or DASHBOARD_TITLE,
        cite,
        _dashboard_description(panels, domain),
        width=alt.Undefined,
        height=alt.Undefined,
        in_place=True,  # made just above: a copy would build the concatenation again
    )


def dashboard_chart(
    table: pd.DataFrame,
    *,
    title: str | None = None,
    source: str | None = None,
    columns: int = 2,
) -> alt.ConcatChart:
    """Small multiples: one panel per indicator, each with its own y scale and its unit as the axis title.

    ``table`` is the tidy frame of :func:`indicator_dashboard` (or any frame with its
    columns). All panels share the same range of years (the chart params named in
    :data:`YEAR_PARAMS`). A rank is drawn with 1 at the top, so that a line going up
    always means "more prominent".
    """
    frame = _check_table(table, "dashboard_chart").dropna(subset=["value"])
    if frame.empty:
        raise ChartInputError("dashboard_chart(): every value is missing; there is nothing to draw. Check your filter.")
    if type(columns) is not int or columns < 1:
        raise ChartInputError(f"dashboard_chart(): columns must be a whole number of 1 or more, not {columns!r}.")
    cite = charts.source_of(frame, source, "dashboard_chart")
    panels = [_panel(frame[frame["indicator"] == label]) for label in _ordered_labels(frame)]
    return _dashboard(panels, _year_domain(frame), columns, title, cite)


def _relative(part: pd.DataFrame, is_rank: bool) -> pd.Series:
    low, high = float(part["value"].min()), float(part["value"].max())
    if math.isclose(low, high):
        return pd.Series(1.0, index=part.index)
    scaled = (part["value"] - low) / (high - low)
    return 1 - scaled if is_rank else scaled


def coverage_chart(table: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """All indicators on one time line: a cell per indicator and year with a figure.

    The colour shows where each value lies within that indicator's own record (0 = its
    lowest recorded value, 1 = its highest; for a rank, 1 = its best place), so cells can
    be compared along a row but the colours say nothing about units. Empty cells are
    years without a figure. Tooltips give the real value and unit.
    """
    frame = _check_table(table, "coverage_chart").dropna(subset=["value"])
    if frame.empty:
        raise ChartInputError("coverage_chart(): every value is missing; there is nothing to draw. Check your filter.")
    cite = charts.source_of(frame, source, "coverage_chart")
    labels = _ordered_labels(frame)
    parts = []
    notes = []
    for label in labels:
        part = frame[frame["indicator"] == label][list(COLUMNS)].copy()
        is_rank = str(part["unit"].iloc[0]).lower().startswith("rank")
        part["level"] = _relative(part, is_rank)
        part["year"] = part["year"].astype(int)
        part["shown"] = [
            f"rank {v:.0f}" if is_rank else f"{_fmt(label, v)} {u}" for v, u in zip(part["value"], part["unit"])
        ]
        parts.append(part)
        best = part.loc[part["level"].idxmax()]
        years = sorted(part["year"])
        gaps = [y for y in range(years[0], years[-1] + 1) if y not in set(years)]
        note = f"{label}: {years[0]}-{years[-1]}, {'best' if is_rank else 'highest'} {best['shown']} in {int(best['year'])}"
        if gaps:
            note += f", no figure for {', '.join(map(str, gaps))}"
        notes.append(note)
    data = pd.concat(parts, ignore_index=True)
    first, last = _year_domain(data)
    chart = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("year:O", title="Year", scale=alt.Scale(domain=list(range(first, last + 1))),
                    axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("indicator:N", title=None, sort=labels, axis=alt.Axis(labelLimit=330)),
            color=alt.Color(
                "level:Q",
                title=["Position in its", "own record", "(1 = highest;", "rank: 1 = best)"],
                scale=alt.Scale(domain=[0, 1], range=["#BDD7EC", charts.PALETTE[0]]),
                legend=alt.Legend(format=".1f", tickCount=3),
            ),
            tooltip=[
                alt.Tooltip("indicator:N", title="Indicator"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("shown:N", title="Value"),
                alt.Tooltip("level:Q", title="Position in own record (0-1)", format=".2f"),
                alt.Tooltip("dataset:N", title="Dataset"),
            ],
        )
    )
    description = (
        f"Heat map of {len(labels)} indicators by year, {first} to {last}; darker cells are nearer each indicator's "
        "own highest value (for the rank, its best place); empty cells are years without a figure. "
        + "; ".join(notes)
        + "."
    )
    return charts.finish(
        chart,
        title or "When did each indicator peak, and where are the gaps?",
        cite,
        description,
        width=max(300, 34 * (last - first + 1)),
        height=28 * len(labels),
    )


# --------------------------------------------------------------- commitments
_COMMITMENT_TYPES = ("treaty", "statement")


def commitments(events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Treaties and joint statements in ``military_events``, with the course's reading of their commitment.

    Columns: ``date``, ``name``, ``participants``, ``type``, ``combat_commitment``
    (``yes`` = a promise to fight for the other side; ``unclear`` where the sources do
    not settle it). Sorted by date.
    """
    events = load("military_events") if events is None else events
    charts.require_frame(events, ["date", "name", "participants", "type", "combat_commitment"], "commitments")
    rows = events[events["type"].isin(_COMMITMENT_TYPES)]
    out = rows[["date", "name", "participants", "type", "combat_commitment"]].sort_values("date", kind="mergesort")
    out = out.reset_index(drop=True)
    out.attrs["source"] = events.attrs.get("source", "")
    return out


# -------------------------------------------------------------------- rubric
#: The levels of the capstone rubric, lowest first.
RUBRIC_LEVELS: tuple[str, ...] = ("Beginning", "Developing", "Secure")

#: The capstone rubric: criterion -> what each level looks like (in RUBRIC_LEVELS order).
RUBRIC: dict[str, tuple[str, str, str]] = {
    "The claim, stated fairly in your own words": (
        "The claim is copied, missing, or turned into something the article does not say.",
        "The claim is in your own words but loses a qualification or a part of it.",
        "The claim is in your own words, with its section named, in a form the author would accept.",
    ),
    "Evidence from data/, with sources": (
        "Figures without a dataset, or from memory.",
        "A table built from one dataset in data/, with the dataset named.",
        "A tidy table (indicator, year, value, unit, dataset) from data/, with the original source of each figure traceable in data/datapackage.json.",
    ),
    "A chart with title, units and source": (
        "No chart, or a chart without a title or units.",
        "A chart with a title and units, but no source line, or a misleading scale.",
        "A chart whose title states the point, with units on the axis, a source line and tooltips.",
    ),
    "At least two perspectives": (
        "One side only.",
        "Two sides are named, but one is a caricature.",
        "Two or more actors (Beijing, Moscow, Pyongyang, Western governments, analysts) in their own terms, each with a source.",
    ),
    "Limits of the data": (
        "No limit mentioned.",
        "A general remark ('data can be wrong').",
        "Specific limits: missing years, who compiled the figures, what the data cannot show (intentions, prices, secret deals).",
    ),
    "A judgement proportionate to the evidence": (
        "A verdict stronger or weaker than the evidence allows ('proves', 'nothing can be said').",
        "A verdict that fits the evidence but does not say how sure it is.",
        "A verdict with its degree of confidence, and the evidence that would change it.",
    ),
}


def rubric_markdown() -> str:
    """The capstone rubric as a Markdown table (one row per criterion, one column per level)."""
    lines = ["| Criterion | " + " | ".join(RUBRIC_LEVELS) + " |", "|---" * (len(RUBRIC_LEVELS) + 1) + "|"]
    for criterion, levels in RUBRIC.items():
        lines.append(f"| **{_cell(criterion)}** | " + " | ".join(_cell(t) for t in levels) + " |")
    return "\n".join(lines)


# ------------------------------------------------------------------ explorer
class IndicatorExplorer(KernelFallback, widgets.VBox):
    """Pick indicators; see their panels, their latest values and a "what would change my mind?" prompt for each.

    ``table`` is the tidy frame of :func:`indicator_dashboard`. Only indicators of
    :data:`INDICATORS` that have figures in ``table`` are offered. Choosing no indicator
    is allowed: the explorer then says how to choose and shows no chart. Every offered
    indicator's panel is drawn once; a choice shows some of them over their shared years.
    """

    indicators = traitlets.Tuple(
        help="Keys of the indicators shown (see implications.INDICATORS); each must be one of those offered.",
    ).tag(sync=False)

    def __init__(self, table: pd.DataFrame, *, indicators: Sequence[str] | None = None, **kwargs: Any) -> None:
        frame = _check_table(table, "IndicatorExplorer").dropna(subset=["value"])
        present = set(frame["indicator"])
        self._offered = [key for key, ind in INDICATORS.items() if ind.label in present]
        if not self._offered:
            raise ChartInputError(
                "IndicatorExplorer: the table holds none of the course indicators. "
                "Pass the frame returned by implications.indicator_dashboard()."
            )
        self._table = frame
        parts = {key: frame[frame["indicator"] == INDICATORS[key].label] for key in self._offered}
        # each offered indicator's panel, its years and its page spec, made once: a change only picks them
        self._panels = {key: _panel(part) for key, part in parts.items()}
        self._years = {key: _year_domain(part) for key, part in parts.items()}
        whole = _year_domain(frame)
        self._control = widgets.SelectMultiple(
            options=[(INDICATORS[k].label, k) for k in self._offered],
            description="Indicators",
            rows=len(self._offered),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%"),
        )
        self._help = widgets.HTML("<p><i>Hold Ctrl (Cmd on a Mac) to choose several indicators.</i></p>")
        self._summary = widgets.HTML(layout=widgets.Layout(margin="4px 0"))
        self._heading = widgets.HTML(f"<p><b>{escape(DASHBOARD_TITLE)}</b></p>")
        self._output = LivePanels(
            [_panel_spec(self._panels[k], _source_line([INDICATORS[k].dataset]), whole) for k in self._offered],
            layout=widgets.Layout(min_height="200px"),
        )
        self._summary_text = ""
        self._chart: Any = None
        self._chart_key: tuple[str, ...] | None = None
        super().__init__(children=[self._control, self._help, self._summary, self._heading, self._output], **kwargs)
        widgets.link((self._control, "value"), (self, "indicators"))
        self.observe(self._redraw, names=["indicators"])
        default = [k for k in DEFAULT_PICK if k in self._offered] or self._offered[:4]
        chosen = tuple(indicators) if indicators is not None else tuple(default)
        if chosen == self.indicators:
            self._redraw()
        else:
            self.indicators = chosen

    def __repr__(self) -> str:
        return f"IndicatorExplorer(indicators={self.indicators!r})"

    @traitlets.validate("indicators")
    def _valid(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        value = tuple(proposal["value"])
        for key in value:
            if key not in self._offered:
                raise traitlets.TraitError(
                    f"indicator {key!r} is not offered; choose from {self._offered}."
                )
        return value

    @property
    def summary(self) -> str:
        """The plain-text summary shown under the controls, one line per indicator."""
        return self._summary_text

    def _line(self, key: str) -> tuple[str, str]:
        ind = INDICATORS[key]
        part = self._table[self._table["indicator"] == ind.label].sort_values("year")
        first, last = part.iloc[0], part.iloc[-1]
        facts = (
            f"{ind.label}: {ind.format(first['value'])} in {int(first['year'])}, "
            f"{ind.format(last['value'])} in {int(last['year'])} ({ind.unit}; {len(part)} figures)."
        )
        return facts, ind.change_my_mind

    def _shown(self) -> list[str]:
        return [k for k in self._offered if k in self.indicators]

    def _domain(self, keys: Sequence[str]) -> list[int]:
        return [min(self._years[k][0] for k in keys), max(self._years[k][1] for k in keys)]

    @property
    def chart(self) -> alt.ConcatChart | None:
        """The chosen panels as one chart, what :func:`dashboard_chart` draws (made when asked for); None when none is chosen."""
        keys = self._shown()
        if not keys:
            return None
        if tuple(self.indicators) != self._chart_key:
            cite = _source_line([INDICATORS[k].dataset for k in self.indicators])
            panels = [self._panels[k] for k in keys]
            self._chart = _dashboard(panels, self._domain(keys), 2 if len(panels) > 1 else 1, None, cite)
            self._chart_key = tuple(self.indicators)
        return self._chart

    def _redraw(self, _change: object = None) -> None:
        if not self.indicators:
            self._summary_text = "No indicator chosen. Choose one or more in the list above."
            self._summary.value = f"<p>{escape(self._summary_text)}</p>"
            self._output.show([])
            return
        lines = [self._line(key) for key in self.indicators]
        self._summary_text = "\n".join(f"{facts} What would change my mind? {prompt}" for facts, prompt in lines)
        self._summary.value = "<ul>" + "".join(
            f"<li>{escape(facts)}<br><b>What would change my mind?</b> {escape(prompt)}</li>" for facts, prompt in lines
        ) + "</ul>"
        keys = self._shown()
        domain = self._domain(keys)
        self._output.show(
            [self._offered.index(k) for k in keys],
            signals=dict(zip(YEAR_PARAMS, domain)),
            columns=2 if len(keys) > 1 else 1,
            description=_dashboard_description([self._panels[k] for k in keys], domain),
        )
