"""Hardening across the whole course: no learner value escapes as an exception from any shipped
check or quiz question; a crash while saving progress loses nothing; the README's launch command
keeps JupyterLab's token and binds to localhost; nothing evaluates learner input as code."""

from __future__ import annotations

import ast
import importlib
import json
import multiprocessing
import os
import re
import socket
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balancing_act import course
from balancing_act.progress import ProgressStore
from balancing_act.quiz import available_banks, grade, load_bank

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


class Hostile:
    """A value whose every dunder raises, like a half-built learner object."""

    def __getattr__(self, name: str) -> object:
        raise RuntimeError(f"no {name}")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    def __hash__(self) -> int:
        raise RuntimeError("hash")

    def __float__(self) -> float:
        raise RuntimeError("float")

    def __len__(self) -> int:
        raise RuntimeError("len")

    def __iter__(self):
        raise RuntimeError("iter")

    def __repr__(self) -> str:
        raise RuntimeError("repr")

    def __bool__(self) -> bool:
        raise RuntimeError("bool")


class BrokenFrame(pd.DataFrame):
    @property
    def _constructor(self):
        return BrokenFrame

    def __getitem__(self, key: object) -> object:
        raise RuntimeError("broken frame")


LEARNER_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=300),
    st.binary(max_size=50),
    st.lists(st.integers(), max_size=20),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=5),
    st.builds(Hostile),
    st.builds(lambda: BrokenFrame({"year": [2024], "total_usd_bn": [1.0]})),
    st.builds(lambda n: pd.DataFrame({"x": range(n)}), st.integers(min_value=0, max_value=50)),
    st.builds(lambda: pd.Series([1.0, float("nan")])),
)


def _exercise_sets() -> list[tuple[str, object]]:
    found = []
    for lesson in course.lessons(available_only=True):
        name = f"balancing_act.exercises.lesson{lesson.number:02d}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for qname in module.ex.names:
            found.append((f"lesson{lesson.number:02d}.{qname}", module.ex[qname]))
    return found


EXERCISES = _exercise_sets()
QUESTIONS = [(f"{bank}.{q.id}", q) for bank in available_banks() for q in load_bank(bank).questions]


def test_every_available_lesson_has_questions_to_harden() -> None:
    assert len(EXERCISES) >= 3 and len(QUESTIONS) >= 5


@pytest.mark.parametrize(("name", "question"), EXERCISES, ids=[n for n, _ in EXERCISES])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=LEARNER_VALUES)
def test_no_learner_value_escapes_a_shipped_check(name: str, question, value: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALANCING_ACT_DATA", str(DATA))
    outcome = question.evaluate(value)
    assert outcome.status in ("correct", "incorrect", "not_attempted")
    assert isinstance(outcome.text, str) and outcome.text


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=[n for n, _ in QUESTIONS])
@settings(max_examples=60, deadline=None)
@given(value=LEARNER_VALUES)
def test_no_learner_value_escapes_a_shipped_quiz_question(name: str, question, value: object) -> None:
    outcome = grade(question, value)
    assert outcome.status in ("correct", "incorrect", "invalid")
    assert isinstance(outcome.text, str)


def _crash_during_write(path: str) -> None:
    """Record once, then die inside the next atomic replace, as a killed kernel would."""
    store = ProgressStore(Path(path))
    store.record(1, "check:q1", "check", "correct")

    def die(*_args: object, **_kwargs: object) -> None:
        os._exit(17)

    os.replace = die  # the next save stops between writing the temporary file and replacing
    store.record(1, "check:q2", "check", "correct")


def test_crash_mid_write_keeps_the_file_valid_and_earlier_records(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    ProgressStore(path).record(0, "quiz:lesson00:q1", "quiz", "correct")
    process = multiprocessing.get_context("spawn").Process(target=_crash_during_write, args=(str(path),))
    process.start()
    process.join(30)
    assert process.exitcode == 17
    document = json.loads(path.read_text(encoding="utf-8"))
    items = [r["item"] for r in document["records"]]
    assert items == ["quiz:lesson00:q1", "check:q1"]
    ProgressStore(path).record(1, "check:q3", "check", "correct")  # the next session goes on
    assert [r.item for r in ProgressStore(path).records()][-1] == "check:q3"


def _readme_command(marker: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(f"<!-- command:{marker} -->", 1)[1]
    return re.search(r"```sh\n(.+?)\n```", block, flags=re.DOTALL).group(1).strip()


def test_launch_command_does_not_weaken_jupyterlab_security() -> None:
    command = _readme_command("open")
    lab = command.split("&&")[-1]
    assert "jupyter lab" in lab
    for weakening in ("--ip", "token=", "password=", "--allow-root", "0.0.0.0", "disable_check_xsrf", "--no-browser"):
        assert weakening not in lab, weakening


def test_nothing_in_the_package_evaluates_text_as_code() -> None:
    offenders = []
    for path in (ROOT / "src" / "balancing_act").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("eval", "exec", "compile", "__import__"):
                offenders.append(f"{path.name}:{node.lineno} {node.func.id}")
            if isinstance(node, ast.Attribute) and node.attr in ("literal_eval", "run_cell", "system"):
                offenders.append(f"{path.name}:{node.lineno} {node.attr}")
    assert offenders == []


def test_network_guard_refuses_outside_addresses() -> None:
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError, match="must work offline"):
        sock.connect(("192.0.2.1", 80))
