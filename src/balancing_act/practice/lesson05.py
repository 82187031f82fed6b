""""Your turn" questions for Lesson 5: military cooperation and symbolism.

Expected answers are computed from the course data (``military_events`` and
``sipri_military_expenditure``) the first time a learner checks an answer;
importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import Question, Slip, expect_chart_data, expect_number, year_slips
from balancing_act.data import load
from balancing_act.practice import PracticeSet
from balancing_act.topics import military

FIRST_YEAR = 2014
LAST_YEAR = 2024
PATROLS_FROM = 2019  # the year of the first joint bomber patrol


def _events() -> pd.DataFrame:
    return military.events_table(load("military_events"))


def _symbolic_pct(events: pd.DataFrame) -> float:
    return float(100 * (events["reference"] == "symbolic").mean())


def _china_symbolic_pct() -> float:
    events = _events()
    return _symbolic_pct(events[events["participants"].str.contains("China")])


def _all_symbolic_pct() -> float:
    return _symbolic_pct(_events())


def _pct_from(year: int) -> float:
    events = _events()
    return float(100 * (events["year"] >= year).mean())


def _count_from(year: int) -> int:
    return int((_events()["year"] >= year).sum())


def _milex() -> pd.DataFrame:
    return load("sipri_military_expenditure")


def _growth(country: str, year: int, column: str = "constant_2023_usd_bn") -> float | None:
    rows = _milex()
    rows = rows[rows["country"] == country].set_index("year")[column]
    if FIRST_YEAR not in rows.index or year not in rows.index or pd.isna(rows[year]):
        return None
    return float(100 * (rows[year] / rows[FIRST_YEAR] - 1))


def _burden_rows() -> pd.DataFrame:
    milex = _milex()
    return milex[(milex["year"] == LAST_YEAR) & (milex["country"] != "World")]


practice = PracticeSet(
    lesson=5,
    questions=[
        Question(
            "recent_share",
            expect_number(
                lambda: _pct_from(PATROLS_FROM),
                unit="%",
                decimals=1,
                slips=[
                    *year_slips(_pct_from, PATROLS_FROM, lambda: _events()["year"], what="share (from that year on)"),
                    Slip(
                        "the count, not the percentage",
                        lambda: _count_from(PATROLS_FROM),
                        "that is the number of events from 2019 on; the question asks for their percentage of all "
                        "events in the table (divide by the number of rows, then multiply by 100).",
                    ),
                    Slip(
                        "before 2019, not from 2019",
                        lambda: 100 - _pct_from(PATROLS_FROM),
                        "that is the percentage of the events before 2019; the question asks for 2019 and later "
                        '(events["year"] >= 2019).',
                    ),
                ],
                describe="the percentage of the table's events that began in 2019 or later, to one decimal",
                success="Right: about three in four of the table's events began in 2019 or later, the years of the "
                "joint patrols.",
            ),
            hints=[
                "A share of rows: the events with a year of 2019 or later, divided by all events, times 100.",
                'events["year"] >= 2019 gives True for the rows you want; the mean of True and False is the share of True.',
                '100 * (events["year"] >= 2019).mean().',
            ],
            solution='recent_pct = 100 * (events["year"] >= 2019).mean()',
            skills=["pandas.filter", "pandas.share"],
        ),
        Question(
            "china_symbolic",
            expect_number(
                _china_symbolic_pct,
                unit="%",
                decimals=1,
                slips=[
                    Slip(
                        "all events for China's",
                        _all_symbolic_pct,
                        "that is the share among all events in the table; the question asks only about the events "
                        "China takes part in (filter on the participants column first).",
                    )
                ],
                describe="the percentage of the events with China that the reference rule reads as symbolic",
                success="Right: only about one event in seven with China is pure display, so most of what China "
                "does with Russia goes beyond a parade or a statement, though not as far as a commitment.",
            ),
            hints=[
                "Two steps: keep the events with China, then find the share of them whose reference is 'symbolic'.",
                'events["participants"].str.contains("China") marks the rows with China; use it to filter events.',
                'with_china = events[events["participants"].str.contains("China")], then '
                '100 * (with_china["reference"] == "symbolic").mean().',
            ],
            solution=(
                'with_china = events[events["participants"].str.contains("China")]\n'
                'china_symbolic_pct = 100 * (with_china["reference"] == "symbolic").mean()'
            ),
            skills=["pandas.filter", "pandas.share"],
        ),
        Question(
            "russia_growth",
            expect_number(
                lambda: _growth("Russia", LAST_YEAR),
                unit="%",
                decimals=0,
                slips=[
                    *year_slips(lambda y: _growth("Russia", y), LAST_YEAR, lambda: _milex()["year"], what="growth"),
                    Slip(
                        "current dollars",
                        lambda: _growth("Russia", LAST_YEAR, "current_usd_bn"),
                        "that uses current US dollars, which mix inflation and exchange rates into the change; "
                        "the question asks for constant 2023 prices (the constant_2023_usd_bn column).",
                    ),
                    Slip(
                        "China for Russia",
                        lambda: _growth("China", LAST_YEAR),
                        "that is China's growth; the question asks about Russia.",
                    ),
                ],
                describe="the growth of Russia's military spending from 2014 to 2024 at constant 2023 prices, in percent",
                success="Right: at constant prices Russia's military spending more than doubled from 2014 to 2024, "
                "most of the rise coming after 2021.",
            ),
            hints=[
                "Growth in percent is 100 * (new / old - 1).",
                'Keep Russia\'s rows and index them by year: milex[milex["country"] == "Russia"].set_index("year").',
                'russia = milex[milex["country"] == "Russia"].set_index("year")["constant_2023_usd_bn"], then '
                "100 * (russia[2024] / russia[2014] - 1).",
            ],
            solution=(
                'russia = milex[milex["country"] == "Russia"].set_index("year")["constant_2023_usd_bn"]\n'
                "russia_growth_pct = 100 * (russia[2024] / russia[2014] - 1)"
            ),
            skills=["pandas.filter", "pandas.growth"],
        ),
        Question(
            "burden_chart",
            expect_chart_data(
                _burden_rows,
                "bar",
                {"x": "country", "y": "share_of_gdp_pct"},
                "a bar chart of each country's military spending as a share of GDP in 2024, with a title and a tooltip",
                selected_on=["year", "country"],
                require_title=True,
                require_tooltip=True,
                success="Right: the bars show the burden: Russia put about 7% of its GDP into its armed forces in "
                "2024, twice the US share and four times China's.",
            ),
            hints=[
                'Keep the 2024 rows without the World row (it has no share of GDP): '
                'milex[(milex["year"] == 2024) & (milex["country"] != "World")].',
                "alt.Chart(frame).mark_bar().encode(x=..., y=..., tooltip=[...]) and .properties(title=...) for the title.",
                'x="country:N", y="share_of_gdp_pct:Q", tooltip=["country", "share_of_gdp_pct"], '
                'then .properties(title="Military spending as a share of GDP, 2024").',
            ],
            solution=(
                'burden_2024 = milex[(milex["year"] == 2024) & (milex["country"] != "World")]\n'
                "burden_chart = alt.Chart(burden_2024).mark_bar().encode(\n"
                '    x=alt.X("country:N", title=None),\n'
                '    y=alt.Y("share_of_gdp_pct:Q", title="Share of GDP (%)"),\n'
                '    tooltip=["country", "share_of_gdp_pct"],\n'
                ').properties(title="Military spending as a share of GDP, 2024")'
            ),
            skills=["pandas.filter", "altair.marks", "altair.encoding", "altair.tooltip", "altair.title"],
        ),
    ],
)
