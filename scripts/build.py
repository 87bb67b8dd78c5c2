"""Build the whole static site into site/: the plain pipeline around the site generator.

Stages (each one a function, in order):
  1. wheel    — build diag as a standard pure-Python wheel into dist/, plus the
                Pyodide bytecode of its modules (scripts/wheel_bytecode.py)
  2. site     — `mkdocs build --strict` into site/
  3. runtime  — copy the pinned Pyodide runtime into site/assets/pyodide/<version>/, with its
                standard library trimmed to what an import trace of the engine loads
                (scripts/stdlib_trim.py); its package lock file stays out (the engine
                loads no package: the manifest carries the lock's header instead)
  4. engine   — copy the diag wheel into site/assets/diag/ with a small manifest
  5. vendor   — copy the browser libraries the site's scripts import from npm (workbox-window)
                into site/assets/javascripts/vendor/
  6. plans    — precompute the engine's results for the first two taps (scripts/precompute_plans.py)
  7. offline  — generate the service worker, web app manifest and icons (scripts/offline.mjs)

Keeping these steps here (not in MkDocs plugins) means a later switch of site
generator (e.g. to Zensical, which ignores MkDocs hooks and plugins) only
touches stage 2.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from precompute_plans import precompute
from serve import COMPRESSIBLE
from stdlib_trim import traced_modules, write_trimmed_stdlib
from wheel_bytecode import add_pyodide_bytecode

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
"""Copied as they are; python_stdlib.zip is written trimmed, pyodide-lock.json is not shipped."""


def pyodide_version() -> str:
    """The pinned Pyodide version, read from the installed npm package."""
    return json.loads((NODE_PYODIDE / "package.json").read_text())["version"]


def build_wheel() -> Path:
    """Build dist/diag-<version>-py3-none-any.whl (reproducible timestamps) and return it."""
    for old in DIST.glob("diag-*.whl"):
        old.unlink()
    env = {"SOURCE_DATE_EPOCH": "1700000000", "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(DIST), str(ROOT)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    (wheel,) = DIST.glob("diag-*.whl")
    add_pyodide_bytecode(wheel)
    return wheel


def build_site(site: Path) -> None:
    """Run the strict MkDocs build; any warning (broken link or anchor) fails it."""
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(site)],
        check=True,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def trimmed_stdlib(wheel: Path) -> Path:
    """dist/python_stdlib.<key>.zip for this wheel and runtime, traced and written once per pair."""
    key = hashlib.sha256(wheel.read_bytes() + pyodide_version().encode()).hexdigest()[:16]
    cached = DIST / f"python_stdlib.{key}.zip"
    if not cached.is_file():
        for old in DIST.glob("python_stdlib.*.zip"):
            old.unlink()
        write_trimmed_stdlib(traced_modules(wheel), cached)
    return cached


def vendor_runtime(site: Path, wheel: Path) -> Path:
    """Copy the Pyodide runtime files under a versioned path (a stale mix of versions fails to start)."""
    target = site / "assets" / "pyodide" / pyodide_version()
    target.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        shutil.copy2(NODE_PYODIDE / name, target / name)
    shutil.copy2(trimmed_stdlib(wheel), target / "python_stdlib.zip")
    return target


def lock_header() -> dict[str, str]:
    """The pinned runtime's lock-file header: all loadPyodide() checks when no package is loaded."""
    return json.loads((NODE_PYODIDE / "pyodide-lock.json").read_text())["info"]


def wire_size(path: Path) -> int:
    """Bytes of `path` over the wire from a static host that gzips text and wasm (as scripts/serve.py does)."""
    data = path.read_bytes()
    return len(gzip.compress(data, compresslevel=6, mtime=0)) if path.name.endswith(COMPRESSIBLE) else len(data)


def ship_engine(site: Path, wheel: Path) -> Path:
    """Copy the diag wheel into the site and write the manifest the worker reads."""
    target = site / "assets" / "diag"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(wheel, target / wheel.name)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    runtime = site / "assets" / "pyodide" / pyodide_version()
    engine_files = [*(runtime / name for name in (*RUNTIME_FILES, "python_stdlib.zip")), wheel]
    manifest = {
        "wheel": wheel.name,
        "sha256": digest,
        "pyodide": pyodide_version(),
        "lock": lock_header(),
        # What the engine downloads, so the page can show its progress against a total: each
        # file's size, and its size over the wire when a host sends it gzip-compressed (the page
        # uses the real Content-Length instead once the response has arrived).
        "bytes": {path.name: path.stat().st_size for path in engine_files},
        "wire": {path.name: wire_size(path) for path in engine_files},
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return target


VENDORED = {"workbox-window.js": ROOT / "node_modules" / "workbox-window" / "build" / "workbox-window.prod.mjs"}
"""Browser modules copied from npm: name under assets/javascripts/vendor/ -> the pinned package's file."""


def vendor_scripts(site: Path) -> Path:
    """Copy the pinned browser libraries next to the scripts that import them (no source-map comment)."""
    target = site / "assets" / "javascripts" / "vendor"
    target.mkdir(parents=True, exist_ok=True)
    for name, source in VENDORED.items():
        text = source.read_text(encoding="utf-8")
        kept = [line for line in text.splitlines() if not line.startswith("//# sourceMappingURL=")]
        (target / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    return target


def build_offline(site: Path) -> None:
    """Generate the service worker, web app manifest and icons, if that stage exists yet."""
    script = ROOT / "scripts" / "offline.mjs"
    if script.is_file():
        subprocess.run(["node", str(script), str(site)], check=True, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the Delivered site.")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    args = parser.parse_args()
    site = args.site_dir.resolve()
    timings: list[tuple[str, float]] = []

    def stage(name: str, func, *a):
        start = time.perf_counter()
        result = func(*a)
        timings.append((name, time.perf_counter() - start))
        return result

    wheel = stage("wheel", build_wheel)
    stage("site", build_site, site)
    stage("runtime", vendor_runtime, site, wheel)
    stage("engine", ship_engine, site, wheel)
    stage("vendor", vendor_scripts, site)
    stage("plans", precompute, wheel, site / "assets" / "diag" / "precomputed")
    stage("offline", build_offline, site)
    summary = ", ".join(f"{name} {secs:.1f}s" for name, secs in timings)
    print(f"Built {site} ({summary})")


if __name__ == "__main__":
    main()
