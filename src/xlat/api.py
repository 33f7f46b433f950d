"""The library calls behind the command line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from xlat.detect import DocumentGuess, LanguageDetector
from xlat.errors import InputError
from xlat.formats import prose_blocks
from xlat.read.sources import Source, expand


@dataclass(frozen=True)
class DetectResult:
    source: Source
    guess: DocumentGuess
    encoding: str
    warnings: tuple[str, ...] = ()
    """One-line warnings on how the file was read (a guessed encoding)."""

    def to_json(self) -> dict:
        legacy = {} if self.encoding.startswith("utf-8") else {"encoding": self.encoding}
        return {
            "path": self.source.path,
            **legacy,  # (named only when the file is not UTF-8)
            "language": self.guess.language,
            "confidence": round(self.guess.confidence, 4),
            "reliable": self.guess.reliable,
            "paragraphs": [p.to_json() for p in self.guess.paragraphs],
        }


Progress = Callable[[int, int], None]


def detect_paths(paths: Iterable[str], expect: Iterable[str] | None = None,
                 stdin_format: str = "text",
                 progress: Progress | None = None,
                 encoding: str | None = None,
                 follow_symlinks: bool = False) -> Iterator[DetectResult | InputError]:
    """Detect the language of every document named by `paths` (files, directories, "-").

    Yields a DetectResult per readable document and an InputError per problem, in order, so a
    caller can report each failure and still process the rest. `progress(done, total)` is
    called after each document. `encoding`: as read_input's; `follow_symlinks`: as expand's.
    """
    detector = LanguageDetector(expect)
    sources, errors = expand(list(paths), stdin_format, follow_symlinks=follow_symlinks)
    yield from errors
    for done, source in enumerate(sources, 1):
        if progress:
            progress(done, len(sources))
        try:
            document = source.read(encoding)
            blocks = prose_blocks(document.text, source.format)
        except InputError as exc:
            yield exc
            continue
        yield DetectResult(source, detector.guess_document(blocks), document.encoding,
                           tuple(document.warnings))


def supported_detection_languages() -> set[str]:
    return LanguageDetector().supported()
