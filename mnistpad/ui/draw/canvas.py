"""The drawing canvas: an off-screen greyscale buffer of fixed size and a thin widget.

Mouse (or stylus) events add strokes to the buffer. A finished stroke is painted onto a
snapshot of the strokes before it, and undo restores the snapshot taken before the stroke
undone, so neither repaints the drawing: both take the same time on the 5,000th stroke as on
the first. Reading the drawing is kept the same way
(:class:`~mnistpad.core.reading.drawing_reader.DrawingReader`). The last :data:`UNDO_LIMIT` strokes
can be undone. The model always gets the buffer, never a screen grab, so window size and
display scaling change how the drawing looks, not what is classified.

What the screen shows is the same strokes painted again as paths at the screen's own
resolution (sharp at any device pixel ratio, where the buffer scaled up was blurred), kept
one finished stroke at a time too; only an undo, a clear, a picture or a new size paints
that picture again from the strokes.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from mnistpad.core.data.preprocess import normalize_digit
from mnistpad.core.platform import lazy
from mnistpad.core.reading.drawing_reader import DrawingReader
from mnistpad.core.strokes.renderer import CANVAS_SIZE, PenStroke

np = lazy.module("numpy")  # imported on first use, after the window is painted

# About MNIST's stroke thickness once a digit drawn at a natural size is scaled into 20x20.
DEFAULT_PEN_WIDTH = 24
MIN_PEN_WIDTH, MAX_PEN_WIDTH = 4, 48
# Strokes that can be undone: one snapshot of the canvas (77 KB) is kept per step.
UNDO_LIMIT = 100


@dataclass
class Stroke:
    """One undoable step: a pen or eraser path, or a picture placed on the canvas."""

    width: float
    erase: bool = False
    points: list[QPointF] = field(default_factory=list)
    picture: QImage | None = None
    ink: np.ndarray | None = None  # a picture's ink as given, before it was fitted
    finished: PenStroke | None = None  # the core's stroke, made once the stroke is finished

    def pen_stroke(self) -> PenStroke:
        if self.finished is not None:
            return self.finished
        return PenStroke.of([(p.x(), p.y()) for p in self.points], self.width, self.erase)


class DrawingCanvas(QWidget):
    """Draw with the mouse; strokes live in :attr:`buffer` (Grayscale8, ink white on black)."""

    strokeStarted = Signal()
    strokeMoved = Signal()
    strokeFinished = Signal()
    contentChanged = Signal()  # after undo, redo, clear or a picture

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Drawing canvas"))
        self.setToolTip(self.tr("Draw a digit here with the mouse or a stylus"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def __init__(self, parent: QWidget | None = None, size: int = CANVAS_SIZE):
        super().__init__(parent)
        self.setObjectName("canvas")
        self.retranslate()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 200)
        self.setCursor(Qt.CursorShape.CrossCursor)
        # paintEvent fills every pixel: nothing behind the canvas is painted with it (the
        # tab, the splitter and the window took a millisecond of every stroke's repaint)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        # focus on a click, so that keys typed after drawing (a digit labels it) reach the tab
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.buffer = QImage(size, size, QImage.Format.Format_Grayscale8)
        self.buffer.fill(0)
        self.pen_width: float = DEFAULT_PEN_WIDTH
        self.erasing = False
        self._strokes: list[Stroke] = []
        self._redo: list[Stroke] = []
        self._current: Stroke | None = None
        # _committed: every stroke in _strokes painted in order (the buffer between strokes);
        # _before[i]: _committed as it was before the i-th of the last strokes (undo's source).
        self._committed = QImage(size, size, QImage.Format.Format_Grayscale8)
        self._committed.fill(0)
        self._before: deque[QImage] = deque(maxlen=UNDO_LIMIT)
        # what the models read, kept per stroke like the buffer: a further stroke is read in
        # the time of one stroke, an undo from a checkpoint
        self.reader = DrawingReader(UNDO_LIMIT)
        # what paintEvent shows: the finished strokes at the screen's resolution
        self._sharp = QImage()
        self._sharp_strokes: list[Stroke] = []
        self.resize(self.sizeHint())  # square from the start, even before a layout places it

    # ------------------------------------------------------------------ state

    def sizeHint(self) -> QSize:
        return QSize(CANVAS_SIZE + 40, CANVAS_SIZE + 40)

    @property
    def strokes(self) -> list[Stroke]:
        return list(self._strokes)

    def is_blank(self) -> bool:
        return not self._strokes

    def can_undo(self) -> bool:
        return bool(self._strokes) and bool(self._before)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def ink(self) -> np.ndarray:
        """The buffer as float32 ink in [0, 1], shape (size, size)."""
        image = self.buffer
        ptr = image.constBits()
        rows = np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
        return rows[:, : image.width()].astype(np.float32) / 255.0

    def _visible(self, with_current: bool) -> list[Stroke]:
        """The steps that make the drawing: from the last picture placed on (a picture
        covers everything before it), with the stroke in progress if asked."""
        steps = [*self._strokes, *([self._current] if with_current and self._current else [])]
        pictures = [i for i, step in enumerate(steps) if step.picture is not None]
        return steps[pictures[-1]:] if pictures else steps

    def png_bytes(self) -> bytes:
        """The buffer as a PNG file's bytes (what Save Drawing writes)."""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.buffer.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())

    def pen_strokes(self, with_current: bool = False) -> list[PenStroke] | None:
        """The drawing as the core's strokes (with the one in progress if asked), or ``None``
        when it is a picture placed on the canvas (drawn on or not)."""
        steps = self._visible(with_current)
        if steps and steps[0].picture is not None:
            return None
        return [step.pen_stroke() for step in steps]

    def digit(self) -> np.ndarray | None:
        """What the models read: MNIST's 28x28 pixels of the drawing (the stroke in progress
        too), or ``None`` when nothing but a speck is drawn. Pen strokes are read through
        :func:`~mnistpad.core.strokes.renderer.digit_from_strokes` (by :attr:`reader`, which draws
        only the strokes it has not drawn yet), which strokes them again with a pen in
        proportion to the drawing's size, so a small digit reads like a large one. A
        picture is read from its own pixels, exactly as ``mnistpad classify`` reads the
        file; a picture drawn on is read from the buffer."""
        steps = self._visible(with_current=True)
        if steps and steps[0].picture is not None:
            if len(steps) == 1 and steps[0].ink is not None:
                return normalize_digit(steps[0].ink)
            return normalize_digit(self.ink())
        strokes = self.pen_strokes(with_current=True)
        return self.reader.read(strokes, self.buffer.width(), self.ink()) if strokes else None

    # ------------------------------------------------------------------ editing

    def set_pen_width(self, width: float) -> None:
        self.pen_width = float(min(MAX_PEN_WIDTH, max(MIN_PEN_WIDTH, width)))

    def set_erasing(self, erasing: bool) -> None:
        self.erasing = erasing
        self.setCursor(Qt.CursorShape.PointingHandCursor if erasing else Qt.CursorShape.CrossCursor)

    def clear(self) -> None:
        if not self._strokes and self._current is None:
            return
        self._strokes.clear()
        self._redo.clear()
        self._before.clear()
        self._current = None
        self._committed.fill(0)
        self._show_committed()
        self.contentChanged.emit()

    def undo(self) -> None:
        if self.can_undo():
            self._redo.append(self._strokes.pop())
            self._committed = self._before.pop()
            self._show_committed()
            self.contentChanged.emit()

    def redo(self) -> None:
        if self._redo:
            self._commit(self._redo.pop())
            self._show_committed()
            self.contentChanged.emit()

    def set_picture(self, ink: np.ndarray) -> None:
        """Replace the drawing by ``ink`` (2-D, [0, 1]), fitted into the canvas; undo brings
        the drawing before it back."""
        ink = np.clip(np.asarray(ink, dtype=np.float32), 0, 1)
        height, width = ink.shape
        data = np.ascontiguousarray((ink * 255).astype(np.uint8))
        picture = QImage(data.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
        self._redo.clear()
        self._commit(Stroke(0, picture=picture, ink=ink))
        self._show_committed()
        self.contentChanged.emit()

    # ------------------------------------------------------------------ painting the buffer

    def _pen(self, stroke: Stroke) -> QPen:
        colour = QColor(0, 0, 0) if stroke.erase else QColor(255, 255, 255)
        return QPen(colour, stroke.width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                    Qt.PenJoinStyle.RoundJoin)

    def _paint_stroke(self, painter: QPainter, stroke: Stroke) -> None:
        if stroke.picture is not None:  # covers what was drawn before it
            size = self.buffer.width()
            painter.fillRect(0, 0, size, size, QColor(0, 0, 0))
            scaled = stroke.picture.scaled(
                size, size, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            painter.drawImage((size - scaled.width()) // 2, (size - scaled.height()) // 2, scaled)
            return
        painter.setPen(self._pen(stroke))
        if len(stroke.points) == 1:
            painter.drawPoint(stroke.points[0])
        else:
            path = QPainterPath(stroke.points[0])
            for point in stroke.points[1:]:
                path.lineTo(point)
            painter.drawPath(path)

    def paint_strokes(self, image: QImage, strokes: list[Stroke]) -> None:
        """Paint ``strokes`` in order onto ``image``, as the canvas paints them."""
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in strokes:
            self._paint_stroke(painter, stroke)
        painter.end()

    def _commit(self, stroke: Stroke) -> None:
        """Add a finished stroke: paint it onto the committed strokes, keeping what was there
        before it for undo. Work for one stroke, however many came before."""
        self._before.append(self._committed.copy())
        self._strokes.append(stroke)
        self.paint_strokes(self._committed, [stroke])

    def _update_around(self, points: list[QPointF], width: float) -> None:
        """Repaint only the part of the widget that ``points`` (buffer space) drawn with a
        pen ``width`` wide can reach: a move or a finished stroke changes nothing else, and
        the whole canvas painted and sent to the screen on every move cost more than the
        stroke."""
        rect = self.target_rect()
        scale = rect.width() / self.buffer.width()
        xs, ys = [p.x() for p in points], [p.y() for p in points]
        margin = width * scale / 2 + 3  # the round pen's reach, and antialiasing
        self.update(QRectF(rect.x() + min(xs) * scale - margin,
                           rect.y() + min(ys) * scale - margin,
                           (max(xs) - min(xs)) * scale + 2 * margin,
                           (max(ys) - min(ys)) * scale + 2 * margin).toAlignedRect())

    def _show_committed(self) -> None:
        self.buffer = self._committed.copy()
        self.update()

    def _paint_segment(self, a: QPointF, b: QPointF) -> None:
        painter = QPainter(self.buffer)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen(self._current))
        if a == b:
            painter.drawPoint(a)
        else:
            painter.drawLine(a, b)
        painter.end()

    def _to_screen(self, painter: QPainter, origin, side: float) -> None:
        """Make ``painter`` paint buffer coordinates onto a square of ``side`` at ``origin``."""
        painter.translate(origin)
        painter.scale(side / self.buffer.width(), side / self.buffer.height())
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)

    def _sharp_committed(self, pixels: int) -> QImage:
        """The finished strokes painted as paths on a ``pixels`` square image: a stroke
        finished since the last paint is added to it, anything else (undo, clear, a
        picture, a new size or screen) paints it again."""
        steps = self._visible(with_current=False)
        shown = self._sharp_strokes
        same = (self._sharp.width() == max(1, pixels) and len(shown) <= len(steps)
                and all(a is b for a, b in zip(shown, steps, strict=False)))
        if not same:
            self._sharp = QImage(max(1, pixels), max(1, pixels), QImage.Format.Format_RGB32)
            self._sharp.fill(QColor(0, 0, 0))
            shown = []
        if len(shown) < len(steps):
            painter = QPainter(self._sharp)
            self._to_screen(painter, QPointF(0, 0), self._sharp.width())
            for stroke in steps[len(shown):]:
                self._paint_stroke(painter, stroke)
            painter.end()
        self._sharp_strokes = steps
        return self._sharp

    # ------------------------------------------------------------------ widget geometry

    def target_rect(self) -> QRectF:
        """Where the buffer is shown: the largest centred square in the widget."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_buffer(self, pos: QPointF) -> QPointF:
        rect = self.target_rect()
        scale = self.buffer.width() / rect.width()
        return QPointF((pos.x() - rect.x()) * scale, (pos.y() - rect.y()) * scale)

    # ------------------------------------------------------------------ events

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        point = self.to_buffer(event.position())
        hint_shown = self.is_blank()
        self._current = Stroke(self.pen_width, self.erasing, [point])
        self._paint_segment(point, point)
        if hint_shown:
            self.update()  # the hint goes
        else:
            self._update_around([point], self._current.width)
        self.strokeStarted.emit()
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        if self._current is None or not (event.buttons() & Qt.MouseButton.LeftButton):
            return super().mouseMoveEvent(event)
        point = self.to_buffer(event.position())
        last = self._current.points[-1]
        if point == last:
            return
        self._current.points.append(point)
        self._paint_segment(last, point)
        self._update_around([last, point], self._current.width)
        self.strokeMoved.emit()
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._current is None:
            return super().mouseReleaseEvent(event)
        point = self.to_buffer(event.position())
        if point != self._current.points[-1]:
            self._current.points.append(point)
            self._paint_segment(self._current.points[-2], point)
        stroke, self._current = self._current, None
        stroke.finished = stroke.pen_stroke()
        self._redo.clear()
        # Segments painted one by one overlap at their round ends; the finished stroke is
        # painted again as one path onto the strokes before it, so the buffer is always a pure
        # function of the strokes (undo then redo gives back the very same pixels).
        self._commit(stroke)
        self.buffer = self._committed.copy()
        self._update_around(stroke.points, stroke.width)  # nothing else has changed
        self.strokeFinished.emit()
        event.accept()

    def paintEvent(self, event) -> None:
        """The strokes at the screen's resolution (sharp at any device pixel ratio): the
        same paths as in the buffer, which the models read and which keeps its size."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        rect = self.target_rect()
        painter.drawImage(rect, self._sharp_committed(round(rect.width()
                                                            * self.devicePixelRatioF())))
        if self._current is not None:
            painter.save()
            painter.setClipRect(rect)
            self._to_screen(painter, rect.topLeft(), rect.width())
            self._paint_stroke(painter, self._current)
            painter.restore()
        painter.setPen(QPen(QColor(120, 120, 120), 1))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        if self.is_blank() and self._current is None:
            painter.setPen(QColor(150, 150, 150))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("Draw a digit here"))
        painter.end()


class SquareBox(QWidget):
    """Holds one widget (the canvas) as the largest square centred in the space it is given,
    so the canvas widget itself is always square: its whole area is the drawing area."""

    def __init__(self, child: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.child = child
        child.setParent(self)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(child.minimumSize())

    def sizeHint(self) -> QSize:
        return self.child.sizeHint()

    def resizeEvent(self, event) -> None:
        side = min(self.width(), self.height())
        self.child.setGeometry((self.width() - side) // 2, (self.height() - side) // 2,
                               side, side)
        super().resizeEvent(event)
