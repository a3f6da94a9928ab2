"""The Activations view: why initialization matters, two models side by side.

Each column reads one model over the same 1,000 test digits (MNIST's first 1,000 when the
MNIST folder holds them, else the 1,000 shipped with mnistpad): per layer a histogram of
its outputs (a :class:`HistogramView`) and one of the cost's gradients with respect to
them, their mean, standard deviation and dead units, one plain sentence on what the
numbers show, and the batch's cost. By default the lecture's slide: nn with N(0,1) weights
against xavier, untrained, at the same seed. The reading runs as a job of the app's runner; a
training run can feed the left column through
:meth:`ActivationsPanel.update_from_training`, redrawn at most every
:data:`LIVE_INTERVAL_MS`. Everything the core returns is numbers and names; the words are
made here, in :meth:`ModelColumn.retranslate`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.models.specs import INITS, LAB_VARIANTS
from mnistpad.core.platform import lazy
from mnistpad.ui.widgets.histogram import HistogramView

if TYPE_CHECKING:
    from mnistpad.ui.state.app_state import AppState

# core.lessons.activations imports torch: loaded when the first reading is made
acts = lazy.module("mnistpad.core.lessons.activations")

ACTIVE = "active"  # the column's model: the window's active model, not a fresh variant
LIVE_INTERVAL_MS = 500  # a training run's readings are redrawn at most this often
PLOT_HEIGHT = 70
MAX_SEED = 2**31 - 1
DEFAULTS = (("nn", "normal"), ("xavier", "xavier"))  # the lecture's slide
ACTIVATION_COLOUR = (70, 110, 200)
GRADIENT_COLOUR = (210, 120, 40)


def reading_job(choices: list[tuple[str, str, int]], active, mnist_folder: Path | None):
    """The job the worker runs: each column's model read over the fixed batch. A choice is
    (variant or :data:`ACTIVE`, init, seed); ``active`` is the active model (a loaded torch
    module, read as it is: the reading neither trains it nor keeps gradients in it), its
    file's path, or None; returns one ``ActivationStats`` per choice."""

    def job(report, should_stop):
        from mnistpad.core.data.mnist import missing_test_files
        from mnistpad.core.files.modelfile import load_model
        from mnistpad.core.lessons.activations import fresh_model, probe_batch, read_model

        usable = mnist_folder is not None and not missing_test_files(mnist_folder)
        batch = probe_batch(mnist_folder if usable else None)
        readings = []
        for variant, init, seed in choices:
            if should_stop():
                return None
            if variant == ACTIVE:
                if active is None:
                    readings.append(None)
                    continue
                is_path = isinstance(active, (str, os.PathLike))
                model = load_model(active).model if is_path else active
            else:
                model = fresh_model(variant, init, seed)
            readings.append(read_model(model, batch))
            report(len(readings) / len(choices))
        return readings

    return job


class LayerRow:
    """One layer's widgets in a column: title, two histograms, figures and a sentence."""

    def __init__(self, grid: QGridLayout, row: int):
        self.title = QLabel()
        self.figures = QLabel(wordWrap=True)
        self.sentence = QLabel(wordWrap=True, objectName="layerSentence")
        self.activation_plot = HistogramView(ACTIVATION_COLOUR, PLOT_HEIGHT)
        self.gradient_plot = HistogramView(GRADIENT_COLOUR, PLOT_HEIGHT)
        grid.addWidget(self.title, 3 * row, 0, 1, 2)
        grid.addWidget(self.activation_plot, 3 * row + 1, 0)
        grid.addWidget(self.gradient_plot, 3 * row + 1, 1)
        text = QVBoxLayout()
        text.addWidget(self.figures)
        text.addWidget(self.sentence)
        grid.addLayout(text, 3 * row + 2, 0, 1, 2)
        self.widgets = [self.title, self.figures, self.sentence, self.activation_plot,
                        self.gradient_plot]

    def show(self, layer) -> None:
        self.activation_plot.set_histogram(layer.activations.edges, layer.activations.counts)
        self.gradient_plot.set_histogram(layer.gradients.edges, layer.gradients.counts)

    def remove(self) -> None:
        for widget in self.widgets:
            widget.setParent(None)
            widget.deleteLater()


class ModelColumn(QWidget):
    """One side: which model (the active one, or a lab variant freshly initialized), and
    its reading layer by layer (one member at a time for an ensemble)."""

    choiceChanged = Signal()

    def __init__(self, variant: str, init: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.stats = None
        self.live_name = ""
        self.rows: list[LayerRow] = []
        self._row_names: list[str] = []  # the layers the rows were built for
        self.model_box = QComboBox(objectName="modelBox")
        self.model_box.addItem("", ACTIVE)
        for name in LAB_VARIANTS:
            self.model_box.addItem("", name)
        self.model_box.setCurrentIndex(self.model_box.findData(variant))
        self.init_box = QComboBox(objectName="initBox")
        for name in INITS:
            self.init_box.addItem("", name)
        self.init_box.setCurrentIndex(self.init_box.findData(init))
        self.member_box = QComboBox(objectName="memberBox")
        self.member_box.setVisible(False)
        self.header = QLabel(wordWrap=True, objectName="columnHeader")
        self.headings = (QLabel(), QLabel())
        self.grid = QGridLayout()
        controls = QHBoxLayout()
        for widget in (self.model_box, self.init_box, self.member_box):
            controls.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.header)
        headings = QHBoxLayout()
        for label in self.headings:
            headings.addWidget(label)
        layout.addLayout(headings)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self.model_box.currentIndexChanged.connect(self.on_model_chosen)
        self.init_box.currentIndexChanged.connect(self.choiceChanged)
        self.member_box.currentIndexChanged.connect(self.on_member_chosen)
        self.on_model_chosen()

    def choice(self, seed: int) -> tuple[str, str, int]:
        return self.model_box.currentData(), self.init_box.currentData(), seed

    def on_model_chosen(self) -> None:
        self.init_box.setEnabled(self.model_box.currentData() != ACTIVE)
        self.choiceChanged.emit()

    def on_member_chosen(self) -> None:
        if self.stats is not None:
            self._show_member()

    def show_stats(self, stats, live_name: str = "") -> None:
        """Show a reading (None: the active model was asked for but there is none)."""
        self.stats, self.live_name = stats, live_name
        members = len(stats.members) if stats is not None else 0
        if members != self.member_box.count() or members < 2:
            self.member_box.blockSignals(True)
            self.member_box.clear()
            self.member_box.addItems([""] * members)
            self._name_members()
            self.member_box.blockSignals(False)
        self.member_box.setVisible(members > 1)
        self._show_member()

    def _name_members(self) -> None:
        for index in range(self.member_box.count()):
            self.member_box.setItemText(index, self.tr("member {0}").format(index + 1))

    def member(self):
        if self.stats is None:
            return None
        return self.stats.members[max(0, self.member_box.currentIndex())]

    def _show_member(self) -> None:
        member = self.member()
        layers = member.layers if member is not None else []
        if self._row_names != [layer.name for layer in layers]:
            self._build_rows(layers)
        for row, layer in zip(self.rows, layers, strict=True):
            row.show(layer)
        self.retell()

    def _build_rows(self, layers) -> None:
        for row in self.rows:
            row.remove()
        self.rows = [LayerRow(self.grid, i) for i in range(len(layers))]
        self._row_names = [layer.name for layer in layers]

    # ------------------------------------------------------------------ words

    def retranslate(self) -> None:
        for index, name in enumerate(LAB_VARIANTS):
            self.model_box.setItemText(index + 1, self.tr("{0}, untrained").format(name))
        self.model_box.setItemText(0, self.tr("Active model"))
        for index, label in enumerate((self.tr("N(0,1) init"), self.tr("Xavier init"),
                                       self.tr("He init"))):
            self.init_box.setItemText(index, label)
        self._name_members()
        self.headings[0].setText(self.tr("<b>Outputs</b> (histogram)"))
        self.headings[1].setText(self.tr("<b>Gradients of the cost</b> (histogram)"))
        self.retell()

    def retell(self) -> None:
        """The words made from the reading: header, and each layer's figures and sentence."""
        self.header.setText(self._header())
        member = self.member()
        for row, layer in zip(self.rows, member.layers if member else [], strict=True):
            row.title.setText(self.tr("<b>Layer {0}: {1}</b>, {2} units").format(
                layer.index, layer.kind, layer.units))
            row.figures.setText(self._figures(layer))
            row.sentence.setText(self._sentence(layer, member))

    def _header(self) -> str:
        if self.stats is None:
            return self.tr("No active model yet: load or train one, or pick a lab model.")
        digits = (self.tr("{0} digits of the MNIST test set") if self.stats.source.value ==
                  "mnist_test" else self.tr("{0} test digits shipped with mnistpad"))
        accuracy = 100 * np.mean([m.accuracy for m in self.stats.members])
        if self.live_name:
            text = self.tr("Training {0} (live): cost {1:.3g} on {2}; {3:.1f}% read "
                           "right.").format(self.live_name, self.stats.cost,
                                            digits.format(self.stats.digits), accuracy)
        else:
            text = self.tr("Starting cost {0:.3g} on {1}; {2:.1f}% read right.").format(
                self.stats.cost, digits.format(self.stats.digits), accuracy)
        if not self.stats.members[0].has_relu:
            text += " " + self.tr("No ReLU layers: dead units do not apply.")
        return text

    def _figures(self, layer) -> str:
        text = self.tr("mean {0:.3g}, std {1:.3g}, gradient std {2:.2e}").format(
            layer.mean, layer.std, layer.grad_std)
        if layer.zero_fraction is not None:
            text += self.tr(", dead units {0:.1f}%").format(100 * layer.zero_fraction)
        return text

    def _sentence(self, layer, member) -> str:
        """One plain sentence on what ``layer``'s numbers show."""
        finding = layer.finding.value
        if finding == "saturated":
            return self.tr("Outputs spread over about ±{0:.3g}: softmax is certain of one "
                           "digit ({1:.0f}% on average), often the wrong one, so the first "
                           "costs are huge.").format(layer.std, 100 * member.confidence)
        if finding == "exploding":
            return self.tr("Outputs spread over about ±{0:.3g}, far beyond 1: each layer "
                           "multiplies the spread of the one before.").format(layer.std)
        if finding == "vanishing":
            return self.tr("Outputs close to zero (std {0:.2g}): the signal fades layer by "
                           "layer, and the gradients with it.").format(layer.std)
        if finding == "dead":
            return self.tr("{0:.0f}% of the units are zero for every digit: dead units pass "
                           "nothing on and stop learning.").format(100 * layer.zero_fraction)
        return self.tr("Outputs near 1 (std {0:.2g}): the signal passes on without blowing up "
                       "or fading.").format(layer.std)


class ActivationsPanel(QWidget):
    """Two :class:`ModelColumn` side by side and a shared seed.

    With the app ``state`` (as the window builds it), the active column reads the state's
    loaded model (the file is never loaded again here), MNIST is read from the state's
    folder, and the view reads again, when shown, as the active model or the folder changes.
    Without one (a view on its own), ``active_model_path()`` gives the active model file
    (None without one) and ``mnist_folder()`` the MNIST folder (None, or one without the test
    files: the shipped digits are read)."""

    readingsShown = Signal()

    def __init__(self, runner, active_model_path: Callable[[], Path | None] = lambda: None,
                 mnist_folder: Callable[[], Path | None] = lambda: None,
                 parent: QWidget | None = None, *, state: AppState | None = None):
        super().__init__(parent)
        self.setObjectName("activationsPanel")
        self.state = state
        self.active_model_path = active_model_path
        self.mnist_folder = mnist_folder
        self.runner = runner  # the app's JobRunner
        self._run = None
        self._again = False
        self._shown_once = False
        self._live = None
        self._live_shown_at = 0.0
        self._live_timer = QTimer(self, singleShot=True, timeout=self._show_live)
        self.columns = [ModelColumn(variant, init) for variant, init in DEFAULTS]
        self.seed_box = QSpinBox(objectName="seedBox", minimum=0, maximum=MAX_SEED)
        self.seed_label = QLabel()
        self.show_button = QPushButton(objectName="showButton")
        self.status = QLabel(objectName="activationsStatus", wordWrap=True)
        self._build()
        self.retranslate()
        if state is not None:
            state.activeModelChanged.connect(self.on_state_changed)
            state.dataDirChanged.connect(self.on_state_changed)

    def on_state_changed(self, *_) -> None:
        """The active model (or its loading) or the MNIST folder changed: read again if shown
        (a hidden view reads when it is first shown)."""
        if self.isVisible():
            self.refresh()

    def _active_model(self):
        """What the active column reads: the state's loaded model (None while it loads), or
        without a state the model file's path."""
        if self.state is None:
            return self.active_model_path()
        classifier = self.state.active_classifier()
        return None if classifier is None else classifier.model

    def _folder(self) -> Path | None:
        return self.mnist_folder() if self.state is None else self.state.data_dir

    def _build(self) -> None:
        top = QHBoxLayout()
        for widget in (self.seed_label, self.seed_box, self.show_button):
            top.addWidget(widget)
        top.addWidget(self.status, 1)
        sides = QWidget()
        side_by_side = QHBoxLayout(sides)
        for column in self.columns:
            side_by_side.addWidget(column)
            column.choiceChanged.connect(self.refresh)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(sides)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.show_button.clicked.connect(self.refresh)
        self.seed_box.valueChanged.connect(self.refresh)

    def retranslate(self) -> None:
        self.seed_label.setText(self.tr("Seed:"))
        self.show_button.setText(self.tr("Read both"))
        self.show_button.setToolTip(self.tr(
            "Run 1,000 test digits through both models and show each layer's outputs and "
            "gradients"))
        for column in self.columns:
            column.retranslate()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event) -> None:
        """The first time the view is shown, it reads its two models: the slide at once."""
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.refresh()

    # ------------------------------------------------------------------ reading

    def is_running(self) -> bool:
        return self._run is not None and self._run.is_running()

    def refresh(self) -> None:
        """Read both columns' models again, in the background (once more after the run under
        way, if one is)."""
        if self.is_running():
            self._again = True
            return
        choices = [column.choice(self.seed_box.value()) for column in self.columns]
        self._run = self.runner.start(
            reading_job(choices, self._active_model(), self._folder()),
            "activations", on_done=self._on_done)
        self.status.setText(self.tr("Reading 1,000 test digits…"))
        self.show_button.setEnabled(False)

    def _on_done(self, outcome: str, value) -> None:
        self._run = None
        self.show_button.setEnabled(True)
        if outcome == "finished" and value is not None:
            self.status.setText("")
            self.show_readings(value)
        elif outcome == "failed":
            self.status.setText(self.tr("Reading failed: {0}").format(value.sentence()))
        if self._again:
            self._again = False
            self.refresh()

    def show_readings(self, readings: list) -> None:
        """Show one reading per column (a live training run keeps the left column)."""
        for index, (column, stats) in enumerate(zip(self.columns, readings, strict=True)):
            if index == 0 and self._live is not None:
                continue
            column.show_stats(stats)
        self.readingsShown.emit()

    # ------------------------------------------------------------------ live

    def update_from_training(self, stats, run_name: str = "") -> None:
        """A reading of the model being trained (from the training worker's
        ``TrainingWatch``), shown in the left column; redrawn at most every
        :data:`LIVE_INTERVAL_MS`, the newest reading winning."""
        self._live = (stats, run_name)
        if self._live_timer.isActive():
            return
        wait_ms = LIVE_INTERVAL_MS - 1000 * (time.monotonic() - self._live_shown_at)
        self._live_timer.start(max(0, round(wait_ms)))

    def _show_live(self) -> None:
        if self._live is None:
            return
        stats, name = self._live
        self.columns[0].show_stats(stats, live_name=name or self.tr("a model"))
        self._live_shown_at = time.monotonic()  # the interval counts from the redraw's end
        self.readingsShown.emit()

    def end_training(self) -> None:
        """The training run ended: the left column goes back to its own model."""
        self._live = None
        self._live_timer.stop()
        self.refresh()

    def shutdown(self) -> None:
        """Cancel (the window is closing; the runner waits for the job)."""
        self._live_timer.stop()
        if self._run is not None:
            self._run.cancel()
            self._run = None
