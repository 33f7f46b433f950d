"""Language codes: parsing what users type, names for display, suggestions for typos."""

from __future__ import annotations

import difflib
import re

from xlat.errors import XlatError

# Codes people type that mean a language xlat knows under another tag.
ALIASES = {
    "iw": "he", "in": "id", "nb": "no", "zh-cn": "zh", "zh-hans": "zh", "zh-sg": "zh",
    "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-hant": "zh-Hant", "tl": "tl", "fil": "tl",
}
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


class LanguageCodeError(XlatError):
    pass


_BCP47 = re.compile(r"""
    (?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})    # language (with extlangs)
    (?:-[A-Za-z]{4})?                                      # script
    (?:-(?:[A-Za-z]{2}|[0-9]{3}))?                         # region
    (?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*         # variants
    (?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*          # extensions
    (?:-[xX](?:-[A-Za-z0-9]{1,8})+)?                       # private use
    |[xX](?:-[A-Za-z0-9]{1,8})+
""", re.X)


def is_tag(value: str) -> bool:
    """Whether `value` is a well-formed BCP 47 language tag (and so safe to write anywhere).

    >>> is_tag("pt-BR"), is_tag("zh-Hant"), is_tag('es"><script>'), is_tag("es\\n")
    (True, True, False, False)
    """
    return isinstance(value, str) and len(value) <= 64 and _BCP47.fullmatch(value) is not None


def canonical(code: str) -> str:
    """Normalise a BCP 47 tag's case and separators: 'PT_br' -> 'pt-BR', 'zh-hant' -> 'zh-Hant'."""
    parts = code.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) in (2, 3):
            out.append(part.upper())
        else:
            out.append(part.lower())
    tag = "-".join(out)
    return ALIASES.get(tag.lower(), tag)


def same_language(a: str, b: str) -> bool:
    """Whether text in `a` needs no translation into `b`: the same language in the same script
    (pt = pt-BR = pt-PT for this purpose; zh and zh-Hant are not the same).

    >>> same_language("pt", "pt-BR"), same_language("zh", "zh-Hant"), same_language("en", "de")
    (True, False, False)
    """
    def parts(tag: str) -> tuple[str, str | None]:
        subtags = tag.split("-")
        script = next((s for s in subtags[1:] if len(s) == 4 and s.isalpha()), None)
        return subtags[0].lower(), script and script.title()

    return parts(a) == parts(b)


def parse_list(value: str, known: set[str], what: str = "language") -> list[str]:
    """Parse 'en,ru, de' into canonical codes, each one of `known`.

    Raises LanguageCodeError naming the first unknown code with the closest known ones.
    """
    codes = []
    for raw in value.split(","):
        raw = raw.strip()
        if not raw:
            continue
        if not _TAG.fullmatch(raw):
            hint = suggest(raw, known) or " (use ISO 639-1 codes such as en, de, pt-BR)"
            raise LanguageCodeError(f"{raw!r} is not a language code{hint}")
        code = canonical(raw)
        if code not in known:
            base = code.split("-")[0]
            if base in known:
                code = base
            else:
                raise LanguageCodeError(f"unknown {what} {raw!r}{suggest(raw, known)}")
        if code not in codes:
            codes.append(code)
    if not codes:
        raise LanguageCodeError(f"no {what} given")
    return codes


def suggest(raw: str, known: set[str]) -> str:
    """' (did you mean ...?)' listing close codes, or codes whose English name matches."""
    lowered = raw.strip().lower()
    names = {display_name(code, "en").lower(): code for code in sorted(known)}
    close = [names[lowered]] if lowered in names else [
        names[n] for n in difflib.get_close_matches(lowered, list(names), n=3, cutoff=0.75)]
    close = close or difflib.get_close_matches(lowered, sorted(known), n=3, cutoff=0.5)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"{c} ({display_name(c, 'en')})" for c in close) + "?)"


def display_name(code: str, locale: str | None = "en") -> str:
    """The language's name in `locale` (Babel's CLDR data), or the code when unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        where = Locale.parse(locale or "en", sep="-") if locale else Locale("en")
    except (ValueError, UnknownLocaleError):
        where = Locale("en")
    key = {"zh-Hant": "zh_Hant", "zh": "zh"}.get(code, code.replace("-", "_"))
    name = where.languages.get(key) or where.languages.get(code.split("-")[0])
    return name or code


def user_locale() -> str:
    """The user's UI locale: --ui-lang, else LC_ALL / LC_MESSAGES / LANG ('en' when unset or 'C')."""
    import os

    from xlat.i18n import chosen_language

    if chosen_language():
        return chosen_language()

    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            tag = value.split(".")[0].split("@")[0]
            if tag not in ("C", "POSIX"):
                return tag.replace("_", "-")
    return "en"
