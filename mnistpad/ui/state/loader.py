"""The background load of torch and the models: its queue (the model asked for most recently
goes first) and the job itself, run by :class:`~mnistpad.ui.state.app_state.AppState`."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from mnistpad.core.platform.errors import MnistpadError

log = logging.getLogger("mnistpad.state")


class LoadQueue:
    """The paths still to load, shared with the loader's thread: the one asked for most
    recently goes first."""

    def __init__(self, paths: list[Path]):
        self._lock = threading.Lock()
        self._paths = list(paths)

    def pop(self) -> Path | None:
        with self._lock:
            return self._paths.pop(0) if self._paths else None

    def hurry(self, path: Path) -> None:
        with self._lock:
            if path in self._paths:
                self._paths.remove(path)
                self._paths.insert(0, path)


# The longest the loader waits, after the torch-free readers, to be told to go on.
PAUSE_LIMIT_S = 10.0


# What the loader reports, in the order it reports them (each to the GUI thread, as is).
@dataclass(frozen=True)
class StrokeReaderLoaded:
    """A stroke reader (torch-free first, then torch's; None: the file did not load)."""

    path: Path
    reader: object


@dataclass(frozen=True)
class EarlyReaderLoaded:
    """The wanted model's torch-free reader, reading until torch's classifier arrives."""

    path: Path
    reader: object


@dataclass(frozen=True)
class LoaderPaused:
    """The torch-free readers are in; the loader waits to be told to go on."""


@dataclass(frozen=True)
class ModelLoaded:
    """A model's classifier, loaded with torch."""

    path: Path
    classifier: object


@dataclass(frozen=True)
class ModelUnusable:
    """A model file that cannot be loaded, and why in one line."""

    path: Path
    reason: str


def load_models_job(queue: LoadQueue, first: Path | None = None,
                    stroke_paths: tuple[Path, ...] = (), early_strokes: Path | None = None,
                    go_on: threading.Event | None = None):
    """The loader. First the torch-free readers (numpy: they read the first digits while
    torch still loads, with torch's probabilities within 1e-5): the stroke reader in
    ``early_strokes`` (:class:`StrokeReaderLoaded`) and the wanted model's
    (:class:`EarlyReaderLoaded`). With ``go_on``, then :class:`LoaderPaused` and a wait until
    it is set (at most :data:`PAUSE_LIMIT_S`; the window builds its other views meanwhile,
    which importing torch beside would make four times slower, holding the interpreter).
    Then torch (the slow part) and each model in the queue's order (:class:`ModelLoaded` or
    :class:`ModelUnusable`); then torch's stroke readers in ``stroke_paths``
    (:class:`StrokeReaderLoaded`, its reader None when it did not load); last, what training
    imports on first use (so the first run does not pay it mid-run)."""

    def job(report, should_stop):
        if early_strokes is not None:  # first: the first reading is the default's whole one
            from mnistpad.core.reading.npreader import stroke_reader_early

            try:
                report(StrokeReaderLoaded(early_strokes, stroke_reader_early(early_strokes)))
            except (MnistpadError, ValueError, KeyError) as exc:
                log.info("no torch-free stroke reader for %s: %s", early_strokes, exc)
        if first is not None:
            from mnistpad.core.reading.npreader import NumpyReader

            try:
                report(EarlyReaderLoaded(first, NumpyReader.from_file(first)))
            except (MnistpadError, ValueError, KeyError) as exc:
                log.info("no torch-free reader for %s: %s", first, exc)
        if go_on is not None:
            report(LoaderPaused())
            waited = 0.0
            while not go_on.wait(0.05) and not should_stop() and waited < PAUSE_LIMIT_S:
                waited += 0.05
        from mnistpad.core.reading.classify import Classifier

        count = 0
        while not should_stop() and (path := queue.pop()) is not None:
            try:
                report(ModelLoaded(path, Classifier.from_file(path)))
            except MnistpadError as exc:
                report(ModelUnusable(path, str(exc)))
            count += 1
        if not should_stop():
            from mnistpad.core.strokes.readers import load_stroke_reader

            for stroke_path in stroke_paths:
                report(StrokeReaderLoaded(stroke_path, load_stroke_reader(stroke_path)))
            from mnistpad.core.training.warmup import import_training_machinery

            import_training_machinery()
        return count

    return job
