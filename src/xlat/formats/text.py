"""Plain text. Paragraphs are separated by blank lines, or are single lines when the text has
no blank line at all (as in text pasted from a web page). Everything between paragraphs
(blank lines, indentation, line endings) is skeleton and comes back byte for byte."""

from __future__ import annotations

import re

from xlat.model import Block, Document

# Code-like spans in plain text (a pasted tag, an entity, a lone < > or &): kept verbatim, as
# markup, so that no engine reads them as its own markup, translates the words inside a tag, or
# loses the character.
SHORT_LINE = 60
"""Below this many characters a line of a multi-line paragraph is a line of its own (a byline,
an address), not a line of wrapped prose."""
_CODE_LIKE = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>|&#?\w{1,32};|[<>&]")


def parse(text: str) -> Document:
    lines = text.splitlines(keepends=True)
    blank = [not line.strip() for line in lines]
    by_paragraph = any(blank[i] for i in range(len(lines)) if 0 < i < len(lines) - 1
                       and not blank[i - 1]) and any(not b for b in blank)
    groups: list[list[str]] = []
    parts: list = []
    for line, is_blank in zip(lines, blank):
        if is_blank:
            groups.append([line, None])  # skeleton line
        elif by_paragraph and groups and groups[-1][1] is not None:
            groups[-1][0] += line
        else:
            groups.append([line, True])
    groups = [piece for chunk, is_text in groups for piece in _lines_of(chunk, is_text)]
    blocks = 0
    for chunk, is_text in groups:
        if is_text is None:
            _append_skeleton(parts, chunk)
            continue
        body = chunk.strip()
        start = chunk.index(body[0])
        _append_skeleton(parts, chunk[:start])
        markup = tuple(m.span() for m in _CODE_LIKE.finditer(body))
        parts.append(Block(blocks, body, markup))
        blocks += 1
        _append_skeleton(parts, chunk[start + len(body):])
    return Document("text", parts)


def _lines_of(chunk: str, is_text) -> list[list]:
    """A paragraph of short lines none of which goes on in lower case (a byline and its date,
    an address, a list typed as lines) is lines, not wrapped prose: each line a block of its
    own, so the line breaks stay."""
    lines = chunk.splitlines(keepends=True)
    if is_text and len(lines) > 1 and max(len(line.strip()) for line in lines) < SHORT_LINE \
            and not any(line.strip()[:1].islower() for line in lines[1:]):
        return [[line, True] for line in lines]
    return [[chunk, is_text]]


def _append_skeleton(parts: list, text: str) -> None:
    if not text:
        return
    if parts and isinstance(parts[-1], str):
        parts[-1] += text
    else:
        parts.append(text)


def prose_blocks(text: str) -> list[str]:
    return [" ".join(block.text.split()) for block in parse(text).blocks]
