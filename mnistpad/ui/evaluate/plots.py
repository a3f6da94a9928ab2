"""The Evaluate tab's drawings: the clickable confusion matrix, per-digit bars, the
reject-threshold curve, and the gallery's list model. All paint plain numbers given to them."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

DIAGONAL = QColor(46, 139, 87)
ERROR = QColor(200, 50, 50)
COVERAGE = QColor(70, 130, 180)
ACCURACY = QColor(46, 139, 87)


class ConfusionMatrixView(QWidget):
    """A 10x10 heat map, rows = true digit, columns = digit read, with a header row and
    column. The diagonal is shaded green by its row share, the errors red by their count
    against the largest error, so the errors stand out. Clicks on a cell or a header are
    reported as signals."""

    cellClicked = Signal(int, int)
    rowClicked = Signal(int)
    columnClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("confusionMatrix")
        self.setMinimumSize(240, 240)  # the Evaluate tab fits an 800x600 window
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.matrix: np.ndarray | None = None
        self.percent = False
        self.diagonal_apart = True
        self.selected: tuple[str, int, int] | None = None

    def sizeHint(self) -> QSize:
        return QSize(420, 420)

    def set_matrix(self, matrix: np.ndarray | None, diagonal_apart: bool = True) -> None:
        self.matrix = None if matrix is None else np.asarray(matrix)
        self.diagonal_apart = diagonal_apart
        self.selected = None
        self.update()

    def set_percent(self, percent: bool) -> None:
        self.percent = percent
        self.update()

    def _cell_size(self) -> float:
        return max(10.0, (min(self.width(), self.height()) - 2) / 11.5)

    def cell_rect(self, row: int, column: int) -> QRectF:
        size = self._cell_size()
        return QRectF(1.5 * size + column * size, 1.5 * size + row * size, size, size)

    def row_header_rect(self, row: int) -> QRectF:
        size = self._cell_size()
        return QRectF(0.5 * size, 1.5 * size + row * size, size, size)

    def column_header_rect(self, column: int) -> QRectF:
        size = self._cell_size()
        return QRectF(1.5 * size + column * size, 0.5 * size, size, size)

    def _hit(self, pos: QPointF) -> tuple[str, int, int] | None:
        size = self._cell_size()
        col = int((pos.x() - 1.5 * size) // size)
        row = int((pos.y() - 1.5 * size) // size)
        in_cols, in_rows = 0 <= col < 10, 0 <= row < 10
        if in_rows and in_cols:
            return ("cell", row, col)
        if in_rows and self.row_header_rect(row).contains(pos):
            return ("row", row, -1)
        if in_cols and self.column_header_rect(col).contains(pos):
            return ("column", -1, col)
        return None

    def mousePressEvent(self, event) -> None:
        hit = self._hit(event.position())
        if hit is None or self.matrix is None:
            return
        self.selected = hit
        self.update()
        kind, row, col = hit
        if kind == "cell":
            self.cellClicked.emit(row, col)
        elif kind == "row":
            self.rowClicked.emit(row)
        else:
            self.columnClicked.emit(col)

    def text(self, row: int, column: int) -> str:
        value = int(self.matrix[row, column])
        if not self.percent:
            return f"{value:,}" if value else ""
        total = int(self.matrix[row].sum())
        return f"{100 * value / total:.1f}" if value and total else ""

    def _colour(self, row: int, column: int, worst_error: int) -> QColor:
        value = int(self.matrix[row, column])
        if self.diagonal_apart and row == column:
            total = max(1, int(self.matrix[row].sum()))
            colour = QColor(DIAGONAL)
            colour.setAlpha(40 + int(140 * value / total))
            return colour
        colour = QColor(ERROR)
        colour.setAlpha(int(230 * (value / worst_error) ** 0.5) if value else 0)
        return colour

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        text = self.palette().windowText().color()
        size = self._cell_size()
        font = painter.font()
        font.setPixelSize(max(8, int(size * 0.28)))
        painter.setFont(font)
        centre = Qt.AlignmentFlag.AlignCenter
        painter.setPen(text)
        painter.drawText(QRectF(1.5 * size, 0, 10 * size, 0.5 * size), centre,
                         self.tr("read as →"))
        painter.save()
        painter.translate(0.25 * size, 1.5 * size + 5 * size)
        painter.rotate(-90)
        painter.drawText(QRectF(-5 * size, -0.25 * size, 10 * size, 0.5 * size), centre,
                         self.tr("true digit →"))
        painter.restore()
        for digit in range(10):
            painter.drawText(self.row_header_rect(digit), centre, str(digit))
            painter.drawText(self.column_header_rect(digit), centre, str(digit))
        if self.matrix is not None:
            errors = self.matrix.copy()
            if self.diagonal_apart:
                np.fill_diagonal(errors, 0)
            worst = max(1, int(errors.max()))
            for row in range(10):
                for col in range(10):
                    rect = self.cell_rect(row, col)
                    painter.fillRect(rect, self._colour(row, col, worst))
                    painter.drawText(rect, centre, self.text(row, col))
        painter.setPen(QColor(128, 128, 128, 90))
        for i in range(11):
            offset = 1.5 * size + i * size
            painter.drawLine(QPointF(1.5 * size, offset), QPointF(11.5 * size, offset))
            painter.drawLine(QPointF(offset, 1.5 * size), QPointF(offset, 11.5 * size))
        if self.selected is not None:
            kind, row, col = self.selected
            rect = {"cell": lambda: self.cell_rect(row, col),
                    "row": lambda: self.row_header_rect(row),
                    "column": lambda: self.column_header_rect(col)}[kind]()
            painter.setPen(QPen(self.palette().highlight().color(), 2.5))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.end()


class DigitAccuracyBars(QWidget):
    """Ten vertical bars: the share of each true digit read right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("digitAccuracy")
        self.setMinimumSize(200, 90)
        self.values: np.ndarray | None = None

    def set_values(self, values: np.ndarray | None) -> None:
        self.values = values
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        text = self.palette().windowText().color()
        label_h = 14
        column = self.width() / 10
        font = painter.font()
        font.setPixelSize(10)
        painter.setFont(font)
        for digit in range(10):
            value = None if self.values is None else self.values[digit]
            x = digit * column
            track = QRectF(x + column * 0.2, label_h, column * 0.6, self.height() - 2 * label_h)
            painter.fillRect(track, QColor(128, 128, 128, 40))
            if value is not None and not np.isnan(value):
                height = track.height() * float(value)
                painter.fillRect(QRectF(track.x(), track.bottom() - height, track.width(),
                                        height), COVERAGE)
                painter.setPen(text)
                painter.drawText(QRectF(x, 0, column, label_h), Qt.AlignmentFlag.AlignCenter,
                                 f"{100 * value:.1f}")
            painter.setPen(text)
            painter.drawText(QRectF(x, self.height() - label_h, column, label_h),
                             Qt.AlignmentFlag.AlignCenter, str(digit))
        painter.end()


LEGEND_ROW = 13
LEGEND_HEIGHT = 2 * LEGEND_ROW  # one row per curve: two side by side do not fit 180 px


class RejectCurveView(QWidget):
    """Coverage (share answered) and accuracy on the answered images against the
    confidence threshold, with the chosen threshold marked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rejectCurve")
        self.setMinimumSize(180, 130)
        self.curve = None
        self.threshold = 0.0

    def set_curve(self, curve) -> None:
        self.curve = curve
        self.update()

    def set_threshold(self, threshold: float) -> None:
        self.threshold = threshold
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot = QRectF(self.rect()).adjusted(30, LEGEND_HEIGHT + 6, -6, -16)
        painter.fillRect(plot, QColor(128, 128, 128, 25))
        text = self.palette().windowText().color()
        font = painter.font()
        font.setPixelSize(10)
        painter.setFont(font)
        if self.curve is None:
            painter.end()
            return
        values = np.concatenate([self.curve.coverage, self.curve.accuracy])
        low = float(np.floor(np.nanmin(values) * 10) / 10)
        low = min(low, 0.9)

        def point(x: float, y: float) -> QPointF:
            return QPointF(plot.left() + x * plot.width(),
                           plot.bottom() - (y - low) / (1 - low) * plot.height())

        painter.setPen(text)
        painter.drawText(QRectF(0, plot.top() - 6, 28, 12), Qt.AlignmentFlag.AlignRight, "100%")
        painter.drawText(QRectF(0, plot.bottom() - 6, 28, 12), Qt.AlignmentFlag.AlignRight,
                         f"{100 * low:.0f}%")
        painter.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), 14),
                         Qt.AlignmentFlag.AlignCenter, self.tr("confidence threshold"))
        for values, colour in ((self.curve.coverage, COVERAGE), (self.curve.accuracy, ACCURACY)):
            path = QPainterPath()
            started = False
            for x, y in zip(self.curve.thresholds, values, strict=True):
                if np.isnan(y):
                    continue
                if started:
                    path.lineTo(point(float(x), float(y)))
                else:
                    path.moveTo(point(float(x), float(y)))
                    started = True
            painter.setPen(QPen(colour, 2))
            painter.drawPath(path)
        painter.setPen(QPen(QColor(128, 128, 128), 1, Qt.PenStyle.DashLine))
        x = plot.left() + self.threshold * plot.width()
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        self._paint_legend(painter, text)
        painter.end()

    def legend_words(self) -> list[tuple[QColor, str]]:
        return [(COVERAGE, self.tr("answered")), (ACCURACY, self.tr("right, of those answered"))]

    def _paint_legend(self, painter: QPainter, text: QColor) -> None:
        """The two curves named above the plot, each after a stroke of its colour."""
        for row, (colour, words) in enumerate(self.legend_words()):
            middle = row * LEGEND_ROW + LEGEND_ROW / 2
            painter.setPen(QPen(colour, 2))
            painter.drawLine(QPointF(30, middle), QPointF(44, middle))
            painter.setPen(text)
            painter.drawText(QRectF(48, row * LEGEND_ROW, self.width() - 48, LEGEND_ROW),
                             Qt.AlignmentFlag.AlignVCenter, words)


def digit_pixmap(image: np.ndarray, size: int, ratio: float = 1.0) -> QPixmap:
    """28x28 pixels as a ``size`` square pixmap for a screen of device pixel ratio
    ``ratio``: each pixel a sharp block (no smoothing, no scaling up by the view)."""
    data = np.ascontiguousarray((np.clip(image, 0, 1) * 255).astype(np.uint8))
    picture = QImage(data.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy()
    side = round(size * ratio)
    pixmap = QPixmap.fromImage(picture.scaled(side, side))
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


class GalleryModel(QAbstractListModel):
    """The images of one cell (or header), most confident first. Pixmaps are made only for
    the items the view shows, so a cell of a thousand images opens at once."""

    IMAGE_INDEX = Qt.ItemDataRole.UserRole + 1
    ICON = 56

    def __init__(self, parent=None):
        super().__init__(parent)
        self.indices = np.zeros(0, dtype=np.int64)
        self.images: np.ndarray | None = None
        self.labels: np.ndarray | None = None
        self.readings: list[tuple[np.ndarray, np.ndarray]] = []
        self._pixmaps: dict[int, QPixmap] = {}

    def set_items(self, indices: np.ndarray, images: np.ndarray, labels: np.ndarray,
                  readings: list[tuple[np.ndarray, np.ndarray]]) -> None:
        """``readings``: (predictions, confidence) per model shown (one, or two to compare)."""
        self.beginResetModel()
        self.indices = np.asarray(indices)
        self.images, self.labels, self.readings = images, labels, readings
        self._pixmaps = {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.indices)

    def item(self, row: int) -> tuple[int, int, list[tuple[int, float]]]:
        """(true label, image index, [(reading, confidence) per model])."""
        i = int(self.indices[row])
        return (int(self.labels[i]), i,
                [(int(pred[i]), float(conf[i])) for pred, conf in self.readings])

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        true, i, readings = self.item(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(f"{true} → {read}  {100 * conf:.0f}%" for read, conf in readings)
        if role == Qt.ItemDataRole.DecorationRole:
            if i not in self._pixmaps:
                self._pixmaps[i] = digit_pixmap(self.images[i], self.ICON,
                                                QGuiApplication.instance().devicePixelRatio())
            return self._pixmaps[i]
        if role == Qt.ItemDataRole.ToolTipRole:
            reads = "; ".join(self.tr("read as {0} with {1:.1f}%").format(read, 100 * conf)
                              for read, conf in readings)
            return self.tr("Image {0}: a {1}, {2}. Double-click to draw it.").format(i, true,
                                                                                     reads)
        if role == Qt.ItemDataRole.SizeHintRole:  # the widest reading, so none is cut short
            text = QFontMetrics(QGuiApplication.font()).horizontalAdvance("0 → 0  100%")
            return QSize(self.ICON + text + 16, self.ICON + 6)
        if role == self.IMAGE_INDEX:
            return i
        return None
