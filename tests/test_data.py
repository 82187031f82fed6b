"""The loader: good data loads with types and provenance; bad data names file, column, row and fix."""

from __future__ import annotations

import json
import os
import re
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


# ---------------------------------------------------------------- hardening
HEADER = "year,partner,total_usd_bn\n"


def test_value_beyond_the_csv_field_limit_is_named(toy_data: Path) -> None:
    _write(toy_data, HEADER + "2023,A,1\n2024,B," + "1" * 200_000 + "\n")
    with pytest.raises(DataError, match=r"toy_trade\.csv, line 3: a value is longer than [\d,]+ characters") as info:
        load("toy_trade")
    assert len(str(info.value)) < 500


def test_unclosed_quote_is_reported_where_it_opens(toy_data: Path) -> None:
    rows = "".join(f"{year},A,1\n" for year in range(2024, 2030))
    _write(toy_data, HEADER + '2023,"A,1\n' + rows)  # the quote opens on line 2; the file ends on line 8
    with pytest.raises(DataError, match=r"toy_trade\.csv, line 2: 2 values for 3 columns.*quoted value opened on line 2 .*line 8.*closing quote") as info:
        load("toy_trade")
    assert "line 8:" not in str(info.value)
    # An unclosed quote that swallows more than the field limit: the same line.
    _write(toy_data, HEADER + "2023,A,1\n2024,\"B\n" + ("x" * 1000 + "\n") * 200)
    with pytest.raises(DataError, match=r"toy_trade\.csv, line 3: a quoted value opened on this line .*closing quote"):
        load("toy_trade")


def test_a_quoted_value_over_several_lines_is_still_data(toy_data: Path) -> None:
    descriptor = json.loads((toy_data / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"]["fields"][1]["constraints"] = {"required": True}
    (toy_data / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    _write(toy_data, HEADER + '2023,"two\nlines",1\n2024,B,x\n')
    with pytest.raises(DataError, match=r"line 4, column 'total_usd_bn': 'x' is not a number"):
        load("toy_trade")
    _write(toy_data, HEADER + '2023,"two\nlines",1\n2024,B,2\n')
    assert load("toy_trade")["partner"].tolist() == ["two\nlines", "B"]


def test_a_folder_instead_of_the_file_is_named(toy_data: Path) -> None:
    (toy_data / "toy_trade.csv").unlink()
    (toy_data / "toy_trade.csv").mkdir()
    with pytest.raises(DataError, match=r"toy_trade\.csv is a folder, not a file\. .*restore"):
        load("toy_trade")


def test_unreadable_file_is_named(toy_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs as any user: reading the file is refused as the operating system would refuse it."""
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "toy_trade.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(DataError, match=r"toy_trade\.csv cannot be read: permission denied\. .*chmod u\+r"):
        load("toy_trade")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their permission bits")
def test_file_without_read_permission_is_named(toy_data: Path) -> None:
    target = toy_data / "toy_trade.csv"
    target.chmod(0)
    try:
        with pytest.raises(DataError, match=r"toy_trade\.csv cannot be read: permission denied"):
            load("toy_trade")
    finally:
        target.chmod(0o644)


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("2_013", "integer"),
        ("\uff12\uff10\uff11\uff13", "integer"),  # full-width digits
        ("\u0662\u0660\u0661\u0663", "integer"),  # Arabic-Indic digits
        ("2013\u00a0", "integer"),  # no-break space: str.strip() removes it, int() accepts it
        ("1e3", "integer"),
        ("1_0.5", "number"),
        ("\uff11\uff10", "number"),
        ("0x10", "number"),
        ("1,5", "number"),
    ],
)
def test_only_ascii_digits_make_numbers(toy_data: Path, cell: str, kind: str) -> None:
    row = f"{cell},A,1\n" if kind == "integer" else f"2023,A,\"{cell}\"\n"
    _write(toy_data, HEADER + row)
    column = "year" if kind == "integer" else "total_usd_bn"
    allowed = r"only the digits 0-9" if kind == "integer" else r"digits 0-9.*decimal point.*exponent"
    with pytest.raises(DataError) as info:
        load("toy_trade")
    message = str(info.value)
    assert re.search(rf"toy_trade\.csv, line 2, column '{column}': {re.escape(repr(cell))} is not a ", message), message
    assert re.search(allowed, message), message


def test_ascii_number_forms_are_accepted(toy_data: Path) -> None:
    _write(toy_data, HEADER + "+2023,A,1.5e1\n2024,A,+.5\n2025,A,2.\n2026,A,1E-2\n2027,A,-0\n")
    frame = load("toy_trade")
    assert frame["year"].tolist() == [2023, 2024, 2025, 2026, 2027]
    assert frame["total_usd_bn"].tolist() == [15.0, 0.5, 2.0, 0.01, 0.0]


def test_deeply_nested_descriptor_is_a_data_error(toy_data: Path) -> None:
    (toy_data / "datapackage.json").write_text('{"resources": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with pytest.raises(DataError, match=r"datapackage\.json: not valid UTF-8 JSON \(.*nested more than"):
        load("toy_trade")


def test_describe_hands_out_a_copy(toy_data: Path) -> None:
    ds = data.describe("toy_trade")
    ds.fields[0]["constraints"]["minimum"] = 2030
    ds.fields[2]["type"] = "string"
    ds.sources[0]["path"] = "changed"
    again = data.describe("toy_trade")
    assert again.fields[0]["constraints"]["minimum"] == 2000
    assert again.fields[2]["type"] == "number" and again.sources[0]["path"] == "https://example.org/table"
    frame = load("toy_trade")
    assert frame["total_usd_bn"].dtype == "float64" and frame["year"].min() == 2023
