""""Your turn" questions for Lesson 7: the risks of overextension, an explorable model.

Expected answers are computed from the course data and the course model the first
time a learner checks an answer; importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import Question, Slip, expect_chart_data, expect_number, year_slips
from balancing_act.data import load
from balancing_act.practice import PracticeSet
from balancing_act.topics import overextension as ox

YEAR = 2023
FIVE_MARKETS = ox.MARKET_GROUPS["Western and Asian markets"]
SEVEN = FIVE_MARKETS + ox.MARKET_GROUPS["Russia and North Korea"]


def _rows() -> pd.Series:
    trade = load("china_customs_trade")
    return trade[(trade["year"] == YEAR) & trade["partner"].isin(SEVEN)].set_index("partner")["total_usd_bn"]


def _five_markets_pct() -> float:
    rows = _rows()
    return float(100 * rows[list(FIVE_MARKETS)].sum() / rows.sum())


#: The year of question western_measures_2024.
MEASURES_YEAR = 2024


def _measures() -> pd.DataFrame:
    sanctions = load("sanctions_measures")
    return sanctions.assign(year=sanctions["date"].str[:4].astype(int))


def _western_measures(year: int) -> int:
    rows = _measures()
    return int(((rows["year"] == year) & (rows["actor"] != "China")).sum())


def _all_measures(year: int) -> int:
    return int((_measures()["year"] == year).sum())


def _fatalities() -> pd.Series:
    return load("ucdp_conflict_fatalities").set_index("conflict")["fatalities_more_than"]


def _intensity_pct() -> float:
    rows = _fatalities()
    return float(100 * rows["Russia-Ukraine"] / rows.max())


def _inverse_intensity_pct() -> float:
    rows = _fatalities()
    return float(100 * rows.max() / rows["Russia-Ukraine"])


def _instruments_at_best() -> pd.DataFrame:
    params = ox.anchored_parameters()
    best = ox.best_balance(params)
    return ox.instrument_table(best.russia, best.north_korea, best.silence, best.gestures, params)


practice = PracticeSet(
    lesson=7,
    questions=[
        Question(
            "five_markets_share",
            expect_number(
                _five_markets_pct,
                unit="%",
                decimals=1,
                slips=[
                    Slip(
                        "the two partners' share",
                        lambda: 100 - _five_markets_pct(),
                        "that is the share of Russia and North Korea; the question asks for the five Western and "
                        "Asian markets.",
                    ),
                ],
                describe="the five markets' share of China's 2023 trade with the seven partners, in percent",
                success="Right: more than nine tenths of what China trades with these seven partners is with the "
                "markets that could penalise it, which is what the model's exposure stands for.",
            ),
            hints=[
                "A share in percent is 100 times the part divided by the whole; the whole is the seven partners.",
                "stakes_2023 holds one row per partner; the part is the sum of total_usd_bn where group is "
                '"Western and Asian markets".',
                'in_group = stakes_2023.groupby("group")["total_usd_bn"].sum(), then '
                '100 * in_group["Western and Asian markets"] / in_group.sum().',
            ],
            solution=(
                'in_group = stakes_2023.groupby("group")["total_usd_bn"].sum()\n'
                'five_markets_pct = 100 * in_group["Western and Asian markets"] / in_group.sum()'
            ),
            skills=["pandas.group", "pandas.share"],
        ),
        Question(
            "western_measures_2024",
            expect_number(
                lambda: _western_measures(MEASURES_YEAR),
                decimals=0,
                slips=[
                    *year_slips(_western_measures, MEASURES_YEAR, lambda: _measures()["year"], what="count"),
                    Slip(
                        "China's answers counted too",
                        lambda: _all_measures(MEASURES_YEAR),
                        "that counts every 2024 row, China's answers included; the question asks only for the "
                        "measures Western governments took.",
                    ),
                ],
                describe="the number of Western measures in the course list dated 2024",
                success="Right: 2024 has the most Western measures of any year in the list, so the penalties grew "
                "rather than came once.",
            ),
            hints=[
                "The year is the first four characters of date: sanctions[\"date\"].str[:4] gives it as text.",
                'Keep the rows where that is "2024" and actor is not "China" (two conditions joined with &).',
                'len(sanctions[(sanctions["date"].str[:4] == "2024") & (sanctions["actor"] != "China")]).',
            ],
            solution=(
                'in_2024 = sanctions["date"].str[:4] == "2024"\n'
                'western_measures_2024 = len(sanctions[in_2024 & (sanctions["actor"] != "China")])'
            ),
            skills=["pandas.filter"],
        ),
        Question(
            "war_intensity",
            expect_number(
                _intensity_pct,
                unit="%",
                decimals=1,
                slips=[
                    Slip(
                        "divided the other way round",
                        _inverse_intensity_pct,
                        "that divides Ethiopia's figure by Russia-Ukraine's; the question asks for Russia-Ukraine's "
                        "figure as a percentage of the deadliest one.",
                    ),
                ],
                describe="the Russia-Ukraine war's 2022 fatalities as a percentage of the deadliest conflict-year",
                success="Right: by UCDP's count the war Russia fights is about four fifths as deadly as the deadliest "
                "state-based conflict-year since 1989, so the model sets Russia's conflict intensity near 0.8.",
            ),
            hints=[
                "Index the fatalities table by conflict, so you can pick a row by its name.",
                'The part is the row "Russia-Ukraine"; the whole is the largest value of fatalities_more_than.',
                'deaths = fatalities.set_index("conflict")["fatalities_more_than"], then '
                '100 * deaths["Russia-Ukraine"] / deaths.max().',
            ],
            solution=(
                'deaths = fatalities.set_index("conflict")["fatalities_more_than"]\n'
                'war_intensity_pct = 100 * deaths["Russia-Ukraine"] / deaths.max()'
            ),
            skills=["pandas.select", "pandas.share"],
        ),
        Question(
            "instrument_bars",
            expect_chart_data(
                _instruments_at_best,
                "bar",
                {"x": "net", "y": "instrument"},
                "a bar chart of each instrument's net result at the best balance, with a title and a tooltip",
                require_title=True,
                require_tooltip=True,
                success="Right: at the best balance material support still brings the most, net of its costs, "
                "and silence brings more than gestures because it costs little and commits to nothing.",
            ),
            hints=[
                "The table instruments holds one row per instrument, with its net result in the column net.",
                "alt.Chart(instruments).mark_bar() draws bars; put net on x and instrument on y, and add a tooltip.",
                'encode(x="net:Q", y="instrument:N", tooltip=["instrument", "net"]), then .properties(title="...").',
            ],
            solution=(
                "instrument_bars = alt.Chart(instruments).mark_bar().encode(\n"
                '    x=alt.X("net:Q", title="Net result (model points)"),\n'
                '    y=alt.Y("instrument:N", title=None),\n'
                '    tooltip=["instrument", "level", alt.Tooltip("net:Q", format=".3f")],\n'
                ').properties(title="What each instrument brings, net of its costs, at the best balance")'
            ),
            skills=["altair.marks", "altair.encoding", "altair.tooltip", "altair.title"],
        ),
    ],
)
