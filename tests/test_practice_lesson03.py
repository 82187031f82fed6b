"""Lesson 3's vote-comparison "Your turn" question (balancing_act.practice.lesson03.split_votes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from balancing_act.data import load
from balancing_act.practice.lesson03 import practice
from balancing_act.progress import ENV_VAR


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "progress.json"))


def test_split_votes_counts_the_rows_where_china_and_russia_differ() -> None:
    votes = load("unsc_dprk_votes")
    differ = int((votes["china_vote"] != votes["russia_vote"]).sum())
    q = practice.split_votes
    assert differ >= 1
    outcome = q.evaluate(differ)
    assert outcome.correct and "abstained" in outcome.text
    assert not q.evaluate(differ + 0.4).correct  # a count: only the exact number
    outcome = q.evaluate(0)
    assert not outcome.correct and "always voted alike" in outcome.text
    outcome = q.evaluate(len(votes) - differ)
    assert not outcome.correct and "voted alike" in outcome.text and "differ" in outcome.text
    outcome = q.evaluate(len(votes))
    assert not outcome.correct and "every text" in outcome.text
    vetoed = int((votes["outcome"] == "vetoed").sum())
    if vetoed != differ:
        outcome = q.evaluate(vetoed)
        assert not outcome.correct and "vetoed" in outcome.text
