"""The loader: good data loads with types and provenance; bad data names file, column, row and fix."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from balancing_act import data
from balancing_act.data import DataError, load


def test_loads_typed_frame_with_provenance(toy_data: Path) -> None:
    frame = load("toy_trade")
    assert list(frame.columns) == ["year", "partner", "total_usd_bn"]
    assert str(frame["year"].dtype) == "Int64"
    assert frame["total_usd_bn"].dtype == "float64"
    assert frame.loc[frame["partner"] == "World", "total_usd_bn"].tolist() == [100.0, 110.25]
    assert pd.isna(frame.loc[1, "total_usd_bn"])  # an empty optional cell is missing, not zero
    assert frame.attrs["dataset"] == "toy_trade"
    assert "Example Statistics Office" in frame.attrs["source"]
    assert frame.attrs["units"] == {"total_usd_bn": "billion US$"}


def test_list_and_describe(toy_data: Path) -> None:
    assert data.list_datasets() == ["toy_trade"]
    ds = data.describe("toy_trade")
    assert ds.primary_key == ("year", "partner")
    assert ds.sources[0]["path"] == "https://example.org/table"


def test_unknown_name_lists_available(toy_data: Path) -> None:
    with pytest.raises(DataError, match=r"No dataset called 'nope'\. Available: toy_trade"):
        load("nope")


def _write(folder: Path, text: str | bytes) -> None:
    target = folder / "toy_trade.csv"
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("csv_text", "expected"),
    [
        ("year,partner,total_usd_bn\n2023,A,ten\n", r"line 2, column 'total_usd_bn': 'ten' is not a number"),
        ("year,partner,total_usd_bn\n2023.5,A,1\n", r"line 2, column 'year': '2023.5' is not a whole number"),
        ("year,partner,total_usd_bn\n2023,A,1\n2024,C,1\n", r"line 3, column 'partner': 'C' is not one of the allowed values"),
        ("year,partner,total_usd_bn\n1999,A,1\n", r"line 2, column 'year': 1999 is below the minimum 2000"),
        ("year,partner,total_usd_bn\n2023,A,-1\n", r"column 'total_usd_bn': -1.0 billion US\$ is below the minimum 0"),
        ("year,partner,total_usd_bn\n2023,,1\n", r"line 2, column 'partner': the value is missing but required"),
        ("year,partner,total_usd_bn\n2023,A,1\n2024,A\n", r"line 3: 2 values for 3 columns.*truncated"),
        ("year,partner,total_usd_bn\n2023,A,1\n2023,A,2\n", r"line 3: duplicate key .*first seen on line 2"),
        ("year,partner,value\n2023,A,1\n", r"line 1: the header .* \(missing \['total_usd_bn'\]; unexpected \['value'\]"),
        ("year,partner,total_usd_bn\n2023,A,inf\n", r"'inf' is not a finite number"),
        ("year,partner,total_usd_bn\n", r"has a header but no rows"),
        ("", r"the file is empty"),
    ],
)
def test_bad_csv_is_named(toy_data: Path, csv_text: str, expected: str) -> None:
    _write(toy_data, csv_text)
    with pytest.raises(DataError, match=expected) as info:
        load("toy_trade")
    assert "toy_trade.csv" in str(info.value)


def test_pattern_constraint(toy_data: Path) -> None:
    descriptor = json.loads((toy_data / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"]["fields"][1]["constraints"] = {"pattern": r"[A-Z]"}
    (toy_data / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    _write(toy_data, "year,partner,total_usd_bn\n2023,A,1\n2024,ab,2\n")
    with pytest.raises(DataError, match=r"line 3, column 'partner': 'ab' does not have the expected form '\[A-Z\]'"):
        load("toy_trade")


def test_wrong_encoding_is_named(toy_data: Path) -> None:
    _write(toy_data, "year,partner,total_usd_bn\n2023,A,1\n2024,B,2\n".encode("utf-8") + "2025,\u00c9,3\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"toy_trade\.csv, line 4: the file is not UTF-8"):
        load("toy_trade")


def test_missing_file_says_how_to_restore(toy_data: Path) -> None:
    (toy_data / "toy_trade.csv").unlink()
    with pytest.raises(DataError, match=r"toy_trade\.csv does not exist\. Restore it"):
        load("toy_trade")


def test_missing_folder_says_where_it_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(data.DATA_ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(DataError, match=r"Looked in:\n  .*nowhere\n.*BALANCING_ACT_DATA"):
        load("toy_trade")


def test_corrupt_descriptor(toy_data: Path) -> None:
    (toy_data / "datapackage.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match=r"datapackage\.json: not valid UTF-8 JSON"):
        load("toy_trade")


def test_descriptor_without_sources_is_rejected(toy_data: Path) -> None:
    descriptor = json.loads((toy_data / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["sources"] = []
    (toy_data / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataError, match=r"resource 'toy_trade': no sources listed"):
        load("toy_trade")


def test_unsupported_field_type(toy_data: Path) -> None:
    descriptor = json.loads((toy_data / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"]["fields"][0]["type"] = "datetime"
    (toy_data / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataError, match=r"field 'year' has type 'datetime'; use one of integer, number, string"):
        load("toy_trade")


def test_import_reads_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing the package must not touch the data folder or change Altair's renderer."""
    import importlib
    import subprocess
    import sys

    code = (
        "import altair as alt; before = alt.renderers.active; "
        "import balancing_act, balancing_act.data, balancing_act.charts, balancing_act.explorers; "
        "print(before == alt.renderers.active)"
    )
    env = {"BALANCING_ACT_DATA": str(tmp_path / "absent"), "PATH": "", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
    importlib.import_module("balancing_act")


def _with_source(toy_data: Path, **changes: object) -> None:
    path = toy_data / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    source = dict(descriptor["resources"][0]["sources"][0])
    for key, value in changes.items():
        if value is None:
            source.pop(key, None)
        else:
            source[key] = value
    descriptor["resources"][0]["sources"] = [source]
    path.write_text(json.dumps(descriptor), encoding="utf-8")


def test_source_without_a_grade_is_rejected(toy_data: Path) -> None:
    _with_source(toy_data, grade=None)
    with pytest.raises(DataError, match=r"source 'Example table' has no grade.*primary, report, reference, copy"):
        data.describe("toy_trade")


def test_source_with_an_unknown_grade_is_rejected(toy_data: Path) -> None:
    _with_source(toy_data, grade="blog")
    with pytest.raises(DataError, match=r"grade 'blog'.*primary, report, reference, copy"):
        data.describe("toy_trade")


def test_copy_without_its_original_is_rejected(toy_data: Path) -> None:
    _with_source(toy_data, grade="copy")
    with pytest.raises(DataError, match=r"is graded 'copy' but names no original.*publisher, title, date, address"):
        data.describe("toy_trade")
    _with_source(toy_data, grade="copy", original={"publisher": "Agency", "title": "T", "date": "2024"})
    with pytest.raises(DataError, match=r"original lacks address"):
        data.describe("toy_trade")


def test_copy_with_its_original_loads(toy_data: Path) -> None:
    original = {"publisher": "Agency", "title": "T", "date": "2024", "address": "https://example.org/original"}
    _with_source(toy_data, grade="copy", original=original)
    assert data.describe("toy_trade").sources[0]["original"]["publisher"] == "Agency"
