"""Standard streams (issue 14): `xlat translate - --to es` prints the translation, `--out -`
does the same for files (JSON Lines for several documents or targets), errors go to stderr,
and nothing is written to disk. Translated with Apertium (en -> es, ca)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TEXT = ("The city council approved the new budget on Tuesday after a long debate. "
        "\"We will build new homes,\" the mayor said.\n")
OTHER = "The museum will open a new hall for modern art in the spring of next year.\n"
FIELDS = {"source", "from", "language", "status", "flags", "integrity", "repairs", "engine",
          "segments", "text"}


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """The current folder, holding the inputs: after the run it must hold nothing else."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "a.en.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.md").write_text(OTHER, encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


def _listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_stdin_to_stdout(xlat, workdir):
    result = xlat("translate", "-", "--to", "es", "--engine", "apertium", input=TEXT)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("El ayuntamiento") and result.stdout.endswith("\n")
    assert "«" in result.stdout and "{" not in result.stdout  # the translation itself, not JSON
    assert _listing(workdir) == ["a.en.txt", "b.md"]  # no localized/, manifest or review.html


def test_stdin_to_several_targets_is_json_lines(xlat, workdir):
    result = xlat("translate", "-", "--to", "es,ca", "--engine", "apertium", input=TEXT)
    assert result.code == 0, result.stderr
    rows = result.json_lines()
    assert [r["language"] for r in rows] == ["es", "ca"]
    for row in rows:
        assert set(row) == FIELDS
        assert row["source"] == "-" and row["from"] == "en" and row["status"] == "needs-review"
        assert row["integrity"] == [] and row["segments"] == 2 and row["engine"].startswith("apertium:")
    assert rows[0]["text"].startswith("El ayuntamiento") and rows[1]["text"].startswith("L")
    assert _listing(workdir) == ["a.en.txt", "b.md"]


def test_json_asks_for_json_lines_with_one_target(xlat, workdir):
    result = xlat("translate", "-", "--to", "es", "--engine", "apertium", "--json", input=TEXT)
    assert result.code == 0, result.stderr
    (row,) = result.json_lines()
    assert row["language"] == "es" and row["text"].startswith("El ayuntamiento")


def test_out_dash_for_one_file_prints_its_text(xlat, workdir):
    result = xlat("translate", "a.en.txt", "--to", "ca", "--engine", "apertium", "--out", "-")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("L") and not result.stdout.startswith("{")
    assert _listing(workdir) == ["a.en.txt", "b.md"]


def test_out_dash_for_several_documents_is_one_object_each(xlat, workdir):
    result = xlat("translate", "a.en.txt", "b.md", "--to", "es,ca", "--engine", "apertium", "--out", "-")
    assert result.code == 0, result.stderr
    rows = result.json_lines()
    assert [(r["source"], r["language"]) for r in rows] == [
        ("a.en.txt", "es"), ("a.en.txt", "ca"), ("b.md", "es"), ("b.md", "ca")]
    assert "museo" in rows[2]["text"].lower()
    assert _listing(workdir) == ["a.en.txt", "b.md"]


def test_two_files_of_one_name_are_both_printed(xlat, workdir):
    for folder in ("x", "y"):
        (workdir / folder).mkdir()
        (workdir / folder / "a.en.txt").write_text(TEXT, encoding="utf-8")
    result = xlat("translate", "x/a.en.txt", "y/a.en.txt", "--to", "es", "--engine", "apertium",
                  "--out", "-")
    assert result.code == 0, result.stderr
    assert [r["source"] for r in result.json_lines()] == ["x/a.en.txt", "y/a.en.txt"]


def test_a_folder_is_json_lines_even_with_one_file(xlat, workdir):
    (workdir / "sub").mkdir()
    (workdir / "sub" / "c.txt").write_text(TEXT, encoding="utf-8")
    result = xlat("translate", "sub", "--to", "es", "--engine", "apertium", "--out", "-")
    assert result.code == 0, result.stderr
    (row,) = result.json_lines()
    assert row["source"] == os.path.join("sub", "c.txt")


def test_failures_go_to_stderr_and_the_rest_is_printed(xlat, workdir):
    result = xlat("translate", "missing.txt", "a.en.txt", "--to", "es", "--engine", "apertium",
                  "--out", "-", "--json")
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("xlat: error: missing.txt")
    (row,) = result.json_lines()
    assert row["source"] == "a.en.txt"


def test_undetectable_stdin_is_exit_1_and_nothing_on_stdout(xlat, workdir):
    result = xlat("translate", "-", "--to", "es", "--engine", "apertium", input="12 34 56\n")
    assert result.code == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "cannot tell the language" in line


def test_stdin_with_an_output_folder_writes_there(xlat, workdir):
    result = xlat("translate", "-", "--to", "es", "--engine", "apertium", "--out", "out", input=TEXT)
    assert result.code == 0, result.stderr
    assert (workdir / "out" / "es" / "stdin.txt").is_file()


def test_real_streams(tmp_path):
    """The installed command's own stdout and stderr (not a test runner's): the text alone on
    stdout, a warning on stderr."""
    env = {**os.environ, "XLAT_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent.parent / "src"),
                                          os.environ.get("PYTHONPATH", "")])}
    latin = TEXT.replace("approved", "approvéd").encode("cp1252")
    done = subprocess.run([sys.executable, "-m", "xlat", "translate", "-", "--to", "es",
                           "--engine", "apertium", "--encoding", "auto"], input=latin,
                          capture_output=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8").startswith("El ayuntamiento")
    assert b"warning" in done.stderr and b"cp1252" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
