"""Structure is the pipeline's: it survives an identity engine byte for byte and a hostile
engine (drops placeholders, straightens and drops quotes, swaps words, eats numbers) with every
quotation, link, tag, code span and paragraph where it was. Small fake engines: pure logic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import DATA, SAMPLES, assert_same_structure, copy_of
from xlat.config import TranslateSettings
from xlat.translate.engines.base import Translation
from xlat.errors import XlatError
from xlat.pipeline import translate_paths
from xlat.translate import engines
from xlat.translate.routing import Router

ARTICLES = sorted((DATA / "formats").iterdir()) + sorted(
    p for p in SAMPLES.iterdir() if p.suffix not in (".docx", ".odt"))  # (packages: test_office.py)
LANGS = ["en", "de", "fr", "ru", "es"]


class Identity:
    name = "identity"

    def pairs(self):
        return {(s, t) for s in LANGS for t in LANGS if s != t}

    def translate_batch(self, sentences, source, target):
        return [Translation(s) for s in sentences]

    def signature(self, source, target):
        return "identity"


class Hostile(Identity):
    name = "hostile"

    def translate_batch(self, sentences, source, target):
        out = []
        for s in sentences:
            s = re.sub(r"⟦\d+⟧", "", s)  # drops every placeholder
            s = re.sub(r"[“”«»„‘’‚‹›\"]", '"', s)  # straightens quotes...
            s = s.replace('"', "", 1)  # ...and loses one
            s = re.sub(r"\d", "", s)  # eats numbers
            words = s.split()
            out.append(Translation(" ".join(reversed(words)) + " zzz"))
        return out

    def signature(self, source, target):
        return "hostile"


def _run(engine, path: Path, tmp_path: Path, quotes: str, target: str = "de") -> Path:
    engines.register(engine.name, lambda settings: engine)
    router = Router(engine.name)
    source = "en" if path.parent.name == "formats" else path.name.split(".")[-2]
    target = target if target != source else "fr"
    settings = TranslateSettings(targets=(target,), source=source, out_dir=str(tmp_path), quotes=quotes)
    results = list(translate_paths([str(path)], settings, router=router))
    assert not [r for r in results if isinstance(r, XlatError)]
    return copy_of(tmp_path, target, path, source)


@pytest.mark.parametrize("path", ARTICLES, ids=[p.name for p in ARTICLES])
def test_identity_engine_reproduces_every_format_byte_for_byte(path, tmp_path):
    output = _run(Identity(), path, tmp_path, quotes="source")
    expected = path.read_text(encoding="utf-8")
    if path.suffix == ".html":  # (only <html lang> changes; localize has its own tests)
        from xlat.formats.html import localize

        expected = localize(expected, output.parent.name)
    assert output.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("path", ARTICLES, ids=[p.name for p in ARTICLES])
def test_hostile_engine_cannot_break_structure(path, tmp_path):
    output = _run(Hostile(), path, tmp_path, quotes="target", target="de")
    assert_same_structure(path, output)


def test_numbers_urls_and_handles_survive_the_hostile_engine(tmp_path):
    path = DATA / "formats" / "article.md"
    text = _run(Hostile(), path, tmp_path, quotes="target").read_text(encoding="utf-8")
    for token in ("20", "€4.50", "press@example.com", "@cityhall", "#budget2027", "2027",
                  "https://example.com/budget#bridges"):
        assert token in text, token


def test_repairs_are_recorded(tmp_path):
    import json

    _run(Hostile(), DATA / "formats" / "article.txt", tmp_path, quotes="target")
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    repairs = manifest["documents"][0]["targets"]["de"]["repairs"]
    assert any("restored a quotation" in r for r in repairs)
    assert any("closed with «" in r for r in repairs)
