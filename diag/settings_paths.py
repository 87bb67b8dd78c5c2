"""The Settings path table (diag/settings_paths.toml): load it, check it, look paths up, write them.

One entry per path a page or a question's hint can name; one variant per group of iOS
versions where the path differs. The guide's build draws and writes paths from it
(overrides/hooks/settings_paths.py); the engine writes the paths in its questions' hints
for the person's iOS version (`render_paths`). A malformed entry stops the build with a
message naming the file and the entry, so a typo never reaches a reader as a wrong menu path.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass

from diag import package_files

VERSIONS = ("ios-26", "ios-18", "ios-17-or-earlier")
"""The iOS version ids (the engine's `ios-version` answers, CONTRACTS §1), newest first."""

VERSION_NAMES = {"ios-26": "iOS 26", "ios-18": "iOS 18", "ios-17-or-earlier": "iOS 17 and earlier"}
"""How each version id reads on a page."""

CONTROLS = ("switch", "link", "button", "destructive", "value")
"""What the last row of a path can be."""

POSITIONS = ("top", "middle", "bottom")
"""Where the row sits in the drawn list."""

PATH_KEYS = {"id", "control", "state", "source", "unconfirmed", "variant"}
VARIANT_KEYS = {"ios", "steps", "position", "note"}
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLACEHOLDER = re.compile(r"^\[[a-z][a-z ]*\]$")


class SettingsTableError(ValueError):
    """The path table is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Variant:
    """One way a path looks, on the iOS versions in `versions`."""

    versions: tuple[str, ...]
    steps: tuple[str, ...]
    position: str
    note: str

    @property
    def text(self) -> str:
        """The path as plain text: ``Settings > Apps > Messages``."""
        return " > ".join(self.steps)


@dataclass(frozen=True)
class SettingsPath:
    """One named path: its id, what its last row is, and its variants by iOS version."""

    id: str
    control: str
    state: str
    source: str
    unconfirmed: bool
    variants: tuple[Variant, ...]

    def variant_for(self, version: str) -> Variant:
        """The variant shown on `version` (every version has exactly one)."""
        for variant in self.variants:
            if version in variant.versions:
                return variant
        raise KeyError(version)

    def covers(self, version: str) -> bool:
        """Whether the path exists at all on `version` (RCS has no iOS 17 variant)."""
        return any(version in variant.versions for variant in self.variants)


def is_placeholder(step: str) -> bool:
    """A step such as ``[your name]``: a stand-in for the reader's own row, not a label."""
    return bool(PLACEHOLDER.match(step))


def _fail(source: str, where: str, message: str) -> SettingsTableError:
    return SettingsTableError(f"{source}: {where}: {message}")


def _text(entry: dict[str, object], key: str, source: str, where: str, *, required: bool = True) -> str:
    value = entry.get(key, "" if not required else None)
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(source, where, f"'{key}' must be a non-empty string")
    return value


def _variant(raw: object, source: str, where: str) -> Variant:
    if not isinstance(raw, dict):
        raise _fail(source, where, "each [[path.variant]] must be a table")
    unknown = set(raw) - VARIANT_KEYS
    if unknown:
        raise _fail(
            source, where, f"unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(VARIANT_KEYS))})"
        )
    versions = raw.get("ios")
    if not isinstance(versions, list) or not versions or any(v not in VERSIONS for v in versions):
        raise _fail(source, where, f"'ios' must list one or more of {', '.join(VERSIONS)}; got {versions!r}")
    steps = raw.get("steps")
    if not isinstance(steps, list) or len(steps) < 2 or any(not isinstance(s, str) or not s.strip() for s in steps):
        raise _fail(source, where, "'steps' must list at least two non-empty screen names")
    if steps[0] != "Settings":
        raise _fail(source, where, f"'steps' must start at \"Settings\", not {steps[0]!r}")
    if any(">" in step for step in steps):
        raise _fail(source, where, "a step must not contain '>' (give each screen as its own step)")
    position = raw.get("position", "middle")
    if position not in POSITIONS:
        raise _fail(source, where, f"'position' must be one of {', '.join(POSITIONS)}; got {position!r}")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise _fail(source, where, "'note' must be a string")
    return Variant(tuple(versions), tuple(steps), str(position), note)


def _path(raw: object, index: int, source: str) -> SettingsPath:
    if not isinstance(raw, dict):
        raise _fail(source, f"path #{index + 1}", "each [[path]] must be a table")
    path_id = raw.get("id")
    if not isinstance(path_id, str) or not ID.match(path_id):
        raise _fail(source, f"path #{index + 1}", f"'id' must be lower-case words joined by '-'; got {path_id!r}")
    where = f"path {path_id!r}"
    unknown = set(raw) - PATH_KEYS
    if unknown:
        raise _fail(
            source, where, f"unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(PATH_KEYS))})"
        )
    control = raw.get("control")
    if control not in CONTROLS:
        raise _fail(source, where, f"'control' must be one of {', '.join(CONTROLS)}; got {control!r}")
    state = raw.get("state", "")
    if control == "switch" and state not in ("on", "off"):
        raise _fail(source, where, 'a switch needs \'state\' = "on" or "off"')
    if control != "switch" and state:
        raise _fail(source, where, "only a switch has a 'state'")
    unconfirmed = raw.get("unconfirmed", False)
    if not isinstance(unconfirmed, bool):
        raise _fail(source, where, "'unconfirmed' must be true or false")
    raw_variants = raw.get("variant")
    if not isinstance(raw_variants, list) or not raw_variants:
        raise _fail(source, where, "needs at least one [[path.variant]]")
    variants = tuple(_variant(v, source, f"{where}, variant #{n + 1}") for n, v in enumerate(raw_variants))
    seen: set[str] = set()
    for variant in variants:
        twice = seen & set(variant.versions)
        if twice:
            raise _fail(source, where, f"{', '.join(sorted(twice))} is in more than one variant")
        seen |= set(variant.versions)
    return SettingsPath(
        id=path_id,
        control=str(control),
        state=str(state),
        source=_text(raw, "source", source, where),
        unconfirmed=unconfirmed,
        variants=variants,
    )


def table_from_dict(data: dict[str, object], *, source_name: str = "settings_paths.toml") -> dict[str, SettingsPath]:
    """Check parsed table data; the paths by id. Raises SettingsTableError naming file and entry."""
    raw_paths = data.get("path")
    unknown = set(data) - {"path"}
    if unknown:
        raise SettingsTableError(f"{source_name}: unknown top-level key(s) {', '.join(sorted(unknown))}")
    if not isinstance(raw_paths, list) or not raw_paths:
        raise SettingsTableError(f"{source_name}: no [[path]] entries")
    table: dict[str, SettingsPath] = {}
    for index, raw in enumerate(raw_paths):
        path = _path(raw, index, source_name)
        if path.id in table:
            raise _fail(source_name, f"path {path.id!r}", "the id is used twice")
        table[path.id] = path
    return table


def load_table(source: str | os.PathLike[str]) -> dict[str, SettingsPath]:
    """Read and check the table file at `source`; the paths by id. Raises SettingsTableError naming file and entry."""
    import tomllib  # noqa: PLC0415 - only when parsing TOML text: an installed wheel reads parsed.json

    name = os.path.basename(source)
    try:
        with open(source, encoding="utf-8") as file:
            data = tomllib.loads(file.read())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SettingsTableError(f"{name}: cannot read the table: {error}") from error
    return table_from_dict(data, source_name=name)


TABLE_FILE = package_files.path("settings_paths.toml")
"""The table's one file: in the source tree, and beside this module in an installed wheel."""


@functools.cache
def default_table() -> dict[str, SettingsPath]:
    """The packaged table, loaded and checked once (from the wheel's parsed copy when there is one)."""
    data = package_files.parsed("settings_paths.toml")
    if data is not None:
        return table_from_dict(data, source_name="diag/settings_paths.toml")
    return load_table(TABLE_FILE)


def known_path_texts(table: dict[str, SettingsPath]) -> set[str]:
    """Every path of every variant, and each of its leading parts, as plain text.

    ``Settings > Apps > Messages > iMessage`` also makes ``Settings > Apps`` and
    ``Settings > Apps > Messages`` known: a page may stop at a screen on the way.
    """
    texts: set[str] = set()
    for path in table.values():
        for variant in path.variants:
            for end in range(2, len(variant.steps) + 1):
                texts.add(" > ".join(variant.steps[:end]))
    return texts


REFERENCE = re.compile(r"\[\[settings:([a-z0-9-]+)\]\]")
"""How a text names a path from the table: ``[[settings:send-and-receive]]`` (the guide's syntax)."""

HINT_SEPARATOR = " › "
"""Between the screens of a path in a question's hint."""


def _versions_text(versions: tuple[str, ...]) -> str:
    """``iOS 18 and later``, ``iOS 17 and earlier``, ``iOS 26``: the versions a variant is for, in words."""
    newest = min(VERSIONS.index(version) for version in versions)
    oldest = max(VERSIONS.index(version) for version in versions)
    if newest == oldest:
        return VERSION_NAMES[VERSIONS[newest]]
    if oldest == len(VERSIONS) - 1:
        return f"{VERSION_NAMES[VERSIONS[newest]]} and earlier"
    if newest == 0:
        return f"{VERSION_NAMES[VERSIONS[oldest]]} and later"
    return " to ".join((VERSION_NAMES[VERSIONS[newest]], VERSION_NAMES[VERSIONS[oldest]]))


def path_text(path: SettingsPath, version: str | None, separator: str = HINT_SEPARATOR) -> str:
    """One path in words for `version`; for an unknown version every variant, each with its versions.

    >>> table = default_table()
    >>> path_text(table["messages"], "ios-18")
    'Settings › Apps › Messages'
    >>> path_text(table["messages"], None)
    'Settings › Apps › Messages (iOS 18 and later) or Settings › Messages (iOS 17 and earlier)'
    """
    if version is not None and path.covers(version):
        return separator.join(path.variant_for(version).steps)
    if len(path.variants) == 1 and len(path.variants[0].versions) == len(VERSIONS):
        return separator.join(path.variants[0].steps)
    return " or ".join(
        f"{separator.join(variant.steps)} ({_versions_text(variant.versions)})" for variant in path.variants
    )


def render_paths(text: str, version: str | None, table: dict[str, SettingsPath] | None = None) -> str:
    """`text` with every ``[[settings:ID]]`` written out for `version` (None: not known)."""
    paths = default_table() if table is None else table
    return REFERENCE.sub(lambda match: path_text(paths[match.group(1)], version), text)


def unknown_references(text: str, table: dict[str, SettingsPath] | None = None) -> list[str]:
    """The path ids `text` names that the table does not have."""
    paths = default_table() if table is None else table
    return [match.group(1) for match in REFERENCE.finditer(text) if match.group(1) not in paths]
