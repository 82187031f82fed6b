"""The checks used on the course notebooks catch what they claim to catch.

A small notebook made for this test (written into the server's temporary copy, never
into the repository) stores a chart and a "Correct" that its code does not produce,
writes to stderr, raises, and has a cell after the error. Run through the same steps
as the course notebooks, each problem must be seen. The same page then shows that the
request blocker and the axe check report what they should.
"""

from __future__ import annotations

import json

from lab_driver import VEGA_LITE_MIME, axe_violations

SELF_CHECK = "e2e-selfcheck/broken.ipynb"
_CHART = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"a": 1}]},
    "mark": "bar",
    "encoding": {"x": {"field": "a", "type": "quantitative"}},
}


def _cell(source: str, outputs: list | None = None, count: int | None = None) -> dict:
    return {
        "cell_type": "code",
        "execution_count": count,
        "id": "cell-" + "".join(ch for ch in source if ch.isalnum())[:20],
        "metadata": {},
        "outputs": outputs or [],
        "source": source,
    }


def _write_notebook(root) -> None:
    cells = [
        _cell(
            "x = 1",
            [
                {"output_type": "execute_result", "execution_count": 1, "metadata": {},
                 "data": {"application/vnd.vegalite.v5+json": _CHART, "text/plain": "<chart>"}},
                {"output_type": "display_data", "metadata": {},
                 "data": {"text/html": '<div role="status">Correct</div>', "text/plain": "Correct"}},
            ],
            count=1,
        ),
        _cell('import sys\nprint("warning text", file=sys.stderr)'),
        _cell('raise ValueError("planted error")'),
        _cell("y = 2"),
    ]
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = root / SELF_CHECK
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


def test_checks_catch_planted_problems(lab_server, notebook, browser) -> None:
    _write_notebook(lab_server.root)
    nb = notebook(SELF_CHECK)
    report = nb.run_report
    assert report is not None

    # Cleared and re-run: the stored chart and the stored "Correct" are gone.
    assert nb.stored.outputs_with_mime(VEGA_LITE_MIME) == 1
    assert nb.wait_charts_drawn(1, timeout_ms=3_000) == 0
    assert "Correct" not in nb.page.locator(".jp-Notebook").inner_text()
    # The cells up to the error ran; the one after it was queued but never ran.
    assert report.prompts[:3] == ["[1]:", "[2]:", "[3]:"], report.prompts
    assert report.prompts[3] == "[ ]:", report.prompts
    assert report.never_queued == []
    errors = nb.error_outputs()
    assert any("warning text" in e for e in errors), errors
    assert any("planted error" in e for e in errors), errors

    # A request to another host, and a WebSocket to one, fail and are recorded.
    before = len(browser.blocked)
    with nb.page.expect_event("requestfailed") as failed:
        outcome = nb.page.evaluate(
            "() => fetch('https://example.org/e2e-probe').then(() => 'loaded', () => 'blocked')"
        )
    assert outcome == "blocked"
    # refused by the browser's proxy, at once (not by a missing network, which a networked machine has)
    assert failed.value.failure == "net::ERR_PROXY_CONNECTION_FAILED", failed.value.failure
    socket = nb.page.evaluate(
        """() => new Promise(done => { const ws = new WebSocket('wss://example.org/e2e-socket');
                                      ws.onopen = () => done('open'); ws.onerror = () => done('blocked'); })"""
    )
    assert socket == "blocked"
    assert any("example.org/e2e-probe" in b for b in browser.blocked[before:]), browser.blocked
    assert any(b.startswith("WEBSOCKET wss://example.org/e2e-socket") for b in browser.blocked[before:]), browser.blocked
    del browser.blocked[before:]

    # axe reports an unnamed button and low-contrast text placed in an output.
    nb.page.evaluate(
        """() => { const out = document.querySelector('.jp-Notebook .jp-OutputArea-output');
                   const probe = document.createElement('div');
                   probe.innerHTML = '<button class="e2e-probe"></button>'
                     + '<p style="color:#eee;background:#fff">faint text</p>';
                   out.appendChild(probe); }"""
    )
    report = axe_violations(nb.page, ".jp-OutputArea-output", {"serious", "critical"})
    rules = {v["id"] for v in report.violations}
    assert {"button-name", "color-contrast"} <= rules, rules
