"""scripts/serve.py: the local server sends the site as a static host would."""

from __future__ import annotations

import gzip
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve import serve_in_thread


@pytest.fixture(scope="module")
def server_url(site_dir: Path) -> Iterator[str]:
    server = serve_in_thread(site_dir)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def fetch(url: str, *, gzip_ok: bool = True) -> tuple[dict[str, str], bytes]:
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return dict(response.headers), response.read()


def test_pages_are_sent_gzip_compressed_to_a_browser_that_accepts_it(server_url, site_dir):
    """Assert an HTML page comes gzip-encoded and decodes to the built file, byte for byte."""
    headers, body = fetch(server_url + "find-my-fix/")
    assert headers["Content-Encoding"] == "gzip"
    assert int(headers["Content-Length"]) == len(body)
    assert gzip.decompress(body) == (site_dir / "find-my-fix" / "index.html").read_bytes()


def test_the_pyodide_wasm_is_sent_compressed_with_its_type(server_url, site_dir):
    """Assert the runtime's wasm (the biggest download) is gzip-encoded and typed application/wasm."""
    wasm = next((site_dir / "assets" / "pyodide").glob("*/pyodide.asm.wasm"))
    headers, body = fetch(server_url + wasm.relative_to(site_dir).as_posix())
    assert headers["Content-Type"] == "application/wasm"
    assert headers["Content-Encoding"] == "gzip"
    assert len(body) < wasm.stat().st_size / 2


def test_the_wheel_is_sent_as_is(server_url, site_dir):
    """Assert an already-compressed file (the diag wheel) is not gzip-encoded again."""
    wheel = next((site_dir / "assets" / "diag").glob("*.whl"))
    headers, body = fetch(server_url + wheel.relative_to(site_dir).as_posix())
    assert "Content-Encoding" not in headers
    assert body == wheel.read_bytes()


def test_a_client_without_gzip_gets_plain_bytes(server_url, site_dir):
    """Assert the encoding is negotiated: no Accept-Encoding, no gzip."""
    headers, body = fetch(server_url + "index.html", gzip_ok=False)
    assert "Content-Encoding" not in headers
    assert body == (site_dir / "index.html").read_bytes()


def test_every_response_asks_for_revalidation(server_url):
    """Assert no-cache (the service worker caches, not the HTTP cache) and Vary on the encoding."""
    headers, _ = fetch(server_url + "index.html")
    assert headers["Cache-Control"] == "no-cache"
    assert headers["Vary"] == "Accept-Encoding"
