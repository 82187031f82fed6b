"""Lesson 6 quiz answers that rest on course data are recomputed from data/, so a data fix cannot leave a quiz wrong."""

from __future__ import annotations


from balancing_act.data import load
from balancing_act.quiz import grade, load_bank
from balancing_act.topics import diplomacy


def _bank():
    return load_bank("lesson06")


def _correct_texts(question) -> list[str]:
    return [o.text for o in question.choices if o.correct]


def _row(unga, symbol: str):
    return unga[unga["resolution"] == symbol].iloc[0]


def test_chinas_most_common_vote_is_abstain() -> None:
    question = _bank().question("china-usual-vote")
    counts = load("unga_ukraine_votes")["china_vote"].value_counts()
    assert counts.idxmax() == "abstain"
    assert _correct_texts(question) == ["It abstained."]
    # the figures quoted in the feedback
    assert (counts["abstain"], counts["no"], counts["yes"]) == (7, 2, 1)
    assert load("unga_ukraine_votes")["china_vote"].notna().all()


def test_china_russia_agreement_matches_data() -> None:
    question = _bank().question("china-russia-agreement")
    result = diplomacy.agreement(diplomacy.assembly_votes(), "China", "Russia")
    assert abs(question.answer - result.share_pct) < 1e-9
    assert (result.same, result.compared, result.left_out) == (2, 10, ())
    assert grade(question, round(result.share_pct)).correct


def test_north_korea_always_votes_with_russia_where_recorded() -> None:
    question = _bank().question("dprk-follows-russia")
    result = diplomacy.agreement(diplomacy.assembly_votes(), "North Korea", "Russia")
    assert question.answer is (result.same == result.compared > 0)
    assert (result.same, result.compared, result.left_out) == (9, 9, ("ES-11/8 (Feb 2025)",))


def test_february_2025_statements_hold_in_the_data() -> None:
    question = _bank().question("february-2025")
    unga = load("unga_ukraine_votes")
    es117, es118 = _row(unga, "A/RES/ES-11/7"), _row(unga, "A/RES/ES-11/8")
    truth = {
        "The United States voted against ES-11/7, the Ukraine/EU text, as Russia and North Korea did.": (
            es117["us_vote"] == es117["russia_vote"] == es117["dprk_vote"] == "no"
        ),
        "China abstained on both texts.": es117["china_vote"] == es118["china_vote"] == "abstain",
        "The United States voted for its own draft, ES-11/8.": es118["us_vote"] == "yes",
        "Each text won the votes of more than 100 states.": min(es117["in_favour"], es118["in_favour"]) > 100,
    }
    assert {o.text: o.correct for o in question.choices} == truth
    # the feedback: 93 each, the lowest count in the data, shared with ES-11/3
    assert es117["in_favour"] == es118["in_favour"] == unga["in_favour"].min() == 93
    lowest = set(unga.loc[unga["in_favour"] == 93, "resolution"])
    assert lowest == {"A/RES/ES-11/3", "A/RES/ES-11/7", "A/RES/ES-11/8"}


def test_council_2024_vote_matches_data() -> None:
    question = _bank().question("council-2024")
    unsc = load("unsc_dprk_votes")
    row = unsc[unsc["date"] == "2024-03-28"].iloc[0]
    assert (row["outcome"], row["russia_vote"], row["china_vote"]) == ("vetoed", "no", "abstain")
    assert (row["in_favour"], row["against"], row["abstentions"]) == (13, 1, 1)
    assert _correct_texts(question) == ["Russia vetoed the renewal; China abstained; the other 13 members voted in favour."]
    both_vetoed = unsc[(unsc["outcome"] == "vetoed") & (unsc["china_vote"] == "no") & (unsc["russia_vote"] == "no")]
    assert list(both_vetoed["date"]) == ["2022-05-26"]


def test_missing_votes_rule_is_the_one_the_module_uses() -> None:
    question = _bank().question("missing-votes")
    assert _correct_texts(question)[0].startswith("It is left out")
    us = load("unga_ukraine_votes")["us_vote"]
    assert int(us.isna().sum()) == 5  # "missing on five texts"
    china_us = diplomacy.agreement(diplomacy.assembly_votes(), "China", "United States")
    assert (china_us.same, china_us.compared) == (1, 5)  # "1 of 5 ... 20%"
