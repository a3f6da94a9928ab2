"""Drawing on a canvas with real mouse events: press, a move per point, release.

The UI tests, the benchmarks and the screenshot script draw recorded strokes (points in the
canvas's 280x280 buffer space) through here, so that what they measure is what a person's
mouse does: the widget maps each event to the buffer and paints it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from mnistpad.ui.draw.canvas import DrawingCanvas

LEFT = Qt.MouseButton.LeftButton
NO_KEYS = Qt.KeyboardModifier.NoModifier


def to_widget(canvas: DrawingCanvas, point: Sequence[float]) -> QPoint:
    """The widget pixel (as a mouse event has it) of a point in buffer space."""
    rect = canvas.target_rect()
    scale = rect.width() / canvas.buffer.width()
    return QPoint(round(rect.x() + point[0] * scale), round(rect.y() + point[1] * scale))


def press_and_move(canvas: DrawingCanvas, stroke: Sequence[Sequence[float]]) -> QPoint:
    """Press at the stroke's first point and move through the rest; returns the point to
    release at (a caller timing the release does it with :func:`release`)."""
    points = [to_widget(canvas, p) for p in stroke]
    QTest.mousePress(canvas, LEFT, NO_KEYS, points[0])
    for point in points[1:]:
        QTest.mouseMove(canvas, point)
    return points[-1]


def release(canvas: DrawingCanvas, point: QPoint) -> None:
    QTest.mouseRelease(canvas, LEFT, NO_KEYS, point)


def draw(canvas: DrawingCanvas, strokes: Iterable[Sequence[Sequence[float]]]) -> None:
    """Draw ``strokes`` (lists of (x, y) in buffer space), one press-move-release each."""
    for stroke in strokes:
        release(canvas, press_and_move(canvas, stroke))
