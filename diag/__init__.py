"""diag: a decision-theoretic troubleshooter for iMessages that won't send or deliver.

Pure standard-library Python; the same code runs in CPython and in Pyodide.

    >>> from diag import Session, decide, default_model
    >>> decision = decide(default_model(), Session())
    >>> decision.ask.id
    'symptom'
"""

from diag.engine import Decision, PlannedStep, decide
from diag.errors import DiagError, EvidenceError, ModelError, SessionLinkError
from diag.explain import Explanation, explain
from diag.knowledge import Model, default_model, load
from diag.session import Answered, Session, Tried, decode, encode, parse_events, replay

__all__ = [
    "Answered",
    "Decision",
    "DiagError",
    "EvidenceError",
    "Explanation",
    "Model",
    "ModelError",
    "PlannedStep",
    "Session",
    "SessionLinkError",
    "Tried",
    "decide",
    "decode",
    "default_model",
    "encode",
    "explain",
    "load",
    "parse_events",
    "replay",
]
