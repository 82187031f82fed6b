"""The course's model verdicts follow each lesson's evidence and are not all one answer.

Each claim file states its ``model_verdict`` (one of its ``verdicts``); at least
two lessons reach a verdict other than "Partly supported".
"""

from __future__ import annotations

from collections import Counter
from importlib import resources

from balancing_act import claims


def _claim_ids() -> list[str]:
    folder = resources.files("balancing_act") / "claims"
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))


def test_every_claim_states_a_model_verdict() -> None:
    missing = [claim_id for claim_id in _claim_ids() if not claims.load_claim(claim_id).model_verdict]
    assert not missing, f"add a 'model_verdict' (one of the file's 'verdicts') to: {', '.join(missing)}"


def test_at_least_two_lessons_reach_a_verdict_other_than_partly_supported() -> None:
    verdicts = {claim_id: claims.load_claim(claim_id).model_verdict for claim_id in _claim_ids()}
    others = [claim_id for claim_id, verdict in verdicts.items() if verdict and verdict.casefold() != "partly supported"]
    assert len(others) >= 2, f"model verdicts: {dict(Counter(verdicts.values()))}; at least two must differ from 'Partly supported'"
