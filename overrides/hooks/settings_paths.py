"""MkDocs hook: write each Settings path from the path table, and draw it.

A page names a path as ``[[settings:ID]]`` (README, "Naming a Settings path"). This
hook replaces it with the path's text from diag/settings_paths.toml, for the iOS
version of the tab it sits in (``=== "iOS 18 and later"``), and puts a sketch of
that screen (``<figure data-settings-path>``, settings_sketch.py) after the step
that names it, once per tab. Text and picture come from the same table entry, so
they cannot disagree. An unknown id, or a path that differs between the versions
of its tab, fails the build naming the page.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for folder in (HERE, ROOT):  # the sketch module beside this hook; diag from the source tree
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from settings_sketch import render_figure  # noqa: E402

from diag.settings_paths import (  # noqa: E402
    TABLE_FILE,
    VERSION_NAMES,
    VERSIONS,
    SettingsPath,
    SettingsTableError,
    Variant,
    is_placeholder,
    load_table,
)

TABLE = Path(TABLE_FILE)

REFERENCE = re.compile(r"\[\[settings:([^\]\s]+)((?:\s+[^\]\s]+)*)\s*\]\]")
"""``[[settings:ID]]``, optionally followed by a version id and/or ``on``/``off``."""

TAB = re.compile(r'^(\s*)===\+?\s+"([^"]*)"')
LIST_ITEM = re.compile(r"^(\s*)(?:\d+\.|[-*+])\s+")
VERSION_TITLE = re.compile(r"\biOS (\d+)(?:\.\d+)?( and later| or later| and earlier| or earlier)?", re.I)
VERSION_RANGES = {"ios-17-or-earlier": (0, 17), "ios-18": (18, 25), "ios-26": (26, 99)}
MARKER = re.compile(r"<p>\s*<!--dlv-settings-figure:(\d+)-->\s*</p>|<!--dlv-settings-figure:(\d+)-->")


@dataclass(frozen=True)
class FigureSpec:
    """One figure a page asked for: which path, which variant, which switch position."""

    path: SettingsPath
    variant: Variant
    state: str


_figures: dict[str, list[FigureSpec]] = {}
"""Figures per page (src_uri), from on_page_markdown to on_page_content."""


@cache
def table() -> dict[str, SettingsPath]:
    """The path table, read once per build; a malformed table fails the build."""
    try:
        return load_table(TABLE)
    except SettingsTableError as error:
        raise PluginError(str(error)) from error


def versions_in_title(title: str) -> tuple[str, ...] | None:
    """The version ids a tab title covers ("iOS 18 and later" -> ios-18, ios-26), or None."""
    match = VERSION_TITLE.search(title)
    if match is None:
        return None
    number, scope = int(match.group(1)), (match.group(2) or "").strip().lower()
    low, high = (
        (number, 99) if scope.endswith("later") else (0, number) if scope.endswith("earlier") else (number, number)
    )
    return tuple(v for v in VERSIONS if VERSION_RANGES[v][0] <= high and VERSION_RANGES[v][1] >= low)


def path_markdown(variant: Variant) -> str:
    """The path as Markdown: labels in bold, a placeholder such as [your name] as plain words."""
    return " > ".join(step if is_placeholder(step) else f"**{step}**" for step in variant.steps)


def resolve(
    reference: str, options: list[str], context: tuple[str, ...], where: str
) -> tuple[SettingsPath, Variant, str]:
    """The path, variant and switch state a reference names in a tab covering `context`."""
    path = table().get(reference)
    if path is None:
        raise PluginError(
            f"{where}: [[settings:{reference}]] is not in {TABLE.name} (known: {', '.join(sorted(table()))})"
        )
    state = path.state
    versions = context
    for option in options:
        if option in VERSIONS:
            versions = (option,)
        elif option in ("on", "off") and path.control == "switch":
            state = option
        else:
            raise PluginError(
                f"{where}: [[settings:{reference}]]: unknown option {option!r} (a version id, or on/off for a switch)"
            )
    covered = [v for v in versions if path.covers(v)]
    if not covered:
        names = ", ".join(VERSION_NAMES[v] for v in versions)
        raise PluginError(f"{where}: [[settings:{reference}]] does not exist on {names}")
    variants = {path.variant_for(v) for v in covered}
    if len(variants) > 1:
        names = " / ".join(VERSION_NAMES[v] for v in covered)
        raise PluginError(
            f"{where}: [[settings:{reference}]] differs between {names}: put it in version tabs "
            f'(=== "iOS 18 and later") or name the version, e.g. [[settings:{reference} {covered[0]}]]'
        )
    return path, variants.pop(), state


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], index: int) -> tuple[int, int]:
    """Where the list item or paragraph holding line `index` ends, and the indent of its text."""
    item = LIST_ITEM.match(lines[index])
    # Python-Markdown nests a block in a list item at the item's indent plus four spaces.
    content = _indent(lines[index]) + 4 if item else _indent(lines[index])
    end = index + 1
    while end < len(lines) and lines[end].strip() and not LIST_ITEM.match(lines[end]) and not TAB.match(lines[end]):
        end += 1
    return end, content


def rewrite(markdown: str, src_uri: str, *, every_block: bool) -> tuple[str, list[FigureSpec]]:
    """Replace each reference by its path text and add figure markers; the figures asked for.

    Figures follow numbered steps, and on fix pages (`every_block`) any paragraph or
    item that names a path. One figure per path and variant within each tab.
    """
    lines = markdown.split("\n")
    tabs: list[tuple[int, int, tuple[str, ...]]] = []  # (indent, tab number, versions)
    tab_count = 0
    figures: list[FigureSpec] = []
    drawn: set[tuple[int, str, Variant]] = set()
    inserts: dict[int, list[str]] = {}
    for number, line in enumerate(lines):
        if line.strip():
            while tabs and _indent(line) <= tabs[-1][0] and not (TAB.match(line) and _indent(line) == tabs[-1][0]):
                tabs.pop()
        tab = TAB.match(line)
        if tab:
            if tabs and tabs[-1][0] == len(tab.group(1)):
                tabs.pop()
            tab_count += 1
            outer = tabs[-1][2] if tabs else VERSIONS
            tabs.append((len(tab.group(1)), tab_count, versions_in_title(tab.group(2)) or outer))
            continue
        if "[[settings:" not in line:
            continue
        context = tabs[-1][2] if tabs else VERSIONS
        tab_number = tabs[-1][1] if tabs else 0
        where = f"{src_uri}:{number + 1}"
        wanted: list[FigureSpec] = []

        def replace(match: re.Match[str]) -> str:
            path, variant, state = resolve(match.group(1), match.group(2).split(), context, where)  # noqa: B023
            key = (tab_number, path.id, variant)  # noqa: B023
            if key not in drawn:
                drawn.add(key)
                wanted.append(FigureSpec(path, variant, state))  # noqa: B023
            return path_markdown(variant)

        lines[number] = REFERENCE.sub(replace, line)
        if "[[settings:" in lines[number]:
            raise PluginError(f"{where}: malformed [[settings:…]] reference: {line.strip()}")
        if not wanted or not (every_block or re.match(r"^\s*\d+\.\s", line)):
            continue
        end, content = _block_end(lines, number)
        for spec in wanted:
            inserts.setdefault(end, []).extend(["", " " * content + f"<!--dlv-settings-figure:{len(figures)}-->", ""])
            figures.append(spec)
    for position in sorted(inserts, reverse=True):
        lines[position:position] = inserts[position]
    return "\n".join(lines), figures


def on_config(config: Any) -> Any:
    """Re-read the table on every build (``mkdocs serve`` rebuilds in one process)."""
    table.cache_clear()
    _figures.clear()
    table()
    return config


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """Write the path text for every reference and mark where each figure goes."""
    if "[[settings:" not in markdown:
        return markdown
    every_block = page.file.src_uri.startswith("fixes/")
    text, figures = rewrite(markdown, page.file.src_uri, every_block=every_block)
    _figures[page.file.src_uri] = figures
    return text


def on_page_content(html_text: str, *, page: Any, config: Any, files: Any) -> str:
    """Replace each figure marker with its drawing."""
    figures = _figures.get(page.file.src_uri, [])

    def figure(match: re.Match[str]) -> str:
        index = int(match.group(1) or match.group(2))
        spec = figures[index]
        return render_figure(spec.path, spec.variant, spec.state, f"dlv-settings-{index + 1}")

    return MARKER.sub(figure, html_text)
