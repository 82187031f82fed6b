"""Offline: with no network at all, every lesson, exercise and solution still runs and matches its
stored outputs (charts included), because the course reads only local files at run time.

The kernels run inside a namespace without network. The unit tests are covered in-process by the
root conftest, which refuses any connection that leaves the machine; the browser tests check that no
page request leaves 127.0.0.1.

The notebooks are re-run under nbval inside a new network namespace whose only interface is the
loopback (which the kernel needs to talk to pytest). Creating the namespace needs root or
CAP_SYS_ADMIN; elsewhere the test is skipped with the reason, except in CI, where it must run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 443), timeout=3)\nexcept OSError:\n    print('blocked')\nelse:\n    print('open')\n"


def _offline(command: list[str]) -> list[str]:
    return ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "offline", *command]


def _can_isolate() -> str | None:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "needs the unshare and ip commands (util-linux, iproute2)"
    probe = subprocess.run(_offline(["true"]), capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return f"cannot create a network namespace here ({probe.stderr.strip() or probe.returncode}); run as root"
    return None


@pytest.fixture(scope="module")
def isolation() -> None:
    reason = _can_isolate()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"offline test must run in CI: {reason}")
        pytest.skip(reason)


def test_namespace_really_has_no_network(isolation: None) -> None:
    out = subprocess.run(_offline([sys.executable, "-c", PROBE]), capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "blocked"


@pytest.mark.slow
def test_all_notebooks_pass_nbval_offline(isolation: None, tmp_path: Path) -> None:
    env = dict(os.environ, BALANCING_ACT_PROGRESS=str(tmp_path / "progress.json"))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "lessons", "exercises", "solutions"]
    result = subprocess.run(
        _offline(command),
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
