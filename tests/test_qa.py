"""The structure check that stands between a localized copy and a silent publication."""

from __future__ import annotations

import pytest

from xlat.formats import parse
from xlat.render.qa import structure

MD = "# Title\n\nSee [the docs](https://example.com) and `code`.\n\nSecond paragraph.\n"
HTML = "<html lang='en'><body><p>Hello <em>you</em>.</p><p>Bye.</p></body></html>"


@pytest.mark.parametrize("fmt,source,output,problem", [
    ("markdown", MD, MD.replace("[the docs](https://example.com)", "the docs"), "markup missing"),
    ("markdown", MD, MD.replace("Second paragraph.\n", "Second\n\nparagraph.\n"), "blocks"),
    ("markdown", MD, MD.replace("# Title", "## Title"), "between blocks"),
    ("markdown", MD, MD.replace("and `code`", "and `code` *new*"), "markup added"),
    ("html", HTML, HTML.replace("<em>you</em>", "you"), "markup missing"),
    ("text", "One.\n\nTwo.\n", "One.\nTwo.\n", "blocks"),
])
def test_mismatches_are_found(fmt, source, output, problem):
    problems = structure(parse(source, fmt), output)
    assert problems and any(problem in p for p in problems), problems


@pytest.mark.parametrize("fmt,source,output", [
    ("markdown", MD, MD.replace("See", "Siehe").replace("Second paragraph", "Zweiter Absatz")),
    ("html", HTML, HTML.replace("lang='en'", 'lang="de"').replace("Hello", "Hallo")),
    ("text", "One.\n\nTwo.\n", "Eins.\n\nZwei.\n"),
])
def test_faithful_copies_pass(fmt, source, output):
    assert structure(parse(source, fmt), output) == []
