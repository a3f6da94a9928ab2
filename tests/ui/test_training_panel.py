"""Training from the window: worker thread, progress, chart, cancel, close, errors."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtWidgets import QComboBox, QMessageBox, QProgressBar, QPushButton, QSpinBox

from mnistpad.core.paths import user_models_dir
from mnistpad.ui.worker import running_threads

from .conftest import MNIST_FIXTURE


@pytest.fixture
def panel(window):
    window.training.data_dir = MNIST_FIXTURE
    return window.training


def _choose(window, variant: str, epochs: int) -> None:
    combo = window.findChild(QComboBox, "trainVariant")
    combo.setCurrentIndex(combo.findData(variant))
    window.findChild(QSpinBox, "trainEpochs").setValue(epochs)


def _saved_files():
    folder = user_models_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_short_run_trains_charts_saves_and_classifies(window, panel, qtbot, stroke_samples,
                                                         draw_strokes):
    _choose(window, "xavier", 2)
    name = panel.result_name.text()
    button = window.findChild(QPushButton, "trainButton")
    with qtbot.waitSignal(panel.runEnded, timeout=60_000) as ended:
        button.click()
        assert window.findChild(QPushButton, "cancelButton").isEnabled()
    assert ended.args[0] == "finished", ended.args
    progress = window.findChild(QProgressBar, "trainProgress")
    assert progress.value() == progress.maximum()
    run = panel.history[-1]
    assert len(run.epoch_cost) == 2 and run.epoch_cost[1] < run.epoch_cost[0]
    assert len(run.batch_cost) == 2 * 20
    log = panel.log.toPlainText()
    assert "Epoch: 0001 cost = " in log and "Epoch: 0002 cost = " in log
    assert "Accuracy: 0." in log
    batch_curve, epoch_curve = panel._curves[id(run)]
    assert len(batch_curve.getData()[0]) == 40 and len(epoch_curve.getData()[0]) == 2
    selector = window.findChild(QComboBox, "modelSelector")
    index = next(i for i in range(selector.count()) if selector.itemText(i).startswith(name))
    assert _saved_files() == [f"{name}.safetensors"]
    panel.use_result_button.click()
    assert window.classifier.name == name
    assert selector.currentIndex() == index
    draw_strokes(window.canvas, stroke_samples[3]["strokes"])
    assert window.prediction.text().isdigit()


def test_cancel_stops_quickly_and_saves_nothing(window, panel, qtbot):
    _choose(window, "deepcnn", 3)
    with qtbot.waitSignal(panel.runEnded, timeout=60_000) as ended:
        assert panel.start()
        qtbot.waitUntil(lambda: len(panel.current.batch_cost) >= 2, timeout=30_000)
        window.findChild(QPushButton, "cancelButton").click()
    assert ended.args[0] == "cancelled"
    assert _saved_files() == []
    assert panel.history == [] and panel.runs.count() == 0
    assert "nothing was saved" in panel.log.toPlainText()
    assert window.findChild(QPushButton, "trainButton").isEnabled()


def test_a_second_start_is_refused_while_running(window, panel, qtbot):
    _choose(window, "deepcnn", 3)
    assert panel.start()
    assert not panel.start()
    assert len(running_threads()) == 1
    assert "already going" in panel.log.toPlainText()
    with qtbot.waitSignal(panel.runEnded, timeout=60_000):
        panel.cancel()


def test_closing_the_window_mid_run_stops_cleanly(window, panel, qtbot):
    _choose(window, "deepcnn", 3)
    assert panel.start()
    qtbot.waitUntil(lambda: panel.current is not None and len(panel.current.batch_cost) >= 1,
                    timeout=30_000)
    window.close()
    assert running_threads() == []
    assert panel.run is None
    assert _saved_files() == []


def test_a_diverging_run_ends_with_a_message(window, panel, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    _choose(window, "nn", 1)
    panel.optimizer.setCurrentIndex(panel.optimizer.findData("sgd"))
    panel.learning_rate.setValue(1e6)
    with qtbot.waitSignal(panel.runEnded, timeout=60_000) as ended:
        panel.start()
    assert ended.args[0] == "failed"
    assert shown and "diverged" in shown[0]
    assert _saved_files() == []


def test_missing_mnist_offers_download_or_folder(window, panel, qtbot, tmp_path, monkeypatch):
    offered = []
    monkeypatch.setattr(type(panel), "_offer_data", lambda self, detail: offered.append(detail))
    panel.data_dir = tmp_path / "nowhere"
    with qtbot.waitSignal(panel.runEnded, timeout=30_000) as ended:
        panel.start()
    assert ended.args[0] == "failed"
    assert offered and str(tmp_path / "nowhere") in offered[0]
    assert "train-images-idx3-ubyte" in offered[0]


def test_shipped_names_are_never_overwritten(window, panel, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    panel.result_name.setText("xavier")
    assert not panel.start()
    assert shown and "never overwritten" in shown[0]
    assert running_threads() == []


def test_compare_runs_and_export(window, panel, qtbot, tmp_path):
    from mnistpad.core.registry import scan

    catalog = scan()
    for name in ("nn", "xavier"):
        panel.add_saved_curve(catalog.find(name))
    panel.redraw(full=True)
    assert len(panel.checked_runs()) == 2
    nn_curve = panel._curves[id(panel.history[0])][1].getData()[1]
    xavier_curve = panel._curves[id(panel.history[1])][1].getData()[1]
    assert nn_curve[0] > 50 > 1 > xavier_curve[0]  # the lecture's slide: N(0,1) vs Xavier
    panel.log_scale.setChecked(True)
    assert panel.chart.plotItem.ctrl.logYCheck.isChecked()
    panel.export_png(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").stat().st_size > 1000
    panel.export_csv(tmp_path / "runs.csv")
    with open(tmp_path / "runs.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["run"] for r in rows} == {"nn", "xavier"}
    assert sum(r["run"] == "xavier" for r in rows) == 15
