"""The development writers' pen digits, drawn once and kept on disk.

Drawing the 1,498 development digits (parse the UNIPEN file, stroke each trajectory, normalize)
takes seconds of pure Python and numpy, and every training run scores its model on them: in
the window, that happened again after each run, holding the GIL against the GUI thread. The
drawings depend only on the pen-digit file and on the code that draws them, so they are
kept in ``<user data folder>/cache/drawn/``, named by a hash of the file's bytes, of the
writers drawn and of :data:`mnistpad.core.strokes.renderer.RENDERER_VERSION` with the drawing
constants: a changed file or renderer draws them again, never a stale set.

An entry is a file in the user's folder like any other: cut short by a crash, or anything
copied over it. Its figures end up in model files (``eval --record``), so it is used only
after every check passes (a regular file no larger than its drawings take, the two members
it was written with, unpacking to no more than that, float32 pixels in [0, 1], and the
labels the source's ``.COMMENT`` lines give, in their order and number); anything else is
drawn again and written over. A cache folder that cannot be written means drawing each time.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from mnistpad.core.platform.errors import MnistpadError

MEMBERS = {"images.npy", "labels.npy"}
BYTES_PER_DRAWING = 28 * 28 * 4 + 8  # float32 pixels and an int64 label
OVERHEAD = 64 * 1024  # the zip's and the arrays' headers
MAX_DRAWINGS = 10_000  # what an entry of drawings not counted from the source may hold
_COMMENT = re.compile(rb"^\.COMMENT[ \t]+(\d+)[ \t]+(\d+)", re.MULTILINE)


def source_labels(data: bytes, writers: Iterable[int]) -> np.ndarray:
    """The labels of ``writers``' digits in a pen-digits UNIPEN file's bytes, in the file's
    order: what a set drawn from them holds. Read from the ``.COMMENT`` lines alone, in
    milliseconds where parsing the strokes takes half a second."""
    wanted = set(writers)
    return np.asarray([int(label) for label, writer in _COMMENT.findall(data)
                       if int(writer) in wanted], dtype=np.int64)


def _key(data: bytes, size: float, writers: Iterable[int] | None) -> str:
    from mnistpad.core.strokes import renderer as strokes

    digest = hashlib.sha256(data)
    digest.update(repr((strokes.RENDERER_VERSION, strokes.CANVAS_SIZE,
                        strokes.DEFAULT_PEN_WIDTH, strokes.REFERENCE_EXTENT,
                        strokes.WORKING_EXTENT, strokes.SUPERSAMPLE, float(size))).encode())
    if writers is not None:
        digest.update(repr(sorted(set(writers))).encode())
    return digest.hexdigest()


def drawing_key(data_file: Path, size: float, writers: Iterable[int] | None = None) -> str:
    """What the drawings of ``data_file`` at ``size`` depend on, hashed: the file's bytes, the
    renderer's version and its constants (and the writers drawn, when given)."""
    return _key(Path(data_file).read_bytes(), size, writers)


def cache_dir() -> Path:
    from mnistpad.core.platform.paths import user_dir

    return user_dir() / "cache" / "drawn"


def is_drawn_set(images: np.ndarray, labels: np.ndarray,
                 expected: np.ndarray | None = None) -> bool:
    """Whether (images, labels) is a drawn set: (N, 28, 28) float32 pixels in [0, 1] and N
    int64 digits, N >= 1; with ``expected``, exactly those labels in that order."""
    if images.dtype != np.float32 or labels.dtype != np.int64 or images.ndim != 3 or \
            images.shape[1:] != (28, 28) or labels.shape != (len(images),) or not len(images):
        return False
    if expected is not None and not np.array_equal(labels, expected):
        return False
    if labels.min() < 0 or labels.max() > 9 or not np.isfinite(images).all():
        return False
    return bool(images.min() >= 0 and images.max() <= 1)


def _read(file: Path, expected: np.ndarray | None = None
          ) -> tuple[np.ndarray, np.ndarray] | None:
    """The entry's drawings when every check passes; None for anything else (missing,
    unreadable, damaged, other drawings): they are drawn again and written over it."""
    count = MAX_DRAWINGS if expected is None else len(expected)
    try:
        from mnistpad.core.files.outside import read_npz

        stored = read_npz(file, MEMBERS, count * BYTES_PER_DRAWING + OVERHEAD)
    except (OSError, ValueError, MnistpadError):
        return None
    images, labels = stored["images"], stored["labels"]
    return (images, labels) if is_drawn_set(images, labels, expected) else None


def _write(file: Path, images: np.ndarray, labels: np.ndarray) -> None:
    from mnistpad.core.platform.paths import write_cache_file

    buffer = io.BytesIO()
    np.savez(buffer, images=images, labels=labels)
    write_cache_file(file, buffer.getvalue())


def cached_drawings(data_file: Path, size: float, draw, folder: Path | None = None, *,
                    writers: Iterable[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(images (N, 28, 28) float32, labels (N,) int64): from the cache when it holds the
    drawings of this file's content at ``size`` by this renderer, else ``draw()`` (which
    returns them) and stored. Given the ``writers`` drawn, an entry must hold exactly their
    digits' labels (:func:`source_labels`); drawings that do not are used but not kept."""
    data = Path(data_file).read_bytes()
    expected = None if writers is None else source_labels(data, writers)
    file = (folder or cache_dir()) / f"{_key(data, size, writers)[:32]}.npz"
    found = _read(file, expected)
    if found is not None:
        return found
    images, labels = draw()
    if is_drawn_set(np.asarray(images), np.asarray(labels), expected):
        _write(file, images, labels)
    return images, labels
