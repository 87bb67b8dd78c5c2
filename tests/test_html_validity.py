"""Every built HTML page passes the Nu Html Checker (npm vnu-jar, run on Java 17) with no errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(files: list[Path]) -> list[dict[str, object]]:
    """The checker's error messages for `files` (it exits non-zero when there are any)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: the Nu Html Checker needs Java 17 (apt-get install openjdk-17-jre-headless)")
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: run `make setup` (npm ci installs vnu-jar)")
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    return json.loads(result.stderr or result.stdout)["messages"]


def describe(messages: list[dict[str, object]]) -> str:
    return "\n".join(
        f"{str(m.get('url', '')).rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages[:40]
    )


@pytest.mark.slow
def test_every_built_page_passes_the_nu_html_checker(site_dir):
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 20, "the site has hardly any pages: is it built?"
    errors = nu_errors(pages)
    assert errors == [], describe(errors)


def test_the_checker_reports_an_invalid_page(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><title>x</title><label tabindex="">x</label></html>\n')
    errors = nu_errors([bad])
    assert any("tabindex" in str(m["message"]) for m in errors), errors
