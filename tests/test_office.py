"""Word (.docx) and OpenDocument (.odt) articles: the identity engine gives the package back
(the XML parts canonically equal, every other part byte for byte, in the same order), and the
copies Apertium and a hostile engine make open in a real LibreOffice (Debian's, headless) with
the source's paragraphs, links, footnotes, comments, text boxes and numbers, quotations in the
target's marks; where the hostile engine did damage, the gate says so.

LibreOffice costs seconds to start: every conversion of the module is one call per filter.
The fixtures are made from the .fodt beside them: `soffice --headless --convert-to docx
--outdir tests/data/office tests/data/office/*.fodt` (and `--convert-to odt`)."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from helpers import DATA
from xlat.config import TranslateSettings
from xlat.errors import InputError, XlatError
from xlat.formats import parse, to_bytes
from xlat.pipeline import translate_paths
from xlat.read.textio import read_input
from xlat.render import gate
from xlat.translate import engines
from xlat.translate.engines.base import Translation
from xlat.translate.routing import Router

OFFICE = DATA / "office"
FIXTURES = sorted([*OFFICE.glob("*.docx"), *OFFICE.glob("*.odt")])
TEXT_PARTS = re.compile(r"word/(?:document|footnotes|endnotes|comments|header\d*|footer\d*)\.xml|content\.xml|styles\.xml")


class Identity:
    name = "office-identity"

    def pairs(self):
        return {("en", "es"), ("en", "de")}

    def translate_batch(self, sentences, source, target):
        return [Translation(s) for s in sentences]

    def signature(self, source, target):
        return self.name


class Hostile(Identity):
    """Drops every placeholder, straightens and loses quotes, eats digits, reverses words."""

    name = "office-hostile"

    def translate_batch(self, sentences, source, target):
        out = []
        for s in sentences:
            s = re.sub(r"⟦\d+⟧", "", s)
            s = re.sub(r"[“”«»„‘’‚‹›\"]", '"', s).replace('"', "", 1)
            s = re.sub(r"\d", "", s)
            out.append(Translation(" ".join(reversed(s.split())) + " <w:t>&amp;\ufdd0zzz"))
        return out


def _translate(paths, out: Path, target: str = "es", engine=None, quotes: str = "target") -> list:
    if engine is not None:
        engines.register(engine.name, lambda settings: engine)
    settings = TranslateSettings(targets=(target,), source="en", out_dir=str(out), quotes=quotes,
                                 engine=engine.name if engine else "apertium", use_memory=False)
    router = Router(engine.name) if engine else None
    return list(translate_paths([str(p) for p in paths], settings, router=router))


def _c14n(data: bytes) -> bytes:
    return etree.tostring(etree.fromstring(data), method="c14n")


def _assert_same_package(source: bytes, copy: bytes, declared: set[str] = frozenset()) -> None:
    """Same parts in the same order with the same compression; XML parts holding text
    canonically equal (those in `declared`: the target language aside), the rest byte for byte."""
    before, after = zipfile.ZipFile(io.BytesIO(source)), zipfile.ZipFile(io.BytesIO(copy))
    assert [(i.filename, i.compress_type) for i in before.infolist()] == \
        [(i.filename, i.compress_type) for i in after.infolist()]
    for info in before.infolist():
        old, new = before.read(info), after.read(info.filename)
        if info.filename in declared:
            old, new = (re.sub(rb'\s(?:fo:language|fo:country)="[^"]*"', b"",
                               re.sub(rb'(<w:lang\b[^>]*?\sw:val=")[^"]*"', rb'\1"', x)) for x in (old, new))
        if TEXT_PARTS.fullmatch(info.filename):
            assert _c14n(old) == _c14n(new), info.filename
        assert old == new, info.filename  # (xlat writes an unchanged block as it read it)


def test_the_fixtures_are_realistic_articles():
    assert {p.suffix for p in FIXTURES} == {".docx", ".odt"} and len(FIXTURES) >= 4
    for path in FIXTURES:
        document = parse(read_input(str(path)).text, path.suffix[1:])
        texts = " ".join(b.text for b in document.blocks)
        assert len(document.blocks) >= 10
        whole = document.render()
        assert "“" in texts and re.search("\ufdd0|w:footnoteReference", whole)  # a footnote
        assert ("w:hyperlink" if path.suffix == ".docx" else "<text:a ") in texts
        assert re.search(r"Check the date|forecast for Thursday|Ask the captain", whole)  # a comment
        assert re.search(r"In numbers|Call 112|w:fldChar", whole)  # a text box, or a field
        assert re.search(r"<w:tbl>|<table:table ", whole) and re.search(r"<w:numPr>|<text:list[ >]", whole)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_parse_and_render_give_the_package_back(path):
    data = path.read_bytes()
    document = parse(read_input(str(path)).text, path.suffix[1:])
    copy = to_bytes(document, document.render())
    _assert_same_package(data, copy)
    assert copy == to_bytes(document, document.render([b.text for b in document.blocks]))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_the_identity_engine_gives_an_xml_equal_document(path, tmp_path):
    results = _translate([path], tmp_path, engine=Identity(), quotes="source")
    assert not [r for r in results if isinstance(r, XlatError)], results
    copy = (tmp_path / "es" / path.name).read_bytes()
    parts = {"word/styles.xml", "word/document.xml", "word/footnotes.xml", "word/comments.xml"} \
        if path.suffix == ".docx" else {"styles.xml", "content.xml"}
    _assert_same_package(path.read_bytes(), copy, declared=parts)
    for part in parts:
        declared = zipfile.ZipFile(io.BytesIO(copy)).read(part)
        assert b'fo:language="en"' not in declared and b'w:lang w:val="en' not in declared
    styles = zipfile.ZipFile(io.BytesIO(copy)).read("word/styles.xml" if path.suffix == ".docx" else "styles.xml")
    assert (b'<w:lang w:val="es"' if path.suffix == ".docx" else b'fo:language="es"') in styles


def test_run_boundaries_word_made_for_nothing_are_not_markup():
    from xlat.formats import docx

    body = ('<w:p><w:r w:rsidR="001"><w:rPr><w:b/></w:rPr><w:t>Hel</w:t></w:r><w:proofErr w:type="spellStart"/>'
            '<w:r w:rsidR="002"><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">lo there, </w:t></w:r>'
            '<w:r><w:rPr><w:i/></w:rPr><w:t>friend</w:t></w:r></w:p>')
    text = ('\ufdd4word/document.xml\ufdd5<w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    document = docx.parse(text)
    [block] = document.blocks
    assert block.text.startswith("Hello there, </w:t></w:r><w:r><w:rPr><w:i/>")
    assert len(block.markup) == 1  # the italic run is a code; the rsid split is not
    assert document.render() == text  # unchanged: the source's runs, exactly
    assert "<w:t>Hello there, " in document.render(["Hello there, </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>amigo"])


# -- real engines, a real office suite -----------------------------------------------------

@pytest.fixture(scope="module")
def soffice():
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail("LibreOffice is not installed: run scripts/install.sh --test as root "
                    "(libreoffice-writer-nogui)")
    return found


@pytest.fixture(scope="module")
def opened(soffice, tmp_path_factory):
    """Sources, Apertium copies and hostile copies as LibreOffice reads them: name -> (text
    export, HTML export), and each run's results."""
    if not shutil.which("apertium"):
        pytest.fail("apertium is not installed: run scripts/install.sh as root")
    root = tmp_path_factory.mktemp("office")
    runs = {"apertium": _translate(FIXTURES, root / "apertium"),
            "hostile": _translate(FIXTURES, root / "hostile", engine=Hostile())}
    stage = root / "stage"
    stage.mkdir()
    names = {}
    for path in FIXTURES:
        for group, folder in (("source", OFFICE), ("apertium", root / "apertium" / "es"),
                              ("hostile", root / "hostile" / "es")):
            name = f"{group}-{path.stem}-{path.suffix[1:]}{path.suffix}"
            shutil.copyfile(folder / path.name, stage / name)
            names[(group, path.name)] = name
    files = sorted(str(p) for p in stage.iterdir())
    profile = f"-env:UserInstallation={(root / 'profile').as_uri()}"
    for output, folder in (("txt:Text (encoded):UTF8", "txt"), ("html", "html")):
        subprocess.run([soffice, profile, "--headless", "--convert-to", output, "--outdir",
                        str(root / folder), *files], check=True, capture_output=True, timeout=300)
    views = {}
    for key, name in names.items():
        stem = Path(name).stem
        text, page = root / "txt" / f"{stem}.txt", root / "html" / f"{stem}.html"
        views[key] = (text.read_text(encoding="utf-8-sig") if text.exists() else None,
                      page.read_text(encoding="utf-8") if page.exists() else None)
    return views, runs, root


def _paragraphs(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _seen(page: str) -> dict:
    """What a reader of LibreOffice's HTML export sees: links, footnotes, comments, numbers."""
    body = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    comments = re.findall(r"<!--(.*?)-->", body, re.S)
    words = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<!--.*?-->", " ", body, flags=re.S)))
    return {"links": sorted(re.findall(r'href="(https?://[^"]+)"', page)),
            "footnotes": len(re.findall(r'class="sdfootnoteanc"', page)),
            "comments": len([c for c in comments if c.strip()]),
            "numbers": sorted(re.findall(r"\d+(?:[.,]\d+)*", words)),
            "words": " ".join(words.split())}


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_apertium_copies_open_in_libreoffice_with_everything_in_place(opened, path):
    views, runs, root = opened
    assert not [r for r in runs["apertium"] if isinstance(r, XlatError)]
    manifest = json.loads((root / "apertium" / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if d["source"].endswith(path.name))
    assert entry["targets"]["es"]["integrity"] == [] and entry["targets"]["es"]["status"] == "needs-review"
    (source_text, source_page), (copy_text, copy_page) = views[("source", path.name)], views[("apertium", path.name)]
    assert copy_text is not None and copy_page is not None, "LibreOffice could not open the copy"
    assert len(_paragraphs(copy_text)) == len(_paragraphs(source_text))
    before, after = _seen(source_page), _seen(copy_page)
    assert after["links"] == before["links"] and before["links"]
    assert after["footnotes"] == before["footnotes"] >= 1
    assert after["comments"] == before["comments"] >= 1
    assert after["numbers"] == before["numbers"]
    assert copy_text.count("«") == copy_text.count("»") == source_text.count("“") >= 1
    assert "“" not in copy_text and "”" not in copy_text
    assert len(re.findall(r"\b(?:el|la|los|las|del|que)\b", after["words"])) > 10  # Spanish now
    assert not re.search(r"\b(?:the|and|was)\b", after["words"])
    assert "zzz" not in after["words"] and "⟦" not in after["words"]


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_hostile_copies_open_and_are_whole_or_flagged(opened, path):
    views, runs, root = opened
    manifest = json.loads((root / "hostile" / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if d["source"].endswith(path.name))
    target = entry["targets"]["es"]
    (source_text, source_page), (copy_text, copy_page) = views[("source", path.name)], views[("hostile", path.name)]
    assert copy_text is not None and copy_page is not None, "LibreOffice could not open the copy"
    before, after = _seen(source_page), _seen(copy_page)
    # the structure is the pipeline's whatever the engine does: paragraphs, links, notes
    assert len(_paragraphs(copy_text)) == len(_paragraphs(source_text))
    assert after["links"] == before["links"]
    assert after["footnotes"] == before["footnotes"] and after["comments"] == before["comments"]
    assert "<w:t>" in after["words"] and "\ufdd0" not in copy_page  # its markup is text, its markers gone
    if target["status"] != "integrity-error":  # whole: its numbers and quotations where they were
        assert after["numbers"] == before["numbers"]
        assert copy_text.count("«") == copy_text.count("»") == source_text.count("“")
    else:  # or the gate said what is wrong, and the run said so
        assert target["integrity"]
        assert any(r.__class__.__name__ == "IntegrityError" and path.name in str(r) for r in runs["hostile"])


# -- the gate sees office damage ------------------------------------------------------------

def _copy_with(path: Path, change) -> tuple:
    document = parse(read_input(str(path)).text, path.suffix[1:])
    texts = [b.text for b in document.blocks]
    change(document, texts)
    return document, document.render(texts)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_a_lost_link_run_or_footnote_is_an_integrity_error(path):
    def drop_markup(document, texts):
        block = next(b for b in document.blocks if b.markup)
        start, end = block.markup[0]
        texts[block.index] = block.text[:start] + block.text[end:]

    document, copy = _copy_with(path, drop_markup)
    assert any("markup missing" in f.message or "structure" in f.message for f in gate.check(document, copy))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_a_link_whose_words_moved_out_of_it_is_an_integrity_error(path):
    link = re.compile(r"(<w:hyperlink\b[^>]*>(?:<[^>]*>)*)([^<]+)|(<text:a\b[^>]*>)([^<]+)")

    def empty_the_link(document, texts):
        block = next(b for b in document.blocks if link.search(b.text))
        match = link.search(block.text)
        tag, words = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        texts[block.index] = block.text.replace(tag + words, tag, 1) + " " + words

    document, copy = _copy_with(path, empty_the_link)
    assert any("a link lost its text" in f.message for f in gate.check(document, copy))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_placeholder_residue_and_lost_numbers_are_integrity_errors(path):
    def damage(document, texts):
        block = next(b for b in document.blocks if re.search(r"\d", b.text) and not b.markup)
        texts[block.index] = re.sub(r"\d", "", block.text) + " ⟦3⟧"

    document, copy = _copy_with(path, damage)
    messages = " ".join(f.message for f in gate.check(document, copy))
    assert "residue" in messages and "missing" in messages


# -- damaged packages: one line each, the other inputs still done ---------------------------

def _bomb(tmp_path: Path) -> Path:
    source = zipfile.ZipFile(OFFICE / "article-storm.docx")
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            bomb.writestr(info.filename, source.read(info))
        bomb.writestr("word/media/huge.bin", b"\0" * (65 * 1024 * 1024))
    return path


def test_damaged_encrypted_and_bomb_packages_are_one_line_each(tmp_path, xlat):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "notzip.docx").write_text("This is not a Word document at all.\n", encoding="utf-8")
    (bad / "encrypted.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (bad / "empty.odt").write_bytes(b"")
    good = (OFFICE / "article-storm.odt").read_bytes()
    (bad / "truncated.odt").write_bytes(good[:len(good) // 2])
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO((OFFICE / "article-storm.docx").read_bytes())) as source, \
            zipfile.ZipFile(broken, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info, data.replace(b"</w:body>", b"</w:bod>") if info.filename == "word/document.xml" else data)
    (bad / "malformed.docx").write_bytes(broken.getvalue())
    shutil.copyfile(_bomb(tmp_path), bad / "bomb.docx")
    shutil.copyfile(OFFICE / "article-storm.docx", bad / "zgood.docx")
    result = xlat("translate", str(bad), "--to", "es", "--from", "en", "--engine", "apertium",
                  "--out", str(tmp_path / "out"), "--no-tm")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    for name, words in (("notzip.docx", "not a ZIP"), ("encrypted.docx", "encrypted"),
                        ("empty.odt", "empty"), ("truncated.odt", "not a ZIP"),
                        ("malformed.docx", "not well-formed"), ("bomb.docx", "ZIP bomb")):
        said = [line for line in lines if name in line]
        assert len(said) == 1 and words in said[0], (name, lines)
    assert "Traceback" not in result.stderr
    assert zipfile.ZipFile(tmp_path / "out" / "es" / "zgood.docx").testzip() is None


def test_a_part_with_a_doctype_is_refused_never_expanded(tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
              '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
              '<w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    path = tmp_path / "laughs.docx"
    with zipfile.ZipFile(OFFICE / "article-storm.docx") as source, zipfile.ZipFile(path, "w") as copy:
        for info in source.infolist():
            copy.writestr(info, laughs if info.filename == "word/document.xml" else source.read(info))
    with pytest.raises(InputError, match="DOCTYPE"):
        read_input(str(path))


@pytest.mark.parametrize("declared", ["ISO-8859-1", "windows-1252", "UTF-16"])
def test_a_part_declared_in_another_encoding_is_refused(tmp_path, declared):
    """ASCII bytes under another declaration read as UTF-8, but the copy (written in UTF-8,
    the declaration kept) would be read by Word and LibreOffice in the declared encoding."""
    path = tmp_path / "declared.docx"
    with zipfile.ZipFile(OFFICE / "article-storm.docx") as source, zipfile.ZipFile(path, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = re.sub(rb"^<\?xml[^>]*\?>", f'<?xml version="1.0" encoding="{declared}"?>'.encode(), data)
                assert declared.encode() in data[:80]
            copy.writestr(info, data)
    with pytest.raises(InputError, match="not UTF-8 XML"):
        read_input(str(path))


def test_a_member_read_in_pieces_is_capped_whatever_its_header_says(tmp_path, monkeypatch):
    from xlat.formats import office

    monkeypatch.setattr(office, "MAX_MEMBER", 1000)
    with pytest.raises(InputError, match="ZIP bomb"):
        read_input(str(OFFICE / "article-storm.docx"))


# -- XLIFF and review apply -----------------------------------------------------------------

def test_review_apply_rebuilds_the_package_from_the_xliff(tmp_path, xlat):
    path = OFFICE / "article-council.docx"
    _translate([path], tmp_path / "out")
    copy = tmp_path / "out" / "es" / path.name
    xlf = copy.with_name(copy.name + ".xlf")
    text = xlf.read_text(encoding="utf-8")
    assert 'datatype="x-docx"' in text and "<w:" not in re.sub(r'equiv-text="[^"]*"', "", text)
    edited = re.sub(r"(<target state[^>]*>)El consejo aprueba", r"\1El pleno aprueba", text, count=1)
    assert edited != text
    xlf.write_text(edited, encoding="utf-8")
    result = xlat("review", "apply", str(xlf), "--no-tm")
    assert result.code == 0, result.stderr
    document = zipfile.ZipFile(copy).read("word/document.xml").decode("utf-8")
    assert "El pleno aprueba" in document and "El consejo aprueba" not in document
    etree.fromstring(document.encode("utf-8"))  # well-formed
    assert zipfile.ZipFile(copy).testzip() is None


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_review_html_shows_the_paragraphs_as_words_not_package_xml(path, tmp_path):
    """The paragraph view of a Word or OpenDocument copy: its runs' XML is in the page (the
    text is the copy's) but hidden, so the paragraph reads as words."""
    from lxml import html as lhtml

    _translate([path], tmp_path / "out", engine=Identity())
    page = lhtml.fromstring((tmp_path / "out" / "review.html").read_bytes())
    sections = page.xpath("//section")
    assert sections and all("package" in s.get("class", "").split() for s in sections)
    assert "section.package .mk{display:none}" in page.xpath("//style")[0].text
    cells = page.xpath("//td[@class='para-target']")
    assert cells
    for cell in cells:
        for span in cell.xpath(".//span[contains(@class, 'mk')]"):
            span.drop_tree()
        assert "<w:" not in cell.text_content() and "<text:" not in cell.text_content()
