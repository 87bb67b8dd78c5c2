"""A new deployment replaces the offline copy whole, and only when the reader chooses to reload.

Version A is the built site; version B is a copy of it with one page changed and
the offline stage re-run (`node scripts/offline.mjs`), exactly what a redeploy of
a one-page edit produces. Both are served in turn on the same port, so the browser
sees one origin whose files changed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from serve import serve_in_thread  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHANGED = "fixes/restart/index.html"
MARKER = '<p id="version-b">Changed in version B.</p>'

CACHED_KEYS = """async () => {
  const keys = [];
  for (const name of await caches.keys())
    for (const request of await (await caches.open(name)).keys()) keys.push(request.url);
  return keys.sort();
}"""


def precache_keys(site: Path, base: str) -> list[str]:
    """The Cache Storage keys a build's service worker stores: URL, plus its revision when it has one."""
    entries = re.findall(r'\{url:"([^"]+)",revision:(?:"([0-9a-f]+)"|null)\}', (site / "sw.js").read_text())
    return sorted(base + url + (f"?__WB_REVISION__={rev}" if rev else "") for url, rev in entries)


@pytest.fixture(scope="module")
def version_b(site_dir, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("version-b") / "site"
    shutil.copytree(site_dir, site)
    page = site / CHANGED
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "</h1>\n" + MARKER, 1), encoding="utf-8")
    subprocess.run(["node", str(ROOT / "scripts" / "offline.mjs"), str(site)], check=True, capture_output=True)
    return site


class Host:
    """Serves one directory at a time on a fixed port: a deployment, then the next one."""

    def __init__(self) -> None:
        self.server = None
        self.port = 0

    def deploy(self, directory: Path) -> str:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        self.server = serve_in_thread(directory, port=self.port)
        self.port = self.server.server_address[1]
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def host() -> Iterator[Host]:
    serving = Host()
    yield serving
    serving.stop()


def wait_until(check, timeout: float = 20.0):
    """Poll `check()` until it returns something truthy; fail with its last value after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


@pytest.fixture
def updated_page(page, host, site_dir, version_b):
    """Version A visited until "Ready offline", version B deployed, and the page reloaded once."""
    base = host.deploy(site_dir)
    page.goto(base + "fixes/restart/")
    page.locator("html[data-offline=ready]").wait_for(state="attached", timeout=60_000)
    host.deploy(version_b)
    page.reload()
    return page, base


def test_after_a_deployment_the_page_offers_a_new_version(updated_page):
    page, _ = updated_page
    bar = page.locator(".dlv-update")
    bar.wait_for(timeout=30_000)
    assert bar.inner_text().strip() == "A new version is ready — reload"
    assert bar.get_attribute("role") == "status"


def test_until_the_reader_reloads_the_old_version_is_served_whole(updated_page, site_dir):
    page, base = updated_page
    page.locator(".dlv-update").wait_for(timeout=30_000)
    assert page.locator("#version-b").count() == 0
    assert set(precache_keys(site_dir, base)) <= set(page.evaluate(CACHED_KEYS))


def test_reload_serves_version_b_with_nothing_left_of_version_a(updated_page, version_b):
    page, base = updated_page
    page.locator(".dlv-update button").click(timeout=30_000)
    page.locator("#version-b").wait_for(state="attached", timeout=30_000)
    expected = precache_keys(version_b, base)
    assert wait_until(lambda: page.evaluate(CACHED_KEYS) == expected), "caches still hold files of version A"
    assert page.locator(".dlv-update").count() == 0
    assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.waiting === null)")


def test_widget_works_offline_after_the_update(updated_page, context, widget_session):
    page, base = updated_page
    page.locator(".dlv-update button").click(timeout=30_000)
    page.locator("#version-b").wait_for(state="attached", timeout=30_000)
    context.set_offline(True)
    assert "Fixed" in widget_session(page, base)
