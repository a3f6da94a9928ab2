"""Round three, fault 11: a long drawing. Each stroke used to be read by drawing every earlier
stroke again (604 ms per stroke at 600 strokes). The canvas's reader draws only what it has
not drawn (counted here, not timed: bench/canvas_strokes.py times it), and reads exactly
what drawing it all again reads."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt

from mnistpad.core.reading.drawing_reader import DrawingReader
from mnistpad.core.strokes.renderer import PenStroke, digit_from_strokes, render_strokes
from mnistpad.ui.draw.canvas import DrawingCanvas


def stroke(qtbot, canvas, i: int) -> None:
    y = 30 + (i * 7) % 220
    points = [QPoint(40 + i % 50, y), QPoint(150, y + 10), QPoint(260 - i % 40, y)]
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        qtbot.mouseMove(canvas, point)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=points[-1])


def from_scratch(canvas) -> np.ndarray | None:
    return digit_from_strokes(canvas.pen_strokes(), canvas.buffer.width(), canvas.ink())


def test_11_a_further_stroke_draws_one_stroke_and_reads_as_from_scratch(qtbot):
    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(320, 320)
    canvas.show()
    for i in range(120):
        stroke(qtbot, canvas, i)
        canvas.digit()
    stroke(qtbot, canvas, 120)
    read = canvas.digit()
    assert canvas.reader.strokes_drawn == 1
    np.testing.assert_array_equal(read, from_scratch(canvas))
    canvas.set_erasing(True)
    stroke(qtbot, canvas, 121)
    canvas.set_erasing(False)
    np.testing.assert_array_equal(canvas.digit(), from_scratch(canvas))
    assert canvas.reader.strokes_drawn == 1
    for _ in range(3):  # undo restores a checkpoint: nothing drawn again
        canvas.undo()
        np.testing.assert_array_equal(canvas.digit(), from_scratch(canvas))
        assert canvas.reader.strokes_drawn == 0
    canvas.redo()
    np.testing.assert_array_equal(canvas.digit(), from_scratch(canvas))
    assert canvas.reader.strokes_drawn == 1


def test_11_the_reader_equals_digit_from_strokes_as_a_drawing_changes():
    rng = np.random.default_rng(3)
    reader = DrawingReader(checkpoints=5)
    strokes: list[PenStroke] = []
    for step in range(60):
        if strokes and rng.random() < 0.25:
            strokes.pop()  # an undo, past the checkpoints kept at times
        else:
            points = rng.uniform(20, 260, size=(int(rng.integers(1, 6)), 2))
            strokes.append(PenStroke.of(points, float(rng.uniform(4, 48)), rng.random() < 0.1))
        ink = render_strokes(strokes)
        expected = digit_from_strokes(strokes, 280, ink)
        got = reader.read(strokes, 280, ink)
        assert (got is None) == (expected is None), step
        if got is not None:
            np.testing.assert_array_equal(got, expected)
