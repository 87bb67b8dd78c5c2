"""Property tests: beliefs stay normalised, any events are handled or rejected cleanly,
replay is deterministic, and share links round-trip."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from diag import Answered, Session, Tried, decide, decode, default_model, encode, replay
from diag.errors import EvidenceError
from diag.knowledge import DONT_KNOW

MODEL = default_model()
QUESTION_EVENTS = [Answered(q.id, a.id) for q in MODEL.questions for a in q.answers] + [
    Answered(q.id, DONT_KNOW) for q in MODEL.questions
]
FIX_EVENTS = [Tried(f.id, o) for f in MODEL.fixes for o in ("fixed", "failed", "skipped")]
JUNK_EVENTS = [Answered("nope", "x"), Answered("symptom", "purple"), Tried("nope", "failed")]

any_event = st.sampled_from(QUESTION_EVENTS + FIX_EVENTS + JUNK_EVENTS)
plausible_event = st.sampled_from(
    QUESTION_EVENTS + [e for e in FIX_EVENTS if e.outcome != "fixed" and not MODEL.fix(e.fix).escalation]
)

SETTINGS = settings(max_examples=200, deadline=None)


def valid_prefix(events):
    """The longest prefix of `events` that replays without error."""
    session = Session()
    for event in events:
        try:
            replay(MODEL, session.add(event))
        except EvidenceError:
            break
        session = session.add(event)
    return session


@SETTINGS
@given(st.lists(any_event, max_size=25))
def test_any_event_sequence_is_handled_or_rejected_cleanly(events):
    """Assert decide either returns a decision or raises EvidenceError, nothing else."""
    message = ""
    try:
        decision = decide(MODEL, Session(tuple(events)))
    except EvidenceError as error:
        message = str(error)
    else:
        assert decision.done or decision.ask is not None or decision.plan
        return
    assert message.startswith("event ")


@SETTINGS
@given(st.lists(plausible_event, max_size=30))
def test_belief_stays_normalised(events):
    """Assert the belief is a probability distribution after any valid sequence."""
    belief = replay(MODEL, valid_prefix(events)).belief
    assert all(p >= 0.0 for p in belief)
    assert math.isclose(math.fsum(belief), 1.0, rel_tol=1e-9)


@SETTINGS
@given(st.lists(plausible_event, max_size=20))
def test_replay_is_deterministic(events):
    """Assert the same events always give the same decision, to the last bit."""
    session = valid_prefix(events)
    first, second = decide(MODEL, session), decide(MODEL, session)
    assert first.causes == second.causes
    assert first.plan == second.plan
    assert first.ask == second.ask
    assert first.expected_minutes == second.expected_minutes


@SETTINGS
@given(st.lists(any_event, max_size=25))
def test_links_round_trip(events):
    """Assert decode(encode(s)) == s for every valid session."""
    session = valid_prefix(events)
    assert decode(MODEL, encode(MODEL, session)) == session


@SETTINGS
@given(st.lists(plausible_event, max_size=20), st.sampled_from(MODEL.questions))
def test_dont_know_never_changes_the_belief(events, question):
    """Assert adding a "dont-know" answer leaves the belief exactly as it was."""
    session = valid_prefix(events)
    if question.id in replay(MODEL, session).answers:
        return
    before = replay(MODEL, session).belief
    after = replay(MODEL, session.add(Answered(question.id, DONT_KNOW))).belief
    assert before == after


@SETTINGS
@given(st.lists(plausible_event, max_size=20), st.sampled_from([f for f in MODEL.fixes if not f.escalation]))
def test_skipping_a_step_never_changes_the_belief(events, fix):
    """Assert "I couldn't do this step" leaves the belief exactly as it was."""
    session = valid_prefix(events)
    if fix.id in replay(MODEL, session).tried:
        return
    before = replay(MODEL, session).belief
    after = replay(MODEL, session.add(Tried(fix.id, "skipped"))).belief
    assert before == after


@SETTINGS
@given(st.lists(plausible_event, max_size=20))
def test_a_failed_step_never_raises_the_probability_it_fixes_the_next_time(events):
    """Assert (F6): after a step fails, the causes it solves lose probability mass."""
    session = valid_prefix(events)
    decision = decide(MODEL, session)
    if decision.done or decision.escalate or decision.ask is not None:
        return
    step = decision.plan[0].fix
    before = replay(MODEL, session).belief
    after = replay(MODEL, session.add(Tried(step.id, "failed"))).belief
    solved = [MODEL.cause_index[c] for c in step.solves]
    assert math.fsum(after[i] for i in solved) <= math.fsum(before[i] for i in solved) + 1e-12
