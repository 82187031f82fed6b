"""Lesson 7: the risks of overextension, as a small explorable model.

The article argues that Beijing must calibrate its support for Moscow and Pyongyang: too
close ties it to its partners' conflicts and costs it markets and reputation, too far
costs influence. It names three instruments of that calibration: material support,
diplomatic silence and symbolic gestures. This module turns the argument into a
**thinking tool, not a forecast**: a few simple formulas whose every parameter is stated,
bounded and adjustable, so a learner can see which assumptions drive the answer.

The model
---------
Four choices, each from 0 (none) to 1 (the most Beijing could give):
``russia`` and ``north_korea`` = *material support* to each partner (goods, energy
purchases, credit, dual-use items); ``silence`` = *diplomatic silence* towards both
(abstaining or saying nothing where others condemn); ``gestures`` = *symbolic gestures*
towards both (summits, parades, joint statements). Outputs are in *model points*, an
arbitrary unit (not dollars, not probabilities):

* influence gained = ``influence_value * (russia_weight * russia**returns
  + (1 - russia_weight) * north_korea**returns) + silence_value * silence**returns
  + gesture_value * gestures**returns``: concave in each instrument (diminishing returns);
* economic and sanctions risk = ``exposure * sum over the two partners of
  (penalty_jump if support > red_line) + penalty_growth * max(0, support - red_line)**2``:
  material support only; nothing below a partner's red line, a jump when it is crossed,
  then costs that grow ever faster (convex);
* reputational cost = ``reputation_cost * (russia + north_korea)
  + bloc_penalty * russia * north_korea + silence_cost * silence + gesture_cost * gestures``;
* entanglement = ``entanglement_cost * sum over the two partners of
  intensity * commitment**2`` with ``commitment = support + gesture_commitment * gestures``:
  the risk of being drawn into a partner's conflict rises
  with material support and with gestures that signal commitment, faster the more
  intense the partner's conflict; silence commits to nothing and adds none;
* net result = influence - risk - reputational cost - entanglement.

The best balance is found by a grid search over all four choices (:func:`best_balance`):
material support in steps of 0.05, silence and gestures in steps of 0.1 by default.

Parameters
----------
:class:`ModelParameters` holds the eighteen parameters; :data:`PARAMETERS` documents each
(label, allowed range, default, whether it is anchored to data or an assumption). Two are
anchored to the course data: ``exposure`` by :func:`anchored_exposure` (China's goods trade
with the United States, the EU, Japan, South Korea and ASEAN as a share of that trade plus
its trade with Russia and North Korea) and ``russia_intensity`` by
:func:`anchored_intensity` (the Russia-Ukraine war's fatalities in 2022 as a share of the
deadliest state-based conflict-year UCDP recorded since 1989). Both are *anchoring
choices, not estimates*. Every other default is an assumption.

All model functions are pure: they read no files and change nothing. Only
:func:`exposure_table`, :func:`anchored_exposure`, :func:`intensity_table`,
:func:`anchored_intensity` and :func:`anchored_parameters` read ``data/`` (through
:func:`balancing_act.data.load`), and only when called.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from balancing_act import charts
from balancing_act.fallback import KernelFallback
from balancing_act.live.chart import LiveChart
from balancing_act.data import DataError, load

__all__ = [
    "ANCHORED",
    "ASSUMPTION",
    "Balance",
    "INSTRUMENTS",
    "MARKET_GROUPS",
    "MODEL_LABEL",
    "MODEL_SOURCE",
    "ModelError",
    "ModelParameters",
    "OverextensionExplorer",
    "PARAMETERS",
    "ParameterSpec",
    "anchored_exposure",
    "anchored_intensity",
    "anchored_parameters",
    "best_balance",
    "best_of",
    "components_chart",
    "entanglement",
    "evaluate",
    "exposure_chart",
    "exposure_table",
    "grid",
    "influence",
    "instrument_levels",
    "instrument_table",
    "intensity_table",
    "net_heatmap",
    "net_result",
    "parameter_table",
    "reputation",
    "sanctions_by_year",
    "sanctions_risk",
    "sanctions_timeline",
    "slice_along",
    "support_levels",
    "sweep",
    "sweep_chart",
    "tipping_point",
]

#: The label every model output carries.
MODEL_LABEL = "A thinking tool, not a forecast: the numbers are model points that follow from the assumptions set."
#: Source line of the model charts (the last subtitle line of each chart).
MODEL_SOURCE = (
    "Source: course model (balancing_act.topics.overextension); exposure anchored to China's customs data, "
    "Russia's conflict intensity to UCDP fatalities (data/), every other parameter an assumption"
)

ANCHORED = "anchored to data"
ASSUMPTION = "assumption"

#: Partner groups for anchoring ``exposure``: markets whose governments or firms could penalise
#: China, and the two partners the article is about.
MARKET_GROUPS: dict[str, tuple[str, ...]] = {
    "Western and Asian markets": ("United States", "European Union", "Japan", "South Korea", "ASEAN"),
    "Russia and North Korea": ("Russia", "North Korea"),
}

PARTNER_NAMES = {"russia": "Russia", "north_korea": "North Korea"}

#: The three instruments the article names, with the model's choices that set each.
INSTRUMENTS: dict[str, str] = {
    "Material support": "russia, north_korea",
    "Diplomatic silence": "silence",
    "Symbolic gestures": "gestures",
}


class ModelError(ValueError):
    """A model input or parameter is outside its allowed range, or a request cannot be met."""


@dataclass(frozen=True)
class ParameterSpec:
    """What one model parameter means, its allowed range, default and status."""

    name: str
    label: str
    low: float
    high: float
    default: float | None
    kind: str
    meaning: str
    step: float = 0.05

    @property
    def allowed(self) -> str:
        return f"{_fmt(self.low)} to {_fmt(self.high)}"


def _fmt(value: float) -> str:
    return f"{value:g}"


#: Every parameter of the model, in the order the lesson and the explorer show them.
PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "exposure", "Exposure to Western and Asian markets", 0.0, 1.0, None, ANCHORED,
        "Share of China's trade that sits with the US, EU, Japan, South Korea and ASEAN, out of that "
        "plus Russia and North Korea. Multiplies the economic and sanctions risk.",
        0.01,
    ),
    ParameterSpec(
        "russia_intensity", "Intensity of Russia's conflict", 0.0, 1.0, None, ANCHORED,
        "How intense the war Russia is fighting is, from 0 (none) to 1 (the deadliest state-based conflict-year "
        "UCDP recorded since 1989). Multiplies the entanglement risk of commitment to Russia.",
        0.01,
    ),
    ParameterSpec(
        "influence_value", "Value of influence", 0.0, 3.0, 1.0, ASSUMPTION,
        "Model points Beijing would gain from full material support to both partners: how much it values a say "
        "in Moscow and Pyongyang.",
    ),
    ParameterSpec(
        "russia_weight", "Weight of Russia in influence", 0.0, 1.0, 0.7, ASSUMPTION,
        "Share of the value of influence that comes from Russia; North Korea gets the rest.",
    ),
    ParameterSpec(
        "returns", "Returns to support (exponent)", 0.1, 1.0, 0.5, ASSUMPTION,
        "Each instrument's gain grows as its level raised to this power: 1 means every unit counts the same, "
        "lower values mean faster diminishing returns.",
    ),
    ParameterSpec(
        "russia_red_line", "Red line for Russia", 0.0, 1.0, 0.4, ASSUMPTION,
        "Material support to Russia up to which Western governments do not penalise China.",
    ),
    ParameterSpec(
        "north_korea_red_line", "Red line for North Korea", 0.0, 1.0, 0.3, ASSUMPTION,
        "Material support to North Korea up to which Western governments do not penalise China.",
    ),
    ParameterSpec(
        "penalty_jump", "Penalty for crossing a red line", 0.0, 1.0, 0.05, ASSUMPTION,
        "One-off cost, times exposure, as soon as support passes a red line (firms listed, a bank cut off).",
        0.01,
    ),
    ParameterSpec(
        "penalty_growth", "Growth of penalties past a red line", 0.0, 10.0, 2.0, ASSUMPTION,
        "Cost per squared unit of support beyond a red line, times exposure: penalties escalate ever faster.",
        0.1,
    ),
    ParameterSpec(
        "reputation_cost", "Reputational cost of material support", 0.0, 2.0, 0.2, ASSUMPTION,
        "Cost per unit of material support to each partner, in standing with governments everywhere.",
    ),
    ParameterSpec(
        "bloc_penalty", "Bloc penalty", 0.0, 2.0, 0.2, ASSUMPTION,
        "Extra reputational cost of backing both partners at once (support to Russia times support to "
        "North Korea), because together they look like a bloc.",
    ),
    ParameterSpec(
        "north_korea_intensity", "Intensity of North Korea's conflict", 0.0, 1.0, 0.1, ASSUMPTION,
        "How close the Korean peninsula is to war, on the same scale as Russia's (the course has no battle-death "
        "figure for it). Multiplies the entanglement risk of commitment to North Korea.",
    ),
    ParameterSpec(
        "entanglement_cost", "Cost of entanglement", 0.0, 3.0, 0.5, ASSUMPTION,
        "Model points lost to the risk of being drawn into a partner's war, for full material support (and no "
        "gestures) at full conflict intensity.",
    ),
    ParameterSpec(
        "gesture_commitment", "Commitment signalled by gestures", 0.0, 1.0, 0.5, ASSUMPTION,
        "How much a symbolic gesture adds to a partner's reading of China's commitment, compared with material "
        "support (0 = gestures commit to nothing).",
    ),
    ParameterSpec(
        "silence_value", "Value of diplomatic silence", 0.0, 2.0, 0.3, ASSUMPTION,
        "Model points of goodwill from both partners for full silence (never joining others' criticism).",
    ),
    ParameterSpec(
        "silence_cost", "Reputational cost of silence", 0.0, 2.0, 0.1, ASSUMPTION,
        "Cost of full silence in standing with governments that expected China to speak.",
    ),
    ParameterSpec(
        "gesture_value", "Value of symbolic gestures", 0.0, 2.0, 0.3, ASSUMPTION,
        "Model points of goodwill from both partners for the fullest programme of summits, parades and statements.",
    ),
    ParameterSpec(
        "gesture_cost", "Reputational cost of gestures", 0.0, 2.0, 0.15, ASSUMPTION,
        "Cost of the fullest programme of gestures in standing elsewhere: gestures are seen by everyone.",
    ),
)

_SPECS = {spec.name: spec for spec in PARAMETERS}


def _show(value: object) -> str:
    """repr() of a value, with NumPy scalars shown as plain Python numbers."""
    item = getattr(value, "item", None)
    if isinstance(value, np.generic) and callable(item):
        value = item()
    return repr(value)


def _check_number(name: str, value: object, low: float, high: float, what: str) -> float:
    """``value`` as a float if it is a finite real number in [low, high], else ModelError."""
    allowed = f"{_fmt(low)} to {_fmt(high)}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ModelError(
            f"{name} must be a number from {allowed} ({what}), got {_show(value)} of type {type(value).__name__}."
        )
    number = float(value)
    if not math.isfinite(number):
        raise ModelError(f"{name} = {_show(value)} is not a finite number; choose a value from {allowed} ({what}).")
    if not low <= number <= high:
        raise ModelError(
            f"{name} = {_show(value)} is outside the allowed range {allowed} ({what}). Choose a value from {allowed}."
        )
    return number


@dataclass(frozen=True)
class ModelParameters:
    """The eighteen parameters of the overextension model (see :data:`PARAMETERS`).

    ``exposure`` and ``russia_intensity`` have no default: take them from the data with
    :func:`anchored_parameters`, or state your own. Every other field has a documented
    default, which is an assumption. Every value is checked against its allowed range
    when the object is made; a value out of range raises :class:`ModelError` naming the
    parameter, the value and the range.
    """

    exposure: float
    russia_intensity: float
    influence_value: float = 1.0
    russia_weight: float = 0.7
    returns: float = 0.5
    russia_red_line: float = 0.4
    north_korea_red_line: float = 0.3
    penalty_jump: float = 0.05
    penalty_growth: float = 2.0
    reputation_cost: float = 0.2
    bloc_penalty: float = 0.2
    north_korea_intensity: float = 0.1
    entanglement_cost: float = 0.5
    gesture_commitment: float = 0.5
    silence_value: float = 0.3
    silence_cost: float = 0.1
    gesture_value: float = 0.3
    gesture_cost: float = 0.15

    def __post_init__(self) -> None:
        for spec in PARAMETERS:
            value = _check_number(spec.name, getattr(self, spec.name), spec.low, spec.high, spec.label.lower())
            object.__setattr__(self, spec.name, value)

    def replace(self, **changes: float) -> ModelParameters:
        """A copy with some parameters changed (each checked like the originals)."""
        unknown = sorted(set(changes) - set(_SPECS))
        if unknown:
            raise ModelError(f"Unknown parameter(s) {unknown}; the model's parameters are {list(_SPECS)}.")
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, float]:
        """Parameter name -> value, in the order of :data:`PARAMETERS`."""
        return {spec.name: getattr(self, spec.name) for spec in PARAMETERS}


def _check_params(params: object, where: str) -> ModelParameters:
    if not isinstance(params, ModelParameters):
        raise ModelError(
            f"{where}() needs a ModelParameters object, got {type(params).__name__}. "
            "Make one with anchored_parameters() or ModelParameters(exposure=..., russia_intensity=...)."
        )
    return params


def _check_support(name: str, value: object) -> Any:
    """A choice level (a number or an array of numbers) between 0 and 1."""
    what = "0 = none, 1 = the most Beijing could give"
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "fiu" or value.size == 0:
            raise ModelError(f"{name} must be numbers from 0 to 1 ({what}).")
        array = value.astype(float)
        bad = array[~np.isfinite(array) | (array < 0) | (array > 1)]
        if bad.size:
            raise ModelError(f"{name} = {_show(bad[0])} is outside the allowed range 0 to 1 ({what}).")
        return array
    return _check_number(name, value, 0.0, 1.0, what)


# ------------------------------------------------------------------ the model
# Each public function checks its inputs, then calls one private formula; the grid search
# calls the same formulas, so a brute-force loop over evaluate() reproduces it exactly.
def _material_gain(r: Any, k: Any, p: ModelParameters) -> Any:
    return p.influence_value * (p.russia_weight * np.power(r, p.returns) + (1 - p.russia_weight) * np.power(k, p.returns))


def _silence_gain(s: Any, p: ModelParameters) -> Any:
    return p.silence_value * np.power(s, p.returns)


def _gesture_gain(g: Any, p: ModelParameters) -> Any:
    return p.gesture_value * np.power(g, p.returns)


def _penalty(support: Any, red_line: float, p: ModelParameters) -> Any:
    excess = np.maximum(0.0, support - red_line)
    crossed = np.greater(support, red_line).astype(float)
    return p.penalty_jump * crossed + p.penalty_growth * excess**2


def _risk(r: Any, k: Any, p: ModelParameters) -> Any:
    return p.exposure * (_penalty(r, p.russia_red_line, p) + _penalty(k, p.north_korea_red_line, p))


def _material_reputation(r: Any, k: Any, p: ModelParameters) -> Any:
    return p.reputation_cost * (r + k) + p.bloc_penalty * r * k


def _commitment(support: Any, g: Any, p: ModelParameters) -> Any:
    return support + p.gesture_commitment * g


def _entanglement(r: Any, k: Any, g: Any, p: ModelParameters) -> Any:
    return p.entanglement_cost * (
        p.russia_intensity * _commitment(r, g, p) ** 2 + p.north_korea_intensity * _commitment(k, g, p) ** 2
    )


def _parts(r: Any, k: Any, s: Any, g: Any, p: ModelParameters) -> dict[str, Any]:
    gain = _material_gain(r, k, p) + _silence_gain(s, p) + _gesture_gain(g, p)
    risk = _risk(r, k, p)
    rep = _material_reputation(r, k, p) + p.silence_cost * s + p.gesture_cost * g
    ent = _entanglement(r, k, g, p)
    return {"influence": gain, "risk": risk, "reputation": rep, "entanglement": ent, "net": gain - risk - rep - ent}


def _choices(russia: Any, north_korea: Any, silence: Any = 0.0, gestures: Any = 0.0) -> tuple[Any, Any, Any, Any]:
    return (
        _check_support("russia", russia),
        _check_support("north_korea", north_korea),
        _check_support("silence", silence),
        _check_support("gestures", gestures),
    )


def influence(russia: Any, north_korea: Any, params: ModelParameters, silence: Any = 0.0, gestures: Any = 0.0) -> Any:
    """Influence gained (model points): concave in material support to each partner, in silence and in gestures."""
    p = _check_params(params, "influence")
    r, k, s, g = _choices(russia, north_korea, silence, gestures)
    return _material_gain(r, k, p) + _silence_gain(s, p) + _gesture_gain(g, p)


def sanctions_risk(russia: Any, north_korea: Any, params: ModelParameters) -> Any:
    """Economic and sanctions risk (model points) of material support: zero up to each red line, then a jump
    and a convex rise. Silence and gestures carry no sanctions risk."""
    p = _check_params(params, "sanctions_risk")
    r, k, _, _ = _choices(russia, north_korea)
    return _risk(r, k, p)


def reputation(russia: Any, north_korea: Any, params: ModelParameters, silence: Any = 0.0, gestures: Any = 0.0) -> Any:
    """Reputational cost (model points): linear in each instrument, plus a bloc penalty for backing both partners."""
    p = _check_params(params, "reputation")
    r, k, s, g = _choices(russia, north_korea, silence, gestures)
    return _material_reputation(r, k, p) + p.silence_cost * s + p.gesture_cost * g


def entanglement(russia: Any, north_korea: Any, params: ModelParameters, gestures: Any = 0.0) -> Any:
    """Entanglement (model points): the risk of being drawn into a partner's conflict.

    Rises with material support and with gestures (through the commitment they signal),
    and with each partner's conflict intensity; convex in commitment. Silence adds none.
    """
    p = _check_params(params, "entanglement")
    r, k, _, g = _choices(russia, north_korea, 0.0, gestures)
    return _entanglement(r, k, g, p)


def net_result(russia: Any, north_korea: Any, params: ModelParameters, silence: Any = 0.0, gestures: Any = 0.0) -> Any:
    """Net result (model points) = influence - sanctions risk - reputational cost - entanglement."""
    p = _check_params(params, "net_result")
    return _parts(*_choices(russia, north_korea, silence, gestures), p)["net"]


def evaluate(
    russia: float, north_korea: float, params: ModelParameters, silence: float = 0.0, gestures: float = 0.0
) -> dict[str, float]:
    """All five outputs for one choice, as plain floats: influence, risk, reputation, entanglement, net."""
    p = _check_params(params, "evaluate")
    return {key: float(value) for key, value in _parts(*_choices(russia, north_korea, silence, gestures), p).items()}


def instrument_table(
    russia: float, north_korea: float, silence: float, gestures: float, params: ModelParameters
) -> pd.DataFrame:
    """What each of the three instruments brings and costs at one choice (model points).

    One row per instrument: ``instrument``, ``level`` (as text), ``gain``, ``sanctions_risk``,
    ``reputational_cost``, ``entanglement`` and ``net``. Entanglement comes from material
    support and gestures together; it is split between them in proportion to what each adds
    to each partner's commitment, so the rows add up to the model's totals.
    """
    p = _check_params(params, "instrument_table")
    r, k, s, g = (float(v) for v in _choices(russia, north_korea, silence, gestures))
    ent_material = ent_gestures = 0.0
    for support, intensity in ((r, p.russia_intensity), (k, p.north_korea_intensity)):
        total = p.entanglement_cost * intensity * _commitment(support, g, p) ** 2
        signal = support + p.gesture_commitment * g
        if signal > 0:
            ent_material += total * support / signal
            ent_gestures += total * p.gesture_commitment * g / signal
    rows = [
        ("Material support", f"Russia {r:.2f}, North Korea {k:.2f}", float(_material_gain(r, k, p)), float(_risk(r, k, p)),
         float(_material_reputation(r, k, p)), ent_material),
        ("Diplomatic silence", f"{s:.2f}", float(_silence_gain(s, p)), 0.0, p.silence_cost * s, 0.0),
        ("Symbolic gestures", f"{g:.2f}", float(_gesture_gain(g, p)), 0.0, p.gesture_cost * g, ent_gestures),
    ]
    out = pd.DataFrame(rows, columns=["instrument", "level", "gain", "sanctions_risk", "reputational_cost", "entanglement"])
    out["net"] = out["gain"] - out["sanctions_risk"] - out["reputational_cost"] - out["entanglement"]
    out.attrs.update(source=MODEL_SOURCE, label=MODEL_LABEL)
    return out


def _levels(points: object, name: str, example: str) -> np.ndarray:
    if isinstance(points, bool) or not isinstance(points, numbers.Integral) or not 2 <= points <= 201:
        raise ModelError(f"{name} = {points!r} must be a whole number from 2 to 201 ({example}).")
    return np.round(np.linspace(0.0, 1.0, int(points)), 10)


def support_levels(points: int = 21) -> np.ndarray:
    """The material support levels searched: ``points`` evenly spaced values from 0 to 1 (21 gives steps of 0.05)."""
    return _levels(points, "points", "21 gives steps of 0.05")


def instrument_levels(points: int = 11) -> np.ndarray:
    """The levels of silence and of gestures searched: ``points`` values from 0 to 1 (11 gives steps of 0.1)."""
    return _levels(points, "instrument_points", "11 gives steps of 0.1")


@dataclass(frozen=True)
class Balance:
    """One choice of the four instruments and what the model says it yields."""

    russia: float
    north_korea: float
    silence: float
    gestures: float
    influence: float
    risk: float
    reputation: float
    entanglement: float
    net: float

    def __repr__(self) -> str:
        return (
            f"Balance(russia={self.russia:.2f}, north_korea={self.north_korea:.2f}, silence={self.silence:.2f}, "
            f"gestures={self.gestures:.2f}, influence={self.influence:.3f}, risk={self.risk:.3f}, "
            f"reputation={self.reputation:.3f}, entanglement={self.entanglement:.3f}, net={self.net:.3f})"
        )

    def _repr_html_(self) -> str:
        """What a notebook shows: the choice and its result in words (the repr is for developers)."""
        return (
            f"<p>Material support to Russia <b>{self.russia:.2f}</b> and to North Korea <b>{self.north_korea:.2f}</b>, "
            f"diplomatic silence <b>{self.silence:.2f}</b>, symbolic gestures <b>{self.gestures:.2f}</b>: "
            f"influence {self.influence:.3f}, sanctions risk {self.risk:.3f}, reputational cost {self.reputation:.3f}, "
            f"entanglement {self.entanglement:.3f}, net result <b>{self.net:.3f}</b> (model points).</p>"
        )

    def past_red_line(self, params: ModelParameters) -> bool:
        """Whether this choice crosses either partner's red line."""
        return self.russia > params.russia_red_line or self.north_korea > params.north_korea_red_line

    def at_edge(self) -> bool:
        """Whether either material support is at an extreme (0 or 1)."""
        return any(v in (0.0, 1.0) for v in (self.russia, self.north_korea))


_OUTPUTS = ("influence", "risk", "reputation", "entanglement", "net")


def grid(params: ModelParameters, points: int = 21, instrument_points: int = 11) -> pd.DataFrame:
    """Every mix of material support to Russia and to North Korea, with silence and gestures at their best for it.

    For each mix the search tries every level of silence and of gestures
    (:func:`instrument_levels`) and keeps the one with the highest net result (ties go to
    the lower silence, then the lower gestures). Columns ``russia_support``,
    ``north_korea_support``, ``silence``, ``gestures``, ``influence``, ``risk``,
    ``reputation``, ``entanglement``, ``net``; rows ordered by support to Russia, then to
    North Korea.
    """
    p = _check_params(params, "grid")
    levels = support_levels(points)
    extra = instrument_levels(instrument_points)
    # Sparse axes: each formula works on the axes it depends on (a power of support to Russia on its
    # 21 levels, not on every mix) and broadcasting makes the full grid where terms meet: the same
    # operations on the same numbers, so the same results, in a fraction of the time.
    r, k, s, g = np.meshgrid(levels, levels, extra, extra, indexing="ij", sparse=True)
    parts = _parts(r, k, s, g, p)
    n, m = levels.size, extra.size
    shape = (n, n, m, m)
    flat_net = np.broadcast_to(parts["net"], shape).reshape(n * n, m * m)
    pick = np.argmax(flat_net, axis=1)
    rows = np.arange(n * n)

    def chosen(values: Any) -> np.ndarray:
        return np.broadcast_to(values, shape).reshape(n * n, m * m)[rows, pick]

    frame = pd.DataFrame(
        {
            "russia_support": chosen(r),
            "north_korea_support": chosen(k),
            "silence": chosen(s),
            "gestures": chosen(g),
            **{key: chosen(parts[key]) for key in _OUTPUTS},
        }
    )
    frame.attrs["source"] = MODEL_SOURCE
    frame.attrs["label"] = MODEL_LABEL
    return frame


def _balance_of(row: pd.Series) -> Balance:
    return Balance(
        russia=float(row["russia_support"]),
        north_korea=float(row["north_korea_support"]),
        silence=float(row["silence"]),
        gestures=float(row["gestures"]),
        **{key: float(row[key]) for key in _OUTPUTS},
    )


def best_of(frame: pd.DataFrame) -> Balance:
    """The row of a :func:`grid` frame with the highest net result (ties go to the first in grid order)."""
    charts.require_frame(frame, ["russia_support", "north_korea_support", "silence", "gestures", *_OUTPUTS], "best_of")
    return _balance_of(frame.iloc[int(np.argmax(frame["net"].to_numpy()))])


def best_balance(params: ModelParameters, points: int = 21, instrument_points: int = 11) -> Balance:
    """The choice of all four instruments with the highest net result on the search grid.

    Ties go to the first in grid order (lower support to Russia, then to North Korea, then
    lower silence, then lower gestures).
    """
    return best_of(grid(params, points, instrument_points))


_COMPONENTS = {
    "influence": "Influence gained",
    "risk": "Economic and sanctions risk",
    "reputation": "Reputational cost",
    "entanglement": "Entanglement",
    "net": "Net result",
}


def slice_along(
    params: ModelParameters,
    partner: str = "russia",
    at: float | None = None,
    points: int = 21,
    *,
    silence: float | None = None,
    gestures: float | None = None,
) -> pd.DataFrame:
    """The five outputs as material support to one partner varies, everything else held fixed.

    ``partner`` is ``"russia"`` or ``"north_korea"``; ``at`` (support to the other partner),
    ``silence`` and ``gestures`` default to their levels in the best balance. Long format:
    ``support``, ``component``, ``value``; ``attrs`` record the partner, the fixed levels and
    the red line.
    """
    p = _check_params(params, "slice_along")
    if partner not in PARTNER_NAMES:
        raise ModelError(f"partner = {partner!r} is not known; use 'russia' or 'north_korea'.")
    other = "north_korea" if partner == "russia" else "russia"
    best = best_balance(p, points) if None in (at, silence, gestures) else None
    at = getattr(best, other) if at is None else at
    silence = best.silence if silence is None else silence  # type: ignore[union-attr]
    gestures = best.gestures if gestures is None else gestures  # type: ignore[union-attr]
    fixed = _check_support(f"at (support to {PARTNER_NAMES[other]})", at)
    s = _check_support("silence", silence)
    g = _check_support("gestures", gestures)
    levels = support_levels(points)
    others = np.full_like(levels, fixed)
    r, k = (levels, others) if partner == "russia" else (others, levels)
    values = _parts(r, k, s, g, p)
    # one block of rows per output, in the order of _OUTPUTS (built from whole columns: the explorer
    # draws a slice at every change)
    frame = pd.DataFrame(
        {
            "support": np.tile(levels.astype(float), len(_OUTPUTS)),
            "component": np.repeat([_COMPONENTS[key] for key in _OUTPUTS], levels.size).astype(object),
            "value": np.concatenate([np.broadcast_to(values[key], levels.shape).astype(float) for key in _OUTPUTS]),
        }
    )
    frame.attrs.update(
        source=MODEL_SOURCE,
        label=MODEL_LABEL,
        partner=partner,
        other=other,
        fixed=float(fixed),
        silence=float(s),
        gestures=float(g),
        red_line=getattr(p, f"{partner}_red_line"),
    )
    return frame


def sweep(
    params: ModelParameters, name: str, values: Iterable[float], points: int = 21, instrument_points: int = 11
) -> pd.DataFrame:
    """The best balance as one parameter takes each of ``values`` (all else as in ``params``).

    Columns ``value``, ``best_russia``, ``best_north_korea``, ``best_silence``,
    ``best_gestures``, ``best_net``, ``past_red_line`` (the best balance crosses a red line)
    and ``at_edge`` (a material support is at 0 or 1), in the order of ``values``.
    """
    p = _check_params(params, "sweep")
    if name not in _SPECS:
        raise ModelError(f"Unknown parameter {name!r}; choose one of {list(_SPECS)}.")
    rows = []
    for value in values:
        changed = p.replace(**{name: value})
        best = best_balance(changed, points, instrument_points)
        rows.append(
            {
                "value": float(getattr(changed, name)),
                "best_russia": best.russia,
                "best_north_korea": best.north_korea,
                "best_silence": best.silence,
                "best_gestures": best.gestures,
                "best_net": best.net,
                "past_red_line": best.past_red_line(changed),
                "at_edge": best.at_edge(),
            }
        )
    if not rows:
        raise ModelError("sweep() was given no values; pass a list such as [0.0, 0.5, 1.0].")
    frame = pd.DataFrame(rows)
    frame.attrs.update(source=MODEL_SOURCE, label=MODEL_LABEL, parameter=name, current=getattr(p, name))
    return frame


def tipping_point(swept: pd.DataFrame, condition: str = "past_red_line") -> float | None:
    """The first swept value at which ``condition`` (a boolean column of :func:`sweep`) holds, or None."""
    charts.require_frame(swept, ["value", condition], "tipping_point")
    hits = swept.loc[swept[condition].astype(bool), "value"]
    return None if hits.empty else float(hits.iloc[0])


# --------------------------------------------------------------- anchoring
def exposure_table(year: int = 2023, trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """China's goods trade in ``year`` with each partner of :data:`MARKET_GROUPS`.

    Columns ``group``, ``partner``, ``total_usd_bn`` and ``share_pct`` (percent of the
    seven partners together). Raises :class:`balancing_act.data.DataError` naming the
    missing partners when a year lacks any of them.
    """
    trade = load("china_customs_trade") if trade is None else trade
    charts.require_frame(trade, ["year", "partner", "total_usd_bn"], "exposure_table")
    wanted = [(group, partner) for group, members in MARKET_GROUPS.items() for partner in members]
    known = trade.dropna(subset=["total_usd_bn"])
    rows = known[known["year"] == year].set_index("partner")["total_usd_bn"]
    missing = [partner for _, partner in wanted if partner not in rows.index]
    if missing:
        complete = sorted(
            int(y) for y, g in known.groupby("year") if all(partner in set(g["partner"]) for _, partner in wanted)
        )
        raise DataError(
            f"No {year!r} trade figure for {missing}, so exposure cannot be anchored to {year!r}. "
            f"Years with all seven partners: {complete}."
        )
    out = pd.DataFrame(
        [{"group": group, "partner": partner, "total_usd_bn": float(rows[partner])} for group, partner in wanted]
    )
    out["share_pct"] = 100 * out["total_usd_bn"] / out["total_usd_bn"].sum()
    out.attrs["source"] = str(trade.attrs.get("source", ""))
    out.attrs["year"] = year
    return out


def anchored_exposure(year: int = 2023, trade: pd.DataFrame | None = None) -> float:
    """The exposure parameter anchored to customs data: trade with the Western and Asian
    markets as a share of trade with them plus Russia and North Korea (0 to 1).

    An anchoring choice, not an estimate: other groupings are defensible.
    """
    table = exposure_table(year, trade)
    sums = table.groupby("group")["total_usd_bn"].sum()
    return float(sums["Western and Asian markets"] / sums.sum())


#: The conflict the model's ``russia_intensity`` is anchored on, as UCDP names it.
RUSSIA_CONFLICT = "Russia-Ukraine"


def intensity_table(fatalities: pd.DataFrame | None = None) -> pd.DataFrame:
    """UCDP's fatalities per conflict-year with each as a share of the deadliest one listed.

    Columns ``year``, ``conflict``, ``fatalities_more_than`` and ``share_of_deadliest``
    (0 to 1), deadliest first. ``fatalities`` defaults to ``data/ucdp_conflict_fatalities.csv``.
    """
    fatalities = load("ucdp_conflict_fatalities") if fatalities is None else fatalities
    charts.require_frame(fatalities, ["year", "conflict", "fatalities_more_than"], "intensity_table")
    if fatalities.empty:
        raise DataError("intensity_table(): the fatalities table has no rows; restore data/ucdp_conflict_fatalities.csv.")
    out = fatalities[["year", "conflict", "fatalities_more_than"]].sort_values("fatalities_more_than", ascending=False)
    out = out.reset_index(drop=True)
    out["share_of_deadliest"] = out["fatalities_more_than"] / float(out["fatalities_more_than"].max())
    out.attrs["source"] = str(fatalities.attrs.get("source", ""))
    return out


def anchored_intensity(fatalities: pd.DataFrame | None = None, conflict: str = RUSSIA_CONFLICT) -> float:
    """The conflict intensity for Russia anchored to UCDP: the Russia-Ukraine war's fatalities as a share
    of the deadliest state-based conflict-year in the table (0 to 1).

    An anchoring choice, not an estimate: the scale could as well be set by another war or year.
    """
    table = intensity_table(fatalities)
    rows = table[table["conflict"] == conflict]
    if rows.empty:
        raise DataError(
            f"No fatalities figure for the conflict {conflict!r}; the table lists {table['conflict'].tolist()}."
        )
    return float(rows["share_of_deadliest"].iloc[0])


def anchored_parameters(
    year: int = 2023,
    trade: pd.DataFrame | None = None,
    fatalities: pd.DataFrame | None = None,
    **changes: float,
) -> ModelParameters:
    """Model parameters with exposure anchored to the trade data of ``year``, Russia's conflict intensity
    anchored to the UCDP figures and the other defaults, with any ``changes`` applied."""
    base = ModelParameters(exposure=anchored_exposure(year, trade), russia_intensity=anchored_intensity(fatalities))
    return base.replace(**changes)


def parameter_table(params: ModelParameters) -> pd.DataFrame:
    """One row per parameter: value in use, default, allowed range, status and meaning."""
    p = _check_params(params, "parameter_table")
    rows = [
        {
            "parameter": spec.name,
            "label": spec.label,
            "value": getattr(p, spec.name),
            "default": "from data" if spec.default is None else _fmt(spec.default),
            "allowed": spec.allowed,
            "status": spec.kind,
            "meaning": spec.meaning,
        }
        for spec in PARAMETERS
    ]
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ evidence
def sanctions_by_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Count of measures per year in ``sanctions_measures``: Western measures and China's responses.

    Columns ``year``, ``western_measures``, ``china_responses``. The dataset is a
    selection of main measures, so counts show a pattern, not an intensity.
    """
    charts.require_frame(frame, ["date", "actor"], "sanctions_by_year")
    data = frame.assign(year=frame["date"].str[:4].astype(int), china=frame["actor"].eq("China"))
    out = (
        data.groupby("year")
        .agg(western_measures=("china", lambda s: int((~s).sum())), china_responses=("china", lambda s: int(s.sum())))
        .reset_index()
    )
    out.attrs["source"] = str(frame.attrs.get("source", ""))
    return out


# -------------------------------------------------------------------- charts
def _model_finish(chart: alt.Chart, title: str, description: str, **size: int) -> alt.Chart:
    """charts.finish() with the model label as first subtitle line and the source as last."""
    done = charts.finish(chart, title, MODEL_SOURCE, f"{MODEL_LABEL} {description}", **size)
    return done.properties(title=alt.TitleParams(text=title, subtitle=[MODEL_LABEL, MODEL_SOURCE], anchor="start"))


def exposure_chart(table: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """Bars of China's trade with each partner used to anchor ``exposure``, coloured by group."""
    charts.require_frame(table, ["group", "partner", "total_usd_bn"], "exposure_chart")
    cite = charts.source_of(table, source, "exposure_chart")
    data = table[["group", "partner", "total_usd_bn"]].copy()
    data["share_pct"] = 100 * data["total_usd_bn"] / data["total_usd_bn"].sum()
    year = table.attrs.get("year")
    sums = data.groupby("group", sort=False)["total_usd_bn"].sum()
    order = list(MARKET_GROUPS)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("partner:N", sort="-x", title=None),
            x=alt.X("total_usd_bn:Q", title="China's goods trade, billion US dollars"),
            color=alt.Color("group:N", title=None, sort=order),
            tooltip=[
                alt.Tooltip("partner:N", title="Partner"),
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("total_usd_bn:Q", title="Billion US$", format=",.1f"),
                alt.Tooltip("share_pct:Q", title="Share of the seven (%)", format=".1f"),
            ],
        )
    )
    total = float(sums.sum())
    parts = "; ".join(f"{g} {v:,.1f} billion ({100 * v / total:.1f}%)" for g, v in sums.items())
    when = f" in {year}" if year is not None else ""
    description = (
        f"Bar chart of China's goods trade{when} with seven partners, in billion US dollars, grouped: {parts}. "
        f"The first group's share is the anchored exposure, {float(sums.iloc[0] / total):.3f}."
    )
    heading = title or f"What is at stake: China's trade with the two groups{when}"
    return charts.finish(chart, heading, cite, description, height=200)


def sanctions_timeline(frame: pd.DataFrame, *, title: str | None = None, source: str | None = None) -> alt.Chart:
    """Dots by date and actor: Western measures against Chinese firms over Russia, and China's responses."""
    charts.require_frame(frame, ["date", "actor", "measure", "target"], "sanctions_timeline")
    cite = charts.source_of(frame, source, "sanctions_timeline")
    data = frame[["date", "actor", "measure", "target"]].copy()
    data["kind"] = np.where(data["actor"].eq("China"), "China's response", "Measure touching Chinese firms")
    actors = [a for a in dict.fromkeys(data["actor"]) if a != "China"] + (["China"] if data["actor"].eq("China").any() else [])
    chart = (
        alt.Chart(data)
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X("date:T", title="Date announced"),
            y=alt.Y("actor:N", title=None, sort=actors),
            color=alt.Color("kind:N", title=None, sort=["Measure touching Chinese firms", "China's response"]),
            shape=alt.Shape("kind:N", legend=None, sort=["Measure touching Chinese firms", "China's response"]),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
                alt.Tooltip("actor:N", title="Actor"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("target:N", title="Target"),
            ],
        )
    )
    counts = sanctions_by_year(frame)
    parts = "; ".join(
        f"{r.year}: {r.western_measures} measures, {r.china_responses} Chinese responses" for r in counts.itertuples()
    )
    description = (
        f"Timeline of {len(data)} entries from {data['date'].min()} to {data['date'].max()}: Western measures that "
        f"listed or threatened Chinese firms over support for Russia's war, and China's responses. By year: {parts}."
    )
    return charts.finish(chart, title or "Penalties are not hypothetical: measures touching Chinese firms, 2022-2025", cite, description, height=180)


def _ticks(levels: Sequence[float]) -> list[float]:
    stride = max(1, (len(levels) - 1) // 10)
    return [float(v) for v in levels[::stride]]


def _heatmap_markers(cells: pd.DataFrame, best: Balance, choice: tuple[float, float] | None) -> list[dict[str, Any]]:
    """The marker rows of :func:`net_heatmap`: the best balance and, if given, the grid cell of the choice."""
    markers: list[dict[str, Any]] = [
        {"russia_support": round(best.russia, 4), "north_korea_support": round(best.north_korea, 4), "marker": "Best balance", "net": round(best.net, 4)}
    ]
    if choice is not None:
        r = _check_support("choice (support to Russia)", choice[0])
        k = _check_support("choice (support to North Korea)", choice[1])
        levels = np.sort(cells["russia_support"].unique())
        near_r = float(levels[np.argmin(np.abs(levels - r))])  # the grid cell holding the choice
        near_k = float(levels[np.argmin(np.abs(levels - k))])
        cell = cells[(cells["russia_support"] == near_r) & (cells["north_korea_support"] == near_k)]
        markers.append(
            {"russia_support": near_r, "north_korea_support": near_k, "marker": "Your choice", "net": float(cell["net"].iloc[0])}
        )
    return markers


def _heat_description(low: float, high: float, best: Balance) -> str:
    return (
        f"Heatmap of the model's net result over material support to Russia (horizontal) and to North Korea "
        f"(vertical), each from 0 to 1, with silence and gestures at their best for each mix. Net ranges from "
        f"{low:.3f} to {high:.3f} model points. Best balance: support to Russia {best.russia:.2f}, to North Korea "
        f"{best.north_korea:.2f}, silence {best.silence:.1f}, gestures {best.gestures:.1f}, net {best.net:.3f}."
    )


_HEAT_COLUMNS = ["russia_support", "north_korea_support", "silence", "gestures", "net", "influence", "risk", "reputation", "entanglement"]


def _choice_text(markers: list[dict[str, Any]]) -> str:
    mine = markers[1]
    return f" Your choice: {mine['russia_support']:.2f} and {mine['north_korea_support']:.2f}, net {mine['net']:.3f}."


def net_heatmap(frame: pd.DataFrame, best: Balance, *, choice: tuple[float, float] | None = None, title: str | None = None) -> alt.Chart:
    """Heatmap of the net result over (support to Russia, support to North Korea), best balance marked.

    ``frame`` is :func:`grid`'s output; ``best`` its :func:`best_balance`; ``choice``
    (support to Russia, support to North Korea) adds a marker for the learner's choice.
    """
    columns = _HEAT_COLUMNS
    charts.require_frame(frame, columns, "net_heatmap")
    if not isinstance(best, Balance):
        raise charts.ChartInputError(f"net_heatmap() needs best= a Balance from best_balance(), got {type(best).__name__}.")
    cells = frame[columns].round(4)
    levels = sorted(cells["russia_support"].unique())
    ticks = _ticks(levels)
    low, high = float(cells["net"].min()), float(cells["net"].max())
    x = alt.X(
        "russia_support:O", title="Material support to Russia (0 = none, 1 = the most possible)",
        axis=alt.Axis(values=ticks, labelAngle=0, format=".1f"),
    )
    y = alt.Y(
        "north_korea_support:O", title="Material support to North Korea (0 to 1)", sort="descending",
        axis=alt.Axis(values=ticks, format=".1f"),
    )
    tooltip = [
        alt.Tooltip("russia_support:O", title="Support to Russia", format=".2f"),
        alt.Tooltip("north_korea_support:O", title="Support to North Korea", format=".2f"),
        alt.Tooltip("net:Q", title="Net result (model points)", format=".3f"),
        alt.Tooltip("influence:Q", title="Influence gained", format=".3f"),
        alt.Tooltip("risk:Q", title="Economic and sanctions risk", format=".3f"),
        alt.Tooltip("reputation:Q", title="Reputational cost", format=".3f"),
        alt.Tooltip("entanglement:Q", title="Entanglement", format=".3f"),
        alt.Tooltip("silence:Q", title="Best silence for this mix", format=".1f"),
        alt.Tooltip("gestures:Q", title="Best gestures for this mix", format=".1f"),
    ]
    scale = alt.Scale(scheme="blueorange", reverse=True, domainMid=0) if low < 0 < high else alt.Scale(scheme="blues")
    heat = (
        alt.Chart(cells)
        .mark_rect()
        .encode(x=x, y=y, color=alt.Color("net:Q", title="Net result (model points)", scale=scale), tooltip=tooltip)
    )
    markers = _heatmap_markers(cells, best, choice)
    marker_domain = [m["marker"] for m in markers]
    marks = (
        alt.Chart(pd.DataFrame(markers))
        .mark_point(filled=True, size=220, stroke="black", strokeWidth=1.5, fill="white")
        .encode(
            x=alt.X("russia_support:O"),
            y=alt.Y("north_korea_support:O", sort="descending"),
            shape=alt.Shape("marker:N", title="Marker", scale=alt.Scale(domain=marker_domain, range=["diamond", "cross"][: len(markers)])),
            tooltip=[
                alt.Tooltip("marker:N", title="Marker"),
                alt.Tooltip("russia_support:O", title="Support to Russia", format=".2f"),
                alt.Tooltip("north_korea_support:O", title="Support to North Korea", format=".2f"),
                alt.Tooltip("net:Q", title="Net result (model points)", format=".3f"),
            ],
        )
    )
    description = _heat_description(low, high, best)
    if choice is not None:
        description += _choice_text(markers)
    return _model_finish(alt.layer(heat, marks), title or "Where is the best balance? Net result of the model", description, width=340, height=340)


def _slice_description(frame: pd.DataFrame, data: pd.DataFrame, order: Sequence[str]) -> str:
    """The text alternative of :func:`components_chart` (also used when the explorer redraws a slice)."""
    partner = frame.attrs.get("partner", "russia")
    other = frame.attrs.get("other", "north_korea" if partner == "russia" else "russia")
    name, other_name = PARTNER_NAMES.get(partner, partner), PARTNER_NAMES.get(other, other)
    fixed = frame.attrs.get("fixed")
    red_line = frame.attrs.get("red_line")
    # plain arrays: the explorer describes a new slice at every change
    components = data["component"].to_numpy()
    values = data["value"].to_numpy(dtype=float)
    rows = {c: np.flatnonzero(components == c) for c in set(order) | {"Net result"}}
    best_text = ""
    net = rows["Net result"]
    if net.size:
        top = net[int(np.argmax(values[net]))]
        best_text = (
            f" Along this line the net result is highest at support {float(data['support'].iloc[top]):.2f} "
            f"({values[top]:.3f} points)."
        )
    held = f" with support to {other_name} held at {fixed:.2f}" if fixed is not None else ""
    if frame.attrs.get("silence") is not None and frame.attrs.get("gestures") is not None:
        held += f", silence at {frame.attrs['silence']:.2f} and gestures at {frame.attrs['gestures']:.2f}"
    return (
        f"{MODEL_LABEL} Line chart of the model's outputs as support to {name} goes from 0 to 1{held}: "
        + "; ".join(
            f"{c} from {values[rows[c][0]]:.3f} to {values[rows[c][-1]]:.3f}"
            for c in order
        )
        + "."
        + (f" The red line is at {red_line:.2f}." if red_line is not None else "")
        + best_text
    )


def components_chart(frame: pd.DataFrame, *, title: str | None = None) -> alt.Chart:
    """Lines of the four outputs along one partner's support (from :func:`slice_along`),
    with the partner's red line and the best point of the slice marked."""
    charts.require_frame(frame, ["support", "component", "value"], "components_chart")
    partner = frame.attrs.get("partner", "russia")
    other = frame.attrs.get("other", "north_korea" if partner == "russia" else "russia")
    name, other_name = PARTNER_NAMES.get(partner, partner), PARTNER_NAMES.get(other, other)
    fixed = frame.attrs.get("fixed")
    red_line = frame.attrs.get("red_line")
    data = frame[["support", "component", "value"]].round(4)
    order = [c for c in _COMPONENTS.values() if c in set(data["component"])]
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("support:Q", title=f"Material support to {name} (0 to 1)", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("value:Q", title="Model points"),
            color=alt.Color("component:N", title=None, sort=order),
            strokeDash=alt.StrokeDash("component:N", legend=None, sort=order),
            tooltip=[
                alt.Tooltip("component:N", title="Output"),
                alt.Tooltip("support:Q", title=f"Support to {name}", format=".2f"),
                alt.Tooltip("value:Q", title="Model points", format=".3f"),
            ],
        )
    )
    layers: list[alt.Chart] = [lines]
    if red_line is not None:
        rule = pd.DataFrame([{"support": float(red_line), "label": f"Red line for {name}"}])
        layers.append(
            alt.Chart(rule)
            .mark_rule(strokeDash=[2, 2], color="gray")
            .encode(x="support:Q", tooltip=[alt.Tooltip("label:N", title="Marker"), alt.Tooltip("support:Q", title="Support", format=".2f")])
        )
    description = _slice_description(frame, data, order)
    heading = title or f"Inside the trade-off: gains and costs as material support to {name} rises"
    return _model_finish(alt.layer(*layers), heading, description.removeprefix(f"{MODEL_LABEL} "), width=480, height=260)


def sweep_chart(frame: pd.DataFrame, *, title: str | None = None) -> alt.Chart:
    """Best support to each partner as one parameter varies (from :func:`sweep`)."""
    charts.require_frame(frame, ["value", "best_russia", "best_north_korea"], "sweep_chart")
    name = str(frame.attrs.get("parameter", "parameter"))
    label = _SPECS[name].label if name in _SPECS else name
    names = {"best_russia": "Russia", "best_north_korea": "North Korea", "best_silence": "Silence", "best_gestures": "Gestures"}
    kept = [c for c in names if c in frame.columns]
    order = [names[c] for c in kept]
    data = frame[["value", *kept]].rename(columns=names).melt("value", var_name="partner", value_name="best_support")
    lines = (
        alt.Chart(data)
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("value:Q", title=f"{label} (parameter value)"),
            y=alt.Y("best_support:Q", title="Best level (0 to 1)", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("partner:N", title="Material support to, or instrument", sort=order),
            strokeDash=alt.StrokeDash("partner:N", legend=None, sort=order),
            tooltip=[
                alt.Tooltip("value:Q", title=label, format=".2f"),
                alt.Tooltip("partner:N", title="Support to, or instrument"),
                alt.Tooltip("best_support:Q", title="Best level", format=".2f"),
            ],
        )
    )
    layers: list[alt.Chart] = [lines]
    current = frame.attrs.get("current")
    if current is not None:
        rule = pd.DataFrame([{"value": round(float(current), 4), "label": "Value in use"}])
        layers.append(
            alt.Chart(rule)
            .mark_rule(strokeDash=[2, 2], color="gray")
            .encode(x="value:Q", tooltip=[alt.Tooltip("label:N", title="Marker"), alt.Tooltip("value:Q", title=label, format=".3f")])
        )
    first, last = frame.iloc[0], frame.iloc[-1]
    tip = tipping_point(frame) if "past_red_line" in frame.columns else None
    description = (
        f"Line chart of the model's best material support to Russia and to North Korea as the parameter '{label}' goes from "
        f"{first['value']:.2f} to {last['value']:.2f}. At {first['value']:.2f}: Russia {first['best_russia']:.2f}, "
        f"North Korea {first['best_north_korea']:.2f}; at {last['value']:.2f}: Russia {last['best_russia']:.2f}, "
        f"North Korea {last['best_north_korea']:.2f}"
        + (
            f" Best silence goes from {first['best_silence']:.1f} to {last['best_silence']:.1f}, best gestures from "
            f"{first['best_gestures']:.1f} to {last['best_gestures']:.1f}."
            if "best_silence" in frame.columns and "best_gestures" in frame.columns
            else ""
        )
        + (f" The best balance first crosses a red line at {tip:.2f}." if tip is not None else "")
        + (f" The dotted rule marks the value in use, {float(current):.3f}." if current is not None else "")
    )
    return _model_finish(alt.layer(*layers), title or f"When does calibration break down? The best balance as one parameter changes: {label}", description, width=480, height=240)


# ------------------------------------------------------------------ explorer
_CHOICES: tuple[tuple[str, str, float, str], ...] = (
    ("russia_support", "Material support to Russia", 0.05, "0 = none, 1 = the most Beijing could give"),
    ("north_korea_support", "Material support to North Korea", 0.05, "0 = none, 1 = the most Beijing could give"),
    ("silence", "Diplomatic silence", 0.1, "0 = joins others' criticism, 1 = never criticises either partner"),
    ("gestures", "Symbolic gestures", 0.1, "0 = none, 1 = the fullest programme of summits, parades and statements"),
)


def _choice_trait(label: str, meaning: str) -> traitlets.Float:
    return traitlets.Float(0.5, help=f"{label}, from 0 to 1 ({meaning}).").tag(sync=False)


def _param_trait(name: str) -> traitlets.Float:
    spec = _SPECS[name]
    return traitlets.Float(
        spec.default if spec.default is not None else 0.0,
        help=f"{spec.label} ({spec.kind}; allowed {spec.allowed}): {spec.meaning}",
    ).tag(sync=False)


def _with_layer_data(spec: dict[str, Any], layer: int, records: list[dict[str, Any]], description: str) -> dict[str, Any]:
    """A copy of ``spec`` whose layer ``layer`` draws ``records`` and whose description is ``description``.

    Only the changed parts are new; the rest (scales, titles, other layers, config) is shared with ``spec``.
    """
    layers = list(spec["layer"])
    layers[layer] = {**layers[layer], "data": {"values": records}}
    return {**spec, "layer": layers, "description": description}


def _instrument_html(table: pd.DataFrame) -> str:
    head = "".join(
        f"<th>{escape(h)}</th>"
        for h in ("Instrument", "Level", "Gain", "Sanctions risk", "Reputational cost", "Entanglement", "Net")
    )
    body = "".join(
        "<tr>"
        + f"<td>{escape(str(row.instrument))}</td><td>{escape(str(row.level))}</td>"
        + "".join(
            f"<td>{value:.3f}</td>"
            for value in (row.gain, row.sanctions_risk, row.reputational_cost, row.entanglement, row.net)
        )
        + "</tr>"
        for row in table.itertuples()
    )
    return f"<table><caption>What each instrument brings and costs at your choice (model points)</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class OverextensionExplorer(KernelFallback, widgets.VBox):
    """Change the numbers; see the model's best balance, your choice and the trade-off.

    Every control (a number box with step arrows and a label) sets a validated trait:
    ``russia_support``, ``north_korea_support``, ``silence`` and ``gestures`` (your choice)
    and one trait per parameter of :data:`PARAMETERS`. A change of a parameter recomputes
    the search grid once; a change of your choice only moves your marker and redraws what
    depends on it (the heatmap is left alone when only silence or gestures change). A
    thinking tool, not a forecast.
    """

    russia_support = _choice_trait(*_CHOICES[0][1:2], _CHOICES[0][3])
    north_korea_support = _choice_trait(*_CHOICES[1][1:2], _CHOICES[1][3])
    silence = _choice_trait(*_CHOICES[2][1:2], _CHOICES[2][3])
    gestures = _choice_trait(*_CHOICES[3][1:2], _CHOICES[3][3])
    exposure = _param_trait("exposure")
    russia_intensity = _param_trait("russia_intensity")
    influence_value = _param_trait("influence_value")
    russia_weight = _param_trait("russia_weight")
    returns = _param_trait("returns")
    russia_red_line = _param_trait("russia_red_line")
    north_korea_red_line = _param_trait("north_korea_red_line")
    penalty_jump = _param_trait("penalty_jump")
    penalty_growth = _param_trait("penalty_growth")
    reputation_cost = _param_trait("reputation_cost")
    bloc_penalty = _param_trait("bloc_penalty")
    north_korea_intensity = _param_trait("north_korea_intensity")
    entanglement_cost = _param_trait("entanglement_cost")
    gesture_commitment = _param_trait("gesture_commitment")
    silence_value = _param_trait("silence_value")
    silence_cost = _param_trait("silence_cost")
    gesture_value = _param_trait("gesture_value")
    gesture_cost = _param_trait("gesture_cost")

    def __init__(
        self,
        params: ModelParameters | None = None,
        *,
        russia_support: float = 0.5,
        north_korea_support: float = 0.5,
        silence: float = 0.5,
        gestures: float = 0.5,
        points: int = 21,
        instrument_points: int = 11,
        **kwargs: Any,
    ) -> None:
        self._initial = anchored_parameters() if params is None else _check_params(params, "OverextensionExplorer")
        self._points = int(support_levels(points).size)
        self._instrument_points = int(instrument_levels(instrument_points).size)
        self._quiet = True
        self._summary_text = ""
        self._grid_key: tuple[float, ...] | None = None
        self._frame: pd.DataFrame | None = None
        self.grid_computations = 0
        self._heat_base: dict[str, Any] | None = None
        self._cells = pd.DataFrame()
        self._diverging = False
        self._slice_base: dict[str, Any] | None = None
        self.chart: dict[str, Any] | None = None
        self.slice: dict[str, Any] | None = None
        self.instruments: pd.DataFrame | None = None
        self.best: Balance | None = None
        # Number boxes with step arrows rather than sliders: ipywidgets 8 gives a slider's handle no
        # accessible name, while a number box is labelled by its description for screen readers.
        style = {"description_width": "300px"}
        layout = widgets.Layout(width="460px")
        self._controls: dict[str, widgets.BoundedFloatText] = {}
        for name, label, step, meaning in _CHOICES:
            self._controls[name] = widgets.BoundedFloatText(
                min=0.0, max=1.0, step=step, description=label, tooltip=meaning, style=style, layout=layout,
            )
        for spec in PARAMETERS:
            self._controls[spec.name] = widgets.BoundedFloatText(
                min=spec.low, max=spec.high, step=spec.step, description=spec.label,
                tooltip=f"{spec.meaning} Allowed: {spec.allowed}.", style=style, layout=layout,
            )
        self._reset = widgets.Button(description="Reset parameters", tooltip="Put every parameter back to its starting value")
        self._reset.on_click(lambda _button: self.reset())
        self._summary = widgets.HTML(layout=widgets.Layout(margin="4px 0"))
        self._heat_out = LiveChart(layout=widgets.Layout(min_height="420px"))
        self._slice_out = LiveChart(layout=widgets.Layout(min_height="320px"))
        anchored = [self._controls[s.name] for s in PARAMETERS if s.kind == ANCHORED]
        assumed = [self._controls[s.name] for s in PARAMETERS if s.kind == ASSUMPTION]
        children = [
            widgets.HTML(f"<p><strong>{escape(MODEL_LABEL)}</strong></p>"),
            widgets.HTML("<b>Your choice</b> (the three instruments)"),
            *(self._controls[name] for name, *_ in _CHOICES),
            widgets.HTML("<b>Parameters anchored to the course data</b> (anchoring choices, not estimates)"),
            *anchored,
            widgets.HTML("<b>Assumptions</b> (no data behind them; change them and watch the best balance)"),
            *assumed,
            self._reset,
            self._summary,
            self._heat_out,
            self._slice_out,
        ]
        super().__init__(children=children, **kwargs)
        for name, control in self._controls.items():
            widgets.link((control, "value"), (self, name))
        self._set_params(self._initial)
        self.russia_support = russia_support
        self.north_korea_support = north_korea_support
        self.silence = silence
        self.gestures = gestures
        self._quiet = False
        self.observe(self._changed, names=list(self._controls))
        self._redraw(heatmap=True)

    def __repr__(self) -> str:
        best = f"({self.best.russia:.2f}, {self.best.north_korea:.2f}, {self.best.silence:.1f}, {self.best.gestures:.1f})" if self.best else "None"
        return (
            f"OverextensionExplorer(russia_support={self.russia_support:.2f}, "
            f"north_korea_support={self.north_korea_support:.2f}, silence={self.silence:.2f}, "
            f"gestures={self.gestures:.2f}, best={best})"
        )

    @traitlets.validate(*(name for name, *_ in _CHOICES))
    def _valid_choice(self, proposal: dict[str, Any]) -> float:
        name = proposal["trait"].name
        try:
            return _check_support(name, proposal["value"])
        except ModelError as exc:
            raise traitlets.TraitError(str(exc)) from None

    @traitlets.validate(*(spec.name for spec in PARAMETERS))
    def _valid_parameter(self, proposal: dict[str, Any]) -> float:
        spec = _SPECS[proposal["trait"].name]
        try:
            return _check_number(spec.name, proposal["value"], spec.low, spec.high, spec.label.lower())
        except ModelError as exc:
            raise traitlets.TraitError(str(exc)) from None

    @property
    def params(self) -> ModelParameters:
        """The parameters currently set."""
        return ModelParameters(**{spec.name: getattr(self, spec.name) for spec in PARAMETERS})

    @property
    def summary(self) -> str:
        """The plain-text summary shown under the controls."""
        return self._summary_text

    def _set_params(self, params: ModelParameters) -> None:
        for name, value in params.as_dict().items():
            setattr(self, name, value)

    def reset(self) -> None:
        """Put every parameter back to its starting value (your choice is kept)."""
        self._quiet = True
        try:
            self._set_params(self._initial)
        finally:
            self._quiet = False
        self._redraw(heatmap=True)

    def _changed(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self._redraw(heatmap=change["name"] not in ("silence", "gestures"))

    def _search(self, params: ModelParameters) -> pd.DataFrame:
        """The search grid for ``params``, recomputed only when a parameter changed.

        With the grid, the Vega-Lite specs of both charts are built once; a change of the
        choice then only replaces the data of the layer that moves (see :func:`_with_layer_data`).
        """
        key = tuple(params.as_dict().values())
        if key != self._grid_key or self._frame is None:
            self._frame = grid(params, self._points, self._instrument_points)
            self.best = best_of(self._frame)
            self._grid_key = key
            self.grid_computations += 1
            best = self.best
            cells = self._cells = self._frame[_HEAT_COLUMNS].round(4)
            low, high = float(cells["net"].min()), float(cells["net"].max())
            diverging = low < 0 < high
            if self._heat_base is None or self._slice_base is None or diverging != self._diverging:
                # first draw, or the colour scale changes kind: build both charts with Altair
                self._heat_base = net_heatmap(self._frame, best, choice=(best.russia, best.north_korea)).to_dict(validate=False)
                self._slice_base = components_chart(
                    slice_along(params, "russia", at=best.north_korea, points=self._points, silence=best.silence, gestures=best.gestures)
                ).to_dict(validate=False)
                self._diverging = diverging
            else:
                # same layout: swap in the new cells and the red line, keep scales, titles and config
                self._heat_base = _with_layer_data(
                    self._heat_base, 0, cells.to_dict("records"), f"{MODEL_LABEL} {_heat_description(low, high, best)} Your choice:"
                )
                rule = [{"support": params.russia_red_line, "label": "Red line for Russia"}]
                self._slice_base = _with_layer_data(self._slice_base, 1, rule, str(self._slice_base["description"]))
            self.chart = None
        return self._frame

    def _redraw(self, heatmap: bool = True) -> None:
        params = self.params
        self._search(params)
        best = self.best
        if best is None or self._heat_base is None or self._slice_base is None:
            raise RuntimeError("the search grid was not computed")  # cannot happen: _search sets all three
        mine = evaluate(self.russia_support, self.north_korea_support, params, self.silence, self.gestures)
        crossing = "crosses a red line" if best.past_red_line(params) else "stays within both red lines"
        self._summary_text = (
            f"Your choice: material support to Russia {self.russia_support:.2f}, to North Korea "
            f"{self.north_korea_support:.2f}; silence {self.silence:.2f}; gestures {self.gestures:.2f}. "
            f"Influence {mine['influence']:.3f}, economic and sanctions risk {mine['risk']:.3f}, reputational cost "
            f"{mine['reputation']:.3f}, entanglement {mine['entanglement']:.3f}, net result {mine['net']:.3f} model "
            f"points. Best balance on the grid: Russia {best.russia:.2f}, North Korea {best.north_korea:.2f}, "
            f"silence {best.silence:.1f}, gestures {best.gestures:.1f} (net {best.net:.3f}); it {crossing}. "
            "A thinking tool, not a forecast."
        )
        self.instruments = instrument_table(self.russia_support, self.north_korea_support, self.silence, self.gestures, params)
        # the summary and the instrument table in one widget: one message to the page, one redraw of the text
        self._summary.value = f"<p>{escape(self._summary_text)}</p>" + _instrument_html(self.instruments)
        if heatmap or self.chart is None:
            markers = _heatmap_markers(self._cells, best, (self.russia_support, self.north_korea_support))
            base = str(self._heat_base["description"])
            described = base[: base.index(" Your choice:")] + _choice_text(markers)
            self.chart = _with_layer_data(self._heat_base, 1, markers, described)
            self._heat_out.show(self.chart)
        part = slice_along(
            params, "russia", at=self.north_korea_support, points=self._points, silence=self.silence, gestures=self.gestures
        )
        data = part[["support", "component", "value"]].round(4)
        order = [c for c in _COMPONENTS.values() if c in set(data["component"])]
        self.slice = _with_layer_data(self._slice_base, 0, data.to_dict("records"), _slice_description(part, data, order))
        self._slice_out.show(self.slice)
