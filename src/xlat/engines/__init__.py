"""Translation engines, by name, imported only when used."""

from __future__ import annotations

import importlib

from xlat.config import EngineSettings
from xlat.engines.base import Engine, EngineError, Translation

ENGINES = {
    "argos": ("xlat.engines.argos", "ArgosEngine"),
    "apertium": ("xlat.engines.apertium", "ApertiumEngine"),
}


def create(name: str, settings: EngineSettings | None = None) -> Engine:
    """An engine instance by name (its module is imported now, not before)."""
    try:
        module, cls = ENGINES[name]
    except KeyError:
        raise EngineError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})") from None
    return getattr(importlib.import_module(module), cls)(settings or EngineSettings())


__all__ = ["ENGINES", "Engine", "EngineError", "Translation", "create"]
