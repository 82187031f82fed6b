"""The course data agree with themselves, and the course text agrees with the data.

Each test checks one kind of error over every row (or every sentence of a given form), not
one figure: notes that call a figure a record or give a growth rate, parts against totals
within the rounding the rows state, balances quoted in notes, the period a statement
describes against the date it was made, counts quoted in lessons, quizzes, claims and
exercise solutions against the rows they come from.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from balancing_act.data import describe, load

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
QUIZZES = ROOT / "src" / "balancing_act" / "quizzes"
CLAIMS = ROOT / "src" / "balancing_act" / "claims"
EXERCISE_SOURCES = ROOT / "src" / "exercise_sources"

NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()
    )
}


# --------------------------------------------------------------------- helpers
def _raw_rows(name: str) -> list[dict[str, str]]:
    """The CSV cells as written (strings), so the rounding of each figure can be read."""
    with describe(name).path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _half_unit(cell: str) -> float:
    """Half a unit in the last written digit of a figure: '2590.646' -> 0.0005, '6300' -> 0.5."""
    decimals = len(cell.split(".")[1]) if "." in cell else 0
    return 0.5 * 10**-decimals


def _number(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word not in NUMBER_WORDS:
        raise AssertionError(f"cannot read the count {word!r}; write it in digits or as a word up to fifteen")
    return NUMBER_WORDS[word]


def _latest_day(text: str) -> dt.date:
    """The latest day a date written as YYYY, YYYY-MM or YYYY-MM-DD (plus any comment) can mean."""
    match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text.strip())
    if not match:
        raise AssertionError(f"{text!r} does not start with a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(match[1]), match[2], match[3]
    if month is None:
        return dt.date(year, 12, 31)
    if day is None:
        return dt.date(year, int(month), calendar.monthrange(year, int(month))[1])
    return dt.date(year, int(month), int(day))


def _reported_by(name: str, source_ids: str) -> dt.date:
    """The latest day by which every source of a row had published it (a statement is no later)."""
    sources = {s["id"]: s for s in describe(name).sources}
    days = []
    for sid in source_ids.split(";"):
        assert sid in sources, f"{name}: source id {sid!r} is not in the descriptor's sources"
        days.append(_latest_day(str(sources[sid]["date"])))
    return min(days)


def _period_end(period: str, stated: dt.date) -> dt.date:
    """The last day of the period a label describes.

    Labels: 'YYYY' (the calendar year), 'YYYY to date' (the year up to the statement),
    'YYYY-MM' (a month), 'YYYY start' (its first month), 'YYYY end' (its last month) and
    'YYYY (month not stated)' (some month of the year: it may run to the year's end).
    """
    text = period.strip()
    if m := re.fullmatch(r"(\d{4})", text):
        return dt.date(int(m[1]), 12, 31)
    if m := re.fullmatch(r"(\d{4}) to date", text):
        return min(stated, dt.date(int(m[1]), 12, 31))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return _latest_day(text)
    if m := re.fullmatch(r"(\d{4}) start", text):
        return dt.date(int(m[1]), 1, 31)
    if m := re.fullmatch(r"(\d{4}) (end|\(month not stated\))", text):
        return dt.date(int(m[1]), 12, 31)
    raise AssertionError(
        f"period {period!r} is not one of the labels 'YYYY', 'YYYY to date', 'YYYY-MM', 'YYYY start', "
        "'YYYY end', 'YYYY (month not stated)'"
    )


def _markdown(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _json_text(path: Path) -> str:
    return "\n".join(_strings(json.loads(path.read_text(encoding="utf-8"))))


def _quiz(lesson: int) -> dict[str, dict[str, object]]:
    bank = json.loads((QUIZZES / f"lesson{lesson:02d}.json").read_text(encoding="utf-8"))
    return {q["id"]: q for q in bank["questions"]}


def _matches(pattern: str, text: str, where: str) -> list[re.Match[str]]:
    found = list(re.finditer(pattern, text))
    assert found, f"{where}: no sentence of the form {pattern!r}; if the text was reworded, update this test with it"
    return found


# ----------------------------------------------------- notes against the values
#: dataset -> (column naming the series, value column) for the yearly series whose notes speak of them
SERIES = {
    "china_crude_imports": ("supplier", "million_tonnes"),
    "china_customs_trade": ("partner", "total_usd_bn"),
    "power_of_siberia": (None, "bcm"),
}

RATE = re.compile(r"(?<![\w.])([+\-\u2212])(\d+(?:\.\d+)?)\s?%")


def _series(name: str) -> Iterator[tuple[str, pd.DataFrame]]:
    frame = load(name)
    key, _ = SERIES[name]
    if key is None:
        yield name, frame.sort_values("year")
        return
    for entity, rows in frame.groupby(key):
        yield f"{name} {entity}", rows.sort_values("year")


@pytest.mark.parametrize("name", sorted(SERIES))
def test_a_note_that_claims_a_record_has_the_highest_value_so_far(name: str) -> None:
    value = SERIES[name][1]
    problems = []
    for label, rows in _series(name):
        for row in rows.itertuples():
            note = str(getattr(row, "note") or "")
            if not re.search(r"\brecord\b", note, re.IGNORECASE) or pd.isna(getattr(row, value)):
                continue
            earlier = rows[(rows["year"] < row.year)][value].dropna()
            if not earlier.empty and getattr(row, value) < earlier.max():
                problems.append(
                    f"{label} {row.year}: the note says record, but {getattr(row, value)} is below the earlier "
                    f"high of {earlier.max()} ({int(rows.loc[earlier.idxmax(), 'year'])})"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(SERIES))
def test_a_growth_rate_in_a_note_matches_the_values(name: str) -> None:
    """'+4.4%' in a year's note must match that year's value against the year before.

    Allowed gap: half a unit of the rate as written plus half a point, because January
    releases compare with a prior year that GACC may later revise.
    """
    value = SERIES[name][1]
    problems = []
    checked = 0
    for label, rows in _series(name):
        by_year = dict(zip(rows["year"].astype(int), rows[value]))
        for row in rows.itertuples():
            note = str(getattr(row, "note") or "")
            before = by_year.get(int(row.year) - 1)
            now = getattr(row, value)
            for m in RATE.finditer(note):
                if before is None or pd.isna(before) or pd.isna(now):
                    continue
                stated = float(m[2]) * (1 if m[1] == "+" else -1)
                actual = 100 * (now / before - 1)
                allowed = _half_unit(m[2]) + 0.5
                checked += 1
                if abs(actual - stated) > allowed:
                    problems.append(
                        f"{label} {row.year}: the note gives {m[0]}, but {now} against {before} is {actual:+.1f}% "
                        f"(allowed gap {allowed})"
                    )
    assert not problems, "\n".join(problems)
    if name == "china_crude_imports":
        assert checked >= 10, "expected the crude notes to state growth rates to check"


def _stated_rounding(note: str) -> dict[str, float]:
    """Half-units (billion US$) a note states: 'imports (...) are rounded to 0.1 trillion' -> {'imports': 50.0}.

    A clause (text up to a ';' or a full stop) that says 'rounded to X trillion' covers the columns it names,
    or all three if it names none.
    """
    out: dict[str, float] = {}
    for clause in re.split(r"[.;](?:\s|$)", note):
        m = re.search(r"rounded to (0\.\d+) trillion", clause, re.IGNORECASE)
        if not m:
            continue
        named = [c for c in ("total", "exports", "imports") if re.search(rf"\b{c}\b", clause, re.IGNORECASE)]
        for column in named or ["total", "exports", "imports"]:
            out.setdefault(column, 0.5 * float(m[1]) * 1000)
    return out


def _trade_tolerances(row: dict[str, str]) -> dict[str, float]:
    stated = _stated_rounding(row["note"])
    return {
        column: max(_half_unit(row[f"{column}_usd_bn"]), stated.get(column, 0.0))
        for column in ("total", "exports", "imports")
        if row[f"{column}_usd_bn"]
    }


def test_exports_plus_imports_match_the_total_within_the_stated_rounding() -> None:
    problems = []
    for row in _raw_rows("china_customs_trade"):
        if not (row["total_usd_bn"] and row["exports_usd_bn"] and row["imports_usd_bn"]):
            continue
        tol = _trade_tolerances(row)
        gap = float(row["exports_usd_bn"]) + float(row["imports_usd_bn"]) - float(row["total_usd_bn"])
        allowed = sum(tol.values()) + 1e-9
        if abs(gap) > allowed:
            problems.append(f"{row['year']} {row['partner']}: exports + imports - total = {gap:.3f}, allowed {allowed}")
    assert not problems, "\n".join(problems)


def test_a_trade_balance_in_a_note_matches_exports_minus_imports() -> None:
    checked = 0
    problems = []
    for row in _raw_rows("china_customs_trade"):
        for m in re.finditer(r"surplus (?:of )?(\d+(?:\.\d+)?)", row["note"]):
            if not (row["exports_usd_bn"] and row["imports_usd_bn"]):
                problems.append(f"{row['year']} {row['partner']}: the note gives a surplus but exports or imports are empty")
                continue
            tol = _trade_tolerances(row)
            balance = float(row["exports_usd_bn"]) - float(row["imports_usd_bn"])
            allowed = tol["exports"] + tol["imports"] + _half_unit(m[1])
            checked += 1
            if abs(balance - float(m[1])) > allowed:
                problems.append(
                    f"{row['year']} {row['partner']}: exports - imports = {balance:.1f} but the note's surplus is {m[1]} "
                    f"(allowed {allowed} from the rounding the note states)"
                )
    assert not problems, "\n".join(problems)
    assert checked, "expected at least one note to state a surplus"


def test_no_figure_is_a_dollar_conversion_of_yuan() -> None:
    """The descriptor rules out journalists' conversions; a row whose note calls its figures one breaks that rule."""
    caveats = " ".join(describe("china_customs_trade").caveats)
    assert "converted by journalists from yuan totals were not used" in caveats
    problems = []
    for row in _raw_rows("china_customs_trade"):
        note = row["note"]
        if re.search(r"conver(?:sion|ted)[^.;]*yuan", note, re.IGNORECASE) and not re.search(
            r"left empty|not used", note, re.IGNORECASE
        ):
            problems.append(f"{row['year']} {row['partner']}: {note}")
    assert not problems, "rows that use a conversion of yuan figures:\n" + "\n".join(problems)


# ------------------------------------------------- statements and their periods
#: datasets of stated figures, each with a 'period' column saying what period a figure describes
STATEMENT_DATASETS = ("partner_dependence", "russia_export_payment_currencies", "settlement_statements")


@pytest.mark.parametrize("name", STATEMENT_DATASETS)
def test_a_statement_does_not_describe_a_period_that_ends_after_it(name: str) -> None:
    column = "period"
    rows = _raw_rows(name)
    assert column in rows[0], f"{name} has no {column!r} column saying which period each figure describes"
    problems = []
    for line, row in enumerate(rows, start=2):
        reported = _reported_by(name, row["source_id"])
        end = _period_end(row[column], reported)
        if end > reported:
            problems.append(
                f"{name}.csv line {line}: period {row[column]!r} ends {end}, after the figure was reported ({reported})"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ["settlement_statements", "partner_dependence"])
def test_the_year_column_is_the_year_described(name: str) -> None:
    """One convention for every row: 'year' is the year of the period described, not of the day spoken."""
    for line, row in enumerate(_raw_rows(name), start=2):
        assert row["period"][:4] == row["year"], (
            f"{name}.csv line {line}: year {row['year']} but the period described is {row['period']!r}"
        )


def test_a_date_in_a_settlement_note_is_not_before_the_end_of_its_period() -> None:
    """A date written in a note is the day spoken; the period must end by then too."""
    for line, row in enumerate(_raw_rows("settlement_statements"), start=2):
        for m in re.finditer(r"\b(20\d{2}-\d{2}-\d{2})\b", row["note"]):
            said = _latest_day(m[1])
            end = _period_end(row["period"], said)
            assert end <= said, f"settlement_statements.csv line {line}: said on {said}, period {row['period']!r} ends {end}"


# ------------------------------------------------------------- listing counts
NOUN = r"(individuals(?:/| and )entities|individuals|entities|companies|firms|targets|listings|banks)"
COUNT = re.compile(r"(\d+)\s+((?:[A-Za-z][\w-]*\s+){0,3}?)" + NOUN, re.IGNORECASE)


def _counts(text: str) -> dict[tuple[str, str], set[int]]:
    out: dict[tuple[str, str], set[int]] = {}
    for m in COUNT.finditer(text):
        noun = m[3].lower().replace("/", " and ")
        qualifier = " ".join(w for w in m[2].lower().split() if w not in {"new", "more", "than"})
        out.setdefault((qualifier, noun), set()).add(int(m[1]))
    return out


def test_counts_in_a_sanctions_target_agree_with_its_summary() -> None:
    """The same kind of listing counted in 'target' and 'summary' must be the same count."""
    problems = []
    for row in _raw_rows("sanctions_measures"):
        target, summary = _counts(row["target"]), _counts(row["summary"])
        for key, numbers in target.items():
            if key in summary and not numbers <= summary[key]:
                problems.append(
                    f"{row['date']} {row['actor']}: target counts {sorted(numbers)} {key[1]} but the summary "
                    f"counts {sorted(summary[key])}"
                )
    assert not problems, "\n".join(problems)


def test_the_dprk_votes_hold_every_panel_renewal_or_none() -> None:
    votes = load("unsc_dprk_votes")
    renewals = votes[votes["summary"].str.contains(r"Renew", case=True) & (votes["outcome"] == "adopted")]
    caveats = " ".join(describe("unsc_dprk_votes").caveats)
    assert "renewals" in caveats and "left out" in caveats, "the caveats must say how panel renewals are treated"
    assert renewals.empty, f"the caveats leave renewals out, yet these rows are renewals: {list(renewals['document'])}"


# -------------------------------------------------------- text against the data
def _adopted(votes: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    years = votes["date"].str[:4].astype(int)
    return votes[(votes["outcome"] == "adopted") & (years >= first) & (years <= last)]


def _resolution_number(document: str) -> int:
    m = re.match(r"S/RES/(\d+)", document)
    assert m, f"{document!r} is not a resolution symbol"
    return int(m[1])


def test_lesson3_and_lesson6_vote_counts_are_the_data_counts() -> None:
    votes = load("unsc_dprk_votes")
    lesson3 = _markdown(LESSONS / "03_north_korea.ipynb")
    for m in _matches(r"\*\*(\d{4})-(\d{4}): (\w+) texts, all adopted 15-0-0\.\*\*", lesson3, "Lesson 3"):
        rows = _adopted(votes, int(m[1]), int(m[2]))
        assert _number(m[3]) == len(rows), f"Lesson 3 says {m[3]} texts in {m[1]}-{m[2]}; the data have {len(rows)}"
        assert ((rows["in_favour"] == 15) & (rows["against"] == 0) & (rows["abstentions"] == 0)).all()
    lesson6 = _markdown(LESSONS / "06_global_reactions.ipynb")
    for m in _matches(r"voted together on (\d+) of the (\d+) North Korea texts", lesson6, "Lesson 6"):
        together = int((votes["china_vote"] == votes["russia_vote"]).sum())
        assert (int(m[1]), int(m[2])) == (together, len(votes)), (
            f"Lesson 6 says {m[1]} of {m[2]}; the data give {together} of {len(votes)}"
        )


def test_lesson3_quiz_claims_and_solution_counts_are_the_data_counts() -> None:
    votes = load("unsc_dprk_votes")
    question = _quiz(3)["both-yes-2006-2017"]
    years = re.search(r"from (\d{4}) to (\d{4})", str(question["prompt"]))
    assert years, "the quiz prompt names its years"
    rows = _adopted(votes, int(years[1]), int(years[2]))
    for m in _matches(r"all (\w+) resolutions of those years \((\d+) to (\d+)\)", str(question["explanation"]), "quiz"):
        numbers = sorted(_resolution_number(d) for d in rows["document"])
        assert (_number(m[1]), int(m[2]), int(m[3])) == (len(rows), numbers[0], numbers[-1])
    assert bool(question["answer"]) == bool((rows["china_vote"] == "yes").all() and (rows["russia_vote"] == "yes").all())

    claims = _json_text(CLAIMS / "lesson03.json")
    for m in _matches(r"all (\w+) Security Council resolutions on North Korea from (\d{4}) to (\d{4})", claims, "claims"):
        assert _number(m[1]) == len(_adopted(votes, int(m[2]), int(m[3])))

    source = _markdown(EXERCISE_SOURCES / "03_north_korea.ipynb")
    for m in _matches(r"China voted yes on (\w+) sanctions texts up to (\d{4})", source, "Exercise 3 solution"):
        yes = votes[(votes["china_vote"] == "yes") & (votes["date"].str[:4].astype(int) <= int(m[2]))]
        assert _number(m[1]) == len(yes), f"the solution says {m[1]}; the data have {len(yes)}"

    guide = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    for m in _matches(r"(\w+) yes votes before the first veto", guide, "instructor guide"):
        first_veto = votes.loc[votes["outcome"] == "vetoed", "date"].min()
        before = votes[(votes["date"] < first_veto) & (votes["china_vote"] == "yes")]
        assert _number(m[1]) == len(before)


def test_exercise3_expects_the_count_of_china_yes_votes_in_the_csv() -> None:
    from balancing_act.exercises.lesson03 import ex

    count = sum(1 for row in _raw_rows("unsc_dprk_votes") if row["china_vote"] == "yes")
    assert ex.q3.evaluate(count).correct, f"Exercise 3 question 3 does not accept {count}, the count in the CSV"
    assert not ex.q3.evaluate(count + 1).correct


def _dependence_ratio(year: int) -> tuple[float, float, float]:
    """China's share of Russia's trade / Russia's share of China's: value, and its range from the rounding."""
    trade, dep = load("china_customs_trade"), load("partner_dependence")
    raw = {int(r["year"]): r for r in _raw_rows("partner_dependence") if r["country"] == "Russia"}
    russia = trade[(trade["partner"] == "Russia") & (trade["year"] == year)]["total_usd_bn"].iloc[0]
    world = trade[(trade["partner"] == "World") & (trade["year"] == year)]["total_usd_bn"].iloc[0]
    share = dep[(dep["country"] == "Russia") & (dep["year"] == year)]["china_share_pct"].iloc[0]
    half = _half_unit(raw[year]["china_share_pct"])
    china_side = 100 * russia / world
    return share / china_side, (share - half) / china_side, (share + half) / china_side


def test_lesson2_dependence_ratio_is_quoted_no_more_precisely_than_the_data_allow() -> None:
    question = _quiz(2)["dependence-ratio-2024"]
    ratio, low, high = _dependence_ratio(2024)
    answer, tolerance = float(question["answer"]), float(question["tolerance"])  # type: ignore[arg-type]
    decimals = len(str(question["answer"]).split(".")[1]) if "." in str(question["answer"]) else 0
    assert decimals <= 1, f"the answer {answer} has {decimals} decimals; the Russian share (a rounded 'now') allows one at most"
    assert abs(answer - ratio) <= tolerance, f"answer {answer} is not within {tolerance} of the ratio {ratio:.2f}"
    assert answer - tolerance <= low and high <= answer + tolerance, (
        f"the accepted range {answer - tolerance:.2f}-{answer + tolerance:.2f} must cover {low:.2f}-{high:.2f}, "
        "the ratios the rounded Russian share allows"
    )
    for m in _matches(r"about (\d+(?:\.\d)?) in (\d{4})", str(question["explanation"]), "quiz explanation"):
        value, _, _ = _dependence_ratio(int(m[2]))
        assert abs(value - float(m[1])) <= _half_unit(m[1]) + 1e-9, f"'about {m[1]} in {m[2]}' but the data give {value:.2f}"
    assert "part of 2024" in str(question["prompt"]), "the prompt must say which period the Russian figure describes"


#: plural words for a type of event in the text -> the 'type' in military_events.csv
EVENT_TYPES = {"parades": "parade", "joint statements": "statement", "treaties": "treaty", "summits": "summit"}


def test_text_saying_a_kind_of_event_meets_no_criterion_matches_the_coding() -> None:
    events = load("military_events")
    criteria = ["joint_command", "interoperability", "combat_commitment"]
    texts = {
        "Lesson 5": _markdown(LESSONS / "05_military_symbolism.ipynb"),
        "Lesson 5 claims": _json_text(CLAIMS / "lesson05.json"),
        "Lesson 5 quiz": _json_text(QUIZZES / "lesson05.json"),
    }
    checked = 0
    for where, text in texts.items():
        for sentence in re.split(r"(?<=[.;:])\s+", text):
            m = re.search(r"([\w ,]+?)\s+meets? none of the three criteria", sentence)
            if not m:
                continue
            for words, kind in EVENT_TYPES.items():
                if re.search(rf"\b{words}\b", m[1], re.IGNORECASE):
                    rows = events[events["type"] == kind]
                    coded = rows[~(rows[criteria] == "no").all(axis=1)]
                    checked += 1
                    assert coded.empty, f"{where}: '{m[0]}', but the data code {list(coded['name'])} otherwise"
    assert checked, "expected Lesson 5 to say which kinds of event meet none of the criteria"


PARTNERS = ("United States", "European Union", "ASEAN", "Russia", "Japan", "South Korea", "North Korea")
TREND = re.compile(r"trade with China (fell|rose|grew|declined) (?:that year|in (\d{4}))")


def _trend_claims(text: str, prompt: str) -> Iterator[tuple[str, str, int | None, bool]]:
    """(sentence, partner, year, says_down) for each sentence saying a partner's trade with China rose or fell."""
    prompt_year = re.search(r"\bIn (\d{4})\b", prompt)
    for sentence in re.split(r"(?<=\.)\s+", text):
        m = TREND.search(sentence)
        partner = next((p for p in PARTNERS if p in sentence), None)
        if m and partner:
            year = int(m[2]) if m[2] else int(prompt_year[1]) if prompt_year else None
            yield sentence, partner, year, m[1] in {"fell", "declined"}


def test_the_trend_reader_finds_a_partner_trend_and_its_year() -> None:
    found = list(_trend_claims("The United States is third in 2023; its trade with China fell that year.", "In 2023, which..."))
    assert [(p, y, down) for _, p, y, down in found] == [("United States", 2023, True)]
    assert not list(_trend_claims("China's share of North Korea's recorded trade rose in 2018.", ""))


def test_quiz_sentences_on_a_partner_rising_or_falling_match_the_data() -> None:
    trade = load("china_customs_trade")
    problems = []
    for path in sorted(QUIZZES.glob("lesson*.json")):
        for question in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            for text in _strings(question):
                for sentence, partner, year, down in _trend_claims(text, str(question.get("prompt", ""))):
                    rows = trade[trade["partner"] == partner].set_index("year")["total_usd_bn"].dropna()
                    if year is None or year not in rows.index or year - 1 not in rows.index:
                        problems.append(f"{path.name}: '{sentence}' but the data have no {partner} totals for that year and the one before")
                    elif (rows[year] < rows[year - 1]) != down:
                        problems.append(f"{path.name}: '{sentence}' but {partner}: {rows[year - 1]} -> {rows[year]}")
    assert not problems, "\n".join(problems)
