"""Translation memory in SQLite: sentences a person approved (reused before any engine runs)
and machine translations (reused when the same engine and settings would produce them again).

Keys are the sentence as the engine sees it (white space collapsed, placeholders ⟦n⟧ for
markup, protected text and quotations) and the language pair.

Every problem with the file is one TranslationMemoryError naming it: not an SQLite database,
damaged, another program's database or a schema this xlat does not know, read-only, a full
disk. Opening checks all of that (structure, schema version, a test write when the memory is
to be written), so a command stops before it has done anything. Writes are transactions (a
killed process leaves the last committed state: SQLite's rollback journal); `transaction()`
groups several writes into one (a TMX import is stored whole or not at all).

Schema versions (PRAGMA user_version): 0 is the unversioned table of xlat <= 0.x, identical to
version 1, which is stamped on it when it is first opened for writing; version 2 adds the table
`codes`: for an approved sentence, the text each of its placeholders stood for (for TMX export
with real inline codes), added (empty) when an older memory is first opened for writing; rows
without codes are exported as before. A database from a newer xlat is refused.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import quote

from xlat.errors import XlatError
from xlat.paths import data_dir

HUMAN, MACHINE = "human", "mt"
SCHEMA_VERSION = 2
_COLUMNS = ("source_lang", "target_lang", "source", "target", "origin", "engine", "updated")
_KEY = ("source_lang", "target_lang", "source", "origin", "engine")
_SCHEMA = """
CREATE TABLE segments (
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL,          -- human | mt
    engine TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL,
    PRIMARY KEY (source_lang, target_lang, source, origin, engine)
)
"""
_CODES_SCHEMA = """
CREATE TABLE IF NOT EXISTS codes (
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    codes TEXT NOT NULL,           -- JSON: placeholder number -> [ph|bpt|ept, source text, target text]
    PRIMARY KEY (source_lang, target_lang, source)
)
"""


class TranslationMemoryError(XlatError):
    """The memory file cannot be used; the message names it and says why."""

    def __init__(self, path: str | Path, problem: str, cause: str = ""):
        super().__init__(f"{path}: translation memory: {problem}")
        self.path = str(path)
        self.problem = problem
        self.cause = cause or problem


def default_path() -> Path:
    return data_dir() / "memory.sqlite"


def describe_error(exc: BaseException) -> str:
    """What an sqlite3 or OS error means for the user, in a few words."""
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    text = str(exc)
    if "file is not a database" in text:
        return "not an SQLite database (another kind of file, or damaged)"
    if "malformed" in text or "corrupt" in text:
        return f"damaged ({text}); move it away (or use --no-tm)"
    if "readonly" in text or "read-only" in text:
        return "read-only: cannot store segments in it"
    if "disk is full" in text:
        return "the disk is full"
    if "locked" in text or "busy" in text:
        return "in use by another program (locked); try again when it is done"
    if "unable to open" in text:
        return "cannot open it (its folder is missing or not accessible)"
    return text


class Memory:
    """The translation memory file.

    writable=False opens an existing file without changing it (a missing file is an empty
    memory, and is not created). keep_going=True (for a translation run): a failure after
    opening disables the memory instead of raising; lookups then find nothing, stores do
    nothing, and `take_failure()` hands the error over once, for the caller to report.
    """

    def __init__(self, path: str | Path | None = None, *, writable: bool = True,
                 keep_going: bool = False):
        self.path = Path(path) if path else default_path()
        self.keep_going = keep_going
        self.failure: TranslationMemoryError | None = None
        self._reported = False
        self._depth = 0
        self._indexes: dict[tuple[str, str], object] = {}
        self.db: sqlite3.Connection | None = None
        try:
            self._open(writable)
        except (OSError, sqlite3.Error) as exc:
            self.close()
            raise TranslationMemoryError(self.path, describe_error(exc)) from None
        except TranslationMemoryError:
            self.close()
            raise

    # -- opening ------------------------------------------------------------------------------
    def _open(self, writable: bool) -> None:
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            mode = None
        if mode is not None and not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise TranslationMemoryError(self.path, f"{kind}, not a translation memory file")
        if mode is None and not writable:
            self.db = sqlite3.connect(":memory:", isolation_level=None)
            self.db.execute(_SCHEMA)
            self.db.execute(_CODES_SCHEMA)
            return
        if mode is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # an existing file opens read-write even to be read only: SQLite then rolls back what a
        # killed writer left (a hot journal) instead of failing
        uri = f"file:{quote(str(self.path.absolute()))}?mode={'rwc' if writable else 'rw'}"
        # isolation_level=None: no implicit transactions; every write below is in an explicit one
        self.db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10)
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = [name for (name,) in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        if version > SCHEMA_VERSION:
            raise TranslationMemoryError(self.path, f"written by a newer xlat (schema version "
                                                    f"{version}; this xlat knows {SCHEMA_VERSION})")
        if "segments" in tables:
            self._check_schema(version)
            damage = [row[0] for row in self.db.execute("PRAGMA quick_check(3)")]
            if damage != ["ok"]:
                raise TranslationMemoryError(self.path, f"damaged ({'; '.join(damage)}); "
                                                        "move it away (or use --no-tm)")
        elif tables or version:
            listed = ", ".join(sorted(tables)[:5]) or "none"
            raise TranslationMemoryError(self.path, f"not an xlat translation memory (tables: {listed})")
        if writable:
            # a real write, committed: a read-only file or folder, a full disk or a lock held by
            # another program shows now, before the command has done anything
            try:
                with self._transaction():
                    if "segments" not in tables:
                        self.db.execute(_SCHEMA)
                    self.db.execute(_CODES_SCHEMA)  # version 2 (from 0 or 1: nothing else changes)
                    self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except sqlite3.OperationalError as exc:
                if "unable to open" not in str(exc):
                    raise
                raise TranslationMemoryError(self.path, "cannot write in its folder (read-only?): "
                                                        "SQLite cannot create its journal there") from None

    def _check_schema(self, version: int) -> None:
        info = self.db.execute("PRAGMA table_info(segments)").fetchall()
        columns = tuple(row[1] for row in info)
        key = tuple(row[1] for row in sorted(info, key=lambda r: r[5]) if row[5])
        if sorted(columns) != sorted(_COLUMNS) or key != _KEY:
            shown = ", ".join(columns[:10]) + (", ..." if len(columns) > 10 else "")
            when = "an older xlat's or another program's" if version == 0 else "another program's"
            raise TranslationMemoryError(
                self.path, f"not a translation memory this xlat can use ({when} table "
                           f"'segments' with columns {shown}; expected {', '.join(_COLUMNS)})")

    # -- life cycle ---------------------------------------------------------------------------
    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None

    def __enter__(self) -> "Memory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def take_failure(self) -> TranslationMemoryError | None:
        """The failure that disabled the memory (keep_going), once; None otherwise."""
        if self.failure is None or self._reported:
            return None
        self._reported = True
        return self.failure

    def _fail(self, exc: BaseException, doing: str) -> None:
        problem = exc.problem if isinstance(exc, TranslationMemoryError) else describe_error(exc)
        error = TranslationMemoryError(self.path, f"cannot {doing}: {problem}"
                                       + ("; the run goes on without it" if self.keep_going else ""))
        if not self.keep_going:
            raise error from None
        self.failure = self.failure or error

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite rolled back by itself (a full disk, an I/O error)
            raise
        self._depth = 0
        self.db.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes inside are stored together or (on any error) not at all."""
        try:
            with self._transaction():
                yield
        except (OSError, sqlite3.Error) as exc:
            cause = describe_error(exc)
            raise TranslationMemoryError(self.path, f"cannot store segments: {cause}; nothing was stored",
                                         cause) from None

    # -- reading and writing ------------------------------------------------------------------
    def _lookup(self, source_lang: str, target_lang: str, texts: Iterable[str], origin: str,
                engine: str) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.failure is not None:
            return found
        unique = list(dict.fromkeys(texts))
        try:
            for i in range(0, len(unique), 500):
                chunk = unique[i:i + 500]
                rows = self.db.execute(
                    f"SELECT source, target FROM segments WHERE source_lang=? AND target_lang=? "
                    f"AND origin=? AND engine=? AND source IN ({','.join('?' * len(chunk))})",
                    [source_lang, target_lang, origin, engine, *chunk])
                found.update(rows.fetchall())
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc, "read it")
            return {}
        return found

    def approved(self, source_lang: str, target_lang: str, texts: Iterable[str]) -> dict[str, str]:
        """Human-approved translations of these sentences."""
        return self._lookup(source_lang, target_lang, texts, HUMAN, "")

    def cached(self, source_lang: str, target_lang: str, engine: str, texts: Iterable[str]) -> dict[str, str]:
        """Machine translations these sentences got from this engine (signature) before."""
        return self._lookup(source_lang, target_lang, texts, MACHINE, engine)

    def fuzzy(self, source_lang: str, target_lang: str, texts: Iterable[str], threshold: int) -> dict:
        """The best approved match (xlat.translate.fuzzy.Match) of each sentence at or above
        `threshold` percent; sentences without one are left out. The pair's index is built on
        first use (and again after approvals)."""
        from xlat.translate.fuzzy import Index

        found: dict = {}
        if self.failure is not None:
            return found
        key = (source_lang, target_lang)
        if key not in self._indexes:
            try:
                rows = self.db.execute(
                    "SELECT source, target FROM segments WHERE source_lang=? AND target_lang=? "
                    "AND origin=? ORDER BY source", [source_lang, target_lang, HUMAN]).fetchall()
            except (OSError, sqlite3.Error) as exc:
                self._fail(exc, "read it")
                return found
            self._indexes[key] = Index(rows)
        index = self._indexes[key]
        for text in dict.fromkeys(texts):
            match = index.best(text, threshold)
            if match is not None:
                found[text] = match
        return found

    def _store(self, source_lang: str, target_lang: str, pairs: Iterable[tuple[str, str]],
               origin: str, engine: str) -> int:
        if self.failure is not None:
            return 0
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        rows = [(source_lang, target_lang, s, t, origin, engine, now) for s, t in pairs]
        try:
            with self._transaction():
                self.db.executemany("INSERT OR REPLACE INTO segments VALUES (?,?,?,?,?,?,?)", rows)
        except (OSError, sqlite3.Error) as exc:
            if self._depth:  # inside a caller's transaction: it reports (and rolls back) the whole
                raise
            self._fail(exc, "store segments")
            return 0
        return len(rows)

    def store_machine(self, source_lang, target_lang, engine, pairs) -> int:
        return self._store(source_lang, target_lang, pairs, MACHINE, engine)

    def approve(self, source_lang, target_lang, pairs, codes: dict[str, str] | None = None) -> int:
        """Store `pairs` (source, target) as approved; `codes`: source -> the JSON of its
        placeholders' texts (xlat.protect.inline.code_texts), kept for TMX export."""
        self._indexes.pop((source_lang, target_lang), None)
        pairs = list(pairs)
        rows = [(source_lang, target_lang, s, codes[s]) for s, _ in pairs if codes and codes.get(s)]
        if not rows:
            return self._store(source_lang, target_lang, pairs, HUMAN, "")
        if self.failure is not None:
            return 0
        outer = self._depth
        try:
            with self._transaction():
                stored = self._store(source_lang, target_lang, pairs, HUMAN, "")
                self.db.executemany("INSERT OR REPLACE INTO codes VALUES (?,?,?,?)", rows)
        except (OSError, sqlite3.Error) as exc:
            if outer:  # inside a caller's transaction: it reports (and rolls back) the whole
                raise
            self._fail(exc, "store segments")
            return 0
        return stored

    def human_segments(self, with_codes: bool = False) -> Iterator[tuple]:
        """(source_lang, target_lang, source, target, updated) of every approved segment, and
        with_codes its placeholders' texts (JSON, or None: approved by an older xlat, or
        imported)."""
        has_codes = with_codes and self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='codes'").fetchone()
        try:
            if has_codes:
                yield from self.db.execute(
                    "SELECT s.source_lang, s.target_lang, s.source, s.target, s.updated, c.codes "
                    "FROM segments s LEFT JOIN codes c ON c.source_lang=s.source_lang AND "
                    "c.target_lang=s.target_lang AND c.source=s.source "
                    "WHERE s.origin=? ORDER BY s.source_lang, s.target_lang, s.source", [HUMAN])
                return
            yield from ((*row, None) if with_codes else row for row in self.db.execute(
                "SELECT source_lang, target_lang, source, target, updated FROM segments "
                "WHERE origin=? ORDER BY source_lang, target_lang, source", [HUMAN]))
        except (OSError, sqlite3.Error) as exc:
            raise TranslationMemoryError(self.path, f"cannot read it: {describe_error(exc)}") from None
