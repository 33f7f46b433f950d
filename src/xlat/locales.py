"""The one reader of the locales/ folder: per-locale typography (quotation marks, spacing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from xlat._data import load_toml_text
from xlat.errors import XlatError

# Tags that have no folder of their own but a close relative.
_FALLBACK = {"no": "nb", "nn": "nb", "zh-TW": "zh-Hant", "zh-HK": "zh-Hant", "zh-CN": "zh",
             "zh-Hans": "zh", "pt-PT": "pt"}


class LocaleError(XlatError):
    pass


@dataclass(frozen=True)
class Typography:
    tag: str
    primary: tuple[str, str]
    nested: tuple[str, str]
    inside_quotes: str = ""
    """Space put inside quotation marks (French: U+202F)."""
    before: dict = field(default_factory=dict)
    """Punctuation -> the space put before it (French: ; ! ? get U+202F, : gets U+00A0)."""
    apostrophe: str = "’"
    """The apostrophe (it’s, l’horari): U+2019 unless the locale's file says otherwise."""

    def marks(self, level: int) -> tuple[str, str]:
        """Quotation marks for a nesting level (0 = outermost), alternating primary/nested."""
        return self.primary if level % 2 == 0 else self.nested


def locales_dir() -> Path:
    """Inside the installed package (xlat/_locales), or the source tree's locales/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_locales", here.parent.parent / "locales"):
        if candidate.is_dir():
            return candidate
    raise LocaleError("xlat's locale data is missing (reinstall xlat)")


def available() -> list[str]:
    return sorted(p.name for p in locales_dir().iterdir() if (p / "typography.toml").is_file())


def resolve(tag: str) -> str:
    """The locale folder serving `tag`: itself, a known relative, or its language."""
    known = set(available())
    for candidate in (tag, _FALLBACK.get(tag), tag.split("-")[0], _FALLBACK.get(tag.split("-")[0])):
        if candidate and candidate in known:
            return candidate
    raise LocaleError(f"no typography data for {tag!r} (available: {', '.join(sorted(known))})")


@lru_cache(maxsize=None)
def typography(tag: str) -> Typography:
    folder = resolve(tag)
    data = load_toml_text((locales_dir() / folder / "typography.toml").read_text(encoding="utf-8"))
    quotes = data["quotes"]
    spacing = data.get("spacing", {})
    return Typography(folder, tuple(quotes["primary"]), tuple(quotes["nested"]),
                      spacing.get("inside_quotes", ""), dict(spacing.get("before", {})),
                      data.get("apostrophe", "’"))
