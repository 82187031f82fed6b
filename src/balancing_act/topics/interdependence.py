"""Lesson 4: economic interdependence and strategic hesitation.

Tables, charts and the what-if explorer behind the lesson. Three course datasets
are used, each loaded through :func:`balancing_act.data.load` unless a frame is
passed in (tests pass small frames):

- ``china_customs_trade``: the *scale* of China's trade with its big market partners
  against its trade with Russia and North Korea (:func:`scale_table`,
  :func:`group_totals`, :func:`scale_chart`);
- ``china_crude_imports``: what Russian crude means for China: volumes, rank and
  share of China's total crude imports (:func:`russia_crude`, :func:`crude_chart`);
- ``sanctions_measures``: the recorded Western measures on Chinese firms over Russia
  and China's responses (:func:`measures_by_actor`, :func:`sanctions_timeline`).

The *sanctions exposure* calculator (:func:`exposure`, :func:`exposure_chart`,
:class:`SanctionsExposureExplorer`) answers one hypothetical question: if a chosen
share of China's trade with chosen partners were disrupted, how much trade would that
be, next to China's whole trade with Russia? It is arithmetic on recorded figures, a
what-if and not a forecast: it says nothing about how likely any disruption is.

Importing this module reads nothing and changes no global setting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import altair as alt
import ipywidgets as widgets
import pandas as pd
import traitlets

from balancing_act.fallback import KernelFallback
from balancing_act.live.chart import LiveChart
from balancing_act import charts
from balancing_act.charts import ChartInputError
from balancing_act.data import DataError, load

__all__ = [
    "AT_RISK_PARTNERS",
    "Exposure",
    "SanctionsExposureExplorer",
    "crude_chart",
    "exposure",
    "exposure_chart",
    "group_totals",
    "measures_by_actor",
    "russia_crude",
    "sanctions_timeline",
    "scale_chart",
    "scale_table",
]

#: The partners a learner can put into the what-if calculator (China's large market partners).
AT_RISK_PARTNERS: tuple[str, ...] = ("United States", "European Union", "ASEAN", "Japan", "South Korea")

#: Group labels of the scale table, in display order.
GROUP_LISTED = "Partners that listed Chinese firms over Russia"
GROUP_OTHER = "Other large partners"
GROUP_ALIGNED = "Russia and North Korea"
GROUPS: tuple[str, ...] = (GROUP_LISTED, GROUP_OTHER, GROUP_ALIGNED)

#: Order of actors on the sanctions timeline (China's responses last).
ACTORS: tuple[str, ...] = ("United States", "European Union", "United Kingdom", "Japan", "China")

WHAT_IF_LABEL = "Hypothetical what-if, not a forecast"

#: Short partner names for labels inside bars, and the smallest segment (share of the longest bar) that gets one.
_SHORT = {"European Union": "EU", "United States": "US", "South Korea": "S. Korea", "North Korea": "N. Korea"}
_LABEL_MIN_SHARE = 0.08


def _cite(*frames: pd.DataFrame) -> str:
    lines = [str(f.attrs.get("source", "")) for f in frames if f.attrs.get("source")]
    return " | ".join(dict.fromkeys(lines))


def _years(frame: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in frame["year"].dropna().unique())


def _need(frame: object, columns: Sequence[str], name: str) -> pd.DataFrame:
    """A frame given to a table function must have the dataset's columns."""
    if not isinstance(frame, pd.DataFrame):
        raise DataError(
            f"{name}: expected a pandas DataFrame, got {type(frame).__name__}. Pass the frame returned by load()."
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{name}: the frame lacks the columns {missing}; it has {list(frame.columns)}.")
    return frame


# --------------------------------------------------------------------- scale
def _listing_governments(sanctions: pd.DataFrame) -> set[str]:
    """Actors other than China that appear in the sanctions list."""
    return {str(a) for a in sanctions["actor"].unique() if a != "China"}


def scale_table(
    year: int,
    trade: pd.DataFrame | None = None,
    sanctions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """China's trade with each partner in ``year``, grouped, with its share of China's total.

    Columns: ``partner``, ``group``, ``total_usd_bn`` (billion US$) and ``share_pct``
    (percent of China's trade with the world that year; NaN when the world total is not
    in the data). Partners whose government appears as an actor in ``sanctions_measures``
    (the United States, the EU and Japan) form the first group, ASEAN and South Korea the
    second, Russia and North Korea the third. Largest partner first within a group.
    """
    trade = load("china_customs_trade") if trade is None else trade
    sanctions = load("sanctions_measures") if sanctions is None else sanctions
    _need(trade, ["year", "partner", "total_usd_bn"], "scale_table")
    _need(sanctions, ["actor"], "scale_table")
    years = _years(trade)
    if year not in years:
        raise DataError(f"No trade figures for {year!r}; the data cover {years}. Choose one of those years.")
    rows = trade[(trade["year"] == year)].dropna(subset=["total_usd_bn"])
    world = rows.loc[rows["partner"] == "World", "total_usd_bn"]
    listed = _listing_governments(sanctions)
    out = rows.loc[rows["partner"] != "World", ["partner", "total_usd_bn"]].copy()
    out["total_usd_bn"] = out["total_usd_bn"].astype(float)

    def group(partner: str) -> str:
        if partner in ("Russia", "North Korea"):
            return GROUP_ALIGNED
        return GROUP_LISTED if partner in listed else GROUP_OTHER

    out["group"] = out["partner"].map(group)
    out["share_pct"] = 100 * out["total_usd_bn"] / float(world.iloc[0]) if not world.empty else float("nan")
    out["_order"] = out["group"].map(GROUPS.index)
    out = out.sort_values(["_order", "total_usd_bn"], ascending=[True, False]).drop(columns="_order")
    out = out[["partner", "group", "total_usd_bn", "share_pct"]].reset_index(drop=True)
    out.attrs["source"] = _cite(trade, sanctions)
    out.attrs["year"] = year
    out.attrs["missing"] = [p for p in (*AT_RISK_PARTNERS, "Russia", "North Korea") if p not in set(out["partner"])]
    if world.empty:
        out.attrs["note"] = f"China's trade with the world for {year} is not in the data, so shares cannot be computed."
    return out


def group_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Sum a :func:`scale_table` by group.

    Columns: ``group``, ``partners`` (names joined by commas), ``total_usd_bn``,
    ``share_pct`` and ``times_russia_nk``: how many times the group's trade is China's
    trade with Russia and North Korea together.
    """
    _need(table, ["partner", "group", "total_usd_bn", "share_pct"], "group_totals")
    if table.empty:
        raise DataError("group_totals: the table is empty; build it with scale_table(year).")
    rows = []
    for name in GROUPS:
        part = table[table["group"] == name]
        if part.empty:
            continue
        share = part["share_pct"].sum(min_count=1) if part["share_pct"].notna().all() else float("nan")
        rows.append(
            {
                "group": name,
                "partners": ", ".join(part["partner"]),
                "total_usd_bn": float(part["total_usd_bn"].sum()),
                "share_pct": float(share),
            }
        )
    out = pd.DataFrame(rows)
    aligned = out.loc[out["group"] == GROUP_ALIGNED, "total_usd_bn"]
    base = float(aligned.iloc[0]) if not aligned.empty else float("nan")
    out["times_russia_nk"] = out["total_usd_bn"] / base
    out.attrs.update(table.attrs)
    return out


def scale_chart(
    frame: pd.DataFrame,
    *,
    year: int,
    title: str | None = None,
    source: str | None = None,
) -> alt.Chart:
    """Stacked horizontal bars: China's trade by group of partners in ``year`` (billion US$).

    ``frame`` is a :func:`scale_table`. Each bar is one group, split into its partners
    (hover a segment to see the partner, its trade and its share of China's total).
    """
    charts.require_frame(frame, ["partner", "group", "total_usd_bn"], "scale_chart")
    cite = charts.source_of(frame, source, "scale_chart")
    data = frame.dropna(subset=["total_usd_bn"]).copy()
    if data.empty:
        raise ChartInputError(f"scale_chart(): no partner has a trade figure for {year}.")
    columns = ["partner", "group", "total_usd_bn"]
    tooltip = [
        alt.Tooltip("group:N", title="Group"),
        alt.Tooltip("partner:N", title="Partner"),
        alt.Tooltip("total_usd_bn:Q", title="Billion US$", format=",.1f"),
    ]
    if "share_pct" in data.columns and data["share_pct"].notna().any():
        columns.append("share_pct")
        tooltip.append(alt.Tooltip("share_pct:Q", title="Share of China's total (%)", format=".2f"))
    order = [g for g in GROUPS if g in set(data["group"])]
    data["_order"] = data["group"].map(order.index)
    data = data.sort_values(["_order", "total_usd_bn"], ascending=[True, False])
    data["x0"] = data.groupby("group")["total_usd_bn"].cumsum() - data["total_usd_bn"]
    data["x1"] = data["x0"] + data["total_usd_bn"]
    data["mid"] = (data["x0"] + data["x1"]) / 2
    data["label"] = data["partner"].map(lambda p: _SHORT.get(p, p))
    # Name a segment inside the bar only where it is wide enough to hold the name.
    data["label"] = data["label"].where(data["total_usd_bn"] >= _LABEL_MIN_SHARE * data["x1"].max(), "")
    columns += ["x0", "x1", "mid", "label"]
    base = alt.Chart(data[columns]).encode(
        y=alt.Y("group:N", title=None, sort=order, axis=alt.Axis(labelLimit=300)),
        tooltip=tooltip,
    )
    bars = base.mark_bar(stroke="white", strokeWidth=1.5).encode(
        x=alt.X("x0:Q", title="China's goods trade, billion US dollars"),
        x2="x1:Q",
        color=alt.Color("group:N", title=None, sort=order, legend=None),
    )
    labels = base.mark_text(color="#1a1a1a", fontSize=11).encode(x="mid:Q", text="label:N")
    totals = group_totals(data if "share_pct" in data.columns else data.assign(share_pct=float("nan")))
    parts = []
    for r in totals.itertuples():
        text = f"{r.group} ({r.partners}) {r.total_usd_bn:,.1f} billion"
        if r.share_pct == r.share_pct:
            text += f", {r.share_pct:.1f}% of China's total"
        parts.append(text)
    description = f"Stacked bar chart of China's goods trade in {year} by group of partners, in billion US dollars: " + "; ".join(parts) + "."
    heading = title or f"Where China's trade is: groups of partners, {year}"
    chart = charts.finish(alt.layer(bars, labels), heading, cite, description, height=150)
    # A source line that cites two datasets is shown as two lines, each starting "Source:".
    return chart.properties(title=alt.TitleParams(text=heading, subtitle=cite.split(" | "), anchor="start"))


# --------------------------------------------------------------------- crude
def russia_crude(crude: pd.DataFrame | None = None) -> pd.DataFrame:
    """China's crude oil imports from Russia by year, with rank and share of China's total.

    Columns: ``year``, ``million_tonnes`` (NaN where no figure was found), ``rank``
    (Russia's rank among China's suppliers where a source states it, else missing),
    ``china_total_mt`` (China's total crude imports, where the data have it),
    ``share_pct`` (Russia's share of China's total, only where both figures exist) and
    ``note``.
    """
    crude = load("china_crude_imports") if crude is None else crude
    _need(crude, ["year", "supplier", "million_tonnes", "rank"], "russia_crude")
    russia = crude[crude["supplier"] == "Russia"].copy()
    if russia.empty:
        raise DataError("russia_crude: the frame has no 'Russia' rows. Load china_crude_imports.")
    world = crude[crude["supplier"] == "World"].set_index("year")["million_tonnes"]
    out = pd.DataFrame(
        {
            "year": russia["year"].astype(int).to_numpy(),
            "million_tonnes": russia["million_tonnes"].astype(float).to_numpy(),
        }
    )
    out["rank"] = russia["rank"].astype("Int64").reset_index(drop=True)
    out["china_total_mt"] = [float(world.get(y, float("nan"))) for y in out["year"]]
    out["share_pct"] = 100 * out["million_tonnes"] / out["china_total_mt"]
    out["note"] = russia["note"].to_numpy() if "note" in russia.columns else None
    out = out.sort_values("year", ignore_index=True)
    out.attrs["source"] = _cite(crude)
    return out


def crude_chart(
    crude: pd.DataFrame,
    *,
    suppliers: Sequence[str] = ("Russia", "Saudi Arabia"),
    title: str | None = None,
    source: str | None = None,
) -> alt.Chart:
    """Lines of China's crude imports from each supplier by year (million tonnes).

    ``crude`` is the ``china_crude_imports`` dataset. Years without a tonnage are left
    out, not drawn as zero; the tooltip shows the rank (where stated) and the share of
    China's total crude imports (where the total is in the data).
    """
    charts.require_frame(crude, ["year", "supplier", "million_tonnes"], "crude_chart")
    cite = charts.source_of(crude, source, "crude_chart")
    unknown = [s for s in suppliers if s not in set(crude["supplier"])]
    if unknown:
        raise ChartInputError(
            f"crude_chart(): no rows for {unknown}; choose suppliers from {sorted(set(crude['supplier']) - {'World'})}."
        )
    world = crude[crude["supplier"] == "World"].set_index("year")["million_tonnes"]
    rows = crude[crude["supplier"].isin(suppliers)].dropna(subset=["million_tonnes"])
    if rows.empty:
        raise ChartInputError(f"crude_chart(): none of {list(suppliers)} has a tonnage figure to draw.")
    data = pd.DataFrame(
        {
            "year": rows["year"].astype(int).to_numpy(),
            "supplier": rows["supplier"].astype(str).to_numpy(),
            "million_tonnes": rows["million_tonnes"].astype(float).to_numpy(),
            "rank": [None if pd.isna(r) else int(r) for r in rows["rank"]] if "rank" in rows.columns else None,
        }
    )
    shares = []
    for r in data.itertuples():
        total = world.get(r.year)
        shares.append(None if total is None or pd.isna(total) else round(100 * r.million_tonnes / float(total), 2))
    data["share_pct"] = shares
    order = list(suppliers)
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=60, filled=True))
        .encode(
            x=alt.X(
                "year:Q",
                title="Year",
                scale=alt.Scale(zero=False),
                axis=alt.Axis(format="d", tickMinStep=1, labelAngle=0),
            ),
            y=alt.Y("million_tonnes:Q", title="Crude oil imports, million tonnes"),
            color=alt.Color("supplier:N", title="Supplier", sort=order, legend=alt.Legend(symbolType="stroke")),
            strokeDash=alt.StrokeDash("supplier:N", title="Supplier", sort=order, legend=None),
            tooltip=[
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("supplier:N", title="Supplier"),
                alt.Tooltip("million_tonnes:Q", title="Million tonnes", format=",.2f"),
                alt.Tooltip("rank:Q", title="Rank among China's suppliers (where stated)"),
                alt.Tooltip("share_pct:Q", title="Share of China's crude imports (%)", format=".1f"),
            ],
        )
    )
    parts = []
    for supplier in order:
        own = data[data["supplier"] == supplier]
        if own.empty:
            continue
        first, last = own.iloc[0], own.iloc[-1]
        parts.append(
            f"{supplier} from {first['million_tonnes']:,.1f} million tonnes in {int(first['year'])} "
            f"to {last['million_tonnes']:,.1f} in {int(last['year'])}"
        )
    description = (
        "Line chart of China's crude oil imports by supplier, in million tonnes per year; years without a figure are "
        "left out. " + "; ".join(parts) + "."
    )
    first_year, last_year = int(data["year"].min()), int(data["year"].max())
    return charts.finish(
        chart,
        title or f"China's crude oil imports from {' and '.join(order)}, {first_year}-{last_year}",
        cite,
        description,
    )


# ----------------------------------------------------------------- sanctions
def measures_by_actor(sanctions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Number of entries in ``sanctions_measures`` per actor and year.

    One row per actor (in :data:`ACTORS` order), one column per year, plus ``total``.
    China's rows are its responses (statements and countermeasures).
    """
    sanctions = load("sanctions_measures") if sanctions is None else sanctions
    _need(sanctions, ["date", "actor"], "measures_by_actor")
    frame = sanctions.assign(year=sanctions["date"].str.slice(0, 4).astype(int))
    table = pd.crosstab(frame["actor"], frame["year"])
    order = [a for a in ACTORS if a in table.index] + [a for a in table.index if a not in ACTORS]
    table = table.loc[order]
    table["total"] = table.sum(axis=1)
    table.columns = [str(c) for c in table.columns]
    table.index.name = "actor"
    table.attrs["source"] = _cite(sanctions)
    return table


def sanctions_timeline(
    frame: pd.DataFrame,
    *,
    title: str | None = None,
    source: str | None = None,
) -> alt.Chart:
    """Timeline of recorded measures on Chinese firms over Russia, and China's responses.

    ``frame`` is the ``sanctions_measures`` dataset. One row per actor, one dot per
    measure; hover a dot for the measure, its target and a one-sentence summary.
    Circles are measures on Chinese firms or banks, diamonds China's responses.
    """
    charts.require_frame(frame, ["date", "actor", "measure", "target", "summary"], "sanctions_timeline")
    cite = charts.source_of(frame, source, "sanctions_timeline")
    data = frame[["date", "actor", "measure", "target", "summary"]].copy()
    data["kind"] = data["actor"].map(lambda a: "China's response" if a == "China" else "Measure on Chinese firms")
    order = [a for a in ACTORS if a in set(data["actor"])] + sorted(set(data["actor"]) - set(ACTORS))
    chart = (
        alt.Chart(data)
        .mark_point(size=110, filled=True, opacity=0.85)
        .encode(
            x=alt.X(
                "date:T",
                title="Date of the measure or statement",
                scale=alt.Scale(padding=12),
                axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}),
            ),
            y=alt.Y("actor:N", title=None, sort=order),
            color=alt.Color("actor:N", title="Actor", sort=order),
            shape=alt.Shape(
                "kind:N",
                title=None,
                sort=["Measure on Chinese firms", "China's response"],
                scale=alt.Scale(range=["circle", "diamond"]),
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%d %B %Y"),
                alt.Tooltip("actor:N", title="Actor"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("target:N", title="Target"),
                alt.Tooltip("summary:N", title="What it did"),
            ],
        )
    )
    counts = data["actor"].value_counts()
    first, last = data["date"].min(), data["date"].max()
    description = (
        f"Timeline of {len(data)} recorded measures and responses from {first} to {last}, one row per actor: "
        + "; ".join(f"{a} {int(counts[a])}" for a in order)
        + ". The first measure on Chinese firms listed is by the "
        + str(data.sort_values("date").query("actor != 'China'")["actor"].iloc[0])
        + "."
    )
    return charts.finish(
        chart,
        title or "Measures on Chinese firms over Russia, and China's responses",
        cite,
        description,
        height=200,
    )


# ------------------------------------------------------------------ what-if
@dataclass(frozen=True)
class Exposure:
    """The result of one what-if calculation (see :func:`exposure`). All amounts in billion US$."""

    year: int
    disruption_pct: float
    partners: tuple[str, ...]
    missing: tuple[str, ...]
    partners_usd_bn: float
    at_stake_usd_bn: float
    world_usd_bn: float | None
    at_stake_pct_of_total: float | None
    russia_usd_bn: float | None
    times_russia: float | None
    source: str

    def frame(self) -> pd.DataFrame:
        """The three amounts to compare, as a frame for :func:`exposure_chart`."""
        pct = f"{self.disruption_pct:g}%"
        rows = [
            {"item": "Trade with the chosen partners", "usd_bn": self.partners_usd_bn},
            {"item": f"What-if: {pct} of it disrupted", "usd_bn": self.at_stake_usd_bn},
        ]
        if self.russia_usd_bn is not None:
            rows.append({"item": "China's trade with Russia", "usd_bn": self.russia_usd_bn})
        out = pd.DataFrame(rows)
        if self.world_usd_bn:
            out["share_pct"] = 100 * out["usd_bn"] / self.world_usd_bn
        out.attrs.update(
            {"source": self.source, "year": self.year, "disruption_pct": self.disruption_pct, "partners": self.partners}
        )
        return out

    def summary(self) -> str:
        """The result in one short paragraph of plain text, labelled as a what-if."""
        names = _join(self.partners)
        text = (
            f"{WHAT_IF_LABEL}. If {self.disruption_pct:g}% of China's {self.year} trade with {names} "
            f"({self.partners_usd_bn:,.1f} bn US$) were disrupted, {self.at_stake_usd_bn:,.1f} bn US$ of trade would be at stake"
        )
        if self.at_stake_pct_of_total is not None:
            text += f" = {self.at_stake_pct_of_total:.2f}% of China's total trade that year."
        else:
            text += f". China's total trade with the world for {self.year} is not in the data, so no share can be given."
        if self.russia_usd_bn is not None and self.times_russia is not None:
            text += (
                f" China's whole trade with Russia in {self.year} was {self.russia_usd_bn:,.1f} bn US$; "
                f"the amount at stake is {self.times_russia:.2f} times that."
            )
        if self.missing:
            text += f" No {self.year} figure for {_join(self.missing)}, so left out."
        return text


_ARTICLE = {"United States": "the United States", "European Union": "the European Union"}


def _join(names: Sequence[str]) -> str:
    """Names in running text: 'the United States, the European Union and Japan'."""
    names = [_ARTICLE.get(n, n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def exposure(
    year: int,
    partners: Iterable[str],
    disruption_pct: float,
    trade: pd.DataFrame | None = None,
) -> Exposure:
    """What-if arithmetic: ``disruption_pct`` percent of China's trade with ``partners`` in ``year``.

    Returns an :class:`Exposure` with the trade at stake in billion US$, as a percent of
    China's total trade with the world that year (``None`` where the total is not in the
    data) and as a multiple of China's trade with Russia that year. Partners with no
    figure for ``year`` are listed in ``missing`` and left out. This is a hypothetical
    calculation on recorded figures, not a forecast.
    """
    trade = load("china_customs_trade") if trade is None else trade
    _need(trade, ["year", "partner", "total_usd_bn"], "exposure")
    if isinstance(partners, str):
        partners = [partners]
    chosen = list(dict.fromkeys(partners))
    if not chosen:
        raise DataError(f"exposure: choose at least one partner from {list(AT_RISK_PARTNERS)}.")
    unknown = [p for p in chosen if p not in AT_RISK_PARTNERS]
    if unknown:
        raise DataError(
            f"exposure: {unknown[0]!r} is not one of the partners offered; choose from {list(AT_RISK_PARTNERS)}."
        )
    if isinstance(disruption_pct, bool) or not isinstance(disruption_pct, (int, float)) or not 0 <= disruption_pct <= 100:
        raise DataError(
            f"exposure: disruption_pct must be a number from 0 to 100 (a percentage), got {disruption_pct!r}."
        )
    years = _years(trade)
    if year not in years:
        raise DataError(f"exposure: no trade figures for {year!r}; the data cover {years}.")
    rows = trade[trade["year"] == year].dropna(subset=["total_usd_bn"]).set_index("partner")["total_usd_bn"]
    used = tuple(p for p in chosen if p in rows.index)
    missing = tuple(p for p in chosen if p not in rows.index)
    if not used:
        offered = [p for p in AT_RISK_PARTNERS if p in rows.index]
        raise DataError(
            f"exposure: no {year} figure for {_join(missing)}. Partners with a {year} figure: {offered or 'none'}."
        )
    base = float(sum(float(rows[p]) for p in used))
    at_stake = base * float(disruption_pct) / 100
    world = float(rows["World"]) if "World" in rows.index else None
    russia = float(rows["Russia"]) if "Russia" in rows.index else None
    return Exposure(
        year=int(year),
        disruption_pct=float(disruption_pct),
        partners=used,
        missing=missing,
        partners_usd_bn=base,
        at_stake_usd_bn=at_stake,
        world_usd_bn=world,
        at_stake_pct_of_total=None if world is None else 100 * at_stake / world,
        russia_usd_bn=russia,
        times_russia=None if not russia else at_stake / russia,
        source=_cite(trade),
    )


def exposure_chart(
    frame: pd.DataFrame,
    *,
    title: str | None = None,
    source: str | None = None,
) -> alt.Chart:
    """Bars comparing the what-if amount at stake with the trade it comes from and with Russia.

    ``frame`` is ``exposure(...).frame()``: columns ``item`` and ``usd_bn`` (billion
    US$), optionally ``share_pct``; ``attrs`` give ``year`` and ``disruption_pct``. The
    title says the chart is a hypothetical what-if, not a forecast.
    """
    charts.require_frame(frame, ["item", "usd_bn"], "exposure_chart")
    cite = charts.source_of(frame, source, "exposure_chart")
    year = frame.attrs.get("year", "")
    order = list(frame["item"])
    columns = ["item", "usd_bn"]
    tooltip = [alt.Tooltip("item:N", title="Amount"), alt.Tooltip("usd_bn:Q", title="Billion US$", format=",.1f")]
    if "share_pct" in frame.columns and frame["share_pct"].notna().any():
        columns.append("share_pct")
        tooltip.append(alt.Tooltip("share_pct:Q", title="Share of China's total trade (%)", format=".2f"))
    # Bars in the frame's order by position, not by their labels: the what-if label names its
    # percentage, and an explorer that changes it then keeps one layout (the page updates in place).
    by_position = alt.EncodingSortField(field="position", op="min")
    chart = (
        alt.Chart(frame[columns].assign(position=range(len(order))))
        .mark_bar()
        .encode(
            y=alt.Y("item:N", title=None, sort=by_position, axis=alt.Axis(labelLimit=300)),
            x=alt.X("usd_bn:Q", title="Billion US dollars (current)"),
            color=alt.Color("item:N", title=None, sort=by_position, legend=None),
            tooltip=tooltip,
        )
    )
    description = (
        f"{WHAT_IF_LABEL}. Bar chart, billion US dollars, {year}: "
        + "; ".join(f"{r.item} {r.usd_bn:,.1f}" for r in frame.itertuples())
        + "."
    )
    return charts.finish(
        chart,
        title or f"What-if: trade at stake in {year} (hypothetical, not a forecast)",
        cite,
        description,
        height=110,
    )


class SanctionsExposureExplorer(KernelFallback, widgets.VBox):
    """A what-if calculator: choose a year, partners and a hypothetical disruption share.

    Shows the trade at stake in billion US$ and as a percent of China's total trade,
    next to China's trade with Russia that year. It is labelled everywhere as a
    hypothetical what-if, not a forecast. ``frame`` is the ``china_customs_trade``
    dataset; only years with a figure for at least one offered partner are offered.
    """

    year = traitlets.Int(help="Calendar year of the trade figures; one of the years offered.").tag(sync=False)
    partners = traitlets.Tuple(
        help="Partners whose trade with China is put at stake; any of " + ", ".join(AT_RISK_PARTNERS) + "."
    ).tag(sync=False)
    disruption_pct = traitlets.Int(
        10, help="Hypothetical share of that trade disrupted, in percent (0 to 100). Not a forecast."
    ).tag(sync=False)

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        year: int | None = None,
        partners: Sequence[str] = ("United States", "European Union", "Japan"),
        disruption_pct: int = 10,
        **kwargs: Any,
    ) -> None:
        charts.require_frame(frame, ["year", "partner", "total_usd_bn"], "SanctionsExposureExplorer")
        self._frame = frame
        have = frame[frame["partner"].isin(AT_RISK_PARTNERS)].dropna(subset=["total_usd_bn"])
        self._years = sorted(int(y) for y in have["year"].unique())
        if not self._years:
            raise ChartInputError(
                f"SanctionsExposureExplorer: the frame has no figures for any of {list(AT_RISK_PARTNERS)}."
            )
        self._partners = tuple(p for p in AT_RISK_PARTNERS if p in set(have["partner"]))
        self._year_control = widgets.Dropdown(
            options=self._years, description="Year", style={"description_width": "initial"}
        )
        self._partner_control = widgets.SelectMultiple(
            options=self._partners,
            description="Partners",
            rows=len(self._partners),
            style={"description_width": "initial"},
        )
        # A number box rather than a slider: ipywidgets' slider handles carry no accessible
        # name, while a labelled number box is announced by screen readers.
        self._share_control = widgets.BoundedIntText(
            min=0,
            max=100,
            step=5,
            description="What-if share disrupted (%)",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="320px"),
        )
        self._label = widgets.HTML(
            f"<p><b>{escape(WHAT_IF_LABEL)}.</b> {escape('Choose partners and a share; the calculator multiplies recorded trade figures. It says nothing about how likely a disruption is.')}</p>"
        )
        self._summary = widgets.HTML(layout=widgets.Layout(margin="4px 0"))
        self._output = LiveChart(layout=widgets.Layout(min_height="220px"))
        self._summary_text = ""
        self.result: Exposure | None = None
        self.chart: Any = None
        super().__init__(
            children=[
                self._label,
                self._year_control,
                self._partner_control,
                self._share_control,
                self._summary,
                self._output,
            ],
            **kwargs,
        )
        widgets.link((self._year_control, "value"), (self, "year"))
        widgets.link((self._partner_control, "value"), (self, "partners"))
        widgets.link((self._share_control, "value"), (self, "disruption_pct"))
        self.year = year if year is not None else self._years[0]
        self.partners = tuple(partners)
        self.disruption_pct = disruption_pct
        self.observe(self._redraw, names=["year", "partners", "disruption_pct"])
        self._redraw()

    def __repr__(self) -> str:
        return (
            f"SanctionsExposureExplorer(year={self.year}, partners={list(self.partners)!r}, "
            f"disruption_pct={self.disruption_pct})"
        )

    @traitlets.validate("year")
    def _valid_year(self, proposal: dict[str, Any]) -> int:
        value = proposal["value"]
        if value not in self._years:
            raise traitlets.TraitError(f"year {value!r} is not offered; choose one of {self._years}.")
        return value

    @traitlets.validate("partners")
    def _valid_partners(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        value = tuple(proposal["value"])
        unknown = [p for p in value if p not in self._partners]
        if unknown:
            raise traitlets.TraitError(
                f"partner {unknown[0]!r} is not offered; choose from {list(self._partners)}."
            )
        return tuple(p for p in self._partners if p in value)

    @traitlets.validate("disruption_pct")
    def _valid_share(self, proposal: dict[str, Any]) -> int:
        value = proposal["value"]
        if not 0 <= value <= 100:
            raise traitlets.TraitError(f"disruption_pct {value!r} is outside 0-100; give a percentage such as 10.")
        return value

    @property
    def summary(self) -> str:
        """The plain-text result shown under the controls."""
        return self._summary_text

    def _show(self, text: str, chart: Any = None) -> None:
        self._summary_text = text
        self._summary.value = f"<p>{escape(text)}</p>"
        self.chart = chart
        if chart is None:
            self._output.clear()
        else:
            self._output.show(charts.fitted_spec(chart))

    def _redraw(self, _change: object = None) -> None:
        if not self.partners:
            self.result = None
            self._show(f"{WHAT_IF_LABEL}. Choose at least one partner (hold Ctrl or Cmd to select several).")
            return
        try:
            result = exposure(self.year, self.partners, self.disruption_pct, self._frame)
        except DataError as problem:
            self.result = None
            self._show(f"{WHAT_IF_LABEL}. {str(problem).removeprefix('exposure: ')}")
            return
        self.result = result
        self._show(result.summary(), exposure_chart(result.frame()))
