"""Checks for the Lesson 1 exercise: China's position in the emerging bloc.

Expected answers are computed from the course data the first time a learner
checks an answer; importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act import analysis
from balancing_act.checks import (
    ExerciseSet,
    Question,
    Slip,
    expect_chart_data,
    expect_equal,
    expect_number,
    year_slips,
)
from balancing_act.data import load


def _russia() -> pd.DataFrame:
    trade = load("china_customs_trade")
    return trade[trade["partner"] == "Russia"]


def _best_year() -> int:
    russia = _russia()
    return int(russia.loc[russia["total_usd_bn"].idxmax(), "year"])


def _years() -> pd.Series:
    return load("china_customs_trade")["year"].dropna()


def _balance(year: int) -> float | None:
    rows = _russia().set_index("year")
    if year not in rows.index:
        return None
    return float(rows.loc[year, "exports_usd_bn"] - rows.loc[year, "imports_usd_bn"])


def _balance_2024() -> float:
    return float(_balance(2024))  # type: ignore[arg-type]


def _exports_2024() -> float:
    return float(_russia().set_index("year").loc[2024, "exports_usd_bn"])


def _north_korea_share(year: int) -> float | None:
    shares = analysis.partner_shares(year).set_index("partner")
    return float(shares.loc["North Korea", "share_pct"]) if "North Korea" in shares.index else None


def _north_korea_share_2024() -> float:
    return float(_north_korea_share(2024))  # type: ignore[arg-type]


def _partners_2023() -> pd.DataFrame:
    trade = load("china_customs_trade")
    return trade[(trade["year"] == 2023) & (trade["partner"] != "World")]



ex = ExerciseSet(
    lesson=1,
    questions=[
        Question(
            "q1",
            expect_equal(
                _best_year,
                describe="the year in which China's trade with Russia was largest",
                success="Right: that is the year China's trade with Russia peaked in the course data.",
            ),
            hints=[
                "Work with the russia frame and its total_usd_bn column.",
                "The method idxmax() gives the row label of the largest value.",
                'Combine them: russia.loc[russia["total_usd_bn"].idxmax(), "year"], then int(...).',
            ],
            solution='best_year = int(russia.loc[russia["total_usd_bn"].idxmax(), "year"])',
        ),
        Question(
            "q2",
            expect_number(
                _balance_2024,
                tol=0.01,
                unit="billion US dollars",
                decimals=2,
                describe="China's 2024 trade balance with Russia",
                slips=[
                    *year_slips(_balance, 2024, _years, what="balance"),
                    Slip("exports alone", _exports_2024,
                         "that is China's exports to Russia alone; a balance is exports minus imports."),
                ],
                success="Right: in 2024 China bought more from Russia than it sold to it, a deficit on China's side.",
            ),
            hints=[
                "A trade balance is exports minus imports, seen from China.",
                'Select the 2024 row first: russia[russia["year"] == 2024].',
                "Take exports_usd_bn minus imports_usd_bn from that row; .iloc[0] turns a one-row column into a number.",
            ],
            solution=(
                'row = russia[russia["year"] == 2024].iloc[0]\n'
                'balance_2024 = row["exports_usd_bn"] - row["imports_usd_bn"]'
            ),
        ),
        Question(
            "q3",
            # The share is about 0.035 %, so the allowance is relative: the question asks for three
            # significant figures, and 0.5 % of the answer accepts any answer rounded that way (0.0354)
            # while rejecting one 3 % off. Three figures is what the data support (the world total is
            # given in trillions to two decimals, about 0.1 % of it).
            expect_number(
                _north_korea_share_2024,
                rel_tol=0.005,
                unit="%",
                describe="North Korea's share of China's total trade in 2024",
                slips=year_slips(_north_korea_share, 2024, _years, what="share"),
                success="Right: North Korea is a tiny fraction of one percent of China's trade.",
            ),
            hints=[
                "A share is the part divided by the whole, times 100.",
                'The whole is China\'s trade with the "World" in 2024; the part is its trade with "North Korea".',
                "analysis.partner_shares(2024) has a share_pct column; or divide the two total_usd_bn values yourself.",
            ],
            solution=(
                'shares = analysis.partner_shares(2024).set_index("partner")\n'
                'nk_share_2024 = shares.loc["North Korea", "share_pct"]'
            ),
        ),
        Question(
            "q4",
            expect_chart_data(
                _partners_2023,
                "bar",
                {"x": "total_usd_bn", "y": "partner"},
                "a bar chart of China's 2023 trade with each partner, total_usd_bn on x and partner on y",
                selected_on=["year", "partner"],
                success="Right: the bars show China's 2023 trade with each partner, Russia well behind the largest ones.",
            ),
            hints=[
                "Start from the 2023 rows, without the World row.",
                "alt.Chart(frame).mark_bar() draws bars; .encode(x=..., y=...) says what goes where.",
                'x="total_usd_bn:Q" and y=alt.Y("partner:N", sort="-x") give sorted horizontal bars.',
            ],
            solution=(
                'partners_2023 = trade[(trade["year"] == 2023) & (trade["partner"] != "World")]\n'
                'chart = alt.Chart(partners_2023).mark_bar().encode(\n'
                '    x="total_usd_bn:Q", y=alt.Y("partner:N", sort="-x")\n'
                ')'
            ),
        ),
    ],
    skills={
        "q1": ["pandas.filter", "pandas.sort"],
        "q2": ["pandas.filter", "pandas.select"],
        "q3": ["pandas.share"],
        "q4": ["pandas.filter", "altair.marks", "altair.encoding"],
    },
)
