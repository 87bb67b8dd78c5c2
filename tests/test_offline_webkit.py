"""Offline in WebKitGTK, the nearest engine to Safari on iPhone that runs here.

One online visit to the Find my fix page; then the server is stopped and the widget
page and a fix page load again from the service worker's copy. Driven by Selenium's
WebKitGTK driver (Debian's WebKitWebDriver and MiniBrowser) on an Xvfb display the
test starts itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from serve import serve_in_thread  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    # Selenium 4.50's own WebKitGTK driver still calls its deprecated RemoteConnection argument.
    pytest.mark.filterwarnings("ignore:setting remote_server_addr:DeprecationWarning"),
]

WEBDRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """An X display for MiniBrowser: the one already set, or an Xvfb started for these tests."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.fail("Xvfb is missing: `make test` installs it (apt-get install xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.fail("Xvfb did not start")
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def webkit(display):
    """A fresh WebKitGTK session (MiniBrowser in automation mode: its own, empty, website data)."""
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.options import Options
    from selenium.webdriver.webkitgtk.service import Service

    for binary in (WEBDRIVER, MINIBROWSER):
        if not Path(binary).exists():
            pytest.fail(f"{binary} is missing: `make test` installs webkit2gtk-driver")
    options = Options()
    options.binary_location = MINIBROWSER
    options.add_argument("--automation")
    service = Service(executable_path=WEBDRIVER, env={**os.environ, "DISPLAY": display})
    driver = webdriver.WebKitGTK(options=options, service=service)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def wait_for(driver, condition, timeout: float = 120.0):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.25).until(condition)


def attribute(driver, css: str, name: str) -> str | None:
    from selenium.common.exceptions import NoSuchElementException
    from selenium.webdriver.common.by import By

    try:
        return driver.find_element(By.CSS_SELECTOR, css).get_attribute(name)
    except NoSuchElementException:
        return None


def test_widget_and_fix_page_load_in_webkit_after_the_server_stops(webkit, site_dir):
    from selenium.webdriver.common.by import By

    server = serve_in_thread(site_dir)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        webkit.get(base + "find-my-fix/")
        state = wait_for(webkit, lambda d: attribute(d, "html", "data-offline") in {"ready", "failed", "unsupported"})
        assert state
        assert attribute(webkit, "html", "data-offline") == "ready"
        assert webkit.find_element(By.CSS_SELECTOR, "#find-my-fix [data-offline-status]").text == "Ready offline"
    finally:
        server.shutdown()
        server.server_close()

    webkit.get(base + "find-my-fix/")
    wait_for(webkit, lambda d: attribute(d, "#find-my-fix", "data-engine") in {"ready", "failed"})
    assert attribute(webkit, "#find-my-fix", "data-engine") == "ready"

    webkit.get(base + "fixes/restart/?h=restart")
    assert webkit.find_element(By.CSS_SELECTOR, "article h1").text.startswith("Restart your iPhone")
