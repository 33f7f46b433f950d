"""Quotation structure and typography (data-driven: tests/data/quotes.json)."""

from __future__ import annotations

import json

import pytest

from helpers import DATA
from xlat.locales import available, typography
from xlat.protect.quotes import find_spans
from xlat.protect.typeset import typeset

CASES = json.loads((DATA / "quotes.json").read_text(encoding="utf-8"))
REQUIRED = ("en en-GB de de-CH fr fr-CH es it pt pt-BR ru uk pl cs nl sv da nb fi tr el he ar fa "
            "ja zh zh-Hant ko hi az hy ka").split()


@pytest.mark.parametrize("case", CASES["typeset"], ids=[c["title"] for c in CASES["typeset"]])
def test_typeset(case):
    assert typeset(case["input"], case["locale"]) == case["expected"]


@pytest.mark.parametrize("case", CASES["spans"], ids=[c["title"] for c in CASES["spans"]])
def test_spans(case):
    spans = find_spans(case["input"])
    assert [[s.level, s.open_mark, s.close_mark, s.repaired] for s in spans] == case["spans"]


@pytest.mark.parametrize("tag", REQUIRED)
def test_every_required_locale_has_quotation_marks(tag):
    style = typography(tag)
    assert len(style.primary) == 2 and len(style.nested) == 2
    assert style.primary != style.nested


def test_locale_fallbacks():
    assert typography("fr-CA").tag == "fr"
    assert typography("zh-TW").tag == "zh-Hant"
    assert typography("no").tag == "nb"
    assert set(REQUIRED) <= set(available())


def test_typeset_command(xlat, tmp_path):
    result = xlat("typeset", "--lang", "de", input='Er sagte: "Das ist ‘gut’." Fertig.\n')
    assert result.code == 0
    assert result.stdout == "Er sagte: „Das ist ‚gut‘.“ Fertig.\n"
    article = tmp_path / "a.txt"
    article.write_text("« Bonjour », dit-il !\n", encoding="utf-8")
    assert xlat("typeset", "--lang", "fr", str(article)).stdout == "«\u202fBonjour\u202f», dit-il\u202f!\n"
    bad = xlat("typeset", "--lang", "xx", str(article))
    assert bad.code == 2 and "no typography data for 'xx'" in bad.stderr
    missing = xlat("typeset", "--lang", "fr", str(tmp_path / "nope.txt"))
    assert missing.code == 1 and "nope.txt: no such file" in missing.stderr
