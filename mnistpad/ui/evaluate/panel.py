"""The Evaluate tab: where a model goes wrong, one click from the numbers to the digits.

The panel holds the choices (the model, the data set, a second model to compare with) and runs
the evaluation: the numbers come from :mod:`mnistpad.core.evaluation.evaluate`; evaluation runs
as a job of the app's runner with progress and cancel, reading with the models the app state
has loaded, and its results are cached (in memory and on disk) by model file content and data
set, so a revisit shows at once. Each result is shown by the
:class:`~mnistpad.ui.evaluate.results.ResultsBrowser` below the choices, whose gallery images
can be sent to the Draw tab (``drawingRequested``) to see what every model reads in them.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

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
from mnistpad.ui.evaluate.results import ResultsBrowser
from mnistpad.ui.evaluate.summary import summary_text
from mnistpad.ui.state.app_state import AppState
from mnistpad.ui.state.jobs import Job, JobRunner
from mnistpad.ui.widgets.probabilities import Retranslates, show_finished

# The shipped data sets' names as the GUI shows them (translated; core's own are English)
SOURCE_LABELS = {
    "mnist-test": QT_TRANSLATE_NOOP("EvaluatePanel", "MNIST test"),
    "writers": QT_TRANSLATE_NOOP("EvaluatePanel", "Drawn digits of writers 25-30"),
    "my-samples": QT_TRANSLATE_NOOP("EvaluatePanel", "Your own samples"),
}


class EvaluatePanel(Retranslates, QWidget):
    """A view of ``state``'s models, run by ``runner``, its results in ``results`` (a
    :class:`ResultsBrowser`). ``drawingRequested`` carries a 28x28 image for the canvas, then
    ``trueLabelSent`` its label; ``evaluated`` fires when a result is shown (from the cache or
    a finished run)."""

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
        self._summary_words, self._progress_words = str, lambda: "%p%"
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

    # ------------------------------------------------------------------ widgets and texts

    def _build(self) -> None:
        """The choices on one row, the buttons and the progress on the next (on one row they
        are wider than an 800x600 window), the results browser below."""
        self.model_box = QComboBox(objectName="evalModel")
        self.data_box = QComboBox(objectName="evalDataSet")
        self.compare_box = QComboBox(objectName="evalCompare")
        for box in (self.model_box, self.compare_box):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(11)
        # a data set's name is long ("Drawn digits of writers 25-30"): shown whole
        self.data_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.evaluate_button = QPushButton(objectName="evalButton")
        self.evaluate_button.setShortcut("F5")
        self.cancel_button = QPushButton(objectName="evalCancel")
        self.cancel_button.setShortcut("Ctrl+.")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(objectName="evalProgress", maximum=1000)
        self.progress.setMinimumWidth(110)
        self.summary = QLabel("", objectName="evalSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results = ResultsBrowser(self.summary)
        self._labels = [QLabel() for _ in range(3)]  # Model, Data set, Compare with
        choices = QHBoxLayout()
        for label, widget in zip(self._labels, (self.model_box, self.data_box,
                                                self.compare_box), strict=True):
            choices.addWidget(label)
            choices.addWidget(widget)
        choices.addStretch(1)
        run = QHBoxLayout()
        run.addWidget(self.evaluate_button)
        run.addWidget(self.cancel_button)
        run.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addLayout(run)
        layout.addWidget(self.results, 1)

    def _connect(self) -> None:
        for box in (self.model_box, self.data_box, self.compare_box):
            box.currentIndexChanged.connect(self.request)
        self.evaluate_button.clicked.connect(self.on_evaluate_clicked)
        self.cancel_button.clicked.connect(self.cancel)
        self.results.drawingRequested.connect(self.drawingRequested)
        self.results.trueLabelSent.connect(self.trueLabelSent)

    def retranslate(self) -> None:
        """Every text of the choices and the run in the language now installed: the static
        ones, the lists (data sets, "no second model") and what is shown (summary, progress).
        The results browser retells its own."""
        texts = (self.tr("Model:"), self.tr("Data set:"), self.tr("Compare with:"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        for widget, tip in (
                (self.model_box, self.tr("The model to evaluate")),
                (self.data_box, self.tr("The data set to read")),
                (self.compare_box, self.tr("A second model: the matrix then shows where the "
                                           "two disagree")),
                (self.evaluate_button, self.tr("Evaluate the model on the data set (F5)")),
                (self.cancel_button, self.tr("Stop the evaluation (Ctrl+.)"))):
            widget.setToolTip(tip)
        self.evaluate_button.setText(self.tr("Evaluate"))
        self.cancel_button.setText(self.tr("Cancel"))
        if self.compare_box.count():
            self.compare_box.setItemText(0, self.tr("(no second model)"))
        if self.data_box.count():
            self.data_box.blockSignals(True)
            self._fill_sources()
            self.data_box.blockSignals(False)
        self.summary.setText(self._summary_words())
        self.progress.setFormat(self._progress_words())

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
        """Show the first model's evaluation, compared with the second's when there is one."""
        ev = self.evaluation = results[0]
        comparison = self.comparison = \
            Comparison(results[0], results[1]) if len(results) > 1 else None
        self._say(lambda: summary_text(ev, comparison, self.state, self.data_box.currentText(),
                                       self.data_box.currentData() == "my-samples"))
        self.results.show_evaluation(ev, comparison)
        self.evaluated.emit()
