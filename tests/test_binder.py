"""Binder: the binder/ files alone build an environment in which every lesson runs.

repo2docker cannot run here, so the slow test does what its Python buildpack does: a fresh
virtual environment, ``pip install -r binder/requirements.txt``, then ``binder/postBuild``; and
then executes every lesson with that environment's kernel. The environment is built once per
content of binder/ and pyproject.toml and reused (see ``fresh_env``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from fresh_env import BuildError, binder_course

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def _pins() -> dict[str, str]:
    pins = {}
    for line in (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line.strip())
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_requirements_are_fully_pinned_and_agree_with_pyproject() -> None:
    lines = [
        line.strip()
        for line in (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert all("==" in line for line in lines), [line for line in lines if "==" not in line]
    pins = _pins()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        name, _, version = requirement.partition("==")
        if version:
            assert pins.get(name.lower()) == version, f"binder pins {name} at {pins.get(name.lower())}, pyproject at {version}"


def test_runtime_matches_supported_python() -> None:
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    assert runtime == "python-3.11"
    assert os.access(BINDER / "postBuild", os.X_OK)


@pytest.mark.slow
def test_fresh_environment_from_binder_files_runs_every_lesson(tmp_path: Path) -> None:
    """The environment built from binder/ alone executes every lesson."""
    try:
        course = binder_course()
    except BuildError as problem:
        pytest.fail(f"the Binder environment could not be built from binder/ alone: {problem}", pytrace=False)
    lessons = sorted(p.name for p in (course.folder / "lessons").glob("*.ipynb"))
    assert lessons == sorted(p.name for p in (ROOT / "lessons").glob("*.ipynb"))
    out = course.home / "executed"
    shutil.rmtree(out, ignore_errors=True)
    env = course.env(BALANCING_ACT_PROGRESS=str(course.home / "progress.json"))
    result = course.run(
        [str(course.venv / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
         "--output-dir", str(out), *lessons],
        env=env, cwd=course.folder / "lessons",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.name for p in out.glob("*.ipynb")) == lessons


@pytest.mark.slow
def test_binder_environment_switches_off_the_news_prompt() -> None:
    """postBuild's install puts the course's JupyterLab settings where JupyterLab reads them."""
    course = binder_course()
    installed = course.venv / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "balancing-act.json"
    assert installed.is_file(), f"{installed} missing: the course's JupyterLab settings were not installed"
    settings = json.loads(installed.read_text(encoding="utf-8"))
    assert settings == json.loads((BINDER / "jupyterlab-overrides.json").read_text(encoding="utf-8"))
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_binder_environment_serves_nbgitpuller_links() -> None:
    # A hub image built from binder/ (repo2docker) must answer the course's git-pull links.
    assert "nbgitpuller" in _pins()
