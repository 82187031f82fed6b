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
"""

from __future__ import annotations

import ipaddress
import os
import socket
import tempfile
from pathlib import Path

import pytest

_LAX_FOLDERS = ("exercises",)


_SCRATCH = Path(tempfile.mkdtemp(prefix="balancing-act-test-"))


def pytest_configure(config: pytest.Config) -> None:
    os.environ["BALANCING_ACT_PROGRESS"] = str(_SCRATCH / "progress.json")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a notebook's kernel starts (with its first cell), point it at its own progress file."""
    path = Path(str(item.path))
    if path.suffix == ".ipynb":
        os.environ["BALANCING_ACT_PROGRESS"] = str(_SCRATCH / f"{path.parent.name}-{path.stem}.json")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(str(config.rootpath))
    for item in items:
        path = Path(str(item.path))
        if path.suffix != ".ipynb":
            continue
        try:
            top = path.relative_to(root).parts[0]
        except ValueError:
            continue
        if top in _LAX_FOLDERS and hasattr(item, "options"):
            item.options["check"] = False


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
