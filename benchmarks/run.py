"""Course benchmark: prints a table of figures against their budgets and writes build/benchmark.json.

Run from the project root:

    .venv/bin/python benchmarks/run.py            # everything (includes the README test command)
    .venv/bin/python benchmarks/run.py --quick    # skip the README test command

Figures and budgets:

- each notebook's execution time against its *floor*: the same kernel start and the same
  imports with no content, measured in the same run; the ratio is budgeted for lessons (<= 1.3);
- each notebook's size on disk (<= 300 KB);
- the package's import time over pandas and altair (<= 0.3 s), median of several fresh processes;
- data load time per dataset (median, reported);
- the README's test command, wall time (< 180 s on 2 cores).

Exit code 0 when every budget passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BUDGET_RATIO = 1.3
BUDGET_SIZE = 300_000
BUDGET_IMPORT = 0.3
BUDGET_SUITE = 180.0
REPEATS = 5


def _imports_only(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook's floor: one cell with every import statement of its code cells, nothing else."""
    lines: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                statement = ast.get_source_segment(cell.source, node)
                if statement and statement not in lines:
                    lines.append(statement)
    floor = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("\n".join(lines))])
    floor.metadata = notebook.metadata
    return floor


def _run(notebook: nbformat.NotebookNode, folder: Path) -> float:
    """Seconds to start a kernel, execute the notebook and shut the kernel down."""
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def notebooks() -> list[Path]:
    return [p for folder in ("lessons", "exercises", "solutions") for p in sorted((ROOT / folder).glob("*.ipynb"))]


def bench_notebooks(scratch: Path) -> list[dict[str, object]]:
    rows = []
    for path in notebooks():
        notebook = nbformat.read(path, as_version=4)
        os.environ["BALANCING_ACT_PROGRESS"] = str(scratch / f"{path.parent.name}-{path.stem}.json")
        floor = min(_run(_imports_only(notebook), path.parent) for _ in range(2))
        full = min(_run(nbformat.read(path, as_version=4), path.parent) for _ in range(2))
        ratio = full / floor
        size = path.stat().st_size
        is_lesson = path.parent.name == "lessons"
        rows.append(
            {
                "notebook": f"{path.parent.name}/{path.name}",
                "floor_s": round(floor, 2),
                "run_s": round(full, 2),
                "ratio": round(ratio, 2),
                "ratio_budget": BUDGET_RATIO if is_lesson else None,
                "ratio_ok": (ratio <= BUDGET_RATIO) if is_lesson else None,
                "size_kb": round(size / 1000, 1),
                "size_ok": size <= BUDGET_SIZE,
            }
        )
    return rows


def _median_seconds(code: str) -> float:
    times = []
    for _ in range(REPEATS):
        out = subprocess.run(
            [sys.executable, "-c", f"import time; t=time.perf_counter(); {code}; print(time.perf_counter()-t)"],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def bench_import() -> dict[str, object]:
    modules = sorted(
        "balancing_act." + p.relative_to(ROOT / "src" / "balancing_act").with_suffix("").as_posix().replace("/", ".")
        for p in (ROOT / "src" / "balancing_act").rglob("*.py")
        if p.name != "__init__.py" and p.name != "__main__.py"
    )
    base = _median_seconds("import pandas, altair")
    full = _median_seconds("import pandas, altair; " + "; ".join(f"import {m}" for m in modules))
    extra = full - base
    return {"pandas_altair_s": round(base, 3), "with_package_s": round(full, 3), "package_over_s": round(extra, 3),
            "budget_s": BUDGET_IMPORT, "ok": extra <= BUDGET_IMPORT, "modules": len(modules)}


def bench_data() -> list[dict[str, object]]:
    code = (
        "import json, statistics, time\n"
        "from balancing_act.data import list_datasets, load\n"
        "out = {}\n"
        "for name in list_datasets():\n"
        "    times = []\n"
        "    for _ in range(7):\n"
        "        t = time.perf_counter(); load(name); times.append(time.perf_counter() - t)\n"
        "    out[name] = statistics.median(times)\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return [{"dataset": k, "load_ms": round(v * 1000, 2)} for k, v in json.loads(result.stdout).items()]


def readme_test_command() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- command:test -->", 1)[1]
    return re.search(r"```sh\n(.+?)\n```", block, flags=re.DOTALL).group(1).strip()


def bench_suite() -> dict[str, object]:
    command = readme_test_command()
    start = time.perf_counter()
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    summary = next((line for line in reversed(result.stdout.splitlines()) if " passed" in line or " failed" in line), "")
    return {"command": command, "wall_s": round(seconds, 1), "budget_s": BUDGET_SUITE,
            "ok": result.returncode == 0 and seconds < BUDGET_SUITE, "exit_code": result.returncode, "summary": summary.strip("= ")}


def _table(rows: list[dict[str, object]], columns: list[str]) -> str:
    widths = [max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str("" if row.get(c) is None else row.get(c)).ljust(w) for c, w in zip(columns, widths)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip timing the README test command")
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "benchmark.json")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="balancing-act-bench-") as scratch:
        nb_rows = bench_notebooks(Path(scratch))
    imports = bench_import()
    data_rows = bench_data()
    suite = None if args.quick else bench_suite()

    print("Notebooks (execution against the floor: same kernel start and imports, no content)")
    print(_table(nb_rows, ["notebook", "floor_s", "run_s", "ratio", "ratio_budget", "ratio_ok", "size_kb", "size_ok"]))
    print()
    print(f"Package import over pandas+altair: {imports['package_over_s']:.3f} s "
          f"({imports['with_package_s']:.3f} s vs {imports['pandas_altair_s']:.3f} s; budget {BUDGET_IMPORT} s) "
          f"-> {'pass' if imports['ok'] else 'FAIL'}")
    print()
    print("Data load time (median of 7)")
    print(_table(data_rows, ["dataset", "load_ms"]))
    if suite is not None:
        print()
        print(f"README test command: {suite['wall_s']} s (budget < {BUDGET_SUITE:.0f} s), exit {suite['exit_code']}, "
              f"{suite['summary']} -> {'pass' if suite['ok'] else 'FAIL'}")

    checks = [r["ratio_ok"] for r in nb_rows if r["ratio_ok"] is not None] + [r["size_ok"] for r in nb_rows] + [imports["ok"]]
    if suite is not None:
        checks.append(suite["ok"])
    passed = all(checks)
    print()
    print(f"Budgets: {sum(checks)} of {len(checks)} pass -> {'PASS' if passed else 'FAIL'}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"notebooks": nb_rows, "import": imports, "data": data_rows, "readme_test_command": suite,
                                       "all_budgets_pass": passed}, indent=1) + "\n", encoding="utf-8")
    print(f"Wrote {args.output.relative_to(ROOT)}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
