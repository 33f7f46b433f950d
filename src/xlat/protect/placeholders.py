"""The placeholder wire format, defined once.

Inside xlat a placeholder is ``⟦n⟧``: the n-th child (markup, protected text, a quotation) of
the content a sentence belongs to. Engines get it in a form of their own (Apertium an empty HTML
tag, an Argos package whatever its tokenizer keeps whole); each adapter turns it back into
``⟦n⟧`` and whatever it could not turn back is *residue*, which the integrity gate refuses.

>>> make(3)
'⟦3⟧'
>>> ids("a ⟦0⟧ b ⟦ 12 ⟧")
[0, 12]
>>> residue("El <x1></x1> dijo ⁇ &lt;x2/&gt;")
['<x1>', '</x1>', '⁇', '&lt;x2/&gt;']
>>> residue("a < b & c; 3 > 2")
[]
"""

from __future__ import annotations

import re

PATTERN = re.compile(r"⟦\s*(\d+)\s*⟧")
"""A placeholder, with the spaces an engine may put inside."""

RESIDUE = re.compile(
    r"[⟦⟧]"  # a placeholder's brackets, whole or half
    r"|</?\s*x\d+\s*/?\s*>"  # Apertium's form of a placeholder: <x1/>, <x1></x1>, <x1 />
    r"|&lt;/?\s*x\d+\s*/?\s*&gt;"  # the same, entity-escaped
    r"|⁇|<unk>|&lt;unk&gt;"  # SentencePiece's unknown piece, decoded or raw
)
"""Anything in a localized copy that is a placeholder (or an engine's form of one) not put back."""


def make(k: int | str) -> str:
    return f"⟦{k}⟧"


def ids(text: str) -> list[int]:
    """The placeholder numbers of `text`, in order (repeats included)."""
    return [int(k) for k in PATTERN.findall(text)]


def strip(text: str, replacement: str = "") -> str:
    return PATTERN.sub(replacement, text)


def residue(text: str) -> list[str]:
    """Every piece of placeholder residue in `text` (empty: none)."""
    return RESIDUE.findall(text)
