"""Loading the engine (engine-client.js + diag-worker.js) in Debian's Chromium, on slow and broken links.

The page's own engine is reached through the module the page loaded (engine-boot.js), so
these tests watch exactly what the widget consumes: `onProgress` reports, `ready`, and the
`EngineError` kinds. No fixed time-out: loading fails only when nothing arrives for a while.
"""

from __future__ import annotations

import itertools
import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.pyodide]

WIDGET = "#find-my-fix"
SLOW_LINK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
"""1.6 Mbps down, 150 ms latency (a weak mobile link), as CDP Network.emulateNetworkConditions takes it."""

WATCH_PROGRESS = """async () => {
  const boot = await import(new URL("../assets/javascripts/engine-boot.js", location.href).href);
  window.__progress = [];
  window.__failure = null;
  boot.engine.onProgress((p) => window.__progress.push({...p, at: performance.now()}));
  boot.engine.ready.catch((error) => {
    window.__failure = {kind: error.kind, message: error.message, name: error.name};
  });
}"""
"""Subscribe to the page's own engine (the same module instance the widget got)."""


@pytest.fixture
def context(chromium):
    """A fresh phone-width context with service workers blocked: only what the page itself loads."""
    ctx = chromium.new_context(viewport={"width": 375, "height": 812}, service_workers="block")
    yield ctx
    ctx.close()


def open_and_watch(context, site_url: str, *, throttle: bool = False, clock: bool = False):
    page = context.new_page()
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    if clock:
        page.clock.install()
    page.goto(f"{site_url}find-my-fix/")
    page.evaluate(WATCH_PROGRESS)
    return page


def wait_engine(page, state: str, timeout_ms: int = 60_000) -> None:
    page.wait_for_selector(f'{WIDGET}[data-engine="{state}"]', timeout=timeout_ms)


def manifest(site_dir) -> dict:
    return json.loads((site_dir / "assets" / "diag" / "manifest.json").read_text())


@pytest.fixture(scope="module")
def slow_load(chromium, site_url):
    """One load of the widget page at 1.6 Mbps / 150 ms: (progress reports, failure or None, foreign requests)."""
    from conftest import record_requests

    ctx = chromium.new_context(viewport={"width": 375, "height": 812}, service_workers="block")
    log = record_requests(ctx)
    page = open_and_watch(ctx, site_url, throttle=True)
    wait_engine(page, "ready", timeout_ms=180_000)
    result = (page.evaluate("window.__progress"), page.evaluate("window.__failure"), log.foreign)
    ctx.close()
    return result


def test_on_a_slow_link_the_engine_keeps_loading_until_ready(slow_load):
    """Assert at 1.6 Mbps / 150 ms the engine reaches ready with no failure, though the download alone takes > 15 s."""
    progress, failure, foreign = slow_load
    downloading = [p for p in progress if p["stage"] == "download"]
    assert downloading[-1]["at"] - downloading[0]["at"] > 15_000  # the link really was slow
    assert progress[-1]["stage"] == "ready"
    assert failure is None
    assert foreign == []


def test_progress_counts_bytes_up_to_the_engines_size_over_the_wire(slow_load, site_dir):
    """Assert progress reports rise monotonically to a total equal to the engine's bytes over the wire, then ready."""
    progress, _, _ = slow_load
    loaded = [p["loaded"] for p in progress]
    assert loaded == sorted(loaded)
    assert len([p for p in progress if p["stage"] == "download"]) >= 10
    total = progress[-1]["total"]
    assert abs(total - sum(manifest(site_dir)["wire"].values())) < 2048  # real Content-Lengths, gzip -6 either way
    assert progress[-1] == {**progress[-1], "stage": "ready", "loaded": total}
    assert [p["stage"] for p in progress].index("start") > 0


def test_progress_is_reported_at_most_about_four_times_a_second(slow_load):
    """Assert the download's progress reports are spaced ≥ ~250 ms apart (stage changes aside)."""
    downloading = [p["at"] for p in slow_load[0] if p["stage"] == "download"]
    gaps = [b - a for a, b in itertools.pairwise(downloading)]
    close = [g for g in gaps if g < 200]
    assert len(close) <= 6, gaps  # one forced report per finished file is allowed


def test_a_download_that_stops_fails_as_stalled_in_plain_words(context, site_url, requests_log):
    """Assert a download that never delivers fails with kind "stalled" once nothing has arrived for 20 s, not before."""
    context.route("**/*.wasm", lambda route: requests_log.record(route.request.url))  # never answered
    page = open_and_watch(context, site_url, clock=True)
    page.wait_for_timeout(1500)
    page.clock.run_for(15_000)
    assert page.locator(WIDGET).get_attribute("data-engine") == "loading"
    page.clock.run_for(10_000)
    wait_engine(page, "failed")
    failure = page.evaluate("window.__failure")
    assert failure["kind"] == "stalled"
    assert failure["name"] == "EngineError"
    assert "nothing arrived for 20 seconds" in failure["message"]
    assert "browser" not in failure["message"]


def test_an_engine_file_that_cannot_be_downloaded_fails_as_failed(context, site_url, requests_log):
    """Assert a refused runtime download fails at once with kind "failed" and names what could not be downloaded."""
    context.route("**/*.wasm", lambda route: (requests_log.record(route.request.url), route.abort()))
    page = open_and_watch(context, site_url)
    wait_engine(page, "failed")
    failure = page.evaluate("window.__failure")
    assert failure["kind"] == "failed"
    assert "pyodide.asm.wasm" in failure["message"]
    assert "browser" not in failure["message"]


def test_without_web_workers_the_engine_fails_as_unsupported(context, site_url, requests_log):
    """Assert a page with no Worker constructor fails with kind "unsupported", not blaming "this browser"."""
    context.add_init_script("delete window.Worker")
    page = open_and_watch(context, site_url)
    wait_engine(page, "failed")
    failure = page.evaluate("window.__failure")
    assert failure["kind"] == "unsupported"
    assert "browser" not in failure["message"]


def test_retry_starts_again_and_reaches_ready(context, site_url, requests_log):
    """Assert after a failed load, retry() starts a fresh engine that loads and answers a request."""
    context.route("**/*.wasm", lambda route: route.abort())
    page = open_and_watch(context, site_url)
    wait_engine(page, "failed")
    context.unroute("**/*.wasm")
    reply = page.evaluate(
        """async () => {
          const boot = await import(new URL("../assets/javascripts/engine-boot.js", location.href).href);
          const again = boot.engine.retry();
          await again.ready;
          return again.request("next", {events: []});
        }"""
    )
    assert reply["ask"]["id"]
    assert requests_log.foreign == []


def test_the_worker_starts_from_the_head_before_the_boot_module_arrives_and_only_once(context, site_url, requests_log):
    """Assert the head's inline script starts the one engine worker before engine-boot.js has even downloaded."""
    page = open_and_watch(context, site_url)
    wait_engine(page, "ready")
    started, boot_arrived = page.evaluate(
        """() => [
          performance.getEntriesByName("diag:engine-ready")[0].detail.workerStartedAt,
          performance.getEntriesByType("resource").find((e) => e.name.endsWith("/engine-boot.js")).responseEnd,
        ]"""
    )
    assert started < boot_arrived
    workers = [u for u in requests_log.urls if u.endswith("/diag-worker.js")]
    assert workers == [f"{site_url}assets/javascripts/diag-worker.js"]
    assert page.evaluate("window.__diagEarlyWorker === undefined")  # adopted by engine-client.js
