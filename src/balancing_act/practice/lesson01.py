""""Your turn" questions for Lesson 1: China's position in the emerging bloc.

Expected answers are computed from the course data the first time a learner
checks an answer; importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import Question, Slip, expect_chart_data, expect_number, year_slips
from balancing_act.data import load
from balancing_act.practice import PracticeSet

YEAR = 2024


def _trade() -> pd.DataFrame:
    return load("china_customs_trade")


def _russia_share(year: int) -> float | None:
    rows = _trade()
    rows = rows[rows["year"] == year].set_index("partner")["total_usd_bn"]
    if "Russia" not in rows.index or "World" not in rows.index or pd.isna(rows["Russia"]) or pd.isna(rows["World"]):
        return None
    return float(100 * rows["Russia"] / rows["World"])


def _russia_exports_share() -> float:
    rows = _trade()
    rows = rows[rows["year"] == YEAR].set_index("partner")
    return float(100 * rows.loc["Russia", "exports_usd_bn"] / rows.loc["World", "total_usd_bn"])


def _partners(year: int) -> pd.DataFrame:
    trade = _trade()
    return trade[(trade["year"] == year) & (trade["partner"] != "World")]


practice = PracticeSet(
    lesson=1,
    questions=[
        Question(
            "russia_share",
            expect_number(
                lambda: _russia_share(YEAR),
                unit="%",
                decimals=1,
                slips=[
                    *year_slips(_russia_share, YEAR, lambda: _trade()["year"].dropna(), what="share"),
                    Slip(
                        "exports for the total",
                        _russia_exports_share,
                        "that uses China's exports to Russia only; the question asks for the total trade "
                        "(exports plus imports), the total_usd_bn column.",
                    ),
                ],
                describe="Russia's share of China's total trade in 2024, in percent",
                success="Right: in 2024 Russia accounted for about 4% of China's trade, a small share for the partner of a 'bloc'.",
            ),
            hints=[
                "A share in percent is 100 times the part divided by the whole.",
                'The part is the 2024 total_usd_bn for partner "Russia", the whole the 2024 total_usd_bn for "World".',
                'in_2024 = trade[trade["year"] == 2024].set_index("partner")["total_usd_bn"], '
                'then 100 * in_2024["Russia"] / in_2024["World"].',
            ],
            solution=(
                'in_2024 = trade[trade["year"] == 2024].set_index("partner")["total_usd_bn"]\n'
                'russia_share_2024 = 100 * in_2024["Russia"] / in_2024["World"]'
            ),
            skills=["pandas.filter", "pandas.share"],
        ),
        Question(
            "partner_bars",
            expect_chart_data(
                lambda: _partners(YEAR),
                "bar",
                {"x": "total_usd_bn", "y": "partner"},
                "a bar chart of China's 2024 trade with each partner, with a tooltip",
                selected_on=["year", "partner"],
                require_tooltip=True,
                success="Right: the bars show how much larger China's trade with the EU and the US is than with Russia.",
            ),
            hints=[
                'Keep the 2024 rows without the World row: trade[(trade["year"] == 2024) & (trade["partner"] != "World")].',
                "alt.Chart(frame).mark_bar() draws bars; .encode(x=..., y=..., tooltip=[...]) says what goes where.",
                'x="total_usd_bn:Q", y=alt.Y("partner:N", sort="-x"), tooltip=["partner", "total_usd_bn"].',
            ],
            solution=(
                'partners_2024 = trade[(trade["year"] == 2024) & (trade["partner"] != "World")]\n'
                "partner_bars = alt.Chart(partners_2024).mark_bar().encode(\n"
                '    x="total_usd_bn:Q",\n'
                '    y=alt.Y("partner:N", sort="-x"),\n'
                '    tooltip=["partner", "total_usd_bn"],\n'
                ")"
            ),
            skills=["pandas.filter", "altair.marks", "altair.encoding", "altair.tooltip"],
        ),
    ],
)
