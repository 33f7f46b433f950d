"""Typesetting a text for a locale: what `xlat typeset` does, step by step and explained.

The reading of each mark is xlat.protect.quotes' (the same engine the pipeline uses); this
module writes it in the locale's marks (by nesting level), its apostrophe and primes, and its
punctuation spacing. Each change is a `Change` saying why, in the spirit of ftfy's
fix_and_explain; a mark the engine could not read for sure is left as it was.

>>> typeset('He said "she told me \\'no\\' twice" and left.', "de")
'He said „she told me ‚no‘ twice“ and left.'
>>> text, changes = explain("the reporters' notes", "en")
>>> text, [(c.was, c.now, c.why) for c in changes]
('the reporters’ notes', [("'", '’', 'apostrophe: after a word, no single quotation open (possessive plural, elision)')])
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from xlat.locales import Typography, typography
from xlat.protect.quotes import QUOTE_CHARS, analyse

_SPACES = " \u00a0\u202f\u2009"
_GUILLEMETS = "«»‹›"


@dataclass(frozen=True)
class Change:
    position: int
    """Where in the input (for quotation marks, apostrophes, primes) or in the output of the
    quotation step (for punctuation spacing)."""
    was: str
    now: str
    why: str

    def as_dict(self) -> dict:
        return asdict(self)


def typeset(text: str, locale: str) -> str:
    """`text` with its quotation marks, apostrophes, primes and punctuation spacing as `locale`
    writes them."""
    return explain(text, locale)[0]


def explain(text: str, locale: str) -> tuple[str, list[Change]]:
    """`typeset(text, locale)` and the list of changes it made, each with its reason."""
    style = typography(locale)
    quoted, changes = _marks(text, style)
    spaced = space_punctuation(quoted, style, changes)
    return spaced, changes


def _marks(text: str, style: Typography) -> tuple[str, list[Change]]:
    out: list[str] = []
    changes: list[Change] = []
    position = 0
    strip_next = False
    for mark in analyse(text):
        chunk = text[position:mark.start]
        closing = mark.role == "close" and mark.span is not None
        if strip_next:
            kept = chunk.lstrip(_SPACES)
            if kept != chunk:
                changes.append(Change(position, chunk[:len(chunk) - len(kept)], "", "space inside quotation marks"))
            chunk = kept
        if closing:
            kept = chunk.rstrip(_SPACES)
            if kept != chunk:
                changes.append(Change(mark.start - (len(chunk) - len(kept)), chunk[len(kept):], "",
                                      "space inside quotation marks"))
            chunk = kept
        out.append(chunk)
        now = _written(mark, style)
        if now != mark.text:
            changes.append(Change(mark.start, mark.text, now, mark.why))
        out.append(now)
        strip_next = mark.role == "open"
        position = mark.end
    chunk = text[position:]
    if strip_next:
        chunk = chunk.lstrip(_SPACES)
    out.append(chunk)
    return "".join(out), changes


def _written(mark, style: Typography) -> str:
    """A mark as the locale writes it (a quotation mark with the locale's inner space)."""
    if mark.role == "apostrophe":
        return style.apostrophe if mark.text in "'‘’‛" else mark.text
    if mark.role == "prime":
        return "′" if mark.text == "'" else "″"
    if mark.role == "open":
        opening = style.marks(mark.level)[0]
        return opening + (style.inside_quotes if opening in _GUILLEMETS else "")
    if mark.role == "close":
        closing = style.marks(mark.level)[1]
        return (style.inside_quotes if closing in _GUILLEMETS else "") + closing
    return mark.text  # stray, ambiguous: as it was


def space_punctuation(text: str, style: Typography, changes: list[Change] | None = None) -> str:
    """Put the style's space before ; : ! ? (French), or remove typographic spaces there (and a
    plain space before ; ! ? where the locale has none: French spacing in another language)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in ";:!?":
            after = text[i + 1] if i + 1 < len(text) else " "
            is_punctuation = after in " \t\n\r\u00a0\u202f" or after in QUOTE_CHARS or after in ")]…"
            if is_punctuation and out:
                before = "".join(out[-2:])
                while out and out[-1] in "\u00a0\u202f\u2009":
                    out.pop()
                wanted = style.before.get(ch, "")
                if wanted and out and out[-1] not in " \t\n":
                    out.append(wanted)
                elif wanted and out and out[-1] == " ":
                    out[-1] = wanted
                elif not style.before and len(out) > 1 and out[-1] == " " and out[-2] not in " \t\n" \
                        and (ch in ";!?" or out[-2].isalpha() or out[-2] in QUOTE_CHARS):
                    out.pop()  # French spacing ("mot ;") where the locale has none
                if changes is not None and "".join(out[-2:]) != before:
                    changes.append(Change(i, before + ch, "".join(out[-2:]) + ch,
                                          f"the space before {ch} as {style.tag} writes it"))
        out.append(ch)
    return "".join(out)



_STRAIGHT_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_]|⟦)")
_SPACE_BEFORE_STOP = re.compile(r"(?<=[^\s.,])[ \u00a0\u202f]+(?=[,.](?![.,\d])(?:\s|$|[)\]»”’\"']))")
_DOUBLED_PERIOD = re.compile(r"(?<=[^\W\d_]\.)\.(?![.])(?<!\.\.\.)")


def tidy(text: str, style: Typography, repairs: list[str]) -> str:
    """An engine's output (placeholders ⟦n⟧ for everything protected) cleaned up for the
    target locale: its apostrophe for a straight one between letters, no space before , or .,
    a single final period after an abbreviation (Ayto.. → Ayto.), and the locale's spacing
    before : ; ! ?. Each kind of change is one line in `repairs`."""
    def counted(pattern: re.Pattern, replacement: str, what: str) -> None:
        nonlocal text
        text, count = pattern.subn(replacement, text)
        if count:
            repairs.append(f"typography: {what}" + (f" ({count})" if count > 1 else ""))

    if style.apostrophe != "'":
        counted(_STRAIGHT_APOSTROPHE, style.apostrophe, f"straight apostrophe written {style.apostrophe}")
    counted(_SPACE_BEFORE_STOP, "", "removed a space before , or .")
    counted(_DOUBLED_PERIOD, "", "removed a doubled period after an abbreviation")
    spaced = space_punctuation(text, style)
    if spaced != text:
        repairs.append(f"typography: the space before : ; ! ? as {style.tag} writes it")
    return spaced
