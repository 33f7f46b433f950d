"""Apertium, the real thing, on the Debian pairs scripts/install.sh installs."""

from __future__ import annotations

import os
import shutil
import stat

import pytest

from helpers import DATA, SAMPLES, assert_same_structure, copy_of, format_of
from xlat.detect import LanguageDetector
from xlat.translate.engines.apertium import ApertiumEngine
from xlat.formats import prose_blocks
from xlat.formats.text import parse


@pytest.fixture(scope="module")
def apertium():
    if not shutil.which("apertium"):
        pytest.fail("apertium is not installed: run scripts/install.sh as root")
    return ApertiumEngine()


def test_installed_pairs(apertium):
    assert {("en", "es"), ("es", "en"), ("en", "ca"), ("fr", "es"), ("es", "fr")} <= apertium.pairs()


def test_unknown_words_are_unmarked_and_counted(apertium):
    (result,) = apertium.translate_batch(["The commencement of hostilities was announced."], "en", "es")
    assert "*" not in result.text and "commencement" in result.text
    assert result.unknown_words == 1


def test_one_process_per_batch(tmp_path):
    real = shutil.which("apertium")
    log = tmp_path / "calls.log"
    wrapper = tmp_path / "apertium"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {real} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    engine = ApertiumEngine(executable=str(wrapper))
    sentences = [f"The council met on day {i}." for i in range(50)]
    results = engine.translate_batch(sentences, "en", "es")
    assert all(f" {i}." in r.text for i, r in enumerate(results))
    calls = log.read_text().splitlines()
    assert calls == ["-l", "-z -f html eng-spa"]


def test_founding_article_in_spanish(xlat, tmp_path):
    article = SAMPLES / "karabakh.en.txt"
    result = xlat("translate", str(article), "--to", "es", "--engine", "apertium", "--out", str(tmp_path))
    assert result.code == 0, result.stderr
    spanish = (tmp_path / "es" / "karabakh.es.txt").read_text(encoding="utf-8")
    source_blocks = parse(article.read_text(encoding="utf-8")).blocks
    blocks = parse(spanish).blocks
    assert len(blocks) == len(source_blocks)
    assert spanish.count("\n") == article.read_text(encoding="utf-8").count("\n")
    assert "*" not in spanish and "#" not in spanish
    detector = LanguageDetector()
    assert all(detector.guess(b.text).language == "es" for b in blocks if len(b.text) > 60)
    assert "32,000" in spanish and "1992-94" in spanish
    # quotations in Spanish marks, balanced (the source closes one with «)
    assert spanish.count("«") == spanish.count("»") == 5
    assert spanish.rstrip().endswith("región.»") or "región.»" in spanish
    assert sorted(os.listdir(tmp_path / "es")) == ["karabakh.es.txt", "karabakh.es.txt.xlf"]  # nothing else


@pytest.mark.parametrize("name,target", [
    ("metro.fr.html", "es"), ("karabakh.en.txt", "ca"), ("mercado.es.txt", "fr"),
])
def test_samples_end_to_end(xlat, tmp_path, name, target):
    source = SAMPLES / name
    result = xlat("translate", str(source), "--to", target, "--engine", "apertium", "--out", str(tmp_path))
    assert result.code == 0, result.stderr
    output = copy_of(tmp_path, target, name)
    assert_same_structure(source, output)
    text = output.read_text(encoding="utf-8")
    assert "*" not in text.replace("</", "")
    assert LanguageDetector().guess_document(prose_blocks(text, format_of(source))).language == target


@pytest.mark.parametrize("path", sorted((DATA / "formats").iterdir()), ids=lambda p: p.name)
def test_formats_end_to_end(xlat, tmp_path, path):
    result = xlat("translate", str(path), "--to", "es", "--engine", "apertium", "--out", str(tmp_path))
    assert result.code == 0, result.stderr
    output = tmp_path / "es" / path.name
    assert_same_structure(path, output)
    text = output.read_text(encoding="utf-8")
    if path.stem == "article":
        for kept in ("https://example.", {".md": "2027", ".html": "2020", ".txt": "4.50"}[path.suffix]):
            assert kept in text
    if path.name == "article.html":
        assert '<html lang="es">' in text and '<p translate="no">MetroCorp™ Ltd.</p>' in text
        assert "<code>line4 --timetable</code>" in text
        # an inline element in the middle of a sentence keeps its title (the sentence is not
        # cut in two for it); an image standing at the start of its paragraph gets its alt
        assert "title=\"Users' association\">Claire Dumas</a>" in text


@pytest.mark.parametrize("source,target,text,expected", [
    ("en", "ca", "The match was played in front of 74,310 fans.", "74,310 afició."),
    ("fr", "ca", "Le billet est gratuit pour les moins de 18 ans.", "de 18 anys."),
    ("en", "es", "The ticket is free for children under 18 years.", "18 años."),
])
def test_a_number_stays_in_its_place(xlat, tmp_path, source, target, text, expected):
    """Apertium's rules move an empty tag they cannot place to the end of the sentence
    ("davant d'afició.. 74,310"): plain numbers go to it as themselves."""
    article = tmp_path / "a.txt"
    article.write_text(text + "\n", encoding="utf-8")
    result = xlat("translate", str(article), "--to", target, "--from", source, "--engine", "apertium",
                  "--out", str(tmp_path / "out"), "--no-tm")
    assert result.code == 0, result.stderr
    copy = (tmp_path / "out" / target / "a.txt").read_text(encoding="utf-8")
    assert copy.rstrip().endswith(expected), copy


def test_a_user_locale_the_machine_lacks_does_not_stop_apertium(tmp_path):
    """LANG/LC_ALL naming a locale that is not installed (LC_ALL=de_XX.UTF-8; a bare Debian has
    none but C.UTF-8): Apertium's programs abort at start and exit 0 with nothing. xlat runs
    them in C.UTF-8, so the translation comes through (and the interface is German)."""
    import subprocess
    import sys

    env = {**os.environ, "LC_ALL": "de_XX.UTF-8", "LANG": "de_XX.UTF-8", "XLAT_UI_LANG": "",
           "XLAT_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "xlat", "translate", "-", "--to", "es", "--from", "en",
                           "--engine", "apertium", "--no-tm"],
                          input="The city council approved the new budget after a long debate.\n",
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "presupuesto" in done.stdout and "ayuntamiento" in done.stdout.lower()
