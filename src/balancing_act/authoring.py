"""Build exercise and solution notebooks from one source notebook.

Each ``src/exercise_sources/<name>.ipynb`` holds the exercises *with* their
reference solutions.  :func:`build` writes two notebooks from it:

* ``exercises/<name>.ipynb`` - solutions removed, placeholders in their place;
* ``solutions/<name>.ipynb`` - the complete notebook, marker comments removed.

Markers
-------
Code cells::

    # BEGIN SOLUTION
    biggest = trade["value"].max()
    # PLACEHOLDER: biggest = ____
    # END SOLUTION

  The lines between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` are removed
  from the exercise and replaced by the code of the ``# PLACEHOLDER: <code>``
  lines inside the block (several are allowed, each keeps its own
  indentation), or by ``# your code here`` when the block has none.  Inside
  an indented block with no placeholder, give one (e.g. ``# PLACEHOLDER:
  pass``) so the exercise still runs.

  A one-line assignment ending with ``# SOLUTION``::

    total = trade["value"].sum()  # SOLUTION

  becomes ``total = ____  # your answer`` in the exercise (``x: int = ...``
  and ``x += ...`` work too).  Other statements must use a BEGIN/END block.

  In the solution notebook the marker lines (BEGIN, END, PLACEHOLDER) are
  removed and ``# SOLUTION`` is cut from the end of its line.  Markers must
  be alone on their line and in capitals.

Markdown cells::

    <!-- BEGIN SOLUTION -->
    The surplus grew because ...
    <!-- END SOLUTION -->

  The block is removed from the exercise (a cell left empty is dropped) and
  kept, without the two marker lines, in the solution.

Cell tags: ``solution-only`` cells (e.g. one asserting that the reference
answers pass their checks) are dropped from the exercise and kept, with the
tag, in the solution; ``exercise-only`` cells are the reverse.

Outputs and determinism
-----------------------
:func:`build` writes notebooks *without outputs*, in a stable form:
nbformat 4.5, ``nbformat.writes`` JSON (indent 1, sorted keys), cell ids
``<name>-<source cell index>``, no ``language_info``, and a
``balancing_act`` metadata entry naming the source.  A target whose content
(sources, metadata, cell ids, ignoring outputs) already matches is not
rewritten, so its stored outputs survive.

:func:`execute` then runs notebooks in place with nbclient (kernel
``python3``, working folder = the notebook's folder, 300 s per cell) to fill
the outputs that nbval compares.  Progress records made while executing go to
a throw-away file.

``--check`` (:func:`check`) compares what :func:`build` would write with the
files on disk, ignoring outputs, execution counts, ``language_info`` and
timing metadata, so it needs no kernel and passes on executed notebooks.

Command line (run from the project root)::

    python -m balancing_act.authoring            # build (unexecuted)
    python -m balancing_act.authoring --execute  # build, then execute all targets
    python -m balancing_act.authoring --execute --lessons  # ... and every lesson too
    python -m balancing_act.authoring --check    # exit 1 and list stale files
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import nbformat
from nbformat import NotebookNode

from balancing_act import json_input

__all__ = [
    "AuthoringError",
    "BuildReport",
    "NotebookExecutionError",
    "build",
    "check",
    "execute",
    "exercise_code",
    "exercise_markdown",
    "main",
    "make_notebook",
    "render",
    "solution_code",
    "solution_markdown",
]

Variant = Literal["exercise", "solution"]

TAG_SOLUTION_ONLY: Final = "solution-only"
TAG_EXERCISE_ONLY: Final = "exercise-only"
DEFAULT_PLACEHOLDER: Final = "# your code here"
ANSWER_SUFFIX: Final = "____  # your answer"
METADATA_KEY: Final = "balancing_act"
DEFAULT_KERNELSPEC: Final = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

# Notebook and cell metadata that execution or the editor changes; ignored by --check.
_VOLATILE_NB_METADATA: Final = ("language_info", "widgets")
_VOLATILE_CELL_METADATA: Final = ("execution", "collapsed", "scrolled", "ExecuteTime")

_BEGIN = re.compile(r"^\s*#\s*BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*#\s*END SOLUTION\s*$")
_PLACEHOLDER = re.compile(r"^(?P<indent>\s*)#\s*PLACEHOLDER:\s?(?P<code>.*?)\s*$")
_SOLUTION_LINE = re.compile(r"^(?P<body>.*?\S)\s*#\s*SOLUTION\s*$")
_ANY_CODE_MARKER = re.compile(r"#\s*(BEGIN SOLUTION|END SOLUTION|PLACEHOLDER:|SOLUTION\s*$)")
_MD_BEGIN = re.compile(r"^\s*<!--\s*BEGIN SOLUTION\s*-->\s*$")
_MD_END = re.compile(r"^\s*<!--\s*END SOLUTION\s*-->\s*$")
_ANY_MD_MARKER = re.compile(r"<!--\s*(BEGIN|END) SOLUTION")


class AuthoringError(ValueError):
    """A source notebook uses the markers wrongly; the message says where."""


class NotebookExecutionError(AuthoringError):
    """A generated notebook raised an error while being executed."""


# ------------------------------------------------------------ cell sources
def _split(source: str) -> list[str]:
    """Lines of ``source`` (a final newline gives a last empty line)."""
    return source.split("\n") if source else []


def _assignment_head(body: str, where: str) -> str:
    """``"x ="`` for ``"x = 5"``: the text before the assigned value."""
    stripped = body.strip()
    try:
        tree = ast.parse(stripped)
    except SyntaxError:
        raise AuthoringError(
            f"{where}: '# SOLUTION' must end a complete one-line assignment; "
            "use a BEGIN/END SOLUTION block for longer code."
        ) from None
    node = tree.body[0] if len(tree.body) == 1 else None
    value = getattr(node, "value", None)
    if not isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) or value is None:
        raise AuthoringError(
            f"{where}: '# SOLUTION' marks a line that is not an assignment; "
            "use a BEGIN/END SOLUTION block instead."
        )
    head = stripped.encode("utf-8")[: value.col_offset].decode("utf-8")
    return head.rstrip()


def _code(source: str, variant: Variant, where: str) -> str:
    """Transform one code cell source for ``variant``."""
    lines = _split(source)
    out: list[str] = []
    in_block = False
    indent = ""
    placeholders: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        here = f"{where}, line {number}"
        if _BEGIN.match(line):
            if in_block:
                raise AuthoringError(f"{here}: BEGIN SOLUTION inside another block (opened on line {start}).")
            in_block, start, placeholders = True, number, []
            indent = line[: len(line) - len(line.lstrip())]
            continue
        if _END.match(line):
            if not in_block:
                raise AuthoringError(f"{here}: END SOLUTION without a BEGIN SOLUTION before it.")
            in_block = False
            if variant == "exercise":
                out.extend(placeholders or [indent + DEFAULT_PLACEHOLDER])
            continue
        placeholder = _PLACEHOLDER.match(line)
        if placeholder:
            if not in_block:
                raise AuthoringError(f"{here}: PLACEHOLDER outside a BEGIN/END SOLUTION block.")
            placeholders.append(placeholder.group("indent") + placeholder.group("code"))
            continue
        if in_block:
            if _ANY_CODE_MARKER.search(line):
                raise AuthoringError(f"{here}: a solution marker inside a BEGIN/END block; remove it.")
            if variant == "solution":
                out.append(line)
            continue
        single = _SOLUTION_LINE.match(line)
        if single and not single.group("body").lstrip().startswith("#"):
            body = single.group("body")
            head = _assignment_head(body, here)  # validated for both versions
            if variant == "solution":
                out.append(body.rstrip())
            else:
                lead = body[: len(body) - len(body.lstrip())]
                out.append(f"{lead}{head} {ANSWER_SUFFIX}")
            continue
        if _ANY_CODE_MARKER.search(line):
            raise AuthoringError(
                f"{here}: solution markers must be alone on their line (BEGIN/END/PLACEHOLDER) "
                "or end an assignment ('# SOLUTION')."
            )
        out.append(line)
    if in_block:
        raise AuthoringError(f"{where}, line {start}: BEGIN SOLUTION is never closed by END SOLUTION.")
    return "\n".join(out)


def exercise_code(source: str, where: str = "cell") -> str:
    """The exercise version of a code cell source (solutions replaced)."""
    return _code(source, "exercise", where)


def solution_code(source: str, where: str = "cell") -> str:
    """The solution version of a code cell source (marker comments removed)."""
    return _code(source, "solution", where)


def _markdown(source: str, variant: Variant, where: str) -> str:
    """Transform one markdown cell source for ``variant``."""
    lines = _split(source)
    out: list[str] = []
    in_block = False
    start = 0
    for number, line in enumerate(lines, start=1):
        here = f"{where}, line {number}"
        if _MD_BEGIN.match(line):
            if in_block:
                raise AuthoringError(f"{here}: BEGIN SOLUTION inside another block (opened on line {start}).")
            in_block, start = True, number
            continue
        if _MD_END.match(line):
            if not in_block:
                raise AuthoringError(f"{here}: END SOLUTION without a BEGIN SOLUTION before it.")
            in_block = False
            continue
        if _ANY_MD_MARKER.search(line):
            raise AuthoringError(f"{here}: put <!-- BEGIN SOLUTION --> / <!-- END SOLUTION --> alone on a line.")
        if in_block and variant == "exercise":
            continue
        out.append(line)
    if in_block:
        raise AuthoringError(f"{where}, line {start}: BEGIN SOLUTION is never closed by END SOLUTION.")
    # Removing a block at the end would leave blank lines behind.
    return "\n".join(out).rstrip("\n")


def exercise_markdown(source: str, where: str = "cell") -> str:
    """The exercise version of a markdown cell (solution blocks removed)."""
    return _markdown(source, "exercise", where)


def solution_markdown(source: str, where: str = "cell") -> str:
    """The solution version of a markdown cell (marker lines removed)."""
    return _markdown(source, "solution", where)


# --------------------------------------------------------------- notebooks
def _cell_id(name: str, index: int) -> str:
    """A stable nbformat 4.5 cell id from the notebook name and cell index."""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", name)[:54] or "cell"
    return f"{prefix}-{index:03d}"


def _tags(cell: NotebookNode) -> list[str]:
    tags = cell.get("metadata", {}).get("tags", [])
    return [str(t) for t in tags] if isinstance(tags, list) else []


def make_notebook(source_nb: NotebookNode, name: str, variant: Variant) -> NotebookNode:
    """Return the ``variant`` (``"exercise"`` or ``"solution"``) of a source notebook.

    Outputs and execution counts are cleared; cell ids are ``<name>-<index>``
    where index is the cell's position in the source notebook.
    """
    cells = []
    for index, cell in enumerate(source_nb.cells):
        where = f"{name}.ipynb, cell {index + 1}"
        tags = _tags(cell)
        if TAG_SOLUTION_ONLY in tags and TAG_EXERCISE_ONLY in tags:
            raise AuthoringError(f"{where}: a cell cannot be both solution-only and exercise-only.")
        if variant == "exercise" and TAG_SOLUTION_ONLY in tags:
            continue
        if variant == "solution" and TAG_EXERCISE_ONLY in tags:
            continue
        text = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        metadata = {k: copy.deepcopy(v) for k, v in cell.get("metadata", {}).items() if k not in _VOLATILE_CELL_METADATA}
        cell_id = _cell_id(name, index)
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(source=_code(text, variant, where), metadata=metadata)
        elif cell.cell_type == "markdown":
            body = _markdown(text, variant, where)
            if variant == "exercise" and not body.strip() and text.strip():
                continue
            new = nbformat.v4.new_markdown_cell(source=body, metadata=metadata)
            if "attachments" in cell:
                new["attachments"] = copy.deepcopy(cell["attachments"])
        else:
            new = nbformat.v4.new_raw_cell(source=text, metadata=metadata)
        new["id"] = cell_id
        cells.append(new)
    metadata = {k: copy.deepcopy(v) for k, v in source_nb.get("metadata", {}).items() if k not in _VOLATILE_NB_METADATA}
    metadata.setdefault("kernelspec", dict(DEFAULT_KERNELSPEC))
    metadata[METADATA_KEY] = {
        "generated_from": f"{name}.ipynb",
        "variant": variant,
        "note": "Generated file: edit src/exercise_sources/ and run python -m balancing_act.authoring.",
    }
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    return notebook


def render(notebook: NotebookNode) -> str:
    """Serialise a notebook deterministically (nbformat JSON, final newline)."""
    nbformat.validate(notebook)
    text = nbformat.writes(notebook, version=4)
    return text if text.endswith("\n") else text + "\n"


def _structure(data: Any) -> Any:
    """The parts of a notebook JSON that ``--check`` compares."""
    if not isinstance(data, dict):
        return None
    cells: list[dict[str, Any] | None] = []
    for cell in data.get("cells", []) if isinstance(data.get("cells"), list) else []:
        if not isinstance(cell, dict):
            cells.append(None)
            continue
        source = cell.get("source", "")
        cells.append(
            {
                "id": cell.get("id"),
                "cell_type": cell.get("cell_type"),
                "source": "".join(source) if isinstance(source, list) else source,
                "metadata": {
                    k: v for k, v in (cell.get("metadata") or {}).items() if k not in _VOLATILE_CELL_METADATA
                },
                "attachments": cell.get("attachments"),
            }
        )
    return {
        "nbformat": data.get("nbformat"),
        "nbformat_minor": data.get("nbformat_minor"),
        "metadata": {k: v for k, v in (data.get("metadata") or {}).items() if k not in _VOLATILE_NB_METADATA},
        "cells": cells,
    }


def _first_difference(expected: Any, actual: Any) -> str:
    """A short description of where two notebook structures differ."""
    if actual is None:
        return "not a notebook"
    if expected["metadata"] != actual["metadata"]:
        return "notebook metadata differs"
    exp_cells, act_cells = expected["cells"], actual["cells"]
    for index, (want, got) in enumerate(zip(exp_cells, act_cells, strict=False), start=1):
        if want != got:
            if got is None:
                return f"cell {index} is not a cell"
            part = next((k for k in want if want[k] != got.get(k)), "content")
            return f"cell {index} {part} differs"
    if len(exp_cells) != len(act_cells):
        return f"has {len(act_cells)} cells, expected {len(exp_cells)}"
    return "format version differs"


# -------------------------------------------------------------------- build
@dataclass(frozen=True)
class _Target:
    path: Path
    text: str
    source: Path


@dataclass
class BuildReport:
    """What :func:`build` did: files written and files already up to date."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    @property
    def targets(self) -> list[Path]:
        """Every generated notebook, written or not, in build order."""
        return sorted([*self.written, *self.unchanged])


def _sources(src_dir: Path, names: Sequence[str] | None) -> list[Path]:
    """Source notebooks in ``src_dir`` (sorted), optionally only ``names``."""
    found = sorted(p for p in src_dir.glob("*.ipynb") if p.is_file())
    if names:
        wanted = {n[:-6] if n.endswith(".ipynb") else n for n in names}
        unknown = wanted - {p.stem for p in found}
        if unknown:
            raise AuthoringError(f"no source notebook named {', '.join(sorted(unknown))} in {src_dir}")
        found = [p for p in found if p.stem in wanted]
    return found


def _plan(src_dir: Path, exercises_dir: Path, solutions_dir: Path, names: Sequence[str] | None) -> list[_Target]:
    """Read each source and render both versions (no file is written)."""
    targets = []
    for source in _sources(src_dir, names):
        try:
            notebook = nbformat.read(source, as_version=4)
        except Exception as exc:  # report any unreadable notebook clearly
            raise AuthoringError(f"{source.name}: cannot read the notebook ({exc}).") from exc
        for variant, folder in (("exercise", exercises_dir), ("solution", solutions_dir)):
            text = render(make_notebook(notebook, source.stem, variant))  # type: ignore[arg-type]
            targets.append(_Target(folder / source.name, text, source))
    return targets


#: Deepest nesting accepted in a generated notebook (outputs such as chart specs nest
#: more deeply than the course's own JSON files; the course's notebooks use 13 levels).
_NOTEBOOK_DEPTH: Final = 100


def _read_json(path: Path) -> Any:
    try:
        return json_input.loads(path.read_text(encoding="utf-8"), max_depth=_NOTEBOOK_DEPTH)
    except (OSError, ValueError):
        return None


def build(
    src_dir: str | os.PathLike[str],
    exercises_dir: str | os.PathLike[str],
    solutions_dir: str | os.PathLike[str],
    *,
    names: Sequence[str] | None = None,
) -> BuildReport:
    """Write the exercise and solution notebook for every source notebook.

    Steps:

    1. list ``src_dir/*.ipynb`` (sorted; ``names`` selects some);
    2. make the exercise and solution versions of each (markers applied,
       outputs cleared, stable cell ids);
    3. render them as deterministic nbformat JSON;
    4. write each target whose content differs from the file on disk
       (outputs ignored), so up-to-date executed notebooks keep their outputs.

    Raises :class:`AuthoringError` for misused markers.
    """
    report = BuildReport()
    for target in _plan(Path(src_dir), Path(exercises_dir), Path(solutions_dir), names):
        existing = _read_json(target.path) if target.path.exists() else None
        if existing is not None and _structure(existing) == _structure(json.loads(target.text)):
            report.unchanged.append(target.path)
            continue
        target.path.parent.mkdir(parents=True, exist_ok=True)
        target.path.write_text(target.text, encoding="utf-8", newline="\n")
        report.written.append(target.path)
    return report


def check(
    src_dir: str | os.PathLike[str],
    exercises_dir: str | os.PathLike[str],
    solutions_dir: str | os.PathLike[str],
    *,
    names: Sequence[str] | None = None,
) -> list[str]:
    """List generated notebooks that are missing, stale or orphaned.

    Outputs, execution counts, ``language_info`` and timing metadata are
    ignored.  An empty list means everything is up to date.
    """
    problems = []
    targets = _plan(Path(src_dir), Path(exercises_dir), Path(solutions_dir), names)
    for target in targets:
        if not target.path.exists():
            problems.append(f"{target.path}: missing (source {target.source.name})")
            continue
        expected = _structure(json.loads(target.text))
        actual = _structure(_read_json(target.path))
        if expected != actual:
            problems.append(f"{target.path}: out of date ({_first_difference(expected, actual)})")
    if not names:
        known = {t.path.resolve() for t in targets}
        for folder in (Path(exercises_dir), Path(solutions_dir)):
            for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
                data = _read_json(path)
                meta = data.get("metadata", {}).get(METADATA_KEY) if isinstance(data, dict) else None
                if isinstance(meta, dict) and path.resolve() not in known:
                    problems.append(f"{path}: generated from {meta.get('generated_from')}, which no longer exists")
    return problems


# ------------------------------------------------------------------ execute
@contextlib.contextmanager
def _scratch_progress() -> Iterator[Path]:
    """Point ``BALANCING_ACT_PROGRESS`` into a temporary folder while executing.

    Yields the folder; :func:`execute` gives each notebook a fresh file in it, so what one
    notebook records cannot change what another shows.
    """
    previous = os.environ.get("BALANCING_ACT_PROGRESS")
    with tempfile.TemporaryDirectory(prefix="balancing-act-exec-") as folder:
        os.environ["BALANCING_ACT_PROGRESS"] = str(Path(folder) / "progress.json")
        try:
            yield Path(folder)
        finally:
            if previous is None:
                os.environ.pop("BALANCING_ACT_PROGRESS", None)
            else:
                os.environ["BALANCING_ACT_PROGRESS"] = previous


def execute(
    paths: Iterable[str | os.PathLike[str]],
    *,
    timeout: int = 300,
    kernel_name: str = "python3",
    allow_errors: bool = False,
) -> list[Path]:
    """Execute notebooks in place so they carry outputs; return the paths.

    Each notebook runs with nbclient in its own folder.  Timing metadata and
    widget state are not stored, so the files change only when outputs do.
    Raises :class:`NotebookExecutionError` if a cell fails (unless
    ``allow_errors``) or the kernel cannot run it.
    """
    from nbclient import NotebookClient  # imported here: only this step needs it

    done = []
    with _scratch_progress() as scratch:
        for index, item in enumerate(paths):
            path = Path(item)
            os.environ["BALANCING_ACT_PROGRESS"] = str(scratch / f"progress-{index}.json")
            notebook = nbformat.read(path, as_version=4)
            notebook.metadata.pop("widgets", None)  # stale widget state from another run
            client = NotebookClient(
                notebook,
                timeout=timeout,
                kernel_name=kernel_name,
                allow_errors=allow_errors,
                record_timing=False,
                store_widget_state=False,
                resources={"metadata": {"path": str(path.parent.resolve())}},
            )
            try:
                client.execute()
            except Exception as exc:  # nbclient raises CellExecutionError, timeouts, kernel deaths
                raise NotebookExecutionError(f"{path}: executing failed:\n{exc}") from exc
            path.write_text(render(notebook), encoding="utf-8", newline="\n")
            done.append(path)
    return done


# ---------------------------------------------------------------------- CLI
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m balancing_act.authoring",
        description="Build exercise and solution notebooks from src/exercise_sources/.",
    )
    parser.add_argument("names", nargs="*", help="only these source notebooks (default: all)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: current folder)")
    parser.add_argument("--source-dir", type=Path, help="default: ROOT/src/exercise_sources")
    parser.add_argument("--exercises-dir", type=Path, help="default: ROOT/exercises")
    parser.add_argument("--solutions-dir", type=Path, help="default: ROOT/solutions")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="list stale files and exit 1 if any (no writing)")
    mode.add_argument("--execute", action="store_true", help="build, then execute every target to store outputs")
    parser.add_argument(
        "--lessons", action="store_true", help="with --execute, also re-execute every notebook in ROOT/lessons"
    )
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell when executing (default 300)")
    parser.add_argument("--allow-errors", action="store_true", help="keep going when a cell raises while executing")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    args = _parser().parse_args(argv)
    root: Path = args.root
    src = args.source_dir or root / "src" / "exercise_sources"
    exercises = args.exercises_dir or root / "exercises"
    solutions = args.solutions_dir or root / "solutions"
    if not src.is_dir():
        print(f"error: no source folder {src}", file=sys.stderr)
        return 2
    try:
        if args.check:
            problems = check(src, exercises, solutions, names=args.names)
            for line in problems:
                print(line)
            if problems:
                print(f"{len(problems)} generated notebook(s) out of date; run python -m balancing_act.authoring --execute")
                return 1
            print("Exercise and solution notebooks are up to date.")
            return 0
        report = build(src, exercises, solutions, names=args.names)
    except AuthoringError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in report.written:
        print(f"wrote {path}")
    print(f"{len(report.written)} written, {len(report.unchanged)} unchanged")
    if args.execute:
        targets = list(report.targets)
        if args.lessons:
            targets += sorted((root / "lessons").glob("*.ipynb"))
        try:
            for path in execute(targets, timeout=args.timeout, allow_errors=args.allow_errors):
                print(f"executed {path}")
        except NotebookExecutionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    elif report.written:
        print("Written notebooks have no outputs yet; run with --execute to store them.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
