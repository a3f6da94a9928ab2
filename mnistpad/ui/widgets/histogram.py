"""A small histogram painted with QPainter: bars over a round x range, and its ends and zero
written under it.

The Activations view shows 18 of them per column for ``deep`` and redraws them with every
reading of a training run. As pyqtgraph plots (one PlotWidget each) one column cost 25 ms of
the GUI thread with no axes at all and 35-55 ms with them, on a loaded 2-core machine; a
plain painted widget costs a fraction of a millisecond and needs no scene, view or axis.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

LABEL_HEIGHT = 14
MARGIN = 4


def nice_bounds(low: float, high: float) -> tuple[float, float]:
    """An x range holding ``low`` to ``high`` with round ends (1, 2 or 5 times a power of
    ten, the same on both sides of zero), from 0 when no value is below zero: the same
    range for similar readings, so that a training run's readings can be compared."""
    reach = max(abs(low), abs(high), 1e-30)
    exponent = math.floor(math.log10(reach))
    step = next(m * 10.0**exponent for m in (1, 2, 5, 10) if m * 10.0**exponent >= reach)
    bounds = (-step if low < 0 else 0.0), (step if high > 0 else 0.0)
    return bounds if bounds[0] < bounds[1] else (-step, step)


def tick_text(value: float) -> str:
    return "0" if value == 0 else f"{value:.3g}"


class HistogramView(QWidget):
    """``counts[i]`` values in ``[edges[i], edges[i + 1])``, drawn as bars scaled to the
    highest bin, over :func:`nice_bounds` of the edges."""

    def __init__(self, colour: tuple[int, int, int], height: int = 70,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.colour = QColor(*colour)
        self.edges = np.zeros(0)
        self.counts = np.zeros(0)
        self.bounds = (0.0, 1.0)
        self.setFixedHeight(height)
        self.setMinimumWidth(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_histogram(self, edges, counts) -> None:
        self.edges = np.asarray(edges, dtype=float)
        self.counts = np.asarray(counts, dtype=float)
        if len(self.edges):
            self.bounds = nice_bounds(float(self.edges[0]), float(self.edges[-1]))
        self.update()

    def _bars(self, area: QRectF) -> list[QRectF]:
        if not len(self.counts) or self.counts.max() <= 0:
            return []
        low, high = self.bounds
        scale_x = area.width() / (high - low)
        scale_y = area.height() / self.counts.max()
        bars = []
        for left, right, count in zip(self.edges[:-1], self.edges[1:], self.counts,
                                      strict=True):
            if count > 0:
                height = max(1.0, count * scale_y)
                bars.append(QRectF(area.left() + (left - low) * scale_x,
                                   area.bottom() - height,
                                   max(1.0, (right - left) * scale_x), height))
        return bars

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        area = QRectF(MARGIN, MARGIN, self.width() - 2 * MARGIN,
                      self.height() - 2 * MARGIN - LABEL_HEIGHT)
        fill = QColor(self.colour)
        fill.setAlpha(140)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRects(self._bars(area))
        painter.setPen(QPen(QColor(120, 120, 120)))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        low, high = self.bounds
        labels = QRectF(area.left(), area.bottom() + 1, area.width(), LABEL_HEIGHT)
        painter.drawText(labels, Qt.AlignmentFlag.AlignLeft, tick_text(low))
        painter.drawText(labels, Qt.AlignmentFlag.AlignRight, tick_text(high))
        if low < 0 < high:
            zero = area.left() + (0 - low) / (high - low) * area.width()
            painter.drawLine(QLineF(zero, area.top(), zero, area.bottom()))
        painter.end()
