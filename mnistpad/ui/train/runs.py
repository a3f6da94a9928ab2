"""The Train tab's runs: the list of runs (tick to overlay), the cost chart with its tools
(log scale, a saved model's curve, export) and the lecture's log.

A mixin of :class:`~mnistpad.ui.train.panel.TrainingPanel`: it keeps ``history`` (every
run listed, in order) next to the list widget that shows it, and uses the panel's app state
(``state``) to find saved models.
"""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.ui.widgets.run_chart import RunChart, RunHistory

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#7f7f7f", "#bcbd22"]


class TrainingRuns:
    """The runs, their chart and the log (see the module doc)."""

    def _build_runs(self) -> QWidget:
        """Make the run list (placed by the panel) and return the chart side: the chart,
        its tools and the log."""
        self.history: list[RunHistory] = []
        # The chart (pyqtgraph) is built after start-up or when first needed: importing
        # pyqtgraph costs a fifth of a second that the window's start-up does not pay.
        self.run_chart = RunChart()
        self.log_scale = QCheckBox(objectName="logScale")
        self.log_scale.toggled.connect(self.run_chart.set_log_y)
        self.train_vs_test = QCheckBox(objectName="trainVsTest")
        self.train_vs_test.toggled.connect(self.run_chart.set_train_vs_test)
        self.runs_label = QLabel()
        self.runs = QListWidget(objectName="runList")
        self.runs.itemChanged.connect(lambda item: self.redraw(full=True))
        self.add_saved_button = QPushButton(objectName="addSavedCurveButton")
        self.add_saved_button.clicked.connect(self.on_add_saved_curve)
        self.export_png_button = QPushButton()
        self.export_png_button.clicked.connect(self.on_export_png)
        self.export_csv_button = QPushButton()
        self.export_csv_button.clicked.connect(self.on_export_csv)
        chart_tools = QHBoxLayout()
        for widget in (self.log_scale, self.train_vs_test, self.add_saved_button,
                       self.export_png_button, self.export_csv_button):
            chart_tools.addWidget(widget)
        chart_tools.addStretch(1)
        self.log = QPlainTextEdit(objectName="trainLog", readOnly=True)
        self.log.setMaximumBlockCount(5000)
        right = QVBoxLayout()
        right.addWidget(self.run_chart, 3)
        right.addLayout(chart_tools)
        right.addWidget(self.log, 1)
        right_widget = QWidget()
        right_widget.setLayout(right)
        return right_widget

    def _retranslate_runs(self) -> None:
        self.log_scale.setText(self.tr("Log scale"))
        self.train_vs_test.setText(self.tr("Training vs &test"))
        self.train_vs_test.setToolTip(self.tr(
            "Each epoch's training cost and accuracy beside the test figures, the gap between "
            "them shaded: a gap that grows is the network memorizing its training digits "
            "(overfitting), which dropout narrows"))
        self.runs_label.setText(self.tr("Runs (tick to overlay):"))
        self.runs.setToolTip(self.tr("Tick runs to overlay their curves"))
        self.add_saved_button.setText(self.tr("Add saved model's curve"))
        self.export_png_button.setText(self.tr("Export PNG…"))
        self.export_csv_button.setText(self.tr("Export CSV…"))
        self.log.setPlaceholderText(self.tr("The lecture's log lines (Epoch: 0001 cost = ...) "
                                            "appear here while a run trains."))
        self.runs.blockSignals(True)
        for run in self.history:
            self._label_run(run)
        self.runs.blockSignals(False)

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
        # its curves join the others' (last, as a rebuild would place them); rebuilding
        # every run's curves took the GUI thread a few milliseconds per run as a run started
        self.redraw()

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

    @property
    def chart(self):
        """The cost chart, a ``pyqtgraph.PlotWidget`` (objectName ``costChart``)."""
        self.run_chart.build()
        return self.run_chart.cost_plot

    def checked_runs(self) -> list[RunHistory]:
        return [run for i, run in enumerate(self.history)
                if self.runs.item(i).checkState() == Qt.CheckState.Checked]

    def redraw(self, full: bool = False) -> None:
        """Update the curves; ``full`` rebuilds them all (runs ticked, unticked or marked)."""
        runs = self.checked_runs()
        colours = [PALETTE[self.history.index(run) % len(PALETTE)] for run in runs]
        self.run_chart.show_runs(runs, colours, full=full)

    def add_run(self, run: RunHistory) -> None:
        """List a run made elsewhere (an optimizer race's racer), to overlay like others."""
        self._add_run(run)

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
