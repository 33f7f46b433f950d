"""Document formats. Each module offers `prose_blocks(text) -> list[str]`: the paragraphs of
prose a reader sees, without markup, code, URLs or front matter, in document order."""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

# Suffix -> module name under xlat.formats (imported lazily).
SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".odt": "odt",
}
PACKAGES = frozenset({"docx", "odt"})
"""Formats whose files are ZIP packages, not text: read as bytes (read_package), written as
bytes (to_bytes)."""


def format_for(path: str | Path) -> str | None:
    """The format name for a path's suffix, or None when xlat does not read that kind of file."""
    return SUFFIXES.get(Path(path).suffix.lower())


def read_package(data: bytes, label: str, format_name: str) -> str:
    """The text form of a package's bytes (a str carrying the package), or an InputError."""
    module = importlib.import_module(f"xlat.formats.{format_name}")
    return module.read(data, label)


def to_bytes(document, text: str, target: str | None = None) -> bytes:
    """The bytes of a rendered copy of `document`: UTF-8 text, or for a package the ZIP
    rebuilt around its rendered parts (with `target`, declaring that language)."""
    module = importlib.import_module(f"xlat.formats.{document.format}")
    if hasattr(module, "to_bytes"):
        return module.to_bytes(document, text, target)
    return text.encode("utf-8")


def prose_blocks(text: str, format_name: str) -> list[str]:
    module = importlib.import_module(f"xlat.formats.{format_name}")
    return module.prose_blocks(text)


def parse(text: str, format_name: str):
    """The format's Document (skeleton + blocks); rendering it unchanged gives `text` back."""
    module = importlib.import_module(f"xlat.formats.{format_name}")
    if not hasattr(module, "parse"):
        from xlat.i18n import _

        raise NotImplementedError(_("translating {format} documents is not supported yet").format(
            format=format_name))
    return module.parse(text)


def localize(format_name: str, text: str, target: str) -> str:
    """Format-level changes for a target language (HTML: lang and dir attributes)."""
    module = importlib.import_module(f"xlat.formats.{format_name}")
    return module.localize(text, target) if hasattr(module, "localize") else text


def escapers(document):
    """escapers(document)(block index) -> escape(text): the function that makes translated
    text safe to put into that block of `document` (HTML escapes an attribute value's quotes
    too). Every translated piece goes through it: engine output, memory and reviewer text,
    glossary translations."""
    module = importlib.import_module(f"xlat.formats.{document.format}")
    escape = getattr(module, "escape", None)
    if escape is None:
        return lambda index: (lambda text: text)
    if not hasattr(module, "contexts"):
        return lambda index: escape
    where = module.contexts(document)  # once per document: blocks x parts would be quadratic
    return lambda index: functools.partial(escape, context=where.get(index, module.TEXT))


def visible(format_name: str, text: str) -> str:
    """Text as a reader of the rendered document sees it (HTML: references resolved;
    Markdown: backslash escapes undone): where residue must be looked for too."""
    module = importlib.import_module(f"xlat.formats.{format_name}")
    return module.visible(text) if hasattr(module, "visible") else text


def block_escaper(format_name: str):
    """block_escape(translated, source): what a whole translated block needs so that it stays
    one block of the same kind (Markdown: no new list or heading at its start)."""
    module = importlib.import_module(f"xlat.formats.{format_name}")
    return getattr(module, "escape_block", lambda text, source: text)


def block_prose(document) -> list[str]:
    """The prose of every block of a parsed document, lined up with document.blocks."""
    module = importlib.import_module(f"xlat.formats.{document.format}")
    return document.prose(getattr(module, "prose_of_markup", lambda piece: " "), keep_empty=True)


def elements(format_name: str, text: str):
    """The elements of a document as its format's parser builds them (tag and attribute
    names, counted), or None for formats without elements."""
    module = importlib.import_module(f"xlat.formats.{format_name}")
    return module.elements(text) if hasattr(module, "elements") else None
