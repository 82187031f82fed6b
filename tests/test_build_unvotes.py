"""The roll-call build script, run on tiny synthetic .rda files it reads the same way as the real ones."""

from __future__ import annotations

import csv
import importlib
import os
from pathlib import Path

import pandas as pd
import pytest

from balancing_act.build import unvotes
from balancing_act.build.unvotes import BuildError

try:
    pyreadr = importlib.import_module("pyreadr")
except ImportError:  # pragma: no cover - the test extra installs it
    if os.environ.get("CI"):
        raise
    pytest.skip('the build needs pyreadr: python -m pip install -e ".[build]"', allow_module_level=True)

DATA = Path(__file__).resolve().parents[1] / "data"


def _raw() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Five roll calls: one before China's first vote, then China with gaps and disagreements."""
    roll_calls = pd.DataFrame(
        {
            "rcid": [10, 11, 12, 13, 14],
            "session": [26.0, 26.0, 26.0, 27.0, 46.0],
            "importantvote": ["0", "0", "0", "0", "1"],
            "date": ["1971-10-20", "1971-11-03", "1971-11-04", "1972-10-01", "1991-10-03"],
            "unres": ["R/26/1", "R/26/2", None, "R/27/1", "R/46/1"],
            "short": ["SEAT", "RHODESIA", "AMENDMENT\n PARA 3", None, "KOREA"],
        }
    )
    votes = pd.DataFrame(
        {
            "rcid": [10.0, 10.0, 11.0, 11.0, 11.0, 12.0, 12.0, 13.0, 13.0, 14.0, 14.0, 14.0, 14.0, 14.0],
            "country": [
                "Russia", "United States",
                "China", "Russia", "United States",
                "Russia", "United States",
                "China", "United States",
                "China", "Russia", "North Korea", "United States", "France",
            ],
            "country_code": ["RU", "US", "CN", "RU", "US", "RU", "US", "CN", "US", "CN", "RU", "KP", "US", "FR"],
            "vote": ["yes", "no", "yes", "yes", "no", "abstain", "yes", "no", "no", "yes", "yes", "abstain", "no", "yes"],
        }
    )
    votes["vote"] = votes["vote"].astype("category")
    return votes, roll_calls


def _write_raw(folder: Path) -> Path:
    votes, roll_calls = _raw()
    pyreadr.write_rdata(str(folder / "un_votes.rda"), votes, df_name="un_votes")
    pyreadr.write_rdata(str(folder / "un_roll_calls.rda"), roll_calls, df_name="un_roll_calls")
    return folder


def test_main_reads_rda_and_writes_both_tables(tmp_path: Path) -> None:
    raw = _write_raw(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    assert unvotes.main([str(raw), "--out", str(out)]) == 0
    with (out / unvotes.ROLL_CALLS_FILE).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Roll call 10 came before China's first vote and is left out.
    assert [r["rcid"] for r in rows] == ["11", "12", "13", "14"]
    assert list(rows[0]) == unvotes.ROLL_CALL_COLUMNS
    assert rows[0]["china"] == "yes" and rows[0]["united_states"] == "no" and rows[0]["north_korea"] == ""
    assert rows[1]["china"] == "" and rows[1]["resolution"] == "" and rows[1]["subject"] == "AMENDMENT PARA 3"
    assert rows[2]["session"] == "27" and rows[2]["subject"] == ""
    assert rows[3]["north_korea"] == "abstain"
    with (out / unvotes.AGREEMENT_FILE).open(encoding="utf-8", newline="") as handle:
        counts = {(r["year"], r["partner"]): (r["both_voted"], r["same_vote"]) for r in csv.DictReader(handle)}
    assert counts == {
        ("1971", "Russia"): ("1", "1"),
        ("1971", "United States"): ("1", "0"),
        ("1972", "United States"): ("1", "1"),
        ("1991", "North Korea"): ("1", "0"),
        ("1991", "Russia"): ("1", "1"),
        ("1991", "United States"): ("1", "0"),
    }


def test_missing_raw_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert unvotes.main([str(tmp_path), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "un_votes.rda does not exist" in err and "dgrtwo/unvotes" in err


def test_wrong_object_in_rda_is_named(tmp_path: Path) -> None:
    _write_raw(tmp_path)
    votes, _ = _raw()
    pyreadr.write_rdata(str(tmp_path / "un_votes.rda"), votes, df_name="something_else")
    with pytest.raises(BuildError, match=r"holds \['something_else'\], not 'un_votes'"):
        unvotes.read_raw(tmp_path)


def test_a_file_that_is_not_r_data_is_refused(tmp_path: Path) -> None:
    _write_raw(tmp_path)
    (tmp_path / "un_roll_calls.rda").write_bytes(b"not an R file")
    with pytest.raises(BuildError, match="not an R data file"):
        unvotes.read_raw(tmp_path)


def test_unknown_vote_code_is_refused() -> None:
    votes, roll_calls = _raw()
    votes["vote"] = votes["vote"].astype(str)
    votes.loc[0, "vote"] = "8"
    with pytest.raises(BuildError, match=r"votes \['8'\]"):
        unvotes.roll_call_table(votes, roll_calls)


def test_vote_without_its_roll_call_is_refused() -> None:
    votes, roll_calls = _raw()
    with pytest.raises(BuildError, match="roll call 14 is not in un_roll_calls"):
        unvotes.roll_call_table(votes, roll_calls[roll_calls["rcid"] != 14])


def test_output_folder_must_exist(tmp_path: Path) -> None:
    table = unvotes.roll_call_table(*_raw())
    with pytest.raises(BuildError, match="is not a folder"):
        unvotes.write(table, tmp_path / "missing")


def test_shipped_files_have_the_columns_the_build_writes() -> None:
    for name, columns in ((unvotes.ROLL_CALLS_FILE, unvotes.ROLL_CALL_COLUMNS), (unvotes.AGREEMENT_FILE, unvotes.AGREEMENT_COLUMNS)):
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == columns, name
