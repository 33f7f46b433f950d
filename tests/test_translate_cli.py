"""`xlat translate` for plain text: outputs, manifest, overwrite protection, errors."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from helpers import SAMPLES, copy_of

ARTICLE = SAMPLES / "karabakh.en.txt"


@pytest.fixture
def news(tmp_path):
    root = tmp_path / "news"
    (root / "2026").mkdir(parents=True)
    shutil.copy(ARTICLE, root / "2026" / "karabakh.txt")
    (root / "brief.txt").write_text("The council will meet again on Friday to discuss the bridges.\n",
                                    encoding="utf-8")
    return root


def test_directory_keeps_its_tree_and_manifest(xlat, news, tmp_path):
    out = tmp_path / "out"
    result = xlat("translate", str(news), "--to", "es,ca", "--out", str(out))
    assert result.code == 0, result.stderr
    for lang in ("es", "ca"):
        assert (out / lang / "2026" / "karabakh.txt").is_file()
        assert (out / lang / "brief.txt").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (doc, _) = sorted(manifest["documents"], key=lambda d: d["source"], reverse=True)[:2]
    assert doc["language"] == "en" and len(doc["sha256"]) == 64
    target = doc["targets"]["es"]
    assert target["status"] == "needs-review" and target["engine"].startswith("apertium:eng-spa")
    assert target["segments"] > 0


def test_same_language_is_copied_byte_for_byte(xlat, tmp_path):
    out = tmp_path / "out"
    result = xlat("translate", str(ARTICLE), "--to", "en", "--out", str(out), "--json")
    assert result.code == 0, result.stderr
    assert copy_of(out, "en", ARTICLE).read_bytes() == ARTICLE.read_bytes()
    (doc,) = result.json_lines()
    assert doc["targets"]["en"]["status"] == "copied"
    assert doc["sha256"] == hashlib.sha256(ARTICLE.read_bytes()).hexdigest()


def test_edited_output_is_not_overwritten_without_force(xlat, tmp_path):
    out = tmp_path / "out"
    args = ("translate", str(ARTICLE), "--to", "es", "--out", str(out))
    assert xlat(*args).code == 0
    assert xlat(*args).code == 0  # unchanged since xlat wrote it: replaced silently
    output = copy_of(out, "es", ARTICLE)
    output.write_text("A reviewer's corrected version.\n", encoding="utf-8")
    result = xlat(*args)
    assert result.code == 1
    assert str(output) in result.stderr and "--force" in result.stderr
    assert output.read_text(encoding="utf-8") == "A reviewer's corrected version.\n"
    assert xlat(*args, "--force").code == 0
    assert output.read_text(encoding="utf-8") != "A reviewer's corrected version.\n"


def test_missing_pair_lists_the_commands_that_would_make_it_available(xlat, tmp_path):
    result = xlat("translate", str(ARTICLE), "--to", "gl,es", "--out", str(tmp_path / "out"))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert str(ARTICLE) in line
    for hint in ("xlat models install en gl", "xlat models install FILE.argosmodel",
                 "apt-get install apertium-en-gl"):
        assert hint in line
    assert copy_of(tmp_path / "out", "es", ARTICLE).exists()  # the other target still done
    assert not (tmp_path / "out" / "gl").exists()


def test_undetectable_input(xlat, tmp_path):
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("2020 — 32,000 — 1992-94\n", encoding="utf-8")
    result = xlat("translate", str(numbers), "--to", "es", "--out", str(tmp_path / "out"))
    assert result.code == 1 and "cannot tell the language" in result.stderr and str(numbers) in result.stderr


def test_explicit_source_language(xlat, tmp_path):
    result = xlat("translate", str(ARTICLE), "--from", "en", "--to", "es", "--out", str(tmp_path), "--json")
    assert result.code == 0
    assert result.json_lines()[0]["language"] == "en"


@pytest.mark.parametrize("args", [("--to", "xx"), ("--to", "es", "--engine", "google"), ()])
def test_usage_errors(xlat, tmp_path, args):
    assert xlat("translate", str(ARTICLE), *args).code == 2


def test_languages_command(xlat, monkeypatch):
    pairs = json.loads(xlat("languages", "--json").stdout)["pairs"]
    assert {"engine": "apertium", "from": "en", "to": "es", "via": None, "from_name": "English",
            "to_name": "Spanish"} in pairs
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert "Englisch → Spanisch" in xlat("languages").stdout


def test_an_output_that_cannot_be_written_is_one_line(xlat, tmp_path):
    out = tmp_path / "out"
    copy_of(out, "es", ARTICLE).mkdir(parents=True)  # a folder where the copy should go
    result = xlat("translate", str(ARTICLE), "--to", "es,ca", "--out", str(out))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("xlat: error: ") and "cannot write" in line and "karabakh.es.txt" in line
    assert copy_of(out, "ca", ARTICLE).is_file()  # the other language still written
    assert not [p for p in (out / "es").iterdir() if p.name.startswith(".")]  # no temporary left


def test_short_text_asks_for_from_instead_of_guessing(xlat, tmp_path):
    result = xlat("translate", "-", "--to", "es", "--out", str(tmp_path / "out"), input="Hello\n")
    assert result.code == 1
    assert "--from" in result.stderr and "no engine can translate" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    given = xlat("translate", "-", "--to", "es", "--from", "en", "--engine", "apertium",
                 "--out", str(tmp_path / "out"), input="Hello\n")
    assert given.code == 0, given.stderr


def test_from_takes_one_language(xlat, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("The council will meet again on Friday to discuss the bridges.\n", encoding="utf-8")
    result = xlat("translate", str(article), "--to", "es", "--from", "en,fr")
    assert result.code == 2 and "one language" in result.stderr


def test_an_engine_without_the_pair_says_it_cannot(xlat, argos_dir, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("The council will meet again on Friday to discuss the bridges.\n", encoding="utf-8")
    result = xlat("translate", str(article), "--to", "de", "--engine", "argos", "--out", str(tmp_path / "o"))
    assert result.code == 1
    assert "the argos engine cannot translate en -> de" in result.stderr
    assert "xlat models install en de" in result.stderr


def test_outputs_follow_the_umask(xlat, tmp_path):
    import os
    import stat

    article = tmp_path / "a.txt"
    article.write_text("The council will meet again on Friday to discuss the bridges.\n", encoding="utf-8")
    previous = os.umask(0o022)
    try:
        result = xlat("translate", str(article), "--to", "es", "--engine", "apertium", "--out", str(tmp_path / "o"))
    finally:
        os.umask(previous)
    assert result.code == 0, result.stderr
    for path in (tmp_path / "o").rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_glossary_term_before_an_apostrophe_keeps_the_quotations(xlat, tmp_path):
    glossary = tmp_path / "terms.toml"
    glossary.write_text('[glossary.bridge]\nes = "puente"\n', encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("The bridge's supports, he said, \"are weak and the bridge's deck is old.\" "
                       "The city will close the bridge soon.\n", encoding="utf-8")
    result = xlat("translate", str(article), "--to", "es", "--engine", "apertium", "--from", "en",
                  "--glossary", str(glossary), "--out", str(tmp_path / "o"))
    assert result.code == 0, result.stderr
    text = (tmp_path / "o" / "es" / "a.txt").read_text(encoding="utf-8")
    assert text.count("«") == 1 and text.count("»") == 1 and "“" not in text, text
    assert text.count("puente") == 3
