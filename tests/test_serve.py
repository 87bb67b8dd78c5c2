"""scripts/serve.py: the local server sends the site as a static host would."""

from __future__ import annotations

import gzip
import urllib.error
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


def status_of(url: str, headers: dict[str, str]) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_unchanged_compressed_file_is_revalidated_with_304(server_url):
    """Assert a compressed file's ETag, sent back in If-None-Match, gets 304 and no body (as a static host)."""
    headers, _ = fetch(server_url + "index.html")
    assert "Last-Modified" in headers
    assert status_of(server_url + "index.html", {"Accept-Encoding": "gzip", "If-None-Match": headers["ETag"]}) == 304


def test_a_compressed_file_unchanged_since_the_date_asked_is_answered_304(server_url):
    """Assert If-Modified-Since is honoured too (Chromium revalidates the service worker's fetches with it)."""
    headers, _ = fetch(server_url + "index.html")
    asked = {"Accept-Encoding": "gzip", "If-Modified-Since": headers["Last-Modified"]}
    assert status_of(server_url + "index.html", asked) == 304


def test_a_file_changed_after_the_date_asked_is_sent_whole(server_url):
    """Assert a date before the file's last change gets 200 and the body."""
    asked = {"Accept-Encoding": "gzip", "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    assert status_of(server_url + "index.html", asked) == 200


def test_a_stale_etag_gets_the_whole_file(server_url):
    """Assert an ETag from another version of the file does not get 304."""
    assert status_of(server_url + "index.html", {"Accept-Encoding": "gzip", "If-None-Match": '"0-0-gzip"'}) == 200


def test_the_server_counts_the_body_bytes_it_sends(site_dir):
    """Assert bytes_sent adds up what was sent (the benchmarks' transfer figures come from it)."""
    server = serve_in_thread(site_dir)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        _, page = fetch(url + "index.html")
        _, wheel = fetch(url + "assets/diag/" + next((site_dir / "assets" / "diag").glob("*.whl")).name)
        assert server.bytes_sent == len(page) + len(wheel)
    finally:
        server.shutdown()
        server.server_close()
