"""Damaged and hostile .argosmodel files (built byte by byte from the tiny model factory's
genuine packages): one error line naming the file, nothing installed, nothing replaced."""

from __future__ import annotations

import shutil
import struct
import zipfile
from pathlib import Path

import pytest

# offsets in a zip local file header / central directory entry (APPNOTE 4.3.7, 4.3.12)
_LOCAL = {"flags": 6, "method": 8, "crc": 14, "csize": 18, "usize": 22}
_CENTRAL = {"flags": 8, "method": 10, "crc": 16, "csize": 20, "usize": 24}


def _patched(good: Path, out: Path, suffix: str, **fields) -> Path:
    """A copy of `good` whose member ending in `suffix` has these header fields (in both its
    local header and its central directory entry) set to these values; a callable value gets
    the current one."""
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith(suffix))
    name = info.filename.encode()
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 1)
    for base, offsets in ((info.header_offset, _LOCAL), (central, _CENTRAL)):
        for field, value in fields.items():
            fmt = "<H" if field in ("flags", "method") else "<I"
            at = base + offsets[field]
            current = struct.unpack_from(fmt, data, at)[0]
            struct.pack_into(fmt, data, at, value(current) if callable(value) else value)
    out.write_bytes(bytes(data))
    return out


def _rezipped(good: Path, out: Path, extra: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        top = src.infolist()[0].filename.split("/")[0]
        for name, data in extra.items():
            dst.writestr(f"{top}/{name}", data)
    return out


def _cases(tmp: Path, good: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, words its error line must contain)."""
    model = "model/model.bin"
    zeros = _rezipped(good, tmp / "zeros.argosmodel", {"padding.bin": bytes(10_000_000)})
    return {
        "bad CRC": (_patched(good, tmp / "crc.argosmodel", model, crc=lambda v: v ^ 0xFFFF),
                    "damaged member translate-en_de-1_0/model/model.bin (Bad CRC-32"),
        "declared size too small": (_patched(good, tmp / "small.argosmodel", model, usize=lambda v: v - 1000),
                                    "damaged member translate-en_de-1_0/model/model.bin"),
        "truncated member": (_patched(good, tmp / "truncated.argosmodel", model, csize=lambda v: v // 2),
                             "damaged member translate-en_de-1_0/model/model.bin"),
        "expands past its declared size": (
            _patched(zeros, tmp / "expands.argosmodel", "padding.bin", usize=1000),
            "damaged member translate-en_de-1_0/padding.bin (Bad CRC-32"),
        "declared sizes of a bomb": (
            _patched(_patched(_patched(zeros, tmp / "bomb.argosmodel", "padding.bin", usize=0xFFFFFFFF),
                              tmp / "bomb.argosmodel", model, usize=0xFFFFFFFF),
                     tmp / "bomb.argosmodel", "sentencepiece.model", usize=0xFFFFFFFF),
            "unpacks to 12.0 GiB, more than a package can be"),
        "encrypted": (_patched(good, tmp / "encrypted.argosmodel", model, flags=lambda v: v | 1),
                      "encrypted member 'translate-en_de-1_0/model/model.bin'"),
        "unknown method": (_patched(good, tmp / "deflate64.argosmodel", model, method=9),
                           "uses compression method 9, which cannot be read"),
        "damaged metadata": (_patched(good, tmp / "metadata-crc.argosmodel", "metadata.json",
                                      crc=lambda v: v ^ 1),
                             "damaged member translate-en_de-1_0/metadata.json (Bad CRC-32"),
        "huge metadata": (_patched(good, tmp / "metadata-huge.argosmodel", "metadata.json", usize=1 << 30),
                          "metadata.json is 1073741824 bytes: not package metadata"),
    }


def _nothing_installed(argos_dir: Path) -> None:
    assert not argos_dir.exists() or list(argos_dir.iterdir()) == []
    staging = argos_dir.parent / f".{argos_dir.name}.xlat-staging"
    assert not staging.exists() or list(staging.iterdir()) == []


def test_damaged_packages_are_one_line_and_install_nothing(xlat, argos_dir, argos_files, tmp_path):
    for problem, (path, words) in _cases(tmp_path, argos_files["en-de"]).items():
        result = xlat("models", "install", str(path))
        assert result.code == 1, problem
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"xlat: error: {path}: ") and words in lines[0], \
            (problem, result.stderr)
        _nothing_installed(argos_dir)


def test_a_damaged_replacement_keeps_the_installed_package(xlat, argos_dir, argos_files, tmp_path):
    assert xlat("models", "install", str(argos_files["en-de"])).code == 0
    installed = sorted(p.relative_to(argos_dir) for p in argos_dir.rglob("*"))
    damaged = _patched(argos_files["en-de"], tmp_path / "crc.argosmodel", "model/model.bin", crc=lambda v: v ^ 1)
    assert xlat("models", "install", str(damaged)).code == 1
    assert sorted(p.relative_to(argos_dir) for p in argos_dir.rglob("*")) == installed
    from xlat.translate.models import installed_packages

    assert [(p.source, p.target) for p in installed_packages()] == [("en", "de")]


def test_a_package_larger_than_the_free_space_is_refused_before_extracting(xlat, argos_dir, argos_files,
                                                                          monkeypatch):
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda path: real(path)._replace(free=1000))
    result = xlat("models", "install", str(argos_files["en-de"]))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"xlat: error: {argos_files['en-de']}: cannot install: it unpacks to ") \
        and line.endswith("MB are free"), line
    _nothing_installed(argos_dir)
