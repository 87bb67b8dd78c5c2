"""What the build's offline stage writes: service worker, precache manifest, web app manifest, icons.

These read the built site/ and, for the update path, re-run only the offline stage
(`node scripts/offline.mjs <dir>`) on a copy of it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OFFLINE = ROOT / "scripts" / "offline.mjs"
NOT_PRECACHED = ("sw.js", "sitemap.xml", "sitemap.xml.gz")
WORKBOX_DEFAULT_LIMIT = 2 * 1024 * 1024


def precache(site: Path) -> dict[str, str | None]:
    """The precache manifest compiled into sw.js: site-relative URL -> revision (None if the name is hashed)."""
    text = (site / "sw.js").read_text(encoding="utf-8")
    entries = re.findall(r'\{url:"([^"]+)",revision:(?:"([0-9a-f]+)"|null)\}', text)
    assert entries, "sw.js has no precache manifest"
    return {url: revision or None for url, revision in entries}


def site_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def run_offline_stage(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(OFFLINE), str(site)], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )


def png_info(path: Path) -> tuple[int, int, int, bytes]:
    """(width, height, colour type, top-left pixel) of a non-interlaced 8-bit PNG.

    Every PNG filter leaves the first pixel of the first row as it is (its left and upper
    neighbours count as zero), so reading it needs no unfiltering.
    """
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    assert depth == 8
    assert interlace == 0
    idat, pos = b"", 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    channels = {2: 3, 6: 4}[colour]
    row = zlib.decompress(idat)[: 1 + channels]
    return width, height, colour, row[1:]


@pytest.fixture(scope="module")
def manifest(site_dir: Path) -> dict[str, str | None]:
    return precache(site_dir)


@pytest.fixture(scope="module")
def webmanifest(site_dir: Path) -> dict[str, object]:
    return json.loads((site_dir / "manifest.webmanifest").read_text(encoding="utf-8"))


# --- The precache ---------------------------------------------------------------------------


def test_service_worker_precaches_every_file_of_the_site_except_source_maps(site_dir, manifest):
    expected = {f for f in site_files(site_dir) if not f.endswith(".map") and f not in NOT_PRECACHED}
    assert set(manifest) == expected


def test_no_source_map_is_precached(manifest):
    assert [url for url in manifest if url.endswith(".map")] == []


@pytest.mark.parametrize(
    "pattern",
    [
        r"assets/pyodide/[^/]+/pyodide\.asm\.wasm",
        r"assets/pyodide/[^/]+/python_stdlib\.zip",
        r"assets/pyodide/[^/]+/pyodide\.asm\.mjs",
        r"assets/pyodide/[^/]+/pyodide\.mjs",
        r"assets/diag/diag-.+\.whl",
        r"assets/diag/manifest\.json",
        r"search/search_index\.json",
        r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js",
        r"assets/javascripts/lunr/.+\.js",
        r"find-my-fix/index\.html",
        r"assets/javascripts/sw-register\.js",
    ],
)
def test_precache_holds_what_the_guide_needs_offline(manifest, pattern):
    assert any(re.fullmatch(pattern, url) for url in manifest), pattern


def test_files_over_workbox_default_limit_are_precached(site_dir, manifest):
    large = [f for f in manifest if (site_dir / f).stat().st_size > WORKBOX_DEFAULT_LIMIT]
    assert any(f.endswith("pyodide.asm.wasm") for f in large), large


def test_every_revision_is_the_md5_of_the_built_file(site_dir, manifest):
    for url, revision in manifest.items():
        if revision is not None:
            assert hashlib.md5((site_dir / url).read_bytes()).hexdigest() == revision, url


def test_only_content_hashed_names_skip_the_revision(manifest):
    """Assert only Material's hashed bundles and the versioned Pyodide runtime are stored without a revision."""
    unrevisioned = [url for url, revision in manifest.items() if revision is None]
    assert unrevisioned, "Material's hashed bundles should need no revision"
    immutable = re.compile(r"\.[0-9a-f]{8}\.min\.(js|css)$|^assets/pyodide/\d[^/]*/[^/]+$")
    assert all(immutable.search(url) for url in unrevisioned), unrevisioned


def test_the_pyodide_runtime_is_precached_through_the_http_cache(manifest):
    """Assert every runtime file is unrevisioned, so Workbox reuses the engine's download instead of a second one."""
    runtime = {url: revision for url, revision in manifest.items() if url.startswith("assets/pyodide/")}
    assert len(runtime) == 4
    assert set(runtime.values()) == {None}


def test_the_diag_wheel_keeps_its_revision(manifest):
    """Assert the wheel, whose name changes only with the version, is revisioned by content."""
    wheels = [revision for url, revision in manifest.items() if url.endswith(".whl")]
    assert len(wheels) == 1
    assert wheels[0] is not None


def test_service_worker_waits_for_the_reader_before_taking_over(site_dir):
    text = (site_dir / "sw.js").read_text(encoding="utf-8")
    assert "SKIP_WAITING" in text
    # skipWaiting() is called only from the message handler, never at install.
    assert len(re.findall(r"skipWaiting\(\)", text)) == 1


def test_service_worker_is_one_self_contained_file(site_dir):
    text = (site_dir / "sw.js").read_text(encoding="utf-8")
    assert "importScripts" not in text
    assert not list(site_dir.glob("workbox-*.js"))
    assert not (site_dir / "sw.js.map").exists()


# --- Rebuilding: the update path and the size limit -------------------------------------------


@pytest.fixture
def site_copy(site_dir, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    return copy


@pytest.mark.slow
def test_offline_stage_is_idempotent(site_dir, site_copy):
    result = run_offline_stage(site_copy)
    assert result.returncode == 0, result.stderr
    assert (site_copy / "sw.js").read_bytes() == (site_dir / "sw.js").read_bytes()
    page = (site_copy / "index.html").read_text(encoding="utf-8")
    assert page.count('http-equiv="Content-Security-Policy"') == 1


@pytest.mark.slow
def test_changing_one_page_changes_the_service_worker_and_only_that_revision(site_dir, site_copy):
    page = site_copy / "fixes" / "restart" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "</h1>\n<p>Changed.</p>", 1))
    result = run_offline_stage(site_copy)
    assert result.returncode == 0, result.stderr
    before, after = precache(site_dir), precache(site_copy)
    assert (site_copy / "sw.js").read_bytes() != (site_dir / "sw.js").read_bytes()
    changed = {url for url in after if after[url] != before.get(url)}
    assert changed == {"fixes/restart/index.html"}


@pytest.mark.slow
def test_a_file_too_large_to_precache_fails_the_build_instead_of_being_dropped(site_copy):
    (site_copy / "assets" / "huge.bin").write_bytes(b"\0" * (33 * 1024 * 1024))
    result = run_offline_stage(site_copy)
    assert result.returncode != 0
    assert "huge.bin" in result.stderr


# --- Installing: web app manifest, icons, head tags ----------------------------------------


def test_web_app_manifest_describes_a_standalone_app_scoped_to_the_site(webmanifest):
    assert webmanifest["short_name"] == "Delivered"
    assert webmanifest["display"] == "standalone"
    assert webmanifest["start_url"] == "./"
    assert webmanifest["scope"] == "./"
    assert re.fullmatch(r"#[0-9a-f]{6}", str(webmanifest["theme_color"]))
    assert re.fullmatch(r"#[0-9a-f]{6}", str(webmanifest["background_color"]))


def test_manifest_offers_192_and_512_pixel_icons_for_any_and_maskable_use(webmanifest):
    offered = {(icon["sizes"], icon["purpose"]) for icon in webmanifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= offered


def test_every_manifest_icon_exists_at_its_declared_size(site_dir, webmanifest):
    for icon in webmanifest["icons"]:
        path = site_dir / icon["src"]
        assert path.is_file(), icon["src"]
        if icon["type"] == "image/png":
            width, height, _, _ = png_info(path)
            assert f"{width}x{height}" == icon["sizes"], icon["src"]


def test_icons_are_rendered_from_the_original_svg(site_dir):
    source = (ROOT / "docs" / "assets" / "icon.svg").read_text(encoding="utf-8")
    assert (site_dir / "assets" / "icon.svg").read_text(encoding="utf-8") == source
    assert "<text" not in source  # a drawing, not a font-dependent glyph
    top = re.search(r'<stop offset="0" stop-color="#([0-9a-f]{6})"', source).group(1)
    expected = bytes.fromhex(top)
    for name in ("icon-192.png", "icon-512.png", "apple-touch-icon.png"):
        _, _, _, pixel = png_info(site_dir / "assets" / "icons" / name)
        assert all(abs(a - b) <= 3 for a, b in zip(pixel[:3], expected, strict=True)), (name, pixel.hex())


def test_apple_touch_icon_is_180_px_and_opaque_to_the_corner(site_dir):
    width, height, colour, row = png_info(site_dir / "assets" / "icons" / "apple-touch-icon.png")
    assert (width, height) == (180, 180)
    if colour == 6:  # RGBA: iOS paints transparent pixels black, so the corner must be opaque
        assert row[3] == 255
    assert row[:3] != b"\0\0\0"


def head(html: str) -> str:
    return html.split("</head>", 1)[0]


def target(site: Path, page: Path, href: str) -> Path:
    """The file `href` points at from `page` (404.html uses root-absolute URLs; site_url's path is /)."""
    base = site if href.startswith("/") else page.parent
    return (base / href.lstrip("/")).resolve()


def test_every_page_links_the_manifest_icon_and_ios_tags(site_dir):
    for page in site_dir.rglob("*.html"):
        top = head(page.read_text(encoding="utf-8"))
        rel = page.relative_to(site_dir)
        for tag in (
            'rel="manifest"',
            'rel="apple-touch-icon"',
            'name="theme-color"',
            'name="apple-mobile-web-app-capable" content="yes"',
            'name="apple-mobile-web-app-title" content="Delivered"',
        ):
            assert tag in top, f"{rel}: {tag}"
        manifest_href = re.search(r'rel="manifest" href="([^"]+)"', top).group(1)
        assert target(site_dir, page, manifest_href) == (site_dir / "manifest.webmanifest").resolve(), rel
        icon_href = re.search(r'rel="apple-touch-icon"[^>]* href="([^"]+)"', top).group(1)
        assert target(site_dir, page, icon_href).is_file(), rel


def test_every_page_loads_the_registration_module_from_the_site_root(site_dir):
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        src = re.search(r'<script type="module" src="([^"]*sw-register\.js)"></script>', html)
        assert src, page.relative_to(site_dir)
        assert target(site_dir, page, src.group(1)) == (site_dir / "assets/javascripts/sw-register.js").resolve()


def test_registration_resolves_the_worker_from_its_own_url_not_the_host_root():
    source = (ROOT / "docs" / "assets" / "javascripts" / "sw-register.js").read_text(encoding="utf-8")
    assert 'new URL("../../", import.meta.url)' in source
    assert '"/sw.js"' not in source


def test_the_precache_holds_exactly_the_engine_files_the_worker_downloads(site_dir, manifest):
    """Assert the runtime files precached are those the engine manifest lists (no lock file, no unused file)."""
    engine = json.loads((site_dir / "assets" / "diag" / "manifest.json").read_text(encoding="utf-8"))
    runtime = {url.rsplit("/", 1)[1] for url in manifest if url.startswith("assets/pyodide/")}
    wheels = {url.rsplit("/", 1)[1] for url in manifest if url.endswith(".whl")}
    assert runtime | wheels == set(engine["bytes"])


def test_registration_uses_the_pinned_workbox_window_shipped_with_the_site(site_dir, manifest):
    """Assert the site ships npm workbox-window's browser module (precached) and sw-register.js imports it."""
    shipped = (site_dir / "assets" / "javascripts" / "vendor" / "workbox-window.js").read_text(encoding="utf-8")
    pinned = (ROOT / "node_modules/workbox-window/build/workbox-window.prod.mjs").read_text(encoding="utf-8")
    assert shipped.strip() == pinned.split("\n//# sourceMappingURL=")[0].strip()
    assert "assets/javascripts/vendor/workbox-window.js" in manifest
    register = (site_dir / "assets" / "javascripts" / "sw-register.js").read_text(encoding="utf-8")
    assert 'import { Workbox } from "./vendor/workbox-window.js";' in register
