"""Quotation structure: find quote spans (with nesting) and render them in a locale's marks.

Apostrophes (it’s, O’Neill, ’90s, rock ’n’ roll) and primes (5′10″, 12") are not quotes.
Unbalanced marks are tolerated: an opening mark in closing position closes the open quote
(the founding article opens with « and closes with «), and a quote left open runs to the end.

>>> text = 'He said “she told me ‘no’ twice” and left.'
>>> [(s.level, s.open_mark, s.close_mark) for s in find_spans(text)]
[(0, '“', '”'), (1, '‘', '’')]
>>> typeset(text, "de")
'He said „she told me ‚no‘ twice“ and left.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from functools import lru_cache

from xlat._data import package_toml
from xlat.locales import Typography, typography

CLOSERS = {
    "“": "”", "„": "“”", "‚": "‘’", "‘": "’", "«": "»«", "»": "«»", "‹": "›", "›": "‹",
    "「": "」", "『": "』", '"': '"', "'": "'", "”": "”", "’": "’",
}
CLOSING_ONLY = set("”’»›」』“‘") - set(CLOSERS)
QUOTE_CHARS = set(CLOSERS) | {c for closers in CLOSERS.values() for c in closers}
_SPACES = " \u00a0\u202f\u2009"
_OPEN_CONTEXT = set(" \t\n\r\u00a0\u202f\u2009([{—–-/") | QUOTE_CHARS
_CLOSE_CONTEXT = set(" \t\n\r\u00a0\u202f\u2009)]}.,;:!?…—–-/") | QUOTE_CHARS


@dataclass
class QuoteSpan:
    start: int
    """Index of the opening mark."""
    end: int | None
    """Index of the closing mark; None when the quote is never closed."""
    level: int
    open_mark: str
    close_mark: str = ""
    repaired: str = ""
    """What was unusual about this span ('closed with «', 'never closed')."""
    flattened: int = 0
    """Quotations inside this one nested deeper than MAX_DEPTH: their marks are kept as plain
    text (counted on the deepest quotation kept)."""


MAX_DEPTH = 16
"""Quotations nested deeper than this are not quotations to xlat: no article nests so deep,
and every level costs a translation unit."""


def is_apostrophe(text: str, i: int) -> bool:
    ch = text[i]
    if ch not in "’'":
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalnum() and after.isalpha():
        return True  # it’s, O’Neill, l’État
    if after.isdigit() and not before.isalnum():
        return True  # ’90s
    if text[i:i + 3] in ("’n’", "'n'") or text[i - 2:i + 1] in ("’n’", "'n'"):
        return True  # rock ’n’ roll
    if before in "”’»)]\"" and after == "s" and not text[i + 2:i + 3].isalpha():
        return True  # “Macbeth”’s, (2020)’s
    if after.isalpha() and not before.isalnum():
        word = re.match(r"[^\W\d_]+", text[i + 1:i + 8])
        if word and word.group(0).lower() in _elisions() and not text[i + 1 + word.end():][:1].isalpha():
            return True  # 'tis, 'em, 'cause
    return False


@lru_cache(maxsize=1)
def _elisions() -> frozenset:
    table = package_toml("elisions.toml")["elisions"]
    return frozenset(word for words in table.values() for word in words.split())


def is_prime(text: str, i: int) -> bool:
    ch = text[i]
    if ch in "′″":
        return True
    if ch not in "'\"" or i == 0 or not text[i - 1].isdigit():
        return False
    digits = len(text[:i]) - len(text[:i].rstrip("0123456789"))
    return digits <= 3  # 12" is a measure; "Conference 2020" closes a quotation


def find_spans(text: str) -> list[QuoteSpan]:
    """Every quotation in `text`, outermost first within each nesting, in order of opening.
    Quotations nested deeper than MAX_DEPTH are paired as any other but not returned: their
    marks stay text, and the deepest quotation returned counts them (QuoteSpan.flattened)."""
    spans: list[QuoteSpan] = []
    stack: list[QuoteSpan] = []
    for i, ch in enumerate(text):
        if ch not in QUOTE_CHARS or is_apostrophe(text, i) or is_prime(text, i):
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        inner_after, inner_before = after, before
        if ch in "«»‹›":  # French style puts a space inside guillemets: look past it
            j, k = i + 1, i - 1
            while j < len(text) and text[j] in _SPACES:
                j += 1
            while k >= 0 and text[k] in _SPACES:
                k -= 1
            inner_after = text[j] if j < len(text) else " "
            inner_before = text[k] if k >= 0 else " "
        opening_position = before in _OPEN_CONTEXT and inner_after not in " \t\n\r"
        closing_position = inner_before not in " \t\n\r" and after in _CLOSE_CONTEXT
        top = stack[-1] if stack else None
        if top and ch in CLOSERS.get(top.open_mark, "") and (closing_position or not opening_position):
            _close(stack.pop(), i, ch, spans)
        elif top and closing_position and not opening_position and ch in CLOSERS \
                and (ch in _SINGLE) <= (top.open_mark in _SINGLE):
            # (a single mark never closes a double one: "The Smiths' house," is one quotation)
            span = stack.pop()
            span.repaired = f"closed with {ch}"
            _close(span, i, ch, spans)
        elif ch in CLOSERS and opening_position:
            span = QuoteSpan(i, None, len(stack), ch)
            stack.append(span)
            if span.level < MAX_DEPTH:
                spans.append(span)
            else:
                stack[MAX_DEPTH - 1].flattened += 1
    for span in stack:
        span.repaired = "never closed"
    return sorted(spans, key=lambda s: s.start)


def _close(span: QuoteSpan, index: int, mark: str, spans: list[QuoteSpan]) -> None:
    span.end = index
    span.close_mark = mark
    if not span.repaired and mark != CLOSERS[span.open_mark][0]:
        span.repaired = f"closed with {mark}"


_SINGLE = set("‘’‚'‹›")


def render(text: str, spans: list[QuoteSpan], style: Typography, by_mark: bool = False,
           other: dict[int, str] | None = None) -> str:
    """`text` with each span's marks replaced by the style's marks for its level, and the
    style's spacing inside the marks (French « … »), other spacing inside removed.

    With `by_mark`, an outermost quotation written with single marks keeps secondary marks
    (an editor's 'scare quotes' stay single); otherwise marks follow the nesting alone.
    `other` replaces single characters outside the spans' marks (index -> text)."""
    other = other or {}
    replace: dict[int, tuple[str, str]] = {}
    for span in spans:
        level = span.level + (1 if by_mark and span.level == 0 and span.open_mark in _SINGLE else 0)
        opening, closing = style.marks(level)
        replace[span.start] = ("open", opening)
        if span.end is not None:
            replace[span.end] = ("close", closing)
    out: list[str] = []
    i = 0
    inside = style.inside_quotes if style.primary[0] in "«»" else ""
    while i < len(text):
        if i in replace:
            kind, mark = replace[i]
            # spaces inside guillemets are French typography, not text: drop them all
            drop = _SPACES if text[i] in "«»‹›" or by_mark else _SPACES[1:]
            pad = inside if mark in "«»‹›" else ""
            if kind == "open":
                out.append(mark + pad)
                i += 1
                while i < len(text) and text[i] in drop and i not in replace:
                    i += 1
                continue
            while out and out[-1] and out[-1][-1] in drop:
                out[-1] = out[-1][:-1]
            out.append(pad + mark)
            i += 1
            continue
        out.append(other.get(i, text[i]))
        i += 1
    return "".join(out)


def space_punctuation(text: str, style: Typography) -> str:
    """Put the style's space before ; : ! ? (French), or remove typographic spaces there."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in ";:!?":
            after = text[i + 1] if i + 1 < len(text) else " "
            is_punctuation = after in " \t\n\r\u00a0\u202f" or after in QUOTE_CHARS or after in ")]…"
            if is_punctuation and out:
                while out and out[-1] in "\u00a0\u202f\u2009":
                    out.pop()
                wanted = style.before.get(ch, "")
                if wanted and out and out[-1] not in " \t\n":
                    out.append(wanted)
                elif wanted and out and out[-1] == " ":
                    out[-1] = wanted
                elif not style.before and ch in ";!?" and len(out) > 1 and out[-1] == " " \
                        and out[-2] not in " \t\n":
                    out.pop()  # French spacing ("mot ;") where the locale has none
        out.append(ch)
    return "".join(out)


_DOUBLE_MARKS = set("\"“”„«»")
_DOUBLED = re.compile(r"(?<![,‘’'`´]),,(?!,)|(?<![‘’'`´])(?:‘‘|’’|''|``|´´)(?![‘’'`´])|‹‹|››")
_DOUBLED_AS = {",,": "„", "‹‹": "«", "››": "»"}


def typeset(text: str, locale: str) -> str:
    """Re-typeset quotation marks, apostrophes, primes and punctuation spacing of `text` for
    `locale`. Doubled single marks typed for double ones (,, '' `` ‹‹) count as double."""
    style = typography(locale)
    text = _DOUBLED.sub(lambda m: _DOUBLED_AS.get(m.group(0), '"'), text)
    spans = find_spans(text)
    marks = {s.start for s in spans} | {s.end for s in spans if s.end is not None}
    other: dict[int, str] = {}
    for i, ch in enumerate(text):
        if i in marks:
            continue
        if ch == "'" and is_apostrophe(text, i):
            other[i] = "’"
        elif ch in "'\"" and is_prime(text, i):
            other[i] = "′" if ch == "'" else "″"
        elif ch in _DOUBLE_MARKS and not is_prime(text, i):
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if before.isspace() and after.isspace():
                other[i] = ""  # a mark between two spaces quotes nothing
                if i + 1 < len(text):
                    other[i + 1] = ""
            elif not before.isspace():
                other[i] = style.primary[1]  # a closing mark whose opening one is missing
    return space_punctuation(render(text, spans, style, by_mark=True, other=other), style)
