""""Your turn" questions for Lesson 4: economic interdependence and strategic hesitation.

Expected answers are computed from the course data the first time a learner
checks an answer; importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act.checks import Question, Slip, expect_chart_data, expect_number, year_slips
from balancing_act.data import load
from balancing_act.practice import PracticeSet
from balancing_act.topics import interdependence

YEAR = 2022
SCALE_YEAR = 2023
SCALE_PARTNERS = ("United States", "European Union", "Russia", "North Korea")
CRUDE_FROM, CRUDE_TO = 2021, 2023  # the last year before the war, and the year Russia was first again


def _trade() -> pd.DataFrame:
    return load("china_customs_trade")


def _china_gdp(year: int) -> float | None:
    gdp = load("world_bank_gdp")
    rows = gdp.loc[(gdp["economy"] == "China") & (gdp["year"] == year), "gdp_usd_bn"]
    return None if rows.empty else float(rows.iloc[0])


def _partner(year: int, partner: str, column: str = "total_usd_bn") -> float | None:
    trade = _trade()
    rows = trade.loc[(trade["year"] == year) & (trade["partner"] == partner), column]
    return None if rows.empty or pd.isna(rows.iloc[0]) else float(rows.iloc[0])


def _russia_pct_of_gdp(year: int, column: str = "total_usd_bn") -> float | None:
    value, gdp = _partner(year, "Russia", column), _china_gdp(year)
    return None if value is None or gdp is None else 100 * value / gdp


def _gdp_years() -> list[int]:
    gdp = load("world_bank_gdp")
    have = set(gdp.loc[gdp["economy"] == "China", "year"])
    return [int(y) for y in _trade().loc[_trade()["partner"] == "Russia", "year"] if y in have]


def _times_russia() -> float:
    us, eu, russia = (_partner(SCALE_YEAR, p) for p in ("United States", "European Union", "Russia"))
    return float((us or 0.0) + (eu or 0.0)) / float(russia or 1.0)


def _on_scale() -> pd.DataFrame:
    trade = _trade()
    rows = trade.loc[(trade["year"] == SCALE_YEAR) & trade["partner"].isin(SCALE_PARTNERS), ["year", "partner", "total_usd_bn"]].copy()
    rows["pct_of_china_gdp"] = 100 * rows["total_usd_bn"] / float(_china_gdp(SCALE_YEAR) or 1.0)
    return rows


def _russian_tonnes() -> pd.Series:
    """Russia's crude sales to China by year, in million tonnes (years with a tonnage only)."""
    return interdependence.russia_crude().set_index("year")["million_tonnes"].dropna()


def _crude_growth(to_year: int, from_year: int = CRUDE_FROM) -> float | None:
    tonnes = _russian_tonnes()
    if to_year not in tonnes.index or from_year not in tonnes.index:
        return None
    return 100 * (float(tonnes[to_year]) / float(tonnes[from_year]) - 1)


def _crude_ratio_pct() -> float:
    tonnes = _russian_tonnes()
    return 100 * float(tonnes[CRUDE_TO]) / float(tonnes[CRUDE_FROM])


def _crude_change_over_end() -> float:
    tonnes = _russian_tonnes()
    return 100 * (1 - float(tonnes[CRUDE_FROM]) / float(tonnes[CRUDE_TO]))


practice = PracticeSet(
    lesson=4,
    questions=[
        Question(
            "russia_pct_gdp",
            expect_number(
                lambda: _russia_pct_of_gdp(YEAR),
                unit="%",
                decimals=1,
                slips=[
                    *year_slips(_russia_pct_of_gdp, YEAR, _gdp_years, what="percentage"),
                    Slip(
                        "exports for the total",
                        lambda: _russia_pct_of_gdp(YEAR, "exports_usd_bn"),
                        "that uses China's exports to Russia only; the question asks for the total trade (total_usd_bn).",
                    ),
                ],
                describe="China's 2022 trade with Russia as a percentage of China's 2022 GDP, to one decimal",
                success="Right: even in the first year of the war, trade with Russia was about 1% of China's GDP.",
            ),
            hints=[
                "Divide the trade by the GDP of the same year and multiply by 100.",
                'The trade: trade rows with year 2022 and partner "Russia", column total_usd_bn. The GDP: gdp rows with '
                'economy "China" and year 2022, column gdp_usd_bn.',
                'russia = trade.loc[(trade["year"] == 2022) & (trade["partner"] == "Russia"), "total_usd_bn"].iloc[0]; '
                'china = gdp.loc[(gdp["economy"] == "China") & (gdp["year"] == 2022), "gdp_usd_bn"].iloc[0].',
            ],
            solution=(
                'russia = trade.loc[(trade["year"] == 2022) & (trade["partner"] == "Russia"), "total_usd_bn"].iloc[0]\n'
                'china = gdp.loc[(gdp["economy"] == "China") & (gdp["year"] == 2022), "gdp_usd_bn"].iloc[0]\n'
                "russia_pct_2022 = 100 * russia / china"
            ),
            skills=["pandas.filter", "pandas.share"],
        ),
        Question(
            "times_russia",
            expect_number(
                _times_russia,
                unit="times",
                decimals=1,
                slips=[
                    Slip(
                        "the other way round",
                        lambda: 1 / _times_russia(),
                        "that is Russia's trade divided by the US and EU trade; the question asks how many times larger "
                        "the US and EU trade is (US plus EU, divided by Russia).",
                    ),
                    Slip(
                        "the United States only",
                        lambda: float(_partner(SCALE_YEAR, "United States") or 0.0) / float(_partner(SCALE_YEAR, "Russia") or 1.0),
                        "that uses the United States only; add the European Union's trade before dividing.",
                    ),
                ],
                describe="how many times China's 2023 trade with the United States and the EU together is its trade with Russia, to one decimal",
                success="Right: China's trade with the US and the EU together was about six times its trade with Russia in 2023.",
            ),
            hints=[
                "A ratio: the US and EU trade added together, divided by the Russia trade.",
                "The rows of on_scale hold all three for 2023 (column total_usd_bn).",
                'by_partner = on_scale.set_index("partner")["total_usd_bn"], then '
                '(by_partner["United States"] + by_partner["European Union"]) / by_partner["Russia"].',
            ],
            solution=(
                'by_partner = on_scale.set_index("partner")["total_usd_bn"]\n'
                'times = (by_partner["United States"] + by_partner["European Union"]) / by_partner["Russia"]'
            ),
            skills=["pandas.select", "pandas.share"],
        ),
        Question(
            "crude_growth",
            expect_number(
                lambda: _crude_growth(CRUDE_TO),
                unit="%",
                decimals=1,
                slips=[
                    *year_slips(lambda year: _crude_growth(year), CRUDE_TO, lambda: _russian_tonnes().index,
                                what="growth (from 2021 to that year)"),
                    Slip(
                        "the ratio, not the growth",
                        _crude_ratio_pct,
                        "that is the 2023 tonnage as a percentage of the 2021 tonnage; growth is the change only: "
                        "subtract 1 before multiplying by 100.",
                    ),
                    Slip(
                        "divided by the end year",
                        _crude_change_over_end,
                        "that divides the change by the 2023 tonnage; growth divides it by the starting year's (2021).",
                    ),
                ],
                describe="the growth of Russia's crude oil sales to China from 2021 to 2023, in percent, to one decimal",
                success="Right: from 2021, the last year before the war, to 2023 Russia's crude sales to China grew by about "
                "a third, by weight.",
            ),
            hints=[
                "Growth in percent: 100 * (the 2023 tonnage / the 2021 tonnage - 1).",
                'Turn russian_crude into a lookup by year: tonnes = russian_crude.set_index("year")["million_tonnes"].',
                "Then tonnes[2023] and tonnes[2021] are the two numbers: 100 * (tonnes[2023] / tonnes[2021] - 1).",
            ],
            solution=(
                'tonnes = russian_crude.set_index("year")["million_tonnes"]\n'
                "crude_growth_pct = 100 * (tonnes[2023] / tonnes[2021] - 1)"
            ),
            skills=["pandas.select", "pandas.growth"],
        ),
        Question(
            "gdp_bars",
            expect_chart_data(
                _on_scale,
                "bar",
                {"x": "pct_of_china_gdp", "y": "partner"},
                "a bar chart of the four partners' trade as a percentage of China's 2023 GDP, with a title and a tooltip",
                selected_on=["year", "partner"],
                require_title=True,
                require_tooltip=True,
                success="Right: the bars show Russia's weight in China's economy next to the United States' and the EU's.",
            ),
            hints=[
                "Start from on_scale: alt.Chart(on_scale).mark_bar().",
                'Encode x="pct_of_china_gdp:Q", y="partner:N" and a tooltip list.',
                'Add .properties(title="...") for the title, e.g. alt.Chart(on_scale).mark_bar().encode(...).properties(title="Trade as % of China\'s GDP, 2023").',
            ],
            solution=(
                "gdp_bars = alt.Chart(on_scale).mark_bar().encode(\n"
                '    x="pct_of_china_gdp:Q",\n'
                '    y=alt.Y("partner:N", sort="-x"),\n'
                '    tooltip=["partner", "pct_of_china_gdp"],\n'
                ').properties(title="China\'s trade with four partners as % of its GDP, 2023")'
            ),
            skills=["altair.marks", "altair.encoding", "altair.tooltip", "altair.title"],
        ),
    ],
)
