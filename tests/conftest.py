"""Shared fixtures: the built site, a local server for it, and Debian's Chromium via Playwright.

The site is built by `make test` before pytest starts (scripts/build.py); these
fixtures never rebuild it, they fail with a clear message when it is missing.
Browser fixtures drive Debian's `chromium` (never a downloaded browser) and
record every request that leaves 127.0.0.1, so any test can assert there were none.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
# Test support modules (tests/) and the build scripts (scripts/) are importable; the repository
# root is not, so `import diag` always finds the installed wheel, exactly as the browser does.
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]

from chromium import chromium_path, launch  # noqa: E402
from serve import serve_in_thread  # noqa: E402

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def load_articles() -> list[dict[str, object]]:
    """The article registry (diag/articles.toml): every page id, kind, path, title, anchors."""
    return tomllib.loads((ROOT / "diag" / "articles.toml").read_text(encoding="utf-8"))["article"]


def page_url_path(md_path: str) -> str:
    """Site-relative URL of a docs/ Markdown path with use_directory_urls (fixes/restart.md -> fixes/restart/)."""
    if md_path == "index.md":
        return ""
    if md_path.endswith("/index.md"):
        return md_path[: -len("index.md")]
    return md_path[: -len(".md")] + "/"


@pytest.fixture(scope="session")
def articles() -> list[dict[str, object]]:
    return load_articles()


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail("site/ is not built: run `make test` (or `make build`) first")
    return SITE


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """Base URL (with trailing slash) of the built site served on 127.0.0.1."""
    server = serve_in_thread(site_dir)
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/"
    server.shutdown()


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def chromium(playwright_instance):
    """Debian's Chromium driven by Playwright (the test command installs it with apt-get)."""
    try:
        chromium_path()
    except RuntimeError as error:
        pytest.fail(str(error))
    browser = launch(playwright_instance)
    yield browser
    browser.close()


@dataclass
class RequestLog:
    """Every URL a page asked for, and the ones that left 127.0.0.1."""

    urls: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def record(self, url: str) -> None:
        self.urls.append(url)
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about", "chrome-extension"}:
            return
        if parts.hostname not in LOCAL_HOSTS:
            self.foreign.append(url)


@pytest.fixture
def context(chromium):
    """A fresh browser context (own cache, storage and service workers) at phone width."""
    ctx = chromium.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1)
    yield ctx
    ctx.close()


@pytest.fixture
def requests_log(context) -> RequestLog:
    """Records every request of every page (and worker) in `context`.

    Foreign requests are also aborted, so a leak fails the test instead of hanging on the closed network.
    """
    return record_requests(context)


def record_requests(context) -> RequestLog:
    """Route every request of `context` through a new RequestLog, aborting the foreign ones."""
    log = RequestLog()

    def handle(route):
        log.record(route.request.url)
        if route.request.url in log.foreign:
            route.abort()
        else:
            route.continue_()

    context.route("**/*", handle)
    return log


@pytest.fixture
def page(context, requests_log):
    pg = context.new_page()
    yield pg
    pg.close()


def axe_violations(page) -> list[dict[str, object]]:
    """Run axe-core (bundled in axe-playwright-python, injected from local files) on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.response["violations"]


def describe_violations(violations: list[dict[str, object]]) -> str:
    """One readable line per axe violation and the first offending selector."""
    lines = []
    for v in violations:
        nodes = v.get("nodes", [])
        target = nodes[0]["target"] if nodes else "?"
        lines.append(f"{v['id']} ({v.get('impact')}): {v.get('help')} — e.g. {target}")
    return "\n".join(lines)


def complete_widget_session(page, site_url: str, answers: int = 3) -> str:
    """Drive Find my fix to the end: wait for the engine, answer up to `answers` questions
    (first choice each time), mark the first planned fix "This fixed it", and return the summary text.
    """
    root = page.locator("#find-my-fix")
    if "find-my-fix/" not in page.url:
        page.goto(site_url + "find-my-fix/")
    page.locator("#find-my-fix[data-engine=ready]").wait_for(state="attached", timeout=60_000)
    for answered in range(1, answers + 1):
        form = root.locator("form[data-diag-question]:not([hidden])")
        if form.count() == 0:
            break
        form.locator(".diag-radio__label").first.click()
        form.locator("button[type=submit]").click()
        page.locator(f"#find-my-fix[data-step='{answered}']").wait_for(state="attached", timeout=30_000)
    root.locator("button[data-outcome=fixed]").first.click()
    summary = root.locator("[data-diag-summary]")
    summary.wait_for(state="visible", timeout=30_000)
    return summary.inner_text()


@pytest.fixture
def widget_session():
    """`widget_session(page, site_url)` completes one Find my fix session and returns its summary text."""
    return complete_widget_session


@pytest.fixture(params=["webkit", "firefox"])
def browser(request):
    """A fresh WebKitGTK (MiniBrowser) or Firefox ESR session, each with empty website data.

    Both drivers (tests/browsers/) offer get, evaluate, wait_for, click and text, and say what
    tried to leave 127.0.0.1.
    """
    if request.param == "webkit":
        from browsers.webkit import WebKit

        driver = WebKit()
    else:
        from browsers.firefox import Firefox

        driver = Firefox()
    yield driver
    driver.quit()
