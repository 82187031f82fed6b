"""Lesson 7: the risks of overextension, as a small explorable model.

The article argues that Beijing must calibrate its support for Moscow and Pyongyang: too
close costs markets and reputation, too far costs influence. This module turns that
argument into a **thinking tool, not a forecast**: a few simple formulas whose every
parameter is stated, bounded and adjustable, so a learner can see which assumptions drive
the answer.

The model
---------
Two inputs, each from 0 (keep away) to 1 (the most Beijing could give):
``russia`` = support to Russia, ``north_korea`` = support to North Korea. Outputs are in
*model points*, an arbitrary unit (not dollars, not probabilities):

* influence gained = ``influence_value * (russia_weight * russia**returns
  + (1 - russia_weight) * north_korea**returns)``: concave, so each extra unit of
  support buys less influence than the one before (diminishing returns);
* economic and sanctions risk = ``exposure * sum over the two partners of
  (penalty_jump if support > red_line) + penalty_growth * max(0, support - red_line)**2``:
  nothing below a partner's red line, a one-off jump when it is crossed, then costs that
  grow ever faster (convex);
* reputational cost = ``reputation_cost * (russia + north_korea)
  + bloc_penalty * russia * north_korea``: every unit of support costs some standing,
  and backing both at once, which looks like a bloc, costs extra;
* net result = influence - risk - reputational cost.

The best balance is found by a grid search over both inputs (:func:`best_balance`).

Parameters
----------
:class:`ModelParameters` holds the ten parameters; :data:`PARAMETERS` documents each one
(label, allowed range, default, whether it is anchored to data or an assumption). Only
``exposure`` is anchored to the course data, by :func:`anchored_exposure`: China's goods
trade with the United States, the EU, Japan, South Korea and ASEAN as a share of that
trade plus its trade with Russia and North Korea. That is an *anchoring choice, not an
estimate* of anything. Every other default is an assumption.

All model functions are pure: they read no files and change nothing. Only
:func:`exposure_table`, :func:`anchored_exposure` and :func:`anchored_parameters` read
``data/`` (through :func:`balancing_act.data.load`), and only when called.
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

from balancing_act.fallback import KernelFallback
from balancing_act import charts
from balancing_act.data import DataError, load

__all__ = [
    "ANCHORED",
    "ASSUMPTION",
    "Balance",
    "MARKET_GROUPS",
    "MODEL_LABEL",
    "MODEL_SOURCE",
    "ModelError",
    "ModelParameters",
    "OverextensionExplorer",
    "PARAMETERS",
    "ParameterSpec",
    "anchored_exposure",
    "anchored_parameters",
    "best_balance",
    "components_chart",
    "evaluate",
    "exposure_chart",
    "exposure_table",
    "grid",
    "influence",
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
    "Source: course model (balancing_act.topics.overextension); exposure anchored to China's customs data "
    "(data/china_customs_trade.csv), every other parameter an assumption"
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
        "influence_value", "Value of influence", 0.0, 3.0, 1.0, ASSUMPTION,
        "Model points Beijing would gain from full support to both partners: how much it values a say in "
        "Moscow and Pyongyang.",
    ),
    ParameterSpec(
        "russia_weight", "Weight of Russia in influence", 0.0, 1.0, 0.7, ASSUMPTION,
        "Share of the value of influence that comes from Russia; North Korea gets the rest.",
    ),
    ParameterSpec(
        "returns", "Returns to support (exponent)", 0.1, 1.0, 0.5, ASSUMPTION,
        "Influence grows as support raised to this power: 1 means every unit counts the same, lower "
        "values mean faster diminishing returns.",
    ),
    ParameterSpec(
        "russia_red_line", "Red line for Russia", 0.0, 1.0, 0.4, ASSUMPTION,
        "Support to Russia up to which Western governments do not penalise China.",
    ),
    ParameterSpec(
        "north_korea_red_line", "Red line for North Korea", 0.0, 1.0, 0.3, ASSUMPTION,
        "Support to North Korea up to which Western governments do not penalise China.",
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
        "reputation_cost", "Reputational cost of support", 0.0, 2.0, 0.2, ASSUMPTION,
        "Cost per unit of support to each partner, in standing with governments everywhere.",
    ),
    ParameterSpec(
        "bloc_penalty", "Bloc penalty", 0.0, 2.0, 0.2, ASSUMPTION,
        "Extra reputational cost of backing both partners at once (support to Russia times support to "
        "North Korea), because together they look like a bloc.",
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
    """The ten parameters of the overextension model (see :data:`PARAMETERS`).

    ``exposure`` has no default: take it from the data with :func:`anchored_parameters`,
    or state your own. Every other field has a documented default, which is an
    assumption. Every value is checked against its allowed range when the object is
    made; a value out of range raises :class:`ModelError` naming the parameter, the
    value and the range.
    """

    exposure: float
    influence_value: float = 1.0
    russia_weight: float = 0.7
    returns: float = 0.5
    russia_red_line: float = 0.4
    north_korea_red_line: float = 0.3
    penalty_jump: float = 0.05
    penalty_growth: float = 2.0
    reputation_cost: float = 0.2
    bloc_penalty: float = 0.2

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
            "Make one with anchored_parameters() or ModelParameters(exposure=...)."
        )
    return params


def _check_support(name: str, value: object) -> Any:
    """A support level (a number or an array of numbers) between 0 and 1."""
    what = "0 = keep away, 1 = the most Beijing could give"
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
def influence(russia: Any, north_korea: Any, params: ModelParameters) -> Any:
    """Influence gained (model points): concave in each partner's support."""
    p = _check_params(params, "influence")
    r = _check_support("russia", russia)
    k = _check_support("north_korea", north_korea)
    return p.influence_value * (p.russia_weight * np.power(r, p.returns) + (1 - p.russia_weight) * np.power(k, p.returns))


def _penalty(support: Any, red_line: float, p: ModelParameters) -> Any:
    excess = np.maximum(0.0, support - red_line)
    crossed = np.greater(support, red_line).astype(float)
    return p.penalty_jump * crossed + p.penalty_growth * excess**2


def sanctions_risk(russia: Any, north_korea: Any, params: ModelParameters) -> Any:
    """Economic and sanctions risk (model points): zero up to each red line, then a jump and a convex rise."""
    p = _check_params(params, "sanctions_risk")
    r = _check_support("russia", russia)
    k = _check_support("north_korea", north_korea)
    return p.exposure * (_penalty(r, p.russia_red_line, p) + _penalty(k, p.north_korea_red_line, p))


def reputation(russia: Any, north_korea: Any, params: ModelParameters) -> Any:
    """Reputational cost (model points): linear in support, plus a bloc penalty for backing both."""
    p = _check_params(params, "reputation")
    r = _check_support("russia", russia)
    k = _check_support("north_korea", north_korea)
    return p.reputation_cost * (r + k) + p.bloc_penalty * r * k


def net_result(russia: Any, north_korea: Any, params: ModelParameters) -> Any:
    """Net result (model points) = influence - economic and sanctions risk - reputational cost."""
    return influence(russia, north_korea, params) - sanctions_risk(russia, north_korea, params) - reputation(
        russia, north_korea, params
    )


def evaluate(russia: float, north_korea: float, params: ModelParameters) -> dict[str, float]:
    """All four outputs for one choice, as plain floats."""
    return {
        "influence": float(influence(russia, north_korea, params)),
        "risk": float(sanctions_risk(russia, north_korea, params)),
        "reputation": float(reputation(russia, north_korea, params)),
        "net": float(net_result(russia, north_korea, params)),
    }


def support_levels(points: int = 21) -> np.ndarray:
    """The support levels searched: ``points`` evenly spaced values from 0 to 1 (21 gives steps of 0.05)."""
    if isinstance(points, bool) or not isinstance(points, numbers.Integral) or not 2 <= points <= 201:
        raise ModelError(f"points = {points!r} must be a whole number from 2 to 201 (21 gives steps of 0.05).")
    return np.round(np.linspace(0.0, 1.0, int(points)), 10)


@dataclass(frozen=True)
class Balance:
    """One choice of support and what the model says it yields."""

    russia: float
    north_korea: float
    influence: float
    risk: float
    reputation: float
    net: float

    def __repr__(self) -> str:
        return (
            f"Balance(russia={self.russia:.2f}, north_korea={self.north_korea:.2f}, influence={self.influence:.3f}, "
            f"risk={self.risk:.3f}, reputation={self.reputation:.3f}, net={self.net:.3f})"
        )

    def _repr_html_(self) -> str:
        """What a notebook shows: the choice and its result in words (the repr is for developers)."""
        return (
            f"<p>Support to Russia <b>{self.russia:.2f}</b> and to North Korea <b>{self.north_korea:.2f}</b>: "
            f"influence {self.influence:.3f}, risk {self.risk:.3f}, reputational cost {self.reputation:.3f}, "
            f"net result <b>{self.net:.3f}</b> (model points).</p>"
        )

    def past_red_line(self, params: ModelParameters) -> bool:
        """Whether this choice crosses either partner's red line."""
        return self.russia > params.russia_red_line or self.north_korea > params.north_korea_red_line

    def at_edge(self) -> bool:
        """Whether either support is at an extreme (0 or 1)."""
        return any(v in (0.0, 1.0) for v in (self.russia, self.north_korea))


def grid(params: ModelParameters, points: int = 21) -> pd.DataFrame:
    """Every combination of support levels with its influence, risk, reputational cost and net result.

    Columns ``russia_support``, ``north_korea_support``, ``influence``, ``risk``,
    ``reputation``, ``net``; rows ordered by support to Russia, then to North Korea.
    """
    p = _check_params(params, "grid")
    levels = support_levels(points)
    r, k = np.meshgrid(levels, levels, indexing="ij")
    frame = pd.DataFrame(
        {
            "russia_support": r.ravel(),
            "north_korea_support": k.ravel(),
            "influence": influence(r, k, p).ravel(),
            "risk": sanctions_risk(r, k, p).ravel(),
            "reputation": reputation(r, k, p).ravel(),
        }
    )
    frame["net"] = frame["influence"] - frame["risk"] - frame["reputation"]
    frame.attrs["source"] = MODEL_SOURCE
    frame.attrs["label"] = MODEL_LABEL
    return frame


def best_balance(params: ModelParameters, points: int = 21) -> Balance:
    """The choice with the highest net result on the grid of :func:`support_levels`.

    Ties go to the first in grid order (lower support to Russia, then to North Korea).
    """
    frame = grid(params, points)
    row = frame.iloc[int(np.argmax(frame["net"].to_numpy()))]
    return Balance(
        russia=float(row["russia_support"]),
        north_korea=float(row["north_korea_support"]),
        influence=float(row["influence"]),
        risk=float(row["risk"]),
        reputation=float(row["reputation"]),
        net=float(row["net"]),
    )


_COMPONENTS = {
    "influence": "Influence gained",
    "risk": "Economic and sanctions risk",
    "reputation": "Reputational cost",
    "net": "Net result",
}


def slice_along(
    params: ModelParameters, partner: str = "russia", at: float | None = None, points: int = 21
) -> pd.DataFrame:
    """The four outputs as support to one partner varies and support to the other is held at ``at``.

    ``partner`` is ``"russia"`` or ``"north_korea"``; ``at`` defaults to the other
    partner's support in the best balance. Long format: ``support``, ``component``,
    ``value``; ``attrs`` record the partner, the fixed level and the red line.
    """
    p = _check_params(params, "slice_along")
    if partner not in PARTNER_NAMES:
        raise ModelError(f"partner = {partner!r} is not known; use 'russia' or 'north_korea'.")
    other = "north_korea" if partner == "russia" else "russia"
    if at is None:
        at = getattr(best_balance(p, points), other)
    fixed = _check_support(f"at (support to {PARTNER_NAMES[other]})", at)
    levels = support_levels(points)
    others = np.full_like(levels, fixed)
    r, k = (levels, others) if partner == "russia" else (others, levels)
    values = {
        "influence": influence(r, k, p),
        "risk": sanctions_risk(r, k, p),
        "reputation": reputation(r, k, p),
    }
    values["net"] = values["influence"] - values["risk"] - values["reputation"]
    rows = [
        {"support": float(level), "component": _COMPONENTS[key], "value": float(series[i])}
        for key, series in values.items()
        for i, level in enumerate(levels)
    ]
    frame = pd.DataFrame(rows)
    frame.attrs.update(
        source=MODEL_SOURCE,
        label=MODEL_LABEL,
        partner=partner,
        other=other,
        fixed=float(fixed),
        red_line=getattr(p, f"{partner}_red_line"),
    )
    return frame


def sweep(params: ModelParameters, name: str, values: Iterable[float], points: int = 21) -> pd.DataFrame:
    """The best balance as one parameter takes each of ``values`` (all else as in ``params``).

    Columns ``value``, ``best_russia``, ``best_north_korea``, ``best_net``,
    ``past_red_line`` (the best balance crosses a red line) and ``at_edge`` (a support
    is at 0 or 1), in the order of ``values``.
    """
    p = _check_params(params, "sweep")
    if name not in _SPECS:
        raise ModelError(f"Unknown parameter {name!r}; choose one of {list(_SPECS)}.")
    rows = []
    for value in values:
        changed = p.replace(**{name: value})
        best = best_balance(changed, points)
        rows.append(
            {
                "value": float(getattr(changed, name)),
                "best_russia": best.russia,
                "best_north_korea": best.north_korea,
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


def anchored_parameters(year: int = 2023, trade: pd.DataFrame | None = None, **changes: float) -> ModelParameters:
    """Model parameters with exposure anchored to the data of ``year`` and the other defaults,
    with any ``changes`` applied."""
    return ModelParameters(exposure=anchored_exposure(year, trade)).replace(**changes)


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


def net_heatmap(frame: pd.DataFrame, best: Balance, *, choice: tuple[float, float] | None = None, title: str | None = None) -> alt.Chart:
    """Heatmap of the net result over (support to Russia, support to North Korea), best balance marked.

    ``frame`` is :func:`grid`'s output; ``best`` its :func:`best_balance`; ``choice``
    (support to Russia, support to North Korea) adds a marker for the learner's choice.
    """
    charts.require_frame(frame, ["russia_support", "north_korea_support", "net", "influence", "risk", "reputation"], "net_heatmap")
    if not isinstance(best, Balance):
        raise charts.ChartInputError(f"net_heatmap() needs best= a Balance from best_balance(), got {type(best).__name__}.")
    cells = frame[["russia_support", "north_korea_support", "net", "influence", "risk", "reputation"]].round(4)
    levels = sorted(cells["russia_support"].unique())
    ticks = _ticks(levels)
    low, high = float(cells["net"].min()), float(cells["net"].max())
    x = alt.X("russia_support:O", title="Support to Russia (0 = keep away, 1 = the most possible)", axis=alt.Axis(values=ticks, labelAngle=0, format=".1f"))
    y = alt.Y(
        "north_korea_support:O", title="Support to North Korea (0 to 1)", sort="descending", axis=alt.Axis(values=ticks, format=".1f")
    )
    tooltip = [
        alt.Tooltip("russia_support:O", title="Support to Russia", format=".2f"),
        alt.Tooltip("north_korea_support:O", title="Support to North Korea", format=".2f"),
        alt.Tooltip("net:Q", title="Net result (model points)", format=".3f"),
        alt.Tooltip("influence:Q", title="Influence gained", format=".3f"),
        alt.Tooltip("risk:Q", title="Economic and sanctions risk", format=".3f"),
        alt.Tooltip("reputation:Q", title="Reputational cost", format=".3f"),
    ]
    scale = alt.Scale(scheme="blueorange", reverse=True, domainMid=0) if low < 0 < high else alt.Scale(scheme="blues")
    heat = (
        alt.Chart(cells)
        .mark_rect()
        .encode(x=x, y=y, color=alt.Color("net:Q", title="Net result (model points)", scale=scale), tooltip=tooltip)
    )
    markers = [{"russia_support": round(best.russia, 4), "north_korea_support": round(best.north_korea, 4), "marker": "Best balance", "net": round(best.net, 4)}]
    if choice is not None:
        r = _check_support("choice (support to Russia)", choice[0])
        k = _check_support("choice (support to North Korea)", choice[1])
        near_r = min(levels, key=lambda level: abs(level - r))  # the grid cell holding the choice
        near_k = min(levels, key=lambda level: abs(level - k))
        cell = cells[(cells["russia_support"] == near_r) & (cells["north_korea_support"] == near_k)]
        markers.append(
            {"russia_support": near_r, "north_korea_support": near_k, "marker": "Your choice", "net": float(cell["net"].iloc[0])}
        )
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
    description = (
        f"Heatmap of the model's net result over support to Russia (horizontal) and to North Korea (vertical), "
        f"each from 0 to 1. Net ranges from {low:.3f} to {high:.3f} model points. Best balance: support to Russia "
        f"{best.russia:.2f}, to North Korea {best.north_korea:.2f}, net {best.net:.3f}."
    )
    if choice is not None:
        description += f" Your choice: {markers[1]['russia_support']:.2f} and {markers[1]['north_korea_support']:.2f}, net {markers[1]['net']:.3f}."
    return _model_finish(alt.layer(heat, marks), title or "Where is the best balance? Net result of the model", description, width=340, height=340)


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
            x=alt.X("support:Q", title=f"Support to {name} (0 to 1)", scale=alt.Scale(domain=[0, 1])),
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
    net = data[data["component"] == "Net result"]
    best_text = ""
    if not net.empty:
        top = net.loc[net["value"].idxmax()]
        best_text = f" Along this line the net result is highest at support {top['support']:.2f} ({top['value']:.3f} points)."
    if red_line is not None:
        rule = pd.DataFrame([{"support": float(red_line), "label": f"Red line for {name}"}])
        layers.append(
            alt.Chart(rule)
            .mark_rule(strokeDash=[2, 2], color="gray")
            .encode(x="support:Q", tooltip=[alt.Tooltip("label:N", title="Marker"), alt.Tooltip("support:Q", title="Support", format=".2f")])
        )
    held = f" with support to {other_name} held at {fixed:.2f}" if fixed is not None else ""
    description = (
        f"Line chart of the model's outputs as support to {name} goes from 0 to 1{held}: "
        + "; ".join(
            f"{c} from {data.loc[data['component'] == c, 'value'].iloc[0]:.3f} to {data.loc[data['component'] == c, 'value'].iloc[-1]:.3f}"
            for c in order
        )
        + "."
        + (f" The red line is at {red_line:.2f}." if red_line is not None else "")
        + best_text
    )
    heading = title or f"Inside the trade-off: gains and costs as support to {name} rises"
    return _model_finish(alt.layer(*layers), heading, description, width=480, height=260)


def sweep_chart(frame: pd.DataFrame, *, title: str | None = None) -> alt.Chart:
    """Best support to each partner as one parameter varies (from :func:`sweep`)."""
    charts.require_frame(frame, ["value", "best_russia", "best_north_korea"], "sweep_chart")
    name = str(frame.attrs.get("parameter", "parameter"))
    label = _SPECS[name].label if name in _SPECS else name
    data = frame[["value", "best_russia", "best_north_korea"]].rename(
        columns={"best_russia": "Russia", "best_north_korea": "North Korea"}
    ).melt("value", var_name="partner", value_name="best_support")
    lines = (
        alt.Chart(data)
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("value:Q", title=f"{label} (parameter value)"),
            y=alt.Y("best_support:Q", title="Best support (0 to 1)", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("partner:N", title="Support to", sort=["Russia", "North Korea"]),
            strokeDash=alt.StrokeDash("partner:N", legend=None, sort=["Russia", "North Korea"]),
            tooltip=[
                alt.Tooltip("value:Q", title=label, format=".2f"),
                alt.Tooltip("partner:N", title="Support to"),
                alt.Tooltip("best_support:Q", title="Best support", format=".2f"),
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
        f"Line chart of the model's best support to Russia and to North Korea as the parameter '{label}' goes from "
        f"{first['value']:.2f} to {last['value']:.2f}. At {first['value']:.2f}: Russia {first['best_russia']:.2f}, "
        f"North Korea {first['best_north_korea']:.2f}; at {last['value']:.2f}: Russia {last['best_russia']:.2f}, "
        f"North Korea {last['best_north_korea']:.2f}."
        + (f" The best balance first crosses a red line at {tip:.2f}." if tip is not None else "")
        + (f" The dotted rule marks the value in use, {float(current):.3f}." if current is not None else "")
    )
    return _model_finish(alt.layer(*layers), title or f"When does calibration break down? The best balance as one parameter changes: {label}", description, width=480, height=240)


# ------------------------------------------------------------------ explorer
def _support_trait(partner: str) -> traitlets.Float:
    return traitlets.Float(0.5, help=f"Support to {partner}, from 0 (keep away) to 1 (the most Beijing could give).").tag(sync=False)


def _param_trait(name: str) -> traitlets.Float:
    spec = _SPECS[name]
    return traitlets.Float(
        spec.default if spec.default is not None else 0.0,
        help=f"{spec.label} ({spec.kind}; allowed {spec.allowed}): {spec.meaning}",
    ).tag(sync=False)


class OverextensionExplorer(KernelFallback, widgets.VBox):
    """Change the numbers; see the model's best balance, your choice and the trade-off.

    Every control (a number box with step arrows) sets a validated trait: ``russia_support`` and ``north_korea_support``
    (your choice) and one trait per parameter of :data:`PARAMETERS`. After each change the
    explorer recomputes the grid and shows a heatmap of the net result with the best
    balance and your choice marked, and the outputs along support to Russia at your
    support to North Korea. A thinking tool, not a forecast.
    """

    russia_support = _support_trait("Russia")
    north_korea_support = _support_trait("North Korea")
    exposure = _param_trait("exposure")
    influence_value = _param_trait("influence_value")
    russia_weight = _param_trait("russia_weight")
    returns = _param_trait("returns")
    russia_red_line = _param_trait("russia_red_line")
    north_korea_red_line = _param_trait("north_korea_red_line")
    penalty_jump = _param_trait("penalty_jump")
    penalty_growth = _param_trait("penalty_growth")
    reputation_cost = _param_trait("reputation_cost")
    bloc_penalty = _param_trait("bloc_penalty")

    def __init__(
        self,
        params: ModelParameters | None = None,
        *,
        russia_support: float = 0.5,
        north_korea_support: float = 0.5,
        points: int = 21,
        **kwargs: Any,
    ) -> None:
        self._initial = anchored_parameters() if params is None else _check_params(params, "OverextensionExplorer")
        self._points = int(support_levels(points).size)
        self._quiet = True
        self._summary_text = ""
        self.chart: Any = None
        self.slice: Any = None
        self.best: Balance | None = None
        # Number boxes with step arrows rather than sliders: ipywidgets 8 gives a slider's handle no
        # accessible name, while a number box is labelled by its description for screen readers.
        style = {"description_width": "300px"}
        layout = widgets.Layout(width="460px")
        self._controls: dict[str, widgets.BoundedFloatText] = {}
        for name, label in (("russia_support", "Support to Russia"), ("north_korea_support", "Support to North Korea")):
            self._controls[name] = widgets.BoundedFloatText(
                min=0.0, max=1.0, step=0.05, description=label, tooltip="0 = keep away, 1 = the most Beijing could give",
                style=style, layout=layout,
            )
        for spec in PARAMETERS:
            self._controls[spec.name] = widgets.BoundedFloatText(
                min=spec.low, max=spec.high, step=spec.step, description=spec.label,
                tooltip=f"{spec.meaning} Allowed: {spec.allowed}.", style=style, layout=layout,
            )
        self._reset = widgets.Button(description="Reset parameters", tooltip="Put every parameter back to its starting value")
        self._reset.on_click(lambda _button: self.reset())
        self._summary = widgets.HTML(layout=widgets.Layout(margin="4px 0"))
        self._output = widgets.Output(layout=widgets.Layout(min_height="420px"))
        anchored = [self._controls[s.name] for s in PARAMETERS if s.kind == ANCHORED]
        assumed = [self._controls[s.name] for s in PARAMETERS if s.kind == ASSUMPTION]
        children = [
            widgets.HTML(f"<p><strong>{escape(MODEL_LABEL)}</strong></p>"),
            widgets.HTML("<b>Your choice</b>"),
            self._controls["russia_support"],
            self._controls["north_korea_support"],
            widgets.HTML("<b>Parameter anchored to the course data</b> (an anchoring choice, not an estimate)"),
            *anchored,
            widgets.HTML("<b>Assumptions</b> (no data behind them; change them and watch the best balance)"),
            *assumed,
            self._reset,
            self._summary,
            self._output,
        ]
        super().__init__(children=children, **kwargs)
        for name, control in self._controls.items():
            widgets.link((control, "value"), (self, name))
        self._set_params(self._initial)
        self.russia_support = russia_support
        self.north_korea_support = north_korea_support
        self._quiet = False
        self.observe(self._redraw, names=list(self._controls))
        self._redraw()

    def __repr__(self) -> str:
        best = f"({self.best.russia:.2f}, {self.best.north_korea:.2f})" if self.best else "None"
        return (
            f"OverextensionExplorer(russia_support={self.russia_support:.2f}, "
            f"north_korea_support={self.north_korea_support:.2f}, best={best})"
        )

    @traitlets.validate("russia_support", "north_korea_support")
    def _valid_support(self, proposal: dict[str, Any]) -> float:
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
        self._redraw()

    def _redraw(self, _change: object = None) -> None:
        if self._quiet:
            return
        params = self.params
        frame = grid(params, self._points)
        self.best = best_balance(params, self._points)
        mine = evaluate(self.russia_support, self.north_korea_support, params)
        best = self.best
        crossing = "crosses a red line" if best.past_red_line(params) else "stays within both red lines"
        self._summary_text = (
            f"Your choice: support to Russia {self.russia_support:.2f}, to North Korea {self.north_korea_support:.2f}. "
            f"Influence {mine['influence']:.3f}, economic and sanctions risk {mine['risk']:.3f}, reputational cost "
            f"{mine['reputation']:.3f}, net result {mine['net']:.3f} model points. "
            f"Best balance on the grid: Russia {best.russia:.2f}, North Korea {best.north_korea:.2f} "
            f"(net {best.net:.3f}); it {crossing}. A thinking tool, not a forecast."
        )
        self._summary.value = f"<p>{escape(self._summary_text)}</p>"
        self.chart = net_heatmap(frame, best, choice=(self.russia_support, self.north_korea_support))
        self.slice = components_chart(slice_along(params, "russia", at=self.north_korea_support, points=self._points))
        self._output.outputs = tuple(
            {"output_type": "display_data", "data": charts.mimebundle(c), "metadata": {}} for c in (self.chart, self.slice)
        )
