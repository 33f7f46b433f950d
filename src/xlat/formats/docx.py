"""Word documents (.docx, Office Open XML): paragraphs of the body, tables, lists, text boxes,
headers, footers, footnotes, endnotes and comments are blocks; a run's text (w:t) is prose,
everything else in a paragraph (runs, their properties, hyperlinks, fields, breaks, tabs,
bookmarks, footnote references) is markup kept in its sentence. See xlat.formats.office.
The copy declares the target language (w:lang w:val, in the styles and on runs)."""

from __future__ import annotations

import re

from xlat.formats import office
from xlat.i18n import _

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = re.compile(r"word/(?:document|footnotes|endnotes|comments|(?:header|footer)\d*)\.xml")
_BOUNDARY = re.compile(
    r"</w:t>\s*</w:r>(?:<w:proofErr\b[^>]*/>)*<w:r(?:\s+w:rsid\w*=\"[^\"]*\")*\s*>"
    r"(?:<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?<w:t(?:\s+xml:space=\"preserve\")?>", re.S)
_REVISION = re.compile(r"\s+w:rsid\w*=\"[^\"]*\"")


def _merge(previous: str, boundary: str, following: str) -> bool:
    """A boundary between two runs of the same formatting (revision ids aside), with nothing
    but spelling marks between them: Word's, invisible; the two runs are one to the engine."""
    return _REVISION.sub("", previous) == _REVISION.sub("", following) and bool(_BOUNDARY.fullmatch(boundary))


def _localize(name: str, data: bytes, target: str) -> bytes:
    """Every w:lang w:val of the styles and of the parts with prose says the target (each
    translated paragraph is in it, whatever language a run was marked in); w:eastAsia and
    w:bidi, for other scripts, are left."""
    if name != "word/styles.xml" and not _PARTS.fullmatch(name):
        return data
    value = target.encode("ascii", "ignore")
    return re.sub(rb'(<w:lang\b[^>]*?\sw:val=")[^"]*(")', lambda m: m.group(1) + value + m.group(2), data)


def _fix(name: str, xml: str) -> str:
    """A run's text starting or ending with a space keeps it (xml:space="preserve")."""
    return re.sub(r"<w:t>(?=\s|[^<]*\s</w:t>)", '<w:t xml:space="preserve">', xml)


SPEC = office.Spec("docx", lambda: _("a Word document (.docx)"), "word/document.xml", lambda name: bool(_PARTS.fullmatch(name)),
                   frozenset({W + "p"}), frozenset({W + "t"}), nested=False, merge=_merge,
                   localize=_localize)

escape = office.escape
visible = office.visible
prose_of_markup = office.prose_of_markup


def read(data: bytes, label: str) -> office.OfficeText:
    return office.read(data, label, SPEC)


def parse(text: str) -> office.OfficeDocument:
    return office.parse(text, SPEC)


def to_bytes(document, text: str, target: str | None = None) -> bytes:
    return office.to_bytes(document, text, SPEC, target, _fix)


def prose_blocks(text: str) -> list[str]:
    return parse(text).prose(prose_of_markup)
