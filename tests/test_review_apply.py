"""The reviewer's round trip: edit the XLIFF, apply it, the correction survives from memory."""

from __future__ import annotations

import json
import shutil

import pytest
from lxml import etree

from helpers import DATA, assert_same_structure
from xlat.review import xliff

NS = {"x": xliff.NS}


@pytest.fixture
def translated(xlat, tmp_path):
    source = tmp_path / "news" / "article.md"
    source.parent.mkdir()
    shutil.copy(DATA / "formats" / "article.md", source)
    out = tmp_path / "out"
    result = xlat("translate", str(source), "--to", "es", "--engine", "apertium", "--out", str(out))
    assert result.code == 0, result.stderr
    return source, out, out / "es" / "article.md.xlf"


def _edit(xlf, unit_id, words, state="final"):
    """What a CAT tool does: change a target's text (keeping its <x/> codes), set its state."""
    tree = etree.parse(str(xlf))
    target = tree.find(f".//x:trans-unit[@id='{unit_id}']/x:target", NS)
    target.text = words
    target.set("state", state)
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)


def test_apply_round_trip(xlat, translated, tmp_path):
    source, out, xlf = translated
    _edit(xlf, "b0u0s0", "REVISADO: el consejo aprueba el ")  # its <x/> codes follow the text
    result = xlat("review", "apply", str(xlf), "--json")
    assert result.code == 0, result.stderr
    (applied,) = result.json_lines()
    assert applied["approved"] == 1 and applied["changed"] == 1
    copy = out / "es" / "article.md"
    assert copy.read_text(encoding="utf-8").startswith("---") and "# REVISADO: el consejo aprueba el " \
        in copy.read_text(encoding="utf-8")
    assert_same_structure(source, copy)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"][0]["targets"]["es"]["sha256"]

    # the correction comes back from memory, without the engine, into a fresh output folder
    again = xlat("translate", str(source), "--to", "es", "--engine", "apertium",
                 "--out", str(tmp_path / "fresh"), "--json")
    assert again.code == 0, again.stderr
    (doc,) = again.json_lines()
    assert doc["targets"]["es"]["from_memory"] == 1
    assert "# REVISADO: el consejo aprueba el " in (tmp_path / "fresh" / "es" / "article.md").read_text(
        encoding="utf-8")
    xlf2 = etree.parse(str(tmp_path / "fresh" / "es" / "article.md.xlf"))
    qualifiers = {u.get("id"): u.find("x:target", NS).get("state-qualifier")
                  for u in xlf2.findall(".//x:trans-unit", NS)}
    assert qualifiers["b0u0s0"] == "leveraged-tm" and qualifiers["b1u0s0"] == "leveraged-mt"

    # a re-run in place keeps the reviewed copy: nothing to redo
    rerun = xlat("translate", str(source), "--to", "es", "--engine", "apertium", "--out", str(out), "--json")
    assert rerun.code == 0, rerun.stderr
    assert rerun.json_lines()[0]["targets"]["es"]["reused"] is True


def test_changed_source_is_refused(xlat, translated):
    source, out, xlf = translated
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    before = (out / "es" / "article.md").read_bytes()
    result = xlat("review", "apply", str(xlf))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert str(xlf) in line and "has changed since it was translated" in line
    assert (out / "es" / "article.md").read_bytes() == before


@pytest.mark.parametrize("payload,problem", [
    ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
     '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">&b;</xliff>', "DOCTYPE"),
    ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
     '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">&e;</xliff>', "DOCTYPE"),
    ("<xliff><unclosed>", "not well-formed"),
    ('<xliff xmlns="urn:other"/>', "not an XLIFF 1.2 document"),
])
def test_hostile_xliff_is_refused(xlat, tmp_path, payload, problem):
    bad = tmp_path / "bad.md.xlf"
    bad.write_text(payload, encoding="utf-8")
    result = xlat("review", "apply", str(bad))
    assert result.code == 1 and problem in result.stderr and str(bad) in result.stderr


def test_edited_source_segment_is_refused(xlat, translated):
    source, out, xlf = translated
    tree = etree.parse(str(xlf))
    tree.find(".//x:trans-unit[@id='b0u0s0']/x:source", NS).text = "Something else entirely "
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    result = xlat("review", "apply", str(xlf))
    assert result.code == 1 and "b0u0s0" in result.stderr


def test_tmx_export_is_valid_and_imports(xlat, translated, tmp_path):
    source, out, xlf = translated
    _edit(xlf, "b1u2s0", "imprescindible")
    assert xlat("review", "apply", str(xlf)).code == 0
    tmx = tmp_path / "approved.tmx"
    result = xlat("tm", "export", "--tmx", str(tmx))
    assert result.code == 0 and "1 translation unit written" in result.stdout
    dtd = etree.DTD(str(DATA / "schemas" / "tmx14.dtd"))
    assert dtd.validate(etree.parse(str(tmx))), dtd.error_log
    other = tmp_path / "other.sqlite"
    assert "1 segment pair imported" in xlat("tm", "import", str(tmx), "--tm", str(other)).stdout
    fresh = xlat("translate", str(source), "--to", "es", "--engine", "apertium", "--tm", str(other),
                 "--out", str(tmp_path / "fresh"), "--json")
    assert fresh.json_lines()[0]["targets"]["es"]["from_memory"] == 1
    assert "imprescindible" in (tmp_path / "fresh" / "es" / "article.md").read_text(encoding="utf-8")


def test_an_edit_without_a_state_change_is_remembered_too(xlat, translated, tmp_path):
    source, out, xlf = translated
    _edit(xlf, "b1u2s0", "imprescindible", state="needs-review-translation")
    _edit(xlf, "b1u3s0", "No tuvimos ninguna elección,", state="needs-review-translation")  # unchanged
    result = xlat("review", "apply", str(xlf), "--json")
    assert result.json_lines()[0]["approved"] == 1
    again = xlat("translate", str(source), "--to", "es", "--engine", "apertium", "--force",
                 "--out", str(out), "--json")
    assert again.json_lines()[0]["targets"]["es"]["from_memory"] == 1
    assert "imprescindible" in (out / "es" / "article.md").read_text(encoding="utf-8")


def test_apply_from_another_directory(xlat, tmp_path, monkeypatch):
    work = tmp_path / "desk"
    (work / "news").mkdir(parents=True)
    shutil.copy(DATA / "formats" / "article.txt", work / "news" / "a.txt")
    monkeypatch.chdir(work)
    assert xlat("translate", "news/a.txt", "--to", "es", "--engine", "apertium").code == 0
    xlf = work / "localized" / "es" / "a.txt.xlf"
    _edit(xlf, "b0u0s0", "El consejo aprueba el presupuesto (revisado)")
    monkeypatch.chdir(tmp_path)  # the reviewer's tool runs elsewhere
    result = xlat("review", "apply", str(xlf))
    assert result.code == 0, result.stderr
    assert (work / "localized" / "es" / "a.txt").read_text(encoding="utf-8").startswith(
        "El consejo aprueba el presupuesto (revisado)")


def _set_target(xlf, unit_id, make):
    """Replace a target's content: make(target element) edits it in place."""
    tree = etree.parse(str(xlf))
    target = tree.find(f".//x:trans-unit[@id='{unit_id}']/x:target", NS)
    make(target)
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)


def test_a_reviewers_words_are_taken_verbatim(xlat, translated):
    source, out, xlf = translated
    copy = out / "es" / "article.md"
    before = copy.read_text(encoding="utf-8")
    units = xliff.read(xlf).units
    plain = next(u for u in units if "⟦" not in u.source and u.source[:1].isupper())
    typed = "cORRECCIÓN de prueba UNO , tal cual ;"  # odd case and spacing: the reviewer's
    _edit(xlf, plain.id, typed)
    result = xlat("review", "apply", str(xlf))
    assert result.code == 0, result.stderr
    after = copy.read_text(encoding="utf-8")
    assert typed in after
    assert after.replace(typed, plain.target) == before  # nothing else changed


def test_a_unit_missing_its_code_is_refused_by_name(xlat, translated):
    source, out, xlf = translated
    copy = out / "es" / "article.md"
    before = copy.read_text(encoding="utf-8")
    units = xliff.read(xlf).units
    coded = next(u for u in units if "⟦" in u.target)
    plain = next(u for u in units if "⟦" not in u.source and u.source[:1].isupper())

    def drop_codes(target):  # the reviewer retyped the sentence without its inline codes
        for code in list(target):
            target.remove(code)
        target.text = "TEXTO SIN CÓDIGOS"

    _set_target(xlf, coded.id, drop_codes)
    _edit(xlf, plain.id, "Otra frase revisada.")
    result = xlat("review", "apply", str(xlf))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert str(xlf) in line and f"trans-unit {coded.id}" in line and "missing code <x id=" in line
    after = copy.read_text(encoding="utf-8")
    assert "TEXTO SIN CÓDIGOS" not in after  # refused, not guessed into place
    assert "Otra frase revisada." in after  # the other units are applied
    assert after.replace("Otra frase revisada.", plain.target) == before
    assert_same_structure(source, copy)


def test_a_unit_with_an_extra_code_is_refused(xlat, translated):
    source, out, xlf = translated
    coded = next(u for u in xliff.read(xlf).units if "⟦" in u.target)

    def double_first_code(target):
        import copy

        extra = copy.deepcopy(target[0])
        extra.tail = None
        target.append(extra)

    _set_target(xlf, coded.id, double_first_code)
    result = xlat("review", "apply", str(xlf))
    assert result.code == 1 and "more often than in the source" in result.stderr


def test_reviewer_text_is_escaped_for_html(xlat, tmp_path):
    source = tmp_path / "a.html"
    source.write_text("<html><body><p>The city council approved the budget on Tuesday.</p></body></html>\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    assert xlat("translate", str(source), "--to", "es", "--engine", "apertium", "--out", str(out),
                "--from", "en").code == 0
    xlf = out / "es" / "a.html.xlf"
    unit = xliff.read(xlf).units[0]
    _edit(xlf, unit.id, "El consejo <script>x()</script> & aprobó.")
    assert xlat("review", "apply", str(xlf)).code == 0
    copy = (out / "es" / "a.html").read_text(encoding="utf-8")
    assert "El consejo &lt;script&gt;x()&lt;/script&gt; &amp; aprobó." in copy and "<script>" not in copy


def test_codes_swapped_so_that_markup_breaks_are_refused(xlat, tmp_path):
    source = tmp_path / "a.html"
    source.write_text("<html><body><p>The <strong>Old Town</strong> festival returns on Friday.</p>"
                      "</body></html>\n", encoding="utf-8")
    out = tmp_path / "out"
    assert xlat("translate", str(source), "--to", "es", "--engine", "apertium", "--out", str(out),
                "--from", "en").code == 0
    xlf = out / "es" / "a.html.xlf"
    unit = xliff.read(xlf).units[0]

    def swap(target):  # the closing tag's code first, the opening one last
        codes = list(target)
        for code in codes:
            target.remove(code)
        target.text = ""
        first, last = codes[0], codes[-1]
        last.tail = "El festival del Barrio Viejo"
        first.tail = " vuelve el viernes."
        target.append(last)
        target.append(first)

    before = (out / "es" / "a.html").read_text(encoding="utf-8")
    _set_target(xlf, unit.id, swap)
    result = xlat("review", "apply", str(xlf))
    assert result.code == 1 and f"trans-unit {unit.id}" in result.stderr and "order" in result.stderr
    assert (out / "es" / "a.html").read_text(encoding="utf-8") == before


def test_inline_elements_xlat_never_writes_are_refused(xlat, translated):
    source, out, xlf = translated
    unit = next(u for u in xliff.read(xlf).units if "⟦" not in u.source)

    def wrap(target):
        g = etree.SubElement(target, f"{{{xliff.NS}}}g", id="1")
        g.text = "envuelto"

    _set_target(xlf, unit.id, wrap)
    result = xlat("review", "apply", str(xlf))
    assert result.code == 1 and f"trans-unit {unit.id}" in result.stderr and "<g>" in result.stderr
