"""A translated sentence as the reviewer gets it: checked, flagged, placeholders named."""

from __future__ import annotations

from xlat import inline, qa
from xlat.languages import same_language
from xlat.review import xliff


def review_unit(record, source_language: str, target_language: str) -> xliff.Unit:
    """A translated sentence for the reviewer: checked, flagged, with its placeholders named."""
    content = record.content
    source = inline.display(record.source, content, markup=False)
    target = inline.display(record.target, content, markup=False, language=target_language)
    flags = qa.check_segment(source, target, source_language, target_language,
                             inline.count_quotes(record.source, content),
                             inline.count_quotes(record.target, content), record.repairs,
                             same_language(source_language, target_language))
    placeholders = {}
    for k, child in enumerate(content):
        if isinstance(child, inline.Atom):
            placeholders[str(k)] = (f"x-xlat-{child.kind}", child.text)
        elif not isinstance(child, str):
            placeholders[str(k)] = ("x-xlat-quote", child.span.open_mark + "…" + child.span.close_mark)
    qualifier = {"tm": "leveraged-tm"}.get(record.origin, "leveraged-mt")
    return xliff.Unit(record.id, record.source, record.target, qualifier=qualifier,
                      notes=[str(f) for f in flags], placeholders=placeholders)
