"""The Argos engine and package management, with genuine packages built by the tests."""

from __future__ import annotations

import json
import socket
import zipfile
from pathlib import Path

import pytest

from helpers import DATA, assert_same_structure, copy_of

from xlat.config import EngineSettings
from xlat.translate.engines.argos import ArgosEngine
from xlat.translate.models import installed_packages

TEXT = ("The city council approved a new budget on Tuesday. The opposition criticised it.\n\n"
        "Residents reported explosions near the city.\n")


def _listing(xlat) -> list[dict]:
    result = xlat("models", "list", "--json")
    assert result.code == 0, result.stderr
    return [m for m in json.loads(result.stdout)["installed"] if m["engine"] == "argos"]


def test_install_list_translate_remove(xlat, argos_dir, argos_files, tmp_path):
    result = xlat("models", "install", str(argos_files["en-de"]))
    assert result.code == 0, result.stderr
    assert "installed en -> de" in result.stdout
    assert [(m["from"], m["to"]) for m in _listing(xlat)] == [("en", "de")]

    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(article), "--to", "de", "--engine", "argos", "--out", str(out), "--json")
    assert result.code == 0, result.stderr
    (doc,) = result.json_lines()
    assert doc["targets"]["de"]["engine"].startswith("argos:translate-en_de-1_0@1.0")
    german = (out / "de" / "article.txt").read_text(encoding="utf-8")
    # nonsense words, but the structure is the source's: two paragraphs, a blank line between
    assert german.count("\n\n") == 1 and german.endswith("\n") and german.strip()
    assert german != TEXT

    result = xlat("models", "remove", "en", "de")
    assert result.code == 0 and "removed en -> de" in result.stdout
    assert _listing(xlat) == []
    assert list(argos_dir.iterdir()) == []


def test_install_a_folder_and_replace(xlat, argos_dir, argos_files):
    folder = argos_files["en-de"].parent
    result = xlat("models", "install", str(folder))
    assert result.code == 0, result.stderr
    assert sorted((m["from"], m["to"]) for m in _listing(xlat)) == [("en", "de"), ("en", "it"), ("fr", "en")]
    again = xlat("models", "install", str(argos_files["en-de"]))
    assert "replaced translate-en_de-1_0" in again.stdout
    assert len(_listing(xlat)) == 3


def test_packages_installed_by_argospm_are_found(argos_dir, argos_files):
    """argospm extracts the zip into ARGOS_PACKAGES_DIR: xlat reads the same folder."""
    argos_dir.mkdir()
    with zipfile.ZipFile(argos_files["fr-en"]) as archive:
        archive.extractall(argos_dir)
    assert [(p.source, p.target) for p in installed_packages()] == [("fr", "en")]


def _corrupt(tmp_path: Path, good: Path) -> dict[str, Path]:
    def rezip(name, edit):
        path = tmp_path / f"{name}.argosmodel"
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
            for info in src.infolist():
                data = src.read(info)
                for new_info, new_data in edit(info, data):
                    dst.writestr(new_info, new_data)
        return path

    def drop(suffix):
        return lambda info, data: [] if info.filename.endswith(suffix) else [(info, data)]

    def symlink(info, data):
        yield info, data
        if info.filename.endswith("README.md"):
            link = zipfile.ZipInfo(info.filename.replace("README.md", "evil"))
            link.external_attr = (0o120777 << 16)
            yield link, "/etc/passwd"

    def escape(info, data):
        yield info, data
        if info.filename.endswith("README.md"):
            yield zipfile.ZipInfo(info.filename.split("/")[0] + "/../../escaped.txt"), b"x"

    def absolute(info, data):
        yield info, data
        if info.filename.endswith("README.md"):
            yield zipfile.ZipInfo("/tmp/xlat-absolute.txt"), b"x"

    def two_tops(info, data):
        yield info, data
        if info.filename.endswith("README.md"):
            yield zipfile.ZipInfo("other/README.md"), b"x"

    def bad_json(info, data):
        yield info, (b"{not json" if info.filename.endswith("metadata.json") else data)

    not_zip = tmp_path / "not-a-zip.argosmodel"
    not_zip.write_bytes(b"this is not a zip archive at all")
    return {
        "not a zip archive": not_zip,
        "no translate-en_de-1_0/metadata.json": rezip("no-metadata", drop("metadata.json")),
        "metadata.json is not valid JSON": rezip("bad-json", bad_json),
        "no translate-en_de-1_0/model/model.bin": rezip("no-model", drop("model.bin")),
        "no sentencepiece.model or bpe.model": rezip("no-tokenizer", drop("sentencepiece.model")),
        "symbolic link": rezip("symlink", symlink),
        "leaves the package folder": rezip("escape", escape),
        "unsafe member path '/tmp/xlat-absolute.txt'": rezip("absolute", absolute),
        "expected one top folder, found 2": rezip("two-tops", two_tops),
    }


def test_corrupt_packages_are_refused_and_nothing_is_installed(xlat, argos_dir, argos_files, tmp_path):
    cases = _corrupt(tmp_path, argos_files["en-de"])
    for problem, path in cases.items():
        result = xlat("models", "install", str(path))
        assert result.code == 1, problem
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"xlat: error: {path}: ") and problem in line, (problem, line)
    assert not argos_dir.exists() or list(argos_dir.iterdir()) == []
    staging = argos_dir.parent / f".{argos_dir.name}.xlat-staging"
    assert not staging.exists() or list(staging.iterdir()) == []
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_one_bad_file_does_not_stop_the_others(xlat, argos_dir, argos_files, tmp_path):
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"junk")
    result = xlat("models", "install", str(bad), str(argos_files["fr-en"]))
    assert result.code == 1
    assert [(m["from"], m["to"]) for m in _listing(xlat)] == [("fr", "en")]


def test_index_offline_is_a_clear_error(xlat, argos_dir):
    result = xlat("models", "install", "en", "de")
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert "cannot reach the Argos package index" in line and "FILE.argosmodel" in line
    result = xlat("models", "list", "--available")
    assert result.code == 1 and "cannot reach the Argos package index" in result.stderr


@pytest.mark.parametrize("args,message", [
    (("models", "install", "en", "xx"), "unknown language 'xx'"),
    (("models", "remove", "english", "de"), "did you mean en (English)?"),
])
def test_unknown_codes_get_suggestions(xlat, argos_dir, args, message):
    result = xlat(*args)
    assert result.code == 2 and message in result.stderr


def test_remove_missing_pair(xlat, argos_dir):
    result = xlat("models", "remove", "en", "de")
    assert result.code == 1 and "no Argos package installed for en -> de" in result.stderr


def test_target_prefix_and_length_bound(argos_dir, argos_files):
    """The package's target prefix is forced and removed; output is bounded by the source."""
    import ctranslate2

    from xlat.translate.models import install_file

    package, _ = install_file(argos_files["en-it"])
    settings = EngineSettings(compute_type="float32", beam_size=1, length_ratio=1.5, length_margin=3)
    engine = ArgosEngine(settings)
    sentence = "The council met on Tuesday."
    (ours,) = engine.translate_batch([sentence], "en", "it")
    tokenizer = package.tokenizer()
    tokens = tokenizer.encode([sentence])[0]
    bound = int(1.5 * len(tokens) + 0.999) + 3
    raw = ctranslate2.Translator(str(package.path / "model"), compute_type="float32").translate_batch(
        [tokens], target_prefix=[["__it__"]], beam_size=1, max_decoding_length=bound + 1)
    hypothesis = raw[0].hypotheses[0]
    assert hypothesis[0] == "__it__"
    assert ours.text == tokenizer.decode(hypothesis[1:][:bound])
    assert "__it__" not in ours.text
    assert len(tokenizer.encode([ours.text])[0]) <= bound + 2


def test_pivot_through_english(xlat, argos_dir, argos_files, tmp_path):
    for name in ("fr-en", "en-de", "en-it"):
        assert xlat("models", "install", str(argos_files[name])).code == 0
    article = tmp_path / "article.txt"
    article.write_text("Le conseil municipal a adopté mardi un nouveau budget après un long débat.\n",
                       encoding="utf-8")
    result = xlat("translate", str(article), "--to", "de,it", "--out", str(tmp_path / "out"), "--json")
    assert result.code == 0, result.stderr
    (doc,) = result.json_lines()
    assert doc["language"] == "fr"
    for target in ("de", "it"):
        hops = doc["targets"][target]["engine"].split(" > ")
        assert [h.split("@")[0] for h in hops] == ["argos:translate-fr_en-1_0", f"argos:translate-en_{target}-1_0"]


def test_a_translate_run_never_opens_a_connection(xlat, argos_dir, argos_files, tmp_path, monkeypatch):
    assert xlat("models", "install", str(argos_files["en-de"])).code == 0

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    result = xlat("translate", str(article), "--to", "de,es", "--out", str(tmp_path / "out"))
    assert result.code == 0, result.stderr
    assert (tmp_path / "out" / "de" / "article.txt").exists()
    assert (tmp_path / "out" / "es" / "article.txt").exists()


FORMATS = sorted((DATA / "formats").iterdir())


@pytest.mark.parametrize("path", FORMATS, ids=[p.name for p in FORMATS])
def test_nonsense_model_keeps_the_structure(xlat, argos_dir, argos_files, tmp_path, path):
    """A genuine model with random weights: its output is nonsense, the structure is not."""
    assert xlat("models", "install", str(argos_files["en-de"])).code == 0
    result = xlat("translate", str(path), "--from", "en", "--to", "de", "--engine", "argos",
                  "--out", str(tmp_path / "out"), "--json")
    assert result.code == 0, result.stderr
    (doc,) = result.json_lines()
    assert doc["targets"]["de"]["repairs"]  # the model drops placeholders: repaired, recorded
    assert_same_structure(path, copy_of(tmp_path / "out", "de", path))
