"""Offline in WebKitGTK (the nearest engine to Safari on iPhone that runs here) and Firefox ESR.

One online visit to the Find my fix page; then the server is stopped and the widget page,
with its engine, and a fix page reached with a search-highlight query load again from the
service worker's copy. Chromium's offline tests are in test_offline_browser.py.
"""

from __future__ import annotations

import pytest
from serve import serve_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OFFLINE_SETTLED = "['ready', 'failed', 'unsupported'].includes(document.documentElement.dataset.offline)"
ENGINE_SETTLED = "['ready', 'failed'].includes(document.querySelector('#find-my-fix')?.dataset.engine)"


def test_widget_and_fix_page_load_after_the_server_stops(browser, site_dir):
    """Assert one online visit is enough: with the server gone, the widget's engine and a fix page load."""
    server = serve_in_thread(site_dir)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        browser.get(base + "find-my-fix/")
        browser.wait_for(OFFLINE_SETTLED, 120)
        assert browser.evaluate("document.documentElement.dataset.offline") == "ready"
        assert browser.text("#find-my-fix [data-offline-status]") == "Ready offline"
    finally:
        server.shutdown()
        server.server_close()

    browser.get(base + "find-my-fix/")
    browser.wait_for(ENGINE_SETTLED, 120)
    assert browser.evaluate("document.querySelector('#find-my-fix').dataset.engine") == "ready"

    browser.get(base + "fixes/restart/?h=restart")
    assert browser.text("article h1").startswith("Restart your iPhone")
    assert browser.foreign_requests == []
