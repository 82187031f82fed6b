"""Binder: the binder/ files alone build an environment in which every lesson runs.

repo2docker cannot run here, so the slow test does what its Python buildpack does: a
fresh virtual environment, ``pip install -r binder/requirements.txt``, then
``binder/postBuild``; and then executes every lesson with that environment's kernel.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

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
    venv = tmp_path / "binder-env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(BINDER / "requirements.txt")], check=True, env=env, cwd=ROOT)
    subprocess.run(["bash", str(BINDER / "postBuild")], check=True, env=env, cwd=ROOT)
    env["BALANCING_ACT_PROGRESS"] = str(tmp_path / "progress.json")
    lessons = sorted((ROOT / "lessons").glob("*.ipynb"))
    assert lessons
    result = subprocess.run(
        [str(venv / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
         "--output-dir", str(tmp_path / "out"), *map(str, lessons)],
        env=env, cwd=ROOT / "lessons", capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.ipynb")) == [p.name for p in lessons]


def test_binder_environment_serves_nbgitpuller_links() -> None:
    # A hub image built from binder/ (repo2docker) must answer the course's git-pull links.
    assert "nbgitpuller" in _pins()
