"""Exact optimum by dynamic programming over subsets, for small models without questions.

Without questions the only feedback is "not fixed yet", so the belief after any
history depends only on the set S of steps that failed. With
reach(S) = sum_f prior(f) prod_{a in S} (1 - r_a(f)) (= P(all of S fail)):

    V(S) = min( reach(S) * C_service,  min_{a not in S} [ C_a * reach(S) + V(S + a) ] )

V(empty) is the optimal expected cost of repair (engine reference §1.4, last
paragraph). 2^n states: fine up to ~14 steps in pure Python.
"""

from __future__ import annotations

import random
from functools import cache

from diag.belief import Tables, neighbours


def optimal_cost(tables: Tables) -> float:
    """The minimum expected cost over every policy (orders with escalation at any point)."""
    n_fix = len(tables.fix_cost)
    prior = tables.prior

    @cache
    def reach(failed: int) -> float:
        acc = 0.0
        for cause, p in enumerate(prior):
            alive = p
            for a in range(n_fix):
                if failed >> a & 1:
                    for c, r in tables.fix_solves[a]:
                        if c == cause:
                            alive *= 1.0 - r
            acc += alive
        return acc

    @cache
    def value(failed: int) -> float:
        here = reach(failed)
        best = here * tables.service_cost
        for a in range(n_fix):
            if not failed >> a & 1:
                best = min(best, tables.fix_cost[a] * here + value(failed | 1 << a))
        return best

    return value(0)


def random_tables(rng: random.Random, *, causes: tuple[int, int] = (3, 8), fixes: tuple[int, int] = (3, 10)) -> Tables:
    """A random small model: imperfect steps that may share causes, and a service call."""
    n_causes = rng.randint(*causes)
    n_fixes = rng.randint(*fixes)
    raw = [rng.random() + 0.05 for _ in range(n_causes)]
    mass = sum(raw)
    prior = tuple(x / mass for x in raw)
    solves = []
    for _ in range(n_fixes):
        targets = rng.sample(range(n_causes), rng.randint(1, min(3, n_causes)))
        solves.append(tuple(sorted((c, round(rng.uniform(0.3, 0.99), 3)) for c in targets)))
    # Every cause gets at least one step, as the loader requires.
    covered = {c for pairs in solves for c, _ in pairs}
    for c in range(n_causes):
        if c not in covered:
            a = rng.randrange(n_fixes)
            solves[a] = tuple(sorted((*solves[a], (c, round(rng.uniform(0.3, 0.99), 3)))))
    costs = tuple(round(rng.uniform(1.0, 20.0), 2) for _ in range(n_fixes))
    service = round(rng.uniform(20.0, 100.0), 1)
    return Tables(
        prior=prior,
        fix_cost=costs,
        fix_minutes=costs,
        fix_solves=tuple(solves),
        fix_neighbours=neighbours(solves),
        question_cost=(),
        likelihood=(),
        service_cost=service,
        service_minutes=service,
    )
