"""Training from the window: worker thread, progress, chart, cancel, close, errors."""

from __future__ import annotations

import csv
import gzip
import shutil

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
)

from mnistpad.core.models.registry import scan
from mnistpad.core.platform.paths import data_dir_choice, user_models_dir
from mnistpad.ui.state.jobs import running_threads

from .conftest import MNIST_FIXTURE


@pytest.fixture
def panel(window):
    window.training.state.data_dir = MNIST_FIXTURE
    return window.training


def _choose(window, variant: str, epochs: int) -> None:
    combo = window.findChild(QComboBox, "trainVariant")
    combo.setCurrentIndex(combo.findData(variant))
    window.findChild(QSpinBox, "trainEpochs").setValue(epochs)


def _saved_files():
    folder = user_models_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def answer_boxes(answers: list[str]) -> list[str]:
    """Click, in the message boxes that open from now on, the buttons named in ``answers``
    (one per box, in order); returns each box's text and informative text as it is seen."""
    seen: list[str] = []
    pending = list(answers)
    last = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible() and (not last or box is not last[0]
                                                                  or not last[0].isVisible()):
            seen.append(f"{box.text()}\n{box.informativeText()}".strip())
            button = next(b for b in box.buttons() if b.text().replace("&", "") == pending[0])
            pending.pop(0)
            last[:] = [box]
            button.click()
        if pending:
            QTimer.singleShot(20, click)

    QTimer.singleShot(0, click)
    return seen


def _knobs_enabled(panel) -> list[bool]:
    return [knob.isEnabled() for knob in panel.knobs if knob is not panel.batch_norm]


def test_a_short_run_trains_charts_saves_and_classifies(window, panel, qtbot, stroke_samples,
                                                         draw_strokes):
    _choose(window, "xavier", 2)
    name = panel.result_name.text()
    button = window.findChild(QPushButton, "trainButton")
    status_bar = window.findChild(QProgressBar, "statusProgress")
    with qtbot.waitSignal(panel.runEnded, timeout=60_000) as ended:
        button.click()
        assert window.findChild(QPushButton, "cancelButton").isEnabled()
        assert not any(_knobs_enabled(panel)) and not panel.batch_norm.isEnabled()
        qtbot.waitUntil(lambda: "%" in panel.progress_text.text(), timeout=30_000)
        # one figure: the panel's line says what the status bar's bar shows
        assert f"· {status_bar.text()} ·" in panel.progress_text.text()
        assert "estimating time left" in panel.progress_text.text()
    assert ended.args[0] == "finished", ended.args
    assert all(_knobs_enabled(panel))
    progress = window.findChild(QProgressBar, "trainProgress")
    assert progress.value() == progress.maximum()
    run = panel.runs.history[-1]
    assert len(run.epoch_cost) == 2 and run.epoch_cost[1] < run.epoch_cost[0]
    assert len(run.batch_cost) == 2 * 20
    log = panel.runs.log.toPlainText()
    assert "Epoch: 0001 cost = " in log and "Epoch: 0002 cost = " in log
    assert "Accuracy: 0." in log
    curves = panel.runs.run_chart.curves[id(run)]
    assert len(curves.batch.getData()[0]) == 40
    assert curves.batch.getData()[0][-1] == pytest.approx(2.0)
    assert curves.epoch.getData()[0].tolist() == [0.5, 1.5]  # each mean mid-epoch
    assert curves.accuracy.getData()[0].tolist() == [1.0, 2.0]
    assert 10 < curves.accuracy.getData()[1][-1] <= 100  # percent
    assert not panel.runs.chart.getAxis("bottom").autoSIPrefix  # no "epoch (x0.001)"
    assert panel.runs.run_chart.accuracy_plot.getAxis("bottom").labelText == "epoch"
    assert panel.runs.chart.viewRange()[0] == pytest.approx([0, 2], abs=0.1)
    assert "Training " in log and ", 2 epochs, batch" in log
    selector = window.findChild(QComboBox, "modelSelector")
    index = next(i for i in range(selector.count()) if selector.itemText(i).startswith(name))
    assert _saved_files() == [f"{name}.safetensors"]
    panel.use_result_button.click()
    assert window.state.active_classifier().name == name
    assert selector.currentIndex() == index
    draw_strokes(window.canvas, stroke_samples[3]["strokes"])
    assert window.draw.reading.prediction.text().isdigit()


def test_cancel_stops_quickly_and_saves_nothing(window, panel, qtbot):
    _choose(window, "deepcnn", 3)
    with qtbot.waitSignal(panel.runEnded, timeout=60_000) as ended:
        assert panel.start()
        qtbot.waitUntil(lambda: len(panel.current.batch_cost) >= 2, timeout=30_000)
        window.findChild(QPushButton, "cancelButton").click()
    assert ended.args[0] == "cancelled"
    assert _saved_files() == []
    # the run stays, dimmed and marked, on the list and on the chart
    run = panel.runs.history[0]
    assert run.outcome == "cancelled" and panel.runs.run_list.count() == 1
    assert panel.runs.run_list.item(0).text() == f"1. {run.name} (cancelled)"
    curves = panel.runs.run_chart.curves[id(run)]
    assert len(curves.batch.getData()[0]) == len(run.batch_cost) >= 2
    assert curves.batch.opts["pen"].color().alpha() < 255
    legend = [label.text for _, label in panel.runs.chart.plotItem.legend.items]
    assert f"{run.name} (cancelled): each batch, smoothed" in legend
    assert "nothing was saved" in panel.runs.log.toPlainText()
    assert window.findChild(QPushButton, "trainButton").isEnabled()
    assert all(_knobs_enabled(panel))


def test_a_second_start_is_refused_while_running(window, panel, qtbot):
    _choose(window, "deepcnn", 3)
    assert panel.start()
    assert not panel.start()
    assert len(running_threads()) == 1
    assert "already going" in panel.runs.log.toPlainText()
    with qtbot.waitSignal(panel.runEnded, timeout=60_000):
        panel.cancel()


def _training_a_while(window, panel, qtbot) -> None:
    """A long run started, with its first batch done."""
    _choose(window, "deepcnn", 3)
    assert panel.start()
    qtbot.waitUntil(lambda: panel.current is not None and len(panel.current.batch_cost) >= 1,
                    timeout=30_000)


def test_closing_the_window_mid_run_asks_and_can_keep_training(window, panel, qtbot):
    _training_a_while(window, panel, qtbot)
    asked = answer_boxes(["Keep Training"])
    assert not window.close()
    assert asked and panel.current.name in asked[0] and "saves nothing" in asked[0]
    assert window.isVisible() and panel.is_running() and len(running_threads()) == 1
    batches = len(panel.current.batch_cost)
    qtbot.waitUntil(lambda: len(panel.current.batch_cost) > batches, timeout=30_000)
    with qtbot.waitSignal(panel.runEnded, timeout=60_000):
        panel.cancel()


def test_closing_the_window_mid_run_can_stop_and_quit(window, panel, qtbot):
    _training_a_while(window, panel, qtbot)
    asked = answer_boxes(["Stop and Quit"])
    assert window.close()
    assert len(asked) == 1
    assert not window.isVisible()
    assert running_threads() == []
    assert panel.run is None
    assert _saved_files() == []


def test_closing_the_window_without_a_run_asks_nothing(window):
    asked = answer_boxes([])
    assert window.close() and asked == []


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


def test_missing_mnist_is_said_in_two_lines_once_per_try(window, panel, qtbot, tmp_path):
    panel.state.data_dir = tmp_path / "nowhere"
    for attempt in (1, 2):
        asked = answer_boxes(["Cancel"])
        with qtbot.waitSignal(panel.runEnded, timeout=30_000) as ended:
            panel.start()
        assert ended.args == ["no-data", ""]
        assert len(asked) == 1 and asked[0].count("\n") == 1, asked
        assert str(tmp_path / "nowhere") in asked[0] and "Download it" in asked[0]
        assert "--download" not in asked[0] and "MNISTPAD_DATA" not in asked[0]
        assert panel.progress_text.text() == "MNIST needed"
        assert panel.runs.log.toPlainText().count("is not in") == attempt
    assert panel.runs.history == [] and panel.runs.run_list.count() == 0


def test_a_failed_download_gives_its_reason_once(window, panel, qtbot, tmp_path, monkeypatch):
    import mnistpad.core.data.mnist as data

    def offline(root):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz:\nTried "
                           "https://example/, got:\n<urlopen error no network>\n")

    monkeypatch.setattr(data, "_download", offline)
    panel.state.data_dir = tmp_path / "nowhere"
    asked = answer_boxes(["Download", "Cancel"])
    with qtbot.waitSignal(panel.runEnded, timeout=30_000):
        panel.start()
    qtbot.waitUntil(lambda: len(asked) == 2 and not panel.is_running(), timeout=30_000)
    assert asked[1] == ("Could not download MNIST: <urlopen error no network>\n"
                        "Try again, or choose a folder that holds MNIST.")
    assert panel.runs.log.toPlainText().count("no network") == 1
    assert panel.progress_text.text() == "Download failed"


@pytest.mark.parametrize("form", ["MNIST/raw", "MNIST", "parent", "gz"])
def test_choose_folder_takes_every_form_of_the_mnist_folder(window, panel, tmp_path, form):
    root = tmp_path / "data"
    shutil.copytree(MNIST_FIXTURE, root)
    folder = {"MNIST/raw": root / "MNIST" / "raw", "MNIST": root / "MNIST", "parent": root,
              "gz": tmp_path / "gz"}[form]
    if form == "gz":
        folder.mkdir()
        for path in (root / "MNIST" / "raw").iterdir():
            (folder / f"{path.name}.gz").write_bytes(gzip.compress(path.read_bytes()))
    assert panel.use_data_folder(folder)
    assert panel.data_dir == folder and data_dir_choice()[0] == folder.resolve()


def test_a_folder_without_mnist_is_refused(window, panel, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    assert not panel.use_data_folder(tmp_path)
    assert panel.data_dir == MNIST_FIXTURE
    assert shown and "train-images-idx3-ubyte" in shown[0] and "\n" not in shown[0]


def test_the_chosen_folder_trains_and_is_remembered(window, panel, qtbot, tmp_path, monkeypatch):
    raw = MNIST_FIXTURE / "MNIST" / "raw"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(raw))
    panel.state.data_dir = tmp_path / "nowhere"
    _choose(window, "softmax", 1)
    asked = answer_boxes(["Choose Folder…"])
    with qtbot.waitSignal(panel.runEnded, timeout=30_000) as first:
        panel.start()
    assert first.args[0] == "no-data" and len(asked) == 1
    qtbot.waitUntil(lambda: not panel.is_running() and panel.runs.history
                    and panel.runs.history[-1].outcome == "finished", timeout=60_000)
    assert panel.data_dir == raw
    assert ", 1 epoch, batch" in panel.runs.log.toPlainText()
    assert data_dir_choice() == (raw.resolve(), "settings")  # what the next start uses


def test_shipped_names_are_never_overwritten(window, panel, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    panel.result_name.setText("xavier")
    assert not panel.start()
    assert shown and "never overwritten" in shown[0]
    assert running_threads() == []


def test_an_added_saved_curve_is_drawn_at_once(window, panel, qtbot, monkeypatch):
    window.tabs.setCurrentWidget(panel)
    assert panel.runs.run_chart.hint.isVisible()
    assert "press Train" in panel.runs.run_chart.hint.text()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: ("xavier", True))
    qtbot.mouseClick(panel.runs.add_saved_button, Qt.MouseButton.LeftButton)
    run = panel.runs.history[0]
    curves = panel.runs.run_chart.curves[id(run)]
    x, cost = curves.epoch.getData()
    assert x.tolist() == [e + 0.5 for e in range(15)] and cost.tolist() == run.epoch_cost
    assert len(curves.accuracy.getData()[1]) == 15
    assert curves.batch is None  # the file keeps epoch means only: no empty batch line
    legend = [label.text for _, label in panel.runs.chart.plotItem.legend.items]
    assert legend == ["xavier: epoch mean, at mid-epoch"]
    assert not panel.runs.run_chart.hint.isVisible() and panel.runs.chart.isVisible()
    assert panel.runs.run_list.item(0).text() == "1. xavier (saved)"


def test_a_repeated_run_says_which_run_it_repeats(window, panel):
    catalog = scan()
    for name in ("xavier", "nn", "xavier"):
        panel.runs.add_saved_curve(catalog.find(name))
    texts = [panel.runs.run_list.item(i).text() for i in range(3)]
    assert texts == ["1. xavier (saved)", "2. nn (saved)", "3. xavier (saved, same as run 1)"]


def test_compare_runs_and_export(window, panel, qtbot, tmp_path):
    catalog = scan()
    for name in ("nn", "xavier"):
        panel.runs.add_saved_curve(catalog.find(name))
    assert len(panel.runs.checked_runs()) == 2
    nn_curve = panel.runs.run_chart.curves[id(panel.runs.history[0])].epoch.getData()[1]
    xavier_curve = panel.runs.run_chart.curves[id(panel.runs.history[1])].epoch.getData()[1]
    assert nn_curve[0] > 50 > 1 > xavier_curve[0]  # the lecture's slide: N(0,1) vs Xavier
    panel.runs.log_scale.setChecked(True)
    assert panel.runs.chart.plotItem.ctrl.logYCheck.isChecked()
    panel.runs.export_png(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").stat().st_size > 1000
    panel.runs.export_csv(tmp_path / "runs.csv")
    with open(tmp_path / "runs.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["run"] for r in rows} == {"nn", "xavier"}
    assert sum(r["run"] == "xavier" for r in rows) == 15


def test_the_compiled_translations_match_their_source(compile_ts):
    from mnistpad.ui.i18n.translations import I18N_DIR

    compiled = compile_ts(I18N_DIR / "mnistpad_en.ts")
    assert compiled.read_bytes() == (I18N_DIR / "mnistpad_en.qm").read_bytes()


def test_a_rerun_with_the_same_seed_is_marked_as_the_same(window, panel, qtbot):
    _choose(window, "softmax", 1)
    for seed in (777, 777, 1):
        panel.seed.setValue(seed)
        with qtbot.waitSignal(panel.runEnded, timeout=60_000) as ended:
            assert panel.start()
        assert ended.args[0] == "finished"
    first, second, third = panel.runs.history
    assert second.epoch_cost == first.epoch_cost  # the curves overlay exactly
    texts = [panel.runs.run_list.item(i).text() for i in range(3)]
    assert texts == [f"1. {first.name}", f"2. {second.name} (same as run 1)",
                     f"3. {third.name}"]
