"""Build ``data/world_bank_gdp.csv`` from the World Bank's GDP series as packaged by datasets/gdp.

Input
-----
``data/gdp.csv`` of the public repository https://github.com/datasets/gdp (Open Data
Commons PDDL), a normalised copy of the World Bank indicator NY.GDP.MKTP.CD (GDP, current
US$): columns ``Country Name``, ``Country Code``, ``Year``, ``Value`` (US dollars). Fetch it
again with::

    git clone https://github.com/datasets/gdp   # the course used commit 822019c (2026-03-20)

Output
------
``world_bank_gdp.csv``: one row per year and economy for the economies the lessons use
(:data:`ECONOMIES`), GDP in billions of current US dollars rounded to the million. North
Korea is not in the World Bank series; the course takes its figures from the Bank of
Korea (dataset ``dprk_bok_estimates``).

Run::

    python -m balancing_act.build.gdp path/to/gdp/data/gdp.csv --out data
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["ECONOMIES", "GDP_FILE", "SOURCE_ID", "GdpBuildError", "main", "read_rows", "select"]

GDP_FILE = "world_bank_gdp.csv"
SOURCE_ID = "wb_gdp;datasets_gdp"
#: World Bank code -> name used in the course.
ECONOMIES: dict[str, str] = {
    "CHN": "China",
    "RUS": "Russia",
    "USA": "United States",
    "KOR": "South Korea",
    "JPN": "Japan",
    "EUU": "European Union",
    "WLD": "World",
}
_HEADER = ["Country Name", "Country Code", "Year", "Value"]
COLUMNS = ["year", "economy", "code", "gdp_usd_bn", "source_id"]


class GdpBuildError(RuntimeError):
    """The GDP file cannot be built into the course table; the message says why and what to do."""


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of the datasets/gdp CSV file, checked for its header."""
    path = Path(path)
    if not path.is_file():
        raise GdpBuildError(f"{path} does not exist. Pass data/gdp.csv of https://github.com/datasets/gdp.")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != _HEADER:
            raise GdpBuildError(f"{path}: the header is {reader.fieldnames}; expected {_HEADER} (datasets/gdp's data/gdp.csv).")
        return list(reader)


def select(rows: Sequence[dict[str, str]]) -> list[dict[str, object]]:
    """The course's economies, sorted by economy then year, GDP in billion US$ (3 decimals)."""
    out: list[dict[str, object]] = []
    seen: set[tuple[str, int]] = set()
    for line, row in enumerate(rows, start=2):
        code = row["Country Code"]
        if code not in ECONOMIES:
            continue
        try:
            year, value = int(row["Year"]), float(row["Value"])
        except ValueError:
            raise GdpBuildError(f"line {line}: year {row['Year']!r} or value {row['Value']!r} is not a number.") from None
        if not math.isfinite(value) or value <= 0:
            raise GdpBuildError(f"line {line}: GDP of {code} in {year} is {value!r}; expected a positive number of US dollars.")
        if (code, year) in seen:
            raise GdpBuildError(f"line {line}: a second value for {code} in {year}.")
        seen.add((code, year))
        out.append(
            {"year": year, "economy": ECONOMIES[code], "code": code, "gdp_usd_bn": round(value / 1e9, 3), "source_id": SOURCE_ID}
        )
    missing = sorted(set(ECONOMIES) - {code for code, _ in seen})
    if missing:
        raise GdpBuildError(f"no rows for {missing}; is this the World Bank series NY.GDP.MKTP.CD?")
    order = list(ECONOMIES)
    return sorted(out, key=lambda r: (order.index(str(r["code"])), int(r["year"])))  # type: ignore[call-overload]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m balancing_act.build.gdp", description=f"Build data/{GDP_FILE}.")
    parser.add_argument("gdp_csv", type=Path, help="data/gdp.csv of https://github.com/datasets/gdp")
    parser.add_argument("--out", type=Path, default=Path("data"), help="folder to write to (default: data)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        rows = select(read_rows(args.gdp_csv))
        if not args.out.is_dir():
            raise GdpBuildError(f"{args.out} is not a folder. Pass --out with the course's data/ folder.")
    except GdpBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    target = args.out / GDP_FILE
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":  # pragma: no cover - the command-line entry point
    raise SystemExit(main())
