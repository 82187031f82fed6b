"""Claim-versus-evidence content and widget, tested without a kernel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from balancing_act import claims
from balancing_act.json_input import MAX_DEPTH
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


def test_deeply_nested_claim_file_is_a_claim_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "deep.json").write_text('{"id": "deep", "evidence": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    monkeypatch.setattr(claims.resources, "files", lambda package: tmp_path)
    # The outer object is level 1, so the first bracket past the limit is the MAX_DEPTH-th "[" (from column 28).
    column = 28 + MAX_DEPTH - 1
    with pytest.raises(claims.ClaimError, match=rf"^deep\.json: not valid JSON \(.*nested more than {MAX_DEPTH} levels.*line 1 column {column} ") as info:
        claims.load_claim("deep")
    assert len(str(info.value)) < 400


@pytest.mark.parametrize("reason", ["", "   ", "trade", "  trade\n"])
def test_an_empty_or_one_word_reason_gets_a_prompt_and_reveals_nothing(store: ProgressStore, reason: str) -> None:
    review = claims.show_claim("lesson01", store=store)
    review.verdict.value = "Not supported"
    review.reason.value = reason
    review.button.click()
    text = review.feedback.value
    assert "Add a sentence" in text and "Not supported" in text
    assert "Beijing" not in text and "For discussion" not in text and "verdict:" not in text
    assert store.records() == []
    assert review.verdict.value == "Not supported" and review.reason.value == reason  # nothing lost
    review.reason.value = "The treaty with Russia binds nobody to fight."
    review.button.click()
    assert "For discussion" in review.feedback.value and len(store.records()) == 1


def test_the_model_verdict_is_shown_only_after_the_reveal(store: ProgressStore, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    claim = dataclasses.replace(claims.load_claim("lesson01"), model_verdict="Not supported")
    review = claims.ClaimReview(claim, store=store)
    assert "course's verdict" not in review.feedback.value
    review.verdict.value = "Supported"
    review.reason.value = "Two words"
    review.button.click()
    assert "The course's verdict:</b> Not supported." in review.feedback.value


def test_a_model_verdict_outside_the_choices_is_named(tmp_path: Path) -> None:
    data = json.loads((Path(claims.__file__).parent / "claims" / "lesson01.json").read_text(encoding="utf-8"))
    data["model_verdict"] = "Mostly true"
    with pytest.raises(claims.ClaimError, match=r"'model_verdict' is 'Mostly true', which is not one of the verdicts"):
        claims._parse(data, "lesson01.json")


def _lesson01_with_a_scholar() -> tuple[dict, dict]:
    data = json.loads((Path(claims.__file__).parent / "claims" / "lesson01.json").read_text(encoding="utf-8"))
    [perspective] = [p for p in data["perspectives"] if p.get("scholar", {}).get("name") == "Bobo Lo"]
    return data, perspective


def test_a_scholar_entry_is_parsed_into_its_fields() -> None:
    claim = claims.load_claim("lesson01")
    [lo] = [p for p in claim.perspectives if p.scholar and p.scholar.name == "Bobo Lo"]
    assert lo.scholar == claims.Scholar("Bobo Lo", "Lowy Institute, Sydney (nonresident fellow)", "Australia", "2017-04-03")
    assert lo.source_grade == "primary"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p: p.update(scholar="Bobo Lo"), r"perspective \d+ \('A scholar at the Lowy Institute \(2017\)'\): 'scholar' must be an object"),
        (lambda p: p["scholar"].pop("date"), r"the scholar entry lacks \['date'\]"),
        (lambda p: p["scholar"].update(name="  ", affiliation=3), r"the scholar entry lacks \['name', 'affiliation'\]"),
        (lambda p: p["scholar"].update(based_in="Moscow"), r"'based_in' is 'Moscow'; use one of China, Russia, Korea, Japan, Europe, United States"),
        (lambda p: p["scholar"].update(date="April 2017"), r"'date' is 'April 2017'; write the date .* as YYYY-MM-DD, YYYY-MM or YYYY"),
        (lambda p: p["scholar"].update(date="2017-02-30"), r"'date' is '2017-02-30'"),
        (lambda p: p["scholar"].update(date="2017-13"), r"'date' is '2017-13'"),
        (lambda p: p["source"].pop("grade"), r"needs a graded source; the source's 'grade' is None\. Use one of primary, report"),
        (lambda p: p["source"].update(grade="op-ed"), r"the source's 'grade' is 'op-ed'"),
    ],
)
def test_a_malformed_scholar_entry_is_named_with_the_fix(mutate, message: str) -> None:
    data, perspective = _lesson01_with_a_scholar()
    mutate(perspective)
    with pytest.raises(claims.ClaimError, match=rf"^lesson01\.json: .*{message}"):
        claims._parse(data, "lesson01.json")


@pytest.mark.parametrize("when", ["2017", "2017-04", "2017-04-03", "2024-02-29"])
def test_a_scholar_date_may_be_a_year_a_month_or_a_day(when: str) -> None:
    data, perspective = _lesson01_with_a_scholar()
    perspective["scholar"]["date"] = when
    [lo] = [p for p in claims._parse(data, "lesson01.json").perspectives if p.scholar and p.scholar.name == "Bobo Lo"]
    assert lo.scholar is not None and lo.scholar.date == when
