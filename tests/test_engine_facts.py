"""Issue 11 regressions: an answer is a fact for the session, implied answers are never asked,
steps that can't apply are never ranked, and the iOS version is evidence."""

from __future__ import annotations

import random

import pytest

from diag import Answered, Session, Tried, decide, default_model, replay
from diag.errors import EvidenceError
from diag.knowledge import DONT_KNOW
from diag.payload import next_result

MODEL = default_model()


def plan_ids(*events):
    return [step.fix.id for step in decide(MODEL, Session(events)).plan]


def asked(*events):
    decision = decide(MODEL, Session(events))
    return decision.ask.id if decision.ask is not None else None


def walk(cause_answers, rng, outcome="failed", limit=40):
    """Follow the engine, answering at random and failing every step; return the events."""
    session = Session()
    for _ in range(limit):
        decision = decide(MODEL, session)
        if decision.done:
            break
        if decision.ask is not None:
            question = decision.ask
            answer = cause_answers.get(question.id) or rng.choice([a.id for a in question.answers] + [DONT_KNOW])
            session = session.add(Answered(question.id, answer))
        else:
            session = session.add(Tried(decision.plan[0].fix.id, outcome))
    return session


@pytest.mark.parametrize("seed", range(30))
def test_no_question_is_asked_twice_when_every_step_fails(seed):
    """Assert that following the engine with "Didn't help" on every step never repeats a question."""
    session = walk({}, random.Random(seed))
    questions = [e.question for e in session.events if isinstance(e, Answered)]
    assert len(questions) == len(set(questions))


def test_dont_know_is_never_asked_again_after_a_failed_step():
    """Assert an "I don't know" stays an answer after "Didn't help"."""
    events = [Answered("symptom", "green-bubble")]
    question = asked(*events)
    assert question is not None
    events.append(Answered(question, DONT_KNOW))
    for _ in range(6):
        decision = decide(MODEL, Session(tuple(events)))
        assert decision.ask is None or decision.ask.id != question
        if decision.ask is not None:
            events.append(Answered(decision.ask.id, DONT_KNOW))
        elif decision.done or decision.escalate:
            break
        else:
            events.append(Tried(decision.plan[0].fix.id, "failed"))


@pytest.mark.parametrize(
    ("symptom", "question", "answer"),
    [
        ("waiting-activation", "imessage-status", "waiting"),
        ("mac-ipad-missing", "device", "mac-ipad"),
        ("not-registered", "device", "mac-ipad"),
        ("red-not-delivered", "direction", "sending"),
        ("not-receiving", "direction", "receiving"),
    ],
)
def test_implied_answer_is_recorded_and_never_asked(symptom, question, answer):
    """Assert an implied answer is a fact marked implied, and its question is never asked."""
    session = walk({"symptom": symptom}, random.Random(1))
    assert all(e.question != question for e in session.events[1:] if isinstance(e, Answered))
    first = Session((Answered("symptom", symptom),))
    facts = {f["question"]: f for f in next_result(MODEL, first)["facts"]}
    assert facts[question]["answer"] == answer
    assert facts[question]["implied"] is True
    assert facts[question]["implied_by"] == "symptom"


def test_implied_answer_adds_no_evidence_of_its_own():
    """Assert the belief after "waiting for activation" is the same with or without the implied answer restated."""
    alone = replay(MODEL, Session((Answered("symptom", "waiting-activation"),))).belief
    restated = replay(
        MODEL, Session((Answered("symptom", "waiting-activation"), Answered("imessage-status", "waiting")))
    ).belief
    assert alone == restated


def test_a_direct_answer_can_still_replace_an_implied_one():
    """Assert an explicit, different answer to an implied question replaces it (older clients asked it)."""
    session = Session((Answered("symptom", "waiting-activation"), Answered("imessage-status", "error")))
    evidence = replay(MODEL, session)
    assert evidence.answers["imessage-status"] == "error"
    assert [f.implied_by for f in evidence.facts if f.question == "imessage-status"] == [""]


def test_a_question_answered_twice_is_rejected():
    """Assert the same question can't be answered twice: Back is the way to change an answer."""
    with pytest.raises(EvidenceError, match="already answered"):
        replay(MODEL, Session((Answered("web", "no"), Tried("restart", "failed"), Answered("web", "yes"))))


def test_try_again_is_never_offered_for_a_delivered_message():
    """Assert "Try again, or send it as a text message" is not in the plan for "Delivered"."""
    assert "try-again-or-send-as-text" not in plan_ids(Answered("symptom", "delivered-not-received"))
    assert "try-again-or-send-as-text" in plan_ids(Answered("symptom", "red-not-delivered"))


def test_ios_26_step_is_not_offered_on_ios_17():
    """Assert the duplicate-SIM fix (iOS 26 only) is never ranked on a phone with iOS 17 or earlier."""
    for symptom in ("waiting-activation", "from-email"):
        events = (Answered("ios-version", "ios-17-or-earlier"), Answered("symptom", symptom))
        assert "remove-duplicate-sim" not in plan_ids(*events)
        assert "remove-duplicate-sim" not in plan_ids(*events, Answered("number-ticked", "twice"))


def test_ios_26_step_is_offered_on_ios_26_when_the_number_is_listed_twice():
    """Assert the duplicate-SIM fix leads the plan on iOS 26 with the number listed twice."""
    events = (
        Answered("ios-version", "ios-26"),
        Answered("symptom", "waiting-activation"),
        Answered("number-ticked", "twice"),
    )
    assert plan_ids(*events)[0] == "remove-duplicate-sim"


def test_known_ios_version_is_never_asked():
    """Assert the iOS version question is never asked once the widget has answered it."""
    for seed in range(10):
        rng = random.Random(seed)
        session = Session((Answered("ios-version", "ios-18"),))
        for _ in range(25):
            decision = decide(MODEL, session)
            if decision.done:
                break
            if decision.ask is not None:
                assert decision.ask.id != "ios-version"
                session = session.add(Answered(decision.ask.id, rng.choice([a.id for a in decision.ask.answers])))
            else:
                session = session.add(Tried(decision.plan[0].fix.id, "failed"))


def test_turn_on_imessage_is_not_offered_when_the_switch_is_on():
    """Assert a step declared not to apply under an answer is never ranked under it."""
    assert "turn-on-imessage" not in plan_ids(
        Answered("symptom", "green-bubble"), Answered("imessage-status", "on")
    )


def test_ios_26_step_waits_for_the_version_when_it_is_unknown():
    """Assert the iOS 26 fix is not proposed on a guess: the version question comes first."""
    decision = decide(MODEL, Session((Answered("symptom", "waiting-activation"), Answered("number-ticked", "twice"))))
    assert decision.ask is not None
    assert decision.ask.id == "ios-version"
    assert decision.precondition is not None
    assert decision.precondition.id == "remove-duplicate-sim"
