"""Wheel build step: also ship the knowledge files pre-parsed as JSON.

The TOML files in diag/ stay the one source of truth. At wheel build time they are
parsed once and written to diag/parsed.json, so an installed diag (natively and in
Pyodide) reads them with the C `json` module instead of compiling and running the
pure-Python `tomllib`, which costs ~50 ms of every widget start in the browser.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCES = ("articles.toml", "knowledge.toml", "settings_paths.toml")


class BuildWithParsedKnowledge(build_py):
    """`build_py` plus diag/parsed.json: every TOML source, parsed, keyed by file name."""

    def run(self) -> None:
        """Copy the package as usual, then write diag/parsed.json next to it."""
        super().run()
        here = Path(__file__).resolve().parent / "diag"
        parsed = {name: tomllib.loads((here / name).read_text(encoding="utf-8")) for name in SOURCES}
        target = Path(self.build_lib) / "diag" / "parsed.json"
        target.write_text(json.dumps(parsed, ensure_ascii=False, sort_keys=True), encoding="utf-8")


setup(cmdclass={"build_py": BuildWithParsedKnowledge})
