"""The scholars' voices in the claim activities: dated, sourced, and drawn from six places.

Every lesson's claim gives scholarly perspectives from at least three of the six places the course
compares (China, Russia, Korea, Japan, Europe, the United States), and across the course each place is
heard in at least three lessons. The rules are read from the claim files themselves.
"""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from balancing_act import claims
from balancing_act.data import GRADES

#: Most perspectives one claim activity shows, so that the reveal stays readable.
MAX_PERSPECTIVES = 9
LESSONS = [f"lesson{n:02d}" for n in range(1, 9)]


def _claim_ids() -> list[str]:
    folder = resources.files("balancing_act") / "claims"
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))


def _places(claim: claims.Claim) -> set[str]:
    return {p.scholar.based_in for p in claim.perspectives if p.scholar and p.scholar.based_in in claims.PLACES}


def test_every_lesson_has_a_claim_file() -> None:
    assert set(LESSONS) <= set(_claim_ids())


@pytest.mark.parametrize("claim_id", LESSONS)
def test_each_lesson_hears_scholars_from_at_least_three_places(claim_id: str) -> None:
    places = _places(claims.load_claim(claim_id))
    assert len(places) >= 3, f"{claim_id}: scholars only from {sorted(places)}; add one from {sorted(set(claims.PLACES) - places)}"


def test_each_place_is_heard_in_at_least_three_lessons() -> None:
    heard = {place: [c for c in LESSONS if place in _places(claims.load_claim(c))] for place in claims.PLACES}
    thin = {place: lessons for place, lessons in heard.items() if len(lessons) < 3}
    assert not thin, f"places heard in fewer than three lessons: {thin}"


@pytest.mark.parametrize("claim_id", LESSONS)
def test_a_claim_activity_stays_readable(claim_id: str) -> None:
    count = len(claims.load_claim(claim_id).perspectives)
    assert count <= MAX_PERSPECTIVES, f"{claim_id}: {count} perspectives; replace a weak one instead of adding"


@pytest.mark.parametrize("claim_id", LESSONS)
def test_every_scholar_entry_is_dated_sourced_and_graded(claim_id: str) -> None:
    scholars = [p for p in claims.load_claim(claim_id).perspectives if p.scholar]
    assert scholars, f"{claim_id}: no perspective names its scholar"
    for p in scholars:
        assert p.source_url.startswith(("https://", "http://")), (claim_id, p.actor, p.source_url)
        assert p.source_grade in GRADES, (claim_id, p.actor, p.source_grade)
        assert p.scholar is not None and p.scholar.date[:4].isdigit(), (claim_id, p.actor)
        assert 1900 <= int(p.scholar.date[:4]) <= date.today().year, (claim_id, p.actor, p.scholar.date)


@pytest.mark.parametrize("claim_id", LESSONS)
def test_a_scholars_view_is_attributed_by_name_in_its_summary(claim_id: str) -> None:
    """A summary says whose view it is, so that a learner never reads a scholar's argument as the course's."""
    for p in claims.load_claim(claim_id).perspectives:
        if p.scholar is None:
            continue
        for author in p.scholar.name.split(" and "):
            assert author in p.summary, f"{claim_id}: {p.actor!r} does not name {author!r} in its summary"
