"""XLIFF beside every localized copy: valid against the OASIS 1.2 schema, with flags."""

from __future__ import annotations

import pytest
from lxml import etree

from helpers import DATA, SAMPLES, copy_of
from test_structure import Hostile, _run
from xlat.render.qa import check_length, check_numbers, check_repetition, check_untranslated
from xlat.review import xliff

SCHEMA = etree.XMLSchema(etree.parse(str(DATA / "schemas" / "xliff-core-1.2-transitional.xsd")))
SOURCES = sorted((DATA / "formats").iterdir()) + [SAMPLES / "metro.fr.html"]


def _valid(path):
    document = etree.parse(str(path))
    assert SCHEMA.validate(document), SCHEMA.error_log
    return document


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_apertium_xliff_is_valid(xlat, tmp_path, path):
    result = xlat("translate", str(path), "--to", "es", "--engine", "apertium", "--out", str(tmp_path),
                  "--json")
    assert result.code == 0, result.stderr
    (doc,) = result.json_lines()
    copy = copy_of(tmp_path, "es", path)
    xlf = copy.with_name(copy.name + ".xlf")  # the XLIFF follows the copy's name
    assert doc["targets"]["es"]["xliff"] == str(xlf)
    document = _valid(xlf)
    ns = {"x": xliff.NS}
    units = document.findall(".//x:trans-unit", ns)
    assert len(units) == doc["targets"]["es"]["segments"]
    assert all(u.find("x:target", ns).get("state") == "needs-review-translation" for u in units)
    assert all(u.find("x:target", ns).get("state-qualifier") == "leveraged-mt" for u in units)
    header = " ".join(n.text for n in document.findall(".//x:header/x:note", ns))
    assert "engine: apertium:" in header and doc["sha256"] in header


def test_hostile_engine_flags_and_valid_xliff(tmp_path):
    output = _run(Hostile(), DATA / "formats" / "article.md", tmp_path, quotes="target")
    document = _valid(output.with_name(output.name + ".xlf"))
    notes = [n.text for n in document.iter(f"{{{xliff.NS}}}note")]
    assert any(n.startswith("info repair: restored") for n in notes)


class Looper(Hostile):
    """Keeps the sentence, then loops on a phrase (as a badly trained model does)."""

    def translate_batch(self, sentences, source, target):
        from xlat.translate.engines.base import Translation

        return [Translation(s + " and so on and so on and so on and so on") for s in sentences]

    def signature(self, source, target):
        return "looper"


def test_looping_engine_is_flagged(tmp_path):
    output = _run(Looper(), DATA / "formats" / "article.txt", tmp_path, quotes="target")
    document = _valid(output.with_name(output.name + ".xlf"))
    notes = [n.text for n in document.iter(f"{{{xliff.NS}}}note")]
    assert any(n.startswith("warning repetition: the engine loops on") for n in notes)


def test_read_back(tmp_path):
    output = _run(Hostile(), DATA / "formats" / "article.txt", tmp_path, quotes="target")
    parsed = xliff.read(output.with_name(output.name + ".xlf"))
    assert parsed.source_language == "en" and parsed.target_language == "de"
    assert len(parsed.source_sha256) == 64 and parsed.units
    assert any("⟦" in u.source for u in parsed.units)


@pytest.mark.parametrize("source,target,src,tgt,flagged", [
    ("32,000 people and 1.5 million", "32.000 personas y 1,5 millones", "en", "es", False),
    ("32,000 people", "32 000 personnes", "en", "fr", False),
    ("32,000 people", "3.200 personas", "en", "es", True),
    ("in 1992-94 and 2020", "en 1992-94 y 2021", "en", "es", True),
])
def test_number_check(source, target, src, tgt, flagged):
    assert bool(check_numbers(source, target, src, tgt)) is flagged


def test_other_checks():
    assert check_repetition("the the house")
    assert check_repetition("a b c a b c a b c a b c")
    assert not check_repetition("a perfectly normal sentence")
    assert check_untranslated("The council met on Tuesday.", "The council met on Tuesday.", False)
    assert not check_untranslated("The council met on Tuesday.", "El consejo se reunió.", False)
    assert check_length("A reasonably long source sentence here.", "Sí.")
    assert check_length("A reasonably long source sentence here.", "")[0].category == "missing"
