"""Plain-language explanations of a decision: top causes, what moved them, why this order."""

from __future__ import annotations

from dataclasses import dataclass

from diag.engine import Decision, PlannedStep
from diag.knowledge import DONT_KNOW, DONT_KNOW_TEXT, Fix, Model
from diag.session import Answered, Step

RULED_OUT = 0.01
"""Below this probability a cause counts as ruled out."""


@dataclass(frozen=True)
class Explanation:
    """Why the engine says what it says.

    Attributes:
        summary: Top causes, the next action and the expected minutes left, in two sentences.
        moved_by: (event, effect) per event, in order.
        order: Why the next action comes before the one after it.
    """

    summary: str
    moved_by: tuple[tuple[str, str], ...]
    order: str


def inline(title: str) -> str:
    """A title inside a sentence: lower-case its first letter unless it is a name like iMessage."""
    if len(title) > 1 and title[0].isupper() and not title[1].isupper():
        return title[0].lower() + title[1:]
    return title


def percent(p: float) -> str:
    """A probability as a short percentage ("<1%" below one percent)."""
    if 0.0 < p < 0.005:
        return "<1%"
    return f"{p * 100:.0f}%"


def minutes_text(minutes: float) -> str:
    """Minutes as a person would say them."""
    if minutes < 1.5:
        return "about a minute"
    if minutes < 90:
        return f"about {minutes:.0f} minutes"
    return f"about {minutes / 60:.1f} hours"


def describe_event(model: Model, step: Step) -> str:
    """The event in words, e.g. 'Answered “Which device …?”: “My iPhone”'."""
    event = step.event
    if isinstance(event, Answered):
        question = model.question(event.question)
        answer = question.answer(event.answer)
        text = answer.text if answer is not None else DONT_KNOW_TEXT
        return f"Answered “{question.text}”: “{text}”"
    fix = model.fix(event.fix)
    verb = {"fixed": "fixed it", "failed": "didn't help", "skipped": "couldn't be done"}[event.outcome]
    return f"“{fix.title}” {verb}"


def describe_effect(model: Model, step: Step) -> str:
    """How one event moved the causes (the biggest rise and the biggest fall)."""
    event = step.event
    if isinstance(event, Answered) and event.answer == DONT_KNOW:
        return "No change: not knowing leaves every estimate as it was."
    if not isinstance(event, Answered) and event.outcome == "skipped":
        return "Set aside; not counted as a failure, so nothing else changed."
    if not isinstance(event, Answered) and event.outcome == "fixed":
        return "Solved."
    if not isinstance(event, Answered) and model.fix(event.fix).escalation:
        return "Handed over to support."
    deltas = [
        (after - before, i) for i, (before, after) in enumerate(zip(step.before, step.after, strict=True))
    ]
    rise = max(deltas, key=lambda d: (d[0], -d[1]))
    fall = min(deltas, key=lambda d: (d[0], d[1]))
    parts = []
    if rise[0] > 0.005:
        parts.append(f"more likely: {_moved(model, step, rise[1])}")
    if fall[0] < -0.005:
        parts.append(f"less likely: {_moved(model, step, fall[1])}")
    joined = "; ".join(parts)
    text = joined[:1].upper() + joined[1:] + "." if parts else "Hardly any change."
    if step.stale:
        titles = ", ".join(f"“{model.question(q).text}”" for q in step.stale)
        text += f" Your earlier answer to {titles} may be out of date now, so it can be asked again."
    return text


def _moved(model: Model, step: Step, i: int) -> str:
    return f"{inline(model.causes[i].title)} ({percent(step.before[i])} → {percent(step.after[i])})"


def step_reason(model: Model, decision: Decision, index: int) -> str:
    """One sentence: which likely causes this planned step addresses and why it comes here."""
    step = decision.plan[index]
    fix = step.fix
    if fix.escalation:
        return "Support can look at your account and line directly; it ends the search when the steps above run out."
    belief = dict((cause.id, p) for cause, p in decision.causes)
    ranked = sorted(fix.solves.items(), key=lambda kv: (-belief[kv[0]] * kv[1], kv[0]))
    helped = [kv for kv in ranked if belief[kv[0]] * kv[1] >= 0.0005][:2] or ranked[:1]
    names = " or ".join(f"{inline(model.cause(c).title)} ({percent(belief[c])})" for c, _ in helped)
    value = f"a {percent(step.probability)} chance for {_cost_words(fix)}"
    following = decision.plan[index + 1] if index + 1 < len(decision.plan) else None
    if following is None or following.fix.escalation:
        return f"Helps if the cause is {names}: {value}, still better value than contacting support."
    return f"Helps if the cause is {names}: {value}, better value than “{following.fix.title}”."


def _cost_words(fix: Fix) -> str:
    base = minutes_text(fix.minutes)
    if fix.surcharge >= 1:
        return f"{base} (counted as {fix.cost:.0f} with its risk and hassle)"
    return base


def _order(model: Model, decision: Decision) -> str:
    if decision.done:
        return "Nothing left to do."
    if decision.ask is not None:
        if decision.ask.first:
            return "What you see under the message decides which fixes make sense, so it comes first."
        return (
            f"Answering “{decision.ask.text}” first is expected to cost {decision.expected_cost:.1f} minutes "
            f"in all, against {decision.repair_cost:.1f} for going straight to the steps: the answer changes "
            "which step should come first."
        )
    first = decision.plan[0]
    if decision.escalate:
        return (
            "No remaining step is worth more than contacting support: each has too small a chance "
            "for what it costs."
        )
    return _compare(first, decision.plan[1])


def _compare(first: PlannedStep, second: PlannedStep) -> str:
    a, b = first.fix, second.fix
    if b.escalation:
        return f"“{a.title}” is the last step worth trying before contacting support."
    rate_a = first.probability / a.cost
    return (
        f"“{a.title}” comes first: {percent(first.probability)} chance for {a.cost:.0f} minutes of effort "
        f"and risk ({rate_a * 100:.1f}% per minute) beats “{b.title}”."
    )


def explain(model: Model, decision: Decision) -> Explanation:
    """Explain a decision: the summary, what each event did, and the order."""
    evidence = decision.evidence
    moved = tuple((describe_event(model, s), describe_effect(model, s)) for s in evidence.steps)
    if decision.done:
        fixed = [fid for fid, outcome in evidence.tried.items() if outcome == "fixed"]
        if fixed:
            summary = f"Fixed by “{model.fix(fixed[0]).title}”."
        else:
            summary = "Handed over to support with a list of everything already tried."
        return Explanation(summary, moved, _order(model, decision))
    top = [(c, p) for c, p in decision.causes[:2] if p >= RULED_OUT]
    likely = " and ".join(f"{inline(c.title)} ({percent(p)})" for c, p in top)
    if decision.ask is not None:
        action = f"answer “{decision.ask.text}”"
    elif decision.escalate:
        action = f"“{model.escalation.title}”"
    else:
        action = f"try “{decision.plan[0].fix.title}”"
    summary = (
        f"Most likely: {likely}. Next: {action}; {minutes_text(decision.expected_minutes)} left on average."
    )
    return Explanation(summary, moved, _order(model, decision))
