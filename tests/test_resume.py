"""A batch killed at any moment resumes (issue 10): real `xlat translate` processes with Apertium
(en -> es, ca) are killed with SIGKILL and SIGINT at points spread over a run, including its
write phase; a plain re-run (no --force) then finishes with exactly the files of an
uninterrupted run, and leaves no temporary file. A full disk is one line per file and a valid
manifest."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

TARGETS = "es,ca"
PARAGRAPHS = [
    "The council approved a budget of {n} million euros on Monday.",
    "\"We will build {n} new homes,\" the mayor said, \"and open two schools.\"",
    "Residents of the old district have waited since {y} for the tram.",
    "The works will start in spring and last about {n} months.",
]


def _batch(folder: Path, count: int) -> Path:
    news = folder / "news"
    for i in range(count):
        sub = news / f"part{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        text = "\n\n".join(p.format(n=10 + i, y=1990 + i % 30) for p in PARAGRAPHS) + "\n"
        if i % 2:
            (sub / f"story{i:03}.md").write_text(f"# Story {i}\n\n{text}", encoding="utf-8")
        else:
            (sub / f"story{i:03}.txt").write_text(text, encoding="utf-8")
    return news


_TEMPORARY = re.compile(r"^(.*/)?\.[^/]+\.[A-Za-z0-9_]{8}\.tmp$")


def _command(news: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "xlat", "translate", str(news), "--to", TARGETS, "--from", "en",
            "--engine", "apertium", "--out", str(out), "--json"]


def _env(data: Path) -> dict:
    return {**os.environ, "XLAT_DATA_DIR": str(data)}


def _files(out: Path) -> dict[str, bytes]:
    """Every file of the output folder except the manifest's time stamp and the lock."""
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.name not in ("manifest.json", ".xlat.lock", "review.html"):
            found[path.relative_to(out).as_posix()] = path.read_bytes()
    return found


def _temporaries(out: Path) -> list[str]:
    return [p.name for p in out.rglob("*.tmp")]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The batch and the files of one uninterrupted run, with its duration."""
    folder = tmp_path_factory.mktemp("resume")
    news = _batch(folder, 60)
    out = folder / "reference"
    started = time.monotonic()
    done = subprocess.run(_command(news, out), env=_env(folder / "data-ref"), capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    return news, _files(out), time.monotonic() - started


def _manifest_sources(out: Path) -> set[str]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {d["source"] for d in data["documents"]}


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_batch_killed_at_any_moment_resumes_without_force(reference, tmp_path, how):
    news, expected, duration = reference
    out, data = tmp_path / "out", tmp_path / "data"
    written_before_a_kill = 0
    # kills spread over the run: start-up, translation, and in its write phase (after the
    # k-th line of the journal: files are written between those lines)
    for when in (0.3, 0.7, 1, 3, 10, 40, 90):
        process = subprocess.Popen(_command(news, out), env=_env(data), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        if isinstance(when, float):
            time.sleep(duration * when)
        else:
            _wait_for_journal_lines(out, when, process)
        process.send_signal(how)
        _, stderr = process.communicate(timeout=120)
        assert "Traceback" not in stderr, stderr
        if process.returncode == 0:
            continue  # it finished first
        partial = _files(out)
        # whatever was killed, every file there is whole: a file of the finished run
        for name, content in partial.items():
            if name in expected:
                assert content == expected[name], name
            else:  # the journal, or the temporary file being written when kill -9 came
                assert name == "manifest.journal" or (how == signal.SIGKILL and _TEMPORARY.match(name)), name
        if how == signal.SIGINT:
            assert not _temporaries(out), "Ctrl-C left temporary files"
        written_before_a_kill = max(written_before_a_kill, len(partial))
    resumed = subprocess.run(_command(news, out), env=_env(data), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert _files(out) == expected
    assert not _temporaries(out) and not (out / "manifest.journal").exists()
    assert len(_manifest_sources(out)) == 60
    assert written_before_a_kill > 0, "no kill happened after files were written: slow the batch"


def _wait_for_journal_lines(out: Path, count: int, process: subprocess.Popen) -> None:
    """Until this run has added `count` lines to the journal (or has ended)."""
    journal = out / "manifest.journal"
    before = journal.read_bytes().count(b"\n") if journal.exists() else 0
    while process.poll() is None:
        if journal.exists() and journal.read_bytes().count(b"\n") >= before + count:
            return
        time.sleep(0.002)


def test_a_resumed_batch_reuses_what_was_finished(reference, tmp_path):
    news, expected, duration = reference
    out, data = tmp_path / "out", tmp_path / "data"
    process = subprocess.Popen(_command(news, out), env=_env(data), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (out / "manifest.journal").exists() or b'"document"' not in \
            (out / "manifest.journal").read_bytes():
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.01)
    process.kill()
    process.wait()
    finished = {json.loads(line)["document"]["source"] for line in
                (out / "manifest.journal").read_text(encoding="utf-8").splitlines()
                if line.endswith("}") and '"document"' in line}
    resumed = subprocess.run(_command(news, out), env=_env(data), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    outcomes = {d["source"]: d for d in map(json.loads, resumed.stdout.splitlines())}
    assert finished and all(all(t["reused"] for t in outcomes[s]["targets"].values()) for s in finished)
    assert _files(out) == expected


def _limited(size: int):
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG, like a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limit


def test_a_full_disk_is_one_line_per_file_and_the_manifest_stays_valid(reference, tmp_path):
    news, expected, _ = reference
    out = tmp_path / "out"
    # every copy is under 1 KB, its XLIFF is not: the XLIFFs cannot be written
    full = subprocess.run(_command(news, out) + ["--no-tm"], env=_env(tmp_path / "data"),
                          capture_output=True, text=True, preexec_fn=_limited(1500))
    assert full.returncode == 1
    lines = full.stderr.splitlines()
    assert "Traceback" not in full.stderr
    assert lines and all(line.startswith("xlat: error: ") and "cannot write" in line for line in lines)
    if (out / "manifest.json").exists():
        json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not _temporaries(out)
    # with room again, a plain re-run finishes the batch
    again = subprocess.run(_command(news, out), env=_env(tmp_path / "data"), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert _files(out) == expected


_WRITER = r'''
import sys, threading, time
from pathlib import Path
from xlat.fsutil import write_bytes_atomic
threading.Thread(target=time.sleep, args=(100,), daemon=True).start()  # a second thread, as engines have
folder, data, i = Path(sys.argv[1]), b"x" * 200000, 0
print("ready", flush=True)
while True:
    write_bytes_atomic(folder / f"f{i % 50}.txt", data)
    i += 1
'''


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_during_atomic_writes_leaves_no_temporary_file(tmp_path, how):
    import random

    rng = random.Random(7)
    for attempt in range(12):
        folder = tmp_path / f"run{attempt}"
        folder.mkdir()
        process = subprocess.Popen([sys.executable, "-c", _WRITER, str(folder)], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        assert process.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.02, 0.25))
        process.send_signal(how)
        process.wait(timeout=60)
        assert not _temporaries(folder), f"attempt {attempt}: {_temporaries(folder)}"
