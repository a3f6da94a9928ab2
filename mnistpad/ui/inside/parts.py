"""The Inside panel's section on the default model's two readers: the picture's ten
probabilities, the strokes' ten, how they are combined and the result (three rows of bars),
and the trajectory the stroke reader saw (its 48 points along the pen's path, the pen's
jumps between strokes dashed); or, when the strokes were not read, why.

It shows the app state's own reading in parts (``AppState.parts``), computing nothing but
the trajectory's 48 points (well under a millisecond), and only when the panel updates.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from mnistpad.ui.i18n.parts_text import combination_words, part_names, why_picture_alone
from mnistpad.ui.widgets.probabilities import Retranslates

BEST = QColor(46, 139, 87)  # the bars' colours, as the Draw tab's
BAR = QColor(70, 130, 180)
TRACK = QColor(128, 128, 128, 50)
JUMP = QColor(200, 90, 60)  # the pen in the air, between strokes


def heading() -> QLabel:
    """A bold heading of the panel (its text is set by the panel's retranslate)."""
    label = QLabel(wordWrap=True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class PartsBars(QWidget):
    """Rows of ten bars (digits 0-9), one row per reading, each named on its left; the most
    likely digit of each row green."""

    ROW = 30
    NAME_WIDTH = 64

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("insidePartsBars")
        self.rows: list[tuple[str, np.ndarray]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: list[tuple[str, np.ndarray]]) -> None:
        self.rows = [(name, np.asarray(p, dtype=float)) for name, p in rows]
        self.setFixedHeight(self.ROW * len(self.rows) + 16)
        self.setToolTip("\n".join(f"{name}: {int(p.argmax())} ({100 * p.max():.1f}%)"
                                  for name, p in self.rows))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(280, self.ROW * max(1, len(self.rows)) + 16)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        text = self.palette().windowText().color()
        column = max(8.0, (self.width() - self.NAME_WIDTH) / 10)
        for r, (name, probs) in enumerate(self.rows):
            top = r * self.ROW
            painter.setPen(text)
            painter.drawText(QRectF(0, top, self.NAME_WIDTH - 4, self.ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, name)
            best = int(probs.argmax())
            for digit in range(10):
                track = QRectF(self.NAME_WIDTH + digit * column + 1, top + 3, column - 2,
                               self.ROW - 6)
                painter.fillRect(track, TRACK)
                height = track.height() * float(np.clip(probs[digit], 0.0, 1.0))
                painter.fillRect(QRectF(track.left(), track.bottom() - height, track.width(),
                                        height), BEST if digit == best else BAR)
        painter.setPen(text)
        bottom = self.ROW * len(self.rows)
        for digit in range(10):
            painter.drawText(QRectF(self.NAME_WIDTH + digit * column, bottom, column, 16),
                             Qt.AlignmentFlag.AlignCenter, str(digit))
        painter.end()


class TrajectoryView(QWidget):
    """The stroke reader's input: the drawing's points resampled along the pen's path
    (x, y in [-1, 1], y down), joined in order; where the pen was up, dashed and red."""

    SIDE = 110

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("insideTrajectory")
        self.features: np.ndarray | None = None
        self.setFixedSize(self.SIDE, self.SIDE)

    def set_features(self, features: np.ndarray | None) -> None:
        """(channels, points) features of :func:`~mnistpad.core.strokes.features.trajectory`,
        or None for nothing."""
        self.features = features
        self.update()

    def points(self) -> list[QPointF]:
        margin = 8
        half = (self.SIDE - 2 * margin) / 2
        x, y = self.features[0], self.features[1]
        return [QPointF(margin + half * (1 + float(a)), margin + half * (1 + float(b)))
                for a, b in zip(x, y, strict=True)]

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0))
        if self.features is not None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            points, pen_up = self.points(), self.features[4]
            down = QPen(QColor(255, 255, 255), 1.5)
            up = QPen(JUMP, 1.2, Qt.PenStyle.DashLine)
            for i in range(len(points) - 1):
                painter.setPen(up if pen_up[i] > 0.5 else down)
                painter.drawLine(points[i], points[i + 1])
            painter.setPen(Qt.PenStyle.NoPen)
            for i, point in enumerate(points):
                painter.setBrush(BEST if i == 0 else (JUMP if pen_up[i] > 0.5 else BAR))
                painter.drawEllipse(point, 2.2 if i else 3.5, 2.2 if i else 3.5)
        painter.end()


class PartsSection(Retranslates, QWidget):
    """The section (see the module doc); hidden for a model that reads pictures only."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("insideParts")
        self.parts = None
        self.heading = QLabel(wordWrap=True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.text = QLabel(objectName="insidePartsText", wordWrap=True)
        self.bars = PartsBars()
        self.trajectory = TrajectoryView()
        self.trajectory_caption = QLabel(wordWrap=True)
        path = QHBoxLayout()
        path.addWidget(self.trajectory, 0, Qt.AlignmentFlag.AlignTop)
        path.addWidget(self.trajectory_caption, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.text, self.bars):
            layout.addWidget(widget)
        layout.addLayout(path)
        self.setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        title = self.tr("Two readers: the picture and the strokes")
        self.heading.setText(f"<b>{title}</b>")
        self.bars.setAccessibleName(self.tr("Probabilities of the picture, of the strokes and "
                                            "of the two together"))
        self.trajectory.setToolTip(self.tr(
            "The strokes as the stroke reader gets them: 48 points spaced evenly along the "
            "pen's path, in the order drawn (green: the first). Red dashes: the pen in the "
            "air between strokes."))
        self.trajectory_caption.setText(self.tr(
            "What the stroke reader reads: 48 points along the pen's path, in order, with "
            "their direction and whether the pen was up (red dashes)."))
        self._show_texts()

    def show_parts(self, parts, strokes) -> None:
        """The default model's reading in parts (a ``DrawingReading``) of a drawing with
        these pen ``strokes``; None hides the section (a model that reads pictures only)."""
        from mnistpad.core.strokes.combination import BOTH
        from mnistpad.core.strokes.features import trajectory

        self.parts = parts if parts is not None and parts.image is not None else None
        self.setVisible(self.parts is not None)
        if self.parts is None:
            return
        both = self.parts.source == BOTH
        self.trajectory.set_features(trajectory(strokes) if both else None)
        self.trajectory.setVisible(both)
        self.trajectory_caption.setVisible(both)
        self._show_texts()

    def _show_texts(self) -> None:
        """The sentence and the bars' row names, in the language installed now."""
        from mnistpad.core.strokes.combination import BOTH

        parts = self.parts
        if parts is None:
            return
        picture, strokes, together = part_names()
        if parts.source != BOTH:
            self.text.setText(self.tr("Read from the picture alone: {0}.").format(
                why_picture_alone(parts.reason)))
            self.bars.set_rows([(picture, parts.image)])
            return
        digit = int(parts.combined.argmax())
        self.text.setText(self.tr(
            "Reads {0} ({1:.1f}%): the picture says {2} ({3:.1f}%), the strokes {4} "
            "({5:.1f}%), combined as {6}.").format(
            digit, 100 * parts.combined[digit], int(parts.image.argmax()),
            100 * parts.image.max(), int(parts.strokes.argmax()), 100 * parts.strokes.max(),
            combination_words(parts.combination)))
        self.bars.set_rows([(picture, parts.image), (strokes, parts.strokes),
                            (together, parts.combined)])
