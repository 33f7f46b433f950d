"""Bad inputs: one line on stderr naming the file, the others still reported, exit code 1."""

from __future__ import annotations

import os

import pytest

from helpers import SAMPLES

GOOD = str(SAMPLES / "karabakh.en.txt")


def _bad_files(tmp_path):
    files = {
        "empty.txt": b"",
        "blank.txt": b" \n\n\t \n",
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        "nul.md": b"Hello\x00world, this is not really text at all\x00\x00",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return files


@pytest.mark.parametrize("name,problem", [
    ("empty.txt", "empty file"),
    ("blank.txt", "no text"),
    ("image.txt", "binary file"),
    ("nul.md", "binary file"),
])
def test_bad_file_is_one_line_naming_it(xlat, tmp_path, name, problem):
    _bad_files(tmp_path)
    bad = str(tmp_path / name)
    result = xlat("detect", "--json", bad, GOOD)
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("xlat: error: ") and bad in lines[0] and problem in lines[0]
    assert [o["path"] for o in result.json_lines()] == [GOOD]


def test_missing_file_and_dangling_link(xlat, tmp_path):
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    missing = str(tmp_path / "missing.txt")
    result = xlat("detect", missing, str(link), GOOD)
    assert result.code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert missing in errors[0] and "no such file" in errors[0]
    assert str(link) in errors[1] and "no such file" in errors[1]
    assert "karabakh.en.txt" in result.stdout


def test_directory_without_articles(xlat, tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    result = xlat("detect", str(tmp_path))
    assert result.code == 1
    assert str(tmp_path) in result.stderr and "no .txt, .md, .html, .docx or .odt files" in result.stderr


def test_directory_recursion_reports_bad_files_and_continues(xlat, tmp_path):
    _bad_files(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ok.txt").write_text(open(GOOD, encoding="utf-8").read(), encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "skip.txt").write_bytes(b"")
    result = xlat("detect", "--json", str(tmp_path))
    assert result.code == 1
    assert len(result.stderr.splitlines()) == 4
    assert [os.path.basename(o["path"]) for o in result.json_lines()] == ["ok.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(xlat, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Some text that nobody may read.", encoding="utf-8")
    secret.chmod(0)
    result = xlat("detect", str(secret))
    assert result.code == 1 and "permission denied" in result.stderr


def test_all_inputs_good_exits_zero(xlat):
    assert xlat("detect", GOOD).code == 0
