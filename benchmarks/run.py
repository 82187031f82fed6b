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
- the website build (time, size, slides and worksheets; budget 30 s), the class report for 200
  learners (budget 2 s) and the class hub (time to a first executed lesson and memory per student);
- every explorer in headless Chromium: time from a control change to the redrawn output
  (median < 100 ms and 95th percentile < 250 ms per explorer), measured by the browser test
  ``test_explorer_change_to_redrawn_output`` that this script runs;
- this machine's speed at the start and end of the run: the time of a fixed piece of pure-Python
  work (reported, not budgeted), to tell a slow hour from slow code;
- the README's test command: wall time, and the time of each part of the suite (from a JUnit
  report), against 4 minutes on 2 cores, plus 90 s for the class hub test and 60 s for the
  website build and test where those parts exist.

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
from classroom_bench import bench_class_report
from hub_bench import hub_figures, run_scenario
from nbclient import NotebookClient
from site_bench import bench_site

ROOT = Path(__file__).resolve().parents[1]
BUDGET_RATIO = 1.3
BUDGET_SIZE = 300_000
BUDGET_IMPORT = 0.3
BUDGET_SUITE = 240.0
REPEATS = 5
BUDGET_EXPLORER_MEDIAN = 0.100
BUDGET_EXPLORER_P95 = 0.250
# Parts of the suite, in the order printed: (name, how to recognise a test's file, own budget).
# Parts with their own budget add it to the suite's; the others share BUDGET_SUITE.
SUITE_PARTS = [
    ("class hub test", lambda f: f == "tests/test_hub.py", 90.0),
    ("website build and test", lambda f: f.startswith("tests/test_site"), 60.0),
    ("browser tests", lambda f: f.startswith("tests/e2e/") and f != "tests/e2e/test_open_command.py", None),
    ("Binder environment and README open command",
     lambda f: f in ("tests/test_binder.py", "tests/e2e/test_open_command.py"), None),
    ("notebooks (strict nbval, offline)", lambda f: f.split("/")[0] in ("lessons", "solutions", "exercises"), None),
    ("unit and property tests", lambda f: True, None),
]


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


def _part(test_file: str) -> str:
    return next(name for name, matches, _budget in SUITE_PARTS if matches(test_file))


def suite_parts(junit: Path) -> tuple[float, dict[str, dict[str, float]]]:
    """The session's duration and, per part, the summed time and count of its tests (JUnit xunit1 report)."""
    import xml.etree.ElementTree as ET

    tree = ET.parse(junit)
    suite = tree.getroot() if tree.getroot().tag == "testsuite" else tree.getroot().find("testsuite")
    parts: dict[str, dict[str, float]] = {}
    for case in suite.iter("testcase"):
        test_file = case.get("file") or case.get("classname", "").replace(".", "/") + ".py"
        part = parts.setdefault(_part(test_file), {"seconds": 0.0, "tests": 0})
        part["seconds"] += float(case.get("time") or 0)
        part["tests"] += 1
    return float(suite.get("time") or 0), parts


def bench_suite() -> dict[str, object]:
    command = readme_test_command()
    junit = ROOT / "build" / "suite-junit.xml"
    junit.unlink(missing_ok=True)
    env = dict(os.environ, PYTEST_ADDOPTS=f"--junitxml={junit} -o junit_family=xunit1")
    start = time.perf_counter()
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - start
    summary = next((line for line in reversed(result.stdout.splitlines()) if " passed" in line or " failed" in line), "")
    session_s, parts = suite_parts(junit) if junit.exists() else (0.0, {})
    budget = BUDGET_SUITE + sum(b for name, _m, b in SUITE_PARTS if b is not None and name in parts)
    rows = [
        {"part": name, "tests": int(parts[name]["tests"]), "test_time_s": round(parts[name]["seconds"], 1),
         "own_budget_s": own, "ok": None if own is None else parts[name]["seconds"] <= own}
        for name, _m, own in SUITE_PARTS if name in parts
    ]
    return {"command": command, "wall_s": round(seconds, 1), "pytest_session_s": round(session_s, 1),
            "install_and_start_s": round(seconds - session_s, 1), "budget_s": budget,
            "ok": result.returncode == 0 and seconds <= budget and all(r["ok"] is not False for r in rows),
            "exit_code": result.returncode, "summary": summary.strip("= "), "parts": rows}


def _reference_work() -> None:
    """A fixed piece of work in pure Python (a loop, string formatting, JSON): what most of the suite is."""
    rows = [{"i": i, "share": i / 7, "name": f"row {i}"} for i in range(60_000)]
    json.loads(json.dumps(rows))
    sum(len(f"{row['share']:.3f}") for row in rows)


def bench_machine() -> dict[str, float]:
    """How fast this machine is right now: the median time of the same reference work, five times.

    The figures of one run are comparable with each other; between runs, divide by this to tell
    a slower hour from slower code. A number, not a budget.
    """
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        _reference_work()
        times.append(time.perf_counter() - start)
    return {"reference_work_s": round(statistics.median(times), 3)}


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def bench_explorers() -> list[dict[str, object]]:
    """Drive every explorer in headless Chromium (the browser test) and read the times it records."""
    timings = ROOT / "build" / "e2e" / "timings.json"
    timings.unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "tests/e2e/test_2_interactions.py", "-k", "explorer_change_to_redrawn_output"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0 or not timings.exists():
        tail = (result.stdout + result.stderr)[-1500:]
        return [{"explorer": "(browser test failed)", "changes": 0, "median_ms": None, "p95_ms": None, "ok": False,
                 "detail": tail}]
    measured = json.loads(timings.read_text(encoding="utf-8"))["explorer_update_seconds"]
    rows = []
    for name, entry in sorted(measured.items()):
        samples = entry["samples"]
        median, p95 = statistics.median(samples), _p95(samples)
        rows.append({"explorer": name, "changes": len(samples), "median_ms": round(median * 1000),
                     "p95_ms": round(p95 * 1000),
                     "ok": median < BUDGET_EXPLORER_MEDIAN and p95 < BUDGET_EXPLORER_P95})
    return rows


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
    parser.add_argument("--no-browser", action="store_true", help="skip the explorer latencies (needs Chromium)")
    parser.add_argument("--no-hub", action="store_true", help="with --quick: skip the class hub scenario")
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "benchmark.json")
    args = parser.parse_args(argv)

    machine_start = bench_machine()
    with tempfile.TemporaryDirectory(prefix="balancing-act-bench-") as scratch:
        nb_rows = bench_notebooks(Path(scratch))
    imports = bench_import()
    data_rows = bench_data()
    explorers = [] if args.no_browser else bench_explorers()
    class_report = bench_class_report(200)
    site = bench_site()
    suite = None if args.quick else bench_suite()  # its hub test writes the hub figures
    if args.quick and not args.no_hub:
        run_scenario()
    try:
        hub = None if (args.quick and args.no_hub) else hub_figures()
    except FileNotFoundError as missing:
        hub = {"error": str(missing), "figures": []}

    machine_end = bench_machine()
    machine = {"start_s": machine_start["reference_work_s"], "end_s": machine_end["reference_work_s"]}
    print(f"Machine speed: the same reference work (pure Python, median of {REPEATS}) took {machine['start_s']} s at "
          f"the start of this run and {machine['end_s']} s at the end; compare figures of runs with similar times")
    print()
    print("Notebooks (execution against the floor: same kernel start and imports, no content)")
    print(_table(nb_rows, ["notebook", "floor_s", "run_s", "ratio", "ratio_budget", "ratio_ok", "size_kb", "size_ok"]))
    print()
    print(f"Package import over pandas+altair: {imports['package_over_s']:.3f} s "
          f"({imports['with_package_s']:.3f} s vs {imports['pandas_altair_s']:.3f} s; budget {BUDGET_IMPORT} s) "
          f"-> {'pass' if imports['ok'] else 'FAIL'}")
    print()
    print("Data load time (median of 7)")
    print(_table(data_rows, ["dataset", "load_ms"]))
    if explorers:
        print()
        print(f"Explorers in headless Chromium: control change -> redrawn output "
              f"(budget: median < {BUDGET_EXPLORER_MEDIAN * 1000:.0f} ms, p95 < {BUDGET_EXPLORER_P95 * 1000:.0f} ms)")
        print(_table(explorers, ["explorer", "changes", "median_ms", "p95_ms", "ok"]))
        for row in explorers:
            if "detail" in row:
                print(row["detail"])
    print()
    print(f"Class report for {class_report['learners']} learners: {class_report['seconds']} s "
          f"(budget {class_report['budget_s']} s; {class_report['charts']} charts, {class_report['html_bytes']} bytes) "
          f"-> {'pass' if class_report['pass'] else 'FAIL'}")
    print()
    print(f"Website build: {site['seconds']:.1f} s (budget {site['budget_s']:.0f} s), {site['bytes'] / 1e6:.1f} MB in "
          f"{site['files']} files, {site['pages']} pages, {site['slides']} slide decks, {site['worksheets']} worksheets "
          f"-> {'pass' if site['pass'] else 'FAIL'}")
    if hub is not None:
        print()
        print(f"Class hub, {hub.get('students', '?')} students started together on {hub.get('cores', '?')} cores "
              f"(1-minute load average at the end: {hub.get('load_average_1min', '?')})")
        if hub.get("error"):
            print(f"  no figures: {hub['error']}")
        else:
            print(_table(hub["figures"], ["what", "value", "budget", "ok"]))
    if suite is not None:
        print()
        print(f"README test command: {suite['wall_s']} s wall (budget <= {suite['budget_s']:.0f} s: "
              f"{BUDGET_SUITE:.0f} s plus the own budgets of the hub and website parts present), exit "
              f"{suite['exit_code']}, {suite['summary']} -> {'pass' if suite['ok'] else 'FAIL'}")
        print(f"  install and start {suite['install_and_start_s']} s, pytest session {suite['pytest_session_s']} s; "
              "per part, the summed time of its tests (the workers run parts side by side):")
        print(_table(suite["parts"], ["part", "tests", "test_time_s", "own_budget_s", "ok"]))

    checks = [r["ratio_ok"] for r in nb_rows if r["ratio_ok"] is not None] + [r["size_ok"] for r in nb_rows] + [imports["ok"]]
    checks += [r["ok"] for r in explorers] + [class_report["pass"], site["pass"]]
    if hub is not None:
        checks += [f["ok"] for f in hub["figures"]] or [False]
    if suite is not None:
        checks.append(suite["ok"])
    passed = all(checks)
    print()
    print(f"Budgets: {sum(checks)} of {len(checks)} pass -> {'PASS' if passed else 'FAIL'}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"machine": machine, "notebooks": nb_rows, "import": imports, "data": data_rows, "explorers": explorers,
                                       "class_report": class_report, "website": site, "class_hub": hub, "readme_test_command": suite,
                                       "all_budgets_pass": passed}, indent=1) + "\n", encoding="utf-8")
    print(f"Wrote {args.output.relative_to(ROOT)}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
