"""The course's own data: every figure traceable to a named source, and internally consistent."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from balancing_act.data import describe, list_datasets, load

DATA = Path(__file__).resolve().parents[1] / "data"


def test_every_csv_is_described_and_every_resource_exists() -> None:
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in descriptor["resources"]}
    on_disk = {p.name for p in DATA.glob("*.csv")}
    assert described == on_disk


ALL = [r["name"] for r in json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["resources"]]


@pytest.mark.parametrize("name", ALL)
def test_every_row_cites_a_listed_source(name: str) -> None:
    ds = describe(name)
    known = {s["id"] for s in ds.sources}
    for source in ds.sources:
        for key in ("id", "title", "organisation", "path", "date"):
            assert source.get(key), f"{name}: source {source.get('id')} lacks {key}"
        assert source["path"].startswith(("http://", "https://")), source
    with ds.path.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            ids = [i for i in row["source_id"].split(";") if i]
            assert ids, f"{ds.path.name}, line {line}: no source"
            unknown = [i for i in ids if i not in known]
            assert not unknown, f"{ds.path.name}, line {line}: {unknown} not in the descriptor's sources"


def test_all_datasets_load_and_carry_caveats() -> None:
    for name in list_datasets():
        frame = load(name)
        assert len(frame) > 0
        assert describe(name).caveats, f"{name} has no caveats"
        assert describe(name).licenses, f"{name} has no licence"


def test_totals_match_parts_within_reporting_precision() -> None:
    trade = load("china_customs_trade")
    complete = trade.dropna(subset=["total_usd_bn", "exports_usd_bn", "imports_usd_bn"])
    assert len(complete) >= 15
    for row in complete.itertuples():
        # World totals are reported in trillions to two decimals: +/- 10 billion.
        tolerance = 10.5 if row.partner == "World" else 0.11
        gap = abs(row.total_usd_bn - row.exports_usd_bn - row.imports_usd_bn)
        assert gap <= tolerance, f"{row.year} {row.partner}: total differs from parts by {gap:.3f}"


def test_china_russia_series_covers_2013_to_2025() -> None:
    trade = load("china_customs_trade")
    russia = trade[trade["partner"] == "Russia"]
    assert sorted(russia["year"].astype(int)) == list(range(2013, 2026))
    empty = russia[russia["total_usd_bn"].isna()]
    assert empty["note"].str.startswith("Left empty:").all(), "a year without a total must say why in its note"
    assert list(empty["year"]) == [2013, 2015]  # 2013 was found only in a copy, 2015 only as a journalist's conversion


def test_stated_shares_agree_with_stated_values() -> None:
    dep = load("partner_dependence").dropna(subset=["total_trade_usd_bn", "trade_with_china_usd_bn", "china_share_pct"])
    assert len(dep) >= 10
    for row in dep.itertuples():
        computed = 100 * row.trade_with_china_usd_bn / row.total_trade_usd_bn
        assert abs(computed - row.china_share_pct) < 0.6, f"{row.year} {row.country} {row.reporter}: {computed:.2f} vs {row.china_share_pct}"


def test_kotra_counts_more_china_trade_than_china_customs_from_2014() -> None:
    """The descriptor's caveat: KOTRA adds estimated crude oil that China's customs record as zero."""
    trade = load("china_customs_trade")
    gacc = trade[trade["partner"] == "North Korea"].set_index("year")["total_usd_bn"]
    dep = load("partner_dependence")
    kotra = dep[dep["reporter"] == "KOTRA"].set_index("year")["trade_with_china_usd_bn"]
    years = sorted(set(gacc.index) & set(kotra.index))
    assert len(years) >= 10
    for year in years:
        if year >= 2014:
            assert kotra[year] > gacc[year], year
    assert abs(kotra[2013] - gacc[2013]) < 0.01


GRADES = {"primary", "report", "reference", "copy"}
BULK = ["unga_roll_calls", "unga_china_agreement", "world_bank_gdp", "dprk_bok_estimates", "sipri_military_expenditure"]


@pytest.mark.parametrize("name", BULK)
def test_bulk_datasets_grade_every_source_and_name_its_licence(name: str) -> None:
    ds = describe(name)
    for source in ds.sources:
        assert source.get("grade") in GRADES, f"{name}: source {source['id']} has grade {source.get('grade')!r}"
    assert all(lic.get("name") and lic.get("path", "").startswith("https://") for lic in ds.licenses), name
