"""Claim-versus-evidence content and widget, tested without a kernel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from balancing_act import claims
from balancing_act.progress import ProgressStore


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "progress.json")


def test_lesson01_content_is_complete() -> None:
    claim = claims.load_claim("lesson01")
    assert claim.lesson == 1
    actors = {p.actor for p in claim.perspectives}
    assert {"Beijing", "Moscow", "Pyongyang", "Western governments"} <= actors
    assert all(p.source_url.startswith("http") for p in claim.perspectives)


def test_reveal_needs_a_verdict_then_records_it(store: ProgressStore) -> None:
    review = claims.show_claim("lesson01", store=store)
    review.button.click()
    assert "Choose a verdict first" in review.feedback.value
    assert store.records() == []
    review.verdict.value = "Partly supported"
    review.reason.value = "<script>alert(1)</script> trade fits, treaty does not"
    review.button.click()
    assert "Beijing" in review.feedback.value and "For discussion" in review.feedback.value
    assert "<script>" not in review.feedback.value
    [record] = store.records()
    assert record.item == "claim:lesson01"
    assert record.response.startswith("Partly supported: ")


def test_unknown_claim_lists_available() -> None:
    with pytest.raises(claims.ClaimError, match=r"No claim 'nope'\. Available: .*lesson01"):
        claims.load_claim("nope")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("discussion"), r"missing \['discussion'\]"),
        (lambda d: d.update(lesson="one"), r"'lesson' must be a whole number"),
        (lambda d: d.update(verdicts=["Yes"]), r"at least two choices"),
        (lambda d: d["perspectives"][0].update(source={"label": "x", "url": "ftp://x"}), r"perspective 1 needs a source"),
        (lambda d: d.update(perspectives=d["perspectives"][:1]), r"at least two perspectives"),
    ],
)
def test_malformed_claim_is_named(mutate, message: str) -> None:
    path = Path(claims.__file__).with_name("claims") / "lesson01.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(claims.ClaimError, match=message):
        claims._parse(data, "lesson01.json")


def test_reason_with_a_lone_surrogate_is_saved_and_later_answers_too(store: ProgressStore) -> None:
    """A browser text box can send half of a character pair; it must not block the progress file."""
    review = claims.show_claim("lesson01", store=store)
    review.verdict.value = "Partly supported"
    review.reason.value = "trade \ud800 fits"
    review.button.click()
    store.record(1, "quiz:lesson01:q1", "quiz", "correct")
    assert store.pending == ()
    data = json.loads(store.path.read_bytes().decode("utf-8"))
    assert [r["response"] for r in data["records"]] == ["Partly supported: trade \ufffd fits", ""]
    assert "Partly supported" in review.feedback.value
