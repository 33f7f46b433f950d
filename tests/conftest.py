"""Fixtures: an isolated home for every test run, an in-process CLI runner, Argos packages."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

# Before anything imports argostranslate (whose settings read the environment once, at import,
# and create folders): a private home, and an Argos index address that cannot be reached, so
# no test can touch the user's files or the network. Messages in English whatever the locale of
# the machine running the tests (tests/test_i18n.py asks for other languages explicitly).
_HOME = Path(tempfile.mkdtemp(prefix="xlat-tests-home-"))
os.environ.update({
    "HOME": str(_HOME),
    "XDG_DATA_HOME": str(_HOME / "data"),
    "XDG_CONFIG_HOME": str(_HOME / "config"),
    "XDG_CACHE_HOME": str(_HOME / "cache"),
    "ARGOS_PACKAGES_DIR": str(_HOME / "argos-packages"),
    "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",
    "XLAT_DATA_DIR": str(_HOME / "xlat"),
    "XLAT_UI_LANG": "en",
})


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


@pytest.fixture
def xlat():
    """Run `xlat ARGS...` in-process; returns exit code, stdout and stderr separately."""
    from xlat.cli import main

    def run(*args: str, input: str | bytes | None = None) -> Result:
        result = CliRunner().invoke(main, list(args), input=input, prog_name="xlat")
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    """Each test gets its own xlat data folder (translation memory...): no test sees another's."""
    monkeypatch.setenv("XLAT_DATA_DIR", str(tmp_path / "xlat-data"))


@pytest.fixture(autouse=True)
def engine_registry():
    """Engines a test registers (its fakes) are gone after it."""
    from xlat.translate import engines

    before = dict(engines._FACTORIES)
    yield
    engines._FACTORIES.clear()
    engines._FACTORIES.update(before)


@pytest.fixture
def argos_dir(tmp_path, monkeypatch) -> Path:
    """An empty Argos packages folder of this test's own."""
    folder = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def argos_files(tmp_path_factory) -> dict[str, Path]:
    """Genuine .argosmodel files (random weights), built once: en->de, fr->en, en->it (with a
    target prefix token, as multilingual packages have)."""
    from argos_factory import build_package, train_sentencepiece

    folder = tmp_path_factory.mktemp("argosmodels")
    sp_model = train_sentencepiece(user_symbols=["__it__"])
    return {
        "en-de": build_package(folder, "en", "de", seed=1, sentencepiece_model=sp_model),
        "fr-en": build_package(folder, "fr", "en", seed=2, sentencepiece_model=sp_model),
        "en-it": build_package(folder, "en", "it", seed=3, sentencepiece_model=sp_model,
                               target_prefix="__it__"),
    }
