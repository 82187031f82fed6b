"""Checks for the Lesson 3 exercise: the North Korean dimension.

Expected answers are computed from the course data (through
:mod:`balancing_act.topics.north_korea`) the first time a learner checks an
answer; importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import (
    ExerciseSet,
    Question,
    expect_chart_data,
    expect_equal,
    expect_frame,
)
from balancing_act.data import load
from balancing_act.topics import north_korea as nk


def _nk_trade() -> pd.DataFrame:
    trade = load("china_customs_trade")
    return trade[trade["partner"] == "North Korea"]


def _lowest_year() -> int:
    wide = nk.trade_two_sources().dropna(subset=["china_customs_usd_bn"])
    return int(wide.loc[wide["china_customs_usd_bn"].idxmin(), "year"])


def _gaps() -> pd.DataFrame:
    wide = nk.trade_two_sources().dropna(subset=["gap_usd_bn"])
    return wide[["year", "gap_usd_bn"]].reset_index(drop=True)


def _china_yes_votes() -> int:
    return int((nk.unsc_votes()["china_vote"] == "yes").sum())



ex = ExerciseSet(
    lesson=3,
    questions=[
        Question(
            "q1",
            expect_equal(_lowest_year, describe="the year with the lowest China-North Korea trade in China's customs figures", success="Right: that is the year China's customs recorded the least trade with North Korea."),
            hints=[
                "Work with the nk_trade frame (China's customs rows for North Korea) and its total_usd_bn column.",
                "The method idxmin() gives the row label of the smallest value.",
                'Combine them: nk_trade.loc[nk_trade["total_usd_bn"].idxmin(), "year"], then int(...).',
            ],
            solution='low_year = int(nk_trade.loc[nk_trade["total_usd_bn"].idxmin(), "year"])',
        ),
        Question(
            "q2",
            expect_frame(
                _gaps,
                columns=["year", "gap_usd_bn"],
                sort=["year"],
                rtol=1e-6,
                describe="a table of the yearly gap between KOTRA's and China's customs figures",
                success="Right: the table shows, year by year, how far the two reporters' figures for the same trade differ.",
            ),
            hints=[
                "You need one row per year with both figures side by side: merge nk_trade and kotra on the year column.",
                'After nk_trade.merge(kotra, on="year"), China\'s figure is total_usd_bn and KOTRA\'s is trade_with_china_usd_bn.',
                'Add a column: both["gap_usd_bn"] = both["trade_with_china_usd_bn"] - both["total_usd_bn"], '
                'then keep both[["year", "gap_usd_bn"]].',
            ],
            solution=(
                'both = nk_trade.merge(kotra, on="year")\n'
                'both["gap_usd_bn"] = both["trade_with_china_usd_bn"] - both["total_usd_bn"]\n'
                'gaps = both[["year", "gap_usd_bn"]]'
            ),
        ),
        Question(
            "q3",
            expect_equal(_china_yes_votes, describe="the number of votes in which China voted yes", success="Right: that is how many of the Security Council's votes on North Korea China supported."),
            hints=[
                "The votes frame has a china_vote column with the values 'yes', 'no' and 'abstain'.",
                'votes["china_vote"] == "yes" gives True or False for each row.',
                "Adding up True values counts them: (...).sum(); wrap it in int(...).",
            ],
            solution='china_yes = int((votes["china_vote"] == "yes").sum())',
        ),
        Question(
            "q4",
            expect_chart_data(
                _nk_trade,
                "line",
                {"x": "year", "y": "total_usd_bn"},
                "a line chart of China's trade with North Korea, year on x and total_usd_bn on y",
                selected_on=["partner"],
                success="Right: the line shows China's recorded trade with North Korea year by year, with its pandemic low.",
            ),
            hints=[
                "Start from nk_trade: it already holds only the North Korea rows.",
                "alt.Chart(frame).mark_line() draws a line; .encode(x=..., y=...) says what goes where.",
                'x="year:O" and y="total_usd_bn:Q"; add point=True inside mark_line() to see each year.',
            ],
            solution='chart = alt.Chart(nk_trade).mark_line(point=True).encode(x="year:O", y="total_usd_bn:Q")',
        ),
    ],
    skills={
        "q1": ["pandas.sort", "evidence.reporters"],
        "q2": ["pandas.merge", "evidence.reporters"],
        "q3": ["pandas.filter"],
        "q4": ["altair.marks", "altair.encoding"],
    },
)
