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

import re
from dataclasses import dataclass, field
from typing import Callable

from xlat.quotes import QuoteSpan, find_spans
from xlat.segment import split

_PROTECTED = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"«»“”]+[^\s<>\"«»“”.,;:!?)\]’']"  # URL
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?<![\w@#])[@#][^\W\d_]\w*"  # @handle, #hashtag
    r"|(?<![\w.,])\d(?:[\d\u00a0\u202f.,:/’'-]*\d)?(?![\w])"  # numbers, dates, times
)
_PLACEHOLDER = re.compile(r"⟦\s*(\d+)\s*⟧")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class Atom:
    text: str
    kind: str = "markup"  # markup | protected

    def describe(self) -> str:
        return self.text if len(self.text) <= 40 else self.text[:37] + "..."


@dataclass
class Quote:
    span: QuoteSpan
    children: list = field(default_factory=list)

    @property
    def level(self) -> int:
        return self.span.level


def build(text: str, markup: list[tuple[int, int]] = ()) -> list:
    """The tree of a block: strings, Atoms and Quotes, in order.

    `markup` are (start, end) spans of `text` the format says are not prose (tags, link
    targets...). Quote marks inside markup or protected spans are not quotes.
    """
    atoms = {start: (end, Atom(text[start:end], "markup")) for start, end in markup}
    for match in _PROTECTED.finditer(text):
        if not any(s <= match.start() < e for s, e in markup):
            atoms[match.start()] = (match.end(), Atom(match.group(0), "protected"))
    masked = list(text)
    for start, (end, _) in atoms.items():
        masked[start:end] = "x" * (end - start)
    spans = find_spans("".join(masked))
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


@dataclass
class Unit:
    """One content list to translate: its sentences, as the engine gets them."""

    content: list
    raw: list[str]  # sentences with placeholders, white space as in the source
    spaces: list[str]
    lead: str

    @property
    def engine_texts(self) -> list[str]:
        return [" ".join(s.split()) for s in self.raw]

    def needs_engine(self, i: int) -> bool:
        return bool(_LETTER.search(_PLACEHOLDER.sub("", self.raw[i])))


def units(tree: list) -> list[Unit]:
    """Every content list of the tree (root first, then quotes depth first) as a Unit."""
    found: list[Unit] = []

    def visit(content: list) -> None:
        pieces = []
        for k, child in enumerate(content):
            pieces.append(child if isinstance(child, str) else f"⟦{k}⟧")
        lead, sentences = split("".join(pieces))
        found.append(Unit(content, [s.text for s in sentences], [s.space_after for s in sentences], lead))
        for child in content:
            if isinstance(child, Quote):
                visit(child.children)

    visit(tree)
    return found


def restore(raw: str, engine_text: str, translated: str, content: list,
            repairs: list[str]) -> str:
    """The translated sentence with its placeholders checked: each one of the source sentence
    exactly once (dropped ones re-inserted at their relative position, extra ones removed)."""
    if translated == engine_text:
        return raw  # unchanged: keep the source's exact bytes
    expected = [int(k) for k in _PLACEHOLDER.findall(raw)]
    seen: set[int] = set()

    def keep(match: re.Match) -> str:
        k = int(match.group(1))
        if k in expected and k not in seen:
            seen.add(k)
            return f"⟦{k}⟧"
        repairs.append(f"removed a placeholder the engine repeated or invented (⟦{k}⟧)")
        return ""

    out = _match_initial_case(raw, _PLACEHOLDER.sub(keep, translated))
    for k in expected:
        if k in seen:
            continue
        position = raw.index(f"⟦{k}⟧") / max(1, len(raw))
        out = _insert_at_word(out, f"⟦{k}⟧", position)
        repairs.append(f"restored {_describe(content[k])} that the engine dropped")
    return out


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


def _insert_at_word(text: str, token: str, position: float) -> str:
    """Insert `token` at the word boundary nearest to `position` (0..1) of `text`, before any
    final punctuation."""
    if not text.strip():
        return token
    body = len(text.rstrip(".!?…;:。！？ "))
    target = round(position * body)
    boundaries = [0, body] + [m.start() for m in re.finditer(r"\s", text[:body])]
    best = min(boundaries, key=lambda b: (abs(b - target), b))
    before, after = text[:best], text[best:]
    space_before = "" if not before or before.endswith(" ") else " "
    space_after = "" if not after or after.startswith(" ") or best == body else " "
    return before + space_before + token + space_after + after


def render(content: list, translated: dict[int, str], render_quote: Callable[[Quote, str], str]) -> str:
    """A content list with its placeholders replaced by atoms and rendered quotes.

    `translated` maps id(content) to that unit's translated text (placeholders inside)."""
    text = translated[id(content)]

    def put(match: re.Match) -> str:
        child = content[int(match.group(1))]
        if isinstance(child, Atom):
            return child.text
        return render_quote(child, render(child.children, translated, render_quote))

    return _PLACEHOLDER.sub(put, text)
