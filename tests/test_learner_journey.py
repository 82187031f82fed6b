"""A learner answers a quiz, runs checks, asks for hints and the solution, closes the notebook and
comes back: the progress is still there. Uses the shipped Lesson 1 bank and exercise checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from balancing_act.checks import ____
from balancing_act.exercises.lesson01 import ex
from balancing_act.progress import ProgressStore, show_progress
from balancing_act.quiz import show_quiz

DATA = Path(__file__).resolve().parents[1] / "data"


def test_quiz_check_hint_solution_then_reopen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    progress_file = tmp_path / "progress.json"
    monkeypatch.setenv("BALANCING_ACT_PROGRESS", str(progress_file))
    monkeypatch.setenv("BALANCING_ACT_DATA", str(DATA))

    # Session 1: the quiz
    quiz = show_quiz("lesson01")
    first = quiz.views[0]
    correct_index = next(i for i, option in enumerate(first.question.choices) if option.correct)
    first.control.value = correct_index
    first.check_button.click()
    assert "Correct" in first.feedback.value
    second = quiz.views[1]
    second.control.value = 50.0
    second.check_button.click()
    assert "Correct" not in second.feedback.value
    assert quiz.score == (1, 6)

    # Session 1: the exercise
    assert repr(ex.q1.check(____)).startswith("Not attempted:")
    assert repr(ex.q1.hint()).startswith("Hint 1 of 3:")
    assert repr(ex.q1.hint()).startswith("Hint 2 of 3:")
    assert "idxmax" in repr(ex.q1.solution())
    assert repr(ex.q1.check("2024")).startswith("Incorrect:")
    assert repr(ex.q1.check(2024)).startswith("Correct:")

    # Session 2: a new kernel reads the same file
    reopened = ProgressStore(progress_file)
    row = reopened.summary().set_index("lesson").loc[1]
    assert row["items_attempted"] == 3  # two quiz questions and one exercise question
    assert row["items_correct"] == 2
    assert str(show_progress(reopened)).startswith("Lesson 1: 3 attempted, 2 correct")
