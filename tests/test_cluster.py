"""--cluster: engine batches on a real Ray cluster on 127.0.0.1 (`local:2`: started by the run,
two workers), compared with a local run. Quick: tiny Argos models, a test engine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from xlat.config import EngineSettings, TranslateSettings
from xlat.pipeline import translate_paths
from xlat.translate import engines

HERE = Path(__file__).resolve().parent
ARTICLE = ("The council met on Tuesday. It approved the budget after a long debate.\n\n"
           "The mayor said the decision was {} and necessary. Parking fees will rise.\n\n"
           "Short one.\n")


@pytest.fixture
def ray_env(monkeypatch, tmp_path):
    """Ray's workers (started by the run, with this environment) import xlat and the tests'
    engine module; no usage statistics."""
    pytest.importorskip("ray")
    import xlat

    paths = [str(Path(xlat.__file__).parent.parent), str(HERE), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in paths if p))
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    monkeypatch.setenv("XLAT_TEST_ENGINE_LOG", str(tmp_path / "engine.log"))
    return tmp_path / "engine.log"


def _articles(folder: Path, count: int) -> list[str]:
    folder.mkdir()
    paths = []
    for i in range(count):
        path = folder / f"{i:02d}.txt"
        path.write_text(ARTICLE.format(["painful", "bold", "late", "welcome", "costly"][i % 5]),
                        encoding="utf-8")
        paths.append(str(path))
    return paths


def _run(paths, out: Path, engine: str, cluster: str | None, memory: Path | None = None,
         window: int = 200, **engine_settings) -> list:
    settings = TranslateSettings(targets=("de",), source="en", engine=engine, out_dir=str(out),
                                 window=window,
                                 use_memory=memory is not None, memory=str(memory) if memory else None,
                                 cluster=cluster,
                                 engine_settings=EngineSettings(**engine_settings))
    return list(translate_paths(paths, settings))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_local_cluster_writes_the_files_a_local_run_writes(xlat, ray_env, argos_dir, argos_files,
                                                              tmp_path):
    """Argos, its batch split over two workers (a small token budget: several groups)."""
    assert xlat("models", "install", str(argos_files["en-de"])).code == 0
    paths = _articles(tmp_path / "news", 6)
    local = _run(paths, tmp_path / "local", "argos", None, max_batch_tokens=40, threads=1)
    remote = _run(paths, tmp_path / "remote", "argos", "local:2", max_batch_tokens=40, threads=1)
    assert [type(r).__name__ for r in remote] == [type(r).__name__ for r in local] == ["DocumentOutcome"] * 6
    expected, got = _files(tmp_path / "local" / "de"), _files(tmp_path / "remote" / "de")
    assert len(expected) == 12  # each copy and its XLIFF
    assert got == expected


def test_each_worker_creates_its_engine_once_and_a_dead_worker_is_replaced(ray_env, tmp_path,
                                                                           monkeypatch):
    from cluster_engines import factory

    engines.register("counted", factory)
    paths = _articles(tmp_path / "news", 6)
    _run(paths, tmp_path / "local", "counted", None, window=2)
    ray_env.unlink()
    monkeypatch.setenv("XLAT_TEST_DIE_ONCE", str(tmp_path / "died"))
    remote = _run(paths, tmp_path / "remote", "counted", "local:2", window=2)
    assert [type(r).__name__ for r in remote] == ["DocumentOutcome"] * 6, remote
    assert (tmp_path / "died").exists()  # a worker died mid-batch, and the run still completed
    assert _files(tmp_path / "remote" / "de") == _files(tmp_path / "local" / "de")
    events = [line.split() for line in ray_env.read_text().splitlines()]
    translating = {pid for event, pid in events if event == "translate"}
    constructed = [pid for event, pid in events if event == "construct"]
    assert len(translating) >= 2  # the work went to more than one worker
    assert sorted(constructed) == sorted(set(constructed))  # once per worker process
    assert translating <= set(constructed)


def test_windows_are_sent_ahead_and_a_wrong_guess_changes_nothing(ray_env, tmp_path, monkeypatch):
    """Each window's batch goes out while the window before it is written (one submission per
    window: the guess is used). With a memory, a window's sentences already translated in the
    window before come from the memory when it is finished, as in a local run: the batch sent
    ahead is not used then, and the files are the same."""
    from cluster_engines import factory
    from xlat import pipeline
    from xlat.translate import cluster

    engines.register("counted", factory)
    submitted, events = [], []
    real_submit, real_write = cluster.Pool.submit, pipeline._write
    monkeypatch.setattr(cluster.Pool, "submit", lambda self, *a, **k: (
        submitted.append(len(a[1])), events.append("send"))[0] or real_submit(self, *a, **k))
    monkeypatch.setattr(pipeline, "_write", lambda *a, **k: events.append("write") or real_write(*a, **k))
    paths = _articles(tmp_path / "news", 6)
    remote = _run(paths, tmp_path / "remote", "counted", "local:2", window=2)
    assert [type(r).__name__ for r in remote] == ["DocumentOutcome"] * 6
    assert len(submitted) == 3  # three windows, each sent once, ahead
    # window 2 goes out before window 1 is written, window 3 before window 2
    assert events == ["send", "send", "write", "write", "send", "write", "write", "write", "write"]
    local = _run(paths, tmp_path / "local", "counted", None, window=2)
    assert _files(tmp_path / "remote" / "de") == _files(tmp_path / "local" / "de")

    submitted.clear()
    _run(paths, tmp_path / "local-tm", "counted", None, memory=tmp_path / "local.sqlite", window=2)
    _run(paths, tmp_path / "remote-tm", "counted", "local:2", memory=tmp_path / "remote.sqlite", window=2)
    assert len(submitted) > 3  # later windows' guesses were wrong: the memory had sentences
    assert _files(tmp_path / "remote-tm" / "de") == _files(tmp_path / "local-tm" / "de")
    assert local


def test_a_batch_that_kills_every_worker_is_one_line_per_document(ray_env, tmp_path, monkeypatch):
    """Workers that keep dying on a batch: after the retries, each document of the window is
    one line (no hang, no traceback); the dead actors are not left holding the cluster's CPUs."""
    from cluster_engines import factory

    engines.register("counted", factory)
    monkeypatch.setenv("XLAT_TEST_DIE_ALWAYS", "1")
    paths = _articles(tmp_path / "news", 2)
    results = _run(paths, tmp_path / "remote", "counted", "local:2")
    assert [type(r).__name__ for r in results] == ["InputError"] * 2, results
    assert all("kept dying" in str(r) for r in results)


@pytest.mark.parametrize("address", ["ray://127.0.0.1:1", "127.0.0.1:1", "local:zero"])
def test_a_cluster_that_cannot_be_reached_is_one_line(xlat, ray_env, tmp_path, address):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE.format("fine"), encoding="utf-8")
    result = xlat("translate", str(article), "--to", "es", "--from", "en", "--engine", "apertium",
                  "--out", str(tmp_path / "out"), "--cluster", address)
    assert result.code != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert address in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "es").exists()


def test_without_ray_cluster_says_how_to_get_it(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE.format("fine"), encoding="utf-8")
    code = ("import sys; sys.modules['ray'] = None; from xlat.cli import main; "
            "main(['translate', sys.argv[1], '--to', 'es', '--from', 'en', '--engine', 'apertium', "
            "'--out', sys.argv[2]], prog_name='xlat')")
    env = {**os.environ, "XLAT_CLUSTER": "local:2"}
    done = subprocess.run([sys.executable, "-c", code, str(article), str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "xlat: error: --cluster needs Ray, which is not installed: pip install 'xlat[cluster]'"], done.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def two_nodes(ray_env, argos_dir):
    """A head and a second node on 127.0.0.1, one CPU each, started with `ray start --block` in
    process groups of their own (stopped by signalling those groups: nothing else is touched)."""
    import signal
    import socket
    import time

    ray_bin = str(Path(sys.executable).parent / "ray")
    port = _free_port()
    common = ["--node-ip-address=127.0.0.1", "--num-cpus=1", "--disable-usage-stats", "--block"]
    nodes = []

    sockets = Path(tempfile.mkdtemp(prefix="xlat-ray-"))  # short: a Unix socket's path is < 108 bytes

    def start(*args):
        # two nodes on one machine: every port of each named (free ones), none left to defaults,
        # and sockets of their own (both nodes share the session folder, where the object
        # store's and the raylet's sockets would otherwise have the same name)
        ports = [f"--{name}={_free_port()}" for name in (
            "node-manager-port", "object-manager-port", "metrics-export-port",
            "dashboard-agent-listen-port", "dashboard-agent-grpc-port", "runtime-env-agent-port")]
        ports += [f"--plasma-store-socket-name={sockets}/plasma{len(nodes)}",
                  f"--raylet-socket-name={sockets}/raylet{len(nodes)}"]
        nodes.append(subprocess.Popen([ray_bin, "start", *args, *ports, *common], start_new_session=True,
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))

    try:
        start("--head", f"--port={port}", "--include-dashboard=false")
        deadline = time.monotonic() + 90
        while True:  # the head's GCS answering
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the head node did not start"
                time.sleep(0.5)
        start(f"--address=127.0.0.1:{port}")
        wait = ("import sys, time, ray; ray.init(address=sys.argv[1], logging_level='ERROR', _node_ip_address='127.0.0.1'); t = time.time()\n"
                "while ray.cluster_resources().get('CPU', 0) < 2 and time.time() - t < 90: time.sleep(0.5)\n"
                "print(int(ray.cluster_resources().get('CPU', 0)))")
        done = subprocess.run([sys.executable, "-c", wait, f"127.0.0.1:{port}"], capture_output=True,
                              text=True, timeout=150)
        assert done.stdout.strip() == "2", done.stderr[-2000:]
        yield f"127.0.0.1:{port}"
    finally:
        for node in reversed(nodes):
            os.killpg(node.pid, signal.SIGTERM)
        for node in reversed(nodes):
            try:
                node.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(node.pid, signal.SIGKILL)
                node.wait(30)
        shutil.rmtree(sockets, ignore_errors=True)


def test_a_two_node_cluster_writes_the_files_a_local_run_writes(xlat, argos_files, two_nodes, tmp_path):
    assert xlat("models", "install", str(argos_files["en-de"])).code == 0
    paths = _articles(tmp_path / "news", 6)
    local = _run(paths, tmp_path / "local", "argos", None, max_batch_tokens=40, threads=1)
    assert [type(r).__name__ for r in local] == ["DocumentOutcome"] * 6
    result = xlat("translate", *paths, "--to", "de", "--from", "en", "--engine", "argos", "--no-tm",
                  "--threads", "1", "--out", str(tmp_path / "remote"), "--cluster", two_nodes)
    assert result.code == 0, result.stderr
    assert _files(tmp_path / "remote" / "de") == _files(tmp_path / "local" / "de")
    # Apertium (no groups of its own: batches of GROUP_SENTENCES), two languages at once
    paths = [str(HERE.parent / "samples" / "karabakh.en.txt")] + paths
    common = ["--to", "es,ca", "--from", "en", "--engine", "apertium", "--no-tm"]
    assert xlat("translate", *paths, *common, "--out", str(tmp_path / "ap-local")).code == 0
    result = xlat("translate", *paths, *common, "--out", str(tmp_path / "ap-remote"),
                  "--cluster", two_nodes)
    assert result.code == 0, result.stderr
    for language in ("es", "ca"):
        expected = _files(tmp_path / "ap-local" / language)
        assert expected and _files(tmp_path / "ap-remote" / language) == expected
