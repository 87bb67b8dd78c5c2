"""diag's own data files: the TOML sources, and the copy of them the wheel build parsed.

An installed wheel (natively and in Pyodide) carries diag/parsed.json, every TOML source
parsed once at build time (setup.py), so start-up reads it with the C `json` module instead
of running the pure-Python `tomllib`. It is read once, whoever asks first.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
"""Where diag's data files are (a plain directory, both in a wheel install and in Pyodide)."""


def path(name: str) -> str:
    """The path of one of diag's data files."""
    return os.path.join(PACKAGE_DIR, name)


def read(name: str) -> str:
    """The text of one of diag's data files."""
    with open(path(name), encoding="utf-8") as file:
        return file.read()


@functools.cache
def parsed(name: str) -> dict[str, Any] | None:
    """The TOML source `name` as the wheel build parsed it; None in a source tree (no parsed.json)."""
    everything = _parsed_file()
    data = everything.get(name) if everything is not None else None
    return data if isinstance(data, dict) else None


@functools.cache
def _parsed_file() -> dict[str, Any] | None:
    if not os.path.isfile(path("parsed.json")):
        return None
    data = json.loads(read("parsed.json"))
    return data if isinstance(data, dict) else None
