"""WebKitGTK (Debian's `webkit2gtk-driver`: WebKitWebDriver + MiniBrowser) driven by Selenium on an Xvfb display.

WebKitGTK is the nearest engine to iPhone Safari that runs here. MiniBrowser needs a display,
so each session starts its own Xvfb (`-displayfd`: the server picks a free display and names
it, no lock-file race) and WebKitWebDriver on it. Requests that try to leave 127.0.0.1 go to a
recording proxy, named in the browser's environment (`http_proxy`, read by GLib's libproxy
module) rather than by the W3C `proxy` capability: with that capability, WebKitWebDriver 2.50
never answered about one new-session request in five here (MiniBrowser gone, the driver idle).

Every call into the driver is bounded: Selenium's client waits for ever by default, so one
stuck WebKitWebDriver command would hang the whole test run instead of failing one test.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from typing import Any

import urllib3
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection

from .common import PageDriver, RecordingProxy, free_port

MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
COMMAND_TIMEOUT_S = 90
"""Longest wait for any one WebDriver command (page loads and scripts time out sooner, at 60 s)."""
SESSION_TIMEOUT_S = 30
"""Longest wait for a new session (MiniBrowser starting: under a second, a few on a busy machine)."""
START_ATTEMPTS = 2
"""If a new session is not answered, one more try with fresh processes (none seen in 55 starts here)."""


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    """Stop a process started in its own session, and everything it started."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class VirtualDisplay:
    """An Xvfb server on the first free display number, which it reports itself."""

    def __init__(self) -> None:
        xvfb = shutil.which("Xvfb")
        if xvfb is None:
            raise FileNotFoundError("Xvfb is missing: `make test` installs it with apt-get (xvfb)")
        read, write = os.pipe()
        self.process = subprocess.Popen(
            [xvfb, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()  # Xvfb writes it once it accepts clients, or exits
        if not number:
            _stop(self.process)
            raise RuntimeError("Xvfb did not start")
        self.name = f":{number}"

    def close(self) -> None:
        _stop(self.process)


class WebKit(PageDriver):
    """One MiniBrowser window driven through WebKitWebDriver."""

    def __init__(self) -> None:
        if shutil.which("WebKitWebDriver") is None:
            raise FileNotFoundError("WebKitWebDriver is missing: `make test` installs it with apt-get")
        self.proxy = RecordingProxy()
        self.display: VirtualDisplay | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by quit)
        self.config = ClientConfig(remote_server_addr="http://127.0.0.1", timeout=SESSION_TIMEOUT_S)
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                self.driver = self._start()
                break
            except (OSError, RuntimeError, WebDriverException, urllib3.exceptions.HTTPError) as error:
                self._stop_processes()
                if attempt == START_ATTEMPTS:
                    self.proxy.close()
                    raise RuntimeError(f"WebKit did not start a session:\n{self.driver_log()}") from error
        self.config.timeout = COMMAND_TIMEOUT_S
        self.driver.set_page_load_timeout(60)
        self.driver.set_script_timeout(60)

    def _start(self) -> webdriver.Remote:
        """Start Xvfb, WebKitWebDriver on it, and a new session; return the session's driver."""
        self.display = VirtualDisplay()
        port = free_port()
        self.process = subprocess.Popen(
            ["WebKitWebDriver", f"--port={port}"],
            env={
                **os.environ,
                "DISPLAY": self.display.name,
                "http_proxy": f"http://127.0.0.1:{self.proxy.port}",
                "https_proxy": f"http://127.0.0.1:{self.proxy.port}",
                "no_proxy": "127.0.0.1,localhost",
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/status", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.2)
        options = webdriver.WebKitGTKOptions()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        self.config.remote_server_addr = url
        return webdriver.Remote(command_executor=RemoteConnection(client_config=self.config), options=options)

    def driver_log(self) -> str:
        """The last lines WebKitWebDriver and MiniBrowser wrote, for a failure message."""
        self.log.seek(0)
        return "\n".join(self.log.read().decode(errors="replace").splitlines()[-40:])

    @property
    def foreign_requests(self) -> list[str]:
        """The request lines that reached the recording proxy: everything not for 127.0.0.1."""
        return self.proxy.requests

    def get(self, url: str) -> None:
        self.driver.get(url)

    def evaluate(self, expression: str) -> Any:
        value = self.driver.execute_script(f"return JSON.stringify({expression});")
        return None if value is None else json.loads(value)

    def click(self, selector: str) -> None:
        element = self.driver.find_element(By.CSS_SELECTOR, selector)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def text(self, selector: str) -> str:
        return str(self.driver.find_element(By.CSS_SELECTOR, selector).text)

    def _stop_processes(self) -> None:
        _stop(self.process)
        if self.display is not None:
            self.display.close()

    def quit(self) -> None:
        try:
            with contextlib.suppress(WebDriverException, OSError):
                self.driver.quit()
        finally:
            self._stop_processes()
            self.proxy.close()
            self.log.close()
