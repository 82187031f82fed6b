"""Tests for balancing_act.chart_data: the rows a chart draws, after its filters."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from balancing_act.chart_data import UnreadableChart, chart_frame, encoded_rows, normalise

FRAME = pd.DataFrame(
    {
        "year": [2022, 2023, 2023, 2024],
        "partner": ["A", "A", "B", "B"],
        "value": [1.5, 2.0, 3.25, 4.0],
    }
)


def _years(chart: alt.Chart) -> list[int]:
    frame, _ = chart_frame(chart.to_dict())
    return sorted(int(y) for y in frame["year"])


@pytest.mark.parametrize(
    ("predicate", "years"),
    [
        (alt.datum.year == 2023, [2023, 2023]),
        ("datum.year >= 2023 && datum.partner !== 'A'", [2023, 2024]),
        ("!(datum.year == 2022) || datum.value > 100", [2023, 2023, 2024]),
        (alt.FieldEqualPredicate(field="partner", equal="A"), [2022, 2023]),
        (alt.FieldOneOfPredicate(field="year", oneOf=[2022, 2024]), [2022, 2024]),
        (alt.FieldRangePredicate(field="value", range=[2, 3.5]), [2023, 2023]),
        (alt.FieldLTEPredicate(field="year", lte=2022), [2022]),
        ({"and": [{"field": "year", "gt": 2022}, {"not": {"field": "partner", "equal": "B"}}]}, [2023]),
    ],
)
def test_filters_are_applied(predicate: object, years: list[int]) -> None:
    chart = alt.Chart(FRAME).mark_bar().encode(x="year:O", y="value:Q").transform_filter(predicate)
    assert _years(chart) == years


def test_a_layered_chart_reads_its_first_view_and_top_level_data() -> None:
    base = alt.Chart(FRAME).encode(x="year:O", y="value:Q")
    layered = alt.layer(base.mark_line(), base.mark_point()).transform_filter(alt.datum.partner == "B")
    frame, encoding = chart_frame(layered.to_dict())
    assert sorted(frame["year"]) == [2023, 2024] and encoding["x"]["field"] == "year"


@pytest.mark.parametrize(
    ("chart", "words"),
    [
        (alt.Chart(FRAME).mark_bar().encode(x="year:O").transform_calculate(double="datum.value * 2"), "in pandas"),
        (alt.Chart("https://example.org/data.csv").mark_bar().encode(x="year:O"), "pandas table"),
        (alt.Chart(FRAME).mark_bar().encode(x="year:O").transform_filter("datum.value.toString() == '2'"), "pandas"),
    ],
)
def test_what_cannot_be_read_says_what_to_do(chart: alt.Chart, words: str) -> None:
    with pytest.raises(UnreadableChart, match=words):
        chart_frame(chart.to_dict())


def test_encoded_rows_count_and_sum_like_altair() -> None:
    counted = encoded_rows(FRAME, {"x": ("year", None), "y": (None, "count")})
    assert counted == [(2022.0, 1.0), (2023.0, 2.0), (2024.0, 1.0)]
    summed = encoded_rows(FRAME, {"x": ("partner", None), "y": ("value", "sum")})
    assert summed == [("A", 3.5), ("B", 7.25)]
    assert encoded_rows(FRAME, {"x": ("value", None)}) == [(1.5,), (2.0,), (3.25,), (4.0,)]


def test_values_are_normalised_like_the_chart_json() -> None:
    assert normalise(pd.Timestamp("2024-06-12")) == "2024-06-12T00:00:00"
    assert normalise(float("nan")) is None and normalise(pd.NA) is None
    assert normalise(1 / 3) == normalise(0.333333333) == 0.333333
    assert normalise("Russia") == "Russia"
