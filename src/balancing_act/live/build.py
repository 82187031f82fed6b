"""Bundle the live chart's front end with Vega, Vega-Lite and Vega-Embed (offline, with vl-convert).

``python -m balancing_act.live.build`` writes ``live_chart.bundle.js`` next to ``live_chart.js``;
``--check`` exits 1 when the bundle is missing or out of date. The bundle starts with a line naming
the source's SHA-256 and the Vega-Lite version, so a test can tell whether it is stale without
rebuilding it.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

HERE: Final = Path(__file__).parent
SOURCE: Final = HERE / "live_chart.js"
BUNDLE: Final = HERE / "live_chart.bundle.js"
VEGA_LITE: Final = "5.20"


def stamp(source: str) -> str:
    """The first line of the bundle: what it was built from."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return f"// balancing_act live chart: source sha256 {digest}, Vega-Lite {VEGA_LITE}; built by python -m balancing_act.live.build\n"


def build() -> str:
    import vl_convert

    source = SOURCE.read_text(encoding="utf-8")
    body = "\n".join(line for line in source.splitlines() if not line.startswith("//"))
    return stamp(source) + vl_convert.javascript_bundle(body, vl_version=VEGA_LITE) + "\n"


def is_current() -> bool:
    if not BUNDLE.is_file():
        return False
    with BUNDLE.open(encoding="utf-8") as handle:
        first = handle.readline()
    return first == stamp(SOURCE.read_text(encoding="utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m balancing_act.live.build", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the bundle is missing or stale")
    args = parser.parse_args(argv)
    if args.check:
        ok = is_current()
        print("live chart bundle is up to date" if ok else "live chart bundle is stale: run python -m balancing_act.live.build")
        return 0 if ok else 1
    BUNDLE.write_text(build(), encoding="utf-8")
    print(f"wrote {BUNDLE.name} ({BUNDLE.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
