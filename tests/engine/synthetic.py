"""A synthetic model ten times the size of the real one, for timing (stdlib + diag only).

It is ten renamed copies of diag/knowledge.toml side by side: ten times the
causes, questions and steps, with one shared "something else" cause, one
escalation step and one first question. Each copy's questions only tell its
own causes apart (other copies' causes answer uniformly), so beliefs, plans
and question values have the same shape as the real model's, only bigger.
This file also runs inside Pyodide (the bench sends its source there).
"""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from typing import Any

from diag.articles import articles_from_dict
from diag.knowledge import Model, from_dict

COPIES = 10
"""How many copies of the real model."""


def synthetic_model(copies: int = COPIES) -> Model:
    """Build and validate the synthetic model."""
    package = resources.files("diag")
    real = tomllib.loads(package.joinpath("knowledge.toml").read_text(encoding="utf-8"))
    registry = tomllib.loads(package.joinpath("articles.toml").read_text(encoding="utf-8"))
    causes: list[dict[str, Any]] = []
    questions: list[dict[str, Any]] = []
    fixes: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = [a for a in registry["article"] if a["kind"] != "fix"]
    for k in range(copies):
        for cause in real["cause"]:
            if cause["id"] == "something-else" and k:
                continue
            item = dict(cause, id=_name(cause["id"], k) if cause["id"] != "something-else" else cause["id"])
            item["prior"] = cause["prior"] / copies if cause["id"] != "something-else" else cause["prior"]
            causes.append(item)
        for question in real["question"]:
            if question.get("first") and k:
                continue
            questions.append(_question(question, k, real["cause"], copies))
        for fix in real["fix"]:
            if fix["kind"] == "escalation" and k:
                continue
            fixes.append(_fix(fix, k))
    for a in registry["article"]:
        if a["kind"] == "fix":
            escalation = a["id"] == "contact-apple-support"
            articles += [dict(a, id=_name(a["id"], k)) for k in range(1 if escalation else copies)]
    total = sum(c["prior"] for c in causes)
    for cause in causes:
        cause["prior"] /= total
    data = {"model": dict(real["model"], version="synthetic"), "cause": causes, "question": questions, "fix": fixes}
    registry_map = articles_from_dict({"article": articles}, source_name="synthetic-articles")
    return from_dict(data, articles=registry_map, source_name="synthetic.toml")


def _fix(fix: dict[str, Any], k: int) -> dict[str, Any]:
    item = copy.deepcopy(fix)
    item["id"] = _name(fix["id"], k)
    item["solves"] = {_name(c, k): v for c, v in fix.get("solves", {}).items()}
    for key in ("not_when", "only_when"):
        if key in fix:
            # The symptom question exists once (copy 0); every other question is per copy.
            item[key] = {q if q == "symptom" else _name(q, k): answers for q, answers in fix[key].items()}
    if item.get("question") and k:
        # Only copy 0 has the first question; other copies' "read the bubble" becomes a tiny fix.
        del item["question"]
        item["solves"] = {_name("software-glitch", k): {"p": 0.01, "reason": "synthetic"}}
    if fix["kind"] != "advice":
        item["article"] = _name(fix["article"], k)
    return item


def _name(ident: str, k: int) -> str:
    return ident if k == 0 else f"{ident}~{k}"


def _question(question: dict[str, Any], k: int, causes: list[dict[str, Any]], copies: int) -> dict[str, Any]:
    item = copy.deepcopy(question)
    item["id"] = _name(question["id"], k)
    answers = [a["id"] for a in question["answers"]]
    rows = question["likelihood"]
    likelihood: dict[str, Any] = {}
    # Other copies' causes answer uniformly: the question says nothing about them.
    uniform = {a: 1.0 / len(answers) for a in answers}
    uniform[answers[-1]] = 1.0 - sum(uniform[a] for a in answers[:-1])
    for j in range(copies):
        for cause in causes:
            cid = cause["id"]
            if cid == "something-else" and j:
                continue
            name = cid if cid == "something-else" else _name(cid, j)
            if j == k:
                row = rows.get(cid, rows.get("default"))
            else:
                row = dict(uniform, reason="synthetic: another copy's cause")
            likelihood[name] = row
    item["likelihood"] = likelihood
    return item
