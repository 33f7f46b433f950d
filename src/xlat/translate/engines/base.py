"""The engine protocol: what every translation engine offers xlat."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence, runtime_checkable

from xlat.errors import XlatError


class EngineError(XlatError):
    """An engine that cannot do what was asked (not installed, pair missing, crashed)."""


@dataclass(frozen=True)
class Translation:
    """One translated sentence, with what the engine noticed about it (for QA)."""

    text: str
    unknown_words: int = 0
    """Words the engine did not know (Apertium marks them with *)."""
    truncated: bool = False
    """The output hit the length bound and was cut (a looping model)."""
    notes: tuple[str, ...] = field(default=())


@runtime_checkable
class Engine(Protocol):
    name: str
    """The engine's name in the registry. An engine may also say `copies_numbers = True`: it
    passes digits through unchanged, so plain numbers reach it as themselves (and are turned
    back into their placeholders after), where a placeholder would be moved by its rules."""

    def pairs(self) -> set[tuple[str, str]]:
        """Language pairs (source, target) this engine translates directly, as xlat codes."""

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[Translation]:
        """Translate plain sentences from `source` to `target`, one Translation per sentence,
        in order. Called once per language pair with every sentence of a run."""

    def signature(self, source: str, target: str) -> str:
        """A reproducibility string: engine, model or data version, and settings."""
