"""Lesson 1 q3's tolerance fits the size of the answer: North Korea's share of China's trade is tiny
(about 0.035 %), so a fixed allowance of 0.001 percentage points let answers almost 3 % off pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from balancing_act.data import load
from balancing_act.exercises.lesson01 import ex
from balancing_act.progress import ENV_VAR


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "default-progress.json"))


def _share_from_the_data() -> float:
    """North Korea's share of China's 2024 trade, computed as the exercise asks, from the CSV."""
    trade = load("china_customs_trade")
    in_2024 = trade[trade["year"] == 2024].set_index("partner")["total_usd_bn"]
    return float(100 * in_2024["North Korea"] / in_2024["World"])


def test_an_answer_almost_three_percent_off_is_not_correct() -> None:
    share = _share_from_the_data()
    assert 0.03 < share < 0.04  # the premise: a tiny share
    for wrong in (share * 1.028, share * 0.972):
        outcome = ex.q3.evaluate(wrong)
        assert outcome.status == "incorrect", wrong
        assert "significant figures" in outcome.text


@pytest.mark.parametrize("figures", [3, 4, 6])
def test_an_answer_rounded_to_three_or_more_significant_figures_is_correct(figures: int) -> None:
    share = _share_from_the_data()
    rounded = float(f"{share:.{figures}g}")
    assert ex.q3.evaluate(rounded).correct, rounded
    assert ex.q3.evaluate(share).correct
