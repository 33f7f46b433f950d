"""A file is UTF-8 or it isn't: invalid UTF-8 is an error naming the byte, unless --encoding
says what it is ("auto": a legacy encoding the whole file fits, reported as a guess); NUL
anywhere means binary; text without letters is `und`."""

from __future__ import annotations

import json
import random

import pytest

from xlat.detect import UNDETERMINED, LanguageDetector, detect_text
from xlat.errors import InputError
from xlat.read.textio import decode

FR = "« Nous avons tenu le calendrier malgré la crise », a déclaré la présidente à l’hôtel de ville.\n"
RU = "Директор театра Павел Орлов рассказал, что зал снова стал домом для всех жителей города.\n"


def test_invalid_utf8_is_an_error_naming_the_byte():
    data = FR.encode("utf-8") * 20 + "Café crème".encode("cp1252") + FR.encode("utf-8")
    offset = len(FR.encode("utf-8")) * 20 + 3
    with pytest.raises(InputError) as info:
        decode(data, "article.txt")
    message = str(info.value)
    assert message.startswith("article.txt: ") and "\n" not in message
    assert f"not valid UTF-8 at byte {offset}" in message and "--encoding cp1252" in message


def test_a_mostly_utf8_file_is_not_read_as_cp1252_even_with_auto():
    """One bad byte in a UTF-8 file: « must not become Â«. The whole file does not fit cp1252."""
    data = ("« " + FR).encode("utf-8") + b"\x81 broken\n"
    with pytest.raises(InputError, match="not valid UTF-8 at byte"):
        decode(data, "a.txt", "auto")


def test_cyrillic_legacy_file_is_named_in_the_hint():
    with pytest.raises(InputError, match="--encoding cp1251"):
        decode(RU.encode("cp1251"), "ru.txt")


@pytest.mark.parametrize("encoding,data,text", [
    ("cp1252", FR.encode("cp1252"), FR),
    ("cp1251", RU.encode("cp1251"), RU),
    ("latin-1", "Ça va.\n".encode("latin-1"), "Ça va.\n"),
    ("utf-16-le", FR.encode("utf-16-le"), FR),
])
def test_an_explicit_encoding_is_used(encoding, data, text):
    decoded = decode(data, "a.txt", encoding)
    assert decoded.text == text and not decoded.guessed and not decoded.warnings


def test_auto_guesses_a_legacy_encoding_and_says_so():
    decoded = decode(FR.encode("cp1252"), "fr.txt", "auto")
    assert (decoded.text, decoded.encoding, decoded.guessed) == (FR, "cp1252", True)
    (warning,) = decoded.warnings
    assert warning.startswith("fr.txt: ") and "cp1252" in warning and "guess" in warning
    assert decode(FR.encode("utf-8"), "fr.txt", "auto").encoding == "utf-8"  # UTF-8 first


def test_an_explicit_encoding_that_does_not_fit_names_the_byte():
    with pytest.raises(InputError, match="not valid ascii at byte 3"):
        decode("Ok Ça va".encode("utf-8"), "a.txt", "ascii")


def test_an_unknown_encoding_is_one_line():
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        decode(b"text", "a.txt", "klingon")


@pytest.mark.parametrize("at", [0, 9000, 100_000])
def test_nul_anywhere_is_binary(at):
    data = bytearray((FR * 2000).encode("utf-8"))
    data[at:at] = b"\x00"
    with pytest.raises(InputError, match="binary file"):
        decode(bytes(data), "a.txt")


def test_nul_after_a_utf16_bom_text_is_binary():
    with pytest.raises(InputError, match="binary file"):
        decode((FR * 500 + "\x00" + FR).encode("utf-16"), "a.txt")


def test_random_high_bytes_are_no_language():
    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(100_000))
    data = data.replace(b"\x81", b"\x80").replace(b"\x8d", b"\x80").replace(b"\x8f", b"\x80") \
        .replace(b"\x90", b"\x80").replace(b"\x9d", b"\x80")  # so that cp1252 takes it all
    text = data.decode("cp1252")
    guess = detect_text(text)
    assert not (guess.reliable and guess.language != UNDETERMINED), guess
    document = LanguageDetector().guess_document([text])
    assert document.language == UNDETERMINED or not document.reliable, document


@pytest.mark.parametrize("text", ["1234 5678 90 -- ++ ** 42%\n", "¡¿«»…—–•·§¶†‡°±×÷\n" * 50,
                                  "🙂🙃😀 🎉🎉 ✔✔ ⚽\n" * 20])
def test_text_without_letters_is_und(text):
    guess = detect_text(text)
    assert guess.language == UNDETERMINED and not guess.reliable, guess


def test_translate_and_detect_take_encoding(xlat, tmp_path):
    article = tmp_path / "fr.txt"
    article.write_bytes((FR * 3).encode("cp1252"))
    refused = xlat("detect", str(article))
    assert refused.code == 1
    (line,) = refused.stderr.splitlines()
    assert str(article) in line and "not valid UTF-8 at byte" in line and "--encoding cp1252" in line
    said = xlat("detect", str(article), "--encoding", "cp1252", "--json")
    assert said.code == 0 and said.json_lines()[0]["language"] == "fr", said.stderr
    guessed = xlat("detect", str(article), "--encoding", "auto", "--json")
    assert guessed.code == 0 and guessed.json_lines()[0]["encoding"] == "cp1252"
    assert str(article) in guessed.stderr and "guess" in guessed.stderr
    out = tmp_path / "out"
    result = xlat("translate", str(article), "--to", "es", "--engine", "apertium", "--out", str(out),
                  "--encoding", "auto", "--no-tm")
    assert result.code == 0, result.stderr
    assert any(str(article) in line and "cp1252" in line and "guess" in line
               for line in result.stderr.splitlines()), result.stderr
    copy = (out / "es" / "es.txt").read_text(encoding="utf-8")  # a name that is the language: the target's
    assert "Â" not in copy and "«" in copy
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"][0]["encoding"] == "cp1252"
    bad = xlat("translate", str(article), "--to", "es", "--engine", "apertium", "--out", str(out),
               "--encoding", "klingon")
    assert bad.code != 0 and "klingon" in bad.stderr and "Traceback" not in bad.stderr


def test_review_apply_reads_the_source_in_its_recorded_encoding(xlat, tmp_path):
    article = tmp_path / "fr.txt"
    article.write_bytes((FR * 2).encode("cp1252"))
    out = tmp_path / "out"
    assert xlat("translate", str(article), "--to", "es", "--engine", "apertium", "--out", str(out),
                "--encoding", "cp1252", "--no-tm").code == 0
    result = xlat("review", "apply", str(out / "es" / "es.txt.xlf"))
    assert result.code == 0, result.stderr
