"""A checked segment as the reviewer gets it in XLIFF: flags as notes, placeholders named."""

from __future__ import annotations

from xlat.model import Segment
from xlat.protect import inline, placeholders as codes
from xlat.review import xliff


def review_unit(segment: Segment, match=None) -> xliff.Unit:
    """The XLIFF trans-unit of a segment whose flags are set (render.render_copy sets them).
    It names only the placeholders its own source and target hold: a sentence of a paragraph
    with thousands of tags carries its own few, not the paragraph's whole table. `match` (a
    fuzzy match from the memory) becomes an <alt-trans origin="tm">."""
    placeholders = {}
    for k in dict.fromkeys(codes.ids(segment.source) + codes.ids(segment.target)):
        child = segment.content[k] if k < len(segment.content) else None
        if isinstance(child, inline.Atom):
            placeholders[str(k)] = (f"x-xlat-{child.kind}", child.text)
        elif isinstance(child, inline.Quote):
            placeholders[str(k)] = ("x-xlat-quote", child.span.open_mark + "…" + child.span.close_mark)
    qualifier = {"tm": "leveraged-tm", "fuzzy": "leveraged-tm", "human": ""}.get(segment.origin,
                                                                                "leveraged-mt")
    matches = [(match.quality, match.source, match.target)] if match is not None else []
    return xliff.Unit(segment.id, segment.source, segment.target, qualifier=qualifier,
                      notes=[str(f) for f in segment.flags], placeholders=placeholders,
                      matches=matches)
