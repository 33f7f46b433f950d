"""XLIFF 1.2 beside each localized copy: one trans-unit per translated sentence, in document
order. Markup, protected text and quotations inside a sentence are <x/> elements (a quotation's
own sentences are trans-units of their own); QA flags and repairs are <note from="xlat">."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from xlat import __version__
from xlat.errors import XlatError
from xlat.fsutil import write_bytes_atomic
from xlat.review import fill_with_codes

NS = "urn:oasis:names:tc:xliff:document:1.2"
DATATYPES = {"text": "plaintext", "markdown": "x-markdown", "html": "html", "docx": "x-docx",
             "odt": "x-odt"}
APPROVED_STATES = {"translated", "final", "signed-off"}


class XliffError(XlatError):
    pass


@dataclass
class Unit:
    id: str
    source: str  # with ⟦n⟧ placeholders
    target: str
    state: str = "needs-review-translation"
    qualifier: str = "leveraged-mt"
    notes: list[str] = field(default_factory=list)
    placeholders: dict[str, tuple[str, str]] = field(default_factory=dict)  # n -> (ctype, text)
    proposal: str | None = None
    """The target as xlat wrote it (its alt-trans), when the file has it."""
    foreign: list[str] = field(default_factory=list)
    """Inline elements in the target that xlat never writes (<g>, <bpt>...): not applied."""
    matches: list[tuple[int, str, str]] = field(default_factory=list)
    """Fuzzy matches from the memory: (match quality in percent, its source, its target)."""

    @property
    def edited(self) -> bool:
        return self.proposal is not None and self.target != self.proposal


@dataclass
class XliffFile:
    original: str
    source_language: str
    target_language: str
    datatype: str
    source_sha256: str
    engine: str
    units: list[Unit]
    source_path: str = ""
    """The source's absolute path (`original` is the path as given on the command line)."""
    has_header: bool = True
    """False for a file a tool wrote back without xlat's <header> (translate-toolkit's pofilter)."""


def _inline(parent: ET.Element, text: str, placeholders: dict[str, tuple[str, str]]) -> None:
    """Fill `parent` with text and <x/> elements for the ⟦n⟧ placeholders of `text`."""
    def code(element: ET.Element, n: str) -> ET.Element:
        ctype, equiv = placeholders.get(n, ("x-xlat-placeholder", ""))
        return ET.SubElement(element, f"{{{NS}}}x", {"id": n, "ctype": ctype, "equiv-text": equiv})

    fill_with_codes(parent, text, code)


def write(path: Path, document: XliffFile) -> None:
    write_bytes_atomic(path, render(document))


def render(document: XliffFile) -> bytes:
    """The XLIFF file's bytes (known before anything is written: the manifest's journal
    records what is about to be written)."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}xliff", {"version": "1.2"})
    file = ET.SubElement(root, f"{{{NS}}}file", {
        "original": document.original, "source-language": document.source_language,
        "target-language": document.target_language, "datatype": document.datatype,
        "tool-id": "xlat"})
    header = ET.SubElement(file, f"{{{NS}}}header")
    ET.SubElement(header, f"{{{NS}}}tool", {"tool-id": "xlat", "tool-name": "xlat",
                                             "tool-version": __version__})
    ET.SubElement(header, f"{{{NS}}}note", {"from": "xlat"}).text = f"engine: {document.engine}"
    ET.SubElement(header, f"{{{NS}}}note", {"from": "xlat"}).text = f"source-sha256: {document.source_sha256}"
    if document.source_path:
        ET.SubElement(header, f"{{{NS}}}note", {"from": "xlat"}).text = f"source-path: {document.source_path}"
    body = ET.SubElement(file, f"{{{NS}}}body")
    for unit in document.units:
        element = ET.SubElement(body, f"{{{NS}}}trans-unit",
                                {"id": unit.id, "{http://www.w3.org/XML/1998/namespace}space": "preserve"})
        _inline(ET.SubElement(element, f"{{{NS}}}source"), unit.source, unit.placeholders)
        target = ET.SubElement(element, f"{{{NS}}}target", {"state": unit.state})
        if unit.qualifier:
            target.set("state-qualifier", unit.qualifier)
        _inline(target, unit.target, unit.placeholders)
        # the translation as xlat wrote it: what a reviewer changed can be told apart
        proposal = ET.SubElement(element, f"{{{NS}}}alt-trans", {"origin": "xlat"})
        _inline(ET.SubElement(proposal, f"{{{NS}}}target"), unit.target, unit.placeholders)
        for quality, source, target_text in unit.matches:
            match = ET.SubElement(element, f"{{{NS}}}alt-trans",
                                  {"match-quality": str(quality), "origin": "tm"})
            _inline(ET.SubElement(match, f"{{{NS}}}source"), source, unit.placeholders)
            _inline(ET.SubElement(match, f"{{{NS}}}target"), target_text, unit.placeholders)
        for note in unit.notes:
            ET.SubElement(element, f"{{{NS}}}note", {"from": "xlat"}).text = note
    _indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _indent(element: ET.Element, level: int = 0) -> None:
    """Line breaks between structural elements only: the content of <source>, <target> and
    <note> is text (xml:space="preserve") and is left exactly as it is."""
    children = list(element)
    if not children or element.tag.split("}")[-1] in ("source", "target", "note", "tool"):
        return
    element.text = "\n" + " " * (level + 1)
    for child in children:
        _indent(child, level + 1)
        child.tail = "\n" + " " * (level + 1)
    children[-1].tail = "\n" + " " * level


def _text_of(element: ET.Element, foreign: list[str] | None = None) -> str:
    """The element's text with <x id="n"/> (and <ph>/<g> content) back as ⟦n⟧ placeholders.
    Inline elements other than <x/> (which xlat writes) are named in `foreign`."""
    out = [element.text or ""]
    for child in element:
        tag = child.tag.split("}")[-1]
        if tag != "x" and foreign is not None and tag != "mrk":
            foreign.append(f"<{tag}>")
        if tag in ("x", "ph", "bx", "ex", "it", "bpt", "ept"):
            out.append(f"⟦{child.get('id')}⟧")
        elif tag in ("g", "mrk"):
            out.append(_text_of(child, foreign))
        out.append(child.tail or "")
    return "".join(out)


NAMESPACES = (NS, "urn:oasis:names:tc:xliff:document:1.1", "urn:oasis:names:tc:xliff:document:1.0")
"""XLIFF 1.2 as xlat writes it, and the earlier versions tools write back (translate-toolkit's
pofilter and po2xliff write 1.1)."""


def _local(root: ET.Element) -> None:
    """Every XLIFF element's tag without its namespace (1.0, 1.1 and 1.2 read alike)."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            namespace, _, name = element.tag[1:].partition("}")
            if namespace in NAMESPACES:
                element.tag = name


def read(path: Path) -> XliffFile:
    """Parse an XLIFF file as a CAT tool leaves it (XLIFF 1.0, 1.1 or 1.2). Documents with a
    DOCTYPE are refused (no entity expansion, no external entities)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise XliffError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if re.search(rb"<!DOCTYPE|<!ENTITY", data, re.I):
        raise XliffError(f"{path}: refused: XLIFF with a DOCTYPE or entity declarations")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise XliffError(f"{path}: not well-formed XML ({exc})") from None
    _local(root)
    file = root.find("file")
    if root.tag != "xliff" or file is None:
        raise XliffError(f"{path}: not an XLIFF 1.2 document (nor 1.0 or 1.1)")
    header = file.find("header")
    notes = [n.text or "" for n in file.iterfind("header/note")]
    meta = dict(n.split(": ", 1) for n in notes if ": " in n)
    units = []
    # every <file>: po2xliff with a template appends the PO's units as a <file> of their own
    for element in root.iterfind("file//trans-unit"):
        if element.get("restype") == "x-gettext-domain-header":
            continue  # a PO file's header, carried along by po2xliff
        source = element.find("source")
        target = element.find("target")
        placeholders = {x.get("id", ""): (x.get("ctype", ""), x.get("equiv-text", ""))
                        for x in element.iter("x")}
        proposal = element.find("alt-trans[@origin='xlat']/target")
        matches = []
        for alt in element.iterfind("alt-trans[@origin='tm']"):
            quality = re.match(r"\d+", alt.get("match-quality", ""))
            alt_source, alt_target = alt.find("source"), alt.find("target")
            if quality and alt_source is not None and alt_target is not None:
                matches.append((int(quality.group()), _text_of(alt_source), _text_of(alt_target)))
        foreign: list[str] = []
        state = (target.get("state") if target is not None else None) or "new"
        if element.get("approved") == "yes" and state not in APPROVED_STATES:
            state = "translated"  # XLIFF's other way to say it (translate-toolkit sets it)
        units.append(Unit(element.get("id", ""), _text_of(source) if source is not None else "",
                          _text_of(target, foreign) if target is not None else "", state,
                          (target.get("state-qualifier") if target is not None else "") or "",
                          [n.text or "" for n in element.iterfind("note")], placeholders,
                          _text_of(proposal) if proposal is not None else None, foreign, matches))
    return XliffFile(file.get("original", ""), file.get("source-language", ""),
                     file.get("target-language", ""), file.get("datatype", ""),
                     meta.get("source-sha256", ""), meta.get("engine", ""), units,
                     meta.get("source-path", ""), header is not None)
