"""An editable list of rows (hidden layers, conv stages): one widget per field, and buttons
to add, remove and reorder rows.

The network editor shows two of these. The rows are frozen dataclasses; the table is rebuilt
from them after add / remove / move, and a field edited in its widget replaces its row. Every
change emits ``changed`` at once, so that whoever counts parameters redraws in the same frame.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class Column:
    """One field of the rows: ``make(value)`` returns the widget that edits it, ``read``
    its value back, ``signal`` names the widget's change signal."""

    field: str
    make: Callable[[object], QWidget]
    read: Callable[[QWidget], object]
    signal: str


def spin_column(field: str, low: int, high: int, step: int = 1) -> Column:
    def make(value) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setSingleStep(step)
        box.setValue(value)
        box.setKeyboardTracking(False)  # a count per finished number, not per keystroke
        box.setGroupSeparatorShown(True)
        return box

    return Column(field, make, QSpinBox.value, "valueChanged")


def keep_prob_column(field: str = "keep_prob", low: float = 0.05) -> Column:
    def make(value) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setDecimals(2)
        box.setRange(low, 1.0)
        box.setSingleStep(0.05)
        box.setValue(value)
        box.setKeyboardTracking(False)
        return box

    return Column(field, make, QDoubleSpinBox.value, "valueChanged")


def choice_column(field: str, choices: dict[object, str]) -> Column:
    """A combo box of ``choices`` (value -> label, labels shown as given)."""

    def make(value) -> QComboBox:
        box = QComboBox()
        for data, label in choices.items():
            box.addItem(label, data)
        box.setCurrentIndex(box.findData(value))
        return box

    return Column(field, make, QComboBox.currentData, "currentIndexChanged")


def check_column(field: str) -> Column:
    def make(value) -> QCheckBox:
        box = QCheckBox()
        box.setChecked(value)
        return box

    return Column(field, make, QCheckBox.isChecked, "toggled")


class RowTable(QWidget):
    """Rows of one dataclass, edited in place; ``new_row(rows)`` makes the row Add appends
    (after the current row, or at the end)."""

    changed = Signal()

    def __init__(self, name: str, columns: list[Column], new_row: Callable[[list], object],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self._columns = columns
        self._new_row = new_row
        self._rows: list = []
        self.table = QTableWidget(0, len(columns), objectName=f"{name}Table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add = QPushButton(objectName=f"{name}Add", clicked=self.on_add)
        self.remove = QPushButton(objectName=f"{name}Remove", clicked=self.on_remove)
        self.up = QPushButton(objectName=f"{name}Up", clicked=lambda: self.on_move(-1))
        self.down = QPushButton(objectName=f"{name}Down", clicked=lambda: self.on_move(1))
        buttons = QHBoxLayout()
        for button in (self.add, self.remove, self.up, self.down):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.currentCellChanged.connect(self._update_buttons)

    def set_headers(self, headers: list[str]) -> None:
        self.table.setHorizontalHeaderLabels(headers)

    def set_button_texts(self, add: str, remove: str, up: str, down: str) -> None:
        for button, text in zip((self.add, self.remove, self.up, self.down),
                                (add, remove, up, down), strict=True):
            button.setText(text)

    def rows(self) -> list:
        return list(self._rows)

    def set_rows(self, rows) -> None:
        """Show ``rows`` (without emitting ``changed``: the caller recomputes once)."""
        self._rows = list(rows)
        self._rebuild(min(self.table.currentRow(), len(self._rows) - 1))

    def cell(self, row: int, field: str) -> QWidget:
        """The widget editing ``field`` of row ``row`` (for tests and keyboard focus)."""
        column = [c.field for c in self._columns].index(field)
        return self.table.cellWidget(row, column)

    def _rebuild(self, current: int) -> None:
        self.table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            for c, column in enumerate(self._columns):
                widget = column.make(getattr(row, column.field))
                getattr(widget, column.signal).connect(self._on_cell_edited)
                widget.installEventFilter(self)
                self.table.setCellWidget(r, c, widget)
        if current >= 0:
            self.table.setCurrentCell(current, 0)
        self._update_buttons()

    def eventFilter(self, watched, event) -> bool:
        """A click or Tab into a row's widget makes it the current row (the one Remove and
        the moves act on): the widgets take the events the table would select on."""
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
            for r in range(self.table.rowCount()):
                for c in range(self.table.columnCount()):
                    if self.table.cellWidget(r, c) is watched and self.table.currentRow() != r:
                        self.table.setCurrentCell(r, c)
        return super().eventFilter(watched, event)

    def _on_cell_edited(self, *_) -> None:
        self._rows = [
            dataclasses.replace(row, **{column.field: column.read(self.table.cellWidget(r, c))
                                        for c, column in enumerate(self._columns)})
            for r, row in enumerate(self._rows)
        ]
        self.changed.emit()

    def on_add(self) -> None:
        at = self.table.currentRow() + 1 if self.table.currentRow() >= 0 else len(self._rows)
        self._rows.insert(at, self._new_row(self._rows[:at]))
        self._rebuild(at)
        self.changed.emit()

    def on_remove(self) -> None:
        at = self.table.currentRow()
        if not 0 <= at < len(self._rows):
            return
        del self._rows[at]
        self._rebuild(min(at, len(self._rows) - 1))
        self.changed.emit()

    def on_move(self, step: int) -> None:
        at = self.table.currentRow()
        to = at + step
        if not (0 <= at < len(self._rows) and 0 <= to < len(self._rows)):
            return
        self._rows[at], self._rows[to] = self._rows[to], self._rows[at]
        self._rebuild(to)
        self.changed.emit()

    def _update_buttons(self, *_) -> None:
        at = self.table.currentRow()
        self.remove.setEnabled(0 <= at < len(self._rows))
        self.up.setEnabled(0 < at < len(self._rows))
        self.down.setEnabled(0 <= at < len(self._rows) - 1)
