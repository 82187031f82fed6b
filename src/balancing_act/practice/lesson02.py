""""Your turn" questions for Lesson 2: Russia's need for Chinese support.

Expected answers are computed from the course data the first time a learner
checks an answer; importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import Question, Slip, expect_chart_data, expect_number, year_slips
from balancing_act.data import load
from balancing_act.practice import PracticeSet

GROWTH_FROM, GROWTH_TO = 2021, 2022
IMPORTS_YEAR = 2024


def _russia() -> pd.DataFrame:
    trade = load("china_customs_trade")
    return trade[trade["partner"] == "Russia"].set_index("year")


def _total(year: int) -> float | None:
    rows = _russia()
    if year not in rows.index or pd.isna(rows.loc[year, "total_usd_bn"]):
        return None
    return float(rows.loc[year, "total_usd_bn"])


def _growth(base: int, later: int, *, divide_by_later: bool = False) -> float | None:
    first, second = _total(base), _total(later)
    if first is None or second is None:
        return None
    return float(100 * (second - first) / (second if divide_by_later else first))


def _part_share(year: int, column: str = "imports_usd_bn") -> float | None:
    rows = _russia()
    if year not in rows.index or pd.isna(rows.loc[year, column]) or pd.isna(rows.loc[year, "total_usd_bn"]):
        return None
    return float(100 * rows.loc[year, column] / rows.loc[year, "total_usd_bn"])


def _years() -> list[int]:
    return sorted(int(y) for y in _russia().index)


CRUDE_YEAR = 2024


def _suppliers(year: int) -> pd.DataFrame:
    crude = load("china_crude_imports")
    return crude[(crude["year"] == year) & (crude["supplier"] != "World")]


LOWER_BOUND = "At least (a lower bound)"


def _statements() -> pd.DataFrame:
    from balancing_act.topics import russia  # the topic module draws charts: load it only when a learner checks

    return russia.settlement_table()


def _count_kind(kind: str) -> int:
    return int((_statements()["kind"] == kind).sum())


practice = PracticeSet(
    lesson=2,
    questions=[
        Question(
            "trade_growth",
            expect_number(
                lambda: _growth(GROWTH_FROM, GROWTH_TO),
                unit="%",
                decimals=1,
                slips=[
                    Slip(
                        "the later year as the base",
                        lambda: _growth(GROWTH_FROM, GROWTH_TO, divide_by_later=True),
                        "that divides the change by the 2022 figure; growth is measured against the earlier "
                        "year, 2021.",
                    ),
                    Slip(
                        "the ratio instead of the growth",
                        lambda: 100 * _total(GROWTH_TO) / _total(GROWTH_FROM),  # type: ignore[operator]
                        "that is 2022 as a percent of 2021; growth is that minus 100.",
                    ),
                ],
                describe="the growth of China-Russia trade from 2021 to 2022, in percent",
                success="Right: trade grew by almost 30% in 2022, the year of Russia's full-scale invasion of Ukraine "
                "and of the Western sanctions that followed.",
            ),
            hints=[
                "Growth in percent is 100 times (later minus earlier) divided by the earlier value.",
                'Take total_usd_bn for 2021 and 2022 from the rows whose partner is "Russia".',
                'r = trade[trade["partner"] == "Russia"].set_index("year")["total_usd_bn"], '
                "then 100 * (r[2022] - r[2021]) / r[2021].",
            ],
            solution=(
                'r = trade[trade["partner"] == "Russia"].set_index("year")["total_usd_bn"]\n'
                "growth_2022 = 100 * (r[2022] - r[2021]) / r[2021]"
            ),
            skills=["pandas.filter", "pandas.share"],
        ),
        Question(
            "imports_share",
            expect_number(
                lambda: _part_share(IMPORTS_YEAR),
                unit="%",
                decimals=1,
                slips=[
                    *year_slips(_part_share, IMPORTS_YEAR, _years, what="share"),
                    Slip(
                        "exports for imports",
                        lambda: _part_share(IMPORTS_YEAR, "exports_usd_bn"),
                        "that is the share of China's exports to Russia; the question asks for China's imports "
                        "from Russia (imports_usd_bn).",
                    ),
                ],
                describe="China's imports from Russia as a share of China-Russia trade in 2024, in percent",
                success="Right: a little over half of the trade was Chinese buying from Russia, "
                "mostly energy, which is why China ran a deficit with Russia.",
            ),
            hints=[
                "A share in percent is 100 times the part divided by the whole.",
                "The part is imports_usd_bn, the whole total_usd_bn, both in the 2024 row for Russia.",
                'row = russia_table[russia_table["year"] == 2024].iloc[0], '
                'then 100 * row["imports_usd_bn"] / row["total_usd_bn"].',
            ],
            solution=(
                'row = russia_table[russia_table["year"] == 2024].iloc[0]\n'
                'imports_share_2024 = 100 * row["imports_usd_bn"] / row["total_usd_bn"]'
            ),
            skills=["pandas.filter", "pandas.share"],
        ),
        Question(
            "crude_bars",
            expect_chart_data(
                lambda: _suppliers(CRUDE_YEAR),
                "bar",
                {"x": "million_tonnes", "y": "supplier"},
                "a bar chart of China's crude imports from each supplier in 2024 (million tonnes), with a tooltip",
                selected_on=["year", "supplier"],
                require_tooltip=True,
                success="Right: Russia's bar is the longest in 2024, ahead of Saudi Arabia's.",
            ),
            hints=[
                'Keep the 2024 rows without the World row: crude[(crude["year"] == 2024) & (crude["supplier"] != "World")].',
                "alt.Chart(frame).mark_bar() draws bars; .encode(x=..., y=..., tooltip=[...]) says what goes where.",
                'x="million_tonnes:Q", y=alt.Y("supplier:N", sort="-x"), tooltip=["supplier", "million_tonnes"].',
            ],
            solution=(
                'suppliers_2024 = crude[(crude["year"] == 2024) & (crude["supplier"] != "World")]\n'
                "crude_bars = alt.Chart(suppliers_2024).mark_bar().encode(\n"
                '    x="million_tonnes:Q",\n'
                '    y=alt.Y("supplier:N", sort="-x"),\n'
                '    tooltip=["supplier", "million_tonnes"],\n'
                ")"
            ),
            skills=["pandas.filter", "altair.marks", "altair.encoding", "altair.tooltip"],
        ),
        Question(
            "lower_bounds",
            expect_number(
                lambda: _count_kind(LOWER_BOUND),
                unit="statements",  # a count: only the exact number is right
                slips=[
                    Slip(
                        "every statement",
                        lambda: len(_statements()),
                        "that counts every statement in the table; the question asks only for those whose kind is "
                        f'"{LOWER_BOUND}".',
                    ),
                    Slip(
                        "every statement with a number",
                        lambda: int(_statements()["share_pct"].notna().sum()),
                        "that counts every statement that gives a number; keep only those whose kind is "
                        f'"{LOWER_BOUND}".',
                    ),
                    Slip(
                        "the other kinds",
                        lambda: int((_statements()["kind"] != LOWER_BOUND).sum()),
                        "that counts the statements that are not lower bounds; the question asks for those that are.",
                    ),
                ],
                describe="the number of officials' statements that give a lower bound",
                success="Right: each of those statements says only that the share is at least that high, a floor "
                "rather than a measured share.",
            ),
            hints=[
                "Each row of settlements is one statement; its kind column says what the number is.",
                'settlements["kind"].value_counts() shows how many statements there are of each kind.',
                f'Count the rows whose kind is "{LOWER_BOUND}": (settlements["kind"] == "{LOWER_BOUND}").sum().',
            ],
            solution=f'lower_bounds = int((settlements["kind"] == "{LOWER_BOUND}").sum())',
            skills=["pandas.filter", "evidence.statement"],
        ),
    ],
)
