"""Which writing system each letter belongs to."""

from __future__ import annotations

import unicodedata
from collections import Counter

_SCRIPT_OF_WORD = {"CJK": "HAN", "HIRAGANA": "KANA", "KATAKANA": "KANA"}
_cache: dict[str, str] = {}


def script_of(ch: str) -> str:
    """The script of a letter as the first word of its Unicode name ('LATIN', 'CYRILLIC', ...)."""
    script = _cache.get(ch)
    if script is None:
        name = unicodedata.name(ch, "UNKNOWN")
        first = name.split(" ", 1)[0]
        if first == "HALFWIDTH" or first == "FULLWIDTH":
            first = name.split(" ", 2)[1]
        script = _cache[ch] = _SCRIPT_OF_WORD.get(first, first)
    return script


def letter_counts(text: str) -> Counter:
    """How many letters of each script the text has (digits, punctuation and marks not counted)."""
    return Counter(script_of(ch) for ch in text if ch.isalpha())


def dominant_script(counts: Counter) -> str | None:
    """The script most letters are written in; Japanese (any kana among ideographs) is KANA."""
    if not counts:
        return None
    kana, han = counts.get("KANA", 0), counts.get("HAN", 0)
    if kana and kana >= 0.05 * (kana + han) and kana + han >= max(counts.values()):
        return "KANA"
    return counts.most_common(1)[0][0]


def keep_script(text: str, script: str) -> str:
    """`text` with the letters of every other script replaced by spaces."""
    out = []
    for ch in text:
        if ch.isalpha() and script_of(ch) != script and not (script == "KANA" and script_of(ch) == "HAN"):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)
