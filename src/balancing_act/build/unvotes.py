"""Build the course's UN General Assembly roll-call tables from Erik Voeten's voting data.

Input
-----
The R data files of the ``unvotes`` package (David Robinson and Nicholas
Goguen-Compagnoni, MIT licence), which repackage Erik Voeten's *United Nations General
Assembly Voting Data* (Harvard Dataverse, doi:10.7910/DVN/LEJUQZ, CC0): ``un_votes.rda``
(one row per roll call and country that voted yes, no or abstain) and
``un_roll_calls.rda`` (one row per roll call: date, session, resolution, subject).
Fetch them again from the package's repository, folder ``data/``::

    git clone https://github.com/dgrtwo/unvotes   # the course used commit 7eb7034 (2021-03-08)

and pass that folder (or any folder holding the two files) on the command line.

Output
------
Two CSV files in ``data/``, described in ``data/datapackage.json``:

* ``unga_roll_calls.csv``: one row per roll call from the first one on which the People's
  Republic of China voted (November 1971), with the votes of China, Russia (the Soviet
  Union until 1991), North Korea and the United States; an empty cell means the country
  did not vote (absent, or not yet a member);
* ``unga_china_agreement.csv``: per calendar year and partner, the number of roll calls
  on which China and the partner both voted, and the number on which they voted alike
  (:func:`balancing_act.topics.diplomacy.yearly_agreement`).

Run::

    python -m pip install -e ".[build]"
    python -m balancing_act.build.unvotes path/to/unvotes/data --out data

Reading the ``.rda`` files needs ``pyreadr``; it is imported only when a file is read,
so importing this module needs nothing beyond the course's own requirements.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from balancing_act.topics.diplomacy import ROLL_CALL_COUNTRIES, yearly_agreement

__all__ = [
    "AGREEMENT_FILE",
    "BuildError",
    "ROLL_CALLS_FILE",
    "SOURCE_IDS",
    "agreement_table",
    "main",
    "read_raw",
    "roll_call_table",
    "write",
]

ROLL_CALLS_FILE = "unga_roll_calls.csv"
AGREEMENT_FILE = "unga_china_agreement.csv"
#: The ``source_id`` of every row: Voeten's dataset, as packaged by unvotes.
SOURCE_IDS = "voeten_unga;unvotes_pkg"
#: The raw files and the R object each must hold, with the columns the build uses.
RAW = {
    "un_votes.rda": ("un_votes", ("rcid", "country", "vote")),
    "un_roll_calls.rda": ("un_roll_calls", ("rcid", "session", "date", "unres", "short")),
}
VOTES = ("yes", "no", "abstain")
ROLL_CALL_COLUMNS = ["rcid", "date", "session", "resolution", "subject", *ROLL_CALL_COUNTRIES.values(), "source_id"]
AGREEMENT_COLUMNS = ["year", "partner", "both_voted", "same_vote", "source_id"]


class BuildError(RuntimeError):
    """The raw input cannot be built into the course tables; the message says why and what to do."""


def _read_rda(path: Path, name: str, columns: Sequence[str]) -> pd.DataFrame:
    if not path.is_file():
        raise BuildError(
            f"{path} does not exist. Pass the folder that holds {', '.join(RAW)} "
            "(the data/ folder of https://github.com/dgrtwo/unvotes)."
        )
    try:
        import pyreadr  # noqa: PLC0415 - only the build needs it
    except ImportError:
        raise BuildError('Reading .rda files needs pyreadr: python -m pip install -e ".[build]"') from None
    try:
        objects = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own errors for files it cannot parse
        raise BuildError(f"{path}: not an R data file pyreadr can read ({type(exc).__name__}: {exc}).") from None
    if name not in objects:
        raise BuildError(f"{path}: holds {sorted(objects)}, not {name!r}. Is it the unvotes package's file?")
    frame = objects[name]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise BuildError(f"{path}: {name} lacks the columns {missing}; it has {list(frame.columns)}.")
    return frame


def read_raw(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``un_votes`` and ``un_roll_calls`` from the ``.rda`` files in ``folder``."""
    votes, roll_calls = (_read_rda(Path(folder) / file, name, cols) for file, (name, cols) in RAW.items())
    return votes, roll_calls


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def roll_call_table(votes: pd.DataFrame, roll_calls: pd.DataFrame) -> pd.DataFrame:
    """One row per roll call, from China's first vote on, with the four countries' votes.

    ``votes`` has ``rcid``, ``country`` and ``vote`` (yes, no or abstain); ``roll_calls`` has
    ``rcid``, ``session``, ``date``, ``unres`` and ``short``. A country with no row for a roll
    call gets an empty vote.
    """
    wanted = votes[votes["country"].isin(list(ROLL_CALL_COUNTRIES))].copy()
    wanted["vote"] = wanted["vote"].astype(str)
    bad = sorted(set(wanted["vote"]) - set(VOTES))
    if bad:
        raise BuildError(f"un_votes: votes {bad} are not one of {list(VOTES)}; expected the unvotes package's coding.")
    wanted["rcid"] = wanted["rcid"].astype(int)
    if wanted.duplicated(["rcid", "country"]).any():
        first = wanted[wanted.duplicated(["rcid", "country"])].iloc[0]
        raise BuildError(f"un_votes: {first['country']} has two votes on roll call {first['rcid']}.")
    china = wanted[wanted["country"] == "China"]
    if china.empty:
        raise BuildError("un_votes: China has no vote at all; is this the unvotes package's un_votes?")
    calls = roll_calls.copy()
    calls["rcid"] = calls["rcid"].astype(int)
    calls["date"] = pd.to_datetime(calls["date"]).dt.strftime("%Y-%m-%d")
    orphans = sorted(set(wanted["rcid"]) - set(calls["rcid"]))
    if orphans:
        raise BuildError(f"un_votes: roll call {orphans[0]} is not in un_roll_calls; use files from the same release.")
    first_vote = calls.loc[calls["rcid"].isin(china["rcid"]), "date"].min()
    calls = calls[calls["date"] >= first_vote].sort_values(["date", "rcid"], kind="stable")
    wide = wanted.pivot(index="rcid", columns="country", values="vote")
    table = pd.DataFrame(
        {
            "rcid": calls["rcid"].to_numpy(),
            "date": calls["date"].to_numpy(),
            "session": calls["session"].astype(int).to_numpy(),
            "resolution": [_text(v) for v in calls["unres"]],
            "subject": [_text(v) for v in calls["short"]],
        }
    )
    for country, column in ROLL_CALL_COUNTRIES.items():
        column_votes = wide[country] if country in wide.columns else pd.Series(dtype=object)
        table[column] = table["rcid"].map(column_votes).astype(object).where(lambda s: s.notna(), None)
    table["source_id"] = SOURCE_IDS
    return table[ROLL_CALL_COLUMNS].reset_index(drop=True)


def agreement_table(table: pd.DataFrame) -> pd.DataFrame:
    """China's yearly agreement counts with each partner, as shipped (no percentage)."""
    yearly = yearly_agreement(table)
    yearly["source_id"] = SOURCE_IDS
    return yearly[AGREEMENT_COLUMNS]


def write(table: pd.DataFrame, out: Path) -> list[Path]:
    """Write the roll-call table and its yearly agreement counts to ``out``; return the paths."""
    out = Path(out)
    if not out.is_dir():
        raise BuildError(f"{out} is not a folder. Pass --out with the course's data/ folder.")
    paths = [out / ROLL_CALLS_FILE, out / AGREEMENT_FILE]
    for path, frame in zip(paths, (table, agreement_table(table))):
        frame.to_csv(path, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return paths


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m balancing_act.build.unvotes",
        description="Build data/unga_roll_calls.csv and data/unga_china_agreement.csv from the unvotes package's .rda files.",
    )
    parser.add_argument("raw", type=Path, help="folder holding un_votes.rda and un_roll_calls.rda")
    parser.add_argument("--out", type=Path, default=Path("data"), help="folder to write the CSV files to (default: data)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        votes, roll_calls = read_raw(args.raw)
        table = roll_call_table(votes, roll_calls)
        paths = write(table, args.out)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover - the command-line entry point
    raise SystemExit(main())
