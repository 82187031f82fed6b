"""Hostile inputs for balancing_act.progress: odd paths, bad records, huge or deep files, threads, links.

Every test here reproduces a defect that made the store lose answers, hang, eat memory or
damage a file that was not its own.  Device nodes are made with ``os.mknod`` inside the
test's own temporary folder; the machine's ``/dev`` is never touched.
"""

from __future__ import annotations

import json
import math
import os
import stat
import subprocess
import sys
import tempfile
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from balancing_act import checks, course, progress
from balancing_act.progress import (
    ENV_VAR,
    FORMAT,
    SIZE_CAP,
    ProgressStore,
    ProgressWarning,
    default_path,
    default_store,
    show_progress,
)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real progress file; a relative path lands in tmp_path."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env" / "progress.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    progress._STORES.clear()


@pytest.fixture
def caught() -> Iterator[list[warnings.WarningMessage]]:
    """Every warning raised in the test, none filtered out as a repeat."""
    with warnings.catch_warnings(record=True) as found:
        warnings.simplefilter("always")
        yield found


def _progress_warnings(found: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in found if issubclass(w.category, ProgressWarning)]


def _strict(raw: bytes) -> dict:
    """Parse as the file format promises: strict UTF-8, no NaN or Infinity."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} in the progress file")

    return json.loads(raw.decode("utf-8"), parse_constant=refuse)


def _items(path: Path) -> list[str]:
    return [r["item"] for r in _strict(path.read_bytes())["records"]]


def _answer_three(store: ProgressStore) -> list[progress.Record]:
    return [store.record(1, f"quiz:lesson01:q{i}", "quiz", "correct") for i in range(3)]


# --------------------------------------------------------------- 1. tracking off, odd paths
@pytest.mark.parametrize("value", ["off", "OFF", " Off "])
def test_off_setting_reads_and_writes_nothing(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caught: list
) -> None:
    monkeypatch.setenv(ENV_VAR, value)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert default_path() is None
    store = default_store()
    assert store.tracking is False and store.path is None
    recorded = _answer_three(store)
    progress.mark_visited(2)
    assert store.flush() is True
    assert store.records()[:3] == recorded and len(store.records()) == 4
    report = show_progress()
    assert str(report).splitlines()[:2] == [
        f"Lesson 1: 3 attempted, 3 correct (last activity {recorded[-1].time})",
        f"Lesson 2: 0 attempted, 0 correct (last activity {store.records()[-1].time})",
    ]
    assert f"{ENV_VAR}=off" in str(report).splitlines()[-1]
    assert _progress_warnings(caught) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "no file or folder was created"


def test_empty_setting_means_the_default_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "  ")
    assert default_path() == tmp_path / "xdg" / "balancing-act" / "progress.json"
    default_store().record(1, "quiz:lesson01:q1", "quiz", "correct")
    assert _items(tmp_path / "xdg" / "balancing-act" / "progress.json") == ["quiz:lesson01:q1"]


def _missing(reason: str) -> None:
    """Skip for a missing capability; CI runs as root, so there it is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"must run in CI: {reason}")
    pytest.skip(reason)


def _device(tmp_path: Path, minor: int) -> Path:
    """A character device with major 1 (memory devices) inside tmp_path, or a skip."""
    if os.geteuid() != 0:
        _missing("needs root to create a device node")
    node = tmp_path / "dev" / "progress.json"
    node.parent.mkdir()
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        _missing("needs the right to create device nodes (CAP_MKNOD)")
    return node


def _assert_refused_once(
    store: ProgressStore, node: Path, caught: list, kind: str, unchanged: Callable[[], bool]
) -> None:
    """Three answers: one warning that says what to do, nothing on disk, all kept in memory."""
    listing = sorted(p.name for p in node.parent.iterdir())
    recorded = _answer_three(store)
    assert store.flush() is False
    messages = _progress_warnings(caught)
    assert len(messages) == 1, messages
    assert kind in messages[0] and f"{ENV_VAR}=off" in messages[0] and "folder you own" in messages[0]
    assert store.records() == recorded and store.pending == tuple(recorded)
    assert "Lesson 1: 3 attempted, 3 correct" in str(show_progress(store))
    assert len(_progress_warnings(caught)) == 1, "reading again gives no second warning"
    assert unchanged()
    assert sorted(p.name for p in node.parent.iterdir()) == listing, "nothing created, renamed or moved"


@pytest.mark.parametrize(("name", "minor"), [("null", 3), ("full", 7)])
def test_device_node_is_refused_with_one_warning(name: str, minor: int, tmp_path: Path, caught: list) -> None:
    node = _device(tmp_path, minor)
    rdev = os.lstat(node).st_rdev

    def unchanged() -> bool:
        info = os.lstat(node)
        return stat.S_ISCHR(info.st_mode) and info.st_rdev == rdev

    _assert_refused_once(ProgressStore(node), node, caught, "a character device", unchanged)


def test_symlink_to_a_device_is_refused(tmp_path: Path, caught: list) -> None:
    node = _device(tmp_path, 3)
    link = tmp_path / "dev" / "link.json"
    link.symlink_to(node)
    _assert_refused_once(ProgressStore(link), node, caught, "a character device", lambda: stat.S_ISCHR(os.lstat(node).st_mode))
    assert link.is_symlink()


def _in_thread(action: Callable[[], None], fifo: Path, seconds: float = 10.0) -> None:
    """Run ``action``; if it hangs on the pipe, open the pipe's other end to free it, then fail."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        for _ in range(100):  # free a reader blocked in open() or read()
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
            worker.join(0.05)
            if not worker.is_alive():
                break
        pytest.fail(f"the store blocked for more than {seconds} s on a named pipe")
    if errors:
        raise errors[0]


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe" / "progress.json"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    store = ProgressStore(fifo)

    def act() -> None:
        with warnings.catch_warnings(record=True) as inner:
            warnings.simplefilter("always")
            _assert_refused_once(store, fifo, inner, "a named pipe", lambda: stat.S_ISFIFO(os.lstat(fifo).st_mode))

    _in_thread(act, fifo)


def test_directory_is_refused_with_one_warning(tmp_path: Path, caught: list) -> None:
    folder = tmp_path / "box" / "progress.json"
    folder.mkdir(parents=True)
    (folder / "keep.txt").write_text("mine", encoding="utf-8")
    store = ProgressStore(folder)
    _assert_refused_once(
        store, folder, caught, "a folder", lambda: os.listdir(folder) == ["keep.txt"] and folder.is_dir()
    )


def test_refused_path_is_saved_once_it_is_fixed(tmp_path: Path, caught: list) -> None:
    folder = tmp_path / "progress.json"
    folder.mkdir()
    store = ProgressStore(folder)
    recorded = _answer_three(store)
    folder.rmdir()
    assert store.flush() is True
    assert _items(folder) == [r.item for r in recorded]


def test_folder_of_another_user_is_refused(tmp_path: Path, caught: list) -> None:
    if os.geteuid() != 0:
        _missing("needs root to give a folder to another user")
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chown(shared, 65534, 65534)
    path = shared / "progress.json"
    store = ProgressStore(path)
    store.record(1, "quiz:lesson01:q1", "quiz", "correct")
    [message] = _progress_warnings(caught)
    assert "belongs to another user" in message and f"{ENV_VAR}=off" in message
    assert os.listdir(shared) == []
    assert len(store.records()) == 1


def test_lock_file_that_is_a_symlink_is_not_followed(tmp_path: Path, caught: list) -> None:
    outside = tmp_path / "outside.txt"
    (tmp_path / "progress.json.lock").symlink_to(outside)
    store = ProgressStore(tmp_path / "progress.json")
    store.record(1, "quiz:lesson01:q1", "quiz", "correct")
    assert not outside.exists(), "the link target was not created"
    assert store.pending and "Could not save" in _progress_warnings(caught)[0]


# --------------------------------------------------------------- 2. one bad record never blocks the rest
def _file_with(path: Path, raw_records_text: str) -> None:
    path.write_text(
        f'{{"format": "{FORMAT}", "version": 1, "learner": "ada", "records": [{raw_records_text}]}}',
        encoding="utf-8",
    )


GOOD = '{"lesson": 1, "item": "quiz:lesson01:q1", "kind": "quiz", "outcome": "correct", "response": "", "time": "2025-01-01T10:00:00Z"}'


def test_nan_in_the_file_is_repaired_and_later_answers_are_saved(tmp_path: Path, caught: list) -> None:
    path = tmp_path / "progress.json"
    poisoned = GOOD.replace('"lesson": 1', '"lesson": NaN').replace("q1", "q0")
    _file_with(path, f"{poisoned}, {GOOD}")
    store = ProgressStore(path)
    store.record(1, "quiz:lesson01:q2", "quiz", "correct")
    store.record(1, "quiz:lesson01:q3", "quiz", "incorrect")
    assert store.pending == ()
    data = _strict(path.read_bytes())
    assert [r["item"] for r in data["records"]] == [f"quiz:lesson01:q{i}" for i in range(4)]
    assert data["records"][0]["lesson"] is None
    [message] = _progress_warnings(caught)
    assert "record 1 ('quiz:lesson01:q0') was repaired" in message


def test_lone_surrogate_in_the_file_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    _file_with(path, GOOD.replace('"response": ""', '"response": "a\\ud800b"'))
    store = ProgressStore(path)
    assert store.records()[0].response == "a\ufffdb"
    with pytest.warns(ProgressWarning, match=r"record 1 .* was repaired"):
        store.record(1, "quiz:lesson01:q2", "quiz", "correct")
    assert [r["response"] for r in _strict(path.read_bytes())["records"]] == ["a\ufffdb", ""]


def test_lone_surrogate_typed_as_a_response_is_stored_as_replacement(tmp_path: Path, caught: list) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    first = store.record(1, "check:q\udc80", "check", "incorrect", response="half \ud83d pair, whole \ud83d\ude00")
    store.record(1, "check:q2", "check", "correct")
    assert store.pending == () and _progress_warnings(caught) == []
    assert first.response == "half \ufffd pair, whole \U0001f600" and first.item == "check:q\ufffd"
    assert _items(path) == ["check:q\ufffd", "check:q2"]


def test_a_record_that_cannot_be_encoded_is_dropped_alone() -> None:
    loop: list[object] = []
    loop.append(loop)  # no JSON encoding exists, repaired or not
    good = json.loads(GOOD)
    doc = progress._Document("ada", [good, {"item": "quiz:x:loop", "data": loop}, dict(good, response=math.inf)], {})
    payload, problems = progress._serialise(doc)
    records = _strict(payload)["records"]
    assert records == [good, dict(good, response=None)]
    assert problems[0] == "record 2 ('quiz:x:loop') could not be encoded and was dropped"
    assert problems[1].startswith("record 3 ('quiz:lesson01:q1') was repaired")


def test_unencodable_extra_key_does_not_block_saving(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_text(f'{{"format": "{FORMAT}", "version": 1, "note": [Infinity], "records": []}}', encoding="utf-8")
    with pytest.warns(ProgressWarning, match="top-level key 'note' was repaired"):
        ProgressStore(path).record(1, "quiz:lesson01:q1", "quiz", "correct")
    assert _strict(path.read_bytes())["note"] == [None]


# --------------------------------------------------------------- 3. deeply nested file
@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000, f'{{"format": "{FORMAT}", "version": 1, "records": '.encode() + b"[" * 100_000],
    ids=["bare", "inside-records"],
)
def test_deeply_nested_file_is_moved_aside_never_raised(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    store = ProgressStore(path)
    assert repr(show_progress(store)) == "No progress recorded yet."
    with pytest.warns(ProgressWarning, match=r"nested too deeply.*moved to"):
        store.record(1, "quiz:lesson01:q1", "quiz", "correct")
    (backup,) = tmp_path.glob("progress.json.bak-*")
    assert backup.read_bytes() == content
    assert _items(path) == ["quiz:lesson01:q1"]


# --------------------------------------------------------------- 6. threads sharing one store
def test_threads_sharing_a_store_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    threads, count = 4, 100
    start = threading.Barrier(threads)

    def answer(worker: int) -> None:
        start.wait()
        for index in range(count):
            store.record(1, f"check:t{worker}-{index}", "check", "correct")

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, as a busy kernel does
    try:
        workers = [threading.Thread(target=answer, args=(w,)) for w in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(120)
    finally:
        sys.setswitchinterval(interval)
    items = _items(path)
    assert len(items) == threads * count
    assert set(items) == {f"check:t{w}-{i}" for w in range(threads) for i in range(count)}
    assert store.pending == ()


# --------------------------------------------------------------- 7. size cap
def _full_course_document() -> bytes:
    """A very thorough learner: every graded item of the course answered five times with
    200-character responses, and every lesson opened twenty times."""
    records = []
    for lesson in course.lessons():
        items = course._items(lesson) if lesson.available else 0
        for attempt in range(5):
            for index in range(items):
                records.append(
                    progress.Record(
                        lesson.number, f"quiz:lesson{lesson.number:02d}:q{index + 1}", "quiz",
                        "incorrect" if attempt < 4 else "correct", "x" * 200, "2025-01-31T09:15:02Z",
                    ).to_dict()
                )
        records += [
            progress.Record(lesson.number, "visit:lesson", "visit", "not_attempted", "", "2025-01-31T09:15:02Z").to_dict()
        ] * 20
    return progress._serialise(progress._Document("Ada Lovelace", records, {}))[0]


def test_size_cap_is_far_above_a_full_course_file() -> None:
    size = len(_full_course_document())
    assert 100_000 < size, "the model file covers the whole course"
    assert SIZE_CAP >= 20 * size, f"cap {SIZE_CAP} bytes is not 20 times a full-course file of {size} bytes"


def _oversize_file(path: Path) -> bytes:
    """A valid progress file one byte over the cap."""
    head = f'{{"format": "{FORMAT}", "version": 1, "records": [{GOOD}], "pad": "'.encode()
    content = head + b"x" * (SIZE_CAP + 1 - len(head) - 2) + b'"}'
    assert len(content) == SIZE_CAP + 1
    path.write_bytes(content)
    return content


@pytest.fixture
def bytes_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Sizes of every ``os.read`` and file ``read`` made through the os module meanwhile."""
    sizes: list[int] = []
    real_read = os.read

    def counting(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        sizes.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting)
    return sizes


def test_file_over_the_cap_is_moved_aside_not_read(tmp_path: Path, bytes_read: list[int]) -> None:
    path = tmp_path / "progress.json"
    content = _oversize_file(path)
    store = ProgressStore(path)
    with pytest.warns(ProgressWarning) as found:
        store.record(1, "quiz:lesson01:q2", "quiz", "correct")
    (backup,) = tmp_path.glob("progress.json.bak-*")
    message = str(found[0].message)
    assert str(path) in message and f"{SIZE_CAP + 1:,} bytes" in message and f"{SIZE_CAP:,} bytes" in message
    assert str(backup) in message
    assert backup.read_bytes() == content
    assert _items(path) == ["quiz:lesson01:q2"]
    assert sum(bytes_read) <= SIZE_CAP + 1


def test_reading_a_file_over_the_cap_warns_once_and_changes_nothing(tmp_path: Path, bytes_read: list[int], caught: list) -> None:
    path = tmp_path / "progress.json"
    content = _oversize_file(path)
    store = ProgressStore(path)
    assert store.records() == [] and repr(show_progress(store)) == "No progress recorded yet."
    [message] = _progress_warnings(caught)
    assert "not read" in message and f"{SIZE_CAP:,}" in message
    assert path.read_bytes() == content and sum(bytes_read) <= SIZE_CAP + 1


# --------------------------------------------------------------- 8. links, modes, read-only files, leftovers
def test_symlinked_file_stays_a_link(tmp_path: Path) -> None:
    synced = tmp_path / "synced" / "progress.json"
    synced.parent.mkdir()
    ProgressStore(synced).record(1, "quiz:lesson01:q1", "quiz", "correct")
    link = tmp_path / "home" / "progress.json"
    link.parent.mkdir()
    link.symlink_to(synced)
    ProgressStore(link).record(1, "quiz:lesson01:q2", "quiz", "correct")
    assert link.is_symlink() and link.resolve() == synced
    assert _items(synced) == ["quiz:lesson01:q1", "quiz:lesson01:q2"]
    assert sorted(os.listdir(link.parent)) == ["progress.json"], "no temporary or lock file next to the link"
    assert not list(synced.parent.glob("*.tmp"))


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    target = tmp_path / "synced" / "progress.json"
    target.parent.mkdir()
    link = tmp_path / "progress.json"
    link.symlink_to(target)
    ProgressStore(link).record(1, "quiz:lesson01:q1", "quiz", "correct")
    assert link.is_symlink() and _items(target) == ["quiz:lesson01:q1"]


def test_existing_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    ProgressStore(path).record(1, "quiz:lesson01:q1", "quiz", "correct")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, "a new file is private"
    path.chmod(0o640)
    ProgressStore(path).record(1, "quiz:lesson01:q2", "quiz", "correct")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def _assert_left_alone(path: Path, store: ProgressStore, caught: list) -> bytes:
    before = path.read_bytes()
    recorded = _answer_three(store)
    messages = _progress_warnings(caught)
    assert len(messages) == 1 and "read-only" in messages[0] and str(path) in messages[0], messages
    assert path.read_bytes() == before
    assert store.records()[-3:] == recorded and store.pending == tuple(recorded)
    return before


def test_read_only_file_by_mode_bits_is_left_alone(tmp_path: Path, caught: list) -> None:
    """chmod a-w is honoured even by root, whom the permission bits do not stop."""
    path = tmp_path / "progress.json"
    ProgressStore(path).record(1, "quiz:lesson01:q0", "quiz", "correct")
    path.chmod(0o444)
    store = ProgressStore(path)
    _assert_left_alone(path, store, caught)
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    path.chmod(0o644)
    assert store.flush() is True
    assert _items(path) == ["quiz:lesson01:q0"] + [r.item for r in store.records()[-3:]]
    assert store.pending == ()


def test_file_the_learner_may_not_write_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caught: list
) -> None:
    """Owner write bit set, but the system denies the learner (another owner, an ACL)."""
    path = tmp_path / "progress.json"
    ProgressStore(path).record(1, "quiz:lesson01:q0", "quiz", "correct")
    real_access = os.access

    def denied(target: object, mode: int, **kwargs: object) -> bool:
        if Path(os.fspath(target)) == path and mode == os.W_OK:
            return False
        return real_access(target, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", denied)
    _assert_left_alone(path, ProgressStore(path), caught)


def test_leftover_temporary_files_are_removed_at_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    leftovers = [tmp_path / ".progress.json.saving-k3j2h1.tmp", tmp_path / ".progress.json.ab12cd34.tmp"]
    others = [tmp_path / ".other.json.saving-x.tmp", tmp_path / "notes.tmp", tmp_path / ".progress.json.keep"]
    for leftover in leftovers + others:
        leftover.write_text('{"half": ', encoding="utf-8")
    store = ProgressStore(path)
    assert all(p.exists() for p in leftovers), "creating a store changes nothing"
    store.record(1, "quiz:lesson01:q1", "quiz", "correct")
    assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in others)


def test_crash_before_replace_leaves_a_recognisable_file_that_the_next_write_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.json"
    ProgressStore(path).record(1, "quiz:lesson01:q1", "quiz", "correct")
    real_replace, real_unlink = os.replace, os.unlink
    monkeypatch.setattr(os, "unlink", lambda *_a, **_k: None)  # a killed kernel cleans up nothing

    def crash(src: str, dst: str) -> None:
        raise OSError("killed")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.warns(ProgressWarning):
        ProgressStore(path).record(1, "quiz:lesson01:q2", "quiz", "correct")
    (leftover,) = tmp_path.glob(".progress.json.saving-*.tmp")
    assert b"quiz:lesson01:q2" in leftover.read_bytes()
    monkeypatch.setattr(os, "replace", real_replace)
    monkeypatch.setattr(os, "unlink", real_unlink)
    ProgressStore(path).record(1, "quiz:lesson01:q3", "quiz", "correct")
    assert not leftover.exists()
    assert _items(path) == ["quiz:lesson01:q1", "quiz:lesson01:q3"]


# --------------------------------------------------------------- a learner's random session
_WORKER = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
from balancing_act.progress import ProgressStore
for line in sys.stdin:
    job = json.loads(line)
    store = ProgressStore(job["path"])
    rec = store.record(job["lesson"], job["item"], "quiz", job["outcome"], job["response"], when=job["when"])
    print(json.dumps({"saved": store.pending == (), "record": rec.to_dict()}), flush=True)
"""


@pytest.fixture
def other_process() -> Iterator[Callable[[dict], dict]]:
    """A second Python process that records one answer per request in its own store."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
    )

    def ask(job: dict) -> dict:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(job) + "\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    try:
        yield ask
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _key(record: dict) -> str:
    return json.dumps(record, sort_keys=True)


RESPONSES = st.text(st.characters(exclude_categories=()), max_size=12)  # surrogates included


class LearnerSession(RuleBasedStateMachine):
    """Random learner actions against one progress file.

    Model: ``confirmed`` holds every record whose save reported success; each must be in the
    file, unless the file was then corrupted, in which case the corrupted bytes must survive
    verbatim in a moved-aside backup.
    """

    root: Path
    ask: Callable[[dict], dict]

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(dir=self.root))
        self.path = self.folder / "progress.json"
        self.store = ProgressStore(self.path, learner="ada")
        self.confirmed: Counter[str] = Counter()
        self.unconfirmed: list[str] = []
        self.live_blob: bytes | None = None  # corrupted bytes still in place
        self.moved_blobs: list[bytes] = []  # corrupted bytes that must be in a backup
        self.counter = 0
        self.processes_asked = 0
        self.clean = True  # last write succeeded: no leftover temporary file allowed
        self.question: checks.Question | None = None

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def _settle(self, store: ProgressStore, key: str) -> None:
        """After ``store`` recorded ``key``: confirm it (and the store's earlier ones) if saved."""
        if store.pending:
            if store is self.store:
                self.unconfirmed.append(key)
            self.clean = False
            return
        if store is self.store:
            self.confirmed.update(self.unconfirmed)
            self.unconfirmed = []
        self.confirmed[key] += 1
        self.clean = True

    @rule(lesson=st.integers(0, 8), outcome=st.sampled_from(progress.OUTCOMES), response=RESPONSES)
    def answer_quiz(self, lesson: int, outcome: str, response: str) -> None:
        n = self._next()
        rec = self.store.record(lesson, f"quiz:lesson{lesson:02d}:q{n}", "quiz", outcome, response, when=f"2025-01-01T10:00:{n % 60:02d}Z")
        self._settle(self.store, _key(rec.to_dict()))

    @rule(value=st.integers(0, 2))
    def run_check(self, value: int) -> None:
        n = self._next()
        self.question = checks.Question(
            f"q{n}", lambda v: checks.Correct() if v == 1 else checks.Incorrect("Not yet."),
            lesson=1, hints=["Try 1.", "It is 1."], store=self.store,
        )
        assert self.question.check(value).outcome.status == ("correct" if value == 1 else "incorrect")
        [rec] = [r for r in self.store.records() if r.item == f"check:q{n}"]
        self._settle(self.store, _key(rec.to_dict()))

    @precondition(lambda self: self.question is not None)
    @rule()
    def ask_for_hint(self) -> None:
        assert self.question is not None
        before = len(self.store.records())
        assert str(self.question.hint()).startswith("Hint")
        assert len(self.store.records()) == before

    @rule()
    def reopen(self) -> None:
        """A new kernel: unsaved records of the old one are gone (they were never confirmed)."""
        self.store = ProgressStore(self.path)
        self.unconfirmed = []

    @rule(response=RESPONSES)
    def second_store(self, response: str) -> None:
        n = self._next()
        other = ProgressStore(self.path)
        rec = other.record(2, f"quiz:lesson02:q{n}", "quiz", "correct", response, when="2025-01-02T10:00:00Z")
        self._settle(other, _key(rec.to_dict()))

    @precondition(lambda self: self.processes_asked < 2)
    @rule(response=RESPONSES)
    def second_process(self, response: str) -> None:
        self.processes_asked += 1
        n = self._next()
        reply = self.ask(
            {"path": str(self.path), "lesson": 3, "item": f"quiz:lesson03:q{n}", "outcome": "incorrect",
             "response": response, "when": "2025-01-03T10:00:00Z"}
        )
        if reply["saved"]:
            self.confirmed[_key(reply["record"])] += 1
            self.clean = True
        else:
            self.clean = False

    @rule(survives=st.booleans())
    def crash_before_replace(self, survives: bool) -> None:
        """The temporary file is written, then the kernel dies before ``os.replace``."""
        real_replace = os.replace

        def crash(src: str, dst: str) -> None:
            if not str(src).endswith(".tmp"):
                return real_replace(src, dst)  # moving a damaged file aside still works
            os.link(src, str(src)[: -len(".tmp")] + "-crashed.tmp")  # what a killed write leaves
            raise OSError("the kernel died")

        n = self._next()
        os.replace = crash
        try:
            rec = self.store.record(4, f"quiz:lesson04:q{n}", "quiz", "correct", when="2025-01-04T10:00:00Z")
        finally:
            os.replace = real_replace
        assert self.store.pending, "a crashed write is not reported as saved"
        self.clean = False
        if survives:
            self.unconfirmed.append(_key(rec.to_dict()))
        else:
            self.store = ProgressStore(self.path)
            self.unconfirmed = []

    @rule(cut=st.integers(0, 10**6), garbage=st.binary(max_size=24), deep=st.booleans())
    def corrupt_file(self, cut: int, garbage: bytes, deep: bool) -> None:
        current = self.path.read_bytes() if self.path.exists() else b""
        blob = b"[" * 100_000 if deep else current[: cut % (len(current) + 1)] + garbage + b"\xff"
        self.path.write_bytes(blob)
        # Records on disk now live only in the damaged bytes (a blob the test itself overwrote
        # carried no confirmed record that is not also in this one).
        self.confirmed = Counter()
        self.live_blob = blob
        self.clean = False

    @precondition(lambda self: self.live_blob is None and self.path.exists())
    @rule()
    def poison_record(self) -> None:
        data = json.loads(self.path.read_bytes())
        data["records"].append(
            {"lesson": math.nan, "item": "quiz:poison", "kind": "quiz", "outcome": "correct",
             "response": "\ud800", "time": "2025-01-05T10:00:00Z", "score": math.inf}
        )
        self.path.write_bytes(json.dumps(data, allow_nan=True).encode("ascii"))
        self.clean = False

    @invariant()
    def nothing_confirmed_is_lost(self) -> None:
        raw = self.path.read_bytes() if self.path.exists() else None
        backups = [p.read_bytes() for p in self.folder.glob("progress.json.bak-*")]
        if self.live_blob is not None and raw != self.live_blob:
            self.moved_blobs.append(self.live_blob)
            self.live_blob = None
        for blob in self.moved_blobs:
            assert blob in backups, "damaged bytes were not kept in a backup"
        if raw is None or raw == self.live_blob:
            assert not self.confirmed
        else:
            on_disk = Counter(_key(r) for r in json.loads(raw)["records"] if isinstance(r, dict))
            assert not self.confirmed - on_disk, "a confirmed record is missing from the file"
        seen = Counter(_key(r.to_dict()) for r in self.store.records())
        assert not self.confirmed - seen, "the store does not show a confirmed record"

    @invariant()
    def saved_file_is_strict_and_tidy(self) -> None:
        if not self.clean:
            return
        assert not list(self.folder.glob(".progress.json.*.tmp")), "a leftover temporary file survived a write"
        if self.path.exists():
            _strict(self.path.read_bytes())


def test_random_learner_sessions_lose_no_confirmed_record(tmp_path: Path, other_process: Callable[[dict], dict]) -> None:
    LearnerSession.root = tmp_path
    LearnerSession.ask = staticmethod(other_process)
    with warnings.catch_warnings(record=True) as found:
        warnings.simplefilter("always")
        run_state_machine_as_test(
            LearnerSession,
            settings=settings(max_examples=25, stateful_step_count=20, deadline=None, database=None,
                              suppress_health_check=[HealthCheck.too_slow]),
        )
    escaped = [str(w.message) for w in found if "Could not record the check" in str(w.message)]
    assert escaped == [], "an exception escaped the store into a check"
