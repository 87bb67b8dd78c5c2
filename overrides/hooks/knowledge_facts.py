"""MkDocs hook: each fix page's facts box (time, risk, who, last resort), generated from the knowledge model.

A fix's minutes, risk level and risk note live in one place, diag/knowledge.toml;
its title and page in diag/articles.toml. This hook reads both and inserts a
short facts box right under the page's first heading, so the page and the
widget can never disagree. A fix page with no entry in the knowledge model
fails the build, naming the page.
"""

from __future__ import annotations

import html
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "diag" / "knowledge.toml"
ARTICLES = ROOT / "diag" / "articles.toml"

RISK_TEXT = {"none": "No risk", "low": "Low risk", "medium": "Some risk", "high": "High risk"}
"""Badge text for each risk level of the knowledge model."""

WHO_TEXT = {
    "you": "You",
    "other-person": "The owner of the iPhone or number: if that isn't you, send them this page",
    "carrier": "Your carrier, when you contact them",
    "apple": "Apple Support, when you contact them",
}
"""Who does the step, for each `who` of the knowledge model."""

H1 = re.compile(r"^# .+$", re.M)


def describe_minutes(minutes: float) -> str:
    """Human time for a number of minutes: 'Under 1 minute', 'About 5 minutes', 'About 1 hour 30 minutes'."""
    if minutes < 1:
        return "Under 1 minute"
    if minutes < 60:
        whole = round(minutes)
        return f"About {whole} minute{'s' if whole != 1 else ''}"
    hours, rest = divmod(round(minutes), 60)
    text = f"About {hours} hour{'s' if hours != 1 else ''}"
    return f"{text} {rest} minutes" if rest else text


@cache
def _steps_by_article() -> dict[str, dict[str, Any]]:
    knowledge = tomllib.loads(KNOWLEDGE.read_text(encoding="utf-8"))
    return {str(step["article"]): step for step in knowledge["fix"] if step.get("kind", "fix") != "advice"}


@cache
def _fix_articles() -> dict[str, str]:
    """Docs path -> article id, for every article of kind 'fix'."""
    registry = tomllib.loads(ARTICLES.read_text(encoding="utf-8"))
    return {str(a["path"]): str(a["id"]) for a in registry["article"] if a["kind"] == "fix"}


def render_facts(step: dict[str, Any]) -> str:
    """The facts box HTML for one knowledge-model step."""
    risk = str(step["risk"])
    parts = [
        '<dl class="dlv-facts">',
        f'<div class="dlv-facts__item"><dt>Your time</dt><dd>{describe_minutes(float(step["minutes"]))}</dd></div>',
        f'<div class="dlv-facts__item"><dt>Risk</dt><dd><span class="dlv-risk dlv-risk--{html.escape(risk)}">'
        f"{RISK_TEXT[risk]}</span> {html.escape(str(step['risk_note']))}</dd></div>",
    ]
    if step.get("who") in WHO_TEXT:
        parts.append(f'<div class="dlv-facts__item"><dt>Who</dt><dd>{WHO_TEXT[str(step["who"])]}</dd></div>')
    if step.get("last_resort"):
        parts.append('<div class="dlv-facts__item"><dt>When</dt><dd><span class="dlv-risk dlv-risk--high">'
                     "Last resort</span> Try the other fixes first</dd></div>")
    parts.append("</dl>")
    return "".join(parts)


def on_config(config: Any) -> Any:
    """Re-read the data files on every build (``mkdocs serve`` rebuilds in one process)."""
    _steps_by_article.cache_clear()
    _fix_articles.cache_clear()
    return config


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """Insert the facts box under the first heading of every fix page."""
    article_id = _fix_articles().get(page.file.src_uri)
    if article_id is None:
        return markdown
    step = _steps_by_article().get(article_id)
    if step is None:
        raise PluginError(
            f"{KNOWLEDGE.name}: no step links to the fix page {page.file.src_uri!r} (article {article_id!r})"
        )
    heading = H1.search(markdown)
    if heading is None:
        raise PluginError(f"{page.file.src_uri}: a fix page needs a '# Title' line for its facts box")
    end = heading.end()
    return f"{markdown[:end]}\n\n{render_facts(step)}\n{markdown[end:]}"
