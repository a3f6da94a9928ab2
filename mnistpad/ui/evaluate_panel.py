"""The Evaluate tab: where a model goes wrong, one click from the numbers to the digits.

The numbers come from :mod:`mnistpad.core.evaluate`; evaluation runs as a job of the app's
runner with progress and cancel, reading with the models the app state has loaded, and its
results are cached (in memory and on disk) by model file content and data set, so a revisit
shows at once. A gallery image can be sent to the
Draw tab (``drawingRequested``) to see what every model reads in it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.errors import MnistpadError
from mnistpad.core.evaluate import (
    CONFIDENT_ERROR,
    SOURCES,
    Comparison,
    DataSource,
    Evaluation,
    EvaluationCache,
    EvaluationCancelled,
    default_cache_dir,
)
from mnistpad.ui.app_state import AppState
from mnistpad.ui.evaluate_plots import (
    ConfusionMatrixView,
    DigitAccuracyBars,
    GalleryModel,
    RejectCurveView,
)
from mnistpad.ui.jobs import Job, JobRunner

DEFAULT_THRESHOLD = 60  # percent; the Draw tab's "not sure" line
# The shipped data sets' names as the GUI shows them (translated; core's own are English)
SOURCE_LABELS = {
    "mnist-test": QT_TRANSLATE_NOOP("EvaluatePanel", "MNIST test"),
    "writers": QT_TRANSLATE_NOOP("EvaluatePanel", "Drawn digits of writers 25-30"),
    "my-samples": QT_TRANSLATE_NOOP("EvaluatePanel", "Your own samples"),
}


class EvaluatePanel(QWidget):
    """A view of ``state``'s models, run by ``runner``. ``drawingRequested`` carries a
    28x28 image for the canvas; ``evaluated`` fires when a
    result is shown (from the cache or a finished run)."""

    drawingRequested = Signal(object)
    evaluated = Signal()
    runEnded = Signal(str)  # "finished", "cancelled" or "failed"

    def __init__(self, state: AppState, runner: JobRunner,
                 sources: list[DataSource] | None = None,
                 cache: EvaluationCache | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("evaluatePanel")
        self.state, self.runner = state, runner
        self.sources = SOURCES if sources is None else sources
        self.cache = cache or EvaluationCache(default_cache_dir())
        self.run: Job | None = None
        self._pending = False
        self.evaluation: Evaluation | None = None
        self.comparison: Comparison | None = None
        self._pair_cells: list[tuple[int, int]] = []
        self.gallery_model = GalleryModel(self)
        self._build()
        state.catalogChanged.connect(self.refresh_choices)
        state.dataDirChanged.connect(self.refresh_choices)
        state.modelsLoaded.connect(self._on_models_loaded)

    @property
    def data_dir(self) -> Path:
        """The MNIST folder the whole app uses (the app state's)."""
        return self.state.data_dir

    def _on_models_loaded(self) -> None:
        if self._pending and self.run is None:
            self._pending = False
            self.request()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.model_box = QComboBox(objectName="evalModel")
        self.model_box.setToolTip(self.tr("The model to evaluate"))
        self.data_box = QComboBox(objectName="evalDataSet")
        self.data_box.setToolTip(self.tr("The data set to read"))
        self.compare_box = QComboBox(objectName="evalCompare")
        self.compare_box.setToolTip(self.tr("A second model: the matrix then shows where the "
                                            "two disagree"))
        for box in (self.model_box, self.data_box, self.compare_box):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(11)
            box.currentIndexChanged.connect(self.request)
        self.evaluate_button = QPushButton(self.tr("Evaluate"), objectName="evalButton")
        self.evaluate_button.setToolTip(self.tr("Evaluate the model on the data set (F5)"))
        self.evaluate_button.setShortcut("F5")
        self.evaluate_button.clicked.connect(self.on_evaluate_clicked)
        self.cancel_button = QPushButton(self.tr("Cancel"), objectName="evalCancel")
        self.cancel_button.setToolTip(self.tr("Stop the evaluation (Ctrl+.)"))
        self.cancel_button.setShortcut("Ctrl+.")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(objectName="evalProgress", maximum=1000)
        self.progress.setFixedWidth(110)

        controls = QHBoxLayout()
        for label, widget in ((self.tr("Model:"), self.model_box),
                              (self.tr("Data set:"), self.data_box),
                              (self.tr("Compare with:"), self.compare_box)):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addStretch(1)
        for widget in (self.evaluate_button, self.cancel_button, self.progress):
            controls.addWidget(widget)

        self.summary = QLabel("", objectName="evalSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.digit_bars = DigitAccuracyBars()
        self.digit_bars.setToolTip(self.tr("Share of each true digit read right"))

        self.matrix = ConfusionMatrixView()
        self.matrix.setToolTip(self.tr("Rows: true digit; columns: what the model read. Click "
                                       "a cell for its images, a header for all of that "
                                       "digit's errors."))
        self.matrix.cellClicked.connect(self.show_cell)
        self.matrix.rowClicked.connect(self.show_row)
        self.matrix.columnClicked.connect(self.show_column)
        self.percent_box = QCheckBox(self.tr("&Row percentages"), objectName="evalPercent")
        self.percent_box.setToolTip(self.tr("Show each row as percentages of the true digit "
                                            "instead of counts"))
        self.percent_box.toggled.connect(self.matrix.set_percent)
        self.side_box = QComboBox(objectName="evalSide")
        self.side_box.currentIndexChanged.connect(self.show_result)
        self.side_box.setVisible(False)

        self.pairs = QListWidget(objectName="evalPairs")
        self.pairs.setToolTip(self.tr("The most frequent errors; click one for its images"))
        self.pairs.currentRowChanged.connect(self.on_pair_chosen)
        self.pairs.itemClicked.connect(lambda item: self.on_pair_chosen(self.pairs.row(item)))

        self.gallery_caption = QLabel(self.tr("Click a cell of the matrix to see its images."),
                                      objectName="evalGalleryCaption")
        self.gallery_caption.setWordWrap(True)
        self.gallery = QListView(objectName="evalGallery")
        self.gallery.setModel(self.gallery_model)
        self.gallery.setFlow(QListView.Flow.LeftToRight)  # image left, readings right
        self.gallery.setWrapping(True)
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setUniformItemSizes(True)
        self.gallery.setSpacing(6)
        self.gallery.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.gallery.setIconSize(QSize(GalleryModel.ICON, GalleryModel.ICON))
        self.gallery.setToolTip(self.tr("Most confident first. Double-click an image (or "
                                        "press Ctrl+Return) to put it on the Draw tab's "
                                        "canvas."))
        self.gallery.doubleClicked.connect(self.send_to_canvas)
        self.canvas_button = QPushButton(self.tr("Put on &Canvas"), objectName="evalToCanvas")
        self.canvas_button.setToolTip(self.tr("Put the chosen image on the Draw tab's canvas, "
                                              "where every model reads it (Ctrl+Return)"))
        self.canvas_button.setShortcut("Ctrl+Return")
        self.canvas_button.clicked.connect(lambda: self.send_to_canvas(
            self.gallery.currentIndex()))

        self.threshold = QSlider(Qt.Orientation.Horizontal, objectName="evalThreshold")
        self.threshold.setRange(0, 99)
        self.threshold.setValue(DEFAULT_THRESHOLD)
        self.threshold.setToolTip(self.tr("Below this confidence the app answers \"not sure\""))
        self.threshold.valueChanged.connect(self.update_threshold)
        self.threshold_label = QLabel("", objectName="evalThresholdText")
        self.threshold_label.setWordWrap(True)
        self.curve = RejectCurveView()
        self.curve.setToolTip(self.tr("Blue: share of images answered; green: accuracy on "
                                      "those answered"))
        self._lay_out(controls)

    def _lay_out(self, controls: QHBoxLayout) -> None:
        left = QVBoxLayout()
        matrix_bar = QHBoxLayout()
        matrix_bar.addWidget(self.percent_box)
        matrix_bar.addWidget(self.side_box)
        matrix_bar.addStretch(1)
        left.addLayout(matrix_bar)
        left.addWidget(self.matrix, 1)
        right = QGridLayout()
        right.addWidget(self.summary, 0, 0, 1, 2)
        right.addWidget(self.digit_bars, 1, 0, 1, 2)
        right.addWidget(QLabel(self.tr("Most confused pairs:")), 2, 0)
        right.addWidget(self.pairs, 3, 0)
        reject = QVBoxLayout()
        reject.addWidget(QLabel(self.tr("Reject threshold:")))
        reject.addWidget(self.threshold)
        reject.addWidget(self.threshold_label)
        reject.addWidget(self.curve, 1)
        right.addLayout(reject, 2, 1, 2, 1)
        top = QSplitter()
        for layout in (left, right):
            holder = QWidget()
            holder.setLayout(layout)
            top.addWidget(holder)
        bottom = QWidget()
        gallery = QVBoxLayout(bottom)
        caption = QHBoxLayout()
        caption.addWidget(self.gallery_caption, 1)
        caption.addWidget(self.canvas_button)
        gallery.addLayout(caption)
        gallery.addWidget(self.gallery, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(split, 1)

    # ------------------------------------------------------------------ choices

    def refresh_choices(self) -> None:
        """Refill the model and data set lists (the catalog may have grown)."""
        infos = self.state.models()
        active = self.state.active
        chosen = self.model_box.currentData() or (str(active.path) if active else None)
        other = self.compare_box.currentData()
        widgets = (self.model_box, self.compare_box, self.data_box)
        for widget in widgets:
            widget.blockSignals(True)
        self.model_box.clear()
        self.compare_box.clear()
        self.compare_box.addItem(self.tr("(no second model)"), None)
        for info in infos:
            self.model_box.addItem(info.name, str(info.path))
            self.compare_box.addItem(info.name, str(info.path))
        for box, value in ((self.model_box, chosen), (self.compare_box, other)):
            index = box.findData(str(value)) if value is not None else -1
            box.setCurrentIndex(max(index, 0))
        self._fill_sources()
        for widget in widgets:
            widget.blockSignals(False)

    def _label(self, source: DataSource) -> str:
        """The data set's name in the GUI's language (core names it in English)."""
        return self.tr(SOURCE_LABELS[source.name]) if source.name in SOURCE_LABELS \
            else source.label

    def _fill_sources(self) -> None:
        chosen = self.data_box.currentData()
        self.data_box.clear()
        model = self.data_box.model()
        for source in self.sources:
            problem = source.problem(self.data_dir)
            text = self._label(source) if problem is None else self.tr("{0} — {1}").format(
                self._label(source), problem)
            self.data_box.addItem(text, source.name)
            if problem is not None and isinstance(model, QStandardItemModel):
                item = model.item(self.data_box.count() - 1)
                item.setEnabled(False)
                item.setToolTip(problem)
        usable = [i for i in range(self.data_box.count())
                  if model.flags(model.index(i, 0)) & Qt.ItemFlag.ItemIsEnabled]
        wanted = self.data_box.findData(chosen)
        self.data_box.setCurrentIndex(wanted if wanted in usable else (usable or [-1])[0])

    def source(self) -> DataSource | None:
        name = self.data_box.currentData()
        return next((s for s in self.sources if s.name == name), None)

    def choose(self, model: Path | None = None, data_set: str | None = None,
               compare: Path | None = None) -> None:
        """Pick the model, data set and second model (None for no comparison)."""
        for box, value in ((self.model_box, model), (self.data_box, data_set)):
            if value is not None:
                box.blockSignals(True)
                box.setCurrentIndex(box.findData(str(value)))
                box.blockSignals(False)
        self.compare_box.blockSignals(True)
        self.compare_box.setCurrentIndex(max(0, self.compare_box.findData(str(compare))))
        self.compare_box.blockSignals(False)
        self.request()

    def _paths(self) -> list[Path]:
        first, second = self.model_box.currentData(), self.compare_box.currentData()
        if first is None:
            return []
        return [Path(first)] + ([Path(second)] if second is not None and second != first else [])

    # ------------------------------------------------------------------ evaluating

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh_choices()
        if self.evaluation is None and self.run is None:
            self.request()

    def on_evaluate_clicked(self) -> None:
        """Evaluate with the data set read again: a set that grows (the user's own samples)
        is then evaluated as it is now."""
        source = self.source()
        if source is not None and self.run is None:
            self.cache.forget_data_set(source, self.data_dir)
        self.request()

    def request(self) -> None:
        """Show the chosen evaluation: at once from the cache, else in the worker."""
        source, paths = self.source(), self._paths()
        if source is None or not paths:
            self.summary.setText(self._nothing_to_evaluate())
            return
        if self.run is not None:
            self._pending = True
            self.run.cancel()
            return
        if not self.state.models_ready:  # evaluated with the app's models, once they are in
            self._pending = True
            self.summary.setText(self.tr("Loading the models…"))
            return
        data = self.cache.loaded_data_set(source, self.data_dir)
        found = [self.cache.peek(p, data) for p in paths] if data is not None else [None]
        if all(e is not None for e in found):
            self.show_results(found)
            return
        self.start(source, paths)

    def _nothing_to_evaluate(self) -> str:
        if not self.model_box.count():
            return self.tr("No saved models to evaluate yet: train one on the Train tab.")
        if self.source() is None and self.data_box.count():
            reason = self.data_box.itemData(0, Qt.ItemDataRole.ToolTipRole)
            return self.tr("No data set can be read: {0}").format(reason)
        return self.tr("Choose a model and a data set.")

    def start(self, source: DataSource, paths: list[Path]) -> None:
        try:
            loaded = {path: self.state.classifier(path) for path in paths}
        except MnistpadError as exc:
            self.summary.setText(self.tr("Cannot evaluate: {0}").format(escape(str(exc))))
            return
        job = evaluate_job(self.cache, source, self.data_dir, paths, loaded.__getitem__)
        self.run = self.runner.start(job, "evaluate", self.on_progress, self.on_done)
        self._set_running(True)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Reading %p%"))
        self.summary.setText(self.tr("Evaluating {0} on {1}…").format(
            ", ".join(p.stem for p in paths), self._label(source)))

    def cancel(self) -> None:
        if self.run is not None:
            self._pending = False
            self.run.cancel()
            self.progress.setFormat(self.tr("Cancelling…"))

    def shutdown(self) -> None:
        """Stop any evaluation (the window is closing; the runner waits for it)."""
        self._pending = False
        if self.run is not None:
            self.run.cancel()
            self.run = None

    def is_running(self) -> bool:
        return self.run is not None

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)
        self.evaluate_button.setEnabled(not running)

    def on_progress(self, fraction: float) -> None:
        self.progress.setValue(round(fraction * 1000))

    def on_done(self, outcome: str, result) -> None:
        self.run = None
        self._set_running(False)
        if outcome == "finished":
            self.progress.setValue(self.progress.maximum())
            self.progress.setFormat(self.tr("Done"))
            self.show_results(result)
        else:
            self.progress.setValue(0)
            self.progress.setFormat(self.tr("Cancelled") if outcome == "cancelled"
                                    else self.tr("Failed"))
            self.summary.setText(self.tr("Evaluation cancelled.") if outcome == "cancelled"
                                 else self.tr("Cannot evaluate: {0}").format(
                                     escape(result.sentence())))
        self.runEnded.emit(outcome)
        if self._pending:
            self._pending = False
            self.request()

    # ------------------------------------------------------------------ showing results

    def show_results(self, results: list[Evaluation]) -> None:
        self.evaluation = results[0]
        self.comparison = Comparison(results[0], results[1]) if len(results) > 1 else None
        self._fill_sides()
        self.show_result()
        self.evaluated.emit()

    def _fill_sides(self) -> None:
        """The comparison's two sides, in the window's language."""
        side = self.side_box.currentData()
        self.side_box.blockSignals(True)
        self.side_box.clear()
        if self.comparison is not None:
            a, b = self.comparison.a.model, self.comparison.b.model
            self.side_box.addItem(self.tr("{0} right, {1} wrong").format(a, b), "a")
            self.side_box.addItem(self.tr("{0} right, {1} wrong").format(b, a), "b")
            self.side_box.setCurrentIndex(max(0, self.side_box.findData(side)))
        self.side_box.setVisible(self.comparison is not None)
        self.side_box.blockSignals(False)

    def changeEvent(self, event) -> None:
        """A live language switch: the result's texts, again in the new language."""
        if event.type() == QEvent.Type.LanguageChange and self.data_box.count():
            self.data_box.blockSignals(True)
            self._fill_sources()
            self.data_box.blockSignals(False)
            self._fill_sides()
            if self.evaluation is not None:
                self.show_result()
        super().changeEvent(event)

    def side(self) -> str:
        return self.side_box.currentData() or "a"

    def show_result(self) -> None:
        ev = self.evaluation
        if ev is None:
            return
        self.summary.setText(self._summary_text(ev))
        self.digit_bars.set_values(ev.per_digit_accuracy())
        view = self.view()
        self.matrix.set_matrix(view.matrix(), diagonal_apart=self.comparison is None)
        pairs = view.pairs()
        self.pairs.blockSignals(True)
        self.pairs.clear()
        self._pair_cells = [(p.true, p.read) for p in pairs]
        for p in pairs:
            self.pairs.addItem(self.tr("{0} read as {1}: {2}").format(p.true, p.read, p.count))
        self.pairs.blockSignals(False)
        self.curve.set_curve(ev.reject_curve())
        self.update_threshold()
        self.set_gallery(np.zeros(0, dtype=np.int64),
                         self.tr("Click a cell of the matrix to see its images."))

    def _summary_text(self, ev: Evaluation) -> str:
        right, wrong = ev.mean_confidence(True), ev.mean_confidence(False)
        text = self.tr("<b>{0}</b> on {1}: accuracy <b>{2:.2f}%</b> ({3:,} / {4:,}). Mean "
                       "confidence {5} when right, {6} when wrong. Confident errors (wrong "
                       "with probability above {7:.0%}): <b>{8}</b>.").format(
            escape(ev.model), escape(self.data_box.currentText()), 100 * ev.accuracy,
            ev.correct, len(ev),
            "-" if right is None else f"{100 * right:.1f}%",
            "-" if wrong is None else f"{100 * wrong:.1f}%", CONFIDENT_ERROR,
            ev.confident_errors())
        if self.comparison is not None:
            c = self.comparison
            text += "<br>" + self.tr("{0} right where {1} is wrong: <b>{2}</b>; the reverse: "
                                     "<b>{3}</b>; both wrong: {4}.").format(
                escape(c.a.model), escape(c.b.model), c.side("a").count(),
                c.side("b").count(), c.both_wrong())
        return text

    def update_threshold(self) -> None:
        threshold = self.threshold.value() / 100
        self.curve.set_threshold(threshold)
        if self.evaluation is None:
            return
        coverage, accuracy = self.evaluation.reject_curve(np.array([threshold])).at(threshold)
        accuracy_text = "-" if np.isnan(accuracy) else f"{100 * accuracy:.2f}%"
        self.threshold_label.setText(self.tr(
            "Below {0}% confidence: \"not sure\". Answers {1:.1f}% of the images, {2} of those "
            "right.").format(self.threshold.value(), 100 * coverage, accuracy_text))

    # ------------------------------------------------------------------ gallery

    def set_gallery(self, indices: np.ndarray, caption: str) -> None:
        ev = self.evaluation
        shown = [ev] if self.comparison is None else [self.comparison.a, self.comparison.b]
        self.gallery_model.set_items(indices, ev.images, ev.labels,
                                     [(e.predictions, e.confidence) for e in shown])
        if self.comparison is not None:
            caption += self.tr(" (upper line: {0}, lower line: {1})").format(
                self.comparison.a.model, self.comparison.b.model)
        self.gallery_caption.setText(caption)
        if len(indices):
            self.gallery.setCurrentIndex(self.gallery_model.index(0))

    def _count_caption(self, n: int, what: str) -> str:
        return self.tr("%n image(s): {0}, most confident first", "", n).format(what)

    def view(self):
        """What the matrix shows: the evaluation, or one side of the comparison."""
        if self.comparison is not None:
            return self.comparison.side(self.side())
        return self.evaluation

    def show_cell(self, true: int, read: int) -> None:
        if self.evaluation is not None:
            indices = self.view().cell(true, read)
            self.set_gallery(indices, self._count_caption(
                len(indices), self.tr("true {0}, read as {1}").format(true, read)))

    def show_row(self, true: int) -> None:
        if self.evaluation is not None:
            indices = self.view().row(true)
            self.set_gallery(indices, self._count_caption(
                len(indices), self.tr("every {0} read wrong").format(true)))

    def show_column(self, read: int) -> None:
        if self.evaluation is not None:
            indices = self.view().column(read)
            self.set_gallery(indices, self._count_caption(
                len(indices), self.tr("every other digit read as {0}").format(read)))

    def on_pair_chosen(self, row: int) -> None:
        if 0 <= row < len(self._pair_cells):
            self.matrix.selected = ("cell", *self._pair_cells[row])
            self.matrix.update()
            self.show_cell(*self._pair_cells[row])

    def send_to_canvas(self, index) -> None:
        if self.evaluation is None or not index.isValid():
            return
        image_index = self.gallery_model.data(index, GalleryModel.IMAGE_INDEX)
        self.drawingRequested.emit(self.evaluation.images[image_index].copy())


def evaluate_job(cache: EvaluationCache, source: DataSource, data_dir: Path, paths: list[Path],
                 classifier_for):
    """The evaluation as a job: each model (``classifier_for(path)``, loaded already) on the
    data set, from the cache when it holds the result."""

    def job(report, should_stop):
        data = cache.data_set(source, data_dir)
        results = []
        for k, path in enumerate(paths):
            if should_stop():
                raise EvaluationCancelled("Evaluation cancelled.")
            results.append(cache.evaluation(
                path, data, classifier_for,
                on_progress=lambda f, k=k: report((k + f) / len(paths)),
                should_stop=should_stop))
        return results

    return job
