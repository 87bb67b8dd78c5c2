"""Offline in a real browser (Debian's Chromium): one online visit, then the guide with no network.

Each test starts from a fresh browser context (no service worker, no caches), opens
the Find my fix page online, waits for the widget to say "Ready offline", and then
cuts the network with `context.set_offline(True)`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLES = ("fixes/restart/", "symptoms/green-bubbles/", "fixes/check-your-connection/")


def precached_urls(site: Path) -> set[str]:
    return set(re.findall(r'\{url:"([^"]+)",revision:', (site / "sw.js").read_text(encoding="utf-8")))


@pytest.fixture
def offline_page(page, context, site_url):
    """The widget page after one online visit that ended with "Ready offline"; the network is then cut."""
    page.goto(site_url + "find-my-fix/")
    status = page.locator("#find-my-fix [data-offline-status]")
    status.wait_for(state="visible", timeout=60_000)
    page.locator("#find-my-fix [data-offline-status][data-offline-state=ready]").wait_for(timeout=60_000)
    context.set_offline(True)
    return page


def test_widget_says_ready_offline_only_when_every_file_is_stored(page, site_url, site_dir):
    page.goto(site_url + "find-my-fix/")
    status = page.locator("#find-my-fix [data-offline-status]")
    page.locator("#find-my-fix [data-offline-status][data-offline-state=ready]").wait_for(timeout=60_000)
    assert status.inner_text() == "Ready offline"
    stored = page.evaluate(
        """async () => {
          const urls = [];
          for (const name of await caches.keys())
            for (const request of await (await caches.open(name)).keys()) {
              const url = new URL(request.url);
              url.searchParams.delete("__WB_REVISION__");
              urls.push(url.href);
            }
          return urls;
        }"""
    )
    expected = {site_url + url for url in precached_urls(site_dir)}
    assert expected - set(stored) == set()


def test_widget_page_reloads_and_completes_a_session_offline(offline_page, site_url, widget_session, requests_log):
    response = offline_page.reload()
    assert response.ok
    assert response.from_service_worker
    summary = widget_session(offline_page, site_url)
    assert "Fixed" in summary
    assert requests_log.foreign == []


@pytest.mark.parametrize("path", ARTICLES)
def test_article_opens_offline(offline_page, site_url, path):
    response = offline_page.goto(site_url + path)
    assert response.ok
    assert response.from_service_worker
    assert offline_page.locator("article h1").inner_text()


def test_article_reached_from_a_search_highlight_link_opens_offline(offline_page, site_url):
    response = offline_page.goto(site_url + "fixes/restart/?h=restart")
    assert response.ok
    assert response.from_service_worker
    assert offline_page.locator("article h1").inner_text().startswith("Restart your iPhone")
    # Material's search.highlight marks the term: the page's scripts ran from the offline copy too.
    assert offline_page.locator("article mark").first.inner_text().lower() == "restart"


def test_three_articles_and_a_search_work_offline_in_one_visit(offline_page, site_url):
    for path in ARTICLES:
        assert offline_page.goto(site_url + path).from_service_worker
    offline_page.keyboard.press("/")
    offline_page.locator("input.md-search__input").press_sequentially("activation", delay=20)
    offline_page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    assert "activation" in offline_page.locator(".md-search-result").inner_text().lower()
    offline_page.locator(".md-search-result__item a").first.click()
    offline_page.wait_for_load_state()
    assert offline_page.locator("article h1").inner_text()


def test_a_page_never_visited_online_opens_offline(offline_page, site_url):
    response = offline_page.goto(site_url + "glossary/")
    assert response.from_service_worker
    assert offline_page.locator("article h1").inner_text()


def test_an_unknown_page_offline_gets_the_guide_not_found_page(offline_page, site_url):
    response = offline_page.goto(site_url + "no-such-page/")
    assert response.from_service_worker
    assert offline_page.locator("h1").first.inner_text() == "404 - Not found"
