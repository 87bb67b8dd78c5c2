"""The built guide: registry titles and anchors, sources, fix and symptom page shape, links, no seed text."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from built_pages import load_pages, section_html
from conftest import ROOT, load_articles, page_url_path

ARTICLES = load_articles()
FIXES = [a for a in ARTICLES if a["kind"] == "fix"]
SYMPTOMS = [a for a in ARTICLES if a["kind"] == "symptom"]
# The seed post lives beside the repository (../shared/seed), outside it; a clone elsewhere finds it
# through DELIVERED_SEED_DIR or the team machine's /work/shared.
SEED_DIR = next(
    (
        path
        for path in (
            Path(os.environ.get("DELIVERED_SEED_DIR", ROOT.parent / "shared" / "seed")),
            ROOT.parent / "shared" / "seed",
            Path("/work/shared/seed"),
        )
        if path.is_dir()
    ),
    ROOT.parent / "shared" / "seed",
)
SITE = ROOT / "site"


def built(article: dict[str, object]):
    pages = load_pages(SITE)
    url = page_url_path(str(article["path"]))
    assert url in pages, f"{article['path']} was not built"
    return pages[url]


def normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def seed_sentences() -> list[str]:
    """Sentences of eight words or more from the seed post (front matter, markup and links stripped)."""
    sentences: list[str] = []
    for path in sorted(SEED_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\A---.*?---", " ", text, flags=re.S)
        text = re.sub(r"<[^>]+>|!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)", r" \1 ", text)
        text = re.sub(r"[*_#>`]", " ", text)
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            words = sentence.split()
            if len(words) >= 8:
                sentences.append(normalise(sentence))
    return sentences


@pytest.fixture(scope="module", autouse=True)
def _site_is_built(site_dir):
    return site_dir


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a["id"])
def test_page_heading_equals_its_registry_title(article):
    """Assert each page's first heading is exactly the title in diag/articles.toml."""
    assert built(article).h1 == article["title"]


@pytest.mark.parametrize(
    ("article", "anchor"),
    [(a, anchor) for a in ARTICLES for anchor in a.get("anchors", [])],
    ids=lambda v: v if isinstance(v, str) else v["id"],
)
def test_registered_anchor_exists(article, anchor):
    """Assert every anchor the registry promises (other features link to it) exists on its page."""
    assert anchor in built(article).ids


@pytest.mark.parametrize("article", [a for a in ARTICLES if a["kind"] not in {"home", "tool"} and a["id"] != "tags"],
                         ids=lambda a: a["id"])
def test_page_ends_with_a_list_of_sources(article):
    """Assert every article has a Sources section listing at least one source."""
    page = built(article)
    assert "sources" in page.h2_ids
    assert "<li" in section_html(page, "sources")


@pytest.mark.parametrize("article", FIXES, ids=lambda a: a["id"])
def test_fix_page_has_numbered_steps(article):
    """Assert each fix page has a Steps section with a numbered list."""
    assert "<ol" in section_html(built(article), "steps")


@pytest.mark.parametrize("article", FIXES, ids=lambda a: a["id"])
def test_fix_page_states_its_risk(article):
    """Assert each fix page has a Risks section with a sentence in it."""
    risks = re.sub(r"<[^>]+>", " ", section_html(built(article), "risks"))
    assert len(risks.split()) >= 4


@pytest.mark.parametrize("article", FIXES, ids=lambda a: a["id"])
def test_fix_page_states_how_long_it_takes(article):
    """Assert each fix page shows the time it takes (the facts box generated from the knowledge model)."""
    html = built(article).main_html
    facts = re.search(r'<(?:div|dl|aside)[^>]*class="[^"]*dlv-facts[^"]*".*?</(?:div|dl|aside)>', html, re.S)
    assert facts, "no facts box"
    assert re.search(r"\d+\s*(?:min|minute|minutes|hour|hours)\b", re.sub(r"<[^>]+>", " ", facts.group(0)))


@pytest.mark.parametrize("article", FIXES, ids=lambda a: a["id"])
def test_fix_page_says_who_does_it(article):
    """Assert each fix page's facts box names who takes the step (you, the other person, carrier, Apple)."""
    facts = re.search(r'<dl class="dlv-facts">.*?</dl>', built(article).main_html, re.S)
    assert facts, "no facts box"
    assert "<dt>Who</dt>" in facts.group(0)


@pytest.mark.parametrize("article", SYMPTOMS, ids=lambda a: a["id"])
def test_symptom_page_links_to_a_fix_page(article):
    """Assert each symptom page sends the reader to at least one fix page."""
    page = built(article)
    fix_urls = {page_url_path(str(a["path"])) for a in FIXES}
    targets = {urlsplit(urljoin("/" + page.url_path, href)).path.lstrip("/") for href in page.links}
    assert targets & fix_urls


def test_last_resorts_are_marked_as_such():
    """Assert the drastic steps carry a visible "Last resort" marking."""
    for article_id in ("reset-network-settings", "reset-all-settings", "erase-iphone"):
        article = next(a for a in ARTICLES if a["id"] == article_id)
        assert "last resort" in built(article).text.lower(), article_id


def test_every_internal_link_and_anchor_resolves(site_dir):
    """Assert every same-site link in every built page points to an existing file and heading."""
    pages = load_pages(site_dir)
    broken: list[str] = []
    for page in pages.values():
        base = "http://site.invalid/" + page.url_path
        for href in page.links:
            parts = urlsplit(urljoin(base, href))
            if parts.netloc != "site.invalid":
                continue
            path = unquote(parts.path).lstrip("/")
            target = site_dir / path
            if target.is_dir() or path == "" or path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.url_path}: {href}")
                continue
            # A fragment like `#symptom=...` is widget state, not a heading anchor.
            if parts.fragment and "=" not in parts.fragment and target.suffix == ".html":
                target_url = path if not path.endswith("index.html") else path[: -len("index.html")]
                target_page = pages.get(target_url.rstrip("/") + "/" if target_url else "")
                if target_page is None:
                    target_page = pages.get(target_url)
                if target_page is not None and unquote(parts.fragment) not in target_page.ids:
                    broken.append(f"{page.url_path}: {href} (no such anchor)")
    assert broken == []


def test_no_page_fetches_anything_from_another_origin(site_dir):
    """Assert no script, style, image, font, frame or media in any page points outside the site."""
    offenders = []
    for page in load_pages(site_dir).values():
        for tag, url in page.resources:
            for candidate in url.split(","):
                target = candidate.strip().split(" ")[0]
                if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", target, re.I) and not target.startswith("data:"):
                    offenders.append(f"{page.url_path}: <{tag}> {target}")
    assert offenders == []


def test_no_stylesheet_imports_fonts_or_images_from_another_origin(site_dir):
    """Assert no built CSS file loads a font or image (url()/@import) from another origin."""
    offenders = []
    for css in site_dir.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"(?:url\(\s*['\"]?|@import\s+['\"])((?:https?:)?//[^'\")\s]+)", text):
            offenders.append(f"{css.relative_to(site_dir)}: {match.group(1)}")
    assert offenders == []


def test_no_page_has_iframes_ads_or_analytics(site_dir):
    """Assert no built page embeds frames or carries ad, affiliate or analytics code."""
    pattern = re.compile(r"<iframe|adsbygoogle|googletagmanager|google-analytics|gtag\(|affiliate", re.I)
    offenders = [str(p.relative_to(site_dir)) for p in site_dir.rglob("*.html") if pattern.search(p.read_text())]
    assert offenders == []


def test_no_seed_sentence_appears_in_the_guide(site_dir):
    """Assert no sentence of eight words or more from the old blog post appears in any page."""
    sentences = seed_sentences()
    assert len(sentences) > 50  # the seed really was read
    texts = {url: normalise(page.text) for url, page in load_pages(site_dir).items()}
    copied = [(url, s) for s in sentences for url, text in texts.items() if s in text]
    assert copied == []


def test_seed_sentence_detection_catches_a_copied_sentence():
    """Assert the seed check is not vacuous: a real seed sentence is found in text that contains it."""
    sentence = seed_sentences()[3]
    assert sentence in normalise(f"Intro. {sentence} Outro.")
