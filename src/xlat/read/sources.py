"""Turning command-line PATH arguments into the list of documents to process."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from xlat.errors import InputError
from xlat.formats import format_for
from xlat.read.textio import STDIN


@dataclass(frozen=True)
class Source:
    """One document to process: where it is, its format, and its path below the argument's
    root (what output paths are made of: a file argument keeps its name, a directory argument
    keeps the tree below it)."""

    path: str
    format: str
    relative: str


def expand(arguments: list[str], stdin_format: str = "text") -> tuple[list[Source], list[InputError]]:
    """Files as given, directories recursed (hidden entries skipped, sorted), "-" for stdin.

    A file named explicitly is read whatever its suffix (as text when unknown); inside
    directories only the suffixes xlat knows are picked up. Problems come back as errors, one
    per argument, so the other inputs can still be processed.
    """
    sources: list[Source] = []
    errors: list[InputError] = []
    for arg in arguments:
        if arg == STDIN:
            sources.append(Source(STDIN, stdin_format, "stdin.txt"))
            continue
        path = Path(arg)
        if path.is_dir():
            found = list(_walk(path))
            if not found:
                errors.append(InputError(arg, "directory has no .txt, .md or .html files"))
            sources.extend(found)
        elif path.exists() or path.is_symlink():
            sources.append(Source(arg, format_for(path) or "text", path.name))
        else:
            errors.append(InputError(arg, "no such file or directory"))
    return sources, errors


def _walk(root: Path):
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            file = Path(folder) / name
            fmt = format_for(file)
            if fmt:
                yield Source(str(file), fmt, file.relative_to(root).as_posix())
