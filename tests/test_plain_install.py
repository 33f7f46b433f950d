"""A plain `pip install xlat` (issue 14): no argostranslate. Installed Argos packages are read by
xlat itself, so `models install FILE`, `models list`, `languages` and `translate --engine argos`
work; what does need argostranslate (the online index, BPE packages) says the one pip command
that would make it work, and no message claims a pair that cannot load.

Each command runs in a subprocess where `import argostranslate` fails (a sitecustomize on
PYTHONPATH), with genuine test-built .argosmodel files (tests/argos_factory.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
TEXT = "The city council approved the new budget on Tuesday after a long debate.\n"
PIP = "pip install --no-deps 'argostranslate>=1.9,<2'"


@pytest.fixture
def plain(tmp_path):
    """Run `python -m xlat ARGS` as after `pip install xlat` alone (argostranslate absent), or
    with it (`argos=True`), with this test's own packages folder."""
    blocker = tmp_path / "without-argostranslate"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import sys\nsys.modules['argostranslate'] = None  # import argostranslate: ImportError\n")
    packages = tmp_path / "argos-packages"

    def run(*args: str, input: str | None = None, argos: bool = False) -> subprocess.CompletedProcess:
        path = [str(SRC)] if argos else [str(blocker), str(SRC)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path), "ARGOS_PACKAGES_DIR": str(packages),
               "XLAT_DATA_DIR": str(tmp_path / "data")}
        return subprocess.run([sys.executable, "-m", "xlat", *args], input=input, capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=300)

    run.packages = packages
    return run


def test_the_blocker_blocks(plain):
    done = plain("models", "install", "en", "de")
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith("xlat: error: the Argos package index is read through argostranslate")
    assert PIP in line and "xlat models install FILE.argosmodel" in line


def test_install_list_and_translate_without_argostranslate(plain, argos_files, tmp_path):
    done = plain("models", "install", str(argos_files["en-de"]))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("installed en -> de: translate-en_de-1_0 1.0") and done.stderr == ""
    listed = plain("models", "list", "--json")
    assert listed.returncode == 0 and listed.stderr == ""
    (argos,) = [m for m in json.loads(listed.stdout)["installed"] if m["engine"] == "argos"]
    assert (argos["from"], argos["to"], argos["usable"], argos["problem"]) == ("en", "de", True, "")
    pairs = json.loads(plain("languages", "--json").stdout)["pairs"]
    assert {"engine": "argos", "from": "en", "to": "de"}.items() <= pairs[0].items()
    article = tmp_path / "article.en.txt"
    article.write_text(TEXT, encoding="utf-8")
    translated = plain("translate", str(article), "--to", "de", "--engine", "argos", "--json", "--no-tm")
    assert translated.returncode == 0, translated.stderr
    (document,) = [json.loads(line) for line in translated.stdout.splitlines()]
    assert document["targets"]["de"]["engine"].startswith("argos:translate-en_de-1_0@1.0|ctranslate2=")
    copy = (tmp_path / "localized" / "de" / "article.de.txt").read_text(encoding="utf-8")
    # the same translation as with argostranslate installed
    with_argos = plain("translate", "-", "--to", "de", "--engine", "argos", "--no-tm", input=TEXT,
                       argos=True)
    assert with_argos.returncode == 0, with_argos.stderr
    assert copy == with_argos.stdout and copy.strip()


def test_a_bpe_package_says_what_to_install(plain, argos_files):
    assert plain("models", "install", str(argos_files["en-de"])).returncode == 0
    folder = plain.packages / "translate-en_de-1_0"
    (folder / "sentencepiece.model").rename(folder / "bpe.model")  # as the oldest packages are
    listed = plain("models", "list")
    (row,) = [line for line in listed.stdout.splitlines() if line.startswith("argos")]
    assert "cannot be used" in row and PIP in row
    assert "argos" not in plain("languages").stdout  # no pair claimed that cannot load
    done = plain("translate", "-", "--to", "de", "--engine", "argos", input=TEXT)
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line == ("xlat: error: -: the argos engine cannot translate en -> de: the Argos package "
                    "translate-en_de-1_0 is installed but cannot be used: its BPE tokenizer "
                    f"(bpe.model) needs argostranslate: {PIP}")


def test_a_package_without_its_model_is_no_pair(plain, argos_files):
    """Before: `languages` listed the pair and translation failed at the first sentence."""
    assert plain("models", "install", str(argos_files["en-de"])).returncode == 0
    (plain.packages / "translate-en_de-1_0" / "model" / "model.bin").unlink()
    for argos in (False, True):
        assert "argos" not in plain("languages", argos=argos).stdout
        done = plain("translate", "-", "--to", "de", "--engine", "argos", input=TEXT, argos=argos)
        assert done.returncode == 1
        (line,) = done.stderr.splitlines()
        assert "is installed but cannot be used: no model/model.bin" in line
