"""The Samples tab: your labelled drawings per digit, and personalizing a model on them.

Samples are files in the user data folder (``samples/<digit>/<id>.png``); this view lists them
as thumbnails with the counts per digit, deletes (with undo), starts the teaching drill, and
fine-tunes a personal copy of the active model in a worker thread (progress, cancel; nothing
is written unless it finishes).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QIcon,
    QImageReader,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.data.preprocess import MAX_IMAGE_PIXELS
from mnistpad.core.data.samples import (
    Sample,
    counts,
    delete_sample,
    list_samples,
    read_sample,
    restore_sample,
    sample_at,
    sample_strokes,
    samples_dir,
)
from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.core.files.outputs import OutputState, output_state, personal_path
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.core.platform.paths import user_models_dir
from mnistpad.core.training.eta import TimeLeft, duration_words
from mnistpad.ui.samples.base import personalize_from
from mnistpad.ui.samples.text import summary_text
from mnistpad.ui.state.jobs import Job, JobRunner
from mnistpad.ui.widgets.probabilities import Retranslates, ask_to_stop
from mnistpad.ui.widgets.rich_text import literal_tooltip, plain

if TYPE_CHECKING:
    from mnistpad.ui.state.app_state import AppState

THUMBNAIL = 56
# personalizing takes seconds to a minute: the time-left estimate looks at its last seconds
PERSONALIZE_ETA_WINDOW_S = 5.0


def thumbnail(path: Path, ratio: float = 1.0) -> QIcon:
    """A sample's picture at gallery size (THUMBNAIL pixels, times the screen's device pixel
    ratio: sharp on a high-density screen), decoded once: a full-size pixmap per sample took
    3.7 GB for 10,000 samples. Empty for a picture too large to decode (its header says so)
    or unreadable."""
    reader = QImageReader(str(path))
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_IMAGE_PIXELS:
        return QIcon()
    side = round(THUMBNAIL * ratio)
    reader.setScaledSize(size.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return QIcon()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return QIcon(pixmap)


def personalize_job(base_path: Path, out_path: Path, replace: bool = False):
    """The job the worker runs: check that ``out_path`` can be written (replaced only with
    ``replace``: a file that appears meanwhile, another run's, is never overwritten), read the
    samples (pictures, and strokes for the default model's stroke reader), fine-tune (a
    personal model's base, never the personal model itself) and save, through
    :mod:`mnistpad.core.personal`'s entry point. Returns (path, summary data, the
    samples skipped: a line naming each)."""

    def job(report, should_stop):
        from mnistpad.core import personal
        from mnistpad.core.files.modelfile import check_writable, expected_file_size

        images, labels, drawings, skipped = [], [], [], []
        for sample in list_samples():
            try:
                pixels = read_sample(sample.path)
            except MnistpadError as exc:  # one bad sample never blocks the others
                skipped.append(str(exc))
                continue
            if pixels is None:
                skipped.append(str(sample.path))
                continue
            images.append(pixels)
            labels.append(sample.label)
            drawings.append(sample_strokes(sample.path))
        if not images and skipped:  # there are samples, but none that reads
            raise MnistpadError(f"none of your {len(skipped)} samples can be read (blank, "
                                f"damaged or not a picture): {skipped[0]}")
        base = personal.load_base(base_path)
        check_writable(out_path, expected_file_size(base.info.spec))  # before, not after
        samples = personal.Samples(np.stack(images) if images else np.zeros((0, 28, 28)),
                                   labels, drawings)
        pair = personal.personalize(base, samples, should_stop=should_stop, on_progress=report)
        personal.save(pair, out_path, replace=replace)
        return str(out_path), personal.summary(pair, samples.labels), skipped

    return job


class SamplesPanel(Retranslates, QWidget):
    """``teachRequested`` asks the window to start the drill; ``personalModelSaved(path,
    summary)`` after a personal model was written; ``runningChanged(bool)``.

    With the app ``state``, the tab personalizes the state's active model (or its base, looked
    up in the state's catalog) and follows it as it changes; without one (a tab on its own),
    it personalizes the model given to :meth:`set_model`, and a personal model's base is not
    looked up."""

    teachRequested = Signal()
    personalModelSaved = Signal(str, str)
    runningChanged = Signal(bool)

    def __init__(self, runner: JobRunner, state: AppState | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("samplesPanel")
        self.runner = runner
        self.state = state
        self._active: ModelInfo | None = None  # the model set_model was last given
        self._model: ModelInfo | None = None  # what personalizing fine-tunes
        self._time_left = TimeLeft(window_s=PERSONALIZE_ETA_WINDOW_S, settle_s=1.0)
        self._started = 0.0
        self._run: Job | None = None
        self._undo: list[tuple[Path, bytes]] = []
        # The samples as listed, and their thumbnails by path: labelling a drawing adds one
        # of each instead of listing and decoding the whole folder again.
        self._samples: list[Sample] = []
        self._thumbnails: dict[Path, QIcon] = {}
        self._result_words = str  # words the result line (see _say_result)
        self._build()
        self._lay_out()
        for keys, slot in ((QKeySequence.StandardKey.Delete, self.delete_selected),
                           (QKeySequence.StandardKey.Undo, self.undo_delete)):
            shortcut = QShortcut(keys, self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.retranslate()
        if state is not None:
            state.activeModelChanged.connect(self.on_model_changed)
            state.catalogChanged.connect(self.on_model_changed)  # a base may be listed now
            self.on_model_changed()

    def _build(self) -> None:
        self.counts_label = QLabel("", objectName="sampleCounts")
        self.counts_label.setWordWrap(True)
        self.filter = QComboBox(objectName="sampleFilter")
        for digit in range(-1, 10):
            self.filter.addItem("", digit)
        self.filter.currentIndexChanged.connect(self.on_filter_changed)
        self.gallery = QListWidget(objectName="sampleGallery")
        self.gallery.setViewMode(QListWidget.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.gallery.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.gallery.setMovement(QListWidget.Movement.Static)
        self.gallery.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.gallery.setSpacing(4)
        self.teach_button = QPushButton(objectName="teachButton")
        self.teach_button.clicked.connect(self.teachRequested)
        self.delete_button = QPushButton(objectName="deleteSamples")
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button = QPushButton(objectName="undoDelete")
        self.undo_button.clicked.connect(self.undo_delete)
        self.folder_button = QPushButton(objectName="openSamplesFolder")
        self.folder_button.clicked.connect(self.on_open_folder)
        self.personalize_button = QPushButton("", objectName="personalizeButton")
        self.personalize_button.clicked.connect(self.start_personalizing)
        self.cancel_button = QPushButton(objectName="cancelPersonalize")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setVisible(False)
        self.progress = QProgressBar(objectName="personalizeProgress", maximum=1000)
        self.progress.setVisible(False)
        # names a model and a file, both from files: never read as rich text
        self.result_label = plain(QLabel("", objectName="personalizeResult"))
        self.result_label.setWordWrap(True)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.counts_label, 1)
        top.addWidget(self.filter)
        buttons = QHBoxLayout()
        for button in (self.teach_button, self.delete_button, self.undo_button,
                       self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        personal = QHBoxLayout()
        personal.addWidget(self.personalize_button)
        personal.addWidget(self.progress, 1)
        personal.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.gallery, 1)
        layout.addLayout(buttons)
        layout.addLayout(personal)
        layout.addWidget(self.result_label)

    def retranslate(self) -> None:
        """Every text of the tab in the language now installed: buttons, the digit filter,
        the counts and the gallery's captions (listed again), and the last result."""
        for button, text, tip in (
                (self.teach_button, self.tr("Teach mnistpad My Handwriting…"),
                 self.tr("Draw each digit a few times when asked")),
                (self.delete_button, self.tr("Delete"),
                 self.tr("Delete the selected samples (Delete)")),
                (self.undo_button, self.tr("Undo Delete"),
                 self.tr("Bring back the samples deleted last (Ctrl+Z)")),
                (self.folder_button, self.tr("Open Folder"),
                 self.tr("Show the sample files in your file manager")),
                (self.cancel_button, self.tr("Cancel"), "")):
            button.setText(text)
            button.setToolTip(tip)
        self.filter.setItemText(0, self.tr("All digits"))
        for digit in range(10):
            self.filter.setItemText(digit + 1, self.tr("Only {0}s").format(digit))
        self.result_label.setText(self._result_words())
        self.refresh()

    def _say_result(self, text) -> None:
        """Show ``text()`` under the buttons, and again in a new language (``text`` is a
        function that words it)."""
        self._result_words = text
        self.result_label.setText(text())

    # ------------------------------------------------------------------ the list

    def refresh(self, path: str = "", *_) -> None:
        """List the samples folder again; with ``path`` (as the teacher's ``sampleSaved``
        gives it), add that one sample only."""
        if path:
            self.add_sample(path)
            return
        self._samples = list_samples()
        self._thumbnails = {p: icon for p, icon in self._thumbnails.items()
                            if p in {s.path for s in self._samples}}
        self._show_counts()
        self._fill_gallery()

    def add_sample(self, path: str) -> None:
        """A sample just saved: one file read and one thumbnail made, however many there are."""
        sample = sample_at(path)
        if sample is None:
            return
        self._samples.append(sample)
        self._show_counts()
        wanted = self.filter.currentData()
        if wanted in (-1, None) or sample.label == wanted:
            self.gallery.addItem(self._item(sample))
        self.delete_button.setEnabled(self.gallery.count() > 0)

    def on_filter_changed(self, _index: int) -> None:
        self._fill_gallery()

    def _show_counts(self) -> None:
        samples = self._samples
        if samples:
            by_digit = "  ".join(f"{d}: {n}" for d, n in enumerate(counts(samples)))
            self.counts_label.setText(self.tr(
                "Your samples: {0}  ({1} in all, {2} corrections of a misreading)").format(
                by_digit, len(samples), sum(s.corrected for s in samples)))
        else:
            self.counts_label.setText(self.tr(
                "No samples yet. On the Draw tab, draw a digit and press its key (0-9) to keep "
                "it, or press Teach."))
        self.undo_button.setEnabled(bool(self._undo))
        self._update_personalize_button(len(samples))

    def _fill_gallery(self) -> None:
        wanted = self.filter.currentData()
        self.gallery.setUpdatesEnabled(False)
        self.gallery.clear()
        for sample in self._samples:
            if wanted in (-1, None) or sample.label == wanted:
                self.gallery.addItem(self._item(sample))
        self.gallery.setUpdatesEnabled(True)
        self.delete_button.setEnabled(self.gallery.count() > 0)

    def _item(self, sample: Sample) -> QListWidgetItem:
        icon = self._thumbnails.get(sample.path)
        if icon is None:
            icon = self._thumbnails[sample.path] = thumbnail(sample.path,
                                                             self.devicePixelRatioF())
        text = (self.tr("{0} (read {1})").format(sample.label, sample.read_as)
                if sample.corrected else str(sample.label))
        item = QListWidgetItem(icon, text)
        item.setData(Qt.ItemDataRole.UserRole, str(sample.path))
        item.setToolTip(literal_tooltip(str(sample.path)))
        if sample.corrected:
            item.setForeground(QColor(200, 60, 60))
        return item

    def delete_selected(self) -> None:
        paths = [Path(item.data(Qt.ItemDataRole.UserRole))
                 for item in self.gallery.selectedItems()]
        deleted = []
        for path in paths:
            try:
                deleted.append((path, delete_sample(path)))
            except OSError:
                continue
        if deleted:
            self._undo = deleted
        self.refresh()

    def undo_delete(self) -> None:
        for path, data in self._undo:
            restore_sample(path, data)
        self._undo = []
        self.refresh()

    def on_open_folder(self) -> None:
        folder = samples_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # ------------------------------------------------------------------ personalizing

    def on_model_changed(self, *_) -> None:
        """The state's active model or catalog changed: personalize what it makes active."""
        self.set_model(self.state.active)

    def set_model(self, info: ModelInfo | None) -> None:
        """The active model; personalizing starts from it, or from its base when it is a
        personal model (:mod:`mnistpad.ui.samples.base`)."""
        self._active = info
        find = self.state.find_name if self.state is not None else lambda _name: None
        self._model = personalize_from(info, find)
        self._update_personalize_button(len(self._samples))

    def base_name(self) -> str:
        """The name of the model personalizing fine-tunes ("" when there is none)."""
        return self._model.name if self._model else ""

    def _update_personalize_button(self, sample_count: int) -> None:
        name = self.base_name()
        self.personalize_button.setText(self.tr("Personalize {0}").format(name or "…"))
        tip = self.tr(
            "Fine-tune a copy of {0} on your samples in the background; the result becomes "
            "the active model. Saved as: {1}").format(
            name, personal_path(name, user_models_dir()).stem if name else "")
        if self._active is not None and self._active is not self._model:
            tip = self.tr("{0} is a personal model: its base, {1}, is personalized again on all "
                          "your samples.").format(self._active.name, name or "?") + " " + tip
        self.personalize_button.setToolTip(literal_tooltip(tip))
        self.personalize_button.setEnabled(
            self._model is not None and sample_count > 0 and not self.is_running())

    def is_running(self) -> bool:
        return self._run is not None and self._run.is_running()

    def _output(self) -> tuple[Path, bool] | None:
        """The personal model's file and whether it may be replaced; None when it must not or
        may not be written: a shipped model is never replaced, and an existing file only when
        the user says so."""
        path = personal_path(self._model.name, user_models_dir())
        state = output_state(path)
        if state in (OutputState.SHIPPED, OutputState.NOT_A_FILE):
            self._say_result(lambda: self.tr("Cannot save {0}: {1} is not a model file that "
                                             "may be replaced.").format(path.stem, str(path)))
            return None
        if state is OutputState.EXISTS:
            answer = QMessageBox.question(
                self, self.tr("Replace model?"),
                self.tr("A model file {0} exists (you may have trained or received it under "
                        "that name). Replace it with the personal model when personalizing "
                        "finishes?").format(path.name))
            if answer != QMessageBox.StandardButton.Yes:
                return None
            return path, True
        return path, False

    def start_personalizing(self) -> None:
        if self._model is None or self.is_running():
            return
        output = self._output()
        if output is None:
            return
        out_path, replace = output
        name = self._model.name
        self._say_result(lambda: self.tr("Personalizing {0} on your samples…").format(name))
        self._run = self.runner.start(personalize_job(self._model.path, out_path, replace),
                                      "personalize", self._on_progress, self._on_done)
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self._time_left = TimeLeft(window_s=PERSONALIZE_ETA_WINDOW_S, settle_s=1.0)
        self._started = time.monotonic()
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.personalize_button.setEnabled(False)
        self.runningChanged.emit(True)

    def _on_progress(self, fraction) -> None:
        """The bar, with the time left once the estimate has settled (core/training/eta.py)."""
        self.progress.setValue(round(1000 * float(fraction)))
        self._time_left.add(time.monotonic() - self._started, float(fraction))
        left = self._time_left.seconds_left()
        self.progress.setFormat("%p%" if left is None else "%p% · " + self.tr(
            "about {0} left").format(duration_words(left)))

    def cancel(self) -> None:
        if self.is_running():
            self._run.cancel()

    def may_close(self) -> bool:
        """Asked as the window closes, as for training: True to go on closing (personalizing,
        if under way, is stopped then and saves nothing), False to keep it going."""
        if not self.is_running():
            return True
        return ask_to_stop(self, "closeWhilePersonalizing", self.tr("Personalizing is running"),
                           self.tr("A personal model is being fine-tuned ({0}% done); stopping "
                                   "now saves nothing.").format(self.progress.value() // 10),
                           self.tr("Keep Personalizing"), self.tr("Stop and Quit"))

    def shutdown(self) -> None:
        """Cancel (the window is closing; the runner waits for the job)."""
        if self._run is not None:
            self._run.cancel()
            self._run = None

    def _on_done(self, outcome: str, value) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self._run = None
        self.runningChanged.emit(False)
        if outcome == "finished":
            path, facts, skipped = value

            def saved() -> str:
                note = (self.tr(" ({0} unreadable samples skipped)").format(len(skipped))
                        if skipped else "")
                return self.tr("Saved {0}: {1}.{2}").format(Path(path).stem,
                                                            summary_text(facts), note)

            self._say_result(saved)
            self.result_label.setToolTip(literal_tooltip("\n".join(skipped)) if skipped else "")
            self.personalModelSaved.emit(path, summary_text(facts))
        elif outcome == "cancelled":
            self._say_result(lambda: self.tr("Personalizing was cancelled; nothing was saved."))
        else:
            self._say_result(lambda: self.tr("Personalizing failed: {0}").format(
                value.sentence()))
        self.refresh()
