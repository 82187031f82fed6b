"""Claim-versus-evidence activities.

Each lesson has one claim of the article to judge. The content is data: a JSON
file ``claims/<id>.json`` with the claim in our own words, the evidence to weigh,
the perspectives of each side (each with its source) and a discussion to compare
with, and optionally the course's own ``model_verdict`` (one of ``verdicts``).
The learner picks a verdict and writes a reason; only then are the
perspectives and the model discussion revealed, and the verdict is saved in the
progress file.  An empty or one-word reason gets a friendly prompt instead: it
blocks nothing else in the lesson, and what the learner chose stays in place.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from html import escape
from importlib import resources
from typing import Any

import ipywidgets as widgets

from balancing_act.fallback import KernelFallback
from balancing_act import json_input, progress
from balancing_act.data import GRADES

__all__ = [
    "MIN_REASON_WORDS",
    "PLACES",
    "Claim",
    "ClaimError",
    "ClaimReview",
    "Perspective",
    "Scholar",
    "load_claim",
    "show_claim",
]

#: Fewest words a reason needs before the perspectives are shown.
MIN_REASON_WORDS = 2

_REQUIRED = ("id", "lesson", "claim", "article_section", "question", "verdicts", "evidence", "perspectives", "discussion")


#: Where a scholar whose view a perspective gives may be based: the six places the course compares
#: voices from, then other places a cited scholar works in.
PLACES = ("China", "Russia", "Korea", "Japan", "Europe", "United States")
_OTHER_PLACES = ("Australia", "Southeast Asia")
_SCHOLAR_KEYS = ("name", "affiliation", "based_in", "date")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class ClaimError(ValueError):
    """A claim file is missing or malformed."""


@dataclass(frozen=True)
class Scholar:
    """Who holds a perspective's view, where they work, and when they stated it (YYYY, YYYY-MM or YYYY-MM-DD)."""

    name: str
    affiliation: str
    based_in: str
    date: str


@dataclass(frozen=True)
class Perspective:
    actor: str
    summary: str
    source_label: str
    source_url: str
    source_grade: str | None = None
    scholar: Scholar | None = None


def _valid_iso_date(text: str) -> bool:
    match = _ISO_DATE.match(text)
    if not match:
        return False
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _parse_scholar(raw: Any, where: str, grade: Any) -> Scholar:
    """The ``scholar`` entry of a perspective, or a ClaimError that names the fault and the fix."""
    shape = '{"name": ..., "affiliation": ..., "based_in": ..., "date": "YYYY-MM-DD"}'
    if not isinstance(raw, dict):
        raise ClaimError(f"{where}: 'scholar' must be an object like {shape}, got {raw!r}.")
    missing = [key for key in _SCHOLAR_KEYS if not isinstance(raw.get(key), str) or not raw[key].strip()]
    if missing:
        raise ClaimError(f"{where}: the scholar entry lacks {missing}. Give each as text, e.g. {shape}.")
    places = PLACES + _OTHER_PLACES
    if raw["based_in"] not in places:
        raise ClaimError(
            f"{where}: the scholar's 'based_in' is {raw['based_in']!r}; use one of {', '.join(places)} "
            "(where the scholar worked when making the statement)."
        )
    if not _valid_iso_date(raw["date"]):
        raise ClaimError(
            f"{where}: the scholar's 'date' is {raw['date']!r}; write the date of the statement or publication "
            "as YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2024-04 for April 2024)."
        )
    if grade not in GRADES:
        raise ClaimError(
            f"{where}: a scholar's view needs a graded source; the source's 'grade' is {grade!r}. Use one of "
            f"{', '.join(GRADES)}: primary for the scholar's own publication, report for a news report of it."
        )
    return Scholar(raw["name"].strip(), raw["affiliation"].strip(), raw["based_in"], raw["date"])


@dataclass(frozen=True)
class Claim:
    id: str
    lesson: int
    claim: str
    article_section: str
    question: str
    verdicts: tuple[str, ...]
    evidence: tuple[str, ...]
    perspectives: tuple[Perspective, ...]
    discussion: str
    model_verdict: str | None = None


def _parse(data: Any, filename: str) -> Claim:
    if not isinstance(data, dict):
        raise ClaimError(f"{filename}: expected a JSON object at the top level.")
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise ClaimError(f"{filename}: missing {missing}. Add them; see claims/lesson01.json for the shape.")
    if not isinstance(data["lesson"], int):
        raise ClaimError(f"{filename}: 'lesson' must be a whole number, got {data['lesson']!r}.")
    if not isinstance(data["verdicts"], list) or len(data["verdicts"]) < 2:
        raise ClaimError(f"{filename}: 'verdicts' must list at least two choices.")
    perspectives = []
    for i, p in enumerate(data["perspectives"]):
        source = p.get("source") if isinstance(p, dict) else None
        if not isinstance(source, dict) or not source.get("label") or not str(source.get("url", "")).startswith("http"):
            raise ClaimError(f"{filename}: perspective {i + 1} needs a source with a 'label' and an http(s) 'url'.")
        if not p.get("actor") or not p.get("summary"):
            raise ClaimError(f"{filename}: perspective {i + 1} needs an 'actor' and a 'summary'.")
        scholar = None
        if "scholar" in p:
            scholar = _parse_scholar(p["scholar"], f"{filename}: perspective {i + 1} ({p['actor']!r})", source.get("grade"))
        grade = source.get("grade")
        perspectives.append(
            Perspective(
                str(p["actor"]),
                str(p["summary"]),
                str(source["label"]),
                str(source["url"]),
                source_grade=str(grade) if grade is not None else None,
                scholar=scholar,
            )
        )
    if len(perspectives) < 2:
        raise ClaimError(f"{filename}: give at least two perspectives.")
    model = data.get("model_verdict")
    if model is not None and model not in data["verdicts"]:
        raise ClaimError(
            f"{filename}: 'model_verdict' is {model!r}, which is not one of the verdicts {data['verdicts']!r}; "
            "use one of them exactly."
        )
    return Claim(
        id=str(data["id"]),
        lesson=data["lesson"],
        claim=str(data["claim"]),
        article_section=str(data["article_section"]),
        question=str(data["question"]),
        verdicts=tuple(str(v) for v in data["verdicts"]),
        evidence=tuple(str(e) for e in data["evidence"]),
        perspectives=tuple(perspectives),
        discussion=str(data["discussion"]),
        model_verdict=str(model) if model is not None else None,
    )


def load_claim(claim_id: str) -> Claim:
    """Load ``claims/<claim_id>.json`` from the package."""
    filename = f"{claim_id}.json"
    folder = resources.files("balancing_act") / "claims"
    target = folder / filename
    if not target.is_file():
        available = sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))
        raise ClaimError(f"No claim {claim_id!r}. Available: {', '.join(available)}.")
    try:
        data = json_input.loads(target.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ClaimError(f"{filename}: not valid JSON ({exc}).") from None
    return _parse(data, filename)


def _html_list(items: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


class ClaimReview(KernelFallback, widgets.VBox):
    """The learner's verdict on one claim, then the perspectives to compare with."""

    def __init__(self, claim: Claim, store: progress.ProgressStore | None = None, **kwargs: Any) -> None:
        self.claim = claim
        self._store = store
        header = widgets.HTML(
            f"<p><b>Claim</b> (article section “{escape(claim.article_section)}”, in our words): "
            f"{escape(claim.claim)}</p><p><b>Evidence to weigh</b></p>{_html_list(claim.evidence)}"
            f"<p>{escape(claim.question)}</p>"
        )
        self.verdict = widgets.RadioButtons(
            options=list(claim.verdicts), value=None, description="Your verdict", style={"description_width": "initial"}
        )
        self.reason = widgets.Textarea(
            placeholder="In one or two sentences, why? (Needed before you compare.)",
            description="Your reason",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%"),
        )
        self.button = widgets.Button(
            description="Compare with other perspectives",
            tooltip="Save your verdict and show how each side sees it",
            layout=widgets.Layout(width="auto"),
        )
        self.feedback = widgets.HTML()
        self.button.on_click(self._reveal)
        super().__init__(children=[header, self.verdict, self.reason, self.button, self.feedback], **kwargs)

    def __repr__(self) -> str:
        return f"ClaimReview({self.claim.id!r})"

    def fallback_text(self) -> str:
        return (
            f"Claim to judge (in our words): {self.claim.claim} "
            "Run this cell to give your verdict and compare it with other perspectives, in JupyterLab or on Binder."
        )

    def _reveal(self, _button: object = None) -> None:
        if self.verdict.value is None:
            self.feedback.value = "<p>Choose a verdict first; there is no wrong one, but there are better and worse reasons.</p>"
            return
        words = len(str(self.reason.value or "").split())
        if words < MIN_REASON_WORDS:
            said = "nothing yet" if words == 0 else "one word"
            self.feedback.value = (
                f"<p>Your reason says {said}. Add a sentence on which piece of evidence made you choose "
                f"<b>{escape(str(self.verdict.value))}</b>, then compare. (You can carry on with the lesson "
                "meanwhile; your choice stays here.)</p>"
            )
            return
        store = self._store if self._store is not None else progress.default_store()
        # A browser text box can hand over half of a character pair (a lone surrogate); it is
        # stored as U+FFFD so the progress file stays valid UTF-8 and later answers still save.
        verdict = progress.storable_text(str(self.verdict.value))
        reason = progress.storable_text(str(self.reason.value or ""))
        store.record(self.claim.lesson, f"claim:{self.claim.id}", "visit", "not_attempted", response=f"{verdict}: {reason}")
        parts = [f"<p>You said: <b>{escape(verdict)}</b>. Here is how each side sees it.</p><dl>"]
        for p in self.claim.perspectives:
            parts.append(
                f"<dt><b>{escape(p.actor)}</b></dt><dd>{escape(p.summary)} "
                f"<i>Source: <a href='{escape(p.source_url)}' target='_blank' rel='noopener'>{escape(p.source_label)}</a></i></dd>"
            )
        parts.append("</dl>")
        if self.claim.model_verdict:
            parts.append(f"<p><b>The course's verdict:</b> {escape(self.claim.model_verdict)}.</p>")
        parts.append(f"<p><b>For discussion.</b> {escape(self.claim.discussion)}</p>")
        self.feedback.value = "".join(parts)


def show_claim(claim_id: str, store: progress.ProgressStore | None = None) -> ClaimReview:
    """The claim-versus-evidence activity for ``claim_id`` (e.g. ``"lesson01"``)."""
    return ClaimReview(load_claim(claim_id), store=store)
