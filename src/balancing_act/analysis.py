"""Derived tables the lessons, charts and exercise checks share.

Each function loads what it needs through :func:`balancing_act.data.load` (or takes
frames, for tests) and returns a new DataFrame whose ``attrs["source"]`` cites every
dataset it was computed from.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.data import DataError, load

__all__ = ["asymmetry", "partner_shares"]

PARTNERS = ("Russia", "North Korea")
VALUES = {"total_usd_bn": "total trade", "exports_usd_bn": "exports", "imports_usd_bn": "imports"}


def _cite(*frames: pd.DataFrame) -> str:
    lines = [str(f.attrs.get("source", "")) for f in frames if f.attrs.get("source")]
    unique = list(dict.fromkeys(lines))
    return " | ".join(unique)


def partner_shares(year: int, value: str = "total_usd_bn", trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """China's trade with each partner in ``year`` and its share of China's own total.

    ``value`` is ``total_usd_bn``, ``exports_usd_bn`` or ``imports_usd_bn``. Returns the
    columns ``partner``, ``value`` and ``share_pct`` (percent of China's figure with the
    world), largest partner first. Where China's world figure for that year is not in
    the data, ``share_pct`` is missing (NaN) and ``attrs["note"]`` says why.
    """
    trade = load("china_customs_trade") if trade is None else trade
    if value not in VALUES:
        raise DataError(f"value must be one of {list(VALUES)}, not {value!r}.")
    years = sorted(int(y) for y in trade["year"].dropna().unique())
    if year not in years:
        raise DataError(f"No trade figures for {year!r}; the data cover {years}.")
    rows = trade[trade["year"] == year].dropna(subset=[value])
    world = rows.loc[rows["partner"] == "World", value]
    out = rows[rows["partner"] != "World"][["partner", value]].copy()
    out["share_pct"] = 100 * out[value] / float(world.iloc[0]) if not world.empty else float("nan")
    out = out.sort_values(value, ascending=False, ignore_index=True)
    out.attrs["source"] = _cite(trade)
    out.attrs["year"] = year
    if world.empty:
        out.attrs["note"] = f"China's {VALUES[value]} with the world for {year} is not in the data, so shares cannot be computed."
    return out


def asymmetry(
    year: int,
    trade: pd.DataFrame | None = None,
    dependence: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Dependence in both directions for Russia and North Korea in ``year``.

    For each partner, two rows: the partner's share of China's goods trade (from
    China's customs figures) and China's share of the partner's goods trade (as
    reported by the partner side or by KOTRA for North Korea). Columns: ``partner``,
    ``perspective``, ``share_pct``, ``year``, ``reporter``. A partner with no figure
    for that year is left out, and the frame's ``attrs["missing"]`` lists it.
    """
    trade = load("china_customs_trade") if trade is None else trade
    dependence = load("partner_dependence") if dependence is None else dependence
    shares = partner_shares(year, "total_usd_bn", trade).dropna(subset=["share_pct"]).set_index("partner")
    rows: list[dict[str, object]] = []
    missing: list[str] = []
    for partner in PARTNERS:
        theirs = dependence[(dependence["country"] == partner) & (dependence["year"] == year)]
        theirs = theirs.dropna(subset=["china_share_pct"])
        if partner not in shares.index or theirs.empty:
            missing.append(partner)
            continue
        rows.append(
            {
                "partner": partner,
                "perspective": f"{partner}'s share of China's trade",
                "share_pct": float(shares.loc[partner, "share_pct"]),
                "year": year,
                "reporter": "China's customs",
            }
        )
        rows.append(
            {
                "partner": partner,
                "perspective": f"China's share of {partner}'s trade",
                "share_pct": float(theirs["china_share_pct"].iloc[0]),
                "year": year,
                "reporter": str(theirs["reporter"].iloc[0]),
            }
        )
    if not rows:
        years = sorted(int(y) for y in dependence["year"].dropna().unique())
        raise DataError(
            f"No two-way dependence figures for {year!r}; partner-side shares exist for {years}."
        )
    out = pd.DataFrame(rows)
    out.attrs["source"] = _cite(trade, dependence)
    out.attrs["missing"] = missing
    return out
