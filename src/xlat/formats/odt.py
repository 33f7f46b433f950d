"""OpenDocument text (.odt): text:p and text:h are blocks wherever they are (lists, tables,
frames and text boxes, footnotes and endnotes, comments, headers and footers); text of a
paragraph, span or link is prose, every other element in a paragraph (spaces, tabs, line
breaks, bookmarks, fields, note citations) is markup kept in its sentence. See
xlat.formats.office. The copy's styles and automatic styles declare the target language
(fo:language, fo:country)."""

from __future__ import annotations

import re

from xlat.formats import office
from xlat.i18n import _

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_PROSE = frozenset(TEXT + name for name in ("p", "h", "span", "a", "meta", "ruby", "ruby-base"))


def _localize(name: str, data: bytes, target: str) -> bytes:
    """Every fo:language (and fo:country) of the styles and automatic styles says the target;
    style:language-asian and -complex, for other scripts, are left."""
    if name not in ("styles.xml", "content.xml"):
        return data
    language, _, rest = target.partition("-")
    region = next((p for p in rest.split("-") if len(p) == 2 and p.isalpha()), "") if rest else ""
    data = re.sub(rb'(\sfo:language=")[^"]*(")',
                  lambda m: m.group(1) + language.encode("ascii", "ignore") + m.group(2), data)
    if region:
        return re.sub(rb'(\sfo:country=")[^"]*(")', lambda m: m.group(1) + region.upper().encode() + m.group(2), data)
    return re.sub(rb'\sfo:country="[^"]*"', b"", data)


SPEC = office.Spec("odt", lambda: _("an OpenDocument text (.odt)"), "content.xml", lambda name: name in ("content.xml", "styles.xml"),
                   frozenset({TEXT + "p", TEXT + "h"}), _PROSE, nested=True, localize=_localize)

escape = office.escape
visible = office.visible
prose_of_markup = office.prose_of_markup


def read(data: bytes, label: str) -> office.OfficeText:
    return office.read(data, label, SPEC)


def parse(text: str) -> office.OfficeDocument:
    return office.parse(text, SPEC)


def to_bytes(document, text: str, target: str | None = None) -> bytes:
    return office.to_bytes(document, text, SPEC, target)


def prose_blocks(text: str) -> list[str]:
    return parse(text).prose(prose_of_markup)
