"""MkDocs hook: a "Which iOS do I have?" tip before a page's first iOS version tabs.

Readers must pick a tab ("iOS 18 and later" / "iOS 17 and earlier"); most do not know
their version. Every page with version tabs gets the same short, collapsed tip, written
once here, so no page can forget it.
"""

from __future__ import annotations

import re
from typing import Any

FIRST_VERSION_TAB = re.compile(r'^([ \t]*)===\+?[ \t]+"[^"]*\biOS \d', re.M)

TIP = (
    '??? tip "Which iOS do I have?"\n'
    "    Open **Settings**. If the list has an **Apps** row (near the bottom), your iPhone has\n"
    "    iOS 18 or later; without it, iOS 17 or earlier. For the exact number, tap **General**,\n"
    "    then **About**.\n"
)
"""The tip (pymdownx.details, collapsed): one line until the reader opens it."""


def with_tip(markdown: str) -> str:
    """`markdown` with the tip before its first iOS version tab, at that tab's indentation."""
    match = FIRST_VERSION_TAB.search(markdown)
    if match is None:
        return markdown
    indent = match.group(1)
    tip = "".join(f"{indent}{line}\n" if line else "\n" for line in TIP.splitlines())
    return f"{markdown[: match.start()]}{tip}\n{markdown[match.start() :]}"


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """Add the tip to every page that has iOS version tabs."""
    return with_tip(markdown)
