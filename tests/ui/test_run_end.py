"""The end of a run in the window, kept light for the GUI thread: the finished run keeps the
curves it was drawn with (no rebuild of the chart), the saved model is listed by reading its
header alone; and a reading as sure as the last leaves the answer's style alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QComboBox, QSpinBox

from mnistpad.core.models import registry

from .conftest import MNIST_FIXTURE


def test_a_finished_run_keeps_its_curves_and_its_model_is_listed_from_one_header(
        window, qtbot, monkeypatch):
    panel = window.training
    panel.state.data_dir = MNIST_FIXTURE
    combo = window.findChild(QComboBox, "trainVariant")
    combo.setCurrentIndex(combo.findData("softmax"))
    window.findChild(QSpinBox, "trainEpochs").setValue(1)
    read = []
    real = registry.read_info
    monkeypatch.setattr(registry, "read_info", lambda path: read.append(path) or real(path))
    with qtbot.waitSignal(panel.runEnded, timeout=60_000) as ended:
        assert panel.start()
        run = panel.current
        curves = panel.runs.run_chart.curves[id(run)]
    assert ended.args[0] == "finished", ended.args
    assert panel.runs.run_chart.curves[id(run)] is curves  # drawn on, not rebuilt
    assert len(curves.batch.getData()[0]) == len(run.batch_cost) == 20
    assert curves.epoch.getData()[0].tolist() == [0.5]
    assert curves.accuracy.getData()[0].tolist() == [1.0]
    legend = [label.text for _, label in panel.runs.chart.plotItem.legend.items]
    assert legend == [f"{run.name}: each batch, smoothed", f"{run.name}: epoch mean, at mid-epoch"]
    saved = Path(ended.args[1])
    assert window.state.find(saved).name == run.name
    # the shipped models' headers were read at start and are unchanged: only the new one
    assert read == [saved]


class _StyleChanges(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, _obj, event) -> bool:
        self.count += event.type() == QEvent.Type.StyleChange
        return False


def test_a_reading_restyles_the_answer_only_when_its_colour_changes(window):
    reading = window.draw.reading
    changes = _StyleChanges()
    reading.prediction.installEventFilter(changes)
    sure, unsure = np.full(10, 0.01), np.full(10, 0.05)
    sure[3], unsure[[3, 5]] = 0.91, [0.35, 0.25]
    reading.show_reading(sure)
    before = changes.count
    reading.show_reading(sure[::-1].copy())
    assert changes.count == before and reading.prediction.text() == "6"
    reading.show_reading(unsure)
    assert changes.count == before + 1
    assert reading.prediction.styleSheet() == "color: #969696"
    reading.prediction.removeEventFilter(changes)


def test_a_small_fully_connected_net_trains_on_one_thread(window, qtbot):
    from mnistpad.core.models.specs import VARIANTS, lab_spec
    from mnistpad.ui.shell.runtime import training_threads, training_threads_for

    single = [v for v in VARIANTS if training_threads_for(lab_spec(v)) == 1]
    assert single == ["softmax"] or training_threads() == 1
    assert training_threads_for(lab_spec("softmax").with_overrides(batch_size=1000)) == \
        training_threads()  # ten times the work per batch: worth splitting
    panel = window.training
    panel.state.data_dir = MNIST_FIXTURE
    combo = window.findChild(QComboBox, "trainVariant")
    for variant in ("softmax", "nn"):
        combo.setCurrentIndex(combo.findData(variant))
        window.findChild(QSpinBox, "trainEpochs").setValue(1)
        with qtbot.waitSignal(panel.runEnded, timeout=60_000):
            assert panel.start()
            assert panel.run.worker.threads == training_threads_for(lab_spec(variant))


def test_a_run_added_joins_the_chart_without_redrawing_the_others(window):
    from mnistpad.core.models.specs import lab_spec
    from mnistpad.ui.widgets.run_chart import RunHistory

    panel = window.training
    first = RunHistory("one", lab_spec("softmax"), epoch_cost=[0.5, 0.4], epoch_acc=[0.9, 0.91],
                       outcome="saved")
    second = RunHistory("two", lab_spec("nn"), epoch_cost=[0.3, 0.2, 0.1],
                        epoch_acc=[0.95, 0.96, 0.97], outcome="saved")
    panel.runs.add_run(first)
    curves = panel.runs.run_chart.curves[id(first)]
    panel.runs.add_run(second)
    assert panel.runs.run_chart.curves[id(first)] is curves
    assert panel.runs.run_chart.curves[id(second)].epoch.getData()[1].tolist() == [0.3, 0.2, 0.1]
    legend = [label.text for _, label in panel.runs.chart.plotItem.legend.items]
    assert legend == ["one: epoch mean, at mid-epoch", "two: epoch mean, at mid-epoch"]
    assert panel.runs.chart.viewRange()[0] == pytest.approx([0, 3], abs=0.1)
