"""Checks for the Lesson 6 exercise: global reactions and Western concerns.

Expected answers are computed from the course data (``unga_ukraine_votes`` and
``unga_roll_calls``) the first
time a learner checks an answer; importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import (
    ExerciseSet,
    Question,
    expect_chart_data,
    expect_equal,
    expect_frame,
    expect_number,
    year_slips,
)
from balancing_act.data import load
from balancing_act.topics import diplomacy


def _china_abstentions() -> int:
    unga = load("unga_ukraine_votes")
    return int((unga["china_vote"] == "abstain").sum())


def _china_dprk_agreement() -> float:
    votes = diplomacy.assembly_votes(load("unga_ukraine_votes"))
    return diplomacy.agreement(votes, "China", "North Korea").share_pct


def _china_pct_same(partner: str, first_year: int, last_year: int) -> float:
    """Percent of the roll calls of ``first_year``-``last_year`` on which China and ``partner``
    both voted and cast the same vote (from the yearly counts of the lesson's rule)."""
    yearly = diplomacy.yearly_agreement(load("unga_roll_calls"), partners=[partner])
    years = yearly[yearly["year"].between(first_year, last_year)]
    return 100 * float(years["same_vote"].sum()) / float(years["both_voted"].sum())


def _china_agreement_question(
    name: str, partner: str, years: tuple[int, int], period: str, hints: list[str], solution: str
) -> Question:
    """A question asking for China's agreement rate with ``partner`` over ``years`` (percent)."""
    label = "the United States" if partner == "United States" else partner
    return Question(
        name,
        expect_number(
            lambda: _china_pct_same(partner, *years),
            tol=0.01,
            unit="%",
            decimals=1,
            describe=f"the percentage of the {period} roll calls on which China and {label} both voted and voted alike",
            slips=year_slips(
                lambda year: _china_pct_same(partner, year, year),
                years[0],
                lambda: diplomacy.yearly_agreement(load("unga_roll_calls"), partners=[partner])["year"],
                what="rate",
            )
            if years[0] == years[1]
            else (),
            success=f"Right: that is how often China and {label} cast the same vote in {period}.",
        ),
        hints=hints,
        solution=solution,
    )


def _yes_shares() -> pd.DataFrame:
    unga = load("unga_ukraine_votes")
    cast = unga["in_favour"] + unga["against"] + unga["abstentions"]
    out = pd.DataFrame({"resolution": unga["resolution"], "yes_pct": 100 * unga["in_favour"] / cast})
    out["yes_pct"] = out["yes_pct"].astype("float64")
    return out




ex = ExerciseSet(
    lesson=6,
    questions=[
        Question(
            "q1",
            expect_equal(_china_abstentions, describe="the number of texts on which China abstained", success="Right: that is how many of the Ukraine texts China abstained on."),
            hints=[
                "Work with the china_vote column of unga.",
                'unga["china_vote"] == "abstain" gives True or False for each row.',
                'Add up the True values with .sum(), and make it a whole number with int(...).',
            ],
            solution='china_abstentions = int((unga["china_vote"] == "abstain").sum())',
        ),
        Question(
            "q2",
            expect_number(
                _china_dprk_agreement,
                tol=0.01,
                unit="%",
                decimals=1,
                describe="the percentage of texts with a recorded vote for both on which China and North Korea voted the same way",
                success="Right: that is how often China and North Korea voted the same way on the Ukraine texts.",
            ),
            hints=[
                "First leave out the rows where either vote is missing: .dropna(subset=[...]) with both column names.",
                'Compare the two columns of what is left: both["china_vote"] == both["dprk_vote"].',
                "The mean of a True/False column is the share of True values; multiply by 100 for a percentage.",
            ],
            solution=(
                'both = unga.dropna(subset=["china_vote", "dprk_vote"])\n'
                'china_dprk_pct = 100 * (both["china_vote"] == both["dprk_vote"]).mean()'
            ),
        ),
        Question(
            "q3",
            expect_frame(
                _yes_shares,
                columns=["resolution", "yes_pct"],
                sort=["resolution"],
                describe="a table of each resolution and its yes_pct",
                success="Right: the table shows what share of the votes cast each Ukraine text won.",
            ),
            hints=[
                "The votes cast on a text are in_favour + against + abstentions.",
                "Divide in_favour by that sum and multiply by 100, for every row at once.",
                'Build the table with unga.assign(yes_pct=...)[["resolution", "yes_pct"]].',
            ],
            solution=(
                'cast = unga["in_favour"] + unga["against"] + unga["abstentions"]\n'
                'yes_shares = unga.assign(yes_pct=100 * unga["in_favour"] / cast)[["resolution", "yes_pct"]]'
            ),
        ),
        Question(
            "q4",
            expect_chart_data(
                lambda: load("unga_ukraine_votes"),
                "bar",
                [{"x": "count()", "y": "china_vote"}, {"x": "china_vote", "y": "count()"}],
                "a bar chart counting China's votes, one bar per kind of vote, with a title and a tooltip",
                require_title=True,
                require_tooltip=True,
                success="Right: the bars count how China voted on the General Assembly's Ukraine texts.",
            ),
            hints=[
                "One row of unga is one text; you want to count rows for each value of china_vote.",
                'Altair counts for you: the shorthand "count()" on one axis.',
                'alt.Chart(unga).mark_bar().encode(x="count()", y="china_vote:N", tooltip=["china_vote:N", "count()"])'
                '.properties(title="...")',
            ],
            solution=(
                'chart = alt.Chart(unga).mark_bar().encode(\n'
                '    x="count()", y="china_vote:N", tooltip=["china_vote:N", "count()"]\n'
                ').properties(title="How China voted on the General Assembly\'s Ukraine texts")'
            ),
        ),
        _china_agreement_question(
            "q5",
            "United States",
            (2019, 2019),
            "2019",
            hints=[
                'Keep the rows of 2019: rollcalls[rollcalls["date"].str.startswith("2019")].',
                'Then leave out the rows where either vote is empty: .dropna(subset=["china", "united_states"]).',
                'The mean of (both["china"] == both["united_states"]) is the share that agree; times 100 for a percentage.',
            ],
            solution=(
                'votes_2019 = rollcalls[rollcalls["date"].str.startswith("2019")]\n'
                'both = votes_2019.dropna(subset=["china", "united_states"])\n'
                'china_us_2019_pct = 100 * (both["china"] == both["united_states"]).mean()'
            ),
        ),
        _china_agreement_question(
            "q6",
            "Russia",
            (1990, 1999),
            "1990-1999",
            hints=[
                "The year is the first four characters of date: rollcalls[\"date\"].str[:4].astype(int).",
                "Keep the years 1990 to 1999 with .between(1990, 1999), then drop the rows where either vote is empty.",
                "Compare the china and russia columns, take the mean and multiply by 100.",
            ],
            solution=(
                'year = rollcalls["date"].str[:4].astype(int)\n'
                'nineties = rollcalls[year.between(1990, 1999)].dropna(subset=["china", "russia"])\n'
                'china_russia_1990s_pct = 100 * (nineties["china"] == nineties["russia"]).mean()'
            ),
        ),
    ],
    skills={
        "q1": ["pandas.filter"],
        "q2": ["pandas.share"],
        "q3": ["pandas.select", "pandas.share"],
        "q4": ["pandas.group", "altair.marks"],
        "q5": ["pandas.filter", "pandas.share"],
        "q6": ["pandas.group", "pandas.share"],
    },
)
