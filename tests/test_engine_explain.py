"""Every result explains itself: causes, what moved them, why this order, minutes left."""

from __future__ import annotations

import json

from diag import Answered, Session, Tried, bridge, decide, default_model, explain
from diag.payload import cli_view, next_result

EVENTS = [
    {"question": "symptom", "answer": "red-not-delivered"},
    {"question": "web", "answer": "no"},
    {"question": "scope", "answer": "dont-know"},
    {"fix": "check-your-connection", "outcome": "failed"},
    {"fix": "restart", "outcome": "skipped"},
]


def next_step(events):
    reply = json.loads(bridge.next_step(json.dumps({"events": events})))
    assert reply["ok"], reply
    return reply["result"]


def test_summary_names_the_most_likely_cause_and_the_next_action():
    """Assert the summary names the top cause and the next action, with no numbers."""
    model = default_model()
    session = Session((Answered("symptom", "red-not-delivered"), Answered("web", "no")))
    decision = decide(model, session)
    summary = explain(model, decision).summary
    top = decision.causes[0][0].title
    assert top[1:] in summary
    assert "Next:" in summary
    assert "%" not in summary


def test_moved_by_has_one_entry_per_event():
    """Assert each event gets a description and an effect."""
    result = next_step(EVENTS)
    moved = result["explanation"]["moved_by"]
    assert len(moved) == len(EVENTS)
    assert all(item["event"] and item["effect"] for item in moved)


def test_dont_know_and_skipped_are_explained_as_no_change():
    """Assert "I don't know" and "couldn't do it" are explained as leaving the estimates alone."""
    moved = next_step(EVENTS)["explanation"]["moved_by"]
    assert moved[2]["effect"].startswith("No change")
    assert "not counted as a failure" in moved[4]["effect"]


def test_answer_effect_names_the_cause_it_raised():
    """Assert "the web doesn't load" is explained as raising the no-internet cause."""
    moved = next_step(EVENTS[:2])["explanation"]["moved_by"]
    assert "no working internet connection" in moved[1]["effect"]
    assert moved[1]["effect"].startswith("More likely")


def test_every_plan_step_says_why():
    """Assert each plan item carries a one-sentence reason."""
    for item in next_step(EVENTS)["plan"]:
        assert item["why"].endswith(".")
        assert item["why"].count(". ") == 0


def test_order_explains_the_first_step_against_the_next():
    """Assert the order sentence names the first step when no question is asked."""
    model = default_model()
    events = (Answered("symptom", "red-not-delivered"), Answered("web", "no"), Answered("scope", "several"))
    decision = decide(model, Session(events))
    if decision.ask is None:
        assert decision.plan[0].fix.title in explain(model, decision).order
    else:
        assert decision.ask.text in explain(model, decision).order


def test_bridge_plan_items_carry_links_and_risk():
    """Assert plan items have article, directory URL, risk, kind and flags."""
    plan = next_step([])["plan"]
    by_id = {item["id"]: item for item in plan}
    escalation = plan[-1]
    assert escalation["kind"] == "escalation"
    assert escalation["escalation"] is True
    assert escalation["url"] == "fixes/contact-apple-support/"
    for item in plan:
        assert item["risk"] in {"none", "low", "medium", "high"}
        assert item["url"].startswith(("fixes/", "understand/"))
    if "green-is-normal" in by_id:
        assert by_id["green-is-normal"]["url"] == "understand/#green-bubble"
        assert by_id["green-is-normal"]["kind"] == "advice"


def test_bridge_reports_tried_ruled_out_session_and_step():
    """Assert tried steps, ruled-out causes, the share link and the step count are reported."""
    result = next_step(EVENTS)
    assert [t["id"] for t in result["tried"]] == ["check-your-connection", "restart"]
    assert result["tried"][1]["outcome"] == "skipped"
    assert result["step"] == len(EVENTS)
    assert result["session"].startswith("v1.")
    assert all(c["id"] != "no-internet" for c in result["ruled_out"])
    probabilities = {c["id"]: c["probability"] for c in result["causes"]}
    assert {c["id"] for c in result["ruled_out"]} <= {k for k, p in probabilities.items() if p < 0.01}
    assert all(c["by"] for c in result["ruled_out"])


def test_cli_output_is_a_strict_subset_of_the_bridge_output():
    """Assert every CLI key and value equals the bridge's for the same session."""
    model = default_model()
    session = Session((Answered("symptom", "no-status"), Tried("try-again-or-send-as-text", "failed")))
    full = next_result(model, session)
    small = cli_view(full)
    assert small.keys() < full.keys()
    for key, value in small.items():
        if key in {"escalate", "expected_minutes", "done"}:
            assert full[key] == value
    assert [p["id"] for p in small["plan"]] == [p["id"] for p in full["plan"]]
    assert [p["probability"] for p in small["plan"]] == [p["probability"] for p in full["plan"]]
    assert small["causes"] == [{"id": c["id"], "probability": c["probability"]} for c in full["causes"]]


def test_expected_minutes_shrink_once_a_likely_cause_is_confirmed():
    """Assert a decisive answer lowers the expected remaining minutes."""
    before = next_step([{"question": "symptom", "answer": "red-not-delivered"}])["expected_minutes"]
    after = next_step([{"question": "symptom", "answer": "red-not-delivered"}, {"question": "web", "answer": "no"}])
    assert after["expected_minutes"] < before


def walk_results(events, steps=4):
    """Results along a session that fails its first few steps."""
    session = Session(tuple(events))
    model = default_model()
    results = []
    for _ in range(steps):
        result = next_result(model, session)
        results.append(result)
        if result["done"] or result["ask"] is not None:
            break
        session = session.add(Tried(result["plan"][0]["id"], "failed"))
    return results


def test_default_texts_have_no_percentages_nor_per_minute():
    """Assert summary, why, order, moved_by effects and plan reasons speak in words; numbers go to details."""
    events = (Answered("symptom", "red-not-delivered"), Answered("web", "no"))
    for result in walk_results(events):
        explanation = result["explanation"]
        texts = [explanation["summary"], explanation["why"], explanation["order"]]
        texts += [m["effect"] for m in explanation["moved_by"]] + [p["why"] for p in result["plan"]]
        for text in texts:
            assert "%" not in text, text
            assert "per minute" not in text, text
        assert any("%" in line for line in explanation["details"])


def test_why_names_the_persons_own_answer():
    """Assert "why this step" says what the person answered (Safari loads nothing) and the cause it points to."""
    events = (Answered("symptom", "red-not-delivered"), Answered("web", "no"), Answered("scope", "several"))
    result = next_step([e.to_json() for e in events])
    assert result["ask"] is None
    why = result["explanation"]["why"]
    assert "Safari loads nothing" in why
    assert "no working internet connection" in why


def test_nothing_is_ruled_out_before_any_answer():
    """Assert "ruled out" is empty before anything was answered or tried (rare is not ruled out)."""
    assert next_step([])["ruled_out"] == []


def test_ruled_out_names_what_ruled_each_cause_out():
    """Assert a cause the answer makes impossible is listed, with the answer that ruled it out."""
    result = next_step([{"question": "symptom", "answer": "red-not-delivered"}, {"question": "web", "answer": "yes"}])
    by_id = {c["id"]: c["by"] for c in result["ruled_out"]}
    assert "recipient-silenced" in by_id
    assert by_id["recipient-silenced"].startswith("You said your message shows a red")


def test_a_cause_the_persons_answer_points_to_is_never_ruled_out():
    """Assert "the contact doesn't use iMessage" is not ruled out after "the contact changed phones"."""
    events = [
        {"question": "symptom", "answer": "no-status"},
        {"question": "recent-change", "answer": "contact-switched"},
    ]
    result = next_step(events)
    assert all(c["id"] != "recipient-imessage-off" for c in result["ruled_out"])
    assert all(c["id"] != "recipient-left-iphone" for c in result["ruled_out"])


def test_facts_list_the_answers_with_implied_ones_marked():
    """Assert facts carry question and answer texts, implied answers flagged with their source."""
    facts = next_step([{"question": "symptom", "answer": "waiting-activation"}])["facts"]
    assert facts[0] == {
        "question": "symptom",
        "question_text": default_model().question("symptom").text,
        "answer": "waiting-activation",
        "answer_text": facts[0]["answer_text"],
        "implied": False,
        "implied_by": None,
    }
    assert facts[1]["question"] == "imessage-status"
    assert facts[1]["implied"] is True
    assert facts[1]["implied_by"] == "symptom"


def test_why_quotes_only_answers_that_point_to_the_cause_it_names():
    """Assert "You said X, so the likeliest cause is Y" never cites an X that says nothing of Y.

    An iOS update lifts "a Focus or a muted chat hid it" only because it lowers other causes (a
    changed number or a contact who left iPhone), so it is no reason to suspect a Focus.
    """
    model = default_model()
    session = Session(
        (
            Answered("ios-version", "ios-18"),
            Answered("symptom", "delivered-not-received"),
            Answered("recent-change", "ios-update"),
        )
    )
    why = next_result(model, session)["explanation"]["why"]
    assert "Focus" in why
    assert "updated" not in why
    assert why.startswith("You said it says “Delivered”")
