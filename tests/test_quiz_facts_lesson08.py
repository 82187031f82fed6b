"""Lesson 8 final quiz: every answer that rests on course data is recomputed from data/,
so a data fix cannot leave a quiz answer (or a figure quoted in the claim activity) wrong."""

from __future__ import annotations

import re


from balancing_act.claims import load_claim
from balancing_act.data import describe, load
from balancing_act.quiz import grade, load_bank
from balancing_act.topics import implications


def _question(question_id: str):
    return load_bank("lesson08").question(question_id)


def _correct_texts(question) -> list[str]:
    return [o.text for o in question.choices if o.correct]


def _option(question, start: str):
    return next(o for o in question.choices if o.text.startswith(start))


def test_bank_has_at_least_eight_questions_across_the_course() -> None:
    bank = load_bank("lesson08")
    assert len(bank.questions) >= 8
    named = {int(n) for q in bank.questions for n in re.findall(r"Lessons? (\d)", q.prompt)}
    named |= {int(n) for q in bank.questions for n in re.findall(r"Lessons \d-(\d)", q.prompt)}
    assert {1, 2, 3, 4, 5, 6, 7, 8} <= named


def test_trade_change_2025_matches_data() -> None:
    question = _question("trade-2025-change")
    trade = load("china_customs_trade")
    russia = trade[trade["partner"] == "Russia"].set_index("year")["total_usd_bn"]
    change = 100 * (russia[2025] - russia[2024]) / russia[2024]
    assert abs(question.answer - change) < 0.01
    assert grade(question, round(change, 1)).correct and grade(question, -6.9).correct
    assert russia[2024] == russia.max()  # "a fall after a record"
    falls = [y for y in russia.index if y - 1 in russia.index and russia[y] < russia[y - 1]]
    assert [y for y in falls if y > 2020] == [2025]  # "the first fall since 2020"
    assert "244.8" in question.feedback_correct and f"{russia[2025]:.1f}" in question.feedback_correct


def test_crude_top_every_year_is_false_in_data() -> None:
    question = _question("crude-top-every-year")
    crude = load("china_crude_imports")
    ranks = crude[(crude["supplier"] == "Russia") & crude["year"].between(2016, 2024)].dropna(subset=["rank"])
    ranks = ranks.set_index("year")["rank"]
    assert question.answer is bool((ranks == 1).all())
    assert [int(y) for y, r in ranks.items() if r == 1] == [2016, 2017, 2018, 2023, 2024]
    assert [int(y) for y, r in ranks.items() if r == 2] == [2020, 2021, 2022]
    saudi = crude[(crude["supplier"] == "Saudi Arabia") & (crude["rank"] == 1)]
    assert sorted(int(y) for y in saudi["year"]) == [2014, 2019, 2020, 2021, 2022]


def test_north_korea_statements_match_kotra() -> None:
    question = _question("north-korea-trade")
    dep = load("partner_dependence")
    kotra = dep[(dep["country"] == "North Korea") & (dep["reporter"] == "KOTRA")].set_index("year")
    share, total = kotra["china_share_pct"], kotra["total_trade_usd_bn"]
    truth = {
        "China's share": bool(share[2023] > 95 and share[2024] > 95),
        "North Korea's total recorded trade roughly halved": bool(0.4 < total[2018] / total[2017] < 0.6),
        "By 2024": bool(total[2024] > total[2017]),
        "KOTRA and China's customs agree": False,  # the descriptor documents the crude-oil estimate
    }
    for start, expected in truth.items():
        assert _option(question, start).correct is expected
    assert any("crude oil" in c for c in describe("partner_dependence").caveats)


def test_sanctions_2024_count_matches_data() -> None:
    question = _question("sanctions-2024")
    measures = load("sanctions_measures")
    western = measures[measures["actor"] != "China"]
    per_year = western["date"].str[:4].value_counts()
    assert question.answer == per_year["2024"] == per_year.max()
    assert per_year["2025"] == 6
    assert grade(question, 7).correct and not grade(question, 9).correct


def test_busiest_drill_year_matches_data() -> None:
    question = _question("drills-busiest-year")
    table = implications.indicator_dashboard(indicators=["joint_drills"]).set_index("year")["value"]
    assert _correct_texts(question) == [str(int(table.idxmax()))]
    assert (table == table.max()).sum() == 1
    assert (table[2021], table[2022], table[2024]) == (4, 6, 7)
    events = load("military_events")
    drills = events[events["type"].isin(implications.DRILL_TYPES) & events["participants"].str.contains("China")]
    assert (drills["combat_commitment"] != "yes").all()
    assert (drills["joint_command"] == "yes").sum() < len(drills) / 2  # "most do not show a joint command"
    first_air = events[events["type"] == "air_patrol"].sort_values("date").iloc[0]
    assert first_air["date"].startswith("2019")


def test_unga_pattern_matches_data() -> None:
    question = _question("unga-pattern")
    votes = load("unga_ukraine_votes")
    counts = votes["china_vote"].value_counts()
    assert len(votes) == 10 and votes["china_vote"].notna().all()
    assert (counts["abstain"], counts["no"], counts["yes"]) == (7, 2, 1)
    assert set(votes.loc[votes["china_vote"] == "no", "date"].str[:4]) == {"2022"}
    assert "Council of Europe" in votes.loc[votes["china_vote"] == "yes", "title_short"].iloc[0]
    assert set(votes["russia_vote"].dropna()) == {"no"}
    assert votes.loc[votes["resolution"] == "A/RES/ES-11/1", "china_vote"].item() == "abstain"
    assert _correct_texts(question)[0].startswith("It abstained on seven, voted against two")


def test_binding_treaty_matches_data() -> None:
    question = _question("binding-treaty")
    events = load("military_events")
    binding = events[(events["type"] == "treaty") & (events["combat_commitment"] == "yes")]
    assert set(binding["participants"]) == {"Russia; North Korea"}
    assert "2024-12-04" in set(binding["date"])
    china_docs = events[events["participants"].str.contains("China") & events["type"].isin(["treaty", "statement"])]
    assert "yes" not in set(china_docs["combat_commitment"])
    assert _correct_texts(question) == ["The Russia-North Korea Treaty on Comprehensive Strategic Partnership"]
    trio = events[events["participants"] == "China; Russia; North Korea"]
    assert set(trio["type"]) == {"parade"} and trio["date"].iloc[0].startswith("2025-09")


def test_dashboard_statement_on_russia_share_matches_data() -> None:
    question = _question("dashboard-reading")
    share = implications.indicator_dashboard(indicators=["russia_share"]).set_index("year")["value"]
    assert 3.5 < share[2024] < 4.5  # "only about 4%"
    rank = implications.indicator_dashboard(indicators=["crude_rank"]).set_index("year")["value"]
    assert (rank[2023], rank[2024]) == (1, 1)
    assert len(_correct_texts(question)) == 3


def test_claim_figures_match_data() -> None:
    claim = load_claim("lesson08")
    text = " ".join(claim.evidence)
    sanctions = implications.indicator_dashboard(indicators=["sanctions"]).set_index("year")["value"]
    assert "from 1 in 2022 to 7 in 2024 and 6 in 2025" in text
    assert (sanctions[2022], sanctions[2024], sanctions[2025]) == (1, 7, 6)
    gas = load("power_of_siberia").set_index("year")["bcm"]
    assert gas[2025] >= 38  # "at its contract level in 2025" (contract: 38 bcm a year)
    # the capitals in their own words, and scholars beside them (their spread is tested in test_claim_scholars)
    assert {p.actor for p in claim.perspectives} >= {"Beijing", "Moscow", "Pyongyang"}
    assert sum(p.scholar is not None for p in claim.perspectives) >= 3


def test_claim_verdict_follows_the_contradicted_first_half() -> None:
    claim = load_claim("lesson08")
    assert claim.discussion.startswith("The verdict the evidence in this course supports is 'Not supported'")
    assert "Not supported" in claim.verdicts
    commitments = implications.commitments()
    russia_dprk = commitments[commitments["participants"].str.contains("North Korea") & commitments["participants"].str.contains("Russia")]
    assert (russia_dprk["combat_commitment"] == "yes").any()  # the new mutual-defence treaty the verdict rests on
    china_russia = commitments[commitments["participants"].str.contains("China") & commitments["participants"].str.contains("Russia")]
    assert not (china_russia["combat_commitment"] == "yes").any()
