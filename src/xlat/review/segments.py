"""A checked segment as the reviewer gets it in XLIFF: flags as notes, placeholders named."""

from __future__ import annotations

from xlat.protect import inline
from xlat.model import Segment
from xlat.review import xliff


def review_unit(segment: Segment) -> xliff.Unit:
    """The XLIFF trans-unit of a segment whose flags are set (render.render_copy sets them)."""
    placeholders = {}
    for k, child in enumerate(segment.content):
        if isinstance(child, inline.Atom):
            placeholders[str(k)] = (f"x-xlat-{child.kind}", child.text)
        elif not isinstance(child, str):
            placeholders[str(k)] = ("x-xlat-quote", child.span.open_mark + "…" + child.span.close_mark)
    qualifier = {"tm": "leveraged-tm", "human": ""}.get(segment.origin, "leveraged-mt")
    return xliff.Unit(segment.id, segment.source, segment.target, qualifier=qualifier,
                      notes=[str(f) for f in segment.flags], placeholders=placeholders)
