"""What an engine sees of a block, and how its answer is put back together.

A block's text becomes a small tree: plain text, *atoms* (markup, numbers, URLs, e-mail
addresses, @handles, #hashtags: kept verbatim) and *quotes* (whose content is a tree of its
own). Each content list is one translation *unit*: its text with every atom and quote replaced
by a placeholder ⟦n⟧, split into sentences. After translation, placeholders are put back; one
that the engine dropped or duplicated is repaired (re-inserted where it stood, relative to the
sentence) and the repair recorded. A quote's content is translated as a unit of its own, so a
quotation always survives, whatever the engine does; its marks are rendered by the caller's
choice (the target locale's, or the source's).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

from xlat.protect import placeholders
from xlat.protect.quotes import QUOTE_CHARS, QuoteSpan, analyse, is_apostrophe, is_prime
from xlat.protect.typeset import space_punctuation, tidy
from xlat.protect.segment import split

_CURRENCY = r"(?:[$€£¥₹₽]\s?)?"
_DIGITS = r"\d(?:[\d\u00a0\u202f.,:/’'′–-]*\d)?"
NUMBER_CORE = re.compile(_CURRENCY + _DIGITS)
"""A number's currency and digits, without unit or suffix ("£3.2" of "£3.2m")."""
LONGEST_WORD = 100
_PROTECTED = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"«»“”]+[^\s<>\"«»“”.,;:!?)\]’']"  # URL
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail (from the start of its run: linear)
    r"|(?<![\w@./-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+(?:com|org|net|edu|gov|int|info|"
    r"io|eu|fr|de|es|it|pt|nl|be|ch|at|uk|ca|cat|ru|ua|pl|cz|se|no|dk|fi|us|mx|ar|br|au|nz|jp|"
    r"cn|in|example)(?:/[^\s<>\"«»“”]*[^\s<>\"«»“”.,;:!?)\]’'])?(?![\w-])"  # a bare domain
    r"|(?<![\w@#.-])[^\W\d_]{1,4}\d+(?:[.,]\d+)*[^\W\d_]?(?!\w)"  # Q3, N7, v2.1, G7, M25
    r"|(?<![\w&])#\d+\b"  # #1
    r"|(?<![\w@#])[@#][^\W\d_]\w*"  # @handle, #hashtag
    r"|(?<!\w)[’']\d\ds\b"  # decades: ’90s
    rf"|{_CURRENCY}(?<![\w.,]){_DIGITS}"
    r"(?:%|[′″]|(?<!\d{4})[\"'](?![^\W\d_])|[^\W\d_]{1,3}(?![\w]))?(?![\w])"
    # numbers, dates, times, amounts, ranges, percentages, measures in primes (5′10″, 12"),
    # a number with its unit or suffix (20km, 3pm, £3.2m, 1990s, 2nd): kept whole
    rf"|(?<!\S)[^\s<>\[\]()\"'“”„‟«»‹›‚‛‘’「」『』〝〞＂*_`~⟦⟧]{{{LONGEST_WORD},}}"
    # a "word" longer than any word of a language (a hash, base64, a pasted blob): kept as it
    # is, never sent to an engine (Apertium's cost is quadratic in a word's length)
)
_PLACEHOLDER = placeholders.PATTERN
_DOUBLE_MARKS = set("\"“”„«»")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class Atom:
    text: str
    kind: str = "markup"
    term: object = None
    """For kind "term": the glossary Term, written as the glossary says per target."""

    def text_for(self, language: str | None) -> str:
        return self.term.text_for(language) if self.term is not None and language else self.text
    """protected (numbers, URLs...), markup, or markup that must touch a word: open (*, [),
    close (*, ](target)), break (a line break with its prefix, in place of a space), term
    (a glossary term), orphan-close (a quotation's closing mark whose opening one is in an
    earlier paragraph)."""

    def describe(self) -> str:
        return self.text if len(self.text) <= 40 else self.text[:37] + "..."


@dataclass
class Quote:
    span: QuoteSpan
    children: list = field(default_factory=list)

    kind = "quote"

    @property
    def level(self) -> int:
        return self.span.level


def build(text: str, markup: list[tuple[int, int]] = (), glossary=None) -> list:
    """The tree of a block: strings, Atoms and Quotes, in order.

    `markup` are (start, end) spans of `text` the format says are not prose (tags, link
    targets...). Quote marks inside markup or protected spans are not quotes.
    """
    atoms = {}
    pending: dict[str, int] = {}  # emphasis runs opened and not closed yet, by delimiter
    for start, end in sorted(markup):
        kind = markup_kind(text, start, end)
        piece = text[start:end]
        if _EMPHASIS.fullmatch(piece):
            if pending.get(piece):  # an emphasis opened before: this run closes it
                kind = "close"
            if kind == "open":
                pending[piece] = pending.get(piece, 0) + 1
            elif kind == "close" and pending.get(piece):
                pending[piece] -= 1
        atoms[start] = (end, Atom(piece, kind))
    inside_markup = _Spans(markup)
    inches = 0  # " that are measures (12"), not quotation marks
    marks_before, counted_to = 0, 0  # '"' in text[:counted_to] (counted once, left to right)
    for match in _PROTECTED.finditer(text):
        if not inside_markup.covers(match.start()):
            end = match.end()
            if match.group(0).endswith('"'):
                marks_before += text.count('"', counted_to, match.start())
                counted_to = match.start()
                if (marks_before - inches) % 2:
                    end -= 1  # "the score was 12". closes a quotation: it is no measure
                else:
                    inches += 1
            atoms[match.start()] = (end, Atom(text[match.start():end], "protected"))
    if glossary:
        taken = _Spans((start, end) for start, (end, _) in atoms.items())
        for start, end, term in glossary.find(text):
            if not taken.overlaps(start, end):
                atoms[start] = (end, Atom(text[start:end], "term", term))
    masked = list(text)
    for start, (end, atom) in atoms.items():
        if atom.kind == "term":
            filler = "x"  # a term is a word: "the bridge's", "l'ajuntament" keep their apostrophe
        elif atom.kind in ("open", "close") or _PAIRED_TAG.fullmatch(atom.text):
            # emphasis, a link, an inline element: a word to the mark outside it ("*This* is",
            # "<em>This</em> is"), a boundary to the mark inside it (<em>“nearly”</em>)
            closing = atom.kind == "close" or atom.text.startswith("</")
            if end - start > 1:
                masked[start:end] = " " * (end - start - 1) + "x" if closing else "x" + " " * (end - start - 1)
                continue
            outside = text[end:end + 1] if closing else text[start - 1:start]
            filler = "x" if outside and outside in QUOTE_CHARS else " "
        elif atom.text.startswith("`"):
            filler = "x"  # a code span reads as a word: "`make` is" is a quotation
        elif atom.kind != "protected":
            filler = " "  # a tag next to a quotation mark: the mark sees a boundary
        elif text[end:end + 1] == '"' and atom.text[-1:].isdigit():
            filler = "x"  # "the score was 12". : the mark closes the quotation, no inches
        elif atom.text[-1:].isdigit() or atom.text[-1:] in "′″\"'":
            filler = "0"  # digits stay digits: 12" is a measure, not a quote
        else:
            filler = "x"
        masked[start:end] = filler * (end - start)
    read = analyse("".join(masked))
    spans = [m.span for m in read if m.span is not None and m.span.start == m.start and not m.span.dropped]
    for mark in read:  # a closing mark whose quotation opened in an earlier paragraph
        if mark.role == "close" and mark.span is None and mark.text in _DOUBLE_MARKS and mark.start not in atoms:
            atoms[mark.start] = (mark.end, Atom(mark.text, "orphan-close"))
    opens = {s.start: s for s in spans}
    closes = {s.end: s for s in spans if s.end is not None}
    root: list = []
    current, parents, buffer = root, [], []

    def flush():
        if buffer:
            current.append("".join(buffer))
            buffer.clear()

    i = 0
    while i < len(text):
        if i in atoms:
            flush()
            end, atom = atoms[i]
            current.append(atom)
            i = end
        elif i in opens:
            flush()
            quote = Quote(opens[i])
            current.append(quote)
            parents.append(current)
            current = quote.children
            i += 1
        elif i in closes and parents:
            flush()
            current = parents.pop()
            i += 1
        else:
            buffer.append(text[i])
            i += 1
    flush()
    return root


class _Spans:
    """(start, end) spans, asked in O(log n) whether they cover a position or overlap a span."""

    def __init__(self, spans):
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach = list(itertools.accumulate((e for _, e in ordered), max))  # furthest end so far

    def covers(self, position: int) -> bool:
        """Whether some span has start <= position < end."""
        k = bisect.bisect_right(self.starts, position)
        return k > 0 and self.reach[k - 1] > position

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span starts in [start, end) or covers `start`."""
        return bisect.bisect_left(self.starts, start) < bisect.bisect_left(self.starts, end) \
            or self.covers(start)


_EMPHASIS = re.compile(r"\*{1,3}|_{1,3}|~~")
_PAIRED_TAG = re.compile(r"</?(?!(?:br|img|hr|wbr|input|area|col|embed|source|track)\b)[A-Za-z][\w-]*"
                         r"(?:\s[^<>]*)?(?<!/)>", re.I)
_OPENING = re.compile(r"!?\[|\*{1,3}|_{1,3}|~~")
_CLOSING = re.compile(r"\]\(.*\)|\]\[.*\]|\*{1,3}|_{1,3}|~~", re.S)


def markup_kind(text: str, start: int, end: int) -> str:
    piece = text[start:end]
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if "\n" in piece and not piece.strip(" \t>\\\n"):
        return "break"
    if _OPENING.fullmatch(piece) and not after.isspace() and (before.isspace() or not before.isalnum()
                                                              or piece.startswith(("[", "!"))):
        return "open"
    if _CLOSING.fullmatch(piece) and not before.isspace():
        return "close"
    return "markup"


_TAG_NAME = re.compile(r"<(/?)([A-Za-z][\w-]*)")


def well_nested(pieces: list[tuple[str, str]], open_at_end: bool = False) -> bool:
    """Whether markup pieces (text, kind), in order, open before they close and never cross:
    HTML elements (void ones aside), Markdown links and emphasis runs (an emphasis run's kind
    says whether it opens or closes; "markup" when it cannot be told). With `open_at_end`,
    elements still open at the end are fine (an HTML block whose closing tag is skeleton).

    >>> well_nested([("<b>", ""), ("<i>", ""), ("</i>", ""), ("</b>", "")])
    True
    >>> well_nested([("</b>", ""), ("<b>", "")])
    False
    >>> well_nested([("**", "close"), ("**", "open"), ("*", "open"), ("*", "close")])
    False
    """
    stack: list[str] = []
    for piece, kind in pieces:
        if _PAIRED_TAG.fullmatch(piece):
            closing, name = _TAG_NAME.match(piece).groups()
            if not closing:
                stack.append(name.lower())
            elif not stack or stack.pop() != name.lower():
                return False
        elif _OPENING.fullmatch(piece) and piece.endswith("["):
            stack.append("[")
        elif piece.startswith("]") and _CLOSING.fullmatch(piece):
            if not stack or stack.pop() != "[":
                return False
        elif _EMPHASIS.fullmatch(piece):
            if kind == "close" and (not stack or stack[-1] != piece):
                return False
            if stack and stack[-1] == piece and kind != "open":
                stack.pop()
            elif piece in stack:
                return False  # closes a run that is not the innermost one
            else:
                stack.append(piece)
    return open_at_end or not stack


def _emptied_elements(text: str, content: list) -> set[tuple[int, int]]:
    """Pairs of placeholders where an element opens and closes with no word between (a link
    whose text the engine moved out of it)."""
    def opens(k: int) -> bool:
        child = content[k] if k < len(content) else None
        return isinstance(child, Atom) and (child.kind == "open" or (
            _PAIRED_TAG.fullmatch(child.text) is not None and not child.text.startswith("</")))

    def closes(k: int) -> bool:
        child = content[k] if k < len(content) else None
        return isinstance(child, Atom) and (child.kind == "close" or child.text.startswith("</"))

    return {(int(a), int(b)) for a, b in re.findall(r"⟦(\d+)⟧\s*(?=⟦(\d+)⟧)", text)
            if opens(int(a)) and closes(int(b))}


def markup_of(content: list, ids: list[int]) -> list[tuple[str, str]]:
    """(text, kind) of the markup atoms among placeholders `ids`, in that order (for
    well_nested)."""
    return [(content[k].text, content[k].kind) for k in ids if k < len(content)
            and isinstance(content[k], Atom) and content[k].kind != "protected"]


@dataclass
class Unit:
    """One content list to translate: its sentences, as the engine gets them."""

    content: list
    raw: list[str]  # sentences with placeholders, white space as in the source
    spaces: list[str]
    lead: str

    @property
    def engine_texts(self) -> list[str]:
        """The sentences as the engine gets them: white space collapsed, line-break markup
        kept apart from the words around it."""
        def pad(match: re.Match) -> str:
            child = self.content[int(match.group(1))]
            return f" {match.group(0)} " if isinstance(child, Atom) and child.kind == "break" else match.group(0)

        return [" ".join(_PLACEHOLDER.sub(pad, s).split()) for s in self.raw]

    def needs_engine(self, i: int) -> bool:
        return bool(_LETTER.search(_PLACEHOLDER.sub("", self.raw[i])))


def content_lists(tree: list) -> list[list]:
    """Every content list of the tree: the root first, then each quotation's, depth first, in
    order (no recursion: a quotation nested a thousand deep is a list like any other)."""
    found: list[list] = []
    stack = [tree]
    while stack:
        content = stack.pop()
        found.append(content)
        stack.extend(child.children for child in reversed(content) if isinstance(child, Quote))
    return found


def units(tree: list) -> list[Unit]:
    """Every content list of the tree (root first, then quotes depth first) as a Unit. A unit
    holds its own content list: the atoms and quotations of its own text, never its block's."""
    found: list[Unit] = []
    for content in content_lists(tree):
        pieces = [child if isinstance(child, str) else f"⟦{k}⟧" for k, child in enumerate(content)]
        lead, sentences = split("".join(pieces))
        found.append(Unit(content, [s.text for s in sentences], [s.space_after for s in sentences], lead))
    return found


_PLAIN_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?")


def with_literal_numbers(text: str, content: list) -> tuple[str, list[tuple[int, str]]]:
    """`text` with the placeholders of plain numbers (18, 74,310, 3.5) as the numbers
    themselves, and which (placeholder, number) went so: for an engine that copies digits and
    places a number better than a tag (a rule-based engine moves what it takes for formatting
    to the sentence's end).

    >>> with_literal_numbers("in front of ⟦0⟧ fans ⟦1⟧", [Atom("74,310", "protected"), Atom("<b>")])
    ('in front of 74,310 fans ⟦1⟧', [(0, '74,310')])
    """
    literals: list[tuple[int, str]] = []

    def put(match: re.Match) -> str:
        k = int(match.group(1))
        child = content[k] if k < len(content) else None
        if isinstance(child, Atom) and child.kind == "protected" and _PLAIN_NUMBER.fullmatch(child.text):
            literals.append((k, child.text))
            return child.text
        return match.group(0)

    return _PLACEHOLDER.sub(put, text), literals


def without_literal_numbers(translated: str, literals: list[tuple[int, str]]) -> str:
    """The engine's output with each number sent in place of a placeholder turned back into
    it (its first free occurrence as a whole number); one the engine lost stays lost, for
    restore() to repair.

    >>> without_literal_numbers("davant de 74,310 afició ⟦1⟧", [(0, "74,310")])
    'davant de ⟦0⟧ afició ⟦1⟧'
    """
    if not literals:
        return translated
    places: dict[str, deque] = {}  # each whole number of the output, in order
    for match in _WHOLE_NUMBER.finditer(translated):
        places.setdefault(match.group(0), deque()).append(match.span())
    taken: list[tuple[int, int, int]] = []
    for k, number in literals:
        if places.get(number):
            taken.append((*places[number].popleft(), k))
    out, position = [], 0
    for start, end, k in sorted(taken):
        out += [translated[position:start], placeholders.make(k)]
        position = end
    return "".join(out) + translated[position:]


_WHOLE_NUMBER = re.compile(r"(?<![\d.,⟦])\d(?:[.,]?\d)*(?![\d⟧]|[.,]\d)")
"""A number as a whole (not part of a longer one, nor of a placeholder)."""


def same_codes(raw: str, translated: str) -> bool:
    """Whether `translated` has exactly the placeholders of `raw` (each as often)."""
    return sorted(placeholders.ids(translated)) == sorted(placeholders.ids(raw))


def restore(raw: str, engine_text: str, translated: str, content: list,
            repairs: list[str], style=None, machine: bool = True) -> str:
    """The translated sentence with its placeholders checked: each one of the source sentence
    exactly once. When the engine dropped one, or put paired markup out of order, all of them
    are placed again in the source's order at their relative positions; extras are removed.
    Every such change is recorded in `repairs`. With a `style`, a machine's output (not a
    person's) is tidied for the target locale (typeset.tidy) while its protected spans are
    still placeholders. The result is text, not yet escaped for the document's format (the
    caller does that, last)."""
    if translated == engine_text:
        return raw  # unchanged: keep the source's exact bytes
    translated = re.sub(r"[ \t]{2,}", " ", translated)  # an engine's dropped words leave gaps
    expected = [int(k) for k in _PLACEHOLDER.findall(raw)]
    found = [int(k) for k in _PLACEHOLDER.findall(translated)]
    expected_set = set(expected)
    kept = list(dict.fromkeys(k for k in found if k in expected_set))
    if len(kept) != len(found):
        repairs.append("removed placeholders the engine repeated or invented")
    paired = [k for k in kept if content[k].kind in ("open", "close")]
    paired_set = set(paired)
    in_order = paired == [k for k in expected if k in paired_set] and (
        well_nested(markup_of(content, kept)) or not well_nested(markup_of(content, expected))) \
        and not (_emptied_elements(translated, content) - _emptied_elements(raw, content))
    if set(kept) == set(expected) and in_order:
        seen: set[int] = set()

        def first_only(match: re.Match) -> str:
            k = int(match.group(1))
            if k in expected_set and k not in seen:
                seen.add(k)
                return match.group(0)
            return ""

        out = _PLACEHOLDER.sub(first_only, translated)
    else:
        kept_set = set(kept)
        for k in expected:
            if k not in kept_set:
                repairs.append(f"restored {_describe(content[k])} that the engine dropped")
        if set(kept) == set(expected):
            repairs.append("put markup the engine had moved out of order back in order")
        out = _rebuild(_PLACEHOLDER.sub(" ", translated), raw, expected)
    out = _drop_stray_quotes(out, raw, repairs)
    out = _unglue_protected(_glue(_match_initial_case(raw, out), content), raw, content, repairs)
    if style is None:
        return out
    return tidy(out, style, repairs) if machine else space_punctuation(out, style)


def _drop_stray_quotes(text: str, raw: str, repairs: list[str]) -> str:
    """Quotation marks the engine wrote that the source sentence did not have (its quotations
    are placeholders, translated apart): removed, so they cannot pass for quotations."""
    out = []
    in_raw = set(raw)
    for i, ch in enumerate(text):
        elision = ch in "'’" and i > 0 and text[i - 1].isalpha() and text[i + 1:i + 2] in ("⟦", *"0123456789")
        if ch in QUOTE_CHARS and ch not in in_raw and not elision and not is_apostrophe(text, i) \
                and not is_prime(text, i):  # (l'⟦3⟧: Catalan and French elide before a number)
            repairs.append(f"removed a quotation mark ({ch}) the engine added")
            continue
        out.append(ch)
    return "".join(out)


def _rebuild(text: str, raw: str, ids: list[int]) -> str:
    """`text` (no placeholders) with the placeholders `ids` placed in order, each at the word
    position it had in `raw`, before final punctuation when it stood there in the source."""
    def wordlike(text: str) -> list[str]:
        return [w for w in _PLACEHOLDER.sub(" ", text).split() if re.search(r"\w", w)]

    words = text.split()
    raw_words = wordlike(raw)
    words_before: dict[int, int] = {}  # placeholder -> words of raw before its first place
    count, position = 0, 0
    for match in _PLACEHOLDER.finditer(raw):  # one pass: raw may hold thousands of placeholders
        count += len(wordlike(raw[position:match.start()]))
        position = match.start()
        words_before.setdefault(int(match.group(1)), count)
    slots: dict[int, list[str]] = {}
    last = 0
    for k in ids:
        index = round(words_before[k] / max(1, len(raw_words)) * len(words))
        last = max(last, min(index, len(words)))
        slots.setdefault(last, []).append(f"⟦{k}⟧")
    out: list[str] = []
    for i in range(len(words) + 1):
        tokens = slots.get(i, [])
        if i == len(words) and tokens and words:
            tail = re.search(r"[.!?…:;,]+$", out[-1]) if out else None
            if tail:
                out[-1] = out[-1][:tail.start()] + " " + " ".join(tokens) + tail.group(0)
                tokens = []
        out.extend(tokens)
        if i < len(words):
            out.append(words[i])
    return " ".join(out)


def _glue(text: str, content: list) -> str:
    """Markup where it belongs against the words: an opening mark (*, [) on the next word,
    a closing one (*, ](target)) on the previous, a line break's prefix instead of a space."""
    def kind(k: str) -> str:
        child = content[int(k)] if int(k) < len(content) else None
        return child.kind if isinstance(child, Atom) else ""

    text = re.sub(r"\s+(⟦(\d+)⟧)", lambda m: m.group(1) if kind(m.group(2)) in ("close", "break")
                  else m.group(0), text)
    text = re.sub(r"(⟦(\d+)⟧)\s+", lambda m: m.group(1) if kind(m.group(2)) in ("open", "break")
                  else m.group(0), text)
    return text.strip(" ")


def _unglue_protected(text: str, raw: str, content: list, repairs: list[str]) -> str:
    """A number, URL or handle the engine glued to a word ("de1.5", "en1988") set apart by a
    space again, where the source had none of its letters touching it."""
    places: dict[str, int] = {}  # placeholder number -> where it first stands in raw
    for found in _PLACEHOLDER.finditer(raw):
        places.setdefault(found.group(1), found.start())

    def fix(match: re.Match) -> str:
        k = match.group(2)
        child = content[int(k)] if int(k) < len(content) else None
        if not (isinstance(child, Atom) and child.kind == "protected"):
            return match.group(0)
        at = places.get(k, -1)
        before_ok = match.group(1) and (at <= 0 or not _LETTER.match(raw[at - 1]))
        after_end = at + len(placeholders.make(k))
        after_ok = match.group(3) and (after_end >= len(raw) or not _LETTER.match(raw[after_end]))
        if not (before_ok or after_ok):
            return match.group(0)
        repairs.append(f"set {child.describe()!r} apart from the word the engine glued it to")
        return (match.group(1) + (" " if before_ok else "") + placeholders.make(k)
                + (" " if after_ok else "") + match.group(3))

    return re.sub(r"([^\W\d_]?)⟦(\d+)⟧([^\W\d_]?)", fix, text)


def _match_initial_case(source: str, text: str) -> str:
    """Engines capitalise what they take for a sentence start: a quoted fragment ("so-called
    «measures»") keeps the case its first letter had in the source, and a sentence its capital."""
    first_source = _LETTER.search(_PLACEHOLDER.sub("", source))
    first = _LETTER.search(_PLACEHOLDER.sub(lambda m: "\0" * len(m.group(0)), text))
    if not first_source or not first:
        return text
    letter = first.group(0)
    wanted = letter.lower() if first_source.group(0).islower() else letter.upper()
    return text[:first.start()] + wanted + text[first.end():]


def _describe(child) -> str:
    if isinstance(child, Quote):
        return "a quotation"
    return f"{child.describe()!r}"


def render(content: list, translated: dict[int, str], render_quote: Callable[[Quote, str], str],
           language: str | None = None, orphan_close: str | None = None) -> str:
    """A content list with its placeholders replaced by atoms (glossary terms as they are in
    `language`) and rendered quotes.

    `translated` maps id(content) to that unit's translated text (placeholders inside).
    Quotations are rendered innermost first, without recursion."""
    rendered: dict[int, str] = {}

    def put_in(inner: list):
        def put(match: re.Match) -> str:
            child = inner[int(match.group(1))]
            if isinstance(child, Atom):
                if child.kind == "orphan-close" and orphan_close:
                    return orphan_close
                return child.text_for(language)
            return render_quote(child, rendered[id(child.children)])

        return put

    for inner in reversed(content_lists(content)):  # every quotation's content before its own
        rendered[id(inner)] = _PLACEHOLDER.sub(put_in(inner), translated[id(inner)])
    return rendered[id(content)]


def display(text: str, content: list, quote: str = "“…”", markup: bool = True,
            language: str | None = None) -> str:
    """`text` as a reader sees it: atoms as their text (markup as a space unless `markup`;
    glossary terms as in `language`), quotations as `quote`."""
    def put(match: re.Match) -> str:
        k = int(match.group(1))
        child = content[k] if k < len(content) else None
        if isinstance(child, Atom):
            return child.text_for(language) if markup or child.kind in ("protected", "term") else " "
        return quote

    return _PLACEHOLDER.sub(put, text)


def count_quotes(text: str, content: list) -> int:
    return sum(1 for k in _PLACEHOLDER.findall(text)
               if int(k) < len(content) and isinstance(content[int(k)], Quote))


_VISIBLE_KINDS = ("protected", "term")


def visible(text: str, content: list, language: str | None = None) -> tuple[str, list[tuple[int, str]]] | None:
    """`text` as another tool's memory has it: each placeholder of protected text (a number,
    a URL...) or of a glossary term replaced by its text, white space collapsed; with the
    (placeholder, text the target should have: the term as the glossary writes it in
    `language`) of each. None when `text` has no placeholder, or one for markup or a quotation
    (whose text a CAT tool's segment has in another form).

    >>> visible("The works started in ⟦0⟧.", [Atom("1988", "protected")])
    ('The works started in 1988.', [(0, '1988')])
    """
    atoms: list[tuple[int, str]] = []
    pieces: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        k = int(match.group(1))
        child = content[k] if k < len(content) else None
        if not isinstance(child, Atom) or child.kind not in _VISIBLE_KINDS:
            return None
        pieces += [text[position:match.start()], child.text]
        atoms.append((k, child.text_for(language)))
        position = match.end()
    if not atoms:
        return None
    return " ".join(("".join(pieces) + text[position:]).split()), atoms


def with_placeholders(target: str, atoms: list[tuple[int, str]]) -> str | None:
    """`target` (a translation of visible()'s text) with each atom's text turned back into its
    placeholder: each must be there exactly once, as a whole (1988 is not part of 19880, nor of
    1.988), else None: a translation that changed or lost a number is not used.

    >>> with_placeholders("Las obras empezaron en 1988.", [(0, "1988")])
    'Las obras empezaron en ⟦0⟧.'
    >>> with_placeholders("Las obras empezaron en 1989.", [(0, "1988")]) is None
    True
    """
    if _PLACEHOLDER.search(target):
        return None
    spans: list[tuple[int, int, int]] = []
    for k, text in atoms:
        if not text:
            return None
        found = [m.span() for m in re.finditer(rf"(?<!\w)(?<!\d[.,]){re.escape(text)}(?!\w|[.,]\d)", target)]
        if len(found) != 1:
            return None
        spans.append((*found[0], k))
    spans.sort()
    if any(a[1] > b[0] for a, b in zip(spans, spans[1:])):
        return None
    out, position = [], 0
    for start, end, k in spans:
        out += [target[position:start], placeholders.make(k)]
        position = end
    return "".join(out) + target[position:]


def code_texts(text: str, content: list, language: str | None = None) -> dict[str, list[str]]:
    """What each placeholder of `text` stands for, as a TMX inline code: number -> [role,
    source text, target text]; role bpt/ept for markup that opens/closes (an element, emphasis,
    a link), ph for the rest (a quotation as its marks around "…": its words are a unit of
    their own). The target text is a glossary term as written in `language`.

    >>> code_texts("Read ⟦0⟧the report⟦1⟧ since ⟦2⟧.", [Atom("<b>"), Atom("</b>"), Atom("1988", "protected")])
    {'0': ['bpt', '<b>', '<b>'], '1': ['ept', '</b>', '</b>'], '2': ['ph', '1988', '1988']}
    """
    found: dict[str, list[str]] = {}
    for k in placeholders.ids(text):
        child = content[k] if k < len(content) else None
        if isinstance(child, Quote):
            found[str(k)] = ["ph", "“…”", "“…”"]
        elif isinstance(child, Atom):
            role = "ph"
            if child.kind == "open" or (child.kind == "markup" and _PAIRED_TAG.fullmatch(child.text)
                                        and not child.text.startswith("</")):
                role = "bpt"
            elif child.kind == "close" or (child.kind == "markup" and child.text.startswith("</")
                                           and _PAIRED_TAG.fullmatch(child.text)):
                role = "ept"
            found[str(k)] = [role, child.text, child.text_for(language)]
    return found
