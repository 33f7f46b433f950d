"""Hostile cases of the second round (issue 10): each one line and the rest done, or a correct
output. Real Apertium (en -> es, ca)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from xlat.read.sources import expand

SENTENCE = "The mayor said the new bridge will open next month after a long debate.\n"


def test_a_target_made_from_an_earlier_source_version_is_never_reused(tmp_path, xlat):
    source, out = tmp_path / "a.txt", tmp_path / "out"
    source.write_text(SENTENCE, encoding="utf-8")
    args = ("--from", "en", "--engine", "apertium", "--out", str(out), "--json")
    assert xlat("translate", str(source), "--to", "es,ca", *args).code == 0
    source.write_text("The mayor said the old bridge will close next month.\n", encoding="utf-8")
    assert xlat("translate", str(source), "--to", "es", *args).code == 0
    result = xlat("translate", str(source), "--to", "es,ca", *args)
    assert result.code == 0, result.stderr
    (document,) = result.json_lines()
    assert document["targets"]["ca"]["reused"] is False
    assert "vell" in (out / "ca" / "a.txt").read_text(encoding="utf-8")  # "old", not "new"


def test_a_file_swapped_after_it_was_listed_is_checked_as_it_is_opened(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for name in ("link.txt", "fifo.txt"):
        (folder / name).write_text(SENTENCE, encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("zanzibar\n", encoding="utf-8")
    sources, errors = expand([str(folder)])
    assert not errors and len(sources) == 2
    (folder / "link.txt").unlink()
    os.symlink(secret, folder / "link.txt")
    (folder / "fifo.txt").unlink()
    os.mkfifo(folder / "fifo.txt")  # opening it for reading would block
    problems = {}
    for source in sources:
        try:
            source.read()
        except Exception as exc:  # noqa: BLE001 - the test wants to see which
            problems[Path(source.path).name] = str(exc)
    assert "symbolic link" in problems["link.txt"]
    assert "not a regular file" in problems["fifo.txt"]


def test_a_file_name_that_is_not_utf8_is_one_line(tmp_path, xlat):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "good.txt").write_text(SENTENCE, encoding="utf-8")
    bad = os.path.join(os.fsencode(folder), b"bad\xffname.txt")
    with open(bad, "wb") as handle:
        handle.write(SENTENCE.encode())
    out = tmp_path / "out"
    result = xlat("translate", str(folder), "--to", "es", "--from", "en", "--out", str(out))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert "bad\\xffname.txt" in line and "not valid UTF-8" in line
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [Path(d["source"]).name for d in manifest["documents"]] == ["good.txt"]


def test_the_finished_target_of_a_document_is_recorded_when_another_fails(tmp_path, xlat):
    source, out = tmp_path / "a.txt", tmp_path / "out"
    source.write_text(SENTENCE, encoding="utf-8")
    (out / "es").mkdir(parents=True)
    os.symlink(tmp_path, out / "es" / "a.txt")  # the es copy cannot be written
    result = xlat("translate", str(source), "--to", "es,ca", "--from", "en", "--out", str(out), "--json")
    assert result.code == 1
    (document,) = result.json_lines()
    assert list(document["targets"]) == ["ca"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["documents"][0]["targets"]) == ["ca"]


def test_a_glossary_that_is_not_utf8_or_not_a_file_is_one_line(tmp_path, xlat):
    source = tmp_path / "a.txt"
    source.write_text(SENTENCE, encoding="utf-8")
    broken = tmp_path / "g.toml"
    broken.write_bytes('[glossary."Café"]\nes = "x"\n'.encode("cp1252"))
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    for glossary, problem in ((broken, "not valid UTF-8"), (fifo, "not a regular file")):
        result = xlat("translate", str(source), "--to", "es", "--from", "en", "--glossary", str(glossary),
                      "--out", str(tmp_path / "out"))
        assert result.code == 1
        (line,) = result.stderr.splitlines()
        assert str(glossary) in line and problem in line and "--encoding" not in line


def test_markdown_nested_past_the_limit_is_one_line_not_a_silent_copy(tmp_path, xlat):
    deep = tmp_path / "deep.md"
    deep.write_text("The mayor said the new bridge will open next month.\n\n" + "> " * 150
                    + "Citizens welcomed the news about the bridge today.\n", encoding="utf-8")
    fine = tmp_path / "fine.md"
    fine.write_text("The mayor said the new bridge will open next month.\n\n" + "> " * 25
                    + "Citizens welcomed the news about the bridge today.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(deep), str(fine), "--to", "es", "--from", "en", "--engine", "apertium",
                  "--out", str(out))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert "deep.md" in line and "nested deeper than" in line
    assert "ciudadanos" in (out / "es" / "fine.md").read_text(encoding="utf-8").lower()


def test_a_word_longer_than_any_language_has_is_kept_out_of_the_engine(tmp_path, xlat):
    blob = "x" * 5000
    source = tmp_path / "a.txt"
    source.write_text(f"The mayor said {blob} today in the town hall.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                  "--out", str(out))
    assert result.code == 0, result.stderr
    copy = (out / "es" / "a.txt").read_text(encoding="utf-8")
    assert blob in copy and "alcalde" in copy


def test_an_xliff_nested_thousands_deep_is_one_line(tmp_path, xlat):
    source, out = tmp_path / "a.txt", tmp_path / "out"
    source.write_text(SENTENCE, encoding="utf-8")
    assert xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                "--out", str(out)).code == 0
    xlf = out / "es" / "a.txt.xlf"
    text = xlf.read_text(encoding="utf-8")
    deep = '<g id="1">' * 5000 + "x" + "</g>" * 5000
    start = text.index('<target state="')
    start = text.index(">", start) + 1
    end = text.index("</target>", start)
    xlf.write_text(text[:start] + deep + text[end:], encoding="utf-8")
    result = xlat("review", "apply", str(xlf))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert str(xlf) in line and "Traceback" not in result.stderr


def test_typeset_takes_the_encoding_its_error_suggests(xlat):
    data = 'caf\xe9 "x"\n'.encode("cp1252")
    failed = xlat("typeset", "--lang", "en", "-", input=data)
    assert failed.code == 1 and "--encoding cp1252" in failed.stderr
    done = xlat("typeset", "--lang", "en", "--encoding", "cp1252", "-", input=data)
    assert done.code == 0 and done.stdout == "café “x”\n"


def test_a_markdown_link_with_an_angle_bracket_target_stays_a_link(tmp_path, xlat):
    source, out = tmp_path / "a.md", tmp_path / "out"
    source.write_text('The man walked [away](<http://example.com/a b> "Title") now.\n', encoding="utf-8")
    result = xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                  "--out", str(out))
    assert result.code == 0, result.stderr
    assert '](<http://example.com/a b> "Title")' in (out / "es" / "a.md").read_text(encoding="utf-8")
