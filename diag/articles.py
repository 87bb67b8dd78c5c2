"""The guide's article registry (diag/articles.toml): ids, kinds, paths, titles, anchors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from diag.errors import ModelError

KINDS = frozenset({"home", "tool", "status", "symptom", "fix", "people", "reference"})
"""Every article kind the registry may use."""


@dataclass(frozen=True)
class Article:
    """One page of the guide.

    Attributes:
        id: Stable id used in links and by the knowledge model.
        kind: One of `KINDS`.
        path: Markdown path under docs/.
        title: The page's first heading.
        anchors: Section anchors that other pages may link to.
        code: Fact-base code (e.g. "F7"), when the page has one.
    """

    id: str
    kind: str
    path: str
    title: str
    anchors: tuple[str, ...] = ()
    code: str = ""

    @property
    def url(self) -> str:
        """Site-relative URL with directory URLs: fixes/restart.md -> fixes/restart/."""
        if self.path == "index.md":
            return ""
        if self.path.endswith("/index.md"):
            return self.path[: -len("index.md")]
        return self.path[: -len(".md")] + "/"


def load_articles(text: str, *, source_name: str = "articles.toml") -> dict[str, Article]:
    """Parse and validate the registry text; return the articles by id, in file order.

    Raises:
        ModelError: The TOML is invalid or an entry is incomplete; lists every offender.
    """
    import tomllib  # noqa: PLC0415 - only when parsing TOML text: an installed wheel reads parsed.json

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ModelError(source_name, [f"not valid TOML: {error}"]) from None
    return articles_from_dict(data, source_name=source_name)


def articles_from_dict(data: dict[str, Any], *, source_name: str) -> dict[str, Article]:
    """Build the registry from already parsed data (see `load_articles`)."""
    problems: list[str] = []
    result: dict[str, Article] = {}
    entries = data.get("article")
    if not isinstance(entries, list) or not entries:
        raise ModelError(source_name, ["no [[article]] entries"])
    for position, entry in enumerate(entries):
        name = f"article #{position + 1}"
        if not isinstance(entry, dict):
            problems.append(f"{name}: not a table")
            continue
        ident = entry.get("id")
        if isinstance(ident, str):
            name = f"article {ident!r}"
        fields = {key: entry.get(key) for key in ("id", "kind", "path", "title")}
        missing = [key for key, value in fields.items() if not isinstance(value, str) or not value]
        if missing:
            problems.append(f"{name}: missing {', '.join(missing)}")
            continue
        if entry["kind"] not in KINDS:
            problems.append(f"{name}: unknown kind {entry['kind']!r}")
        if not str(entry["path"]).endswith(".md"):
            problems.append(f"{name}: path must end in .md")
        anchors = entry.get("anchors", [])
        if not isinstance(anchors, list) or not all(isinstance(a, str) for a in anchors):
            problems.append(f"{name}: anchors must be a list of strings")
            anchors = []
        if entry["id"] in result:
            problems.append(f"{name}: duplicate id")
        result[entry["id"]] = Article(
            id=entry["id"],
            kind=entry["kind"],
            path=entry["path"],
            title=entry["title"],
            anchors=tuple(anchors),
            code=str(entry.get("code", "")),
        )
    if problems:
        raise ModelError(source_name, problems)
    return result
