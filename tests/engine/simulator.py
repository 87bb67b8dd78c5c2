"""A seeded simulator of people using the troubleshooter (engine reference §4, protocol 3-4).

Each simulated person has one true cause drawn from the prior. They answer a
question from the model's own likelihoods, except that some say "I don't
know" and some pick a wrong answer at random; they try a step and it works
with the model's probability for their cause, except that some can't do it.
The same people (same seed) meet every policy: the engine, and fixed orders
(the seed post's, most-likely-first, cheapest-first, the best fixed order).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from diag import Answered, Session, Tried, decide
from diag.knowledge import DONT_KNOW, IOS_VERSION, Model

DONT_KNOW_RATE = 0.10
"""Share of questions answered "I don't know"."""

WRONG_RATE = 0.05
"""Share of questions answered with a uniformly random answer (a misreading)."""

SKIP_RATE = 0.05
"""Share of steps the person can't do ("I couldn't do this step")."""

SKIP_MINUTES = 1.0
"""Minutes lost finding out you can't do a step."""

VERSION_KNOWN_RATE = 0.8
"""Share of people whose iOS version the widget knows at the start (it reads Safari's user agent on
the iPhone itself); it is sent as an answer before anything is asked and is not counted as a question.
The rest use the guide on another device, or the guess is unsure."""

SEED_POST_ORDER = (
    # The seed post's order (/work/shared/seed/*.txt), mapped to our steps:
    # "turned their phone off / Airplane Mode" (wait), "Do Not Disturb" (recipient side),
    # "Do you both have internet access?", "Do you have iMessage turned on?" (and toggle it),
    # "Send as SMS instead", "Try a force restart", "Is iOS up to date?",
    # "Apple ID: sign out and back in" (plus "check which email you have listed"),
    # "Should you delete previous messages?", "Swap your SIM card" (carrier),
    # "Reset all settings", then support.
    "wait-for-recipient",
    "recipient-notifications",
    "check-your-connection",
    "turn-on-imessage",
    "imessage-off-and-on",
    "try-again-or-send-as-text",
    "restart",
    "update-ios",
    "sign-out-of-imessage",
    "check-recipient-address",
    "start-new-conversation",
    "contact-your-carrier",
    "reset-all-settings",
)
"""The order of the blog post this guide replaces."""

Action = tuple[str, str]
"""("ask", question id) | ("try", step id)."""

Policy = Callable[[Session], Action]


@dataclass(frozen=True)
class Outcome:
    """One simulated session.

    Attributes:
        questions_before_step: Questions asked before the first step was tried.
    """

    cause: str
    minutes: float
    cost: float
    questions: int
    steps: int
    escalated: bool
    questions_before_step: int = 0


@dataclass(frozen=True)
class Summary:
    """Aggregate figures for one policy."""

    policy: str
    sessions: int
    mean_minutes: float
    p90_minutes: float
    mean_cost: float
    mean_questions: float
    mean_steps: float
    escalation_rate: float
    p90_questions: int = 0
    max_questions: int = 0
    mean_questions_before_step: float = 0.0


def engine_policy(model: Model) -> Policy:
    """The engine itself, with decisions cached by session (people share early paths)."""
    cache: dict[tuple[object, ...], Action] = {}

    def act(session: Session) -> Action:
        key = session.events
        action = cache.get(key)
        if action is None:
            decision = decide(model, session)
            ask = decision.ask
            action = ("ask", ask.id) if ask is not None else ("try", decision.plan[0].fix.id)
            if len(cache) > 200_000:
                cache.clear()
            cache[key] = action
        return action

    return act


def fixed_policy(model: Model, order: Sequence[str]) -> Policy:
    """Try the steps in a fixed order (no questions), then escalate."""
    escalation = model.escalation.id

    def act(session: Session) -> Action:
        tried = {e.fix for e in session.events if isinstance(e, Tried)}
        for fix_id in order:
            if fix_id not in tried:
                return ("try", fix_id)
        return ("try", escalation)

    return act


def plannable(model: Model) -> list[str]:
    """Steps a fixed order may use (not the escalation, not question-bound)."""
    return [f.id for f in model.fixes if not f.escalation and not f.question]


def static_cost(model: Model, order: Sequence[str]) -> float:
    """Exact expected cost of a fixed order followed by escalation (F3 + F5 tail), on the prior."""
    tables = model.tables
    alive = list(tables.prior)
    reach = 1.0
    spent = 0.0
    for fix_id in order:
        a = model.fix_index[fix_id]
        spent += tables.fix_cost[a] * reach
        for cause, r in tables.fix_solves[a]:
            alive[cause] *= 1.0 - r
        reach = math.fsum(alive)
    referrals = 0.0
    for contact in tables.contacts:
        if model.fixes[contact.fix].id not in order:
            referrals += contact.cost * math.fsum(alive[c] for c in contact.referred)
    return spent + reach * tables.service_cost + referrals


def truncated(model: Model, order: Sequence[str]) -> list[str]:
    """The prefix of `order` with the lowest expected cost (escalating after it, F5)."""
    best = min(range(len(order) + 1), key=lambda k: (static_cost(model, order[:k]), k))
    return list(order[:best])


def most_likely_first(model: Model) -> list[str]:
    """Steps by P(solves) under the prior, highest first."""
    tables = model.tables
    prior = tables.prior

    def p(fix_id: str) -> float:
        return math.fsum(prior[c] * r for c, r in tables.fix_solves[model.fix_index[fix_id]])

    return truncated(model, sorted(plannable(model), key=lambda f: (-p(f), model.fix_index[f])))


def cheapest_first(model: Model) -> list[str]:
    """Steps by cost, cheapest first."""
    return truncated(model, sorted(plannable(model), key=lambda f: (model.fix(f).cost, model.fix_index[f])))


def seed_order(model: Model) -> list[str]:
    """The seed post's order, as written (then support)."""
    return list(SEED_POST_ORDER)


def best_fixed_order(model: Model) -> list[str]:
    """The best fixed order found: the greedy order on the prior, improved by insertion moves."""
    from diag.belief import plan

    steps: list[tuple[int, float]] = []
    available = [model.fix_index[f] for f in plannable(model)]
    plan(model.tables.prior, model.tables, available, steps)
    chosen = [model.fixes[a].id for a, _ in steps]
    rest = [f for f in plannable(model) if f not in chosen]
    order = chosen + rest
    best = static_cost(model, truncated(model, order))
    improved = True
    while improved:
        improved = False
        for i in range(len(order)):
            for j in range(len(order)):
                if i == j:
                    continue
                candidate = order[:i] + order[i + 1 :]
                candidate.insert(j, order[i])
                cost = static_cost(model, truncated(model, candidate))
                if cost < best - 1e-12:
                    order, best, improved = candidate, cost, True
    return truncated(model, order)


def simulate(
    model: Model, policy: Policy, *, sessions: int, seed: int, name: str = "policy", max_events: int = 80
) -> tuple[Summary, list[Outcome]]:
    """Run `sessions` simulated people through `policy`; the same seed gives the same people."""
    rng = random.Random(seed)
    causes = [c.id for c in model.causes]
    weights = [c.prior for c in model.causes]
    outcomes = []
    for _ in range(sessions):
        cause = rng.choices(causes, weights)[0]
        # Each person has their own stream, so policies see identical people.
        person = random.Random(rng.random())
        outcomes.append(_one(model, policy, cause, person, max_events))
    return summarise(name, outcomes), outcomes


def _one(model: Model, policy: Policy, cause: str, rng: random.Random, max_events: int) -> Outcome:
    session = Session()
    if IOS_VERSION in model.question_index and rng.random() < VERSION_KNOWN_RATE:
        row = model.question(IOS_VERSION).likelihood[cause]
        version = rng.choices(list(row), list(row.values()))[0]
        session = session.add(Answered(IOS_VERSION, version))
    minutes = cost = 0.0
    questions = steps = 0
    before_step = -1
    tried: dict[str, str] = {}
    for _ in range(max_events):
        kind, ident = policy(session)
        if kind == "ask":
            question = model.question(ident)
            session = session.add(Answered(ident, _answer(model, ident, cause, rng)))
            minutes += question.cost
            cost += model.tables.question_cost[model.question_index[ident]]
            questions += 1
            continue
        if before_step < 0:
            before_step = questions
        fix = model.fix(ident)
        steps += 1
        if fix.escalation:
            extra_minutes, extra_cost = _referral(model, cause, tried)
            return Outcome(
                cause,
                minutes + fix.minutes + extra_minutes,
                cost + fix.cost + extra_cost,
                questions,
                steps,
                True,
                before_step,
            )
        roll = rng.random()
        if roll < SKIP_RATE:
            outcome = "skipped"
            minutes += SKIP_MINUTES
            cost += SKIP_MINUTES
        else:
            # The model's tables add the test message after each step to the step's own minutes.
            minutes += model.tables.fix_minutes[model.fix_index[ident]]
            cost += model.tables.fix_cost[model.fix_index[ident]]
            outcome = "fixed" if rng.random() < fix.solves.get(cause, 0.0) else "failed"
        tried[ident] = outcome
        if outcome == "fixed":
            return Outcome(cause, minutes, cost, questions, steps, False, max(before_step, 0))
        session = session.add(Tried(ident, outcome))  # type: ignore[arg-type]
    escalation = model.escalation
    extra_minutes, extra_cost = _referral(model, cause, tried)
    return Outcome(
        cause,
        minutes + escalation.minutes + extra_minutes,
        cost + escalation.cost + extra_cost,
        questions,
        steps,
        True,
        max(before_step, questions if before_step < 0 else before_step),
    )


def _referral(model: Model, cause: str, tried: dict[str, str]) -> tuple[float, float]:
    """Apple can't fix what only the carrier can: it sends the person on (minutes, cost)."""
    who = model.cause(cause).who
    for contact in model.tables.contacts:
        fix = model.fixes[contact.fix]
        if fix.who == who and fix.id not in tried:
            return contact.minutes, contact.cost
    return 0.0, 0.0


def _answer(model: Model, question_id: str, cause: str, rng: random.Random) -> str:
    question = model.question(question_id)
    roll = rng.random()
    if roll < DONT_KNOW_RATE:
        return DONT_KNOW
    ids = [a.id for a in question.answers]
    if roll < DONT_KNOW_RATE + WRONG_RATE:
        return rng.choice(ids)
    row = question.likelihood[cause]
    return rng.choices(ids, [row[a] for a in ids])[0]


def summarise(name: str, outcomes: Sequence[Outcome]) -> Summary:
    """Mean and 90th percentile minutes, mean questions and steps, escalation rate."""
    n = len(outcomes)
    minutes = sorted(o.minutes for o in outcomes)
    p90 = minutes[min(n - 1, math.ceil(0.9 * n) - 1)]
    questions = sorted(o.questions for o in outcomes)
    return Summary(
        policy=name,
        sessions=n,
        mean_minutes=math.fsum(minutes) / n,
        p90_minutes=p90,
        mean_cost=math.fsum(o.cost for o in outcomes) / n,
        mean_questions=math.fsum(o.questions for o in outcomes) / n,
        mean_steps=math.fsum(o.steps for o in outcomes) / n,
        escalation_rate=sum(o.escalated for o in outcomes) / n,
        p90_questions=questions[min(n - 1, math.ceil(0.9 * n) - 1)],
        max_questions=questions[-1],
        mean_questions_before_step=math.fsum(o.questions_before_step for o in outcomes) / n,
    )


def compare(model: Model, *, sessions: int, seed: int) -> list[Summary]:
    """The engine and every fixed order on the same simulated people."""
    policies: list[tuple[str, Policy]] = [
        ("engine", engine_policy(model)),
        ("seed post's order", fixed_policy(model, seed_order(model))),
        ("most likely first", fixed_policy(model, most_likely_first(model))),
        ("cheapest first", fixed_policy(model, cheapest_first(model))),
        ("best fixed order", fixed_policy(model, best_fixed_order(model))),
    ]
    return [simulate(model, policy, sessions=sessions, seed=seed, name=name)[0] for name, policy in policies]
