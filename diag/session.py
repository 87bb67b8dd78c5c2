"""Sessions: immutable event lists, their replay into evidence, and share-link encoding.

A session is nothing but the events so far, so back/undo is "replay one fewer",
restart is the empty session and a share link is the encoded event list.
`replay` validates every event against the model and rejects the first bad
one with an `EvidenceError` naming it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from diag.belief import normalised
from diag.errors import EvidenceError, SessionLinkError
from diag.knowledge import DONT_KNOW, Model

Outcome = Literal["fixed", "failed", "skipped"]
OUTCOMES: tuple[Outcome, ...] = ("fixed", "failed", "skipped")
"""What can happen when a person tries a step ("skipped" = "I couldn't do this step")."""

LINK_VERSION = "v1"
"""Version tag at the front of every share link."""

MAX_EVENTS = 200
"""Longest session accepted (a real one is a few dozen events at most)."""


@dataclass(frozen=True)
class Answered:
    """The person answered a question (possibly "dont-know")."""

    question: str
    answer: str

    def to_json(self) -> dict[str, str]:
        """The event as JSON data."""
        return {"question": self.question, "answer": self.answer}


@dataclass(frozen=True)
class Tried:
    """The person tried a step, with its outcome."""

    fix: str
    outcome: Outcome

    def to_json(self) -> dict[str, str]:
        """The event as JSON data."""
        return {"fix": self.fix, "outcome": self.outcome}


Event = Answered | Tried


@dataclass(frozen=True)
class Session:
    """An immutable list of events; every change returns a new session."""

    events: tuple[Event, ...] = ()

    def add(self, event: Event) -> Session:
        """This session with one more event."""
        return Session((*self.events, event))

    def undo(self) -> Session:
        """This session without its last event (the empty session stays empty)."""
        return Session(self.events[:-1])

    def to_json(self) -> dict[str, list[dict[str, str]]]:
        """The session as {"events": [...]}."""
        return {"events": [event.to_json() for event in self.events]}


def parse_events(raw: object) -> Session:
    """Build a session from JSON data: a list of {"question", "answer"} / {"fix", "outcome"}.

    Only the shape is checked here; ids are checked against a model by `replay`.

    Raises:
        EvidenceError: The data is not a list of well-formed events.
    """
    if not isinstance(raw, list):
        raise EvidenceError('"events" must be a list')
    if len(raw) > MAX_EVENTS:
        raise EvidenceError(f"too many events ({len(raw)}; at most {MAX_EVENTS})")
    events: list[Event] = []
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise EvidenceError(f"event {position} must be an object", ref=position)
        keys = set(item)
        if keys == {"question", "answer"}:
            question, answer = item["question"], item["answer"]
            if not isinstance(question, str) or not isinstance(answer, str):
                raise EvidenceError(f"event {position}: question and answer must be strings", ref=position)
            events.append(Answered(question, answer))
        elif keys == {"fix", "outcome"}:
            fix, outcome = item["fix"], item["outcome"]
            if not isinstance(fix, str):
                raise EvidenceError(f"event {position}: fix must be a string", ref=position)
            if outcome not in OUTCOMES:
                raise EvidenceError(
                    f"event {position}: outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}",
                    ref=position,
                )
            events.append(Tried(fix, outcome))
        else:
            raise EvidenceError(
                f'event {position} must have exactly "question" and "answer", or "fix" and "outcome"',
                ref=position,
            )
    return Session(tuple(events))


@dataclass(frozen=True)
class Step:
    """What one event did to the belief, for explanations."""

    event: Event
    before: tuple[float, ...]
    after: tuple[float, ...]


@dataclass(frozen=True)
class Fact:
    """An answer in force for the session: given by the person, or implied by another answer.

    Attributes:
        implied_by: The question whose answer implied this one ("" when the person gave it).
    """

    question: str
    answer: str
    implied_by: str = ""


@dataclass(frozen=True)
class Evidence:
    """A replayed session: the belief and what is still available.

    Attributes:
        belief: P(cause | evidence), in model cause order.
        answers: question id -> answer id for every answered or implied question ("dont-know"
            included): each is a fact for the session and is never asked again.
        tried: fix id -> outcome, in the order tried.
        done: The problem is fixed or the escalation step was taken.
        steps: One entry per event, in order.
        facts: The answers in the order they became known, implied ones right after their cause.
        belief_before_steps: The belief when the first step was tried (now, if none was yet):
            what people who answered the same way start from.
        answers_before_steps: The answers in force at that moment.
    """

    belief: tuple[float, ...]
    answers: dict[str, str]
    tried: dict[str, Outcome]
    done: bool
    steps: tuple[Step, ...]
    facts: tuple[Fact, ...] = ()
    belief_before_steps: tuple[float, ...] = ()
    answers_before_steps: dict[str, str] | None = None


def replay(model: Model, session: Session) -> Evidence:
    """Apply the events in order (F6, F7, F10) and validate each against the model.

    An answer is a fact for the session: a question is answered at most once, and an
    answer's `implies` records the answers it settles as implied (no evidence of their
    own). A person may still state an implied answer (an older client asked it): the
    same answer changes nothing, a different one replaces it and counts as evidence.

    Raises:
        EvidenceError: Names the first event that is unknown, repeated or comes after the end.
    """
    run = _Replay(model)
    for position, event in enumerate(session.events, start=1):
        run.apply(position, event)
    return Evidence(
        belief=run.belief,
        answers=run.answers,
        tried=run.tried,
        done=run.done,
        steps=tuple(run.steps),
        facts=tuple(run.facts.values()),
        belief_before_steps=run.before_steps[0] if run.before_steps else run.belief,
        answers_before_steps=run.before_steps[1] if run.before_steps else dict(run.answers),
    )


class _Replay:
    """Mutable state of one replay."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.belief = normalised(model.tables.prior)
        self.answers: dict[str, str] = {}
        self.facts: dict[str, Fact] = {}
        self.tried: dict[str, Outcome] = {}
        self.done = False
        self.steps: list[Step] = []
        self.before_steps: tuple[tuple[float, ...], dict[str, str]] | None = None

    def apply(self, position: int, event: Event) -> None:
        if self.done:
            raise EvidenceError(f"event {position} comes after the session ended (fixed or escalated)", ref=position)
        before = self.belief
        if isinstance(event, Tried) and self.before_steps is None:
            self.before_steps = (self.belief, dict(self.answers))
        factor = self._answer(position, event) if isinstance(event, Answered) else self._try(position, event)
        if factor is not None:
            # The running belief stays normalised so long sessions never underflow.
            self.belief = normalised([b * r for b, r in zip(self.belief, factor, strict=True)])
        self.steps.append(Step(event, before, self.belief))

    def _answer(self, position: int, event: Answered) -> Sequence[float] | None:
        index = self.model.question_index.get(event.question)
        if index is None:
            raise EvidenceError(f"event {position}: unknown question {event.question!r}", ref=event.question)
        earlier = self.facts.get(event.question)
        if earlier is not None and not earlier.implied_by:
            raise EvidenceError(
                f"event {position}: question {event.question!r} is already answered", ref=event.question
            )
        question = self.model.questions[index]
        answer_index = next((i for i, a in enumerate(question.answers) if a.id == event.answer), None)
        if answer_index is None and event.answer != DONT_KNOW:
            raise EvidenceError(
                f"event {position}: question {event.question!r} has no answer {event.answer!r}", ref=event.answer
            )
        if earlier is not None and event.answer in (earlier.answer, DONT_KNOW):
            return None  # the implied answer stands; saying it again adds nothing
        self.answers[event.question] = event.answer
        self.facts.pop(event.question, None)
        self.facts[event.question] = Fact(event.question, event.answer)
        if answer_index is None:
            return None
        for implied_question, implied_answer in question.answers[answer_index].implies:
            if implied_question not in self.answers:
                self.answers[implied_question] = implied_answer
                self.facts[implied_question] = Fact(implied_question, implied_answer, event.question)
        return self.model.tables.likelihood[index][answer_index]

    def _try(self, position: int, event: Tried) -> Sequence[float] | None:
        fix_index = self.model.fix_index.get(event.fix)
        if fix_index is None:
            raise EvidenceError(f"event {position}: unknown step {event.fix!r}", ref=event.fix)
        if event.fix in self.tried:
            raise EvidenceError(f"event {position}: step {event.fix!r} was already tried", ref=event.fix)
        fix = self.model.fixes[fix_index]
        self.tried[event.fix] = event.outcome
        if event.outcome == "fixed" or fix.escalation:
            self.done = True
            return None
        if event.outcome == "skipped":
            return None
        failure = [1.0] * len(self.belief)
        for cause, r in self.model.tables.fix_solves[fix_index]:
            failure[cause] = 1.0 - r
        return failure


# --- Share links -------------------------------------------------------------
# Layout of the bytes behind "v1.": 2 bytes model tag, 2 bytes per event, 4 bytes
# checksum. An event is (kind << 7 | index, answer or outcome index); answer
# index 255 is "dont-know".

_DONT_KNOW_BYTE = 255


def model_tag(model: Model) -> bytes:
    """Two bytes that change whenever the ids a link refers to change."""
    parts = [q.id + ":" + ",".join(a.id for a in q.answers) for q in model.questions]
    parts += [f.id for f in model.fixes]
    import hashlib  # noqa: PLC0415 - first needed for a share link, not at engine start (~6 ms in Pyodide)

    return hashlib.sha256("|".join(parts).encode()).digest()[:2]


def _checksum(body: bytes) -> bytes:
    import hashlib  # noqa: PLC0415 - see model_tag

    return hashlib.sha256(b"diag-session:" + body).digest()[:4]


def encode(model: Model, session: Session) -> str:
    """The session as a compact URL-fragment-safe string ("v1." + base64url).

    Raises:
        EvidenceError: The session doesn't replay on this model.
    """
    replay(model, session)
    if len(model.questions) > 127 or len(model.fixes) > 127:
        raise EvidenceError("this model has too many questions or steps for share links")
    body = bytearray(model_tag(model))
    for event in session.events:
        if isinstance(event, Answered):
            q = model.question_index[event.question]
            question = model.questions[q]
            a = (
                _DONT_KNOW_BYTE
                if event.answer == DONT_KNOW
                else next(i for i, ans in enumerate(question.answers) if ans.id == event.answer)
            )
            body += bytes((q, a))
        else:
            body += bytes((128 | model.fix_index[event.fix], OUTCOMES.index(event.outcome)))
    payload = bytes(body) + _checksum(bytes(body))
    return f"{LINK_VERSION}." + base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=")


def decode(model: Model, fragment: str) -> Session:
    """Read a share link back into a session, validating every byte and id.

    Raises:
        SessionLinkError: The link is not ours, damaged, tampered with or from another version.
    """
    text = fragment.strip().lstrip("#")
    # Accept a whole fragment such as "s=v1...."; base64url without padding never has "=".
    text = text.rsplit("=", 1)[-1]
    version, dot, data = text.partition(".")
    if not dot or not version.startswith("v"):
        raise SessionLinkError("This is not a link to a saved session of this guide.", ref=fragment)
    if version != LINK_VERSION:
        raise SessionLinkError(
            f"This link is from another version of the guide (format {version!r}, expected {LINK_VERSION!r}).",
            ref=fragment,
        )
    try:
        payload = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        raise SessionLinkError(
            "This link is damaged: it contains characters a session never uses.", ref=fragment
        ) from None
    if len(payload) < 6 or (len(payload) - 6) % 2:
        raise SessionLinkError("This link is damaged: it is cut short or has extra characters.", ref=fragment)
    body, checksum = payload[:-4], payload[-4:]
    if _checksum(body) != checksum:
        raise SessionLinkError(
            "This link is damaged: its checksum doesn't match (was it changed or cut?).", ref=fragment
        )
    if body[:2] != model_tag(model):
        raise SessionLinkError(
            "This link is from another version of the guide: its questions and steps have changed.", ref=fragment
        )
    events = [_event_at(model, body, offset, fragment) for offset in range(2, len(body), 2)]
    session = Session(tuple(events))
    try:
        replay(model, session)
    except EvidenceError as error:
        raise SessionLinkError(f"This link is damaged: {error}", ref=fragment) from None
    return session


def _event_at(model: Model, body: bytes, offset: int, fragment: str) -> Event:
    head, tail = body[offset], body[offset + 1]
    nothing = SessionLinkError(f"This link is damaged: step {offset // 2} refers to nothing.", ref=fragment)
    if head & 128:
        index = head & 127
        if index >= len(model.fixes) or tail >= len(OUTCOMES):
            raise nothing
        return Tried(model.fixes[index].id, OUTCOMES[tail])
    if head >= len(model.questions):
        raise nothing
    question = model.questions[head]
    if tail == _DONT_KNOW_BYTE:
        return Answered(question.id, DONT_KNOW)
    if tail >= len(question.answers):
        raise nothing
    return Answered(question.id, question.answers[tail].id)


def session_of(events: Iterable[Event]) -> Session:
    """A session from any iterable of events."""
    return Session(tuple(events))
