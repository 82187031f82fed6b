"""Lesson 2: every quiz answer (and claim figure) that rests on course data is recomputed from data/."""

from __future__ import annotations


from balancing_act.claims import load_claim
from balancing_act.data import load
from balancing_act.quiz import grade, load_bank
from balancing_act.topics import russia


def _bank():
    return load_bank("lesson02")


def _correct_texts(question) -> list[str]:
    return [o.text for o in question.choices if o.correct]


def test_dependence_ratio_2024_matches_data() -> None:
    question = _bank().question("dependence-ratio-2024")
    row = russia.dependence_both_ways().set_index("year").loc[2024]
    # one decimal: the Russian share is a rounded statement about part of 2024 (see partner_dependence)
    assert question.answer == round(row["times"], 1)
    assert grade(question, round(row["times"], 1)).correct and grade(question, round(row["times"], 2)).correct
    assert row["china_in_russia_pct"] == 34.0 and round(row["russia_in_china_pct"]) == 4


def test_russia_crude_share_2024_matches_data() -> None:
    question = _bank().question("russia-crude-share-2024")
    share = russia.russia_crude().set_index("year").loc[2024, "share_of_china_pct"]
    assert abs(question.answer - share) < 0.01
    assert grade(question, round(share, 1)).correct


def test_years_russia_was_top_crude_supplier_match_data() -> None:
    question = _bank().question("russia-top-crude-years")
    ranks = russia.russia_crude().set_index("year")["rank"]
    offered = [int(o.text) for o in question.choices]
    assert sorted(int(t) for t in _correct_texts(question)) == [y for y in offered if ranks.get(y) == 1]
    # every offered year has a stated rank, so 'not first' is a fact, not a gap
    assert all(ranks.get(y) is not None and ranks.get(y) == ranks.get(y) for y in offered)


def test_power_of_siberia_2024_below_contract() -> None:
    question = _bank().question("pos-2024-contract")
    table = russia.power_of_siberia_table().set_index("year")
    assert question.answer is bool(table.loc[2024, "bcm"] >= russia.CONTRACT_BCM)
    assert "31.12 bcm" in question.explanation and table.loc[2024, "bcm"] == 31.12
    assert "38.8 bcm" in question.explanation and table.loc[2025, "bcm"] == 38.8


def test_car_figures_in_the_prompt_match_data() -> None:
    question = _bank().question("cars-one-reporter")
    cars = load("china_car_exports_to_russia")
    units_2022 = cars[(cars["year"] == 2022) & (cars["measure"] == "units")].set_index("reporter")["value"]
    # China's customs count for 2022 was found only in copies, so the data leave it empty and the prompt does not quote it
    assert units_2022.isna().to_dict() == {"China customs (GACC)": True, "Chinese ambassador": False, "Russian customs (FTS)": False}
    assert units_2022.dropna().to_dict() == {"Chinese ambassador": 162000.0, "Russian customs (FTS)": 117000.0}
    for value in units_2022.dropna():
        assert f"{int(value):,}" in question.prompt
    assert "153,200" not in question.prompt and "customs count 153" not in question.prompt


def test_putin_more_than_80_is_recorded_as_a_lower_bound() -> None:
    question = _bank().question("lower-bound")
    table = russia.settlement_table()
    putin_80 = table[(table["statement_by"].str.startswith("Vladimir Putin")) & (table["share_pct"] == 80)]
    assert len(putin_80) >= 1
    assert set(putin_80["kind"]) == {"At least (a lower bound)"}
    assert _correct_texts(question)[0].startswith("A lower bound")


def test_mirror_2018_figures_differ() -> None:
    question = _bank().question("mirror-2018")
    row = russia.mirror_check().set_index("year").loc[2018]
    assert question.answer is bool(row["china_customs_usd_bn"] == row["russia_customs_usd_bn"])
    assert "107.06" in question.explanation and row["china_customs_usd_bn"] == 107.06
    assert "108.2" in question.explanation and row["russia_customs_usd_bn"] == 108.2


def test_2023_has_a_russian_total_but_no_share() -> None:
    question = _bank().question("why-no-2023")
    dep = load("partner_dependence")
    row = dep[(dep["country"] == "Russia") & (dep["year"] == 2023)].iloc[0]
    assert row["total_trade_usd_bn"] == 710.1 and row["china_share_pct"] != row["china_share_pct"]  # NaN
    assert 2023 not in russia.years_with_both_sides(russia.dependence_both_ways())
    trade = russia.russia_trade().set_index("year")
    assert "240.11" in " ".join(o.feedback or "" for o in question.choices)
    assert trade.loc[2023, "total_usd_bn"] == 240.11


def test_claim_evidence_figures_match_data() -> None:
    evidence = " ".join(load_claim("lesson02").evidence)
    table = russia.dependence_both_ways().set_index("year")
    for year in russia.years_with_both_sides(table.reset_index()):
        assert f"{table.loc[year, 'china_in_russia_pct']:.1f}% ({year})" in evidence
    assert "2.2%, 2.3% and 4.0%" in evidence
    assert [f"{table.loc[y, 'russia_in_china_pct']:.1f}" for y in (2014, 2018, 2024)] == ["2.2", "2.3", "4.0"]
    payments = russia.payment_shares()
    assert payments["share_pct"].iloc[0] == 0.5 and "40.8%" in evidence
    assert payments.set_index("period").loc["2024-01", "share_pct"] == 40.8
    cars = russia.car_share_of_exports().set_index("year")
    assert (cars.loc[[2023, 2024], "cars_share_pct"] > 10).all()
