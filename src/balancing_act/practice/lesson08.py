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


#: The years of question trade_growth: growth from GROWTH_START to GROWTH_END.
GROWTH_START, GROWTH_END = 2021, 2023


def _trade_growth(end: int) -> float | None:
    trade = _series("russia_trade")
    if GROWTH_START not in trade.index or end not in trade.index:
        return None
    return float(100 * (trade[end] / trade[GROWTH_START] - 1))


def _trade_ratio_pct() -> float:
    trade = _series("russia_trade")
    return float(100 * trade[GROWTH_END] / trade[GROWTH_START])


def _trade_value(pick: str) -> float:
    trade = _series("russia_trade")
    values = {"peak": trade.max(), "lowest": trade.min(), "latest": trade[trade.index.max()]}
    return float(values[pick])


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
            "trade_growth",
            expect_number(
                lambda: _trade_growth(GROWTH_END),
                unit="%",
                decimals=1,
                slips=[
                    *year_slips(_trade_growth, GROWTH_END, lambda: _series("russia_trade").index, what="growth"),
                    Slip(
                        "the ratio, not the growth",
                        _trade_ratio_pct,
                        "that is 2023's trade as a percentage of 2021's; growth subtracts the starting 100%, "
                        "so subtract one before multiplying by 100.",
                    ),
                ],
                describe="the growth of China-Russia goods trade from 2021 to 2023, in percent",
                success="Right: China-Russia trade grew by almost two thirds in two years after 2021, the benefit "
                "side of the ledger rising fast.",
            ),
            hints=[
                'Keep the rows of table whose indicator is "China-Russia goods trade", indexed by year.',
                "Growth in percent is 100 * (the later value / the earlier value - 1).",
                'trade = table[table["indicator"] == "China-Russia goods trade"].set_index("year")["value"], '
                "then 100 * (trade[2023] / trade[2021] - 1).",
            ],
            solution=(
                'trade = table[table["indicator"] == "China-Russia goods trade"].set_index("year")["value"]\n'
                "trade_growth_pct = 100 * (trade[2023] / trade[2021] - 1)"
            ),
            skills=["pandas.filter", "pandas.growth"],
        ),
        Question(
            "trade_peak",
            expect_number(
                lambda: _trade_value("peak"),
                decimals=1,
                slips=[
                    Slip(
                        "the latest value",
                        lambda: _trade_value("latest"),
                        "that is the latest year's value; trade fell in that year, so the highest value lies earlier.",
                    ),
                    Slip(
                        "the lowest value",
                        lambda: _trade_value("lowest"),
                        "that is the lowest value; sort with ascending=False, or take the last row of an ascending "
                        "sort.",
                    ),
                ],
                describe="the highest value of China-Russia goods trade in the indicator table, in billion US dollars",
                success="Right: trade peaked before the latest year in the table, so the benefit side of the "
                "ledger has stopped rising for now.",
            ),
            hints=[
                'Keep the rows of table whose indicator is "China-Russia goods trade".',
                'sort_values("value") puts them from lowest to highest; the last row has the highest value.',
                'trade = table[table["indicator"] == "China-Russia goods trade"], then '
                'trade.sort_values("value", ascending=False)["value"].iloc[0].',
            ],
            solution=(
                'trade = table[table["indicator"] == "China-Russia goods trade"]\n'
                'trade_peak = trade.sort_values("value", ascending=False)["value"].iloc[0]'
            ),
            skills=["pandas.filter", "pandas.sort"],
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
