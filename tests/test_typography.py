"""Typography fixtures per locale (tests/data/typography/<tag>.json: input, expected, why),
each run through `xlat typeset --lang TAG -`, and the explanation `--json` gives."""

from __future__ import annotations

import json

import pytest

from helpers import DATA

FIXTURES = sorted((DATA / "typography").glob("*.json"))
CASES = [(data["locale"], case) for path in FIXTURES
         for data in [json.loads(path.read_text(encoding="utf-8"))] for case in data["cases"]]


@pytest.mark.parametrize("locale,case", CASES, ids=[f"{tag}: {case['why']}" for tag, case in CASES])
def test_typeset_fixture(xlat, locale, case):
    result = xlat("typeset", "--lang", locale, "-", input=case["input"] + "\n")
    assert result.code == 0, result.stderr
    assert result.stdout == case["expected"] + "\n"


def test_every_fixture_says_which_marks_it_follows():
    assert len(FIXTURES) >= 20
    for path in FIXTURES:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["marks"] and data["cases"], path.name
        assert all(case["why"] for case in data["cases"]), path.name


def test_explain_lists_each_change_and_why(xlat):
    result = xlat("typeset", "--lang", "en", "--json", input="'Twas the reporters' \"night\"")
    report = json.loads(result.stdout)
    assert report["text"] == "’Twas the reporters’ “night”"
    assert [(c["position"], c["was"], c["now"]) for c in report["changes"]] == [
        (0, "'", "’"), (19, "'", "’"), (21, '"', "“"), (27, '"', "”")]
    assert "elision" in report["changes"][0]["why"] and "opening" in report["changes"][2]["why"]
    explained = xlat("typeset", "--lang", "en", "--explain", input='He said "hi. She said "bye."')
    assert explained.stdout == 'He said "hi. She said “bye.”'
    assert explained.stderr.count("\n") == 2 and "closing quotation mark" in explained.stderr
