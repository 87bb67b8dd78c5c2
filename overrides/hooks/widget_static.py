"""MkDocs hook: the "Find my fix" widget's build-time HTML and the "Start from this symptom" links.

The widget page (docs/find-my-fix.md) carries the marker ``<!-- diag:widget -->``.
This hook replaces it with the widget's server-side HTML, computed from the
same knowledge model the browser runs (``diag.bridge``, imported from the
source tree): the first question as a real form with a fieldset, a legend and
radios (each symptom answer shows its bubble drawing), and the ordered
checklist ``next_step`` gives with no answers, plus one short ordered list per
symptom. So the page is useful with JavaScript off and while Pyodide loads.
Any other ``diag:`` marker fails the build.

On each symptom page (kind "symptom" in diag/articles.toml) it adds a
"Start from this symptom" link under the first heading, to
``find-my-fix/#symptom=<answer id>`` for the first-question answer whose
article is that page.

The build steps the site cannot work without (the wheel, the Pyodide runtime,
the service worker) are in scripts/build.py, not here.
"""

from __future__ import annotations

import html
import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MARKER = re.compile(r"<!--\s*diag:([A-Za-z0-9_-]+)\s*-->")
"""A widget marker in a page's Markdown: ``<!-- diag:NAME -->``."""

WIDGET_PAGE = "find-my-fix.md"
"""The one page that carries the widget (its URL is the share and symptom link target)."""

STATIC_PLAN_LENGTH = 8
"""How many steps of the general checklist are shown before "More fixes"."""

SYMPTOM_PLAN_LENGTH = 5
"""How many steps each per-symptom checklist shows."""

RISK_LABELS = {"none": "No risk", "low": "Low risk", "medium": "Some risk", "high": "High risk"}
"""Badge text for each risk level the engine reports."""

_BLUE = '<span class="dlv-bubble dlv-bubble--blue">See you at 6?</span>'
_GREEN = '<span class="dlv-bubble dlv-bubble--green">See you at 6?</span>'
_ALERT = '<span class="dlv-alert-icon">!</span>'

DRAWINGS: dict[str, str] = {
    "not-delivered": (
        f'<span class="dlv-row">{_BLUE}{_ALERT}</span><span class="dlv-receipt dlv-receipt--error">Not Delivered</span>'
    ),
    "no-delivered-status": f'<span class="dlv-progress"></span>{_BLUE}',
    "delivered-not-received": f'{_BLUE}<span class="dlv-receipt">Delivered</span>',
    "green-bubbles": f'<span class="dlv-thread-label">Text Message</span>{_GREEN}',
    "text-message-failed": (
        f'<span class="dlv-row">{_GREEN}{_ALERT}</span>'
        '<span class="dlv-receipt dlv-receipt--error">Not Delivered</span>'
    ),
    "waiting-for-activation": (
        '<span class="dlv-thread-label">iMessage</span><span class="dlv-receipt">Waiting for activation…</span>'
    ),
    "sending-from-email": (f'<span class="dlv-thread-label">iMessage with you@example.com</span>{_BLUE}'),
}
"""Bubble drawings (delivered.css ``dlv-`` classes) for symptom answers, by symptom article id.

Spans only: they sit inside a ``<label>``, whose content must be phrasing content.
"""


def _call(name: str, *args: str) -> Any:
    """Call a ``diag.bridge`` function and return its result; a failure stops the build."""
    try:
        from diag import bridge  # noqa: PLC0415 - imported lazily from the source tree
    except ImportError as error:
        raise PluginError(f"widget_static: cannot import diag.bridge from {ROOT}: {error}") from error
    reply = json.loads(getattr(bridge, name)(*args))
    if not reply.get("ok"):
        raise PluginError(f"widget_static: diag.bridge.{name} failed: {reply.get('error')}")
    return reply["result"]


@cache
def _first_step() -> dict[str, Any]:
    """The engine's answer with no evidence: the first question and the general plan."""
    return _call("next_step", json.dumps({"events": []}))


@cache
def _symptom_plans() -> tuple[tuple[dict[str, Any], list[dict[str, Any]]], ...]:
    """For each answer to the first question that names an article: (answer, its ranked plan)."""
    ask = _first_step()["ask"]
    plans = []
    for answer in ask["answers"]:
        if not answer.get("article"):
            continue
        events = {"events": [{"question": ask["id"], "answer": answer["id"]}]}
        plans.append((answer, _call("next_step", json.dumps(events))["plan"]))
    return tuple(plans)


def symptom_answer_for(article_id: str) -> str | None:
    """The id of the first-question answer whose article is `article_id`, if there is one."""
    for answer in _first_step()["ask"]["answers"]:
        if answer.get("article") == article_id:
            return str(answer["id"])
    return None


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def risk_label(risk: object) -> str:
    """Readable badge text for an engine risk level."""
    return RISK_LABELS.get(str(risk), f"{str(risk).capitalize()} risk")


def _minutes(minutes: object) -> str:
    try:
        value = float(str(minutes))
    except ValueError:
        return ""
    return f"about {round(value)} min" if value >= 1 else "under a minute"


def render_step(step: dict[str, Any], page_url: str) -> str:
    """One checklist item: title linked to its article, minutes and a risk badge."""
    href = get_relative_url(step["url"], page_url)
    risk = str(step.get("risk", ""))
    return (
        f'<li class="diag-step" data-fix="{_e(step["id"])}">'
        f'<span class="diag-step__head"><a class="diag-step__title" href="{_e(href)}">{_e(step["title"])}</a> '
        f'<span class="diag-step__meta"><span class="diag-minutes">{_e(_minutes(step.get("minutes")))}</span> '
        f'<span class="diag-risk diag-risk--{_e(risk)}">{_e(risk_label(risk))}</span></span></span>'
        "</li>"
    )


def render_question(ask: dict[str, Any]) -> str:
    """The first question as a form: one fieldset, an h2 legend, radios with labels, Continue."""
    qid = _e(ask["id"])
    hint = ask.get("hint") or ""
    described = f' aria-describedby="diag-hint-{qid}"' if hint else ""
    parts = [
        f'<form class="diag-question" data-diag-question data-question="{qid}" action="#find-my-fix" method="get">',
        f'<fieldset class="diag-fieldset"{described}>',
        f'<legend class="diag-legend"><h2 class="diag-question__title" tabindex="-1">{_e(ask["text"])}</h2></legend>',
    ]
    if hint:
        parts.append(f'<p class="diag-hint" id="diag-hint-{qid}">{_e(hint)}</p>')
    parts.append('<div class="diag-radios">')
    for index, answer in enumerate(ask["answers"]):
        input_id = f"diag-answer-{qid}" if index == 0 else f"diag-answer-{qid}-{index}"
        drawing = DRAWINGS.get(str(answer.get("article") or ""), "")
        figure = (
            '<span class="diag-drawing dlv-bubble-figure dlv-bubble-figure--compact" aria-hidden="true">'
            f"{drawing}</span>"
            if drawing
            else ""
        )
        answer_hint = answer.get("hint") or ""
        hint_html = f'<span class="diag-radio__hint">{_e(answer_hint)}</span>' if answer_hint else ""
        parts.append(
            f'<div class="diag-radio" data-answer="{_e(answer["id"])}">'
            f'<input class="diag-radio__input" type="radio" id="{input_id}" name="answer" value="{_e(answer["id"])}">'
            f'<label class="diag-radio__label" for="{input_id}">'
            f'<span class="diag-radio__text">{_e(answer["text"])}</span>'
            f"{hint_html}{figure}</label></div>"
        )
    parts.append("</div></fieldset>")
    parts.append('<button type="submit" class="md-button md-button--primary diag-continue">Continue</button>')
    parts.append("</form>")
    return "".join(parts)


def render_widget(page_url: str) -> str:
    """The whole widget as served: question, status, static ordered checklists, empty live regions."""
    first = _first_step()
    plan = first["plan"]
    head, rest = plan[:STATIC_PLAN_LENGTH], plan[STATIC_PLAN_LENGTH:]
    general = "".join(render_step(step, page_url) for step in head)
    more = ""
    if rest:
        more = (
            '<details class="diag-more"><summary>More fixes, in order</summary>'
            f'<ol class="diag-steps" start="{len(head) + 1}">'
            + "".join(render_step(step, page_url) for step in rest)
            + "</ol></details>"
        )
    per_symptom = "".join(
        f'<details class="diag-symptom-plan" data-symptom="{_e(answer["id"])}">'
        f"<summary>If you see: {_e(answer['text'])}</summary>"
        '<ol class="diag-steps">'
        + "".join(render_step(step, page_url) for step in steps[:SYMPTOM_PLAN_LENGTH])
        + "</ol></details>"
        for answer, steps in _symptom_plans()
    )
    symptoms_href = get_relative_url("symptoms/", page_url)
    return (
        '<div id="find-my-fix" class="diag" data-engine="loading">'
        '<div class="diag-toolbar" data-diag-toolbar hidden>'
        '<button type="button" class="diag-link" data-action="back">Back</button>'
        '<button type="button" class="diag-link" data-action="restart">Start over</button>'
        "</div>"
        '<p class="diag-status" data-diag-status>'
        "Without JavaScript this tool can't adapt: use the checklist below, in order.</p>"
        '<div class="diag-message" data-diag-message role="alert" hidden></div>'
        f"{render_question(first['ask'])}"
        '<noscript><p class="diag-noscript">Without JavaScript the questions can\'t adapt. '
        f'Try the steps below in order, or <a href="{_e(symptoms_href)}">open the page for what you see</a>.'
        "</p></noscript>"
        '<div class="diag-live" data-diag-live role="status" aria-live="polite" aria-atomic="true"></div>'
        '<section class="diag-plan" data-diag-plan aria-labelledby="diag-plan-title">'
        '<h2 id="diag-plan-title" class="diag-plan__title" tabindex="-1">Try these in this order</h2>'
        '<p class="diag-progress" data-diag-progress>Start at the top: quick, safe checks come first.</p>'
        f'<ol class="diag-steps" data-diag-steps>{general}</ol>{more}'
        "</section>"
        '<section class="diag-static" data-diag-static aria-labelledby="diag-static-title">'
        '<h2 id="diag-static-title">Checklists for what you see</h2>'
        f"{per_symptom}</section>"
        '<section class="diag-summary" data-diag-summary aria-labelledby="diag-summary-title" hidden></section>'
        '<p class="diag-offline" data-offline-status hidden></p>'
        "</div>"
    )


RENDERERS = {"widget": render_widget}
"""What each ``<!-- diag:NAME -->`` marker renders into (given the page URL)."""


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """Fail on unknown markers; add "Start from this symptom" under a symptom page's title."""
    for name in MARKER.findall(markdown):
        if name not in RENDERERS:
            raise PluginError(
                f"{page.file.src_uri}: unknown marker <!-- diag:{name} --> (known: {', '.join(RENDERERS)})"
            )
    if page.meta.get("template") != "widget.html" and MARKER.search(markdown):
        raise PluginError(f"{page.file.src_uri}: a diag marker needs `template: widget.html` in front matter")
    article = _article_for(page.file.src_uri)
    if article is None or article.get("kind") != "symptom":
        return markdown
    answer = symptom_answer_for(str(article["id"]))
    if answer is None:
        return markdown
    href = get_relative_url(f"find-my-fix/#symptom={answer}", page.url)
    link = (
        '<p class="diag-start">'
        f'<a class="md-button md-button--primary" href="{_e(href)}">Start from this symptom</a></p>'
    )
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            lines[index + 1 : index + 1] = ["", link, ""]
            return "\n".join(lines)
    return markdown


def on_page_content(html_text: str, *, page: Any, config: Any, files: Any) -> str:
    """Replace each widget marker (kept as an HTML comment by Markdown) with its rendering."""
    return MARKER.sub(lambda match: RENDERERS[match.group(1)](page.url), html_text)


@cache
def _articles_by_path() -> dict[str, dict[str, Any]]:
    import tomllib  # noqa: PLC0415

    registry = tomllib.loads((ROOT / "diag" / "articles.toml").read_text(encoding="utf-8"))
    return {str(a["path"]): a for a in registry["article"]}


def _article_for(src_uri: str) -> dict[str, Any] | None:
    return _articles_by_path().get(src_uri)


def on_config(config: Any) -> Any:
    """Forget what an earlier build (``mkdocs serve``) computed: the knowledge may have changed."""
    _first_step.cache_clear()
    _symptom_plans.cache_clear()
    _articles_by_path.cache_clear()
    return config
