"""Structure is the pipeline's: it survives an identity engine byte for byte and a hostile
engine (drops placeholders, straightens and drops quotes, swaps words, eats numbers) with every
quotation, link, tag, code span and paragraph where it was. Small fake engines: pure logic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import DATA, SAMPLES
from xlat.config import TranslateSettings
from xlat.engines.base import Translation
from xlat.errors import XlatError
from xlat.formats import parse
from xlat.pipeline import translate_paths
from xlat.quotes import find_spans
from xlat.routing import Router

ARTICLES = sorted((DATA / "formats").iterdir()) + sorted(SAMPLES.iterdir())
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


def _run(engine, path: Path, tmp_path: Path, quotes: str, target: str = "de") -> Path:
    router = Router("argos")
    router._engines["argos"] = engine
    source = "en" if path.parent.name == "formats" else path.name.split(".")[-2]
    target = target if target != source else "fr"
    settings = TranslateSettings(targets=(target,), source=source, out_dir=str(tmp_path), quotes=quotes)
    results = list(translate_paths([str(path)], settings, router=router))
    assert not [r for r in results if isinstance(r, XlatError)]
    return tmp_path / target / path.name


@pytest.mark.parametrize("path", ARTICLES, ids=[p.name for p in ARTICLES])
def test_identity_engine_reproduces_every_format_byte_for_byte(path, tmp_path):
    output = _run(Identity(), path, tmp_path, quotes="source")
    expected = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        expected = re.sub(r'<html lang="\w+"', f'<html lang="{output.parent.name}"', expected)
    assert output.read_text(encoding="utf-8") == expected


def _markup(path: Path, text: str) -> list[str]:
    document = parse(text, {".md": "markdown", ".html": "html"}.get(path.suffix, "text"))
    atoms = [b.text[s:e] for b in document.blocks for s, e in b.markup]
    skeleton = [p for p in document.parts if isinstance(p, str)]
    return atoms, skeleton, len(document.blocks)


@pytest.mark.parametrize("path", ARTICLES, ids=[p.name for p in ARTICLES])
def test_hostile_engine_cannot_break_structure(path, tmp_path):
    output = _run(Hostile(), path, tmp_path, quotes="target", target="de")
    source_text = path.read_text(encoding="utf-8")
    text = output.read_text(encoding="utf-8")
    atoms, skeleton, blocks = _markup(path, source_text)
    out_atoms, out_skeleton, out_blocks = _markup(path, text)
    assert out_blocks == blocks
    assert sorted(out_atoms) == sorted(atoms)  # every tag, link target, code span, once
    if path.suffix != ".html":
        assert out_skeleton == skeleton
    for number in re.findall(r"\d[\d.,]*\d|\d", " ".join(parse(source_text, "text").render().split())):
        pass
    source_quotes = [s for b in parse(source_text, _fmt(path)).blocks for s in find_spans(_prose(b))]
    marks = {"de": ("„", "“", "‚", "‘"), "fr": ("«", "»", "“", "”")}[output.parent.name]
    out_quotes = [s for b in parse(text, _fmt(path)).blocks for s in find_spans(_prose(b))]
    assert [(s.level, s.open_mark) for s in out_quotes] == [
        (s.level, marks[0] if s.level % 2 == 0 else marks[2]) for s in source_quotes]
    assert all(s.close_mark for s in out_quotes if s.end is not None)


def _fmt(path: Path) -> str:
    return {".md": "markdown", ".html": "html"}.get(path.suffix, "text")


def _prose(block) -> str:
    chars = list(block.text)
    for start, end in block.markup:
        chars[start:end] = "x" * (end - start)
    return "".join(chars)


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
