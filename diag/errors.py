"""The one exception family of diag: every failure a caller can see is a DiagError.

`ModelError` means the knowledge base or article registry is wrong (found at load
time, listing every offender); `EvidenceError` means a session, event or link is
wrong (found at run time, naming the offending event or id).
"""

from __future__ import annotations


class DiagError(Exception):
    """Base of every error diag raises on purpose; its message is readable as is."""


class ModelError(DiagError):
    """A knowledge or article file failed validation.

    Attributes:
        source: The file (or source name) that was being loaded.
        problems: Every offence found, each naming the entry, e.g. "fix 'restart': ...".
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        """Build the message from the source name and the list of problems."""
        self.source = source
        self.problems = tuple(problems)
        listed = "; ".join(problems)
        super().__init__(f"{source}: {len(problems)} problem(s): {listed}")


class EvidenceError(DiagError):
    """An event, session or share link can't be used.

    Attributes:
        ref: The offending id, event position or fragment, when there is one.
    """

    def __init__(self, message: str, *, ref: str | int | None = None) -> None:
        """Keep the offending reference next to the readable message."""
        self.ref = ref
        super().__init__(message)


class SessionLinkError(EvidenceError):
    """A share link (URL fragment) is damaged, tampered with or from another version."""
