"""The partner explorer, driven without a kernel through its traits and controls."""

from __future__ import annotations

import pandas as pd
import pytest
import traitlets

from balancing_act.explorers import PartnerExplorer


def _trade() -> pd.DataFrame:
    rows = []
    for year, world in ((2023, 1000.0), (2024, 1100.0), (2025, None)):
        rows.append({"year": year, "partner": "World", "total_usd_bn": world, "exports_usd_bn": None if world is None else world / 2, "imports_usd_bn": None})
        for partner, value in (("United States", 100.0), ("European Union", 90.0), ("Russia", 40.0 + year - 2023), ("North Korea", 2.0)):
            rows.append({"year": year, "partner": partner, "total_usd_bn": value, "exports_usd_bn": value / 2, "imports_usd_bn": value / 2})
    rows.append({"year": 2013, "partner": "Russia", "total_usd_bn": 89.0, "exports_usd_bn": None, "imports_usd_bn": None})
    frame = pd.DataFrame(rows)
    frame.attrs["source"] = "Source: customs"
    return frame


def test_offers_only_years_with_enough_partners_and_starts_at_latest() -> None:
    explorer = PartnerExplorer(_trade())
    assert explorer._year_control.options == (2023, 2024, 2025)
    assert explorer.year == 2025
    assert "shares cannot be computed" in explorer.summary


def test_moving_the_year_control_updates_summary_and_chart() -> None:
    explorer = PartnerExplorer(_trade(), year=2023)
    assert "Russia: 40.00 bn US$ = 4.00% of China's total" in explorer.summary
    before = explorer.chart.to_dict()
    explorer._year_control.value = 2024
    assert explorer.year == 2024
    assert "Russia: 41.00 bn US$ = 3.73% of China's total" in explorer.summary
    assert explorer.chart.to_dict()["title"]["text"] == "China's trade by partner, 2024"
    assert explorer.chart.to_dict() != before
    shown = explorer._output.outputs[0]["data"]
    assert "application/vnd.vegalite.v5+json" in shown


def test_metric_toggle_switches_to_exports() -> None:
    explorer = PartnerExplorer(_trade(), year=2023)
    explorer._metric_control.value = "exports_usd_bn"
    assert explorer.metric == "exports_usd_bn"
    assert explorer.summary.startswith("2023, China's exports.")
    assert "Russia: 20.00 bn US$ = 4.00% of China's total" in explorer.summary


def test_invalid_state_is_refused_with_the_choices() -> None:
    explorer = PartnerExplorer(_trade())
    with pytest.raises(traitlets.TraitError, match=r"year 2013 is not offered; choose one of \[2023, 2024, 2025\]"):
        explorer.year = 2013
    with pytest.raises(traitlets.TraitError, match=r"metric 'gdp' is not available"):
        explorer.metric = "gdp"


def test_controls_are_labelled_and_repr_is_short() -> None:
    explorer = PartnerExplorer(_trade(), year=2024)
    assert explorer._year_control.description == "Year"
    assert explorer._metric_control.description == "Measure"
    assert repr(explorer) == "PartnerExplorer(year=2024, metric='total_usd_bn')"

