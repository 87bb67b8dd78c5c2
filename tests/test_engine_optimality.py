"""The greedy policy against the exact optimum (DP over subsets) on 200 seeded random models."""

from __future__ import annotations

import random

import pytest
from engine.dp_solver import optimal_cost, random_tables

from diag.belief import plan

MODELS = 200


@pytest.fixture(scope="module")
def gaps():
    result = []
    for seed in range(MODELS):
        tables = random_tables(random.Random(seed))
        greedy = plan(tables.prior, tables, list(range(len(tables.fix_cost))))
        result.append(greedy / optimal_cost(tables) - 1.0)
    return result


def test_dp_solver_matches_the_closed_form_for_perfect_steps():
    """Assert the DP finds ECR = 1 + .7*2 + .2*4 for priors .5/.3/.2, costs 2/1/4 (no service)."""
    from diag.belief import Tables, neighbours

    solves = (((0, 1.0),), ((1, 1.0),), ((2, 1.0),))
    tables = Tables((0.5, 0.3, 0.2), (2.0, 1.0, 4.0), (2.0, 1.0, 4.0), solves, neighbours(solves), (), (), 1e9, 1e9)
    assert optimal_cost(tables) == pytest.approx(3.2)


def test_greedy_is_never_better_than_the_optimum(gaps):
    """Assert the DP is a true lower bound (up to rounding)."""
    assert min(gaps) > -1e-9


def test_greedy_is_within_one_percent_of_optimal_on_average(gaps):
    """Assert the mean gap over 200 random models is below 1 %."""
    assert sum(gaps) / len(gaps) < 0.01


def test_greedy_is_within_five_percent_of_optimal_at_worst(gaps):
    """Assert the worst gap over 200 random models is below 5 %."""
    assert max(gaps) < 0.05
