"""TMX 1.4 export and import of the human-approved part of the translation memory."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from xlat import __version__
from xlat.errors import XlatError
from xlat.fsutil import write_bytes_atomic
from xlat.translate.memory import Memory
from xlat.review import fill_with_codes

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class TmxError(XlatError):
    pass


def _seg(parent: ET.Element, text: str) -> None:
    fill_with_codes(ET.SubElement(parent, "seg"), text,
                    lambda element, n: ET.SubElement(element, "ph", {"x": n}))


def export(memory: Memory, path: Path) -> int:
    root = ET.Element("tmx", {"version": "1.4"})
    ET.SubElement(root, "header", {
        "creationtool": "xlat", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "xlat-sqlite", "adminlang": "en", "srclang": "*all*", "datatype": "plaintext"})
    body = ET.SubElement(root, "body")
    count = 0
    for source_lang, target_lang, source, target, updated in memory.human_segments():
        stamp = updated.replace("-", "").replace(":", "").replace("+0000", "").split("+")[0] + "Z"
        tu = ET.SubElement(body, "tu", {"creationdate": stamp})
        for lang, text in ((source_lang, source), (target_lang, target)):
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
            _seg(tuv, text)
        count += 1
    ET.indent(root, space=" ")
    data = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            + ET.tostring(root, encoding="utf-8") + b"\n")
    write_bytes_atomic(path, data)
    return count


def _text(seg: ET.Element) -> str:
    out = [seg.text or ""]
    for child in seg:
        if child.tag == "ph":
            out.append(f"⟦{child.get('x', '0')}⟧")
        elif child.tag in ("hi", "sub"):
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


def import_(memory: Memory, path: Path) -> int:
    """Store every translation unit of a TMX file as approved (each pair of its variants)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TmxError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if re.search(rb"<!ENTITY", data):
        raise TmxError(f"{path}: refused: entity declarations in a TMX file")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise TmxError(f"{path}: not well-formed XML ({exc})") from None
    if root.tag != "tmx":
        raise TmxError(f"{path}: not a TMX document")
    count = 0
    for tu in root.iter("tu"):
        variants = [(tuv.get(_XML_LANG) or tuv.get("lang") or "", tuv.find("seg")) for tuv in tu.iter("tuv")]
        variants = [(lang.replace("_", "-"), _text(seg)) for lang, seg in variants if lang and seg is not None]
        for i, (source_lang, source) in enumerate(variants):
            for target_lang, target in variants[i + 1:]:
                memory.approve(source_lang, target_lang, [(" ".join(source.split()), target)])
                count += 1
    return count
