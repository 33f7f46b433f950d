"""Reading the data files shipped inside the package (src/xlat/data)."""

from __future__ import annotations

import sys
from functools import lru_cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def load_toml_text(text: str) -> dict:
    return tomllib.loads(text)


@lru_cache(maxsize=None)
def package_toml(name: str) -> dict:
    """Parse `xlat/data/<name>` (cached: the files are read-only data)."""
    return tomllib.loads((resources.files("xlat") / "data" / name).read_text(encoding="utf-8"))
