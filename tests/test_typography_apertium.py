"""Apertium copies of the held-out articles (en→es, en→ca, fr→es), typeset for their target:
no straight apostrophe where the source wrote ’, no French spacing in a Spanish or Catalan
copy, no space before a comma or full stop, no doubled period, and the gate still passes.
Each tidy-up is a listed repair."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import DATA, copy_of

pytestmark = pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")

HELDOUT = DATA / "heldout"
DAMAGE = {
    "a straight apostrophe": re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])"),
    "a space before , or .": re.compile(r"(?<=\S) +[,.](?!\.)(?=\s|$)"),
    "French spacing": re.compile(r"(?<=\w)[ \u00a0\u202f][:;!?](?=\s|$)"),
    "a doubled period": re.compile(r"(?<=[^\W\d_])\.\.(?!\.)"),
}


@pytest.mark.parametrize("source,targets", [("en", "es,ca"), ("fr", "es")])
def test_apertium_copies_are_typeset_for_their_target(xlat, tmp_path, source, targets):
    articles = sorted(str(p) for p in HELDOUT.iterdir() if re.search(rf"\.{source}\.(txt|md)$", p.name))
    out = tmp_path / "out"
    result = xlat("translate", *articles, "--to", targets, "--from", source, "--engine", "apertium",
                  "--out", str(out), "--no-tm")
    assert result.code == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    problems, repairs = [], []
    for document in manifest["documents"]:
        source_text = Path(document["source"]).read_text(encoding="utf-8")
        for target, entry in document["targets"].items():
            if entry["status"] == "integrity-error":
                problems.append(f"{document['source']} -> {target}: {entry['integrity'][:2]}")
            repairs += [r for r in entry["repairs"] if "typography:" in r]
            copy = copy_of(out, target, document["source"]).read_text(encoding="utf-8")
            for what, pattern in DAMAGE.items():
                if what == "a straight apostrophe" and "’" not in source_text:
                    continue
                for found in pattern.finditer(copy):
                    problems.append(f"{Path(document['source']).name} -> {target}: {what}: "
                                    f"{copy[max(0, found.start() - 20):found.end() + 20]!r}")
    assert not problems, "\n".join(problems)
    assert repairs  # what was tidied is said


def test_a_stray_mark_keeps_its_glyph_and_is_listed(xlat, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text('He said "hi. She said "bye."\n', encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium",
                  "--out", str(out), "--no-tm")
    assert result.code == 0, result.stderr
    copy = (out / "es" / "a.txt").read_text(encoding="utf-8")
    assert copy.count('"') == 1 and copy.count("«") == copy.count("»") == 1, copy
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"][0]["targets"]["es"]
    assert entry["status"] == "needs-review"
    assert any('quotation mark (") without its partner' in r for r in entry["repairs"]), entry["repairs"]
