"""Serve the built site on 127.0.0.1 as a static host would: right types, gzip, revalidation.

Python's stock http.server guesses `.mjs` and `.wasm` wrongly on some versions, never
compresses and caches nothing explicitly. This server fixes the types, sends text and
wasm gzip-compressed when the browser accepts it (as GitHub Pages and every CDN do, so
local measurements match a deployment), and sends `Cache-Control: no-cache` so a
rebuilt site is always revalidated (the service worker does the caching).
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import functools
import gzip
import http.server
import io
import os
import sys
import threading
from pathlib import Path
from typing import BinaryIO, ClassVar

EXTRA_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}

COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg", ".webmanifest", ".txt", ".xml")
"""Sent gzip-compressed. Not wheels, zips or images: they are compressed already."""

_compressed: dict[tuple[str, int, int], bytes] = {}
_compressed_lock = threading.Lock()


def gzipped(path: str) -> bytes:
    """The gzip bytes of the file at `path`, computed once per version of the file (size, mtime)."""
    stat = os.stat(path)
    key = (path, stat.st_size, stat.st_mtime_ns)
    with _compressed_lock:
        data = _compressed.get(key)
    if data is None:  # compressed outside the lock, so other files are served meanwhile
        data = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
        with _compressed_lock:
            _compressed[key] = data
    return data


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler with correct types, no-cache headers and quiet logs."""

    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES}

    def send_head(self) -> BinaryIO | None:  # type: ignore[override]
        """Serve compressible files gzip-encoded when the request accepts gzip; the rest as stock."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the stock redirect from /dir to /dir/
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        wanted = self.server.compress and accepts  # type: ignore[attr-defined]
        if not (wanted and path.endswith(COMPRESSIBLE) and os.path.isfile(path)):
            return super().send_head()
        stat = os.stat(path)
        # Revalidation as a static host does it: an unchanged file is answered 304, no body.
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}-gzip"'
        if self.unchanged_since_asked(etag, int(stat.st_mtime)):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        data = gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return io.BytesIO(data)

    def unchanged_since_asked(self, etag: str, mtime: int) -> bool:
        """True if the request's If-None-Match (or, without one, If-Modified-Since) says it has this version."""
        if "If-None-Match" in self.headers:
            return etag in self.headers["If-None-Match"]
        since = self.headers.get("If-Modified-Since")
        if not since:
            return False
        try:
            return email.utils.parsedate_to_datetime(since).timestamp() >= mtime
        except (TypeError, ValueError):
            return False

    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        """Send the body, counting its bytes (benchmarks read SiteServer.bytes_sent)."""
        while chunk := source.read(64 * 1024):
            # Counted before it is written, so a client holding the whole body sees it counted.
            self.server.count_sent(len(chunk))  # type: ignore[attr-defined]
            outputfile.write(chunk)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Vary", "Accept-Encoding")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


class SiteServer(http.server.ThreadingHTTPServer):
    """Threading server that stays quiet when a browser drops a connection it no longer needs."""

    daemon_threads = True

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.bytes_sent = 0
        self._sent_lock = threading.Lock()

    def count_sent(self, size: int) -> None:
        """Add `size` body bytes to bytes_sent (handlers run in several threads)."""
        with self._sent_lock:
            self.bytes_sent += size

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def make_server(
    directory: Path, host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False, compress: bool = True
):
    """Return a ThreadingHTTPServer serving `directory` (port 0 picks a free port)."""
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = SiteServer((host, port), handler)
    server.verbose = verbose  # type: ignore[attr-defined]
    server.compress = compress  # type: ignore[attr-defined]
    return server


def serve_in_thread(directory: Path, host: str = "127.0.0.1", port: int = 0, *, compress: bool = True):
    """Start a server in a daemon thread; return it (call .shutdown() to stop)."""
    server = make_server(directory, host, port, compress=compress)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="site", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default=8000, type=int)
    parser.add_argument("--no-gzip", action="store_true", help="send every file uncompressed")
    args = parser.parse_args()
    if not (args.dir / "index.html").is_file():
        raise SystemExit(f"{args.dir}/index.html is missing: run `make build` first")
    server = make_server(args.dir, args.host, args.port, verbose=True, compress=not args.no_gzip)
    print(f"Serving {args.dir}/ on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
