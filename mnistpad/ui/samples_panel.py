"""The Samples tab: your labelled drawings per digit, and personalizing a model on them.

Samples are files in the user data folder (``samples/<digit>/<id>.png``); this view lists them
as thumbnails with the counts per digit, deletes (with undo), starts the teaching drill, and
fine-tunes a personal copy of the active model in a worker thread (progress, cancel; nothing
is written unless it finishes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.errors import MnistpadError
from mnistpad.core.eta import TimeLeft, duration_words
from mnistpad.core.modelfile import SUFFIX, ModelInfo, load_model
from mnistpad.core.paths import user_models_dir
from mnistpad.core.registry import personal_name, scan
from mnistpad.core.samples import (
    counts,
    delete_sample,
    list_samples,
    read_sample,
    restore_sample,
    samples_dir,
)
from mnistpad.ui.jobs import Job, JobRunner
from mnistpad.ui.personal_base import personalize_from
from mnistpad.ui.personal_text import summary_text
from mnistpad.ui.widgets import Retranslates, ask_to_stop

THUMBNAIL = 56
# personalizing takes seconds to a minute: the time-left estimate looks at its last seconds
PERSONALIZE_ETA_WINDOW_S = 5.0


def personalize_job(base_path: Path, out_dir: Path):
    """The job the worker runs: read the samples, fine-tune, save. Returns (path, what was
    measured as data (:func:`personal_facts`), samples skipped)."""

    def job(report, should_stop):
        from mnistpad.core.personal import personalize, save_personal

        samples = list_samples()
        images, labels, skipped = [], [], 0
        for sample in samples:
            try:
                pixels = read_sample(sample.path)
            except MnistpadError:
                pixels = None
            if pixels is None:
                skipped += 1
                continue
            images.append(pixels)
            labels.append(sample.label)
        base = load_model(base_path)
        result = personalize(base, np.stack(images) if images else np.zeros((0, 28, 28)),
                             np.asarray(labels, dtype=np.int64), should_stop=should_stop,
                             on_progress=report)
        path = out_dir / f"{personal_name(base.info.name)}{SUFFIX}"
        save_personal(result, path)
        return str(path), personal_facts(result), skipped

    return job


def personal_facts(result) -> dict:
    """What personalizing measured (a :class:`~mnistpad.core.personal.Personalized`), as the
    data :func:`~mnistpad.ui.personal_text.summary_text` words: a held-out figure whenever
    a digit has two samples, MNIST on the 1,000 test digits that ship with mnistpad."""
    from mnistpad.core.personal import small_mnist

    return {
        "held_out": {"status": "measured" if result.before is not None else "too-few",
                     "count": result.held_out, "before": result.before, "after": result.after,
                     "digits_with_two": result.held_out, "digits_needed": 1},
        "mnist": {"before": result.mnist_before, "after": result.mnist_after,
                  "measured_on": "mnist-small", "count": len(small_mnist()[1])},
    }


class SamplesPanel(Retranslates, QWidget):
    """``teachRequested`` asks the window to start the drill; ``personalModelSaved(path,
    summary)`` after a personal model was written; ``runningChanged(bool)``."""

    teachRequested = Signal()
    personalModelSaved = Signal(str, str)
    runningChanged = Signal(bool)

    def __init__(self, runner: JobRunner, parent: QWidget | None = None,
                 find: Callable[[str], ModelInfo | None] | None = None):
        super().__init__(parent)
        self.setObjectName("samplesPanel")
        self.runner = runner
        self._find = find or (lambda name: scan().find(name))  # a personal model's base
        self._active: ModelInfo | None = None
        self._model: ModelInfo | None = None  # what personalizing fine-tunes
        self._time_left = TimeLeft(window_s=PERSONALIZE_ETA_WINDOW_S, settle_s=1.0)
        self._started = 0.0
        self._run: Job | None = None
        self._undo: list[tuple[Path, bytes]] = []
        self._result_words = str  # words the result line (see _say_result)
        self._build()
        self._lay_out()
        for keys, slot in ((QKeySequence.StandardKey.Delete, self.delete_selected),
                           (QKeySequence.StandardKey.Undo, self.undo_delete)):
            shortcut = QShortcut(keys, self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.retranslate()

    def _build(self) -> None:
        self.counts_label = QLabel("", objectName="sampleCounts")
        self.counts_label.setWordWrap(True)
        self.filter = QComboBox(objectName="sampleFilter")
        for digit in range(-1, 10):
            self.filter.addItem("", digit)
        self.filter.currentIndexChanged.connect(self.refresh)
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
        self.result_label = QLabel("", objectName="personalizeResult")
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

    def refresh(self) -> None:
        samples = list_samples()
        per_digit = counts(samples)
        corrections = sum(s.corrected for s in samples)
        if samples:
            by_digit = "  ".join(f"{d}: {n}" for d, n in enumerate(per_digit))
            self.counts_label.setText(self.tr(
                "Your samples: {0}  ({1} in all, {2} corrections of a misreading)").format(
                by_digit, len(samples), corrections))
        else:
            self.counts_label.setText(self.tr(
                "No samples yet. On the Draw tab, draw a digit and press its key (0-9) to keep "
                "it, or press Teach."))
        wanted = self.filter.currentData()
        self.gallery.clear()
        for sample in samples:
            if wanted not in (-1, None) and sample.label != wanted:
                continue
            text = (self.tr("{0} (read {1})").format(sample.label, sample.read_as)
                    if sample.corrected else str(sample.label))
            item = QListWidgetItem(QIcon(QPixmap(str(sample.path))), text)
            item.setData(Qt.ItemDataRole.UserRole, str(sample.path))
            item.setToolTip(str(sample.path))
            if sample.corrected:
                item.setForeground(QColor(200, 60, 60))
            self.gallery.addItem(item)
        self.undo_button.setEnabled(bool(self._undo))
        self.delete_button.setEnabled(self.gallery.count() > 0)
        self._update_personalize_button(len(samples))

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

    def set_model(self, info: ModelInfo | None) -> None:
        """The window's active model; personalizing starts from it, or from its base when it
        is a personal model (:mod:`mnistpad.ui.personal_base`)."""
        self._active = info
        self._model = personalize_from(info, self._find)
        self._update_personalize_button(len(list_samples()))

    def base_name(self) -> str:
        """The name of the model personalizing fine-tunes ("" when there is none)."""
        return self._model.name if self._model else ""

    def _update_personalize_button(self, sample_count: int) -> None:
        name = self.base_name()
        self.personalize_button.setText(self.tr("Personalize {0}").format(name or "…"))
        tip = self.tr(
            "Fine-tune a copy of {0} on your samples in the background; the result becomes "
            "the active model. Saved as: {1}").format(name, personal_name(name) if name else "")
        if self._active is not None and self._active is not self._model:
            tip = self.tr("{0} is a personal model: its base, {1}, is personalized again on all "
                          "your samples.").format(self._active.name, name or "?") + " " + tip
        self.personalize_button.setToolTip(tip)
        self.personalize_button.setEnabled(
            self._model is not None and sample_count > 0 and not self.is_running())

    def is_running(self) -> bool:
        return self._run is not None and self._run.is_running()

    def start_personalizing(self) -> None:
        if self._model is None or self.is_running():
            return
        name = self._model.name
        self._say_result(lambda: self.tr("Personalizing {0} on your samples…").format(name))
        self._run = self.runner.start(personalize_job(self._model.path, user_models_dir()),
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
        """The bar, with the time left once the estimate has settled (core/eta.py)."""
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
                note = (self.tr(" ({0} unreadable samples skipped)").format(skipped) if skipped
                        else "")
                return self.tr("Saved {0}: {1}.{2}").format(Path(path).stem,
                                                            summary_text(facts), note)

            self._say_result(saved)
            self.personalModelSaved.emit(path, summary_text(facts))
        elif outcome == "cancelled":
            self._say_result(lambda: self.tr("Personalizing was cancelled; nothing was saved."))
        else:
            self._say_result(lambda: self.tr("Personalizing failed: {0}").format(
                value.sentence()))
        self.refresh()
