"""Decoding the encodings news files come in."""

from __future__ import annotations

import pytest

from xlat.detect import detect_text
from xlat.errors import InputError
from xlat.read.textio import decode

RU = "«Мы хотели, чтобы зал снова стал „домом для всех“», — рассказал директор театра Павел Орлов."
FR = "« Nous avons tenu le calendrier malgré la crise », a déclaré la présidente à l’hôtel de ville."
DE = "Die Bürgermeisterin sprach von einem schmerzhaften, aber notwendigen Kompromiss für die Stadt."


@pytest.mark.parametrize("text,data,encoding", [
    (FR, FR.encode("utf-8"), "utf-8"),
    (FR, b"\xef\xbb\xbf" + FR.encode("utf-8"), "utf-8-sig"),
    (RU, RU.encode("utf-16"), "utf-16"),
    (RU, b"\xfe\xff" + RU.encode("utf-16-be"), "utf-16"),
    (RU, RU.replace("„", '"').replace("“", '"').encode("cp1251"), "cp1251"),
    (DE, DE.encode("latin-1"), "cp1252"),
    (FR.replace("’", "'"), FR.replace("’", "'").encode("latin-1"), "cp1252"),
    (FR, FR.encode("cp1252"), "cp1252"),
], ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "cp1251", "latin1", "latin1-fr", "cp1252"])
def test_decodes(text, data, encoding):
    decoded = decode(data, "article.txt", "auto")  # a legacy encoding only when asked to guess
    expected = text if encoding != "cp1251" else RU.replace("„", '"').replace("“", '"')
    assert (decoded.text, decoded.encoding) == (expected, encoding)
    assert decoded.guessed == encoding.startswith("cp")


def test_cp1251_is_detected_as_russian():
    assert detect_text(decode(RU.encode("cp1251", errors="replace"), "x", "auto").text).language == "ru"


@pytest.mark.parametrize("data,problem", [
    (b"", "empty file"),
    (b"\n \n", "no text"),
    (b"\x00\x01\x02\x03binary", "binary file"),
    ("   ".encode("utf-16"), "no text"),
    (b"\xff\xfe" + b"\x00\xd8", "invalid UTF-16"),
])
def test_refuses(data, problem):
    with pytest.raises(InputError, match=problem) as info:
        decode(data, "bad.txt")
    assert str(info.value).startswith("bad.txt: ")
