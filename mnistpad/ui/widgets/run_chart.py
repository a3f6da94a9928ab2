"""The Train tab's chart: cost and test accuracy of the ticked runs, epoch by epoch.

The x axis counts whole epochs: batch k of epoch e sits at ``e - 1 + k / batches``, an
epoch's mean cost in the middle of its epoch (at ``e - 0.5``, among the batches it averages)
and its test accuracy, measured after it, at ``e``. Until a run is shown, a hint stands in
for the empty axes. pyqtgraph is imported when the chart is first built, not on the way to
the window.

Training against test (:meth:`RunChart.set_train_vs_test`): each epoch's training cost and
accuracy (running means over its batches) beside the test set's, both at ``e``, with the gap
between them shaded: the overfitting a deep net shows and dropout closes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QStackedLayout, QVBoxLayout, QWidget

from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.core.models.specs import VariantSpec

SMOOTHING = 0.05  # weight of the newest batch in the smoothed cost curve
DIMMED_ALPHA = 80  # cancelled and failed runs: their colour at this opacity (of 255)
AXIS_WIDTH = 48  # both plots' left axes, so that their epochs line up
TICK_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500)


@dataclass(eq=False)
class RunHistory:
    """Curves of one run (live or finished, or read from a saved model's metadata); two
    runs are the same only when they are one object, even with equal curves."""

    name: str
    spec: VariantSpec
    batch_x: list[float] = field(default_factory=list)
    batch_cost: list[float] = field(default_factory=list)
    epoch_cost: list[float] = field(default_factory=list)
    epoch_acc: list[float] = field(default_factory=list)
    epoch_train_acc: list[float] = field(default_factory=list)
    epoch_test_cost: list[float] = field(default_factory=list)
    path: Path | None = None
    outcome: str = "running"  # then "finished", "cancelled" or "failed"; "saved" from a file
    # What makes two runs one: equal keys (settings, seed, device, data) mean equal curves.
    repeat_key: tuple | None = None
    _smoothed: list[float] = field(default_factory=list, repr=False)

    @property
    def dimmed(self) -> bool:
        return self.outcome in ("cancelled", "failed")

    @property
    def epochs(self) -> int:
        """Epochs the x axis must hold for this run: all it plans while it runs."""
        return self.spec.epochs if self.outcome == "running" else max(1, len(self.epoch_cost))

    def add_epoch(self, record) -> None:
        """An epoch's progress record (``kind == "epoch"``): its cost, and the training and
        test figures it carries."""
        self.epoch_cost.append(record.cost)
        if record.train_acc is not None:
            self.epoch_train_acc.append(record.train_acc)
        if record.test_acc is not None:
            self.epoch_acc.append(record.test_acc)
        if record.test_cost is not None:
            self.epoch_test_cost.append(record.test_cost)

    def smoothed(self) -> np.ndarray:
        """The batch costs, exponentially smoothed. ``batch_cost`` only grows, so only the
        batches added since the last call are smoothed: a redraw of a long run (a race draws
        five) costs the new batches, not all of them again."""
        done = self._smoothed
        if len(done) > len(self.batch_cost):
            done.clear()
        level = done[-1] if done else None
        for cost in self.batch_cost[len(done):]:
            level = cost if level is None else (1 - SMOOTHING) * level + SMOOTHING * cost
            done.append(level)
        return np.asarray(done, dtype=float)

    @classmethod
    def from_model(cls, info: ModelInfo) -> RunHistory:
        seed, device = info.metadata.get("seed"), info.metadata.get("device")
        return cls(info.name, info.spec, epoch_cost=list(info.cost_history),
                   epoch_acc=list(info.accuracy_history),
                   epoch_train_acc=list(info.train_accuracy_history),
                   epoch_test_cost=list(info.test_cost_history), path=info.path, outcome="saved",
                   repeat_key=("saved", info.spec, seed, device) if seed else None)


class RunCurves(NamedTuple):
    batch: object | None  # no batch curve for a saved model: its file keeps epoch means only
    epoch: object
    accuracy: object
    test_cost: object  # the next four are shown in the training-against-test view only
    train_accuracy: object
    cost_gap: object
    accuracy_gap: object

    def train_vs_test(self) -> tuple:
        return self.test_cost, self.train_accuracy, self.cost_gap, self.accuracy_gap


def _at_epoch_ends(values: list[float]) -> np.ndarray:
    return np.arange(1, len(values) + 1, dtype=float)


def tick_step(epochs: int) -> int:
    """Whole epochs between labelled ticks: at most about ten labels."""
    return next((step for step in TICK_STEPS if epochs / step <= 10), TICK_STEPS[-1])


class RunChart(QWidget):
    """Cost (top) and test accuracy (below) of the runs given to :meth:`show_runs`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("runChart")
        self.cost_plot = None
        self.accuracy_plot = None
        self.curves: dict[int, RunCurves] = {}
        self._log_y = False
        self.train_vs_test = False
        self._shown: tuple[list[RunHistory], list[str]] = ([], [])
        self._x_epochs = 0
        self.hint = QLabel(objectName="chartHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(mid); padding: 24px;")
        self._plots = QWidget()
        self._plots_layout = QVBoxLayout(self._plots)
        self._plots_layout.setContentsMargins(0, 0, 0, 0)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.hint)
        self._stack.addWidget(self._plots)
        self.retranslate()

    def retranslate(self) -> None:
        """The hint, the axes and the legend, in the window's language."""
        self.hint.setText(self.tr(
            "Pick a variant and press Train (Ctrl+T): its cost appears here batch by batch, "
            "with the test accuracy after each epoch.\nOr add a saved model's curve to "
            "compare runs, as on the lecture's slides."))
        if self.cost_plot is None:
            return
        for plot, y_label in ((self.cost_plot, self.tr("cost")),
                              (self.accuracy_plot, self.tr("test acc. %"))):
            plot.setLabel("left", y_label)
        self.accuracy_plot.setLabel("bottom", self.tr("epoch"))
        self.show_runs(*self._shown, full=True)  # the legend's names

    def build(self) -> None:
        """Create both plots (importing pyqtgraph: a fifth of a second) if not yet done."""
        if self.cost_plot is not None:
            return
        import pyqtgraph as pg

        self.cost_plot = self._plot(pg, "costChart", self.tr("cost"))
        self.cost_plot.setLabel("bottom", "")
        self.cost_plot.addLegend(offset=(-10, 10), labelTextColor=(40, 40, 40),
                                 brush=(255, 255, 255, 210), pen=(200, 200, 200))
        self.cost_plot.setLogMode(y=self._log_y)
        self.accuracy_plot = self._plot(pg, "accuracyChart", self.tr("test acc. %"))
        self.accuracy_plot.setXLink(self.cost_plot)
        self._plots_layout.addWidget(self.cost_plot, 3)
        self._plots_layout.addWidget(self.accuracy_plot, 1)
        self._follow_palette()

    def _follow_palette(self) -> None:
        from mnistpad.ui.widgets.appearance import style_plot

        for plot in (self.cost_plot, self.accuracy_plot):
            style_plot(plot, self.palette())

    def changeEvent(self, event) -> None:
        """Light or dark (see ui.widgets.appearance): the plots follow the palette; a new language:
        the texts."""
        if event.type() == QEvent.Type.PaletteChange and self.cost_plot is not None:
            self._follow_palette()
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _plot(self, pg, name: str, y_label: str):
        plot = pg.PlotWidget(objectName=name)
        plot.showGrid(x=True, y=True, alpha=0.3)
        plot.setLabel("bottom", self.tr("epoch"))
        plot.setLabel("left", y_label)
        plot.getAxis("bottom").enableAutoSIPrefix(False)
        plot.getAxis("left").setWidth(AXIS_WIDTH)
        plot.setMouseEnabled(x=False)
        return plot

    def set_log_y(self, on: bool) -> None:
        self._log_y = on
        if self.cost_plot is not None:
            self.cost_plot.setLogMode(y=on)

    def set_train_vs_test(self, on: bool) -> None:
        """Show each epoch's training figures beside the test figures, the gap shaded."""
        self.train_vs_test = on
        if self.cost_plot is not None:
            self.show_runs(*self._shown, full=True)

    def show_runs(self, runs: list[RunHistory], colours: list[str], full: bool = False) -> None:
        """Draw ``runs`` (each in its colour); ``full`` rebuilds every curve (runs ticked,
        unticked or marked since the last call)."""
        self.build()
        self._shown = (list(runs), list(colours))
        if full:
            for plot in (self.cost_plot, self.accuracy_plot):
                plot.clear()
            self.curves.clear()
        self._stack.setCurrentWidget(self._plots if runs else self.hint)
        self.setAccessibleDescription(self.describe(runs))
        if not runs:
            return
        for run, colour in zip(runs, colours, strict=True):
            if id(run) not in self.curves:
                self.curves[id(run)] = self._add_curves(run, colour)
            self._set_data(run, self.curves[id(run)])
        epochs = max(run.epochs for run in runs)
        if full or epochs != self._x_epochs:  # a new range re-lays out both axes: not per batch
            self._x_epochs = epochs
            self.cost_plot.setXRange(0, epochs, padding=0.02)
            step = tick_step(epochs)
            for plot in (self.cost_plot, self.accuracy_plot):
                plot.getAxis("bottom").setTickSpacing(step, step)

    def describe(self, runs: list[RunHistory]) -> str:
        """What the chart shows, for a screen reader: each run's last cost and accuracy."""
        if not runs:
            return self.tr("Cost and accuracy chart; no runs shown")
        parts = []
        for run in runs:
            cost = run.epoch_cost[-1] if run.epoch_cost else (
                run.batch_cost[-1] if run.batch_cost else None)
            accuracy = run.epoch_acc[-1] if run.epoch_acc else None
            parts.append(self.tr("{0}: last cost {1}, test accuracy {2}").format(
                run.name, "-" if cost is None else f"{cost:.4g}",
                "-" if accuracy is None else f"{100 * accuracy:.2f}%"))
        return self.tr("Cost and accuracy chart; {0}").format("; ".join(parts))

    def _add_curves(self, run: RunHistory, colour: str) -> RunCurves:
        import pyqtgraph as pg

        pen_colour = pg.mkColor(colour)
        if run.dimmed:
            pen_colour.setAlpha(DIMMED_ALPHA)
        label = run.name if not run.dimmed else self.tr("{0} ({1})").format(
            run.name, self.tr("cancelled") if run.outcome == "cancelled" else self.tr("failed"))
        # A legend entry for each line that is or will be drawn, never for an empty one.
        live = run.outcome == "running"
        batch = None
        if run.outcome != "saved":
            batch = self.cost_plot.plot(
                [], [], pen=pg.mkPen(pen_colour, width=1.5),
                name=self.tr("{0}: each batch, smoothed").format(label)
                if live or run.batch_cost else None)
        dashed = pg.mkPen(pen_colour, width=2, style=Qt.PenStyle.DashLine)
        epoch = self.cost_plot.plot(
            [], [], pen=dashed, symbol="o", symbolSize=6, symbolBrush=pen_colour,
            symbolPen=pen_colour, name=self.tr("{0}: epoch mean, at mid-epoch").format(label)
            if live or run.epoch_cost else None)
        accuracy = self.accuracy_plot.plot([], [], pen=pg.mkPen(pen_colour, width=2),
                                           symbol="o", symbolSize=5, symbolBrush=pen_colour,
                                           symbolPen=pen_colour)
        return RunCurves(batch, epoch, accuracy, *self._add_train_vs_test(
            pg, run, label, pen_colour, epoch, accuracy))

    def _add_train_vs_test(self, pg, run: RunHistory, label: str, pen_colour, epoch,
                           accuracy) -> tuple:
        """Test cost and training accuracy (dotted), and the gaps shaded in the run's colour."""
        dotted = pg.mkPen(pen_colour, width=2, style=Qt.PenStyle.DotLine)
        shown = self.train_vs_test and bool(run.epoch_test_cost)
        test_cost = self.cost_plot.plot(
            [], [], pen=dotted, symbol="s", symbolSize=6, symbolBrush=pen_colour,
            symbolPen=pen_colour,
            name=self.tr("{0}: test cost after each epoch").format(label) if shown else None)
        train_accuracy = self.accuracy_plot.plot([], [], pen=dotted, symbol="s", symbolSize=5,
                                                 symbolBrush=pen_colour, symbolPen=pen_colour)
        gap_colour = pg.mkColor(pen_colour)
        gap_colour.setAlpha(50)
        cost_gap = pg.FillBetweenItem(epoch, test_cost, brush=gap_colour)
        accuracy_gap = pg.FillBetweenItem(accuracy, train_accuracy, brush=gap_colour)
        self.cost_plot.addItem(cost_gap)
        self.accuracy_plot.addItem(accuracy_gap)
        for item in (test_cost, train_accuracy, cost_gap, accuracy_gap):
            item.setVisible(self.train_vs_test)
        return test_cost, train_accuracy, cost_gap, accuracy_gap

    def _set_data(self, run: RunHistory, curves: RunCurves) -> None:
        """Give each curve of ``run`` its data, skipping a curve whose data has not grown
        since it was last set: while a run goes, only the batch curve changes between epoch
        ends (re-setting the epoch and accuracy curves, symbols and all, took most of a
        redraw, on the GUI thread, holding the interpreter against the training thread)."""
        if curves.batch is not None and run.batch_cost:
            self._update(curves.batch, len(run.batch_cost),
                         lambda: (np.asarray(run.batch_x), run.smoothed()))
        # side by side with the test figures, an epoch's training cost sits at its end too
        offset = 1.0 if self.train_vs_test else 0.5
        if run.epoch_cost:
            self._update(curves.epoch, len(run.epoch_cost), lambda: (
                np.arange(len(run.epoch_cost)) + offset, np.asarray(run.epoch_cost)))
        if run.epoch_acc:
            self._update(curves.accuracy, len(run.epoch_acc), lambda: (
                _at_epoch_ends(run.epoch_acc), 100 * np.asarray(run.epoch_acc)))
        if self.train_vs_test and run.epoch_test_cost:
            self._update(curves.test_cost, len(run.epoch_test_cost), lambda: (
                _at_epoch_ends(run.epoch_test_cost), np.asarray(run.epoch_test_cost)))
        if self.train_vs_test and run.epoch_train_acc:
            self._update(curves.train_accuracy, len(run.epoch_train_acc), lambda: (
                _at_epoch_ends(run.epoch_train_acc), 100 * np.asarray(run.epoch_train_acc)))

    @staticmethod
    def _update(curve, length: int, data) -> None:
        """``curve.setData(*data())`` unless it already holds ``length`` points."""
        if curve.xData is None or len(curve.xData) != length:
            curve.setData(*data())

    def export_png(self, path: str | Path) -> None:
        from pyqtgraph.exporters import ImageExporter

        self.build()
        ImageExporter(self.cost_plot.plotItem).export(str(path))
