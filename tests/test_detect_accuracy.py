"""Detection on multilingual news paragraphs written for xlat (tests/data/detect)."""

from __future__ import annotations

import pytest

from helpers import read_paragraphs, read_sentences
from xlat.detect import LanguageDetector, detect_text

ROWS = read_sentences()
PARAGRAPHS, LANG_OF = read_paragraphs()


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector()


def test_data_covers_at_least_twenty_languages():
    assert len(set(LANG_OF.values())) >= 20


@pytest.mark.parametrize("pid", sorted(PARAGRAPHS))
def test_paragraph(detector, pid):
    guess = detector.guess(" ".join(PARAGRAPHS[pid]))
    assert (guess.language, guess.reliable) == (LANG_OF[pid], True)
    assert guess.confidence >= 0.9


@pytest.mark.parametrize("lang,sentence", [(lang, s) for lang, _, s in ROWS],
                         ids=[f"{lang}-{i}" for i, (lang, _, _) in enumerate(ROWS)])
def test_single_sentence(detector, lang, sentence):
    assert detector.guess(sentence).language == lang


@pytest.mark.parametrize("text,expected", [
    ("Azərbaycan Respublikasının paytaxtı Bakı şəhəridir.", "az"),
    ("Qarabağda vəziyyət gərgin olaraq qalır.", "az"),
    ("Türkiye'nin başkenti Ankara'dır ve en kalabalık şehri İstanbul'dur.", "tr"),
    ("Bugün hava çok güzel, parka gidelim mi?", "tr"),
    ("Հայաստանի մայրաքաղաքը Երևանն է։", "hy"),
    ("საქართველოს დედაქალაქი თბილისია.", "ka"),
])
def test_languages_beyond_langdetect(detector, text, expected):
    guess = detector.guess(text)
    assert guess.language == expected


def test_azerbaijani_is_not_turkish_in_a_document():
    az = [" ".join(PARAGRAPHS[p]) for p in PARAGRAPHS if LANG_OF[p] == "az"]
    assert detect_text("\n\n".join(az)).language == "az"


@pytest.mark.parametrize("text", ["2020", "32,000 — 1992-94", "!!! ??? ...", "   12:30   "])
def test_letterless_text_is_undetermined(text):
    guess = detect_text(text)
    assert (guess.language, guess.reliable, guess.confidence) == ("und", False, 0.0)


@pytest.mark.parametrize("text", ["Nagorno-Karabakh", "Antony Blinken", "Breaking news", "Stepanakert"])
def test_short_text_is_not_reliable(text):
    assert detect_text(text).reliable is False


def test_short_paragraphs_lean_on_their_neighbours():
    text = ("Azerbaijan\n\n"
            "Azerbaijan has announced the commencement of military actions in Nagorno-Karabakh, "
            "and residents of the region have reported explosions near the city.\n\n"
            "Stepanakert\n\n"
            "The ministry further stated that only military targets would be struck.")
    guess = detect_text(text)
    assert [p.language for p in guess.paragraphs] == ["en", "en", "en", "en"]
    assert [p.index for p in guess.paragraphs] == [0, 1, 2, 3]
    assert guess.paragraphs[0].reliable is False


def test_mixed_document_keeps_paragraph_languages():
    en = " ".join(PARAGRAPHS["en1"])
    de = " ".join(PARAGRAPHS["de1"])
    ru = " ".join(PARAGRAPHS["ru1"])
    guess = detect_text("\n\n".join([en, de, en, ru]))
    assert [p.language for p in guess.paragraphs] == ["en", "de", "en", "ru"]
    assert guess.language == "en"
    assert guess.languages == ["en", "de", "ru"]


def test_expect_restricts_candidates():
    text = "Oppositionen mener, at planen"  # Danish and Norwegian read alike
    assert LanguageDetector(expect={"no"}).guess(text).language == "no"
    assert LanguageDetector(expect={"da"}).guess(text).language == "da"
    # A script none of the expected languages is written in says nothing.
    assert LanguageDetector(expect={"en", "ru"}).guess("საქართველოს დედაქალაქი თბილისია.").language == "und"


def test_expect_rejects_unknown_languages():
    with pytest.raises(ValueError, match="xx"):
        LanguageDetector(expect={"en", "xx"})


def test_urls_and_emails_do_not_count():
    text = ("Weitere Informationen gibt es hier https://www.example.com/the/latest/news/about/"
            "everything-in-english-and-more and per Mail an editor.in.chief@newsroom.example.com "
            "bei der Redaktion.")
    assert detect_text(text).language == "de"
