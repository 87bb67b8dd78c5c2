"""Engine benchmarks for `make bench` (scripts/bench.py imports `run`).

Tables:
  1. one decision's median time on the real model and on a synthetic model ten
     times larger, natively (CPython) and in real Pyodide (Node, via
     scripts/pyodide_run.mjs), over mixed realistic sessions;
  2. 10,000 simulated people per policy: the engine against fixed orders, with
     the questions asked (mean, p90, before the first step);
  3. the per-question cost (the model's question burden) against minutes and
     questions: the trade-off behind the burden in diag/knowledge.toml;
  4. quality checks: optimality gap against the exact DP, vignette top-1 and top-3 rates.

Run alone: .venv/bin/python scripts/bench_engine.py
"""

from __future__ import annotations

import dataclasses
import json
import random
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from engine.dp_solver import optimal_cost, random_tables  # noqa: E402
from engine.simulator import compare, engine_policy, simulate  # noqa: E402
from engine.synthetic import synthetic_model  # noqa: E402
from engine.timing import decision_times_ms  # noqa: E402

from diag import Answered, Session, Tried, decide, default_model  # noqa: E402
from diag.belief import plan  # noqa: E402
from diag.knowledge import DONT_KNOW, Model  # noqa: E402

Table = tuple[str, list[str], list[list[str]]]

SIMULATED = 10_000
SEED = 2026
SWEPT = 2_000
BURDENS = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0)
GOAL_BEFORE_STEP = 2.5
GOAL_PER_SESSION = 4.0
GOAL_VS_BEST = 0.20
GOAL_TOP3 = 0.95
GOAL_TOP1 = 0.75
TIMED_REAL = 200
TIMED_SYNTHETIC = 40
GOAL_NATIVE_MS = 5.0
GOAL_PYODIDE_MS = 25.0


def realistic_sessions(model: Model, count: int, seed: int) -> list[Session]:
    """Session prefixes from simulated people following the engine (mixed lengths, answers, outcomes)."""
    policy = engine_policy(model)
    rng = random.Random(seed)
    causes = [c.id for c in model.causes]
    weights = [c.prior for c in model.causes]
    result: list[Session] = []
    while len(result) < count:
        cause = rng.choices(causes, weights)[0]
        session = Session()
        for _ in range(rng.randint(0, 12)):
            kind, ident = policy(session)
            if kind == "ask":
                question = model.question(ident)
                ids = [a.id for a in question.answers]
                row = question.likelihood[cause]
                answer = DONT_KNOW if rng.random() < 0.1 else rng.choices(ids, [row[a] for a in ids])[0]
                session = session.add(Answered(ident, answer))
            else:
                fix = model.fix(ident)
                if fix.escalation:
                    break
                outcome = "skipped" if rng.random() < 0.05 else "failed"
                session = session.add(Tried(ident, outcome))
        result.append(session)
    return result


def pyodide_times(sessions_real: list[Session], sessions_synthetic: list[Session]) -> tuple[dict, dict]:
    """Median decision times inside real Pyodide, one Node process for both models."""
    wheels = sorted((ROOT / "dist").glob("diag-*.whl"))
    if not wheels:
        raise RuntimeError("no wheel in dist/: run scripts/build.py first")
    sources = [(ROOT / "tests" / "engine" / name).read_text(encoding="utf-8") for name in ("synthetic.py", "timing.py")]
    real = json.dumps([s.to_json()["events"] for s in sessions_real])
    synthetic = json.dumps([s.to_json()["events"] for s in sessions_synthetic])
    requests = [{"python": source} for source in sources]
    requests += [
        {"python": f"from diag import default_model\ndecision_times_ms(default_model(), {real!r})"},
        {"python": f"_big = synthetic_model()\ndecision_times_ms(_big, {synthetic!r})"},
    ]
    result = subprocess.run(
        ["node", str(ROOT / "scripts" / "pyodide_run.mjs"), str(wheels[-1])],
        input="\n".join(json.dumps(r) for r in requests) + "\n",
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
        cwd=ROOT,
    )
    replies = [json.loads(line) for line in result.stdout.splitlines()][1:]
    for reply in replies:
        if not reply["ok"]:
            raise RuntimeError(f"Pyodide bench failed: {reply['error']}")
    return json.loads(replies[2]["out"]), json.loads(replies[3]["out"])


def timing_table() -> Table:
    """Table 1: decision times."""
    model = default_model()
    big = synthetic_model()
    sessions = realistic_sessions(model, TIMED_REAL, seed=SEED)
    # The synthetic model's first copy keeps the real ids, so the same sessions replay on it.
    sessions_big = sessions[:TIMED_SYNTHETIC]
    payload = json.dumps([s.to_json()["events"] for s in sessions])
    payload_big = json.dumps([s.to_json()["events"] for s in sessions_big])
    native_real = json.loads(decision_times_ms(model, payload))
    native_big = json.loads(decision_times_ms(big, payload_big))
    pyodide_real, pyodide_big = pyodide_times(sessions, sessions_big)

    def size(m: Model) -> str:
        return f"{len(m.causes)} / {len(m.questions)} / {len(m.fixes)}"

    rows = [
        [
            "real (diag/knowledge.toml)",
            size(model),
            str(native_real["n"]),
            f"{native_real['median']:.2f} (p90 {native_real['p90']:.2f})",
            f"{pyodide_real['median']:.2f} (p90 {pyodide_real['p90']:.2f})",
            f"≤ {GOAL_NATIVE_MS:g} / ≤ {GOAL_PYODIDE_MS:g}: "
            + (
                "met"
                if native_real["median"] <= GOAL_NATIVE_MS and pyodide_real["median"] <= GOAL_PYODIDE_MS
                else "MISSED"
            ),
        ],
        [
            "synthetic 10× (10 copies)",
            size(big),
            str(native_big["n"]),
            f"{native_big['median']:.2f} (p90 {native_big['p90']:.2f})",
            f"{pyodide_big['median']:.2f} (p90 {pyodide_big['p90']:.2f})",
            "(no goal)",
        ],
    ]
    headers = ["model", "causes / questions / steps", "decisions", "native ms", "Pyodide ms", "goal (native / Pyodide)"]
    return ("Engine: one decision, median over mixed realistic sessions", headers, rows)


def simulation_table() -> Table:
    """Table 2: the simulator, engine against fixed orders."""
    summaries = compare(default_model(), sessions=SIMULATED, seed=SEED)
    by_name = {s.policy: s for s in summaries}
    seed_mean = by_name["seed post's order"].mean_minutes
    best_mean = by_name["best fixed order"].mean_minutes
    rows = []
    for s in summaries:
        rows.append(
            [
                s.policy,
                f"{s.mean_minutes:.1f}",
                f"{s.p90_minutes:.1f}",
                f"{s.mean_questions:.2f} / {s.p90_questions} / {s.mean_questions_before_step:.2f}",
                f"{s.mean_steps:.2f}",
                f"{s.escalation_rate * 100:.1f}%",
                f"{(1 - s.mean_minutes / seed_mean) * 100:+.1f}%",
                f"{(1 - s.mean_minutes / best_mean) * 100:+.1f}%",
            ]
        )
    engine = by_name["engine"]
    met = (
        engine.mean_questions_before_step <= GOAL_BEFORE_STEP
        and engine.mean_questions <= GOAL_PER_SESSION
        and engine.mean_minutes <= (1 - GOAL_VS_BEST) * best_mean
    )
    headers = [
        "policy",
        "mean min",
        "p90 min",
        "questions: mean / p90 / before 1st step",
        "steps",
        "escalated",
        "fewer min vs seed post",
        "fewer min vs best fixed",
    ]
    title = (
        f"Engine: {SIMULATED:,} simulated people per policy (seed {SEED}; goals: ≤ {GOAL_BEFORE_STEP:g} questions "
        f"before the first step, ≤ {GOAL_PER_SESSION:g} per session, ≥ {GOAL_VS_BEST * 100:.0f} % fewer minutes "
        f"than the best fixed order: {'met' if met else 'MISSED'})"
    )
    return (title, headers, rows)


def with_burden(model: Model, burden: float) -> Model:
    """The model with another per-question cost (everything else as in the file)."""
    tables = dataclasses.replace(model.tables, question_cost=tuple(q.cost + burden for q in model.questions))
    return dataclasses.replace(model, question_burden=burden, tables=tables)


def burden_table() -> Table:
    """Table 3: the per-question cost against minutes and questions (the same simulated people each row)."""
    model = default_model()
    rows = []
    for burden in sorted({*BURDENS, model.question_burden}):
        swept = with_burden(model, burden)
        s, _ = simulate(swept, engine_policy(swept), sessions=SWEPT, seed=SEED)
        chosen = " (knowledge.toml)" if burden == model.question_burden else ""
        rows.append(
            [
                f"{burden:g}{chosen}",
                f"{s.mean_minutes:.1f}",
                f"{s.p90_minutes:.1f}",
                f"{s.mean_questions:.2f}",
                str(s.p90_questions),
                f"{s.mean_questions_before_step:.2f}",
            ]
        )
    headers = ["question burden (min)", "mean min", "p90 min", "questions", "p90 questions", "before 1st step"]
    title = f"Engine: per-question cost against minutes ({SWEPT:,} simulated people per row, seed {SEED})"
    return (title, headers, rows)


def vignettes_as_asked(model: Model, vignettes: list[dict]) -> tuple[int, int, float]:
    """Each vignette told the way a person would: the iOS version (when the case has one, as the
    widget sends it) and the symptom, then only the questions the engine asks, answered from the
    case or "I don't know". Returns (top-3 hits, first hits, mean questions asked)."""
    hits = firsts = questions = 0
    for v in vignettes:
        answers = v["answers"]
        known = [q for q in ("ios-version", "symptom") if q in answers]
        session = Session(tuple(Answered(q, answers[q]) for q in known))
        decision = decide(model, session)
        while decision.ask is not None:
            questions += 1
            session = session.add(Answered(decision.ask.id, answers.get(decision.ask.id, DONT_KNOW)))
            decision = decide(model, session)
        top = [s.fix.id for s in decision.plan[:3]]
        hits += any(f in top for f in v["first"])
        firsts += top[0] in v["first"]
    return hits, firsts, questions / len(vignettes)


def quality_table() -> Table:
    """Table 3: optimality gap and vignettes."""
    gaps = []
    for seed in range(200):
        tables = random_tables(random.Random(seed))
        greedy = plan(tables.prior, tables, list(range(len(tables.fix_cost))))
        gaps.append(greedy / optimal_cost(tables) - 1.0)
    model = default_model()
    vignettes = tomllib.loads((ROOT / "tests" / "engine" / "vignettes.toml").read_text(encoding="utf-8"))["vignette"]
    hits = firsts = 0
    for v in vignettes:
        session = Session(tuple(Answered(q, a) for q, a in v["answers"].items()))
        top = [s.fix.id for s in decide(model, session).plan[:3]]
        hits += any(f in top for f in v["first"])
        firsts += top[0] in v["first"]
    asked_hits, asked_firsts, asked = vignettes_as_asked(model, vignettes)
    rows = [
        ["greedy vs exact optimum, mean gap (200 random models)", f"{sum(gaps) / len(gaps) * 100:.3f}%", "< 1 %"],
        ["greedy vs exact optimum, worst gap", f"{max(gaps) * 100:.2f}%", "< 5 %"],
        [
            "vignettes with an expected first step in the top 3",
            f"{hits}/{len(vignettes)} ({hits / len(vignettes) * 100:.0f}%)",
            f"≥ {GOAL_TOP3 * 100:.0f} %",
        ],
        [
            "vignettes with an expected first step first",
            f"{firsts}/{len(vignettes)} ({firsts / len(vignettes) * 100:.0f}%)",
            f"≥ {GOAL_TOP1 * 100:.0f} %",
        ],
        [
            "vignettes as asked (symptom given, then only what the engine asks): top 3 / first",
            f"{asked_hits}/{len(vignettes)} / {asked_firsts}/{len(vignettes)} after {asked:.2f} questions",
            "(no goal)",
        ],
    ]
    return ("Engine: quality checks", ["check", "measured", "goal"], rows)


def run() -> list[Table]:
    """Every engine table, in order."""
    return [timing_table(), simulation_table(), burden_table(), quality_table()]


if __name__ == "__main__":
    for title, headers, rows in run():
        print(f"### {title}\n")
        print("| " + " | ".join(headers) + " |")
        print("|" + "---|" * len(headers))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print()
