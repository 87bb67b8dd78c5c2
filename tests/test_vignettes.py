"""Written case vignettes: the engine's first steps match what a good technician tries first."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from diag import Answered, Session, decide, default_model

VIGNETTES = tomllib.loads((Path(__file__).parent / "engine" / "vignettes.toml").read_text(encoding="utf-8"))["vignette"]


def plan_for(vignette):
    model = default_model()
    session = Session(tuple(Answered(q, a) for q, a in vignette["answers"].items()))
    return [step.fix.id for step in decide(model, session).plan]


def test_there_are_at_least_thirty_vignettes_with_sources():
    """Assert the case set has 30+ vignettes, each with a situation, a source and expected steps."""
    assert len(VIGNETTES) >= 30
    for vignette in VIGNETTES:
        assert vignette["situation"]
        assert vignette["source"]
        assert vignette["first"]


def test_vignettes_only_use_known_ids():
    """Assert every answer and step named in a vignette exists in the model."""
    model = default_model()
    for vignette in VIGNETTES:
        for question, answer in vignette["answers"].items():
            assert model.question(question).answer(answer) is not None, (vignette["id"], question, answer)
        for fix in vignette["first"] + vignette["not_before"]:
            assert fix in model.fix_index, (vignette["id"], fix)


def test_top_three_contains_the_expected_first_fix_in_ninety_percent():
    """Assert one of the technician's first steps is in the engine's top 3 in at least 90 % of cases."""
    hits = [any(f in plan_for(v)[:3] for f in v["first"]) for v in VIGNETTES]
    assert sum(hits) / len(hits) >= 0.9, [v["id"] for v, hit in zip(VIGNETTES, hits, strict=True) if not hit]


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_no_last_resort_or_forbidden_step_comes_first(vignette):
    """Assert no last resort and no `not_before` step is ranked above the first expected step."""
    model = default_model()
    plan = plan_for(vignette)
    expected = [plan.index(f) for f in vignette["first"] if f in plan]
    cutoff = min(expected) if expected else len(plan)
    early = plan[:cutoff]
    assert not [f for f in early if model.fix(f).last_resort]
    assert not set(early) & set(vignette["not_before"])


def test_last_resorts_never_come_before_a_cheap_check_in_any_vignette():
    """Assert resets and erase always come after every cheap (under 5 minutes, no risk) step in the plan."""
    model = default_model()
    for vignette in VIGNETTES:
        plan = plan_for(vignette)
        for position, fix_id in enumerate(plan):
            if model.fix(fix_id).last_resort:
                later = plan[position + 1 :]
                cheap = [f for f in later if model.fix(f).cost < 5 and model.fix(f).risk == "none"]
                assert not cheap, (vignette["id"], fix_id, cheap)
