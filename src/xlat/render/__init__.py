"""The one way a localized copy is made, for `translate` and for `review apply` alike:
restore placeholders → typeset quotations → QA checks → integrity gate.

Nothing reaches disk by another route: the caller writes `Copy.text` and reports
`Copy.status`; a copy whose gate found something is `integrity-error`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xlat.formats import block_escaper, escapers, localize
from xlat.languages import same_language
from xlat.model import Document, Segment
from xlat.protect import inline, placeholders
from xlat.render import gate, qa
from xlat.render.assemble import BlockWork, assemble, style_for

INTEGRITY_ERROR = "integrity-error"
_LETTER = re.compile(r"[^\W\d_]")
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Copy:
    text: str
    segments: list[Segment] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    """What xlat changed in machine output, "block N: ..." (shown to the reviewer)."""
    integrity: list[str] = field(default_factory=list)
    """The gate's findings, "block N: ..." (empty: the copy holds together)."""
    translated_blocks: int = 0

    @property
    def status(self) -> str:
        if self.integrity:
            return INTEGRITY_ERROR
        return "needs-review" if self.translated_blocks else "copied"

    def flag_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for segment in self.segments:
            for flag in segment.flags:
                counts[flag.severity] = counts.get(flag.severity, 0) + 1
        return counts


def render_copy(document: Document, blocks: list[BlockWork],
                translations: dict[int, dict[tuple[int, int], str]],
                origins: dict[int, dict[tuple[int, int], str]], target: str,
                quotes: str = "target") -> Copy:
    """The copy of `document` in `target`. `translations[block index]` maps (unit, sentence)
    to a translation with placeholders; a block without an entry stays as in the source
    (already in the target language). `origins` says whose each translation is (mt, cache,
    tm, human): a person's is taken verbatim."""
    style = style_for(target, quotes)
    escape_block = block_escaper(document.format)
    escape_for = escapers(document)
    copy = Copy("")
    texts = []
    for block in blocks:
        if block.index not in translations:
            texts.append(block.text)
            continue
        copy.translated_blocks += 1
        escape = escape_for(block.index)
        assembled = assemble(block, translations[block.index], style, escape,
                             balance=quotes == "target", origins=origins.get(block.index, {}),
                             target=target)
        copy.repairs += [f"block {block.index + 1}: {r}" for r in assembled.repairs]
        for segment in assembled.segments:
            segment.flags = _checks(segment, block.language, target)
            if _LETTER.search(placeholders.strip(segment.source)) and \
                    not _LETTER.search(placeholders.strip(segment.target)):
                finding = gate.Finding(block.index, f"a sentence came back empty: {segment.source[:60]!r}")
                copy.integrity.append(str(finding))
                segment.flags.append(qa.Flag("integrity", "error", finding.message))
        copy.segments += assembled.segments
        texts.append(escape_block(assembled.text, block.text))
    copy.text = localize(document.format, document.render(texts), target)
    for finding in gate.check(document, copy.text, set(translations)):
        copy.integrity.append(str(finding))
        _attach(copy, finding)
    for segment in copy.segments:
        segment.flags.sort(key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
    return copy


def _checks(segment: Segment, source_language: str, target_language: str) -> list[qa.Flag]:
    content = segment.content
    source = inline.display(segment.source, content, markup=False)
    target = inline.display(segment.target, content, markup=False, language=target_language)
    return qa.check_segment(source, target, source_language, target_language,
                            inline.count_quotes(segment.source, content),
                            inline.count_quotes(segment.target, content), segment.repairs,
                            same_language(source_language, target_language))


def _attach(copy: Copy, finding: gate.Finding) -> None:
    """An integrity error on the first segment of its block (of the copy, for whole-copy
    findings), so that the reviewer meets it where the damage is."""
    prefix = "" if finding.block is None else f"b{finding.block}u"
    for segment in copy.segments:
        if segment.id.startswith(prefix):
            segment.flags.append(qa.Flag("integrity", "error", finding.message))
            return
