"""The browser bridge: JSON strings in and out, never an exception."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from diag import bridge


def test_catalog_has_version_and_dont_know_answers():
    """Assert the bridge catalog adds the model version and a "dont-know" answer to every question."""
    reply = json.loads(bridge.catalog())
    assert reply["ok"]
    result = reply["result"]
    assert result["version"]
    for question in result["questions"]:
        assert question["answers"][-1]["id"] == "dont-know"


def test_encode_then_decode_gives_the_events_back():
    """Assert bridge.encode and bridge.decode round-trip a session."""
    events = [{"question": "symptom", "answer": "green-bubble"}, {"fix": "turn-on-imessage", "outcome": "failed"}]
    link = json.loads(bridge.encode(json.dumps({"events": events})))["result"]["session"]
    assert json.loads(bridge.decode(link)) == {"ok": True, "result": {"events": events}}


def test_damaged_link_gives_a_readable_error():
    """Assert a damaged link is reported as {"ok": false, "error": "This link is damaged..."}."""
    reply = json.loads(bridge.decode("v1.AAAAAAAAAA"))
    assert reply["ok"] is False
    assert reply["error"].startswith("This link is damaged")


def test_bad_request_gives_one_line_error():
    """Assert invalid JSON is an error reply with a single line."""
    reply = json.loads(bridge.next_step("{nope"))
    assert reply["ok"] is False
    assert "\n" not in reply["error"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_next_step_never_raises_on_any_text(text):
    """Assert any string in gives a JSON reply with "ok", never an exception."""
    reply = json.loads(bridge.next_step(text))
    assert isinstance(reply["ok"], bool)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_decode_never_raises_on_any_text(text):
    """Assert any fragment gives a JSON reply, and garbage never decodes."""
    reply = json.loads(bridge.decode(text))
    assert reply["ok"] is False or isinstance(reply["result"]["events"], list)
