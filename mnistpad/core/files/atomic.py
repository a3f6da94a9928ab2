"""The one way mnistpad writes a file: whole or not at all.

:func:`write_atomic` writes the new bytes to a temporary file of the same folder (a fresh
name from ``mkstemp``, so a link planted at a name that could be guessed is never written
through), flushes and fsyncs it, renames it over the target and fsyncs the folder: a crash,
a full disk or a kill at any moment leaves either the old file or the new one, never half of
one, and no temporary file behind. While it is pending the temporary file is locked, so that
:func:`remove_stale_temp_files` (run before every write, by any process) only takes those
whose writer died. Any failure is a :class:`~mnistpad.core.platform.errors.SaveError` naming
the target, never the temporary file.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from mnistpad.core.platform.errors import SaveError

TEMP_SUFFIX = ".tmp"
DEFAULT_MODE = 0o644  # mkstemp's 0600 would make shared model files unreadable
_TRIES = 5  # fresh temporary names tried when a clean-up elsewhere takes one being created


def write_atomic(path: str | os.PathLike, data: bytes | str, *, mode: int = DEFAULT_MODE,
                 precondition: Callable[[], None] | None = None) -> Path:
    """Replace ``path``'s content with ``data`` (text is written as UTF-8) atomically and
    durably; its folder is created when missing. The new file gets permissions ``mode``.

    ``precondition``, when given, is called just before the rename, with the new bytes
    synced: whatever it raises aborts the write (an ``OSError`` as a :class:`SaveError`),
    leaving ``path`` as it was. Returns ``path``."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temp_files(path)
        fd, temporary = _locked_temp_file(path)
    except OSError as exc:
        raise save_error(path, exc) from None
    try:
        _write_and_rename(fd, temporary, path, payload, mode, precondition)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError) and not isinstance(exc, SaveError):
            raise save_error(path, exc) from None
        raise
    _sync_folder(path.parent)
    return path


def _write_and_rename(fd: int, temporary: str, path: Path, payload: bytes, mode: int,
                      precondition: Callable[[], None] | None) -> None:
    with os.fdopen(fd, "wb") as handle:
        os.chmod(temporary, mode)
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
        if precondition is not None:
            precondition()
        if os.name == "posix":  # renamed while still locked: no clean-up can take it
            os.replace(temporary, path)
    if os.name != "posix":  # Windows renames no open file (and deletes none either)
        os.replace(temporary, path)


def _locked_temp_file(path: Path) -> tuple[int, str]:
    """A fresh temporary file beside ``path``, open and locked. A clean-up in another
    process may open and take a new file in the moment before it is locked: then the lock
    fails, or the name no longer leads to it, and another name is tried."""
    for _ in range(_TRIES):
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX,
                                         dir=path.parent)
        if _lock(fd) and _still_named(fd, temporary):
            return fd, temporary
        os.close(fd)
    raise OSError(f"its temporary files are taken away as soon as they are made "
                  f"({_TRIES} tries)")


def _still_named(fd: int, name: str) -> bool:
    try:
        named, opened = os.stat(name), os.fstat(fd)
    except OSError:
        return False
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable. The new file is in place already: a file system that
    refuses to sync a folder is no reason to call the save failed."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def save_error(path: Path, exc: OSError) -> SaveError:
    """The error of a failed save, naming ``path`` (not the temporary file)."""
    return SaveError(f"cannot save {path}: {exc.strerror or exc}")


def temp_name_pattern(target: Path) -> re.Pattern:
    """Names :func:`write_atomic` gives its temporary files (mkstemp's random part)."""
    return re.compile(rf"^\.{re.escape(target.name)}\.[A-Za-z0-9_]+{re.escape(TEMP_SUFFIX)}$")


def _lock(fd: int) -> bool:
    """Hold an exclusive lock on an open temporary file while it is written; the system
    drops it when the writer dies, even by kill -9. False when it is held by another."""
    try:
        import fcntl
    except ImportError:  # Windows: an open file cannot be deleted there anyway
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_stale_temp_files(target: Path) -> list[Path]:
    """Delete temporary files of an earlier save of ``target`` whose writer died (nobody holds
    their lock); a save going on in another process is left alone. Returns what was removed."""
    pattern = temp_name_pattern(target)
    removed = []
    try:
        candidates = [p for p in target.parent.iterdir() if pattern.match(p.name)]
    except OSError:
        return removed
    for candidate in candidates:
        try:  # never blocks: a named pipe planted under a temporary name is opened at once
            fd = os.open(candidate, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue  # not a temporary file of ours (a pipe, a device): left alone
            if _lock(fd):
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed
