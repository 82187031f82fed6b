"""Checks for the Lesson 7 exercise: the risks of overextension, an explorable model.

Expected answers are computed from the course data and the course model the first time
a learner checks an answer; importing this module reads nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from balancing_act.checks import (
    ExerciseSet,
    Question,
    Slip,
    expect_chart_data,
    expect_equal,
    expect_number,
)
from balancing_act.data import load
from balancing_act.topics import overextension as ox

#: The four markets kept when ASEAN is left out of the anchoring (question 1).
WITHOUT_ASEAN = ("United States", "European Union", "Japan", "South Korea")
#: The values of penalty_growth swept in question 3: 2.0, 1.9, ..., 0.0.
GROWTH_VALUES = tuple(float(v) for v in np.round(np.linspace(2.0, 0.0, 21), 10))


def _exposure_without_asean() -> float:
    trade = load("china_customs_trade")
    rows = trade[trade["year"] == 2023].set_index("partner")["total_usd_bn"]
    west = float(rows[list(WITHOUT_ASEAN)].sum())
    return west / (west + float(rows["Russia"]) + float(rows["North Korea"]))


def _best_with_bloc_penalty() -> tuple[float, float]:
    best = ox.best_balance(ox.anchored_parameters(bloc_penalty=1.0))
    return (best.russia, best.north_korea)


def _growth_sweep() -> pd.DataFrame:
    """Question 3's sweep: the penalties' growth from 2.0 down, with Russia's war priced out."""
    return ox.sweep(ox.anchored_parameters(russia_intensity=0.0), "penalty_growth", GROWTH_VALUES)


def _growth_tipping_point() -> float:
    swept = _growth_sweep()
    point = ox.tipping_point(swept)
    if point is None:
        raise ValueError("the best balance never crosses a red line in this sweep")
    return point



ex = ExerciseSet(
    lesson=7,
    questions=[
        Question(
            "q1",
            expect_number(
                _exposure_without_asean,
                decimals=3,
                slips=[
                    Slip(
                        "the exposure with ASEAN",
                        lambda: ox.anchored_exposure(2023),
                        "that is the lesson's exposure, with ASEAN among the markets; the question leaves ASEAN out.",
                    ),
                ],
                describe="the exposure anchored without ASEAN, a share from 0 to 1",
                success="Right: without ASEAN the markets that could penalise China still hold most of its trade with the "
                "six partners, so the model's exposure falls only a little.",
            ),
            hints=[
                "Keep only the 2023 rows of trade, and index them by partner.",
                "The numerator is the sum of total_usd_bn for the United States, the European Union, Japan and South Korea.",
                "Divide that sum by itself plus the 2023 totals for Russia and North Korea (a share from 0 to 1, not a percentage).",
            ],
            solution=(
                'rows = trade[trade["year"] == 2023].set_index("partner")["total_usd_bn"]\n'
                'west = rows[["United States", "European Union", "Japan", "South Korea"]].sum()\n'
                'exposure_without_asean = west / (west + rows["Russia"] + rows["North Korea"])'
            ),
        ),
        Question(
            "q2",
            expect_equal(_best_with_bloc_penalty, describe="the best balance with a bloc penalty of 1.0", success="Right: that is the balance the model rates best when the bloc penalty is 1.0."),
            hints=[
                "Start from ox.anchored_parameters(), which takes exposure from the data, and change one assumption.",
                "anchored_parameters(bloc_penalty=1.0) gives the changed parameters; ox.best_balance(...) searches the grid.",
                "The answer is a tuple of two numbers: (best.russia, best.north_korea).",
            ],
            solution=(
                "best = ox.best_balance(ox.anchored_parameters(bloc_penalty=1.0))\n"
                "best_with_bloc = (best.russia, best.north_korea)"
            ),
        ),
        Question(
            "q3",
            expect_number(
                _growth_tipping_point,
                decimals=1,
                describe="the first value of penalty_growth at which the best balance crosses a red line once Russia's war has ended",
                success="Right: sweeping down from 2.0 with Russia's war priced out, that is the growth of penalties at which the model's best balance first crosses a red line.",
            ),
            hints=[
                "Set the war's intensity to zero first: no_war = params.replace(russia_intensity=0.0). Then "
                "ox.sweep(no_war, 'penalty_growth', growth_values) gives one row per value, from 2.0 down to 0.0.",
                "The column past_red_line is True where the best balance crosses a red line; keep those rows.",
                "The first such value, in the order swept, is the answer: ox.tipping_point(swept) finds it, or "
                "swept.loc[swept['past_red_line'], 'value'].iloc[0].",
            ],
            solution=(
                "no_war = params.replace(russia_intensity=0.0)\n"
                'swept = ox.sweep(no_war, "penalty_growth", growth_values)\n'
                "breaks_at = ox.tipping_point(swept)"
            ),
        ),
        Question(
            "q4",
            expect_chart_data(
                _growth_sweep,
                "line",
                {"x": "value", "y": "best_russia"},
                "a line chart of the sweep of question 3, value on x and best_russia on y, with a title and a tooltip",
                require_title=True,
                require_tooltip=True,
                success="Right: the line shows how the model's best support to Russia changes with the growth of penalties past a red line.",
            ),
            hints=[
                "Start from the frame swept in question 3.",
                "alt.Chart(swept).mark_line() draws a line; .encode(x=..., y=...) says what goes where.",
                'x="value:Q" and y="best_russia:Q"; add point=True to mark_line to see each value swept.',
                'Add tooltip=["value", "best_russia"] to encode and .properties(title="...") after it.',
            ],
            solution=(
                'chart = alt.Chart(swept).mark_line(point=True).encode(\n'
                '    x=alt.X("value:Q", title="Growth of penalties past a red line"),\n'
                '    y=alt.Y("best_russia:Q", title="Best support to Russia (0 to 1)"),\n'
                '    tooltip=["value", "best_russia"],\n'
                ').properties(title="With the war priced out, weak penalties take the best balance past the line")'
            ),
        ),
    ],
    skills={
        "q1": ["pandas.share"],
        "q3": ["pandas.filter"],
        "q4": ["altair.marks", "altair.encoding"],
    },
)
