""""Your turn" questions for Lesson 3: the North Korean dimension.

Expected answers are computed from the course data the first time a learner
checks an answer; importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import Question, Slip, expect_chart_data, expect_number, year_slips
from balancing_act.practice import PracticeSet
from balancing_act.topics import north_korea as nk

#: The year of the closed border asked about, the base year, and the year of the two-source gap.
CLOSED = 2021
BASE = 2019
GAP_YEAR = 2024


def _wide() -> pd.DataFrame:
    return nk.trade_two_sources()


def _customs(year: int) -> float | None:
    rows = _wide().set_index("year")["china_customs_usd_bn"]
    value = rows.get(year)
    return None if value is None or pd.isna(value) else float(value)


def _pct_of_base(year: int) -> float | None:
    value, base = _customs(year), _customs(BASE)
    return None if value is None or base is None else 100 * value / base


def _kotra(year: int) -> float:
    return float(_wide().set_index("year").loc[year, "kotra_usd_bn"])


def _gap(year: int) -> float:
    return _kotra(year) - float(_customs(year) or 0.0)


def _customs_series() -> pd.DataFrame:
    return _wide().dropna(subset=["china_customs_usd_bn"])


def _votes() -> pd.DataFrame:
    return nk.unsc_votes()


def _split_votes() -> int:
    votes = _votes()
    return int((votes["china_vote"] != votes["russia_vote"]).sum())


practice = PracticeSet(
    lesson=3,
    questions=[
        Question(
            "closed_border",
            expect_number(
                lambda: _pct_of_base(CLOSED),
                unit="%",
                decimals=1,
                slips=year_slips(_pct_of_base, CLOSED, lambda: _customs_series()["year"], what="percentage"),
                describe="China's 2021 customs figure for trade with North Korea as a percentage of 2019, to one decimal",
                success="Right: with the border closed, China's customs recorded about a ninth of the 2019 trade.",
            ),
            hints=[
                "A percentage of a base year is 100 times the year's value divided by the base year's value.",
                'Take china_customs_usd_bn for 2021 and for 2019 from trade_nk (select the rows with trade_nk["year"] == ...).',
                'by_year = trade_nk.set_index("year")["china_customs_usd_bn"], then 100 * by_year[2021] / by_year[2019].',
            ],
            solution=(
                'by_year = trade_nk.set_index("year")["china_customs_usd_bn"]\n'
                "closed_pct = 100 * by_year[2021] / by_year[2019]"
            ),
            skills=["pandas.select", "pandas.filter", "pandas.share", "evidence.base_year"],
        ),
        Question(
            "two_sources_gap",
            expect_number(
                lambda: _gap(GAP_YEAR),
                unit="billion US$",
                decimals=2,
                slips=[
                    *year_slips(_gap, GAP_YEAR, lambda: _customs_series()["year"], what="gap"),
                    Slip(
                        "KOTRA's figure alone",
                        lambda: _kotra(GAP_YEAR),
                        "that is KOTRA's own figure; the question asks how much higher it is than China's customs figure "
                        "(KOTRA minus China's customs).",
                    ),
                    Slip(
                        "China's customs figure alone",
                        lambda: _customs(GAP_YEAR),
                        "that is China's customs figure, the other reporter's; subtract it from KOTRA's figure.",
                    ),
                ],
                describe="how much higher KOTRA's 2024 figure is than China's customs figure, in billion US$, to two decimals",
                success="Right: KOTRA's record is higher by about the crude oil it estimates and China records as zero.",
            ),
            hints=[
                "The gap is one source's figure minus the other's, for the same year.",
                "Use the 2024 row of trade_nk: kotra_usd_bn minus china_customs_usd_bn.",
                'row = trade_nk.set_index("year").loc[2024], then row["kotra_usd_bn"] - row["china_customs_usd_bn"].',
            ],
            solution=(
                'row = trade_nk.set_index("year").loc[2024]\n'
                'gap_2024 = row["kotra_usd_bn"] - row["china_customs_usd_bn"]'
            ),
            skills=["pandas.select", "evidence.reporters"],
        ),
        Question(
            "customs_line",
            expect_chart_data(
                _customs_series,
                "line",
                {"x": "year", "y": "china_customs_usd_bn"},
                "a line chart of China's customs record of trade with North Korea by year, with a tooltip",
                require_tooltip=True,
                success="Right: the line shows the fall after the 2017 sanctions, the near-zero of 2020-2021 and the recovery.",
            ),
            hints=[
                "alt.Chart(trade_nk).mark_line() draws a line; encode x and y.",
                'Put the year on x as a quantity or ordinal ("year:O") and china_customs_usd_bn on y ("...:Q").',
                'alt.Chart(trade_nk).mark_line(point=True).encode(x="year:O", y="china_customs_usd_bn:Q", '
                'tooltip=["year", "china_customs_usd_bn"]).',
            ],
            solution=(
                "customs_line = alt.Chart(trade_nk.dropna(subset=[\"china_customs_usd_bn\"])).mark_line(point=True).encode(\n"
                '    x="year:O",\n'
                '    y="china_customs_usd_bn:Q",\n'
                '    tooltip=["year", "china_customs_usd_bn"],\n'
                ")"
            ),
            skills=["altair.marks", "altair.encoding", "altair.tooltip"],
        ),
        Question(
            "split_votes",
            expect_number(
                _split_votes,
                unit="texts",  # a count: only the exact number is right
                slips=[
                    Slip(
                        "no difference",
                        lambda: 0,
                        "that says China and Russia always voted alike; compare china_vote with russia_vote in "
                        "every row, the last ones included.",
                    ),
                    Slip(
                        "the vetoed drafts",
                        lambda: int((_votes()["outcome"] == "vetoed").sum()),
                        "that counts the drafts that were vetoed; in one of them China and Russia both voted no. "
                        "Count the rows where the two votes differ.",
                    ),
                    Slip(
                        "the texts they voted alike on",
                        lambda: int((_votes()["china_vote"] == _votes()["russia_vote"]).sum()),
                        "that counts the texts on which they voted alike; the question asks for those on which they differ.",
                    ),
                    Slip(
                        "every text",
                        lambda: len(_votes()),
                        "that counts every text in votes; keep only the rows where china_vote is not russia_vote.",
                    ),
                ],
                describe="the number of Security Council texts on which China and Russia voted differently",
                success="Right: China and Russia voted alike on every other text; they parted only when Russia's veto "
                "ended the panel of experts and China abstained.",
            ),
            hints=[
                "Compare the two columns row by row: votes[\"china_vote\"] != votes[\"russia_vote\"] is True where they differ.",
                "A True counts as 1 when you add, so .sum() of that comparison counts the rows.",
                'split_votes = int((votes["china_vote"] != votes["russia_vote"]).sum())',
            ],
            solution='split_votes = int((votes["china_vote"] != votes["russia_vote"]).sum())',
            skills=["pandas.filter"],
        ),
    ],
)
