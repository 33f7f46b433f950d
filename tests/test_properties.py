"""Property-based: generated articles (txt, md, html; nested quotations, numbers, links,
e-mail addresses, emphasis, a text's own < and &) through every engine — an identity engine,
a hostile one, the tiny Argos model and every installed Apertium pair — come out intact by the
test's own checks (helpers.assert_intact), and xlat's gate agrees (status needs-review).

The engines here are the real ones, except the two small fakes whose point is to be extreme.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from docgen import EMAILS, HANDLES, NUMBERS, SUFFIX, URLS, VOCABULARY, document
from helpers import QUOTE_MARKS, assert_intact, copy_of
from xlat.translate import engines
from xlat.config import TranslateSettings
from xlat.translate.engines.base import Translation
from xlat.errors import XlatError
from xlat.pipeline import translate_paths

ATOMS = NUMBERS + URLS + EMAILS + HANDLES
FORMATS = ("text", "markdown", "html")
HAS_APERTIUM = shutil.which("apertium") is not None
EXAMPLES = settings(max_examples=12, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


class Identity:
    name = "identity"

    def pairs(self):
        langs = ("en", "fr", "de", "es", "ca")
        return {(s, t) for s in langs for t in langs if s != t}

    def translate_batch(self, sentences, source, target):
        return [Translation(s) for s in sentences]

    def signature(self, source, target):
        return self.name


class Hostile(Identity):
    """Drops and duplicates placeholders, invents quotation marks, reverses the words."""

    name = "hostile"

    def translate_batch(self, sentences, source, target):
        out = []
        for s in sentences:
            ids = re.findall(r"⟦\d+⟧", s)
            s = re.sub(r"⟦\d+⟧", "", s)
            words = s.split()[::-1] + ids[:1] * 2  # one placeholder twice, the others gone
            out.append(Translation('"' + " ".join(words) + ' »'))
        return out


@pytest.fixture(scope="module", autouse=True)
def fake_engines():
    engines.register("identity", lambda settings: Identity())
    engines.register("hostile", lambda settings: Hostile())
    yield
    engines.unregister("identity")
    engines.unregister("hostile")


def _translate(folder: Path, text: str, fmt: str, engine: str, source: str, target: str,
               **options) -> tuple[Path, Path, dict]:
    path = folder / f"article{SUFFIX[fmt]}"
    path.write_text(text, encoding="utf-8")
    run = TranslateSettings(targets=(target,), source=source, engine=engine,
                            out_dir=str(folder / "out"), use_memory=False, **options)
    results = list(translate_paths([str(path)], run))
    errors = [str(r) for r in results if isinstance(r, XlatError)]
    manifest = json.loads((folder / "out" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["documents"][0]["targets"][target]
    return path, copy_of(folder / "out", target, path), {**entry, "errors": errors}


def _check(text, fmt, engine, source, target):
    with tempfile.TemporaryDirectory(prefix="xlat-prop-") as folder:
        path, output, entry = _translate(Path(folder), text, fmt, engine, source, target)
        assert_intact(path, output, ATOMS)
        assert entry["status"] == "needs-review", entry["integrity"]
        assert not entry["errors"], entry["errors"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("engine", ["identity", "hostile"])
@EXAMPLES
@given(data=st.data())
def test_fake_engines_keep_every_invariant(engine, fmt, data):
    text = data.draw(document(fmt, "en"))
    _check(text, fmt, engine, "en", "de")


def _apertium_pairs() -> list[tuple[str, str]]:
    """Every installed Apertium pair between languages the generator writes."""
    if not HAS_APERTIUM:
        return []
    from xlat.translate.engines.apertium import ApertiumEngine

    return sorted(p for p in ApertiumEngine().pairs() if p[0] in VOCABULARY and p[1] in QUOTE_MARKS)


@pytest.mark.skipif(not HAS_APERTIUM, reason="apertium is not installed")
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("source,target", _apertium_pairs() or [("en", "es")])
@EXAMPLES
@given(data=st.data())
def test_apertium_keeps_every_invariant(source, target, fmt, data):
    text = data.draw(document(fmt, source))
    _check(text, fmt, "apertium", source, target)


@pytest.fixture(scope="module")
def tiny_argos(tmp_path_factory):
    """The en->de test package installed in a folder of this module's own."""
    import os

    from argos_factory import build_package, train_sentencepiece
    from xlat.translate.models import install_file

    folder = tmp_path_factory.mktemp("argos-props")
    previous = os.environ.get("ARGOS_PACKAGES_DIR")
    os.environ["ARGOS_PACKAGES_DIR"] = str(folder / "packages")
    install_file(build_package(folder, "en", "de", seed=5, sentencepiece_model=train_sentencepiece()))
    yield
    if previous is None:
        os.environ.pop("ARGOS_PACKAGES_DIR")
    else:
        os.environ["ARGOS_PACKAGES_DIR"] = previous


@pytest.mark.parametrize("fmt", FORMATS)
@EXAMPLES
@given(data=st.data())
def test_tiny_argos_model_keeps_every_invariant(tiny_argos, fmt, data):
    text = data.draw(document(fmt, "en"))
    _check(text, fmt, "argos", "en", "de")
