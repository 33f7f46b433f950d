"""Inputs and outputs stay where they belong (issue 10): links out of the input tree, devices
and FIFOs, an output folder with planted links, an output folder inside the input tree,
`review apply` on an XLIFF moved or forged, two runs into one folder. Real Apertium (en->es)."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
from pathlib import Path

import pytest

ARTICLE = ("The city council approved the new budget on Monday. The mayor said the plan "
           "would help families in every district of the city.\n")
SECRET = "Secret numbers of the neighbouring folder: 4242 and the word zanzibar."


@pytest.fixture
def tree(tmp_path) -> Path:
    news = tmp_path / "news"
    news.mkdir()
    (news / "council.txt").write_text(ARTICLE, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    return tmp_path


def _hung(*_):
    raise TimeoutError("xlat hung on a FIFO or a device")


def _everything_written(out: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace")
                   for p in out.rglob("*") if p.is_file() and not p.is_symlink())


def test_a_link_out_of_the_input_tree_is_refused_by_name(tree, xlat):
    os.symlink(tree / "outside" / "secret.txt", tree / "news" / "passwd.txt")
    os.symlink("/etc/passwd", tree / "news" / "etc.txt")
    out = tree / "out"
    result = xlat("translate", str(tree / "news"), "--to", "es", "--from", "en", "--out", str(out))
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all("symbolic link" in line and "--follow-symlinks" in line for line in lines)
    assert any("passwd.txt" in line for line in lines) and any("etc.txt" in line for line in lines)
    written = _everything_written(out)
    assert "zanzibar" not in written and "root:" not in written
    assert (out / "es" / "council.txt").is_file()  # the rest is still done


def test_follow_symlinks_reads_them_when_asked(tree, xlat):
    os.symlink(tree / "outside" / "secret.txt", tree / "news" / "linked.txt")
    out = tree / "out"
    result = xlat("translate", str(tree / "news"), "--to", "es", "--from", "en", "--out", str(out),
                  "--follow-symlinks")
    assert result.code == 0, result.stderr
    assert "4242" in (out / "es" / "linked.txt").read_text(encoding="utf-8")


def test_a_link_inside_the_tree_is_followed(tree, xlat):
    (tree / "news" / "sub").mkdir()
    os.symlink(tree / "news" / "council.txt", tree / "news" / "sub" / "alias.txt")
    out = tree / "out"
    result = xlat("translate", str(tree / "news"), "--to", "es", "--from", "en", "--out", str(out))
    assert result.code == 0, result.stderr
    assert (out / "es" / "sub" / "alias.txt").is_file()


def test_fifos_and_devices_are_refused_without_opening_them(tree, xlat):
    os.mkfifo(tree / "news" / "pipe.txt")  # opening it would hang the batch
    out = tree / "out"
    signal.signal(signal.SIGALRM, _hung)
    signal.alarm(60)
    try:
        result = xlat("translate", str(tree / "news"), "/dev/zero", str(tree / "news" / "pipe.txt"),
                  "--to", "es", "--from", "en", "--out", str(out))
    finally:
        signal.alarm(0)
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 3, lines  # the FIFO found in the folder, and both named ones
    assert sum("FIFO" in line for line in lines) == 2
    assert any("/dev/zero" in line and "not a regular file" in line for line in lines)
    assert (out / "es" / "council.txt").is_file()


def test_a_planted_link_in_the_output_folder_is_not_written_through(tree, xlat):
    out = tree / "out"
    out.mkdir()
    elsewhere = tree / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, out / "es")
    result = xlat("translate", str(tree / "news"), "--to", "es", "--from", "en", "--out", str(out))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert "symbolic link" in line and str(out / "es") in line
    assert list(elsewhere.iterdir()) == []


def test_a_planted_link_as_the_copy_itself_is_not_followed(tree, xlat):
    out = tree / "out"
    (out / "es").mkdir(parents=True)
    victim = tree / "outside" / "secret.txt"
    os.symlink(victim, out / "es" / "council.txt")
    result = xlat("translate", str(tree / "news"), "--to", "es", "--from", "en", "--out", str(out))
    assert result.code == 1 and "symbolic link" in result.stderr
    assert victim.read_text(encoding="utf-8") == SECRET + "\n"


def test_an_output_folder_inside_the_input_tree_is_not_an_input(tree, xlat):
    news = tree / "news"
    counts = []
    for _ in range(3):
        result = xlat("translate", str(news), "--to", "es,ca", "--from", "en", "--out",
                      str(news / "localized"), "--json")
        assert result.code == 0, result.stderr
        counts.append(len(result.json_lines()))
    assert counts == [1, 1, 1]
    # an earlier run's output folder elsewhere in the tree is skipped as well
    result = xlat("translate", str(news), "--to", "es", "--from", "en", "--out", str(tree / "o2"), "--json")
    assert [d["source"] for d in result.json_lines()] == [str(news / "council.txt")]
    # and naming it explicitly is one line
    result = xlat("translate", str(news / "localized"), "--to", "es", "--out", str(tree / "o3"))
    assert result.code == 1 and "output folder" in result.stderr


def _translated(tree: Path, xlat) -> Path:
    out = tree / "out"
    result = xlat("translate", str(tree / "news"), "--to", "es", "--from", "en", "--out", str(out))
    assert result.code == 0, result.stderr
    return out


def test_review_apply_refuses_an_xliff_outside_its_output_folder(tree, xlat):
    out = _translated(tree, xlat)
    moved = tree / "elsewhere"
    moved.mkdir()
    shutil.copy(out / "es" / "council.txt.xlf", moved / "council.txt.xlf")
    (moved / "council.txt").write_text("a file of the user's\n", encoding="utf-8")
    result = xlat("review", "apply", str(moved / "council.txt.xlf"))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert "council.txt.xlf" in line and "output folder" in line
    assert (moved / "council.txt").read_text(encoding="utf-8") == "a file of the user's\n"


def test_review_apply_reads_only_the_source_the_manifest_records(tree, xlat):
    out = _translated(tree, xlat)
    xlf = out / "es" / "council.txt.xlf"
    secret = tree / "outside" / "secret.txt"
    forged = xlf.read_text(encoding="utf-8").replace(
        f'original="{tree / "news" / "council.txt"}"', f'original="{secret}"')
    assert forged != xlf.read_text(encoding="utf-8")
    xlf.write_text(forged, encoding="utf-8")
    result = xlat("review", "apply", str(xlf))
    assert result.code == 1 and "original" in result.stderr
    assert "zanzibar" not in (out / "es" / "council.txt").read_text(encoding="utf-8")


def test_a_second_run_into_a_busy_output_folder_is_one_line(tree, xlat):
    out = tree / "out"
    out.mkdir()
    with open(out / ".xlat.lock", "a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        result = xlat("translate", str(tree / "news"), "--to", "es", "--from", "en", "--out", str(out))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert "another xlat run" in line and str(out) in line
    assert not (out / "es").exists()
    # once the other run is gone, the same command works
    result = xlat("translate", str(tree / "news"), "--to", "es", "--from", "en", "--out", str(out))
    assert result.code == 0, result.stderr


def test_an_output_folder_equal_to_the_input_folder_translates_only_the_inputs(tree, xlat):
    news = tree / "news"
    counts = []
    for targets in ("es,ca", "es", "ca"):
        result = xlat("translate", str(news), "--to", targets, "--from", "en", "--out", str(news), "--json")
        assert result.code == 0, result.stderr
        counts.append([d["source"] for d in result.json_lines()])
    assert counts == [[str(news / "council.txt")]] * 3  # never its own copies or review.html
    assert sorted(p.relative_to(news).as_posix() for p in news.rglob("*.txt")) == \
        ["ca/council.txt", "council.txt", "es/council.txt"]
