"""The Inside panel's colour key: what the warm/blue scale of its pictures means (feature
maps, layer outputs, weights), drawn from the very colour function that paints them."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from mnistpad.ui.widgets.cell_map import inside
from mnistpad.ui.widgets.probabilities import Retranslates

BAR_HEIGHT = 12
STEPS = 256


class ColourKey(Retranslates, QWidget):
    """A bar from the most negative value (blue) through zero (black) to the most positive
    (warm), with its ends and middle named."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._bar = QImage()
        self.words = ("", "", "")
        self.retranslate()

    def retranslate(self) -> None:
        self.words = (self.tr("negative"), "0", self.tr("positive"))
        self.setToolTip(self.tr("Each picture's own scale: the brightest blue is its most "
                                "negative value, the brightest warm its most positive; "
                                "black is zero"))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(240, BAR_HEIGHT + self.fontMetrics().height() + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.sizeHint().height())

    def bar(self) -> QImage:
        if self._bar.isNull():
            rgb = np.ascontiguousarray(inside.colorize(np.linspace(-1, 1, STEPS)[None, :]))
            self._bar = QImage(rgb.data, STEPS, 1, 3 * STEPS,
                               QImage.Format.Format_RGB888).copy()
        return self._bar

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        width = self.width()
        painter.drawImage(QRect(0, 0, width, BAR_HEIGHT), self.bar())
        text = QRect(0, BAR_HEIGHT + 2, width, self.height() - BAR_HEIGHT - 2)
        for word, align in zip(self.words, (Qt.AlignmentFlag.AlignLeft,
                                            Qt.AlignmentFlag.AlignHCenter,
                                            Qt.AlignmentFlag.AlignRight), strict=True):
            painter.drawText(text, align | Qt.AlignmentFlag.AlignTop, word)
        painter.end()
