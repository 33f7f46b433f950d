"""`xlat detect` end to end, in-process through click (real langdetect profiles, no mocks)."""

from __future__ import annotations

import os

import pytest

from helpers import SAMPLES

SAMPLE_LANGUAGES = {
    "karabakh.en.txt": "en",
    "rathaus.de.md": "de",
    "metro.fr.html": "fr",
    "teatr.ru.txt": "ru",
    "mercado.es.txt": "es",
    "harbour.en.docx": "en",
}


def test_samples_are_detected(xlat):
    result = xlat("detect", "--json", str(SAMPLES))
    assert result.code == 0, result.stderr
    found = {os.path.basename(o["path"]): o for o in result.json_lines()}
    assert {name: o["language"] for name, o in found.items()} == SAMPLE_LANGUAGES
    for obj in found.values():
        assert set(obj) == {"path", "language", "confidence", "reliable", "paragraphs"}
        assert obj["reliable"] is True and 0.9 <= obj["confidence"] <= 1
        assert [p["index"] for p in obj["paragraphs"]] == list(range(len(obj["paragraphs"])))
        assert all(set(p) == {"index", "language", "confidence"} for p in obj["paragraphs"])


def test_table_output(xlat):
    result = xlat("detect", str(SAMPLES / "teatr.ru.txt"))
    assert result.code == 0
    header, row = result.stdout.splitlines()
    assert header.split()[:3] == ["PATH", "LANGUAGE", "CONFIDENCE"]
    assert "teatr.ru.txt" in row and "ru (Russian)" in row


def test_stdin(xlat):
    result = xlat("detect", "--json", "-", input="Guten Morgen! Wie geht es Ihnen heute, Frau Berger?\n")
    assert result.code == 0
    (obj,) = result.json_lines()
    assert (obj["path"], obj["language"]) == ("-", "de")


def test_paragraph_languages_in_json(xlat, tmp_path):
    article = tmp_path / "mixed.txt"
    article.write_text(
        "The minister answered questions from journalists for more than an hour on Monday.\n\n"
        "Der Minister beantwortete am Montag mehr als eine Stunde lang Fragen der Journalisten.\n",
        encoding="utf-8")
    (obj,) = xlat("detect", "--json", str(article)).json_lines()
    assert [p["language"] for p in obj["paragraphs"]] == ["en", "de"]


def test_deterministic_across_processes(tmp_path):
    """Same input, same answer, whatever the hash seed of the process."""
    import subprocess
    import sys

    outputs = set()
    for seed in ("0", "1", "random"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-m", "xlat", "detect", "--json", str(SAMPLES)],
                             capture_output=True, text=True, env=env, check=True).stdout
        outputs.add(out)
    assert len(outputs) == 1


@pytest.mark.parametrize("value,message", [
    ("en,xx", "unknown language 'xx'"),
    ("german", "did you mean de (German)?"),
    ("germn", "did you mean de (German)?"),
    ("nb,iw,zh-tw", None),
    ("en,123", "'123' is not a language code"),
])
def test_expect_codes(xlat, value, message):
    result = xlat("detect", "--expect", value, str(SAMPLES / "teatr.ru.txt"))
    if message is None:  # aliases (nb = no, iw = he, zh-tw = zh-Hant) are accepted
        assert result.code == 0, result.stderr
        return
    assert result.code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_expect_restricts(xlat, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("Oppositionen mener, at planen", encoding="utf-8")
    (obj,) = xlat("detect", "--json", "--expect", "no,en", str(note)).json_lines()
    assert obj["language"] == "no"


def test_no_paths_is_a_usage_error(xlat):
    assert xlat("detect").code == 2


def test_help_lists_commands_and_options(xlat):
    assert "detect" in xlat("--help").stdout
    text = xlat("detect", "--help").stdout
    for word in ("--json", "--expect", "PATH...", "Examples"):
        assert word in text


def test_version(xlat):
    from xlat import __version__

    assert xlat("--version").stdout.strip().endswith(__version__)
