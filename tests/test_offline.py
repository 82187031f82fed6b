"""Offline: with no network at all, every lesson, exercise and solution still runs and matches its
stored outputs (charts included), because the course reads only local files at run time.

The proof is folded into the strict nbval run: the root conftest starts every kernel nbval uses
inside a new network namespace whose only interface is the loopback, talking to pytest over Unix
sockets (see ``conftest.py``). These tests check that mechanism: that such a namespace really has
no network, and that a kernel started the way nbval starts one is inside it. Making a namespace
needs root or CAP_SYS_ADMIN; elsewhere the tests are skipped with the reason, except in CI, where
they must run. The unit tests are covered in-process by the root conftest, which refuses any
connection that leaves the machine; the browser tests check that no page request leaves 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from queue import Empty
from typing import Any

import pytest

PROBE = (
    "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 443), timeout=3)\n"
    "except OSError:\n    print('blocked')\nelse:\n    print('open')\n"
)


@pytest.fixture()
def isolation(offline_kernels: Any) -> Any:
    reason = offline_kernels.why_not()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the offline proof must run in CI: {reason}")
        pytest.skip(reason)
    return offline_kernels


def test_namespace_really_has_no_network(isolation: Any) -> None:
    out = subprocess.run([*isolation.PREFIX, sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "blocked"


def _run(kernel: object, code: str, timeout: float = 30) -> str:
    """Execute ``code`` in an nbval RunningKernel and return what it printed."""
    msg_id = kernel.execute_cell_input(code, allow_stdin=False)
    printed = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = kernel.get_message(stream="iopub", timeout=1)
        except Empty:
            continue
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    return "".join(printed)


def test_nbval_kernels_run_without_network(isolation: Any) -> None:
    from nbval.kernel import RunningKernel

    kernel = RunningKernel("python3")
    try:
        assert kernel.km.transport == "ipc", "nbval's kernels still talk over TCP: the offline wrapper is not in place"
        assert _run(kernel, PROBE).strip() == "blocked"
        theirs = _run(kernel, "import os; print(os.readlink('/proc/self/ns/net'))").strip()
        assert theirs and theirs != os.readlink("/proc/self/ns/net"), "the kernel shares this process's network"
    finally:
        kernel.stop()
