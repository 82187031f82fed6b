"""Lesson 5 topic module: the reference rule, the tables, the chart builders and the two explorers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import traitlets

from balancing_act import charts
from balancing_act.data import load
from balancing_act.topics import military as m

COLUMNS = [
    "date", "end_date", "name", "type", "participants", "location", "summary",
    "joint_command", "interoperability", "combat_commitment", "source_id",
]

SOURCES = [
    {"id": "s1", "title": "Drill report", "organisation": "Agency A", "date": "2019-07-23", "path": "https://example.org/a"},
    {"id": "s2", "title": "[headline not shown in stored excerpt] Parade held", "organisation": "Paper B",
     "date": "not stated", "path": "https://example.org/b"},
    {"id": "s3", "title": "Treaty text", "organisation": "Archive C", "date": "2024-06-20", "path": "ftp://example.org/c"},
]


def _toy() -> pd.DataFrame:
    rows = [
        ("2001-07-16", None, "Treaty A", "treaty", "China; Russia", "Moscow", "A treaty.", "no", "no", "no", "s1"),
        ("2012-04-22", "2012-04-27", "Drill B", "naval_exercise", "China; Russia", "Sea", "Joint HQ trained.", "yes", "yes", "no", "s1"),
        ("2019-07-23", None, "Patrol C", "air_patrol", "China; Russia", "Sky", "Bombers flew together.", "unclear", "yes", "no", "s1"),
        ("2019-09-16", "2019-09-21", "Drill D", "land_exercise", "China; Russia; India", "Range", "Multinational.", "yes", "yes", "no", "s1"),
        ("2024-06-19", None, "Treaty E", "treaty", "Russia; North Korea", "Pyongyang", "Mutual aid.", "no", "no", "yes", "s3"),
        ("2025-09-03", None, "Parade F", "parade", "China; Russia; North Korea", "Beijing", "<b>Big</b> parade & show.", "no", "no", "no", "s2;zz"),
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.attrs["source"] = "Source: toy events"
    frame.attrs["dataset"] = "toy_events"
    return frame


# ------------------------------------------------------------------ rule
@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (("yes", "no", "no"), "operational"),
        (("no", "no", "yes"), "operational"),
        (("unclear", "yes", "yes"), "operational"),
        (("no", "no", "no"), "symbolic"),
        (("unclear", "yes", "no"), "mixed/unclear"),
        (("no", "yes", "no"), "mixed/unclear"),
        (("no", "no", "unclear"), "mixed/unclear"),
    ],
)
def test_classify_applies_the_stated_rule(values, expected) -> None:
    assert m.classify(*values) == expected


def test_classify_names_a_bad_value_and_the_fix() -> None:
    with pytest.raises(m.MilitaryInputError, match=r"combat_commitment must be 'yes', 'no' or 'unclear', not 'maybe'"):
        m.classify("no", "no", "maybe")
    with pytest.raises(m.MilitaryInputError, match=r"joint_command .* not True"):
        m.classify(True, "no", "no")


def test_reasoning_explains_the_class() -> None:
    text = m.reasoning("unclear", "yes", "no")
    assert text.startswith("Mixed/unclear: the sources show practice at operating together; they do not make clear")
    assert "no combat commitment" in text
    assert m.reasoning("no", "no", "no").startswith("Symbolic: there was no joint command")
    assert m.reasoning("unclear", "unclear", "no").startswith("Mixed/unclear: the sources do not make clear whether")
    assert "enough to count as operational" in m.reasoning("no", "no", "yes")
    assert "Operational" in m.RULE and "symbolic" in m.RULE and "mixed/unclear" in m.RULE


@pytest.mark.parametrize(
    ("cell", "group"),
    [
        ("China; Russia", "China and Russia"),
        ("Russia; China", "China and Russia"),
        ("China; Russia; Iran", "China, Russia and other countries"),
        ("China; Russia; North Korea", "China, Russia and North Korea"),
        ("North Korea; Russia", "Russia and North Korea"),
        ("Russia; Belarus", "Other"),
    ],
)
def test_participant_group(cell: str, group: str) -> None:
    assert m.participant_group(cell) == group


def test_participant_group_refuses_empty_cells() -> None:
    with pytest.raises(m.MilitaryInputError, match=r"participants must be text such as 'China; Russia', not None"):
        m.participant_group(None)  # type: ignore[arg-type]


# ---------------------------------------------------------------- tables
def test_events_table_adds_columns_and_keeps_the_source() -> None:
    shuffled = _toy().iloc[::-1]
    shuffled.attrs = _toy().attrs
    table = m.events_table(shuffled)
    assert list(table["name"]) == ["Treaty A", "Drill B", "Patrol C", "Drill D", "Treaty E", "Parade F"]
    assert list(table["year"]) == [2001, 2012, 2019, 2019, 2024, 2025]
    assert list(table["reference"]) == ["symbolic", "operational", "mixed/unclear", "operational", "operational", "symbolic"]
    assert table.loc[2, "type_label"] == "Joint air (bomber) patrol" and table.loc[2, "family"] == "Joint patrols"
    assert table.loc[5, "countries"] == ("China", "Russia", "North Korea")
    assert table.attrs["source"] == "Source: toy events"


def test_events_table_rejects_unknown_types_and_missing_columns() -> None:
    bad = _toy()
    bad.loc[0, "type"] = "war"
    with pytest.raises(m.MilitaryInputError, match=r"unknown event type\(s\) \['war'\]"):
        m.events_table(bad)
    with pytest.raises(charts.ChartInputError, match=r"missing \['combat_commitment'\]"):
        m.events_table(_toy().drop(columns="combat_commitment"))


def test_filter_events_by_type_and_participants() -> None:
    toy = _toy()
    assert list(m.filter_events(toy, types=["treaty"])["name"]) == ["Treaty A", "Treaty E"]
    assert list(m.filter_events(toy, participants=["North Korea"])["name"]) == ["Treaty E", "Parade F"]
    both = m.filter_events(toy, types=["parade", "treaty"], participants=["China", "North Korea"])
    assert list(both["name"]) == ["Parade F"]
    assert m.filter_events(toy, types=[]).empty
    assert m.filter_events(toy, types=["parade"]).attrs["source"] == "Source: toy events"


def test_filter_events_errors_name_the_value_and_the_choices() -> None:
    toy = _toy()
    with pytest.raises(m.MilitaryInputError, match=r"unknown type\(s\) \['parades'\]; choose from \['treaty'"):
        m.filter_events(toy, types=["parades"])
    with pytest.raises(m.MilitaryInputError, match=r"no event lists the country 'Japan'; countries in the data: \['China', 'India'"):
        m.filter_events(toy, participants=["Japan"])
    with pytest.raises(m.MilitaryInputError, match=r"as lists, e.g. types=\['parade'\]"):
        m.filter_events(toy, types="parade")


def test_events_per_year_counts_by_family_and_keeps_the_span() -> None:
    counts = m.events_per_year(_toy())
    assert counts.to_dict("records")[:3] == [
        {"year": 2001, "family": "Treaties, statements and summits", "events": 1},
        {"year": 2012, "family": "Exercises", "events": 1},
        {"year": 2019, "family": "Exercises", "events": 1},
    ]
    assert counts.loc[counts["year"] == 2019, "events"].sum() == 2
    assert counts.attrs["years"] == (2001, 2025)


def test_type_counts_has_a_total_and_only_years_with_events() -> None:
    table = m.type_counts(_toy())
    assert list(table.index) == [2001, 2012, 2019, 2024, 2025]
    assert table.loc[2019, "Total"] == 2
    assert table.loc[2019, "Land exercise"] == 1 and table.loc[2019, "Joint air (bomber) patrol"] == 1
    assert list(table.columns)[0] == "Treaty" and list(table.columns)[-1] == "Total"


def test_depth_table_by_group_and_bad_by() -> None:
    table = m.depth_table(_toy(), by="group")
    records = {(r["group"], r["reference"]): r["events"] for r in table.to_dict("records")}
    assert records[("China and Russia", "operational")] == 1
    assert records[("China and Russia", "symbolic")] == 1
    assert records[("Russia and North Korea", "operational")] == 1
    with pytest.raises(m.MilitaryInputError, match=r"by must be 'group', 'type_label' or 'family', not 'year'"):
        m.depth_table(_toy(), by="year")


def test_combat_commitments_lists_only_yes() -> None:
    table = m.combat_commitments(_toy())
    assert table.to_dict("records") == [
        {"date": "2024-06-19", "name": "Treaty E", "type": "treaty", "participants": "Russia; North Korea"}
    ]


# ---------------------------------------------------------------- charts
def _tooltips_everywhere(spec: dict) -> bool:
    return bool(spec["encoding"].get("tooltip"))


def test_timeline_chart_spec() -> None:
    spec = m.timeline_chart(_toy()).to_dict()
    assert spec["mark"]["type"] == "point"
    assert spec["encoding"]["x"]["field"] == "date" and spec["encoding"]["x"]["type"] == "temporal"
    assert spec["encoding"]["y"]["field"] == "type_label"
    assert spec["encoding"]["color"]["field"] == "group" and spec["encoding"]["shape"]["field"] == "group"
    fixed = ["China and Russia", "China, Russia and other countries", "China, Russia and North Korea", "Russia and North Korea"]
    assert spec["encoding"]["color"]["scale"]["domain"] == fixed == spec["encoding"]["shape"]["scale"]["domain"]
    assert spec["encoding"]["color"]["legend"] == spec["encoding"]["shape"]["legend"]
    assert _tooltips_everywhere(spec)
    assert spec["title"]["text"] == "China, Russia and North Korea: military events, 2001-2025"
    assert spec["title"]["subtitle"] == ["Source: toy events"]
    assert "Timeline of 6 military events from 2001 to 2025" in spec["description"]
    assert "Treaty 2" in spec["description"] and "China and Russia 3" in spec["description"]
    assert spec["config"]["range"]["category"] == list(charts.PALETTE)


def test_events_per_year_chart_spec_shows_empty_years() -> None:
    spec = m.events_per_year_chart(m.events_per_year(_toy())).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["scale"]["domain"] == list(range(2001, 2026))
    assert spec["encoding"]["y"]["aggregate"] == "sum" and spec["encoding"]["y"]["title"] == "Number of events"
    assert spec["encoding"]["color"]["field"] == "family"
    assert _tooltips_everywhere(spec)
    assert "Totals: 2001 1; 2012 1; 2019 2; 2024 1; 2025 1." in spec["description"]
    assert "The busiest year is 2019 with 2 events." in spec["description"]


def test_depth_chart_spec() -> None:
    spec = m.depth_chart(_toy(), by="group").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["field"] == "group"
    assert spec["encoding"]["color"]["field"] == "reference"
    assert spec["encoding"]["color"]["sort"] == ["operational", "mixed/unclear", "symbolic"]
    assert _tooltips_everywhere(spec)
    assert spec["title"]["text"] == "How deep does each partnership go?"
    assert "China and Russia: 1 operational, 1 mixed/unclear, 1 symbolic" in spec["description"]
    assert m.depth_chart(_toy(), by="type_label").to_dict()["title"]["text"] == "How deep does each kind of event go?"


def test_criteria_grid_chart_spec() -> None:
    spec = m.criteria_grid_chart(m.filter_events(_toy(), types=["treaty"])).to_dict()
    assert spec["mark"]["type"] == "rect"
    assert spec["encoding"]["x"]["sort"] == ["Joint command", "Interoperability", "Combat commitment"]
    assert spec["encoding"]["color"]["sort"] == ["yes", "unclear", "no"]
    assert _tooltips_everywhere(spec)
    assert "Treaty E: joint command no, interoperability no, combat commitment yes (operational)" in spec["description"]


def test_builders_refuse_bad_input_with_a_clear_message() -> None:
    with pytest.raises(charts.ChartInputError, match=r"timeline_chart\(\) needs a pandas DataFrame, got list"):
        m.timeline_chart([1, 2])  # type: ignore[arg-type]
    with pytest.raises(charts.ChartInputError, match=r"empty frame"):
        m.timeline_chart(m.filter_events(_toy(), types=[]))
    with pytest.raises(charts.ChartInputError, match=r"events_per_year_chart\(\) needs the columns \['year', 'family', 'events'\]"):
        m.events_per_year_chart(_toy())
    no_source = _toy()
    no_source.attrs = {}
    with pytest.raises(charts.ChartInputError, match=r"carries no source"):
        m.depth_chart(no_source)


def test_real_data_charts_cite_the_dataset() -> None:
    events = m.events_table()
    spec = m.events_per_year_chart(m.events_per_year(events)).to_dict()
    assert spec["title"]["subtitle"][-1].startswith("Source:")
    assert len(events) == len(m.events_table().drop_duplicates(subset=["date", "name"]))


# ------------------------------------------------------------- explorers
def test_timeline_explorer_driven_by_its_controls() -> None:
    explorer = m.TimelineExplorer(_toy())
    assert repr(explorer) == "TimelineExplorer(types='all', participants='all')"
    assert explorer.summary == "All events: 6 events shown, 2001-2025. Reference reading: 3 operational, 1 mixed/unclear, 2 symbolic."
    assert explorer._type_control.description == "Types" and explorer._participant_control.description == "Participants"
    assert "iran" not in dict((v, k) for k, v in explorer._participant_control.options)
    explorer._participant_control.value = "north_korea"
    assert explorer.participants == "north_korea"
    assert explorer.summary.startswith("Events with North Korea: 2 events shown, 2024-2025.")
    explorer._type_control.value = ("parade",)
    assert explorer.types == ("parade",)
    assert explorer.summary.startswith("Events with North Korea: 1 event shown, 2025.")
    assert explorer.chart.to_dict()["title"]["text"] == "Events with North Korea, 2025: military events by type"
    assert "application/vnd.vegalite.v5+json" in explorer._output.outputs[0]["data"]
    assert repr(explorer) == "TimelineExplorer(types=['parade'], participants='north_korea')"


def test_timeline_explorer_empty_selection_and_invalid_state() -> None:
    explorer = m.TimelineExplorer(_toy())
    explorer._type_control.value = ()
    assert "select at least one" in explorer.summary and explorer.chart is None
    assert explorer._output.outputs == ()
    explorer._type_control.value = ("air_patrol",)
    explorer._participant_control.value = "all_three"
    assert "no event of the selected types" in explorer.summary
    with pytest.raises(traitlets.TraitError, match=r"types \['war'\] are not offered"):
        explorer.types = ("war",)
    with pytest.raises(traitlets.TraitError, match=r"participants 'iran' is not offered"):
        explorer.participants = "iran"


def test_event_classifier_tick_compare_and_reset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALANCING_ACT_PROGRESS", str(tmp_path / "progress.json"))
    clf = m.EventClassifier(_toy(), event="Patrol C", sources=SOURCES)
    assert repr(clf) == "EventClassifier(event='Patrol C', ticked=[], revealed=False)"
    assert clf._event_control.description == "Event"
    assert [b.description for b in clf._boxes.values()] == ["Joint command", "Interoperability", "Combat commitment"]
    assert clf.summary.startswith("Your reading: symbolic (you ticked nothing).")
    assert clf.chart is None and "Reference:" not in clf._result.value
    clf._boxes["interoperability"].value = True
    assert clf.interoperability is True and clf.learner_class == "mixed/unclear"
    clf._button.click()
    assert clf.revealed
    assert "Reference: mixed/unclear. Your reading matches the reference." in clf.summary
    assert "Joint command: you did not tick it; the data say 'unclear' (the sources do not say either way)." in clf.summary
    assert 'href="https://example.org/a"' in clf._result.value
    assert clf.chart.to_dict()["mark"]["type"] == "rect"
    assert repr(clf) == "EventClassifier(event='Patrol C', ticked=['interoperability'], revealed=True)"
    clf._event_control.value = "Drill B"
    assert clf.event == "Drill B" and not clf.revealed and not clf.interoperability
    assert clf.chart is None
    clf.joint_command = True
    clf._button.click()
    assert "Reference: operational. Your reading matches the reference." in clf.summary
    assert "Interoperability: you did not tick it; the data say 'yes' (the sources report it)." in clf.summary
    assert not (tmp_path / "progress.json").exists()


def test_event_classifier_escapes_text_and_handles_odd_sources() -> None:
    clf = m.EventClassifier(_toy(), event="Parade F", sources=SOURCES)
    assert "<b>Big</b>" not in clf._details.value and "&lt;b&gt;Big&lt;/b&gt; parade &amp; show." in clf._details.value
    clf.combat_commitment = True
    clf._button.click()
    assert "Reference: symbolic. Your reading differs from the reference." in clf.summary
    assert "the course&#x27;s reading of the sources finds none" in clf._result.value
    assert "Parade held</a> (descriptive title; the original headline is not recorded), not stated" in clf._result.value
    assert "<li>zz (not described in data/datapackage.json)</li>" in clf._result.value
    clf.event = "Treaty E"
    clf._button.click()
    assert "Treaty text, 2024-06-20" in clf._result.value and "ftp://" not in clf._result.value


def test_event_classifier_refuses_bad_events() -> None:
    clf = m.EventClassifier(_toy(), sources=SOURCES)
    assert clf.event == "Treaty A"
    with pytest.raises(traitlets.TraitError, match=r"event 'Nope' is not in the data"):
        clf.event = "Nope"
    twice = pd.concat([_toy(), _toy().iloc[[0]].assign(date="2002-01-01")], ignore_index=True)
    twice.attrs = _toy().attrs
    with pytest.raises(m.MilitaryInputError, match=r"event names must be unique; repeated: \['Treaty A'\]"):
        m.EventClassifier(twice, sources=SOURCES)


def test_event_classifier_on_the_course_data_uses_the_descriptor_sources() -> None:
    clf = m.EventClassifier(m.events_table(), event="Beijing V-Day parade attended by Xi, Putin and Kim")
    clf._button.click()
    assert "Reference: symbolic." in clf.summary
    assert "thedailystar.net" in clf._result.value


# ------------------------------------------------------------------ SIPRI spending
def _milex() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "year": [2014, 2024, 2014, 2024, 2014, 2024],
            "country": ["Russia", "Russia", "United States", "United States", "World", "World"],
            "constant_2023_usd_bn": [50.0, 100.0, 500.0, 550.0, 1000.0, 2000.0],
            "share_of_gdp_pct": [4.0, 7.0, 3.5, 3.4, None, None],
        }
    )
    frame.attrs["source"] = "Source: Example SIPRI"
    return frame


def test_spending_table_adds_world_share_and_real_change() -> None:
    table = m.spending_table(_milex())
    assert list(table["country"]) == ["United States", "United States", "Russia", "Russia"]
    russia = table[table["country"] == "Russia"].set_index("year")
    assert russia.loc[2024, "pct_of_world"] == 5.0 and russia.loc[2024, "real_change_pct"] == 100.0
    assert table.attrs["source"] == "Source: Example SIPRI"
    with pytest.raises(m.MilitaryInputError, match="no rows for"):
        m.spending_table(_milex()[_milex()["country"] == "World"])


def test_spending_chart_describes_each_line() -> None:
    spec = m.spending_chart(m.spending_table(_milex())).to_dict()
    assert "Russia 50 billion in 2014 and 100 billion in 2024" in spec["description"]
    assert spec["title"]["subtitle"] == ["Source: Example SIPRI"]
    with pytest.raises(charts.ChartInputError, match="missing"):
        m.spending_chart(pd.DataFrame({"year": [2014]}))


def test_figures_quoted_in_lesson_5_on_spending() -> None:
    table = m.spending_table().set_index(["country", "year"])
    assert round(table.loc[("China", 2024), "real_change_pct"]) == 72
    assert round(table.loc[("Russia", 2024), "real_change_pct"]) == 115
    assert round(table.loc[("United States", 2024), "real_change_pct"]) == 16
    russia = table.loc["Russia", "constant_2023_usd_bn"]
    assert russia[2024] - russia[2021] > (russia[2024] - russia[2014]) / 2  # "most of that after 2021"
    us, china, rus = (table.loc[(c, 2024), "constant_2023_usd_bn"] for c in ("United States", "China", "Russia"))
    assert 2.9 < us / china < 3.2 and 6 < us / rus < 7  # "about three times", "over six times"
    shares = {c: table.loc[(c, 2024), "share_of_gdp_pct"] for c in ("Russia", "United States", "China")}
    assert (round(shares["United States"], 1), round(shares["China"], 1)) == (3.4, 1.7)
    assert 6.5 < shares["Russia"] < 7.5  # "about 7%"


def test_sipri_2024_figures_round_to_the_fact_sheet() -> None:
    """The caveat's check: SIPRI's April 2025 fact sheet (as reported) against the shipped rows."""
    milex = load("sipri_military_expenditure").set_index(["country", "year"])
    current = {c: round(milex.loc[(c, 2024), "current_usd_bn"]) for c in ("United States", "China", "Russia", "World")}
    assert current == {"United States": 997, "China": 314, "Russia": 149, "World": 2718}
    share = {c: round(float(milex.loc[(c, 2024), "share_of_gdp_pct"]) + 1e-9, 1) for c in ("United States", "China", "Russia")}
    assert share == {"United States": 3.4, "China": 1.7, "Russia": 7.1}
    assert len(milex) == 44
