"""JSON-string-in, JSON-string-out functions for the browser worker (through Pyodide).

Only strings cross the boundary. Nothing here raises: every reply is
{"ok": true, "result": ...} or {"ok": false, "error": "<one readable line>"}.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from diag.errors import DiagError, EvidenceError
from diag.knowledge import default_model
from diag.payload import catalog as _catalog
from diag.payload import dumps, next_result
from diag.session import Session, parse_events
from diag.session import decode as _decode
from diag.session import encode as _encode


def _reply(work: Callable[[], Any]) -> str:
    try:
        return dumps({"ok": True, "result": work()})
    except DiagError as error:
        return dumps({"ok": False, "error": _one_line(str(error))})
    except Exception as error:  # the worker must always get an answer, never a traceback
        return dumps({"ok": False, "error": _one_line(f"Internal error in diag: {type(error).__name__}: {error}")})


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _events(request: str) -> Session:
    try:
        data = json.loads(request)
    except (TypeError, ValueError) as error:
        raise EvidenceError(f"The request is not valid JSON: {error}") from None
    if not isinstance(data, dict) or "events" not in data:
        raise EvidenceError('The request must be an object like {"events": [...]}')
    extra = sorted(set(data) - {"events"})
    if extra:
        raise EvidenceError(f"The request has unknown keys: {', '.join(extra)}")
    return parse_events(data["events"])


def catalog() -> str:
    """Every question, step and cause, plus the model version."""
    return _reply(lambda: _catalog(default_model(), extended=True))


def next_step(request: str) -> str:
    """The next action for '{"events": [...]}': the CLI `next` result plus the widget's extras."""
    return _reply(lambda: next_result(default_model(), _events(request)))


def encode(request: str) -> str:
    """'{"events": [...]}' -> {"session": "v1...."} for the URL fragment."""
    return _reply(lambda: {"session": _encode(default_model(), _events(request))})


def decode(fragment: str) -> str:
    """A URL fragment -> {"events": [...]}, or a readable error for damaged or foreign links."""
    if not isinstance(fragment, str):
        return dumps({"ok": False, "error": "The link must be text."})
    return _reply(lambda: _decode(default_model(), fragment).to_json())
