"""The integrity gate: a localized copy checked on its own text before it is called fine.

Whatever an engine did and whatever the pipeline repaired, the copy is parsed again and each
of its blocks compared with the source's block:
- no placeholder residue (⟦n⟧, an engine's <x1/>, <x1></x1>, &lt;x1/&gt;, ⁇, <unk>...);
- every protected atom of the source block (number, URL, e-mail, handle) present as often;
- the same quotations, with the same nesting, closed where the source closes them;
- plain text: the source's literal < and & still there;
- inline markup never crossing or closing before it opens, no link left without a word;
- the structure (blocks, skeleton, markup) of the source; in HTML, re-parsed as a browser
  would, the same elements with the same attribute names (nothing broke out of a value).
Residue is looked for in the text as written and as a reader sees it (escapes undone).
Each finding is an error. The gate sees only the source and the copy: it cannot be talked out
of a finding by what the pipeline believes it did.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from xlat.formats import elements, parse, visible
from xlat.model import Block, Document
from xlat.protect import inline, placeholders
from xlat.protect.inline import well_nested
from xlat.render import qa

_ATOM_KINDS = ("protected",)
"""Atoms whose text must come through verbatim (markup is the structure check's)."""
_EMPTY_ELEMENT = re.compile(r"(?<!!)\[[^\w\[\]]*\]\(|<a\b[^<>]*>[^\w<]*</a\s*>"
                            r"|<w:hyperlink\b[^<>]*>(?:<[^<>]*>|[^\w<])*</w:hyperlink>"
                            r"|<text:a\b[^<>]*>(?:<[^<>]*>|[^\w<])*</text:a>", re.I)
"""A link with no word in it: a reader can no longer see or follow it."""


@dataclass(frozen=True)
class Finding:
    """One integrity error: the block it is in (None: the whole copy) and what is wrong."""

    block: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.block is None else f"block {self.block + 1}: {self.message}"


_DONE = object()


def _shape(block: Block) -> tuple[Counter, list[tuple[int, bool]]]:
    """A block's protected atoms (text -> count) and quotations ((level, closed) in order)."""
    atoms: Counter = Counter()
    quotes: list[tuple[int, bool]] = []

    pending = [iter(inline.build(block.text, list(block.markup)))]  # no recursion on nesting depth
    while pending:
        child = next(pending[-1], _DONE)
        if child is _DONE:
            pending.pop()
        elif isinstance(child, inline.Quote):
            # (a lone single mark never closed is an apostrophe to a reader: 'causa, 'em)
            if child.span.end is not None or child.span.open_mark not in "'’‘":
                quotes.append((child.level, child.span.end is not None))
            pending.append(iter(child.children))
        elif isinstance(child, inline.Atom) and child.kind in _ATOM_KINDS:
            core = inline.NUMBER_CORE.match(child.text)  # "15 %" and "15%": the same 15
            atoms[core.group(0) if core else child.text] += 1
    return atoms, quotes


def _describe(items) -> str:
    text = ", ".join(repr(i) for i in items)
    return text if len(text) <= 160 else text[:157] + "..."


def check_block(source: Block, copy: Block, format_name: str) -> list[str]:
    """What is wrong with one block of a copy, compared with its source block."""
    problems = []
    extra = Counter()
    for view in (lambda text: text, lambda text: visible(format_name, text)):
        extra |= Counter(placeholders.residue(view(copy.text))) - Counter(placeholders.residue(view(source.text)))
    if extra:
        problems.append(f"placeholder residue {_describe(sorted(extra.elements()))}")
    source_atoms, source_quotes = _shape(source)
    copy_atoms, copy_quotes = _shape(copy)
    missing = source_atoms - copy_atoms
    if missing:
        problems.append(f"missing {_describe(sorted(missing.elements()))}")
    if [level for level, _ in copy_quotes] != [level for level, _ in source_quotes]:
        problems.append(f"quotations {_levels(copy_quotes)} where the source has {_levels(source_quotes)}")
    elif [closed for _, closed in copy_quotes] != [closed for _, closed in source_quotes]:
        problems.append("a quotation is closed where the source leaves it open, or open where it closes")
    if len(_EMPTY_ELEMENT.findall(copy.text)) > len(_EMPTY_ELEMENT.findall(source.text)):
        problems.append("a link lost its text")
    source_markup, copy_markup = _markup(source), _markup(copy)
    if well_nested(source_markup, open_at_end=True) and not well_nested(copy_markup, open_at_end=True):
        problems.append("inline markup crosses or closes before it opens: "
                        f"{''.join(piece for piece, _ in copy_markup)[:120]!r}")
    if format_name == "text":
        for char in "<&":
            if copy.text.count(char) < source.text.count(char):
                problems.append(f"{source.text.count(char)} {char!r} in the source, "
                                f"{copy.text.count(char)} in the copy")
    return problems


def _markup(block: Block) -> list[tuple[str, str]]:
    return [(block.text[s:e], inline.markup_kind(block.text, s, e)) for s, e in block.markup]


def _levels(quotes: list[tuple[int, bool]]) -> str:
    return "[" + " ".join(str(level) for level, _ in quotes) + "]" if quotes else "none"


def check(document: Document, copy_text: str, translated: set[int] | None = None) -> list[Finding]:
    """Every integrity finding of `copy_text`, the localized copy of `document`. Only blocks in
    `translated` are compared one by one (None: all); the structure is always compared."""
    findings = []
    try:
        copy = parse(copy_text, document.format)
    except Exception:  # noqa: BLE001 - the structure check says it cannot be parsed
        copy = None
    if copy is not None and len(copy.blocks) == len(document.blocks):
        for source, block in zip(document.blocks, copy.blocks):
            if translated is None or source.index in translated:
                findings += [Finding(source.index, p) for p in check_block(source, block, document.format)]
    findings += [Finding(None, p) for p in qa.structure(document, copy_text, copy)]
    return findings + [Finding(None, p) for p in _elements(document, copy_text)]


def _elements(document: Document, copy_text: str) -> list[str]:
    """HTML: the copy's elements, re-parsed, have exactly the source's attributes (a value
    that broke out of its quotes adds some: alt='L'home' gives an attribute "home")."""
    source = elements(document.format, document.render())
    if source is None:
        return []
    copy = elements(document.format, copy_text)
    changes = [f"added {_element(item)}" for item in sorted(copy - source)]
    changes += [f"missing {_element(item)}" for item in sorted(source - copy)]
    if not changes:
        return []
    return ["structure: elements or attributes differ from the source's: " + ", ".join(changes)[:200]]


def _element(item: tuple[str, tuple[str, ...]]) -> str:
    tag, attributes = item
    return "<" + " ".join((tag, *attributes)) + ">"
