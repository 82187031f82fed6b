""""Your turn" questions for Lesson 1: China's position in the emerging bloc.

Expected answers are computed from the course data the first time a learner
checks an answer; importing this module reads nothing.
"""

from __future__ import annotations

import pandas as pd

from balancing_act import analysis
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


def _russia_gdp_share(year: int, economy: str = "Russia") -> float | None:
    """China-Russia trade in ``year`` as a percent of ``economy``'s GDP (World Bank, current US$)."""
    trade = _trade()
    total = trade.loc[(trade["year"] == year) & (trade["partner"] == "Russia"), "total_usd_bn"]
    gdp = load("world_bank_gdp")
    size = gdp.loc[(gdp["year"] == year) & (gdp["economy"] == economy), "gdp_usd_bn"]
    if total.empty or size.empty or pd.isna(total.iloc[0]) or pd.isna(size.iloc[0]):
        return None
    return float(100 * total.iloc[0] / size.iloc[0])


def _gdp_years() -> list[int]:
    return sorted(int(y) for y in load("world_bank_gdp")["year"].dropna().unique())


GDP_YEAR = 2022


def _nk_shares(year: int) -> pd.Series | None:
    """North Korea's two shares in ``year`` (percent), indexed by perspective, or None without both."""
    both = analysis.asymmetry(year)
    rows = both[both["partner"] == "North Korea"].set_index("perspective")["share_pct"]
    return rows if len(rows) == 2 else None


def _nk_ratio(year: int, decimals: int | None = None) -> float | None:
    """China's share of North Korea's trade divided by North Korea's share of China's, in ``year``.

    With ``decimals``, both shares are first rounded as a table printed with ``.round(decimals)`` shows them.
    """
    shares = _nk_shares(year)
    if shares is None:
        return None
    theirs = shares["China's share of North Korea's trade"]
    ours = shares["North Korea's share of China's trade"]
    if decimals is not None:
        theirs, ours = round(theirs, decimals), round(ours, decimals)
    return float(theirs / ours) if ours else None


def _russia_ratio() -> float | None:
    shares = analysis.asymmetry(NK_YEAR)
    rows = shares[shares["partner"] == "Russia"].set_index("perspective")["share_pct"]
    if len(rows) != 2:
        return None
    return float(rows["China's share of Russia's trade"] / rows["Russia's share of China's trade"])


def _dependence_years() -> list[int]:
    dependence = load("partner_dependence")
    return sorted(int(y) for y in dependence.loc[dependence["country"] == "North Korea", "year"].dropna().unique())


NK_YEAR = 2024


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
        Question(
            "russia_gdp_share",
            expect_number(
                lambda: _russia_gdp_share(GDP_YEAR),
                unit="%",
                decimals=1,
                slips=[
                    *year_slips(_russia_gdp_share, GDP_YEAR, _gdp_years, what="share"),
                    Slip(
                        "China's GDP for Russia's",
                        lambda: _russia_gdp_share(GDP_YEAR, "China"),
                        "that divides by China's GDP; the question asks for the share of Russia's GDP "
                        '(the gdp_usd_bn row whose economy is "Russia").',
                    ),
                ],
                describe="China-Russia trade in 2022 as a share of Russia's GDP, in percent",
                success="Right: in 2022 the trade came to about 8% of Russia's GDP, "
                "but only about 1% of China's.",
            ),
            hints=[
                "Divide the 2022 China-Russia total (china_customs_trade) by Russia's 2022 GDP (world_bank_gdp), times 100.",
                'Both are in billions of US dollars: trade rows with partner "Russia", GDP rows with economy "Russia".',
                'trade.loc[(trade["year"] == 2022) & (trade["partner"] == "Russia"), "total_usd_bn"].iloc[0] and '
                'gdp.loc[(gdp["year"] == 2022) & (gdp["economy"] == "Russia"), "gdp_usd_bn"].iloc[0].',
            ],
            solution=(
                'trade_2022 = trade.loc[(trade["year"] == 2022) & (trade["partner"] == "Russia"), "total_usd_bn"].iloc[0]\n'
                'russia_gdp_2022 = gdp.loc[(gdp["year"] == 2022) & (gdp["economy"] == "Russia"), "gdp_usd_bn"].iloc[0]\n'
                "russia_gdp_share_2022 = 100 * trade_2022 / russia_gdp_2022"
            ),
            skills=["pandas.filter", "pandas.share"],
        ),
        Question(
            "nk_ratio",
            expect_number(
                lambda: _nk_ratio(NK_YEAR),
                unit="times",
                rel_tol=0.005,  # three significant figures
                slips=[
                    Slip(
                        "the shares rounded to two decimals",
                        lambda: _nk_ratio(NK_YEAR, decimals=2),
                        "that divides the shares as the table rounds them (North Korea's share of China's trade "
                        "shows as 0.04); a share that small loses most of its digits when rounded. Divide the "
                        "unrounded share_pct values of both_ways.",
                    ),
                    Slip(
                        "Russia's ratio, or the ratio upside down",
                        _russia_ratio,  # any answer below about 14 is told apart from the right one only this way
                        "that is Russia's ratio, or North Korea's upside down (North Korea's share of China's trade "
                        "divided by China's share of North Korea's); the question asks how many times China's share "
                        "of North Korea's trade is North Korea's share of China's.",
                    ),
                    *year_slips(_nk_ratio, NK_YEAR, _dependence_years, what="ratio"),
                ],
                describe="how many times China's share of North Korea's trade is North Korea's share of China's, in 2024",
                success="Right: China weighs thousands of times more in North Korea's trade than North Korea weighs "
                "in China's, a far more lopsided tie than Russia's.",
            ),
            hints=[
                "Divide China's share of North Korea's trade (KOTRA's figure) by North Korea's share of China's trade.",
                'Index both_ways by its perspective column: shares = both_ways.set_index("perspective")["share_pct"]; '
                "use the unrounded values, not the rounded table.",
                'shares["China\'s share of North Korea\'s trade"] / shares["North Korea\'s share of China\'s trade"].',
            ],
            solution=(
                'shares = both_ways.set_index("perspective")["share_pct"]\n'
                'nk_ratio_2024 = shares["China\'s share of North Korea\'s trade"] / shares["North Korea\'s share of China\'s trade"]'
            ),
            skills=["pandas.select", "pandas.share"],
        ),
    ],
)
