"""Symptom pages lead with the engine's steps: "Start here" up to done_by_step, then "Still not fixed?".

The expected order comes from the installed engine (the wheel the browser runs), so a
page that drifts from Find my fix fails here.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from built_pages import load_pages, section_html
from conftest import ROOT, load_articles, page_url_path
from mkdocs.exceptions import PluginError

# diag first, from the installed wheel: the hook puts the source tree on sys.path for the build.
from diag import bridge

sys.path.insert(0, str(ROOT / "overrides" / "hooks"))

import symptom_steps

DOCS = ROOT / "docs"
MARKED = [a for a in load_articles() if (DOCS / str(a["path"])).read_text(encoding="utf-8").count("[[symptom-steps]]")]
RESETS = {"fixes/reset-network-settings/", "fixes/reset-all-settings/", "fixes/erase-iphone/"}


def engine_plan(article_id: str) -> tuple[list[str], int]:
    """The installed engine's plan (step urls) after answering the symptom, and its done_by_step."""
    first = json.loads(bridge.next_step(json.dumps({"events": []})))["result"]["ask"]
    answer = next(a for a in first["answers"] if a.get("article") == article_id)
    reply = json.loads(bridge.next_step(json.dumps({"events": [{"question": first["id"], "answer": answer["id"]}]})))
    result = reply["result"]
    return [step["url"] for step in result["plan"]], int(result["done_by_step"])


def linked_urls(page, section: str) -> list[str]:
    """Site-relative targets of the list links in one section of a built page, in order."""
    html = section_html(page, section)
    hrefs = re.findall(r'<li>\s*<a href="([^"]+)"', html)
    return [urlsplit(urljoin("/" + page.url_path, href)).path.lstrip("/") for href in hrefs]


@pytest.fixture(scope="module")
def pages(site_dir: Path):
    return load_pages(site_dir)


def test_the_original_symptom_pages_use_the_generated_steps():
    """Assert the twelve symptom pages with an engine answer that predate part 2 are generated, not hand-ranked."""
    assert {a["id"] for a in MARKED} >= {
        "not-delivered", "no-delivered-status", "delivered-not-received", "green-bubbles", "text-message-failed",
        "waiting-for-activation", "sending-from-email", "group-messages", "cannot-receive",
        "mac-or-ipad-not-receiving", "not-registered-with-imessage", "contact-key-verification",
    }  # fmt: skip


@pytest.mark.parametrize("article", MARKED, ids=lambda a: a["id"])
def test_start_here_lists_the_engine_steps_most_people_need(pages, article):
    """Assert "Start here" holds the engine's first done_by_step steps for the symptom, in its order."""
    urls, done_by = engine_plan(str(article["id"]))
    page = pages[page_url_path(str(article["path"]))]
    assert [u.split("#")[0] for u in linked_urls(page, "start-here")] == [u.split("#")[0] for u in urls[:done_by]]
    assert f"done by step {done_by}" in section_html(page, "start-here")


@pytest.mark.parametrize("article", MARKED, ids=lambda a: a["id"])
def test_still_not_fixed_carries_on_in_the_engine_order(pages, article):
    """Assert "Still not fixed?" lists the rest of the engine's plan, numbered on from "Start here"."""
    urls, done_by = engine_plan(str(article["id"]))
    page = pages[page_url_path(str(article["path"]))]
    assert [u.split("#")[0] for u in linked_urls(page, "still-not-fixed")] == [u.split("#")[0] for u in urls[done_by:]]
    if urls[done_by:]:
        assert f'<ol start="{done_by + 1}">' in section_html(page, "still-not-fixed")


@pytest.mark.parametrize("article", MARKED, ids=lambda a: a["id"])
def test_no_symptom_page_starts_with_a_reset(pages, article):
    """Assert no reset or erase is among the first steps a symptom page offers."""
    page = pages[page_url_path(str(article["path"]))]
    assert not set(linked_urls(page, "start-here")) & RESETS


def test_the_marker_on_a_page_without_a_symptom_answer_fails_the_build():
    """Assert a page the engine has no symptom answer for cannot ask for generated steps."""
    with pytest.raises(PluginError, match=r"symptoms/index\.md: \[\[symptom-steps\]\] needs a symptom answer"):
        symptom_steps.sections("symptoms", "symptoms/index.md")


def test_advice_about_the_other_persons_side_is_not_said_to_be_done_by_them():
    """Assert a step that is their situation (their phone is off) reads "it is on their side", while a step they
    take reads "the other person does this"."""
    base = {"title": "T", "minutes": 2, "risk": "none", "who": "other-person", "url": "", "article": ""}
    assert step_line({**base, "kind": "advice"}).endswith("it is on their side.")
    assert step_line({**base, "kind": "fix"}).endswith("the other person does this.")


def step_line(step: dict) -> str:
    return symptom_steps.step_markdown(step, "symptoms/x.md")
