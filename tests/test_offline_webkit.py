"""Offline in WebKitGTK, the nearest engine to Safari on iPhone that runs here.

One online visit to the Find my fix page; then the server is stopped and the widget
page and a fix page load again from the service worker's copy. Driven through
tests/browsers/webkit.py (WebKitWebDriver and MiniBrowser on an Xvfb display of its own).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from serve import serve_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def webkit() -> Iterator:
    """A fresh WebKitGTK session (MiniBrowser in automation mode: its own, empty, website data)."""
    from browsers.webkit import WebKit

    browser = WebKit()
    yield browser
    browser.quit()


def test_widget_and_fix_page_load_in_webkit_after_the_server_stops(webkit, site_dir):
    """Assert one online visit is enough for WebKit: with the server gone, the widget's engine and a fix page load."""
    server = serve_in_thread(site_dir)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        webkit.get(base + "find-my-fix/")
        webkit.wait_for("['ready', 'failed', 'unsupported'].includes(document.documentElement.dataset.offline)", 120)
        assert webkit.evaluate("document.documentElement.dataset.offline") == "ready"
        assert webkit.text("#find-my-fix [data-offline-status]") == "Ready offline"
    finally:
        server.shutdown()
        server.server_close()

    webkit.get(base + "find-my-fix/")
    webkit.wait_for("['ready', 'failed'].includes(document.querySelector('#find-my-fix')?.dataset.engine)", 120)
    assert webkit.evaluate("document.querySelector('#find-my-fix').dataset.engine") == "ready"

    webkit.get(base + "fixes/restart/?h=restart")
    assert webkit.text("article h1").startswith("Restart your iPhone")
    assert webkit.proxy.requests == []
