"""Quotation structure: every quotation mark, apostrophe and prime of a text told apart.

One engine for the pipeline (find_spans: the quotations a block holds, with their nesting)
and for `xlat typeset` (xlat.protect.typeset renders what `analyse` decided). Each mark is read
from its context — letters, digits, spaces and closing marks on either side, a word list of
elisions ('tis, 'em, rock 'n' roll) — and quotations are paired by a stack, so that nesting is
known by level whatever glyphs the input used. What cannot be read for sure is left as it was
(role "stray" or "ambiguous"): nothing is invented or deleted.

>>> text = 'He said “she told me ‘no’ twice” and left.'
>>> [(s.level, s.open_mark, s.close_mark) for s in find_spans(text)]
[(0, '“', '”'), (1, '‘', '’')]
>>> [(m.text, m.role) for m in analyse("the reporters' notes, 'tis \\"hi\\"")]
[("'", 'apostrophe'), ("'", 'apostrophe'), ('"', 'open'), ('"', 'close')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from xlat._data import package_toml

CLOSERS = {
    "“": "”“", "„": "“”", "‚": "‘’", "‘": "’‘", "«": "»«", "»": "«»", "‹": "›‹", "›": "‹›",
    "「": "」", "『": "』", '"': '"”“', "'": "'’‘", "”": "”", "’": "’", "‟": "”", "‛": "’",
}
"""The marks that close a quotation opened with a mark (the first one is its usual partner)."""
_USUAL = {"«": "»", "‹": "›"}
"""Partners that close without remark (« closed with « is the founding article's slip)."""
CLOSING_ONLY = set("」』")
QUOTE_CHARS = set(CLOSERS) | {c for closers in CLOSERS.values() for c in closers}
_SINGLE = set("‘’‚'‹›‛")
_CLASS = {**{c: "double" for c in '"“”„«»‟'}, **{c: "single" for c in _SINGLE},
          "「": "corner", "」": "corner", "『": "white-corner", "』": "white-corner"}
_APOSTROPHES = set("'’‘‛")
_DOUBLED = re.compile(r"(?<![,‘’'`´]),,(?!,)|(?<![‘’'`´])(?:‘‘|’’|''|``|´´)(?![‘’'`´])|‹‹|››")
_DOUBLED_AS = {",,": "„", "‹‹": "«", "››": "»"}
_SPACES = " \u00a0\u202f\u2009"
_OPEN_PUNCT = set("([{—–-/")
_CLOSE_PUNCT = set(")]}.,;:!?…—–-/")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_WORD = re.compile(r"[^\W\d_]+")
_FEET_INCHES = re.compile(r"[ \u00a0]?\d{1,2}(?:[.,]\d+)?[\"″]")

MAX_DEPTH = 16
"""Quotations nested deeper than this are not quotations to xlat: no article nests so deep,
and every level costs a translation unit."""


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
    sure: bool = True
    """False for an opening mark never closed while other marks of its paragraph pair up
    (He said "hi. She said "bye."): which one is the stray cannot be known, so its mark is
    kept as it was (and the pipeline says so)."""
    dropped: bool = False
    shown_level: int | None = None
    """The level whose marks it is written in: its level, less the stray opening marks around
    it (the level itself stays the structure the gate compares)."""


@dataclass
class Mark:
    """One quotation mark, apostrophe or prime of a text, and what it was read as."""

    start: int
    end: int
    text: str
    """As in the input (two characters for a doubled mark: ,, '' ``)."""
    role: str = ""
    """open, close, apostrophe, prime, stray (a quotation mark without its partner: kept),
    ambiguous (no reading is sure: kept)."""
    why: str = ""
    span: QuoteSpan | None = None
    left: bool = False
    """Can open: something follows it, a space or an opening bracket precedes it."""
    right: bool = False
    """Can close: something precedes it, a space or punctuation follows it."""
    detached: bool = False
    """Opened between two spaces (" hello "): a quotation only if something closes it."""
    level: int = 0
    """The nesting level it is typeset at (a stray opening mark before it does not count)."""

    @property
    def glyph(self) -> str:
        return _DOUBLED_AS.get(self.text, '"') if len(self.text) == 2 else self.text

    @property
    def kind(self) -> str:
        return _CLASS.get(self.glyph, "double")


@lru_cache(maxsize=1)
def _elisions() -> frozenset:
    table = package_toml("elisions.toml")["elisions"]
    return frozenset(word for words in table.values() for word in words.split())


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _elision(text: str, i: int) -> str:
    """The word after an apostrophe at `i` when it is a known elision ('tis, 'em, 'n')."""
    word = _WORD.match(text, i + 1, min(len(text), i + 9))
    if not word or text[word.end():word.end() + 1].isalpha():
        return ""
    found = word.group(0).lower()
    return found if found in _elisions() else ""


def is_apostrophe(text: str, i: int) -> bool:
    """Whether the mark at `i` is an apostrophe by its context alone (no pairing known)."""
    return _apostrophe(text, i, None, False, 0) != ""


def _apostrophe(text: str, i: int, previous: Mark | None, single_open: bool, later_closers: int) -> str:
    """Why the mark at `i` is an apostrophe, or "" when it is not one."""
    ch = text[i]
    if ch not in _APOSTROPHES:
        return ""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if before.isalnum() and after.isalpha():
        return "apostrophe: letters on both sides"
    if text[i + 1:i + 3] == "n" + ch or (i >= 2 and text[i - 2:i] in ("’n", "'n", "‘n") and _is_space(text[i - 3:i - 2])):
        if _is_space(before) or text[i - 1:i] == "n":
            return "apostrophe: rock ’n’ roll"
    if not before.isalnum() and re.match(r"\d\d(?:s\b|(?!\d)(?![^\W\d_]))", text[i + 1:i + 4]):
        return "apostrophe: a decade or year (’90s, ’98)"
    if after.isalpha() and not before.isalnum() and _elision(text, i):
        return f"apostrophe: elision ’{_elision(text, i)}"
    if after == "s" and not text[i + 2:i + 3].isalpha() and (
            before in ")]" or (previous is not None and previous.end == i and previous.role == "close")):
        return "apostrophe: ’s after a closing mark"
    if before.isalpha() and not after.isalnum() and ch in "'’":
        if not single_open:
            return "apostrophe: after a word, no single quotation open (possessive plural, elision)"
        if before in "sSzZ" and after in " \u00a0" and text[i + 2:i + 3].isalpha() and later_closers:
            return "apostrophe: possessive plural (the quotation closes later)"
    return ""


def is_prime(text: str, i: int) -> bool:
    """Whether the mark at `i` is a prime by its context alone: ′ ″, or ' " after a number of
    up to three digits (12" is a measure; "Conference 2020" closes a quotation)."""
    ch = text[i]
    if ch in "′″":
        return True
    if ch not in "'\"" or i == 0 or not text[i - 1].isdigit():
        return False
    digits = len(text[:i]) - len(text[:i].rstrip("0123456789"))
    return digits <= 3


def _prime(text: str, i: int, double_open: bool, single_open: bool, inches_at: set[int]) -> str:
    ch = text[i]
    if ch not in "'\"" or i == 0 or not text[i - 1].isdigit():
        return ""
    if i in inches_at:
        return "prime: feet and inches (6′ 2″)"
    if ch == "'" and _FEET_INCHES.match(text, i + 1):
        inches_at.add(_FEET_INCHES.match(text, i + 1).end() - 1)
        return "prime: feet and inches (6′ 2″)"
    start = i - 1
    while start > 0 and text[start - 1].isdigit():
        start -= 1
    if i - start > 3 or (start > 0 and text[start - 1] in ".,"):
        return ""
    after = text[i + 1] if i + 1 < len(text) else ""
    is_open = double_open if ch == '"' else single_open
    if is_open and (not after.isalpha()) and not (after == " " and text[i + 2:i + 3].isalpha()):
        return ""  # "the score was 12". : the quotation closes here
    return "prime: a measure after a number"


def _tokens(text: str, start: int, end: int) -> list[Mark]:
    marks: list[Mark] = []
    doubled = {m.start(): m.end() for m in _DOUBLED.finditer(text, start, end)}
    i = start
    while i < end:
        stop = doubled.get(i)
        if stop is None and text[i] not in QUOTE_CHARS:
            i += 1
            continue
        stop = stop or i + 1
        before = text[i - 1] if i > 0 else ""
        after = text[stop] if stop < len(text) else ""
        mark = Mark(i, stop, text[i:stop])
        inner_after, inner_before = after, before
        if mark.glyph in "«»‹›":  # French style puts a space inside guillemets: look past it
            j, k = stop, i - 1
            while j < end and text[j] in _SPACES:
                j += 1
            while k >= start and text[k] in _SPACES:
                k -= 1
            inner_after = text[j] if j < end else ""
            inner_before = text[k] if k >= start else ""
        mark.left = not _is_space(inner_after) and (_is_space(before) or before in _OPEN_PUNCT or before in QUOTE_CHARS)
        mark.right = not _is_space(inner_before) and (_is_space(after) or after in _CLOSE_PUNCT or after in QUOTE_CHARS)
        marks.append(mark)
        i = stop
    return marks


def analyse(text: str) -> list[Mark]:
    """Every quotation mark, apostrophe and prime of `text`, in order, with its role. Each
    paragraph (lines up to a blank line) is read on its own, left to right, in one pass."""
    marks: list[Mark] = []
    position = 0
    for gap in [*_PARAGRAPH.finditer(text), None]:
        end = gap.start() if gap else len(text)
        marks += _paragraph(text, position, end)
        position = gap.end() if gap else end
    return marks


def _paragraph(text: str, start: int, end: int) -> list[Mark]:
    marks = _tokens(text, start, end)
    later_single_closers = sum(1 for m in marks if m.right and m.kind == "single")
    stack: list[Mark] = []
    previous: Mark | None = None
    inches_at: set[int] = set()
    for mark in marks:
        if mark.right and mark.kind == "single":
            later_single_closers -= 1
        i = mark.start
        single_open = bool(stack) and stack[-1].kind == "single"
        double_open = bool(stack) and stack[-1].kind == "double"
        why = ""
        if len(mark.text) == 1:
            why = _prime(text, i, double_open, single_open, inches_at) or \
                _apostrophe(text, i, previous, single_open, later_single_closers)
        if why:
            mark.role, mark.why = why.split(":")[0], why
        elif mark.text in "」』":
            _close_or_stray(stack, mark)
        elif mark.right and not mark.left:
            _close_or_stray(stack, mark)
        elif mark.left and not mark.right:
            _open(stack, mark)
        elif mark.left or _is_space(text[i - 1:i] if i else "") and _is_space(text[mark.end:mark.end + 1]):
            # between two spaces (" hello ", « Bonjour »), or between two brackets: by its glyph
            top = stack[-1] if stack else None
            if top is not None and top.kind == mark.kind and mark.glyph in CLOSERS.get(top.glyph, ""):
                _close_or_stray(stack, mark)
            elif mark.glyph not in "”’»›" or not top:
                _open(stack, mark)
                mark.detached = True
            else:
                _set(mark, "ambiguous", "between two spaces, its direction cannot be told")
        else:
            _set(mark, "ambiguous", "inside a word")
        previous = mark
    quotes = [m for m in marks if m.role not in ("apostrophe", "prime")]
    for mark in stack:
        span = mark.span
        span.repaired = "never closed"
        if mark.detached:  # between two spaces and never closed: it quotes nothing sure
            span.dropped = True
            _set(mark, "ambiguous", "between two spaces and never closed: kept as it was")
            continue
        # the last quotation mark of its paragraph: the quotation runs on (into the next
        # paragraph, as an article's quoted speech does); with marks after it, it may be a stray
        runs_on = quotes[-1] is mark
        if runs_on and mark.left and len(mark.text) == 1:
            mark.why = "opening quotation mark, never closed (the quotation runs on)"
        else:
            span.sure = False
            mark.role, mark.why = "stray", "an opening mark never closed while others pair: kept as it was"
    strays = 0  # to typeset, a stray opening mark is no level: what follows it is set as if it
    for mark in marks:  # were not there (the span keeps its level: the structure the gate compares)
        if mark.span is not None:
            mark.level = mark.span.level - strays
            if mark.span.start == mark.start:
                mark.span.shown_level = mark.level
        if mark.role == "stray" and mark.span is not None and mark.span.start == mark.start \
                and mark.span.end is None and not mark.span.dropped:
            strays += 1
        if mark.role == "stray" and mark.span is None and len(quotes) == 1 and mark.right and len(mark.text) == 1:
            mark.role, mark.why = "close", "closing quotation mark whose opening one is missing"
    return marks


def _set(mark: Mark, role: str, why: str) -> None:
    mark.role, mark.why = role, why


def _open(stack: list[Mark], mark: Mark) -> None:
    level = len(stack)
    mark.span = QuoteSpan(mark.start, None, level, mark.glyph)
    _set(mark, "open", f"opening quotation mark, level {level + 1}")
    if level >= MAX_DEPTH:
        stack[MAX_DEPTH - 1].span.flattened += 1
        mark.span.dropped = True
        _set(mark, "stray", f"nested deeper than {MAX_DEPTH} levels: kept as it was")
    stack.append(mark)


def _close_or_stray(stack: list[Mark], mark: Mark) -> None:
    if stack and stack[-1].kind == mark.kind:
        _close(stack, mark)
    elif mark.kind == "double" and len(stack) > 1 and stack[-1].kind != "double" and stack[-2].kind == "double":
        inner = stack.pop()  # ‘ opened inside “ and never closed: the single one is the stray
        inner.span.dropped = True
        _set(inner, "stray", "a single mark never closed inside a closed quotation: kept as it was")
        _close(stack, mark)
    else:
        _set(mark, "stray", "a closing mark without its opening one: kept as it was")


def _close(stack: list[Mark], mark: Mark) -> None:
    opener = stack.pop()
    span = opener.span
    if span.dropped:  # (too deep: its marks are text)
        _set(mark, "stray", opener.why)
        return
    if opener.end == mark.start:
        span.dropped = True
        _set(opener, "ambiguous", "an empty quotation: no reading is sure, kept as it was")
        _set(mark, "ambiguous", "an empty quotation: no reading is sure, kept as it was")
        return
    span.end = mark.start
    span.close_mark = mark.glyph
    if mark.glyph not in _USUAL.get(span.open_mark, CLOSERS.get(span.open_mark, "")):
        span.repaired = f"closed with {mark.glyph}"
    mark.span = span
    _set(mark, "close", f"closing quotation mark, level {span.level + 1}")


def find_spans(text: str) -> list[QuoteSpan]:
    """Every quotation in `text`, in order of opening. Quotations nested deeper than MAX_DEPTH
    are not returned: their marks stay text, and the deepest quotation returned counts them
    (QuoteSpan.flattened)."""
    return [m.span for m in analyse(text)
            if m.span is not None and m.span.start == m.start and not m.span.dropped]
