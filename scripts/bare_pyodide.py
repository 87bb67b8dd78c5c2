"""The baseline the engine benchmarks compare against: a page that only starts Pyodide.

`add_bare_page(site)` writes bench/bare.html into a copy of the built site: a module
worker imports the vendored runtime, starts it with no packages and reports back. It
starts the same runtime files the engine does (the trimmed standard library, the lock
file's header passed inline instead of the lock file), so the ratio of the two is what
the engine adds on top of Pyodide itself. The
page then sets `window.__ready` and `<html data-bare="ready" data-bare-ms=...>` to
`performance.now()`, the same clock the widget page's ready time is read from.
"""

from __future__ import annotations

import json
from pathlib import Path

BARE_PAGE = "bench/bare.html"
"""Site-relative URL of the bare page."""

_HTML = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Bare Pyodide load</title>
    <script type="module" src="bare-main.js"></script>
  </head>
  <body><p>Bare Pyodide load (benchmark only).</p></body>
</html>
"""
_MAIN = """// Start the bare worker and mark the page when Pyodide is up (benchmark only).
const worker = new Worker(new URL("bare-worker.js", import.meta.url), { type: "module" });
worker.addEventListener("message", (event) => {
  const at = performance.now();
  document.documentElement.dataset.bareMs = String(at);
  document.documentElement.dataset.bare = event.data;
  window.__ready = event.data === "ready" ? at : -1;
});
worker.addEventListener("error", () => { window.__ready = -1; });
"""
_WORKER = """// Only what every Pyodide page needs: import the runtime and start it (benchmark only).
const indexURL = new URL("../assets/pyodide/{version}/", import.meta.url);
const {{ loadPyodide }} = await import(new URL("pyodide.mjs", indexURL).href);
const lockFileContents = {{ info: {lock}, packages: {{}} }};
const pyodide = await loadPyodide({{ indexURL: indexURL.href, packages: [], fullStdLib: false, lockFileContents }});
postMessage(pyodide.runPython("1 + 1") === 2 ? "ready" : "failed");
"""


def add_bare_page(site: Path) -> str:
    """Write the bare page into `site` (a copy of the built site); return its site-relative URL."""
    manifest = json.loads((site / "assets" / "diag" / "manifest.json").read_text(encoding="utf-8"))
    bench = site / "bench"
    bench.mkdir(exist_ok=True)
    (bench / "bare.html").write_text(_HTML, encoding="utf-8")
    (bench / "bare-main.js").write_text(_MAIN, encoding="utf-8")
    worker = _WORKER.format(version=manifest["pyodide"], lock=json.dumps(manifest["lock"]))
    (bench / "bare-worker.js").write_text(worker, encoding="utf-8")
    return BARE_PAGE
