"""Tests for balancing_act.progress: file format, safety rules, concurrency."""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from balancing_act import progress
from balancing_act.progress import (
    ENV_VAR,
    FORMAT,
    ProgressStore,
    ProgressWarning,
    default_path,
    default_store,
    mark_visited,
    show_progress,
)

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real progress file."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env" / "progress.json"))
    progress._STORES.clear()


def _doc(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_default_path_reads_env_var_at_call_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = tmp_path / "a.json"
    monkeypatch.setenv(ENV_VAR, str(first))
    assert default_path() == first
    assert default_store().path == first
    second = tmp_path / "b.json"
    monkeypatch.setenv(ENV_VAR, str(second))
    assert default_store().path == second


def test_default_path_without_env_var_uses_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "balancing-act" / "progress.json"


def test_creating_a_store_touches_nothing(tmp_path: Path) -> None:
    ProgressStore(tmp_path / "p" / "progress.json")
    assert not (tmp_path / "p").exists()


def test_record_writes_documented_format(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore(path, learner="ada")
    rec = store.record(1, "quiz:lesson01:q1", "quiz", "correct", response="Russia")
    data = _doc(path)
    assert data["format"] == FORMAT and data["version"] == 1 and data["learner"] == "ada"
    assert data["records"] == [rec.to_dict()]
    assert set(data["records"][0]) == {"lesson", "item", "kind", "outcome", "response", "time"}
    assert ISO_UTC.match(rec.time)
    assert store.records() == [rec]
    assert not list(tmp_path.glob(".progress.json.*.tmp")), "temporary files are cleaned up"


def test_response_is_a_short_safe_description(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.json")

    class NoRepr:
        def __repr__(self) -> str:
            raise RuntimeError("boom")

    long_text = store.record(1, "check:q1", "check", "incorrect", response="x" * 1000)
    odd = store.record(1, "check:q1", "check", "incorrect", response=NoRepr())
    frame = store.record(1, "check:q1", "check", "incorrect", response=pd.DataFrame({"a": range(5000)}))
    assert len(long_text.response) == 200 and long_text.response.endswith("…")
    assert odd.response.startswith("<unprintable ") and odd.response.endswith("NoRepr>")
    assert frame.response == "<pandas.DataFrame with 5000 rows and 1 column>"


def test_invalid_kind_or_outcome_is_a_programming_error(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.json")
    with pytest.raises(ValueError, match="kind"):
        store.record(1, "x", "exam", "correct")
    with pytest.raises(ValueError, match="outcome"):
        store.record(1, "x", "quiz", "great")


def test_corrupt_file_is_moved_aside_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_text("{not json", encoding="utf-8")
    store = ProgressStore(path)
    with pytest.warns(ProgressWarning, match=r"moved to .*progress\.json\.bak-\d{8}T\d{6}Z") as caught:
        store.record(2, "check:q1", "check", "correct")
    backups = list(tmp_path.glob("progress.json.bak-*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == "{not json"
    assert str(backups[0]) in str(caught[0].message)
    assert [r.item for r in store.records()] == ["check:q1"]


def test_foreign_file_is_moved_aside_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    foreign = {"format": "someone-else", "data": [1, 2, 3]}
    path.write_text(json.dumps(foreign), encoding="utf-8")
    with pytest.warns(ProgressWarning, match="not a balancing-act progress file"):
        ProgressStore(path).record(1, "quiz:b:q", "quiz", "incorrect")
    (backup,) = tmp_path.glob("progress.json.bak-*")
    assert json.loads(backup.read_text(encoding="utf-8")) == foreign
    assert _doc(path)["format"] == FORMAT


def test_two_backups_in_the_same_second_get_distinct_names(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    for _ in range(2):
        path.write_text("[]", encoding="utf-8")
        with pytest.warns(ProgressWarning):
            store.record(1, "x", "quiz", "correct")
    assert len(list(tmp_path.glob("progress.json.bak-*"))) == 2


def test_newer_version_is_left_untouched_and_sibling_used(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    newer = json.dumps({"format": FORMAT, "version": 2, "learner": "x", "records": [], "new": True})
    path.write_text(newer, encoding="utf-8")
    store = ProgressStore(path)
    with pytest.warns(ProgressWarning, match=r"newer version.*left untouched.*progress\.v1\.json"):
        store.record(1, "quiz:b:q1", "quiz", "correct")
    store.record(1, "quiz:b:q2", "quiz", "correct")
    assert path.read_text(encoding="utf-8") == newer
    sibling = tmp_path / "progress.v1.json"
    assert [r["item"] for r in _doc(sibling)["records"]] == ["quiz:b:q1", "quiz:b:q2"]
    assert [r.item for r in ProgressStore(path).records()] == ["quiz:b:q1", "quiz:b:q2"]
    assert not list(tmp_path.glob("*.bak-*"))


def test_unknown_keys_and_unreadable_records_are_preserved(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    odd_record = {"lesson": "one", "item": 5}
    path.write_text(
        json.dumps({"format": FORMAT, "version": 1, "learner": "ada", "records": [odd_record], "extra": {"k": 1}}),
        encoding="utf-8",
    )
    store = ProgressStore(path)
    assert store.records() == []
    store.record(1, "check:q1", "check", "correct")
    data = _doc(path)
    assert data["extra"] == {"k": 1} and data["records"][0] == odd_record and data["learner"] == "ada"
    assert len(store.records()) == 1


def test_unwritable_location_warns_and_keeps_records(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("I am a file", encoding="utf-8")
    store = ProgressStore(blocker / "progress.json")
    with pytest.warns(ProgressWarning, match="Could not save your progress"):
        rec = store.record(1, "check:q1", "check", "correct")
    assert store.pending == (rec,)
    assert store.records() == [rec]
    assert blocker.read_text(encoding="utf-8") == "I am a file"


def test_failed_write_is_retried_on_next_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    real_write = progress._atomic_write

    def failing(*_args: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(progress, "_atomic_write", failing)
    with pytest.warns(ProgressWarning, match="read-only file system"):
        store.record(1, "a", "quiz", "correct")
    monkeypatch.setattr(progress, "_atomic_write", real_write)
    store.record(1, "b", "quiz", "incorrect")
    assert store.pending == ()
    assert [r["item"] for r in _doc(path)["records"]] == ["a", "b"]


def test_lock_timeout_gives_warning_not_exception(tmp_path: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    path = tmp_path / "progress.json"
    holder = os.open(tmp_path / "progress.json.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        store = ProgressStore(path, lock_timeout=0.05)
        with pytest.warns(ProgressWarning, match="Could not save"):
            store.record(1, "a", "quiz", "correct")
        assert len(store.pending) == 1
    finally:
        os.close(holder)
    assert store.flush() is True
    assert len(_doc(path)["records"]) == 1


def test_works_without_any_locking_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "_fcntl", None)
    monkeypatch.setattr(progress, "_msvcrt", None)
    store = ProgressStore(tmp_path / "progress.json")
    store.record(1, "a", "quiz", "correct")
    assert len(store.records()) == 1
    assert not (tmp_path / "progress.json.lock").exists()


def _writer(path: str, worker: int, count: int) -> None:
    store = ProgressStore(path)
    for index in range(count):
        store.record(1, f"check:w{worker}-{index}", "check", "correct")


def test_concurrent_processes_lose_nothing(tmp_path: Path) -> None:
    methods = multiprocessing.get_all_start_methods()
    context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    path = str(tmp_path / "progress.json")
    workers, count = 4, 25
    processes = [context.Process(target=_writer, args=(path, w, count)) for w in range(workers)]
    for proc in processes:
        proc.start()
    for proc in processes:
        proc.join(60)
        assert proc.exitcode == 0
    items = [r.item for r in ProgressStore(path).records()]
    assert len(items) == workers * count
    assert set(items) == {f"check:w{w}-{i}" for w in range(workers) for i in range(count)}


def test_summary_per_lesson(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.json")
    store.record(1, "quiz:b:q1", "quiz", "incorrect", when="2025-01-01T10:00:00Z")
    store.record(1, "quiz:b:q1", "quiz", "correct", when="2025-01-01T10:01:00Z")
    store.record(1, "check:q1", "check", "incorrect", when="2025-01-01T10:02:00Z")
    store.record(1, "check:q2", "check", "not_attempted", when="2025-01-01T10:03:00Z")
    store.record(2, "visit:lesson", "visit", "not_attempted", when="2025-01-02T09:00:00Z")
    table = store.summary()
    assert list(table.columns) == ["lesson", "items_attempted", "items_correct", "last_activity"]
    assert table.to_dict("records") == [
        {"lesson": 1, "items_attempted": 2, "items_correct": 1, "last_activity": "2025-01-01T10:03:00Z"},
        {"lesson": 2, "items_attempted": 0, "items_correct": 0, "last_activity": "2025-01-02T09:00:00Z"},
    ]


def test_show_progress_is_deterministic_text(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.json")
    assert repr(show_progress(store)) == "No progress recorded yet."
    store.record(1, "quiz:b:q1", "quiz", "correct", when="2025-01-01T10:00:00Z")
    report = show_progress(store)
    assert repr(report) == "Lesson 1: 1 attempted, 1 correct (last activity 2025-01-01T10:00:00Z)"
    assert report._repr_markdown_().startswith("- Lesson 1")


def test_show_progress_uses_default_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "default.json"))
    mark_visited(3)
    assert "Lesson 3: 0 attempted" in repr(show_progress())
    assert _doc(tmp_path / "default.json")["records"][0]["kind"] == "visit"


def test_export_csv_and_json_include_learner(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.json", learner="Ada Lovelace")
    store.record(1, "quiz:b:q1", "quiz", "correct", response="Russia", when="2025-01-01T10:00:00Z")
    out = store.export(tmp_path / "out" / "ada.csv")
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [
        {
            "learner": "Ada Lovelace",
            "lesson": "1",
            "item": "quiz:b:q1",
            "kind": "quiz",
            "outcome": "correct",
            "response": "Russia",
            "time": "2025-01-01T10:00:00Z",
        }
    ]
    exported = _doc(store.export(tmp_path / "ada.json"))
    assert exported["learner"] == "Ada Lovelace" and exported["format"] == FORMAT
    assert len(exported["records"]) == 1


def test_set_learner_persists(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    ProgressStore(path).set_learner("  Grace ")
    assert _doc(path)["learner"] == "Grace"
    assert ProgressStore(path).learner == "Grace"
