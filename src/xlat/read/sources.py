"""Turning command-line PATH arguments into the list of documents to process.

Inputs are confined: a document is a regular file under one of the given roots. A symbolic
link is followed only when it stays inside its root (or with follow_symlinks); devices, FIFOs
and sockets are refused by name, never opened (a FIFO would hang the batch, /dev/zero fill
memory); a folder holding an xlat output (its manifest.json) and the run's own outputs
(`out`: its <lang>/ folders and review.html) are not inputs.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from xlat.errors import InputError
from xlat.i18n import _
from xlat.formats import format_for
from xlat.read.textio import STDIN, read_input

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Source:
    """One document to process: where it is, its format, and its path below the argument's
    root (what output paths are made of: a file argument keeps its name, a directory argument
    keeps the tree below it)."""

    path: str
    format: str
    relative: str
    real: str = ""
    """The file itself, links resolved when it was listed: what is read (without following a
    link swapped in since: read()). Empty for standard input."""

    def read(self, encoding: str | None = None):
        """The document's text (read.textio.TextInput), or an InputError naming it."""
        if not self.real:
            return read_input(self.path, encoding)
        return read_input(self.real, encoding, nofollow=True, label=self.path, format_name=self.format)


def expand(arguments: list[str], stdin_format: str = "text", *, follow_symlinks: bool = False,
           out: str | Path | None = None, outputs: tuple[str | Path, ...] = ()
           ) -> tuple[list[Source], list[InputError]]:
    """Files as given, directories recursed (hidden entries skipped, sorted), "-" for stdin.

    A file named explicitly is read whatever its suffix (as text when unknown); inside
    directories only the suffixes xlat knows are picked up. Problems come back as errors, one
    per file, so the other inputs can still be processed.
    """
    sources: list[Source] = []
    errors: list[InputError] = []
    own = _resolved(Path(out)) if out is not None else None
    outputs_of_run = {_resolved(Path(p)) for p in outputs}  # below `out`: <lang>/, review.html
    skipped = outputs_of_run | ({own} if own else set())
    for arg in arguments:
        if arg == STDIN:
            sources.append(Source(STDIN, stdin_format, "stdin.txt"))
            continue
        path = Path(arg)
        if not path.exists() and not path.is_symlink():
            errors.append(InputError(arg, _("no such file or directory")))
        elif path.is_dir():  # a folder named explicitly is a root, even through a link
            real = _resolved(path)
            if real != own and (real in skipped or _is_output_folder(path)
                                or (own and _inside(real, own))):
                errors.append(InputError(arg, _("is an xlat output folder, not an input")))
                continue
            # the output folder itself may hold inputs (--out equal to the input folder): its
            # outputs (<lang>/, review.html) are skipped, not the rest
            found = list(_walk(path, follow_symlinks, skipped - {real}, errors))
            if not found and not any(e.path.startswith(arg) for e in errors):
                errors.append(InputError(arg, _("directory has no .txt, .md, .html, .docx or .odt files")))
            sources.extend(found)
        else:
            # a file named explicitly: its root is the folder it is in
            problem = _refusal(path, _resolved(path.parent), follow_symlinks)
            if problem:
                errors.append(InputError(shown(arg), problem))
            elif any(_inside(_resolved(path), folder) for folder in outputs_of_run):
                errors.append(InputError(arg, _("is inside the output folder, not an input")))
            else:
                sources.append(Source(arg, format_for(path) or "text", path.name, str(_resolved(path))))
    return sources, errors


def shown(path: str) -> str:
    """A path as it can be printed: bytes of a name that is not UTF-8 as \\xNN."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _is_output_folder(folder: Path) -> bool:
    """A folder xlat wrote: its manifest.json names xlat (a run never reads its outputs)."""
    manifest = folder / MANIFEST
    try:
        if not manifest.is_file() or manifest.is_symlink():
            return False
        with open(manifest, "rb") as handle:
            head = handle.read(200)
    except OSError:
        return False
    return b'"xlat_version"' in head


def _refusal(path: Path, root: Path, follow_symlinks: bool) -> str | None:
    """Why `path` cannot be read as a document below `root` (None: it can)."""
    if shown(str(path)) != str(path):
        return _("its name is not valid UTF-8 (rename the file: the manifest and XLIFF name it)")
    if not path.exists():
        return (_("no such file or directory (a broken symbolic link)") if path.is_symlink()
                else _("no such file or directory"))
    try:
        if path.is_symlink():
            target = _resolved(path)
            if not follow_symlinks and not _inside(target, root):
                return _("is a symbolic link to {target}, outside {top}; not followed (use "
                         "--follow-symlinks)").format(target=target, top=root)
        mode = os.stat(path).st_mode  # follows the link: what would be read
    except FileNotFoundError:
        return _("no such file or directory")
    except OSError as exc:
        return _("cannot be read: {reason}").format(reason=exc.strerror or exc)
    if stat.S_ISDIR(mode):
        return _("is a directory")
    if not stat.S_ISREG(mode):
        if stat.S_ISFIFO(mode):
            return _("is a FIFO, not a regular file; not read")
        if stat.S_ISSOCK(mode):
            return _("is a socket, not a regular file; not read")
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            return _("is a device, not a regular file; not read")
        return _("is not a regular file; not read")
    return None


def _walk(root: Path, follow_symlinks: bool, skipped: set[Path], errors: list[InputError]):
    top = _resolved(root)
    visited: set[Path] = set()
    stack = [root]
    while stack:  # depth-first, sorted, without recursion on the tree's depth
        folder = stack.pop()
        real = _resolved(folder)
        if real in visited:  # a link loop (only with follow_symlinks)
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            errors.append(InputError(str(folder), _("cannot be read: {reason}").format(
                reason=exc.strerror or exc)))
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False) or (entry.is_symlink() and path.is_dir()):
                if entry.is_symlink() and not follow_symlinks and not _inside(_resolved(path), top):
                    errors.append(InputError(str(path), _(
                        "is a symbolic link to {target}, outside {top}; not followed (use "
                        "--follow-symlinks)").format(target=_resolved(path), top=top)))
                    continue
                if _resolved(path) in skipped or _is_output_folder(path):
                    continue  # the run's own output, or an earlier run's: not inputs
                folders.append(path)
                continue
            fmt = format_for(path)
            if not fmt or _resolved(path) in skipped:
                continue
            problem = _refusal(path, top, follow_symlinks)
            if problem:
                errors.append(InputError(shown(str(path)), problem))
                continue
            yield Source(str(path), fmt, path.relative_to(root).as_posix(), str(_resolved(path)))
        stack.extend(reversed(folders))
