"""The training panel: the lecture's experiments with a few clicks.

Pick a lab variant (its lecture settings fill in), change any knob, train in a worker thread,
watch the progress bar, the live cost chart and the log, compare with earlier runs, and use
the result at once.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.data import raw_folder
from mnistpad.core.eta import TimeLeft
from mnistpad.core.modelfile import SUFFIX, ModelInfo
from mnistpad.core.paths import user_models_dir
from mnistpad.core.registry import check_name, unique_name
from mnistpad.core.specs import (
    INITS,
    LAB_INFO,
    MAX_BATCH_SIZE,
    MAX_EPOCHS,
    MAX_LEARNING_RATE,
    MIN_KEEP_PROB,
    OPTIMIZER_LABELS,
    VARIANTS,
    VariantSpec,
)
from mnistpad.ui.app_state import AppState
from mnistpad.ui.jobs import Job, JobRunner
from mnistpad.ui.model_text import lab_summary
from mnistpad.ui.run_chart import RunChart, RunHistory
from mnistpad.ui.runtime import settle_heap
from mnistpad.ui.training_job import DataMissing, TrainRequest, training_job
from mnistpad.ui.translations import install_translations
from mnistpad.ui.widgets import ask_to_stop

REDRAW_MS = 66  # about 15 redraws a second, whatever the batch rate
CHART_DELAY_MS = 1500  # after start-up: pyqtgraph is imported then, not on the way to the window
PROGRESS_STEPS = 1000
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#7f7f7f", "#bcbd22"]


class TrainingPanel(QWidget):
    """Everything about training; lives in a dock of the main window."""

    modelSaved = Signal(str)
    runningChanged = Signal(bool)
    # outcome ("finished", "cancelled", "failed", "no-data"), then the saved path, the error
    # message, or for "no-data" why a download failed ("" when none was tried)
    runEnded = Signal(str, str)
    useModelRequested = Signal(str)

    def __init__(self, state: AppState, runner: JobRunner, parent: QWidget | None = None):
        super().__init__(parent)
        install_translations()  # plural forms ("1 epoch") of the strings below
        self.setObjectName("trainingPanel")
        self.state, self.runner = state, runner
        self.run: Job | None = None
        self.current: RunHistory | None = None
        self.history: list[RunHistory] = []
        self.last_saved: str | None = None
        self._download = False
        self._time_left = TimeLeft()
        self._build()
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setInterval(REDRAW_MS)
        self._redraw_timer.timeout.connect(self.redraw)
        self.on_variant_changed()
        # Build the chart once the window is up and idle, before anyone needs it.
        QTimer.singleShot(CHART_DELAY_MS, self, self.run_chart.build)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.variant = QComboBox(objectName="trainVariant")
        # long descriptions show in the open list; the box itself does not widen the tab
        self.variant.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.variant.setMinimumContentsLength(24)
        for name in VARIANTS:
            self.variant.addItem(self._variant_text(name), name)
        self.variant.setToolTip(
            self.tr("A lab variant; choosing one fills in the lecture's settings"))
        self.variant.currentIndexChanged.connect(self.on_variant_changed)
        self.epochs = QSpinBox(objectName="trainEpochs", minimum=1, maximum=MAX_EPOCHS)
        self.batch_size = QSpinBox(objectName="trainBatchSize", minimum=1,
                                   maximum=MAX_BATCH_SIZE)
        self.learning_rate = QDoubleSpinBox(objectName="trainLearningRate", decimals=6,
                                            minimum=1e-6, maximum=MAX_LEARNING_RATE,
                                            singleStep=0.001)
        self.optimizer = QComboBox(objectName="trainOptimizer")
        for key, label in OPTIMIZER_LABELS.items():
            self.optimizer.addItem(label, key)
        self.init = QComboBox(objectName="trainInit")
        for key in INITS:
            self.init.addItem({"normal": self.tr("Normal N(0,1)"), "xavier": "Xavier",
                               "he": "He"}[key], key)
        self.keep_prob = QDoubleSpinBox(objectName="trainKeepProb", decimals=2,
                                        minimum=MIN_KEEP_PROB,
                                        maximum=1.0, singleStep=0.05)
        self.keep_prob.setToolTip(
            self.tr("Probability of keeping a unit while training (1 = no dropout)"))
        self.batch_norm = QCheckBox(self.tr("Batch normalization"), objectName="trainBatchNorm")
        self.batch_norm.setToolTip(
            self.tr("BatchNorm before each hidden ReLU (fully connected nets)"))
        self.device = QComboBox(objectName="trainDevice")
        self.device.addItem(self.tr("Auto"), "auto")
        self.device.addItem("CPU", "cpu")
        self.seed = QSpinBox(objectName="trainSeed", minimum=0, maximum=2**31 - 1, value=777)
        self.result_name = QLineEdit(objectName="trainName")
        self.result_name.setToolTip(
            self.tr("The saved model's name (letters, digits, '.', '_', '-')"))

        form = QFormLayout()
        form.addRow(self.tr("Variant"), self.variant)
        form.addRow(self.tr("Epochs"), self.epochs)
        form.addRow(self.tr("Batch size"), self.batch_size)
        form.addRow(self.tr("Learning rate"), self.learning_rate)
        form.addRow(self.tr("Optimizer"), self.optimizer)
        form.addRow(self.tr("Initialization"), self.init)
        form.addRow("keep_prob", self.keep_prob)
        form.addRow("", self.batch_norm)
        form.addRow(self.tr("Device"), self.device)
        form.addRow(self.tr("Seed"), self.seed)
        form.addRow(self.tr("Save as"), self.result_name)

        self.train_button = QPushButton(self.tr("&Train"), objectName="trainButton")
        self.train_button.setToolTip(
            self.tr("Train with these settings in the background (Ctrl+T)"))
        self.train_button.setShortcut("Ctrl+T")
        self.train_button.clicked.connect(self.start)
        self.knobs = [self.variant, self.epochs, self.batch_size, self.learning_rate,
                      self.optimizer, self.init, self.keep_prob, self.batch_norm, self.device,
                      self.seed, self.result_name]
        self.cancel_button = QPushButton(self.tr("Cancel"), objectName="cancelButton",
                                         enabled=False)
        self.cancel_button.setToolTip(self.tr("Stop the run; nothing is saved (Ctrl+.)"))
        self.cancel_button.setShortcut("Ctrl+.")
        self.cancel_button.clicked.connect(self.cancel)
        self.use_saved_button = QPushButton(self.tr("Use saved"), objectName="useSavedButton")
        self.use_saved_button.setToolTip(
            self.tr("Load this variant's saved model without training"))
        self.use_saved_button.clicked.connect(self.on_use_saved)
        self.use_result_button = QPushButton(self.tr("Use result"), objectName="useResultButton",
                                             enabled=False)
        self.use_result_button.setToolTip(self.tr("Make the model just trained the active one"))
        self.use_result_button.clicked.connect(
            lambda: self.last_saved and self.useModelRequested.emit(self.last_saved))
        buttons = QHBoxLayout()
        for button in (self.train_button, self.cancel_button, self.use_saved_button,
                       self.use_result_button):
            buttons.addWidget(button)

        # The bar carries no text (text over its fill is hard to read in many styles); the
        # line above it says what the bar shows, with the same whole percent as the bar in
        # the status bar (Qt's %p: truncated).
        self.progress = QProgressBar(objectName="trainProgress", minimum=0,
                                     maximum=PROGRESS_STEPS, textVisible=False)
        self.progress.setValue(0)
        self.progress_text = QLabel(self.tr("Idle"), objectName="trainStatus")

        # The chart (pyqtgraph) is built after start-up or when first needed: importing
        # pyqtgraph costs a fifth of a second that the window's start-up does not pay.
        self.run_chart = RunChart()
        self.log_scale = QCheckBox(self.tr("Log scale"), objectName="logScale")
        self.log_scale.toggled.connect(self.run_chart.set_log_y)
        self.runs = QListWidget(objectName="runList")
        self.runs.setToolTip(self.tr("Tick runs to overlay their curves"))
        self.runs.itemChanged.connect(lambda item: self.redraw(full=True))
        self.add_saved_button = QPushButton(self.tr("Add saved model's curve"),
                                            objectName="addSavedCurveButton")
        self.add_saved_button.clicked.connect(self.on_add_saved_curve)
        export_png = QPushButton(self.tr("Export PNG…"))
        export_png.clicked.connect(self.on_export_png)
        export_csv = QPushButton(self.tr("Export CSV…"))
        export_csv.clicked.connect(self.on_export_csv)
        chart_tools = QHBoxLayout()
        for widget in (self.log_scale, self.add_saved_button, export_png, export_csv):
            chart_tools.addWidget(widget)
        chart_tools.addStretch(1)

        self.log = QPlainTextEdit(objectName="trainLog", readOnly=True)
        self.log.setMaximumBlockCount(5000)
        self.log.setPlaceholderText(self.tr("The lecture's log lines (Epoch: 0001 cost = ...) "
                                            "appear here while a run trains."))

        left = QVBoxLayout()
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(self.progress_text)
        left.addWidget(self.progress)
        left.addWidget(QLabel(self.tr("Runs (tick to overlay):")))
        left.addWidget(self.runs, 1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        right = QVBoxLayout()
        right.addWidget(self.run_chart, 3)
        right.addLayout(chart_tools)
        right.addWidget(self.log, 1)
        right_widget = QWidget()
        right_widget.setLayout(right)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left_widget)
        splitter.addWidget(right_widget)
        splitter.setStretchFactor(1, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(splitter)

    @property
    def data_dir(self) -> Path:
        """The MNIST folder the whole app uses (the app state's)."""
        return self.state.data_dir

    # ------------------------------------------------------------------ settings

    def on_variant_changed(self) -> None:
        spec = VARIANTS[self.variant.currentData()]
        self.epochs.setValue(spec.epochs)
        self.batch_size.setValue(spec.batch_size)
        self.learning_rate.setValue(spec.learning_rate)
        self.optimizer.setCurrentIndex(self.optimizer.findData(spec.optimizer))
        self.init.setCurrentIndex(self.init.findData(spec.init))
        self.keep_prob.setValue(spec.keep_prob)
        self.batch_norm.setChecked(spec.batch_norm)
        self.batch_norm.setEnabled(self._batch_norm_applies())
        self.suggest_name()

    def _batch_norm_applies(self) -> bool:
        spec = VARIANTS[self.variant.currentData()]
        return spec.arch == "mlp" and bool(spec.hidden)

    def suggest_name(self) -> None:
        self.result_name.setText(unique_name(self.variant.currentData(), self.state.names()))

    def spec(self) -> VariantSpec:
        base = VARIANTS[self.variant.currentData()]
        return base.with_overrides(
            epochs=self.epochs.value(), batch_size=self.batch_size.value(),
            learning_rate=self.learning_rate.value(), optimizer=self.optimizer.currentData(),
            init=self.init.currentData(), keep_prob=self.keep_prob.value(),
            batch_norm=self.batch_norm.isChecked() and self._batch_norm_applies(),
        )

    # ------------------------------------------------------------------ runs

    def is_running(self) -> bool:
        return self.run is not None

    def _target(self, name: str) -> Path | None:
        """Where to save ``name``; None when the user declines an overwrite."""
        existing = self.state.find_name(name)
        if existing is not None and self.state.is_shipped(existing):
            QMessageBox.information(self, self.tr("Name taken"),
                                    self.tr("'{0}' is a shipped model, which is never "
                                            "overwritten. Choose another name.").format(name))
            return None
        path = user_models_dir() / f"{name}{SUFFIX}"
        if existing is not None or path.exists():
            answer = QMessageBox.question(self, self.tr("Replace model?"),
                                          self.tr("A model named '{0}' exists. Replace it when "
                                                  "this run finishes?").format(name))
            if answer != QMessageBox.StandardButton.Yes:
                return None
        return path

    def _variant_text(self, name: str) -> str:
        lab = LAB_INFO[name].lab
        if lab == "beyond":
            return self.tr("{0} (beyond the lecture: {1})").format(name, lab_summary(name))
        return self.tr("{0} (lab {1}: {2})").format(name, lab, lab_summary(name))

    def changeEvent(self, event) -> None:
        """On a language switch, the variant list is told again in the new language."""
        if event.type() == QEvent.Type.LanguageChange:
            for index in range(self.variant.count()):
                self.variant.setItemText(index, self._variant_text(self.variant.itemData(index)))
        super().changeEvent(event)

    def training_menu(self, parent: QWidget, on_train) -> QMenu:
        """The window's Training menu: Train (``on_train`` shows this tab and starts) and
        Cancel, each enabled when it can act. The keys stay on this tab's buttons."""
        menu = QMenu(self.tr("T&raining"), parent)
        train = menu.addAction(self.tr("&Train"), on_train)
        train.setStatusTip(self.tr("Train with the Train tab's settings (Ctrl+T there)"))
        cancel = menu.addAction(self.tr("&Cancel Training"), self.cancel)
        cancel.setStatusTip(self.tr("Stop the run; nothing is saved (Ctrl+. there)"))
        cancel.setEnabled(False)
        self.runningChanged.connect(lambda on: (train.setEnabled(not on), cancel.setEnabled(on)))
        return menu

    def offer_cuda(self) -> None:
        """Add CUDA to the devices when torch sees a GPU; called once torch is loaded (the
        window appears before it is)."""
        import torch

        if torch.cuda.is_available() and self.device.findData("cuda") < 0:
            self.device.addItem("CUDA", "cuda")

    def start(self) -> bool:
        """Start a run with the current settings; refused while one is running."""
        if self.run is not None:
            self.append_log("A run is already going; cancel it or wait for it to finish.")
            return False
        try:
            name = check_name(self.result_name.text().strip())
            spec = self.spec()
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("Cannot train"), str(exc))
            return False
        path = self._target(name)
        if path is None:
            return False
        request = TrainRequest(spec, name, path, self.state.data_dir, seed=self.seed.value(),
                               device=self.device.currentData(), download=self._download)
        self._download = False
        self.current = RunHistory(name, spec, path=path, repeat_key=(
            "live", spec, request.seed, request.device, str(request.data_dir)))
        self._add_run(self.current)
        self.run_chart.build()  # never build it (a fifth of a second) while a run goes
        self.append_log(self.tr("Training {0}: {1}, {2}, batch {3}, {4} lr {5}, init {6}, "
                                "keep_prob {7}").format(
            name, spec.variant, self.tr("%n epoch(s)", "", spec.epochs), spec.batch_size,
            OPTIMIZER_LABELS[spec.optimizer], f"{spec.learning_rate:g}", spec.init,
            f"{spec.keep_prob:g}"))
        self._set_running(True)
        self._time_left = TimeLeft()
        self._show_progress(0, self.tr("Starting…"))
        self.run = self.runner.start(training_job(request), f"train-{name}", self.on_report,
                                     self.on_done)
        self._redraw_timer.start()
        return True

    def cancel(self) -> None:
        if self.run is not None:
            self.run.cancel()
            self.progress_text.setText(self.tr("Cancelling…"))

    def may_close(self) -> bool:
        """Asked as the window closes: True to go on closing (a run, if any, is stopped
        then), False to keep the window and the run going. The user decides."""
        if self.run is None:
            return True
        return ask_to_stop(self, "closeWhileTraining", self.tr("Training is running"),
                           self.tr("{0} is still training ({1}% done); stopping now saves "
                                   "nothing.").format(self.current.name, self._percent()),
                           self.tr("Keep Training"), self.tr("Stop and Quit"))

    def shutdown(self) -> None:
        """Stop any run (the window is closing; the runner waits for its thread and tells
        nobody)."""
        self._redraw_timer.stop()
        if self.run is not None:
            self.run.cancel()
            self.run = None

    def _set_running(self, running: bool) -> None:
        """Lock every knob while a run goes: they describe the run that is training."""
        self.train_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for widget in self.knobs:
            widget.setEnabled(not running)
        if not running:
            self.batch_norm.setEnabled(self._batch_norm_applies())
        self.runningChanged.emit(running)

    def _add_run(self, run: RunHistory) -> None:
        """List ``run`` (ticked) after the others, and chart it at once."""
        self.history.append(run)
        item = QListWidgetItem()
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        self.runs.blockSignals(True)
        self.runs.addItem(item)
        self._label_run(run)
        self.runs.blockSignals(False)
        self.redraw(full=True)

    def _label_run(self, run: RunHistory) -> None:
        """The run's list entry: its number and name, what became of it, and the earlier
        run it repeats (same settings and seed: the curves overlay exactly)."""
        index = self.history.index(run)
        item = self.runs.item(index)
        notes = {"saved": self.tr("saved"), "cancelled": self.tr("cancelled"),
                 "failed": self.tr("failed")}
        parts = [notes[run.outcome]] if run.outcome in notes else []
        twin = next((i for i, other in enumerate(self.history[:index])
                     if run.repeat_key is not None and other.repeat_key == run.repeat_key), None)
        if twin is not None:
            parts.append(self.tr("same as run {0}").format(twin + 1))
            item.setToolTip(self.tr("Same settings, seed, device and data as run {0}: its "
                                    "curves lie on top of that run's.").format(twin + 1))
        text = f"{index + 1}. {run.name}"
        item.setText(text + (f" ({', '.join(parts)})" if parts else ""))
        if run.dimmed:
            item.setForeground(self.palette().placeholderText())

    def _percent(self) -> int:
        """The progress in whole percent, as the status bar's bar shows it."""
        return self.progress.value() * 100 // PROGRESS_STEPS

    def _show_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(round(fraction * PROGRESS_STEPS))
        self.progress_text.setText(text)

    def on_report(self, item) -> None:
        if item[0] == "records":
            self.on_progress(item[1])
            return
        _, stage, device = item
        if stage == "training":
            settle_heap()  # torchvision and MNIST are in: out of the collector's reach
        text = {"loading": self.tr("Loading MNIST…"), "downloading": self.tr("Downloading MNIST…"),
                "training": self.tr("Training on {0}…").format(device)}[stage]
        self.progress_text.setText(text)
        self.append_log(text)

    def on_progress(self, records: list) -> None:
        run = self.current
        if run is None:
            return
        for record in records:
            self._time_left.add(record.seconds, record.fraction, record.kind == "epoch")
            if record.kind == "batch":
                run.batch_x.append(record.epoch - 1 + record.batch / record.batches)
                run.batch_cost.append(record.cost)
                continue
            run.epoch_cost.append(record.cost)
            if record.test_acc is not None:
                run.epoch_acc.append(record.test_acc)
            self.append_log(f"Epoch: {record.epoch:04d} cost = {record.cost:.9f}   test "
                            f"accuracy {record.test_acc:.4f}   ({record.epoch_seconds:.1f}s, "
                            f"{record.samples_per_s:,.0f} samples/s)")
        last = records[-1]
        self.progress.setValue(round(last.fraction * PROGRESS_STEPS))
        left = self._time_left.seconds_left()
        left_text = (self.tr("estimating time left…") if left is None
                     else self.tr("about {0} left").format(_duration(left)))
        self.progress_text.setText(self.tr("Epoch {0} of {1} · {2}% · {3}").format(
            last.epoch, last.epochs, self._percent(), left_text))

    def on_done(self, outcome: str, value) -> None:
        detail = value or ""
        if outcome == "failed" and isinstance(value.exception, DataMissing):
            outcome, detail = "no-data", value.exception.reason
        elif outcome == "failed":
            detail = value.sentence() if value.expected else self.tr(
                "Training stopped: {0}").format(value.sentence())
        try:
            self._show_outcome(outcome, detail)
        finally:
            self.runEnded.emit(outcome, detail)

    def _show_outcome(self, outcome: str, detail: str) -> None:
        self._redraw_timer.stop()
        self.run = None
        self._set_running(False)
        if outcome == "finished":
            self._mark_current("finished")
            self._show_progress(1, self.tr("Finished"))
            acc = self.current.epoch_acc[-1] if self.current and self.current.epoch_acc else None
            if acc is not None:
                self.append_log(f"Accuracy: {acc:.4f}")
            self.append_log(self.tr("Saved {0}").format(detail))
            self.last_saved = detail
            self.use_result_button.setEnabled(True)
            self.modelSaved.emit(detail)
            self.suggest_name()
            return
        self._show_progress(0, "")
        if outcome == "no-data":
            self._drop_current()
            self._offer_data(detail)
            return
        self._mark_current(outcome)
        if outcome == "cancelled":
            self.progress_text.setText(self.tr("Cancelled"))
            self.append_log(self.tr("Cancelled; nothing was saved."))
            return
        self.progress_text.setText(self.tr("Failed"))
        self.append_log(self.tr("Error: {0}").format(detail))
        QMessageBox.warning(self, self.tr("Training stopped"), detail)

    def _mark_current(self, outcome: str) -> None:
        """Record how the current run ended. A cancelled or failed run stays on the list
        and the chart, dimmed and marked; one that failed before its first batch leaves."""
        run = self.current
        if run is None:
            return
        run.outcome = outcome
        if outcome == "failed" and not run.batch_cost:
            self._drop_current()
            return
        self._label_run(run)
        self.redraw(full=True)

    def _drop_current(self) -> None:
        if self.current is not None and self.current in self.history:
            index = self.history.index(self.current)
            self.history.pop(index)
            self.runs.takeItem(index)
        self.current = None
        self.redraw(full=True)

    def _offer_data(self, download_failure: str) -> None:
        """MNIST is not there: say so in two lines (with a failed download's reason) and
        offer to download it or to choose the folder that holds it."""
        folder = raw_folder(self.state.data_dir)
        if download_failure:
            self.progress_text.setText(self.tr("Download failed"))
            text = self.tr("Could not download MNIST: {0}").format(download_failure)
            hint = self.tr("Try again, or choose a folder that holds MNIST.")
        else:
            self.progress_text.setText(self.tr("MNIST needed"))
            text = self.tr("MNIST (about 12 MB) is needed to train; it is not in {0}.").format(
                folder)
            hint = self.tr("Download it, or choose the folder that holds it.")
        self.append_log(text)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("MNIST is missing"), text,
                          parent=self)
        box.setObjectName("mnistMissing")
        box.setInformativeText(hint)
        download = box.addButton(self.tr("Download"), QMessageBox.ButtonRole.AcceptRole)
        choose = box.addButton(self.tr("Choose Folder…"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is download:
            self._download = True
            self.start()
        elif box.clickedButton() is choose:
            folder = QFileDialog.getExistingDirectory(
                self, self.tr("Folder that holds MNIST (its IDX files, raw/ or MNIST/raw/)"),
                str(self.state.data_dir))
            if folder and self.use_data_folder(folder):
                self.start()

    def use_data_folder(self, folder: str | Path) -> bool:
        """Train from ``folder`` from now on (remembered) if it holds MNIST: its IDX files
        (plain or .gz), its ``raw/`` or ``MNIST/raw/``; otherwise say so and keep the old."""
        folder = Path(folder)
        missing = self.state.set_data_dir(folder)
        if missing:
            QMessageBox.warning(self, self.tr("No MNIST there"), self.tr(
                "{0} lacks {1} (looked in it, in raw/ and in MNIST/raw/).").format(
                folder, ", ".join(missing)))
            return False
        self.append_log(self.tr("MNIST from {0}").format(raw_folder(folder)))
        return True

    def append_log(self, text: str) -> None:
        self.log.appendPlainText(text)

    # ------------------------------------------------------------------ chart

    @property
    def chart(self):
        """The cost chart, a ``pyqtgraph.PlotWidget`` (objectName ``costChart``)."""
        self.run_chart.build()
        return self.run_chart.cost_plot

    def showEvent(self, event) -> None:
        self.run_chart.build()  # before the tab is first painted
        super().showEvent(event)

    def checked_runs(self) -> list[RunHistory]:
        return [run for i, run in enumerate(self.history)
                if self.runs.item(i).checkState() == Qt.CheckState.Checked]

    def redraw(self, full: bool = False) -> None:
        """Update the curves; ``full`` rebuilds them all (runs ticked, unticked or marked)."""
        runs = self.checked_runs()
        colours = [PALETTE[self.history.index(run) % len(PALETTE)] for run in runs]
        self.run_chart.show_runs(runs, colours, full=full)

    def add_saved_curve(self, info: ModelInfo) -> RunHistory:
        """List and chart the history stored in a model file, at once."""
        run = RunHistory.from_model(info)
        self._add_run(run)
        return run

    def on_add_saved_curve(self) -> None:
        names = [m.name for m in self.state.models()]
        if not names:
            return
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getItem(self, self.tr("Saved model"),
                                        self.tr("Show the cost curve of:"), names,
                                        0, False)
        if ok:
            self.add_saved_curve(self.state.find_name(name))

    def on_use_saved(self) -> None:
        info = self.state.find_name(self.variant.currentData())
        if info is None:
            QMessageBox.information(self, self.tr("Not saved yet"),
                                    self.tr("No saved model named '{0}'.").format(
                                        self.variant.currentData()))
            return
        self.useModelRequested.emit(str(info.path))

    def export_png(self, path: str | Path) -> None:
        self.run_chart.export_png(path)

    def export_csv(self, path: str | Path) -> None:
        with open(path, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["run", "kind", "x", "cost", "test_acc"])
            for run in self.history:
                for x, cost in zip(run.batch_x, run.batch_cost, strict=False):
                    writer.writerow([run.name, "batch", f"{x:.5f}", f"{cost:.6g}", ""])
                for i, cost in enumerate(run.epoch_cost):
                    acc = run.epoch_acc[i] if i < len(run.epoch_acc) else ""
                    writer.writerow([run.name, "epoch", i + 1, f"{cost:.9g}", acc])

    def on_export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export chart"), "cost.png",
                                              "PNG (*.png)")
        if path:
            self.export_png(path)

    def on_export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export history"), "runs.csv",
                                              "CSV (*.csv)")
        if path:
            try:
                self.export_csv(path)
            except OSError as exc:
                QMessageBox.warning(self, self.tr("Cannot export"),
                                    f"{path}: {exc.strerror or exc}")


def _duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "?"
    seconds = max(0, round(seconds))
    return f"{seconds // 60}m {seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
