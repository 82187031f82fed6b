"""Checks for the Lesson 8 exercise: implications for global politics, and a capstone.

Two warm-up questions practise pandas on the course data (expected answers computed
from ``data/`` the first time a learner checks). The three capstone checks are open:
each learner chooses their own claim and evidence, so they check the *form* of the work
(a tidy evidence table built from course datasets, a chart with a title, units and a
source, a judgement long enough to weigh evidence and naming a limit), never a single
right answer. None of them raises, whatever it is given. Importing this module reads
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from balancing_act.checks import (
    ExerciseSet,
    Question,
    chart_encodings,
    chart_parts,
    chart_marks,
    echo,
    expect,
    expect_chart,
    expect_equal,
    expect_number,
    year_slips,
)
from balancing_act.data import list_datasets, load
from balancing_act.topics.implications import COLUMNS

#: Fewest rows an evidence table may have.
MIN_ROWS = 3

#: Fewest words a written judgement may have.
MIN_WORDS = 80

#: Words and phrases that show a judgement names a limit of the evidence.
LIMIT_PATTERN = re.compile(
    r"\b(limit\w*|caveat\w*|cannot|can't|can not|could not|couldn't|does not show|doesn't show|do not show|"
    r"don't show|not in the data|no data|no figure\w*|missing|gap\w*|incomplete|uncertain\w*|estimate\w*|"
    r"selection|unclear|unknown|lack\w*|bias\w*|only cover\w*|not complete)\b",
    re.IGNORECASE,
)


# ----------------------------------------------------------------- warm-ups
def _western_measures(year: int) -> int:
    measures = load("sanctions_measures")
    western = measures[(measures["actor"] != "China") & measures["date"].str.startswith(str(year))]
    return int(len(western))


def _western_measures_2024() -> int:
    return _western_measures(2024)


def _measure_years() -> list[int]:
    return sorted({int(date[:4]) for date in load("sanctions_measures")["date"].dropna()})


def _russia_top_years() -> list[int]:
    crude = load("china_crude_imports")
    top = crude[(crude["supplier"] == "Russia") & (crude["rank"] == 1)]
    return sorted(int(y) for y in top["year"])


# ------------------------------------------------------------------ capstone
def _evidence_table(value: Any) -> bool | str:
    if isinstance(value, pd.Series):
        return "Your evidence is a single column (a Series); build a table with several columns, e.g. pd.DataFrame({...})."
    if not isinstance(value, pd.DataFrame):
        return "Build your evidence as a pandas DataFrame, e.g. pd.DataFrame({'indicator': ..., 'year': ..., ...})."
    columns = [str(c) for c in value.columns]
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        return f"A tidy evidence table has the columns {list(COLUMNS)}; yours is missing {missing}."
    if len(value) < MIN_ROWS:
        return f"Gather at least {MIN_ROWS} rows of evidence; your table has {len(value)}."
    values = pd.to_numeric(value["value"], errors="coerce")
    if values.isna().any():
        return "Every row needs a number in 'value'. Drop rows without a figure (.dropna(subset=['value'])) rather than guessing one."
    years = pd.to_numeric(value["year"], errors="coerce")
    if years.isna().any() or not ((years % 1 == 0) & years.between(1945, 2030)).all():
        return "The 'year' column should hold calendar years as whole numbers, such as 2024."
    for column in ("indicator", "unit", "dataset"):
        texts = value[column]
        if not all(isinstance(t, str) and t.strip() for t in texts):
            return f"Fill in the '{column}' column on every row with text (for example the same text on each row of one series)."
    known = set(list_datasets())
    unknown = sorted({t.strip() for t in value["dataset"]} - known)
    if unknown:
        return (
            f"The 'dataset' column should name the course datasets your figures come from; {echo(unknown[0])} is not one. "
            f"The datasets are: {', '.join(sorted(known))}."
        )
    return True


def _title_texts(spec: Mapping[str, Any]) -> tuple[str, str]:
    """The chart's title text and its subtitle, from the top level or the first view that has one."""
    for part in chart_parts(spec):
        title = part.get("title")
        if isinstance(title, Mapping):
            text, subtitle = title.get("text", ""), title.get("subtitle", "")
        elif title is not None:
            text, subtitle = title, ""
        else:
            continue
        join = lambda t: " ".join(map(str, t)) if isinstance(t, list) else str(t or "")  # noqa: E731
        if join(text).strip():
            return join(text).strip(), join(subtitle).strip()
    return "", ""


def _capstone_chart(spec: dict[str, Any]) -> bool | str:
    if not chart_marks(spec):
        return "Your chart has no mark yet: add one, such as .mark_line(point=True) or .mark_bar()."
    text, subtitle = _title_texts(spec)
    if not text:
        return "Give your chart a title that states its point: .properties(title=alt.TitleParams('...', subtitle=['Source: ...']))."
    if "source" not in f"{text} {subtitle}".lower():
        return "Add a source line to the title, e.g. title=alt.TitleParams('My title', subtitle=['Source: China\\'s customs, course dataset china_crude_imports'])."
    titled = False
    for encoding in chart_encodings(spec):
        for channel in ("x", "y"):
            entry = encoding.get(channel)
            if isinstance(entry, Mapping):
                title = entry.get("title")
                if (isinstance(title, str) and title.strip()) or (isinstance(title, list) and any(str(t).strip() for t in title)):
                    titled = True
    if not titled:
        return "Give the value axis a title that names its unit, e.g. y=alt.Y('value:Q', title='million tonnes')."
    return True


def _judgement(value: Any) -> bool | str:
    if not isinstance(value, str):
        return 'Write your judgement as text between triple quotes: judgement = """..."""'
    words = len(value.split())
    if words < MIN_WORDS:
        return (
            f"Your judgement has {words} word{'' if words == 1 else 's'}; write at least {MIN_WORDS}, covering the claim, the evidence, "
            "two perspectives, a limit of the data and your verdict."
        )
    if not LIMIT_PATTERN.search(value):
        return (
            "Name at least one limit of your evidence, using words such as 'limit', 'missing', 'cannot show', "
            "'estimate' or 'selection': for example a missing year, or something the figures cannot show."
        )
    return True


ex = ExerciseSet(
    lesson=8,
    questions=[
        Question(
            "q1",
            expect_number(_western_measures_2024, tol=0, unit="measures",
                          describe="the number of Western measures on Chinese firms in the course list for 2024",
                          slips=year_slips(_western_measures, 2024, _measure_years, what="count"),
                          success="Right: that is how many Western measures the course list records for 2024."),
            hints=[
                "Use the measures table; each row is one measure or one Chinese response.",
                'Keep the rows whose actor is not "China" and whose date starts with "2024" (dates are text such as "2024-06-12").',
                'Combine two conditions with &: measures[(measures["actor"] != "China") & measures["date"].str.startswith("2024")], then len(...).',
            ],
            solution=(
                'western_2024 = measures[(measures["actor"] != "China") & measures["date"].str.startswith("2024")]\n'
                "measures_2024 = len(western_2024)"
            ),
        ),
        Question(
            "q2",
            expect_equal(_russia_top_years, describe="the sorted list of years in which Russia ranks first", success="Right: those are the years Russia was China's largest crude oil supplier in the data."),
            hints=[
                "Use the crude table; the rank column gives a supplier's place where a source states it.",
                'Keep the rows where supplier is "Russia" and rank equals 1, then take the year column.',
                'sorted(int(y) for y in crude.loc[(crude["supplier"] == "Russia") & (crude["rank"] == 1), "year"]) gives a plain list.',
            ],
            solution=(
                'top = crude[(crude["supplier"] == "Russia") & (crude["rank"] == 1)]\n'
                'top_years = sorted(int(y) for y in top["year"])'
            ),
        ),
        Question(
            "q3",
            expect(_evidence_table, "a tidy evidence table built from course datasets",
                   expected="a pandas DataFrame", success="Your evidence table is tidy and traceable to data/."),
            hints=[
                f"One row per figure, with the columns {list(COLUMNS)}, like implications.indicator_dashboard().",
                "Load a dataset, filter the rows you need, then build the columns: pd.DataFrame({'indicator': 'Russian crude to China', "
                "'year': rows['year'], 'value': rows['million_tonnes'], 'unit': 'million tonnes', 'dataset': 'china_crude_imports'}).",
                "For several series, build one small table per series and join them with pd.concat([a, b], ignore_index=True). "
                "Drop rows without a figure with .dropna(subset=['value']).",
            ],
            solution=(
                'crude = load("china_crude_imports")\n'
                'oil = crude[crude["supplier"] == "Russia"].dropna(subset=["million_tonnes"])\n'
                "evidence = pd.DataFrame({\n"
                '    "indicator": "Crude oil China imported from Russia",\n'
                '    "year": oil["year"].astype(int),\n'
                '    "value": oil["million_tonnes"],\n'
                '    "unit": "million tonnes",\n'
                '    "dataset": "china_crude_imports",\n'
                "})"
            ),
        ),
        Question(
            "q4",
            expect_chart(_capstone_chart, "a chart with a title, a source line and an axis title with units",
                         success="Your chart has a title, a source line and units."),
            hints=[
                "Start from alt.Chart(evidence) with a mark, e.g. .mark_line(point=True), and encode year on x and value on y.",
                "Axis titles go inside the encoding: y=alt.Y('value:Q', title='million tonnes'). One unit per axis: chart one unit at a time.",
                "Title and source: .properties(title=alt.TitleParams('What the chart shows', subtitle=['Source: ... (course dataset ...)'])).",
            ],
            solution=(
                "chart = (\n"
                "    alt.Chart(evidence)\n"
                "    .mark_line(point=True)\n"
                "    .encode(\n"
                '        x=alt.X("year:O", title="Year"),\n'
                '        y=alt.Y("value:Q", title="Million tonnes"),\n'
                '        tooltip=["year", "value", "unit", "dataset"],\n'
                "    )\n"
                "    .properties(title=alt.TitleParams(\n"
                '        "China\'s crude oil imports from Russia were highest in 2023 and 2024",\n'
                "        subtitle=[\"Source: China's customs (GACC), as reported; course dataset china_crude_imports\"],\n"
                "    ))\n"
                ")"
            ),
        ),
        Question(
            "q5",
            expect(_judgement, f"a judgement of at least {MIN_WORDS} words that names a limit of the evidence",
                   expected="text (a str)", success="Your judgement is long enough and names a limit. Now assess it against the rubric."),
            hints=[
                "Start with the claim in your own words and the article section it comes from.",
                "Then: what your evidence shows (with figures and years), how two sides read it, and one thing the data cannot show.",
                f"End with a verdict and how confident you are. Aim for {MIN_WORDS}-200 words; check the rubric in the lesson.",
            ],
            solution=(
                'judgement = """The article\'s section on economic interdependence says China gains cheap energy from Russia. '
                "... (see the worked example in the solution notebook) ... The course has volumes, not prices, so it cannot "
                'show that the oil was cheap."""'
            ),
        ),
    ],
    skills={
        "q1": ["pandas.filter"],
        "q2": ["pandas.filter", "pandas.sort"],
        "q3": ["pandas.reshape", "evidence.statement"],
        "q4": ["altair.title"],
        "q5": ["evidence.statement"],
    },
)
