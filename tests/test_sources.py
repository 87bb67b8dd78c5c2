"""Sources: every external link on the built site goes to an allowed host; Apple articles are linked, first."""

from __future__ import annotations

import re
import tomllib
from urllib.parse import urlsplit

import pytest
from built_pages import load_pages, section_html
from conftest import ROOT

HOSTS_FILE = ROOT / "tests" / "source_hosts.toml"
SITE_HOST = urlsplit("https://delivered.example/").netloc


def allowed_hosts() -> dict[str, str]:
    """Host -> kind (apple, carrier, press, community), from tests/source_hosts.toml."""
    data = tomllib.loads(HOSTS_FILE.read_text(encoding="utf-8"))
    return {host: kind for kind, hosts in data.items() for host in hosts}


def external_links(site_dir) -> list[tuple[str, str]]:
    """(page, href) for every link in the content of every built page that leaves the site."""
    found = []
    for url, page in load_pages(site_dir).items():
        for href in re.findall(r'<a\s[^>]*href="([^"]+)"', page.main_html):
            parts = urlsplit(href)
            if parts.scheme in ("http", "https") and parts.netloc != SITE_HOST:
                found.append((url, href))
    return found


def test_the_allow_list_names_each_host_once():
    """Assert no host appears twice in the allow-list (a host has one kind)."""
    data = tomllib.loads(HOSTS_FILE.read_text(encoding="utf-8"))
    hosts = [host for kind in data.values() for host in kind]
    assert len(hosts) == len(set(hosts))


def test_every_external_link_goes_to_an_allowed_source_host(site_dir):
    """Assert each link from the guide's content to another site points to a host on the allow-list."""
    allowed = allowed_hosts()
    offenders = sorted({f"{page}: {href}" for page, href in external_links(site_dir)
                        if urlsplit(href).netloc not in allowed})
    assert offenders == []


def test_every_allowed_host_is_still_cited(site_dir):
    """Assert the allow-list holds no stale host: each one is linked from some page."""
    used = {urlsplit(href).netloc for _, href in external_links(site_dir)}
    assert sorted(set(allowed_hosts()) - used) == []


def test_a_page_outside_the_allow_list_would_be_caught(site_dir):
    """Assert the check is not vacuous: the site has external links, and a content-farm host is not allowed."""
    assert len(external_links(site_dir)) > 100
    assert "flavor365.com" not in allowed_hosts()
    assert "techno.rentetan.com" not in allowed_hosts()


def sources_sections(site_dir):
    for url, page in load_pages(site_dir).items():
        if "sources" in page.h2_ids:
            yield url, section_html(page, "sources")


def test_apple_support_articles_are_linked_to_apple(site_dir):
    """Assert every "Apple Support <number>" named in a Sources list links to support.apple.com."""
    unlinked = []
    for url, html in sources_sections(site_dir):
        for item in re.findall(r"<li>(.*?)</li>", html, re.S):
            if re.search(r"Apple Support (?:HT)?\d{6}", item) and "https://support.apple.com/" not in item:
                unlinked.append(f"{url}: {re.sub(r'<[^>]+>', '', item)[:80]}")
    assert unlinked == []


def test_apple_sources_come_first_in_each_list(site_dir):
    """Assert in every Sources list the Apple links precede carrier, press and community ones."""
    kinds = allowed_hosts()
    out_of_order = []
    for url, html in sources_sections(site_dir):
        order = []
        for item in re.findall(r"<li>(.*?)</li>", html, re.S):
            hosts = [urlsplit(h).netloc for h in re.findall(r'href="(https?://[^"]+)"', item)]
            if hosts:
                order.append(kinds.get(hosts[0]) == "apple")
        if order != sorted(order, reverse=True):
            out_of_order.append(url)
    assert out_of_order == []


@pytest.mark.parametrize("farm", ["flavor365.com", "technobezz.com", "pcglance.com", "rentetan.com",
                                  "ustrends.net", "trendsmask.com", "fone.tips", "everydaytech.org"])
def test_no_page_cites_a_known_content_farm(site_dir, farm):
    """Assert the content farms the review found are gone from every page, linked or not."""
    assert [url for url, page in load_pages(site_dir).items() if farm in page.main_html] == []
