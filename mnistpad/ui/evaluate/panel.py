"""The Evaluate tab: where a model goes wrong, one click from the numbers to the digits.

The numbers come from :mod:`mnistpad.core.evaluation.evaluate`; evaluation runs as a job of the
app's
runner with progress and cancel, reading with the models the app state has loaded, and its
results are cached (in memory and on disk) by model file content and data set, so a revisit
shows at once. A gallery image can be sent to the
Draw tab (``drawingRequested``) to see what every model reads in it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QWidget

from mnistpad.core.evaluation.evaluate import (
    SOURCES,
    Comparison,
    DataSource,
    Evaluation,
    EvaluationCache,
    default_cache_dir,
)
from mnistpad.core.platform.errors import MnistpadError
from mnistpad.ui.evaluate.job import evaluate_job
from mnistpad.ui.evaluate.layout import EvaluateLayout
from mnistpad.ui.evaluate.plots import GalleryModel
from mnistpad.ui.evaluate.text import EvaluateTexts
from mnistpad.ui.state.app_state import AppState
from mnistpad.ui.state.jobs import Job, JobRunner
from mnistpad.ui.widgets.probabilities import Retranslates, show_finished

# The shipped data sets' names as the GUI shows them (translated; core's own are English)
SOURCE_LABELS = {
    "mnist-test": QT_TRANSLATE_NOOP("EvaluatePanel", "MNIST test"),
    "writers": QT_TRANSLATE_NOOP("EvaluatePanel", "Drawn digits of writers 25-30"),
    "my-samples": QT_TRANSLATE_NOOP("EvaluatePanel", "Your own samples"),
}


class EvaluatePanel(Retranslates, EvaluateTexts, EvaluateLayout, QWidget):
    """A view of ``state``'s models, run by ``runner``. ``drawingRequested`` carries a
    28x28 image for the canvas, then ``trueLabelSent`` its label; ``evaluated`` fires when a
    result is shown (from the cache or a finished run)."""

    drawingRequested = Signal(object)
    trueLabelSent = Signal(int)
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
        self.threads: int | None = None  # torch threads of the evaluation (None: the default)
        self._pending = False
        self.evaluation: Evaluation | None = None
        self.comparison: Comparison | None = None
        self._pair_cells: list[tuple[int, int]] = []
        self._pairs: list = []
        self.gallery_model = GalleryModel(self)
        self._summary_words, self._progress_words = str, lambda: "%p%"
        self._caption_words = lambda: self.tr("Click a cell of the matrix to see its images.")
        self._build()
        self._connect()
        self.retranslate()
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

    # ------------------------------------------------------------------ texts

    def _connect(self) -> None:
        for box in (self.model_box, self.data_box, self.compare_box):
            box.currentIndexChanged.connect(self.request)
        self.evaluate_button.clicked.connect(self.on_evaluate_clicked)
        self.cancel_button.clicked.connect(self.cancel)
        self.matrix.cellClicked.connect(self.show_cell)
        self.matrix.rowClicked.connect(self.show_row)
        self.matrix.columnClicked.connect(self.show_column)
        self.percent_box.toggled.connect(self.matrix.set_percent)
        self.side_box.currentIndexChanged.connect(self.show_result)
        self.pairs.currentRowChanged.connect(self.on_pair_chosen)
        self.pairs.itemClicked.connect(lambda item: self.on_pair_chosen(self.pairs.row(item)))
        self.gallery.doubleClicked.connect(self.send_to_canvas)
        self.canvas_button.clicked.connect(lambda: self.send_to_canvas(
            self.gallery.currentIndex()))
        self.threshold.valueChanged.connect(self.update_threshold)

    def retranslate(self) -> None:
        """Every text of the tab in the language now installed: the static ones, the lists
        (data sets, "no second model", the comparison's sides, the confused pairs) and
        what is shown (summary, progress, gallery caption, threshold reading)."""
        self._retranslate_widgets()
        if self.compare_box.count():
            self.compare_box.setItemText(0, self.tr("(no second model)"))
        if self.data_box.count():
            self.data_box.blockSignals(True)
            self._fill_sources()
            self.data_box.blockSignals(False)
        self._fill_sides()
        self._fill_pairs()
        self.summary.setText(self._summary_words())
        self.progress.setFormat(self._progress_words())
        self.gallery_caption.setText(self._caption_words())
        self.update_threshold()

    def _say(self, summary=None, progress=None) -> None:
        """Show ``summary()`` and the bar's ``progress()`` format (functions that word them,
        called again on a language change); None leaves one as it is."""
        if summary is not None:
            self._summary_words = summary
            self.summary.setText(summary())
        if progress is not None:
            self._progress_words = progress
            self.progress.setFormat(progress())

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
            # the reason's gist in the list (its whole sentence in the tooltip), so that the
            # box shows every entry whole in a small window too
            text = self._label(source) if problem is None else self.tr("{0} — {1}").format(
                self._label(source), problem.split(":")[0])
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
            self._say(self._nothing_to_evaluate)
            return
        if self.run is not None:
            self._pending = True
            self.run.cancel()
            return
        if not self.state.models_ready:  # evaluated with the app's models, once they are in
            self._pending = True
            self._say(lambda: self.tr("Loading the models…"))
            return
        data = self.cache.loaded_data_set(source, self.data_dir)
        found = [self.cache.peek(p, data, self.stroke_reader_for(p)) for p in paths] \
            if data is not None else [None]
        if all(e is not None for e in found):
            self.show_results(found)
            return
        self.start(source, paths)

    def stroke_reader_for(self, path: Path):
        """The stroke reader of a model that reads strokes too (the default, its own for a
        personal copy), the app's loaded one; None for the others, or when none loads."""
        return self.state.stroke_reader_for(self.state.find(path))

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
            reason = escape(str(exc))  # exc is gone after the except block
            self._say(lambda: self.tr("Cannot evaluate: {0}").format(reason))
            return
        readers = {path: self.stroke_reader_for(path) for path in paths}  # looked up here
        job = evaluate_job(self.cache, source, self.data_dir, paths, loaded.__getitem__,
                           readers.__getitem__)
        self.run = self.runner.start(job, "evaluate", self.on_progress, self.on_done,
                                     threads=self.threads)
        self._set_running(True)
        self.progress.setValue(0)
        show_finished(self.progress, False)
        self._say(lambda: self.tr("Evaluating {0} on {1}…").format(
            ", ".join(p.stem for p in paths), self._label(source)),
                  lambda: self.tr("Reading %p%"))

    def cancel(self) -> None:
        if self.run is not None:
            self._pending = False
            self.run.cancel()
            self._say(progress=lambda: self.tr("Cancelling…"))

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
            self._say(progress=lambda: self.tr("Done"))
            show_finished(self.progress, True)
            self.show_results(result)
        else:
            self.progress.setValue(0)
            if outcome == "cancelled":
                self._say(lambda: self.tr("Evaluation cancelled."),
                          lambda: self.tr("Cancelled"))
            else:
                self._say(lambda: self.tr("Cannot evaluate: {0}").format(
                    escape(result.sentence())), lambda: self.tr("Failed"))
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

    def side(self) -> str:
        return self.side_box.currentData() or "a"

    def show_result(self) -> None:
        ev = self.evaluation
        if ev is None:
            return
        self._say(lambda: self._summary_text(ev))
        self.digit_bars.set_values(ev.per_digit_accuracy())
        view = self.view()
        self.matrix.set_matrix(view.matrix(), diagonal_apart=self.comparison is None)
        self._pairs = view.pairs()
        self._pair_cells = [(p.true, p.read) for p in self._pairs]
        self._fill_pairs(keep_row=False)
        self.curve.set_curve(ev.reject_curve())
        self.update_threshold()
        self.set_gallery(np.zeros(0, dtype=np.int64),
                         lambda: self.tr("Click a cell of the matrix to see its images."))

    def _fill_pairs(self, keep_row: bool = True) -> None:
        """The most confused pairs, in the window's language."""
        row = self.pairs.currentRow() if keep_row else -1
        self.pairs.blockSignals(True)
        self.pairs.clear()
        for p in self._pairs:
            self.pairs.addItem(self.tr("{0} read as {1}: {2}").format(p.true, p.read, p.count))
        self.pairs.setCurrentRow(row)
        self.pairs.blockSignals(False)

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

    def set_gallery(self, indices: np.ndarray, caption) -> None:
        """Show the images at ``indices``, under ``caption()`` (a function that words it)."""
        ev = self.evaluation
        shown = [ev] if self.comparison is None else [self.comparison.a, self.comparison.b]
        self.gallery_model.set_items(indices, ev.images, ev.labels,
                                     [(e.predictions, e.confidence) for e in shown])
        comparison = self.comparison

        def text() -> str:
            if comparison is None:
                return caption()
            return caption() + self.tr(" (upper line: {0}, lower line: {1})").format(
                comparison.a.model, comparison.b.model)

        self._caption_words = text
        self.gallery_caption.setText(text())
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
            self.set_gallery(indices, lambda: self._count_caption(
                len(indices), self.tr("true {0}, read as {1}").format(true, read)))

    def show_row(self, true: int) -> None:
        if self.evaluation is not None:
            indices = self.view().row(true)
            self.set_gallery(indices, lambda: self._count_caption(
                len(indices), self.tr("every {0} read wrong").format(true)))

    def show_column(self, read: int) -> None:
        if self.evaluation is not None:
            indices = self.view().column(read)
            self.set_gallery(indices, lambda: self._count_caption(
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
        self.trueLabelSent.emit(int(self.evaluation.labels[image_index]))

