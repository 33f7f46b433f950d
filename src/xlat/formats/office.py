"""Office packages (Word .docx, OpenDocument .odt): the machinery the two formats share.

A package is a ZIP of XML parts. The parts that hold prose become one text, the package's
*text form*: each part's XML after a marker naming it. Paragraphs are blocks; inside a
paragraph, everything that is not prose (runs and their formatting, hyperlinks, fields,
breaks, tabs, bookmarks, footnote references) is markup, kept in its sentence as a
placeholder. An element inside a paragraph that holds paragraphs of its own (an OpenDocument
footnote or comment, a text box) is *hoisted*: its place in the paragraph becomes a marker
(markup) and its XML follows the part, so that its paragraphs are blocks of their own and the
sentence around it stays whole. Every other part of the package is copied byte for byte, in
the same order, with the same compression (an OpenDocument `mimetype` stays first and stored).

Runs that Word split for no visible reason (the same formatting, revision ids aside) are one
run to the engine; a block left as it was is written back exactly as it was read (identity
gives the same XML, byte for byte).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

from xlat.errors import InputError
from xlat.formats.html import merge_strings
from xlat.i18n import _
from xlat.model import Block, Document

MAX_MEMBER = 64 * 1024 * 1024
"""The largest part xlat reads from a package (a bigger one is refused: a ZIP bomb's)."""
MAX_TOTAL = 512 * 1024 * 1024
MAX_MEMBERS = 20000

_REF = ("\ufdd0", "\ufdd1")  # a hoisted element's place: \ufdd0 k \ufdd1
_CHUNK = ("\ufdd2", "\ufdd3")  # where hoisted element k's XML starts
_MEMBER = ("\ufdd4", "\ufdd5")  # where a package part's XML starts
_INTERNAL = re.compile("[\ufdd0-\ufdd5]")
"""Noncharacters xlat's text form is made with: never in a document it reads, never written."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff\ufdd0-\ufdd5]")

_TOKEN = re.compile(
    r"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<![^>]*>"
    r"|</[^>]*>|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
    "|\ufdd0\\d+\ufdd1|\ufdd2\\d+\ufdd3|\ufdd4[^\ufdd5]*\ufdd5"
    "|[^<\ufdd0\ufdd2\ufdd4]+", re.S)
_NAME = re.compile(r"</?([^\s/>]+)")
_XMLNS = re.compile(r"""\sxmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")
_TYPOGRAPHIC = set("\"'“”‘’„‚«»‹›\u00a0\u202f")
_LETTER = re.compile(r"[^\W\d_]")
XML_NS = "http://www.w3.org/XML/1998/namespace"


@dataclass(frozen=True)
class Spec:
    """What one office format is made of (docx, odt)."""

    format: str
    kind: Callable[[], str]  # "a Word document (.docx)" in the interface language, for messages
    required: str  # the part every package of the format has
    holds_text: Callable[[str], bool]  # which parts hold prose
    paragraphs: frozenset  # {namespace}name of paragraph elements
    prose: frozenset  # elements whose own text is prose (every one up from the paragraph: `nested`)
    nested: bool  # odt: text is prose only when every element around it is in `prose`
    merge: Callable[[str, str, str], bool] | None = None
    """merge(previous run's properties, boundary markup, next run's): the boundary is invisible."""
    localize: Callable[[str, bytes, str], bytes] | None = None
    """localize(part name, part bytes, target): the part declaring the language, in the target's."""


class OfficeText(str):
    """A package's text form, carrying the package's bytes (what the other parts come from)."""

    package: bytes = b""


@dataclass
class OfficeDocument(Document):
    originals: dict = field(default_factory=dict)
    """Block index -> the block's XML as read, written back when the block is unchanged."""
    package: bytes = b""

    def render(self, texts=None) -> str:
        out = []
        for part in self.parts:
            if isinstance(part, Block):
                text = part.text if texts is None else texts[part.index]
                out.append(self.originals.get(part.index, text) if text == part.text else text)
            else:
                out.append(part)
        return "".join(out)


# -- reading the package --------------------------------------------------------------------

def read(data: bytes, label: str, spec: Spec) -> OfficeText:
    """The text form of a package's bytes, or an InputError naming the file (one line)."""
    what = spec.kind()
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise InputError(label, _("is encrypted (password-protected) or an old binary Office file, "
                                  "not {what}; not read").format(what=what))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise InputError(label, _("is not {what}: not a ZIP package, or a damaged one").format(what=what)) from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(label, _("has {count} parts (more than {most}); not read").format(count=len(infos), most=MAX_MEMBERS))
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise InputError(label, _("is a damaged package (a part name is there twice); not read"))
    if spec.required not in names:
        raise InputError(label, _("is not {what}: it has no {part}").format(what=what, part=spec.required))
    total = 0
    parts = []
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(label, _("is encrypted ({part}); not read").format(part=info.filename))
        total += info.file_size
        if info.file_size > MAX_MEMBER or total > MAX_TOTAL:
            raise InputError(label, _("its part {part} unpacks to more than {most} MiB (or the package "
                                      "to more than {total} MiB): not read (a ZIP bomb?)").format(
                part=info.filename, most=MAX_MEMBER // 2**20, total=MAX_TOTAL // 2**20))
        if not spec.holds_text(info.filename):
            continue
        raw = _member(archive, info, label)
        parts.append(_MEMBER[0] + info.filename + _MEMBER[1] + _hoisted(_xml_text(raw, info.filename, label), spec.paragraphs))
    # every part is read once, so a damaged one (bad CRC, bad compression) is found now
    for info in infos:
        if not spec.holds_text(info.filename):
            _member(archive, info, label)
    text = OfficeText("".join(parts))
    text.package = data
    return text


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> bytes:
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_MEMBER + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError,
            OSError, RuntimeError) as exc:
        raise InputError(label, _("is a damaged package: its part {part} cannot be read ({why})").format(
            part=info.filename, why=str(exc)[:80] or type(exc).__name__)) from None
    if len(data) > MAX_MEMBER:
        raise InputError(label, _("its part {part} unpacks to more than {most} MiB: not read "
                                  "(a ZIP bomb?)").format(part=info.filename, most=MAX_MEMBER // 2**20))
    return data


_DECLARED = re.compile(r"""\ufeff?<\?xml[^>]*?\sencoding\s*=\s*["']([^"']+)["']""")


def _xml_text(raw: bytes, name: str, label: str) -> str:
    """A part's XML as text: well-formed UTF-8 XML without a DOCTYPE (no entity expansion)."""
    from lxml import etree

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(label, _("its part {part} is not UTF-8 XML; not read").format(part=name)) from None
    declared = _DECLARED.match(text)
    if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        # bytes that are UTF-8 (ASCII) under another declaration: the copy, written in UTF-8,
        # would be read by Word and LibreOffice in the declared encoding (mojibake)
        raise InputError(label, _("its part {part} is not UTF-8 XML; not read").format(part=name))
    if re.search(r"<!DOCTYPE|<!ENTITY", text):
        raise InputError(label, _("its part {part} declares a DOCTYPE (entities); not read").format(part=name))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(label, _("its part {part} is not well-formed XML ({why})").format(part=name, why=str(exc)[:80])) from None
    if _INTERNAL.search(text):
        raise InputError(label, _("its part {part} holds Unicode noncharacters U+FDD0-U+FDD5; not read").format(part=name))
    return text


@dataclass
class _Token:
    kind: str  # start, end, empty, text, other, ref, chunk, member
    start: int
    end: int
    name: str = ""  # {namespace}local of an element


def _tokens(text: str, spec: Spec | None = None) -> list[_Token]:
    """The tokens of a text form (or of one part's XML), element names resolved."""
    tokens: list[_Token] = []
    scopes: list[dict] = [{"xml": XML_NS}]
    refs: dict[str, dict] = {}
    for match in _TOKEN.finditer(text):
        piece = match.group(0)
        start, end = match.span()
        first = piece[0]
        if first == "<":
            second = piece[1:2]
            if second in "!?":
                tokens.append(_Token("other", start, end))
                continue
            prefixed = _NAME.match(piece).group(1)
            prefix, _, local = prefixed.rpartition(":")
            if second == "/":
                namespace = scopes[-1].get(prefix, "")
                tokens.append(_Token("end", start, end, f"{{{namespace}}}{local}"))
                if len(scopes) > 1:
                    scopes.pop()
                continue
            scope = scopes[-1]
            declared = _XMLNS.findall(piece)
            if declared:
                scope = dict(scope)
                for name, value, value2 in declared:
                    scope[name] = value or value2
            name = f"{{{scope.get(prefix, '')}}}{local}"
            if piece.endswith("/>"):
                tokens.append(_Token("empty", start, end, name))
            else:
                tokens.append(_Token("start", start, end, name))
                scopes.append(scope)
        elif first == _REF[0]:
            refs[piece[1:-1]] = scopes[-1]
            tokens.append(_Token("ref", start, end))
        elif first == _CHUNK[0]:
            scopes = [refs.get(piece[1:-1], {"xml": XML_NS})]
            tokens.append(_Token("chunk", start, end))
        elif first == _MEMBER[0]:
            scopes = [{"xml": XML_NS}]
            tokens.append(_Token("member", start, end))
        else:
            tokens.append(_Token("text", start, end))
    return tokens


def _hoisted(xml: str, paragraphs: frozenset) -> str:
    """A part's XML with every element inside a paragraph that holds paragraphs of its own
    taken out to the end (its place a marker), innermost last."""
    tokens = _tokens(xml)
    # matching end token and "holds a paragraph" for each start token (one pass, a stack)
    match_of: dict[int, int] = {}
    holds: set[int] = set()
    stack: list[int] = []
    for i, token in enumerate(tokens):
        if token.kind == "start":
            stack.append(i)
        elif token.kind == "end" and stack:
            opened = stack.pop()
            match_of[opened] = i
            if tokens[opened].name in paragraphs or opened in holds:
                if stack:
                    holds.add(stack[-1])
        elif token.kind == "empty" and token.name in paragraphs and stack:
            holds.add(stack[-1])
    chunks: list[str] = []
    pending = deque([(0, len(tokens), None)])  # token ranges to write: (first, stop, chunk number)
    written: dict[int | None, str] = {}
    order: list[int | None] = []
    while pending:
        first, stop, number = pending.popleft()
        out: list[str] = []
        depth_in_paragraph = 0
        position = tokens[first].start if first < len(tokens) else len(xml)
        i = first
        while i < stop:
            token = tokens[i]
            if token.kind == "start" and depth_in_paragraph and i in holds and i in match_of:
                out.append(xml[position:token.start])
                k = len(chunks)
                chunks.append("")
                out.append(f"{_REF[0]}{k}{_REF[1]}")
                pending.append((i, match_of[i] + 1, k))
                i = match_of[i] + 1
                position = tokens[i - 1].end
                continue
            if token.kind == "start" and (token.name in paragraphs or depth_in_paragraph):
                depth_in_paragraph += 1
            elif token.kind == "end" and depth_in_paragraph:
                depth_in_paragraph -= 1
            i += 1
        end = tokens[stop - 1].end if stop > first else position
        if number is None:
            end = len(xml)
        out.append(xml[position:end])
        written[number] = "".join(out)
        order.append(number)
    return written[None] + "".join(f"{_CHUNK[0]}{k}{_CHUNK[1]}{written[k]}" for k in order if k is not None)


def unhoisted(text: str) -> dict[str, str]:
    """Part name -> its XML, from a text form (hoisted elements back in their places)."""
    parts = {}
    pieces = re.split("\ufdd4([^\ufdd5]*)\ufdd5", text)
    for name, body in zip(pieces[1::2], pieces[2::2]):
        chunks = re.split("\ufdd2(\\d+)\ufdd3", body)
        main, found = chunks[0], dict(zip(chunks[1::2], chunks[2::2]))
        reference = re.compile("\ufdd0(\\d+)\ufdd1")
        for _pass in range(len(found) + 1):  # one level of nesting per pass
            if not reference.search(main):
                break
            main = reference.sub(lambda m: found.get(m.group(1), ""), main)
        parts[name] = main
    return parts


# -- parsing the text form ------------------------------------------------------------------

def parse(text: str, spec: Spec) -> OfficeDocument:
    tokens = _tokens(text)
    parts: list = []
    originals: dict[int, str] = {}
    position = 0
    names: list[str] = []  # open elements
    paragraph_at: int | None = None  # len(names) when the current paragraph opened
    pieces: list[tuple[int, int, bool, str]] = []  # (start, end, prose, run properties)
    run_properties, properties_from = "", None
    blocks = 0

    def prose_here() -> bool:
        if paragraph_at is None or len(names) < paragraph_at:
            return False
        if spec.nested:
            return all(name in spec.prose for name in names[paragraph_at - 1:])
        return names[-1] in spec.prose

    def finish() -> None:
        nonlocal position, blocks
        prose = [p for p in pieces if p[2]]
        if not prose or not _LETTER.search("".join(text[s:e] for s, e, _, _ in prose)):
            return
        start, end = prose[0][0], prose[-1][1]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if not _LETTER.search(text[start:end]):
            return
        block_text, markup = _block_text(text, start, end, [p for p in pieces if start < p[1] and p[0] < end],
                                         spec)
        parts.append(text[position:start])
        parts.append(Block(blocks, block_text, tuple(markup)))
        if block_text != text[start:end]:
            originals[blocks] = text[start:end]
        blocks += 1
        position = end

    for token in tokens:
        if token.kind in ("member", "chunk"):
            names, paragraph_at, pieces = [], None, []
            continue
        if token.kind == "start":
            names.append(token.name)
            if paragraph_at is None and token.name in spec.paragraphs:
                paragraph_at, pieces = len(names), []
            elif token.name.endswith("}r") and spec.merge:
                run_properties = ""
            elif token.name.endswith("}rPr") and spec.merge and len(names) > 1 and names[-2].endswith("}r"):
                properties_from = token.start
        elif token.kind == "end":
            if spec.merge and token.name.endswith("}rPr") and properties_from is not None:
                run_properties, properties_from = text[properties_from:token.end], None
            if names:
                names.pop()
            if paragraph_at is not None and len(names) < paragraph_at:
                pieces.append((token.start, token.end, False, ""))
                finish()
                paragraph_at, pieces = None, []
                continue
        if paragraph_at is not None:
            pieces.append((token.start, token.end, token.kind == "text" and prose_here(), run_properties))
    parts = [p for p in parts if p != ""]
    if position < len(text):
        parts.append(text[position:])
    return OfficeDocument(spec.format, merge_strings(parts), originals, getattr(text, "package", b""))


def _block_text(text: str, start: int, end: int, pieces, spec: Spec) -> tuple[str, list]:
    """A block's text and markup spans from its tokens: prose as it is (quotation marks and
    apostrophes written as references become the characters), everything else markup; a
    run boundary Word made for nothing (spec.merge) left out."""
    out: list[str] = []
    markup: list[tuple[int, int]] = []
    length = 0
    pending: list[tuple[int, int]] = []  # markup since the last prose
    previous_properties = None

    def flush_markup(next_properties) -> None:
        nonlocal length
        if not pending:
            return
        piece = text[pending[0][0]:pending[-1][1]]
        pending.clear()
        if spec.merge and previous_properties is not None and \
                spec.merge(previous_properties, piece, next_properties):
            return
        out.append(piece)
        markup.append((length, length + len(piece)))
        length += len(piece)

    for s, e, prose, properties in pieces:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        if not prose:
            pending.append((s, e))
            continue
        flush_markup(properties)
        position = s
        for match in _REFERENCE.finditer(text, s, e):
            out.append(text[position:match.start()])
            length += match.start() - position
            value = html.unescape(match.group(0))
            if value in _TYPOGRAPHIC:
                out.append(value)
                length += 1
            else:
                out.append(match.group(0))
                markup.append((length, length + len(match.group(0))))
                length += len(match.group(0))
            position = match.end()
        out.append(text[position:e])
        length += e - position
        previous_properties = properties
    flush_markup(None)
    return "".join(out), markup


# -- writing --------------------------------------------------------------------------------

def escape(text: str) -> str:
    """Translated text as XML character data: nothing in it becomes markup, and characters
    XML cannot hold (control characters, xlat's own markers) are left out."""
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def visible(text: str) -> str:
    return html.unescape(text)


def prose_of_markup(piece: str) -> str:
    """What a markup span counts as in prose: a break or tab a space, a reference its
    character, tags nothing (a run boundary is inside a word as often as between two)."""
    if piece.startswith("&"):
        return html.unescape(piece)
    if re.search(r"<(?:\w+:)?(?:br|cr|tab|s|line-break)\b|\ufdd0", piece):
        return " "
    return ""


def to_bytes(document: Document, text: str, spec: Spec, target: str | None = None,
             fix: Callable[[str, str], str] | None = None) -> bytes:
    """The package of a rendered text form: the parts holding prose from `text`, every other
    part as it was (same order, same compression, same dates); with `target`, the part that
    declares the document's language declares the target's."""
    package = getattr(document, "package", b"") or getattr(text, "package", b"")
    rendered = unhoisted(text)
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in rendered:
                xml = rendered[info.filename]
                if fix is not None and xml.encode("utf-8") != data:  # (a part left as it was: as it was)
                    xml = fix(info.filename, xml)
                data = xml.encode("utf-8")
            if target and spec.localize is not None:
                data = spec.localize(info.filename, data, target)
            copy.writestr(_like(info), data, compress_type=info.compress_type)
    return out.getvalue()


def _like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A new ZipInfo with `info`'s name, date, compression, attributes and extra fields
    (writestr changes the one it is given)."""
    new = zipfile.ZipInfo(info.filename, info.date_time)
    new.compress_type, new.comment, new.extra = info.compress_type, info.comment, info.extra
    new.create_system, new.external_attr, new.internal_attr = info.create_system, info.external_attr, info.internal_attr
    return new
