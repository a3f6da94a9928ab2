"""Opening files that come from outside: regular files only, read whole into memory, bounded.

A named pipe (or a device) given as an image, a sample or a model would block ``open()`` or
``read()`` forever; a file mapped into memory (as safetensors does) and rewritten underneath
kills the process with SIGBUS. So every image, sample, model and cache entry mnistpad reads
goes through :func:`read_regular`: opened without blocking, refused unless it is a regular
file, refused past a size bound, and read into memory in one go, so that a file changed
while it is read gives at worst bytes that fail their own checks, never a signal.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mnistpad.core.errors import MnistpadError


class NotRegularFile(MnistpadError):
    """The path is a named pipe, a device, a socket or a folder: not read."""


class FileTooLarge(MnistpadError):
    """The file is larger than what is read of its kind."""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def is_regular(path: str | os.PathLike) -> bool:
    """True for a regular file (links followed); never opens it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_regular(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; otherwise a
    one-line :class:`MnistpadError` naming the file (:class:`NotRegularFile`,
    :class:`FileTooLarge`) or the system's reason. Opened with ``O_NONBLOCK`` so that a
    named pipe is refused instead of waiting for a writer."""
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise MnistpadError(f"{path}: no such file") from None
    except OSError as exc:
        raise MnistpadError(f"{path}: cannot be opened ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"{path}: {_kind(info.st_mode)}, not a file mnistpad reads")
        if info.st_size > limit:
            raise FileTooLarge(f"{path}: {info.st_size:,} bytes, more than the {limit:,} "
                               f"mnistpad reads from a file of this kind")
        chunks, left = [], limit + 1  # one byte more shows a file that grew while read
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise MnistpadError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileTooLarge(f"{path}: grew past {limit:,} bytes while it was read")
    return data
