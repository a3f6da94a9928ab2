"""The stroke readers an app reads with: each file loaded once per version of it.

The default model reads with the default stroke reader, and a personal copy of it with the
personal stroke reader saved beside it (:func:`mnistpad.core.strokes.files.stroke_model_for`).
:class:`StrokeReaders` keeps the loaded ones by file and by the file's size and modification
time, so that personalizing again (which rewrites the file) is read with the new one. A file
that does not load is logged and not retried in that version; the default reader stands in,
and the shipped one where the default is the user's own and does not load either.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.core.strokes.files import (
    default_stroke_model,
    reads_strokes,
    shipped_stroke_model,
    stroke_model_for,
)

log = logging.getLogger("mnistpad.strokes")


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


def load_stroke_reader(path: str | os.PathLike):
    """The stroke reader in ``path`` (torch), or None with the reason logged."""
    from mnistpad.core.strokes.reader import StrokeReader

    try:
        return StrokeReader.from_file(path)
    except MnistpadError as exc:
        log.warning("no stroke reader from %s: %s", path, exc)
        return None


class StrokeReaders:
    """Loaded stroke readers by file (see the module doc)."""

    def __init__(self) -> None:
        self._loaded: dict[Path, tuple[tuple[int, int] | None, object]] = {}

    def add(self, path: str | os.PathLike, reader) -> None:
        """``reader`` (None when it did not load) is the one for the file now at ``path``;
        a reader for it already there (the torch-free one) stays when this one is None."""
        path = Path(path)
        if reader is None and self.known(path) and self._loaded[path][1] is not None:
            return
        self._loaded[path] = (_stamp(path), reader)

    def known(self, path: str | os.PathLike) -> bool:
        """Whether the file at ``path``, as it is now, was loaded (or failed to)."""
        path = Path(path)
        return path in self._loaded and self._loaded[path][0] == _stamp(path)

    def for_model(self, info: ModelInfo | None, may_load: bool = True):
        """The stroke reader that reads with image model ``info``, or None (a model that
        reads the picture alone, or none loaded yet). With ``may_load``, a file not loaded
        in its present version is loaded now (a stroke model is small: milliseconds)."""
        if not reads_strokes(info):
            return None
        candidates = (stroke_model_for(info), default_stroke_model(), shipped_stroke_model())
        for path in dict.fromkeys(candidates):
            if not self.known(path) and may_load:
                self.add(path, load_stroke_reader(path))
            if self.known(path) and self._loaded[path][1] is not None:
                return self._loaded[path][1]
        return None
