"""A learner's hands on the widgets: quizzes by mouse and by keyboard, the explorers.

The expected quiz feedback comes from the course package itself (the quiz bank and
its grader), so these tests follow the content when a question changes. The partner
explorer of lesson 1 is driven in detail and timed; every other explorer must at
least redraw when its first control changes.
"""

from __future__ import annotations

import re
import statistics
import time

import pytest
from lab_driver import REPO, NotebookPage, StoredNotebook, discover, wait_until

from balancing_act.progress import ProgressStore
from balancing_act.quiz import QuizQuestion, grade, load_bank
from balancing_act.safe_text import plain

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips these tests (or fails them on CI)
    expect = None

SHOW_QUIZ = r"show_quiz\(\s*[\"']([a-z0-9_-]+)[\"']"
RADIO_TYPES = ("single", "truefalse")


def _with_cells(folder: str, **criteria: str) -> list[str]:
    """Notebooks of ``folder`` that have a code cell matching ``criteria``."""
    return [p for p in discover(folder) if StoredNotebook.read(REPO / p).cell_indices(**criteria)]


QUIZ_LESSONS = _with_cells("lessons", tag="quiz", source_pattern=SHOW_QUIZ)
EXPLORER_LESSONS = _with_cells("lessons", source_pattern=r"PartnerExplorer\(")


def _quiz(nb: NotebookPage) -> tuple[int, str]:
    """Index of the first quiz cell and the id of the bank it shows."""
    index = nb.stored.cell_indices(tag="quiz", source_pattern=SHOW_QUIZ)[0]
    match = re.search(SHOW_QUIZ, nb.stored.source(nb.stored.cells[index]))
    assert match
    return index, match.group(1)


def _question_box(nb: NotebookPage, cell_index: int, position: int, total: int):
    """The widget box of question ``position`` (its heading reads "Question i of n")."""
    heading = nb.cell(cell_index).locator(".widget-html", has_text=re.compile(rf"^\s*Question {position} of {total}\s*$"))
    expect(heading).to_have_count(1)
    # The heading is the first child of the question's own VBox.
    return heading.locator("xpath=..")


def _radio_questions(bank) -> list[tuple[int, QuizQuestion]]:
    return [(i, q) for i, q in enumerate(bank.questions, start=1) if q.type in RADIO_TYPES]


def _expected(question: QuizQuestion, choice: int) -> str:
    """The headline the widget shows for option ``choice`` (as QuestionView grades it)."""
    response = (choice == 0) if question.type == "truefalse" else choice
    outcome = grade(question, response)
    return f"{outcome.symbol} {outcome.headline}"


def _need(items: list[str], what: str) -> None:
    if not items:
        pytest.fail(f"no lesson has {what}; the interaction tests need one", pytrace=False)


@pytest.mark.parametrize("rel_path", QUIZ_LESSONS or ["(none)"])
def test_quiz_answered_with_the_mouse(rel_path: str, notebook, lab_server, browser) -> None:
    _need(QUIZ_LESSONS, "a quiz cell")
    nb = notebook(rel_path)
    cell_index, bank_id = _quiz(nb)
    bank = load_bank(bank_id)
    candidates = _radio_questions(bank)
    assert candidates, f"quiz {bank_id} has no single-choice or true/false question"
    position, question = candidates[0]
    choice = next(i for i, option in enumerate(question.choices) if option.correct)
    box = _question_box(nb, cell_index, position, len(bank.questions))
    nb.scroll_into_view(box)

    # The options are shown in the learner's own order: find the right one by its text.
    right = box.get_by_role("radio", name=plain(question.choices[choice].text), exact=True)
    right.click()
    expect(right).to_be_checked()
    box.get_by_role("button", name="Check answer").click()

    expected = _expected(question, choice)
    expect(box.get_by_role("status")).to_contain_text(expected, timeout=30_000)
    # The quiz's score line counts it (the keyboard test answers wrongly on purpose).
    expect(nb.cell(cell_index).get_by_text(re.compile(r"^Score: 1 / \d+$"))).to_be_visible()
    # ... and the kernel recorded the answer in the learner's progress file.
    item = f"quiz:{bank_id}:{question.id}"
    recorded = wait_until(
        lambda: [r for r in ProgressStore(lab_server.progress_file).records() if r.item == item], 15
    )
    assert recorded and recorded[-1].outcome == "correct", f"{item} not recorded as correct: {recorded}"
    assert browser.blocked == [], f"requests left 127.0.0.1: {browser.blocked}"


@pytest.mark.parametrize("rel_path", QUIZ_LESSONS or ["(none)"])
def test_quiz_answered_with_the_keyboard(rel_path: str, notebook, browser) -> None:
    _need(QUIZ_LESSONS, "a quiz cell")
    nb = notebook(rel_path)
    page = nb.page
    cell_index, bank_id = _quiz(nb)
    bank = load_bank(bank_id)
    candidates = _radio_questions(bank)
    assert len(candidates) >= 2, f"quiz {bank_id} needs two single-choice/true-false questions for this test"
    position, question = candidates[1]
    # A wrong answer, so this path shows the "not quite" feedback.
    choice = next(i for i, option in enumerate(question.choices) if not option.correct)
    box = _question_box(nb, cell_index, position, len(bank.questions))
    nb.scroll_into_view(box)
    radios = box.get_by_role("radio")
    target = box.get_by_role("radio", name=plain(question.choices[choice].text), exact=True)
    target_id = target.evaluate("el => { el.dataset.e2eTarget = '1'; return true; }")
    assert target_id

    # ipywidgets renders the options as separate radios (no shared name), so each one
    # is its own Tab stop and Space selects it. Arrow keys are not used: with no radio
    # group to move in, JupyterLab takes ArrowDown as "select the next cell".
    radios.first.focus()
    is_target = "() => document.activeElement && document.activeElement.dataset.e2eTarget === '1'"
    for _ in range(len(question.choices)):
        if page.evaluate(is_target):
            break
        page.keyboard.press("Tab")
    assert page.evaluate(is_target), "could not reach the answer option with the keyboard"
    page.keyboard.press("Space")
    expect(target).to_be_checked()

    on_button = (
        "() => document.activeElement && document.activeElement.tagName === 'BUTTON'"
        " && document.activeElement.textContent.trim() === 'Check answer'"
    )
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate(on_button):
            break
    assert page.evaluate(on_button), "Tab never reached the Check answer button"
    assert box.locator("button:focus").count() == 1, "the focused Check button belongs to another question"
    page.keyboard.press("Enter")

    expect(box.get_by_role("status")).to_contain_text(_expected(question, choice), timeout=30_000)
    assert browser.blocked == [], f"requests left 127.0.0.1: {browser.blocked}"


# A drawn chart's accessible document: inside JupyterLab's own renderer's box, or the explorer's live chart's box itself.
CHART_DOCUMENT = ".vega-embed[role=graphics-document], .vega-embed [role=graphics-document]"


@pytest.mark.parametrize("rel_path", EXPLORER_LESSONS or ["(none)"])
def test_explorer_year_and_measure(rel_path: str, notebook, browser, timings) -> None:
    _need(EXPLORER_LESSONS, "a PartnerExplorer")
    nb = notebook(rel_path)
    page = nb.page
    nb.wait_widgets_rendered()
    cell = nb.cell(nb.stored.cell_indices(source_pattern=r"PartnerExplorer\(")[0])
    year = cell.get_by_role("combobox", name="Year")
    nb.scroll_into_view(year)
    chart = cell.locator(CHART_DOCUMENT)
    summary = cell.locator(".widget-html", has_text=re.compile(r"^\s*\d{4}, China's"))
    expect(chart).to_have_count(1, timeout=30_000)  # the chart's front end loads with the widget
    expect(summary).to_have_count(1)

    years = [o for o in year.locator("option").all_inner_texts()]
    assert len(years) >= 2, f"the explorer offers {years}"
    samples: list[float] = []
    summary_samples: list[float] = []
    cell_handle = cell.element_handle()

    def change(action, expect_in_label: str) -> tuple[str, str]:
        """Do ``action``; wait for a new, drawn chart; return (aria label, summary)."""
        old_label = chart.get_attribute("aria-label") or ""
        old_text = summary.inner_text()
        t0 = page.evaluate("() => { window.__e2eSummaryAt = null; return performance.now(); }")
        action()
        done = page.wait_for_function(
            r"""([cell, oldLabel, oldText, want, chartDocument]) => {
                 const s = [...cell.querySelectorAll('.widget-html')].find(e => /^\s*\d{4}, China's/.test(e.textContent));
                 if (s && s.textContent !== oldText && window.__e2eSummaryAt === null) {
                   window.__e2eSummaryAt = performance.now();
                 }
                 const c = [...cell.querySelectorAll(chartDocument)]
                   .find(e => (e.getAttribute('aria-label') || '') !== oldLabel
                              && (e.getAttribute('aria-label') || '').includes(want));
                 return c && c.querySelector('svg, canvas') ? performance.now() : false;
               }""",
            arg=[cell_handle, old_label, old_text, expect_in_label, CHART_DOCUMENT],
            polling="raf",
            timeout=60_000,
        ).json_value()
        samples.append(round((done - t0) / 1000.0, 3))
        summary_at = page.evaluate("() => window.__e2eSummaryAt")
        if summary_at is not None:
            summary_samples.append(round((summary_at - t0) / 1000.0, 3))
        expect(chart).to_have_count(1)
        return chart.get_attribute("aria-label") or "", summary.inner_text()

    current = year.input_value()
    # At least three year changes: walk through the other years, then back.
    sequence = [y for y in years if y != current] + [current]
    while len(sequence) < 3:
        sequence += sequence
    for value in sequence:
        label, text = change(lambda v=value: year.select_option(v), f"in {value}")
        assert f"in {value}" in label, f"chart label after choosing {value}: {label!r}"
        assert text.strip().startswith(f"{value}, China's"), f"summary after choosing {value}: {text!r}"

    # The measure toggle redraws too.
    exports = cell.get_by_role("button", name="Exports", exact=True)
    label, text = change(exports.click, "exports")
    assert "exports" in label and "exports" in text, (label, text)
    cell.get_by_role("button", name="Total trade", exact=True).click()
    expect(summary).to_contain_text("total trade")

    assert not nb.error_outputs(), nb.error_outputs()
    timings.explorer_update_s[rel_path] = samples
    print(
        f"\n{rel_path}: explorer change -> updated chart, median {statistics.median(samples):.3f} s {samples}; "
        f"-> updated summary text, median {statistics.median(summary_samples or [0]):.3f} s {summary_samples}"
    )
    assert browser.blocked == [], f"requests left 127.0.0.1: {browser.blocked}"


EXPLORER_TAGGED = _with_cells("lessons", tag="explorer")

# What an explorer shows: chart descriptions and the text of its HTML and output parts.
_EXPLORER_STATE = """
cell => [
  ...[...cell.querySelectorAll('.vega-embed[role=graphics-document], .vega-embed [role=graphics-document]')].map(e => e.getAttribute('aria-label') || ''),
  ...[...cell.querySelectorAll('.widget-html, .widget-output')].map(e => e.innerText),
].join('\\n')
"""


def _settled(cell, quiet_s: float = 0.3, timeout_s: float = 15) -> str:
    """The explorer's state once it has stopped changing for ``quiet_s`` seconds."""
    deadline = time.monotonic() + timeout_s
    last = cell.evaluate(_EXPLORER_STATE)
    while time.monotonic() < deadline:
        time.sleep(quiet_s)
        now = cell.evaluate(_EXPLORER_STATE)
        if now == last:
            return now
        last = now
    return last


# Records, for the explorer cell it is installed on, the time of the first event a learner's
# change fires (change, input, keydown, click) and the time of the last change to its output.
_LATENCY_WATCH = """
cell => {
  // t0: the first event of a change; commit: the first change or click, which hands the new value to the
  // widget (a number field's arrow key only steps the box; its Enter commits it). The test clears all three.
  const st = {t0: null, commit: null, last: null};
  const seen = () => { if (st.t0 === null) st.t0 = performance.now(); };
  const committed = () => { seen(); if (st.commit === null) st.commit = performance.now(); };
  for (const kind of ['input', 'keydown']) cell.addEventListener(kind, seen, true);
  for (const kind of ['change', 'click']) cell.addEventListener(kind, committed, true);
  const out = cell.querySelector('.jp-Cell-outputArea');
  new MutationObserver(() => { if (st.t0 !== null) st.last = performance.now(); })
    .observe(out, {subtree: true, childList: true, characterData: true, attributes: true});
  window.__e2eLatency = st;
}
"""
QUIET_MS = 200  # the output counts as redrawn once nothing has changed in it for this long
LATENCY_CHANGES_PER_CONTROL = 2
LATENCY_MAX_CONTROLS = 4
# Explorers whose every control is driven, and must answer: the model lab's parameters are the lesson.
EVERY_CONTROL = {"lessons/07_overextension_model.ipynb"}
EXPLORER_CELLS = [
    (rel_path, index)
    for rel_path in EXPLORER_TAGGED
    for index in StoredNotebook.read(REPO / rel_path).cell_indices(tag="explorer")
]


def _control_changes(cell, limit: int = LATENCY_MAX_CONTROLS) -> list[tuple[str, object]]:
    """(description, action) pairs that change up to ``limit`` of the explorer's controls and change them back."""
    changes: list[tuple[str, object]] = []
    controls = 0
    for select in cell.locator(".jupyter-widgets select").all():
        values = select.evaluate("s => [...s.options].map(o => o.value)")
        start = select.evaluate("s => [...s.selectedOptions].map(o => o.value)")
        others = [v for v in values if v not in start]
        if select.evaluate("s => s.multiple"):
            # A multiple choice: add an option, or (everything chosen) leave the last one out.
            other = start + others[:1] if others else start[:-1]
        else:
            other = others[:1]
        if not other or other == start or controls >= limit:
            continue
        controls += 1
        changes += [(f"select {other}", lambda s=select, v=other: s.select_option(v)),
                    (f"select {start}", lambda s=select, v=start: s.select_option(v))]
    for group in cell.locator(".jupyter-widgets.widget-toggle-buttons").all():
        buttons = group.locator("button").all()
        if len(buttons) < 2 or controls >= limit:
            continue
        controls += 1
        pressed = next((b for b in buttons if "mod-active" in (b.get_attribute("class") or "")), buttons[0])
        other = next(b for b in buttons if b != pressed)
        changes += [("toggle", other.click), ("toggle back", pressed.click)]
    for field in cell.locator(".jupyter-widgets input[type=number]").all():
        if controls >= limit:
            break
        controls += 1
        # a step up and back, or (at the top of its range) a step down and back
        at_top = field.evaluate("f => f.max !== '' && Number(f.value) + Number(f.step || 1) > Number(f.max) + 1e-9")
        keys = ("ArrowDown", "ArrowUp") if at_top else ("ArrowUp", "ArrowDown")
        label = field.evaluate("f => (f.closest('.widget-inline-hbox')?.querySelector('label')?.textContent || '').trim()")
        changes += [(f"{label or 'number'} {key}", lambda f=field, k=key: (f.focus(), f.press(k), f.press("Enter"))) for key in keys]
    for slider in cell.locator(".jupyter-widgets [role=slider]").all():
        if controls >= limit:
            break
        controls += 1
        changes += [(f"slider {key}", lambda s=slider, k=key: (s.focus(), s.press(k))) for key in ("ArrowRight", "ArrowLeft")]
    return changes[: limit * LATENCY_CHANGES_PER_CONTROL]


@pytest.mark.parametrize(("rel_path", "cell_index"), EXPLORER_CELLS or [("(none)", 0)])
def test_explorer_change_to_redrawn_output(rel_path: str, cell_index: int, notebook, timings, browser) -> None:
    """Every explorer (cells tagged "explorer") answers changes of its controls; the time is recorded.

    Up to LATENCY_MAX_CONTROLS controls (lists, toggle buttons, number fields, sliders) are each
    changed and changed back; in the explorers of EVERY_CONTROL, every control is, and each must
    answer. The first change must change what the explorer shows (its charts'
    descriptions and its text); every chart must draw and no error appear. The time of each
    change runs from the event that hands the new value to the widget (a change or a click; the first
    event when there is none) to the last change to the cell's output
    (once that has been quiet for QUIET_MS); the benchmark reports these times against budgets.
    """
    _need(EXPLORER_CELLS, "a cell tagged explorer")
    nb = notebook(rel_path)
    page = nb.page
    nb.wait_widgets_rendered()
    cell = nb.cell(cell_index)
    nb.scroll_into_view(cell)
    every = rel_path in EVERY_CONTROL
    changes = _control_changes(cell, limit=10_000 if every else LATENCY_MAX_CONTROLS)
    assert changes, f"{rel_path} cell {cell_index}: no control this test knows how to change"
    if every:
        fields = cell.locator(".jupyter-widgets input[type=number], .jupyter-widgets select, .jupyter-widgets [role=slider]").count()
        assert len(changes) == LATENCY_CHANGES_PER_CONTROL * fields, f"{rel_path}: {len(changes) // 2} of {fields} controls driven"
    cell.evaluate(_LATENCY_WATCH)
    before = _settled(cell)
    samples, silent = [], []
    for number, (description, action) in enumerate(changes):
        page.evaluate("() => { const s = window.__e2eLatency; s.t0 = null; s.commit = null; s.last = null; }")
        action()
        try:
            page.wait_for_function(
                """quiet => { const s = window.__e2eLatency;
                     return s.t0 !== null && s.last !== null && performance.now() - s.last > quiet; }""",
                # after the first change, a change that shows nothing new is given up on sooner
                arg=QUIET_MS, polling=25, timeout=10_000 if number == 0 else 4_000,
            )
        except Exception:
            silent.append(description)
            assert number > 0, f"{rel_path} cell {cell_index}: the explorer did not answer {description}"
            continue
        state = page.evaluate("() => window.__e2eLatency")
        # from the commit, unless the output had already changed before it (then from the first event)
        start = state["commit"] if state["commit"] is not None and state["commit"] <= state["last"] else state["t0"]
        samples.append(round((state["last"] - start) / 1000.0, 3))
        if number == 0:
            assert cell.evaluate(_EXPLORER_STATE) != before, f"{rel_path}: {description} changed nothing it shows"
    assert nb.undrawn_charts() == 0, "a chart did not draw after a change"
    assert not nb.error_outputs(), nb.error_outputs()
    assert samples, f"{rel_path} cell {cell_index}: no change redrew the output ({silent})"
    if silent:
        # a step of a parameter that leaves the choice and the best balance where they were shows nothing new
        print(f"\n{rel_path} cell {cell_index}: {len(silent)} of {len(changes)} changes left the output as it was: {silent}")
    timings.explorer_update_s[f"{rel_path}#cell{cell_index}"] = samples
    assert browser.blocked == [], f"requests left 127.0.0.1: {browser.blocked}"
