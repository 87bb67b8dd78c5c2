"""Debian's Chromium driven by Playwright: the one launch recipe for the tests and the benchmarks.

Never a downloaded browser: `make browsers` installs Debian's `chromium` with apt-get.
The flags keep the browser from phoning home (component updates, sync, QUIC probes), so
every request a page makes is one the site asked for, and make it run in containers.
"""

from __future__ import annotations

import shutil
from typing import Any

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str:
    """Path of Debian's chromium; a clear error when it is not installed."""
    path = shutil.which("chromium")
    if path is None:
        raise RuntimeError("Debian's chromium is missing: `make browsers` installs it (apt-get install chromium)")
    return path


def launch(playwright: Any) -> Any:
    """Launch headless Debian Chromium from a `sync_playwright()` instance."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
