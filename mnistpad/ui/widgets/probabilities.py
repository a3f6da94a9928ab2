"""Small display widgets: the ten probability bars and the 28x28 preview."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QWidget,
)

from mnistpad.core.platform import lazy

np = lazy.module("numpy")  # imported on first use, after the window is painted


class Retranslates:
    """Qt's retranslate idiom for a widget: its ``retranslate()`` (which sets every text it
    shows) runs again on every language change. The widget calls it once when built."""

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class ProbabilityBars(Retranslates, QWidget):
    """Ten horizontal bars, one per digit; the most likely one is highlighted."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("probabilities")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._probs: np.ndarray | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setToolTip(self.tr("The model's probability for each digit"))

    def sizeHint(self) -> QSize:
        return QSize(260, 10 * 18)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 10 * 14)

    def set_probabilities(self, probs: np.ndarray | None) -> None:
        self._probs = None if probs is None else np.asarray(probs, dtype=float)
        self.update()

    def probabilities(self) -> np.ndarray | None:
        return self._probs

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        row = self.height() / 10
        label_w, value_w = 18, 52
        bar_w = max(10.0, self.width() - label_w - value_w - 8)
        best = int(self._probs.argmax()) if self._probs is not None else -1
        text = self.palette().windowText().color()
        for digit in range(10):
            top = digit * row
            p = 0.0 if self._probs is None else float(self._probs[digit])
            painter.setPen(text)
            painter.drawText(QRectF(0, top, label_w, row), Qt.AlignmentFlag.AlignCenter, str(digit))
            track = QRectF(label_w + 4, top + row * 0.2, bar_w, row * 0.6)
            painter.fillRect(track, QColor(128, 128, 128, 50))
            colour = QColor(46, 139, 87) if digit == best else QColor(70, 130, 180)
            painter.fillRect(QRectF(track.x(), track.y(), bar_w * p, track.height()), colour)
            painter.drawText(QRectF(label_w + bar_w + 8, top, value_w, row),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             "" if self._probs is None else f"{100 * p:.1f}%")
        painter.end()


class DigitPreview(Retranslates, QWidget):
    """The 28x28 input the model sees, magnified with hard pixel edges."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("preview")
        self.setFixedSize(28 * 5 + 2, 28 * 5 + 2)
        self._pixels: np.ndarray | None = None
        self._image = QImage()
        self.retranslate()

    def retranslate(self) -> None:
        self.setToolTip(
            self.tr("What the model sees: your drawing normalized to MNIST's 28x28 pixels"))

    def set_pixels(self, pixels: np.ndarray | None) -> None:
        self._pixels = None if pixels is None else np.asarray(pixels, dtype=np.float32)
        if self._pixels is None:
            self._image = QImage()
        else:
            data = np.ascontiguousarray((np.clip(self._pixels, 0, 1) * 255).astype(np.uint8))
            self._image = QImage(data.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy()
        self.update()

    def pixels(self) -> np.ndarray | None:
        return self._pixels

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0))
        if not self._image.isNull():
            painter.drawImage(QRectF(1, 1, self.width() - 2, self.height() - 2), self._image)
        painter.setPen(QColor(120, 120, 120))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class ScrollingTabs(QTabWidget):
    """Tabs whose pages scroll when the window is smaller than a page would like, so that the
    window fits small screens (800x600) and never squeezes a page's widgets onto each other.
    Callers keep using the pages themselves (``setCurrentWidget(page)``, ``indexOf(page)``)."""

    def __init__(self, parent: QWidget | None = None, **properties):
        super().__init__(parent, **properties)
        self._areas: dict[QWidget, QScrollArea] = {}

    def addTab(self, page: QWidget, label: str) -> int:
        area = QScrollArea()
        area.setObjectName(f"{page.objectName() or 'page'}Scroll")
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(page)
        self._areas[page] = area
        return super().addTab(area, label)

    def setCurrentWidget(self, page: QWidget) -> None:
        super().setCurrentWidget(self._areas.get(page, page))

    def indexOf(self, page: QWidget) -> int:
        return super().indexOf(self._areas.get(page, page))

    def page(self, index: int) -> QWidget | None:
        """The page at ``index`` (not the scroll area around it)."""
        area = self.widget(index)
        return area.widget() if isinstance(area, QScrollArea) else area


def ask_to_stop(parent: QWidget, name: str, title: str, text: str, keep_text: str,
                stop_text: str) -> bool:
    """The question a closing window asks while background work runs: True when the user
    chooses to stop it (``stop_text``), False to keep it going (the default, and Esc)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setObjectName(name)
    keep = box.addButton(keep_text, QMessageBox.ButtonRole.RejectRole)
    stop = box.addButton(stop_text, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is stop


# A finished bar as plain text: a bar filled with the highlight colour reads as a button
FINISHED_STYLE = ("QProgressBar { border: none; background: transparent; text-align: left; }"
                  " QProgressBar::chunk { background: transparent; }")


def show_finished(bar: QProgressBar, finished: bool) -> None:
    """``bar`` as a finished run's plain text (its format, e.g. "Done"), or as a bar again."""
    bar.setStyleSheet(FINISHED_STYLE if finished else "")
    bar.setProperty("finished", finished)
