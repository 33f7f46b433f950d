"""manifest.json at the top of the output folder: what was written from what, and how.

It is also how xlat knows whether a localized file is still the one it wrote (same checksum)
and may be replaced, or has been edited by a person and must not be overwritten silently.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from xlat import __version__
from xlat.fsutil import write_text_atomic

NAME = "manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Manifest:
    def __init__(self, out_dir: Path):
        self.path = out_dir / NAME
        self.documents: dict[str, dict] = {}
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.documents = {d["source"]: d for d in data.get("documents", [])}
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self.documents = {}  # unreadable: start afresh, old outputs count as unknown

    def written_checksum(self, output: str) -> str | None:
        for document in self.documents.values():
            for target in document.get("targets", {}).values():
                if target.get("path") == output:
                    return target.get("sha256")
                if target.get("xliff") == output:
                    return target.get("xliff_sha256")
        return None

    def reusable(self, source: str, source_sha256: str, target: str, settings,
                 output: Path) -> dict | None:
        """The recorded target entry when it can stand: same source bytes, same settings, and
        the output still the file xlat wrote."""
        document = self.documents.get(source)
        if not document or document.get("sha256") != source_sha256:
            return None
        entry = document.get("targets", {}).get(target)
        if not entry or entry.get("settings") != settings.to_json() or not output.is_file() \
                or entry.get("status") == "integrity-error":
            return None
        if sha256(output.read_bytes()) != entry.get("sha256"):
            return None
        return {k: v for k, v in entry.items() if k != "reused"}

    def record(self, entry: dict) -> None:
        previous = self.documents.get(entry["source"], {})
        targets = dict(previous.get("targets", {}))
        targets.update(entry.get("targets", {}))
        self.documents[entry["source"]] = {**entry, "targets": targets}

    def save(self) -> None:
        data = {
            "xlat_version": __version__,
            "updated": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "documents": [self.documents[k] for k in sorted(self.documents)],
        }
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
