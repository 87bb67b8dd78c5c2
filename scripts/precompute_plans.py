"""Precompute the engine's first answers, so a tap shows a plan while the runtime still downloads.

For each iOS version the widget may send (and for "not known"), this runs the shipped
diag wheel on every session a person can reach in two taps: each answer to the first
question, then each answer to the question asked next, or each outcome of the top
step. Each result is the engine's own (``diag.bridge.next_step``), cut to the part the
widget reads (``diag.view.widget_result``), keyed by the session's events:

    site/assets/diag/precomputed/<ios answer id | any>/start.json      after the first tap
    site/assets/diag/precomputed/<ios answer id | any>/<answer>.json   after the second,
                                                                       for that first answer
    {"model": <knowledge version>, "results": {"<key>": <result>, ...}}

The page loads start.json at once (a few KB gzip) and the first answer's file right
after the first tap, long before a person taps again. A key joins the events with "&":
``question=answer`` or ``fix:outcome`` (widget-state.js builds the same key). Run by
scripts/build.py after the wheel is built; it imports diag only from that wheel, in a
child process.

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


def reachable_sessions(
    next_step: Callable[[list[Event]], dict[str, Any]], prefix: list[Event]
) -> dict[str, dict[str, Any]]:
    """Every session two taps deep after `prefix`, grouped by file: "start" (the prefix and each first
    answer), then one group per first answer (the sessions its second tap reaches). Values: key -> result."""
    groups: dict[str, dict[str, Any]] = {"start": {}}

    def run(group: str, events: list[Event]) -> dict[str, Any]:
        result = next_step(events)
        groups.setdefault(group, {})[event_key(events)] = result
        return result

    start = run("start", prefix)
    if start["ask"] is None:
        return groups
    for first in start["ask"]["answers"]:
        one = [*prefix, {"question": start["ask"]["id"], "answer": first["id"]}]
        after_one = run("start", one)
        groups.setdefault(first["id"], {})
        if after_one["ask"] is not None:
            for second in after_one["ask"]["answers"]:
                run(first["id"], [*one, {"question": after_one["ask"]["id"], "answer": second["id"]}])
        if after_one["plan"]:
            top = after_one["plan"][0]["id"]
            for outcome in TOP_STEP_OUTCOMES:
                run(first["id"], [*one, {"fix": top, "outcome": outcome}])
    return groups


def ios_variants(catalog: dict[str, Any]) -> list[str | None]:
    """None (version not known) plus every answer of the iOS version question, if the model has one."""
    question = next((q for q in catalog["questions"] if q["id"] == IOS_QUESTION), None)
    answers = [a["id"] for a in question["answers"] if a["id"] != "dont-know"] if question else []
    return [None, *answers]


def write_all(out_dir: Path) -> list[Path]:
    """Compute every variant with the importable diag and write one file per variant."""
    from diag import bridge  # noqa: PLC0415 - the wheel put on sys.path by main()
    from diag.view import widget_result  # noqa: PLC0415

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
        groups = reachable_sessions(
            lambda events: widget_result(call("next_step", json.dumps({"events": events}))), prefix
        )
        folder = out_dir / (variant or "any")
        folder.mkdir(parents=True, exist_ok=True)
        for name, results in groups.items():
            path = folder / f"{name}.json"
            data = {"model": catalog["version"], "results": results}
            path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            written.append(path)
    return written


def precompute(wheel: Path, out_dir: Path) -> list[Path]:
    """Run this script on `wheel` in a child process (so only the wheel's diag is imported)."""
    subprocess.run([sys.executable, __file__, str(wheel), str(out_dir)], check=True)
    return sorted(out_dir.glob("*/*.json"))


def main() -> None:
    wheel, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as unpacked:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(unpacked)
        sys.path.insert(0, unpacked)
        written = write_all(out_dir)
        total = sum(path.stat().st_size for path in written)
        print(f"precomputed: {len(written)} files in {out_dir.name}/ ({total // 1024} KiB before compression)")


if __name__ == "__main__":
    main()
