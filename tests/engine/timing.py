"""Decision timing shared by the native bench and the Pyodide bench (stdlib + diag only)."""

from __future__ import annotations

import json
import statistics
import time

from diag import Session, decide, parse_events
from diag.knowledge import Model


def decision_times_ms(model: Model, sessions_json: str) -> str:
    """Time one decision per session; return JSON {"median": ms, "p90": ms, "n": count}."""
    sessions: list[Session] = [parse_events(events) for events in json.loads(sessions_json)]
    decide(model, Session())  # warm caches (model tables, imports) before timing
    times = []
    for session in sessions:
        start = time.perf_counter()
        decide(model, session)
        times.append((time.perf_counter() - start) * 1000.0)
    times.sort()
    p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
    return json.dumps({"median": statistics.median(times), "p90": p90, "n": len(times)})
