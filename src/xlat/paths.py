"""Where xlat keeps state on the user's machine. Computed on each call (never at import), so
tests and users can point the environment elsewhere."""

from __future__ import annotations

import os
from pathlib import Path


def _xdg(variable: str, default: str) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value else Path.home() / default


def data_dir() -> Path:
    """xlat's own data ($XLAT_DATA_DIR, else $XDG_DATA_HOME/xlat, else ~/.local/share/xlat)."""
    value = os.environ.get("XLAT_DATA_DIR")
    return Path(value) if value else _xdg("XDG_DATA_HOME", ".local/share") / "xlat"


def argos_packages_dir() -> Path:
    """Where Argos Translate packages live: $ARGOS_PACKAGES_DIR (as argospm and argostranslate
    use it), else Argos's default, $XDG_DATA_HOME/argos-translate/packages."""
    value = os.environ.get("ARGOS_PACKAGES_DIR")
    if value:
        return Path(value)
    return _xdg("XDG_DATA_HOME", ".local/share") / "argos-translate" / "packages"
