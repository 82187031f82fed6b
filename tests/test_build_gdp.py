"""The GDP build script, run on a tiny CSV file of the datasets/gdp form."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from balancing_act.build import gdp
from balancing_act.build.gdp import GdpBuildError

DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = "Country Name,Country Code,Year,Value\n"


def _all_economies(year: int = 2020) -> str:
    return "".join(f'"{name}",{code},{year},{(i + 1) * 1.5e12}\n' for i, (code, name) in enumerate(gdp.ECONOMIES.items()))


def test_main_keeps_the_course_economies_in_billions(tmp_path: Path) -> None:
    raw = tmp_path / "gdp.csv"
    raw.write_text(HEADER + '"Korea, Dem. People\'s Rep.",PRK,2020,1\n' + _all_economies(2021) + _all_economies(2020) + "France,FRA,2020,2.6e12\n")
    assert gdp.main([str(raw), "--out", str(tmp_path)]) == 0
    with (tmp_path / gdp.GDP_FILE).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["code"] for r in rows} == set(gdp.ECONOMIES)  # France and North Korea are left out
    assert [(r["year"], r["code"]) for r in rows[:2]] == [("2020", "CHN"), ("2021", "CHN")]
    korea = next(r for r in rows if r["code"] == "KOR" and r["year"] == "2020")
    assert korea["economy"] == "South Korea" and float(korea["gdp_usd_bn"]) == 6000.0
    assert korea["source_id"] == gdp.SOURCE_ID


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("China,CHN,2020,-5\n", "expected a positive number"),
        ("China,CHN,20x0,5\n", "is not a number"),
        ("China,CHN,2020,5\nChina,CHN,2020,6\n", "a second value for CHN in 2020"),
        ("China,CHN,2020,5\n", "no rows for"),
    ],
)
def test_bad_rows_are_named(tmp_path: Path, body: str, message: str) -> None:
    raw = tmp_path / "gdp.csv"
    raw.write_text(HEADER + body)
    with pytest.raises(GdpBuildError, match=message):
        gdp.select(gdp.read_rows(raw))


def test_wrong_file_and_missing_folder_are_clear_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "other.csv"
    raw.write_text("a,b\n1,2\n")
    assert gdp.main([str(raw), "--out", str(tmp_path)]) == 2
    assert "expected ['Country Name'" in capsys.readouterr().err
    assert gdp.main([str(tmp_path / "missing.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    good = tmp_path / "gdp.csv"
    good.write_text(HEADER + _all_economies())
    assert gdp.main([str(good), "--out", str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_shipped_file_has_the_columns_the_build_writes() -> None:
    with (DATA / gdp.GDP_FILE).open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == gdp.COLUMNS
