"""The Train tab's runs: the list of runs (tick to overlay), the cost chart with its tools
(log scale, training vs test, a saved model's curve, export) and the lecture's log.

:class:`RunsView` keeps ``history`` (every run listed, in order) next to the list widget
that shows it; the training panel hands it runs and log lines and tells it when a run ends.
"""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QSaveFile, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
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
from mnistpad.ui.state.app_state import AppState
from mnistpad.ui.widgets.probabilities import Retranslates
from mnistpad.ui.widgets.run_chart import RunChart, RunHistory

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#7f7f7f", "#bcbd22"]
CSV_HEADER = ["run", "kind", "x", "cost", "test_acc"]


class RunsView(Retranslates, QWidget):
    """The chart, its tools and the log, side by side with the run list.

    The widget itself is the chart side; the run list with its label is ``list_box``, which
    the panel places under its form (the chart gets the width, the list the form's column).
    ``state`` gives the saved models whose curves can be added.
    """

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trainRuns")
        self.state = state
        self.history: list[RunHistory] = []
        # The chart (pyqtgraph) is built after start-up or when first needed: importing
        # pyqtgraph costs a fifth of a second that the window's start-up does not pay.
        self.run_chart = RunChart()
        self.log_scale = QCheckBox(objectName="logScale")
        self.log_scale.toggled.connect(self.run_chart.set_log_y)
        self.train_vs_test = QCheckBox(objectName="trainVsTest")
        self.train_vs_test.toggled.connect(self.run_chart.set_train_vs_test)
        self.add_saved_button = QPushButton(objectName="addSavedCurveButton")
        self.add_saved_button.clicked.connect(self.on_add_saved_curve)
        self.export_png_button = QPushButton()
        self.export_png_button.clicked.connect(self.on_export_png)
        self.export_csv_button = QPushButton()
        self.export_csv_button.clicked.connect(self.on_export_csv)
        self.log = QPlainTextEdit(objectName="trainLog", readOnly=True)
        self.log.setMaximumBlockCount(5000)
        self.runs_label = QLabel()
        self.run_list = QListWidget(objectName="runList")
        self.run_list.itemChanged.connect(self.on_run_ticked)
        self.list_box = self._list_box()
        self._lay_out()
        self.retranslate()

    def _list_box(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.runs_label)
        column.addWidget(self.run_list, 1)
        return box

    def _lay_out(self) -> None:
        chart_tools = QHBoxLayout()
        for widget in (self.log_scale, self.train_vs_test, self.add_saved_button,
                       self.export_png_button, self.export_csv_button):
            chart_tools.addWidget(widget)
        chart_tools.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.run_chart, 3)
        column.addLayout(chart_tools)
        column.addWidget(self.log, 1)

    def retranslate(self) -> None:
        """Every text of the runs side in the language now installed, the run list's
        entries included."""
        self.log_scale.setText(self.tr("Log scale"))
        self.train_vs_test.setText(self.tr("Training vs &test"))
        self.train_vs_test.setToolTip(self.tr(
            "Each epoch's training cost and accuracy beside the test figures, the gap between "
            "them shaded: a gap that grows is the network memorizing its training digits "
            "(overfitting), which dropout narrows"))
        self.runs_label.setText(self.tr("Runs (tick to overlay):"))
        self.run_list.setToolTip(self.tr("Tick runs to overlay their curves"))
        self.add_saved_button.setText(self.tr("Add saved model's curve"))
        self.export_png_button.setText(self.tr("Export PNG…"))
        self.export_csv_button.setText(self.tr("Export CSV…"))
        self.log.setPlaceholderText(self.tr("The lecture's log lines (Epoch: 0001 cost = ...) "
                                            "appear here while a run trains."))
        self.run_list.blockSignals(True)
        for run in self.history:
            self._label_run(run)
        self.run_list.blockSignals(False)

    # ------------------------------------------------------------------ the run list

    def add_run(self, run: RunHistory) -> None:
        """List ``run`` (ticked) after the others, and chart it at once: the panel's run, an
        optimizer race's racer or a saved model's history."""
        self.history.append(run)
        item = QListWidgetItem()
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        self.run_list.blockSignals(True)
        self.run_list.addItem(item)
        self._label_run(run)
        self.run_list.blockSignals(False)
        # its curves join the others' (last, as a rebuild would place them); rebuilding
        # every run's curves took the GUI thread a few milliseconds per run as a run started
        self.redraw()

    def show_outcome(self, run: RunHistory) -> None:
        """``run`` ended (its ``outcome`` set): mark it on the list. A finished run keeps its
        curves as drawn (no full rebuild as the run ends: a tenth of a second on the GUI
        thread); a dimmed one is redrawn in its faded colour."""
        self._label_run(run)
        self.redraw(full=run.dimmed)

    def remove_run(self, run: RunHistory) -> None:
        """Take ``run`` off the list and the chart (a run that never began)."""
        if run in self.history:
            index = self.history.index(run)
            self.history.pop(index)
            self.run_list.takeItem(index)
        self.redraw(full=True)

    def _label_run(self, run: RunHistory) -> None:
        """The run's list entry: its number and name, what became of it, and the earlier
        run it repeats (same settings and seed: the curves overlay exactly)."""
        index = self.history.index(run)
        item = self.run_list.item(index)
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

    def checked_runs(self) -> list[RunHistory]:
        return [run for i, run in enumerate(self.history)
                if self.run_list.item(i).checkState() == Qt.CheckState.Checked]

    def on_run_ticked(self, _item: QListWidgetItem) -> None:
        self.redraw(full=True)

    # ------------------------------------------------------------------ the chart

    @property
    def chart(self):
        """The cost chart, a ``pyqtgraph.PlotWidget`` (objectName ``costChart``)."""
        self.run_chart.build()
        return self.run_chart.cost_plot

    def build_chart(self) -> None:
        """Build the chart now (a fifth of a second): after start-up, before the tab is first
        painted, and before a run starts, never while one goes."""
        self.run_chart.build()

    def redraw(self, full: bool = False) -> None:
        """Update the curves; ``full`` rebuilds them all (runs ticked, unticked or marked)."""
        runs = self.checked_runs()
        colours = [PALETTE[self.history.index(run) % len(PALETTE)] for run in runs]
        self.run_chart.show_runs(runs, colours, full=full)

    def add_saved_curve(self, info: ModelInfo) -> RunHistory:
        """List and chart the history stored in a model file, at once."""
        run = RunHistory.from_model(info)
        self.add_run(run)
        return run

    def on_add_saved_curve(self) -> None:
        names = [m.name for m in self.state.models()]
        if not names:
            return
        name, ok = QInputDialog.getItem(self, self.tr("Saved model"),
                                        self.tr("Show the cost curve of:"), names, 0, False)
        if ok:
            self.add_saved_curve(self.state.find_name(name))

    # ------------------------------------------------------------------ the log

    def append_log(self, text: str) -> None:
        self.log.appendPlainText(text)

    # ------------------------------------------------------------------ export

    def export_png(self, path: str | Path) -> None:
        self.run_chart.export_png(path)

    def export_csv(self, path: str | Path) -> None:
        """Every run's batch and epoch figures as CSV, written whole or not at all: the rows
        go to a temporary file that replaces ``path`` only once all are written (QSaveFile),
        so a failed export leaves an existing file as it was. Raises OSError on failure."""
        target = QSaveFile(str(path))
        if not target.open(QSaveFile.OpenModeFlag.WriteOnly):
            raise OSError(target.errorString())
        try:
            writer = csv.writer(_SaveFileText(target))
            writer.writerow(CSV_HEADER)
            for run in self.history:
                writer.writerows(_csv_rows(run))
        except BaseException:
            target.cancelWriting()
            raise
        if not target.commit():
            raise OSError(target.errorString())

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


def _csv_rows(run: RunHistory):
    """``run``'s rows: one per batch (x in epochs), then one per epoch with its accuracy."""
    for x, cost in zip(run.batch_x, run.batch_cost, strict=False):
        yield [run.name, "batch", f"{x:.5f}", f"{cost:.6g}", ""]
    for i, cost in enumerate(run.epoch_cost):
        acc = run.epoch_acc[i] if i < len(run.epoch_acc) else ""
        yield [run.name, "epoch", i + 1, f"{cost:.9g}", acc]


class _SaveFileText:
    """A text stream (what ``csv.writer`` writes to) onto an open QSaveFile, in UTF-8."""

    def __init__(self, target: QSaveFile):
        self.target = target

    def write(self, text: str) -> int:
        data = text.encode("utf-8")
        if self.target.write(data) != len(data):
            raise OSError(self.target.errorString() or "write failed")
        return len(text)
