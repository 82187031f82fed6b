"""Benchmark of the website build: time, size, slide decks and worksheets.

Run from the project root (needs the ``site`` extra):

    .venv/bin/python benchmarks/site_bench.py          # prints the figures; exit 1 over budget

or from Python: ``bench_site()`` returns ``{"seconds": ..., "budget_s": 30.0, "pass": ...,
"bytes": ..., "files": ..., "pages": ..., "slides": ..., "worksheets": ...,
"vendor_bundle_s": ...}``.

The site is built into a temporary folder from the stored notebooks, exactly as the
README's site command builds it. The chart-library bundle is made once per version and
kept in ``build/vendor/``; the time to make it (only on a first build) is reported
separately as ``vendor_bundle_s`` and not counted in ``seconds``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BUDGET_S = 30.0
ROOT = Path(__file__).resolve().parents[1]


def bench_site(root: Path = ROOT) -> dict[str, Any]:
    from balancing_act import site

    vendor = root / "build" / "vendor"
    started = time.perf_counter()
    site.vega_bundle(vendor)
    bundle_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="balancing-act-site-bench-") as tmp:
        report = site.build(root, Path(tmp), vendor=vendor)
        size, files = report.size()
        seconds = report.seconds
        return {
            "seconds": round(seconds, 2),
            "budget_s": BUDGET_S,
            "pass": seconds <= BUDGET_S,
            "bytes": size,
            "files": files,
            "pages": report.pages,
            "slides": len(report.slides),
            "worksheets": len(report.worksheets),
            "vendor_bundle_s": round(bundle_s, 2),
        }


if __name__ == "__main__":
    result = bench_site()
    print(json.dumps(result, indent=2))
    sys.exit(0 if result["pass"] else 1)
