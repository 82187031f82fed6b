"""Lesson 7 quiz answers recomputed from data/ and from the course model, so a data fix or a change of
default cannot leave a quiz answer wrong."""

from __future__ import annotations


import numpy as np
import pytest

from balancing_act.data import load
from balancing_act.quiz import grade, load_bank
from balancing_act.topics import overextension as ox


def _correct_texts(question) -> list[str]:
    return [o.text for o in question.choices if o.correct]


def test_anchored_exposure_matches_data() -> None:
    question = load_bank("lesson07").question("anchored-exposure")
    trade = load("china_customs_trade")
    rows = trade[trade["year"] == 2023].set_index("partner")["total_usd_bn"]
    west = rows[["United States", "European Union", "Japan", "South Korea", "ASEAN"]].sum()
    share = 100 * west / (west + rows["Russia"] + rows["North Korea"])
    assert share == pytest.approx(100 * ox.anchored_exposure())
    assert abs(question.answer - share) < 0.05
    assert grade(question, round(share, 1)).correct


def test_default_best_balance_matches_model() -> None:
    question = load_bank("lesson07").question("default-best-balance")
    params = ox.anchored_parameters()
    best = ox.best_balance(params)
    expected = (
        f"Just below both red lines: material support to Russia {best.russia:.2f} and to North Korea "
        f"{best.north_korea:.2f}, with full silence and a few gestures"
    )
    assert best.russia < params.russia_red_line and best.north_korea < params.north_korea_red_line
    assert best.silence == 1.0 and 0 < best.gestures <= 0.3
    assert _correct_texts(question) == [expected]
    # the wrong options really are worse than the best balance, whatever silence and gestures go with them
    levels = ox.instrument_levels()
    for r, k in ((1.0, 1.0), (0.0, 0.0), (0.45, 0.35)):
        assert max(ox.evaluate(r, k, params, silence=s, gestures=g)["net"] for s in levels for g in levels) < best.net


def test_influence_tipping_point_matches_model() -> None:
    question = load_bank("lesson07").question("influence-tipping-point")
    params = ox.anchored_parameters()
    start = params.influence_value
    high = next(spec.high for spec in ox.PARAMETERS if spec.name == "influence_value")
    values = np.round(np.arange(start, high + 1e-9, 0.05), 2)
    swept = ox.sweep(params, "influence_value", values)
    point = ox.tipping_point(swept)
    assert point is not None
    assert grade(question, point).correct
    jumped = swept.loc[swept["value"] == point, "best_russia"].iloc[0]
    assert jumped > params.russia_red_line + 0.05  # a jump, not a creep (as the feedback says)
    reached = swept.loc[swept["best_russia"] == params.russia_red_line, "value"].iloc[0]
    assert f"at {reached:.2f}" in question.feedback_correct


def test_exposure_never_raises_the_best_net() -> None:
    question = load_bank("lesson07").question("exposure-never-helps")
    swept = ox.sweep(ox.anchored_parameters(), "exposure", np.linspace(0, 1, 51))
    assert (np.diff(swept["best_net"]) <= 1e-12).all()
    assert question.answer is False


def test_assumptions_match_the_parameter_table() -> None:
    question = load_bank("lesson07").question("which-are-assumptions")
    labels = {spec.label: spec.kind for spec in ox.PARAMETERS}
    for option in question.choices:
        label = {
            "The red line for Russia": "Red line for Russia",
            "The value of influence": "Value of influence",
            "Exposure to Western and Asian markets": "Exposure to Western and Asian markets",
            "The growth of penalties past a red line": "Growth of penalties past a red line",
        }[option.text]
        assert option.correct is (labels[label] == ox.ASSUMPTION)


def test_why_not_zero_matches_model() -> None:
    question = load_bank("lesson07").question("why-not-zero")
    params = ox.anchored_parameters()
    assert params.returns == 0.5 and "power 0.5" in _correct_texts(question)[0]
    best = ox.best_balance(params)
    assert best.russia > 0 and best.north_korea > 0
    flat = ox.best_balance(params.replace(returns=1.0, reputation_cost=1.0))
    assert (flat.russia, flat.north_korea) == (0.0, 0.0)  # as the feedback says


def test_not_a_forecast_is_false() -> None:
    question = load_bank("lesson07").question("not-a-forecast")
    assert question.answer is False
    assert "not a forecast" in ox.MODEL_LABEL


def test_claim_figures_and_verdict_match_data_and_model() -> None:
    from balancing_act.claims import load_claim

    claim = load_claim("lesson07")
    text = " ".join(claim.evidence)
    deaths = load("ucdp_conflict_fatalities").set_index("conflict")["fatalities_more_than"]
    assert f"more than {deaths['Russia-Ukraine']:,} deaths in the Russia-Ukraine war in 2022" in text
    assert deaths.rank(ascending=False)["Russia-Ukraine"] == 2  # "the second deadliest"
    milex = load("sipri_military_expenditure")
    russia = milex[milex["country"] == "Russia"].set_index("year")
    growth = russia["constant_2023_usd_bn"].pct_change()
    assert (growth.loc[2022:2024] > 0.2).all()  # "up by more than a fifth in real terms every year"
    assert f"to {russia.loc[2024, 'share_of_gdp_pct']:.1f}% of its GDP in 2024" in text
    params = ox.anchored_parameters()
    best = ox.best_balance(params)
    assert best.silence == 1.0 and not best.past_red_line(params) and best.russia < params.russia_red_line
    assert "the other sixteen are assumptions" in text
    assert sum(spec.kind == ox.ASSUMPTION for spec in ox.PARAMETERS) == 16
    assert claim.discussion.startswith("The verdict this lesson's evidence supports is 'The evidence here cannot decide it'")
    assert "The evidence here cannot decide it" in claim.verdicts
