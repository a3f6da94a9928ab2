"""The app's one state: what several views show, owned in one place, observed by all.

:class:`AppState` alone owns the catalog of models (shipped and the user's, each with its
recorded figures, from the file headers), the loaded classifiers, the active model, the
current drawing and its reading, the MNIST folder and the language. Views hold a reference,
read from it, ask it to change things, and redraw on its signals; no view scans the models
folder, loads a model file or keeps its own copy of a model.

Torch and the models load in the background (one job of the app's :class:`JobRunner`), the
wanted model first; a model picked meanwhile goes to the front of the queue and is the active
one at once (its reading waits for it, rather than the old model reading on). The others are
announced (``modelLoaded``) together, at intervals that grow with the number of models
(:data:`ANNOUNCE_MS`), and each model reads a drawing once (:meth:`AppState.every_reading`):
with 200 model files, views that listed every model again for each arrival made start-up
quadratic.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QTimer, Signal

from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.core.models.registry import Catalog, default_model, scan
from mnistpad.core.platform import lazy
from mnistpad.core.platform.errors import MnistpadError, ModelFileError
from mnistpad.core.strokes.files import reads_strokes
from mnistpad.ui.state.jobs import JobError, JobRunner
from mnistpad.ui.state.loader import (
    EarlyReaderLoaded,
    LoaderPaused,
    LoadQueue,
    ModelUnusable,
    StrokeReaderLoaded,
    load_models_job,
)
from mnistpad.ui.state.notifying import Notifying, equal
from mnistpad.ui.state.reading import Reading
from mnistpad.ui.state.remembered import remembered_text

np = lazy.module("numpy")
log = logging.getLogger("mnistpad.state")

if TYPE_CHECKING:
    from mnistpad.core.reading.classify import Classifier


# Models other than the active one that arrive meanwhile are announced together, at most every
# ANNOUNCE_MS plus ANNOUNCE_MS_PER_MODEL for each listed model: each announcement has the views
# list every model again, so spacing them in proportion keeps the share of the GUI thread they
# take the same for 10 models or 200 (one announcement per arrival made start-up quadratic).
ANNOUNCE_MS = 250
ANNOUNCE_MS_PER_MODEL = 4



class AppState(QObject):
    """See the module doc. Signals carry plain values; read the rest from the state.

    What the views show is held in notifying fields (:mod:`mnistpad.ui.state.notifying`):
    assigning one emits its signal, so no change goes untold. The background load tells its
    own course (``modelLoaded``, ``modelsLoaded``, ``loadFailed``)."""

    catalogChanged = Signal()
    activeModelChanged = Signal(object)  # the ModelInfo now reading the drawing, or None
    modelLoaded = Signal(object)  # a path whose classifier (or failure) has arrived
    modelsLoaded = Signal()  # the background load has ended, with or without errors
    loaderPaused = Signal()  # the torch-free readers are in; the loader waits for resume_loading
    loadFailed = Signal(object)  # the background load itself failed: a JobError
    readingChanged = Signal()  # the drawing, its pixels or their reading changed
    drawingSettled = Signal()  # a stroke ended, or the model changed: time for slow views
    dataDirChanged = Signal(object)  # Path
    languageChanged = Signal(str)

    catalog = Notifying("catalogChanged", carries_value=False)  # a new one on each rescan
    active = Notifying("activeModelChanged", same=equal)  # its entry changed, or another one
    reading = Notifying("readingChanged", carries_value=False)  # a Reading, new each time
    data_dir = Notifying("dataDirChanged", same=equal)  # a Path

    def __init__(self, runner: JobRunner, settings: QSettings,
                 catalog: Catalog | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self.catalog: Catalog = catalog or scan()
        self._extra: list[ModelInfo] = []  # files opened from elsewhere
        self._classifiers: dict[Path, Classifier] = {}
        self._early: dict[Path, object] = {}  # torch-free readers, until torch's arrive
        self._unusable: dict[Path, str] = {}  # files that failed to load: why (not retried)
        # arrived, not announced yet (modelLoaded): see ANNOUNCE_MS
        self._arrived: list[Path] = []
        self._announce = QTimer(self, singleShot=True)
        self._announce.timeout.connect(self._announce_arrivals)
        # each model's reading of the current drawing: (digit, confidence, parts), made once
        self._readings: dict[Path, tuple] = {}
        self._queue: LoadQueue | None = None
        self._loader = None
        self._go_on: threading.Event | None = None
        self.load_error: JobError | None = None
        self.models_ready = False
        self.active: ModelInfo | None = None
        self.reading = Reading()
        from mnistpad.core.strokes.readers import StrokeReaders

        self._stroke_readers = StrokeReaders()  # they arrive with the models
        # each model's stroke reader as last found (a stroke reads it): until readers arrive
        # or the catalog changes (a personal model saved again brings a new one)
        self._stroke_choice: dict[Path, object] = {}
        from mnistpad.core.platform.paths import data_dir_choice

        folder, self.data_source = data_dir_choice()
        self.data_dir = folder
        self._pick_initial()

    # ------------------------------------------------------------------ the catalog

    def models(self) -> list[ModelInfo]:
        return [*self.catalog.models, *self._extra]

    def find(self, path: str | Path | None) -> ModelInfo | None:
        if path is None:
            return None
        path = Path(path)
        return next((m for m in self.models() if m.path == path), None)

    def find_name(self, name: str) -> ModelInfo | None:
        return next((m for m in self.models() if m.name == name), None)

    def names(self) -> set[str]:
        return {m.name for m in self.models()}

    def is_shipped(self, info: ModelInfo) -> bool:
        return self.catalog.is_shipped(info)

    def unusable(self, path: Path) -> str | None:
        """Why the file cannot be loaded, or None."""
        return self._unusable.get(Path(path))

    def add_file(self, path: str | Path) -> ModelInfo:
        """List a model file (rescanning the folders; one from elsewhere is listed after
        them) and forget any copy of it loaded before. Raises ModelFileError (and changes
        nothing). ``catalogChanged``, and ``activeModelChanged`` when the active model's
        entry changed (its file was written again)."""
        path = Path(path)
        catalog = scan()
        listed = [*catalog.models, *self._extra]
        info = next((m for m in listed if m.path == path), None)
        extra = self._extra
        if info is None:
            from mnistpad.core.files.modelfile import read_info

            info = read_info(path)
            extra = [m for m in extra if m.path != info.path] + [info]
            listed.append(info)
        for cache in (self._classifiers, self._unusable, self._readings):
            cache.pop(info.path, None)
        self._forget_stroke_choice()
        active = self.active
        if active is not None:
            active = next((m for m in listed if m.path == active.path), active)
        self._extra = extra
        self.catalog = catalog
        self.active = active
        return info

    def open_file(self, path: Path) -> ModelInfo:
        """Load a model file, list it and make it the active one; a file that does not load
        is refused (ModelFileError) and never listed."""
        from mnistpad.core.reading.classify import Classifier

        classifier = Classifier.from_file(path)
        info = self.add_file(path)
        self._classifiers[info.path] = classifier
        self.activate(info)
        return info

    # ------------------------------------------------------------------ loading

    def _pick_initial(self) -> None:
        """The remembered model, else the default, else any listed model."""
        remembered = remembered_text(self.settings, "model")
        infos = self.models()
        chosen = next((m for m in infos if str(m.path) == remembered), None)
        if chosen is None and self.catalog.models:
            chosen = default_model(self.catalog)
        self.active = chosen or (infos[0] if infos else None)

    def start_loading(self, pause: bool = False) -> None:
        """Torch and every listed model, in the background, the active one first. With
        ``pause``, the loader stops after the torch-free readers (``loaderPaused``) until
        :meth:`resume_loading`."""
        if self._loader is not None or self.models_ready:
            return
        self._go_on = threading.Event() if pause else None
        paths = [m.path for m in self.models()]
        if self.active is not None:
            paths.remove(self.active.path)
            paths.insert(0, self.active.path)
        self._queue = LoadQueue(paths)
        first = paths[0] if paths else None
        from mnistpad.core.strokes.files import default_stroke_model, stroke_model_for

        strokes = tuple(dict.fromkeys([stroke_model_for(self.active), default_stroke_model()]))
        early = strokes[0] if reads_strokes(self.active) else None
        # threads=0: the loader reads with numpy before it imports torch
        self._loader = self.runner.start(
            load_models_job(self._queue, first, strokes, early, self._go_on), "load-models",
            self._on_model_loaded, self._on_load_done, threads=0)

    def resume_loading(self) -> None:
        """Let a loader started with ``pause`` go on to torch and the models."""
        if self._go_on is not None:
            self._go_on.set()

    def loading(self) -> bool:
        return self._loader is not None

    def _on_model_loaded(self, item) -> None:
        """One of the loader's reports (:mod:`mnistpad.ui.state.loader`)."""
        if isinstance(item, LoaderPaused):
            self.loaderPaused.emit()
            return
        if isinstance(item, StrokeReaderLoaded):
            self._stroke_readers.add(item.path, item.reader)
            self._forget_stroke_choice()
            self.read()
            return
        path = item.path
        is_active = self.active is not None and self.active.path == path
        if isinstance(item, EarlyReaderLoaded):
            self._early[path] = item.reader
            if is_active:
                self.read()
            return
        self.runner.set_gui_threads()  # torch is loaded now: one thread while the loader runs
        self._early.pop(path, None)  # the same probabilities (within 1e-5): nothing changes
        unusable = isinstance(item, ModelUnusable)
        if unusable:
            self._unusable[path] = item.reason
        else:
            self._classifiers.setdefault(path, item.classifier)
        if not is_active:
            self._arrived.append(path)
            if not self._announce.isActive():
                self._announce.start(ANNOUNCE_MS + ANNOUNCE_MS_PER_MODEL * len(self.models()))
            return
        self.modelLoaded.emit(path)
        if unusable:
            self._fall_back()  # another model: the assignment tells the views
        else:
            self.activeModelChanged.emit(self.active)  # the same model, now loaded
        self.read()

    def _announce_arrivals(self) -> None:
        """``modelLoaded`` for each model arrived since the last announcement, in a row (the
        views coalesce a row of them into one update)."""
        self._announce.stop()
        arrived, self._arrived = self._arrived, []
        for path in arrived:
            self.modelLoaded.emit(path)

    def _forget_stroke_choice(self) -> None:
        """The stroke readers changed: each model's reader is looked up again, and the
        readings made with the old ones (those with parts) are made again."""
        self._stroke_choice.clear()
        self._readings = {path: reading for path, reading in self._readings.items()
                          if reading[2] is None}

    def _fall_back(self) -> None:
        """The active model cannot be loaded: the next listed one that has or may."""
        fallback = next((m for m in self.models() if m.path not in self._unusable), None)
        if fallback is not None and self._queue is not None:
            self._queue.hurry(fallback.path)
        self.active = fallback

    def _on_load_done(self, outcome: str, value) -> None:
        self._loader = None
        self.models_ready = True
        self._announce_arrivals()
        self._forget_stroke_choice()  # a stroke model may now be loaded when first wanted
        if outcome == "failed":
            self.load_error = value
            self.loadFailed.emit(value)
        if self.active is not None and self.active.path in self._unusable:
            self._fall_back()
        self.modelsLoaded.emit()
        self.read()

    def classifier(self, info: ModelInfo | Path) -> Classifier | None:
        """The file's classifier: loaded, or None while the background load may still bring
        it. Raises ModelFileError for a file that cannot be loaded (or when torch itself
        could not be loaded). After the start-up load, a file added later loads here."""
        path = info if isinstance(info, Path) else info.path
        if path in self._classifiers:
            return self._classifiers[path]
        if path in self._unusable:
            raise ModelFileError(self._unusable[path])
        if self.load_error is not None:
            raise ModelFileError(self.load_error.sentence())
        if not self.models_ready:
            return None
        from mnistpad.core.reading.classify import Classifier

        try:
            self._classifiers[path] = Classifier.from_file(path)
        except ModelFileError as exc:
            self._unusable[path] = str(exc)
            self.modelLoaded.emit(path)
            raise
        return self._classifiers[path]

    def active_classifier(self) -> Classifier | None:
        """The active model's torch classifier (None while it loads)."""
        if self.active is None:
            return None
        try:
            return self.classifier(self.active)
        except ModelFileError:
            return None

    def active_reader(self):
        """What reads the drawing: the active model's classifier, or before torch has loaded
        its torch-free reader (the same probabilities); None while neither is there."""
        classifier = self.active_classifier()
        if classifier is None and self.active is not None:
            return self._early.get(self.active.path)
        return classifier

    def stroke_reader_for(self, info: ModelInfo | None):
        """The stroke reader that reads with ``info`` (its personal one, else the default),
        or None: a model that reads the picture alone, or none loaded yet."""
        if info is None:
            return None
        if info.path not in self._stroke_choice:
            self._stroke_choice[info.path] = self._stroke_readers.for_model(
                info, may_load=self.models_ready)
        return self._stroke_choice[info.path]

    @property
    def stroke_reader(self):
        """The stroke reader that reads with the active model, or None."""
        return self.stroke_reader_for(self.active)

    # ------------------------------------------------------------------ the active model

    def activate(self, info: ModelInfo) -> None:
        """Make ``info`` the model that reads the drawing (remembered). While the models
        load, it is active at once and reads as soon as it arrives. Raises ModelFileError
        (and keeps the current model) for a file that cannot be loaded."""
        if info.path in self._unusable:
            raise ModelFileError(self._unusable[info.path])
        if self.models_ready:
            self.classifier(info)  # raises for a file that cannot be loaded
        elif self._queue is not None:
            self._queue.hurry(info.path)
        self.active = info
        self._remember_model(info.path)
        self.read()

    def _remember_model(self, path: Path) -> None:
        """The active model for the next start: in the window's settings and in config.json,
        where the commands read it too (a folder that cannot be written: this session only)."""
        from mnistpad.core.platform.config import read_config, update_config
        from mnistpad.core.platform.paths import user_dir

        self.settings.setValue("model", str(path))
        try:
            if read_config(user_dir()).get("model") != str(path):
                update_config(user_dir(), model=str(path))
        except MnistpadError as exc:
            log.warning("cannot remember the model %s: %s", path, exc)

    # ------------------------------------------------------------------ the reading

    def set_pixels(self, pixels, settled: bool = True, strokes=None) -> None:
        """The drawing as the model sees it (None for an empty canvas) and its pen strokes
        (None for a picture); reads it. ``settled`` is False while a stroke is being drawn."""
        self._readings.clear()
        self._read(pixels, strokes, settled)

    def read(self, settled: bool = True) -> None:
        """The active model's reading of the current pixels (None when there is nothing to
        read or no model yet), then ``readingChanged`` (and ``drawingSettled``)."""
        self._read(self.pixels, self.strokes, settled)

    def _read(self, pixels, strokes, settled: bool) -> None:
        reader = self.active_reader()
        probabilities = parts = None
        if reader is not None and pixels is not None:
            probabilities = reader.predict(pixels)[1]
            if reads_strokes(self.active):
                parts = self._parts_of(probabilities, strokes)
                probabilities = parts.combined
        self.reading = Reading(pixels, strokes, probabilities, parts)  # readingChanged
        if settled:
            self.drawingSettled.emit()

    # the parts of the reading (see Reading), read-only: a new reading replaces them all
    pixels = property(lambda self: self.reading.pixels)
    strokes = property(lambda self: self.reading.strokes)
    probabilities = property(lambda self: self.reading.probabilities)
    parts = property(lambda self: self.reading.parts)

    def digit(self) -> int | None:
        return None if self.probabilities is None else int(self.probabilities.argmax())

    def every_reading(self) -> list[tuple[ModelInfo, int | None, float | None, str, object]]:
        """Each listed model's reading of the current drawing: (info, digit, confidence,
        problem, parts) with problem "" , "loading" or "unusable"; for a model that reads the
        strokes too, the combined reading and its parts (a ``DrawingReading``: the active
        model's are the state's own ``parts``), else parts None. Each model reads a drawing
        once: while 200 models arrive, the table is listed again for each batch of them."""
        rows = []
        for info in self.models():
            digit, confidence, problem, parts = None, None, "", None
            try:
                classifier = self.classifier(info)
            except ModelFileError:
                classifier, problem = None, "unusable"
            if classifier is None and not problem:
                problem = "loading"
            elif classifier is not None and self.pixels is not None:
                digit, confidence, parts = self._reading_of(info, classifier)
            rows.append((info, digit, confidence, problem, parts))
        return rows

    def _reading_of(self, info: ModelInfo, classifier) -> tuple[int, float, object]:
        """(digit, confidence, parts) of ``info``'s reading of the current drawing, made once
        per drawing (and per set of stroke readers)."""
        if info.path not in self._readings:
            probs = classifier.predict(self.pixels)[1]
            parts = None
            if reads_strokes(info):
                active = self.active is not None and info.path == self.active.path
                parts = self.parts if active and self.parts is not None \
                    else self._parts_of(probs, self.strokes, info)
                probs = parts.combined
            digit = int(probs.argmax())
            self._readings[info.path] = (digit, float(probs[digit]), parts)
        return self._readings[info.path]

    def _parts_of(self, image_probabilities, strokes, info: ModelInfo | None = None):
        """The drawing read from the picture (these probabilities) and its ``strokes``, by
        the stroke reader of ``info`` (default: the active model)."""
        from mnistpad.core.strokes.combination import read_drawing

        reader = self.stroke_reader_for(self.active if info is None else info)
        return read_drawing(strokes, image_probabilities, reader)

    # ------------------------------------------------------------------ data folder, language

    def set_data_dir(self, folder: str | Path) -> list[str]:
        """Use ``folder`` for MNIST from now on, in every view and command, if it holds it;
        returns the files it lacks (nothing changes then)."""
        from mnistpad.core.data.mnist import missing_files
        from mnistpad.core.platform.paths import remember_data_dir

        folder = Path(folder)
        missing = missing_files(folder)
        if missing:
            return missing
        try:
            remember_data_dir(folder)
        except MnistpadError as exc:  # a user folder that cannot be written: this session only
            log.warning("cannot remember the MNIST folder %s: %s", folder, exc)
        self.data_source = "settings"
        self.data_dir = folder  # dataDirChanged
        return []

    @property
    def language(self) -> str:
        from mnistpad.ui.i18n.translations import current_language

        return current_language()

    def set_language(self, language: str) -> None:
        """Every view in ``language`` now (Qt sends them LanguageChange), and at the next
        start."""
        from mnistpad.ui.i18n.translations import set_language

        set_language(language)
        # every view retranslates now, not at the next turn of the event loop
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange.value)
        self.settings.setValue("language", language)
        self.languageChanged.emit(language)
        self.read()

    def shutdown(self) -> None:
        if self._loader is not None:
            self._loader.cancel()
