"""MkDocs hook: each fix page's facts box (time, risk, who, last resort), generated from the knowledge model.

A fix's minutes, risk level and risk note live in one place, diag/knowledge.toml;
its title and page in diag/articles.toml; the words for them in diag/view.py.
This hook loads both files through diag's validated loaders and inserts a short
facts box right under the page's first heading, so the page and the widget can
never disagree. A fix page with no entry in the knowledge model fails the
build, naming the page.
"""

from __future__ import annotations

import html
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from diag.errors import DiagError  # noqa: E402 - the source tree goes on the path first
from diag.knowledge import Fix, default_model  # noqa: E402
from diag.view import WHO_DOES_IT, minutes_text, risk_label  # noqa: E402

H1 = re.compile(r"^# .+$", re.M)


def _model() -> Any:
    try:
        return default_model()
    except DiagError as error:
        raise PluginError(f"knowledge_facts: {error}") from error


@cache
def _steps_by_article() -> dict[str, Fix]:
    """Article id -> the fix step that links to it (advice and the escalation have no facts box)."""
    return {fix.article: fix for fix in _model().fixes if fix.kind != "advice"}


@cache
def _fix_articles() -> dict[str, str]:
    """Docs path -> article id, for every article of kind 'fix'."""
    return {a.path: a.id for a in _model().articles.values() if a.kind == "fix"}


def render_facts(step: Fix) -> str:
    """The facts box HTML for one knowledge-model step."""
    risk = html.escape(step.risk)
    parts = [
        '<dl class="dlv-facts">',
        f'<div class="dlv-facts__item"><dt>Your time</dt><dd>{html.escape(minutes_text(step.minutes))}</dd></div>',
        f'<div class="dlv-facts__item"><dt>Risk</dt><dd><span class="dlv-risk dlv-risk--{risk}">'
        f"{html.escape(risk_label(step.risk))}</span> {html.escape(step.risk_note)}</dd></div>",
    ]
    if step.who in WHO_DOES_IT:
        who = html.escape(WHO_DOES_IT[step.who], quote=False)
        parts.append(f'<div class="dlv-facts__item"><dt>Who</dt><dd>{who}</dd></div>')
    if step.last_resort:
        parts.append(
            '<div class="dlv-facts__item"><dt>When</dt><dd><span class="dlv-risk dlv-risk--high">'
            "Last resort</span> Try the other fixes first</dd></div>"
        )
    parts.append("</dl>")
    return "".join(parts)


def on_config(config: Any) -> Any:
    """Re-read the data files on every build (``mkdocs serve`` rebuilds in one process)."""
    default_model.cache_clear()
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
            f"knowledge.toml: no step links to the fix page {page.file.src_uri!r} (article {article_id!r})"
        )
    heading = H1.search(markdown)
    if heading is None:
        raise PluginError(f"{page.file.src_uri}: a fix page needs a '# Title' line for its facts box")
    end = heading.end()
    return f"{markdown[:end]}\n\n{render_facts(step)}\n{markdown[end:]}"
