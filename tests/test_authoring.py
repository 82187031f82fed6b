"""Tests for balancing_act.authoring: markers, golden output, build/check/execute.

The golden files tests/golden/sample_exercise.ipynb and sample_solution.ipynb
are the unexecuted output of building tests/golden/sample_source.ipynb.  After
an intended change to the output format, rebuild them and review the diff::

    python -c "from balancing_act.authoring import build; build('tests/golden', '/tmp/g/ex', '/tmp/g/sol')"
    cp /tmp/g/ex/sample_source.ipynb tests/golden/sample_exercise.ipynb
    cp /tmp/g/sol/sample_source.ipynb tests/golden/sample_solution.ipynb
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from balancing_act import authoring
from balancing_act.authoring import (
    AuthoringError,
    NotebookExecutionError,
    build,
    check,
    execute,
    exercise_code,
    exercise_markdown,
    main,
    make_notebook,
    render,
    solution_code,
    solution_markdown,
)

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture()
def project(tmp_path: Path) -> dict[str, Path]:
    """A project layout whose source folder holds the golden sample."""
    src = tmp_path / "src" / "exercise_sources"
    src.mkdir(parents=True)
    shutil.copy(GOLDEN / "sample_source.ipynb", src / "sample_source.ipynb")
    return {"root": tmp_path, "src": src, "ex": tmp_path / "exercises", "sol": tmp_path / "solutions"}


def _build(p: dict[str, Path]) -> authoring.BuildReport:
    return build(p["src"], p["ex"], p["sol"])


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


# ------------------------------------------------------------ code markers
def test_block_with_placeholder() -> None:
    src = "x = 1\n# BEGIN SOLUTION\nbiggest = max(values)\n# PLACEHOLDER: biggest = ____\n# END SOLUTION\nbiggest"
    assert exercise_code(src) == "x = 1\nbiggest = ____\nbiggest"
    assert solution_code(src) == "x = 1\nbiggest = max(values)\nbiggest"


def test_block_without_placeholder_and_indentation() -> None:
    src = "for v in values:\n    # BEGIN SOLUTION\n    total += v\n    # END SOLUTION\nprint(total)"
    assert exercise_code(src) == "for v in values:\n    # your code here\nprint(total)"
    nested = "def f():\n    # BEGIN SOLUTION\n    return 1\n    # PLACEHOLDER: return ____\n    # PLACEHOLDER: # more\n    # END SOLUTION"
    assert exercise_code(nested) == "def f():\n    return ____\n    # more"
    assert solution_code(nested) == "def f():\n    return 1"


@pytest.mark.parametrize(
    ("line", "exercise", "solution"),
    [
        ("x = 5  # SOLUTION", "x = ____  # your answer", "x = 5"),
        ("x = 5 # SOLUTION  ", "x = ____  # your answer", "x = 5"),
        ("    share: float = a / b  # SOLUTION", "    share: float = ____  # your answer", "    share: float = a / b"),
        ("count += len(rows)  # SOLUTION", "count += ____  # your answer", "count += len(rows)"),
        ("a = b = f(x='é')  # SOLUTION", "a = b = ____  # your answer", "a = b = f(x='é')"),
        ("df['x'] = 1  #SOLUTION", "df['x'] = ____  # your answer", "df['x'] = 1"),
    ],
)
def test_single_line_solution(line: str, exercise: str, solution: str) -> None:
    assert exercise_code(line) == exercise
    assert solution_code(line) == solution


def test_text_that_only_looks_like_a_marker_is_kept() -> None:
    src = 's = "# SOLUTION"\n# This is the SOLUTION approach\nprint(s)'
    assert exercise_code(src) == src and solution_code(src) == src


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("# BEGIN SOLUTION\nx = 1", r"cell, line 1: BEGIN SOLUTION is never closed"),
        ("x = 1\n# END SOLUTION", r"cell, line 2: END SOLUTION without a BEGIN"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", r"line 2: BEGIN SOLUTION inside another block"),
        ("# PLACEHOLDER: x = ____", r"line 1: PLACEHOLDER outside"),
        ("print(x)  # SOLUTION", r"line 1: '# SOLUTION' marks a line that is not an assignment"),
        ("x = (1,  # SOLUTION\n 2)", r"line 1: '# SOLUTION' must end a complete one-line assignment"),
        ("# SOLUTION", r"line 1: solution markers must be alone"),
        ("x = 1  # BEGIN SOLUTION", r"line 1: solution markers must be alone"),
        ("# BEGIN SOLUTION\nx = 1  # SOLUTION\n# END SOLUTION", r"line 2: a solution marker inside a BEGIN/END block"),
    ],
)
def test_marker_errors_say_where(src: str, message: str) -> None:
    with pytest.raises(AuthoringError, match=message):
        exercise_code(src)
    with pytest.raises(AuthoringError):
        solution_code(src)


# -------------------------------------------------------- markdown markers
def test_markdown_blocks() -> None:
    src = "Question?\n\n<!-- BEGIN SOLUTION -->\nAnswer.\n<!-- END SOLUTION -->\nAfter."
    assert exercise_markdown(src) == "Question?\n\nAfter."
    assert solution_markdown(src) == "Question?\n\nAnswer.\nAfter."
    with pytest.raises(AuthoringError, match="alone on a line"):
        exercise_markdown("Text <!-- BEGIN SOLUTION --> answer <!-- END SOLUTION -->")
    with pytest.raises(AuthoringError, match="never closed"):
        solution_markdown("<!-- BEGIN SOLUTION -->\nx")


# -------------------------------------------------------------- notebooks
def test_golden_exercise_and_solution(project: dict[str, Path]) -> None:
    report = _build(project)
    assert sorted(p.name for p in report.written) == ["sample_source.ipynb", "sample_source.ipynb"]
    exercise = (project["ex"] / "sample_source.ipynb").read_text(encoding="utf-8")
    solution = (project["sol"] / "sample_source.ipynb").read_text(encoding="utf-8")
    assert exercise == (GOLDEN / "sample_exercise.ipynb").read_text(encoding="utf-8")
    assert solution == (GOLDEN / "sample_solution.ipynb").read_text(encoding="utf-8")


def _solution_lines(source_nb: Path) -> list[str]:
    """Every line that belongs to a solution in the source notebook."""
    lines: list[str] = []
    for cell in _cells(source_nb):
        text = _source(cell)
        if "solution-only" in cell["metadata"].get("tags", []):
            lines.extend(text.splitlines())
            continue
        inside = False
        for line in text.splitlines():
            if re.match(r"^\s*(#|<!--)\s*BEGIN SOLUTION", line):
                inside = True
            elif re.match(r"^\s*(#|<!--)\s*END SOLUTION", line):
                inside = False
            elif inside and "PLACEHOLDER" not in line:
                lines.append(line)
            elif line.rstrip().endswith("# SOLUTION"):
                lines.append(line.split("=", 1)[1].split("#")[0].strip())
    return [line.strip() for line in lines if line.strip()]


def test_no_solution_line_in_the_exercise(project: dict[str, Path]) -> None:
    _build(project)
    exercise_text = "\n".join(_source(c) for c in _cells(project["ex"] / "sample_source.ipynb"))
    solution_text = "\n".join(_source(c) for c in _cells(project["sol"] / "sample_source.ipynb"))
    hidden = _solution_lines(GOLDEN / "sample_source.ipynb")
    assert len(hidden) >= 8
    for line in hidden:
        assert line not in exercise_text, line
        assert line in solution_text, line
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "PLACEHOLDER", "# SOLUTION"):
        assert marker not in exercise_text and marker not in solution_text


def test_tags_and_outputs(project: dict[str, Path]) -> None:
    _build(project)
    exercise = _cells(project["ex"] / "sample_source.ipynb")
    solution = _cells(project["sol"] / "sample_source.ipynb")
    tags_ex = [t for c in exercise for t in c["metadata"].get("tags", [])]
    tags_sol = [t for c in solution for t in c["metadata"].get("tags", [])]
    assert "solution-only" not in tags_ex and "solution-only" in tags_sol
    assert "exercise-only" in tags_ex and "exercise-only" not in tags_sol
    for cell in exercise + solution:
        assert "execution" not in cell["metadata"] and "collapsed" not in cell["metadata"]
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert len({c["id"] for c in solution}) == len(solution)
    assert all(re.fullmatch(r"sample_source-\d{3}", c["id"]) for c in exercise + solution)


def test_build_is_deterministic(project: dict[str, Path], tmp_path: Path) -> None:
    _build(project)
    first = (project["ex"] / "sample_source.ipynb").read_bytes()
    other = tmp_path / "again"
    build(project["src"], other / "ex", other / "sol")
    assert (other / "ex" / "sample_source.ipynb").read_bytes() == first
    nb = nbformat.reads(first.decode("utf-8"), as_version=4)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    assert render(nb).encode("utf-8") == first
    assert first.endswith(b"}\n")


def test_both_tags_is_an_error() -> None:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["solution-only", "exercise-only"]})]
    )
    with pytest.raises(AuthoringError, match=r"demo\.ipynb, cell 1: a cell cannot be both"):
        make_notebook(nb, "demo", "exercise")


def test_marker_error_names_notebook_and_cell(project: dict[str, Path]) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("hi"), nbformat.v4.new_code_cell("print(1)  # SOLUTION")])
    nbformat.write(nb, project["src"] / "broken.ipynb")
    with pytest.raises(AuthoringError, match=r"broken.ipynb, cell 2, line 1"):
        _build(project)
    assert main(["--root", str(project["root"])]) == 2


# ------------------------------------------------------------ build/check
def _fake_execution(path: Path) -> None:
    """Add what executing a notebook adds: outputs, counts, language_info, timing."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["metadata"]["language_info"] = {"name": "python", "version": "3.11.9"}
    for number, cell in enumerate(data["cells"], start=1):
        if cell["cell_type"] == "code":
            cell["execution_count"] = number
            cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["out\n"]}]
            cell["metadata"]["execution"] = {"iopub.status.idle": "2024-01-01T00:00:00Z"}
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def test_rebuild_keeps_outputs_of_unchanged_notebooks(project: dict[str, Path]) -> None:
    _build(project)
    target = project["sol"] / "sample_source.ipynb"
    _fake_execution(target)
    executed = target.read_text(encoding="utf-8")
    report = _build(project)
    assert report.written == [] and len(report.unchanged) == 2
    assert target.read_text(encoding="utf-8") == executed
    assert check(project["src"], project["ex"], project["sol"]) == []


def test_check_reports_stale_missing_and_orphaned(project: dict[str, Path]) -> None:
    orphan_src = project["src"] / "old.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("old")]), orphan_src)
    _build(project)
    assert check(project["src"], project["ex"], project["sol"]) == []

    orphan_src.unlink()  # its generated notebooks are now orphans
    (project["sol"] / "sample_source.ipynb").unlink()  # missing
    source = project["src"] / "sample_source.ipynb"
    nb = nbformat.read(source, as_version=4)
    nb.cells[1].source += "\nextra = 1"  # exercise now out of date
    nbformat.write(nb, source)

    problems = check(project["src"], project["ex"], project["sol"])
    assert len(problems) == 4, problems
    assert any(p.endswith("solutions/sample_source.ipynb: missing (source sample_source.ipynb)") for p in problems)
    assert any(p.endswith("exercises/sample_source.ipynb: out of date (cell 2 source differs)") for p in problems)
    assert sum("old.ipynb: generated from old.ipynb, which no longer exists" in p for p in problems) == 2


def test_cli_check_exit_codes(project: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = ["--root", str(project["root"])]
    assert main([*root, "--check"]) == 1
    assert "missing" in capsys.readouterr().out
    assert main(root) == 0
    assert "2 written, 0 unchanged" in capsys.readouterr().out
    assert main([*root, "--check"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main([*root, "sample_source"]) == 0
    assert "0 written, 2 unchanged" in capsys.readouterr().out
    assert main(["--root", str(project["root"] / "nowhere")]) == 2


def test_unknown_name_is_an_error(project: dict[str, Path]) -> None:
    with pytest.raises(AuthoringError, match="no source notebook named nope"):
        build(project["src"], project["ex"], project["sol"], names=["nope"])


def test_empty_source_folder(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    report = build(tmp_path / "src", tmp_path / "ex", tmp_path / "sol")
    assert report.written == [] and report.unchanged == []
    assert check(tmp_path / "src", tmp_path / "ex", tmp_path / "sol") == []


def test_repository_source_folder_exists() -> None:
    assert (Path(__file__).parent.parent / "src" / "exercise_sources").is_dir()


# ----------------------------------------------------------------- execute
def test_execute_fills_outputs_and_check_still_passes(project: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ipykernel")
    _build(project)
    monkeypatch.setenv("BALANCING_ACT_PROGRESS", "/keep/this/value.json")
    targets = [project["ex"] / "sample_source.ipynb", project["sol"] / "sample_source.ipynb"]
    assert execute(targets, timeout=60) == targets
    assert os.environ["BALANCING_ACT_PROGRESS"] == "/keep/this/value.json"
    solution = _cells(project["sol"] / "sample_source.ipynb")
    outputs = {c["id"]: c["outputs"] for c in solution if c["cell_type"] == "code"}
    assert outputs["sample_source-003"][0]["data"]["text/plain"] == ["5"]
    assert outputs["sample_source-004"][0]["text"] == ["14 2.8 5\n"]
    exercise = _cells(project["ex"] / "sample_source.ipynb")
    placeholder_cell = next(c for c in exercise if c["id"] == "sample_source-003")
    assert placeholder_cell["outputs"][0]["data"]["text/plain"] == ["____"]
    assert all("execution" not in c["metadata"] for c in solution)
    assert check(project["src"], project["ex"], project["sol"]) == []
    assert _build(project).written == []

    broken = project["sol"] / "broken.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")]), broken)
    with pytest.raises(NotebookExecutionError, match=r"broken\.ipynb: executing failed"):
        execute([broken], timeout=60)


def test_a_deeply_nested_generated_notebook_is_out_of_date_not_a_crash(project: dict[str, Path]) -> None:
    _build(project)
    target = project["ex"] / "sample_source.ipynb"
    target.write_text('{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    problems = check(project["src"], project["ex"], project["sol"])
    assert problems == [f"{target}: out of date (not a notebook)"]
    report = _build(project)
    assert target in report.written
    assert json.loads(target.read_text(encoding="utf-8"))["cells"]
