"""manifest.json at the top of the output folder: what was written from what, and how.

It is also how xlat knows whether a localized file is still the one it wrote (same checksum)
and may be replaced, or has been edited by a person and must not be overwritten silently.

The state is durable per finished document: beside the manifest, `manifest.journal` gets one
JSON line (flushed to disk) before each file is written ("writing": its path and checksum)
and after each document ("document": its entry). Loading replays the journal over the
manifest, so a run killed at any moment (kill -9, Ctrl-C, power) leaves a state the next run
resumes from: finished documents are reused, files written without their document's entry
are known as xlat's own (their checksum was journaled first) and replaced. `save()` folds
the journal into manifest.json (atomically) and removes it. Appending is linear in the run.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import MutableMapping
from datetime import datetime, timezone
from pathlib import Path

from xlat import __version__
from xlat.errors import InputError
from xlat.fsutil import open_atomic

NAME = "manifest.json"
JOURNAL = "manifest.journal"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Documents(MutableMapping):
    """source -> document entry, each kept as compact JSON (a few times smaller than the dicts:
    a run's memory stays flat in its number of documents). Reading gives a fresh dict: change
    an entry by assigning it again."""

    def __init__(self):
        self._data: dict[str, str] = {}

    def __getitem__(self, source: str) -> dict:
        return json.loads(self._data[source])

    def __setitem__(self, source: str, entry: dict) -> None:
        self._data[source] = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))

    def __delitem__(self, source: str) -> None:
        del self._data[source]

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, source) -> bool:
        return source in self._data


class Manifest:
    def __init__(self, out_dir: Path | None):
        """The manifest of the output folder `out_dir`; None: a run that writes no files
        (--out -), whose manifest stays empty and in memory."""
        self.out_dir = out_dir
        self.path = out_dir / NAME if out_dir is not None else None
        self.journal_path = out_dir / JOURNAL if out_dir is not None else None
        self.documents = _Documents()
        self._checksums: dict[str, str] = {}
        """Every recorded copy and XLIFF -> the checksum xlat wrote it with."""
        self.writing: dict[str, set[str]] = {}
        """Files whose writing was journaled (path -> checksums): xlat's, even unrecorded."""
        self._journal = None
        if out_dir is None:
            return
        data = _read_json(self.path)
        if isinstance(data, dict) and isinstance(data.get("documents"), list):
            for document in data["documents"]:
                if isinstance(document, dict) and isinstance(document.get("source"), str):
                    self._merge(document, replace=True)
        for line in _read_lines(self.journal_path):
            try:
                event = json.loads(line)
            except ValueError:
                continue  # the line being written when the run was killed
            if not isinstance(event, dict):
                continue
            if isinstance(event.get("document"), dict) and isinstance(event["document"].get("source"), str):
                self._merge(event["document"])
            elif isinstance(event.get("writing"), str) and isinstance(event.get("sha256"), str):
                self.writing.setdefault(event["writing"], set()).add(event["sha256"])

    def written_checksum(self, output: str) -> str | None:
        return self._checksums.get(output)

    def written_by_xlat(self, output: str, checksum: str) -> bool:
        """Is `checksum` that of a file xlat wrote (or began to write) at `output`?"""
        return checksum == self.written_checksum(output) or checksum in self.writing.get(output, ())

    def reusable(self, source: str, source_sha256: str, target: str, settings,
                 output: Path) -> dict | None:
        """The recorded target entry when it can stand: same source bytes, same settings, and
        the output still the file xlat wrote."""
        document = self.documents.get(source)
        if not document or document.get("sha256") != source_sha256:
            return None
        entry = document.get("targets", {}).get(target)
        if not entry or entry.get("source_sha256", source_sha256) != source_sha256:
            return None  # made from an earlier version of the source (another run's targets)
        try:
            file = output.relative_to(self.out_dir).as_posix()
        except ValueError:
            file = None
        if entry.get("file") and entry["file"] != file:
            return None  # named otherwise then (--name): translated again under the new name
        if entry.get("settings") != settings.to_json() or output.is_symlink() \
                or not output.is_file() or entry.get("status") == "integrity-error":
            return None
        if sha256(output.read_bytes()) != entry.get("sha256"):
            return None
        return {k: v for k, v in entry.items() if k != "reused"}

    def will_write(self, output: str, checksum: str) -> None:
        """Journal that `output` is about to be written with these bytes (before writing)."""
        self.writing.setdefault(output, set()).add(checksum)
        self._append({"writing": output, "sha256": checksum})

    def record(self, entry: dict) -> None:
        """Record a finished document (journaled at once: durable before the next one)."""
        self._merge(entry)
        self._append({"document": entry})

    def _merge(self, entry: dict, replace: bool = False) -> None:
        previous = {} if replace else self.documents.get(entry["source"], {})
        targets = {}
        for language, target in previous.get("targets", {}).items():
            # a target of another run stays recorded (its file is xlat's), with the version of
            # the source it was made from: a later run must not take it for this version's
            made_from = target.get("source_sha256") or previous.get("sha256")
            targets[language] = {**target, "source_sha256": made_from} if made_from else target
        targets.update(entry.get("targets", {}) if isinstance(entry.get("targets"), dict) else {})
        self.documents[entry["source"]] = {**entry, "targets": targets}
        for target in targets.values():
            if not isinstance(target, dict):
                continue
            for path, checksum in ((target.get("path"), target.get("sha256")),
                                   (target.get("xliff"), target.get("xliff_sha256"))):
                if isinstance(path, str) and isinstance(checksum, str):
                    self._checksums[path] = checksum

    def _append(self, event: dict) -> None:
        if self.out_dir is None:
            return
        line = (json.dumps(event, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            if self._journal is None:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                if self.journal_path.is_symlink():
                    raise InputError(str(self.journal_path), "is a symbolic link; not written")
                self._journal = open(self.journal_path, "ab")
                if self._journal.tell() and not _ends_with_newline(self.journal_path):
                    self._journal.write(b"\n")  # after a torn last line: start a fresh one
            self._journal.write(line)
            self._journal.flush()
            os.fsync(self._journal.fileno())
        except OSError as exc:
            raise InputError(str(self.journal_path), f"cannot write: {exc.strerror or exc}") from None

    def save(self) -> None:
        """manifest.json with everything recorded, written atomically; the journal removed.
        A failure is one InputError naming manifest.json (the journal keeps the state)."""
        head = {
            "xlat_version": __version__,
            "updated": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        }
        try:
            if self.path.is_symlink():
                raise InputError(str(self.path), "is a symbolic link; not written")
            with open_atomic(self.path) as out:  # one document at a time: nothing built whole
                out.write(json.dumps(head, ensure_ascii=False, indent=2)[:-2].encode("utf-8"))
                out.write(b',\n  "documents": [')
                for n, source in enumerate(sorted(self.documents)):
                    text = json.dumps(self.documents[source], ensure_ascii=False, indent=2)
                    out.write((("," if n else "") + "\n    " + text.replace("\n", "\n    ")).encode("utf-8"))
                out.write(b"\n  ]\n}\n" if self.documents else b"]\n}\n")
            self.close()
            self.journal_path.unlink(missing_ok=True)
            self.writing.clear()
        except OSError as exc:
            raise InputError(str(self.path), f"cannot write: {exc.strerror or exc}") from None

    def close(self) -> None:
        if self._journal is not None:
            try:
                self._journal.close()
            except OSError:
                pass
            self._journal = None


def _read_json(path: Path):
    """The file's JSON, or None when it is missing, unreadable, a link or not JSON (then old
    outputs count as unknown: they are not overwritten without --force)."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _read_lines(path: Path) -> list[str]:
    try:
        if path.is_symlink() or not path.is_file():
            return []
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"
