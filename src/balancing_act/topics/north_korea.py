"""Lesson 3, the North Korean dimension: tables, charts and the timeline explorer.

The lesson puts three kinds of evidence side by side:

- **Trade.** China's customs record China's goods trade with North Korea; KOTRA, a
  South Korean trade agency, compiles North Korea's trade from its partners' data and
  states China's share of it. From 2014 on KOTRA adds an estimate of Chinese crude oil
  that China's customs record as zero, so its figure is higher.
  :func:`trade_two_sources` lines the two up year by year.
- **Votes.** How China and Russia voted on the UN Security Council's North Korea
  texts, 2006-2024 (:func:`unsc_votes`, :func:`vote_pattern`).
- **Events.** Treaties, summits, troop deployments, the border closure and nuclear
  tests (:func:`timeline_events`), which the :class:`TimelineExplorer` overlays on the
  trade line.

Every function takes the frames it needs (so tests can pass small ones) or loads them
with :func:`balancing_act.data.load`. Importing this module reads nothing and changes
no global setting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

import altair as alt
import ipywidgets as widgets
import pandas as pd
import traitlets

from balancing_act.fallback import KernelFallback
from balancing_act.live.chart import LiveChart
from balancing_act import charts
from balancing_act.charts import PALETTE, ChartInputError, finish, require_frame
from balancing_act.data import DataError, load

__all__ = [
    "CATEGORY_LABELS",
    "CUSTOMS",
    "KOTRA",
    "TimelineExplorer",
    "change_from",
    "china_share_chart",
    "timeline_chart",
    "timeline_events",
    "trade_long",
    "trade_two_sources",
    "two_sources_chart",
    "unsc_votes",
    "unsc_votes_chart",
    "vote_pattern",
]

#: Series names used in tables and chart legends.
CUSTOMS = "China's customs (GACC)"
KOTRA = "KOTRA (adds estimated crude oil)"

#: Event categories shown on the timeline, in legend order. The events file's own
#: 'sanctions' rows are all Security Council votes, so the timeline takes those from
#: the votes dataset, which has every vote and how China and Russia cast theirs.
CATEGORY_LABELS: dict[str, str] = {
    "unsc": "UN Security Council vote",
    "nuclear_test": "Nuclear test",
    "border": "Border",
    "summit": "Summit",
    "treaty": "Treaty",
    "military": "Troops and military",
}

#: Years in which North Korea's border was closed for the whole year (COVID-19).
BORDER_CLOSED = (2020, 2021)

_TRADE_GREY = "#7F7F7F"  # neutral, readable on light and dark themes; event colours keep the palette
_VOTE_COLOURS = {"yes": PALETTE[0], "abstain": PALETTE[1], "no": PALETTE[5]}


# --------------------------------------------------------------------- helpers
def _cite(*frames: pd.DataFrame) -> str:
    lines = [str(f.attrs.get("source", "")) for f in frames if f.attrs.get("source")]
    return " | ".join(dict.fromkeys(lines))


def _years(frame: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in frame["year"].dropna().unique())


def _short_source(*names: str) -> str:
    """A one-line source for a chart: who compiled the figures, and where each row's source is named.

    The datasets' full citations are too long for a chart subtitle; every row of the
    CSV files under data/ names its own source.
    """
    parts = {
        "china_customs_trade": "China's customs (GACC)",
        "partner_dependence": "KOTRA",
        "unsc_dprk_votes": "UN records",
        "dprk_events": "news reports",
    }
    who = ", ".join(dict.fromkeys(parts.get(n, n) for n in names))
    where = f"data/{names[0]}.csv" if len(names) == 1 else "the files in data/"
    return f"Source: {who}, as reported; each row names its source in {where}"


# ----------------------------------------------------------------------- trade
def trade_two_sources(trade: pd.DataFrame | None = None, dependence: pd.DataFrame | None = None) -> pd.DataFrame:
    """China-North Korea goods trade by year as China's customs and KOTRA record it.

    Columns: ``year``; ``china_customs_usd_bn`` (China's customs, ``china_customs_trade``);
    ``kotra_usd_bn`` (North Korea's trade with China as KOTRA states it,
    ``partner_dependence``); ``gap_usd_bn`` (KOTRA minus China's customs, where both
    exist); ``kotra_china_share_pct`` (China's share of North Korea's recorded trade,
    KOTRA); ``customs_note`` and ``kotra_note``. One row per year that either source
    covers; a missing figure stays missing (NaN), never zero.
    """
    trade = load("china_customs_trade") if trade is None else trade
    dependence = load("partner_dependence") if dependence is None else dependence
    require_frame(trade, ["year", "partner", "total_usd_bn"], "trade_two_sources")
    require_frame(dependence, ["year", "country", "reporter", "trade_with_china_usd_bn", "china_share_pct"], "trade_two_sources")
    customs = trade[trade["partner"] == "North Korea"]
    kotra = dependence[(dependence["country"] == "North Korea") & (dependence["reporter"] == "KOTRA")]
    if customs.empty and kotra.empty:
        raise DataError(
            "trade_two_sources(): no North Korea rows found (partner 'North Korea' in the trade frame, "
            "country 'North Korea' with reporter 'KOTRA' in the dependence frame). Pass the course datasets."
        )
    left = pd.DataFrame(
        {
            "year": customs["year"].astype(int).to_numpy(),
            "china_customs_usd_bn": customs["total_usd_bn"].astype(float).to_numpy(),
            "customs_note": customs["note"].to_numpy() if "note" in customs else None,
        }
    )
    right = pd.DataFrame(
        {
            "year": kotra["year"].astype(int).to_numpy(),
            "kotra_usd_bn": kotra["trade_with_china_usd_bn"].astype(float).to_numpy(),
            "kotra_china_share_pct": kotra["china_share_pct"].astype(float).to_numpy(),
            "kotra_note": kotra["note"].to_numpy() if "note" in kotra else None,
        }
    )
    out = left.merge(right, on="year", how="outer").sort_values("year", ignore_index=True)
    out["gap_usd_bn"] = out["kotra_usd_bn"] - out["china_customs_usd_bn"]
    out = out[
        ["year", "china_customs_usd_bn", "kotra_usd_bn", "gap_usd_bn", "kotra_china_share_pct", "customs_note", "kotra_note"]
    ]
    out.attrs["source"] = _cite(trade, dependence)
    out.attrs["chart_source"] = _short_source("china_customs_trade", "partner_dependence")
    return out


def trade_long(wide: pd.DataFrame) -> pd.DataFrame:
    """The two trade series of :func:`trade_two_sources` in long form for charts.

    Columns ``year``, ``reporter`` (:data:`CUSTOMS` or :data:`KOTRA`), ``usd_bn`` and
    ``note``; years without a figure are left out.
    """
    require_frame(wide, ["year", "china_customs_usd_bn", "kotra_usd_bn"], "trade_long")
    parts = []
    for column, reporter, note in (
        ("china_customs_usd_bn", CUSTOMS, "customs_note"),
        ("kotra_usd_bn", KOTRA, "kotra_note"),
    ):
        part = pd.DataFrame(
            {
                "year": wide["year"].astype(int),
                "reporter": reporter,
                "usd_bn": wide[column].astype(float),
                "note": wide[note] if note in wide.columns else None,
            }
        )
        parts.append(part.dropna(subset=["usd_bn"]))
    out = pd.concat(parts, ignore_index=True)
    out["note"] = out["note"].astype(object).where(out["note"].notna(), "")
    out.attrs.update(wide.attrs)
    return out


def change_from(wide: pd.DataFrame, base_year: int, column: str = "china_customs_usd_bn") -> pd.DataFrame:
    """Each year's figure in ``column`` as a percentage of ``base_year``'s.

    Returns ``year``, ``column`` and ``pct_of_base`` for the years with a figure, e.g.
    ``change_from(trade_two_sources(), 2019)`` shows how far trade fell during the
    border closure and how far it recovered.
    """
    require_frame(wide, ["year", column], "change_from")
    rows = wide[["year", column]].dropna(subset=[column])
    years = _years(rows)
    if base_year not in years:
        raise DataError(f"change_from(): no {column!r} figure for base year {base_year!r}; choose one of {years}.")
    base = float(rows.loc[rows["year"] == base_year, column].iloc[0])
    if base == 0:
        raise DataError(f"change_from(): the {base_year} figure is zero, so percentages of it are undefined; choose another base year.")
    out = rows.reset_index(drop=True).copy()
    out["pct_of_base"] = 100 * out[column] / base
    out.attrs.update(wide.attrs)
    out.attrs["base_year"] = base_year
    return out


# ----------------------------------------------------------------------- votes
def unsc_votes(votes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Security Council's North Korea votes with a short label and the tally.

    Columns: ``date``, ``year``, ``label`` (e.g. ``"1718 (2006)"`` or ``"Draft (2022)"``),
    ``document``, ``outcome``, ``tally`` (``"15-0-0"``: for, against, abstaining),
    ``china_vote``, ``russia_vote``, ``summary``; oldest first.
    """
    votes = load("unsc_dprk_votes") if votes is None else votes
    require_frame(
        votes, ["date", "document", "outcome", "in_favour", "against", "abstentions", "china_vote", "russia_vote"], "unsc_votes"
    )
    out = votes.sort_values("date", ignore_index=True).copy()
    out["year"] = out["date"].str.slice(0, 4).astype(int)

    def label(row: pd.Series) -> str:
        doc = str(row["document"])
        if doc.startswith("S/RES/"):
            return f"{doc.removeprefix('S/RES/').split(' ')[0]} ({row['year']})"
        return f"Draft ({row['year']})"

    out["label"] = out.apply(label, axis=1)
    out["tally"] = [
        f"{int(a)}-{int(b)}-{int(c)}" for a, b, c in zip(out["in_favour"], out["against"], out["abstentions"], strict=True)
    ]
    keep = ["date", "year", "label", "document", "outcome", "tally", "china_vote", "russia_vote"]
    if "summary" in out.columns:
        keep.append("summary")
    out = out[keep]
    out.attrs["source"] = _cite(votes) or _short_source("unsc_dprk_votes")
    return out


def vote_pattern(votes: pd.DataFrame | None = None) -> pd.DataFrame:
    """How China and Russia voted, grouped: one row per (outcome, China's vote, Russia's vote).

    Columns ``outcome``, ``china_vote``, ``russia_vote``, ``votes`` (how many),
    ``first`` and ``last`` (years), ordered by ``first``.
    """
    table = unsc_votes(votes)
    grouped = (
        table.groupby(["outcome", "china_vote", "russia_vote"], as_index=False)
        .agg(votes=("label", "size"), first=("year", "min"), last=("year", "max"))
        .sort_values(["first", "last"], ignore_index=True)
    )
    grouped.attrs.update(table.attrs)
    return grouped


# ---------------------------------------------------------------------- events
def timeline_events(events: pd.DataFrame | None = None, votes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Events for the timeline: ``dprk_events`` plus every Security Council vote.

    The events file's 'sanctions' rows repeat votes that ``unsc_dprk_votes`` holds with
    more detail, so a sanctions event on the date of a vote is replaced by the vote
    (category ``"unsc"``). Columns: ``date`` (YYYY-MM-DD), ``year``, ``category`` (a key
    of :data:`CATEGORY_LABELS`), ``category_label``, ``event``, ``summary``; oldest first.
    """
    events = load("dprk_events") if events is None else events
    votes_table = unsc_votes(votes)
    require_frame(events, ["date", "event", "category", "summary"], "timeline_events")
    vote_dates = set(votes_table["date"])
    kept = events[~((events["category"] == "sanctions") & events["date"].isin(vote_dates))].copy()
    kept["category"] = kept["category"].replace({"sanctions": "unsc"})
    unknown = sorted(set(kept["category"]) - set(CATEGORY_LABELS))
    if unknown:
        raise DataError(
            f"timeline_events(): unknown event categories {unknown}; expected {sorted(CATEGORY_LABELS)} "
            "(or 'sanctions'). Check the category column of dprk_events."
        )
    from_votes = pd.DataFrame(
        {
            "date": votes_table["date"],
            "category": "unsc",
            "event": [
                f"{r.label}: {r.outcome} {r.tally}; China {r.china_vote}, Russia {r.russia_vote}"
                for r in votes_table.itertuples()
            ],
            "summary": votes_table["summary"] if "summary" in votes_table.columns else "",
        }
    )
    out = pd.concat([kept[["date", "category", "event", "summary"]], from_votes], ignore_index=True)
    out["year"] = out["date"].str.slice(0, 4).astype(int)
    out["category_label"] = out["category"].map(CATEGORY_LABELS)
    out = out.sort_values(["date", "category", "event"], ignore_index=True)
    out = out[["date", "year", "category", "category_label", "event", "summary"]]
    out.attrs["source"] = _cite(events, votes_table)
    out.attrs["chart_source"] = _short_source("dprk_events", "unsc_dprk_votes")
    return out


# ---------------------------------------------------------------------- charts
def two_sources_chart(wide: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.LayerChart:
    """Line chart of China-North Korea trade as China's customs and KOTRA record it.

    ``wide`` is the frame of :func:`trade_two_sources`. A shaded band marks the years
    the border was closed (2020-2021); tooltips give each figure and its note.
    """
    require_frame(wide, ["year", "china_customs_usd_bn", "kotra_usd_bn"], "two_sources_chart")
    cite = source or wide.attrs.get("chart_source") or charts.source_of(wide, None, "two_sources_chart")
    long = trade_long(wide)
    if long.empty:
        raise ChartInputError("two_sources_chart(): neither series has a figure; check the frame.")
    first, last = int(long["year"].min()), int(long["year"].max())
    order = [CUSTOMS, KOTRA]
    closed = pd.DataFrame(
        {"year": [y for y in BORDER_CLOSED if first <= y <= last], "label": "Border closed (COVID-19)"}
    )
    legend = alt.Legend(orient="top", labelLimit=300)
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y("usd_bn:Q", title="Goods trade, billion US dollars (current)"),
            # no explicit sort: Vega-Lite merges the two legends only when neither is sorted, and the
            # default (alphabetical) order already puts China's customs first
            color=alt.Color("reporter:N", title="Recorded by", legend=legend),
            strokeDash=alt.StrokeDash("reporter:N", title="Recorded by", legend=legend),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("reporter:N", title="Recorded by"),
                alt.Tooltip("usd_bn:Q", title="Billion US$", format=",.2f"),
                alt.Tooltip("note:N", title="Note"),
            ],
        )
    )
    layers: list[alt.Chart] = []
    if not closed.empty:
        band_tooltip = [alt.Tooltip("year:O", title="Year"), alt.Tooltip("label:N", title="Context")]
        layers.append(
            alt.Chart(closed).mark_rect(color=_TRADE_GREY, opacity=0.18).encode(x=alt.X("year:O"), tooltip=band_tooltip)
        )
        layers.append(
            alt.Chart(closed.head(1))
            .mark_text(align="left", baseline="top", dx=-14, fontSize=10, color=_TRADE_GREY)
            .encode(x=alt.X("year:O"), y=alt.value(4), text=alt.value("Border closed"), tooltip=band_tooltip)
        )
    layers.append(lines)
    chart = alt.layer(*layers)
    parts = []
    for reporter in order:
        series = long[long["reporter"] == reporter]
        if series.empty:
            continue
        low = series.loc[series["usd_bn"].idxmin()]
        high = series.loc[series["usd_bn"].idxmax()]
        parts.append(
            f"{reporter}: {len(series)} years, highest {high['usd_bn']:,.2f} in {int(high['year'])}, "
            f"lowest {low['usd_bn']:,.2f} in {int(low['year'])}"
        )
    gaps = wide.dropna(subset=["gap_usd_bn"])
    gap_text = ""
    if not gaps.empty:
        low_gap = gaps.loc[gaps["gap_usd_bn"].idxmin()]
        high_gap = gaps.loc[gaps["gap_usd_bn"].idxmax()]
        gap_text = (
            f" Where both exist, the gap (KOTRA minus China's customs) ranges from "
            f"{round(float(low_gap['gap_usd_bn']), 2) + 0.0:,.2f} billion in {int(low_gap['year'])} to "
            f"{round(float(high_gap['gap_usd_bn']), 2) + 0.0:,.2f} billion in {int(high_gap['year'])}."
        )
    description = (
        f"Line chart of China-North Korea goods trade, {first} to {last}, in billion US dollars, as recorded by two "
        f"sources. " + "; ".join(parts) + "." + gap_text + " A shaded band marks the border closure of 2020-2021."
    )
    return finish(
        chart,
        title or f"China-North Korea trade, {first}-{last}: two records of the same flow",
        cite,
        description,
    )


def china_share_chart(wide: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """Bars of China's share of North Korea's recorded trade by year (KOTRA, percent).

    ``wide`` is the frame of :func:`trade_two_sources` (column ``kotra_china_share_pct``).
    """
    require_frame(wide, ["year", "kotra_china_share_pct"], "china_share_chart")
    data = wide.dropna(subset=["kotra_china_share_pct"])[["year", "kotra_china_share_pct"]].copy()
    if data.empty:
        raise ChartInputError("china_share_chart(): no year has a KOTRA share; check the frame.")
    data["year"] = data["year"].astype(int)
    cite = source or _short_source("partner_dependence")
    chart = (
        alt.Chart(data)
        .mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y(
                "kotra_china_share_pct:Q",
                title="China's share of North Korea's recorded trade (%)",
                scale=alt.Scale(domain=[0, 100]),
            ),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("kotra_china_share_pct:Q", title="China's share (%)", format=".1f"),
            ],
        )
    )
    low = data.loc[data["kotra_china_share_pct"].idxmin()]
    high = data.loc[data["kotra_china_share_pct"].idxmax()]
    first, last = int(data["year"].min()), int(data["year"].max())
    description = (
        f"Bar chart of China's share of North Korea's recorded goods trade, {first} to {last}, in percent, as stated "
        f"by KOTRA. Lowest {low['kotra_china_share_pct']:.1f}% in {int(low['year'])}; highest "
        f"{high['kotra_china_share_pct']:.1f}% in {int(high['year'])}. "
        + "; ".join(f"{int(r.year)} {r.kotra_china_share_pct:.1f}%" for r in data.itertuples())
        + "."
    )
    return finish(chart, title or f"How much of North Korea's recorded trade is with China, {first}-{last}", cite, description)


def unsc_votes_chart(table: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """Grid of China's and Russia's votes on each Security Council North Korea text.

    ``table`` is the frame of :func:`unsc_votes`. One column per resolution or draft,
    oldest first; one row each for China and Russia; colour (and the letter in each
    cell) shows the vote. Tooltips give the outcome, the tally and what the text did.
    """
    require_frame(table, ["date", "label", "outcome", "tally", "china_vote", "russia_vote"], "unsc_votes_chart")
    cite = source or _short_source("unsc_dprk_votes")
    order = list(table.sort_values("date")["label"])
    keep = ["date", "label", "outcome", "tally", "china_vote", "russia_vote"] + (["summary"] if "summary" in table else [])
    long = table[keep].melt(
        id_vars=[c for c in keep if c not in ("china_vote", "russia_vote")],
        value_vars=["china_vote", "russia_vote"],
        var_name="member",
        value_name="vote",
    )
    long["member"] = long["member"].map({"china_vote": "China", "russia_vote": "Russia"})
    long["letter"] = long["vote"].map({"yes": "Y", "no": "N", "abstain": "A"}).fillna("?")
    tooltip = [
        alt.Tooltip("label:N", title="Text"),
        alt.Tooltip("date:N", title="Date"),
        alt.Tooltip("member:N", title="Member"),
        alt.Tooltip("vote:N", title="Vote"),
        alt.Tooltip("outcome:N", title="Outcome"),
        alt.Tooltip("tally:N", title="For-against-abstaining"),
    ]
    if "summary" in long.columns:
        tooltip.append(alt.Tooltip("summary:N", title="What it did"))
    domain = [v for v in ("yes", "abstain", "no") if v in set(long["vote"])] or ["yes"]
    base = alt.Chart(long).encode(
        x=alt.X("label:N", sort=order, title="Resolution number (year), or vetoed draft", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("member:N", title=None, sort=["China", "Russia"]),
        tooltip=tooltip,
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "vote:N",
            title="Vote",
            scale=alt.Scale(domain=domain, range=[_VOTE_COLOURS[v] for v in domain]),
            legend=alt.Legend(orient="top"),
        )
    )
    letters = base.mark_text(color="white", fontWeight="bold").encode(text="letter:N")
    adopted = table[table["outcome"] == "adopted"]
    vetoed = table[table["outcome"] != "adopted"]
    both_yes = adopted[(adopted["china_vote"] == "yes") & (adopted["russia_vote"] == "yes")]
    vetoes = "; ".join(
        f"{r.label} {r.outcome} {r.tally}, China {r.china_vote}, Russia {r.russia_vote}" for r in vetoed.itertuples()
    )
    description = (
        f"Grid of China's and Russia's votes on {len(table)} Security Council texts on North Korea. "
        f"{len(adopted)} were adopted; China and Russia voted yes on {len(both_yes)} of them."
        + (f" Not adopted: {vetoes}." if vetoes else "")
    )
    return finish(
        alt.layer(cells, letters),
        title or "How China and Russia voted on North Korea at the UN Security Council",
        cite,
        description,
        height=90,
    )


def _event_frame(events: pd.DataFrame, categories: Sequence[str], start: int, end: int) -> pd.DataFrame:
    shown = events[events["category"].isin(list(categories)) & events["year"].between(start, end)].copy()
    return shown


def _timeline_frames(
    long: pd.DataFrame, events: pd.DataFrame, categories: Sequence[str], start: int, end: int, show_kotra: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the timeline draws: the trade rows (``long`` is :func:`trade_long`) and the event rows.

    The trade rows are the chart's line (with ``when``, mid-year); the event rows its rules and
    markers (``when`` is the event's date).
    """
    if not show_kotra:
        long = long[long["reporter"] == CUSTOMS]
    long = long[long["year"].between(start, end)].copy()
    long["when"] = long["year"].map(lambda y: f"{int(y)}-07-01")
    shown = _event_frame(events, categories, start, end)
    return long, shown


def _trade_rows(long: pd.DataFrame) -> pd.DataFrame:
    return long[["when", "year", "reporter", "usd_bn", "note"]]


def _event_rows(shown: pd.DataFrame) -> pd.DataFrame:
    return shown.assign(when=shown["date"])[["when", "date", "category_label", "event", "summary"]]


def _timeline_title(start: int, end: int) -> str:
    return f"China-North Korea trade and events, {start}-{end}"


def timeline_chart(
    wide: pd.DataFrame,
    events: pd.DataFrame,
    *,
    categories: Iterable[str] = tuple(CATEGORY_LABELS),
    start: int,
    end: int,
    show_kotra: bool = False,
    title: str | None = None,
    source: str | None = None,
) -> alt.LayerChart:
    """China-North Korea trade with events overlaid, for the years ``start`` to ``end``.

    ``wide`` is the frame of :func:`trade_two_sources` and ``events`` that of
    :func:`timeline_events`. The trade line (grey; KOTRA's series dashed if
    ``show_kotra``) is drawn at mid-year; each event is a vertical rule with a marker
    at the top, coloured and shaped by category, with its date, text and summary in
    the tooltip.
    """
    require_frame(wide, ["year", "china_customs_usd_bn", "kotra_usd_bn"], "timeline_chart")
    require_frame(events, ["date", "year", "category", "category_label", "event", "summary"], "timeline_chart")
    categories = list(categories)
    unknown = [c for c in categories if c not in CATEGORY_LABELS]
    if unknown:
        raise ChartInputError(f"timeline_chart(): unknown categories {unknown}; choose from {list(CATEGORY_LABELS)}.")
    if start > end:
        raise ChartInputError(f"timeline_chart(): start {start} is after end {end}; swap them.")
    cite = source or _short_source("china_customs_trade", "partner_dependence", "dprk_events", "unsc_dprk_votes")
    long, shown = _timeline_frames(trade_long(wide), events, categories, start, end, show_kotra)
    domain = [CATEGORY_LABELS[c] for c in CATEGORY_LABELS]
    colour = alt.Color(
        "category_label:N",
        title="Event",
        scale=alt.Scale(domain=domain, range=list(PALETTE[: len(domain)])),
        legend=alt.Legend(orient="right"),
    )
    shape = alt.Shape("category_label:N", title="Event", scale=alt.Scale(domain=domain))
    # The date axis runs from 1 January of `start` to 31 December of `end`. The two years are
    # chart params, so an explorer that moves them changes two values on the page, not the layout.
    first_year = alt.param(name="ba_start", value=int(start))
    last_year = alt.param(name="ba_end", value=int(end))
    x = alt.X(
        "when:T",
        title="Date",
        scale=alt.Scale(domain=[alt.ExprRef("datetime(ba_start, 0, 1)"), alt.ExprRef("datetime(ba_end, 11, 31)")]),
        axis=alt.Axis(format="%Y", labelOverlap=True),
    )
    event_tooltip = [
        alt.Tooltip("date:N", title="Date"),
        alt.Tooltip("category_label:N", title="Kind"),
        alt.Tooltip("event:N", title="Event"),
        alt.Tooltip("summary:N", title="What happened"),
    ]
    event_data = _event_rows(shown)
    trade_layer = (
        alt.Chart(_trade_rows(long))
        .mark_line(point=True, color=_TRADE_GREY)
        .encode(
            x=x,
            y=alt.Y("usd_bn:Q", title="China-North Korea trade, billion US dollars", scale=alt.Scale(zero=True)),
            strokeDash=alt.StrokeDash("reporter:N", title="Trade recorded by", sort=[CUSTOMS, KOTRA]),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("reporter:N", title="Recorded by"),
                alt.Tooltip("usd_bn:Q", title="Billion US$", format=",.2f"),
                alt.Tooltip("note:N", title="Note"),
            ],
        )
    )
    rules = alt.Chart(event_data).mark_rule(strokeWidth=1.5, opacity=0.6).encode(x=x, color=colour, tooltip=event_tooltip)
    markers = (
        alt.Chart(event_data)
        .mark_point(filled=True, size=90, opacity=0.95)
        .encode(x=x, y=alt.value(8), color=colour, shape=shape, tooltip=event_tooltip)
    )
    # with no trade figure in the years chosen, leave the trade layer out rather than draw an empty axis
    chart = alt.layer(rules, trade_layer, markers) if not long.empty else alt.layer(rules, markers)
    chart.params = [first_year.param, last_year.param]  # as add_params() would, without its deep copy of every layer
    description = _timeline_description(long, shown, start, end)
    return finish(
        chart,
        title or _timeline_title(start, end),
        cite,
        description,
        width=560,
        height=300,
    )


def _timeline_description(long: pd.DataFrame, shown: pd.DataFrame, start: int, end: int) -> str:
    customs = long[long["reporter"] == CUSTOMS]
    if customs.empty:
        trade = "No trade figures for these years (the course's figures start in 2013)."
    else:
        low = customs.loc[customs["usd_bn"].idxmin()]
        high = customs.loc[customs["usd_bn"].idxmax()]
        trade = (
            f"China's customs record trade in {len(customs)} of these years, from "
            f"{low['usd_bn']:,.2f} billion US dollars in {int(low['year'])} (lowest) to "
            f"{high['usd_bn']:,.2f} billion in {int(high['year'])} (highest)."
        )
        if (long["reporter"] == KOTRA).any():
            trade += " KOTRA's series is shown dashed."
    if shown.empty:
        events = "No events shown."
    else:
        counts = shown["category_label"].value_counts()
        events = f"{len(shown)} events shown: " + ", ".join(
            f"{label} {counts[label]}" for label in CATEGORY_LABELS.values() if label in counts
        ) + "."
    return f"Timeline {start} to {end}. {trade} {events}"


# -------------------------------------------------------------------- explorer
class TimelineExplorer(KernelFallback, widgets.VBox):
    """Overlay treaties, summits, troops, border events, nuclear tests and UN votes on trade.

    ``wide`` is :func:`trade_two_sources`, ``events`` is :func:`timeline_events` (both
    loaded from the course data when omitted). Tick event kinds, move the year range,
    and choose whether to add KOTRA's trade series; the chart and the summary follow.
    """

    categories = traitlets.Tuple(
        help="Event kinds shown, as keys of CATEGORY_LABELS (e.g. ('border', 'unsc')); may be empty."
    ).tag(sync=False)
    years = traitlets.Tuple(
        traitlets.Int(), traitlets.Int(), default_value=(2013, 2025),
        help="First and last year shown (inclusive); both within the range offered and first <= last.",
    ).tag(sync=False)
    show_kotra = traitlets.Bool(False, help="Also draw KOTRA's series (it adds estimated crude oil).").tag(sync=False)

    def __init__(
        self,
        wide: pd.DataFrame | None = None,
        events: pd.DataFrame | None = None,
        *,
        categories: Sequence[str] | None = None,
        years: tuple[int, int] | None = None,
        **kwargs: Any,
    ) -> None:
        self._wide = trade_two_sources() if wide is None else wide
        self._events = timeline_events() if events is None else events
        require_frame(self._wide, ["year", "china_customs_usd_bn", "kotra_usd_bn"], "TimelineExplorer")
        require_frame(self._events, ["date", "year", "category", "category_label", "event", "summary"], "TimelineExplorer")
        present = set(self._events["category"])
        self._categories = tuple(c for c in CATEGORY_LABELS if c in present)
        all_years = _years(self._wide) + _years(self._events)
        self._bounds = (min(all_years), max(all_years))
        trade_years = _years(self._wide.dropna(subset=["china_customs_usd_bn"])) or list(self._bounds)
        default_years = (max(self._bounds[0], trade_years[0]), self._bounds[1])
        self._category_control = widgets.SelectMultiple(
            options=[(CATEGORY_LABELS[c], c) for c in self._categories],
            rows=len(self._categories),
            description="Events",
            tooltip="Ctrl- or Cmd-click to choose several kinds",
            style={"description_width": "initial"},
        )
        self._year_control = widgets.IntRangeSlider(
            min=self._bounds[0],
            max=self._bounds[1],
            step=1,
            description="Years",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="520px"),
        )
        self._kotra_control = widgets.Checkbox(
            description="Also show KOTRA's trade series (includes estimated crude oil)",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self._summary = widgets.HTML(layout=widgets.Layout(margin="4px 0"))
        self._output = LiveChart(layout=widgets.Layout(min_height="360px"))
        self._summary_text = ""
        self._long = trade_long(self._wide)
        # the page's chart as first drawn, with and without the trade line: later changes refill its rows
        self._templates: dict[bool, dict[str, Any]] = {}
        self._ready = False
        super().__init__(
            children=[self._category_control, self._year_control, self._kotra_control, self._summary, self._output],
            **kwargs,
        )
        widgets.link((self._category_control, "value"), (self, "categories"))
        widgets.link((self._year_control, "value"), (self, "years"))
        widgets.link((self._kotra_control, "value"), (self, "show_kotra"))
        self.categories = tuple(categories) if categories is not None else self._categories
        self.years = tuple(years) if years is not None else default_years
        self.observe(self._redraw, names=["categories", "years", "show_kotra"])
        self._ready = True
        self._redraw()

    def __repr__(self) -> str:
        return (
            f"TimelineExplorer(years={self.years[0]}-{self.years[1]}, "
            f"categories={len(self.categories)} of {len(self._categories)}, show_kotra={self.show_kotra})"
        )

    @traitlets.validate("categories")
    def _valid_categories(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        value = tuple(proposal["value"])
        unknown = [c for c in value if c not in self._categories]
        if unknown:
            raise traitlets.TraitError(
                f"categories {unknown} are not offered; choose from {list(self._categories)} (or none)."
            )
        return tuple(c for c in self._categories if c in value)

    @traitlets.validate("years")
    def _valid_years(self, proposal: dict[str, Any]) -> tuple[int, int]:
        start, end = (int(v) for v in proposal["value"])
        low, high = self._bounds
        if start > end:
            raise traitlets.TraitError(f"years ({start}, {end}): the first year is after the last; swap them.")
        if start < low or end > high:
            raise traitlets.TraitError(f"years ({start}, {end}) fall outside the range offered, {low} to {high}.")
        return (start, end)

    @property
    def summary(self) -> str:
        """The plain-text summary shown under the controls."""
        return self._summary_text

    @property
    def chart(self) -> alt.LayerChart:
        """The chart shown, as :func:`timeline_chart` draws it for the current choices (built when asked)."""
        start, end = self.years
        return timeline_chart(
            self._wide, self._events, categories=self.categories, start=start, end=end, show_kotra=self.show_kotra
        )

    def _spec(self, long: pd.DataFrame, shown: pd.DataFrame, text: str) -> dict[str, Any]:
        """The Vega-Lite dict of :attr:`chart` (tests compare the two), without building the chart again.

        The first chart with (and the first without) a trade line is built by :func:`timeline_chart`;
        after that a change only puts the new rows, years, title and description into a copy of it.
        """
        with_trade = not long.empty
        template = self._templates.get(with_trade)
        if template is None:
            template = self._templates[with_trade] = charts.fitted_spec(self.chart)
            return template
        start, end = self.years
        # each layer's rows (Altair puts rows that every layer shares on the layer chart itself)
        name = [layer.get("data", template.get("data", {})).get("name") for layer in template["layer"]]
        datasets = dict(template["datasets"])
        datasets[name[0]] = alt.utils.data.to_values(_event_rows(shown))["values"]
        if with_trade:
            datasets[name[1]] = alt.utils.data.to_values(_trade_rows(long))["values"]
        years = {"ba_start": start, "ba_end": end}
        spec = {
            **template,
            "datasets": datasets,
            "params": [{**p, "value": years[p["name"]]} if p.get("name") in years else p for p in template["params"]],
            "title": {**template["title"], "text": _timeline_title(start, end)},
            "description": text,
        }
        return charts.fit_title(spec)

    def _redraw(self, _change: object = None) -> None:
        if not self._ready:
            return
        start, end = self.years
        long, shown = _timeline_frames(self._long, self._events, self.categories, start, end, self.show_kotra)
        text = _timeline_description(long, shown, start, end)  # the chart's description of what it shows
        spec = self._spec(long, shown, text)
        if not self.categories:
            text += " Choose one or more kinds of event to overlay them."
        self._summary_text = text
        self._summary.value = f"<p>{escape(text)}</p>"
        self._output.show(spec)
