"""The development writers' pen digits, drawn once and kept on disk.

Drawing the 1,498 development digits (parse the UNIPEN file, stroke each trajectory, normalize)
takes seconds of pure Python and numpy, and every training run scores its model on them: in
the window, that happened again after each run, holding the GIL against the GUI thread. The
drawings depend only on the pen-digit file and on the code that draws them, so they are
kept in ``<user data folder>/cache/drawn/``, named by a hash of the file's bytes and of
:data:`mnistpad.core.strokes.RENDERER_VERSION` with the drawing constants: a changed file or
renderer draws them again, never a stale set.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np


def drawing_key(data_file: Path, size: float) -> str:
    """What the drawings of ``data_file`` at ``size`` depend on, hashed: the file's bytes, the
    renderer's version and its constants."""
    from mnistpad.core import strokes

    digest = hashlib.sha256(Path(data_file).read_bytes())
    digest.update(repr((strokes.RENDERER_VERSION, strokes.CANVAS_SIZE,
                        strokes.DEFAULT_PEN_WIDTH, strokes.REFERENCE_EXTENT,
                        strokes.WORKING_EXTENT, strokes.SUPERSAMPLE, float(size))).encode())
    return digest.hexdigest()


def cache_dir() -> Path:
    from mnistpad.core.paths import user_dir

    return user_dir() / "cache" / "drawn"


def _read(file: Path) -> tuple[np.ndarray, np.ndarray] | None:
    try:
        with np.load(file, allow_pickle=False) as stored:
            images = stored["images"].astype(np.float32, copy=False)
            labels = stored["labels"].astype(np.int64, copy=False)
    except (OSError, ValueError, KeyError):
        return None  # missing or unreadable: draw again and overwrite it
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) != len(labels):
        return None
    return images, labels


def _write(file: Path, images: np.ndarray, labels: np.ndarray) -> None:
    from mnistpad.core.paths import write_cache_file

    buffer = io.BytesIO()
    np.savez(buffer, images=images, labels=labels)
    write_cache_file(file, buffer.getvalue())


def cached_drawings(data_file: Path, size: float, draw, folder: Path | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(images (N, 28, 28) float32, labels (N,) int64): from the cache when it holds the
    drawings of this file's content at ``size`` by this renderer, else ``draw()`` (which
    returns them) and stored."""
    file = (folder or cache_dir()) / f"{drawing_key(data_file, size)[:32]}.npz"
    found = _read(file)
    if found is not None:
        return found
    images, labels = draw()
    _write(file, images, labels)
    return images, labels
