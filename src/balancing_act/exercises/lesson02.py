"""Checks for the Lesson 2 exercise: Russia's need for Chinese support.

Expected answers are computed from the course data, through the lesson's topic
module, the first time a learner checks an answer; importing this module reads
nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import (
    ExerciseSet,
    Question,
    Slip,
    expect_chart_data,
    expect_equal,
    expect_number,
    year_slips,
)
from balancing_act.data import load
from balancing_act.topics import russia


def _russia_crude_share(year: int) -> float | None:
    table = russia.russia_crude().set_index("year")
    return float(table.loc[year, "share_of_china_pct"]) if year in table.index else None


def _russia_crude_share_2023() -> float:
    return float(_russia_crude_share(2023))  # type: ignore[arg-type]


def _crude_years() -> pd.Series:
    return russia.russia_crude()["year"]


def _russia_crude_rows() -> pd.DataFrame:
    crude = load("china_crude_imports")
    return crude[crude["supplier"] == "Russia"]


def _pipeline_growth() -> float:
    table = russia.power_of_siberia_table().set_index("year")
    return float(table.loc[2025, "bcm"] / table.loc[2020, "bcm"])


def _car_share(year: int) -> float | None:
    table = russia.car_share_of_exports().set_index("year")
    return float(table.loc[year, "cars_share_pct"]) if year in table.index else None


def _car_share_2024() -> float:
    return float(_car_share(2024))  # type: ignore[arg-type]


def _years_with_both() -> list[int]:
    return russia.years_with_both_sides(russia.dependence_both_ways())



ex = ExerciseSet(
    lesson=2,
    questions=[
        Question(
            "q1",
            expect_number(
                _russia_crude_share_2023,
                tol=0.01,
                unit="%",
                decimals=1,
                describe="Russia's share of China's crude imports in 2023",
                slips=year_slips(_russia_crude_share, 2023, _crude_years, what="share"),
                success="Right: in 2023 Russia supplied about a fifth of the crude oil China imported.",
            ),
            hints=[
                "A share is the part divided by the whole, times 100: the part is Russia's tonnage, the whole is China's total.",
                'China\'s total is the row whose supplier is "World". Select the 2023 rows first: crude[crude["year"] == 2023].',
                'Index the 2023 rows by supplier (.set_index("supplier")), then divide .loc["Russia", "million_tonnes"] by .loc["World", "million_tonnes"].',
            ],
            solution=(
                'crude_2023 = crude[crude["year"] == 2023].set_index("supplier")\n'
                'russia_crude_share_2023 = 100 * crude_2023.loc["Russia", "million_tonnes"] / crude_2023.loc["World", "million_tonnes"]'
            ),
        ),
        Question(
            "q2",
            expect_number(
                _pipeline_growth,
                tol=0.01,
                unit="times",
                decimals=2,
                describe="how many times the 2025 deliveries are the 2020 deliveries",
                slips=[
                    Slip("ratio upside down", lambda: 1 / _pipeline_growth(),
                         "that is the 2020 volume divided by the 2025 one; divide the later year by the earlier."),
                    Slip("growth for ratio", lambda: _pipeline_growth() - 1,
                         "that is the growth (the ratio minus 1); the question asks how many times, the ratio itself."),
                ],
                success="Right: the ratio says how many times the pipeline's 2020 deliveries it carried in 2025.",
            ),
            hints=[
                "Divide the later volume by the earlier one; a result of 2 would mean deliveries doubled.",
                'Make a Series of volumes indexed by year: gas.set_index("year")["bcm"].',
                "Then take by_year[2025] / by_year[2020].",
            ],
            solution=(
                'by_year = gas.set_index("year")["bcm"]\n'
                "pipeline_growth = by_year[2025] / by_year[2020]"
            ),
        ),
        Question(
            "q3",
            expect_number(
                _car_share_2024,
                tol=0.01,
                unit="%",
                decimals=1,
                describe="cars' share of China's exports to Russia in 2024",
                slips=year_slips(_car_share, 2024, lambda: russia.car_share_of_exports()["year"], what="share"),
                success="Right: in 2024 cars made up a little over an eighth of the value of China's exports to Russia.",
            ),
            hints=[
                "Both numbers must come from China's customs: the value of car exports and the value of all exports to Russia.",
                'In cars, keep the rows where reporter is "China customs (GACC)", measure is "value" and year is 2024. '
                'In trade, keep partner "Russia" and year 2024, and use exports_usd_bn.',
                "Take .iloc[0] of each filtered column to get plain numbers, then 100 * cars / exports.",
            ],
            solution=(
                'car_rows = cars[(cars["reporter"] == "China customs (GACC)") & (cars["measure"] == "value") & (cars["year"] == 2024)]\n'
                'export_rows = trade[(trade["partner"] == "Russia") & (trade["year"] == 2024)]\n'
                'car_share_2024 = 100 * car_rows["value"].iloc[0] / export_rows["exports_usd_bn"].iloc[0]'
            ),
        ),
        Question(
            "q4",
            expect_equal(_years_with_both, describe="the years with both China's share of Russia's trade and Russia's share of China's",
                         success="Right: only in those years can the two sides of the dependence be compared."),
            hints=[
                "Russia's side comes from dependence: rows for Russia whose china_share_pct is not missing (.notna()).",
                'China\'s side needs China\'s total with the world: rows of trade whose partner is "World" and whose total_usd_bn is not missing.',
                'Keep the years that appear in both, as a sorted list of whole numbers: sorted(set(a["year"]) & set(b["year"])).',
            ],
            solution=(
                'russia_side = dependence[(dependence["country"] == "Russia") & dependence["china_share_pct"].notna()]\n'
                'world = trade[(trade["partner"] == "World") & trade["total_usd_bn"].notna()]\n'
                'both_years = sorted(set(russia_side["year"]) & set(world["year"]))'
            ),
        ),
        Question(
            "q5",
            expect_chart_data(
                _russia_crude_rows,
                "line",
                {"x": "year", "y": "million_tonnes"},
                "a line chart of China's crude imports from Russia, year on x and million_tonnes on y",
                selected_on=["supplier"],
                success="Right: the line shows China's crude oil imports from Russia year by year.",
            ),
            hints=[
                'Start from Russia\'s rows of crude: crude[crude["supplier"] == "Russia"].',
                "alt.Chart(frame).mark_line(point=True) draws a line with a dot at each year.",
                'Encode x="year:O" and y="million_tonnes:Q"; add a tooltip if you like.',
            ],
            solution=(
                'russia_rows = crude[crude["supplier"] == "Russia"]\n'
                "chart = alt.Chart(russia_rows).mark_line(point=True).encode(\n"
                '    x="year:O", y="million_tonnes:Q", tooltip=["year", "million_tonnes", "rank"]\n'
                ")"
            ),
        ),
    ],
    skills={
        "q1": ["pandas.filter", "pandas.share"],
        "q2": ["pandas.share", "evidence.base_year"],
        "q3": ["pandas.filter", "pandas.share", "evidence.reporters"],
        "q4": ["pandas.filter", "evidence.missing_years"],
        "q5": ["altair.marks", "altair.encoding"],
    },
)
