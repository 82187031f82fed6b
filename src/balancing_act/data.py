"""Load the course datasets from ``data/`` and check them against their schema.

The data folder holds CSV files and one descriptor, ``data/datapackage.json``, in the
Frictionless Data Package format. Each resource in the descriptor names its CSV file,
its sources, its licence, its caveats and a table schema: the columns in order, each
with a type (``integer``, ``number``, ``string``), a unit and constraints
(``required``, ``minimum``, ``maximum``, ``enum``), plus an optional primary key.

>>> from balancing_act.data import load
>>> trade = load("china_russia_trade")      # doctest: +SKIP

Integer cells hold ASCII digits with an optional sign (``2013``, ``-4``); number cells
may add a decimal point and an exponent (``12.5``, ``1.2e3``). Other spellings that
Python would accept (``2_013``, full-width digits) are errors.

Nothing is read when this module is imported. Every problem found in a file raises
:class:`DataError`, whose message names the file, the column, the row (as the line
number in the CSV file where the row begins) and what to do about it.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from balancing_act import json_input
from balancing_act.safe_text import safe_repr

__all__ = [
    "DataError",
    "DATA_ENV_VAR",
    "Dataset",
    "GRADES",
    "RELIABLE_GRADES",
    "data_dir",
    "describe",
    "list_datasets",
    "load",
    "source_grade_shares",
    "source_line",
]

#: Environment variable that points the loader at another data folder.
DATA_ENV_VAR = "BALANCING_ACT_DATA"

DESCRIPTOR = "datapackage.json"
_SUPPORTED_TYPES = ("integer", "number", "string")
_MISSING = ("",)
# What integer and number cells may look like: ASCII digits only (no "2_013", no
# full-width or other scripts' digits, which int() and float() would accept).
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NOT_FINITE = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)
_ALLOWED = {
    "integer": "only the digits 0-9, with an optional + or - in front, e.g. 2013",
    "number": (
        "digits 0-9 with an optional + or - in front, optionally a decimal point and an exponent, "
        "e.g. 12.5, -3 or 1.2e3"
    ),
}
_ASCII_SPACE = " \t"
# Longest part of a cell quoted in a message.
_SHOWN = 60

#: How close a source stands to the body that issued a figure. ``primary``: the issuing body's own document or
#: page (UN documents and press releases, government, customs and company releases, treaty texts); ``report``: a
#: news agency or newspaper reporting it; ``reference``: an encyclopaedia or a database compiled by others;
#: ``copy``: a republisher or mirror, which must name the ``original`` it copies.
GRADES = ("primary", "report", "reference", "copy")
#: The grades a figure may rest on without a caveat.
RELIABLE_GRADES = ("primary", "report")
_ORIGINAL_KEYS = ("publisher", "title", "date", "address")


class DataError(ValueError):
    """A data file or the descriptor is missing or does not match its schema."""


@dataclass(frozen=True)
class Dataset:
    """One resource of the data package: where it is and what it says of itself."""

    name: str
    path: Path
    title: str
    description: str
    sources: tuple[dict[str, str], ...]
    licenses: tuple[dict[str, str], ...]
    caveats: tuple[str, ...]
    citation: str
    fields: tuple[dict[str, Any], ...]
    primary_key: tuple[str, ...]
    #: Aggregated by a build script from a research database (``"bulk": true`` in the descriptor).
    bulk: bool = False

    @property
    def columns(self) -> list[str]:
        return [f["name"] for f in self.fields]

    def units(self) -> dict[str, str]:
        """Column name -> unit, for the columns that have one."""
        return {f["name"]: f["unit"] for f in self.fields if f.get("unit")}


def _candidate_dirs() -> list[Path]:
    """Where the data folder may be, most specific first."""
    override = os.environ.get(DATA_ENV_VAR)
    if override:
        return [Path(override).expanduser()]
    candidates: list[Path] = []
    # A clone with an editable install: src/balancing_act/data.py -> <repo>/data
    candidates.append(Path(__file__).resolve().parents[2] / "data")
    # A notebook run from lessons/, exercises/ or solutions/, or the repository root.
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents[:3]):
        candidates.append(folder / "data")
    seen: list[Path] = []
    for c in candidates:
        if c not in seen:
            seen.append(c)
    return seen


def data_dir() -> Path:
    """Return the folder that holds ``datapackage.json``.

    The environment variable ``BALANCING_ACT_DATA`` wins if set; otherwise the
    ``data/`` folder of the course repository is found next to the package or
    above the current working folder.
    """
    tried = _candidate_dirs()
    for folder in tried:
        if (folder / DESCRIPTOR).is_file():
            return folder
    looked = "\n  ".join(str(p) for p in tried)
    raise DataError(
        f"Could not find the course data ({DESCRIPTOR}). Looked in:\n  {looked}\n"
        f"Run the notebook from inside the course folder, or set {DATA_ENV_VAR} "
        "to the folder that holds datapackage.json."
    )


@lru_cache(maxsize=8)
def _read_descriptor(folder: Path, mtime_ns: int) -> dict[str, Any]:
    path = folder / DESCRIPTOR
    try:
        descriptor = json_input.loads(_read_bytes(path).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: not valid UTF-8 JSON ({exc}). Restore the file from the course repository.") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DataError(f"{path}: expected an object with a 'resources' list. Restore the file from the course repository.")
    return descriptor


def _descriptor(folder: Path | None = None) -> tuple[Path, dict[str, Any]]:
    folder = folder or data_dir()
    path = folder / DESCRIPTOR
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise DataError(f"{path} does not exist. Restore it from the course repository.") from None
    return folder, _read_descriptor(folder, mtime)


def list_datasets() -> list[str]:
    """Names of every dataset in the data package, in descriptor order."""
    _, descriptor = _descriptor()
    return [str(r.get("name")) for r in descriptor["resources"]]


def describe(name: str) -> Dataset:
    """Return the descriptor entry for ``name`` (sources, licence, caveats, schema)."""
    folder, descriptor = _descriptor()
    names = []
    for resource in descriptor["resources"]:
        names.append(resource.get("name"))
        if resource.get("name") == name:
            return _to_dataset(folder, resource)
    raise DataError(
        f"No dataset called {name!r}. Available: {', '.join(map(str, names))}. "
        "Check the spelling, or call balancing_act.data.list_datasets()."
    )


def _to_dataset(folder: Path, cached: dict[str, Any]) -> Dataset:
    # A copy: the descriptor is cached, and what a caller does to the Dataset's
    # fields or sources must not reach the next describe() or load().
    resource = copy.deepcopy(cached)
    name = str(resource.get("name"))
    schema = resource.get("schema") or {}
    fields = schema.get("fields")
    where = f"{folder / DESCRIPTOR}, resource {name!r}"
    if not isinstance(fields, list) or not fields:
        raise DataError(f"{where}: the schema lists no fields. Add a 'schema.fields' list.")
    for field in fields:
        ftype = field.get("type")
        if ftype not in _SUPPORTED_TYPES:
            raise DataError(
                f"{where}: field {field.get('name')!r} has type {ftype!r}; "
                f"use one of {', '.join(_SUPPORTED_TYPES)}."
            )
    if not resource.get("sources"):
        raise DataError(f"{where}: no sources listed. Every dataset must name where its figures come from.")
    for source in resource["sources"]:
        _check_source(where, source)
    pk = schema.get("primaryKey") or []
    if isinstance(pk, str):
        pk = [pk]
    return Dataset(
        name=name,
        path=folder / str(resource.get("path")),
        title=str(resource.get("title", name)),
        description=str(resource.get("description", "")),
        sources=tuple(resource.get("sources", ())),
        licenses=tuple(resource.get("licenses", ())),
        caveats=tuple(resource.get("caveats", ())),
        citation=str(resource.get("citation", "")),
        fields=tuple(fields),
        primary_key=tuple(pk),
        bulk=resource.get("bulk") is True,
    )


def _check_source(where: str, source: Any) -> None:
    """A source must carry a known grade; a copy must name the original it copies."""
    if not isinstance(source, dict):
        raise DataError(f"{where}: a source is {source!r}, not an object. Give each source its id, title, path and grade.")
    label = source.get("id") or source.get("title") or source.get("path")
    grade = source.get("grade")
    if grade is None:
        raise DataError(f"{where}: source {label!r} has no grade. Add \"grade\": one of {', '.join(GRADES)}.")
    if grade not in GRADES:
        raise DataError(f"{where}: source {label!r} has grade {grade!r}. Use one of {', '.join(GRADES)}.")
    if grade != "copy":
        return
    original = source.get("original")
    if not isinstance(original, dict):
        raise DataError(
            f"{where}: source {label!r} is graded 'copy' but names no original. Add \"original\" with "
            f"{', '.join(_ORIGINAL_KEYS)} (address may be 'not found'), or cite the original instead."
        )
    lacking = [key for key in _ORIGINAL_KEYS if not str(original.get(key) or "").strip()]
    if lacking:
        raise DataError(
            f"{where}: source {label!r}: its original lacks {', '.join(lacking)}. Fill in what is known "
            "(write 'not found' for an address that could not be found)."
        )


def source_grade_shares() -> dict[str, Any]:
    """How much of the data package rests on ``primary`` or ``report`` sources.

    ``sources``: the share of distinct sources (a source that several resources list, by its
    ``id``, counts once) graded primary or report; ``rows``: the share of the rows of the
    hand-compiled resources that name at least one such source in ``source_id``. Resources
    marked ``"bulk": true`` (aggregated by a build script from a research database, such as
    the UN roll calls) are left out of ``rows``: their rows rest on that database, whose grade
    and provenance their descriptor gives; ``bulk_row_count`` says how many rows that is.
    ``grades``: the number of distinct sources per grade; ``source_count`` and ``row_count``
    the totals the shares are taken over. Shares are fractions between 0 and 1.
    """
    grade_of_source: dict[str, str] = {}
    rows = reliable_rows = bulk_rows = 0
    for name in list_datasets():
        ds = describe(name)
        grade_of = {s.get("id"): s["grade"] for s in ds.sources}
        for source in ds.sources:
            grade_of_source.setdefault(str(source.get("id") or source.get("path")), source["grade"])
        if "source_id" not in ds.columns:
            continue
        if ds.bulk:
            bulk_rows += len(load(name))
            continue
        for ids in load(name)["source_id"]:
            rows += 1
            if any(grade_of.get(i) in RELIABLE_GRADES for i in str(ids or "").split(";")):
                reliable_rows += 1
    counts = dict.fromkeys(GRADES, 0)
    for grade in grade_of_source.values():
        counts[grade] += 1
    total = sum(counts.values())
    return {
        "sources": sum(counts[g] for g in RELIABLE_GRADES) / total if total else 0.0,
        "rows": reliable_rows / rows if rows else 0.0,
        "grades": counts,
        "source_count": total,
        "row_count": rows,
        "bulk_row_count": bulk_rows,
    }


def source_line(name: str) -> str:
    """A one-line citation of a dataset's sources, for chart captions.

    The resource's ``citation`` if the descriptor gives one, otherwise the
    organisations of its sources.
    """
    ds = describe(name)
    if ds.citation:
        return ds.citation
    orgs: list[str] = []
    for source in ds.sources:
        label = source.get("organisation") or source.get("title") or ""
        if label and label not in orgs:
            orgs.append(label)
    return "Source: " + "; ".join(orgs) + f" (course dataset '{ds.name}', see data/datapackage.json)"


def _parse_cell(value: str, field: dict[str, Any]) -> Any:
    """Convert one CSV cell to its typed value, or raise ValueError with the reason."""
    ftype = field["type"]
    if ftype == "string":
        return value.strip()
    text = value.strip(_ASCII_SPACE)
    allowed = f"(type {ftype}: {_ALLOWED[ftype]})"
    if ftype == "integer":
        if not _INTEGER.fullmatch(text):
            raise ValueError(f"is not a whole number {allowed}")
        try:
            return int(text)
        except ValueError:  # more digits than int() converts
            raise ValueError(f"is not a whole number of a usable size {allowed}") from None
    if _NOT_FINITE.fullmatch(text):
        raise ValueError(f"is not a finite number {allowed}")
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"is not a number {allowed}")
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"is not a finite number {allowed}")
    return number


def _check_constraints(value: Any, field: dict[str, Any]) -> str | None:
    constraints = field.get("constraints") or {}
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(value)):
        return f"does not have the expected form {constraints['pattern']!r}"
    if "enum" in constraints and value not in constraints["enum"]:
        return f"is not one of the allowed values {safe_repr(constraints['enum'])}"
    if "minimum" in constraints and value < constraints["minimum"]:
        return f"is below the minimum {constraints['minimum']}"
    if "maximum" in constraints and value > constraints["maximum"]:
        return f"is above the maximum {constraints['maximum']}"
    return None


def _read_bytes(path: Path) -> bytes:
    """The bytes of a data file; any reason it cannot be read becomes a :class:`DataError`."""
    restore = "restore it from the course repository (git checkout -- data/)"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path} does not exist. {restore.capitalize()}.") from None
    except IsADirectoryError:
        raise DataError(f"{path} is a folder, not a file. Move the folder away and {restore}.") from None
    except PermissionError:
        raise DataError(
            f"{path} cannot be read: permission denied. Give yourself read permission "
            f"(chmod u+r {path}), or {restore}."
        ) from None
    except OSError as exc:
        raise DataError(f"{path} cannot be read ({exc.strerror or exc}). Check the file, or {restore}.") from None


def _read_text(path: Path) -> str:
    raw = _read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path}, line {line}: the file is not UTF-8 text (byte {raw[exc.start]:#04x} at offset {exc.start}). "
            "Save it as UTF-8, or restore it from the course repository."
        ) from None


def _rows(path: Path, text: str) -> Iterator[tuple[int, int, list[str]]]:
    """``(first line, last line, cells)`` of every CSV row; csv errors become :class:`DataError`.

    A quoted value may run over several lines, so a row is named by the line it
    begins on: that is where a quote that is never closed was opened.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(f"{path}, line {start}: {_csv_problem(exc, start, reader.line_num)}") from None
        yield start, reader.line_num, row


def _csv_problem(exc: csv.Error, start: int, end: int) -> str:
    """What a ``csv.Error`` on the row beginning at line ``start`` means, and the fix."""
    if "field larger than field limit" in str(exc):
        limit = f"{csv.field_size_limit():,} characters, the longest a CSV cell may be"
        if end > start:
            return (
                f"a quoted value opened on this line runs on to line {end} and is longer than {limit}; "
                'a closing quote (") is probably missing. Close the quote, or restore the file from the course repository.'
            )
        return f"a value is longer than {limit}. Shorten it, or restore the file from the course repository."
    return f"the row cannot be read as CSV ({exc}). Fix the row, or restore the file from the course repository."


def _unclosed(start: int, end: int) -> str:
    """A note for a row that spans lines, which is usually a missing closing quote."""
    if end == start:
        return ""
    return (
        f" A quoted value opened on line {start} runs on to line {end}; "
        'if that is not meant, a closing quote (") is missing.'
    )


def _validate(ds: Dataset, text: str) -> pd.DataFrame:
    rows_in = _rows(ds.path, text)
    try:
        _, _, header = next(rows_in)
    except StopIteration:
        raise DataError(f"{ds.path}: the file is empty. Restore it from the course repository.") from None
    expected = ds.columns
    if header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        detail = []
        if missing:
            detail.append(f"missing {missing}")
        if extra:
            detail.append(f"unexpected {extra}")
        if not detail:
            detail.append("same columns in another order")
        raise DataError(
            f"{ds.path}, line 1: the header is {header}; the schema expects {expected} ({'; '.join(detail)}). "
            "Fix the header or update the schema in datapackage.json."
        )
    columns: dict[str, list[Any]] = {c: [] for c in expected}
    keys: dict[tuple[Any, ...], int] = {}
    rows = 0
    for line, end, row in rows_in:
        if not row:
            continue
        if len(row) != len(expected):
            raise DataError(
                f"{ds.path}, line {line}: {len(row)} values for {len(expected)} columns. "
                f"The row may be truncated or have a stray comma; fix or remove it.{_unclosed(line, end)}"
            )
        record: dict[str, Any] = {}
        for cell, field in zip(row, ds.fields):
            col = field["name"]
            required = (field.get("constraints") or {}).get("required", False)
            if cell.strip() in _MISSING:
                if required:
                    raise DataError(
                        f"{ds.path}, line {line}, column {col!r}: the value is missing but required. "
                        "Fill it in from the source named in datapackage.json."
                    )
                record[col] = None
                continue
            try:
                value = _parse_cell(cell, field)
            except ValueError as reason:
                raise DataError(
                    f"{ds.path}, line {line}, column {col!r}: {safe_repr(cell, _SHOWN)} {reason}. "
                    f"Correct the value.{_unclosed(line, end)}"
                ) from None
            problem = _check_constraints(value, field)
            if problem:
                unit = f" {field['unit']}" if field.get("unit") else ""
                raise DataError(
                    f"{ds.path}, line {line}, column {col!r}: {safe_repr(value, _SHOWN)}{unit} {problem}. "
                    f"Check the figure against its source.{_unclosed(line, end)}"
                )
            record[col] = value
        if ds.primary_key:
            key = tuple(record[k] for k in ds.primary_key)
            if key in keys:
                raise DataError(
                    f"{ds.path}, line {line}: duplicate key {dict(zip(ds.primary_key, key))} "
                    f"(first seen on line {keys[key]}). Remove one of the two rows."
                )
            keys[key] = line
        for col in expected:
            columns[col].append(record[col])
        rows += 1
    if rows == 0:
        raise DataError(f"{ds.path}: the file has a header but no rows. Restore it from the course repository.")
    frame = pd.DataFrame(columns)
    for field in ds.fields:
        col = field["name"]
        if field["type"] == "integer":
            frame[col] = frame[col].astype("Int64")
        elif field["type"] == "number":
            frame[col] = frame[col].astype("float64")
        else:
            frame[col] = frame[col].astype("object")
    return frame


def load(name: str) -> pd.DataFrame:
    """Load dataset ``name`` as a DataFrame checked against its schema.

    The frame's ``attrs`` carry the dataset name, the source line and the units,
    so charts can cite the data they draw.
    """
    ds = describe(name)
    frame = _validate(ds, _read_text(ds.path))
    frame.attrs["dataset"] = ds.name
    frame.attrs["source"] = source_line(name)
    frame.attrs["units"] = ds.units()
    return frame
