"""Checks on a localized copy. Each returns a list of one-line problems (empty: fine)."""

from __future__ import annotations

from collections import Counter

from xlat.formats import parse
from xlat.model import Document


def _markup(document: Document) -> Counter:
    """Markup of the blocks (backslash escapes and entities are text, not structure)."""
    return Counter(b.text[s:e] for b in document.blocks for s, e in b.markup
                   if not b.text[s:e].startswith(("\\", "&")))


def structure(source: Document, output: str) -> list[str]:
    """The copy must parse into the source's blocks with the source's markup and skeleton."""
    try:
        result = parse(output, source.format)
    except Exception as exc:  # noqa: BLE001 - a copy that cannot be parsed is the finding
        return [f"structure: the copy cannot be parsed ({exc})"]
    problems = []
    if len(result.blocks) != len(source.blocks):
        problems.append(f"structure: {len(result.blocks)} blocks where the source has {len(source.blocks)}")
    if source.format != "html":  # html blocks may shed edge tags into the skeleton; tags checked below
        skeleton = [p for p in source.parts if isinstance(p, str)]
        if [p for p in result.parts if isinstance(p, str)] != skeleton:
            problems.append("structure: the text between blocks differs from the source's")
        lost = _markup(source) - _markup(result)
        extra = _markup(result) - _markup(source)
    else:
        def all_markup(document):
            return _markup(document) + Counter(
                m for p in document.parts if isinstance(p, str) for m in _tags(p))
        lost = all_markup(source) - all_markup(result)
        extra = all_markup(result) - all_markup(source)
        lost = Counter({k: v for k, v in lost.items() if not k.lower().startswith("<html")})
        extra = Counter({k: v for k, v in extra.items() if not k.lower().startswith("<html")})
    if lost:
        problems.append("structure: markup missing: " + ", ".join(sorted(lost))[:200])
    if extra:
        problems.append("structure: markup added: " + ", ".join(sorted(extra))[:200])
    return problems


def _tags(text: str) -> list[str]:
    import re

    return re.findall(r"<[^<>]+>", text)
