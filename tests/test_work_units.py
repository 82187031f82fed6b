"""How the test command splits the suite into units of work for its workers (the root conftest.py).

A unit runs on one worker, in order: a notebook's cells must stay together for nbval, each
notebook's browser tests must stay together (the notebook is opened and run once for all of
them), and the two Binder tests share one environment.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def units():
    spec = importlib.util.spec_from_file_location("course_root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_chapters_browser_tests_share_a_unit_and_chapters_are_spread(units) -> None:
    run_all = units.work_unit("tests/e2e/test_1_run_all.py", "test_run_all[lessons/07_overextension_model.ipynb]")
    explorer = units.work_unit(
        "tests/e2e/test_2_interactions.py",
        "test_explorer_change_to_redrawn_output[lessons/07_overextension_model.ipynb-51]",
    )
    solution = units.work_unit("tests/e2e/test_3_accessibility.py", "test_outputs_accessible_light_theme[solutions/07_overextension_model.ipynb]")
    assert run_all == explorer == solution
    seen = {units.work_unit("tests/e2e/test_1_run_all.py", f"test_run_all[lessons/0{n}_x.ipynb]") for n in range(9)}
    assert seen == {f"browser-{k + 1}" for k in range(units.BROWSER_UNITS)}


def test_browser_tests_of_no_notebook_go_to_a_browser_unit(units) -> None:
    unit = units.work_unit("tests/e2e/test_0_harness.py", "test_checks_catch_planted_problems")
    assert unit in {f"browser-{k + 1}" for k in range(units.BROWSER_UNITS)}


def test_other_units(units) -> None:
    assert units.work_unit("tests/test_binder.py", "test_runtime_matches_supported_python") == "binder-environment"
    assert units.work_unit("tests/e2e/test_open_command.py", "test_x") == "binder-environment"
    assert units.work_unit("tests/test_site_outputs.py", "test_x") == "website"
    assert units.work_unit("lessons/01_chinas_position.ipynb", "Cell 3") == "lessons/01_chinas_position.ipynb"
    assert units.work_unit("tests/test_quiz.py", "test_x") == "tests/test_quiz.py"
