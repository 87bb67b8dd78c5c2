"""The widget's build-time side: the static HTML in the built site, the symptom links, the hook's checks.

No browser here: these read site/ (built by scripts/build.py) and call the MkDocs hook
directly. The expected content comes from the engine (the installed wheel), so the page
and the engine can never drift apart unnoticed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, page_url_path
from mkdocs.exceptions import PluginError


def _hook():
    spec = importlib.util.spec_from_file_location("widget_static", ROOT / "overrides" / "hooks" / "widget_static.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def native_next(events: list[dict]) -> dict:
    from diag import bridge

    reply = json.loads(bridge.next_step(json.dumps({"events": events})))
    assert reply["ok"], reply
    return reply["result"]


@pytest.fixture(scope="module")
def widget_html(site_dir: Path) -> str:
    return (site_dir / "find-my-fix" / "index.html").read_text(encoding="utf-8")


def _widget(html: str) -> str:
    start = html.index('<div id="find-my-fix"')
    return html[start : html.index("data-offline-status hidden></p>", start)]


def _fake_page(src: str, url: str, template: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src), url=url, meta={"template": template} if template else {})


def test_widget_root_starts_in_the_loading_state(widget_html):
    """Assert the page ships #find-my-fix with data-engine="loading" and the offline-status hook."""
    assert '<div id="find-my-fix" class="diag" data-engine="loading">' in widget_html
    assert '<p class="diag-offline" data-offline-status hidden></p>' in widget_html


def test_first_question_is_a_fieldset_with_a_legend_and_unchecked_labelled_radios(widget_html):
    """Assert the engine's first question is rendered as a form: legend, one labelled radio per answer, none checked."""
    ask = native_next([])["ask"]
    form = _widget(widget_html)
    form = form[form.index("<form") : form.index("</form>")]
    legend = re.search(r"<legend[^>]*>(.*?)</legend>", form, re.S)
    assert legend
    assert unescape(re.sub(r"<[^>]+>", "", legend.group(1))) == ask["text"]
    inputs = re.findall(
        r'<input class="diag-radio__input" type="radio" id="([^"]+)" name="answer" value="([^"]+)">', form
    )
    assert [value for _, value in inputs] == [a["id"] for a in ask["answers"]]
    for input_id, _ in inputs:
        assert f'<label class="diag-radio__label" for="{input_id}">' in form
    assert "checked" not in form
    assert "I don&#x27;t know" in form or "I don&#39;t know" in form or "I don't know" in form
    assert ">Continue</button>" in form


def test_symptom_answers_show_the_bubble_drawings(widget_html):
    """Assert the symptom answers carry the guide's drawings (delivered.css classes), hidden from screen readers."""
    form = _widget(widget_html)
    assert form.count('class="diag-drawing dlv-bubble-figure dlv-bubble-figure--compact" aria-hidden="true"') >= 5
    assert "dlv-bubble--blue" in form
    assert "dlv-bubble--green" in form
    assert "dlv-receipt--error" in form


def test_static_checklist_is_the_engines_plan_with_no_answers(widget_html):
    """Assert the no-JavaScript checklist lists every fix in the engine's order, linked to its page."""
    plan = native_next([])["plan"]
    section = _widget(widget_html)
    section = section[section.index("data-diag-static") : section.index("Checklists for what you see")]
    shown = re.findall(r'<li class="diag-step" data-fix="([^"]+)">', section)
    assert shown == [step["id"] for step in plan]
    for step in plan:
        assert f'href="../{step["url"]}"' in section


def test_each_symptom_has_its_own_static_checklist(widget_html):
    """Assert each symptom answer has an ordered list: the top of the engine's plan for that answer."""
    ask = native_next([])["ask"]
    widget = _widget(widget_html)
    for answer in (a for a in ask["answers"] if a.get("article")):
        opening = f'<details class="diag-symptom-plan" data-symptom="{answer["id"]}">'
        block = re.search(rf"{re.escape(opening)}(.*?)</details>", widget, re.S)
        assert block, answer["id"]
        expected = native_next([{"question": ask["id"], "answer": answer["id"]}])["plan"][:5]
        assert re.findall(r'data-fix="([^"]+)"', block.group(1)) == [s["id"] for s in expected]


def test_symptom_pages_link_to_the_widget_with_their_answer(site_dir, articles):
    """Assert every symptom page that an answer names has "Start from this symptom" → find-my-fix/#symptom=<answer>."""
    ask = native_next([])["ask"]
    by_article = {}
    for answer in ask["answers"]:
        by_article.setdefault(answer.get("article"), answer["id"])
    symptoms = [a for a in articles if a["kind"] == "symptom"]
    linked = 0
    for article in symptoms:
        html = (site_dir / page_url_path(str(article["path"])) / "index.html").read_text(encoding="utf-8")
        answer = by_article.get(article["id"])
        if answer is None:
            assert "Start from this symptom" not in html
            continue
        linked += 1
        assert f'href="../../find-my-fix/#symptom={answer}">Start from this symptom</a>' in html
    assert linked >= 5


def test_only_the_widget_page_loads_the_widget_and_engine(site_dir):
    """Assert no built page other than find-my-fix/ references the widget scripts or styles."""
    markers = ("find-my-fix.js", "engine-boot.js", "widget.css", "diag-worker.js")
    pages = [p for p in site_dir.rglob("index.html") if "assets" not in p.parts]
    carrying = {p.relative_to(site_dir).as_posix() for p in pages if any(m in p.read_text("utf-8") for m in markers)}
    assert carrying == {"find-my-fix/index.html"}


THEME_BUNDLE = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')


def test_widget_page_hands_the_theme_script_to_theme_after_engine(site_dir, widget_html):
    """Assert find-my-fix/ has no <script> for Material's bundle but names that same built file for later."""
    assert THEME_BUNDLE.search(widget_html) is None
    deferred = re.search(r'src="[^"]*theme-after-engine\.js" data-theme-bundle="([^"]+)"', widget_html)
    assert deferred is not None
    home_bundle = THEME_BUNDLE.search((site_dir / "index.html").read_text("utf-8"))
    assert home_bundle is not None
    assert deferred.group(1) == "../" + home_bundle.group(1)
    assert (site_dir / "find-my-fix" / deferred.group(1)).resolve().is_file()


def test_article_pages_load_the_theme_script_directly(site_dir):
    """Assert every page but find-my-fix/ keeps the theme's own <script> tag and none loads theme-after-engine."""
    pages = [p for p in site_dir.rglob("index.html") if "assets" not in p.parts and p.parent.name != "find-my-fix"]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text("utf-8")
        assert THEME_BUNDLE.search(html), page
        assert "theme-after-engine.js" not in html, page


def test_manifest_names_the_shipped_wheel_and_its_checksum(site_dir):
    """Assert assets/diag/manifest.json names the wheel in the site, its SHA-256 and the vendored Pyodide."""
    manifest = json.loads((site_dir / "assets" / "diag" / "manifest.json").read_text())
    wheel = site_dir / "assets" / "diag" / manifest["wheel"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == manifest["sha256"]
    assert (site_dir / "assets" / "pyodide" / manifest["pyodide"] / "pyodide.mjs").is_file()


def test_unknown_diag_marker_fails_the_build():
    """Assert a misspelt <!-- diag:... --> marker stops the build with the page and marker named."""
    hook = _hook()
    page = _fake_page("find-my-fix.md", "find-my-fix/", "widget.html")
    with pytest.raises(PluginError, match=r"find-my-fix\.md: unknown marker <!-- diag:widgit -->"):
        hook.on_page_markdown("# T\n\n<!-- diag:widgit -->\n", page=page, config={}, files=None)


def test_marker_on_a_page_without_the_widget_template_fails_the_build():
    """Assert the widget marker needs `template: widget.html` (else the page would lack the scripts)."""
    hook = _hook()
    page = _fake_page("glossary.md", "glossary/")
    with pytest.raises(PluginError, match=r"template: widget\.html"):
        hook.on_page_markdown("# T\n\n<!-- diag:widget -->\n", page=page, config={}, files=None)


def test_start_link_goes_right_under_the_title():
    """Assert the hook inserts the symptom link directly after the page's first heading."""
    hook = _hook()
    page = _fake_page("symptoms/not-delivered.md", "symptoms/not-delivered/")
    out = hook.on_page_markdown("# Title\n\nFirst paragraph.\n", page=page, config={}, files=None)
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[0] == "# Title"
    assert "Start from this symptom" in lines[1]
    assert lines[2] == "First paragraph."


# --- One presentation layer: templates, words from diag.view, precomputed results -----------------------

TEMPLATES = ("question", "answer", "top-step", "later-step", "ending", "why", "summary", "failure", "message")
"""The <template>s widget-render.js clones (overrides/diag/parts.html)."""


def test_the_widget_ships_each_template_it_clones(widget_html):
    """Assert every template the script clones is in the page, and each plan-step template has its test hooks."""
    widget = _widget(widget_html)
    for name in TEMPLATES:
        assert f'<template data-diag-template="{name}">' in widget, name
    step = widget[widget.index('data-diag-template="top-step"') :]
    step = step[: step.index("</template>")]
    assert 'data-fix=""' in step
    assert 'data-outcome="failed"' in step


def test_the_scripts_write_no_wording_of_their_own():
    """Assert the widget's modules hold no sentence for a person: words come from diag/view.py or the templates."""
    sentence = re.compile(r"""["'`][A-Z][a-z]+(?: [a-z']+){2,}""")
    scripts = ROOT / "docs" / "assets" / "javascripts"
    modules = ["widget.js", "widget-state.js", "widget-render.js", "widget-events.js", "summary.js", "templates.js"]
    comments = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
    code = {name: comments.sub("", (scripts / name).read_text("utf-8")) for name in modules}
    found = {name: sentence.findall(text) for name, text in code.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_page_carries_diag_views_words_for_before_the_engine(widget_html):
    """Assert the words the script shows before the engine loads are diag.view.static_words(), unchanged."""
    from diag.view import static_words

    block = re.search(r"<script type=\"application/json\" data-diag-words>(.*?)</script>", widget_html, re.S)
    assert block
    words = json.loads(block.group(1))
    assert {k: v for k, v in words.items() if k != "nojs"} == static_words()


def test_fix_pages_and_the_widget_say_a_steps_time_the_same_way(site_dir):
    """Assert a fix page's facts box and the engine's plan words both use diag.view.minutes_text."""
    from diag.view import minutes_text

    step = native_next([])["plan"][0]
    html = (site_dir / step["url"].split("#")[0] / "index.html").read_text("utf-8")
    assert f"<dt>Your time</dt><dd>{minutes_text(step['minutes'])}</dd>" in html
    assert native_next([])["view"]["plan"][0]["minutes"] == minutes_text(step["minutes"])


def _precomputed(site_dir: Path) -> dict[str, dict[str, dict]]:
    """iOS variant -> session key -> result, over all of that variant's files."""
    folder = site_dir / "assets" / "diag" / "precomputed"
    variants: dict[str, dict[str, dict]] = {}
    for path in sorted(folder.glob("*/*.json")):
        variants.setdefault(path.parent.name, {}).update(json.loads(path.read_text("utf-8"))["results"])
    return variants


def _events(key: str) -> list[dict]:
    events = []
    for part in filter(None, key.split("&")):
        if "=" in part:
            question, answer = part.split("=", 1)
            events.append({"question": question, "answer": answer})
        else:
            fix, outcome = part.split(":", 1)
            events.append({"fix": fix, "outcome": outcome})
    return events


def test_every_precomputed_result_equals_the_live_engines(site_dir):
    """Assert each result shipped for the first two taps is the engine's (this wheel's), as the widget reads it."""
    from diag.view import widget_result

    variants = _precomputed(site_dir)
    assert "any" in variants
    checked = 0
    for results in variants.values():
        for key, result in results.items():
            assert result == widget_result(native_next(_events(key))), key
            checked += 1
    assert checked > 50


def test_the_first_taps_file_is_small(site_dir):
    """Assert what the page loads before the first tap (start.json) stays under 40 KB gzip-compressed."""
    import gzip

    for start in (site_dir / "assets" / "diag" / "precomputed").glob("*/start.json"):
        assert len(gzip.compress(start.read_bytes(), 9)) < 40_000, start


def test_precomputed_results_cover_every_first_and_second_answer(site_dir):
    """Assert every answer to the first question, and every answer to the question it leads to, is precomputed."""
    results = _precomputed(site_dir)["any"]
    ask = native_next([])["ask"]
    for first in ask["answers"]:
        one = [{"question": ask["id"], "answer": first["id"]}]
        key = f"{ask['id']}={first['id']}"
        assert key in results
        following = native_next(one)
        for second in (following["ask"] or {"answers": []})["answers"]:
            assert f"{key}&{following['ask']['id']}={second['id']}" in results
        if following["plan"]:
            assert f"{key}&{following['plan'][0]['id']}:failed" in results


def test_precomputed_results_exist_for_each_ios_version_the_widget_can_send(site_dir):
    """Assert one file per ios-version answer (when the knowledge has that question), plus "any"."""
    catalog = json.loads(__import__("diag.bridge", fromlist=["catalog"]).catalog())["result"]
    question = next((q for q in catalog["questions"] if q["id"] == "ios-version"), None)
    expected = {"any"} | {a["id"] for a in (question or {"answers": []})["answers"] if a["id"] != "dont-know"}
    assert set(_precomputed(site_dir)) == expected
