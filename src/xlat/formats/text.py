"""Plain text: paragraphs are separated by blank lines, or are single lines when the text has
no blank lines at all (as in text pasted from a web page)."""

from __future__ import annotations

import re

_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")


def prose_blocks(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _BLANK_LINE.search(text.strip("\n")):
        blocks = _BLANK_LINE.split(text)
    else:
        blocks = text.split("\n")
    return [" ".join(b.split()) for b in blocks if b.strip()]
