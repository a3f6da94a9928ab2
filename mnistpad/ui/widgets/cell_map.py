"""A picture of numbers (a layer's output, weights, the input) for the Inside panel, with hard
pixel edges, a tooltip naming the cell under the mouse and a click that picks it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from mnistpad.core.platform import lazy

if TYPE_CHECKING:
    from mnistpad.core.lessons.inside import Tiling

# core.lessons.inside imports torch: loaded on first use, after the window is on screen
inside = lazy.module("mnistpad.core.lessons.inside")

MAX_WIDTH = 320
MAX_SCALE = 10
# a short row of numbers (a Linear(10) layer's output) gets cells this big: a 10-cell layer
# is a readable row of squares, not a 100x10-pixel strip
ROW_CELL = 28
MIN_HEIGHT = 10

Describe = Callable[[int, int, int], str]


class CellMap(QWidget):
    """A picture of numbers (a layer's output, weights, the input) with hard pixel edges.
    Hovering names the cell under the mouse; clicking emits ``cellClicked`` with the cell
    (the unit or channel)."""

    cellClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, max_width: int = MAX_WIDTH):
        super().__init__(parent)
        self.max_width = max_width
        self.values: np.ndarray | None = None
        self.tiling: Tiling | None = None
        self._describe: Describe | None = None
        self._image = QImage()
        self._make_picture: Callable[[], np.ndarray] | None = None
        self.cell_labels: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_values(self, values: np.ndarray, describe: Describe,
                   dropped: np.ndarray | None = None, tiling: Tiling | None = None) -> None:
        """Show ``values`` (a layer output or weights) in the warm/blue colour scale. The
        picture is made when the widget is next painted: a layer scrolled out of view costs
        nothing until it is scrolled into view."""
        tiling = tiling or inside.Tiling.for_shape(values.shape)
        self._show(tiling, describe, values, lambda: inside.picture(values, tiling, dropped))

    def set_cell_labels(self, labels: list[str]) -> None:
        """A label in the corner of each cell (softmax's templates and a 10-unit output: their
        digits); none by default."""
        self.cell_labels = list(labels)
        self.update()

    def set_rgb(self, rgb: np.ndarray, tiling: Tiling, describe: Describe,
                values: np.ndarray | None = None) -> None:
        self._show(tiling, describe, values, lambda: rgb)

    def _show(self, tiling: Tiling, describe: Describe, values: np.ndarray | None,
              make_picture: Callable[[], np.ndarray]) -> None:
        self.values, self.tiling, self._describe = values, tiling, describe
        self._make_picture, self._image = make_picture, QImage()
        height, width = tiling.size
        largest = ROW_CELL if height == 1 else MAX_SCALE
        scale = min(largest, self.max_width / width)
        self.setFixedSize(QSize(max(1, round(width * scale)),
                                max(MIN_HEIGHT, round(height * scale))))
        self.update()

    def picture(self) -> QImage:
        """The picture shown, made now if it has not been yet."""
        if self._image.isNull() and self._make_picture is not None:
            rgb = np.ascontiguousarray(self._make_picture())
            height, width = rgb.shape[:2]
            # RGB32 draws scaled 20 times faster than RGB888: convert once, not in every paint
            self._image = QImage(rgb.data, width, height, 3 * width,
                                 QImage.Format.Format_RGB888).convertToFormat(
                                     QImage.Format.Format_RGB32)
        return self._image

    def clear(self) -> None:
        self.values, self.tiling, self._describe, self._make_picture = None, None, None, None
        self.cell_labels = []
        self._image = QImage()
        self.update()

    def cell_at(self, pos: QPoint) -> tuple[int, int, int] | None:
        if self.tiling is None or self.width() == 0 or self.height() == 0:
            return None
        height, width = self.tiling.size
        return self.tiling.locate(int(pos.y() * height / self.height()),
                                  int(pos.x() * width / self.width()))

    def text_at(self, pos: QPoint) -> str | None:
        cell = self.cell_at(pos)
        return None if cell is None or self._describe is None else self._describe(*cell)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.text_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mousePressEvent(self, event) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            self.cellClicked.emit(cell[0])

    def paintEvent(self, event) -> None:
        image = self.picture()
        if image.isNull():
            return
        painter = QPainter(self)
        painter.drawImage(self.rect(), image)
        if self.cell_labels and self.tiling is not None:
            self._paint_labels(painter)
        painter.end()

    def _paint_labels(self, painter: QPainter) -> None:
        tiling = self.tiling
        height, width = tiling.size
        sx, sy = self.width() / width, self.height() / height
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        for cell, text in enumerate(self.cell_labels[:tiling.count]):
            row, col = divmod(cell, tiling.columns)
            rect = QRectF(col * (tiling.cell_w + tiling.gap) * sx,
                          row * (tiling.cell_h + tiling.gap) * sy,
                          tiling.cell_w * sx, tiling.cell_h * sy)
            flags = (Qt.AlignmentFlag.AlignCenter if tiling.cell_h == 1
                     else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            painter.setPen(QColor(0, 0, 0))  # a shadow: readable on warm and on black
            painter.drawText(rect.translated(1, 1).adjusted(2, 0, 0, 0), flags, text)
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(rect.adjusted(2, 0, 0, 0), flags, text)
