""""Your turn" questions for Lesson 6: global reactions and Western concerns.

Expected answers are computed from the course data (``unga_ukraine_votes`` and
``unga_roll_calls``) the first time a learner checks an answer; importing this
module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import Question, Slip, expect_chart_data, expect_number, year_slips
from balancing_act.data import load
from balancing_act.practice import PracticeSet
from balancing_act.topics import diplomacy

RESOLUTION = "A/RES/ES-11/1"
#: Member states of the United Nations when the Assembly voted on the Ukraine texts (2022-2025).
UN_MEMBERS = 193
YEAR = 2018


def _first_text() -> pd.Series:
    unga = load("unga_ukraine_votes")
    return unga.set_index("resolution").loc[RESOLUTION]


def _yes_of_cast() -> float:
    row = _first_text()
    return float(100 * row["in_favour"] / (row["in_favour"] + row["against"] + row["abstentions"]))


def _yes_of_members() -> float:
    return float(100 * _first_text()["in_favour"] / UN_MEMBERS)


def _yearly(partner: str) -> pd.DataFrame:
    return diplomacy.yearly_agreement(load("unga_roll_calls"), partners=[partner])


def _china_us_ukraine(denominator: str = "both voted") -> float:
    """China's agreement with the United States on the Ukraine texts: over the texts both voted on, or over all."""
    unga = load("unga_ukraine_votes")
    both = unga.dropna(subset=["china_vote", "us_vote"])
    same = int((both["china_vote"] == both["us_vote"]).sum())
    return float(100 * same / (len(both) if denominator == "both voted" else len(unga)))


def _china_us_ukraine_count() -> int:
    unga = load("unga_ukraine_votes").dropna(subset=["china_vote", "us_vote"])
    return int((unga["china_vote"] == unga["us_vote"]).sum())


def _agreement_pct(partner: str, year: int) -> float | None:
    rows = _yearly(partner).set_index("year")
    if year not in rows.index:
        return None
    return float(100 * rows.loc[year, "same_vote"] / rows.loc[year, "both_voted"])


def _dprk_trend() -> pd.DataFrame:
    yearly = _yearly("North Korea")
    return yearly.assign(agreement_pct=100 * yearly["same_vote"] / yearly["both_voted"])


practice = PracticeSet(
    lesson=6,
    questions=[
        Question(
            "yes_share",
            expect_number(
                _yes_of_cast,
                unit="%",
                decimals=1,
                slips=[
                    Slip(
                        "share of all members",
                        _yes_of_members,
                        "that divides by all 193 member states; the question asks for the share of the votes cast "
                        "(in favour + against + abstentions), which leaves out the states that did not vote.",
                    )
                ],
                describe="the votes in favour of ES-11/1 as a percentage of the votes cast",
                success="Right: about four in five of the states that voted backed the first Ukraine text, "
                "and China was among the abstainers.",
            ),
            hints=[
                "The votes cast are in_favour + against + abstentions; the share is 100 * in_favour / that sum.",
                f'Select the row of {RESOLUTION}: unga[unga["resolution"] == "{RESOLUTION}"], or index unga by resolution.',
                f'first = unga.set_index("resolution").loc["{RESOLUTION}"], then '
                '100 * first["in_favour"] / (first["in_favour"] + first["against"] + first["abstentions"]).',
            ],
            solution=(
                f'first = unga.set_index("resolution").loc["{RESOLUTION}"]\n'
                'yes_pct = 100 * first["in_favour"] / (first["in_favour"] + first["against"] + first["abstentions"])'
            ),
            skills=["pandas.filter", "pandas.share"],
        ),
        Question(
            "china_us_ukraine",
            expect_number(
                _china_us_ukraine,
                unit="%",
                decimals=1,
                slips=[
                    Slip(
                        "all texts as the denominator",
                        lambda: _china_us_ukraine("all texts"),
                        "that divides by all the texts; the rule leaves out every text on which either vote is not "
                        'recorded (unga.dropna(subset=["china_vote", "us_vote"]) first).',
                    ),
                    Slip(
                        "the count, not the percentage",
                        _china_us_ukraine_count,
                        "that is the number of texts with the same vote; the question asks for their percentage of "
                        "the texts both countries voted on.",
                    ),
                ],
                describe="the percentage of the Ukraine texts with both votes recorded on which China and the "
                "United States cast the same vote, to one decimal",
                success="Right: where both votes are recorded, China voted like the United States on one text in "
                "five, no more often than it voted like Russia.",
            ),
            hints=[
                "Two steps: keep the texts on which both China and the United States have a vote, then take the share "
                "of them on which the two votes are equal.",
                'both = unga.dropna(subset=["china_vote", "us_vote"]) keeps those texts; '
                'both["china_vote"] == both["us_vote"] is True where the votes match.',
                '100 * (both["china_vote"] == both["us_vote"]).mean().',
            ],
            solution=(
                'both = unga.dropna(subset=["china_vote", "us_vote"])\n'
                'china_us_pct = 100 * (both["china_vote"] == both["us_vote"]).mean()'
            ),
            skills=["pandas.filter", "pandas.share"],
        ),
        Question(
            "china_us_2018",
            expect_number(
                lambda: _agreement_pct("United States", YEAR),
                unit="%",
                decimals=1,
                slips=[
                    *year_slips(
                        lambda y: _agreement_pct("United States", y),
                        YEAR,
                        lambda: _yearly("United States")["year"],
                        what="agreement",
                    ),
                    Slip(
                        "Russia for the United States",
                        lambda: _agreement_pct("Russia", YEAR),
                        "that is China's agreement with Russia; the question asks about the United States "
                        "(the united_states column).",
                    ),
                ],
                describe="the percentage of the 2018 roll calls on which China and the United States both voted and voted alike",
                success="Right: in 2018 China cast the same vote as the United States on about one roll call in "
                "eight, far less often than with Russia.",
            ),
            hints=[
                'Keep the rows of 2018: rollcalls[rollcalls["year"] == 2018] (the lesson added the year column).',
                'Leave out the rows where either vote is empty: .dropna(subset=["china", "united_states"]).',
                'The mean of (both["china"] == both["united_states"]) is the share that agree; times 100 for a percentage.',
            ],
            solution=(
                'both = rollcalls[rollcalls["year"] == 2018].dropna(subset=["china", "united_states"])\n'
                'china_us_2018_pct = 100 * (both["china"] == both["united_states"]).mean()'
            ),
            skills=["pandas.filter", "pandas.share"],
        ),
        Question(
            "dprk_trend",
            expect_chart_data(
                _dprk_trend,
                "line",
                {"x": "year", "y": "agreement_pct"},
                "a line chart of China's yearly agreement with North Korea, with a title and a tooltip",
                selected_on=["partner"],
                require_title=True,
                require_tooltip=True,
                success="Right: the line stays high from North Korea's entry in 1991, which makes Pyongyang "
                "China's closest voting partner of the three.",
            ),
            hints=[
                'Keep the North Korea rows of by_year: by_year[by_year["partner"] == "North Korea"].',
                "alt.Chart(frame).mark_line().encode(x=..., y=..., tooltip=[...]), then .properties(title=...).",
                'x="year:O", y="agreement_pct:Q", tooltip=["year", "both_voted", "agreement_pct"], '
                'then .properties(title="China and North Korea: same vote, per year").',
            ],
            solution=(
                'with_dprk = by_year[by_year["partner"] == "North Korea"]\n'
                "dprk_chart = alt.Chart(with_dprk).mark_line(point=True).encode(\n"
                '    x=alt.X("year:O", title="Year"),\n'
                '    y=alt.Y("agreement_pct:Q", title="Same vote (%)"),\n'
                '    tooltip=["year", "both_voted", "agreement_pct"],\n'
                ').properties(title="China and North Korea: same vote, per year")'
            ),
            skills=["pandas.filter", "altair.marks", "altair.encoding", "altair.tooltip", "altair.title"],
        ),
    ],
)
