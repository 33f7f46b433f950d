"""Checks on a localized copy. Each returns a list of one-line problems (empty: fine)."""

from __future__ import annotations

from collections import Counter

from xlat.formats import parse
from xlat.model import Document


def _markup(document: Document) -> Counter:
    """Markup of the blocks (backslash escapes and entities are text, not structure)."""
    return Counter(b.text[s:e] for b in document.blocks for s, e in b.markup
                   if not b.text[s:e].startswith(("\\", "&")))


def structure(source: Document, output: str, parsed: Document | None = None) -> list[str]:
    """The copy must parse into the source's blocks with the source's markup and skeleton
    (`parsed`: the copy, when the caller has parsed it already)."""
    try:
        result = parsed or parse(output, source.format)
    except Exception as exc:  # noqa: BLE001 - a copy that cannot be parsed is the finding
        return [f"structure: the copy cannot be parsed ({exc})"]
    problems = []
    if len(result.blocks) != len(source.blocks):
        problems.append(f"structure: {len(result.blocks)} blocks where the source has {len(source.blocks)}")
    if source.format != "html":  # html blocks may shed edge tags into the skeleton; tags checked below
        skeleton = [p for p in source.parts if isinstance(p, str)]
        if [p for p in result.parts if isinstance(p, str)] != skeleton:
            problems.append("structure: the text between blocks differs from the source's")
        lost = _markup(source) - _markup(result)
        extra = _markup(result) - _markup(source)
        if source.format == "text":  # a < > or & an engine writes is text, as in any text
            extra = Counter({k: v for k, v in extra.items() if k not in ("<", ">", "&")})
    else:
        def all_markup(document):  # tag by tag: an element at a block's edge may be skeleton
            return Counter(t for m in _markup(document).elements() for t in (_tags(m) or [m])) + Counter(
                m for p in document.parts if isinstance(p, str) for m in _tags(p))
        lost = all_markup(source) - all_markup(result)
        extra = all_markup(result) - all_markup(source)
        lost = Counter({k: v for k, v in lost.items() if not k.lower().startswith("<html")})
        extra = Counter({k: v for k, v in extra.items() if not k.lower().startswith("<html")})
    if lost:
        problems.append("structure: markup missing: " + ", ".join(sorted(lost))[:200])
    if extra:
        problems.append("structure: markup added: " + ", ".join(sorted(extra))[:200])
    return problems


def _tags(text: str) -> list[str]:
    import re

    return re.findall(r"<[^<>]+>", text)


# -- per segment ----------------------------------------------------------------------------
import re as _re  # noqa: E402
from dataclasses import dataclass  # noqa: E402

_NUMBER = _re.compile(r"(?<![\w])\d[\d\u00a0\u202f.,' ]*\d(?![\w])|(?<![\w.,])\d(?![\w])")
_URL_OR_MAIL = _re.compile(r"(?:https?://|www\.)\S+[^\s.,;:!?)\]»”]|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = _re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Flag:
    """One problem in one segment: a category (the check's id), a severity, a one-line message."""

    category: str
    severity: str  # error | warning | info
    message: str

    def __str__(self) -> str:
        return f"{self.severity} {self.category}: {self.message}"


def _number_value(token: str, locale: str) -> str:
    """A number as a canonical string whatever its locale's separators (32,000 = 32.000 =
    32 000 = 32000; 1,5 = 1.5 in a locale with a decimal comma)."""
    from babel.numbers import NumberFormatError, parse_decimal

    compact = token.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    try:
        return format(parse_decimal(compact, locale=locale.replace("-", "_"), strict=True).normalize(), "f")
    except (NumberFormatError, ValueError, Exception):  # noqa: BLE001 - unknown locale: digits only
        digits = _re.sub(r"[.,](\d{3})(?=[.,]|$)", r"\1", compact)
        return digits.replace(",", ".")


def check_numbers(source: str, target: str, source_lang: str, target_lang: str) -> list[Flag]:
    source_tokens = _NUMBER.findall(source)
    target_tokens = _NUMBER.findall(target)
    for token in list(source_tokens):  # the same digits in both: nothing to compare
        if token in target_tokens:
            source_tokens.remove(token)
            target_tokens.remove(token)
    src = sorted(_number_value(t, source_lang) for t in source_tokens)
    out = sorted(_number_value(t, target_lang) for t in target_tokens)
    if src == out:
        return []
    missing = [n for n in src if n not in out]
    extra = [n for n in out if n not in src]
    parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"added {', '.join(extra)}"] if extra else [])
    return [Flag("numbers", "error", "; ".join(parts) or "numbers differ")]


def check_links(source: str, target: str) -> list[Flag]:
    before, after = set(_URL_OR_MAIL.findall(source)), set(_URL_OR_MAIL.findall(target))
    flags = [Flag("links", "error", f"missing {', '.join(sorted(before - after))}")] if before - after else []
    if after - before:  # an address the source never had: a reader could follow it
        flags.append(Flag("links", "error", f"added {', '.join(sorted(after - before))}"))
    return flags


def check_quotes(source_quotes: int, target_quotes: int) -> list[Flag]:
    if source_quotes == target_quotes:
        return []
    return [Flag("quotes", "error", f"{target_quotes} quotations where the source has {source_quotes}")]


def check_untranslated(source: str, target: str, same_language: bool) -> list[Flag]:
    if same_language or len(_WORD.findall(source)) < 3:
        return []
    if " ".join(source.split()).lower() == " ".join(target.split()).lower():
        return [Flag("untranslated", "warning", "the target is the source, unchanged")]
    return []


def check_repetition(target: str) -> list[Flag]:
    words = [w.lower() for w in _WORD.findall(target)]
    for a, b in zip(words, words[1:]):
        if a == b and len(a) > 2:
            return [Flag("repetition", "warning", f"repeated word {a!r}")]
    grams: dict[tuple, int] = {}
    for i in range(len(words) - 2):
        gram = tuple(words[i:i + 3])
        grams[gram] = grams.get(gram, 0) + 1
        if grams[gram] >= 3:
            return [Flag("repetition", "warning", f"the engine loops on {' '.join(gram)!r}")]
    return []


def check_length(source: str, target: str) -> list[Flag]:
    if len(source) < 20:
        return []
    ratio = len(target) / len(source)
    if not target.strip() and _WORD.search(source):
        return [Flag("missing", "error", "the translation is empty")]
    if ratio < 0.35 or ratio > 3.0:
        return [Flag("length", "warning", f"target is {ratio:.1f} times as long as the source")]
    return []


def check_segment(source: str, target: str, source_lang: str, target_lang: str,
                  source_quotes: int, target_quotes: int, repairs: list[str],
                  same_language: bool = False) -> list[Flag]:
    """Every check on one segment (texts with markup and protected text shown as in the copy)."""
    flags = (check_numbers(source, target, source_lang, target_lang) + check_links(source, target)
             + check_quotes(source_quotes, target_quotes) + check_length(source, target)
             + check_untranslated(source, target, same_language) + check_repetition(target))
    flags += [Flag("repair", "info", r) for r in repairs]
    return flags
