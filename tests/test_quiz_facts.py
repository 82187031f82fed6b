"""Quiz answers that rest on course data are recomputed from data/, so a data fix cannot leave a quiz wrong."""

from __future__ import annotations


from balancing_act import analysis
from balancing_act.data import load
from balancing_act.quiz import grade, load_bank


def _correct_texts(question) -> list[str]:
    return [o.text for o in question.choices if o.correct]


def test_largest_partner_2023_matches_data() -> None:
    question = load_bank("lesson01").question("largest-partner-2023")
    top = analysis.partner_shares(2023)["partner"].iloc[0]
    assert _correct_texts(question) == [top]


def test_russia_share_2024_matches_data() -> None:
    question = load_bank("lesson01").question("russia-share-2024")
    share = analysis.partner_shares(2024).set_index("partner").loc["Russia", "share_pct"]
    assert abs(question.answer - share) < 0.01
    assert grade(question, round(share, 1)).correct


def test_kotra_over_90_matches_data() -> None:
    question = load_bank("lesson01").question("kotra-over-90")
    dep = load("partner_dependence")
    kotra = dep[(dep["reporter"] == "KOTRA") & dep["year"].between(2014, 2024)]
    assert len(kotra) == 11
    assert question.answer is bool((kotra["china_share_pct"] > 90).all())


def test_russia_is_never_chinas_largest_partner_in_the_data() -> None:
    question = load_bank("lesson01").question("asymmetry")
    claim = "Russia is China's largest trading partner."
    assert claim in [o.text for o in question.choices if not o.correct]
    for year in (2023, 2024, 2025):
        assert analysis.partner_shares(year)["partner"].iloc[0] != "Russia"


def test_asymmetry_statements_hold_in_the_data() -> None:
    both = analysis.asymmetry(2024).set_index("perspective")["share_pct"]
    assert both["China's share of Russia's trade"] > 5 * both["Russia's share of China's trade"]
    assert both["North Korea's share of China's trade"] < 0.1 < 90 < both["China's share of North Korea's trade"]
