"""Accessibility of the course's own content: what the notebooks put in output areas.

axe-core (the copy bundled in the ``axe-playwright-python`` package, pinned in the
``test`` extra) runs on the output areas only, after Run All and after the
interaction tests have filled in quiz feedback: all rules in JupyterLab's light
theme for every lesson and solution, and the colour-contrast rule again in the dark
theme for two representative lessons (the other rules do not depend on the theme). Violations of
impact "serious" or "critical" fail the test. JupyterLab's own interface is not
checked here.

A second check asks the browser's accessibility tree for the name of every widget
control in the outputs: each must have one.
"""

from __future__ import annotations

import pytest
from lab_driver import REPO, SCREENSHOTS, NotebookPage, StoredNotebook, axe_violations, describe_violations, discover

LIGHT, DARK = "JupyterLab Light", "JupyterLab Dark"
OUTPUTS = ".jp-OutputArea-output"
FAILING_IMPACTS = {"serious", "critical"}

# An ipywidgets slider whose description (the visible label) is not empty.
_LABELLED_SLIDER = ".widget-slider:has(> label.widget-label:not(:empty))"

# Findings in markup that JupyterLab or ipywidgets draw, not the course, and that the
# course cannot fix from Python. Each entry ignores ONE axe rule on nodes matching ONE
# selector; every other rule still runs on those nodes, and the rule still runs
# everywhere else.
KNOWN_UPSTREAM = [
    (
        "summary-name",
        ".vega-embed > details > summary",
        # vega-embed 6.21 (bundled in JupyterLab 4.6's Vega renderer) draws the chart's
        # "..." actions menu as <details title="Click to view actions"><summary><svg>...;
        # the title sits on <details>, so the <summary> has no accessible name. The only
        # way to avoid it from a notebook is to remove the menu (embed option
        # actions=false), which would also take "Save as PNG/SVG" away from learners.
        "vega-embed actions menu: unnamed <summary> drawn by JupyterLab's Vega renderer",
    ),
    (
        "aria-input-field-name",
        f"{_LABELLED_SLIDER} .noUi-handle[role=slider]",
        # ipywidgets 8.1 draws IntSlider/IntRangeSlider with noUiSlider: the handles are
        # role="slider" elements, and the widget's description is a <label> that is not
        # tied to them (no for/aria-labelledby). Python code cannot set attributes on the
        # handles. Only sliders that HAVE a non-empty description are excused: the
        # learner sees the label, assistive technology does not get it.
        "ipywidgets slider handle not tied to the slider's visible description",
    ),
]

# Widget controls as ipywidgets 8 renders them inside outputs.
CONTROLS = (
    ".jupyter-widgets input",
    ".jupyter-widgets select",
    ".jupyter-widgets textarea",
    ".jupyter-widgets button",
    ".jupyter-widgets [role=slider]",
    ".jupyter-widgets [contenteditable=true]",
)
# Controls whose only label is the ipywidgets description, for the same upstream
# reason as above (slider handles and the slider's editable value readout).
VISUAL_LABEL_ONLY = f"{_LABELLED_SLIDER} :is(.noUi-handle, .widget-readout)"


def _check_theme(nb: NotebookPage, theme: str, *, contrast_only: bool) -> None:
    nb.set_theme(theme)
    assert nb.theme() == theme
    assert nb.page.locator(OUTPUTS).count() > 0, "no output to check"
    report = axe_violations(nb.page, OUTPUTS, FAILING_IMPACTS, KNOWN_UPSTREAM, contrast_only=contrast_only)
    assert not report.violations, (
        f"{nb.rel_path}, {theme}: accessibility violations in our outputs:\n"
        f"{describe_violations(report.violations)}"
    )
    print(
        f"\n{nb.rel_path}, {theme}: no serious/critical violation; "
        f"colour contrast measured on {report.contrast_checked} elements"
    )
    assert report.contrast_checked > 0, "axe measured the contrast of no element"


@pytest.mark.parametrize("rel_path", discover("lessons") + discover("solutions"))
def test_outputs_accessible_light_theme(rel_path: str, notebook) -> None:
    nb = notebook(rel_path)
    _check_theme(nb, LIGHT, contrast_only=False)


def _dark_theme_lessons() -> list[str]:
    """The first lesson, and the first lesson that shows a quiz, an explorer and a claim.

    No output of the course sets its own colours (all follow JupyterLab's theme
    variables), so two lessons with every kind of widget stand for the rest and keep
    the run short.
    """
    lessons = discover("lessons")
    chosen = lessons[:1]
    for rel_path in lessons:
        stored = StoredNotebook.read(REPO / rel_path)
        if all(stored.cell_indices(tag=tag) for tag in ("quiz", "explorer", "claim")):
            chosen.append(rel_path)
            break
    return list(dict.fromkeys(chosen))


@pytest.mark.parametrize("rel_path", _dark_theme_lessons())
def test_outputs_accessible_dark_theme(rel_path: str, notebook) -> None:
    nb = notebook(rel_path)
    try:
        _check_theme(nb, DARK, contrast_only=True)
        nb.screenshot(SCREENSHOTS / f"dark-{rel_path.replace('/', '-').removesuffix('.ipynb')}.png")
    finally:
        # The theme is a user setting shared by every page of the server: put it back.
        nb.set_theme(LIGHT)


def _with_widgets() -> list[str]:
    """Notebooks whose stored outputs include a widget (lessons' quizzes, explorers, claims)."""
    found = []
    for rel_path in discover("lessons") + discover("solutions"):
        text = (REPO / rel_path).read_text(encoding="utf-8")
        if "application/vnd.jupyter.widget-view+json" in text:
            found.append(rel_path)
    return found


@pytest.mark.parametrize("rel_path", _with_widgets())
def test_widget_controls_have_accessible_names(rel_path: str, notebook, browser) -> None:
    nb = notebook(rel_path)
    page = nb.page
    selector = ", ".join(f".jp-Notebook {OUTPUTS} {c}" for c in CONTROLS)
    assert page.locator(selector).count() > 0, f"{rel_path} stores widget outputs but shows no widget controls"
    # Mark the controls whose only label is visual (see VISUAL_LABEL_ONLY).
    page.evaluate(
        "([sel, visual]) => document.querySelectorAll(sel).forEach(e =>"
        " { e.dataset.e2eVisualLabel = e.matches(visual) ? '1' : ''; })",
        [selector, VISUAL_LABEL_ONLY],
    )
    cdp = browser.context.new_cdp_session(page)
    unnamed, visual_only, named = [], [], 0
    try:
        cdp.send("DOM.enable")
        cdp.send("Accessibility.enable")
        document = cdp.send("DOM.getDocument", {"depth": 0})
        node_ids = cdp.send("DOM.querySelectorAll", {"nodeId": document["root"]["nodeId"], "selector": selector})[
            "nodeIds"
        ]
        for node_id in node_ids:
            ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})["nodes"]
            node = ax[0] if ax else {}
            if node.get("ignored"):
                continue  # hidden from assistive technology (e.g. display: none)
            if str(node.get("name", {}).get("value", "")).strip():
                named += 1
                continue
            html = cdp.send("DOM.getOuterHTML", {"nodeId": node_id})["outerHTML"]
            entry = f"{node.get('role', {}).get('value', '?')}: {html[:160]}"
            (visual_only if 'data-e2e-visual-label="1"' in html else unnamed).append(entry)
    finally:
        cdp.detach()
    assert node_ids, "the control selector found nothing through CDP"
    print(f"\n{rel_path}: {named} widget controls with an accessible name")
    if visual_only:
        print(
            f"{rel_path}: {len(visual_only)} slider parts labelled only by their visible "
            "ipywidgets description (not exposed to assistive technology):\n  " + "\n  ".join(visual_only)
        )
    assert not unnamed, f"{rel_path}: widget controls without an accessible name:\n" + "\n".join(unnamed)
