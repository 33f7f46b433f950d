"""The samples are what the README demo and later tests use: check they are what they claim."""

from __future__ import annotations

from helpers import SAMPLES

QUOTES = {"en": "«", "de": "„", "fr": "« ", "ru": "«", "es": "«"}


def test_at_least_four_languages_and_formats():
    files = sorted(p.name for p in SAMPLES.iterdir())
    assert len({name.split(".")[-2] for name in files}) >= 4
    assert any(n.endswith(".md") for n in files) and any(n.endswith(".html") for n in files)
    assert any(n.endswith(".docx") for n in files)


def test_each_sample_uses_its_languages_quotation_marks():
    from xlat.read.textio import read_input

    for path in SAMPLES.iterdir():
        lang = path.name.split(".")[-2]
        marks = "“" if path.suffix == ".docx" else QUOTES[lang]  # (the Word article: as Word writes English)
        assert marks in read_input(str(path)).text, path.name
