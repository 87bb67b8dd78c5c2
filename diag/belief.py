"""Pure maths of decision-theoretic troubleshooting over index tables (no I/O, no ids).

Formulas follow the engine reference: a single-fault belief `b` over causes,
P(fix A solves it) = sum_f b(f) r_A(f) (F1), efficiency P/C (F2), the expected
cost of a greedy repair sequence with escalation truncation (F3, F5), the
posterior after a failed fix (F6) or an answer (F7), and the expected cost of
asking a question first (F8), looked ahead one more question where it matters.

The end of a plan is a contact (F5 with more than one service): Apple Support
(the escalation) ends every session, but what only a contact such as the
carrier can fix costs that contact too when Apple is asked first; so the plan
may end "contact the carrier, then Apple", whichever is cheaper in expectation
for the causes left.

Sums are plain left-to-right loops on purpose: Python 3.12 made the builtin
`sum()` of floats compensated, so using it would make CPython 3.11 and Pyodide
(3.14) disagree in the last bits and, through ties, in the chosen step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Contact:
    """A contact who can end the plan before the escalation (the carrier).

    Attributes:
        fix: Index of the contact's step.
        cost: Its planning cost.
        minutes: Its honest minutes.
        solves: (cause index, P(the contact fixes it)) pairs.
        referred: Causes only this contact can fix: escalating to Apple first costs this contact too.
    """

    fix: int
    cost: float
    minutes: float
    solves: tuple[tuple[int, float], ...]
    referred: tuple[int, ...]


@dataclass(frozen=True)
class Tables:
    """A knowledge model compiled to indexes and floats for the engine's inner loops.

    Attributes:
        prior: Prior probability of each cause.
        fix_cost: Planning cost (minutes + surcharge) of each fix.
        fix_minutes: Honest minutes of each fix, for the reported estimate.
        fix_solves: For each fix, the (cause index, probability of solving) pairs with p > 0.
        fix_neighbours: For each fix, the other fixes that share a cause with it.
        question_cost: Cost in minutes of each question.
        likelihood: For each question, for each answer, P(answer | cause) per cause index.
        service_cost: Planning cost of the escalation step, which always ends the session.
        service_minutes: Honest minutes of the escalation step.
        contacts: Contacts that can end the plan before the escalation (never planned mid-plan).
    """

    prior: tuple[float, ...]
    fix_cost: tuple[float, ...]
    fix_minutes: tuple[float, ...]
    fix_solves: tuple[tuple[tuple[int, float], ...], ...]
    fix_neighbours: tuple[tuple[int, ...], ...]
    question_cost: tuple[float, ...]
    likelihood: tuple[tuple[tuple[float, ...], ...], ...]
    service_cost: float
    service_minutes: float
    contacts: tuple[Contact, ...] = ()


def neighbours(solves: Sequence[Sequence[tuple[int, float]]]) -> tuple[tuple[int, ...], ...]:
    """For each fix, the fixes sharing at least one cause (their efficiency moves together)."""
    by_cause: dict[int, list[int]] = {}
    for fix, pairs in enumerate(solves):
        for cause, _ in pairs:
            by_cause.setdefault(cause, []).append(fix)
    result = []
    for fix, pairs in enumerate(solves):
        linked = {other for cause, _ in pairs for other in by_cause[cause] if other != fix}
        result.append(tuple(sorted(linked)))
    return tuple(result)


def total(values: Sequence[float]) -> float:
    """Left-to-right float sum, identical on every Python version (see module docstring)."""
    acc = 0.0
    for value in values:
        acc += value
    return acc


def normalised(weights: Sequence[float]) -> tuple[float, ...]:
    """Scale non-negative weights to sum to 1 (all-zero weights stay zero)."""
    mass = total(weights)
    if mass <= 0.0:
        return tuple(0.0 for _ in weights)
    return tuple(w / mass for w in weights)


def probability_solves(belief: Sequence[float], pairs: Sequence[tuple[int, float]]) -> float:
    """(F1) P(the fix solves it) = sum_f b(f) r(f), over the fix's (cause, r) pairs."""
    acc = 0.0
    for cause, r in pairs:
        acc += belief[cause] * r
    return acc


def after_failure(belief: Sequence[float], pairs: Sequence[tuple[int, float]]) -> tuple[float, ...]:
    """(F6) Posterior after a fix fails: b'(f) proportional to b(f) (1 - r(f))."""
    weights = list(belief)
    for cause, r in pairs:
        weights[cause] *= 1.0 - r
    return normalised(weights)


def after_answer(belief: Sequence[float], likelihood: Sequence[float]) -> tuple[float, ...]:
    """(F7) Posterior after an answer: b'(f) proportional to b(f) L(answer | f)."""
    return normalised([b * lk for b, lk in zip(belief, likelihood, strict=True)])


class _Ends:
    """The cheapest ending for the causes left: Apple first, or a contact first then Apple.

    For each available contact k: g_k = sum_f w(f) r_k(f) (what it would fix) and m_k = the
    mass of the causes only it can fix. Apple first costs C_S reach + sum_k C_k m_k (Apple
    sends those on); contact k first costs C_k reach + C_S (reach - g_k) + sum_{j != k} C_j m_j.
    Both are kept up to date as the plan assumes failures, in O(pairs) per step.
    """

    def __init__(self, tables: Tables, w: Sequence[float], available: Sequence[int]) -> None:
        present = set(available)
        self.contacts = [c for c in tables.contacts if c.fix in present]
        self.service = tables.service_cost
        self.gain = []
        self.mass = []
        self.solve_of: list[dict[int, float]] = []
        self.referred: list[set[int]] = []
        for contact in self.contacts:
            g = 0.0
            for cause, r in contact.solves:
                g += w[cause] * r
            m = 0.0
            for cause in contact.referred:
                m += w[cause]
            self.gain.append(g)
            self.mass.append(m)
            self.solve_of.append(dict(contact.solves))
            self.referred.append(set(contact.referred))

    def failed(self, cause: int, lost: float) -> None:
        """The cause lost `lost` of its weight (a planned step was assumed to fail)."""
        for k in range(len(self.contacts)):
            r = self.solve_of[k].get(cause)
            if r is not None:
                self.gain[k] -= lost * r
            if cause in self.referred[k]:
                self.mass[k] -= lost

    def cost(self, reach: float) -> tuple[float, int]:
        """(Expected cost of the best ending, index of the contact to ask first or -1 for Apple)."""
        referrals = 0.0
        for k, contact in enumerate(self.contacts):
            referrals += contact.cost * max(self.mass[k], 0.0)
        best = self.service * reach + referrals
        first = -1
        for k, contact in enumerate(self.contacts):
            here = (
                contact.cost * reach
                + self.service * max(reach - self.gain[k], 0.0)
                + referrals
                - contact.cost * max(self.mass[k], 0.0)
            )
            if here < best:
                best = here
                first = k
        return best, first


def plan(  # noqa: PLR0912, PLR0915 - the hot loop of every decision, kept in one frame for speed
    weights: Sequence[float],
    tables: Tables,
    available: Sequence[int],
    steps: list[tuple[int, float]] | None = None,
) -> float:
    """Greedy repair plan by efficiency with updates after each assumed failure (F2-F6).

    `weights` may be unnormalised: the returned cost is then scaled by their
    mass, which is exactly the P(answer) weighting that (F8) needs.

    Args:
        weights: Belief (or unnormalised belief) per cause.
        tables: The compiled model.
        available: Fix indexes still available, ascending (ties go to the lowest).
        steps: If given, receives the chosen prefix as (fix index, P(it solves |
            every earlier step failed)), then the contact that ends it if any;
            escalation follows.

    Returns:
        Expected cost of the best prefix of the greedy order followed by the best ending (F5).
    """
    w = list(weights)
    reach = total(w)
    if reach <= 0.0:
        return 0.0
    service = tables.service_cost
    cost = tables.fix_cost
    solves = tables.fix_solves
    ends = _Ends(tables, w, available) if tables.contacts else None
    contact_fixes = {c.fix for c in tables.contacts}
    # A step is worth its cost only while p/reach > C/C_end; C_end is at most Apple plus one contact.
    ceiling = service + max((c.cost for c in tables.contacts), default=0.0)
    gain: dict[int, float] = {}
    for a in available:
        if a in contact_fixes:
            continue
        g = 0.0
        for cause, r in solves[a]:
            g += w[cause] * r
        if g > 0.0:
            gain[a] = g
    spent = 0.0
    if ends is None:
        best_total, best_first = reach * service, -1
    else:
        best_total, best_first = ends.cost(reach)
    best_length = 0
    length = 0
    chosen: list[tuple[int, float]] = []
    while gain:
        best_a = -1
        best_ef = 0.0
        for a, g in gain.items():
            ef = g / cost[a]
            if ef > best_ef:
                best_ef = ef
                best_a = a
        if best_a < 0 or best_ef * ceiling <= reach:
            break
        g = gain.pop(best_a)
        spent += cost[best_a] * reach
        if steps is not None:
            chosen.append((best_a, g / reach))
        for cause, r in solves[best_a]:
            lost = w[cause] * r
            w[cause] -= lost
            if ends is not None:
                ends.failed(cause, lost)
        reach = max(reach - g, 0.0)
        length += 1
        if ends is None:
            end, first = reach * service, -1
        else:
            end, first = ends.cost(reach)
        here = spent + end
        if here < best_total:
            best_total = here
            best_length = length
            best_first = first
        for b in tables.fix_neighbours[best_a]:
            if b in gain:
                g = 0.0
                for cause, r in solves[b]:
                    g += w[cause] * r
                gain[b] = g
    if steps is not None:
        steps.extend(chosen[:best_length])
        if best_first >= 0 and ends is not None:
            contact = ends.contacts[best_first]
            steps.append((contact.fix, _solve_share(weights, tables, chosen[:best_length], contact)))
    return best_total


def _solve_share(
    weights: Sequence[float], tables: Tables, prefix: Sequence[tuple[int, float]], contact: Contact
) -> float:
    """P(the contact fixes it | the prefix failed)."""
    w = list(weights)
    for a, _ in prefix:
        for cause, r in tables.fix_solves[a]:
            w[cause] *= 1.0 - r
    reach = total(w)
    if reach <= 0.0:
        return 0.0
    return probability_solves(w, contact.solves) / reach


def plan_minutes(
    weights: Sequence[float], tables: Tables, steps: Sequence[tuple[int, float]], available: Sequence[int] = ()
) -> float:
    """Expected honest minutes of following `steps` then escalating (same sums as F3, minutes not cost).

    An available contact the plan doesn't end with still costs its minutes for the causes only it can fix.
    """
    reach = total(weights)
    w = list(weights)
    spent = 0.0
    done = {a for a, _ in steps}
    for a, p in steps:
        spent += tables.fix_minutes[a] * reach
        reach *= 1.0 - p
        for cause, r in tables.fix_solves[a]:
            w[cause] *= 1.0 - r
    referrals = 0.0
    present = set(available)
    for contact in tables.contacts:
        if contact.fix not in done and contact.fix in present:
            for cause in contact.referred:
                referrals += w[cause] * contact.minutes
    return spent + reach * tables.service_minutes + referrals


def question_cost(
    belief: Sequence[float], tables: Tables, question: int, available: Sequence[int]
) -> float:
    """(F8) ECO(Q) = C_Q + sum_q P(q) ECR(b_q), with the greedy plan after each answer."""
    acc = tables.question_cost[question]
    n = len(belief)
    for row in tables.likelihood[question]:
        acc += plan([belief[c] * row[c] for c in range(n)], tables, available)
    return acc


def question_minutes(
    belief: Sequence[float], tables: Tables, question: int, available: Sequence[int]
) -> float:
    """Expected honest minutes of asking `question` and then following the greedy plan."""
    acc = tables.question_cost[question]
    n = len(belief)
    for row in tables.likelihood[question]:
        weights = [belief[c] * row[c] for c in range(n)]
        steps: list[tuple[int, float]] = []
        plan(weights, tables, available, steps)
        acc += plan_minutes(weights, tables, steps, available)
    return acc


def information(belief: Sequence[float], tables: Tables, question: int) -> float:
    """(F9) Expected entropy reduction of the belief from asking `question`, in bits.

    Rounded to 1e-9 so that a last-bit difference between two platforms' log() can't
    change which question wins a comparison.
    """
    n = len(belief)

    def entropy(weights: Sequence[float], mass: float) -> float:
        acc = 0.0
        for x in weights:
            if x > 0.0:
                p = x / mass
                acc -= p * math.log2(p)
        return acc

    before = entropy(belief, total(belief))
    after = 0.0
    for row in tables.likelihood[question]:
        weights = [belief[c] * row[c] for c in range(n)]
        mass = total(weights)
        if mass > 0.0:
            after += mass * entropy(weights, mass)
    return round(before - after, 9)
