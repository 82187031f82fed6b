"""Lesson 6: the diplomatic record at the United Nations, and who voted with whom.

Two course datasets hold the record:

- ``unga_ukraine_votes``: General Assembly votes on resolutions about Russia's war
  against Ukraine (2022-2025), with the totals and the votes of China, Russia, North
  Korea and the United States where a source states them (an empty cell means no
  stored source stated that vote);
- ``unsc_dprk_votes``: Security Council votes on North Korea (2006-2024), with the
  votes of China and Russia.

This module turns them into tidy tables (one row per resolution and country), computes
how often two countries cast the same vote, draws the charts of Lesson 6 and provides
:class:`VotingExplorer`.

How missing votes are treated
-----------------------------
The agreement score of two countries is the share of resolutions on which both cast a
vote (yes, no or abstain) and cast the *same* one. A resolution is left out of a pair's
count when either country's vote is not recorded in the sources or the country was
absent; the functions say which resolutions were left out, so a score always comes with
its denominator.

Nothing is read when the module is imported, and no global Altair setting is changed.
"""

from __future__ import annotations

import itertools
import re
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
from balancing_act.data import load

__all__ = [
    "ASSEMBLY_COUNTRIES",
    "ROLL_CALL_COUNTRIES",
    "COUNCIL_COUNTRIES",
    "VOTE_COLOURS",
    "VOTE_LABELS",
    "Agreement",
    "VoteDataError",
    "VotingExplorer",
    "agreement",
    "agreement_table",
    "agreement_trend_chart",
    "assembly_totals",
    "assembly_votes",
    "council_votes",
    "finish_totals_chart",
    "resolution_label",
    "totals_chart",
    "vote_counts",
    "vote_grid_chart",
    "yearly_agreement",
]

#: Country name -> column of ``unga_ukraine_votes`` holding its vote.
ASSEMBLY_COUNTRIES: dict[str, str] = {
    "China": "china_vote",
    "Russia": "russia_vote",
    "North Korea": "dprk_vote",
    "United States": "us_vote",
}

#: Country name -> column of ``unga_roll_calls`` holding its vote (Russia: the Soviet Union until 1991).
ROLL_CALL_COUNTRIES: dict[str, str] = {
    "China": "china",
    "Russia": "russia",
    "North Korea": "north_korea",
    "United States": "united_states",
}

#: Country name -> column of ``unsc_dprk_votes`` holding its vote.
COUNCIL_COUNTRIES: dict[str, str] = {"China": "china_vote", "Russia": "russia_vote"}

#: Raw vote value in the data -> label shown to learners (``None`` = empty cell).
VOTE_LABELS: dict[str | None, str] = {
    "yes": "Yes",
    "no": "No",
    "abstain": "Abstain",
    "absent": "Absent",
    None: "Not recorded",
}

#: Label -> colour (Okabe-Ito, plus a light grey for "no information").
VOTE_COLOURS: dict[str, str] = {
    "Yes": "#009E73",
    "No": "#D55E00",
    "Abstain": "#56B4E9",
    "Absent": "#CC79A7",
    "Not recorded": "#DDDDDD",
}

# Text drawn on each cell: white only where black would be too faint (on vermillion).
_INK = {"No": "white"}

#: The votes that count as "cast" when two countries are compared.
CAST = ("yes", "no", "abstain")

_TOTALS = {"in_favour": "In favour", "against": "Against", "abstentions": "Abstentions"}
_TOTAL_COLOURS = {"In favour": VOTE_COLOURS["Yes"], "Against": VOTE_COLOURS["No"], "Abstentions": VOTE_COLOURS["Abstain"]}
_NAMED = {"UN-Council of Europe cooperation resolution": "UN-CoE text"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_VOTE_COLUMNS = ["order", "date", "resolution", "label", "title", "country", "vote", "vote_label"]


class VoteDataError(ValueError):
    """A vote table or a request on it cannot be used; the message says how to fix it."""


# ----------------------------------------------------------------------------- tables
def _month(date: str) -> str:
    match = re.fullmatch(r"(\d{4})-(\d{2})-\d{2}", str(date))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise VoteDataError(f"date {date!r} is not of the form YYYY-MM-DD; correct it in the data file.")
    return f"{_MONTHS[int(match.group(2)) - 1]} {match.group(1)}"


def resolution_label(document: str, date: str, outcome: str | None = None) -> str:
    """A short, unique label for a resolution: its symbol and month.

    >>> resolution_label("A/RES/ES-11/1", "2022-03-02")
    'ES-11/1 (Mar 2022)'
    >>> resolution_label("S/RES/1718 (2006)", "2006-10-14")
    'Res. 1718 (Oct 2006)'
    >>> resolution_label("US-tabled draft resolution (9048th meeting)", "2022-05-26", "vetoed")
    'Vetoed draft (May 2022)'
    """
    when = _month(date)
    if outcome == "vetoed":
        return f"Vetoed draft ({when})"
    symbol = str(document).split(" (")[0].strip()
    if symbol.startswith("S/RES/"):
        return f"Res. {symbol.removeprefix('S/RES/')} ({when})"
    symbol = symbol.removeprefix("A/RES/")
    if " " in symbol:  # no UN symbol: use a short name
        symbol = _NAMED.get(symbol, symbol[:20].rstrip())
    return f"{symbol} ({when})"


def _check_votes(frame: pd.DataFrame, columns: dict[str, str], dataset: str) -> None:
    allowed = set(VOTE_LABELS) - {None}
    for country, column in columns.items():
        values = frame[column].dropna()
        bad = sorted({str(v) for v in values if v not in allowed})
        if bad:
            raise VoteDataError(
                f"{dataset}: column {column!r} ({country}) holds {bad}; votes must be one of "
                f"{sorted(allowed)} or empty. Load the data with balancing_act.data.load({dataset!r})."
            )


def _long(
    frame: pd.DataFrame,
    columns: dict[str, str],
    *,
    id_col: str,
    title_col: str,
    dataset: str,
    outcome_col: str | None = None,
) -> pd.DataFrame:
    _check_votes(frame, columns, dataset)
    ordered = frame.sort_values(["date", id_col], kind="stable").reset_index(drop=True)
    rows = []
    for order, row in ordered.iterrows():
        outcome = row[outcome_col] if outcome_col else None
        label = resolution_label(str(row[id_col]), str(row["date"]), outcome)
        for country, column in columns.items():
            raw = row[column]
            vote = None if pd.isna(raw) else str(raw)
            rows.append(
                {
                    "order": int(order),
                    "date": str(row["date"]),
                    "resolution": str(row[id_col]),
                    "label": label,
                    "title": str(row[title_col]),
                    "country": country,
                    "vote": vote,
                    "vote_label": VOTE_LABELS[vote],
                }
            )
    out = pd.DataFrame(rows, columns=_VOTE_COLUMNS)
    if out["label"].nunique() != len(ordered):
        raise VoteDataError(f"{dataset}: two resolutions get the same label; give them distinct symbols or dates.")
    out.attrs["source"] = frame.attrs.get("source", "")
    out.attrs["body"] = "UN General Assembly" if dataset == "unga_ukraine_votes" else "UN Security Council"
    return out


def assembly_votes(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """General Assembly votes in long form: one row per resolution and country.

    Columns: ``order`` (0 = earliest), ``date``, ``resolution``, ``label`` (short, unique),
    ``title``, ``country``, ``vote`` (``yes``/``no``/``abstain``/``absent`` or ``None`` when
    no source states it) and ``vote_label`` (``Yes``... ``Not recorded``).
    """
    frame = load("unga_ukraine_votes") if frame is None else frame
    charts.require_frame(frame, ["date", "resolution", "title_short", *ASSEMBLY_COUNTRIES.values()], "assembly_votes")
    return _long(frame, ASSEMBLY_COUNTRIES, id_col="resolution", title_col="title_short", dataset="unga_ukraine_votes")


def council_votes(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Security Council votes on North Korea in long form (China and Russia), as :func:`assembly_votes`."""
    frame = load("unsc_dprk_votes") if frame is None else frame
    charts.require_frame(frame, ["date", "document", "outcome", "summary", *COUNCIL_COUNTRIES.values()], "council_votes")
    return _long(
        frame, COUNCIL_COUNTRIES, id_col="document", title_col="summary", dataset="unsc_dprk_votes", outcome_col="outcome"
    )


def assembly_totals(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The recorded totals of each General Assembly vote in long form.

    Columns: ``order``, ``date``, ``resolution``, ``label``, ``title``, ``outcome``
    (``In favour``, ``Against``, ``Abstentions``) and ``states`` (number of member states).
    States that did not vote are not in the data and not counted.
    """
    frame = load("unga_ukraine_votes") if frame is None else frame
    charts.require_frame(frame, ["date", "resolution", "title_short", *_TOTALS], "assembly_totals")
    missing = frame[list(_TOTALS)].isna().any(axis=1)
    if missing.any():
        first = frame.loc[missing, "resolution"].iloc[0]
        raise VoteDataError(f"assembly_totals(): the totals of {first!r} are incomplete; every resolution needs all three counts.")
    ordered = frame.sort_values(["date", "resolution"], kind="stable").reset_index(drop=True)
    rows = []
    for order, row in ordered.iterrows():
        label = resolution_label(str(row["resolution"]), str(row["date"]))
        for column, outcome in _TOTALS.items():
            rows.append(
                {
                    "order": int(order),
                    "date": str(row["date"]),
                    "resolution": str(row["resolution"]),
                    "label": label,
                    "title": str(row["title_short"]),
                    "outcome": outcome,
                    "states": int(row[column]),
                }
            )
    out = pd.DataFrame(rows)
    out.attrs["source"] = frame.attrs.get("source", "")
    return out


def _require_votes(votes: object, caller: str) -> pd.DataFrame:
    frame = charts.require_frame(votes, ["order", "label", "country", "vote", "vote_label"], caller)
    return frame


def vote_counts(votes: pd.DataFrame) -> pd.DataFrame:
    """How many times each country voted each way: countries as rows, vote labels as columns."""
    votes = _require_votes(votes, "vote_counts")
    countries = list(dict.fromkeys(votes["country"]))
    present = [label for label in VOTE_COLOURS if label in set(votes["vote_label"])]
    table = pd.crosstab(votes["country"], votes["vote_label"]).reindex(index=countries, columns=present, fill_value=0)
    table.index.name = "country"
    table.columns.name = None
    table.attrs["source"] = votes.attrs.get("source", "")
    return table


# -------------------------------------------------------------------------- agreement
@dataclass(frozen=True)
class Agreement:
    """How often two countries cast the same vote on a set of resolutions."""

    first: str
    second: str
    same: int
    compared: int
    left_out: tuple[str, ...]

    @property
    def share_pct(self) -> float:
        """Percent of compared resolutions with the same vote (NaN when none could be compared)."""
        return 100.0 * self.same / self.compared if self.compared else float("nan")

    def sentence(self) -> str:
        """One plain-text sentence stating the score and its denominator."""
        if not self.compared:
            text = f"{self.first} and {self.second}: no selected resolution has a recorded vote for both"
        else:
            text = (
                f"{self.first} and {self.second}: same vote on {self.same} of {self.compared} "
                f"({self.share_pct:.0f}%)"
            )
        if self.left_out:
            text += f"; left out, a vote not recorded: {', '.join(self.left_out)}"
        return text + "."


def _pick(votes: pd.DataFrame, resolutions: Iterable[str] | None, caller: str) -> pd.DataFrame:
    if resolutions is None:
        return votes
    wanted = list(resolutions)
    offered = list(dict.fromkeys(votes.sort_values("order", kind="stable")["label"]))
    unknown = [r for r in wanted if r not in offered]
    if unknown:
        raise VoteDataError(f"{caller}(): no resolution labelled {unknown[0]!r}. Choose from {offered}.")
    return votes[votes["label"].isin(wanted)]


def agreement(
    votes: pd.DataFrame, first: str, second: str, resolutions: Iterable[str] | None = None
) -> Agreement:
    """The agreement of two countries on ``resolutions`` (labels; default all).

    Only resolutions on which both cast a vote (yes, no or abstain) are compared; the others
    are listed in ``left_out``.
    """
    votes = _require_votes(votes, "agreement")
    countries = list(dict.fromkeys(votes["country"]))
    for name in (first, second):
        if name not in countries:
            raise VoteDataError(f"agreement(): no country called {name!r} in the vote table. Choose from {countries}.")
    if first == second:
        raise VoteDataError(f"agreement(): compare two different countries, not {first!r} with itself.")
    chosen = _pick(votes, resolutions, "agreement").sort_values("order", kind="stable")
    cast = {(row.label, row.country): row.vote for row in chosen.itertuples()}
    return _agreement(cast, list(dict.fromkeys(chosen["label"])), first, second)


def _agreement(cast: dict[tuple[str, str], Any], labels: Sequence[str], first: str, second: str) -> Agreement:
    """The agreement of ``first`` and ``second`` on ``labels`` (in order), from their votes ``cast[(label, country)]``."""
    same = compared = 0
    left_out: list[str] = []
    for label in labels:
        a, b = cast.get((label, first)), cast.get((label, second))
        if a in CAST and b in CAST:
            compared += 1
            same += int(a == b)
        else:
            left_out.append(str(label))
    return Agreement(first, second, same, compared, tuple(left_out))


def agreement_table(
    votes: pd.DataFrame, countries: Sequence[str] | None = None, resolutions: Iterable[str] | None = None
) -> pd.DataFrame:
    """Agreement for every pair of ``countries`` (default all): columns ``first``, ``second``,
    ``same``, ``compared``, ``share_pct`` and ``left_out`` (number of resolutions left out)."""
    votes = _require_votes(votes, "agreement_table")
    names = list(dict.fromkeys(votes["country"])) if countries is None else list(countries)
    if len(names) < 2:
        raise VoteDataError(f"agreement_table(): give at least two countries to compare, not {names}.")
    rows = []
    for a, b in itertools.combinations(names, 2):
        result = agreement(votes, a, b, resolutions)
        rows.append(
            {
                "first": a,
                "second": b,
                "same": result.same,
                "compared": result.compared,
                "share_pct": result.share_pct,
                "left_out": len(result.left_out),
            }
        )
    table = pd.DataFrame(rows)
    table.attrs["source"] = votes.attrs.get("source", "")
    return table


def yearly_agreement(
    rollcalls: pd.DataFrame, first: str = "China", partners: Sequence[str] | None = None
) -> pd.DataFrame:
    """How often ``first`` voted like each partner, per calendar year, from ``unga_roll_calls``.

    Columns: ``year``, ``partner``, ``both_voted`` (roll calls on which both cast yes, no or
    abstain) and ``same_vote`` (those on which the two votes were the same). Years in which a
    pair never both voted are left out. Partners default to the other countries of
    :data:`ROLL_CALL_COUNTRIES`.
    """
    charts.require_frame(rollcalls, ["date", *ROLL_CALL_COUNTRIES.values()], "yearly_agreement")
    names = [c for c in ROLL_CALL_COUNTRIES if c != first] if partners is None else list(partners)
    for name in (first, *names):
        if name not in ROLL_CALL_COUNTRIES:
            raise VoteDataError(
                f"yearly_agreement(): no country called {name!r} in the roll-call table. "
                f"Choose from {list(ROLL_CALL_COUNTRIES)}."
            )
    if first in names:
        raise VoteDataError(f"yearly_agreement(): compare {first!r} with other countries, not with itself.")
    years = rollcalls["date"].astype(str).str[:4].astype(int)
    mine = rollcalls[ROLL_CALL_COUNTRIES[first]]
    parts = []
    for partner in names:
        theirs = rollcalls[ROLL_CALL_COUNTRIES[partner]]
        both = mine.isin(CAST) & theirs.isin(CAST)
        pair = pd.DataFrame({"year": years[both], "same": (mine[both] == theirs[both]).astype(int)})
        counts = pair.groupby("year")["same"].agg(both_voted="size", same_vote="sum").reset_index()
        counts.insert(1, "partner", partner)
        parts.append(counts)
    out = pd.concat(parts, ignore_index=True).sort_values(["year", "partner"], kind="stable").reset_index(drop=True)
    out = out.astype({"year": "int64", "both_voted": "int64", "same_vote": "int64"})
    out.attrs["source"] = rollcalls.attrs.get("source", "")
    return out


# ---------------------------------------------------------------------------- charts
def totals_chart(totals: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """Stacked horizontal bars: for each resolution, states in favour, against and abstaining.

    ``totals`` is the frame returned by :func:`assembly_totals`.
    """
    charts.require_frame(totals, ["order", "label", "title", "outcome", "states"], "totals_chart")
    cite = charts.source_of(totals, source, "totals_chart")
    unknown = sorted(set(totals["outcome"]) - set(_TOTAL_COLOURS))
    if unknown:
        raise ChartInputError(f"totals_chart(): outcome {unknown[0]!r} is not one of {list(_TOTAL_COLOURS)}; pass assembly_totals().")
    data = totals[["order", "date", "label", "title", "outcome", "states"]].copy()
    data["stack"] = data["outcome"].map({o: i for i, o in enumerate(_TOTAL_COLOURS)})
    labels = list(dict.fromkeys(data.sort_values("order", kind="stable")["label"]))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X("states:Q", stack="zero", title="UN member states (number)"),
            color=alt.Color(
                "outcome:N",
                title="Vote",
                scale=alt.Scale(domain=list(_TOTAL_COLOURS), range=list(_TOTAL_COLOURS.values())),
            ),
            order=alt.Order("stack:Q"),
            tooltip=[
                alt.Tooltip("label:N", title="Resolution"),
                alt.Tooltip("title:N", title="Subject"),
                alt.Tooltip("date:N", title="Date"),
                alt.Tooltip("outcome:N", title="Vote"),
                alt.Tooltip("states:Q", title="States"),
            ],
        )
    )
    ordered = data.sort_values("order", kind="stable")
    return finish_totals_chart(chart, ordered, resolution="label", title=title, source=cite)


_OUTCOME_NAMES = {**_TOTALS, **{label: label for label in _TOTALS.values()}}


def finish_totals_chart(
    chart: alt.Chart,
    totals: pd.DataFrame,
    *,
    resolution: str = "resolution",
    title: str | None = None,
    source: str | None = None,
) -> alt.Chart:
    """Add the course style, the source line and a description to a chart of vote totals.

    ``totals`` is the long table the chart draws: one row per resolution and outcome, with the
    columns ``resolution`` (or the column named by ``resolution``), ``outcome``
    (``in_favour``, ``against``, ``abstentions``, or their labels ``In favour``...) and
    ``states``. The description gives every resolution's three counts, in the table's order.
    """
    charts.require_frame(totals, [resolution, "outcome", "states"], "finish_totals_chart")
    cite = charts.source_of(totals, source, "finish_totals_chart")
    unknown = sorted(set(totals["outcome"]) - set(_OUTCOME_NAMES))
    if unknown:
        raise ChartInputError(
            f"finish_totals_chart(): outcome {unknown[0]!r} is not one of {list(_TOTALS)}; "
            "melt the in_favour, against and abstentions columns of unga_ukraine_votes."
        )
    data = totals.assign(outcome=totals["outcome"].map(_OUTCOME_NAMES))
    labels = list(dict.fromkeys(data[resolution]))
    wide = data.pivot_table(index=resolution, columns="outcome", values="states", aggfunc="first").reindex(labels)
    parts = [
        f"{label} {int(r['In favour'])} for, {int(r['Against'])} against, {int(r['Abstentions'])} abstaining"
        for label, r in wide.iterrows()
    ]
    description = (
        f"Stacked bar chart of recorded votes on {len(labels)} General Assembly resolutions, "
        "in numbers of member states: " + "; ".join(parts) + "."
    )
    return charts.finish(
        chart,
        title or "UN General Assembly votes on Ukraine: the totals",
        cite,
        description,
        height=max(24 * len(labels), 120),
    )


def agreement_trend_chart(
    yearly: pd.DataFrame,
    *,
    first: str = "China",
    min_votes: int = 10,
    title: str | None = None,
    source: str | None = None,
) -> alt.Chart:
    """Line chart of ``first``'s agreement with each partner by year (percent of roll calls).

    ``yearly`` has ``year``, ``partner``, ``both_voted`` and ``same_vote`` (as from
    :func:`yearly_agreement`, or the ``unga_china_agreement`` dataset). Years in which a pair
    both voted on fewer than ``min_votes`` roll calls are not drawn, since one vote more or
    less would swing them widely.
    """
    charts.require_frame(yearly, ["year", "partner", "both_voted", "same_vote"], "agreement_trend_chart")
    cite = charts.source_of(yearly, source, "agreement_trend_chart")
    if isinstance(min_votes, bool) or not isinstance(min_votes, int) or min_votes < 1:
        raise ChartInputError(f"agreement_trend_chart(): min_votes must be a whole number of at least 1, not {min_votes!r}.")
    data = yearly[yearly["both_voted"] >= min_votes].copy()
    if data.empty:
        raise ChartInputError(
            f"agreement_trend_chart(): no year has {min_votes} or more roll calls for any pair; lower min_votes."
        )
    data["year"] = data["year"].astype(int)
    data["agreement_pct"] = 100 * data["same_vote"].astype(float) / data["both_voted"].astype(float)
    partners = list(dict.fromkeys(data["partner"]))
    chart = charts.series_lines(
        data,
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
        y=alt.Y("agreement_pct:Q", title=f"Roll calls on which {first} voted the same way (%)", scale=alt.Scale(domain=[0, 100])),
        series="partner",
        order=partners,
        legend_title=f"{first} with",
        tooltip=[
            alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("partner:N", title="Partner"),
            alt.Tooltip("agreement_pct:Q", title="Same vote (%)", format=".1f"),
            alt.Tooltip("same_vote:Q", title="Same vote (roll calls)"),
            alt.Tooltip("both_voted:Q", title="Both voted (roll calls)"),
        ],
    )
    parts = [
        f"with {partner} {start['agreement_pct']:.0f}% in {int(start['year'])} and "
        f"{end['agreement_pct']:.0f}% in {int(end['year'])}"
        for partner, start, end in charts.series_ends(data, "partner", partners)
    ]
    first_year, last_year = int(data["year"].min()), int(data["year"].max())
    description = (
        f"Line chart of how often {first} cast the same vote as each partner in UN General Assembly roll calls, "
        f"{first_year} to {last_year}, in percent of the roll calls on which both voted: " + "; ".join(parts) + "."
    )
    return charts.finish(
        chart, title or f"How often {first} voted like Russia, North Korea and the United States", cite, description
    )


def _grid_rows(votes: pd.DataFrame) -> pd.DataFrame:
    """The columns a vote grid draws, with the ink of each cell's text."""
    data = votes[["order", "date", "label", "title", "country", "vote_label"]].copy()
    data["ink"] = data["vote_label"].map(lambda v: _INK.get(v, "black"))
    return data


def _grid_description(body: str, texts: int, cells: Iterable[tuple[str, str]]) -> str:
    """The text alternative of a vote grid of ``texts`` rows whose cells are (country, vote label) pairs.

    The countries in the order they first appear, each with its tally in the order of
    :data:`VOTE_COLOURS` (the counts of :func:`vote_counts`; labels with no vote left out).
    """
    tallies: dict[str, dict[str, int]] = {}
    for country, label in cells:
        counts = tallies.setdefault(country, {})
        counts[label] = counts.get(label, 0) + 1
    parts = [
        f"{country}: " + ", ".join(f"{counts[label]} {label.lower()}" for label in VOTE_COLOURS if counts.get(label))
        for country, counts in tallies.items()
    ]
    return (
        f"Grid of votes in the {body} on {texts} texts put to a vote (rows, oldest first) by "
        f"{len(tallies)} countries (columns); each cell is coloured and labelled with the vote. "
        + "; ".join(parts)
        + "."
    )


def vote_grid_chart(
    votes: pd.DataFrame,
    *,
    title: str | None = None,
    source: str | None = None,
    layout_from: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """A grid of votes: resolutions as rows, countries as columns, each cell coloured and labelled.

    ``votes`` is a long vote table (:func:`assembly_votes` or :func:`council_votes`,
    possibly filtered). Colours come from :data:`VOTE_COLOURS` and every cell also
    carries its vote as text, so colour is never the only cue. ``layout_from`` (the whole
    table ``votes`` was filtered from, as an explorer has it) fixes the order of rows and
    columns, the colours and a size per row and column, so that every filtered view has the
    same layout and only its cells change.
    """
    votes = _require_votes(votes, "vote_grid_chart")
    cite = charts.source_of(votes, source, "vote_grid_chart")
    unknown = sorted(set(votes["vote_label"]) - set(VOTE_COLOURS))
    if unknown:
        raise ChartInputError(f"vote_grid_chart(): vote label {unknown[0]!r} is not one of {list(VOTE_COLOURS)}.")
    data = _grid_rows(votes)
    labels = list(dict.fromkeys(data.sort_values("order", kind="stable")["label"]))
    countries = list(dict.fromkeys(data["country"]))
    present = [v for v in VOTE_COLOURS if v in set(data["vote_label"])]
    rows, columns = labels, countries
    if layout_from is not None:
        whole = _require_votes(layout_from, "vote_grid_chart")
        rows = list(dict.fromkeys(whole.sort_values("order", kind="stable")["label"]))
        columns = list(dict.fromkeys(whole["country"]))
        present = list(VOTE_COLOURS)
    tooltip = [
        alt.Tooltip("label:N", title="Resolution"),
        alt.Tooltip("title:N", title="Subject"),
        alt.Tooltip("date:N", title="Date"),
        alt.Tooltip("country:N", title="Country"),
        alt.Tooltip("vote_label:N", title="Vote"),
    ]
    base = alt.Chart(data).encode(
        x=alt.X("country:N", sort=columns, title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("label:N", sort=rows, title=None, axis=alt.Axis(labelLimit=200)),
        tooltip=tooltip,
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "vote_label:N",
            title="Vote",
            scale=alt.Scale(domain=present, range=[VOTE_COLOURS[v] for v in present]),
        )
    )
    text = base.mark_text(fontSize=11, fontWeight="bold").encode(
        text="vote_label:N", color=alt.Color("ink:N", scale=None, legend=None)
    )
    body = votes.attrs.get("body", "UN")
    description = _grid_description(body, len(labels), zip(data["country"], data["vote_label"]))
    return charts.finish(
        alt.layer(cells, text).resolve_scale(color="independent"),
        title or f"Who voted how? {body}",
        cite,
        description,
        width=max(110 * len(countries), 220) if layout_from is None else alt.Step(110),
        height=max(22 * len(labels), 66) if layout_from is None else alt.Step(22),
    )


# -------------------------------------------------------------------------- explorer
_GRID_TITLE = "Votes on the selected General Assembly resolutions"


class VotingExplorer(KernelFallback, widgets.VBox):
    """Choose resolutions and countries; see the vote grid and how often each pair agreed.

    ``frame`` is the ``unga_ukraine_votes`` dataset (or any frame with its columns).
    The agreement score of a pair counts only resolutions where both cast a vote; the
    summary names the resolutions left out.
    """

    resolutions = traitlets.Tuple(
        help="Labels of the resolutions shown (e.g. 'ES-11/1 (Mar 2022)'); each must be one of those offered."
    ).tag(sync=False)
    countries = traitlets.Tuple(
        help="Countries shown, from 'China', 'Russia', 'North Korea' and 'United States'; pick two or more to compare."
    ).tag(sync=False)

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        resolutions: Sequence[str] | None = None,
        countries: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        self._votes = assembly_votes(frame)
        ordered = self._votes.sort_values("order", kind="stable")
        self._labels = list(dict.fromkeys(ordered["label"]))
        self._titles = dict(zip(ordered["label"], ordered["title"]))
        self._countries = list(ASSEMBLY_COUNTRIES)
        self._resolution_control = widgets.SelectMultiple(
            options=self._labels,
            rows=min(len(self._labels), 10),
            description="Resolutions",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="360px"),
        )
        self._country_control = widgets.SelectMultiple(
            options=self._countries,
            rows=len(self._countries),
            description="Countries",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="260px"),
        )
        self._help = widgets.HTML(
            "<p>Hold Ctrl (Cmd on a Mac) or Shift to select several entries in a list.</p>"
        )
        self._summary = widgets.HTML(layout=widgets.Layout(margin="4px 0"))
        self._output = LiveChart(layout=widgets.Layout(min_height="300px"))
        self._summary_text = ""
        self.scores: list[Agreement] = []
        # Built once from the whole table: a change picks rows and counts votes in plain Python and
        # swaps the rows into the grid's spec (tests compare it with what vote_grid_chart() draws).
        self._cast = {(row.label, row.country): row.vote for row in self._votes.itertuples()}
        grid = vote_grid_chart(self._votes, title=_GRID_TITLE, layout_from=self._votes)
        self._grid_spec = charts.fitted_spec(grid)
        (self._rows_name, all_rows), = self._grid_spec["datasets"].items()
        self._grid_rows = list(zip(self._votes["label"], self._votes["country"], all_rows))
        self._body = str(self._votes.attrs.get("body", "UN"))
        self._chart: Any = None
        self._chart_key: tuple[tuple[str, ...], tuple[str, ...]] | None = None
        super().__init__(
            children=[
                widgets.HBox([self._resolution_control, self._country_control]),
                self._help,
                self._summary,
                self._output,
            ],
            **kwargs,
        )
        widgets.link((self._resolution_control, "value"), (self, "resolutions"))
        widgets.link((self._country_control, "value"), (self, "countries"))
        self.observe(self._redraw, names=["resolutions", "countries"])
        with self.hold_trait_notifications():
            self.resolutions = tuple(self._labels if resolutions is None else resolutions)
            self.countries = tuple(self._countries if countries is None else countries)
        self._redraw()

    def __repr__(self) -> str:
        return f"VotingExplorer(resolutions={len(self.resolutions)} of {len(self._labels)}, countries={list(self.countries)!r})"

    @traitlets.validate("resolutions")
    def _valid_resolutions(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        value = tuple(proposal["value"])
        for label in value:
            if label not in self._labels:
                raise traitlets.TraitError(f"resolution {label!r} is not offered; choose from {self._labels}.")
        return value

    @traitlets.validate("countries")
    def _valid_countries(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        value = tuple(proposal["value"])
        for name in value:
            if name not in self._countries:
                raise traitlets.TraitError(f"country {name!r} is not offered; choose from {self._countries}.")
        return value

    @property
    def summary(self) -> str:
        """The plain-text summary shown under the controls."""
        return self._summary_text

    def _chosen(self) -> tuple[list[str], list[str]]:
        return ([label for label in self._labels if label in self.resolutions],
                [name for name in self._countries if name in self.countries])

    @property
    def chart(self) -> alt.LayerChart | None:
        """The vote grid shown (an Altair chart, made when asked for), or None when nothing is chosen."""
        chosen, names = self._chosen()
        if not chosen or not names:
            return None
        key = (tuple(chosen), tuple(names))
        if key != self._chart_key:
            subset = self._votes[self._votes["label"].isin(chosen) & self._votes["country"].isin(names)].copy()
            subset.attrs = dict(self._votes.attrs)
            self._chart = vote_grid_chart(subset, title=_GRID_TITLE, layout_from=self._votes)
            self._chart_key = key
        return self._chart

    def _redraw(self, _change: object = None) -> None:
        chosen, names = self._chosen()
        self.scores = []
        if not chosen or not names:
            self._summary_text = "Select at least one resolution and one country to see their votes."
            self._summary.value = f"<p>{escape(self._summary_text)}</p>"
            self._output.clear()
            return
        head = f"{len(chosen)} of {len(self._labels)} resolutions, {len(names)} countries."
        if len(names) < 2:
            text = head + " Select two or more countries to compare how often they voted the same way."
        else:
            self.scores = [_agreement(self._cast, chosen, a, b) for a, b in itertools.combinations(names, 2)]
            text = head + " Agreement (same vote; only resolutions where both cast a vote count): " + " ".join(
                s.sentence() for s in self.scores
            )
        self._summary_text = text
        self._summary.value = f"<p>{escape(text)}</p>"
        labels, countries = set(chosen), set(names)
        rows = [row for label, country, row in self._grid_rows if label in labels and country in countries]
        description = _grid_description(self._body, len({row["label"] for row in rows}), ((row["country"], row["vote_label"]) for row in rows))
        self._output.show({**self._grid_spec, "datasets": {self._rows_name: rows}, "description": description})
