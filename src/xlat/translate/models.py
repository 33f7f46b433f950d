"""Argos Translate packages: install (from the index or from .argosmodel files), list, remove.

Packages live where Argos keeps them ($ARGOS_PACKAGES_DIR or Argos's default), so packages
installed with `argospm` are found and xlat's are usable by Argos. Installed packages are read
by xlat itself (each folder's metadata.json, model/ and sentencepiece.model), so a plain
`pip install xlat` lists, installs from files and translates with them; argostranslate is
needed only for the online index (`xlat models install FROM TO`, `--available`) and for the
old packages tokenized with BPE (bpe.model) instead of SentencePiece. Every .argosmodel is checked
before anything is written (a zip, one folder, metadata.json, a model, a tokenizer, no paths
leaving the folder, no links), extracted into a staging folder beside the packages folder and
moved into place with a rename: an install either happens whole or not at all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable

from xlat._data import package_toml
from xlat.errors import XlatError
from xlat.fsutil import write_bytes_atomic
from xlat.i18n import _
from xlat.paths import argos_packages_dir

MAX_UNPACKED_BYTES = 8 * 1024**3
MAX_METADATA_BYTES = 1024**2
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate", zipfile.ZIP_BZIP2: "bzip2",
            zipfile.ZIP_LZMA: "lzma"}
# what reading a damaged member raises: a bad CRC or header (BadZipFile), compressed data that
# ends early (EOFError) or is not what its method makes (zlib.error, lzma/bz2 errors: OSError,
# ValueError), an encrypted member (RuntimeError), a method zipfile cannot read
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, NotImplementedError)
INDEX_TIMEOUT_S = 30
_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class PackageError(XlatError):
    """A package that cannot be installed, found or removed."""


def _to_xlat(code: str) -> str:
    table = package_toml("engines.toml")["argos"]["codes"]
    return {argos: tag for tag, argos in table.items()}.get(code, code)


def to_argos(code: str) -> str:
    return package_toml("engines.toml")["argos"]["codes"].get(code, code)


class _SentencePiece:
    def __init__(self, model: Path):
        import sentencepiece

        self.processor = sentencepiece.SentencePieceProcessor(model_file=str(model))

    def encode(self, sentences: list[str]) -> list[list[str]]:
        return self.processor.encode(sentences, out_type=str)

    def decode(self, tokens: list[str]) -> str:
        return self.processor.decode_pieces(tokens)


class _ArgosTokenizer:
    """Argos's own tokenizer (BPE packages), one sentence at a time."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def encode(self, sentences: list[str]) -> list[list[str]]:
        return [self.tokenizer.encode(s) for s in sentences]

    def decode(self, tokens: list[str]) -> str:
        return self.tokenizer.decode(tokens)


@dataclass(frozen=True)
class InstalledPackage:
    name: str
    source: str
    target: str
    version: str
    path: Path
    target_prefix: str = ""
    problem: str = ""
    """Why the argos engine cannot translate with it here (empty: it can)."""

    def tokenizer(self):
        if (self.path / "sentencepiece.model").exists():
            return _SentencePiece(self.path / "sentencepiece.model")
        return _ArgosTokenizer(_argos_package_module().Package(self.path).tokenizer)

    def to_json(self) -> dict:
        return {"engine": "argos", "from": self.source, "to": self.target, "version": self.version,
                "package": self.name, "path": str(self.path), "usable": not self.problem,
                "problem": self.problem}


@dataclass(frozen=True)
class AvailablePackage:
    source: str
    target: str
    version: str
    name: str
    links: tuple[str, ...]

    def to_json(self) -> dict:
        return {"engine": "argos", "from": self.source, "to": self.target, "version": self.version,
                "package": self.name}


def installed_packages(folder: Path | None = None) -> list[InstalledPackage]:
    """Translation packages installed in the Argos packages folder (read without argostranslate)."""
    folder = folder or argos_packages_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() and not path.name.startswith("."):
            package = read_package(path)
            if package is not None:
                found.append(package)
    return found


def read_package(path: Path) -> InstalledPackage | None:
    """The translation package in the folder `path`, as argostranslate reads it (metadata.json:
    from_code, to_code, package_version, type, target_prefix), or None when it is none (no
    metadata, not JSON, another type of package: argospm skips those too). A package whose
    files cannot be used here says why in `problem`."""
    try:
        with open(path / "metadata.json", "rb") as handle:
            raw = handle.read(MAX_METADATA_BYTES + 1)
        metadata = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate":
        return None
    source, target = metadata.get("from_code"), metadata.get("to_code")
    if not all(isinstance(code, str) and _CODE.match(code) for code in (source, target)):
        return None
    prefix = metadata.get("target_prefix") or ""
    return InstalledPackage(
        name=path.name, source=_to_xlat(source), target=_to_xlat(target),
        version=str(metadata.get("package_version") or ""), path=path,
        target_prefix=prefix if isinstance(prefix, str) else "", problem=_unusable(path))


def _unusable(path: Path) -> str:
    """Why the package in `path` cannot translate here (empty: it can)."""
    if not (path / "model" / "model.bin").is_file():
        return _("no model/model.bin (CTranslate2 model) in {path}").format(path=path)
    if (path / "sentencepiece.model").is_file():
        return ""
    if not (path / "bpe.model").is_file():
        return _("no sentencepiece.model or bpe.model (tokenizer) in {path}").format(path=path)
    try:
        _argos_package_module()
    except PackageError:
        return _("its BPE tokenizer (bpe.model) needs argostranslate: {command}").format(command=PIP_ARGOS)
    return ""


PIP_ARGOS = "pip install --no-deps 'argostranslate>=1.9,<2'"
"""argostranslate without its dependencies (stanza, spacy, torch: xlat uses none of them)."""


def _argos_package_module():
    try:
        import argostranslate.package
    except ImportError:
        raise PackageError(_("this needs argostranslate, which is not installed: {command}").format(
            command=PIP_ARGOS)) from None
    return argostranslate.package


# -- checking a .argosmodel ---------------------------------------------------------------------
@dataclass(frozen=True)
class PackageFile:
    path: Path
    folder: str
    source: str
    target: str
    version: str


def inspect(path: Path) -> PackageFile:
    """Check an .argosmodel without extracting it; PackageError says what is wrong."""
    label = str(path)
    if not path.is_file():
        raise PackageError(f"{label}: no such file")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{label}: not an Argos package (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            folder = _check_members(label, members)
            names = {m.filename.rstrip("/") for m in members}
            try:
                info = archive.getinfo(f"{folder}/metadata.json")
            except KeyError:
                raise PackageError(f"{label}: not an Argos package (no {folder}/metadata.json)") from None
            if info.file_size > MAX_METADATA_BYTES:
                raise PackageError(f"{label}: metadata.json is {info.file_size} bytes: not package metadata")
            try:
                with archive.open(info) as stream:
                    raw = stream.read(MAX_METADATA_BYTES + 1)
            except _DAMAGED as exc:
                raise PackageError(f"{label}: damaged member {info.filename} ({_reason(exc)})") from None
            try:
                metadata = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
                raise PackageError(f"{label}: metadata.json is not valid JSON ({exc})") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise PackageError(f"{label}: damaged zip archive ({_reason(exc)})") from None
    if not isinstance(metadata, dict):
        raise PackageError(f"{label}: metadata.json is not a JSON object")
    if metadata.get("type", "translate") != "translate":
        raise PackageError(f"{label}: a {metadata.get('type')!r} package, not a translation package")
    source, target = metadata.get("from_code"), metadata.get("to_code")
    for key, value in (("from_code", source), ("to_code", target)):
        if not isinstance(value, str) or not _CODE.match(value):
            raise PackageError(f"{label}: metadata.json has no valid {key!r}")
    if f"{folder}/model/model.bin" not in names:
        raise PackageError(f"{label}: wrong structure: no {folder}/model/model.bin (CTranslate2 model)")
    if f"{folder}/sentencepiece.model" not in names and f"{folder}/bpe.model" not in names:
        raise PackageError(f"{label}: wrong structure: no sentencepiece.model or bpe.model")
    return PackageFile(path, folder, _to_xlat(source), _to_xlat(target),
                       str(metadata.get("package_version", "")))


def _check_members(label: str, members: list[zipfile.ZipInfo]) -> str:
    if not members:
        raise PackageError(f"{label}: empty archive")
    tops = set()
    total = 0
    for member in members:
        name = member.filename
        pure = PurePosixPath(name)
        if name.startswith(("/", "\\")) or "\\" in name or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
            raise PackageError(f"{label}: unsafe member path {name!r} (leaves the package folder)")
        if member.flag_bits & 0x1:
            raise PackageError(f"{label}: encrypted member {name!r}: not an Argos package")
        if member.compress_type not in _METHODS:
            raise PackageError(f"{label}: member {name!r} uses compression method "
                               f"{member.compress_type}, which cannot be read")
        kind = stat.S_IFMT(member.external_attr >> 16)
        if kind == stat.S_IFLNK:
            raise PackageError(f"{label}: contains a symbolic link ({name!r})")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise PackageError(f"{label}: contains a special file ({name!r})")
        total += member.file_size
        tops.add(pure.parts[0])
    if total > MAX_UNPACKED_BYTES:
        raise PackageError(f"{label}: unpacks to {total / 1024**3:.1f} GiB, more than a package can be")
    if len(tops) != 1:
        raise PackageError(f"{label}: wrong structure: expected one top folder, found {len(tops)}")
    (folder,) = tops
    if not _FOLDER.match(folder) or not any(m.filename.startswith(folder + "/") for m in members):
        raise PackageError(f"{label}: wrong structure: {folder!r} is not a package folder")
    return folder


# -- installing and removing ------------------------------------------------------------------
def _staging(packages: Path) -> Path:
    """A folder beside the packages folder (same file system, so renames are atomic), where
    argostranslate never looks for packages."""
    staging = packages.parent / f".{packages.name}.xlat-staging"
    staging.mkdir(parents=True, exist_ok=True)
    return staging


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(exc).__name__


def _extract(path: Path, staging: Path) -> None:
    """Every member into `staging`, each checked against its CRC (zipfile does, at its end);
    a member no larger than its declared size (zipfile stops there)."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        needed = sum(m.file_size for m in members)
        free = shutil.disk_usage(staging).free
        if needed > free:
            raise PackageError(f"{path}: cannot install: it unpacks to {needed / 1024**2:.0f} MB and "
                               f"{free / 1024**2:.0f} MB are free")
        for member in members:
            destination = staging / member.filename
            if member.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(member) as src, open(destination, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
            except OSError as exc:
                if exc.filename:  # writing the file: the disk, not the archive
                    raise
                raise PackageError(f"{path}: damaged member {member.filename} ({_reason(exc)})") from None
            except _DAMAGED as exc:
                raise PackageError(f"{path}: damaged member {member.filename} ({_reason(exc)})") from None


def install_file(path: Path) -> tuple[InstalledPackage, list[InstalledPackage]]:
    """Install one .argosmodel; returns the new package and the ones it replaced (same pair).

    Extracted into a staging folder; the packages it replaces are moved aside, the new one
    renamed into place (the old ones come back if that fails), then the old ones deleted."""
    info = inspect(path)
    packages = argos_packages_dir()
    staging = None
    try:
        packages.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="install-", dir=_staging(packages)))
        _extract(path, staging)
        if read_package(staging / info.folder) is None:
            raise PackageError(f"{path}: not a translation package (its metadata.json cannot be read)")
        replaced = [p for p in installed_packages(packages)
                    if (p.source, p.target) == (info.source, info.target) or p.name == info.folder]
        final = packages / info.folder
        aside = staging / ".replaced"
        aside.mkdir()
        moved = []
        try:
            for old in replaced:
                os.replace(old.path, aside / old.path.name)
                moved.append(old)
            os.replace(staging / info.folder, final)
        except OSError:
            for old in moved:
                os.replace(aside / old.path.name, old.path)
            raise
    except OSError as exc:
        raise PackageError(f"{path}: cannot install: {_reason(exc)}") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    installed = next((p for p in installed_packages(packages) if p.path == final), None)
    if installed is None:  # (checked above; only another program could get here)
        raise PackageError(f"{path}: installed in {final}, but it cannot be read there")
    return installed, replaced


def install_paths(paths: Iterable[Path]) -> list[tuple[Path, InstalledPackage | PackageError, list]]:
    """Install .argosmodel files and folders of them; one result per file, errors included."""
    results = []
    for path in paths:
        files = sorted(path.glob("*.argosmodel")) if path.is_dir() else [path]
        if path.is_dir() and not files:
            results.append((path, PackageError(f"{path}: no .argosmodel files in this folder"), []))
        for file in files:
            try:
                package, replaced = install_file(file)
                results.append((file, package, replaced))
            except PackageError as exc:
                results.append((file, exc, []))
    return results


def _remove_folder(folder: Path, packages: Path) -> None:
    """Move a package folder out of sight first, then delete it: never half-removed in place."""
    trash = Path(tempfile.mkdtemp(prefix="remove-", dir=_staging(packages)))
    os.replace(folder, trash / folder.name)
    shutil.rmtree(trash, ignore_errors=True)


def remove(source: str, target: str) -> list[InstalledPackage]:
    packages = argos_packages_dir()
    found = [p for p in installed_packages(packages) if (p.source, p.target) == (source, target)]
    if not found:
        raise PackageError(f"no Argos package installed for {source} -> {target} (see: xlat models list)")
    for package in found:
        _remove_folder(package.path, packages)
    return found


# -- the online index -------------------------------------------------------------------------
def available_packages() -> list[AvailablePackage]:
    """Packages in the Argos index (downloaded now; needs the internet)."""
    import urllib.error
    import urllib.request

    try:
        _argos_package_module()
    except PackageError:
        raise PackageError(_("the Argos package index is read through argostranslate, which is not "
                             "installed: {command} (offline: xlat models install FILE.argosmodel)"
                             ).format(command=PIP_ARGOS)) from None
    from argostranslate import settings

    url = settings.remote_package_index
    try:
        with urllib.request.urlopen(url, timeout=INDEX_TIMEOUT_S) as response:
            data = response.read()
        index = json.loads(data)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PackageError(f"cannot reach the Argos package index ({url}): {reason}; offline, "
                           "install downloaded files with: xlat models install FILE.argosmodel") from None
    write_bytes_atomic(Path(settings.local_package_index), data)
    from argostranslate.package import AvailablePackage as ArgosAvailable, argospm_package_name

    found = []
    for metadata in index if isinstance(index, list) else []:
        package = ArgosAvailable(metadata)
        if package.type != "translate" or not package.from_code or not package.to_code:
            continue
        found.append(AvailablePackage(_to_xlat(package.from_code), _to_xlat(package.to_code),
                                      str(package.package_version), argospm_package_name(package),
                                      tuple(package.links)))
    return found


def install_pair(source: str, target: str) -> tuple[InstalledPackage, list[InstalledPackage]]:
    """Download the index's package for source -> target and install it."""
    import urllib.error
    import urllib.request

    candidates = [p for p in available_packages() if (p.source, p.target) == (source, target)]
    if not candidates:
        raise PackageError(f"the Argos index has no package for {source} -> {target}")
    package = candidates[0]
    staging = _staging(argos_packages_dir())
    with tempfile.TemporaryDirectory(prefix="download-", dir=staging) as folder:
        file = Path(folder) / f"{package.name}.argosmodel"
        errors = []
        for link in package.links:
            try:
                with urllib.request.urlopen(link, timeout=INDEX_TIMEOUT_S) as response, open(file, "wb") as out:
                    shutil.copyfileobj(response, out, 1024 * 1024)
                break
            except (urllib.error.URLError, OSError) as exc:
                errors.append(f"{link}: {getattr(exc, 'reason', exc)}")
        else:
            raise PackageError(f"cannot download {package.name}: " + "; ".join(errors or ["no links"]))
        return install_file(file)

