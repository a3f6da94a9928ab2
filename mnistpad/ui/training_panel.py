"""The training panel: the lecture's experiments with a few clicks.

Pick a lab variant (its lecture settings fill in), change any knob, train in a worker thread,
watch the progress bar, the live cost chart and the log, compare with earlier runs, and use
the result at once.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from PySide6.QtCore import Qt, QTimer, Signal
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
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.modelfile import SUFFIX, ModelInfo
from mnistpad.core.paths import resolve_data_dir, user_models_dir
from mnistpad.core.registry import check_name, scan, unique_name
from mnistpad.core.variants import (
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
from mnistpad.ui.worker import TrainingRun, TrainRequest

REDRAW_MS = 66  # about 15 redraws a second, whatever the batch rate
CHART_DELAY_MS = 1500  # after start-up: pyqtgraph is imported then, not on the way to the window
SMOOTHING = 0.05  # weight of the newest batch in the smoothed cost curve
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#7f7f7f", "#bcbd22"]


@dataclass
class RunHistory:
    """Curves of one run (live or finished, or read from a saved model's metadata)."""

    name: str
    spec: VariantSpec
    batch_x: list[float] = field(default_factory=list)
    batch_cost: list[float] = field(default_factory=list)
    epoch_cost: list[float] = field(default_factory=list)
    epoch_acc: list[float] = field(default_factory=list)
    path: Path | None = None

    def smoothed(self) -> np.ndarray:
        out = np.empty(len(self.batch_cost))
        level = None
        for i, cost in enumerate(self.batch_cost):
            level = cost if level is None else (1 - SMOOTHING) * level + SMOOTHING * cost
            out[i] = level
        return out

    @classmethod
    def from_model(cls, info: ModelInfo) -> RunHistory:
        return cls(info.name, info.spec, epoch_cost=list(info.cost_history),
                   epoch_acc=list(info.accuracy_history), path=info.path)


class TrainingPanel(QWidget):
    """Everything about training; lives in a dock of the main window."""

    modelSaved = Signal(str)
    runningChanged = Signal(bool)
    runEnded = Signal(str, str)  # outcome ("finished", "cancelled", "failed"), path or message
    useModelRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trainingPanel")
        self.run: TrainingRun | None = None
        self.current: RunHistory | None = None
        self.history: list[RunHistory] = []
        self.last_saved: str | None = None
        self.data_dir: Path = resolve_data_dir()
        self._download = False
        self._started_at_fraction = 0.0
        self._curves: dict[int, tuple] = {}
        self._build()
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setInterval(REDRAW_MS)
        self._redraw_timer.timeout.connect(self.redraw)
        self.on_variant_changed()
        # Build the chart once the window is up and idle, before anyone needs it.
        QTimer.singleShot(CHART_DELAY_MS, self, lambda: self.chart)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.variant = QComboBox(objectName="trainVariant")
        for name in VARIANTS:
            self.variant.addItem(f"{name} (lab {LAB_INFO[name].lab}: {LAB_INFO[name].summary})",
                                 name)
        self.variant.setToolTip("A lab variant; choosing one fills in the lecture's settings")
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
            self.init.addItem({"normal": "Normal N(0,1)", "xavier": "Xavier",
                               "he": "He"}[key], key)
        self.keep_prob = QDoubleSpinBox(objectName="trainKeepProb", decimals=2,
                                        minimum=MIN_KEEP_PROB,
                                        maximum=1.0, singleStep=0.05)
        self.keep_prob.setToolTip("Probability of keeping a unit while training (1 = no dropout)")
        self.batch_norm = QCheckBox("Batch normalization", objectName="trainBatchNorm")
        self.batch_norm.setToolTip("BatchNorm before each hidden ReLU (fully connected nets)")
        self.device = QComboBox(objectName="trainDevice")
        self.device.addItem("Auto", "auto")
        self.device.addItem("CPU", "cpu")
        if torch.cuda.is_available():
            self.device.addItem("CUDA", "cuda")
        self.seed = QSpinBox(objectName="trainSeed", minimum=0, maximum=2**31 - 1, value=777)
        self.result_name = QLineEdit(objectName="trainName")
        self.result_name.setToolTip("The saved model's name (letters, digits, '.', '_', '-')")

        form = QFormLayout()
        form.addRow("Variant", self.variant)
        form.addRow("Epochs", self.epochs)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Initialization", self.init)
        form.addRow("keep_prob", self.keep_prob)
        form.addRow("", self.batch_norm)
        form.addRow("Device", self.device)
        form.addRow("Seed", self.seed)
        form.addRow("Save as", self.result_name)

        self.train_button = QPushButton("&Train", objectName="trainButton")
        self.train_button.setToolTip("Train with these settings in the background (Ctrl+T)")
        self.train_button.setShortcut("Ctrl+T")
        self.train_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel", objectName="cancelButton", enabled=False)
        self.cancel_button.setToolTip("Stop the run; nothing is saved (Ctrl+.)")
        self.cancel_button.setShortcut("Ctrl+.")
        self.cancel_button.clicked.connect(self.cancel)
        self.use_saved_button = QPushButton("Use saved", objectName="useSavedButton")
        self.use_saved_button.setToolTip("Load this variant's saved model without training")
        self.use_saved_button.clicked.connect(self.on_use_saved)
        self.use_result_button = QPushButton("Use result", objectName="useResultButton",
                                             enabled=False)
        self.use_result_button.setToolTip("Make the model just trained the active one")
        self.use_result_button.clicked.connect(
            lambda: self.last_saved and self.useModelRequested.emit(self.last_saved))
        buttons = QHBoxLayout()
        for button in (self.train_button, self.cancel_button, self.use_saved_button,
                       self.use_result_button):
            buttons.addWidget(button)

        self.progress = QProgressBar(objectName="trainProgress", minimum=0, maximum=1000)
        self.progress.setValue(0)
        self.progress.setFormat("Idle")
        self.progress.setTextVisible(True)

        # The chart (pyqtgraph) is built when first needed: importing pyqtgraph costs a fifth
        # of a second that the window's start-up does not have to pay.
        self._chart = None
        self._chart_holder = QVBoxLayout()
        self._chart_holder.setContentsMargins(0, 0, 0, 0)
        chart_widget = QWidget()
        chart_widget.setLayout(self._chart_holder)
        self.log_scale = QCheckBox("Log scale", objectName="logScale")
        self.log_scale.toggled.connect(lambda on: self.chart.setLogMode(y=on))
        self.runs = QListWidget(objectName="runList")
        self.runs.setToolTip("Tick runs to overlay their curves")
        self.runs.itemChanged.connect(lambda item: self.redraw(full=True))
        self.add_saved_button = QPushButton("Add saved model's curve")
        self.add_saved_button.clicked.connect(self.on_add_saved_curve)
        export_png = QPushButton("Export PNG…")
        export_png.clicked.connect(self.on_export_png)
        export_csv = QPushButton("Export CSV…")
        export_csv.clicked.connect(self.on_export_csv)
        chart_tools = QHBoxLayout()
        for widget in (self.log_scale, self.add_saved_button, export_png, export_csv):
            chart_tools.addWidget(widget)
        chart_tools.addStretch(1)

        self.log = QPlainTextEdit(objectName="trainLog", readOnly=True)
        self.log.setMaximumBlockCount(5000)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(self.progress)
        left.addWidget(QLabel("Runs (tick to overlay):"))
        left.addWidget(self.runs, 1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        right = QVBoxLayout()
        right.addWidget(chart_widget, 3)
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
        self.batch_norm.setEnabled(spec.arch == "mlp" and bool(spec.hidden))
        self.suggest_name()

    def suggest_name(self) -> None:
        self.result_name.setText(unique_name(self.variant.currentData(), scan().names()))

    def spec(self) -> VariantSpec:
        base = VARIANTS[self.variant.currentData()]
        return base.with_overrides(
            epochs=self.epochs.value(), batch_size=self.batch_size.value(),
            learning_rate=self.learning_rate.value(), optimizer=self.optimizer.currentData(),
            init=self.init.currentData(), keep_prob=self.keep_prob.value(),
            batch_norm=self.batch_norm.isChecked() and self.batch_norm.isEnabled(),
        )

    # ------------------------------------------------------------------ runs

    def is_running(self) -> bool:
        return self.run is not None

    def _target(self, name: str) -> Path | None:
        """Where to save ``name``; None when the user declines an overwrite."""
        catalog = scan()
        existing = catalog.find(name)
        if existing is not None and catalog.is_shipped(existing):
            QMessageBox.information(self, "Name taken", f"'{name}' is a shipped model, which "
                                    f"is never overwritten. Choose another name.")
            return None
        path = user_models_dir() / f"{name}{SUFFIX}"
        if existing is not None or path.exists():
            answer = QMessageBox.question(self, "Replace model?",
                                          f"A model named '{name}' exists. Replace it when this "
                                          f"run finishes?")
            if answer != QMessageBox.StandardButton.Yes:
                return None
        return path

    def start(self) -> bool:
        """Start a run with the current settings; refused while one is running."""
        if self.run is not None:
            self.append_log("A run is already going; cancel it or wait for it to finish.")
            return False
        try:
            name = check_name(self.result_name.text().strip())
            spec = self.spec()
        except ValueError as exc:
            QMessageBox.warning(self, "Cannot train", str(exc))
            return False
        path = self._target(name)
        if path is None:
            return False
        request = TrainRequest(spec, name, path, self.data_dir, seed=self.seed.value(),
                               device=self.device.currentData(), download=self._download)
        self._download = False
        self.current = RunHistory(name, spec, path=path)
        self.history.append(self.current)
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        self.runs.addItem(item)
        self.chart  # noqa: B018 - never build it (a fifth of a second) while a run goes
        self.run = TrainingRun(request, self)
        self.run.worker.started.connect(self.on_stage)
        self.run.worker.progressed.connect(self.on_progress)
        self.run.done.connect(self.on_done)
        self.append_log(f"Training {name}: {spec.variant}, {spec.epochs} epochs, batch "
                        f"{spec.batch_size}, {OPTIMIZER_LABELS[spec.optimizer]} lr "
                        f"{spec.learning_rate:g}, init {spec.init}, keep_prob {spec.keep_prob:g}")
        self._set_running(True)
        self.progress.setValue(0)
        self.progress.setFormat("Starting…")
        self.run.start()
        self._redraw_timer.start()
        return True

    def cancel(self) -> None:
        if self.run is not None:
            self.run.cancel()
            self.progress.setFormat("Cancelling…")

    def shutdown(self) -> None:
        """Stop any run and wait for its thread (the window is closing)."""
        self._redraw_timer.stop()
        if self.run is not None:
            self.run.done.disconnect(self.on_done)
            self.run.shutdown()
            self.run = None

    def _set_running(self, running: bool) -> None:
        self.train_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for widget in (self.variant, self.result_name):
            widget.setEnabled(not running)
        self.runningChanged.emit(running)

    def on_stage(self, text: str) -> None:
        self.progress.setFormat(text)
        self.append_log(text)

    def on_progress(self, records: list) -> None:
        run = self.current
        if run is None:
            return
        for record in records:
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
        done = last.fraction
        left = last.seconds / done - last.seconds if done > 0 else math.nan
        self.progress.setValue(round(done * 1000))
        self.progress.setFormat(f"epoch {last.epoch}/{last.epochs} · {100 * done:.0f}% · "
                                f"~{_duration(left)} left")

    def on_done(self, outcome: str, detail: str) -> None:
        try:
            self._show_outcome(outcome, detail)
        finally:
            self.runEnded.emit(outcome, detail)

    def _show_outcome(self, outcome: str, detail: str) -> None:
        self._redraw_timer.stop()
        self.run = None
        self._set_running(False)
        self.redraw(full=True)
        if outcome == "finished":
            self.progress.setValue(self.progress.maximum())
            self.progress.setFormat("Finished")
            acc = self.current.epoch_acc[-1] if self.current and self.current.epoch_acc else None
            if acc is not None:
                self.append_log(f"Accuracy: {acc:.4f}")
            self.append_log(f"Saved {detail}")
            self.last_saved = detail
            self.use_result_button.setEnabled(True)
            self.modelSaved.emit(detail)
            self.suggest_name()
            return
        self.progress.setValue(0)
        self._drop_current()
        if outcome == "cancelled":
            self.progress.setFormat("Cancelled")
            self.append_log("Cancelled; nothing was saved.")
            return
        self.progress.setFormat("Failed")
        self.append_log(f"Error: {detail}")
        if "MNIST could not be loaded" in detail:
            self._offer_data(detail)
        else:
            QMessageBox.warning(self, "Training stopped", detail)

    def _drop_current(self) -> None:
        if self.current is not None and self.current in self.history:
            index = self.history.index(self.current)
            self.history.pop(index)
            self.runs.takeItem(index)
        self.current = None
        self.redraw(full=True)

    def _offer_data(self, detail: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "MNIST is missing", detail,
                          parent=self)
        download = box.addButton("Download", QMessageBox.ButtonRole.AcceptRole)
        choose = box.addButton("Choose folder…", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is download:
            self._download = True
            self.start()
        elif box.clickedButton() is choose:
            folder = QFileDialog.getExistingDirectory(self, "Folder that holds MNIST/raw/")
            if folder:
                self.data_dir = Path(folder)
                self.start()

    def append_log(self, text: str) -> None:
        self.log.appendPlainText(text)

    # ------------------------------------------------------------------ chart

    @property
    def chart(self):
        """The cost chart, a ``pyqtgraph.PlotWidget`` (objectName ``costChart``)."""
        if self._chart is None:
            import pyqtgraph as pg

            chart = pg.PlotWidget(objectName="costChart")
            chart.setBackground("w")
            chart.showGrid(x=True, y=True, alpha=0.3)
            chart.setLabel("bottom", "epoch")
            chart.setLabel("left", "cost")
            chart.addLegend(offset=(-10, 10), labelTextColor=(40, 40, 40),
                            brush=(255, 255, 255, 210), pen=(200, 200, 200))
            chart.setLogMode(y=self.log_scale.isChecked())
            self._chart_holder.addWidget(chart)
            self._chart = chart
        return self._chart

    def showEvent(self, event) -> None:
        self.chart  # noqa: B018 - build it before the tab is first painted
        super().showEvent(event)

    def checked_runs(self) -> list[RunHistory]:
        return [run for i, run in enumerate(self.history)
                if self.runs.item(i).checkState() == Qt.CheckState.Checked]

    def redraw(self, full: bool = False) -> None:
        """Update the curves; ``full`` rebuilds them all (runs ticked or unticked)."""
        if full:
            self.chart.clear()
            self._curves.clear()
        for run in self.checked_runs():
            key = id(run)
            if key not in self._curves:
                import pyqtgraph as pg

                colour = PALETTE[self.history.index(run) % len(PALETTE)]
                batch = self.chart.plot([], [], pen=pg.mkPen(colour, width=1.5),
                                        name=f"{run.name} (batches, smoothed)")
                epoch = self.chart.plot([], [], pen=pg.mkPen(colour, width=2,
                                                             style=Qt.PenStyle.DashLine),
                                        symbol="o", symbolSize=6, symbolBrush=colour,
                                        name=f"{run.name} (epoch mean)")
                self._curves[key] = (batch, epoch)
            batch, epoch = self._curves[key]
            if run.batch_cost:
                batch.setData(np.asarray(run.batch_x), run.smoothed())
            if run.epoch_cost:
                epoch.setData(np.arange(1, len(run.epoch_cost) + 1, dtype=float),
                              np.asarray(run.epoch_cost))

    def add_saved_curve(self, info: ModelInfo) -> RunHistory:
        run = RunHistory.from_model(info)
        self.history.append(run)
        item = QListWidgetItem(f"{info.name} (saved)")
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        self.runs.addItem(item)
        return run

    def on_add_saved_curve(self) -> None:
        catalog = scan()
        names = [m.name for m in catalog.models]
        if not names:
            return
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getItem(self, "Saved model", "Show the cost curve of:", names,
                                        0, False)
        if ok:
            self.add_saved_curve(catalog.find(name))

    def on_use_saved(self) -> None:
        catalog = scan()
        info = catalog.find(self.variant.currentData())
        if info is None:
            QMessageBox.information(self, "Not saved yet",
                                    f"No saved model named '{self.variant.currentData()}'.")
            return
        self.useModelRequested.emit(str(info.path))

    def export_png(self, path: str | Path) -> None:
        from pyqtgraph.exporters import ImageExporter

        ImageExporter(self.chart.plotItem).export(str(path))

    def export_csv(self, path: str | Path) -> None:
        with open(path, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["run", "kind", "x", "cost", "test_acc"])
            for run in self.history:
                for x, cost in zip(run.batch_x, run.batch_cost):
                    writer.writerow([run.name, "batch", f"{x:.5f}", f"{cost:.6g}", ""])
                for i, cost in enumerate(run.epoch_cost):
                    acc = run.epoch_acc[i] if i < len(run.epoch_acc) else ""
                    writer.writerow([run.name, "epoch", i + 1, f"{cost:.9g}", acc])

    def on_export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export chart", "cost.png", "PNG (*.png)")
        if path:
            self.export_png(path)

    def on_export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export history", "runs.csv", "CSV (*.csv)")
        if path:
            try:
                self.export_csv(path)
            except OSError as exc:
                QMessageBox.warning(self, "Cannot export", f"{path}: {exc.strerror or exc}")


def _duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "?"
    seconds = max(0, round(seconds))
    return f"{seconds // 60}m {seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
