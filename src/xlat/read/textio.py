"""Reading input files as text: encodings, BOMs, and refusing what is not text."""

from __future__ import annotations

import codecs
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from xlat.errors import InputError

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


@dataclass(frozen=True)
class TextInput:
    path: str  # as the user named it ("-" for standard input)
    text: str
    encoding: str
    sha256: str = ""  # of the bytes as read


def decode(data: bytes, path: str) -> TextInput:
    """Decode bytes in the encodings news files come in; raise InputError for non-text."""
    decoded = _decode(data, path)
    return TextInput(decoded.path, decoded.text, decoded.encoding, hashlib.sha256(data).hexdigest())


def _decode(data: bytes, path: str) -> TextInput:
    if not data.strip():
        raise InputError(path, "empty file" if not data else "no text (only white space)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"invalid {encoding.upper()} at byte {exc.start}") from None
            return _checked(TextInput(path, text, encoding))
    if any(b in _BINARY_BYTES for b in data[:8192]):
        raise InputError(path, "binary file (not text)")
    try:
        return _checked(TextInput(path, data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    return _checked(TextInput(path, *_decode_legacy(data)))


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """cp1251 (Cyrillic) or cp1252/latin-1 (Western European) for files that are not UTF-8.

    In a Cyrillic text nearly every letter is a byte >= 0xC0 and mostly lower case (0xE0-0xFF);
    in a Western text high bytes are the occasional accented letter among ASCII ones.
    """
    high = sum(1 for b in data if b >= 0xC0)
    ascii_letters = sum(1 for b in data if 65 <= b <= 90 or 97 <= b <= 122)
    lower_cyrillic = sum(1 for b in data if b >= 0xE0)
    if high > ascii_letters and lower_cyrillic >= 0.5 * high:
        return data.decode("cp1251", errors="replace"), "cp1251"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _checked(decoded: TextInput) -> TextInput:
    text = decoded.text
    if not text.strip():
        raise InputError(decoded.path, "no text (only white space)")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\f\r\x1b")
    if controls:
        raise InputError(decoded.path, "binary file (not text)")
    return decoded


def read_input(path: str) -> TextInput:
    """Read a file (or standard input for "-") as text."""
    if path == STDIN:
        data = sys.stdin.buffer.read()
        return decode(data, "<stdin>")
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None
    return decode(data, path)

