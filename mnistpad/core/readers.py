"""Which reader reads a drawing: torch's Classifier once it is loaded, numpy's until then.

The window opens before torch is loaded. :class:`Readers` keeps, per model file, the
torch-free :class:`~mnistpad.core.npreader.NumpyReader` (built on the first reading, a tenth
of a second) and, once the background loader hands it over, the torch
:class:`~mnistpad.core.classify.Classifier`; :meth:`Readers.reader` answers with the best one
there is. Both give the same probabilities (within 1e-5, a test checks every shipped model),
so what the user sees does not change at the hand-over. Thread-safe: the loader hands
classifiers over from its thread while the GUI thread reads. Imports neither torch nor Qt.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def _key(path: str | os.PathLike) -> str:
    return os.path.realpath(path)


class Readers:
    def __init__(self):
        self._lock = threading.Lock()
        self._torch: dict[str, object] = {}
        self._numpy: dict[str, object] = {}

    def hand_over(self, path: str | os.PathLike, classifier) -> None:
        """The loader's torch classifier for ``path``: it reads from now on, and the numpy
        reader of that file is let go."""
        with self._lock:
            self._torch[_key(path)] = classifier
            self._numpy.pop(_key(path), None)

    def forget(self, path: str | os.PathLike) -> None:
        """A file that changed on disk (retrained, replaced): read it afresh next time."""
        with self._lock:
            self._torch.pop(_key(path), None)
            self._numpy.pop(_key(path), None)

    def has_torch(self, path: str | os.PathLike) -> bool:
        with self._lock:
            return _key(path) in self._torch

    def reader(self, path: str | os.PathLike):
        """The torch classifier of ``path`` when handed over, else its numpy reader (built
        now the first time; raises :class:`~mnistpad.core.errors.ModelFileError` for a file
        that cannot be read). Either has ``predict(image) -> (digit, probabilities)``,
        ``probabilities(images)``, ``info`` and ``name``."""
        key = _key(path)
        with self._lock:
            found = self._torch.get(key) or self._numpy.get(key)
        if found is not None:
            return found
        from mnistpad.core.npreader import NumpyReader

        built = NumpyReader.from_file(Path(path))
        with self._lock:  # a classifier handed over meanwhile wins
            return self._torch.get(key) or self._numpy.setdefault(key, built)
