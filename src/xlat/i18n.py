"""Interface messages in the user's language (gettext catalogs under locales/<lang>/LC_MESSAGES).

Every user-facing string of the CLI and of review.html goes through `_` (or `ngettext` when it
depends on a count); text that must be marked where it is defined but translated later (click
help texts, built when the modules are imported) is marked with `N_` and translated when it is
shown (xlat.cli_i18n). Messages with values take named placeholders, filled after translation:
`_("{path}: empty file").format(path=path)`, so translators can move them.

Two gettext domains: `xlat` (xlat's own messages, template locales/xlat.pot) and `click` (the
strings click prints itself: "Usage:", "Show this message and exit.", its error lines; template
locales/click.pot), each compiled to a .mo when the package is built or installed
(hatch_build.py). In a source checkout whose .mo is missing or older than its .po, the .po is
compiled in memory (babel), so a checkout works without an install step.

The language: `set_ui_language(tag)` (the CLI's --ui-lang), else $XLAT_UI_LANG, else the
environment as gettext reads it (LANGUAGE, a colon-separated list, then LC_ALL, LC_MESSAGES,
LANG; a C or POSIX locale means English). The first requested language with a catalog wins;
English, or a language without a catalog, gives the English text.
"""

from __future__ import annotations

import gettext
import io
import os
from pathlib import Path

DOMAINS = ("xlat", "click")
SOURCE_LANGUAGE = "en"

_current: dict = {}  # "lang": the BCP 47 tag in use, "translations": its gettext object


def N_(message: str) -> str:
    """Mark `message` for extraction; it is translated where it is shown."""
    return message


def _(message: str) -> str:
    """`message` in the interface language."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for `n` things, in the interface language (the catalog's plural
    rule: one form in some languages, three in others)."""
    return _translations().ngettext(singular, plural, n)


def ui_language() -> str:
    """The interface language as a BCP 47 tag (for review.html's <html lang>)."""
    _translations()
    return _current["lang"]


def set_ui_language(tag: str | None = None) -> str:
    """Use `tag` (e.g. "es", "de_DE.UTF-8", "pt-BR"; None: $XLAT_UI_LANG, else the environment)
    for the messages from now on; return the language chosen ("en" when no catalog serves it)."""
    requested = [tag] if tag else requested_languages(os.environ)
    lang = SOURCE_LANGUAGE
    for candidate in requested:
        found = catalog_language(candidate)
        if found:
            lang = found
            break
    _current["lang"] = lang
    _current["chosen"] = tag or None
    _current["translations"] = _load_translations(lang)
    install_into_click()
    return lang


def chosen_language() -> str | None:
    """The language given to set_ui_language (--ui-lang) as a BCP 47 tag, None when the
    environment decides (language names in tables follow it too: xlat.languages.user_locale)."""
    tag = _current.get("chosen")
    return tag.split(".")[0].split("@")[0].replace("_", "-") if tag else None


def requested_languages(environ) -> list[str]:
    """The languages the environment asks for, in order (gettext's reading of LANGUAGE, LC_ALL,
    LC_MESSAGES and LANG; XLAT_UI_LANG first). A C/POSIX locale asks for English only."""
    own = environ.get("XLAT_UI_LANG", "")
    if own:
        return [own]
    locale = next((environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(v)), "")
    if _is_c_locale(locale):
        return [SOURCE_LANGUAGE]
    languages = [part for part in environ.get("LANGUAGE", "").split(":") if part]
    return languages + ([locale] if locale else [])


def _is_c_locale(value: str) -> bool:
    return value.split(".")[0] in ("C", "POSIX")


def catalog_language(value: str) -> str | None:
    """The catalog folder serving a requested language ("es_ES.UTF-8" -> "es"), "en" for
    English, None when there is none."""
    if not value or _is_c_locale(value):
        return SOURCE_LANGUAGE if value else None
    tag = value.split(".")[0].split("@")[0].replace("_", "-")
    candidates = [tag, tag.split("-")[0]]
    for candidate in candidates:
        if candidate.lower() == SOURCE_LANGUAGE:
            return SOURCE_LANGUAGE
        folder = _catalog_folder(candidate)
        if folder is not None:
            return folder.parent.name
    return None


def available_languages() -> list[str]:
    """The languages with a catalog (besides English)."""
    root = _locales_root()
    if root is None:
        return []
    return sorted(p.name for p in root.iterdir()
                  if any((p / "LC_MESSAGES" / f"xlat.{ext}").is_file() for ext in ("po", "mo")))


def _locales_root() -> Path | None:
    from xlat.locales import LocaleError, locales_dir

    try:
        return locales_dir()
    except LocaleError:
        return None


def _catalog_folder(lang: str) -> Path | None:
    root = _locales_root()
    if root is None or not lang or "/" in lang or lang.startswith("."):
        return None
    for name in (lang, lang.lower()):
        folder = root / name / "LC_MESSAGES"
        if any((folder / f"xlat.{ext}").is_file() for ext in ("po", "mo")):
            return folder
    return None


def _load_translations(lang: str) -> gettext.NullTranslations:
    folder = _catalog_folder(lang) if lang != SOURCE_LANGUAGE else None
    if folder is None:
        return gettext.NullTranslations()
    loaded = [t for t in (_load_domain(folder, d) for d in DOMAINS) if t is not None]
    if not loaded:
        return gettext.NullTranslations()
    first = loaded[0]
    for other in loaded[1:]:
        first.add_fallback(other)
    return first


def _load_domain(folder: Path, domain: str) -> gettext.GNUTranslations | None:
    mo, po = folder / f"{domain}.mo", folder / f"{domain}.po"
    installed = folder.parent.parent.name == "_locales"  # an installed package: its .mo is built
    if mo.is_file() and (installed or not po.is_file()
                         or po.stat().st_mtime <= mo.stat().st_mtime):
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    if po.is_file():
        return gettext.GNUTranslations(io.BytesIO(compile_po(po)))
    return None


def compile_po(po: Path) -> bytes:
    """The .mo bytes of a .po file (fuzzy entries left out, as `pybabel compile` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _translations() -> gettext.NullTranslations:
    if "translations" not in _current:
        set_ui_language(None)
    return _current["translations"]


def install_into_click() -> None:
    """Make click's own strings ("Usage:", "Show this message and exit.", "Error: ...") come
    from our catalogs: click's modules call the stdlib's `gettext.gettext`/`ngettext` by the
    names `_` and `ngettext` at the time they print, so those names are pointed at ours."""
    import sys

    for name, module in list(sys.modules.items()):
        if module is None or not (name == "click" or name.startswith("click.")):
            continue
        if getattr(module, "_", None) in (gettext.gettext, _):
            module._ = _
        if getattr(module, "ngettext", None) in (gettext.ngettext, ngettext):
            module.ngettext = ngettext
