"""Plain-language explanations: why the next action, what moved, what was ruled out, how it ends.

The default texts (`why`, `summary`, `order`, a plan step's `why`, `moved_by`) name the
person's own answers and steps in words, with no percentages and no "per minute"; the
numbers behind them go to `details`, for a disclosure.
"""

from __future__ import annotations

from dataclasses import dataclass

from diag.engine import Decision, PlannedStep
from diag.knowledge import DONT_KNOW, DONT_KNOW_TEXT, Cause, Fix, Model
from diag.session import Answered, Evidence, Fact, Step, Tried
from diag.view import minutes_text

RULED_OUT = 0.01
"""Below this probability a cause counts as ruled out, if an answer or a failed step put it there."""

RULES_OUT_ANSWER = 0.02
"""An answer rules a cause out when the cause gives that answer at most this often (before answer noise)."""

RULES_OUT_STEP = 0.75
"""A failed step rules a cause out when it fixes that cause at least this often."""

POINTS_TO = 2.0
"""An answer that at least doubled a cause's probability points to it: that cause is never listed as ruled out."""

CONTACTS = {
    "carrier": "your carrier",
    "other-person": "the person you're writing to",
    "apple": "Apple",
}
"""How each contact reads in a sentence."""


@dataclass(frozen=True)
class Explanation:
    """Why the engine says what it says.

    Attributes:
        summary: The likeliest causes and the next action, in plain words.
        moved_by: (event, effect) per event, in order, in plain words.
        order: Why the next action comes before the one after it, in plain words.
        why: Why the next action, naming the person's own answers.
        details: The numbers behind all of it, for a disclosure.
    """

    summary: str
    moved_by: tuple[tuple[str, str], ...]
    order: str
    why: str = ""
    details: tuple[str, ...] = ()


NAMES = ("Send & Receive", "Screen Time", "Messages", "Apple", "Focus", "Contact Key", "Wi-Fi", "iCloud", "SIM", "MMS")
"""Names that keep their capital inside a sentence."""


def inline(title: str) -> str:
    """A title inside a sentence: lower-case its first letter unless it starts with a name like Screen Time."""
    if title.startswith(NAMES):
        return title
    if len(title) > 1 and title[0].isupper() and not title[1].isupper():
        return title[0].lower() + title[1:]
    return title


def percent(p: float) -> str:
    """A probability as a short percentage ("<1%" below one percent), for details only."""
    if 0.0 < p < 0.005:
        return "<1%"
    return f"{p * 100:.0f}%"


def answer_text(model: Model, question_id: str, answer_id: str) -> str:
    """The answer's own text ("I don't know" for dont-know)."""
    answer = model.question(question_id).answer(answer_id)
    return answer.text if answer is not None else DONT_KNOW_TEXT


def fact_phrase(model: Model, question_id: str, answer_id: str) -> str:
    """The answer as a clause after "you said" (e.g. "Safari loads nothing on Wi-Fi or cellular")."""
    question = model.question(question_id)
    answer = question.answer(answer_id)
    if answer is None:
        return f"you don't know “{question.text}”"
    return answer.fact or f"“{answer.text}” to “{question.text}”"


def describe_fact(model: Model, fact: Fact) -> str:
    """A fact in words, saying when it follows from another answer."""
    phrase = fact_phrase(model, fact.question, fact.answer)
    if fact.implied_by:
        return f"{_capital(phrase)} (follows from your answer to “{model.question(fact.implied_by).text}”)"
    return _capital(phrase)


def describe_event(model: Model, step: Step) -> str:
    """The event in words, e.g. 'Answered “Which device …?”: “My iPhone”'."""
    event = step.event
    if isinstance(event, Answered):
        question = model.question(event.question)
        return f"Answered “{question.text}”: “{answer_text(model, event.question, event.answer)}”"
    fix = model.fix(event.fix)
    verb = {"fixed": "fixed it", "failed": "didn't help", "skipped": "couldn't be done"}[event.outcome]
    return f"“{fix.title}” {verb}"


def describe_effect(model: Model, step: Step) -> str:
    """How one event moved the causes (the biggest rise and the biggest fall), in words."""
    event = step.event
    if isinstance(event, Answered) and event.answer == DONT_KNOW:
        return "No change: not knowing leaves every estimate as it was."
    if isinstance(event, Tried) and event.outcome == "skipped":
        return "Set aside; not counted as a failure, so nothing else changed."
    if isinstance(event, Tried) and event.outcome == "fixed":
        return "Solved."
    if isinstance(event, Tried) and model.fix(event.fix).escalation:
        return "Handed over to support."
    deltas = [(after - before, i) for i, (before, after) in enumerate(zip(step.before, step.after, strict=True))]
    rise = max(deltas, key=lambda d: (d[0], -d[1]))
    fall = min(deltas, key=lambda d: (d[0], d[1]))
    parts = []
    if rise[0] > 0.005:
        parts.append(f"More likely: {inline(model.causes[rise[1]].title)}.")
    if fall[0] < -0.005:
        parts.append(f"Less likely: {inline(model.causes[fall[1]].title)}.")
    return " ".join(parts) if parts else "Hardly any change."


def _effect_details(model: Model, step: Step) -> str:
    deltas = [(after - before, i) for i, (before, after) in enumerate(zip(step.before, step.after, strict=True))]
    moved = sorted((d for d in deltas if abs(d[0]) > 0.005), key=lambda d: (-abs(d[0]), d[1]))[:3]
    if not moved:
        return ""
    items = ", ".join(
        f"{inline(model.causes[i].title)} {percent(step.before[i])} → {percent(step.after[i])}" for _, i in moved
    )
    return f"{describe_event(model, step)}: {items}."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pointing(model: Model, evidence: Evidence, cause: int, limit: int = 2) -> list[str]:
    """The person's answers and failed steps that raised this cause most, as clauses, in session order."""
    scored: list[tuple[float, int, str]] = []
    for position, step in enumerate(evidence.steps):
        if step.before[cause] <= 0.0:
            continue
        ratio = step.after[cause] / step.before[cause]
        event = step.event
        if ratio < 1.2:
            continue
        if isinstance(event, Answered) and event.answer != DONT_KNOW:
            if not _typical_of(model, event, cause):
                continue
            scored.append((ratio, position, fact_phrase(model, event.question, event.answer)))
        elif isinstance(event, Tried) and event.outcome == "failed":
            scored.append((ratio, position, f"“{model.fix(event.fix).title}” didn't help"))
    best = sorted(scored, key=lambda item: (-item[0], item[1]))[:limit]
    return [text for _, _, text in sorted(best, key=lambda item: item[1])]


TYPICAL = 1.5
"""An answer speaks for a cause when it is this many times likelier under it than under the median cause."""


def _typical_of(model: Model, event: Answered, cause: int) -> bool:
    """Whether this answer is characteristic of the cause, not merely less damaging to it than to others.

    A posterior can rise only because other causes fell ("a new SIM" lifts "they blocked you" a little
    when it lowers "their phone is off"); quoting such an answer as the reason reads as a non sequitur.
    """
    question = model.question(event.question)
    index = next((i for i, answer in enumerate(question.answers) if answer.id == event.answer), None)
    if index is None:
        return False
    row = model.tables.likelihood[model.question_index[event.question]][index]
    ordered = sorted(row)
    median = ordered[len(ordered) // 2]
    return row[cause] > TYPICAL * median


def _because(clauses: list[str]) -> str:
    if not clauses:
        return ""
    said = [c for c in clauses if not c.endswith("didn't help")]
    done = [c for c in clauses if c.endswith("didn't help")]
    parts = []
    if said:
        parts.append("you said " + " and ".join(said))
    parts += done
    return _capital(", and ".join(parts))


def _target(decision: Decision, fix: Fix) -> Cause | None:
    """The cause this step most likely deals with now."""
    belief = {cause.id: p for cause, p in decision.causes}
    best = max(fix.solves.items(), key=lambda kv: (belief[kv[0]] * kv[1], kv[0]), default=None)
    if best is None:
        return None
    return next(cause for cause, _ in decision.causes if cause.id == best[0])


def why_next(model: Model, decision: Decision) -> str:  # noqa: PLR0911 - one sentence per kind of next action
    """Why the next action, in plain words naming the person's answers."""
    evidence = decision.evidence
    if decision.done:
        fixed = [fid for fid, outcome in evidence.tried.items() if outcome == "fixed"]
        if fixed:
            return f"“{model.fix(fixed[0]).title}” fixed it."
        return "The steps are over: support has the summary of everything you told me and tried."
    if decision.ask is not None:
        if decision.ask.first:
            return "What you see under the message decides which steps make sense, so it comes first."
        if decision.precondition is not None:
            return (
                f"The likeliest step, “{decision.precondition.title}”, is only right for some answers to this "
                "question, so it comes first."
            )
        pair = _split(model, decision)
        lead = _because(_pointing(model, evidence, model.cause_index[decision.causes[0][0].id]))
        lead = f"{lead}. " if lead else ""
        if pair:
            a, b = pair
            return (
                f"{lead}Your answer tells whether {inline(a.title)} or {inline(b.title)}: "
                "they need different steps, so asking now saves trying the wrong ones."
            )
        return f"{lead}Your answer changes which step should come first."
    step = decision.plan[0]
    fix = step.fix
    if fix.escalation:
        return (
            "None of the steps left is likely enough to be worth your time. Apple Support can look at your "
            "Apple Account and iMessage directly; show them the summary below."
        )
    cause = _target(decision, fix)
    if cause is None:
        return f"“{fix.title}” is the quickest thing left to try."
    because = _because(_pointing(model, evidence, model.cause_index[cause.id]))
    top = decision.causes[0][0].id == cause.id
    likely = "the likeliest cause" if top else "one of the likely causes"
    first = f"{because}, so {likely} is that {inline(cause.title)}" if because else (
        f"{_capital(likely)} is that {inline(cause.title)}"
    )
    if fix.who != "you":
        return f"{first}. Only {CONTACTS[fix.who]} can sort that out."
    if top:
        return f"{first}. “{fix.title}” deals with that."
    return f"{first}. “{fix.title}” is quick and deals with that, so it comes before the others."


def _split(model: Model, decision: Decision) -> tuple[Cause, Cause] | None:
    """The two likely causes the asked question tells apart best."""
    question = decision.ask
    if question is None:
        return None
    top = [(c, p) for c, p in decision.causes[:6] if p > 0.0]
    best: tuple[float, Cause, Cause] | None = None
    for i, (a, pa) in enumerate(top):
        for b, pb in top[i + 1 :]:
            row_a, row_b = question.likelihood[a.id], question.likelihood[b.id]
            distance = 0.5 * sum(abs(row_a[x.id] - row_b[x.id]) for x in question.answers)
            score = pa * pb * distance
            if distance > 0.2 and (best is None or score > best[0]):
                best = (score, a, b)
    return (best[1], best[2]) if best else None


def step_reason(model: Model, decision: Decision, index: int) -> str:
    """One sentence: which likely causes this planned step deals with, in plain words."""
    step = decision.plan[index]
    fix = step.fix
    if fix.escalation:
        return (
            "Apple Support can look at your account and line directly; "
            "it ends the search when the steps above run out."
        )
    belief = {cause.id: p for cause, p in decision.causes}
    ranked = sorted(fix.solves.items(), key=lambda kv: (-belief[kv[0]] * kv[1], kv[0]))
    helped = [kv for kv in ranked if belief[kv[0]] * kv[1] >= 0.0005][:2] or ranked[:1]
    names = " or ".join(inline(model.cause(c).title) for c, _ in helped)
    following = decision.plan[index + 1] if index + 1 < len(decision.plan) else None
    if fix.who != "you":
        return f"Helps if the cause is {names}, which only {CONTACTS[fix.who]} can sort out."
    if following is None or following.fix.escalation:
        return f"Helps if the cause is {names}; still worth trying before contacting support."
    if fix.cost <= 3 and fix.risk == "none":
        return f"Helps if the cause is {names}; quick and safe, so it comes early."
    return f"Helps if the cause is {names}."


def step_details(decision: Decision, index: int) -> str:
    """The numbers behind a planned step, for a disclosure."""
    step = decision.plan[index]
    fix = step.fix
    cost = minutes_text(fix.minutes).lower()
    if fix.surcharge >= 1:
        cost += f", counted as {fix.cost:.0f} with its risk and hassle"
    return f"{percent(step.probability)} chance it fixes it if the steps above didn't; {cost}."


def _order(model: Model, decision: Decision) -> str:
    if decision.done:
        return "Nothing left to do."
    if decision.ask is not None:
        if decision.ask.first:
            return "What you see under the message decides which fixes make sense, so it comes first."
        return (
            f"Answering “{decision.ask.text}” first saves time on average: "
            "the answer changes which step comes first."
        )
    first = decision.plan[0]
    if decision.escalate:
        return (
            "No remaining step is worth more than contacting support: "
            "each is too unlikely to help for what it costs."
        )
    return _compare(first, decision.plan[1])


def _compare(first: PlannedStep, second: PlannedStep) -> str:
    a, b = first.fix, second.fix
    if b.escalation:
        return f"“{a.title}” is the last step worth trying before contacting support."
    return f"“{a.title}” comes before “{b.title}”: for the time and risk it takes, it is more likely to help."


def _details(model: Model, decision: Decision) -> tuple[str, ...]:
    lines = []
    top = ", ".join(f"{inline(c.title)} {percent(p)}" for c, p in decision.causes[:4] if p >= RULED_OUT)
    if top:
        lines.append(f"Likeliest causes: {top}.")
    if not decision.done:
        if decision.ask is not None:
            lines.append(
                f"Asking “{decision.ask.text}” first: expected cost {decision.expected_cost:.1f} minutes in all, "
                f"against {decision.repair_cost:.1f} going straight to the steps."
            )
        elif decision.plan and not decision.plan[0].fix.escalation:
            first = decision.plan[0]
            lines.append(
                f"“{first.fix.title}”: {percent(first.probability)} chance for {first.fix.cost:.0f} minutes of "
                f"effort and risk ({first.probability / first.fix.cost * 100:.1f}% per minute)."
            )
        lines.append(f"Expected minutes left on average: {decision.expected_minutes:.0f}.")
    if decision.done_by_step:
        lines.append(f"Most people who answered as you did are done by step {decision.done_by_step}.")
    lines += [text for text in (_effect_details(model, s) for s in decision.evidence.steps) if text]
    return tuple(lines)


def explain(model: Model, decision: Decision) -> Explanation:
    """Explain a decision: the summary, what each event did, the order, why, and the numbers."""
    evidence = decision.evidence
    moved = tuple((describe_event(model, s), describe_effect(model, s)) for s in evidence.steps)
    why = why_next(model, decision)
    details = _details(model, decision)
    if decision.done:
        fixed = [fid for fid, outcome in evidence.tried.items() if outcome == "fixed"]
        if fixed:
            summary = f"Fixed by “{model.fix(fixed[0]).title}”."
        else:
            summary = "Handed over to support with a list of everything already tried."
        return Explanation(summary, moved, _order(model, decision), why, details)
    top = [c for c, p in decision.causes[:2] if p >= RULED_OUT]
    likely = ", then ".join(inline(c.title) for c in top)
    if decision.ask is not None:
        action = f"answer “{decision.ask.text}”"
    elif decision.escalate:
        action = f"“{model.escalation.title}”"
    else:
        action = f"try “{decision.plan[0].fix.title}”"
    summary = f"Most likely: {likely}. Next: {action}."
    return Explanation(summary, moved, _order(model, decision), why, details)


def ruled_out(model: Model, decision: Decision) -> list[tuple[Cause, str]]:
    """Causes an answer or a failed step actually ruled out, each with what ruled it out in words.

    A cause is listed when it is now below RULED_OUT, the event that took it below was nearly
    impossible under it (an answer it gives at most RULES_OUT_ANSWER of the time, or a failed
    step that fixes it at least RULES_OUT_STEP of the time), and no answer pointed to it (at
    least doubled it). A cause that is merely unlikely, or was rare from the start, is not
    "ruled out"; neither is one the person's own answer points to.
    """
    result = []
    steps = decision.evidence.steps
    for cause, p in decision.causes:
        if p >= RULED_OUT:
            continue
        i = model.cause_index[cause.id]
        crossing: Step | None = None
        pointed = False
        for step in steps:
            event = step.event
            raised = step.before[i] > 0.0 and step.after[i] / step.before[i] >= POINTS_TO
            if isinstance(event, Answered) and event.answer != DONT_KNOW and raised:
                pointed = True
            if step.before[i] >= RULED_OUT > step.after[i]:
                crossing = step
        if crossing is None or pointed or not _rules_out(model, crossing, cause.id):
            continue
        result.append((cause, _by(model, crossing)))
    return result


def _rules_out(model: Model, step: Step, cause_id: str) -> bool:
    """The event is nearly impossible under the cause: a rare answer for it, or a failed step that fixes it."""
    event = step.event
    if isinstance(event, Answered):
        question = model.question(event.question)
        return question.rules_out and question.likelihood[cause_id][event.answer] <= RULES_OUT_ANSWER
    return event.outcome == "failed" and model.fix(event.fix).solves.get(cause_id, 0.0) >= RULES_OUT_STEP


def _by(model: Model, step: Step) -> str:
    event = step.event
    if isinstance(event, Answered):
        return f"You said {fact_phrase(model, event.question, event.answer)}"
    return f"“{model.fix(event.fix).title}” didn't help"


def ending(model: Model, decision: Decision) -> dict[str, str] | None:
    """How the plan ends when what is left is someone else's to fix: who, the step, and what to say.

    Present when the next step is a contact (the carrier, the other person, Apple) or the
    session was handed to support; None while the person has their own steps to try.
    """
    evidence = decision.evidence
    if decision.done:
        escalated = [fid for fid in evidence.tried if model.fix(fid).escalation]
        if not escalated:
            return None
        fix = model.fix(escalated[0])
    elif decision.ask is not None or not decision.plan:
        return None
    else:
        fix = decision.plan[0].fix
        if fix.who == "you" and not fix.escalation:
            return None
    who = fix.who if fix.who != "you" else "apple"
    left = [c for c, p in decision.causes if p >= 0.05 and c.who == who][:2]
    causes = " or ".join(inline(c.title) for c in left)
    if who == "carrier":
        text = "What is left is most likely on your carrier's side" + (f": {causes}." if causes else ".")
        text += " They can check your line, your plan and text messaging. Show them the summary."
    elif who == "other-person":
        text = "What is left is most likely on their side" + (f": {causes}." if causes else ".")
        text += " Send them these words another way, by a call or another app."
    elif (limit := _likeliest_limit(decision)) is not None:
        # A limit set by an organisation or a parent: Apple Support can't lift it, so say who can.
        text = f"What is left is most likely this: {inline(limit.title)}. Only {limit.admin} can change that."
        text += " Show them the summary. Apple Support can check the rest."
    else:
        text = "The steps you can do have run out. Apple Support can look at your Apple Account and iMessage directly."
        text += " Show them the summary."
    message = fix.message if who == "other-person" and fix.message else _report(model, evidence)
    return {"who": who, "fix": fix.id, "title": fix.title, "text": text, "message": message}


def _likeliest_limit(decision: Decision) -> Cause | None:
    """The likeliest cause left, when it is a limit someone else set on the device (`admin`)."""
    cause, p = decision.causes[0]
    return cause if cause.admin and p >= 0.05 else None


def _report(model: Model, evidence: Evidence) -> str:
    """A short report to read to the carrier or Apple: each question with its answer, and what was tried."""
    seen = [
        f"{model.question(f.question).text} {answer_text(model, f.question, f.answer)}."
        for f in evidence.facts
        if f.answer != DONT_KNOW and not f.implied_by
    ]
    tried = [
        model.fix(fid).title
        for fid, outcome in evidence.tried.items()
        if outcome == "failed" and not model.fix(fid).escalation
    ]
    parts = ["My iMessages don't work as they should.", *seen]
    if tried:
        parts.append("I have already tried: " + "; ".join(tried) + ".")
    return " ".join(parts)
