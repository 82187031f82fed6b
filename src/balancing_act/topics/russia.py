"""Lesson 2 · Russia's need for Chinese support: tables, charts and an explorer.

Everything here starts from the course datasets (load them with
:func:`balancing_act.data.load`) and returns new frames or Altair charts in the
course style (:func:`balancing_act.charts.finish`):

- China-Russia trade and the dependence of each side on the other
  (``china_customs_trade``, ``partner_dependence``), with the reason for every
  year in which one side's figure is missing;
- Russia's place among China's trading partners as officials and reports stated it
  (``russia_trade_partner_rank``);
- what is traded: Russian crude oil (``china_crude_imports``), gas through the
  Power of Siberia pipeline (``power_of_siberia``) and Chinese cars
  (``china_car_exports_to_russia``);
- the trade on the scale of each economy (``world_bank_gdp``);
- how the trade is paid for (``settlement_statements``,
  ``russia_export_payment_currencies``);
- :class:`DependenceExplorer`, a widget to compare both sides' shares year by year.

Functions that take a frame also accept ``None`` and then load the dataset
themselves. Importing this module reads nothing.
"""

from __future__ import annotations

from html import escape
from typing import Any

import altair as alt
import ipywidgets as widgets
import pandas as pd
import traitlets

from balancing_act.fallback import KernelFallback
from balancing_act.live.chart import LiveChart
from balancing_act.charts import ChartInputError, finish, fitted_spec, gap_segments, require_frame, series_lines, source_of
from balancing_act.data import load

__all__ = [
    "CONTRACT_BCM",
    "DependenceExplorer",
    "RANK_BASES",
    "car_exports",
    "car_share_of_exports",
    "crude_chart",
    "crude_suppliers",
    "dependence_both_ways",
    "dependence_chart",
    "dependence_long",
    "dependence_year_chart",
    "gdp_share_chart",
    "mirror_check",
    "partner_rank",
    "payment_shares",
    "power_of_siberia_chart",
    "power_of_siberia_table",
    "russia_crude",
    "russia_trade",
    "settlement_chart",
    "settlement_table",
    "trade_share_of_gdp",
    "years_with_both_sides",
]

#: Annual volume of the 30-year Gazprom-CNPC contract of May 2014 for the Power of Siberia
#: pipeline, in billion cubic metres a year (data/datapackage.json, resource power_of_siberia;
#: Gazprom via TASS, https://tass.com/economy/2054559).
CONTRACT_BCM = 38.0

RUSSIA = "Russia"
FTS = "Russian customs (FTS)"
GACC_CARS = "China customs (GACC)"
CHINA_SIDE = "Russia's share of China's trade"
RUSSIA_SIDE = "China's share of Russia's trade"


def _cite(*frames: pd.DataFrame) -> str:
    lines = [str(f.attrs.get("source", "")) for f in frames if f.attrs.get("source")]
    return " | ".join(dict.fromkeys(lines))


def _finish(chart: alt.Chart, title: str, source: str, description: str, **kwargs: Any) -> alt.Chart:
    """:func:`charts.finish`, with a source line that cites several datasets split over several lines."""
    done = finish(chart, title, source, description, **kwargs)
    lines = [line.strip() for line in source.split(" | ") if line.strip()]
    if len(lines) > 1:
        done = done.properties(title=alt.TitleParams(text=title, subtitle=lines, anchor="start"))
    return done


def _or_load(frame: pd.DataFrame | None, name: str) -> pd.DataFrame:
    return load(name) if frame is None else frame


def _num(value: object) -> float:
    """A float, with missing values (None, pd.NA, NaN) as NaN."""
    return float("nan") if value is None or pd.isna(value) else float(value)


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


# ----------------------------------------------------------------- trade
def russia_trade(trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """China's goods trade with Russia by year (China's customs), with the balance.

    Columns: ``year``, ``total_usd_bn``, ``exports_usd_bn`` (China's exports to
    Russia), ``imports_usd_bn`` (China's imports from Russia), ``balance_usd_bn``
    (exports minus imports; negative means China bought more than it sold) and
    ``note``.
    """
    trade = _or_load(trade, "china_customs_trade")
    require_frame(trade, ["year", "partner", "total_usd_bn", "exports_usd_bn", "imports_usd_bn"], "russia_trade")
    rows = trade[trade["partner"] == RUSSIA]
    if rows.empty:
        raise ChartInputError(
            "russia_trade(): the frame has no rows with partner 'Russia'. Pass the china_customs_trade dataset."
        )
    out = rows[["year", "total_usd_bn", "exports_usd_bn", "imports_usd_bn"]].copy()
    out["balance_usd_bn"] = out["exports_usd_bn"] - out["imports_usd_bn"]
    out["note"] = rows["note"] if "note" in rows.columns else None
    out["year"] = out["year"].astype(int)
    out = out.sort_values("year", ignore_index=True)
    out.attrs["source"] = _cite(trade)
    return out


def mirror_check(trade: pd.DataFrame | None = None, dependence: pd.DataFrame | None = None) -> pd.DataFrame:
    """Years where both China's and Russia's customs give a figure for China-Russia trade.

    Columns: ``year``, ``china_customs_usd_bn``, ``russia_customs_usd_bn``,
    ``difference_usd_bn`` (Russia's figure minus China's) and ``difference_pct``
    (that difference as a percentage of China's figure).
    """
    trade = russia_trade(trade)
    dependence = _or_load(dependence, "partner_dependence")
    require_frame(dependence, ["year", "country", "reporter", "trade_with_china_usd_bn"], "mirror_check")
    theirs = dependence[(dependence["country"] == RUSSIA) & (dependence["reporter"] == FTS)]
    theirs = theirs.dropna(subset=["trade_with_china_usd_bn"])[["year", "trade_with_china_usd_bn"]].copy()
    theirs["year"] = theirs["year"].astype(int)
    both = trade[["year", "total_usd_bn"]].merge(theirs, on="year").dropna()
    both = both.rename(columns={"total_usd_bn": "china_customs_usd_bn", "trade_with_china_usd_bn": "russia_customs_usd_bn"})
    both["difference_usd_bn"] = both["russia_customs_usd_bn"] - both["china_customs_usd_bn"]
    both["difference_pct"] = 100 * both["difference_usd_bn"] / both["china_customs_usd_bn"]
    both = both.reset_index(drop=True)
    both.attrs["source"] = _cite(trade, dependence)
    return both


# ------------------------------------------------------------ dependence
def _china_side_gap(year: int, russia_total: float, world: pd.DataFrame) -> str:
    if russia_total != russia_total:
        return f"China's customs figure for its trade with Russia in {year} is not in the data."
    note = _text(world["note"].iloc[0]) if not world.empty and "note" in world.columns else ""
    reason = f"China's total trade with the world in {year} is not in the data"
    return f"{reason} (data note: {note})" if note else f"{reason}, so Russia's share of it cannot be computed."


def _russia_side_gap(year: int, fts: pd.DataFrame) -> str:
    note = _text(fts["note"].iloc[0]) if not fts.empty and "note" in fts.columns else ""
    if note:
        return f"Russia's customs service gave no share of China for {year}. {note}"
    if year >= 2022:
        return (
            f"Russia's customs service stopped publishing detailed trade data in spring 2022; "
            f"no official statement of China's share in {year} was found."
        )
    return f"No figure from Russia's customs service for {year} was found."


def dependence_both_ways(trade: pd.DataFrame | None = None, dependence: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each side's share of the other's goods trade, year by year, with the gaps explained.

    One row per year that China's customs cover for Russia. Columns:

    - ``trade_usd_bn``: China-Russia trade according to China's customs;
    - ``russia_in_china_pct``: Russia's share of China's total trade (China's customs;
      computed here as trade with Russia / trade with the world x 100);
    - ``china_in_russia_pct``: China's share of Russia's total trade, as stated by
      Russia's customs service (FTS), never computed here;
    - ``times``: how many times larger the second share is than the first;
    - ``china_side_gap`` / ``russia_side_gap``: why a share is missing (empty if present);
    - ``russia_side_note``: what to know about the Russian figure.
    """
    trade = _or_load(trade, "china_customs_trade")
    dependence = _or_load(dependence, "partner_dependence")
    require_frame(trade, ["year", "partner", "total_usd_bn"], "dependence_both_ways")
    require_frame(dependence, ["year", "country", "reporter", "china_share_pct"], "dependence_both_ways")
    russia = trade[trade["partner"] == RUSSIA]
    if russia.empty:
        raise ChartInputError(
            "dependence_both_ways(): the trade frame has no rows with partner 'Russia'. "
            "Pass the china_customs_trade dataset."
        )
    fts_all = dependence[(dependence["country"] == RUSSIA) & (dependence["reporter"] == FTS)]
    rows: list[dict[str, Any]] = []
    for year in sorted(int(y) for y in russia["year"].dropna().unique()):
        here = russia[russia["year"] == year]
        world = trade[(trade["partner"] == "World") & (trade["year"] == year)]
        russia_total = _num(here["total_usd_bn"].iloc[0])
        world_total = _num(world["total_usd_bn"].iloc[0]) if not world.empty else float("nan")
        china_side = 100 * russia_total / world_total if world_total == world_total and world_total > 0 else float("nan")
        fts = fts_all[fts_all["year"] == year]
        russia_side = _num(fts["china_share_pct"].iloc[0]) if not fts.empty else float("nan")
        rows.append(
            {
                "year": year,
                "trade_usd_bn": russia_total,
                "russia_in_china_pct": china_side,
                "china_in_russia_pct": russia_side,
                "times": russia_side / china_side if china_side == china_side and russia_side == russia_side else float("nan"),
                "china_side_gap": "" if china_side == china_side else _china_side_gap(year, russia_total, world),
                "russia_side_gap": "" if russia_side == russia_side else _russia_side_gap(year, fts),
                "russia_side_note": _text(fts["note"].iloc[0]) if russia_side == russia_side and "note" in fts.columns else "",
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["source"] = _cite(trade, dependence)
    return out


def trade_share_of_gdp(trade: pd.DataFrame | None = None, gdp: pd.DataFrame | None = None) -> pd.DataFrame:
    """China-Russia trade as a share of each country's GDP, for the years both are known.

    Columns: ``year``, ``trade_usd_bn`` (China's customs), ``china_gdp_usd_bn`` and
    ``russia_gdp_usd_bn`` (World Bank, current US$), ``pct_of_china_gdp``,
    ``pct_of_russia_gdp`` and ``times`` (how many times larger the Russian share is).
    Trade is a gross flow (exports plus imports) and GDP a value added, so the share
    measures scale, not the part of GDP that trade produces.
    """
    trade = _or_load(trade, "china_customs_trade")
    gdp = _or_load(gdp, "world_bank_gdp")
    require_frame(trade, ["year", "partner", "total_usd_bn"], "trade_share_of_gdp")
    require_frame(gdp, ["year", "economy", "gdp_usd_bn"], "trade_share_of_gdp")
    flows = trade[(trade["partner"] == RUSSIA)].dropna(subset=["total_usd_bn"])
    flows = flows.set_index(flows["year"].astype(int))["total_usd_bn"].astype(float)
    sizes = {
        name: gdp[gdp["economy"] == name].set_index(gdp.loc[gdp["economy"] == name, "year"].astype(int))["gdp_usd_bn"].astype(float)
        for name in ("China", RUSSIA)
    }
    years = sorted(set(flows.index) & set(sizes["China"].index) & set(sizes[RUSSIA].index))
    if not years:
        raise ChartInputError(
            "trade_share_of_gdp(): no year has both China-Russia trade and the GDP of China and Russia; "
            "pass china_customs_trade and world_bank_gdp."
        )
    out = pd.DataFrame({"year": years})
    out["trade_usd_bn"] = flows.loc[years].to_numpy()
    out["china_gdp_usd_bn"] = sizes["China"].loc[years].to_numpy()
    out["russia_gdp_usd_bn"] = sizes[RUSSIA].loc[years].to_numpy()
    out["pct_of_china_gdp"] = 100 * out["trade_usd_bn"] / out["china_gdp_usd_bn"]
    out["pct_of_russia_gdp"] = 100 * out["trade_usd_bn"] / out["russia_gdp_usd_bn"]
    out["times"] = out["pct_of_russia_gdp"] / out["pct_of_china_gdp"]
    out.attrs["source"] = _cite(trade, gdp)
    return out


def gdp_share_chart(table: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """Lines: China-Russia trade as a percentage of Russia's GDP and of China's GDP, by year."""
    require_frame(table, ["year", "pct_of_china_gdp", "pct_of_russia_gdp"], "gdp_share_chart")
    cite = source_of(table, source, "gdp_share_chart")
    labels = {"pct_of_russia_gdp": "Share of Russia's GDP", "pct_of_china_gdp": "Share of China's GDP"}
    long = table[["year", *labels]].melt("year", var_name="measure", value_name="pct")
    long["measure"] = long["measure"].map(labels)
    order = list(labels.values())
    chart = series_lines(
        long,
        x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("pct:Q", title="China-Russia goods trade (% of GDP)"),
        series="measure",
        order=order,
        legend_on_top=True,
        tooltip=[
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("measure:N", title="Measure"),
            alt.Tooltip("pct:Q", title="% of GDP", format=".2f"),
        ],
    )
    first, last = table.iloc[0], table.iloc[-1]
    description = (
        f"Line chart of China-Russia goods trade as a percentage of each country's GDP, {int(first['year'])} to "
        f"{int(last['year'])}: of Russia's GDP {first['pct_of_russia_gdp']:.1f}% in {int(first['year'])} and "
        f"{last['pct_of_russia_gdp']:.1f}% in {int(last['year'])}; of China's GDP {first['pct_of_china_gdp']:.1f}% and "
        f"{last['pct_of_china_gdp']:.1f}%."
    )
    return _finish(chart, title or "China-Russia trade on the scale of each economy", cite, description)


def years_with_both_sides(table: pd.DataFrame) -> list[int]:
    """The years of a :func:`dependence_both_ways` table in which both shares are known."""
    require_frame(table, ["year", "russia_in_china_pct", "china_in_russia_pct"], "years_with_both_sides")
    both = table.dropna(subset=["russia_in_china_pct", "china_in_russia_pct"])
    return [int(y) for y in both["year"]]


def dependence_long(table: pd.DataFrame) -> pd.DataFrame:
    """Long form of the years with both shares: ``year``, ``perspective``, ``share_pct``, ``reporter``, ``note``."""
    require_frame(table, ["year", "russia_in_china_pct", "china_in_russia_pct"], "dependence_long")
    rows = []
    for r in table.dropna(subset=["russia_in_china_pct", "china_in_russia_pct"]).itertuples():
        rows.append(
            {"year": int(r.year), "perspective": CHINA_SIDE, "share_pct": float(r.russia_in_china_pct),
             "reporter": "China's customs (GACC)", "note": "Computed: China's trade with Russia / China's trade with the world."}
        )
        rows.append(
            {"year": int(r.year), "perspective": RUSSIA_SIDE, "share_pct": float(r.china_in_russia_pct),
             "reporter": "Russia's customs service (FTS)", "note": str(getattr(r, "russia_side_note", "") or "As stated.")}
        )
    out = pd.DataFrame(rows, columns=["year", "perspective", "share_pct", "reporter", "note"])
    out.attrs["source"] = table.attrs.get("source", "")
    return out


_SHARE_TOOLTIP = [
    alt.Tooltip("year:O", title="Year"),
    alt.Tooltip("perspective:N", title="Measure"),
    alt.Tooltip("share_pct:Q", title="Share (%)", format=".2f"),
    alt.Tooltip("reporter:N", title="Reported by"),
    alt.Tooltip("note:N", title="Note"),
]


def dependence_chart(table: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """Grouped bars: for each year with both figures, each side's share of the other's trade (percent)."""
    require_frame(table, ["year", "russia_in_china_pct", "china_in_russia_pct"], "dependence_chart")
    cite = source_of(table, source, "dependence_chart")
    long = dependence_long(table)
    if long.empty:
        raise ChartInputError(
            "dependence_chart(): no year in the table has both shares; "
            "pass the frame returned by dependence_both_ways() for the full data."
        )
    order = [RUSSIA_SIDE, CHINA_SIDE]
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("perspective:N", sort=order),
            y=alt.Y("share_pct:Q", title="Share of total goods trade (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("perspective:N", title=None, sort=order, legend=alt.Legend(orient="top")),
            tooltip=_SHARE_TOOLTIP,
        )
    )
    both = table.dropna(subset=["russia_in_china_pct", "china_in_russia_pct"])
    parts = [
        f"{int(r.year)}: China {r.china_in_russia_pct:.1f}% of Russia's trade, Russia {r.russia_in_china_pct:.1f}% "
        f"of China's ({r.times:.1f} times)"
        for r in both.itertuples()
    ]
    description = (
        "Grouped bar chart of dependence in both directions, in percent of total goods trade, for the years in which "
        "both figures exist. " + "; ".join(parts) + "."
    )
    return _finish(chart, title or "Who needs whom? Each side's share of the other's trade", cite, description)


def dependence_year_chart(table: pd.DataFrame, year: int, *, source: str | None = None) -> alt.Chart:
    """Two horizontal bars for one year: China's share of Russia's trade and Russia's share of China's."""
    require_frame(table, ["year", "russia_in_china_pct", "china_in_russia_pct"], "dependence_year_chart")
    cite = source_of(table, source, "dependence_year_chart")
    offered = years_with_both_sides(table)
    if year not in offered:
        raise ChartInputError(f"dependence_year_chart(): year {year!r} does not have both shares; choose one of {offered}.")
    long = dependence_long(table[table["year"] == year])
    order = [RUSSIA_SIDE, CHINA_SIDE]
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("perspective:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            x=alt.X("share_pct:Q", title="Share of total goods trade (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("perspective:N", title=None, sort=order, legend=None),
            tooltip=_SHARE_TOOLTIP,
        )
    )
    row = table[table["year"] == year].iloc[0]
    description = (
        f"Bar chart for {year}: China's share of Russia's goods trade {row['china_in_russia_pct']:.1f}% "
        f"(Russia's customs service); Russia's share of China's goods trade {row['russia_in_china_pct']:.2f}% "
        f"(China's customs); the first is {row['times']:.1f} times the second."
    )
    return _finish(chart, f"Who needs whom? {year}", cite, description, height=90)


# ----------------------------------------------------------------- rank
#: How a stated rank counts China's partners (the ``basis`` column of ``russia_trade_partner_rank``).
RANK_BASES = ("countries", "countries and territories", "not stated")
_FULL_YEAR = "full year"


def partner_rank(ranks: pd.DataFrame | None = None, *, basis: str | None = None) -> pd.DataFrame:
    """Russia's place among China's trading partners, one full year per row, as the lessons show it.

    Keeps the rows of ``russia_trade_partner_rank`` marked ``lessons_use == 'yes'``: one stated
    rank per year, for a full year (statements about part of a year stay in the dataset, not
    here). With ``basis`` (one of :data:`RANK_BASES`), only the rows on that basis.

    Columns: ``year``, ``place`` (the rank as text: ``'4'``, or ``'top 5'`` where only "among
    the top five" was stated), ``rank``, ``rank_kind``, ``basis``, ``stated_by``, ``stated_on``
    and ``note``. The bases differ between years; show the ``basis`` column with the ranks.
    """
    ranks = _or_load(ranks, "russia_trade_partner_rank")
    require_frame(
        ranks, ["year", "period", "rank", "rank_kind", "basis", "stated_by", "stated_on", "lessons_use"], "partner_rank"
    )
    if basis is not None and basis not in RANK_BASES:
        raise ChartInputError(f"partner_rank(): basis {basis!r} is not known; choose one of {list(RANK_BASES)} or leave it out.")
    chosen = ranks[ranks["lessons_use"] == "yes"]
    partial = chosen[chosen["period"] != _FULL_YEAR]
    if not partial.empty:
        row = partial.iloc[0]
        raise ChartInputError(
            f"partner_rank(): the row for {int(row['year'])} stated by {row['stated_by']} describes "
            f"{row['period']!r}, not a full year, yet is marked for the lessons. Mark it lessons_use 'no'."
        )
    twice = sorted({int(y) for y in chosen.loc[chosen["year"].duplicated(), "year"]})
    if twice:
        raise ChartInputError(
            f"partner_rank(): more than one row is marked for the lessons in {twice}. Mark one row per year 'yes'."
        )
    if basis is not None:
        chosen = chosen[chosen["basis"] == basis]
        if chosen.empty:
            found = sorted(set(ranks.loc[ranks["lessons_use"] == "yes", "basis"]))
            raise ChartInputError(f"partner_rank(): no row for the lessons has basis {basis!r}; the rows have {found}.")
    out = chosen[["year", "rank", "rank_kind", "basis", "stated_by", "stated_on"]].copy()
    out["year"] = out["year"].astype(int)
    out["rank"] = out["rank"].astype(int)
    out.insert(1, "place", [f"top {r}" if k == "top" else str(r) for r, k in zip(out["rank"], out["rank_kind"])])
    out["note"] = chosen["note"] if "note" in chosen.columns else None
    out = out.sort_values("year", ignore_index=True)
    out.attrs["source"] = _cite(ranks)
    return out


# ----------------------------------------------------------------- crude
def crude_suppliers(crude: pd.DataFrame | None = None) -> pd.DataFrame:
    """China's crude imports from each supplier with a tonnage, and its share of China's total.

    Columns: ``year``, ``supplier``, ``million_tonnes``, ``rank`` (where a source
    states it), ``share_of_china_pct`` (percent of China's total crude imports that
    year, where the total is in the data), ``segment`` (runs of consecutive years,
    for drawing lines) and ``note``.
    """
    crude = _or_load(crude, "china_crude_imports")
    require_frame(crude, ["year", "supplier", "million_tonnes", "rank"], "crude_suppliers")
    world = crude[crude["supplier"] == "World"].dropna(subset=["million_tonnes"])
    world_by_year = {int(y): float(v) for y, v in zip(world["year"], world["million_tonnes"])}
    rows = crude[(crude["supplier"] != "World")].dropna(subset=["million_tonnes"]).copy()
    if rows.empty:
        raise ChartInputError("crude_suppliers(): no supplier has a tonnage in this frame. Pass the china_crude_imports dataset.")
    rows["year"] = rows["year"].astype(int)
    rows["share_of_china_pct"] = [
        100 * t / world_by_year[y] if y in world_by_year else float("nan") for y, t in zip(rows["year"], rows["million_tonnes"])
    ]
    rows = rows.sort_values(["supplier", "year"], ignore_index=True)
    rows["segment"] = rows.groupby("supplier")["year"].transform(gap_segments).astype(int)
    if "note" not in rows.columns:
        rows["note"] = None
    out = rows[["year", "supplier", "million_tonnes", "rank", "share_of_china_pct", "segment", "note"]].copy()
    out.attrs["source"] = _cite(crude)
    return out


def russia_crude(crude: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every Russia row of ``china_crude_imports``, with gaps kept and each share of China's total.

    Columns: ``year``, ``million_tonnes``, ``rank``, ``share_of_china_pct``, ``note``.
    """
    crude = _or_load(crude, "china_crude_imports")
    require_frame(crude, ["year", "supplier", "million_tonnes", "rank"], "russia_crude")
    rows = crude[crude["supplier"] == RUSSIA].copy()
    if rows.empty:
        raise ChartInputError("russia_crude(): the frame has no rows with supplier 'Russia'. Pass the china_crude_imports dataset.")
    world = crude[crude["supplier"] == "World"].dropna(subset=["million_tonnes"])
    world_by_year = {int(y): float(v) for y, v in zip(world["year"], world["million_tonnes"])}
    rows["year"] = rows["year"].astype(int)
    rows["share_of_china_pct"] = [
        100 * _num(t) / world_by_year[y] if y in world_by_year else float("nan")
        for y, t in zip(rows["year"], rows["million_tonnes"])
    ]
    if "note" not in rows.columns:
        rows["note"] = None
    out = rows[["year", "million_tonnes", "rank", "share_of_china_pct", "note"]].sort_values("year", ignore_index=True)
    out.attrs["source"] = _cite(crude)
    return out


def crude_chart(
    frame: pd.DataFrame,
    *,
    highlight: str = RUSSIA,
    title: str | None = None,
    source: str | None = None,
) -> alt.Chart:
    """Lines of China's crude imports by supplier (million tonnes), ``highlight`` drawn thicker.

    ``frame`` is the output of :func:`crude_suppliers`. Years with no figure are left
    as gaps: a line joins only consecutive years.
    """
    require_frame(frame, ["year", "supplier", "million_tonnes"], "crude_chart")
    cite = source_of(frame, source, "crude_chart")
    suppliers = list(dict.fromkeys(frame["supplier"]))
    if highlight not in suppliers:
        raise ChartInputError(f"crude_chart(): highlight={highlight!r} is not a supplier in the frame; choose one of {suppliers}.")
    data = frame.copy()
    if "segment" not in data.columns:
        data = data.sort_values(["supplier", "year"])
        data["segment"] = data.groupby("supplier")["year"].transform(gap_segments)
    data["year"] = data["year"].astype(int)
    data["line"] = data["supplier"] + " " + data["segment"].astype(str)
    for column in ("rank", "share_of_china_pct"):
        if column not in data.columns:
            data[column] = float("nan")
    data["rank"] = data["rank"].astype("float64")
    data = data[["year", "supplier", "million_tonnes", "rank", "share_of_china_pct", "line"]]
    years = list(range(int(data["year"].min()), int(data["year"].max()) + 1))
    order = [highlight, *[s for s in suppliers if s != highlight]]
    base = alt.Chart(data).encode(
        x=alt.X("year:O", title="Year", scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("million_tonnes:Q", title="Crude oil imported by China (million tonnes)"),
        color=alt.Color("supplier:N", title="Supplier", sort=order),
        tooltip=[
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("supplier:N", title="Supplier"),
            alt.Tooltip("million_tonnes:Q", title="Million tonnes", format=",.2f"),
            alt.Tooltip("rank:Q", title="Rank among China's suppliers", format="d"),
            alt.Tooltip("share_of_china_pct:Q", title="Share of China's crude imports (%)", format=".1f"),
        ],
    )
    emphasis = alt.condition(alt.datum.supplier == highlight, alt.value(4), alt.value(1.5))
    lines = base.mark_line().encode(detail="line:N", strokeWidth=emphasis)
    points = base.mark_point(filled=True, size=60)
    mine = data[data["supplier"] == highlight].sort_values("year")
    first, last = mine.iloc[0], mine.iloc[-1]
    latest = data[data["year"] == data["year"].max()].sort_values("million_tonnes", ascending=False)

    def _rank(value: object) -> str:
        return f", rank {int(value)}" if pd.notna(value) else ""

    description = (
        f"Line chart of China's crude oil imports by supplier, {years[0]} to {years[-1]}, in million tonnes, with "
        f"{highlight} highlighted. {highlight}: {first['million_tonnes']:.1f} in {int(first['year'])}{_rank(first['rank'])}; "
        f"{last['million_tonnes']:.1f} in {int(last['year'])}{_rank(last['rank'])}. In {int(latest['year'].iloc[0])}: "
        + "; ".join(f"{r.supplier} {r.million_tonnes:.1f}" for r in latest.itertuples())
        + ". Years without a figure are gaps in the lines."
    )
    return _finish(alt.layer(lines, points), title or f"China's crude oil imports by supplier, {highlight} highlighted", cite, description)


# ------------------------------------------------------------------ gas
def power_of_siberia_table(gas: pd.DataFrame | None = None, *, contract_bcm: float = CONTRACT_BCM) -> pd.DataFrame:
    """Power of Siberia deliveries by year with each year's percentage of the contract volume.

    Columns: ``year``, ``bcm``, ``pct_of_contract`` and ``note``.
    """
    gas = _or_load(gas, "power_of_siberia")
    require_frame(gas, ["year", "bcm"], "power_of_siberia_table")
    if not contract_bcm or contract_bcm <= 0:
        raise ChartInputError(f"power_of_siberia_table(): contract_bcm must be a positive number, not {contract_bcm!r}.")
    out = gas[["year", "bcm"]].copy()
    out["year"] = out["year"].astype(int)
    out["pct_of_contract"] = 100 * out["bcm"] / contract_bcm
    out["note"] = gas["note"] if "note" in gas.columns else None
    out = out.sort_values("year", ignore_index=True)
    out.attrs["source"] = _cite(gas)
    out.attrs["contract_bcm"] = contract_bcm
    return out


def power_of_siberia_chart(
    table: pd.DataFrame,
    *,
    contract_bcm: float = CONTRACT_BCM,
    title: str | None = None,
    source: str | None = None,
) -> alt.Chart:
    """Bars of gas delivered through Power of Siberia by year, with a line at the contract volume."""
    require_frame(table, ["year", "bcm"], "power_of_siberia_chart")
    cite = source_of(table, source, "power_of_siberia_chart")
    if not contract_bcm or contract_bcm <= 0:
        raise ChartInputError(f"power_of_siberia_chart(): contract_bcm must be a positive number, not {contract_bcm!r}.")
    bars_data = table.dropna(subset=["bcm"])[["year", "bcm"]].copy()
    if bars_data.empty:
        raise ChartInputError("power_of_siberia_chart(): no year has a volume; pass power_of_siberia_table().")
    bars_data["year"] = bars_data["year"].astype(int)
    bars_data["pct_of_contract"] = 100 * bars_data["bcm"] / contract_bcm
    bars = (
        alt.Chart(bars_data)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("bcm:Q", title="Gas delivered (billion cubic metres)", scale=alt.Scale(domain=[0, max(45.0, contract_bcm * 1.15)])),
            color=alt.value("#0072B2"),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("bcm:Q", title="Billion cubic metres", format=".2f"),
                alt.Tooltip("pct_of_contract:Q", title="Percent of contract volume", format=".0f"),
            ],
        )
    )
    line_data = pd.DataFrame({"bcm": [contract_bcm], "label": [f"Contract volume: {contract_bcm:g} bcm a year"]})
    rule = (
        alt.Chart(line_data)
        .mark_rule(strokeDash=[6, 4], strokeWidth=2, color="#D55E00")
        .encode(y="bcm:Q", tooltip=[alt.Tooltip("label:N", title="Reference")])
    )
    label = (
        alt.Chart(line_data)
        .mark_text(align="left", dx=4, dy=-8, color="#D55E00")
        .encode(x=alt.value(0), y="bcm:Q", text="label:N", tooltip=[alt.Tooltip("label:N", title="Reference")])
    )
    first, last = bars_data.iloc[0], bars_data.iloc[-1]
    empty = [str(int(y)) for y in table.loc[table["bcm"].isna(), "year"]]
    description = (
        f"Bar chart of gas delivered to China through the Power of Siberia pipeline, {int(first['year'])} to "
        f"{int(last['year'])}, in billion cubic metres: "
        + "; ".join(f"{int(r.year)} {r.bcm:.2f}" for r in bars_data.itertuples())
        + f". A dashed line marks the contract volume of {contract_bcm:g} bcm a year; "
        f"{int(last['year'])} is at {last['pct_of_contract']:.0f}% of it."
        + (f" No annual figure for {', '.join(empty)}." if empty else "")
    )
    return _finish(alt.layer(bars, rule, label), title or "Gas through Power of Siberia against the contract volume", cite, description)


# ------------------------------------------------------------ payments
_KINDS = {
    "lower": "At least (a lower bound)",
    "approx": "About (approximate)",
    "stated": "As stated",
    "words": "In words only, no number",
}


_SHORT = {
    _KINDS["lower"]: "lower bound",
    _KINDS["approx"]: "approximate",
    _KINDS["stated"]: "as stated",
    _KINDS["words"]: "words only",
}


def _kind(share: float, note: str) -> str:
    text = note.lower()
    if share != share:
        return _KINDS["words"]
    if "lower bound" in text or "lower end" in text:
        return _KINDS["lower"]
    if "approximate" in text:
        return _KINDS["approx"]
    return _KINDS["stated"]


def settlement_table(statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Russian officials' statements on the share of Russia-China trade paid in roubles and yuan.

    Columns: ``year`` (the year the statement describes), ``period`` (which part of it,
    e.g. '2023 to date' for a share given as 'now'; empty if the frame has no period),
    ``share_pct``, ``statement_by``, ``kind`` (whether the number is a lower bound,
    approximate, as stated, or missing because only words were given), ``order`` (1, 2,
    ... within a year, in the order of the file) and ``note``.
    """
    statements = _or_load(statements, "settlement_statements")
    require_frame(statements, ["year", "share_pct", "statement_by"], "settlement_table")
    out = statements[["year", "share_pct", "statement_by"]].copy()
    out["year"] = out["year"].astype(int)
    out.insert(1, "period", statements["period"] if "period" in statements.columns else None)
    notes = statements["note"] if "note" in statements.columns else pd.Series([None] * len(statements), index=statements.index)
    out["kind"] = [_kind(_num(s), _text(n)) for s, n in zip(out["share_pct"], notes)]
    out["order"] = out.groupby("year").cumcount() + 1
    out["note"] = notes
    out = out.reset_index(drop=True)
    out.attrs["source"] = _cite(statements)
    return out


def settlement_chart(table: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """Points: each numeric statement of the share of Russia-China trade settled in roubles and yuan."""
    require_frame(table, ["year", "share_pct", "statement_by", "kind"], "settlement_chart")
    cite = source_of(table, source, "settlement_chart")
    data = table.dropna(subset=["share_pct"]).copy()
    if data.empty:
        raise ChartInputError("settlement_chart(): no statement in the table gives a number; pass settlement_table().")
    data["year"] = data["year"].astype(int)
    data["note"] = data["note"].map(_text) if "note" in data.columns else ""
    data["slot"] = data.groupby("year").cumcount() + 1  # side by side within a year
    data = data[["year", "share_pct", "statement_by", "kind", "slot", "note"]]
    kinds = [k for k in _KINDS.values() if k in set(data["kind"])]
    chart = (
        alt.Chart(data)
        .mark_point(filled=True, size=110)
        .encode(
            x=alt.X("year:O", title="Year the statement describes", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("slot:O"),
            y=alt.Y("share_pct:Q", title="Share settled in roubles and yuan (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("kind:N", title="The number is", scale=alt.Scale(domain=kinds)),
            shape=alt.Shape("kind:N", title="The number is", scale=alt.Scale(domain=kinds)),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("statement_by:N", title="Said by"),
                alt.Tooltip("share_pct:Q", title="Share (%)", format=".0f"),
                alt.Tooltip("kind:N", title="The number is"),
                alt.Tooltip("note:N", title="Note"),
            ],
        )
    )
    words = int(table["share_pct"].isna().sum())
    description = (
        "Dot chart of statements by Russian officials on the share of Russia-China trade settled in roubles and yuan, "
        "in percent, by year: "
        + "; ".join(f"{int(r.year)} {r.statement_by.split(' (')[0]} {r.share_pct:.0f} ({_SHORT[r.kind]})" for r in data.itertuples())
        + f". {words} statement(s) gave words only and are not drawn."
    )
    return _finish(chart, title or "Russia-China trade paid in roubles and yuan: what Russian officials said", cite, description)


def payment_shares(payments: pd.DataFrame | None = None, currency: str = "CNY") -> pd.DataFrame:
    """Bank of Russia snapshots of one currency's share of payments for all Russia's exports.

    Columns: ``period``, ``share_pct``, ``note``, in the order of the file (oldest first).
    """
    payments = _or_load(payments, "russia_export_payment_currencies")
    require_frame(payments, ["period", "currency", "share_pct"], "payment_shares")
    known = list(dict.fromkeys(payments["currency"]))
    if currency not in known:
        raise ChartInputError(f"payment_shares(): currency {currency!r} is not in the data; choose one of {known}.")
    rows = payments[payments["currency"] == currency]
    out = rows[["period", "share_pct"]].copy()
    out["note"] = rows["note"] if "note" in rows.columns else None
    out = out.reset_index(drop=True)
    out.attrs["source"] = _cite(payments)
    out.attrs["currency"] = currency
    return out


# ------------------------------------------------------------------ cars
def car_exports(
    cars: pd.DataFrame | None = None,
    *,
    reporter: str = GACC_CARS,
    measure: str = "value",
) -> pd.DataFrame:
    """China's car exports to Russia as counted by ONE reporter, in ``measure`` ('units' or 'value').

    Reporters count different things (new and used cars, shipments or
    registrations), so this function never mixes them. Columns: ``year``, ``value``,
    ``unit``, ``description``, ``note``.
    """
    cars = _or_load(cars, "china_car_exports_to_russia")
    require_frame(cars, ["year", "measure", "value", "unit", "reporter"], "car_exports")
    reporters = list(dict.fromkeys(cars["reporter"]))
    if reporter not in reporters:
        raise ChartInputError(f"car_exports(): reporter {reporter!r} is not in the data; choose one of {reporters}.")
    mine = cars[cars["reporter"] == reporter]
    measures = sorted(set(mine["measure"]))
    if measure not in measures:
        raise ChartInputError(
            f"car_exports(): {reporter!r} gives no {measure!r} figures; it gives {measures}. "
            "Choose one of those, or another reporter."
        )
    rows = mine[mine["measure"] == measure]
    out = rows[["year", "value", "unit"]].copy()
    out["year"] = out["year"].astype(int)
    out["description"] = rows["description"] if "description" in rows.columns else None
    out["note"] = rows["note"] if "note" in rows.columns else None
    out = out.sort_values("year", ignore_index=True)
    out.attrs["source"] = _cite(cars)
    out.attrs["reporter"] = reporter
    return out


def car_share_of_exports(cars: pd.DataFrame | None = None, trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """China's car exports to Russia (value, China's customs) as a share of all China's exports to Russia.

    Both figures come from China's customs, so they can be divided. Columns: ``year``,
    ``cars_usd_bn``, ``exports_usd_bn``, ``cars_share_pct``.
    """
    values = car_exports(cars, reporter=GACC_CARS, measure="value")
    exports = russia_trade(trade)[["year", "exports_usd_bn"]]
    out = values[["year", "value"]].rename(columns={"value": "cars_usd_bn"}).merge(exports, on="year", how="left")
    out["cars_share_pct"] = 100 * out["cars_usd_bn"] / out["exports_usd_bn"]
    out.attrs["source"] = _cite(values, exports)
    return out


# -------------------------------------------------------------- explorer
class DependenceExplorer(KernelFallback, widgets.VBox):
    """Pick a year; see China's share of Russia's trade next to Russia's share of China's.

    Only years in which both figures exist are offered; :attr:`gaps` says why each
    other year is left out. With ``crude`` (china_crude_imports) and ``gas``
    (power_of_siberia) the summary adds what Russia sold China that year.
    """

    year = traitlets.Int(help="Year shown; must be one of the years in which both shares are in the data.").tag(sync=False)

    def __init__(
        self,
        trade: pd.DataFrame,
        dependence: pd.DataFrame,
        *,
        crude: pd.DataFrame | None = None,
        gas: pd.DataFrame | None = None,
        year: int | None = None,
        **kwargs: Any,
    ) -> None:
        self._table = dependence_both_ways(trade, dependence)
        self._years = years_with_both_sides(self._table)
        if not self._years:
            raise ChartInputError(
                "DependenceExplorer: no year has both China's share of Russia's trade and Russia's share of China's. "
                "Pass the china_customs_trade and partner_dependence datasets."
            )
        self._crude = russia_crude(crude) if crude is not None else None
        self._gas = power_of_siberia_table(gas) if gas is not None else None
        self._year_control = widgets.Dropdown(
            options=self._years, description="Year", style={"description_width": "initial"}
        )
        self._summary = widgets.HTML(layout=widgets.Layout(margin="4px 0"))
        self._gap_lines = self._explain_gaps()
        self._gaps = widgets.HTML(
            "<details><summary>Why are other years not offered?</summary><ul>"
            + "".join(f"<li>{escape(line)}</li>" for line in self._gap_lines)
            + "</ul></details>"
        )
        self._output = LiveChart(layout=widgets.Layout(min_height="200px"))
        self._summary_text = ""
        self.chart: Any = None
        super().__init__(children=[self._year_control, self._summary, self._output, self._gaps], **kwargs)
        widgets.link((self._year_control, "value"), (self, "year"))
        self.observe(self._redraw, names=["year"])
        self.year = year if year is not None else self._years[-1]
        self._redraw()

    def __repr__(self) -> str:
        return f"DependenceExplorer(year={self.year})"

    @traitlets.validate("year")
    def _valid_year(self, proposal: dict[str, Any]) -> int:
        value = proposal["value"]
        if value not in self._years:
            raise traitlets.TraitError(
                f"year {value!r} is not offered; choose one of {self._years} (the years with both shares)."
            )
        return value

    @property
    def summary(self) -> str:
        """The plain-text summary shown under the year control."""
        return self._summary_text

    @property
    def gaps(self) -> list[str]:
        """One line per year left out, saying which share is missing and why."""
        return list(self._gap_lines)

    def _explain_gaps(self) -> list[str]:
        lines = []
        for r in self._table.itertuples():
            if int(r.year) in self._years:
                continue
            reasons = []
            if r.china_side_gap:
                reasons.append(f"China's side: {r.china_side_gap}")
            if r.russia_side_gap:
                reasons.append(f"Russia's side: {r.russia_side_gap}")
            lines.append(f"{int(r.year)}: " + " ".join(reasons))
        return lines

    def _context(self) -> str:
        parts = []
        if self._crude is not None:
            row = self._crude[self._crude["year"] == self.year]
            if row.empty or pd.isna(row["million_tonnes"].iloc[0]):
                rank = row["rank"].iloc[0] if not row.empty else None
                parts.append(
                    "Crude oil: no tonnage for Russia this year"
                    + (f" (rank {int(rank)} among China's suppliers)." if rank is not None and pd.notna(rank) else ".")
                )
            else:
                r = row.iloc[0]
                text = f"Crude oil: Russia sold China {r['million_tonnes']:.2f} million tonnes"
                if pd.notna(r["share_of_china_pct"]):
                    text += f", {r['share_of_china_pct']:.1f}% of China's crude imports"
                if pd.notna(r["rank"]):
                    text += f", rank {int(r['rank'])} among its suppliers"
                parts.append(text + ".")
        if self._gas is not None:
            row = self._gas[self._gas["year"] == self.year]
            if row.empty or pd.isna(row["bcm"].iloc[0]):
                first = int(self._gas["year"].min())
                parts.append(
                    f"Gas: Power of Siberia had not started deliveries (its data start in {first})."
                    if self.year < first
                    else f"Gas: no Power of Siberia figure for {self.year}."
                )
            else:
                r = row.iloc[0]
                parts.append(
                    f"Gas: {r['bcm']:.2f} bcm through Power of Siberia, "
                    f"{r['pct_of_contract']:.0f}% of the {self._gas.attrs['contract_bcm']:g} bcm contract volume."
                )
        return " ".join(parts)

    def _redraw(self, _change: object = None) -> None:
        row = self._table[self._table["year"] == self.year].iloc[0]
        text = (
            f"{self.year}: China accounted for {row['china_in_russia_pct']:.1f}% of Russia's goods trade "
            f"(Russia's customs service), while Russia accounted for {row['russia_in_china_pct']:.2f}% of China's "
            f"(China's customs): {row['times']:.1f} times as large. China-Russia trade: "
            f"{row['trade_usd_bn']:,.2f} bn US$ (China's customs)."
        )
        context = self._context()
        if context:
            text += " " + context
        if row["russia_side_note"]:
            text += f" Note on the Russian figure: {row['russia_side_note']}"
        self._summary_text = text
        self._summary.value = f"<p>{escape(text)}</p>"
        self.chart = dependence_year_chart(self._table, self.year)
        self._output.show(fitted_spec(self.chart))

