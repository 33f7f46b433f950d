"""Writing files atomically: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part.

    Ctrl-C (SIGINT) and SIGTERM wait until the file is written or given up, so an interrupted
    run leaves no temporary file behind; kill -9 can leave a hidden `.NAME.XXXXXXXX.tmp`, which
    the next run in the output folder removes (outdir.OutputFolder.lock). (Unnamed O_TMPFILE
    files would avoid even that, but linking them is refused on some kernels and sandboxes.)"""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _signals_deferred():
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            os.fchmod(fd, 0o666 & ~_umask())  # as any file the user creates (mkstemp makes it 0600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


@contextmanager
def open_atomic(path: Path):
    """A binary file to write in pieces that appears at `path` whole, when the block ends
    without an exception (nothing of it appears otherwise). For files too big to build in
    memory; only the rename waits for Ctrl-C."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as out:
            yield out
        with _signals_deferred():
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _signals_deferred():
    """SIGINT and SIGTERM held while the block runs, then delivered as they would have been.
    A Python-level handler (not a thread's signal mask: the kernel hands a signal to any
    thread that does not block it, and Python raises it in the main thread all the same)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {number: signal.signal(number, lambda n, frame: caught.append(n)) for number in _DEFERRED}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        for number in dict.fromkeys(caught):
            handler = previous[number]
            if callable(handler):
                handler(number, None)  # Python's SIGINT handler: KeyboardInterrupt, here
            elif handler in (signal.SIG_DFL, None):
                os.kill(os.getpid(), number)  # SIGTERM's default: end the process, now


_DEFERRED = {signal.SIGINT, signal.SIGTERM}


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it: put it straight back
    os.umask(mask)
    return mask


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes_atomic(path, text.encode(encoding))
