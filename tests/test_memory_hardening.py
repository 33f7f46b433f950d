"""The translation memory and TMX files under hostile or unlucky conditions: every problem is
one line naming the file, nothing is half written, cost per TMX unit is linear."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from xlat.translate.memory import Memory

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "The man walked to the market. He bought bread and cheese.\n\nThe council met on Monday.\n"


def _memory_with_rows(path: Path, rows: int = 300) -> Path:
    with Memory(path) as memory:
        memory.approve("en", "es", [(f"Sentence number {i} of the memory " * 3, f"Frase {i}") for i in range(rows)])
    return path


def _read_only(path: Path) -> None:
    """Read-only for anyone, root included (immutable where the file system allows it)."""
    path.chmod(0o555 if path.is_dir() else 0o444)
    if os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("running as root where chattr +i does not work: cannot make a file read-only")


@pytest.fixture
def undo_read_only():
    paths = []
    yield paths.append
    for path in paths:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        path.chmod(0o755)


def _bad_memories(tmp: Path, undo) -> dict[str, tuple[Path, str]]:
    """name -> (memory path, words the error line must contain)."""
    tmp.mkdir()
    cases = {}
    noise = tmp / "random.sqlite"
    noise.write_bytes(random.Random(1).randbytes(20000))
    cases["random bytes"] = (noise, "not an SQLite database")
    whole = _memory_with_rows(tmp / "whole.sqlite", 2000)
    truncated = tmp / "truncated.sqlite"
    truncated.write_bytes(whole.read_bytes()[:len(whole.read_bytes()) // 3])
    cases["truncated"] = (truncated, "damaged")
    other = tmp / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (id INTEGER, body TEXT)")
    cases["another program's database"] = (other, "not an xlat translation memory (tables: notes)")
    columns = tmp / "columns.sqlite"
    with sqlite3.connect(columns) as db:  # an older layout: no engine column
        db.execute("CREATE TABLE segments (source_lang, target_lang, source, target, origin, updated)")
    cases["wrong columns"] = (columns, "table 'segments' with columns source_lang, target_lang, source, "
                                       "target, origin, updated")
    newer = _memory_with_rows(tmp / "newer.sqlite", 10)
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA user_version = 7")
    cases["newer xlat"] = (newer, "written by a newer xlat (schema version 7")
    folder = tmp / "folder.sqlite"
    folder.mkdir()
    cases["a folder"] = (folder, "a folder, not a translation memory file")
    read_only = _memory_with_rows(tmp / "read-only.sqlite", 10)
    _read_only(read_only)
    undo(read_only)
    cases["read-only file"] = (read_only, "read-only")
    (tmp / "locked-folder").mkdir()
    in_read_only = _memory_with_rows(tmp / "locked-folder" / "memory.sqlite", 10)
    _read_only(in_read_only.parent)
    undo(in_read_only.parent)
    cases["read-only folder"] = (in_read_only, "cannot write in its folder")
    return cases


def _one_error_line(result, path: Path, words: str) -> None:
    assert result.code == 1, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"xlat: error: {path}: translation memory: ") and words in lines[0], lines[0]


def _memory_option(path: Path, monkeypatch) -> list[str]:
    """--tm PATH, except for a folder, which only the default location can be (click refuses
    --tm FOLDER itself): then $XLAT_DATA_DIR/memory.sqlite is that folder."""
    if path.is_dir():
        data = path.parent / "data-dir"
        data.mkdir(exist_ok=True)
        target = data / "memory.sqlite"
        if not target.exists():
            target.mkdir()
        monkeypatch.setenv("XLAT_DATA_DIR", str(data))
        return []
    return ["--tm", str(path)]


def test_a_bad_memory_stops_translate_before_anything_is_written(xlat, tmp_path, monkeypatch, undo_read_only):
    source = tmp_path / "article.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    for name, (path, words) in _bad_memories(tmp_path / "memories", undo_read_only).items():
        before = path.read_bytes() if path.is_file() else None
        out = tmp_path / f"out-{name}"
        option = _memory_option(path, monkeypatch)
        shown = path if option else Path(os.environ["XLAT_DATA_DIR"]) / "memory.sqlite"
        result = xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                      "--out", str(out), *option)
        _one_error_line(result, shown, words)
        assert not out.exists(), name
        if before is not None:
            assert path.read_bytes() == before, name


def test_a_bad_memory_in_review_apply_and_tm_export_is_one_line(xlat, tmp_path, monkeypatch, undo_read_only):
    source = tmp_path / "article.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    assert xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                "--out", str(out), "--no-tm").code == 0
    copy, xlf = out / "es" / "article.txt", out / "es" / "article.txt.xlf"
    copy_before, manifest_before = copy.read_bytes(), (out / "manifest.json").read_bytes()
    for name, (path, words) in _bad_memories(tmp_path / "memories", undo_read_only).items():
        option = _memory_option(path, monkeypatch)
        shown = path if option else Path(os.environ["XLAT_DATA_DIR"]) / "memory.sqlite"
        _one_error_line(xlat("review", "apply", str(xlf), *option), shown, words)
        assert copy.read_bytes() == copy_before and (out / "manifest.json").read_bytes() == manifest_before
        tmx = tmp_path / f"{name}.tmx"
        export = xlat("tm", "export", "--tmx", str(tmx), *option)
        if name.startswith("read-only"):  # reading is all export needs
            assert export.code == 0 and "10 translation units" in export.stdout, export.stderr
        else:
            _one_error_line(export, shown, words)
            assert not tmx.exists()
        imported = xlat("tm", "import", str(tmp_path / "nothing.tmx"), *option)
        assert imported.code == 1 and len(imported.stderr.splitlines()) == 1


def test_an_unversioned_memory_of_an_earlier_xlat_is_used_and_stamped(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:  # exactly what xlat wrote before schema versions
        db.execute("""CREATE TABLE segments (source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
            source TEXT NOT NULL, target TEXT NOT NULL, origin TEXT NOT NULL,
            engine TEXT NOT NULL DEFAULT '', updated TEXT NOT NULL,
            PRIMARY KEY (source_lang, target_lang, source, origin, engine))""")
        db.execute("INSERT INTO segments VALUES ('en','es','Hello.','Hola.','human','','2024-01-01T00:00:00+00:00')")
    with Memory(path) as memory:
        assert memory.approved("en", "es", ["Hello."]) == {"Hello.": "Hola."}
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2  # stamped, and the table of codes added
        assert db.execute("SELECT count(*) FROM codes").fetchone()[0] == 0


def test_tm_export_does_not_create_a_memory(xlat, tmp_path):
    result = xlat("tm", "export", "--tmx", str(tmp_path / "a.tmx"), "--tm", str(tmp_path / "none.sqlite"))
    assert result.code == 0 and "0 translation units" in result.stdout
    assert not (tmp_path / "none.sqlite").exists()


# -- a full disk ------------------------------------------------------------------------------
def _run_limited(args: list[str], file_size_limit: int, env_extra: dict | None = None):
    """`xlat ARGS` in a subprocess that cannot make any file larger than file_size_limit bytes
    (RLIMIT_FSIZE: writes past it fail with EFBIG, as on a full disk)."""
    code = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_FSIZE, ({file_size_limit}, {file_size_limit}))
        from xlat.cli import run
        sys.exit(run({args!r}))
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env_extra or {})}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


def _rows(path: Path) -> int:
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute("SELECT count(*) FROM segments").fetchone()[0]


def test_a_memory_that_fills_the_disk_mid_run_is_one_line_and_the_run_goes_on(tmp_path):
    memory = _memory_with_rows(tmp_path / "memory.sqlite", 2000)
    with sqlite3.connect(memory) as db:
        db.execute("VACUUM")
    rows = _rows(memory)
    source = tmp_path / "article.txt"
    towns = ["Paris", "Lisbon", "Rome", "Madrid", "Berlin", "Vienna", "Prague", "Dublin", "Oslo", "Riga", "Bern"]
    source.write_text("\n\n".join(f"The council of {a} met the council of {b} to talk about the bread."
                                  for a in towns for b in towns) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _run_limited(["translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                           "--out", str(out), "--tm", str(memory)], memory.stat().st_size)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"xlat: error: {memory}: translation memory: cannot "
                                                    "store segments: ") \
        and lines[0].endswith("the run goes on without it"), result.stderr
    assert "El consejo" in (out / "es" / "article.txt").read_text(encoding="utf-8")
    assert _rows(memory) >= rows  # whole transactions: what was stored before, intact
    with Memory(memory) as reopened:
        assert len(reopened.approved("en", "es", [f"Sentence number {i} of the memory " * 3 for i in range(2000)])) == 2000


def test_tm_export_to_a_full_disk_is_one_line_and_keeps_the_old_file(tmp_path):
    memory = _memory_with_rows(tmp_path / "memory.sqlite", 300)
    tmx = tmp_path / "approved.tmx"
    tmx.write_bytes(b"old")
    result = _run_limited(["tm", "export", "--tmx", str(tmx), "--tm", str(memory)], 20000)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"xlat: error: {tmx}: cannot write: File too large"]
    assert tmx.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == [
        "approved.tmx", "memory.sqlite"]


def _tmx(units: list[list[tuple[str, str]]], srclang: str = "*all*", prolog: str = "") -> str:
    body = "".join("<tu>" + "".join(f'<tuv xml:lang="{lang}"><seg>{text}</seg></tuv>' for lang, text in unit)
                   + "</tu>\n" for unit in units)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<tmx version="1.4"><header srclang="{srclang}" '
            f'segtype="sentence" creationtool="t" creationtoolversion="1" o-tmf="t" adminlang="en" '
            f'datatype="plaintext"/>\n<body>\n{body}</body></tmx>\n')


def test_tmx_import_that_fills_the_disk_imports_nothing(tmp_path):
    memory = _memory_with_rows(tmp_path / "memory.sqlite", 10)
    rows = _rows(memory)
    tmx = tmp_path / "big.tmx"
    tmx.write_text(_tmx([[("en", f"Sentence {i} " * 10), ("es", f"Frase {i} " * 10)] for i in range(3000)]),
                   encoding="utf-8")
    result = _run_limited(["tm", "import", str(tmx), "--tm", str(memory)], 200_000)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"xlat: error: {tmx}: ") and line.endswith("; nothing imported"), line
    assert f"cannot store it in the translation memory {memory}: " in line, line
    assert _rows(memory) == rows


# -- kill -9 while writing --------------------------------------------------------------------
_WRITER = """
import sys
from xlat.translate.memory import Memory
with Memory(sys.argv[1]) as memory:
    for batch in range(10**6):
        memory.store_machine("en", "es", "e", [(f"b{batch} s{i} " + "x" * 300, "y" * 300) for i in range(200)])
        print(batch, flush=True)
"""


def test_kill_9_while_writing_leaves_a_consistent_memory(tmp_path):
    path = tmp_path / "memory.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    rng = random.Random(7)
    for attempt in range(5):
        child = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE,
                                 text=True, env=env)
        for _ in range(rng.randint(1, 4)):
            child.stdout.readline()
        child.send_signal(signal.SIGKILL)  # between or in the middle of transactions
        child.wait()
        child.stdout.close()
        with Memory(path) as memory:  # opens (rolling back what was half written) and works
            assert memory.cached("en", "es", "e", ["b0 s0 " + "x" * 300]) == {"b0 s0 " + "x" * 300: "y" * 300}
        assert _rows(path) % 200 == 0  # whole transactions only


# -- TMX import -------------------------------------------------------------------------------
def _count(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM segments").fetchone()[0]


def test_a_unit_in_300_languages_gives_linear_pairs(xlat, tmp_path):
    import itertools

    codes = ["".join(c) for c in itertools.product("abcdefghijklmnopqrst", "abcdefghijklmnopq")][:300]
    tmx = tmp_path / "many.tmx"
    tmx.write_text(_tmx([[(code, f"text in {code}") for code in codes]]), encoding="utf-8")
    memory = tmp_path / "m.sqlite"
    result = xlat("tm", "import", str(tmx), "--tm", str(memory))
    assert result.code == 0 and "299 segment pairs imported" in result.stdout, result.stdout
    with Memory(memory) as m:
        assert m.approved("aa", "ab", ["text in aa"]) == {"text in aa": "text in ab"}


def test_tmx_srclang_picks_the_source_variant(xlat, tmp_path):
    tmx = tmp_path / "fr.tmx"
    tmx.write_text(_tmx([[("en", "Hello"), ("fr", "Bonjour"), ("es", "Hola")], [("en", "Only english")]],
                        srclang="fr"), encoding="utf-8")
    memory = tmp_path / "m.sqlite"
    result = xlat("tm", "import", str(tmx), "--tm", str(memory))
    assert result.code == 0 and result.stdout.startswith("2 segment pairs imported") \
        and "1 of 2 units skipped" in result.stdout, result.stdout
    with Memory(memory) as m:
        assert m.approved("fr", "es", ["Bonjour"]) == {"Bonjour": "Hola"}
        assert m.approved("en", "fr", ["Hello"]) == {}


def test_a_tmx_broken_halfway_imports_nothing_and_says_where(xlat, tmp_path):
    memory = tmp_path / "m.sqlite"
    good = _tmx([[("en", f"Sentence {i}"), ("es", f"Frase {i}")] for i in range(50)])
    tmx = tmp_path / "broken.tmx"
    lines = good.splitlines()
    lines.insert(40, "<tu><tuv xml:lang='en'><seg>unclosed</tuv></tu>")
    tmx.write_text("\n".join(lines), encoding="utf-8")
    result = xlat("tm", "import", str(tmx), "--tm", str(memory))
    assert result.code == 1
    assert result.stderr.splitlines() == [f"xlat: error: {tmx}: line 41: not well-formed XML "
                                          "(mismatched tag); nothing imported"]
    assert _count(memory) == 0


_LAUGHS = "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
_UTF16_BOMB = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE tmx [<!ENTITY a0 "aaaaaaaaaa">'
               + _LAUGHS + ']><tmx><body><tu><tuv xml:lang="en"><seg>&a9;</seg></tuv></tu></body></tmx>'
               ).encode("utf-16")  # entity declarations a byte search for "<!ENTITY" cannot see


@pytest.mark.parametrize("content, problem", [
    (b"", "line 1: not well-formed XML (no element found)"),
    (b"\x00\x01binary junk", "not well-formed XML"),
    (b"<html><body>hi</body></html>", "line 1: not a TMX document (root element <html>)"),
    ('<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
     '<tmx><body><tu><tuv xml:lang="en"><seg>&b;</seg></tuv></tu></body></tmx>'.encode(),
     "internal subset"),
    (_UTF16_BOMB, "internal subset"),
    (b'<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/tmx14.dtd"><tmx><body><tu>'
     b'<tuv xml:lang="en"><seg>&nbsp;</seg></tuv><tuv xml:lang="es"><seg>x</seg></tuv></tu></body></tmx>',
     "undeclared entity &nbsp;"),
])
def test_tmx_that_is_not_one_is_one_line(xlat, tmp_path, content, problem):
    tmx = tmp_path / "bad.tmx"
    tmx.write_bytes(content)
    memory = tmp_path / "m.sqlite"
    result = xlat("tm", "import", str(tmx), "--tm", str(memory))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"xlat: error: {tmx}: ") and problem in line, line
    assert _count(memory) == 0


def test_deeply_nested_tmx_markup_is_not_a_crash(xlat, tmp_path):
    depth = 50_000
    seg = "<hi>" * depth + "deep" + "</hi>" * depth
    tmx = tmp_path / "deep.tmx"
    tmx.write_text(_tmx([[("en", seg), ("es", "hondo")]]), encoding="utf-8")
    memory = tmp_path / "m.sqlite"
    result = xlat("tm", "import", str(tmx), "--tm", str(memory))
    assert result.code == 0 and "1 segment pair imported" in result.stdout, result.stderr
    with Memory(memory) as m:
        assert m.approved("en", "es", ["deep"]) == {"deep": "hondo"}


def test_review_apply_whose_memory_fills_the_disk_changes_nothing(xlat, tmp_path):
    from lxml import etree

    from xlat.review import xliff

    source = tmp_path / "article.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    memory = _memory_with_rows(tmp_path / "memory.sqlite", 2000)
    with sqlite3.connect(memory) as db:
        db.execute("VACUUM")
    assert xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                "--out", str(out), "--no-tm").code == 0
    xlf = out / "es" / "article.txt.xlf"
    tree = etree.parse(str(xlf))
    target = tree.find(".//x:trans-unit/x:target", {"x": xliff.NS})
    target.text, _ = "Una corrección muy larga. " * 400, target.set("state", "final")  # needs new pages
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".xlat.lock"}
    rows = _rows(memory)
    result = _run_limited(["review", "apply", str(xlf), "--tm", str(memory)], memory.stat().st_size)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"xlat: error: {memory}: translation memory: cannot store segments: "), line
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".xlat.lock"}
    assert after == before  # copy, manifest as they were
    assert _rows(memory) == rows
