"""Which engine translates which pair: direct, or through English when no direct path exists."""

from __future__ import annotations

from dataclasses import dataclass

from xlat.translate import engines
from xlat.config import EngineSettings
from xlat.translate.engines.base import Engine, EngineError

PIVOT = "en"
# auto prefers Argos (neural) when it has a path, direct or through English, else Apertium.
AUTO_ORDER = ("argos", "apertium")


@dataclass(frozen=True)
class Hop:
    engine: str
    source: str
    target: str


@dataclass(frozen=True)
class Route:
    hops: tuple[Hop, ...]

    @property
    def engine(self) -> str:
        return self.hops[0].engine


class NoRouteError(EngineError):
    pass


class Router:
    """Creates engines on first use (once per run) and plans a route for each pair."""

    def __init__(self, choice: str = "auto", settings: EngineSettings | None = None):
        if choice != "auto" and choice not in engines.names():
            raise EngineError(f"unknown engine {choice!r} (choose from auto, {', '.join(engines.names())})")
        self.choice = choice
        self.settings = settings or EngineSettings()
        self._engines: dict[str, Engine] = {}

    def engine(self, name: str) -> Engine:
        if name not in self._engines:
            self._engines[name] = engines.create(name, self.settings)
        return self._engines[name]

    def route(self, source: str, target: str) -> Route:
        names = AUTO_ORDER if self.choice == "auto" else (self.choice,)
        for name in names:
            pairs = self.engine(name).pairs()
            if (source, target) in pairs:
                return Route((Hop(name, source, target),))
            if PIVOT not in (source, target) and (source, PIVOT) in pairs and (PIVOT, target) in pairs:
                return Route((Hop(name, source, PIVOT), Hop(name, PIVOT, target)))
        raise NoRouteError(self._no_route_message(source, target))

    def signature(self, route: Route) -> str:
        return " > ".join(self.engine(h.engine).signature(h.source, h.target) for h in route.hops)

    def _no_route_message(self, source: str, target: str) -> str:
        from xlat.translate.engines.apertium import debian_package

        which = "no engine can" if self.choice == "auto" else f"the {self.choice} engine cannot"
        if self.choice in ("auto", "argos"):
            why = getattr(self.engine("argos"), "why_not", lambda s, t: "")(source, target)
            if why:  # installing the package again would not help: say what would
                return f"{which} translate {source} -> {target}: {why}"
        hints = []
        if self.choice in ("auto", "argos"):
            hints += [f"xlat models install {source} {target} (Argos index, online)",
                      "xlat models install FILE.argosmodel (a downloaded package, offline)"]
        if self.choice in ("auto", "apertium"):
            package = debian_package(source, target)
            if package:
                hints.append(f"apt-get install {package} (Apertium)")
        if not hints:
            return f"{which} translate {source} -> {target}, and xlat knows no package that would"
        return f"{which} translate {source} -> {target}; to make it available: " + " | ".join(hints)
