"""Glossary terms are enforced through placeholders: the engine cannot change them."""

from __future__ import annotations

import pytest

from helpers import SAMPLES, copy_of

ARTICLE = SAMPLES / "karabakh.en.txt"
TOML = """
[glossary."International Red Cross"]
keep = true
[glossary."Lachin corridor"]
es = "corredor de Lachin"
ca = "corredor de Laçín"
"""
TSV = "term\tes\tca\nInternational Red Cross\t=\t=\nLachin corridor\tcorredor de Lachin\tcorredor de Laçín\n"


@pytest.mark.parametrize("name,content", [("terms.toml", TOML), ("terms.tsv", TSV)])
def test_terms_are_enforced(xlat, tmp_path, name, content):
    glossary = tmp_path / name
    glossary.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(ARTICLE), "--to", "es,ca", "--engine", "apertium",
                  "--glossary", str(glossary), "--out", str(out))
    assert result.code == 0, result.stderr
    spanish = copy_of(out, "es", ARTICLE).read_text(encoding="utf-8")
    catalan = copy_of(out, "ca", ARTICLE).read_text(encoding="utf-8")
    assert "International Red Cross" in spanish and "International Red Cross" in catalan
    assert "corredor de Lachin" in spanish and "corredor de Laçín" in catalan


def test_xlat_toml_in_the_working_directory(xlat, tmp_path, monkeypatch):
    (tmp_path / "xlat.toml").write_text(TOML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = xlat("translate", str(ARTICLE), "--to", "es", "--engine", "apertium", "--out", "out")
    assert result.code == 0, result.stderr
    assert "corredor de Lachin" in copy_of(tmp_path / "out", "es", ARTICLE).read_text(encoding="utf-8")


def test_bad_glossary_is_one_line(xlat, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[glossary\nnot toml", encoding="utf-8")
    result = xlat("translate", str(ARTICLE), "--to", "es", "--glossary", str(bad), "--out", str(tmp_path))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert str(bad) in line and "not valid TOML" in line
    assert not (tmp_path / "es").exists()
