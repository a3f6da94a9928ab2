"""The optimizer race: pick a lab variant and two to five optimizers, watch them learn.

A standalone view. The race itself is :func:`mnistpad.core.lessons.race.race_job`, run by a
job of the app's runner (:class:`~mnistpad.ui.state.jobs.JobRunner`); the curves are the Train
tab's chart
(:class:`~mnistpad.ui.widgets.run_chart.RunChart`: each batch smoothed, epoch means, test accuracy
per epoch), one run per racer, redrawn on a timer rather than per batch. When the race ends,
the table lists each racer and any that did not diverge can be kept as a model file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.lessons.race import (
    LECTURE_LEARNING_RATE,
    MIN_RACERS,
    RACE_OPTIMIZERS,
    RACE_VARIANTS,
    TUNED_LEARNING_RATES,
    Racer,
    race_job,
)
from mnistpad.core.models.specs import LAB_VARIANTS, MAX_EPOCHS, MAX_LEARNING_RATE, OPTIMIZER_LABELS
from mnistpad.core.platform.paths import user_models_dir
from mnistpad.ui.widgets.probabilities import ask_to_stop
from mnistpad.ui.widgets.run_chart import RunChart, RunHistory

COLOURS = {"sgd": "#d62728", "momentum": "#ff7f0e", "adagrad": "#2ca02c",
           "rmsprop": "#9467bd", "adam": "#1f77b4"}
REDRAW_MS = 100  # 10 Hz: five racers' curves cost five times one run's to paint
DEFAULT_EPOCHS = 3


class RacePanel(QWidget):
    """``raceStarted()``; ``raceFinished(dict)`` with the race as plain data
    (:meth:`mnistpad.core.lessons.race.RaceResult.to_dict` with detail: per racer its optimizer,
    learning rate, costs, epoch means, test accuracies and ``diverged_at``);
    ``modelKept(str)`` with the path of a racer kept as a model; ``runningChanged(bool)``."""

    raceStarted = Signal()
    raceFinished = Signal(object)
    modelKept = Signal(str)
    runningChanged = Signal(bool)

    def __init__(self, runner, data_dir: Callable[[], Path],
                 models_dir: Callable[[], Path] = user_models_dir, device: str = "auto",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("racePanel")
        self.data_dir = data_dir
        self.models_dir = models_dir
        self.device = device
        self.runner = runner  # the app's JobRunner
        self.run = None
        self.result = None
        self.histories: list[RunHistory] = []
        self._racers: list[Racer] = []
        self._dirty = self._rebuild = False
        self._redraw = QTimer(self, interval=REDRAW_MS)
        self._redraw.timeout.connect(self.on_redraw)
        self._build()
        self.retranslate()
        self.on_racers_changed()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self._build_form()
        grid = self._racer_rows()
        self.all_lecture = QPushButton(objectName="raceAllLecture")
        self.all_lecture.clicked.connect(lambda: self._set_rates(None))
        self.all_tuned = QPushButton(objectName="raceAllTuned")
        self.all_tuned.clicked.connect(lambda: self._set_rates(TUNED_LEARNING_RATES))
        presets = QHBoxLayout()
        presets.addWidget(self.all_lecture)
        presets.addWidget(self.all_tuned)

        self.start_button = QPushButton(objectName="raceStart")
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(objectName="raceCancel", enabled=False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(objectName="raceProgress", maximum=1000)
        self.status = QLabel("", objectName="raceStatus", wordWrap=True)
        self.table = QTableWidget(0, 5, objectName="raceTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self.on_selection_changed)
        self.keep_button = QPushButton(objectName="raceKeep", enabled=False)
        self.keep_button.clicked.connect(self.keep_selected)
        self.chart = RunChart()
        self.log_scale = QCheckBox(objectName="raceLogScale")
        self.log_scale.toggled.connect(self.chart.set_log_y)

        side = QVBoxLayout()
        side.addLayout(self.form)
        side.addLayout(grid)
        side.addLayout(presets)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        side.addLayout(buttons)
        side.addWidget(self.progress)
        side.addWidget(self.status)
        side.addWidget(self.table, 1)
        side.addWidget(self.keep_button)
        charted = QVBoxLayout()
        charted.addWidget(self.chart, 1)
        charted.addWidget(self.log_scale)
        layout = QHBoxLayout(self)
        layout.addLayout(side, 2)
        layout.addLayout(charted, 3)

    def _build_form(self) -> None:
        """Variant, epochs and seed."""
        self.variant = QComboBox(objectName="raceVariant")
        for name in RACE_VARIANTS:
            self.variant.addItem(name, name)
        self.variant.setCurrentIndex(RACE_VARIANTS.index("xavier"))
        self.epochs = QSpinBox(objectName="raceEpochs")
        self.epochs.setRange(1, MAX_EPOCHS)
        self.epochs.setValue(DEFAULT_EPOCHS)
        self.seed = QSpinBox(objectName="raceSeed")
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(777)
        self.form = QFormLayout()
        self.form_labels = [QLabel(), QLabel(), QLabel()]
        for label, field in zip(self.form_labels, (self.variant, self.epochs, self.seed),
                                strict=True):
            self.form.addRow(label, field)

    def _racer_rows(self) -> QGridLayout:
        """One row per optimizer: whether it races, its learning rate, its tuned preset."""
        grid = QGridLayout()
        self.checks: dict[str, QCheckBox] = {}
        self.rates: dict[str, QDoubleSpinBox] = {}
        self.tuned: dict[str, QToolButton] = {}
        for row, name in enumerate(RACE_OPTIMIZERS):
            check = QCheckBox(OPTIMIZER_LABELS[name], objectName=f"race_{name}", checked=True)
            check.toggled.connect(self.on_racers_changed)
            rate = QDoubleSpinBox(objectName=f"raceLr_{name}")
            rate.setDecimals(5)
            rate.setRange(0.00001, MAX_LEARNING_RATE)
            rate.setSingleStep(0.001)
            rate.setValue(LECTURE_LEARNING_RATE)
            tuned = QToolButton(objectName=f"raceTuned_{name}")
            tuned.clicked.connect(lambda _=False, n=name: self.rates[n].setValue(
                TUNED_LEARNING_RATES[n]))
            self.checks[name], self.rates[name], self.tuned[name] = check, rate, tuned
            for col, widget in enumerate((check, rate, tuned)):
                grid.addWidget(widget, row, col)
        return grid

    def retranslate(self) -> None:
        for label, text in zip(self.form_labels, (self.tr("Variant"), self.tr("Epochs"),
                                                  self.tr("Seed")), strict=True):
            label.setText(text)
        for name, button in self.tuned.items():
            button.setText(self.tr("tuned"))
            button.setToolTip(self.tr("A learning rate at which {0} learns well: {1}").format(
                OPTIMIZER_LABELS[name], f"{TUNED_LEARNING_RATES[name]:g}"))
        self.all_lecture.setText(self.tr("All at the lecture's {0}").format(
            f"{LECTURE_LEARNING_RATE:g}"))
        self.all_tuned.setText(self.tr("All tuned"))
        self.log_scale.setText(self.tr("Log scale"))
        self.start_button.setText(self.tr("Race"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.keep_button.setText(self.tr("Keep as Model"))
        self.keep_button.setToolTip(self.tr("Save the selected optimizer's model to your "
                                            "models folder"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Optimizer"), self.tr("learning rate"), self.tr("cost"),
            self.tr("test accuracy"), self.tr("diverged")])
        self.chart.hint.setText(self.tr(
            "Pick a variant and two to five optimizers, then press Race: they train from the "
            "same weights on the same batches, and their costs appear here side by side."))
        self.on_racers_changed()
        if self.result is not None:
            self._fill_table()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ choosing

    def _set_rates(self, rates: dict[str, float] | None) -> None:
        for name, spin in self.rates.items():
            spin.setValue(rates[name] if rates else LECTURE_LEARNING_RATE)

    def chosen_racers(self) -> list[Racer]:
        return [Racer(name, self.rates[name].value()) for name in RACE_OPTIMIZERS
                if self.checks[name].isChecked()]

    def on_racers_changed(self) -> None:
        enough = len(self.chosen_racers()) >= MIN_RACERS
        self.start_button.setEnabled(enough and not self.is_running())
        hint = self.tr("Choose at least two optimizers to race.")
        if not enough and not self.is_running():
            self.status.setText(hint)
        elif self.status.text() == hint:
            self.status.setText("")

    def is_running(self) -> bool:
        return self.run is not None and self.run.is_running()

    def _set_controls_enabled(self, on: bool) -> None:
        for widget in (self.variant, self.epochs, self.seed, self.all_lecture, self.all_tuned,
                       *self.checks.values(), *self.rates.values(), *self.tuned.values()):
            widget.setEnabled(on)

    # ------------------------------------------------------------------ racing

    def start(self) -> bool:
        """Start a race with the chosen settings; False when one is running or too few
        optimizers are chosen."""
        racers = self.chosen_racers()
        if self.is_running() or len(racers) < MIN_RACERS:
            return False
        spec = LAB_VARIANTS[self.variant.currentData()].with_overrides(
            epochs=self.epochs.value())
        self._racers = racers
        self.histories = [RunHistory(self._racer_label(r), spec.with_overrides(
            optimizer=r.optimizer, learning_rate=r.learning_rate)) for r in racers]
        self.result = None
        self.table.setRowCount(0)
        self.keep_button.setEnabled(False)
        self._rebuild = self._dirty = True
        self.on_redraw()
        self.run = self.runner.start(
            race_job(spec, Path(self.data_dir()), racers, self.seed.value(), self.device),
            "race", self.on_progress, self.on_done)
        self._set_controls_enabled(False)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.status.setText(self.tr("Racing {0} optimizers on {1}…").format(
            len(racers), spec.variant))
        self._redraw.start()
        self.raceStarted.emit()
        self.runningChanged.emit(True)
        return True

    def _racer_label(self, racer: Racer, diverged_at: int | None = None) -> str:
        label = f"{OPTIMIZER_LABELS[racer.optimizer]} {racer.learning_rate:g}"
        if diverged_at is None:
            return label
        return self.tr("{0}, diverged at step {1}").format(label, diverged_at)

    def on_progress(self, records: list) -> None:
        """Bundles of race records: appended to the racers' curves, drawn by the timer."""
        for record in records:
            if record.kind == "batch":
                x = record.epoch - 1 + record.batch / record.batches
                for history, cost in zip(self.histories, record.costs, strict=True):
                    if cost is not None:
                        history.batch_x.append(x)
                        history.batch_cost.append(cost)
            else:
                for history, cost, acc in zip(self.histories, record.costs, record.test_acc,
                                              strict=True):
                    if cost is not None:
                        history.epoch_cost.append(cost)
                    if acc is not None:
                        history.epoch_acc.append(acc)
            self._mark_diverged(record.diverged)
        if records:
            self.progress.setValue(round(1000 * records[-1].fraction))
            self._dirty = True

    def _mark_diverged(self, diverged: tuple) -> None:
        for racer, history, step in zip(self._racers, self.histories, diverged, strict=True):
            if step is not None and history.outcome == "running":
                history.outcome = "failed"
                history.name = self._racer_label(racer, step)
                self._rebuild = True

    def on_redraw(self) -> None:
        if not self._dirty:
            return
        self.chart.show_runs(self.histories, [COLOURS[r.optimizer] for r in self._racers],
                             full=self._rebuild)
        if self._rebuild:
            self._thin_curves()
        self._dirty = self._rebuild = False

    def _thin_curves(self) -> None:
        """Paint each batch curve at the plot's resolution, not at thousands of points a
        curve: painting is what a redraw of five racers mostly costs the window."""
        import pyqtgraph as pg

        # pyqtgraph draws grid lines in Python at every repaint (4 of a repaint's 9 ms here),
        # and each Python step of a paint waits for the racing thread to hand over the GIL.
        for plot in (self.chart.cost_plot, self.chart.accuracy_plot):
            plot.showGrid(x=False, y=False)
        for curves in self.chart.curves.values():
            if curves.batch is not None:
                curves.batch.setDownsampling(auto=True, method="peak")
                curves.batch.setClipToView(True)
                # A one-pixel pen: Qt paints wider lines several times slower.
                curves.batch.setPen(pg.mkPen(curves.batch.opts["pen"].color(), width=1))

    def cancel(self) -> None:
        if self.is_running():
            self.run.cancel()

    def may_close(self) -> bool:
        """Asked as the window closes: True to go on closing (a race under way is stopped
        then and saves nothing), False to keep it going."""
        if not self.is_running():
            return True
        return ask_to_stop(self, "closeWhileRacing", self.tr("A race is running"),
                           self.tr("The optimizers are racing ({0}% done); stopping now keeps "
                                   "nothing.").format(self.progress.value() // 10),
                           self.tr("Keep Racing"), self.tr("Stop and Quit"))

    def shutdown(self) -> None:
        """Cancel (the window is closing; the runner waits for the job)."""
        self._redraw.stop()
        if self.run is not None:
            self.run.cancel()
            self.run = None

    def on_done(self, outcome: str, value) -> None:
        self._redraw.stop()
        self.run = None
        self._set_controls_enabled(True)
        self.cancel_button.setEnabled(False)
        for history in self.histories:
            if history.outcome == "running":
                history.outcome = "finished" if outcome == "finished" else "cancelled"
        self._dirty = self._rebuild = True
        self.on_redraw()
        self.on_racers_changed()
        self.runningChanged.emit(False)
        if outcome == "finished":
            self.result = value
            self.progress.setValue(1000)
            self._fill_table()
            self.status.setText(self.tr("The race took {0} s. Select an optimizer to keep "
                                        "its model.").format(f"{value.seconds:.1f}"))
            self.raceFinished.emit(value.to_dict(detail=True))
        elif outcome == "cancelled":
            self.status.setText(self.tr("The race was cancelled; nothing was saved."))
        else:
            self.status.setText(self.tr("The race failed: {0}").format(value.sentence()))

    # ------------------------------------------------------------------ the result

    def _fill_table(self) -> None:
        runs = self.result.runs
        self.table.setRowCount(len(runs))
        for row, run in enumerate(runs):
            cells = (OPTIMIZER_LABELS[run.optimizer], f"{run.learning_rate:g}",
                     f"{run.epoch_costs[-1]:.4f}" if run.epoch_costs else "–",
                     f"{100 * run.test_acc[-1]:.2f}%" if run.test_acc else "–",
                     self.tr("at step {0}").format(run.diverged_at)
                     if run.diverged_at is not None else "–")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()

    def selected_racer(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows and self.result is not None else None

    def on_selection_changed(self) -> None:
        index = self.selected_racer()
        self.keep_button.setEnabled(
            index is not None and self.result.runs[index].diverged_at is None)

    def keep_selected(self) -> Path | None:
        """Save the selected racer as ``<variant>-<optimizer>`` in the models folder."""
        from mnistpad.core.files.modelfile import SUFFIX
        from mnistpad.core.lessons.race import save_racer
        from mnistpad.core.models.registry import unique_name

        index = self.selected_racer()
        if index is None or self.result.runs[index].diverged_at is not None:
            return None
        folder = Path(self.models_dir())
        taken = {p.stem for p in folder.glob(f"*{SUFFIX}")} if folder.is_dir() else set()
        name = unique_name(f"{self.result.variant}-{self.result.runs[index].optimizer}", taken)
        try:
            path = save_racer(folder / f"{name}{SUFFIX}", self.result, index, name=name)
        except (OSError, ValueError) as exc:  # SaveError is an OSError: full or read-only
            self.status.setText(self.tr("Could not keep the model: {0}").format(exc))
            return None
        self.status.setText(self.tr("Kept as {0}.").format(name))
        self.modelKept.emit(str(path))
        return path
