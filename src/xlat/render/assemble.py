"""Putting a translated block back together: placeholders, quotations, typography."""

from __future__ import annotations

from dataclasses import dataclass, field

from xlat.protect import inline, placeholders
from xlat.locales import LocaleError, Typography, typography
from xlat.model import Segment
from xlat.protect.quotes import CLOSERS, MAX_DEPTH

_INNER_SPACES = " \u00a0\u202f\u2009"


@dataclass
class BlockWork:
    """A block as the pipeline translates it (shared by all targets of a document)."""

    index: int
    text: str
    language: str
    tree: list
    units: list[inline.Unit]

    @classmethod
    def of(cls, index: int, text: str, language: str, markup=(), glossary=None) -> "BlockWork":
        tree = inline.build(text, list(markup), glossary)
        return cls(index, text, language, tree, inline.units(tree))

    def sentences(self):
        """(unit number, sentence number, engine text) of every sentence that needs an engine."""
        for u, unit in enumerate(self.units):
            for s, text in enumerate(unit.engine_texts):
                if unit.needs_engine(s):
                    yield u, s, text


@dataclass
class Assembled:
    text: str
    repairs: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)


def style_for(target: str, quotes: str) -> Typography | None:
    """The target locale's typography, or None to keep the source's marks."""
    if quotes != "target":
        return None
    try:
        return typography(target)
    except LocaleError:
        return None


def assemble(block: BlockWork, translations: dict[tuple[int, int], str], style: Typography | None,
             escape=lambda text: text, balance: bool = False,
             origins: dict[tuple[int, int], str] | None = None, target: str | None = None) -> Assembled:
    """The block in the target language. `translations` maps (unit, sentence) to the engine's
    output (placeholders inside); sentences without letters were not sent and stay as they are.
    Quotations get `style`'s marks; without a style, the source's marks (closed with the
    opening mark's partner when `balance`: a target locale xlat has no data for)."""
    repairs: list[str] = []
    segments: list[Segment] = []
    texts: dict[int, str] = {}
    for u, unit in enumerate(block.units):
        parts = [unit.lead]
        for s, (raw, engine_text) in enumerate(zip(unit.raw, unit.engine_texts)):
            if (u, s) in translations:
                translation = translations[(u, s)]
                segment = Segment(f"b{block.index}u{u}s{s}", engine_text, translation, unit.content,
                                  (origins or {}).get((u, s), "mt"))
                if segment.by_person and inline.same_codes(raw, translation):
                    raw = escape(translation)  # a person's words, exactly: escaped, no more
                elif translation == engine_text:
                    segment.target = raw  # unchanged: the source's exact bytes
                else:
                    segment.target = inline.restore(raw, engine_text, translation, unit.content,
                                                    segment.repairs, style, machine=not segment.by_person)
                    raw = escape(segment.target)
                repairs += segment.repairs
                segments.append(segment)
            parts.append(raw + unit.spaces[s])
        texts[id(unit.content)] = "".join(parts)

    def render_quote(quote: inline.Quote, inner: str) -> str:
        span = quote.span
        if span.flattened:
            repairs.append(f"quotations nested deeper than {MAX_DEPTH} levels: {span.flattened} inner "
                           "ones kept as plain text, their marks as in the source")
        if style is None:
            if span.end is not None and span.repaired:
                if not balance:  # --quotes source: the source's marks, exactly
                    repairs.append(f"a quotation {span.repaired} in the source: kept as is")
                    return span.open_mark + inner + span.close_mark
                closing = CLOSERS[span.open_mark][0]
                repairs.append(f"a quotation {span.repaired} in the source: closed with {closing}")
                return span.open_mark + inner + closing
            return span.open_mark + inner + span.close_mark
        level = quote.level if span.shown_level is None else span.shown_level
        if span.end is not None and span.repaired:
            repairs.append(f"a quotation {span.repaired} in the source: closed with {style.marks(level)[1]}")
        if not span.sure:  # which mark is the stray cannot be known: as in the source
            repairs.append(f"a quotation mark ({span.open_mark}) without its partner in the source: kept as it was")
            return span.open_mark + inner
        opening, closing = style.marks(level)
        pad = style.inside_quotes if opening in "«»‹›" else ""
        inner = inner.strip(_INNER_SPACES)
        if span.end is None:  # runs on into the next paragraph, as in the source
            return opening + pad + inner
        return opening + pad + inner + pad + closing

    for unit in block.units:  # glossary translations: escaped as any translated text
        texts[id(unit.content)] = _terms(texts[id(unit.content)], unit.content, target, escape)
    text = inline.render(block.tree, texts, render_quote, target,
                         orphan_close=style.primary[1] if style is not None else None)
    return Assembled(text, repairs, segments)


def _terms(text: str, content: list, target: str | None, escape) -> str:
    """A unit's text with its glossary terms written as the glossary says for `target`,
    escaped like any translated text (a term kept as is stays a placeholder: the source's
    exact bytes)."""
    if not target:
        return text

    def put(match) -> str:
        k = int(match.group(1))
        atom = content[k] if k < len(content) else None
        if not isinstance(atom, inline.Atom) or atom.kind != "term":
            return match.group(0)
        written = atom.text_for(target)
        return match.group(0) if written == atom.text else escape(written)

    return placeholders.PATTERN.sub(put, text)
