"""The window against bad files, bad settings and long drawings: faults 4, 5, 6, 14, 15 and
the faults found by reading the code (worker edge, comparison, initial model)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import torch
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QInputDialog, QMessageBox
from safetensors.torch import save_file

import mnistpad.core.reading.classify as core_classify
import mnistpad.core.training.train as core_train
from mnistpad.core.files.modelfile import build_metadata
from mnistpad.core.models.variants import lab_spec
from mnistpad.core.platform.paths import shipped_models_dir, user_dir
from mnistpad.ui.draw.canvas import DEFAULT_PEN_WIDTH, UNDO_LIMIT, DrawingCanvas
from mnistpad.ui.state.jobs import running_threads

from .hostile import nested_json, softmax_model

pytestmark = pytest.mark.skipif(not (shipped_models_dir() / "xavier.safetensors").is_file(),
                                reason="no shipped models in models/")

SEVEN = [[70, 60], [210, 60], [150, 150], [110, 230]]


def transposed_softmax(path, test_accuracy: str = "0.5"):
    """A header that reads fine (the right parameter count) over weights that do not load."""
    spec = lab_spec("softmax")
    meta = build_metadata(path.stem, spec, test_accuracy=test_accuracy)
    save_file({"0.weight": torch.zeros(784, 10), "0.bias": torch.zeros(10)}, path, metadata=meta)
    return path


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """A shipped-models folder of this test's own: a good xavier, plus what the test adds."""
    folder = tmp_path / "shipped"
    folder.mkdir()
    shutil.copy(shipped_models_dir() / "xavier.safetensors", folder)
    monkeypatch.setenv("MNISTPAD_SHIPPED_MODELS", str(folder))
    return folder


def new_window(qtbot):
    from mnistpad.ui import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.state.models_ready, timeout=120_000)
    return window


def warnings_shown(monkeypatch) -> list[str]:
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    return shown


# ----------------------------------------------------------------- 4, 5: bad files in the folder


def test_4_the_window_starts_past_bad_files_and_names_them(qtbot, mnistpad_home, shipped):
    folder = mnistpad_home / "models"
    folder.mkdir()
    bad = [softmax_model(folder / "ninety.safetensors", test_accuracy="ninety"),
           softmax_model(folder / "nested.safetensors", spec=nested_json()),
           softmax_model(folder / "object.safetensors", cost_history='{"a": 1}')]
    window = new_window(qtbot)
    assert [m.name for m in window.state.models()] == ["xavier"]
    assert window.state.active_classifier() is not None and window.state.active_classifier().name == "xavier"
    message = window.statusBar().currentMessage()
    assert message.startswith("Skipped 3 model files that cannot be read: ")
    assert all(str(path) in message for path in bad)
    window.close()


def test_5_only_readable_histories_are_offered_as_curves(qtbot, mnistpad_home, shipped,
                                                         monkeypatch):
    folder = mnistpad_home / "models"
    folder.mkdir()
    softmax_model(folder / "object.safetensors", cost_history='{"a": 1}')
    window = new_window(qtbot)
    offered = []

    def choose(parent, title, label, names, *args):
        offered.extend(names)
        return "xavier", True

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    window.training.runs.on_add_saved_curve()
    assert offered == ["xavier"]
    window.training.runs.redraw(full=True)  # the saved curve is drawn without complaint
    assert window.training.runs.history[-1].epoch_cost
    window.close()


# ----------------------------------------------------------------- 6: files that fail to load


def test_6_a_dropped_file_that_does_not_load_is_not_listed(window, tmp_path, monkeypatch,
                                                           draw_strokes):
    shown = warnings_shown(monkeypatch)
    before = [m.path for m in window.state.models()]
    path = transposed_softmax(tmp_path / "broken.safetensors")
    assert not window.files.open_model(path)
    assert len(shown) == 1 and str(path) in shown[0]
    assert [m.path for m in window.state.models()] == before
    assert window.picker.findData(str(path)) < 0
    draw_strokes(window.canvas, [SEVEN])
    assert window.draw.reading.prediction.text() != ""


def test_6_a_listed_file_that_fails_is_marked_and_not_retried(qtbot, shipped, monkeypatch,
                                                              draw_strokes):
    """The first listed model fails to load: the comparison marks it, reads with the
    others (no UnboundLocalError, no colour from another row), and never loads it again."""
    broken = transposed_softmax(shipped / "softmax.safetensors")
    loads = []
    real = core_classify.load_model
    monkeypatch.setattr(core_classify, "load_model",
                        lambda path, *a: loads.append(path) or real(path, *a))
    window = new_window(qtbot)
    draw_strokes(window.canvas, [SEVEN])
    qtbot.waitUntil(lambda: window.draw.reading.comparison.item(1, 1) is not None
                    and window.draw.reading.comparison.item(1, 1).text() != "")
    draw_strokes(window.canvas, [[[60, 240], [220, 240]]])
    window.draw.update_comparison()
    assert loads.count(broken) == 1
    assert window.draw.reading.comparison.item(0, 0).text() == "softmax"
    assert window.draw.reading.comparison.item(0, 1).text() == "cannot be loaded"
    assert window.draw.reading.comparison.item(1, 1).text() == window.draw.reading.prediction.text()
    index = window.picker.findData(str(broken))
    assert "cannot be loaded" in window.picker.itemText(index)
    assert not window.picker.model().item(index).isEnabled()
    window.close()


# ----------------------------------------------------------------- the initial model


def test_the_window_falls_back_through_the_list_when_the_default_is_broken(qtbot, shipped):
    broken = transposed_softmax(shipped / "softmax.safetensors", test_accuracy="0.99")
    window = new_window(qtbot)
    assert window.state.active_classifier() is not None and window.state.active_classifier().name == "xavier"
    assert broken in {m.path for m in window.state.models()}
    window.close()


# ----------------------------------------------------------------- the worker's edge


def test_any_error_in_the_worker_ends_the_run_and_its_thread(window, qtbot, monkeypatch,
                                                             mnist_dir):
    shown = warnings_shown(monkeypatch)

    def broken_train(*args, **kwargs):
        raise KeyError("an unexpected bug")

    monkeypatch.setattr(core_train, "train", broken_train)
    panel = window.training
    panel.state.data_dir = mnist_dir
    panel.variant.setCurrentIndex(panel.variant.findData("softmax"))
    with qtbot.waitSignal(panel.runEnded, timeout=60_000) as ended:
        assert panel.start()
    assert ended.args == ["failed", "Training stopped: KeyError: 'an unexpected bug'"]
    assert shown == [ended.args[1]]
    assert running_threads() == [] and panel.run is None
    assert panel.train_button.isEnabled()


# ----------------------------------------------------------------- 14: settings


@pytest.mark.parametrize("pen_width", ["abc", "nan", "1e400", "-5", "99999"])
def test_14_bad_remembered_values_fall_back_to_their_defaults(pen_width, qtbot, mnistpad_home):
    reference = new_window(qtbot)  # no settings yet: every default
    default_size = reference.size()
    reference.close()
    settings_file = user_dir() / "settings.ini"
    settings_file.write_text(f"[General]\npen_width={pen_width}\ngeometry=garbage\n"
                             f"window_state=@ByteArray(garbage)\nmodel=a, b\n")
    window = new_window(qtbot)
    assert window.canvas.pen_width == DEFAULT_PEN_WIDTH
    assert window.state.active_classifier() is not None
    assert window.size() == default_size
    window.close()  # and the values written back are good ones
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    assert int(settings.value("pen_width")) == DEFAULT_PEN_WIDTH


# ----------------------------------------------------------------- 15: many strokes


def stroke(i: int) -> list[list[float]]:
    y = 20 + (i * 7) % 240
    return [[30 + i % 50, y], [140, y + 10], [250 - i % 40, y]]


@pytest.fixture
def canvas(qtbot):
    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    canvas.show()
    return canvas


def painted(image: QImage) -> np.ndarray:
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(),
                                                              image.bytesPerLine())
    return rows[:, : image.width()].copy()


def repainted(canvas) -> np.ndarray:
    """The strokes painted afresh on a blank image: what the buffer must be."""
    image = QImage(canvas.buffer.size(), QImage.Format.Format_Grayscale8)
    image.fill(0)
    canvas.paint_strokes(image, canvas.strokes)
    return painted(image)


def test_15_stroke_end_and_undo_do_the_work_of_one_stroke(canvas, draw_strokes, monkeypatch):
    count = UNDO_LIMIT + 150
    draw_strokes(canvas, [stroke(i) for i in range(count)])
    assert len(canvas.strokes) == count
    calls = []
    real = canvas._paint_stroke
    monkeypatch.setattr(canvas, "_paint_stroke", lambda *a: calls.append(1) or real(*a))
    draw_strokes(canvas, [stroke(count)])
    assert len(calls) == 1  # the finished stroke, not the 250 before it
    canvas.undo()
    assert len(calls) == 1
    canvas.redo()
    assert len(calls) == 2
    np.testing.assert_array_equal(painted(canvas.buffer), repainted(canvas))


def test_15_the_undo_history_is_bounded(canvas, draw_strokes):
    count = UNDO_LIMIT + 20
    draw_strokes(canvas, [stroke(i) for i in range(count)])
    undone = 0
    while canvas.can_undo():
        canvas.undo()
        undone += 1
    assert undone == UNDO_LIMIT and len(canvas.strokes) == 20
    np.testing.assert_array_equal(painted(canvas.buffer), repainted(canvas))
    for _ in range(UNDO_LIMIT):
        canvas.redo()
    assert len(canvas.strokes) == count and not canvas.can_redo()
    np.testing.assert_array_equal(painted(canvas.buffer), repainted(canvas))


def test_15_the_buffer_stays_a_function_of_the_strokes(canvas, draw_strokes):
    draw_strokes(canvas, [stroke(i) for i in range(12)])
    canvas.set_erasing(True)
    draw_strokes(canvas, [[[20, 150], [260, 150]]])
    np.testing.assert_array_equal(painted(canvas.buffer), repainted(canvas))
    for _ in range(5):
        canvas.undo()
    np.testing.assert_array_equal(painted(canvas.buffer), repainted(canvas))
    canvas.clear()
    assert not painted(canvas.buffer).any() and not canvas.can_undo()
    canvas.set_picture(np.eye(50, dtype=np.float32))
    np.testing.assert_array_equal(painted(canvas.buffer), repainted(canvas))
    canvas.undo()
    assert not painted(canvas.buffer).any()
    assert canvas.isVisible() and canvas.cursor().shape() == Qt.CursorShape.PointingHandCursor


# ----------------------------------------------------------------- seeded runs in the window


def test_a_seeded_run_in_the_window_is_the_same_while_the_user_switches_models(
        window, qtbot, mnist_dir, monkeypatch):
    """Dropout masks, initialization and shuffling come from the run's own generator: the
    user switching models (each switch loads a file on the GUI thread) changes nothing."""
    panel = window.training
    panel.state.data_dir = mnist_dir
    panel.variant.setCurrentIndex(panel.variant.findData("dropout"))
    panel.epochs.setValue(1)
    infos = window.state.models()[:4]

    def batch_costs(switch_models: bool) -> list[float]:
        switches = []

        def switch() -> None:  # on the GUI thread, as a user's click
            window.state._classifiers.clear()  # every switch loads the file again
            window.activate(infos[len(switches) % len(infos)])
            switches.append(1)

        clicker = QTimer(window, interval=30)
        clicker.timeout.connect(switch)
        panel.result_name.setText(f"seeded-{int(switch_models)}")
        with qtbot.waitSignal(panel.runEnded, timeout=120_000) as ended:
            assert panel.start()
            if switch_models:
                clicker.start()
        clicker.stop()
        assert ended.args[0] == "finished", ended.args
        assert not switch_models or len(switches) >= 2
        return list(panel.runs.history[-1].batch_cost)

    clean = batch_costs(False)
    assert len(clean) == 20
    assert batch_costs(True) == clean
