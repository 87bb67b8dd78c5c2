"""JSON-ready results shared by the command line and the browser bridge.

`next_result` builds the full result the widget reads; `cli_view` keeps only
the command line contract's keys from that same dict, so the two can never
disagree. Floats are rounded and order is fixed so CPython and Pyodide give
byte-identical JSON.
"""

from __future__ import annotations

import json
from typing import Any

from diag.engine import decide
from diag.explain import answer_text, ending, explain, ruled_out, step_details, step_reason
from diag.knowledge import DONT_KNOW, DONT_KNOW_TEXT, IOS_VERSION, Fix, Model, Question
from diag.session import Answered, Session, encode
from diag.settings_paths import render_paths
from diag.view import build_view

JSON = dict[str, Any]


def _round(value: float, digits: int = 4) -> float:
    rounded = round(value, digits)
    return 0.0 if rounded == 0 else rounded


def _ios_version(session: Session | None) -> str | None:
    """The iOS version the person gave (or the widget knew), if any: hints show that version's paths."""
    if session is None:
        return None
    answers = [e.answer for e in session.events if isinstance(e, Answered) and e.question == IOS_VERSION]
    return answers[-1] if answers and answers[-1] != DONT_KNOW else None


def _answers(question: Question, version: str | None = None) -> list[JSON]:
    items = [
        {"id": a.id, "text": a.text, "hint": render_paths(a.hint, version), "article": a.article}
        for a in question.answers
    ]
    items.append({"id": DONT_KNOW, "text": DONT_KNOW_TEXT, "hint": "", "article": ""})
    return items


def catalog(model: Model, *, extended: bool = False) -> JSON:
    """Every question (with "dont-know"), step and cause; `extended` adds the bridge's extras."""
    questions = []
    for q in model.questions:
        answers = _answers(q)
        item: JSON = {"id": q.id, "text": q.text, "answers": answers}
        if extended:
            item.update({"hint": render_paths(q.hint, None), "article": q.article, "first": q.first})
        else:
            item["answers"] = [{"id": a["id"], "text": a["text"]} for a in answers]
        questions.append(item)
    fixes = []
    for f in model.fixes:
        fix_item: JSON = {"id": f.id, "title": f.title, "minutes": _round(f.minutes, 2), "article": f.article}
        if extended:
            fix_item.update(_fix_extras(model, f))
        fixes.append(fix_item)
    causes = [{"id": c.id, "title": c.title} for c in model.causes]
    result: JSON = {"questions": questions, "fixes": fixes, "causes": causes}
    if extended:
        result["version"] = model.version
    return result


def _fix_extras(model: Model, fix: Fix) -> JSON:
    return {
        "url": model.url(fix),
        "risk": fix.risk,
        "risk_note": fix.risk_note,
        "last_resort": fix.last_resort,
        "escalation": fix.escalation,
        "kind": fix.kind,
        "who": fix.who,
        "message": fix.message,
    }


def next_result(model: Model, session: Session) -> JSON:
    """The full result for a session (the bridge's `next_step`).

    Raises:
        EvidenceError: The session doesn't replay on the model.
    """
    decision = decide(model, session)
    ask: JSON | None = None
    if decision.ask is not None:
        q = decision.ask
        version = _ios_version(session)
        ask = {
            "id": q.id,
            "text": q.text,
            "hint": render_paths(q.hint, version),
            "article": q.article,
            "answers": _answers(q, version),
        }
    plan = []
    for index, step in enumerate(decision.plan):
        item: JSON = {
            "id": step.fix.id,
            "title": step.fix.title,
            "probability": _round(step.probability),
            "minutes": _round(step.fix.minutes, 2),
            "article": step.fix.article,
        }
        item.update(_fix_extras(model, step.fix))
        item["why"] = step_reason(model, decision, index)
        item["details"] = step_details(decision, index)
        plan.append(item)
    causes = [{"id": c.id, "probability": _round(p), "title": c.title} for c, p in decision.causes]
    explanation = explain(model, decision)
    result: JSON = {
        "ask": ask,
        "plan": plan,
        "causes": causes,
        "escalate": decision.escalate,
        "expected_minutes": _round(decision.expected_minutes, 2),
        "done": decision.done,
        "explanation": {
            "summary": explanation.summary,
            "moved_by": [{"event": e, "effect": f} for e, f in explanation.moved_by],
            "order": explanation.order,
            "why": explanation.why,
            "details": list(explanation.details),
        },
        "facts": [
            {
                "question": f.question,
                "question_text": model.question(f.question).text,
                "answer": f.answer,
                "answer_text": answer_text(model, f.question, f.answer),
                "implied": bool(f.implied_by),
                "implied_by": f.implied_by or None,
            }
            for f in decision.evidence.facts
        ],
        "ruled_out": [{"id": c.id, "title": c.title, "by": by} for c, by in ruled_out(model, decision)],
        "ending": ending(model, decision),
        "done_by_step": decision.done_by_step,
        "tried": [
            {"id": fid, "title": model.fix(fid).title, "outcome": outcome}
            for fid, outcome in decision.evidence.tried.items()
        ],
        "session": encode(model, session),
        "step": len(session.events),
    }
    return {**result, "view": build_view(model, session, result)}


_CLI_PLAN_KEYS = ("id", "title", "probability", "minutes")
_CLI_ANSWER_KEYS = ("id", "text")


def cli_view(result: JSON) -> JSON:
    """The command line `next` contract: a strict subset of `next_result`'s dict."""
    ask = result["ask"]
    if ask is not None:
        ask = {
            "id": ask["id"],
            "text": ask["text"],
            "answers": [{k: a[k] for k in _CLI_ANSWER_KEYS} for a in ask["answers"]],
        }
    return {
        "ask": ask,
        "plan": [{k: item[k] for k in _CLI_PLAN_KEYS} for item in result["plan"]],
        "causes": [{"id": c["id"], "probability": c["probability"]} for c in result["causes"]],
        "escalate": result["escalate"],
        "expected_minutes": result["expected_minutes"],
        "done": result["done"],
    }


def dumps(data: object) -> str:
    """Canonical JSON text (fixed separators, non-ASCII kept) used by every output."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
