"""MkDocs hook: the "Find my fix" widget's build-time HTML and the "Start from this symptom" links.

The widget page (docs/find-my-fix.md) carries the marker ``<!-- diag:widget -->``.
This hook replaces it with the widget's HTML, rendered from the Jinja templates
in ``overrides/diag/`` with the same engine the browser runs (``diag``, imported
from the source tree, through its validated loaders): the first question as a
real form with a fieldset, a legend and radios (each symptom answer shows its
bubble drawing); the ordered checklist the engine gives with no answers, plus
one short ordered list per symptom, collapsed at the end for when JavaScript is
off or the tool can't start; the words the script needs before the engine has
loaded (``diag.view.static_words``); and the same templates again as empty
``<template>`` elements, which the script clones. Any other ``diag:`` marker
fails the build.

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

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
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

IOS_QUESTION = "ios-version"
"""The knowledge question whose answer is the iPhone's iOS version (the widget's version control)."""

NOJS_STATUS = "Without JavaScript this tool can't adapt: open the checklist at the end, and try its steps in order."
"""The status line as served; the script replaces it at once."""

_BLUE = '<span class="dlv-bubble dlv-bubble--blue">Hi!</span>'
_GREEN = '<span class="dlv-bubble dlv-bubble--green">Hi!</span>'
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
    "sending-from-email": (f'<span class="dlv-thread-label">you@mail.com</span>{_BLUE}'),
}
"""Bubble drawings (delivered.css ``dlv-`` classes) for symptom answers, by symptom article id.

Small and short ("Hi!"), so they sit beside their answer and every answer fits on two screens.
Spans only: they sit inside a ``<label>``, whose content must be phrasing content.
"""


def _model() -> Any:
    """The validated knowledge model and article registry (diag's own loaders); a bad file stops the build."""
    try:
        from diag.errors import DiagError  # noqa: PLC0415 - imported lazily from the source tree
        from diag.knowledge import default_model  # noqa: PLC0415
    except ImportError as error:
        raise PluginError(f"widget_static: cannot import diag from {ROOT}: {error}") from error
    try:
        return default_model()
    except DiagError as error:
        raise PluginError(f"widget_static: {error}") from error


def _next(events: list[dict[str, str]]) -> dict[str, Any]:
    """The engine's full result (with its ``view`` words) for a list of events."""
    from diag.payload import next_result  # noqa: PLC0415
    from diag.session import parse_events  # noqa: PLC0415

    return next_result(_model(), parse_events(events))  # type: ignore[no-any-return]


@cache
def _first_step() -> dict[str, Any]:
    """The engine's answer with no evidence: the first question and the general plan."""
    return _next([])


@cache
def _symptom_plans() -> tuple[tuple[dict[str, Any], list[dict[str, Any]]], ...]:
    """For each answer to the first question that names an article: (answer, its ranked plan)."""
    ask = _first_step()["ask"]
    plans = []
    for answer in ask["answers"]:
        if not answer.get("article"):
            continue
        result = _next([{"question": ask["id"], "answer": answer["id"]}])
        plans.append((answer, _with_views(result)))
    return tuple(plans)


def _with_views(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The result's plan steps, each with its own words (``view``) attached."""
    return [{**step, "view": view} for step, view in zip(result["plan"], result["view"]["plan"], strict=True)]


def symptom_answer_for(article_id: str) -> str | None:
    """The id of the first-question answer whose article is `article_id`, if there is one."""
    for answer in _first_step()["ask"]["answers"]:
        if answer.get("article") == article_id:
            return str(answer["id"])
    return None


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


@cache
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(ROOT / "overrides"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _ios_versions() -> list[dict[str, str]]:
    """The options of the iOS version control: the knowledge's ``ios-version`` answers, newest first."""
    from diag.view import IOS_TABS  # noqa: PLC0415

    question = _ios_question()
    if question is None:
        return [{"answer": answer, "label": tabs[0], "tabs": "|".join(tabs)} for answer, tabs in IOS_TABS.items()]
    return [{"answer": a.id, "label": a.text, "tabs": "|".join(IOS_TABS.get(a.id, ()))} for a in question.answers]


def _ios_question() -> Any:
    """The knowledge's iOS version question, or None while the model has none."""
    return next((q for q in _model().questions if q.id == IOS_QUESTION), None)


def _blank_step() -> dict[str, Any]:
    """Placeholder data for the plan-step <template>s (the script fills every slot)."""
    view = {"who": "", "minutes": "", "risk": "", "outcomes_label": "", "ask_them": ""}
    return {"id": "", "title": "", "url": "", "risk": "none", "risk_note": "", "view": view}


def render_widget(page_url: str) -> str:
    """The whole widget as served: first question, JS-only controls, collapsed static checklists, templates."""
    from diag.view import static_words  # noqa: PLC0415

    first = _first_step()

    def linked(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**step, "href": get_relative_url(step["url"], page_url)} for step in steps]

    plan = linked(_with_views(first))
    words = {**static_words(), "nojs": NOJS_STATUS}
    blank_ask = {"id": "", "text": "", "hint": " ", "answers": [{"id": "", "text": "", "hint": " ", "article": ""}]}
    html_text = (
        _templates()
        .get_template("diag/find-my-fix.html")
        .render(
            first=first,
            drawings=DRAWINGS,
            checklist=plan[:STATIC_PLAN_LENGTH],
            more_checklist=plan[STATIC_PLAN_LENGTH:],
            symptom_checklists=[
                {"answer": answer, "steps": linked(steps[:SYMPTOM_PLAN_LENGTH])} for answer, steps in _symptom_plans()
            ],
            symptoms_href=get_relative_url("symptoms/", page_url),
            ios_versions=_ios_versions(),
            ios_question=_ios_question() is not None,
            words=words,
            words_json=Markup(json.dumps(words, ensure_ascii=False).replace("</", "<\\/")),
            blank_ask=blank_ask,
            blank_step=_blank_step(),
        )
    )
    # One line per element is plenty for a reader of the page source; blank lines are noise.
    return "\n".join(line for line in html_text.splitlines() if line.strip())


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
    if article is None or article.kind != "symptom":
        return markdown
    answer = symptom_answer_for(article.id)
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
def _articles_by_path() -> dict[str, Any]:
    """Docs path -> article, from the model's validated registry."""
    return {article.path: article for article in _model().articles.values()}


def _article_for(src_uri: str) -> Any:
    return _articles_by_path().get(src_uri)


def on_config(config: Any) -> Any:
    """Forget what an earlier build (``mkdocs serve``) computed: the knowledge may have changed."""
    from diag.knowledge import default_model  # noqa: PLC0415

    default_model.cache_clear()
    _first_step.cache_clear()
    _symptom_plans.cache_clear()
    _articles_by_path.cache_clear()
    _templates.cache_clear()
    return config
