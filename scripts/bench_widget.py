"""Benchmark the "Find my fix" widget in headless Chromium: `run() -> list[Table]` (printed by bench.py).

Measured in one run, against the built site served on 127.0.0.1 (service workers blocked,
so each figure is what the page itself loads):

- bare Pyodide: scripts/bare_pyodide.py's page, added to a copy of the site, loads the
  vendored runtime in a module worker (no diag), from navigation start to `loadPyodide()`;
- widget ready: from navigation start to `data-engine="ready"` on find-my-fix/, cold
  (fresh context) and warm (same context, second visit);
- click to plan: from a "Didn't help" click to the re-rendered plan (`diag:rendered`);
- tap to plan before ready: with the runtime's download held back, from the first and the second
  Continue tap to the plan on screen (the build's precomputed results), at full and at 4× slowed CPU;
- ready in three engines: widget ready ÷ bare Pyodide in Chromium, WebKitGTK and Firefox ESR
  (tests/browsers/ drivers), cold pairs interleaved across the engines, each pair's ratio shown;
- WebKitGTK CPU by thread: the web process's CPU time until ready on each page (page, worker, compiler
  and GC helpers, Mesa's software GL rasteriser), from /proc: what the widget page adds beyond the runtime;
- Lighthouse (npm `lighthouse`, mobile): performance score and Total Blocking Time for the
  widget page and a fix page, and the bytes each transfers.

Goals: ready (cold) ≤ 1.25 × bare Pyodide (cold) in each engine; engine bytes ≤ 4.25 MiB;
click to plan ≤ 50 ms; tap to plan before ready ≤ 100 ms; Lighthouse performance ≥ 0.95 and TBT ≤ 150 ms
on both pages.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
sys.path.insert(0, str(ROOT / "scripts"))

from bare_pyodide import add_bare_page  # noqa: E402
from chromium import chromium_path, launch  # noqa: E402
from serve import serve_in_thread  # noqa: E402

Table = tuple[str, list[str], list[list[str]]]

REPEATS = 7
"""Cold/warm loads per measurement; the median is reported (a bare and a widget load back to back
each time: their ratio per pair shares the machine's momentary speed, which drifts here)."""

LIGHTHOUSE_RUNS = 3
"""Lighthouse runs per page: single runs vary by ±0.05 here, so the median is what counts."""

CLICKS = 5
"""Clicks timed for "click to updated plan"."""

READY_PROBE = """
new MutationObserver((_, observer) => {
  const root = document.getElementById("find-my-fix");
  if (root && root.dataset.engine !== "loading") {
    window.__ready = root.dataset.engine === "ready" ? performance.now() : -1;
    observer.disconnect();
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-engine"]});
"""

CLICK_TO_PLAN = """async (selector) => {
  const root = document.getElementById("find-my-fix");
  const done = new Promise((resolve) => root.addEventListener("diag:rendered", resolve, {once: true}));
  const start = performance.now();
  document.querySelector(selector).click();
  await done;
  await new Promise(requestAnimationFrame);
  return performance.now() - start;
}"""


TAPS = 5
"""Fresh page loads timed for "tap to plan before ready" (each: the first and the second tap)."""

TAP_TO_PLAN = """async () => {
  // The next tap a person makes: the first answer of the question on screen, else "Didn't help"
  // on the plan's top step.
  const root = document.getElementById("find-my-fix");
  const form = root.querySelector("[data-diag-question]:not([hidden])");
  if (form) form.querySelector(".diag-radio label").click();
  const button = form
    ? form.querySelector("button[type=submit]")
    : root.querySelector(".diag-step--top button[data-outcome=failed]");
  const done = new Promise((resolve) => root.addEventListener("diag:rendered", resolve, {once: true}));
  const start = performance.now();
  button.click();
  await done;
  await new Promise(requestAnimationFrame);
  return performance.now() - start;
}"""


def _median(values: list[float]) -> float:
    return statistics.median(values)


ENGINE_PATHS = ("/assets/pyodide/", "/assets/diag/")
"""URL parts of the engine's own downloads (runtime, manifest, wheel)."""

SLOW_LINK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
"""1.6 Mbps down / 150 ms, as CDP Network.emulateNetworkConditions takes it."""


def _timed_load(
    context, url: str, transferred: list[int] | None = None, engine: list[int] | None = None, slow: bool = False
) -> float:
    """Open `url` in a new page of `context`; ms from navigation start to window.__ready.

    Appends the bytes over the wire (Content-Length, gzip where served so) of every response to
    `transferred`, and of the engine's own files to `engine`; `slow` throttles the page to SLOW_LINK.
    """
    page = context.new_page()
    if slow:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    sizes: list[int] = []
    engine_sizes: list[int] = []

    def count(response) -> None:
        size = int(response.headers.get("content-length", "0") or 0)
        sizes.append(size)
        if any(part in response.url for part in ENGINE_PATHS):
            engine_sizes.append(size)

    context.on("response", count)
    page.add_init_script(READY_PROBE)
    page.goto(url)
    deadline = time.monotonic() + (300 if slow else 120)
    while (value := page.evaluate("window.__ready ?? null")) is None:  # polled: the site's CSP forbids eval
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url}: not ready after 120 s")
        time.sleep(0.02)
    page.wait_for_timeout(200)
    context.remove_listener("response", count)
    page.close()
    value = float(value)
    if value < 0:
        raise RuntimeError(f"{url}: the engine failed to load")
    if transferred is not None:
        transferred.append(sum(sizes))
    if engine is not None:
        engine.append(sum(engine_sizes))
    return value


@contextlib.contextmanager
def _served_with_bare_page(prefix: str) -> Iterator[tuple[str, str]]:
    """A throw-away copy of the built site with the bare Pyodide page added, served on 127.0.0.1.

    Yields the site's URL and the bare page's URL; stops the server and deletes the copy after.
    """
    temp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        copy = temp / "site"
        shutil.copytree(SITE, copy)
        bare_page = add_bare_page(copy)
        server = serve_in_thread(copy)
        try:
            site_url = f"http://127.0.0.1:{server.server_address[1]}/"
            yield site_url, site_url + bare_page
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _browser_tables() -> list[Table]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only when measuring

    bare_cold: list[float] = []
    ready_cold: list[float] = []
    ready_warm: list[float] = []
    widget_bytes: list[int] = []
    engine_bytes: list[int] = []
    slow_ready: list[float] = []
    bare_bytes: list[int] = []
    clicks: list[float] = []
    with _served_with_bare_page("delivered-bench-") as (site_url, bare_url), sync_playwright() as p:
        widget_url = f"{site_url}find-my-fix/"
        browser = launch(p)

        def fresh():
            return browser.new_context(viewport={"width": 375, "height": 812}, service_workers="block")

        for _ in range(REPEATS):  # interleaved, so both see the same machine load
            ctx = fresh()
            bare_cold.append(_timed_load(ctx, bare_url, bare_bytes))
            ctx.close()
            ctx = fresh()
            ready_cold.append(_timed_load(ctx, widget_url, widget_bytes, engine_bytes))
            ready_warm.append(_timed_load(ctx, widget_url))
            ctx.close()
        ctx = fresh()
        slow_ready.append(_timed_load(ctx, widget_url, slow=True))
        ctx.close()
        ctx = fresh()
        page = ctx.new_page()
        page.goto(widget_url)
        page.wait_for_selector('#find-my-fix[data-engine="ready"]', timeout=120_000)
        page.locator("#find-my-fix .diag-radio label").first.click()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_selector('#find-my-fix[data-step="1"]')
        for _ in range(CLICKS):
            clicks.append(
                float(page.evaluate(CLICK_TO_PLAN, "#find-my-fix [data-diag-plan] li button[data-outcome=failed]"))
            )
        ctx.close()
        browser.close()

    pair_ratios = [ready / bare for bare, ready in zip(bare_cold, ready_cold, strict=True)]
    ratio = _median(pair_ratios)
    click = _median(clicks)
    rows = [
        [
            "bare Pyodide load in a module worker (cold)",
            f"{_median(bare_cold):.0f} ms",
            f"{_median(bare_bytes) / 1e6:.1f} MB",
            "",
        ],
        [
            "widget data-engine=ready (cold)",
            f"{_median(ready_cold):.0f} ms",
            f"{_median(widget_bytes) / 1e6:.1f} MB",
            f"{ratio:.2f} × bare per pair, {min(pair_ratios):.2f}–{max(pair_ratios):.2f}"
            f" (goal ≤ 1.25: {'met' if ratio <= 1.25 else 'MISSED'})",
        ],
        ["widget data-engine=ready (warm, revalidated cache)", f"{_median(ready_warm):.0f} ms", "", ""],
        [
            "engine bytes over the wire (runtime, manifest, wheel; cold)",
            "",
            f"{_median(engine_bytes) / 2**20:.2f} MiB",
            f"goal ≤ 4.25 MiB: {'met' if _median(engine_bytes) <= 4.25 * 2**20 else 'MISSED'}",
        ],
        [
            "widget data-engine=ready on a slow link (1.6 Mbps / 150 ms, CDP; cold)",
            f"{slow_ready[0] / 1000:.1f} s",
            "",
            "no failure (stall detection, no fixed time-out)",
        ],
        [
            "click “Didn't help” → updated plan",
            f"{click:.1f} ms",
            "",
            f"median of {CLICKS} (goal ≤ 50 ms: {'met' if click <= 50 else 'MISSED'})",
        ],
    ]
    return [
        (
            f"Widget start-up and response (headless Chromium, 375 px, median of {REPEATS})",
            ["measure", "time", "bytes", "note"],
            rows,
        )
    ]


def _taps_before_ready(browser, widget_url: str, cpu_rate: int) -> tuple[list[float], list[float]]:
    """First and second tap → plan (ms), each on a fresh page whose Pyodide download never completes."""
    first: list[float] = []
    second: list[float] = []
    for _ in range(TAPS):
        ctx = browser.new_context(viewport={"width": 375, "height": 812}, service_workers="block")
        ctx.route("**/*.wasm", lambda route: None)  # held back for good: the engine stays loading
        page = ctx.new_page()
        if cpu_rate > 1:
            ctx.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": cpu_rate})
        page.goto(widget_url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)  # the precomputed results have arrived, as they have for a person reading
        first.append(float(page.evaluate(TAP_TO_PLAN)))
        page.wait_for_timeout(1000)  # a person reads the next question (its answers' file arrives meanwhile)
        second.append(float(page.evaluate(TAP_TO_PLAN)))
        if page.get_attribute("#find-my-fix", "data-engine") != "loading":
            raise RuntimeError("tap to plan: the engine was not held back")
        ctx.unroute_all(behavior="ignoreErrors")
        ctx.close()
    return first, second


def _tap_table() -> Table:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only when measuring

    server = serve_in_thread(SITE)
    widget_url = f"http://127.0.0.1:{server.server_address[1]}/find-my-fix/"
    rows = []
    try:
        with sync_playwright() as p:
            browser = launch(p)
            for rate in (1, 4):
                first, second = _taps_before_ready(browser, widget_url, rate)
                for name, times in (("first", first), ("second", second)):
                    value = _median(times)
                    rows.append(
                        [
                            f"{name} tap → plan, runtime still downloading",
                            "full speed" if rate == 1 else f"{rate}× slower",
                            f"{value:.1f} ms",
                            f"{min(times):.1f}–{max(times):.1f}",
                            "met" if value <= 100 else "MISSED",
                        ]
                    )
            browser.close()
    finally:
        server.shutdown()
    return (
        f"Tap to plan before the engine is ready (precomputed results; headless Chromium, median of {TAPS};"
        " first tap: the first symptom answer; second: the next question's first answer, or the top step's"
        " “Didn't help”)",
        ["measure", "CPU", "time", "range", "goal ≤ 100 ms"],
        rows,
    )


ENGINE_ROUNDS = 7
"""Cold pairs per browser engine in the three-engine table (a fresh browser for every load)."""

BARE_READY = "Number(document.documentElement.dataset.bareMs ?? -1)"
ENGINE_READY = """(() => {
  const mark = performance.getEntriesByName("diag:engine-ready")[0];
  if (!mark) return document.querySelector("[data-engine=failed]") ? {ready: -1} : null;
  return {ready: mark.startTime, worker: mark.detail.workerStartedAt, stages: mark.detail.stages};
})()"""
"""The widget's engine-ready mark (engine-client.js): when the ready message reached the page, with the
worker's start and load stages on the page's clock."""


def _driver_load(make_driver, url: str, expression: str, cpu: list[dict[str, float]] | None = None):
    """Open `url` in a fresh browser from `make_driver()`; poll `expression` until it is not null; quit.

    With `cpu` (WebKitGTK only), appends the web process's CPU time by thread group at that moment.
    """
    driver = make_driver()
    try:
        driver.get(url)
        deadline = time.monotonic() + 180
        while (value := driver.evaluate(expression)) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url}: not ready after 180 s")
            time.sleep(0.05)
        if cpu is not None:
            cpu.append(_webkit_cpu(driver.process.pid))
        return value
    finally:
        driver.quit()


WEBKIT_THREADS = {
    "WebKitWebProces": "page (main thread)",
    "WebCore: Worker": "engine worker",
    "t Helper Thread": "compiler and GC helpers",
    "llvmpipe-#": "GL rasteriser (llvmpipe)",
}
"""WebKitGTK web process threads by their (15-character, suffix-kept) names, and what they are; the
rest count as "other". The GL rasteriser is Mesa's software renderer, compositing the page here."""


def _webkit_cpu(session: int) -> dict[str, float]:
    """CPU ms so far of the WebKitWebProcess(es) in the process session `session`, by thread group."""
    tick = os.sysconf("SC_CLK_TCK")
    groups: dict[str, float] = dict.fromkeys([*WEBKIT_THREADS.values(), "other"], 0.0)
    for proc in Path("/proc").iterdir():
        try:
            stat = (proc / "stat").read_text()
            if not stat[stat.index("(") + 1 :].startswith("WebKitWebProces"):
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[3]) != session:
                continue
            for task in (proc / "task").iterdir():
                line = (task / "stat").read_text()
                name = line[line.index("(") + 1 : line.rindex(")")].rstrip("0123456789")
                fields = line[line.rindex(")") + 2 :].split()
                group = WEBKIT_THREADS.get(name + "#" if name.endswith("-") else name, "other")
                groups[group] += (int(fields[11]) + int(fields[12])) * 1000 / tick
        except (OSError, ValueError):
            continue  # a process or thread that ended meanwhile
    return groups


def _engines_tables() -> list[Table]:
    """Widget ready ÷ bare Pyodide, cold pairs, in Chromium, WebKitGTK and Firefox ESR, rounds interleaved;
    then where WebKitGTK's web process spent its CPU until ready, on each page."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only when measuring

    sys.path.insert(0, str(ROOT / "tests"))
    from browsers.firefox import Firefox  # noqa: PLC0415
    from browsers.webkit import WebKit  # noqa: PLC0415

    results: dict[str, list[tuple[float, dict]]] = {"Chromium": [], "WebKitGTK": [], "Firefox ESR": []}
    webkit_cpu: dict[str, list[dict[str, float]]] = {"bare": [], "widget": []}
    with _served_with_bare_page("delivered-bench-engines-") as (base, bare_url), sync_playwright() as p:
        browser = launch(p)

        class _Chromium:
            def __init__(self) -> None:
                self.context = browser.new_context(viewport={"width": 375, "height": 812})
                self.page = self.context.new_page()

            def get(self, url: str) -> None:
                self.page.goto(url)

            def evaluate(self, expression: str):
                return self.page.evaluate(expression)

            def quit(self) -> None:
                self.context.close()

        drivers = {"Chromium": _Chromium, "WebKitGTK": WebKit, "Firefox ESR": Firefox}
        for _ in range(ENGINE_ROUNDS):
            for name, make in drivers.items():
                bare_ready = f"(({BARE_READY}) > 0 ? {BARE_READY} : null)"
                is_webkit = make is WebKit
                bare = float(_driver_load(make, bare_url, bare_ready, webkit_cpu["bare"] if is_webkit else None))
                widget = _driver_load(
                    make, base + "find-my-fix/", ENGINE_READY, webkit_cpu["widget"] if is_webkit else None
                )
                if widget["ready"] < 0:
                    raise RuntimeError(f"{name}: the engine failed to load")
                results[name].append((bare, widget))
        browser.close()

    rows = []
    for name, pairs in results.items():
        ratios = [w["ready"] / b for b, w in pairs]
        ratio = _median(ratios)
        runtime = [w["stages"]["runtime"] - w["stages"]["start"] for _, w in pairs]
        rows.append(
            [
                name,
                f"{_median([b for b, _ in pairs]):.0f} ms",
                f"{_median([w['ready'] for _, w in pairs]):.0f} ms",
                f"{_median([w['worker'] for _, w in pairs]):.0f} ms",
                f"{_median(runtime):.0f} ms",
                ", ".join(f"{r:.2f}" for r in ratios),
                f"{ratio:.2f} ({'met' if ratio <= 1.25 else 'MISSED'})",
            ]
        )
    groups = [*WEBKIT_THREADS.values(), "other"]
    cpu_rows = [
        [
            page,
            *(f"{_median([load[group] for load in loads]):.0f} ms" for group in groups),
            f"{_median([sum(load.values()) for load in loads]):.0f} ms",
        ]
        for page, loads in webkit_cpu.items()
    ]
    return [
        (
            f"Widget ready ÷ bare Pyodide in three engines: {ENGINE_ROUNDS} cold pairs each (a fresh browser per load),"
            " rounds interleaved across engines; ready = the engine-ready mark, bare = the bare page's mark"
            " (goal ≤ 1.25)",
            [
                "engine",
                "bare (median)",
                "widget ready (median)",
                "worker started",
                "runtime stage",
                "ratio per pair",
                "median ratio",
            ],
            rows,
        ),
        (
            "WebKitGTK: CPU time of the web process from launch until ready, by thread, median of the same cold loads"
            " (CPU time, so less sensitive than wall time to the machine's load; the GL rasteriser is software here)",
            ["page", *groups, "total"],
            cpu_rows,
        ),
    ]


def _lighthouse(url: str) -> dict[str, float]:
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    with tempfile.TemporaryDirectory(prefix="delivered-lh-") as temp:
        out = Path(temp) / "report.json"
        subprocess.run(
            [
                str(binary),
                url,
                "--output=json",
                f"--output-path={out}",
                "--only-categories=performance",
                "--quiet",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": chromium_path()},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=300,
        )
        report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "score": float(report["categories"]["performance"]["score"]),
        "tbt": float(audits["total-blocking-time"]["numericValue"]),
        "bytes": float(audits["total-byte-weight"]["numericValue"]),
        "cls": float(audits["cumulative-layout-shift"]["numericValue"]),
    }


def _lighthouse_table() -> Table:
    server = serve_in_thread(SITE)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        for name, path in (
            ("widget page (find-my-fix/)", "find-my-fix/"),
            ("fix page (fixes/restart/)", "fixes/restart/"),
        ):
            runs = [_lighthouse(base + path) for _ in range(LIGHTHOUSE_RUNS)]
            result = {key: _median([run[key] for run in runs]) for key in runs[0]}
            met = result["score"] >= 0.95 and result["tbt"] <= 150
            rows.append(
                [
                    name,
                    f"{result['score']:.2f} ({min(r['score'] for r in runs):.2f}–{max(r['score'] for r in runs):.2f})",
                    f"{result['tbt']:.0f} ms ({min(r['tbt'] for r in runs):.0f}–{max(r['tbt'] for r in runs):.0f})",
                    f"{result['cls']:.3f}",
                    f"{result['bytes'] / 1e6:.2f} MB",
                    "met" if met else "MISSED",
                ]
            )
    finally:
        server.shutdown()
    return (
        f"Lighthouse mobile, median (range) of {LIGHTHOUSE_RUNS} runs, site served gzip-compressed by scripts/serve.py"
        " (goal: score ≥ 0.95, TBT ≤ 150 ms)",
        ["page", "performance", "TBT", "CLS", "bytes transferred", "goal"],
        rows,
    )


def run() -> list[Table]:
    """Measure everything once and return the tables."""
    if not (SITE / "find-my-fix" / "index.html").is_file():
        raise RuntimeError("site/ is not built: run `make build` first")
    return [*_browser_tables(), _tap_table(), *_engines_tables(), _lighthouse_table()]


if __name__ == "__main__":
    from bench import render

    for table in run():
        print(render(table))
