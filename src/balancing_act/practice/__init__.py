"""Practice in place: the "Your turn" cells inside a lesson.

A lesson's practice questions live in ``balancing_act.practice.lessonNN`` as a
:class:`PracticeSet` named ``practice``; a "Your turn" cell (a code cell
tagged ``practice``) reads::

    from balancing_act.checks import ____
    from balancing_act.practice.lesson01 import practice

    russia_share_2024 = ____            # your answer
    practice.russia_share.check(russia_share_2024)

``practice.russia_share.hint()`` shows the next hint and
``practice.russia_share.solution()`` the reference code.  Unanswered, the
check says "Not attempted", so Run All runs the lesson top to bottom.  The
questions are ordinary :class:`balancing_act.checks.Question` objects, built
with the same ``expect_*`` checks as the exercises; their outcomes are
recorded as ``practice:<name>``, apart from the exercise's ``check:<name>``.
See docs/practice.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from balancing_act.checks import ExerciseSet, Question
from balancing_act.progress import ProgressStore

__all__ = ["PRACTICE_ITEM_PREFIX", "TITLE_AND_TOOLTIP_FROM", "PracticeSet"]

#: Progress items of practice questions are named ``practice:<question name>``.
PRACTICE_ITEM_PREFIX = "practice:"

#: From this lesson on, a chart question also asks for a title and a tooltip.
TITLE_AND_TOOLTIP_FROM = 4


class PracticeSet(ExerciseSet):
    """The "Your turn" questions of one lesson, reachable as attributes: ``practice.share.check(x)``."""

    def __init__(
        self,
        lesson: int,
        questions: Iterable[Question],
        *,
        store: ProgressStore | None = None,
        skills: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        items = list(questions)
        if lesson >= TITLE_AND_TOOLTIP_FROM:
            for question in items:
                check = getattr(question, "_check", None)
                if getattr(check, "kind", "") == "chart_data" and not (check.require_title and check.require_tooltip):
                    raise ValueError(
                        f"lesson {lesson} practice question {question.name!r}: from Lesson {TITLE_AND_TOOLTIP_FROM} on a chart "
                        "question asks for a title and a tooltip; pass require_title=True, require_tooltip=True "
                        "to expect_chart_data"
                    )
        for question in items:
            if isinstance(question, Question) and question.item == f"check:{question.name}":
                question.item = f"{PRACTICE_ITEM_PREFIX}{question.name}"
        super().__init__(lesson, items, store=store, skills=skills)

    def __repr__(self) -> str:
        return f"Lesson {self.lesson} practice: {', '.join(self.names) or 'none'}"
