"""Sessions: immutable event lists, undo by replay, and share links that reject damage."""

from __future__ import annotations

import re

import pytest
from engine.fixtures import tiny_model

from diag import Answered, Session, SessionLinkError, Tried, decode, default_model, encode, parse_events
from diag.errors import EvidenceError

EVENTS = (
    Answered("symptom", "red-not-delivered"),
    Answered("scope", "dont-know"),
    Tried("try-again-or-send-as-text", "failed"),
    Tried("restart", "skipped"),
)


def test_session_is_immutable_and_add_returns_a_new_one():
    """Assert adding an event leaves the original session unchanged."""
    empty = Session()
    longer = empty.add(EVENTS[0])
    assert empty.events == ()
    assert longer.events == (EVENTS[0],)


def test_undo_is_replay_without_the_last_event():
    """Assert undo drops exactly the last event, and undo of empty stays empty."""
    session = Session(EVENTS)
    assert session.undo().events == EVENTS[:-1]
    assert Session().undo() == Session()


def test_session_round_trips_through_json():
    """Assert to_json and parse_events are inverses."""
    session = Session(EVENTS)
    assert parse_events(session.to_json()["events"]) == session


def test_link_round_trips():
    """Assert decode(encode(session)) gives the same session."""
    model = default_model()
    assert decode(model, encode(model, Session(EVENTS))) == Session(EVENTS)


def test_link_is_short_versioned_and_fragment_safe():
    """Assert the link starts with the version tag and uses only URL-fragment-safe characters."""
    link = encode(default_model(), Session(EVENTS))
    assert link.startswith("v1.")
    assert re.fullmatch(r"v1\.[A-Za-z0-9_-]+", link)
    assert len(link) < 40


def test_empty_session_has_a_link_too():
    """Assert the empty session encodes and decodes (restart is shareable)."""
    model = default_model()
    assert decode(model, encode(model, Session())) == Session()


def test_link_with_hash_prefix_is_accepted():
    """Assert a fragment copied with its leading '#' decodes."""
    model = default_model()
    assert decode(model, "#" + encode(model, Session(EVENTS))) == Session(EVENTS)


def test_tampered_link_is_rejected_as_damaged():
    """Assert changing one character of the link fails the checksum."""
    model = default_model()
    link = encode(model, Session(EVENTS))
    index = 6
    tampered = link[:index] + ("A" if link[index] != "A" else "B") + link[index + 1 :]
    with pytest.raises(SessionLinkError, match="damaged"):
        decode(model, tampered)


def test_truncated_link_is_rejected():
    """Assert a link cut short is rejected with a readable message."""
    model = default_model()
    with pytest.raises(SessionLinkError, match="damaged"):
        decode(model, encode(model, Session(EVENTS))[:-3])


def test_link_from_another_format_version_is_rejected():
    """Assert an unknown version tag names both versions."""
    with pytest.raises(SessionLinkError, match=r"another version of the guide.*'v9'"):
        decode(default_model(), "v9.AAAA")


def test_link_from_another_model_is_rejected():
    """Assert a link made for a different model (other ids) is reported as another version."""
    link = encode(tiny_model(), Session((Tried("fix-b", "failed"),)))
    with pytest.raises(SessionLinkError, match="another version of the guide"):
        decode(default_model(), link)


@pytest.mark.parametrize("junk", ["", "hello", "v1.", "v1.!!!!", "https://example.com/#v1.AA"])
def test_foreign_input_is_rejected_clearly(junk):
    """Assert text that isn't a session link raises SessionLinkError, never another exception."""
    with pytest.raises(SessionLinkError):
        decode(default_model(), junk)


def test_encoding_an_invalid_session_is_refused():
    """Assert encode validates the session before making a link."""
    with pytest.raises(EvidenceError, match="unknown step"):
        encode(default_model(), Session((Tried("nope", "failed"),)))
