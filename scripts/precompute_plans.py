"""Precompute the engine's first answers, so a tap shows a plan while the runtime still downloads.

For each iOS version the widget may send (and for "not known"), this runs the shipped
diag wheel on every session a person can reach in two taps: each answer to the first
question, then each answer to the question asked next, or each outcome of the top
step. The results are the engine's own JSON (``diag.bridge.next_step``, byte for byte
what the worker returns), keyed by the session's events, one small file per version:

    site/assets/diag/precomputed/<ios answer id | any>.json
    {"model": <knowledge version>, "results": {"<key>": <result>, ...}}

A key joins the events with "&": ``question=answer`` or ``fix:outcome``
(widget-state.js builds the same key). Run by scripts/build.py after the wheel is
built; it imports diag only from that wheel, in a child process.

    python scripts/precompute_plans.py dist/diag-….whl site/assets/diag/precomputed
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

IOS_QUESTION = "ios-version"
"""The question whose answer the widget sends at session start when it knows the iOS version."""

TOP_STEP_OUTCOMES = ("fixed", "failed", "skipped")
"""A second tap may also mark the plan's top step: each outcome is precomputed too."""

Event = dict[str, str]


def event_key(events: list[Event]) -> str:
    """The lookup key of a session: ``question=answer`` / ``fix:outcome``, joined with "&"."""
    parts = (f"{e['question']}={e['answer']}" if "question" in e else f"{e['fix']}:{e['outcome']}" for e in events)
    return "&".join(parts)


def reachable_sessions(next_step: Callable[[list[Event]], dict[str, Any]], prefix: list[Event]) -> dict[str, Any]:
    """Every result reachable in two taps after `prefix`, by key (the prefix's own result included)."""
    results: dict[str, Any] = {}

    def run(events: list[Event]) -> dict[str, Any]:
        result = next_step(events)
        results[event_key(events)] = result
        return result

    start = run(prefix)
    if start["ask"] is None:
        return results
    for first in start["ask"]["answers"]:
        one = [*prefix, {"question": start["ask"]["id"], "answer": first["id"]}]
        after_one = run(one)
        if after_one["ask"] is not None:
            for second in after_one["ask"]["answers"]:
                run([*one, {"question": after_one["ask"]["id"], "answer": second["id"]}])
        if after_one["plan"]:
            top = after_one["plan"][0]["id"]
            for outcome in TOP_STEP_OUTCOMES:
                run([*one, {"fix": top, "outcome": outcome}])
    return results


def ios_variants(catalog: dict[str, Any]) -> list[str | None]:
    """None (version not known) plus every answer of the iOS version question, if the model has one."""
    question = next((q for q in catalog["questions"] if q["id"] == IOS_QUESTION), None)
    answers = [a["id"] for a in question["answers"] if a["id"] != "dont-know"] if question else []
    return [None, *answers]


def write_all(out_dir: Path) -> list[Path]:
    """Compute every variant with the importable diag and write one file per variant."""
    from diag import bridge  # noqa: PLC0415 - the wheel put on sys.path by main()

    def call(name: str, *args: str) -> Any:
        reply = json.loads(getattr(bridge, name)(*args))
        if not reply["ok"]:
            raise SystemExit(f"precompute_plans: diag.bridge.{name} failed: {reply['error']}")
        return reply["result"]

    catalog = call("catalog")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for variant in ios_variants(catalog):
        prefix = [{"question": IOS_QUESTION, "answer": variant}] if variant else []
        results = reachable_sessions(lambda events: call("next_step", json.dumps({"events": events})), prefix)
        path = out_dir / f"{variant or 'any'}.json"
        data = {"model": catalog["version"], "results": results}
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        written.append(path)
    return written


def precompute(wheel: Path, out_dir: Path) -> list[Path]:
    """Run this script on `wheel` in a child process (so only the wheel's diag is imported)."""
    subprocess.run([sys.executable, __file__, str(wheel), str(out_dir)], check=True)
    return sorted(out_dir.glob("*.json"))


def main() -> None:
    wheel, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as unpacked:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(unpacked)
        sys.path.insert(0, unpacked)
        for path in write_all(out_dir):
            print(f"precomputed: {path.name} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
