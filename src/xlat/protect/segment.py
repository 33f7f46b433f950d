"""Sentence splitting, offline and deterministic (xlat's own: never Argos's stanza/spacy path).

`split(text)` returns the sentences with the exact white space around them, so that joining
them gives the text back byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from xlat._data import package_toml

_CLOSERS = "\"'”’»›)]」』"
_OPENERS = "\"'“‘„«‹([¿¡「『‚"
# A boundary: terminal punctuation, closing quotes/brackets, then white space (or, after CJK
# full stops, nothing at all).
_BOUNDARY = re.compile(
    rf"(?P<end>[.!?…]+[{re.escape(_CLOSERS)}]*|[。！？]+[{re.escape(_CLOSERS)}]*)(?P<space>\s*)")


@dataclass(frozen=True)
class Sentence:
    text: str
    space_after: str


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset:
    words = package_toml("abbreviations.toml")["abbreviations"]
    return frozenset(w.lower() for words_of in words.values() for w in words_of.split())


def split(text: str) -> tuple[str, list[Sentence]]:
    """(leading white space, sentences). ''.join of all parts reproduces `text` exactly."""
    stripped = text.lstrip()
    lead = text[: len(text) - len(stripped)]
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(stripped):
        end, space = match.end("end"), match.group("space")
        cjk = match.group("end")[0] in "。！？"
        if not space and not cjk:
            continue
        rest = stripped[match.end():]
        if rest and not _starts_sentence(rest):
            continue
        if not cjk and _is_abbreviation(stripped[start:match.start("end")], match.group("end")):
            continue
        sentences.append(Sentence(stripped[start:end], space))
        start = match.end()
    if start < len(stripped):
        body = stripped[start:]
        trimmed = body.rstrip()
        sentences.append(Sentence(trimmed, body[len(trimmed):]))
    return lead, sentences


def _starts_sentence(rest: str) -> bool:
    ch = rest[0]
    if ch in _OPENERS or ch.isdigit():
        return True
    if ch.isalpha():
        return ch.isupper() or not ch.islower()  # caseless scripts (CJK, Arabic...) too
    return ch in "-–—*•"


def _is_abbreviation(before: str, punctuation: str) -> bool:
    if not punctuation.startswith(".") or len(punctuation.rstrip(_CLOSERS)) > 1:
        return False
    word = re.split(r"[\s(\[«“„\"']", before)[-1]
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Smith"
    if re.fullmatch(r"(?:\w\.)+\w", word):
        return True  # "U.S", "z.B", "т.е"
    return word.lower() in _abbreviations()


def join(lead: str, sentences: list[str], spaces: list[str]) -> str:
    return lead + "".join(s + sp for s, sp in zip(sentences, spaces))
