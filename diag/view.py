"""Every wording the "Find my fix" widget and the fix pages show, in one place.

The engine (`diag.payload.next_result`) returns numbers and ids; this module turns
them into the words a person reads: minutes, risk labels, quoted titles, the plan's
heading and progress line, what a screen reader announces, and the summary's lines.
`build_view` is added to every result as ``view``; `static_words` is what the page
needs before the engine has loaded (progress, failure, retry), rendered into the page
at build time. The JavaScript only places these strings; it writes none of its own.
"""

from __future__ import annotations

from typing import Any

from diag.knowledge import DONT_KNOW, DONT_KNOW_TEXT, Model
from diag.session import Answered, Session, Tried

JSON = dict[str, Any]

RISK_LABELS = {"none": "No risk", "low": "Low risk", "medium": "Some risk", "high": "High risk"}
"""Badge text for each risk level of the knowledge model."""

OUTCOME_WORDS = {"fixed": "fixed it", "failed": "didn't help", "skipped": "couldn't do it"}
"""How the summary says what a tried step did."""

WHO_LABELS = {"other-person": "For them", "their-side": "Their side", "carrier": "Your carrier", "apple": "Apple"}
"""Badge text for a step someone other than the person in front of the page must do or help with (`whose`)."""

WHO_NOTES = {
    "other-person": "the other person does this",
    "their-side": "it is on their side",
    "carrier": "your carrier helps here",
    "apple": "Apple helps here",
}
"""The same, as the short note after a step on a symptom page (`whose`)."""

IOS_TABS = {
    "ios-26": ("iOS 26", "iOS 18 and later"),
    "ios-18": ("iOS 18", "iOS 18 and later"),
    "ios-17-or-earlier": ("iOS 17 or earlier", "iOS 17 and earlier"),
}
"""For each answer of the ``ios-version`` question, newest first: the fix pages' tab labels to show,
best match first (a page without an "iOS 26" tab shows its "iOS 18 and later" one)."""

WHO_DOES_IT = {
    "you": "You",
    "other-person": "The owner of the iPhone or number: if that isn't you, send them this page",
    "carrier": "Your carrier, when you contact them",
    "apple": "Apple Support, when you contact them",
}
"""A fix page's "Who" line, for each `who` of the knowledge model."""

_QUOTES = "\"'“”‘’"


def quoted(text: str) -> str:
    """The text in curly quotes, once: a text that already quotes what the screen says keeps its own.

    >>> quoted("Restart")
    '“Restart”'
    >>> quoted("“Waiting for activation…”")
    '“Waiting for activation…”'
    >>> quoted("“Delivered”, but they say it never arrived")
    '“Delivered”, but they say it never arrived'
    """
    inner = text.strip()
    if len(inner) >= 2 and inner[0] in _QUOTES and inner[-1] in _QUOTES and not any(q in inner[1:-1] for q in "“”"):
        inner = inner[1:-1]
    elif any(q in inner for q in "“”"):
        return inner
    return f"“{inner}”"


def minutes_text(minutes: float) -> str:
    """A step's time in words, the same on fix pages and in the widget.

    >>> minutes_text(0.5), minutes_text(1), minutes_text(5.2), minutes_text(90)
    ('Under 1 minute', 'About 1 minute', 'About 5 minutes', 'About 1 hour 30 minutes')
    """
    if minutes < 1:
        return "Under 1 minute"
    whole = round(minutes)
    if whole < 60:
        return f"About {whole} minute{'s' if whole != 1 else ''}"
    hours, rest = divmod(whole, 60)
    text = f"About {hours} hour{'s' if hours != 1 else ''}"
    return f"{text} {rest} minutes" if rest else text


def risk_label(risk: str) -> str:
    """Badge text for a risk level ("Some risk" for "medium")."""
    return RISK_LABELS.get(risk, f"{risk.capitalize()} risk")


def whose(step: JSON) -> str:
    """Whose a plan step is: its `who`, except that advice about the other person is "their-side".

    Their step to take (a fix, e.g. deregistering) is "other-person": send them the page. Their
    situation to wait out (advice, e.g. their phone is off) is "their-side": the page is no use to
    them, so the widget offers words to ask them another way.
    """
    who = str(step.get("who") or "you")
    return "their-side" if who == "other-person" and step.get("kind") == "advice" else who


def step_note(step: JSON) -> str:
    """The short note after a step on a symptom page ("your carrier helps here"); "" for the reader's own."""
    return WHO_NOTES.get(whose(step), "")


def _step_view(item: JSON) -> JSON:
    title = str(item["title"])
    side = whose(item)
    return {
        "minutes": minutes_text(float(item["minutes"])),
        "risk": risk_label(str(item["risk"])),
        "who": WHO_LABELS.get(side, ""),
        "for_them": side == "other-person",
        "ask_them": str(item.get("message") or "") if side == "their-side" else "",
        "share_text": f"Could you do this on your phone? {quoted(title)}. The steps are on this page."
        if side == "other-person"
        else "",
        "outcomes_label": f"Did {quoted(title)} help?",
    }


def summary_lines(model: Model, session: Session) -> list[str]:
    """The session in order, one plain line per answer or tried step (also what "Copy summary" copies)."""
    lines = []
    for event in session.events:
        if isinstance(event, Answered):
            question = model.questions[model.question_index[event.question]]
            answer = question.answer(event.answer)
            text = DONT_KNOW_TEXT if event.answer == DONT_KNOW or answer is None else answer.text
            lines.append(f"Asked {quoted(question.text)}: answered {quoted(text)}")
        elif isinstance(event, Tried):
            title = model.fix(event.fix).title
            lines.append(f"Tried {quoted(title)}: {OUTCOME_WORDS.get(event.outcome, event.outcome)}")
    return lines


def _implied_lines(result: JSON) -> list[str]:
    lines = []
    for fact in result.get("facts") or []:
        if fact.get("implied"):
            question, answer = quoted(str(fact["question_text"])), quoted(str(fact["answer_text"]))
            lines.append(f"Known from the answers: {question}: {answer}")
    return lines


def _summary(model: Model, session: Session, result: JSON) -> JSON:
    fixed = next((t for t in result.get("tried", []) if t["outcome"] == "fixed"), None)
    ending = result.get("ending")
    if ending:
        end = str(ending["text"])
        if "summary" not in end:
            end += " Show them this summary so they can start where you left off."
    else:
        end = (
            "The steps you can do yourself have run out. Show this to your carrier or to Apple Support "
            "so they can start where you left off."
        )
    open_causes = [c for c in result.get("causes", []) if c["probability"] > 0][:3]
    return {
        "title": "Summary to show for help",
        "heading_text": "Find my fix summary",
        "reasons": {
            "fixed": f"Fixed: {quoted(fixed['title'])} solved it. Here is what you did, in case it comes back."
            if fixed
            else "",
            "stopped": "You stopped here. Show this to whoever helps you next (the other person, your carrier or "
            "Apple Support), so they can start where you left off.",
            "end": end,
        },
        "lines": summary_lines(model, session) + _implied_lines(result),
        "empty": "Nothing was answered or tried yet.",
        "causes_title": "Most likely causes still open:",
        "causes": [str(c["title"]) for c in open_causes],
    }


def _progress(session: Session, result: JSON) -> str:
    """The progress line ("Step 2. Most people are done by step 3."), counting plan steps as done_by_step does."""
    tried = sum(1 for event in session.events if isinstance(event, Tried))
    parts = [f"Step {tried + 1}."]
    done_by = result.get("done_by_step")
    if isinstance(done_by, int) and done_by > 0:
        parts.append(f"Most people are done by step {done_by}.")
    return " ".join(parts)


def _announce(result: JSON) -> str:
    said = []
    if result.get("ask"):
        said.append(f"Next question: {result['ask']['text']}")
    plan = result.get("plan") or []
    if plan:
        said.append(f"Plan updated. First try: {plan[0]['title']}, {minutes_text(float(plan[0]['minutes'])).lower()}.")
    return " ".join(said)


def _facts(result: JSON) -> list[str]:
    lines = []
    for fact in result.get("facts") or []:
        line = f"{fact['question_text']} {quoted(str(fact['answer_text']))}"
        lines.append(f"{line} (follows from your other answers)" if fact.get("implied") else line)
    return lines


def build_view(model: Model, session: Session, result: JSON) -> JSON:
    """The words for one engine result (added to it as ``view``)."""
    plan = result.get("plan") or []
    ruled_out = [
        f"{item['title']}: {item['by']}" if item.get("by") else str(item["title"])
        for item in result.get("ruled_out", [])
    ]
    return {
        "heading": "Try this first" if plan else "No steps left to try",
        "more": f"More fixes, in order ({max(0, len(plan) - 1)})",
        "progress": _progress(session, result),
        "announce": _announce(result),
        "plan": [_step_view(item) for item in plan],
        "ruled_out": ruled_out,
        "facts": _facts(result),
        "summary": _summary(model, session, result),
    }


WIDGET_RESULT_KEYS = ("ask", "plan", "explanation", "ending", "tried", "escalate", "done", "session", "step", "view")
"""The parts of an engine result the widget reads; `widget_result` keeps only these."""

WIDGET_PLAN_KEYS = ("id", "title", "url", "risk", "risk_note", "who", "why")
"""The parts of a plan step the widget reads."""


def widget_result(result: JSON) -> JSON:
    """The engine result cut to what the widget reads (the build precomputes this much for the first taps).

    The widget renders nothing else, so a precomputed `widget_result` and the live engine's full
    result show the same page.
    """
    out = {key: result.get(key) for key in WIDGET_RESULT_KEYS}
    out["plan"] = [{key: item.get(key) for key in WIDGET_PLAN_KEYS} for item in result.get("plan") or []]
    explanation = result.get("explanation") or {}
    out["explanation"] = {"why": explanation.get("why"), "details": explanation.get("details")}
    return out


def static_words() -> dict[str, str]:
    """Words the page shows before the engine is ready (placeholders in braces are filled in)."""
    return {
        "loading": "Getting the tool ready…",
        "download": "Getting the tool ready: {loaded} of {total} MB",
        "download_unknown": "Getting the tool ready: {loaded} MB so far",
        "starting": "Starting the tool…",
        "ready": "Answer the question, and your plan appears below it.",
        "restored": "Your plan is below.",
        "queued": "Got it. Your plan appears here as soon as the tool is ready.",
        "failed_stalled": "The tool stopped downloading: nothing arrived for a while. "
        "Your connection may have dropped.",
        "failed_unsupported": "The tool can't run here: it needs Web Workers and WebAssembly, which are turned off "
        "or missing.",
        "failed_failed": "The tool didn't start: {reason}.",
        "failed_after": "Retry, or use the checklist below meanwhile: try the steps in order.",
        "retry": "Retry",
        "restore_failed": "Your earlier session could not be restored. You are starting afresh.",
        "link_damaged": "This link is damaged or out of date, so it could not be restored. You are starting afresh.",
        "unknown_symptom": "That link names something this tool doesn't know. You are starting afresh.",
        "error": "Something went wrong: {message}.",
        "cleared": "Your answers are cleared.",
        "copied": "Copied.",
        "copy_select": "The link is selected: copy it from here.",
        "copy_blocked": "Copying is blocked here: select the text and copy it.",
        "ios_guessed": "Guessed from this phone; change it if it is wrong.",
        "ios_unknown": "Find it in Settings › General › About.",
        "ios_changed": "Showing steps for {label}.",
        "steps_loading": "Loading the steps…",
        "steps_failed": "The steps could not be loaded here.",
        "choose": "Choose an answer, or “I don't know”.",
        "shared": "Sent.",
        "summary_ready": "A summary of what you tried is ready below.",
    }
