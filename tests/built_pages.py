"""Read the built site's HTML pages into plain data for the site tests (stdlib html.parser only)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

# Elements whose src/href makes the browser fetch something (not plain navigation links).
FETCHING_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
FETCHING_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
                      "apple-touch-icon", "mask-icon", "shortcut", "preconnect", "dns-prefetch"}
SKIPPED_TEXT_TAGS = {"script", "style", "svg", "template"}


@dataclass
class Page:
    """One built HTML page: where it is, what it links to, what it fetches, its ids and text."""

    path: Path
    url_path: str
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    resources: list[tuple[str, str]] = field(default_factory=list)
    h1: str = ""
    h2_ids: list[str] = field(default_factory=list)
    text: str = ""
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    main_html: str = ""


class _PageParser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self._skip = 0
        self._in_h1 = False
        self._h1_done = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: (v or "") for k, v in attrs}
        self.page.elements.append((tag, attr))
        if "id" in attr:
            self.page.ids.add(attr["id"])
        if tag == "a" and "name" in attr:
            self.page.ids.add(attr["name"])
        if tag == "a" and "href" in attr:
            self.page.links.append(attr["href"])
        for name in FETCHING_ATTRS.get(tag, ()):
            if attr.get(name):
                self.page.resources.append((tag, attr[name]))
        if tag == "link" and attr.get("href"):
            rels = set(attr.get("rel", "").lower().split())
            if rels & FETCHING_LINK_RELS:
                self.page.resources.append(("link", attr["href"]))
        if tag == "h2" and "id" in attr:
            self.page.h2_ids.append(attr["id"])
        if tag in SKIPPED_TEXT_TAGS:
            self._skip += 1
        if tag == "h1" and not self._h1_done:
            self._in_h1 = True

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TEXT_TAGS and self._skip:
            self._skip -= 1
        if tag == "h1" and self._in_h1:
            self._in_h1 = False
            self._h1_done = True
        if tag in {"p", "li", "h1", "h2", "h3", "h4", "td", "th", "dd", "dt", "div", "br"}:
            self._text.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_h1:
            self.page.h1 += data
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self.page.h1 = re.sub(r"\s+", " ", self.page.h1.replace("¶", "")).strip()
        self.page.text = "".join(self._text)


def url_path_of(site: Path, html: Path) -> str:
    """Site-relative URL path of a built file (docs-style: fixes/restart/index.html -> fixes/restart/)."""
    rel = html.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


@cache
def load_pages(site: Path) -> dict[str, Page]:
    """Every built HTML page (404 and theme files excluded) keyed by its URL path."""
    pages: dict[str, Page] = {}
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if rel == "404.html" or rel.startswith("assets/"):
            continue
        page = Page(path=html, url_path=url_path_of(site, html))
        source = html.read_text(encoding="utf-8")
        parser = _PageParser(page)
        parser.feed(source)
        parser.close()
        match = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', source, re.S)
        page.main_html = match.group(1) if match else ""
        pages[page.url_path] = page
    return pages


def section_html(page: Page, heading_id: str) -> str:
    """The article HTML from the h2 with `heading_id` up to the next h2 (empty if absent)."""
    match = re.search(rf'<h2 id="{re.escape(heading_id)}".*?</h2>(.*?)(?=<h2 |$)', page.main_html, re.S)
    return match.group(1) if match else ""
