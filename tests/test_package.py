"""The package as a user gets it: no side effects on import, the installed command works."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import SAMPLES


def test_import_has_no_side_effects(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_CONFIG_HOME=str(home / "config"))
    code = ("import sys, xlat; "
            "heavy = [m for m in ('numpy', 'langdetect', 'babel', 'click', 'argostranslate') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]
    assert list(home.iterdir()) == []


def _installed_xlat() -> str:
    beside = Path(sys.executable).with_name("xlat")
    found = str(beside) if beside.exists() else shutil.which("xlat")
    if not found:
        pytest.fail("the `xlat` command is not installed; run scripts/install.sh")
    return found


@pytest.mark.installed
def test_installed_entry_point():
    out = subprocess.run([_installed_xlat(), "detect", "--json", str(SAMPLES / "metro.fr.html")],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out)["language"] == "fr"


@pytest.mark.installed
def test_installed_entry_point_exit_codes(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    failed = subprocess.run([_installed_xlat(), "detect", str(empty)], capture_output=True, text=True)
    assert failed.returncode == 1
    assert failed.stderr.strip() == f"xlat: error: {empty}: empty file"
    usage = subprocess.run([_installed_xlat(), "detect", "--no-such-option"], capture_output=True, text=True)
    assert usage.returncode == 2


def test_python_dash_m():
    out = subprocess.run([sys.executable, "-m", "xlat", "--help"], capture_output=True, text=True, check=True)
    assert "detect" in out.stdout
