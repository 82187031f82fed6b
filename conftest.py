"""Test-suite settings that apply to the notebooks as well as to tests/.

- Learner progress written while tests and notebooks run goes to throwaway files,
  never to the progress file of the person running the tests; each notebook's
  kernel gets a fresh file of its own, so what one notebook records cannot change
  what another shows (the course map reads progress).
- Tests in this process may not open network connections except to this machine
  (loopback): the course must not depend on the network at run time. Subprocesses
  that are meant to reach the package index (the Binder environment test) are
  separate processes and not affected.
- Notebooks under exercises/ are checked in lax mode: they must run top to bottom
  without error, but their outputs depend on what a learner types, so stored
  outputs are not compared. Lessons and solutions stay strict.
- Offline proof: when this machine can make a network namespace (root, or CAP_SYS_ADMIN),
  every notebook kernel that nbval starts runs inside a new one whose only interface is
  the loopback, and talks to pytest over Unix sockets (ZeroMQ's ipc transport) instead of
  TCP. So the strict run of every lesson, solution and exercise is also the proof that
  they need no network. The kernel count is reported at the end; tests/test_offline.py
  checks that the kernels nbval starts really have no network, and fails in CI when no
  namespace can be made.
- Under pytest-xdist (``-n``), each test file or notebook is one unit of
  work that one worker runs in order (nbval needs a notebook's cells together); the
  browser tests are BROWSER_UNITS units, split by chapter number (a chapter's lesson and
  solution stay together, and each notebook's tests stay together, as tests/e2e/conftest.py
  orders them), so two JupyterLab servers and two browsers work side by side and the
  workers share the browser tests instead of one worker running them all. The two tests
  that need the environment built from binder/ are one unit, so it is built once. The long
  units are put first so that the workers start on them at once.
"""

from __future__ import annotations

import ipaddress
import itertools
import os
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

_LAX_FOLDERS = ("exercises",)


_SCRATCH = Path(tempfile.mkdtemp(prefix="balancing-act-test-"))


def pytest_configure(config: pytest.Config) -> None:
    os.environ["BALANCING_ACT_PROGRESS"] = str(_SCRATCH / "progress.json")
    if OFFLINE.available():
        OFFLINE.install()


class _OfflineKernels:
    """Start nbval's kernels in a network namespace of their own (see the module docstring)."""

    PREFIX = ["unshare", "--net", "--", "sh", "-c", 'ip link set lo up && exec "$@"', "offline-kernel"]

    def __init__(self) -> None:
        self.started = 0
        self._checked: str | None = None
        self._sockets = itertools.count()

    def why_not(self) -> str:
        """Empty when namespaces can be made here; else the reason."""
        if self._checked is None:
            if shutil.which("unshare") is None or shutil.which("ip") is None:
                self._checked = "needs the unshare and ip commands (util-linux, iproute2)"
            else:
                probe = subprocess.run([*self.PREFIX, "true"], capture_output=True, text=True, check=False)
                self._checked = "" if probe.returncode == 0 else (
                    f"cannot create a network namespace here ({probe.stderr.strip() or probe.returncode}); run as root"
                )
        return self._checked

    def available(self) -> bool:
        return not self.why_not()

    def install(self) -> None:
        import nbval.kernel
        from jupyter_client.manager import KernelManager

        offline = self

        class OfflineKernelManager(KernelManager):
            def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
                return [*offline.PREFIX, *super().format_kernel_cmd(extra_arguments)]

        def start_new_kernel(startup_timeout: float = 60, kernel_name: str = "python", **kwargs: Any) -> Any:
            folder = _SCRATCH / "kernel-sockets"
            folder.mkdir(exist_ok=True)
            km = OfflineKernelManager(
                kernel_name=kernel_name,
                kernel_spec_manager=nbval.kernel.NbvalKernelspecManager(),
                transport="ipc",
                ip=str(folder / f"k{os.getpid()}-{next(offline._sockets)}"),
            )
            km.start_kernel(**kwargs)
            kc = km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=startup_timeout)
            except RuntimeError:
                kc.stop_channels()
                km.shutdown_kernel()
                raise
            offline.started += 1
            return km, kc

        nbval.kernel.start_new_kernel = start_new_kernel


OFFLINE = _OfflineKernels()


@pytest.fixture()
def offline_kernels() -> _OfflineKernels:
    """The mechanism that starts nbval's kernels without network (for tests/test_offline.py)."""
    return OFFLINE


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workeroutput"):  # an xdist worker: report to the controller
        session.config.workeroutput["offline_kernels"] = OFFLINE.started


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    OFFLINE.started += int(getattr(node, "workeroutput", {}).get("offline_kernels", 0))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if OFFLINE.started:
        terminalreporter.write_line(
            f"offline: {OFFLINE.started} notebook kernel(s) ran in a network namespace with no network"
        )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a notebook's kernel starts (with its first cell), point it at its own progress file."""
    path = Path(str(item.path))
    if path.suffix == ".ipynb":
        os.environ["BALANCING_ACT_PROGRESS"] = str(_SCRATCH / f"{path.parent.name}-{path.stem}.json")


# Units of work that span several files (see the module docstring).
# A pattern ending in ".py" names one file; any other pattern is a prefix of paths.
_SHARED_UNITS = {
    "binder-environment": ("tests/test_binder.py", "tests/e2e/test_open_command.py"),
    "browser": ("tests/e2e/",),
    "website": ("tests/test_site",),
}
# The browser tests are split into this many units by the chapter number of their notebook
# (lessons/07_... and solutions/07_... go to unit 7 % BROWSER_UNITS); tests of no notebook go
# to the last unit. Measured in the suite, chapters 0, 2, 4, 6, 8 and 1, 3, 5, 7 take about the same time.
BROWSER_UNITS = 2
_CHAPTER = re.compile(r"\[(?:lessons|solutions|exercises)/(\d+)_")


def work_unit(rel_path: str, test_name: str = "") -> str:
    """The xdist group of a test, given its file's path from the project root and its name."""
    for unit, patterns in _SHARED_UNITS.items():
        if any(rel_path == p if p.endswith(".py") else rel_path.startswith(p) for p in patterns):
            if unit == "browser":
                chapter = _CHAPTER.search(test_name)
                number = int(chapter.group(1)) % BROWSER_UNITS if chapter else BROWSER_UNITS - 1
                return f"browser-{number + 1}"
            return unit
    return rel_path


def _unit_of(root: Path, item: pytest.Item) -> str | None:
    path = Path(str(item.path))
    return work_unit(path.relative_to(root).as_posix(), item.name) if path.is_relative_to(root) else None


# Last, so that the browser tests' own ordering (tests/e2e/conftest.py) is kept inside their unit.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(str(config.rootpath))
    for item in items:
        if item.path.suffix == ".ipynb" and (_unit_of(root, item) or "").split("/")[0] in _LAX_FOLDERS:
            if hasattr(item, "options"):
                item.options["check"] = False
    # the longest units first, so that the workers start on them at once (measured in the suite)
    first = [f"browser-{n + 1}" for n in range(BROWSER_UNITS)] + ["website", "binder-environment"]
    items.sort(key=lambda item: first.index(u) if (u := _unit_of(root, item)) in first else len(first))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Distribute whole units of work (``work_unit``), in collection order (long units first)."""
    if config.getvalue("dist") not in ("load", "loadfile", "loadscope", "loadgroup"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class CourseUnits(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path, _, name = nodeid.partition("::")
            return work_unit(path, name)

    config.option.loadscopereorder = False  # keep the collection order: the long units first
    return CourseUnits(config, log)


_real_connect = socket.socket.connect


def _local_only_connect(sock: socket.socket, address: object) -> None:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            local = ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            local = host == "localhost"
        if not local:
            raise ConnectionRefusedError(f"network access to {host!r} during tests; the course must work offline")
    return _real_connect(sock, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse connections that leave this machine for the duration of each test."""
    monkeypatch.setattr(socket.socket, "connect", _local_only_connect)
