"""Benchmark of the guide itself: build time, page count, bytes a browser transfers per page."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from chromium import launch
from playwright.sync_api import sync_playwright
from serve import serve_in_thread

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"


def _time_build(args: list[str], runs: int = 3) -> float:
    """Median wall time of a command (seconds)."""
    times = []
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=ROOT, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def page_transfer(browser, url: str) -> tuple[int, int, int]:
    """(bytes over the wire, decoded bytes, request count) for a cold load of `url`.

    scripts/serve.py compresses as a static host (GitHub Pages) does, so the bytes over
    the wire are what a visitor downloads.
    """
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    encoded: dict[str, int] = {}
    decoded: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda e: encoded.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    cdp.on("Network.dataReceived", lambda e: decoded.__setitem__(
        e["requestId"], decoded.get(e["requestId"], 0) + int(e["dataLength"])))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)
    context.close()
    return sum(encoded.values()), sum(decoded.values()), len(encoded)


def run() -> list[tuple[str, list[str], list[list[str]]]]:
    """Build times, page count and per-page transfer sizes."""

    with tempfile.TemporaryDirectory() as tmp:
        mkdocs_s = _time_build([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", f"{tmp}/m"])
        full_s = _time_build([sys.executable, "scripts/build.py", "--site-dir", f"{tmp}/full"], runs=1)
    pages = [p for p in SITE.rglob("index.html") if not p.relative_to(SITE).as_posix().startswith("assets/")]
    fix_pages = sorted((SITE / "fixes").glob("*/index.html"))
    build_rows = [
        ["mkdocs build --strict (median of 3)", f"{mkdocs_s:.2f} s"],
        ["full pipeline scripts/build.py", f"{full_s:.2f} s"],
        ["HTML pages", str(len(pages))],
        ["fix pages", str(len(fix_pages))],
        ["site size on disk", f"{sum(f.stat().st_size for f in SITE.rglob('*') if f.is_file()) / 1e6:.1f} MB"],
    ]

    server = serve_in_thread(SITE)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    with sync_playwright() as p:
        browser = launch(p)
        home = page_transfer(browser, base)
        rows.append(["home page", f"{home[0] / 1024:.0f} KiB", f"{home[1] / 1024:.0f} KiB", str(home[2])])
        fixes = [page_transfer(browser, base + p.parent.relative_to(SITE).as_posix() + "/") for p in fix_pages]
        mean = [statistics.mean(v[i] for v in fixes) for i in range(3)]
        rows.append([f"fix page (mean of {len(fixes)})", f"{mean[0] / 1024:.0f} KiB", f"{mean[1] / 1024:.0f} KiB",
                     f"{mean[2]:.0f}"])
        browser.close()
    server.shutdown()
    return [
        ("Site build", ["measure", "value"], build_rows),
        ("Bytes transferred, cold load, no cache (Chromium)",
         ["page", "transferred (gzip)", "decoded", "requests"], rows),
    ]
