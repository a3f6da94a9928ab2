"""The leaderboard: every run of the user's, its MNIST test accuracy against the lecture.

One row per saved model (one run), best first, with its design, size and the highest of the
lecture's marks it reached (90% softmax, 94.5% ReLU net, 97.8% Xavier, 98% dropout, 99% the
CNNs); the accuracy bar shows the marks as ticks and the exercise's 98% as a red line. The
models come from the app state's catalog, and the board redraws when it changes (a board on
its own is given ``models`` and ``shipped`` callables instead). "Show as PyTorch code" opens
the selected run's script.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mnistpad.core.evaluation.leaderboard import EXERCISE_MARK, LECTURE_MARKS, Entry, leaderboard
from mnistpad.core.files.modelfile import ModelInfo
from mnistpad.core.models.layers import shape_steps

if TYPE_CHECKING:
    from mnistpad.ui.state.app_state import AppState

SCALE_LOW, SCALE_HIGH = 0.88, 1.0
DESIGN_COLUMN, ACCURACY_COLUMN = 2, 5
_ACCURACY_ROLE = Qt.ItemDataRole.UserRole + 1


def _percent(value: float) -> str:
    return QLocale().toString(100 * value, "f", 2) + "%"


def _mark(value: float) -> str:
    """A lecture mark as the lecture writes it: 90%, 94.5%."""
    return QLocale().toString(100 * value, "g", 4) + "%"


class AccuracyBar(QStyledItemDelegate):
    """An accuracy as a bar from 88% to 100%, the lecture's marks as ticks, 98% in red."""

    def paint(self, painter: QPainter, option, index) -> None:
        accuracy = index.data(_ACCURACY_ROLE)
        rect = QRectF(option.rect).adjusted(3, 4, -3, -4)
        painter.save()

        def x_of(value: float) -> float:
            share = (min(max(value, SCALE_LOW), SCALE_HIGH) - SCALE_LOW) / (SCALE_HIGH - SCALE_LOW)
            return rect.left() + rect.width() * share

        if accuracy is not None:
            fill = QColor(46, 139, 87) if accuracy > EXERCISE_MARK else QColor(70, 130, 180)
            painter.fillRect(QRectF(rect.left(), rect.top(), x_of(accuracy) - rect.left(),
                                    rect.height()), fill)
        for mark in LECTURE_MARKS:
            exercise = mark.accuracy == EXERCISE_MARK
            painter.setPen(QPen(QColor(192, 57, 43) if exercise else QColor(128, 128, 128),
                                2 if exercise else 1))
            painter.drawLine(x_of(mark.accuracy), rect.top(), x_of(mark.accuracy), rect.bottom())
        painter.setPen(option.palette.text().color())
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, index.data() or "")
        painter.restore()


class Leaderboard(QWidget):
    """With the app ``state``, the board lists the state's models (the shipped ones hidden
    unless "Shipped models too" is ticked) and redraws on ``catalogChanged``. Without one,
    ``models()`` returns the models; ``shipped()``, when given, the paths of the shipped
    ones."""

    runSelected = Signal(str)  # the model file of the run clicked

    def __init__(self, models: Callable[[], list[ModelInfo]] = lambda: [],
                 shipped: Callable[[], Iterable[Path]] | None = None,
                 parent: QWidget | None = None, *, state: AppState | None = None):
        super().__init__(parent)
        self.setObjectName("leaderboard")
        if state is not None:
            models, shipped = state.models, lambda: state.catalog.shipped
        self._models = models
        self._shipped = shipped or (lambda: ())
        self._entries: list[Entry] = []
        self._dialogs: list = []
        self.intro = QLabel(objectName="boardIntro", wordWrap=True)
        self.show_shipped = QCheckBox(objectName="boardShipped")
        if shipped is None:  # never setVisible(True) on a widget without a parent: a window
            self.show_shipped.hide()
        self.show_shipped.toggled.connect(self.refresh)
        self.table = QTableWidget(0, 7, objectName="boardTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DESIGN_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ACCURACY_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(ACCURACY_COLUMN, 200)
        self.table.setItemDelegateForColumn(ACCURACY_COLUMN, AccuracyBar(self.table))
        self.table.currentCellChanged.connect(self.on_current_changed)
        self.summary = QLabel(objectName="boardSummary", wordWrap=True)
        self.code = QPushButton(objectName="boardCode", clicked=self.on_show_code)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.code)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.show_shipped)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.retranslate()
        if state is not None:
            state.catalogChanged.connect(self.refresh)

    def retranslate(self) -> None:
        marks = ", ".join(f"{m.variant} {_mark(m.accuracy)}" for m in LECTURE_MARKS)
        self.intro.setText(self.tr(
            "The lecture's exercise: push past {0}. Its table: {1}.").format(
            _mark(EXERCISE_MARK), marks))
        self.show_shipped.setText(self.tr("Shipped models too"))
        self.table.setHorizontalHeaderLabels([
            "#", self.tr("Name"), self.tr("Design"), self.tr("Parameters"), self.tr("Epochs"),
            self.tr("MNIST test accuracy"), self.tr("Lecture mark reached")])
        self.code.setText(self.tr("Show as PyTorch code"))
        self.refresh()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def refresh(self) -> None:
        """Rank the runs again from ``models()`` (after training, evaluating, deleting)."""
        shipped = set(self._shipped())
        runs = [m for m in self._models()
                if self.show_shipped.isChecked() or m.path not in shipped]
        selected = self.selected_path()
        self._entries = leaderboard(runs, shipped)
        self.table.setRowCount(len(self._entries))
        for row, entry in enumerate(self._entries):
            for column, item in enumerate(self._items(row, entry)):
                self.table.setItem(row, column, item)
        paths = [e.path for e in self._entries]
        self.table.setCurrentCell(paths.index(selected) if selected in paths else -1, 0)
        self.summary.setText(self._summary_text())
        self.code.setEnabled(self.selected_path() is not None)

    def _items(self, rank: int, entry: Entry) -> list[QTableWidgetItem]:
        accuracy = QTableWidgetItem("" if entry.test_accuracy is None
                                    else _percent(entry.test_accuracy))
        accuracy.setData(_ACCURACY_ROLE, entry.test_accuracy)
        name = entry.name + (" " + self.tr("(shipped)") if entry.shipped else "")
        cells = [str(rank + 1), name, self._design_text(entry),
                 QLocale().toString(entry.parameters), str(entry.epochs)]
        items = [QTableWidgetItem(text) for text in cells]
        for item in (items[0], items[3], items[4]):
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return [*items, accuracy, QTableWidgetItem(self._mark_text(entry))]

    def _design_text(self, entry: Entry) -> str:
        spec = entry.spec
        member = spec if spec.arch != "ensemble" else spec.with_overrides(
            arch=spec.member_arch, members=1, member_arch="")
        layers = member.fc_layers()
        text = "-".join(shape_steps(member.conv_stages(), layers))
        activations = sorted({layer.activation for layer in layers} - {"relu"})
        if activations:
            text += f" ({', '.join(activations)})"
        if spec.arch == "ensemble":
            text = self.tr("{0} members of {1}").format(spec.members, text)
        return text if spec.is_designed else f"{spec.variant}: {text}"

    def _mark_text(self, entry: Entry) -> str:
        if entry.test_accuracy is None:
            return self.tr("not scored")
        if entry.mark is None:
            return self.tr("below {0}").format(_mark(LECTURE_MARKS[0].accuracy))
        text = self.tr("{0} (lab {1}, {2})").format(
            _mark(entry.mark.accuracy), entry.mark.lab, entry.mark.variant)
        return self.tr("past {0}: {1}").format(_mark(EXERCISE_MARK), text) \
            if entry.past_exercise else text

    def _summary_text(self) -> str:
        if not self._entries:
            return self.tr("No runs of yours yet: train a lab model, or design one of your own.")
        past = sum(entry.past_exercise for entry in self._entries)
        scored = [e for e in self._entries if e.test_accuracy is not None]
        if past:
            return self.tr("Runs past {0}: {1}. The exercise is done.").format(
                _mark(EXERCISE_MARK), past)
        if scored:
            return self.tr("No run past {0} yet; the best is {1} at {2}.").format(
                _mark(EXERCISE_MARK), scored[0].name, _percent(scored[0].test_accuracy))
        return self.tr("No run has a test accuracy yet: evaluate them on MNIST.")

    def selected_path(self) -> Path | None:
        row = self.table.currentRow()
        return self._entries[row].path if 0 <= row < len(self._entries) else None

    def on_current_changed(self, row: int, *_) -> None:
        self.code.setEnabled(0 <= row < len(self._entries))
        if 0 <= row < len(self._entries):
            self.runSelected.emit(str(self._entries[row].path))

    def on_show_code(self) -> None:
        from mnistpad.ui.shell.code_dialog import open_code_dialog

        path = self.selected_path()
        if path is None:
            return
        dialog = open_code_dialog(path, self)
        if dialog is not None:
            self._dialogs = [d for d in self._dialogs if d.isVisible()] + [dialog]
