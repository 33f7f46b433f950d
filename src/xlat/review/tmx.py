"""TMX 1.4 export and import of the human-approved part of the translation memory.

Import reads the file as a stream (memory bounded by the largest unit, not the file) with
expat and no entity or DTD processing: a document type with an internal subset, entity
declarations and references to undeclared entities are refused. The whole file is one
transaction: a file that fails anywhere (not well-formed at line N, a memory that cannot be
written) imports nothing, and the message says where.

Which pairs a unit gives (linear in its variants): the variant in the unit's source language
(the <tu>'s srclang, else the header's) paired with each other variant; with srclang "*all*"
(as xlat writes) or none, the first variant is the source. A unit without a variant in its
source language is skipped (and counted).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from xlat import __version__
from xlat.errors import XlatError
from xlat.fsutil import write_bytes_atomic
from xlat.translate.memory import Memory, TranslationMemoryError, describe_error
from xlat.protect import placeholders
from xlat.review import fill_with_codes

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_CHUNK = 1 << 20


class TmxError(XlatError):
    pass


def _seg(parent: ET.Element, text: str, codes: dict, side: int, pairing: dict[str, int]) -> None:
    """A <seg> of `text`, each placeholder an inline code with the text it stood for (side 1:
    the source's, 2: the target's) where `codes` has it (<ph>, or <bpt>/<ept> paired by i as in
    the source, <it> for one whose partner is not in the sentence); an empty <ph x="n"/> else."""
    def code(element: ET.Element, n: str) -> ET.Element:
        found = codes.get(n)
        role = found[0] if found else "ph"
        if role in ("bpt", "ept"):
            if n in pairing:  # <ept> has no x: its placeholder is named in its <bpt>'s type
                i, partner = pairing[n]
                made = ET.SubElement(element, role, {"i": str(i), **(
                    {"x": n, "type": f"x-xlat-ept-{partner}"} if role == "bpt" else {})})
            else:
                made = ET.SubElement(element, "it", {"pos": "begin" if role == "bpt" else "end", "x": n})
        else:
            made = ET.SubElement(element, "ph", {"x": n})
        if found:
            made.text = found[side]
        return made

    fill_with_codes(ET.SubElement(parent, "seg"), text, code)


def _pairing(source: str, codes: dict) -> dict[str, tuple[int, str]]:
    """Placeholder -> (the i of its <bpt>/<ept> pair in the source sentence, the other's
    placeholder); unpaired: absent."""
    pairing: dict[str, tuple[int, str]] = {}
    opened: list[str] = []
    for k in placeholders.ids(source):
        role = (codes.get(str(k)) or ["ph"])[0]
        if role == "bpt":
            opened.append(str(k))
        elif role == "ept" and opened:
            start = opened.pop()
            i = len(pairing) // 2 + 1
            pairing[start], pairing[str(k)] = (i, str(k)), (i, start)
    return pairing


def export(memory: Memory, path: Path) -> int:
    """Write the approved segments to `path` (atomically); the number of units written."""
    rows = list(memory.human_segments(with_codes=True))
    languages = [row[0] for row in rows]
    srclang = max(set(languages), key=languages.count) if languages else "en"
    root = ET.Element("tmx", {"version": "1.4"})
    ET.SubElement(root, "header", {
        "creationtool": "xlat", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "xlat-sqlite", "adminlang": "en", "srclang": srclang, "datatype": "plaintext"})
    body = ET.SubElement(root, "body")
    count = 0
    for source_lang, target_lang, source, target, updated, codes_json in rows:
        try:
            codes = json.loads(codes_json) if codes_json else {}
        except ValueError:
            codes = {}
        pairing = _pairing(source, codes)
        stamp = updated.replace("-", "").replace(":", "").replace("+0000", "").split("+")[0] + "Z"
        tu = ET.SubElement(body, "tu", {"creationdate": stamp})
        if source_lang != srclang:  # one srclang in the header; a unit says where it differs
            tu.set("srclang", source_lang)
        for side, (lang, text) in enumerate(((source_lang, source), (target_lang, target)), 1):
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
            _seg(tuv, text, codes, side, pairing)
        count += 1
    ET.indent(root, space=" ")
    data = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            + ET.tostring(root, encoding="utf-8") + b"\n")
    try:
        write_bytes_atomic(path, data)
    except OSError as exc:
        raise TmxError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return count


_OMEGAT_TAG = re.compile(r"</?[a-z]\d+/?>")


def _text(seg: ET.Element, ours: bool = False) -> str:
    """The segment's text. <ph x="n"/> without content (as older xlat wrote) is ⟦n⟧; the
    content of every other inline code (<ph>, <bpt>, <ept>, <it>, Okapi's and Trados' codes)
    is kept as text, and <hi>/<sub> contents too; OmegaT's own tags (<a0>, </a0>, <b1/>)
    in the text are removed (no recursion: nesting depth costs nothing). In xlat's own TMX
    (`ours`) every code with a number x (<ph>, <bpt>, <ept>, <it>) is the placeholder ⟦x⟧."""
    out = [seg.text or ""]
    paired: dict = {}
    stack = [(iter(seg), None)]
    while stack:
        children, owner = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if owner is not None:
                out.append(owner.tail or "")
        elif child.tag in ("hi", "sub", "ph", "bpt", "ept", "it", "ut"):
            x = child.get("x") or (paired.get(child.get("i")) if child.tag == "ept" else "") or ""
            if child.tag == "bpt" and (child.get("type") or "").startswith("x-xlat-ept-"):
                paired[child.get("i")] = child.get("type")[len("x-xlat-ept-"):]  # its <ept>'s (no x)
            if x.isdigit() and child.tag != "hi" and (
                    ours or child.tag == "ph" and not child.text and not len(child)):
                out.append(f"⟦{int(x)}⟧")
                out.append(child.tail or "")
                continue
            if child.tag in ("hi", "sub") or _OMEGAT_TAG.fullmatch((child.text or "").strip()) is None:
                out.append(child.text or "")
                stack.append((iter(child), child))
            else:
                out.append(child.tail or "")
        else:
            out.append(child.tail or "")
    return _OMEGAT_TAG.sub("", "".join(out))


def reduce_language(tag: str) -> str:
    """A TMX language tag as xlat's memory keys have it: case ignored, region and script dropped
    (EN-US, en_us, En -> en) except where xlat tells variants apart (pt-BR, zh-Hant)."""
    parts = tag.replace("_", "-").split("-")
    primary = parts[0].lower()
    rest = [p for p in parts[1:] if p]
    if primary in ("pt", "zh") and rest:
        tail = rest[0]
        return f"{primary}-{tail.upper() if len(tail) == 2 else tail.title()}"
    return primary


@dataclass
class Imported:
    pairs: int = 0
    units: int = 0
    skipped: int = 0
    """Units without a variant in their source language (or with fewer than two variants)."""
    languages: set = field(default_factory=set)
    """(source, target) language pairs stored, as xlat's codes."""


class _Refused(Exception):
    pass


def _pairs(tu: ET.Element, srclang: str, ours: bool = False) -> list[tuple[str, str, str, str]] | None:
    """(source lang, target lang, source, target) of one unit; None: nothing to pair."""
    variants = []
    for tuv in tu.iter("tuv"):
        lang = (tuv.get(_XML_LANG) or tuv.get("xml:lang") or tuv.get("lang") or "").replace("_", "-")
        seg = tuv.find("seg")
        if _LANG.match(lang) and seg is not None:
            variants.append((reduce_language(lang), _text(seg, ours)))
    source_lang = (tu.get("srclang") or srclang or "*all*").replace("_", "-")
    if source_lang.lower() == "*all*":
        first = 0 if variants else None
    else:
        wanted = reduce_language(source_lang)
        first = next((i for i, (lang, _) in enumerate(variants) if lang == wanted), None)
    if first is None:
        return None
    lang, source = variants[first]
    source = " ".join(source.split())
    found = [(lang, other, source, text) for i, (other, text) in enumerate(variants)
             if i != first and other != lang]
    return found or None


def _open(path: Path):
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise TmxError(f"{path}: not a regular file")
        return open(path, "rb")
    except OSError as exc:
        raise TmxError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _parser(result: Imported, on_pairs):
    """An expat parser calling on_pairs(pairs) per unit (None: nothing to pair)."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[ET.Element] = []
    srclang = ""
    ours = False  # written by xlat: its codes are placeholders

    def doctype(name, system_id, public_id, has_internal_subset):
        if has_internal_subset:
            raise _Refused("refused: a document type with an internal subset (entity declarations)")

    def entity(*args):
        raise _Refused("refused: entity declarations in a TMX file")

    def skipped(name, is_parameter_entity):
        raise _Refused(f"reference to an undeclared entity &{name};")

    def start(tag, attrs):
        nonlocal srclang, ours
        if not stack and tag != "tmx":
            raise _Refused(f"not a TMX document (root element <{tag}>)")
        if tag == "header" and len(stack) == 1:
            srclang = attrs.get("srclang", "")
            ours = attrs.get("creationtool") == "xlat"
        element = ET.Element(tag, attrs)
        if stack:
            stack[-1].append(element)
        stack.append(element)

    def end(tag):
        element = stack.pop()
        if tag != "tu":
            return
        result.units += 1
        pairs = _pairs(element, srclang, ours)
        del stack[-1][-1]  # done with it: memory stays bounded by one unit
        if pairs is None:
            result.skipped += 1
        on_pairs(pairs)

    def data(text):
        if len(stack) < 3:
            return  # white space between units, header notes: not needed
        element = stack[-1]
        if len(element):
            element[-1].tail = (element[-1].tail or "") + text
        else:
            element.text = (element.text or "") + text

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.SkippedEntityHandler = skipped
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.buffer_text = True
    return parser


def _feed(parser, stream) -> None:
    while chunk := stream.read(_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def read_units(path: Path) -> list[tuple[str, str, str, str]]:
    """(source lang, target lang, source, target) of every unit of a TMX file, read with
    import_'s rules (languages reduced to xlat's codes)."""
    stream = _open(path)
    result = Imported()
    found: list[tuple[str, str, str, str]] = []
    parser = _parser(result, lambda pairs: found.extend(pairs or ()))
    try:
        with stream:
            _feed(parser, stream)
    except expat.ExpatError as exc:
        raise TmxError(f"{path}: line {exc.lineno}: not well-formed XML ({expat.ErrorString(exc.code)})") from None
    except _Refused as exc:
        raise TmxError(f"{path}: line {parser.CurrentLineNumber}: {exc}") from None
    except OSError as exc:
        raise TmxError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return found


def import_(memory: Memory, path: Path) -> Imported:
    """Store the translation units of a TMX file as approved, all or (on any error) none."""
    stream = _open(path)
    result = Imported()

    def store(pairs):
        for source_lang, target_lang, source, target in pairs or ():
            result.languages.add((source_lang, target_lang))
            result.pairs += memory.approve(source_lang, target_lang, [(source, target)])

    parser = _parser(result, store)

    def where() -> str:
        return f"line {parser.CurrentLineNumber}" + (f" (unit {result.units + 1})" if result.units else "")

    try:
        with stream, memory.transaction():
            try:
                _feed(parser, stream)
            except expat.ExpatError as exc:
                raise TmxError(f"{path}: line {exc.lineno}: not well-formed XML "
                               f"({expat.ErrorString(exc.code)}); nothing imported") from None
            except _Refused as exc:
                raise TmxError(f"{path}: {where()}: {exc}; nothing imported") from None
            except (sqlite3.Error, TranslationMemoryError) as exc:
                problem = exc.cause if isinstance(exc, TranslationMemoryError) else describe_error(exc)
                raise TmxError(f"{path}: {where()}: cannot store it in the translation memory "
                               f"{memory.path}: {problem}; nothing imported") from None
            except OSError as exc:
                raise TmxError(f"{path}: {where()}: cannot read ({exc.strerror or exc}); "
                               "nothing imported") from None
    except TranslationMemoryError as exc:  # the commit itself failed
        raise TmxError(f"{path}: cannot store it in the translation memory {memory.path}: "
                       f"{exc.cause}; nothing imported") from None
    return result
