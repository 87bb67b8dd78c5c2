"""Trim Pyodide's python_stdlib.zip to the modules the engine really imports.

The list is never kept by hand: `traced_modules(wheel)` runs the pinned Pyodide in Node
(scripts/pyodide_trace.mjs), starts it as the browser worker does, installs the wheel,
imports diag.bridge and replays the requests of `trace_requests()` (the catalog, every
first answer, engine-driven sessions to their end, share links, invalid input); every
module loaded from the standard library zip is kept. `write_trimmed_stdlib()` then
writes those modules, without comments or docstrings, into a new zip with Pyodide's own
Python 3.14 (scripts/pyodide_stdlib.mjs).

The Pyodide parity tests run on the trimmed runtime the site ships, so a module the trace
missed fails a test, not a person.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACER = ROOT / "scripts" / "pyodide_trace.mjs"
WRITER = ROOT / "scripts" / "pyodide_stdlib.mjs"

MAX_STEPS = 16
"""Requests per traced session: enough to reach a finished plan."""


def _bridge():
    sys.path.insert(0, str(ROOT))
    try:
        from diag import bridge  # noqa: PLC0415
    finally:
        sys.path.remove(str(ROOT))
    return bridge


def _walk(bridge, events: list[dict[str, str]], outcome: str) -> list[list[dict[str, str]]]:
    """The event lists of one engine-driven session: first answers, first plan steps with `outcome`."""
    seen = []
    for _ in range(MAX_STEPS):
        seen.append(list(events))
        reply = json.loads(bridge.next_step(json.dumps({"events": events})))
        result = reply.get("result") or {}
        if not reply.get("ok") or result.get("done"):
            break
        ask = result.get("ask")
        if ask:
            events = [*events, {"question": ask["id"], "answer": ask["answers"][0]["id"]}]
        elif result.get("plan"):
            events = [*events, {"fix": result["plan"][0]["id"], "outcome": outcome}]
        else:
            break
    return seen


def trace_requests() -> list[dict[str, str]]:
    """Bridge calls that exercise everything the widget asks of the engine, valid and invalid."""
    bridge = _bridge()
    first = json.loads(bridge.next_step('{"events": []}'))["result"]["ask"]
    sessions: list[list[dict[str, str]]] = [[]]
    for answer in first["answers"]:
        start = [{"question": first["id"], "answer": answer["id"]}]
        for outcome in ("failed", "skipped", "fixed"):
            sessions += _walk(bridge, start, outcome)
    calls = [{"call": "catalog", "arg": ""}]
    calls += [{"call": "next_step", "arg": json.dumps({"events": s})} for s in sessions]
    longest = max(sessions, key=len)
    calls.append({"call": "encode", "arg": json.dumps({"events": longest})})
    link = json.loads(bridge.encode(json.dumps({"events": longest})))["result"]["session"]
    calls += [{"call": "decode", "arg": link}, {"call": "decode", "arg": "v1.AAAA"}]
    calls += [
        {"call": "next_step", "arg": "not json"},
        {"call": "next_step", "arg": '{"events": [{"question": "symptom", "answer": "purple"}]}'},
    ]
    return calls


def traced_modules(wheel: Path) -> list[str]:
    """Paths inside python_stdlib.zip of every module Pyodide loaded while serving the engine."""
    lines = "\n".join(json.dumps(call) for call in trace_requests()) + "\n"
    result = subprocess.run(
        ["node", str(TRACER), str(wheel.resolve())], input=lines, capture_output=True, text=True, check=False, cwd=ROOT
    )
    if result.returncode != 0:
        raise RuntimeError(f"the import trace under Pyodide failed:\n{result.stderr[-2000:]}")
    modules = json.loads(result.stdout.splitlines()[-1])["modules"]
    if not any(m.startswith("encodings/") for m in modules):
        raise RuntimeError("the import trace found no encodings module: it did not see Pyodide's start-up")
    return modules


def write_trimmed_stdlib(modules: list[str], target: Path) -> None:
    """Write `target`: a python_stdlib.zip holding only `modules`, minified by Pyodide's own Python."""
    result = subprocess.run(
        ["node", str(WRITER), str(target.resolve())],
        input=json.dumps(modules),
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise RuntimeError(f"writing the trimmed standard library failed:\n{result.stderr[-2000:]}")
