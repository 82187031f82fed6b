"""Derived tables: shares of China's trade and dependence in both directions."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from balancing_act import analysis
from balancing_act.data import DataError


def _trade() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "year": [2024, 2024, 2024, 2024, 2025, 2025],
            "partner": ["World", "United States", "Russia", "North Korea", "Russia", "United States"],
            "total_usd_bn": [1000.0, 100.0, 40.0, 2.0, 30.0, 90.0],
            "exports_usd_bn": [600.0, 70.0, 20.0, 1.5, 15.0, None],
            "imports_usd_bn": [400.0, 30.0, 20.0, 0.5, 15.0, None],
        }
    )
    frame.attrs["source"] = "Source: customs"
    return frame


def _dependence() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "year": [2024, 2024, 2023],
            "country": ["Russia", "North Korea", "North Korea"],
            "reporter": ["FTS", "KOTRA", "KOTRA"],
            "china_share_pct": [34.0, 98.0, 98.3],
        }
    )
    frame.attrs["source"] = "Source: partners"
    return frame


def test_partner_shares_sorted_with_shares_of_world() -> None:
    out = analysis.partner_shares(2024, trade=_trade())
    assert list(out["partner"]) == ["United States", "Russia", "North Korea"]
    assert out["share_pct"].tolist() == pytest.approx([10.0, 4.0, 0.2])
    assert out.attrs["source"] == "Source: customs"


def test_partner_shares_of_exports() -> None:
    out = analysis.partner_shares(2024, "exports_usd_bn", _trade())
    assert out.set_index("partner")["share_pct"]["North Korea"] == pytest.approx(0.25)


def test_partner_shares_without_world_total_are_missing_with_a_note() -> None:
    out = analysis.partner_shares(2025, trade=_trade())
    assert out["share_pct"].isna().all()
    assert "not in the data" in out.attrs["note"]


def test_partner_shares_unknown_year_and_value() -> None:
    with pytest.raises(DataError, match=r"No trade figures for 1990; the data cover \[2024, 2025\]"):
        analysis.partner_shares(1990, trade=_trade())
    with pytest.raises(DataError, match=r"value must be one of"):
        analysis.partner_shares(2024, "gdp", _trade())


def test_asymmetry_both_directions() -> None:
    out = analysis.asymmetry(2024, _trade(), _dependence())
    table = out.set_index("perspective")["share_pct"]
    assert table["Russia's share of China's trade"] == pytest.approx(4.0)
    assert table["China's share of Russia's trade"] == pytest.approx(34.0)
    assert table["North Korea's share of China's trade"] == pytest.approx(0.2)
    assert table["China's share of North Korea's trade"] == pytest.approx(98.0)
    assert out.attrs["missing"] == []
    assert out.attrs["source"] == "Source: customs | Source: partners"


def test_asymmetry_reports_missing_partner_side() -> None:
    dep = _dependence()
    dep = dep[dep["country"] != "Russia"]
    out = analysis.asymmetry(2024, _trade(), dep)
    assert set(out["partner"]) == {"North Korea"}
    assert out.attrs["missing"] == ["Russia"]


def test_asymmetry_year_without_any_pair() -> None:
    with pytest.raises(DataError, match=r"No two-way dependence figures for 2025"):
        analysis.asymmetry(2025, _trade(), _dependence())


def test_real_data_asymmetry_2024_is_lopsided() -> None:
    """On the course data, each partner matters far more to itself than to China."""
    out = analysis.asymmetry(2024)
    for partner, rows in out.groupby("partner"):
        shares = rows.set_index("perspective")["share_pct"]
        mine = shares[f"{partner}'s share of China's trade"]
        theirs = shares[f"China's share of {partner}'s trade"]
        assert theirs > 5 * mine
        assert not math.isnan(mine)
