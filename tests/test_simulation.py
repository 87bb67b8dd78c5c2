"""Simulated people (seeded): the engine against fixed orders on the iMessage model.

The bench runs 10,000 sessions; here 2,000 with the same seed keep the test
under a minute while still checking the goals with a margin for sampling noise.
"""

from __future__ import annotations

import pytest
from engine.simulator import compare, engine_policy, simulate

from diag import default_model

SESSIONS = 2_000
SEED = 2026


@pytest.fixture(scope="module")
def table():
    return {s.policy: s for s in compare(default_model(), sessions=SESSIONS, seed=SEED)}


@pytest.mark.slow
def test_engine_beats_the_seed_post_by_a_quarter(table):
    """Assert the engine needs at least 25 % fewer mean minutes than the seed post's order."""
    assert table["engine"].mean_minutes <= 0.75 * table["seed post's order"].mean_minutes


@pytest.mark.slow
def test_engine_beats_the_best_fixed_order_by_twenty_percent(table):
    """Assert the engine needs at least 20 % fewer mean minutes than the best fixed order."""
    assert table["engine"].mean_minutes <= 0.80 * table["best fixed order"].mean_minutes


@pytest.mark.slow
def test_engine_asks_at_most_two_and_a_half_questions_before_the_first_step(table):
    """Assert the mean number of questions before the first step (the symptom included) is at most 2.5."""
    assert table["engine"].mean_questions_before_step <= 2.5


@pytest.mark.slow
def test_engine_asks_at_most_four_questions_per_session(table):
    """Assert the mean number of questions in a whole session is at most 4."""
    assert table["engine"].mean_questions <= 4.0


@pytest.mark.slow
def test_engine_beats_every_fixed_order_on_mean_minutes(table):
    """Assert no fixed order (most likely first, cheapest first, ...) beats the engine."""
    fixed = [s for name, s in table.items() if name != "engine"]
    assert all(table["engine"].mean_minutes < s.mean_minutes for s in fixed)


@pytest.mark.slow
def test_engine_escalates_less_than_the_fixed_orders(table):
    """Assert the engine resolves more sessions itself than any fixed order."""
    fixed = [s for name, s in table.items() if name != "engine"]
    assert all(table["engine"].escalation_rate < s.escalation_rate for s in fixed)


def test_simulator_is_reproducible():
    """Assert the same seed gives the same simulated sessions."""
    model = default_model()
    first = simulate(model, engine_policy(model), sessions=50, seed=7)[1]
    second = simulate(model, engine_policy(model), sessions=50, seed=7)[1]
    assert first == second
