"""Figures that Lessons 1 and 2 quote in their text, recomputed from the data; and wording the course avoids."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from balancing_act import analysis
from balancing_act.data import load
from balancing_act.topics import russia

ROOT = Path(__file__).resolve().parents[1]
LESSONS = {1: ROOT / "lessons" / "01_chinas_position.ipynb", 2: ROOT / "lessons" / "02_russias_need.ipynb"}


def _cells(lesson: int, kind: str) -> list[dict]:
    notebook = json.loads(LESSONS[lesson].read_text(encoding="utf-8"))
    return [c for c in notebook["cells"] if c["cell_type"] == kind]


def _markdown(lesson: int) -> str:
    return "\n".join("".join(c["source"]) for c in _cells(lesson, "markdown"))


def _cell(lesson: int, cell_id: str) -> str:
    (cell,) = [c for c in _cells(lesson, "code") if c["id"] == cell_id]
    return "".join(cell["source"])


def _run(lesson: int, *cell_ids: str, **names: object) -> dict:
    """Run the lesson's own worked cells (without their last expression) in a namespace."""
    namespace: dict = {"load": load, "trade": load("china_customs_trade"), **names}
    for cell_id in cell_ids:
        exec(_cell(lesson, cell_id), namespace)  # noqa: S102 - the course's own notebook cells
    return namespace


def test_lesson1_worked_shares_match_the_package() -> None:
    mine = _run(1, "l01-05")["shares_2023"]
    theirs = analysis.partner_shares(2023)
    pd.testing.assert_frame_equal(mine.reset_index(drop=True), theirs.reset_index(drop=True), check_like=True)


def _scale_row(partner: str) -> pd.Series:
    scale = _run(1, "l01-05", "l01-scale-code")["scale_2023"]
    return scale.set_index("partner").loc[partner]


@pytest.mark.parametrize(
    ("partner", "of_partner", "of_china"),
    [("Russia", "11.9% of\nRussia's GDP", "1.3% of China's"), ("United States", "2.4% of US GDP", "3.7% of China's")],
)
def test_lesson1_gdp_shares_quoted_in_the_text(partner: str, of_partner: str, of_china: str) -> None:
    row = _scale_row(partner)
    text = _markdown(1)
    assert of_partner in text and of_china in text
    assert f"{row['pct_of_partner_gdp']:.1f}%" == of_partner.split()[0]
    assert f"{row['pct_of_china_gdp']:.1f}%" == of_china.split()[0]


def test_lesson1_gdp_share_agrees_with_lesson2() -> None:
    row = _scale_row("Russia")
    both = russia.trade_share_of_gdp().set_index("year").loc[2023]
    assert row["pct_of_partner_gdp"] == pytest.approx(both["pct_of_russia_gdp"])
    assert row["pct_of_china_gdp"] == pytest.approx(both["pct_of_china_gdp"])


def test_lesson1_partners_without_gdp_are_left_empty_not_guessed() -> None:
    scale = _run(1, "l01-05", "l01-scale-code")["scale_2023"].set_index("partner")
    assert scale.loc[["ASEAN", "North Korea"], "pct_of_partner_gdp"].isna().all()


def test_lesson1_rank_is_stated_only_for_the_complete_partner_set() -> None:
    ranked = _run(1, "l01-rank-code")["partners"]
    rows = ranked[ranked["partner"] == "Russia"].set_index("year")
    complete = rows[rows["partners_ranked"] == 7]
    assert list(complete.index) == [2023], "only 2023 has all seven partners in the data"
    assert int(complete.loc[2023, "rank"]) == 6
    text = _markdown(1)
    assert "**sixth of seven**" in text
    # Later years rank Russia higher only because partners are missing; the text must say so.
    for year in (2024, 2025):
        assert rows.loc[year, "partners_ranked"] < 7
        assert int(rows.loc[year, "rank"]) == 4
    assert "seems to climb to fourth" in text and "not a rank" in text


def test_lesson2_first_table_matches_the_package() -> None:
    mine = _run(2, "l02-05")["russia_table"]
    theirs = russia.russia_trade(load("china_customs_trade"))
    for column in ("year", "total_usd_bn", "exports_usd_bn", "imports_usd_bn", "balance_usd_bn"):
        pd.testing.assert_series_equal(mine[column].astype(float), theirs[column].astype(float), check_names=False)


def _texts() -> dict[str, str]:
    texts = {f"lesson {n}": _markdown(n) for n in LESSONS}
    for n in LESSONS:
        for folder in ("quizzes", "claims"):
            path = ROOT / "src" / "balancing_act" / folder / f"lesson{n:02d}.json"
            texts[f"{folder}/lesson{n:02d}"] = path.read_text(encoding="utf-8")
    return texts


def test_no_ratio_is_quoted_to_two_decimals() -> None:
    # The Russian shares are whole or one-decimal percentages, so a ratio of them carries one decimal at most.
    for where, text in _texts().items():
        assert not re.search(r"\b\d+\.\d\d\s*times\b", text), f"{where} quotes a ratio to two decimals"


@pytest.mark.parametrize("phrase", ["strategic ally", "not biting"])
def test_the_course_does_not_judge_in_its_own_words(phrase: str) -> None:
    for where, text in _texts().items():
        assert phrase not in text, f"{where} still says {phrase!r}"


# --- optional parts ------------------------------------------------------------------------------

OPTIONAL = re.compile(r"^#{2,3} .*\*\(optional\)\*", re.MULTILINE)
STATED = re.compile(r"^\| \*\*Time\*\* \|[^\n]*parts marked \*\(optional\)\*: about (\d+) minutes more", re.MULTILINE)


def optional_minutes(path: Path, scratch_dir: Path) -> int:
    """Minutes of the parts under headings marked *(optional)*, priced as balancing_act.timing prices a lesson.

    A part runs from its marked heading to the next heading of the same or a higher level.  Headings are
    found on any line of a cell, so an optional heading placed inside a longer cell (which the timing
    would not see) makes the stated minutes differ from these.
    """
    from balancing_act.timing import lesson_time

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    chosen, level = [], None
    for cell in cells[1:]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            for line in text.splitlines():
                heading = re.match(r"^(#{2,3}) ", line)
                if heading:
                    depth = len(heading.group(1))
                    if OPTIONAL.match(line):
                        level = depth
                    elif level is not None and depth <= level:
                        level = None
        if level is not None:  # priced as core below: the marker kept as a plain word, so the words count the same
            chosen.append({**cell, "source": text.replace("*(optional)*", "(optional)")})
    scratch = scratch_dir / path.name
    scratch.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": ""}, *chosen]}), encoding="utf-8")
    return 5 * math.ceil(lesson_time(scratch, quiz_questions=0).raw_minutes / 5 - 1e-9)  # rounded up to 5, as stated


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_the_optional_parts_are_marked_and_their_time_is_stated(lesson: int, tmp_path: Path) -> None:
    path = LESSONS[lesson]
    header = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
    assert OPTIONAL.search(_markdown(lesson)), "a lesson over 60 minutes marks optional parts"
    stated = STATED.search(header)
    assert stated, "the header states how long the optional parts take"
    assert int(stated.group(1)) == optional_minutes(path, tmp_path)
