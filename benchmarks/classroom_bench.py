"""Benchmark of the class report: 200 learners' hand-in files read and turned into one HTML page.

Run from the project root:

    .venv/bin/python benchmarks/classroom_bench.py          # prints the figure; exit 1 over budget
    .venv/bin/python benchmarks/classroom_bench.py 500      # another class size

or from Python: ``bench_class_report(200)`` returns
``{"seconds": ..., "budget_s": 2.0, "pass": ...}`` plus the time of each step.

The files are made in a temporary folder before the clock starts: each
learner's progress file is written in the documented progress format (quiz
answers graded by :func:`balancing_act.quiz.grade`, exercise checks, claim
verdicts), then handed in with :func:`balancing_act.classroom.write_hand_in`.
The clock covers what the instructor waits for once Python has started:
reading and checking every file, combining learners, counting, drawing the
charts (including starting the chart engine, which happens once per process)
and writing the page.  Package imports are done before the clock starts.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BUDGET_S = 2.0


def _records(index: int) -> list[dict[str, Any]]:
    """One learner's records: every quiz of the course, a few exercises, the claims."""
    from importlib import import_module

    from balancing_act import course
    from balancing_act.claims import ClaimError, load_claim
    from balancing_act.quiz import grade, load_bank

    out: list[dict[str, Any]] = []
    stamp = f"2025-03-{1 + index % 28:02d}T10:{index % 60:02d}:00Z"

    def add(lesson: int, item: str, kind: str, outcome: str, response: str) -> None:
        out.append({"lesson": lesson, "item": item, "kind": kind, "outcome": outcome, "response": response, "time": stamp})

    for lesson in course.lessons(available_only=True):
        add(lesson.number, "visit:lesson", "visit", "not_attempted", "")
        bank = load_bank(lesson.bank_id)
        for pos, question in enumerate(bank.questions):
            right = [k for k, o in enumerate(question.options) if o.correct]
            if question.type == "numeric":
                first: object = float(question.answer or 0) + (index + pos) % 3
                fix: object = float(question.answer or 0)
            elif question.type == "multiple":
                first, fix = [(index + pos) % len(question.options)], right
            elif question.type == "truefalse":
                first, fix = (index + pos) % 2 == 0, question.answer
            else:
                first, fix = (index + pos) % len(question.options), right[0]
            for response in (first, fix) if index % 2 else (first,):
                outcome = grade(question, response)
                add(bank.lesson, f"quiz:{bank.id}:{question.id}", "quiz", outcome.progress_outcome, outcome.response)
        exercises = import_module(f"balancing_act.exercises.lesson{lesson.number:02d}").ex
        for pos, name in enumerate(exercises.names):
            if (index + pos) % 3:
                add(lesson.number, f"check:{name}", "check", "correct" if (index + pos) % 2 else "incorrect", str(index % 7))
        try:
            claim = load_claim(lesson.bank_id)
        except ClaimError:
            continue
        verdict = claim.verdicts[(index + lesson.number) % len(claim.verdicts)]
        add(lesson.number, f"claim:{claim.id}", "visit", "not_attempted", f"{verdict}: reason {index}")
    return out


def make_class(folder: Path, n_learners: int) -> Path:
    """Write ``n_learners`` hand-in files into ``folder / "hand-ins"`` and return that folder."""
    from balancing_act import classroom
    from balancing_act.progress import FORMAT, VERSION, ProgressStore

    hand_ins = folder / "hand-ins"
    hand_ins.mkdir(parents=True, exist_ok=True)
    for index in range(n_learners):
        path = folder / "progress" / f"{index}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        document = {"format": FORMAT, "version": VERSION, "learner": f"Learner {index}", "records": _records(index)}
        path.write_text(json.dumps(document), encoding="utf-8")
        classroom.write_hand_in(ProgressStore(path), hand_ins)
    return hand_ins


def bench_class_report(n_learners: int = 200) -> dict[str, Any]:
    """Seconds to turn ``n_learners`` hand-in files into the class report, against a 2 s budget.

    Times :func:`balancing_act.classroom.main` with ``report FOLDER --out FILE``
    in this process: exactly what the command does once Python has started.
    """
    import altair  # noqa: F401  imports are not what the instructor waits for each time
    import vl_convert  # noqa: F401

    from balancing_act import classroom

    with tempfile.TemporaryDirectory(prefix="class-report-bench-") as scratch:
        folder = make_class(Path(scratch), n_learners)
        out = Path(scratch) / "report.html"
        messages = io.StringIO()
        start, cpu = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(messages), contextlib.redirect_stderr(messages):
            code = classroom.main(["report", str(folder), "--out", str(out)])
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu
        page = out.read_text(encoding="utf-8") if code == 0 else ""
    if code != 0:
        raise RuntimeError(f"the report failed (exit code {code}): {messages.getvalue()}")
    return {
        "seconds": round(seconds, 3),
        "budget_s": BUDGET_S,
        "pass": seconds <= BUDGET_S,
        "cpu_s": round(cpu_seconds, 3),
        "learners": n_learners,
        "charts": page.count("<svg"),
        "html_bytes": len(page.encode("utf-8")),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    n_learners = int(args[0]) if args else 200
    result = bench_class_report(n_learners)
    verdict = "ok" if result["pass"] else "OVER BUDGET"
    print(
        f"class report, {result['learners']} learners: {result['seconds']:.2f} s (budget {result['budget_s']:.1f} s) {verdict}; "
        f"processor time {result['cpu_s']:.2f} s, {result['charts']} charts, {result['html_bytes'] / 1000:.0f} kB"
    )
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
