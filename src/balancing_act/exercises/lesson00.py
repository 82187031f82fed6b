"""The demonstration check of Lesson 0."""

from __future__ import annotations

from balancing_act.checks import ExerciseSet, Question, expect_equal
from balancing_act.data import load


def _first_russia_year() -> int:
    trade = load("china_customs_trade")
    return int(trade.loc[trade["partner"] == "Russia", "year"].min())


ex = ExerciseSet(
    lesson=0,
    questions=[
        Question(
            "q1",
            expect_equal(_first_russia_year, describe="the first year of the China-Russia series", success="Right: that is where the course's China-Russia trade series begins."),
            hints=[
                "Look at the x axis of the chart above: where does the line start?",
                "It is a year in the 2010s; write it as a plain number, without quotes.",
            ],
            solution='first_year = int(trade.loc[trade["partner"] == "Russia", "year"].min())',
        )
    ],
    skills={
        "q1": ["pandas.select"],
    },
)
