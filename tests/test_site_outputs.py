"""What a student sees in the stored notebooks is clean (the same outputs the website shows).

Every stored output of the lessons, exercises and solutions is scanned for: Altair's
renderer message where the chart's description belongs, a chart description too short to
say what it shows, a widget shown as its Python repr, a raw repr printed as the only form
of an output (an object, a tuple, a quoted string, a pandas Series footer), also line by
line in printed text, a warning or a traceback, a table that mixes ``NaN`` and ``<NA>``, a
table cell that pandas cut off with "...", a chart title or subtitle wider than the chart,
and Lesson 0 announcing a different number of quiz questions than its bank has.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from balancing_act import charts
from balancing_act.fallback import KernelFallback
from balancing_act.quiz import load_bank

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for folder in ("lessons", "exercises", "solutions") for p in (REPO / folder).glob("*.ipynb"))
VEGA_LITE = "application/vnd.vegalite.v5+json"
WIDGET = "application/vnd.jupyter.widget-view+json"

RAW_REPRS = {
    "an object repr such as Balance(...)": re.compile(r"^[A-Za-z_]\w*\(.*\)$", re.S),
    "a bare tuple": re.compile(r"^\(.*,.*\)$", re.S),
    "a quoted string": re.compile(r"^'.*'$|^\".*\"$", re.S),
    "a pandas Series footer": re.compile(r"(Name: .*, )?dtype: \w+\s*$"),
    "a default object repr": re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>"),
}
# Average glyph width as a share of the font size for the sans-serif fonts Vega uses.
GLYPH = 0.56


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _outputs(path: Path) -> list[tuple[int, str, dict[str, Any]]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        (i, _text(cell.get("source", "")), output)
        for i, cell in enumerate(nb["cells"])
        for output in cell.get("outputs", [])
    ]


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def output_problems(path: Path) -> list[str]:
    """Everything in one notebook's stored outputs that a student should not see."""
    problems: list[str] = []
    for cell, _source, output in _outputs(path):
        where = f"{_name(path)} cell {cell}"
        data = output.get("data", {})
        plain = _text(data.get("text/plain", ""))
        if VEGA_LITE in data:
            spec = data[VEGA_LITE]
            description = str(spec.get("description", "")).strip()
            if plain != description:
                problems.append(f"{where}: the chart's plain text is {plain[:60]!r}, not its description")
            if len(description.split()) < 5 or description.startswith(("Chart (no description)", "Chart: ")):
                problems.append(f"{where}: the chart's description {description[:60]!r} does not say what it shows")
            problems += [f"{where}: {p}" for p in title_overflow(spec)]
        elif WIDGET in data:
            if "Run this cell" not in plain:
                problems.append(f"{where}: the widget's plain text is {plain[:60]!r}; it should say to run the cell")
        elif plain and set(data) == {"text/plain"}:
            for what, pattern in RAW_REPRS.items():
                if pattern.search(plain.strip()):
                    problems.append(f"{where}: shows {what}: {plain.strip()[:70]!r}")
                    break
        if output.get("output_type") == "stream":
            text = _text(output.get("text", ""))
            if output.get("name") == "stderr":
                problems.append(f"{where}: a warning or message on stderr: {text.strip()[:70]!r}")
            for line in text.splitlines():
                what = next((w for w, pattern in RAW_REPRS.items() if pattern.search(line.strip())), None)
                if what:
                    problems.append(f"{where}: prints {what}: {line.strip()[:70]!r}")
                    break
        if output.get("output_type") == "error":
            problems.append(f"{where}: a stored error ({output.get('ename', '')})")
        table = _text(data.get("text/html", ""))
        if "<table" in table and ">NaN<" in table and "&lt;NA&gt;" in table:
            problems.append(f"{where}: a table shows both NaN and <NA> for missing values; use one")
    return problems


_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)


def truncated_cells(path: Path) -> list[str]:
    """Table cells that pandas cut off at ``display.max_colwidth`` (they end in "..."): a note the student cannot read."""
    found = []
    for cell, _source, output in _outputs(path):
        table = _text(output.get("data", {}).get("text/html", ""))
        cut = [text.strip() for text in _CELL.findall(table) if text.strip().endswith(("...", "…"))]
        if cut:
            found.append(f"{_name(path)} cell {cell}: {len(cut)} table cell(s) cut off, e.g. {cut[0][:60]!r}")
    return found


def title_overflow(spec: dict[str, Any]) -> list[str]:
    """Title or subtitle lines longer than the chart is wide (they are cut off or stretch the chart)."""
    width = spec.get("width")
    title = spec.get("title")
    if not isinstance(width, (int, float)) or not isinstance(title, dict):
        return []
    config = spec.get("config", {}).get("title", {})
    legend = 160 if "color" in json.dumps(spec.get("encoding", {})) or "layer" in spec else 0
    room = width + legend + 40
    out = []
    for key, size in (("text", config.get("fontSize", 13)), ("subtitle", config.get("subtitleFontSize", 10))):
        lines = title.get(key, [])
        for line in [lines] if isinstance(lines, str) else lines:
            if len(str(line)) * size * GLYPH > room:
                out.append(f"the {key} line {str(line)[:50]!r}... is about {len(str(line)) * size * GLYPH:.0f} px for {room:.0f} px")
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_stored_outputs_are_clean(path: Path) -> None:
    problems = output_problems(path)
    assert not problems, "\n".join(problems)


def test_no_notebook_cuts_off_a_table_cell() -> None:
    """pandas shortens a cell to 50 characters and "..."; a note the student is meant to read must show whole."""
    cut = [line for path in NOTEBOOKS for line in truncated_cells(path)]
    assert not cut, "tables cut off text the student is meant to read:\n" + "\n".join(cut)


def test_scanner_catches_each_kind_of_problem(tmp_path: Path) -> None:
    """The scanner is only worth something if it finds each defect it is meant to find."""
    long_title = "A title far too long for a narrow chart, so long that it cannot fit the width"
    spec = {"width": 100, "description": "A bar chart.", "title": {"text": long_title, "subtitle": ["Source: x"]}}
    outputs = [
        {"output_type": "display_data", "data": {VEGA_LITE: spec, "text/plain": "<VegaLite 5 object>\n\nIf you see this message..."}},
        {"output_type": "display_data", "data": {WIDGET: {"model_id": "x"}, "text/plain": "ClaimReview('lesson03')"}},
        {"output_type": "execute_result", "data": {"text/plain": "Balance(russia=0.40, north_korea=0.30)"}},
        {"output_type": "execute_result", "data": {"text/plain": "(0.4, 0.05)"}},
        {"output_type": "execute_result", "data": {"text/plain": "20    240.11\nName: total_usd_bn, dtype: float64"}},
        {"output_type": "execute_result", "data": {"text/plain": "x", "text/html": "<table><td>NaN</td><td>&lt;NA&gt;</td></table>"}},
        {"output_type": "display_data", "data": {VEGA_LITE: {"mark": "bar"}, "text/plain": ""}},
        {"output_type": "stream", "name": "stdout", "text": ["Shares:\n", "(0.4, 0.05)\n"]},
        {"output_type": "stream", "name": "stderr", "text": ["FutureWarning: something changed\n"]},
        {"output_type": "error", "ename": "KeyError", "evalue": "'x'", "traceback": []},
        {"output_type": "execute_result", "data": {"text/plain": "x", "text/html": "<table><td>Left empty: the only figure found is a conv...</td></table>"}},
    ]
    nb = {"cells": [{"cell_type": "code", "source": "", "outputs": outputs}]}
    path = tmp_path / "lessons" / "99_sample.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(nb), encoding="utf-8")
    found = "\n".join(output_problems(path))
    for expected in (
        "not its description", "the text line", "should say to run the cell", "object repr", "bare tuple",
        "Series footer", "both NaN and <NA>", "description '' does not say what it shows", "prints a bare tuple", "on stderr", "a stored error (KeyError)",
    ):
        assert expected in found, expected
    assert truncated_cells(path) == ["lessons/99_sample.ipynb cell 0: 1 table cell(s) cut off, e.g. 'Left empty: the only figure found is a conv...'"]


def test_course_charts_and_widgets_produce_clean_fallbacks() -> None:
    """The plain-text forms come from the package, so a re-run notebook stays clean."""
    import altair as alt
    import pandas as pd

    chart = charts.finish(alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q"), "T", "Source: S", "Two bars.")
    with alt.renderers.enable("mimetype"):
        bundle, _meta = chart.properties(width=200)._repr_mimebundle_()
    assert bundle["text/plain"] == "Two bars."
    assert bundle[VEGA_LITE]["description"] == "Two bars."
    # A learner's own chart, passed through described() as the exercises do, gets a derived description.
    own = alt.Chart(pd.DataFrame({"year": [2020, 2021], "v": [1.5, 3.0]})).mark_line().encode(x="year:O", y="v:Q")
    with alt.renderers.enable("mimetype"):
        bundle, _meta = charts.described(own)._repr_mimebundle_()
    assert bundle["text/plain"] == bundle[VEGA_LITE]["description"]
    assert bundle["text/plain"].startswith("Line chart of v by year") and "renderer" not in bundle["text/plain"]

    from balancing_act.claims import ClaimReview, load_claim
    from balancing_act.quiz import Quiz

    quiz = Quiz("lesson00", record=False)
    assert isinstance(quiz, KernelFallback)
    text = quiz._repr_mimebundle_()["text/plain"]
    assert text.startswith("Quiz: ") and "Run this cell to start the quiz" in text
    review = ClaimReview(load_claim("lesson01"))
    assert "Run this cell" in review._repr_mimebundle_()["text/plain"]
    assert repr(review) == "ClaimReview('lesson01')"  # the developer's repr is kept


_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def test_lesson0_text_matches_its_quiz() -> None:
    nb = json.loads((REPO / "lessons" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    said = [
        _NUMBERS[m.group(1).lower()]
        for cell in nb["cells"]
        if cell["cell_type"] == "markdown"
        for m in re.finditer(r"\b(one|two|three|four|five|six)[- ]question", _text(cell["source"]), re.I)
    ]
    assert said, "Lesson 0 no longer says how many questions its quiz has"
    assert set(said) == {len(load_bank("lesson00").questions)}
