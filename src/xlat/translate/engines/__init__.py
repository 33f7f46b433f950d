"""Translation engines, by name, imported only when used.

The built-in engines are registered like any other: `register(name, factory)` adds one (a
plugin, or a test's fake engine) without editing this file.
"""

from __future__ import annotations

import importlib
from typing import Callable

from xlat.config import EngineSettings
from xlat.translate.engines.base import Engine, EngineError, Translation

Factory = Callable[[EngineSettings], Engine]
_FACTORIES: dict[str, Factory] = {}


def _builtin(module: str, cls: str) -> Factory:
    def factory(settings: EngineSettings) -> Engine:
        return getattr(importlib.import_module(module), cls)(settings)  # imported now, not before

    return factory


def register(name: str, factory: Factory) -> None:
    """Make `factory(settings)` the engine called `name` (replacing one of that name)."""
    _FACTORIES[name] = factory


def unregister(name: str) -> None:
    _FACTORIES.pop(name, None)


def names() -> list[str]:
    return list(_FACTORIES)


def create(name: str, settings: EngineSettings | None = None) -> Engine:
    """An engine instance by name."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise EngineError(f"unknown engine {name!r} (choose from {', '.join(_FACTORIES)})") from None
    return factory(settings or EngineSettings())


register("argos", _builtin("xlat.translate.engines.argos", "ArgosEngine"))
register("apertium", _builtin("xlat.translate.engines.apertium", "ApertiumEngine"))

__all__ = ["Engine", "EngineError", "Translation", "create", "names", "register", "unregister"]
