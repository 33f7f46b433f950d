"""Interface messages in the user's language (gettext catalogs under locales/<lang>/LC_MESSAGES).

Every user-facing string of the CLI and of review.html goes through `_` (or `ngettext` when it
depends on a count). Until catalogs are compiled these return the English text."""

from __future__ import annotations


def _(message: str) -> str:
    """`message` in the interface language."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for `n` things, in the interface language."""
    return singular if n == 1 else plural


def ui_language() -> str:
    """The interface language as a BCP 47 tag (for review.html's <html lang>)."""
    return "en"
