"""What a technician would never do: offer a step that can't apply to the device or the symptom,
or ask a question whose answer is already known (walked over every symptom, property-style)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from diag import Answered, Session, Tried, decide, default_model, replay
from diag.knowledge import DONT_KNOW

MODEL = default_model()
SYMPTOMS = [a.id for a in MODEL.question("symptom").answers]

IPHONE_ONLY = {
    "cellular-data-for-messages": "Settings > Cellular",
    "carrier-settings-update": "the iPhone's carrier settings",
    "contact-your-carrier": "the iPhone's line",
    "wi-fi-calling": "the iPhone's texts over Wi-Fi",
    "mms-group-rcs-settings": "the iPhone's MMS and RCS switches",
    "remove-duplicate-sim": "the iPhone's SIMs",
    "choose-your-line": "the iPhone's lines",
    "keep-home-line-on": "the iPhone's lines",
    "messages-via-satellite": "iPhone 14 and later",
    "turn-on-imessage": "the iPhone's iMessage switch",
    "imessage-off-and-on": "the iPhone's number activation",
    "date-and-time": "the iPhone's number activation",
    "wait-for-activation": "the iPhone's number activation",
    "sign-out-of-imessage": "the iPhone's iMessage account",
    "reset-network-settings": "Transfer or Reset iPhone",
    "reset-all-settings": "Transfer or Reset iPhone",
    "erase-iphone": "Transfer or Reset iPhone",
}
"""Steps done in the iPhone's own settings, SIM or line (fact base F5-F18, F20, F27-F29, F31-F33, F41):
they can't fix a Mac or iPad, which gets texts only through the iPhone (F24)."""


def sessions(base: Session, depth: int = 4) -> Iterator[Session]:
    """Every session a person can reach from `base` in `depth` more events: each answer to each
    question the engine asks ("I don't know" included), and "Didn't help" on each step it offers."""
    yield base
    if depth == 0:
        return
    decision = decide(MODEL, base)
    if decision.done or decision.escalate:
        return
    if decision.ask is not None:
        for answer in [*(a.id for a in decision.ask.answers), DONT_KNOW]:
            yield from sessions(base.add(Answered(decision.ask.id, answer)), depth - 1)
    else:
        yield from sessions(base.add(Tried(decision.plan[0].fix.id, "failed")), depth - 1)


def mac_sessions() -> Iterator[Session]:
    """Sessions on a Mac or iPad: the symptom implies it, or the person says so right after it."""
    for symptom in SYMPTOMS:
        start = Session((Answered("symptom", symptom),))
        device = replay(MODEL, start).answers.get("device")
        if device is None:
            yield from sessions(start.add(Answered("device", "mac-ipad")), depth=3)
        elif device == "mac-ipad":
            yield from sessions(start)


def test_a_mac_session_never_offers_an_iphone_only_step():
    """Assert no plan for a Mac or iPad names a step done in the iPhone's settings, SIM or line."""
    offered = {}
    for session in mac_sessions():
        for step in decide(MODEL, session).plan:
            if step.fix.id in IPHONE_ONLY:
                offered.setdefault(step.fix.id, session.events)
    assert not offered, offered


def test_a_mac_signed_out_of_imessage_is_signed_in_again_on_the_mac():
    """Assert a Mac or iPad with a sign-in error gets a step that signs it out and in (F24) before Apple."""
    session = Session((Answered("symptom", "mac-ipad-missing"), Answered("imessage-status", "error")))
    plan = [step.fix for step in decide(MODEL, session).plan]
    assert any(fix.solves.get("signed-out", 0.0) >= 0.5 for fix in plan[:-1]), [f.id for f in plan]


@pytest.mark.parametrize(
    ("symptom", "question", "answer"),
    [
        ("mac-ipad-missing", "direction", "receiving"),
        ("not-registered", "direction", "sending"),
        ("no-signal", "device", "iphone"),
        ("wrong-number", "device", "iphone"),
    ],
)
def test_a_symptom_that_settles_a_question_implies_its_answer(symptom, question, answer):
    """Assert a symptom that can only happen one way records that answer and never asks it
    (a Mac missing messages is receiving; "not registered" is a message the Mac couldn't send;
    "No Service" and a second line are an iPhone's)."""
    start = Session((Answered("symptom", symptom),))
    assert replay(MODEL, start).answers.get(question) == answer
    for session in sessions(start):
        decision = decide(MODEL, session)
        assert decision.ask is None or decision.ask.id != question


VERSIONS = [None, *(a.id for a in MODEL.question("ios-version").answers)]


def symptom_sessions(symptom: str, versions: list[str | None] = VERSIONS) -> Iterator[Session]:
    """Every session within four events of this symptom, for each iOS version the widget may send."""
    for version in versions:
        start = (Answered("ios-version", version),) if version else ()
        yield from sessions(Session((*start, Answered("symptom", symptom))))


def test_a_contact_key_verification_alert_is_never_given_a_delivery_fix():
    """Assert after a security alert only verifying the contact, Apple's status page (an alert can
    say the service is unavailable) and Apple Support are offered (S14, S23, F45, A12)."""
    offered = {
        step.fix.id for session in symptom_sessions("key-verification") for step in decide(MODEL, session).plan
    }
    assert offered <= {"verify-contact", "check-apple-system-status", "contact-apple-support"}, offered


def test_a_contact_key_verification_alert_asks_nothing():
    """Assert no question about SIMs, changes or settings follows a security alert: none could change
    what to do (verify the contact, then check for an outage)."""
    asked = {
        decision.ask.id
        for session in symptom_sessions("key-verification")
        if (decision := decide(MODEL, session)).ask is not None
    }
    assert not asked


def test_a_person_who_left_iphone_is_offered_only_what_works_without_one():
    """Assert someone now on Android is offered taking the number off iMessage, then Apple (S22, F44),
    never a step in an iPhone's settings."""
    offered = {step.fix.id for session in symptom_sessions("left-iphone") for step in decide(MODEL, session).plan}
    assert offered <= {"deregister-your-number", "contact-apple-support"}, offered


def next_action(session: Session) -> str:
    """The question the engine asks next, or the step it offers first."""
    decision = decide(MODEL, session)
    return f"ask {decision.ask.id}" if decision.ask is not None else decision.plan[0].fix.id


def test_a_question_is_asked_only_when_some_answer_changes_the_next_step():
    """Assert every question the engine asks (past the symptom, and not to check a step's
    precondition) has an answer after which something else comes next: a question whose every
    answer leads to the same step waits until that step has been tried."""
    idle = []
    for symptom in SYMPTOMS:
        for session in symptom_sessions(symptom, [None, "ios-26"]):
            decision = decide(MODEL, session)
            question = decision.ask
            if question is None or question.first or decision.precondition is not None:
                continue
            after = {next_action(session.add(Answered(question.id, a.id))) for a in question.answers}
            if after == {decision.plan[0].fix.id}:
                idle.append((session.events, question.id))
    assert not idle, idle[:3]


OWN_PHONE = [
    "waiting-activation", "from-email", "wrong-number", "greyed-out", "apple-watch", "no-signal", "photos-fail",
]
"""Symptoms of the person's own settings, lines, signal or Watch, or photos failing while texts go
(S6, S8, S15-S20): nothing on the contact's side produces them."""

CONTACT_SIDE = {
    "check-recipient-address": "the address you write to (C11)",
    "deregister-imessage": "the contact's old iMessage registration (C12)",
    "possibly-blocked": "the contact's block list (C13)",
    "wait-for-recipient": "the contact's phone being off (C3)",
    "delivered-to-another-device": "the contact's other devices (C15)",
    "green-is-normal": "the contact not using iMessage (C23)",
}


@pytest.mark.parametrize("symptom", OWN_PHONE)
def test_a_symptom_of_your_own_phone_is_never_given_a_step_about_the_contact(symptom):
    """Assert no plan after such a symptom checks the contact's address, registration, block or phone."""
    offered = {
        step.fix.id
        for session in symptom_sessions(symptom, [None, "ios-26"])
        for step in decide(MODEL, session).plan
        if step.fix.id in CONTACT_SIDE
    }
    assert not offered


def test_waiting_for_activation_never_gets_the_mms_group_and_rcs_switches():
    """Assert the MMS, group and RCS switches, which don't carry the plain activation text (A2),
    are never offered for "Waiting for activation"."""
    offered = [
        session.events
        for session in symptom_sessions("waiting-activation", [None, "ios-26"])
        if "mms-group-rcs-settings" in [step.fix.id for step in decide(MODEL, session).plan]
    ]
    assert not offered, offered[:2]


def test_a_watch_session_never_offers_setting_up_a_mac_or_ipad():
    """Assert a problem on the Apple Watch, which gets messages through the iPhone (S18), never
    gets the Mac or iPad set-up."""
    offered = []
    for symptom in SYMPTOMS:
        start = Session((Answered("symptom", symptom),))
        device = replay(MODEL, start).answers.get("device")
        if device is None:
            start = start.add(Answered("device", "watch"))
        elif device != "watch":
            continue
        offered += [
            session.events
            for session in sessions(start, depth=3)
            if "set-up-mac-or-ipad" in [step.fix.id for step in decide(MODEL, session).plan]
        ]
    assert not offered, offered[:2]


@pytest.mark.parametrize("change", ["new-sim", "new-phone", "travel", "ios-update"])
def test_a_change_to_your_own_phone_never_tells_a_block_from_a_phone_that_is_off(change):
    """Assert a new SIM, iPhone, trip or update of yours moves "their phone is off" and "they blocked you"
    alike: the sender can't tell those two apart (S2), and neither comes from the sender's phone."""
    row = MODEL.question("recent-change").likelihood
    assert row["recipient-unreachable"][change] == pytest.approx(row["blocked-by-recipient"][change])
