"""Offline benchmark: what the service worker stores, and how fast the guide is ready from it.

`run()` returns three tables (scripts/bench.py prints them):
  1. the precache of the built site/ by part: files, bytes, gzip bytes;
  2. first visit (empty browser) to "Ready offline", in Debian's Chromium, and the bytes it took;
  3. warm and offline: the Find my fix page to data-engine="ready", against a bare
     Pyodide load from the same cache in the same run (goal: ≤ 1.1 × the bare load).

The bare load runs in a copy of site/ with scripts/bare_pyodide.py's page added (a
module worker that only imports and starts Pyodide from the vendored runtime); the
offline stage is re-run on the copy so it is precached like everything else. Both
pages are timed from navigation start to their "ready" mark by the page's own clock.
"""

from __future__ import annotations

import gzip
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bare_pyodide import BARE_PAGE, add_bare_page  # noqa: E402
from chromium import launch  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from serve import serve_in_thread  # noqa: E402

Table = tuple[str, list[str], list[list[str]]]

FIRST_VISITS = 3
WARM_RUNS = 11
GOAL = 1.1
PARTS = (
    ("Pyodide runtime", r"^assets/pyodide/"),
    ("diag engine (wheel + manifest)", r"^assets/diag/"),
    ("Search index and worker", r"^search/|^assets/javascripts/(workers|lunr)/"),
    ("HTML pages", r"\.html$"),
    ("Theme and site scripts, styles", r"\.(js|mjs|css)$"),
    ("Icons, images, manifest, other", r""),
)

# Records, by the page's own clock, when the page reaches each state.
MARKS = """
window.__marks = {};
new MutationObserver(() => {
  const html = document.documentElement;
  const widget = document.getElementById("find-my-fix");
  if (html.dataset.offline === "ready") window.__marks.offline ??= performance.now();
  if (widget && widget.dataset.engine === "ready") window.__marks.engine ??= performance.now();
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-offline", "data-engine"] });
"""


def precached(site: Path) -> list[str]:
    """Site-relative URLs in the precache manifest of site/sw.js."""
    return re.findall(r'\{url:"([^"]+)",revision:', (site / "sw.js").read_text(encoding="utf-8"))


def precache_table(site: Path) -> Table:
    totals: dict[str, list[int]] = {name: [0, 0, 0] for name, _ in PARTS}
    for url in precached(site):
        data = (site / url).read_bytes()
        name = next(name for name, pattern in PARTS if re.search(pattern, url))
        total = totals[name]
        total[0] += 1
        total[1] += len(data)
        total[2] += len(gzip.compress(data, compresslevel=6))
    rows = [[name, str(n), mib(raw), mib(packed)] for name, (n, raw, packed) in totals.items() if n]
    files = sum(t[0] for t in totals.values())
    rows.append(["Total", str(files), mib(sum(t[1] for t in totals.values())), mib(sum(t[2] for t in totals.values()))])
    return ("Offline precache (site/sw.js)", ["part", "files", "size", "gzip -6"], rows)


def mib(size: float) -> str:
    return f"{size / 1024 / 1024:.2f} MiB"


def seconds(ms: float) -> str:
    return f"{ms / 1000:.2f} s"


SPREAD = (statistics.median, min, max)


def spread(values: list[float]) -> list[str]:
    """Median, fastest and slowest of `values` (ms), in seconds."""
    return [seconds(f(values)) for f in SPREAD]


def bench_copy(site: Path, into: Path) -> Path:
    """A copy of `site` with the bare-load page added and precached."""
    copy = into / "site"
    shutil.copytree(site, copy)
    add_bare_page(copy)
    subprocess.run(["node", str(ROOT / "scripts" / "offline.mjs"), str(copy)], check=True, capture_output=True)
    return copy


def visit_until_ready(context, base: str):
    """Open the widget page in `context` and wait until it is stored offline and its engine is ready."""
    page = context.new_page()
    page.goto(base + "find-my-fix/")
    page.locator("#find-my-fix [data-offline-state=ready]").wait_for(timeout=120_000)
    page.locator("#find-my-fix[data-engine=ready]").wait_for(state="attached", timeout=120_000)
    return page


def first_visit(browser, server) -> tuple[float, float, int]:
    """(time to "Ready offline" in ms, time to engine ready in ms, bytes the server sent) on a
    first visit to the widget page in an empty browser."""
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        context.add_init_script(MARKS)
        sent_before = server.bytes_sent
        marks = visit_until_ready(context, base).evaluate("window.__marks")
        return marks["offline"], marks["engine"], server.bytes_sent - sent_before
    finally:
        context.close()


# The engine's own load stages, on the page's clock (engine-client.js marks them when ready).
ENGINE_STAGES = """() => {
  const mark = performance.getEntriesByName("diag:engine-ready")[0];
  return { worker: mark.detail.workerStartedAt, ...mark.detail.stages };
}"""


def warm_offline_ms(browser, base: str) -> tuple[list[float], list[float], list[dict[str, float]]]:
    """Offline, from the service worker's cache, per run in ms: (widget engine ready,
    bare Pyodide ready, the engine's load stages)."""
    context = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        context.add_init_script(MARKS)
        page = visit_until_ready(context, base)
        context.set_offline(True)
        widget, bare, stages = [], [], []
        for _ in range(WARM_RUNS):
            page.goto(base + BARE_PAGE)
            page.locator("html[data-bare=ready]").wait_for(state="attached", timeout=120_000)
            bare.append(float(page.locator("html").get_attribute("data-bare-ms")))
            page.goto(base + "find-my-fix/")
            page.locator("#find-my-fix[data-engine=ready]").wait_for(state="attached", timeout=120_000)
            widget.append(page.evaluate("window.__marks.engine"))
            stages.append(page.evaluate(ENGINE_STAGES))
        return widget, bare, stages
    finally:
        context.close()


def run() -> list[Table]:
    """Measure and return the offline tables (the built site/ must exist: `make build`)."""
    site = ROOT / "site"
    if not (site / "sw.js").is_file():
        raise SystemExit("site/sw.js is missing: run `make build` first")
    tables = [precache_table(site)]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        copy = bench_copy(site, Path(tmp))
        server = serve_in_thread(copy)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        browser = launch(playwright)
        try:
            visits = [first_visit(browser, server) for _ in range(FIRST_VISITS)]
            widget, bare, stages = warm_offline_ms(browser, base)
        finally:
            browser.close()
            server.shutdown()
            server.server_close()
    offline = [v[0] for v in visits]
    engine = [v[1] for v in visits]
    sent = [v[2] for v in visits]
    tables.append(
        (
            f"First visit, online from 127.0.0.1 (Chromium, median of {FIRST_VISITS}, empty browser each time)",
            ["measure", "median", "min", "max"],
            [
                ['"Ready offline" (every file stored)', *spread(offline)],
                ['Engine ready (data-engine="ready")', *spread(engine)],
                ["Transferred (response bodies, gzip where sent)", *(mib(f(sent)) for f in SPREAD)],
            ],
        )
    )
    # Each run loads the bare page and then the widget page back to back, so the ratio is taken
    # per pair: a pair shares the machine's momentary speed, which drifts on shared machines.
    ratios = [w / b for w, b in zip(widget, bare, strict=True)]
    ratio = statistics.median(ratios)
    of_medians = statistics.median(widget) / statistics.median(bare)
    verdict = "met" if ratio <= GOAL else "NOT met"
    tables.append(
        (
            f"Warm and offline, from the service worker (Chromium, median of {WARM_RUNS}, navigation start to ready)",
            ["measure", "median", "min", "max"],
            [
                ["Bare Pyodide load (module worker)", *spread(bare)],
                ['Find my fix, data-engine="ready"', *spread(widget)],
                ["  the page starts the engine worker", *spread([s["worker"] for s in stages])],
                ["  Pyodide runtime loaded in the worker", *spread([s["runtime"] for s in stages])],
                ["  diag installed and imported", *spread([s["imported"] for s in stages])],
                ["  knowledge loaded, catalog sent", *spread([s["catalog"] for s in stages])],
                [
                    f"Ratio widget / bare, per back-to-back pair (goal ≤ 1.10): {verdict}",
                    *(f"{f(ratios):.2f}" for f in SPREAD),
                ],
                ["Ratio of the two medians above (for reference)", f"{of_medians:.2f}", "", ""],
            ],
        )
    )
    return tables


if __name__ == "__main__":
    for title, headers, rows in run():
        print(f"### {title}\n")
        print("| " + " | ".join(headers) + " |")
        print("|" + "---|" * len(headers))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print()
