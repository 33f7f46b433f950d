"""The output folder (--out): one run at a time, files only inside it, no leftovers.

- `OutputFolder.lock()` takes an exclusive lock (`.xlat.lock`, flock: released by the kernel
  when a run dies, even by kill -9); a second run into the same folder is one clear line.
- `inside(path)` is the path to write, refused when a component below the folder is a
  symbolic link (or not a folder) or the file itself is a link or not a regular file: xlat
  never writes outside --out, whatever was planted in it.
- Under the lock, the temporary files of killed runs (`.NAME.XXXXXXXX.tmp`) are removed.
"""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path

from xlat.errors import InputError, XlatError

LOCK = ".xlat.lock"
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")  # fsutil.write_bytes_atomic's names


class BusyError(XlatError):
    pass


class OutputFolder:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = None

    def lock(self) -> None:
        """Hold the folder for this run, or raise BusyError / InputError (one line)."""
        try:
            if self.path.is_symlink() and not self.path.is_dir():
                raise InputError(str(self.path), "is a broken symbolic link; not an output folder")
            self.path.mkdir(parents=True, exist_ok=True)
            lock_path = self.path / LOCK
            if lock_path.is_symlink():
                raise InputError(str(lock_path), "is a symbolic link; not an xlat lock")
            handle = open(lock_path, "a+")
        except FileExistsError:
            raise InputError(str(self.path), "is not a folder") from None
        except OSError as exc:
            raise InputError(str(self.path), f"cannot write: {exc.strerror or exc}") from None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise BusyError(f"{self.path}: another xlat run is writing there{who}; wait for it "
                            "to finish or choose another --out") from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
        except OSError:
            pass  # a full disk: the lock holds all the same
        self._lock = handle
        self._remove_leftovers()

    def unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> "OutputFolder":
        self.lock()
        return self

    def __exit__(self, *exc) -> None:
        self.unlock()

    def inside(self, path: Path) -> Path:
        """`path` (below the folder) if writing it stays inside the folder, else InputError."""
        root = self.path
        try:
            relative = path.relative_to(root)
        except ValueError:
            raise InputError(str(path), f"is outside the output folder {root}; not written") from None
        current = root
        for part in relative.parts:
            if part in ("", ".", ".."):
                raise InputError(str(path), f"is outside the output folder {root}; not written")
            current = current / part
            if current.is_symlink():
                raise InputError(str(path), f"{current} is a symbolic link; xlat writes only "
                                            f"inside {root}")
            if current != path and current.exists() and not current.is_dir():
                raise InputError(str(path), f"cannot write: {current} is a file, not a folder")
        if path.exists() and not path.is_file():
            raise InputError(str(path), "cannot write: it is there and is not a regular file")
        return path

    def _remove_leftovers(self) -> None:
        """Temporary files of runs that were killed mid-write (never complete files)."""
        for folder, dirnames, filenames in os.walk(self.path):
            for name in filenames:
                if _TEMPORARY.match(name):
                    try:
                        os.unlink(os.path.join(folder, name))
                    except OSError:
                        pass
