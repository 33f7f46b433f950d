"""xlat: offline translation and localization of news articles.

The public API is small and imported lazily, so `import xlat` costs nothing and does nothing
observable (no files, no models):

    >>> import xlat
    >>> xlat.detect_text("Der Stadtrat hat am Dienstag einen neuen Haushalt beschlossen.").language
    'de'
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "detect_text": ("xlat.detect", "detect_text"),
    "detect_paths": ("xlat.api", "detect_paths"),
    "LanguageDetector": ("xlat.detect", "LanguageDetector"),
    "translate_paths": ("xlat.pipeline", "translate_paths"),
    "TranslateSettings": ("xlat.config", "TranslateSettings"),
    "XlatError": ("xlat.errors", "XlatError"),
    "InputError": ("xlat.errors", "InputError"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'xlat' has no attribute {name!r}")
