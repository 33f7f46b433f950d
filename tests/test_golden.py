"""Golden files: each format translated by a small deterministic engine (upper case), compared
with the expected copy in tests/data/golden. Regenerate after a deliberate change with
XLAT_UPDATE_GOLDEN=1 and review the diff."""

from __future__ import annotations

import os

import pytest

from helpers import DATA, copy_of
from test_pipeline_units import Shouter, _router
from xlat.config import TranslateSettings
from xlat.pipeline import translate_paths

SOURCES = sorted((DATA / "formats").iterdir())


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_golden(path, tmp_path):
    engine = Shouter({("en", "de")})
    settings = TranslateSettings(targets=("de",), source="en", out_dir=str(tmp_path))
    list(translate_paths([str(path)], settings, router=_router(engine)))
    output = copy_of(tmp_path, "de", path).read_text(encoding="utf-8")
    golden = DATA / "golden" / f"{path.stem}.de{path.suffix}"
    if os.environ.get("XLAT_UPDATE_GOLDEN"):
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")
