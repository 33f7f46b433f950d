"""Translation memory in SQLite: sentences a person approved (reused before any engine runs)
and machine translations (reused when the same engine and settings would produce them again).

Keys are the sentence as the engine sees it (white space collapsed, placeholders ⟦n⟧ for
markup, protected text and quotations) and the language pair.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from xlat.errors import XlatError
from xlat.paths import data_dir

HUMAN, MACHINE = "human", "mt"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS segments (
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL,          -- human | mt
    engine TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL,
    PRIMARY KEY (source_lang, target_lang, source, origin, engine)
);
"""


class TranslationMemoryError(XlatError):
    pass


def default_path() -> Path:
    return data_dir() / "memory.sqlite"


class Memory:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(self.path))
            self.db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise TranslationMemoryError(f"{self.path}: cannot open the translation memory ({exc})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Memory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _lookup(self, source_lang: str, target_lang: str, texts: Iterable[str], origin: str,
                engine: str) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(texts))
        for i in range(0, len(unique), 500):
            chunk = unique[i:i + 500]
            rows = self.db.execute(
                f"SELECT source, target FROM segments WHERE source_lang=? AND target_lang=? "
                f"AND origin=? AND engine=? AND source IN ({','.join('?' * len(chunk))})",
                [source_lang, target_lang, origin, engine, *chunk])
            found.update(rows.fetchall())
        return found

    def approved(self, source_lang: str, target_lang: str, texts: Iterable[str]) -> dict[str, str]:
        """Human-approved translations of these sentences."""
        return self._lookup(source_lang, target_lang, texts, HUMAN, "")

    def cached(self, source_lang: str, target_lang: str, engine: str, texts: Iterable[str]) -> dict[str, str]:
        """Machine translations these sentences got from this engine (signature) before."""
        return self._lookup(source_lang, target_lang, texts, MACHINE, engine)

    def _store(self, source_lang: str, target_lang: str, pairs: Iterable[tuple[str, str]],
               origin: str, engine: str) -> int:
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        rows = [(source_lang, target_lang, s, t, origin, engine, now) for s, t in pairs]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO segments VALUES (?,?,?,?,?,?,?)", rows)
        return len(rows)

    def store_machine(self, source_lang, target_lang, engine, pairs) -> int:
        return self._store(source_lang, target_lang, pairs, MACHINE, engine)

    def approve(self, source_lang, target_lang, pairs) -> int:
        return self._store(source_lang, target_lang, pairs, HUMAN, "")

    def human_segments(self):
        yield from self.db.execute(
            "SELECT source_lang, target_lang, source, target, updated FROM segments "
            "WHERE origin=? ORDER BY source_lang, target_lang, source", [HUMAN])
