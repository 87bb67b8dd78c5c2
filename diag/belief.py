"""Pure maths of decision-theoretic troubleshooting over index tables (no I/O, no ids).

Formulas follow the engine reference: a single-fault belief `b` over causes,
P(fix A solves it) = sum_f b(f) r_A(f) (F1), efficiency P/C (F2), the expected
cost of a greedy repair sequence with escalation truncation (F3, F5), the
posterior after a failed fix (F6) or an answer (F7), and the myopic expected
cost of asking a question first (F8).

Sums are plain left-to-right loops on purpose: Python 3.12 made the builtin
`sum()` of floats compensated, so using it would make CPython 3.11 and Pyodide
(3.14) disagree in the last bits and, through ties, in the chosen step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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


def plan(  # noqa: PLR0912 - the hot loop of every decision, kept in one frame for speed
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
            every earlier step failed)); escalation follows it.

    Returns:
        Expected cost of the best prefix of the greedy order followed by escalation (F5).
    """
    w = list(weights)
    reach = total(w)
    if reach <= 0.0:
        return 0.0
    service = tables.service_cost
    cost = tables.fix_cost
    solves = tables.fix_solves
    gain: dict[int, float] = {}
    for a in available:
        g = 0.0
        for cause, r in solves[a]:
            g += w[cause] * r
        if g > 0.0:
            gain[a] = g
    spent = 0.0
    best_total = reach * service
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
        # Myopically, a step beats escalating now only if p/reach > C/C_S.
        if best_a < 0 or best_ef * service <= reach:
            break
        g = gain.pop(best_a)
        spent += cost[best_a] * reach
        if steps is not None:
            chosen.append((best_a, g / reach))
        for cause, r in solves[best_a]:
            w[cause] *= 1.0 - r
        reach = max(reach - g, 0.0)
        length += 1
        here = spent + reach * service
        if here < best_total:
            best_total = here
            best_length = length
        for b in tables.fix_neighbours[best_a]:
            if b in gain:
                g = 0.0
                for cause, r in solves[b]:
                    g += w[cause] * r
                gain[b] = g
    if steps is not None:
        steps.extend(chosen[:best_length])
    return best_total


def plan_minutes(weights: Sequence[float], tables: Tables, steps: Sequence[tuple[int, float]]) -> float:
    """Expected honest minutes of following `steps` then escalating (same sums as F3, minutes not cost)."""
    reach = total(weights)
    spent = 0.0
    for a, p in steps:
        spent += tables.fix_minutes[a] * reach
        reach *= 1.0 - p
    return spent + reach * tables.service_minutes


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
        acc += plan_minutes(weights, tables, steps)
    return acc
