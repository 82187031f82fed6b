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


# ------------------------------------------------ figures quoted in the lesson's text
import json
import re
from pathlib import Path

LESSON4 = Path(__file__).resolve().parents[1] / "lessons" / "04_interdependence.ipynb"


def _lesson_text() -> str:
    cells = json.loads(LESSON4.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _one(pattern: str, text: str) -> re.Match[str]:
    found = re.search(pattern, text, re.S)
    assert found, f"Lesson 4 has no sentence matching {pattern!r}; if it was reworded, update this test with it"
    return found


def _trade_as_pct_of_china_gdp(year: int) -> dict[str, float]:
    trade = load("china_customs_trade")
    gdp = load("world_bank_gdp")
    china = float(gdp.loc[(gdp["economy"] == "China") & (gdp["year"] == year), "gdp_usd_bn"].iloc[0])
    rows = trade[trade["year"] == year].dropna(subset=["total_usd_bn"]).set_index("partner")["total_usd_bn"]
    return {partner: 100 * float(value) / china for partner, value in rows.items()}


def test_gdp_shares_quoted_in_lesson4_are_computed_from_the_data() -> None:
    text = _lesson_text()
    pct = _trade_as_pct_of_china_gdp(2023)
    m = _one(r"United States came to about ([\d.]+)% of\s+China's GDP and with the EU about ([\d.]+)%, together about ([\d.]+)%;"
             r" its trade with Russia was about ([\d.]+)%, and with North\s+Korea about ([\d.]+)%", text)
    us, eu, both, russia, nk = (float(g) for g in m.groups())
    assert round(pct["United States"], 1) == us
    assert round(pct["European Union"], 1) == eu
    assert round(pct["United States"] + pct["European Union"], 1) == both
    assert round(pct["Russia"], 1) == russia
    assert round(pct["North Korea"], 2) == nk
    key = _one(r"about ([\d.]+)% of its GDP,\s+its trade with Russia to about ([\d.]+)%", text)
    assert (float(key[1]), float(key[2])) == (both, russia)
    sixth = _one(r"Russia's bar is about a (\w+) of the US and EU bars together", text)
    ratio = pct["Russia"] / (pct["United States"] + pct["European Union"])
    assert sixth[1] == "sixth" and abs(ratio - 1 / 6) < 0.01, f"Russia is {ratio:.3f} of the US and EU together"


def test_official_supply_claims_are_dated_2024_and_match_the_lesson() -> None:
    claims = load("china_russia_supply_claims")
    assert set(claims["date"].str[:4]) == {"2024"}, "the claims are statements of 2024"
    stated = claims.dropna(subset=["share_pct"])
    shares = stated.groupby("item")["share_pct"].agg(["min", "max"])
    text = _lesson_text()
    m = _one(r"about (\d+)% of Russia's machine-tool imports and (\d+)% of its microelectronics imports", text)
    assert shares.loc["machine tools"].tolist() == [float(m[1])] * 2
    assert shares.loc["microelectronics"].tolist() == [float(m[2])] * 2
    first_with_share = stated["date"].min()
    assert first_with_share == "2024-04-29" and "from 29 April he put China" in text
    unstated = claims[claims["share_pct"].isna()]
    assert set(unstated["date"]) == {"2024-04-26"} and "Beijing on 26 April 2024" in text
    # each claim is an official's, never a statistic: the descriptor says so where learners read it
    from balancing_act.data import describe

    assert any("not statistics" in c for c in describe("china_russia_supply_claims").caveats)


def test_secondary_tariff_rows_agree_with_the_lesson() -> None:
    tariffs = load("russian_oil_secondary_tariffs")
    india = tariffs[tariffs["country"] == "India"].sort_values("date")
    imposed, ended = india.iloc[0], india.iloc[-1]
    text = _lesson_text()
    m = _one(r"Executive Order 14329 of 6 August 2025 put an additional (\d+)% duty on goods from India from\s+27 August", text)
    assert (imposed["date"], imposed["in_force_from"]) == ("2025-08-06", "2025-08-27")
    assert float(m[1]) == imposed["additional_duty_pct"] == 25
    assert ended["additional_duty_pct"] == 0 and ended["date"].startswith("2026-02") and "In February 2026" in text
    china = tariffs[tariffs["country"] == "China"]
    assert not china.empty and (china["additional_duty_pct"] == 0).all(), "the data record no duty on China"
    assert "got no such duty" in text
