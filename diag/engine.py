"""The decision: from a model and a session to the next thing to do (engine reference §1.4).

After every event: replay the evidence (answers are facts: never asked again), keep only
the steps that apply to the answers (`not_when` / `only_when`), build the greedy repair
plan by efficiency (F2) ending with the cheapest contact (F5: the carrier first when what
is left is theirs, then Apple), and price every unanswered question by its expected cost
(F8, with the model's per-question burden). Ask
only if some question beats the plan and some answer to it would change the next step (else
the step comes first and the question can follow it); then ask the one that splits the likely
causes best per minute (F9, split-half). A step declared for some answers only is not proposed
before its question is answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from diag.belief import Tables, information, plan, plan_minutes, question_cost, question_minutes
from diag.knowledge import Cause, Fix, Model, Question
from diag.session import Evidence, Session, replay

_EPSILON = 1e-9
"""A question must beat the plan by more than rounding noise to be asked."""


@dataclass(frozen=True)
class PlannedStep:
    """One step of the remaining plan.

    Attributes:
        fix: The step.
        probability: P(it solves the problem | every earlier step of the plan failed).
    """

    fix: Fix
    probability: float


@dataclass(frozen=True)
class Decision:
    """What to do next, with the numbers that explain it.

    Attributes:
        ask: The question to ask now, or None.
        plan: Remaining steps in order; ends with the escalation step unless done.
        escalate: The best thing to do now is the escalation step.
        done: The session has ended (fixed or escalated).
        expected_minutes: Expected honest minutes left on the chosen course.
        expected_cost: Expected planning cost (minutes + surcharges) of the chosen course.
        repair_cost: Expected cost of the plan without asking anything (ECR).
        question_costs: (question, ECO) for every question that was priced, cheapest first.
        causes: Every cause with its probability, most likely first.
        evidence: The replayed session.
        done_by_step: Most people who answered the same way are done by this step (see `done_by_step`).
        precondition: When `ask` is asked because the next step applies only under some of its
            answers (`only_when`), that step.
    """

    ask: Question | None
    plan: tuple[PlannedStep, ...]
    escalate: bool
    done: bool
    expected_minutes: float
    expected_cost: float
    repair_cost: float
    question_costs: tuple[tuple[Question, float], ...]
    causes: tuple[tuple[Cause, float], ...]
    evidence: Evidence
    done_by_step: int = 0
    precondition: Fix | None = None


MOST = 0.5
"""`done_by_step` is the first step by which more than half of such sessions are over ("most people")."""


def available_fixes(model: Model, evidence: Evidence) -> list[int]:
    """Indexes of the steps that can still be planned.

    Untried, not the escalation, not done by answering a question, and not ruled out by an
    answer (`not_when` / `only_when`).
    """
    return [
        i
        for i, fix in enumerate(model.fixes)
        if fix.id not in evidence.tried and not fix.escalation and not fix.question and fix.applies(evidence.answers)
    ]


def available_questions(model: Model, evidence: Evidence) -> list[int]:
    """Indexes of the questions not yet answered or implied ("I don't know" counts as answered)."""
    return [i for i, q in enumerate(model.questions) if q.id not in evidence.answers]


def done_by_step(model: Model, evidence: Evidence) -> int:
    """Most people who answered as this person did before trying anything are done by this step.

    Counted from the belief and answers at the first tried step, so it never grows as the
    person works through the steps (failures are this person's luck, not the population's).
    """
    answers = evidence.answers_before_steps if evidence.answers_before_steps is not None else evidence.answers
    belief = evidence.belief_before_steps or evidence.belief
    fixes = [
        i
        for i, fix in enumerate(model.fixes)
        if not fix.escalation and not fix.question and fix.applies(answers)
    ]
    steps: list[tuple[int, float]] = []
    plan(belief, model.tables, fixes, steps)
    open_share = 1.0
    for number, (_, p) in enumerate(steps, start=1):
        open_share *= 1.0 - p
        if open_share < 1.0 - MOST:
            return number
    return len(steps) + 1  # the contact at the end of the plan settles the rest


def _split_half(belief: tuple[float, ...], tables: Tables, priced: list[tuple[int, float]], repair_cost: float) -> int:
    """Which question to ask, once asking is worth it (some question's ECO beats the plan, F8).

    Among the questions whose answer would change the plan at all (value of information above
    zero), the one that splits the likely causes best per minute: expected entropy reduction
    (F9) over planning cost, ties to the lower ECO. Myopic ECO alone prefers a question whose
    worth shows in the very next step; the split-half choice (Apple's technicians, GeNIe's
    diagnosis ranking) asks first what separates the largest groups of causes, which is what
    every later step depends on.
    """
    best = priced[0][0]
    best_key: tuple[float, float] | None = None
    for q, eco in priced:
        value = repair_cost - (eco - tables.question_cost[q])
        if value <= _EPSILON:
            continue
        key = (information(belief, tables, q) / tables.question_cost[q], -eco)
        if best_key is None or key > best_key:
            best, best_key = q, key
    return best


def decide(model: Model, session: Session) -> Decision:
    """The next action for this session.

    Raises:
        EvidenceError: The session has an event the model rejects.
    """
    evidence = replay(model, session)
    belief = evidence.belief
    ranked = tuple(
        sorted(
            zip(model.causes, belief, strict=True),
            key=lambda pair: (-pair[1], model.cause_index[pair[0].id]),
        )
    )
    by_step = done_by_step(model, evidence)
    if evidence.done:
        return Decision(None, (), False, True, 0.0, 0.0, 0.0, (), ranked, evidence, by_step)
    tables = model.tables
    fixes = available_fixes(model, evidence)
    chosen: list[tuple[int, float]] = []
    repair_cost = plan(belief, tables, fixes, chosen)
    steps = (
        *(PlannedStep(model.fixes[a], p) for a, p in chosen),
        PlannedStep(model.escalation, 1.0),
    )
    questions = available_questions(model, evidence)
    first = next((q for q in questions if model.questions[q].first), None)
    priced: list[tuple[int, float]] = []
    ask: int | None = None
    if first is not None:
        # The symptom question routes everything else: always asked first.
        ask = first
        priced.append((first, question_cost(belief, tables, first, fixes)))
    else:
        for q in questions:
            priced.append((q, question_cost(belief, tables, q, fixes)))
        priced.sort(key=lambda pair: (pair[1], pair[0]))
        # A question none of whose answers would change the next step waits: doing that step
        # first and asking after it fails costs less in expectation (the outcomes commute), and
        # a person answers only what can change what they do next.
        first_step = chosen[0][0] if chosen else -1
        movers = [
            (q, eco)
            for q, eco in priced
            if repair_cost - (eco - tables.question_cost[q]) > _EPSILON
            and _changes_next_step(belief, tables, q, _after_each_answer(model, evidence, q, fixes), first_step)
        ]
        if movers and movers[0][1] < repair_cost - _EPSILON:
            ask = _split_half(belief, tables, movers, repair_cost)
    question_costs = tuple((model.questions[q], eco) for q, eco in priced)
    gated: Fix | None = None
    if ask is None:
        gate = _unchecked_precondition(model, evidence, steps[0].fix)
        if gate:
            # A step declared for some answers only (the iOS 26 fix) is not proposed on a guess:
            # its question comes first, as a technician checks the version before deleting an eSIM.
            ask, gated = model.question_index[gate], steps[0].fix
    if ask is not None:
        eco = next((cost for q, cost in priced if q == ask), None)
        if eco is None:
            eco = question_cost(belief, tables, ask, fixes)
        minutes = question_minutes(belief, tables, ask, fixes)
        return Decision(
            model.questions[ask],
            steps,
            False,
            False,
            minutes,
            eco,
            repair_cost,
            question_costs,
            ranked,
            evidence,
            by_step,
            gated,
        )
    minutes = plan_minutes(belief, tables, chosen, fixes)
    return Decision(
        None, steps, not chosen, False, minutes, repair_cost, repair_cost, question_costs, ranked, evidence, by_step
    )


def _changes_next_step(
    belief: tuple[float, ...], tables: Tables, question: int, after: list[list[int]], first_step: int
) -> bool:
    """Whether some answer to `question` would make another step (or none) come first.

    Each answer is weighed as (F7) does, over the steps still available after it (`after`).
    """
    n = len(belief)
    for available, row in zip(after, tables.likelihood[question], strict=True):
        steps: list[tuple[int, float]] = []
        plan([belief[c] * row[c] for c in range(n)], tables, available, steps)
        if (steps[0][0] if steps else -1) != first_step:
            return True
    return False


def _after_each_answer(model: Model, evidence: Evidence, question: int, fixes: list[int]) -> list[list[int]]:
    """For each answer to `question`, the steps of `fixes` that still apply under it (and what it implies).

    Only for the next-step test: the expected costs (F8) keep every step for every answer, because
    the model's `solves` don't know that a step ruled out by an answer would fail under it, so
    dropping it there would make the answer look like a loss instead of a saving.
    """
    asked = model.questions[question]
    touched = {asked.id, *(q for answer in asked.answers for q, _ in answer.implies)}
    if not any(model.conditioned.get(q, frozenset()).intersection(fixes) for q in touched):
        return [fixes] * len(asked.answers)
    result = []
    for answer in asked.answers:
        answers = {**evidence.answers, asked.id: answer.id}
        for implied_question, implied_answer in answer.implies:
            answers.setdefault(implied_question, implied_answer)
        result.append([i for i in fixes if model.fixes[i].applies(answers)])
    return result


def _unchecked_precondition(model: Model, evidence: Evidence, fix: Fix) -> str:
    """The `only_when` question of this step that nobody answered yet ("" if none)."""
    for question, _ in fix.only_when:
        if question not in evidence.answers:
            return question
    return ""
