"""Reading input files as text: encodings, BOMs, and refusing what is not text."""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import stat
import sys
from dataclasses import dataclass

from xlat.errors import InputError
from xlat.i18n import _

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in text (everything below 0x20 except \t \n \f \r, ESC).
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
STDIN = "-"


AUTO = "auto"
LEGACY = ("cp1252", "cp1251")
"""What --encoding auto may fall back to: only for a file that is not UTF-8 and fits one."""


@dataclass(frozen=True)
class TextInput:
    path: str  # as the user named it ("-" for standard input)
    text: str
    encoding: str
    sha256: str = ""  # of the bytes as read
    guessed: bool = False
    """The encoding is xlat's guess (--encoding auto on a file that is not UTF-8)."""

    @property
    def warnings(self) -> list[str]:
        """One-line warnings about how the file was read (a guessed encoding)."""
        if not self.guessed:
            return []
        return [f"{self.path}: not UTF-8; read as {self.encoding}, a guess "
                f"(give --encoding ENC if it is another)"]


def check_encoding(encoding: str | None) -> str | None:
    """`encoding` as given to --encoding (None: UTF-8), or InputError if Python has no such codec."""
    if encoding in (None, "", AUTO):
        return encoding or None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError("--encoding", _("unknown encoding {name}").format(name=repr(encoding))) from None


def decode(data: bytes, path: str, encoding: str | None = None) -> TextInput:
    """Decode bytes as UTF-8 (a BOM says UTF-8, UTF-16 or UTF-32), as `encoding` when given,
    or with "auto" as UTF-8 or else a legacy encoding the whole file fits (cp1252, cp1251);
    raise InputError for what is not text in that encoding."""
    decoded = _decode(data, path, check_encoding(encoding))
    return TextInput(decoded.path, decoded.text, decoded.encoding, hashlib.sha256(data).hexdigest(),
                     decoded.guessed)


def _decode(data: bytes, path: str, encoding: str | None) -> TextInput:
    if not data.strip():
        raise InputError(path, _("empty file") if not data else _("no text (only white space)"))
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(bom_encoding)
            except UnicodeDecodeError as exc:
                raise InputError(path, _("invalid {encoding} at byte {offset}").format(
                    encoding=bom_encoding.upper(), offset=exc.start)) from None
            return _checked(TextInput(path, text, bom_encoding))
    if encoding not in (None, AUTO):
        try:
            return _checked(TextInput(path, data.decode(encoding), encoding))
        except UnicodeDecodeError as exc:
            raise InputError(path, _("not valid {encoding} at byte {offset}").format(
                encoding=encoding, offset=exc.start)) from None
    if b"\x00" in data or any(b in _BINARY_BYTES for b in data[:8192]):
        raise InputError(path, _("binary file (not text)"))
    try:
        return _checked(TextInput(path, data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as exc:
        offset, legacy = exc.start, _legacy_guess(data)
        if encoding == AUTO and legacy:
            return _checked(TextInput(path, data.decode(legacy), legacy, guessed=True))
    hint = _("use --encoding {encoding} if that is its encoding").format(encoding=legacy) if legacy \
        else _("it fits neither cp1252 nor cp1251: give its encoding with --encoding ENC")
    raise InputError(path, _("not valid {encoding} at byte {offset}").format(
        encoding="UTF-8", offset=offset) + "; " + hint)


def _legacy_guess(data: bytes) -> str | None:
    """cp1251 (Cyrillic) or cp1252 (Western European) for a file that is not UTF-8, when the
    whole file fits it (None: neither).

    In a Cyrillic text nearly every letter is a byte >= 0xC0 and mostly lower case (0xE0-0xFF);
    in a Western text high bytes are the occasional accented letter among ASCII ones.
    """
    high = sum(1 for b in data if b >= 0xC0)
    ascii_letters = sum(1 for b in data if 65 <= b <= 90 or 97 <= b <= 122)
    lower_cyrillic = sum(1 for b in data if b >= 0xE0)
    cyrillic = high > ascii_letters and lower_cyrillic >= 0.5 * high
    for legacy in (("cp1251", "cp1252") if cyrillic else ("cp1252",)):
        try:
            data.decode(legacy)
        except UnicodeDecodeError:
            continue
        return legacy
    return None


def _checked(decoded: TextInput) -> TextInput:
    text = decoded.text
    if not text.strip():
        raise InputError(decoded.path, _("no text (only white space)"))
    # NUL anywhere, or other control characters near the start: not text
    controls = "\x00" in text or any(ord(ch) < 32 and ch not in "\t\n\f\r\x1b" for ch in text[:8192])
    if controls:
        raise InputError(decoded.path, _("binary file (not text)"))
    return decoded


def read_input(path: str, encoding: str | None = None, *, nofollow: bool = False,
               regular_only: bool = True, label: str | None = None,
               format_name: str | None = None) -> TextInput:
    """Read a file (or standard input for "-") as text (`encoding`: as for decode).

    The file is opened without blocking and checked as opened (not as it was when listed):
    a FIFO, device or socket is refused (`regular_only`), a symbolic link too with `nofollow`
    (inputs are resolved when listed: one swapped in since is not followed). `label` names the
    file in errors (default: `path`). A Word or OpenDocument package (`format_name`, or the
    suffix of `label`) is read as a package, never decoded: its text is the package's text
    form (xlat.formats.office)."""
    label = label or path
    if path == STDIN:
        data = sys.stdin.buffer.read()
        return decode(data, "<stdin>", encoding)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (os.O_NOFOLLOW if nofollow else 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise InputError(label, _("is a directory")) from None
    except FileNotFoundError:
        raise InputError(label, _("no such file")) from None
    except PermissionError:
        raise InputError(label, _("permission denied")) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(label, _("became a symbolic link since it was listed; not followed")) from None
        raise InputError(label, exc.strerror or str(exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(label, _("is a directory"))
        if regular_only and not stat.S_ISREG(mode):
            raise InputError(label, _("is not a regular file (a FIFO, device or socket); not read"))
        if not stat.S_ISREG(mode):
            os.set_blocking(fd, True)  # a pipe the user named (typeset <(...)): read it whole
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            data = handle.read()
    except OSError as exc:
        raise InputError(label, exc.strerror or str(exc)) from None
    finally:
        if fd >= 0:
            os.close(fd)
    from xlat.formats import PACKAGES, format_for, read_package

    format_name = format_name or format_for(label)
    if format_name in PACKAGES:
        if not data:
            raise InputError(label, "empty file")
        # (its XML parts are UTF-8: read_package refuses any other)
        return TextInput(label, read_package(data, label, format_name), "utf-8",
                         hashlib.sha256(data).hexdigest())
    return decode(data, label, encoding)

