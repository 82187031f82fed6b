"""Hand-in files and the class report.

The class of 200 learners is built through the course's own recording API
(quiz widgets, exercise questions, claim reviews, progress stores), following
a plan written here; the expected figures are counted from that plan, never
from the report's code.
"""

from __future__ import annotations

import contextlib
import csv
import html
import importlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from balancing_act import classroom
from balancing_act.checks import ____, Question, expect_equal
from balancing_act.claims import ClaimReview, load_claim
from balancing_act.progress import ProgressStore
from balancing_act.quiz import Quiz, QuizQuestion, grade, load_bank
from balancing_act.safe_text import plain

ROOT = Path(__file__).resolve().parents[1]
N_LEARNERS = 200
QUIZ_LESSONS = (0, 1, 2)
CHECK_LESSONS = (0, 1, 2, 3, 4)
CLAIM_LESSONS = (1, 2)
RIGHT = 42
HOSTILE = "<script>alert('x')</script>"
HOSTILE_REASON = '<img src=x onerror="alert(1)"> & more'
SKIPPED_EXERCISE = (2, "q5")  # nobody is asked to answer it
BLANK_ONLY = (3, "q4")  # learners run it with the placeholder only: still not attempted


def _name(i: int) -> str:
    return f"Amira Testname{i:03d}"


def _anonymous(i: int) -> bool:
    return i % 4 == 1


# ------------------------------------------------------------------ the plan
@dataclass
class Expected:
    """What the class did, counted from the plan as it is carried out."""

    firsts: dict[tuple[int, str], list[bool]] = field(default_factory=dict)
    ever: dict[tuple[int, str], int] = field(default_factory=dict)
    wrong: dict[tuple[int, str], Counter[str]] = field(default_factory=dict)
    verdicts: dict[int, Counter[str]] = field(default_factory=dict)
    reasons: dict[int, list[str]] = field(default_factory=dict)

    def answer(self, key: tuple[int, str], tries: list[tuple[bool, str]]) -> None:
        """One learner's graded tries (right?, answer as shown) at one question."""
        self.firsts.setdefault(key, []).append(tries[0][0])
        self.ever[key] = self.ever.get(key, 0) + any(ok for ok, _ in tries)
        counter = self.wrong.setdefault(key, Counter())
        for shown in {shown for ok, shown in tries if not ok}:
            counter[shown] += 1


def _choice_text(question: QuizQuestion, index: int) -> str:
    return plain(question.choices[index].text)


def _quiz_tries(question: QuizQuestion, i: int, pos: int) -> list[tuple[str, object]]:
    """The answers learner ``i`` gives to a question, in order: (type of control, value)."""
    right = [k for k, o in enumerate(question.choices) if o.correct]
    if question.type in ("single", "truefalse"):
        first: object = (i * 3 + pos) % len(question.choices)
        fix: object = right[0]
    elif question.type == "multiple":
        first = [right, [0], list(range(len(question.options)))][(i + pos) % 3]
        fix = right
    else:
        answer = float(question.answer or 0.0)
        first = answer if (i + pos) % 3 == 0 else answer + float(question.tolerance or 0.0) + 1 + i % 2
        fix = answer
    tries = [(question.type, first)]
    if not _quiz_right(question, first) and i % 3 != 0:
        tries.append((question.type, fix))
    return tries


def _quiz_right(question: QuizQuestion, value: object) -> bool:
    if question.type in ("single", "truefalse"):
        return question.choices[int(value)].correct  # type: ignore[call-overload]
    if question.type == "multiple":
        return set(value) == {k for k, o in enumerate(question.options) if o.correct}  # type: ignore[call-overload]
    return abs(float(value) - float(question.answer or 0.0)) <= float(question.tolerance or 0.0)  # type: ignore[arg-type]


def _quiz_shown(question: QuizQuestion, value: object) -> str:
    if question.type in ("single", "truefalse"):
        return _choice_text(question, int(value))  # type: ignore[call-overload]
    if question.type == "multiple":
        return " + ".join(_choice_text(question, k) for k in sorted(value))  # type: ignore[call-overload]
    return repr(float(value))  # type: ignore[arg-type]


def _through_widgets(i: int) -> bool:
    """Every tenth learner clicks through the real widgets; the rest use the same grading and store calls.

    Building 600 quiz widgets would take minutes; the widget learners show that
    both paths record the same thing (the counts would not add up otherwise).
    """
    return i % 10 == 0


def _answer_quiz(store: ProgressStore, lesson: int, i: int, expected: Expected) -> None:
    bank = load_bank(f"lesson{lesson:02d}")
    views = Quiz(bank, store).views if _through_widgets(i) else None
    for pos, question in enumerate(bank.questions):
        tries = _quiz_tries(question, i, pos)
        for kind, value in tries:
            if views is None:
                response = value == 0 if kind == "truefalse" else value
                outcome = grade(question, response)
                store.record(lesson, f"quiz:{bank.id}:{question.id}", "quiz", outcome.progress_outcome, outcome.response)
                continue
            view = views[pos]
            if kind == "multiple":
                for shown, box in enumerate(view.control):  # boxes appear in the learner's order
                    box.value = view.order[shown] in value  # type: ignore[operator]
            else:
                view.control.value = value
            view.check()
        expected.answer(
            (lesson, f"quiz:{bank.id}:{question.id}"),
            [(_quiz_right(question, v), _quiz_shown(question, v)) for _, v in tries],
        )


def _exercise_names(lesson: int) -> list[str]:
    return list(importlib.import_module(f"balancing_act.exercises.lesson{lesson:02d}").ex.names)


def _answer_checks(store: ProgressStore, i: int, expected: Expected) -> None:
    for lesson in CHECK_LESSONS:
        for pos, name in enumerate(_exercise_names(lesson)):
            question = Question(name, expect_equal(lambda: RIGHT, describe="the answer"), lesson=lesson, store=store)
            if (lesson, name) == SKIPPED_EXERCISE or (i + lesson + pos) % 3 == 0:
                continue
            if (lesson, name) == BLANK_ONLY:
                question.check(____)
                continue
            wrong: object = HOSTILE if (lesson, name) == (4, "q1") else 41 - i % 2
            first = RIGHT if (i + pos) % 4 == 0 else wrong
            tries = [first] if first == RIGHT or i % 2 else [first, RIGHT]
            for value in tries:
                question.check(value)
            expected.answer((lesson, f"check:{name}"), [(v == RIGHT, v if isinstance(v, str) else repr(v)) for v in tries])


def _review_claims(store: ProgressStore, i: int, expected: Expected) -> None:
    for lesson in CLAIM_LESSONS:
        if i % 3 == 1:
            continue
        claim = load_claim(f"lesson{lesson:02d}")
        review = ClaimReview(claim, store=store) if _through_widgets(i) else None
        verdicts = claim.verdicts
        final = verdicts[(i * lesson) % len(verdicts)]
        reason = HOSTILE_REASON if i == 30 else (f"reason number {i}" if i % 5 == 0 else "")
        choices = [(verdicts[((i * lesson) + 1) % len(verdicts)], "")] if i % 7 == 0 else []
        for verdict, why in [*choices, (final, reason)]:  # a change of mind: the latest verdict counts
            if review is None:
                store.record(lesson, f"claim:{claim.id}", "visit", "not_attempted", response=f"{verdict}: {why}")
                continue
            review.verdict.value = verdict
            review.reason.value = why
            review.button.click()
        expected.verdicts.setdefault(lesson, Counter())[final] += 1
        if reason:
            expected.reasons.setdefault(lesson, []).append(reason)


@dataclass
class ClassFolder:
    folder: Path
    expected: Expected
    files: dict[int, list[Path]]
    bad: dict[str, Path]
    ids: dict[int, str]


def _set_exported_at(path: Path, stamp: str) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["exported_at"] = stamp
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClassFolder]:
    root = tmp_path_factory.mktemp("class")
    folder = root / "hand-ins"
    folder.mkdir()
    expected = Expected()
    files: dict[int, list[Path]] = {}
    with pytest.MonkeyPatch.context() as patch:
        # Durability is not under test here; 8,000 synced writes would take minutes.
        patch.setattr(os, "fsync", lambda fd: None)
        for i in range(N_LEARNERS):
            learner = "" if _anonymous(i) else _name(i)
            store = ProgressStore(root / "progress" / f"{i}.json", learner=learner)
            second = ProgressStore(root / "progress" / f"{i}-reset.json", learner=learner) if i == 7 else store
            for lesson in QUIZ_LESSONS:
                if (i + lesson) % 5 != 0:
                    _answer_quiz(store, lesson, i, expected)
            files[i] = []
            if i == 6:  # hands in early, then again at the end: the early file adds nothing
                early = classroom.write_hand_in(store, folder)
                _set_exported_at(early, "2000-01-01T00:00:00Z")
                files[i].append(early)
            if i == 7:  # a Binder session reset: the rest goes to a new progress file
                files[i].append(classroom.write_hand_in(store, folder))
            _answer_checks(second, i, expected)
            _review_claims(second, i, expected)
            files[i].append(classroom.write_hand_in(second, folder))
    ids = {i: json.loads(paths[-1].read_text(encoding="utf-8"))["learner_id"] for i, paths in files.items()}
    valid = json.loads(files[3][0].read_text(encoding="utf-8"))
    text = files[3][0].read_text(encoding="utf-8")
    bad = {
        "corrupt": folder / "corrupt.json",
        "not-json": folder / "not-json.json",
        "truncated": folder / "truncated.json",
        "wrong-types": folder / "wrong-types.json",
        "foreign": folder / "notebook.json",
        "foreign-list": folder / "list.json",
        "newer": folder / "newer.json",
        "empty": folder / "empty.json",
    }
    bad["corrupt"].write_bytes(b"\xff\xfe\x00garbage\x00")
    bad["not-json"].write_text("{learner: ada}", encoding="utf-8")
    bad["truncated"].write_text(text[: len(text) // 2], encoding="utf-8")
    bad["wrong-types"].write_text(json.dumps({**valid, "progress": {**valid["progress"], "records": "all right"}}), encoding="utf-8")
    bad["foreign"].write_text(json.dumps({"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}), encoding="utf-8")
    bad["foreign-list"].write_text("[1, 2, 3]", encoding="utf-8")
    bad["newer"].write_text(json.dumps({**valid, "version": classroom.VERSION + 1, "learner": "Newer Format"}), encoding="utf-8")
    bad["empty"].write_text("", encoding="utf-8")
    copy = folder / "copy-of-learner-5.json"
    shutil.copyfile(files[5][0], copy)
    files[5].append(copy)
    yield ClassFolder(folder, expected, files, bad, ids)


@dataclass
class Run:
    code: int
    out: str
    err: str
    page: str


def _run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> Run:
    code = classroom.main(args)
    captured = capsys.readouterr()
    out_index = args.index("--out") + 1 if "--out" in args else None
    page = Path(args[out_index]).read_text(encoding="utf-8") if out_index and Path(args[out_index]).exists() else ""
    return Run(code, captured.out, captured.err, page)


@pytest.fixture(scope="module")
def class_report(class_folder: ClassFolder, tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("report") / "report.html"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = classroom.main(["report", str(class_folder.folder), "--out", str(out)])
    return Run(code, stdout.getvalue(), stderr.getvalue(), out.read_text(encoding="utf-8"))


class _Rows(HTMLParser):
    """The data-* attributes of the report's table rows and lists."""

    def __init__(self) -> None:
        super().__init__()
        self.questions: dict[tuple[int, str], dict[str, str]] = {}
        self.never: set[tuple[int, str]] = set()
        self.verdicts: dict[tuple[str, str], int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = {k: v or "" for k, v in attrs}
        if tag == "tr" and "data-item" in data:
            self.questions[(int(data["data-lesson"]), data["data-item"])] = data
        elif tag == "li" and "data-never" in data:
            self.never.add((int(data["data-lesson"]), data["data-never"]))
        elif tag == "tr" and "data-claim" in data:
            self.verdicts[(data["data-claim"], data["data-verdict"])] = int(data["data-count"])


def _rows(page: str) -> _Rows:
    parser = _Rows()
    parser.feed(page)
    return parser


# ------------------------------------------------------------------- hand-in
def test_hand_in_writes_a_named_file_the_report_accepts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ProgressStore(tmp_path / "progress.json", learner="")
    Question("q1", expect_equal(lambda: RIGHT, describe="the answer"), lesson=0, store=store).check(41)
    Question("q1", expect_equal(lambda: RIGHT, describe="the answer"), lesson=0, store=store).check(RIGHT)
    lesson_folder = tmp_path / "lessons"
    lesson_folder.mkdir()
    cwd = Path.cwd()
    os.chdir(lesson_folder)  # a notebook runs in its own folder; that is where the file must go
    try:
        path = classroom.hand_in("Zoë O'Neil-Smith", store=store)
    finally:
        os.chdir(cwd)
    message = capsys.readouterr().out
    assert path is not None and path.parent == lesson_folder
    assert re.fullmatch(r"balancing-act_zoe-o-neil-smith_\d{8}-\d{4}_[0-9a-f]{6}\.json", path.name), path.name
    assert path.name in message and "right-click" in message and "Download" in message
    assert "2 recorded answers" in message
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["learner"]) == (classroom.FORMAT, classroom.VERSION, "Zoë O'Neil-Smith")
    assert data["progress"]["format"] == "balancing-act-progress"  # the JSON form of ProgressStore.export
    submission = classroom.read_submission(path)
    learners, skips = classroom.combine([submission])
    report = classroom.build_report(learners, files_read=1)
    stats = report.stats(0, "check:q1")
    assert (stats.attempted, stats.first_right, stats.ever_right, stats.most_wrong) == (1, 0, 1, ("41", 1))
    assert skips == []


def test_two_hand_ins_get_distinct_names_and_share_the_learner_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ProgressStore(tmp_path / "progress.json", learner="jovyan")  # Binder's login, shared by everyone
    first = classroom.hand_in(folder=tmp_path, store=store)
    second = classroom.hand_in(folder=tmp_path, store=store)
    message = capsys.readouterr().out
    assert first is not None and second is not None and first != second
    ids = {json.loads(p.read_text(encoding="utf-8"))["learner_id"] for p in (first, second)}
    assert len(ids) == 1
    (learner_id,) = ids
    assert first.name.startswith(f"balancing-act_id-{learner_id}_")
    assert "jovyan" not in first.name and "no answers yet" in message and 'hand_in("Your Name")' in message


def test_hand_in_name_cannot_escape_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ProgressStore(tmp_path / "progress.json", learner="")
    path = classroom.hand_in("../../etc/<b>passwd</b>", folder=tmp_path, store=store)
    capsys.readouterr()
    assert path is not None and path.parent == tmp_path
    assert re.fullmatch(r"[a-z0-9_.-]+", path.name), path.name


def test_hand_in_to_a_missing_folder_explains_and_keeps_progress(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ProgressStore(tmp_path / "progress.json", learner="Ada")
    store.record(1, "quiz:lesson01:q1", "quiz", "correct", "'ASEAN'")
    missing = tmp_path / "no-such-folder"
    assert classroom.hand_in(folder=missing, store=store) is None
    message = capsys.readouterr().out
    assert str(missing) in message and "Your progress is safe" in message and 'hand_in(folder="~")' in message
    assert len(store.records()) == 1


def test_package_import_stays_light_and_hand_in_loads_on_use() -> None:
    code = (
        "import sys, balancing_act\n"
        "assert 'balancing_act.classroom' not in sys.modules\n"
        "from balancing_act import hand_in\n"
        "import balancing_act.classroom as c\n"
        "assert hand_in is c.hand_in\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


# -------------------------------------------------------------- class report
def test_report_reads_every_learner_once(class_folder: ClassFolder, class_report: Run) -> None:
    assert class_report.code == 0, class_report.err
    assert f"from {N_LEARNERS} learners" in class_report.out
    assert f"data-learners='{N_LEARNERS}'" in class_report.page
    # learner 7's two files (session reset) are both used; learner 5's copy and learner 6's early file are not
    used = sum(len(paths) for paths in class_folder.files.values()) - 2
    assert f"Read {used} files" in class_report.out


def test_per_question_counts_and_first_try_shares(class_folder: ClassFolder, class_report: Run) -> None:
    rows = _rows(class_report.page).questions
    expected = class_folder.expected
    assert set(expected.firsts) <= set(rows)
    for key, firsts in expected.firsts.items():
        row = rows[key]
        attempted, right = len(firsts), sum(firsts)
        assert int(row["data-attempted"]) == attempted, key
        assert int(row["data-first-right"]) == right, key
        assert int(row["data-ever-right"]) == expected.ever[key], key
        assert f"{round(100 * right / attempted)}% ({right} of {attempted})" in class_report.page
    untouched = [key for key in rows if key not in expected.firsts]
    assert untouched, "the plan leaves some questions unanswered"
    assert all(rows[key]["data-attempted"] == "0" for key in untouched)


def test_most_chosen_wrong_answers(class_folder: ClassFolder, class_report: Run) -> None:
    rows = _rows(class_report.page).questions
    checked = 0
    for key, counter in class_folder.expected.wrong.items():
        if not counter:
            assert rows[key]["data-wrong-count"] == "0", key
            continue
        top = max(counter.values())
        winners = {answer for answer, n in counter.items() if n == top}
        assert rows[key]["data-wrong"] in winners, (key, rows[key]["data-wrong"], counter)
        assert int(rows[key]["data-wrong-count"]) == top, key
        checked += 1
    assert checked >= 25
    single = (1, "quiz:lesson01:largest-partner-2023")
    assert rows[single]["data-wrong"] in {"The European Union", "The United States", "Russia"}


def test_exercise_questions_nobody_attempted(class_folder: ClassFolder, class_report: Run) -> None:
    never = _rows(class_report.page).never
    expected = {
        (lesson, f"check:{name}")
        for lesson in range(9)
        for name in _exercise_names(lesson)
        if (lesson, f"check:{name}") not in class_folder.expected.firsts
    }
    assert (SKIPPED_EXERCISE[0], f"check:{SKIPPED_EXERCISE[1]}") in expected
    assert (BLANK_ONLY[0], f"check:{BLANK_ONLY[1]}") in expected
    assert any(lesson == 8 for lesson, _ in expected)
    assert never == expected


def test_claim_verdict_counts_and_reasons(class_folder: ClassFolder, class_report: Run) -> None:
    verdicts = _rows(class_report.page).verdicts
    for lesson, counter in class_folder.expected.verdicts.items():
        claim = load_claim(f"lesson{lesson:02d}")
        for verdict in claim.verdicts:
            assert verdicts[(f"claim:{claim.id}", verdict)] == counter.get(verdict, 0), (lesson, verdict)
        for reason in class_folder.expected.reasons[lesson]:
            assert f"<li>{html.escape(reason)}</li>" in class_report.page
    assert not any(claim == "claim:lesson03" and n for (claim, _), n in verdicts.items())


def test_every_bad_file_is_named_with_its_reason(class_folder: ClassFolder, class_report: Run) -> None:
    lines = class_report.err.splitlines()

    def line_for(path: Path) -> str:
        found = [line for line in lines if f"skipped {path}:" in line]
        assert len(found) == 1, (path, lines)
        return found[0]

    reasons = {
        "corrupt": "broken: not UTF-8",
        "not-json": "broken: not valid JSON",
        "truncated": "broken: not valid JSON",
        "wrong-types": 'broken: in "progress": "records" must be a list',
        "foreign": "foreign: not a balancing-act hand-in",
        "foreign-list": "foreign: not a balancing-act hand-in",
        "newer": f"newer format: hand-in format version {classroom.VERSION + 1}",
        "empty": "broken: the file is empty",
    }
    for key, reason in reasons.items():
        assert reason in line_for(class_folder.bad[key]), key
    assert "duplicate: same learner as" in line_for(class_folder.files[6][0])
    original, copy = class_folder.files[5]
    copies = [line for line in lines if "duplicate" in line and (str(original) in line or str(copy) in line)]
    assert len(copies) == 1 and str(original) in copies[0] and str(copy) in copies[0]
    assert "Traceback" not in class_report.err
    assert len(lines) == len(reasons) + 2


def test_learner_text_is_escaped(class_report: Run) -> None:
    page = class_report.page
    assert HOSTILE not in page and "<img" not in page and "<script" not in page
    assert html.escape(HOSTILE) in page
    assert html.escape(HOSTILE_REASON) in page
    rows = _rows(page).questions
    assert rows[(4, "check:q1")]["data-wrong"] == HOSTILE  # the parser unescapes the attribute


def test_report_is_self_contained(class_report: Run) -> None:
    page = class_report.page
    addresses = re.findall(r"https?://([^/\s\"'<>]+)", page)
    assert [a for a in addresses if a.split(":")[0] not in ("localhost", "127.0.0.1")] == []
    assert "cdn" not in page.lower()
    assert "<script" not in page and "<link" not in page and "src=" not in page.replace(html.escape(HOSTILE_REASON), "")


def test_charts_are_inline_svg(class_report: Run) -> None:
    try:
        import vl_convert  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {classroom.CHART_PACKAGE} so the report has charts")
        pytest.skip(f"charts need {classroom.CHART_PACKAGE}")
    assert class_report.page.count("<svg") == 3
    assert "Quiz questions: right at first try" in class_report.page
    assert "Verdicts on each lesson" in class_report.page


def test_report_is_pseudonymous_without_a_mapping(class_report: Run) -> None:
    assert "Testname" not in class_report.page
    assert "Learner 001" in class_report.page and f"Learner {N_LEARNERS}" in class_report.page


def test_mapping_file_puts_names_in(class_folder: ClassFolder, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "mapping.csv"
    anonymous = next(i for i in range(N_LEARNERS) if _anonymous(i))
    with open(mapping, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["learner", "name"])
        writer.writerow([_name(0).upper(), "Amira Testname000"])  # letter case does not matter
        writer.writerow([_name(2), "<b>Bold</b> Student"])
        writer.writerow([class_folder.ids[anonymous], "Anon Realname"])
    out = tmp_path / "named.html"
    run = _run_main(["report", str(class_folder.folder), "--out", str(out), "--names", str(mapping), "--no-charts"], capsys)
    assert run.code == 0
    assert "Amira Testname000" in run.page and "Anon Realname" in run.page
    assert "&lt;b&gt;Bold&lt;/b&gt; Student" in run.page and "<b>Bold" not in run.page
    assert _name(3) not in run.page  # not in the mapping: shown by number only
    assert f"{N_LEARNERS - 3} learners are not in" in run.out


# ----------------------------------------------------------------------- CLI
def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "balancing_act.classroom", *args],
        capture_output=True, text=True, timeout=300, cwd=cwd, env=env,
    )


def test_cli_exit_codes_and_messages(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.json", learner="Ada")
    Question("q1", expect_equal(lambda: RIGHT, describe="the answer"), lesson=0, store=store).check(RIGHT)
    good = classroom.write_hand_in(store, tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    ok = _cli("report", str(tmp_path / "*.json"), "--out", "out.html", "--no-charts", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert f"skipped {bad}: broken" in ok.stderr and "Wrote out.html" in ok.stdout
    page = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "Ada" not in page and "1 learner" in page
    assert good.name not in page  # file names can carry names; the page lists none

    none = _cli("report", str(bad), str(tmp_path / "missing.json"), "--out", "none.html", cwd=tmp_path)
    assert none.returncode == 1
    assert "no hand-in file could be read" in none.stderr and str(tmp_path / "missing.json") in none.stderr
    assert not (tmp_path / "none.html").exists()

    mapping = tmp_path / "mapping.csv"
    mapping.write_text("who,display\nAda,Ada L\n", encoding="utf-8")
    wrong_mapping = _cli("report", str(good), "--names", str(mapping), cwd=tmp_path)
    assert wrong_mapping.returncode == 2 and "learner,name" in wrong_mapping.stderr

    no_folder = _cli("report", str(good), "--out", str(tmp_path / "nowhere" / "r.html"), cwd=tmp_path)
    assert no_folder.returncode == 2 and "does not exist" in no_folder.stderr

    usage = _cli(cwd=tmp_path)
    assert usage.returncode == 2 and "usage:" in usage.stderr
    for result in (ok, none, wrong_mapping, no_folder, usage):
        assert "Traceback" not in result.stderr


def test_damaged_records_are_ignored_not_the_whole_file(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.json", learner="Ada")
    Question("q1", expect_equal(lambda: RIGHT, describe="the answer"), lesson=0, store=store).check(RIGHT)
    path = classroom.write_hand_in(store, tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["progress"]["records"] += [{"lesson": "one"}, "not a record", {**data["progress"]["records"][0], "outcome": "maybe"}]
    path.write_text(json.dumps(data), encoding="utf-8")
    submission = classroom.read_submission(path)
    assert (len(submission.records), submission.ignored_records) == (1, 3)
    learners, _ = classroom.combine([submission])
    report = classroom.build_report(learners, files_read=1, ignored_records=submission.ignored_records)
    assert report.stats(0, "check:q1").first_right == 1
    assert "3 damaged records in the files were ignored" in classroom.render_html(report, charts=False)


def test_unusable_arguments_are_named_not_raised(tmp_path: Path) -> None:
    device_like = tmp_path / "fifo.json"
    os.mkfifo(device_like)  # not a regular file: must not block or be read
    submissions, skips = classroom.collect([str(device_like), "x" * 5000, str(tmp_path / "none" / "*.json")])
    assert submissions == []
    assert [s.kind for s in skips] == ["unreadable", "not found", "not found"]
    assert "not a regular file" in skips[0].message and "cannot be read" in skips[1].message


def test_hand_in_without_a_progress_file_still_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With tracking switched off a store has no file (path None): the hand-in gets an id of its own."""

    class MemoryStore(ProgressStore):
        @property
        def path(self) -> None:  # type: ignore[override]
            return None

    store = MemoryStore(tmp_path / "unused.json", learner="")
    store.record(0, "check:q1", "check", "correct", "42")
    path = classroom.hand_in(folder=tmp_path, store=store)
    assert path is not None and "1 recorded answer" in capsys.readouterr().out
    assert re.fullmatch(r"[0-9a-f]{8}", json.loads(path.read_text(encoding="utf-8"))["learner_id"])
    assert not list(tmp_path.glob("*.learner-id"))
