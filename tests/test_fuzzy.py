"""Fuzzy matches from the memory: offered in the XLIFF, shown in review.html, proposed only
above --fuzzy-accept, with the new sentence's codes."""

from __future__ import annotations

from lxml import etree

from helpers import DATA
from xlat.review import xliff
from xlat.translate.fuzzy import Index
from xlat.translate.memory import Memory

NS = {"x": xliff.NS}
SCHEMA = etree.XMLSchema(etree.parse(str(DATA / "schemas" / "xliff-core-1.2-transitional.xsd")))
OLD = "The city council approved the budget for 2025 on Tuesday after a long debate."
NEW = "The city council rejected the budget for 2026 on Tuesday after a long debate."


def _approve(xlat, tmp_path, text, tm):
    """Translate `text` with Apertium and approve every unit of its XLIFF into `tm`."""
    source = tmp_path / "approved.txt"
    source.write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "first"
    assert xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                "--out", str(out), "--tm", str(tm)).code == 0
    xlf = out / "es" / "approved.txt.xlf"
    xlf.write_text(xlf.read_text(encoding="utf-8").replace(
        'state="needs-review-translation"', 'state="final"'), encoding="utf-8")
    result = xlat("review", "apply", str(xlf), "--tm", str(tm))
    assert result.code == 0, result.stderr


def _translate(xlat, tmp_path, text, tm, *options):
    source = tmp_path / "new.txt"
    source.write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "second"
    result = xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                  "--out", str(out), "--tm", str(tm), "--force", *options)
    assert result.code == 0, result.stderr
    return out / "es" / "new.txt", out / "es" / "new.txt.xlf"


def test_one_word_changed_gets_a_fuzzy_match(xlat, tmp_path):
    tm = tmp_path / "tm.sqlite"
    _approve(xlat, tmp_path, OLD, tm)
    copy, xlf = _translate(xlat, tmp_path, NEW, tm)
    tree = etree.parse(str(xlf))
    assert SCHEMA.validate(tree), SCHEMA.error_log
    alt = tree.find(".//x:trans-unit/x:alt-trans[@origin='tm']", NS)
    assert alt is not None
    assert 75 <= int(alt.get("match-quality")) < 100
    assert "approved" in "".join(alt.find("x:source", NS).itertext())
    # the match's codes are the new sentence's: its number, not the memory's
    codes = [x.get("equiv-text") for x in alt.iter(f"{{{xliff.NS}}}x")]
    assert codes == ["2026", "2026"]
    # not the proposal by default: the engine's output is
    assert "rehus" in copy.read_text(encoding="utf-8")
    page = (copy.parent.parent / "review.html").read_text(encoding="utf-8")
    assert "<del>approved</del><ins>rejected</ins>" in page
    assert "TM " + alt.get("match-quality") + "%" in page


def test_fuzzy_accept_makes_the_match_the_proposal(xlat, tmp_path):
    tm = tmp_path / "tm.sqlite"
    _approve(xlat, tmp_path, OLD, tm)
    copy, xlf = _translate(xlat, tmp_path, NEW, tm, "--fuzzy-accept", "80")
    text = copy.read_text(encoding="utf-8")
    assert "aprobó" in text and "2026" in text and "2025" not in text
    target = etree.parse(str(xlf)).find(".//x:trans-unit/x:target", NS)
    assert target.get("state-qualifier") == "leveraged-tm"
    # a threshold above the match's quality: neither offered nor proposed
    copy, xlf = _translate(xlat, tmp_path, NEW, tm, "--fuzzy-threshold", "99", "--fuzzy-accept", "99")
    assert "rehus" in copy.read_text(encoding="utf-8")
    assert etree.parse(str(xlf)).find(".//x:alt-trans[@origin='tm']", NS) is None


def test_approved_sentence_with_other_numbers_is_reused(xlat, tmp_path):
    """The approved sentence followed another in its paragraph (its codes have other ids) and
    had another number: a 100% match, reused as approved, with the new number."""
    tm = tmp_path / "tm.sqlite"
    _approve(xlat, tmp_path, "Prices rose by 4% in 2020. " + OLD, tm)
    copy, xlf = _translate(xlat, tmp_path, OLD.replace("2025", "1988"), tm)
    assert "aprobó" in copy.read_text(encoding="utf-8") and "1988" in copy.read_text(encoding="utf-8")
    target = etree.parse(str(xlf)).find(".//x:trans-unit/x:target", NS)
    assert target.get("state-qualifier") == "leveraged-tm"


def test_codes_that_do_not_map_are_never_proposed(tmp_path):
    index = Index([("Read ⟦0⟧ the ⟦1⟧ report ⟦2⟧ today.", "Lea ⟦0⟧ el ⟦1⟧ informe ⟦2⟧ hoy.")])
    match = index.best("Read ⟦5⟧ the report today.", 50)
    assert match is not None and not match.fits
    fitting = index.best("Read ⟦4⟧ the ⟦6⟧ report ⟦9⟧ now.", 50)
    assert fitting.fits and fitting.target == "Lea ⟦4⟧ el ⟦6⟧ informe ⟦9⟧ hoy."


def test_memory_fuzzy_finds_the_nearest_among_many(tmp_path):
    with Memory(tmp_path / "tm.sqlite") as memory:
        memory.approve("en", "es", [(f"Sentence number {n} about the harbour and {n % 7} ships.",
                                     f"Frase {n}") for n in range(2000)])
        memory.approve("en", "es", [("The minister resigned after the vote on Friday.",
                                     "El ministro dimitió tras la votación del viernes.")])
        found = memory.fuzzy("en", "es", ["The minister resigned after the vote on Sunday."], 75)
        match = found["The minister resigned after the vote on Sunday."]
        assert match.target == "El ministro dimitió tras la votación del viernes."
        assert 75 <= match.quality < 100
        assert memory.fuzzy("en", "es", ["Nothing like any of them at all."], 75) == {}
        assert memory.fuzzy("en", "fr", ["The minister resigned after the vote on Sunday."], 75) == {}


def test_report_escapes_the_match(tmp_path):
    from xlat.review.report import _matches

    unit = xliff.Unit("b0u0s0", "A <b>new</b> & bold plan", "x",
                      matches=[(80, "A <script>old</script> & bold plan", "Un plan <i>")])
    shown = _matches(unit)
    assert "<script>" not in shown and "<i>" not in shown and "&lt;script&gt;" in shown
