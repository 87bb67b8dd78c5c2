"""The engine: Bayesian updates, the next action, questions and escalation, on hand-checked models."""

from __future__ import annotations

import pytest
from engine.fixtures import tiny_model

from diag import Answered, Session, Tried, decide, default_model, replay
from diag.belief import plan
from diag.errors import EvidenceError


def belief_of(model, *events):
    return dict(zip([c.id for c in model.causes], replay(model, Session(events)).belief, strict=True))


def test_empty_session_asks_the_symptom_question_first():
    """Assert the first decision on the real model is to ask what the person sees."""
    decision = decide(default_model(), Session())
    assert decision.ask is not None
    assert decision.ask.id == "symptom"


def test_answer_updates_belief_by_bayes_rule():
    """Assert P(x | is-x) = 1 when only X produces that answer (no answer noise)."""
    belief = belief_of(tiny_model(), Answered("which", "is-x"))
    assert belief == pytest.approx({"x": 1.0, "y": 0.0, "z": 0.0})


def test_failed_fix_updates_belief_by_bayes_rule():
    """Assert (F6): after fix-a (r=.99 on x) fails, b(x) = .5*.01 / (1 - .5*.99)."""
    belief = belief_of(tiny_model(), Tried("fix-a", "failed"))
    rest = 1 - 0.5 * 0.99
    assert belief == pytest.approx({"x": 0.005 / rest, "y": 0.3 / rest, "z": 0.2 / rest})


def test_skipped_step_changes_nothing_but_is_not_offered_again():
    """Assert "I couldn't do this step" leaves the belief and drops the step from the plan."""
    model = tiny_model()
    assert belief_of(model, Tried("fix-b", "skipped")) == belief_of(model)
    decision = decide(model, Session((Tried("fix-b", "skipped"),)))
    assert "fix-b" not in [s.fix.id for s in decision.plan]


def test_dont_know_changes_nothing_and_is_not_asked_again():
    """Assert a "dont-know" answer keeps the belief and removes the question."""
    model = default_model()
    session = Session((Answered("symptom", "dont-know"),))
    assert replay(model, session).belief == replay(model, Session()).belief
    assert decide(model, session).ask is None or decide(model, session).ask.id != "symptom"


def test_plan_follows_efficiency_order():
    """Assert the ratio rule on priors .5/.3/.2 and costs 2/1/4 gives B, A, C (then support)."""
    model = tiny_model()
    decision = decide(model, Session((Answered("which", "dont-know"),)))
    assert [s.fix.id for s in decision.plan] == ["fix-b", "fix-a", "fix-c", "support"]


def test_expected_cost_matches_closed_form():
    """Assert ECR = 1 + .703*2 + .2065*4 + P(all fail)*30 for the tiny model's plan."""
    model = tiny_model()
    tables = model.tables
    steps: list[tuple[int, float]] = []
    cost = plan(tables.prior, tables, [0, 1, 2, 3], steps)
    reach_a = 1 - 0.3 * 0.99
    reach_c = reach_a - 0.5 * 0.99
    left = reach_c - 0.2 * 0.99
    assert cost == pytest.approx(1 + reach_a * 2 + reach_c * 4 + left * 30)


def test_question_is_asked_when_it_lowers_expected_cost():
    """Assert the splitting question is asked when its ECO beats going straight to the plan."""
    decision = decide(tiny_model(), Session())
    assert decision.ask is not None
    assert decision.ask.id == "which"
    assert decision.expected_cost < decision.repair_cost


def test_expensive_question_is_not_asked():
    """Assert a question costing more than it saves is skipped in favour of the plan."""
    from engine.fixtures import TINY

    model = tiny_model(TINY.replace("cost = 0.5", "cost = 5"))
    decision = decide(model, Session())
    assert decision.ask is None
    assert decision.plan[0].fix.id == "fix-b"


def test_escalates_when_no_step_is_left():
    """Assert escalation is recommended once every step has failed."""
    model = tiny_model()
    events = (Answered("which", "dont-know"), *(Tried(f, "failed") for f in ("fix-a", "fix-b", "fix-c", "green-ok")))
    decision = decide(model, Session(events))
    assert decision.escalate
    assert [s.fix.id for s in decision.plan] == ["support"]


def test_fixed_ends_the_session():
    """Assert a fixed outcome ends the session and later events are rejected."""
    model = tiny_model()
    session = Session((Tried("fix-b", "fixed"),))
    assert decide(model, session).done
    with pytest.raises(EvidenceError, match="after the session ended"):
        replay(model, session.add(Tried("fix-a", "failed")))


def test_escalation_always_ends_the_session():
    """Assert any outcome of the escalation step ends the session."""
    assert decide(tiny_model(), Session((Tried("support", "failed"),))).done


def test_an_answer_stays_a_fact_after_a_failed_step():
    """Assert fix-a failing keeps the earlier answer to "which": it is never asked again."""
    model = tiny_model()
    session = Session((Answered("which", "not-x"), Tried("fix-a", "failed")))
    assert replay(model, session).answers == {"which": "not-x"}
    decision = decide(model, session)
    assert decision.ask is None or decision.ask.id != "which"


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ((Answered("nope", "x"),), "unknown question 'nope'"),
        ((Answered("which", "maybe"),), "has no answer 'maybe'"),
        ((Tried("nope", "failed"),), "unknown step 'nope'"),
        ((Tried("fix-a", "skipped"), Tried("fix-a", "failed")), "already tried"),
        ((Answered("which", "is-x"), Answered("which", "not-x")), "already answered"),
    ],
)
def test_invalid_event_is_rejected_with_its_position(events, message):
    """Assert unknown or repeated events raise EvidenceError naming the problem."""
    with pytest.raises(EvidenceError, match=message):
        replay(tiny_model(), Session(events))


def test_one_contact_no_status_never_starts_with_a_sender_reset():
    """Assert a one-contact, no-status session doesn't put sender resets in the first three steps."""
    model = default_model()
    session = Session((Answered("symptom", "no-status"), Answered("scope", "one-contact")))
    decision = decide(model, session)
    first = [s.fix.id for s in decision.plan[:3]]
    assert not {"restart", "imessage-off-and-on", "reset-network-settings", "sign-out-of-imessage"} & set(first)
