"""Opening files that come from outside: regular files only, read whole into memory, bounded.

A named pipe (or a device) given as an image, a sample or a model would block ``open()`` or
``read()`` forever; a file mapped into memory (as safetensors does) and rewritten underneath
kills the process with SIGBUS. So every image, sample, model and cache entry mnistpad reads
goes through :func:`read_regular`: opened without blocking, refused unless it is a regular
file, refused past a size bound, and read into memory in one go, so that a file changed
while it is read gives at worst bytes that fail their own checks, never a signal. A cache's
``.npz`` entries are read through :func:`read_npz`, which also bounds what they unpack to.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
from pathlib import Path

from mnistpad.core.platform.errors import MnistpadError


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


NPY_VERSIONS = ((1, 0), (2, 0))  # what np.save writes; 3.0 only differs in its header text


def read_npz(path: str | os.PathLike, members: set[str], limit: int) -> dict:
    """The arrays (name -> ndarray) of the ``.npz`` file ``path`` holding exactly ``members``
    (``"labels.npy"``...), read as :func:`read_regular` reads (at most ``limit`` bytes), and
    checked before numpy allocates what a header claims: a plain zip of stored members (as
    ``np.savez`` writes: none compressed, so none unpacks past the file's size), each array
    no larger than its member and none of Python objects. A file that is not one is a
    ``ValueError`` naming it (an unreadable one a :class:`MnistpadError`)."""
    import numpy as np

    data = read_regular(path, limit)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_members(archive, members)
            for info in archive.infolist():
                _check_header(archive, info)
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            return {name.removesuffix(".npy"): stored[name] for name in members}
    except (zipfile.BadZipFile, EOFError, KeyError, struct.error, NotImplementedError,
            RuntimeError) as exc:
        raise ValueError(f"{path}: not a whole .npz file ({exc})") from None


def _check_members(archive: zipfile.ZipFile, members: set[str]) -> None:
    infos = archive.infolist()
    if sorted(info.filename for info in infos) != sorted(members):
        raise ValueError(f"{archive.filename or 'the file'}: not the members expected")
    for info in infos:
        if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
            raise ValueError(f"{info.filename}: a compressed or encrypted member")


def _check_header(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a member whose array header claims more than the member holds."""
    import numpy as np

    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version not in NPY_VERSIONS:
            raise ValueError(f"{info.filename}: .npy format {version}")
        reader = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                  else np.lib.format.read_array_header_2_0)
        shape, _, dtype = reader(member)
    if dtype.hasobject or np.prod(shape, dtype=object) * dtype.itemsize > info.file_size:
        raise ValueError(f"{info.filename}: an array larger than its member")
