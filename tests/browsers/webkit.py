"""WebKitGTK (Debian's `webkit2gtk-driver`: WebKitWebDriver + MiniBrowser) driven by Selenium under xvfb-run.

WebKitGTK is the nearest engine to iPhone Safari that runs here. MiniBrowser needs a display,
so the driver is started as `xvfb-run -a WebKitWebDriver --port=N` and Selenium connects to it.
Requests that try to leave 127.0.0.1 go to a recording proxy (W3C `proxy` capability).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import time
import urllib.request
from typing import Any

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.proxy import Proxy, ProxyType
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection

from .common import RecordingProxy, free_port

MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"


class WebKit:
    """One MiniBrowser window driven through WebKitWebDriver."""

    def __init__(self) -> None:
        driver = shutil.which("WebKitWebDriver")
        xvfb = shutil.which("xvfb-run")
        if driver is None or xvfb is None:
            raise FileNotFoundError("WebKitWebDriver or xvfb-run is missing: `make test` installs them with apt-get")
        self.proxy = RecordingProxy()
        port = free_port()
        self.process = subprocess.Popen(
            [xvfb, "-a", "-s", "-screen 0 1280x1024x24", driver, f"--port={port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/status", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self._stop_driver()
                    raise
                time.sleep(0.2)
        options = webdriver.WebKitGTKOptions()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        proxy = Proxy()
        proxy.proxy_type = ProxyType.MANUAL
        proxy.http_proxy = f"127.0.0.1:{self.proxy.port}"
        proxy.ssl_proxy = f"127.0.0.1:{self.proxy.port}"
        proxy.no_proxy = ["127.0.0.1", "localhost"]
        options.proxy = proxy
        connection = RemoteConnection(client_config=ClientConfig(remote_server_addr=url))
        self.driver = webdriver.Remote(command_executor=connection, options=options)
        self.driver.set_script_timeout(60)

    @property
    def requested_foreign(self) -> list[str]:
        return self.proxy.requests

    def get(self, url: str) -> None:
        self.driver.get(url)

    def evaluate(self, expression: str) -> Any:
        value = self.driver.execute_script(f"return JSON.stringify({expression});")
        return None if value is None else json.loads(value)

    def wait_for(self, condition: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(f"!!({condition})"):
                return
            time.sleep(0.1)
        raise TimeoutError(f"not true after {timeout} s: {condition}")

    def click(self, selector: str) -> None:
        element = self.driver.find_element(By.CSS_SELECTOR, selector)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def _stop_driver(self) -> None:
        import os
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            self._stop_driver()
            self.proxy.close()
