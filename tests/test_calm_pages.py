"""Calmer pages: steps first, the risk said once, no danger boxes, a version tip, no tag row, body-size notes.

Most checks read the built site; the last ones measure the pages in Chromium at 375 px.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from built_pages import load_pages
from conftest import load_articles, page_url_path

FIXES = [a for a in load_articles() if a["kind"] == "fix"]
INTRO_WORDS = 80
"""At most this many words between a fix page's facts box and its steps: one short paragraph."""


@pytest.fixture(scope="module")
def pages(site_dir: Path):
    return load_pages(site_dir)


def _fix(pages, article):
    return pages[page_url_path(str(article["path"]))]


@pytest.mark.parametrize("article", FIXES, ids=lambda a: a["id"])
def test_fix_page_leads_with_its_steps(pages, article):
    """Assert the first section of every fix page is Steps, after one short paragraph."""
    html = _fix(pages, article).main_html
    assert re.search(r'<h2 id="([^"]+)"', html).group(1) == "steps"
    intro = re.search(r"</h1>(.*?)<h2", html, re.S).group(1)
    intro = re.sub(r'<dl class="dlv-facts.*?</dl>', " ", intro, flags=re.S)
    assert len(re.sub(r"<[^>]+>", " ", intro).split()) <= INTRO_WORDS


@pytest.mark.parametrize("article", FIXES, ids=lambda a: a["id"])
def test_fix_page_gives_its_time_and_risk_box_once(pages, article):
    """Assert one facts box, and no second warning box repeating the risk inside Risks."""
    html = _fix(pages, article).main_html
    assert html.count('class="dlv-facts"') == 1
    risks = re.search(r'<h2 id="risks".*?(?=<h2 |$)', html, re.S)
    assert risks
    assert "admonition" not in risks.group(0)


@pytest.mark.parametrize("article", FIXES, ids=lambda a: a["id"])
def test_no_fix_page_shows_a_danger_box(pages, article):
    """Assert no red danger box: a last resort is marked in the facts box, not shouted."""
    assert "admonition danger" not in _fix(pages, article).main_html


def test_no_page_shows_a_tag_row(pages):
    """Assert the "Fix / Last resort / Network" tag row is gone from every page."""
    assert [url for url, page in pages.items() if 'class="md-tags"' in page.main_html] == []


def test_every_page_with_version_tabs_says_how_to_find_the_version(pages):
    """Assert a "Which iOS do I have?" tip comes before the first iOS tab on every page that has one."""
    missing = []
    for url, page in pages.items():
        tab = re.search(r'<label[^>]*for="__tabbed_\d+_\d+"[^>]*>\s*iOS \d', page.main_html)
        if tab is None:
            continue
        tip = page.main_html.find("Which iOS do I have?")
        if tip == -1 or tip > tab.start():
            missing.append(url)
    assert missing == []


def test_the_home_page_calms_and_asks_one_contact_or_everyone(pages):
    """Assert the home page says nothing is lost and most fixes are quick, and asks one contact or everyone."""
    text = pages[""].text
    assert "nothing is lost" in text.lower()
    assert "most fixes take a few minutes" in text.lower()
    assert "One contact, or everyone?" in text
    assert "symptoms/one-contact-or-everyone/" in " ".join(pages[""].links)


@pytest.mark.browser
def test_notes_and_warnings_are_at_body_size(page, site_url):
    """Assert the text in a note or warning box is as large as the page's own paragraphs."""
    page.goto(site_url + "fixes/update-ios/", wait_until="networkidle")
    sizes = page.evaluate(
        "[getComputedStyle(document.querySelector('.md-content article > p')).fontSize,"
        " getComputedStyle(document.querySelector('.md-typeset .admonition p')).fontSize]"
    )
    assert sizes[0] == sizes[1]


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "fixes/send-and-receive/", "fixes/imessage-off-and-on/"])
def test_no_blank_band_under_the_title(page, site_url, path):
    """Assert a long title wrapped at 375 px ends with its last line of words, not an empty line."""
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(site_url + path, wait_until="networkidle")
    gap = page.evaluate(
        """(() => {
            const h1 = document.querySelector('.md-content h1');
            const range = document.createRange();
            range.selectNodeContents(h1.firstChild);
            const rects = [...range.getClientRects()];
            return h1.getBoundingClientRect().bottom - rects[rects.length - 1].bottom;
        })()"""
    )
    assert gap < 8
