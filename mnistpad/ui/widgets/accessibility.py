"""Screen readers: every control has an accessible name, every custom-painted view an
accessible description of what it shows.

:class:`AccessibilityHooks` names, for the whole window, each control that has none: by the
names below (controls with no label of their own), else by its buddy label or the label just
before it in its layout, else by its tooltip's first sentence, else (a widget in a table
cell) by its column's header. A name it gave is given again after every language change; a
name a view set itself is kept. It also keeps the descriptions of the canvas (its reading),
the cost chart (the last cost and accuracy) and the confusion matrix (the selected cell)
up to date.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollBar,
    QTableWidget,
    QWidget,
)

CONTROL_KINDS = (QAbstractButton, QComboBox, QAbstractSpinBox, QAbstractSlider, QLineEdit,
                 QAbstractItemView)


def is_custom_painted(widget: QWidget) -> bool:
    """Whether one of mnistpad's classes paints ``widget`` itself (a paintEvent of its own)."""
    return any("paintEvent" in vars(kind) and kind.__module__.startswith("mnistpad.ui")
               for kind in type(widget).__mro__)


def visible_text(widget: QWidget) -> str:
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "").strip()
    return ""


def unnamed_controls(root: QWidget) -> list[QWidget]:
    """The controls and custom-painted views under ``root`` that a screen reader could only
    call by their kind: no accessible name, no text of their own."""
    found = []
    for widget in root.findChildren(QWidget):
        if not (isinstance(widget, CONTROL_KINDS) or is_custom_painted(widget)):
            continue
        if _inside_a_control(widget):
            continue
        if not widget.accessibleName().strip() and not visible_text(widget):
            found.append(widget)
    return found


def _inside_a_control(widget: QWidget) -> bool:
    """Qt's own parts of a control (a combo box's popup list, a spin box's line edit, the
    scroll bars and headers of a view): the control or view carries the name."""
    if widget.objectName().startswith("qt_") or isinstance(widget, (QScrollBar, QHeaderView)):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            return True
        parent = parent.parentWidget()
    return False


AUTO_NAME = "mnistpadAutoName"  # dynamic property: the name given here, to give again


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    for end in (". ", "; "):
        if end in text:
            text = text.split(end, 1)[0]
    return text.rstrip(".")


def _label_before(widget: QWidget) -> str:
    """The text of a label whose buddy is ``widget``, or of the label just before it in its
    parent's layout (a caption beside a combo box)."""
    parent = widget.parentWidget()
    if parent is None:
        return ""
    for label in parent.findChildren(QLabel):
        if label.buddy() is widget and label.text():
            return label.text()
    layout = parent.layout()
    items = _layout_widgets(layout) if layout is not None else []
    if widget in items:
        index = items.index(widget)
        if index and isinstance(items[index - 1], QLabel):
            return items[index - 1].text()
    return ""


def _layout_widgets(layout) -> list[QWidget]:
    found = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is not None:
            found.append(item.widget())
        elif item.layout() is not None:
            found += _layout_widgets(item.layout())
    return found


def _table_cell(widget: QWidget) -> tuple[QTableWidget, int, int] | None:
    """The table, row and column whose cell holds ``widget`` (itself or inside it)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QTableWidget):
        parent = parent.parentWidget()
    if parent is None:
        return None
    for row in range(parent.rowCount()):
        for column in range(parent.columnCount()):
            cell = parent.cellWidget(row, column)
            if cell is not None and (cell is widget or cell.isAncestorOf(widget)):
                return parent, row, column
    return None


def _plain(text: str) -> str:
    return " ".join(text.replace("&", "").split()).rstrip(":").strip()


class AccessibilityHooks(QObject):
    """Names and descriptions for ``window`` (see the module doc); built once its views are."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        state = window.state
        state.readingChanged.connect(self.describe_reading)
        evaluate = getattr(window, "evaluate", None)
        if evaluate is not None:
            matrix = evaluate.results.matrix
            matrix.cellClicked.connect(self.describe_matrix)
            matrix.rowClicked.connect(lambda row: self.describe_matrix(row, -1))
            matrix.columnClicked.connect(lambda col: self.describe_matrix(-1, col))
        # rows added later get names too: once per turn of the event loop, however many
        # rows were added (a table of 200 models is refilled row by row)
        self._rename = QTimer(self, singleShot=True, interval=0)
        self._rename.timeout.connect(self.name_controls)
        for table in window.findChildren(QTableWidget):
            table.model().rowsInserted.connect(self.on_rows_inserted)
        self.retranslate()
        window.installEventFilter(self)

    def on_rows_inserted(self) -> None:
        self._rename.start()  # when its widgets are in

    def names(self) -> dict[str, str]:
        """Names of the controls that have no label (by object name)."""
        return {
            "sampleFilter": self.tr("Show samples of"),
            "sampleGallery": self.tr("Your samples"),
            "evalSide": self.tr("Model whose errors are shown"),
            "boardTable": self.tr("Leaderboard"),
            "netStart": self.tr("Start from"),
            "netConvsTable": self.tr("Convolution layers"),
            "netLayersTable": self.tr("Fully connected layers"),
            "insideInput": self.tr("Input pixels"),
            "insideVector": self.tr("Layer outputs"),
            "insideWeights": self.tr("First layer's weights"),
            "insideIncoming": self.tr("Incoming weights of the unit"),
            "rejectCurve": self.tr("Reject curve"),
            "confusionMatrix": self.tr("Confusion matrix"),
            "modelBox": self.tr("Model of this column"),
            "initBox": self.tr("Initialization of this column"),
            "memberBox": self.tr("Ensemble member"),
            "raceTable": self.tr("Race results"),
        }

    def _learning_rate_name(self, widget: QWidget) -> str:
        """The race's and the playground's learning-rate boxes, one per optimizer."""
        from mnistpad.core.models.specs import OPTIMIZER_LABELS

        prefix, _, key = widget.objectName().partition("Lr_")
        if prefix not in ("race", "play") or key not in OPTIMIZER_LABELS:
            return ""
        return self.tr("Learning rate of {0}").format(OPTIMIZER_LABELS[key])

    def name_controls(self) -> None:
        names = self.names()
        for widget in unnamed_controls(self.window) + self._named_here():
            name = names.get(widget.objectName()) or self._learning_rate_name(widget) or \
                _plain(_label_before(widget)) or _first_sentence(widget.toolTip()) or \
                self._cell_name(widget)
            if name:
                widget.setAccessibleName(name)
                widget.setProperty(AUTO_NAME, name)

    def _cell_name(self, widget: QWidget) -> str:
        """A widget in a table cell: its column's header and its row."""
        cell = _table_cell(widget)
        if cell is None:
            return ""
        table, row, column = cell
        header = table.horizontalHeaderItem(column)
        title = _plain(header.text()) if header is not None else str(column + 1)
        return self.tr("{0}, row {1}").format(title, row + 1)

    def _named_here(self) -> list[QWidget]:
        return [w for w in self.window.findChildren(QWidget)
                if w.property(AUTO_NAME) and w.accessibleName() == w.property(AUTO_NAME)]

    def describe_reading(self) -> None:
        state, canvas = self.window.state, self.window.canvas
        probabilities = state.probabilities
        if probabilities is None:
            text = self.tr("Drawing area; nothing read yet")
        else:
            digit = int(probabilities.argmax())
            text = self.tr("Drawing area; current reading: {0}, {1}% sure").format(
                digit, round(100 * float(probabilities[digit])))
        canvas.setAccessibleDescription(text)

    def describe_matrix(self, row: int, column: int) -> None:
        matrix = self.window.evaluate.results.matrix
        if matrix.matrix is None:
            return
        counts = matrix.matrix
        if row >= 0 and column >= 0:
            text = self.tr("Confusion matrix; selected: true {0} read as {1}, %n digit(s)",
                           "", int(counts[row, column])).format(row, column)
        elif row >= 0:
            text = self.tr("Confusion matrix; selected: every true {0}, %n digit(s)", "",
                           int(counts[row].sum())).format(row)
        else:
            text = self.tr("Confusion matrix; selected: everything read as {0}, %n digit(s)",
                           "", int(counts[:, column].sum())).format(column)
        matrix.setAccessibleDescription(text)

    def retranslate(self) -> None:
        self.name_controls()
        self.describe_reading()
        evaluate = getattr(self.window, "evaluate", None)
        if evaluate is not None and not evaluate.results.matrix.accessibleDescription():
            evaluate.results.matrix.setAccessibleDescription(self.tr(
                "Confusion matrix; rows: the true digit, columns: the digit read; no cell "
                "selected"))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            QTimer.singleShot(0, self, self.retranslate)  # after the views set their texts
        return False
