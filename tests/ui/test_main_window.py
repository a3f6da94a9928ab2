"""The main window, driven with real mouse and keyboard events on the real canvas."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QWidget

from mnistpad.core.models.registry import scan
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.strokes.renderer import PenStroke, digit_from_strokes

pytestmark = pytest.mark.skipif(not scan().models, reason="no shipped models in models/")

SEVEN = [[[70, 60], [210, 60], [150, 150], [110, 230]]]


def _dense(stroke, step=4.0):
    """Points every ``step`` px along a polyline, as a mouse would report them."""
    out = [stroke[0]]
    for a, b in zip(stroke, stroke[1:]):
        n = max(1, int(np.hypot(b[0] - a[0], b[1] - a[1]) / step))
        out += [[a[0] + (b[0] - a[0]) * t / n, a[1] + (b[1] - a[1]) * t / n]
                for t in range(1, n + 1)]
    return out


def test_window_has_the_documented_widgets(window):
    assert window.findChild(QWidget, "canvas") is window.canvas
    assert isinstance(window.findChild(QLabel, "prediction"), QLabel)
    selector = window.findChild(QComboBox, "modelSelector")
    assert selector.count() == len(scan().models) >= 1
    assert window.state.active_classifier().name == "drawn"
    assert window.findChild(QLabel, "prediction").text() == ""


def test_drawn_digits_are_read_by_the_default_variant(window, stroke_samples, draw_strokes):
    correct, wrong = 0, []
    for sample in stroke_samples:
        window.canvas.clear()
        draw_strokes(window.canvas, sample["strokes"])
        got = window.draw.reading.prediction.text()
        if got == str(sample["label"]):
            correct += 1
        else:
            wrong.append((sample["style"], sample["writer"], got))
    share = correct / len(stroke_samples)
    assert share >= 0.9, f"read {correct}/{len(stroke_samples)}; wrong: {wrong}"


def test_empty_canvas_and_a_speck_give_no_prediction(window, draw_strokes):
    assert window.draw.reading.prediction.text() == ""
    assert window.draw.reading.preview.pixels() is None
    draw_strokes(window.canvas, [[[140, 140], [141, 141]]])
    assert not window.canvas.is_blank()
    assert window.draw.reading.prediction.text() == ""
    assert window.draw.reading.bars.probabilities() is None


def test_preview_is_the_normalized_drawing(window, stroke_samples, draw_strokes):
    """What the models read is the canvas's strokes through the core's one path from strokes
    to MNIST pixels (re-stroked in proportion to the drawing's size, then normalized)."""
    draw_strokes(window.canvas, stroke_samples[0]["strokes"])
    strokes = [PenStroke.of([(p.x(), p.y()) for p in s.points], s.width)
               for s in window.canvas.strokes]
    expected = digit_from_strokes(strokes, 280, window.canvas.ink())
    assert expected is not None
    np.testing.assert_array_equal(window.draw.reading.preview.pixels(), expected)
    assert window.draw.reading.prediction.text() == str(int(window.state.probabilities.argmax()))


def test_undo_redo_and_clear_with_shortcuts(window, qtbot, draw_strokes):
    draw_strokes(window.canvas, [_dense(s) for s in SEVEN])
    assert window.draw.reading.prediction.text() == "7"
    drawn = window.canvas.ink().copy()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.canvas.is_blank() and window.canvas.ink().max() == 0
    assert window.draw.reading.prediction.text() == ""
    qtbot.keyClick(window, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    np.testing.assert_array_equal(window.canvas.ink(), drawn)
    assert window.draw.reading.prediction.text() == "7"
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.canvas.is_blank() and window.draw.reading.prediction.text() == ""
    assert not window.canvas.can_redo()


def test_eraser_removes_ink(window, draw_strokes):
    draw_strokes(window.canvas, [_dense(s) for s in SEVEN])
    before = window.canvas.ink().sum()
    window.menus.eraser.trigger()
    draw_strokes(window.canvas, [_dense([[60, 60], [220, 60]])])
    assert window.canvas.ink().sum() < before * 0.8
    window.menus.eraser.trigger()
    assert not window.canvas.erasing


def test_buffer_does_not_depend_on_widget_size(window, qtbot, draw_strokes):
    strokes = [_dense(s) for s in SEVEN]
    draw_strokes(window.canvas, strokes)
    small = window.canvas.ink().copy()
    window.canvas.clear()
    window.resize(1400, 1000)
    qtbot.waitUntil(lambda: window.canvas.width() > 500)
    draw_strokes(window.canvas, strokes)
    big = window.canvas.ink()
    assert np.abs(big - small).mean() < 0.01
    assert window.draw.reading.prediction.text() == "7"


@pytest.mark.parametrize("size", [(900, 560), (620, 900), (1400, 700)])
def test_canvas_widget_stays_square(window, qtbot, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.canvas.width() == window.canvas.height())
    assert window.canvas.target_rect() == window.canvas.rect().toRectF()


def test_strokes_scaled_to_the_widget_rect_read_the_same(window, qtbot, stroke_samples):
    """A caller that knows only the canvas widget's size (not the buffer inside it) draws
    a digit by scaling its 280x280 strokes to ``canvas.width()`` and ``canvas.height()``."""
    canvas = window.canvas
    sample = next(s for s in stroke_samples if s["label"] == 4)
    left = Qt.MouseButton.LeftButton
    sx, sy = canvas.width() / 280, canvas.height() / 280
    for stroke in sample["strokes"]:
        points = [QPoint(round(x * sx), round(y * sy)) for x, y in stroke]
        qtbot.mousePress(canvas, left, pos=points[0])
        for point in points[1:]:
            qtbot.mouseMove(canvas, pos=point)
        qtbot.mouseRelease(canvas, left, pos=points[-1])
    assert window.draw.reading.prediction.text() == "4"


def test_canvas_is_square_and_draws_before_the_window_is_shown(qtbot, draw_strokes):
    from mnistpad.ui import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    assert win.canvas.width() == win.canvas.height() >= 200
    draw_strokes(win.canvas, [_dense(s) for s in SEVEN])
    qtbot.waitUntil(lambda: win.state.models_ready, timeout=120_000)
    assert win.draw.reading.prediction.text() == "7"
    win.close()


def test_switching_variants_reclassifies(window, qtbot, stroke_samples, draw_strokes):
    draw_strokes(window.canvas, stroke_samples[5]["strokes"])
    before = window.state.probabilities.copy()
    index = window.picker.findText("softmax", Qt.MatchFlag.MatchStartsWith)
    window.picker.setCurrentIndex(index)
    assert window.state.active_classifier().name == "softmax"
    assert not np.allclose(window.state.probabilities, before)
    assert window.model_status.text().startswith("softmax")
    qtbot.waitUntil(lambda: window.draw.reading.comparison.item(0, 1) is not None
                    and window.draw.reading.comparison.item(0, 1).text() != "")
    reads = {window.draw.reading.comparison.item(r, 0).text(): window.draw.reading.comparison.item(r, 1).text()
             for r in range(window.draw.reading.comparison.rowCount())
             if not window.draw.reading.comparison.item(r, 0).text().startswith(" ")}  # parts
    assert set(reads) == {m.name for m in scan().models}
    assert reads["softmax"] == window.draw.reading.prediction.text()


@pytest.mark.parametrize("dark_ink", [True, False])
def test_image_files_of_either_polarity(window, tmp_path, ui_mnist, dark_ink):
    images, labels = ui_mnist.test.images[:10], ui_mnist.test.labels[:10]
    correct = 0
    for pixels, label in zip(images, labels):
        ink = (pixels.view(28, 28).numpy() * 255).astype(np.uint8)
        picture = Image.fromarray(255 - ink if dark_ink else ink).resize((140, 140))
        path = tmp_path / f"digit{int(label)}.png"
        picture.save(path)
        assert window.files.open_image(path)
        correct += window.draw.reading.prediction.text() == str(int(label))
    assert correct >= 9


def test_bad_model_file_leaves_current_model(window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    bad = tmp_path / "broken.safetensors"
    bad.write_bytes(b"\x00" * 64)
    before = window.state.active_classifier()
    assert not window.files.open_model(bad)
    assert window.state.active_classifier() is before
    assert shown and "broken.safetensors" in shown[0]
    assert window.picker.currentText().startswith(before.name)


def test_open_model_file_adds_and_activates_it(window, tmp_path):
    source = scan().find("xavier").path
    copy = tmp_path / "my-xavier.safetensors"
    copy.write_bytes(source.read_bytes())
    assert window.files.open_model(copy)
    assert window.state.active_classifier().info.path == copy
    assert window.picker.findData(str(copy)) >= 0


def test_save_drawing_round_trips(window, tmp_path, draw_strokes):
    draw_strokes(window.canvas, [_dense(s) for s in SEVEN])
    path = tmp_path / "seven.png"
    window.files.save_drawing(path)
    saved = np.asarray(Image.open(path).convert("L"), dtype=np.float32) / 255
    np.testing.assert_allclose(saved, window.canvas.ink(), atol=1 / 255)


def _drop(window, path) -> bool:
    """Drop ``path`` on the window as a file manager would; whether the drop was taken."""
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    action, none = Qt.DropAction.CopyAction, Qt.MouseButton.NoButton
    enter = QDragEnterEvent(QPoint(10, 10), action, data, none, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(10, 10), action, data, none, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return drop.isAccepted()


def test_a_dropped_picture_goes_on_the_canvas_and_a_dropped_model_becomes_active(
        window, tmp_path, draw_strokes):
    draw_strokes(window.canvas, [_dense(s) for s in SEVEN])
    picture = tmp_path / "seven.png"
    window.files.save_drawing(picture)
    ink = window.canvas.ink().copy()
    window.canvas.clear()
    assert _drop(window, picture)
    np.testing.assert_allclose(window.canvas.ink(), ink, atol=2 / 255)
    model = tmp_path / "mine.safetensors"
    shutil.copy(shipped_models_dir() / "softmax.safetensors", model)
    assert _drop(window, model)
    assert window.state.active.path == model


def test_settings_are_remembered(qtbot, window):
    from mnistpad.ui import MainWindow

    window.menus.pen_slider.setValue(30)
    index = window.picker.findText("xavier", Qt.MatchFlag.MatchStartsWith)
    window.picker.setCurrentIndex(index)
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.state.models_ready, timeout=120_000)
    assert again.canvas.pen_width == 30
    assert again.state.active_classifier().name == "xavier"
    again.close()


def test_readings_with_dropout_on_are_shown_on_request(window, qtbot, draw_strokes):
    label = window.findChild(QLabel, "dropoutReadings")
    assert label is not None and not label.isVisible()
    draw_strokes(window.canvas, [_dense(s) for s in SEVEN])
    reading = window.draw.reading.prediction.text()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.menus.dropout.isChecked() and label.isVisible()
    assert "With dropout left on, 5 tries:" in label.text()
    assert f"as mnistpad classifies: {reading}" in label.text()
    assert window.draw.reading.prediction.text() == reading  # the real reading is untouched
    window.activate(scan().find("xavier"))
    assert "has no dropout" in label.text()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not label.isVisible()
