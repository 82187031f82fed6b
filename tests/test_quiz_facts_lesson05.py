"""Lesson 5 quiz answers that rest on course data, recomputed from data/military_events.csv."""

from __future__ import annotations


import pytest

from balancing_act.data import load
from balancing_act.quiz import grade, load_bank
from balancing_act.topics import military


# Quiz option text -> the event's name in the dataset.
COMBAT_OPTIONS = {
    "The Russia-North Korea Treaty on Comprehensive Strategic Partnership, signed in June 2024":
        "Russia-DPRK Treaty on Comprehensive Strategic Partnership signed",
    "North Korean troops' combat role in Kursk, confirmed by Russia and North Korea in April 2025":
        "North Korean troops' combat role in Kursk confirmed by Russia and North Korea",
    "The Russia-North Korea treaty entering into force in December 2024": "Russia-DPRK treaty enters into force",
    "Vostok-2018, the largest exercise the Chinese army had joined abroad": "Vostok-2018 (joint phase at Tsugol)",
    "The February 2022 China-Russia joint statement on a friendship with 'no limits'":
        "Joint statement on international relations entering a new era ('no limits')",
    "The 2001 China-Russia Treaty of Good-Neighbourliness and Friendly Cooperation":
        "Treaty of Good-Neighbourliness and Friendly Cooperation",
}

ALL_THREE_OPTIONS = {
    "The Beijing parade of 3 September 2025, with Putin and Kim beside Xi": "Beijing V-Day parade attended by Xi, Putin and Kim",
    "The Putin-Kim summit at the Vostochny Cosmodrome in September 2023": "Putin-Kim Jong Un summit at Vostochny Cosmodrome",
    "Vostok-2022": "Vostok-2022",
    "The Moscow Victory Day parade of May 2025": "Moscow Victory Day parade (80th anniversary) with PLA honour guard",
}


@pytest.fixture
def events():
    return military.events_table(load("military_events"))


def _question(question_id: str):
    return load_bank("lesson05").question(question_id)


def test_number_of_joint_air_patrols(events) -> None:
    question = _question("air-patrols")
    patrols = events[events["type"] == "air_patrol"]
    assert question.answer == len(patrols) == 10
    assert grade(question, len(patrols)).correct
    assert patrols["date"].min().startswith("2019-07") and patrols["date"].max().startswith("2025-12")


def test_first_joint_sea_year(events) -> None:
    question = _question("first-joint-sea")
    joint_sea = events[events["name"].str.startswith("Joint Sea")]
    first = int(joint_sea["year"].min())
    assert question.answer == first
    assert grade(question, first).correct
    assert set(joint_sea["type"]) == {"naval_exercise"}


def test_combat_commitment_options_match_the_data(events) -> None:
    question = _question("combat-commitment")
    names = set(events["name"])
    assert set(COMBAT_OPTIONS.values()) <= names
    marked = set(events.loc[events["combat_commitment"] == "yes", "name"])
    for option in question.choices:
        assert option.correct == (COMBAT_OPTIONS[option.text] in marked), option.text
    assert marked == {COMBAT_OPTIONS[o.text] for o in question.choices if o.correct}
    # The feedback says the statement is 'unclear' and Vostok-2018 had a joint command.
    by_name = events.set_index("name")
    assert by_name.loc[COMBAT_OPTIONS["The February 2022 China-Russia joint statement on a friendship with 'no limits'"], "combat_commitment"] == "unclear"
    assert by_name.loc["Vostok-2018 (joint phase at Tsugol)", "joint_command"] == "yes"


def test_no_event_with_china_carries_a_combat_commitment(events) -> None:
    question = _question("china-combat")
    with_china = military.filter_events(events, participants=["China"])
    assert question.answer is bool((with_china["combat_commitment"] == "yes").any())
    assert set(military.combat_commitments(events)["participants"].map(military.participant_group)) == {"Russia and North Korea"}


def test_only_one_event_has_all_three(events) -> None:
    question = _question("all-three")
    together = military.filter_events(events, participants=["China", "Russia", "North Korea"])
    assert len(together) == 1
    [correct] = [o.text for o in question.choices if o.correct]
    assert ALL_THREE_OPTIONS[correct] == together["name"].iloc[0]
    assert together["reference"].iloc[0] == "symbolic"
    assert set(ALL_THREE_OPTIONS.values()) <= set(events["name"])


def test_rule_question_and_all_patrols_are_mixed(events) -> None:
    question = _question("rule-patrol")
    [correct] = [o.text for o in question.choices if o.correct]
    assert correct.lower() == military.classify("unclear", "yes", "no")
    patrols = events[events["type"] == "air_patrol"]
    assert set(patrols["reference"]) == {"mixed/unclear"} and len(patrols) == 10


def test_operational_events_with_china(events) -> None:
    question = _question("china-operational")
    with_china = military.filter_events(events, participants=["China"])
    operational = with_china[with_china["reference"] == "operational"]
    assert question.answer == len(operational)
    assert grade(question, len(operational)).correct
    assert set(operational["type"]) <= {"naval_exercise", "land_exercise", "naval_patrol"}
    assert (operational["combat_commitment"] != "yes").all()
    assert (operational["joint_command"] == "yes").all()


def test_claim_evidence_figures_match_the_data(events) -> None:
    """The figures in the claim-versus-evidence bullets (lesson05.json) hold in the data."""
    from balancing_act.claims import load_claim

    text = " ".join(load_claim("lesson05").evidence)
    per_year = events.groupby("year").size()
    assert "2024 is the busiest year" in text and int(per_year.idxmax()) == 2024
    assert "twelve events with China" in text
    with_china = military.filter_events(events, participants=["China"])
    assert (with_china["reference"] == "operational").sum() == 12
    assert "all ten bomber patrols" in text and (events["type"] == "air_patrol").sum() == 10
    assert "from 2021, joint naval patrols" in text
    assert events.loc[events["type"] == "naval_patrol", "year"].min() == 2021
    assert events.loc[events["type"] == "air_patrol", "year"].min() == 2019
    assert "The three that do all link Russia and North Korea" in text
    assert len(military.combat_commitments(events)) == 3
