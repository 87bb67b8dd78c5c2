"""Pages in a real browser (Debian Chromium): nothing leaves 127.0.0.1, no axe-core violations."""

from __future__ import annotations

import pytest
from conftest import axe_violations, describe_violations

PAGES = {
    "home": "",
    "fix page": "fixes/restart/",
    "symptom page": "symptoms/not-delivered/",
    "status page": "understand/",
}

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_makes_no_request_outside_the_site(page, site_url, requests_log, path):
    """Assert loading the page asks nothing of any other origin."""
    page.goto(site_url + path, wait_until="networkidle")
    assert requests_log.urls, "the request log saw nothing"
    assert requests_log.foreign == []


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_accessibility_violations(page, site_url, path):
    """Assert axe-core finds no violation on the page (light scheme)."""
    page.goto(site_url + path, wait_until="networkidle")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize("path", ["", "fixes/restart/"], ids=["home", "fix page"])
def test_page_has_no_accessibility_violations_in_dark_mode(context, site_url, path):
    """Assert axe-core finds no violation with the dark (slate) palette."""
    page = context.new_page()
    page.emulate_media(color_scheme="dark")
    page.goto(site_url + path, wait_until="networkidle")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_search_finds_a_fix_without_any_network_beyond_the_site(page, site_url, requests_log):
    """Assert the built-in search answers a query from the site's own index."""
    page.goto(site_url, wait_until="networkidle")
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("activation", delay=30)
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=15000)
    assert "activation" in page.locator(".md-search-result").inner_text().lower()
    assert requests_log.foreign == []


def test_page_fits_a_375_pixel_phone_screen(page, site_url):
    """Assert a fix page has no horizontal scrolling at 375 px."""
    page.goto(site_url + "fixes/restart/", wait_until="networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
