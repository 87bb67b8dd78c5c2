"""What the WebKitGTK and Firefox drivers share: a recording proxy, free ports, waiting on the page."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from typing import Any


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _ProxyHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        line = self.rfile.readline(8192).decode("latin-1").strip()
        if line:
            self.server.requests.append(line)  # type: ignore[attr-defined]
        self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


class RecordingProxy:
    """An HTTP(S) proxy on 127.0.0.1 that refuses everything and records what was asked.

    The browser is told to send every request that is not for 127.0.0.1/localhost through
    it, so `requests` lists exactly the requests that tried to leave the machine.
    """

    def __init__(self) -> None:
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _ProxyHandler)
        self.server.daemon_threads = True
        self.server.requests = []  # type: ignore[attr-defined]
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def requests(self) -> list[str]:
        return list(self.server.requests)  # type: ignore[attr-defined]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class PageDriver:
    """The part of a browser driver that only needs `evaluate`: waiting for a condition in the page."""

    def evaluate(self, expression: str) -> Any:
        """Evaluate a JavaScript expression in the page; return its JSON-serialisable value."""
        raise NotImplementedError

    def wait_for(self, condition: str, timeout: float = 60) -> None:
        """Poll a JavaScript condition until it is true; TimeoutError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(f"!!({condition})"):
                return
            time.sleep(0.1)
        raise TimeoutError(f"not true after {timeout} s: {condition}")
