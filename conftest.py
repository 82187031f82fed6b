"""Test-suite settings that apply to the notebooks as well as to tests/.

- Learner progress written while notebooks run goes to a throwaway file, never to
  the progress file of the person running the tests.
- Notebooks under exercises/ are checked in lax mode: they must run top to bottom
  without error, but their outputs depend on what a learner types, so stored
  outputs are not compared. Lessons and solutions stay strict.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_LAX_FOLDERS = ("exercises",)


def pytest_configure(config: pytest.Config) -> None:
    folder = Path(tempfile.mkdtemp(prefix="balancing-act-test-"))
    os.environ["BALANCING_ACT_PROGRESS"] = str(folder / "progress.json")


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
