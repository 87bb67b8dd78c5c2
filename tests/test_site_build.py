"""The guide builds strictly, and the strict build really catches broken links and anchors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, load_articles

MKDOCS_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def nav_paths(nav: list[object]) -> list[str]:
    """Every Markdown path listed anywhere in a MkDocs nav tree."""
    found: list[str] = []
    for item in nav:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                found.extend(nav_paths(value) if isinstance(value, list) else [value])
    return found


class _ConfigLoader(yaml.SafeLoader):
    """Safe loader that reads MkDocs' `!!python/name:` and `!ENV` tags as plain None."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
_ConfigLoader.add_multi_constructor("!", lambda *_: None)


def mkdocs_config() -> dict[str, object]:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)


def strict_build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project, capture_output=True, text=True, env=MKDOCS_ENV, check=False,
    )


def copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    for name in ("mkdocs.yml", "docs", "overrides", "diag"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            project.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, project / name)
    return project


def test_strict_build_succeeds_without_warnings(tmp_path):
    """Assert `mkdocs build --strict` exits 0 and prints no warning."""
    result = strict_build(ROOT, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr


def test_strict_build_fails_on_a_broken_internal_link(tmp_path):
    """Assert a link to a page that does not exist fails the build and names the page."""
    project = copy_project(tmp_path)
    glossary = project / "docs" / "glossary.md"
    glossary.write_text(glossary.read_text() + "\n\nSee [nowhere](fixes/no-such-fix.md).\n")
    result = strict_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "no-such-fix.md" in result.stderr


def test_strict_build_fails_on_a_broken_anchor(tmp_path):
    """Assert a link to a missing heading anchor fails the build."""
    project = copy_project(tmp_path)
    glossary = project / "docs" / "glossary.md"
    glossary.write_text(glossary.read_text() + "\n\nSee [steps](fixes/restart.md#no-such-heading).\n")
    result = strict_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "no-such-heading" in result.stderr


def test_every_page_in_the_nav_exists():
    """Assert every nav entry names a Markdown file under docs/."""
    missing = [p for p in nav_paths(mkdocs_config()["nav"]) if not (ROOT / "docs" / p).is_file()]
    assert missing == []


def test_every_registered_article_is_in_the_nav_except_the_tag_index():
    """Assert the nav and diag/articles.toml list the same pages (the tag index is reached from pages)."""
    nav = set(nav_paths(mkdocs_config()["nav"]))
    registered = {a["path"] for a in load_articles()} - {"tags.md"}
    assert registered == nav


def test_every_markdown_page_is_registered():
    """Assert no page exists under docs/ without an entry (a stable id) in diag/articles.toml."""
    registered = {a["path"] for a in load_articles()}
    on_disk = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    assert on_disk - registered == set()


@pytest.mark.parametrize("key", ["id", "path"])
def test_article_ids_and_paths_are_unique(key):
    """Assert no two registry entries share an id or a path."""
    values = [a[key] for a in load_articles()]
    assert len(values) == len(set(values))


def test_theme_fonts_are_disabled():
    """Assert Material's Google Fonts loading is off (the site makes no third-party requests)."""
    assert mkdocs_config()["theme"]["font"] is False
