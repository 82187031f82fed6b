"""The quiz answer key for instructors, generated from the quiz banks.

Writing the key from the banks keeps one source of truth: ``python -m
balancing_act.guide`` rewrites ``docs/answer-key.md``, and a test fails when the
committed file differs from what the banks say.
"""

from __future__ import annotations

import sys
from pathlib import Path

from balancing_act.course import lessons
from balancing_act.quiz import QuizBankError, QuizQuestion, load_bank

__all__ = ["answer_key_markdown", "main"]


def _answer(question: QuizQuestion) -> str:
    if question.type == "numeric":
        unit = f" {question.unit}" if question.unit else ""
        return f"{question.answer:g}{unit} (accepted within ±{question.tolerance:g})"
    right = [option.text for option in question.choices if option.correct]
    return "; ".join(right)


def _reasoning(question: QuizQuestion) -> str:
    parts = [question.explanation or question.feedback_correct]
    wrong = [f"“{o.text}”: {o.feedback}" for o in question.choices if not o.correct and o.feedback]
    if wrong:
        parts.append("Wrong choices: " + " ".join(wrong))
    if question.source is not None:
        parts.append(f"Source: [{question.source.label}]({question.source.url}).")
    return " ".join(p for p in parts if p)


def answer_key_markdown() -> str:
    """The answer key of every lesson's quiz, as Markdown."""
    lines = [
        "# Quiz answer key",
        "",
        "Generated from the quiz banks in `src/balancing_act/quizzes/` by `python -m balancing_act.guide`;",
        "do not edit by hand. Learners see the same explanations as feedback after answering.",
        "",
    ]
    for lesson in lessons(available_only=True):
        try:
            bank = load_bank(lesson.bank_id)
        except QuizBankError:
            continue
        lines += [f"## Lesson {lesson.number} · {lesson.title}", ""]
        for number, question in enumerate(bank.questions, start=1):
            lines += [
                f"{number}. **{question.prompt}** ({question.type}, id `{question.id}`)",
                f"   - Answer: {_answer(question)}",
                f"   - Why: {_reasoning(question)}",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the answer key to the path given (default ``docs/answer-key.md``)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path("docs") / "answer-key.md"
    target.write_text(answer_key_markdown(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
