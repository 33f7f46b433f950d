"""Markdown (CommonMark + tables): prose is headings, paragraphs, list items, blockquotes,
table cells, link text and image alt text; code, HTML blocks, URLs, link targets and front
matter are skeleton. Inline markup inside a paragraph (emphasis, links, code spans, inline
HTML) is kept as markup spans of the block, so a sentence is translated whole."""

from __future__ import annotations

import re

from xlat.model import Block, Document

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MARKUP = re.compile(r"""
    (?P<code>`+)[\s\S]*?(?<!`)(?P=code)(?!`)             # code span
  | <(?:https?|mailto|ftp):[^>\s]*>                      # autolink
  | <[\w.+-]+@[\w-]+(?:\.[\w-]+)+>                        # e-mail autolink
  | \[\^[^\]\s]+\](?!\()                                   # footnote reference [^1]
  | </?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>             # inline HTML tag
  | <!--[\s\S]*?-->                                      # HTML comment
  | !?\[(?=(?:\\[\s\S]|[^\[\]\\]|\[[^\]]*\])*\](?:\(|\[))  # link or image opener
  | \]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)   # ](target "title")
  | \]\[[^\]]*\]                                         # ][reference]
  | (?:[ ]{2,}|\\)\n[ \t]*(?:>[ \t>]*)?                   # hard line break
  | \\[\\`*_{}\[\]()\#+\-.!|<>"'~]                       # backslash escape
  | (?<![\w*\\])\*{1,3}(?=[^\s*])                        # emphasis opening *
  | (?<=[^\s*\\])\*{1,3}(?![\w*])                        # emphasis closing *
  | (?<![\w\\])_{1,3}(?=[^\s_])                          # emphasis opening _
  | (?<=[^\s_\\])_{1,3}(?!\w)                            # emphasis closing _
  | ~~
  | \n[ \t]*>[ \t>]*                                     # a blockquote's line prefix
""", re.X)


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _inline_regions(text: str, body_start: int) -> list[tuple[int, int]]:
    """(start, end) offsets of each inline content (paragraph, heading, table cell) in text."""
    body = text[body_start:]
    line_starts = [body_start]
    for match in re.finditer("\n", body):
        line_starts.append(body_start + match.end())
    line_starts.append(len(text))
    regions = []
    cursor, cursor_map = body_start, None
    for token in _parser().parse(body):
        if token.type != "inline" or not token.map or not token.content.strip():
            continue
        first, last = token.map
        if token.map != cursor_map:
            cursor, cursor_map = line_starts[first], token.map
        limit = line_starts[min(last, len(line_starts) - 1)]
        start = end = None
        for line in token.content.split("\n"):
            found = text.find(line, cursor, limit)
            if found < 0:
                break
            start = found if start is None else start
            cursor = end = found + len(line)
        if start is not None and end is not None:
            regions.append((start, end))
    return regions


def parse(text: str) -> Document:
    front = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    body_start = (len(text) - len(text.lstrip("\ufeff"))) + (front.end() if front else 0)
    parts: list = []
    position = 0
    count = 0
    for start, end in _inline_regions(text, body_start):
        region = text[start:end]
        if not re.search(r"[^\W\d_]", _MARKUP.sub("", region)):
            continue  # no prose (a number, a lone link target...)
        if start > position:
            parts.append(text[position:start])
        markup = tuple((m.start(), m.end()) for m in _MARKUP.finditer(region))
        parts.append(Block(count, region, markup))
        count += 1
        position = end
    if position < len(text):
        parts.append(text[position:])
    return Document("markdown", parts)


_SPECIAL = re.compile(r"([\\`*_\[\]<>|]|&(?=#?[0-9A-Za-z]+;))")


def escape(text: str) -> str:
    r"""Translated text (an engine's, a reviewer's, the memory's, a glossary's) as Markdown
    text: characters that could start markup, and an & that would start a reference, are
    escaped. The one Markdown escaper: every translated piece goes through it.

    >>> escape("<b> [x](javascript:y) AT&T &amp;\n\n# h")
    '\\<b\\> \\[x\\](javascript:y) AT&T \\&amp; # h'
    """
    text = re.sub(r"[ \t]*\n\s*", " ", text)  # (the source's line breaks are markup: never here)
    return _SPECIAL.sub(r"\\\1", text)


_BLOCK_START = re.compile(r"\A(?:[-+*>#]|\d{1,9}(?=[.)]))(?=[.)]?(?:[ \t]|\Z))")


def escape_block(text: str, source: str) -> str:
    r"""A translated block that would start a list, heading or quote where its source did not
    ("- Lea…", "# 1.", "1. Lea…"): its first marker escaped.

    >>> escape_block("- Lea el aviso.", "Read the notice."), escape_block("1. Lea", "Read")
    ('\\- Lea el aviso.', '1\\. Lea')
    """
    match = _BLOCK_START.match(text)
    if not match or _BLOCK_START.match(source):
        return text
    if text[0].isdigit():
        return text[:match.end()] + "\\" + text[match.end():]
    return "\\" + text


def visible(text: str) -> str:
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>\"'~&])", r"\1", text)


def elements(text: str):
    """The elements of the HTML the document renders to (tag and attribute names, counted):
    a link, image or raw HTML that translated text added or lost shows here."""
    from xlat.formats import html

    return html.elements(_parser().render(text))


def prose_of_markup(piece: str) -> str:
    """What a markup span counts as in prose: code spans and line breaks a space, the rest nothing."""
    return " " if piece[:1] in "\n`" or "\n" in piece else ""


def prose_blocks(text: str) -> list[str]:
    """The prose of each block for detection: markup dropped, code spans as spaces."""
    return parse(text).prose(prose_of_markup)
