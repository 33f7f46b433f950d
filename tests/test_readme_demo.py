"""The README's first command, as a new user runs it, judged by invariants on its outputs:
no residue, every number and link of each sample in its copies, structure and quotations in
the target's marks (the test's own checks), and xlat's own gate agreeing."""

from __future__ import annotations

import json
import re
import shlex

from helpers import ROOT, assert_intact, copy_of


def _demo_command() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = [l for l in readme.splitlines() if l.startswith("scripts/install.sh && ")]
    words = shlex.split(line.split("&&", 1)[1])
    assert words[0] == ".venv/bin/xlat"
    return words[1:]


def test_the_readme_demo_writes_intact_copies(xlat, tmp_path, monkeypatch):
    args = _demo_command()
    assert args[0] == "translate"
    monkeypatch.chdir(ROOT)  # the README's paths are relative to the checkout
    out = tmp_path / "localized"
    result = xlat(*args, "--out", str(out), "--no-tm")
    assert result.code == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    copies = 0
    for document in manifest["documents"]:
        source = ROOT / document["source"]
        text = source.read_text(encoding="utf-8")
        atoms = set(re.findall(r'\d[\d.,]*\d|\d|https?://[^\s"<>]+[\w/]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+', text))
        for language, target in document["targets"].items():
            assert target["status"] in ("needs-review", "copied"), (source, language, target["integrity"])
            assert_intact(source, copy_of(out, language, source), sorted(atoms))
            copies += 1
    assert copies == 2 * len(manifest["documents"]) >= 6
