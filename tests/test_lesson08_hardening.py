"""Lesson 8's open checks on hostile answers: a huge text is refused at once, and nothing a learner
wrote is echoed back at length."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from balancing_act import checks
from balancing_act.exercises.lesson08 import ex
from balancing_act.progress import ENV_VAR, ProgressStore


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "default-progress.json"))


def test_a_ten_megabyte_judgement_is_refused_quickly(tmp_path: Path) -> None:
    answer = "word " * 2_000_000  # 10 MB
    store = ProgressStore(tmp_path / "progress.json")
    ex.q5.store = store
    try:
        started = time.perf_counter()
        feedback = ex.q5.check(answer)
        elapsed = time.perf_counter() - started
    finally:
        ex.q5.store = None
    # A bound on a blow-up, not a benchmark: the old check took 6-14 s here.
    assert elapsed < 1.0, elapsed
    assert feedback.outcome.status == "incorrect"
    assert f"{len(answer):,} characters" in repr(feedback) and f"{checks.MAX_ANSWER_CHARS:,}" in repr(feedback)
    assert len(repr(feedback)) < 300 and len(feedback._repr_html_()) < 400
    assert len(store.records()[-1].response) <= 200


def test_a_judgement_within_the_limit_is_still_read() -> None:
    judgement = ("The figures show a limit: the course has volumes, not prices. " * 40)[: checks.MAX_ANSWER_CHARS]
    assert ex.q5.evaluate(judgement).correct


def test_a_huge_dataset_name_is_not_echoed() -> None:
    name = "d" * 10_000_000
    evidence = pd.DataFrame(
        {
            "indicator": ["x"] * 3,
            "year": [2021, 2022, 2023],
            "value": [1.0, 2.0, 3.0],
            "unit": ["t"] * 3,
            "dataset": [name] * 3,
        }
    )
    started = time.perf_counter()
    outcome = ex.q3.evaluate(evidence)
    assert time.perf_counter() - started < 1.0
    assert outcome.status == "incorrect" and "is not one" in outcome.text
    assert "'ddd" in outcome.text and len(outcome.text) < checks.MAX_MESSAGE_CHARS
