"""Checks for the Lesson 4 exercise: economic interdependence and strategic hesitation.

Expected answers are computed from the course data the first time a learner
checks an answer; importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import (
    ExerciseSet,
    Question,
    chart_encodes,
    expect_chart_data,
    expect_equal,
    expect_number,
    year_slips,
)
from balancing_act.data import load
from balancing_act.topics import interdependence

WHAT_IF_YEAR = 2023
WHAT_IF_PARTNERS = ("United States", "European Union", "Japan")
WHAT_IF_PCT = 10


def _russia_crude_share(year: int) -> float | None:
    table = interdependence.russia_crude().set_index("year")
    return float(table.loc[year, "share_pct"]) if year in table.index else None


def _russia_crude_share_2024() -> float:
    return float(_russia_crude_share(2024))  # type: ignore[arg-type]


def _us_measures() -> int:
    sanctions = load("sanctions_measures")
    return int((sanctions["actor"] == "United States").sum())


def _what_if_amount_in(year: int) -> float | None:
    try:
        return interdependence.exposure(year, WHAT_IF_PARTNERS, WHAT_IF_PCT).at_stake_usd_bn
    except Exception:  # a year the data do not cover
        return None


def _what_if_amount() -> float:
    return interdependence.exposure(WHAT_IF_YEAR, WHAT_IF_PARTNERS, WHAT_IF_PCT).at_stake_usd_bn


def _trade_years() -> pd.Series:
    return load("china_customs_trade")["year"].dropna()


_POINT_MARKS = {"point", "circle", "square", "tick"}


def _date_as_time(spec: dict) -> bool | str:
    if not chart_encodes(spec, "x", field="date", type="temporal"):
        return "Tell Altair that date is a time: write x='date:T', not x='date'."
    return True


ex = ExerciseSet(
    lesson=4,
    questions=[
        Question(
            "q1",
            expect_number(
                _russia_crude_share_2024,
                tol=0.01,
                unit="%",
                decimals=1,
                describe="Russia's share of China's crude oil imports in 2024, to one decimal",
                slips=year_slips(_russia_crude_share, 2024, lambda: interdependence.russia_crude()["year"], what="share"),
                success="Right: in 2024 Russia supplied about a fifth of China's crude oil imports.",
            ),
            hints=[
                "A share is the part divided by the whole, times 100.",
                'The part is the 2024 row for supplier "Russia", the whole the 2024 row for "World", both in million_tonnes.',
                'Select each with crude[(crude["year"] == 2024) & (crude["supplier"] == "Russia")]["million_tonnes"].iloc[0], '
                "and the same for World; then divide and multiply by 100.",
            ],
            solution=(
                "in_2024 = crude[crude[\"year\"] == 2024].set_index(\"supplier\")[\"million_tonnes\"]\n"
                "russia_share_2024 = 100 * in_2024[\"Russia\"] / in_2024[\"World\"]"
            ),
        ),
        Question(
            "q2",
            expect_equal(_us_measures, describe="the number of measures by the United States in the sanctions list", success="Right: that is how many of the listed measures the United States took."),
            hints=[
                "Each row of sanctions is one measure or statement; the actor column says who took it.",
                'sanctions["actor"] == "United States" gives True for the rows you want.',
                "Adding up True values counts them: (sanctions[\"actor\"] == \"United States\").sum(), then int(...).",
            ],
            solution='us_measures = int((sanctions["actor"] == "United States").sum())',
        ),
        Question(
            "q3",
            expect_number(
                _what_if_amount,
                tol=0.01,
                unit="billion US dollars",
                decimals=1,
                describe="10% of China's 2023 trade with the United States, the EU and Japan, to one decimal",
                slips=year_slips(_what_if_amount_in, 2023, _trade_years, what="trade"),
                success="Right: a 10% fall in trade with these three partners alone would put this much at stake.",
            ),
            hints=[
                "First add up China's 2023 total_usd_bn with the three partners; then take 10% of the sum.",
                'trade[(trade["year"] == 2023) & trade["partner"].isin([...])] selects the three rows.',
                'Sum their total_usd_bn column and multiply by 0.10. (interdependence.exposure(2023, [...], 10) gives the same number.)',
            ],
            solution=(
                'partners = ["United States", "European Union", "Japan"]\n'
                'rows = trade[(trade["year"] == 2023) & trade["partner"].isin(partners)]\n'
                'at_stake = 0.10 * rows["total_usd_bn"].sum()'
            ),
        ),
        Question(
            "q4",
            expect_chart_data(
                lambda: load("sanctions_measures"),
                sorted(_POINT_MARKS),
                {"x": "date", "y": "actor"},
                "a point chart with date (as a time) on x and actor on y, with a title and a tooltip",
                extra=_date_as_time,
                require_title=True,
                require_tooltip=True,
                success="Right: the dots show when each government announced its measures.",
            ),
            hints=[
                "One dot per row of sanctions: alt.Chart(sanctions).mark_point().",
                "In .encode(...), x is the date and y the actor.",
                'Write x="date:T" (T for time) and y="actor:N" (N for a name), add tooltip=["date", "measure"], then '
                '.properties(title="...") for the title.',
            ],
            solution=(
                'timeline = alt.Chart(sanctions).mark_point().encode(\n'
                '    x="date:T", y="actor:N", color="actor:N", tooltip=["date", "actor", "measure"]\n'
                ').properties(title="Sanctions and statements on Chinese firms, by date")'
            ),
        ),
    ],
    skills={
        "q1": ["pandas.share"],
        "q2": ["pandas.filter"],
        "q3": ["pandas.filter", "pandas.share"],
        "q4": ["altair.encoding", "altair.tooltip"],
    },
)
