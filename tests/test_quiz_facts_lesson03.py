"""Lesson 3 quiz answers that rest on course data, recomputed from data/ so a data fix cannot leave a quiz wrong."""

from __future__ import annotations


import pytest

from balancing_act.data import describe, load
from balancing_act.quiz import grade, load_bank
from balancing_act.topics import north_korea as nk


def _bank():
    return load_bank("lesson03")


def _correct_texts(question) -> list[str]:
    return [o.text for o in question.choices if o.correct]


def test_border_closure_fall_matches_data() -> None:
    question = _bank().question("border-closure-fall")
    change = nk.change_from(nk.trade_two_sources(), 2019).set_index("year")["pct_of_base"]
    fall = 100 - change[2021]
    assert abs(question.answer - fall) < 0.01
    assert grade(question, round(fall)).correct
    # the feedback's figures
    wide = nk.trade_two_sources().set_index("year")
    assert abs(wide.loc[2019, "china_customs_usd_bn"] - 2.8) < 0.01
    assert abs(wide.loc[2021, "china_customs_usd_bn"] - 0.32) < 0.005


def test_kotra_gap_2024_matches_data() -> None:
    question = _bank().question("kotra-gap-2024")
    gap = nk.trade_two_sources().set_index("year").loc[2024, "gap_usd_bn"]
    assert abs(question.answer - gap) <= 0.005
    assert grade(question, round(gap, 2)).correct


def test_kotra_adds_crude_oil_is_what_the_descriptor_says() -> None:
    question = _bank().question("why-kotra-higher")
    assert _correct_texts(question)[0].startswith("KOTRA adds an estimate of the crude oil")
    caveats = " ".join(describe("partner_dependence").caveats)
    assert "crude oil" in caveats and "record as zero" in caveats
    assert "excluding inter-Korean trade" in describe("partner_dependence").description
    wide = nk.trade_two_sources().set_index("year")
    assert abs(wide.loc[2013, "gap_usd_bn"]) < 0.01  # the two agree before 2014
    assert (wide.loc[2014:2024, "gap_usd_bn"].dropna() > 0.1).all()


def test_both_voted_yes_on_every_adopted_text_2006_2017() -> None:
    question = _bank().question("both-yes-2006-2017")
    votes = nk.unsc_votes()
    period = votes[votes["year"].between(2006, 2017) & (votes["outcome"] == "adopted")]
    assert len(period) == 11
    both_yes = ((period["china_vote"] == "yes") & (period["russia_vote"] == "yes")).all()
    assert question.answer is bool(both_yes)
    first_veto = votes[votes["outcome"] == "vetoed"]["date"].min()
    assert first_veto == "2022-05-26"


def test_panel_2024_china_abstained() -> None:
    question = _bank().question("panel-2024")
    votes = nk.unsc_votes().set_index("date")
    row = votes.loc["2024-03-28"]
    assert (row["china_vote"], row["russia_vote"], row["tally"], row["outcome"]) == ("abstain", "no", "13-1-1", "vetoed")
    assert _correct_texts(question) == ["It abstained; Russia's veto alone ended the panel."]
    assert votes.loc["2022-05-26", "china_vote"] == "no"
    # the yearly renewals are left out of the table (see its caveats); only the failed 2024 renewal is in it
    assert not votes["summary"].str.startswith("Renewed").any()
    assert "renewals" in " ".join(describe("unsc_dprk_votes").caveats)


def test_second_patron_statements_match_events_and_trade() -> None:
    question = _bank().question("second-patron-evidence")
    events = load("dprk_events")
    treaty = events[(events["category"] == "treaty") & events["event"].str.contains("Russia-DPRK")]
    assert "Article 4" in " ".join(treaty["summary"])
    confirmations = events[(events["category"] == "military") & events["date"].str.startswith("2025-04")]
    assert {"Russia confirms North Korean troops fought in Kursk", "North Korea confirms it sent troops to Russia"} <= set(
        confirmations["event"]
    )
    share_2024 = nk.trade_two_sources().set_index("year").loc[2024, "kotra_china_share_pct"]
    assert share_2024 == 98
    wrong = [o for o in question.choices if not o.correct]
    assert any("98%" in (o.feedback or "") for o in wrong)


def test_fall_2018_follows_the_2017_export_bans() -> None:
    question = _bank().question("fall-2018")
    wide = nk.trade_two_sources().set_index("year")
    assert wide.loc[2018, "china_customs_usd_bn"] < 0.5 * wide.loc[2017, "china_customs_usd_bn"]
    votes = nk.unsc_votes()
    bans = votes[votes["label"].isin(["2371 (2017)", "2375 (2017)", "2397 (2017)"])]
    assert len(bans) == 3 and (bans["china_vote"] == "yes").all()
    trade = load("china_customs_trade")
    imports_2018 = trade[(trade["partner"] == "North Korea") & (trade["year"] == 2018)]["imports_usd_bn"].iloc[0]
    assert round(imports_2018, 2) == 0.21
    assert wide.loc[2018, "kotra_china_share_pct"] == pytest.approx(95.8)
    assert "(2371, 2375, 2397)" in _correct_texts(question)[0]


# ---------------------------------------- dated events in the lesson's text, against the data
import json
import re
from pathlib import Path

LESSON3 = Path(__file__).resolve().parents[1] / "lessons" / "03_north_korea.ipynb"
MONTHS = {m: i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"], 1)}


def _lesson3_text() -> str:
    cells = json.loads(LESSON3.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_dated_frictions_in_lesson3_are_rows_of_the_data() -> None:
    frictions = load("dprk_china_frictions")
    section = _lesson3_text().split("### Beyond the votes", 1)[1].split("> **Concept: entrapment", 1)[0]
    dates = {f"{y}-{MONTHS[m]:02d}-{int(d):02d}" for d, m, y in re.findall(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (20\d\d)\b", section)}
    # dates of reports cited in links are not events; the events are the ones the data must hold
    events = {"2006-10-09", "2017-09-03", "2005-09-19", "2017-05-03", "2017-11-08"}
    assert events <= dates, f"the section no longer dates {sorted(events - dates)}; update this test with the text"
    assert events <= set(frictions["date"]), f"no data row for {sorted(events - set(frictions['date']))}"
    assert "From August 2003 China chaired" in section and "2003-08" in set(frictions["date"])


def test_quoted_words_of_the_frictions_appear_in_their_rows() -> None:
    frictions = load("dprk_china_frictions").set_index("date")
    assert "'flagrantly'" in frictions.loc["2006-10-09", "event"]
    assert "'firm opposition to and strong condemnation of'" in frictions.loc["2017-09-03", "event"]
    assert "'test the limits'" in frictions.loc["2017-05-03", "event"]
    text = _lesson3_text()
    assert '"flagrantly"' in text and '"firm opposition to and strong condemnation"' in text
    assert "87 of its 112 supermarkets" in text and "87 of its 112 supermarkets" in frictions.loc["2017-03-15", "event"]
