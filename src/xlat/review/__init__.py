"""What a human reviewer gets: XLIFF for CAT tools, an HTML report, and applying corrections."""

import xml.etree.ElementTree as _ET

from xlat.protect.placeholders import PATTERN as _PLACEHOLDER


def fill_with_codes(parent: _ET.Element, text: str, make_code) -> None:
    """Fill `parent` with `text`, each ⟦n⟧ placeholder becoming the element make_code(parent, n)
    (XLIFF <x/>, TMX <ph/>)."""
    last = None
    position = 0
    parent.text = ""
    for match in _PLACEHOLDER.finditer(text):
        chunk = text[position:match.start()]
        if last is None:
            parent.text += chunk
        else:
            last.tail = (last.tail or "") + chunk
        last = make_code(parent, match.group(1))
        position = match.end()
    rest = text[position:]
    if last is None:
        parent.text += rest
    else:
        last.tail = (last.tail or "") + rest
