"""Lesson 4 quiz answers that rest on course data, recomputed from data/ so a data fix cannot leave a quiz wrong."""

from __future__ import annotations


from balancing_act.data import load
from balancing_act.quiz import grade, load_bank
from balancing_act.topics import interdependence


def _bank():
    return load_bank("lesson04")


def _correct_texts(question) -> list[str]:
    return [o.text for o in question.choices if o.correct]


def test_top_crude_supplier_2024_matches_data() -> None:
    question = _bank().question("top-crude-supplier-2024")
    crude = load("china_crude_imports")
    suppliers = crude[(crude["year"] == 2024) & (crude["supplier"] != "World")].dropna(subset=["million_tonnes"])
    top = suppliers.sort_values("million_tonnes", ascending=False)["supplier"].iloc[0]
    assert _correct_texts(question) == [top]
    ranked_first = suppliers.loc[suppliers["rank"] == 1, "supplier"].tolist()
    assert ranked_first == [top]


def test_crude_feedback_on_other_suppliers_matches_data() -> None:
    crude = load("china_crude_imports").dropna(subset=["rank"])
    first = crude[crude["rank"] == 1].set_index("year")["supplier"]
    assert all(first[y] == "Saudi Arabia" for y in (2019, 2020, 2021, 2022))
    assert first[2023] == first[2024] == "Russia"
    iraq = crude[crude["supplier"] == "Iraq"]
    assert sorted(int(y) for y in iraq.loc[iraq["rank"] == 3, "year"]) == [2020, 2021, 2023]
    assert not (iraq["rank"] == 1).any()
    malaysia_2024 = crude[(crude["supplier"] == "Malaysia") & (crude["year"] == 2024)]
    assert int(malaysia_2024["rank"].iloc[0]) == 3


def test_russia_crude_share_2024_matches_data() -> None:
    question = _bank().question("russia-crude-share-2024")
    share = interdependence.russia_crude().set_index("year").loc[2024, "share_pct"]
    assert abs(question.answer - share) < 0.01
    assert grade(question, round(share, 1)).correct
    crude = load("china_crude_imports").set_index(["year", "supplier"])["million_tonnes"]
    assert "108.5 of 553.4" in question.feedback_correct
    assert (crude[(2024, "Russia")], crude[(2024, "World")]) == (108.5, 553.4)


def test_listed_partners_vs_russia_2023_matches_data() -> None:
    question = _bank().question("listed-partners-vs-russia-2023")
    table = interdependence.scale_table(2023).set_index("partner")["total_usd_bn"]
    ratio = (table["United States"] + table["European Union"] + table["Japan"]) / table["Russia"]
    assert abs(question.answer - ratio) < 0.01
    assert grade(question, round(ratio, 1)).correct
    listed = interdependence.scale_table(2023)
    assert set(listed.loc[listed["group"] == interdependence.GROUP_LISTED, "partner"]) == {
        "United States",
        "European Union",
        "Japan",
    }


def test_china_countermeasures_matches_data() -> None:
    question = _bank().question("china-countermeasures")
    sanctions = load("sanctions_measures")
    china = sanctions[sanctions["actor"] == "China"]
    only_statements = bool(china["measure"].str.contains("statement", case=False).all())
    assert question.answer is only_statements
    counter = china[china["measure"].str.contains("Countermeasures")]
    assert list(counter["date"]) == ["2025-08-13"]
    assert "Lithuanian" in counter["target"].iloc[0]


def test_eo_14114_answer_matches_data() -> None:
    question = _bank().question("eo-14114")
    sanctions = load("sanctions_measures").set_index("measure")
    summary = sanctions.loc["Executive Order 14114", "summary"]
    assert "foreign banks" in summary and "correspondent accounts" in summary
    assert _correct_texts(question)[0].startswith("Sanctions on foreign banks")


def test_what_if_reading_matches_data() -> None:
    question = _bank().question("what-if-reading")
    result = interdependence.exposure(2023, ["United States", "European Union", "Japan"], 10)
    assert f"{result.at_stake_usd_bn:.1f} billion" in question.prompt
    assert f"{result.russia_usd_bn:.1f} billion" in _correct_texts(question)[0]
    assert result.at_stake_usd_bn < result.russia_usd_bn < 2 * result.at_stake_usd_bn
