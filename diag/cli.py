"""The command line: the only module that reads stdin and prints.

    python -m diag            interactive troubleshooter
    python -m diag catalog    JSON: every question, fix and cause
    python -m diag next       JSON in ({"events": [...]}) -> JSON out (the next action)

Bad input exits with status 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from diag.engine import Decision, decide
from diag.errors import DiagError, EvidenceError
from diag.explain import ending, explain
from diag.knowledge import DONT_KNOW, Model, default_model
from diag.payload import catalog, cli_view, dumps, next_result
from diag.session import Answered, Session, Tried, parse_events

USAGE_ERROR = 2
"""Exit status for invalid input."""


def main(argv: list[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    parser = argparse.ArgumentParser(
        prog="python -m diag", description="Find the fix for iMessages that won't send or deliver."
    )
    parser.add_argument(
        "command", nargs="?", choices=("catalog", "next"), help="omit for the interactive troubleshooter"
    )
    args = parser.parse_args(argv)
    try:
        model = default_model()
        if args.command == "catalog":
            stdout.write(dumps(catalog(model)) + "\n")
        elif args.command == "next":
            session = _read_request(stdin.read())
            stdout.write(dumps(cli_view(next_result(model, session))) + "\n")
        else:
            _interactive(model, stdin, stdout)
    except DiagError as error:
        print(f"diag: {' '.join(str(error).split())}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130
    return 0


def _read_request(text: str) -> Session:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise EvidenceError(f"input is not valid JSON: {error}") from None
    if not isinstance(data, dict) or "events" not in data:
        raise EvidenceError('input must be an object like {"events": [...]}')
    extra = sorted(set(data) - {"events"})
    if extra:
        raise EvidenceError(f"input has unknown keys: {', '.join(extra)}")
    return parse_events(data["events"])


def _ask(prompt: str, stdin: TextIO, stdout: TextIO) -> str | None:
    stdout.write(prompt)
    stdout.flush()
    line = stdin.readline()
    return None if not line else line.strip().lower()


def _show(model: Model, decision: Decision, stdout: TextIO) -> None:
    """The summary, why (while going on), and the contact with what to tell them when the plan ends there."""
    explanation = explain(model, decision)
    stdout.write("\n" + explanation.summary + "\n")
    if not decision.done:
        stdout.write(f"Why: {explanation.why}\n")
    end = ending(model, decision)
    if end is not None:
        verb = "Send them" if end["who"] == "other-person" else "Tell them"
        stdout.write(f"{end['text']}\n{verb}: {end['message']}\n")


def _interactive(model: Model, stdin: TextIO, stdout: TextIO) -> None:
    """Question by question in the terminal; b = back, r = restart, q = quit."""
    session = Session()
    stdout.write("Find my fix: iMessages that won't send or deliver. Type b to go back, r to restart, q to quit.\n")
    while True:
        decision = decide(model, session)
        _show(model, decision, stdout)
        if decision.done:
            stdout.write("Done.\n")
            return
        options: dict[str, Answered | Tried] = {}
        if decision.ask is not None:
            q = decision.ask
            stdout.write(f"\n{q.text}\n")
            for number, answer in enumerate(q.answers, start=1):
                stdout.write(f"  {number}. {answer.text}\n")
                options[str(number)] = Answered(q.id, answer.id)
            stdout.write("  0. I don't know\n")
            options["0"] = Answered(q.id, DONT_KNOW)
        else:
            step = decision.plan[0].fix
            stdout.write(f"\nTry: {step.title} (about {step.minutes:g} min): {model.url(step)}\n")
            if len(decision.plan) > 1:
                later = ", ".join(s.fix.title for s in decision.plan[1:4])
                stdout.write(f"  Then: {later}\n")
            stdout.write("  f = that fixed it, n = it didn't help, c = I couldn't do this step\n")
            options = {"f": Tried(step.id, "fixed"), "n": Tried(step.id, "failed"), "c": Tried(step.id, "skipped")}
        reply = _ask("> ", stdin, stdout)
        if reply is None or reply == "q":
            return
        if reply == "b":
            session = session.undo()
        elif reply == "r":
            session = Session()
        elif reply in options:
            session = session.add(options[reply])
        else:
            stdout.write("Please pick one of the options.\n")
