""""Your turn" questions for Lesson 8: implications for global politics, and a capstone.

Expected answers are computed from the course's indicator table the first time a
learner checks an answer; importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import Question, Slip, expect_chart_data, expect_number, year_slips
from balancing_act.practice import PracticeSet
from balancing_act.topics import implications

START, END = 2021, 2024


def _series(key: str) -> pd.Series:
    table = implications.indicator_dashboard(indicators=[key])
    return table.set_index("year")["value"]


def _share_change(end: int) -> float | None:
    share = _series("russia_share")
    if START not in share.index or end not in share.index:
        return None
    return float(share[end] - share[START])


def _drills() -> pd.DataFrame:
    return implications.indicator_dashboard(indicators=["joint_drills"])


practice = PracticeSet(
    lesson=8,
    questions=[
        Question(
            "share_change",
            expect_number(
                lambda: _share_change(END),
                decimals=1,
                slips=[
                    *year_slips(_share_change, END, lambda: _series("russia_share").index, what="change"),
                    Slip(
                        "the other way round",
                        lambda: -(_share_change(END) or 0.0),
                        "that is 2021 minus 2024; the question asks for 2024 minus 2021, so a rise is positive.",
                    ),
                ],
                describe="the change in Russia's share of China's goods trade from 2021 to 2024, in percentage points",
                success="Right: Russia's share of China's trade rose by about one and a half points after 2021, a "
                "real rise that still leaves Russia a small partner for China.",
            ),
            hints=[
                "Keep the rows of table whose indicator is Russia's share of China's goods trade.",
                'share = table[table["indicator"] == "Russia\'s share of China\'s goods trade"].set_index("year")["value"]',
                "The change in percentage points is share[2024] - share[2021].",
            ],
            solution=(
                'share = table[table["indicator"] == "Russia\'s share of China\'s goods trade"].set_index("year")["value"]\n'
                "share_change = share[2024] - share[2021]"
            ),
            skills=["pandas.filter", "pandas.select", "pandas.growth"],
        ),
        Question(
            "drills_bars",
            expect_chart_data(
                _drills,
                "bar",
                {"x": "year", "y": "value"},
                "a bar chart of China-Russia exercises and patrols per year, with a title and a tooltip",
                selected_on=["indicator", "year"],
                require_title=True,
                require_tooltip=True,
                success="Right: joint exercises and patrols became more frequent from 2019 and peaked in 2024, "
                "one of the indicators that would show a partnership turning more military.",
            ),
            hints=[
                'Keep the rows whose indicator is "China-Russia exercises and patrols (course list)".',
                "alt.Chart(drills).mark_bar() draws bars; put year on x (as :O) and value on y, and add a tooltip.",
                'encode(x="year:O", y="value:Q", tooltip=["year", "value"]), then .properties(title="...").',
            ],
            solution=(
                'drills = table[table["indicator"] == "China-Russia exercises and patrols (course list)"]\n'
                "drills_bars = alt.Chart(drills).mark_bar().encode(\n"
                '    x=alt.X("year:O", title="Year"),\n'
                '    y=alt.Y("value:Q", title="Events per year"),\n'
                '    tooltip=["year", "value"],\n'
                ').properties(title="China-Russia exercises and patrols per year")'
            ),
            skills=["pandas.filter", "altair.marks", "altair.encoding", "altair.tooltip", "altair.title"],
        ),
    ],
)
