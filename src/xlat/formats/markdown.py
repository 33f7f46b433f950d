"""Markdown (CommonMark + tables): prose is headings, paragraphs, list items, blockquotes,
table cells, link text and image alt text; code, HTML, URLs and front matter are not."""

from __future__ import annotations

import re

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def prose_blocks(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _FRONT_MATTER.sub("", text.lstrip("\ufeff"), count=1)
    blocks = []
    for token in _parser().parse(text):
        if token.type != "inline":
            continue
        words = " ".join(_inline_text(token.children or []).split())
        if words:
            blocks.append(words)
    return blocks


def _inline_text(children) -> str:
    parts = []
    for child in children:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(" " + _inline_text(child.children or []) + " ")
        # code_inline, html_inline and link targets are not prose
    return "".join(parts)
