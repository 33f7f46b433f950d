"""Build hook (pyproject.toml [tool.hatch.build.hooks.custom]): compile every message catalog
locales/<lang>/LC_MESSAGES/<domain>.po into its .mo beside it whenever a wheel is built, for
`pip install .` (the wheel carries locales/ as xlat/_locales) and `pip install -e .` (xlat
reads the source tree's locales/). The .mo files are build outputs: not committed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogs(locales: Path) -> list[Path]:
    """Compile each .po below `locales` (fuzzy entries left out); return the .mo paths."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(locales.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        mo = po.with_suffix(".mo")
        fd, tmp = tempfile.mkstemp(dir=po.parent, prefix=".", suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                write_mo(out, catalog, use_fuzzy=False)
            os.replace(tmp, mo)
        except BaseException:
            os.unlink(tmp)
            raise
        written.append(mo)
    return written


class CompileCatalogs(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name == "wheel":
            compile_catalogs(Path(self.root) / "locales")
