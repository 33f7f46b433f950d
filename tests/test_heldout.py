"""Articles xlat was not written for (tests/data/heldout: held-out articles and the smallest
inputs that once broke a copy, written by hostile testers), through the real engines: every
copy passes xlat's gate, and the test's own checks agree (no residue, every number, link and
e-mail, structure and quotations in the target's marks)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import DATA, assert_intact, copy_of

HELDOUT = DATA / "heldout"


def _articles(language: str) -> list[str]:
    return sorted(str(p) for p in HELDOUT.iterdir() if re.search(rf"\.{language}\.(txt|md|html)$", p.name))


def _atoms(source: Path) -> list[str]:
    text = re.sub(r"&#?\w+;", " ", source.read_text(encoding="utf-8"))  # (character references)
    return sorted(set(re.findall(r'\d[\d.,]*\d|\d|https?://[^\s"<>)]+[\w/]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+', text)))


def _check_run(xlat, tmp_path, language, targets, engine):
    out = tmp_path / "out"
    result = xlat("translate", *_articles(language), "--to", targets, "--from", language,
                  "--engine", engine, "--out", str(out), "--no-tm")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    problems = []
    for document in manifest["documents"]:
        source = Path(document["source"])
        for target, entry in document["targets"].items():
            if entry["status"] != "needs-review":
                problems.append(f"{source.name} -> {target}: {entry['status']} {entry['integrity'][:2]}")
                continue
            try:
                assert_intact(source, copy_of(out, target, source), _atoms(source))
            except AssertionError as exc:
                problems.append(f"{source.name} -> {target}: {str(exc)[:200]}")
    assert not problems, "\n".join(problems)
    assert result.code == 0, result.stderr
    assert len(manifest["documents"]) == len(_articles(language))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_heldout_articles_through_apertium(xlat, tmp_path, language):
    _check_run(xlat, tmp_path, language, "es,ca", "apertium")


def test_heldout_articles_through_a_nonsense_argos_model(xlat, tmp_path, argos_dir, argos_files):
    from xlat.translate.models import install_file

    install_file(argos_files["en-de"])
    _check_run(xlat, tmp_path, "en", "de", "argos")
