"""Pages in a real browser (Debian Chromium): nothing leaves 127.0.0.1, no axe-core violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import axe_violations, describe_violations

DOCS = Path(__file__).resolve().parent.parent / "docs"


def built_path(source: Path) -> str:
    """The site-relative URL MkDocs gives a docs/ page (directory URLs: a/b.md -> a/b/)."""
    relative = source.relative_to(DOCS).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "index" else relative.parts
    return "".join(f"{part}/" for part in parts)


EVERY_PAGE = sorted(built_path(source) for source in DOCS.rglob("*.md"))

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


@pytest.fixture(scope="module", params=["light", "dark"])
def scheme_page(request, chromium):
    """One tab per colour scheme for the axe checks; service workers blocked (nothing to precache)."""
    ctx = chromium.new_context(
        viewport={"width": 375, "height": 812}, color_scheme=request.param, service_workers="block"
    )
    page = ctx.new_page()
    yield request.param, page
    ctx.close()


@pytest.mark.parametrize("path", EVERY_PAGE, ids=lambda path: path or "home")
def test_page_has_no_accessibility_violations(scheme_page, site_url, path):
    """Assert axe-core finds no violation on the whole page, on every page of the site, light and dark."""
    scheme, page = scheme_page
    response = page.goto(site_url + path)
    assert response is not None
    assert response.ok, f"{path or 'home'} is not in the built site"
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
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
