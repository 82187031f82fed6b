"""Lesson 5, military cooperation and symbolism: tables, charts and two explorers.

Everything here works on the ``military_events`` dataset (one row per treaty, joint
statement, exercise, patrol, parade, summit or deployment; see ``data/datapackage.json``).

The lesson asks how *deep* each event goes, using three explicit criteria that the
dataset records as ``yes``, ``no`` or ``unclear`` (as far as the sources say):

- **joint command**: the forces acted under one shared or joint command or headquarters;
- **interoperability**: the forces practised operating together (shared communications,
  combined drills, mixed formations);
- **combat commitment**: a promise to fight for the other side, or actual fighting side by side.

The reference reading applies one stated rule (:data:`RULE`, :func:`classify`):
*operational* if the sources show a combat commitment or a joint command; *symbolic* if
they show none of the three (all ``no``); otherwise *mixed/unclear*. The rule is a choice
made for teaching, not an official classification; the lesson invites learners to dispute it.

The scale of each side's armed forces comes from SIPRI's military expenditure figures
(``sipri_military_expenditure``): :func:`spending_table` and :func:`spending_chart`.

Builders take DataFrames and return Altair charts styled by :func:`balancing_act.charts.finish`.
The explorers keep their state in validated traits and can be driven without a kernel.
Importing this module reads nothing and changes no global setting.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

import altair as alt
import ipywidgets as widgets
import pandas as pd
import traitlets

from balancing_act.fallback import KernelFallback
from balancing_act.live.chart import LiveChart
from balancing_act import charts
from balancing_act.data import describe, load

__all__ = [
    "CLASSES",
    "CRITERIA",
    "DATASET",
    "EventClassifier",
    "FAMILIES",
    "GROUPS",
    "MilitaryInputError",
    "PARTICIPANT_FILTERS",
    "RULE",
    "TYPE_LABELS",
    "TimelineExplorer",
    "classify",
    "combat_commitments",
    "criteria_grid_chart",
    "depth_chart",
    "depth_table",
    "events_per_year",
    "events_per_year_chart",
    "events_table",
    "filter_events",
    "finish_per_year_chart",
    "participant_group",
    "reasoning",
    "spending_chart",
    "spending_table",
    "timeline_chart",
    "type_counts",
]

#: Name of the dataset this module reads.
DATASET = "military_events"

#: The three criteria: column name -> label shown to learners.
CRITERIA: dict[str, str] = {
    "joint_command": "Joint command",
    "interoperability": "Interoperability",
    "combat_commitment": "Combat commitment",
}

#: What each criterion means, in the words the lesson uses.
CRITERIA_HELP: dict[str, str] = {
    "joint_command": "the forces acted under one shared or joint command or headquarters",
    "interoperability": "the forces practised operating together (shared communications, combined drills, mixed formations)",
    "combat_commitment": "a promise to fight for the other side, or actual fighting side by side",
}

# How each criterion reads in a sentence when the sources say yes / no / unclear.
_PHRASES: dict[str, tuple[str, str]] = {
    "joint_command": ("a joint command", "no joint command"),
    "interoperability": ("practice at operating together", "no practice at operating together"),
    "combat_commitment": ("a combat commitment", "no combat commitment"),
}

_VALUES = ("yes", "no", "unclear")

#: The three classes of the reference reading, deepest first.
CLASSES: tuple[str, ...] = ("operational", "mixed/unclear", "symbolic")

#: The reference rule, stated once for the lesson, the explorer and the tests.
RULE = (
    "Operational if the sources show a combat commitment or a joint command; "
    "symbolic if they show none of the three criteria (all three 'no'); "
    "otherwise mixed/unclear."
)

#: Event types in the dataset -> labels for charts and controls.
TYPE_LABELS: dict[str, str] = {
    "treaty": "Treaty",
    "statement": "Joint statement",
    "summit": "Summit",
    "parade": "Parade",
    "land_exercise": "Land exercise",
    "naval_exercise": "Naval exercise",
    "air_patrol": "Joint air (bomber) patrol",
    "naval_patrol": "Joint naval patrol",
    "deployment": "Troop deployment",
}

_FAMILY_OF: dict[str, str] = {
    "treaty": "Treaties, statements and summits",
    "statement": "Treaties, statements and summits",
    "summit": "Treaties, statements and summits",
    "parade": "Parades",
    "land_exercise": "Exercises",
    "naval_exercise": "Exercises",
    "air_patrol": "Joint patrols",
    "naval_patrol": "Joint patrols",
    "deployment": "Troop deployments",
}

#: Families of event types, in the order charts stack and list them.
FAMILIES: tuple[str, ...] = (
    "Exercises",
    "Joint patrols",
    "Parades",
    "Treaties, statements and summits",
    "Troop deployments",
)

#: Participant groups, as :func:`participant_group` names them.
GROUPS: tuple[str, ...] = (
    "China and Russia",
    "China, Russia and other countries",
    "China, Russia and North Korea",
    "Russia and North Korea",
    "Other",
)

#: Filters offered by the timeline explorer: key -> (label, countries that must all take part).
PARTICIPANT_FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "all": ("All events", ()),
    "china": ("Events with China", ("China",)),
    "north_korea": ("Events with North Korea", ("North Korea",)),
    "all_three": ("China, Russia and North Korea together", ("China", "Russia", "North Korea")),
    "iran": ("Events with Iran", ("Iran",)),
}

_REQUIRED = ["date", "name", "type", "participants", *CRITERIA]


class MilitaryInputError(ValueError):
    """A function of this module was given a value it cannot use; the message says which and how to fix it."""


# ------------------------------------------------------------------ the rule
def _check_value(column: str, value: object) -> str:
    if value not in _VALUES:
        raise MilitaryInputError(
            f"{column} must be 'yes', 'no' or 'unclear', not {value!r}. "
            "Use the values of the military_events columns (or 'yes'/'no' for your own reading)."
        )
    return str(value)


def classify(joint_command: str, interoperability: str, combat_commitment: str) -> str:
    """Apply the reference rule (:data:`RULE`) to one event's three criteria.

    Each argument is ``"yes"``, ``"no"`` or ``"unclear"``. Returns ``"operational"``,
    ``"mixed/unclear"`` or ``"symbolic"``.

    >>> classify("unclear", "yes", "no")
    'mixed/unclear'
    """
    values = {
        "joint_command": _check_value("joint_command", joint_command),
        "interoperability": _check_value("interoperability", interoperability),
        "combat_commitment": _check_value("combat_commitment", combat_commitment),
    }
    if values["combat_commitment"] == "yes" or values["joint_command"] == "yes":
        return "operational"
    if all(v == "no" for v in values.values()):
        return "symbolic"
    return "mixed/unclear"


def _join(items: Sequence[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def reasoning(joint_command: str, interoperability: str, combat_commitment: str) -> str:
    """One or two sentences that explain :func:`classify` for these three values."""
    values = {"joint_command": joint_command, "interoperability": interoperability, "combat_commitment": combat_commitment}
    label = classify(joint_command, interoperability, combat_commitment)
    yes = [_PHRASES[c][0] for c, v in values.items() if v == "yes"]
    no = [_PHRASES[c][1] for c, v in values.items() if v == "no"]
    unclear = [_PHRASES[c][0] for c, v in values.items() if v == "unclear"]
    parts = []
    if yes:
        parts.append("the sources show " + _join(yes))
    if unclear:
        subject = "they" if yes else "the sources"
        parts.append(f"{subject} do not make clear whether there was " + _join(unclear, "or"))
    if no:
        parts.append("there was " + _join(no))
    why = {
        "operational": "A joint command or a combat commitment is enough to count as operational.",
        "symbolic": "With none of the three, the event's weight lies in the message it sends.",
        "mixed/unclear": "Neither a joint command nor a combat commitment is shown, yet not all three are ruled out.",
    }[label]
    text = "; ".join(parts)
    return f"{label.capitalize()}: {text}. {why}"


def participant_group(participants: str) -> str:
    """Name the group of countries in a ``participants`` cell (``"China; Russia"`` -> ``"China and Russia"``)."""
    if not isinstance(participants, str) or not participants.strip():
        raise MilitaryInputError(
            f"participants must be text such as 'China; Russia', not {participants!r}. "
            "Countries are separated by ';' in the military_events dataset."
        )
    countries = {c.strip() for c in participants.split(";") if c.strip()}
    if {"China", "Russia", "North Korea"} <= countries:
        return "China, Russia and North Korea"
    if {"Russia", "North Korea"} <= countries and "China" not in countries:
        return "Russia and North Korea"
    if countries == {"China", "Russia"}:
        return "China and Russia"
    if {"China", "Russia"} < countries:
        return "China, Russia and other countries"
    return "Other"


# ------------------------------------------------------------------- tables
def _frame(frame: object, builder: str, columns: Sequence[str] = _REQUIRED) -> pd.DataFrame:
    return charts.require_frame(frame, list(columns), builder)


def events_table(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The events with the columns the lesson adds, in date order.

    Adds ``year`` (of the start date), ``type_label``, ``family``, ``group``
    (:func:`participant_group`), ``countries`` (a tuple), ``reference``
    (:func:`classify`) and ``reasoning`` (:func:`reasoning`). ``frame`` defaults to
    ``load("military_events")``; the result keeps its ``attrs["source"]``.
    """
    frame = load(DATASET) if frame is None else frame
    _frame(frame, "events_table")
    unknown = sorted(set(frame["type"]) - set(TYPE_LABELS))
    if unknown:
        raise MilitaryInputError(f"events_table(): unknown event type(s) {unknown}; expected one of {list(TYPE_LABELS)}.")
    out = frame.copy()
    out["year"] = out["date"].astype(str).str[:4].astype(int)
    out["type_label"] = out["type"].map(TYPE_LABELS)
    out["family"] = out["type"].map(_FAMILY_OF)
    out["group"] = out["participants"].map(participant_group)
    out["countries"] = out["participants"].map(lambda p: tuple(c.strip() for c in p.split(";") if c.strip()))
    out["reference"] = [classify(*row) for row in out[list(CRITERIA)].itertuples(index=False)]
    out["reasoning"] = [reasoning(*row) for row in out[list(CRITERIA)].itertuples(index=False)]
    out = out.sort_values(["date", "name"], kind="mergesort", ignore_index=True)
    out.attrs = dict(frame.attrs)
    return out


def _countries_of(frame: pd.DataFrame) -> list[str]:
    found: set[str] = set()
    for cell in frame["participants"]:
        found |= {c.strip() for c in str(cell).split(";") if c.strip()}
    return sorted(found)


def filter_events(
    frame: pd.DataFrame,
    *,
    types: Iterable[str] | None = None,
    participants: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Keep the events of the given ``types`` in which every country in ``participants`` took part.

    ``types`` are values of the ``type`` column (e.g. ``["parade", "air_patrol"]``);
    ``participants`` are country names (e.g. ``["China", "North Korea"]``). ``None``
    means no filter. An unknown type or country raises :class:`MilitaryInputError`
    listing the valid ones. The result may be empty; it keeps ``attrs``.
    """
    _frame(frame, "filter_events", ["type", "participants"])
    if isinstance(types, str) or isinstance(participants, str):
        raise MilitaryInputError(
            "filter_events(): give types and participants as lists, e.g. types=['parade'] or participants=['China']."
        )
    keep = pd.Series(True, index=frame.index)
    if types is not None:
        wanted = list(types)
        bad = [t for t in wanted if t not in TYPE_LABELS]
        if bad:
            raise MilitaryInputError(
                f"filter_events(): unknown type(s) {bad}; choose from {list(TYPE_LABELS)}."
            )
        keep &= frame["type"].isin(wanted)
    if participants is not None:
        wanted_countries = list(participants)
        known = _countries_of(frame)
        bad = [c for c in wanted_countries if c not in known]
        if bad:
            raise MilitaryInputError(
                f"filter_events(): no event lists the country {bad[0]!r}; countries in the data: {known}."
            )
        sets = frame["participants"].map(lambda p: {c.strip() for c in str(p).split(";")})
        keep &= sets.map(lambda s: set(wanted_countries) <= s)
    out = frame[keep].copy()
    out.attrs = dict(frame.attrs)
    return out


def _prepared(frame: pd.DataFrame, builder: str) -> pd.DataFrame:
    """``frame`` with the columns :func:`events_table` adds (computing them if missing)."""
    _frame(frame, builder)
    if {"year", "type_label", "family", "group", "reference"} <= set(frame.columns):
        return frame
    return events_table(frame)


def events_per_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Number of events per start year and family of type: columns ``year``, ``family``, ``events``.

    Only year-family pairs with at least one event appear; ``attrs["years"]`` gives the
    full span (first to last year) so charts can show empty years too.
    """
    data = _prepared(frame, "events_per_year")
    counts = data.groupby(["year", "family"]).size().rename("events").reset_index()
    counts["order"] = counts["family"].map(FAMILIES.index)
    counts = counts.sort_values(["year", "order"], ignore_index=True).drop(columns="order")
    counts["events"] = counts["events"].astype(int)
    counts.attrs = dict(frame.attrs)
    counts.attrs["years"] = (int(data["year"].min()), int(data["year"].max()))
    return counts


def type_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """A year-by-type table of event counts (types as columns, a ``Total`` column), every year of the span."""
    data = _prepared(frame, "type_counts")
    first, last = int(data["year"].min()), int(data["year"].max())
    order = [label for label in TYPE_LABELS.values() if label in set(data["type_label"])]
    table = pd.crosstab(data["year"], data["type_label"]).reindex(index=range(first, last + 1), columns=order, fill_value=0)
    table = table.loc[table.sum(axis=1) > 0]
    table["Total"] = table.sum(axis=1)
    table.index.name = "year"
    table.columns.name = None
    return table


def depth_table(frame: pd.DataFrame, by: str = "group") -> pd.DataFrame:
    """Events per ``by`` category (``"group"`` of participants, ``"type_label"`` or ``"family"``)
    and reference class: columns ``by``, ``reference``, ``events``."""
    if by not in ("group", "type_label", "family"):
        raise MilitaryInputError(f"depth_table(): by must be 'group', 'type_label' or 'family', not {by!r}.")
    data = _prepared(frame, "depth_table")
    table = data.groupby([by, "reference"]).size().rename("events").reset_index()
    table["events"] = table["events"].astype(int)
    table["order"] = table["reference"].map(CLASSES.index)
    table = table.sort_values([by, "order"], ignore_index=True).drop(columns="order")
    table.attrs = dict(frame.attrs)
    table.attrs["by"] = by
    return table


def combat_commitments(frame: pd.DataFrame) -> pd.DataFrame:
    """The events whose ``combat_commitment`` is ``yes``: date, name, type and participants."""
    _frame(frame, "combat_commitments")
    rows = frame.loc[frame["combat_commitment"] == "yes", ["date", "name", "type", "participants"]]
    out = rows.sort_values("date", kind="mergesort").reset_index(drop=True)
    out.attrs = dict(frame.attrs)
    return out


# ------------------------------------------------------------------- charts
_BY_TITLES = {"group": "Participants", "type_label": "Type of event", "family": "Kind of event"}


def timeline_chart(frame: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """A dot per event on a time axis, one row per type of event, coloured by participant group."""
    data = _prepared(frame, "timeline_chart")
    cite = charts.source_of(data, source, "timeline_chart")
    plot = data[["date", "name", "type_label", "group", "participants", "location", "reference"]].copy()
    plot["end_date"] = data["end_date"].fillna("") if "end_date" in data.columns else ""
    plot["location"] = plot["location"].fillna("")
    types = [label for label in TYPE_LABELS.values() if label in set(plot["type_label"])]
    groups = [g for g in GROUPS if g in set(plot["group"])]
    # The same domain in every view keeps each group's colour and shape fixed when the data are filtered.
    domain = [g for g in GROUPS if g != "Other" or "Other" in groups]
    legend = alt.Legend(orient="bottom", columns=2, labelLimit=320)
    chart = (
        alt.Chart(plot)
        .mark_point(filled=True, size=90, opacity=0.85)
        .encode(
            x=alt.X("date:T", title="Start date (year)", axis=alt.Axis(format="%Y", tickCount="year"),
                    scale=alt.Scale(padding=12)),
            # every type in the sort order and a height per row: a filtered view keeps the same layout
            y=alt.Y("type_label:N", title=None, sort=list(TYPE_LABELS.values()), axis=alt.Axis(labelLimit=220)),
            color=alt.Color("group:N", title="Participants", scale=alt.Scale(domain=domain), legend=legend),
            shape=alt.Shape("group:N", title="Participants", scale=alt.Scale(domain=domain), legend=legend),
            tooltip=[
                alt.Tooltip("name:N", title="Event"),
                alt.Tooltip("date:N", title="Start date"),
                alt.Tooltip("end_date:N", title="End date"),
                alt.Tooltip("type_label:N", title="Type"),
                alt.Tooltip("participants:N", title="Participants"),
                alt.Tooltip("location:N", title="Where"),
                alt.Tooltip("reference:N", title="Reference reading"),
            ],
        )
    )
    first, last = str(plot["date"].min())[:4], str(plot["date"].max())[:4]
    per_type = plot["type_label"].value_counts()
    description = (
        f"Timeline of {len(plot)} military events from {first} to {last}, one row per type of event, "
        "coloured by participants. Events per type: "
        + "; ".join(f"{t} {int(per_type[t])}" for t in types)
        + ". Groups: "
        + "; ".join(f"{g} {int((plot['group'] == g).sum())}" for g in groups)
        + "."
    )
    default = f"China, Russia and North Korea: military events, {first}-{last}" if first != last else f"Military events, {first}"
    return charts.finish(chart, title or default, cite, description, height=alt.Step(34))


def finish_per_year_chart(chart: alt.Chart, counts: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """Add the course style, the source line and a description to a chart of events per year.

    ``chart`` is any Altair chart drawn from ``counts``, a frame with the columns ``year``,
    ``family`` and ``events`` (one row per year and kind of event, as ``groupby(...).size()``
    or :func:`events_per_year` gives). The description lists the total of every year.
    """
    charts.require_frame(counts, ["year", "family", "events"], "finish_per_year_chart")
    cite = charts.source_of(counts, source, "finish_per_year_chart")
    first, last = counts.attrs.get("years", (int(counts["year"].min()), int(counts["year"].max())))
    families = [f for f in FAMILIES if f in set(counts["family"])]
    totals = counts.groupby("year")["events"].sum()
    peak = int(totals.idxmax())
    description = (
        f"Stacked bar chart of the number of military events per year, {first} to {last}, by kind of event "
        f"({', '.join(families)}). Totals: "
        + "; ".join(f"{int(y)} {int(n)}" for y, n in totals.items())
        + f". Years not listed have no events in the data. The busiest year is {peak} with {int(totals[peak])} events."
    )
    return charts.finish(chart, title or f"Military events per year, {first}-{last}", cite, description)


def events_per_year_chart(counts: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """Stacked bars: events per year, split by family of type (as returned by :func:`events_per_year`)."""
    charts.require_frame(counts, ["year", "family", "events"], "events_per_year_chart")
    first, last = counts.attrs.get("years", (int(counts["year"].min()), int(counts["year"].max())))
    families = [f for f in FAMILIES if f in set(counts["family"])]
    plot = counts[["year", "family", "events"]].copy()
    plot["year"] = plot["year"].astype(int)
    plot["order"] = plot["family"].map(families.index)
    plot.attrs = dict(counts.attrs)
    chart = (
        alt.Chart(plot)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year (start date)", scale=alt.Scale(domain=list(range(first, last + 1))),
                    axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("sum(events):Q", title="Number of events", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("family:N", title="Kind of event", sort=families, legend=alt.Legend(orient="bottom", columns=3, labelLimit=320)),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("family:N", title="Kind of event"),
                alt.Tooltip("events:Q", title="Events"),
            ],
        )
    )
    return finish_per_year_chart(chart, plot, title=title, source=source)


_SPENDERS = ("United States", "China", "Russia")


def spending_table(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Military spending of the United States, China and Russia by year (SIPRI).

    Columns: ``year``, ``country``, ``constant_2023_usd_bn``, ``share_of_gdp_pct``,
    ``pct_of_world`` (share of SIPRI's world total, both in constant 2023 US$) and
    ``real_change_pct`` (change in constant dollars since the first year of the table).
    """
    frame = load("sipri_military_expenditure") if frame is None else frame
    charts.require_frame(frame, ["year", "country", "constant_2023_usd_bn", "share_of_gdp_pct"], "spending_table")
    world = frame[frame["country"] == "World"].set_index("year")["constant_2023_usd_bn"].astype(float)
    rows = frame[frame["country"].isin(_SPENDERS)].copy()
    if rows.empty:
        raise MilitaryInputError(f"spending_table(): no rows for {list(_SPENDERS)}; pass sipri_military_expenditure.")
    rows = rows.sort_values(["country", "year"], key=lambda c: c.map(_SPENDERS.index) if c.name == "country" else c)
    out = rows[["year", "country", "constant_2023_usd_bn", "share_of_gdp_pct"]].reset_index(drop=True)
    out["year"] = out["year"].astype(int)
    out["constant_2023_usd_bn"] = out["constant_2023_usd_bn"].astype(float)
    out["share_of_gdp_pct"] = out["share_of_gdp_pct"].astype(float)
    out["pct_of_world"] = 100 * out["constant_2023_usd_bn"] / out["year"].map(world)
    first = out.groupby("country")["constant_2023_usd_bn"].transform("first")
    out["real_change_pct"] = 100 * (out["constant_2023_usd_bn"] / first - 1)
    out.attrs["source"] = frame.attrs.get("source", "")
    return out


def spending_chart(table: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """Lines: military spending in constant 2023 US$ by year, one line per country (from :func:`spending_table`)."""
    charts.require_frame(table, ["year", "country", "constant_2023_usd_bn"], "spending_chart")
    cite = charts.source_of(table, source, "spending_chart")
    countries = [c for c in _SPENDERS if c in set(table["country"])]
    chart = charts.series_lines(
        table,
        x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("constant_2023_usd_bn:Q", title="Military spending (billion US$ at 2023 prices)"),
        series="country",
        order=countries,
        legend_on_top=True,
        tooltip=[
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("country:N", title="Country"),
            alt.Tooltip("constant_2023_usd_bn:Q", title="Billion US$ (2023 prices)", format=",.1f"),
            alt.Tooltip("share_of_gdp_pct:Q", title="Share of GDP (%)", format=".1f"),
        ],
    )
    parts = [
        f"{country} {start['constant_2023_usd_bn']:,.0f} billion in {int(start['year'])} and "
        f"{end['constant_2023_usd_bn']:,.0f} billion in {int(end['year'])}"
        for country, start, end in charts.series_ends(table, "country", countries)
    ]
    first, last = int(table["year"].min()), int(table["year"].max())
    description = (
        f"Line chart of military spending at constant 2023 prices, {first} to {last}, in billion US dollars: "
        + "; ".join(parts) + "."
    )
    return charts.finish(chart, title or f"Military spending of the United States, China and Russia, {first}-{last}", cite, description)


def depth_chart(frame: pd.DataFrame, *, by: str = "group", title: str | None = None, source: str | None = None) -> alt.Chart:
    """Horizontal stacked bars: events per category (``by``), split by reference class.

    ``frame`` is the events (raw or from :func:`events_table`); ``by`` is ``"group"``,
    ``"type_label"`` or ``"family"``.
    """
    table = depth_table(frame, by=by)
    cite = charts.source_of(frame, source, "depth_chart")
    classes = [c for c in CLASSES if c in set(table["reference"])]
    table["order"] = table["reference"].map(CLASSES.index)
    totals = table.groupby(by)["events"].sum().sort_values(ascending=False, kind="mergesort")
    chart = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            y=alt.Y(f"{by}:N", title=None, sort=list(totals.index), axis=alt.Axis(labelLimit=240)),
            x=alt.X("sum(events):Q", title="Number of events", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("reference:N", title="Reference reading", sort=classes, legend=alt.Legend(orient="bottom")),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip(f"{by}:N", title=_BY_TITLES[by]),
                alt.Tooltip("reference:N", title="Reference reading"),
                alt.Tooltip("events:Q", title="Events"),
            ],
        )
    )
    parts = []
    for category in totals.index:
        rows = table[table[by] == category].set_index("reference")["events"]
        parts.append(f"{category}: " + ", ".join(f"{int(rows[c])} {c}" for c in classes if c in rows.index))
    description = (
        f"Bar chart of {int(totals.sum())} events by {_BY_TITLES[by].lower()}, split by the reference reading "
        "(operational, mixed/unclear, symbolic). " + "; ".join(parts) + "."
    )
    return charts.finish(
        chart,
        title or f"How deep does each {'partnership' if by == 'group' else 'kind of event'} go?",
        cite,
        description,
        height=max(80, 30 * len(totals)),
    )


def criteria_grid_chart(frame: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """A grid with one row per event and one column per criterion, coloured yes / unclear / no."""
    data = _prepared(frame, "criteria_grid_chart")
    cite = charts.source_of(data, source, "criteria_grid_chart")
    data = data.assign(event=data["date"].astype(str) + " · " + data["name"].astype(str))
    long = data.melt(
        id_vars=["event", "reference"], value_vars=list(CRITERIA), var_name="criterion", value_name="value"
    )
    long["criterion"] = long["criterion"].map(CRITERIA)
    chart = (
        alt.Chart(long)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("criterion:N", title="Criterion", sort=list(CRITERIA.values()), axis=alt.Axis(labelAngle=0, orient="top")),
            y=alt.Y("event:N", title=None, sort=list(data["event"]), axis=alt.Axis(labelLimit=320)),
            color=alt.Color("value:N", title="What the sources show", sort=["yes", "unclear", "no"],
                            legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("event:N", title="Event"),
                alt.Tooltip("criterion:N", title="Criterion"),
                alt.Tooltip("value:N", title="Sources show"),
                alt.Tooltip("reference:N", title="Reference reading"),
            ],
        )
    )
    rows = [
        f"{r.name}: " + ", ".join(f"{CRITERIA[c].lower()} {getattr(r, c)}" for c in CRITERIA) + f" ({r.reference})"
        for r in data.itertuples()
    ]
    description = f"Grid of {len(data)} events by the three criteria (yes, unclear or no). " + "; ".join(rows) + "."
    return charts.finish(
        chart,
        title or "What the sources show, event by event",
        cite,
        description,
        width=300,
        height=max(60, 22 * len(data)),
    )


# ---------------------------------------------------------------- explorers
def _event_label(row: Any) -> str:
    return f"{row.date} · {row.name}"


class TimelineExplorer(KernelFallback, widgets.VBox):
    """Filter the timeline of events by type and by participants; see the chart and a summary.

    ``frame`` is the ``military_events`` dataset (raw, or from :func:`events_table`).
    """

    types = traitlets.Tuple(
        help="Event types shown: values of the 'type' column, e.g. ('parade', 'air_patrol'); empty shows none."
    ).tag(sync=False)
    participants = traitlets.Unicode(
        "all", help=f"Participant filter: one of {list(PARTICIPANT_FILTERS)} (see PARTICIPANT_FILTERS)."
    ).tag(sync=False)

    def __init__(self, frame: pd.DataFrame, **kwargs: Any) -> None:
        self._events = events_table(_frame(frame, "TimelineExplorer"))
        self._types = [t for t in TYPE_LABELS if t in set(self._events["type"])]
        self._filters = {
            key: value for key, value in PARTICIPANT_FILTERS.items()
            if set(value[1]) <= set(_countries_of(self._events))
        }
        self._type_control = widgets.SelectMultiple(
            options=[(TYPE_LABELS[t], t) for t in self._types],
            value=tuple(self._types),
            rows=len(self._types),
            description="Types",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="340px"),
        )
        self._participant_control = widgets.Dropdown(
            options=[(label, key) for key, (label, _) in self._filters.items()],
            value="all",
            description="Participants",
            style={"description_width": "initial"},
        )
        self._help = widgets.HTML(
            "<p>Hold Ctrl (Cmd on a Mac) or Shift to select several types.</p>", layout=widgets.Layout(margin="0")
        )
        self._summary = widgets.HTML(layout=widgets.Layout(margin="4px 0"))
        self._output = LiveChart(layout=widgets.Layout(min_height="300px"))
        self._summary_text = ""
        self.chart: alt.Chart | None = None
        super().__init__(
            children=[
                widgets.HBox([self._type_control, self._participant_control]),
                self._help,
                self._summary,
                self._output,
            ],
            **kwargs,
        )
        self.types = tuple(self._types)
        widgets.link((self._type_control, "value"), (self, "types"))
        widgets.link((self._participant_control, "value"), (self, "participants"))
        self.observe(self._redraw, names=["types", "participants"])
        self._redraw()

    def __repr__(self) -> str:
        shown = "all" if list(self.types) == self._types else list(self.types)
        return f"TimelineExplorer(types={shown!r}, participants={self.participants!r})"

    @traitlets.validate("types")
    def _valid_types(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        value = tuple(proposal["value"])
        bad = [t for t in value if t not in self._types]
        if bad:
            raise traitlets.TraitError(f"types {bad} are not offered; choose from {self._types}.")
        return value

    @traitlets.validate("participants")
    def _valid_participants(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value not in self._filters:
            raise traitlets.TraitError(f"participants {value!r} is not offered; choose one of {list(self._filters)}.")
        return value

    @property
    def summary(self) -> str:
        """The plain-text summary shown above the chart."""
        return self._summary_text

    @property
    def shown(self) -> pd.DataFrame:
        """The events that pass the current filters."""
        countries = self._filters[self.participants][1]
        return filter_events(self._events, types=list(self.types), participants=list(countries) or None)

    def _redraw(self, _change: object = None) -> None:
        label = self._filters[self.participants][0]
        if not self.types:
            self._summary_text = "No type of event is selected; select at least one in the Types list."
            self.chart = None
            self._output.clear()
        else:
            shown = self.shown
            if shown.empty:
                self._summary_text = f"{label}: no event of the selected types. Select more types or another participant filter."
                self.chart = None
                self._output.clear()
            else:
                counts = shown["reference"].value_counts()
                first, last = int(shown["year"].min()), int(shown["year"].max())
                span = str(first) if first == last else f"{first}-{last}"
                self._summary_text = (
                    f"{label}: {len(shown)} event{'s' if len(shown) != 1 else ''} shown, {span}. "
                    "Reference reading: "
                    + ", ".join(f"{int(counts.get(c, 0))} {c}" for c in CLASSES)
                    + "."
                )
                self.chart = timeline_chart(shown, title=f"{label}, {span}: military events by type")
                self._output.show(charts.fitted_spec(self.chart))
        self._summary.value = f"<p>{escape(self._summary_text)}</p>"


def _source_index(sources: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(s.get("id")): s for s in sources if s.get("id")}


_NO_HEADLINE = "[headline not shown in stored excerpt] "


def _source_html(source_id: str, index: Mapping[str, Mapping[str, Any]]) -> str:
    source = index.get(source_id)
    if source is None:
        return f"<li>{escape(source_id)} (not described in data/datapackage.json)</li>"
    title = str(source.get("title", ""))
    note = ""
    if title.startswith(_NO_HEADLINE):
        title, note = title[len(_NO_HEADLINE):], " (descriptive title; the original headline is not recorded)"
    org = escape(str(source.get("organisation", "")))
    date = escape(str(source.get("date", "not stated")))
    url = str(source.get("path", ""))
    if url.startswith(("http://", "https://")):
        link = f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(title)}</a>'
    else:
        link = escape(title)
    return f"<li>{org}: {link}{escape(note)}, {date}</li>"


class EventClassifier(KernelFallback, widgets.VBox):
    """Pick an event, tick the criteria you see in its description, and compare your
    classification with the reference reading, its reasoning and its sources.

    ``frame`` is the ``military_events`` dataset (raw or from :func:`events_table`);
    ``sources`` the dataset's source list (default: ``describe("military_events").sources``).
    Nothing the learner ticks is recorded anywhere.
    """

    event = traitlets.Unicode(help="Name of the event shown; must be one of the events in the frame.").tag(sync=False)
    joint_command = traitlets.Bool(False, help="The learner sees a joint command in this event.").tag(sync=False)
    interoperability = traitlets.Bool(False, help="The learner sees forces practising operating together.").tag(sync=False)
    combat_commitment = traitlets.Bool(False, help="The learner sees a commitment to fight, or actual combat.").tag(sync=False)
    revealed = traitlets.Bool(False, help="Whether the reference reading is shown (set by the Compare button).").tag(sync=False)

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        event: str | None = None,
        sources: Iterable[Mapping[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        self._events = events_table(_frame(frame, "EventClassifier", [*_REQUIRED, "source_id", "summary"]))
        if self._events["name"].duplicated().any():
            dupes = sorted(set(self._events.loc[self._events["name"].duplicated(), "name"]))
            raise MilitaryInputError(f"EventClassifier: event names must be unique; repeated: {dupes}.")
        self._by_name = self._events.set_index("name", drop=False)
        if sources is None:
            sources = describe(self._events.attrs.get("dataset", DATASET)).sources
        self._sources = _source_index(sources)
        self._event_control = widgets.Dropdown(
            options=[(_event_label(r), r.name) for r in self._events.itertuples()],
            description="Event",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%"),
        )
        self._details = widgets.HTML(layout=widgets.Layout(margin="4px 0"))
        self._criteria_help = widgets.HTML(
            "<p><strong>Tick what the description shows:</strong></p><ul>"
            + "".join(f"<li><strong>{escape(CRITERIA[c])}</strong>: {escape(CRITERIA_HELP[c])}</li>" for c in CRITERIA)
            + "</ul>"
        )
        self._boxes = {
            c: widgets.Checkbox(value=False, description=CRITERIA[c], indent=False, layout=widgets.Layout(width="auto"))
            for c in CRITERIA
        }
        self._button = widgets.Button(
            description="Compare with the reference",
            tooltip="Show your classification next to the reference reading, with its reasoning and sources",
            layout=widgets.Layout(width="auto"),
        )
        self._result = widgets.HTML(layout=widgets.Layout(margin="4px 0"))
        self._output = LiveChart()
        self._summary_text = ""
        self.chart: alt.Chart | None = None
        super().__init__(
            children=[
                self._event_control,
                self._details,
                self._criteria_help,
                widgets.HBox(list(self._boxes.values())),
                self._button,
                self._result,
                self._output,
            ],
            **kwargs,
        )
        for column, box in self._boxes.items():
            widgets.link((box, "value"), (self, column))
        widgets.link((self._event_control, "value"), (self, "event"))
        self.observe(self._new_event, names=["event"])
        self.observe(self._redraw, names=[*CRITERIA, "revealed"])
        self._button.on_click(self._reveal)
        self.event = event if event is not None else str(self._events["name"].iloc[0])
        self._new_event()

    def __repr__(self) -> str:
        ticked = [c for c in CRITERIA if getattr(self, c)]
        return f"EventClassifier(event={self.event!r}, ticked={ticked!r}, revealed={self.revealed})"

    @traitlets.validate("event")
    def _valid_event(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value not in self._by_name.index:
            raise traitlets.TraitError(
                f"event {value!r} is not in the data; choose one of the names in the Event list "
                "(the 'name' column of military_events)."
            )
        return value

    # -- readings
    @property
    def row(self) -> pd.Series:
        """The dataset row of the event shown."""
        return self._by_name.loc[self.event]

    @property
    def learner_class(self) -> str:
        """The learner's classification: the reference rule applied to the ticked boxes."""
        return classify(*("yes" if getattr(self, c) else "no" for c in CRITERIA))

    @property
    def reference_class(self) -> str:
        """The reference classification of the event, from the dataset's three columns."""
        return str(self.row["reference"])

    @property
    def summary(self) -> str:
        """Plain text of what the widget shows under the controls."""
        return self._summary_text

    def _comparison(self) -> list[str]:
        lines = []
        for column, label in CRITERIA.items():
            mine = getattr(self, column)
            theirs = str(self.row[column])
            if theirs == "unclear":
                verdict = "the sources do not say either way"
            elif (theirs == "yes") == mine:
                verdict = "you agree"
            elif mine:
                verdict = "the course's reading of the sources finds none"
            else:
                verdict = "the sources report it"
            lines.append(f"{label}: you {'ticked' if mine else 'did not tick'} it; the data say '{theirs}' ({verdict})")
        return lines

    # -- updates
    def _new_event(self, _change: object = None) -> None:
        with self.hold_trait_notifications():
            for column in CRITERIA:
                setattr(self, column, False)
            self.revealed = False
        row = self.row
        when = str(row["date"]) + (f" to {row['end_date']}" if isinstance(row.get("end_date"), str) and row["end_date"] else "")
        where = row.get("location") if isinstance(row.get("location"), str) else "not recorded"
        self._details.value = (
            f"<p><strong>{escape(str(row['name']))}</strong><br>"
            f"{escape(when)} · {escape(str(row['type_label']))} · {escape(str(row['participants']))} · {escape(str(where))}</p>"
            f"<p>{escape(str(row['summary']))}</p>"
        )
        self._redraw()

    def _reveal(self, _button: object = None) -> None:
        self.revealed = True

    def _redraw(self, _change: object = None) -> None:
        ticked = [CRITERIA[c].lower() for c in CRITERIA if getattr(self, c)]
        mine = self.learner_class
        yours = (
            f"Your reading: {mine} (you ticked {_join(ticked) if ticked else 'nothing'}). "
            f"Rule: {RULE}"
        )
        if not self.revealed:
            self._summary_text = yours + " Press 'Compare with the reference' when you have decided."
            self._result.value = f"<p>{escape(self._summary_text)}</p>"
            self.chart = None
            self._output.clear()
            return
        row = self.row
        reference = self.reference_class
        agree = "Your reading matches the reference." if mine == reference else "Your reading differs from the reference."
        comparison = self._comparison()
        self._summary_text = (
            f"{yours} Reference: {reference}. {agree} Reasoning: {row['reasoning']} "
            + " ".join(f"{line}." for line in comparison)
        )
        source_ids = [s.strip() for s in str(row["source_id"]).split(";") if s.strip()]
        self._result.value = (
            f"<p>{escape(yours)}</p>"
            f"<p><strong>Reference: {escape(reference)}.</strong> {escape(agree)}</p>"
            f"<p>{escape(str(row['reasoning']))}</p>"
            "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in comparison) + "</ul>"
            "<p>The reference columns are the course's reading of the sources, not an official classification. Sources:</p>"
            "<ul>" + "".join(_source_html(s, self._sources) for s in source_ids) + "</ul>"
        )
        same_type = self._events[self._events["type"] == row["type"]]
        self.chart = criteria_grid_chart(
            same_type, title=f"Every {str(row['type_label']).lower()} in the data: what the sources show"
        )
        self._output.show(charts.fitted_spec(self.chart))
