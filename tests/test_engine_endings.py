"""Issue 11 regressions: the plan ends with the right contact, always with a summary, and the
"done by step" figure never grows as the person works."""

from __future__ import annotations

import itertools
import random

import pytest

from diag import Answered, Session, Tried, default_model
from diag.payload import next_result

MODEL = default_model()


def likeliest(question_id, result):
    """The answer most people with this belief would give."""
    question = MODEL.question(question_id)
    belief = {c["id"]: c["probability"] for c in result["causes"]}
    return max(question.answers, key=lambda a: sum(p * question.likelihood[c][a.id] for c, p in belief.items())).id


def fail_everything(*events, limit=30, rng=None):
    """Follow the engine from `events`, failing every step; yield (session, result) at each decision.

    Questions get the likeliest answer, or a random one (with "I don't know") when `rng` is given.
    """
    session = Session(tuple(events))
    for _ in range(limit):
        result = next_result(MODEL, session)
        yield session, result
        if result["done"]:
            return
        if result["ask"] is not None:
            question = result["ask"]["id"]
            if rng is None:
                answer = likeliest(question, result)
            else:
                answer = rng.choice([a["id"] for a in result["ask"]["answers"]])
            session = session.add(Answered(question, answer))
        else:
            session = session.add(Tried(result["plan"][0]["id"], "failed"))


def steps_taken(*events, **kwargs):
    """The steps the person is sent to, in order, failing each one."""
    return [r["plan"][0]["id"] for _, r in fail_everything(*events, **kwargs) if not r["done"] and r["ask"] is None]


def test_no_internet_anywhere_ends_at_the_carrier_before_apple():
    """Assert that with Safari loading nothing, the carrier is offered before Apple Support, as an ending."""
    events = (Answered("symptom", "red-not-delivered"), Answered("web", "no"), Answered("scope", "several"))
    taken = steps_taken(*events)
    assert "contact-your-carrier" in taken
    assert taken.index("contact-your-carrier") < taken.index("contact-apple-support")
    for _, result in fail_everything(*events):
        if result["ask"] is None and not result["done"] and result["plan"][0]["id"] == "contact-your-carrier":
            assert result["ending"]["who"] == "carrier"
            assert result["ending"]["fix"] == "contact-your-carrier"
            assert result["ending"]["text"]
            break


def test_failed_green_text_ends_at_the_carrier():
    """Assert a green message that fails (SMS trouble) reaches the carrier before Apple."""
    taken = steps_taken(Answered("symptom", "green-failed"), Answered("sms-works", "no"))
    assert taken.index("contact-your-carrier") < taken.index("contact-apple-support")


def test_mac_session_is_not_sent_to_apple_after_two_steps():
    """Assert a Mac or iPad session tries at least three steps before Apple Support."""
    for seed in range(5):
        taken = steps_taken(Answered("symptom", "mac-ipad-missing"), rng=random.Random(seed))
        assert taken.index("contact-apple-support") >= 3, taken


def test_a_step_with_the_other_person_comes_with_words_to_send_them():
    """Assert that when the next step is the other person's, the ending carries the message to send."""
    seen = False
    for _, result in fail_everything(Answered("symptom", "no-status"), Answered("scope", "one-contact")):
        if result["ask"] is None and not result["done"] and result["plan"][0]["who"] == "other-person":
            assert result["ending"]["who"] == "other-person"
            assert result["ending"]["message"]
            seen = True
    assert seen


@pytest.mark.parametrize("symptom", [a.id for a in MODEL.question("symptom").answers])
def test_every_ending_comes_with_a_summary(symptom):
    """Assert the escalation (asked next, or done) always comes with an ending that has a summary to show."""
    for _, result in fail_everything(Answered("symptom", symptom)):
        at_end = result["done"] or (result["ask"] is None and result["plan"][0]["escalation"])
        if at_end:
            assert result["ending"] is not None
            assert result["ending"]["who"] == "apple"
            assert result["ending"]["message"].startswith("My iMessages")
            assert result["ending"]["text"]
    assert at_end


@pytest.mark.parametrize("seed", range(20))
def test_done_by_step_never_grows_as_the_person_works(seed):
    """Assert "most people are done by step N" stays put once the first step is tried."""
    rng = random.Random(seed)
    symptom = rng.choice([a.id for a in MODEL.question("symptom").answers])
    figures = [
        result["done_by_step"]
        for session, result in fail_everything(Answered("symptom", symptom), rng=rng)
        if any(isinstance(e, Tried) for e in session.events)
    ]
    assert figures
    assert all(later <= earlier for earlier, later in itertools.pairwise(figures))
    assert all(n >= 1 for n in figures)


TIME_LIMITS = "screen-time-restrictions"


@pytest.mark.parametrize(
    ("events", "who"),
    [
        (
            (Answered("symptom", "greyed-out"), Answered("managed", "yes"), Tried(TIME_LIMITS, "failed")),
            "the IT team that manages it",
        ),
        (
            (Answered("symptom", "greyed-out"), Answered("managed", "no"), Tried(TIME_LIMITS, "failed")),
            "the person who set up its Screen Time",
        ),
    ],
)
def test_a_limit_someone_else_set_ends_by_naming_who_can_lift_it(events, who):
    """Assert that when what is left is most likely a managed device's or Screen Time's limit, the
    ending says who can lift it (F35, F36): Apple Support can't."""
    session = Session(events)
    for _ in range(10):
        result = next_result(MODEL, session)
        if result["ending"] is not None:
            break
        assert result["ask"] is None, result["ask"]
        session = session.add(Tried(result["plan"][0]["id"], "failed"))
    assert who in result["ending"]["text"]
