"""The Content-Security-Policy: one <meta> per page, the site's own origin only, scripts by hash.

The build (scripts/offline.mjs) writes the policy into every page with the sha256
of each inline script that page carries. Measured with Debian's Chromium: Pyodide
needs 'wasm-unsafe-eval' (it compiles WebAssembly) and never 'unsafe-eval'; the
engine's module worker gets no policy from the page, so the page's policy is what
guards the pages.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

OFFLINE = Path(__file__).resolve().parent.parent / "scripts" / "offline.mjs"
JS_TYPES = {"", "module", "text/javascript", "application/javascript"}
ARTICLES = ("", "fixes/restart/", "symptoms/green-bubbles/", "use-offline/", "glossary/")

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} in ${where}`);
});
"""


class _Scripts(HTMLParser):
    """Collects the policy and every inline script (body and type) of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.policies: list[str] = []
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self.first_script_at: int | None = None
        self.policy_at: int | None = None
        self._in_script: str | None = None
        self._tags = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tags += 1
        values = {k: v or "" for k, v in attrs}
        self.handlers += [f"<{tag} {k}>" for k in values if k.startswith("on")]
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.policies.append(values["content"])
            self.policy_at = self._tags
        if tag == "script":
            if self.first_script_at is None:
                self.first_script_at = self._tags
            executable = "src" not in values and values.get("type", "").lower() in JS_TYPES
            self._in_script = "" if executable else None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._in_script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            self.inline.append(self._in_script)
            self._in_script = None


def read_page(path: Path) -> _Scripts:
    parser = _Scripts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def sha256_source(script: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture(scope="module")
def pages(site_dir: Path) -> dict[str, _Scripts]:
    found = {p.relative_to(site_dir).as_posix(): read_page(p) for p in sorted(site_dir.rglob("*.html"))}
    assert len(found) > 20
    return found


# --- The policy as written ------------------------------------------------------------------


def test_every_page_has_exactly_one_policy_before_its_first_script(pages):
    for name, page in pages.items():
        assert len(page.policies) == 1, name
        assert page.policy_at < page.first_script_at, name


def test_script_src_lists_exactly_the_hashes_of_the_page_inline_scripts(pages):
    for name, page in pages.items():
        expected = {sha256_source(s) for s in page.inline}
        hashes = {v for v in directives(page.policies[0])["script-src"] if v.startswith("'sha256-")}
        assert hashes == expected, name


def test_scripts_come_only_from_the_site_itself_or_by_hash(pages):
    for name, page in pages.items():
        sources = directives(page.policies[0])["script-src"]
        others = [s for s in sources if not s.startswith("'sha256-")]
        assert others == ["'self'", "'wasm-unsafe-eval'"], name


def test_every_fetch_is_limited_to_the_site_itself(pages):
    policy = directives(next(iter(pages.values())).policies[0])
    assert policy["default-src"] == ["'self'"]
    for name in ("connect-src", "worker-src", "font-src", "manifest-src"):
        assert policy[name] == ["'self'"], name
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert not [v for values in policy.values() for v in values if "://" in v or v in {"*", "https:", "http:"}]


def test_only_styles_may_be_inline(pages):
    for page in pages.values():
        policy = directives(page.policies[0])
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "'unsafe-eval'" not in policy["script-src"]


def test_no_page_has_an_inline_event_handler(pages):
    assert {name: page.handlers for name, page in pages.items() if page.handlers} == {}


def test_policy_has_no_directive_a_meta_tag_ignores(pages):
    policy = directives(next(iter(pages.values())).policies[0])
    assert not {"frame-ancestors", "report-uri", "report-to", "sandbox"} & set(policy)


# --- The policy in a browser ------------------------------------------------------------------


@pytest.fixture
def watched_page(context, requests_log):
    """A page whose CSP violations (and console reports of them) are recorded."""
    context.add_init_script(COLLECT_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.console_reports = console
    yield page
    page.close()


def violations(page) -> list[str]:
    return [*page.evaluate("window.__cspViolations"), *page.console_reports]


@pytest.mark.browser
@pytest.mark.slow
def test_a_full_session_raises_no_csp_violation(watched_page, site_url, widget_session, requests_log):
    page = watched_page
    for path in ARTICLES:
        page.goto(site_url + path)
        page.locator("html[data-offline=ready]").wait_for(state="attached", timeout=60_000)
        assert violations(page) == [], path
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("activation", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state()
    assert violations(page) == [], "search"
    summary = widget_session(page, site_url)
    assert "Fixed" in summary
    assert violations(page) == [], "find my fix"
    assert requests_log.foreign == []


@pytest.mark.browser
def test_the_policy_blocks_a_script_it_does_not_list(watched_page, site_url):
    page = watched_page
    page.goto(site_url + "fixes/restart/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injected = true";
          document.head.append(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__injected === undefined")
    assert any("script-src" in v for v in page.evaluate("window.__cspViolations"))


@pytest.mark.slow
def test_rebuilding_after_an_inline_script_changes_updates_its_hash(site_dir, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    page = copy / "index.html"
    old = read_page(page).inline[0]
    page.write_text(page.read_text(encoding="utf-8").replace(old, old + ";", 1), encoding="utf-8")
    result = subprocess.run(["node", str(OFFLINE), str(copy)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    rebuilt = read_page(page)
    assert rebuilt.inline[0] == old + ";"
    assert sha256_source(old + ";") in directives(rebuilt.policies[0])["script-src"]
    assert sha256_source(old) not in directives(rebuilt.policies[0])["script-src"]
