"""MkDocs hook: a symptom page's steps, in the engine's order for that symptom.

A symptom page puts ``[[symptom-steps]]`` on a line of its own. This hook asks the
diagnosis engine (``diag.bridge``, the same rules Find my fix runs) for its plan
after the single answer "I see this symptom", and writes two sections there:
"Start here", the steps by which most people are done (the engine's
``done_by_step``), and "Still not fixed?", the rest in order. So the page always
follows the engine; nothing is ranked by hand. A marker on a page the engine has
no symptom answer for fails the build, naming the page.
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MARKER = re.compile(r"^\[\[symptom-steps\]\][ \t]*$", re.M)

START = "<!--dlv-ol-start:{}-->"
START_BEFORE_LIST = re.compile(r"<!--dlv-ol-start:(\d+)-->\s*<ol>")
"""Python-Markdown numbers every list from 1; this marker gives the next list its real start."""


def _bridge(name: str, request: dict[str, Any]) -> dict[str, Any]:
    try:
        from diag import bridge  # noqa: PLC0415 - the source tree's engine, imported at build time
    except ImportError as error:
        raise PluginError(f"symptom_steps: cannot import diag.bridge from {ROOT}: {error}") from error
    reply = json.loads(getattr(bridge, name)(json.dumps(request)))
    if not reply.get("ok"):
        raise PluginError(f"symptom_steps: diag.bridge.{name} failed: {reply.get('error')}")
    return dict(reply["result"])


@cache
def _first_question() -> dict[str, Any]:
    return dict(_bridge("next_step", {"events": []})["ask"])


@cache
def _articles() -> dict[str, str]:
    """Article id -> docs path, from diag/articles.toml through diag's validating loader."""
    from diag.articles import load_articles  # noqa: PLC0415 - the source tree's registry, at build time

    text = (ROOT / "diag" / "articles.toml").read_text(encoding="utf-8")
    return {aid: article.path for aid, article in load_articles(text).items()}


def plan_for(article_id: str) -> tuple[list[dict[str, Any]], int] | None:
    """The engine's plan after "I see the symptom of `article_id`", and its done-by step; None if no answer."""
    ask = _first_question()
    answer = next((a for a in ask["answers"] if a.get("article") == article_id), None)
    if answer is None:
        return None
    result = _bridge("next_step", {"events": [{"question": ask["id"], "answer": answer["id"]}]})
    plan = list(result["plan"])
    done_by = int(result.get("done_by_step") or len(plan))
    return plan, max(1, min(done_by, len(plan)))


def step_markdown(step: dict[str, Any], page_path: str) -> str:
    """One list line: the step's page as a link, then its time, its risk and who takes it."""
    target = _articles().get(str(step.get("article") or ""))
    title = str(step["title"])
    if target:
        fragment = str(step.get("url", "")).partition("#")[2]
        href = posixpath.relpath(target, posixpath.dirname(page_path) or ".") + (f"#{fragment}" if fragment else "")
        title = f"[{title}]({href})"
    from diag.view import minutes_text, risk_label, step_note  # noqa: PLC0415 - one wording for pages and widget

    meta = [minutes_text(float(step["minutes"])).lower(), risk_label(str(step.get("risk"))).lower(), step_note(step)]
    return f"{title}: {', '.join(m for m in meta if m)}."


def sections(article_id: str, page_path: str) -> str:
    """The "Start here" and "Still not fixed?" sections for a symptom page, as Markdown."""
    planned = plan_for(article_id)
    if planned is None:
        raise PluginError(
            f"{page_path}: [[symptom-steps]] needs a symptom answer in diag/knowledge.toml whose article is "
            f"{article_id!r}; there is none"
        )
    plan, done_by = planned
    head, rest = plan[:done_by], plan[done_by:]
    lines = ["## Start here", "", f"Most people are done by step {done_by}. Try them in this order.", ""]
    lines += [f"{n}. {step_markdown(step, page_path)}" for n, step in enumerate(head, 1)]
    lines += ["", "## Still not fixed?", ""]
    if rest:
        lines += ["Carry on down the list. It is the order Find my fix uses for this symptom.", ""]
        lines += [START.format(done_by + 1), ""]
        lines += [f"{n}. {step_markdown(step, page_path)}" for n, step in enumerate(rest, done_by + 1)]
    else:
        lines += ["Those are all the steps for this symptom. The notes below may help."]
    return "\n".join(lines) + "\n"


def on_config(config: Any) -> Any:
    """Forget an earlier build's answers (``mkdocs serve``): the knowledge may have changed."""
    _first_question.cache_clear()
    _articles.cache_clear()
    return config


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """Replace the marker with the engine's steps for the page's symptom."""
    if not MARKER.search(markdown):
        return markdown
    path = page.file.src_uri
    article_id = next((aid for aid, apath in _articles().items() if apath == path), None)
    if article_id is None:
        raise PluginError(f"{path}: [[symptom-steps]] on a page that is not in diag/articles.toml")
    generated = sections(article_id, path)
    return MARKER.sub(lambda _match: generated, markdown, count=1)


def on_page_content(html_text: str, *, page: Any, config: Any, files: Any) -> str:
    """Number "Still not fixed?" on from "Start here" (``<ol start>``)."""
    return START_BEFORE_LIST.sub(lambda match: f'<ol start="{match.group(1)}">', html_text)
