"""The few exception types users see. Each carries the file it is about."""

from __future__ import annotations


class XlatError(Exception):
    """Base class: a problem xlat reports in one line and keeps going where it can."""


class InputError(XlatError):
    """An input file that cannot be used (unreadable, binary, empty, undecodable)."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class IntegrityError(InputError):
    """A localized copy that failed the integrity gate: written for inspection, not fine."""

    def __init__(self, path: str, findings: list[str]):
        more = f" (and {len(findings) - 1} more: see manifest.json and review.html)" if len(findings) > 1 else ""
        super().__init__(path, f"integrity-error: {findings[0]}{more}")
        self.findings = findings
