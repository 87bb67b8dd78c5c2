"""Firefox ESR (Debian's `firefox-esr`) driven headless over WebDriver BiDi.

No geckodriver: Debian, PyPI and npm only offer it as a download from elsewhere. Firefox
itself speaks WebDriver BiDi when started with `--remote-debugging-port`; this module talks
to it over a websocket (the `websocket-client` package). Every network request of the page
and its workers is recorded from BiDi's `network.beforeRequestSent` events, and a
recording proxy catches anything that tries to leave 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import websocket

from .common import RecordingProxy, free_port

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


class Firefox:
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
        self._wait_listening()
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}/session", timeout=120, suppress_origin=True)
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self.command("session.new", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": False}}})
        self.command("session.subscribe", {"events": ["network.beforeRequestSent"]})
        tree = self.command("browsingContext.getTree", {})
        self.context = tree["contexts"][0]["context"]

    def _wait_listening(self) -> None:
        assert self.process.stderr is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if "WebDriver BiDi listening on" in line:
                return
            if not line and self.process.poll() is not None:
                break
        raise BidiError("Firefox did not start its WebDriver BiDi server")

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

    def wait_for(self, condition: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(f"!!({condition})"):
                return
            time.sleep(0.1)
        raise TimeoutError(f"not true after {timeout} s: {condition}")

    def click(self, selector: str) -> None:
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

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
        if self.process.stderr is not None:
            self.process.stderr.close()
        self.proxy.close()
        shutil.rmtree(self.profile, ignore_errors=True)
