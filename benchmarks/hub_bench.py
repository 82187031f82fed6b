"""Class-hub benchmark: five students on a real JupyterHub, judged against budgets.

The figures come from tests/test_hub.py, which starts JupyterHub with configurable-http-proxy on
127.0.0.1, has five students log in at the same time, pull the course with nbgitpuller, run Lesson 0
in a kernel and answer a quiz question and an exercise check, and writes build/hub-timings.json.

    .venv/bin/python benchmarks/hub_bench.py          # read build/hub-timings.json
    .venv/bin/python benchmarks/hub_bench.py --run    # run tests/test_hub.py first, then read it

Budgets (2 cores, five students started together):

- the whole scenario, from starting the hub to the second pull: < 90 s;
- each student's time from logging in to the end of Lesson 0's last code cell: < 60 s;
- each student's server (jupyterhub-singleuser) resident memory: < 250 MB;
- each student's server with its kernel: < 500 MB (this is what a hub must plan per student:
  z2jh's singleuser.memory.guarantee and TLJH's limits.memory in deploy/jupyterhub/).

Times depend on what else the machine is doing; the 1-minute load average at the end of the run is
reported next to them. Exit code 0 when every budget passes, 1 otherwise, 2 when there are no figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TIMINGS = ROOT / "build" / "hub-timings.json"
BUDGET_SCENARIO = 90.0
BUDGET_FIRST_LESSON = 60.0
BUDGET_SERVER_MB = 250.0
BUDGET_SERVER_AND_KERNEL_MB = 500.0


def run_scenario() -> int:
    """Run the hub test (it writes build/hub-timings.json); return pytest's exit code."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_hub.py"]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def hub_figures(path: Path = TIMINGS) -> dict[str, Any]:
    """The recorded figures, each with its budget and whether it passes.

    Raises ``FileNotFoundError`` with the command to run when the test has not written them yet.
    """
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run `.venv/bin/python benchmarks/hub_bench.py --run`")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    students = recorded["students_detail"]
    rows = [("scenario, hub start to second pull (s)", recorded["scenario_seconds"], BUDGET_SCENARIO)]
    for name, figures in sorted(students.items()):
        rows += [
            (f"{name}: login to first executed lesson (s)", figures["seconds_to_first_executed_lesson"], BUDGET_FIRST_LESSON),
            (f"{name}: server RSS (MB)", figures["server_mb"], BUDGET_SERVER_MB),
            (f"{name}: server + kernel RSS (MB)", figures["server_and_kernel_mb"], BUDGET_SERVER_AND_KERNEL_MB),
        ]
    return {
        "students": recorded["students"],
        "cores": recorded["cores"],
        "load_average_1min": recorded.get("load_average_1min"),
        "hub_ready_seconds": recorded.get("hub_ready_seconds"),
        "figures": [{"what": what, "value": value, "budget": budget, "ok": value < budget} for what, value, budget in rows],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="store_true", help="run tests/test_hub.py first")
    args = parser.parse_args(argv)
    if args.run and run_scenario() != 0:
        print("tests/test_hub.py failed; figures below are from its last complete run, if any", file=sys.stderr)
    try:
        result = hub_figures()
    except FileNotFoundError as missing:
        print(missing, file=sys.stderr)
        return 2
    print(f"{result['students']} students, {result['cores']} cores, load average {result['load_average_1min']}, "
          f"hub ready after {result['hub_ready_seconds']} s")
    width = max(len(row["what"]) for row in result["figures"])
    for row in result["figures"]:
        mark = "ok  " if row["ok"] else "OVER"
        print(f"{mark} {row['what']:<{width}}  {row['value']:>8}  (budget < {row['budget']:g})")
    return 0 if all(row["ok"] for row in result["figures"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
