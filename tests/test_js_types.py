"""The site's JavaScript is type-checked: `tsc --noEmit --checkJs` (pinned TypeScript) passes over every script."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TSC = ROOT / "node_modules" / ".bin" / "tsc"
CONFIGS = ("tsconfig.json", "tsconfig.worker.json")


def tsc(*args: str) -> subprocess.CompletedProcess[str]:
    if not TSC.is_file():
        pytest.fail("node_modules/.bin/tsc is missing (run `make setup`)")
    return subprocess.run([str(TSC), *args], capture_output=True, text=True, cwd=ROOT, timeout=240, check=False)


@pytest.mark.parametrize("config", CONFIGS)
def test_the_site_javascript_passes_the_type_check(config):
    """Assert tsc finds no type error in the scripts `config` covers."""
    result = tsc("--noEmit", "--checkJs", "-p", config)
    assert result.returncode == 0, result.stdout


def test_every_site_script_is_type_checked_by_one_config():
    """Assert each docs/assets/javascripts/*.js file is in exactly one of the two configs."""
    scripts = {p.resolve() for p in (ROOT / "docs" / "assets" / "javascripts").rglob("*.js")}
    covered: list[Path] = []
    for config in CONFIGS:
        listed = tsc("--noEmit", "-p", config, "--listFilesOnly").stdout.split()
        covered += [Path(f).resolve() for f in listed if Path(f).resolve() in scripts]
    assert sorted(covered) == sorted(scripts)
