"""Helpers shared by the tests (importable as `helpers`; pytest puts tests/ on the path)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "samples"


def read_sentences() -> list[tuple[str, str, str]]:
    """(language, paragraph id, sentence) rows of tests/data/detect/sentences.tsv."""
    rows = []
    for line in (DATA / "detect" / "sentences.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, paragraph, sentence = line.split("\t")
            rows.append((lang, paragraph, sentence))
    return rows


def read_paragraphs() -> tuple[dict[str, list[str]], dict[str, str]]:
    """The same data by paragraph: (paragraph id -> sentences, paragraph id -> language)."""
    paragraphs: dict[str, list[str]] = {}
    language: dict[str, str] = {}
    for lang, paragraph, sentence in read_sentences():
        paragraphs.setdefault(paragraph, []).append(sentence)
        language[paragraph] = lang
    return paragraphs, language
