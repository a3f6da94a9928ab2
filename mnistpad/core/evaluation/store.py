"""The Evaluate tab's cache on disk: one ``.npz`` file per model file and data set.

A cache is disposable, and its files are as exposed as any other in the user's folder: a
crash can leave one empty or cut short, and anything can be copied over one. So an entry is
used only after every check passes (a regular file of bounded size, a plain zip of the
members it was written with, stored uncompressed and of bounded sizes, the key it was
written for, probabilities of the data set's shape and dtype, finite, each row summing to
one, the data set's labels), and anything else is deleted, so that it is computed and
written again. Entries are written through a temporary file, fsynced and renamed
(:func:`~mnistpad.core.files.modelfile.atomic_write_bytes`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
from pathlib import Path

import numpy as np

from mnistpad.core.files.modelfile import atomic_write_bytes
from mnistpad.core.files.outside import read_npz
from mnistpad.core.platform.errors import MnistpadError

CACHE_VERSION = "2"  # 2: entries hold the key they were written for
MEMBERS = {"version.npy", "key.npy", "probabilities.npy", "labels.npy"}
# What an entry of N images takes: N x 10 float32 probabilities, N int64 labels, headers.
BYTES_PER_IMAGE = 10 * 4 + 8
OVERHEAD = 64 * 1024


def file_digest(path: Path) -> str:
    """SHA-256 of a regular file's content (a named pipe is refused, not waited on)."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def entry_key(model_digest: str, data_digest: str) -> str:
    return f"{CACHE_VERSION} {model_digest} {data_digest}"


def _limit(count: int) -> int:
    return count * BYTES_PER_IMAGE + OVERHEAD


def _arrays(file: Path, key: str, labels: np.ndarray) -> np.ndarray:
    """The probabilities stored in ``file`` for ``key`` on a data set of ``labels``; a
    ``ValueError`` (or an error reading) for anything else. The file is read and its members
    checked before numpy allocates them (:func:`~mnistpad.core.files.outside.read_npz`)."""
    count = len(labels)
    stored = read_npz(file, MEMBERS, _limit(count))
    if str(stored["key"]) != key:
        raise ValueError("written for another model or data set")
    probabilities, stored_labels = stored["probabilities"], stored["labels"]
    if probabilities.dtype != np.float32 or probabilities.shape != (count, 10):
        raise ValueError("probabilities of the wrong type or shape")
    if stored_labels.dtype != np.int64 or not np.array_equal(stored_labels, labels):
        raise ValueError("labels of another data set")
    if not np.isfinite(probabilities).all() or probabilities.min() < 0 or \
            np.abs(probabilities.sum(axis=1) - 1).max() > 1e-3:
        raise ValueError("probabilities that are not probabilities")
    return probabilities


def read_entry(file: Path, key: str, labels: np.ndarray) -> np.ndarray | None:
    """The cached probabilities, or ``None`` when there is no entry or it fails a check
    (it is deleted then, so it is computed and written again)."""
    if not os.path.lexists(file):
        return None
    try:
        return _arrays(file, key, labels)
    except (OSError, ValueError, KeyError, MnistpadError):
        try:
            if file.is_file() or file.is_symlink():
                file.unlink()
        except OSError:
            pass  # cannot delete it: it is ignored each time, and costs only time
        return None


def write_entry(file: Path, key: str, probabilities: np.ndarray, labels: np.ndarray) -> None:
    """Store an entry atomically (fsynced); a cache that cannot be written only costs time."""
    buffer = io.BytesIO()
    np.savez(buffer, version=np.array(CACHE_VERSION), key=np.array(key),
             probabilities=np.asarray(probabilities, dtype=np.float32),
             labels=np.asarray(labels, dtype=np.int64))
    with contextlib.suppress(OSError):  # SaveError is one
        atomic_write_bytes(file, buffer.getvalue())
