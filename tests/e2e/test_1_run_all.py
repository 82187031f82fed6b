"""Every lesson and every solution runs top to bottom in JupyterLab, cleanly and offline.

The notebooks are found on disk, so a new lesson or solution is covered without
touching this file. For each: open it, clear all outputs (so stored outputs cannot
pass for fresh ones), Run All, wait until every code cell has been queued and has
finished, then check for error output, undrawn charts and requests that left this
machine.
"""

from __future__ import annotations

import re

import pytest
from lab_driver import SCREENSHOTS, VEGA_LITE_MIME, discover

NOTEBOOKS = discover("lessons") + discover("solutions")


@pytest.mark.parametrize("rel_path", NOTEBOOKS)
def test_run_all(rel_path: str, notebook, browser) -> None:
    nb = notebook(rel_path)
    report = nb.run_report
    assert report is not None

    # Every code cell was queued ("[*]") by this Run All and ended with a number.
    assert not report.never_queued, f"code cells never queued by Run All: {report.never_queued}"
    numbers = []
    for index, prompt in enumerate(report.prompts):
        match = re.fullmatch(r"\[(\d+)\]:", prompt)
        assert match, f"code cell {index} did not finish: prompt {prompt!r} (all prompts: {report.prompts})"
        numbers.append(int(match.group(1)))
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), (
        f"cells did not run once each, in order: {report.prompts}"
    )
    assert len(numbers) == len(nb.stored.code_cells)

    errors = nb.error_outputs()
    assert not errors, f"{rel_path} shows error output:\n" + "\n---\n".join(errors)

    expected_charts = nb.stored.outputs_with_mime(VEGA_LITE_MIME)
    drawn = nb.wait_charts_drawn(expected_charts)
    assert nb.undrawn_charts() == 0, f"{nb.undrawn_charts()} chart(s) have no svg/canvas"
    assert drawn >= expected_charts, f"{drawn} charts drawn, the saved notebook has {expected_charts}"

    nb.wait_widgets_rendered()
    assert not nb.error_outputs(), "errors appeared while widgets rendered"

    nb.screenshot(SCREENSHOTS / f"{rel_path.replace('/', '-').removesuffix('.ipynb')}.png")
    assert browser.blocked == [], f"requests left 127.0.0.1: {browser.blocked}"


@pytest.mark.parametrize("rel_path", discover("solutions"))
def test_solution_checks_say_correct(rel_path: str, notebook) -> None:
    """Each ``.check(...)`` in a worked solution reports Correct."""
    nb = notebook(rel_path)
    indices = nb.stored.cell_indices(source_pattern=r"\.check\(")
    assert indices, f"{rel_path} has no check cell"
    for index in indices:
        text = nb.output_text(index)
        assert "Correct" in text and "Incorrect" not in text and "Not quite" not in text, (
            f"{rel_path}, cell {index}: the check says {text!r}"
        )
