"""Firefox ESR (Debian's `firefox-esr`) driven headless over WebDriver BiDi.

No geckodriver: Debian, PyPI and npm only offer it as a download from elsewhere. Firefox
itself speaks WebDriver BiDi when started with `--remote-debugging-port`; this module talks
to it over a websocket (the `websocket-client` package). Every network request of the page
and its workers is recorded from BiDi's `network.beforeRequestSent` events, and a
recording proxy catches anything that tries to leave 127.0.0.1.
"""

from __future__ import annotations

import collections
import contextlib
import json
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import websocket

from .common import PageDriver, RecordingProxy, free_port

PREFS = {
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.share_proxy_settings": True,
    "network.proxy.no_proxies_on": "",
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "browser.safebrowsing.update.enabled": False,
    "app.update.disabledForTesting": True,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
}


class BidiError(RuntimeError):
    """A BiDi command failed, or the browser did not answer."""


class Firefox(PageDriver):
    """One headless Firefox ESR with one tab, driven over WebDriver BiDi."""

    def __init__(self, *, width: int = 375, height: int = 812) -> None:
        binary = shutil.which("firefox-esr") or shutil.which("firefox")
        if binary is None:
            raise FileNotFoundError("firefox-esr is missing: `make test` installs it with apt-get")
        self.proxy = RecordingProxy()
        self.profile = Path(tempfile.mkdtemp(prefix="delivered-firefox-"))
        prefs = {**PREFS, "network.proxy.http_port": self.proxy.port, "network.proxy.ssl_port": self.proxy.port}
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items())
        )
        port = free_port()
        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-remote",
                "--profile",
                str(self.profile),
                f"--remote-debugging-port={port}",
                f"--width={width}",
                f"--height={height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.log: collections.deque[str] = collections.deque(maxlen=200)
        self._lines: queue.Queue[str | None] = queue.Queue()
        # Firefox writes to stderr for as long as it runs: keep reading it, or a full pipe
        # blocks the browser mid-test.
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()
        self._wait_listening()
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}/session", timeout=120, suppress_origin=True)
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self.command("session.new", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": False}}})
        self.command("session.subscribe", {"events": ["network.beforeRequestSent"]})
        tree = self.command("browsingContext.getTree", {})
        self.context = tree["contexts"][0]["context"]

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + 60
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            if "WebDriver BiDi listening on" in line:
                return
        self.process.kill()
        raise BidiError("Firefox did not start its WebDriver BiDi server:\n" + "".join(self.log))

    def command(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Send one BiDi command and return its result, keeping events that arrive meanwhile."""
        self._next += 1
        self.ws.send(json.dumps({"id": self._next, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("type") == "event":
                self.events.append(message)
            elif message.get("id") == self._next:
                if message.get("type") == "error":
                    raise BidiError(f"{method}: {message.get('error')}: {message.get('message')}")
                return message["result"]

    @property
    def requested_urls(self) -> list[str]:
        """Every URL the page and its workers requested so far (BiDi network events)."""
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "network.beforeRequestSent"]

    @property
    def foreign_requests(self) -> list[str]:
        """The requests of the page and its workers for anywhere but 127.0.0.1 (BiDi events)."""
        network = [u for u in self.requested_urls if urlsplit(u).scheme in {"http", "https", "ws", "wss"}]
        return [u for u in network if urlsplit(u).hostname not in {"127.0.0.1", "localhost"}]

    def get(self, url: str) -> None:
        self.command("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def evaluate(self, expression: str) -> Any:
        """Evaluate JS in the page (awaiting promises); return its JSON-serialisable value."""
        result = self.command(
            "script.evaluate",
            {
                "expression": f"(async () => JSON.stringify(await ({expression})))()",
                "target": {"context": self.context},
                "awaitPromise": True,
            },
        )
        if result.get("type") != "success":
            raise BidiError(f"script error: {result.get('exceptionDetails', {}).get('text')}")
        value = result["result"].get("value")
        return None if value in (None, "undefined") else json.loads(value)

    def click(self, selector: str) -> None:
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def text(self, selector: str) -> str:
        """The rendered text of the first element matching `selector`."""
        return str(self.evaluate(f"document.querySelector({json.dumps(selector)}).innerText"))

    @property
    def version(self) -> str:
        out = subprocess.run([self.process.args[0], "--version"], capture_output=True, text=True, check=False)
        return re.sub(r"\s+", " ", out.stdout).strip()

    def quit(self) -> None:
        with contextlib.suppress(BidiError, websocket.WebSocketException, OSError):
            self.command("browser.close", {})
            self.ws.close()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self._reader.join(timeout=10)  # the browser has exited: its stderr is at its end
        if self.process.stderr is not None and not self._reader.is_alive():
            self.process.stderr.close()
        self.proxy.close()
        shutil.rmtree(self.profile, ignore_errors=True)
