"""The overextension model of Lesson 7: validation, bounds, the promised shapes, the grid search,
the anchoring to data, the charts and the explorer (driven without a kernel)."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest
import traitlets
from hypothesis import given, settings
from hypothesis import strategies as st

from balancing_act import charts
from balancing_act.data import DataError, load
from balancing_act.topics import overextension as ox


def _params(**changes: float) -> ox.ModelParameters:
    return ox.ModelParameters(exposure=0.9, russia_intensity=0.8, **changes)


@st.composite
def parameter_sets(draw: st.DrawFn) -> ox.ModelParameters:
    values = {}
    for spec in ox.PARAMETERS:
        values[spec.name] = draw(st.floats(spec.low, spec.high, allow_nan=False, allow_infinity=False))
    return ox.ModelParameters(**values)


def _brute_force(params: ox.ModelParameters, points: int = 21, instrument_points: int = 11) -> tuple[float, ...]:
    """Independent check of the grid search: a plain loop over every choice of the four instruments."""
    best: tuple[float, ...] | None = None
    support = [round(i / (points - 1), 10) for i in range(points)]
    other = [round(i / (instrument_points - 1), 10) for i in range(instrument_points)]
    for r, k, s, g in itertools.product(support, support, other, other):
        value = ox.evaluate(r, k, params, silence=s, gestures=g)["net"]
        if best is None or value > best[4]:
            best = (r, k, s, g, value)
    assert best is not None
    return best


# ------------------------------------------------------------------ parameters
def test_documented_defaults_match_the_dataclass() -> None:
    fields = {f.name: f for f in dataclasses.fields(ox.ModelParameters)}
    assert [s.name for s in ox.PARAMETERS] == list(fields)
    for spec in ox.PARAMETERS:
        if spec.default is None:
            assert fields[spec.name].default is dataclasses.MISSING
            assert spec.kind == ox.ANCHORED
        else:
            assert fields[spec.name].default == spec.default
            assert spec.kind == ox.ASSUMPTION
            assert spec.low <= spec.default <= spec.high
        assert spec.meaning and spec.label
    assert [s.name for s in ox.PARAMETERS if s.kind == ox.ANCHORED] == ["exposure", "russia_intensity"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"exposure": 1.5}, r"exposure = 1\.5 is outside the allowed range 0 to 1"),
        ({"exposure": -0.1}, r"exposure = -0\.1 is outside the allowed range 0 to 1"),
        ({"returns": 0.05}, r"returns = 0\.05 is outside the allowed range 0\.1 to 1"),
        ({"penalty_growth": 11}, r"penalty_growth = 11 is outside the allowed range 0 to 10"),
        ({"influence_value": float("nan")}, r"influence_value = nan is not a finite number; choose a value from 0 to 3"),
        ({"bloc_penalty": "high"}, r"bloc_penalty must be a number from 0 to 2 .*got 'high' of type str"),
        ({"russia_weight": True}, r"russia_weight must be a number from 0 to 1"),
    ],
)
def test_out_of_range_parameters_are_refused_with_name_value_and_range(changes: dict, message: str) -> None:
    values = {"exposure": 0.9, "russia_intensity": 0.8, **changes}
    with pytest.raises(ox.ModelError, match=message):
        ox.ModelParameters(**values)


def test_replace_checks_names_and_values() -> None:
    p = _params()
    assert p.replace(reputation_cost=0.5).reputation_cost == 0.5
    assert p.reputation_cost == 0.2  # the original is unchanged (frozen)
    with pytest.raises(ox.ModelError, match=r"Unknown parameter\(s\) \['sanctions'\]; the model's parameters are"):
        p.replace(sanctions=1.0)
    with pytest.raises(ox.ModelError, match=r"russia_red_line = 2 is outside the allowed range 0 to 1"):
        p.replace(russia_red_line=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.exposure = 0.1  # type: ignore[misc]
    assert list(p.as_dict()) == [s.name for s in ox.PARAMETERS]


def test_support_inputs_are_checked() -> None:
    p = _params()
    with pytest.raises(ox.ModelError, match=r"russia = 1\.2 is outside the allowed range 0 to 1"):
        ox.influence(1.2, 0.0, p)
    with pytest.raises(ox.ModelError, match=r"north_korea = -0\.5 is outside the allowed range 0 to 1"):
        ox.sanctions_risk(0.2, np.array([0.1, -0.5]), p)
    with pytest.raises(ox.ModelError, match=r"north_korea must be a number from 0 to 1"):
        ox.reputation(0.2, "some", p)
    with pytest.raises(ox.ModelError, match=r"influence\(\) needs a ModelParameters object, got dict"):
        ox.influence(0.2, 0.2, {"exposure": 0.9})  # type: ignore[arg-type]
    with pytest.raises(ox.ModelError, match=r"points = 1 must be a whole number from 2 to 201"):
        ox.support_levels(1)
    with pytest.raises(ox.ModelError, match=r"instrument_points = 300 must be a whole number from 2 to 201"):
        ox.instrument_levels(300)
    with pytest.raises(ox.ModelError, match=r"silence = 2 is outside the allowed range 0 to 1"):
        ox.net_result(0.2, 0.2, p, silence=2)
    with pytest.raises(ox.ModelError, match=r"gestures = -0\.1 is outside the allowed range 0 to 1"):
        ox.entanglement(0.2, 0.2, p, gestures=-0.1)


# ------------------------------------------------------------------ the model
def test_functional_forms_at_known_points() -> None:
    p = _params()
    assert ox.influence(0.0, 0.0, p) == 0.0
    assert ox.influence(1.0, 1.0, p) == pytest.approx(p.influence_value)
    assert ox.influence(0.25, 0.0, p) == pytest.approx(0.7 * 0.5)  # 0.25 ** 0.5 = 0.5
    assert ox.sanctions_risk(0.4, 0.3, p) == 0.0  # exactly at both red lines: no penalty
    assert ox.sanctions_risk(0.5, 0.0, p) == pytest.approx(0.9 * (0.05 + 2.0 * 0.1**2))
    assert ox.reputation(0.5, 0.5, p) == pytest.approx(0.2 * 1.0 + 0.2 * 0.25)
    # each instrument has its own gain and its own costs
    assert ox.influence(0.0, 0.0, p, silence=0.25) == pytest.approx(0.3 * 0.5)
    assert ox.influence(0.0, 0.0, p, gestures=1.0) == pytest.approx(0.3)
    assert ox.reputation(0.0, 0.0, p, silence=1.0, gestures=1.0) == pytest.approx(0.1 + 0.15)
    assert ox.sanctions_risk(0.0, 0.0, p) == 0.0  # silence and gestures carry no sanctions risk
    # entanglement: 0.5 * (0.8 * (0.5 + 0.5 * 0.4)**2 + 0.1 * (0.2 + 0.5 * 0.4)**2)
    assert ox.entanglement(0.5, 0.2, p, gestures=0.4) == pytest.approx(0.5 * (0.8 * 0.7**2 + 0.1 * 0.4**2))
    assert ox.entanglement(0.0, 0.0, p) == 0.0
    out = ox.evaluate(0.5, 0.2, p, silence=0.6, gestures=0.4)
    assert out["net"] == pytest.approx(out["influence"] - out["risk"] - out["reputation"] - out["entanglement"])
    assert all(isinstance(v, float) for v in out.values())
    best = ox.best_balance(p)
    assert repr(best) == (
        f"Balance(russia={best.russia:.2f}, north_korea={best.north_korea:.2f}, silence={best.silence:.2f}, "
        f"gestures={best.gestures:.2f}, influence={best.influence:.3f}, risk={best.risk:.3f}, "
        f"reputation={best.reputation:.3f}, entanglement={best.entanglement:.3f}, net={best.net:.3f})"
    )


def test_instrument_table_adds_up_to_the_model_totals() -> None:
    p = _params()
    table = ox.instrument_table(0.5, 0.2, 0.6, 0.4, p)
    assert table["instrument"].tolist() == list(ox.INSTRUMENTS)
    total = ox.evaluate(0.5, 0.2, p, silence=0.6, gestures=0.4)
    assert table["gain"].sum() == pytest.approx(total["influence"])
    assert table["sanctions_risk"].sum() == pytest.approx(total["risk"])
    assert table["reputational_cost"].sum() == pytest.approx(total["reputation"])
    assert table["entanglement"].sum() == pytest.approx(total["entanglement"])
    assert table["net"].sum() == pytest.approx(total["net"])
    silence = table.set_index("instrument").loc["Diplomatic silence"]
    assert silence["sanctions_risk"] == 0.0 and silence["entanglement"] == 0.0
    assert (table["entanglement"] >= 0).all()
    none = ox.instrument_table(0.0, 0.0, 0.0, 0.0, p)
    assert (none[["gain", "sanctions_risk", "reputational_cost", "entanglement"]] == 0).all().all()


@settings(max_examples=40, deadline=None)
@given(parameter_sets())
def test_outputs_stay_within_their_bounds(params: ox.ModelParameters) -> None:
    frame = ox.grid(params, instrument_points=6)
    top_risk = params.exposure * (
        2 * params.penalty_jump
        + params.penalty_growth * ((1 - params.russia_red_line) ** 2 + (1 - params.north_korea_red_line) ** 2)
    )
    eps = 1e-12
    assert frame["risk"].between(-eps, top_risk + eps).all()
    top_gain = params.influence_value + params.silence_value + params.gesture_value
    assert frame["influence"].between(-eps, top_gain + eps).all()
    top_rep = 2 * params.reputation_cost + params.bloc_penalty + params.silence_cost + params.gesture_cost
    assert frame["reputation"].between(-eps, top_rep + eps).all()
    top_ent = params.entanglement_cost * (1 + params.gesture_commitment) ** 2 * (
        params.russia_intensity + params.north_korea_intensity
    )
    assert frame["entanglement"].between(-eps, top_ent + eps).all()
    assert frame["silence"].between(0, 1).all() and frame["gestures"].between(0, 1).all()
    assert np.allclose(frame["net"], frame["influence"] - frame["risk"] - frame["reputation"] - frame["entanglement"])


@settings(max_examples=40, deadline=None)
@given(parameter_sets())
def test_monotone_where_the_model_promises_it(params: ox.ModelParameters) -> None:
    levels = ox.support_levels(41)
    for other in (0.0, 0.35, 1.0):
        for fn in (ox.influence, ox.sanctions_risk, ox.reputation):
            along_r = fn(levels, np.full_like(levels, other), params)
            along_k = fn(np.full_like(levels, other), levels, params)
            assert (np.diff(along_r) >= -1e-12).all(), fn.__name__
            assert (np.diff(along_k) >= -1e-12).all(), fn.__name__
    # every instrument's gain and cost rises with its level
    for level_s in (0.0, 0.5):
        for fn in (ox.influence, ox.reputation):
            along_s = fn(np.full_like(levels, 0.3), np.full_like(levels, 0.3), params, silence=levels, gestures=level_s)
            along_g = fn(np.full_like(levels, 0.3), np.full_like(levels, 0.3), params, silence=level_s, gestures=levels)
            assert (np.diff(along_s) >= -1e-12).all() and (np.diff(along_g) >= -1e-12).all(), fn.__name__
    # entanglement rises with support, with gestures and with the partner's conflict intensity; silence adds none
    for other in (0.0, 0.5, 1.0):
        assert (np.diff(ox.entanglement(levels, np.full_like(levels, other), params, gestures=0.5)) >= -1e-12).all()
        assert (np.diff(ox.entanglement(np.full_like(levels, other), levels, params, gestures=0.5)) >= -1e-12).all()
        assert (np.diff(ox.entanglement(np.full_like(levels, other), np.full_like(levels, other), params, gestures=levels)) >= -1e-12).all()
    hotter = params.replace(russia_intensity=min(1.0, params.russia_intensity + 0.2))
    assert (ox.entanglement(levels, levels, hotter, gestures=0.5) >= ox.entanglement(levels, levels, params, gestures=0.5) - 1e-12).all()
    assert ox.net_result(0.3, 0.3, params, silence=0.7) - ox.net_result(0.3, 0.3, params) == pytest.approx(
        params.silence_value * 0.7**params.returns - params.silence_cost * 0.7
    )  # silence touches no risk and no entanglement
    # risk is zero up to both red lines
    assert ox.sanctions_risk(params.russia_red_line, params.north_korea_red_line, params) == 0.0
    # more exposure never lowers the risk
    more = params.replace(exposure=min(1.0, params.exposure + 0.1))
    r, k = np.meshgrid(levels, levels)
    assert (ox.sanctions_risk(r, k, more) >= ox.sanctions_risk(r, k, params) - 1e-12).all()


@settings(max_examples=40, deadline=None)
@given(parameter_sets())
def test_influence_is_concave_and_risk_convex_past_the_red_line(params: ox.ModelParameters) -> None:
    levels = ox.support_levels(41)
    zeros = np.zeros_like(levels)
    influence = ox.influence(levels, zeros, params)
    assert (np.diff(influence, 2) <= 1e-9).all()
    beyond = levels[levels > params.russia_red_line]
    if beyond.size >= 3:
        risk = ox.sanctions_risk(beyond, np.zeros_like(beyond), params)
        assert (np.diff(risk, 2) >= -1e-9).all()


@settings(max_examples=25, deadline=None)
@given(parameter_sets())
def test_grid_search_equals_brute_force(params: ox.ModelParameters) -> None:
    best = ox.best_balance(params, points=6, instrument_points=4)
    r, k, s, g, value = _brute_force(params, 6, 4)
    assert best.net == pytest.approx(value, abs=1e-12)
    assert (best.russia, best.north_korea, best.silence, best.gestures) == (r, k, s, g)


def test_grid_search_equals_brute_force_with_anchored_defaults() -> None:
    params = ox.anchored_parameters()
    best = ox.best_balance(params, points=11, instrument_points=6)
    assert (best.russia, best.north_korea, best.silence, best.gestures, best.net) == pytest.approx(_brute_force(params, 11, 6))
    fine = ox.best_balance(params)
    values = [fine.russia, fine.north_korea, fine.silence, fine.gestures]
    # no single step of any instrument on the default grid does better than the best
    for i, step in enumerate((0.05, 0.05, 0.1, 0.1)):
        for move in (-step, step):
            moved = list(values)
            moved[i] = round(moved[i] + move, 10)
            if 0 <= moved[i] <= 1:
                r, k, s, g = moved
                assert ox.evaluate(r, k, params, silence=s, gestures=g)["net"] <= fine.net + 1e-12


def test_comparative_statics_of_the_best_net() -> None:
    params = ox.anchored_parameters()
    by_exposure = ox.sweep(params, "exposure", np.linspace(0, 1, 21))
    assert (np.diff(by_exposure["best_net"]) <= 1e-12).all()  # more exposure never helps
    by_value = ox.sweep(params, "influence_value", np.linspace(0, 3, 31))
    assert (np.diff(by_value["best_net"]) >= -1e-12).all()  # valuing influence more never hurts
    first = by_value.iloc[0]  # influence worth nothing: no material support, only silence and gestures
    assert first[["best_russia", "best_north_korea"]].tolist() == [0.0, 0.0]
    no_value = params.replace(influence_value=0.0)
    assert first["best_net"] == pytest.approx(
        ox.evaluate(0.0, 0.0, no_value, silence=first["best_silence"], gestures=first["best_gestures"])["net"]
    )


def test_default_best_balance_stays_below_the_red_lines_because_of_entanglement() -> None:
    params = ox.anchored_parameters()
    best = ox.best_balance(params)
    assert best.russia < params.russia_red_line and best.north_korea < params.north_korea_red_line
    assert not best.past_red_line(params) and not best.at_edge()
    assert best.risk == 0.0 and best.entanglement > 0
    # without entanglement the best support to Russia moves up to its red line
    free = ox.best_balance(params.replace(entanglement_cost=0.0))
    assert free.russia == params.russia_red_line and free.russia > best.russia
    # silence is the one instrument with no risk and no entanglement: it is used in full
    assert best.silence == 1.0 and 0 < best.gestures < 1


def test_more_entanglement_cost_or_intensity_never_raises_the_best_support() -> None:
    params = ox.anchored_parameters()
    for name in ("entanglement_cost", "russia_intensity"):
        spec = next(s for s in ox.PARAMETERS if s.name == name)
        swept = ox.sweep(params, name, np.linspace(spec.low, spec.high, 7))
        assert (np.diff(swept["best_net"]) <= 1e-12).all(), name
        assert (np.diff(swept["best_russia"]) <= 1e-12).all(), name


# ------------------------------------------------------------- slices, sweeps
def test_slice_along_russia_and_north_korea() -> None:
    params = _params()
    frame = ox.slice_along(params, "russia", at=0.3)
    assert list(frame.columns) == ["support", "component", "value"]
    assert len(frame) == 5 * 21
    assert frame.attrs["fixed"] == 0.3 and frame.attrs["red_line"] == 0.4
    net = frame[frame["component"] == "Net result"].set_index("support")["value"]
    best = ox.best_balance(params)
    assert net.loc[0.5] == pytest.approx(ox.evaluate(0.5, 0.3, params, silence=best.silence, gestures=best.gestures)["net"])
    nk = ox.slice_along(params, "north_korea")
    assert nk.attrs["fixed"] == best.russia and nk.attrs["gestures"] == best.gestures
    mine = ox.slice_along(params, "russia", at=0.1, silence=0.2, gestures=0.9)
    ent = mine[mine["component"] == "Entanglement"].set_index("support")["value"]
    assert ent.loc[0.5] == pytest.approx(ox.entanglement(0.5, 0.1, params, gestures=0.9))
    with pytest.raises(ox.ModelError, match=r"partner = 'china' is not known; use 'russia' or 'north_korea'"):
        ox.slice_along(params, "china")
    with pytest.raises(ox.ModelError, match=r"at \(support to North Korea\) = 3 is outside the allowed range 0 to 1"):
        ox.slice_along(params, "russia", at=3)


def test_sweep_and_tipping_point() -> None:
    params = ox.anchored_parameters()
    swept = ox.sweep(params, "exposure", [1.0, 0.5, 0.0])
    assert list(swept.columns) == [
        "value", "best_russia", "best_north_korea", "best_silence", "best_gestures", "best_net", "past_red_line", "at_edge",
    ]
    # with Russia's war priced in, even no exposure does not take the best balance past a red line
    assert swept["past_red_line"].tolist() == [False, False, False] and ox.tipping_point(swept) is None
    free = ox.sweep(params.replace(russia_intensity=0.0), "exposure", [1.0, 0.5, 0.0])
    assert free["past_red_line"].tolist() == [False, False, True]
    assert free["at_edge"].tolist() == [False, False, True]  # no war and no exposure: full support to Russia
    assert ox.tipping_point(free) == 0.0 and ox.tipping_point(free, "at_edge") == 0.0
    assert ox.tipping_point(free.iloc[:2]) is None
    assert swept.attrs["parameter"] == "exposure" and swept.attrs["current"] == params.exposure
    with pytest.raises(ox.ModelError, match=r"Unknown parameter 'trust'"):
        ox.sweep(params, "trust", [0.1])
    with pytest.raises(ox.ModelError, match=r"exposure = 2 is outside the allowed range 0 to 1"):
        ox.sweep(params, "exposure", [0.5, 2])
    with pytest.raises(ox.ModelError, match="no values"):
        ox.sweep(params, "exposure", [])
    with pytest.raises(charts.ChartInputError, match=r"needs the columns \['value', 'at_corner'\]"):
        ox.tipping_point(swept, "at_corner")


# ------------------------------------------------------------------ anchoring
def _toy_trade() -> pd.DataFrame:
    rows = [{"year": 2030, "partner": p, "total_usd_bn": v} for p, v in
            (("United States", 10.0), ("European Union", 20.0), ("Japan", 5.0), ("South Korea", 5.0), ("ASEAN", 20.0),
             ("Russia", 30.0), ("North Korea", 10.0), ("World", 500.0))]
    rows.append({"year": 2031, "partner": "Russia", "total_usd_bn": 1.0})
    frame = pd.DataFrame(rows)
    frame.attrs["source"] = "Source: toy customs"
    return frame


def test_exposure_is_anchored_on_the_seven_partners() -> None:
    table = ox.exposure_table(2030, _toy_trade())
    assert table["partner"].tolist() == ["United States", "European Union", "Japan", "South Korea", "ASEAN", "Russia", "North Korea"]
    assert table["share_pct"].sum() == pytest.approx(100)
    assert ox.anchored_exposure(2030, _toy_trade()) == pytest.approx(60 / 100)
    assert ox.anchored_parameters(2030, _toy_trade(), reputation_cost=0.4).exposure == pytest.approx(0.6)
    with pytest.raises(DataError, match=r"No 2031 trade figure for \['United States', .*Years with all seven partners: \[2030\]"):
        ox.exposure_table(2031, _toy_trade())


def test_exposure_from_the_course_data() -> None:
    trade = load("china_customs_trade")
    rows = trade[trade["year"] == 2023].set_index("partner")["total_usd_bn"]
    west = rows[["United States", "European Union", "Japan", "South Korea", "ASEAN"]].sum()
    expected = west / (west + rows["Russia"] + rows["North Korea"])
    assert ox.anchored_exposure() == pytest.approx(expected)
    assert 0 < ox.anchored_exposure() < 1


def test_conflict_intensity_is_anchored_on_ucdp_fatalities() -> None:
    fatalities = load("ucdp_conflict_fatalities")
    rows = fatalities.set_index("conflict")["fatalities_more_than"]
    assert ox.anchored_intensity() == pytest.approx(rows["Russia-Ukraine"] / rows.max())
    assert 0 < ox.anchored_intensity() < 1
    table = ox.intensity_table()
    assert table["share_of_deadliest"].iloc[0] == 1.0 and table["share_of_deadliest"].between(0, 1).all()
    toy = pd.DataFrame({"year": [2030, 2030], "conflict": ["A", "Russia-Ukraine"], "fatalities_more_than": [4000, 1000]})
    assert ox.anchored_intensity(toy) == pytest.approx(0.25)
    assert ox.anchored_parameters(fatalities=toy).russia_intensity == pytest.approx(0.25)
    with pytest.raises(DataError, match=r"No fatalities figure for the conflict 'Russia-Ukraine'; the table lists \['A'\]"):
        ox.anchored_intensity(toy.iloc[:1])


def test_parameter_table_states_every_parameter() -> None:
    table = ox.parameter_table(ox.anchored_parameters())
    assert table["parameter"].tolist() == [s.name for s in ox.PARAMETERS]
    for name in ("exposure", "russia_intensity"):
        row = table.set_index("parameter").loc[name]
        assert row["status"] == ox.ANCHORED and row["default"] == "from data" and row["allowed"] == "0 to 1"
    assert (table.set_index("parameter").drop(["exposure", "russia_intensity"])["status"] == ox.ASSUMPTION).all()


def test_sanctions_by_year_counts_measures_and_responses() -> None:
    frame = pd.DataFrame(
        {"date": ["2022-01-02", "2022-03-04", "2023-05-06"], "actor": ["United States", "China", "European Union"],
         "measure": ["m1", "m2", "m3"], "target": ["t1", "t2", "t3"]}
    )
    counts = ox.sanctions_by_year(frame)
    assert counts.to_dict("records") == [
        {"year": 2022, "western_measures": 1, "china_responses": 1},
        {"year": 2023, "western_measures": 1, "china_responses": 0},
    ]


# --------------------------------------------------------------------- charts
def _all_marks_have_tooltips(spec: dict) -> None:
    views = spec.get("layer", [spec])
    for view in views:
        assert "tooltip" in view["encoding"], view.get("mark")


def test_exposure_chart() -> None:
    spec = ox.exposure_chart(ox.exposure_table(2030, _toy_trade())).to_dict()
    assert spec["title"]["text"] == "What is at stake: China's trade with the two groups in 2030"
    assert spec["title"]["subtitle"][-1] == "Source: toy customs"
    assert "Western and Asian markets 60.0 billion (60.0%)" in spec["description"]
    assert "anchored exposure, 0.600" in spec["description"]
    assert spec["encoding"]["x"]["title"] == "China's goods trade, billion US dollars"
    assert spec["config"]["range"]["category"] == list(charts.PALETTE)
    _all_marks_have_tooltips(spec)
    with pytest.raises(charts.ChartInputError, match=r"exposure_chart\(\) needs the columns"):
        ox.exposure_chart(pd.DataFrame({"partner": ["A"]}))


def test_sanctions_timeline_on_the_course_data() -> None:
    frame = load("sanctions_measures")
    spec = ox.sanctions_timeline(frame).to_dict()
    assert spec["title"]["subtitle"][-1].startswith("Source:")
    assert spec["encoding"]["x"]["type"] == "temporal"
    counts = ox.sanctions_by_year(frame)
    first = counts.iloc[0]
    assert f"{first.year}: {first.western_measures} measures" in spec["description"]
    _all_marks_have_tooltips(spec)


def test_net_heatmap_marks_best_balance_and_choice() -> None:
    params = _params()
    frame = ox.grid(params)
    best = ox.best_balance(params)
    spec = ox.net_heatmap(frame, best, choice=(0.52, 0.1)).to_dict()
    assert spec["title"]["subtitle"] == [ox.MODEL_LABEL, ox.MODEL_SOURCE]
    assert spec["title"]["subtitle"][-1].startswith("Source:")
    assert spec["description"].startswith("A thinking tool, not a forecast")
    assert f"Best balance: support to Russia {best.russia:.2f}, to North Korea {best.north_korea:.2f}" in spec["description"]
    assert "Your choice: 0.50 and 0.10" in spec["description"]
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rect", "point"]
    markers = spec["datasets"][spec["layer"][1]["data"]["name"]]
    assert [m["marker"] for m in markers] == ["Best balance", "Your choice"]
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domainMid"] == 0
    _all_marks_have_tooltips(spec)
    with pytest.raises(charts.ChartInputError, match=r"needs best= a Balance"):
        ox.net_heatmap(frame, (0.4, 0.3))  # type: ignore[arg-type]
    with pytest.raises(ox.ModelError, match=r"choice \(support to Russia\) = 1\.5 is outside"):
        ox.net_heatmap(frame, best, choice=(1.5, 0.1))


def test_components_chart_and_sweep_chart() -> None:
    params = _params()
    spec = ox.components_chart(ox.slice_along(params, "russia", at=0.3)).to_dict()
    assert spec["title"]["text"] == "Inside the trade-off: gains and costs as material support to Russia rises"
    assert spec["title"]["subtitle"][0] == ox.MODEL_LABEL
    assert "with support to North Korea held at 0.30" in spec["description"]
    assert "The red line is at 0.40." in spec["description"]
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "rule"]
    assert spec["layer"][0]["encoding"]["y"]["title"] == "Model points"
    _all_marks_have_tooltips(spec)

    swept = ox.sweep(params, "influence_value", [0.5, 1.0, 2.5])
    sspec = ox.sweep_chart(swept).to_dict()
    assert sspec["title"]["text"] == "When does calibration break down? The best balance as one parameter changes: Value of influence"
    assert sspec["layer"][0]["encoding"]["x"]["title"] == "Value of influence (parameter value)"
    assert "The dotted rule marks the value in use, 1.000." in sspec["description"]
    assert "first crosses a red line at 2.50" in sspec["description"]
    assert sspec["title"]["subtitle"][-1] == ox.MODEL_SOURCE
    _all_marks_have_tooltips(sspec)


# ------------------------------------------------------------------- explorer
def test_explorer_moves_with_its_controls() -> None:
    explorer = ox.OverextensionExplorer(_params(), russia_support=0.5, north_korea_support=0.5, silence=0.5, gestures=0.5)
    best = ox.best_balance(_params())
    assert repr(explorer) == (
        "OverextensionExplorer(russia_support=0.50, north_korea_support=0.50, silence=0.50, gestures=0.50, "
        f"best=({best.russia:.2f}, {best.north_korea:.2f}, {best.silence:.1f}, {best.gestures:.1f}))"
    )
    assert "A thinking tool, not a forecast." in explorer.summary
    assert f"Best balance on the grid: Russia {best.russia:.2f}, North Korea {best.north_korea:.2f}" in explorer.summary
    explorer._controls["russia_support"].value = 0.7
    assert explorer.russia_support == 0.7
    mine = ox.evaluate(0.7, 0.5, _params(), silence=0.5, gestures=0.5)
    assert f"net result {mine['net']:.3f} model points" in explorer.summary
    explorer._controls["gestures"].value = 0.9
    assert explorer.instruments is not None
    assert explorer.instruments.set_index("instrument").loc["Symbolic gestures", "level"] == "0.90"
    assert explorer.slice is not None and "gestures at 0.90" in explorer.slice["description"]
    explorer._controls["exposure"].value = 0.0
    explorer._controls["russia_intensity"].value = 0.0
    assert explorer.exposure == 0.0
    assert explorer.best is not None and explorer.best.russia == 1.0
    assert "it crosses a red line" in explorer.summary
    for out in (explorer._heat_out, explorer._slice_out):
        assert len(out.outputs) == 1 and "application/vnd.vegalite.v5+json" in out.outputs[0]["data"]
    assert explorer.chart is not None and "Your choice: 0.70 and 0.50" in explorer.chart["description"]
    explorer._controls["penalty_growth"].value = 25  # a number box pulls an out-of-range value back to its limit
    assert explorer.penalty_growth == 10.0
    explorer.reset()
    assert explorer.exposure == 0.9 and explorer.russia_support == 0.7 and explorer.gestures == 0.9
    assert explorer.best == ox.best_balance(_params())


def test_explorer_recomputes_the_grid_only_when_a_parameter_changes() -> None:
    explorer = ox.OverextensionExplorer(_params())
    assert explorer.grid_computations == 1
    heatmap = explorer.chart
    explorer.silence = 0.2
    explorer.gestures = 0.7
    assert explorer.grid_computations == 1
    assert explorer.chart is heatmap  # silence and gestures do not move anything on the heatmap
    explorer.russia_support = 0.3
    assert explorer.grid_computations == 1 and explorer.chart is not heatmap
    explorer.entanglement_cost = 2.0
    assert explorer.grid_computations == 2
    assert explorer.best == ox.best_balance(_params(entanglement_cost=2.0))


def _rows(spec: dict, layer: int) -> list[dict]:
    data = spec["layer"][layer]["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


@pytest.mark.parametrize("change", [{}, {"entanglement_cost": 1.0}, {"russia_red_line": 0.6, "north_korea_intensity": 0.5}, {"influence_value": 0.1}])
def test_explorer_patched_charts_equal_charts_drawn_afresh(change: dict) -> None:
    explorer = ox.OverextensionExplorer(_params())
    for name, value in change.items():
        setattr(explorer, name, value)
    explorer.russia_support = 0.2
    explorer.gestures = 0.8
    params = _params(**change)
    assert explorer.params == params
    fresh = ox.net_heatmap(ox.grid(params), ox.best_balance(params), choice=(0.2, explorer.north_korea_support)).to_dict()
    assert explorer.chart is not None and explorer.chart["description"] == fresh["description"]
    for layer in (0, 1):
        assert _rows(explorer.chart, layer) == _rows(fresh, layer)
    assert explorer.chart["layer"][0]["encoding"] == fresh["layer"][0]["encoding"]
    part = ox.slice_along(params, "russia", at=explorer.north_korea_support, silence=explorer.silence, gestures=0.8)
    fresh_slice = ox.components_chart(part).to_dict()
    assert explorer.slice is not None and explorer.slice["description"] == fresh_slice["description"]
    for layer in (0, 1):
        assert _rows(explorer.slice, layer) == _rows(fresh_slice, layer)
    shown = explorer._heat_out.outputs[0]["data"]
    assert shown["text/plain"] == fresh["description"]


def test_explorer_refuses_invalid_state() -> None:
    explorer = ox.OverextensionExplorer(_params())
    with pytest.raises(traitlets.TraitError, match=r"russia_support = 1\.5 is outside the allowed range 0 to 1"):
        explorer.russia_support = 1.5
    with pytest.raises(traitlets.TraitError, match=r"silence = -0\.2 is outside the allowed range 0 to 1"):
        explorer.silence = -0.2
    with pytest.raises(traitlets.TraitError, match=r"penalty_growth = -1\.0 is outside the allowed range 0 to 10"):
        explorer.penalty_growth = -1.0
    with pytest.raises(ox.ModelError, match="needs a ModelParameters object"):
        ox.OverextensionExplorer({"exposure": 0.5})  # type: ignore[arg-type]


def test_explorer_controls_are_labelled_and_traits_documented() -> None:
    explorer = ox.OverextensionExplorer(_params())
    labels = {"russia_support": "Material support to Russia", "north_korea_support": "Material support to North Korea",
              "silence": "Diplomatic silence", "gestures": "Symbolic gestures"}
    for name, label in labels.items():
        assert explorer._controls[name].description == label
    for spec in ox.PARAMETERS:
        assert explorer._controls[spec.name].description == spec.label
        control = explorer._controls[spec.name]
        assert (control.min, control.max, control.step) == (spec.low, spec.high, spec.step)
        assert spec.meaning in control.tooltip
        assert spec.kind in explorer.traits()[spec.name].help
    assert set(explorer._controls) == set(labels) | {s.name for s in ox.PARAMETERS}
    assert all(isinstance(c, ox.widgets.BoundedFloatText) and c.description for c in explorer._controls.values())
    assert explorer.params == _params()


def test_explorer_defaults_to_anchored_parameters() -> None:
    explorer = ox.OverextensionExplorer()
    assert explorer.exposure == pytest.approx(ox.anchored_exposure())
    assert explorer.russia_intensity == pytest.approx(ox.anchored_intensity())
    assert list(itertools.islice(explorer.params.as_dict(), 3)) == ["exposure", "russia_intensity", "influence_value"]
