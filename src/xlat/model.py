"""A document as xlat sees it: a format's skeleton with ordered text blocks in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence


@dataclass(frozen=True)
class Block:
    """A run of prose (a paragraph, a heading, a list item...), exactly as in the source."""

    index: int
    text: str
    markup: tuple = ()
    """(start, end) spans of `text` that are markup, not prose (inline tags, link targets)."""


@dataclass
class Document:
    format: str
    parts: list = field(default_factory=list)
    """Skeleton strings and Blocks in document order; joining them gives the source back."""

    @property
    def blocks(self) -> list[Block]:
        return [p for p in self.parts if isinstance(p, Block)]

    def render(self, texts: Sequence[str] | None = None) -> str:
        """The document with each block replaced by texts[block.index] (the source if None)."""
        out = []
        for part in self.parts:
            if isinstance(part, Block):
                out.append(part.text if texts is None else texts[part.index])
            else:
                out.append(part)
        return "".join(out)

    def prose(self, markup_as: Callable[[str], str], keep_empty: bool = False) -> list[str]:
        """Each block's prose, for detection: its markup spans replaced by markup_as(span),
        white space collapsed; blocks left empty are dropped (kept as "" with keep_empty, so
        that the list lines up with the blocks)."""
        blocks = []
        for block in self.blocks:
            out, position = [], 0
            for start, end in block.markup:
                out.append(block.text[position:start])
                out.append(markup_as(block.text[start:end]))
                position = end
            out.append(block.text[position:])
            words = " ".join("".join(out).split())
            if words or keep_empty:
                blocks.append(words)
        return blocks


@dataclass
class Segment:
    """One translated sentence, from the plan to the XLIFF (translate-toolkit's unit): the
    sentence the engine saw and its target, both with placeholders ⟦n⟧ pointing into `content`
    (the atoms and quotations of the unit it belongs to)."""

    id: str
    source: str
    target: str
    content: list
    origin: str = "mt"
    """mt (an engine), cache (machine memory), tm (memory a person approved), human (a reviewer)."""
    repairs: list[str] = field(default_factory=list)
    """What xlat changed in the engine's output (never in a person's)."""
    flags: list = field(default_factory=list)
    """QA and integrity findings (xlat.render.qa.Flag), errors first once checked."""

    @property
    def by_person(self) -> bool:
        return self.origin in ("tm", "human")
