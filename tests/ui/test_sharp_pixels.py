"""High-DPI: the canvas, the sample thumbnails and the gallery's digits are painted at the
screen's device pixel ratio, while what the model reads stays the same."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QImage

from mnistpad.ui.draw.canvas import DrawingCanvas

HORIZONTAL = [[[40, 140], [240, 140]]]


def _render(widget, ratio: float) -> np.ndarray:
    """``widget`` painted as on a screen of ``ratio``: grey values, one per device pixel."""
    image = QImage(widget.size() * ratio, QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(ratio)
    widget.render(image, QPoint(0, 0))
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(grey.constBits(), np.uint8).reshape(grey.height(),
                                                             grey.bytesPerLine())
    return rows[:, : grey.width()].copy()


def _shown_canvas(qtbot, side: int) -> DrawingCanvas:
    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(QSize(side, side))
    canvas.show()
    qtbot.waitExposed(canvas)
    return canvas


def _edge_pixels(column: np.ndarray) -> int:
    """Pixels between ink and background across a stroke: few when sharp, many when an
    image was scaled up smoothly."""
    return int(((column > 20) & (column < 235)).sum())


def test_the_canvas_is_sharp_at_device_pixel_ratio_2(qtbot, draw_strokes):
    canvas = _shown_canvas(qtbot, 560)  # the 280 px buffer shown 2x as large, 4x in pixels
    draw_strokes(canvas, HORIZONTAL)
    sharp = _render(canvas, 2)
    assert sharp.shape == (1120, 1120)
    column = sharp[:, 560]
    assert column.max() == 255 and column[4:400].max() == 0  # ink; black above (the frame)
    # The buffer scaled up 4x smoothly has about 4 grey pixels per edge; paths, one or two.
    blurry = canvas.buffer.scaled(1120, 1120, Qt.AspectRatioMode.IgnoreAspectRatio,
                                  Qt.TransformationMode.SmoothTransformation)
    blurry = blurry.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(blurry.constBits(), np.uint8).reshape(1120, blurry.bytesPerLine())
    assert _edge_pixels(column) <= 4 < _edge_pixels(rows[:, 560])


def test_what_the_model_reads_does_not_depend_on_the_screen(qtbot, draw_strokes):
    canvases = []
    for ratio in (1, 2, 1.5):
        canvas = _shown_canvas(qtbot, 420)
        draw_strokes(canvas, [*HORIZONTAL, [[140, 40], [140, 240]]])
        _render(canvas, ratio)
        canvases.append(canvas)
    buffers = [c.ink() for c in canvases]
    digits = [c.digit() for c in canvases]
    assert all(b.shape == (280, 280) for b in buffers)
    assert all(d.shape == (28, 28) for d in digits)
    for buffer, digit in zip(buffers[1:], digits[1:], strict=True):
        np.testing.assert_array_equal(buffer, buffers[0])
        np.testing.assert_array_equal(digit, digits[0])


def test_undo_repaints_the_sharp_picture(qtbot, draw_strokes):
    canvas = _shown_canvas(qtbot, 280)
    draw_strokes(canvas, [*HORIZONTAL, [[60, 180], [60, 260]]])
    below = (slice(2 * 200, 2 * 250), slice(2 * 50, 2 * 70))  # the second stroke's place
    assert _render(canvas, 2)[below].max() == 255
    canvas.undo()
    shown = _render(canvas, 2)
    assert shown[below].max() == 0 and shown[2 * 140, 2 * 100] == 255
    canvas.redo()
    assert _render(canvas, 2)[below].max() == 255


def test_sample_thumbnails_are_decoded_at_the_screen_ratio(tmp_path):
    from mnistpad.ui.samples.panel import THUMBNAIL, thumbnail

    picture = tmp_path / "seven.png"
    image = QImage(280, 280, QImage.Format.Format_Grayscale8)
    image.fill(0)
    image.save(str(picture))
    icon = thumbnail(picture, ratio=2)
    pixmap = icon.pixmap(QSize(THUMBNAIL, THUMBNAIL), 2)
    assert pixmap.devicePixelRatio() == 2
    assert pixmap.size() == QSize(2 * THUMBNAIL, 2 * THUMBNAIL)


def test_gallery_digits_are_painted_at_the_screen_ratio():
    from mnistpad.ui.evaluate.plots import digit_pixmap

    image = np.zeros((28, 28), np.float32)
    image[14, 14] = 1.0
    pixmap = digit_pixmap(image, 56, ratio=2)
    assert pixmap.devicePixelRatio() == 2 and pixmap.size() == QSize(112, 112)
    grey = pixmap.toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    # one model pixel is a sharp 4x4 block of device pixels
    block = [[grey.pixelColor(x, y).value() for x in range(54, 62)] for y in range(54, 62)]
    assert sum(v == 255 for row in block for v in row) == 16
    assert all(v in (0, 255) for row in block for v in row)


def _grey(image: QImage) -> np.ndarray:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(grey.constBits(), np.uint8).reshape(grey.height(), grey.bytesPerLine())
    return rows[:, : grey.width()].copy()


def test_what_reaches_the_screen_is_a_whole_repaint_though_strokes_update_only_their_part(
        qtbot, stroke_samples, draw_strokes):
    """A move and a finished stroke repaint only the part of the canvas the pen can reach;
    the screen (the window's backing store) must still show exactly what painting the whole
    canvas shows, after strokes, an eraser stroke and an undo."""
    from PySide6.QtWidgets import QApplication

    canvas = _shown_canvas(qtbot, 420)
    qtbot.waitExposed(canvas)

    def screen_and_whole():
        for _ in range(3):
            QApplication.processEvents()
        screen = canvas.screen().grabWindow(canvas.winId()).toImage()
        return _grey(screen), _grey(canvas.grab().toImage())

    for sample in stroke_samples[:6]:
        draw_strokes(canvas, sample["strokes"])
        shown, whole = screen_and_whole()
        assert shown.shape == whole.shape and np.array_equal(shown, whole)
    canvas.set_erasing(True)
    draw_strokes(canvas, [[[60, 60], [220, 220]]])
    canvas.set_erasing(False)
    canvas.undo()
    shown, whole = screen_and_whole()
    assert np.array_equal(shown, whole) and whole.max() == 255  # ink is there
