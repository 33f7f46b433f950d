"""Round trips through translate-toolkit (a test dependency) on xlat's own XLIFF: its xliff
store loads it, pofilter and xliff2po/po2xliff write it back, and `review apply` either lands
the translator's edit or refuses it by name (exit 1): never "no change" in silence."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from helpers import DATA
from xlat.review import xliff

pytest.importorskip("translate")
from translate.storage import po, xliff as toolkit_xliff  # noqa: E402

BIN = Path(sys.executable).parent
NS = {"x": xliff.NS}


def _tool(name: str, *args: str) -> None:
    command = BIN / name
    if not command.exists():
        command = shutil.which(name)
    assert command, f"translate-toolkit's {name} is not installed"
    result = subprocess.run([str(command), "--progress=none", *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def translated(xlat, tmp_path):
    source = tmp_path / "news" / "article.md"
    source.parent.mkdir()
    shutil.copy(DATA / "formats" / "article.md", source)
    out = tmp_path / "out"
    result = xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                  "--out", str(out), "--tm", str(tmp_path / "tm.sqlite"))
    assert result.code == 0, result.stderr
    return out, out / "es" / "article.md.xlf", tmp_path / "tm.sqlite"


def _copy(out: Path) -> str:
    return (out / "es" / "article.md").read_text(encoding="utf-8")


def test_toolkit_store_loads_xlat_xliff(translated):
    _, xlf, _ = translated
    store = toolkit_xliff.xlifffile.parsefile(str(xlf))
    units = [u for u in store.units if not u.isheader()]
    ids = [u.getid().split("\x04")[-1] for u in units]  # the toolkit prefixes `original`
    assert ids == [u.id for u in xliff.read(xlf).units]
    assert "Council approves the new budget" in [u.source for u in units]
    assert all(u.target for u in units)


def test_pofilter_output_applies(xlat, translated):
    """pofilter writes XLIFF 1.1 without xlat's <header>: it is still applied."""
    out, xlf, tm = translated
    filtered = xlf.with_name("filtered.xlf")
    _tool("pofilter", str(xlf), str(filtered))
    tree = etree.parse(str(filtered))
    old = "{urn:oasis:names:tc:xliff:document:1.1}"
    assert tree.getroot().tag == f"{old}xliff"
    assert tree.find(f".//{old}header") is None
    plain_id = next(u.id for u in xliff.read(xlf).units if "⟦" not in u.source)  # no codes
    target = tree.find(f".//{old}trans-unit[@id='{plain_id}']/{old}target")
    target.text = "TRADUCCIÓN REVISADA."
    target.set("state", "final")
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    result = xlat("review", "apply", str(xlf), "--tm", str(tm), "--json")
    assert result.code == 0, result.stderr
    assert result.json_lines()[0]["approved"] >= 1 and result.json_lines()[0]["changed"] == 1
    assert "TRADUCCIÓN REVISADA." in _copy(out)


def test_po_round_trip_lands_or_names_each_edit(xlat, translated, tmp_path):
    """xliff2po drops codes and ids; po2xliff -t appends the PO's units to the template. The
    edit of a sentence without codes lands; the edit of one with codes is refused by name."""
    out, xlf, tm = translated
    pofile = tmp_path / "article.po"
    _tool("xliff2po", str(xlf), str(pofile))
    store = po.pofile.parsefile(str(pofile))
    edits = {"We had no choice,": "No teníamos elección,",
             "Council approves the new budget": "El consejo aprueba el presupuesto REVISADO"}
    for unit in store.units:
        if unit.source in edits:
            unit.target = edits.pop(unit.source)
            unit.markfuzzy(False)
    assert not edits
    store.savefile(str(pofile))
    merged = tmp_path / "merged.xlf"
    _tool("po2xliff", "-t", str(xlf), str(pofile), str(merged))
    shutil.copy(merged, xlf)
    before = _copy(out)
    result = xlat("review", "apply", str(xlf), "--tm", str(tm))
    assert result.code == 1
    assert "no change" not in result.stdout
    assert "No teníamos elección," in _copy(out) and _copy(out) != before
    refused = [line for line in result.stderr.splitlines() if "not applied" in line]
    assert len(refused) == 1 and "b0u0s0" in refused[0] and "missing code" in refused[0]


def test_approve_flag_approves_every_unit(xlat, translated):
    out, xlf, tm = translated
    store = toolkit_xliff.xlifffile.parsefile(str(xlf))
    units = [u for u in store.units if not u.isheader()]
    units[-1].target = "Última frase, revisada."
    store.savefile(str(xlf))
    result = xlat("review", "apply", str(xlf), "--tm", str(tm), "--approve", "--json")
    assert result.code == 0, result.stderr
    assert result.json_lines()[0]["approved"] == len(units)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"][0]["targets"]["es"]["status"] == "reviewed"


def _unit(body, uid, source, target):
    unit = etree.SubElement(body, f"{{{xliff.NS}}}trans-unit", id=uid)
    etree.SubElement(unit, f"{{{xliff.NS}}}source").text = source
    etree.SubElement(unit, f"{{{xliff.NS}}}target").text = target


def test_unknown_merged_and_duplicated_units_are_listed(xlat, translated):
    out, xlf, tm = translated
    tree = etree.parse(str(xlf))
    body = tree.find(".//x:body", NS)
    _unit(body, "u1", "A sentence from another article.", "Otra frase.")
    _unit(body, "u2", "We had no choice,", "No hubo elección,")
    _unit(body, "u3", "We had no choice,", "Sin elección,")
    header = tree.find(".//x:header", NS)
    header.getparent().remove(header)  # otherwise ours: the header is not needed
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    result = xlat("review", "apply", str(xlf), "--tm", str(tm))
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 3, lines
    assert any("u1" in line and "no sentence" in line for line in lines)
    assert sum("another target" in line for line in lines) == 2
    assert "no change" not in result.stdout


def test_merged_unit_is_named(xlat, translated):
    out, xlf, tm = translated
    document = xliff.read(xlf)
    first, second = document.units[1], document.units[2]
    from xlat.review.matching import plain

    tree = etree.parse(str(xlf))
    _unit(tree.find(".//x:body", NS), "m1", plain(first.source) + " " + plain(second.source), "Todo junto.")
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    result = xlat("review", "apply", str(xlf), "--tm", str(tm))
    assert result.code == 1
    assert f"sentences {first.id} to {second.id} merged" in result.stderr


def test_tmx_export_has_the_text_of_every_inline_code(xlat, tmp_path):
    """Approved sentences come out of `tm export --tmx` with the text each placeholder stood for
    (<ph>1988</ph>, <bpt>**</bpt>...<ept>**</ept>), which translate-toolkit's tmx store reads;
    xlat reads its own file back as placeholders (the same keys)."""
    from translate.storage import tmx as toolkit_tmx

    source = tmp_path / "a.md"
    source.write_text("The works started in 1988. Read **the report** at https://example.org/r now.\n",
                      encoding="utf-8")
    out, tm = tmp_path / "out", tmp_path / "tm.sqlite"
    assert xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                "--out", str(out), "--tm", str(tm)).code == 0
    result = xlat("review", "apply", str(out / "es" / "a.md.xlf"), "--tm", str(tm), "--approve")
    assert result.code == 0, result.stderr
    exported = tmp_path / "approved.tmx"
    assert xlat("tm", "export", "--tmx", str(exported), "--tm", str(tm)).code == 0
    store = toolkit_tmx.tmxfile.parsefile(str(exported))
    sources = {unit.source: unit.target for unit in store.units}
    assert "The works started in 1988." in sources, sources
    assert any("1988" in target for target in sources.values())
    assert "Read **the report** at https://example.org/r now." in sources, sources
    written = exported.read_text(encoding="utf-8")
    assert "<ph x=" in written and ">1988</ph>" in written and ">https://example.org/r</ph>" in written
    assert '<bpt i="1"' in written and '<ept i="1">**</ept>' in written
    dtd = etree.DTD(str(DATA / "schemas" / "tmx14.dtd"))
    assert dtd.validate(etree.parse(str(exported))), dtd.error_log
    again = tmp_path / "again.sqlite"
    assert xlat("tm", "import", str(exported), "--tm", str(again)).code == 0
    from xlat.translate.memory import Memory

    with Memory(tm, writable=False) as first, Memory(again, writable=False) as second:
        assert sorted(r[:4] for r in first.human_segments()) == sorted(r[:4] for r in second.human_segments())
