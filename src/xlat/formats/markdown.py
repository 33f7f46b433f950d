"""Markdown (CommonMark + tables): prose is headings, paragraphs, list items, blockquotes,
table cells, link text and image alt text; code, HTML blocks, URLs, link targets and front
matter are skeleton. Inline markup inside a paragraph (emphasis, links, code spans, inline
HTML) is kept as markup spans of the block, so a sentence is translated whole."""

from __future__ import annotations

import re
from collections import deque

from xlat.model import Block, Document

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MARKUP = re.compile(r"""
    (?<!`)(?P<code>`+)(?!`)                              # a code span's opening run (see markup_spans)
  | <(?:https?|mailto|ftp):[^<>\s]*>                    # autolink
  | <[\w.+-]+@[\w-]+(?:\.[\w-]+)+>                        # e-mail autolink
  | \[\^[^\[\]\s]+\](?!\()                                # footnote reference [^1]
  | </?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>             # inline HTML tag
  | (?P<comment><!--)                                    # HTML comment (see markup_spans)
  | (?P<link>!?\[)                                       # link or image opener (see markup_spans)
  | \]\((?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)   # ](target "title"), ](<a b>)
  | \]\[[^\]]*\]                                         # ][reference]
  | (?:(?<![ ])[ ]{2,}|\\)\n[ \t]*(?:>[ \t>]*)?             # hard line break
  | \\[\\`*_{}\[\]()\#+\-.!|<>"'~]                       # backslash escape
  | (?<![\w*\\])\*{1,3}(?=[^\s*])                        # emphasis opening *
  | (?<=[^\s*\\])\*{1,3}(?![\w*])                        # emphasis closing *
  | (?<![\w\\])_{1,3}(?=[^\s_])                          # emphasis opening _
  | (?<=[^\s_\\])_{1,3}(?!\w)                            # emphasis closing _
  | ~~
  | \n[ \t]*>[ \t>]*                                     # a blockquote's line prefix
""", re.X)
_BACKTICKS = re.compile(r"(?<!`)`+(?!`)")
_BRACKET = re.compile(r"\\[\s\S]|[\[\]]")  # a backslash escape is skipped whole: \] is text


def markup_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each piece of inline markup in `text`, left to right, in time linear in
    the text: what a regular expression would find by backtracking (a code span's closing run,
    the end of a comment, the `](` that makes `[` a link) is looked up in tables made once."""
    runs = [m.span() for m in _BACKTICKS.finditer(text)]
    waiting: dict[int, deque] = {}  # run length -> runs not yet passed, in order
    for start, end in runs:
        waiting.setdefault(end - start, deque()).append(start)
    openers = _link_openers(text)
    last_comment_close = text.rfind("-->")
    spans = []
    position = 0
    while (match := _MARKUP.search(text, position)) is not None:
        start, end = match.span()
        position = end
        if match.lastgroup == "code":  # closed by the next run of the same length, if any
            same = waiting[end - start]
            while same and same[0] < end:
                same.popleft()
            if not same:
                continue  # never closed: the backticks are text
            end = position = same[0] + (end - start)
        elif match.lastgroup == "comment":
            if last_comment_close < end:
                continue  # never closed: text
            end = position = text.find("-->", end) + 3
        elif match.lastgroup == "link" and end - 1 not in openers:
            position = start + 1  # no ]( or ][ to go with it: text (the [ of ![ may start more)
            continue
        spans.append((start, end))
    return spans


def _link_openers(text: str) -> set[int]:
    """Offsets of each [ that the text after it makes a link opener: brackets (nested one deep)
    that close, then ]( or ][ (what a backtracking lookahead would find), right to left; a
    backslash-escaped bracket is text."""
    brackets = [m.start() for m in _BRACKET.finditer(text) if m.group() in "[]"]
    count = len(brackets)
    next_close: list[int | None] = [None] * (count + 1)  # first ] at bracket k or after
    for k in range(count - 1, -1, -1):
        next_close[k] = k if text[brackets[k]] == "]" else next_close[k + 1]
    reach = [-1] * (count + 1)  # where a scan from bracket k stops on its ] (-1: no ])
    for k in range(count - 1, -1, -1):
        if text[brackets[k]] == "]":
            reach[k] = brackets[k]
        else:  # a [ inside: skip to its first ], go on after it
            inner = next_close[k + 1]
            reach[k] = -1 if inner is None else reach[inner + 1]
    return {brackets[k] for k in range(count) if text[brackets[k]] == "["
            and reach[k + 1] >= 0 and text[reach[k + 1] + 1:reach[k + 1] + 2] in ("(", "[")}


MAX_NESTING = 100
"""Blockquotes and lists nested deeper than this are not parsed (markdown-it stops there, and
its cost would grow with the depth): a document that reaches it is refused, never half done."""


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")


def _tokens(body: str, strict: bool = False) -> list:
    tokens = _parser().parse(body)
    if strict and any(token.level >= MAX_NESTING - 1 for token in tokens):
        from xlat.i18n import _

        raise NotImplementedError(_("Markdown nested deeper than {levels} levels (blockquotes, lists) "
                                    "is not translated: flatten it").format(levels=MAX_NESTING))
    return tokens


def _inline_regions(text: str, body_start: int, strict: bool = False) -> list[tuple[int, int]]:
    """(start, end) offsets of each inline content (paragraph, heading, table cell) in text."""
    body = text[body_start:]
    line_starts = [body_start]
    for match in re.finditer("\n", body):
        line_starts.append(body_start + match.end())
    line_starts.append(len(text))
    regions = []
    cursor, cursor_map = body_start, None
    for token in _tokens(body, strict):
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


def parse(text: str, strict: bool = True) -> Document:
    """The document's blocks and skeleton. `strict`: a document nested deeper than MAX_NESTING
    is refused (NotImplementedError); otherwise (detection) its deep part is left out."""
    front = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    body_start = (len(text) - len(text.lstrip("\ufeff"))) + (front.end() if front else 0)
    parts: list = []
    position = 0
    count = 0
    for start, end in _inline_regions(text, body_start, strict):
        region = text[start:end]
        markup = tuple(markup_spans(region))
        if not _has_prose(region, markup):
            continue  # no prose (a number, a lone link target...)
        if start > position:
            parts.append(text[position:start])
        parts.append(Block(count, region, markup))
        count += 1
        position = end
    if position < len(text):
        parts.append(text[position:])
    return Document("markdown", parts)


def _has_prose(region: str, markup: tuple) -> bool:
    edges = [0, *(edge for span in markup for edge in span), len(region)]
    return any(_LETTER.search(region, edges[k], edges[k + 1]) for k in range(0, len(edges), 2))


_LETTER = re.compile(r"[^\W\d_]")
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
    return parse(text, strict=False).prose(prose_of_markup)
