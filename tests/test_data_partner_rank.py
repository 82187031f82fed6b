"""Russia's stated rank among China's trading partners agrees with the customs rows, its dates and its caveats.

Each test checks one kind of error over every row of ``russia_trade_partner_rank``: a rank the
course's own customs figures rule out, a statement dated before the period it describes or after
the report of it, a partial year offered to the lessons, a rank resting on a copy, and gaps in the
years that the descriptor does not own up to.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pandas as pd
import pytest

from balancing_act.data import describe, load
from test_data_consistency import _latest_day

NAME = "russia_trade_partner_rank"
#: Partners in china_customs_trade that are groupings, not single countries or territories.
BLOCS = ("World", "European Union", "ASEAN")
FULL_YEAR = "full year"
#: The last month each partial period covers ('year to date' ends at the latest on the day of the statement).
PERIOD_END_MONTH = {"January-June": 6, "January-September": 9}


def _ranks() -> pd.DataFrame:
    return load(NAME)


def _single_countries_ahead(year: int) -> list[str] | None:
    """Single countries and territories with more trade with China than Russia in ``year``, per china_customs_trade.

    None if the customs rows lack Russia's total or any other single partner for that year.
    """
    trade = load("china_customs_trade")
    rows = trade[(trade["year"] == year) & trade["total_usd_bn"].notna()]
    russia = rows.loc[rows["partner"] == "Russia", "total_usd_bn"]
    others = rows[~rows["partner"].isin((*BLOCS, "Russia"))]
    if russia.empty or others.empty:
        return None
    return sorted(others.loc[others["total_usd_bn"] > russia.iloc[0], "partner"])


def test_no_full_year_rank_is_ruled_out_by_the_customs_rows() -> None:
    """A stated place (or 'top N') cannot be better than one plus the partners the customs rows put ahead of Russia.

    Every basis in the dataset counts single countries, so only single countries are counted ahead;
    blocs would only push the lower bound up."""
    checked = 0
    for row in _ranks().itertuples():
        if row.period != FULL_YEAR:
            continue
        ahead = _single_countries_ahead(int(row.year))
        if ahead is None:
            continue
        checked += 1
        assert row.rank >= len(ahead) + 1, (
            f"{row.year}, {row.stated_by}: place {row.rank} ({row.rank_kind}) is ruled out; the customs rows put "
            f"{len(ahead)} single partners ahead of Russia ({', '.join(ahead)})"
        )
    assert checked >= 4  # 2023, 2023, 2024 and 2025 have other partners in the customs rows


def test_the_lessons_2023_row_agrees_with_the_2023_partner_order() -> None:
    """2023 is the year the customs dataset has its partner set: the lessons' row and its note say what that order says."""
    ranks = _ranks()
    chosen = ranks[(ranks["year"] == 2023) & (ranks["lessons_use"] == "yes")]
    assert len(chosen) == 1
    row = chosen.iloc[0]
    assert row["basis"] == "countries" and row["rank_kind"] == "exact"
    ahead = _single_countries_ahead(2023)
    assert ahead is not None
    assert row["rank"] == len(ahead) + 1
    for partner in ahead:
        assert partner in row["note"], f"the 2023 note does not name {partner}, which the customs rows put ahead of Russia"


def test_the_caveat_on_blocs_matches_the_2023_order() -> None:
    """The caveats say reports put the United States third, after ASEAN and the EU: so do the 2023 customs rows."""
    trade = load("china_customs_trade")
    year = trade[(trade["year"] == 2023) & ~trade["partner"].isin(["World"])].dropna(subset=["total_usd_bn"])
    order = year.sort_values("total_usd_bn", ascending=False)["partner"].tolist()
    assert order[:3] == ["ASEAN", "European Union", "United States"]
    assert any("third after ASEAN and the EU" in c for c in describe(NAME).caveats)


def test_partial_years_are_marked_and_not_offered_to_the_lessons() -> None:
    ranks = _ranks()
    partial = ranks[ranks["period"] != FULL_YEAR]
    assert len(partial) >= 3
    assert (partial["lessons_use"] == "no").all()
    for row in partial.itertuples():
        assert str(row.note).startswith("Partial year"), f"{row.year} {row.stated_by}: a partial-year row's note must say so first"
    chosen = ranks[ranks["lessons_use"] == "yes"]
    assert not chosen["year"].duplicated().any(), "more than one row a year is marked for the lessons"
    assert set(chosen["year"]) == set(ranks.loc[ranks["period"] == FULL_YEAR, "year"]), "a year with a full-year rank has no row for the lessons"


def test_each_statement_is_dated_after_its_period_and_no_later_than_its_reports() -> None:
    ranks = _ranks()
    sources = {s["id"]: s for s in describe(NAME).sources}
    for row in ranks.itertuples():
        said = dt.date.fromisoformat(row.stated_on)
        if row.period == FULL_YEAR:
            assert said > dt.date(row.year, 12, 31), f"{row.year} {row.stated_by}: a full-year rank stated on {said}"
        elif row.period in PERIOD_END_MONTH:
            month = PERIOD_END_MONTH[row.period]
            end = dt.date(row.year, month, calendar.monthrange(row.year, month)[1])
            assert said > end, f"{row.year} {row.period} {row.stated_by}: stated on {said}, before the period ended"
        else:
            assert said.year == row.year, f"{row.year} {row.period} {row.stated_by}: a year-to-date rank stated in {said.year}"
        for sid in row.source_id.split(";"):
            assert said <= _latest_day(str(sources[sid]["date"])), f"{row.year} {row.stated_by}: source {sid} is dated before the statement"


def test_each_rank_rests_first_on_a_source_that_is_not_a_copy() -> None:
    grade = {s["id"]: s["grade"] for s in describe(NAME).sources}
    for row in _ranks().itertuples():
        first = row.source_id.split(";")[0]
        assert grade[first] in ("primary", "report"), f"{row.year} {row.stated_by}: the rank rests on {first} ({grade[first]})"


def test_years_without_a_rank_are_listed_as_gaps() -> None:
    ranks = _ranks()
    field = next(f for f in describe(NAME).fields if f["name"] == "year")
    span = range(field["constraints"]["minimum"], field["constraints"]["maximum"] + 1)
    missing = set(span) - set(ranks["year"])
    gaps = next(c for c in describe(NAME).caveats if c.startswith("Gaps"))
    listed = {int(y) for y in re.findall(r"\b(20\d\d)\b", gaps)} & set(span)
    assert listed == missing, f"years without a row: {sorted(missing)}; the gaps caveat names {sorted(listed)}"


@pytest.mark.parametrize("column", ["basis", "period", "rank_kind"])
def test_each_kind_of_row_is_explained_in_the_descriptor(column: str) -> None:
    """Every value used in a coded column is defined in that column's description."""
    field = next(f for f in describe(NAME).fields if f["name"] == column)
    for value in set(_ranks()[column]):
        assert f"'{value}'" in field["description"] or value in field["description"], f"{column} value {value!r} is not explained"
